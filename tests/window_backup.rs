//! Protects: the window's recovery codes and Backup menu as a person uses them —
//! a paste is shown as read before it is saved, "Mark used" can be undone, a
//! code can be deleted after a confirmation, the encrypted (Aegis) export asks
//! for its password twice, and the sheet, the transfer codes and the export
//! take only the accounts ticked in the checklist. Driven through AccessKit
//! labels with an in-memory keyring, clipboard and save dialog.
//!
//! (A file of its own beside tests/window.rs, with a smaller rig: the window
//! tests there are changing under other work at the same time.)

mod common;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ninsho::otp::parse_uri;
use ninsho::ui::worker;
use ninsho::ui::{App, MemoryClipboard, Services, Settings};
use ninsho::vault::{MemoryStore, SecretStore, Vault};

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const GITLAB: &str = "otpauth://totp/GitLab:bob?secret=GEZDGNBVGY3TQOJQ&issuer=GitLab";

struct Rig {
    harness: Harness<'static, App>,
    store: Arc<MemoryStore>,
    data: tempfile::TempDir,
    /// Where the save dialog answers the next time it is asked, and what it was asked.
    saves: Arc<Mutex<(Option<PathBuf>, Vec<String>)>>,
}

fn rig(accounts: &[&str]) -> Rig {
    let data = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::new());
    let mut v = Vault::open(data.path(), store.clone()).unwrap();
    let parsed = accounts
        .iter()
        .map(|u| parse_uri(u).unwrap().account)
        .collect();
    v.add(parsed, &mut |_, _| {}).unwrap();
    let connect: worker::Connect = {
        let store = store.clone();
        Arc::new(move || Ok(Box::new(store.clone()) as Box<dyn SecretStore>))
    };
    let mut services = Services::new(
        Arc::new(|| 1_700_000_010.0),
        Box::new(MemoryClipboard::default()),
    );
    // The canned save dialog stands in for the desktop's: it has one.
    services.system_chooser = Arc::new(|| Ok(()));
    let mut app = App::new(
        worker::spawn(data.path().to_path_buf(), connect),
        services,
        Settings::default(),
    );
    let saves: Arc<Mutex<(Option<PathBuf>, Vec<String>)>> = Arc::default();
    {
        let saves = saves.clone();
        app.set_backup_seams(
            Arc::new(move |name| {
                let mut s = saves.lock().unwrap();
                s.1.push(name.to_string());
                s.0.take()
            }),
            ninsho::ui::app::Opener(Arc::new(|_| Ok(()))),
        );
    }
    let harness = Harness::builder()
        .with_size(egui::vec2(440.0, 720.0))
        .build_ui_state(
            |ui, app: &mut App| {
                app.tick(ui.ctx());
                app.show(ui);
            },
            app,
        );
    let mut r = Rig {
        harness,
        store,
        data,
        saves,
    };
    r.wait_for_text("Copy code for");
    // Every secret read, so the transfer codes see every account.
    let guard = std::time::Instant::now() + HANG_GUARD;
    while r.has_text("Reading secrets") {
        assert!(
            std::time::Instant::now() < guard,
            "secrets never finished loading"
        );
        r.harness.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    r
}

/// Only against a hang: the waits below end when the worker answers, which
/// on a busy machine can take far longer than on an idle one.
const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(120);

impl Rig {
    fn has_text(&self, text: &str) -> bool {
        self.harness
            .query_all_by_label_contains(text)
            .next()
            .is_some()
    }

    /// Steps frames until some label contains `text` (the worker answers asynchronously).
    fn wait_for_text(&mut self, text: &str) {
        let guard = std::time::Instant::now() + HANG_GUARD;
        while std::time::Instant::now() < guard {
            self.harness.step();
            if self.has_text(text) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("no text containing \"{text}\" appeared");
    }

    /// Points at the `nth` widget labelled `label`, then clicks it, as a mouse does.
    fn click_nth(&mut self, label: &str, nth: usize) {
        let node = || {
            self.harness
                .query_all_by_label(label)
                .nth(nth)
                .unwrap_or_else(|| panic!("no \"{label}\" #{nth}"))
        };
        node().hover();
        self.harness.run_steps(1);
        let node = self
            .harness
            .query_all_by_label(label)
            .nth(nth)
            .unwrap_or_else(|| panic!("no \"{label}\" #{nth}"));
        node.click();
        self.harness.run_steps(2);
    }

    fn click(&mut self, label: &str) {
        self.click_nth(label, 0);
    }

    fn enabled(&self, label: &str) -> bool {
        !self
            .harness
            .get_by_label(label)
            .accesskit_node()
            .is_disabled()
    }

    /// Types into the `index`-th text field on screen, in reading order.
    fn type_into_field(&mut self, index: usize, text: &str) {
        for typing in [false, true] {
            let field = self
                .harness
                .query_all_by(|n| {
                    matches!(
                        n.role(),
                        egui::Role::TextInput
                            | egui::Role::PasswordInput
                            | egui::Role::MultilineTextInput
                    )
                })
                .nth(index)
                .unwrap_or_else(|| panic!("no text field #{index}"));
            if typing {
                field.type_text(text);
            } else {
                field.focus();
            }
            self.harness.run_steps(1);
        }
    }

    /// Characters in the password fields on screen (as a screen reader counts them).
    fn typed_password_chars(&self) -> usize {
        self.harness
            .query_all_by(|n| n.role() == egui::Role::PasswordInput)
            .map(|n| {
                n.accesskit_node()
                    .value()
                    .unwrap_or_default()
                    .chars()
                    .count()
            })
            .sum()
    }

    /// The first account's recovery codes: (code, used).
    fn stored_codes(&self) -> Vec<(String, bool)> {
        let vault = Vault::open(self.data.path(), self.store.clone()).unwrap();
        let id = vault.entries().next().unwrap().id;
        vault
            .recovery_codes(id)
            .unwrap()
            .iter()
            .map(|c| (c.code.clone(), c.used))
            .collect()
    }

    fn open_recovery_codes(&mut self, account: &str) {
        self.click(&format!("Copy code for {account}"));
        self.click("More");
        self.click("Recovery codes");
        self.wait_for_text("No recovery codes saved yet");
    }

    fn answer_save_dialog_with(&self, path: PathBuf) {
        self.saves.lock().unwrap().0 = Some(path);
    }
}

/// Google's printable page, as copied: heading, numbered codes in two columns.
const GOOGLE_PAGE: &str = "Backup codes\n1. 8193 4421\t3. 4478 2209\n2. 2390 5817\t4. 3316 8845\n";

#[test]
fn a_paste_is_shown_as_read_before_it_is_saved() {
    let mut r = rig(&[GITHUB]);
    r.open_recovery_codes("GitHub (alice)");
    r.type_into_field(0, GOOGLE_PAGE);
    r.wait_for_text("4 codes: 8193 4421, 4478 2209, 2390 5817, 3316 8845");
    assert!(r.has_text("Left out (not codes): Backup codes"));
    assert!(r.stored_codes().is_empty(), "nothing saved before Save");
    r.click("Save codes");
    r.wait_for_text("4 of 4 unused");
    let stored: Vec<String> = r.stored_codes().into_iter().map(|(c, _)| c).collect();
    assert_eq!(stored, ["8193 4421", "4478 2209", "2390 5817", "3316 8845"]);
    assert!(!r.has_text("4 codes:"), "the preview goes with the paste");

    // A paste with no code in it is said to be so, and cannot be saved.
    r.type_into_field(0, "Backup codes\n");
    r.wait_for_text("No codes found in the paste");
    assert!(!r.enabled("Save codes"));
}

#[test]
fn mark_used_can_be_undone_and_a_code_deleted() {
    let mut r = rig(&[GITHUB]);
    r.open_recovery_codes("GitHub (alice)");
    r.type_into_field(0, "8193 4421\n2390 5817\n6645 0923\n");
    r.click("Save codes");
    r.wait_for_text("3 of 3 unused");

    r.click_nth("Mark used", 0);
    r.wait_for_text("2 of 3 unused");
    assert!(r.stored_codes()[0].1);
    r.click("Mark unused");
    r.wait_for_text("3 of 3 unused");
    assert!(r.stored_codes().iter().all(|(_, used)| !used));

    // Delete asks first; "Keep it" keeps it.
    r.click_nth("Delete", 1);
    assert!(r.has_text("Delete 2390 5817?"));
    r.click("Keep it");
    assert!(!r.has_text("Delete 2390 5817?"));
    assert_eq!(r.stored_codes().len(), 3);
    r.click_nth("Delete", 1);
    r.click("Delete code");
    r.wait_for_text("2 of 2 unused");
    let left: Vec<String> = r.stored_codes().into_iter().map(|(c, _)| c).collect();
    assert_eq!(left, ["8193 4421", "6645 0923"]);
    assert!(r.has_text("Deleted the code"));
}

#[test]
fn encrypted_export_asks_for_the_password_twice_and_writes_an_aegis_vault() {
    let mut r = rig(&[GITHUB, GITLAB]);
    let out = tempfile::tempdir().unwrap();
    r.click("Backup");
    r.click("Export encrypted backup…");
    r.type_into_field(0, "correct horse");
    assert_eq!(r.typed_password_chars(), 13);
    r.type_into_field(1, "correct hose");
    assert!(r.has_text("The passwords do not match"));
    assert!(!r.enabled("Export…"));
    // Retyped: the field is cleared first by selecting all of it.
    let repeat = r
        .harness
        .query_all_by(|n| n.role() == egui::Role::PasswordInput)
        .nth(1)
        .unwrap();
    repeat.focus();
    r.harness.run_steps(1);
    r.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    r.harness.key_press(egui::Key::Backspace);
    r.harness.run_steps(1);
    r.type_into_field(1, "correct horse");
    assert!(!r.has_text("The passwords do not match"));
    assert!(r.enabled("Export…"));

    r.answer_save_dialog_with(out.path().join("backup"));
    r.click("Export…");
    r.wait_for_text("Exported 2 accounts to");
    assert_eq!(r.saves.lock().unwrap().1, ["ninsho-backup.json"]);
    let file = out.path().join("backup.json");
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        !String::from_utf8_lossy(&bytes).contains("JBSWY3DPEHPK3PXP"),
        "the secret is not in the clear"
    );
    let format = ninsho::formats::detect(&bytes).unwrap();
    let found = format.read(&bytes, Some("correct horse")).unwrap();
    let mut names: Vec<String> = found.accounts.iter().map(|a| a.display_name()).collect();
    names.sort();
    assert_eq!(names, ["GitHub (alice)", "GitLab (bob)"]);
    assert_eq!(
        found.accounts[0].secret.to_base32().as_str(),
        "JBSWY3DPEHPK3PXP"
    );
    // The password fields are emptied once the export is on its way.
    assert!(r.harness.query_by_label("Export…").is_none());
    r.click("Export encrypted backup…");
    assert_eq!(r.typed_password_chars(), 0);

    // Typed, then the screen left: the prompt comes back empty.
    r.type_into_field(0, "half typed");
    r.click("Done");
    r.click("Backup");
    assert!(
        r.harness.query_by_label("Export…").is_none(),
        "prompt closed"
    );
    r.click("Export encrypted backup…");
    assert_eq!(r.typed_password_chars(), 0);
}

#[test]
fn only_the_ticked_accounts_go_into_transfer_codes_sheet_and_export() {
    let mut r = rig(&[GITHUB, GITLAB]);
    r.click("Backup");
    assert!(r.has_text("all 2"));
    r.click("None");
    assert!(r.has_text("0 of 2"));
    for action in [
        "Print recovery sheet…",
        "Transfer codes for Google Authenticator",
        "Export encrypted backup…",
    ] {
        assert!(!r.enabled(action), "{action} with no account chosen");
    }
    r.click("GitLab (bob)");
    assert!(r.has_text("1 of 2"));

    r.click("Transfer codes for Google Authenticator");
    assert!(r.has_text("Code 1 of 1 (1 account)"));
    r.harness.run_steps(2);
    let image = r.harness.render().unwrap();
    let scanned = ninsho::scan::scan_rgba(image.width(), image.height(), image.as_raw());
    let names: Vec<String> = scanned.accounts.iter().map(|a| a.display_name()).collect();
    assert_eq!(names, ["GitLab (bob)"]);
    r.click("Done");

    // The choice holds for the export too, and is kept while the window is open.
    r.click("Backup");
    assert!(r.has_text("1 of 2"));
    let out = tempfile::tempdir().unwrap();
    r.click("Export encrypted backup…");
    r.type_into_field(0, "pw");
    r.type_into_field(1, "pw");
    r.answer_save_dialog_with(out.path().join("one.json"));
    r.click("Export…");
    r.wait_for_text("Exported 1 account to");
    let bytes = std::fs::read(out.path().join("one.json")).unwrap();
    let found = ninsho::formats::detect(&bytes)
        .unwrap()
        .read(&bytes, Some("pw"))
        .unwrap();
    assert_eq!(found.accounts.len(), 1);
    assert_eq!(found.accounts[0].display_name(), "GitLab (bob)");

    // And for the sheet: its text names GitLab only.
    let sheet = out.path().join("sheet.pdf");
    r.answer_save_dialog_with(sheet.clone());
    r.click("Print recovery sheet…");
    r.wait_for_text("Saved the recovery sheet to");
    assert!(std::fs::read(&sheet).unwrap().starts_with(b"%PDF-"));
    if common::have_tool("pdftotext") {
        let text = std::process::Command::new("pdftotext")
            .arg(&sheet)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains("GitLab") && !text.contains("GitHub"),
            "{text}"
        );
    }

    r.click("All");
    assert!(r.has_text("all 2"));
}
