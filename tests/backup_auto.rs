//! Protects: automatic backups through the real keyring and the real binary —
//! a backup is an Aegis-encrypted file another install (and oathtool) agrees
//! with, one is made per changing command, only this host's oldest are pruned,
//! a failure is reported and loses nothing, and the password stays in the keyring.
//! (Unix: the harness is the Secret Service, and the tests use symlinks and sysfs.)
#![cfg(unix)]

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{Env, all_files, assert_clean_error, have_tool, real_keyring};

const PASSWORD: &str = "correct horse battery staple";
const GITHUB: &str =
    "otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const GITLAB: &str =
    "otpauth://totp/GitLab:bob?secret=GEZDGNBVGY3TQOJQGEZA&issuer=GitLab&digits=8&algorithm=SHA256";
const BANK: &str = "otpauth://hotp/Bank:me?secret=MFRGGZDFMZTWQ2LK&counter=7&issuer=Bank";

struct Rig {
    env: Env,
    folder: tempfile::TempDir,
    secrets: tempfile::TempDir,
}

impl Rig {
    fn new() -> Rig {
        let rig = Rig {
            env: Env::new(),
            folder: tempfile::tempdir().unwrap(),
            secrets: tempfile::tempdir().unwrap(),
        };
        std::fs::write(rig.password_file(), format!("{PASSWORD}\n")).unwrap();
        rig
    }

    fn password_file(&self) -> PathBuf {
        self.secrets.path().join("pw")
    }

    fn set(&self, keep: Option<&str>) -> String {
        let pw = self.password_file();
        let mut args = vec![
            "backup",
            "set",
            "--folder",
            self.folder.path().to_str().unwrap(),
            "--password-file",
            pw.to_str().unwrap(),
        ];
        if let Some(k) = keep {
            args.extend(["--keep", k]);
        }
        self.env.ok(&args)
    }

    /// This host's backups in the folder, oldest first.
    fn backups(&self) -> Vec<String> {
        ninsho::autobackup::backups_of(self.folder.path(), &ninsho::autobackup::host()).unwrap()
    }

    fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.env.ok(&["backup", "status", "--json"])).unwrap()
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn name_pattern() -> regex::Regex {
    let host = regex::escape(&ninsho::autobackup::host());
    regex::Regex::new(&format!(r"^ninsho-backup-{host}-\d{{8}}-\d{{6}}\.json$")).unwrap()
}

#[test]
fn a_backup_is_an_aegis_vault_that_another_install_and_oathtool_agree_with() {
    if !real_keyring() || !have_tool("oathtool") {
        return;
    }
    let rig = Rig::new();
    rig.env.ok(&["add", GITHUB]);
    rig.env.ok(&["add", GITLAB]);
    rig.env.ok(&["add", BANK]);
    let out = rig.set(None);
    assert!(out.contains("automatic backups are on"), "{out}");
    assert!(out.contains("keeping the newest 20"), "{out}");
    let now = rig.env.ok(&["backup", "now"]);
    assert!(now.starts_with("backed up to "), "{now}");
    let files = rig.backups();
    assert_eq!(files.len(), 2, "one from set, one from now: {files:?}");
    for f in &files {
        assert!(name_pattern().is_match(f), "{f}");
    }
    let newest = rig.folder.path().join(files.last().unwrap());
    assert_eq!(now.trim(), format!("backed up to {}", newest.display()));

    // The shape Aegis reads: one scrypt password slot, the database as base64.
    let bytes = std::fs::read(&newest).unwrap();
    let vault: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(vault["version"], 1);
    let slots = vault["header"]["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 1);
    assert_eq!(slots[0]["type"], 1);
    assert_eq!(slots[0]["n"], 32768);
    assert_eq!(slots[0]["r"], 8);
    assert_eq!(slots[0]["p"], 1);
    assert_eq!(slots[0]["salt"].as_str().unwrap().len(), 64);
    assert!(vault["header"]["params"]["nonce"].is_string());
    let db = vault["db"].as_str().unwrap();
    use base64::Engine;
    assert!(
        base64::engine::general_purpose::STANDARD
            .decode(db)
            .is_ok_and(|d| d.len() > 100)
    );

    // Ninsho's Aegis importer reads it with the password, and only with it.
    let back = ninsho::formats::aegis::FORMAT
        .read(&bytes, Some(PASSWORD))
        .unwrap();
    assert_eq!(back.accounts.len(), 3);
    assert!(
        ninsho::formats::aegis::FORMAT
            .read(&bytes, Some("wrong"))
            .is_err()
    );

    // A second installation imports it; its codes agree with oathtool.
    let other = Env::new();
    let pw = rig.password_file();
    other.ok(&[
        "import",
        newest.to_str().unwrap(),
        "--password-file",
        pw.to_str().unwrap(),
    ]);
    let at = "1700000000";
    let oath = |args: &[&str]| -> String {
        let out = Command::new("oathtool").args(args).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let time = "2023-11-14 22:13:20 UTC";
    assert_eq!(
        other.ok(&["code", "github", "--at", at]).trim(),
        oath(&["--totp", "-b", "-N", time, "JBSWY3DPEHPK3PXP"])
    );
    assert_eq!(
        other.ok(&["code", "gitlab", "--at", at]).trim(),
        oath(&[
            "--totp=sha256",
            "-d8",
            "-b",
            "-N",
            time,
            "GEZDGNBVGY3TQOJQGEZA"
        ])
    );
    assert_eq!(
        other.ok(&["code", "bank"]).trim(),
        oath(&["--hotp", "-c7", "-b", "MFRGGZDFMZTWQ2LK"])
    );
}

#[test]
fn status_json_says_where_when_and_how_many() {
    if !real_keyring() {
        return;
    }
    let rig = Rig::new();
    let off = rig.status();
    assert_eq!(off["enabled"], false);
    assert!(off["folder"].is_null() && off["last_backup"].is_null());
    let text = rig.env.ok(&["backup", "status"]);
    assert_eq!(text.trim(), "automatic backups: off");
    // Backing up when off is an error that says how to turn them on.
    let msg = assert_clean_error(&rig.env.run(&["backup", "now"]), "now while off");
    assert!(msg.contains("backup set"), "{msg}");
    // A folder that takes no file is refused by `set`, which then changes nothing.
    if std::path::Path::new("/sys/kernel").is_dir() {
        let link = rig.secrets.path().join("sysfs");
        std::os::unix::fs::symlink("/sys/kernel", &link).unwrap();
        let pw = rig.password_file();
        let out = rig.env.run(&[
            "backup",
            "set",
            "--folder",
            link.to_str().unwrap(),
            "--password-file",
            pw.to_str().unwrap(),
        ]);
        let msg = assert_clean_error(&out, "set, unwritable folder");
        assert!(msg.contains("cannot write the backup"), "{msg}");
        assert_eq!(rig.status()["enabled"], false);
        assert!(
            !rig.env
                .keyring_items()
                .contains(&"ninsho-backup-password".to_string())
        );
    }
    let msg = assert_clean_error(
        &rig.env.run(&[
            "backup",
            "set",
            "--folder",
            rig.folder.path().to_str().unwrap(),
            "--password-file",
            rig.password_file().to_str().unwrap(),
            "--keep",
            "0",
        ]),
        "keep 0",
    );
    assert!(msg.contains("--keep"), "{msg}");

    rig.env.ok(&["add", GITHUB]);
    rig.set(Some("7"));
    let s = rig.status();
    let folder = std::fs::canonicalize(rig.folder.path()).unwrap();
    assert_eq!(s["enabled"], true);
    assert_eq!(s["folder"], folder.to_str().unwrap());
    assert_eq!(s["keep"], 7);
    assert_eq!(s["host"], ninsho::autobackup::host());
    assert_eq!(s["kept"], 1);
    assert!(s["last_error"].is_null());
    let file = s["file"].as_str().unwrap();
    assert_eq!(vec![file.to_string()], rig.backups());
    let at = s["last_backup"].as_u64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(at <= now && now - at < 120, "{at} vs {now}");
    let utc = s["last_backup_utc"].as_str().unwrap();
    assert!(
        regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            .unwrap()
            .is_match(utc),
        "{utc}"
    );
    let text = rig.env.ok(&["backup", "status"]);
    assert!(text.contains("automatic backups: on"), "{text}");
    assert!(text.contains(file) && text.contains("newest 7"), "{text}");
    // Japanese for people; the JSON is the same in every language.
    let ja = rig
        .env
        .cmd()
        .env("NINSHO_LANG", "ja")
        .args(["backup", "status"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&ja.stdout).contains("自動バックアップ：有効"),
        "{}",
        String::from_utf8_lossy(&ja.stdout)
    );
}

#[test]
fn keep_prunes_only_this_hosts_oldest_backups() {
    if !real_keyring() {
        return;
    }
    let rig = Rig::new();
    rig.env.ok(&["add", GITHUB]);
    let f = rig.folder.path();
    let host = ninsho::autobackup::host();
    let strangers = [
        "ninsho-backup-otherhost-20200101-000000.json".to_string(),
        format!("ninsho-backup-{host}-x-20200101-000000.json"),
        "aegis-backup-20200101-000000.json".to_string(),
        "notes.txt".to_string(),
    ];
    for s in &strangers {
        std::fs::write(f.join(s), b"not ours").unwrap();
    }
    // An old backup of this host, made before: the first to go.
    let ancient = format!("ninsho-backup-{host}-20200101-000000.json");
    std::fs::write(f.join(&ancient), b"{}").unwrap();
    rig.set(Some("3"));
    for _ in 0..4 {
        rig.env.ok(&["backup", "now"]);
    }
    let mine = rig.backups();
    assert_eq!(mine.len(), 3, "{mine:?}");
    assert!(!mine.contains(&ancient));
    for s in &strangers {
        assert!(f.join(s).exists(), "{s} was removed");
    }
    assert_eq!(rig.status()["kept"], 3);
}

#[test]
fn one_backup_per_changing_command_and_none_for_the_rest() {
    if !real_keyring() {
        return;
    }
    let rig = Rig::new();
    rig.env.ok(&["add", GITHUB]);
    rig.set(None);
    let count = || rig.backups().len();
    let mut expect = count();
    assert_eq!(expect, 1);

    // An import of 30 accounts makes one backup, named on stderr once.
    let list: String = (0..30)
        .map(|i| {
            format!(
                "otpauth://totp/Site{i}:user?secret=JBSWY3DPEHPK3PX{}\n",
                (b'A' + (i % 26) as u8) as char
            )
        })
        .collect();
    let file = rig.secrets.path().join("list.txt");
    std::fs::write(&file, list).unwrap();
    let out = rig.env.run(&["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("backed up to").count(), 1, "{err}");
    expect += 1;
    assert_eq!(count(), expect);
    let newest = rig.folder.path().join(rig.backups().last().unwrap());
    assert!(
        err.contains(&format!("ninsho: backed up to {}", newest.display())),
        "{err}"
    );
    let back = ninsho::formats::aegis::FORMAT
        .read(&std::fs::read(&newest).unwrap(), Some(PASSWORD))
        .unwrap();
    assert_eq!(back.accounts.len(), 31);

    // Reading, a dry run, a duplicate (nothing changed) and a failed command make none.
    for args in [
        &["list"][..],
        &["code", "github"],
        &["import", file.to_str().unwrap(), "--dry-run"],
        &["import", file.to_str().unwrap()],
        &["backup", "status"],
    ] {
        let out = rig.env.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("backed up"), "{args:?}");
    }
    assert_eq!(count(), expect);
    for args in [
        &["add", BANK][..],
        &["edit", "github", "--group", "Work"],
        &["code", "bank", "--next"],
        &["remove", "site1:", "--yes"],
    ] {
        let out = rig.env.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).matches("backed up to").count(), 1, "{args:?}");
        expect += 1;
        assert_eq!(count(), expect, "{args:?}");
    }
    assert_clean_error(&rig.env.run(&["add", GITHUB]), "duplicate add");
    assert_eq!(count(), expect);
    // The counter the last backup holds is the advanced one.
    let back = ninsho::formats::aegis::FORMAT
        .read(
            &std::fs::read(rig.folder.path().join(rig.backups().last().unwrap())).unwrap(),
            Some(PASSWORD),
        )
        .unwrap();
    let bank = back.accounts.iter().find(|a| a.issuer == "Bank").unwrap();
    assert_eq!(bank.params.counter, 8);
    assert_eq!(back.accounts.len(), 31);

    // Off: changes make no backup, and the backups made stay.
    let out = rig.env.ok(&["backup", "off"]);
    assert!(out.contains("automatic backups are off"), "{out}");
    let out = rig.env.run(&["add", GITLAB]);
    assert!(out.status.success() && !stderr(&out).contains("backed up"));
    assert_eq!(count(), expect);
    assert_eq!(rig.status()["enabled"], false);
    assert!(
        !rig.env
            .keyring_items()
            .contains(&"ninsho-backup-password".to_string())
    );
}

/// A folder that cannot be written: the change stands, a one-line warning says
/// why, status shows it, earlier backups are all there; `backup now` is a
/// one-line error. The folder back, the next backup clears the error.
#[test]
fn an_unwritable_folder_is_reported_and_loses_nothing() {
    if !real_keyring() {
        return;
    }
    let rig = Rig::new();
    rig.env.ok(&["add", GITHUB]);
    rig.set(None);
    rig.env.ok(&["backup", "now"]);
    let before = rig.backups();
    let folder = std::fs::canonicalize(rig.folder.path()).unwrap();
    // Unwritable even for root: the folder's name now points into sysfs.
    let aside = folder.with_extension("aside");
    std::fs::rename(&folder, &aside).unwrap();
    std::os::unix::fs::symlink("/sys/kernel", &folder).unwrap();
    let restore = Restore(folder.clone(), aside.clone());

    let out = rig.env.run(&["add", GITLAB]);
    assert!(out.status.success(), "the change stands: {}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].starts_with("ninsho: warning: automatic backup failed: cannot write the backup "),
        "{err}"
    );
    let msg = assert_clean_error(&rig.env.run(&["backup", "now"]), "now, unwritable");
    assert!(msg.contains("cannot write the backup"), "{msg}");
    let s = rig.status();
    assert!(
        s["last_error"]
            .as_str()
            .unwrap()
            .contains("cannot write the backup")
    );
    assert!(s["last_error_at"].is_u64());
    let text = rig.env.ok(&["backup", "status"]);
    assert!(text.contains("last error ("), "{text}");

    // Gone altogether (an unplugged stick): said so, and not made again.
    std::fs::remove_file(&folder).unwrap();
    let msg = assert_clean_error(&rig.env.run(&["backup", "now"]), "now, folder gone");
    assert!(
        msg.contains("backup folder") && msg.contains("no such file or folder"),
        "{msg}"
    );
    assert!(!folder.exists());

    drop(restore);
    assert_eq!(rig.backups(), before, "every earlier backup survived");
    rig.env.ok(&["backup", "now"]);
    assert!(rig.status()["last_error"].is_null());
    assert_eq!(rig.backups().len(), before.len() + 1);
}

/// Puts the backup folder back, whatever the test did to its name.
struct Restore(PathBuf, PathBuf);

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        let _ = std::fs::rename(&self.1, &self.0);
    }
}

#[test]
fn the_password_is_only_in_the_keyring_and_repair_leaves_it_alone() {
    if !real_keyring() {
        return;
    }
    let rig = Rig::new();
    rig.env.ok(&["add", GITHUB]);
    rig.set(None);
    rig.env.ok(&["add", BANK]);
    rig.env.ok(&["backup", "now"]);
    assert!(
        rig.env
            .keyring_items()
            .contains(&"ninsho-backup-password".to_string())
    );
    assert_eq!(rig.env.keyring_value("ninsho-backup-password"), PASSWORD);
    let mut seen = 0;
    for dir in [rig.env.data.path(), rig.folder.path()] {
        for (path, bytes) in all_files(dir) {
            seen += 1;
            let text = String::from_utf8_lossy(&bytes);
            for secret in [PASSWORD, "JBSWY3DPEHPK3PXP", "MFRGGZDFMZTWQ2LK"] {
                assert!(!text.contains(secret), "{} holds {secret}", path.display());
            }
        }
    }
    assert!(seen >= 4, "{seen} files looked at");

    // Repair (run by list, and with the metadata file lost: every item of the
    // service is looked at) neither reports the item nor makes an account of it.
    let out = rig.env.run(&["list"]);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    std::fs::remove_file(rig.env.data.path().join("accounts.json")).unwrap();
    let out = rig.env.run(&["list", "--json"]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(!err.contains("ninsho-backup-password"), "{err}");
    assert!(
        !err.contains("not a Ninsho account") && err.matches("restored").count() == 2,
        "{err}"
    );
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(rig.env.keyring_value("ninsho-backup-password"), PASSWORD);
    // And backups still work afterwards.
    rig.env.ok(&["backup", "now"]);
}
