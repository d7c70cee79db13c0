# La page du compte, et les problèmes que peuvent avoir ses formulaires et ceux d’inscription et de connexion.
account-title = Votre compte
account-email = Adresse e-mail
account-member-since = Compte créé le
account-email-private = Votre adresse e-mail n’est jamais montrée à personne. Nous l’utilisons pour vous envoyer des liens de connexion et les e-mails que vous choisissez ci-dessous.
account-details-heading = Votre nom et votre langue
account-name = Votre nom
account-language = Langue
account-language-hint = La langue de ce site quand vous êtes connecté ou connectée.
account-details-save = Enregistrer le nom et la langue
account-emails-heading = E-mails
account-emails-always = Nous vous envoyons toujours les liens de connexion que vous demandez et les réponses des organisateurs à vos contributions.
account-emails-legend = Autres e-mails
account-emails-activities = E-mails des activités
account-emails-activities-hint = Les messages que vous envoient les activités auxquelles vous avez participé, comme des invitations, des rappels ou des réponses à vos questions. Chacun contient un lien pour ne plus les recevoir.
account-emails-save = Enregistrer les choix d’e-mails
account-password-heading = Mot de passe
account-password-has = Vous pouvez vous connecter avec votre mot de passe ou avec un lien que nous vous envoyons par e-mail.
account-password-none = Vous n’avez pas de mot de passe : vous vous connectez avec des liens que nous vous envoyons par e-mail. Vous pouvez choisir un mot de passe pour vous connecter aussi avec lui.
account-current-password = Mot de passe actuel
account-new-password = Nouveau mot de passe
account-new-password-hint = { $min ->
    [one] Au moins un caractère.
   *[other] Au moins { $min } caractères. Quelques mots sans rapport entre eux font un mot de passe solide et facile à retenir.
}
account-password-change = Changer le mot de passe
account-password-set = Enregistrer le mot de passe
account-saved-details = Votre nom et votre langue ont été enregistrés.
account-saved-emails = Vos choix d’e-mails ont été enregistrés.
account-saved-password = Votre mot de passe a été enregistré.
account-error-email-empty = Saisissez votre adresse e-mail
account-error-email-format = Saisissez une adresse e-mail au bon format, comme nom@exemple.org
account-error-name-empty = Saisissez votre nom
account-error-name-long = Votre nom doit faire 100 caractères au plus
account-error-name-characters = Votre nom ne doit pas contenir de caractères de contrôle ou de mise en forme invisibles
account-error-password-short = Votre mot de passe doit faire au moins 12 caractères
account-error-password-long = Votre mot de passe doit faire 128 caractères au plus
account-error-current-empty = Saisissez votre mot de passe actuel
account-error-current-wrong = Votre mot de passe actuel n’est pas correct
account-error-language = Choisissez une langue dans la liste
