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
        err.starts_with("ninsho: ") && err.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
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
        let has_kana = err.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c));
        assert_eq!(
            has_kana, japanese,
            "NINSHO_LANG={lang_env} --lang {flag:?}: {err}"
        );
    }
}
