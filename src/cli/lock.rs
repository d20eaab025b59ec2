//! `ninsho lock` (issue 20): locks every running window. On Linux each window
//! is found on the session bus (`crate::lock::dbus`), whatever its data
//! folder; everywhere, and on Linux when the bus reaches none, through the
//! data folder (`crate::lock::request`). Locking needs no secret, so nothing
//! here opens the vault.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use crate::lock::request;
use crate::t;

/// How long a running window has to answer: it answers from a thread of its
/// own at once, so only a hung window takes this long.
const ANSWER_WITHIN: Duration = Duration::from_secs(30);

/// Locks every running window and says how many; no window is an error, so
/// a script can tell nothing was locked.
pub fn lock(data_dir: Option<&Path>, stdout: &mut dyn Write) -> Result<()> {
    let bus = over_bus();
    if let Ok(count @ 1..) = bus {
        writeln!(stdout, "{}", t!("cli-lock-done", count = count))?;
        return Ok(());
    }
    let count = match super::resolve_data_dir(data_dir) {
        Ok(dir) => request::request_lock(&dir, ANSWER_WITHIN)?,
        Err(_) => 0,
    };
    match (count, bus) {
        (0, Err(bus)) => Err(bus),
        (0, Ok(_)) => anyhow::bail!(t!("cli-lock-none")),
        (count, _) => {
            writeln!(stdout, "{}", t!("cli-lock-done", count = count))?;
            Ok(())
        }
    }
}

/// The windows the session bus reached (none without a bus: the data folder
/// is asked then).
#[cfg(target_os = "linux")]
fn over_bus() -> Result<usize> {
    use crate::lock::dbus::{LockRequestError, request_lock};
    match request_lock() {
        Err(LockRequestError::NoSessionBus(_)) => Ok(0),
        reached => Ok(reached?),
    }
}

/// Only Linux has a session bus that reaches the windows.
#[cfg(not(target_os = "linux"))]
fn over_bus() -> Result<usize> {
    Ok(0)
}
