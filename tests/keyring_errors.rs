//! Protects: a missing or unusable keyring gives a one-line error naming the
//! cause and the fix, never a panic, and writes nothing. (Secret Service: unix.)
#![cfg(unix)]

mod common;
#[path = "support/crash.rs"]
mod crash;
#[path = "support/private_keyring.rs"]
mod private_keyring;

use std::process::{Command, Stdio};

use private_keyring::Bus;

use common::{Env, assert_clean_error, have_tool};

const URI: &str = "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP";

#[test]
fn no_session_bus() {
    let env = Env::new();
    let out = common::run_cmd(
        env.cmd().args(["add", URI]).env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/ninsho-test-bus",
        ),
        "",
    );
    let msg = assert_clean_error(&out, "no bus");
    assert!(
        msg.contains("keyring unavailable") && msg.contains("gnome-keyring"),
        "{msg}"
    );
    assert!(
        common::all_files(env.data.path())
            .iter()
            .all(|(p, b)| !String::from_utf8_lossy(b).contains("JBSW")
                && !p.ends_with("accounts.json")
                || String::from_utf8_lossy(b).contains("\"accounts\": []"))
    );
}

/// A private session bus with no Secret Service on it and none to activate.
fn empty_bus(config_dir: &std::path::Path) -> Option<Bus> {
    have_tool("dbus-daemon").then(|| Bus::without_activation(config_dir))
}

#[test]
fn bus_without_a_secret_service() {
    let dir = tempfile::tempdir().unwrap();
    let Some(bus) = empty_bus(dir.path()) else {
        return;
    };
    let env = Env::new();
    for args in [
        vec!["add", URI],
        vec!["code", "a"],
        vec!["remove", "a", "--yes"],
    ] {
        let out = common::run_cmd(
            env.cmd()
                .args(&args)
                .env("DBUS_SESSION_BUS_ADDRESS", &bus.address),
            "",
        );
        let msg = assert_clean_error(&out, &format!("{args:?}"));
        if args[0] == "add" {
            assert!(
                msg.contains("no Secret Service provider") && msg.contains("gnome-keyring"),
                "{msg}"
            );
        }
    }
    // Listing needs no secrets: it still works, with a warning.
    let out = common::run_cmd(
        env.cmd()
            .args(["list", "--json"])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address),
        "",
    );
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: keyring unavailable"));
}

/// A private bus with its own gnome-keyring whose login keyring is locked. No
/// display, so the unlock prompt cannot appear (as on a headless server).
struct LockedKeyring {
    bus: Bus,
    _data: tempfile::TempDir,
    _runtime: tempfile::TempDir,
}

fn locked_keyring() -> Option<LockedKeyring> {
    if !have_tool("gnome-keyring-daemon") || !have_tool("dbus-send") || !have_tool("dbus-daemon") {
        return None;
    }
    let data = tempfile::tempdir().unwrap();
    let runtime = tempfile::tempdir().unwrap();
    let bus = Bus::start(
        Command::new("dbus-daemon")
            .arg("--session")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_DATA_HOME", data.path())
            .env("XDG_RUNTIME_DIR", runtime.path())
            .stderr(Stdio::null()),
    );
    let on_bus = |cmd: &mut Command| {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .env("XDG_DATA_HOME", data.path())
            .env("XDG_RUNTIME_DIR", runtime.path())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
    };
    let mut daemon = Command::new("gnome-keyring-daemon");
    daemon.args(["--unlock", "--components=secrets"]);
    on_bus(&mut daemon);
    let out = common::run_cmd(&mut daemon, "locked-test-pass");
    assert!(out.status.success(), "gnome-keyring-daemon failed to start");
    let mut lock = Command::new("dbus-send");
    lock.args([
        "--session",
        "--print-reply",
        "--dest=org.freedesktop.secrets",
        "/org/freedesktop/secrets",
        "org.freedesktop.Secret.Service.Lock",
        "array:objpath:/org/freedesktop/secrets/collection/login",
    ]);
    on_bus(&mut lock);
    let out = common::run_cmd(&mut lock, "");
    assert!(
        out.status.success(),
        "could not lock: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(LockedKeyring {
        bus,
        _data: data,
        _runtime: runtime,
    })
}

#[test]
fn locked_keyring_is_named_with_the_fix() {
    if !common::in_harness() {
        eprintln!("skipped: starts its own gnome-keyring; run with `bash .ci/test`");
        return;
    }
    let Some(k) = locked_keyring() else { return };
    let env = Env::new();
    let out = common::run_cmd(
        env.cmd()
            .args(["add", URI])
            .env("DBUS_SESSION_BUS_ADDRESS", &k.bus.address)
            .env_remove("DISPLAY"),
        "",
    );
    let msg = assert_clean_error(&out, "locked");
    assert!(
        msg.contains("keyring is locked") && msg.contains("Unlock"),
        "{msg}"
    );
    let list = common::run_cmd(
        env.cmd()
            .args(["list", "--json"])
            .env("DBUS_SESSION_BUS_ADDRESS", &k.bus.address),
        "",
    );
    assert_eq!(
        String::from_utf8_lossy(&list.stdout).trim(),
        "[]",
        "nothing half-written"
    );
}

/// An add killed after its keyring write leaves the entry `adding` with its
/// secret saved. If the keyring is then locked, the next start cannot read the
/// items its search finds: it must say the keyring is locked and change
/// nothing, never take the unreadable items for missing ones and drop the add.
/// Once unlocked, the start finishes the add. (The search's own rule, that an
/// item it cannot read fails it, is `vault::keyring::search_tests`.)
#[test]
fn a_locked_keyring_never_makes_the_repair_drop_a_saved_add() {
    if !common::real_keyring() {
        return;
    }
    let keyring = private_keyring::PrivateKeyring::start();
    let bin = env!("CARGO_BIN_EXE_ninsho");
    let env = Env::new();
    let on_bus = |cmd: &mut std::process::Command| {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", keyring.address())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
    };
    let uri = "otpauth://totp/Locked:me?secret=JBSWY3DPEHPK3PXP&issuer=Locked";
    let mut add = env.cmd_with(bin);
    add.args(["add", uri]);
    on_bus(&mut add);
    let r = crash::run_killed(&mut add, crash::Kill::At("keyring.after-set"), None);
    assert!(r.killed);
    assert_eq!(
        crash::pending_writes(&env),
        1,
        "the add was cut after its keyring write"
    );

    keyring.lock();
    let mut list = env.cmd_with(bin);
    list.args(["list", "--json"]);
    on_bus(&mut list);
    let out = common::run_cmd(&mut list, "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("keyring is locked"), "{stderr}");
    assert!(!stderr.contains("dropped"), "{stderr}");
    assert_eq!(
        crash::pending_writes(&env),
        1,
        "the locked start changed the entry"
    );

    keyring.restart();
    let out = common::run_cmd(&mut list, "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("repaired: finished adding"), "{stderr}");
    assert_eq!(crash::pending_writes(&env), 0);
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.len(), 1);
}
