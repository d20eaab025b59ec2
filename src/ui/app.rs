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
use egui::{Color32, Key, KeyboardShortcut, Modifiers, RichText};
use uuid::Uuid;
use zeroize::Zeroizing;

mod scan;

use super::worker::{Command, Event, WorkerHandle};
use super::{Services, Settings, Theme};
use crate::otp::{self, Algorithm, Kind, OtpAccount, Params, Secret};
use crate::vault::Entry;

mod backup;
pub use backup::{Opener, SaveDialog};

/// Seconds before a TOTP code changes during which the next code is shown too.
const NEXT_CODE_LEAD: u64 = 5;

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
    pub fn label(self) -> &'static str {
        match self {
            Action::Add => "Add account",
            Action::Search => "Search",
            Action::Copy => "Copy code",
            Action::Edit => "Edit",
            Action::Delete => "Delete",
            Action::MoveUp => "Move up",
            Action::MoveDown => "Move down",
            Action::NextCode => "Next code",
            Action::Settings => "Settings",
            Action::ScanScreen => "Scan screen",
            Action::PasteImage => "Paste image",
            Action::OpenImage => "Open image…",
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
            Some(s) => format!("{} ({})", self.label(), ctx.format_shortcut(&s)),
            None => self.label().to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AddTab {
    Uri,
    Manual,
}

/// The add-account form. The secret field zeroizes when the form goes away.
struct AddForm {
    tab: AddTab,
    uri: Zeroizing<String>,
    issuer: String,
    account: String,
    secret: Zeroizing<String>,
    show_secret: bool,
    kind: Kind,
    algorithm: Algorithm,
    digits: u8,
    period: String,
    counter: String,
}

impl Default for AddForm {
    fn default() -> Self {
        AddForm {
            tab: AddTab::Uri,
            uri: Zeroizing::new(String::new()),
            issuer: String::new(),
            account: String::new(),
            secret: Zeroizing::new(String::new()),
            show_secret: false,
            kind: Kind::Totp,
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: "30".into(),
            counter: "0".into(),
        }
    }
}

impl AddForm {
    /// The account the form describes, or what is wrong with it.
    fn parse(&self) -> Result<(OtpAccount, Vec<String>), String> {
        match self.tab {
            AddTab::Uri => {
                let p = otp::parse_uri(&self.uri).map_err(|e| e.to_string())?;
                Ok((p.account, p.warnings))
            }
            AddTab::Manual => {
                if self.issuer.trim().is_empty() && self.account.trim().is_empty() {
                    return Err("enter an issuer or an account name".into());
                }
                let secret = Secret::parse_base32(&self.secret).map_err(|e| e.to_string())?;
                let period = otp::parse_period(&self.period).map_err(|e| e.to_string())?;
                let params = match self.kind {
                    Kind::Steam => Params::steam(period),
                    kind => Params {
                        kind,
                        algorithm: self.algorithm,
                        digits: self.digits,
                        period,
                        counter: otp::parse_counter(&self.counter).map_err(|e| e.to_string())?,
                    },
                };
                Ok((
                    OtpAccount {
                        issuer: self.issuer.trim().into(),
                        name: self.account.trim().into(),
                        secret,
                        params,
                        extra: vec![],
                    },
                    vec![],
                ))
            }
        }
    }
}

struct Candidate {
    account: OtpAccount,
    group: String,
    selected: bool,
    duplicate: bool,
}

enum View {
    List,
    Add(Box<AddForm>),
    Review(Box<scan::Review>),
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
            self.scan_event_seen(&event);
            match event {
                Event::Entries { entries, seen } => {
                    if seen < self.shown_change {
                        continue;
                    }
                    self.entries = entries;
                    let ids: HashSet<Uuid> = self.entries.iter().map(|e| e.id).collect();
                    self.secrets.retain(|id, _| ids.contains(id));
                    if self.selected.is_some_and(|s| !ids.contains(&s)) {
                        self.selected = None;
                    }
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
                }
                Event::Notes(notes) => self.notices.extend(notes),
                Event::Progress { done, total } => {
                    self.progress = (done < total).then_some((done, total));
                }
                Event::Added { added, duplicates } => {
                    self.progress = None;
                    let mut msg = match added.len() {
                        0 => "Nothing added".to_string(),
                        1 => format!("Added {}", added[0]),
                        n => format!("Added {n} accounts"),
                    };
                    if !duplicates.is_empty() {
                        msg.push_str(&format!("; {} duplicates skipped", duplicates.len()));
                    }
                    self.toast(msg);
                }
                Event::Removed(name) => self.toast(format!("Deleted {name}")),
                Event::Found {
                    source,
                    accounts,
                    notes,
                    batches,
                } => self.found(source, accounts, notes, batches),
                Event::Captured => {}
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
                    self.notices.push(msg);
                }
                Event::Backup(event) => self.backup_event(event),
            }
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
            self.toast("The code is still loading");
            return;
        };
        self.selected = Some(id);
        self.revealed.insert(id);
        self.copy_text(code, &entry.display_name());
    }

    /// Puts a code on the clipboard, to be cleared after the configured delay.
    fn copy_text(&mut self, code: String, what: &str) {
        let now = self.now();
        match self.services.clipboard.set_text(&code) {
            Ok(()) => {
                let delay = self.settings.clipboard_clear_secs as f64;
                self.copied = Some(Copied {
                    code,
                    clear_at: now + delay,
                });
                self.toast(format!(
                    "Copied {what} — clipboard clears in {} s",
                    self.settings.clipboard_clear_secs
                ));
            }
            Err(e) => self.toast(format!("Could not copy: {e}")),
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

    /// Keyboard handling for the list view.
    fn list_keys(&mut self, ctx: &egui::Context) {
        let typing_elsewhere = ctx.memory(|m| m.focused()).is_some() && !self.search_has_focus(ctx);
        if typing_elsewhere {
            return;
        }
        let pressed =
            |a: Action| ctx.input_mut(|i| a.shortcut().is_some_and(|s| i.consume_shortcut(&s)));
        if pressed(Action::Add) {
            self.view = View::Add(Box::default());
            return;
        }
        if pressed(Action::Settings) {
            self.view = View::Settings;
            return;
        }
        if pressed(Action::Search) {
            self.focus_search = true;
        }
        if pressed(Action::MoveUp) {
            self.move_selected(-1);
        }
        if pressed(Action::MoveDown) {
            self.move_selected(1);
        }
        if pressed(Action::NextCode)
            && let Some(id) = self.selected
            && self.entry(id).is_some_and(|e| e.kind == Kind::Hotp)
        {
            self.next_hotp(id);
        }
        let visible = self.visible();
        let pos = self
            .selected
            .and_then(|s| visible.iter().position(|&i| self.entries[i].id == s));
        let down = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::ArrowDown));
        let up = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::ArrowUp));
        if (down || up) && !visible.is_empty() {
            let next = match (pos, down) {
                (None, _) => 0,
                (Some(p), true) => (p + 1).min(visible.len() - 1),
                (Some(p), false) => p.saturating_sub(1),
            };
            self.selected = Some(self.entries[visible[next]].id);
        }
        if self.selected.is_none() && visible.len() == 1 {
            self.selected = Some(self.entries[visible[0]].id);
        }
        let enter = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
        // eframe turns Ctrl+C into a Copy event, not a key press (kittest sends keys).
        let copy_event = ctx.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Copy)));
        let copy = (pressed(Action::Copy) || copy_event) && !self.search_has_selection(ctx);
        if (enter || copy)
            && let Some(id) = self.selected
        {
            self.copy(id);
        }
        if let Some(id) = self.selected {
            if !self.search_has_focus(ctx) && pressed(Action::Delete) {
                self.confirm_delete = Some(id);
            }
            if pressed(Action::Edit)
                && let Some(e) = self.entry(id)
            {
                self.view = View::Edit {
                    id,
                    issuer: e.issuer.clone(),
                    name: e.name.clone(),
                    group: e.group.clone(),
                };
            }
        }
        // Type-to-search: text typed while nothing has focus goes to the search box.
        if ctx.memory(|m| m.focused()).is_none() {
            let typed: String = ctx.input(|i| {
                i.events
                    .iter()
                    .filter_map(|e| match e {
                        egui::Event::Text(t) => Some(t.as_str()),
                        _ => None,
                    })
                    .collect()
            });
            if !typed.is_empty() {
                self.search.push_str(&typed);
                self.focus_search = true;
            }
        }
    }

    fn search_id() -> egui::Id {
        egui::Id::unique("ninsho-search")
    }

    fn search_has_focus(&self, ctx: &egui::Context) -> bool {
        ctx.memory(|m| m.has_focus(Self::search_id()))
    }

    fn search_has_selection(&self, ctx: &egui::Context) -> bool {
        egui::TextEdit::load_state(ctx, Self::search_id())
            .and_then(|s| s.cursor.char_range())
            .is_some_and(|r| !r.is_empty())
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
        self.take_dropped_files(ctx);
        self.scan_tick(ctx);
        self.apply_theme(ctx);
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
            self.notices.push(
                "No Japanese/Chinese/Korean font is installed, so some names show as boxes. Install one (e.g. fonts-noto-cjk or fonts-ipafont) and restart Ninsho.".into(),
            );
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
        if ctx.input(|i| i.viewport().minimized == Some(true)) {
            return;
        }
        let mut wait = f64::INFINITY;
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
        if let Some(msg) = self.keyring_error.clone() {
            self.keyring_screen(ui, &msg);
            return;
        }
        if matches!(self.view, View::List | View::Review(_)) {
            self.source_keys(&ctx);
        }
        match std::mem::replace(&mut self.view, View::List) {
            View::List => {
                self.list_keys(&ctx);
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
                        ui.heading(
                            "Drop a QR code screenshot or an export file to add its accounts",
                        );
                    });
                });
        }
        self.delete_dialog(&ctx);
    }

    fn keyring_screen(&mut self, ui: &mut egui::Ui, msg: &str) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(24.0);
            ui.heading("Your keyring is not available");
            ui.add_space(8.0);
            ui.label("Ninsho keeps every secret in your system keyring and cannot show codes without it. Nothing has been changed or lost.");
            ui.add_space(8.0);
            ui.label(RichText::new(msg).monospace());
            ui.add_space(8.0);
            ui.label("To fix it:");
            ui.label("• If the keyring is locked, unlock it (log in again, or open Passwords and Keys).");
            ui.label("• If no keyring runs, install and start gnome-keyring (e.g. `sudo apt install gnome-keyring`), or enable the Secret Service integration in KeePassXC.");
            ui.add_space(16.0);
            if ui.button("Retry").clicked() {
                self.keyring_error = None;
                self.secrets_done = false;
                self.worker.send(Command::Load);
            }
        });
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("ninsho-top").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let ctx = ui.ctx().clone();
                if ui
                    .button(Action::Add.label())
                    .on_hover_text(Action::Add.tooltip(&ctx))
                    .clicked()
                {
                    self.view = View::Add(Box::default());
                }
                self.scan_menu(ui);
                if ui
                    .button(Action::Settings.label())
                    .on_hover_text(Action::Settings.tooltip(&ctx))
                    .clicked()
                {
                    self.view = View::Settings;
                }
                self.backup_button(ui);
                let search = egui::TextEdit::singleline(&mut self.search)
                    .id(Self::search_id())
                    .hint_text("Search")
                    .desired_width(f32::INFINITY);
                let r = ui.add(search).on_hover_text(Action::Search.tooltip(&ctx));
                if self.focus_search {
                    r.request_focus();
                    if let Some(mut state) = egui::TextEdit::load_state(&ctx, Self::search_id()) {
                        let end = egui::text::CCursor::new(self.search.chars().count());
                        state
                            .cursor
                            .set_char_range(Some(egui::text::CCursorRange::one(end)));
                        state.store(&ctx, Self::search_id());
                    }
                    self.focus_search = false;
                }
                if r.has_focus() && ui.input(|i| i.key_pressed(Key::Escape)) {
                    self.search.clear();
                }
            });
            ui.add_space(4.0);
            for (i, note) in self.notices.clone().iter().enumerate() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(note).color(ui.visuals().warn_fg_color));
                    if ui.small_button("Dismiss").clicked() {
                        self.notices.remove(i);
                    }
                });
            }
        });
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        let show = self.progress.is_some()
            || self.opening.is_some()
            || self.toast.is_some()
            || (!self.secrets_done && !self.entries.is_empty());
        if !show {
            return;
        }
        egui::Panel::bottom("ninsho-status").show(ui, |ui| {
            if let Some(name) = &self.opening {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Reading {name}…"));
                });
            }
            if let Some((done, total)) = self.progress {
                ui.add(
                    egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                        .text(format!("Saving {done} of {total}…")),
                );
            } else if !self.secrets_done && !self.entries.is_empty() {
                // A bar, not a spinner: a spinner repaints every frame, and those
                // frames took CPU from the keyring while it was returning secrets
                // (BENCHMARKS.md, window start-up). The bar moves with each batch.
                let (done, total) = (self.secrets.len(), self.entries.len());
                ui.add(
                    egui::ProgressBar::new(done as f32 / total.max(1) as f32).text(format!(
                        "Reading secrets from the keyring… {done} of {total}"
                    )),
                );
            }
            if let Some((text, _)) = &self.toast {
                ui.label(text);
            }
        });
    }

    fn list_view(&mut self, ui: &mut egui::Ui) {
        self.top_bar(ui);
        self.status_bar(ui);
        egui::CentralPanel::default().show(ui, |ui| {
            if self.entries.is_empty() {
                ui.add_space(32.0);
                ui.vertical_centered(|ui| {
                    ui.heading("No accounts yet");
                    ui.label("Add the QR code or setup key a site shows when you turn on two-factor authentication.");
                    if ui.button("Add your first account").clicked() {
                        self.view = View::Add(Box::default());
                    }
                    ui.label("or add it from a QR code:");
                    self.source_buttons(ui);
                });
                return;
            }
            let visible = self.visible();
            if visible.is_empty() {
                ui.label(format!("No account matches “{}”", self.search.trim()));
                return;
            }
            let now = self.now();
            let row_height = 64.0;
            // A long list shows its scroll bar from the first frame: left to find
            // out, egui fades the bar in over a dozen frames while start-up is
            // still reading secrets (BENCHMARKS.md, window start-up).
            let rows = visible.len() as f32 * (row_height + ui.spacing().item_spacing.y);
            let bar = if rows > ui.available_height() {
                egui::scroll_area::ScrollBarVisibility::AlwaysVisible
            } else {
                egui::scroll_area::ScrollBarVisibility::VisibleWhenNeeded
            };
            egui::ScrollArea::vertical().auto_shrink(false).scroll_bar_visibility(bar).show_rows(ui, row_height, visible.len(), |ui, range| {
                for &i in &visible[range] {
                    let entry = self.entries[i].clone();
                    self.account_row(ui, &entry, now, row_height);
                }
            });
        });
    }

    fn account_row(&mut self, ui: &mut egui::Ui, entry: &Entry, now: f64, height: f32) {
        let selected = self.selected == Some(entry.id);
        let secs = now as u64;
        let code = self.code_for(entry, secs);
        let params = entry.params();
        let hidden = self.settings.privacy && !self.revealed.contains(&entry.id);
        let shown_code = match (&code, hidden) {
            (Some(c), false) => otp::group_code(c),
            (Some(c), true) => otp::group_code(&"•".repeat(c.chars().count())),
            (None, _) if self.missing.contains_key(&entry.id) => "no secret".to_string(),
            (None, _) => "…".to_string(),
        };
        let (rect, _) = ui.allocate_exact_size(
            egui::vec2(ui.available_width(), height),
            egui::Sense::hover(),
        );
        let row_id = ui.scope_id().with(("row", entry.id));
        let response = ui.interact(rect, row_id, egui::Sense::click());
        let name = entry.display_name();
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Copy code for {name}"))
        });
        if selected {
            ui.painter().rect_filled(
                rect,
                6.0,
                ui.visuals().selection.bg_fill.gamma_multiply(0.5),
            );
        } else if response.hovered() {
            ui.painter()
                .rect_filled(rect, 6.0, ui.visuals().widgets.hovered.weak_bg_fill);
        }
        if response.clicked() {
            self.copy(entry.id);
        }
        let mut child = ui.new_child(
            egui::UiBuilder::new()
                .max_rect(rect.shrink2(egui::vec2(8.0, 6.0)))
                .layout(egui::Layout::left_to_right(egui::Align::Center)),
        );
        let ui = &mut child;
        ui.vertical(|ui| {
            let title = if entry.issuer.is_empty() {
                &entry.name
            } else {
                &entry.issuer
            };
            ui.label(RichText::new(title).strong());
            if !entry.issuer.is_empty() && !entry.name.is_empty() {
                ui.label(RichText::new(&entry.name).weak());
            }
            if !entry.group.is_empty() {
                ui.label(RichText::new(&entry.group).small().weak());
            }
            self.recovery_badge(ui, entry.id);
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if let Some(period) = params.period_opt()
                && code.is_some()
            {
                countdown_ring(ui, period, now);
            }
            if entry.kind == Kind::Hotp && code.is_some() {
                let b = ui
                    .small_button("Next")
                    .on_hover_text(Action::NextCode.tooltip(ui.ctx()));
                if b.clicked() {
                    self.next_hotp(entry.id);
                }
            }
            if selected {
                // One menu: the row has no room for a button per action.
                ui.menu_button("More", |ui| {
                    self.row_backup_buttons(ui, entry);
                    if ui
                        .small_button(Action::Delete.label())
                        .on_hover_text(Action::Delete.tooltip(ui.ctx()))
                        .clicked()
                    {
                        self.confirm_delete = Some(entry.id);
                    }
                    if ui
                        .small_button(Action::Edit.label())
                        .on_hover_text(Action::Edit.tooltip(ui.ctx()))
                        .clicked()
                    {
                        self.view = View::Edit {
                            id: entry.id,
                            issuer: entry.issuer.clone(),
                            name: entry.name.clone(),
                            group: entry.group.clone(),
                        };
                    }
                    if ui
                        .small_button(Action::MoveDown.label())
                        .on_hover_text(Action::MoveDown.tooltip(ui.ctx()))
                        .clicked()
                    {
                        self.move_selected(1);
                    }
                    if ui
                        .small_button(Action::MoveUp.label())
                        .on_hover_text(Action::MoveUp.tooltip(ui.ctx()))
                        .clicked()
                    {
                        self.move_selected(-1);
                    }
                });
            }
            ui.vertical(|ui| {
                ui.with_layout(egui::Layout::top_down(egui::Align::Max), |ui| {
                    ui.label(RichText::new(&shown_code).monospace().size(22.0));
                    if let (Some(period), false) = (params.period_opt(), hidden)
                        && let Some(secret) = self.secrets.get(&entry.id)
                        && period - secs % period <= NEXT_CODE_LEAD
                    {
                        let next = otp::code_at(secret, &params, secs + period);
                        ui.label(
                            RichText::new(format!("next {}", otp::group_code(&next)))
                                .small()
                                .weak(),
                        );
                    }
                });
            });
        });
    }

    /// Returns true when the view is finished (the caller then shows the list).
    fn add_view(&mut self, ui: &mut egui::Ui, form: &mut AddForm) -> bool {
        let mut done = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Add account");
            ui.horizontal(|ui| {
                ui.label("From a QR code:");
                done |= self.source_buttons(ui);
            });
            ui.horizontal(|ui| {
                ui.selectable_value(&mut form.tab, AddTab::Uri, "Paste URI");
                ui.selectable_value(&mut form.tab, AddTab::Manual, "Enter manually");
            });
            ui.separator();
            match form.tab {
                AddTab::Uri => {
                    let label = ui.label("otpauth:// URI");
                    ui.add(
                        egui::TextEdit::multiline(&mut *form.uri)
                            .hint_text("otpauth://totp/Example:alice?secret=…")
                            .desired_rows(3)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                }
                AddTab::Manual => {
                    egui::Grid::new("manual").num_columns(2).show(ui, |ui| {
                        ui.label("Issuer");
                        ui.text_edit_singleline(&mut form.issuer);
                        ui.end_row();
                        ui.label("Account");
                        ui.text_edit_singleline(&mut form.account);
                        ui.end_row();
                        ui.label("Secret");
                        ui.horizontal(|ui| {
                            ui.add(
                                egui::TextEdit::singleline(&mut *form.secret)
                                    .password(!form.show_secret),
                            );
                            ui.checkbox(&mut form.show_secret, "Show");
                        });
                        ui.end_row();
                    });
                    egui::CollapsingHeader::new("Advanced").show(ui, |ui| {
                        egui::Grid::new("advanced").num_columns(2).show(ui, |ui| {
                            ui.label("Type");
                            ui.horizontal(|ui| {
                                ui.radio_value(&mut form.kind, Kind::Totp, "Time (TOTP)");
                                ui.radio_value(&mut form.kind, Kind::Hotp, "Counter (HOTP)");
                                ui.radio_value(&mut form.kind, Kind::Steam, "Steam");
                            });
                            ui.end_row();
                            if form.kind != Kind::Steam {
                                ui.label("Algorithm");
                                ui.horizontal(|ui| {
                                    for a in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512]
                                    {
                                        ui.radio_value(&mut form.algorithm, a, a.as_str());
                                    }
                                });
                                ui.end_row();
                                ui.label("Digits");
                                ui.add(egui::DragValue::new(&mut form.digits).range(1..=10));
                                ui.end_row();
                            }
                            if form.kind == Kind::Hotp {
                                labeled_field(ui, "Counter", &mut form.counter);
                            } else {
                                labeled_field(ui, "Period (seconds)", &mut form.period);
                            }
                        });
                    });
                }
            }
            ui.add_space(8.0);
            egui::CollapsingHeader::new("From a screenshot or another app").show(ui, |ui| {
                ui.label("Drop a screenshot of a QR code, or an export file, on this window. Encrypted exports ask for their password; you review everything before it is saved. Exports Ninsho reads:");
                for format in crate::formats::REGISTRY {
                    let lock = if format.encryptable { " (encrypted too)" } else { "" };
                    ui.label(format!("• {}{lock}", format.description));
                }
            });
            ui.add_space(8.0);
            let parsed = form.parse();
            let empty = match form.tab {
                AddTab::Uri => form.uri.trim().is_empty(),
                AddTab::Manual => {
                    form.secret.trim().is_empty()
                        && form.issuer.is_empty()
                        && form.account.is_empty()
                }
            };
            match (&parsed, empty) {
                (_, true) => {}
                (Ok((a, warnings)), false) => {
                    ui.label(format!("✔ {} — {}", a.display_name(), describe(&a.params)));
                    for w in warnings {
                        ui.label(RichText::new(w).color(ui.visuals().warn_fg_color));
                    }
                }
                (Err(e), false) => {
                    ui.label(RichText::new(format!("✖ {e}")).color(ui.visuals().error_fg_color));
                }
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let ok = parsed.is_ok() && !empty;
                if ui.add_enabled(ok, egui::Button::new("Review")).clicked()
                    && let Ok((account, warnings)) = parsed
                {
                    let candidates = vec![self.candidate(account, String::new())];
                    self.view = View::Review(Box::new(scan::Review::new(candidates, warnings)));
                    done = true;
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    done = true;
                }
            });
        });
        done
    }

    fn candidate(&self, account: OtpAccount, group: String) -> Candidate {
        let duplicate = self.entries.iter().any(|e| {
            e.issuer == account.issuer
                && e.name == account.name
                && e.kind == account.params.kind
                && self.secrets.get(&e.id) == Some(&account.secret)
        });
        Candidate {
            account,
            group,
            selected: !duplicate,
            duplicate,
        }
    }

    fn review_view(&mut self, ui: &mut egui::Ui, review: &mut scan::Review) -> bool {
        let mut done = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Review");
            ui.label("Check what will be added. Nothing is saved until you press Save.");
            for w in review.lines() {
                ui.label(RichText::new(w).color(ui.visuals().warn_fg_color));
            }
            if review.incomplete() {
                ui.label("Show the next code, then:");
                self.source_buttons(ui);
            }
            if let Some(name) = &self.opening {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Reading {name}…"));
                });
            }
            let candidates = &mut review.candidates;
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(ui.available_height() - 48.0)
                .show(ui, |ui| {
                    for c in candidates.iter_mut() {
                        let mut text = format!(
                            "{} — {}",
                            c.account.display_name(),
                            describe(&c.account.params)
                        );
                        if c.duplicate {
                            text.push_str(" (already in Ninsho)");
                        }
                        ui.checkbox(&mut c.selected, text);
                    }
                });
            ui.separator();
            let chosen = candidates.iter().filter(|c| c.selected).count();
            ui.horizontal(|ui| {
                let label = match chosen {
                    0 | 1 => "Save".to_string(),
                    n => format!("Save {n} accounts"),
                };
                // Enter saves unless a checkbox has focus (there it toggles).
                let enter = ui.memory(|m| m.focused().is_none())
                    && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
                if ui
                    .add_enabled(chosen > 0, egui::Button::new(label))
                    .on_hover_text("Save the checked accounts (Enter)")
                    .clicked()
                    || (enter && chosen > 0)
                {
                    let accounts: Vec<(OtpAccount, String)> = candidates
                        .iter()
                        .filter(|c| c.selected)
                        .map(|c| (c.account.clone(), c.group.clone()))
                        .collect();
                    self.progress = Some((0, accounts.len()));
                    self.worker.send(Command::Add(accounts));
                    done = true;
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    done = true;
                }
            });
        });
        done
    }

    fn edit_view(
        &mut self,
        ui: &mut egui::Ui,
        id: Uuid,
        issuer: &mut String,
        name: &mut String,
        group: &mut String,
    ) -> bool {
        let mut done = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Edit account");
            egui::Grid::new("edit").num_columns(2).show(ui, |ui| {
                labeled_field(ui, "Issuer", issuer);
                labeled_field(ui, "Account", name);
                labeled_field(ui, "Group", group);
            });
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    if let Some(e) = self.entries.iter_mut().find(|e| e.id == id) {
                        e.issuer = issuer.trim().to_string();
                        e.name = name.trim().to_string();
                        e.group = group.trim().to_string();
                    }
                    self.shown_change = self.worker.send(Command::Edit {
                        id,
                        issuer: issuer.clone(),
                        name: name.clone(),
                        group: group.clone(),
                    });
                    done = true;
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    done = true;
                }
            });
        });
        done
    }

    fn password_view(
        &mut self,
        ui: &mut egui::Ui,
        path: &std::path::Path,
        format: &str,
        error: Option<&str>,
        password: &mut Zeroizing<String>,
    ) -> bool {
        let mut done = false;
        egui::CentralPanel::default().show(ui, |ui| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            ui.heading(format!("{name} is encrypted"));
            ui.label(format!("Enter the password of this {format} export."));
            if let Some(e) = error {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
            let label = ui.label("Password");
            let field = ui
                .add(egui::TextEdit::singleline(&mut **password).password(true))
                .labelled_by(label.id);
            if !field.has_focus() && password.is_empty() {
                field.request_focus();
            }
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            ui.horizontal(|ui| {
                if (ui
                    .add_enabled(!password.is_empty(), egui::Button::new("Unlock"))
                    .clicked()
                    || enter)
                    && !password.is_empty()
                {
                    self.opening = Some(name.clone());
                    self.worker.send(Command::OpenFile {
                        path: path.to_path_buf(),
                        password: Some(crate::formats::Password::new(password.to_string())),
                    });
                    done = true;
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    done = true;
                }
            });
        });
        done
    }

    fn settings_view(&mut self, ui: &mut egui::Ui) -> bool {
        let mut done = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Settings");
            ui.label("Theme");
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.settings.theme, Theme::System, "System");
                ui.radio_value(&mut self.settings.theme, Theme::Light, "Light");
                ui.radio_value(&mut self.settings.theme, Theme::Dark, "Dark");
            });
            ui.add_space(8.0);
            ui.add(
                egui::Slider::new(&mut self.settings.clipboard_clear_secs, 5..=300)
                    .text("Clear clipboard after (seconds)"),
            );
            ui.checkbox(&mut self.settings.privacy, "Hide codes until clicked");
            ui.add_space(8.0);
            if ui.button("Done").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                done = true;
            }
        });
        done
    }

    fn delete_dialog(&mut self, ctx: &egui::Context) {
        let Some(id) = self.confirm_delete else {
            return;
        };
        let Some(name) = self.entry(id).map(Entry::display_name) else {
            self.confirm_delete = None;
            return;
        };
        let modal = egui::Modal::new(egui::Id::unique("confirm-delete")).show(ctx, |ui| {
            ui.heading(format!("Delete {name}?"));
            ui.label("Its secret is removed from the keyring. Make sure you can still sign in to this account another way (or have turned off two-factor authentication there).");
            ui.horizontal(|ui| {
                if ui.button(format!("Delete {name}")).clicked() {
                    self.worker.send(Command::Remove(id));
                    self.confirm_delete = None;
                }
                if ui.button("Cancel").clicked() {
                    self.confirm_delete = None;
                }
            });
        });
        if modal.should_close() {
            self.confirm_delete = None;
        }
    }
}

/// A grid row: a label and a text field that screen readers (and tests) find by it.
fn labeled_field(ui: &mut egui::Ui, label: &str, text: &mut String) {
    let label = ui.label(label);
    ui.text_edit_singleline(text).labelled_by(label.id);
    ui.end_row();
}

fn describe(p: &Params) -> String {
    match p.kind {
        Kind::Totp => format!(
            "{} digits, {} s, {}",
            p.digits,
            p.period,
            p.algorithm.as_str()
        ),
        Kind::Hotp => format!(
            "counter {}, {} digits, {}",
            p.counter,
            p.digits,
            p.algorithm.as_str()
        ),
        Kind::Steam => "Steam Guard".to_string(),
    }
}

/// A ring that empties as the period runs out, with the seconds left inside.
fn countdown_ring(ui: &mut egui::Ui, period: u64, now: f64) {
    let left = period - (now as u64) % period;
    let (rect, response) = ui.allocate_exact_size(egui::vec2(28.0, 28.0), egui::Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Meter, true, format!("{left} seconds left"))
    });
    let painter = ui.painter();
    let center = rect.center();
    let radius = 11.0;
    let track = ui.visuals().widgets.noninteractive.bg_stroke.color;
    painter.circle_stroke(center, radius, egui::Stroke::new(3.0, track));
    let fraction = left as f32 / period as f32;
    let color = if left <= NEXT_CODE_LEAD {
        Color32::from_rgb(0xd9, 0x53, 0x4f)
    } else {
        ui.visuals().selection.bg_fill
    };
    let steps = 48;
    let points: Vec<egui::Pos2> = (0..=steps)
        .map(|i| {
            let a = -std::f32::consts::FRAC_PI_2
                + std::f32::consts::TAU * fraction * i as f32 / steps as f32;
            center + radius * egui::vec2(a.cos(), a.sin())
        })
        .collect();
    painter.add(egui::Shape::line(points, egui::Stroke::new(3.0, color)));
    painter.text(
        center,
        egui::Align2::CENTER_CENTER,
        left.to_string(),
        egui::FontId::proportional(10.0),
        ui.visuals().text_color(),
    );
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

    /// egui's memory holds text-edit undo history, which could include a typed
    /// secret: never write it to disk.
    fn persist_egui_memory(&self) -> bool {
        false
    }
}
