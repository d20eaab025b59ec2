//! The password prompt for a dropped encrypted export, and the pair of
//! fields that sets a new password (typed twice).

use eframe::egui;
use egui::{Key, RichText};
use zeroize::Zeroizing;

use super::App;
use crate::t;
use crate::ui::worker::Command;

impl App {
    pub(super) fn password_view(
        &mut self,
        ui: &mut egui::Ui,
        path: &std::path::Path,
        format: &str,
        error: Option<&str>,
        password: &mut Zeroizing<String>,
    ) -> bool {
        let mut done = false;
        egui::CentralPanel::default().show(ui, |ui| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            ui.heading(t!("ui-password-title", name = &name));
            ui.label(t!("ui-password-explain", format = format));
            if let Some(e) = error {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
            let label = ui.label(t!("ui-password"));
            let field = ui
                .add(egui::TextEdit::singleline(&mut **password).password(true))
                .labelled_by(label.id);
            if !field.has_focus() && password.is_empty() {
                field.request_focus();
            }
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            ui.horizontal(|ui| {
                if (ui
                    .add_enabled(!password.is_empty(), egui::Button::new(t!("ui-unlock")))
                    .clicked()
                    || enter)
                    && !password.is_empty()
                {
                    self.opening = Some(name.clone());
                    self.worker.send(Command::OpenFile {
                        path: path.to_path_buf(),
                        password: Some(crate::formats::Password::new(password.to_string())),
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
}

/// A new password typed twice (an encrypted export, the file store, the
/// lock): the two fields, and under them whether they differ. Returns
/// whether the password may be used (not empty, both the same).
pub(super) fn new_password_fields(
    ui: &mut egui::Ui,
    id: &str,
    password: &mut Zeroizing<String>,
    repeat: &mut Zeroizing<String>,
) -> bool {
    egui::Grid::new(id).num_columns(2).show(ui, |ui| {
        let label = ui.label(t!("ui-password"));
        ui.add(egui::TextEdit::singleline(&mut **password).password(true))
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(t!("ui-password-repeat"));
        ui.add(egui::TextEdit::singleline(&mut **repeat).password(true))
            .labelled_by(label.id);
        ui.end_row();
    });
    if !repeat.is_empty() && **password != **repeat {
        ui.label(RichText::new(t!("ui-password-mismatch")).color(ui.visuals().error_fg_color));
    }
    !password.is_empty() && **password == **repeat
}
