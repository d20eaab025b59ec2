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
