//! Protects: accounts round-trip through the real Secret Service (gnome-keyring)
//! via the CLI, one item per account, and no secret ever lands in the data folder.

mod common;

use common::{Env, all_files, assert_clean_error, real_keyring};

const GITHUB: &str =
    "otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";

#[test]
fn add_list_code_remove_through_the_real_keyring() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    assert!(
        env.ok(&["add", GITHUB])
            .contains("added GitHub (alice@example.com)")
    );
    // Secret from standard input keeps it out of the process list and shell history.
    let out = env.run_with_stdin(
        &[
            "add",
            "--issuer",
            "ツイッター",
            "--account",
            "山田太郎",
            "--secret",
            "-",
            "--digits",
            "8",
            "--algorithm",
            "SHA256",
        ],
        "gezd gnbv gy3t qojq\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = env.run(&[
        "add",
        "otpauth://hotp/Bank:me?secret=MFRGGZDFMZTWQ2LK&counter=7",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // One keyring item per account, named by the account's UUID, as libsecret sees it.
    let list: Vec<serde_json::Value> = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(list.len(), 3);
    let mut ids: Vec<String> = list
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    assert_eq!(env.keyring_items(), ids);
    let value = env.keyring_value(list[0]["id"].as_str().unwrap());
    assert!(
        value.contains("JBSWY3DPEHPK3PXP"),
        "the item holds the secret"
    );
    for a in &list {
        assert!(a.get("secret").is_none());
    }
    assert_eq!(list[1]["issuer"], "ツイッター");
    assert_eq!(list[2]["counter"], 7);

    let text = env.ok(&["list"]);
    assert!(text.contains("GitHub") && text.contains("山田太郎") && !text.contains("JBSW"));

    // Codes agree with the RFC arithmetic done independently by `code --uri`.
    let at = "1700000000";
    let expect = |uri: &str| env.ok(&["code", "--uri", uri, "--at", at]);
    assert_eq!(env.ok(&["code", "github", "--at", at]), expect(GITHUB));
    assert_eq!(
        env.ok(&["code", "山田", "--at", at]),
        expect("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&digits=8&algorithm=SHA256")
    );
    // HOTP: the code stays until the user asks for the next one, then the counter persists.
    let hotp = |c: u64| {
        expect(&format!(
            "otpauth://hotp/x?secret=MFRGGZDFMZTWQ2LK&counter={c}"
        ))
    };
    assert_eq!(env.ok(&["code", "bank"]), hotp(7));
    assert_eq!(env.ok(&["code", "bank"]), hotp(7));
    assert_eq!(env.ok(&["code", "bank", "--next"]), hotp(8));
    assert_eq!(env.ok(&["code", "bank"]), hotp(8));

    // Adding the same account again is refused, not doubled.
    let msg = assert_clean_error(&env.run(&["add", GITHUB]), "duplicate add");
    assert!(msg.contains("already"), "{msg}");
    assert_eq!(env.keyring_items().len(), 3);

    // Nothing secret reached the data folder.
    for (path, bytes) in all_files(env.data.path()) {
        let text = String::from_utf8_lossy(&bytes).to_uppercase();
        for secret in [
            "JBSWY3DPEHPK3PXP",
            "GEZDGNBVGY3TQOJQ",
            "MFRGGZDFMZTWQ2LK",
            "GEZD GNBV",
        ] {
            assert!(
                !text.contains(secret),
                "{} contains a secret",
                path.display()
            );
        }
    }

    // Remove asks for confirmation, then deletes metadata and keyring item.
    let msg = assert_clean_error(&env.run(&["remove", "github"]), "remove without --yes");
    assert!(
        msg.contains("GitHub (alice@example.com)") && msg.contains("--yes"),
        "{msg}"
    );
    assert!(
        env.ok(&["remove", "github", "--yes"])
            .contains("removed GitHub")
    );
    assert_eq!(env.keyring_items().len(), 2);
    assert!(
        !env.keyring_items()
            .contains(&list[0]["id"].as_str().unwrap().to_string())
    );
    let msg = assert_clean_error(&env.run(&["code", "github"]), "code after remove");
    assert!(msg.contains("no account matches \"github\""), "{msg}");
}

#[test]
fn ambiguous_query_lists_the_matches() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", "otpauth://totp/GitHub:a?secret=JBSWY3DPEHPK3PXP"]);
    env.ok(&["add", "otpauth://totp/GitLab:b?secret=GEZDGNBVGY3TQOJQ"]);
    let out = env.run(&["code", "git"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "ninsho: \"git\" matches 2 accounts; be more specific:\n  GitHub (a)\n  GitLab (b)\n"
    );

    // Many matches: twenty listed, then how many more.
    let list = env.data.path().join("shops.txt");
    let uris: Vec<String> = (1..=23)
        .map(|i| {
            let secret =
                data_encoding::BASE32_NOPAD.encode(format!("shop-secret-{i:02}").as_bytes());
            format!("otpauth://totp/Shop{i:02}:me?secret={secret}&issuer=Shop{i:02}")
        })
        .collect();
    std::fs::write(&list, uris.join("\n")).unwrap();
    env.ok(&["import", list.to_str().unwrap()]);
    let out = env.run(&["code", "shop"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines[0],
        "ninsho: \"shop\" matches 23 accounts; be more specific:"
    );
    assert_eq!(lines[1], "  Shop01 (me)");
    assert_eq!(lines[20], "  Shop20 (me)");
    assert_eq!(lines[21..], ["  and 3 more"]);
}

#[test]
fn start_up_restores_accounts_whose_metadata_was_lost() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", GITHUB]);
    std::fs::remove_file(env.data.path().join("accounts.json")).unwrap();
    let out = env.run(&["list", "--json"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("restored GitHub"));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(env.keyring_items().len(), 1);
}

#[test]
fn import_of_a_migration_export_stores_every_distinct_account() {
    if !real_keyring() {
        return;
    }
    let Some(fx) = common::fixtures() else { return };
    let env = Env::new();
    let file = fx.join("google-authenticator-migration/example_export.txt");
    let out = env.ok(&["import", file.to_str().unwrap()]);
    // The file holds the raspberrypi account four times (twice with an issuer), a
    // HOTP account and an accented name: four distinct accounts.
    assert!(
        out.contains("4 of 6 accounts added, 2 duplicates skipped"),
        "{out}"
    );
    assert_eq!(env.keyring_items().len(), 4);
    // Importing again adds nothing.
    let again = env.ok(&["import", file.to_str().unwrap()]);
    assert!(
        again.contains("0 of 6 accounts added, 6 duplicates skipped"),
        "{again}"
    );
    assert_eq!(env.keyring_items().len(), 4);
}

#[test]
fn imported_groups_are_kept() {
    if !real_keyring() {
        return;
    }
    let Some(fx) = common::fixtures() else { return };
    let env = Env::new();
    let file = fx.join("aegis-importers/aegis_plain_grouped_v2.json");
    env.ok(&["import", file.to_str().unwrap()]);
    let list: Vec<serde_json::Value> = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    let group_of = |issuer: &str| {
        list.iter().find(|a| a["issuer"] == issuer).unwrap()["group"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(group_of("Deno"), "group1");
    assert_eq!(group_of("Issuu"), "group2");
    assert_eq!(group_of("SPDX"), "");
}

#[test]
fn edit_renames_and_regroups_keeping_the_secret() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", GITHUB]);
    let at = ["--at", "1700000000"];
    let before = env.ok(&["code", "github", at[0], at[1]]);
    assert_eq!(
        env.ok(&["edit", "github", "--account", "work", "--group", "Job"]),
        "renamed GitHub (alice@example.com) to GitHub (work), group Job\n"
    );
    assert_eq!(
        env.ok(&["edit", "work", "--name", "alice"]),
        "renamed GitHub (work) to GitHub (alice)\n"
    );
    let list: Vec<serde_json::Value> = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(
        (&list[0]["issuer"], &list[0]["account"], &list[0]["group"]),
        (&"GitHub".into(), &"alice".into(), &"Job".into())
    );
    assert_eq!(env.ok(&["code", "alice", at[0], at[1]]), before);
    assert_eq!(env.keyring_items().len(), 1);

    let msg = assert_clean_error(
        &env.run(&["edit", "github", "--issuer", "", "--account", " "]),
        "edit clearing both names",
    );
    assert!(msg.contains("needs an issuer or a name"), "{msg}");
    // Nothing to change is a usage error.
    assert_eq!(env.run(&["edit", "github"]).status.code(), Some(2));
}

#[test]
fn remove_takes_several_accounts_and_checks_them_all_first() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", "otpauth://totp/GitHub:a?secret=JBSWY3DPEHPK3PXP"]);
    env.ok(&["add", "otpauth://totp/GitLab:b?secret=GEZDGNBVGY3TQOJQ"]);
    env.ok(&["add", "otpauth://totp/Bank:c?secret=MFRGGZDFMZTWQ2LK"]);
    // One query matches nothing: nothing is removed.
    let msg = assert_clean_error(
        &env.run(&["remove", "github", "nowhere", "--yes"]),
        "remove with a bad query",
    );
    assert!(msg.contains("no account matches \"nowhere\""), "{msg}");
    assert_eq!(env.keyring_items().len(), 3);
    let msg = assert_clean_error(&env.run(&["remove", "github", "gitlab"]), "no --yes");
    assert!(
        msg.contains("GitHub (a), GitLab (b)") && msg.contains("--yes"),
        "{msg}"
    );
    assert_eq!(
        env.ok(&["remove", "github", "gitlab", "github", "--yes"]),
        "removed GitHub (a)\nremoved GitLab (b)\n"
    );
    assert_eq!(env.keyring_items().len(), 1);
    assert!(env.ok(&["list"]).contains("Bank"));
}

/// `ninsho list | head -1`: the reader has gone before Ninsho writes. Every
/// command that prints ends quietly, status 0, no "Broken pipe", no panic.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", GITHUB]);
    let out = env.run_with_stdin(
        &["recovery", "add", "github"],
        "7f3a-91bc\n2d8e-44a0\n3c1b-77d2\n9e4f-05a6\n",
    );
    assert!(out.status.success());
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["code", "github"],
        &["recovery", "list", "github"],
        &["recovery", "list", "github", "--json"],
        &["recovery", "use", "github", "7f3a-91bc"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = env
            .cmd()
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} said: {stderr}");
    }
    // The command did its work although nobody read what it said.
    let used = env.ok(&["recovery", "list", "github"]);
    assert!(used.contains("7f3a-91bc  (used)"), "{used}");

    // The pipeline as typed in a shell.
    let shell = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' list | head -1",
            common::binary()
        ))
        .env("NINSHO_DATA_DIR", env.data.path())
        .env("NINSHO_KEYRING_SERVICE", &env.service)
        .output()
        .unwrap();
    assert!(
        shell.status.success(),
        "{}",
        String::from_utf8_lossy(&shell.stderr)
    );
    assert!(
        shell.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&shell.stderr)
    );
    assert!(String::from_utf8_lossy(&shell.stdout).starts_with("ISSUER"));
}

/// Japanese names are two cells a character: the columns after them still line up.
#[test]
fn list_aligns_japanese_names_by_display_width() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", GITHUB]);
    env.ok(&[
        "add",
        "otpauth://totp/%E3%83%84%E3%82%A4%E3%83%83%E3%82%BF%E3%83%BC:%E5%B1%B1%E7%94%B0%E5%A4%AA%E9%83%8E?secret=MFRGGZDFMZTWQ2LK",
    ]);
    let text = env.ok(&["list"]);
    let cells = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    let type_at: Vec<usize> = text
        .lines()
        .map(|l| {
            let at = l.find("TYPE").or_else(|| l.find("totp")).unwrap();
            cells(&l[..at])
        })
        .collect();
    assert_eq!(type_at.len(), 3, "{text}");
    assert!(type_at.iter().all(|&c| c == type_at[0]), "{text}");
    assert!(text.contains("ツイッター  山田太郎"), "{text}");
}
