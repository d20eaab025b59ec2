//! Settings: language, theme, clipboard clearing, privacy, the lock (lock.rs).

use eframe::egui;
use egui::Key;

use super::App;
use crate::i18n::{self, Lang};
use crate::t;
use crate::ui::Theme;

impl App {
    pub(super) fn settings_view(&mut self, ui: &mut egui::Ui) -> bool {
        let mut done = false;
        egui::CentralPanel::default().show(ui, |ui| {
            // The lock's password form makes it taller than a small window.
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.heading(t!("ui-settings-heading"));
                ui.label(t!("ui-settings-language"));
                let before = self.settings.language;
                ui.horizontal_wrapped(|ui| {
                    ui.radio_value(
                        &mut self.settings.language,
                        None,
                        t!("ui-settings-language-system"),
                    );
                    // Each language in itself: someone who cannot read the current
                    // one still finds their own.
                    for lang in Lang::CHOICES {
                        ui.radio_value(&mut self.settings.language, Some(lang), lang.native_name());
                    }
                });
                if self.settings.language != before {
                    // At once: the next frame is drawn in the chosen language.
                    i18n::set(
                        self.settings
                            .language
                            .unwrap_or_else(i18n::from_environment),
                    );
                    ui.ctx().request_repaint();
                }
                ui.add_space(8.0);
                ui.label(t!("ui-settings-theme"));
                ui.horizontal_wrapped(|ui| {
                    ui.radio_value(
                        &mut self.settings.theme,
                        Theme::System,
                        t!("ui-settings-theme-system"),
                    );
                    ui.radio_value(
                        &mut self.settings.theme,
                        Theme::Light,
                        t!("ui-settings-theme-light"),
                    );
                    ui.radio_value(
                        &mut self.settings.theme,
                        Theme::Dark,
                        t!("ui-settings-theme-dark"),
                    );
                });
                ui.add_space(8.0);
                // The words above the slider, not beside it: beside, a long
                // translation ran off a narrow window.
                let label = ui.label(t!("ui-settings-clear-after"));
                ui.add(egui::Slider::new(
                    &mut self.settings.clipboard_clear_secs,
                    5..=300,
                ))
                .labelled_by(label.id);
                ui.checkbox(&mut self.settings.privacy, t!("ui-settings-privacy"));
                ui.add_space(8.0);
                self.lock_settings(ui);
                ui.add_space(8.0);
                if ui.button(t!("ui-done")).clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    done = true;
                }
            });
        });
        done
    }
}
