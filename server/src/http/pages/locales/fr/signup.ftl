# Créer un compte.
signup-title = Créer un compte
signup-intro = Avec un compte sur { $instance }, vous pouvez participer aux démarches et voir ce que deviennent vos contributions.
signup-email = Adresse e-mail
signup-email-hint = Nous vous enverrons un lien pour la confirmer. Nous ne montrons jamais votre adresse e-mail à personne.
signup-name = Votre nom
signup-name-hint = Les autres voient ce nom à côté de ce que vous écrivez. Ce peut être votre prénom ou un pseudonyme.
signup-password = Mot de passe (facultatif)
signup-password-hint = { $min ->
    [one] Vous pouvez toujours vous connecter avec un lien que nous vous envoyons par e-mail. Si vous voulez aussi vous connecter avec un mot de passe, choisissez-en un d’au moins un caractère.
   *[other] Vous pouvez toujours vous connecter avec un lien que nous vous envoyons par e-mail. Si vous voulez aussi vous connecter avec un mot de passe, choisissez-en un d’au moins { $min } caractères.
}
signup-button = Créer le compte
signup-have-account = Vous avez déjà un compte ?
signup-sign-in = Se connecter
signup-sent-title = Consultez vos e-mails
signup-sent-body = Nous avons envoyé un e-mail à l’adresse saisie. Sélectionnez le lien qu’il contient pour terminer la création de votre compte et vous connecter. Il peut mettre quelques minutes à arriver ; regardez aussi dans vos indésirables.
signup-sent-nothing = Si l’adresse avait déjà un compte, l’e-mail le dit et vous permet de vous connecter.
signup-sent-sign-in = Se connecter
