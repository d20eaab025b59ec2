//! Writing the vault out in other apps' formats, and writing such a file safely.
//!
//! [`EXPORTS`] is the export counterpart of `REGISTRY`: it builds the CLI's
//! `export --format` values and, later, the window's Export menu. The printable
//! PDF sheet lives in `backup` and joins this list as `pdf`.

use std::path::Path;

use zeroize::Zeroizing;

use super::FormatError;
use crate::backup::{Paper, SheetAccount};
use crate::otp::OtpAccount;

/// What an export is made from. Each format takes what it can carry.
#[derive(Default)]
pub struct ExportInput<'a> {
    pub accounts: &'a [OtpAccount],
    /// `groups[i]` is the group of account i ("" for none).
    pub groups: &'a [String],
    /// `recovery_codes[i]`: the unused recovery codes of account i (may be empty).
    pub recovery_codes: &'a [Vec<Zeroizing<String>>],
    pub password: Option<&'a str>,
    pub paper: Paper,
    /// Unix time of the export (printed on the sheet).
    pub now: u64,
}

/// The file's bytes from an [`ExportInput`].
pub type Render = fn(&ExportInput) -> Result<Zeroizing<Vec<u8>>, FormatError>;

/// One export format.
pub struct ExportFormat {
    /// The `--format` value.
    pub name: &'static str,
    pub description: &'static str,
    /// Whether the output is encrypted (and so needs a password).
    pub encrypted: bool,
    /// A document to print (takes a paper size; carries recovery codes).
    pub printable: bool,
    pub render: Render,
}

pub static EXPORTS: &[ExportFormat] = &[
    ExportFormat {
        name: "aegis-encrypted",
        description: "Aegis vault, encrypted with a password (Aegis can import it)",
        encrypted: true,
        printable: false,
        render: |input| {
            let password = input.password.filter(|p| !p.is_empty()).ok_or_else(|| {
                FormatError::Export("an encrypted vault needs a non-empty password".into())
            })?;
            super::aegis::export(input.accounts, input.groups, Some(password))
        },
    },
    ExportFormat {
        name: "aegis",
        description: "Aegis vault, unencrypted (every secret readable)",
        encrypted: false,
        printable: false,
        render: |input| super::aegis::export(input.accounts, input.groups, None),
    },
    ExportFormat {
        name: "otpauth",
        description: "Text file of otpauth:// URIs, one per line, unencrypted",
        encrypted: false,
        printable: false,
        render: |input| Ok(super::otpauth_list::export(input.accounts)),
    },
    ExportFormat {
        name: "pdf",
        description: "Printable recovery sheet (PDF): QR codes, secrets and recovery codes, unencrypted",
        encrypted: false,
        printable: true,
        render: render_sheet,
    },
];

fn render_sheet(input: &ExportInput) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    let accounts: Vec<SheetAccount> = input
        .accounts
        .iter()
        .enumerate()
        .map(|(i, a)| SheetAccount {
            account: a.clone(),
            recovery_codes: input.recovery_codes.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    crate::backup::render_sheet(&accounts, input.paper, &crate::backup::date(input.now))
        .map_err(|e| FormatError::Export(e.to_string()))
}

pub fn export_names() -> Vec<&'static str> {
    EXPORTS.iter().map(|f| f.name).collect()
}

pub fn export_by_name(name: &str) -> Result<&'static ExportFormat, FormatError> {
    EXPORTS
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            FormatError::Unsupported(format!(
                "unknown export format \"{name}\" (known: {})",
                export_names().join(", ")
            ))
        })
}

/// Writes `bytes` to `path` so that it is never seen half-written and never
/// readable by others: a 0600 temporary file beside it, fsync, rename, fsync of
/// the folder. An existing file at `path` is replaced.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::atomic_file::replace(path, ".ninsho-export.", ".tmp", bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_files_are_0600_and_replace_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, b"old").unwrap();
        write_private_file(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn encrypted_export_refuses_an_empty_password() {
        let f = export_by_name("aegis-encrypted").unwrap();
        let input = |password| ExportInput {
            password,
            ..Default::default()
        };
        assert!((f.render)(&input(Some(""))).is_err());
        assert!((f.render)(&input(None)).is_err());
    }
}
