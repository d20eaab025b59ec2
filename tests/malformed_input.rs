//! Protects: every malformed URI is an exit-1 one-line error from the CLI, never a
//! panic, and nothing is written.

mod common;

use common::{Env, assert_clean_error};

const BAD_URIS: &[(&str, &str)] = &[
    ("otpauth://totp/a?secret=JBSWY3DP&digits=0", "\"0\""),
    ("otpauth://totp/a?secret=JBSWY3DP&digits=11", "\"11\""),
    ("otpauth://totp/a?secret=JBSWY3DP&period=0", "\"0\""),
    ("otpauth://totp/a?secret=JBSW1Y3DP", "'1'"),
    ("otpauth://totp/a?secret=", "empty"),
    ("otpauth://totp/a?secret=%20%20", "empty"),
    ("otpauth://totp/a?issuer=Nobody", "no secret"),
    ("otpauth://yotp/a?secret=JBSWY3DP", "\"yotp\""),
    (
        "otpauth://totp/a?secret=JBSWY3DP&algorithm=SHA3",
        "\"SHA3\"",
    ),
    ("otpauth://hotp/a?secret=JBSWY3DP&counter=-1", "\"-1\""),
    (
        "otpauth://hotp/a?secret=JBSWY3DP&counter=99999999999999999999",
        "\"99999999999999999999\"",
    ),
    ("https://example.com/", "not an otpauth"),
    ("otpauth://totp/%C3%28?secret=JBSWY3DP", "percent-encoding"),
    ("otpauth://", "unknown OTP type"),
    ("", "not an otpauth"),
];

#[test]
fn malformed_uris_exit_1_with_a_message_naming_the_problem() {
    let env = Env::new();
    for (uri, expected) in BAD_URIS {
        for args in [vec!["code", "--uri", uri, "--at", "0"], vec!["add", uri]] {
            let msg = assert_clean_error(&env.run(&args), uri);
            assert!(msg.contains(expected), "{uri}: {msg}");
        }
    }
    assert!(
        !env.data.path().join("accounts.json").exists(),
        "a failed add writes nothing"
    );
}

#[test]
fn bad_fields_and_usage() {
    let env = Env::new();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "add", "--issuer", "X", "--secret", "JBSWY3DP", "--digits", "0",
            ],
            "\"0\"",
        ),
        (
            &[
                "add", "--issuer", "X", "--secret", "JBSWY3DP", "--period", "abc",
            ],
            "\"abc\"",
        ),
        (&["add", "--issuer", "X", "--secret", "JBSWY3D!"], "'!'"),
        (&["add", "--secret", "JBSWY3DP"], "--issuer or --account"),
        (
            &["add", "otpauth-migration://offline?data=CjUK"],
            "ninsho import",
        ),
        (
            &["import", "/nonexistent/file.txt"],
            "cannot open /nonexistent/file.txt",
        ),
        (
            &["import", "--format", "nope", "Cargo.toml"],
            "unknown format \"nope\"",
        ),
    ];
    for (args, expected) in cases {
        let msg = assert_clean_error(&env.run(args), &format!("{args:?}"));
        assert!(msg.contains(expected), "{args:?}: {msg}");
    }
    // Usage errors are exit 2 (clap), not 1.
    let out = env.run(&["code"]);
    assert_eq!(out.status.code(), Some(2));
    let out = env.run(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn garbage_import_files_are_clear_errors() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.bin");
    let mut bytes = vec![0u8; 5 * 1024 * 1024];
    let mut x: u32 = 12345;
    for b in bytes.iter_mut() {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        *b = (x >> 16) as u8;
    }
    std::fs::write(&garbage, &bytes).unwrap();
    let msg = assert_clean_error(&env.run(&["import", garbage.to_str().unwrap()]), "garbage");
    assert!(msg.contains("could not tell what kind of file"), "{msg}");
    let msg = assert_clean_error(
        &env.run(&["import", "--format", "otpauth", garbage.to_str().unwrap()]),
        "garbage as otpauth",
    );
    assert!(msg.contains("not UTF-8"), "{msg}");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    assert_clean_error(&env.run(&["import", empty.to_str().unwrap()]), "empty");
    assert!(!env.data.path().join("accounts.json").exists());
}
