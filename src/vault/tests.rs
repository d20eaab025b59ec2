//! Protects: no account is lost or doubled by adds, removes, crashes and repair.

use super::*;
use crate::otp::{Params, parse_uri};

fn account(issuer: &str, name: &str, secret: &str) -> OtpAccount {
    OtpAccount {
        issuer: issuer.into(),
        name: name.into(),
        secret: Secret::parse_base32(secret).unwrap(),
        params: Params::default(),
        extra: vec![],
    }
}

fn fixed_clock() -> u64 {
    1_700_000_000
}

fn vault(dir: &Path) -> Vault<std::sync::Arc<MemoryStore>> {
    vault_with(dir, std::sync::Arc::new(MemoryStore::new()))
}

fn vault_with(
    dir: &Path,
    store: std::sync::Arc<MemoryStore>,
) -> Vault<std::sync::Arc<MemoryStore>> {
    Vault::open(dir, store).unwrap().with_clock(fixed_clock)
}

#[test]
fn add_stores_secret_in_keyring_and_names_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    let report = v
        .add(
            vec![account("GitHub", "alice", "JBSWY3DPEHPK3PXP")],
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(report.added.len(), 1);
    let e = &report.added[0];
    assert_eq!(e.created, fixed_clock());
    assert_eq!(v.store().len(), 1);
    let on_disk = std::fs::read_to_string(dir.path().join(meta::FILE_NAME)).unwrap();
    assert!(on_disk.contains("GitHub") && !on_disk.contains("JBSWY3DPEHPK3PXP"));
    let back = v.account(e).unwrap();
    assert_eq!(back.secret.to_base32().as_str(), "JBSWY3DPEHPK3PXP");
    // A fresh process sees the same account.
    let again = vault_with(dir.path(), v.store().clone());
    assert_eq!(again.entries().count(), 1);
}

#[cfg(unix)]
#[test]
fn files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("ninsho");
    let mut v = vault(&data);
    v.add(vec![account("A", "a", "JBSWY3DPEHPK3PXP")], &mut |_, _| {})
        .unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join(meta::FILE_NAME)), 0o600);
}

#[test]
fn duplicates_are_detected_not_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    v.add(
        vec![account("GitHub", "alice", "JBSWY3DPEHPK3PXP")],
        &mut |_, _| {},
    )
    .unwrap();
    let report = v
        .add(
            vec![
                account("GitHub", "alice", "jbswy3dpehpk3pxp"),
                account("GitHub", "alice", "GEZDGNBVGY3TQOJQ"),
                account("GitHub", "alice", "GEZDGNBVGY3TQOJQ"),
            ],
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(report.duplicates.len(), 2);
    assert_eq!(
        report.added.len(),
        1,
        "same name with a new secret is a new account"
    );
    assert_eq!(v.entries().count(), 2);
}

#[test]
fn keyring_failure_adds_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(MemoryStore::new());
    store.fail_with(Some(StoreError::Locked {
        detail: "test".into(),
    }));
    let mut v = vault_with(dir.path(), store);
    let err = v
        .add(vec![account("A", "a", "JBSWY3DPEHPK3PXP")], &mut |_, _| {})
        .unwrap_err();
    assert!(err.to_string().contains("keyring is locked"), "{err}");
    assert_eq!(v.entries().count(), 0);
    assert!(v.entries.is_empty(), "no half-written entry remains");
}

#[test]
fn oversized_names_and_groups_are_rejected_before_any_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(MemoryStore::new());
    let mut v = vault_with(dir.path(), store.clone());
    let long = "g".repeat(crate::otp::MAX_NAME_CHARS + 1);
    let err = v
        .add_grouped(
            vec![
                (account("A", "a", "JBSWY3DPEHPK3PXP"), String::new()),
                (account("B", "b", "GEZDGNBVGY3TQOJQ"), long.clone()),
            ],
            &mut |_, _| {},
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("the group is 513 characters"),
        "{err}"
    );
    let err = v
        .add(
            vec![account("C", &long, "MFRGGZDFMZTWQ2LK")],
            &mut |_, _| {},
        )
        .unwrap_err();
    assert!(err.to_string().contains("account name is 513"), "{err}");
    assert_eq!(v.entries().count(), 0);
    assert!(store.is_empty(), "nothing reached the keyring");
    let saved = v
        .add(vec![account("D", "d", "JBSWY3DPEHPK3PXP")], &mut |_, _| {})
        .unwrap()
        .added;
    let err = v.edit(saved[0].id, "D", &long, "").unwrap_err();
    assert!(err.to_string().contains("account name is 513"), "{err}");
    assert_eq!(v.entries().next().unwrap().name, "d");
}

#[test]
fn interrupted_add_is_finished_or_dropped_by_repair() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(MemoryStore::new());
    let mut v = vault_with(dir.path(), store.clone());
    v.add(
        vec![account("Keep", "k", "JBSWY3DPEHPK3PXP")],
        &mut |_, _| {},
    )
    .unwrap();
    // Simulate a crash after the pending metadata write: one item written, one not.
    let a = account("Written", "w", "GEZDGNBVGY3TQOJQ");
    let b = account("Unwritten", "u", "MFRGGZDFMZTWQ2LK");
    let mut ea = Entry::new(&a, 1);
    let mut eb = Entry::new(&b, 1);
    ea.state = State::Adding;
    eb.state = State::Adding;
    let item = Item {
        v: 1,
        secret: "GEZDGNBVGY3TQOJQ".into(),
        recovery_codes: vec![],
        entry: ea.clone(),
    };
    store.set(&ea.id.to_string(), "x", &item.encode()).unwrap();
    v.update(|entries| {
        entries.push(ea.clone());
        entries.push(eb.clone());
        Ok(())
    })
    .unwrap();
    assert_eq!(v.entries().count(), 1, "pending entries are not shown");

    let mut v = vault_with(dir.path(), store.clone());
    let notes = v.repair().unwrap();
    assert!(
        notes.iter().any(|n| n.contains("finished adding Written")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("dropped Unwritten")),
        "{notes:?}"
    );
    let names: Vec<_> = v.entries().map(|e| e.issuer.clone()).collect();
    assert_eq!(names, ["Keep", "Written"]);
    assert!(v.repair().unwrap().is_empty(), "repair is idempotent");
}

#[test]
fn interrupted_remove_is_finished_by_repair() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(MemoryStore::new());
    let mut v = vault_with(dir.path(), store.clone());
    let id = v
        .add(
            vec![account("Gone", "g", "JBSWY3DPEHPK3PXP")],
            &mut |_, _| {},
        )
        .unwrap()
        .added[0]
        .id;
    v.update(|entries| {
        entries[0].state = State::Deleting;
        Ok(())
    })
    .unwrap();
    let mut v = vault_with(dir.path(), store.clone());
    let notes = v.repair().unwrap();
    assert!(notes[0].contains("finished removing Gone"), "{notes:?}");
    assert_eq!(v.entries().count(), 0);
    assert!(store.get(&id.to_string()).unwrap().is_none());
}

#[test]
fn temp_files_of_a_killed_writer_are_removed_by_repair() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    v.add(
        vec![account("Kept", "k", "JBSWY3DPEHPK3PXP")],
        &mut |_, _| {},
    )
    .unwrap();
    // What `meta::save` leaves when SIGKILL lands between write and rename.
    let stale = dir.path().join(".accounts.Ab12Cd.tmp");
    std::fs::write(&stale, b"{\"version\":1,\"accounts\":[]}").unwrap();
    let other = dir.path().join("notes.tmp");
    std::fs::write(&other, b"not ours").unwrap();
    v.repair().unwrap();
    assert!(!stale.exists());
    assert!(other.exists(), "only Ninsho's own temp files are touched");
    assert_eq!(v.entries().count(), 1);
}

#[test]
fn recovery_codes_never_print() {
    let c = RecoveryCode {
        code: "8f3k-22qx".into(),
        used: true,
    };
    let shown = format!("{c:?}");
    assert!(!shown.contains("8f3k") && shown.contains("redacted") && shown.contains("used: true"));
}

#[test]
fn orphaned_keyring_items_are_restored() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(MemoryStore::new());
    let mut v = vault_with(dir.path(), store.clone());
    v.add(
        vec![account("Lost", "l", "JBSWY3DPEHPK3PXP")],
        &mut |_, _| {},
    )
    .unwrap();
    std::fs::remove_file(dir.path().join(meta::FILE_NAME)).unwrap();
    store.set("not-ours", "x", b"something else").unwrap();
    let mut v = vault_with(dir.path(), store.clone());
    assert_eq!(v.entries().count(), 0);
    let notes = v.repair().unwrap();
    assert!(
        notes.iter().any(|n| n.contains("restored Lost")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("not-ours")), "{notes:?}");
    let e = v.find("lost").unwrap().clone();
    assert_eq!(
        v.account(&e).unwrap().secret.to_base32().as_str(),
        "JBSWY3DPEHPK3PXP"
    );
}

#[test]
fn entry_without_secret_is_kept_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(MemoryStore::new());
    let mut v = vault_with(dir.path(), store.clone());
    let id = v
        .add(
            vec![account("Vanished", "v", "JBSWY3DPEHPK3PXP")],
            &mut |_, _| {},
        )
        .unwrap()
        .added[0]
        .id;
    store.delete(&id.to_string()).unwrap();
    let notes = v.repair().unwrap();
    assert!(notes[0].contains("no secret for Vanished"), "{notes:?}");
    assert_eq!(v.entries().count(), 1);
    let e = v.entries().next().unwrap().clone();
    assert!(matches!(v.account(&e), Err(VaultError::MissingSecret(_))));
    v.remove(id).unwrap();
    assert_eq!(v.entries().count(), 0);
}

#[test]
fn find_prefers_exact_then_substring_then_fuzzy() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    v.add(
        vec![
            account("GitHub", "alice", "JBSWY3DPEHPK3PXP"),
            account("GitLab", "alice", "GEZDGNBVGY3TQOJQ"),
            account("Google", "bob@example.com", "MFRGGZDFMZTWQ2LK"),
        ],
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(v.find("github").unwrap().issuer, "GitHub");
    assert_eq!(v.find("GitLab:alice").unwrap().issuer, "GitLab");
    assert_eq!(v.find("goog").unwrap().issuer, "Google");
    assert_eq!(v.find("ghb").unwrap().issuer, "GitHub");
    match v.find("git") {
        Err(VaultError::Ambiguous { matches, .. }) => assert_eq!(matches.len(), 2),
        other => panic!("expected ambiguity, got {other:?}"),
    }
    let msg = v.find("alice").unwrap_err().to_string();
    assert!(
        msg.contains("GitHub (alice)") && msg.contains("GitLab (alice)"),
        "{msg}"
    );
    assert!(matches!(v.find("zzz"), Err(VaultError::NoMatch(_))));
}

#[test]
fn an_ambiguous_query_lists_matches_one_per_line_up_to_twenty() {
    let matches: Vec<String> = (1..=23).map(|i| format!("Shop{i:02} (me)")).collect();
    let msg = VaultError::Ambiguous {
        query: "shop".into(),
        matches,
    }
    .to_string();
    let lines: Vec<&str> = msg.lines().collect();
    assert_eq!(lines[0], "\"shop\" matches 23 accounts; be more specific:");
    assert_eq!(lines[1], "  Shop01 (me)");
    assert_eq!(lines[20], "  Shop20 (me)");
    assert_eq!(lines[21], "  and 3 more");
    assert_eq!(lines.len(), 22);
    let two = VaultError::Ambiguous {
        query: "git".into(),
        matches: vec!["GitHub (a)".into(), "GitLab (b)".into()],
    }
    .to_string();
    assert_eq!(
        two,
        "\"git\" matches 2 accounts; be more specific:\n  GitHub (a)\n  GitLab (b)"
    );
}

#[test]
fn a_lost_metadata_file_is_restored_with_the_latest_edit_and_counter() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(MemoryStore::new());
    let mut v = vault_with(dir.path(), store.clone());
    let hotp = parse_uri("otpauth://hotp/H:h?secret=JBSWY3DPEHPK3PXP&counter=5")
        .unwrap()
        .account;
    let id = v.add(vec![hotp], &mut |_, _| {}).unwrap().added[0].id;
    v.edit(id, "Renamed", "me", "Work").unwrap();
    v.set_counter(id, 9).unwrap();
    std::fs::remove_file(dir.path().join(meta::FILE_NAME)).unwrap();
    let mut v = vault_with(dir.path(), store.clone());
    v.repair().unwrap();
    let e = v.entry(id).unwrap();
    assert_eq!(
        (
            e.issuer.as_str(),
            e.name.as_str(),
            e.group.as_str(),
            e.counter
        ),
        ("Renamed", "me", "Work", Some(9))
    );
}

#[test]
fn hotp_counter_persists() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    let a = parse_uri("otpauth://hotp/H:h?secret=JBSWY3DPEHPK3PXP&counter=5")
        .unwrap()
        .account;
    let id = v.add(vec![a], &mut |_, _| {}).unwrap().added[0].id;
    v.set_counter(id, 6).unwrap();
    let again = vault_with(dir.path(), v.store().clone());
    assert_eq!(again.entry(id).unwrap().counter, Some(6));
}

#[test]
fn damaged_or_newer_metadata_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(meta::FILE_NAME), "{not json").unwrap();
    let err = Vault::open(dir.path(), MemoryStore::new())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("damaged"), "{err}");
    std::fs::write(
        dir.path().join(meta::FILE_NAME),
        r#"{"version": 99, "accounts": []}"#,
    )
    .unwrap();
    let err = Vault::open(dir.path(), MemoryStore::new())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("version 99"), "{err}");
}

#[test]
fn edit_and_reorder_persist() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    let added = v
        .add(
            vec![
                account("A", "a", "JBSWY3DPEHPK3PXP"),
                account("B", "b", "GEZDGNBVGY3TQOJQ"),
                account("C", "c", "MFRGGZDFMZTWQ2LK"),
            ],
            &mut |_, _| {},
        )
        .unwrap()
        .added;
    v.edit(added[0].id, " Alpha ", "alice", "Work").unwrap();
    v.move_to(added[2].id, 0).unwrap();
    let again = vault_with(dir.path(), v.store().clone());
    let order: Vec<_> = again
        .entries()
        .map(|e| (e.issuer.clone(), e.group.clone()))
        .collect();
    assert_eq!(
        order,
        [
            ("C".into(), "".into()),
            ("Alpha".into(), "Work".into()),
            ("B".into(), "".into())
        ]
    );
}

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn recovery_codes_live_in_the_keyring_item_not_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    let id = v
        .add(
            vec![account("GitHub", "alice", "JBSWY3DPEHPK3PXP")],
            &mut |_, _| {},
        )
        .unwrap()
        .added[0]
        .id;
    assert!(v.recovery_codes(id).unwrap().is_empty());
    let report = v
        .add_recovery_codes(id, &codes(&["abcd-1234", "EFGH-5678", "ijkl-9012"]))
        .unwrap();
    assert_eq!((report.added, report.duplicates), (3, 0));
    // A fresh process reads them back from the keyring item, with the secret intact.
    let again = vault_with(dir.path(), v.store().clone());
    let back = again.recovery_codes(id).unwrap();
    let texts: Vec<&str> = back.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(texts, ["abcd-1234", "EFGH-5678", "ijkl-9012"]);
    assert!(back.iter().all(|c| !c.used));
    let entry = again.entry(id).unwrap().clone();
    assert_eq!(
        again.account(&entry).unwrap().secret.to_base32().as_str(),
        "JBSWY3DPEHPK3PXP"
    );
    for (_, bytes) in std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.clone(), std::fs::read(p).unwrap()))
    {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("1234") && !text.to_lowercase().contains("efgh"));
    }
    assert!(format!("{back:?}").contains("[redacted]"));
    assert!(!format!("{back:?}").contains("abcd"));
}

#[test]
fn duplicate_recovery_codes_are_ignored_whatever_their_case_or_dashes() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    let id = v
        .add(vec![account("A", "a", "JBSWY3DPEHPK3PXP")], &mut |_, _| {})
        .unwrap()
        .added[0]
        .id;
    v.add_recovery_codes(id, &codes(&["abcd-1234"])).unwrap();
    let report = v
        .add_recovery_codes(id, &codes(&["ABCD1234", "new-code", "NEWCODE"]))
        .unwrap();
    assert_eq!((report.added, report.duplicates), (1, 2));
    assert_eq!(report.codes.len(), 2);
}

#[test]
fn using_a_recovery_code_marks_it_and_unknown_codes_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    let id = v
        .add(vec![account("A", "a", "JBSWY3DPEHPK3PXP")], &mut |_, _| {})
        .unwrap()
        .added[0]
        .id;
    v.add_recovery_codes(id, &codes(&["1111-2222", "3333-4444"]))
        .unwrap();
    let used = v.use_recovery_code(id, "33334444").unwrap();
    assert_eq!((used.index, used.unchanged), (1, false));
    assert_eq!(recovery::unused(&used.codes), 1);
    let again = v.use_recovery_code(id, "3333-4444").unwrap();
    assert!(again.unchanged);
    let err = v.use_recovery_code(id, "9999-0000").unwrap_err();
    assert!(
        matches!(&err, VaultError::UnknownRecoveryCode { code, .. } if code == "9999-0000"),
        "{err}"
    );
    assert_eq!(err.to_string(), "A (a) has no recovery code \"9999-0000\"");
    let stored = v.recovery_codes(id).unwrap();
    assert_eq!(
        stored.iter().map(|c| c.used).collect::<Vec<_>>(),
        [false, true]
    );
}

#[test]
fn marking_a_code_used_can_be_undone_and_a_code_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    let id = v
        .add(vec![account("A", "a", "JBSWY3DPEHPK3PXP")], &mut |_, _| {})
        .unwrap()
        .added[0]
        .id;
    v.add_recovery_codes(id, &codes(&["8193 4421", "2390 5817", "6645 0923"]))
        .unwrap();
    v.use_recovery_code(id, "2390-5817").unwrap();
    let undone = v.unuse_recovery_code(id, "23905817").unwrap();
    assert_eq!((undone.index, undone.unchanged), (1, false));
    assert!(
        !v.recovery_codes(id).unwrap()[1].used,
        "stored unused again"
    );
    assert!(v.unuse_recovery_code(id, "2390 5817").unwrap().unchanged);

    let removed = v.remove_recovery_code(id, "81934421").unwrap();
    assert_eq!(removed.removed.code, "8193 4421");
    let left: Vec<String> = v
        .recovery_codes(id)
        .unwrap()
        .iter()
        .map(|c| c.code.clone())
        .collect();
    assert_eq!(left, ["2390 5817", "6645 0923"]);
    assert!(matches!(
        v.remove_recovery_code(id, "8193 4421"),
        Err(VaultError::UnknownRecoveryCode { .. })
    ));
    assert!(matches!(
        v.unuse_recovery_code(id, "0000 0000"),
        Err(VaultError::UnknownRecoveryCode { .. })
    ));
}

#[test]
fn malformed_recovery_codes_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    let id = v
        .add(vec![account("A", "a", "JBSWY3DPEHPK3PXP")], &mut |_, _| {})
        .unwrap()
        .added[0]
        .id;
    let long = "X".repeat(recovery::MAX_CODE_CHARS + 1);
    for bad in [
        codes(&["ok-code", &long]),
        codes(&["--"]),
        codes(&["a\u{7}b"]),
    ] {
        assert!(matches!(
            v.add_recovery_codes(id, &bad),
            Err(VaultError::BadRecoveryCode(_))
        ));
    }
    assert!(v.recovery_codes(id).unwrap().is_empty());
    let many: Vec<String> = (0..=recovery::MAX_CODES).map(|i| format!("c{i}")).collect();
    assert!(v.add_recovery_codes(id, &many).is_err());
    assert!(v.recovery_codes(id).unwrap().is_empty());
}

#[test]
fn recovery_codes_keep_the_item_restorable_after_a_rename() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    let id = v
        .add(
            vec![account("Old", "a", "JBSWY3DPEHPK3PXP")],
            &mut |_, _| {},
        )
        .unwrap()
        .added[0]
        .id;
    v.edit(id, "New", "a", "").unwrap();
    v.add_recovery_codes(id, &codes(&["k1"])).unwrap();
    // The metadata file is lost: repair restores the account from the keyring
    // item, with its current name and its codes.
    std::fs::remove_file(dir.path().join(meta::FILE_NAME)).unwrap();
    let mut fresh = vault_with(dir.path(), v.store().clone());
    fresh.repair().unwrap();
    assert_eq!(fresh.entry(id).unwrap().issuer, "New");
    assert_eq!(fresh.recovery_codes(id).unwrap().len(), 1);
}

#[test]
fn recovery_codes_of_a_missing_account_or_locked_keyring_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    assert!(matches!(
        v.recovery_codes(Uuid::new_v4()),
        Err(VaultError::NoMatch(_))
    ));
    let id = v
        .add(vec![account("A", "a", "JBSWY3DPEHPK3PXP")], &mut |_, _| {})
        .unwrap()
        .added[0]
        .id;
    v.store().fail_with(Some(StoreError::Locked {
        detail: "locked".into(),
    }));
    assert!(matches!(
        v.add_recovery_codes(id, &codes(&["x1"])),
        Err(VaultError::Store(StoreError::Locked { .. }))
    ));
    v.store().fail_with(None);
    assert!(v.recovery_codes(id).unwrap().is_empty());
}

/// Pastes as services show their codes, and the codes they must be read as.
/// (Codes made up, shapes and surrounding text as the services print them.)
#[test]
fn pasted_codes_are_read_as_services_show_them() {
    let github: Vec<String> = (0..16).map(|i| format!("{i:x}1b2c-3d4e{i:x}")).collect();
    let google = [
        "8193 4421",
        "2390 5817",
        "6645 0923",
        "1187 3302",
        "9051 7764",
        "4478 2209",
        "3316 8845",
        "7702 1193",
        "5529 6640",
        "0874 3318",
    ];
    let facebook = ["1234 5678", "2345 6789", "3456 7890", "4567 8901"];
    let discord = ["5b8d-1k9p", "q7w2-m4x8", "z3c6-v9b1", "n5h8-j2k4"];
    let japanese = ["4821-0937", "5520-1846", "7309-2258", "1164-8873"];
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "GitHub's github-recovery-codes.txt",
            github.join("\r\n") + "\r\n",
            github.iter().map(String::as_str).collect(),
        ),
        (
            "Google, one per line",
            google.join("\n"),
            google.to_vec(),
        ),
        (
            "Google's printable page, numbered in two columns",
            format!(
                "BACKUP VERIFICATION CODES\nalice@gmail.com\n\n{}\n(Generated Jan 1, 2024)\n* You can only use each backup code once.\n* Need more? Visit g.co/2sv\n",
                (0..5)
                    .map(|i| format!("{}. {}\t{}. {}", i + 1, google[i], i + 6, google[i + 5]))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            (0..5).flat_map(|i| [google[i], google[i + 5]]).collect(),
        ),
        (
            "Google's page as some browsers copy it: spaces, not tabs",
            "1) 8193 4421    6) 4478 2209\n(2) 2390 5817   (7) 3316 8845".into(),
            vec![google[0], google[5], google[1], google[6]],
        ),
        (
            "Microsoft's 25-character recovery code",
            "Your new recovery code\n\nGX8L7-2KQPN-XVWHT-MDR9C-46BJF\n\nWrite it down and keep it somewhere safe.\n".into(),
            vec!["GX8L7-2KQPN-XVWHT-MDR9C-46BJF"],
        ),
        (
            "X (Twitter): one code of 12 letters and digits",
            "Backup code\n\nf3k9x2m7q1wz\n".into(),
            vec!["f3k9x2m7q1wz"],
        ),
        (
            "Discord's discord_backup_codes.txt",
            format!(
                "These are your Discord backup codes for account alice#0001. Keep them safe!\n\n{}\n",
                discord.iter().map(|c| format!(" * {c}")).collect::<Vec<_>>().join("\n")
            ),
            discord.to_vec(),
        ),
        (
            "Discord's page copied as a grid",
            format!("{} {}\n{} {}", discord[0], discord[1], discord[2], discord[3]),
            discord.to_vec(),
        ),
        (
            "Facebook, two columns copied with tabs",
            format!(
                "Recovery codes\n{}\t{}\n{}\t{}\n",
                facebook[0], facebook[1], facebook[2], facebook[3]
            ),
            facebook.to_vec(),
        ),
        (
            "Apple's recovery key",
            "Recovery Key\nABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345\n".into(),
            vec!["ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345"],
        ),
        (
            "a Japanese service's page with its heading, circled numbers and a date",
            format!(
                "バックアップコード\n以下のコードは各1回のみ使用できます。\n\n① {}\n②\u{3000}{}\n・{}\n④ {}\n発行日：2024年5月1日\n",
                japanese[0], japanese[1], japanese[2], japanese[3]
            ),
            japanese.to_vec(),
        ),
        (
            "full-width digits and a no-break space from a web page",
            "１．８１９３\u{a0}４４２１\n2. 2390\u{a0}5817".into(),
            vec!["8193 4421", "2390 5817"],
        ),
        (
            "one line, codes apart by two spaces",
            "8193 4421  2390 5817  6645 0923".into(),
            vec![google[0], google[1], google[2]],
        ),
        (
            "one line, codes apart by commas or tabs",
            "a1b2c3d4, e5f6g7h8,i9j0k1l2\tm3n4o5p6".into(),
            vec!["a1b2c3d4", "e5f6g7h8", "i9j0k1l2", "m3n4o5p6"],
        ),
        (
            "one code alone keeps its space",
            "  8193 4421 \n".into(),
            vec!["8193 4421"],
        ),
        (
            "codes with letters of another script stay codes",
            "あいう-12345 QWERTY-0987\nｺｰﾄﾞ-2048\n".into(),
            vec!["あいう-12345", "QWERTY-0987", "ｺｰﾄﾞ-2048"],
        ),
        ("nothing but headings", "Backup codes\n\n  \n".into(), vec![]),
    ];
    for (what, paste, expected) in cases {
        assert_eq!(recovery::split_codes(&paste), expected, "{what}");
    }
}

#[test]
fn pasted_headings_are_reported_as_ignored() {
    let read = recovery::read_codes("Backup codes\n1. 8193 4421\nKeep them safe.\n");
    assert_eq!(read.codes, ["8193 4421"]);
    assert_eq!(read.ignored, ["Backup codes", "Keep them safe."]);
    assert!(!format!("{read:?}").contains("8193"), "codes never print");
}

#[test]
fn codes_compare_without_spaces_dashes_or_case() {
    assert_eq!(recovery::normalize("ab12 - cd34").as_str(), "AB12CD34");
    assert_eq!(
        recovery::normalize("8193 4421"),
        recovery::normalize("8193-4421")
    );
    // Typed with a Japanese input method, or copied from a web page.
    assert_eq!(
        recovery::normalize("ａｂ１２－ｃｄ３４").as_str(),
        "AB12CD34"
    );
    assert_eq!(recovery::normalize("8193\u{a0}4421").as_str(), "81934421");
    assert_eq!(recovery::normalize("ab12\u{2011}cd34").as_str(), "AB12CD34");
}

/// Duplicate checks go by lookup now (an import of 100 000 accounts compared
/// each with all earlier ones); the answers must be the same: repeats within
/// the import and accounts already saved are flagged, a saved name with a new
/// secret or another kind is not.
#[test]
fn duplicate_flags_of_a_large_import_are_exact() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    v.add(
        vec![
            account("Saved", "a", "JBSWY3DPEHPK3PXP"),
            account("Saved", "b", "GEZDGNBVGY3TQOJQ"),
        ],
        &mut |_, _| {},
    )
    .unwrap();
    let secret =
        |i: usize| crate::otp::Secret::from_bytes(format!("secret-{i:06}").into_bytes()).unwrap();
    let mut incoming = Vec::new();
    for i in 0..3000 {
        let a = OtpAccount {
            secret: secret(i),
            ..account(&format!("I{i}"), "n", "JBSWY3DPEHPK3PXP")
        };
        incoming.push(a.clone());
        if i % 3 == 0 {
            incoming.push(a);
        }
    }
    incoming.push(account("Saved", "a", "JBSWY3DPEHPK3PXP"));
    incoming.push(account("Saved", "a", "MFRGGZDFMZTWQ2LK"));
    let mut hotp = account("Saved", "b", "GEZDGNBVGY3TQOJQ");
    hotp.params.kind = crate::otp::Kind::Hotp;
    incoming.push(hotp);
    let (fresh, dups) = v.plan_add(incoming).unwrap();
    assert_eq!(fresh.len(), 3000 + 2);
    assert_eq!(dups.len(), 1000 + 1);
    assert!(dups.iter().any(|d| d.issuer == "Saved" && d.name == "a"));
    assert!(
        fresh
            .iter()
            .any(|f| f.issuer == "Saved" && f.params.kind == crate::otp::Kind::Hotp)
    );
}

/// Names with control characters or text-direction overrides never reach
/// the keyring or the metadata file, by any path into the vault.
#[test]
fn names_with_control_characters_are_rejected_before_any_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(MemoryStore::new());
    let mut v = vault_with(dir.path(), store.clone());
    for (issuer, name, group) in [
        ("A\u{1b}[2J", "a", ""),
        ("A", "a\nB", ""),
        ("A", "a\0", ""),
        ("A", "a", "g\u{202e}"),
        ("\u{2066}A", "a", ""),
        ("A", "a\u{85}", ""),
    ] {
        let err = v
            .add_grouped(
                vec![(account(issuer, name, "JBSWY3DPEHPK3PXP"), group.to_string())],
                &mut |_, _| {},
            )
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("control or text-direction character"),
            "{err}"
        );
        assert!(!err.to_string().chars().any(|c| c.is_control()), "{err:?}");
    }
    assert!(store.is_empty());
    let saved = v
        .add(vec![account("D", "d", "JBSWY3DPEHPK3PXP")], &mut |_, _| {})
        .unwrap()
        .added;
    let err = v.edit(saved[0].id, "D", "d\u{1b}", "").unwrap_err();
    assert!(err.to_string().contains("control"), "{err}");
}

/// The automatic backups' password shares the service with the accounts: repair
/// must neither report it as foreign nor restore it as an account, nor delete it.
#[test]
fn repair_leaves_the_backup_password_item_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(MemoryStore::new());
    let mut v = vault_with(dir.path(), store.clone());
    v.add(
        vec![account("GitHub", "alice", "JBSWY3DPEHPK3PXP")],
        &mut |_, _| {},
    )
    .unwrap();
    store
        .set(BACKUP_PASSWORD_ITEM, "Ninsho backup", b"correct horse")
        .unwrap();
    // A lost metadata file makes repair look at every item of the service.
    std::fs::remove_file(dir.path().join(meta::FILE_NAME)).unwrap();
    let mut v = vault_with(dir.path(), store.clone());
    let notes = v.repair().unwrap();
    assert!(
        notes.iter().all(|n| !n.contains(BACKUP_PASSWORD_ITEM)),
        "{notes:?}"
    );
    assert_eq!(notes.len(), 1, "only the restored account: {notes:?}");
    assert_eq!(v.entries().count(), 1);
    assert!(v.repair().unwrap().is_empty());
    assert_eq!(
        store
            .get(BACKUP_PASSWORD_ITEM)
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&b"correct horse"[..])
    );
}
