//! `ninsho store status | use keyring | use file` (issue 20), and the store
//! every other command opens: the keyring, or the encrypted file of the data
//! folder when `store.json` chose it.
//!
//! The file store is opened only when a command first needs a secret (so
//! `list` never asks for a password), with the password from
//! `--store-password-file F` or, on a terminal, a prompt; never from an
//! argument or an environment variable.

use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Result, bail};
use clap::{Subcommand, ValueEnum};
use zeroize::Zeroizing;

use super::{KeyringStore, SecretStore, StoreError, Unreachable, resolve_data_dir, service_name};
use crate::t;
use crate::vault::choice::{self, StoreKind};
use crate::vault::file_store::FileStore;
use crate::vault::meta;

#[derive(Subcommand, Debug)]
pub enum StoreCommand {
    /// Show where the secrets are kept: the keyring or the encrypted file.
    Status {
        /// Print the status as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Move every secret to the keyring or to an encrypted file, verified
    /// before the old copies are removed.
    Use {
        /// Where to keep the secrets from now on.
        #[arg(value_enum)]
        store: KindArg,
        /// For `file`: file holding the new file's password (first line);
        /// without it, a terminal asks.
        #[arg(long, value_name = "F")]
        password_file: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KindArg {
    Keyring,
    File,
}

impl From<KindArg> for StoreKind {
    fn from(k: KindArg) -> StoreKind {
        match k {
            KindArg::Keyring => StoreKind::Keyring,
            KindArg::File => StoreKind::File,
        }
    }
}

thread_local! {
    /// `--store-password-file` of the command running on this thread.
    static PASSWORD_FILE: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

/// Sets the global `--store-password-file` for the command about to run.
pub(super) fn set_password_file(path: Option<PathBuf>) {
    PASSWORD_FILE.with(|p| *p.borrow_mut() = path);
}

/// A prompt ends in a space after a colon ("Password: "), not after a
/// full-width one.
fn prompt(text: String) -> String {
    if text.ends_with(':') {
        text + " "
    } else {
        text
    }
}

/// The file store's password: `--store-password-file`, else a prompt on a
/// terminal, else an error that says how to give it.
fn store_password(path: &Path) -> Result<Zeroizing<String>, StoreError> {
    let shown = path.display().to_string();
    if let Some(file) = PASSWORD_FILE.with(|p| p.borrow().clone()) {
        return super::read_password_file(&file).map_err(|e| StoreError::File {
            detail: format!("{e:#}"),
        });
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt(t!(
            "cli-store-password-prompt",
            path = shown.as_str()
        )))
        .map(Zeroizing::new)
        .map_err(|e| StoreError::File {
            detail: t!(
                "err-store-prompt",
                path = shown.as_str(),
                why = crate::i18n::io_error(&e)
            ),
        });
    }
    Err(StoreError::File {
        detail: t!("err-store-password-needed", path = shown),
    })
}

/// The encrypted file, opened (one key derivation) when first used.
struct LazyFile {
    path: PathBuf,
    opened: OnceLock<Result<FileStore, StoreError>>,
}

impl LazyFile {
    fn store(&self) -> Result<&FileStore, StoreError> {
        self.opened
            .get_or_init(|| {
                let password = store_password(&self.path)?;
                FileStore::open(&self.path, &password)
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl SecretStore for LazyFile {
    fn set(&self, id: &str, label: &str, value: &[u8]) -> Result<(), StoreError> {
        self.store()?.set(id, label, value)
    }
    fn get(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        self.store()?.get(id)
    }
    fn delete(&self, id: &str) -> Result<bool, StoreError> {
        self.store()?.delete(id)
    }
    fn ids(&self) -> Result<Vec<String>, StoreError> {
        self.store()?.ids()
    }
    fn set_many(
        &self,
        items: &[(&str, &str, &[u8])],
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), StoreError> {
        self.store()?.set_many(items, progress)
    }
}

fn keyring() -> Box<dyn SecretStore> {
    match KeyringStore::connect(&service_name()) {
        Ok(s) => Box::new(s),
        Err(e) => Box::new(Unreachable(e)),
    }
}

/// The store chosen for `dir`; a failure to open it is reported by its first
/// call (as an unreachable keyring is).
pub(super) fn connect(dir: &Path) -> Box<dyn SecretStore> {
    match choice::chosen(dir) {
        Ok(StoreKind::Keyring) => keyring(),
        Ok(StoreKind::File) => Box::new(LazyFile {
            path: choice::file_path(dir),
            opened: OnceLock::new(),
        }),
        Err(e) => Box::new(Unreachable(StoreError::File {
            detail: e.to_string(),
        })),
    }
}

pub fn store(
    data_dir: Option<&Path>,
    command: StoreCommand,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let dir = resolve_data_dir(data_dir)?;
    match command {
        StoreCommand::Status { json } => status(&dir, json, stdout),
        StoreCommand::Use {
            store,
            password_file,
        } => use_store(&dir, store.into(), password_file.as_deref(), stdout, stderr),
    }
}

fn status(dir: &Path, json: bool, stdout: &mut dyn Write) -> Result<()> {
    let kind = choice::chosen(dir)?;
    let accounts = meta::load(&dir.join(meta::FILE_NAME))?
        .accounts
        .iter()
        .filter(|e| e.state == meta::State::Saved)
        .count();
    let file = choice::file_path(dir);
    let file_exists = file.is_file();
    if json {
        let value = serde_json::json!({
            "store": kind.name(),
            "file": file.display().to_string(),
            "file_exists": file_exists,
            "accounts": accounts,
        });
        writeln!(stdout, "{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(());
    }
    let path = crate::otp::printable(&file.display().to_string()).into_owned();
    let line = match kind {
        StoreKind::Keyring => t!("cli-store-status-keyring", count = accounts),
        StoreKind::File => t!(
            "cli-store-status-file",
            count = accounts,
            path = path.as_str()
        ),
    };
    writeln!(stdout, "{line}")?;
    match (kind, file_exists) {
        (StoreKind::Keyring, true) => {
            writeln!(stdout, "{}", t!("cli-store-status-file-left", path = path))?
        }
        (StoreKind::File, false) => writeln!(
            stdout,
            "{}",
            t!("cli-store-status-file-missing", path = path)
        )?,
        _ => {}
    }
    Ok(())
}

/// The password for a new file store: `--password-file`, else asked twice on
/// a terminal.
fn new_password(password_file: Option<&Path>, path: &Path) -> Result<Zeroizing<String>> {
    let password = match password_file {
        Some(f) => super::read_password_file(f)?,
        None if std::io::stdin().is_terminal() => {
            let shown = path.display().to_string();
            let first = Zeroizing::new(rpassword::prompt_password(prompt(t!(
                "cli-store-new-password-prompt",
                path = shown.as_str()
            )))?);
            let again = Zeroizing::new(rpassword::prompt_password(prompt(t!(
                "cli-store-repeat-password-prompt"
            )))?);
            if *first != *again {
                bail!(t!("err-store-passwords-differ"));
            }
            first
        }
        None => bail!(t!("err-store-new-password-needed")),
    };
    if password.is_empty() {
        bail!(t!("err-export-empty-password"));
    }
    Ok(password)
}

fn use_store(
    dir: &Path,
    to: StoreKind,
    password_file: Option<&Path>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let now = choice::chosen(dir)?;
    let file = choice::file_path(dir);
    let shown = crate::otp::printable(&file.display().to_string()).into_owned();
    if now == to {
        // Already there; a migration cut short after its switch may have
        // left old copies behind, which go now.
        let removed = match to {
            StoreKind::File => {
                if password_file.is_some() {
                    set_password_file(password_file.map(Path::to_path_buf));
                }
                let current = connect(dir);
                let old = KeyringStore::connect(&service_name());
                match old {
                    Ok(old) => choice::remove_leftovers(dir, &old, &*current)?,
                    Err(_) => 0,
                }
            }
            StoreKind::Keyring if file.is_file() => {
                let current = keyring();
                let password = store_password_for_use(password_file, &file)?;
                let old = FileStore::open(&file, &password)?;
                let removed = choice::remove_leftovers(dir, &old, &*current)?;
                remove_if_empty(&old, &file);
                removed
            }
            StoreKind::Keyring => 0,
        };
        writeln!(stdout, "{}", t!("cli-store-already", store = to.name()))?;
        if removed > 0 {
            writeln!(
                stdout,
                "{}",
                t!("cli-store-leftovers-removed", count = removed)
            )?;
        }
        return Ok(());
    }
    let accounts_here = meta::load(&dir.join(meta::FILE_NAME))?
        .accounts
        .iter()
        .any(|e| e.state == meta::State::Saved);
    let mut progress = |done: usize, total: usize| {
        let _ = write!(
            stderr,
            "\r{}",
            t!("cli-store-progress", done = done, total = total)
        );
        if done == total {
            let _ = writeln!(stderr);
        }
    };
    let moved = match to {
        StoreKind::File => {
            let from = match KeyringStore::connect(&service_name()) {
                Ok(k) => Box::new(k) as Box<dyn SecretStore>,
                // No keyring and nothing in it to move: the file starts empty.
                Err(_) if !accounts_here => Box::new(crate::vault::MemoryStore::new()),
                Err(e) => bail!(t!("err-store-from-unreachable", error = e.to_string())),
            };
            let password = new_password(password_file, &file)?;
            let into = if file.is_file() {
                // An earlier try cut short before its switch: its file is
                // written again, with its own password.
                FileStore::open(&file, &password).map_err(|e| {
                    anyhow::anyhow!(t!(
                        "err-store-file-exists",
                        path = shown.as_str(),
                        error = e.to_string()
                    ))
                })?
            } else {
                meta::ensure_dir(dir)?;
                FileStore::create(&file, &password)?
            };
            choice::migrate(dir, &*from, &into, StoreKind::File, &mut progress)?
        }
        StoreKind::Keyring => {
            let into = KeyringStore::connect(&service_name())?;
            let password = store_password_for_use(password_file, &file)?;
            let from = FileStore::open(&file, &password)?;
            let moved = choice::migrate(dir, &from, &into, StoreKind::Keyring, &mut progress)?;
            remove_if_empty(&from, &file);
            moved
        }
    };
    let line = match to {
        StoreKind::File => t!("cli-store-moved-file", count = moved.accounts, path = shown),
        StoreKind::Keyring => t!("cli-store-moved-keyring", count = moved.accounts),
    };
    writeln!(stdout, "{line}")?;
    if !moved.left.is_empty() {
        let note = t!(
            "cli-store-left",
            count = moved.left.len(),
            store = now.name()
        );
        writeln!(stderr, "ninsho: {}", t!("cli-warning", text = note))?;
    }
    Ok(())
}

/// The file store's password for `store use`: its `--password-file`, else the
/// global `--store-password-file` or a prompt.
fn store_password_for_use(password_file: Option<&Path>, file: &Path) -> Result<Zeroizing<String>> {
    match password_file {
        Some(f) => super::read_password_file(f),
        None => Ok(store_password(file)?),
    }
}

/// A file store emptied by a move to the keyring is removed (it holds nothing).
fn remove_if_empty(store: &FileStore, file: &Path) {
    if store.ids().is_ok_and(|ids| ids.is_empty()) {
        let _ = std::fs::remove_file(file);
    }
}
