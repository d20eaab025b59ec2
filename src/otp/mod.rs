//! Pure one-time-password core: secrets, parameters, and codes at a given time.
//!
//! Nothing here does I/O or reads the clock: a Unix time (or HOTP counter) goes in,
//! a code comes out. `totp-rs` does the HMAC and the dynamic truncation; this module
//! adds what it does not cover (lenient base32, 10-digit codes, parameter checks).

pub mod migration;
pub mod uri;
pub mod wipe;

use std::fmt;

use data_encoding::{Encoding, Specification};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

pub use uri::{Parsed, format_uri, parse_uri};

/// Errors in OTP parameters and secrets. Messages quote the offending value,
/// except for secrets, where only the bad character and its position are named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OtpError {
    #[error("{}", crate::t!("err-secret-empty"))]
    EmptySecret,
    #[error("{}", crate::t!("err-base32-char", character = .character.escape_debug().to_string(), position = *.position))]
    BadBase32Char { character: char, position: usize },
    #[error("{}", crate::t!("err-base32-length", length = *.length))]
    BadBase32Length { length: usize },
    #[error("{}", crate::t!("err-bad-digits", value = .0))]
    BadDigits(String),
    #[error("{}", crate::t!("err-bad-period", value = .0))]
    BadPeriod(String),
    #[error("{}", crate::t!("err-bad-counter", value = .0))]
    BadCounter(String),
    #[error("{}", crate::t!("err-unknown-otp-type", value = .0))]
    UnknownType(String),
    #[error("{}", crate::t!("err-unknown-algorithm", value = .0))]
    UnknownAlgorithm(String),
    #[error("{}", crate::t!("err-not-otpauth", value = .0))]
    NotOtpauth(String),
    #[error("{}", crate::t!("err-secret-too-long", bytes = *.0, limit = MAX_SECRET_BYTES))]
    SecretTooLong(usize),
    #[error("{}", crate::t!("err-name-too-long", what = field_word(.what), chars = *.chars, limit = MAX_NAME_CHARS))]
    NameTooLong { what: &'static str, chars: usize },
    #[error("{}", crate::t!("err-control-character", what = field_word(.what), character = .character.escape_unicode().to_string()))]
    ControlCharacter { what: &'static str, character: char },
    #[error("{}", crate::t!("err-uri-too-long", bytes = *.0, limit = MAX_URI_BYTES))]
    UriTooLong(usize),
    #[error("{}", crate::t!("err-uri-no-secret"))]
    MissingSecret,
    #[error("{}", crate::t!("err-uri-bad-encoding", place = uri_part_word(.0)))]
    BadEncoding(&'static str),
}

/// The name of a checked field (`check_name`'s `what`) in the reader's language.
fn field_word(what: &str) -> String {
    match what {
        "issuer" => crate::t!("err-field-issuer"),
        "account name" => crate::t!("err-field-account-name"),
        "group" => crate::t!("err-field-group"),
        other => other.to_string(),
    }
}

/// Where a URI's percent-encoding was bad, in the reader's language; a
/// parameter's own name (`secret`, `issuer`…) is quoted as it is.
fn uri_part_word(what: &str) -> String {
    match what {
        "the label" => crate::t!("err-uri-part-label"),
        "a parameter name" => crate::t!("err-uri-part-name"),
        "a parameter value" => crate::t!("err-uri-part-value"),
        other => other.to_string(),
    }
}

/// Limits on what a URI, a QR code or an import file may hand us. Real values are
/// far smaller; the limits keep a hostile file from filling the keyring, the
/// metadata file and the window with megabytes. A secret of 512 bytes is four
/// times SHA-512's block (longer HMAC keys are hashed down anyway).
pub const MAX_SECRET_BYTES: usize = 512;
/// Issuer, account name and group: a long e-mail address is 254 characters.
pub const MAX_NAME_CHARS: usize = 512;
/// The largest QR code holds 4296 characters; double that is surely not a URI.
/// Applies to the URI as given and to its canonical form (which percent-encodes
/// more), so that every URI Ninsho accepts can be written out and read back.
pub const MAX_URI_BYTES: usize = 8192;

/// Checks an issuer, account name or group against [`MAX_NAME_CHARS`], and
/// refuses control characters (C0 and C1, NUL, DEL) and bidirectional
/// overrides: a name is shown in terminals, keyring browsers and lists, where
/// these would move the cursor, clear the screen, fake a row or reverse text.
pub fn check_name(what: &'static str, text: &str) -> Result<(), OtpError> {
    let chars = text.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(OtpError::NameTooLong { what, chars });
    }
    if let Some(character) = text.chars().find(|&c| unsafe_to_show(c)) {
        return Err(OtpError::ControlCharacter { what, character });
    }
    Ok(())
}

/// Control characters and the bidirectional embeddings, overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069).
fn unsafe_to_show(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character and bidirectional override escaped
/// (`\u{1b}`), for printing anything that came from input: a saved name, a
/// file's entry, a command-line value.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(unsafe_to_show) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else if unsafe_to_show(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A shared secret key. Zeroized on drop, never printed.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Secret(Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// RFC 4648 base32 without padding that tolerates non-zero trailing bits, which
/// real-world secrets (e.g. 26-character ones) often have.
fn base32_lenient() -> Encoding {
    let mut spec = Specification::new();
    spec.symbols.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    spec.check_trailing_bits = false;
    spec.encoding()
        .expect("static base32 specification is valid")
}

impl Secret {
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, OtpError> {
        if bytes.is_empty() {
            return Err(OtpError::EmptySecret);
        }
        if bytes.len() > MAX_SECRET_BYTES {
            let len = bytes.len();
            drop(Zeroizing::new(bytes));
            return Err(OtpError::SecretTooLong(len));
        }
        Ok(Secret(bytes))
    }

    /// Parses base32 in any case, with or without `=` padding, spaces or dashes.
    pub fn parse_base32(text: &str) -> Result<Self, OtpError> {
        let mut clean = Zeroizing::new(String::with_capacity(text.len()));
        for (position, c) in text.chars().enumerate() {
            match c {
                ' ' | '\t' | '\n' | '\r' | '-' => {}
                'a'..='z' | 'A'..='Z' | '2'..='7' => clean.push(c.to_ascii_uppercase()),
                '=' => {}
                character => {
                    return Err(OtpError::BadBase32Char {
                        character,
                        position,
                    });
                }
            }
        }
        if clean.is_empty() {
            return Err(OtpError::EmptySecret);
        }
        let bytes =
            base32_lenient()
                .decode(clean.as_bytes())
                .map_err(|_| OtpError::BadBase32Length {
                    length: clean.len(),
                })?;
        Secret::from_bytes(bytes)
    }

    /// Canonical form: upper-case base32 without padding.
    pub fn to_base32(&self) -> Zeroizing<String> {
        Zeroizing::new(base32_lenient().encode(&self.0))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Totp,
    Hotp,
    Steam,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Totp => "totp",
            Kind::Hotp => "hotp",
            Kind::Steam => "steam",
        }
    }

    pub fn parse(text: &str) -> Result<Self, OtpError> {
        match text.to_ascii_lowercase().as_str() {
            "totp" => Ok(Kind::Totp),
            "hotp" => Ok(Kind::Hotp),
            "steam" => Ok(Kind::Steam),
            _ => Err(OtpError::UnknownType(shorten(text))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Algorithm {
    #[serde(rename = "SHA1")]
    Sha1,
    #[serde(rename = "SHA256")]
    Sha256,
    #[serde(rename = "SHA512")]
    Sha512,
}

impl Algorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    /// Accepts `SHA1`, `sha-256`, `HmacSHA512` and similar spellings.
    pub fn parse(text: &str) -> Result<Self, OtpError> {
        let norm: String = text
            .to_ascii_uppercase()
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect();
        match norm.trim_start_matches("HMAC") {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(OtpError::UnknownAlgorithm(shorten(text))),
        }
    }
}

pub const STEAM_DIGITS: u8 = 5;
pub const DEFAULT_PERIOD: u64 = 30;

/// Everything but the secret that determines a code.
///
/// `period` is meaningful for TOTP and Steam, `counter` for HOTP; the other is kept
/// at its default so that the struct stays flat and easy to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Params {
    pub kind: Kind,
    pub algorithm: Algorithm,
    pub digits: u8,
    pub period: u64,
    pub counter: u64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            kind: Kind::Totp,
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: DEFAULT_PERIOD,
            counter: 0,
        }
    }
}

impl Params {
    /// Steam Guard codes are always SHA1 and five characters.
    pub fn steam(period: u64) -> Self {
        Params {
            kind: Kind::Steam,
            algorithm: Algorithm::Sha1,
            digits: STEAM_DIGITS,
            period,
            counter: 0,
        }
    }

    pub fn validate(&self) -> Result<(), OtpError> {
        if !(1..=10).contains(&self.digits) {
            return Err(OtpError::BadDigits(self.digits.to_string()));
        }
        if self.kind != Kind::Hotp && self.period == 0 {
            return Err(OtpError::BadPeriod(self.period.to_string()));
        }
        Ok(())
    }

    /// The period for kinds that have one.
    pub fn period_opt(&self) -> Option<u64> {
        (self.kind != Kind::Hotp).then_some(self.period)
    }

    /// The counter for HOTP.
    pub fn counter_opt(&self) -> Option<u64> {
        (self.kind == Kind::Hotp).then_some(self.counter)
    }

    /// Seconds until the code shown at `unix` changes (None for HOTP).
    pub fn remaining(&self, unix: u64) -> Option<u64> {
        self.period_opt().map(|p| p - unix % p)
    }
}

pub fn parse_digits(text: &str) -> Result<u8, OtpError> {
    match text.trim().parse::<u8>() {
        Ok(d) if (1..=10).contains(&d) => Ok(d),
        _ => Err(OtpError::BadDigits(shorten(text))),
    }
}

pub fn parse_period(text: &str) -> Result<u64, OtpError> {
    match text.trim().parse::<u64>() {
        Ok(p) if p >= 1 => Ok(p),
        _ => Err(OtpError::BadPeriod(shorten(text))),
    }
}

pub fn parse_counter(text: &str) -> Result<u64, OtpError> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| OtpError::BadCounter(shorten(text)))
}

/// The code for `params` at Unix time `unix` (ignored for HOTP, which uses
/// `params.counter`). Parameters must have passed [`Params::validate`].
pub fn code_at(secret: &Secret, params: &Params, unix: u64) -> String {
    let (algorithm, digits) = match params.kind {
        Kind::Steam => (totp_rs::Algorithm::Steam, STEAM_DIGITS),
        _ => (
            match params.algorithm {
                Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
                Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
                Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
            },
            params.digits.clamp(1, 10),
        ),
    };
    // HOTP is TOTP with a one-second step evaluated at time = counter.
    let (step, time) = match params.kind {
        Kind::Hotp => (1, params.counter),
        _ => (params.period.max(1), unix),
    };
    let totp = totp_rs::Builder::new()
        .with_algorithm(algorithm)
        .with_digits(digits)
        .with_step_duration(step)
        .with_secret(secret.as_bytes())
        .build_noncompliant();
    if digits <= 9 {
        return totp.generate(time).to_string();
    }
    // totp-rs stops at 9 digits (10^10 overflows its u32). The truncated value is
    // 31 bits, so a 10-digit code is that value zero-padded (RFC 4226 5.3).
    let sig = totp.sign(time);
    let sig = sig.as_ref();
    let offset = (sig[sig.len() - 1] & 0x0f) as usize;
    let value = u32::from_be_bytes([
        sig[offset] & 0x7f,
        sig[offset + 1],
        sig[offset + 2],
        sig[offset + 3],
    ]);
    format!("{value:010}")
}

/// An account as found in a URI, a QR code or an import file: names, secret,
/// parameters, and any URI parameters we do not interpret (kept for round trips).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpAccount {
    pub issuer: String,
    pub name: String,
    pub secret: Secret,
    pub params: Params,
    pub extra: Vec<(String, String)>,
}

impl OtpAccount {
    pub fn code_at(&self, unix: u64) -> String {
        code_at(&self.secret, &self.params, unix)
    }

    /// "Issuer (account)", or whichever of the two exists.
    pub fn display_name(&self) -> String {
        display_name(&self.issuer, &self.name)
    }

    /// The JSON shape PRODUCT.md fixes for `scan --json` and `import --dry-run --json`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "kind": self.params.kind.as_str(),
            "issuer": self.issuer,
            "account": self.name,
            "secret": self.secret.to_base32().as_str(),
            "algorithm": self.params.algorithm.as_str(),
            "digits": self.params.digits,
            "period": self.params.period_opt(),
            "counter": self.params.counter_opt(),
        })
    }

    /// Checks the names against [`MAX_NAME_CHARS`] (the secret was checked when
    /// it was made).
    pub fn check_names(&self) -> Result<(), OtpError> {
        check_name("issuer", &self.issuer)?;
        check_name("account name", &self.name)
    }

    /// Same secret, kind, issuer and account name: adding it again would double it.
    pub fn same_account(&self, other: &OtpAccount) -> bool {
        self.secret == other.secret
            && self.params.kind == other.params.kind
            && self.issuer == other.issuer
            && self.name == other.name
    }
}

/// At most 60 characters of `text`, control characters escaped (`\u{1b}`), for
/// messages that quote a name or a URI from a file: one line, and no terminal
/// escape sequences from whoever made the file.
pub fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    let taken: String = text.chars().take(MAX).collect();
    let mut out = printable(&taken).into_owned();
    if text.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out
}

pub fn display_name(issuer: &str, name: &str) -> String {
    // Names saved before control characters were refused may still hold them.
    let (issuer, name) = (printable(issuer), printable(name));
    match (issuer.is_empty(), name.is_empty()) {
        (false, false) => crate::t!("otp-display-name", issuer = issuer, name = name),
        (false, true) => issuer.to_string(),
        (true, false) => name.to_string(),
        (true, true) => crate::t!("otp-unnamed"),
    }
}

/// Groups a code for reading: `123 456`, `1234 5678`, `12345`.
pub fn group_code(code: &str) -> String {
    let n = code.chars().count();
    let group = match n {
        6 | 9 => 3,
        8 | 10 => 4,
        7 => 4,
        _ => return code.to_string(),
    };
    let first = if n == 7 { 3 } else { group };
    let mut out = String::with_capacity(n + 3);
    for (i, c) in code.chars().enumerate() {
        if i == first || (i > first && (i - first) % group == 0) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(bytes: &[u8]) -> Secret {
        Secret::from_bytes(bytes.to_vec()).unwrap()
    }

    fn params(kind: Kind, algorithm: Algorithm, digits: u8) -> Params {
        Params {
            kind,
            algorithm,
            digits,
            ..Params::default()
        }
    }

    /// RFC 4226 appendix D: HOTP values for counters 0..9 with the ASCII seed.
    #[test]
    fn rfc4226_hotp_vectors() {
        let s = secret(b"12345678901234567890");
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, want) in expected.iter().enumerate() {
            let p = Params {
                counter: counter as u64,
                ..params(Kind::Hotp, Algorithm::Sha1, 6)
            };
            assert_eq!(code_at(&s, &p, 999_999), *want, "counter {counter}");
        }
    }

    /// RFC 6238 appendix B: 8-digit TOTP with each algorithm's own seed.
    #[test]
    fn rfc6238_totp_vectors() {
        let seeds = [
            (Algorithm::Sha1, &b"12345678901234567890"[..]),
            (Algorithm::Sha256, &b"12345678901234567890123456789012"[..]),
            (
                Algorithm::Sha512,
                &b"1234567890123456789012345678901234567890123456789012345678901234"[..],
            ),
        ];
        let table: [(u64, [&str; 3]); 6] = [
            (59, ["94287082", "46119246", "90693936"]),
            (1111111109, ["07081804", "68084774", "25091201"]),
            (1111111111, ["14050471", "67062674", "99943326"]),
            (1234567890, ["89005924", "91819424", "93441116"]),
            (2000000000, ["69279037", "90698825", "38618901"]),
            (20000000000, ["65353130", "77737706", "47863826"]),
        ];
        for (time, codes) in table {
            for (i, (alg, seed)) in seeds.iter().enumerate() {
                let p = params(Kind::Totp, *alg, 8);
                assert_eq!(
                    code_at(&secret(seed), &p, time),
                    codes[i],
                    "{alg:?} at {time}"
                );
            }
        }
    }

    /// Steam Guard: the RFC 4226 truncated value written in Steam's 26-letter
    /// alphabet, least significant first. RFC 4226's seed at step 0 truncates to
    /// 1284755224, which we spell out independently here.
    #[test]
    fn steam_vector() {
        let rfc = secret(b"12345678901234567890");
        let mut v: u64 = 1_284_755_224;
        let alphabet = b"23456789BCDFGHJKMNPQRTVWXY";
        let mut want = String::new();
        for _ in 0..5 {
            want.push(alphabet[(v % 26) as usize] as char);
            v /= 26;
        }
        assert_eq!(code_at(&rfc, &Params::steam(30), 29), want);
        assert_ne!(code_at(&rfc, &Params::steam(30), 30), want);
    }

    #[test]
    fn ten_digit_codes_are_the_zero_padded_truncated_value() {
        // RFC 4226 counter 0: truncated value 1284755224.
        let p = params(Kind::Hotp, Algorithm::Sha1, 10);
        assert_eq!(
            code_at(&secret(b"12345678901234567890"), &p, 0),
            "1284755224"
        );
        let p1 = params(Kind::Hotp, Algorithm::Sha1, 1);
        assert_eq!(code_at(&secret(b"12345678901234567890"), &p1, 0), "4");
    }

    #[test]
    fn base32_is_lenient_about_case_padding_spaces_and_dashes() {
        let canonical = Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap();
        for variant in [
            "jbswy3dpehpk3pxp",
            "JBSW Y3DP EHPK 3PXP",
            "jbsw-y3dp-ehpk-3pxp",
            "JBSWY3DPEHPK3PXP====",
        ] {
            assert_eq!(
                Secret::parse_base32(variant).unwrap(),
                canonical,
                "{variant}"
            );
        }
        assert_eq!(canonical.to_base32().as_str(), "JBSWY3DPEHPK3PXP");
        // 26 characters: two trailing bits, as in the Aegis fixtures.
        let s = Secret::parse_base32("4SJHB4GSD43FZBAI7C2HLRJGPQ").unwrap();
        assert_eq!(s.to_base32().as_str(), "4SJHB4GSD43FZBAI7C2HLRJGPQ");
    }

    #[test]
    fn bad_secrets_name_the_problem() {
        assert_eq!(Secret::parse_base32("  "), Err(OtpError::EmptySecret));
        assert_eq!(
            Secret::parse_base32("JBSW1"),
            Err(OtpError::BadBase32Char {
                character: '1',
                position: 4
            })
        );
        assert_eq!(
            Secret::parse_base32("A"),
            Err(OtpError::BadBase32Length { length: 1 })
        );
    }

    #[test]
    fn secrets_never_print() {
        let s = Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap();
        let shown = format!("{s:?}");
        assert!(!shown.contains("JBSW") && shown.contains("redacted"));
        let account = OtpAccount {
            issuer: "x".into(),
            name: "y".into(),
            secret: s,
            params: Params::default(),
            extra: vec![],
        };
        assert!(!format!("{account:?}").contains("JBSW"));
    }

    #[test]
    fn codes_group_for_reading() {
        assert_eq!(group_code("123456"), "123 456");
        assert_eq!(group_code("12345678"), "1234 5678");
        assert_eq!(group_code("1234567"), "123 4567");
        assert_eq!(group_code("123456789"), "123 456 789");
        assert_eq!(group_code("1234567890"), "1234 5678 90");
        assert_eq!(group_code("X2B4C"), "X2B4C");
    }

    #[test]
    fn remaining_counts_down_to_the_next_period() {
        let p = Params::default();
        assert_eq!(p.remaining(0), Some(30));
        assert_eq!(p.remaining(29), Some(1));
        assert_eq!(p.remaining(u64::MAX), Some(30 - u64::MAX % 30));
        assert_eq!(params(Kind::Hotp, Algorithm::Sha1, 6).remaining(5), None);
    }

    /// Hostile input: megabyte fields are refused with their size, not stored.
    #[test]
    fn oversized_secrets_names_and_uris_are_refused() {
        assert!(Secret::from_bytes(vec![1; MAX_SECRET_BYTES]).is_ok());
        assert_eq!(
            Secret::from_bytes(vec![1; MAX_SECRET_BYTES + 1]),
            Err(OtpError::SecretTooLong(MAX_SECRET_BYTES + 1))
        );
        let long_secret = "A".repeat(2000);
        assert_eq!(
            parse_uri(&format!("otpauth://totp/x?secret={long_secret}")).unwrap_err(),
            OtpError::SecretTooLong(1250)
        );
        let long_name = "n".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(
            parse_uri(&format!("otpauth://totp/{long_name}?secret=JBSWY3DP")).unwrap_err(),
            OtpError::NameTooLong {
                what: "account name",
                chars: MAX_NAME_CHARS + 1
            }
        );
        let huge = format!(
            "otpauth://totp/x?secret=JBSWY3DP&image={}",
            "x".repeat(9000)
        );
        assert_eq!(
            parse_uri(&huge).unwrap_err(),
            OtpError::UriTooLong(huge.len())
        );
        // Found by fuzzing: 3000 bytes that the canonical form encodes to 9000.
        let expands = format!("otpauth://totp/x?secret=JBSWY3DP&note={}", "!".repeat(3000));
        assert!(expands.len() < MAX_URI_BYTES);
        assert!(matches!(
            parse_uri(&expands).unwrap_err(),
            OtpError::UriTooLong(n) if n > 9000
        ));
        assert_eq!(shorten(&"é".repeat(100)).chars().count(), 61);
        assert_eq!(shorten("short"), "short");
        assert_eq!(shorten("a\u{1b}[31m\nb"), "a\\u{1b}[31m\\nb");
    }
}
