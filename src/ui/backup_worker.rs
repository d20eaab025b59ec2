//! The worker's side of recovery codes and the printable sheet: keyring reads
//! and writes, PDF rendering, writing the file and handing it to the system
//! viewer all happen here, never on the UI thread.

use std::path::Path;

use uuid::Uuid;
use zeroize::Zeroizing;

use super::app::Opener;
use super::worker::{BackupCommand, BackupEvent, Event};
use crate::backup::{Paper, SheetAccount};
use crate::vault::recovery::{split_codes, unused};
use crate::vault::{RecoveryCode, SecretStore, Vault, VaultError};

type WorkerVault = Vault<Box<dyn SecretStore>>;

pub fn handle(vault: &mut WorkerVault, command: BackupCommand) -> Vec<Event> {
    let result = match command {
        BackupCommand::Codes(id) => vault
            .recovery_codes(id)
            .map(|codes| codes_events(id, codes, None)),
        BackupCommand::AddCodes { id, text } => {
            let codes = split_codes(&text);
            if codes.is_empty() {
                return vec![Event::Failed(
                    "paste the recovery codes the service gave you first".into(),
                )];
            }
            vault.add_recovery_codes(id, &codes).map(|r| {
                let mut note = format!(
                    "Saved {} recovery code{}",
                    r.added,
                    if r.added == 1 { "" } else { "s" }
                );
                if r.duplicates > 0 {
                    note.push_str(&format!("; {} already saved", r.duplicates));
                }
                codes_events(id, r.codes, Some(note))
            })
        }
        BackupCommand::UseCode { id, code } => vault.use_recovery_code(id, &code).map(|u| {
            let note = if u.already_used {
                "That code was already marked used"
            } else {
                "Marked the code used"
            };
            codes_events(id, u.codes, Some(note.to_string()))
        }),
        BackupCommand::PrintSheet {
            path,
            paper,
            opener,
        } => return vec![print_sheet(vault, &path, paper, &opener)],
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

/// Every account with its unused recovery codes, rendered, written privately
/// and atomically, then opened in the system's PDF viewer.
fn print_sheet(vault: &WorkerVault, path: &Path, paper: Paper, opener: &Opener) -> Event {
    let sheet = || -> Result<Zeroizing<Vec<u8>>, String> {
        let mut accounts = Vec::new();
        for e in vault.entries() {
            let (account, codes) = vault
                .account_with_codes(e)
                .map_err(|err: VaultError| format!("cannot print {}: {err}", e.display_name()))?;
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
            return Err("there are no accounts to print".into());
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
        return Event::Failed(format!("cannot write {}: {e}", path.display()));
    }
    let open_error = (opener.0)(path)
        .err()
        .map(|e| format!("saved, but no PDF viewer could open it: {e}"));
    Event::Backup(BackupEvent::SheetWritten {
        path: path.to_path_buf(),
        open_error,
    })
}
