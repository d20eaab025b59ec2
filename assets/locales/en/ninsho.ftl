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

## Errors (src/vault, src/otp, src/formats, src/scan)

err-no-match = no account matches "{ $query }"
err-ambiguous = "{ $query }" matches { $count } accounts; be more specific:
err-ambiguous-more = and { $count } more

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
