//! `ninsho follow add | list | remove | status | apply`: another device's
//! backups (a file, or a synced folder) compared with the accounts here, and
//! applied after a look. The work is in `follow`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use clap::Subcommand;

use super::{open_ready_vault, read_password_file, resolve_data_dir};
use crate::follow::{self, Choice, Review, Source, Status};
use crate::otp::{display_name, printable};
use crate::t;
use crate::vault;

#[derive(Subcommand, Debug)]
pub enum FollowCommand {
    /// Follow another device's backups: a backup file, or a folder where the newest one is read.
    Add {
        /// A backup file, or a folder of backups (Aegis, 2FAS, another computer's Ninsho).
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// File holding the backups' password (first line); it is kept in the keyring.
        #[arg(long, value_name = "F")]
        password_file: PathBuf,
        /// The backups' format (default: detected).
        #[arg(long, value_name = "NAME")]
        format: Option<String>,
    },
    /// List the files and folders followed.
    List,
    /// Stop following a file or folder (nothing is removed from it).
    Remove {
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
    /// Show what changed in each followed source since it was last applied.
    Status {
        /// Print the status as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Apply the new and changed accounts of every followed source.
    Apply {
        /// Confirm (without it, the changes are only shown).
        #[arg(long)]
        yes: bool,
        /// Also remove the accounts removed there.
        #[arg(long)]
        with_removals: bool,
    },
}

pub fn follow(
    data_dir: Option<&Path>,
    command: FollowCommand,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    match command {
        FollowCommand::Add {
            path,
            password_file,
            format,
        } => add(data_dir, &path, &password_file, format.as_deref(), stdout),
        FollowCommand::List => list(data_dir, stdout),
        FollowCommand::Remove { path } => {
            let dir = resolve_data_dir(data_dir)?;
            let store = super::store::connect(&dir);
            let (source, deleted) = follow::remove(&dir, &store, &path)?;
            if let Err(e) = deleted {
                let note = t!("cli-follow-password-left", text = e.to_string());
                writeln!(stderr, "ninsho: {}", t!("cli-warning", text = note))?;
            }
            writeln!(
                stdout,
                "{}",
                t!("cli-follow-removed", path = printable(&source.path))
            )?;
            Ok(())
        }
        FollowCommand::Status { json } => status(data_dir, json, stdout, stderr),
        FollowCommand::Apply { yes, with_removals } => {
            apply(data_dir, yes, with_removals, stdout, stderr)
        }
    }
}

fn add(
    data_dir: Option<&Path>,
    path: &Path,
    password_file: &Path,
    format: Option<&str>,
    stdout: &mut dyn Write,
) -> Result<()> {
    let password = read_password_file(password_file)?;
    if password.is_empty() {
        bail!(t!(
            "cli-backup-empty-password",
            path = password_file.display().to_string()
        ));
    }
    let dir = resolve_data_dir(data_dir)?;
    // Read with the password first: a wrong one (or no such folder) is
    // refused before anything is saved or made.
    let probe = Source {
        id: uuid::Uuid::nil(),
        path: follow::canonical(path)?,
        format: format.map(str::to_string),
        applied: None,
    };
    let found = follow::read(&probe, &password, &crate::autobackup::host())?;
    let store = super::store::connect(&dir);
    vault::meta::ensure_dir(&dir)?;
    let source = follow::add(&dir, &store, path, format, &password)?;
    drop(password);
    writeln!(
        stdout,
        "{}",
        t!("cli-follow-added", path = printable(&source.path))
    )?;
    let line = match found {
        follow::Read::Ready(s) => t!(
            "cli-follow-found",
            count = s.accounts.len(),
            file = file_name(&s.file)
        ),
        follow::Read::NoFile => t!("cli-follow-no-file-yet"),
        follow::Read::NotReady { file, why } => {
            t!("cli-follow-not-ready", file = file_name(&file), why = why)
        }
    };
    writeln!(stdout, "{line}")?;
    Ok(())
}

fn list(data_dir: Option<&Path>, stdout: &mut dyn Write) -> Result<()> {
    let dir = resolve_data_dir(data_dir)?;
    let settings = follow::load(&dir)?;
    if settings.sources.is_empty() {
        writeln!(stdout, "{}", t!("cli-follow-none"))?;
    }
    for s in &settings.sources {
        writeln!(stdout, "{}", printable(&s.path))?;
        if let Some(f) = &s.format {
            writeln!(stdout, "  {}", t!("cli-follow-format", name = f.as_str()))?;
        }
        let line = match &s.applied {
            Some(a) => t!(
                "cli-follow-applied",
                time = super::backup::local(a.at),
                file = printable(&a.file)
            ),
            None => t!("cli-follow-never-applied"),
        };
        writeln!(stdout, "  {line}")?;
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    printable(
        &path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    )
    .into_owned()
}

fn status(
    data_dir: Option<&Path>,
    json: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let dir = resolve_data_dir(data_dir)?;
    if follow::load(&dir)?.sources.is_empty() {
        if json {
            writeln!(stdout, "[]")?;
        } else {
            writeln!(stdout, "{}", t!("cli-follow-none"))?;
        }
        return Ok(());
    }
    let vault = open_ready_vault(data_dir, stderr)?;
    let all = follow::check_all(&vault, &crate::autobackup::host())?;
    if json {
        let list: Vec<serde_json::Value> = all.iter().map(|(s, st)| status_json(s, st)).collect();
        writeln!(stdout, "{}", serde_json::to_string_pretty(&list)?)?;
        return Ok(());
    }
    for (source, st) in &all {
        show(source, st, stdout)?;
    }
    Ok(())
}

fn status_json(source: &Source, status: &Status) -> serde_json::Value {
    use serde_json::json;
    let mut out = json!({ "path": source.path, "format": source.format });
    let account = |r: &Review, i: usize| {
        let a = &r.snapshot.accounts[i];
        json!({"issuer": a.issuer, "account": a.name, "group": r.snapshot.groups[i]})
    };
    match status {
        Status::Review(r) => {
            out["state"] = json!(if r.is_empty() {
                "up-to-date"
            } else {
                "changes"
            });
            out["file"] = json!(r.file_name());
            out["added"] = r.added.iter().map(|&i| account(r, i)).collect();
            out["changed"] = r
                .changed
                .iter()
                .map(|c| {
                    let mut v = account(r, c.index);
                    v["id"] = json!(c.local);
                    v["before"] = json!(c.before);
                    v
                })
                .collect();
            out["removed"] = r
                .removed
                .iter()
                .map(|e| json!({"id": e.id, "issuer": e.issuer, "account": e.name}))
                .collect();
            out["kept_here"] = json!(r.kept_here);
            out["suspicious"] = json!(r.suspicious);
        }
        Status::NoFile => out["state"] = json!("no-file"),
        Status::NotReady { file, why } => {
            out["state"] = json!("not-ready");
            out["file"] = json!(file_name(file));
            out["error"] = json!(why);
        }
        Status::Failed(e) => {
            out["state"] = json!("error");
            out["error"] = json!(e.to_string());
        }
    }
    out
}

fn show(source: &Source, status: &Status, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "{}", printable(&source.path))?;
    match status {
        Status::Review(r) if r.is_empty() => writeln!(
            out,
            "  {}",
            t!("cli-follow-up-to-date", file = printable(&r.file_name()))
        )?,
        Status::Review(r) => {
            writeln!(
                out,
                "  {}",
                t!(
                    "cli-follow-changes",
                    file = printable(&r.file_name()),
                    added = r.added.len(),
                    changed = r.changed.len(),
                    removed = r.removed.len()
                )
            )?;
            for &i in &r.added {
                let a = &r.snapshot.accounts[i];
                writeln!(
                    out,
                    "    + {}",
                    printable(&display_name(&a.issuer, &a.name))
                )?;
            }
            for c in &r.changed {
                let a = &r.snapshot.accounts[c.index];
                let group = &r.snapshot.groups[c.index];
                let mut to = display_name(&a.issuer, &a.name);
                if !group.is_empty() {
                    to = t!("cli-follow-in-group", name = to, group = group.as_str());
                }
                writeln!(out, "    ~ {} → {}", printable(&c.before), printable(&to))?;
            }
            for e in &r.removed {
                writeln!(out, "    - {}", printable(&e.display_name()))?;
            }
            if r.suspicious {
                writeln!(
                    out,
                    "  {}",
                    t!("cli-follow-suspicious", count = r.removed.len())
                )?;
            }
        }
        Status::NoFile => writeln!(out, "  {}", t!("cli-follow-no-file-yet"))?,
        Status::NotReady { file, why } => writeln!(
            out,
            "  {}",
            t!(
                "cli-follow-not-ready",
                file = file_name(file),
                why = why.as_str()
            )
        )?,
        Status::Failed(e) => writeln!(out, "  {}", t!("cli-follow-error", text = e.to_string()))?,
    }
    if let Status::Review(r) = status
        && !r.kept_here.is_empty()
    {
        let names: Vec<String> = r
            .kept_here
            .iter()
            .map(|n| printable(n).into_owned())
            .collect();
        writeln!(
            out,
            "  {}",
            t!("cli-follow-kept-here", names = names.join(", "))
        )?;
    }
    Ok(())
}

fn apply(
    data_dir: Option<&Path>,
    yes: bool,
    with_removals: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let dir = resolve_data_dir(data_dir)?;
    if follow::load(&dir)?.sources.is_empty() {
        writeln!(stdout, "{}", t!("cli-follow-none"))?;
        return Ok(());
    }
    let mut vault = open_ready_vault(data_dir, stderr)?;
    let all = follow::check_all(&vault, &crate::autobackup::host())?;
    let mut failed = 0;
    let mut waiting = 0;
    for (source, status) in all {
        show(&source, &status, stdout)?;
        let review = match status {
            Status::Review(r) => r,
            Status::Failed(_) => {
                failed += 1;
                continue;
            }
            Status::NoFile | Status::NotReady { .. } => continue,
        };
        // Nothing to change, but the accounts matched here are remembered, so
        // later changes there are told from changes here.
        if review.is_empty() && !review.unrecorded {
            continue;
        }
        if !yes && !review.is_empty() {
            waiting += 1;
            continue;
        }
        let removals = with_removals && !review.suspicious;
        if with_removals && review.suspicious && !review.removed.is_empty() {
            let note = t!("cli-follow-removals-held", count = review.removed.len());
            writeln!(stderr, "ninsho: {}", t!("cli-warning", text = note))?;
        }
        let choice = Choice::all(&review, removals);
        let done = follow::apply(&mut vault, &review, &choice, super::now(), &mut |_, _| {})?;
        if !review.is_empty() {
            writeln!(
                stdout,
                "  {}",
                t!(
                    "cli-follow-applied-now",
                    added = done.added.len(),
                    changed = done.changed.len(),
                    removed = done.removed.len()
                )
            )?;
        }
        if !removals && !review.removed.is_empty() && !review.suspicious {
            writeln!(
                stdout,
                "  {}",
                t!("cli-follow-removals-pending", count = review.removed.len())
            )?;
        }
    }
    if waiting > 0 {
        return Err(anyhow!(t!("cli-follow-needs-yes")));
    }
    if failed > 0 {
        return Err(anyhow!(t!("cli-follow-some-failed", count = failed)));
    }
    Ok(())
}
