//! The cost of one automatic backup of N accounts without the keyring: secrets
//! in a memory store, so what is timed is `autobackup::run` itself (the
//! Aegis export with its scrypt, the write with fsyncs, the read-back with
//! its scrypt and decryption, the comparison and the pruning). Prints one line
//! per run, "wall_ms cpu_ms" (CPU: this process, user + system; 0 where
//! there is no getrusage). Used by benches/backup.sh.
//!
//!     backup_time [ACCOUNTS] [RUNS]      default 1000 accounts, 5 runs

use std::sync::Arc;

use ninsho::autobackup;
use ninsho::otp::{OtpAccount, Params, Secret};
use ninsho::vault::{MemoryStore, Vault};

#[path = "support/cpu.rs"]
mod cpu;
use cpu::cpu_ms;

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::new());
    let mut vault = Vault::open(data.path(), store.clone()).unwrap();
    let accounts: Vec<OtpAccount> = (0..count)
        .map(|i| {
            let bytes: Vec<u8> = (0..20).map(|j| (i * 31 + j * 7) as u8).collect();
            OtpAccount {
                issuer: format!("Service {i}"),
                name: format!("user{i}@example.com"),
                secret: Secret::parse_base32(&data_encoding::BASE32_NOPAD.encode(&bytes)).unwrap(),
                params: Params::default(),
                extra: vec![],
            }
        })
        .collect();
    vault.add(accounts, &mut |_, _| {}).unwrap();
    autobackup::turn_on(
        data.path(),
        &store,
        folder.path(),
        "bench backup password",
        20,
    )
    .unwrap();
    let now = ninsho::vault::system_clock();
    for run in 0..runs {
        let (wall, cpu) = (std::time::Instant::now(), cpu_ms());
        autobackup::run(&vault, now + run as u64, "bench").unwrap();
        println!("{} {:.0}", wall.elapsed().as_millis(), cpu_ms() - cpu);
    }
}
