//! The window's state and drawing. Everything slow goes to the worker as a
//! [`Command`]; results come back as [`Event`]s drained at the start of a frame.
//!
//! [`Action`] is the single source of each action's label, tooltip and shortcut.
//! Repaints are scheduled from the data: the next whole second while a countdown
//! is visible, the clipboard-clear deadline, a notice's expiry — never a busy loop.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use eframe::egui;
use egui::{Key, KeyboardShortcut, Modifiers};
use uuid::Uuid;
use zeroize::Zeroizing;

mod add;
mod chooser;
mod edit;
mod follow;
mod keyring;
mod list;
mod lock;
mod password;
mod review;
mod scan;
mod settings;
mod unlock;

use super::worker::{Command, Event, WorkerHandle};
use super::{Services, Settings, Theme};
use crate::otp::{self, Kind, Params, Secret};
use crate::t;
use crate::vault::Entry;
use add::AddForm;
use review::Candidate;

mod backup;
pub use backup::{Opener, SaveDialog};
pub use lock::{LOCK_SHORTCUT, LockRequester};
pub use unlock::PasswordSlot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Add,
    Search,
    Copy,
    Edit,
    Delete,
    MoveUp,
    MoveDown,
    NextCode,
    Settings,
    ScanScreen,
    PasteImage,
    OpenImage,
}

impl Action {
    pub fn label(self) -> String {
        match self {
            Action::Add => t!("ui-action-add"),
            Action::Search => t!("ui-action-search"),
            Action::Copy => t!("ui-action-copy"),
            Action::Edit => t!("ui-action-edit"),
            Action::Delete => t!("ui-action-delete"),
            Action::MoveUp => t!("ui-action-move-up"),
            Action::MoveDown => t!("ui-action-move-down"),
            Action::NextCode => t!("ui-action-next-code"),
            Action::Settings => t!("ui-action-settings"),
            Action::ScanScreen => t!("ui-action-scan-screen"),
            Action::PasteImage => t!("ui-action-paste-image"),
            Action::OpenImage => t!("ui-action-open-image"),
        }
    }

    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let (m, k) = match self {
            Action::Add => (Modifiers::COMMAND, Key::N),
            Action::Search => (Modifiers::COMMAND, Key::F),
            Action::Copy => (Modifiers::COMMAND, Key::C),
            Action::Edit => (Modifiers::NONE, Key::F2),
            Action::Delete => (Modifiers::NONE, Key::Delete),
            Action::MoveUp => (Modifiers::ALT, Key::ArrowUp),
            Action::MoveDown => (Modifiers::ALT, Key::ArrowDown),
            Action::NextCode => (Modifiers::COMMAND, Key::Enter),
            Action::Settings => (Modifiers::COMMAND, Key::Comma),
            Action::ScanScreen => (Modifiers::COMMAND | Modifiers::SHIFT, Key::S),
            Action::PasteImage => (Modifiers::COMMAND, Key::V),
            Action::OpenImage => (Modifiers::COMMAND, Key::O),
        };
        Some(KeyboardShortcut::new(m, k))
    }

    pub fn tooltip(self, ctx: &egui::Context) -> String {
        match self.shortcut() {
            Some(s) => t!(
                "ui-tooltip-shortcut",
                action = self.label(),
                shortcut = ctx.format_shortcut(&s)
            ),
            None => self.label(),
        }
    }
}

enum View {
    List,
    Add(Box<AddForm>),
    Review(Box<scan::Review>),
    /// Changes in a followed backup of another device (follow.rs).
    Follow(Box<follow::FollowView>),
    Edit {
        id: Uuid,
        issuer: String,
        name: String,
        group: String,
    },
    Settings,
    /// Recovery codes, QR codes and the printable sheet (backup.rs).
    Backup(backup::Panel),
    /// An encrypted export was dropped: ask for its password.
    Password {
        path: std::path::PathBuf,
        format: &'static str,
        error: Option<String>,
        password: Zeroizing<String>,
    },
}

struct Copied {
    code: String,
    clear_at: f64,
}

pub struct App {
    worker: WorkerHandle,
    services: Services,
    pub settings: Settings,
    entries: Vec<Entry>,
    /// The number of the latest command whose change `entries` already shows;
    /// older lists from the worker are skipped (see [`Event::Entries`]).
    shown_change: u64,
    secrets: HashMap<Uuid, Secret>,
    missing: HashMap<Uuid, String>,
    secrets_done: bool,
    keyring_error: Option<String>,
    search: String,
    focus_search: bool,
    selected: Option<Uuid>,
    view: View,
    confirm_delete: Option<Uuid>,
    revealed: HashSet<Uuid>,
    copied: Option<Copied>,
    /// A short message and when it disappears.
    toast: Option<(String, f64)>,
    notices: Vec<String>,
    progress: Option<(usize, usize)>,
    /// A dropped file being read or decrypted (name shown with a spinner).
    opening: Option<String>,
    /// Set once the CJK font provider is installed (see [`App::install_fonts`]).
    cjk_missing: Option<Arc<AtomicBool>>,
    cjk_notice_shown: bool,
    applied_theme: Option<Theme>,
    started: bool,
    scan: scan::ScanState,
    backup: backup::BackupState,
    chooser: chooser::ChooserState,
    /// Followed backups with changes, and the banners hidden for now.
    follow: follow::FollowState,
    /// Accounts this window asked the worker to delete (their going is no news).
    deleting: HashSet<Uuid>,
    /// Scroll the list so this account's row shows (keyboard moves, a new account).
    scroll_to: Option<Uuid>,
    /// The list's scroll offset and visible height in the last frame.
    list_viewport: (f32, f32),
    /// The data folder's store when not the keyring, or offered (unlock.rs).
    store: Option<unlock::StoreUi>,
    /// The window lock (lock.rs).
    lock: lock::LockState,
}

impl App {
    /// The window state. It touches egui only from [`App::install_fonts`] and [`App::tick`].
    pub fn new(worker: WorkerHandle, services: Services, settings: Settings) -> Self {
        App {
            worker,
            services,
            settings,
            entries: Vec::new(),
            shown_change: 0,
            secrets: HashMap::new(),
            missing: HashMap::new(),
            secrets_done: false,
            keyring_error: None,
            search: String::new(),
            focus_search: false,
            selected: None,
            view: View::List,
            confirm_delete: None,
            revealed: HashSet::new(),
            copied: None,
            toast: None,
            notices: Vec::new(),
            progress: None,
            opening: None,
            cjk_missing: None,
            cjk_notice_shown: false,
            applied_theme: None,
            started: false,
            scan: scan::ScanState::default(),
            backup: Default::default(),
            chooser: Default::default(),
            follow: Default::default(),
            deleting: HashSet::new(),
            scroll_to: None,
            list_viewport: (0.0, 0.0),
            store: None,
            lock: Default::default(),
        }
    }

    fn now(&self) -> f64 {
        (self.services.clock)()
    }

    fn toast(&mut self, text: impl Into<String>) {
        let until = self.now() + 4.0;
        self.toast = Some((text.into(), until));
    }

    /// Applies worker events. Called at the start of every frame.
    fn drain_events(&mut self) {
        while let Ok(event) = self.worker.events.try_recv() {
            if self.hidden_while_locked(&event) {
                continue;
            }
            self.scan_event_seen(&event);
            match event {
                Event::Entries { entries, seen } => {
                    if seen < self.shown_change {
                        continue;
                    }
                    let old = std::mem::replace(&mut self.entries, entries);
                    let ids: HashSet<Uuid> = self.entries.iter().map(|e| e.id).collect();
                    self.secrets.retain(|id, _| ids.contains(id));
                    for gone in old.iter().filter(|e| !ids.contains(&e.id)) {
                        self.vanished(gone);
                    }
                    self.deleting.retain(|id| ids.contains(id));
                }
                Event::Secrets(batch) => self.secrets.extend(batch),
                Event::SecretMissing(id, why) => {
                    self.missing.insert(id, why);
                }
                Event::SecretsDone => {
                    self.secrets_done = true;
                    super::trace("all codes ready");
                }
                Event::KeyringError(msg) => {
                    self.keyring_error = Some(msg);
                    self.progress = None;
                    self.store_failed();
                }
                Event::FileStoreMade => self.file_store_made(),
                Event::Notes(notes) => self.notices.extend(notes),
                Event::Progress { done, total } => {
                    self.progress = (done < total).then_some((done, total));
                }
                Event::Added {
                    added,
                    ids,
                    duplicates,
                } => {
                    self.progress = None;
                    if let Some(&first) = ids.first() {
                        self.selected = Some(first);
                        self.scroll_to = Some(first);
                    }
                    let skipped = duplicates.len();
                    let msg = match (added.len(), skipped) {
                        (0, 0) => t!("ui-added-nothing"),
                        (0, d) => t!("ui-added-nothing-duplicates", duplicates = d),
                        (1, 0) => t!("ui-added-one", name = &added[0]),
                        (1, d) => t!("ui-added-one-duplicates", name = &added[0], duplicates = d),
                        (n, 0) => t!("ui-added-many", count = n),
                        (n, d) => t!("ui-added-many-duplicates", count = n, duplicates = d),
                    };
                    self.toast(msg);
                }
                Event::Removed(name) => self.toast(t!("ui-deleted", name = name)),
                Event::Found {
                    source,
                    accounts,
                    notes,
                    batches,
                } => self.found(source, accounts, notes, batches),
                Event::Captured => {}
                Event::AutoBackup(status) => self.auto_backup_status(status),
                Event::BackupReminder(due) => self.backup.reminder = due,
                Event::NeedPassword {
                    path,
                    format,
                    error,
                } => {
                    self.opening = None;
                    self.view = View::Password {
                        path,
                        format,
                        error,
                        password: Zeroizing::new(String::new()),
                    };
                }
                Event::Failed(msg) => {
                    self.opening = None;
                    self.progress = None;
                    self.backup.failed();
                    self.backup.auto_busy = false;
                    self.follow_failed();
                    self.notice(msg);
                }
                Event::Backup(event) => self.backup_event(event),
                Event::Follow(event) => self.follow_event(event),
                Event::Lock(event) => self.lock_event(event),
                Event::StoreChanged { file } => self.store_changed(file),
            }
        }
    }

    /// A message that stays until dismissed; the same one twice shows once.
    fn notice(&mut self, msg: String) {
        if !self.notices.contains(&msg) {
            self.notices.push(msg);
        }
    }

    /// An account is gone from the list. Gone by another window or the command
    /// line while the user was looking at it (selected, editing, about to
    /// delete it, in its recovery codes or QR code), it is named in a message.
    fn vanished(&mut self, gone: &Entry) {
        let id = gone.id;
        if self.deleting.contains(&id) {
            if self.selected == Some(id) {
                self.selected = None;
            }
            return;
        }
        let viewing = match &self.view {
            View::Edit { id: shown, .. } => *shown == id,
            View::Backup(backup::Panel::Recovery { id: shown, .. })
            | View::Backup(backup::Panel::AccountQr { id: shown, .. }) => *shown == id,
            _ => false,
        };
        let deleting = self.confirm_delete == Some(id);
        let selected = self.selected == Some(id);
        let msg = t!("ui-removed-elsewhere", name = gone.display_name());
        if viewing {
            self.view = View::List;
        }
        if deleting {
            self.confirm_delete = None;
        }
        if viewing || deleting {
            self.notice(msg);
        } else if selected {
            self.toast(msg);
        }
        if selected {
            self.selected = None;
        }
    }

    fn entry(&self, id: Uuid) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    fn code_for(&self, entry: &Entry, now: u64) -> Option<String> {
        let secret = self.secrets.get(&entry.id)?;
        Some(otp::code_at(secret, &entry.params(), now))
    }

    fn visible(&self) -> Vec<usize> {
        let q = self.search.trim().to_lowercase();
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                q.is_empty()
                    || e.issuer.to_lowercase().contains(&q)
                    || e.name.to_lowercase().contains(&q)
                    || e.group.to_lowercase().contains(&q)
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn copy(&mut self, id: Uuid) {
        let now = self.now();
        let Some(entry) = self.entry(id).cloned() else {
            return;
        };
        let Some(code) = self.code_for(&entry, now as u64) else {
            self.toast(t!("ui-code-loading"));
            return;
        };
        self.selected = Some(id);
        self.revealed.insert(id);
        self.copy_text(code, &entry.display_name());
    }

    /// Puts a code on the clipboard, to be cleared after the configured delay.
    fn copy_text(&mut self, code: String, what: &str) {
        let now = self.now();
        match self.services.clipboard.set_secret(&code) {
            Ok(()) => {
                let delay = self.settings.clipboard_clear_secs as f64;
                self.copied = Some(Copied {
                    code,
                    clear_at: now + delay,
                });
                self.toast(t!(
                    "ui-copied",
                    what = what,
                    secs = self.settings.clipboard_clear_secs
                ));
            }
            Err(e) => self.toast(t!("ui-copy-failed", error = e)),
        }
    }

    /// Clears the clipboard once the delay has passed, but only if it still holds
    /// the code we put there (the user may have copied something else since).
    fn clear_clipboard_if_due(&mut self) {
        let now = self.now();
        if let Some(c) = &self.copied
            && now >= c.clear_at
        {
            if self.services.clipboard.get_text().as_deref() == Some(c.code.as_str()) {
                self.services.clipboard.clear();
            }
            self.copied = None;
        }
    }

    fn next_hotp(&mut self, id: Uuid) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == id)
            && let Some(c) = e.counter
            && let Some(next) = c.checked_add(1)
        {
            // Shown at once; the worker persists it and sends the entries back.
            e.counter = Some(next);
            self.shown_change = self.worker.send(Command::SetCounter { id, counter: next });
            // The new code is what the user is about to type: copy it, as a click does.
            self.copy(id);
        }
    }

    /// The window is closing: a code of ours still on the clipboard goes with it.
    pub fn closing(&mut self) {
        if let Some(c) = self.copied.take()
            && self.services.clipboard.get_text().as_deref() == Some(c.code.as_str())
        {
            self.services.clipboard.clear();
        }
    }

    fn move_selected(&mut self, delta: isize) {
        let Some(id) = self.selected else { return };
        let Some(from) = self.entries.iter().position(|e| e.id == id) else {
            return;
        };
        let to = from as isize + delta;
        if to < 0 || to as usize >= self.entries.len() {
            return;
        }
        let e = self.entries.remove(from);
        self.entries.insert(to as usize, e);
        self.scroll_to = Some(id);
        self.shown_change = self.worker.send(Command::Move {
            id,
            to: to as usize,
        });
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.applied_theme != Some(self.settings.theme) {
            ctx.set_theme(match self.settings.theme {
                Theme::System => egui::ThemePreference::System,
                Theme::Light => egui::ThemePreference::Light,
                Theme::Dark => egui::ThemePreference::Dark,
            });
            self.applied_theme = Some(self.settings.theme);
        }
    }

    /// Installs the system-font fallback for CJK names. eframe's app creator calls
    /// this before the first frame, so egui builds its fonts once: installed during
    /// a frame, the provider makes egui rebuild them and repaint at once.
    pub fn install_fonts(&mut self, ctx: &egui::Context) {
        if self.cjk_missing.is_none() {
            self.cjk_missing = Some(super::fonts::install(ctx));
        }
    }

    /// Everything that happens once per frame before drawing.
    pub fn tick(&mut self, ctx: &egui::Context) {
        if !self.started {
            self.started = true;
            super::trace("first frame");
            self.worker.waker.set(ctx);
            self.install_fonts(ctx);
        }
        self.drain_events();
        self.lock_tick(ctx);
        self.take_dropped_files(ctx);
        self.scan_tick(ctx);
        self.chooser_tick(ctx);
        self.apply_theme(ctx);
        fit_tooltips(ctx);
        self.clear_clipboard_if_due();
        let now = self.now();
        if self.toast.as_ref().is_some_and(|(_, until)| now >= *until) {
            self.toast = None;
        }
        if !self.cjk_notice_shown
            && self
                .cjk_missing
                .as_ref()
                .is_some_and(|m| m.load(Ordering::Relaxed))
        {
            self.cjk_notice_shown = true;
            self.notices.push(t!("ui-cjk-font-missing"));
        }
        self.schedule_repaint(ctx, now);
    }

    /// Dropped files go to the worker: images are scanned, exports imported.
    fn take_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        self.open_paths(dropped.iter().map(|f| f.path().to_path_buf()).collect());
    }

    /// Dropped or chosen files: each is read by the worker; findings add up in one review.
    fn open_paths(&mut self, paths: Vec<std::path::PathBuf>) {
        for path in paths {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            self.opening = Some(name.unwrap_or_default());
            self.worker.send(Command::OpenFile {
                path,
                password: None,
            });
        }
    }

    /// Asks for the next frame only when something visible will change.
    fn schedule_repaint(&self, ctx: &egui::Context, now: f64) {
        // Minimised too: the window locks after the minutes without input.
        let mut wait = self.lock_wake(now);
        if ctx.input(|i| i.viewport().minimized == Some(true)) {
            if wait.is_finite() {
                ctx.request_repaint_after(Duration::from_secs_f64(wait.max(0.01) + 0.005));
            }
            return;
        }
        let counting_down = matches!(self.view, View::List)
            && self.keyring_error.is_none()
            && self
                .entries
                .iter()
                .any(|e| e.kind != Kind::Hotp && self.secrets.contains_key(&e.id));
        if counting_down {
            // The ring and the seconds change on whole seconds.
            wait = wait.min(1.0 - now.fract());
        }
        if let Some(c) = &self.copied {
            wait = wait.min(c.clear_at - now);
        }
        if let Some((_, until)) = &self.toast {
            wait = wait.min(until - now);
        }
        if wait.is_finite() {
            ctx.request_repaint_after(Duration::from_secs_f64(wait.max(0.01) + 0.005));
        }
    }

    /// Draws the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.lock.locked {
            return self.lock_screen(ui);
        }
        if let Some(msg) = self.keyring_error.clone() {
            self.keyring_screen(ui, &msg);
            return;
        }
        // While the in-window file chooser is open, the keys are its own.
        let keys = !self.chooser_open();
        if keys && matches!(self.view, View::List | View::Review(_)) {
            self.source_keys(&ctx);
        }
        match std::mem::replace(&mut self.view, View::List) {
            View::List => {
                if keys {
                    self.list_keys(&ctx);
                }
                if matches!(self.view, View::List) {
                    self.list_view(ui);
                }
            }
            View::Add(mut form) => {
                if !self.add_view(ui, &mut form) && matches!(self.view, View::List) {
                    self.view = View::Add(form);
                }
            }
            View::Review(mut review) => {
                if !self.review_view(ui, &mut review) && matches!(self.view, View::List) {
                    self.view = View::Review(review);
                }
            }
            View::Follow(mut review) => {
                if !self.follow_view(ui, &mut review) && matches!(self.view, View::List) {
                    self.view = View::Follow(review);
                }
            }
            View::Edit {
                id,
                mut issuer,
                mut name,
                mut group,
            } => {
                if !self.edit_view(ui, id, &mut issuer, &mut name, &mut group) {
                    self.view = View::Edit {
                        id,
                        issuer,
                        name,
                        group,
                    };
                }
            }
            View::Settings => {
                if !self.settings_view(ui) {
                    self.view = View::Settings;
                }
            }
            View::Backup(mut panel) => {
                if !self.backup_view(ui, &mut panel) && matches!(self.view, View::List) {
                    self.view = View::Backup(panel);
                }
            }
            View::Password {
                path,
                format,
                error,
                mut password,
            } => {
                if !self.password_view(ui, &path, format, error.as_deref(), &mut password)
                    && matches!(self.view, View::List)
                {
                    self.view = View::Password {
                        path,
                        format,
                        error,
                        password,
                    };
                }
            }
        }
        if ui.ctx().input(|i| !i.raw.hovered_files.is_empty()) {
            egui::Area::new(egui::Id::unique("drop-hint"))
                .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.heading(t!("ui-drop-hint"));
                    });
                });
        }
        self.delete_dialog(&ctx);
        self.chooser_show(&ctx);
    }
}

/// A grid row: a label and a text field that screen readers (and tests) find by it.
pub(super) fn labeled_field(ui: &mut egui::Ui, label: &str, text: &mut String) {
    let label = ui.label(label);
    ui.text_edit_singleline(text).labelled_by(label.id);
    ui.end_row();
}

pub(super) fn describe(p: &Params) -> String {
    match p.kind {
        Kind::Totp => t!(
            "ui-params-totp",
            digits = p.digits,
            period = p.period.to_string(),
            algorithm = p.algorithm.as_str()
        ),
        Kind::Hotp => t!(
            "ui-params-hotp",
            counter = p.counter.to_string(),
            digits = p.digits,
            algorithm = p.algorithm.as_str()
        ),
        Kind::Steam => t!("ui-params-steam"),
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if ctx.input(|i| i.viewport().close_requested()) {
            super::trace("close requested");
        }
        self.tick(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
        if std::env::var_os("NINSHO_TRACE_FRAMES").is_some() {
            super::trace_always("frame");
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, super::SETTINGS_KEY, &self.settings);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.closing();
    }

    /// egui's memory holds text-edit undo history, which could include a typed
    /// secret: never write it to disk.
    fn persist_egui_memory(&self) -> bool {
        false
    }
}

/// Hover texts wrap within the window: egui's default width (500 points)
/// runs off a narrow window (down to 360 points wide), cutting a long
/// Japanese explanation in the middle.
fn fit_tooltips(ctx: &egui::Context) {
    let width = (ctx.content_rect().width() - 24.0).clamp(160.0, 500.0);
    if (ctx.global_style().spacing.tooltip_width - width).abs() > 0.5 {
        ctx.all_styles_mut(|style| style.spacing.tooltip_width = width);
    }
}
