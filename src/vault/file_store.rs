//! A [`SecretStore`] in an encrypted file, for desktops with no Secret
//! Service (minimal window managers, WSL, servers over SSH) and for portable
//! use on a USB stick (issue 20).
//!
//! The file is an Aegis vault (`formats::aegis`): a random master key in a
//! password slot (scrypt, N = 2^15, r = 8, p = 1) and the database encrypted
//! with AES-256-GCM under it, so Aegis's own decryption opens it. Its
//! database is an empty Aegis database (`entries: []`) plus Ninsho's items,
//! one per keyring item: `{"ninsho": {"version": 1, "items": [{id, label,
//! value (base64)}]}}`.
//!
//! - The password is asked once: the key it unlocks is kept (zeroized on
//!   drop) and each write seals the items again under a fresh nonce.
//! - Every change is written whole and atomically (temporary name, fsync,
//!   rename, folder fsync), so a crash leaves the old file or the new one.
//! - Processes share the file: every call takes a lock file beside it and
//!   reads the file again first if another process changed it since (its
//!   size and time), so one process never writes back another's stale list.
//! - Items live in memory only in zeroizing buffers.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::Engine;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::store::{SecretStore, StoreError};
use crate::formats::FormatError;
use crate::formats::aegis::OpenVault;

/// The file's name in the data folder.
pub const FILE_NAME: &str = "secrets.aegis.json";
const LOCK_SUFFIX: &str = ".lock";
const TEMP_PREFIX: &str = ".secrets.";
const TEMP_SUFFIX: &str = ".tmp";
const ITEMS_VERSION: u64 = 1;

struct Item {
    label: String,
    value: Zeroizing<Vec<u8>>,
}

/// The file as last read or written by this process.
#[derive(Clone, PartialEq, Eq)]
struct Seen {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

struct Inner {
    vault: OpenVault,
    items: BTreeMap<String, Item>,
    seen: Option<Seen>,
    /// The file's bytes as last read or written (ciphertext only): a write
    /// compares the file with them, since two writes within one tick of the
    /// file system's clock can leave the same size and time.
    last: Vec<u8>,
}

pub struct FileStore {
    path: PathBuf,
    inner: Mutex<Inner>,
}

#[derive(Clone, Copy)]
enum Doing {
    Read,
    Write,
    Lock,
}

fn io_error(doing: Doing, path: &Path, e: &io::Error) -> StoreError {
    let (path, why) = (path.display().to_string(), crate::i18n::io_error(e));
    StoreError::File {
        detail: match doing {
            Doing::Read => crate::t!("err-file-store-read", path = path, why = why),
            Doing::Write => crate::t!("err-file-store-write", path = path, why = why),
            Doing::Lock => crate::t!("err-file-store-lock", path = path, why = why),
        },
    }
}

fn format_error(path: &Path, e: FormatError) -> StoreError {
    match e {
        FormatError::WrongPassword(_) => StoreError::File {
            detail: crate::t!("err-file-store-password", path = path.display().to_string()),
        },
        other => StoreError::File {
            detail: format!("{}: {other}", path.display()),
        },
    }
}

impl FileStore {
    /// Makes a new, empty store file at `path` protected by `password`;
    /// refuses to replace one that exists.
    pub fn create(path: &Path, password: &str) -> Result<FileStore, StoreError> {
        if password.is_empty() {
            return Err(StoreError::File {
                detail: crate::t!("err-export-empty-password"),
            });
        }
        let vault = OpenVault::create(password).map_err(|e| format_error(path, e))?;
        let store = FileStore {
            path: path.to_path_buf(),
            inner: Mutex::new(Inner {
                vault,
                items: BTreeMap::new(),
                seen: None,
                last: Vec::new(),
            }),
        };
        {
            let _lock = store.lock()?;
            if path.exists() {
                return Err(StoreError::File {
                    detail: crate::t!("err-file-store-exists", path = path.display().to_string()),
                });
            }
            let mut inner = store.inner.lock().unwrap_or_else(|p| p.into_inner());
            store.write(&mut inner)?;
        }
        Ok(store)
    }

    /// Opens the store file at `path` with `password` (one key derivation).
    pub fn open(path: &Path, password: &str) -> Result<FileStore, StoreError> {
        // The size and time before the read: a write by another process
        // after it (during the key derivation) then makes the next read look
        // again. Taken after, it hid that write from every later read.
        let seen = seen(path);
        let bytes = Zeroizing::new(fs::read(path).map_err(|e| io_error(Doing::Read, path, &e))?);
        let (vault, db) = OpenVault::open(&bytes, password).map_err(|e| format_error(path, e))?;
        let items = items_of(path, &db.0)?;
        Ok(FileStore {
            path: path.to_path_buf(),
            inner: Mutex::new(Inner {
                vault,
                items,
                seen,
                last: bytes.to_vec(),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> Result<File, StoreError> {
        let mut name = self.path.as_os_str().to_owned();
        name.push(LOCK_SUFFIX);
        let lock_path = PathBuf::from(name);
        crate::atomic_file::lock(&lock_path).map_err(|e| io_error(Doing::Lock, &lock_path, &e))
    }

    /// Runs `f` on the items as they are in the file now, under the lock.
    /// A read trusts the file's size and time; a write (`writing`) compares
    /// the file's bytes, so it never writes back a list another process
    /// changed within the same tick.
    fn with<T>(
        &self,
        writing: bool,
        f: impl FnOnce(&mut Inner) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let _lock = self.lock()?;
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let now = seen(&self.path);
        if now.is_none() {
            return Err(StoreError::File {
                detail: crate::t!(
                    "err-file-store-gone",
                    path = self.path.display().to_string()
                ),
            });
        }
        if writing || now != inner.seen {
            let bytes = fs::read(&self.path).map_err(|e| io_error(Doing::Read, &self.path, &e))?;
            if bytes != inner.last {
                let db = inner
                    .vault
                    .reread(&bytes)
                    .map_err(|e| format_error(&self.path, e))?;
                inner.items = items_of(&self.path, &db.0)?;
                inner.last = bytes;
            }
            inner.seen = now;
        }
        f(&mut inner)
    }

    fn write(&self, inner: &mut Inner) -> Result<(), StoreError> {
        let items: Vec<Value> = inner
            .items
            .iter()
            .map(|(id, item)| {
                json!({
                    "id": id,
                    "label": item.label,
                    "value": base64::engine::general_purpose::STANDARD.encode(&*item.value),
                })
            })
            .collect();
        let mut db = json!({
            "version": 3,
            "entries": [],
            "groups": [],
            "ninsho": {"version": ITEMS_VERSION, "items": items},
        });
        let sealed = inner.vault.seal(&db);
        crate::formats::json::scrub(&mut db);
        let bytes = sealed.map_err(|e| format_error(&self.path, e))?;
        crate::atomic_file::replace(&self.path, TEMP_PREFIX, TEMP_SUFFIX, &bytes)
            .map_err(|e| io_error(Doing::Write, &self.path, &e))?;
        inner.seen = seen(&self.path);
        inner.last = bytes.to_vec();
        Ok(())
    }
}

fn seen(path: &Path) -> Option<Seen> {
    let meta = fs::metadata(path).ok()?;
    Some(Seen {
        len: meta.len(),
        modified: meta.modified().ok(),
    })
}

fn items_of(path: &Path, db: &Value) -> Result<BTreeMap<String, Item>, StoreError> {
    let damaged = |_: &str| StoreError::File {
        detail: crate::t!("err-file-store-damaged", path = path.display().to_string()),
    };
    let ninsho = db.get("ninsho").ok_or_else(|| damaged("no items"))?;
    if ninsho.get("version").and_then(Value::as_u64) > Some(ITEMS_VERSION) {
        return Err(damaged("a newer version"));
    }
    let mut items = BTreeMap::new();
    for item in ninsho
        .get("items")
        .and_then(Value::as_array)
        .ok_or_else(|| damaged("no items"))?
    {
        let id = item
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| damaged("an item without id"))?;
        let label = item
            .get("label")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let value = item
            .get("value")
            .and_then(Value::as_str)
            .and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok())
            .ok_or_else(|| damaged("an item without value"))?;
        items.insert(
            id.to_string(),
            Item {
                label: label.to_string(),
                value: Zeroizing::new(value),
            },
        );
    }
    Ok(items)
}

impl SecretStore for FileStore {
    fn set(&self, id: &str, label: &str, value: &[u8]) -> Result<(), StoreError> {
        self.with(true, |inner| {
            let old = inner.items.insert(
                id.to_string(),
                Item {
                    label: label.to_string(),
                    value: Zeroizing::new(value.to_vec()),
                },
            );
            let written = self.write(inner);
            if written.is_err() {
                // Nothing half-done in memory either.
                match old {
                    Some(item) => inner.items.insert(id.to_string(), item),
                    None => inner.items.remove(id),
                };
            }
            written
        })
    }

    fn set_many(
        &self,
        items: &[(&str, &str, &[u8])],
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), StoreError> {
        self.with(true, |inner| {
            let mut old = Vec::with_capacity(items.len());
            for (id, label, value) in items {
                let before = inner.items.insert(
                    id.to_string(),
                    Item {
                        label: label.to_string(),
                        value: Zeroizing::new(value.to_vec()),
                    },
                );
                old.push((id, before));
            }
            let written = self.write(inner);
            if written.is_err() {
                // Back as it was, newest first (an id given twice).
                for (id, before) in old.into_iter().rev() {
                    match before {
                        Some(item) => inner.items.insert(id.to_string(), item),
                        None => inner.items.remove(*id),
                    };
                }
            } else {
                progress(items.len());
            }
            written
        })
    }

    fn get(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        self.with(false, |inner| {
            Ok(inner.items.get(id).map(|i| i.value.clone()))
        })
    }

    fn delete(&self, id: &str) -> Result<bool, StoreError> {
        self.with(true, |inner| {
            let Some(old) = inner.items.remove(id) else {
                return Ok(false);
            };
            let written = self.write(inner);
            if written.is_err() {
                inner.items.insert(id.to_string(), old);
            }
            written.map(|()| true)
        })
    }

    fn ids(&self) -> Result<Vec<String>, StoreError> {
        self.with(false, |inner| Ok(inner.items.keys().cloned().collect()))
    }
}
