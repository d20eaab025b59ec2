//! Protects: an import's size is bounded and its report stays readable: more
//! than 100 000 accounts is one clear error, repeated notes (skipped entries,
//! incomplete transfer batches, duplicates) are summarised after the first
//! few, and duplicate checks stay exact at scale. Timings are in TRUST.md.

mod common;

use common::{Env, assert_clean_error};
use ninsho::otp::migration::{encode_payloads, migration_uri};
use ninsho::otp::parse_uri;

fn dry_run(env: &Env, text: &str) -> std::process::Output {
    let file = env.data.path().join("list.txt");
    std::fs::write(&file, text).unwrap();
    env.run(&["import", "--dry-run", file.to_str().unwrap()])
}

fn uri(i: usize) -> String {
    // Distinct secrets: 16 base32 characters from the number.
    let secret: String = format!("{i:016}")
        .chars()
        .map(|c| (b'A' + (c as u8 - b'0')) as char)
        .collect();
    format!("otpauth://totp/Site{i}:me?secret={secret}&issuer=Site{i}\n")
}

#[test]
fn more_than_the_cap_is_one_clear_error() {
    let env = Env::new();
    let text: String = (0..100_001).map(uri).collect();
    let out = dry_run(&env, &text);
    let msg = assert_clean_error(&out, "100 001 accounts");
    assert!(
        msg.contains("more than 100000 accounts; Ninsho imports at most 100000 at a time"),
        "{msg}"
    );
}

#[test]
fn repeated_notes_are_summarised_and_duplicates_flagged() {
    let env = Env::new();
    let mut text = String::new();
    for i in 0..3 {
        text.push_str(&uri(i));
    }
    // 25 exact repeats of the first account, and 100 broken lines.
    for _ in 0..25 {
        text.push_str(&uri(0));
    }
    for i in 0..100 {
        text.push_str(&format!("otpauth://totp/Bad{i}?secret=JBSW1\n"));
    }
    // Eight transfer batches of two codes, each with its second code missing.
    for batch in 1..=8 {
        let account = parse_uri(uri(100 + batch).trim()).unwrap().account;
        let (payloads, _) = encode_payloads(&[account.clone(), account], 1, batch as i32);
        text.push_str(&migration_uri(&payloads[0]));
        text.push('\n');
    }
    let out = dry_run(&env, &text);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    let count = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count("ninsho: skipped line"), 20, "{stderr}");
    assert!(
        lines.contains(&"ninsho: … and 80 more entries skipped"),
        "{stderr}"
    );
    assert_eq!(count("ninsho: 1 of 2 transfer codes read"), 5, "{stderr}");
    assert!(
        lines.contains(&"ninsho: and 3 more transfer batches are incomplete in the same way"),
        "{stderr}"
    );
    assert_eq!(
        count("ninsho: duplicate, would skip: Site0 (me)"),
        20,
        "{stderr}"
    );
    assert!(
        lines.contains(&"ninsho: … and 5 more duplicates"),
        "{stderr}"
    );
    // Each distinct account once: the three, and the eight from the batches.
    assert_eq!(stdout.lines().count(), 3 + 8, "{stdout}");
    assert_eq!(
        stdout
            .lines()
            .filter(|l| *l == "would add Site0 (me)")
            .count(),
        1
    );
}
