process-scope = Ámbito:
process-status = Estado:
process-level-heading = Nivel de participación: { $level }
process-timeline = Calendario
process-now = Dónde estamos ahora:
process-no-current-phase = Hoy no hay ninguna fase en curso.
timeline-milestone = hito
timeline-now = Ahora
timeline-done = terminada
timeline-span = del { $from } al { $to }
process-about = Sobre este proceso
process-activities = Cómo participar
process-no-activities = Todavía no hay actividades en este proceso.
activity-state-open = Abierta
activity-state-upcoming = Aún no abierta
activity-state-closed = Cerrada
activity-closes-on = Cierra el { $date }
process-commitments = A qué se comprometieron los organizadores
commitment-status = Estado:
commitment-met = cumplido
commitment-missed = incumplido
commitment-at-risk = en riesgo
commitment-pending = aún no vence
commitment-tally = A tiempo: { $on_time }. Con retraso: { $late }. Vencidas: { $overdue }. Pendientes: { $open }.
process-outcome = Resultado
outcome-version = Versión { $version }
outcome-cites = { $count ->
    [one] Se basa en una aportación.
   *[other] Se basa en { $count } aportaciones.
}
outcome-history = Historial del resultado
process-no-outcome = Todavía no se ha publicado ningún resultado.
process-report = Cómo se usaron las aportaciones
report-contributions = { $count ->
    [one] Se hizo una aportación.
   *[other] Se hicieron { $count } aportaciones.
}
report-responded = { $count } recibieron una respuesta pública ({ $share }).
report-delay = La mitad de las respuestas llegaron en { $days } días o menos.
report-delay-within-a-day = La mitad de las respuestas llegaron en menos de un día.
report-outcome-versions = { $count ->
    [0] Todavía no se ha publicado ningún resultado.
    [one] Se ha publicado una versión del resultado.
   *[other] Se han publicado { $count } versiones del resultado.
}
report-chart-channels = Aportaciones por canal
report-contributions-header = Aportaciones
report-channel-header = Canal
report-total = Total
report-chart-dispositions = Qué se hizo con las aportaciones que recibieron respuesta
report-responses-header = Respuestas
report-chart-delays = Días desde una aportación hasta su respuesta
report-days-band = { $band } días
report-delay-header = Tiempo de respuesta
process-report-data = El informe como datos abiertos (JSON)
process-related = Relacionado
process-parent = Forma parte de:
process-child = Incluye:
process-ledger = Entradas del registro público de este proceso
process-moderation-log = Registro de moderación
process-manage = Trabajar en este proceso
process-export-csv = Descargar todas las contribuciones y sus respuestas (CSV, para hojas de cálculo)
process-export-jsonl = Descargar todo el proceso como datos abiertos (JSON Lines)
process-follow-heading = Seguir desde otro sitio
process-follow-intro = Quienes usan Mastodon u otras aplicaciones del fediverso pueden seguir este proceso y recibir sus novedades en su propia aplicación: nuevas actividades, fases, respuestas y resultados.
process-follow-of = El proceso:
process-follow-address = Su dirección:
process-follow-how = Busque esta dirección en su aplicación y sígala, o escriba su propia dirección aquí abajo: le llevamos a su sitio para que lo confirme.
process-follow-label = Su dirección en su sitio
process-follow-hint = Por ejemplo @ana@social.example
process-follow-button = Seguir desde mi sitio
process-follow-error-empty = Escriba su dirección en su sitio, por ejemplo @ana@social.example
process-follow-error-format = Escriba su dirección como @nombre@sitio, por ejemplo @ana@social.example
process-follow-error-site = No pudimos averiguar cómo seguir desde { $site }. Compruebe su dirección, o busque { $handle } en su aplicación.
