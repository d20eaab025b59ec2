//! Protects: every secret store keeps the same contract (issue 20) — the
//! in-memory store of the unit tests, the real keyring (gnome-keyring through
//! the Secret Service, in the harness) and the encrypted file store alike:
//! items are set, replaced, read, listed and deleted exactly, with any bytes
//! and any label. And the file store's own promises: the password unlocks it
//! and a wrong one says so, the file is an Aegis vault that Aegis's
//! decryption opens, nothing is in it in plain form, and two processes that
//! share it never lose each other's items.

mod common;

use std::sync::Arc;

use ninsho::vault::file_store::FileStore;
use ninsho::vault::keyring::KeyringStore;
use ninsho::vault::{MemoryStore, SecretStore, StoreError};

/// The contract, on a store that holds nothing of this test yet. `prefix`
/// keeps the ids apart from anything else the store holds.
fn contract(store: &dyn SecretStore, prefix: &str) {
    let id = |n: &str| format!("{prefix}-{n}");
    let mine = |s: &dyn SecretStore| -> Vec<String> {
        let mut ids: Vec<String> = s
            .ids()
            .unwrap()
            .into_iter()
            .filter(|i| i.starts_with(prefix))
            .collect();
        ids.sort();
        ids
    };
    assert!(mine(store).is_empty());
    assert_eq!(store.get(&id("a")).unwrap(), None);
    assert!(
        !store.delete(&id("a")).unwrap(),
        "deleting nothing is not an error"
    );

    store
        .set(&id("a"), "Ninsho: GitHub (alice)", b"JBSWY3DPEHPK3PXP")
        .unwrap();
    store
        .set(
            &id("b"),
            "Ninsho: ツイッター（山田）",
            "値\u{0}\n".as_bytes(),
        )
        .unwrap();
    let big: Vec<u8> = (0..64 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    store.set(&id("c"), "", &big).unwrap();
    assert_eq!(mine(store), [id("a"), id("b"), id("c")]);
    assert_eq!(
        store.get(&id("a")).unwrap().unwrap().as_slice(),
        b"JBSWY3DPEHPK3PXP"
    );
    assert_eq!(
        store.get(&id("b")).unwrap().unwrap().as_slice(),
        "値\u{0}\n".as_bytes()
    );
    assert_eq!(store.get(&id("c")).unwrap().unwrap().as_slice(), &big[..]);

    // Replacing keeps one item.
    store
        .set(&id("a"), "Ninsho: GitHub (alice)", b"GEZDGNBVGY3TQOJQ")
        .unwrap();
    assert_eq!(
        store.get(&id("a")).unwrap().unwrap().as_slice(),
        b"GEZDGNBVGY3TQOJQ"
    );
    assert_eq!(mine(store).len(), 3);

    assert!(store.delete(&id("b")).unwrap());
    assert_eq!(store.get(&id("b")).unwrap(), None);
    assert_eq!(mine(store), [id("a"), id("c")]);
    for n in ["a", "c"] {
        assert!(store.delete(&id(n)).unwrap());
    }
    assert!(mine(store).is_empty());
}

#[test]
fn the_memory_store_keeps_the_contract() {
    contract(&MemoryStore::new(), "mem");
}

#[test]
fn the_keyring_keeps_the_contract() {
    if !common::real_keyring() {
        return;
    }
    let service = format!("ninsho-contract-{}", uuid::Uuid::new_v4());
    let store = KeyringStore::connect(&service).unwrap();
    contract(&store, "kr");
}

#[test]
fn the_file_store_keeps_the_contract_and_reopens_with_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(ninsho::vault::file_store::FILE_NAME);
    let store = FileStore::create(&path, "correct horse").unwrap();
    contract(&store, "file");
    store
        .set("kept", "Ninsho: kept", b"MFRGGZDFMZTWQ2LK")
        .unwrap();
    drop(store);

    let again = FileStore::open(&path, "correct horse").unwrap();
    assert_eq!(again.ids().unwrap(), ["kept"]);
    assert_eq!(
        again.get("kept").unwrap().unwrap().as_slice(),
        b"MFRGGZDFMZTWQ2LK"
    );
    match FileStore::open(&path, "wrong horse") {
        Err(StoreError::File { detail }) => {
            assert!(detail.contains("wrong password"), "{detail}")
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a wrong password must not open it"),
    }
    let err = FileStore::create(&path, "other")
        .err()
        .expect("never replaced");
    assert!(err.to_string().contains("already exists"), "{err}");
}

#[test]
fn the_file_is_an_aegis_vault_with_nothing_in_plain_form() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(ninsho::vault::file_store::FILE_NAME);
    let store = FileStore::create(&path, "correct horse").unwrap();
    let secret = b"JBSWY3DPEHPK3PXP";
    store
        .set("id-1", "Ninsho: GitHub (alice@example.com)", secret)
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    // Aegis's decryption (slot, scrypt, AES-256-GCM) opens it, and finds an
    // Aegis database.
    let aegis = ninsho::formats::by_name("aegis").unwrap();
    let read = aegis.read(&bytes, Some("correct horse")).unwrap();
    assert!(read.accounts.is_empty() && read.skipped.is_empty());
    assert!(matches!(
        aegis.read(&bytes, Some("wrong")),
        Err(ninsho::formats::FormatError::WrongPassword(_))
    ));
    let text = String::from_utf8_lossy(&bytes);
    for needle in ["JBSWY3DPEHPK3PXP", "alice@example.com", "GitHub", "id-1"] {
        assert!(!text.contains(needle), "{needle} in plain form");
    }
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
    assert!(!text.contains(&b64));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    assert_eq!(
        names,
        [ninsho::vault::file_store::FILE_NAME],
        "no temporary file left"
    );
}

#[test]
fn two_processes_sharing_the_file_never_lose_each_others_items() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(ninsho::vault::file_store::FILE_NAME);
    drop(FileStore::create(&path, "pw").unwrap());
    // Two openers of one file, as the window and the CLI are.
    let a = Arc::new(FileStore::open(&path, "pw").unwrap());
    let b = Arc::new(FileStore::open(&path, "pw").unwrap());
    let threads: Vec<_> = [("a", a.clone()), ("b", b.clone())]
        .into_iter()
        .map(|(name, store)| {
            std::thread::spawn(move || {
                for i in 0..40 {
                    store
                        .set(&format!("{name}-{i:02}"), "label", name.as_bytes())
                        .unwrap();
                }
                for i in (0..40).step_by(4) {
                    assert!(store.delete(&format!("{name}-{i:02}")).unwrap());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let fresh = FileStore::open(&path, "pw").unwrap();
    for s in [&*a, &*b, &fresh] {
        let ids = s.ids().unwrap();
        assert_eq!(ids.len(), 60, "{ids:?}");
        assert_eq!(s.get("b-01").unwrap().unwrap().as_slice(), b"b");
        assert_eq!(s.get("a-00").unwrap(), None);
    }
}
