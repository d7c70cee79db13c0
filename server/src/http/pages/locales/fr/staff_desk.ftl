# The facilitator's desk: paper, phone and in-person input entered by staff.
desk-title = Guichet d'animation
desk-heading = Guichet d'animation
desk-title-entering = Saisir des contributions : { $activity }
desk-title-saved = Enregistrée, référence { $reference }. Saisissez la suivante
desk-title-saved-member = Enregistrée au nom du membre. Saisissez la suivante
desk-intro = Saisissez ce que les personnes vous ont remis sur papier, par téléphone ou en personne. Choisissez une fois l'activité et la provenance ; saisissez ensuite les réponses l'une après l'autre.
desk-none-open = Aucune activité de ce processus n'est ouverte en ce moment.
desk-activity = Activité
desk-channel = D'où viennent les contributions ?
desk-start = Commencer la saisie
desk-activity-label = Activité :
desk-channel-label = Provenance :
desk-change = Changer d'activité ou de provenance
desk-count-you = { $count ->
    [one] Vous avez saisi 1 réponse dans cette activité aujourd'hui.
   *[other] Vous avez saisi { $count } réponses dans cette activité aujourd'hui.
}
desk-count-all = { $count ->
    [one] Au total, 1 réponse a été saisie aujourd'hui.
   *[other] Au total, { $count } réponses ont été saisies aujourd'hui.
}
desk-saved = Enregistrée
desk-saved-write = Écrivez cette référence sur le papier :
desk-saved-member = Elle est enregistrée au nom du membre : il la retrouvera dans ses propres contributions.
desk-saved-when = Enregistrée le { $when }.
desk-kinds = Que saisir
desk-new-entry = Réponse suivante
desk-whose = À qui est cette contribution ?
desk-email = Son adresse e-mail, si la personne est membre de ce processus (facultatif)
desk-email-hint = Laissez vide pour une personne sans compte ici : la réponse est enregistrée sans nom.
desk-reference = Référence inscrite sur le papier (facultatif)
desk-reference-hint = Si vous laissez vide, une référence est créée pour que vous l'écriviez sur le papier.
desk-save-next = Enregistrer et saisir la suivante
desk-not-saved = Cette réponse n'a pas été enregistrée.
desk-activity-not-open = Cette activité n'est pas ouverte en ce moment. Choisissez-en une autre.
desk-kind-not-facilitated = Rien dans cette activité ne peut être saisi au nom d'une autre personne.
desk-error-email = Saisissez une adresse comme nom@exemple.org, ou laissez vide
desk-error-not-member = Aucun membre de ce processus n'a cette adresse. Laissez vide pour enregistrer la réponse sans nom
desk-error-reference = Saisissez une référence de 64 lettres, chiffres et signes au plus, ou laissez vide
