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
cli-too-large = { $path } is { $mib } MiB, too large to be an authenticator export
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
ui-review-from = From { $source }:
ui-file-dialog-failed = The file dialog could not be shown
ui-opening-screen = the screen
ui-opening-clipboard = the clipboard
ui-scan-menu = Scan QR code
ui-scan-menu-tooltip = Add accounts from a QR code on the screen, on the clipboard or in an image file
ui-chooser-failed = Cannot open a file chooser: { $error }
ui-chooser-open-title = Open a QR code image or an export
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

## Errors (src/vault, src/otp, src/formats, src/scan)

err-no-match = no account matches "{ $query }"
err-ambiguous = "{ $query }" matches { $count } accounts; be more specific:
err-ambiguous-more = and { $count } more
