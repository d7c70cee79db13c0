# Mis aportaciones y qué pasó con ellas.
my-input-title = Mis aportaciones
my-input-intro = Todo lo que has aportado, empezando por lo más reciente, y lo que hicieron los organizadores con ello.
my-input-empty = Aún no has aportado nada.
my-input-empty-how = Para participar, elige un proceso abierto, luego una de sus actividades, y da tu opinión. Todo lo que aportes aparece aquí, con la respuesta de los organizadores cuando la den.
my-input-find-process = Buscar un proceso abierto
my-input-no-more = No hay nada más.
my-input-back-to-newest = Volver a tus aportaciones más recientes
my-input-activity = Actividad
my-input-date = Enviada el
my-input-edited = modificada el { $date }
my-input-channel = Cómo
my-input-reference = referencia
my-input-status = Situación
my-input-status-visible = Publicada
my-input-status-hidden = Ocultada por la moderación
my-input-status-withdrawn = Retirada por ti
my-input-awaiting = Pendiente de respuesta de los organizadores.
my-input-responded = Los organizadores han respondido.
my-input-what-you-said = Lo que dijiste
my-input-response-heading = La respuesta de los organizadores, { $date }
my-input-disposition = Qué hicieron con ella:
my-input-shaped = { $count ->
    [one] Influyó en esta parte del resultado:
   *[other] Influyó en estas partes del resultado:
}
my-input-see-outcome = Ver el resultado
my-input-older = Aportaciones anteriores
my-input-sent-heading = Enviado a otros sitios
my-input-sent-none = No ha participado en actividades de otros sitios.
my-input-sent-how = Participar en una actividad de otro sitio
my-input-sent-to = A { $site }
my-input-sent-just = Enviado a { $site }
my-input-sent-sending = Esperando al otro sitio: se enviará cuando se pueda conectar
my-input-sent-accepted = Recibido por el otro sitio
my-input-sent-refused = Rechazado por el otro sitio
my-input-sent-hidden = Ocultado por los moderadores del otro sitio
my-input-sent-responded = Respondido
