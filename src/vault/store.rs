//! Where secrets live: one item per account, keyed by the account's UUID.
//!
//! [`SecretStore`] is the seam between the vault and the OS keyring, so unit tests
//! run against [`MemoryStore`] and never touch the real keyring.

use std::collections::BTreeMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

/// Why the keyring could not be used. Each message names the cause and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("{}", crate::t!("err-keyring-unavailable", detail = .detail))]
    Unavailable { detail: String },
    #[error("{}", crate::t!("err-keyring-locked", detail = .detail))]
    Locked { detail: String },
    #[error("{}", crate::t!("err-keyring-other", detail = .detail))]
    Other { detail: String },
    /// The encrypted file store (its message names the file and the problem).
    #[error("{detail}")]
    File { detail: String },
}

pub trait SecretStore: Send + Sync {
    /// Creates or replaces the item for `id`. `label` is what keyring browsers show.
    fn set(&self, id: &str, label: &str, value: &[u8]) -> Result<(), StoreError>;
    /// The item's value, or `None` when there is no item for `id`.
    fn get(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError>;
    /// Deletes the item; `false` when there was none.
    fn delete(&self, id: &str) -> Result<bool, StoreError>;
    /// The ids of every item this store holds for the application.
    fn ids(&self) -> Result<Vec<String>, StoreError>;
    /// Creates or replaces many items `(id, label, value)`, calling
    /// `progress(done)` as they are written. One item at a time by default;
    /// a store that writes itself whole (the file store) writes once.
    fn set_many(
        &self,
        items: &[(&str, &str, &[u8])],
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), StoreError> {
        for (done, (id, label, value)) in items.iter().enumerate() {
            self.set(id, label, value)?;
            progress(done + 1);
        }
        Ok(())
    }
}

/// An in-memory store for tests. `fail_with` makes every call fail, to
/// exercise the "keyring missing or locked" paths.
#[derive(Default)]
pub struct MemoryStore {
    items: Mutex<BTreeMap<String, Zeroizing<Vec<u8>>>>,
    failure: Mutex<Option<StoreError>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail_with(&self, error: Option<StoreError>) {
        *self.failure.lock().unwrap_or_else(|e| e.into_inner()) = error;
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Zeroizing<Vec<u8>>>> {
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn check(&self) -> Result<(), StoreError> {
        match &*self.failure.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }
}

impl SecretStore for MemoryStore {
    fn set(&self, id: &str, _label: &str, value: &[u8]) -> Result<(), StoreError> {
        self.check()?;
        self.lock()
            .insert(id.to_string(), Zeroizing::new(value.to_vec()));
        Ok(())
    }

    fn get(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        self.check()?;
        Ok(self.lock().get(id).cloned())
    }

    fn delete(&self, id: &str) -> Result<bool, StoreError> {
        self.check()?;
        Ok(self.lock().remove(id).is_some())
    }

    fn ids(&self) -> Result<Vec<String>, StoreError> {
        self.check()?;
        Ok(self.lock().keys().cloned().collect())
    }
}

/// Shared and boxed stores (`Arc<MemoryStore>` in tests, `Box<dyn SecretStore>`
/// in the CLI) are stores too.
impl<P> SecretStore for P
where
    P: std::ops::Deref + Send + Sync,
    P::Target: SecretStore,
{
    fn set(&self, id: &str, label: &str, value: &[u8]) -> Result<(), StoreError> {
        (**self).set(id, label, value)
    }
    fn get(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        (**self).get(id)
    }
    fn delete(&self, id: &str) -> Result<bool, StoreError> {
        (**self).delete(id)
    }
    fn set_many(
        &self,
        items: &[(&str, &str, &[u8])],
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), StoreError> {
        (**self).set_many(items, progress)
    }
    fn ids(&self) -> Result<Vec<String>, StoreError> {
        (**self).ids()
    }
}
