# My input and what happened to it.
my-input-title = My input
my-input-intro = Everything you contributed, newest first, and what the organisers did with it.
my-input-empty = You have not contributed anything yet.
my-input-empty-how = To take part, choose an open process, then one of its activities, and give your views. Everything you contribute appears here, with the organisers’ response when they give it.
my-input-find-process = Find an open process
my-input-no-more = There is nothing more.
my-input-back-to-newest = Back to your newest input
my-input-activity = Activity
my-input-date = Sent on
my-input-edited = changed on { $date }
my-input-channel = How
my-input-reference = reference
my-input-status = Where it stands
my-input-status-visible = Published
my-input-status-hidden = Hidden by the moderators
my-input-status-withdrawn = Withdrawn by you
my-input-awaiting = Awaiting a response from the organisers.
my-input-responded = The organisers have responded.
my-input-what-you-said = What you said
my-input-response-heading = The organisers’ response, { $date }
my-input-disposition = What they did with it:
my-input-shaped = { $count ->
    [one] It shaped this part of the outcome:
   *[other] It shaped these parts of the outcome:
}
my-input-see-outcome = See the outcome
my-input-older = Older input
my-input-sent-heading = Sent to other sites
my-input-sent-none = You have not taken part in activities on other sites.
my-input-sent-how = Take part in an activity on another site
my-input-sent-to = To { $site }
my-input-sent-just = Sent to { $site }
my-input-sent-sending = Waiting for the other site: it will be sent when it can be reached
my-input-sent-accepted = Received by the other site
my-input-sent-refused = Refused by the other site
my-input-sent-hidden = Hidden by the other site's moderators
my-input-sent-responded = Responded
