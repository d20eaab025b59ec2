//! Protects: `ninsho scan --screen` reads a QR code shown in a real window on the
//! X display (Xvfb under `.ci/test`), the way a user scans a 2FA setup page.

mod common;
#[path = "support/corpus.rs"]
mod corpus;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Env;

/// Kills the image viewer even when an assertion fails.
struct Viewer(std::process::Child);

impl Drop for Viewer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn screen_scan_reads_a_code_shown_in_a_window() {
    if std::env::var_os("DISPLAY").is_none() {
        assert!(!common::in_harness(), ".ci/test runs the suite under Xvfb");
        eprintln!("skipped: no X display (DISPLAY is unset); run the suite with `bash .ci/test`");
        return;
    }
    if !common::have_tool("feh") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("setup-page.png");
    let uri = "otpauth://totp/ScreenTest:alice?secret=KRSXG5CTMVRXEZLUKN2XAZLSOQ&issuer=ScreenTest";
    std::fs::write(&file, corpus::code_page(&[uri], 6)).unwrap();
    let _viewer = Viewer(
        Command::new("feh")
            .args(["--borderless", "--geometry", "+40+40"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let env = Env::new();
    // The window takes a moment to map and paint; scan until it shows. The
    // limit only guards against a hang: on a busy machine feh may take long to
    // paint, and the verdict must not depend on that.
    let deadline = Instant::now() + Duration::from_secs(300);
    let out = loop {
        let out = env.run(&["scan", "--screen", "--json"]);
        if out.status.success() || Instant::now() > deadline {
            break out;
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["issuer"], "ScreenTest");
    assert_eq!(list[0]["account"], "alice");
    assert_eq!(list[0]["secret"], "KRSXG5CTMVRXEZLUKN2XAZLSOQ");
}

#[test]
fn screen_scan_without_a_display_is_a_clear_error() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["scan", "--screen"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let msg = common::assert_clean_error(&out, "no display");
    assert!(
        msg.contains("neither DISPLAY nor WAYLAND_DISPLAY is set"),
        "{msg}"
    );
}
