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
    Err(Error::NotSupportedByStore(crate::t!(
        "err-keyring-no-platform"
    )))
}

/// Turns keyring errors into the causes a user can act on.
fn map_error(err: Error) -> StoreError {
    let text = err.to_string();
    let first_line = text.lines().next().unwrap_or_default();
    let detail = if text.contains("Failed to connect") || text.contains("DBUS_SESSION_BUS_ADDRESS")
    {
        crate::t!("err-keyring-no-bus")
    } else if text.contains("was not provided") || text.contains("ServiceUnknown") {
        crate::t!("err-keyring-no-provider")
    } else if text.contains("Failed to activate service") {
        crate::t!("err-keyring-not-started")
    } else if text.contains("prompt dismissed") {
        crate::t!("err-keyring-prompt-dismissed")
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
        let mut ids = search_ids(self.store.as_ref(), &self.service).map_err(map_error)?;
        ids.sort();
        ids.dedup();
        Ok(ids)
    }
}

/// The users of every item under `service`. keyring-core leaves the search
/// vocabulary to each platform store, so this is per platform.
///
/// Secret Service searches by item attributes, `service` among them, and each
/// found item's attributes are then read; a read that fails fails the search.
/// (`get_specifiers` would turn it into "no such item": a keyring that dies
/// half-way through a search then gives a partial list, and the start-up repair
/// would act on it, dropping unfinished adds whose secrets are in fact saved.)
/// An item of our service without a user name is not ours and is left out.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn search_ids(store: &CredentialStore, service: &str) -> keyring_core::Result<Vec<String>> {
    let spec = HashMap::from([("service", service)]);
    let mut users = Vec::new();
    for item in store.search(&spec)? {
        let mut attributes = item.get_attributes()?;
        if attributes.get("service").is_some_and(|s| s == service)
            && let Some(user) = attributes.remove("username")
        {
            users.push(user);
        }
    }
    Ok(users)
}

/// The macOS Keychain store takes `service` and `user` (the generic password's
/// `svce` and `acct`), matched exactly and case-sensitively; the service is
/// checked again here all the same.
#[cfg(not(any(
    target_os = "windows",
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    )
)))]
fn search_ids(store: &CredentialStore, service: &str) -> keyring_core::Result<Vec<String>> {
    let spec = HashMap::from([("service", service)]);
    Ok(store
        .search(&spec)?
        .iter()
        .filter_map(|e| e.get_specifiers())
        .filter(|(s, _)| s == service)
        .map(|(_, user)| user)
        .collect())
}

/// Credential Manager has no attributes to search by: the store names each item
/// `{user}.{service}` and searches with a regular expression (`pattern`) over
/// those names, which Windows compares ignoring case. Ninsho's users are UUIDs,
/// so anchoring on one keeps another service's items out even when its name ends
/// in `.{service}` (the store's own split of a found name takes the last dot).
#[cfg(target_os = "windows")]
fn search_ids(store: &CredentialStore, service: &str) -> keyring_core::Result<Vec<String>> {
    let pattern = windows_pattern(service);
    let name = regex::Regex::new(&pattern)
        .map_err(|e| Error::Invalid("pattern".to_string(), e.to_string()))?;
    let spec = HashMap::from([("pattern", pattern.as_str())]);
    Ok(store
        .search(&spec)?
        .iter()
        .filter_map(|e| e.get_specifiers())
        .filter_map(|(s, user)| {
            let target = format!("{user}.{s}");
            name.captures(&target).map(|c| c[1].to_ascii_lowercase())
        })
        .collect())
}

#[cfg(any(target_os = "windows", test))]
fn windows_pattern(service: &str) -> String {
    format!(
        "(?i)^([0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}})\\.{}$",
        regex::escape(service)
    )
}

#[cfg(test)]
mod tests {
    use super::windows_pattern;

    /// Credential Manager item names are `{user}.{service}`; the search must
    /// find this service's accounts and nothing of a neighbouring service.
    #[test]
    fn windows_search_pattern_matches_exactly_this_services_items() {
        let id = "0b7e8a4c-5d2f-4f3a-9c1e-2a6b8d0f1e3c";
        let ninsho = regex::Regex::new(&windows_pattern("ninsho")).unwrap();
        let captured = |name: &str| ninsho.captures(name).map(|c| c[1].to_string());
        assert_eq!(captured(&format!("{id}.ninsho")).as_deref(), Some(id));
        // Windows compares target names ignoring case.
        let upper = format!("{id}.NINSHO").to_uppercase();
        assert_eq!(captured(&upper), Some(id.to_uppercase()));
        for other in [
            format!("{id}.ninsho-test-1"),
            format!("{id}.other.ninsho"),
            format!("{id}xninsho"),
            format!("x{id}.ninsho"),
            "alice.ninsho".to_string(),
            "git:https://github.com".to_string(),
        ] {
            assert_eq!(captured(&other), None, "{other}");
        }
        // A service name with regex metacharacters (tests use such names) is literal.
        let dotted = regex::Regex::new(&windows_pattern("a.b+")).unwrap();
        assert!(dotted.is_match(&format!("{id}.a.b+")));
        assert!(!dotted.is_match(&format!("{id}.axbb")));
    }
}

/// The Secret Service search, against a store whose items answer as a dying
/// daemon's would: some give their attributes, one fails.
#[cfg(all(
    test,
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
mod search_tests {
    use std::any::Any;
    use std::collections::HashMap;
    use std::sync::Arc;

    use keyring_core::api::{CredentialApi, CredentialStoreApi};
    use keyring_core::{Credential, CredentialStore, Entry, Error, Result};

    use super::search_ids;

    #[derive(Debug)]
    struct Item(Option<HashMap<String, String>>);

    impl CredentialApi for Item {
        fn set_secret(&self, _: &[u8]) -> Result<()> {
            unreachable!()
        }
        fn get_secret(&self) -> Result<Vec<u8>> {
            unreachable!()
        }
        fn get_attributes(&self) -> Result<HashMap<String, String>> {
            self.0
                .clone()
                .ok_or_else(|| Error::PlatformFailure("NoReply: recipient disconnected".into()))
        }
        fn delete_credential(&self) -> Result<()> {
            unreachable!()
        }
        fn get_credential(&self) -> Result<Option<Arc<Credential>>> {
            Ok(None)
        }
        fn get_specifiers(&self) -> Option<(String, String)> {
            let a = self.0.as_ref()?;
            Some((a.get("service")?.clone(), a.get("username")?.clone()))
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
    }

    #[derive(Debug)]
    struct Store(Vec<Option<(&'static str, &'static str)>>);

    impl CredentialStoreApi for Store {
        fn vendor(&self) -> String {
            "test".into()
        }
        fn id(&self) -> String {
            "test".into()
        }
        fn build(&self, _: &str, _: &str, _: Option<&HashMap<&str, &str>>) -> Result<Entry> {
            unreachable!()
        }
        fn search(&self, _: &HashMap<&str, &str>) -> Result<Vec<Entry>> {
            Ok(self
                .0
                .iter()
                .map(|item| {
                    let attributes = item.map(|(service, user)| {
                        HashMap::from([
                            ("service".to_string(), service.to_string()),
                            ("username".to_string(), user.to_string()),
                        ])
                    });
                    Entry::new_with_credential(Arc::new(Item(attributes)))
                })
                .collect())
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
    }

    fn ids(items: Vec<Option<(&'static str, &'static str)>>) -> Result<Vec<String>> {
        let store: Arc<CredentialStore> = Arc::new(Store(items));
        search_ids(store.as_ref(), "ninsho")
    }

    /// Regression: an item whose attributes could not be read was left out,
    /// so a keyring that died half-way through a search gave a partial list,
    /// and the start-up repair dropped unfinished adds whose secrets were saved.
    #[test]
    fn an_item_that_cannot_be_read_fails_the_search() {
        let found = ids(vec![Some(("ninsho", "a")), Some(("other", "b"))]).unwrap();
        assert_eq!(found, ["a"]);
        let failed = ids(vec![Some(("ninsho", "a")), None, Some(("ninsho", "c"))]);
        assert!(
            matches!(failed, Err(Error::PlatformFailure(_))),
            "{failed:?}"
        );
    }
}
