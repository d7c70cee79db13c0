# Sign in, sign out, and the page a sign-in link opens.
signin-title = Sign in
signin-intro = Sign in to follow your input, take part and choose which emails you get.
signin-already = You are already signed in as
signin-go-to-account = Go to your account
signin-link-heading = Get a sign-in link by email
signin-link-explain = { $minutes ->
    [one] Enter your email address. If it has an account here, we will email it a link that signs you in. The link works once, for one minute.
   *[other] Enter your email address. If it has an account here, we will email it a link that signs you in. The link works once, for { $minutes } minutes.
}
signin-email = Email address
signin-link-button = Email me a sign-in link
signin-password-heading = Sign in with your password
signin-password-explain = If you chose a password, you can use it instead of a link.
signin-password = Password
signin-password-button = Sign in
signin-new-heading = New here?
signin-create-account = Create an account
signin-error-password-empty = Enter your password
signin-error-refused = The email address or the password is not right, or the address is not confirmed yet. Check them and try again, or get a sign-in link by email.
signin-sent-title = Check your email
signin-sent-body = If the address you entered has an account here, we have sent it an email with a sign-in link. It may take a few minutes to arrive; look in your spam folder too.
signin-sent-expiry = { $minutes ->
    [one] The link works once, for one minute.
   *[other] The link works once, for { $minutes } minutes.
}
signin-sent-nothing = If no email arrives, the address may have no account yet, or may be spelled differently.
signin-sent-again = Ask for another link
signout-title = Sign out
signout-here = Sign out on this device
signout-everywhere = Sign out everywhere
signout-everywhere-hint = Ends every session of your account, on every device and browser, this one included. Use it if you signed in on a computer that is not yours or think someone else can use your account.
signout-done-title = You are signed out
signout-done-body = You are no longer signed in on this device.
signout-sign-in-again = Sign in again
magic-title = Sign in
magic-intro = Select the button to finish signing in to { $instance }.
magic-button = Sign in
magic-why = We ask you to select the button because some email programs open links to check them, which would use up your link before you do.
magic-refused-title = This sign-in link does not work
magic-refused-body = { $minutes ->
    [one] A sign-in link works once, for one minute. This one has been used already, has expired, or was not copied whole.
   *[other] A sign-in link works once, for { $minutes } minutes. This one has been used already, has expired, or was not copied whole.
}
magic-refused-what-now = If you have already used it, you may be signed in: look for “Account” at the top of the page. Otherwise, ask for a new link.
magic-refused-new-link = Get a new sign-in link
