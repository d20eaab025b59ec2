//! Image bytes to QR payloads to accounts, as `ninsho scan FILE` does. Every
//! input goes through the size-checked decoder (bombs included); only small
//! decoded images go on to the QR search, which is slow on large ones by design
//! and has its own time budget.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ninsho::scan::{decode_image, scan_image};

const MAX_SCANNED_PIXELS: u64 = 512 * 512;

fuzz_target!(|data: &[u8]| {
    let Ok(image) = decode_image(data) else {
        return;
    };
    if u64::from(image.width()) * u64::from(image.height()) <= MAX_SCANNED_PIXELS {
        let _ = scan_image(&image);
    }
});
