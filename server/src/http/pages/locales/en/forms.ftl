# The form renderer, for every plugin form (contributions, activity configurations).
form-required = (required)
form-error-prefix = Error:
form-error-title-prefix = Error:
form-error-summary-title = There is a problem
form-no-answer = No answer
form-yes = Yes
form-no = No
form-answer-value = Value
form-item-label = { $label }, item { $number }
form-ranking-first = Place 1 (your first choice)
form-ranking-place = Place { $number }
form-ranking-choose = Choose an option
form-limit-chars-max = Up to { $max } characters.
form-limit-chars-min = At least { $min } characters.
form-limit-chars-between = From { $min } to { $max } characters.
form-limit-number = { $whole ->
    [yes] A whole number.
   *[other] A number.
}
form-limit-number-between = { $whole ->
    [yes] A whole number from { $min } to { $max }.
   *[other] A number from { $min } to { $max }.
}
form-limit-number-min = { $whole ->
    [yes] A whole number, at least { $min }.
   *[other] A number, at least { $min }.
}
form-limit-number-max = { $whole ->
    [yes] A whole number, at most { $max }.
   *[other] A number, at most { $max }.
}
form-limit-date = Give the date as year, month and day, for example 2027-03-15.
form-limit-scale = Choose one point from { $min } to { $max }.
form-limit-choose-any = Choose as many as apply.
form-limit-choose-exactly = Choose { $count }.
form-limit-choose-up-to = Choose up to { $max }.
form-limit-choose-at-least = Choose at least { $min }.
form-limit-choose-between = Choose { $min } to { $max }.
form-limit-ranking = { $count ->
    [one] Put the option in place 1.
   *[other] Put the { $count } options in order: choose one option for each place, your first choice in place 1. Use each option once.
}
form-limit-items = There is room for { $count } items. Fill in the ones you need and leave the others empty.
form-more-items = Make room for another item
form-error-number = Enter a number, for example 12 or 3.5.
form-error-whole-number = Enter a whole number, for example 12.
form-error-date = Enter a real date, as year-month-day, for example 2027-03-15.
form-error-scale = Choose a point of the scale, from { $min } to { $max }.
form-error-choice = Choose from the options given.
