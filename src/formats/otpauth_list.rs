//! Plain text with one URI per line: `otpauth://` URIs (Aegis/andOTP/Ente
//! "plain text" exports, Ente's `codeDisplay` kept as an unknown parameter) and
//! Google Authenticator `otpauth-migration://` transfer URIs.
//!
//! Spec: Google's Key URI format; the migration payload as in `otp::migration`.
//! Cannot carry: groups, icons, recovery codes. Lines starting with `#` and blank
//! lines are ignored; any other line that is not a URI is reported as skipped.

use super::{Format, FormatError, Import, Input};
use crate::otp::migration::parse_migration_uri;
use crate::otp::parse_uri;

pub const FORMAT: Format = Format {
    name: "otpauth",
    description: || crate::t!("fmt-otpauth-list"),
    encryptable: false,
    detect,
    import,
};

fn detect(input: &Input) -> bool {
    let Ok(text) = std::str::from_utf8(input.bytes()) else {
        return false;
    };
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("otpauth://") || l.starts_with("otpauth-migration://")
        })
}

fn import(input: &Input, _password: Option<&str>) -> Result<Import, FormatError> {
    let text = std::str::from_utf8(input.bytes())
        .map_err(|_| FormatError::NotThisFormat(crate::t!("err-not-utf8-file")))?;
    let mut out = Import::default();
    let mut uris = 0;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let where_ = crate::t!("err-line", line = n + 1);
        let lower = line.get(..20).unwrap_or(line).to_ascii_lowercase();
        if lower.starts_with("otpauth-migration:") {
            uris += 1;
            match parse_migration_uri(line) {
                Ok(d) => {
                    for a in d.accounts {
                        out.add(a)?;
                    }
                    for (what, why) in d.skipped {
                        out.skip(crate::t!("err-located", place = &where_, text = what), why)?;
                    }
                    out.batches.push(d.batch);
                }
                Err(e) => out.skip(where_, e.to_string())?,
            }
        } else if lower.starts_with("otpauth:") {
            uris += 1;
            match parse_uri(line) {
                Ok(p) => {
                    out.warnings.extend(
                        p.warnings
                            .into_iter()
                            .map(|w| crate::t!("err-located", place = &where_, text = w)),
                    );
                    out.add(p.account)?;
                }
                Err(e) => out.skip(where_, e.to_string())?,
            }
        } else {
            out.skip(where_, crate::t!("err-otpauth-list-line"))?;
        }
    }
    if uris == 0 {
        return Err(FormatError::NotThisFormat(crate::t!(
            "err-otpauth-list-none"
        )));
    }
    Ok(out)
}

/// One canonical `otpauth://` URI per line: the plainest backup, readable by
/// almost every authenticator, and by anyone who finds the file.
pub fn export(accounts: &[crate::otp::OtpAccount]) -> zeroize::Zeroizing<Vec<u8>> {
    use std::io::Write;
    // Grows by copying into wiped storage: a plain `Vec` frees the old copies.
    let mut out = crate::otp::wipe::WipingBuffer::default();
    for a in accounts {
        let _ = out.write_all(crate::otp::format_uri(a).as_bytes());
        let _ = out.write_all(b"\n");
    }
    out.0
}
