# The moderation queue of a process's workspace.
modqueue-title = Moderation queue
modqueue-heading = Moderation queue
modqueue-intro = Contributions people reported, with what they said. Hide one only when it breaks the rules, and say why: everyone will read your reason, in the public log and in the place of the contribution.
modqueue-public-log = See the public moderation log
modqueue-reported = Reported contributions
modqueue-reported-none = Nobody has reported a contribution that is still shown.
modqueue-hidden = Hidden contributions
modqueue-hidden-none = No contribution of this process is hidden.
modqueue-contribution = Contribution { $ref }
modqueue-hidden-because = Hidden. The reason given:
modqueue-reports = { $count ->
    [one] 1 report
   *[other] { $count } reports
}
modqueue-hide-reason = Why hide it? (public)
modqueue-hide-reason-hint = One sentence everyone will read, for example: "Personal details of another person."
modqueue-hide = Hide contribution { $ref }
modqueue-restore-reason = Why restore it? (public)
modqueue-restore-reason-hint = One sentence everyone will read, for example: "On a second reading it breaks no rule."
modqueue-restore = Restore contribution { $ref }
modqueue-done-hidden = The contribution is hidden. Your reason is in the public log.
modqueue-done-restored = The contribution is shown again. Your reason is in the public log.
modqueue-error-reason-empty = Say why, in one sentence
modqueue-error-reason = Write the reason in at most 1,000 characters, without control characters
modqueue-error-changed = Someone else has just hidden or restored this contribution; see where it is now
