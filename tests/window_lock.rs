//! Protects: the window lock (issue 20). Settings → Lock keeps only an
//! Argon2id hash of the lock password in the store; Ctrl+L, minutes without
//! input (on a simulated clock), minimising and a request from another
//! thread (the desktop's signals, `ninsho lock`) lock the window; locked, it
//! shows no name and no code, and a code of ours leaves the clipboard; wrong
//! passwords wait 1 s, then 2 s; the right one shows everything again. The
//! system's way (polkit on Linux) goes through `Services::system_auth`, with
//! the password as its fallback. A window whose lock is on starts locked.
//! On a private D-Bus: a screen saver's `ActiveChanged(true)` and the real
//! `ninsho lock` lock the window (`lock::dbus`'s watch, as `ui::run` starts it).
//! Driven through AccessKit, over the in-memory store.

#[cfg(target_os = "linux")]
mod common;
#[cfg(target_os = "linux")]
#[path = "support/private_keyring.rs"]
mod private_keyring;
#[path = "support/ui_rig.rs"]
mod ui_rig;

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use eframe::egui;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use ninsho::lock::{self, LockMode, LockSettings};
use ninsho::otp::parse_uri;
use ninsho::ui::Settings;
use ninsho::ui::worker::SystemAuth;
use ninsho::vault::SecretStore;
use ui_rig::*;

const PASSWORD: &str = "lock pw 鍵";
const SIZE: egui::Vec2 = egui::vec2(480.0, 900.0);

/// A clock the test moves by hand (the window's idle timer and backoff read it).
#[derive(Clone)]
struct Clock(Arc<AtomicU64>);

impl Clock {
    fn new() -> Self {
        Clock(Arc::new(AtomicU64::new(T0.to_bits())))
    }
    fn now(&self) -> f64 {
        f64::from_bits(self.0.load(Ordering::SeqCst))
    }
    fn advance(&self, secs: f64) {
        self.0
            .store((self.now() + secs).to_bits(), Ordering::SeqCst);
    }
}

fn locked_settings(mode: LockMode) -> Settings {
    Settings {
        lock: LockSettings {
            mode,
            idle_minutes: 5,
            on_minimise: false,
        },
        ..Settings::default()
    }
}

/// A window with the password lock on and no idle timer, unlocked.
fn unlocked_rig(clock: &Clock) -> Rig {
    let mut settings = locked_settings(LockMode::Password);
    settings.lock.idle_minutes = 0;
    let mut r = lock_rig(settings, clock, None);
    r.unlock();
    r
}

fn code(uri: &str, at: f64) -> String {
    ninsho::otp::group_code(&parse_uri(uri).unwrap().account.code_at(at as u64))
}

fn lock_rig(settings: Settings, clock: &Clock, auth: Option<SystemAuth>) -> Rig {
    let c = clock.clone();
    let r = rig_full(&[GITHUB], SIZE, true, settings.clone(), move |s| {
        s.clock = Arc::new(move || c.now());
        if let Some(auth) = auth {
            s.system_auth = auth;
        }
    });
    if settings.lock.enabled() {
        let hash = lock::hash_password(PASSWORD).unwrap();
        r.store
            .set(lock::PASSWORD_ITEM, "test", hash.as_bytes())
            .unwrap();
    }
    r
}

impl Rig {
    fn type_password(&mut self, label: &str, text: &str) {
        let find = |r: &Rig| {
            r.harness
                .query_all_by(|n| {
                    n.role() == egui::Role::PasswordInput && n.label().is_some_and(|l| l == label)
                })
                .next()
                .is_some()
        };
        assert!(find(self), "no password field {label}");
        let field = || {
            self.harness
                .query_all_by(|n| {
                    n.role() == egui::Role::PasswordInput && n.label().is_some_and(|l| l == label)
                })
                .next()
                .unwrap()
        };
        field().focus();
        self.harness.run_steps(1);
        self.harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        self.harness.run_steps(1);
        let field = self
            .harness
            .query_all_by(|n| {
                n.role() == egui::Role::PasswordInput && n.label().is_some_and(|l| l == label)
            })
            .next()
            .unwrap();
        field.type_text(text);
        self.harness.run_steps(1);
    }

    fn is_locked(&mut self) -> bool {
        self.harness.run_steps(2);
        self.harness.state().is_locked()
    }

    fn unlock_button_enabled(&self) -> bool {
        !self
            .harness
            .get_by_label("Unlock")
            .accesskit_node()
            .is_disabled()
    }

    fn press(&mut self, modifiers: Modifiers, key: Key) {
        self.harness.key_press_modifiers(modifiers, key);
        self.harness.run_steps(2);
    }

    /// Nothing of the account on screen: neither its name nor its code.
    fn shows_nothing_of(&self, uri: &str, at: f64) {
        assert!(self.has_text("Ninsho is locked"));
        assert!(!self.has_text("GitHub"), "a name shows while locked");
        assert!(!self.has_text("alice"), "a name shows while locked");
        assert!(!self.has_text(&code(uri, at)), "a code shows while locked");
    }

    /// Types the lock password; the code shows again (at the test clock's `at`).
    fn unlock_at(&mut self, at: f64) {
        self.type_password("Password", PASSWORD);
        self.press(Modifiers::NONE, Key::Enter);
        self.wait_for_no_text("Ninsho is locked");
        self.wait_for(&code(GITHUB, at));
    }

    fn unlock(&mut self) {
        self.unlock_at(T0);
    }
}

#[test]
fn a_lock_password_is_set_in_settings_ctrl_l_locks_and_only_the_password_unlocks() {
    let clock = Clock::new();
    let mut r = lock_rig(Settings::default(), &clock, None);
    r.wait_for_codes(&[GITHUB]);
    assert!(!r.is_locked(), "the lock is off by default");
    // Off: Ctrl+L says where to turn it on, and locks nothing.
    r.press(Modifiers::COMMAND, Key::L);
    assert!(r.has_text("Choose a lock in Settings first"));
    assert!(!r.is_locked());

    r.press(Modifiers::COMMAND, Key::Comma);
    r.click("With a password");
    r.type_password("Password", PASSWORD);
    r.type_password("Repeat password", "something else");
    assert!(r.has_text("do not match"));
    assert!(
        r.harness
            .get_by_label("Save the lock password")
            .accesskit_node()
            .is_disabled()
    );
    r.type_password("Repeat password", PASSWORD);
    r.click("Save the lock password");
    r.wait_for("Change the lock password…");
    assert_eq!(r.harness.state().settings.lock.mode, LockMode::Password);
    let hash = r.store.get(lock::PASSWORD_ITEM).unwrap().expect("the hash");
    let hash = String::from_utf8(hash.to_vec()).unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(PASSWORD));
    assert!(lock::verify_password(&hash, PASSWORD));
    r.click("Done");

    // A copied code leaves the clipboard with the lock.
    r.click("Copy code for GitHub (alice)");
    assert_eq!(
        r.clipboard.contents().map(|c| c.replace(' ', "")),
        Some(code(GITHUB, T0).replace(' ', ""))
    );
    r.press(Modifiers::COMMAND, Key::L);
    assert!(r.is_locked());
    r.shows_nothing_of(GITHUB, T0);
    assert_eq!(r.clipboard.contents(), None, "our code left the clipboard");

    // Wrong: 1 s before the next try, then 2 s.
    r.type_password("Password", "wrong");
    r.click("Unlock");
    r.wait_for_text("Wrong password. You can try again in 1 s.");
    r.type_password("Password", "wrong again");
    assert!(!r.unlock_button_enabled(), "no try during the wait");
    r.press(Modifiers::NONE, Key::Enter);
    assert!(r.has_text("Next try in 1 s"));
    clock.advance(1.0);
    r.harness.run_steps(2);
    assert!(r.unlock_button_enabled());
    r.click("Unlock");
    r.wait_for_text("You can try again in 2 s.");
    r.shows_nothing_of(GITHUB, T0);
    clock.advance(2.0);
    r.harness.run_steps(2);
    r.unlock();
    assert!(!r.is_locked());
    assert!(r.has_text("GitHub"));
}

#[test]
fn a_window_with_the_lock_on_starts_locked_and_locks_after_the_minutes_without_input() {
    let clock = Clock::new();
    let mut r = lock_rig(locked_settings(LockMode::Password), &clock, None);
    assert!(r.is_locked(), "starts locked");
    r.shows_nothing_of(GITHUB, T0);
    r.unlock();

    // Five minutes without input lock it; input starts the minutes again.
    clock.advance(200.0);
    r.harness.run_steps(2);
    assert!(!r.is_locked());
    r.harness
        .input_mut()
        .events
        .push(egui::Event::PointerMoved(egui::pos2(100.0, 100.0)));
    r.harness.run_steps(1);
    clock.advance(299.0);
    assert!(!r.is_locked(), "299 s after the last input");
    clock.advance(1.0);
    assert!(r.is_locked(), "300 s after the last input");
    r.shows_nothing_of(GITHUB, clock.now());
}

#[test]
fn minimising_locks_when_chosen_and_a_request_from_another_thread_locks() {
    let clock = Clock::new();
    let mut r = unlocked_rig(&clock);
    let requester = r.harness.state().lock_requester(&r.harness.ctx);
    std::thread::spawn(move || requester.request())
        .join()
        .unwrap();
    assert!(r.is_locked(), "a request locks");
    r.unlock();

    clock.advance(3600.0);
    assert!(!r.is_locked(), "0 minutes: never for lack of input");
    let minimise = |r: &mut Rig, on: bool| {
        r.harness
            .input_mut()
            .viewports
            .get_mut(&egui::ViewportId::ROOT)
            .unwrap()
            .minimized = Some(on);
    };
    minimise(&mut r, true);
    assert!(!r.is_locked(), "minimising locks only when chosen");
    minimise(&mut r, false);
    r.harness.state_mut().settings.lock.on_minimise = true;
    minimise(&mut r, true);
    assert!(r.is_locked(), "minimised");
    minimise(&mut r, false);
    r.unlock_at(clock.now());
}

#[test]
fn the_systems_authentication_unlocks_and_the_password_stands_in_when_it_cannot_ask() {
    // 0: not confirmed, 1: confirmed, 2: cannot ask.
    let answer = Arc::new(AtomicU8::new(0));
    let asked = Arc::new(Mutex::new(0usize));
    let auth = {
        let (answer, asked) = (answer.clone(), asked.clone());
        SystemAuth(Arc::new(move || {
            *asked.lock().unwrap() += 1;
            match answer.load(Ordering::SeqCst) {
                0 => Ok(false),
                1 => Ok(true),
                _ => Err("no authentication agent".into()),
            }
        }))
    };
    let clock = Clock::new();
    let mut r = lock_rig(locked_settings(LockMode::System), &clock, Some(auth));
    assert!(r.is_locked());
    assert_eq!(*asked.lock().unwrap(), 0, "nobody is asked before a click");
    r.click("Unlock…");
    r.wait_for_text("did not confirm that it is you");
    assert!(r.is_locked());
    answer.store(2, Ordering::SeqCst);
    r.click("Unlock…");
    r.wait_for_text("could not ask for your login (no authentication agent)");
    assert!(r.is_locked());
    r.unlock();
    r.press(Modifiers::COMMAND, Key::L);
    assert!(r.is_locked());
    answer.store(1, Ordering::SeqCst);
    r.click("Unlock…");
    r.wait_for_no_text("Ninsho is locked");
    r.wait_for_codes(&[GITHUB]);
    assert_eq!(*asked.lock().unwrap(), 3);
}

#[test]
fn with_no_lock_password_in_the_store_the_lock_turns_off_instead_of_locking_out() {
    let clock = Clock::new();
    let mut r = lock_rig(locked_settings(LockMode::Password), &clock, None);
    assert!(r.is_locked());
    r.store.delete(lock::PASSWORD_ITEM).unwrap();
    r.type_password("Password", "anything");
    r.press(Modifiers::NONE, Key::Enter);
    r.wait_for_text("No lock password was found");
    r.wait_for_codes(&[GITHUB]);
    assert_eq!(r.harness.state().settings.lock.mode, LockMode::Off);
}

#[test]
fn turning_the_lock_off_removes_its_password_from_the_store() {
    let clock = Clock::new();
    let mut r = lock_rig(locked_settings(LockMode::Password), &clock, None);
    r.unlock();
    r.press(Modifiers::COMMAND, Key::Comma);
    r.click("Off");
    // Only against a hang: the worker answers.
    let guard = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while r.store.get(lock::PASSWORD_ITEM).unwrap().is_some() && std::time::Instant::now() < guard {
        r.harness.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(r.store.get(lock::PASSWORD_ITEM).unwrap().is_none());
    assert_eq!(r.harness.state().settings.lock.mode, LockMode::Off);
    r.press(Modifiers::COMMAND, Key::L);
    assert!(!r.is_locked());
}

/// Steps frames until the window is locked (only a hang fails this).
fn wait_until_locked(r: &mut Rig) {
    let guard = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !r.is_locked() {
        assert!(std::time::Instant::now() < guard, "the window never locked");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn the_screen_saver_and_ninsho_lock_lock_the_window_over_d_bus() {
    if !common::have_tool("dbus-daemon") || !common::have_tool("dbus-send") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bus = private_keyring::Bus::without_activation(dir.path());
    let clock = Clock::new();
    let mut r = unlocked_rig(&clock);
    // As `ui::run` does, on the test's own bus (no system bus: no logind).
    let requester = r.harness.state().lock_requester(&r.harness.ctx);
    let watch = ninsho::lock::dbus::Watcher::new()
        .session_bus(&bus.address)
        .system_bus(None)
        .spawn(move |_| requester.request())
        .unwrap();
    let watching = watch
        .ready(std::time::Duration::from_secs(120))
        .expect("the watch subscribes (hang guard)");
    assert!(watching.commands && watching.screen_saver);

    for (interface, path) in [
        ("org.freedesktop.ScreenSaver", "/ScreenSaver"),
        ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
    ] {
        let sent = std::process::Command::new("dbus-send")
            .arg(format!("--bus={}", bus.address))
            .args(["--type=signal", path])
            .arg(format!("{interface}.ActiveChanged"))
            .arg("boolean:true")
            .status()
            .unwrap();
        assert!(sent.success());
        wait_until_locked(&mut r);
        r.shows_nothing_of(GITHUB, T0);
        r.unlock();
    }

    says_it_locked_the_window(&ninsho_lock(None, Some(&bus.address)));
    wait_until_locked(&mut r);
    r.shows_nothing_of(GITHUB, T0);
    drop(watch);
}

/// The real `ninsho lock`, with the data folder `data` and the session bus
/// `bus` (none: no bus at all).
fn ninsho_lock(data: Option<&std::path::Path>, bus: Option<&str>) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ninsho"));
    command.arg("lock").env("NINSHO_LANG", "en");
    match bus {
        Some(address) => command.env("DBUS_SESSION_BUS_ADDRESS", address),
        None => command.env_remove("DBUS_SESSION_BUS_ADDRESS"),
    };
    if let Some(data) = data {
        command.env("NINSHO_DATA_DIR", data);
    }
    command.output().unwrap()
}

fn says_it_locked_the_window(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "locked the window"
    );
}

/// Where no session bus reaches the window (Windows, macOS; Linux without
/// one), `ninsho lock` asks through the data folder: the real binary, no bus.
#[test]
fn ninsho_lock_without_a_session_bus_locks_the_window_through_its_data_folder() {
    let clock = Clock::new();
    let mut r = unlocked_rig(&clock);
    // As `ui::run` does for every window.
    let requester = r.harness.state().lock_requester(&r.harness.ctx);
    let presence =
        ninsho::lock::request::Presence::announce(r.data.path(), move || requester.request())
            .unwrap();
    let data = r.data.path().to_path_buf();
    says_it_locked_the_window(&ninsho_lock(Some(&data), None));
    wait_until_locked(&mut r);
    r.shows_nothing_of(GITHUB, T0);

    // Closed, the window is no longer found.
    drop(presence);
    let out = ninsho_lock(Some(&data), None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "ninsho: no Ninsho window is running"
    );
}

/// A window whose lock is off is asked all the same, says so, and shows how
/// to turn the lock on; `ninsho lock` fails, as the codes still show.
#[test]
fn ninsho_lock_says_when_the_windows_lock_is_off() {
    let clock = Clock::new();
    let mut r = lock_rig(Settings::default(), &clock, None);
    r.harness.run_steps(2);
    let requester = r.harness.state().lock_requester(&r.harness.ctx);
    let _presence =
        ninsho::lock::request::Presence::announce(r.data.path(), move || requester.request())
            .unwrap();
    let data = r.data.path().to_path_buf();
    let out = ninsho_lock(Some(&data), None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "ninsho: the running Ninsho window has its lock off, so it still shows the codes: \
         turn the lock on in its Settings → Lock"
    );
    let guard = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !r.has_text("Choose a lock in Settings first") {
        assert!(std::time::Instant::now() < guard, "no hint shown");
        r.harness.run_steps(1);
    }
    assert!(!r.is_locked());
}
