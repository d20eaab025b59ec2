//! Reads every Ninsho secret from the keyring and prints "COUNT MS" (ms since
//! main). Used by benches/window.sh and benches/cli.sh.
//!
//!     keyring_read DATA_DIR           raw: metadata file + one keyring get per
//!                                     item, no parsing (the keyring's floor)
//!     keyring_read DATA_DIR --vault   Ninsho's path: Vault::open, then
//!                                     Vault::account per entry (item JSON,
//!                                     base32 secret, checks)
//!
//! The service comes from NINSHO_KEYRING_SERVICE.

use ninsho::vault::keyring::{KeyringStore, service_name};
use ninsho::vault::{SecretStore, Vault};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir =
        std::path::PathBuf::from(args.next().expect("usage: keyring_read DATA_DIR [--vault]"));
    let through_vault = args.next().as_deref() == Some("--vault");
    let start = std::time::Instant::now();
    let mut n = 0;
    if through_vault {
        let vault = Vault::open(&dir, KeyringStore::connect(&service_name())?)?;
        for e in vault.entries() {
            vault.account(e)?;
            n += 1;
        }
    } else {
        let meta = ninsho::vault::meta::load(&dir.join("accounts.json"))?;
        let store = KeyringStore::connect(&service_name())?;
        for e in &meta.accounts {
            if store.get(&e.id.to_string())?.is_some() {
                n += 1;
            }
        }
    }
    println!("{n} {:.0}", start.elapsed().as_secs_f64() * 1000.0);
    Ok(())
}
