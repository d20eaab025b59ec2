//! Google Authenticator transfer data: the protobuf payload as raw bytes, and the
//! same bytes read as an `otpauth-migration://` URI (base64, percent-encoding).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ninsho::otp::migration::{decode_payload, parse_migration_uri};

fuzz_target!(|data: &[u8]| {
    let _ = decode_payload(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_migration_uri(text);
    }
});
