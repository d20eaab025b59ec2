//! The account list: the top bar (actions, search, notices), the status bar,
//! the rows with their codes and countdown rings, and the list's keyboard handling.

use eframe::egui;
use egui::{Color32, Key, Modifiers, RichText};

use super::{Action, App, View};
use crate::otp::{self, Kind};
use crate::vault::Entry;

/// Seconds before a TOTP code changes during which the next code is shown too.
pub(super) const NEXT_CODE_LEAD: u64 = 5;

impl App {
    /// Keyboard handling for the list view.
    pub(super) fn list_keys(&mut self, ctx: &egui::Context) {
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

    pub(super) fn search_id() -> egui::Id {
        egui::Id::unique("ninsho-search")
    }

    pub(super) fn search_has_focus(&self, ctx: &egui::Context) -> bool {
        ctx.memory(|m| m.has_focus(Self::search_id()))
    }

    pub(super) fn search_has_selection(&self, ctx: &egui::Context) -> bool {
        egui::TextEdit::load_state(ctx, Self::search_id())
            .and_then(|s| s.cursor.char_range())
            .is_some_and(|r| !r.is_empty())
    }

    pub(super) fn top_bar(&mut self, ui: &mut egui::Ui) {
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

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
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

    pub(super) fn list_view(&mut self, ui: &mut egui::Ui) {
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

    pub(super) fn account_row(&mut self, ui: &mut egui::Ui, entry: &Entry, now: f64, height: f32) {
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
}

/// A ring that empties as the period runs out, with the seconds left inside.
pub(super) fn countdown_ring(ui: &mut egui::Ui, period: u64, now: f64) {
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
