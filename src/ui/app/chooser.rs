//! Choosing a file for "Open image…" and "Print recovery sheet…", and the
//! folder of automatic backups. The desktop's
//! own chooser (the XDG portal, or zenity, through `rfd`) is used when there is
//! one; without either, `rfd` shows nothing and answers as if the user had
//! cancelled, so the window would seem to ignore the click. A thread first asks
//! whether the desktop can show a chooser ([`crate::ui::sources::ChooserCheck`]);
//! if not, Ninsho's own chooser (`egui_file`) opens in the window, with a line
//! saying why.
//!
//! Why `egui_file`: a small, maintained chooser for egui 0.37 (egui-file-dialog
//! has no release for 0.37 yet). It lists the folder on the UI thread; that is a
//! local directory read, and only in this fallback.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

use eframe::egui;
use egui::RichText;

use super::App;
use crate::t;

/// What the user is asked for.
#[derive(Debug, Clone)]
pub(super) enum Ask {
    /// A file to read.
    Open,
    /// Where to save, with a suggested file name.
    Save(String),
    /// A folder, under this title.
    Folder(String),
}

/// Carries the in-window chooser's answer back to whoever asked.
type Answer = Box<dyn FnOnce(Option<PathBuf>) + Send>;

/// A question the desktop could not show, for the window to ask itself.
struct Request {
    ask: Ask,
    why: String,
    answer: Answer,
}

struct InWindow {
    dialog: egui_file::FileDialog,
    why: String,
    answer: Option<Answer>,
}

pub(super) struct ChooserState {
    requests: Sender<Request>,
    incoming: Receiver<Request>,
    open: Option<InWindow>,
}

impl Default for ChooserState {
    fn default() -> Self {
        let (requests, incoming) = channel();
        ChooserState {
            requests,
            incoming,
            open: None,
        }
    }
}

impl App {
    /// Asks the user for a file. The desktop's chooser runs `system` on a thread
    /// of its own; without one, Ninsho's chooser opens in the window. The answer
    /// (`None`: cancelled) arrives on the returned receiver, made from the chosen
    /// paths by `convert`.
    pub(super) fn choose<T: Send + 'static>(
        &mut self,
        ctx: &egui::Context,
        ask: Ask,
        system: impl FnOnce() -> Option<T> + Send + 'static,
        convert: fn(PathBuf) -> T,
    ) -> Option<Receiver<Option<T>>> {
        let (tx, rx) = channel();
        let check = self.services.system_chooser.clone();
        let requests = self.chooser.requests.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("ninsho-file-dialog".into())
            .spawn(move || {
                match check() {
                    Ok(()) => {
                        let _ = tx.send(system());
                    }
                    Err(why) => {
                        let answer: Answer = Box::new(move |path: Option<PathBuf>| {
                            let _ = tx.send(path.map(convert));
                        });
                        let _ = requests.send(Request { ask, why, answer });
                    }
                }
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => Some(rx),
            Err(e) => {
                self.notices
                    .push(t!("ui-chooser-failed", error = e.to_string()));
                None
            }
        }
    }

    /// Once a frame: opens the in-window chooser when the desktop had none.
    pub(super) fn chooser_tick(&mut self, ctx: &egui::Context) {
        while let Ok(request) = self.chooser.incoming.try_recv() {
            if let Some(mut earlier) = self.chooser.open.take()
                && let Some(answer) = earlier.answer.take()
            {
                answer(None);
            }
            let screen = ctx.content_rect().size();
            let size = egui::vec2(
                (screen.x - 24.0).clamp(200.0, 560.0),
                (screen.y - 140.0).clamp(160.0, 520.0),
            );
            let start = |d: Option<PathBuf>| d.or_else(dirs::home_dir).unwrap_or_default();
            let dialog = match &request.ask {
                Ask::Open => egui_file::FileDialog::open_file()
                    .title(&t!("ui-chooser-open-title"))
                    .initial_path(start(dirs::picture_dir())),
                Ask::Save(name) => egui_file::FileDialog::save_file()
                    .title(&t!("ui-save-sheet-title"))
                    .initial_path(start(dirs::document_dir()))
                    .default_filename(name.as_str()),
                Ask::Folder(title) => egui_file::FileDialog::select_folder()
                    .title(title)
                    .initial_path(start(dirs::document_dir())),
            };
            let mut dialog = dialog
                .id(egui::Id::unique("ninsho-file-chooser"))
                .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 8.0))
                .default_size(size)
                .show_rename(false)
                .show_new_folder(matches!(request.ask, Ask::Save(_) | Ask::Folder(_)))
                .open_button_text(t!("ui-chooser-open").into())
                .save_button_text(t!("ui-chooser-save").into())
                .cancel_button_text(t!("ui-cancel").into())
                .new_folder_button_text(t!("ui-chooser-new-folder").into())
                .new_folder_name_text(t!("ui-chooser-new-folder-name").into())
                .rename_button_text(t!("ui-chooser-rename").into())
                .refresh_button_hover_text(t!("ui-chooser-refresh").into())
                .parent_folder_button_hover_text(t!("ui-chooser-parent").into())
                .file_label_text(t!("ui-chooser-file").into())
                .show_hidden_checkbox_text(t!("ui-chooser-show-hidden").into());
            dialog.open();
            self.chooser.open = Some(InWindow {
                dialog,
                why: request.why,
                answer: Some(request.answer),
            });
        }
    }

    /// Draws the in-window chooser, if open, and says why it is there.
    pub(super) fn chooser_show(&mut self, ctx: &egui::Context) {
        let Some(open) = &mut self.chooser.open else {
            return;
        };
        egui::Area::new(egui::Id::unique("ninsho-file-chooser-why"))
            .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -8.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_max_width((ctx.content_rect().width() - 40.0).max(120.0));
                    ui.label(
                        RichText::new(t!("ui-chooser-fallback", why = &open.why))
                            .color(ui.visuals().warn_fg_color),
                    );
                });
            });
        let state = open.dialog.show(ctx).state();
        let path = match state {
            egui_file::State::Open => return,
            egui_file::State::Selected => open.dialog.path().map(PathBuf::from),
            egui_file::State::Cancelled | egui_file::State::Closed => None,
        };
        if let Some(answer) = open.answer.take() {
            answer(path);
        }
        self.chooser.open = None;
        ctx.request_repaint();
    }

    /// The in-window chooser is open (the list's keys stay with it).
    pub(super) fn chooser_open(&self) -> bool {
        self.chooser.open.is_some()
    }
}
