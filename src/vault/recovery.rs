//! Recovery codes: the one-time backup codes a service hands out with 2FA.
//!
//! They are as sensitive as the secret, so they live in the same keyring item
//! (`Item::recovery_codes`) and never in the metadata file. Codes are compared
//! ignoring case, spaces and dashes ("ab12-cd34" is "AB12CD34"), because
//! services print them grouped and people type them back however they like;
//! they are stored as the service printed them.

use uuid::Uuid;

use super::{Item, RecoveryCode, SecretStore, State, Vault, VaultError, meta};

/// Longest code we accept: real ones are 8–16 characters, some with dashes.
pub const MAX_CODE_CHARS: usize = 64;
/// Most codes one account may hold: services issue 5–16.
pub const MAX_CODES: usize = 100;

/// What adding codes did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecoveryAdd {
    pub added: usize,
    /// Codes the account already had (or that were repeated in the input).
    pub duplicates: usize,
    /// Every code of the account afterwards.
    pub codes: Vec<RecoveryCode>,
}

/// What marking a code used did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryUse {
    /// Where the code is in `codes`.
    pub index: usize,
    /// It had been marked used before.
    pub already_used: bool,
    pub codes: Vec<RecoveryCode>,
}

/// Unused codes among `codes`.
pub fn unused(codes: &[RecoveryCode]) -> usize {
    codes.iter().filter(|c| !c.used).count()
}

/// The form codes are compared in: no spaces or dashes, upper case.
pub fn normalize(code: &str) -> zeroize::Zeroizing<String> {
    // Sized up front (upper case is at most three times longer): a growing
    // String would free unwiped copies of the code.
    let mut out = zeroize::Zeroizing::new(String::with_capacity(code.len() * 3 + 4));
    out.extend(
        code.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_uppercase),
    );
    out
}

/// Splits pasted text into codes: whitespace, newlines and commas separate them.
pub fn split_codes(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn check_code(code: &str) -> Result<(), VaultError> {
    let shown: String = code.chars().take(24).collect();
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(VaultError::BadRecoveryCode(format!(
            "\"{shown}…\" is longer than {MAX_CODE_CHARS} characters; is it really a recovery code?"
        )));
    }
    if normalize(code).is_empty() || code.chars().any(char::is_control) {
        return Err(VaultError::BadRecoveryCode(format!(
            "\"{}\" is not a recovery code",
            shown.escape_debug()
        )));
    }
    Ok(())
}

impl<S: SecretStore> Vault<S> {
    /// The account's recovery codes, in the order they were added.
    pub fn recovery_codes(&self, id: Uuid) -> Result<Vec<RecoveryCode>, VaultError> {
        let entry = self.saved_entry(id)?;
        Ok(self.load_item(&entry)?.recovery_codes.clone())
    }

    /// Adds codes to an account, skipping ones it already has. Nothing is
    /// written if any code is malformed.
    pub fn add_recovery_codes(
        &mut self,
        id: Uuid,
        codes: &[String],
    ) -> Result<RecoveryAdd, VaultError> {
        for c in codes {
            check_code(c)?;
        }
        let mut report = RecoveryAdd::default();
        self.update_item(id, |item| {
            for code in codes {
                let key = normalize(code);
                if item
                    .recovery_codes
                    .iter()
                    .any(|c| normalize(&c.code) == key)
                {
                    report.duplicates += 1;
                    continue;
                }
                item.recovery_codes.push(RecoveryCode {
                    code: code.trim().to_string(),
                    used: false,
                });
                report.added += 1;
            }
            if item.recovery_codes.len() > MAX_CODES {
                return Err(VaultError::BadRecoveryCode(format!(
                    "an account holds at most {MAX_CODES} recovery codes"
                )));
            }
            report.codes = item.recovery_codes.clone();
            Ok(report.added > 0)
        })?;
        Ok(report)
    }

    /// Marks one of the account's codes used. A code it does not have is an error.
    pub fn use_recovery_code(&mut self, id: Uuid, code: &str) -> Result<RecoveryUse, VaultError> {
        let key = normalize(code);
        let mut outcome = None;
        self.update_item(id, |item| {
            let found = item
                .recovery_codes
                .iter()
                .position(|c| !key.is_empty() && normalize(&c.code) == key);
            let Some(index) = found else {
                return Err(VaultError::UnknownRecoveryCode {
                    account: item.entry.display_name(),
                    code: code.chars().take(MAX_CODE_CHARS).collect(),
                });
            };
            let already_used = std::mem::replace(&mut item.recovery_codes[index].used, true);
            outcome = Some(RecoveryUse {
                index,
                already_used,
                codes: item.recovery_codes.clone(),
            });
            Ok(!already_used)
        })?;
        Ok(outcome.expect("set when the closure succeeds"))
    }

    fn saved_entry(&self, id: Uuid) -> Result<super::Entry, VaultError> {
        self.entry(id)
            .cloned()
            .ok_or_else(|| VaultError::NoMatch(id.to_string()))
    }

    /// Read-modify-write of one keyring item under the vault lock, so two
    /// Ninsho processes never lose each other's codes. `change` returns whether
    /// it changed anything worth writing. The item's copy of the entry is
    /// refreshed on the way (names may have been edited since it was written).
    pub(super) fn update_item(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut Item) -> Result<bool, VaultError>,
    ) -> Result<(), VaultError> {
        let _lock = meta::lock(&self.dir)?;
        let entry = self.saved_entry(id)?;
        let mut item = self.load_item(&entry)?;
        item.entry = entry.clone();
        item.entry.state = State::Saved;
        if change(&mut item)? {
            self.store
                .set(&id.to_string(), &entry.keyring_label(), &item.encode())?;
        }
        Ok(())
    }
}
