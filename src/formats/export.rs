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
    /// `ids[i]`: account i's id in the vault, written as its entry UUID where
    /// the format has one (Aegis); empty for new random ids.
    pub ids: &'a [String],
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
            let password = input
                .password
                .filter(|p| !p.is_empty())
                .ok_or_else(|| FormatError::Export(crate::t!("err-export-empty-password")))?;
            super::aegis::export(input.accounts, input.groups, input.ids, Some(password))
        },
    },
    ExportFormat {
        name: "aegis",
        description: "Aegis vault, unencrypted (every secret readable)",
        encrypted: false,
        printable: false,
        render: |input| super::aegis::export(input.accounts, input.groups, input.ids, None),
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
            FormatError::Unsupported(crate::t!(
                "err-unknown-export-format",
                name = name,
                known = export_names().join(", ")
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
    // A crash between writing and renaming left plaintext behind: gone now.
    sweep_stale_temps(dir);
    crate::atomic_file::replace(path, TEMP_PREFIX, TEMP_SUFFIX, bytes)
}

const TEMP_PREFIX: &str = ".ninsho-export.";
const TEMP_SUFFIX: &str = ".tmp";
/// An export writes and renames its temporary file within seconds; one left
/// alone this long is what a crash left, not an export in progress.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);
/// In the data folder: the folders exports were written to, one a line (no
/// secrets), so start-up can sweep them too.
const FOLDERS_FILE: &str = "export-folders";
const MAX_FOLDERS: usize = 32;

/// Removes the temporary files of exports that a crash left in `dir`; returns
/// the ones removed.
pub fn sweep_stale_temps(dir: &Path) -> Vec<std::path::PathBuf> {
    crate::atomic_file::sweep_stale(dir, TEMP_PREFIX, TEMP_SUFFIX, STALE_AFTER)
}

/// Notes in `data_dir` that an export went to `export_path`'s folder.
pub fn remember_folder(data_dir: &Path, export_path: &Path) {
    let folder = match export_path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Some(folder) = std::fs::canonicalize(folder)
        .ok()
        .and_then(|f| f.to_str().map(str::to_string))
    else {
        return;
    };
    let file = data_dir.join(FOLDERS_FILE);
    let mut folders = remembered(data_dir);
    folders.retain(|f| *f != folder);
    folders.push(folder);
    let start = folders.len().saturating_sub(MAX_FOLDERS);
    // Like everything in the data folder: private (0600), written atomically.
    let _ = write_private_file(&file, (folders[start..].join("\n") + "\n").as_bytes());
}

fn remembered(data_dir: &Path) -> Vec<String> {
    std::fs::read_to_string(data_dir.join(FOLDERS_FILE))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// At start-up: sweeps every folder exports went to.
pub fn sweep_remembered(data_dir: &Path) -> Vec<std::path::PathBuf> {
    remembered(data_dir)
        .iter()
        .flat_map(|f| sweep_stale_temps(Path::new(f)))
        .collect()
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

    /// Regression (hardening issue): a crash between writing and renaming an
    /// export left `.ninsho-export.*.tmp` with every secret in plain text.
    #[test]
    fn stale_export_temp_files_are_swept_on_export_and_at_start_up() {
        let dir = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let leftover = |name: &str| {
            let p = dir.path().join(name);
            let f = std::fs::File::create(&p).unwrap();
            f.set_modified(old).unwrap();
            p
        };
        let stale = leftover(".ninsho-export.abc123.tmp");
        let fresh = dir.path().join(".ninsho-export.now.tmp");
        std::fs::write(&fresh, b"in progress").unwrap();
        let other = leftover("notes.tmp");
        write_private_file(&dir.path().join("out.txt"), b"new").unwrap();
        assert!(!stale.exists(), "the crash's leftover is removed");
        assert!(fresh.exists(), "an export in progress is left alone");
        assert!(other.exists(), "other files are left alone");

        remember_folder(data.path(), &dir.path().join("out.txt"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let record = std::fs::metadata(data.path().join(FOLDERS_FILE)).unwrap();
            assert_eq!(record.permissions().mode() & 0o777, 0o600);
        }
        let stale = leftover(".ninsho-export.def456.tmp");
        assert_eq!(sweep_remembered(data.path()), vec![stale.clone()]);
        assert!(!stale.exists());
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
