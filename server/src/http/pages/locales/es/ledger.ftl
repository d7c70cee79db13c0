# La página del registro público.
ledger-title = Registro público
ledger-title-process = Registro público: { $process }
ledger-intro = El registro público deja constancia permanente de los hechos públicos de este sitio: procesos publicados, fases iniciadas, respuestas dadas, resultados publicados o revisados, contribuciones ocultadas por la moderación. Nadie puede reescribirlo a escondidas, ni siquiera quienes administran este sitio.
ledger-what-enters = Solo entran en él los hechos públicos de los procesos públicos. Los borradores, los procesos privados y los que solo son accesibles mediante su enlace no dejan rastro aquí.
ledger-only-process = Solo las entradas sobre
ledger-show-all = Ver todas las entradas
ledger-skip-to-verify = Cómo comprobar este registro usted mismo
ledger-entries = Entradas
ledger-order = Las más antiguas primero. Cada entrada lleva un número; en el registro completo, los números se suceden sin huecos.
ledger-no-more = No hay más entradas después de estas.
ledger-empty = Todavía no se ha registrado nada.
ledger-entry-number = Entrada { $number }
ledger-about-process = Proceso:
ledger-process-not-listed = Sobre un proceso que ya no es público
ledger-about-activity = Actividad:
ledger-about-instance = Sobre el sitio en su conjunto
ledger-kind = Tipo:
ledger-hash = Huella (hash):
ledger-first-page = Volver a las primeras entradas
ledger-verify-heading = Compruébelo usted mismo
ledger-verify-chain = La huella (hash SHA-256) de cada entrada se calcula sobre su contenido y sobre la huella de la entrada anterior. Cambiar, borrar o reordenar cualquier entrada pasada cambia todas las huellas siguientes, de modo que la cadena delata cualquier reescritura.
ledger-verify-signature = Cada huella está además firmada con la clave privada de este sitio (Ed25519). Solo quien tiene esa clave puede firmar, así que nadie más puede fabricar otra cadena que supere la comprobación, y el sitio no puede negar una entrada que ha firmado.
ledger-verify-key-heading = La clave pública de este sitio
ledger-verify-key = Las firmas se comprueban con esta clave pública (Ed25519, en base64). Compárela con la clave que los organizadores publican en otro lugar, por ejemplo en sus comunicados oficiales: comprobar con una clave tomada solo de esta página demuestra que el registro es coherente, no quién lo escribió.
ledger-verify-command-heading = Comprobar todo el registro
ledger-verify-command = Instale Convene (software libre) y ejecute esta orden. Descarga todas las entradas y comprueba cada enlace, cada huella y cada firma:
ledger-verify-pinned = Para comprobarlo con una clave obtenida de una fuente de confianza, indíquela también:
ledger-verify-result = La orden responde «Ledger verified» con la última huella, o indica la primera entrada que no supera la comprobación y por qué.
ledger-download = Descargar el registro en datos abiertos (JSON)

# Una frase por cada tipo de entrada.
ledger-event-process-published = { $activities ->
    [0] El proceso se hizo público.
    [one] El proceso se hizo público, con una actividad.
   *[other] El proceso se hizo público, con { $activities } actividades.
}
ledger-event-process-archived = El proceso terminó y se archivó; su historial sigue siendo público.
ledger-event-process-withdrawn = El proceso se retiró de la vista pública. El registro no anotará nada más sobre él salvo que vuelva a ser público.
ledger-event-phase-started = Comenzó la fase «{ $phase }» (del { $from } al { $to }).
ledger-event-activity-created = Se añadió una nueva actividad: «{ $activity }».
ledger-event-activity-opened = Se abrió una actividad a la participación.
ledger-event-activity-closed = Se cerró una actividad: ya no admite contribuciones.
ledger-event-contribution-hidden = La moderación ocultó una contribución, con este motivo público: «{ $reason }».
ledger-event-contribution-restored = La moderación restableció una contribución oculta, con este motivo: «{ $reason }».
ledger-event-responses-given = { $count ->
    [one] Los organizadores publicaron su respuesta a una contribución: «{ $disposition }».
   *[other] Los organizadores publicaron su respuesta a { $count } contribuciones: «{ $disposition }».
}
ledger-event-outcome-published = { $sections ->
    [one] Se publicó el resultado (versión { $version }, una sección).
   *[other] Se publicó el resultado (versión { $version }, { $sections } secciones).
}
ledger-event-outcome-revised = { $sections ->
    [one] Se revisó el resultado: se publicó la versión { $version }, con una sección. Las versiones anteriores siguen disponibles.
   *[other] Se revisó el resultado: se publicó la versión { $version }, con { $sections } secciones. Las versiones anteriores siguen disponibles.
}
ledger-event-seed-committed = Antes de un sorteo, los organizadores se comprometieron con una semilla secreta. Su huella (SHA-256) es { $sha256 }; la semilla no puede cambiarse después sin que la huella lo delate.
ledger-event-seed-revealed = Se reveló la semilla del sorteo: { $seed }. Cualquiera puede comprobar que su SHA-256 es { $sha256 }, la huella comprometida antes del sorteo, y repetir el sorteo.
ledger-event-plugin-installed = Se instaló en este sitio el tipo de actividad { $type }, versión { $version } (editor: { $publisher }).
ledger-event-plugin-upgraded = El tipo de actividad { $type } se actualizó a la versión { $version } (editor: { $publisher }).
ledger-event-plugin-rolled-back = El tipo de actividad { $type } volvió de la versión { $from_version } a la versión { $version }.
ledger-event-plugin-publisher-replaced = El tipo de actividad { $type } procede ahora de otro editor: { $publisher } (antes: { $previous_publisher }).
ledger-event-other = Se registró un hecho de tipo { $kind }.
