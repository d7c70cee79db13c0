# La page d’une activité.
activity-breadcrumb = Vous êtes ici
activity-open-no-close = Ouverte, sans date de clôture
activity-opens-on = Ouvre le { $date }
activity-closed-on = Clôturée le { $date }
activity-take-part = Participer
activity-sign-in-why = Connectez-vous ou créez un compte pour participer. Votre contribution est publiée sans votre nom.
activity-sign-in = Se connecter pour participer
activity-send = Envoyer
activity-received = Votre contribution a bien été reçue
activity-received-reference = Sa référence : { $reference }
activity-received-follow = Elle est affichée ci-dessous. Vous pouvez suivre ce qu’elle devient sur votre page « Mes contributions ».
activity-not-saved = Votre contribution n’a pas été enregistrée. La raison est indiquée ci-dessous.
activity-too-large = Votre texte est trop long pour être envoyé en une seule contribution. Raccourcissez-le et réessayez.
activity-too-many = { $minutes ->
    [one] Vous avez envoyé beaucoup de contributions en peu de temps. Attendez une minute et renvoyez : ce que vous avez saisi est conservé ci-dessous.
   *[other] Vous avez envoyé beaucoup de contributions en peu de temps. Attendez { $minutes } minutes et renvoyez : ce que vous avez saisi est conservé ci-dessous.
}
activity-disabled = Cette activité n’accepte pas de contributions pour le moment. Réessayez plus tard.
activity-form-unavailable = Ce formulaire ne peut pas être affiché pour le moment.
activity-refusal-process = Ce processus n’accepte pas de contributions : il n’est pas encore publié, ou il est terminé.
activity-refusal-upcoming = Cette activité ouvre le { $date }. Revenez à cette date pour participer.
activity-refusal-upcoming-undated = Cette activité n’est pas encore ouverte.
activity-refusal-closed = Cette activité a été clôturée le { $date }. Il n’est plus possible de contribuer.
activity-refusal-closed-undated = Cette activité est clôturée. Il n’est plus possible de contribuer.
activity-refusal-observer = Vous suivez ce processus en tant qu’observateur. Les observateurs ne contribuent pas.
activity-refusal-attribute = Seules les personnes dont le compte est vérifié comme « { $attribute } » peuvent participer. Vous pouvez le faire vérifier depuis la page de votre compte, ou le demander aux organisateurs.
activity-refusal-roles = Seuls les { $roles } de ce processus envoient ceci.
activity-role-participant = participants
activity-role-facilitator = animateurs
activity-role-organiser = organisateurs
activity-roles-and = { $first } et { $last }
activity-results = Résultats
activity-results-when = Calculés le { $date }.
activity-results-recomputing = Il y a des contributions plus récentes : des résultats à jour sont en cours de calcul. Rechargez la page dans un instant.
activity-results-computing = Les résultats sont en cours de calcul. Rechargez la page dans un instant.
activity-results-unavailable = Les résultats de cette activité sont indisponibles pour le moment. Réessayez plus tard.
activity-results-none = Il n’y a pas encore de résultats.
activity-results-pie-as-bars = Affiché en barres, plus faciles à lire et à comparer qu’un camembert.
activity-results-category = Catégorie
activity-contributions = Contributions
activity-no-contributions = Il n’y a pas encore de contributions.
activity-first-page = Première page
activity-yours = La vôtre
activity-reference = Référence : { $reference }
activity-edited = Modifiée le { $date }
# Input that came from another instance (federation): the instance it came from.
activity-from-instance = Envoyée depuis { $instance }
activity-hidden = Masquée par la modération. Sa raison :
activity-more-values = { $count ->
    [one] Une valeur de plus n’est pas affichée ici.
   *[other] { $count } valeurs de plus ne sont pas affichées ici.
}
activity-open-data = Voir la contribution entière en données ouvertes (JSON)
activity-response = Réponse : { $disposition }
activity-response-date = Donnée le { $date }
activity-response-shaped = Elle a inspiré ces sections du résultat :

# Participer depuis un autre site (take_part.rs).
take-part-from-heading = Participer depuis un autre site
take-part-from-of = L’activité :
take-part-from-how = Vous avez un compte sur un autre site Convene ? Écrivez son nom : nous vous y emmenons et vous envoyez votre contribution depuis votre propre compte. Elle arrive ici avec le nom de votre site.
take-part-from-label = Votre site
take-part-from-hint = Par exemple commune.example
take-part-from-button = Participer depuis mon site
take-part-from-error-empty = Saisissez le nom de votre site, par exemple commune.example
take-part-title = Participer à une activité d’un autre site
take-part-intro = Les activités d’autres sites Convene peuvent recevoir des contributions de personnes d’ici. Collez l’adresse de l’activité, telle que son site l’affiche, et envoyez votre contribution depuis votre compte ici.
take-part-address-label = L’adresse de l’activité
take-part-address-hint = Par exemple https://national.example/ap/activities/0190…
take-part-address-button = Trouver l’activité
take-part-error-empty = Saisissez l’adresse de l’activité sur l’autre site
take-part-error-kind = Cette activité ne reçoit plus ce type de contribution. Choisissez un autre formulaire.
take-part-in = Participer à « { $activity } »
take-part-on = Une activité de { $site }.
take-part-see-there = La voir là-bas
take-part-how = Ce que vous envoyez part vers { $site } avec votre compte d’ici, sans votre nom ni votre adresse e-mail. Ses organisateurs répondent là-bas, et leur réponse revient dans Mes contributions.
take-part-send = Envoyer à { $site }
