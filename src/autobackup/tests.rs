//! Protects: a backup is written whole, reads back with its password, and
//! pruning never touches anything but this host's own older backups.

use std::sync::Arc;

use super::*;
use crate::otp::{Params, Secret};
use crate::vault::MemoryStore;

const NOW: u64 = 1_780_000_000; // 2026-05-28 20:26:40 UTC

fn account(issuer: &str, name: &str, secret: &str, params: Params) -> OtpAccount {
    OtpAccount {
        issuer: issuer.into(),
        name: name.into(),
        secret: Secret::parse_base32(secret).unwrap(),
        params,
        extra: vec![],
    }
}

struct Rig {
    data: tempfile::TempDir,
    folder: tempfile::TempDir,
    store: Arc<MemoryStore>,
}

impl Rig {
    fn new() -> Rig {
        let rig = Rig {
            data: tempfile::tempdir().unwrap(),
            folder: tempfile::tempdir().unwrap(),
            store: Arc::new(MemoryStore::new()),
        };
        let mut v = rig.vault();
        let hotp = Params {
            kind: crate::otp::Kind::Hotp,
            counter: 7,
            ..Params::default()
        };
        v.add_grouped(
            vec![
                (
                    account("GitHub", "alice", "JBSWY3DPEHPK3PXP", Params::default()),
                    "Work".into(),
                ),
                (
                    account("銀行", "山田", "GEZDGNBVGY3TQOJQ", hotp),
                    String::new(),
                ),
                (
                    account("Steam", "gamer", "MFRGGZDFMZTWQ2LK", Params::steam(30)),
                    String::new(),
                ),
            ],
            &mut |_, _| {},
        )
        .unwrap();
        rig
    }

    fn vault(&self) -> Vault<Arc<MemoryStore>> {
        Vault::open(self.data.path(), self.store.clone()).unwrap()
    }

    fn on(&self, keep: usize) -> Settings {
        turn_on(
            self.data.path(),
            &self.store,
            self.folder.path(),
            "correct horse",
            keep,
        )
        .unwrap()
    }

    fn names(&self) -> Vec<String> {
        let mut n: Vec<String> = fs::read_dir(self.folder.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        n.sort();
        n
    }
}

#[test]
fn file_names_follow_the_pattern_in_utc() {
    assert_eq!(
        file_name("my-pc", NOW),
        "ninsho-backup-my-pc-20260528-202640.json"
    );
    assert!(is_backup_of(
        "ninsho-backup-my-pc-20260528-202640.json",
        "my-pc"
    ));
    for other in [
        "ninsho-backup-my-pc-2-20260528-202640.json",
        "ninsho-backup-my-20260528-202640.json",
        "ninsho-backup-my-pc-20260528-202640.json.tmp",
        ".ninsho-backup-my-pc-20260528-202640.json",
        "ninsho-backup-my-pc-2026052-2026401.json",
        "aegis-backup-20260528-202640.json",
    ] {
        assert!(!is_backup_of(other, "my-pc"), "{other}");
    }
    // A host whose name continues this one's is another host.
    assert!(!is_backup_of(
        "ninsho-backup-pc-20240101-20260528-202640.json",
        "pc"
    ));
}

#[test]
fn host_names_are_sanitised() {
    assert_eq!(
        sanitize_host("Alice's MacBook.local"),
        "Alice-s-MacBook-local"
    );
    assert_eq!(sanitize_host("山田のPC"), "PC");
    assert_eq!(sanitize_host("--"), "host");
    assert_eq!(sanitize_host(&"a".repeat(300)).len(), 63);
    assert!(
        host()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    );
}

#[test]
fn a_backup_decrypts_to_the_same_accounts_and_groups() {
    let rig = Rig::new();
    let settings = rig.on(20);
    assert_eq!(settings.keep, 20);
    let done = run(&rig.vault(), NOW, "pc").unwrap();
    assert_eq!(
        done.path.file_name().unwrap(),
        "ninsho-backup-pc-20260528-202640.json"
    );
    assert_eq!(done.kept, 1);
    let bytes = fs::read(&done.path).unwrap();
    let back = formats::aegis::FORMAT
        .read(&bytes, Some("correct horse"))
        .unwrap();
    let v = rig.vault();
    let saved: Vec<OtpAccount> = v.entries().map(|e| v.account(e).unwrap()).collect();
    assert_eq!(back.accounts.len(), 3);
    for (b, a) in back.accounts.iter().zip(&saved) {
        assert_eq!(
            (&b.issuer, &b.name, &b.secret, b.params),
            (&a.issuer, &a.name, &a.secret, a.params)
        );
    }
    assert_eq!(back.groups[0].as_deref(), Some("Work"));
    assert!(formats::aegis::FORMAT.read(&bytes, Some("wrong")).is_err());
    // The settings say so; no temporary file is left; the file is private.
    let s = load(rig.data.path()).unwrap().unwrap();
    assert_eq!(s.last_backup, Some(NOW));
    assert_eq!(
        s.last_file.as_deref(),
        Some("ninsho-backup-pc-20260528-202640.json")
    );
    assert_eq!(s.kept, Some(1));
    assert_eq!(rig.names(), vec!["ninsho-backup-pc-20260528-202640.json"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&done.path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn two_backups_in_one_second_are_both_kept() {
    let rig = Rig::new();
    rig.on(20);
    let a = run(&rig.vault(), NOW, "pc").unwrap();
    let b = run(&rig.vault(), NOW, "pc").unwrap();
    assert_ne!(a.path, b.path);
    assert_eq!(b.kept, 2);
    assert!(a.path.exists() && b.path.exists());
}

#[test]
fn keep_prunes_only_this_hosts_oldest() {
    let rig = Rig::new();
    rig.on(3);
    let f = rig.folder.path();
    let others = [
        "ninsho-backup-laptop-20200101-000000.json",
        "aegis-backup-20200101-000000.json",
        "ninsho-backup-pc-notes.txt",
        ".ninsho-backup-pc-20200101-000000.json",
        "ninsho-backup-pc-x-20200101-000000.json",
    ];
    for o in others {
        fs::write(f.join(o), b"not ours").unwrap();
    }
    let mut made = Vec::new();
    for i in 0..6 {
        made.push(run(&rig.vault(), NOW + i * 60, "pc").unwrap());
    }
    assert_eq!(made[5].kept, 3);
    assert_eq!(made[3].pruned, vec![made[0].path.clone()]);
    for o in others {
        assert!(f.join(o).exists(), "{o} was removed");
    }
    let mine: Vec<_> = backups_of(f, "pc").unwrap();
    let expect: Vec<String> = made[3..]
        .iter()
        .map(|d| d.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(mine, expect);
}

#[test]
fn a_backup_made_when_the_clock_went_back_is_kept() {
    let rig = Rig::new();
    rig.on(1);
    run(&rig.vault(), NOW, "pc").unwrap();
    let earlier = run(&rig.vault(), NOW - 3600, "pc").unwrap();
    assert!(earlier.path.exists());
    assert_eq!(earlier.kept, 1);
}

#[test]
fn a_folder_gone_is_recorded_and_older_backups_survive() {
    let rig = Rig::new();
    rig.on(20);
    let first = run(&rig.vault(), NOW, "pc").unwrap();
    // The folder is replaced by something that is not a folder... then removed.
    let gone = rig.folder.path().join("sub");
    fs::create_dir(&gone).unwrap();
    turn_on(rig.data.path(), &rig.store, &gone, "correct horse", 20).unwrap();
    fs::remove_dir(&gone).unwrap();
    let err = run(&rig.vault(), NOW + 60, "pc").unwrap_err();
    let text = err.to_string();
    assert!(!text.contains('\n') && text.contains("sub"), "{text}");
    let s = load(rig.data.path()).unwrap().unwrap();
    assert_eq!(s.last_error.as_deref(), Some(text.as_str()));
    assert_eq!(s.last_error_at, Some(NOW + 60));
    assert!(first.path.exists());
    // Back again: the next backup clears the error.
    fs::create_dir(&gone).unwrap();
    run(&rig.vault(), NOW + 120, "pc").unwrap();
    assert_eq!(load(rig.data.path()).unwrap().unwrap().last_error, None);
}

#[test]
fn off_removes_settings_and_password_and_keeps_backups() {
    let rig = Rig::new();
    rig.on(20);
    let done = run(&rig.vault(), NOW, "pc").unwrap();
    let off = turn_off(rig.data.path(), &rig.store).unwrap();
    assert!(off.previous.is_some());
    assert_eq!(off.password_deleted, Ok(true));
    assert!(load(rig.data.path()).unwrap().is_none());
    assert!(matches!(
        run(&rig.vault(), NOW + 60, "pc"),
        Err(BackupError::Off)
    ));
    assert!(done.path.exists());
    assert!(
        rig.store
            .get(vault::BACKUP_PASSWORD_ITEM)
            .unwrap()
            .is_none()
    );
}

#[test]
fn settings_hold_no_password_and_keep_zero_is_refused() {
    let rig = Rig::new();
    assert!(matches!(
        turn_on(rig.data.path(), &rig.store, rig.folder.path(), "pw", 0),
        Err(BackupError::KeepZero)
    ));
    rig.on(5);
    let text = fs::read_to_string(settings_path(rig.data.path())).unwrap();
    assert!(!text.contains("correct horse"), "{text}");
    assert_eq!(
        rig.store
            .get(vault::BACKUP_PASSWORD_ITEM)
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&b"correct horse"[..])
    );
}

#[test]
fn a_missing_password_is_an_error_not_an_unencrypted_file() {
    let rig = Rig::new();
    rig.on(20);
    rig.store.delete(vault::BACKUP_PASSWORD_ITEM).unwrap();
    assert!(matches!(
        run(&rig.vault(), NOW, "pc"),
        Err(BackupError::NoPassword)
    ));
    assert!(rig.names().is_empty());
}

/// A backup killed between writing and renaming leaves its temporary file:
/// the next backup removes it once it is clearly stale, and leaves a fresh one
/// (another process's backup in progress) alone.
#[test]
fn a_crashed_backups_temporary_file_is_swept_by_the_next_one() {
    let rig = Rig::new();
    rig.on(20);
    let f = rig.folder.path();
    let stale = f.join(format!("{TEMP_PREFIX}0123abcd{TEMP_SUFFIX}"));
    let fresh = f.join(format!("{TEMP_PREFIX}4567cdef{TEMP_SUFFIX}"));
    let other = f.join("notes.tmp");
    for p in [&stale, &fresh, &other] {
        fs::write(p, b"x").unwrap();
    }
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    File::options()
        .write(true)
        .open(&other)
        .unwrap()
        .set_modified(old)
        .unwrap();
    run(&rig.vault(), NOW, "pc").unwrap();
    assert!(!stale.exists());
    assert!(fresh.exists() && other.exists());
}

#[test]
fn the_reminder_shows_when_backups_are_off_and_accounts_changed_since_the_last_export() {
    let rig = Rig::new();
    let v = rig.vault();
    assert!(reminder_due(&v), "accounts, no backups, never exported");
    note_full_export(rig.data.path(), NOW);
    assert!(!reminder_due(&rig.vault()), "exported as they are");

    let mut v = rig.vault();
    v.add(
        vec![account(
            "Mail",
            "bob",
            "KRUGS4ZANFZSAYJA",
            Params::default(),
        )],
        &mut |_, _| {},
    )
    .unwrap();
    assert!(reminder_due(&v), "changed since the export");
    dismiss_reminder(rig.data.path());
    assert!(!reminder_due(&rig.vault()), "dismissed");
    let id = v.entries().find(|e| e.name == "bob").unwrap().id;
    v.edit(id, "Mail", "bob@home", "").unwrap();
    assert!(reminder_due(&v), "back once they change again");

    rig.on(3);
    assert!(!reminder_due(&rig.vault()), "automatic backups are on");
    turn_off(rig.data.path(), &rig.store).unwrap();
    assert!(reminder_due(&rig.vault()));

    let empty = tempfile::tempdir().unwrap();
    let nothing = Vault::open(empty.path(), Arc::new(MemoryStore::new())).unwrap();
    assert!(!reminder_due(&nothing), "no accounts, nothing to back up");
    let text = fs::read_to_string(rig.data.path().join(REMINDER_FILE)).unwrap();
    assert!(!text.contains("JBSWY3DPEHPK3PXP") && !text.contains("alice"));
}
