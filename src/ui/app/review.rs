//! The review: what a source found, checked before anything is saved.

use eframe::egui;
use egui::{Key, Modifiers, RichText};

use super::{App, describe, scan};
use crate::otp::OtpAccount;
use crate::t;
use crate::ui::worker::Command;

pub(super) struct Candidate {
    pub(super) account: OtpAccount,
    pub(super) group: String,
    pub(super) selected: bool,
    pub(super) duplicate: bool,
}

impl App {
    pub(super) fn candidate(&self, account: OtpAccount, group: String) -> Candidate {
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

    pub(super) fn review_view(&mut self, ui: &mut egui::Ui, review: &mut scan::Review) -> bool {
        let mut done = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(t!("ui-review-title"));
            ui.label(t!("ui-review-explain"));
            for w in review.lines() {
                ui.label(RichText::new(w).color(ui.visuals().warn_fg_color));
            }
            if review.incomplete() {
                ui.label(t!("ui-review-show-next"));
                self.source_buttons(ui);
            }
            if let Some(name) = &self.opening {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(t!("ui-reading", name = name));
                });
            }
            let candidates = &mut review.candidates;
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(ui.available_height() - 48.0)
                .show(ui, |ui| {
                    for c in candidates.iter_mut() {
                        let (name, params) =
                            (c.account.display_name(), describe(&c.account.params));
                        let text = if c.duplicate {
                            t!(
                                "ui-review-candidate-duplicate",
                                name = name,
                                params = params
                            )
                        } else {
                            t!("ui-review-candidate", name = name, params = params)
                        };
                        ui.checkbox(&mut c.selected, text);
                    }
                });
            ui.separator();
            let chosen = candidates.iter().filter(|c| c.selected).count();
            ui.horizontal(|ui| {
                let label = match chosen {
                    0 | 1 => t!("ui-save"),
                    n => t!("ui-save-accounts", count = n),
                };
                // Enter saves unless a checkbox has focus (there it toggles).
                let enter = ui.memory(|m| m.focused().is_none())
                    && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
                if ui
                    .add_enabled(chosen > 0, egui::Button::new(label))
                    .on_hover_text(t!("ui-review-save-tooltip"))
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
                if ui.button(t!("ui-cancel")).clicked() || ui.input(|i| i.key_pressed(Key::Escape))
                {
                    done = true;
                }
            });
        });
        done
    }
}
