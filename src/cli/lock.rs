//! `ninsho lock` (issue 20): locks every running window, each found on the
//! session bus (`crate::lock::dbus`). Locking needs no data folder and no
//! secret, so nothing here opens the vault.

use std::io::Write;

use anyhow::Result;

use crate::t;

/// Locks every running window and says how many; no window is an error, so
/// a script can tell nothing was locked.
#[cfg(target_os = "linux")]
pub fn lock(stdout: &mut dyn Write) -> Result<()> {
    match crate::lock::dbus::request_lock()? {
        0 => anyhow::bail!(t!("cli-lock-none")),
        count => writeln!(stdout, "{}", t!("cli-lock-done", count = count))?,
    }
    Ok(())
}

/// Windows and macOS windows are not reachable from another process yet.
#[cfg(not(target_os = "linux"))]
pub fn lock(stdout: &mut dyn Write) -> Result<()> {
    let _ = stdout;
    anyhow::bail!(t!("cli-lock-unsupported"))
}
