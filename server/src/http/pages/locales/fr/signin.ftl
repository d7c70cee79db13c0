# Se connecter, se déconnecter, et la page qu’ouvre un lien de connexion.
signin-title = Se connecter
signin-intro = Connectez-vous pour suivre vos contributions, participer et choisir les e-mails que vous recevez.
signin-already = Vous êtes déjà connecté ou connectée en tant que
signin-go-to-account = Aller à votre compte
signin-link-heading = Recevoir un lien de connexion par e-mail
signin-link-explain = { $minutes ->
    [one] Saisissez votre adresse e-mail. Si elle a un compte ici, nous lui enverrons un lien qui vous connecte. Le lien fonctionne une seule fois, pendant une minute.
   *[other] Saisissez votre adresse e-mail. Si elle a un compte ici, nous lui enverrons un lien qui vous connecte. Le lien fonctionne une seule fois, pendant { $minutes } minutes.
}
signin-email = Adresse e-mail
signin-link-button = M’envoyer un lien de connexion
signin-password-heading = Se connecter avec son mot de passe
signin-password-explain = Si vous avez choisi un mot de passe, vous pouvez l’utiliser au lieu d’un lien.
signin-password = Mot de passe
signin-password-button = Se connecter
signin-new-heading = Nouveau ou nouvelle ici ?
signin-create-account = Créer un compte
signin-error-password-empty = Saisissez votre mot de passe
signin-error-refused = L’adresse e-mail ou le mot de passe n’est pas correct, ou l’adresse n’est pas encore confirmée. Vérifiez-les et réessayez, ou demandez un lien de connexion par e-mail.
signin-sent-title = Consultez vos e-mails
signin-sent-body = Si l’adresse saisie a un compte ici, nous lui avons envoyé un e-mail avec un lien de connexion. Il peut mettre quelques minutes à arriver ; regardez aussi dans vos indésirables.
signin-sent-expiry = { $minutes ->
    [one] Le lien fonctionne une seule fois, pendant une minute.
   *[other] Le lien fonctionne une seule fois, pendant { $minutes } minutes.
}
signin-sent-nothing = Si aucun e-mail n’arrive, l’adresse n’a peut-être pas encore de compte, ou elle s’écrit autrement.
signin-sent-again = Demander un autre lien
signout-title = Se déconnecter
signout-here = Se déconnecter sur cet appareil
signout-everywhere = Se déconnecter partout
signout-everywhere-hint = Met fin à toutes les sessions de votre compte, sur tous les appareils et navigateurs, celui-ci compris. Utilisez-le si vous vous êtes connecté ou connectée sur un ordinateur qui n’est pas le vôtre ou si vous pensez que quelqu’un d’autre peut utiliser votre compte.
signout-done-title = Vous êtes déconnecté ou déconnectée
signout-done-body = Vous n’êtes plus connecté ou connectée sur cet appareil.
signout-sign-in-again = Se reconnecter
magic-title = Se connecter
magic-intro = Sélectionnez le bouton pour terminer votre connexion à { $instance }.
magic-button = Se connecter
magic-why = Nous vous demandons de sélectionner le bouton parce que certains logiciels de messagerie ouvrent les liens pour les vérifier, ce qui épuiserait votre lien avant que vous ne l’utilisiez.
magic-refused-title = Ce lien de connexion ne fonctionne pas
magic-refused-body = { $minutes ->
    [one] Un lien de connexion fonctionne une seule fois, pendant une minute. Celui-ci a déjà été utilisé, a expiré ou n’a pas été copié en entier.
   *[other] Un lien de connexion fonctionne une seule fois, pendant { $minutes } minutes. Celui-ci a déjà été utilisé, a expiré ou n’a pas été copié en entier.
}
magic-refused-what-now = Si vous l’avez déjà utilisé, vous êtes peut-être connecté ou connectée : cherchez « Compte » en haut de la page. Sinon, demandez un nouveau lien.
magic-refused-new-link = Recevoir un nouveau lien de connexion
