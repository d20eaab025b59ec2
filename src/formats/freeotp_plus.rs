//! FreeOTP+ JSON backups.
//!
//! Spec: FreeOTP+'s export (its `Token` class serialised with Gson), learned from
//! real exports: `{tokenOrder: [...], tokens: [{algo, counter, digits, issuerExt,
//! issuerInt, label, period, secret, type}]}` where `secret` is the raw key as a
//! list of signed bytes (-128..127) and `type` is TOTP or HOTP.
//!
//! Cannot carry: FreeOTP stores an HOTP counter one lower than the code the user
//! last saw, and we import the stored value unchanged (the next code asked for is
//! then the one FreeOTP+ would have shown next). No Steam, no groups, no icons.

use serde_json::Value;
use zeroize::Zeroizing;

use super::json::{Sniff, need_str, str_field, u64_field};
use super::{Format, FormatError, Import, Input, digits, entry_label};
use crate::otp::{Algorithm, Kind, OtpAccount, Params, Secret, shorten};

const WHAT: &str = "FreeOTP+ backup";

pub const FORMAT: Format = Format {
    name: "freeotp-plus",
    description: || crate::t!("fmt-freeotp-plus"),
    encryptable: false,
    detect,
    import,
};

fn detect(input: &Input) -> bool {
    match input.sniff() {
        Sniff::Parsed(v) => v.get("tokens").is_some_and(Value::is_array),
        Sniff::Truncated(text) => text.contains("\"tokens\"") && text.contains("\"issuerExt\""),
        Sniff::No => false,
    }
}

fn import(input: &Input, _password: Option<&str>) -> Result<Import, FormatError> {
    let Some(Value::Array(tokens)) = input.json(WHAT)?.get("tokens") else {
        return Err(FormatError::NotThisFormat(crate::t!("err-freeotp-not")));
    };
    let mut out = Import::default();
    for (i, t) in tokens.iter().enumerate() {
        let issuer = str_field(t, "issuerExt")
            .filter(|s| !s.is_empty())
            .or(str_field(t, "issuerInt"))
            .unwrap_or_default();
        let name = str_field(t, "label").unwrap_or_default();
        match token(t, issuer, name) {
            Ok(a) => out.add(a)?,
            Err(why) => out.skip(entry_label(i, issuer, name), why)?,
        }
    }
    Ok(out)
}

fn token(t: &Value, issuer: &str, name: &str) -> Result<OtpAccount, String> {
    let type_text = need_str(t, "type")?;
    let kind = match type_text.to_ascii_uppercase().as_str() {
        "TOTP" => Kind::Totp,
        "HOTP" => Kind::Hotp,
        "STEAM" => Kind::Steam,
        _ => return Err(crate::t!("err-type-unsupported", kind = shorten(type_text))),
    };
    let Some(Value::Array(raw)) = t.get("secret") else {
        return Err(crate::t!("err-freeotp-no-secret"));
    };
    let mut key = Zeroizing::new(Vec::with_capacity(raw.len()));
    for b in raw {
        // Java bytes are signed; the key is their two's-complement bit pattern.
        match b.as_i64() {
            Some(n @ -128..=255) => key.push(n as u8),
            _ => return Err(crate::t!("err-freeotp-bad-secret")),
        }
    }
    let secret = Secret::from_bytes(key.to_vec()).map_err(|e| e.to_string())?;
    let algorithm = match str_field(t, "algo") {
        Some(a) => Algorithm::parse(a).map_err(|e| e.to_string())?,
        None => Algorithm::Sha1,
    };
    let params = Params {
        kind,
        algorithm,
        digits: digits(u64_field(t, "digits")?, 6)?,
        period: u64_field(t, "period")?.unwrap_or(crate::otp::DEFAULT_PERIOD),
        counter: u64_field(t, "counter")?.unwrap_or(0),
    };
    super::account(issuer, name, secret, params)
}
