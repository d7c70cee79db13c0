responses-page-title = Responses: { $process }
responses-title = Respond to contributions
responses-backlog-heading = Still waiting for a response
responses-backlog = { $waiting ->
    [one] 1 contribution
   *[other] { $waiting } contributions
} of { $total } still { $waiting ->
    [one] has
   *[other] have
} no response.
responses-no-commitment = This process has no commitment to respond within a number of days.
responses-deadline-met = Met
responses-deadline-missed = Missed
responses-deadline-at-risk = At risk
responses-deadline-pending = On track
responses-deadline-detail = Within { $days } days of each activity's close: { $overdue } past the deadline, { $soon } due within 7 days, { $open } due later.
responses-deadline-earliest = The earliest deadline of a contribution still waiting is { $date }.
responses-empty = Nobody has contributed to this process yet. Contributions show here as they come in.
responses-filters = Filter the contributions
responses-filter-activity = Activity
responses-any = Any
responses-filter-channel = Channel
responses-filter-responded = Response
responses-filter-responded-no = Without a response
responses-filter-responded-yes = With a response
responses-filter-disposition = Current response
responses-filter-text = Words in the text
responses-filter-text-hint = Finds contributions that contain all these words. At most { $max } characters.
responses-filter-apply = Filter
responses-filter-clear = Clear the filters
responses-table-heading = Contributions
responses-matching = { $count ->
    [0] No contributions match.
    [one] 1 contribution matches.
   *[other] { $count } contributions match.
}
responses-col-select = Select
responses-col-contribution = Contribution
responses-col-activity = Activity
responses-col-channel = Channel
responses-col-received = Received
responses-col-response = Response
responses-col-action = Action
responses-select-one = Select contribution { $ref }
responses-hidden = Hidden by moderators
responses-none-yet = None yet
responses-respond-link = Respond
responses-respond-link-to = to contribution { $ref }
responses-respond-selected = Respond to the selected contributions
responses-respond-all = { $count ->
    [one] Respond to the 1 matching contribution
   *[other] Respond to all { $count } matching contributions
}
responses-all-hint = Every contribution that matches the filters, on every page, oldest first.
responses-all-capped = One response answers at most { $max } contributions: the oldest { $max } will be answered. Then filter by "Without a response" to answer the rest.
responses-answered = { $count ->
    [one] You responded to 1 contribution. Its author is being told by email.
   *[other] You responded to { $count } contributions. Their authors are being told by email.
}
responses-error-search = Search for at most { $max } characters
responses-error-filter = Choose a value from the list
responses-error-none-selected = Select at least one contribution, or respond to all that match
responses-error-disposition = Choose what you did with the input
responses-error-explanation = Explain your response in at least one language
responses-error-explanation-long = The explanation must be 5000 characters or fewer
responses-error-explanation-characters = The explanation contains characters that cannot be used
responses-error-sections = Each section must be 100 characters or fewer, separated by commas
responses-error-contributions = Some of these contributions can no longer be answered (withdrawn, or not in this process). Go back to the list and choose again.
responses-explanation-in = In { $language }
responses-respond-one-title = Respond to a contribution
responses-respond-many-title = Respond to several contributions
responses-respond-count = { $count ->
    [one] This response answers 1 contribution.
   *[other] This response answers { $count } contributions.
}
responses-back-to-list = Back to the contributions
responses-current = current response: { $disposition }
responses-disposition-legend = What did you do with this input?
responses-disposition-hint = Authors see this beside their contribution.
responses-explanation-legend = Explanation
responses-explanation-hint = Why, in plain words. Write it in at least one language; each author reads it in their language when you give it.
responses-sections-legend = Outcome sections
responses-sections-hint = The parts of the outcome this input shaped, if any.
responses-sections-label = Sections
responses-sections-other = Other sections
responses-sections-field-hint = Their numbers or names, separated by commas, for example 2.1, annex-b.
responses-continue = Continue
responses-send-one = Send the response
responses-cancel = Cancel
responses-confirm-title = { $count ->
    [one] Send this response to 1 contribution?
   *[other] Send this response to { $count } contributions?
}
responses-confirm-count = { $count ->
    [one] You are about to answer 1 contribution with this response.
   *[other] You are about to answer { $count } contributions with this one response.
}
responses-confirm-send = { $count ->
    [one] Send the response to 1 contribution
   *[other] Send the response to { $count } contributions
}
responses-sections-none = None
responses-confirm-public-heading = What happens when you send it
responses-confirm-public-email = Each author is told by email.
responses-confirm-public-pages = The response shows publicly beside each contribution, and counts in the process's report.
responses-confirm-public-ledger = It is recorded in the public ledger, which cannot be changed.
responses-confirm-public-later = You can respond again later; the newest response becomes the current one.
responses-confirm-change = Change the response
