# The problems the plugin SDK's own checks report, in the reader's words (forms.rs, sdk_problem).
form-problem-required = Answer this question.
form-problem-text = Write some text.
form-problem-max-length = { $max ->
    [one] Write at most one character.
   *[other] Write at most { $max } characters.
}
form-problem-min-length = { $min ->
    [one] Write at least one character.
   *[other] Write at least { $min } characters.
}
