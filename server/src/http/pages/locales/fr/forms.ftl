# Le générateur de formulaires, pour tous les formulaires des plugins (contributions, configuration des activités).
form-required = (obligatoire)
form-error-prefix = Erreur :
form-error-title-prefix = Erreur :
form-error-summary-title = Il y a un problème
form-no-answer = Pas de réponse
form-yes = Oui
form-no = Non
form-answer-value = Valeur
form-item-label = { $label }, élément { $number }
form-ranking-first = Place 1 (votre premier choix)
form-ranking-place = Place { $number }
form-ranking-choose = Choisissez une option
form-limit-chars-max = Jusqu’à { $max } caractères.
form-limit-chars-min = Au moins { $min } caractères.
form-limit-chars-between = De { $min } à { $max } caractères.
form-limit-number = { $whole ->
    [yes] Un nombre entier.
   *[other] Un nombre.
}
form-limit-number-between = { $whole ->
    [yes] Un nombre entier de { $min } à { $max }.
   *[other] Un nombre de { $min } à { $max }.
}
form-limit-number-min = { $whole ->
    [yes] Un nombre entier, au moins { $min }.
   *[other] Un nombre, au moins { $min }.
}
form-limit-number-max = { $whole ->
    [yes] Un nombre entier, au plus { $max }.
   *[other] Un nombre, au plus { $max }.
}
form-limit-date = Indiquez la date en année, mois et jour, par exemple 2027-03-15.
form-limit-scale = Choisissez un point de { $min } à { $max }.
form-limit-choose-any = Choisissez toutes les réponses qui conviennent.
form-limit-choose-exactly = Choisissez-en { $count }.
form-limit-choose-up-to = Choisissez-en jusqu’à { $max }.
form-limit-choose-at-least = Choisissez-en au moins { $min }.
form-limit-choose-between = Choisissez-en de { $min } à { $max }.
form-limit-ranking = { $count ->
    [one] Mettez l’option à la place 1.
   *[other] Classez les { $count } options : choisissez une option pour chaque place, votre premier choix à la place 1. Utilisez chaque option une seule fois.
}
form-limit-items = Il y a de la place pour { $count } éléments. Remplissez ceux dont vous avez besoin et laissez les autres vides.
form-more-items = Ajouter de la place pour un autre élément
form-error-number = Saisissez un nombre, par exemple 12 ou 3,5.
form-error-whole-number = Saisissez un nombre entier, par exemple 12.
form-error-date = Saisissez une date réelle, en année-mois-jour, par exemple 2027-03-15.
form-error-scale = Choisissez un point de l’échelle, de { $min } à { $max }.
form-error-choice = Choisissez parmi les options proposées.
