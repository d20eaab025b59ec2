//! The add-account form: paste an otpauth URI or enter the details by hand,
//! validated live, then on to the review.

use eframe::egui;
use egui::{Key, RichText};
use zeroize::Zeroizing;

use super::{App, View, describe, labeled_field, scan};
use crate::otp::{self, Algorithm, Kind, OtpAccount, Params, Secret};
use crate::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AddTab {
    Uri,
    Manual,
}

/// The add-account form. The secret field zeroizes when the form goes away.
pub(super) struct AddForm {
    tab: AddTab,
    uri: Zeroizing<String>,
    issuer: String,
    account: String,
    secret: Zeroizing<String>,
    show_secret: bool,
    kind: Kind,
    algorithm: Algorithm,
    digits: u8,
    period: String,
    counter: String,
    /// Put the cursor in the tab's first field on the next frame (on opening,
    /// Ctrl+N included, and after a setup key moved to manual entry).
    focus_first: bool,
}

impl Default for AddForm {
    fn default() -> Self {
        AddForm {
            tab: AddTab::Uri,
            uri: Zeroizing::new(String::new()),
            issuer: String::new(),
            account: String::new(),
            secret: Zeroizing::new(String::new()),
            show_secret: false,
            kind: Kind::Totp,
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: "30".into(),
            counter: "0".into(),
            focus_first: true,
        }
    }
}

impl AddForm {
    /// The account the form describes, or what is wrong with it.
    pub(super) fn parse(&self) -> Result<(OtpAccount, Vec<String>), String> {
        match self.tab {
            AddTab::Uri => {
                let p = otp::parse_uri(&self.uri).map_err(|e| e.to_string())?;
                Ok((p.account, p.warnings))
            }
            AddTab::Manual => {
                if self.issuer.trim().is_empty() && self.account.trim().is_empty() {
                    return Err(t!("ui-add-needs-name"));
                }
                let secret = Secret::parse_base32(&self.secret).map_err(|e| e.to_string())?;
                let period = otp::parse_period(&self.period).map_err(|e| e.to_string())?;
                let params = match self.kind {
                    Kind::Steam => Params::steam(period),
                    kind => Params {
                        kind,
                        algorithm: self.algorithm,
                        digits: self.digits,
                        period,
                        counter: otp::parse_counter(&self.counter).map_err(|e| e.to_string())?,
                    },
                };
                Ok((
                    OtpAccount {
                        issuer: self.issuer.trim().into(),
                        name: self.account.trim().into(),
                        secret,
                        params,
                        extra: vec![],
                    },
                    vec![],
                ))
            }
        }
    }
}

/// Text that is no URI but reads as a base32 secret of a useful length.
fn looks_like_setup_key(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && !text.contains("://")
        && Secret::parse_base32(text).is_ok_and(|s| s.as_bytes().len() >= 10)
}

impl App {
    /// Returns true when the view is finished (the caller then shows the list).
    pub(super) fn add_view(&mut self, ui: &mut egui::Ui, form: &mut AddForm) -> bool {
        let mut done = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(t!("ui-add-title"));
            // The form scrolls; what it reads as and the buttons stay in view.
            let keep = 96.0;
            egui::ScrollArea::vertical()
                .max_height((ui.available_height() - keep).max(80.0))
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(t!("ui-add-from-qr"));
                        done |= self.source_buttons(ui);
                    });
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut form.tab, AddTab::Uri, t!("ui-add-tab-uri"));
                        ui.selectable_value(&mut form.tab, AddTab::Manual, t!("ui-add-tab-manual"));
                    });
                    ui.separator();
                    match form.tab {
                        AddTab::Uri => {
                            let label = ui.label(t!("ui-add-uri-label"));
                            let field = ui
                                .add(
                                    egui::TextEdit::multiline(&mut *form.uri)
                                        .hint_text(t!("ui-add-uri-hint"))
                                        .desired_rows(3)
                                        .desired_width(f32::INFINITY),
                                )
                                .labelled_by(label.id);
                            if std::mem::take(&mut form.focus_first) {
                                field.request_focus();
                            }
                            if looks_like_setup_key(&form.uri) {
                                // Sites show the key beside the QR code; people paste it here.
                                ui.label(t!("ui-add-looks-like-key"));
                                if ui.button(t!("ui-add-use-as-key")).clicked() {
                                    form.secret = Zeroizing::new(form.uri.trim().to_string());
                                    form.uri = Zeroizing::new(String::new());
                                    form.tab = AddTab::Manual;
                                    form.focus_first = true;
                                }
                            }
                        }
                        AddTab::Manual => {
                            egui::Grid::new("manual").num_columns(2).show(ui, |ui| {
                                let label = ui.label(t!("ui-field-issuer"));
                                let issuer = ui
                                    .text_edit_singleline(&mut form.issuer)
                                    .labelled_by(label.id);
                                if std::mem::take(&mut form.focus_first) {
                                    issuer.request_focus();
                                }
                                ui.end_row();
                                let label = ui.label(t!("ui-field-account"));
                                ui.text_edit_singleline(&mut form.account)
                                    .labelled_by(label.id);
                                ui.end_row();
                                let label = ui.label(t!("ui-add-secret"));
                                ui.add(
                                    egui::TextEdit::singleline(&mut *form.secret)
                                        .password(!form.show_secret),
                                )
                                .labelled_by(label.id);
                                ui.end_row();
                                // A row of its own: beside the field it ran off a
                                // narrow window.
                                ui.allocate_space(egui::Vec2::ZERO);
                                ui.checkbox(&mut form.show_secret, t!("ui-add-show"));
                                ui.end_row();
                            });
                            egui::CollapsingHeader::new(t!("ui-add-advanced")).show(ui, |ui| {
                                // The kinds above the grid, wrapping: in a grid cell
                                // they ran off a narrow window.
                                ui.label(t!("ui-add-type"));
                                ui.horizontal_wrapped(|ui| {
                                    ui.radio_value(
                                        &mut form.kind,
                                        Kind::Totp,
                                        t!("ui-add-kind-totp"),
                                    );
                                    ui.radio_value(
                                        &mut form.kind,
                                        Kind::Hotp,
                                        t!("ui-add-kind-hotp"),
                                    );
                                    ui.radio_value(
                                        &mut form.kind,
                                        Kind::Steam,
                                        t!("ui-add-kind-steam"),
                                    );
                                });
                                egui::Grid::new("advanced").num_columns(2).show(ui, |ui| {
                                    if form.kind != Kind::Steam {
                                        ui.label(t!("ui-add-algorithm"));
                                        ui.horizontal(|ui| {
                                            for a in [
                                                Algorithm::Sha1,
                                                Algorithm::Sha256,
                                                Algorithm::Sha512,
                                            ] {
                                                ui.radio_value(&mut form.algorithm, a, a.as_str());
                                            }
                                        });
                                        ui.end_row();
                                        let label = ui.label(t!("ui-add-digits"));
                                        ui.add(
                                            egui::DragValue::new(&mut form.digits).range(1..=10),
                                        )
                                        .labelled_by(label.id);
                                        ui.end_row();
                                    }
                                    if form.kind == Kind::Hotp {
                                        labeled_field(ui, &t!("ui-add-counter"), &mut form.counter);
                                    } else {
                                        labeled_field(ui, &t!("ui-add-period"), &mut form.period);
                                    }
                                });
                            });
                        }
                    }
                    ui.add_space(8.0);
                    egui::CollapsingHeader::new(t!("ui-add-from-file")).show(ui, |ui| {
                        ui.label(t!("ui-add-from-file-explain"));
                        for format in crate::formats::REGISTRY {
                            ui.label(if format.encryptable {
                                t!("ui-add-format-encryptable", format = (format.description)())
                            } else {
                                t!("ui-add-format", format = (format.description)())
                            });
                        }
                    });
                });
            ui.add_space(8.0);
            let parsed = form.parse();
            let empty = match form.tab {
                AddTab::Uri => form.uri.trim().is_empty(),
                AddTab::Manual => {
                    form.secret.trim().is_empty()
                        && form.issuer.is_empty()
                        && form.account.is_empty()
                }
            };
            match (&parsed, empty) {
                (_, true) => {}
                (Ok((a, warnings)), false) => {
                    ui.label(t!(
                        "ui-add-valid",
                        name = a.display_name(),
                        params = describe(&a.params)
                    ));
                    for w in warnings {
                        ui.label(RichText::new(w).color(ui.visuals().warn_fg_color));
                    }
                }
                (Err(e), false) => {
                    ui.label(
                        RichText::new(t!("ui-add-invalid", error = e))
                            .color(ui.visuals().error_fg_color),
                    );
                }
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let ok = parsed.is_ok() && !empty;
                if ui
                    .add_enabled(ok, egui::Button::new(t!("ui-add-review")))
                    .clicked()
                    && let Ok((account, warnings)) = parsed
                {
                    let candidates = vec![self.candidate(account, String::new())];
                    self.view = View::Review(Box::new(scan::Review::new(candidates, warnings)));
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
