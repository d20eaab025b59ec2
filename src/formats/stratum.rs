//! Stratum (formerly Authenticator Pro) backups: plain JSON and encrypted `.bin`
//! in the current and the legacy layout.
//!
//! Spec: Stratum's "Backup format" wiki page, checked against real files. Plain:
//! `{Authenticators: [{Type, Issuer, Username, Secret, Algorithm, Digits, Period,
//! Counter}], Categories: [{Id, Name}], AuthenticatorCategories: [{CategoryId,
//! AuthenticatorSecret}]}` with `Type` 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex
//! and `Algorithm` 0 SHA1, 1 SHA256, 2 SHA512. Current encrypted:
//! `"AUTHENTICATORPRO" ‖ salt (16) ‖ iv (12) ‖ AES-256-GCM(ciphertext ‖ tag)`, key
//! Argon2id(memory 64 MiB, 3 passes, 4 lanes). Legacy encrypted:
//! `"AuthenticatorPro" ‖ salt (20) ‖ iv (16) ‖ AES-256-CBC/PKCS#7`, key
//! PBKDF2-HMAC-SHA1(64 000 rounds).
//!
//! Cannot carry: icons, rankings, PINs; mOTP and Yandex entries are skipped. The
//! first category of an account becomes its group. Stratum's HTML and URI-list
//! backups are not this format (the URI list imports as `otpauth`).

use std::collections::HashMap;

use serde_json::Value;
use zeroize::Zeroizing;

use super::json::{self, Sniff, array_field, need_str, str_field, u64_field};
use super::{Format, FormatError, Import, Input, crypto, digits, entry_label, group_name};
use crate::otp::{Algorithm, Kind, OtpAccount, Params, Secret};

const WHAT: &str = "Stratum backup";
const MAGIC: &[u8] = b"AUTHENTICATORPRO";
const MAGIC_LEGACY: &[u8] = b"AuthenticatorPro";

pub const FORMAT: Format = Format {
    name: "stratum",
    description: || crate::t!("fmt-stratum"),
    encryptable: true,
    detect,
    import,
};

fn detect(input: &Input) -> bool {
    let bytes = input.bytes();
    if bytes.starts_with(MAGIC) || bytes.starts_with(MAGIC_LEGACY) {
        return true;
    }
    match input.sniff() {
        Sniff::Parsed(v) => v.get("Authenticators").is_some_and(Value::is_array),
        Sniff::Truncated(text) => text.contains("\"Authenticators\""),
        Sniff::No => false,
    }
}

/// Phase 2: the plaintext of an encrypted backup.
fn decrypt(bytes: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    let short = || FormatError::Damaged {
        what: WHAT,
        detail: crate::t!("err-stratum-short"),
    };
    if let Some(rest) = bytes.strip_prefix(MAGIC) {
        if rest.len() < 16 + 12 + 16 {
            return Err(short());
        }
        let (salt, rest) = rest.split_at(16);
        let (iv, ciphertext) = rest.split_at(12);
        let key = crypto::argon2id(password.as_bytes(), salt, 64 * 1024, 3, 4)
            .ok_or(FormatError::WrongPasswordOrDamaged(WHAT))?;
        return crypto::gcm_open(key.as_ref(), iv, ciphertext)
            .ok_or(FormatError::WrongPasswordOrDamaged(WHAT));
    }
    let rest = bytes
        .strip_prefix(MAGIC_LEGACY)
        .ok_or(FormatError::NotThisFormat(crate::t!("err-stratum-not")))?;
    if rest.len() < 20 + 16 + 16 {
        return Err(short());
    }
    let (salt, rest) = rest.split_at(20);
    let (iv, ciphertext) = rest.split_at(16);
    let key = crypto::pbkdf2_sha1(password.as_bytes(), salt, 64_000);
    let plain = crypto::cbc_open(key.as_ref(), iv, ciphertext)
        .ok_or(FormatError::WrongPasswordOrDamaged(WHAT))?;
    // CBC has no tag: a wrong key usually breaks the padding, and otherwise the
    // JSON, which the caller reports the same way.
    if !matches!(json::Parsed::new(&plain).sniff(&plain), Sniff::Parsed(_)) {
        return Err(FormatError::WrongPasswordOrDamaged(WHAT));
    }
    Ok(plain)
}

fn import(input: &Input, password: Option<&str>) -> Result<Import, FormatError> {
    let bytes = input.bytes();
    let decrypted;
    let root = if bytes.starts_with(MAGIC) || bytes.starts_with(MAGIC_LEGACY) {
        let password = password.ok_or(FormatError::PasswordNeeded(WHAT))?;
        decrypted = json::parse(&decrypt(bytes, password)?, WHAT)?;
        &decrypted.0
    } else {
        input.json(WHAT)?
    };
    let Some(Value::Array(list)) = root.get("Authenticators") else {
        return Err(FormatError::NotThisFormat(crate::t!(
            "err-stratum-no-authenticators"
        )));
    };
    // Looked up by key: a file of 100 000 accounts and as many links must not
    // cost a scan of every link per account.
    let mut categories: HashMap<&str, Result<&str, String>> = HashMap::new();
    for c in array_field(root, "Categories").unwrap_or(&[]) {
        if let (Some(id), Some(name)) = (str_field(c, "Id"), str_field(c, "Name")) {
            categories.entry(id).or_insert_with(|| group_name(name));
        }
    }
    let mut first_category: HashMap<&str, &str> = HashMap::new();
    for link in array_field(root, "AuthenticatorCategories").unwrap_or(&[]) {
        if let (Some(secret), Some(id)) = (
            str_field(link, "AuthenticatorSecret"),
            str_field(link, "CategoryId"),
        ) {
            first_category.entry(secret).or_insert(id);
        }
    }
    let mut out = Import::default();
    for (i, a) in list.iter().enumerate() {
        let issuer = str_field(a, "Issuer").unwrap_or_default();
        let name = str_field(a, "Username").unwrap_or_default();
        let group = str_field(a, "Secret")
            .and_then(|secret| first_category.get(secret))
            .and_then(|id| categories.get(id).cloned())
            .transpose();
        match group.and_then(|group| Ok((authenticator(a, issuer, name)?, group))) {
            Ok((account, group)) => {
                out.add(account)?;
                out.groups.push(group.map(str::to_string));
            }
            Err(why) => out.skip(entry_label(i, issuer, name), why)?,
        }
    }
    Ok(out)
}

fn authenticator(a: &Value, issuer: &str, name: &str) -> Result<OtpAccount, String> {
    let kind = match u64_field(a, "Type")? {
        Some(1) => Kind::Hotp,
        Some(2) => Kind::Totp,
        Some(3) => return Err(crate::t!("err-motp")),
        Some(4) => Kind::Steam,
        Some(5) => return Err(crate::t!("err-yandex")),
        Some(t) => return Err(crate::t!("err-unknown-type-number", number = t)),
        None => return Err(crate::t!("err-stratum-no-type")),
    };
    let algorithm = match u64_field(a, "Algorithm")? {
        None | Some(0) => Algorithm::Sha1,
        Some(1) => Algorithm::Sha256,
        Some(2) => Algorithm::Sha512,
        Some(n) => return Err(crate::t!("err-unknown-algorithm-number", number = n)),
    };
    let secret = Secret::parse_base32(need_str(a, "Secret")?).map_err(|e| e.to_string())?;
    let params = Params {
        kind,
        algorithm,
        digits: digits(u64_field(a, "Digits")?, 6)?,
        period: u64_field(a, "Period")?.unwrap_or(crate::otp::DEFAULT_PERIOD),
        counter: u64_field(a, "Counter")?.unwrap_or(0),
    };
    super::account(issuer, name, secret, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn motp_is_skipped_and_categories_become_groups() {
        let json = br#"{"Authenticators": [
            {"Type": 3, "Issuer": "M", "Username": "u", "Secret": "abcd1234", "Pin": "1234", "Digits": 6, "Period": 10},
            {"Type": 2, "Issuer": "T", "Username": "v", "Secret": "JBSWY3DPEHPK3PXP", "Algorithm": 1, "Digits": 8, "Period": 60}],
            "Categories": [{"Id": "c1", "Name": "Home"}],
            "AuthenticatorCategories": [{"CategoryId": "c1", "AuthenticatorSecret": "JBSWY3DPEHPK3PXP"}]}"#;
        assert!(FORMAT.detects(json));
        let got = FORMAT.read(json, None).unwrap();
        assert_eq!(
            got.skipped,
            vec![("entry 1 (M (u))".to_string(), crate::t!("err-motp"))]
        );
        assert_eq!(got.accounts[0].params.algorithm, Algorithm::Sha256);
        assert_eq!(got.groups, vec![Some("Home".to_string())]);
    }

    #[test]
    fn a_header_without_contents_is_damage() {
        assert!(matches!(
            FORMAT.read(b"AUTHENTICATORPRO\x01\x02", Some("pw")),
            Err(FormatError::Damaged { .. })
        ));
    }
}
