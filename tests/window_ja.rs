//! Protects: the window in Japanese — the list, the add form, the review,
//! Settings and the keyring-error screen read in Japanese, render with a
//! Japanese font and fit the smallest window (snapshots in tests/snapshots);
//! the language can be switched in Settings; and Japanese typed through an
//! input method (IME) lands in every text field once, with the candidate
//! window placed at the field's cursor.
//!
//! The language is process-wide: every test here sets Japanese.

#[path = "support/ui_rig.rs"]
mod ui_rig;

use eframe::egui;
use egui_kittest::kittest::{NodeT, Queryable};
use ninsho::i18n::{self, Lang};
use ui_rig::*;

/// The language is the process's: a test that switches it (to English and
/// back, through Settings) must not run beside one that reads or clicks
/// Japanese labels, which would move under its pointer (seen once: the HOTP
/// choice clicked while the form was briefly English stayed unticked).
static LANGUAGE: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// Japanese for this test, shared with the others that keep it.
fn japanese() -> std::sync::RwLockReadGuard<'static, ()> {
    let turn = LANGUAGE.read().unwrap_or_else(|e| e.into_inner());
    i18n::set(Lang::Ja);
    turn
}

/// Japanese for this test alone: it switches the language.
fn japanese_alone() -> std::sync::RwLockWriteGuard<'static, ()> {
    let turn = LANGUAGE.write().unwrap_or_else(|e| e.into_inner());
    i18n::set(Lang::Ja);
    turn
}

/// Every labelled widget lies inside the window from left to right (text
/// that runs off the side is cut off), and the view's own widgets inside it
/// from top to bottom too.
fn assert_fits(r: &Rig, what: &str) {
    assert_fits_sideways(r, what, true);
}

/// Every labelled widget lies inside the window from left to right (a view
/// that scrolls may run on below: then `below` is false).
fn assert_fits_sideways(r: &Rig, what: &str, below: bool) {
    let size = r.harness.ctx.content_rect().size();
    for node in r
        .harness
        .query_all_by(|n| n.label().is_some_and(|l| !l.is_empty()))
    {
        let rect = node.rect();
        let label = node.accesskit_node().label().unwrap_or_default();
        assert!(
            rect.min.x >= -0.5 && rect.max.x <= size.x + 0.5,
            "{what}: \"{label}\" at {rect:?} runs off the side of a {size:?} window"
        );
        assert!(
            !below || (rect.min.y >= -0.5 && rect.max.y <= size.y + 0.5),
            "{what}: \"{label}\" at {rect:?} runs off the bottom of a {size:?} window"
        );
    }
}

/// The window shows no notice that a CJK font is missing: Japanese renders.
fn assert_cjk_font(r: &mut Rig) {
    // The pointer is no part of the picture.
    r.harness.remove_cursor();
    r.harness.run_steps(1);
    assert!(
        !r.has_text("フォントがインストールされていない"),
        "no CJK font: install fonts-ipafont-gothic or fonts-noto-cjk"
    );
}

#[test]
fn snapshot_of_the_list_in_japanese() {
    let _language = japanese();
    let mut r = rig(&[GITHUB, TWITTER_JA, LINE_JA], SMALLEST);
    r.wait_for_codes(&[GITHUB, TWITTER_JA, LINE_JA]);
    r.wait_for_no_text("キーリングから");
    for label in [
        "アカウントを追加",
        "QRコードをスキャン",
        "設定",
        "バックアップ",
    ] {
        assert!(r.has(label), "{label}");
    }
    assert!(r.has("ツイッターのコードをコピー") || r.has("ツイッター（山田太郎）のコードをコピー"));
    assert!(r.has_text("残り30秒"));
    assert_cjk_font(&mut r);
    assert_fits(&r, "list");
    r.settle();
    r.harness.snapshot("ja_list_360x480");
}

#[test]
fn snapshot_of_the_add_form_in_japanese() {
    let _language = japanese();
    let mut r = rig(&[], SMALLEST);
    r.wait_for("アカウントはまだありません");
    assert_fits(&r, "empty list");
    r.click("最初のアカウントを追加");
    r.wait_for("手動で入力");
    r.click("手動で入力");
    r.type_into_field(0, "ツイッター");
    r.type_into_field(1, "山田太郎");
    r.type_into_field(2, "MFRGGZDFMZTWQ2LK");
    r.harness.run_steps(2);
    assert!(r.has_text("✔ ツイッター（山田太郎） — 6桁、30秒ごと、SHA1"));
    assert_cjk_font(&mut r);
    assert_fits(&r, "add form");
    r.settle();
    r.harness.snapshot("ja_add_360x480");

    // Every option shown: the form scrolls rather than running off the window.
    r.click("詳細設定");
    r.click("カウンターベース（HOTP）");
    assert_fits(&r, "add form, advanced");
    r.harness.remove_cursor();
    r.harness.run_steps(1);
    r.settle();
    r.harness.snapshot("ja_add_advanced_360x480");

    // With the list of formats open too, the form scrolls and the buttons
    // stay in view.
    r.click("スクリーンショットや他のアプリから");
    assert_fits_sideways(&r, "add form, formats", false);
    let window = r.harness.ctx.content_rect();
    for button in ["確認", "キャンセル"] {
        let rect = r.harness.get_by_label(button).rect();
        assert!(
            window.contains_rect(rect),
            "{button} at {rect:?} is out of view"
        );
    }
}

#[test]
fn snapshot_of_the_review_in_japanese() {
    let _language = japanese();
    let mut r = rig(&[GITHUB], SMALLEST);
    r.wait_for_codes(&[GITHUB]);
    // A transfer of two accounts, one already in Ninsho, pasted as a link.
    let transfer = ninsho::backup::qr::transfer_codes(
        &[
            ninsho::otp::parse_uri(GITHUB).unwrap().account,
            ninsho::otp::parse_uri(TWITTER_JA).unwrap().account,
        ],
        7,
    )
    .unwrap();
    let link = transfer.codes[0].0.to_string();
    r.harness.event(egui::Event::Paste(link));
    r.wait_for("確認");
    assert!(r.has_text("クリップボードから："));
    assert!(r.has_text("GitHub（alice） — 6桁、30秒ごと、SHA1（Ninshoに登録済み）"));
    assert!(r.has_text("ツイッター（山田太郎） — 8桁、30秒ごと、SHA1"));
    assert!(r.has("保存"));
    assert_cjk_font(&mut r);
    assert_fits(&r, "review");
    r.settle();
    r.harness.snapshot("ja_review_360x480");
}

#[test]
fn snapshot_of_settings_in_japanese_and_the_language_switches_at_once() {
    let _language = japanese_alone();
    let mut r = rig(&[GITHUB], SMALLEST);
    r.wait_for_codes(&[GITHUB]);
    r.click("設定");
    r.wait_for("言語");
    // Each language is named in itself; "System" is translated.
    for label in [
        "システムの設定に従う",
        "English",
        "日本語",
        "テーマ",
        "完了",
    ] {
        assert!(r.has(label), "{label}");
    }
    assert_cjk_font(&mut r);
    assert_fits(&r, "settings");
    r.settle();
    r.harness.snapshot("ja_settings_360x480");

    r.click("English");
    r.wait_for("Language");
    assert!(r.has("Done") && r.has("Theme"));
    assert_eq!(r.harness.state().settings.language, Some(Lang::En));
    r.click("日本語");
    r.wait_for("言語");
    assert_eq!(r.harness.state().settings.language, Some(Lang::Ja));
    assert_eq!(i18n::current(), Lang::Ja);
}

#[test]
fn snapshot_of_the_keyring_error_screen_in_japanese() {
    let _language = japanese();
    let mut r = rig_with(&[GITHUB], SMALLEST, false);
    r.wait_for("キーリングを利用できません");
    assert!(r.has("再試行"));
    assert!(r.has_text("gnome-keyring"));
    assert_cjk_font(&mut r);
    assert_fits(&r, "keyring error");
    r.settle();
    r.harness.snapshot("ja_keyring_error_360x480");
}

/// The keyring screen of the real window also offers an encrypted file
/// (issue 20): in Japanese, inside the smallest window (it scrolls), and the
/// unlock screen of a data folder that chose the file.
#[test]
fn snapshot_of_the_file_store_offer_and_unlock_screen_in_japanese() {
    let _language = japanese();
    let mut r = rig_with(&[], SMALLEST, false);
    let data = r.data.path().to_path_buf();
    r.harness
        .state_mut()
        .set_store(data.clone(), ninsho::ui::app::PasswordSlot::default());
    r.wait_for("キーリングを利用できません");
    r.click("暗号化ファイルを使う…");
    r.wait_for_text("パスワード（確認）");
    assert_cjk_font(&mut r);
    assert_fits_sideways(&r, "file store offer", false);
    r.settle();
    r.harness.snapshot("ja_file_store_offer_360x480");

    ninsho::vault::file_store::FileStore::create(&ninsho::vault::choice::file_path(&data), "pw")
        .unwrap();
    ninsho::vault::choice::choose(&data, ninsho::vault::choice::StoreKind::File).unwrap();
    r.harness
        .state_mut()
        .set_store(data, ninsho::ui::app::PasswordSlot::default());
    r.harness.run_steps(2);
    r.wait_for_text("アカウントのロックを解除");
    assert!(r.has("ロックを解除"));
    // No snapshot: the screen names the file, whose folder is a new
    // temporary one each run.
    assert_fits(&r, "unlock");
}

/// The Backup view's section that follows another device, open with its
/// form, in Japanese (a tall window, so the whole menu is in the picture).
#[test]
fn snapshot_of_following_another_device_in_japanese() {
    let _language = japanese();
    let mut r = rig(&[GITHUB], egui::vec2(360.0, 1500.0));
    r.wait_for_codes(&[GITHUB]);
    r.click("バックアップ");
    r.click("ほかのデバイスのバックアップをフォロー");
    r.wait_for_text("フォローしているフォルダーはありません。");
    r.click("フォルダーをフォロー…");
    r.wait_for_text("バックアップのパスワード");
    assert_cjk_font(&mut r);
    assert_fits(&r, "follow form");
    r.settle();
    r.harness.snapshot("ja_follow_form_360x1500");
}

/// Old settings (saved before the language choice) still load, as "System".
#[test]
fn settings_saved_without_a_language_load_as_system() {
    let old: ninsho::ui::Settings =
        serde_json::from_str(r#"{"theme":"Dark","clipboard_clear_secs":45,"privacy":true}"#)
            .unwrap();
    assert_eq!(old.language, None);
    assert_eq!(old.clipboard_clear_secs, 45);
}

// ---- Typing Japanese with an input method -------------------------------

/// Composes 山田 in the focused field as an IME does: a preedit (やまだ, still
/// being converted) then the commit. Returns the frame's IME output.
fn compose(r: &mut Rig) -> egui::output::IMEOutput {
    r.harness.event(egui::Event::Ime(egui::ImeEvent::Preedit {
        text: "やまだ".into(),
        active_range_chars: Some(0..3),
    }));
    r.harness.run_steps(1);
    let during = r.harness.output().platform_output.ime;
    r.harness
        .event(egui::Event::Ime(egui::ImeEvent::Commit("山田".into())));
    r.harness.run_steps(1);
    during.expect("no IME output while composing: the candidate window has no place")
}

/// Focuses the `index`-th field, composes 山田 in it, and checks the field
/// holds it once and the candidate window sits at the field's cursor.
fn ime_into_field(r: &mut Rig, index: usize, what: &str) {
    r.fields()[index].focus();
    r.harness.run_steps(2);
    // The cursor after what the field holds, as a person puts it to type on.
    r.harness.key_press(egui::Key::End);
    r.harness.run_steps(1);
    let before = r.fields()[index]
        .accesskit_node()
        .value()
        .unwrap_or_default();
    let ime = compose(r);
    let field = &r.fields()[index];
    let rect = field.rect();
    let value = field.accesskit_node().value().unwrap_or_default();
    assert_eq!(value, format!("{before}山田"), "{what}");
    assert!(
        !value.contains("やまだ"),
        "{what}: the preedit stayed: {value}"
    );
    assert!(
        rect.expand(1.0).contains_rect(ime.rect),
        "{what}: IME area {:?} is not the field {rect:?}",
        ime.rect
    );
    assert!(
        rect.expand(1.0).contains_rect(ime.cursor_rect),
        "{what}: the candidate window would open at {:?}, outside the field {rect:?}",
        ime.cursor_rect
    );
    // At the end of the text typed so far, not at the field's start.
    if !before.is_empty() {
        assert!(
            ime.cursor_rect.min.x > rect.min.x + 8.0,
            "{what}: cursor at {:?}",
            ime.cursor_rect
        );
    }
}

#[test]
fn ime_composition_lands_once_in_every_text_field() {
    let _language = japanese();
    let mut r = rig(&[GITHUB], egui::vec2(440.0, 640.0));
    r.wait_for_codes(&[GITHUB]);
    // Search.
    ime_into_field(&mut r, 0, "search");
    r.harness.key_press(egui::Key::Escape);
    r.harness.run_steps(2);
    r.harness.key_press(egui::Key::Escape);
    r.harness.run_steps(2);

    // The add form: the URI field, then manual entry's names.
    r.click("アカウントを追加");
    r.wait_for("URIを貼り付け");
    ime_into_field(&mut r, 0, "otpauth URI");
    r.click("手動で入力");
    r.type_into_field(0, "ツイッター ");
    ime_into_field(&mut r, 0, "issuer");
    ime_into_field(&mut r, 1, "account");
    r.click("キャンセル");

    // Editing an account: issuer, name, group.
    r.wait_for("GitHub（alice）のコードをコピー");
    r.click("GitHub（alice）のコードをコピー");
    r.harness.key_press(egui::Key::F2);
    r.harness.run_steps(2);
    r.wait_for("アカウントを編集");
    ime_into_field(&mut r, 0, "edit issuer");
    ime_into_field(&mut r, 1, "edit account");
    ime_into_field(&mut r, 2, "edit group");
    r.click("保存");
    r.wait_for_text("GitHub山田");
}

/// The other views at the smallest size: nothing in Japanese runs off the side.
#[test]
fn backup_edit_and_delete_views_fit_the_smallest_window_in_japanese() {
    let _language = japanese();
    let mut r = rig(&[GITHUB, TWITTER_JA], SMALLEST);
    r.wait_for_codes(&[GITHUB, TWITTER_JA]);
    r.click("バックアップ");
    r.wait_for("印刷用のバックアップシート");
    assert_fits_sideways(&r, "backup menu", false);
    r.click("自動バックアップを設定…");
    r.wait_for("オンにする");
    assert_fits_sideways(&r, "backup menu, automatic backups", false);
    r.click("キャンセル");
    r.click("暗号化バックアップをエクスポート…");
    assert_fits_sideways(&r, "backup menu, export", false);
    r.click("Google 認証システム用の移行コード");
    r.wait_for("Google 認証システムへ移行");
    assert_fits_sideways(&r, "transfer codes", false);
    r.harness.key_press(egui::Key::Escape);
    r.harness.run_steps(2);

    let row = "ツイッター（山田太郎）のコードをコピー";
    r.click(row);
    r.click("その他");
    assert_fits_sideways(&r, "row menu", true);
    r.click("バックアップコード");
    r.wait_for("保存されたバックアップコードはまだありません");
    r.type_into_field(0, "aaaa-1111\nbbbb-2222");
    r.click("コードを保存");
    r.wait_for("2件中2件が未使用");
    r.click_first("削除");
    r.harness.run_steps(2);
    assert_fits_sideways(&r, "recovery codes", false);
    r.click("残す");
    r.click("戻る");
    r.wait_for_text("バックアップコードは残り2件です");

    r.click(row);
    r.click("その他");
    r.click("QRコード");
    r.wait_for_text("ツイッター（山田太郎）のQRコード");
    assert_fits_sideways(&r, "account QR code", false);
    r.harness.key_press(egui::Key::Escape);
    r.harness.run_steps(2);

    r.click(row);
    r.harness.key_press(egui::Key::F2);
    r.harness.run_steps(2);
    r.wait_for("アカウントを編集");
    assert_fits(&r, "edit");
    r.click("キャンセル");
    r.click(row);
    r.harness.key_press(egui::Key::Delete);
    r.harness.run_steps(2);
    r.wait_for("ツイッター（山田太郎）を削除しますか？");
    assert_fits(&r, "delete dialog");
}

/// Following another device (issue 19): the banner and the review of a
/// followed backup read in Japanese and fit the smallest window.
#[test]
fn the_banner_and_review_of_a_followed_backup_fit_the_smallest_window_in_japanese() {
    use ninsho::vault::{MemoryStore, Vault};
    use std::sync::Arc;
    let _language = japanese();
    let mut r = rig(&[GITHUB], SMALLEST);
    r.wait_for_codes(&[GITHUB]);
    // A phone's backup in a synced folder, followed while the window is open.
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("スマホ");
    std::fs::create_dir(&folder).unwrap();
    let phone = tempfile::tempdir().unwrap();
    let phone_store = Arc::new(MemoryStore::new());
    let mut vault = Vault::open(phone.path(), phone_store.clone()).unwrap();
    let accounts = [TWITTER_JA, LINE_JA]
        .iter()
        .map(|u| ninsho::otp::parse_uri(u).unwrap().account)
        .collect();
    vault.add(accounts, &mut |_, _| {}).unwrap();
    ninsho::autobackup::turn_on(phone.path(), &phone_store, &folder, "pw", 20).unwrap();
    ninsho::autobackup::run(&vault, 1_780_000_000, "phone").unwrap();
    ninsho::follow::add(r.data.path(), &r.store, &folder, None, "pw").unwrap();

    r.wait_for_text("スマホのバックアップに、新しいアカウントが2件あります");
    assert_fits_sideways(&r, "follow banner", true);
    r.click("確認…");
    r.wait_for("2件の変更を反映");
    assert!(r.has_text("あちらで追加"));
    assert_fits_sideways(&r, "follow review", false);
    r.click("2件の変更を反映");
    r.wait_for_text("スマホからの変更を反映しました：追加2件、変更0件、削除0件");
}

#[test]
fn snapshot_of_the_lock_settings_and_the_lock_screen_in_japanese() {
    let _language = japanese();
    let mut r = rig(&[GITHUB], SMALLEST);
    r.wait_for_codes(&[GITHUB]);
    r.click("設定");
    r.click("パスワードでロック");
    r.wait_for("ロックのパスワードを保存");
    for (i, field) in ["パスワード", "パスワード（確認）"].iter().enumerate() {
        assert!(r.has(field), "{field}");
        let fields = r.fields();
        fields[fields.len() - 2 + i].focus();
        r.harness.run_steps(1);
        r.fields()[r.fields().len() - 2 + i].type_text("鍵のパスワード");
        r.harness.run_steps(1);
    }
    assert_cjk_font(&mut r);
    r.settle();
    r.harness.snapshot("ja_lock_settings_360x480");
    r.click("ロックのパスワードを保存");
    r.wait_for("ロックのパスワードを変更…");
    assert!(r.has_text("操作がないままこの分数がたつとロック"));
    r.click("完了");
    r.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    r.wait_for("Ninshoはロックされています");
    assert!(!r.has_text("GitHub"), "no name while locked");
    assert!(r.has("ロックを解除"));
    assert_fits(&r, "lock screen");
    r.settle();
    r.harness.snapshot("ja_lock_screen_360x480");
}
