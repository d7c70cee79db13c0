# The facilitator's desk: paper, phone and in-person input entered by staff.
desk-title = Mesa de facilitación
desk-heading = Mesa de facilitación
desk-title-entering = Registrar aportaciones: { $activity }
desk-title-saved = Guardada, referencia { $reference }. Registre la siguiente
desk-title-saved-member = Guardada a nombre del miembro. Registre la siguiente
desk-intro = Registre lo que la gente le dio en papel, por teléfono o en persona. Elija una vez la actividad y de dónde vienen las aportaciones; después registre una respuesta tras otra.
desk-none-open = Ninguna actividad de este proceso está abierta ahora.
desk-activity = Actividad
desk-channel = ¿De dónde vienen las aportaciones?
desk-start = Empezar a registrar
desk-activity-label = Actividad:
desk-channel-label = Canal:
desk-change = Cambiar la actividad o el canal
desk-count-you = { $count ->
    [one] Hoy ha registrado 1 respuesta en esta actividad.
   *[other] Hoy ha registrado { $count } respuestas en esta actividad.
}
desk-count-all = { $count ->
    [one] En total, hoy se ha registrado 1 respuesta.
   *[other] En total, hoy se han registrado { $count } respuestas.
}
desk-saved = Guardada
desk-saved-write = Escriba esta referencia en el papel:
desk-saved-member = Está guardada a nombre del miembro: la encontrará entre sus aportaciones.
desk-saved-when = Guardada el { $when }.
desk-kinds = Qué registrar
desk-new-entry = Siguiente respuesta
desk-whose = ¿De quién es esta aportación?
desk-email = Su correo, si es miembro de este proceso (opcional)
desk-email-hint = Déjelo vacío para alguien sin cuenta aquí: la respuesta se guarda sin nombre.
desk-reference = Referencia del papel (opcional)
desk-reference-hint = Si lo deja vacío, se crea una referencia para que la escriba en el papel.
desk-save-next = Guardar y registrar la siguiente
desk-not-saved = Esta respuesta no se ha guardado.
desk-activity-not-open = Esta actividad no está abierta ahora. Elija otra.
desk-kind-not-facilitated = En esta actividad no se puede registrar nada en nombre de otra persona.
desk-error-email = Escriba un correo como nombre@ejemplo.org, o déjelo vacío
desk-error-not-member = Ningún miembro de este proceso tiene este correo. Déjelo vacío para guardar la respuesta sin nombre
desk-error-reference = Escriba una referencia de 64 letras, números y signos como mucho, o déjela vacía
