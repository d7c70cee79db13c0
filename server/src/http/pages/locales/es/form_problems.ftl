# Los problemas que señalan las comprobaciones del SDK de los plugins, en palabras del lector (forms.rs, sdk_problem).
form-problem-required = Responda a esta pregunta.
form-problem-text = Escriba un texto.
form-problem-max-length = { $max ->
    [one] Escriba como máximo un carácter.
   *[other] Escriba como máximo { $max } caracteres.
}
form-problem-min-length = { $min ->
    [one] Escriba al menos un carácter.
   *[other] Escriba al menos { $min } caracteres.
}
