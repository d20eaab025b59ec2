//! The worker's side of recovery codes, the printable sheet and the encrypted
//! export: keyring reads and writes, PDF rendering, key derivation, writing
//! the file and handing it to the system viewer all happen here, never on the
//! UI thread.

use std::path::Path;

use uuid::Uuid;
use zeroize::Zeroizing;

use super::app::Opener;
use super::worker::{BackupCommand, BackupEvent, Event};
use crate::backup::{Paper, SheetAccount};
use crate::t;
use crate::vault::recovery::unused;
use crate::vault::{RecoveryCode, SecretStore, Vault, VaultError};

type WorkerVault = Vault<Box<dyn SecretStore>>;

pub fn handle(vault: &mut WorkerVault, command: BackupCommand) -> Vec<Event> {
    let result = match command {
        BackupCommand::Codes(id) => vault
            .recovery_codes(id)
            .map(|codes| codes_events(id, codes, None)),
        BackupCommand::AddCodes { id, codes } => {
            if codes.codes.is_empty() {
                return vec![Event::Failed(t!("ui-recovery-paste-first"))];
            }
            vault.add_recovery_codes(id, &codes.codes).map(|r| {
                let note = if r.duplicates > 0 {
                    t!(
                        "ui-recovery-saved-duplicates",
                        count = r.added,
                        duplicates = r.duplicates
                    )
                } else {
                    t!("ui-recovery-saved", count = r.added)
                };
                codes_events(id, r.codes, Some(note))
            })
        }
        BackupCommand::UseCode { id, code } => vault.use_recovery_code(id, &code).map(|u| {
            let note = if u.unchanged {
                t!("ui-code-already-used")
            } else {
                t!("ui-code-marked-used")
            };
            codes_events(id, u.codes, Some(note))
        }),
        BackupCommand::UnuseCode { id, code } => vault.unuse_recovery_code(id, &code).map(|u| {
            let note = if u.unchanged {
                t!("ui-code-not-used")
            } else {
                t!("ui-code-marked-unused")
            };
            codes_events(id, u.codes, Some(note))
        }),
        BackupCommand::RemoveCode { id, code } => vault
            .remove_recovery_code(id, &code)
            .map(|r| codes_events(id, r.codes, Some(t!("ui-code-deleted")))),
        BackupCommand::PrintSheet {
            path,
            ids,
            paper,
            opener,
        } => return vec![print_sheet(vault, &path, &ids, paper, &opener)],
        BackupCommand::ExportEncrypted {
            path,
            ids,
            password,
        } => return vec![export_encrypted(vault, &path, &ids, &password)],
    };
    result.unwrap_or_else(|e| vec![Event::Failed(e.to_string())])
}

fn codes_events(id: Uuid, codes: Vec<RecoveryCode>, note: Option<String>) -> Vec<Event> {
    let left = (id, unused(&codes), codes.len());
    vec![
        Event::Backup(BackupEvent::Left(vec![left])),
        Event::Backup(BackupEvent::Codes { id, codes, note }),
    ]
}

/// The chosen accounts in the list's order (one removed meanwhile is left out).
fn chosen<'a>(vault: &'a WorkerVault, ids: &[Uuid]) -> Vec<&'a crate::vault::Entry> {
    vault.entries().filter(|e| ids.contains(&e.id)).collect()
}

/// The chosen accounts with their unused recovery codes, rendered, written
/// privately and atomically, then opened in the system's PDF viewer.
fn print_sheet(
    vault: &WorkerVault,
    path: &Path,
    ids: &[Uuid],
    paper: Paper,
    opener: &Opener,
) -> Event {
    let sheet = || -> Result<Zeroizing<Vec<u8>>, String> {
        let mut accounts = Vec::new();
        for e in chosen(vault, ids) {
            let (account, codes) = vault.account_with_codes(e).map_err(|err: VaultError| {
                t!(
                    "ui-cannot-print",
                    name = e.display_name(),
                    error = err.to_string()
                )
            })?;
            accounts.push(SheetAccount {
                account,
                recovery_codes: codes
                    .iter()
                    .filter(|c| !c.used)
                    .map(|c| Zeroizing::new(c.code.clone()))
                    .collect(),
            });
        }
        if accounts.is_empty() {
            return Err(t!("ui-nothing-to-print"));
        }
        let today = crate::backup::date(crate::vault::system_clock());
        crate::backup::render_sheet(&accounts, paper, &today).map_err(|e| e.to_string())
    };
    let bytes = match sheet() {
        Ok(b) => b,
        Err(e) => return Event::Failed(e),
    };
    crate::formats::export::remember_folder(vault.dir(), path);
    if let Err(e) = crate::formats::export::write_private_file(path, &bytes) {
        return Event::Failed(t!(
            "ui-cannot-write",
            path = path.display().to_string(),
            error = e.to_string()
        ));
    }
    note_if_all(vault, ids);
    let open_error = (opener.0)(path)
        .err()
        .map(|e| t!("ui-no-pdf-viewer", error = e));
    Event::Backup(BackupEvent::SheetWritten {
        path: path.to_path_buf(),
        open_error,
    })
}

/// The chosen accounts (with groups) as an Aegis vault encrypted with
/// `password`, written privately and atomically.
fn export_encrypted(
    vault: &WorkerVault,
    path: &Path,
    ids: &[Uuid],
    password: &crate::formats::Password,
) -> Event {
    let entries = chosen(vault, ids);
    if entries.is_empty() {
        return Event::Failed(t!("ui-nothing-to-export"));
    }
    let mut accounts = Vec::with_capacity(entries.len());
    for e in &entries {
        // An export that silently lacks an account would be found out too late.
        match vault.account(e) {
            Ok(a) => accounts.push(a),
            Err(err) => {
                return Event::Failed(t!(
                    "ui-cannot-export",
                    name = e.display_name(),
                    error = err.to_string()
                ));
            }
        }
    }
    let groups: Vec<String> = entries.iter().map(|e| e.group.clone()).collect();
    let entry_ids: Vec<String> = entries.iter().map(|e| e.id.to_string()).collect();
    let format = match crate::formats::export::export_by_name("aegis-encrypted") {
        Ok(f) => f,
        Err(e) => return Event::Failed(e.to_string()),
    };
    let bytes = match (format.render)(&crate::formats::export::ExportInput {
        accounts: &accounts,
        groups: &groups,
        ids: &entry_ids,
        password: Some(password.as_str()),
        now: crate::vault::system_clock(),
        ..Default::default()
    }) {
        Ok(b) => b,
        Err(e) => return Event::Failed(e.to_string()),
    };
    if let Err(e) = crate::formats::export::write_private_file(path, &bytes) {
        return Event::Failed(t!(
            "ui-cannot-write",
            path = path.display().to_string(),
            error = e.to_string()
        ));
    }
    note_if_all(vault, ids);
    Event::Backup(BackupEvent::Exported {
        path: path.to_path_buf(),
        accounts: accounts.len(),
    })
}

/// An export or sheet of every account: the reminder to back up waits until
/// the accounts change again.
fn note_if_all(vault: &WorkerVault, ids: &[Uuid]) {
    if vault.entries().all(|e| ids.contains(&e.id)) {
        crate::autobackup::note_full_export(vault.dir(), crate::vault::system_clock());
    }
}
