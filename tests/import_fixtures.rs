//! Protects: every other app's export in the shared corpus imports to the same
//! seven accounts (minus only what that app itself loses), and wrong passwords,
//! truncated, corrupted and garbage files fail cleanly with nothing stored.

mod common;

use std::path::{Path, PathBuf};

use common::{Env, assert_clean_error};
use serde_json::{Value, json};

/// The canonical accounts of `aegis-importers/README.md`, in the `--json` shape.
fn canonical() -> Vec<Value> {
    let totp = |issuer, account, secret, algorithm, digits, period| {
        json!({"kind": "totp", "issuer": issuer, "account": account, "secret": secret,
               "algorithm": algorithm, "digits": digits, "period": period, "counter": null})
    };
    let hotp = |issuer, account, secret, algorithm, digits, counter| {
        json!({"kind": "hotp", "issuer": issuer, "account": account, "secret": secret,
               "algorithm": algorithm, "digits": digits, "period": null, "counter": counter})
    };
    vec![
        totp("Deno", "Mason", "4SJHB4GSD43FZBAI7C2HLRJGPQ", "SHA1", 6, 30),
        totp(
            "SPDX",
            "James",
            "5OM4WOOGPLQEF6UGN3CPEOOLWU",
            "SHA256",
            7,
            20,
        ),
        totp(
            "Airbnb",
            "Elijah",
            "7ELGJSGXNCCTV3O6LKJWYFV2RA",
            "SHA512",
            8,
            50,
        ),
        hotp("Issuu", "James", "YOOMIXWS5GN6RTBPUFFWKTW5M4", "SHA1", 6, 1),
        hotp(
            "Air Canada",
            "Benjamin",
            "KUVJJOM753IHTNDSZVCNKL7GII",
            "SHA256",
            7,
            50,
        ),
        hotp(
            "WWE",
            "Mason",
            "5VAML3X35THCEBVRLV24CGBKOY",
            "SHA512",
            8,
            10300,
        ),
        json!({"kind": "steam", "issuer": "Boeing", "account": "Sophia",
               "secret": "JRZCL47CMXVOQMNPZR2F7J4RGI", "algorithm": "SHA1", "digits": 5,
               "period": 30, "counter": null}),
    ]
}

/// The canonical accounts a source app keeps (by issuer), each passed through
/// that app's known losses.
fn expect(keep: &[&str], loss: impl Fn(&mut Value)) -> Vec<Value> {
    canonical()
        .into_iter()
        .filter(|a| keep.contains(&a["issuer"].as_str().unwrap()))
        .map(|mut a| {
            loss(&mut a);
            a
        })
        .collect()
}

const ALL: &[&str] = &[
    "Deno",
    "SPDX",
    "Airbnb",
    "Issuu",
    "Air Canada",
    "WWE",
    "Boeing",
];
const NO_STEAM: &[&str] = &["Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE"];
const TOTP_ONLY: &[&str] = &["Deno", "SPDX", "Airbnb"];

fn none(_: &mut Value) {}

/// Time-based with the app's defaults for whatever it did not store.
fn as_totp(a: &mut Value, algorithm: &str, digits: u64) {
    a["kind"] = json!("totp");
    a["period"] = json!(30);
    a["counter"] = Value::Null;
    a["algorithm"] = json!(algorithm);
    a["digits"] = json!(digits);
}

struct Case {
    file: &'static str,
    format: Option<&'static str>,
    password: Option<&'static str>,
    want: Vec<Value>,
}

fn cases() -> Vec<Case> {
    let case = |file, format, password, want| Case {
        file,
        format,
        password,
        want,
    };
    // 2FAS schema 2 kept digits and algorithm but no type: its HOTP entries come
    // back as 30-second TOTP. It also dropped SPDX, Air Canada and Boeing.
    let twofas_v2 = || {
        expect(&["Deno", "Airbnb", "Issuu", "WWE"], |a| {
            if a["kind"] == "hotp" {
                let (alg, digits) = (a["algorithm"].clone(), a["digits"].clone());
                as_totp(a, alg.as_str().unwrap(), digits.as_u64().unwrap());
            }
        })
    };
    let twofas_v4 = || expect(&["Deno", "Issuu", "Air Canada", "WWE", "Boeing"], none);
    // Bitwarden is TOTP-only; its Steam field is a bare secret named after the item.
    let bitwarden = |item: &'static str| {
        let mut want = expect(TOTP_ONLY, none);
        want.extend(expect(&["Boeing"], |a| {
            a["issuer"] = json!(item);
            a["account"] = json!("");
        }));
        want
    };
    vec![
        case("aegis_plain.json", None, None, expect(ALL, none)),
        case(
            "aegis_encrypted.json",
            None,
            Some("test"),
            expect(ALL, none),
        ),
        case("aegis_plain_grouped_v2.json", None, None, expect(ALL, none)),
        // Schema 1 stores no parameters at all: everything is TOTP SHA1/6/30.
        case(
            "2fas_authenticator.json",
            None,
            None,
            expect(NO_STEAM, |a| as_totp(a, "SHA1", 6)),
        ),
        case("2fas_authenticator_plain.2fas", None, None, twofas_v2()),
        case(
            "2fas_authenticator_encrypted.2fas",
            None,
            Some("test"),
            twofas_v2(),
        ),
        case(
            "2fas_authenticator_plain_v3.2fas",
            None,
            None,
            expect(NO_STEAM, none),
        ),
        case(
            "2fas_authenticator_encrypted_v3.2fas",
            None,
            Some("test"),
            expect(NO_STEAM, none),
        ),
        case("2fas_authenticator_plain_v4.2fas", None, None, twofas_v4()),
        case(
            "2fas_authenticator_encrypted_v4.2fas",
            None,
            Some("test"),
            twofas_v4(),
        ),
        case("andotp_plain.json", None, None, expect(ALL, none)),
        case(
            "andotp_encrypted.bin",
            Some("andotp"),
            Some("test"),
            expect(ALL, none),
        ),
        // The old format predates andOTP's Steam support.
        case(
            "andotp_encrypted_old.bin",
            Some("andotp"),
            Some("test"),
            expect(NO_STEAM, none),
        ),
        case("bitwarden.json", None, None, bitwarden("Test Steam")),
        case("bitwarden.csv", None, None, bitwarden("Test 4")),
        // FreeOTP stores HOTP counters one lower; no Steam.
        case(
            "freeotp_plus.json",
            None,
            None,
            expect(NO_STEAM, |a| {
                if let Some(c) = a["counter"].as_u64() {
                    a["counter"] = json!(c - 1);
                }
            }),
        ),
        case(
            "proton_authenticator.json",
            None,
            None,
            expect(TOTP_ONLY, none),
        ),
        case("stratum_plain.json", None, None, expect(ALL, none)),
        case(
            "stratum_encrypted.bin",
            None,
            Some("test"),
            expect(ALL, none),
        ),
        case(
            "stratum_encrypted_legacy.bin",
            None,
            Some("test"),
            expect(ALL, none),
        ),
    ]
}

fn by_secret(mut list: Vec<Value>) -> Vec<Value> {
    list.sort_by(|a, b| a["secret"].as_str().cmp(&b["secret"].as_str()));
    list
}

fn password_file(dir: &Path, password: &str) -> PathBuf {
    let p = dir.join(format!("password-{}", password.len()));
    std::fs::write(&p, format!("{password}\n")).unwrap();
    p
}

fn import_args(file: &Path, case: &Case, password: Option<&Path>) -> Vec<String> {
    let mut args = vec!["import".to_string(), file.display().to_string()];
    if let Some(f) = case.format {
        args.extend(["--format".into(), f.into()]);
    }
    if let Some(p) = password {
        args.extend(["--password-file".into(), p.display().to_string()]);
    }
    args
}

fn run(env: &Env, args: &[String]) -> std::process::Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    env.run(&refs)
}

fn nothing_stored(env: &Env, what: &str) {
    let meta = env.data.path().join("accounts.json");
    assert!(
        !meta.exists() || !std::fs::read_to_string(&meta).unwrap().contains("\"id\""),
        "{what}: accounts were stored"
    );
}

#[test]
fn every_fixture_imports_the_canonical_accounts_minus_its_apps_losses() {
    let Some(fx) = common::fixtures() else { return };
    let dir = fx.join("aegis-importers");
    let env = Env::new();
    for case in cases() {
        let file = dir.join(case.file);
        let pw = case.password.map(|p| password_file(env.data.path(), p));
        let mut args = import_args(&file, &case, pw.as_deref());
        args.extend(["--dry-run".into(), "--json".into()]);
        let out = run(&env, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {stderr}", case.file);
        assert!(
            !stderr.contains("skipped"),
            "{}: unexpected skips: {stderr}",
            case.file
        );
        for a in canonical() {
            let secret = a["secret"].as_str().unwrap();
            assert!(!stderr.contains(secret), "{}: secret on stderr", case.file);
        }
        let got: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(by_secret(got), by_secret(case.want), "{}", case.file);
    }
    nothing_stored(&env, "dry runs");
}

#[test]
fn every_fixture_is_detected_as_its_own_format() {
    let Some(fx) = common::fixtures() else { return };
    let dir = fx.join("aegis-importers");
    for case in cases().iter().filter(|c| c.format.is_none()) {
        let bytes = std::fs::read(dir.join(case.file)).unwrap();
        let format = ninsho::formats::detect(&bytes).unwrap();
        let claims: Vec<&str> = ninsho::formats::REGISTRY
            .iter()
            .filter(|f| f.detects(&bytes))
            .map(|f| f.name)
            .collect();
        assert_eq!(claims.len(), 1, "{} claimed by {claims:?}", case.file);
        let expected = case.file.split(['_', '.']).next().unwrap();
        let expected = match expected {
            "freeotp" => "freeotp-plus",
            "bitwarden" if case.file.ends_with(".csv") => "bitwarden-csv",
            other => other,
        };
        assert_eq!(format.name, expected, "{}", case.file);
    }
}

#[test]
fn aegis_groups_are_carried_beside_the_accounts() {
    let Some(fx) = common::fixtures() else { return };
    let bytes = std::fs::read(fx.join("aegis-importers/aegis_plain_grouped_v2.json")).unwrap();
    let found = ninsho::formats::aegis::FORMAT.read(&bytes, None).unwrap();
    let groups: Vec<(&str, Option<&str>)> = found
        .accounts
        .iter()
        .zip(&found.groups)
        .map(|(a, g)| (a.issuer.as_str(), g.as_deref()))
        .collect();
    assert_eq!(
        groups,
        [
            ("Deno", Some("group1")),
            ("SPDX", None),
            ("Airbnb", Some("group1")),
            ("Issuu", Some("group2")),
            ("Air Canada", None),
            ("WWE", None),
            ("Boeing", None),
        ]
    );
}

#[test]
fn wrong_or_missing_passwords_are_clear_errors_and_store_nothing() {
    let Some(fx) = common::fixtures() else { return };
    let dir = fx.join("aegis-importers");
    let env = Env::new();
    let wrong = password_file(env.data.path(), "not the password");
    for case in cases().iter().filter(|c| c.password.is_some()) {
        let file = dir.join(case.file);
        let out = run(&env, &import_args(&file, case, Some(&wrong)));
        let msg = assert_clean_error(&out, case.file);
        assert!(msg.contains("wrong password"), "{}: {msg}", case.file);
        let out = run(&env, &import_args(&file, case, None));
        let msg = assert_clean_error(&out, case.file);
        assert!(
            msg.contains("encrypted; pass --password-file"),
            "{}: {msg}",
            case.file
        );
        assert!(!msg.contains("test"), "{}: {msg}", case.file);
    }
    nothing_stored(&env, "wrong passwords");
}

#[test]
fn truncated_files_are_clear_errors_and_store_nothing() {
    let Some(fx) = common::fixtures() else { return };
    let dir = fx.join("aegis-importers");
    let env = Env::new();
    // CSV has no end marker or checksum: a Bitwarden CSV cut short is a valid,
    // shorter CSV (even a secret cut by a few letters can still be base32), so
    // truncation cannot be told apart there and the CSV is left out.
    for case in cases().into_iter().filter(|c| !c.file.ends_with(".csv")) {
        let bytes = std::fs::read(dir.join(case.file)).unwrap();
        let pw = case.password.map(|p| password_file(env.data.path(), p));
        for cut in [bytes.len() / 2, bytes.len() - 3] {
            let file = env.data.path().join(format!("cut-{cut}-{}", case.file));
            std::fs::write(&file, &bytes[..cut]).unwrap();
            let out = run(&env, &import_args(&file, &case, pw.as_deref()));
            let what = format!("{} cut at {cut} of {}", case.file, bytes.len());
            let msg = assert_clean_error(&out, &what);
            assert!(
                msg.contains("damaged") || msg.contains("ends") || msg.contains("wrong password"),
                "{what}: {msg}"
            );
        }
    }
    nothing_stored(&env, "truncated files");
}

#[test]
fn corrupted_encrypted_files_are_clear_errors() {
    let Some(fx) = common::fixtures() else { return };
    let dir = fx.join("aegis-importers");
    let env = Env::new();
    for case in cases().iter().filter(|c| c.password.is_some()) {
        let mut bytes = std::fs::read(dir.join(case.file)).unwrap();
        // Flip a bit well inside the encrypted part (for the JSON formats, a
        // base64 letter of the ciphertext: change its case).
        let at = bytes.len() * 2 / 3;
        let at = (at..bytes.len())
            .find(|&i| bytes[i].is_ascii_alphabetic() || !bytes.is_ascii())
            .unwrap();
        if bytes[at].is_ascii_alphabetic() && bytes.is_ascii() {
            bytes[at] ^= 0x20;
        } else {
            bytes[at] ^= 0x01;
        }
        let file = env.data.path().join(format!("bad-{}", case.file));
        std::fs::write(&file, &bytes).unwrap();
        let pw = password_file(env.data.path(), case.password.unwrap());
        let out = run(&env, &import_args(&file, case, Some(&pw)));
        let msg = assert_clean_error(&out, case.file);
        assert!(
            msg.contains("damaged") || msg.contains("wrong password"),
            "{}: {msg}",
            case.file
        );
    }
    nothing_stored(&env, "corrupted files");
}

#[test]
fn five_megabytes_of_garbage_is_a_clear_error_in_every_format() {
    let env = Env::new();
    // A fixed pseudo-random stream, so a failure reproduces.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let garbage: Vec<u8> = (0..5 * 1024 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let file = env.data.path().join("garbage.bin");
    std::fs::write(&file, &garbage).unwrap();
    let pw = password_file(env.data.path(), "test");
    let path = file.to_str().unwrap();
    let msg = assert_clean_error(&env.run(&["import", path]), "garbage, detected");
    assert!(msg.contains("could not tell"), "{msg}");
    for format in ninsho::formats::REGISTRY {
        let mut args = vec!["import", path, "--format", format.name];
        if format.encryptable {
            args.extend(["--password-file", pw.to_str().unwrap()]);
        }
        assert_clean_error(&env.run(&args), format.name);
    }
    nothing_stored(&env, "garbage");
}
