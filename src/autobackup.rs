//! Automatic encrypted backups: after a change, the whole vault as an
//! Aegis-encrypted file `ninsho-backup-<host>-<YYYYMMDD-HHMMSS>.json` in a
//! folder the user chose (a sync tool may carry it to a phone or another
//! desktop), keeping the newest N of this computer.
//!
//! - The file is exactly what `ninsho export --format aegis-encrypted` writes
//!   (the same entry of `formats::export::EXPORTS`), so Aegis imports it as is.
//!   Recovery codes are not part of that format and so not of the backup.
//! - The password is its own keyring item, [`vault::BACKUP_PASSWORD_ITEM`],
//!   which start-up repair neither restores nor reports. It is never on disk.
//! - The settings (folder, how many to keep, the last backup and the last error;
//!   no secret) are `backup.json` in the data folder, replaced atomically.
//! - A backup is written under a dot-prefixed temporary name
//!   (`.ninsho-backup-….tmp`, which never matches the backup pattern, so a
//!   reader on another device never takes a half-written file for a backup),
//!   fsynced, renamed, the folder fsynced; then read back from disk, decrypted
//!   with the Aegis importer and compared with the accounts. Only then are older
//!   ones pruned, and only this host's files that match the pattern exactly:
//!   another host's backups, other apps' files and symlinks are never touched.
//! - Times in file names are UTC, so names sort in time order whatever the time
//!   zone or daylight saving; a second backup within the same second takes the
//!   next free second rather than replacing the first.
//! - The folder is created by `backup set`, never by a backup: a folder that has
//!   gone (an unmounted stick) is reported rather than made again underneath
//!   the mount point.
//!
//! Layer: like `cli` and `ui`, this uses `vault` (accounts and the keyring) and
//! `formats` (the Aegis writer and reader).

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::formats::{self, FormatError};
use crate::otp::OtpAccount;
use crate::t;
use crate::vault::{self, SecretStore, StoreError, Vault, VaultError};

/// The settings file in the data folder.
pub const SETTINGS_FILE: &str = "backup.json";
const SETTINGS_TEMP_PREFIX: &str = ".backup.";
const LOCK_FILE: &str = "backup.lock";
const SETTINGS_VERSION: u32 = 1;
/// How many of this host's backups are kept when `--keep` is not given.
pub const DEFAULT_KEEP: usize = 20;
/// The temporary name of a backup being written: `{TEMP_PREFIX}{uuid}{TEMP_SUFFIX}`.
pub const TEMP_PREFIX: &str = ".ninsho-backup-";
pub const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file this old is what a crash left, not a backup in progress.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// What `backup.json` holds. No secret: the password is in the keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub version: u32,
    /// Absolute path of the backup folder.
    pub folder: String,
    /// How many of this host's backups to keep (at least 1).
    pub keep: usize,
    /// Unix time of the last backup written and verified.
    #[serde(default)]
    pub last_backup: Option<u64>,
    /// Its file name (in `folder`).
    #[serde(default)]
    pub last_file: Option<String>,
    /// This host's backups in the folder after the last one was made.
    #[serde(default)]
    pub kept: Option<usize>,
    /// The last failure, one line, cleared by the next backup that succeeds.
    #[serde(default)]
    pub last_error: Option<String>,
    #[serde(default)]
    pub last_error_at: Option<u64>,
}

/// Why a backup or a change of the settings failed. Each message is one line.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{}", t!("err-backup-off"))]
    Off,
    #[error("{}", t!("err-backup-no-password"))]
    NoPassword,
    #[error("{}", t!("err-backup-keep-zero"))]
    KeepZero,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error("{}", t!("err-backup-folder", path = .path.display().to_string(), why = crate::i18n::io_error(.source)))]
    Folder { path: PathBuf, source: io::Error },
    #[error("{}", t!("err-backup-folder-not-utf8", path = .0.display().to_string()))]
    FolderName(PathBuf),
    #[error("{}", t!("err-backup-write", path = .path.display().to_string(), why = crate::i18n::io_error(.source)))]
    Write { path: PathBuf, source: io::Error },
    #[error("{}", t!("err-backup-verify", path = .path.display().to_string(), why = .why))]
    Verify { path: PathBuf, why: String },
    #[error("{}", t!("err-backup-settings-damaged", path = .path.display().to_string(), detail = .detail))]
    SettingsDamaged { path: PathBuf, detail: String },
    #[error("{}", t!("err-backup-settings-write", path = .path.display().to_string(), why = crate::i18n::io_error(.source)))]
    SettingsIo { path: PathBuf, source: io::Error },
}

/// One backup written and verified.
#[derive(Debug)]
pub struct Done {
    pub path: PathBuf,
    /// This host's backups in the folder now, the new one included.
    pub kept: usize,
    /// Older backups of this host removed to keep `keep`.
    pub pruned: Vec<PathBuf>,
}

pub fn settings_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SETTINGS_FILE)
}

/// The settings, or `None` when automatic backups are off.
pub fn load(data_dir: &Path) -> Result<Option<Settings>, BackupError> {
    let path = settings_path(data_dir);
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(BackupError::SettingsIo { path, source }),
    };
    let settings: Settings =
        serde_json::from_slice(&bytes).map_err(|e| BackupError::SettingsDamaged {
            path: path.clone(),
            detail: e.to_string(),
        })?;
    if settings.version > SETTINGS_VERSION {
        return Err(BackupError::SettingsDamaged {
            path,
            detail: format!("version {}", settings.version),
        });
    }
    Ok(Some(settings))
}

/// Replaces the settings file atomically (private to the user).
pub fn save(data_dir: &Path, settings: &Settings) -> Result<(), BackupError> {
    let path = settings_path(data_dir);
    let mut json = serde_json::to_vec_pretty(settings).expect("settings always serialise");
    json.push(b'\n');
    crate::atomic_file::replace(&path, SETTINGS_TEMP_PREFIX, TEMP_SUFFIX, &json)
        .map_err(|source| BackupError::SettingsIo { path, source })
}

/// Serialises backups and changes of the settings between Ninsho processes.
fn lock(data_dir: &Path) -> Result<File, BackupError> {
    let path = data_dir.join(LOCK_FILE);
    crate::atomic_file::lock(&path).map_err(|source| BackupError::SettingsIo { path, source })
}

/// Turns automatic backups on (or changes their folder, password or count):
/// creates the folder, checks that a file can be written there, stores the
/// password in the keyring, then the settings. Nothing is changed when a step
/// before the last fails.
pub fn turn_on<S: SecretStore>(
    data_dir: &Path,
    store: &S,
    folder: &Path,
    password: &str,
    keep: usize,
) -> Result<Settings, BackupError> {
    if keep == 0 {
        return Err(BackupError::KeepZero);
    }
    if password.is_empty() {
        return Err(FormatError::Export(t!("err-export-empty-password")).into());
    }
    let _lock = lock(data_dir)?;
    let folder_err = |source| BackupError::Folder {
        path: folder.to_path_buf(),
        source,
    };
    fs::create_dir_all(folder).map_err(folder_err)?;
    let folder = fs::canonicalize(folder).map_err(folder_err)?;
    let folder_text = folder
        .to_str()
        .ok_or_else(|| BackupError::FolderName(folder.clone()))?
        .to_string();
    probe_writable(&folder)?;
    store.set(
        vault::BACKUP_PASSWORD_ITEM,
        &t!("backup-keyring-label"),
        password.as_bytes(),
    )?;
    let mut settings = Settings {
        version: SETTINGS_VERSION,
        folder: folder_text,
        keep,
        last_backup: None,
        last_file: None,
        kept: None,
        last_error: None,
        last_error_at: None,
    };
    // Same folder: what was made there is still there.
    if let Ok(Some(old)) = load(data_dir)
        && old.folder == settings.folder
    {
        settings.last_backup = old.last_backup;
        settings.last_file = old.last_file;
        settings.kept = old.kept;
    }
    save(data_dir, &settings)?;
    Ok(settings)
}

/// A file created, written, synced and removed: the folder takes backups.
fn probe_writable(folder: &Path) -> Result<(), BackupError> {
    let probe = folder.join(format!(
        "{TEMP_PREFIX}probe-{}{TEMP_SUFFIX}",
        uuid::Uuid::new_v4().simple()
    ));
    let write = || -> io::Result<()> {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)?;
        io::Write::write_all(&mut f, b"ninsho")?;
        f.sync_all()
    };
    let result = write();
    let _ = fs::remove_file(&probe);
    result.map_err(|source| BackupError::Write {
        path: folder.to_path_buf(),
        source,
    })
}

/// What turning backups off did.
pub struct TurnedOff {
    /// The settings that were in force (`None`: backups were already off).
    pub previous: Option<Settings>,
    /// Deleting the password from the keyring: whether there was one, or why not.
    pub password_deleted: Result<bool, StoreError>,
}

/// Turns automatic backups off: the settings go first (no backup is made after
/// that), then the password. Backups already made stay where they are.
pub fn turn_off<S: SecretStore>(data_dir: &Path, store: &S) -> Result<TurnedOff, BackupError> {
    // No data folder (nothing set up here yet): off already.
    if !data_dir.is_dir() {
        return Ok(TurnedOff {
            previous: None,
            password_deleted: store.delete(vault::BACKUP_PASSWORD_ITEM),
        });
    }
    let _lock = lock(data_dir)?;
    // Damaged settings are removed all the same: off is off.
    let previous = load(data_dir).ok().flatten();
    let path = settings_path(data_dir);
    match fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(source) => return Err(BackupError::SettingsIo { path, source }),
    }
    let password_deleted = store.delete(vault::BACKUP_PASSWORD_ITEM);
    Ok(TurnedOff {
        previous,
        password_deleted,
    })
}

/// This computer's name as it appears in backup file names: `NINSHO_HOST`
/// when set (two computers both named `debian` sharing a backup folder must
/// tell their backups apart), else the host name.
pub fn host() -> String {
    if let Some(name) = std::env::var_os("NINSHO_HOST").filter(|n| !n.is_empty()) {
        return sanitize_host(name.to_string_lossy().trim());
    }
    let mut name = gethostname::gethostname().to_string_lossy().into_owned();
    if name.trim().is_empty() {
        name = fs::read_to_string("/etc/hostname").unwrap_or_default();
    }
    sanitize_host(name.trim())
}

/// `[A-Za-z0-9-]` only (anything else becomes `-`), no leading or trailing
/// `-`, at most 63 characters; `host` when nothing is left.
pub fn sanitize_host(raw: &str) -> String {
    let mapped: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(63)
        .collect();
    let trimmed = mapped.trim_matches('-');
    if trimmed.is_empty() {
        "host".to_string()
    } else {
        trimmed.to_string()
    }
}

/// `ninsho-backup-<host>-<YYYYMMDD-HHMMSS>.json`, the time in UTC.
pub fn file_name(host: &str, unix: u64) -> String {
    let time = chrono::DateTime::from_timestamp(unix.min(i64::MAX as u64) as i64, 0)
        .unwrap_or_default()
        .format("%Y%m%d-%H%M%S");
    format!("ninsho-backup-{host}-{time}.json")
}

/// Whether `name` is one of `host`'s backups: the prefix, then exactly
/// `YYYYMMDD-HHMMSS.json`. (Host names may hold `-`, so another host's name is
/// never mistaken for this one followed by a time: the rest must be exactly that.)
pub fn is_backup_of(name: &str, host: &str) -> bool {
    let Some(rest) = name
        .strip_prefix("ninsho-backup-")
        .and_then(|r| r.strip_prefix(host))
        .and_then(|r| r.strip_prefix('-'))
        .and_then(|r| r.strip_suffix(".json"))
    else {
        return false;
    };
    let b = rest.as_bytes();
    b.len() == 15
        && b[8] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 8 || c.is_ascii_digit())
}

/// This host's backups in `folder` (regular files only), oldest first.
pub fn backups_of(folder: &Path, host: &str) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    for item in fs::read_dir(folder)? {
        let item = item?;
        let Ok(name) = item.file_name().into_string() else {
            continue;
        };
        if is_backup_of(&name, host) && item.file_type().is_ok_and(|t| t.is_file()) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Makes a backup now, if backups are on; records the outcome in the settings
/// (the last backup, or the error) either way.
pub fn run<S: SecretStore>(vault: &Vault<S>, now: u64, host: &str) -> Result<Done, BackupError> {
    let data_dir = vault.dir();
    let _lock = lock(data_dir)?;
    let Some(mut settings) = load(data_dir)? else {
        return Err(BackupError::Off);
    };
    let result = write_verify_prune(vault, &settings, now, host);
    match &result {
        Ok(done) => {
            settings.last_backup = Some(now);
            settings.last_file = done
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            settings.kept = Some(done.kept);
            settings.last_error = None;
            settings.last_error_at = None;
        }
        Err(e) => {
            settings.last_error = Some(e.to_string().replace('\n', " "));
            settings.last_error_at = Some(now);
        }
    }
    let saved = save(data_dir, &settings);
    let done = result?;
    saved?;
    Ok(done)
}

fn write_verify_prune<S: SecretStore>(
    vault: &Vault<S>,
    settings: &Settings,
    now: u64,
    host: &str,
) -> Result<Done, BackupError> {
    let folder = Path::new(&settings.folder);
    let folder_err = |source| BackupError::Folder {
        path: folder.to_path_buf(),
        source,
    };
    if !fs::metadata(folder).map_err(folder_err)?.is_dir() {
        return Err(folder_err(io::ErrorKind::NotADirectory.into()));
    }
    let stored = vault
        .store()
        .get(vault::BACKUP_PASSWORD_ITEM)?
        .ok_or(BackupError::NoPassword)?;
    let password = Zeroizing::new(
        std::str::from_utf8(&stored)
            .map_err(|_| BackupError::NoPassword)?
            .to_string(),
    );
    drop(stored);

    // A backup that silently lacks an account would be found out too late.
    let entries: Vec<vault::Entry> = vault.entries().cloned().collect();
    let mut accounts = Vec::with_capacity(entries.len());
    for e in &entries {
        accounts.push(vault.account(e)?);
    }
    let groups: Vec<String> = entries.iter().map(|e| e.group.clone()).collect();
    // The vault's own ids: a device following these backups tells accounts apart by them.
    let ids: Vec<String> = entries.iter().map(|e| e.id.to_string()).collect();
    let format = formats::export::export_by_name("aegis-encrypted")?;
    let bytes = (format.render)(&formats::export::ExportInput {
        accounts: &accounts,
        groups: &groups,
        ids: &ids,
        password: Some(&password),
        now,
        ..Default::default()
    })?;

    sweep_stale_temps(folder);
    let mut at = now;
    let path = loop {
        let path = folder.join(file_name(host, at));
        match fs::symlink_metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => break path,
            Err(source) => return Err(folder_err(source)),
            Ok(_) => at += 1,
        }
    };
    crate::atomic_file::replace(&path, TEMP_PREFIX, TEMP_SUFFIX, &bytes).map_err(|source| {
        BackupError::Write {
            path: path.clone(),
            source,
        }
    })?;
    drop(bytes);

    if let Err(why) = verify(&path, &password, &accounts, &groups) {
        // It cannot restore anything: better gone than mistaken for a backup.
        let _ = fs::remove_file(&path);
        return Err(BackupError::Verify { path, why });
    }

    let new_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut others = backups_of(folder, host).map_err(folder_err)?;
    others.retain(|n| *n != new_name);
    // The new file is kept even if the clock went back and it sorts first.
    let excess = others.len().saturating_sub(settings.keep.max(1) - 1);
    let mut pruned = Vec::new();
    let mut kept = others.len() + 1;
    for name in &others[..excess] {
        let old = folder.join(name);
        // One that cannot be removed stays, and is counted as kept.
        if fs::remove_file(&old).is_ok() {
            pruned.push(old);
            kept -= 1;
        }
    }
    Ok(Done { path, kept, pruned })
}

/// Reads the file back from disk, decrypts it with the Aegis importer and
/// compares every account and group with what was meant to be written.
fn verify(
    path: &Path,
    password: &str,
    accounts: &[OtpAccount],
    groups: &[String],
) -> Result<(), String> {
    let bytes = fs::read(path).map_err(|e| crate::i18n::io_error(&e))?;
    let back = formats::aegis::FORMAT
        .read(&bytes, Some(password))
        .map_err(|e| e.to_string())?;
    let same = back.accounts.len() == accounts.len()
        && back.skipped.is_empty()
        && back.accounts.iter().zip(accounts).all(|(b, a)| {
            b.issuer == a.issuer && b.name == a.name && b.secret == a.secret && b.params == a.params
        })
        && groups
            .iter()
            .enumerate()
            .all(|(i, g)| back.groups.get(i).cloned().flatten().unwrap_or_default() == *g);
    if same {
        Ok(())
    } else {
        Err(t!("err-backup-verify-differs"))
    }
}

// ---------------------------------------------------------------------------
// The reminder when backups are off

/// Remembers, in the data folder, the account list as it was at the last
/// export of every account and when the reminder was last dismissed: a
/// SHA-256 of `accounts.json` (names and parameters, never a secret) each.
const REMINDER_FILE: &str = "reminder.json";
const REMINDER_TEMP_PREFIX: &str = ".reminder.";

#[derive(Debug, Default, Serialize, Deserialize)]
struct ReminderState {
    /// The account list at the last export that held every account.
    #[serde(default)]
    exported: Option<String>,
    #[serde(default)]
    exported_at: Option<u64>,
    /// The account list when the reminder was dismissed.
    #[serde(default)]
    dismissed: Option<String>,
}

fn accounts_digest(data_dir: &Path) -> Option<String> {
    use sha2::Digest;
    let bytes = fs::read(data_dir.join(vault::meta::FILE_NAME)).ok()?;
    Some(hex::encode(sha2::Sha256::digest(&bytes)))
}

fn reminder_state(data_dir: &Path) -> ReminderState {
    fs::read(data_dir.join(REMINDER_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn save_reminder_state(data_dir: &Path, state: &ReminderState) {
    let json = serde_json::to_vec_pretty(state).expect("always serialises");
    // Only a reminder: failing to note it shows the reminder once more.
    let _ = crate::atomic_file::replace(
        &data_dir.join(REMINDER_FILE),
        REMINDER_TEMP_PREFIX,
        TEMP_SUFFIX,
        &json,
    );
}

/// Notes an export (file or printed sheet) of every account: the reminder
/// stays away until the accounts change again.
pub fn note_full_export(data_dir: &Path, now: u64) {
    let mut state = reminder_state(data_dir);
    state.exported = accounts_digest(data_dir);
    state.exported_at = Some(now);
    save_reminder_state(data_dir, &state);
}

/// Hides the reminder until the accounts change again.
pub fn dismiss_reminder(data_dir: &Path) {
    let mut state = reminder_state(data_dir);
    state.dismissed = accounts_digest(data_dir);
    save_reminder_state(data_dir, &state);
}

/// Whether to remind the user that nothing backs the accounts up: automatic
/// backups are off, there are accounts, they changed since the last export
/// of all of them (or there was none), and the reminder was not dismissed
/// since they last changed.
pub fn reminder_due<S: SecretStore>(vault: &Vault<S>) -> bool {
    let dir = vault.dir();
    if vault.entries().next().is_none() || !matches!(load(dir), Ok(None)) {
        return false;
    }
    let Some(now) = accounts_digest(dir) else {
        return false;
    };
    let state = reminder_state(dir);
    state.exported.as_deref() != Some(now.as_str())
        && state.dismissed.as_deref() != Some(now.as_str())
}

/// Removes temporary files a crashed backup left in `folder`.
fn sweep_stale_temps(folder: &Path) {
    crate::atomic_file::sweep_stale(folder, TEMP_PREFIX, TEMP_SUFFIX, STALE_AFTER);
}

#[cfg(test)]
mod tests;
