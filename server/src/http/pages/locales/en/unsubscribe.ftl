# The page an email's unsubscribe link opens.
unsubscribe-title = Stop emails from activities
unsubscribe-intro = Activities on { $instance } (consultations, panels, oversight groups and others) will email you no more.
unsubscribe-still = You will still get the sign-in links you ask for and the organisers’ responses to your input.
unsubscribe-button = Stop emails from activities
unsubscribe-done-title = Emails from activities are stopped
unsubscribe-done-body = Activities on { $instance } will email you no more.
unsubscribe-done-still = You can turn them back on in your account’s email settings.
unsubscribe-settings = Your email settings
unsubscribe-refused-title = This unsubscribe link does not work
unsubscribe-refused-body = It may not have been copied whole. Copy the whole link from the email, or sign in and choose which emails you get in your account.
