//! The decrypt-then-parse path of every encrypted format, with the fixtures'
//! password "test". The first byte picks the format among the encryptable ones;
//! the rest is the file. Seeds are the real encrypted exports, so mutations reach
//! the key derivation, the decryption and (for unchanged ciphertext) the parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ninsho::formats::REGISTRY;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, file)) = data.split_first() else {
        return;
    };
    let encrypted: Vec<_> = REGISTRY.iter().filter(|f| f.encryptable).collect();
    let format = encrypted[usize::from(selector) % encrypted.len()];
    let _ = format.read(file, Some("test"));
});
