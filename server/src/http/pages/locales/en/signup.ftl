# Creating an account.
signup-title = Create an account
signup-intro = With an account on { $instance } you can take part in processes and see what happens to your input.
signup-email = Email address
signup-email-hint = We will send you a link to confirm it. We never show your email address to anyone.
signup-name = Your name
signup-name-hint = Others see this name next to what you write. It can be your first name or a nickname.
signup-password = Password (optional)
signup-password-hint = { $min ->
    [one] You can always sign in with a link we email you. If you also want to sign in with a password, choose one of at least one character.
   *[other] You can always sign in with a link we email you. If you also want to sign in with a password, choose one of at least { $min } characters.
}
signup-button = Create account
signup-have-account = Already have an account?
signup-sign-in = Sign in
signup-sent-title = Check your email
signup-sent-body = We have sent an email to the address you entered. Select the link in it to finish creating your account and sign in. It may take a few minutes to arrive; look in your spam folder too.
signup-sent-nothing = If the address already had an account, the email says so and lets you sign in instead.
signup-sent-sign-in = Sign in
