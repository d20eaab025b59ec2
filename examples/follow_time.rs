//! The cost of following another device's backups, without the keyring
//! (secrets in memory stores): a device with N accounts backs up into a folder
//! holding `KEEP` of its backups; a second device follows the folder.
//! Prints, for RUNS runs each, "what wall_ms cpu_ms":
//!
//! - `stamp`: one look at an unchanged folder, as the window makes after each
//!   change in the folder and every few minutes (the newest file's name, size
//!   and time; nothing read), averaged over 1000 looks;
//! - `check`: reading, decrypting and comparing the unchanged newest backup,
//!   as `ninsho follow status` does;
//! - `first-apply` (first run only): the first apply, adding all N accounts.
//!
//!     follow_time [ACCOUNTS] [RUNS]      default 1000 accounts, 5 runs

use std::sync::Arc;
use std::time::Instant;

use ninsho::follow::{self, Choice, Status};
use ninsho::otp::{OtpAccount, Params, Secret};
use ninsho::vault::{MemoryStore, Vault};

#[path = "support/cpu.rs"]
mod cpu;
use cpu::cpu_ms;

const KEEP: u64 = 20;

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let folder = tempfile::tempdir().unwrap();

    let phone_data = tempfile::tempdir().unwrap();
    let phone_store = Arc::new(MemoryStore::new());
    let mut phone = Vault::open(phone_data.path(), phone_store.clone()).unwrap();
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
    phone.add(accounts, &mut |_, _| {}).unwrap();
    let password = "bench follow password";
    ninsho::autobackup::turn_on(phone_data.path(), &phone_store, folder.path(), password, 20)
        .unwrap();
    let now = ninsho::vault::system_clock();
    for i in 0..KEEP {
        ninsho::autobackup::run(&phone, now + i, "phone").unwrap();
    }

    let data = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::new());
    let source = follow::add(data.path(), &store, folder.path(), None, password).expect("followed");
    let mut vault = Vault::open(data.path(), store.clone()).unwrap();
    let key = follow::key(&store).unwrap();
    let review = match follow::check(&vault, &key, &source, "desktop") {
        Status::Review(r) => r,
        _ => panic!("the backup must read"),
    };
    let (wall, cpu) = (Instant::now(), cpu_ms());
    follow::apply(
        &mut vault,
        &review,
        &Choice::all(&review, false),
        now,
        &mut |_, _| {},
    )
    .unwrap();
    println!(
        "first-apply {:.1} {:.1}",
        wall.elapsed().as_secs_f64() * 1000.0,
        cpu_ms() - cpu
    );
    let source = follow::load(data.path()).unwrap().sources.remove(0);
    let seen = follow::stamp(&source, "desktop").unwrap();

    for _ in 0..runs {
        let (wall, cpu) = (Instant::now(), cpu_ms());
        for _ in 0..1000 {
            assert_eq!(follow::stamp(&source, "desktop").unwrap(), seen);
        }
        println!(
            "stamp {:.4} {:.4}",
            wall.elapsed().as_secs_f64(),
            (cpu_ms() - cpu) / 1000.0
        );
        let (wall, cpu) = (Instant::now(), cpu_ms());
        match follow::check(&vault, &key, &source, "desktop") {
            Status::Review(r) => assert!(r.is_empty() && !r.unrecorded),
            _ => panic!("the backup must read"),
        }
        println!(
            "check {:.1} {:.1}",
            wall.elapsed().as_secs_f64() * 1000.0,
            cpu_ms() - cpu
        );
    }
}
