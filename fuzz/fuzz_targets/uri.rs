//! `otpauth://` URI parsing. Beyond "never panics": a URI that parses must
//! survive the canonical round trip (format, parse again) unchanged, since that is
//! how Ninsho exports and how other apps will read it back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ninsho::otp::{format_uri, parse_uri};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = parse_uri(text) else {
        return;
    };
    let canonical = format_uri(&parsed.account);
    let again = parse_uri(&canonical).expect("a canonical URI parses");
    assert!(
        again.account == parsed.account,
        "round trip changed the account: {:?} -> {:?}",
        parsed.account,
        again.account
    );
});
