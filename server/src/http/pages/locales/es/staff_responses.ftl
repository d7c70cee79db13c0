responses-page-title = Respuestas: { $process }
responses-title = Responder a las contribuciones
responses-backlog-heading = Aún sin respuesta
responses-backlog = { $waiting ->
    [one] 1 contribución
   *[other] { $waiting } contribuciones
} de { $total } aún no { $waiting ->
    [one] tiene
   *[other] tienen
} respuesta.
responses-no-commitment = Este proceso no tiene un compromiso de responder en un número de días.
responses-deadline-met = Cumplido
responses-deadline-missed = Incumplido
responses-deadline-at-risk = En riesgo
responses-deadline-pending = En plazo
responses-deadline-detail = En { $days } días desde el cierre de cada actividad: { $overdue } con el plazo vencido, { $soon } vencen en 7 días, { $open } vencen más tarde.
responses-deadline-earliest = El plazo más próximo de una contribución sin respuesta es el { $date }.
responses-empty = Nadie ha contribuido aún a este proceso. Las contribuciones aparecen aquí a medida que llegan.
responses-filters = Filtrar las contribuciones
responses-filter-activity = Actividad
responses-any = Cualquiera
responses-filter-channel = Canal
responses-filter-responded = Respuesta
responses-filter-responded-no = Sin respuesta
responses-filter-responded-yes = Con respuesta
responses-filter-disposition = Respuesta actual
responses-filter-text = Palabras del texto
responses-filter-text-hint = Encuentra las contribuciones que contienen todas estas palabras. Como máximo { $max } caracteres.
responses-filter-apply = Filtrar
responses-filter-clear = Quitar los filtros
responses-table-heading = Contribuciones
responses-matching = { $count ->
    [0] Ninguna contribución coincide.
    [one] 1 contribución coincide.
   *[other] { $count } contribuciones coinciden.
}
responses-col-select = Seleccionar
responses-col-contribution = Contribución
responses-col-activity = Actividad
responses-col-channel = Canal
responses-col-received = Recibida
responses-col-response = Respuesta
responses-col-action = Acción
responses-select-one = Seleccionar la contribución { $ref }
responses-hidden = Ocultada por moderación
responses-none-yet = Todavía ninguna
responses-respond-link = Responder
responses-respond-link-to = a la contribución { $ref }
responses-respond-selected = Responder a las contribuciones seleccionadas
responses-respond-all = { $count ->
    [one] Responder a la única contribución que coincide
   *[other] Responder a las { $count } contribuciones que coinciden
}
responses-all-hint = Todas las contribuciones que coinciden con los filtros, en todas las páginas, de la más antigua a la más reciente.
responses-all-capped = Una respuesta contesta como máximo { $max } contribuciones: se contestarán las { $max } más antiguas. Después, filtre por «Sin respuesta» para contestar el resto.
responses-answered = { $count ->
    [one] Ha respondido a 1 contribución. Se avisa a su autor por correo electrónico.
   *[other] Ha respondido a { $count } contribuciones. Se avisa a sus autores por correo electrónico.
}
responses-error-search = Busque como máximo { $max } caracteres
responses-error-filter = Elija un valor de la lista
responses-error-none-selected = Seleccione al menos una contribución, o responda a todas las que coinciden
responses-error-disposition = Elija qué hicieron con la aportación
responses-error-explanation = Explique su respuesta en al menos un idioma
responses-error-explanation-long = La explicación debe tener 5000 caracteres o menos
responses-error-explanation-characters = La explicación contiene caracteres que no se pueden usar
responses-error-sections = Cada sección debe tener 100 caracteres o menos, separadas por comas
responses-error-contributions = Algunas de estas contribuciones ya no se pueden contestar (retiradas, o de otro proceso). Vuelva a la lista y elija de nuevo.
responses-explanation-in = En { $language }
responses-respond-one-title = Responder a una contribución
responses-respond-many-title = Responder a varias contribuciones
responses-respond-count = { $count ->
    [one] Esta respuesta contesta 1 contribución.
   *[other] Esta respuesta contesta { $count } contribuciones.
}
responses-back-to-list = Volver a las contribuciones
responses-current = respuesta actual: { $disposition }
responses-disposition-legend = ¿Qué hicieron con esta aportación?
responses-disposition-hint = Los autores lo ven junto a su contribución.
responses-explanation-legend = Explicación
responses-explanation-hint = Por qué, con palabras sencillas. Escríbala en al menos un idioma; cada autor la lee en su idioma cuando usted la da.
responses-sections-legend = Secciones del resultado
responses-sections-hint = Las partes del resultado en las que influyó esta aportación, si las hay.
responses-sections-label = Secciones
responses-sections-other = Otras secciones
responses-sections-field-hint = Sus números o nombres, separados por comas, por ejemplo 2.1, anexo-b.
responses-continue = Continuar
responses-send-one = Enviar la respuesta
responses-cancel = Cancelar
responses-confirm-title = { $count ->
    [one] ¿Enviar esta respuesta a 1 contribución?
   *[other] ¿Enviar esta respuesta a { $count } contribuciones?
}
responses-confirm-count = { $count ->
    [one] Va a contestar 1 contribución con esta respuesta.
   *[other] Va a contestar { $count } contribuciones con esta única respuesta.
}
responses-confirm-send = { $count ->
    [one] Enviar la respuesta a 1 contribución
   *[other] Enviar la respuesta a { $count } contribuciones
}
responses-sections-none = Ninguna
responses-confirm-public-heading = Qué pasa al enviarla
responses-confirm-public-email = Se avisa a cada autor por correo electrónico.
responses-confirm-public-pages = La respuesta se muestra públicamente junto a cada contribución, y cuenta en el informe del proceso.
responses-confirm-public-ledger = Queda anotada en el registro público, que no se puede modificar.
responses-confirm-public-later = Puede responder de nuevo más tarde; la respuesta más reciente pasa a ser la actual.
responses-confirm-change = Cambiar la respuesta
