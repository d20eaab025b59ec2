//! Following another device in the window (issue 19): a banner above the
//! account list when a followed backup has changes ("The backup in Sync has 3
//! new accounts and 1 removed"), with "Review…" and "Later", and the review
//! itself, a sibling of the scan and import review (`review.rs`) that looks
//! and behaves the same: a checklist, Enter applies, Escape cancels.
//!
//! New and changed accounts come ticked; removals come unticked and are
//! applied only when ticked, under a warning when most accounts are gone
//! there. Reading, comparing and applying happen in the worker; this module
//! only holds what it sent and sends back what was ticked.
//!
//! The Backup view lists the followed folders, with "Stop following" for
//! each and a form to follow another (a folder or file and its backup
//! password), as `ninsho follow add` and `remove` do.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use eframe::egui;
use egui::{Key, Modifiers, RichText};
use uuid::Uuid;

use super::{App, View, describe};
use crate::follow::Choice;
use crate::otp::{display_name, printable};
use crate::t;
use crate::ui::worker::{Command, FollowEvent, FollowReview, Stamp};
use zeroize::Zeroizing;

#[derive(Default)]
pub(super) struct FollowState {
    /// Reviews with changes, one per source, in the order they came.
    pending: Vec<FollowReview>,
    /// "Later" (or an apply) hides a source's banner until its file changes.
    dismissed: HashMap<Uuid, Stamp>,
    /// The sources followed, with their paths, as the worker last told.
    sources: Vec<(Uuid, String)>,
    /// The form that follows another folder, while open.
    form: Option<FollowForm>,
    /// Sent a source to add or remove; the next list (or failure) answers.
    busy: bool,
    /// Why the last add failed, shown under the form.
    add_error: Option<String>,
    /// The form's folder chooser, while open.
    picking: Option<Receiver<Option<PathBuf>>>,
}

/// The fields that follow another device's folder.
#[derive(Default)]
struct FollowForm {
    path: String,
    password: Zeroizing<String>,
}

impl FollowState {
    /// The window locked: reviews (they hold the other device's secrets)
    /// and the open form go; the worker offers the reviews again.
    pub(super) fn forget(&mut self) {
        self.pending.clear();
        self.form = None;
        self.add_error = None;
    }

    fn put(&mut self, review: FollowReview) {
        let id = review.review.source.id;
        match self.pending.iter_mut().find(|p| p.review.source.id == id) {
            Some(slot) => *slot = review,
            None => self.pending.push(review),
        }
    }

    fn drop_source(&mut self, id: Uuid) {
        self.pending.retain(|p| p.review.source.id != id);
    }

    fn shown(&self, p: &FollowReview) -> bool {
        self.dismissed.get(&p.review.source.id) != Some(&p.stamp)
    }
}

/// The review of one followed source, with what is ticked.
pub(super) struct FollowView {
    /// Taken when the view closes (sent with the choice, or put back).
    review: Option<FollowReview>,
    /// Ticks, parallel to the review's `added`, `changed` and `removed`.
    add: Vec<bool>,
    change: Vec<bool>,
    remove: Vec<bool>,
}

impl FollowView {
    fn new(review: FollowReview) -> Self {
        let r = &review.review;
        FollowView {
            add: vec![true; r.added.len()],
            change: vec![true; r.changed.len()],
            // A removal needs a person's tick, every time.
            remove: vec![false; r.removed.len()],
            review: Some(review),
        }
    }

    fn choice(&self, review: &FollowReview) -> Choice {
        let r = &review.review;
        let ticked = |ticks: &[bool], i: usize| ticks.get(i).copied().unwrap_or(false);
        Choice {
            add: (r.added.iter().enumerate())
                .filter(|(i, _)| ticked(&self.add, *i))
                .map(|(_, &a)| a)
                .collect(),
            change: (r.changed.iter().enumerate())
                .filter(|(i, _)| ticked(&self.change, *i))
                .map(|(_, c)| c.index)
                .collect(),
            remove: (r.removed.iter().enumerate())
                .filter(|(i, _)| ticked(&self.remove, *i))
                .map(|(_, e)| e.id)
                .collect(),
        }
    }
}

/// "3 new accounts, 1 changed and 1 removed": which counts are there picks
/// the sentence (each language words every combination whole).
fn banner_text(review: &FollowReview) -> String {
    let r = &review.review;
    let (a, c, d) = (r.added.len(), r.changed.len(), r.removed.len());
    let shape: String = [(a, 'a'), (c, 'c'), (d, 'r')]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(_, s)| *s)
        .collect();
    t!(
        "ui-follow-banner",
        shape = shape,
        name = review.name(),
        added = a,
        changed = c,
        removed = d
    )
}

impl App {
    pub(super) fn follow_event(&mut self, event: FollowEvent) {
        match event {
            FollowEvent::Review(review) => self.follow.put(review),
            FollowEvent::UpToDate(id) => self.follow.drop_source(id),
            FollowEvent::Sources(sources) => {
                let known = |id: &Uuid| sources.iter().any(|(s, _)| s == id);
                self.follow.pending.retain(|p| known(&p.review.source.id));
                self.follow.dismissed.retain(|id, _| known(id));
                if self.follow.busy {
                    // What was sent is done: an added source closes the form.
                    self.follow.busy = false;
                    if sources.len() > self.follow.sources.len() {
                        self.follow.form = None;
                        self.follow.picking = None;
                    }
                }
                self.follow.sources = sources;
            }
            FollowEvent::AddFailed(why) => {
                self.follow.busy = false;
                self.follow.add_error = Some(t!("ui-follow-add-failed", error = why));
            }
            FollowEvent::Applied {
                source,
                stamp,
                name,
                added,
                changed,
                removed,
            } => {
                self.progress = None;
                // What was just reviewed is not offered again; a newer file is.
                self.follow
                    .pending
                    .retain(|p| p.review.source.id != source || p.stamp != stamp);
                self.follow.dismissed.insert(source, stamp);
                self.toast(t!(
                    "ui-follow-applied",
                    name = name,
                    added = added,
                    changed = changed,
                    removed = removed
                ));
            }
            FollowEvent::Failed(msg) => {
                self.follow.busy = false;
                self.notice(msg)
            }
        }
    }

    /// The worker failed a command (a removal among them): nothing is busy.
    pub(super) fn follow_failed(&mut self) {
        self.follow.busy = false;
    }

    /// The Backup view's section: the folders followed, each with "Stop
    /// following", and the form that follows another.
    pub(super) fn follow_section(&mut self, ui: &mut egui::Ui) {
        // Folded (one line) until something is followed: most people follow
        // nothing, and the menu's other sections stay in view.
        egui::CollapsingHeader::new(RichText::new(t!("ui-follow-heading")).strong())
            .id_salt("follow-section")
            .default_open(!self.follow.sources.is_empty())
            .show(ui, |ui| self.follow_section_body(ui));
    }

    fn follow_section_body(&mut self, ui: &mut egui::Ui) {
        ui.label(t!("ui-follow-section-explain"));
        if let (Some(path), Some(form)) = (
            super::backup::take_folder(&mut self.follow.picking),
            &mut self.follow.form,
        ) {
            form.path = path.display().to_string();
        }
        let busy = self.follow.busy;
        let mut stop = None;
        if self.follow.sources.is_empty() {
            ui.label(t!("ui-follow-none"));
        }
        for (_, path) in &self.follow.sources {
            ui.horizontal_wrapped(|ui| {
                ui.label(printable(path));
                if ui
                    .add_enabled(!busy, egui::Button::new(t!("ui-follow-stop")))
                    .on_hover_text(t!("ui-follow-stop-tooltip"))
                    .clicked()
                {
                    stop = Some(path.clone());
                }
            });
        }
        if let Some(path) = stop {
            self.follow.busy = true;
            self.worker.send(Command::FollowRemove(path));
        }
        if busy {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t!("ui-follow-working"));
            });
        }
        let picking = self.follow.picking.is_some();
        let Some(form) = &mut self.follow.form else {
            if ui
                .add_enabled(!busy, egui::Button::new(t!("ui-follow-set-up")))
                .on_hover_text(t!("ui-follow-set-up-tooltip"))
                .clicked()
            {
                self.follow.form = Some(FollowForm::default());
                self.follow.add_error = None;
            }
            return;
        };
        let mut pick = false;
        egui::Grid::new("follow-form")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label(t!("ui-follow-path"));
                ui.add(
                    egui::TextEdit::singleline(&mut form.path).hint_text(t!("ui-follow-path-hint")),
                )
                .labelled_by(label.id);
                ui.end_row();
                // Its own row, as in the automatic backup form.
                ui.label("");
                pick = ui
                    .add_enabled(
                        !picking && !busy,
                        egui::Button::new(t!("ui-auto-backup-choose-folder")),
                    )
                    .on_hover_text(t!("ui-auto-backup-choose-folder-tooltip"))
                    .clicked();
                ui.end_row();
                let label = ui.label(t!("ui-follow-password"));
                ui.add(egui::TextEdit::singleline(&mut *form.password).password(true))
                    .labelled_by(label.id);
                ui.end_row();
            });
        if let Some(why) = &self.follow.add_error {
            ui.label(RichText::new(why).color(ui.visuals().error_fg_color));
        }
        let ready = !busy && !form.path.trim().is_empty() && !form.password.is_empty();
        let (mut start, mut cancel) = (false, false);
        ui.horizontal(|ui| {
            start = ui
                .add_enabled(ready, egui::Button::new(t!("ui-follow-start")))
                .on_hover_text(t!("ui-follow-start-tooltip"))
                .clicked();
            cancel = ui.button(t!("ui-cancel")).clicked();
        });
        if pick {
            self.follow.picking = self.choose_folder(ui.ctx(), t!("ui-follow-folder-title"));
        }
        if cancel {
            self.follow.form = None;
            self.follow.picking = None;
            self.follow.add_error = None;
        } else if start && let Some(form) = &mut self.follow.form {
            // The form stays (with its path) until the worker answers: a
            // wrong password is said under it, to be typed again.
            self.follow.busy = true;
            self.follow.add_error = None;
            let password = std::mem::take(&mut form.password);
            self.worker.send(Command::FollowAdd {
                path: PathBuf::from(form.path.trim()),
                password,
            });
        }
    }

    /// The banners of followed backups with changes, above the list.
    pub(super) fn follow_banner(&mut self, ui: &mut egui::Ui) {
        let mut open = None;
        let mut later = None;
        for (i, p) in self.follow.pending.iter().enumerate() {
            if !self.follow.shown(p) {
                continue;
            }
            egui::Frame::group(ui.style())
                .fill(ui.visuals().faint_bg_color)
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(banner_text(p)).strong());
                        if ui
                            .button(t!("ui-follow-review"))
                            .on_hover_text(t!("ui-follow-review-tooltip"))
                            .clicked()
                        {
                            open = Some(i);
                        }
                        if ui
                            .button(t!("ui-follow-later"))
                            .on_hover_text(t!("ui-follow-later-tooltip"))
                            .clicked()
                        {
                            later = Some(i);
                        }
                    });
                });
        }
        if let Some(i) = later {
            let p = &self.follow.pending[i];
            self.follow
                .dismissed
                .insert(p.review.source.id, p.stamp.clone());
        }
        if let Some(i) = open {
            let review = self.follow.pending.remove(i);
            self.view = View::Follow(Box::new(FollowView::new(review)));
        }
    }

    /// Returns true when the view is finished (the caller then shows the list).
    pub(super) fn follow_view(&mut self, ui: &mut egui::Ui, view: &mut FollowView) -> bool {
        let FollowView {
            review,
            add,
            change,
            remove,
        } = view;
        let Some(review) = review.as_ref() else {
            return true;
        };
        let mut apply = false;
        let mut cancel = false;
        egui::CentralPanel::default().show(ui, |ui| {
            let r = &review.review;
            ui.heading(t!("ui-review-title"));
            let file = crate::otp::printable(&r.file_name()).into_owned();
            // A followed file is its own newest backup.
            ui.label(if file == review.name() {
                t!("ui-follow-explain-file", file = file)
            } else {
                t!("ui-follow-explain", name = review.name(), file = file)
            });
            let warn = ui.visuals().warn_fg_color;
            if r.suspicious {
                ui.label(
                    RichText::new(t!("ui-follow-suspicious", count = r.removed.len())).color(warn),
                );
            }
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(ui.available_height() - 48.0)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    if !r.added.is_empty() {
                        ui.label(RichText::new(t!("ui-follow-new-heading")).strong());
                        for (&i, tick) in r.added.iter().zip(add.iter_mut()) {
                            let a = &r.snapshot.accounts[i];
                            let text = t!(
                                "ui-review-candidate",
                                name = a.display_name(),
                                params = describe(&a.params)
                            );
                            ui.checkbox(tick, text);
                        }
                    }
                    if !r.changed.is_empty() {
                        ui.label(RichText::new(t!("ui-follow-changed-heading")).strong());
                        for (c, tick) in r.changed.iter().zip(change.iter_mut()) {
                            let a = &r.snapshot.accounts[c.index];
                            let group = &r.snapshot.groups[c.index];
                            let mut after = display_name(&a.issuer, &a.name);
                            if !group.is_empty() {
                                after = t!("ui-follow-in-group", name = after, group = group);
                            }
                            let text =
                                t!("ui-follow-change-row", before = &c.before, after = after);
                            ui.checkbox(tick, text);
                        }
                    }
                    if !r.removed.is_empty() {
                        ui.label(RichText::new(t!("ui-follow-removed-heading")).strong());
                        for (e, tick) in r.removed.iter().zip(remove.iter_mut()) {
                            ui.checkbox(tick, t!("ui-follow-remove-row", name = e.display_name()));
                        }
                    }
                    if !r.kept_here.is_empty() {
                        ui.add_space(4.0);
                        ui.label(t!("ui-follow-kept-here", names = r.kept_here.join(", ")));
                    }
                });
            ui.separator();
            let chosen = [&*add, &*change, &*remove]
                .iter()
                .map(|v| v.iter().filter(|&&t| t).count())
                .sum::<usize>();
            ui.horizontal(|ui| {
                // Enter applies unless a checkbox has focus (there it toggles).
                let enter = ui.memory(|m| m.focused().is_none())
                    && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
                apply = ui
                    .add_enabled(
                        chosen > 0,
                        egui::Button::new(t!("ui-follow-apply", count = chosen)),
                    )
                    .on_hover_text(t!("ui-follow-apply-tooltip"))
                    .clicked()
                    || (enter && chosen > 0);
                cancel = ui.button(t!("ui-cancel")).clicked()
                    || ui.input(|i| i.key_pressed(Key::Escape));
            });
        });
        if apply {
            let review = view.review.take().expect("shown above");
            let choice = view.choice(&review);
            if !choice.add.is_empty() {
                self.progress = Some((0, choice.add.len()));
            }
            self.worker.send(Command::FollowApply { review, choice });
            return true;
        }
        if cancel {
            let review = view.review.take().expect("shown above");
            // Back to its banner, unless a newer one came meanwhile.
            let id = review.review.source.id;
            if !self.follow.pending.iter().any(|p| p.review.source.id == id) {
                self.follow.pending.push(review);
            }
            return true;
        }
        false
    }
}
