//! Which store keeps a data folder's secrets (issue 20): the OS keyring, as
//! always, or the encrypted vault file ([`super::file_store`]) for desktops
//! where no keyring answers. The choice is `store.json` in the data folder;
//! without it, the keyring.
//!
//! [`migrate`] moves every item of one store to the other in one crash-safe
//! step, holding the accounts' lock so no other Ninsho writes meanwhile:
//!
//! 1. copy every item (accounts with their recovery codes, the backup and
//!    follow passwords, the follow key) into the new store;
//! 2. read each one back and compare;
//! 3. switch the choice (one atomic rename of `store.json`);
//! 4. only then delete the old copies.
//!
//! Killed before step 3, the old store is still chosen and whole (the next
//! try writes the new copies again); killed after it, the new store is chosen
//! and whole, and the old copies left behind are removed by the next
//! `store use` of the same store ([`remove_leftovers`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::crashpoint;
use super::meta;
use super::store::{SecretStore, StoreError};
use crate::t;

/// The choice's file in the data folder.
pub const CHOICE_FILE: &str = "store.json";
const CHOICE_VERSION: u32 = 1;
const TEMP_PREFIX: &str = ".store.";
const TEMP_SUFFIX: &str = ".tmp";

/// Where a data folder's secrets live.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The OS keyring (Secret Service, Keychain, Credential Manager).
    Keyring,
    /// The encrypted vault file in the data folder.
    File,
}

impl StoreKind {
    /// The word the CLI takes and prints (`keyring`, `file`).
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::Keyring => "keyring",
            StoreKind::File => "file",
        }
    }
}

#[derive(Serialize, Deserialize)]
struct ChoiceFile {
    version: u32,
    store: StoreKind,
}

#[derive(Debug, thiserror::Error)]
pub enum ChoiceError {
    #[error("{}", t!("err-store-choice-read", path = .path.display().to_string(), why = crate::i18n::io_error(.source)))]
    Read { path: PathBuf, source: io::Error },
    #[error("{}", t!("err-store-choice-write", path = .path.display().to_string(), why = crate::i18n::io_error(.source)))]
    Write { path: PathBuf, source: io::Error },
    #[error("{}", t!("err-store-choice-damaged", path = .0.display().to_string()))]
    Damaged(PathBuf),
}

/// The encrypted store file of a data folder.
pub fn file_path(dir: &Path) -> PathBuf {
    dir.join(super::file_store::FILE_NAME)
}

/// The store chosen for `dir`: the keyring unless `store.json` says otherwise.
pub fn chosen(dir: &Path) -> Result<StoreKind, ChoiceError> {
    let path = dir.join(CHOICE_FILE);
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(StoreKind::Keyring),
        Err(source) => return Err(ChoiceError::Read { path, source }),
    };
    match serde_json::from_slice::<ChoiceFile>(&bytes) {
        Ok(c) if c.version <= CHOICE_VERSION => Ok(c.store),
        _ => Err(ChoiceError::Damaged(path)),
    }
}

/// Records the choice atomically (the switch of a migration).
pub fn choose(dir: &Path, kind: StoreKind) -> Result<(), ChoiceError> {
    let path = dir.join(CHOICE_FILE);
    let bytes = serde_json::to_vec_pretty(&ChoiceFile {
        version: CHOICE_VERSION,
        store: kind,
    })
    .map_err(|e| ChoiceError::Write {
        path: path.clone(),
        source: io::Error::other(e),
    })?;
    crate::atomic_file::replace_observed(
        &path,
        TEMP_PREFIX,
        TEMP_SUFFIX,
        &bytes,
        || crashpoint::reached("store.before-switch"),
        || crashpoint::reached("store.after-switch"),
    )
    .map_err(|source| ChoiceError::Write { path, source })
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Meta(#[from] meta::MetaError),
    #[error(transparent)]
    Choice(#[from] ChoiceError),
    /// An item read back from the new store differs: nothing was switched.
    #[error("{}", t!("err-store-verify", id = .0.as_str()))]
    Verify(String),
}

/// What a migration did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Moved {
    /// Items copied and verified.
    pub items: usize,
    /// Of them, accounts.
    pub accounts: usize,
    /// Old copies that could not be deleted (the switch was made; the next
    /// `store use` removes them).
    pub left: Vec<String>,
}

/// The label a keyring browser shows for item `id` of `dir`.
fn label(dir: &Path, entries: &[meta::Entry], id: &str) -> String {
    if let Some(e) = entries.iter().find(|e| e.id.to_string() == id) {
        return e.keyring_label();
    }
    if id == super::BACKUP_PASSWORD_ITEM {
        return t!("backup-keyring-label");
    }
    if id == crate::follow::KEY_ITEM {
        return t!("follow-key-label");
    }
    if let Ok(settings) = crate::follow::load(dir)
        && let Some(s) = settings
            .sources
            .iter()
            .find(|s| crate::follow::password_item(s.id) == id)
    {
        return t!("follow-keyring-label", path = s.path.as_str());
    }
    format!("Ninsho: {id}")
}

/// Moves every item of `from` into `to` and switches `dir` to `to_kind`, as
/// the module explains; `progress(done, total)` after each item copied.
pub fn migrate(
    dir: &Path,
    from: &dyn SecretStore,
    to: &dyn SecretStore,
    to_kind: StoreKind,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Moved, MigrateError> {
    meta::ensure_dir(dir)?;
    let _lock = meta::lock(dir)?;
    let entries = match meta::load(&dir.join(meta::FILE_NAME)) {
        Ok(m) => m.accounts,
        Err(e) => return Err(e.into()),
    };
    let ids = from.ids()?;
    let total = ids.len();
    let mut values = Vec::with_capacity(total);
    for id in &ids {
        // Gone meanwhile (deleted outside Ninsho): nothing to move.
        if let Some(value) = from.get(id)? {
            values.push((id.as_str(), label(dir, &entries, id), value));
        }
    }
    {
        let batch: Vec<(&str, &str, &[u8])> = values
            .iter()
            .map(|(id, label, value)| (*id, label.as_str(), value.as_slice()))
            .collect();
        crashpoint::reached("store.before-copy");
        to.set_many(&batch, &mut |done| progress(done, total))?;
        crashpoint::reached("store.after-copy");
    }
    for (id, _, value) in &values {
        match to.get(id)? {
            Some(read) if read.as_slice() == value.as_slice() => {}
            _ => return Err(MigrateError::Verify(id.to_string())),
        }
    }
    choose(dir, to_kind)?;
    let accounts = values
        .iter()
        .filter(|(id, _, _)| entries.iter().any(|e| e.id.to_string() == *id))
        .count();
    let mut left = Vec::new();
    for (id, _, _) in &values {
        crashpoint::reached("store.before-delete-old");
        if from.delete(id).is_err() {
            left.push(id.to_string());
        }
    }
    Ok(Moved {
        items: values.len(),
        accounts,
        left,
    })
}

/// After a migration cut short past its switch: deletes from `old` the items
/// the chosen store `current` holds with the same value. Returns how many.
pub fn remove_leftovers(
    dir: &Path,
    old: &dyn SecretStore,
    current: &dyn SecretStore,
) -> Result<usize, MigrateError> {
    let _lock = meta::lock(dir)?;
    let mut removed = 0;
    for id in old.ids()? {
        let (Some(a), Some(b)) = (old.get(&id)?, current.get(&id)?) else {
            continue;
        };
        if a.as_slice() == b.as_slice() && old.delete(&id)? {
            removed += 1;
        }
    }
    Ok(removed)
}
