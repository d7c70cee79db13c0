# The moderation queue of a process's workspace.
modqueue-title = File de modération
modqueue-heading = File de modération
modqueue-intro = Les contributions signalées, avec ce qu'en disent les signalements. N'en masquez une que si elle enfreint les règles, et dites pourquoi : tout le monde lira votre motif, dans le journal public et à la place de la contribution.
modqueue-public-log = Voir le journal public de modération
modqueue-reported = Contributions signalées
modqueue-reported-none = Personne n'a signalé de contribution encore affichée.
modqueue-hidden = Contributions masquées
modqueue-hidden-none = Aucune contribution de ce processus n'est masquée.
modqueue-contribution = Contribution { $ref }
modqueue-hidden-because = Masquée. Motif donné :
modqueue-reports = { $count ->
    [one] 1 signalement
   *[other] { $count } signalements
}
modqueue-hide-reason = Pourquoi la masquer ? (public)
modqueue-hide-reason-hint = Une phrase que tout le monde lira, par exemple : « Données personnelles d'une autre personne. »
modqueue-hide = Masquer la contribution { $ref }
modqueue-restore-reason = Pourquoi la rétablir ? (public)
modqueue-restore-reason-hint = Une phrase que tout le monde lira, par exemple : « Relue, elle n'enfreint aucune règle. »
modqueue-restore = Rétablir la contribution { $ref }
modqueue-done-hidden = La contribution est masquée. Votre motif figure dans le journal public.
modqueue-done-restored = La contribution est de nouveau affichée. Votre motif figure dans le journal public.
modqueue-error-reason-empty = Dites pourquoi, en une phrase
modqueue-error-reason = Écrivez le motif en 1 000 caractères au plus, sans caractères de contrôle
modqueue-error-changed = Quelqu'un d'autre vient de masquer ou de rétablir cette contribution ; voyez où elle se trouve maintenant
