//! Reads every Ninsho secret straight from the keyring, with no window and no
//! parsing: the floor for "time until all codes show" in benches/window.sh.
//! Usage: keyring_read DATA_DIR (service from NINSHO_KEYRING_SERVICE).

use ninsho::vault::SecretStore;
use ninsho::vault::keyring::{KeyringStore, service_name};

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: keyring_read DATA_DIR");
    let start = std::time::Instant::now();
    let meta = ninsho::vault::meta::load(&std::path::Path::new(&dir).join("accounts.json"))?;
    let store = KeyringStore::connect(&service_name())?;
    let mut n = 0;
    for e in &meta.accounts {
        if store.get(&e.id.to_string())?.is_some() {
            n += 1;
        }
    }
    println!("{n} {:.0}", start.elapsed().as_secs_f64() * 1000.0);
    Ok(())
}
