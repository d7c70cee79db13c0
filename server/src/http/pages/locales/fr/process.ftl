process-scope = Échelle :
process-status = État :
process-level-heading = Niveau de participation : { $level }
process-timeline = Calendrier
process-now = Où nous en sommes :
process-no-current-phase = Aucune phase n’est en cours aujourd’hui.
timeline-milestone = étape
timeline-now = Maintenant
timeline-done = terminée
timeline-span = du { $from } au { $to }
process-about = À propos de cette démarche
process-activities = Comment participer
process-no-activities = Cette démarche n’a pas encore d’activité.
activity-state-open = Ouverte
activity-state-upcoming = Pas encore ouverte
activity-state-closed = Fermée
activity-closes-on = Ferme le { $date }
process-commitments = Ce à quoi les organisateurs se sont engagés
commitment-status = État :
commitment-met = tenu
commitment-missed = non tenu
commitment-at-risk = menacé
commitment-pending = pas encore échu
commitment-tally = Dans les délais : { $on_time }. En retard : { $late }. Échues : { $overdue }. En attente : { $open }.
process-outcome = Résultat
outcome-version = Version { $version }
outcome-cites = { $count ->
    [one] S’appuie sur une contribution.
   *[other] S’appuie sur { $count } contributions.
}
outcome-history = Historique du résultat
process-no-outcome = Aucun résultat n’a encore été publié.
process-report = Ce que sont devenues vos contributions
report-contributions = { $count ->
    [one] Une contribution a été faite.
   *[other] { $count } contributions ont été faites.
}
report-responded = { $count } ont reçu une réponse publique ({ $share }).
report-delay = La moitié des réponses sont arrivées en { $days } jours ou moins.
report-delay-within-a-day = La moitié des réponses sont arrivées en moins d’un jour.
report-outcome-versions = { $count ->
    [0] Aucun résultat publié pour l’instant.
    [one] Une version du résultat a été publiée.
   *[other] { $count } versions du résultat ont été publiées.
}
report-chart-channels = Contributions par canal
report-contributions-header = Contributions
report-channel-header = Canal
report-total = Total
report-chart-dispositions = Ce qui a été fait des contributions qui ont reçu une réponse
report-responses-header = Réponses
report-chart-delays = Jours entre une contribution et sa réponse
report-days-band = { $band } jours
report-delay-header = Délai de réponse
process-report-data = Le rapport en données ouvertes (JSON)
process-related = Liens
process-parent = Fait partie de :
process-child = Comprend :
process-ledger = Entrées du registre public de cette démarche
process-moderation-log = Journal de modération
process-manage = Travailler sur ce processus
process-export-csv = Télécharger toutes les contributions et leurs réponses (CSV, pour tableurs)
process-export-jsonl = Télécharger tout le processus en données ouvertes (JSON Lines)
process-follow-heading = Suivre depuis un autre site
process-follow-intro = Les personnes qui utilisent Mastodon ou une autre application du fédivers peuvent suivre cette démarche pour recevoir ses nouvelles dans leur propre application : nouvelles activités, phases, réponses et résultats.
process-follow-of = La démarche :
process-follow-address = Son adresse :
process-follow-how = Cherchez cette adresse dans votre application et suivez-la, ou écrivez votre propre adresse ci-dessous : nous vous emmenons sur votre site pour confirmer.
process-follow-label = Votre adresse sur votre site
process-follow-hint = Par exemple @ana@social.example
process-follow-button = Suivre depuis mon site
process-follow-error-empty = Saisissez votre adresse sur votre site, par exemple @ana@social.example
process-follow-error-format = Saisissez votre adresse sous la forme @nom@site, par exemple @ana@social.example
process-follow-error-site = Nous n’avons pas trouvé comment suivre depuis { $site }. Vérifiez votre adresse, ou cherchez { $handle } dans votre application.
