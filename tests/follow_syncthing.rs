//! Protects: following another desktop's backups through a folder that a real
//! sync engine keeps in step (issue 19). Two Syncthing instances on 127.0.0.1
//! share one folder (`tests/support/syncthing.rs`); a file written on one side
//! arrives whole on the other; an account added and backed up on desktop A is
//! listed by desktop B's `follow status` and added by `follow apply --yes`,
//! with the same codes; a half-written file and a wrong password change nothing.
//!
//! Skips with the reason where Syncthing is not installed; `.ci/test` installs
//! it and sets `NINSHO_TEST_SYNCTHING=1`, under which it must run. Unix only:
//! on Windows Syncthing's temporary names are `~syncthing~NAME.tmp`.
#![cfg(unix)]

mod common;
#[path = "support/syncthing.rs"]
mod syncthing;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Instant;

use common::{Env, assert_clean_error, real_keyring, run_cmd};

use rand::RngCore;
use syncthing::{Side, write_atomically};

#[test]
fn syncthing_carries_a_file_from_one_folder_to_the_other() {
    let Some(pair) = syncthing::pair_or_skip() else {
        return;
    };
    eprintln!("start-up: both connected and idle after {:?}", pair.startup);

    // Several of Syncthing's 128 KiB blocks, so that a file renamed into
    // place before it was complete would have a chance to be seen.
    let mut bytes = vec![0; 1024 * 1024 + 4321];
    rand::rng().fill_bytes(&mut bytes);
    let name = "ninsho-backup-desktop-a-20261203-090000.json";

    let sent = Instant::now();
    write_atomically(pair.a_folder(), name, &bytes).expect("written in A's folder");
    pair.scan(Side::A).expect("A scans");
    let scanned = sent.elapsed();
    let arrival = pair
        .wait_for_file(Side::B, name, &bytes)
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "round trip: A's write to identical bytes in B's folder in {:?} (A's scan {scanned:?}; \
         Syncthing's temporary file seen in B: {})",
        sent.elapsed(),
        arrival.saw_temporary
    );
    assert!(
        arrival.other_contents.is_empty(),
        "B's folder showed {name} before it was complete, with sizes {:?} (expected {})",
        arrival.other_contents,
        bytes.len()
    );

    // Once both are in step, nothing but the file is in B's folder: not A's
    // temporary name (Syncthing never sends it), not B's own.
    pair.wait_synced().unwrap_or_else(|e| panic!("{e}"));
    let mut names: Vec<String> = std::fs::read_dir(pair.b_folder())
        .expect("B's folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".stfolder", name]);
}

const GITHUB: &str =
    "otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const BANK: &str = "otpauth://totp/%E9%8A%80%E8%A1%8C:%E5%B1%B1%E7%94%B0?secret=GEZDGNBVGY3TQOJQ&issuer=%E9%8A%80%E8%A1%8C";
const PASSWORD: &str = "correct horse battery staple";

/// One desktop: its own data folder, keyring service and computer name (both
/// run on this machine, whose one host name would make their backups look
/// like each other's).
struct Desktop {
    env: Env,
    host: &'static str,
}

impl Desktop {
    fn new(host: &'static str) -> Desktop {
        Desktop {
            env: Env::new(),
            host,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        run_cmd(self.env.cmd().env("NINSHO_HOST", self.host).args(args), "")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["follow", "status", "--json"])).unwrap()
    }

    fn code(&self, query: &str) -> String {
        self.ok(&["code", query, "--at", "1700000000"])
            .trim()
            .to_string()
    }
}

fn password_file(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join(format!("pw-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&path, format!("{text}\n")).unwrap();
    path
}

fn newest_backup(folder: &Path, host: &str) -> String {
    ninsho::autobackup::backups_of(folder, host)
        .unwrap()
        .pop()
        .expect("a backup was made")
}

#[test]
fn an_account_added_on_one_desktop_is_applied_on_the_other_through_syncthing() {
    if !real_keyring() {
        return;
    }
    let Some(pair) = syncthing::pair_or_skip() else {
        return;
    };
    let secrets = tempfile::tempdir().unwrap();
    let pw = password_file(secrets.path(), PASSWORD);
    let pw = pw.to_str().unwrap();
    let a = Desktop::new("desktop-a");
    let b = Desktop::new("desktop-b");

    // B follows its side of the shared folder before anything is in it.
    let out = b.ok(&[
        "follow",
        "add",
        pair.b_folder().to_str().unwrap(),
        "--password-file",
        pw,
    ]);
    assert!(out.contains("no backup in the folder yet"), "{out}");
    assert_eq!(b.status()[0]["state"], "no-file");

    let started = Instant::now();
    a.ok(&["add", GITHUB]);
    // Turning backups on makes the first backup.
    a.ok(&[
        "backup",
        "set",
        "--folder",
        pair.a_folder().to_str().unwrap(),
        "--password-file",
        pw,
    ]);
    let name = newest_backup(pair.a_folder(), a.host);
    let bytes = std::fs::read(pair.a_folder().join(&name)).unwrap();
    pair.scan(Side::A).expect("A scans");
    pair.wait_for_file(Side::B, &name, &bytes)
        .unwrap_or_else(|e| panic!("{e}"));
    let status = b.status();
    eprintln!(
        "round trip: add on A to B's review in {:?} (Syncthing start-up {:?} before it)",
        started.elapsed(),
        pair.startup
    );
    let source = &status[0];
    assert_eq!(source["state"], "changes", "{status:#}");
    assert_eq!(source["file"], name.as_str());
    assert_eq!(
        source["added"],
        serde_json::json!([{"issuer": "GitHub", "account": "alice@example.com", "group": ""}])
    );
    assert_eq!(source["removed"], serde_json::json!([]));

    let out = b.ok(&["follow", "apply", "--yes"]);
    assert!(
        out.contains("applied: 1 added, 0 changed, 0 removed"),
        "{out}"
    );
    assert_eq!(b.code("github"), a.code("github"));
    assert_eq!(b.status()[0]["state"], "up-to-date");

    // A second account and a rename on A travel the same way.
    a.ok(&["add", BANK]);
    a.ok(&["edit", "github", "--account", "alice@work.example"]);
    let name = newest_backup(pair.a_folder(), a.host);
    let bytes = std::fs::read(pair.a_folder().join(&name)).unwrap();
    pair.scan(Side::A).expect("A scans");
    pair.wait_for_file(Side::B, &name, &bytes)
        .unwrap_or_else(|e| panic!("{e}"));
    let status = b.status();
    assert_eq!(status[0]["added"][0]["account"], "山田", "{status:#}");
    assert_eq!(status[0]["changed"][0]["account"], "alice@work.example");
    assert_eq!(
        status[0]["changed"][0]["before"],
        "GitHub (alice@example.com)"
    );
    b.ok(&["follow", "apply", "--yes"]);
    assert_eq!(b.code("山田"), a.code("山田"));
    let list: serde_json::Value = serde_json::from_str(&b.ok(&["list", "--json"])).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["account"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alice@work.example", "山田"]);
}

#[test]
fn a_half_written_backup_and_a_wrong_password_change_nothing() {
    if !real_keyring() {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let secrets = tempfile::tempdir().unwrap();
    let pw = password_file(secrets.path(), PASSWORD);
    let pw = pw.to_str().unwrap();
    let f = folder.path().to_str().unwrap();
    let a = Desktop::new("desktop-a");
    let b = Desktop::new("desktop-b");
    a.ok(&["add", GITHUB]);
    a.ok(&["add", BANK]);
    a.ok(&["backup", "set", "--folder", f, "--password-file", pw]);
    b.ok(&["follow", "add", f, "--password-file", pw]);
    b.ok(&["follow", "apply", "--yes"]);
    assert_eq!(b.code("github"), a.code("github"));

    // A newer backup, cut short under its final name (copied by something
    // that writes in place: a USB stick pulled out, a slow network folder).
    let whole = std::fs::read(folder.path().join(newest_backup(folder.path(), a.host))).unwrap();
    let cut = folder
        .path()
        .join("ninsho-backup-desktop-a-20991231-235959.json");
    std::fs::write(&cut, &whole[..whole.len() / 3]).unwrap();
    let status = b.status();
    assert_eq!(status[0]["state"], "not-ready", "{status:#}");
    assert_eq!(
        status[0]["file"],
        cut.file_name().unwrap().to_str().unwrap()
    );
    let out = b.ok(&["follow", "apply", "--yes", "--with-removals"]);
    assert!(out.contains("cannot be read yet"), "{out}");
    assert_eq!(b.code("github"), a.code("github"), "nothing removed");
    assert_eq!(b.code("山田"), a.code("山田"));
    // Once it is whole, it is read (and holds nothing new).
    std::fs::write(&cut, &whole).unwrap();
    assert_eq!(b.status()[0]["state"], "up-to-date");

    // A wrong password: refused with its reason, nothing saved.
    let c = Desktop::new("desktop-c");
    let wrong = password_file(secrets.path(), "not the password");
    let out = c.run(&[
        "follow",
        "add",
        f,
        "--password-file",
        wrong.to_str().unwrap(),
    ]);
    let message = assert_clean_error(&out, "follow add with a wrong password");
    assert!(message.contains("password"), "{message}");
    assert!(
        c.ok(&["follow", "list"])
            .contains("no file or folder is followed")
    );
    assert!(
        c.env.keyring_items().is_empty(),
        "nothing in the keyring: {:?}",
        c.env.keyring_items()
    );
}
