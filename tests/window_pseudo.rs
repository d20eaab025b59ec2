//! Protects: no word in the window bypasses the message files. With the
//! pseudo-locale every message is marked ⟦…⟧; every view is drawn and every
//! text in egui's AccessKit tree (labels, buttons, menus, tooltips, notices,
//! toasts, dialogs) must be marked, except the user data this test put there
//! (account names, codes, typed text), which is listed explicitly.
//!
//! The language is process-wide: every test here sets the pseudo-locale.

#[path = "support/ui_rig.rs"]
mod ui_rig;

use std::sync::Arc;

use eframe::egui;
use egui_kittest::kittest::{NodeT, Queryable};
use ninsho::i18n::{self, Lang};
use ui_rig::*;

/// A message as the pseudo-locale shows it.
fn p(english: &str) -> String {
    format!("⟦{english}⟧")
}

/// Text that is the same in every language, or not ours to translate here.
fn not_messages() -> Vec<String> {
    let mut allowed: Vec<String> = [
        // Accounts, groups and codes the test added or typed.
        "GitHub (alice)",
        "ツイッター (山田太郎)",
        "GitHub",
        "alice",
        "ツイッター",
        "山田太郎",
        "Work",
        "aaaa-1111",
        "bbbb-2222",
        "cccc-3333",
        "secret.json",
        // Algorithm names, as every authenticator shows them.
        "SHA1",
        "SHA256",
        "SHA512",
        // Each language's name in itself (Settings).
        "English",
        "日本語",
    ]
    .map(String::from)
    .into();
    // The keyring's own error comes from src/vault (its Display).
    allowed.push(
        ninsho::vault::StoreError::Unavailable {
            detail: KEYRING_DOWN.into(),
        }
        .to_string(),
    );
    allowed.push(KEYRING_DOWN.into());
    // Shortcut names stay as the keyboard says them (Ctrl stays Ctrl).
    use ninsho::ui::app::Action;
    let ctx = egui::Context::default();
    for action in [
        Action::Add,
        Action::Search,
        Action::Copy,
        Action::Edit,
        Action::Delete,
        Action::MoveUp,
        Action::MoveDown,
        Action::NextCode,
        Action::Settings,
        Action::ScanScreen,
        Action::PasteImage,
        Action::OpenImage,
    ] {
        if let Some(s) = action.shortcut() {
            allowed.push(ctx.format_shortcut(&s));
        }
    }
    // Longest first, so "GitHub (alice)" goes before "GitHub".
    allowed.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    allowed
}

/// `text` without its ⟦…⟧ messages (nested ones included).
fn unmarked(text: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '⟦' => depth += 1,
            '⟧' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every text on screen that is neither a message nor listed user data.
fn hard_coded<S>(harness: &egui_kittest::Harness<'_, S>) -> Vec<String> {
    let allowed = not_messages();
    let mut found = Vec::new();
    for node in harness.query_all_by(|_| true) {
        let n = node.accesskit_node();
        // A wrapped label's lines: the label itself holds the whole text.
        if n.role() == egui::Role::TextRun {
            continue;
        }
        let typed = matches!(
            n.role(),
            egui::Role::TextInput | egui::Role::PasswordInput | egui::Role::MultilineTextInput
        );
        let mut texts = vec![n.label().unwrap_or_default()];
        if !typed {
            texts.push(n.value().unwrap_or_default());
        }
        for text in texts {
            let mut rest = unmarked(&text);
            for a in &allowed {
                rest = rest.replace(a.as_str(), "");
            }
            if rest.chars().any(char::is_alphabetic) {
                found.push(format!("{:?} \"{text}\"", n.role()));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Fails with every unmarked text of the view now on screen.
fn check(r: &mut Rig, view: &str) {
    r.harness.run_steps(2);
    let found = hard_coded(&r.harness);
    assert!(
        found.is_empty(),
        "{view}: text that bypasses the message files:\n{}",
        found.join("\n")
    );
}

/// Shows the tooltip of the widget labelled `label`, then checks the view.
fn check_tooltip(r: &mut Rig, label: &str, view: &str) {
    r.harness.get_by_label(label).hover();
    // Tooltips wait for the pointer to rest.
    for _ in 0..40 {
        r.harness.step();
    }
    check(r, view);
}

/// The check itself finds a hard-coded word, and passes marked text,
/// shortcuts and listed user data.
#[test]
fn the_check_finds_a_hard_coded_label() {
    pseudo();
    let harness = egui_kittest::Harness::new_ui_state(
        |ui, fonts: &mut bool| {
            // The app's fonts: ⟦ and ⟧ come from the system (fonts.rs).
            if !std::mem::replace(fonts, true) {
                ninsho::ui::fonts::install(ui.ctx());
            }
            ui.label(ninsho::t!("ui-action-add"));
            ui.label(format!(
                "{} GitHub (alice) 123 456 Ctrl+N",
                ninsho::t!("ui-copy")
            ));
            let _ = ui.button("Hard-coded");
        },
        false,
    );
    assert_eq!(hard_coded(&harness), ["Button \"Hard-coded\""]);
}

fn pseudo() {
    i18n::set(Lang::Pseudo);
}

#[test]
fn the_empty_list_and_the_add_form_are_all_messages() {
    pseudo();
    let mut r = rig(&[], egui::vec2(440.0, 640.0));
    r.wait_for(&p("No accounts yet"));
    check(&mut r, "empty list");
    check_tooltip(&mut r, &p("Add account"), "Add account tooltip");

    r.click(&p("Add your first account"));
    r.wait_for(&p("Paste URI"));
    check(&mut r, "add form, URI");
    // A setup key pasted where the URI goes.
    r.type_into_field(0, "JBSWY3DPEHPK3PXP");
    check(&mut r, "add form, setup key");
    r.click(&p("Use as setup key"));
    check(&mut r, "add form, manual");
    r.click(&p("Advanced"));
    r.click(&p("Counter (HOTP)"));
    check(&mut r, "add form, advanced HOTP");
    r.click(&p("From a screenshot or another app"));
    check(&mut r, "add form, formats");
    r.type_into_field(0, "GitHub");
    r.harness.run_steps(2);
    check(&mut r, "add form, valid");
    r.click(&p("Review"));
    r.wait_for(&p("Review"));
    check(&mut r, "review");
}

#[test]
fn the_list_its_menus_dialogs_edit_and_settings_are_all_messages() {
    pseudo();
    let mut r = rig(&[GITHUB, TWITTER_JA], egui::vec2(440.0, 640.0));
    r.wait_for_codes(&[GITHUB, TWITTER_JA]);
    check(&mut r, "list");
    check_tooltip(&mut r, &p("Scan QR code"), "scan menu tooltip");
    // A click copies: the toast.
    r.click(&p("Copy code for ⟦GitHub (alice)⟧"));
    check(&mut r, "list, copied");
    r.click(&p("More"));
    check(&mut r, "row menu");
    r.harness.key_press(egui::Key::Escape);
    r.harness.run_steps(2);
    r.click(&p("Scan QR code"));
    check(&mut r, "scan menu");
    // Paste image with nothing on the clipboard: a notice.
    // Menu items carry their shortcut in their name.
    let paste = r
        .harness
        .query_all_by_label_contains(&p("Paste image"))
        .next()
        .unwrap()
        .accesskit_node()
        .label()
        .unwrap();
    r.click(&paste);
    r.wait_for(&p("Dismiss"));
    check(&mut r, "list, notice");
    r.click(&p("Dismiss"));

    // Search that finds nothing.
    r.type_into_field(0, "zzz");
    check(&mut r, "list, no match");
    r.harness.key_press(egui::Key::Escape);
    r.harness.run_steps(2);
    r.harness.key_press(egui::Key::Escape);
    r.harness.run_steps(2);

    // Delete asks first.
    r.click(&p("Copy code for ⟦GitHub (alice)⟧"));
    r.harness.key_press(egui::Key::Delete);
    r.harness.run_steps(2);
    check(&mut r, "delete dialog");
    r.click(&p("Cancel"));

    r.harness.key_press(egui::Key::F2);
    r.wait_for(&p("Edit account"));
    r.type_into_field(2, "Work");
    check(&mut r, "edit");
    r.click(&p("Save"));

    r.click(&p("Settings"));
    r.wait_for(&p("Settings"));
    check(&mut r, "settings");
}

#[test]
fn the_review_of_a_scanned_transfer_is_all_messages() {
    pseudo();
    let mut r = rig(&[GITHUB], egui::vec2(440.0, 640.0));
    r.wait_for_codes(&[GITHUB]);
    let accounts = [
        ninsho::otp::parse_uri(GITHUB).unwrap().account,
        ninsho::otp::parse_uri(TWITTER_JA).unwrap().account,
    ];
    // Two codes of a transfer (one account each), only the first shown.
    let transfer = ninsho::backup::qr::transfer_codes(&accounts, 7).unwrap();
    let link = transfer.codes[0].0.to_string();
    r.harness.event(egui::Event::Paste(link));
    r.wait_for(&p("Review"));
    check(&mut r, "review of a pasted transfer, with a duplicate");
    r.click(&p("Save"));
}

#[test]
fn backup_views_are_all_messages() {
    pseudo();
    let mut r = rig(&[GITHUB, TWITTER_JA], egui::vec2(440.0, 640.0));
    r.wait_for_codes(&[GITHUB, TWITTER_JA]);
    check_tooltip(&mut r, &p("Backup"), "backup tooltip");
    r.click(&p("Backup"));
    r.wait_for(&p("Printable recovery sheet"));
    check(&mut r, "backup menu");
    r.click(&p("Set up automatic backups…"));
    r.wait_for(&p("Turn on"));
    check(&mut r, "backup menu, automatic backups form");
    r.click(&p("Cancel"));
    r.click(&p("Export encrypted backup…"));
    r.type_into_field(0, "one");
    r.type_into_field(1, "two");
    check(&mut r, "backup menu, export password");
    r.click(&p("None"));
    check(&mut r, "backup menu, none chosen");
    r.click(&p("All"));
    r.click(&p("Transfer codes for Google Authenticator"));
    r.wait_for(&p("Transfer to Google Authenticator"));
    check(&mut r, "transfer codes");
    r.harness.key_press(egui::Key::Escape);
    r.harness.run_steps(2);

    r.click(&p("Copy code for ⟦GitHub (alice)⟧"));
    r.click(&p("More"));
    r.click(&p("QR code"));
    r.wait_for_text(&p("QR code of ⟦GitHub (alice)⟧"));
    check(&mut r, "account QR code");
    r.click(&p("Done"));

    r.click(&p("Copy code for ⟦GitHub (alice)⟧"));
    r.click(&p("More"));
    r.click(&p("Recovery codes"));
    r.wait_for(&p("No recovery codes saved yet"));
    check(&mut r, "recovery codes, none");
    r.type_into_field(0, "aaaa-1111\nbbbb-2222\ncccc-3333\nBackup codes:");
    check(&mut r, "recovery codes, paste preview");
    r.click(&p("Save codes"));
    r.wait_for(&p("3 of 3 unused"));
    check(&mut r, "recovery codes, saved");
    r.harness
        .query_all_by_label(&p("Mark used"))
        .next()
        .unwrap()
        .click();
    r.wait_for(&p("2 of 3 unused"));
    r.harness
        .query_all_by_label(&p("Delete"))
        .next()
        .unwrap()
        .click();
    r.harness.run_steps(2);
    check(&mut r, "recovery codes, used and deleting");
    r.click(&p("Keep it"));
    r.click(&p("Back"));
}

#[test]
fn the_keyring_error_screen_is_all_messages() {
    pseudo();
    let mut r = rig_with(&[GITHUB], egui::vec2(440.0, 640.0), false);
    r.wait_for(&p("Your keyring is not available"));
    check(&mut r, "keyring error");
}

/// A file dropped on the window, as the native integration hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn the_password_prompt_for_a_dropped_export_is_all_messages() {
    pseudo();
    let mut r = rig(&[], egui::vec2(440.0, 640.0));
    r.wait_for(&p("No accounts yet"));
    let format = ninsho::formats::export::export_by_name("aegis-encrypted").unwrap();
    let accounts = [ninsho::otp::parse_uri(GITHUB).unwrap().account];
    let bytes = (format.render)(&ninsho::formats::export::ExportInput {
        accounts: &accounts,
        groups: &[String::new()],
        password: Some("pw"),
        now: T0 as u64,
        ..Default::default()
    })
    .unwrap();
    let path = r.data.path().join("secret.json");
    std::fs::write(&path, &*bytes).unwrap();
    r.harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path)));
    r.harness.step();
    r.wait_for(&p("Unlock"));
    check(&mut r, "password prompt");
}

/// With no system file chooser, Ninsho's own one (egui_file) speaks through
/// the message files too: its title, buttons, labels and the reason it shows.
#[test]
fn the_in_window_file_chooser_is_all_messages() {
    pseudo();
    let mut r = rig_services(&[GITHUB], egui::vec2(440.0, 640.0), true, |s| {
        s.system_chooser = Arc::new(|| Err("no portal".into()));
        s.pick_files = Arc::new(|| panic!("the system chooser was asked"));
    });
    // egui_file marks folders and files with emoji; test machines have no
    // emoji font.
    r.harness
        .ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Tofu);
    r.wait_for_codes(&[GITHUB]);
    r.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    r.wait_for(&p("Open"));
    // The chooser lists the folder it starts in: those names are the user's.
    let start = dirs::picture_dir().or_else(dirs::home_dir).unwrap();
    let names: Vec<String> = std::fs::read_dir(&start)
        .map(|d| {
            d.filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let found: Vec<String> = hard_coded(&r.harness)
        .into_iter()
        .filter(|t| !names.iter().any(|n| t.contains(n.as_str())))
        .filter(|t| !t.contains(&start.display().to_string()))
        // egui's own screen-reader names for a window's frame (its close
        // button and resize edges): egui has no way to translate them.
        .filter(|t| !t.ends_with("\"Close window\"") && !t.contains("\"Resize window "))
        .collect();
    assert!(
        found.is_empty(),
        "in-window file chooser: text that bypasses the message files:\n{}",
        found.join("\n")
    );
    r.harness.get_by_label(&p("Cancel")).click();
    r.harness.run_steps(2);
    assert!(r.harness.query_by_label(&p("Cancel")).is_none());
}

/// Following another device (issue 19): the banner of a followed backup and
/// its review (a rename, removals, the warning when most accounts are gone).
#[test]
fn the_follow_banner_and_review_are_all_messages() {
    use ninsho::follow::{self, Choice, Status};
    use ninsho::vault::{MemoryStore, Vault};
    pseudo();
    let mut r = rig(&[GITHUB, TWITTER_JA, LINE_JA], egui::vec2(440.0, 640.0));
    r.wait_for_codes(&[GITHUB, TWITTER_JA, LINE_JA]);
    // A phone with the same accounts backs up; its backup is followed as a
    // single file named "Work" (a name the check allows), recorded as applied.
    let root = tempfile::tempdir().unwrap();
    let backups = root.path().join("backups");
    let followed = root.path().join("Work");
    let phone = tempfile::tempdir().unwrap();
    let phone_store = Arc::new(MemoryStore::new());
    let phone_vault = || Vault::open(phone.path(), phone_store.clone()).unwrap();
    let accounts = [GITHUB, TWITTER_JA, LINE_JA]
        .iter()
        .map(|u| ninsho::otp::parse_uri(u).unwrap().account)
        .collect();
    phone_vault().add(accounts, &mut |_, _| {}).unwrap();
    ninsho::autobackup::turn_on(phone.path(), &phone_store, &backups, "pw", 20).unwrap();
    let made = ninsho::autobackup::run(&phone_vault(), 1_780_000_000, "phone").unwrap();
    std::fs::copy(&made.path, &followed).unwrap();
    follow::add(r.data.path(), &r.store, &followed, None, "pw").unwrap();
    {
        let mut here = Vault::open(r.data.path(), r.store.clone()).unwrap();
        let key = follow::key(&r.store).unwrap();
        let source = follow::load(r.data.path()).unwrap().sources.remove(0);
        let Status::Review(review) = follow::check(&here, &key, &source, "this-desktop") else {
            panic!("the backup cannot be read");
        };
        follow::apply(&mut here, &review, &Choice::default(), 1, &mut |_, _| {}).unwrap();
    }
    // Then most accounts go there, and GitHub moves to a group.
    let mut v = phone_vault();
    let ids: Vec<_> = v
        .entries()
        .map(|e| (e.id, e.issuer.clone(), e.name.clone()))
        .collect();
    for (id, issuer, name) in ids {
        if issuer == "GitHub" {
            v.edit(id, &issuer, &name, "Work").unwrap();
        } else {
            v.remove(id).unwrap();
        }
    }
    let made = ninsho::autobackup::run(&v, 1_780_000_060, "phone").unwrap();
    // As a sync tool delivers it: a temporary name renamed into place.
    let temp = root.path().join(".Work.tmp");
    std::fs::copy(&made.path, &temp).unwrap();
    std::fs::rename(&temp, &followed).unwrap();

    // LINE's account is the test's data, like GitHub's.
    let check_follow = |r: &mut Rig, view: &str| {
        r.harness.run_steps(2);
        let found: Vec<String> = hard_coded(&r.harness)
            .into_iter()
            .filter(|t| !["LINE", "佐藤花子"].iter().any(|n| t.contains(n)))
            .collect();
        assert!(
            found.is_empty(),
            "{view}: text that bypasses the message files:\n{}",
            found.join("\n")
        );
    };
    r.wait_for_text("⟦The backup in Work has");
    check_follow(&mut r, "follow banner");
    r.harness.get_by_label(&p("Later")).hover();
    // Tooltips wait for the pointer to rest.
    for _ in 0..40 {
        r.harness.step();
    }
    check_follow(&mut r, "follow banner, Later tooltip");
    r.click(&p("Review…"));
    r.wait_for_text(&p("Renamed or moved there"));
    check_follow(&mut r, "follow review");
    assert!(r.has_text("⟦Most accounts are gone from this backup (2 removed)"));
}
