//! Protects: Google Authenticator transfer URIs from the real extract_otp_secrets
//! test files decode to exactly the accounts its reference output lists.

mod common;

use common::{Env, assert_clean_error};
use ninsho::formats;

#[test]
fn example_export_matches_reference_output() {
    let Some(fx) = common::fixtures() else { return };
    let dir = fx.join("google-authenticator-migration");
    let bytes = std::fs::read(dir.join("example_export.txt")).unwrap();
    let format = formats::detect(&bytes).unwrap();
    assert_eq!(format.name, "otpauth");
    let found = format.read(&bytes, None).unwrap();
    assert!(found.skipped.is_empty(), "{:?}", found.skipped);
    let expected: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.join("example_output.json")).unwrap()).unwrap();
    assert_eq!(found.accounts.len(), expected.len());
    for (got, want) in found.accounts.iter().zip(&expected) {
        assert_eq!(got.name, want["name"].as_str().unwrap());
        assert_eq!(got.issuer, want["issuer"].as_str().unwrap());
        assert_eq!(
            got.secret.to_base32().as_str(),
            want["secret"].as_str().unwrap()
        );
        assert_eq!(got.params.kind.as_str(), want["type"].as_str().unwrap());
        assert_eq!(got.params.counter_opt(), want["counter"].as_u64());
        // The reference URI carries the same secret and parameters. (Its label
        // "encoding%3A%20…" reads as issuer "encoding" under the Key URI rules, so
        // names are compared from the JSON fields above, not from the URI.)
        let reference = ninsho::otp::parse_uri(want["url"].as_str().unwrap())
            .unwrap()
            .account;
        assert_eq!(reference.secret, got.secret);
        assert_eq!(reference.params, got.params);
    }
}

#[test]
fn dry_run_json_has_exactly_the_product_keys_and_stores_nothing() {
    let Some(fx) = common::fixtures() else { return };
    let env = Env::new();
    let file = fx.join("google-authenticator-migration/example_export.txt");
    let out = env.ok(&["import", file.to_str().unwrap(), "--dry-run", "--json"]);
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    // Six entries, of which the raspberrypi pair (with and without issuer) repeats.
    assert_eq!(list.len(), 4);
    for a in &list {
        let mut keys: Vec<&str> = a.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "account",
                "algorithm",
                "counter",
                "digits",
                "issuer",
                "kind",
                "period",
                "secret"
            ]
        );
    }
    let hotp = list.iter().find(|a| a["kind"] == "hotp").unwrap();
    assert_eq!(hotp["counter"], 4);
    assert_eq!(hotp["period"], serde_json::Value::Null);
    assert_eq!(hotp["account"], "hotp demo");
    assert!(
        list.iter()
            .any(|a| a["account"] == "encoding: ¿äÄéÉ? (demo)")
    );
    assert!(
        !env.data.path().join("accounts.json").exists(),
        "dry run stores nothing"
    );
}

#[test]
fn plus_signs_in_transfer_data_are_base64_not_spaces() {
    let Some(fx) = common::fixtures() else { return };
    let bytes =
        std::fs::read(fx.join("google-authenticator-migration/test_plus_problem_export.txt"))
            .unwrap();
    let found = formats::by_name("otpauth")
        .unwrap()
        .read(&bytes, None)
        .unwrap();
    let names: Vec<String> = found
        .accounts
        .iter()
        .map(|a| format!("{}:{}", a.issuer, a.name))
        .collect();
    assert_eq!(
        names,
        [1, 2, 3, 4].map(|i| format!("SerenityLabs:test{i}@serenitylabs.co.uk"))
    );
}

#[test]
fn broken_transfer_files_are_reported() {
    let Some(fx) = common::fixtures() else { return };
    let dir = fx.join("google-authenticator-migration");
    let env = Env::new();
    // Bad payload and nothing else: an error naming the line, nothing is added.
    let msg = assert_clean_error(
        &env.run(&[
            "import",
            dir.join("test_export_wrong_data.txt").to_str().unwrap(),
            "--dry-run",
        ]),
        "wrong data",
    );
    assert!(
        msg.contains("no account could be imported: line 1")
            && msg.contains("not a Google Authenticator export"),
        "{msg}"
    );
    // A prefix before the scheme, and prose: not an export at all.
    for f in [
        "test_export_wrong_prefix.txt",
        "test_export_wrong_content.txt",
    ] {
        let msg = assert_clean_error(&env.run(&["import", dir.join(f).to_str().unwrap()]), f);
        assert!(msg.contains(f), "{msg}");
    }
}

#[test]
fn aegis_plain_text_and_ente_exports_import() {
    let Some(fx) = common::fixtures() else { return };
    for f in ["plain.txt", "ente_auth.txt"] {
        let bytes = std::fs::read(fx.join("aegis-importers").join(f)).unwrap();
        let found = formats::detect(&bytes).unwrap().read(&bytes, None).unwrap();
        assert_eq!(found.accounts.len(), 7, "{f}");
        let steam = found
            .accounts
            .iter()
            .find(|a| a.issuer == "Boeing")
            .unwrap();
        assert_eq!(steam.params.kind, ninsho::otp::Kind::Steam);
        let wwe = found.accounts.iter().find(|a| a.issuer == "WWE").unwrap();
        assert_eq!(wwe.params.counter, 10300);
        assert_eq!(wwe.params.digits, 8);
        let canada = found
            .accounts
            .iter()
            .find(|a| a.name == "Benjamin")
            .unwrap();
        assert_eq!(canada.issuer, "Air Canada");
    }
}
