//! The metadata file (`accounts.json`): names and parameters, never secrets.
//!
//! Versioned JSON, replaced atomically (temp file in the same folder, fsync,
//! rename, fsync of the folder), mode 0600 in a 0700 folder. Writers serialise
//! through an advisory lock on `accounts.lock` beside it.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::otp::{Algorithm, Kind, OtpAccount, Params, Secret};

pub const VERSION: u32 = 1;
pub const FILE_NAME: &str = "accounts.json";
pub const LOCK_NAME: &str = "accounts.lock";
const TEMP_PREFIX: &str = ".accounts.";
const TEMP_SUFFIX: &str = ".tmp";

/// Where an entry is in its life. Anything but `Saved` is a write in progress that
/// a crash may have interrupted; start-up repair finishes or undoes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    #[default]
    Saved,
    /// Metadata written, keyring item may or may not exist yet.
    Adding,
    /// Being removed: the keyring item may still exist.
    Deleting,
}

impl State {
    fn is_saved(&self) -> bool {
        *self == State::Saved
    }
}

/// One account's non-secret data. Its position in the file is its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: Uuid,
    pub issuer: String,
    pub name: String,
    pub kind: Kind,
    pub algorithm: Algorithm,
    pub digits: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<u64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// URI parameters Ninsho does not interpret, kept for round trips.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<(String, String)>,
    pub created: u64,
    pub updated: u64,
    #[serde(default, skip_serializing_if = "State::is_saved")]
    pub state: State,
}

impl Entry {
    pub fn new(account: &OtpAccount, now: u64) -> Self {
        let p = &account.params;
        Entry {
            id: Uuid::new_v4(),
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            kind: p.kind,
            algorithm: p.algorithm,
            digits: p.digits,
            period: p.period_opt(),
            counter: p.counter_opt(),
            group: String::new(),
            extra: account.extra.clone(),
            created: now,
            updated: now,
            state: State::Saved,
        }
    }

    pub fn params(&self) -> Params {
        Params {
            kind: self.kind,
            algorithm: self.algorithm,
            digits: self.digits,
            period: self.period.unwrap_or(crate::otp::DEFAULT_PERIOD),
            counter: self.counter.unwrap_or(0),
        }
    }

    pub fn with_secret(&self, secret: Secret) -> OtpAccount {
        OtpAccount {
            issuer: self.issuer.clone(),
            name: self.name.clone(),
            secret,
            params: self.params(),
            extra: self.extra.clone(),
        }
    }

    pub fn display_name(&self) -> String {
        crate::otp::display_name(&self.issuer, &self.name)
    }

    /// What keyring browsers (Seahorse, KeePassXC) show for the item.
    pub fn keyring_label(&self) -> String {
        format!("Ninsho: {}", self.display_name())
    }

    /// The `list --json` shape: everything but secrets.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "kind": self.kind,
            "issuer": self.issuer,
            "account": self.name,
            "algorithm": self.algorithm,
            "digits": self.digits,
            "period": self.period,
            "counter": self.counter,
            "group": self.group,
        })
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MetaFile {
    pub version: u32,
    pub accounts: Vec<Entry>,
}

#[derive(Debug, thiserror::Error)]
pub enum MetaError {
    #[error("{}", io_message(.action, .path, .source))]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error("{}", crate::t!("err-meta-damaged", path = .path.display().to_string(), detail = .detail))]
    Damaged { path: PathBuf, detail: String },
    #[error("{}", crate::t!("err-meta-too-new", path = .path.display().to_string(), version = *.version, known = VERSION))]
    TooNew { path: PathBuf, version: u32 },
}

/// "cannot read PATH: why", in the reader's language.
fn io_message(action: &str, path: &Path, source: &io::Error) -> String {
    let path = path.display().to_string();
    let why = crate::i18n::io_error(source);
    match action {
        "create folder" => crate::t!("err-meta-create-folder", path = path, why = why),
        "read" => crate::t!("err-meta-read", path = path, why = why),
        "replace" => crate::t!("err-meta-replace", path = path, why = why),
        "read folder" => crate::t!("err-meta-read-folder", path = path, why = why),
        "remove" => crate::t!("err-meta-remove", path = path, why = why),
        "open" => crate::t!("err-meta-open", path = path, why = why),
        "lock" => crate::t!("err-meta-lock", path = path, why = why),
        _ => format!("{action} {path}: {why}"),
    }
}

fn io_err<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(io::Error) -> MetaError + use<'a> {
    move |source| MetaError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Creates the data folder (0700) if needed.
pub fn ensure_dir(dir: &Path) -> Result<(), MetaError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(io_err("create folder", dir))
}

pub fn load(path: &Path) -> Result<MetaFile, MetaError> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(MetaFile {
                version: VERSION,
                accounts: Vec::new(),
            });
        }
        Err(e) => return Err(io_err("read", path)(e)),
    };
    #[derive(Deserialize)]
    struct Probe {
        version: u32,
    }
    let probe: Probe = serde_json::from_slice(&bytes).map_err(|e| MetaError::Damaged {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    if probe.version > VERSION {
        return Err(MetaError::TooNew {
            path: path.to_path_buf(),
            version: probe.version,
        });
    }
    serde_json::from_slice(&bytes).map_err(|e| MetaError::Damaged {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}

/// Replaces the file atomically: a reader sees the old or the new content, never
/// a mix, and a crash leaves one of the two.
pub fn save(path: &Path, meta: &MetaFile) -> Result<(), MetaError> {
    let mut json = serde_json::to_vec_pretty(meta).expect("metadata always serialises");
    json.push(b'\n');
    crate::atomic_file::replace_observed(
        path,
        TEMP_PREFIX,
        TEMP_SUFFIX,
        &json,
        || super::crashpoint::reached("meta.before-rename"),
        || super::crashpoint::reached("meta.after-rename"),
    )
    .map_err(io_err("replace", path))
}

/// Removes temporary files a writer killed mid-save left behind (they hold only
/// metadata, but they would pile up). The caller holds the lock, so no save is
/// in progress.
pub fn remove_stale_temps(dir: &Path, _lock: &Lock) -> Result<usize, MetaError> {
    let mut removed = 0;
    for entry in fs::read_dir(dir).map_err(io_err("read folder", dir))? {
        let entry = entry.map_err(io_err("read folder", dir))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
            fs::remove_file(entry.path()).map_err(io_err("remove", &entry.path()))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Holds the exclusive advisory lock on the vault until dropped.
pub struct Lock {
    _file: File,
}

pub fn lock(dir: &Path) -> Result<Lock, MetaError> {
    let path = dir.join(LOCK_NAME);
    let mut options = fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&path).map_err(io_err("open", &path))?;
    file.lock().map_err(io_err("lock", &path))?;
    Ok(Lock { _file: file })
}
