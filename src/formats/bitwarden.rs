//! Bitwarden vault exports: unencrypted `.json` and `.csv`.
//!
//! Spec: Bitwarden's help article "Condition a Bitwarden .csv or .json" and real
//! exports. JSON: `{encrypted: false, folders: [{id, name}], items: [{type, name,
//! folderId, login: {username, totp}}]}`. CSV: a header row naming the columns,
//! among them `folder`, `name`, `login_username`, `login_totp`. The `totp` value is
//! an `otpauth://` URI, `steam://SECRET`, or a bare base32 secret (then TOTP
//! SHA1/6/30, named after the item and its user name).
//!
//! Cannot carry: Bitwarden's authenticator is TOTP-only, so no HOTP; Steam
//! entries have no issuer or account (the item's name and user name are used).
//! Items without a `totp` are passwords, not accounts, and are passed over.
//! Password-protected ("encrypted") JSON exports are not supported yet: the error
//! says to export unencrypted. A CSV has no end marker: one cut short at a row
//! boundary reads as a shorter export; one cut inside a row is reported damaged
//! when the row lacks columns.

use std::collections::HashMap;

use serde_json::Value;

use super::json::{Sniff, array_field, str_field};
use super::{Format, FormatError, Import, Input, entry_label, group_name, otp_field};
use crate::otp::shorten;

const WHAT_JSON: &str = "Bitwarden export";
const WHAT_CSV: &str = "Bitwarden CSV export";

pub const FORMAT_JSON: Format = Format {
    name: "bitwarden",
    description: || crate::t!("fmt-bitwarden-json"),
    encryptable: false,
    detect: detect_json,
    import: import_json,
};

pub const FORMAT_CSV: Format = Format {
    name: "bitwarden-csv",
    description: || crate::t!("fmt-bitwarden-csv"),
    encryptable: false,
    detect: detect_csv,
    import: import_csv,
};

fn detect_json(input: &Input) -> bool {
    match input.sniff() {
        Sniff::Parsed(v) => {
            v.get("items").is_some_and(Value::is_array) && v.get("encrypted").is_some()
        }
        Sniff::Truncated(text) => text.contains("\"encrypted\"") && text.contains("\"items\""),
        Sniff::No => false,
    }
}

fn import_json(input: &Input, _password: Option<&str>) -> Result<Import, FormatError> {
    let root = input.json(WHAT_JSON)?;
    if root.get("encrypted").and_then(Value::as_bool) == Some(true) {
        return Err(FormatError::Unsupported(crate::t!(
            "err-bitwarden-encrypted"
        )));
    }
    let damaged = |detail: String| FormatError::Damaged {
        what: WHAT_JSON,
        detail,
    };
    let items = match root.get("items") {
        Some(Value::Array(a)) => a,
        _ => {
            return Err(FormatError::NotThisFormat(crate::t!("err-bitwarden-not")));
        }
    };
    let mut folders: HashMap<&str, Result<&str, String>> = HashMap::new();
    for f in array_field(root, "folders").map_err(damaged)? {
        if let (Some(id), Some(name)) = (str_field(f, "id"), str_field(f, "name")) {
            folders.entry(id).or_insert_with(|| group_name(name));
        }
    }
    let mut out = Import::default();
    for (i, item) in items.iter().enumerate() {
        let login = item.get("login").unwrap_or(&Value::Null);
        let Some(totp) = str_field(login, "totp").filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        let item_name = str_field(item, "name").unwrap_or_default();
        let user = str_field(login, "username").unwrap_or_default();
        let folder = str_field(item, "folderId")
            .and_then(|id| folders.get(id).cloned())
            .transpose();
        match folder.and_then(|folder| Ok((otp_field(totp, item_name, user)?, folder))) {
            Ok(((a, warnings), folder)) => {
                let folder = folder.map(str::to_string);
                out.warnings.extend(warnings.into_iter().map(|w| {
                    crate::t!(
                        "err-located",
                        place = crate::t!("err-item", name = shorten(item_name)),
                        text = w
                    )
                }));
                out.add(a)?;
                out.groups.push(folder);
            }
            Err(why) => out.skip(entry_label(i, item_name, user), why)?,
        }
    }
    Ok(out)
}

const CSV_HEADER_KEY: &str = "login_totp";

fn detect_csv(input: &Input) -> bool {
    let bytes = input.bytes();
    // Only the header row decides: a bad byte in a later row is damage that
    // import_csv reports by row, not a reason to call the file unknown.
    let head = &bytes[..bytes.len().min(4096)];
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    std::str::from_utf8(line).is_ok_and(first_line_has_totp_column)
}

fn first_line_has_totp_column(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .lines()
        .next()
        .is_some_and(|l| {
            l.split(',')
                .any(|c| c.trim().trim_matches('"') == CSV_HEADER_KEY)
        })
}

fn import_csv(input: &Input, _password: Option<&str>) -> Result<Import, FormatError> {
    let damaged = |detail: String| FormatError::Damaged {
        what: WHAT_CSV,
        detail,
    };
    let bytes = input.bytes();
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    // Bitwarden writes every column in every row; a short row is a cut file.
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|_| damaged(crate::t!("err-csv-header")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let totp_col = column(CSV_HEADER_KEY)
        .ok_or_else(|| FormatError::NotThisFormat(crate::t!("err-csv-no-totp")))?;
    let (name_col, user_col, folder_col) =
        (column("name"), column("login_username"), column("folder"));
    let mut out = Import::default();
    for (i, record) in reader.records().enumerate() {
        // Errors from the csv crate can quote the row, which may hold a secret.
        let record = record.map_err(|e| {
            damaged(if e.is_io_error() {
                crate::t!("err-csv-row", row = i + 2)
            } else {
                crate::t!("err-csv-row-broken", row = i + 2)
            })
        })?;
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or_default();
        let totp = get(Some(totp_col));
        if totp.trim().is_empty() {
            continue;
        }
        let (item_name, user) = (get(name_col), get(user_col));
        match otp_field(totp, item_name, user) {
            Ok((a, warnings)) => {
                out.warnings.extend(warnings.into_iter().map(|w| {
                    crate::t!(
                        "err-located",
                        place = crate::t!("err-row", row = i + 2),
                        text = w
                    )
                }));
                let folder = get(folder_col).trim();
                out.add(a)?;
                out.groups
                    .push((!folder.is_empty()).then(|| folder.to_string()));
            }
            Err(why) => out.skip(
                crate::t!("err-row-named", row = i + 2, name = shorten(item_name)),
                why,
            )?,
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_passed_over_bare_secrets_named_after_the_item() {
        let json = br#"{"encrypted": false, "folders": [{"id": "f1", "name": "Work"}], "items": [
            {"type": 1, "name": "Mail", "login": {"username": "me", "password": "x", "totp": null}},
            {"type": 1, "name": "Forge", "folderId": "f1", "login": {"username": "al", "totp": "jbsw y3dp ehpk 3pxp"}},
            {"type": 1, "name": "Broken", "login": {"totp": "otpauth://totp/x?secret=JBSW1"}}]}"#;
        assert!(FORMAT_JSON.detects(json));
        let got = FORMAT_JSON.read(json, None).unwrap();
        assert_eq!(got.accounts.len(), 1);
        let a = &got.accounts[0];
        assert_eq!((a.issuer.as_str(), a.name.as_str()), ("Forge", "al"));
        assert_eq!(a.secret.to_base32().as_str(), "JBSWY3DPEHPK3PXP");
        assert_eq!(got.groups, vec![Some("Work".to_string())]);
        assert_eq!(got.skipped.len(), 1);
        assert!(got.skipped[0].0.contains("Broken"));
        assert!(!got.skipped[0].1.contains("JBSW1"), "{}", got.skipped[0].1);
    }

    #[test]
    fn password_protected_exports_say_what_to_do() {
        let json = br#"{"encrypted": true, "passwordProtected": true, "salt": "x", "data": "2.a|b|c", "items": []}"#;
        let e = FORMAT_JSON.read(json, Some("pw")).unwrap_err();
        assert!(
            e.to_string()
                .contains("export from Bitwarden as unencrypted"),
            "{e}"
        );
    }

    #[test]
    fn csv_rows_with_the_wrong_number_of_fields_are_damage() {
        let csv = b"folder,favorite,type,name,notes,fields,login_uri,login_username,login_password,login_totp\n,,login,A,,,,,,steam://JRZCL47CMXVOQMNPZR2F7J4RGI\n,,login,B\n";
        assert!(FORMAT_CSV.detects(csv));
        assert!(matches!(
            FORMAT_CSV.read(csv, None),
            Err(FormatError::Damaged { .. })
        ));
    }
}
