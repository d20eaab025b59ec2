//! The window lock (issue 20): who may see the codes of an unlocked desktop.
//!
//! - [`LockSettings`]: off (the default), with a password, or with the
//!   system's own authentication (polkit on Linux, `dbus`); when to lock
//!   (after minutes without input, on minimise). Saved with the window's
//!   settings; they hold no secret.
//! - The lock password is kept only as an Argon2id hash ([`hash_password`]),
//!   in the chosen secret store as the item [`PASSWORD_ITEM`], never on disk.
//! - [`Backoff`]: each wrong password doubles the wait before the next try.
//! - [`Idle`]: when the window last saw input and when it locks.
//!
//! Everything here is pure: the clock is passed in, so tests use a simulated one.

#[cfg(target_os = "linux")]
pub mod dbus;
pub mod request;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use serde::{Deserialize, Serialize};

/// What `ninsho lock` heard back from the running windows it reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reached {
    /// Windows whose lock is on: they lock (or already were).
    pub locked: usize,
    /// Windows whose lock is off in their Settings: they cannot lock.
    pub off: usize,
}

impl Reached {
    pub fn total(&self) -> usize {
        self.locked + self.off
    }

    /// Counts one window's answer (`true`: its lock is on).
    pub fn add(&mut self, lock_on: bool) {
        if lock_on {
            self.locked += 1;
        } else {
            self.off += 1;
        }
    }
}

/// The store item holding the lock password's Argon2id hash (a PHC string).
pub const PASSWORD_ITEM: &str = "ninsho-lock-password";

/// How the window is unlocked once locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LockMode {
    /// No lock.
    #[default]
    Off,
    /// A password of its own, kept as a hash in the store.
    Password,
    /// The desktop's own authentication (the login password, a fingerprint).
    System,
}

/// When and how the window locks. Saved in eframe's settings (no secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LockSettings {
    pub mode: LockMode,
    /// Minutes without input before the window locks; 0 never.
    pub idle_minutes: u32,
    /// Lock when the window is minimised.
    pub on_minimise: bool,
}

impl Default for LockSettings {
    fn default() -> Self {
        LockSettings {
            mode: LockMode::Off,
            idle_minutes: 5,
            on_minimise: false,
        }
    }
}

impl LockSettings {
    pub fn enabled(&self) -> bool {
        self.mode != LockMode::Off
    }
}

/// Why a lock password could not be hashed (no randomness, a broken library).
#[derive(Debug, thiserror::Error)]
#[error("{}", crate::t!("err-lock-hash", detail = .0))]
pub struct HashError(String);

/// The Argon2id hash of `password` with a fresh random salt, as a PHC
/// string (`$argon2id$v=19$m=…`); the default cost (19 MiB, 2 passes).
/// Slow on purpose: call it off the UI thread.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| HashError(e.to_string()))?;
    let hash = argon2::Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map_err(|e| HashError(e.to_string()))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `hash`; a malformed hash
/// matches nothing. Slow on purpose: call it off the UI thread.
pub fn verify_password(hash: &str, password: &str) -> bool {
    argon2::Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// The longest wait between two tries, in seconds.
pub const BACKOFF_CAP: f64 = 30.0;

/// Wrong passwords slow down: 1 s after the first, then 2, 4, 8 … up to
/// [`BACKOFF_CAP`]. A right one starts over.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Backoff {
    failures: u32,
    /// No try before this time (seconds, the window's clock).
    until: f64,
}

impl Backoff {
    /// A wrong password at `now`; returns the wait before the next try.
    pub fn failed(&mut self, now: f64) -> f64 {
        self.failures = self.failures.saturating_add(1);
        let wait = 2f64.powi(self.failures.min(16) as i32 - 1).min(BACKOFF_CAP);
        self.until = now + wait;
        wait
    }

    /// Seconds left before a try is allowed (0 when one is).
    pub fn wait_left(&self, now: f64) -> f64 {
        (self.until - now).max(0.0)
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    pub fn reset(&mut self) {
        *self = Backoff::default();
    }
}

/// When the window last saw input from the person at it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Idle {
    last_input: f64,
}

impl Idle {
    pub fn new(now: f64) -> Self {
        Idle { last_input: now }
    }

    pub fn input(&mut self, now: f64) {
        self.last_input = now;
    }

    /// When the window locks for lack of input; `None` when it never does.
    pub fn deadline(&self, settings: &LockSettings) -> Option<f64> {
        (settings.enabled() && settings.idle_minutes > 0)
            .then(|| self.last_input + f64::from(settings.idle_minutes) * 60.0)
    }

    pub fn due(&self, settings: &LockSettings, now: f64) -> bool {
        self.deadline(settings).is_some_and(|at| now >= at)
    }
}

#[cfg(test)]
mod tests {
    //! Protects: the lock's hash, its backoff and its idle timer (issue 20).
    use super::*;

    #[test]
    fn a_hash_is_argon2id_salted_and_checks_only_its_password() {
        let a = hash_password("correct horse").unwrap();
        let b = hash_password("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$v=19$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(!a.contains("correct horse"));
        assert!(verify_password(&a, "correct horse"));
        assert!(verify_password(&b, "correct horse"));
        assert!(!verify_password(&a, "correct hors"));
        assert!(!verify_password(&a, ""));
        assert!(!verify_password("not a hash", "correct horse"));
        assert!(!verify_password("", ""));
    }

    #[test]
    fn wrong_passwords_wait_1_2_4_seconds_and_so_on_up_to_the_cap() {
        let mut b = Backoff::default();
        assert_eq!(b.wait_left(100.0), 0.0);
        let waits: Vec<f64> = (0..8).map(|_| b.failed(100.0)).collect();
        assert_eq!(waits, [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]);
        assert_eq!(b.wait_left(100.0), 30.0);
        assert_eq!(b.wait_left(129.5), 0.5);
        assert_eq!(b.wait_left(131.0), 0.0);
        for _ in 0..100 {
            b.failed(0.0);
        }
        assert_eq!(b.wait_left(0.0), BACKOFF_CAP);
        b.reset();
        assert_eq!(b.failed(0.0), 1.0);
    }

    #[test]
    fn the_idle_timer_counts_from_the_last_input_and_only_when_locking_is_on() {
        let mut settings = LockSettings::default();
        let mut idle = Idle::new(1000.0);
        assert_eq!(idle.deadline(&settings), None, "off by default");
        settings.mode = LockMode::Password;
        assert_eq!(idle.deadline(&settings), Some(1300.0), "5 minutes");
        assert!(!idle.due(&settings, 1299.9));
        assert!(idle.due(&settings, 1300.0));
        idle.input(1200.0);
        assert!(!idle.due(&settings, 1300.0));
        assert!(idle.due(&settings, 1500.0));
        settings.idle_minutes = 0;
        assert!(!idle.due(&settings, 1e12), "0 minutes: never");
    }

    #[test]
    fn settings_saved_before_the_lock_existed_load_with_it_off() {
        let s: LockSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(s, LockSettings::default());
        assert!(!s.enabled());
    }
}
