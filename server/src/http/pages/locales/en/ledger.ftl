# The public ledger page.
ledger-title = Public ledger
ledger-title-process = Public ledger: { $process }
ledger-intro = The public ledger is a permanent record of the public events of this site: processes published, phases started, responses given, outcomes published or revised, contributions hidden by moderators. Nobody can quietly rewrite it, not even the people who run this site.
ledger-what-enters = Only public facts about public processes enter it. Drafts, private processes and processes reachable only by their link leave no trace here.
ledger-only-process = Only the entries about
ledger-show-all = Show every entry
ledger-skip-to-verify = How to check this record yourself
ledger-entries = Entries
ledger-order = Oldest first. Every entry has a number; in the whole ledger, the numbers follow each other without gaps.
ledger-no-more = There are no more entries after these.
ledger-empty = Nothing has been recorded yet.
ledger-entry-number = Entry { $number }
ledger-about-process = Process:
ledger-process-not-listed = About a process that is no longer public
ledger-about-activity = Activity:
ledger-about-instance = About this site as a whole
ledger-kind = Type:
ledger-hash = Hash:
ledger-first-page = Back to the first entries
ledger-verify-heading = Verify it yourself
ledger-verify-chain = Each entry's hash is a fingerprint (SHA-256) of its content and of the hash of the entry before it. Changing, removing or reordering any past entry changes every hash after it, so the chain shows any rewriting.
ledger-verify-signature = Each hash is also signed with this site's private key (Ed25519). Only the holder of that key can sign, so nobody else can make another chain that passes the check, and the site cannot deny an entry it has signed.
ledger-verify-key-heading = This site's public key
ledger-verify-key = Signatures are checked with this public key (Ed25519, in base64). Compare it with the key the organisers publish elsewhere, for example in their official announcements: a check with a key taken from this page alone proves that the ledger is consistent, not who wrote it.
ledger-verify-command-heading = Check the whole ledger
ledger-verify-command = Install Convene (free software) and run this command. It downloads every entry and checks every link, every hash and every signature:
ledger-verify-pinned = To check with a key you got from a trusted place, give it too:
ledger-verify-result = The command answers “Ledger verified” with the last hash, or names the first entry that fails the check and says why.
ledger-download = Download the ledger as open data (JSON)

# One sentence per kind of entry.
ledger-event-process-published = { $activities ->
    [0] The process became public.
    [one] The process became public, with one activity.
   *[other] The process became public, with { $activities } activities.
}
ledger-event-process-archived = The process finished and was archived; its record stays public.
ledger-event-process-withdrawn = The process was withdrawn from public view. The ledger records nothing more about it unless it becomes public again.
ledger-event-phase-started = The phase “{ $phase }” started ({ $from } to { $to }).
ledger-event-activity-created = A new activity was added: “{ $activity }”.
ledger-event-activity-opened = An activity opened for participation.
ledger-event-activity-closed = An activity closed: it no longer takes contributions.
ledger-event-contribution-hidden = Moderators hid a contribution, giving this public reason: “{ $reason }”.
ledger-event-contribution-restored = Moderators restored a hidden contribution, giving this reason: “{ $reason }”.
ledger-event-responses-given = { $count ->
    [one] The organisers published their response to one contribution: “{ $disposition }”.
   *[other] The organisers published their response to { $count } contributions: “{ $disposition }”.
}
ledger-event-outcome-published = { $sections ->
    [one] The outcome was published (version { $version }, one section).
   *[other] The outcome was published (version { $version }, { $sections } sections).
}
ledger-event-outcome-revised = { $sections ->
    [one] The outcome was revised: version { $version } was published, with one section. Earlier versions stay readable.
   *[other] The outcome was revised: version { $version } was published, with { $sections } sections. Earlier versions stay readable.
}
ledger-event-seed-committed = Before a random draw, the organisers committed to a secret seed. Its fingerprint (SHA-256) is { $sha256 }; the seed cannot be changed afterwards without the fingerprint showing it.
ledger-event-seed-revealed = The seed of the random draw was revealed: { $seed }. Anyone can check that its SHA-256 is { $sha256 }, the fingerprint committed before the draw, and repeat the draw.
ledger-event-plugin-installed = The activity type { $type }, version { $version }, was installed on this site (publisher: { $publisher }).
ledger-event-plugin-upgraded = The activity type { $type } was upgraded to version { $version } (publisher: { $publisher }).
ledger-event-plugin-rolled-back = The activity type { $type } was rolled back from version { $from_version } to version { $version }.
ledger-event-plugin-publisher-replaced = The activity type { $type } now comes from another publisher: { $publisher } (before: { $previous_publisher }).
ledger-event-other = An event of type { $kind } was recorded.
