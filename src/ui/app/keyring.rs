//! The screen shown instead of the list while the keyring is missing or locked.

use eframe::egui;
use egui::RichText;

use super::App;
use crate::ui::worker::Command;

impl App {
    pub(super) fn keyring_screen(&mut self, ui: &mut egui::Ui, msg: &str) {
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
}
