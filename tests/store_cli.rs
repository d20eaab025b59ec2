//! Protects: `ninsho store use file | keyring` and `store status` (issue 20)
//! as a user meets them — every account (with its recovery codes), the
//! backup password and nothing else moves between the real keyring and the
//! encrypted file, codes stay the same, the old copies go only after the new
//! ones were read back, and a SIGKILL at any step of a move loses nothing: the
//! chosen store always holds every account, and running the same command
//! again finishes the move. Where no keyring answers (no D-Bus session), a new
//! data folder keeps its secrets in the file from the start. With the file
//! store, `list` needs no password, and a command that needs a secret says
//! how to give one instead of failing obscurely.
#![cfg(unix)]

mod common;
#[path = "support/crash.rs"]
mod crash;

use std::path::{Path, PathBuf};

use common::{Env, all_files, assert_clean_error, real_keyring};
use crash::{Kill, run_killed};

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const GITLAB: &str = "otpauth://totp/GitLab:bob?secret=GEZDGNBVGY3TQOJQ&issuer=GitLab";
const COUNTER: &str = "otpauth://hotp/Bank:dave?secret=ORSXG5DJNZTXEZLF&issuer=Bank&counter=4";
const SECRETS: [&str; 3] = ["JBSWY3DPEHPK3PXP", "GEZDGNBVGY3TQOJQ", "ORSXG5DJNZTXEZLF"];
const AT: &str = "1700000000";

fn password_file(env: &Env, name: &str, text: &str) -> PathBuf {
    let dir = env.data.path().parent().unwrap().join(format!(
        "{}-{name}",
        env.data.path().file_name().unwrap().to_string_lossy()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("password");
    std::fs::write(&path, format!("{text}\n")).unwrap();
    path
}

/// The codes of every account at a fixed time (TOTP) and the HOTP's next
/// code is left alone: `code --at` reads each secret through the store.
fn codes(env: &Env, extra: &[&str]) -> Vec<String> {
    ["GitHub", "GitLab"]
        .iter()
        .map(|q| {
            let mut args = vec!["code", q, "--at", AT];
            args.extend_from_slice(extra);
            env.ok(&args).trim().to_string()
        })
        .collect()
}

fn set_up_accounts(env: &Env) {
    for uri in [GITHUB, GITLAB, COUNTER] {
        env.ok(&["add", uri]);
    }
    let out = env.run_with_stdin(&["recovery", "add", "GitHub"], "aaaa-bbbb\ncccc-dddd\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// No secret of the accounts, in plain form, anywhere in the data folder.
fn assert_nothing_plain(dir: &Path) {
    for (path, bytes) in all_files(dir) {
        let text = String::from_utf8_lossy(&bytes);
        for s in SECRETS.iter().chain(&["aaaa-bbbb"]) {
            assert!(!text.contains(s), "{s} in plain form in {}", path.display());
        }
    }
}

#[test]
fn accounts_move_to_the_file_and_back_with_their_codes() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    set_up_accounts(&env);
    let backup_pw = password_file(&env, "backup", "backup secret");
    let backups = env.data.path().join("backups");
    env.ok(&[
        "backup",
        "set",
        "--folder",
        backups.to_str().unwrap(),
        "--password-file",
        backup_pw.to_str().unwrap(),
    ]);
    let before = codes(&env, &[]);
    let in_keyring = env.keyring_items();
    assert_eq!(in_keyring.len(), 4, "3 accounts and the backup password");
    assert!(
        env.ok(&["store", "status"])
            .contains("kept in the keyring (3 accounts)")
    );

    let pw = password_file(&env, "store", "file store pw");
    let out = env.ok(&[
        "store",
        "use",
        "file",
        "--password-file",
        pw.to_str().unwrap(),
    ]);
    assert!(
        out.contains("Moved 3 accounts to the encrypted file"),
        "{out}"
    );
    assert_eq!(
        env.keyring_items(),
        Vec::<String>::new(),
        "the keyring is empty"
    );
    let file = env.data.path().join(ninsho::vault::file_store::FILE_NAME);
    assert!(file.is_file());
    assert_nothing_plain(env.data.path());
    // Aegis's own decryption opens it.
    let aegis = ninsho::formats::by_name("aegis").unwrap();
    aegis
        .read(&std::fs::read(&file).unwrap(), Some("file store pw"))
        .unwrap();
    let status = env.ok(&["store", "status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["store"], "file");
    assert_eq!(status["accounts"], 3);

    // `list` needs no secret, so no password; `code` says how to give one.
    assert!(env.ok(&["list"]).contains("GitHub"));
    let out = env.run(&["code", "GitHub", "--at", AT]);
    let message = assert_clean_error(&out, "code without the store password");
    assert!(message.contains("--store-password-file"), "{message}");
    let store_arg = ["--store-password-file", pw.to_str().unwrap()];
    assert_eq!(codes(&env, &store_arg), before);
    // The recovery codes and the backup password moved too.
    let mut args = vec!["recovery", "list", "GitHub"];
    args.extend_from_slice(&store_arg);
    assert!(env.ok(&args).contains("aaaa-bbbb"));
    let mut args = vec!["backup", "now"];
    args.extend_from_slice(&store_arg);
    env.ok(&args);
    // A wrong password is said in one line.
    let wrong = password_file(&env, "wrong", "not it");
    let out = env.run(&[
        "code",
        "GitHub",
        "--store-password-file",
        wrong.to_str().unwrap(),
    ]);
    let message = assert_clean_error(&out, "code with a wrong store password");
    assert!(message.contains("wrong password"), "{message}");

    // And back.
    let out = env.ok(&[
        "store",
        "use",
        "keyring",
        "--password-file",
        pw.to_str().unwrap(),
    ]);
    assert!(out.contains("Moved 3 accounts to the keyring"), "{out}");
    assert!(!file.exists(), "the emptied file is removed");
    assert_eq!(env.keyring_items(), in_keyring);
    assert_eq!(codes(&env, &[]), before);
    assert!(
        env.ok(&["store", "status"])
            .contains("kept in the keyring (3 accounts)")
    );
    assert!(
        env.ok(&["recovery", "list", "GitHub"])
            .contains("aaaa-bbbb")
    );
}

/// Each named point of a move, in both directions: killed there, the chosen
/// store answers every account with the same code, and the same command run
/// again finishes the move and leaves no copy behind.
#[test]
fn a_move_killed_at_any_step_loses_nothing_and_finishes_when_run_again() {
    if !real_keyring() {
        return;
    }
    let points = [
        "store.before-copy",
        "store.after-copy",
        "store.before-switch",
        "store.after-switch",
        "store.before-delete-old@1",
        "store.before-delete-old@3",
    ];
    for to in ["file", "keyring"] {
        for point in points {
            let env = Env::new();
            set_up_accounts(&env);
            let pw = password_file(&env, "store", "file store pw");
            let use_args = |to: &str| -> Vec<String> {
                ["store", "use", to, "--password-file", pw.to_str().unwrap()]
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            };
            if to == "keyring" {
                env.ok(&[
                    "store",
                    "use",
                    "file",
                    "--password-file",
                    pw.to_str().unwrap(),
                ]);
            }
            let expected = codes_with(&env, &pw);
            let run = run_killed(env.cmd().args(use_args(to)), Kill::At(point), None);
            assert!(run.killed, "{to}: {point} was never reached");
            assert_eq!(codes_with(&env, &pw), expected, "{to}, killed at {point}");
            env.ok(&use_args(to).iter().map(String::as_str).collect::<Vec<_>>());
            assert_eq!(codes_with(&env, &pw), expected, "{to}, after {point}");
            let status = env.ok(&["store", "status", "--json"]);
            let status: serde_json::Value = serde_json::from_str(&status).unwrap();
            assert_eq!(status["store"], to, "after {point}");
            let file = env.data.path().join(ninsho::vault::file_store::FILE_NAME);
            if to == "file" {
                assert_eq!(env.keyring_items(), Vec::<String>::new(), "{point}");
                assert_nothing_plain(env.data.path());
            } else {
                assert_eq!(env.keyring_items().len(), 3, "{point}");
                assert!(!file.exists(), "{point}: the file is emptied and removed");
            }
        }
    }
}

/// The codes, with the store's password given in case the file store is chosen.
fn codes_with(env: &Env, pw: &Path) -> Vec<String> {
    codes(env, &["--store-password-file", pw.to_str().unwrap()])
}

/// No D-Bus session at all: a new data folder keeps its secrets in the file,
/// and every command works without a keyring.
#[test]
fn without_a_keyring_a_new_folder_keeps_its_secrets_in_the_file() {
    let env = Env::new();
    let no_bus = |cmd: &mut std::process::Command| {
        cmd.env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/ninsho-no-bus",
        );
    };
    let run = |args: &[&str]| {
        let mut cmd = env.cmd();
        no_bus(&mut cmd);
        common::run_cmd(cmd.args(args), "")
    };
    let out = run(&["add", GITHUB]);
    let message = assert_clean_error(&out, "add with no keyring");
    assert!(message.contains("keyring"), "{message}");

    let pw = password_file(&env, "store", "file store pw");
    let pw = pw.to_str().unwrap();
    let out = run(&["store", "use", "file", "--password-file", pw]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ok = |args: &[&str]| {
        let out = run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    ok(&["add", GITHUB, "--store-password-file", pw]);
    ok(&["add", COUNTER, "--store-password-file", pw]);
    let code = ok(&["code", "GitHub", "--at", AT, "--store-password-file", pw]);
    // RFC 6238's arithmetic, computed independently of Ninsho's store.
    let expected = ok(&["code", "--uri", GITHUB, "--at", AT]);
    assert_eq!(code, expected);
    let next = ok(&["code", "Bank", "--next", "--store-password-file", pw]);
    assert_eq!(next.trim().len(), 6);
    assert!(ok(&["store", "status"]).contains("encrypted file"));
    assert_nothing_plain(env.data.path());
    // The file gone (a stick unplugged): status says so, a code says why.
    let file = env.data.path().join(ninsho::vault::file_store::FILE_NAME);
    let away = env.data.path().join("away.json");
    std::fs::rename(&file, &away).unwrap();
    assert!(ok(&["store", "status"]).contains("The encrypted file is missing"));
    let out = run(&["code", "GitHub", "--store-password-file", pw]);
    let message = assert_clean_error(&out, "code with the file gone");
    assert!(message.contains(file.to_str().unwrap()), "{message}");
    std::fs::rename(&away, &file).unwrap();
    // The empty password is refused before anything is made.
    let empty_env = Env::new();
    let empty = password_file(&empty_env, "empty", "");
    let mut cmd = empty_env.cmd();
    no_bus(&mut cmd);
    let out = common::run_cmd(
        cmd.args([
            "store",
            "use",
            "file",
            "--password-file",
            empty.to_str().unwrap(),
        ]),
        "",
    );
    assert_clean_error(&out, "an empty password");
    assert!(
        !empty_env
            .data
            .path()
            .join(ninsho::vault::file_store::FILE_NAME)
            .exists()
    );
}

/// Portable use: the data folder on a USB stick with the file store, on a
/// computer with no keyring. Every command works, and nothing is written
/// outside the stick: the home folder, the XDG folders and the temporary
/// folder stay empty.
#[test]
fn a_data_folder_on_a_stick_leaves_nothing_on_the_computer() {
    let env = Env::new();
    let computer = tempfile::tempdir().unwrap();
    let stick = tempfile::tempdir().unwrap();
    let home = computer.path().join("home");
    let tmp = computer.path().join("tmp");
    for d in [&home, &tmp] {
        std::fs::create_dir(d).unwrap();
    }
    let data = stick.path().join("Ninsho");
    let pw = stick.path().join("password.txt");
    std::fs::write(&pw, "stick password\n").unwrap();
    let run = |args: &[&str]| {
        let mut cmd = env.cmd();
        cmd.env_remove("NINSHO_DATA_DIR")
            .env("HOME", &home)
            .env("TMPDIR", &tmp)
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/ninsho-no-bus",
            )
            .arg("--data-dir")
            .arg(&data)
            .arg("--store-password-file")
            .arg(&pw)
            .args(args);
        let out = common::run_cmd(&mut cmd, "");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let pw_arg = pw.to_str().unwrap();
    run(&["store", "use", "file", "--password-file", pw_arg]);
    run(&["add", GITHUB]);
    run(&["add", COUNTER]);
    assert!(run(&["list"]).contains("GitHub"));
    let code = run(&["code", "GitHub", "--at", AT]);
    assert_eq!(code, run(&["code", "--uri", GITHUB, "--at", AT]));
    run(&["code", "Bank", "--next"]);
    run(&["remove", "Bank", "--yes"]);
    assert!(!run(&["list"]).contains("Bank"));
    assert_eq!(
        all_files(computer.path()),
        Vec::<(PathBuf, Vec<u8>)>::new(),
        "nothing left on the computer"
    );
    assert_nothing_plain(stick.path().join("Ninsho").as_path());
}
