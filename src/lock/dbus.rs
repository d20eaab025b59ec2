//! The window lock's Linux desktop side, over D-Bus (issue 20).
//!
//! - [`watch`]: one thread that tells the window to lock when asked to
//!   ([`request_lock`], i.e. `ninsho lock`), when a screen saver locks the
//!   screen (`ActiveChanged(true)`), when logind locks the session
//!   (`Session.Lock`) and before the computer sleeps (`PrepareForSleep(true)`).
//! - [`request_lock`]: every window queues for [`BUS_NAME`] (none is refused
//!   it), so the name's queue lists them all and each is called by its unique
//!   name; a call to the well-known name alone would reach only the first.
//! - [`Polkit`]: unlocking with the system's own authentication (the login
//!   password, a fingerprint), as the action [`UNLOCK_ACTION`] that
//!   `assets/io.github.ninsho.Ninsho.policy` declares.
//!
//! Anyone on the session bus may lock a window, as anyone at the desktop may
//! lock the screen; nothing over the bus unlocks one.
//!
//! zbus's async API is driven by `async_io::block_on` on our one thread (zbus
//! reads each connection's socket on a thread of its own). Each kind of signal
//! arrives on one subscription (every screen saver's on the same one), so the
//! signals of a kind are handled in the order they were sent.

use std::collections::HashMap;
use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::Reached;
use zbus::connection::Builder;
use zbus::export::futures_core::Stream;
use zbus::message::{Message, Type as MessageType};
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};
use zbus::{Connection, MatchRule, MessageStream};

use crate::t;

/// The name every window queues for on the session bus.
pub const BUS_NAME: &str = "io.github.ninsho.Ninsho";
/// Where each window serves [`INTERFACE`].
pub const OBJECT_PATH: &str = "/io/github/ninsho/Ninsho";
/// The window's interface: one method, `Lock() -> b` (whether the window's
/// lock is on, so it locks).
pub const INTERFACE: &str = "io.github.ninsho.Ninsho1";
/// The polkit action for unlocking the window with the system's authentication.
pub const UNLOCK_ACTION: &str = "io.github.ninsho.Ninsho.unlock";

/// Screen savers whose `ActiveChanged(true)` means the screen is locked:
/// KDE's and the freedesktop name most use, GNOME's, MATE's and Cinnamon's.
pub const SCREEN_SAVERS: [&str; 4] = [
    "org.freedesktop.ScreenSaver",
    "org.gnome.ScreenSaver",
    "org.mate.ScreenSaver",
    "org.cinnamon.ScreenSaver",
];

pub const LOGIND: &str = "org.freedesktop.login1";
const LOGIND_PATH: &str = "/org/freedesktop/login1";
const LOGIND_MANAGER: &str = "org.freedesktop.login1.Manager";
const LOGIND_SESSION: &str = "org.freedesktop.login1.Session";
const LOGIND_USER: &str = "org.freedesktop.login1.User";
const PROPERTIES: &str = "org.freedesktop.DBus.Properties";

const POLKIT: &str = "org.freedesktop.PolicyKit1";
const POLKIT_PATH: &str = "/org/freedesktop/PolicyKit1/Authority";
const POLKIT_AUTHORITY: &str = "org.freedesktop.PolicyKit1.Authority";
/// polkit's `AllowUserInteraction`: its agent may ask for the password.
const ALLOW_USER_INTERACTION: u32 = 1;

/// The bus and logind answer in milliseconds; this only keeps a hung peer
/// from holding the watch, or `ninsho lock`, for ever. (Not for polkit: a
/// person may take their time typing a password.)
const CALL_TIMEOUT: Duration = Duration::from_secs(25);

/// Why the window is told to lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockReason {
    /// `ninsho lock`, or anyone calling `Lock()` on the session bus.
    Command,
    /// A screen saver locked the screen, or logind the session.
    ScreenLocked,
    /// The computer is about to sleep.
    Sleep,
}

/// Asks the window to lock; says whether its lock is on (it locks).
type OnLock = Arc<dyn Fn(LockReason) -> bool + Send + Sync>;

/// Which bus to use.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Bus {
    /// The user's: `DBUS_SESSION_BUS_ADDRESS`, or the system bus's socket.
    Default,
    At(String),
    Off,
}

impl Bus {
    /// A connection builder, or `None` when the bus is off.
    fn builder(&self, system: bool) -> Option<zbus::Result<Builder<'static>>> {
        match self {
            Bus::Off => None,
            Bus::Default if system => Some(Builder::system()),
            Bus::Default => Some(Builder::session()),
            Bus::At(address) => Some(Builder::address(address.as_str())),
        }
    }
}

/// What to watch: the user's session and system buses, or others (tests).
#[derive(Clone, Debug)]
pub struct Watcher {
    session: Bus,
    system: Bus,
}

impl Default for Watcher {
    fn default() -> Self {
        Watcher::new()
    }
}

/// What a [`Watch`] subscribed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Watching {
    /// It serves `Lock()` and queued for [`BUS_NAME`]: `ninsho lock` reaches it.
    pub commands: bool,
    /// Screen savers' `ActiveChanged`.
    pub screen_saver: bool,
    /// logind's `Lock` of this desktop session.
    pub session_lock: bool,
    /// logind's `PrepareForSleep`.
    pub sleep: bool,
}

/// A running watch; dropping it stops the watch (and the window is no longer
/// among those `ninsho lock` finds).
#[must_use = "the watch stops when dropped"]
pub struct Watch {
    stop: Arc<Stop>,
    ready: Mutex<Ready>,
}

enum Ready {
    Waiting(mpsc::Receiver<Watching>),
    Known(Option<Watching>),
}

/// Watches for reasons to lock with the user's own buses; see [`Watcher::spawn`].
pub fn watch(
    on_lock: impl Fn(LockReason) -> bool + Send + Sync + 'static,
) -> std::io::Result<Watch> {
    Watcher::new().spawn(on_lock)
}

impl Watcher {
    /// The user's session bus and the system bus.
    pub fn new() -> Watcher {
        Watcher {
            session: Bus::Default,
            system: Bus::Default,
        }
    }

    /// Another session bus, by its address.
    pub fn session_bus(mut self, address: &str) -> Watcher {
        self.session = Bus::At(address.to_string());
        self
    }

    /// Another bus in the system bus's place (`None`: none, so no logind).
    pub fn system_bus(mut self, address: Option<&str>) -> Watcher {
        self.system = address.map_or(Bus::Off, |a| Bus::At(a.to_string()));
        self
    }

    /// Starts the thread `ninsho-lock-watch` and returns at once: connecting
    /// and subscribing happen there ([`Watch::ready`] says when they are
    /// done), so a slow bus never holds the caller. `on_lock` runs on a
    /// background thread and should only pass the word on (send an event,
    /// request a repaint). A bus that cannot be reached is skipped; for the
    /// session bus, one line on stderr says so.
    pub fn spawn(
        self,
        on_lock: impl Fn(LockReason) -> bool + Send + Sync + 'static,
    ) -> std::io::Result<Watch> {
        let stop = Arc::new(Stop::default());
        let (ready_tx, ready_rx) = mpsc::channel();
        let on_lock: OnLock = Arc::new(on_lock);
        let thread_stop = stop.clone();
        std::thread::Builder::new()
            .name("ninsho-lock-watch".into())
            .spawn(move || run(self, on_lock, thread_stop, ready_tx))?;
        Ok(Watch {
            stop,
            ready: Mutex::new(Ready::Waiting(ready_rx)),
        })
    }
}

impl Watch {
    /// What the watch subscribed to, once it has: a signal sent before then
    /// may be missed. Waits at most `timeout` (zero: only looks); `None` while
    /// it is still connecting, or if it stopped first.
    pub fn ready(&self, timeout: Duration) -> Option<Watching> {
        let mut state = self.ready.lock().unwrap_or_else(PoisonError::into_inner);
        if let Ready::Waiting(rx) = &*state {
            *state = match rx.recv_timeout(timeout) {
                Ok(watching) => Ready::Known(Some(watching)),
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => Ready::Known(None),
            };
        }
        match &*state {
            Ready::Known(watching) => *watching,
            Ready::Waiting(_) => None,
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.stop();
    }
}

impl fmt::Debug for Watch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watch")
            .field("stopped", &self.stop.stopped())
            .finish_non_exhaustive()
    }
}

/// The stop word from [`Watch`]'s drop to the watch's loop.
#[derive(Default)]
struct Stop {
    stopped: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl Stop {
    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        let waker = self
            .waker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// Whether stopped; if not, `cx` is woken when it is. (The waker is
    /// stored before the flag is read, so a stop in between is not lost.)
    fn poll(&self, cx: &Context<'_>) -> bool {
        *self.waker.lock().unwrap_or_else(PoisonError::into_inner) = Some(cx.waker().clone());
        self.stopped()
    }
}

/// The object every window serves at [`OBJECT_PATH`].
struct LockObject {
    on_lock: Weak<dyn Fn(LockReason) -> bool + Send + Sync>,
    stop: Arc<Stop>,
}

#[zbus::interface(name = "io.github.ninsho.Ninsho1")]
impl LockObject {
    /// Locks this window; `false` when its lock is off in its Settings (it
    /// cannot lock). A window already closing has nothing left to show.
    fn lock(&self) -> bool {
        match self.on_lock.upgrade() {
            Some(on_lock) if !self.stop.stopped() => on_lock(LockReason::Command),
            _ => true,
        }
    }
}

/// Where a subscription's signals come from.
#[derive(Clone, Copy, Debug)]
enum Source {
    ScreenSaver,
    SessionLock,
    Sleep,
}

fn run(watcher: Watcher, on_lock: OnLock, stop: Arc<Stop>, ready: mpsc::Sender<Watching>) {
    async_io::block_on(async {
        let mut watching = Watching::default();
        let mut streams = Vec::new();
        let session = session_part(
            &watcher.session,
            &on_lock,
            &stop,
            &mut watching,
            &mut streams,
        )
        .await;
        let system = system_part(&watcher.system, &mut watching, &mut streams).await;
        // Nobody may be waiting for the word any more.
        let _ = ready.send(watching);
        // With no subscription the session's connection still serves `Lock()`
        // until the watch is dropped; with some, the watch ends when they all
        // have (their buses are gone).
        let keep = session.is_some() && streams.is_empty();
        while let Some((source, message)) = next_signal(&mut streams, &stop, keep).await {
            if let Some(reason) = reason(source, &message)
                && !stop.stopped()
            {
                // The screen's own lock covers a window whose lock is off.
                let _ = on_lock(reason);
            }
        }
        // zbus may keep a connection's parts alive after the last handle is
        // dropped: closing leaves the name's queue at once (a closed window is
        // not counted by `ninsho lock`), and the object holds `on_lock` only
        // weakly, so it goes with this thread.
        for connection in [session, system].into_iter().flatten() {
            let _ = connection.close().await;
        }
    });
}

/// Serves `Lock()`, queues for the name and subscribes to the screen savers.
async fn session_part(
    bus: &Bus,
    on_lock: &OnLock,
    stop: &Arc<Stop>,
    watching: &mut Watching,
    streams: &mut Vec<(Source, MessageStream)>,
) -> Option<Connection> {
    let object = LockObject {
        on_lock: Arc::downgrade(on_lock),
        stop: stop.clone(),
    };
    let builder = bus
        .builder(false)?
        .and_then(|b| b.method_timeout(CALL_TIMEOUT).serve_at(OBJECT_PATH, object));
    let connection = match builder {
        Ok(builder) => builder.build().await,
        Err(e) => Err(e),
    };
    let connection = match connection {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "ninsho: {}",
                t!("err-lock-watch-no-session-bus", error = e.to_string())
            );
            return None;
        }
    };
    // Asked with no flags: without DoNotQueue, a second window waits in the
    // queue instead of being refused, and the queue is how `ninsho lock`
    // finds every window; without ReplaceExisting, no window pushes another
    // out. (zbus's `request_name` would ask with both, and AllowReplacement.)
    let asked = connection
        .call_method(
            Some("org.freedesktop.DBus"),
            "/org/freedesktop/DBus",
            Some("org.freedesktop.DBus"),
            "RequestName",
            &(BUS_NAME, 0u32),
        )
        .await;
    // 1: the owner, 2: in the queue, 4: already the owner.
    watching.commands = matches!(
        asked.and_then(|reply| reply.body().deserialize::<u32>()),
        Ok(1 | 2 | 4)
    );
    // One rule for every screen saver (their signal is called the same), so
    // their signals stay in order; the interface is checked on arrival.
    let rule = MatchRule::builder()
        .msg_type(MessageType::Signal)
        .member("ActiveChanged")
        .map(|b| b.build());
    if let Ok(rule) = rule
        && let Ok(stream) = MessageStream::for_match_rule(rule, &connection, None).await
    {
        streams.push((Source::ScreenSaver, stream));
        watching.screen_saver = true;
    }
    Some(connection)
}

/// Subscribes to logind's lock of this session and its sleep; a system bus
/// or a logind that is not there is skipped without a word.
async fn system_part(
    bus: &Bus,
    watching: &mut Watching,
    streams: &mut Vec<(Source, MessageStream)>,
) -> Option<Connection> {
    let connection = bus
        .builder(true)?
        .ok()?
        .method_timeout(CALL_TIMEOUT)
        .build()
        .await
        .ok()?;
    if let Some(session) = own_session(&connection).await {
        let rule = logind_rule(session.as_str(), LOGIND_SESSION, "Lock");
        if let Some(stream) = subscribe(rule, &connection).await {
            streams.push((Source::SessionLock, stream));
            watching.session_lock = true;
        }
    }
    let rule = logind_rule(LOGIND_PATH, LOGIND_MANAGER, "PrepareForSleep");
    if let Some(stream) = subscribe(rule, &connection).await {
        streams.push((Source::Sleep, stream));
        watching.sleep = true;
    }
    Some(connection)
}

fn logind_rule(path: &str, interface: &str, member: &str) -> zbus::Result<MatchRule<'static>> {
    Ok(MatchRule::builder()
        .msg_type(MessageType::Signal)
        .sender(LOGIND)?
        .path(path.to_string())?
        .interface(interface.to_string())?
        .member(member.to_string())?
        .build())
}

async fn subscribe(
    rule: zbus::Result<MatchRule<'static>>,
    connection: &Connection,
) -> Option<MessageStream> {
    MessageStream::for_match_rule(rule.ok()?, connection, None)
        .await
        .ok()
}

/// This process's logind session; else, as desktops that start programs in
/// systemd user scopes (GNOME since 3.34) leave them outside any session, the
/// user's graphical session (`User.Display`).
async fn own_session(connection: &Connection) -> Option<OwnedObjectPath> {
    let by_pid = connection
        .call_method(
            Some(LOGIND),
            LOGIND_PATH,
            Some(LOGIND_MANAGER),
            "GetSessionByPID",
            &(std::process::id()),
        )
        .await;
    if let Ok(reply) = by_pid
        && let Ok(path) = reply.body().deserialize::<OwnedObjectPath>()
    {
        return Some(path);
    }
    let user: OwnedObjectPath = connection
        .call_method(
            Some(LOGIND),
            LOGIND_PATH,
            Some(LOGIND_MANAGER),
            "GetUser",
            &(uid()),
        )
        .await
        .ok()?
        .body()
        .deserialize()
        .ok()?;
    let display: OwnedValue = connection
        .call_method(
            Some(LOGIND),
            user.as_str(),
            Some(PROPERTIES),
            "Get",
            &(LOGIND_USER, "Display"),
        )
        .await
        .ok()?
        .body()
        .deserialize()
        .ok()?;
    // ("", "/") when the user has no graphical session.
    let (_id, path): (String, OwnedObjectPath) = display.try_into().ok()?;
    (path.as_str() != "/").then_some(path)
}

/// The next signal of any subscription, in the order each sent them; `None`
/// once stopped, or when no subscription is left and `keep` is false.
async fn next_signal(
    streams: &mut Vec<(Source, MessageStream)>,
    stop: &Stop,
    keep: bool,
) -> Option<(Source, Message)> {
    poll_fn(|cx| {
        if stop.poll(cx) {
            return Poll::Ready(None);
        }
        let mut i = 0;
        while i < streams.len() {
            match Pin::new(&mut streams[i].1).poll_next(cx) {
                Poll::Ready(Some(Ok(message))) => {
                    return Poll::Ready(Some((streams[i].0, message)));
                }
                // A message zbus could not read: look at the next one.
                Poll::Ready(Some(Err(_))) => {}
                Poll::Ready(None) => {
                    drop(streams.remove(i));
                }
                Poll::Pending => i += 1,
            }
        }
        if streams.is_empty() && !keep {
            Poll::Ready(None)
        } else {
            Poll::Pending
        }
    })
    .await
}

/// The reason a signal gives to lock, if it gives one.
fn reason(source: Source, message: &Message) -> Option<LockReason> {
    let header = message.header();
    match source {
        Source::ScreenSaver => {
            let interface = header.interface()?;
            (SCREEN_SAVERS.contains(&interface.as_str())
                && message.body().deserialize::<bool>().ok()?)
            .then_some(LockReason::ScreenLocked)
        }
        Source::SessionLock => Some(LockReason::ScreenLocked),
        Source::Sleep => message
            .body()
            .deserialize::<bool>()
            .ok()?
            .then_some(LockReason::Sleep),
    }
}

/// Why `ninsho lock` could not lock every window.
#[derive(Debug)]
pub enum LockRequestError {
    /// No session bus to reach a window over.
    NoSessionBus(String),
    /// The bus would not list the windows.
    List(String),
    /// A window did not answer; `locked` others did.
    Call { locked: usize, error: String },
}

impl fmt::Display for LockRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            LockRequestError::NoSessionBus(error) => {
                t!("err-lock-request-no-session-bus", error = error)
            }
            LockRequestError::List(error) => t!("err-lock-request-list", error = error),
            LockRequestError::Call { locked, error } => {
                t!("err-lock-request-call", locked = *locked, error = error)
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for LockRequestError {}

/// Locks every running window (`ninsho lock`) on the user's session bus;
/// says how many locked and how many have their lock off.
pub fn request_lock() -> Result<Reached, LockRequestError> {
    async_io::block_on(request_lock_on(&Bus::Default))
}

/// [`request_lock`] on the session bus at `address` (tests).
pub fn request_lock_at(address: &str) -> Result<Reached, LockRequestError> {
    async_io::block_on(request_lock_on(&Bus::At(address.to_string())))
}

async fn request_lock_on(bus: &Bus) -> Result<Reached, LockRequestError> {
    let no_bus = |e: zbus::Error| LockRequestError::NoSessionBus(e.to_string());
    let builder = bus
        .builder(false)
        .unwrap_or_else(Builder::session)
        .map_err(no_bus)?;
    let connection = builder
        .method_timeout(CALL_TIMEOUT)
        .build()
        .await
        .map_err(no_bus)?;
    let listed = connection
        .call_method(
            Some("org.freedesktop.DBus"),
            "/org/freedesktop/DBus",
            Some("org.freedesktop.DBus"),
            "ListQueuedOwners",
            &(BUS_NAME),
        )
        .await;
    let windows: Vec<String> = match listed {
        Ok(reply) => reply
            .body()
            .deserialize()
            .map_err(|e| LockRequestError::List(e.to_string()))?,
        Err(e) if error_name(&e) == Some("org.freedesktop.DBus.Error.NameHasNoOwner") => {
            return Ok(Reached::default());
        }
        Err(e) => return Err(LockRequestError::List(e.to_string())),
    };
    let mut reached = Reached::default();
    let mut failed = None;
    for window in &windows {
        let answer = connection
            .call_method(
                Some(window.as_str()),
                OBJECT_PATH,
                Some(INTERFACE),
                "Lock",
                &(),
            )
            .await;
        match answer {
            // An answer without the word is a window from before it was
            // given, whose lock was never off when it answered.
            Ok(reply) => reached.add(reply.body().deserialize::<bool>().unwrap_or(true)),
            // Closed since it was listed: nothing left to lock.
            Err(e)
                if matches!(
                    error_name(&e),
                    Some(
                        "org.freedesktop.DBus.Error.ServiceUnknown"
                            | "org.freedesktop.DBus.Error.NameHasNoOwner"
                    )
                ) => {}
            Err(e) => failed = Some(e.to_string()),
        }
    }
    match failed {
        None => Ok(reached),
        Some(error) => Err(LockRequestError::Call {
            locked: reached.locked,
            error,
        }),
    }
}

/// The D-Bus name of an error a peer answered with.
fn error_name(e: &zbus::Error) -> Option<&str> {
    match e {
        zbus::Error::MethodError(name, _, _) => Some(name.as_str()),
        _ => None,
    }
}

/// polkit, the system's authority on who may do what: asks the person at the
/// desktop to prove it is them (the login password, a fingerprint), through
/// the desktop's authentication agent.
#[derive(Clone, Debug)]
pub struct Polkit {
    address: Option<String>,
}

impl Polkit {
    /// polkit on the system bus.
    pub fn system() -> Polkit {
        Polkit { address: None }
    }

    /// An authority on the bus at `address` (tests).
    pub fn at(address: &str) -> Polkit {
        Polkit {
            address: Some(address.to_string()),
        }
    }

    /// Whether this process may do `action_id` ([`UNLOCK_ACTION`]), the
    /// person at the desktop asked to authenticate if the action says so.
    /// Blocks until they answer: call it on a worker thread, never the UI's.
    pub fn check(&self, action_id: &str) -> Result<bool, String> {
        let stat = std::fs::read_to_string("/proc/self/stat")
            .map_err(|e| t!("err-polkit-process", why = crate::i18n::io_error(&e)))?;
        let start_time = process_start_time(&stat)
            .ok_or_else(|| t!("err-polkit-process", why = t!("err-polkit-stat-unreadable")))?;
        async_io::block_on(self.check_async(action_id, start_time))
    }

    async fn check_async(&self, action_id: &str, start_time: u64) -> Result<bool, String> {
        let unreachable = |e: zbus::Error| t!("err-polkit-unreachable", error = e.to_string());
        let builder = match &self.address {
            None => Builder::system(),
            Some(address) => Builder::address(address.as_str()),
        }
        .map_err(unreachable)?;
        let connection = builder.build().await.map_err(unreachable)?;
        // polkit tells a process from a later one with the same id by its
        // start time, and from another user's by the uid. It reads the uid
        // as a signed 32-bit number (a `u` would be ignored: polkit would
        // then look the uid up itself, after the process may have changed).
        let subject: HashMap<&str, Value<'_>> = HashMap::from([
            ("pid", Value::from(std::process::id())),
            ("start-time", Value::from(start_time)),
            ("uid", Value::from(uid() as i32)),
        ]);
        let details: HashMap<&str, &str> = HashMap::new();
        let reply = connection
            .call_method(
                Some(POLKIT),
                POLKIT_PATH,
                Some(POLKIT_AUTHORITY),
                "CheckAuthorization",
                &(
                    ("unix-process", subject),
                    action_id,
                    details,
                    ALLOW_USER_INTERACTION,
                    "",
                ),
            )
            .await
            .map_err(|e| match error_name(&e) {
                Some(
                    "org.freedesktop.DBus.Error.ServiceUnknown"
                    | "org.freedesktop.DBus.Error.NameHasNoOwner",
                ) => unreachable(e),
                _ => t!("err-polkit-failed", error = e.to_string()),
            })?;
        let (authorized, _challenge, _details): (bool, bool, HashMap<String, String>) = reply
            .body()
            .deserialize()
            .map_err(|e| t!("err-polkit-failed", error = e.to_string()))?;
        Ok(authorized)
    }
}

/// A process's start time, in clock ticks since boot, from the text of its
/// `/proc/PID/stat`: field 22, counted after the last `)` since the command
/// name before it (field 2) may hold spaces and parentheses.
pub fn process_start_time(stat: &str) -> Option<u64> {
    let (_, rest) = stat.rsplit_once(')')?;
    // After ')' comes field 3 (the state), so field 22 is the 20th.
    rest.split_ascii_whitespace().nth(19)?.parse().ok()
}

fn uid() -> u32 {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}
