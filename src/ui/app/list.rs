//! The account list: the top bar (actions, search, notices), the status bar,
//! the rows with their codes and countdown rings, and the list's keyboard handling.

use eframe::egui;
use egui::{Color32, Key, Modifiers, RichText};

use super::{Action, App, View};
use crate::otp::{self, Kind};
use crate::t;
use crate::vault::Entry;

/// Seconds before a TOTP code changes during which the next code is shown too.
pub(super) const NEXT_CODE_LEAD: u64 = 5;

const ROW_HEIGHT: f32 = 64.0;

/// The widest the list grows: on a wide window a name stays near its code
/// (GNOME's lists are clamped the same way).
const MAX_LIST_WIDTH: f32 = 720.0;

/// Below this width the search field gets a row of its own under the buttons.
const ONE_ROW_BAR: f32 = 600.0;

/// The colours the list draws a code with, chosen for contrast with the
/// panel: the theme's strongest text for the code (grey is hard to read at a
/// glance), its normal text for the next code, and ring colours that keep
/// WCAG AA (4.5:1) in both themes, where the selection blue does not.
pub struct CodeColors {
    pub code: Color32,
    pub next: Color32,
    pub ring: Color32,
    /// The ring in the last seconds of a period.
    pub ring_ending: Color32,
}

impl CodeColors {
    pub fn of(visuals: &egui::Visuals) -> Self {
        let (ring_ending, ring) = if visuals.dark_mode {
            (
                Color32::from_rgb(0xff, 0x8a, 0x80),
                visuals.selection.stroke.color,
            )
        } else {
            (
                Color32::from_rgb(0xb3, 0x26, 0x1e),
                Color32::from_rgb(0x1c, 0x5f, 0xa8),
            )
        };
        CodeColors {
            code: visuals.strong_text_color(),
            next: visuals.text_color(),
            ring,
            ring_ending,
        }
    }
}

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
        let key = |k: Key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, k));
        let page = self.rows_per_page();
        // Home and End belong to the search field while it has focus.
        let search = self.search_has_focus(ctx);
        let step: Option<isize> = if key(Key::ArrowDown) {
            Some(1)
        } else if key(Key::ArrowUp) {
            Some(-1)
        } else if key(Key::PageDown) {
            Some(page)
        } else if key(Key::PageUp) {
            Some(-page)
        } else if !search && key(Key::End) {
            Some(isize::MAX)
        } else if !search && key(Key::Home) {
            Some(isize::MIN)
        } else {
            None
        };
        if let Some(step) = step
            && !visible.is_empty()
        {
            let last = visible.len() as isize - 1;
            let next = match (pos, step) {
                (_, isize::MAX) => last,
                (_, isize::MIN) | (None, _) => 0,
                (Some(p), s) => (p as isize).saturating_add(s).clamp(0, last),
            };
            let id = self.entries[visible[next as usize]].id;
            self.selected = Some(id);
            self.scroll_to = Some(id);
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

    /// Rows that fit in the list as last drawn (Page Up/Down move by this).
    fn rows_per_page(&self) -> isize {
        let pitch = ROW_HEIGHT + 4.0;
        ((self.list_viewport.1 / pitch).floor() as isize).max(1)
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
            let one_row = ui.available_width() >= ONE_ROW_BAR;
            ui.horizontal_wrapped(|ui| {
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
                if one_row {
                    self.search_field(ui);
                }
            });
            if !one_row {
                ui.horizontal(|ui| self.search_field(ui));
            }
            ui.add_space(4.0);
            self.follow_banner(ui);
            self.backup_reminder(ui);
            for (i, note) in self.notices.clone().iter().enumerate() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(note).color(ui.visuals().warn_fg_color));
                    if ui.small_button(t!("ui-dismiss")).clicked() {
                        self.notices.remove(i);
                    }
                });
            }
        });
    }

    /// The search field and its clear button. Escape clears the search; a
    /// second Escape (or one on an empty field) leaves the field.
    fn search_field(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let focused = self.search_has_focus(&ctx);
        let nothing_focused = ctx.memory(|m| m.focused()).is_none();
        if !self.search.is_empty()
            && (focused || nothing_focused)
            && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
        {
            self.search.clear();
        }
        let clear_width = if self.search.is_empty() {
            0.0
        } else {
            28.0 + ui.spacing().item_spacing.x
        };
        let keep_escape = !self.search.is_empty();
        let search = egui::TextEdit::singleline(&mut self.search)
            .id(Self::search_id())
            .hint_text(t!("ui-action-search"))
            // With text in it, the field keeps Escape (to clear it) instead of
            // losing focus; empty, Escape leaves the field as usual.
            .event_filter(egui::EventFilter {
                horizontal_arrows: true,
                vertical_arrows: true,
                tab: false,
                escape: keep_escape,
            })
            .desired_width((ui.available_width() - clear_width).max(60.0));
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
        if !self.search.is_empty() {
            let clear = ui
                .add(egui::Button::new("✖").min_size(egui::vec2(28.0, 0.0)))
                .on_hover_text(t!("ui-clear-search-tooltip"));
            clear.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, true, t!("ui-clear-search"))
            });
            if clear.clicked() {
                self.search.clear();
            }
        }
    }

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
        let show = self.progress.is_some()
            || self.opening.is_some()
            || self.toast.is_some()
            || self.backup.status_line.is_some()
            || (!self.secrets_done && !self.entries.is_empty());
        if !show {
            return;
        }
        egui::Panel::bottom("ninsho-status").show(ui, |ui| {
            if let Some(name) = &self.opening {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(t!("ui-reading", name = name));
                });
            }
            if let Some((done, total)) = self.progress {
                ui.add(
                    egui::ProgressBar::new(done as f32 / total.max(1) as f32).text(t!(
                        "ui-saving",
                        done = done,
                        total = total
                    )),
                );
            } else if !self.secrets_done && !self.entries.is_empty() {
                // A bar, not a spinner: a spinner repaints every frame, and those
                // frames took CPU from the keyring while it was returning secrets
                // (BENCHMARKS.md, window start-up). The bar moves with each batch.
                let (done, total) = (self.secrets.len(), self.entries.len());
                ui.add(
                    egui::ProgressBar::new(done as f32 / total.max(1) as f32).text(t!(
                        "ui-reading-secrets",
                        done = done,
                        total = total
                    )),
                );
            }
            if let Some((text, _)) = &self.toast {
                ui.label(text);
            }
            if let Some(line) = &self.backup.status_line {
                ui.label(RichText::new(line).small().weak());
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
                    ui.heading(t!("ui-empty-title"));
                    ui.label(t!("ui-empty-explain"));
                    if ui.button(t!("ui-empty-add")).clicked() {
                        self.view = View::Add(Box::default());
                    }
                    ui.label(t!("ui-empty-or-qr"));
                    self.source_buttons(ui);
                });
                return;
            }
            let visible = self.visible();
            if visible.is_empty() {
                ui.label(t!("ui-no-match", query = self.search.trim()));
                return;
            }
            let now = self.now();
            let row_height = ROW_HEIGHT;
            let pitch = row_height + ui.spacing().item_spacing.y;
            // A long list shows its scroll bar from the first frame: left to find
            // out, egui fades the bar in over a dozen frames while start-up is
            // still reading secrets (BENCHMARKS.md, window start-up).
            let rows = visible.len() as f32 * pitch;
            let bar = if rows > ui.available_height() {
                egui::scroll_area::ScrollBarVisibility::AlwaysVisible
            } else {
                egui::scroll_area::ScrollBarVisibility::VisibleWhenNeeded
            };
            let mut area = egui::ScrollArea::vertical()
                .id_salt("accounts")
                .auto_shrink(false)
                .scroll_bar_visibility(bar);
            // Rows off screen are not drawn (show_rows), so they cannot scroll
            // themselves into view: work out the offset from the row's index.
            let shown = ui.available_height();
            // A status bar that comes or goes (a toast after Enter copied) must
            // not hide the selected row at the list's edge either.
            if (shown - self.list_viewport.1).abs() > 0.5 {
                self.scroll_to = self.scroll_to.or(self.selected);
            }
            if let Some(id) = self.scroll_to.take()
                && let Some(at) = visible.iter().position(|&i| self.entries[i].id == id)
            {
                let offset = self.list_viewport.0;
                let top = at as f32 * pitch;
                let bottom = top + row_height;
                if top < offset {
                    area = area.vertical_scroll_offset(top);
                } else if bottom > offset + shown {
                    area = area.vertical_scroll_offset((bottom - shown).max(0.0));
                }
            }
            // A clamped column, centred: names stay near their codes on wide windows.
            let full = ui.available_rect_before_wrap();
            let width = full.width().min(MAX_LIST_WIDTH);
            let column = egui::Rect::from_center_size(
                egui::pos2(full.center().x, full.center().y),
                egui::vec2(width, full.height()),
            );
            let output = ui
                .scope_builder(egui::UiBuilder::new().max_rect(column), |ui| {
                    area.show_rows(ui, row_height, visible.len(), |ui, range| {
                        for &i in &visible[range] {
                            let entry = self.entries[i].clone();
                            self.account_row(ui, &entry, now, row_height);
                        }
                    })
                })
                .inner;
            self.list_viewport = (output.state.clamped_offset().y, output.inner_rect.height());
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
            (None, _) if self.missing.contains_key(&entry.id) => t!("ui-no-secret"),
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
            let mut info = egui::WidgetInfo::labeled(
                egui::Role::Button,
                true,
                t!("ui-row-copy", name = &name),
            );
            info.selected = Some(selected);
            info
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
        let colors = CodeColors::of(ui.visuals());
        // The code side first: the names take what is left and are cut short
        // ("…") on a narrow window rather than running under the code.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if let Some(period) = params.period_opt()
                && code.is_some()
            {
                countdown_ring(ui, period, now);
            }
            if entry.kind == Kind::Hotp && code.is_some() {
                let b = ui
                    .small_button(t!("ui-row-next"))
                    .on_hover_text(Action::NextCode.tooltip(ui.ctx()));
                if b.clicked() {
                    self.next_hotp(entry.id);
                }
            }
            if selected {
                // One menu: the row has no room for a button per action.
                ui.menu_button(t!("ui-row-more"), |ui| {
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
            let next = match (params.period_opt(), hidden, self.secrets.get(&entry.id)) {
                (Some(period), false, Some(secret)) if period - secs % period <= NEXT_CODE_LEAD => {
                    let next = otp::code_at(secret, &params, secs + period);
                    Some(t!("ui-next-code", code = otp::group_code(&next)))
                }
                _ => None,
            };
            // As wide as the code (or the next code): the names get the rest.
            let width = |text: &str, size: f32| {
                ui.painter()
                    .layout_no_wrap(text.to_string(), egui::FontId::monospace(size), colors.code)
                    .size()
                    .x
            };
            let code_width =
                width(&shown_code, 22.0).max(next.as_deref().map_or(0.0, |n| width(n, 13.0)));
            let column = egui::vec2(code_width + 1.0, ui.available_height());
            let layout =
                egui::Layout::top_down(egui::Align::Max).with_main_align(egui::Align::Center);
            ui.allocate_ui_with_layout(column, layout, |ui| {
                // Not selectable: a click anywhere on the row, the code included, copies.
                let code = RichText::new(&shown_code)
                    .monospace()
                    .size(22.0)
                    .color(colors.code);
                ui.add(egui::Label::new(code).selectable(false));
                if let Some(next) = &next {
                    let next = RichText::new(next)
                        .monospace()
                        .size(13.0)
                        .color(colors.next);
                    ui.add(egui::Label::new(next).selectable(false));
                }
            });
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                ui.vertical(|ui| {
                    let title = if entry.issuer.is_empty() {
                        &entry.name
                    } else {
                        &entry.issuer
                    };
                    ui.add(
                        egui::Label::new(RichText::new(title).strong())
                            .truncate()
                            .selectable(false),
                    );
                    if !entry.issuer.is_empty() && !entry.name.is_empty() {
                        ui.add(
                            egui::Label::new(RichText::new(&entry.name).weak())
                                .truncate()
                                .selectable(false),
                        );
                    }
                    if !entry.group.is_empty() {
                        ui.add(
                            egui::Label::new(RichText::new(&entry.group).small().weak())
                                .truncate()
                                .selectable(false),
                        );
                    }
                    self.recovery_badge(ui, entry.id);
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
        egui::WidgetInfo::labeled(egui::Role::Meter, true, t!("ui-seconds-left", count = left))
    });
    let painter = ui.painter();
    let center = rect.center();
    let radius = 11.0;
    let track = ui.visuals().widgets.noninteractive.bg_stroke.color;
    painter.circle_stroke(center, radius, egui::Stroke::new(3.0, track));
    let fraction = left as f32 / period as f32;
    let colors = CodeColors::of(ui.visuals());
    let color = if left <= NEXT_CODE_LEAD {
        colors.ring_ending
    } else {
        colors.ring
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

#[cfg(test)]
mod tests {
    use super::CodeColors;
    use eframe::egui::{Color32, Visuals};

    /// WCAG 2 contrast ratio of two opaque colours.
    fn contrast(a: Color32, b: Color32) -> f32 {
        let lum = |c: Color32| {
            let lin = |v: u8| {
                let v = v as f32 / 255.0;
                if v <= 0.04045 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn code_and_ring_colours_meet_wcag_aa_on_both_themes() {
        for visuals in [Visuals::light(), Visuals::dark()] {
            let colors = CodeColors::of(&visuals);
            for (what, c) in [
                ("code", colors.code),
                ("next code", colors.next),
                ("ring", colors.ring),
                ("ending ring", colors.ring_ending),
            ] {
                let ratio = contrast(c, visuals.panel_fill);
                assert!(
                    ratio >= 4.5,
                    "{what} in {} mode: {ratio:.2}",
                    if visuals.dark_mode { "dark" } else { "light" }
                );
            }
        }
    }
}
