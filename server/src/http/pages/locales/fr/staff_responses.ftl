responses-page-title = Réponses : { $process }
responses-title = Répondre aux contributions
responses-backlog-heading = Encore sans réponse
responses-backlog = { $waiting ->
    [one] { $waiting } contribution
   *[other] { $waiting } contributions
} sur { $total } { $waiting ->
    [one] n’a
   *[other] n’ont
} pas encore de réponse.
responses-no-commitment = Ce processus n’a pas d’engagement à répondre dans un nombre de jours.
responses-deadline-met = Tenu
responses-deadline-missed = Non tenu
responses-deadline-at-risk = Menacé
responses-deadline-pending = Dans les temps
responses-deadline-detail = Dans les { $days } jours suivant la clôture de chaque activité : { $overdue } en retard, { $soon } à échéance sous 7 jours, { $open } à échéance plus tard.
responses-deadline-earliest = La plus proche échéance d’une contribution encore sans réponse est le { $date }.
responses-empty = Personne n’a encore contribué à ce processus. Les contributions s’affichent ici à mesure qu’elles arrivent.
responses-filters = Filtrer les contributions
responses-filter-activity = Activité
responses-any = Toutes
responses-filter-channel = Canal
responses-filter-responded = Réponse
responses-filter-responded-no = Sans réponse
responses-filter-responded-yes = Avec une réponse
responses-filter-disposition = Réponse actuelle
responses-filter-text = Mots du texte
responses-filter-text-hint = Trouve les contributions qui contiennent tous ces mots. { $max } caractères au plus.
responses-filter-apply = Filtrer
responses-filter-clear = Effacer les filtres
responses-table-heading = Contributions
responses-matching = { $count ->
    [0] Aucune contribution ne correspond.
    [one] { $count } contribution correspond.
   *[other] { $count } contributions correspondent.
}
responses-col-select = Sélectionner
responses-col-contribution = Contribution
responses-col-activity = Activité
responses-col-channel = Canal
responses-col-received = Reçue le
responses-col-response = Réponse
responses-col-action = Action
responses-select-one = Sélectionner la contribution { $ref }
responses-hidden = Masquée par la modération
responses-none-yet = Pas encore
responses-respond-link = Répondre
responses-respond-link-to = à la contribution { $ref }
responses-respond-selected = Répondre aux contributions sélectionnées
responses-respond-all = { $count ->
    [one] Répondre à la contribution qui correspond
   *[other] Répondre aux { $count } contributions qui correspondent
}
responses-all-hint = Toutes les contributions qui correspondent aux filtres, sur toutes les pages, de la plus ancienne à la plus récente.
responses-all-capped = Une réponse répond à { $max } contributions au plus : les { $max } plus anciennes recevront la réponse. Filtrez ensuite sur « Sans réponse » pour répondre aux autres.
responses-answered = { $count ->
    [one] Vous avez répondu à { $count } contribution. Son auteur en est informé par courriel.
   *[other] Vous avez répondu à { $count } contributions. Leurs auteurs en sont informés par courriel.
}
responses-error-search = Cherchez { $max } caractères au plus
responses-error-filter = Choisissez une valeur de la liste
responses-error-none-selected = Sélectionnez au moins une contribution, ou répondez à toutes celles qui correspondent
responses-error-disposition = Choisissez ce que vous avez fait de cette contribution
responses-error-explanation = Expliquez votre réponse dans au moins une langue
responses-error-explanation-long = L’explication doit faire 5000 caractères au plus
responses-error-explanation-characters = L’explication contient des caractères qui ne peuvent pas être utilisés
responses-error-sections = Chaque section doit faire 100 caractères au plus, séparées par des virgules
responses-error-contributions = Certaines de ces contributions ne peuvent plus recevoir de réponse (retirées, ou d’un autre processus). Revenez à la liste et choisissez à nouveau.
responses-explanation-in = En { $language }
responses-respond-one-title = Répondre à une contribution
responses-respond-many-title = Répondre à plusieurs contributions
responses-respond-count = { $count ->
    [one] Cette réponse répond à { $count } contribution.
   *[other] Cette réponse répond à { $count } contributions.
}
responses-back-to-list = Retour aux contributions
responses-current = réponse actuelle : { $disposition }
responses-disposition-legend = Qu’avez-vous fait de cette contribution ?
responses-disposition-hint = Les auteurs le voient à côté de leur contribution.
responses-explanation-legend = Explication
responses-explanation-hint = Pourquoi, en mots simples. Écrivez-la dans au moins une langue ; chaque auteur la lit dans sa langue si vous la donnez.
responses-sections-legend = Sections du résultat
responses-sections-hint = Les parties du résultat auxquelles cette contribution a servi, le cas échéant.
responses-sections-label = Sections
responses-sections-other = Autres sections
responses-sections-field-hint = Leurs numéros ou noms, séparés par des virgules, par exemple 2.1, annexe-b.
responses-continue = Continuer
responses-send-one = Envoyer la réponse
responses-cancel = Annuler
responses-confirm-title = { $count ->
    [one] Envoyer cette réponse à { $count } contribution ?
   *[other] Envoyer cette réponse à { $count } contributions ?
}
responses-confirm-count = { $count ->
    [one] Vous allez répondre à { $count } contribution avec cette réponse.
   *[other] Vous allez répondre à { $count } contributions avec cette seule réponse.
}
responses-confirm-send = { $count ->
    [one] Envoyer la réponse à { $count } contribution
   *[other] Envoyer la réponse à { $count } contributions
}
responses-sections-none = Aucune
responses-confirm-public-heading = Ce qui se passe quand vous l’envoyez
responses-confirm-public-email = Chaque auteur en est informé par courriel.
responses-confirm-public-pages = La réponse s’affiche publiquement à côté de chaque contribution, et compte dans le rapport du processus.
responses-confirm-public-ledger = Elle est inscrite au registre public, qui ne peut pas être modifié.
responses-confirm-public-later = Vous pouvez répondre à nouveau plus tard ; la réponse la plus récente devient la réponse actuelle.
responses-confirm-change = Modifier la réponse
