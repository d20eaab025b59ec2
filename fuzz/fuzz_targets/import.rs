//! Every import format's reader, unencrypted path. The first byte picks the
//! format (`byte % (formats + 1)`; the last value means "detect it, as `ninsho
//! import` does without --format"); the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ninsho::formats::{REGISTRY, detect};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, file)) = data.split_first() else {
        return;
    };
    let pick = usize::from(selector) % (REGISTRY.len() + 1);
    let format = match REGISTRY.get(pick) {
        Some(f) => f,
        None => match detect(file) {
            Ok(f) => f,
            Err(_) => return,
        },
    };
    let _ = format.read(file, None);
});
