//! A private session bus, and a real gnome-keyring on it that only one test
//! uses: started unlocked with a throwaway password, restarted on the same
//! keyring files when it dies (see TRUST.md, "gnome-keyring aborts").
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A `dbus-daemon` of the test's own, stopped on drop.
pub struct Bus {
    child: Child,
    pub address: String,
}

impl Bus {
    /// Starts `dbus-daemon` as configured by `cmd` and reads the address it prints.
    pub fn start(cmd: &mut Command) -> Bus {
        let mut child = cmd
            .args(["--nofork", "--print-address"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        Bus {
            child,
            address: line.trim().to_string(),
        }
    }

    /// A session bus listening in `dir` that starts nothing on demand (the
    /// harness's own configuration, `.ci/session-bus.conf`): with the keyring
    /// gone, calls fail at once instead of starting a locked one.
    pub fn without_activation(dir: &Path) -> Bus {
        let config = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/session-bus.conf");
        Bus::start(
            Command::new("dbus-daemon")
                .arg(format!("--config-file={}", config.display()))
                .arg(format!("--address=unix:dir={}", dir.display()))
                .stderr(Stdio::null()),
        )
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Only against a hang: the daemon takes its bus name in well under a second.
const HANG_GUARD: Duration = Duration::from_secs(120);
const PASSWORD: &str = "private-test-keyring";

/// gnome-keyring on a private bus, its files in a folder of its own.
pub struct PrivateKeyring {
    daemon: Mutex<Child>,
    restarts: Mutex<usize>,
    data: PathBuf,
    runtime: PathBuf,
    bus: Bus,
    _dir: tempfile::TempDir,
}

impl PrivateKeyring {
    pub fn start() -> PrivateKeyring {
        let dir = tempfile::tempdir().unwrap();
        let (data, runtime) = (dir.path().join("data"), dir.path().join("run"));
        for d in [&data, &runtime] {
            std::fs::create_dir(d).unwrap();
        }
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let bus = Bus::without_activation(dir.path());
        let daemon = spawn_daemon(&bus.address, &data, &runtime);
        PrivateKeyring {
            daemon: Mutex::new(daemon),
            restarts: Mutex::new(0),
            data,
            runtime,
            bus,
            _dir: dir,
        }
    }

    /// The bus address clients (and `secret-tool`) must use.
    pub fn address(&self) -> &str {
        &self.bus.address
    }

    /// How many times the daemon died and was started again.
    pub fn restarts(&self) -> usize {
        *self.restarts.lock().unwrap()
    }

    /// Locks the login keyring, as a screen lock or a timeout may. With no
    /// display its unlock prompt cannot appear, so it stays locked.
    pub fn lock(&self) {
        let out = Command::new("dbus-send")
            .args([
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/collection/login",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus.address)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "could not lock: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Stops the daemon and starts it again on its files, unlocked.
    pub fn restart(&self) {
        let mut daemon = self.daemon.lock().unwrap();
        let _ = daemon.kill();
        let _ = daemon.wait();
        *daemon = spawn_daemon(&self.bus.address, &self.data, &self.runtime);
    }

    /// Aborts the daemon as its GLib assertion does, and waits until it is gone.
    pub fn abort(&self) {
        let mut daemon = self.daemon.lock().unwrap();
        let pid = daemon.id().to_string();
        let sent = Command::new("kill").args(["-ABRT", &pid]).status().unwrap();
        assert!(sent.success());
        let status = daemon.wait().unwrap();
        eprintln!("aborted the private gnome-keyring on purpose ({status})");
    }

    /// Makes a round trip to the daemon (so it has handled everything a killed
    /// client sent before), and if the daemon died meanwhile, starts it again
    /// on the same keyring files and returns true.
    pub fn restart_if_dead(&self) -> bool {
        let answered = Command::new("dbus-send")
            .args([
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.DBus.Properties.Get",
                "string:org.freedesktop.Secret.Service",
                "string:Collections",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus.address)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let mut daemon = self.daemon.lock().unwrap();
        let exited = daemon.try_wait().unwrap();
        if answered && exited.is_none() {
            return false;
        }
        let _ = daemon.kill();
        let status = daemon.wait().unwrap();
        *daemon = spawn_daemon(&self.bus.address, &self.data, &self.runtime);
        *self.restarts.lock().unwrap() += 1;
        eprintln!("!! the private gnome-keyring died ({status}); started it again on its files");
        true
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        let daemon = self.daemon.get_mut().unwrap();
        let _ = daemon.kill();
        let _ = daemon.wait();
    }
}

/// `gnome-keyring-daemon --foreground` (so it stays our child), unlocking the
/// login keyring with the password on its standard input; returns once it
/// owns `org.freedesktop.secrets` (it takes the name after starting).
fn spawn_daemon(address: &str, data: &Path, runtime: &Path) -> Child {
    let mut child = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--unlock", "--components=secrets"])
        .env("DBUS_SESSION_BUS_ADDRESS", address)
        .env("XDG_DATA_HOME", data)
        .env("XDG_RUNTIME_DIR", runtime)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon starts");
    // Dropping stdin closes it: the daemon reads the password to its end.
    child
        .stdin
        .take()
        .unwrap()
        .write_all(PASSWORD.as_bytes())
        .unwrap();
    let started = Instant::now();
    loop {
        let owner = Command::new("dbus-send")
            .args([
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", address)
            .output()
            .unwrap();
        if String::from_utf8_lossy(&owner.stdout).contains("boolean true") {
            return child;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("gnome-keyring-daemon exited at start: {status}");
        }
        assert!(
            started.elapsed() < HANG_GUARD,
            "gnome-keyring-daemon did not take its bus name"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
