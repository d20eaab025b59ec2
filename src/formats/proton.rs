//! Proton Authenticator exports (unencrypted `.json`).
//!
//! Spec: none published; learned from real exports: `{version: 1, entries: [{id,
//! content: {uri, entry_type (Totp, Steam), name}, note}]}` where `uri` is an
//! `otpauth://` URI (or `steam://SECRET` for Steam entries).
//!
//! Cannot carry: notes. Proton's password-protected exports are not supported
//! yet (the error says so).

use serde_json::Value;

use super::json::{Sniff, str_field};
use super::{Format, FormatError, Import, Input, entry_label, otp_field};

const WHAT: &str = "Proton Authenticator export";

pub const FORMAT: Format = Format {
    name: "proton",
    description: || crate::t!("fmt-proton"),
    encryptable: false,
    detect,
    import,
};

fn detect(input: &Input) -> bool {
    match input.sniff() {
        Sniff::Parsed(v) => {
            v.get("version").is_some()
                && v.get("entries").and_then(Value::as_array).is_some_and(|e| {
                    e.is_empty() || e[0].get("content").is_some_and(|c| c.get("uri").is_some())
                })
                && v.get("header").is_none()
        }
        Sniff::Truncated(text) => text.contains("\"entries\"") && text.contains("\"entry_type\""),
        Sniff::No => false,
    }
}

fn import(input: &Input, _password: Option<&str>) -> Result<Import, FormatError> {
    let root = input.json(WHAT)?;
    if root.get("salt").is_some() || root.get("content").is_some_and(Value::is_string) {
        return Err(FormatError::Unsupported(crate::t!("err-proton-encrypted")));
    }
    let Some(Value::Array(entries)) = root.get("entries") else {
        return Err(FormatError::NotThisFormat(crate::t!("err-proton-not")));
    };
    let mut out = Import::default();
    for (i, e) in entries.iter().enumerate() {
        let content = e.get("content").unwrap_or(&Value::Null);
        let name = str_field(content, "name").unwrap_or_default();
        let Some(uri) = str_field(content, "uri") else {
            out.skip(entry_label(i, "", name), crate::t!("err-proton-no-uri"))?;
            continue;
        };
        match otp_field(uri, "", name) {
            Ok((a, warnings)) => {
                out.warnings.extend(warnings.into_iter().map(|w| {
                    crate::t!(
                        "err-located",
                        place = crate::t!("err-entry", number = i + 1),
                        text = w
                    )
                }));
                out.add(a)?;
            }
            Err(why) => out.skip(entry_label(i, "", name), why)?,
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::Kind;

    #[test]
    fn steam_entries_and_missing_uris() {
        let json = br#"{"version": 1, "entries": [
            {"id": "1", "content": {"uri": "steam://JRZCL47CMXVOQMNPZR2F7J4RGI", "entry_type": "Steam", "name": "Valve"}},
            {"id": "2", "content": {"entry_type": "Totp", "name": "Empty"}}]}"#;
        assert!(FORMAT.detects(json));
        let got = FORMAT.read(json, None).unwrap();
        assert_eq!(got.accounts[0].params.kind, Kind::Steam);
        assert_eq!(got.accounts[0].name, "Valve");
        assert_eq!(got.skipped.len(), 1);
    }
}
