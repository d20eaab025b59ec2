//! `ninsho recovery add | list | use | unuse | remove`: the one-time backup codes
//! a service gave for an account. They are kept in the account's keyring item,
//! never on disk.

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};
use clap::Subcommand;
use zeroize::Zeroizing;

use super::{open_ready_vault, read_stdin_secret};
use crate::t;
use crate::vault::recovery::{read_codes, unused};

#[derive(Subcommand, Debug)]
pub enum RecoveryCommand {
    /// Add codes read from standard input, pasted as the service shows them
    /// (one per line; numbering and headings are dropped); codes the account
    /// already has are ignored.
    Add {
        /// Issuer, account name, or part of them.
        query: String,
    },
    /// Show an account's codes and which are used.
    List {
        /// Issuer, account name, or part of them.
        query: String,
        /// Print them as JSON (the codes included).
        #[arg(long)]
        json: bool,
    },
    /// Mark a code used (case, spaces and dashes do not matter).
    Use {
        /// Issuer, account name, or part of them.
        query: String,
        /// The code ("-" reads it from standard input, keeping it out of shell history).
        code: String,
    },
    /// Mark a code unused again (undoes `use`).
    Unuse {
        /// Issuer, account name, or part of them.
        query: String,
        /// The code ("-" reads it from standard input).
        code: String,
    },
    /// Delete a code (one typed in wrong, or one the service no longer accepts).
    Remove {
        /// Issuer, account name, or part of them.
        query: String,
        /// The code ("-" reads it from standard input).
        code: String,
    },
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
        | RecoveryCommand::Use { query, .. }
        | RecoveryCommand::Unuse { query, .. }
        | RecoveryCommand::Remove { query, .. } => query.clone(),
    };
    let entry = vault.find(&query)?.clone();
    let name = entry.display_name();
    let codes = match command {
        RecoveryCommand::Add { .. } => {
            let text = read_stdin_secret()?;
            let read = read_codes(&text);
            if read.codes.is_empty() {
                bail!(t!("cli-recovery-none-on-stdin"));
            }
            if !read.ignored.is_empty() {
                writeln!(
                    stderr,
                    "ninsho: {}",
                    t!("cli-recovery-ignored-lines", count = read.ignored.len())
                )?;
            }
            let report = vault.add_recovery_codes(entry.id, &read.codes)?;
            let line = if report.duplicates > 0 {
                t!(
                    "cli-recovery-added-with-duplicates",
                    count = report.added,
                    name = &name,
                    duplicates = report.duplicates
                )
            } else {
                t!("cli-recovery-added", count = report.added, name = &name)
            };
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
                writeln!(stderr, "ninsho: {}", t!("cli-recovery-none", name = &name))?;
            } else {
                for c in &codes {
                    if c.used {
                        writeln!(stdout, "{}  {}", c.code, t!("cli-recovery-used-mark"))?;
                    } else {
                        writeln!(stdout, "{}", c.code)?;
                    }
                }
            }
            if codes.is_empty() {
                return Ok(());
            }
            codes
        }
        RecoveryCommand::Use { code, .. } => {
            let outcome = vault.use_recovery_code(entry.id, &code_argument(code)?)?;
            let stored = &outcome.codes[outcome.index].code;
            if outcome.unchanged {
                let text = t!("cli-recovery-already-used", code = stored, name = &name);
                writeln!(stdout, "{text}")?;
            } else {
                let text = t!("cli-recovery-marked-used", code = stored, name = &name);
                writeln!(stdout, "{text}")?;
            }
            outcome.codes
        }
        RecoveryCommand::Unuse { code, .. } => {
            let outcome = vault.unuse_recovery_code(entry.id, &code_argument(code)?)?;
            let stored = &outcome.codes[outcome.index].code;
            if outcome.unchanged {
                let text = t!("cli-recovery-not-used", code = stored, name = &name);
                writeln!(stdout, "{text}")?;
            } else {
                let text = t!("cli-recovery-marked-unused", code = stored, name = &name);
                writeln!(stdout, "{text}")?;
            }
            outcome.codes
        }
        RecoveryCommand::Remove { code, .. } => {
            let outcome = vault.remove_recovery_code(entry.id, &code_argument(code)?)?;
            let text = t!(
                "cli-recovery-removed",
                code = &outcome.removed.code,
                name = &name,
                count = outcome.codes.len()
            );
            writeln!(stdout, "{text}")?;
            if outcome.codes.is_empty() {
                return Ok(());
            }
            outcome.codes
        }
    };
    let left = unused(&codes);
    if left <= FEW_LEFT {
        let note = t!("cli-recovery-few-left", count = left, name = &name);
        writeln!(stderr, "ninsho: {}", t!("cli-warning", text = note))?;
    }
    Ok(())
}

/// A code from the command line, or from standard input for "-" (one line).
fn code_argument(code: String) -> Result<Zeroizing<String>> {
    let code = Zeroizing::new(code);
    if code.as_str() != "-" {
        return Ok(code);
    }
    let text = read_stdin_secret()?;
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    match (lines.next(), lines.next()) {
        (Some(one), None) => Ok(Zeroizing::new(one.to_string())),
        (None, _) => bail!(t!("cli-recovery-no-code-on-stdin")),
        (Some(_), Some(_)) => bail!(t!("cli-recovery-several-lines")),
    }
}
