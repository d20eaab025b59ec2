//! Protects: following another device in the window (issue 19) as a person
//! meets it — a banner says what changed in a followed backup, "Review…" lists
//! the new and changed accounts ticked and the removed ones unticked, only the
//! ticked changes are applied, a backup cut short never shows (or removes)
//! anything, and a backup that arrives while the window is open brings the
//! banner without a restart. Driven through AccessKit labels with an in-memory
//! keyring; the other device is a second data folder backing up as "phone".
//! The banner and the review work from the keyboard too.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ninsho::follow::{self, Choice, Status};
use ninsho::otp::parse_uri;
use ninsho::ui::worker;
use ninsho::ui::{App, MemoryClipboard, Services, Settings};
use ninsho::vault::{MemoryStore, SecretStore, StoreError, Vault};
use zeroize::Zeroizing;

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const GITLAB: &str = "otpauth://totp/GitLab:bob?secret=GEZDGNBVGY3TQOJQ&issuer=GitLab";
const MAIL: &str = "otpauth://totp/Mail:carol?secret=KRUGS4ZANFZSAYJA&issuer=Mail";
const STEAM: &str = "otpauth://totp/Steam:gamer?secret=MFRGGZDFMZTWQ2LK&issuer=Steam";
const BANK: &str = "otpauth://totp/Bank:dave?secret=ORSXG5DJNZTXEZLF&issuer=Bank";

const PASSWORD: &str = "correct horse";
/// Backup times of the other device (its file names carry them).
const T: u64 = 1_780_000_000;

/// Only against a hang: the waits end when the worker answers, which on a
/// busy machine (key derivation in a debug build) can take a while.
const HANG_GUARD: Duration = Duration::from_secs(120);

fn accounts(uris: &[&str]) -> Vec<ninsho::otp::OtpAccount> {
    uris.iter().map(|u| parse_uri(u).unwrap().account).collect()
}

/// Another device backing up automatically into a (synced) folder.
struct Device {
    data: tempfile::TempDir,
    store: Arc<MemoryStore>,
    host: &'static str,
}

impl Device {
    fn new(host: &'static str, folder: &Path, uris: &[&str]) -> Device {
        let d = Device {
            data: tempfile::tempdir().unwrap(),
            store: Arc::new(MemoryStore::new()),
            host,
        };
        d.vault().add(accounts(uris), &mut |_, _| {}).unwrap();
        ninsho::autobackup::turn_on(d.data.path(), &d.store, folder, PASSWORD, 20).unwrap();
        d
    }

    fn vault(&self) -> Vault<Arc<MemoryStore>> {
        Vault::open(self.data.path(), self.store.clone()).unwrap()
    }

    fn back_up(&self, at: u64) -> PathBuf {
        ninsho::autobackup::run(&self.vault(), at, self.host)
            .unwrap()
            .path
    }

    fn remove(&self, name: &str) {
        let mut v = self.vault();
        let id = v.entries().find(|e| e.name == name).unwrap().id;
        v.remove(id).unwrap();
    }

    fn rename(&self, name: &str, to: &str) {
        let mut v = self.vault();
        let e = v.entries().find(|e| e.name == name).unwrap().clone();
        v.edit(e.id, &e.issuer, to, &e.group).unwrap();
    }
}

/// This desktop: its data folder and keyring, following `folders`.
struct Desktop {
    data: tempfile::TempDir,
    store: Arc<MemoryStore>,
}

impl Desktop {
    fn new(uris: &[&str], folders: &[&Path], password: &str) -> Desktop {
        let d = Desktop {
            data: tempfile::tempdir().unwrap(),
            store: Arc::new(MemoryStore::new()),
        };
        d.vault().add(accounts(uris), &mut |_, _| {}).unwrap();
        for f in folders {
            follow::add(d.data.path(), &d.store, f, None, password).unwrap();
        }
        d
    }

    fn vault(&self) -> Vault<Arc<MemoryStore>> {
        Vault::open(self.data.path(), self.store.clone()).unwrap()
    }

    /// Automatic backups into `folder`, as this computer.
    fn back_up_to(&self, folder: &Path) {
        ninsho::autobackup::turn_on(self.data.path(), &self.store, folder, PASSWORD, 20).unwrap();
    }

    /// Applies everything a source offers now (removals too), as
    /// `ninsho follow apply --yes --with-removals` would.
    fn apply_all(&self) {
        let mut vault = self.vault();
        let key = follow::key(&self.store).unwrap();
        for source in follow::load(self.data.path()).unwrap().sources {
            match follow::check(&vault, &key, &source, &ninsho::autobackup::host()) {
                Status::Review(r) => {
                    follow::apply(&mut vault, &r, &Choice::all(&r, true), T, &mut |_, _| {})
                        .unwrap();
                }
                Status::NoFile => {}
                _ => panic!("the source cannot be read"),
            }
        }
    }

    /// Sorted display names of the accounts here.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.vault().entries().map(|e| e.display_name()).collect();
        names.sort();
        names
    }
}

/// The desktop's keyring as the window sees it, counting how often a
/// followed source's password is read: once per time its backup is decrypted.
struct Counting {
    store: Arc<MemoryStore>,
    password_reads: Arc<AtomicUsize>,
}

impl SecretStore for Counting {
    fn set(&self, id: &str, label: &str, value: &[u8]) -> Result<(), StoreError> {
        self.store.set(id, label, value)
    }
    fn get(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        if id.starts_with("ninsho-follow-password-") {
            self.password_reads.fetch_add(1, Ordering::SeqCst);
        }
        self.store.get(id)
    }
    fn delete(&self, id: &str) -> Result<bool, StoreError> {
        self.store.delete(id)
    }
    fn ids(&self) -> Result<Vec<String>, StoreError> {
        self.store.ids()
    }
}

struct Rig {
    harness: Harness<'static, App>,
    /// How often the window's worker read a followed backup in full.
    password_reads: Arc<AtomicUsize>,
}

fn window(desktop: &Desktop) -> Rig {
    let password_reads = Arc::new(AtomicUsize::new(0));
    let connect: worker::Connect = {
        let store = desktop.store.clone();
        let password_reads = password_reads.clone();
        Arc::new(move || {
            Ok(Box::new(Counting {
                store: store.clone(),
                password_reads: password_reads.clone(),
            }) as Box<dyn SecretStore>)
        })
    };
    let mut services = Services::new(
        Arc::new(|| 1_700_000_010.0),
        Box::new(MemoryClipboard::default()),
    );
    // The desktop's folder chooser is there (the test answers for it).
    services.system_chooser = Arc::new(|| Ok(()));
    let app = App::new(
        worker::spawn(desktop.data.path().to_path_buf(), connect),
        services,
        Settings::default(),
    );
    let harness = Harness::builder()
        .with_size(egui::vec2(520.0, 720.0))
        .build_ui_state(
            |ui, app: &mut App| {
                app.tick(ui.ctx());
                app.show(ui);
            },
            app,
        );
    Rig {
        harness,
        password_reads,
    }
}

impl Rig {
    fn has_text(&self, text: &str) -> bool {
        self.harness
            .query_all_by_label_contains(text)
            .next()
            .is_some()
    }

    /// Steps frames until some label contains `text` (the worker answers
    /// asynchronously; the guard only ends a hang).
    fn wait_for_text(&mut self, text: &str) {
        let guard = Instant::now() + HANG_GUARD;
        while Instant::now() < guard {
            self.harness.step();
            if self.has_text(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("no text containing \"{text}\" appeared");
    }

    /// Points at the widget labelled `label`, then clicks it, as a mouse does.
    fn click(&mut self, label: &str) {
        self.harness.get_by_label(label).hover();
        self.harness.run_steps(1);
        self.harness.get_by_label(label).click();
        self.harness.run_steps(2);
    }

    fn enabled(&self, label: &str) -> bool {
        !self
            .harness
            .get_by_label(label)
            .accesskit_node()
            .is_disabled()
    }

    /// The checkboxes on screen: (label, ticked).
    fn checkboxes(&self) -> Vec<(String, bool)> {
        self.harness
            .query_all_by(|n| n.role() == egui::Role::CheckBox)
            .map(|n| {
                let node = n.accesskit_node();
                (
                    node.label().unwrap_or_default(),
                    node.toggled() == Some(egui::accesskit::Toggled::True),
                )
            })
            .collect()
    }

    /// Whether the checkbox whose label starts with `start` is ticked.
    fn ticked(&self, start: &str) -> bool {
        let boxes = self.checkboxes();
        boxes
            .iter()
            .find(|(l, _)| l.starts_with(start))
            .unwrap_or_else(|| panic!("no checkbox \"{start}…\" in {boxes:?}"))
            .1
    }

    fn tick(&mut self, start: &str) {
        let label = self
            .checkboxes()
            .into_iter()
            .find(|(l, _)| l.starts_with(start))
            .unwrap_or_else(|| panic!("no checkbox \"{start}…\""))
            .0;
        self.click(&label);
    }
}

fn synced_folder(root: &tempfile::TempDir, name: &str) -> PathBuf {
    let folder = root.path().join(name);
    std::fs::create_dir(&folder).unwrap();
    folder
}

#[test]
fn new_accounts_in_a_followed_backup_are_offered_ticked_and_added() {
    let root = tempfile::tempdir().unwrap();
    let folder = synced_folder(&root, "Phone backups");
    let phone = Device::new("phone", &folder, &[GITHUB, GITLAB, MAIL]);
    phone.back_up(T);
    let desktop = Desktop::new(&[STEAM], &[&folder], PASSWORD);
    // Both devices back up into the one synced folder.
    desktop.back_up_to(&folder);

    let mut r = window(&desktop);
    r.wait_for_text("The backup in Phone backups has 3 new accounts");
    assert!(r.has("Later"));
    r.click("Review…");
    assert!(r.has_text("New there"));
    let boxes = r.checkboxes();
    assert_eq!(boxes.len(), 3, "{boxes:?}");
    for name in ["GitHub (alice)", "GitLab (bob)", "Mail (carol)"] {
        assert!(r.ticked(name), "{name} comes ticked");
    }
    // Unticked, it is not added.
    r.tick("Mail (carol)");
    assert!(!r.ticked("Mail (carol)"));
    assert!(r.has("Apply 2 changes"));
    r.click("Apply 2 changes");
    r.wait_for_text("Applied the changes from Phone backups: 2 added, 0 changed, 0 removed");
    r.wait_for_text("Copy code for GitHub (alice)");
    assert_eq!(
        desktop.names(),
        ["GitHub (alice)", "GitLab (bob)", "Steam (gamer)"]
    );
    assert!(!r.has_text("The backup in"), "the banner goes once applied");

    // Applying is a change like any other: the automatic backup takes it,
    // and this computer's own backup in the shared folder is not offered back.
    let host = ninsho::autobackup::host();
    let guard = Instant::now() + HANG_GUARD;
    let own = loop {
        r.harness.step();
        if let Some(name) = ninsho::autobackup::backups_of(&folder, &host)
            .unwrap()
            .pop()
        {
            break folder.join(name);
        }
        assert!(
            Instant::now() < guard,
            "no automatic backup after the apply"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let bytes = std::fs::read(&own).unwrap();
    let found = ninsho::formats::detect(&bytes)
        .unwrap()
        .read(&bytes, Some(PASSWORD))
        .unwrap();
    let mut names: Vec<String> = found.accounts.iter().map(|a| a.display_name()).collect();
    names.sort();
    assert_eq!(names, desktop.names());
    r.harness.run_steps(5);
    assert!(!r.has_text("The backup in"));
    // The phone's backup was decrypted once: the check after the apply (made
    // before the backup, on the same thread) found the same file and the
    // source as applied, and read nothing.
    assert_eq!(r.password_reads.load(Ordering::SeqCst), 1);
}

#[test]
fn a_removal_there_is_offered_unticked_and_removed_only_when_ticked() {
    let root = tempfile::tempdir().unwrap();
    let folder = synced_folder(&root, "Phone backups");
    let phone = Device::new("phone", &folder, &[GITHUB, GITLAB, MAIL]);
    phone.back_up(T);
    let desktop = Desktop::new(&[], &[&folder], PASSWORD);
    desktop.apply_all();
    phone.remove("carol");
    phone.rename("bob", "robert");
    phone.back_up(T + 60);

    let mut r = window(&desktop);
    r.wait_for_text("The backup in Phone backups has 1 changed account and 1 removed");
    r.click("Review…");
    assert_eq!(
        r.checkboxes(),
        [
            ("GitLab (bob) → GitLab (robert)".to_string(), true),
            ("Remove Mail (carol)".to_string(), false),
        ]
    );
    assert!(!r.has_text("Most accounts are gone"));
    r.click("Apply 1 change");
    r.wait_for_text("Applied the changes from Phone backups: 0 added, 1 changed, 0 removed");
    assert_eq!(
        desktop.names(),
        ["GitHub (alice)", "GitLab (robert)", "Mail (carol)"],
        "renamed, and nothing removed without a tick"
    );
    // The removal left unticked does not bring the banner back for this file.
    r.harness.run_steps(5);
    assert!(!r.has_text("The backup in"));

    // The next backup arrives while the window is open: the removal is
    // offered again, still unticked, beside the new account.
    phone
        .vault()
        .add(accounts(&[STEAM]), &mut |_, _| {})
        .unwrap();
    phone.back_up(T + 120);
    r.wait_for_text("The backup in Phone backups has 1 new account and 1 removed");
    // All from the keyboard this time.
    r.tab_to("Review…");
    r.harness.key_press(egui::Key::Enter);
    r.harness.run_steps(2);
    assert!(r.ticked("Steam (gamer)"));
    assert!(!r.ticked("Remove Mail (carol)"));
    r.tab_to("Remove Mail (carol)");
    r.harness.key_press(egui::Key::Space);
    r.harness.run_steps(2);
    assert!(r.ticked("Remove Mail (carol)"));
    r.click("Apply 2 changes");
    r.wait_for_text("Applied the changes from Phone backups: 1 added, 0 changed, 1 removed");
    assert_eq!(
        desktop.names(),
        ["GitHub (alice)", "GitLab (robert)", "Steam (gamer)"]
    );
}

#[test]
fn a_backup_that_lost_most_accounts_warns_and_later_hides_it_until_the_next() {
    let root = tempfile::tempdir().unwrap();
    let folder = synced_folder(&root, "Phone backups");
    let phone = Device::new("phone", &folder, &[GITHUB, GITLAB, MAIL]);
    phone.back_up(T);
    let desktop = Desktop::new(&[], &[&folder], PASSWORD);
    desktop.apply_all();
    phone.remove("bob");
    phone.remove("carol");
    phone.back_up(T + 60);

    let mut r = window(&desktop);
    r.wait_for_text("The backup in Phone backups has 2 accounts removed");
    r.click("Review…");
    assert!(r.has_text("Most accounts are gone from this backup (2 removed)"));
    assert_eq!(
        r.checkboxes(),
        [
            ("Remove GitLab (bob)".to_string(), false),
            ("Remove Mail (carol)".to_string(), false),
        ]
    );
    assert!(
        !r.enabled("Apply 0 changes"),
        "nothing ticked, nothing to apply"
    );
    // Cancel keeps the banner; Later hides it (here from the keyboard).
    r.click("Cancel");
    assert!(r.has_text("The backup in Phone backups has 2 accounts removed"));
    r.tab_to("Later");
    r.harness.key_press(egui::Key::Enter);
    r.harness.run_steps(2);
    assert!(!r.has_text("The backup in"));
    assert_eq!(desktop.names().len(), 3, "nothing removed");

    // A new backup there brings it back.
    phone.back_up(T + 120);
    r.wait_for_text("The backup in Phone backups has 2 accounts removed");
}

#[test]
fn a_backup_cut_short_shows_nothing_and_a_later_one_is_offered_without_a_restart() {
    let root = tempfile::tempdir().unwrap();
    let phone_folder = synced_folder(&root, "Phone backups");
    let tablet_folder = synced_folder(&root, "Tablet backups");
    let phone = Device::new("phone", &phone_folder, &[GITHUB, GITLAB, MAIL]);
    let whole = std::fs::read(phone.back_up(T)).unwrap();
    let desktop = Desktop::new(&[], &[&phone_folder, &tablet_folder], PASSWORD);
    desktop.apply_all();
    // The newest file in the phone's folder is cut short under its final
    // name (a USB stick pulled out); the tablet's folder has a good backup.
    std::fs::write(
        phone_folder.join("ninsho-backup-phone-20990101-000000.json"),
        &whole[..whole.len() / 2],
    )
    .unwrap();
    let tablet = Device::new("tablet", &tablet_folder, &[BANK]);
    tablet.back_up(T);

    let mut r = window(&desktop);
    // Sources are checked in order: once the tablet's banner is up, the
    // phone's folder has been read too.
    r.wait_for_text("The backup in Tablet backups has 1 new account");
    assert!(
        !r.has_text("Phone backups"),
        "no banner and no message for a file still being written"
    );
    assert_eq!(
        desktop.names(),
        ["GitHub (alice)", "GitLab (bob)", "Mail (carol)"]
    );

    // The phone's next backup arrives while the window is open.
    phone
        .vault()
        .add(accounts(&[STEAM]), &mut |_, _| {})
        .unwrap();
    let next = phone.back_up(T + 60);
    // Newer than the cut file, which the folder still holds.
    let later = std::time::SystemTime::now() + Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&next)
        .unwrap()
        .set_modified(later)
        .unwrap();
    r.wait_for_text("The backup in Phone backups has 1 new account");
    assert!(r.has_text("The backup in Tablet backups has 1 new account"));
}

#[test]
fn a_followed_folder_that_is_gone_is_said_in_words() {
    let root = tempfile::tempdir().unwrap();
    let folder = synced_folder(&root, "Phone backups");
    let desktop = Desktop::new(&[STEAM], &[&folder], PASSWORD);
    std::fs::remove_dir(&folder).unwrap();

    let mut r = window(&desktop);
    r.wait_for_text("Cannot read the backups in Phone backups");
    assert!(!r.has_text("The backup in"));
    assert_eq!(desktop.names(), ["Steam (gamer)"]);
}

#[test]
fn a_wrong_password_is_said_once_in_words() {
    let root = tempfile::tempdir().unwrap();
    let folder = synced_folder(&root, "Phone backups");
    let phone = Device::new("phone", &folder, &[GITHUB]);
    phone.back_up(T);
    let desktop = Desktop::new(&[STEAM], &[&folder], "wrong password");

    let mut r = window(&desktop);
    r.wait_for_text("Cannot read the backups in Phone backups");
    let shown = r
        .harness
        .query_all_by_label_contains("Cannot read the backups in Phone backups")
        .count();
    assert_eq!(shown, 1);
    assert!(r.has_text("password"), "the reason is given");
    assert!(!r.has_text("The backup in"));
}

impl Rig {
    /// Presses Tab until the widget labelled `label` has the keyboard focus.
    fn tab_to(&mut self, label: &str) {
        for _ in 0..30 {
            self.harness.key_press(egui::Key::Tab);
            self.harness.run_steps(1);
            if self.harness.get_by_label(label).is_focused() {
                return;
            }
        }
        panic!("Tab never reached \"{label}\"");
    }

    fn has(&self, label: &str) -> bool {
        self.harness.query_by_label(label).is_some()
    }
}

impl Rig {
    /// The text or password field labelled `name`.
    fn field(&self, name: &'static str) -> egui_kittest::Node<'_> {
        self.harness
            .query_all_by(move |n| {
                matches!(n.role(), egui::Role::TextInput | egui::Role::PasswordInput)
                    && n.label().is_some_and(|l| l == name)
            })
            .next()
            .unwrap_or_else(|| panic!("no field named {name}"))
    }

    fn type_into(&mut self, name: &'static str, text: &str) {
        self.field(name).focus();
        self.harness.run_steps(1);
        self.harness
            .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        self.field(name).type_text(text);
        self.harness.run_steps(2);
    }

    /// Steps frames until the widget labelled `label` is gone.
    fn wait_gone(&mut self, label: &str) {
        let guard = Instant::now() + HANG_GUARD;
        while self.has(label) {
            assert!(Instant::now() < guard, "\"{label}\" stayed");
            self.harness.step();
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// A folder is followed from the Backup view as `ninsho follow add` does: the
/// folder from the chooser, its backup password (a wrong one is said under
/// the form and nothing is saved), then the folder is listed and its backup
/// offered for review; "Stop following" forgets it and its password.
#[test]
fn a_folder_is_followed_and_forgotten_from_the_backup_view() {
    let root = tempfile::tempdir().unwrap();
    let folder = synced_folder(&root, "Phone backups");
    let phone = Device::new("phone", &folder, &[GITHUB, GITLAB]);
    phone.back_up(T);
    let desktop = Desktop::new(&[STEAM], &[], PASSWORD);
    let password_items = || {
        (desktop.store.ids().unwrap().into_iter())
            .filter(|id| id.starts_with("ninsho-follow-password-"))
            .count()
    };

    let mut r = window(&desktop);
    r.harness.set_size(egui::vec2(520.0, 1000.0));
    r.wait_for_text("Copy code for Steam (gamer)");
    {
        let chosen = folder.clone();
        r.harness
            .state_mut()
            .set_folder_dialog(Arc::new(move |_| Some(chosen.clone())));
    }
    r.click("Backup");
    // Folded while nothing is followed.
    assert!(!r.has_text("No folder is followed."));
    r.click("Following other devices");
    r.wait_for_text("No folder is followed.");
    r.click("Follow a folder…");
    assert!(!r.enabled("Follow"), "nothing to follow yet");
    r.click("Choose…");
    let shown = folder.display().to_string();
    let guard = Instant::now() + HANG_GUARD;
    while r.field("Folder or file").value().as_deref() != Some(shown.as_str()) {
        assert!(
            Instant::now() < guard,
            "the chosen folder never filled the form"
        );
        r.harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }

    // A wrong password: said under the form, nothing saved.
    r.type_into("Backup password", "not the password");
    r.click("Follow");
    r.wait_for_text("Cannot follow this:");
    assert!(r.has_text("password"), "the reason is given");
    assert!(
        follow::load(desktop.data.path())
            .unwrap()
            .sources
            .is_empty()
    );
    assert_eq!(password_items(), 0);
    assert!(!r.enabled("Follow"), "the wrong password is cleared");

    r.type_into("Backup password", PASSWORD);
    r.click("Follow");
    r.wait_gone("Backup password");
    let canonical = std::fs::canonicalize(&folder).unwrap();
    r.wait_for_text(canonical.to_str().unwrap());
    assert!(!r.has_text("Cannot follow this:"));
    let sources = follow::load(desktop.data.path()).unwrap().sources;
    assert_eq!(sources.len(), 1);
    assert_eq!(Path::new(&sources[0].path), canonical);
    assert_eq!(password_items(), 1);
    let settings =
        std::fs::read_to_string(desktop.data.path().join(follow::SETTINGS_FILE)).unwrap();
    assert!(
        !settings.contains(PASSWORD),
        "the password is only in the keyring"
    );

    // Its backup is offered like any followed one.
    r.click("Done");
    r.wait_for_text("The backup in Phone backups has 2 new accounts");

    // Stop following: the folder and its password go; the accounts stay.
    r.click("Backup");
    r.click("Stop following");
    r.wait_for_text("No folder is followed.");
    assert!(
        follow::load(desktop.data.path())
            .unwrap()
            .sources
            .is_empty()
    );
    assert_eq!(password_items(), 0);
    r.click("Done");
    r.harness.run_steps(3);
    assert!(!r.has_text("The backup in"), "its banner goes with it");
    assert_eq!(desktop.names(), ["Steam (gamer)"]);
}
