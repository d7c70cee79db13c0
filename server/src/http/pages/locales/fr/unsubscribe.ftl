# La page qu’ouvre le lien de désinscription d’un e-mail.
unsubscribe-title = Ne plus recevoir d’e-mails des activités
unsubscribe-intro = Les activités de { $instance } (consultations, panels, groupes de suivi et autres) ne vous enverront plus d’e-mails.
unsubscribe-still = Vous recevrez toujours les liens de connexion que vous demandez et les réponses des organisateurs à vos contributions.
unsubscribe-button = Ne plus recevoir d’e-mails des activités
unsubscribe-done-title = Vous ne recevrez plus d’e-mails des activités
unsubscribe-done-body = Les activités de { $instance } ne vous enverront plus d’e-mails.
unsubscribe-done-still = Vous pouvez les réactiver dans les réglages d’e-mails de votre compte.
unsubscribe-settings = Vos réglages d’e-mails
unsubscribe-refused-title = Ce lien de désinscription ne fonctionne pas
unsubscribe-refused-body = Il n’a peut-être pas été copié en entier. Copiez le lien complet depuis l’e-mail, ou connectez-vous et choisissez les e-mails que vous recevez dans votre compte.
