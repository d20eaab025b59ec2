//! The OS keyring as a [`SecretStore`]: Secret Service on Linux and the BSDs,
//! Keychain on macOS, Credential Manager on Windows.
//!
//! Why `keyring-core` and the platform store crates rather than the `keyring`
//! crate's v1 `Entry`: keyring 4 says applications that need search or control over
//! store creation should link these directly. We need both: search to find orphaned
//! items after a crash, and a store we can try to create again when the user has
//! started gnome-keyring (v1 caches its first failure for the life of the process).

use std::collections::HashMap;
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry, Error};
use zeroize::Zeroizing;

use super::store::{SecretStore, StoreError};

pub const DEFAULT_SERVICE: &str = "ninsho";

/// The keyring service name: `NINSHO_KEYRING_SERVICE`, or `ninsho`.
pub fn service_name() -> String {
    std::env::var("NINSHO_KEYRING_SERVICE")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_SERVICE.to_string())
}

pub struct KeyringStore {
    store: Arc<CredentialStore>,
    service: String,
}

impl KeyringStore {
    /// Connects to the platform's keyring.
    pub fn connect(service: &str) -> Result<Self, StoreError> {
        let store = platform_store().map_err(map_error)?;
        Ok(KeyringStore {
            store,
            service: service.to_string(),
        })
    }

    fn entry(&self, id: &str, label: Option<&str>) -> Result<Entry, StoreError> {
        let mut mods = HashMap::new();
        if let Some(label) = label.filter(|l| !l.is_empty())
            && cfg!(all(unix, not(target_os = "macos")))
        {
            mods.insert("label", label);
        }
        let mods = (!mods.is_empty()).then_some(&mods);
        self.store.build(&self.service, id, mods).map_err(map_error)
    }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ),
    target_os = "macos",
    target_os = "windows"
)))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(Error::NotSupportedByStore(
        "this platform has no supported keyring".to_string(),
    ))
}

/// Turns keyring errors into the causes a user can act on.
fn map_error(err: Error) -> StoreError {
    let text = err.to_string();
    let first_line = text.lines().next().unwrap_or_default();
    let detail = if text.contains("Failed to connect") || text.contains("DBUS_SESSION_BUS_ADDRESS")
    {
        "no D-Bus session bus to reach the Secret Service".to_string()
    } else if text.contains("was not provided") || text.contains("ServiceUnknown") {
        "no Secret Service provider (org.freedesktop.secrets) is running".to_string()
    } else if text.contains("Failed to activate service") {
        "the Secret Service (org.freedesktop.secrets) could not be started".to_string()
    } else if text.contains("prompt dismissed") {
        "the unlock prompt was dismissed or could not be shown".to_string()
    } else {
        first_line.chars().take(200).collect()
    };
    match err {
        Error::NoStorageAccess(_) => StoreError::Locked { detail },
        Error::NoDefaultStore | Error::NotSupportedByStore(_) => StoreError::Unavailable { detail },
        Error::PlatformFailure(_)
            if text.contains("Failed to connect")
                || text.contains("Failed to activate service")
                || text.contains("was not provided")
                || text.contains("ServiceUnknown") =>
        {
            StoreError::Unavailable { detail }
        }
        _ => StoreError::Other { detail },
    }
}

impl SecretStore for KeyringStore {
    fn set(&self, id: &str, label: &str, value: &[u8]) -> Result<(), StoreError> {
        self.entry(id, Some(label))?
            .set_secret(value)
            .map_err(map_error)
    }

    fn get(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        match self.entry(id, None)?.get_secret() {
            Ok(v) => Ok(Some(Zeroizing::new(v))),
            Err(Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn delete(&self, id: &str) -> Result<bool, StoreError> {
        match self.entry(id, None)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(Error::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e)),
        }
    }

    fn ids(&self) -> Result<Vec<String>, StoreError> {
        let spec = HashMap::from([("service", self.service.as_str())]);
        let entries = self.store.search(&spec).map_err(map_error)?;
        let mut ids: Vec<String> = entries
            .iter()
            .filter_map(|e| e.get_specifiers())
            .filter(|(service, _)| *service == self.service)
            .map(|(_, user)| user)
            .collect();
        ids.sort();
        ids.dedup();
        Ok(ids)
    }
}
