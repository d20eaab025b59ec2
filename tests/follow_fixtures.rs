//! Protects: following real backups of other apps (issue 19) — a 2FAS backup
//! and an Aegis vault in a followed folder, under the names those apps give
//! their backups, are found, decrypted with their passwords and offered in
//! full; once applied they are up to date, and the accounts' secrets are the
//! fixtures' (README of `../shared/fixtures/external`).

mod common;

use std::sync::Arc;

use ninsho::follow::{self, Choice, Status};
use ninsho::vault::{MemoryStore, Vault};

#[test]
fn real_2fas_and_aegis_backups_in_a_followed_folder_are_offered_and_applied() {
    let Some(fixtures) = common::fixtures() else {
        return;
    };
    let dir = fixtures.join("aegis-importers");
    let canonical = std::fs::read_to_string(dir.join("plain.txt")).unwrap();
    let secrets: Vec<String> = canonical
        .lines()
        .filter_map(|l| ninsho::otp::parse_uri(l).ok())
        .map(|p| p.account.secret.to_base32().to_string())
        .collect();
    assert_eq!(secrets.len(), 7);
    for (fixture, name, password) in [
        (
            "2fas_authenticator_encrypted_v4.2fas",
            "2fas-backup-20261203.2fas",
            "test",
        ),
        (
            "aegis_encrypted.json",
            "aegis-backup-20261203-101500.json",
            "test",
        ),
    ] {
        let folder = tempfile::tempdir().unwrap();
        let bytes = std::fs::read(dir.join(fixture)).unwrap();
        std::fs::write(folder.path().join(name), &bytes).unwrap();
        // What the importer itself reads from the file.
        let expected = ninsho::formats::detect(&bytes)
            .unwrap()
            .read(&bytes, Some(password))
            .unwrap()
            .accounts;
        assert!(expected.len() >= 5, "{fixture}: {}", expected.len());

        let data = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::new());
        follow::add(data.path(), &store, folder.path(), None, password).unwrap();
        let mut vault = Vault::open(data.path(), store.clone()).unwrap();
        let key = follow::key(&store).unwrap();
        let source = follow::load(data.path()).unwrap().sources.remove(0);
        let review = match follow::check(&vault, &key, &source, "desktop") {
            Status::Review(r) => r,
            _ => panic!("{fixture}: the backup must be read"),
        };
        assert_eq!(review.file_name(), name);
        assert_eq!(review.added.len(), expected.len(), "{fixture}");
        assert!(review.changed.is_empty() && review.removed.is_empty());
        follow::apply(
            &mut vault,
            &review,
            &Choice::all(&review, false),
            0,
            &mut |_, _| {},
        )
        .unwrap();
        let entries: Vec<_> = vault.entries().cloned().collect();
        assert_eq!(entries.len(), expected.len());
        for e in &entries {
            let secret = vault.account(e).unwrap().secret.to_base32().to_string();
            assert!(
                secrets.contains(&secret),
                "{fixture}: {} is no fixture account",
                e.display_name()
            );
        }
        let source = follow::load(data.path()).unwrap().sources.remove(0);
        match follow::check(&vault, &key, &source, "desktop") {
            Status::Review(r) => assert!(r.is_empty() && !r.unrecorded, "{fixture}: up to date"),
            _ => panic!("{fixture}: the backup must be read again"),
        }
    }
}
