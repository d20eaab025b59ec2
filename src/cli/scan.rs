//! `ninsho scan IMAGE... [--screen] [--json] [--add]`: accounts from QR codes in
//! screenshots, photos and the screen itself.
//!
//! Every image must hold at least one authenticator code, or the command fails
//! naming it: a user who scans the wrong file should hear so, not get an empty
//! list. All images are read before anything is printed or saved, so an error
//! leaves stdout empty and the vault untouched.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::{ScanArgs, batch_notes, open_vault, read_limited, repair};
use crate::otp::printable;
use crate::scan::{self, ScanReport};

pub(super) fn scan(
    data_dir: Option<&Path>,
    args: ScanArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let mut all = ScanReport::default();
    let mut notes = Vec::new();
    for path in &args.images {
        let shown = path.display().to_string();
        let bytes = read_limited(path)?;
        let report = scan::scan_image_bytes(&bytes).with_context(|| shown.clone())?;
        check(&report, &shown, &mut notes)?;
        all.merge(report);
    }
    if args.screen {
        let report = scan_screen()?;
        check(&report, "the screen", &mut notes)?;
        all.merge(report);
    }

    // Everything below quotes what the codes held: escaped, never raw.
    for w in &all.warnings {
        writeln!(stderr, "ninsho: warning: {}", printable(w))?;
    }
    for n in &notes {
        writeln!(stderr, "ninsho: {}", printable(n))?;
    }
    for (what, why) in &all.skipped {
        writeln!(
            stderr,
            "ninsho: skipped {}: {}",
            printable(what),
            printable(why)
        )?;
    }
    for line in batch_notes(&all.batches) {
        writeln!(stderr, "ninsho: {line}")?;
    }

    if args.json {
        let list: Vec<_> = all.accounts.iter().map(|a| a.to_json()).collect();
        writeln!(stdout, "{}", serde_json::to_string_pretty(&list)?)?;
    }
    if !args.add {
        if !args.json {
            for a in &all.accounts {
                writeln!(stdout, "found {}", a.display_name())?;
            }
            writeln!(stderr, "ninsho: nothing saved; add --add to save them")?;
        }
        return Ok(());
    }

    let mut vault = open_vault(data_dir)?;
    repair(&mut vault, stderr)?;
    let total = all.accounts.len();
    let report = vault.add(all.accounts, &mut |_, _| {})?;
    // With --json, stdout is the account list alone; the outcome goes to stderr.
    let out: &mut dyn Write = if args.json { stderr } else { stdout };
    for e in &report.added {
        writeln!(out, "added {}", e.display_name())?;
    }
    for d in &report.duplicates {
        writeln!(out, "duplicate, skipped {}", d.display_name())?;
    }
    writeln!(
        out,
        "{} of {total} accounts added, {} duplicates skipped",
        report.added.len(),
        report.duplicates.len()
    )?;
    Ok(())
}

#[cfg(all(unix, not(target_os = "macos")))]
fn scan_screen() -> Result<ScanReport> {
    let captures = scan::screen::capture()?;
    let mut report = ScanReport::default();
    for c in &captures {
        report.merge(scan::scan_rgba(c.width, c.height, &c.rgba));
    }
    Ok(report)
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn scan_screen() -> Result<ScanReport> {
    bail!(
        "screen capture is not available on this system yet; take a screenshot and run `ninsho scan FILE`"
    )
}

/// Fails when `what` held no authenticator code, saying what it held instead;
/// otherwise queues a note for each QR code that was something else.
fn check(report: &ScanReport, what: &str, notes: &mut Vec<String>) -> Result<()> {
    let others: Vec<&str> = report
        .others
        .iter()
        .map(|o| o.description.as_str())
        .collect();
    if report.stopped_early {
        if report.accounts.is_empty() {
            bail!(
                "{what}: no authenticator code found; {}",
                scan::STOPPED_EARLY
            );
        }
        notes.push(format!("{what}: {}", scan::STOPPED_EARLY));
    }
    if report.accounts.is_empty() {
        if let Some((item, why)) = report.skipped.first() {
            bail!("{what}: {item} could not be read: {why}");
        }
        match others.as_slice() {
            [] => bail!("{what}: no QR code found"),
            [one] => bail!("{what}: the QR code holds {one}, not an authenticator code"),
            many => bail!(
                "{what}: {} QR codes found, none is an authenticator code ({})",
                many.len(),
                many.join("; ")
            ),
        }
    }
    for o in others {
        notes.push(format!(
            "{what}: a QR code holds {o}, not an authenticator code; skipped"
        ));
    }
    Ok(())
}
