//! Protects: recovery codes round-trip through the real keyring via `ninsho
//! recovery add | list | use | unuse | remove` — pasted as services show them,
//! duplicates ignored, used codes remembered and forgotten, unknown codes a
//! clean error — and never reach the data folder.

mod common;

use common::{Env, all_files, assert_clean_error, real_keyring};

const GITHUB: &str =
    "otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";

const CODES: [&str; 4] = ["7f3a-91bc", "2d8e-44a0", "c0ff-ee12", "b00k-5e11"];

fn list(env: &Env) -> Vec<(String, bool)> {
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&env.ok(&["recovery", "list", "github", "--json"])).unwrap();
    json.iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                c["used"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn recovery_codes_round_trip_through_the_real_keyring() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", GITHUB]);
    env.ok(&["add", "otpauth://totp/Other:bob?secret=MFRGGZDFMZTWQ2LK"]);

    // Pasted as a service shows them: several per line, one repeated.
    let stdin = format!(
        "{} {}\n{}\n\n  {}\t{}\n",
        CODES[0], CODES[1], CODES[2], CODES[3], CODES[0]
    );
    let out = env.run_with_stdin(&["recovery", "add", "github"], &stdin);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("added 4 recovery codes to GitHub (alice@example.com)")
            && said.contains("1 already there"),
        "{said}"
    );
    // Adding one again, typed differently, changes nothing.
    let out = env.run_with_stdin(&["recovery", "add", "github"], "7F3A91BC\n");
    assert!(String::from_utf8_lossy(&out.stdout).contains("added 0 recovery codes"));
    let expected: Vec<(String, bool)> = CODES.iter().map(|c| (c.to_string(), false)).collect();
    assert_eq!(list(&env), expected);

    // Marking one used, typed without its dash and in upper case.
    let said = env.ok(&["recovery", "use", "github", "2D8E44A0"]);
    assert!(
        said.contains("marked 2d8e-44a0 of GitHub (alice@example.com) used"),
        "{said}"
    );
    let now = list(&env);
    assert_eq!(now.iter().filter(|(_, used)| *used).count(), 1);
    assert!(now[1].1);
    let text = env.ok(&["recovery", "list", "github"]);
    assert!(
        text.contains("2d8e-44a0  (used)") && text.contains("7f3a-91bc\n"),
        "{text}"
    );

    let msg = assert_clean_error(
        &env.run(&["recovery", "use", "github", "0000-0000"]),
        "unknown code",
    );
    assert!(msg.contains("has no recovery code \"0000-0000\""), "{msg}");
    // The other account has none of GitHub's codes.
    assert_clean_error(
        &env.run(&["recovery", "use", "other", CODES[0]]),
        "another account's code",
    );

    // Two unused left: the user is told to get new ones. (The code comes on
    // standard input this time: `-` keeps it off the command line.)
    let out = env.run_with_stdin(
        &["recovery", "use", "github", "-"],
        &format!("{}\n", CODES[2]),
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 unused recovery codes left"));

    // The codes sit in the keyring item (as libsecret sees it), with the secret,
    // and nowhere in the data folder.
    let id = serde_json::from_str::<Vec<serde_json::Value>>(&env.ok(&["list", "--json"]))
        .unwrap()
        .into_iter()
        .find(|a| a["issuer"] == "GitHub")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let item = env.keyring_value(&id);
    assert!(
        CODES.iter().all(|c| item.contains(c)),
        "codes are in the keyring item"
    );
    assert!(item.contains("JBSWY3DPEHPK3PXP"));
    for (path, bytes) in all_files(env.data.path()) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for c in CODES {
            assert!(!text.contains(c), "{c} found in {}", path.display());
            assert!(
                !text.contains(&c.replace('-', "")),
                "{c} found in {}",
                path.display()
            );
        }
    }
    // Removing the account removes its codes with it.
    env.ok(&["remove", "github", "--yes"]);
    assert_eq!(env.keyring_items().len(), 1);
}

#[test]
fn recovery_commands_fail_cleanly() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    let msg = assert_clean_error(
        &env.run_with_stdin(&["recovery", "add", "github"], "abc\n"),
        "no account",
    );
    assert!(msg.contains("no account matches"), "{msg}");
    env.ok(&["add", GITHUB]);
    let msg = assert_clean_error(
        &env.run_with_stdin(&["recovery", "add", "github"], " \n\n"),
        "empty input",
    );
    assert!(msg.contains("no recovery codes on standard input"), "{msg}");
    let long = "x".repeat(200);
    let msg = assert_clean_error(
        &env.run_with_stdin(&["recovery", "add", "github"], &format!("ok-1 {long}\n")),
        "not a code",
    );
    assert!(msg.contains("longer than"), "{msg}");
    assert!(list(&env).is_empty(), "nothing half-written");
    let msg = assert_clean_error(
        &env.run(&["recovery", "use", "github", "abcd"]),
        "no codes yet",
    );
    assert!(msg.contains("no recovery code"), "{msg}");
}

/// Google's printable page, copied whole: a heading, the address, numbered
/// codes in two columns, the date and notes.
const GOOGLE_PAGE: &str = "BACKUP VERIFICATION CODES\nalice@gmail.com\n\n1. 8193 4421\t6. 4478 2209\n2. 2390 5817\t7. 3316 8845\n(Generated Jan 1, 2024)\n* You can only use each backup code once.\n";

#[test]
fn google_codes_keep_their_space_and_lose_their_numbers() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", GITHUB]);
    let out = env.run_with_stdin(&["recovery", "add", "github"], GOOGLE_PAGE);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("added 4 recovery codes"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ignored 4 lines that are not codes"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let codes: Vec<String> = list(&env).into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, ["8193 4421", "4478 2209", "2390 5817", "3316 8845"]);
    // Typed back with a dash instead of the space.
    let said = env.ok(&["recovery", "use", "github", "2390-5817"]);
    assert!(said.contains("marked 2390 5817 of GitHub"), "{said}");
}

#[test]
fn a_used_code_can_be_unmarked_and_a_code_removed() {
    if !real_keyring() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", GITHUB]);
    let stdin = CODES.join("\n");
    assert!(
        env.run_with_stdin(&["recovery", "add", "github"], &stdin)
            .status
            .success()
    );

    // "-" reads the code from standard input, out of the shell's history.
    let out = env.run_with_stdin(&["recovery", "use", "github", "-"], "C0FF-EE12\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(list(&env)[2].1);
    let said = env.ok(&["recovery", "unuse", "github", "c0ffee12"]);
    assert!(
        said.contains("marked c0ff-ee12 of GitHub (alice@example.com) unused"),
        "{said}"
    );
    assert!(list(&env).iter().all(|(_, used)| !used));
    let said = env.ok(&["recovery", "unuse", "github", "c0ff-ee12"]);
    assert!(said.contains("was not marked used"), "{said}");

    let out = env.run_with_stdin(&["recovery", "remove", "github", "-"], "2d8e 44a0\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("removed 2d8e-44a0 from GitHub (alice@example.com); 3 recovery codes left"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let left: Vec<String> = list(&env).into_iter().map(|(c, _)| c).collect();
    assert_eq!(left, [CODES[0], CODES[2], CODES[3]]);

    let msg = assert_clean_error(
        &env.run(&["recovery", "remove", "github", "2d8e-44a0"]),
        "removed twice",
    );
    assert!(msg.contains("has no recovery code \"2d8e-44a0\""), "{msg}");
    assert_clean_error(
        &env.run(&["recovery", "unuse", "github", "0000-0000"]),
        "unuse an unknown code",
    );
    let msg = assert_clean_error(
        &env.run_with_stdin(&["recovery", "remove", "github", "-"], "a\nb\n"),
        "two lines for one code",
    );
    assert!(msg.contains("give one code"), "{msg}");
    let msg = assert_clean_error(
        &env.run_with_stdin(&["recovery", "use", "github", "-"], "\n"),
        "empty stdin",
    );
    assert!(msg.contains("no recovery code on standard input"), "{msg}");
    assert_eq!(list(&env).len(), 3, "failed commands change nothing");
}
