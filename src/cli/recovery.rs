//! `ninsho recovery add | list | use`: the one-time backup codes a service gave
//! for an account. They are kept in the account's keyring item, never on disk.

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};
use clap::Subcommand;

use super::{open_ready_vault, read_stdin_secret};
use crate::vault::recovery::{split_codes, unused};

#[derive(Subcommand, Debug)]
pub enum RecoveryCommand {
    /// Add codes read from standard input (separated by spaces or newlines);
    /// codes the account already has are ignored.
    Add {
        /// Issuer, account name, or part of them.
        query: String,
    },
    /// Show an account's codes and which are used.
    List {
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// Mark a code used (case, spaces and dashes do not matter; "-" reads it
    /// from standard input, keeping it off the command line).
    Use { query: String, code: String },
}

/// Below this many unused codes, the user is told to get new ones.
pub const FEW_LEFT: usize = 2;

pub fn recovery(
    data_dir: Option<&Path>,
    command: RecoveryCommand,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let mut vault = open_ready_vault(data_dir, stderr)?;
    let query = match &command {
        RecoveryCommand::Add { query }
        | RecoveryCommand::List { query, .. }
        | RecoveryCommand::Use { query, .. } => query.clone(),
    };
    let entry = vault.find(&query)?.clone();
    let name = entry.display_name();
    let codes = match command {
        RecoveryCommand::Add { .. } => {
            let text = read_stdin_secret()?;
            // Each code is as secret as the account's key: wiped when dropped.
            let codes = zeroize::Zeroizing::new(split_codes(&text));
            if codes.is_empty() {
                bail!(
                    "no recovery codes on standard input; pipe them in, separated by spaces or newlines"
                );
            }
            let report = vault.add_recovery_codes(entry.id, &codes)?;
            let mut line = format!(
                "added {} recovery code{} to {name}",
                report.added,
                plural(report.added)
            );
            if report.duplicates > 0 {
                line.push_str(&format!("; {} already there, ignored", report.duplicates));
            }
            writeln!(stdout, "{line}")?;
            report.codes
        }
        RecoveryCommand::List { json, .. } => {
            let codes = vault.recovery_codes(entry.id)?;
            if json {
                let list: Vec<_> = codes
                    .iter()
                    .map(|c| serde_json::json!({"code": c.code, "used": c.used}))
                    .collect();
                writeln!(stdout, "{}", serde_json::to_string_pretty(&list)?)?;
            } else if codes.is_empty() {
                writeln!(
                    stderr,
                    "ninsho: {name} has no recovery codes; add them with `ninsho recovery add`"
                )?;
            } else {
                for c in &codes {
                    let mark = if c.used { "  (used)" } else { "" };
                    writeln!(stdout, "{}{mark}", c.code)?;
                }
            }
            if codes.is_empty() {
                return Ok(());
            }
            codes
        }
        RecoveryCommand::Use { code, .. } => {
            let code = match code.as_str() {
                "-" => read_stdin_secret()?,
                _ => zeroize::Zeroizing::new(code),
            };
            let outcome = vault.use_recovery_code(entry.id, code.trim())?;
            let stored = &outcome.codes[outcome.index].code;
            if outcome.already_used {
                writeln!(stdout, "{stored} of {name} was already marked used")?;
            } else {
                writeln!(stdout, "marked {stored} of {name} used")?;
            }
            outcome.codes
        }
    };
    let left = unused(&codes);
    if left <= FEW_LEFT {
        writeln!(
            stderr,
            "ninsho: warning: {left} unused recovery code{} left for {name}; ask the service for new ones",
            plural(left)
        )?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
