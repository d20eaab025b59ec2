//! Protects: `ninsho code --uri … --at T` agrees with oathtool (OATH Toolkit, an
//! independent implementation) on hundreds of random secrets, parameters and times.

mod common;

use std::process::Command;

use rand::{Rng, SeedableRng};

fn base32(bytes: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(bytes)
}

#[test]
fn codes_agree_with_oathtool_on_random_cases() {
    if !common::have_tool("oathtool") {
        return;
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x6e696e73686f);
    let cases = 300;
    for case in 0..cases {
        let len = rng.random_range(10..=64);
        let secret: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        let b32 = base32(&secret);
        let (alg, oath_alg) =
            [("SHA1", "sha1"), ("SHA256", "sha256"), ("SHA512", "sha512")][rng.random_range(0..3)];
        // oathtool supports 6, 7 and 8 digits.
        let digits = rng.random_range(6..=8);
        // Times across 64-bit range oathtool can print (beyond 2038 included).
        let at: u64 = rng.random_range(0..=32_503_680_000);
        // Lenient input: sometimes lower-case, padded or spaced.
        let shown = match case % 4 {
            0 => b32.to_lowercase(),
            1 => format!("{b32}{}", "=".repeat((8 - b32.len() % 8) % 8)),
            2 => b32
                .chars()
                .collect::<Vec<_>>()
                .chunks(4)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("%20"),
            _ => b32.clone(),
        };
        // oathtool's HOTP mode is SHA1 only.
        let hotp = case % 5 == 0;
        let (alg, oath_alg) = if hotp { ("SHA1", "") } else { (alg, oath_alg) };
        let (uri, oath_args) = if hotp {
            let counter: u64 = rng.random_range(0..=u32::MAX as u64 * 4);
            (
                format!(
                    "otpauth://hotp/T:x?secret={shown}&algorithm={alg}&digits={digits}&counter={counter}"
                ),
                vec![
                    format!("--hotp{oath_alg}"),
                    format!("-c{counter}"),
                    format!("-d{digits}"),
                    "-b".into(),
                    b32.clone(),
                ],
            )
        } else {
            let period = [1u64, 15, 30, 30, 60, 90, 3600][rng.random_range(0..7)];
            (
                format!(
                    "otpauth://totp/T:x?secret={shown}&algorithm={alg}&digits={digits}&period={period}"
                ),
                vec![
                    format!("--totp={oath_alg}"),
                    format!("-s{period}"),
                    format!("-N@{at}"),
                    format!("-d{digits}"),
                    "-b".into(),
                    b32.clone(),
                ],
            )
        };
        let ours = Command::new(env!("CARGO_BIN_EXE_ninsho"))
            .args(["code", "--uri", &uri, "--at", &at.to_string()])
            .output()
            .unwrap();
        assert!(
            ours.status.success(),
            "case {case}: {}",
            String::from_utf8_lossy(&ours.stderr)
        );
        let theirs = Command::new("oathtool").args(&oath_args).output().unwrap();
        assert!(
            theirs.status.success(),
            "oathtool {oath_args:?}: {}",
            String::from_utf8_lossy(&theirs.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&ours.stdout).trim(),
            String::from_utf8_lossy(&theirs.stdout).trim(),
            "case {case}: {uri} at {at}"
        );
    }
}
