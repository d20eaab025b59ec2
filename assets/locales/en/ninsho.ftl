# Ninsho's messages in English. Every word a person reads is here; ids are
# grouped by where they appear (cli-, err-, ui-, sheet-). Terms: GLOSSARY.md.
# Placeables ({ $name }) must match the Japanese file's.

## The command line (src/cli.rs)

cli-warning = warning: { $text }
cli-no-data-dir = cannot find a data folder; pass --data-dir or set NINSHO_DATA_DIR
cli-list-empty = no accounts yet; add one with `ninsho add URI`
cli-list-header-issuer = ISSUER
cli-list-header-account = ACCOUNT
cli-list-header-type = TYPE
cli-list-header-group = GROUP
cli-repaired-export = repaired: removed { $path }, an export that was cut short
cli-next-not-hotp = --next is for counter-based (HOTP) accounts; { $name } is time-based
cli-counter-at-max = the counter of { $name } cannot go higher
cli-secret-required = --secret is required
cli-needs-issuer-or-account = give --issuer or --account (or both) so the account can be told apart
cli-transfer-uri-to-add = this is a Google Authenticator transfer URI; use `ninsho import` with a file holding it
cli-uri-with-parameters = with a URI, the URI's own parameters apply; drop --algorithm/--digits/--period/--hotp/--steam
cli-already-added = { $name } is already in Ninsho with the same secret; nothing added
cli-added = added { $name }
cli-remove-confirm = { $count ->
    [one] this would remove { $names } and its secret for good; add --yes to confirm
   *[other] this would remove { $names } and their secrets for good; add --yes to confirm
}
cli-removed = removed { $name }
cli-edit-needs-name = an account needs an issuer or a name (or both) so it can be told apart
cli-edited = edited { $name }
cli-renamed = renamed { $was } to { $now }
cli-edited-no-group = { $line }, no group
cli-edited-group = { $line }, group { $group }
cli-cannot-open = cannot open { $path }
cli-cannot-read = cannot read { $path }
cli-too-large-limit = { $path } is { $mib } MiB, too large to be an authenticator export (Ninsho reads up to { $limit } MiB)
cli-not-encrypted-ignoring = { $format } files are not encrypted; ignoring { $path }
cli-password-needed = { $path }: this { $what } file is encrypted; pass --password-file F
cli-no-accounts-in-file = { $path }: the file holds no accounts
cli-nothing-importable = { $path }: no account could be imported: { $what }: { $why }
cli-nothing-importable-more = { $path }: no account could be imported: { $what }: { $why } (and { $more } more entries could not be read)
cli-skipped-entry = skipped { $what }: { $why }
cli-more-warnings = … and { $count } more warnings
cli-more-skipped = … and { $count } more entries skipped
cli-more-duplicates = … and { $count } more duplicates
cli-would-skip-duplicate = duplicate, would skip: { $name }
cli-would-add = would add { $name }
cli-saved-progress = saved { $done } of { $total }
cli-duplicate-skipped = duplicate, skipped { $name }
cli-import-summary = { $added } of { $total } accounts added, { $duplicates } duplicates skipped, { $skipped } entries could not be imported
cli-cannot-read-password-file = cannot read password file { $path }
cli-password-file = password file { $path }
cli-export-needs-password = { $format } needs a password; pass --password-file F
cli-export-not-encrypted = { $format } files are not encrypted; drop --password-file { $path } or use --format aegis-encrypted
cli-unknown-paper = unknown paper size "{ $paper }" (known: { $known })
cli-paper-only-pdf = --paper is for --format pdf
cli-nothing-to-export = there are no accounts to export
cli-cannot-export = cannot export { $name }
cli-cannot-write = cannot write { $path }
cli-export-unencrypted-warning = { $path } is not encrypted: anyone who reads it can make your codes; keep it offline and delete it when done
cli-exported = { $count ->
    [one] exported 1 account to { $path }
   *[other] exported { $count } accounts to { $path }
}
cli-recovery-none-on-stdin = no recovery codes on standard input; pipe them in, one per line as the service shows them
cli-recovery-ignored-lines = { $count ->
    [one] ignored { $count } line that is not codes (headings, notes)
   *[other] ignored { $count } lines that are not codes (headings, notes)
}
cli-recovery-added = { $count ->
    [one] added { $count } recovery code to { $name }
   *[other] added { $count } recovery codes to { $name }
}
cli-recovery-added-with-duplicates = { $count ->
    [one] added { $count } recovery code to { $name }; { $duplicates } already there, ignored
   *[other] added { $count } recovery codes to { $name }; { $duplicates } already there, ignored
}
cli-recovery-none = { $name } has no recovery codes; add them with `ninsho recovery add`
cli-recovery-used-mark = (used)
cli-recovery-already-used = { $code } of { $name } was already marked used
cli-recovery-marked-used = marked { $code } of { $name } used
cli-recovery-not-used = { $code } of { $name } was not marked used
cli-recovery-marked-unused = marked { $code } of { $name } unused
cli-recovery-removed = { $count ->
    [one] removed { $code } from { $name }; { $count } recovery code left
   *[other] removed { $code } from { $name }; { $count } recovery codes left
}
cli-recovery-few-left = { $count ->
    [one] { $count } unused recovery code left for { $name }; ask the service for new ones
   *[other] { $count } unused recovery codes left for { $name }; ask the service for new ones
}
cli-recovery-no-code-on-stdin = no recovery code on standard input
cli-recovery-several-lines = standard input holds several lines; give one code
cli-scan-the-screen = the screen
cli-scan-found = found { $name }
cli-scan-nothing-saved = nothing saved; add --add to save them
cli-scan-summary = { $added } of { $total } accounts added, { $duplicates } duplicates skipped
cli-scan-no-screen-capture = screen capture is not available on this system yet; take a screenshot and run `ninsho scan FILE`
cli-scan-none-stopped-early = { $what }: no authenticator code found; { $why }
cli-scan-unreadable = { $what }: { $item } could not be read: { $why }
cli-scan-no-qr = { $what }: no QR code found
cli-scan-one-other = { $what }: the QR code holds { $holds }, not an authenticator code
cli-scan-many-others = { $what }: { $count } QR codes found, none is an authenticator code ({ $holds })
cli-scan-other-skipped = { $what }: a QR code holds { $holds }, not an authenticator code; skipped
cli-standard-input = standard input

cli-usage-unknown-argument = unknown option or argument { $arg }
cli-usage-unknown-command = unknown command { $command }
cli-usage-missing = missing: { $args }
cli-usage-invalid-value = { $arg } cannot be "{ $value }"
cli-usage-conflict = { $arg } cannot be used with { $other }
cli-usage-value-count = { $arg } was given the wrong number of values
cli-usage-suggest = did you mean { $suggestion }?
cli-usage-see-help = See `ninsho --help`.

## Command-line help (clap)

help-list-json = Print the list as JSON (names and parameters, never secrets)
help-add-issuer = The service, e.g. GitHub (with --secret)
help-add-account = The account name at that service, e.g. alice@example.com (with --secret)
help-add-algorithm = Hash algorithm (default SHA1)
help-add-digits = Digits in a code (default 6)
help-add-period = Seconds a code lasts (default 30)
help-add-counter = HOTP: the counter to start from (default 0)
help-import-file = The export file of the other app
help-import-json = Print the result as JSON
help-recovery-list-json = Print them as JSON (the codes included)
help-usage = Usage:
help-heading-commands = Commands
help-heading-arguments = Arguments
help-heading-options = Options
help-flag = Print help
help-flag-more = Print help (see more with '--help')
help-flag-summary = Print help (see a summary with '-h')
help-version = Print version
help-help-command = Print this message or the help of the given subcommand(s)
help-about = Two-factor authentication codes, with secrets in your OS keyring
help-long-about =
    Two-factor authentication codes (TOTP, HOTP, Steam) with secrets in your OS keyring.
    Run without a command to open the window.
help-data-dir = Folder for the account list (no secrets); default: the platform data folder
help-lang = Language of messages (en, ja); default: NINSHO_LANG, else the system's
help-list = List accounts (never secrets)
help-code = Print the current code of one account, or of a URI without storing it
help-add = Add an account from an otpauth:// URI or from fields
help-edit = Rename an account or move it to another group (the secret stays as it is)
help-remove = Remove accounts and their secrets
help-import = Import accounts from another authenticator's export
help-export = Write every account to a file another authenticator can import
help-scan = Find authenticator QR codes in images or on the screen
help-recovery = Recovery (backup) codes a service gave for an account, kept in the keyring
help-recovery-add = Add codes read from standard input, pasted as the service shows them (one per line; numbering and headings are dropped); codes the account already has are ignored
help-recovery-list = Show an account's codes and which are used
help-recovery-use = Mark a code used (case, spaces and dashes do not matter)
help-recovery-unuse = Mark a code unused again (undoes `use`)
help-recovery-remove = Delete a code (one typed in wrong, or one the service no longer accepts)
help-query-fuzzy = Issuer, account name, or part of them (fuzzy)
help-code-uri = Compute the code of this otpauth:// URI; nothing is stored ("-" reads it from standard input, keeping the secret off the command line)
help-code-at = Unix time to compute the code for (default: now)
help-code-next = HOTP: advance the counter and print the next code
help-add-uri = An otpauth:// URI ("-" reads it from standard input)
help-add-secret = Base32 secret ("-" reads it from standard input, keeping it out of shell history)
help-add-hotp = Counter-based (HOTP) instead of time-based
help-add-steam = Steam Guard code
help-edit-issuer = New issuer ("" clears it)
help-edit-account = New account name ("" clears it)
help-edit-group = New group ("" takes the account out of its group)
help-remove-queries = Issuer, account name, or part of them; each must match one account
help-remove-yes = Confirm the removal
help-import-format = Format name; detected from the content when omitted
help-import-password-file = File holding the export's password (first line)
help-import-dry-run = Show what would be added; store nothing
help-export-format = aegis-encrypted, aegis (unencrypted), otpauth (URI list, unencrypted) or pdf (printable recovery sheet)
help-export-accounts = Only these accounts (issuer, account name, or part of them); default: all
help-export-paper = Paper size of the pdf sheet
help-export-output = File to write (replaced if it exists; created readable by you only)
help-export-password-file = File holding the password for an encrypted format (first line)
help-scan-images = Screenshots or photos (PNG, JPEG, WebP, BMP, GIF)
help-scan-screen = Capture every monitor and scan it too
help-scan-json = Print the accounts found as JSON (includes secrets)
help-scan-add = Save the accounts found (duplicates are skipped)
help-recovery-query = Issuer, account name, or part of them
help-recovery-use-code = The code ("-" reads it from standard input, keeping it out of shell history)
help-recovery-code = The code ("-" reads it from standard input)

## The window (src/ui)

ui-action-add = Add account
ui-action-search = Search
ui-action-copy = Copy code
ui-action-edit = Edit
ui-action-delete = Delete
ui-action-move-up = Move up
ui-action-move-down = Move down
ui-action-next-code = Next code
ui-action-settings = Settings
ui-action-scan-screen = Scan screen
ui-action-paste-image = Paste image
ui-action-open-image = Open image…
ui-tooltip-shortcut = { $action } ({ $shortcut })
ui-added-nothing = Nothing added
ui-added-nothing-duplicates = { $duplicates ->
    [one] Nothing added; 1 duplicate skipped
   *[other] Nothing added; { $duplicates } duplicates skipped
}
ui-added-one = Added { $name }
ui-added-one-duplicates = { $duplicates ->
    [one] Added { $name }; 1 duplicate skipped
   *[other] Added { $name }; { $duplicates } duplicates skipped
}
ui-added-many = Added { $count } accounts
ui-added-many-duplicates = { $duplicates ->
    [one] Added { $count } accounts; 1 duplicate skipped
   *[other] Added { $count } accounts; { $duplicates } duplicates skipped
}
ui-deleted = Deleted { $name }
ui-removed-elsewhere = { $name } was removed in another window or from the command line
ui-code-loading = The code is still loading
ui-copied = Copied { $what } — clipboard clears in { $secs } s
ui-copy-failed = Could not copy: { $error }
ui-cjk-font-missing = No Japanese/Chinese/Korean font is installed, so some names show as boxes. Install one (e.g. fonts-noto-cjk or fonts-ipafont) and restart Ninsho.
ui-drop-hint = Drop a QR code screenshot or an export file to add its accounts
ui-params-totp = { $digits } digits, { $period } s, { $algorithm }
ui-params-hotp = counter { $counter }, { $digits } digits, { $algorithm }
ui-params-steam = Steam Guard
ui-keyring-title = Your keyring is not available
ui-keyring-explain = Ninsho keeps every secret in your system keyring and cannot show codes without it. Nothing has been changed or lost.
ui-keyring-fix = To fix it:
ui-keyring-fix-locked = • If the keyring is locked, unlock it (log in again, or open Passwords and Keys).
ui-keyring-fix-missing = • If no keyring runs, install and start gnome-keyring (e.g. `sudo apt install gnome-keyring`), or enable the Secret Service integration in KeePassXC.
ui-unlock-title = Unlock your accounts
ui-unlock-explain = The secrets of these accounts are kept in the encrypted file { $path }. Type its password to show the codes.
ui-unlock-button = Unlock
ui-unlock-needed = the encrypted file is locked
ui-store-changed = The accounts' secrets were moved to another store (ninsho store use); the window now reads them there.

## The window lock (Settings → Lock, the lock screen)
ui-lock-heading = Lock
ui-lock-mode-off = Off
ui-lock-mode-password = With a password
ui-lock-mode-system = With your computer's login
ui-lock-mode-file = With the encrypted file's password
ui-lock-system-unsupported = not available on this system yet: use a password
ui-lock-system-flatpak = not available inside Flatpak, whose sandbox cannot ask for your computer's login: use a password
ui-lock-password-explain = Choose the password that unlocks Ninsho. Only a hash of it is kept, in the keyring.
ui-lock-save-password = Save the lock password
ui-lock-saving = Saving…
ui-lock-change-password = Change the lock password…
ui-lock-idle = Lock after this many minutes without input (0: never)
ui-lock-on-minimise = Lock when the window is minimised
ui-lock-now = Lock now ({ $shortcut })
ui-lock-off-hint = Choose a lock in Settings first.
ui-lock-title = Ninsho is locked
ui-lock-explain = Type the lock password to show your accounts.
ui-lock-explain-system = Unlock with your computer's login password (or fingerprint).
ui-lock-system-button = Unlock…
ui-lock-or-password = Or type the lock password:
ui-lock-wrong = Wrong password. You can try again in { $secs } s.
ui-lock-wait = Next try in { $secs } s
ui-lock-system-unavailable = Your computer could not ask for your login ({ $error }). Type the lock password instead.
ui-lock-system-refused = Your computer did not confirm that it is you.
ui-lock-hello-unavailable = Windows Hello is not set up on this computer
ui-lock-system-reason = Unlock Ninsho to show your two-factor authentication codes
ui-lock-no-password = No lock password was found in the keyring, so the lock is off. Choose one again in Settings.
ui-lock-item-label = Ninsho lock password (hash)
ui-no-lock-watch = cannot watch for the screen locking: { $error }
ui-no-lock-request-watch = `ninsho lock` cannot reach this window: { $error }
err-lock-hash = cannot make the lock password's hash: { $detail }
ui-file-store-heading = No keyring on this computer?
ui-file-store-explain = Ninsho can keep the secrets in an encrypted file in its data folder instead, protected by a password you choose (the file is an Aegis vault). You type the password each time Ninsho starts.
ui-file-store-offer = Use an encrypted file instead…
ui-file-store-make = Use the encrypted file
ui-file-store-making = Making the encrypted file…
ui-file-store-has-accounts = accounts are already saved with their secrets in the keyring; start the keyring and run `ninsho store use file` to move them into an encrypted file
ui-retry = Retry
ui-password-title = { $name } is encrypted
ui-password-explain = Enter the password of this { $format } export.
ui-password = Password
ui-unlock = Unlock
ui-cancel = Cancel
ui-edit-title = Edit account
ui-field-issuer = Issuer
ui-field-account = Account
ui-field-group = Group
ui-save = Save
ui-delete-title = Delete { $name }?
ui-delete-explain = Its secret is removed from the keyring. Make sure you can still sign in to this account another way (or have turned off two-factor authentication there).
ui-delete-confirm = Delete { $name }
ui-review-title = Review
ui-review-explain = Check what will be added. Nothing is saved until you press Save.
ui-review-show-next = Show the next code, then:
ui-reading = Reading { $name }…
ui-review-candidate = { $name } — { $params }
ui-review-candidate-duplicate = { $name } — { $params } (already in Ninsho)
ui-save-accounts = Save { $count } accounts
ui-review-save-tooltip = Save the checked accounts (Enter)
ui-settings-heading = Settings
ui-settings-language = Language
ui-settings-language-system = System
ui-settings-theme = Theme
ui-settings-theme-system = System
ui-settings-theme-light = Light
ui-settings-theme-dark = Dark
ui-settings-clear-after = Clear clipboard after (seconds)
ui-settings-privacy = Hide codes until clicked
ui-done = Done
ui-clipboard-image-malformed = the clipboard image ({ $size }) is malformed
ui-dismiss = Dismiss
ui-clear-search-tooltip = Clear search (Esc)
ui-clear-search = Clear search
ui-saving = Saving { $done } of { $total }…
ui-reading-secrets = Reading secrets from the keyring… { $done } of { $total }
ui-empty-title = No accounts yet
ui-empty-explain = Add the QR code or setup key a site shows when you turn on two-factor authentication.
ui-empty-add = Add your first account
ui-empty-or-qr = or add it from a QR code:
ui-no-match = No account matches “{ $query }”
ui-no-secret = no secret
ui-row-copy = Copy code for { $name }
ui-row-next = Next
ui-row-more = More
ui-next-code = next { $code }
ui-seconds-left = { $count ->
    [one] 1 second left
   *[other] { $count } seconds left
}
ui-add-needs-name = enter an issuer or an account name
ui-add-title = Add account
ui-add-from-qr = From a QR code:
ui-add-tab-uri = Paste URI
ui-add-tab-manual = Enter manually
ui-add-uri-label = otpauth:// URI
ui-add-uri-hint = otpauth://totp/Example:alice?secret=…
ui-add-looks-like-key = This looks like a setup key (the code a site shows beside its QR code), not a URI.
ui-add-use-as-key = Use as setup key
ui-add-secret = Secret
ui-add-show = Show
ui-add-advanced = Advanced
ui-add-type = Type
ui-add-kind-totp = Time (TOTP)
ui-add-kind-hotp = Counter (HOTP)
ui-add-kind-steam = Steam
ui-add-algorithm = Algorithm
ui-add-digits = Digits
ui-add-counter = Counter
ui-add-period = Period (seconds)
ui-add-from-file = From a screenshot or another app
ui-add-from-file-explain = Drop a screenshot of a QR code, or an export file, on this window. Encrypted exports ask for their password; you review everything before it is saved. Exports Ninsho reads:
ui-add-format = • { $format }
ui-add-format-encryptable = • { $format } (encrypted too)
ui-add-valid = ✔ { $name } — { $params }
ui-add-invalid = ✖ { $error }
ui-add-review = Review
ui-backup-failed = The automatic backup failed: { $error }. Your earlier backups are kept.
ui-review-from = From { $source }:
ui-review-more = … and { $count } more notes from it
ui-file-dialog-failed = The file dialog could not be shown
ui-opening-screen = the screen
ui-opening-clipboard = the clipboard
ui-scan-menu = Scan QR code
ui-scan-menu-tooltip = Add accounts from a QR code on the screen, on the clipboard or in an image file
ui-chooser-failed = Cannot open a file chooser: { $error }
ui-chooser-open-title = Open a QR code image or an export
ui-chooser-open = Open
ui-chooser-save = Save
ui-chooser-new-folder = New folder
ui-chooser-new-folder-name = New folder
ui-chooser-rename = Rename
ui-chooser-refresh = Refresh
ui-chooser-parent = Parent folder
ui-chooser-file = File:
ui-chooser-show-hidden = Show hidden files
ui-save-sheet-title = Save the recovery sheet
ui-chooser-fallback = The system file chooser is not available ({ $why }), so Ninsho shows its own.
ui-save-export-title = Save the encrypted backup
ui-file-kind-pdf = PDF
ui-file-kind-aegis = Aegis vault
ui-paste-none = No codes found in the paste
ui-paste-codes = { $count ->
    [one] 1 code: { $codes }
   *[other] { $count } codes: { $codes }
}
ui-paste-left-out = Left out (not codes): { $lines }
ui-exported = { $count ->
    [one] Exported 1 account to { $path }
   *[other] Exported { $count } accounts to { $path }
}
ui-sheet-saved = Saved the recovery sheet to { $path }
ui-sheet-saved-with-note = Saved the recovery sheet to { $path } ({ $note })
ui-backup = Backup
ui-backup-tooltip = Recovery sheet, transfer to a phone
ui-recovery-left = { $count ->
    [0] No recovery codes left
    [one] 1 recovery code left
   *[other] { $count } recovery codes left
}
ui-recovery-codes = Recovery codes
ui-qr-code = QR code
ui-qr-code-tooltip = Show a QR code to move this account to a phone
ui-auto-backup-heading = Automatic backups
ui-auto-backup-off = Off. When on, Ninsho writes an encrypted backup (Aegis's format, which the phone app can import) to a folder after every change, for example a folder that Syncthing, Nextcloud or a USB stick keeps.
ui-auto-backup-set-up = Set up automatic backups…
ui-auto-backup-default-folder = Ninsho backups
ui-auto-backup-folder = Folder
ui-auto-backup-keep = Backups to keep
ui-auto-backup-turn-on = Turn on
ui-auto-backup-turn-off = Turn off automatic backups
ui-auto-backup-working = Saving the settings and making a backup…
ui-auto-backup-cannot = Cannot change automatic backups: { $error }
ui-auto-backup-on = On: encrypted backups go to { $folder }; the newest { $keep } of this computer are kept.
ui-auto-backup-last = Last backup: { $time } ({ $file })
ui-auto-backup-none-yet = No backup has been made yet.
ui-auto-backup-error = The backup of { $time } failed: { $error }
ui-sheet-heading = Printable recovery sheet
ui-sheet-explain = A PDF with the chosen accounts' QR codes, secrets and unused recovery codes, to print and keep offline. Delete the file once it is printed.
ui-paper = Paper
ui-paper-a4 = A4
ui-paper-letter = US Letter
ui-print-sheet = Print recovery sheet…
ui-writing-sheet = Writing the sheet…
ui-choose-where = Choose where to save it…
ui-transfer-heading = Move accounts to a phone
ui-transfer-explain = Google Authenticator's "Import accounts" reads these codes, ten accounts each. Any authenticator reads the QR code of a single account (select the account, then QR code).
ui-transfer-button = Transfer codes for Google Authenticator
ui-backup-accounts = Accounts
ui-backup-all = all { $total }
ui-backup-some = { $chosen } of { $total }
ui-backup-select-all = All
ui-backup-select-none = None
ui-export-heading = Encrypted backup
ui-export-explain = An Aegis vault file of the chosen accounts, locked with a password: Aegis, 2FAS, Ente and Ninsho can import it. Nobody can open it without the password, you included, so keep the password safe.
ui-export-button = Export encrypted backup…
ui-password-repeat = Repeat password
ui-password-mismatch = The passwords do not match
ui-export-start = Export…
ui-exporting = Encrypting and writing the backup…
ui-recovery-title = Recovery codes of { $name }
ui-recovery-explain = The one-time codes the service gave you for when the authenticator is lost. They are kept in your keyring with the account's secret.
ui-reading-keyring = Reading from the keyring…
ui-back = Back
ui-recovery-none = No recovery codes saved yet
ui-recovery-unused = { $unused } of { $total } unused
ui-recovery-ask-new = Ask the service for new recovery codes and add them here.
ui-code-used = used
ui-mark-unused = Mark unused
ui-mark-unused-tooltip = Undo "Mark used"
ui-copy = Copy
ui-mark-used = Mark used
ui-delete = Delete
ui-recovery-delete-confirm = Delete { $code }? Only do this for a code typed in wrong or one the service no longer accepts.
ui-delete-code = Delete code
ui-keep-code = Keep it
ui-copied-recovery-code = a recovery code of { $name }
ui-recovery-add-label = Add codes (paste them as the service shows them)
ui-save-codes = Save codes
ui-qr-title = QR code of { $name }
ui-qr-secret-warning = This QR code holds the secret: anyone who photographs it can make your codes. Show it only to your own phone, away from cameras and screen sharing.
ui-qr-secrets-warning = These QR codes hold your secrets: anyone who photographs them can make your codes. Show them only to your own phone, away from cameras and screen sharing.
ui-secret-loading = The secret is still loading from the keyring…
ui-secret-not-loaded = its secret is not loaded
ui-transfer-codes-what = transfer codes
ui-transfer-title = Transfer to Google Authenticator
ui-not-included = Not included: { $what } ({ $why })
ui-transfer-none = No account can be transferred.
ui-previous = Previous
ui-transfer-next = Next
ui-transfer-page = { $count ->
    [one] Code { $page } of { $pages } (1 account)
   *[other] Code { $page } of { $pages } ({ $count } accounts)
}
ui-transfer-image = Transfer code { $page } of { $pages }
ui-keyring-not-ready = the keyring is not available yet; press Retry
ui-gone-elsewhere = { $name } is no longer in Ninsho: it was removed in another window or from the command line
ui-cannot-watch = Changes made in another window or from the command line show after a restart: cannot watch { $path } ({ $error })
ui-image-failed = reading the image failed unexpectedly
ui-no-thread = cannot start a thread: { $error }
ui-repaired-export = removed { $path }, an export that was cut short
ui-an-account = an account
ui-cannot-read-file = cannot read { $name }: { $error }
ui-file-too-large = { $name } is too large to be a screenshot or an export
ui-file-error = { $name }: { $error }
ui-export-too-large = { $name } is too large to be an export
ui-skipped = skipped { $what }: { $why }
ui-recovery-paste-first = paste the recovery codes the service gave you first
ui-recovery-saved = { $count ->
    [one] Saved 1 recovery code
   *[other] Saved { $count } recovery codes
}
ui-recovery-saved-duplicates = { $count ->
    [one] Saved 1 recovery code; { $duplicates } already saved
   *[other] Saved { $count } recovery codes; { $duplicates } already saved
}
ui-code-already-used = That code was already marked used
ui-code-marked-used = Marked the code used
ui-code-not-used = That code was not marked used
ui-code-marked-unused = Marked the code unused
ui-code-deleted = Deleted the code
ui-cannot-print = cannot print { $name }: { $error }
ui-nothing-to-print = there are no accounts to print
ui-cannot-write = cannot write { $path }: { $error }
ui-no-pdf-viewer = saved, but no PDF viewer could open it: { $error }
ui-nothing-to-export = there are no accounts to export
ui-cannot-export = cannot export { $name }: { $error }
ui-capture-malformed = the capture of { $name } is malformed
ui-no-screen-capture = screen capture is not available on this system yet; take a screenshot and drop it on the window
ui-open-dialog-title = Open QR code images or exports
ui-filter-images = QR code images
ui-filter-all = All files
ui-no-zenity = { $why }, and zenity is not installed
ui-no-session-bus = no session bus: { $error }
ui-no-portal = no file-chooser portal on the session bus
ui-source-screen = screen capture
ui-source-clipboard-image = clipboard image
ui-source-clipboard = the clipboard
ui-clipboard-unreadable = cannot read the clipboard: { $error }
ui-clipboard-text = The clipboard holds text, not a QR code image or an otpauth:// link
ui-clipboard-empty = The clipboard holds no image or text Ninsho can read: copy a QR code image (or an otpauth:// link) first
ui-scan-unreadable = { $item } could not be read: { $why }
ui-scan-none-stopped = no authenticator QR code found; { $why }
ui-scan-other = its QR code holds { $what }, not an authenticator code
ui-scan-none = no authenticator QR code found
ui-scan-failed = { $name }: { $what }
ui-scan-also-found = also found { $what }, not an authenticator code

ui-finish-timeout = the keyring did not finish saving in { $secs } s; the next start completes or undoes the last change
ui-cannot-open-window = cannot open the window: { $error }
ui-no-signal-watch = cannot watch for termination signals: { $error }

## Account names (src/otp)

otp-display-name = { $issuer } ({ $name })
otp-unnamed = (unnamed)

## Import formats (src/formats)

fmt-aegis = Aegis Authenticator vault (.json), plain or encrypted
fmt-andotp = andOTP backup (.json, or encrypted .json.aes with --format andotp)
fmt-bitwarden-json = Bitwarden vault export (.json, unencrypted)
fmt-bitwarden-csv = Bitwarden vault export (.csv)
fmt-freeotp-plus = FreeOTP+ backup (.json)
fmt-otpauth-list = Text file of otpauth:// or otpauth-migration:// URIs, one per line
fmt-proton = Proton Authenticator export (.json, unencrypted)
fmt-stratum = Stratum / Authenticator Pro backup (.json, or encrypted .bin)
fmt-twofas = 2FAS Authenticator backup (.2fas), plain or encrypted

## Errors (src/vault, src/otp, src/formats, src/scan)

err-no-match = no account matches "{ $query }"
err-ambiguous = "{ $query }" matches { $count } accounts; be more specific:
err-ambiguous-more = and { $count } more
err-secret-empty = the secret is empty
err-base32-char = the secret is not valid base32: character '{ $character }' at position { $position }
err-base32-length = the secret is not valid base32: { $length } characters is not a possible base32 length
err-bad-digits = digits must be between 1 and 10, got "{ $value }"
err-bad-period = period must be a whole number of seconds >= 1, got "{ $value }"
err-bad-counter = counter must be a whole number from 0 to 18446744073709551615, got "{ $value }"
err-unknown-otp-type = unknown OTP type "{ $value }" (expected totp, hotp or steam)
err-unknown-algorithm = unknown algorithm "{ $value }" (expected SHA1, SHA256 or SHA512)
err-not-otpauth = not an otpauth:// URI: "{ $value }"
err-secret-too-long = the secret is { $bytes } bytes long; real ones are at most 64 (Ninsho takes up to { $limit })
err-name-too-long = the { $what } is { $chars } characters long, more than the { $limit } Ninsho keeps
err-control-character = the { $what } contains a control or text-direction character ({ $character })
err-field-issuer = issuer
err-field-account-name = account name
err-field-group = group
err-uri-too-long = the otpauth URI is too long ({ $bytes } bytes percent-encoded; a QR code holds at most 4296 characters, Ninsho takes { $limit })
err-uri-no-secret = the otpauth URI has no secret= parameter
err-uri-bad-encoding = the otpauth URI has invalid percent-encoding (not UTF-8) in { $place }
err-uri-part-label = the label
err-uri-part-name = a parameter name
err-uri-part-value = a parameter value
err-uri-issuer-mismatch = label says issuer "{ $label }" but issuer= says "{ $param }"; using "{ $param }"
err-uri-steam-digits = Steam codes have { $steam } characters; ignoring digits={ $digits }
err-uri-hotp-no-counter = HOTP URI has no counter=; starting at 0
err-not-migration = not an otpauth-migration://offline URI: "{ $value }"
err-migration-no-data = the otpauth-migration URI has no data= parameter
err-migration-bad-base64 = the otpauth-migration data is not valid base64
err-migration-bad-payload = the otpauth-migration data is not a Google Authenticator export ({ $detail })
err-migration-empty = the otpauth-migration data holds no accounts
err-migration-md5 = MD5 codes are not supported
err-migration-algorithm = unknown algorithm number { $number }
err-migration-digits = unknown digit count number { $number }
err-migration-negative-counter = negative HOTP counter { $counter }
err-migration-type = unknown OTP type number { $number }
err-transfer-steam = Steam codes cannot be transferred to Google Authenticator
err-transfer-digits = only 6 or 8 digits can be transferred
err-transfer-period = only a 30-second period can be transferred
err-batch-incomplete = { $missing ->
    [one] { $have } of { $size } transfer codes read — the remaining one is missing; export or scan it
   *[other] { $have } of { $size } transfer codes read — the remaining { $missing } are missing; export or scan them
}
err-batch-incomplete-more = and { $count } more transfer batches are incomplete in the same way
err-read-too-large = { $what } is larger than { $size }; that is not a secret, a password or a list of codes
err-read-not-text = { $what } is not UTF-8 text
err-read-io = cannot read { $what }: { $detail }
err-size-mib = { $mib } MiB
err-size-bytes = { $bytes } bytes
err-missing-secret = the keyring has no secret for { $name }; remove the account and enroll it again
err-bad-item = the keyring item for { $name } is not one Ninsho can read
err-unknown-recovery-code = { $name } has no recovery code "{ $code }"
err-rejected = cannot save { $name }: { $reason }
err-partial = saved { $saved } of { $total } accounts, then: { $reason }
err-repair-no-secret = the keyring has no secret for { $name }; its code cannot be shown (remove it and enroll it again)
err-repair-foreign-item = keyring item "{ $id }" under this service is not a Ninsho account; left alone
err-repaired-added = repaired: finished adding { $name }
err-repaired-dropped = repaired: dropped { $name }, whose adding was interrupted before it was saved
err-repaired-removed = repaired: finished removing { $name }
err-repaired-restored = repaired: restored { $name } from the keyring (it was missing from the metadata file)
err-recovery-code-too-long = "{ $code }…" is longer than { $limit } characters; is it really a recovery code?
err-not-recovery-code = "{ $code }" is not a recovery code
err-too-many-recovery-codes = an account holds at most { $limit } recovery codes
err-meta-damaged = metadata file { $path } is damaged ({ $detail }); restore it from a backup or move it aside
err-meta-too-new = metadata file { $path } has version { $version }, newer than this Ninsho understands ({ $known }); update Ninsho
err-meta-create-folder = cannot create folder { $path }: { $why }
err-meta-read = cannot read { $path }: { $why }
err-meta-replace = cannot replace { $path }: { $why }
err-meta-read-folder = cannot read folder { $path }: { $why }
err-meta-remove = cannot remove { $path }: { $why }
err-meta-open = cannot open { $path }: { $why }
err-meta-lock = cannot lock { $path }: { $why }
err-keyring-no-platform = this platform has no supported keyring
err-keyring-no-bus = no D-Bus session bus to reach the Secret Service
err-keyring-no-provider = no Secret Service provider (org.freedesktop.secrets) is running
err-keyring-not-started = the Secret Service (org.freedesktop.secrets) could not be started
err-keyring-prompt-dismissed = the unlock prompt was dismissed or could not be shown
err-keyring-unavailable = keyring unavailable: { $detail }. Install and start gnome-keyring (or enable KeePassXC's Secret Service integration) and try again
err-keyring-locked = keyring is locked: { $detail }. Unlock your login keyring (log in again, or unlock it in Passwords and Keys) and try again
err-keyring-other = keyring error: { $detail }
err-motp = mOTP not supported
err-yandex = Yandex OTP not supported
err-aegis-not = this is not an Aegis vault (no "header")
err-aegis-no-version = it has no "version"
err-aegis-no-params = it has no "header.params"
err-aegis-db-not-base64 = its "db" is not base64
err-aegis-db-mismatch = the database does not match its key (altered or cut short)
err-aegis-no-db = it has no "db"
err-aegis-no-key-params = a key slot has no "key_params"
err-aegis-bad-scrypt = a key slot has invalid scrypt parameters
err-aegis-master-key = the master key is not 32 bytes
err-aegis-no-password-slot = this Aegis vault has no password slot (only biometric unlock); export it from Aegis with a password
err-aegis-no-entries = its database has no "entries" list
err-aegis-no-info = it has no "info"
err-export-scrypt = scrypt failed
err-andotp-not = this is not an andOTP backup (not a list of entries)
err-bitwarden-encrypted = password-protected Bitwarden exports are not supported; export from Bitwarden as unencrypted .json
err-bitwarden-not = this is not a Bitwarden export (no "items")
err-csv-header = its header row cannot be read
err-csv-no-totp = this CSV file has no "login_totp" column
err-export-empty-password = an encrypted vault needs a non-empty password
err-freeotp-not = this is not a FreeOTP+ backup (no "tokens")
err-freeotp-no-secret = it has no "secret" list of bytes
err-freeotp-bad-secret = its "secret" is not a list of bytes
err-proton-encrypted = password-protected Proton Authenticator exports are not supported; export without a password
err-proton-not = this is not a Proton Authenticator export (no "entries")
err-proton-no-uri = it has no "uri"
err-stratum-short = it ends before its encrypted contents
err-stratum-not = this is not a Stratum backup
err-stratum-no-authenticators = this is not a Stratum backup (no "Authenticators")
err-stratum-no-type = it has no "Type"
err-twofas-not-base64 = its encrypted part is not base64
err-twofas-fields = its encrypted part does not have three fields
err-twofas-not = this is not a 2FAS backup (no "services")
err-twofas-altered = the encrypted accounts are altered or cut short
err-twofas-not-list = the decrypted accounts are not a list
err-not-utf8-file = the file is not UTF-8 text
err-otpauth-list-line = not an otpauth:// or otpauth-migration:// URI
err-otpauth-list-none = the file holds no otpauth:// or otpauth-migration:// URIs
err-json-not-text = it is not UTF-8 text
err-json-invalid = it is not valid JSON
err-unknown-format = unknown format "{ $name }" (known: { $known })
err-undetected = could not tell what kind of file this is; pass --format (known: { $known }; encrypted andOTP backups have no header and always need --format andotp)
err-password-needed = this { $what } file is encrypted and needs its password
err-wrong-password = wrong password for this { $what } file
err-wrong-password-or-damaged = cannot decrypt this { $what } file: wrong password, or the file is damaged
err-damaged = this { $what } file is damaged or truncated: { $detail }
err-export = cannot write the export: { $detail }
err-io-with-code = { $text } (OS error { $code })
err-io-not-found = no such file or folder
err-io-permission-denied = permission denied
err-io-already-exists = it already exists
err-io-is-a-directory = it is a folder, not a file
err-io-not-a-directory = a part of the path is not a folder
err-io-storage-full = the disk is full
err-io-read-only = the disk or folder is read-only
err-io-directory-not-empty = the folder is not empty
err-io-file-too-large = the file is too large for this disk
err-io-unexpected-end = the file ended too soon
err-too-many-accounts = the file holds more than { $limit } accounts; Ninsho imports at most { $limit } at a time (split the file)
err-too-many-skipped = more than { $limit } entries of the file could not be read; this does not look like an export Ninsho can import
err-digits-unsupported = { $digits } digits is not supported (1 to 10)
err-entry = entry { $number }
err-entry-named = entry { $number } ({ $name })
err-located = { $place }: { $text }
err-json-ends-early = it ends early (line { $line }, column { $column })
err-json-broken = it is not valid JSON (line { $line }, column { $column })
err-json-too-many-values = the file holds more JSON values than any authenticator export (at most { $containers } objects and lists, { $values } values); Ninsho does not read it
err-json-too-many-containers = the file holds more JSON objects and lists than any authenticator export (at most { $containers } objects and lists, { $values } values); Ninsho does not read it
err-json-missing = it has no "{ $key }"
err-json-not-text-field = its "{ $key }" is not text
err-json-negative = its "{ $key }" is not a whole number >= 0 ({ $value })
err-json-not-whole = its "{ $key }" is not a whole number
err-json-not-number = its "{ $key }" is not a number
err-json-not-list = its "{ $key }" is not a list
err-aegis-not-hex = its "{ $key }" is not hexadecimal
err-aegis-file-too-new = Aegis vault file version { $version } is newer than this Ninsho understands ({ $known })
err-aegis-scrypt-n = a key slot has scrypt N = { $n }, not a power of two
err-aegis-scrypt-rp = a key slot has scrypt r = { $r }, p = { $p }
err-aegis-scrypt-costly = this Aegis vault asks for scrypt N = 2^{ $log_n }, r = { $r }, p = { $p }, far more memory or time than Aegis uses (N = 2^15, r = 8, p = 1); Ninsho refuses it
err-aegis-db-too-new = Aegis database version { $version } is newer than this Ninsho understands ({ $known })
err-unknown-type-quoted = unknown type "{ $kind }"
err-type-unsupported = type "{ $kind }" not supported
err-token-type-unsupported = token type "{ $kind }" not supported
err-unknown-type-number = unknown type { $number }
err-unknown-algorithm-number = unknown algorithm { $number }
err-item = item "{ $name }"
err-csv-row = row { $row } cannot be read
err-csv-row-broken = row { $row } cannot be read (broken quoting or encoding)
err-row = row { $row }
err-row-named = row { $row } ({ $name })
err-no-randomness = no randomness from the OS: { $detail }
err-unknown-export-format = unknown export format "{ $name }" (known: { $known })
err-line = line { $line }
err-scan-stopped-early = the search stopped early: the picture has too many patterns that look like parts of QR codes, so a code in it may have been missed
err-not-an-image = not an image (Ninsho reads PNG, JPEG, WebP, BMP and GIF)
err-image-too-large = the image is { $width }x{ $height } pixels, too large to scan (at most { $side } pixels a side and { $megapixels } megapixels)
err-bad-image = the image is damaged or unsupported: { $detail }
err-scan-otpauth-code = an otpauth:// QR code
err-scan-transfer-code = a Google Authenticator transfer QR code
err-qr-empty = nothing (an empty QR code)
err-qr-web = a web address
err-qr-wifi = Wi-Fi network settings
err-qr-contact = a contact card
err-qr-email = an e-mail address
err-qr-phone = a phone number
err-qr-sms = a text message
err-qr-geo = a map location
err-qr-bare-secret = a bare secret key with no account details (type it in by hand instead)
err-qr-text = text of { $count } characters
err-screen-no-display = screen capture needs a graphical session and neither DISPLAY nor WAYLAND_DISPLAY is set; take a screenshot and run `ninsho scan FILE`
err-screen-portal = cannot capture the screen through the desktop portal: { $detail }
err-screen-connect = cannot connect to the X display: { $detail }
err-screen-capture = cannot capture the screen: { $detail }
err-screen-pixel-format = cannot capture the screen: unsupported pixel format ({ $detail })
err-portal-not-local = the desktop portal returned { $uri }, not a local file
scan-capture-screen = screen { $number }
scan-capture-monitor = a monitor
scan-capture-portal = the screen (through the desktop portal)
err-portal-read = cannot read the portal's screenshot: { $detail }
err-portal-image = the portal's screenshot: { $detail }
err-portal-cancelled = the screenshot was cancelled or not allowed (check Ninsho's screenshot permission in your desktop's privacy settings)
err-portal-missing = no desktop portal offers screenshots (install xdg-desktop-portal and your desktop's backend, e.g. xdg-desktop-portal-gnome or -kde)


## The recovery sheet (src/backup)

sheet-title = Ninsho recovery sheet
sheet-warning = Keep this sheet offline, somewhere safe, and never photograph or scan it into a computer you do not trust: anyone who has it can sign in as you. Each QR code restores its account in Ninsho or any authenticator app.
# The page footer; { $date } is written with sheet-date-format.
sheet-footer = Printed { $date } · page { $page } of { $pages }
# How the sheet writes its date, strftime-style: %Y year, %m and %d month and
# day with a leading zero, %-m and %-d without one, %% a percent sign.
sheet-date-format = %Y-%m-%d
sheet-no-name = (no name)
sheet-no-qr = No QR code: this account's otpauth URI ({ $bytes } bytes) is longer than a QR code holds. Type the secret key into your app instead.
sheet-unprintable = Characters shown as � could not be printed: no installed font has them.
sheet-secret-key = Secret key
# The parameters line: algorithm names (SHA1…) stay as they are.
sheet-totp = TOTP · { $algorithm } · { $digits } digits · { $period } s period
sheet-hotp = HOTP · { $algorithm } · { $digits } digits · counter { $counter }
sheet-steam = Steam Guard · 5 characters · { $period } s period
sheet-parameters-printed = { $parameters } · printed { $date }
sheet-no-recovery-codes = No recovery codes saved in Ninsho
sheet-recovery-codes = Recovery codes — tick each one when you use it ({ $count } unused)
sheet-more-codes = … and { $count } more in Ninsho
sheet-error-pdf = cannot write the PDF: { $reason }
sheet-missing-glyph = no installed font can print "{ $char }" (U+{ $code }); install a font that covers it (for Japanese, Chinese or Korean names: fonts-noto-cjk or fonts-ipafont-gothic) and try again
sheet-qr-too-long = cannot make a QR code of { $bytes } bytes: it is more than a QR code holds
sheet-qr-error = cannot make a QR code of { $bytes } bytes: { $reason }

## Automatic backups (src/autobackup.rs, src/cli/backup.rs)

backup-keyring-label = Ninsho: automatic backup password
cli-backup-done = backed up to { $path }
cli-backup-failed = automatic backup failed: { $text }
cli-backup-empty-password = the password file { $path } is empty (its first line is the password)
cli-backup-on = automatic backups are on: { $folder }, keeping the newest { $keep } of this computer
cli-backup-off = automatic backups are off; the backups in { $folder } are kept
cli-backup-already-off = automatic backups were already off
cli-backup-password-left = the backup password could not be deleted from the keyring: { $text }
cli-backup-status-off = automatic backups: off
cli-backup-status-on = automatic backups: on
cli-backup-status-folder = folder: { $folder }
cli-backup-status-keep = keeps: the newest { $keep } of this computer ({ $host })
cli-backup-status-last = last backup: { $time } ({ $file })
cli-backup-status-never = last backup: none yet
cli-backup-status-kept = backups of this computer in the folder: { $count }
cli-backup-status-error = last error ({ $time }): { $text }
err-backup-off = automatic backups are off; turn them on with `ninsho backup set --folder DIR --password-file F`
err-backup-no-password = the backup password is not in the keyring; set it again with `ninsho backup set`
err-backup-keep-zero = --keep must be at least 1
err-backup-folder = backup folder { $path }: { $why }
err-backup-folder-not-utf8 = the name of the backup folder { $path } is not valid Unicode; choose another folder
err-backup-write = cannot write the backup { $path }: { $why }
err-backup-verify = the backup { $path } did not read back as written ({ $why }); it was removed and older backups were kept
err-backup-verify-differs = its accounts differ from the saved ones
err-backup-settings-damaged = the backup settings { $path } are damaged ({ $detail }); turn backups off and on again
err-backup-settings-write = cannot write the backup settings { $path }: { $why }
help-backup = Automatic encrypted backups to a folder (Aegis format), after every change
help-backup-set = Turn automatic backups on (or change them) and make a first backup
help-backup-off = Turn automatic backups off (the backups already made are kept)
help-backup-now = Make a backup now
help-backup-status = Show where backups go, when the last one was made and any error
help-backup-folder = Folder for the backups (created if missing; a synced folder is fine)
help-backup-password-file = File holding the backups' password (first line); it is kept in the keyring
help-backup-keep = How many of this computer's backups to keep (default 20)
help-backup-status-json = Print the status as JSON

## Following another device (src/follow.rs, src/cli/follow.rs)

follow-keyring-label = Ninsho: password of the backups in { $path }
follow-key-label = Ninsho: key of the fingerprints of followed backups
cli-follow-added = following { $path }
cli-follow-found = { $count ->
    [one] its newest backup, { $file }, holds 1 account; `ninsho follow status` shows what would change here, `ninsho follow apply --yes` applies it
   *[other] its newest backup, { $file }, holds { $count } accounts; `ninsho follow status` shows what would change here, `ninsho follow apply --yes` applies it
}
cli-follow-no-file-yet = no backup in the folder yet; it is read when one arrives
cli-follow-not-ready = { $file } cannot be read yet ({ $why }); it is tried again later
cli-follow-none = no file or folder is followed; add one with `ninsho follow add PATH --password-file F`
cli-follow-format = format: { $name }
cli-follow-applied = last applied: { $time } ({ $file })
cli-follow-never-applied = not applied yet
cli-follow-removed = no longer following { $path } (nothing in it was changed)
cli-follow-password-left = the password of the followed backups could not be deleted from the keyring: { $text }
cli-follow-up-to-date = up to date with { $file }
cli-follow-changes = { $file }: { $added } new, { $changed } changed, { $removed } removed
cli-follow-in-group = { $name } in { $group }
cli-follow-suspicious = { $count ->
    [one] most accounts are gone from this backup: the removal (1 account) is applied only after a review in the window, never with --yes
   *[other] most accounts are gone from this backup: the removals ({ $count } accounts) are applied only after a review in the window, never with --yes
}
cli-follow-error = cannot read it: { $text }
cli-follow-kept-here = changed here and there, kept as they are here: { $names }
cli-follow-applied-now = applied: { $added } added, { $changed } changed, { $removed } removed
cli-follow-removals-pending = { $count ->
    [one] 1 account removed there is kept here; add --with-removals to remove it too
   *[other] { $count } accounts removed there are kept here; add --with-removals to remove them too
}
cli-follow-removals-held = { $count ->
    [one] the removal of 1 account was not applied: most accounts are gone from that backup; review it in the window
   *[other] the removals of { $count } accounts were not applied: most accounts are gone from that backup; review them in the window
}
cli-follow-needs-yes = nothing was changed; to apply these changes, run `ninsho follow apply --yes` (add --with-removals to apply removals too)
cli-follow-some-failed = { $count ->
    [one] 1 followed source could not be read (see above)
   *[other] { $count } followed sources could not be read (see above)
}
err-follow-not-followed = { $path } is not followed (see `ninsho follow list`)
err-follow-already = { $path } is already followed
err-follow-missing = cannot follow { $path }: { $why }
err-follow-path-not-utf8 = the name { $path } is not valid Unicode; choose another file or folder
err-follow-no-password = the password of the backups in { $path } is not in the keyring; follow it again with `ninsho follow remove` and `ninsho follow add`
err-follow-read = cannot read { $path }: { $why }
err-follow-file = { $path }: { $why }
err-follow-too-large = it is larger than any authenticator's backup
err-follow-settings-damaged = the list of followed backups { $path } is damaged ({ $detail }); move it aside and follow them again
err-follow-settings-write = cannot write the list of followed backups { $path }: { $why }
help-follow = Follow another device's backups (a file or a synced folder) and apply its changes after review
help-follow-add = Follow another device's backups: a backup file, or a folder where the newest one is read
help-follow-list = List the files and folders followed
help-follow-remove = Stop following a file or folder (nothing is removed from it)
help-follow-status = Show what changed in each followed source since it was last applied
help-follow-apply = Apply the new and changed accounts of every followed source
help-follow-path = A backup file, or a folder of backups (Aegis, 2FAS, another computer's Ninsho)
help-follow-password-file = File holding the backups' password (first line); it is kept in the keyring
help-follow-format = The backups' format (default: detected)
help-follow-remove-path = The file or folder, as `ninsho follow list` shows it
help-follow-status-json = Print the status as JSON
help-follow-yes = Confirm (without it, the changes are only shown)
help-follow-with-removals = Also remove the accounts removed there

## Following in the window (src/ui/worker/follow.rs, src/ui/app/follow.rs)

# $shape says which counts are not zero: a (new), c (changed), r (removed).
ui-follow-banner = { $shape ->
    [a] The backup in { $name } has { $added ->
        [one] 1 new account
       *[other] { $added } new accounts
    }
    [c] The backup in { $name } has { $changed ->
        [one] 1 changed account
       *[other] { $changed } changed accounts
    }
    [r] The backup in { $name } has { $removed ->
        [one] 1 account removed
       *[other] { $removed } accounts removed
    }
    [ac] The backup in { $name } has { $added ->
        [one] 1 new account
       *[other] { $added } new accounts
    } and { $changed } changed
    [ar] The backup in { $name } has { $added ->
        [one] 1 new account
       *[other] { $added } new accounts
    } and { $removed } removed
    [cr] The backup in { $name } has { $changed ->
        [one] 1 changed account
       *[other] { $changed } changed accounts
    } and { $removed } removed
   *[acr] The backup in { $name } has { $added ->
        [one] 1 new account
       *[other] { $added } new accounts
    }, { $changed } changed and { $removed } removed
}
ui-follow-review = Review…
ui-follow-review-tooltip = See what changed there and choose what to apply here
ui-follow-later = Later
ui-follow-later-tooltip = Hide this until the backup changes again
ui-follow-explain = Changes in { $file }, the newest backup in { $name }, since it was last applied here. Nothing changes here until you press Apply.
ui-follow-explain-file = Changes in { $file } since it was last applied here. Nothing changes here until you press Apply.
ui-follow-new-heading = New there
ui-follow-changed-heading = Renamed or moved there
ui-follow-change-row = { $before } → { $after }
ui-follow-in-group = { $name } in { $group }
ui-follow-removed-heading = Removed there (tick to remove here too)
ui-follow-remove-row = Remove { $name }
ui-follow-suspicious = { $count ->
    [one] Most accounts are gone from this backup (1 removed). A phone that was reset or a backup that is incomplete looks like this: tick a removal only if you removed that account there yourself.
   *[other] Most accounts are gone from this backup ({ $count } removed). A phone that was reset or a backup that is incomplete looks like this: tick a removal only if you removed that account there yourself.
}
ui-follow-kept-here = Changed both here and there, so kept as they are here: { $names }
ui-follow-apply = { $count ->
    [one] Apply 1 change
   *[other] Apply { $count } changes
}
ui-follow-apply-tooltip = Apply the ticked changes here (Enter)
ui-follow-applied = Applied the changes from { $name }: { $added } added, { $changed } changed, { $removed } removed
ui-follow-failed = Cannot read the backups in { $name }: { $error }
ui-follow-settings-failed = Cannot read the list of followed backups: { $error }
ui-follow-apply-failed = Cannot apply the changes from { $name }: { $error }
ui-follow-heading = Following other devices
ui-follow-section-explain = Ninsho can read the encrypted backups that your phone or another computer keeps in a synced folder (Syncthing, Nextcloud, Dropbox, a USB stick): Aegis and 2FAS backups, and Ninsho's own from other computers. When they change, a banner offers what changed for review; nothing changes here until you apply it.
ui-follow-none = No folder is followed.
ui-follow-stop = Stop following
ui-follow-stop-tooltip = Forget this folder and its password here; the accounts already applied stay
ui-follow-set-up = Follow a folder…
ui-follow-set-up-tooltip = Follow the backups another device writes into a folder
ui-follow-path = Folder or file
ui-follow-path-hint = where the other device's backups arrive
ui-follow-password = Backup password
ui-follow-start = Follow
ui-follow-start-tooltip = Read the newest backup there with this password, then keep following it
ui-follow-working = Reading the backup…
ui-follow-add-failed = Cannot follow this: { $error }
ui-follow-folder-title = Folder with the other device's backups

## The reminder to back up (src/ui/app/backup.rs)

ui-backup-reminder = Some changes to your accounts are not in any backup yet: automatic backups are off.
ui-backup-reminder-set-up = Set up backups…
ui-backup-reminder-later = Not now
ui-backup-reminder-later-tooltip = Hide this until the accounts change again
ui-auto-backup-choose-folder = Choose…
ui-auto-backup-choose-folder-tooltip = Choose the folder in a file chooser
ui-auto-backup-folder-title = Folder for automatic backups
ui-status-backed-up = Backed up { $time }
ui-status-backup-failed = The automatic backup of { $time } failed (see Backup)

## The encrypted file store (src/vault/file_store.rs)

err-file-store-password = wrong password for the encrypted file { $path }
err-file-store-exists = { $path } already exists; open it instead of making a new one
err-file-store-gone = the encrypted file { $path } is gone (moved, deleted, or its drive unplugged)
err-file-store-damaged = the encrypted file { $path } is damaged, or was written by a newer Ninsho
err-file-store-read = cannot read the encrypted file { $path }: { $why }
err-file-store-write = cannot write the encrypted file { $path }: { $why }
err-file-store-lock = cannot lock the encrypted file { $path }: { $why }
help-store = Where the secrets are kept: the OS keyring (default) or an encrypted file
help-store-status = Show where the secrets are kept: the keyring or the encrypted file
help-store-use = Move every secret to the keyring or to an encrypted file, verified before the old copies are removed
help-store-status-json = Print the status as JSON
help-store-use-store = Where to keep the secrets from now on
help-store-use-password-file = For `file`: file holding the new file's password (first line); without it, a terminal asks
help-store-password-file = With the encrypted file store: file holding its password (first line); without it, a terminal asks
cli-store-password-prompt = Password of { $path }:
cli-store-new-password-prompt = New password for { $path }:
cli-store-repeat-password-prompt = Repeat the password:
cli-store-status-keyring = Secrets are kept in the keyring ({ $count ->
    [one] 1 account
   *[other] { $count } accounts
  })
cli-store-status-file = Secrets are kept in the encrypted file { $path } ({ $count ->
    [one] 1 account
   *[other] { $count } accounts
  })
cli-store-status-file-left = An encrypted file from earlier is still there: { $path } (`ninsho store use keyring` empties and removes it)
cli-store-status-file-missing = The encrypted file is missing: { $path } (moved, deleted, or on a drive that is not plugged in); no code can be shown without it
cli-store-already = Secrets are already kept in the { $store ->
    [file] encrypted file
   *[other] keyring
  }
cli-store-leftovers-removed = Removed { $count ->
    [one] 1 old copy
   *[other] { $count } old copies
  } that an interrupted move had left
cli-store-progress = Copying { $done } of { $total }…
cli-store-moved-file = Moved { $count ->
    [one] 1 account
   *[other] { $count } accounts
  } to the encrypted file { $path }; the keyring no longer holds them
cli-store-moved-keyring = Moved { $count ->
    [one] 1 account
   *[other] { $count } accounts
  } to the keyring; the encrypted file is removed
cli-store-left = { $count ->
    [one] 1 old copy
   *[other] { $count } old copies
  } could not be removed from the { $store ->
    [file] encrypted file
   *[other] keyring
  }; run the same `ninsho store use` again to remove them
err-store-choice-read = cannot read { $path }: { $why }
err-store-choice-write = cannot write { $path }: { $why }
err-store-choice-damaged = { $path } is damaged, or was written by a newer Ninsho
err-store-verify = the copy of item { $id } read back differently; nothing was switched and the old copies are kept
err-store-prompt = cannot ask for the password of { $path }: { $why }
err-store-password-needed = the secrets are in the encrypted file { $path }: give its password with --store-password-file F, or run on a terminal to be asked
err-store-new-password-needed = give the encrypted file's password with --password-file F, or run on a terminal to be asked
err-store-passwords-differ = the two passwords differ; nothing was changed
err-store-from-unreachable = cannot move the accounts out of the keyring: { $error }
err-store-file-exists = { $path } is there from an earlier try and does not open with this password ({ $error }); give its password, or move it away

## ninsho lock and the lock's D-Bus watch
help-lock = Lock every running Ninsho window
cli-lock-done = { $count ->
    [one] locked the window
   *[other] locked { $count } windows
  }
cli-lock-none = no Ninsho window is running
err-lock-off = { $locked ->
    [0] { $off ->
        [one] the running Ninsho window has its lock off, so it still shows the codes: turn the lock on in its Settings → Lock
       *[other] the { $off } running Ninsho windows have their lock off, so they still show the codes: turn the lock on in their Settings → Lock
      }
   *[other] locked { $locked } of { $total } windows; the others have their lock off and still show the codes: turn the lock on in their Settings → Lock
  }
err-lock-request-folder = cannot ask the running windows to lock: { $error }
err-lock-request-no-answer = { $locked ->
    [0] { $total ->
        [one] the running Ninsho window did not answer within { $secs } seconds
       *[other] none of the { $total } running Ninsho windows answered within { $secs } seconds
      }
   *[other] locked { $locked } of { $total } windows; the others did not answer within { $secs } seconds
  }
err-lock-request-no-session-bus = no D-Bus session bus to reach the windows over: { $error }
err-lock-request-list = the session bus did not list the running windows: { $error }
err-lock-request-call = { $locked ->
    [0] a window did not lock: { $error }
    [one] locked 1 window, but another did not lock: { $error }
   *[other] locked { $locked } windows, but another did not lock: { $error }
  }
err-lock-watch-no-session-bus = no D-Bus session bus, so the window will not lock with the screen: { $error }
err-polkit-process = cannot read when this program started, which the system's authentication needs: { $why }
err-polkit-stat-unreadable = /proc/self/stat is not in the expected form
err-polkit-unreachable = cannot reach the system's authentication service (polkit): { $error }
err-polkit-failed = could not check the authorization with the system's authentication service (polkit): { $error }
