//! `ninsho lock` (issue 20): locks every running window. On Linux each window
//! is found on the session bus (`crate::lock::dbus`), whatever its data
//! folder; everywhere, and on Linux when the bus reaches none, through the
//! data folder (`crate::lock::request`). Locking needs no secret, so nothing
//! here opens the vault.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use crate::lock::{Reached, request};
use crate::t;

/// How long a running window has to answer: it answers from a thread of its
/// own at once, so only a hung window takes this long.
const ANSWER_WITHIN: Duration = Duration::from_secs(30);

/// Locks every running window and says how many. No window, or a window
/// whose lock is off, is an error, so a script can tell the codes are still
/// on the screen.
pub fn lock(data_dir: Option<&Path>, stdout: &mut dyn Write) -> Result<()> {
    let bus = over_bus();
    let reached = match &bus {
        Ok(reached) if reached.total() > 0 => *reached,
        _ => match super::resolve_data_dir(data_dir) {
            Ok(dir) => request::request_lock(&dir, ANSWER_WITHIN)?,
            Err(_) => Reached::default(),
        },
    };
    match (reached, bus) {
        (Reached { locked: 0, off: 0 }, Err(bus)) => Err(bus),
        (Reached { locked: 0, off: 0 }, Ok(_)) => anyhow::bail!(t!("cli-lock-none")),
        (Reached { locked, off: 0 }, _) => {
            writeln!(stdout, "{}", t!("cli-lock-done", count = locked))?;
            Ok(())
        }
        (Reached { locked, off }, _) => anyhow::bail!(t!(
            "err-lock-off",
            locked = locked,
            off = off,
            total = locked + off
        )),
    }
}

/// The windows the session bus reached (none without a bus: the data folder
/// is asked then).
#[cfg(target_os = "linux")]
fn over_bus() -> Result<Reached> {
    use crate::lock::dbus::{LockRequestError, request_lock};
    match request_lock() {
        Err(LockRequestError::NoSessionBus(_)) => Ok(Reached::default()),
        reached => Ok(reached?),
    }
}

/// Only Linux has a session bus that reaches the windows.
#[cfg(not(target_os = "linux"))]
fn over_bus() -> Result<Reached> {
    Ok(Reached::default())
}
