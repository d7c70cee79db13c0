# The report dashboard (staff workspace).
staff-report-title = Report
staff-report-intro = How the public's input is being used, as the public report shows it, with what needs your attention first.
staff-report-public-link = See the public report
staff-report-risk-heading = Commitments at risk
staff-report-risk-none = No commitment is at risk: no deadline is near or past with work still to do.
staff-report-todo-respond = { $overdue } contributions are past the deadline without a response and { $soon } more are due within a week. The commitment is to respond within { $days } days of the close.
staff-report-todo-respond-link = Respond to the contributions still waiting
staff-report-todo-outcome = The outcome is not published yet. The commitment is to publish it within { $days } days of the end of the last phase.
staff-report-todo-outcome-link = Write and publish the outcome
staff-report-others-heading = Other commitments
staff-report-use-heading = How the input was used
staff-report-activities-caption = Contributions and responses by activity
staff-report-col-activity = Activity
staff-report-col-contributions = Contributions
staff-report-col-responded = With a response
staff-report-col-waiting = Still waiting
staff-report-generated = Counted on { $when }.
