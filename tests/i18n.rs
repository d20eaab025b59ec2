//! Protects: every message a person reads exists in English and Japanese, with
//! the same arguments; no message is left over; Japanese reads as Japanese;
//! the CLI speaks the chosen language without changing what scripts read.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use ninsho::i18n::{self, Arg, Lang};
use regex::Regex;

/// Message id → the variables its text uses, read from one `.ftl` file.
fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let id = Regex::new(r"^([a-z][a-z0-9-]*) =").unwrap();
    let var = Regex::new(r"\{\s*\$([a-z_]+)").unwrap();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        if let Some(m) = id.captures(line) {
            let name = m[1].to_string();
            assert!(!out.contains_key(&name), "{name} is defined twice");
            out.insert(name.clone(), BTreeSet::new());
            current = Some(name);
        } else if line.starts_with('#') || line.trim().is_empty() {
            current = None;
            continue;
        }
        if let Some(name) = &current {
            for v in var.captures_iter(line) {
                out.get_mut(name).unwrap().insert(v[1].to_string());
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The ids the code looks up: `t!("id"…)`.
fn ids_in_code() -> BTreeSet<String> {
    let use_ = Regex::new(r#"t!\(\s*"([a-z][a-z0-9-]*)""#).unwrap();
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut ids = BTreeSet::new();
    for f in files {
        let text: String = std::fs::read_to_string(&f)
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for m in use_.captures_iter(&text) {
            ids.insert(m[1].to_string());
        }
    }
    ids
}

#[test]
fn every_message_is_in_every_language_with_the_same_arguments() {
    let [(_, en), (_, ja)] = i18n::SOURCES;
    let (en, ja) = (messages(en), messages(ja));
    let only_en: Vec<_> = en.keys().filter(|k| !ja.contains_key(*k)).collect();
    let only_ja: Vec<_> = ja.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(
        only_en.is_empty(),
        "not translated into Japanese: {only_en:?}"
    );
    assert!(only_ja.is_empty(), "Japanese only: {only_ja:?}");
    // A language may leave out an argument only where English uses it to pick
    // a plural form (Japanese has none).
    let selector = Regex::new(r"\{\s*\$([a-z_]+)\s*->").unwrap();
    let [(_, en_source), _] = i18n::SOURCES;
    let selectors: BTreeSet<String> = selector
        .captures_iter(en_source)
        .map(|m| m[1].to_string())
        .collect();
    for (id, vars) in &en {
        let theirs = &ja[id];
        assert!(
            theirs.is_subset(vars),
            "{id}: Japanese uses arguments English does not give: {theirs:?}"
        );
        for v in vars.difference(theirs) {
            assert!(
                selectors.contains(v),
                "{id}: Japanese leaves out {{ ${v} }}"
            );
        }
    }
    // Every message formats in both languages with its arguments given.
    for (id, vars) in &en {
        let args: Vec<(&str, Arg)> = vars
            .iter()
            .map(|v| (v.as_str(), Arg::Number(2.0)))
            .collect();
        for lang in Lang::CHOICES {
            let text = i18n::format_in(lang, id, &args)
                .unwrap_or_else(|| panic!("{id} has no text in {lang:?}"));
            assert!(!text.contains("{$"), "{id} in {lang:?}: {text}");
            assert!(!text.trim().is_empty(), "{id} in {lang:?} is empty");
        }
    }
}

#[test]
fn every_message_is_used_and_every_used_id_exists() {
    let [(_, en), _] = i18n::SOURCES;
    let defined: BTreeSet<String> = messages(en).into_keys().collect();
    let used = ids_in_code();
    let missing: Vec<_> = used.difference(&defined).collect();
    let unused: Vec<_> = defined.difference(&used).collect();
    assert!(missing.is_empty(), "looked up but not defined: {missing:?}");
    assert!(unused.is_empty(), "defined but never used: {unused:?}");
}

/// Japanese punctuation, and no spaces between Japanese words.
#[test]
fn japanese_messages_read_as_japanese() {
    let [_, (_, ja)] = i18n::SOURCES;
    let japanese = |c: char| matches!(c, '\u{3000}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}');
    for line in ja.lines().filter(|l| !l.starts_with('#')) {
        let chars: Vec<char> = line.chars().collect();
        for w in chars.windows(3) {
            assert!(
                !(japanese(w[0]) && w[1] == ' ' && japanese(w[2])),
                "a space between Japanese words: {line}"
            );
        }
        for w in chars.windows(2) {
            assert!(
                !(japanese(w[0]) && matches!(w[1], ',' | '.' | '!' | '?' | ':' | ';' | '(')),
                "ASCII punctuation after Japanese text (use 、。！？：（）): {line}"
            );
        }
    }
}

#[test]
fn the_cli_speaks_japanese_and_scripts_read_the_same() {
    let env = common::Env::new();
    // An error: one Japanese line, exit status 1.
    let out = env
        .cmd()
        .args(["code", "nosuch"])
        .env("LANG", "ja_JP.UTF-8")
        .env_remove("NINSHO_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("ninsho: ") && has_kana(&err),
        "not Japanese: {err}"
    );
    // --lang and NINSHO_LANG choose too; --lang wins.
    for (lang_env, flag, japanese) in [
        ("en", None, false),
        ("ja", None, true),
        ("ja", Some("en"), false),
        ("en", Some("ja"), true),
    ] {
        let mut cmd = env.cmd();
        if let Some(flag) = flag {
            cmd.args(["--lang", flag]);
        }
        let out = cmd
            .arg("list")
            .env("NINSHO_LANG", lang_env)
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            has_kana(&err),
            japanese,
            "NINSHO_LANG={lang_env} --lang {flag:?}: {err}"
        );
    }
}

/// Kana or kanji: the text is Japanese.
/// Hiragana or katakana: text written in Japanese, not only a Japanese name.
fn has_kana(text: &str) -> bool {
    text.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c))
}

fn japanese(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
}

/// A command with the language chosen only by the system locale, as on a
/// Japanese desktop.
fn with_locale(env: &common::Env, locale: &str) -> std::process::Command {
    let mut cmd = env.cmd();
    cmd.env("LANG", locale)
        .env_remove("NINSHO_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE");
    cmd
}

#[test]
fn help_is_japanese_on_a_japanese_desktop_and_english_stays_as_clap_writes_it() {
    let env = common::Env::new();
    for args in [
        &["--help"][..],
        &["add", "--help"],
        &["recovery", "use", "-h"],
    ] {
        let out = with_locale(&env, "ja_JP.UTF-8")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("使い方："), "{args:?}: {text}");
        assert!(text.contains("オプション:"), "{args:?}: {text}");
        assert!(
            !text.contains("Usage:") && !text.contains("Options:"),
            "{text}"
        );
        // Every line that explains something explains it in Japanese: the
        // lines with text after the option's name (a few options have none).
        for line in text.lines().filter(|l| l.starts_with("  ")) {
            let words: Vec<&str> = line.split("  ").filter(|w| !w.trim().is_empty()).collect();
            if let [_, .., explanation] = words.as_slice() {
                assert!(japanese(explanation), "{args:?}: not Japanese: {line}");
            }
        }
    }
    let out = with_locale(&env, "ja_JP.UTF-8")
        .args(["add", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("otpauth:// の URI か"), "{text}");
    assert!(text.contains("引数:\n  [URI]  otpauth:// の URI"), "{text}");
    // English: clap's own layout and the doc comments' words, as before the bundle.
    let out = with_locale(&env, "en_US.UTF-8")
        .args(["add", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(
            "Add an account from an otpauth:// URI or from fields\n\nUsage: ninsho add [OPTIONS] [URI]\n\nArguments:\n  [URI]  An otpauth:// URI (\"-\" reads it from standard input)\n\nOptions:\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  -h, --help                            Print help\n"),
        "{text}"
    );
    assert!(!japanese(&text), "{text}");
    let out = with_locale(&env, "C").arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Two-factor authentication codes (TOTP, HOTP, Steam) with secrets in your OS keyring.\nRun without a command to open the window.\n\nUsage: ninsho [OPTIONS] [COMMAND]\n\nCommands:\n  list      List accounts (never secrets)\n"),
        "{text}"
    );
    assert!(
        text.contains("Print help (see a summary with '-h')"),
        "{text}"
    );
}

#[test]
fn errors_from_bad_input_are_one_japanese_line() {
    let env = common::Env::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    std::fs::write(&file, "{}").unwrap();
    let file = file.to_str().unwrap();
    let dir_path = dir.path().to_str().unwrap();
    for (args, english) in [
        (&["add", "otpauth://nonsense"][..], "unknown OTP type"),
        (&["add", "https://example.com/"], "not an otpauth:// URI"),
        (
            &["add", "--issuer", "X", "--secret", "JBSWY3DP!HPK3PXP"],
            "not valid base32",
        ),
        (
            &["code", "--uri", "otpauth://totp/X?secret=A1"],
            "not valid base32",
        ),
        (&["import", "--format", "nosuch", file], "unknown format"),
        (&["import", file], "could not tell what kind of file"),
        // The system's own errors too, not as the OS words them in English.
        (
            &["import", "/nonexistent/export.json"],
            "no such file or folder",
        ),
        (&["scan", dir_path], "it is a folder, not a file"),
    ] {
        for (lang, is_japanese) in [("ja", true), ("en", false)] {
            let out = env
                .cmd()
                .args(args)
                .env("NINSHO_LANG", lang)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{args:?} in {lang}");
            let err = String::from_utf8(out.stderr).unwrap();
            assert_eq!(err.lines().count(), 1, "{args:?} in {lang}: {err}");
            assert!(err.starts_with("ninsho: "), "{err}");
            assert_eq!(japanese(&err), is_japanese, "{args:?} in {lang}: {err}");
            assert_eq!(
                err.contains(english),
                !is_japanese,
                "{args:?} in {lang}: {err}"
            );
            assert!(!err.contains("os error"), "{args:?} in {lang}: {err}");
            assert!(out.stdout.is_empty());
        }
    }
}

/// What scripts read is the same whatever the language.
#[test]
fn json_and_codes_are_byte_identical_in_every_language() {
    if !common::real_keyring() {
        return;
    }
    let env = common::Env::new();
    env.ok(&["add", "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP"]);
    env.ok(&[
        "add",
        "otpauth://totp/%E3%83%84%E3%82%A4%E3%83%83%E3%82%BF%E3%83%BC:%E5%B1%B1%E7%94%B0?secret=GEZDGNBVGY3TQOJQ",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("uris.txt");
    std::fs::write(
        &file,
        "otpauth://totp/GitLab:bob?secret=GEZDGNBVGY3TQOJQGEZA\nnot a uri\notpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    env.run_with_stdin(&["recovery", "add", "GitHub"], "aaaa-bbbb\ncccc-dddd\n");
    env.ok(&["recovery", "use", "GitHub", "aaaa-bbbb"]);
    for args in [
        &["list", "--json"][..],
        &["code", "ツイッター", "--at", "1111111111"],
        &["code", "GitHub", "--at", "59"],
        &["import", "--dry-run", "--json", file],
        &["recovery", "list", "--json", "GitHub"],
    ] {
        let run = |lang: &str| {
            let out = env
                .cmd()
                .args(args)
                .env("NINSHO_LANG", lang)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{args:?} in {lang}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            (out.stdout, String::from_utf8(out.stderr).unwrap())
        };
        let (en, en_err) = run("en");
        let (ja, ja_err) = run("ja");
        assert!(!en.is_empty(), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&en),
            String::from_utf8_lossy(&ja),
            "{args:?}"
        );
        assert_eq!(en, ja, "{args:?}");
        // The import's notes on stderr are in the reader's language.
        if args[0] == "import" {
            assert!(
                !japanese(&en_err) && japanese(&ja_err),
                "{en_err}\n{ja_err}"
            );
        }
    }
}

#[test]
fn recovery_and_scan_messages_are_japanese() {
    let env = common::Env::new();
    let dir = tempfile::tempdir().unwrap();
    let not_an_image = dir.path().join("notes.txt");
    std::fs::write(&not_an_image, "hello").unwrap();
    let out = env
        .cmd()
        .args(["scan", not_an_image.to_str().unwrap()])
        .env("NINSHO_LANG", "ja")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(japanese(&err) && err.lines().count() == 1, "{err}");
    if !common::real_keyring() {
        return;
    }
    env.ok(&["add", "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP"]);
    let mut cmd = env.cmd();
    cmd.args(["recovery", "add", "GitHub"])
        .env("NINSHO_LANG", "ja");
    let out = common::run_cmd(&mut cmd, "Backup codes\n1. aaaa-bbbb\n");
    assert!(out.status.success());
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert!(
        japanese(&stdout) && stdout.contains("GitHub（alice）"),
        "{stdout}"
    );
    // One line ignored, and a warning that few codes are left.
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert!(stderr.lines().all(japanese), "{stderr}");
}

/// clap words its usage errors in English only; in Japanese Ninsho tells the
/// common ones itself (exit status 2 as clap's), and English stays clap's.
#[test]
fn usage_errors_are_japanese_too() {
    let env = common::Env::new();
    for (args, needle) in [
        (&["list", "--bogus"][..], "--bogus"),
        (&["bogus"][..], "bogus"),
        (&["remove"][..], "<QUERY>"),
        (&["code", "x", "--at", "soon"][..], "soon"),
        (
            &["code", "x", "--uri", "otpauth://totp/a?secret=AA"][..],
            "--uri",
        ),
    ] {
        let out = env
            .cmd()
            .args(args)
            .env("NINSHO_LANG", "ja")
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        let first = err.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("ninsho: ") && has_kana(first) && first.contains(needle),
            "{args:?}: {err}"
        );
        assert!(err.contains("ninsho --help"), "{args:?}: {err}");

        let out = env
            .cmd()
            .args(args)
            .env("NINSHO_LANG", "en")
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with("error: ") && !has_kana(&err),
            "{args:?}: {err}"
        );
    }
}
