# The facilitator's desk: paper, phone and in-person input entered by staff.
desk-title = Facilitator desk
desk-heading = Facilitator desk
desk-title-entering = Enter input: { $activity }
desk-title-saved = Saved, reference { $reference }. Enter the next
desk-title-saved-member = Saved for the member. Enter the next
desk-intro = Enter what people gave you on paper, by phone or in person. Choose the activity and where the input comes from once; then enter one answer after another.
desk-none-open = No activity of this process is open for input now.
desk-activity = Activity
desk-channel = Where does the input come from?
desk-start = Start entering
desk-activity-label = Activity:
desk-channel-label = From:
desk-change = Change activity or channel
desk-count-you = { $count ->
    [one] You entered 1 answer into this activity today.
   *[other] You entered { $count } answers into this activity today.
}
desk-count-all = { $count ->
    [one] In all, 1 answer was entered today.
   *[other] In all, { $count } answers were entered today.
}
desk-saved = Saved
desk-saved-write = Write this reference on the paper:
desk-saved-member = It is saved in the member's name: they will find it in their own input.
desk-saved-when = Saved at { $when }.
desk-kinds = What to enter
desk-new-entry = Next answer
desk-whose = Whose input is this?
desk-email = Their email, if they are a member of this process (optional)
desk-email-hint = Leave it empty for someone without an account here: the answer is saved without a name.
desk-reference = Reference on the paper (optional)
desk-reference-hint = Leave it empty and a reference is made for you to write on the paper.
desk-save-next = Save and enter the next
desk-not-saved = This answer was not saved.
desk-activity-not-open = This activity is not open for input now. Choose another one.
desk-kind-not-facilitated = Nothing in this activity can be entered on someone else's behalf.
desk-error-email = Enter an email address like name@example.org, or leave it empty
desk-error-not-member = No member of this process has this email. Leave it empty to save the answer without a name
desk-error-reference = Enter a reference of at most 64 letters, numbers and signs, or leave it empty
