//! Settings: theme, clipboard clearing, privacy.

use eframe::egui;
use egui::Key;

use super::App;
use crate::ui::Theme;

impl App {
    pub(super) fn settings_view(&mut self, ui: &mut egui::Ui) -> bool {
        let mut done = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Settings");
            ui.label("Theme");
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.settings.theme, Theme::System, "System");
                ui.radio_value(&mut self.settings.theme, Theme::Light, "Light");
                ui.radio_value(&mut self.settings.theme, Theme::Dark, "Dark");
            });
            ui.add_space(8.0);
            ui.add(
                egui::Slider::new(&mut self.settings.clipboard_clear_secs, 5..=300)
                    .text("Clear clipboard after (seconds)"),
            );
            ui.checkbox(&mut self.settings.privacy, "Hide codes until clicked");
            ui.add_space(8.0);
            if ui.button("Done").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                done = true;
            }
        });
        done
    }
}
