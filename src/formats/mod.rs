//! Foreign formats: one module per format, one registry.
//!
//! Every importer takes bytes (so a file, the clipboard and a drop reach the same
//! code) and an optional password, and returns an [`Import`]: the accounts it read
//! and the entries it skipped with the reason. Per-entry problems never abort the
//! file; a file that is not of the format, is damaged, or cannot be decrypted is an
//! error, and then nothing from it is used.
//!
//! Importers are pure functions of their input: encrypted formats run their key
//! derivation (scrypt, PBKDF2, Argon2) inline, so callers with a UI call them off
//! the UI thread.

pub mod aegis;
pub mod andotp;
pub mod bitwarden;
mod crypto;
pub mod export;
pub mod freeotp_plus;
pub(crate) mod json;
pub mod otpauth_list;
pub mod proton;
pub mod stratum;
pub mod twofas;

use crate::otp::migration::Batch;
use crate::otp::{Kind, OtpAccount, Params, Secret, display_name, shorten};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("{0}")]
    NotThisFormat(String),
    #[error("{}", crate::t!("err-unknown-format", name = .0, known = names().join(", ")))]
    UnknownFormat(String),
    #[error("{}", crate::t!("err-undetected", known = names().join(", ")))]
    Undetected,
    /// The file is encrypted and no password was given.
    #[error("{}", crate::t!("err-password-needed", what = *.0))]
    PasswordNeeded(&'static str),
    #[error("{}", crate::t!("err-wrong-password", what = *.0))]
    WrongPassword(&'static str),
    /// Decryption failed in a way that cannot tell a wrong password from damage.
    #[error("{}", crate::t!("err-wrong-password-or-damaged", what = *.0))]
    WrongPasswordOrDamaged(&'static str),
    #[error("{}", crate::t!("err-damaged", what = *.what, detail = .detail))]
    Damaged { what: &'static str, detail: String },
    #[error("{0}")]
    Unsupported(String),
    #[error("{}", crate::t!("err-export", detail = .0))]
    Export(String),
    #[error("{}", crate::t!("err-too-many-accounts", limit = MAX_ACCOUNTS))]
    TooManyAccounts,
    #[error("{}", crate::t!("err-too-many-skipped", limit = MAX_SKIPPED))]
    TooManySkipped,
}

/// Largest file an import reads. An Aegis export of 10 000 accounts, each
/// with an icon-pack icon (an SVG of about 2 KB, base64 in the file), is about
/// 30 MB; the parsed JSON costs several times the file (TRUST.md).
pub const MAX_FILE_BYTES: usize = 32 << 20;

/// Accounts one import may bring. Real exports hold dozens to a few hundred;
/// the cap keeps a made-up file of millions from tying up the keyring, the
/// duplicate check and the review list.
pub const MAX_ACCOUNTS: usize = 100_000;
/// Most entries an import may fail to read before it gives up on the file: no
/// export of an authenticator is mostly unreadable, and each one costs a note
/// (a 32 MiB file of junk lines made 16 million of them: 2.4 GB, 6 s).
pub const MAX_SKIPPED: usize = 100_000;

/// An export file's password on its way to a reader or writer: zeroized on drop,
/// never printed (`Debug` shows `[redacted]`).
pub struct Password(zeroize::Zeroizing<String>);

impl Password {
    pub fn new(text: String) -> Self {
        Password(zeroize::Zeroizing::new(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// What an importer read from one file.
#[derive(Debug, Default)]
pub struct Import {
    pub accounts: Vec<OtpAccount>,
    /// (what, why) for entries that could not be imported.
    pub skipped: Vec<(String, String)>,
    /// Non-fatal notes, e.g. an issuer disagreement in a URI.
    pub warnings: Vec<String>,
    /// Google Authenticator transfer batches seen, to tell the user what is missing.
    pub batches: Vec<Batch>,
    /// The source app's group (folder, tag, category) of each account, aligned with
    /// `accounts`; empty when the format has no groups. `OtpAccount` has no group,
    /// so this rides beside it until the vault can take groups on import.
    pub groups: Vec<Option<String>>,
    /// The source app's own id of each account (Aegis's entry UUID), aligned
    /// with `accounts` where the format has ids, else empty. Following another
    /// device matches accounts by it (src/follow.rs).
    pub ids: Vec<Option<String>>,
}

impl Import {
    /// Adds an account read from the file, refusing the file once it holds
    /// more than [`MAX_ACCOUNTS`] (checked as it goes, so a huge file stops early).
    pub(crate) fn add(&mut self, account: OtpAccount) -> Result<(), FormatError> {
        if self.accounts.len() >= MAX_ACCOUNTS {
            return Err(FormatError::TooManyAccounts);
        }
        self.accounts.push(account);
        Ok(())
    }

    /// Notes an entry that could not be imported (what, why), refusing the
    /// file once more than [`MAX_SKIPPED`] could not be read.
    pub(crate) fn skip(&mut self, what: String, why: String) -> Result<(), FormatError> {
        if self.skipped.len() >= MAX_SKIPPED {
            return Err(FormatError::TooManySkipped);
        }
        self.skipped.push((what, why));
        Ok(())
    }
}

/// A file on its way through detection and import: its bytes and, once a
/// detector or importer asks, its one JSON parse, shared by all of them.
pub struct Input<'a> {
    bytes: &'a [u8],
    json: std::cell::OnceCell<json::Parsed<'a>>,
}

impl<'a> Input<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Input {
            bytes,
            json: std::cell::OnceCell::new(),
        }
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    fn parsed(&self) -> &json::Parsed<'a> {
        self.json.get_or_init(|| json::Parsed::new(self.bytes))
    }

    /// What detectors see of the JSON (nothing unless the text starts like JSON).
    pub(crate) fn sniff(&self) -> json::Sniff<'_> {
        self.parsed().sniff(self.bytes)
    }

    /// Why the file is too large to parse at all, if it is.
    fn too_large(&self) -> Option<FormatError> {
        self.parsed().too_large()
    }

    /// The file as JSON, or why it is damaged (never quoting it).
    pub(crate) fn json(&self, what: &'static str) -> Result<&serde_json::Value, FormatError> {
        self.parsed().value(what)
    }
}

/// One foreign format. Capability constants let the UI decide what to offer.
pub struct Format {
    /// The `--format` value.
    pub name: &'static str,
    pub description: fn() -> String,
    pub encryptable: bool,
    pub detect: fn(&Input) -> bool,
    pub import: fn(&Input, Option<&str>) -> Result<Import, FormatError>,
}

impl Format {
    /// Whether `bytes` look like this format (parses them; see [`Input`]).
    pub fn detects(&self, bytes: &[u8]) -> bool {
        (self.detect)(&Input::new(bytes))
    }

    /// Imports `bytes` as this format.
    pub fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Import, FormatError> {
        (self.import)(&Input::new(bytes), password)
    }
}

/// Every format, in menu order. Detection tries them in this order; each `detect`
/// looks for structure only its format has (magic bytes, top-level keys), so no
/// two claim the same file. Encrypted andOTP backups have no header at all and
/// are never detected: they need `--format andotp`.
pub static REGISTRY: &[Format] = &[
    aegis::FORMAT,
    twofas::FORMAT,
    andotp::FORMAT,
    bitwarden::FORMAT_JSON,
    bitwarden::FORMAT_CSV,
    freeotp_plus::FORMAT,
    proton::FORMAT,
    stratum::FORMAT,
    otpauth_list::FORMAT,
];

pub fn names() -> Vec<&'static str> {
    REGISTRY.iter().map(|f| f.name).collect()
}

pub fn by_name(name: &str) -> Result<&'static Format, FormatError> {
    REGISTRY
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| FormatError::UnknownFormat(name.to_string()))
}

pub fn detect(bytes: &[u8]) -> Result<&'static Format, FormatError> {
    detect_input(&Input::new(bytes))
}

/// [`detect`] on an [`Input`] that the importer will then read, parsed once.
pub fn detect_input(input: &Input) -> Result<&'static Format, FormatError> {
    if let Some(e) = input.too_large() {
        return Err(e);
    }
    REGISTRY
        .iter()
        .find(|f| (f.detect)(input))
        .ok_or(FormatError::Undetected)
}

/// Checks an account read from a foreign file. Steam accounts get Steam's fixed
/// parameters whatever the file says. The error is a reason for `Import::skipped`.
pub(crate) fn account(
    issuer: &str,
    name: &str,
    secret: Secret,
    params: Params,
) -> Result<OtpAccount, String> {
    let params = match params.kind {
        Kind::Steam => Params::steam(params.period),
        _ => params,
    };
    params.validate().map_err(|e| e.to_string())?;
    let account = OtpAccount {
        issuer: issuer.trim().to_string(),
        name: name.trim().to_string(),
        secret,
        params,
        extra: Vec::new(),
    };
    account.check_names().map_err(|e| e.to_string())?;
    Ok(account)
}

/// A group name from a file, checked as the vault would check it, so that an
/// account in a bad group is skipped with the reason (and the others import).
/// Checked once per group: an account keeps only the short reason, never a copy
/// of a name that may be megabytes long.
pub(crate) fn group_name(name: &str) -> Result<&str, String> {
    crate::otp::check_name("group", name.trim())
        .map(|()| name)
        .map_err(|e| e.to_string())
}

/// Digits as the files write them (any integer), checked.
pub(crate) fn digits(n: Option<u64>, default: u8) -> Result<u8, String> {
    match n {
        None => Ok(default),
        Some(d) if (1..=10).contains(&d) => Ok(d as u8),
        Some(d) => Err(crate::t!("err-digits-unsupported", digits = d)),
    }
}

/// The "what" of a skipped entry: its position and names (never its secret).
pub(crate) fn entry_label(index: usize, issuer: &str, name: &str) -> String {
    if issuer.is_empty() && name.is_empty() {
        crate::t!("err-entry", number = index + 1)
    } else {
        crate::t!(
            "err-entry-named",
            number = index + 1,
            name = display_name(&shorten(issuer), &shorten(name))
        )
    }
}

/// A password manager's one-time-password field (Bitwarden, Proton): an
/// `otpauth://` URI, a `steam://SECRET`, or a bare base32 secret. Names missing
/// from the text come from the fallbacks (the item's own name and user name).
pub(crate) fn otp_field(
    text: &str,
    fallback_issuer: &str,
    fallback_name: &str,
) -> Result<(OtpAccount, Vec<String>), String> {
    let text = text.trim();
    if crate::otp::uri::strip_scheme(text, "otpauth").is_some() {
        let parsed = crate::otp::parse_uri(text).map_err(|e| e.to_string())?;
        let mut a = parsed.account;
        if a.issuer.is_empty() {
            a.issuer = fallback_issuer.trim().to_string();
        }
        if a.name.is_empty() {
            a.name = fallback_name.trim().to_string();
        }
        a.check_names().map_err(|e| e.to_string())?;
        return Ok((a, parsed.warnings));
    }
    let (kind, secret_text) = match crate::otp::uri::strip_scheme(text, "steam") {
        Some(rest) => (Kind::Steam, rest),
        None => (Kind::Totp, text),
    };
    let secret = Secret::parse_base32(secret_text).map_err(|e| e.to_string())?;
    let params = Params {
        kind,
        ..Params::default()
    };
    Ok((
        account(fallback_issuer, fallback_name, secret, params)?,
        Vec::new(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (hardening issue): each detector parsed the whole file, and
    /// the importer once more; a 64 MB JSON array took 12 s and 1.09 GB.
    #[test]
    fn detection_and_import_parse_the_file_once() {
        // Stratum is the last JSON format the registry tries.
        let file = br#"{"Authenticators": [{"Issuer": "Ex", "Username": "me", "Secret": "JBSWY3DPEHPK3PXP", "Type": 2, "Algorithm": 0, "Digits": 6, "Period": 30, "Counter": 0}], "Categories": [], "AuthenticatorCategories": []}"#;
        let before = json::PARSES.with(|n| n.get());
        let input = Input::new(file);
        let format = detect_input(&input).unwrap();
        assert_eq!(format.name, "stratum");
        let found = (format.import)(&input, None).unwrap();
        assert_eq!(found.accounts.len(), 1);
        assert_eq!(json::PARSES.with(|n| n.get()) - before, 1);
    }

    /// More than [`MAX_ACCOUNTS`] accounts is an error naming the cap, found
    /// while reading (not after building every account).
    #[test]
    fn an_import_of_more_than_the_cap_is_refused() {
        let line = "otpauth://totp/Ex:me?secret=JBSWY3DPEHPK3PXP\n";
        let at_cap = line.repeat(MAX_ACCOUNTS);
        let found = otpauth_list::FORMAT.read(at_cap.as_bytes(), None).unwrap();
        assert_eq!(found.accounts.len(), MAX_ACCOUNTS);
        let over = format!("{at_cap}{line}");
        let e = otpauth_list::FORMAT
            .read(over.as_bytes(), None)
            .unwrap_err();
        assert_eq!(e, FormatError::TooManyAccounts);
        assert!(e.to_string().contains("at most 100000"), "{e}");
    }

    /// Regression (hardening issue): a 32 MiB file of one URI and 16 million
    /// junk lines made a note per line (2.4 GB, 6 s). Up to the cap the junk is
    /// reported line by line and the account imports; past it the file is refused.
    #[test]
    fn a_file_mostly_unreadable_is_refused_at_the_cap() {
        let uri = "otpauth://totp/Ex:me?secret=JBSWY3DPEHPK3PXP\n";
        let at_cap = format!("{uri}{}", "junk\n".repeat(MAX_SKIPPED));
        let found = otpauth_list::FORMAT.read(at_cap.as_bytes(), None).unwrap();
        assert_eq!(
            (found.accounts.len(), found.skipped.len()),
            (1, MAX_SKIPPED)
        );
        let over = format!("{at_cap}junk\n");
        let e = otpauth_list::FORMAT
            .read(over.as_bytes(), None)
            .unwrap_err();
        assert_eq!(e, FormatError::TooManySkipped);
        assert!(e.to_string().contains("more than 100000 entries"), "{e}");
    }

    /// Regression (hardening issue): 32 MiB of `{"a":0}` parsed into 2.9 GB.
    /// Such a file is refused after one counting pass, before parsing.
    #[test]
    fn json_with_more_values_than_any_export_is_not_parsed() {
        let objects = format!("[{}{{}}]", "{\"a\":0},".repeat(json::MAX_CONTAINERS));
        let e = detect(objects.as_bytes()).err().unwrap();
        assert!(e.to_string().contains("more JSON objects and lists"), "{e}");
        let e = aegis::FORMAT.read(objects.as_bytes(), None).unwrap_err();
        assert!(e.to_string().contains("more JSON objects and lists"), "{e}");
        let numbers = format!("[{}1]", "1,".repeat(json::MAX_VALUES + 1));
        let e = detect(numbers.as_bytes()).err().unwrap();
        assert!(e.to_string().contains("JSON values"), "{e}");
        // Commas and brackets inside strings do not count.
        let strings = format!("[\"{}\"]", "{,[".repeat(json::MAX_VALUES));
        assert!(!matches!(
            detect(strings.as_bytes()),
            Err(FormatError::Unsupported(_))
        ));
    }

    /// Group names are looked up by id, and a bad one costs its accounts only.
    #[test]
    fn accounts_in_a_bad_group_are_skipped_with_the_reason() {
        let file = format!(
            r#"{{"version": 1, "header": {{"slots": null, "params": null}}, "db": {{"version": 3,
              "groups": [{{"uuid": "g1", "name": "Work"}}, {{"uuid": "g2", "name": "{}"}}, {{"uuid": "g3", "name": "a\u001b[2Jb"}}],
              "entries": [
                {{"type": "totp", "uuid": "1", "name": "a", "issuer": "A", "groups": ["g1"], "info": {{"secret": "JBSWY3DPEHPK3PXP"}}}},
                {{"type": "totp", "uuid": "2", "name": "b", "issuer": "B", "groups": ["g2"], "info": {{"secret": "JBSWY3DPEHPK3PXP"}}}},
                {{"type": "totp", "uuid": "3", "name": "c", "issuer": "C", "groups": ["g3"], "info": {{"secret": "JBSWY3DPEHPK3PXP"}}}},
                {{"type": "totp", "uuid": "4", "name": "d", "issuer": "D", "info": {{"secret": "JBSWY3DPEHPK3PXP"}}}}
              ]}}}}"#,
            "x".repeat(100_000)
        );
        let found = aegis::FORMAT.read(file.as_bytes(), None).unwrap();
        let names: Vec<&str> = found.accounts.iter().map(|a| a.issuer.as_str()).collect();
        assert_eq!(names, ["A", "D"]);
        assert_eq!(found.groups, [Some("Work".to_string()), None]);
        assert_eq!(found.skipped.len(), 2);
        assert!(
            found.skipped[0]
                .1
                .contains("the group is 100000 characters long")
        );
        assert!(
            found.skipped[1]
                .1
                .contains("control or text-direction character")
        );
    }

    #[test]
    fn passwords_never_print() {
        let p = super::Password::new("hunter2-correct-horse".into());
        assert_eq!(p.as_str(), "hunter2-correct-horse");
        assert_eq!(format!("{p:?}"), "Password([redacted])");
    }
}
