# La page du résultat d’une démarche.
outcome-page-link = Lire le résultat complet, ce qui a changé d’une version à l’autre et son historique
outcome-page-title = { $outcome } – { $process }
outcome-page-title-none = Résultat – { $process }
outcome-back = Retour à la démarche :
outcome-caption = Résultat de la démarche
outcome-title-none = Résultat
outcome-published-on = Publié le { $date }
outcome-not-latest = Vous lisez la version { $version }, qui n’est pas la plus récente.
outcome-see-latest = Lire la version la plus récente (version { $version })
outcome-note = Ce qui a changé dans cette version :
outcome-contents = Sections
outcome-cite = Contribution { $reference }
outcome-more-cites = { $count ->
    [one] et une autre, dans les données ouvertes
   *[other] et { $count } autres, dans les données ouvertes
}
outcome-changes-heading = Ce qui a changé de la version { $from } à la version { $to }
outcome-changes-intro = Section par section. Les lignes supprimées portent la mention « Supprimé » et sont barrées ; les lignes ajoutées portent la mention « Ajouté » et sont soulignées.
outcome-no-changes = Aucune section n’a changé.
outcome-heading-was = Le titre était :
outcome-line-added = Ajouté :
outcome-line-removed = Supprimé :
outcome-line-same = Inchangé :
outcome-empty-line = (ligne vide)
outcome-lines-skipped = … (lignes inchangées omises)
outcome-cites-added = { $count ->
    [one] S’appuie désormais aussi sur cette contribution :
   *[other] S’appuie désormais aussi sur ces { $count } contributions :
}
outcome-cites-removed = { $count ->
    [one] Ne s’appuie plus sur cette contribution :
   *[other] Ne s’appuie plus sur ces { $count } contributions :
}
outcome-unchanged-sections = Sections inchangées :
outcome-change-added = nouvelle section
outcome-change-removed = section supprimée
outcome-change-changed = modifiée
outcome-latest = la plus récente
outcome-hash = Empreinte (SHA-256) de cette version, telle qu’inscrite au registre public :
outcome-ledger-link = La vérifier dans le registre public
outcome-data = Cette version en données ouvertes (JSON)
