//! Protects: no secret or password used in a full session (add, import, scan,
//! export, a window opened and closed) reaches a file Ninsho or eframe writes,
//! a temp file, or any output or log; and Ninsho's files and folders are private.
//!
//! The real binary runs with HOME, the XDG folders and TMPDIR pointed into one
//! fresh folder, and `RUST_LOG=trace`; afterwards every file in that folder
//! (except the export files the user asked for) and every captured stdout and
//! stderr is searched for each secret as upper- and lower-case base32, hex and
//! raw bytes, and for each password. The session is a list of steps: add more
//! to `STEPS` as features arrive.
// Linux and the BSDs: X11 for the window step, Unix modes for the file checks.
#![cfg(all(unix, not(target_os = "macos")))]

mod common;
#[path = "support/corpus.rs"]
mod corpus;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One user action, run through the real binary.
struct Step {
    what: &'static str,
    run: fn(&mut Session),
}

/// The session so far: where things live, what is secret, what was printed.
struct Session {
    /// HOME; the XDG folders and TMPDIR are inside it. Everything here is searched.
    home: tempfile::TempDir,
    /// The test's own inputs (password files, images): they hold secrets by design.
    inputs: tempfile::TempDir,
    service: String,
    bin: String,
    secrets: Vec<Vec<u8>>,
    passwords: Vec<String>,
    /// (what, bytes) of every stdout and stderr captured.
    logs: Vec<(String, Vec<u8>)>,
    /// Files the user asked to be written with secrets in them (exports).
    exports: Vec<PathBuf>,
}

const STEPS: &[Step] = &[
    Step {
        what: "add a URI",
        run: add_uri,
    },
    Step {
        what: "add typed fields, secret on stdin",
        run: add_fields,
    },
    Step {
        what: "import an encrypted Aegis export",
        run: import_encrypted,
    },
    Step {
        what: "scan a QR code image and add it",
        run: scan_image,
    },
    Step {
        what: "list and show codes",
        run: list_and_codes,
    },
    Step {
        what: "keep recovery codes, use one, list them",
        run: recovery_codes,
    },
    Step {
        what: "export an encrypted Aegis vault",
        run: export_encrypted,
    },
    Step {
        what: "export an otpauth URI list",
        run: export_uris,
    },
    Step {
        what: "print the recovery sheet (PDF)",
        run: export_pdf,
    },
    Step {
        what: "open the window, type, close it",
        run: window_session,
    },
];

impl Session {
    fn dir(&self, rel: &str) -> PathBuf {
        self.home.path().join(rel)
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(&self.bin);
        c.env_remove("NINSHO_DATA_DIR")
            .env("NINSHO_KEYRING_SERVICE", &self.service)
            .env("HOME", self.home.path())
            .env("XDG_DATA_HOME", self.dir(".local/share"))
            .env("XDG_CONFIG_HOME", self.dir(".config"))
            .env("XDG_CACHE_HOME", self.dir(".cache"))
            .env("XDG_STATE_HOME", self.dir(".local/state"))
            .env("TMPDIR", self.dir("tmp"))
            .env("RUST_LOG", "trace")
            .env("RUST_BACKTRACE", "1");
        c
    }

    /// Runs `ninsho ARGS` with `stdin`, keeps its output, asserts success.
    fn ok(&mut self, args: &[&str], stdin: &str) -> String {
        self.run(args, stdin, true)
    }

    /// Runs `ninsho ARGS` whose stdout shows secrets on request (the answer,
    /// not a log): keeps only its stderr.
    fn answer(&mut self, args: &[&str]) -> String {
        self.run(args, "", false)
    }

    fn run(&mut self, args: &[&str], stdin: &str, keep_stdout: bool) -> String {
        let out = common::run_cmd(self.cmd().args(args), stdin);
        let what = format!("ninsho {}", args.join(" "));
        if keep_stdout {
            self.logs
                .push((format!("{what} (stdout)"), out.stdout.clone()));
        }
        self.logs
            .push((format!("{what} (stderr)"), out.stderr.clone()));
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Writes one of the test's own input files.
    fn input(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.inputs.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_string()
    }

    fn new_secret(&mut self, seed: u8) -> Vec<u8> {
        // Distinct, and with bytes that are not text, so raw-byte hits are real.
        let bytes: Vec<u8> = (0..20u8)
            .map(|i| seed.wrapping_mul(37).wrapping_add(i.wrapping_mul(101)) ^ 0xa5)
            .collect();
        self.secrets.push(bytes.clone());
        bytes
    }
}

fn base32(bytes: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(bytes)
}

fn add_uri(s: &mut Session) {
    let secret = base32(&s.new_secret(1));
    let uri = format!("otpauth://totp/Hygiene:uri%40example.com?secret={secret}&issuer=Hygiene");
    assert!(s.ok(&["add", &uri], "").contains("added Hygiene"));
}

fn add_fields(s: &mut Session) {
    let typed = base32(&s.new_secret(2)).to_lowercase();
    let out = s.ok(
        &[
            "add",
            "--issuer",
            "Typed",
            "--account",
            "by hand",
            "--secret",
            "-",
            "--algorithm",
            "SHA256",
            "--digits",
            "8",
        ],
        &format!("{typed}\n"),
    );
    assert!(out.contains("added Typed (by hand)"), "{out}");
}

fn import_encrypted(s: &mut Session) {
    let Some(fixtures) = common::fixtures() else {
        assert!(!common::in_harness());
        return;
    };
    let dir = fixtures.join("aegis-importers");
    for line in std::fs::read_to_string(dir.join("plain.txt"))
        .unwrap()
        .lines()
    {
        let account = ninsho::otp::parse_uri(line).unwrap().account;
        s.secrets.push(account.secret.as_bytes().to_vec());
    }
    // The fixture's password is "test", too common a word to search for; it is
    // covered by the distinctive export password below, which takes the same path.
    let pw = s.input("aegis-password.txt", b"test\n");
    let file = dir.join("aegis_encrypted.json");
    let out = s.ok(
        &["import", file.to_str().unwrap(), "--password-file", &pw],
        "",
    );
    assert!(out.contains("7 of 7 accounts added"), "{out}");
}

fn scan_image(s: &mut Session) {
    let secret = base32(&s.new_secret(3));
    let uri = format!("otpauth://totp/Scanned:qr?secret={secret}&issuer=Scanned");
    let png = s.input("code.png", &corpus::code_page(&[&uri], 5));
    let out = s.ok(&["scan", &png, "--add"], "");
    assert!(out.contains("added Scanned (qr)"), "{out}");
}

fn list_and_codes(s: &mut Session) {
    let list = s.ok(&["list"], "");
    assert!(
        list.contains("Hygiene") && list.contains("Scanned"),
        "{list}"
    );
    s.ok(&["list", "--json"], "");
    for query in ["hygiene", "typed", "scanned"] {
        s.ok(&["code", query], "");
    }
}

fn export_encrypted(s: &mut Session) {
    let password = "Hyg13ne-Export-Passw0rd!".to_string();
    s.passwords.push(password.clone());
    let pw = s.input("export-password.txt", format!("{password}\n").as_bytes());
    let out = s.dir("Documents/backup.json");
    s.ok(
        &[
            "export",
            "--format",
            "aegis-encrypted",
            "--output",
            out.to_str().unwrap(),
            "--password-file",
            &pw,
        ],
        "",
    );
    // Encrypted: the file itself must not show a secret either.
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(hits(&needles(s), &bytes), Vec::<String>::new());
    s.exports.push(out);
}

fn export_uris(s: &mut Session) {
    let out = s.dir("Documents/uris.txt");
    s.ok(
        &[
            "export",
            "--format",
            "otpauth",
            "--output",
            out.to_str().unwrap(),
        ],
        "",
    );
    // Plain by request: every secret is in it (so the search would find them).
    let text = std::fs::read_to_string(&out).unwrap();
    let first = base32(&s.secrets[0]);
    assert!(text.contains(&first), "the URI list lacks a secret");
    s.exports.push(out);
}

/// Recovery codes are searched as text, like passwords: they may appear only in
/// the keyring, in what `recovery list` prints on request, and in the sheet.
fn recovery_codes(s: &mut Session) {
    let codes = ["hyg1-4kq7-zz90", "hyg2-8mw3-qq41", "hyg3-5tr6-pp27"];
    s.passwords.extend(codes.iter().map(|c| c.to_string()));
    let out = s.ok(&["recovery", "add", "Hygiene"], &codes.join("\n"));
    assert!(out.contains("added 3 recovery codes"), "{out}");
    // `use` echoes the code the user typed and `list` prints the codes, both on
    // request: their stdout is the answer, not a log, so only stderr is kept.
    let used = s.answer(&["recovery", "use", "Hygiene", codes[0]]);
    assert!(used.contains(codes[0]), "{used}");
    let listed = s.answer(&["recovery", "list", "Hygiene", "--json"]);
    assert!(codes.iter().all(|c| listed.contains(c)), "{listed}");
}

fn export_pdf(s: &mut Session) {
    let out = s.dir("Documents/sheet.pdf");
    s.ok(
        &[
            "export",
            "--format",
            "pdf",
            "--output",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    s.exports.push(out);
}

fn window_session(s: &mut Session) {
    if std::env::var_os("DISPLAY").is_none() || !common::have_tool("xdotool") {
        assert!(!common::in_harness(), "the harness runs tests under Xvfb");
        eprintln!("skipped the window step: no display");
        return;
    }
    let mut app = s
        .cmd()
        .env("NINSHO_TRACE_STARTUP", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = app.stdout.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut BufReader::new(stdout), &mut v).unwrap();
        v
    });
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = app.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut all = Vec::new();
        for line in BufReader::new(stderr).split(b'\n').map_while(Result::ok) {
            let _ = tx.send(String::from_utf8_lossy(&line).to_string());
            all.extend_from_slice(&line);
            all.push(b'\n');
        }
        all
    });
    let deadline = Instant::now() + HANG_GUARD;
    let ready = loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(l) if l.contains("all codes ready") => break true,
            Ok(_) => {}
            Err(_) if Instant::now() > deadline || app.try_wait().unwrap().is_some() => {
                break false;
            }
            Err(_) => {}
        }
    };
    // The codes can be ready before the window is mapped.
    let wid = ready.then(|| find_window(app.id(), deadline)).flatten();
    if wid.is_none() {
        let _ = app.kill();
        let _ = app.wait();
        panic!(
            "the window never showed its codes: {}",
            String::from_utf8_lossy(&stderr.join().unwrap())
        );
    }
    let wid = wid.unwrap();
    // A secret typed where it does not belong (the list's type-to-search) must not
    // be remembered on disk either.
    let typed = base32(&s.secrets[1]).to_lowercase();
    for args in [
        vec!["windowfocus", "--sync", &wid],
        vec!["type", "--delay", "5", &typed],
    ] {
        assert!(
            Command::new("xdotool")
                .args(&args)
                .status()
                .unwrap()
                .success()
        );
    }
    // X delivers a client's events in order: the typed keys reach the window
    // before the close request. One request must do: a user's close always closes.
    close_window(&wid);
    let guard = HangGuard::new(app.id());
    let status = app.wait().unwrap();
    assert!(
        !guard.fired(),
        "the window did not close when asked (window {wid}); its stderr: {}",
        String::from_utf8_lossy(&stderr.join().unwrap())
    );
    let err = stderr.join().unwrap();
    s.logs
        .push(("window (stdout)".into(), stdout.join().unwrap()));
    s.logs.push(("window (stderr)".into(), err.clone()));
    assert!(status.success(), "{}", String::from_utf8_lossy(&err));
    let state = s.dir(".local/share/ninsho/app.ron");
    let saved = std::fs::read_to_string(&state).unwrap();
    assert!(
        saved.contains("ninsho-settings"),
        "eframe saved no state: {saved}"
    );
}

/// Only against a hang: every wait here ends on an event (a line, a window, an
/// exit) long before this on any machine, however busy.
const HANG_GUARD: Duration = Duration::from_secs(300);

/// Kills a process still running `HANG_GUARD` after it was made, so a window that
/// never closes fails the test instead of hanging the suite.
struct HangGuard {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    fired: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl HangGuard {
    fn new(pid: u32) -> HangGuard {
        use std::sync::atomic::Ordering;
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let fired = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (d, f) = (done.clone(), fired.clone());
        std::thread::spawn(move || {
            let until = Instant::now() + HANG_GUARD;
            while Instant::now() < until {
                if d.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            f.store(true, Ordering::SeqCst);
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        });
        HangGuard { done, fired }
    }

    fn fired(&self) -> bool {
        self.done.store(true, std::sync::atomic::Ordering::SeqCst);
        self.fired.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// The window of process `pid` (not another test's, should one linger).
fn find_window(pid: u32, deadline: Instant) -> Option<String> {
    let pid = pid.to_string();
    while Instant::now() < deadline {
        let out = Command::new("xdotool")
            .args([
                "search",
                "--onlyvisible",
                "--pid",
                &pid,
                "--name",
                "^Ninsho$",
            ])
            .output()
            .ok()?;
        if let Some(id) = String::from_utf8_lossy(&out.stdout).lines().next() {
            return Some(id.to_string());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// Asks the window to close the way a window manager's close button does
/// (a `WM_DELETE_WINDOW` client message), so eframe saves its state.
fn close_window(wid: &str) {
    use x11rb::protocol::xproto::{ClientMessageEvent, ConnectionExt, EventMask};
    let window: u32 = wid.parse().unwrap();
    let (conn, _) = x11rb::connect(None).unwrap();
    let atom = |name: &[u8]| conn.intern_atom(false, name).unwrap().reply().unwrap().atom;
    let (protocols, delete) = (atom(b"WM_PROTOCOLS"), atom(b"WM_DELETE_WINDOW"));
    let event = ClientMessageEvent::new(32, window, protocols, [delete, 0, 0, 0, 0]);
    conn.send_event(false, window, EventMask::NO_EVENT, event)
        .unwrap();
    // A round trip before the connection closes: the X server drops requests it
    // has not yet handled when their client disconnects, and a flush alone let
    // the close request be lost (the "did not close when asked 6 times" flake).
    conn.get_input_focus().unwrap().reply().unwrap();
}

/// Every form a secret or password could take on disk or in a log.
fn needles(s: &Session) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (i, secret) in s.secrets.iter().enumerate() {
        let b32 = base32(secret);
        out.push((format!("secret {i} (base32)"), b32.clone().into_bytes()));
        out.push((
            format!("secret {i} (base32, lower case)"),
            b32.to_lowercase().into_bytes(),
        ));
        out.push((
            format!("secret {i} (hex)"),
            hex::encode(secret).into_bytes(),
        ));
        out.push((
            format!("secret {i} (HEX)"),
            hex::encode_upper(secret).into_bytes(),
        ));
        out.push((format!("secret {i} (raw bytes)"), secret.clone()));
    }
    for (i, p) in s.passwords.iter().enumerate() {
        out.push((format!("password {i}"), p.clone().into_bytes()));
    }
    out
}

fn hits(needles: &[(String, Vec<u8>)], haystack: &[u8]) -> Vec<String> {
    needles
        .iter()
        .filter(|(_, n)| haystack.windows(n.len()).any(|w| w == n.as_slice()))
        .map(|(what, _)| what.clone())
        .collect()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_full_session_leaves_no_secret_outside_the_keyring() {
    if !common::real_keyring() {
        return;
    }
    let home = tempfile::Builder::new().prefix("hyg").tempdir().unwrap();
    for d in [
        ".local/share",
        ".config",
        ".cache",
        ".local/state",
        "tmp",
        "Documents",
    ] {
        std::fs::create_dir_all(home.path().join(d)).unwrap();
    }
    let mut s = Session {
        home,
        inputs: tempfile::Builder::new().prefix("hyg").tempdir().unwrap(),
        // Not the shared Env: its service name contains "test", a fixture password.
        service: format!("ninsho-hygiene-{}", uuid::Uuid::new_v4()),
        bin: common::binary(),
        secrets: Vec::new(),
        passwords: Vec::new(),
        logs: Vec::new(),
        exports: Vec::new(),
    };
    for step in STEPS {
        eprintln!("step: {}", step.what);
        (step.run)(&mut s);
    }

    let needles = needles(&s);
    let mut found = Vec::new();
    let files = common::all_files(s.home.path());
    for (path, bytes) in &files {
        eprintln!(
            "  {:o} {:>8} {}",
            mode(path),
            bytes.len(),
            path.strip_prefix(s.home.path()).unwrap().display()
        );
        if s.exports.contains(path) {
            continue;
        }
        for what in hits(&needles, bytes) {
            found.push(format!("{what} in {}", path.display()));
        }
    }
    for (log, bytes) in &s.logs {
        for what in hits(&needles, bytes) {
            found.push(format!("{what} in the output of {log}"));
        }
    }
    eprintln!(
        "searched {} files and {} outputs for {} forms of {} secrets and {} passwords",
        files.len(),
        s.logs.len(),
        needles.len(),
        s.secrets.len(),
        s.passwords.len()
    );
    assert!(found.is_empty(), "leaks:\n{}", found.join("\n"));

    // What Ninsho (and eframe, for it) wrote is private.
    let data = s.dir(".local/share/ninsho");
    assert_eq!(mode(&data), 0o700, "{}", data.display());
    let mut private: Vec<PathBuf> = common::all_files(&data).into_iter().map(|f| f.0).collect();
    private.extend(s.exports.iter().cloned());
    assert!(private.iter().any(|p| p.ends_with("accounts.json")));
    for path in &private {
        assert_eq!(mode(path), 0o600, "{}", path.display());
    }
    let config = s.dir(".config/ninsho");
    if config.exists() {
        assert_eq!(mode(&config), 0o700);
        for (path, _) in common::all_files(&config) {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }
    let leftovers: Vec<_> = common::all_files(&s.dir("tmp"));
    assert!(
        leftovers.is_empty(),
        "temp files left: {:?}",
        leftovers.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
}
