# Les pages d'administration de l'instance (/admin).
admin-nav-label = Administration de l'instance
admin-nav-heading = Administration de l'instance
admin-nav-home = Vue d'ensemble
admin-nav-plugins = Extensions
admin-nav-accounts = Comptes
admin-nav-jobs = File des tâches
admin-nav-federation = Fédération
admin-nav-census = Import de recensement
admin-nav-topics = Thèmes
admin-nav-settings = Réglages
admin-yes = Oui
admin-no = Non
admin-cancel = Annuler et revenir
admin-next-page = Page suivante

admin-home-title = Administration de l'instance
admin-home-intro = Seuls les administrateurs de l'instance voient ces pages. Ce que vous faites ici vaut pour toute l'instance.
admin-home-plugins = installer, mettre à jour, désactiver et activer les types d'activité.
admin-home-accounts = trouver un compte, le rendre administrateur, accorder ou retirer des attributs vérifiés.
admin-home-jobs = voir les e-mails et autres travaux en attente, et relancer ceux qui ont échoué.
admin-home-federation = qui suit les démarches depuis d'autres sites, les envois qui ont échoué et les instances bloquées.
admin-home-census = importer une liste d'identifiants, par exemple des habitants, pour que chacun puisse prouver qu'il y figure.
admin-home-topics = les thèmes sous lesquels les processus sont classés.
admin-home-settings = les réglages de l'instance et où les changer.

admin-plugins-title = Extensions installées
admin-plugins-intro = Chaque type d'activité (consultation, table ronde et autres) est une extension. Les extensions tournent isolées : elles n'accèdent ni au réseau, ni aux fichiers, ni à la base de données.
admin-plugins-installed = Types d'activité de cette instance
admin-plugins-none = Aucune extension n'est installée.
admin-plugins-install-heading = Installer une nouvelle extension
admin-plugins-install-intro = Choisissez le fichier .wasm de l'extension et indiquez le SHA-256 publié par son auteur, pour que le serveur installe exactement le fichier attendu.
admin-plugins-install-button = Installer l'extension
admin-plugin-col-type = Type d'activité
admin-plugin-col-version = Version
admin-plugin-col-status = État
admin-plugin-col-source = Origine
admin-plugin-col-publisher = Éditeur
admin-plugin-col-contract = Contrat
admin-plugin-col-sha = SHA-256
admin-plugin-col-installed = Installée le
admin-plugin-status-active = Active
admin-plugin-status-disabled = Désactivée
admin-plugin-status-superseded = Remplacée par une version plus récente
admin-plugin-status-rolled-back = Annulée
admin-plugin-source-builtin = Intégrée au serveur
admin-plugin-source-installed = Installée par un administrateur
admin-plugin-file = Fichier de l'extension (.wasm)
admin-plugin-file-hint = { $mib } Mio au plus. Si la page signale un problème, choisissez de nouveau le fichier.
admin-plugin-sha = SHA-256 attendu
admin-plugin-sha-hint = 64 lettres et chiffres, tels que l'auteur de l'extension les a publiés.
admin-plugin-signature = Signature de l'éditeur (facultatif)
admin-plugin-signature-hint = Telle que « convene plugin sign » de l'auteur l'a écrite, commençant par ed25519:. Sans elle, l'extension est installée sans signature.
admin-plugin-error-no-file = Choisissez le fichier .wasm de l'extension
admin-plugin-error-no-sha = Saisissez le SHA-256 attendu pour le fichier
admin-plugin-title = Extension { $type }
admin-plugin-heading = Extension
admin-plugin-back = Retour à toutes les extensions
admin-plugin-done-installed = L'extension est installée et active. Les organisateurs peuvent désormais ajouter des activités de ce type.
admin-plugin-done-upgraded = L'extension est mise à jour. Les activités existantes de ce type utilisent désormais la nouvelle version.
admin-plugin-done-disabled = L'extension est désactivée.
admin-plugin-done-enabled = L'extension est de nouveau active.
admin-plugin-done-rolled-back = L'extension est revenue à sa version précédente.
admin-plugin-unsigned = Cette extension n'est pas signée : personne ne peut prouver qui l'a publiée, et elle acceptera toute mise à jour non signée. Demandez à son auteur de signer ses versions.
admin-plugin-actions = Ce que vous pouvez faire
admin-plugin-disable = Désactiver
admin-plugin-enable = Activer
admin-plugin-rollback = Revenir à la version précédente
admin-plugin-disabled-means = Tant qu'elle est désactivée, on ne peut pas ajouter d'activité de ce type et ses activités n'acceptent pas de contributions. Rien de ce qui est enregistré n'est perdu.
admin-plugin-upgrade-heading = Passer à une version plus récente
admin-plugin-upgrade-intro = Choisissez le fichier d'une version plus récente de cette même extension. Chaque activité existante de ce type doit accepter la nouvelle version, sinon la mise à jour est refusée.
admin-plugin-upgrade-button = Mettre à jour l'extension
admin-plugin-replace-publisher = Accepter un autre éditeur
admin-plugin-replace-publisher-hint = Seulement si l'auteur a changé de clés ou si vous reprenez l'extension : le code du nouvel éditeur fera tourner toutes les activités de ce type.
admin-plugin-builtin-upgrade = Les extensions intégrées au serveur sont mises à jour avec le serveur lui-même.
admin-plugin-versions = Toutes les versions de cette extension
admin-plugin-disable-title = Désactiver { $type } ?
admin-plugin-disable-what = On ne pourra plus ajouter d'activité de ce type, et ses activités n'accepteront plus de contributions jusqu'à ce que vous la réactiviez.
admin-plugin-disable-kept = Rien n'est supprimé : les contributions, les résultats et les réglages sont conservés.
admin-plugin-disable-button = Désactiver l'extension
admin-plugin-rollback-title = Revenir en arrière pour { $type } ?
admin-plugin-rollback-what = La version { $current } sera remplacée par la version { $previous }, celle qui tournait avant. Les activités existantes gardent leurs données.
admin-plugin-rollback-ledger = Le retour en arrière est inscrit au registre public.
admin-plugin-rollback-button = Revenir en arrière
admin-plugin-rollback-refused = Le retour en arrière a été refusé :

admin-accounts-title = Comptes
admin-accounts-intro = Cherchez un compte par son adresse e-mail pour le rendre administrateur ou lui accorder un attribut vérifié.
admin-accounts-search = L'adresse e-mail contient
admin-accounts-search-hint = Une partie de l'adresse suffit, par exemple @example.org.
admin-accounts-search-button = Chercher
admin-accounts-results = Comptes dont l'adresse contient « { $email } »
admin-accounts-all = Comptes les plus récents
admin-accounts-none = Aucun compte ne correspond.
admin-accounts-col-email = Adresse e-mail
admin-accounts-col-name = Nom
admin-accounts-col-admin = Administrateur
admin-accounts-col-attributes = Attributs vérifiés
admin-account-title = Compte { $email }
admin-account-heading = Compte
admin-account-back = Retour aux comptes
admin-account-language = Langue
admin-account-verified = Adresse confirmée
admin-account-created = Créé le
admin-account-admin-heading = Droit d'administration
admin-account-admin-is = Ce compte administre l'instance.
admin-account-admin-not = Ce compte n'administre pas l'instance.
admin-account-admin-self = C'est votre compte. Vous ne pouvez pas retirer votre propre droit d'administration : un autre administrateur doit le faire, pour que l'instance en garde toujours un.
admin-account-admin-grant = Rendre administrateur
admin-account-admin-remove = Retirer le droit d'administration
admin-account-attributes-heading = Attributs vérifiés
admin-account-attributes-intro = Un attribut vérifié, comme résident, permet de participer aux activités qui lui sont réservées.
admin-account-attributes-none = Ce compte n'a aucun attribut vérifié.
admin-account-col-attribute = Attribut
admin-account-col-source = Accordé par
admin-account-col-granted = Accordé le
admin-account-col-action = Action
admin-account-source-admin = Un administrateur
admin-account-source-census = Une correspondance avec le recensement
admin-account-revoke = Retirer
admin-account-grant-label = Attribut à accorder
admin-account-grant-hint = Lettres minuscules, chiffres et tirets, par exemple resident.
admin-account-grant = Accorder l'attribut
admin-account-error-no-attribute = Saisissez l'attribut à accorder
admin-account-done-admin-granted = Le compte administre désormais l'instance.
admin-account-done-admin-removed = Le compte n'administre plus l'instance.
admin-account-done-granted = L'attribut est accordé.
admin-account-done-revoked = L'attribut est retiré.

admin-jobs-title = File des tâches
admin-jobs-intro = Les e-mails et autres travaux que le serveur fait en arrière-plan. Le contenu des tâches (adresses, textes) n'est pas affiché.
admin-jobs-counts = Tâches par état
admin-jobs-status-pending = En attente
admin-jobs-status-running = En cours
admin-jobs-status-failed = Échouées
admin-jobs-status-done = Terminées
admin-jobs-failed = Tâches échouées
admin-jobs-failed-none = Aucune tâche n'a échoué.
admin-jobs-failed-intro = Ces tâches ont échoué à chaque essai et ne sont plus relancées d'elles-mêmes. Corrigez la cause (un serveur de messagerie, par exemple), puis relancez-les.
admin-jobs-waiting = Tâches en attente
admin-jobs-waiting-none = Aucune tâche n'est en attente.
admin-jobs-col-kind = Type
admin-jobs-col-status = État
admin-jobs-col-attempts = Essais
admin-jobs-col-next = Prochain essai
admin-jobs-col-failed-at = Échouée le
admin-jobs-col-error = Dernière erreur
admin-jobs-col-action = Action
admin-jobs-retry = Relancer
admin-jobs-done-retried = La tâche est de retour dans la file et s'exécutera dans un instant.

admin-census-title = Import de recensement
admin-census-intro = Importez un fichier CSV d'identifiants, par exemple les numéros d'identité des habitants. Une personne qui donne un identifiant de la liste reçoit l'attribut.
admin-census-hashes = Les identifiants eux-mêmes ne sont jamais enregistrés : seulement une empreinte à clé de chacun. Vous verrez les premières lignes avant tout import.
admin-census-attribute = Attribut accordé par le recensement
admin-census-attribute-hint = Lettres minuscules, chiffres et tirets, par exemple resident.
admin-census-file = Fichier CSV
admin-census-file-hint = Une ligne d'en-tête avec une colonne nommée identifier. { $mib } Mio au plus ici ; importez les fichiers plus gros par l'API.
admin-census-preview-button = Voir les premières lignes
admin-census-error-no-attribute = Saisissez l'attribut accordé par le recensement
admin-census-error-no-file = Choisissez le fichier CSV du recensement
admin-census-error-too-large = Le fichier dépasse { $mib } Mio : importez-le par l'API
admin-census-preview-title = Vérifiez le recensement avant de l'importer
admin-census-preview-summary = Le fichier compte { $rows } lignes. Son import accorde l'attribut { $attribute } aux personnes qui donnent l'un de ses identifiants.
admin-census-first-rows = { $count ->
    [one] La première ligne
   *[other] Les { $count } premières lignes
}
admin-census-identifier-column = identifiants
admin-census-preview-stored = Rien n'est encore enregistré. Seule la colonne des identifiants est importée ; les autres sont ignorées.
admin-census-import-button = { $count ->
    [one] Importer 1 ligne
   *[other] Importer { $count } lignes
}
admin-census-choose-another = Choisir un autre fichier
admin-census-done-title = Recensement importé
admin-census-done-summary = { $rows } lignes ont été lues pour l'attribut { $attribute }.
admin-census-rows = Lignes lues
admin-census-imported = Nouveaux identifiants importés
admin-census-already = Déjà dans le recensement
admin-census-rejected = Lignes refusées
admin-census-rejected-heading = Lignes refusées
admin-census-col-line = Ligne
admin-census-col-problem = Problème
admin-census-rejected-more = { $count ->
    [one] Et une autre ligne refusée.
   *[other] Et { $count } autres lignes refusées.
}
admin-census-another = Importer un autre fichier

admin-topics-title = Thèmes
admin-topics-intro = Les processus sont classés par thèmes, pour que chacun trouve ceux qui l'intéressent.
admin-topics-list = Thèmes de cette instance
admin-topics-none = Il n'y a pas encore de thème.
admin-topics-col-slug = Nom court
admin-topics-col-label = Nom ({ $lang })
admin-topics-create = Ajouter un thème
admin-topics-slug = Nom court
admin-topics-slug-hint = Lettres minuscules, chiffres et tirets, utilisés dans les adresses, par exemple donnees-ouvertes.
admin-topics-labels = Le nom du thème
admin-topics-labels-hint = Dans au moins une des langues de l'instance.
admin-topics-create-button = Ajouter le thème
admin-topics-done-created = Le thème est ajouté.

admin-settings-title = Réglages
admin-settings-intro = Ces réglages sont lus au démarrage du serveur. Pour en changer un, modifiez-le dans le fichier de configuration convene.toml ou dans sa variable d'environnement, puis redémarrez le serveur.
admin-settings-caption = Les réglages de l'instance
admin-settings-col-setting = Réglage
admin-settings-col-value = Valeur actuelle
admin-settings-col-where = Où il se règle
admin-settings-name = Nom de l'instance
admin-settings-languages = Langues proposées
admin-settings-default-language = Langue par défaut
admin-settings-public-url = Adresse publique
admin-settings-mail-from = Les e-mails partent de
admin-settings-magic-link = Les liens de connexion durent
admin-settings-refresh = Les sessions durent
admin-settings-minutes = { $n ->
    [one] 1 minute
   *[other] { $n } minutes
}
admin-settings-days = { $n ->
    [one] 1 jour
   *[other] { $n } jours
}

admin-federation-title = Fédération
admin-federation-intro = Les personnes qui utilisent Mastodon ou d'autres sites du fédivers peuvent suivre les démarches publiques : leurs nouvelles sont envoyées aux sites de leurs abonnés. Seules les démarches publiques publiées peuvent être suivies.
admin-federation-status = État
admin-federation-enabled = Fédération
admin-federation-on = Activée
admin-federation-off = Désactivée
admin-federation-off-how = Aucune démarche ne peut être suivie depuis un autre site. Pour activer la fédération, réglez federation.enabled dans convene.toml (ou CONVENE_FEDERATION__ENABLED) et redémarrez le serveur.
admin-federation-actor = L'acteur de cette instance
admin-federation-pending = Envois en attente
admin-federation-followers = Abonnés
admin-federation-followers-intro = Qui suit chaque démarche depuis un autre site.
admin-federation-followers-none = Personne ne suit encore une démarche depuis un autre site.
admin-federation-followers-count = { $count ->
    [one] 1 abonné
   *[other] { $count } abonnés
}
admin-federation-col-follower = Abonné
admin-federation-col-instance = Instance
admin-federation-col-since = Abonné depuis le
admin-federation-failed = Envois échoués
admin-federation-failed-none = Aucun envoi n'a échoué.
admin-federation-failed-intro = Ces envois ont échoué encore et encore jusqu'à être abandonnés. Quand l'autre site fonctionnera de nouveau, relancez-les.
admin-federation-col-inbox = Boîte de réception
admin-federation-col-activity = Activité
admin-federation-col-attempts = Essais
admin-federation-col-error = Dernière erreur
admin-federation-col-given-up = Abandonné le
admin-federation-col-action = Action
admin-federation-retry = Relancer
admin-federation-blocked = Instances bloquées
admin-federation-blocked-intro = Rien n'est envoyé à une instance bloquée ni reçu d'elle, et ses membres ne suivent plus les démarches d'ici.
admin-federation-blocked-none = Aucune instance n'est bloquée.
admin-federation-col-reason = Motif
admin-federation-col-blocked-since = Bloquée depuis le
admin-federation-no-reason = Aucun motif donné
admin-federation-unblock = Débloquer
admin-federation-block = Bloquer une instance
admin-federation-block-instance = Nom de l'instance
admin-federation-block-instance-hint = Par exemple social.example. L'adresse de n'importe laquelle de ses pages convient aussi.
admin-federation-block-reason = Motif (facultatif)
admin-federation-block-reason-hint = Pour les autres administrateurs, par exemple spam. 500 caractères au plus.
admin-federation-block-button = Bloquer l'instance
admin-federation-error-no-instance = Saisissez le nom de l'instance à bloquer, par exemple social.example
admin-federation-error-instance = Saisissez seulement le nom de l'instance, par exemple social.example
admin-federation-done-blocked = L'instance est bloquée. Ses membres ne suivent plus les démarches d'ici.
admin-federation-done-unblocked = L'instance est débloquée. Ses membres peuvent de nouveau suivre les démarches.
admin-federation-done-retried = L'envoi est de retour dans la file et partira dans un instant.
admin-federation-not-blocked = Cette instance n'est pas bloquée.
