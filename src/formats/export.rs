//! Writing the vault out in other apps' formats, and writing such a file safely.
//!
//! [`EXPORTS`] is the export counterpart of `REGISTRY`: it builds the CLI's
//! `export --format` values and, later, the window's Export menu. The printable
//! PDF sheet lives in `backup` and joins this list from there.

use std::io::Write;
use std::path::Path;

use zeroize::Zeroizing;

use super::FormatError;
use crate::otp::OtpAccount;

/// Accounts, their groups (`groups[i]` for account i, "" for none) and an
/// optional password in; the file's bytes out.
pub type Render =
    fn(&[OtpAccount], &[String], Option<&str>) -> Result<Zeroizing<Vec<u8>>, FormatError>;

/// One export format.
pub struct ExportFormat {
    /// The `--format` value.
    pub name: &'static str,
    pub description: &'static str,
    /// Whether the output is encrypted (and so needs a password).
    pub encrypted: bool,
    /// Renders accounts, with `groups[i]` the group of account i ("" for none).
    pub render: Render,
}

pub static EXPORTS: &[ExportFormat] = &[
    ExportFormat {
        name: "aegis-encrypted",
        description: "Aegis vault, encrypted with a password (Aegis can import it)",
        encrypted: true,
        render: |accounts, groups, password| {
            let password = password.filter(|p| !p.is_empty()).ok_or_else(|| {
                FormatError::Export("an encrypted vault needs a non-empty password".into())
            })?;
            super::aegis::export(accounts, groups, Some(password))
        },
    },
    ExportFormat {
        name: "aegis",
        description: "Aegis vault, unencrypted (every secret readable)",
        encrypted: false,
        render: |accounts, groups, _| super::aegis::export(accounts, groups, None),
    },
    ExportFormat {
        name: "otpauth",
        description: "Text file of otpauth:// URIs, one per line, unencrypted",
        encrypted: false,
        render: |accounts, _, _| Ok(super::otpauth_list::export(accounts)),
    },
];

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
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // tempfile creates the file with mode 0600 on Unix.
    let mut tmp = tempfile::Builder::new()
        .prefix(".ninsho-export.")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
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
        assert!((f.render)(&[], &[], Some("")).is_err());
        assert!((f.render)(&[], &[], None).is_err());
    }
}
