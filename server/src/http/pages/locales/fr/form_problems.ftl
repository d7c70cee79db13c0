# Les problèmes que signalent les vérifications du SDK des plugins, dans les mots du lecteur (forms.rs, sdk_problem).
form-problem-required = Répondez à cette question.
form-problem-text = Écrivez un texte.
form-problem-max-length = { $max ->
    [one] Écrivez au plus un caractère.
   *[other] Écrivez au plus { $max } caractères.
}
form-problem-min-length = { $min ->
    [one] Écrivez au moins un caractère.
   *[other] Écrivez au moins { $min } caractères.
}
