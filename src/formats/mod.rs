//! Foreign formats: one module per format, one registry.
//!
//! Every importer takes bytes (so a file, the clipboard and a drop reach the same
//! code) and an optional password, and returns an [`Import`]: the accounts it read
//! and the entries it skipped with the reason. Per-entry problems never abort the
//! file; only a file that is not of the format at all is an error.

pub mod otpauth_list;

use crate::otp::OtpAccount;
use crate::otp::migration::Batch;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("{0}")]
    NotThisFormat(String),
    #[error("unknown format \"{0}\" (known: {list})", list = names().join(", "))]
    UnknownFormat(String),
    #[error("could not tell what kind of file this is; pass --format (known: {})", names().join(", "))]
    Undetected,
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
}

/// One foreign format. Capability constants let the UI decide what to offer.
pub struct Format {
    /// The `--format` value.
    pub name: &'static str,
    pub description: &'static str,
    pub encryptable: bool,
    pub detect: fn(&[u8]) -> bool,
    pub import: fn(&[u8], Option<&str>) -> Result<Import, FormatError>,
}

/// Every format, in menu order.
pub static REGISTRY: &[Format] = &[otpauth_list::FORMAT];

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
    REGISTRY
        .iter()
        .find(|f| (f.detect)(bytes))
        .ok_or(FormatError::Undetected)
}
