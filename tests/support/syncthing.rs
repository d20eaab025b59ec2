//! A real sync engine for tests: two Syncthing instances on 127.0.0.1 that
//! know each other and share one folder, as two desktops with Syncthing would
//! (issue 19, "A real sync engine in the tests").
//!
//! Each instance has its own home (keys made by `syncthing generate`, a
//! `config.xml` written here, its database, `syncthing.log`) and its own copy of
//! the folder, all in one temporary directory removed on drop, after both
//! processes are killed. If the test is panicking, the end of both logs is
//! printed first.
//!
//! The whole config is written before start, not patched through the REST API:
//! every option that could reach the network is then off from the first
//! instant (global and local discovery, relays, NAT, STUN, usage and crash
//! reports, upgrades). Options missing from the file would take Syncthing's
//! defaults, which are network-facing, so they are all spelled out.
//!
//! Only A dials, B at `tcp://127.0.0.1:PORT`; B knows A's device ID and accepts
//! it, but has no address for it. When both dialed at the same instant, each
//! one's connection handler (one at a time in Syncthing 1.19) waited on its
//! own outgoing Hello while the peer's waited on its own: both stalled for
//! the 20 s Hello timeout, in 2 of the first 9 starts here.
//!
//! Waits poll a condition (the REST API, the files on disk) with a long guard
//! against a hang; the time a wait took is reported, never judged.
//!
//! Syncthing writes an incoming file as `.syncthing.NAME.tmp` and renames it
//! into place once complete, and never sends files named that way: writers
//! on the sending side can use the same name for their own atomic writes
//! ([`write_atomically`]).
//!
//! Use from a test file:
//!
//! ```ignore
//! #[path = "support/syncthing.rs"]
//! mod syncthing;
//! use syncthing::{Side, write_atomically};
//!
//! let Some(pair) = syncthing::pair_or_skip() else { return };
//! write_atomically(pair.a_folder(), "f.json", &bytes)?;
//! pair.scan(Side::A)?; // rather than waiting for A's watcher
//! let arrival = pair.wait_for_file(Side::B, "f.json", &bytes)?;
//! pair.wait_synced()?; // nothing more on its way either way
//! ```
#![allow(dead_code)]

use std::cell::RefCell;
use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Only against a hang: on an idle machine both instances are connected and
/// idle in about a second, and a 1 MiB file arrives in well under one.
pub const HANG_GUARD: Duration = Duration::from_secs(120);
/// The one shared folder's ID on both devices.
pub const FOLDER_ID: &str = "ninsho-follow";
const POLL: Duration = Duration::from_millis(10);
/// Lines of each log shown when something fails.
const LOG_TAIL: usize = 60;

/// Set by `.ci/test`, which installs Syncthing: a missing one then fails the
/// test instead of skipping it.
pub fn required() -> bool {
    std::env::var("NINSHO_TEST_SYNCTHING").is_ok_and(|v| v == "1")
}

/// The pair, or `None` after printing `skipped: …` where Syncthing is not
/// installed (outside the CI harness; inside it, that fails). An installed
/// Syncthing that does not start fails the test everywhere.
pub fn pair_or_skip() -> Option<Pair> {
    if syncthing_binary().is_none() {
        assert!(
            !required(),
            "NINSHO_TEST_SYNCTHING=1 but syncthing is not on PATH (.ci/test installs Debian's `syncthing`)"
        );
        eprintln!("skipped: syncthing is not installed (Debian: `apt-get install syncthing`)");
        return None;
    }
    match Pair::start() {
        Ok(pair) => Some(pair),
        Err(e) => panic!("{e}"),
    }
}

fn syncthing_binary() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("syncthing"))
            .find(|p| p.is_file())
    })
}

/// One of the two devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    A,
    B,
}

impl Side {
    pub fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }
}

struct Instance {
    side: Side,
    // In a cell so that waits, which only read, can still ask whether it exited.
    child: RefCell<Child>,
    home: PathBuf,
    folder: PathBuf,
    gui_port: u16,
    api_key: String,
    device_id: String,
}

/// Two running Syncthing instances, connected, sharing [`FOLDER_ID`].
pub struct Pair {
    a: Instance,
    b: Instance,
    /// From the call to [`Pair::start`] until both were connected and idle.
    pub startup: Duration,
    // Last: removed after both instances are dropped, which kills them.
    _root: tempfile::TempDir,
}

/// What [`Pair::wait_for_file`] saw while it waited.
#[derive(Debug)]
pub struct Arrival {
    /// From the start of the wait until the expected bytes were there.
    pub after: Duration,
    /// Sizes of any other content read under the final name meanwhile: for a
    /// new file, each one is a file seen before it was complete.
    pub other_contents: Vec<usize>,
    /// Whether Syncthing's `.syncthing.NAME.tmp` was seen meanwhile.
    pub saw_temporary: bool,
}

struct Prepared {
    side: Side,
    home: PathBuf,
    folder: PathBuf,
    device_id: String,
    config_version: String,
}

impl Pair {
    /// Generates both devices' keys, writes their configs, starts both and
    /// waits until each is connected to the other and the folder is idle on both.
    pub fn start() -> Result<Pair, String> {
        let started = Instant::now();
        let mut attempt = 1;
        loop {
            match Pair::try_start(started) {
                // A free port we picked was taken before Syncthing bound it.
                Err(e) if attempt < 3 && e.contains("address already in use") => {
                    eprintln!("syncthing: a port was taken meanwhile, starting again: {e}");
                    attempt += 1;
                }
                outcome => return outcome,
            }
        }
    }

    fn try_start(started: Instant) -> Result<Pair, String> {
        let binary = syncthing_binary().ok_or("syncthing is not on PATH")?;
        let root = tempfile::Builder::new()
            .prefix("ninsho-syncthing-")
            .tempdir()
            .map_err(|e| format!("temporary directory: {e}"))?;
        let a = prepare(&binary, root.path(), Side::A)?;
        let b = prepare(&binary, root.path(), Side::B)?;

        // Held until just before the start, so nothing else takes them meanwhile.
        let listeners = (0..4)
            .map(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("no free port on 127.0.0.1: {e}"))?;
        let ports = listeners
            .iter()
            .map(|l| l.local_addr().map(|a| a.port()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("port: {e}"))?;
        let (a_gui, a_sync, b_gui, b_sync) = (ports[0], ports[1], ports[2], ports[3]);
        let a_key = uuid::Uuid::new_v4().simple().to_string();
        let b_key = uuid::Uuid::new_v4().simple().to_string();
        write_config(&a, &b, a_gui, a_sync, Some(b_sync), &a_key)?;
        write_config(&b, &a, b_gui, b_sync, None, &b_key)?;
        drop(listeners);

        // B first, and A (the one that dials) once B answers: A dials at once
        // instead of after its first failed attempt's 5 s pause.
        let b = launch(&binary, b, b_gui, b_key)?;
        let waited = Instant::now();
        while http(b.gui_port, &b.api_key, "GET", "/rest/system/ping").is_err() {
            if let Some(status) = b.exited() {
                return Err(format!("syncthing B exited ({status})\n{}", b.log_tail()));
            }
            if waited.elapsed() > HANG_GUARD {
                return Err(format!(
                    "syncthing B's REST API did not answer within {HANG_GUARD:?}\n{}",
                    b.log_tail()
                ));
            }
            std::thread::sleep(POLL);
        }
        // A taken GUI port ends Syncthing; a taken sync port only stops its
        // listener, which A could then never reach.
        let status = http(b.gui_port, &b.api_key, "GET", "/rest/system/status")
            .map_err(|e| format!("B: GET /rest/system/status: {e}"))?;
        let status: Value =
            serde_json::from_str(&status).map_err(|e| format!("B's status: {e}"))?;
        let listener = &status["connectionServiceStatus"][format!("tcp://127.0.0.1:{b_sync}")];
        if !listener["error"].is_null() {
            return Err(format!(
                "B's listener on 127.0.0.1:{b_sync}: {}",
                listener["error"]
            ));
        }
        let a = launch(&binary, a, a_gui, a_key)?;
        let mut pair = Pair {
            a,
            b,
            startup: Duration::ZERO,
            _root: root,
        };
        pair.wait_connected()?;
        pair.wait_idle(Side::A)?;
        pair.wait_idle(Side::B)?;
        pair.startup = started.elapsed();
        Ok(pair)
    }

    fn instance(&self, side: Side) -> &Instance {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }

    /// The shared folder as `side` has it.
    pub fn folder(&self, side: Side) -> &Path {
        &self.instance(side).folder
    }

    pub fn a_folder(&self) -> &Path {
        self.folder(Side::A)
    }

    pub fn b_folder(&self) -> &Path {
        self.folder(Side::B)
    }

    pub fn device_id(&self, side: Side) -> &str {
        &self.instance(side).device_id
    }

    /// A REST API call on `side` (`path` with its query), its JSON answer
    /// (`null` for an empty body). Any status but 200 is an error.
    pub fn rest(&self, side: Side, method: &str, path: &str) -> Result<Value, String> {
        let i = self.instance(side);
        let body = http(i.gui_port, &i.api_key, method, path)
            .map_err(|e| format!("{side:?}: {method} {path}: {e}"))?;
        if body.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&body)
            .map_err(|e| format!("{side:?}: {method} {path}: not JSON ({e}): {body}"))
    }

    /// Asks `side` to scan the folder now instead of waiting for its watcher;
    /// returns once the scan is done.
    pub fn scan(&self, side: Side) -> Result<(), String> {
        self.rest(side, "POST", &format!("/rest/db/scan?folder={FOLDER_ID}"))
            .map(drop)
    }

    /// Waits until `side`'s folder holds `name` (relative to it) with exactly
    /// `expected`, reading the file under its final name at every poll.
    pub fn wait_for_file(
        &self,
        side: Side,
        name: &str,
        expected: &[u8],
    ) -> Result<Arrival, String> {
        let folder = self.folder(side);
        let path = folder.join(name);
        let temporary = temporary_name(&path);
        let started = Instant::now();
        let mut other_contents = Vec::new();
        let mut saw_temporary = false;
        loop {
            match fs::read(&path) {
                Ok(bytes) if bytes == expected => {
                    return Ok(Arrival {
                        after: started.elapsed(),
                        other_contents,
                        saw_temporary,
                    });
                }
                Ok(bytes) => {
                    // Count each distinct sighting once, not once per poll.
                    if other_contents.last() != Some(&bytes.len()) {
                        other_contents.push(bytes.len());
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("reading {}: {e}", path.display())),
            }
            saw_temporary |= temporary.exists();
            if started.elapsed() > HANG_GUARD {
                return Err(format!(
                    "{name} did not arrive in {side:?}'s folder with the expected {} bytes within {HANG_GUARD:?} \
                     (other contents seen: {other_contents:?}, temporary file seen: {saw_temporary}); \
                     folder holds {:?}\n{}",
                    expected.len(),
                    listing(folder),
                    self.logs()
                ));
            }
            self.check_alive()?;
            std::thread::sleep(POLL);
        }
    }

    /// Waits until both devices report a connection to the other.
    pub fn wait_connected(&self) -> Result<(), String> {
        let (a_id, b_id) = (self.a.device_id.clone(), self.b.device_id.clone());
        self.wait_until("A and B connected to each other", |pair| {
            Ok(pair.connected(Side::A, &b_id)? && pair.connected(Side::B, &a_id)?)
        })
    }

    fn connected(&self, side: Side, to: &str) -> Result<bool, String> {
        // Refused while the GUI is still starting: not yet, not an error.
        let Ok(v) = self.rest(side, "GET", "/rest/system/connections") else {
            return Ok(false);
        };
        Ok(v["connections"][to]["connected"].as_bool() == Some(true))
    }

    /// Waits until each side is idle and knows the other has everything it
    /// has: nothing more is on its way, in either direction.
    pub fn wait_synced(&self) -> Result<(), String> {
        for side in [Side::A, Side::B] {
            self.wait_idle(side)?;
            let peer = self.device_id(side.other()).to_string();
            let query = format!("/rest/db/completion?folder={FOLDER_ID}&device={peer}");
            self.wait_until(
                &format!("{:?} complete as {side:?} sees it", side.other()),
                |pair| {
                    let v = pair.rest(side, "GET", &query)?;
                    Ok(v["completion"].as_f64() == Some(100.0)
                        && v["needItems"].as_u64() == Some(0)
                        && v["needDeletes"].as_u64() == Some(0))
                },
            )?;
        }
        Ok(())
    }

    /// Waits until `side` reports the folder idle (not scanning, not syncing).
    pub fn wait_idle(&self, side: Side) -> Result<(), String> {
        self.wait_until(&format!("{side:?}'s folder idle"), |pair| {
            let v = pair.rest(side, "GET", &format!("/rest/db/status?folder={FOLDER_ID}"))?;
            match v["state"].as_str() {
                Some("idle") => Ok(true),
                Some("error") => Err(format!("{side:?}'s folder is in error: {v}")),
                _ => Ok(false),
            }
        })
    }

    fn wait_until(
        &self,
        what: &str,
        mut done: impl FnMut(&Pair) -> Result<bool, String>,
    ) -> Result<(), String> {
        let started = Instant::now();
        loop {
            let outcome = done(self);
            match outcome {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                Err(e) => return Err(format!("waiting for {what}: {e}\n{}", self.logs())),
            }
            if started.elapsed() > HANG_GUARD {
                return Err(format!(
                    "waiting for {what}: not so after {HANG_GUARD:?}\n{}",
                    self.logs()
                ));
            }
            self.check_alive()?;
            std::thread::sleep(POLL);
        }
    }

    /// An error, with the logs, if either process has exited.
    fn check_alive(&self) -> Result<(), String> {
        for i in [&self.a, &self.b] {
            if let Some(status) = i.exited() {
                return Err(format!(
                    "syncthing {:?} exited ({status})\n{}",
                    i.side,
                    self.logs()
                ));
            }
        }
        Ok(())
    }

    /// The end of both instances' logs, for failure messages.
    pub fn logs(&self) -> String {
        format!("{}\n{}", self.a.log_tail(), self.b.log_tail())
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("{}", self.logs());
        }
        // Then the instances (killed) and `_root`, in field order.
    }
}

impl Instance {
    /// How the process ended, if it has.
    fn exited(&self) -> Option<String> {
        match self.child.borrow_mut().try_wait() {
            Ok(None) => None,
            Ok(Some(status)) => Some(status.to_string()),
            Err(e) => Some(e.to_string()),
        }
    }

    fn log_tail(&self) -> String {
        let log = self.home.join("syncthing.log");
        let text = fs::read_to_string(&log).unwrap_or_else(|e| format!("({e})"));
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(LOG_TAIL)..].join("\n");
        format!(
            "--- syncthing {:?}: {} (end) ---\n{tail}",
            self.side,
            log.display()
        )
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let child = self.child.get_mut();
        // Were `serve` a monitor after all (a Syncthing that ignores
        // STMONITORED), its child would outlive it: killed too.
        let grandchildren = children(child.id());
        let _ = child.kill();
        let _ = child.wait();
        for pid in grandchildren {
            kill_and_wait(pid);
        }
    }
}

/// The processes `pid` started (Linux: `/proc`; elsewhere none are known).
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    // Per thread: any of Syncthing's threads may have started it.
    tasks
        .filter_map(|t| fs::read_to_string(t.ok()?.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

/// Kills a process that is not our child and waits (guarded) until it has
/// exited, so its home is not removed under it. Exited means gone or a
/// zombie: its new parent may never reap it.
#[cfg(target_os = "linux")]
fn kill_and_wait(pid: u32) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    // SAFETY: a plain system call on a pid; no memory is involved.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    let started = Instant::now();
    while started.elapsed() < HANG_GUARD {
        match fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(stat)
                if !stat
                    .rsplit_once(") ")
                    .is_some_and(|(_, s)| s.starts_with('Z')) =>
            {
                std::thread::sleep(POLL)
            }
            _ => return,
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn kill_and_wait(_pid: u32) {}

/// Writes `bytes` to `folder/name` as Syncthing itself does: under the
/// temporary name it never sends, synced to disk, then renamed into place.
pub fn write_atomically(folder: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = folder.join(name);
    let temporary = temporary_name(&path);
    let mut f = fs::File::create(&temporary)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    fs::rename(&temporary, &path)?;
    fs::File::open(path.parent().unwrap_or(folder))?.sync_all()
}

/// `dir/.syncthing.NAME.tmp` for `dir/NAME`.
pub fn temporary_name(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!(".syncthing.{name}.tmp"))
}

fn listing(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Makes `side`'s home with keys and a generated config (read for its device
/// ID and config version), and its folder with the marker Syncthing requires.
fn prepare(binary: &Path, root: &Path, side: Side) -> Result<Prepared, String> {
    let dir = root.join(format!("{side:?}").to_lowercase());
    let home = dir.join("home");
    let folder = dir.join("folder");
    fs::create_dir_all(folder.join(".stfolder"))
        .map_err(|e| format!("creating {}: {e}", folder.display()))?;
    let out = Command::new(binary)
        .arg("generate")
        .arg(format!("--home={}", home.display()))
        .args(["--no-default-folder", "--skip-port-probing"])
        .env("HOME", &dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("running syncthing generate: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "syncthing generate --home {} failed ({}): {}{}",
            home.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let config_path = home.join("config.xml");
    let generated = fs::read_to_string(&config_path)
        .map_err(|e| format!("reading {}: {e}", config_path.display()))?;
    let attribute = |element: &str, name: &str| {
        let start = generated.find(&format!("<{element} "))?;
        let tag = &generated[start..start + generated[start..].find('>')?];
        let value = tag.split(&format!(" {name}=\"")).nth(1)?;
        Some(value[..value.find('"')?].to_string())
    };
    let device_id = attribute("device", "id").filter(|id| !id.is_empty());
    let config_version = attribute("configuration", "version");
    let (Some(device_id), Some(config_version)) = (device_id, config_version) else {
        return Err(format!(
            "no device ID or config version in the generated {}:\n{generated}",
            config_path.display()
        ));
    };
    Ok(Prepared {
        side,
        home,
        folder,
        device_id,
        config_version,
    })
}

/// The whole `config.xml` of `me`, who knows only `peer`, and dials it at
/// `peer_sync_port` if given.
fn write_config(
    me: &Prepared,
    peer: &Prepared,
    gui_port: u16,
    sync_port: u16,
    peer_sync_port: Option<u16>,
    api_key: &str,
) -> Result<(), String> {
    // With discovery off, "dynamic" finds no address: that side never dials.
    let peer_address = peer_sync_port.map_or("dynamic".to_string(), |port| {
        format!("tcp://127.0.0.1:{port}")
    });
    let config = format!(
        r#"<configuration version="{version}">
    <folder id="{FOLDER_ID}" label="{FOLDER_ID}" path="{folder}" type="sendreceive" rescanIntervalS="10" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">
        <filesystemType>basic</filesystemType>
        <device id="{me_id}" introducedBy=""></device>
        <device id="{peer_id}" introducedBy=""></device>
        <minDiskFree unit="%">0</minDiskFree>
        <pullerPauseS>1</pullerPauseS>
        <markerName>.stfolder</markerName>
    </folder>
    <device id="{me_id}" name="{me_name:?}" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
        <address>dynamic</address>
        <paused>false</paused>
        <autoAcceptFolders>false</autoAcceptFolders>
    </device>
    <device id="{peer_id}" name="{peer_name:?}" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
        <address>{peer_address}</address>
        <paused>false</paused>
        <autoAcceptFolders>false</autoAcceptFolders>
    </device>
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:{gui_port}</address>
        <apikey>{api_key}</apikey>
        <theme>default</theme>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:{sync_port}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <stunKeepaliveStartS>0</stunKeepaliveStartS>
        <announceLANAddresses>false</announceLANAddresses>
        <startBrowser>false</startBrowser>
        <urAccepted>-1</urAccepted>
        <crashReportingEnabled>false</crashReportingEnabled>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <restartOnWakeup>false</restartOnWakeup>
        <reconnectionIntervalS>2</reconnectionIntervalS>
        <setLowPriority>false</setLowPriority>
        <minHomeDiskFree unit="%">0</minHomeDiskFree>
    </options>
</configuration>
"#,
        version = me.config_version,
        folder = xml_escape(&me.folder.to_string_lossy()),
        me_id = me.device_id,
        peer_id = peer.device_id,
        me_name = me.side,
        peer_name = peer.side,
    );
    let path = me.home.join("config.xml");
    fs::write(&path, config).map_err(|e| format!("writing {}: {e}", path.display()))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn launch(binary: &Path, p: Prepared, gui_port: u16, api_key: String) -> Result<Instance, String> {
    let log_path = p.home.join("syncthing.log");
    let log =
        fs::File::create(&log_path).map_err(|e| format!("creating {}: {e}", log_path.display()))?;
    let log_err = log
        .try_clone()
        .map_err(|e| format!("{}: {e}", log_path.display()))?;
    let child = Command::new(binary)
        .arg("serve")
        .arg(format!("--home={}", p.home.display()))
        .args([
            "--no-browser",
            "--no-restart",
            "--no-upgrade",
            "--no-default-folder",
        ])
        .arg("--logflags=6")
        .env("HOME", p.home.parent().unwrap_or(&p.home))
        // What Syncthing's own monitor process sets for the process it starts:
        // without it, `serve` (even with --no-restart) is a monitor whose
        // child, the real Syncthing, outlived a kill of the monitor by up to
        // seconds, writing in a home being removed. (Drop kills such a child
        // too, should a later Syncthing ignore this.)
        .env("STMONITORED", "yes")
        .env("STNORESTART", "1")
        .env("STNOUPGRADE", "1")
        // Skips the start-up benchmark that picks this implementation anyway
        // where the CPU has SHA extensions (a second of both cores, under load more).
        .env("STHASHING", "minio")
        // These would override the config's GUI address and key.
        .env_remove("STGUIADDRESS")
        .env_remove("STGUIAPIKEY")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| format!("starting {}: {e}", binary.display()))?;
    Ok(Instance {
        side: p.side,
        child: RefCell::new(child),
        home: p.home,
        folder: p.folder,
        gui_port,
        api_key,
        device_id: p.device_id,
    })
}

/// A blocking HTTP/1.0 request to the REST API; the body of a 200 answer.
fn http(port: u16, api_key: &str, method: &str, path: &str) -> Result<String, String> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream =
        TcpStream::connect_timeout(&address, Duration::from_secs(10)).map_err(|e| e.to_string())?;
    // A scan answers when it is done; under load that can take a while.
    stream
        .set_read_timeout(Some(HANG_GUARD))
        .and_then(|()| stream.set_write_timeout(Some(HANG_GUARD)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nX-API-Key: {api_key}\r\nContent-Length: 0\r\n\r\n"
    )
    .map_err(|e| format!("sending: {e}"))?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .map_err(|e| format!("reading the answer: {e}"))?;
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no HTTP answer: {answer:?}"))?;
    let status = head.split(' ').nth(1).unwrap_or("");
    if status != "200" {
        return Err(format!("HTTP {status}: {}", body.trim()));
    }
    Ok(body.to_string())
}
