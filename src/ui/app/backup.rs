//! Backup views: an account's recovery codes (paste with a preview of how it
//! was read, count, mark used and undo, delete, copy), its QR code to move it
//! to a phone, and the Backup menu: the accounts to include (all by default),
//! Google Authenticator transfer codes, "Print recovery sheet…" and the
//! encrypted (Aegis) export. Keyring reads and writes, the PDF, the key
//! derivation and the file go through the worker; the save dialog runs on its
//! own thread, so the UI never waits. QR codes are made from the secrets the
//! window already holds.
//!
//! The save dialog and the PDF opener are seams ([`SaveDialog`], [`Opener`]) so
//! tests can stand in for the desktop portal and the PDF viewer.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use eframe::egui;
use egui::{Key, RichText};
use uuid::Uuid;
use zeroize::{Zeroize, Zeroizing};

use super::{App, View};
use crate::backup::Paper;
use crate::backup::qr::{self, Qr};
use crate::t;
use crate::ui::worker::{BackupCommand, BackupEvent, Command};
use crate::vault::RecoveryCode;
use crate::vault::recovery::{PastedCodes, read_codes};

/// Asks where to save a file, given a suggested name; `None` when cancelled.
pub type SaveDialog = Arc<dyn Fn(&str) -> Option<PathBuf> + Send + Sync>;
/// The desktop's folder chooser (a seam, so tests answer it).
pub type FolderDialog = Arc<dyn Fn(&str) -> Option<PathBuf> + Send + Sync>;

/// Opens a file in the system's viewer, or says why it could not.
pub type OpenFile = dyn Fn(&Path) -> Result<(), String> + Send + Sync;

/// Opens a written file in the system's viewer.
#[derive(Clone)]
pub struct Opener(pub Arc<OpenFile>);

impl std::fmt::Debug for Opener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Opener")
    }
}

impl Default for Opener {
    fn default() -> Self {
        Opener(Arc::new(|path| {
            open::that_detached(path).map_err(|e| e.to_string())
        }))
    }
}

fn system_folder_dialog() -> FolderDialog {
    Arc::new(|title| rfd::FileDialog::new().set_title(title).pick_folder())
}

fn system_save_dialog() -> SaveDialog {
    Arc::new(|name| {
        let (title, kind, ext) = SaveFor::from_name(name).dialog();
        rfd::FileDialog::new()
            .set_title(title)
            .set_file_name(name)
            .add_filter(kind, &[ext])
            .save_file()
    })
}

/// What a save dialog is choosing a file for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SaveFor {
    Sheet,
    Export,
}

impl SaveFor {
    /// The name suggested to the dialog: its extension tells the dialog's filter.
    fn suggested_name(self) -> &'static str {
        match self {
            SaveFor::Sheet => "ninsho-recovery-sheet.pdf",
            SaveFor::Export => "ninsho-backup.json",
        }
    }

    fn from_name(name: &str) -> SaveFor {
        if name.ends_with(".pdf") {
            SaveFor::Sheet
        } else {
            SaveFor::Export
        }
    }

    /// Title, file kind and extension.
    fn dialog(self) -> (String, String, &'static str) {
        match self {
            SaveFor::Sheet => (t!("ui-save-sheet-title"), t!("ui-file-kind-pdf"), "pdf"),
            SaveFor::Export => (t!("ui-save-export-title"), t!("ui-file-kind-aegis"), "json"),
        }
    }
}

/// Unused codes at or below which an account row shows a warning.
const FEW_LEFT: usize = 2;

pub struct BackupState {
    /// (unused, total) recovery codes per account that has any.
    left: HashMap<Uuid, (usize, usize)>,
    /// The paper the user picked; until then the language's and locale's
    /// (a switch to Japanese in Settings brings A4 at once).
    paper: Option<Paper>,
    save_dialog: SaveDialog,
    folder_dialog: FolderDialog,
    /// The folder chooser of the automatic backup form, while it is open.
    picking_folder: Option<Receiver<Option<PathBuf>>>,
    opener: Opener,
    /// The save dialog is open; its answer arrives here.
    choosing: Option<(SaveFor, Receiver<Option<PathBuf>>)>,
    printing: bool,
    /// Automatic backups as the worker last read them (`None`: off).
    pub(super) auto: Option<crate::autobackup::Settings>,
    /// The form that turns them on, while open.
    auto_form: Option<AutoForm>,
    /// Asked the worker to turn them on or off; its status answers.
    pub(super) auto_busy: bool,
    /// Nothing backs the accounts up and they changed since the last export:
    /// a gentle line above the list says so.
    pub(super) reminder: bool,
    /// The status bar's line about the last automatic backup (made when the
    /// status arrives, not each frame).
    pub(super) status_line: Option<String>,
    /// What became of the last print, for the backup screen.
    print_note: Option<String>,
    /// Accounts left out of the sheet, the transfer codes and the export.
    /// Kept as the ones left out, so accounts added later are included.
    left_out: HashSet<Uuid>,
    /// The encrypted export's password prompt is open.
    export_prompt: bool,
    password: Zeroizing<String>,
    repeat: Zeroizing<String>,
    exporting: bool,
    export_note: Option<String>,
}

impl BackupState {
    /// The window locked: the open forms and the passwords typed into them go.
    pub(super) fn forget(&mut self) {
        self.auto_form = None;
        self.export_prompt = false;
        self.password = Zeroizing::new(String::new());
        self.repeat = Zeroizing::new(String::new());
    }

    /// The sheet's paper: the user's pick, else what the current language and
    /// the locale suggest.
    fn paper(&self) -> Paper {
        self.paper.unwrap_or_else(default_paper)
    }
}

/// The fields that turn automatic backups on.
struct AutoForm {
    folder: String,
    password: Zeroizing<String>,
    repeat: Zeroizing<String>,
    keep: usize,
}

impl Default for AutoForm {
    fn default() -> Self {
        let folder = dirs::document_dir()
            .or_else(dirs::home_dir)
            .map(|d| {
                d.join(t!("ui-auto-backup-default-folder"))
                    .display()
                    .to_string()
            })
            .unwrap_or_default();
        AutoForm {
            folder,
            password: Zeroizing::new(String::new()),
            repeat: Zeroizing::new(String::new()),
            keep: crate::autobackup::DEFAULT_KEEP,
        }
    }
}

impl Default for BackupState {
    fn default() -> Self {
        BackupState {
            left: HashMap::new(),
            paper: None,
            save_dialog: system_save_dialog(),
            folder_dialog: system_folder_dialog(),
            picking_folder: None,
            opener: Opener::default(),
            choosing: None,
            printing: false,
            auto: None,
            auto_form: None,
            auto_busy: false,
            reminder: false,
            status_line: None,
            print_note: None,
            left_out: HashSet::new(),
            export_prompt: false,
            password: Zeroizing::new(String::new()),
            repeat: Zeroizing::new(String::new()),
            exporting: false,
            export_note: None,
        }
    }
}

impl BackupState {
    /// A worker failure ends any print or export in progress.
    pub fn failed(&mut self) {
        self.printing = false;
        self.exporting = false;
    }

    fn close_password_prompt(&mut self) {
        self.export_prompt = false;
        self.password.zeroize();
        self.repeat.zeroize();
    }

    fn busy(&self) -> bool {
        self.printing || self.exporting || self.choosing.is_some()
    }
}

/// The folder a chooser answered with, once it has (the receiver then goes;
/// also when the chooser went away without answering).
pub(super) fn take_folder(picking: &mut Option<Receiver<Option<PathBuf>>>) -> Option<PathBuf> {
    let answer = match picking.as_ref()?.try_recv() {
        Ok(answer) => answer,
        Err(std::sync::mpsc::TryRecvError::Empty) => return None,
        Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
    };
    *picking = None;
    answer
}

/// US Letter where it is the norm (by locale), A4 elsewhere and for a
/// Japanese sheet.
fn default_paper() -> Paper {
    Paper::from_environment()
}

pub enum Panel {
    Menu,
    Recovery {
        id: Uuid,
        codes: Option<Vec<RecoveryCode>>,
        paste: Zeroizing<String>,
        /// How `paste` reads, shown before saving.
        read: PastedCodes,
        /// The code whose deletion waits for confirmation.
        deleting: Option<Zeroizing<String>>,
        note: Option<String>,
    },
    AccountQr {
        id: Uuid,
        image: Option<QrImage>,
    },
    Transfer {
        page: usize,
        pages: Vec<QrImage>,
        accounts_per_page: Vec<usize>,
        skipped: Vec<(String, String)>,
    },
}

/// A QR code uploaded for display. Dropped (and freed) with the view.
pub struct QrImage {
    texture: egui::TextureHandle,
    modules: usize,
}

impl QrImage {
    fn new(ctx: &egui::Context, name: &str, qr: &Qr) -> QrImage {
        let (side, px) = qr.to_rgba(1);
        let image = egui::ColorImage::from_rgba_unmultiplied([side, side], &px);
        QrImage {
            texture: ctx.load_texture(name, image, egui::TextureOptions::NEAREST),
            modules: side,
        }
    }

    /// Whole pixels per module, as large as fits: crisp for phone cameras.
    fn show(&self, ui: &mut egui::Ui, label: &str) {
        let fit = ui
            .available_width()
            .min(ui.available_height() - 90.0)
            .max(120.0);
        let ppp = ui.ctx().pixels_per_point();
        let per_module = ((fit * ppp) / self.modules as f32).floor().max(1.0);
        let side = per_module * self.modules as f32 / ppp;
        let response = ui.add(
            egui::Image::from_texture(egui::load::SizedTexture::from_handle(&self.texture))
                .fit_to_exact_size(egui::vec2(side, side)),
        );
        let label = label.to_string();
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, label.clone()));
    }
}

/// The recovery view's paste field and what goes with it.
pub(super) struct RecoveryInput<'a> {
    paste: &'a mut Zeroizing<String>,
    read: &'a mut PastedCodes,
    deleting: &'a mut Option<Zeroizing<String>>,
}

/// "10 codes: 8193 4421, 2390 5817, …" under the paste, and the lines left
/// out, so a wrong reading is seen before it is saved.
fn paste_preview(ui: &mut egui::Ui, read: &PastedCodes) {
    let n = read.codes.len();
    let text = match n {
        0 => t!("ui-paste-none"),
        n => t!("ui-paste-codes", count = n, codes = read.codes.join(", ")),
    };
    ui.label(RichText::new(text).monospace());
    if !read.ignored.is_empty() {
        ui.label(
            RichText::new(t!("ui-paste-left-out", lines = read.ignored.join(" · ")))
                .small()
                .weak(),
        );
    }
}

impl App {
    /// Replaces the desktop save dialog and PDF viewer (for tests).
    pub fn set_backup_seams(&mut self, save_dialog: SaveDialog, opener: Opener) {
        self.backup.save_dialog = save_dialog;
        self.backup.opener = opener;
    }

    /// A new automatic backup status from the worker.
    pub(super) fn auto_backup_status(&mut self, status: Option<crate::autobackup::Settings>) {
        self.backup.status_line = status.as_ref().and_then(|s| {
            // The newer of the last backup and the last failure.
            match (s.last_backup, s.last_error_at) {
                (_, Some(failed)) if s.last_error.is_some() => {
                    Some(t!("ui-status-backup-failed", time = local_time(failed)))
                }
                (Some(at), _) => Some(t!("ui-status-backed-up", time = local_time(at))),
                _ => None,
            }
        });
        self.backup.auto = status;
        self.backup.auto_busy = false;
    }

    /// Replaces the desktop's folder chooser (for tests).
    pub fn set_folder_dialog(&mut self, folder_dialog: FolderDialog) {
        self.backup.folder_dialog = folder_dialog;
    }

    /// A folder, from the desktop's chooser or the window's own (chooser.rs),
    /// under `title`; the answer arrives on the receiver.
    pub(super) fn choose_folder(
        &mut self,
        ctx: &egui::Context,
        title: String,
    ) -> Option<Receiver<Option<PathBuf>>> {
        let dialog = self.backup.folder_dialog.clone();
        let asked = title.clone();
        self.choose(
            ctx,
            super::chooser::Ask::Folder(title),
            move || dialog(&asked),
            |p| p,
        )
    }

    /// The automatic backup form's folder, once the chooser answers.
    fn poll_folder_dialog(&mut self) {
        if let (Some(path), Some(form)) = (
            take_folder(&mut self.backup.picking_folder),
            &mut self.backup.auto_form,
        ) {
            form.folder = path.display().to_string();
        }
    }

    pub(super) fn backup_event(&mut self, event: BackupEvent) {
        match event {
            BackupEvent::Left(list) => {
                for (id, unused, total) in list {
                    self.backup.left.insert(id, (unused, total));
                }
            }
            BackupEvent::Codes { id, codes, note } => {
                if let View::Backup(Panel::Recovery {
                    id: shown,
                    codes: slot,
                    note: slot_note,
                    ..
                }) = &mut self.view
                    && *shown == id
                {
                    *slot = Some(codes);
                    *slot_note = note;
                }
            }
            BackupEvent::Exported { path, accounts } => {
                self.backup.exporting = false;
                self.backup.export_note = Some(t!(
                    "ui-exported",
                    count = accounts,
                    path = path.display().to_string()
                ));
            }
            BackupEvent::SheetWritten { path, open_error } => {
                self.backup.printing = false;
                let name = path.display().to_string();
                self.backup.print_note = Some(match open_error {
                    None => t!("ui-sheet-saved", path = name),
                    Some(e) => t!("ui-sheet-saved-with-note", path = name, note = e),
                });
            }
        }
    }

    /// "Backup" in the top bar.
    pub(super) fn backup_button(&mut self, ui: &mut egui::Ui) {
        if ui
            .button(t!("ui-backup"))
            .on_hover_text(t!("ui-backup-tooltip"))
            .clicked()
        {
            self.view = View::Backup(Panel::Menu);
        }
    }

    /// The gentle reminder above the list when nothing backs the accounts up:
    /// "Set up backups…" opens the Backup view at its form; "Not now" hides it
    /// until the accounts change again.
    pub(super) fn backup_reminder(&mut self, ui: &mut egui::Ui) {
        if !self.backup.reminder || self.backup.auto.is_some() {
            return;
        }
        let (mut set_up, mut later) = (false, false);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(t!("ui-backup-reminder")).color(ui.visuals().weak_text_color()));
            set_up = ui.small_button(t!("ui-backup-reminder-set-up")).clicked();
            later = ui
                .small_button(t!("ui-backup-reminder-later"))
                .on_hover_text(t!("ui-backup-reminder-later-tooltip"))
                .clicked();
        });
        if set_up {
            self.backup.auto_form.get_or_insert_with(AutoForm::default);
            self.view = View::Backup(Panel::Menu);
        }
        if later {
            // Hidden at once; the worker notes it (no disk on this thread).
            self.backup.reminder = false;
            self.worker.send(Command::DismissReminder);
        }
    }

    /// A warning under the account's name when few recovery codes remain.
    pub(super) fn recovery_badge(&self, ui: &mut egui::Ui, id: Uuid) {
        if let Some(&(unused, total)) = self.backup.left.get(&id)
            && total > 0
            && unused <= FEW_LEFT
        {
            let text = t!("ui-recovery-left", count = unused);
            ui.label(
                RichText::new(format!("! {text}"))
                    .small()
                    .color(ui.visuals().warn_fg_color),
            );
        }
    }

    /// "Recovery codes" and "QR code" at the top of the selected row's menu.
    pub(super) fn row_backup_buttons(&mut self, ui: &mut egui::Ui, entry: &crate::vault::Entry) {
        if ui.button(t!("ui-recovery-codes")).clicked() {
            self.open_recovery(entry.id);
        }
        if ui
            .button(t!("ui-qr-code"))
            .on_hover_text(t!("ui-qr-code-tooltip"))
            .clicked()
        {
            self.view = View::Backup(Panel::AccountQr {
                id: entry.id,
                image: None,
            });
        }
        ui.separator();
    }

    fn open_recovery(&mut self, id: Uuid) {
        self.worker.send(Command::Backup(BackupCommand::Codes(id)));
        self.view = View::Backup(Panel::Recovery {
            id,
            codes: None,
            paste: Zeroizing::new(String::new()),
            read: PastedCodes::default(),
            deleting: None,
            note: None,
        });
    }

    /// Returns true when the view is finished.
    pub(super) fn backup_view(&mut self, ui: &mut egui::Ui, panel: &mut Panel) -> bool {
        self.poll_save_dialog();
        self.poll_folder_dialog();
        self.status_bar(ui);
        let mut done = false;
        egui::CentralPanel::default().show(ui, |ui| {
            self.backup_notices(ui);
            done = match panel {
                Panel::Menu => self.menu_view(ui),
                Panel::Recovery {
                    id,
                    codes,
                    paste,
                    read,
                    deleting,
                    note,
                } => self.recovery_view(
                    ui,
                    *id,
                    codes.as_deref(),
                    RecoveryInput {
                        paste,
                        read,
                        deleting,
                    },
                    note.as_deref(),
                ),
                Panel::AccountQr { id, image } => self.account_qr_view(ui, *id, image),
                Panel::Transfer {
                    page,
                    pages,
                    accounts_per_page,
                    skipped,
                } => transfer_view(ui, page, pages, accounts_per_page, skipped),
            };
            if ui.input(|i| i.key_pressed(Key::Escape)) {
                done = true;
            }
        });
        if done {
            // A half-typed export password does not outlive the screen.
            self.backup.close_password_prompt();
        }
        done
    }

    /// Failures from the worker (the list view shows them in its top bar).
    fn backup_notices(&mut self, ui: &mut egui::Ui) {
        let mut dismissed = None;
        for (i, note) in self.notices.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(note).color(ui.visuals().error_fg_color));
                if ui.small_button(t!("ui-dismiss")).clicked() {
                    dismissed = Some(i);
                }
            });
        }
        if let Some(i) = dismissed {
            self.notices.remove(i);
        }
    }

    /// Automatic backups: where they go and the last one, or the form that
    /// turns them on.
    fn auto_backup_section(&mut self, ui: &mut egui::Ui) {
        ui.label(RichText::new(t!("ui-auto-backup-heading")).strong());
        if self.backup.auto_busy {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t!("ui-auto-backup-working"));
            });
            return;
        }
        let Some(auto) = &self.backup.auto else {
            return self.auto_backup_form(ui);
        };
        ui.label(t!(
            "ui-auto-backup-on",
            folder = auto.folder.as_str(),
            keep = auto.keep
        ));
        match (auto.last_backup, &auto.last_file) {
            (Some(at), Some(file)) => ui.label(t!(
                "ui-auto-backup-last",
                time = local_time(at),
                file = file.as_str()
            )),
            _ => ui.label(t!("ui-auto-backup-none-yet")),
        };
        if let Some(error) = &auto.last_error {
            let at = auto.last_error_at.map(local_time).unwrap_or_default();
            ui.colored_label(
                ui.visuals().error_fg_color,
                t!("ui-auto-backup-error", time = at, error = error.as_str()),
            );
        }
        if ui.button(t!("ui-auto-backup-turn-off")).clicked() {
            self.backup.auto_busy = true;
            self.worker.send(Command::AutoBackupOff);
        }
    }

    /// Off: the explanation, and the form to turn them on.
    fn auto_backup_form(&mut self, ui: &mut egui::Ui) {
        ui.label(t!("ui-auto-backup-off"));
        let picking = self.backup.picking_folder.is_some();
        let Some(form) = &mut self.backup.auto_form else {
            if ui.button(t!("ui-auto-backup-set-up")).clicked() {
                self.backup.auto_form = Some(AutoForm::default());
            }
            return;
        };
        let mut pick = false;
        egui::Grid::new("auto-backup-form")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label(t!("ui-auto-backup-folder"));
                ui.add(egui::TextEdit::singleline(&mut form.folder))
                    .labelled_by(label.id);
                ui.end_row();
                // Its own row: beside the field it would leave a 360-point window.
                ui.label("");
                pick = ui
                    .add_enabled(
                        !picking,
                        egui::Button::new(t!("ui-auto-backup-choose-folder")),
                    )
                    .on_hover_text(t!("ui-auto-backup-choose-folder-tooltip"))
                    .clicked();
                ui.end_row();
                let label = ui.label(t!("ui-password"));
                ui.add(egui::TextEdit::singleline(&mut *form.password).password(true))
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(t!("ui-password-repeat"));
                ui.add(egui::TextEdit::singleline(&mut *form.repeat).password(true))
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(t!("ui-auto-backup-keep"));
                ui.add(egui::DragValue::new(&mut form.keep).range(1..=1000))
                    .labelled_by(label.id);
                ui.end_row();
            });
        let differ = !form.repeat.is_empty() && form.password.as_str() != form.repeat.as_str();
        if differ {
            ui.label(RichText::new(t!("ui-password-mismatch")).color(ui.visuals().error_fg_color));
        }
        let ready = !form.folder.trim().is_empty()
            && !form.password.is_empty()
            && form.password.as_str() == form.repeat.as_str();
        let (mut start, mut cancel) = (false, false);
        ui.horizontal(|ui| {
            start = ui
                .add_enabled(ready, egui::Button::new(t!("ui-auto-backup-turn-on")))
                .clicked();
            cancel = ui.button(t!("ui-cancel")).clicked();
        });
        if pick {
            // The desktop's folder chooser, or the window's own (chooser.rs).
            self.backup.picking_folder =
                self.choose_folder(ui.ctx(), t!("ui-auto-backup-folder-title"));
        }
        if cancel {
            self.backup.auto_form = None;
            self.backup.picking_folder = None;
        } else if start && let Some(form) = self.backup.auto_form.take() {
            self.backup.auto_busy = true;
            self.worker.send(Command::AutoBackupOn {
                folder: PathBuf::from(form.folder.trim()),
                password: form.password,
                keep: form.keep,
            });
        }
    }

    fn menu_view(&mut self, ui: &mut egui::Ui) -> bool {
        ui.heading(t!("ui-backup"));
        let mut done = false;
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.add_space(8.0);
            let chosen = self.account_checklist(ui);
            let busy = self.backup.busy();
            ui.add_space(12.0);
            ui.label(RichText::new(t!("ui-sheet-heading")).strong());
            ui.label(t!("ui-sheet-explain"));
            ui.horizontal(|ui| {
                ui.label(t!("ui-paper"));
                let mut paper = self.backup.paper();
                ui.radio_value(&mut paper, Paper::A4, t!("ui-paper-a4"));
                ui.radio_value(&mut paper, Paper::Letter, t!("ui-paper-letter"));
                if paper != self.backup.paper() {
                    self.backup.paper = Some(paper);
                }
            });
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!busy && chosen > 0, egui::Button::new(t!("ui-print-sheet")))
                    .clicked()
                {
                    self.start_save(ui.ctx(), SaveFor::Sheet);
                }
                if self.backup.printing || self.is_choosing(SaveFor::Sheet) {
                    ui.spinner();
                    ui.label(if self.backup.printing {
                        t!("ui-writing-sheet")
                    } else {
                        t!("ui-choose-where")
                    });
                }
            });
            if let Some(note) = &self.backup.print_note {
                ui.label(note);
            }
            ui.add_space(12.0);
            self.auto_backup_section(ui);
            ui.add_space(12.0);
            self.export_section(ui, chosen, busy);
            ui.add_space(12.0);
            ui.label(RichText::new(t!("ui-transfer-heading")).strong());
            ui.label(t!("ui-transfer-explain"));
            if ui
                .add_enabled(chosen > 0, egui::Button::new(t!("ui-transfer-button")))
                .clicked()
            {
                self.view = View::Backup(self.transfer_panel(ui.ctx()));
            }
            ui.add_space(12.0);
            self.follow_section(ui);
            ui.add_space(12.0);
            done = ui.button(t!("ui-done")).clicked();
        });
        done
    }

    /// The accounts the sheet, the transfer codes and the export include, with
    /// All and None; returns how many are chosen.
    fn account_checklist(&mut self, ui: &mut egui::Ui) -> usize {
        let left_out = &mut self.backup.left_out;
        // Accounts deleted since they were left out no longer count.
        left_out.retain(|id| self.entries.iter().any(|e| e.id == *id));
        let total = self.entries.len();
        let chosen = total - left_out.len();
        ui.horizontal(|ui| {
            ui.label(RichText::new(t!("ui-backup-accounts")).strong());
            ui.label(if chosen == total {
                t!("ui-backup-all", total = total)
            } else {
                t!("ui-backup-some", chosen = chosen, total = total)
            });
            if ui.small_button(t!("ui-backup-select-all")).clicked() {
                left_out.clear();
            }
            if ui.small_button(t!("ui-backup-select-none")).clicked() {
                left_out.extend(self.entries.iter().map(|e| e.id));
            }
        });
        let row_height = ui.spacing().interact_size.y;
        let entries = &self.entries;
        egui::ScrollArea::vertical()
            .id_salt("backup-accounts")
            .max_height(row_height * 6.0)
            .show_rows(ui, row_height, entries.len(), |ui, rows| {
                for e in &entries[rows] {
                    let mut on = !left_out.contains(&e.id);
                    if ui.checkbox(&mut on, e.display_name()).changed() {
                        if on {
                            left_out.remove(&e.id);
                        } else {
                            left_out.insert(e.id);
                        }
                    }
                }
            });
        total - left_out.len()
    }

    /// The chosen accounts' ids, in the list's order.
    fn chosen_ids(&self) -> Vec<Uuid> {
        self.entries
            .iter()
            .map(|e| e.id)
            .filter(|id| !self.backup.left_out.contains(id))
            .collect()
    }

    /// "Export encrypted backup…": the password, typed twice, then the file.
    fn export_section(&mut self, ui: &mut egui::Ui, chosen: usize, busy: bool) {
        ui.label(RichText::new(t!("ui-export-heading")).strong());
        ui.label(t!("ui-export-explain"));
        let b = &mut self.backup;
        if !b.export_prompt {
            if ui
                .add_enabled(
                    !busy && chosen > 0,
                    egui::Button::new(t!("ui-export-button")),
                )
                .clicked()
            {
                b.export_prompt = true;
                b.export_note = None;
            }
        } else {
            let ready = super::password::new_password_fields(
                ui,
                "export-password",
                &mut b.password,
                &mut b.repeat,
            );
            let mut start = false;
            ui.horizontal(|ui| {
                start = ui
                    .add_enabled(
                        ready && !busy && chosen > 0,
                        egui::Button::new(t!("ui-export-start")),
                    )
                    .clicked();
                if ui.button(t!("ui-cancel")).clicked() {
                    b.close_password_prompt();
                }
            });
            if start {
                self.start_save(ui.ctx(), SaveFor::Export);
            }
        }
        let b = &self.backup;
        if b.exporting || self.is_choosing(SaveFor::Export) {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(if b.exporting {
                    t!("ui-exporting")
                } else {
                    t!("ui-choose-where")
                });
            });
        }
        if let Some(note) = &b.export_note {
            ui.label(note);
        }
    }

    fn is_choosing(&self, what: SaveFor) -> bool {
        matches!(&self.backup.choosing, Some((w, _)) if *w == what)
    }

    fn start_save(&mut self, ctx: &egui::Context, what: SaveFor) {
        let dialog = self.backup.save_dialog.clone();
        match what {
            SaveFor::Sheet => self.backup.print_note = None,
            SaveFor::Export => self.backup.export_note = None,
        }
        // The desktop's save dialog, or the window's own when it has none (chooser.rs).
        let name = what.suggested_name();
        let ask = super::chooser::Ask::Save(name.into());
        self.backup.choosing = self
            .choose(ctx, ask, move || dialog(name), |path| path)
            .map(|rx| (what, rx));
    }

    fn poll_save_dialog(&mut self) {
        let Some((what, rx)) = &self.backup.choosing else {
            return;
        };
        let what = *what;
        match rx.try_recv() {
            Ok(Some(mut path)) => {
                self.backup.choosing = None;
                let ext = what.dialog().2;
                if path.extension().is_none() {
                    path.set_extension(ext);
                }
                let ids = self.chosen_ids();
                match what {
                    SaveFor::Sheet => {
                        self.backup.printing = true;
                        self.worker.send(Command::Backup(BackupCommand::PrintSheet {
                            path,
                            ids,
                            paper: self.backup.paper(),
                            opener: self.backup.opener.clone(),
                        }));
                    }
                    SaveFor::Export => {
                        let b = &mut self.backup;
                        // Taken out of the field: it zeroizes with the command.
                        let password =
                            crate::formats::Password::new(std::mem::take(&mut *b.password));
                        b.repeat.zeroize();
                        b.export_prompt = false;
                        b.exporting = true;
                        self.worker
                            .send(Command::Backup(BackupCommand::ExportEncrypted {
                                path,
                                ids,
                                password,
                            }));
                    }
                }
            }
            Ok(None) | Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.backup.choosing = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
        }
    }

    fn recovery_view(
        &mut self,
        ui: &mut egui::Ui,
        id: Uuid,
        codes: Option<&[RecoveryCode]>,
        input: RecoveryInput,
        note: Option<&str>,
    ) -> bool {
        let RecoveryInput {
            paste,
            read,
            deleting,
        } = input;
        let name = self
            .entry(id)
            .map(crate::vault::Entry::display_name)
            .unwrap_or_default();
        ui.heading(t!("ui-recovery-title", name = &name));
        ui.label(t!("ui-recovery-explain"));
        ui.add_space(6.0);
        let Some(codes) = codes else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t!("ui-reading-keyring"));
            });
            return ui.button(t!("ui-back")).clicked();
        };
        let unused = crate::vault::recovery::unused(codes);
        let summary = if codes.is_empty() {
            t!("ui-recovery-none")
        } else {
            t!("ui-recovery-unused", unused = unused, total = codes.len())
        };
        let color = if !codes.is_empty() && unused <= FEW_LEFT {
            ui.visuals().warn_fg_color
        } else {
            ui.visuals().text_color()
        };
        ui.label(RichText::new(summary).strong().color(color));
        if !codes.is_empty() && unused <= FEW_LEFT {
            ui.label(RichText::new(t!("ui-recovery-ask-new")).color(ui.visuals().warn_fg_color));
        }
        if let Some(note) = note {
            ui.label(note);
        }
        let mut copy = None;
        let mut send = None;
        egui::ScrollArea::vertical()
            .max_height((ui.available_height() - 230.0).max(80.0))
            .show(ui, |ui| {
                egui::Grid::new("recovery-codes")
                    .num_columns(4)
                    .show(ui, |ui| {
                        for c in codes {
                            let mut text = RichText::new(&c.code).monospace();
                            if c.used {
                                text = text.strikethrough().weak();
                            }
                            ui.label(text);
                            let code = || Zeroizing::new(c.code.clone());
                            if c.used {
                                ui.label(RichText::new(t!("ui-code-used")).weak());
                                if ui
                                    .small_button(t!("ui-mark-unused"))
                                    .on_hover_text(t!("ui-mark-unused-tooltip"))
                                    .clicked()
                                {
                                    send = Some(BackupCommand::UnuseCode { id, code: code() });
                                }
                            } else {
                                if ui.small_button(t!("ui-copy")).clicked() {
                                    copy = Some(c.code.clone());
                                }
                                if ui.small_button(t!("ui-mark-used")).clicked() {
                                    send = Some(BackupCommand::UseCode { id, code: code() });
                                }
                            }
                            if ui.small_button(t!("ui-delete")).clicked() {
                                *deleting = Some(code());
                            }
                            ui.end_row();
                        }
                    });
            });
        if let Some(code) = deleting.as_ref().map(|c| c.to_string()) {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(t!("ui-recovery-delete-confirm", code = &code))
                        .color(ui.visuals().warn_fg_color),
                );
                if ui.button(t!("ui-delete-code")).clicked() {
                    send = Some(BackupCommand::RemoveCode {
                        id,
                        code: Zeroizing::new(code.clone()),
                    });
                    *deleting = None;
                }
                if ui.button(t!("ui-keep-code")).clicked() {
                    *deleting = None;
                }
            });
        }
        if let Some(code) = copy {
            self.copy_text(code, &t!("ui-copied-recovery-code", name = &name));
        }
        if let Some(command) = send {
            self.worker.send(Command::Backup(command));
        }
        ui.separator();
        let label = ui.label(t!("ui-recovery-add-label"));
        let field = ui
            .add(
                egui::TextEdit::multiline(&mut **paste)
                    .hint_text("8193 4421\n2390 5817\n…")
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if field.changed() {
            *read = read_codes(paste);
        }
        if !paste.trim().is_empty() {
            paste_preview(ui, read);
        }
        let mut done = false;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !read.codes.is_empty(),
                    egui::Button::new(t!("ui-save-codes")),
                )
                .clicked()
            {
                // What the preview showed is what is saved; the paste is cleared
                // (and zeroized) as the codes go to the worker.
                paste.zeroize();
                self.worker.send(Command::Backup(BackupCommand::AddCodes {
                    id,
                    codes: std::mem::take(read),
                }));
            }
            done = ui.button(t!("ui-back")).clicked();
        });
        done
    }

    fn account_qr_view(
        &mut self,
        ui: &mut egui::Ui,
        id: Uuid,
        image: &mut Option<QrImage>,
    ) -> bool {
        let Some(entry) = self.entry(id).cloned() else {
            return true;
        };
        let name = entry.display_name();
        ui.heading(t!("ui-qr-title", name = &name));
        ui.label(RichText::new(t!("ui-qr-secret-warning")).color(ui.visuals().warn_fg_color));
        if image.is_none()
            && let Some(secret) = self.secrets.get(&id)
        {
            match qr::account_qr(&entry.with_secret(secret.clone())) {
                Ok(q) => *image = Some(QrImage::new(ui.ctx(), "account-qr", &q)),
                Err(e) => {
                    ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
                }
            }
        }
        match image {
            Some(img) => img.show(ui, &t!("ui-qr-title", name = &name)),
            None => {
                ui.label(t!("ui-secret-loading"));
            }
        }
        ui.button(t!("ui-done")).clicked()
    }

    /// Transfer codes of the chosen accounts whose secret is loaded.
    fn transfer_panel(&mut self, ctx: &egui::Context) -> Panel {
        let chosen: Vec<&crate::vault::Entry> = self
            .entries
            .iter()
            .filter(|e| !self.backup.left_out.contains(&e.id))
            .collect();
        let accounts: Vec<_> = chosen
            .iter()
            .filter_map(|e| self.secrets.get(&e.id).map(|s| e.with_secret(s.clone())))
            .collect();
        let mut skipped: Vec<(String, String)> = chosen
            .iter()
            .filter(|e| !self.secrets.contains_key(&e.id))
            .map(|e| (e.display_name(), t!("ui-secret-not-loaded")))
            .collect();
        let mut pages = Vec::new();
        let mut accounts_per_page = Vec::new();
        match qr::transfer_codes(&accounts, qr::new_batch_id()) {
            Ok(t) => {
                let mut carried = accounts.len() - t.skipped.len();
                skipped.extend(t.skipped);
                for (i, (_, code)) in t.codes.iter().enumerate() {
                    pages.push(QrImage::new(ctx, &format!("transfer-{i}"), code));
                    accounts_per_page.push(carried.min(qr::PER_TRANSFER_CODE));
                    carried = carried.saturating_sub(qr::PER_TRANSFER_CODE);
                }
            }
            Err(e) => skipped.push((t!("ui-transfer-codes-what"), e)),
        }
        Panel::Transfer {
            page: 0,
            pages,
            accounts_per_page,
            skipped,
        }
    }
}

fn transfer_view(
    ui: &mut egui::Ui,
    page: &mut usize,
    pages: &[QrImage],
    accounts_per_page: &[usize],
    skipped: &[(String, String)],
) -> bool {
    ui.heading(t!("ui-transfer-title"));
    ui.label(RichText::new(t!("ui-qr-secrets-warning")).color(ui.visuals().warn_fg_color));
    for (what, why) in skipped {
        ui.label(RichText::new(t!("ui-not-included", what = what, why = why)).small());
    }
    if pages.is_empty() {
        ui.label(t!("ui-transfer-none"));
        return ui.button(t!("ui-done")).clicked();
    }
    let n = pages.len();
    *page = (*page).min(n - 1);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(*page > 0, egui::Button::new(t!("ui-previous")))
            .clicked()
        {
            *page -= 1;
        }
        ui.label(t!(
            "ui-transfer-page",
            page = *page + 1,
            pages = n,
            count = accounts_per_page.get(*page).copied().unwrap_or(0)
        ));
        if ui
            .add_enabled(*page + 1 < n, egui::Button::new(t!("ui-transfer-next")))
            .clicked()
        {
            *page += 1;
        }
    });
    let mut done = false;
    ui.horizontal(|ui| done = ui.button(t!("ui-done")).clicked());
    pages[*page].show(ui, &t!("ui-transfer-image", page = *page + 1, pages = n));
    done
}

/// A Unix time as the reader's clock shows it, to the minute.
fn local_time(unix: u64) -> String {
    chrono::DateTime::from_timestamp(unix as i64, 0)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Until the user picks a paper, the sheet follows the language and the
    /// locale as they are now (a language switch in Settings changes it); a
    /// pick then stays.
    #[test]
    fn paper_follows_the_language_until_picked() {
        let mut state = BackupState::default();
        assert_eq!(state.paper, None);
        assert_eq!(state.paper(), Paper::from_environment());
        state.paper = Some(Paper::Letter);
        assert_eq!(state.paper(), Paper::Letter);
        state.paper = Some(Paper::A4);
        assert_eq!(state.paper(), Paper::A4);
    }
}
