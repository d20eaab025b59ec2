//! Recovery codes: the one-time backup codes a service hands out with 2FA.
//!
//! They are as sensitive as the secret, so they live in the same keyring item
//! (`Item::recovery_codes`) and never in the metadata file. Codes are compared
//! ignoring case, spaces and dashes ("ab12-cd34" is "AB12CD34"), because
//! services print them grouped and people type them back however they like;
//! they are stored as the service printed them.
//!
//! Pastes are read the way services show codes ([`read_codes`]): one code per
//! line, a code may hold single spaces or dashes ("8193 4421", "a1b2c-3d4e5");
//! codes side by side on one line are split at tabs, runs of two or more
//! spaces and commas. List numbering ("1.", "1)", "(1)", "①"), bullets, blank
//! lines and headings or sentences ("Backup codes", "バックアップコード",
//! "Keep these somewhere safe.") are dropped. One guess goes beyond that: no
//! service prints a code with both a dash and a space, so single spaces
//! between dashed codes ("7f3a-91bc 2d8e-44a0") separate them. The window shows
//! what was read before saving, so a wrong guess is seen, not stored.

use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

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

/// What marking a code used (or unused) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryUse {
    /// Where the code is in `codes`.
    pub index: usize,
    /// It was marked so already: nothing changed.
    pub unchanged: bool,
    pub codes: Vec<RecoveryCode>,
}

/// What deleting a code did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryRemove {
    /// The code as it was stored.
    pub removed: RecoveryCode,
    /// The account's codes left.
    pub codes: Vec<RecoveryCode>,
}

/// Unused codes among `codes`.
pub fn unused(codes: &[RecoveryCode]) -> usize {
    codes.iter().filter(|c| !c.used).count()
}

/// The form codes are compared in: no spaces or dashes (of any kind), plain
/// rather than full-width letters and digits, upper case.
pub fn normalize(code: &str) -> zeroize::Zeroizing<String> {
    // Sized up front (upper case is at most three times longer): a growing
    // String would free unwiped copies of the code.
    let mut out = zeroize::Zeroizing::new(String::with_capacity(code.len() * 3 + 4));
    out.extend(
        code.chars()
            .map(plain_char)
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_uppercase),
    );
    out
}

/// Undoes what web pages and Japanese input do to a character: no-break and
/// thin spaces, non-breaking hyphens and minus signs, full-width letters and
/// digits ("ＡＢ１２").
fn plain_char(c: char) -> char {
    match c {
        '\u{A0}' | '\u{2007}' | '\u{202F}' => ' ',
        '\u{2010}'..='\u{2013}' | '\u{2212}' => '-',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    }
}

/// Shorter than this (spaces and dashes aside) is list numbering or stray
/// text, not a code: the shortest codes services issue have 6–8 characters.
const MIN_CODE_CHARS: usize = 4;

/// How a paste of recovery codes was read: the codes, and the lines dropped as
/// headings or sentences (shown to the user, so a wrong guess is visible).
#[derive(Clone, Default, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct PastedCodes {
    pub codes: Vec<String>,
    pub ignored: Vec<String>,
}

impl std::fmt::Debug for PastedCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PastedCodes {{ codes: {} [redacted], ignored: {} }}",
            self.codes.len(),
            self.ignored.len()
        )
    }
}

/// Reads codes as services show them (see the module header for the rules).
pub fn read_codes(text: &str) -> PastedCodes {
    let mut read = PastedCodes::default();
    for line in text.lines().map(clean_line) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let candidates: Vec<Zeroizing<String>> = split_line(line)
            .into_iter()
            .map(|p| {
                // `join` sizes its string before copying: no growth.
                Zeroizing::new(
                    strip_marker(p)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            })
            .flat_map(|p| split_dashed(&p))
            .filter(|p| !p.is_empty())
            .collect();
        // One sentence-like piece and the whole line is prose: "Generated
        // Jan 1, 2024" must not leave "2024" behind as a code.
        if candidates.iter().any(|p| is_prose(p)) {
            read.ignored.push(line.to_string());
            continue;
        }
        read.codes.extend(
            candidates
                .iter()
                .filter(|c| normalize(c).chars().count() >= MIN_CODE_CHARS)
                .map(|c| c.to_string()),
        );
    }
    read
}

/// The codes of a paste, without the ignored lines.
pub fn split_codes(text: &str) -> Vec<String> {
    std::mem::take(&mut read_codes(text).codes)
}

/// A pasted line with [`plain_char`]s and without zero-width characters.
/// Pre-sized and wiped when dropped, like every copy of a code made here:
/// [`plain_char`] never makes a character longer, so the string never grows
/// (a growing String frees unwiped copies).
fn clean_line(line: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(line.len()));
    out.extend(
        line.chars()
            .filter(|c| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'))
            .map(plain_char),
    );
    out
}

/// Splits a line where codes sit side by side: at tabs, at runs of two or more
/// spaces (a single space may be inside a code: "8193 4421") and at commas.
fn split_line(line: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let wide_space = c == '\t' || c == '\u{3000}';
        let double_space = c == ' ' && chars.peek().is_some_and(|&(_, n)| n.is_whitespace());
        let comma = matches!(c, ',' | ';' | '、');
        if wide_space || double_space || comma {
            pieces.push(&line[start..i]);
            while let Some(&(_, n)) = chars.peek() {
                if !n.is_whitespace() {
                    break;
                }
                chars.next();
            }
            start = chars.peek().map_or(line.len(), |&(j, _)| j);
        }
    }
    pieces.push(&line[start..]);
    pieces
}

/// Drops list numbering ("1.", "1)", "(1)", "①") and bullets, as
/// often as they are stacked ("• 1. code").
fn strip_marker(piece: &str) -> &str {
    let mut rest = piece.trim();
    loop {
        let before = rest;
        let mut chars = rest.chars();
        let first = chars.next();
        let second = chars.next();
        rest = match first {
            Some(
                '•' | '·' | '・' | '‣' | '◦' | '▪' | '▫' | '■' | '□' | '●' | '○' | '◆' | '◇' | '★'
                | '☆' | '✓' | '✔' | '☐' | '☑' | '*' | '>' | '→',
            ) => &rest[first.map_or(0, char::len_utf8)..],
            // A dash bullet needs a space after it: a code never starts with one.
            Some('-' | '—') if second.is_some_and(char::is_whitespace) => {
                &rest[first.map_or(0, char::len_utf8)..]
            }
            // Circled, parenthesised and full-stop numbers (①, ⑴, ⒈, ㉑, ❶).
            Some(c) if is_enclosed_number(c) => &rest[c.len_utf8()..],
            _ => strip_numbering(rest),
        }
        .trim_start();
        if rest == before {
            return rest;
        }
    }
}

fn is_enclosed_number(c: char) -> bool {
    matches!(c, '\u{2460}'..='\u{24FF}' | '\u{2776}'..='\u{2793}' | '\u{3251}'..='\u{325F}' | '\u{32B1}'..='\u{32BF}')
}

/// "12.", "12)", "(12)", "12:"; `s` as it was when
/// it does not start with a number of one to three digits marked so.
fn strip_numbering(s: &str) -> &str {
    let open = s.starts_with('(');
    let body = if open { &s[1..] } else { s };
    let digits: usize = body.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return s;
    }
    let after = &body[digits..];
    let closers: &[char] = if open { &[')'] } else { &['.', ')', ':'] };
    match after.chars().next() {
        Some(c) if closers.contains(&c) => &after[c.len_utf8()..],
        _ => s,
    }
}

/// A heading or a sentence, not a code. Codes are letters and digits, with
/// spaces or dashes between groups; anything else (a colon, a full stop, "。",
/// an "@") is prose. So is a line without a digit that has a space, mixes
/// cases or is in another script ("Backup codes", "GitHub", "バックアップコード"),
/// one in another script with a space, and one whose words are mostly words
/// ("You have 10 codes left").
fn is_prose(piece: &str) -> bool {
    if piece
        .chars()
        .any(|c| !(c.is_alphanumeric() || c == ' ' || c == '-'))
    {
        return true;
    }
    let has_digit = piece.chars().any(|c| c.is_ascii_digit());
    let mixed_case = piece.chars().any(|c| c.is_ascii_uppercase())
        && piece.chars().any(|c| c.is_ascii_lowercase());
    let foreign = !piece.is_ascii();
    if (!has_digit && (piece.contains(' ') || mixed_case || foreign))
        || (foreign && piece.contains(' '))
    {
        return true;
    }
    let words: Vec<&str> = piece.split(' ').collect();
    let wordy = words
        .iter()
        .filter(|w| w.chars().count() >= 2 && w.chars().all(char::is_alphabetic))
        .count();
    words.len() >= 3 && wordy * 2 > words.len()
}

/// Codes side by side with single spaces: no service prints a code with both
/// dashes and spaces, so "7f3a-91bc 2d8e-44a0" is two codes, while Google's
/// "8193 4421" stays one.
fn split_dashed(piece: &str) -> Vec<Zeroizing<String>> {
    let copy = |s: &str| Zeroizing::new(s.to_string());
    if piece.contains(' ') && piece.split(' ').any(|w| w.contains('-')) {
        piece.split(' ').map(copy).collect()
    } else {
        vec![copy(piece)]
    }
}

/// Where `code` is among the item's codes, compared as [`normalize`] does.
fn position(item: &Item, code: &str) -> Result<usize, VaultError> {
    let key = normalize(code);
    item.recovery_codes
        .iter()
        .position(|c| !key.is_empty() && normalize(&c.code) == key)
        .ok_or_else(|| VaultError::UnknownRecoveryCode {
            account: item.entry.display_name(),
            code: code.chars().take(MAX_CODE_CHARS).collect(),
        })
}

fn check_code(code: &str) -> Result<(), VaultError> {
    let shown: String = code.chars().take(24).collect();
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(VaultError::BadRecoveryCode(crate::t!(
            "err-recovery-code-too-long",
            code = shown,
            limit = MAX_CODE_CHARS
        )));
    }
    if normalize(code).is_empty() || code.chars().any(char::is_control) {
        return Err(VaultError::BadRecoveryCode(crate::t!(
            "err-not-recovery-code",
            code = shown.escape_debug().to_string()
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
                return Err(VaultError::BadRecoveryCode(crate::t!(
                    "err-too-many-recovery-codes",
                    limit = MAX_CODES
                )));
            }
            report.codes = item.recovery_codes.clone();
            Ok(report.added > 0)
        })?;
        Ok(report)
    }

    /// Marks one of the account's codes used. A code it does not have is an error.
    pub fn use_recovery_code(&mut self, id: Uuid, code: &str) -> Result<RecoveryUse, VaultError> {
        self.mark_recovery_code(id, code, true)
    }

    /// Undoes [`Vault::use_recovery_code`]: the code counts as unused again.
    pub fn unuse_recovery_code(&mut self, id: Uuid, code: &str) -> Result<RecoveryUse, VaultError> {
        self.mark_recovery_code(id, code, false)
    }

    fn mark_recovery_code(
        &mut self,
        id: Uuid,
        code: &str,
        used: bool,
    ) -> Result<RecoveryUse, VaultError> {
        let mut outcome = None;
        self.update_item(id, |item| {
            let index = position(item, code)?;
            let unchanged = std::mem::replace(&mut item.recovery_codes[index].used, used) == used;
            outcome = Some(RecoveryUse {
                index,
                unchanged,
                codes: item.recovery_codes.clone(),
            });
            Ok(!unchanged)
        })?;
        Ok(outcome.expect("set when the closure succeeds"))
    }

    /// Deletes one of the account's codes (typed in wrong, or one the service
    /// has revoked). A code it does not have is an error.
    pub fn remove_recovery_code(
        &mut self,
        id: Uuid,
        code: &str,
    ) -> Result<RecoveryRemove, VaultError> {
        let mut outcome = None;
        self.update_item(id, |item| {
            let index = position(item, code)?;
            outcome = Some(RecoveryRemove {
                removed: item.recovery_codes.remove(index),
                codes: item.recovery_codes.clone(),
            });
            Ok(true)
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
            self.set_item(&id.to_string(), &entry.keyring_label(), &item.encode())?;
        }
        Ok(())
    }
}
