# The account page, and the problems its forms and the sign-up and sign-in forms can have.
account-title = Your account
account-email = Email address
account-member-since = Account created
account-email-private = Your email address is never shown to anyone. We use it to send you sign-in links and the emails you choose below.
account-details-heading = Your name and language
account-name = Your name
account-language = Language
account-language-hint = The language of this site when you are signed in.
account-details-save = Save name and language
account-emails-heading = Emails
account-emails-always = We always email you sign-in links you ask for and the organisers’ responses to your input.
account-emails-legend = Other emails
account-emails-activities = Emails from activities
account-emails-activities-hint = Messages that the activities you took part in send you, such as invitations, reminders or answers to your questions. Each one has a link to stop them.
account-emails-save = Save email choices
account-password-heading = Password
account-password-has = You can sign in with your password or with a link we email you.
account-password-none = You have no password: you sign in with links we email you. You can set a password to sign in with it too.
account-current-password = Current password
account-new-password = New password
account-new-password-hint = { $min ->
    [one] At least one character.
   *[other] At least { $min } characters. A few unrelated words make a strong password that is easy to remember.
}
account-password-change = Change password
account-password-set = Set password
account-saved-details = Your name and language have been saved.
account-saved-emails = Your email choices have been saved.
account-saved-password = Your password has been saved.
account-error-email-empty = Enter your email address
account-error-email-format = Enter an email address in the correct format, like name@example.org
account-error-name-empty = Enter your name
account-error-name-long = Your name must be 100 characters or fewer
account-error-name-characters = Your name must not contain control or invisible formatting characters
account-error-password-short = Your password must be at least 12 characters
account-error-password-long = Your password must be 128 characters or fewer
account-error-current-empty = Enter your current password
account-error-current-wrong = Your current password is not right
account-error-language = Choose a language from the list
