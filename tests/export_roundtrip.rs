//! Protects: a large import lands every account in the real keyring with working
//! codes, and what `ninsho export` writes (plain or encrypted Aegis vaults, URI
//! lists) imports back to the very same accounts, safely written and only with
//! the right password.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use common::{Env, all_files, assert_clean_error, real_keyring};
use ninsho::otp::{Algorithm, Kind, OtpAccount, Params, Secret, format_uri};
use rand::{Rng, SeedableRng};

/// `n` accounts covering every kind, algorithm and a spread of digits and
/// periods, with unique issuers so `ninsho code ISSUER` is unambiguous.
fn generated(n: usize) -> Vec<OtpAccount> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(6);
    (0..n)
        .map(|i| {
            let mut key = vec![0u8; 10 + i % 30];
            rng.fill(&mut key[..]);
            let algorithm = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512][i % 3];
            let params = match i % 4 {
                0 => Params {
                    kind: Kind::Totp,
                    algorithm,
                    digits: 6 + (i % 5) as u8,
                    period: [30, 60, 20, 1][i / 4 % 4],
                    counter: 0,
                },
                1 => Params {
                    kind: Kind::Hotp,
                    algorithm,
                    digits: 6 + (i % 3) as u8,
                    period: 30,
                    counter: rng.random_range(0..1_000_000),
                },
                2 => Params::steam(30),
                _ => Params::default(),
            };
            OtpAccount {
                issuer: format!("Svc{i:04}"),
                name: format!("user{i}@example.com"),
                secret: Secret::from_bytes(key).unwrap(),
                params,
                extra: vec![],
            }
        })
        .collect()
}

fn uri_file(dir: &Path, accounts: &[OtpAccount]) -> std::path::PathBuf {
    let path = dir.join("accounts.txt");
    let text: String = accounts
        .iter()
        .map(|a| format!("{}\n", format_uri(a).as_str()))
        .collect();
    std::fs::write(&path, text).unwrap();
    path
}

/// Everything Ninsho holds, secrets included, as a set of canonical URIs.
fn held(env: &Env) -> BTreeSet<String> {
    let out = env.data.path().join("held.txt");
    let _ = std::fs::remove_file(&out);
    env.ok(&[
        "export",
        "--format",
        "otpauth",
        "--output",
        out.to_str().unwrap(),
    ]);
    let set = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    std::fs::remove_file(&out).unwrap();
    set
}

fn canonical(accounts: &[OtpAccount]) -> BTreeSet<String> {
    accounts.iter().map(|a| format_uri(a).to_string()).collect()
}

#[test]
fn five_hundred_accounts_import_through_the_real_keyring_with_correct_codes() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    let accounts = generated(500);
    let file = uri_file(env.data.path(), &accounts);
    let started = Instant::now();
    let out = env.ok(&["import", file.to_str().unwrap()]);
    let took = started.elapsed();
    eprintln!("500-account import through the real keyring took {took:.2?}");
    assert!(
        out.contains("500 of 500 accounts added"),
        "{}",
        out.lines().last().unwrap_or_default()
    );
    std::fs::remove_file(&file).unwrap();
    assert_eq!(env.keyring_items().len(), 500);

    // Every account the keyring now holds gives the library's code for it.
    // (`code --uri` per exported URI: `code QUERY` re-checks the whole keyring on
    // each start, about half a second at 500 items, so only a sample goes that way.)
    let at = 1_700_000_000 + 12_345;
    let stored = held(&env);
    assert_eq!(stored, canonical(&accounts));
    let by_uri: std::collections::HashMap<String, &OtpAccount> = accounts
        .iter()
        .map(|a| (format_uri(a).to_string(), a))
        .collect();
    for uri in &stored {
        let got = env.ok(&["code", "--uri", uri, "--at", &at.to_string()]);
        assert_eq!(got.trim(), by_uri[uri].code_at(at));
    }
    let started = Instant::now();
    for a in accounts.iter().step_by(25) {
        let got = env.ok(&["code", &a.issuer, "--at", &at.to_string()]);
        assert_eq!(got.trim(), a.code_at(at), "{}", a.issuer);
    }
    eprintln!(
        "`ninsho code QUERY` with 500 accounts: {:.2?} per call",
        started.elapsed() / 20
    );
    for (path, bytes) in all_files(env.data.path()) {
        let text = String::from_utf8_lossy(&bytes);
        for a in accounts.iter().step_by(25) {
            assert!(
                !text.contains(a.secret.to_base32().as_str()),
                "a secret leaked into {}",
                path.display()
            );
        }
    }
}

fn export(env: &Env, format: &str, out: &Path, password: Option<&Path>) -> std::process::Output {
    let mut args = vec![
        "export",
        "--format",
        format,
        "--output",
        out.to_str().unwrap(),
    ];
    if let Some(p) = password {
        args.extend(["--password-file", p.to_str().unwrap()]);
    }
    env.run(&args)
}

#[test]
fn aegis_exports_import_back_to_identical_accounts() {
    if !real_keyring() {
        return;
    }
    let source = Env::new();
    let accounts = generated(24);
    let file = uri_file(source.data.path(), &accounts);
    source.ok(&["import", file.to_str().unwrap()]);
    let outdir = tempfile::tempdir().unwrap();
    let password = outdir.path().join("password");
    std::fs::write(&password, "correct horse battery staple\n").unwrap();
    let wrong = outdir.path().join("wrong");
    std::fs::write(&wrong, "correct horse battery stapler\n").unwrap();

    for (format, pw) in [("aegis", None), ("aegis-encrypted", Some(&password))] {
        let out_file = outdir.path().join(format!("{format}.json"));
        let out = export(&source, format, &out_file, pw.map(|p| p.as_path()));
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out_file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{format}: export readable by others");
        }
        let text = std::fs::read_to_string(&out_file).unwrap();
        let plain = accounts
            .iter()
            .any(|a| text.contains(a.secret.to_base32().as_str()));
        assert_eq!(plain, pw.is_none(), "{format}: secrets in the clear?");

        let target = Env::new();
        let path = out_file.to_str().unwrap();
        if let Some(pw) = pw {
            let msg = assert_clean_error(
                &target.run(&["import", path, "--password-file", wrong.to_str().unwrap()]),
                "wrong password",
            );
            assert!(msg.contains("wrong password for this Aegis vault"), "{msg}");
            let msg = assert_clean_error(&target.run(&["import", path]), "no password");
            assert!(msg.contains("pass --password-file"), "{msg}");
            assert!(target.keyring_items().is_empty());
            target.ok(&["import", path, "--password-file", pw.to_str().unwrap()]);
        } else {
            target.ok(&["import", path]);
        }
        assert_eq!(held(&target), canonical(&accounts), "{format}");
        let names = |env: &Env| -> Vec<String> {
            let list: Vec<serde_json::Value> =
                serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
            list.iter()
                .map(|a| format!("{}|{}", a["issuer"], a["account"]))
                .collect()
        };
        assert_eq!(names(&target), names(&source), "{format}: order or names");
    }
}

#[test]
fn encrypted_aegis_export_uses_aegis_own_key_slot_layout() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    let file = uri_file(env.data.path(), &generated(3));
    env.ok(&["import", file.to_str().unwrap()]);
    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "test").unwrap();
    let out = dir.path().join("vault.json");
    assert!(
        export(&env, "aegis-encrypted", &out, Some(&pw))
            .status
            .success()
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["version"], 1);
    let slot = &v["header"]["slots"][0];
    assert_eq!(
        (&slot["type"], &slot["n"], &slot["r"], &slot["p"]),
        (
            &serde_json::json!(1),
            &serde_json::json!(32768),
            &serde_json::json!(8),
            &serde_json::json!(1)
        )
    );
    let hex_len = |v: &serde_json::Value| v.as_str().unwrap().len();
    assert_eq!(hex_len(&slot["key"]), 64);
    assert_eq!(hex_len(&slot["salt"]), 64);
    assert_eq!(hex_len(&slot["key_params"]["nonce"]), 24);
    assert_eq!(hex_len(&slot["key_params"]["tag"]), 32);
    assert_eq!(hex_len(&v["header"]["params"]["nonce"]), 24);
    assert_eq!(hex_len(&v["header"]["params"]["tag"]), 32);
    assert!(v["db"].is_string());
}

#[test]
fn export_refuses_what_it_cannot_do_safely() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "pw").unwrap();
    let msg = assert_clean_error(&export(&env, "aegis-encrypted", &out, None), "no password");
    assert!(msg.contains("--password-file"), "{msg}");
    let msg = assert_clean_error(&export(&env, "pdf-someday", &out, None), "unknown format");
    assert!(msg.contains("aegis-encrypted"), "{msg}");
    let msg = assert_clean_error(&export(&env, "aegis", &out, Some(&pw)), "plain + password");
    assert!(msg.contains("not encrypted"), "{msg}");
    assert!(!out.exists());
    if real_keyring() {
        let msg = assert_clean_error(&export(&env, "aegis", &out, None), "empty vault");
        assert!(msg.contains("no accounts"), "{msg}");
        assert!(!out.exists());
    }
}

#[test]
fn plain_exports_warn_on_stderr_that_they_are_unencrypted() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP"]);
    let dir = tempfile::tempdir().unwrap();
    for format in ["otpauth", "aegis"] {
        let out = dir.path().join(format);
        let run = export(&env, format, &out, None);
        assert!(run.status.success());
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains("warning:") && stderr.contains("is not encrypted"),
            "{format}: {stderr}"
        );
        assert!(
            std::fs::read_to_string(&out)
                .unwrap()
                .contains("JBSWY3DPEHPK3PXP")
        );
    }
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "correct horse").unwrap();
    let run = export(&env, "aegis-encrypted", &dir.path().join("enc"), Some(&pw));
    assert!(run.status.success());
    assert!(!String::from_utf8_lossy(&run.stderr).contains("not encrypted"));
}
