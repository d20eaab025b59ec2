//! Unlocking the encrypted file store (issue 20) against reading the same
//! items from a memory store: N items the size of Ninsho's account items
//! (about 300 bytes each) are written once, in one batch ("write-all", as
//! `ninsho store use file` writes them); then, RUNS times, "open" (read
//! the file, derive the key with scrypt, decrypt) and "read-all" (every
//! item's value through `SecretStore::get`, as the window's start does).
//! Last, "import": ITEMS accounts added through the vault into a new data
//! folder on the file store, as `ninsho import` adds them (one batch).
//! Prints "what wall_ms cpu_ms" per run.
//!
//!     file_store_time [ITEMS] [RUNS]      default 1000 items, 5 runs

use std::time::Instant;

use ninsho::vault::SecretStore;
use ninsho::vault::file_store::FileStore;

#[path = "support/cpu.rs"]
mod cpu;
use cpu::cpu_ms;

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(ninsho::vault::file_store::FILE_NAME);
    let password = "bench file store password";
    let item = vec![b'x'; 300];
    {
        let store = FileStore::create(&path, password).unwrap();
        // One write of all (as a move into the file store makes), timed.
        let ids: Vec<String> = (0..count).map(|i| format!("{:08x}-item", i)).collect();
        let items: Vec<(&str, &str, &[u8])> = ids
            .iter()
            .map(|id| (id.as_str(), "Ninsho: Service (user)", item.as_slice()))
            .collect();
        let (wall, cpu) = (Instant::now(), cpu_ms());
        store.set_many(&items, &mut |_| {}).unwrap();
        println!(
            "write-all {:.1} {:.1}",
            wall.elapsed().as_secs_f64() * 1000.0,
            cpu_ms() - cpu
        );
    }
    for _ in 0..runs {
        let (wall, cpu) = (Instant::now(), cpu_ms());
        let store = FileStore::open(&path, password).unwrap();
        println!(
            "open {:.1} {:.1}",
            wall.elapsed().as_secs_f64() * 1000.0,
            cpu_ms() - cpu
        );
        let (wall, cpu) = (Instant::now(), cpu_ms());
        let ids = store.ids().unwrap();
        for id in &ids {
            assert_eq!(store.get(id).unwrap().unwrap().len(), 300);
        }
        println!(
            "read-all {:.1} {:.1}",
            wall.elapsed().as_secs_f64() * 1000.0,
            cpu_ms() - cpu
        );
    }
    import(count, password);
}

/// `count` accounts imported into a new data folder on the file store.
fn import(count: usize, password: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = ninsho::vault::choice::file_path(dir.path());
    let store = FileStore::create(&path, password).unwrap();
    let accounts: Vec<ninsho::otp::OtpAccount> = (0..count)
        .map(|i| {
            let uri = format!(
                "otpauth://totp/Service{i}:user{i}?secret=JBSWY3DPEHPK3PXP&issuer=Service{i}"
            );
            ninsho::otp::parse_uri(&uri).unwrap().account
        })
        .collect();
    let mut vault = ninsho::vault::Vault::open(dir.path(), store).unwrap();
    let (wall, cpu) = (Instant::now(), cpu_ms());
    let report = vault.add(accounts, &mut |_, _| {}).unwrap();
    assert_eq!(report.added.len(), count);
    println!(
        "import {:.1} {:.1}",
        wall.elapsed().as_secs_f64() * 1000.0,
        cpu_ms() - cpu
    );
}
