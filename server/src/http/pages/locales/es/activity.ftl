# La página de una actividad.
activity-breadcrumb = Está aquí
activity-open-no-close = Abierta, sin fecha de cierre
activity-opens-on = Abre el { $date }
activity-closed-on = Cerró el { $date }
activity-take-part = Participe
activity-sign-in-why = Inicie sesión o cree una cuenta para participar. Su contribución se publica sin su nombre.
activity-sign-in = Inicie sesión para participar
activity-send = Enviar
activity-received = Hemos recibido su contribución
activity-received-reference = Su referencia: { $reference }
activity-received-follow = Se muestra abajo. Puede seguir lo que ocurra con ella en su página «Mis aportaciones».
activity-not-saved = Su contribución no se ha guardado. El motivo se indica abajo.
activity-too-large = Lo que ha escrito es demasiado largo para enviarlo en una sola contribución. Acórtelo e inténtelo de nuevo.
activity-too-many = { $minutes ->
    [one] Ha enviado muchas contribuciones en poco tiempo. Espere un minuto y vuelva a enviar: lo que escribió se conserva abajo.
   *[other] Ha enviado muchas contribuciones en poco tiempo. Espere { $minutes } minutos y vuelva a enviar: lo que escribió se conserva abajo.
}
activity-disabled = Esta actividad no acepta contribuciones en este momento. Inténtelo más tarde.
activity-form-unavailable = Este formulario no se puede mostrar en este momento.
activity-refusal-process = Este proceso no acepta contribuciones: aún no se ha publicado o ya ha terminado.
activity-refusal-upcoming = Esta actividad abre el { $date }. Vuelva entonces para participar.
activity-refusal-upcoming-undated = Esta actividad aún no está abierta.
activity-refusal-closed = Esta actividad cerró el { $date }. Ya no se pueden hacer contribuciones.
activity-refusal-closed-undated = Esta actividad está cerrada. Ya no se pueden hacer contribuciones.
activity-refusal-observer = Usted sigue este proceso como observador. Los observadores no contribuyen.
activity-refusal-attribute = Solo pueden participar las personas cuya cuenta está verificada como «{ $attribute }». Puede verificarlo en la página de su cuenta o pedirlo a la organización.
activity-refusal-roles = Solo { $roles } de este proceso envían esto.
activity-role-participant = las personas participantes
activity-role-facilitator = las personas facilitadoras
activity-role-organiser = las personas organizadoras
activity-roles-and = { $first } y { $last }
activity-results = Resultados
activity-results-when = Calculados el { $date }.
activity-results-recomputing = Hay contribuciones más recientes: se están calculando resultados actualizados. Vuelva a cargar la página en un momento.
activity-results-computing = Se están calculando los resultados. Vuelva a cargar la página en un momento.
activity-results-unavailable = Los resultados de esta actividad no están disponibles en este momento. Inténtelo más tarde.
activity-results-none = Aún no hay resultados.
activity-results-pie-as-bars = Se muestra en barras, que se leen y comparan mejor que un gráfico circular.
activity-results-category = Categoría
activity-contributions = Contribuciones
activity-no-contributions = Aún no hay contribuciones.
activity-first-page = Primera página
activity-yours = Suya
activity-reference = Referencia: { $reference }
activity-edited = Modificada el { $date }
# Input that came from another instance (federation): the instance it came from.
activity-from-instance = Enviada desde { $instance }
activity-hidden = Ocultada por la moderación. Su motivo:
activity-more-values = { $count ->
    [one] Un valor más no se muestra aquí.
   *[other] { $count } valores más no se muestran aquí.
}
activity-open-data = Vea la contribución completa como datos abiertos (JSON)
activity-response = Respuesta: { $disposition }
activity-response-date = Dada el { $date }
activity-response-shaped = Influyó en estas secciones del resultado:

# Participar desde otro sitio (take_part.rs).
take-part-from-heading = Participar desde otro sitio
take-part-from-of = La actividad:
take-part-from-how = ¿Tiene una cuenta en otro sitio Convene? Escriba su nombre: le llevamos allí y envía su aportación desde su propia cuenta. Llega aquí con el nombre de su sitio.
take-part-from-label = Su sitio
take-part-from-hint = Por ejemplo pueblo.example
take-part-from-button = Participar desde mi sitio
take-part-from-error-empty = Escriba el nombre de su sitio, por ejemplo pueblo.example
take-part-title = Participar en una actividad de otro sitio
take-part-intro = Las actividades de otros sitios Convene pueden recibir aportaciones de personas de aquí. Pegue la dirección de la actividad, tal como la muestra su sitio, y envíe su aportación desde su cuenta aquí.
take-part-address-label = La dirección de la actividad
take-part-address-hint = Por ejemplo https://nacional.example/ap/activities/0190…
take-part-address-button = Buscar la actividad
take-part-error-empty = Escriba la dirección de la actividad en el otro sitio
take-part-error-kind = Esa actividad ya no recibe este tipo de aportación. Elija otro formulario.
take-part-in = Participar en «{ $activity }»
take-part-on = Una actividad de { $site }.
take-part-see-there = Verla allí
take-part-how = Lo que envíe llega a { $site } con su cuenta de aquí, sin su nombre ni su correo. Sus organizadores responden allí y la respuesta vuelve a Mis aportaciones.
take-part-send = Enviar a { $site }
