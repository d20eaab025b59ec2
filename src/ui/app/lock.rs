//! The window lock (issue 20), the window's side.
//!
//! - Locks after the minutes without input set in Settings, on minimise (an
//!   option), with Ctrl+L, and when the desktop asks: the screen locking, the
//!   computer going to sleep, `ninsho lock` (all through a [`LockRequester`]).
//! - Locked, the window draws the lock screen only. The codes' secrets, the
//!   list, any open form or review and egui's widget memory (a text field's
//!   undo history may hold a typed secret) are dropped; a code of ours on the
//!   clipboard is cleared. Unlocked, the worker sends everything again.
//! - The lock password is checked by the worker against its Argon2id hash;
//!   each wrong one doubles the wait before the next try (`lock::Backoff`).
//! - With the file store, locking closes the file: its own password opens it
//!   again on the unlock screen (unlock.rs), so no second password is set.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use eframe::egui;
use egui::{Key, KeyboardShortcut, Modifiers, RichText};
use zeroize::Zeroizing;

use super::{App, View};
use crate::lock::{Backoff, Idle, LockMode};
use crate::t;
use crate::ui::worker::{Command, LockEvent};

/// Asks the window to lock from another thread (the desktop's signals,
/// `ninsho lock`); the next frame locks it.
#[derive(Clone)]
pub struct LockRequester {
    flag: Arc<AtomicBool>,
    /// The window's lock is on (kept by each frame).
    lock_on: Arc<AtomicBool>,
    ctx: egui::Context,
}

impl LockRequester {
    /// Asks the window to lock; says whether its lock is on, so that it
    /// locks (`ninsho lock` tells its user when a window cannot).
    pub fn request(&self) -> bool {
        self.flag.store(true, Ordering::SeqCst);
        self.ctx.request_repaint();
        self.lock_on.load(Ordering::SeqCst)
    }
}

/// Ctrl+L (⌘L on macOS): lock now.
pub const LOCK_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::L);

#[derive(Default)]
pub(super) struct LockState {
    pub(super) locked: bool,
    /// When input was last seen; set on the first frame.
    idle: Option<Idle>,
    backoff: Backoff,
    password: Zeroizing<String>,
    /// A password check or the system's dialog is under way.
    checking: bool,
    /// Why the last try failed, shown under the field.
    error: Option<String>,
    requested: Arc<AtomicBool>,
    /// Whether the lock is on, for [`LockRequester::request`]'s answer.
    lock_on: Arc<AtomicBool>,
    /// Settings: the form that sets the lock password, while open.
    form: Option<PasswordForm>,
    /// Sent the password (or its removal); the worker's answer is awaited.
    saving: Option<LockMode>,
    /// The desktop's lock requests come while this is held.
    watch: Option<Box<dyn std::any::Any>>,
    /// "lock screen ready" was traced (the field has the focus) since the lock.
    ready_traced: bool,
}

struct PasswordForm {
    /// The mode that the saved password turns on.
    mode: LockMode,
    password: Zeroizing<String>,
    repeat: Zeroizing<String>,
}

/// Input from the person at the window (not a repaint, not focus changes).
fn is_input(e: &egui::Event) -> bool {
    matches!(
        e,
        egui::Event::Key { .. }
            | egui::Event::Text(_)
            | egui::Event::PointerMoved(_)
            | egui::Event::PointerButton { .. }
            | egui::Event::MouseWheel { .. }
            | egui::Event::Paste(_)
            | egui::Event::Touch { .. }
            | egui::Event::Zoom(_)
    )
}

impl App {
    /// A handle that locks this window from another thread.
    pub fn lock_requester(&self, ctx: &egui::Context) -> LockRequester {
        self.lock
            .lock_on
            .store(self.settings.lock.enabled(), Ordering::SeqCst);
        LockRequester {
            flag: self.lock.requested.clone(),
            lock_on: self.lock.lock_on.clone(),
            ctx: ctx.clone(),
        }
    }

    /// Keeps what watches the desktop for lock requests (dropped, it stops).
    pub fn keep(&mut self, watch: Option<Box<dyn std::any::Any>>) {
        self.lock.watch = watch;
    }

    /// The lock screen shows (or, with the file store, its unlock screen).
    pub fn is_locked(&self) -> bool {
        self.lock.locked || (self.on_file_store() && self.keyring_error.is_some())
    }

    fn on_file_store(&self) -> bool {
        self.store.as_ref().is_some_and(|s| s.file)
    }

    /// Once per frame, before drawing: whatever locks the window.
    pub(super) fn lock_tick(&mut self, ctx: &egui::Context) {
        self.lock
            .lock_on
            .store(self.settings.lock.enabled(), Ordering::SeqCst);
        let now = self.now();
        // The file store starts on its unlock screen anyway.
        let first = self.lock.idle.is_none() && !self.on_file_store();
        let idle = self.lock.idle.get_or_insert(Idle::new(now));
        if ctx.input(|i| i.events.iter().any(is_input)) {
            idle.input(now);
        }
        let idle_due = idle.due(&self.settings.lock, now);
        let asked = self.lock.requested.swap(false, Ordering::SeqCst)
            | ctx.input_mut(|i| i.consume_shortcut(&LOCK_SHORTCUT));
        let minimised =
            self.settings.lock.on_minimise && ctx.input(|i| i.viewport().minimized == Some(true));
        if self.lock.locked {
            return;
        }
        if asked && !self.settings.lock.enabled() {
            self.toast(t!("ui-lock-off-hint"));
        } else if asked || idle_due || minimised || first {
            // A window that starts with the lock on starts locked.
            self.lock_now(ctx);
        }
    }

    /// Locks the window now (nothing when the lock is off).
    pub(super) fn lock_now(&mut self, ctx: &egui::Context) {
        if !self.settings.lock.enabled() || self.is_locked() {
            return;
        }
        super::super::trace("locked");
        // Names, codes and their secrets (wiped as they drop), forms, reviews.
        self.entries.clear();
        self.secrets.clear();
        self.missing.clear();
        self.revealed.clear();
        self.selected = None;
        self.confirm_delete = None;
        self.search.clear();
        self.view = View::List;
        self.follow.forget();
        self.backup.forget();
        self.closing();
        // egui's memory of widgets: a text field's undo history may hold
        // what was typed into it.
        ctx.data_mut(|d| d.clear());
        // The focus was on a widget the lock screen does not have: let go,
        // so the password field takes it.
        ctx.memory_mut(|m| {
            if let Some(id) = m.focused() {
                m.surrender_focus(id);
            }
        });
        self.lock.password = Zeroizing::new(String::new());
        self.lock.ready_traced = false;
        self.lock.error = None;
        self.lock.checking = false;
        self.lock.form = None;
        self.worker.send(Command::Lock);
        if self.on_file_store() {
            // The worker closes the file; its unlock screen asks again.
            self.ask_file_password();
        } else {
            self.lock.locked = true;
        }
    }

    /// Between two frames: events the worker sent for the list while the
    /// window is locked are dropped (their secrets wiped); unlocking asks
    /// for everything again.
    pub(super) fn hidden_while_locked(&self, event: &crate::ui::worker::Event) -> bool {
        use crate::ui::worker::Event as E;
        self.lock.locked
            && matches!(
                event,
                E::Entries { .. }
                    | E::Secrets(_)
                    | E::SecretMissing(..)
                    | E::SecretsDone
                    | E::Added { .. }
                    | E::Removed(_)
                    | E::Found { .. }
                    | E::NeedPassword { .. }
                    | E::Backup(_)
                    | E::Follow(_)
                    | E::Progress { .. }
            )
    }

    pub(super) fn lock_event(&mut self, event: LockEvent) {
        let now = self.now();
        match event {
            LockEvent::PasswordSet => {
                if let Some(mode) = self.lock.saving.take() {
                    self.settings.lock.mode = mode;
                }
            }
            LockEvent::PasswordCleared => {
                self.lock.saving = None;
            }
            LockEvent::Unlocked => {
                if self.lock.locked {
                    super::super::trace("unlocked");
                    self.lock.locked = false;
                    self.lock.checking = false;
                    self.lock.error = None;
                    self.lock.backoff.reset();
                    self.lock.idle = Some(Idle::new(now));
                    self.secrets_done = false;
                    self.worker.send(Command::Reveal);
                }
            }
            LockEvent::NoPassword => {
                self.settings.lock.mode = LockMode::Off;
                self.notice(t!("ui-lock-no-password"));
                self.lock_event(LockEvent::Unlocked);
            }
            LockEvent::Refused => {
                super::super::trace("lock refused");
                self.lock.checking = false;
                let wait = self.lock.backoff.failed(now);
                self.lock.error = Some(t!("ui-lock-wrong", secs = wait.ceil() as u64));
            }
            LockEvent::SystemRefused => {
                self.lock.checking = false;
                self.lock.error = Some(t!("ui-lock-system-refused"));
            }
            LockEvent::SystemUnavailable(why) => {
                self.lock.checking = false;
                self.lock.error = Some(t!("ui-lock-system-unavailable", error = why));
            }
            LockEvent::Failed(msg) => {
                self.lock.checking = false;
                if self.lock.saving.take().is_some() || !self.lock.locked {
                    self.notice(msg);
                } else {
                    self.lock.error = Some(msg);
                }
            }
        }
    }

    /// When the next frame is needed for the lock: the idle deadline, or the
    /// end of a wait after a wrong password (the countdown under the field).
    pub(super) fn lock_wake(&self, now: f64) -> f64 {
        if self.lock.locked {
            let left = self.lock.backoff.wait_left(now);
            return if left > 0.0 {
                left.min(1.0 - now.fract())
            } else {
                f64::INFINITY
            };
        }
        self.lock
            .idle
            .and_then(|i| i.deadline(&self.settings.lock))
            .map_or(f64::INFINITY, |at| at - now)
    }

    /// The only thing a locked window shows.
    pub(super) fn lock_screen(&mut self, ui: &mut egui::Ui) {
        let now = self.now();
        let wait = self.lock.backoff.wait_left(now);
        let system = self.settings.lock.mode == LockMode::System;
        let (mut try_password, mut try_system) = (false, false);
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(24.0);
            ui.heading(t!("ui-lock-title"));
            ui.add_space(8.0);
            if system {
                ui.label(t!("ui-lock-explain-system"));
                ui.add_space(4.0);
                try_system = ui
                    .add_enabled(
                        !self.lock.checking,
                        egui::Button::new(t!("ui-lock-system-button")),
                    )
                    .clicked();
                ui.add_space(12.0);
                ui.label(t!("ui-lock-or-password"));
            } else {
                ui.label(t!("ui-lock-explain"));
            }
            ui.add_space(4.0);
            let label = ui.label(t!("ui-password"));
            let field = ui
                .add(egui::TextEdit::singleline(&mut *self.lock.password).password(true))
                .labelled_by(label.id);
            // Read before the focus goes back to the field (Enter takes it).
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if !system && !enter && ui.memory(|m| m.focused().is_none()) {
                field.request_focus();
                // Another frame at once, so the field has the focus before
                // the first key comes (an idle window draws no frame until then).
                if ui.input(|i| i.focused) {
                    ui.ctx().request_repaint();
                }
            } else if field.has_focus() && !self.lock.ready_traced {
                self.lock.ready_traced = true;
                super::super::trace("lock screen ready");
            }
            let ready = !self.lock.password.is_empty() && wait <= 0.0 && !self.lock.checking;
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                try_password = ui
                    .add_enabled(ready, egui::Button::new(t!("ui-unlock-button")))
                    .clicked()
                    || (enter && ready);
                if self.lock.checking {
                    ui.spinner();
                }
            });
            if let Some(error) = &self.lock.error {
                ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
            }
            if wait > 0.0 {
                ui.label(t!("ui-lock-wait", secs = wait.ceil() as u64));
            }
        });
        if try_password {
            self.lock.checking = true;
            self.lock.error = None;
            let password = std::mem::take(&mut self.lock.password);
            self.worker.send(Command::CheckLockPassword(password));
        } else if try_system {
            self.lock.checking = true;
            self.lock.error = None;
            self.worker
                .send(Command::UnlockWithSystem(self.services.system_auth.clone()));
        }
    }

    /// Settings → Lock.
    pub(super) fn lock_settings(&mut self, ui: &mut egui::Ui) {
        ui.label(RichText::new(t!("ui-lock-heading")).strong());
        let file = self.on_file_store();
        let mode = self.settings.lock.mode;
        // While the form that turns the lock on is open, its mode shows.
        let shown = self.lock.form.as_ref().map_or(mode, |f| f.mode);
        let mut chosen = shown;
        ui.horizontal_wrapped(|ui| {
            ui.radio_value(&mut chosen, LockMode::Off, t!("ui-lock-mode-off"));
            if file {
                ui.radio_value(&mut chosen, LockMode::Password, t!("ui-lock-mode-file"));
            } else {
                ui.radio_value(&mut chosen, LockMode::Password, t!("ui-lock-mode-password"));
                let why = crate::ui::worker::SystemAuth::unavailable();
                ui.add_enabled_ui(why.is_none(), |ui| {
                    ui.radio_value(&mut chosen, LockMode::System, t!("ui-lock-mode-system"))
                        .on_disabled_hover_text(why.unwrap_or_default());
                });
            }
        });
        if chosen != shown && self.lock.saving.is_none() {
            match (mode, chosen) {
                // The lock is not on yet: the form closes, or turns on another mode.
                (LockMode::Off, LockMode::Off) => self.lock.form = None,
                (LockMode::Off, new) if self.lock.form.is_some() => {
                    if let Some(form) = &mut self.lock.form {
                        form.mode = new;
                    }
                }
                (_, LockMode::Off) => {
                    self.settings.lock.mode = LockMode::Off;
                    self.lock.form = None;
                    if !file {
                        self.lock.saving = Some(LockMode::Off);
                        self.worker.send(Command::ClearLockPassword);
                    }
                }
                // The file's own password locks it: nothing to set.
                (_, new) if file => self.settings.lock.mode = new,
                // Between the password and the system: the password stays
                // (the system's way falls back to it).
                (LockMode::Password | LockMode::System, new) => self.settings.lock.mode = new,
                (LockMode::Off, new) => {
                    self.lock.form = Some(PasswordForm {
                        mode: new,
                        password: Zeroizing::new(String::new()),
                        repeat: Zeroizing::new(String::new()),
                    });
                }
            }
        }
        if self.lock.form.is_some() {
            self.lock_password_form(ui);
        } else if self.lock.saving.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t!("ui-lock-saving"));
            });
        }
        if !self.settings.lock.enabled() {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t!("ui-lock-idle"));
            ui.add(egui::DragValue::new(&mut self.settings.lock.idle_minutes).range(0..=240))
                .labelled_by(label.id);
        });
        ui.checkbox(
            &mut self.settings.lock.on_minimise,
            t!("ui-lock-on-minimise"),
        );
        let shortcut = ui.ctx().format_shortcut(&LOCK_SHORTCUT);
        ui.horizontal_wrapped(|ui| {
            if !file
                && self.lock.form.is_none()
                && ui.button(t!("ui-lock-change-password")).clicked()
            {
                self.lock.form = Some(PasswordForm {
                    mode: self.settings.lock.mode,
                    password: Zeroizing::new(String::new()),
                    repeat: Zeroizing::new(String::new()),
                });
            }
            if ui.button(t!("ui-lock-now", shortcut = shortcut)).clicked() {
                self.lock.requested.store(true, Ordering::SeqCst);
                ui.ctx().request_repaint();
            }
        });
    }

    fn lock_password_form(&mut self, ui: &mut egui::Ui) {
        let Some(form) = &mut self.lock.form else {
            return;
        };
        ui.label(t!("ui-lock-password-explain"));
        let ready = super::password::new_password_fields(
            ui,
            "lock-password-form",
            &mut form.password,
            &mut form.repeat,
        );
        let (mut save, mut cancel) = (false, false);
        ui.horizontal(|ui| {
            save = ui
                .add_enabled(ready, egui::Button::new(t!("ui-lock-save-password")))
                .clicked();
            cancel = ui.button(t!("ui-cancel")).clicked();
        });
        if cancel {
            self.lock.form = None;
        } else if save && let Some(form) = self.lock.form.take() {
            self.lock.saving = Some(form.mode);
            self.worker.send(Command::SetLockPassword(form.password));
        }
    }
}
