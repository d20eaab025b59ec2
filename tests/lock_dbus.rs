//! Protects: `ninsho lock` locks every open window and says how many; a
//! window locks when a screen saver locks the screen, when logind locks its
//! session and before the computer sleeps, and for nothing else; unlocking
//! with the system's authentication asks polkit about this very process, for
//! the unlock action, and takes its answer as given. (Issue 20, Linux.)
//!
//! Each test starts buses of its own (`dbus-daemon`), so the windows of other
//! tests, or of a desktop, are never counted; fakes of polkit and logind serve
//! on them as the real ones do on the system bus.
#![cfg(target_os = "linux")]

mod common;
#[path = "support/private_keyring.rs"]
mod private_keyring;

use std::collections::HashMap;
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use ninsho::lock::Reached;
use ninsho::lock::dbus::{
    self, BUS_NAME, INTERFACE, LockReason, LockRequestError, OBJECT_PATH, Polkit, UNLOCK_ACTION,
    Watch, Watcher, Watching,
};
use private_keyring::Bus;
use zbus::Connection;
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

/// Only against a hang: every wait ends on an event long before this.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// A `dbus-daemon` of the test's own, with the folder its socket is in.
struct PrivateBus {
    bus: Option<Bus>,
    _dir: tempfile::TempDir,
}

impl PrivateBus {
    /// A fresh bus, or `None` (the test skips) outside the harness without
    /// `dbus-daemon`.
    fn start() -> Option<PrivateBus> {
        if !common::have_tool("dbus-daemon") {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let bus = Bus::without_activation(dir.path());
        Some(PrivateBus {
            bus: Some(bus),
            _dir: dir,
        })
    }

    fn address(&self) -> &str {
        &self.bus.as_ref().unwrap().address
    }

    fn connect(&self) -> Connection {
        async_io::block_on(async {
            zbus::connection::Builder::address(self.address())?
                .build()
                .await
        })
        .unwrap()
    }

    /// Stops the daemon: every connection to it ends.
    fn kill(&mut self) {
        drop(self.bus.take());
    }
}

/// A window's watch on `session` (and `system`, for logind): what it was
/// told, in order, on a channel that closes when the watch has ended.
fn window(session: &str, system: Option<&str>) -> (Watch, mpsc::Receiver<LockReason>) {
    window_with_lock(session, system, true)
}

/// [`window`], whose lock is on or off (`Lock()` answers which).
fn window_with_lock(
    session: &str,
    system: Option<&str>,
    lock_on: bool,
) -> (Watch, mpsc::Receiver<LockReason>) {
    let (tx, rx) = mpsc::channel();
    let watch = Watcher::new()
        .session_bus(session)
        .system_bus(system)
        .spawn(move |reason| {
            let _ = tx.send(reason);
            lock_on
        })
        .unwrap();
    (watch, rx)
}

/// Waits until `count` windows are queued for the name (a closed window
/// leaves the queue shortly after its watch is dropped).
fn wait_until_queued(bus: &PrivateBus, count: usize) {
    let observer = bus.connect();
    let deadline = Instant::now() + HANG_GUARD;
    while queued(&observer).len() != count {
        assert!(
            Instant::now() < deadline,
            "the closed window stayed queued (hang guard)"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn ready(watch: &Watch) -> Watching {
    watch
        .ready(HANG_GUARD)
        .expect("the watch subscribes (hang guard)")
}

/// Everything a watch was told until it ended.
fn all_until_ended(rx: &mpsc::Receiver<LockReason>) -> Vec<LockReason> {
    let mut seen = Vec::new();
    loop {
        match rx.recv_timeout(HANG_GUARD) {
            Ok(reason) => seen.push(reason),
            Err(mpsc::RecvTimeoutError::Disconnected) => return seen,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("the watch did not end with its bus (hang guard); so far {seen:?}")
            }
        }
    }
}

/// Sends a signal, as a screen saver or logind would.
fn emit<B>(connection: &Connection, path: &str, interface: &str, member: &str, body: &B)
where
    B: serde::Serialize + zbus::zvariant::DynamicType,
{
    async_io::block_on(connection.emit_signal(None::<()>, path, interface, member, body)).unwrap();
}

/// A screen saver's `ActiveChanged` (KDE's is at `/ScreenSaver`).
fn active_changed(connection: &Connection, interface: &str, active: bool) {
    emit(
        connection,
        "/ScreenSaver",
        interface,
        "ActiveChanged",
        &active,
    );
}

/// logind's `PrepareForSleep`: `true` before sleep, `false` on waking.
fn prepare_for_sleep(logind: &Connection, start: bool) {
    let manager = "org.freedesktop.login1.Manager";
    emit(
        logind,
        "/org/freedesktop/login1",
        manager,
        "PrepareForSleep",
        &start,
    );
}

/// A round trip to the bus: once it answers, it has passed on every signal
/// `connection` sent before.
fn flush(connection: &Connection) {
    async_io::block_on(connection.call_method(
        Some("org.freedesktop.DBus"),
        "/org/freedesktop/DBus",
        Some("org.freedesktop.DBus"),
        "GetId",
        &(),
    ))
    .unwrap();
}

/// The unique names queued for [`BUS_NAME`]: the windows `ninsho lock` finds.
fn queued(connection: &Connection) -> Vec<String> {
    let reply = async_io::block_on(connection.call_method(
        Some("org.freedesktop.DBus"),
        "/org/freedesktop/DBus",
        Some("org.freedesktop.DBus"),
        "ListQueuedOwners",
        &(BUS_NAME),
    ));
    match reply {
        Ok(reply) => reply.body().deserialize().unwrap(),
        Err(_) => Vec::new(),
    }
}

/// `ninsho lock` with `bus` as its session bus.
fn ninsho_lock(bus: &str, lang: &str) -> Output {
    let env = common::Env::new();
    common::run_cmd(
        env.cmd()
            .args(["--lang", lang, "lock"])
            .env("DBUS_SESSION_BUS_ADDRESS", bus),
        "",
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn ninsho_lock_locks_every_window_and_says_how_many() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let address = bus.address();

    // No window yet.
    assert_eq!(dbus::request_lock_at(address).unwrap(), Reached::default());
    let out = ninsho_lock(address, "en");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(text(&out.stderr), "ninsho: no Ninsho window is running\n");
    assert!(out.stdout.is_empty(), "{out:?}");

    // Two windows: the second queues for the name and is reached all the same.
    let (first, first_rx) = window(address, None);
    let (second, second_rx) = window(address, None);
    for watch in [&first, &second] {
        assert_eq!(
            ready(watch),
            Watching {
                commands: true,
                screen_saver: true,
                session_lock: false,
                sleep: false,
            }
        );
    }
    assert_eq!(
        dbus::request_lock_at(address).unwrap(),
        Reached { locked: 2, off: 0 }
    );
    for rx in [&first_rx, &second_rx] {
        assert_eq!(rx.recv_timeout(HANG_GUARD), Ok(LockReason::Command));
    }

    let out = ninsho_lock(address, "en");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(text(&out.stdout), "locked 2 windows\n");
    assert!(out.stderr.is_empty(), "{out:?}");
    for rx in [&first_rx, &second_rx] {
        assert_eq!(rx.recv_timeout(HANG_GUARD), Ok(LockReason::Command));
    }

    // A window that closes leaves the queue; the other is still reached.
    drop(second);
    assert!(
        all_until_ended(&second_rx).is_empty(),
        "a stopped watch was told to lock"
    );
    wait_until_queued(&bus, 1);
    let out = ninsho_lock(address, "en");
    assert_eq!(text(&out.stdout), "locked the window\n", "{out:?}");
    assert_eq!(first_rx.recv_timeout(HANG_GUARD), Ok(LockReason::Command));

    // A window whose lock is off in its Settings is asked too, but cannot
    // lock: `ninsho lock` says so and fails, as the codes still show.
    let (off, off_rx) = window_with_lock(address, None, false);
    ready(&off);
    assert_eq!(
        dbus::request_lock_at(address).unwrap(),
        Reached { locked: 1, off: 1 }
    );
    let out = ninsho_lock(address, "en");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        text(&out.stderr),
        "ninsho: locked 1 of 2 windows; the others have their lock off and still show the codes: turn the lock on in their Settings → Lock\n"
    );
    assert!(out.stdout.is_empty(), "{out:?}");
    drop(first);
    wait_until_queued(&bus, 1);
    let out = ninsho_lock(address, "en");
    assert_eq!(
        text(&out.stderr),
        "ninsho: the running Ninsho window has its lock off, so it still shows the codes: turn the lock on in its Settings → Lock\n"
    );
    for _ in 0..3 {
        assert_eq!(off_rx.recv_timeout(HANG_GUARD), Ok(LockReason::Command));
    }
}

#[test]
fn ninsho_lock_speaks_japanese() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let out = ninsho_lock(bus.address(), "ja");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        text(&out.stderr),
        "ninsho: 実行中の Ninsho のウィンドウはありません\n"
    );
    let (watch, rx) = window(bus.address(), None);
    ready(&watch);
    let out = ninsho_lock(bus.address(), "ja");
    assert_eq!(text(&out.stdout), "ウィンドウをロックしました\n", "{out:?}");
    assert_eq!(rx.recv_timeout(HANG_GUARD), Ok(LockReason::Command));
    drop(watch);
    let (off, _off_rx) = window_with_lock(bus.address(), None, false);
    ready(&off);
    wait_until_queued(&bus, 1);
    let out = ninsho_lock(bus.address(), "ja");
    assert_eq!(
        text(&out.stderr),
        "ninsho: 実行中の Ninsho のウィンドウはロックがオフのため、コードを表示したままです。ウィンドウの設定の「ロック」でオンにしてください\n"
    );
}

#[test]
fn without_a_session_bus_ninsho_lock_asks_the_data_folder_and_a_window_still_opens() {
    // No bus: the data folder is asked instead (`lock::request`), and no
    // window runs there.
    let nowhere = "unix:path=/nonexistent/ninsho-test-bus";
    let out = ninsho_lock(nowhere, "en");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = text(&out.stderr);
    assert_eq!(stderr, "ninsho: no Ninsho window is running\n");
    assert!(matches!(
        dbus::request_lock_at(nowhere),
        Err(LockRequestError::NoSessionBus(_))
    ));

    // The watch reports what it could not subscribe to and is harmless.
    let (watch, _rx) = window(nowhere, None);
    assert_eq!(ready(&watch), Watching::default());
}

#[test]
fn a_window_locks_when_a_screen_saver_locks_the_screen() {
    let Some(mut bus) = PrivateBus::start() else {
        return;
    };
    let (watch, rx) = window(bus.address(), None);
    assert!(ready(&watch).screen_saver);
    let saver = bus.connect();
    let freedesktop = "org.freedesktop.ScreenSaver";
    let gnome = "org.gnome.ScreenSaver";
    // Unlocked, a look-alike from another interface, another signal: nothing.
    active_changed(&saver, freedesktop, false);
    active_changed(&saver, gnome, false);
    active_changed(&saver, "org.example.Other", true);
    emit(&saver, "/ScreenSaver", freedesktop, "WakeUpScreen", &());
    // Locked, once by each.
    active_changed(&saver, freedesktop, true);
    active_changed(&saver, gnome, false);
    active_changed(&saver, gnome, true);
    flush(&saver);
    // The bus goes away after passing them on: the watch handles what it
    // received, then ends, so the list below is all it will ever say.
    bus.kill();
    assert_eq!(
        all_until_ended(&rx),
        [LockReason::ScreenLocked, LockReason::ScreenLocked]
    );
}

/// logind on a bus of the test's own, in the system bus's place.
struct FakeLogind {
    /// Whether `GetSessionByPID` knows this process (a program a desktop
    /// started in a systemd user scope is in no session).
    in_session: bool,
    asked_pid: mpsc::Sender<u32>,
}

const OUR_SESSION: &str = "/org/freedesktop/login1/session/_32";
const OTHER_SESSION: &str = "/org/freedesktop/login1/session/_35";
const USER: &str = "/org/freedesktop/login1/user/_1000";

#[zbus::interface(name = "org.freedesktop.login1.Manager")]
impl FakeLogind {
    #[zbus(name = "GetSessionByPID")]
    fn get_session_by_pid(&self, pid: u32) -> zbus::fdo::Result<OwnedObjectPath> {
        let _ = self.asked_pid.send(pid);
        if self.in_session {
            Ok(OwnedObjectPath::try_from(OUR_SESSION).unwrap())
        } else {
            Err(zbus::fdo::Error::Failed(format!(
                "PID {pid} does not belong to any known session"
            )))
        }
    }

    fn get_user(&self, _uid: u32) -> OwnedObjectPath {
        OwnedObjectPath::try_from(USER).unwrap()
    }
}

struct FakeUser;

#[zbus::interface(name = "org.freedesktop.login1.User")]
impl FakeUser {
    /// The user's graphical session.
    #[zbus(property)]
    fn display(&self) -> (String, OwnedObjectPath) {
        ("2".into(), OwnedObjectPath::try_from(OUR_SESSION).unwrap())
    }
}

fn logind_locks_the_session_and_sleep_locks(in_session: bool) {
    let Some(mut system) = PrivateBus::start() else {
        return;
    };
    let (asked_tx, asked_rx) = mpsc::channel();
    let logind = async_io::block_on(async {
        zbus::connection::Builder::address(system.address())?
            .serve_at(
                "/org/freedesktop/login1",
                FakeLogind {
                    in_session,
                    asked_pid: asked_tx,
                },
            )?
            .serve_at(USER, FakeUser)?
            .name("org.freedesktop.login1")?
            .build()
            .await
    })
    .unwrap();
    // The session bus is the same one here: what matters is the system's.
    let (watch, rx) = window(system.address(), Some(system.address()));
    let watching = ready(&watch);
    assert!(watching.session_lock && watching.sleep, "{watching:?}");
    assert_eq!(asked_rx.try_recv(), Ok(std::process::id()));

    let session = "org.freedesktop.login1.Session";
    // Another session locked, waking up, and a Lock from someone not logind:
    // nothing.
    emit(&logind, OTHER_SESSION, session, "Lock", &());
    prepare_for_sleep(&logind, false);
    let impostor = system.connect();
    emit(&impostor, OUR_SESSION, session, "Lock", &());
    flush(&impostor);
    // This session locked, then going to sleep.
    emit(&logind, OUR_SESSION, session, "Lock", &());
    prepare_for_sleep(&logind, true);
    flush(&logind);
    system.kill();
    let mut seen = all_until_ended(&rx);
    // Two subscriptions: each keeps its order, not the order between them.
    seen.sort_by_key(|r| format!("{r:?}"));
    assert_eq!(seen, [LockReason::ScreenLocked, LockReason::Sleep]);
}

#[test]
fn logind_locks_the_session_of_this_process_and_sleep_locks() {
    logind_locks_the_session_and_sleep_locks(true);
}

/// GNOME starts programs in systemd user scopes, outside any session: then
/// the user's graphical session is the one to follow.
#[test]
fn outside_a_session_the_users_graphical_session_is_followed() {
    logind_locks_the_session_and_sleep_locks(false);
}

/// What the fake authority was asked.
#[derive(Debug, Clone)]
struct Asked {
    subject_kind: String,
    pid: Option<u32>,
    start_time: Option<u64>,
    /// polkit reads the uid as a signed 32-bit number (`i`).
    uid: Option<i32>,
    action_id: String,
    details: HashMap<String, String>,
    flags: u32,
    cancellation_id: String,
}

struct FakeAuthority {
    authorize: Arc<AtomicBool>,
    asked: mpsc::Sender<Asked>,
}

#[zbus::interface(name = "org.freedesktop.PolicyKit1.Authority")]
impl FakeAuthority {
    fn check_authorization(
        &self,
        subject: (String, HashMap<String, OwnedValue>),
        action_id: String,
        details: HashMap<String, String>,
        flags: u32,
        cancellation_id: String,
    ) -> ((bool, bool, HashMap<String, String>),) {
        let (subject_kind, fields) = subject;
        let field = |name: &str| fields.get(name).map(|v| &**v);
        let _ = self.asked.send(Asked {
            subject_kind,
            pid: match field("pid") {
                Some(Value::U32(n)) => Some(*n),
                _ => None,
            },
            start_time: match field("start-time") {
                Some(Value::U64(n)) => Some(*n),
                _ => None,
            },
            uid: match field("uid") {
                Some(Value::I32(n)) => Some(*n),
                _ => None,
            },
            action_id,
            details,
            flags,
            cancellation_id,
        });
        ((self.authorize.load(Ordering::SeqCst), false, HashMap::new()),)
    }
}

#[test]
fn polkit_is_asked_about_this_process_for_the_unlock_action() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    // No authority on the bus yet: a readable error.
    let error = Polkit::at(bus.address()).check(UNLOCK_ACTION).unwrap_err();
    assert!(error.contains("(polkit)"), "{error}");

    let authorize = Arc::new(AtomicBool::new(true));
    let (asked_tx, asked_rx) = mpsc::channel();
    let _authority = async_io::block_on(async {
        zbus::connection::Builder::address(bus.address())?
            .serve_at(
                "/org/freedesktop/PolicyKit1/Authority",
                FakeAuthority {
                    authorize: authorize.clone(),
                    asked: asked_tx,
                },
            )?
            .name("org.freedesktop.PolicyKit1")?
            .build()
            .await
    })
    .unwrap();
    let polkit = Polkit::at(bus.address());

    assert_eq!(polkit.check(UNLOCK_ACTION), Ok(true));
    let asked = asked_rx.recv_timeout(HANG_GUARD).unwrap();
    assert_eq!(asked.action_id, "io.github.ninsho.Ninsho.unlock");
    assert_eq!(asked.subject_kind, "unix-process");
    assert_eq!(asked.pid, Some(std::process::id()));
    // SAFETY: getuid has no preconditions.
    let uid = unsafe { libc::getuid() };
    assert_eq!(asked.uid, Some(uid as i32), "{asked:?}");
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let started = dbus::process_start_time(&stat).unwrap();
    assert!(started > 0);
    assert_eq!(asked.start_time, Some(started));
    assert_eq!(asked.flags, 1, "AllowUserInteraction: the agent may ask");
    assert!(asked.details.is_empty(), "{asked:?}");
    assert_eq!(asked.cancellation_id, "");

    authorize.store(false, Ordering::SeqCst);
    assert_eq!(polkit.check(UNLOCK_ACTION), Ok(false));
    asked_rx.recv_timeout(HANG_GUARD).unwrap();

    let error = Polkit::at("unix:path=/nonexistent/ninsho-test-bus")
        .check(UNLOCK_ACTION)
        .unwrap_err();
    assert!(error.contains("(polkit)"), "{error}");
}

#[test]
fn the_start_time_is_field_22_even_when_the_name_has_spaces_and_parentheses() {
    let stat = "4242 (we ) ird (x)) R 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 12345 678 18446744073709551615";
    assert_eq!(dbus::process_start_time(stat), Some(987654));
    assert_eq!(dbus::process_start_time("4242 (short) R 1 2 3"), None);
    assert_eq!(dbus::process_start_time("no parenthesis at all"), None);
    assert_eq!(
        dbus::process_start_time("1 (x) R 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 notanumber"),
        None
    );
}

/// The names other programs (and `busctl`) use to reach a window.
#[test]
fn the_window_is_reached_at_its_documented_names() {
    assert_eq!(BUS_NAME, "io.github.ninsho.Ninsho");
    assert_eq!(OBJECT_PATH, "/io/github/ninsho/Ninsho");
    assert_eq!(INTERFACE, "io.github.ninsho.Ninsho1");
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let (watch, rx) = window(bus.address(), None);
    ready(&watch);
    // As `busctl --user call io.github.ninsho.Ninsho /io/github/ninsho/Ninsho
    // io.github.ninsho.Ninsho1 Lock` would.
    let caller = bus.connect();
    async_io::block_on(caller.call_method(
        Some(BUS_NAME),
        OBJECT_PATH,
        Some(INTERFACE),
        "Lock",
        &(),
    ))
    .unwrap();
    assert_eq!(rx.recv_timeout(HANG_GUARD), Ok(LockReason::Command));
}
