//! 2FAS Authenticator backups (`.2fas`, older `.json`), schema versions 1–4,
//! plain and encrypted.
//!
//! Spec: none published; learned from real exports (the shared fixtures). The file
//! is `{services: [...], schemaVersion, groups: [{id, name}], ...}`. Each service
//! has `name`, `secret` (base32), `groupId`, and `otp {account, issuer, label,
//! digits, period, algorithm, counter, tokenType}`; schema 1 has no parameters,
//! schema 2 no `tokenType`. Encrypted files keep `services` empty and put the list
//! in `servicesEncrypted` = `base64(ciphertext‖tag):base64(salt):base64(iv)`,
//! AES-256-GCM under PBKDF2-HMAC-SHA256(password, salt, 10 000 rounds). The
//! `reference` field is a known text encrypted the same way; it tells a wrong
//! password apart from a damaged list.
//!
//! Cannot carry: schema 1 keeps only TOTP SHA1/6/30 and schema 2 no HOTP/Steam
//! type — those files lose the difference themselves, so what they hold is what
//! is imported. Icons and badge colours are dropped.

use std::collections::HashMap;

use serde_json::Value;

use super::json::{self, Sniff, array_field, need_str, str_field, u64_field};
use super::{Format, FormatError, Import, Input, crypto, digits, entry_label, group_name};
use crate::otp::{Algorithm, Kind, OtpAccount, Params, Secret, shorten};

const WHAT: &str = "2FAS backup";
const PBKDF2_ROUNDS: u32 = 10_000;

pub const FORMAT: Format = Format {
    name: "2fas",
    description: || crate::t!("fmt-twofas"),
    encryptable: true,
    detect,
    import,
};

fn detect(input: &Input) -> bool {
    match input.sniff() {
        Sniff::Parsed(v) => {
            v.get("services").is_some_and(Value::is_array) && v.get("schemaVersion").is_some()
        }
        Sniff::Truncated(text) => {
            text.contains("\"services\"")
                && (text.contains("\"otp\"") || text.contains("\"schemaVersion\""))
        }
        Sniff::No => false,
    }
}

fn damaged(detail: impl Into<String>) -> FormatError {
    FormatError::Damaged {
        what: WHAT,
        detail: detail.into(),
    }
}

/// Decrypts one `ciphertext:salt:iv` field.
fn open(field: &str, password: &str) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, FormatError> {
    use base64::Engine;
    let b64 = |s: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(s.trim())
            .map_err(|_| damaged(crate::t!("err-twofas-not-base64")))
    };
    let parts: Vec<&str> = field.split(':').collect();
    let [ct, salt, iv] = parts[..] else {
        return Err(damaged(crate::t!("err-twofas-fields")));
    };
    let (ct, salt, iv) = (b64(ct)?, b64(salt)?, b64(iv)?);
    let key = crypto::pbkdf2_sha256(password.as_bytes(), &salt, PBKDF2_ROUNDS);
    Ok(crypto::gcm_open(key.as_ref(), &iv, &ct))
}

fn import(input: &Input, password: Option<&str>) -> Result<Import, FormatError> {
    let root = input.json(WHAT)?;
    if !root.get("services").is_some_and(Value::is_array) {
        return Err(FormatError::NotThisFormat(crate::t!("err-twofas-not")));
    }
    let encrypted = str_field(root, "servicesEncrypted").filter(|s| !s.is_empty());
    let decrypted;
    let services: &[Value] = match encrypted {
        None => array_field(root, "services").map_err(damaged)?,
        Some(field) => {
            let password = password.ok_or(FormatError::PasswordNeeded(WHAT))?;
            if let Some(reference) = str_field(root, "reference")
                && open(reference, password)?.is_none()
            {
                return Err(FormatError::WrongPassword(WHAT));
            }
            let plain = open(field, password)?.ok_or(if root.get("reference").is_some() {
                damaged(crate::t!("err-twofas-altered"))
            } else {
                FormatError::WrongPasswordOrDamaged(WHAT)
            })?;
            decrypted = json::parse(&plain, WHAT)?;
            match &decrypted.0 {
                Value::Array(a) => a,
                _ => return Err(damaged(crate::t!("err-twofas-not-list"))),
            }
        }
    };
    let mut groups: HashMap<&str, Result<&str, String>> = HashMap::new();
    for g in array_field(root, "groups").unwrap_or(&[]) {
        if let (Some(id), Some(name)) = (str_field(g, "id"), str_field(g, "name")) {
            groups.entry(id).or_insert_with(|| group_name(name));
        }
    }
    let mut out = Import::default();
    for (i, s) in services.iter().enumerate() {
        let otp = s.get("otp").unwrap_or(&Value::Null);
        let issuer = str_field(otp, "issuer")
            .filter(|t| !t.is_empty())
            .or(str_field(s, "name"))
            .unwrap_or_default();
        let name = str_field(otp, "account").unwrap_or_default();
        let group = str_field(s, "groupId")
            .and_then(|id| groups.get(id).cloned())
            .transpose();
        match group.and_then(|group| Ok((service(s, otp, issuer, name)?, group))) {
            Ok((a, group)) => {
                out.add(a)?;
                out.groups.push(group.map(str::to_string));
            }
            Err(why) => out.skip(entry_label(i, issuer, name), why)?,
        }
    }
    Ok(out)
}

fn service(s: &Value, otp: &Value, issuer: &str, name: &str) -> Result<OtpAccount, String> {
    let kind = match str_field(otp, "tokenType") {
        None => Kind::Totp,
        Some(t) => match t.to_ascii_uppercase().as_str() {
            "TOTP" => Kind::Totp,
            "HOTP" => Kind::Hotp,
            "STEAM" => Kind::Steam,
            _ => return Err(crate::t!("err-token-type-unsupported", kind = shorten(t))),
        },
    };
    let secret = Secret::parse_base32(need_str(s, "secret")?).map_err(|e| e.to_string())?;
    let algorithm = match str_field(otp, "algorithm") {
        Some(a) => Algorithm::parse(a).map_err(|e| e.to_string())?,
        None => Algorithm::Sha1,
    };
    let params = Params {
        kind,
        algorithm,
        digits: digits(u64_field(otp, "digits")?, 6)?,
        period: u64_field(otp, "period")?.unwrap_or(crate::otp::DEFAULT_PERIOD),
        counter: u64_field(otp, "counter")?.unwrap_or(0),
    };
    super::account(issuer, name, secret, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_unknown_token_types() {
        let json = br#"{"schemaVersion": 4, "groups": [{"id": "g", "name": "Games"}], "services": [
            {"name": "Steam", "secret": "JRZCL47CMXVOQMNPZR2F7J4RGI", "groupId": "g",
             "otp": {"account": "me", "tokenType": "STEAM", "digits": 5, "period": 30}},
            {"name": "Odd", "secret": "JBSWY3DPEHPK3PXP", "otp": {"tokenType": "YAOTP"}}]}"#;
        assert!(FORMAT.detects(json));
        let got = FORMAT.read(json, None).unwrap();
        assert_eq!(got.accounts.len(), 1);
        assert_eq!(got.accounts[0].issuer, "Steam");
        assert_eq!(got.accounts[0].params.kind, Kind::Steam);
        assert_eq!(got.groups, vec![Some("Games".to_string())]);
        assert_eq!(got.skipped[0].1, "token type \"YAOTP\" not supported");
    }
}
