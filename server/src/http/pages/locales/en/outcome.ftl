# A process's outcome page.
outcome-page-link = Read the whole outcome, what changed between versions, and its history
outcome-page-title = { $outcome } – { $process }
outcome-page-title-none = Outcome – { $process }
outcome-back = Back to the process:
outcome-caption = Outcome of the process
outcome-title-none = Outcome
outcome-published-on = Published on { $date }
outcome-not-latest = You are reading version { $version }, which is not the latest.
outcome-see-latest = Read the latest version (version { $version })
outcome-note = What changed in this version:
outcome-contents = Sections
outcome-cite = Contribution { $reference }
outcome-more-cites = { $count ->
    [one] and one more, listed in the open data
   *[other] and { $count } more, listed in the open data
}
outcome-changes-heading = What changed from version { $from } to version { $to }
outcome-changes-intro = Section by section. Removed lines are marked “Removed” and struck through; added lines are marked “Added” and underlined.
outcome-no-changes = No section changed.
outcome-heading-was = The heading was:
outcome-line-added = Added:
outcome-line-removed = Removed:
outcome-line-same = Unchanged:
outcome-empty-line = (empty line)
outcome-lines-skipped = … (unchanged lines left out)
outcome-cites-added = { $count ->
    [one] Now also draws on this contribution:
   *[other] Now also draws on these { $count } contributions:
}
outcome-cites-removed = { $count ->
    [one] No longer draws on this contribution:
   *[other] No longer draws on these { $count } contributions:
}
outcome-unchanged-sections = Sections that did not change:
outcome-change-added = new section
outcome-change-removed = section removed
outcome-change-changed = changed
outcome-latest = latest
outcome-hash = Fingerprint (SHA-256) of this version, as recorded in the public ledger:
outcome-ledger-link = Check it in the public ledger
outcome-data = This version as open data (JSON)
