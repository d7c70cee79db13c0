# El generador de formularios, para todos los formularios de los plugins (contribuciones, configuración de actividades).
form-required = (obligatorio)
form-error-prefix = Error:
form-error-title-prefix = Error:
form-error-summary-title = Hay un problema
form-no-answer = Sin respuesta
form-yes = Sí
form-no = No
form-answer-value = Valor
form-item-label = { $label }, elemento { $number }
form-ranking-first = Puesto 1 (su primera opción)
form-ranking-place = Puesto { $number }
form-ranking-choose = Elija una opción
form-limit-chars-max = Hasta { $max } caracteres.
form-limit-chars-min = Al menos { $min } caracteres.
form-limit-chars-between = De { $min } a { $max } caracteres.
form-limit-number = { $whole ->
    [yes] Un número entero.
   *[other] Un número.
}
form-limit-number-between = { $whole ->
    [yes] Un número entero de { $min } a { $max }.
   *[other] Un número de { $min } a { $max }.
}
form-limit-number-min = { $whole ->
    [yes] Un número entero, como mínimo { $min }.
   *[other] Un número, como mínimo { $min }.
}
form-limit-number-max = { $whole ->
    [yes] Un número entero, como máximo { $max }.
   *[other] Un número, como máximo { $max }.
}
form-limit-date = Indique la fecha como año, mes y día, por ejemplo 2027-03-15.
form-limit-scale = Elija un punto de { $min } a { $max }.
form-limit-choose-any = Elija todas las que correspondan.
form-limit-choose-exactly = Elija { $count }.
form-limit-choose-up-to = Elija hasta { $max }.
form-limit-choose-at-least = Elija al menos { $min }.
form-limit-choose-between = Elija de { $min } a { $max }.
form-limit-ranking = { $count ->
    [one] Ponga la opción en el puesto 1.
   *[other] Ordene las { $count } opciones: elija una opción para cada puesto, su primera opción en el puesto 1. Use cada opción una sola vez.
}
form-limit-items = Hay espacio para { $count } elementos. Rellene los que necesite y deje vacíos los demás.
form-more-items = Añadir espacio para otro elemento
form-error-number = Escriba un número, por ejemplo 12 o 3,5.
form-error-whole-number = Escriba un número entero, por ejemplo 12.
form-error-date = Escriba una fecha real, como año-mes-día, por ejemplo 2027-03-15.
form-error-scale = Elija un punto de la escala, de { $min } a { $max }.
form-error-choice = Elija entre las opciones dadas.
