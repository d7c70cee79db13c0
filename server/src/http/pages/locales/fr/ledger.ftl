# La page du registre public.
ledger-title = Registre public
ledger-title-process = Registre public : { $process }
ledger-intro = Le registre public garde une trace permanente des faits publics de ce site : démarches publiées, phases commencées, réponses données, résultats publiés ou révisés, contributions masquées par la modération. Personne ne peut le réécrire en douce, pas même les personnes qui gèrent ce site.
ledger-what-enters = Seuls les faits publics des démarches publiques y entrent. Les brouillons, les démarches privées et celles accessibles seulement par leur lien n’y laissent aucune trace.
ledger-only-process = Seules les entrées concernant
ledger-show-all = Voir toutes les entrées
ledger-skip-to-verify = Comment vérifier ce registre vous-même
ledger-entries = Entrées
ledger-order = Les plus anciennes d’abord. Chaque entrée porte un numéro ; dans le registre complet, les numéros se suivent sans trou.
ledger-no-more = Il n’y a pas d’autre entrée après celles-ci.
ledger-empty = Rien n’a encore été enregistré.
ledger-entry-number = Entrée { $number }
ledger-about-process = Démarche :
ledger-process-not-listed = Concerne une démarche qui n’est plus publique
ledger-about-activity = Activité :
ledger-about-instance = Concerne le site dans son ensemble
ledger-kind = Type :
ledger-hash = Empreinte (hash) :
ledger-first-page = Revenir aux premières entrées
ledger-verify-heading = Vérifiez par vous-même
ledger-verify-chain = L’empreinte (hash SHA-256) de chaque entrée est calculée sur son contenu et sur l’empreinte de l’entrée précédente. Modifier, supprimer ou réordonner une entrée passée change toutes les empreintes suivantes : la chaîne révèle toute réécriture.
ledger-verify-signature = Chaque empreinte est en outre signée avec la clé privée de ce site (Ed25519). Seul le détenteur de cette clé peut signer : personne d’autre ne peut fabriquer une autre chaîne qui passe la vérification, et le site ne peut pas nier une entrée qu’il a signée.
ledger-verify-key-heading = La clé publique de ce site
ledger-verify-key = Les signatures se vérifient avec cette clé publique (Ed25519, en base64). Comparez-la avec la clé que les organisateurs publient ailleurs, par exemple dans leurs communications officielles : une vérification avec une clé prise sur cette seule page prouve que le registre est cohérent, pas qui l’a écrit.
ledger-verify-command-heading = Vérifier tout le registre
ledger-verify-command = Installez Convene (logiciel libre) et lancez cette commande. Elle télécharge toutes les entrées et vérifie chaque lien, chaque empreinte et chaque signature :
ledger-verify-pinned = Pour vérifier avec une clé obtenue d’une source de confiance, indiquez-la aussi :
ledger-verify-result = La commande répond « Ledger verified » avec la dernière empreinte, ou indique la première entrée qui échoue à la vérification et pourquoi.
ledger-download = Télécharger le registre en données ouvertes (JSON)

# Une phrase par type d’entrée.
ledger-event-process-published = { $activities ->
    [0] La démarche est devenue publique.
    [one] La démarche est devenue publique, avec une activité.
   *[other] La démarche est devenue publique, avec { $activities } activités.
}
ledger-event-process-archived = La démarche est terminée et a été archivée ; son historique reste public.
ledger-event-process-withdrawn = La démarche a été retirée de la vue publique. Le registre n’enregistrera plus rien à son sujet, sauf si elle redevient publique.
ledger-event-phase-started = La phase « { $phase } » a commencé (du { $from } au { $to }).
ledger-event-activity-created = Une nouvelle activité a été ajoutée : « { $activity } ».
ledger-event-activity-opened = Une activité s’est ouverte à la participation.
ledger-event-activity-closed = Une activité s’est fermée : elle ne reçoit plus de contributions.
ledger-event-contribution-hidden = La modération a masqué une contribution, pour ce motif public : « { $reason } ».
ledger-event-contribution-restored = La modération a rétabli une contribution masquée, pour ce motif : « { $reason } ».
ledger-event-responses-given = { $count ->
    [one] Les organisateurs ont publié leur réponse à une contribution : « { $disposition } ».
   *[other] Les organisateurs ont publié leur réponse à { $count } contributions : « { $disposition } ».
}
ledger-event-outcome-published = { $sections ->
    [one] Le résultat a été publié (version { $version }, une section).
   *[other] Le résultat a été publié (version { $version }, { $sections } sections).
}
ledger-event-outcome-revised = { $sections ->
    [one] Le résultat a été révisé : la version { $version } a été publiée, avec une section. Les versions précédentes restent consultables.
   *[other] Le résultat a été révisé : la version { $version } a été publiée, avec { $sections } sections. Les versions précédentes restent consultables.
}
ledger-event-seed-committed = Avant un tirage au sort, les organisateurs se sont engagés sur une graine secrète. Son empreinte (SHA-256) est { $sha256 } ; la graine ne peut plus être changée sans que l’empreinte le révèle.
ledger-event-seed-revealed = La graine du tirage au sort a été révélée : { $seed }. Chacun peut vérifier que son SHA-256 est { $sha256 }, l’empreinte publiée avant le tirage, et refaire le tirage.
ledger-event-plugin-installed = Le type d’activité { $type }, version { $version }, a été installé sur ce site (éditeur : { $publisher }).
ledger-event-plugin-upgraded = Le type d’activité { $type } a été mis à jour en version { $version } (éditeur : { $publisher }).
ledger-event-plugin-rolled-back = Le type d’activité { $type } est revenu de la version { $from_version } à la version { $version }.
ledger-event-plugin-publisher-replaced = Le type d’activité { $type } provient désormais d’un autre éditeur : { $publisher } (auparavant : { $previous_publisher }).
ledger-event-other = Un fait de type { $kind } a été enregistré.
