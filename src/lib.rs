//! Ninsho: a desktop two-factor authenticator.
//!
//! Layers point down only: `cli` uses `vault`, `formats` and `scan`; those use `otp`;
//! `otp` uses nothing of ours but the messages (`i18n`) and does no I/O.

pub mod atomic_file;
pub mod autobackup;
pub mod backup;
pub mod cli;
pub mod follow;
pub mod formats;
pub mod i18n;
pub mod lock;
pub mod otp;
pub mod scan;
pub mod ui;
pub mod vault;
