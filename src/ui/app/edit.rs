//! Editing an account's names and group, and the confirmation before deleting one.

use eframe::egui;
use egui::Key;
use uuid::Uuid;

use super::{App, labeled_field};
use crate::t;
use crate::ui::worker::Command;
use crate::vault::Entry;

impl App {
    pub(super) fn edit_view(
        &mut self,
        ui: &mut egui::Ui,
        id: Uuid,
        issuer: &mut String,
        name: &mut String,
        group: &mut String,
    ) -> bool {
        let mut done = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(t!("ui-edit-title"));
            egui::Grid::new("edit").num_columns(2).show(ui, |ui| {
                labeled_field(ui, &t!("ui-field-issuer"), issuer);
                labeled_field(ui, &t!("ui-field-account"), name);
                labeled_field(ui, &t!("ui-field-group"), group);
            });
            ui.horizontal(|ui| {
                if ui.button(t!("ui-save")).clicked() {
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
                if ui.button(t!("ui-cancel")).clicked() || ui.input(|i| i.key_pressed(Key::Escape))
                {
                    done = true;
                }
            });
        });
        done
    }

    pub(super) fn delete_dialog(&mut self, ctx: &egui::Context) {
        let Some(id) = self.confirm_delete else {
            return;
        };
        let Some(name) = self.entry(id).map(Entry::display_name) else {
            self.confirm_delete = None;
            return;
        };
        let modal = egui::Modal::new(egui::Id::unique("confirm-delete")).show(ctx, |ui| {
            ui.heading(t!("ui-delete-title", name = &name));
            ui.label(t!("ui-delete-explain"));
            ui.horizontal(|ui| {
                if ui.button(t!("ui-delete-confirm", name = &name)).clicked() {
                    self.deleting.insert(id);
                    self.worker.send(Command::Remove(id));
                    self.confirm_delete = None;
                }
                if ui.button(t!("ui-cancel")).clicked() {
                    self.confirm_delete = None;
                }
            });
        });
        if modal.should_close() {
            self.confirm_delete = None;
        }
    }
}
