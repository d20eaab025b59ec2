//! Protects: a data folder whose secrets are in the encrypted file store
//! (issue 20) opens in the window on an unlock screen — no codes until the
//! file's password is typed, a wrong password is said in words and can be
//! typed again, the right one shows every code (the key derivation runs on
//! the worker) — and the password typed is not kept by the window. Where no
//! keyring answers, the keyring screen offers an encrypted file instead, and
//! refuses while accounts are saved in the keyring. With the window lock on,
//! locking closes the file: only its password opens it again (issue 20).
//! A `store use` while the window runs takes the window to the new store.
//! Driven through AccessKit labels; no keyring is involved at all.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ninsho::otp::parse_uri;
use ninsho::ui::app::PasswordSlot;
use ninsho::ui::{App, MemoryClipboard, Services, Settings, worker};
use ninsho::vault::choice::{self, StoreKind};
use ninsho::vault::file_store::FileStore;
use ninsho::vault::{MemoryStore, StoreError, Vault};

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const GITLAB: &str = "otpauth://totp/GitLab:bob?secret=GEZDGNBVGY3TQOJQ&issuer=GitLab";
const PASSWORD: &str = "file store pw";
/// Only against a hang: scrypt in a debug build on a busy machine is slow.
const HANG_GUARD: Duration = Duration::from_secs(120);
const NOW: f64 = 1_700_000_010.0;

/// A data folder that keeps its two accounts in the file store.
fn folder_with_file_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::create(&choice::file_path(dir.path()), PASSWORD).unwrap();
    let accounts = [GITHUB, GITLAB]
        .iter()
        .map(|u| parse_uri(u).unwrap().account)
        .collect();
    Vault::open(dir.path(), store)
        .unwrap()
        .add(accounts, &mut |_, _| {})
        .unwrap();
    choice::choose(dir.path(), StoreKind::File).unwrap();
    dir
}

struct Rig {
    harness: Harness<'static, App>,
    slot: PasswordSlot,
}

fn window(dir: &Path) -> Rig {
    window_with(dir, Settings::default())
}

fn window_with(dir: &Path, settings: Settings) -> Rig {
    // No keyring at all: the file store needs none.
    let keyring: worker::Connect = Arc::new(|| {
        Err(StoreError::Unavailable {
            detail: "no D-Bus session bus to reach the Secret Service".into(),
        })
    });
    window_over(dir, keyring, settings)
}

/// A window whose keyring is `keyring`.
fn window_over(dir: &Path, keyring: worker::Connect, settings: Settings) -> Rig {
    let slot = PasswordSlot::default();
    let connect = ninsho::ui::store_connect_with(dir.to_path_buf(), slot.clone(), keyring);
    let services = Services::new(Arc::new(|| NOW), Box::new(MemoryClipboard::default()));
    let mut app = App::new(
        worker::spawn(dir.to_path_buf(), connect),
        services,
        settings,
    );
    app.set_store(dir.to_path_buf(), slot.clone());
    let harness = Harness::builder()
        .with_size(egui::vec2(480.0, 640.0))
        .build_ui_state(
            |ui, app: &mut App| {
                app.tick(ui.ctx());
                app.show(ui);
            },
            app,
        );
    Rig { harness, slot }
}

impl Rig {
    fn has_text(&self, text: &str) -> bool {
        self.harness
            .query_all_by_label_contains(text)
            .next()
            .is_some()
    }

    fn wait_for_text(&mut self, text: &str) {
        let guard = Instant::now() + HANG_GUARD;
        while Instant::now() < guard {
            self.harness.step();
            if self.has_text(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let texts: Vec<String> = self
            .harness
            .query_all_by(|_| true)
            .filter_map(|n| {
                let n = n.accesskit_node();
                n.label().or(n.value()).map(|t| format!("{t:?}"))
            })
            .collect();
        panic!(
            "no text containing \"{text}\" appeared; on screen: {}",
            texts.join(", ")
        );
    }

    fn type_password(&mut self, text: &str) {
        for typing in [false, true] {
            let field = self
                .harness
                .query_all_by(|n| {
                    n.role() == egui::Role::PasswordInput
                        && n.label().is_some_and(|l| l == "Password")
                })
                .next()
                .expect("the password field");
            if typing {
                field.type_text(text);
            } else {
                field.focus();
            }
            self.harness.run_steps(1);
        }
    }
}

/// The code as the list shows it (grouped: "123 456").
fn code(uri: &str) -> String {
    ninsho::otp::group_code(&parse_uri(uri).unwrap().account.code_at(NOW as u64))
}

#[test]
fn the_window_asks_for_the_file_password_and_then_shows_the_codes() {
    let dir = folder_with_file_store();
    let mut r = window(dir.path());
    r.wait_for_text("Unlock your accounts");
    assert!(r.has_text(choice::file_path(dir.path()).to_str().unwrap()));
    assert!(!r.has_text(&code(GITHUB)), "no code before the unlock");
    // Nothing typed: nothing to send.
    assert!(
        r.harness
            .get_by_label("Unlock")
            .accesskit_node()
            .is_disabled()
    );

    r.type_password("not the password");
    r.harness.get_by_label("Unlock").click();
    r.harness.run_steps(1);
    r.wait_for_text("wrong password");
    assert!(r.has_text("Unlock your accounts"));
    assert!(!r.has_text(&code(GITHUB)));

    // Enter unlocks too.
    r.type_password(PASSWORD);
    r.harness.key_press(egui::Key::Enter);
    r.wait_for_text("Copy code for GitHub (alice)");
    for uri in [GITHUB, GITLAB] {
        r.wait_for_text(&code(uri));
    }
    assert!(!r.has_text("Unlock your accounts"));
    assert!(
        r.slot.lock().unwrap().is_none(),
        "the password was taken by the store, not kept"
    );
}

impl Rig {
    fn type_into(&mut self, name: &'static str, text: &str) {
        for typing in [false, true] {
            let field = self
                .harness
                .query_all_by(|n| {
                    n.role() == egui::Role::PasswordInput && n.label().is_some_and(|l| l == name)
                })
                .next()
                .unwrap_or_else(|| panic!("no field {name}"));
            if typing {
                field.type_text(text);
            } else {
                field.focus();
            }
            self.harness.run_steps(1);
            if !typing {
                // Whatever was typed before is replaced.
                self.harness
                    .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
            }
        }
    }

    fn click(&mut self, label: &str) {
        self.harness.get_by_label(label).hover();
        self.harness.run_steps(1);
        self.harness.get_by_label(label).click();
        self.harness.run_steps(2);
    }
}

#[test]
fn without_a_keyring_a_new_folder_can_keep_its_secrets_in_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = window(dir.path());
    r.wait_for_text("Your keyring is not available");
    r.click("Use an encrypted file instead…");
    r.type_into("Password", PASSWORD);
    r.type_into("Repeat password", "something else");
    assert!(r.has_text("do not match"), "a mismatch is said");
    assert!(
        r.harness
            .get_by_label("Use the encrypted file")
            .accesskit_node()
            .is_disabled()
    );
    r.type_into("Repeat password", PASSWORD);
    assert!(!r.has_text("do not match"));
    r.click("Use the encrypted file");
    // The list, empty, once the file is made and opened.
    let guard = Instant::now() + HANG_GUARD;
    while r.has_text("Your keyring is not available") || r.has_text("Unlock your accounts") {
        assert!(Instant::now() < guard, "the file store never opened");
        r.harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(choice::chosen(dir.path()).unwrap(), StoreKind::File);
    let path = choice::file_path(dir.path());
    let store = FileStore::open(&path, PASSWORD).expect("the file opens with the password");
    // An account added beside the window (as the CLI would) shows with its
    // code, also when it is added while the window is still deriving the
    // file's key (the window's first read once took the file's size and time
    // after reading it, and missed this write for good).
    Vault::open(dir.path(), store)
        .unwrap()
        .add(vec![parse_uri(GITHUB).unwrap().account], &mut |_, _| {})
        .unwrap();
    r.wait_for_text(&code(GITHUB));
    assert!(
        r.slot.lock().unwrap().is_none(),
        "the password was not kept"
    );
}

#[test]
fn the_offer_is_refused_while_accounts_are_saved_in_the_keyring() {
    let dir = tempfile::tempdir().unwrap();
    Vault::open(dir.path(), MemoryStore::new())
        .unwrap()
        .add(vec![parse_uri(GITHUB).unwrap().account], &mut |_, _| {})
        .unwrap();
    let mut r = window(dir.path());
    r.wait_for_text("Your keyring is not available");
    r.click("Use an encrypted file instead…");
    r.type_into("Password", PASSWORD);
    r.type_into("Repeat password", PASSWORD);
    r.click("Use the encrypted file");
    r.wait_for_text("accounts are already saved with their secrets in the keyring");
    assert_eq!(choice::chosen(dir.path()).unwrap(), StoreKind::Keyring);
    assert!(!choice::file_path(dir.path()).exists(), "nothing was made");
}

#[test]
fn locking_closes_the_file_and_only_its_password_opens_it_again() {
    let dir = folder_with_file_store();
    let mut settings = Settings::default();
    settings.lock.mode = ninsho::lock::LockMode::Password;
    let mut r = window_with(dir.path(), settings);
    r.wait_for_text("Unlock your accounts");
    r.type_password(PASSWORD);
    r.harness.key_press(egui::Key::Enter);
    r.wait_for_text(&code(GITHUB));

    r.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    r.wait_for_text("Unlock your accounts");
    assert!(r.harness.state().is_locked());
    assert!(!r.has_text(&code(GITHUB)), "no code once locked");
    assert!(!r.has_text("GitHub"), "no name once locked");
    // The file was let go: a wrong password does not open it.
    r.type_password("not the password");
    r.harness.key_press(egui::Key::Enter);
    r.wait_for_text("wrong password");
    assert!(!r.has_text(&code(GITHUB)));
    r.type_password(PASSWORD);
    r.harness.key_press(egui::Key::Enter);
    for uri in [GITHUB, GITLAB] {
        r.wait_for_text(&code(uri));
    }
    assert!(!r.harness.state().is_locked());
}

#[test]
fn a_store_switched_while_the_window_runs_is_followed_there() {
    let dir = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryStore::new());
    let accounts = [GITHUB, GITLAB]
        .iter()
        .map(|u| parse_uri(u).unwrap().account)
        .collect();
    Vault::open(dir.path(), keyring.clone())
        .unwrap()
        .add(accounts, &mut |_, _| {})
        .unwrap();
    let connect: worker::Connect = {
        let keyring = keyring.clone();
        Arc::new(move || Ok(Box::new(keyring.clone()) as Box<dyn ninsho::vault::SecretStore>))
    };
    let mut r = window_over(dir.path(), connect, Settings::default());
    r.wait_for_text(&code(GITHUB));

    // What `ninsho store use file` does, beside the window.
    let file = FileStore::create(&choice::file_path(dir.path()), PASSWORD).unwrap();
    choice::migrate(
        dir.path(),
        &*keyring,
        &file,
        StoreKind::File,
        &mut |_, _| {},
    )
    .unwrap();
    drop(file);
    assert!(keyring.is_empty(), "the move emptied the keyring");
    r.wait_for_text("Unlock your accounts");
    assert!(!r.has_text(&code(GITHUB)), "no code until the file is open");
    r.type_password(PASSWORD);
    r.harness.key_press(egui::Key::Enter);
    for uri in [GITHUB, GITLAB] {
        r.wait_for_text(&code(uri));
    }
    assert!(r.has_text("moved to another store"), "the switch is told");
    assert!(keyring.is_empty(), "nothing went back to the keyring");
}
