# The activity page.
activity-breadcrumb = You are here
activity-open-no-close = Open, with no closing date
activity-opens-on = Opens on { $date }
activity-closed-on = Closed on { $date }
activity-take-part = Take part
activity-sign-in-why = Sign in or create an account to take part. Your contribution is published without your name.
activity-sign-in = Sign in to take part
activity-send = Send
activity-received = Your contribution was received
activity-received-reference = Its reference: { $reference }
activity-received-follow = It is shown below. You can follow what happens to it on your page “My input”.
activity-not-saved = Your contribution was not saved. The reason is given below.
activity-too-large = What you wrote is too long to be sent in one contribution. Shorten it and try again.
activity-too-many = { $minutes ->
    [one] You have sent many contributions in a short time. Wait a minute and send again: what you typed is kept below.
   *[other] You have sent many contributions in a short time. Wait { $minutes } minutes and send again: what you typed is kept below.
}
activity-disabled = This activity is not taking contributions at the moment. Try again later.
activity-form-unavailable = This form cannot be shown at the moment.
activity-refusal-process = This process is not taking contributions: it has not been published yet, or it has finished.
activity-refusal-upcoming = This activity opens on { $date }. Come back then to take part.
activity-refusal-upcoming-undated = This activity is not open yet.
activity-refusal-closed = This activity closed on { $date }. Contributions can no longer be made.
activity-refusal-closed-undated = This activity is closed. Contributions can no longer be made.
activity-refusal-observer = You follow this process as an observer. Observers do not contribute.
activity-refusal-attribute = Only people whose account is verified as “{ $attribute }” can take part. You can have it verified on your account page, or ask the organisers.
activity-refusal-roles = Only the { $roles } of this process send this.
activity-role-participant = participants
activity-role-facilitator = facilitators
activity-role-organiser = organisers
activity-roles-and = { $first } and { $last }
activity-results = Results
activity-results-when = Computed on { $date }.
activity-results-recomputing = There are newer contributions: updated results are being computed. Reload the page in a moment.
activity-results-computing = The results are being computed. Reload the page in a moment.
activity-results-unavailable = The results of this activity are unavailable right now. Try again later.
activity-results-none = There are no results yet.
activity-results-pie-as-bars = Shown as bars, which are easier to read and compare than a pie.
activity-results-category = Category
activity-contributions = Contributions
activity-no-contributions = There are no contributions yet.
activity-first-page = First page
activity-yours = Yours
activity-reference = Reference: { $reference }
activity-edited = Changed on { $date }
# Input that came from another instance (federation): the instance it came from.
activity-from-instance = Sent from { $instance }
activity-hidden = Hidden by the moderators. Their reason:
activity-more-values = { $count ->
    [one] One more value is not shown here.
   *[other] { $count } more values are not shown here.
}
activity-open-data = See the whole contribution as open data (JSON)
activity-response = Response: { $disposition }
activity-response-date = Given on { $date }
activity-response-shaped = It shaped these sections of the outcome:

# Taking part from another site (take_part.rs).
take-part-from-heading = Take part from another site
take-part-from-of = The activity:
take-part-from-how = Have an account on another Convene site? Write its name: we take you there, and you send your input from your own account. It arrives here marked with your site's name.
take-part-from-label = Your site
take-part-from-hint = For example town.example
take-part-from-button = Take part from my site
take-part-from-error-empty = Enter the name of your site, for example town.example
take-part-title = Take part in an activity on another site
take-part-intro = Activities on other Convene sites can take input from people here. Paste the address of the activity, as its site shows it, and send your input from your account here.
take-part-address-label = The activity's address
take-part-address-hint = For example https://national.example/ap/activities/0190…
take-part-address-button = Find the activity
take-part-error-empty = Enter the address of the activity on the other site
take-part-error-kind = That activity no longer takes this kind of input. Choose another form.
take-part-in = Take part in “{ $activity }”
take-part-on = An activity on { $site }.
take-part-see-there = See it there
take-part-how = What you send goes to { $site } under your account here, without your name or email. Its organisers answer there, and their response comes back to My input.
take-part-send = Send to { $site }
