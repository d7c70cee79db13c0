process-scope = Scope:
process-status = Status:
process-level-heading = Level of participation: { $level }
process-timeline = Timeline
process-now = Where we are now:
process-no-current-phase = No phase is running today.
timeline-milestone = milestone
timeline-now = Now
timeline-done = done
timeline-span = { $from } to { $to }
process-about = About this process
process-activities = How to take part
process-no-activities = There is no activity in this process yet.
activity-state-open = Open
activity-state-upcoming = Not open yet
activity-state-closed = Closed
activity-closes-on = Closes on { $date }
process-commitments = What the organisers committed to
commitment-status = Status:
commitment-met = met
commitment-missed = missed
commitment-at-risk = at risk
commitment-pending = not due yet
commitment-tally = On time: { $on_time }. Late: { $late }. Overdue: { $overdue }. Still open: { $open }.
process-outcome = Outcome
outcome-version = Version { $version }
outcome-cites = { $count ->
    [one] Draws on one contribution.
   *[other] Draws on { $count } contributions.
}
outcome-history = History of the outcome
process-no-outcome = No outcome has been published yet.
process-report = How your input was used
report-contributions = { $count ->
    [one] One contribution was made.
   *[other] { $count } contributions were made.
}
report-responded = { $count } got a public response ({ $share }).
report-delay = Half of the responses came within { $days } days.
report-delay-within-a-day = Half of the responses came within a day.
report-outcome-versions = { $count ->
    [0] No outcome published yet.
    [one] One version of the outcome has been published.
   *[other] { $count } versions of the outcome have been published.
}
report-chart-channels = Contributions by channel
report-contributions-header = Contributions
report-channel-header = Channel
report-total = Total
report-chart-dispositions = What was done with the contributions that got a response
report-responses-header = Responses
report-chart-delays = Days from a contribution to its response
report-days-band = { $band } days
report-delay-header = Time to respond
process-report-data = The report as open data (JSON)
process-related = Related
process-parent = Part of:
process-child = Includes:
process-ledger = Public ledger entries of this process
process-moderation-log = Moderation log
process-manage = Work on this process
process-export-csv = Download every contribution and its response (CSV, for spreadsheets)
process-export-jsonl = Download the whole process as open data (JSON Lines)
process-follow-heading = Follow from another site
process-follow-intro = People on Mastodon and other fediverse apps can follow this process to get its news in their own app: new activities, phases, responses and outcomes.
process-follow-of = The process:
process-follow-address = Its address:
process-follow-how = Search for this address in your app and follow it, or write your own address below: we take you to your site to confirm.
process-follow-label = Your address on your site
process-follow-hint = For example @ana@social.example
process-follow-button = Follow from my site
process-follow-error-empty = Enter your address on your site, for example @ana@social.example
process-follow-error-format = Enter your address as @name@site, for example @ana@social.example
process-follow-error-site = We could not find how to follow from { $site }. Check your address, or search for { $handle } in your app.
