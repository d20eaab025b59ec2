//! The window's side of adding accounts from QR codes: the Scan screen, Paste
//! image and Open image… actions (buttons, menu, shortcuts), getting the window
//! out of the way while the screen is captured, and the review that collects
//! what every source found. Findings add up in one open review, so a Google
//! Authenticator transfer shown as three codes is scanned one code at a time.
//!
//! Nothing here waits: captures, clipboard reads and decoding go to the worker,
//! the file dialog runs on a thread of its own.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use eframe::egui;
use zeroize::Zeroizing;

use super::chooser::Ask;
use super::{Action, App, Candidate, View};
use crate::otp::migration::{Batch, batch_notes};
use crate::otp::{Kind, OtpAccount};
use crate::t;
use crate::ui::sources::{Clipboard, ClipboardContent, is_otpauth};
use crate::ui::worker::{Command, Event};

/// How long the window manager gets to take the hidden window off the screen.
const SETTLE: Duration = Duration::from_millis(400);

/// The actions that bring QR codes in, in the order they are offered.
pub(super) const SOURCES: [Action; 3] = [Action::ScanScreen, Action::PasteImage, Action::OpenImage];

#[derive(Default)]
pub(super) struct ScanState {
    /// The window hid itself for a screen capture.
    hidden: bool,
    /// The worker answered (captured, or failed): show the window again.
    restore: bool,
    /// The file dialog's answer, while it is open.
    picking: Option<Receiver<Option<Vec<PathBuf>>>>,
}

/// What a review shows: the candidates, each source's notes, and the transfer
/// batches seen across all sources (to say which codes are still missing).
pub(super) struct Review {
    pub(super) candidates: Vec<Candidate>,
    notes: Vec<String>,
    /// Each source's notes under one heading, however often it was read: the
    /// same screen scanned twice says "From screen capture:" once.
    sources: Vec<SourceNotes>,
    batches: Vec<Batch>,
}

/// At most this many notes of one source are listed; the rest are counted.
const MAX_SOURCE_NOTES: usize = 20;

/// One source's notes: the first [`MAX_SOURCE_NOTES`] distinct ones, and how
/// many more distinct ones there were.
struct SourceNotes {
    source: String,
    shown: Vec<String>,
    seen: HashSet<String>,
    more: usize,
}

impl Review {
    pub(super) fn new(candidates: Vec<Candidate>, notes: Vec<String>) -> Self {
        Review {
            candidates,
            notes,
            sources: Vec::new(),
            batches: Vec::new(),
        }
    }

    /// Notes to show above the candidates, the batch count last.
    pub(super) fn lines(&self) -> Vec<String> {
        let mut lines = self.notes.clone();
        for s in &self.sources {
            lines.push(t!("ui-review-from", source = &s.source));
            lines.extend(s.shown.iter().cloned());
            if s.more > 0 {
                lines.push(t!("ui-review-more", count = s.more));
            }
        }
        lines.extend(batch_notes(&self.batches));
        lines
    }

    /// Adds a source's notes, each distinct one once (hashed: an import may
    /// bring up to [`crate::formats::MAX_SKIPPED`] of them).
    fn add_notes(&mut self, source: String, notes: Vec<String>) {
        let at = match self.sources.iter().position(|s| s.source == source) {
            Some(at) => at,
            None => {
                self.sources.push(SourceNotes {
                    source,
                    shown: Vec::new(),
                    seen: HashSet::new(),
                    more: 0,
                });
                self.sources.len() - 1
            }
        };
        let s = &mut self.sources[at];
        for note in notes {
            if s.seen.contains(&note) {
                continue;
            }
            if s.shown.len() < MAX_SOURCE_NOTES {
                s.shown.push(note.clone());
            } else {
                s.more += 1;
            }
            s.seen.insert(note);
        }
    }

    /// Some transfer batch is missing codes.
    pub(super) fn incomplete(&self) -> bool {
        !batch_notes(&self.batches).is_empty()
    }
}

impl App {
    /// A source found accounts: open the review, or add to the one already open
    /// (accounts it already lists are not repeated).
    pub(super) fn found(
        &mut self,
        source: String,
        accounts: Vec<(OtpAccount, String)>,
        notes: Vec<String>,
        batches: Vec<Batch>,
    ) {
        self.opening = None;
        let mut review = match std::mem::replace(&mut self.view, View::List) {
            View::Review(review) => review,
            _ => Box::new(Review::new(Vec::new(), Vec::new())),
        };
        review.add_notes(source, notes);
        for b in batches {
            if !review.batches.contains(&b) {
                review.batches.push(b);
            }
        }
        // Hashed lookups: an import brings up to 100 000 accounts, and this
        // runs on the UI thread. The keys borrow; no secret is copied.
        let saved: HashSet<(&str, &str, Kind, &[u8])> = self
            .entries
            .iter()
            .filter_map(|e| {
                let secret = self.secrets.get(&e.id)?;
                Some((
                    e.issuer.as_str(),
                    e.name.as_str(),
                    e.kind,
                    secret.as_bytes(),
                ))
            })
            .collect();
        let key = |a: &OtpAccount| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (&a.issuer, &a.name, a.params.kind, a.secret.as_bytes()).hash(&mut h);
            h.finish()
        };
        let mut listed: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, c) in review.candidates.iter().enumerate() {
            listed.entry(key(&c.account)).or_default().push(i);
        }
        for (account, group) in accounts {
            let same = listed.entry(key(&account)).or_default();
            if same
                .iter()
                .any(|&i| review.candidates[i].account.same_account(&account))
            {
                continue;
            }
            let a = &account;
            let duplicate = saved.contains(&(
                a.issuer.as_str(),
                a.name.as_str(),
                a.params.kind,
                a.secret.as_bytes(),
            ));
            same.push(review.candidates.len());
            review.candidates.push(Candidate {
                account,
                group,
                selected: !duplicate,
                duplicate,
            });
        }
        self.view = View::Review(review);
    }

    /// Called for every worker event: an answer to a capture brings the window back.
    pub(super) fn scan_event_seen(&mut self, event: &Event) {
        if self.scan.hidden
            && matches!(
                event,
                Event::Captured | Event::Found { .. } | Event::Failed(_)
            )
        {
            self.scan.hidden = false;
            self.scan.restore = true;
        }
    }

    /// Once a frame, after the worker's events: restore the window, take the
    /// file dialog's answer.
    pub(super) fn scan_tick(&mut self, ctx: &egui::Context) {
        if std::mem::take(&mut self.scan.restore) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Visible(true));
            ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
        }
        let Some(answer) = self.scan.picking.as_ref().map(Receiver::try_recv) else {
            return;
        };
        match answer {
            Err(TryRecvError::Empty) => {}
            Ok(paths) => {
                self.scan.picking = None;
                self.open_paths(paths.unwrap_or_default());
            }
            Err(TryRecvError::Disconnected) => {
                self.scan.picking = None;
                self.notices.push(t!("ui-file-dialog-failed"));
            }
        }
    }

    /// Starts one of [`SOURCES`]; the result arrives as a worker event.
    pub(super) fn start_source(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::ScanScreen => {
                if self.scan.hidden {
                    return;
                }
                let screen = self.services.screen.clone();
                let settle = if screen.hides_window() {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Visible(false));
                    self.scan.hidden = true;
                    SETTLE
                } else {
                    Duration::ZERO
                };
                self.opening = Some(t!("ui-opening-screen"));
                self.worker.send(Command::ScanScreen { screen, settle });
            }
            Action::PasteImage => self.paste(Clipboard::Read(self.services.clipboard.reader())),
            Action::OpenImage => {
                if self.scan.picking.is_some() {
                    return;
                }
                let pick = self.services.pick_files.clone();
                self.scan.picking = self.choose(ctx, Ask::Open, move || pick(), |path| vec![path]);
            }
            _ => {}
        }
    }

    fn paste(&mut self, clipboard: Clipboard) {
        self.opening = Some(t!("ui-opening-clipboard"));
        self.worker.send(Command::Paste(clipboard));
    }

    /// Shortcuts of [`SOURCES`], and eframe's paste events (it turns Ctrl+V into
    /// those itself) while no text field would take them.
    pub(super) fn source_keys(&mut self, ctx: &egui::Context) {
        let focused = ctx.memory(|m| m.focused()).is_some();
        for action in SOURCES {
            if action == Action::PasteImage && focused {
                continue;
            }
            if ctx.input_mut(|i| action.shortcut().is_some_and(|s| i.consume_shortcut(&s))) {
                self.start_source(ctx, action);
            }
        }
        if focused {
            return;
        }
        let pasted = ctx.input(|i| {
            i.events.iter().find_map(|e| match e {
                egui::Event::PasteImage(image) => Some(Ok(image.clone())),
                egui::Event::Paste(text) => Some(Err(Zeroizing::new(text.clone()))),
                _ => None,
            })
        });
        match pasted {
            Some(Ok(image)) => {
                let rgba = image
                    .pixels
                    .iter()
                    .flat_map(|c| c.to_srgba_unmultiplied())
                    .collect();
                let [w, h] = image.size;
                if let Some(image) = image::RgbaImage::from_raw(w as u32, h as u32, rgba) {
                    self.paste(Clipboard::Given(ClipboardContent::Image(image)));
                }
            }
            Some(Err(text)) if is_otpauth(&text) => {
                self.paste(Clipboard::Given(ClipboardContent::Text(text)));
            }
            // Text that is no link: the clipboard may hold an image beside it.
            Some(Err(_)) => self.paste(Clipboard::Read(self.services.clipboard.reader())),
            None => {}
        }
    }

    /// The three source buttons in a row; true when one was pressed.
    pub(super) fn source_buttons(&mut self, ui: &mut egui::Ui) -> bool {
        let mut started = false;
        ui.horizontal_wrapped(|ui| {
            for action in SOURCES {
                let tooltip = action.tooltip(ui.ctx());
                if ui.button(action.label()).on_hover_text(tooltip).clicked() {
                    self.start_source(ui.ctx(), action);
                    started = true;
                }
            }
        });
        started
    }

    /// The top bar's menu of [`SOURCES`].
    pub(super) fn scan_menu(&mut self, ui: &mut egui::Ui) {
        ui.menu_button(t!("ui-scan-menu"), |ui| {
            for action in SOURCES {
                let ctx = ui.ctx().clone();
                let shortcut = action
                    .shortcut()
                    .map(|s| ctx.format_shortcut(&s))
                    .unwrap_or_default();
                let button = egui::Button::new(action.label()).shortcut_text(shortcut);
                if ui.add(button).on_hover_text(action.tooltip(&ctx)).clicked() {
                    self.start_source(&ctx, action);
                    ui.close();
                }
            }
        })
        .response
        .on_hover_text(t!("ui-scan-menu-tooltip"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file with thousands of unreadable entries lists the first twenty
    /// distinct notes under its heading and counts the rest; a note read
    /// again (the same file opened twice) is neither listed nor counted twice.
    #[test]
    fn a_source_lists_twenty_distinct_notes_and_counts_the_rest() {
        let mut review = Review::new(Vec::new(), Vec::new());
        let notes: Vec<String> = (0..5000).map(|i| format!("line {i}: not a URI")).collect();
        review.add_notes("big.txt".into(), notes.clone());
        review.add_notes("big.txt".into(), notes);
        review.add_notes("other.png".into(), vec!["no QR code".into(); 3]);
        let lines = review.lines();
        assert_eq!(lines[0], t!("ui-review-from", source = "big.txt"));
        assert_eq!(lines[1], "line 0: not a URI");
        assert_eq!(lines[20], "line 19: not a URI");
        assert_eq!(lines[21], t!("ui-review-more", count = 4980));
        assert_eq!(
            lines[22..],
            [
                t!("ui-review-from", source = "other.png"),
                "no QR code".to_string()
            ]
        );
    }
}
