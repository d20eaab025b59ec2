//! Accounts: secrets in a [`SecretStore`] (the OS keyring), everything else in the
//! metadata file.
//!
//! Write order, so that a crash at any instant loses nothing reported as saved:
//! - add: metadata entries marked `adding` → keyring items → entries marked saved.
//!   Only the last step makes the CLI say "saved".
//! - remove: entry marked `deleting` → keyring item deleted → entry dropped.
//!
//! [`Vault::repair`] finishes or undoes whatever a crash left: an `adding` entry
//! whose item exists is completed, one without is dropped (it was never reported
//! saved); a `deleting` entry is deleted. Each keyring item also carries a copy of
//! its entry, so an item with no entry at all (a lost or older metadata file) is
//! restored rather than forgotten. An entry whose item has vanished outside
//! Ninsho is kept and reported, never silently dropped. Ninsho's own items
//! that are not accounts ([`BACKUP_PASSWORD_ITEM`]) are left alone. Temporary metadata files
//! a killed writer left behind are removed.

pub mod choice;
pub mod crashpoint;
pub mod file_store;
pub mod keyring;
pub mod meta;
pub mod recovery;
pub mod store;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroize;

use crate::otp::{OtpAccount, Secret, check_name, display_name, shorten};
pub use meta::{Entry, State};
pub use recovery::{RecoveryAdd, RecoveryRemove, RecoveryUse};
pub use store::{MemoryStore, SecretStore, StoreError};

/// The keyring item that holds the automatic backups' password (see
/// `autobackup`). It shares the service with the accounts, whose items are
/// named by UUIDs, so it can never be taken for one.
pub const BACKUP_PASSWORD_ITEM: &str = "ninsho-backup-password";

/// Items of the service that are Ninsho's own but not accounts: repair neither
/// restores them as accounts nor reports them as foreign.
pub fn is_reserved_item(id: &str) -> bool {
    id == BACKUP_PASSWORD_ITEM || id == crate::lock::PASSWORD_ITEM || crate::follow::is_own_item(id)
}

/// Most matches an ambiguous query lists: past that, a count says how many more.
pub const SHOWN_MATCHES: usize = 20;

fn ambiguous_message(query: &str, matches: &[String]) -> String {
    let mut text = crate::t!("err-ambiguous", query = query, count = matches.len());
    for m in matches.iter().take(SHOWN_MATCHES) {
        text.push_str("\n  ");
        text.push_str(m);
    }
    if matches.len() > SHOWN_MATCHES {
        text.push_str("\n  ");
        text.push_str(&crate::t!(
            "err-ambiguous-more",
            count = matches.len() - SHOWN_MATCHES
        ));
    }
    text
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Meta(#[from] meta::MetaError),
    #[error("{}", crate::t!("err-no-match", query = .0))]
    NoMatch(String),
    /// Lists the matches one per line (at most [`SHOWN_MATCHES`]), indented.
    #[error("{}", ambiguous_message(query, matches))]
    Ambiguous { query: String, matches: Vec<String> },
    #[error("{}", crate::t!("err-missing-secret", name = .0))]
    MissingSecret(String),
    #[error("{}", crate::t!("err-bad-item", name = .0))]
    BadItem(String),
    #[error("{}", crate::t!("err-unknown-recovery-code", name = .account, code = .code))]
    UnknownRecoveryCode { account: String, code: String },
    #[error("{0}")]
    BadRecoveryCode(String),
    /// An account that must not be saved as it is (checked before any write).
    #[error("{}", crate::t!("err-rejected", name = .name, reason = .reason.to_string()))]
    Rejected {
        name: String,
        reason: crate::otp::OtpError,
    },
    #[error("{}", crate::t!("err-partial", saved = *.saved, total = *.total, reason = .source.to_string()))]
    Partial {
        saved: usize,
        total: usize,
        source: Box<VaultError>,
    },
}

/// What one keyring item holds. The entry copy lets repair restore an account
/// whose metadata was lost; recovery codes sit with the secret they belong to.
#[derive(Serialize, Deserialize)]
struct Item {
    v: u32,
    secret: String,
    #[serde(default)]
    recovery_codes: Vec<RecoveryCode>,
    entry: Entry,
}

impl Drop for Item {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

/// A one-time backup code a service issued for an account. As secret as the
/// account's secret: zeroized on drop, redacted in `Debug`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCode {
    pub code: String,
    #[serde(default)]
    pub used: bool,
}

impl Drop for RecoveryCode {
    fn drop(&mut self) {
        self.code.zeroize();
    }
}

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryCode")
            .field("code", &"[redacted]")
            .field("used", &self.used)
            .finish()
    }
}

impl Item {
    fn encode(&self) -> zeroize::Zeroizing<Vec<u8>> {
        let mut out = crate::otp::wipe::WipingBuffer::default();
        serde_json::to_writer(&mut out, self).expect("items always serialise");
        out.0
    }

    fn decode(bytes: &[u8]) -> Option<Item> {
        serde_json::from_slice(bytes)
            .ok()
            .filter(|i: &Item| i.v == 1)
    }
}

/// The outcome of adding accounts.
#[derive(Debug, Default)]
pub struct AddReport {
    pub added: Vec<Entry>,
    pub duplicates: Vec<OtpAccount>,
}

pub type Clock = fn() -> u64;

pub fn system_clock() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The platform data folder for Ninsho (`~/.local/share/ninsho` on Linux), or
/// `NINSHO_DATA_DIR` when set.
pub fn default_data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("NINSHO_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    dirs::data_dir().map(|d| d.join("ninsho"))
}

pub struct Vault<S: SecretStore> {
    dir: PathBuf,
    store: S,
    entries: Vec<Entry>,
    clock: Clock,
}

impl<S: SecretStore> Vault<S> {
    /// Opens (creating if needed) the vault in `dir`. Reads metadata only; the
    /// keyring is first touched by [`Vault::repair`] or when a secret is needed.
    pub fn open(dir: &Path, store: S) -> Result<Self, VaultError> {
        meta::ensure_dir(dir)?;
        let mut vault = Vault {
            dir: dir.to_path_buf(),
            store,
            entries: Vec::new(),
            clock: system_clock,
        };
        vault.entries = meta::load(&vault.meta_path())?.accounts;
        Ok(vault)
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    fn meta_path(&self) -> PathBuf {
        self.dir.join(meta::FILE_NAME)
    }

    /// Reads the metadata file again, for changes another Ninsho process made
    /// (writes replace the file atomically, so a read never sees half of one).
    pub fn reload(&mut self) -> Result<(), VaultError> {
        self.entries = meta::load(&self.meta_path())?.accounts;
        Ok(())
    }

    /// Runs `f` on the current on-disk entries under the vault lock and saves the
    /// result, so concurrent Ninsho processes never overwrite each other.
    fn update<T>(
        &mut self,
        f: impl FnOnce(&mut Vec<Entry>) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        update_meta(&self.dir, &mut self.entries, f)
    }

    /// Accounts that are fully saved, in the user's order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.state == State::Saved)
    }

    pub fn entry(&self, id: Uuid) -> Option<&Entry> {
        self.entries().find(|e| e.id == id)
    }

    /// Writes a keyring item, between two named crash points.
    fn set_item(&self, id: &str, label: &str, value: &[u8]) -> Result<(), StoreError> {
        crashpoint::reached("keyring.before-set");
        self.store.set(id, label, value)?;
        crashpoint::reached("keyring.after-set");
        Ok(())
    }

    /// Deletes a keyring item, between two named crash points.
    fn delete_item(&self, id: &str) -> Result<bool, StoreError> {
        crashpoint::reached("keyring.before-delete");
        let deleted = self.store.delete(id)?;
        crashpoint::reached("keyring.after-delete");
        Ok(deleted)
    }

    fn load_item(&self, entry: &Entry) -> Result<Item, VaultError> {
        let bytes = self
            .store
            .get(&entry.id.to_string())?
            .ok_or_else(|| VaultError::MissingSecret(entry.display_name()))?;
        Item::decode(&bytes).ok_or_else(|| VaultError::BadItem(entry.display_name()))
    }

    /// The account with its secret, read from the keyring.
    pub fn account(&self, entry: &Entry) -> Result<OtpAccount, VaultError> {
        Ok(self.account_with_codes(entry)?.0)
    }

    /// The account and its recovery codes, from one keyring read.
    pub fn account_with_codes(
        &self,
        entry: &Entry,
    ) -> Result<(OtpAccount, Vec<RecoveryCode>), VaultError> {
        let item = self.load_item(entry)?;
        let secret = Secret::parse_base32(&item.secret)
            .map_err(|_| VaultError::BadItem(entry.display_name()))?;
        Ok((entry.with_secret(secret), item.recovery_codes.clone()))
    }

    /// Splits `incoming` into accounts to add and duplicates (same secret, kind,
    /// issuer and account as a saved account or an earlier incoming one). Only
    /// saved accounts with the same names are read from the keyring.
    pub fn plan_add(
        &self,
        incoming: Vec<OtpAccount>,
    ) -> Result<(Vec<OtpAccount>, Vec<OtpAccount>), VaultError> {
        let flags = self.duplicate_flags(&incoming)?;
        let (dups, fresh): (Vec<_>, Vec<_>) =
            incoming.into_iter().zip(flags).partition(|(_, d)| *d);
        Ok((
            fresh.into_iter().map(|(a, _)| a).collect(),
            dups.into_iter().map(|(a, _)| a).collect(),
        ))
    }

    /// For each incoming account, whether it duplicates a saved account or an
    /// earlier incoming one.
    fn duplicate_flags(&self, incoming: &[OtpAccount]) -> Result<Vec<bool>, VaultError> {
        // Hash lookups, not a scan of everything per account: an import of
        // 100 000 accounts must not cost 10^10 comparisons. The keys borrow the
        // secrets in place, so no extra copy of one is made.
        type Names<'a> = (&'a str, &'a str, crate::otp::Kind);
        fn names(a: &OtpAccount) -> Names<'_> {
            (&a.issuer, &a.name, a.params.kind)
        }
        let mut saved: HashMap<Names, Vec<&Entry>> = HashMap::new();
        for e in self.entries() {
            saved
                .entry((&e.issuer, &e.name, e.kind))
                .or_default()
                .push(e);
        }
        let mut flags = Vec::with_capacity(incoming.len());
        let mut earlier: HashSet<(Names, &[u8])> = HashSet::with_capacity(incoming.len());
        let mut known: HashMap<Uuid, OtpAccount> = HashMap::new();
        for account in incoming {
            let mut duplicate = !earlier.insert((names(account), account.secret.as_bytes()));
            if !duplicate {
                for &entry in saved.get(&names(account)).into_iter().flatten() {
                    use std::collections::hash_map::Entry as Slot;
                    let existing = match known.entry(entry.id) {
                        Slot::Occupied(o) => o.into_mut(),
                        Slot::Vacant(v) => match self.account(entry) {
                            Ok(a) => v.insert(a),
                            Err(VaultError::MissingSecret(_) | VaultError::BadItem(_)) => continue,
                            Err(e) => return Err(e),
                        },
                    };
                    if existing.same_account(account) {
                        duplicate = true;
                        break;
                    }
                }
            }
            flags.push(duplicate);
        }
        Ok(flags)
    }

    /// Adds accounts, skipping duplicates. `progress(done, total)` is called after
    /// each keyring write. Every account in the report's `added` is durably saved.
    pub fn add(
        &mut self,
        incoming: Vec<OtpAccount>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<AddReport, VaultError> {
        self.add_grouped(
            incoming.into_iter().map(|a| (a, String::new())).collect(),
            progress,
        )
    }

    /// [`Vault::add`] with each account's group (e.g. from an Aegis vault).
    pub fn add_grouped(
        &mut self,
        incoming: Vec<(OtpAccount, String)>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<AddReport, VaultError> {
        for (a, group) in &incoming {
            a.params
                .validate()
                .and_then(|()| a.check_names())
                .and_then(|()| check_name("group", group))
                .map_err(|reason| VaultError::Rejected {
                    name: display_name(&shorten(&a.issuer), &shorten(&a.name)),
                    reason,
                })?;
        }
        let accounts: Vec<OtpAccount> = incoming.iter().map(|(a, _)| a.clone()).collect();
        let flags = self.duplicate_flags(&accounts)?;
        drop(accounts);
        let mut fresh = Vec::new();
        let mut groups = Vec::new();
        let mut duplicates = Vec::new();
        for ((account, group), dup) in incoming.into_iter().zip(flags) {
            if dup {
                duplicates.push(account);
            } else {
                fresh.push(account);
                groups.push(group);
            }
        }
        if fresh.is_empty() {
            return Ok(AddReport {
                added: Vec::new(),
                duplicates,
            });
        }
        let now = (self.clock)();
        let mut pending: Vec<Entry> = fresh.iter().map(|a| Entry::new(a, now)).collect();
        for (e, group) in pending.iter_mut().zip(groups) {
            e.state = State::Adding;
            e.group = group.trim().to_string();
        }
        let ids: HashSet<Uuid> = pending.iter().map(|e| e.id).collect();
        self.update(|entries| {
            entries.extend(pending.iter().cloned());
            Ok(())
        })?;

        let total = fresh.len();
        let items: Vec<(String, String, zeroize::Zeroizing<Vec<u8>>)> = fresh
            .iter()
            .zip(&pending)
            .map(|(account, entry)| {
                let mut saved = entry.clone();
                saved.state = State::Saved;
                let item = Item {
                    v: 1,
                    secret: account.secret.to_base32().to_string(),
                    recovery_codes: Vec::new(),
                    entry: saved,
                };
                (entry.id.to_string(), entry.keyring_label(), item.encode())
            })
            .collect();
        let batch: Vec<(&str, &str, &[u8])> = items
            .iter()
            .map(|(id, label, value)| (id.as_str(), label.as_str(), value.as_slice()))
            .collect();
        // One batch: the keyring takes the items one by one, the file store
        // writes itself once. The named crash points come around each item
        // the store reports written, as with single writes.
        let mut written = 0;
        let failure = if batch.is_empty() {
            None
        } else {
            crashpoint::reached("keyring.before-set");
            self.store
                .set_many(&batch, &mut |done| {
                    written = done;
                    crashpoint::reached("keyring.after-set");
                    progress(done, total);
                    if done < total {
                        crashpoint::reached("keyring.before-set");
                    }
                })
                .err()
        };

        let done: HashSet<Uuid> = pending[..written].iter().map(|e| e.id).collect();
        self.update(|entries| {
            entries.retain(|e| !ids.contains(&e.id) || done.contains(&e.id));
            for e in entries.iter_mut().filter(|e| done.contains(&e.id)) {
                e.state = State::Saved;
            }
            Ok(())
        })?;
        let added: Vec<Entry> = self
            .entries
            .iter()
            .filter(|e| done.contains(&e.id))
            .cloned()
            .collect();
        match failure {
            None => Ok(AddReport { added, duplicates }),
            Some(e) if written == 0 => Err(e.into()),
            Some(e) => Err(VaultError::Partial {
                saved: written,
                total,
                source: Box::new(e.into()),
            }),
        }
    }

    /// Removes an account and its keyring item.
    pub fn remove(&mut self, id: Uuid) -> Result<Entry, VaultError> {
        let removed = self.update(|entries| {
            let e = entries
                .iter_mut()
                .find(|e| e.id == id && e.state == State::Saved)
                .ok_or_else(|| VaultError::NoMatch(id.to_string()))?;
            e.state = State::Deleting;
            Ok(e.clone())
        })?;
        self.delete_item(&id.to_string())?;
        self.update(|entries| {
            entries.retain(|e| e.id != id);
            Ok(())
        })?;
        Ok(removed)
    }

    /// Sets a HOTP account's counter (the "next code" action).
    pub fn set_counter(&mut self, id: Uuid, counter: u64) -> Result<(), VaultError> {
        let now = (self.clock)();
        self.update(|entries| {
            let e = entries
                .iter_mut()
                .find(|e| e.id == id)
                .ok_or_else(|| VaultError::NoMatch(id.to_string()))?;
            e.counter = Some(counter);
            e.updated = now;
            Ok(())
        })?;
        self.refresh_item_copy(id);
        Ok(())
    }

    /// Brings the entry copy inside the account's keyring item up to date, so a
    /// lost metadata file is restored with current names and counter. The
    /// metadata file is the truth and is already written: a keyring failure
    /// here leaves only that backup copy one change behind, so it is not an error.
    fn refresh_item_copy(&mut self, id: Uuid) {
        crashpoint::reached("vault.between-metadata-and-keyring");
        let _ = self.update_item(id, |_| Ok(true));
    }

    /// Renames an account or changes its group.
    pub fn edit(
        &mut self,
        id: Uuid,
        issuer: &str,
        name: &str,
        group: &str,
    ) -> Result<Entry, VaultError> {
        for (what, text) in [("issuer", issuer), ("account name", name), ("group", group)] {
            check_name(what, text.trim()).map_err(|reason| VaultError::Rejected {
                name: display_name(&shorten(issuer), &shorten(name)),
                reason,
            })?;
        }
        let now = (self.clock)();
        let edited = self.update(|entries| {
            let e = entries
                .iter_mut()
                .find(|e| e.id == id && e.state == State::Saved)
                .ok_or_else(|| VaultError::NoMatch(id.to_string()))?;
            e.issuer = issuer.trim().to_string();
            e.name = name.trim().to_string();
            e.group = group.trim().to_string();
            e.updated = now;
            Ok(e.clone())
        })?;
        self.refresh_item_copy(id);
        Ok(edited)
    }

    /// Moves an account to position `to` among the saved accounts.
    pub fn move_to(&mut self, id: Uuid, to: usize) -> Result<(), VaultError> {
        self.update(|entries| {
            let from = entries
                .iter()
                .position(|e| e.id == id)
                .ok_or_else(|| VaultError::NoMatch(id.to_string()))?;
            let entry = entries.remove(from);
            entries.insert(to.min(entries.len()), entry);
            Ok(())
        })
    }

    /// Only what a crash left half-done, without the keyring-wide search that
    /// [`Vault::repair`] does for orphans: for quick commands like `code`.
    pub fn finish_interrupted(&mut self) -> Result<Vec<String>, VaultError> {
        if self.entries.iter().all(|e| e.state == State::Saved) {
            return Ok(Vec::new());
        }
        self.repair()
    }

    /// Finishes or undoes interrupted writes and reconciles metadata with the
    /// keyring. Returns one line per thing it did or found, for the user.
    pub fn repair(&mut self) -> Result<Vec<String>, VaultError> {
        {
            let lock = meta::lock(&self.dir)?;
            meta::remove_stale_temps(&self.dir, &lock)?;
        }
        let needs_write = self.entries.iter().any(|e| e.state != State::Saved);
        let in_keyring: HashSet<String> = self
            .store
            .ids()?
            .into_iter()
            .filter(|id| !is_reserved_item(id))
            .collect();
        let known: HashSet<String> = self.entries.iter().map(|e| e.id.to_string()).collect();
        let orphans: Vec<&String> = in_keyring
            .iter()
            .filter(|id| !known.contains(*id))
            .collect();
        let mut notes = Vec::new();
        for e in self.entries() {
            if !in_keyring.contains(&e.id.to_string()) {
                notes.push(crate::t!(
                    "cli-warning",
                    text = crate::t!("err-repair-no-secret", name = e.display_name())
                ));
            }
        }
        if !needs_write && orphans.is_empty() {
            return Ok(notes);
        }

        let mut restored = Vec::new();
        for id in orphans {
            match self.store.get(id)?.and_then(|b| Item::decode(&b)) {
                Some(item) if item.entry.id.to_string() == *id => {
                    let mut entry = item.entry.clone();
                    entry.state = State::Saved;
                    restored.push(entry);
                }
                _ => notes.push(crate::t!(
                    "cli-warning",
                    text = crate::t!("err-repair-foreign-item", id = id)
                )),
            }
        }
        let store = &self.store;
        let mut changes = Vec::new();
        update_meta(&self.dir, &mut self.entries, |entries| {
            let mut keep = Vec::with_capacity(entries.len());
            for mut e in entries.drain(..) {
                let id = e.id.to_string();
                match e.state {
                    State::Saved => keep.push(e),
                    State::Adding if in_keyring.contains(&id) => {
                        changes.push(crate::t!("err-repaired-added", name = e.display_name()));
                        e.state = State::Saved;
                        keep.push(e);
                    }
                    State::Adding => {
                        changes.push(crate::t!("err-repaired-dropped", name = e.display_name()))
                    }
                    State::Deleting => {
                        crashpoint::reached("keyring.before-delete");
                        store.delete(&id)?;
                        crashpoint::reached("keyring.after-delete");
                        changes.push(crate::t!("err-repaired-removed", name = e.display_name()));
                    }
                }
            }
            for e in &restored {
                if !keep.iter().any(|k| k.id == e.id) {
                    changes.push(crate::t!("err-repaired-restored", name = e.display_name()));
                    keep.push(e.clone());
                }
            }
            *entries = keep;
            Ok(())
        })?;
        changes.extend(notes);
        Ok(changes)
    }

    /// Finds one account by a query: its id, an exact issuer / account /
    /// "issuer:account" (any case), else a substring, else the letters in order.
    pub fn find(&self, query: &str) -> Result<&Entry, VaultError> {
        let q = query.trim().to_lowercase();
        let entries: Vec<&Entry> = self.entries().collect();
        if let Some(e) = entries.iter().find(|e| e.id.to_string() == q) {
            return Ok(e);
        }
        let haystack = |e: &Entry| format!("{}:{}", e.issuer, e.name).to_lowercase();
        let tiers: [&dyn Fn(&Entry) -> bool; 3] = [
            &|e| e.issuer.to_lowercase() == q || e.name.to_lowercase() == q || haystack(e) == q,
            &|e| haystack(e).contains(&q),
            &|e| is_subsequence(&q, &haystack(e)),
        ];
        for tier in tiers {
            let hits: Vec<&Entry> = entries.iter().copied().filter(|e| tier(e)).collect();
            match hits.len() {
                0 => continue,
                1 => return Ok(hits[0]),
                _ => {
                    return Err(VaultError::Ambiguous {
                        query: query.to_string(),
                        matches: hits.iter().map(|e| e.display_name()).collect(),
                    });
                }
            }
        }
        Err(VaultError::NoMatch(query.to_string()))
    }
}

fn update_meta<T>(
    dir: &Path,
    snapshot: &mut Vec<Entry>,
    f: impl FnOnce(&mut Vec<Entry>) -> Result<T, VaultError>,
) -> Result<T, VaultError> {
    let _lock = meta::lock(dir)?;
    let path = dir.join(meta::FILE_NAME);
    let mut file = meta::load(&path)?;
    let result = f(&mut file.accounts)?;
    file.version = meta::VERSION;
    meta::save(&path, &file)?;
    *snapshot = file.accounts;
    Ok(result)
}

fn is_subsequence(needle: &str, haystack: &str) -> bool {
    let mut chars = haystack.chars();
    !needle.is_empty() && needle.chars().all(|n| chars.any(|h| h == n))
}

#[cfg(test)]
mod tests;
