//! The add-account form: paste an otpauth URI or enter the details by hand,
//! validated live, then on to the review.

use eframe::egui;
use egui::{Key, RichText};
use zeroize::Zeroizing;

use super::{App, View, describe, labeled_field, scan};
use crate::otp::{self, Algorithm, Kind, OtpAccount, Params, Secret};

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
                    return Err("enter an issuer or an account name".into());
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
            ui.heading("Add account");
            ui.horizontal(|ui| {
                ui.label("From a QR code:");
                done |= self.source_buttons(ui);
            });
            ui.horizontal(|ui| {
                ui.selectable_value(&mut form.tab, AddTab::Uri, "Paste URI");
                ui.selectable_value(&mut form.tab, AddTab::Manual, "Enter manually");
            });
            ui.separator();
            match form.tab {
                AddTab::Uri => {
                    let label = ui.label("otpauth:// URI");
                    let field = ui
                        .add(
                            egui::TextEdit::multiline(&mut *form.uri)
                                .hint_text("otpauth://totp/Example:alice?secret=…")
                                .desired_rows(3)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                    if std::mem::take(&mut form.focus_first) {
                        field.request_focus();
                    }
                    if looks_like_setup_key(&form.uri) {
                        // Sites show the key beside the QR code; people paste it here.
                        ui.label("This looks like a setup key (the code a site shows beside its QR code), not a URI.");
                        if ui.button("Use as setup key").clicked() {
                            form.secret = Zeroizing::new(form.uri.trim().to_string());
                            form.uri = Zeroizing::new(String::new());
                            form.tab = AddTab::Manual;
                            form.focus_first = true;
                        }
                    }
                }
                AddTab::Manual => {
                    egui::Grid::new("manual").num_columns(2).show(ui, |ui| {
                        ui.label("Issuer");
                        let issuer = ui.text_edit_singleline(&mut form.issuer);
                        if std::mem::take(&mut form.focus_first) {
                            issuer.request_focus();
                        }
                        ui.end_row();
                        ui.label("Account");
                        ui.text_edit_singleline(&mut form.account);
                        ui.end_row();
                        ui.label("Secret");
                        ui.horizontal(|ui| {
                            ui.add(
                                egui::TextEdit::singleline(&mut *form.secret)
                                    .password(!form.show_secret),
                            );
                            ui.checkbox(&mut form.show_secret, "Show");
                        });
                        ui.end_row();
                    });
                    egui::CollapsingHeader::new("Advanced").show(ui, |ui| {
                        egui::Grid::new("advanced").num_columns(2).show(ui, |ui| {
                            ui.label("Type");
                            ui.horizontal(|ui| {
                                ui.radio_value(&mut form.kind, Kind::Totp, "Time (TOTP)");
                                ui.radio_value(&mut form.kind, Kind::Hotp, "Counter (HOTP)");
                                ui.radio_value(&mut form.kind, Kind::Steam, "Steam");
                            });
                            ui.end_row();
                            if form.kind != Kind::Steam {
                                ui.label("Algorithm");
                                ui.horizontal(|ui| {
                                    for a in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512]
                                    {
                                        ui.radio_value(&mut form.algorithm, a, a.as_str());
                                    }
                                });
                                ui.end_row();
                                ui.label("Digits");
                                ui.add(egui::DragValue::new(&mut form.digits).range(1..=10));
                                ui.end_row();
                            }
                            if form.kind == Kind::Hotp {
                                labeled_field(ui, "Counter", &mut form.counter);
                            } else {
                                labeled_field(ui, "Period (seconds)", &mut form.period);
                            }
                        });
                    });
                }
            }
            ui.add_space(8.0);
            egui::CollapsingHeader::new("From a screenshot or another app").show(ui, |ui| {
                ui.label("Drop a screenshot of a QR code, or an export file, on this window. Encrypted exports ask for their password; you review everything before it is saved. Exports Ninsho reads:");
                for format in crate::formats::REGISTRY {
                    let lock = if format.encryptable { " (encrypted too)" } else { "" };
                    ui.label(format!("• {}{lock}", format.description));
                }
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
                    ui.label(format!("✔ {} — {}", a.display_name(), describe(&a.params)));
                    for w in warnings {
                        ui.label(RichText::new(w).color(ui.visuals().warn_fg_color));
                    }
                }
                (Err(e), false) => {
                    ui.label(RichText::new(format!("✖ {e}")).color(ui.visuals().error_fg_color));
                }
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let ok = parsed.is_ok() && !empty;
                if ui.add_enabled(ok, egui::Button::new("Review")).clicked()
                    && let Ok((account, warnings)) = parsed
                {
                    let candidates = vec![self.candidate(account, String::new())];
                    self.view = View::Review(Box::new(scan::Review::new(candidates, warnings)));
                    done = true;
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    done = true;
                }
            });
        });
        done
    }
}
