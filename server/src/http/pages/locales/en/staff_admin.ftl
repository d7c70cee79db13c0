# The instance administrator's pages (/admin).
admin-nav-label = Instance administration
admin-nav-heading = Instance administration
admin-nav-home = Overview
admin-nav-plugins = Plugins
admin-nav-accounts = Accounts
admin-nav-jobs = Job queue
admin-nav-federation = Federation
admin-nav-census = Census import
admin-nav-topics = Topics
admin-nav-settings = Settings
admin-yes = Yes
admin-no = No
admin-cancel = Cancel, go back
admin-next-page = Next page

admin-home-title = Instance administration
admin-home-intro = Only instance administrators can see these pages. What you do here applies to the whole instance.
admin-home-plugins = install, upgrade, disable and enable the activity types.
admin-home-accounts = find an account, make it an administrator, grant or revoke verified attributes.
admin-home-jobs = see the emails and other work waiting to be done, and try failed work again.
admin-home-federation = who follows the processes from other sites, deliveries that failed, and blocked instances.
admin-home-census = import a list of identifiers, for example of residents, so that people can prove they are on it.
admin-home-topics = the topics processes can be filed under.
admin-home-settings = the instance's settings and where to change them.

admin-plugins-title = Installed plugins
admin-plugins-intro = Each activity type (consultation, roundtable and others) is a plugin. Plugins run in a sandbox: they cannot reach the network, the files or the database.
admin-plugins-installed = Activity types on this instance
admin-plugins-none = No plugins are installed.
admin-plugins-install-heading = Install a new plugin
admin-plugins-install-intro = Choose the plugin's .wasm file and give the SHA-256 its author published, so that the server installs exactly the file you expect.
admin-plugins-install-button = Install plugin
admin-plugin-col-type = Activity type
admin-plugin-col-version = Version
admin-plugin-col-status = Status
admin-plugin-col-source = Source
admin-plugin-col-publisher = Publisher
admin-plugin-col-contract = Contract
admin-plugin-col-sha = SHA-256
admin-plugin-col-installed = Installed
admin-plugin-status-active = Active
admin-plugin-status-disabled = Disabled
admin-plugin-status-superseded = Replaced by a newer version
admin-plugin-status-rolled-back = Rolled back
admin-plugin-source-builtin = Built into the server
admin-plugin-source-installed = Installed by an administrator
admin-plugin-file = Plugin file (.wasm)
admin-plugin-file-hint = { $mib } MiB at most. If the page shows a problem, choose the file again.
admin-plugin-sha = Expected SHA-256
admin-plugin-sha-hint = 64 letters and digits, as the plugin's author published them.
admin-plugin-signature = Publisher's signature (optional)
admin-plugin-signature-hint = As the author's "convene plugin sign" wrote it, starting with ed25519:. Without it the plugin is installed as unsigned.
admin-plugin-error-no-file = Choose the plugin's .wasm file
admin-plugin-error-no-sha = Enter the SHA-256 you expect the file to have
admin-plugin-title = Plugin { $type }
admin-plugin-heading = Plugin
admin-plugin-back = Back to all plugins
admin-plugin-done-installed = The plugin is installed and active. Organisers can now add activities of this type.
admin-plugin-done-upgraded = The plugin is upgraded. Existing activities of this type now run the new version.
admin-plugin-done-disabled = The plugin is disabled.
admin-plugin-done-enabled = The plugin is enabled again.
admin-plugin-done-rolled-back = The plugin is back at its previous version.
admin-plugin-unsigned = This plugin is unsigned: nobody can prove who published it, and it will accept any unsigned upgrade. Ask its author to sign their releases.
admin-plugin-actions = What you can do
admin-plugin-disable = Disable
admin-plugin-enable = Enable
admin-plugin-rollback = Roll back to the previous version
admin-plugin-disabled-means = While it is disabled, no new activities of this type can be added and its activities do not take contributions. Nothing stored is lost.
admin-plugin-upgrade-heading = Upgrade to a newer version
admin-plugin-upgrade-intro = Choose the file of a newer version of this same plugin. Every existing activity of this type must accept the new version, or the upgrade is refused.
admin-plugin-upgrade-button = Upgrade plugin
admin-plugin-replace-publisher = Accept another publisher
admin-plugin-replace-publisher-hint = Only if the author changed keys or you take the plugin over: the new publisher's code then runs every activity of this type.
admin-plugin-builtin-upgrade = Plugins built into the server are upgraded with the server itself.
admin-plugin-versions = Every version of this plugin
admin-plugin-disable-title = Disable { $type }?
admin-plugin-disable-what = No new activities of this type can be added, and its activities stop taking contributions until you enable it again.
admin-plugin-disable-kept = Nothing is deleted: contributions, results and settings are kept.
admin-plugin-disable-button = Disable plugin
admin-plugin-rollback-title = Roll back { $type }?
admin-plugin-rollback-what = Version { $current } will be replaced by version { $previous }, the one that ran before. Existing activities keep their data.
admin-plugin-rollback-ledger = The rollback is written into the public ledger.
admin-plugin-rollback-button = Roll back
admin-plugin-rollback-refused = The rollback was refused:

admin-accounts-title = Accounts
admin-accounts-intro = Find an account by its email address to make it an administrator or to grant it a verified attribute.
admin-accounts-search = Email address contains
admin-accounts-search-hint = Part of an address is enough, for example @example.org.
admin-accounts-search-button = Search
admin-accounts-results = Accounts whose address contains “{ $email }”
admin-accounts-all = Newest accounts
admin-accounts-none = No account matches.
admin-accounts-col-email = Email address
admin-accounts-col-name = Name
admin-accounts-col-admin = Administrator
admin-accounts-col-attributes = Verified attributes
admin-account-title = Account { $email }
admin-account-heading = Account
admin-account-back = Back to the accounts
admin-account-language = Language
admin-account-verified = Address confirmed
admin-account-created = Created
admin-account-admin-heading = Administrator right
admin-account-admin-is = This account is an instance administrator.
admin-account-admin-not = This account is not an instance administrator.
admin-account-admin-self = This is your account. You cannot remove your own administrator right: another administrator must do it, so the instance always keeps one.
admin-account-admin-grant = Make administrator
admin-account-admin-remove = Remove administrator right
admin-account-attributes-heading = Verified attributes
admin-account-attributes-intro = A verified attribute, such as resident, lets a person take part in activities limited to it.
admin-account-attributes-none = This account has no verified attributes.
admin-account-col-attribute = Attribute
admin-account-col-source = Granted by
admin-account-col-granted = Granted on
admin-account-col-action = Action
admin-account-source-admin = An administrator
admin-account-source-census = A census match
admin-account-revoke = Revoke
admin-account-grant-label = Attribute to grant
admin-account-grant-hint = Lower-case letters, digits and hyphens, for example resident.
admin-account-grant = Grant attribute
admin-account-error-no-attribute = Enter the attribute to grant
admin-account-done-admin-granted = The account is now an instance administrator.
admin-account-done-admin-removed = The account is no longer an instance administrator.
admin-account-done-granted = The attribute is granted.
admin-account-done-revoked = The attribute is revoked.

admin-jobs-title = Job queue
admin-jobs-intro = Emails and other work the server does in the background. The contents of a job (addresses, texts) are not shown.
admin-jobs-counts = Jobs by status
admin-jobs-status-pending = Waiting
admin-jobs-status-running = Running
admin-jobs-status-failed = Failed
admin-jobs-status-done = Done
admin-jobs-failed = Failed jobs
admin-jobs-failed-none = No job has failed.
admin-jobs-failed-intro = These jobs failed every time they were tried and are no longer retried on their own. Fix the cause (a mail server, say), then try them again.
admin-jobs-waiting = Waiting jobs
admin-jobs-waiting-none = No job is waiting.
admin-jobs-col-kind = Kind
admin-jobs-col-status = Status
admin-jobs-col-attempts = Attempts
admin-jobs-col-next = Next try
admin-jobs-col-failed-at = Failed on
admin-jobs-col-error = Last error
admin-jobs-col-action = Action
admin-jobs-retry = Try again
admin-jobs-done-retried = The job is back in the queue and will run in a moment.

admin-census-title = Census import
admin-census-intro = Import a CSV file of identifiers, for example the national identity numbers of the residents. A person who gives an identifier on the list gets the attribute.
admin-census-hashes = The identifiers themselves are never stored: only a keyed fingerprint of each. You will see the first rows before anything is imported.
admin-census-attribute = Attribute the census grants
admin-census-attribute-hint = Lower-case letters, digits and hyphens, for example resident.
admin-census-file = CSV file
admin-census-file-hint = A header row with a column named identifier. { $mib } MiB at most here; import larger files through the API.
admin-census-preview-button = Show the first rows
admin-census-error-no-attribute = Enter the attribute the census grants
admin-census-error-no-file = Choose the census CSV file
admin-census-error-too-large = The file is larger than { $mib } MiB: import it through the API
admin-census-preview-title = Check the census before importing it
admin-census-preview-summary = The file has { $rows } rows. Importing it grants the attribute { $attribute } to the people who give one of its identifiers.
admin-census-first-rows = { $count ->
    [one] The first row
   *[other] The first { $count } rows
}
admin-census-identifier-column = identifiers
admin-census-preview-stored = Nothing is stored yet. Only the identifier column is imported; the other columns are ignored.
admin-census-import-button = { $count ->
    [one] Import 1 row
   *[other] Import { $count } rows
}
admin-census-choose-another = Choose another file
admin-census-done-title = Census imported
admin-census-done-summary = { $rows } rows were read for the attribute { $attribute }.
admin-census-rows = Rows read
admin-census-imported = New identifiers imported
admin-census-already = Already in the census
admin-census-rejected = Rows rejected
admin-census-rejected-heading = Rejected rows
admin-census-col-line = Line
admin-census-col-problem = Problem
admin-census-rejected-more = { $count ->
    [one] And one more rejected row.
   *[other] And { $count } more rejected rows.
}
admin-census-another = Import another file

admin-topics-title = Topics
admin-topics-intro = Processes are filed under topics, so that people can find the ones they care about.
admin-topics-list = Topics on this instance
admin-topics-none = There are no topics yet.
admin-topics-col-slug = Short name
admin-topics-col-label = Name ({ $lang })
admin-topics-create = Add a topic
admin-topics-slug = Short name
admin-topics-slug-hint = Lower-case letters, digits and hyphens, used in addresses, for example open-data.
admin-topics-labels = The topic's name
admin-topics-labels-hint = In at least one of the instance's languages.
admin-topics-create-button = Add topic
admin-topics-done-created = The topic is added.

admin-settings-title = Settings
admin-settings-intro = These settings are read when the server starts. To change one, set it in the configuration file convene.toml or in its environment variable, then restart the server.
admin-settings-caption = The instance's settings
admin-settings-col-setting = Setting
admin-settings-col-value = Value now
admin-settings-col-where = Where it is set
admin-settings-name = Instance name
admin-settings-languages = Languages offered
admin-settings-default-language = Default language
admin-settings-public-url = Public address
admin-settings-mail-from = Emails are sent from
admin-settings-magic-link = Sign-in links last
admin-settings-refresh = Sessions last
admin-settings-minutes = { $n ->
    [one] 1 minute
   *[other] { $n } minutes
}
admin-settings-days = { $n ->
    [one] 1 day
   *[other] { $n } days
}

admin-federation-title = Federation
admin-federation-intro = People on Mastodon and other fediverse sites can follow the public processes: their news is sent to the followers' sites. Only published public processes can be followed.
admin-federation-status = Status
admin-federation-enabled = Federation
admin-federation-on = On
admin-federation-off = Off
admin-federation-off-how = No process can be followed from another site. To turn federation on, set federation.enabled in convene.toml (or CONVENE_FEDERATION__ENABLED) and restart the server.
admin-federation-actor = This instance's actor
admin-federation-pending = Deliveries waiting
admin-federation-followers = Followers
admin-federation-followers-intro = Who follows each process from another site.
admin-federation-followers-none = Nobody follows a process from another site yet.
admin-federation-followers-count = { $count ->
    [one] 1 follower
   *[other] { $count } followers
}
admin-federation-col-follower = Follower
admin-federation-col-instance = Instance
admin-federation-col-since = Following since
admin-federation-failed = Failed deliveries
admin-federation-failed-none = No delivery has failed.
admin-federation-failed-intro = These deliveries kept failing until they were given up. Once the other site works again, try them again.
admin-federation-col-inbox = Inbox
admin-federation-col-activity = Activity
admin-federation-col-attempts = Attempts
admin-federation-col-error = Last error
admin-federation-col-given-up = Given up on
admin-federation-col-action = Action
admin-federation-retry = Try again
admin-federation-blocked = Blocked instances
admin-federation-blocked-intro = Nothing is sent to a blocked instance or taken from it, and its people no longer follow processes here.
admin-federation-blocked-none = No instance is blocked.
admin-federation-col-reason = Reason
admin-federation-col-blocked-since = Blocked since
admin-federation-no-reason = No reason given
admin-federation-unblock = Unblock
admin-federation-block = Block an instance
admin-federation-block-instance = Instance name
admin-federation-block-instance-hint = For example social.example. The address of any page on it works too.
admin-federation-block-reason = Reason (optional)
admin-federation-block-reason-hint = For the other administrators, for example spam. At most 500 characters.
admin-federation-block-button = Block instance
admin-federation-error-no-instance = Enter the name of the instance to block, for example social.example
admin-federation-error-instance = Enter the instance's name only, for example social.example
admin-federation-done-blocked = The instance is blocked. Its people no longer follow processes here.
admin-federation-done-unblocked = The instance is unblocked. Its people can follow processes again.
admin-federation-done-retried = The delivery is back in the queue and will be sent in a moment.
admin-federation-not-blocked = That instance is not blocked.
