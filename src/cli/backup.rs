//! `ninsho backup set | off | now | status`, and the backup made at the end of
//! any command that changed the accounts (one per command, however many
//! accounts it changed). The work is in `autobackup`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use clap::Subcommand;

use super::{Command, open_ready_vault, open_vault, read_password_file, resolve_data_dir};
use crate::autobackup::{self, BackupError, DEFAULT_KEEP, Settings};
use crate::t;
use crate::vault;

#[derive(Subcommand, Debug)]
pub enum BackupCommand {
    /// Turn automatic backups on (or change them) and make a first backup.
    Set {
        /// Folder for the backups (created if missing; a synced folder is fine).
        #[arg(long, value_name = "DIR")]
        folder: PathBuf,
        /// File holding the backups' password (first line); it is kept in the keyring.
        #[arg(long, value_name = "F")]
        password_file: PathBuf,
        /// How many of this computer's backups to keep (default 20).
        #[arg(long, value_name = "N")]
        keep: Option<usize>,
    },
    /// Turn automatic backups off (the backups already made are kept).
    Off,
    /// Make a backup now.
    Now,
    /// Show where backups go, when the last one was made and any error.
    Status {
        /// Print the status as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn backup(
    data_dir: Option<&Path>,
    command: BackupCommand,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    match command {
        BackupCommand::Set {
            folder,
            password_file,
            keep,
        } => {
            let keep = keep.unwrap_or(DEFAULT_KEEP);
            if keep == 0 {
                return Err(BackupError::KeepZero.into());
            }
            let password = read_password_file(&password_file)?;
            if password.is_empty() {
                return Err(anyhow!(t!(
                    "cli-backup-empty-password",
                    path = password_file.display().to_string()
                )));
            }
            let dir = resolve_data_dir(data_dir)?;
            vault::meta::ensure_dir(&dir)?;
            let store = super::store::connect(&dir);
            let settings = autobackup::turn_on(&dir, &store, &folder, &password, keep)?;
            drop(password);
            writeln!(
                stdout,
                "{}",
                t!(
                    "cli-backup-on",
                    folder = settings.folder.as_str(),
                    keep = settings.keep
                )
            )?;
            now(data_dir, stdout, stderr)
        }
        BackupCommand::Off => {
            let dir = resolve_data_dir(data_dir)?;
            let store = super::store::connect(&dir);
            let off = autobackup::turn_off(&dir, &store)?;
            if let Err(e) = off.password_deleted {
                let note = t!("cli-backup-password-left", text = e.to_string());
                writeln!(stderr, "ninsho: {}", t!("cli-warning", text = note))?;
            }
            let line = match &off.previous {
                Some(s) => t!("cli-backup-off", folder = s.folder.as_str()),
                None => t!("cli-backup-already-off"),
            };
            writeln!(stdout, "{line}")?;
            Ok(())
        }
        BackupCommand::Now => now(data_dir, stdout, stderr),
        BackupCommand::Status { json } => status(data_dir, json, stdout),
    }
}

fn now(data_dir: Option<&Path>, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Result<()> {
    let vault = open_ready_vault(data_dir, stderr)?;
    let done = autobackup::run(&vault, super::now(), &autobackup::host())?;
    writeln!(
        stdout,
        "{}",
        t!("cli-backup-done", path = done.path.display().to_string())
    )?;
    Ok(())
}

fn status(data_dir: Option<&Path>, json: bool, stdout: &mut dyn Write) -> Result<()> {
    let dir = resolve_data_dir(data_dir)?;
    let settings = autobackup::load(&dir)?;
    let host = autobackup::host();
    // Counted now when the folder can be read; else what the last backup left.
    let kept = settings.as_ref().and_then(|s: &Settings| {
        autobackup::backups_of(Path::new(&s.folder), &host)
            .ok()
            .map(|b| b.len())
            .or(s.kept)
    });
    if json {
        let s = settings.as_ref();
        let out = serde_json::json!({
            "enabled": s.is_some(),
            "folder": s.map(|s| &s.folder),
            "keep": s.map(|s| s.keep),
            "host": host,
            "last_backup": s.and_then(|s| s.last_backup),
            "last_backup_utc": s.and_then(|s| s.last_backup).map(utc),
            "file": s.and_then(|s| s.last_file.as_ref()),
            "kept": kept,
            "last_error": s.and_then(|s| s.last_error.as_ref()),
            "last_error_at": s.and_then(|s| s.last_error_at),
        });
        writeln!(stdout, "{}", serde_json::to_string_pretty(&out)?)?;
        return Ok(());
    }
    let Some(s) = settings else {
        writeln!(stdout, "{}", t!("cli-backup-status-off"))?;
        return Ok(());
    };
    writeln!(stdout, "{}", t!("cli-backup-status-on"))?;
    writeln!(
        stdout,
        "{}",
        t!("cli-backup-status-folder", folder = s.folder.as_str())
    )?;
    writeln!(
        stdout,
        "{}",
        t!(
            "cli-backup-status-keep",
            keep = s.keep,
            host = host.as_str()
        )
    )?;
    match (s.last_backup, &s.last_file) {
        (Some(at), Some(file)) => writeln!(
            stdout,
            "{}",
            t!(
                "cli-backup-status-last",
                time = local(at),
                file = file.as_str()
            )
        )?,
        _ => writeln!(stdout, "{}", t!("cli-backup-status-never"))?,
    }
    if let Some(count) = kept {
        writeln!(stdout, "{}", t!("cli-backup-status-kept", count = count))?;
    }
    if let Some(error) = &s.last_error {
        let time = s.last_error_at.map(local).unwrap_or_default();
        writeln!(
            stdout,
            "{}",
            t!(
                "cli-backup-status-error",
                time = time,
                text = error.as_str()
            )
        )?;
    }
    Ok(())
}

fn utc(unix: u64) -> String {
    chrono::DateTime::from_timestamp(unix.min(i64::MAX as u64) as i64, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The time where the user is, for people to read.
pub(super) fn local(unix: u64) -> String {
    chrono::DateTime::from_timestamp(unix.min(i64::MAX as u64) as i64, 0)
        .unwrap_or_default()
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// What a command needs to know, before it runs, to back up after it: the
/// metadata file as it was, when backups are on and the command can change
/// accounts. `None`: nothing to do afterwards.
pub struct Watch {
    dir: PathBuf,
    before: Vec<u8>,
}

/// Commands that can change what a backup holds. Recovery codes are not in
/// the Aegis format, so `recovery` changes none.
fn changes_accounts(command: &Command) -> bool {
    match command {
        Command::Add(_) | Command::Edit(_) | Command::Remove { .. } => true,
        Command::Import(args) => !args.dry_run,
        Command::Code(args) => args.next,
        Command::Scan(args) => args.add,
        Command::Follow {
            command: super::follow::FollowCommand::Apply { yes, .. },
        } => *yes,
        _ => false,
    }
}

pub fn watch(data_dir: Option<&Path>, command: Option<&Command>) -> Option<Watch> {
    if !command.is_some_and(changes_accounts) {
        return None;
    }
    let dir = resolve_data_dir(data_dir).ok()?;
    // Damaged settings are reported by the backup attempt afterwards.
    if matches!(autobackup::load(&dir), Ok(None)) {
        return None;
    }
    let before = std::fs::read(dir.join(vault::meta::FILE_NAME)).unwrap_or_default();
    Some(Watch { dir, before })
}

/// After a command that succeeded: one backup if the accounts changed. A
/// failure is a warning; the change itself stands.
pub fn after_change(watch: Watch, stderr: &mut dyn Write) -> Result<()> {
    let after = std::fs::read(watch.dir.join(vault::meta::FILE_NAME)).unwrap_or_default();
    if after == watch.before {
        return Ok(());
    }
    let result = open_vault(Some(&watch.dir))
        .and_then(|v| Ok(autobackup::run(&v, super::now(), &autobackup::host())?));
    match result {
        Ok(done) => writeln!(
            stderr,
            "ninsho: {}",
            t!("cli-backup-done", path = done.path.display().to_string())
        )?,
        Err(e) => {
            let text = t!("cli-backup-failed", text = super::error_message(&e));
            writeln!(stderr, "ninsho: {}", t!("cli-warning", text = text))?;
        }
    }
    Ok(())
}
