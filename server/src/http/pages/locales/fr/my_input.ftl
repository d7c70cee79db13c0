# Mes contributions et ce qu’elles sont devenues.
my-input-title = Mes contributions
my-input-intro = Tout ce que vous avez apporté, du plus récent au plus ancien, et ce que les organisateurs en ont fait.
my-input-empty = Vous n’avez encore rien apporté.
my-input-empty-how = Pour participer, choisissez une démarche ouverte, puis l’une de ses activités, et donnez votre avis. Tout ce que vous apportez s’affiche ici, avec la réponse des organisateurs quand ils la donnent.
my-input-find-process = Trouver une démarche ouverte
my-input-no-more = Il n’y a rien de plus.
my-input-back-to-newest = Revenir à vos contributions les plus récentes
my-input-activity = Activité
my-input-date = Envoyée le
my-input-edited = modifiée le { $date }
my-input-channel = Comment
my-input-reference = référence
my-input-status = Où elle en est
my-input-status-visible = Publiée
my-input-status-hidden = Masquée par la modération
my-input-status-withdrawn = Retirée par vous
my-input-awaiting = En attente d’une réponse des organisateurs.
my-input-responded = Les organisateurs ont répondu.
my-input-what-you-said = Ce que vous avez dit
my-input-response-heading = La réponse des organisateurs, { $date }
my-input-disposition = Ce qu’ils en ont fait :
my-input-shaped = { $count ->
    [one] Elle a inspiré cette partie du résultat :
   *[other] Elle a inspiré ces parties du résultat :
}
my-input-see-outcome = Voir le résultat
my-input-older = Contributions plus anciennes
my-input-sent-heading = Envoyé à d’autres sites
my-input-sent-none = Vous n’avez pas participé à des activités d’autres sites.
my-input-sent-how = Participer à une activité d’un autre site
my-input-sent-to = À { $site }
my-input-sent-just = Envoyé à { $site }
my-input-sent-sending = En attente de l’autre site : envoi dès qu’il sera joignable
my-input-sent-accepted = Reçu par l’autre site
my-input-sent-refused = Refusé par l’autre site
my-input-sent-hidden = Masqué par les modérateurs de l’autre site
my-input-sent-responded = Répondu
