//! Where the window's secrets come from when not from the keyring (issue 20):
//!
//! - a data folder whose secrets are in the encrypted file store opens on an
//!   unlock screen instead of the list: its password, then the codes;
//! - where no keyring answers, the keyring screen offers "Use an encrypted
//!   file instead…" (a password, typed twice), as long as no account is
//!   saved yet (those secrets are in the keyring; `ninsho store use file`
//!   moves them once it is back).
//!
//! The password goes to the worker through a [`PasswordSlot`] that the
//! store's connect function empties (`ui::store_connect`); the key
//! derivation and the decryption run on the worker thread.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use eframe::egui;
use egui::{Key, RichText};
use zeroize::Zeroizing;

use super::App;
use crate::t;
use crate::ui::worker::Command;

/// Carries a typed password from the window to the store's connect
/// function, which takes it (so it is held only until used).
pub type PasswordSlot = Arc<Mutex<Option<Zeroizing<String>>>>;

pub(super) struct StoreUi {
    /// The data folder's encrypted file.
    path: PathBuf,
    slot: PasswordSlot,
    /// The secrets are in the file: a store error asks for its password.
    pub(super) file: bool,
    password: Zeroizing<String>,
    repeat: Zeroizing<String>,
    /// A password was sent: the next store error is its answer.
    tried: bool,
    /// The form that makes a file store is open.
    offering: bool,
    /// Asked the worker to make one; `FileStoreMade` or an error answers.
    making: bool,
}

impl StoreUi {
    fn put(&self, password: Zeroizing<String>) {
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(password);
    }

    fn clear(&self) {
        self.slot.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

impl App {
    /// The window's data folder and the slot its store's connect function
    /// reads a typed password from (see `ui::store_connect`).
    pub fn set_store(&mut self, data_dir: PathBuf, slot: PasswordSlot) {
        self.store = Some(StoreUi {
            file: crate::ui::file_store_of(&data_dir).is_some(),
            path: crate::vault::choice::file_path(&data_dir),
            slot,
            password: Zeroizing::new(String::new()),
            repeat: Zeroizing::new(String::new()),
            tried: false,
            offering: false,
            making: false,
        });
    }

    /// The worker made and chose a file store: open it with the password
    /// already in the slot.
    pub(super) fn file_store_made(&mut self) {
        if let Some(store) = &mut self.store {
            store.file = true;
            store.making = false;
            store.offering = false;
            store.tried = true;
            store.repeat.zeroize_now();
        }
        self.keyring_error = None;
        self.secrets_done = false;
        self.worker.send(Command::Load);
    }

    /// The window locked on the file store: the file is closed, and its
    /// unlock screen asks for its password.
    pub(super) fn ask_file_password(&mut self) {
        if let Some(store) = &mut self.store {
            store.tried = false;
            store.password.zeroize_now();
            store.clear();
        }
        self.keyring_error = Some(t!("ui-unlock-needed"));
        self.secrets_done = false;
    }

    /// The data folder's store was switched while the window ran: the
    /// codes go and come back from the new store (the file asks for its
    /// password first).
    pub(super) fn store_changed(&mut self, file: bool) {
        self.secrets.clear();
        self.missing.clear();
        self.secrets_done = false;
        if let Some(store) = &mut self.store {
            store.file = file;
            store.tried = false;
        }
        self.notice(t!("ui-store-changed"));
    }

    /// A store error arrived: a password sent for it is spent.
    pub(super) fn store_failed(&mut self) {
        if let Some(store) = &mut self.store {
            store.making = false;
            store.clear();
        }
    }

    /// The unlock form; returns false when the data folder does not use the
    /// file store (the keyring screen shows instead).
    pub(super) fn unlock_screen(&mut self, ui: &mut egui::Ui, msg: &str) -> bool {
        let Some(state) = self.store.as_mut().filter(|s| s.file) else {
            return false;
        };
        let mut unlock = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(24.0);
            ui.heading(t!("ui-unlock-title"));
            ui.add_space(8.0);
            let file = crate::otp::printable(&state.path.display().to_string()).into_owned();
            ui.label(t!("ui-unlock-explain", path = file));
            ui.add_space(8.0);
            let label = ui.label(t!("ui-password"));
            let field = ui
                .add(egui::TextEdit::singleline(&mut *state.password).password(true))
                .labelled_by(label.id);
            // Read before the focus goes back to the field: Enter takes it,
            // and given back at once, the field no longer says it lost it.
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if !state.tried && !enter && ui.memory(|m| m.focused().is_none()) {
                field.request_focus();
            }
            if state.tried {
                ui.label(RichText::new(msg).color(ui.visuals().error_fg_color));
            }
            ui.add_space(8.0);
            unlock = ui
                .add_enabled(
                    !state.password.is_empty(),
                    egui::Button::new(t!("ui-unlock-button")),
                )
                .clicked()
                || (enter && !state.password.is_empty());
        });
        if unlock {
            let password = std::mem::take(&mut state.password);
            state.put(password);
            state.tried = true;
            self.keyring_error = None;
            self.secrets_done = false;
            self.worker.send(Command::Load);
        }
        true
    }

    /// Below the keyring screen: keep the secrets in an encrypted file
    /// instead (the form, or the button that opens it).
    pub(super) fn file_store_offer(&mut self, ui: &mut egui::Ui) {
        let Some(state) = &mut self.store else {
            return;
        };
        ui.add_space(16.0);
        ui.separator();
        ui.label(RichText::new(t!("ui-file-store-heading")).strong());
        ui.label(t!("ui-file-store-explain"));
        if state.making {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t!("ui-file-store-making"));
            });
            return;
        }
        if !state.offering {
            if ui.button(t!("ui-file-store-offer")).clicked() {
                state.offering = true;
            }
            return;
        }
        let ready = super::password::new_password_fields(
            ui,
            "file-store-form",
            &mut state.password,
            &mut state.repeat,
        );
        let (mut make, mut cancel) = (false, false);
        ui.horizontal(|ui| {
            make = ui
                .add_enabled(ready, egui::Button::new(t!("ui-file-store-make")))
                .clicked();
            cancel = ui.button(t!("ui-cancel")).clicked();
        });
        if cancel {
            state.offering = false;
            state.password.zeroize_now();
            state.repeat.zeroize_now();
        } else if make {
            let password = std::mem::take(&mut state.password);
            state.repeat.zeroize_now();
            // The same password opens the file once it is made.
            state.put(password.clone());
            state.making = true;
            self.worker.send(Command::MakeFileStore(password));
        }
    }
}

/// Empties a password buffer in place.
trait ZeroizeNow {
    fn zeroize_now(&mut self);
}

impl ZeroizeNow for Zeroizing<String> {
    fn zeroize_now(&mut self) {
        zeroize::Zeroize::zeroize(&mut **self);
    }
}
