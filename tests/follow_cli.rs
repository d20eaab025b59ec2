//! Protects: `ninsho follow` and `ninsho backup off` on a computer where
//! nothing is set up yet say what is wrong in one line (exit 1), or that
//! there is nothing to do (exit 0), and never create the data folder to say it;
//! an error that names its cause does not say the cause twice.

mod common;

use common::{Env, assert_clean_error, run_cmd};

#[test]
fn follow_and_backup_off_on_a_new_computer_say_so_in_one_line() {
    let env = Env::new();
    let fresh = env.data.path().join("never-made");
    let run = |args: &[&str]| run_cmd(env.cmd().env("NINSHO_DATA_DIR", &fresh).args(args), "");

    let out = run(&["follow", "remove", "/somewhere/phone"]);
    let message = assert_clean_error(&out, "follow remove, nothing followed");
    assert!(
        message.contains("/somewhere/phone is not followed"),
        "{message}"
    );

    let out = run(&[
        "follow",
        "add",
        "/no/such/folder",
        "--password-file",
        "/no/such/file",
    ]);
    let message = assert_clean_error(&out, "follow add, no password file");
    assert!(message.contains("/no/such/file"), "{message}");

    let password = env.data.path().join("pw");
    std::fs::write(&password, "secret\n").unwrap();
    let out = run(&[
        "follow",
        "add",
        "/no/such/folder",
        "--password-file",
        password.to_str().unwrap(),
    ]);
    let message = assert_clean_error(&out, "follow add, no such folder");
    assert!(
        message.contains("cannot follow /no/such/folder"),
        "{message}"
    );
    assert_eq!(
        message.matches("no such file or folder").count(),
        1,
        "the cause once: {message}"
    );

    for args in [
        &["follow", "status"][..],
        &["follow", "list"],
        &["follow", "apply", "--yes"],
    ] {
        let out = run(args);
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("no file or folder is followed"),
            "{args:?}"
        );
    }
    let out = run(&["follow", "status", "--json"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");

    let out = run(&["backup", "off"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("automatic backups were already off"));
    assert!(!fresh.exists(), "nothing was made to say so");
}
