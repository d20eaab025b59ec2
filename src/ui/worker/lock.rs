//! The worker's side of the window lock (issue 20): the lock password's
//! hash in the store, its check, the system's own authentication, and
//! showing the accounts again once unlocked. Key derivations and the
//! desktop's authentication dialog never run on the UI thread.

use std::sync::Arc;

use super::{Event, Worker};
use crate::lock;
use crate::t;
use crate::vault::{Entry, SecretStore};

/// Asks the desktop whether the person at it is its user (polkit on Linux);
/// blocks until answered. `Err` when the system cannot ask (no polkit).
#[derive(Clone)]
pub struct SystemAuth(pub Arc<dyn Fn() -> Result<bool, String> + Send + Sync>);

impl std::fmt::Debug for SystemAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SystemAuth")
    }
}

impl SystemAuth {
    /// The desktop's own: polkit's unlock action on Linux (not inside
    /// Flatpak), Windows Hello on Windows, LocalAuthentication on macOS;
    /// elsewhere none, so the lock falls back to its password.
    pub fn system() -> Self {
        #[cfg(target_os = "linux")]
        {
            SystemAuth(Arc::new(|| {
                if let Some(why) = Self::unavailable() {
                    return Err(why);
                }
                lock::dbus::Polkit::system().check(lock::dbus::UNLOCK_ACTION)
            }))
        }
        #[cfg(windows)]
        {
            SystemAuth(Arc::new(|| windows_hello(None)))
        }
        #[cfg(target_os = "macos")]
        {
            SystemAuth(Arc::new(local_authentication))
        }
        #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
        {
            SystemAuth(Arc::new(|| Err(t!("ui-lock-system-unsupported"))))
        }
    }

    /// [`SystemAuth::system`], its dialog owned by `window`: Windows Hello
    /// opens in front of the window that asked, not behind it.
    #[cfg(windows)]
    pub fn for_window(window: &dyn winit::raw_window_handle::HasWindowHandle) -> Self {
        use winit::raw_window_handle::RawWindowHandle;
        match window.window_handle().map(|h| h.as_raw()) {
            Ok(RawWindowHandle::Win32(handle)) => {
                let hwnd = handle.hwnd.get();
                SystemAuth(Arc::new(move || windows_hello(Some(hwnd))))
            }
            _ => Self::system(),
        }
    }

    /// [`SystemAuth::system`]: polkit's agent and LocalAuthentication place
    /// their dialogs themselves.
    #[cfg(not(windows))]
    pub fn for_window<W: ?Sized>(_window: &W) -> Self {
        Self::system()
    }

    /// Why this system has no way to ask, if it has none (the Settings offer
    /// the system's way only when it has one).
    pub fn unavailable() -> Option<String> {
        unavailable_under(std::path::Path::new("/"))
    }
}

/// [`SystemAuth::unavailable`] with the file system's root at `root`.
/// Inside Flatpak's sandbox (`/.flatpak-info`) polkit would see another
/// process than ours, and no polkit action can be installed from there.
fn unavailable_under(root: &std::path::Path) -> Option<String> {
    if !cfg!(any(target_os = "linux", windows, target_os = "macos")) {
        return Some(t!("ui-lock-system-unsupported"));
    }
    if cfg!(target_os = "linux") && root.join(".flatpak-info").exists() {
        return Some(t!("ui-lock-system-flatpak"));
    }
    None
}

/// macOS: LocalAuthentication's owner check (Touch ID, a watch, or the
/// login password); `Err` where it cannot ask, so the lock's password
/// stands in. Blocks this (worker) thread until the person answers.
#[cfg(target_os = "macos")]
fn local_authentication() -> Result<bool, String> {
    use block2::RcBlock;
    use objc2::runtime::Bool;
    use objc2_foundation::{NSError, NSString};
    use objc2_local_authentication::{LAContext, LAPolicy};
    let policy = LAPolicy::DeviceOwnerAuthentication;
    // SAFETY: a new context, used on this thread only until the reply.
    let context = unsafe { LAContext::new() };
    unsafe { context.canEvaluatePolicy_error(policy) }
        .map_err(|e| e.localizedDescription().to_string())?;
    let (tx, rx) = std::sync::mpsc::channel();
    let reply = RcBlock::new(move |ok: Bool, _error: *mut NSError| {
        let _ = tx.send(ok.as_bool());
    });
    let reason = NSString::from_str(&t!("ui-lock-system-reason"));
    // SAFETY: the block and the reason live until the call returns; the
    // reply comes on another queue and only sends on the channel.
    unsafe { context.evaluatePolicy_localizedReason_reply(policy, &reason, &reply) };
    rx.recv().map_err(|e| e.to_string())
}

/// Windows Hello (PIN, face, fingerprint) through `UserConsentVerifier`;
/// `Err` where it is not set up, so the lock's password stands in. With the
/// window's handle its dialog is owned by the window (in front of it).
#[cfg(windows)]
fn windows_hello(window: Option<isize>) -> Result<bool, String> {
    use windows::Security::Credentials::UI::{
        UserConsentVerificationResult, UserConsentVerifier, UserConsentVerifierAvailability,
    };
    use windows::Win32::Foundation::HWND;
    use windows::Win32::System::WinRT::IUserConsentVerifierInterop;
    use windows_future::IAsyncOperation;
    let available = UserConsentVerifier::CheckAvailabilityAsync()
        .and_then(|op| op.join())
        .map_err(|e| e.message())?;
    if available != UserConsentVerifierAvailability::Available {
        return Err(t!("ui-lock-hello-unavailable"));
    }
    let reason = windows::core::HSTRING::from(t!("ui-lock-system-reason"));
    let asked = match window {
        Some(hwnd) => windows::core::factory::<UserConsentVerifier, IUserConsentVerifierInterop>()
            .and_then(|interop| {
                // SAFETY: `hwnd` is a handle the system checks, not memory:
                // a window closed meanwhile makes the call fail.
                unsafe {
                    interop.RequestVerificationForWindowAsync::<
                        IAsyncOperation<UserConsentVerificationResult>,
                    >(HWND(hwnd as *mut core::ffi::c_void), &reason)
                }
            }),
        None => UserConsentVerifier::RequestVerificationAsync(&reason),
    };
    let result = asked.and_then(|op| op.join()).map_err(|e| e.message())?;
    Ok(result == UserConsentVerificationResult::Verified)
}

/// What the worker answers about the lock.
#[derive(Debug)]
pub enum LockEvent {
    /// The lock password was saved (as its hash).
    PasswordSet,
    /// The lock password was removed (the lock is off).
    PasswordCleared,
    /// The password, or the system's authentication, let the person in.
    Unlocked,
    /// A wrong password.
    Refused,
    /// The system's authentication said no (or its dialog was cancelled).
    SystemRefused,
    /// No lock password is saved (the store was changed, or the settings
    /// came from another computer): the window turns its lock off rather
    /// than lock its user out.
    NoPassword,
    /// The system's authentication cannot be used here: use the password.
    SystemUnavailable(String),
    /// Something failed (the store); the message is for the user.
    Failed(String),
}

impl Worker {
    fn lock_store(&self) -> Result<&dyn SecretStore, String> {
        self.vault
            .as_ref()
            .map(|v| v.store() as &dyn SecretStore)
            .ok_or_else(|| t!("ui-keyring-not-ready"))
    }

    /// Keeps the Argon2id hash of `password` as the lock's store item.
    pub(super) fn set_lock_password(&mut self, password: &str) {
        let done = lock::hash_password(password)
            .map_err(|e| e.to_string())
            .and_then(|hash| {
                self.lock_store()?
                    .set(
                        lock::PASSWORD_ITEM,
                        &t!("ui-lock-item-label"),
                        hash.as_bytes(),
                    )
                    .map_err(|e| e.to_string())
            });
        self.emit(Event::Lock(match done {
            Ok(()) => LockEvent::PasswordSet,
            Err(e) => LockEvent::Failed(e),
        }));
    }

    pub(super) fn clear_lock_password(&mut self) {
        let done = self
            .lock_store()
            .and_then(|s| s.delete(lock::PASSWORD_ITEM).map_err(|e| e.to_string()));
        self.emit(Event::Lock(match done {
            Ok(_) => LockEvent::PasswordCleared,
            Err(e) => LockEvent::Failed(e),
        }));
    }

    /// Checks a typed password against the stored hash.
    pub(super) fn check_lock_password(&mut self, password: &str) {
        let hash = self
            .lock_store()
            .and_then(|s| s.get(lock::PASSWORD_ITEM).map_err(|e| e.to_string()));
        let event = match hash {
            Ok(Some(hash)) => match std::str::from_utf8(&hash) {
                Ok(hash) if lock::verify_password(hash, password) => LockEvent::Unlocked,
                _ => LockEvent::Refused,
            },
            Ok(None) => LockEvent::NoPassword,
            Err(e) => LockEvent::Failed(e),
        };
        self.emit(Event::Lock(event));
    }

    /// Asks the desktop on a thread of its own: its dialog waits on a person.
    pub(super) fn unlock_with_system(&self, auth: SystemAuth) {
        self.spawn_job("ninsho-system-auth", move |_| {
            Event::Lock(match (auth.0)() {
                Ok(true) => LockEvent::Unlocked,
                Ok(false) => LockEvent::SystemRefused,
                Err(e) => LockEvent::SystemUnavailable(e),
            })
        });
    }

    /// The window locked: forget what it was shown, so that [`Worker::reveal`]
    /// sends everything again, and let the store go where it holds secrets
    /// in this process (the file store: its password opens it again).
    pub(super) fn lock(&mut self) {
        self.shown.clear();
        self.following.forget();
        if crate::ui::file_store_of(&self.data_dir).is_some() {
            self.vault = None;
        }
    }

    /// Unlocked: the list and the codes again (the file store: loaded anew).
    pub(super) fn reveal(&mut self) {
        let Some(vault) = &self.vault else {
            return self.load();
        };
        let entries: Vec<Entry> = vault.entries().cloned().collect();
        self.emit_entries(entries.clone());
        if let Some(vault) = &self.vault
            && let Err(e) = self.stream_secrets(vault, &entries)
        {
            return self.emit(Event::KeyringError(e.to_string()));
        }
        self.emit(Event::SecretsDone);
        self.emit_backup_status();
        self.follow_check();
    }
}

#[cfg(test)]
mod tests {
    //! Protects: the system's way is offered only where it can ask (issue 20:
    //! not inside Flatpak, whose sandbox polkit cannot see into).
    use super::*;

    #[test]
    fn inside_flatpak_the_systems_way_is_not_offered_and_says_why() {
        let root = tempfile::tempdir().unwrap();
        let here = unavailable_under(root.path());
        std::fs::write(root.path().join(".flatpak-info"), "[Application]\n").unwrap();
        let sandboxed = unavailable_under(root.path());
        if cfg!(target_os = "linux") {
            assert_eq!(here, None);
            assert_eq!(sandboxed, Some(t!("ui-lock-system-flatpak")));
        } else if cfg!(any(windows, target_os = "macos")) {
            assert_eq!((here, sandboxed), (None, None));
        }
    }
}
