//! andOTP backups: plain JSON, and encrypted `.json.aes` in both the current and
//! the old layout.
//!
//! Spec: andOTP's wiki "Backup and restore" and its source's encryption layout.
//! Plain: a JSON array of `{secret (base32), issuer, label, digits, type (TOTP,
//! HOTP, STEAM, MOTP), algorithm, period, counter, tags}`. Current encrypted:
//! `iterations (u32 big-endian) ‖ salt (12) ‖ iv (12) ‖ AES-256-GCM(ciphertext ‖
//! tag)` with the key PBKDF2-HMAC-SHA1(password, salt, iterations). Old encrypted:
//! `iv (12) ‖ ciphertext ‖ tag` with the key SHA-256(password). Old versions also
//! had no `issuer` field and wrote labels as "Issuer - Issuer:Account".
//!
//! Encrypted files have no magic bytes, so they are never auto-detected: pass
//! `--format andotp`. Cannot carry: thumbnails, usage counts; of several tags only
//! the first becomes the group. mOTP entries are skipped.

use serde_json::Value;
use zeroize::Zeroizing;

use super::json::{self, Sniff, need_str, str_field, u64_field};
use super::{Format, FormatError, Import, Input, crypto, digits, entry_label};
use crate::otp::{Algorithm, Kind, OtpAccount, Params, Secret, shorten};

const WHAT: &str = "andOTP backup";

/// andOTP itself picks between 140 000 and 160 000; anything far beyond is not an
/// andOTP file, and would only burn time.
const MAX_ITERATIONS: u32 = 1_000_000;

pub const FORMAT: Format = Format {
    name: "andotp",
    description: || crate::t!("fmt-andotp"),
    encryptable: true,
    detect,
    import,
};

fn detect(input: &Input) -> bool {
    match input.sniff() {
        Sniff::Parsed(v) => match v {
            Value::Array(a) => a.first().is_some_and(|e| {
                e.get("secret").is_some() && e.get("type").is_some() && e.get("label").is_some()
            }),
            _ => false,
        },
        Sniff::Truncated(text) => {
            text.trim_start().starts_with('[')
                && text.contains("\"secret\"")
                && text.contains("\"label\"")
        }
        Sniff::No => false,
    }
}

/// Phase 2: the plaintext of an encrypted backup, trying the old layout (cheap)
/// before the current one.
fn decrypt(bytes: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    if bytes.len() >= 12 + 16 {
        let key = crypto::sha256(password.as_bytes());
        if let Some(plain) = crypto::gcm_open(key.as_ref(), &bytes[..12], &bytes[12..]) {
            return Ok(plain);
        }
    }
    if bytes.len() >= 4 + 12 + 12 + 16 {
        let iterations = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        if (1..=MAX_ITERATIONS).contains(&iterations) {
            let key = crypto::pbkdf2_sha1(password.as_bytes(), &bytes[4..16], iterations);
            if let Some(plain) = crypto::gcm_open(key.as_ref(), &bytes[16..28], &bytes[28..]) {
                return Ok(plain);
            }
        }
    }
    Err(FormatError::WrongPasswordOrDamaged(WHAT))
}

fn import(input: &Input, password: Option<&str>) -> Result<Import, FormatError> {
    let decrypted;
    let root = match input.sniff() {
        Sniff::Parsed(_) | Sniff::Truncated(_) => input.json(WHAT)?,
        Sniff::No => {
            let password = password.ok_or(FormatError::PasswordNeeded(WHAT))?;
            decrypted = json::parse(&decrypt(input.bytes(), password)?, WHAT)?;
            &decrypted.0
        }
    };
    let Value::Array(entries) = root else {
        return Err(FormatError::NotThisFormat(crate::t!("err-andotp-not")));
    };
    let mut out = Import::default();
    for (i, e) in entries.iter().enumerate() {
        let (issuer, name) = names(e);
        match entry(e, &issuer, &name) {
            Ok(a) => {
                let tag = json::array_field(e, "tags")
                    .ok()
                    .and_then(|t| t.first())
                    .and_then(Value::as_str)
                    .map(str::to_string);
                out.add(a)?;
                out.groups.push(tag);
            }
            Err(why) => out.skip(entry_label(i, &issuer, &name), why)?,
        }
    }
    Ok(out)
}

/// Issuer and account name, undoing old versions' "Issuer - Issuer:Account" labels.
fn names(e: &Value) -> (String, String) {
    let label = str_field(e, "label").unwrap_or_default();
    if let Some(issuer) = str_field(e, "issuer").filter(|i| !i.is_empty()) {
        return (issuer.to_string(), label.to_string());
    }
    let (issuer, rest) = match label.split_once(" - ") {
        Some((i, rest)) => (i, rest),
        None => match label.split_once(':') {
            Some((i, rest)) => return (i.trim().to_string(), rest.trim().to_string()),
            None => return (String::new(), label.to_string()),
        },
    };
    let name = rest
        .strip_prefix(issuer)
        .and_then(|r| r.strip_prefix(':'))
        .unwrap_or(rest);
    (issuer.trim().to_string(), name.trim().to_string())
}

fn entry(e: &Value, issuer: &str, name: &str) -> Result<OtpAccount, String> {
    let type_text = need_str(e, "type")?;
    let kind = match type_text.to_ascii_uppercase().as_str() {
        "TOTP" => Kind::Totp,
        "HOTP" => Kind::Hotp,
        "STEAM" => Kind::Steam,
        "MOTP" => return Err(crate::t!("err-motp")),
        _ => return Err(crate::t!("err-type-unsupported", kind = shorten(type_text))),
    };
    let secret = Secret::parse_base32(need_str(e, "secret")?).map_err(|e| e.to_string())?;
    let algorithm = match str_field(e, "algorithm") {
        Some(a) => Algorithm::parse(a).map_err(|e| e.to_string())?,
        None => Algorithm::Sha1,
    };
    let params = Params {
        kind,
        algorithm,
        digits: digits(u64_field(e, "digits")?, 6)?,
        period: u64_field(e, "period")?.unwrap_or(crate::otp::DEFAULT_PERIOD),
        counter: u64_field(e, "counter")?.unwrap_or(0),
    };
    super::account(issuer, name, secret, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_labels_are_split() {
        let e = serde_json::json!({"label": "Air Canada - Air Canada:Benjamin"});
        assert_eq!(names(&e), ("Air Canada".into(), "Benjamin".into()));
        let e = serde_json::json!({"label": "Mason", "issuer": "Deno"});
        assert_eq!(names(&e), ("Deno".into(), "Mason".into()));
    }

    #[test]
    fn garbage_with_a_password_is_a_clear_error() {
        assert_eq!(
            FORMAT.read(&[0x42; 100], Some("x")).unwrap_err(),
            FormatError::WrongPasswordOrDamaged(WHAT)
        );
        assert_eq!(
            FORMAT.read(&[0x42; 100], None).unwrap_err(),
            FormatError::PasswordNeeded(WHAT)
        );
    }
}
