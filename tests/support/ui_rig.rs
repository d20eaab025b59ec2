//! A small window rig for the language tests (window_ja, window_pseudo): the
//! real app over an in-memory keyring, an in-memory clipboard and a fixed
//! clock, driven through AccessKit as tests/window.rs does. The language is
//! process-wide, so each language has a test binary of its own.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ninsho::otp::parse_uri;
use ninsho::ui::worker::{self, Connect};
use ninsho::ui::{App, MemoryClipboard, Services, Settings};
use ninsho::vault::{MemoryStore, SecretStore, StoreError, Vault};

/// The start of a 30 s period.
pub const T0: f64 = 1_700_000_010.0;

/// The smallest window Ninsho allows (src/ui/mod.rs).
pub const SMALLEST: egui::Vec2 = egui::vec2(360.0, 480.0);

pub const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
pub const TWITTER_JA: &str = "otpauth://totp/%E3%83%84%E3%82%A4%E3%83%83%E3%82%BF%E3%83%BC:%E5%B1%B1%E7%94%B0%E5%A4%AA%E9%83%8E?secret=MFRGGZDFMZTWQ2LK&digits=8";
pub const LINE_JA: &str =
    "otpauth://totp/LINE:%E4%BD%90%E8%97%A4%E8%8A%B1%E5%AD%90?secret=GEZDGNBVGY3TQOJQ&issuer=LINE";

/// What the test keyring says when it is down.
pub const KEYRING_DOWN: &str = "no Secret Service provider (org.freedesktop.secrets) is running";

pub struct Rig {
    pub harness: Harness<'static, App>,
    pub store: Arc<MemoryStore>,
    pub clipboard: MemoryClipboard,
    pub data: tempfile::TempDir,
}

pub fn rig(accounts: &[&str], size: egui::Vec2) -> Rig {
    rig_with(accounts, size, true)
}

pub fn rig_with(accounts: &[&str], size: egui::Vec2, keyring_up: bool) -> Rig {
    rig_services(accounts, size, keyring_up, |_| {})
}

/// [`rig_with`], with the window's services changed by `adjust` first.
pub fn rig_services(
    accounts: &[&str],
    size: egui::Vec2,
    keyring_up: bool,
    adjust: impl FnOnce(&mut Services),
) -> Rig {
    rig_full(accounts, size, keyring_up, Settings::default(), adjust)
}

/// [`rig_services`] with the window's saved settings (the clock and the
/// rest may be changed through `adjust`).
pub fn rig_full(
    accounts: &[&str],
    size: egui::Vec2,
    keyring_up: bool,
    settings: Settings,
    adjust: impl FnOnce(&mut Services),
) -> Rig {
    let data = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::new());
    if !accounts.is_empty() {
        let mut v = Vault::open(data.path(), store.clone()).unwrap();
        let parsed = accounts
            .iter()
            .map(|u| parse_uri(u).unwrap().account)
            .collect();
        v.add(parsed, &mut |_, _| {}).unwrap();
    }
    let up = Arc::new(AtomicBool::new(keyring_up));
    let connect: Connect = {
        let store = store.clone();
        Arc::new(move || {
            if up.load(Ordering::SeqCst) {
                Ok(Box::new(store.clone()) as Box<dyn SecretStore>)
            } else {
                Err(StoreError::Unavailable {
                    detail: KEYRING_DOWN.into(),
                })
            }
        })
    };
    let clipboard = MemoryClipboard::default();
    let mut services = Services::new(Arc::new(|| T0), Box::new(clipboard.clone()));
    services.pick_files = Arc::new(|| None);
    services.system_chooser = Arc::new(|| Ok(()));
    adjust(&mut services);
    let app = App::new(
        worker::spawn(data.path().to_path_buf(), connect),
        services,
        settings,
    );
    let harness = Harness::builder().with_size(size).build_ui_state(
        |ui, app: &mut App| {
            app.tick(ui.ctx());
            app.show(ui);
        },
        app,
    );
    Rig {
        harness,
        store,
        clipboard,
        data,
    }
}

/// Only against a hang: waits end when the worker answers.
const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(120);

fn polls() -> impl Iterator<Item = ()> {
    let guard = std::time::Instant::now() + HANG_GUARD;
    std::iter::from_fn(move || (std::time::Instant::now() < guard).then_some(()))
}

impl Rig {
    /// Steps frames until `label` is on screen (the worker answers asynchronously).
    pub fn wait_for(&mut self, label: &str) {
        for _ in polls() {
            self.harness.step();
            if self.harness.query_by_label(label).is_some() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("\"{label}\" never appeared; on screen: {}", self.texts());
    }

    /// Steps frames until some label contains `text`.
    pub fn wait_for_text(&mut self, text: &str) {
        for _ in polls() {
            self.harness.step();
            if self.has_text(text) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!(
            "no text containing \"{text}\" appeared; on screen: {}",
            self.texts()
        );
    }

    /// Steps frames until no label contains `text`.
    pub fn wait_for_no_text(&mut self, text: &str) {
        for _ in polls() {
            self.harness.step();
            if !self.has_text(text) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("\"{text}\" never went away");
    }

    /// Every label and value on screen, for a failure's message.
    pub fn texts(&self) -> String {
        let mut out = Vec::new();
        for n in self.harness.query_all_by(|_| true) {
            let n = n.accesskit_node();
            if let Some(t) = n.label().or(n.value()) {
                out.push(format!("{t:?}"));
            }
        }
        out.join(", ")
    }

    pub fn has_text(&self, text: &str) -> bool {
        self.harness
            .query_all_by_label_contains(text)
            .next()
            .is_some()
    }

    pub fn has(&self, label: &str) -> bool {
        self.harness.query_by_label(label).is_some()
    }

    /// Points at the widget labelled `label`, then clicks it, as a mouse does.
    pub fn click(&mut self, label: &str) {
        // Shown first: a collapsing header opens over a few frames.
        self.wait_for(label);
        // Into view: a widget scrolled out of sight takes no click.
        let window = self.harness.ctx.content_rect();
        if !window.contains_rect(self.harness.get_by_label(label).rect()) {
            self.harness.get_by_label(label).scroll_to_me();
            self.harness.run_steps(2);
        }
        self.harness.get_by_label(label).hover();
        self.harness.run_steps(1);
        self.harness.get_by_label(label).click();
        self.harness.run_steps(2);
    }

    /// Points at and clicks the first of several widgets labelled `label`.
    pub fn click_first(&mut self, label: &str) {
        for _ in polls() {
            if self.harness.query_all_by_label(label).next().is_some() {
                break;
            }
            self.harness.step();
        }
        self.harness
            .query_all_by_label(label)
            .next()
            .unwrap()
            .hover();
        self.harness.run_steps(1);
        self.harness
            .query_all_by_label(label)
            .next()
            .unwrap()
            .click();
        self.harness.run_steps(2);
    }

    /// Lets animations (a collapsing header opening) finish.
    pub fn settle(&mut self) {
        let _ = self.harness.try_run();
        self.harness.run_steps(1);
    }

    /// The text fields on screen, in reading order.
    pub fn fields(&self) -> Vec<egui_kittest::Node<'_>> {
        self.harness
            .query_all_by(|n| {
                matches!(
                    n.role(),
                    egui::Role::TextInput
                        | egui::Role::PasswordInput
                        | egui::Role::MultilineTextInput
                )
            })
            .collect()
    }

    /// Focuses the `index`-th text field and types `text` into it.
    pub fn type_into_field(&mut self, index: usize, text: &str) {
        self.fields()[index].focus();
        self.harness.run_steps(1);
        self.fields()[index].type_text(text);
        self.harness.run_steps(1);
    }

    /// Waits until every account's code is on screen (secrets loaded).
    pub fn wait_for_codes(&mut self, uris: &[&str]) {
        for uri in uris {
            let code = ninsho::otp::group_code(&parse_uri(uri).unwrap().account.code_at(T0 as u64));
            self.wait_for(&code);
        }
        // The progress bar goes once every secret is read.
        self.harness.run_steps(3);
    }
}
