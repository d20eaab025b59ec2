//! Image bytes to QR payloads to accounts, as `ninsho scan FILE` does. Every
//! input goes through both size-checked decoders (bombs included): the one
//! files take (`decode_luma`: PNG straight to grey, else `image`) and the one
//! screen captures from the desktop portal take (`decode_image`). Only small
//! pictures go on to the QR search, which is slow on large ones by design and
//! has its own time budget.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ninsho::scan::{decode_image, decode_luma, find_payloads, report_from_payloads};

const MAX_SCANNED_PIXELS: u64 = 512 * 512;

fuzz_target!(|data: &[u8]| {
    let _ = decode_image(data);
    let Ok(luma) = decode_luma(data) else {
        return;
    };
    if u64::from(luma.width()) * u64::from(luma.height()) <= MAX_SCANNED_PIXELS {
        let _ = report_from_payloads(&find_payloads(&luma));
    }
});
