//! The screen shown instead of the list while the keyring is missing or locked.

use eframe::egui;
use egui::RichText;

use super::App;
use crate::t;
use crate::ui::worker::Command;

impl App {
    pub(super) fn keyring_screen(&mut self, ui: &mut egui::Ui, msg: &str) {
        if self.unlock_screen(ui, msg) {
            return;
        }
        egui::CentralPanel::default().show(ui, |ui| {
            // Scrolls: with the file store's offer it is taller than the
            // smallest window.
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.add_space(24.0);
                ui.heading(t!("ui-keyring-title"));
                ui.add_space(8.0);
                ui.label(t!("ui-keyring-explain"));
                ui.add_space(8.0);
                ui.label(RichText::new(msg).monospace());
                ui.add_space(8.0);
                ui.label(t!("ui-keyring-fix"));
                ui.label(t!("ui-keyring-fix-locked"));
                ui.label(t!("ui-keyring-fix-missing"));
                ui.add_space(16.0);
                if ui.button(t!("ui-retry")).clicked() {
                    self.keyring_error = None;
                    self.secrets_done = false;
                    self.worker.send(Command::Load);
                }
                self.file_store_offer(ui);
            });
        });
    }
}
