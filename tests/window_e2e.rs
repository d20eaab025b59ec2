//! Protects: the real binary opens a real window (Xvfb, OpenGL on Mesa) against the
//! real gnome-keyring, shows the accounts, and stays up without a crash; and its
//! Scan-screen shortcut reads a QR code that the window itself was covering.

mod common;
#[path = "support/corpus.rs"]
mod corpus;

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use common::Env;

/// The window tests find their window by title, so they take turns on the display.
static DISPLAY_TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// This test's turn on the X display; `None` (the test skips) without one,
/// which the harness never allows.
fn display_turn() -> Option<std::sync::MutexGuard<'static, ()>> {
    if std::env::var_os("DISPLAY").is_none() {
        assert!(!common::in_harness(), "the harness runs tests under Xvfb");
        eprintln!("skipped: no DISPLAY");
        return None;
    }
    Some(DISPLAY_TURN.lock().unwrap_or_else(|e| e.into_inner()))
}

fn find_window(title: &str, deadline: Instant) -> Option<String> {
    while Instant::now() < deadline {
        let out = Command::new("xdotool")
            .args(["search", "--name", &format!("^{title}$")])
            .output()
            .ok()?;
        if let Some(id) = String::from_utf8_lossy(&out.stdout).lines().next() {
            return Some(id.to_string());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// Only against a hang: every wait below ends on an event (a line, a window, an
/// exit) long before this on any machine, however busy.
const HANG_GUARD: Duration = Duration::from_secs(300);

/// The app's stderr, line by line as it comes, and all of it at the end.
struct Stderr {
    lines: Receiver<String>,
    all: std::thread::JoinHandle<String>,
}

impl Stderr {
    fn follow(child: &mut std::process::Child) -> Stderr {
        let pipe = child.stderr.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        let all = std::thread::spawn(move || {
            let mut all = String::new();
            for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
                all.push_str(&line);
                all.push('\n');
                let _ = tx.send(line);
            }
            all
        });
        Stderr { lines, all }
    }

    /// Waits for a line containing `needle`; false if the process ended first.
    fn wait_for(&self, needle: &str) -> bool {
        let started = Instant::now();
        loop {
            match self.lines.recv_timeout(Duration::from_secs(1)) {
                Ok(line) if line.contains(needle) => return true,
                Ok(_) => {}
                Err(RecvTimeoutError::Disconnected) => return false,
                Err(RecvTimeoutError::Timeout) => {
                    assert!(started.elapsed() < HANG_GUARD, "hung waiting for {needle}");
                }
            }
        }
    }

    /// Waits for a line containing one of `needles`; its index, or `None`
    /// if the process ended first.
    fn wait_for_any(&self, needles: &[&str]) -> Option<usize> {
        let started = Instant::now();
        loop {
            match self.lines.recv_timeout(Duration::from_secs(1)) {
                Ok(line) => {
                    if let Some(i) = needles.iter().position(|n| line.contains(n)) {
                        return Some(i);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return None,
                Err(RecvTimeoutError::Timeout) => {
                    assert!(
                        started.elapsed() < HANG_GUARD,
                        "hung waiting for {needles:?}"
                    );
                }
            }
        }
    }

    /// Like [`Stderr::wait_for`], giving up after `patience` with `None`
    /// (the caller asks again); `Some(false)` if the process ended.
    fn wait_for_within(&self, needle: &str, patience: Duration) -> Option<bool> {
        let until = Instant::now() + patience;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return Some(true),
                Ok(_) => {}
                Err(RecvTimeoutError::Disconnected) => return Some(false),
                Err(RecvTimeoutError::Timeout) => return None,
            }
        }
    }

    fn rest(self) -> String {
        self.all.join().unwrap()
    }
}

#[test]
fn release_binary_opens_a_window_showing_the_accounts() {
    if !common::real_keyring() || !common::have_tool("xdotool") || !common::have_tool("import") {
        return;
    }
    let Some(_turn) = display_turn() else { return };
    let env = env_with_github();
    env.ok(&["add", "otpauth://totp/%E3%83%84%E3%82%A4%E3%83%83%E3%82%BF%E3%83%BC:%E5%B1%B1%E7%94%B0?secret=GEZDGNBVGY3TQOJQ"]);
    let bin = common::binary();
    eprintln!("window test uses {bin}");
    let home = tempfile::tempdir().unwrap();
    let mut app = Command::new(&bin)
        .env("NINSHO_DATA_DIR", env.data.path())
        .env("NINSHO_KEYRING_SERVICE", &env.service)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env("NINSHO_TRACE_STARTUP", "1")
        .env("NINSHO_TRACE_FRAMES", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = Stderr::follow(&mut app);
    // The frame that takes the codes (traced in its logic pass) draws them (its
    // own "frame" line); once the next frame starts, that one is on the screen.
    let shown = stderr.wait_for("ninsho-trace: all codes ready")
        && stderr.wait_for("ninsho-trace: frame")
        && stderr.wait_for("ninsho-trace: frame");
    let wid = shown
        .then(|| find_window("Ninsho", Instant::now() + HANG_GUARD))
        .flatten();
    let Some(wid) = wid else {
        let _ = app.kill();
        let _ = app.wait();
        panic!("the window never showed its codes: {}", stderr.rest());
    };
    assert!(app.try_wait().unwrap().is_none(), "the app exited");
    let shot = home.path().join("shot.ppm");
    let status = Command::new("import")
        .args(["-window", &wid, &format!("ppm:{}", shot.display())])
        .status()
        .unwrap();
    // Docks and task switchers match the window to its installed desktop entry
    // and icon (assets/, the packages) by this class.
    let class = Command::new("xprop")
        .args(["-id", &wid, "WM_CLASS"])
        .output()
        .unwrap();
    let _ = app.kill();
    let _ = app.wait();
    let stderr = stderr.rest();
    assert!(status.success(), "import failed");
    let class = String::from_utf8_lossy(&class.stdout);
    assert!(
        class.contains(&format!("\"{}\"", ninsho::ui::DESKTOP_ID)),
        "WM_CLASS: {class}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    let (w, h, pixels) = common::read_ppm(&std::fs::read(&shot).unwrap());
    assert!(w >= 320 && h >= 360, "window is {w}x{h}");
    let background = pixels[pixels.len() / 2 + w / 2 - 2];
    let differing = pixels.iter().filter(|p| **p != background).count();
    let share = differing as f64 / pixels.len() as f64;
    let mut colours: Vec<[u8; 3]> = pixels.clone();
    colours.sort();
    colours.dedup();
    eprintln!(
        "{w}x{h}, {} colours, {:.1}% non-background",
        colours.len(),
        share * 100.0
    );
    assert!(
        colours.len() > 20,
        "the window looks blank ({} colours)",
        colours.len()
    );
    assert!(share > 0.01 && share < 0.9, "{share}");
}

/// Ends a child process even when an assertion fails.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The window of `env`'s data folder and keyring service, with its own
/// home (where eframe keeps `app.ron`) and start-up traces on stderr.
/// A data folder of its own holding one account, GitHub's.
fn env_with_github() -> Env {
    let env = Env::new();
    env.ok(&[
        "add",
        "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
    ]);
    env
}

fn window_command(env: &Env, home: &std::path::Path) -> Command {
    let mut cmd = Command::new(common::binary());
    cmd.env("NINSHO_DATA_DIR", env.data.path())
        .env("NINSHO_KEYRING_SERVICE", &env.service)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("NINSHO_TRACE_STARTUP", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn xdotool(args: &[&str]) {
    let _ = Command::new("xdotool").args(args).status();
}

#[test]
fn scan_screen_shortcut_adds_the_code_under_the_window() {
    if !common::real_keyring() || !common::have_tool("xdotool") || !common::have_tool("feh") {
        return;
    }
    let Some(_turn) = display_turn() else { return };
    let env = Env::new();
    let home = tempfile::tempdir().unwrap();
    let uri = "otpauth://totp/ScanE2E:carol?secret=KRSXG5CTMVRXEZLUKN2XAZLSOQ&issuer=ScanE2E";
    let page = home.path().join("scan-e2e-page.png");
    std::fs::write(&page, corpus::code_page(&[uri], 5)).unwrap();
    // The code at the top left; the window, mapped later at (0, 0), covers it.
    let _viewer = Child(
        Command::new("feh")
            .args(["--borderless", "--geometry", "+20+20"])
            .arg(&page)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + HANG_GUARD;
    assert!(
        find_window(".*scan-e2e-page.*", deadline).is_some(),
        "feh never showed the page"
    );
    let mut app = Child(
        Command::new(common::binary())
            .env("NINSHO_DATA_DIR", env.data.path())
            .env("NINSHO_KEYRING_SERVICE", &env.service)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .env_remove("WAYLAND_DISPLAY")
            .env("NINSHO_TRACE_STARTUP", "1")
            .env("NINSHO_TRACE_FRAMES", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stderr = Stderr::follow(&mut app.0);
    assert!(
        stderr.wait_for("ninsho-trace: all codes ready")
            && stderr.wait_for("ninsho-trace: frame")
            && stderr.wait_for("ninsho-trace: frame"),
        "the window never finished loading: {}",
        stderr.rest()
    );
    let wid = find_window("Ninsho", deadline).expect("no window titled Ninsho");
    // The trace lines go on (a frame each second); nobody reads them now.
    drop(stderr.lines);

    // Ctrl+Shift+S hides the window, captures, comes back with the review;
    // Enter saves. Retried: the first key press may arrive before focus does.
    let meta = env.data.path().join("accounts.json");
    // Saved means committed: an add first writes the entry as `adding`, and a kill
    // before the keyring write lands makes the next start undo it.
    let saved = || {
        ninsho::vault::meta::load(&meta).is_ok_and(|file| {
            file.accounts
                .iter()
                .any(|e| e.issuer == "ScanE2E" && e.state == ninsho::vault::meta::State::Saved)
        })
    };
    while !saved() && Instant::now() < deadline {
        xdotool(&["windowfocus", &wid]);
        xdotool(&["key", "ctrl+shift+s"]);
        std::thread::sleep(Duration::from_secs(3));
        xdotool(&["windowfocus", &wid]);
        xdotool(&["key", "Return"]);
        for _ in 0..20 {
            if saved() {
                break;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }
    assert!(saved(), "the scanned account was never saved");
    assert!(app.0.try_wait().unwrap().is_none(), "the app exited");
    let visible = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", "^Ninsho$"])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&visible.stdout).trim().is_empty(),
        "the window did not come back after the capture"
    );
    drop(app);

    let list: Vec<serde_json::Value> = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["issuer"], "ScanE2E");
    assert_eq!(list[0]["account"], "carol");
    assert_eq!(env.keyring_items().len(), 1);
}

/// SIGTERM (a logout, `kill`) closes the window as its close button does: the
/// process exits 0, eframe saves its state and the worker is waited for.
#[test]
fn sigterm_closes_the_window_cleanly() {
    if !common::real_keyring() || !common::have_tool("xdotool") {
        return;
    }
    let Some(_turn) = display_turn() else { return };
    let env = env_with_github();
    let home = tempfile::tempdir().unwrap();
    let mut app = window_command(&env, home.path()).spawn().unwrap();
    let stderr = Stderr::follow(&mut app);
    if !stderr.wait_for("ninsho-trace: all codes ready") {
        let _ = app.wait();
        panic!("the window never showed its codes: {}", stderr.rest());
    }
    let term = Command::new("kill")
        .args(["-TERM", &app.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = app.wait().unwrap();
    let stderr = stderr.rest();
    assert!(status.success(), "{status:?}: {stderr}");
    for step in ["signal 15: closing", "close requested", "window closed"] {
        assert!(stderr.contains(step), "no \"{step}\": {stderr}");
    }
    assert!(!stderr.contains("did not finish"), "{stderr}");
    let state = home.path().join(".local/share/ninsho/app.ron");
    let saved = std::fs::read_to_string(&state).unwrap_or_default();
    assert!(
        saved.contains("ninsho-settings"),
        "eframe saved no state: {saved:?}"
    );
}

/// The language saved in Settings opens the window in it, but `--lang` or
/// `NINSHO_LANG` given for one run wins over it (README, "Languages").
#[test]
fn lang_for_a_run_wins_over_the_language_saved_in_settings() {
    if !common::real_keyring() {
        return;
    }
    let Some(_turn) = display_turn() else { return };
    let env = Env::new();
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join(".local/share/ninsho/app.ron");
    std::fs::create_dir_all(state.parent().unwrap()).unwrap();
    std::fs::write(
        &state,
        r#"{"ninsho-settings": "(theme:System,clipboard_clear_secs:30,privacy:false,language:Some(Ja))"}"#,
    )
    .unwrap();
    for (lang_env, flag, expected) in [
        (None, None, "ja"),
        (Some("en"), None, "en"),
        (None, Some("en"), "en"),
    ] {
        let mut cmd = window_command(&env, home.path());
        cmd.env("LANG", "C.UTF-8")
            .env_remove("LANGUAGE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("NINSHO_LANG");
        if let Some(l) = lang_env {
            cmd.env("NINSHO_LANG", l);
        }
        if let Some(l) = flag {
            cmd.args(["--lang", l]);
        }
        let mut app = cmd.spawn().unwrap();
        let stderr = Stderr::follow(&mut app);
        // Closed once it has drawn: SIGTERM then closes it as a user would.
        let seen = stderr.wait_for("ninsho-trace: language")
            && stderr.wait_for("ninsho-trace: first frame");
        let _ = Command::new("kill")
            .args(["-TERM", &app.id().to_string()])
            .status();
        let status = app.wait().unwrap();
        let stderr = stderr.rest();
        assert!(seen, "no language line: {stderr}");
        assert!(status.success(), "{status:?}: {stderr}");
        let line = stderr
            .lines()
            .find(|l| l.starts_with("ninsho-trace: language"))
            .unwrap_or_default()
            .to_string();
        assert!(
            line.starts_with(&format!("ninsho-trace: language {expected} ")),
            "NINSHO_LANG={lang_env:?} --lang {flag:?}: {line}"
        );
        let saved = std::fs::read_to_string(&state).unwrap();
        assert!(saved.contains("language:Some(Ja)"), "{saved}");
    }
}

/// The window lock wired as `ninsho` runs it (issue 20): with the lock on
/// in its saved settings, the window starts locked; the lock password typed
/// into the real window (xdotool) unlocks it and the codes come back; then
/// `ninsho lock` reaches it over the session bus and it locks again.
#[test]
fn a_window_with_the_lock_on_starts_locked_and_ninsho_lock_locks_it_again() {
    if !common::real_keyring() || !common::have_tool("xdotool") {
        return;
    }
    let Some(_turn) = display_turn() else { return };
    let env = env_with_github();
    let password = "e2e lock password";
    let hash = ninsho::lock::hash_password(password).unwrap();
    ninsho::vault::SecretStore::set(
        &ninsho::vault::keyring::KeyringStore::connect(&env.service).unwrap(),
        ninsho::lock::PASSWORD_ITEM,
        "Ninsho lock password (hash)",
        hash.as_bytes(),
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join(".local/share/ninsho/app.ron");
    std::fs::create_dir_all(state.parent().unwrap()).unwrap();
    std::fs::write(
        &state,
        r#"{"ninsho-settings": "(theme:System,clipboard_clear_secs:30,privacy:false,language:None,lock:(mode:Password,idle_minutes:0,on_minimise:false))"}"#,
    )
    .unwrap();
    let mut app = window_command(&env, home.path())
        .env("NINSHO_LANG", "en")
        .spawn()
        .unwrap();
    let stderr = Stderr::follow(&mut app);
    let fail = |app: &mut std::process::Child, stderr: Stderr, what: &str| -> ! {
        let _ = app.kill();
        let _ = app.wait();
        panic!("{what}: {}", stderr.rest());
    };
    if !stderr.wait_for("ninsho-trace: locked") {
        fail(&mut app, stderr, "the window did not start locked");
    }
    let Some(wid) = find_window("Ninsho", Instant::now() + HANG_GUARD) else {
        fail(&mut app, stderr, "no window");
    };
    // Typed once the password field has the focus (the window says so).
    // Without a window manager the window's focus can be lost to the
    // pointer: it is given again until the window says it has it.
    let guard = Instant::now() + HANG_GUARD;
    loop {
        xdotool(&["windowfocus", "--sync", &wid]);
        match stderr.wait_for_within("ninsho-trace: lock screen ready", Duration::from_secs(5)) {
            Some(true) => break,
            Some(false) => fail(&mut app, stderr, "the window ended while locked"),
            None if Instant::now() > guard => fail(
                &mut app,
                stderr,
                "the lock screen's field never had the focus",
            ),
            None => {}
        }
    }
    xdotool(&["type", "--delay", "5", password]);
    xdotool(&["key", "Return"]);
    match stderr.wait_for_any(&["ninsho-trace: unlocked", "ninsho-trace: lock refused"]) {
        Some(0) => {}
        Some(_) => fail(&mut app, stderr, "the right password was refused"),
        None => fail(&mut app, stderr, "the window ended while locked"),
    }
    if !stderr.wait_for("ninsho-trace: all codes ready") {
        fail(&mut app, stderr, "no codes after the unlock");
    }

    let out = env.cmd().arg("lock").output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    // Other tests' windows may share the harness's bus: each is locked too.
    assert!(
        out.status.success() && (said.trim() == "locked the window" || said.starts_with("locked ")),
        "{said} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    if !stderr.wait_for("ninsho-trace: lock asked: Command") {
        fail(&mut app, stderr, "ninsho lock did not reach the window");
    }
    if !stderr.wait_for("ninsho-trace: locked") {
        fail(&mut app, stderr, "the window did not lock again");
    }
    // Without a session bus (as on Windows and macOS), `ninsho lock` asks
    // through the data folder, where the window keeps a file while it runs.
    let lock_without_bus = || {
        env.cmd()
            .arg("lock")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .output()
            .unwrap()
    };
    let out = lock_without_bus();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "locked the window",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if !stderr.wait_for("ninsho-trace: lock asked: data folder") {
        fail(
            &mut app,
            stderr,
            "ninsho lock did not reach the window without a bus",
        );
    }
    let term = Command::new("kill")
        .args(["-TERM", &app.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = app.wait().unwrap();
    assert!(status.success(), "{status:?}: {}", stderr.rest());
    // Closed, the window took its file with it: nothing answers any more.
    let out = lock_without_bus();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "ninsho: no Ninsho window is running"
    );
    let running: Vec<_> = std::fs::read_dir(env.data.path().join("running"))
        .unwrap()
        .collect();
    assert!(running.is_empty(), "{running:?}");
}
