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
use crate::t;

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
        let bytes = read_limited(path, super::MAX_IMAGE_BYTES)?;
        let report = scan::scan_image_bytes(&bytes).with_context(|| shown.clone())?;
        check(&report, &shown, &mut notes)?;
        all.merge(report);
    }
    if args.screen {
        let report = scan_screen()?;
        check(&report, &t!("cli-scan-the-screen"), &mut notes)?;
        all.merge(report);
    }

    // Everything below quotes what the codes held: escaped, never raw.
    for w in &all.warnings {
        writeln!(stderr, "ninsho: {}", t!("cli-warning", text = printable(w)))?;
    }
    for n in &notes {
        writeln!(stderr, "ninsho: {}", printable(n))?;
    }
    for (what, why) in &all.skipped {
        let line = t!(
            "cli-skipped-entry",
            what = printable(what),
            why = printable(why)
        );
        writeln!(stderr, "ninsho: {line}")?;
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
                writeln!(stdout, "{}", t!("cli-scan-found", name = a.display_name()))?;
            }
            writeln!(stderr, "ninsho: {}", t!("cli-scan-nothing-saved"))?;
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
        writeln!(out, "{}", t!("cli-added", name = e.display_name()))?;
    }
    for d in &report.duplicates {
        writeln!(
            out,
            "{}",
            t!("cli-duplicate-skipped", name = d.display_name())
        )?;
    }
    let summary = t!(
        "cli-scan-summary",
        added = report.added.len(),
        total = total,
        duplicates = report.duplicates.len()
    );
    writeln!(out, "{summary}")?;
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
    bail!(t!("cli-scan-no-screen-capture"))
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
            bail!(t!(
                "cli-scan-none-stopped-early",
                what = what,
                why = scan::stopped_early()
            ));
        }
        notes.push(t!(
            "err-located",
            place = what,
            text = scan::stopped_early()
        ));
    }
    if report.accounts.is_empty() {
        if let Some((item, why)) = report.skipped.first() {
            bail!(t!(
                "cli-scan-unreadable",
                what = what,
                item = item,
                why = why
            ));
        }
        match others.as_slice() {
            [] => bail!(t!("cli-scan-no-qr", what = what)),
            [one] => bail!(t!("cli-scan-one-other", what = what, holds = *one)),
            many => bail!(t!(
                "cli-scan-many-others",
                what = what,
                count = many.len(),
                holds = many.join("; ")
            )),
        }
    }
    for o in others {
        notes.push(t!("cli-scan-other-skipped", what = what, holds = o));
    }
    Ok(())
}
