//! Following another device's backups: a file, or a folder a sync tool keeps
//! in step (Syncthing, Nextcloud, a USB stick), where the newest backup of
//! another device is read, compared with what was applied from it last time
//! and with the accounts here, and the differences offered for review.
//!
//! - Sources and what was last applied from each are `follow.json` in the data
//!   folder, replaced atomically. What was applied is remembered as keyed
//!   fingerprints ([`Mark`]: HMAC-SHA256 with a key that is its own keyring
//!   item, [`KEY_ITEM`]), never as secrets: the file says nothing about a
//!   secret to someone without the keyring.
//! - Each source's password is its own keyring item ([`password_item`]).
//! - The comparison is three-way: the source now, the source as last applied
//!   (the base), and the accounts here. So an account removed there is told
//!   from one added here, and a rename there from a rename here. Accounts are
//!   matched by the source's own entry ids where it has them (Aegis and Ninsho
//!   backups carry UUIDs), else by secret and kind.
//! - Nothing is read as "everything removed": a file still being synced (a
//!   temporary name is never picked; a file that does not parse is "not ready
//!   yet") is tried again later, and a source that lost most of its accounts is
//!   flagged ([`Review::suspicious`]) so its removals are never applied without
//!   a person looking at them.
//! - Applying is crash-safe by construction: the base is only advanced after
//!   the changes are written, and a half-applied review, compared again, finds
//!   the accounts already added (matched by secret) and the renames already
//!   made, so nothing is added twice.
//!
//! Layer: like `autobackup`, this uses `vault` and `formats`; `cli` and `ui`
//! call it (the window from its worker thread: reading a source decrypts it).

use std::collections::HashMap;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::formats::{self, FormatError};
use crate::otp::{Kind, OtpAccount, Secret};
use crate::t;
use crate::vault::{self, Entry, SecretStore, StoreError, Vault, VaultError};

/// The settings file in the data folder.
pub const SETTINGS_FILE: &str = "follow.json";
const SETTINGS_TEMP_PREFIX: &str = ".follow.";
const TEMP_SUFFIX: &str = ".tmp";
const LOCK_FILE: &str = "follow.lock";
const SETTINGS_VERSION: u32 = 1;
/// The keyring item holding the fingerprint key (32 random bytes).
pub const KEY_ITEM: &str = "ninsho-follow-key";
const PASSWORD_ITEM_PREFIX: &str = "ninsho-follow-password-";

/// The keyring item of a source's password.
pub fn password_item(source: Uuid) -> String {
    format!("{PASSWORD_ITEM_PREFIX}{source}")
}

/// Whether a keyring item id is one of following's own (not an account).
pub fn is_own_item(id: &str) -> bool {
    id == KEY_ITEM
        || id
            .strip_prefix(PASSWORD_ITEM_PREFIX)
            .is_some_and(|rest| Uuid::parse_str(rest).is_ok())
}

/// What `follow.json` holds. No secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub version: u32,
    pub sources: Vec<Source>,
}

/// One followed file or folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Names the password's keyring item.
    pub id: Uuid,
    /// Absolute path of the file or folder.
    pub path: String,
    /// The format named by `--format`; detected when `None`.
    #[serde(default)]
    pub format: Option<String>,
    /// What was applied from it last (absent until the first apply).
    #[serde(default)]
    pub applied: Option<Applied>,
}

/// The source as it was when last applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// The file it came from (in a followed folder, its name).
    pub file: String,
    /// Unix time of the apply.
    pub at: u64,
    pub entries: Vec<Mark>,
}

/// One account of a source, as keyed fingerprints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// The source's own id of the entry (an Aegis UUID), where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// HMAC of kind and secret: the same account, whatever its names.
    pub secret: String,
    /// HMAC of names, group and parameters: whether it was renamed or moved.
    pub meta: String,
    /// The account here it corresponds to, if any (none: not added here, or
    /// removed here since).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<Uuid>,
    /// `meta` of that account here when applied (it may be named otherwise
    /// here): whether it was renamed here since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_meta: Option<String>,
}

/// Why following failed. Each message is one line.
#[derive(Debug, thiserror::Error)]
pub enum FollowError {
    #[error("{}", t!("err-follow-not-followed", path = .0.as_str()))]
    NotFollowed(String),
    #[error("{}", t!("err-follow-already", path = .0.as_str()))]
    AlreadyFollowed(String),
    #[error("{}", t!("err-follow-missing", path = .path.display().to_string(), why = crate::i18n::io_error(.source)))]
    Missing { path: PathBuf, source: io::Error },
    #[error("{}", t!("err-follow-path-not-utf8", path = .0.display().to_string()))]
    PathName(PathBuf),
    #[error("{}", t!("err-follow-no-password", path = .0.as_str()))]
    NoPassword(String),
    #[error("{}", t!("err-follow-read", path = .path.display().to_string(), why = crate::i18n::io_error(.source)))]
    Read { path: PathBuf, source: io::Error },
    #[error("{}", t!("err-follow-file", path = .path.display().to_string(), why = .why.to_string()))]
    File { path: PathBuf, why: FormatError },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("{}", t!("err-follow-settings-damaged", path = .path.display().to_string(), detail = .detail))]
    SettingsDamaged { path: PathBuf, detail: String },
    #[error("{}", t!("err-follow-settings-write", path = .path.display().to_string(), why = crate::i18n::io_error(.source)))]
    SettingsIo { path: PathBuf, source: io::Error },
}

pub fn settings_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SETTINGS_FILE)
}

/// The settings; empty when nothing is followed.
pub fn load(data_dir: &Path) -> Result<Settings, FollowError> {
    let path = settings_path(data_dir);
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Settings {
                version: SETTINGS_VERSION,
                sources: Vec::new(),
            });
        }
        Err(source) => return Err(FollowError::SettingsIo { path, source }),
    };
    let settings: Settings =
        serde_json::from_slice(&bytes).map_err(|e| FollowError::SettingsDamaged {
            path: path.clone(),
            detail: e.to_string(),
        })?;
    if settings.version > SETTINGS_VERSION {
        return Err(FollowError::SettingsDamaged {
            path,
            detail: format!("version {}", settings.version),
        });
    }
    Ok(settings)
}

/// Replaces the settings file atomically (private to the user).
pub fn save(data_dir: &Path, settings: &Settings) -> Result<(), FollowError> {
    let path = settings_path(data_dir);
    let mut json = serde_json::to_vec_pretty(settings).expect("settings always serialise");
    json.push(b'\n');
    crate::atomic_file::replace(&path, SETTINGS_TEMP_PREFIX, TEMP_SUFFIX, &json)
        .map_err(|source| FollowError::SettingsIo { path, source })
}

/// Serialises changes of the settings (and applies) between Ninsho processes.
pub fn lock(data_dir: &Path) -> Result<File, FollowError> {
    let path = data_dir.join(LOCK_FILE);
    crate::atomic_file::lock(&path).map_err(|source| FollowError::SettingsIo { path, source })
}

/// The path as it is stored and shown: absolute, links resolved.
pub fn canonical(path: &Path) -> Result<String, FollowError> {
    let full = fs::canonicalize(path).map_err(|source| FollowError::Missing {
        path: path.to_path_buf(),
        source,
    })?;
    full.to_str()
        .map(str::to_string)
        .ok_or(FollowError::PathName(full))
}

/// The source whose path is `path` (as given, or canonical).
pub fn find<'a>(settings: &'a Settings, path: &Path) -> Option<&'a Source> {
    let canonical = canonical(path).ok();
    let given = path.to_string_lossy();
    settings
        .sources
        .iter()
        .find(|s| s.path == given || Some(&s.path) == canonical.as_ref())
}

/// Starts following `path`: stores the password in the keyring, then the
/// source. (Callers read the source with the password first, so a wrong one
/// is refused before anything is saved.)
pub fn add<S: SecretStore>(
    data_dir: &Path,
    store: &S,
    path: &Path,
    format: Option<&str>,
    password: &str,
) -> Result<Source, FollowError> {
    if let Some(name) = format {
        formats::by_name(name).map_err(|why| FollowError::File {
            path: path.to_path_buf(),
            why,
        })?;
    }
    let path_text = canonical(path)?;
    let _lock = lock(data_dir)?;
    let mut settings = load(data_dir)?;
    if settings.sources.iter().any(|s| s.path == path_text) {
        return Err(FollowError::AlreadyFollowed(path_text));
    }
    let source = Source {
        id: Uuid::new_v4(),
        path: path_text,
        format: format.map(str::to_string),
        applied: None,
    };
    store.set(
        &password_item(source.id),
        &t!("follow-keyring-label", path = source.path.as_str()),
        password.as_bytes(),
    )?;
    settings.version = SETTINGS_VERSION;
    settings.sources.push(source.clone());
    if let Err(e) = save(data_dir, &settings) {
        let _ = store.delete(&password_item(source.id));
        return Err(e);
    }
    Ok(source)
}

/// Stops following a source: the source goes first, then its password.
pub fn remove<S: SecretStore>(
    data_dir: &Path,
    store: &S,
    path: &Path,
) -> Result<(Source, Result<bool, StoreError>), FollowError> {
    // Nothing followed (no data folder yet, even): nothing to lock.
    if load(data_dir)?.sources.is_empty() {
        return Err(FollowError::NotFollowed(path.display().to_string()));
    }
    let _lock = lock(data_dir)?;
    let mut settings = load(data_dir)?;
    let id = find(&settings, path)
        .map(|s| s.id)
        .ok_or_else(|| FollowError::NotFollowed(path.display().to_string()))?;
    let at = settings
        .sources
        .iter()
        .position(|s| s.id == id)
        .unwrap_or(0);
    let source = settings.sources.remove(at);
    save(data_dir, &settings)?;
    let deleted = store.delete(&password_item(source.id));
    Ok((source, deleted))
}

// ---------------------------------------------------------------------------
// Reading a source

/// A source's file as read now.
pub struct Snapshot {
    pub file: PathBuf,
    pub accounts: Vec<OtpAccount>,
    /// `groups[i]`: account i's group ("" for none).
    pub groups: Vec<String>,
    /// `ids[i]`: the source's own id of account i, if it has ids.
    pub ids: Vec<Option<String>>,
}

/// What reading a source found.
pub enum Read {
    Ready(Snapshot),
    /// A followed folder with no backup in it (yet).
    NoFile,
    /// The newest file cannot be read yet (still being written or synced):
    /// tried again later, never taken for an empty backup.
    NotReady {
        file: PathBuf,
        why: String,
    },
}

/// Whether a file in a followed folder is a backup another device made:
/// Aegis's automatic backups and exports, 2FAS backups, and Ninsho backups
/// of any host but this one. Temporary and hidden files never are.
pub fn is_backup_name(name: &str, own_host: &str) -> bool {
    if name.starts_with('.')
        || name.starts_with('~')
        || name.ends_with('~')
        || [".tmp", ".part", ".crdownload", ".partial", ".syncthing."]
            .iter()
            .any(|t| name.contains(t))
    {
        return false;
    }
    if name.starts_with("ninsho-backup-") && name.ends_with(".json") {
        return !crate::autobackup::is_backup_of(name, own_host);
    }
    ((name.starts_with("aegis-backup-") || name.starts_with("aegis-export-"))
        && name.ends_with(".json"))
        || name.ends_with(".2fas")
}

/// The file to read: `path` itself, or the newest backup of another device in
/// the folder `path` (by modification time, then name).
pub fn newest_file(path: &Path, own_host: &str) -> Result<Option<PathBuf>, FollowError> {
    let missing = |source| FollowError::Missing {
        path: path.to_path_buf(),
        source,
    };
    let meta = fs::metadata(path).map_err(missing)?;
    if !meta.is_dir() {
        return Ok(Some(path.to_path_buf()));
    }
    let mut best: Option<(std::time::SystemTime, String)> = None;
    for item in fs::read_dir(path).map_err(missing)? {
        let Ok(item) = item else { continue };
        let Ok(name) = item.file_name().into_string() else {
            continue;
        };
        if !is_backup_name(&name, own_host) {
            continue;
        }
        let Ok(meta) = item.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let modified = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
        if best
            .as_ref()
            .is_none_or(|(t, n)| (modified, &name) > (*t, n))
        {
            best = Some((modified, name));
        }
    }
    Ok(best.map(|(_, name)| path.join(name)))
}

/// What a followed file looked like on disk: when it is the same at the next
/// look, the source has not changed and nothing is read or decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub file: PathBuf,
    pub len: u64,
    pub modified: Option<std::time::SystemTime>,
}

impl Stamp {
    /// `file`'s size and time, without reading it.
    pub fn of(file: &Path) -> io::Result<Stamp> {
        let meta = fs::metadata(file)?;
        Ok(Stamp {
            file: file.to_path_buf(),
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// The source's newest file and its size and time, without reading it.
pub fn stamp(source: &Source, own_host: &str) -> Result<Option<Stamp>, FollowError> {
    let Some(file) = newest_file(Path::new(&source.path), own_host)? else {
        return Ok(None);
    };
    Stamp::of(&file)
        .map(Some)
        .map_err(|source| FollowError::Read { path: file, source })
}

/// The source's password from the keyring.
pub fn password<S: SecretStore>(
    store: &S,
    source: &Source,
) -> Result<Zeroizing<String>, FollowError> {
    let stored = store
        .get(&password_item(source.id))?
        .ok_or_else(|| FollowError::NoPassword(source.path.clone()))?;
    let text = std::str::from_utf8(&stored)
        .map_err(|_| FollowError::NoPassword(source.path.clone()))?
        .to_string();
    Ok(Zeroizing::new(text))
}

/// Reads the source's newest file with its password. A file that does not
/// parse is [`Read::NotReady`]; a wrong password is an error.
pub fn read(source: &Source, password: &str, own_host: &str) -> Result<Read, FollowError> {
    let Some(file) = newest_file(Path::new(&source.path), own_host)? else {
        return Ok(Read::NoFile);
    };
    read_file(&file, source.format.as_deref(), password)
}

fn read_file(file: &Path, format: Option<&str>, password: &str) -> Result<Read, FollowError> {
    let too_large = || FollowError::File {
        path: file.to_path_buf(),
        why: FormatError::Damaged {
            what: "file",
            detail: t!("err-follow-too-large"),
        },
    };
    // Refused before it is read: a huge file in a synced folder must not fill memory.
    if fs::metadata(file).is_ok_and(|m| m.len() > formats::MAX_FILE_BYTES as u64) {
        return Err(too_large());
    }
    let bytes = match fs::read(file) {
        Ok(b) => Zeroizing::new(b),
        // Gone between the listing and the read: a sync tool replacing it.
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Read::NotReady {
                file: file.to_path_buf(),
                why: crate::i18n::io_error(&e),
            });
        }
        Err(source) => {
            return Err(FollowError::Read {
                path: file.to_path_buf(),
                source,
            });
        }
    };
    if bytes.len() > formats::MAX_FILE_BYTES {
        return Err(too_large());
    }
    let not_ready = |why: String| {
        Ok(Read::NotReady {
            file: file.to_path_buf(),
            why,
        })
    };
    let format = match format {
        Some(name) => formats::by_name(name),
        None => formats::detect(&bytes),
    };
    let format = match format {
        Ok(f) => f,
        // Half a JSON file is no format at all.
        Err(FormatError::Undetected) => return not_ready(FormatError::Undetected.to_string()),
        Err(why) => {
            return Err(FollowError::File {
                path: file.to_path_buf(),
                why,
            });
        }
    };
    match format.read(&bytes, Some(password)) {
        Ok(import) => {
            let n = import.accounts.len();
            let groups = (0..n)
                .map(|i| import.groups.get(i).cloned().flatten().unwrap_or_default())
                .collect();
            let ids = (0..n)
                .map(|i| import.ids.get(i).cloned().flatten())
                .collect();
            Ok(Read::Ready(Snapshot {
                file: file.to_path_buf(),
                accounts: import.accounts,
                groups,
                ids,
            }))
        }
        Err(why @ (FormatError::Damaged { .. } | FormatError::NotThisFormat(_))) => {
            not_ready(why.to_string())
        }
        Err(why) => Err(FollowError::File {
            path: file.to_path_buf(),
            why,
        }),
    }
}

// ---------------------------------------------------------------------------
// Fingerprints

/// The fingerprint key from the keyring, made (32 random bytes) on first use.
pub fn key<S: SecretStore>(store: &S) -> Result<Zeroizing<Vec<u8>>, FollowError> {
    if let Some(k) = store.get(KEY_ITEM)?
        && k.len() >= 32
    {
        return Ok(Zeroizing::new(k.to_vec()));
    }
    let mut fresh = Zeroizing::new(vec![0u8; 32]);
    getrandom::fill(&mut fresh).map_err(|e| StoreError::Other {
        detail: e.to_string(),
    })?;
    store.set(KEY_ITEM, &t!("follow-key-label"), &fresh)?;
    Ok(fresh)
}

fn mac(key: &[u8], parts: &[&[u8]]) -> String {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key");
    for p in parts {
        m.update(&(p.len() as u64).to_le_bytes());
        m.update(p);
    }
    hex::encode(m.finalize().into_bytes())
}

/// Fingerprint of an account's kind and secret.
pub fn secret_mark(key: &[u8], kind: Kind, secret: &Secret) -> String {
    mac(
        key,
        &[b"secret", kind.as_str().as_bytes(), secret.as_bytes()],
    )
}

/// Fingerprint of what a person can change without changing the secret.
fn meta_mark_of(
    key: &[u8],
    issuer: &str,
    name: &str,
    group: &str,
    p: &crate::otp::Params,
) -> String {
    let digits = p.digits.to_string();
    let period = match p.kind {
        Kind::Hotp => String::new(),
        _ => p.period.to_string(),
    };
    mac(
        key,
        &[
            b"meta",
            issuer.trim().as_bytes(),
            name.trim().as_bytes(),
            group.trim().as_bytes(),
            p.kind.as_str().as_bytes(),
            p.algorithm.as_str().as_bytes(),
            digits.as_bytes(),
            period.as_bytes(),
        ],
    )
}

fn entry_meta(key: &[u8], e: &Entry) -> String {
    meta_mark_of(key, &e.issuer, &e.name, &e.group, &e.params())
}

/// Whether the account here was renamed or regrouped since it was last applied.
fn renamed_here(key: &[u8], here: &Entry, base: &Mark) -> bool {
    entry_meta(key, here) != *base.local_meta.as_ref().unwrap_or(&base.meta)
}

// ---------------------------------------------------------------------------
// Comparing

/// An account renamed or moved to another group there.
#[derive(Debug, Clone)]
pub struct Change {
    /// Index in the snapshot.
    pub index: usize,
    pub local: Uuid,
    /// How it is named here now.
    pub before: String,
}

/// What a source has that differs from here, against what was last applied.
pub struct Review {
    pub source: Source,
    pub snapshot: Snapshot,
    /// Snapshot indices of accounts new there.
    pub added: Vec<usize>,
    /// Accounts renamed or regrouped there (and not here).
    pub changed: Vec<Change>,
    /// Accounts here that were removed there (and not changed here).
    pub removed: Vec<Entry>,
    /// Accounts changed here and also changed or removed there: kept as they
    /// are here (names shown to the user).
    pub kept_here: Vec<String>,
    /// Most of what was applied last is gone there: removals need a person.
    pub suspicious: bool,
    /// What was recorded as applied is not the source as it is now (another
    /// file, or accounts newly matched here): worth recording even when
    /// there is nothing to review.
    pub unrecorded: bool,
    /// Snapshot index → the account here, for those that match one.
    links: Vec<Option<Uuid>>,
    marks: Vec<(String, String)>,
    /// The base entries of removals not applied: kept, to be offered again.
    pending_base: Vec<Mark>,
}

impl Review {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// The file the review is of.
    pub fn file_name(&self) -> String {
        self.snapshot
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Compares a source's snapshot with what was applied from it last and with
/// the vault. Reads secrets from the keyring only for accounts it must match
/// by secret (new there, or whose account here was replaced).
pub fn compare<S: SecretStore>(
    vault: &Vault<S>,
    key: &[u8],
    source: &Source,
    snapshot: Snapshot,
) -> Result<Review, FollowError> {
    let marks: Vec<(String, String)> = snapshot
        .accounts
        .iter()
        .zip(&snapshot.groups)
        .map(|(a, g)| {
            (
                secret_mark(key, a.params.kind, &a.secret),
                meta_mark_of(key, &a.issuer, &a.name, g, &a.params),
            )
        })
        .collect();
    let base: &[Mark] = source
        .applied
        .as_ref()
        .map(|a| &a.entries[..])
        .unwrap_or(&[]);
    let here: HashMap<Uuid, &Entry> = vault
        .entries()
        .filter(|e| e.state == vault::meta::State::Saved)
        .map(|e| (e.id, e))
        .collect();
    let mut by_secret: Option<HashMap<String, Uuid>> = None;
    let mut local_by_secret = |mark: &str| -> Result<Option<Uuid>, FollowError> {
        if by_secret.is_none() {
            let mut map = HashMap::new();
            for e in here.values() {
                match vault.account(e) {
                    Ok(a) => {
                        map.entry(secret_mark(key, a.params.kind, &a.secret))
                            .or_insert(e.id);
                    }
                    Err(VaultError::MissingSecret(_) | VaultError::BadItem(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            by_secret = Some(map);
        }
        Ok(by_secret.as_ref().and_then(|m| m.get(mark).copied()))
    };

    let mut used = vec![false; base.len()];
    let mut base_by_id: HashMap<&str, usize> = HashMap::new();
    let mut base_by_secret: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, b) in base.iter().enumerate() {
        if let Some(id) = &b.source_id {
            base_by_id.entry(id).or_insert(i);
        }
        base_by_secret.entry(&b.secret).or_default().push(i);
    }

    let mut review = Review {
        source: source.clone(),
        added: Vec::new(),
        changed: Vec::new(),
        removed: Vec::new(),
        kept_here: Vec::new(),
        suspicious: false,
        unrecorded: false,
        links: vec![None; snapshot.accounts.len()],
        marks: Vec::new(),
        pending_base: Vec::new(),
        snapshot,
    };
    for (i, (secret, meta)) in marks.iter().enumerate() {
        // The same entry id with another secret is another account.
        let by_id = review.snapshot.ids[i]
            .as_deref()
            .and_then(|id| base_by_id.get(id).copied())
            .filter(|&b| !used[b] && base[b].secret == *secret);
        let by_secret = || {
            base_by_secret
                .get(secret.as_str())
                .and_then(|list| list.iter().copied().find(|&b| !used[b]))
        };
        let Some(b) = by_id.or_else(by_secret) else {
            // New there, unless it is here already.
            match local_by_secret(secret)? {
                Some(local) => review.links[i] = Some(local),
                None => review.added.push(i),
            }
            continue;
        };
        used[b] = true;
        let base = &base[b];
        let Some(local) = base.local.and_then(|id| here.get(&id).copied()) else {
            // Removed here since (or never added): stays so. It may have come
            // back under another id.
            review.links[i] = local_by_secret(secret)?;
            continue;
        };
        review.links[i] = Some(local.id);
        if *meta == base.meta {
            continue; // Unchanged there.
        }
        if !renamed_here(key, local, base) {
            review.changed.push(Change {
                index: i,
                local: local.id,
                before: local.display_name(),
            });
        } else if entry_meta(key, local) != *meta {
            review.kept_here.push(local.display_name());
        }
    }
    for (b, mark) in base.iter().enumerate() {
        if used[b] {
            continue;
        }
        let Some(local) = mark.local.and_then(|id| here.get(&id).copied()) else {
            continue; // Gone on both sides.
        };
        if !renamed_here(key, local, mark) {
            review.removed.push(local.clone());
            review.pending_base.push(mark.clone());
        } else {
            review.kept_here.push(local.display_name());
        }
    }
    // "Most" of at least a few: a phone that lost 2 of 3 accounts is flagged,
    // one account removed of two is an ordinary removal.
    review.suspicious = base.len() >= 3 && review.removed.len() * 2 > base.len();
    let file = review.file_name();
    review.unrecorded = source.applied.as_ref().is_none_or(|a| {
        a.file != file
            || a.entries.len() != marks.len()
            || a.entries
                .iter()
                .zip(&marks)
                .zip(&review.links)
                .any(|((b, (s, m)), l)| b.secret != *s || b.meta != *m || b.local != *l)
    });
    review.marks = marks;
    Ok(review)
}

// ---------------------------------------------------------------------------
// Applying

/// What a person chose to apply from a review.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// Snapshot indices among [`Review::added`].
    pub add: Vec<usize>,
    /// Snapshot indices among [`Review::changed`].
    pub change: Vec<usize>,
    /// Accounts among [`Review::removed`].
    pub remove: Vec<Uuid>,
}

impl Choice {
    /// Everything offered, removals only if `with_removals`.
    pub fn all(review: &Review, with_removals: bool) -> Self {
        Choice {
            add: review.added.clone(),
            change: review.changed.iter().map(|c| c.index).collect(),
            remove: if with_removals {
                review.removed.iter().map(|e| e.id).collect()
            } else {
                Vec::new()
            },
        }
    }
}

/// What applying did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub added: Vec<Entry>,
    pub changed: Vec<Entry>,
    pub removed: Vec<Entry>,
}

/// Applies the chosen changes, then records the source as applied. Added
/// accounts are matched to the source from now on; offered changes not
/// chosen count as seen (not offered again); removals not chosen stay
/// pending (offered again until chosen or done here).
pub fn apply<S: SecretStore>(
    vault: &mut Vault<S>,
    review: &Review,
    choice: &Choice,
    now: u64,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Outcome, FollowError> {
    let data_dir = vault.dir().to_path_buf();
    let _lock = lock(&data_dir)?;
    let mut links = review.links.clone();
    let mut outcome = Outcome::default();

    let adds: Vec<usize> = choice
        .add
        .iter()
        .copied()
        .filter(|i| review.added.contains(i))
        .collect();
    if !adds.is_empty() {
        let incoming: Vec<(OtpAccount, String)> = adds
            .iter()
            .map(|&i| {
                (
                    review.snapshot.accounts[i].clone(),
                    review.snapshot.groups[i].clone(),
                )
            })
            .collect();
        let report = vault.add_grouped(incoming, progress)?;
        // Added in order, duplicates left out: pair them up by names.
        let mut added = report.added.iter().peekable();
        for &i in &adds {
            let a = &review.snapshot.accounts[i];
            if let Some(e) = added
                .next_if(|e| e.issuer == a.issuer && e.name == a.name && e.kind == a.params.kind)
            {
                links[i] = Some(e.id);
            }
        }
        outcome.added = report.added;
    }
    for c in review
        .changed
        .iter()
        .filter(|c| choice.change.contains(&c.index))
    {
        let a = &review.snapshot.accounts[c.index];
        let group = &review.snapshot.groups[c.index];
        outcome
            .changed
            .push(vault.edit(c.local, &a.issuer, &a.name, group)?);
    }
    for e in review
        .removed
        .iter()
        .filter(|e| choice.remove.contains(&e.id))
    {
        match vault.remove(e.id) {
            Ok(gone) => outcome.removed.push(gone),
            Err(VaultError::NoMatch(_)) => {} // Removed here meanwhile.
            Err(err) => return Err(err.into()),
        }
    }

    // The new base: the source as it is now, plus removals still pending.
    let key = key(vault.store())?;
    let mut entries: Vec<Mark> = review
        .marks
        .iter()
        .enumerate()
        .map(|(i, (secret, meta))| {
            let here = links[i].and_then(|id| vault.entry(id));
            Mark {
                source_id: review.snapshot.ids[i].clone(),
                secret: secret.clone(),
                meta: meta.clone(),
                local: here.map(|e| e.id),
                local_meta: here.map(|e| entry_meta(&key, e)),
            }
        })
        .collect();
    for (mark, e) in review.pending_base.iter().zip(&review.removed) {
        if !choice.remove.contains(&e.id) {
            entries.push(mark.clone());
        }
    }
    let mut settings = load(&data_dir)?;
    let Some(source) = settings
        .sources
        .iter_mut()
        .find(|s| s.id == review.source.id)
    else {
        // Stopped following while the review was open: the changes stand.
        return Ok(outcome);
    };
    source.applied = Some(Applied {
        file: review.file_name(),
        at: now,
        entries,
    });
    save(&data_dir, &settings)?;
    Ok(outcome)
}

/// The state of one source, for `follow status` and the window.
pub enum Status {
    Review(Box<Review>),
    NoFile,
    NotReady { file: PathBuf, why: String },
    Failed(FollowError),
}

/// Reads and compares every followed source.
pub fn check_all<S: SecretStore>(
    vault: &Vault<S>,
    own_host: &str,
) -> Result<Vec<(Source, Status)>, FollowError> {
    let settings = load(vault.dir())?;
    if settings.sources.is_empty() {
        return Ok(Vec::new());
    }
    let key = key(vault.store())?;
    let mut out = Vec::with_capacity(settings.sources.len());
    for source in settings.sources {
        let status = check(vault, &key, &source, own_host);
        out.push((source, status));
    }
    Ok(out)
}

/// Reads and compares one source.
pub fn check<S: SecretStore>(
    vault: &Vault<S>,
    key: &[u8],
    source: &Source,
    own_host: &str,
) -> Status {
    let result = password(vault.store(), source).and_then(|pw| read(source, &pw, own_host));
    match result {
        Ok(Read::Ready(snapshot)) => match compare(vault, key, source, snapshot) {
            Ok(review) => Status::Review(Box::new(review)),
            Err(e) => Status::Failed(e),
        },
        Ok(Read::NoFile) => Status::NoFile,
        Ok(Read::NotReady { file, why }) => Status::NotReady { file, why },
        Err(e) => Status::Failed(e),
    }
}

#[cfg(test)]
mod tests;
