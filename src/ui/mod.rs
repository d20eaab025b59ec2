//! The window: an eframe app over a worker thread that owns the account store.
//!
//! `app` draws and handles input; `worker` does every keyring and disk call;
//! this module wires them to the real keyring, clipboard and clock, and holds the
//! seams (`Services`, `Clipboard`) that tests replace.

pub mod app;
mod backup_worker;
pub mod fonts;
pub mod sources;
pub mod worker;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use eframe::egui;
use serde::{Deserialize, Serialize};

pub use app::App;
pub use sources::{ChooserCheck, ClipboardContent, ClipboardReader, FilePicker, ScreenSource};

/// The system clipboard, behind a trait so tests can watch it.
pub trait Clipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String>;
    /// Sets text that clipboard managers should not keep (a code, a recovery code).
    fn set_secret(&mut self, text: &str) -> Result<(), String>;
    fn get_text(&mut self) -> Option<String>;
    fn clear(&mut self);
    /// Reads what the clipboard holds (an image first, else text) when called on
    /// another thread: on X11 a read waits for the owning application to answer.
    fn reader(&self) -> ClipboardReader;
}

/// The real clipboard via `arboard`, created on first use (no display, no clipboard).
#[derive(Default)]
pub struct SystemClipboard {
    inner: Option<arboard::Clipboard>,
}

impl SystemClipboard {
    fn get(&mut self) -> Result<&mut arboard::Clipboard, String> {
        if self.inner.is_none() {
            self.inner = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        Ok(self.inner.as_mut().expect("just set"))
    }
}

impl Clipboard for SystemClipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        self.get()?.set_text(text).map_err(|e| e.to_string())
    }
    /// Marked with each platform's "do not record" convention, so clipboard
    /// histories (Klipper, GPaste, Windows' Win+V, macOS managers) skip it.
    fn set_secret(&mut self, text: &str) -> Result<(), String> {
        let set = self.get()?.set();
        #[cfg(all(
            unix,
            not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
        ))]
        let set = {
            use arboard::SetExtLinux;
            set.exclude_from_history()
        };
        #[cfg(windows)]
        let set = {
            use arboard::SetExtWindows;
            set.exclude_from_history().exclude_from_cloud()
        };
        #[cfg(target_os = "macos")]
        let set = {
            use arboard::SetExtApple;
            set.exclude_from_history()
        };
        set.text(text).map_err(|e| e.to_string())
    }
    fn get_text(&mut self) -> Option<String> {
        self.get().ok()?.get_text().ok()
    }
    fn clear(&mut self) {
        if let Ok(c) = self.get() {
            let _ = c.clear();
        }
    }
    fn reader(&self) -> ClipboardReader {
        // A connection of its own: `arboard::Clipboard` stays on the UI thread.
        ClipboardReader::new(|| {
            let mut clipboard = arboard::Clipboard::new().map_err(|e| e.to_string())?;
            if let Ok(image) = clipboard.get_image() {
                let (w, h) = (image.width as u32, image.height as u32);
                return image::RgbaImage::from_raw(w, h, image.bytes.into_owned())
                    .map(ClipboardContent::Image)
                    .ok_or_else(|| {
                        crate::t!("ui-clipboard-image-malformed", size = format!("{w}x{h}"))
                    });
            }
            Ok(match clipboard.get_text() {
                Ok(text) => ClipboardContent::Text(zeroize::Zeroizing::new(text)),
                Err(_) => ClipboardContent::Empty,
            })
        })
    }
}

/// An in-memory clipboard for tests; clones share the same contents. Like a
/// real one it holds one thing at a time: setting text drops an image and back.
#[derive(Clone, Default)]
pub struct MemoryClipboard {
    text: Arc<Mutex<Option<String>>>,
    image: Arc<Mutex<Option<image::RgbaImage>>>,
    secret: Arc<AtomicBool>,
}

impl MemoryClipboard {
    pub fn contents(&self) -> Option<String> {
        self.text.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The text was set as a secret (hidden from clipboard histories).
    pub fn is_secret(&self) -> bool {
        self.secret.load(Ordering::SeqCst)
    }

    pub fn set_image(&self, image: image::RgbaImage) {
        *self.text.lock().unwrap_or_else(|e| e.into_inner()) = None;
        *self.image.lock().unwrap_or_else(|e| e.into_inner()) = Some(image);
    }
}

impl Clipboard for MemoryClipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        *self.image.lock().unwrap_or_else(|e| e.into_inner()) = None;
        *self.text.lock().unwrap_or_else(|e| e.into_inner()) = Some(text.to_string());
        self.secret.store(false, Ordering::SeqCst);
        Ok(())
    }
    fn set_secret(&mut self, text: &str) -> Result<(), String> {
        self.set_text(text)?;
        self.secret.store(true, Ordering::SeqCst);
        Ok(())
    }
    fn get_text(&mut self) -> Option<String> {
        self.contents()
    }
    fn clear(&mut self) {
        *self.text.lock().unwrap_or_else(|e| e.into_inner()) = None;
        *self.image.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
    fn reader(&self) -> ClipboardReader {
        let this = self.clone();
        ClipboardReader::new(move || {
            if let Some(image) = this.image.lock().unwrap_or_else(|e| e.into_inner()).clone() {
                return Ok(ClipboardContent::Image(image));
            }
            Ok(match this.contents() {
                Some(text) => ClipboardContent::Text(zeroize::Zeroizing::new(text)),
                None => ClipboardContent::Empty,
            })
        })
    }
}

/// When the process started, for `NINSHO_TRACE_STARTUP` timings (benches/window.sh).
pub static PROCESS_START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Prints a start-up milestone to stderr when `NINSHO_TRACE_STARTUP` is set.
pub fn trace(what: &str) {
    if std::env::var_os("NINSHO_TRACE_STARTUP").is_some() {
        let ms = PROCESS_START
            .get()
            .map(|s| s.elapsed().as_secs_f64() * 1000.0)
            .unwrap_or(0.0);
        eprintln!("ninsho-trace: {what} {ms:.0} ms");
    }
}

/// Prints a milestone with its time since start, unconditionally.
pub fn trace_always(what: &str) {
    let ms = PROCESS_START
        .get()
        .map(|s| s.elapsed().as_secs_f64() * 1000.0)
        .unwrap_or(0.0);
    eprintln!("ninsho-trace: {what} {ms:.0} ms");
}

/// Unix time in seconds, with fractions for the countdown.
pub type Clock = Arc<dyn Fn() -> f64 + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0)
    })
}

/// What the window needs from the outside world.
pub struct Services {
    pub clock: Clock,
    pub clipboard: Box<dyn Clipboard>,
    /// "Scan screen" reads the monitors through this.
    pub screen: Arc<dyn ScreenSource>,
    /// "Open image…" asks which files through this (a native dialog).
    pub pick_files: FilePicker,
    /// Whether the desktop can show its file chooser; without one the window
    /// shows its own (app/chooser.rs).
    pub system_chooser: sources::ChooserCheck,
    /// The desktop's own authentication, for a lock set to use it.
    pub system_auth: worker::SystemAuth,
}

impl Services {
    /// The real screen and file dialog with the given clock and clipboard.
    pub fn new(clock: Clock, clipboard: Box<dyn Clipboard>) -> Self {
        Services {
            clock,
            clipboard,
            screen: Arc::new(sources::SystemScreen),
            pick_files: sources::system_file_picker(),
            system_chooser: sources::system_chooser_check(),
            system_auth: worker::SystemAuth::system(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// The only state eframe persists (besides window geometry): no secrets, no names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: Theme,
    /// Seconds after a copy when the clipboard is cleared if it still holds the code.
    pub clipboard_clear_secs: u32,
    /// Hide codes until an account is clicked.
    pub privacy: bool,
    /// The window's language; `None` follows the system (`NINSHO_LANG`, the
    /// locale). Settings saved before there was a choice load as `None`.
    pub language: Option<crate::i18n::Lang>,
    /// The window lock: how, and when (no secret: the password's hash is
    /// in the store).
    pub lock: crate::lock::LockSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: Theme::System,
            clipboard_clear_secs: 30,
            privacy: false,
            language: None,
            lock: Default::default(),
        }
    }
}

pub const SETTINGS_KEY: &str = "ninsho-settings";

/// eframe's name for the app: its saved state goes to `storage_dir(APP_ID)/app.ron`
/// (`~/.local/share/ninsho/app.ron` on Linux, beside `accounts.json`).
const APP_ID: &str = "ninsho";

/// The window's application id (Wayland app_id, X11 WM_CLASS): the name of the
/// installed desktop entry, icon and metainfo (`assets/`), as Flathub requires,
/// so docks and task switchers find the icon.
pub const DESKTOP_ID: &str = "io.github.ninsho.Ninsho";

/// eframe creates its folder and `app.ron` with the process umask (0755/0644).
/// They hold only settings and window geometry, but Ninsho's files are private:
/// make both 0700/0600 before eframe writes (it truncates, keeping the mode).
fn private_storage(dir: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let _ = crate::vault::meta::ensure_dir(dir);
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        let file = dir.join("app.ron");
        let _ = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&file);
        let _ = std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The window's size limits, title and persistence: below 360×480 the
/// list, the add form and the dialogs no longer fit.
pub(crate) fn native_options(storage: Option<PathBuf>) -> eframe::NativeOptions {
    let icon = eframe::icon_data::from_png_bytes(include_bytes!(
        "../../assets/io.github.ninsho.Ninsho.png"
    ))
    .unwrap_or_default();
    eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Ninsho")
            .with_app_id(DESKTOP_ID)
            .with_inner_size([440.0, 640.0])
            .with_min_inner_size([360.0, 480.0])
            .with_icon(icon),
        persist_window: true,
        // Named by APP_ID, not by the window's DESKTOP_ID (which eframe would
        // otherwise use), so settings stay where earlier versions kept them.
        persistence_path: storage.map(|dir| dir.join("app.ron")),
        renderer: eframe::Renderer::Glow,
        // Our own provider (fonts.rs) prefers Japanese forms and tells when CJK is missing.
        system_font_fallback: false,
        ..Default::default()
    }
}

/// The encrypted file holding `data_dir`'s secrets, when the data folder
/// chose the file store (`ninsho store use file`).
pub fn file_store_of(data_dir: &std::path::Path) -> Option<PathBuf> {
    use crate::vault::choice;
    (choice::chosen(data_dir).ok() == Some(choice::StoreKind::File))
        .then(|| choice::file_path(data_dir))
}

/// The worker's store: the keyring, or the encrypted file store opened with
/// the password the unlock screen puts in `slot` (taken, so it is held only
/// until the file is open).
pub fn store_connect(data_dir: PathBuf, slot: app::PasswordSlot) -> worker::Connect {
    let service = crate::vault::keyring::service_name();
    store_connect_with(
        data_dir,
        slot,
        Arc::new(move || {
            crate::vault::keyring::KeyringStore::connect(&service)
                .map(|s| Box::new(s) as Box<dyn crate::vault::SecretStore>)
        }),
    )
}

/// [`store_connect`] with another keyring (tests: one that is missing).
pub fn store_connect_with(
    data_dir: PathBuf,
    slot: app::PasswordSlot,
    keyring: worker::Connect,
) -> worker::Connect {
    use crate::vault::choice::{self, StoreKind};
    use crate::vault::file_store::FileStore;
    use crate::vault::{SecretStore, StoreError};
    // Once unlocked, the file stays open while the worker holds it: a later
    // load (a retry, a reload the folder watcher asked for) needs no password
    // again. Only a weak reference here: when the window locks, the worker
    // lets the store go, its decrypted items are wiped, and only the
    // password opens it again.
    let opened: Arc<Mutex<std::sync::Weak<FileStore>>> = Arc::default();
    Arc::new(move || match choice::chosen(&data_dir) {
        Ok(StoreKind::Keyring) => keyring(),
        Ok(StoreKind::File) => {
            let path = choice::file_path(&data_dir);
            let mut cached = opened.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(store) = cached.upgrade().filter(|s| s.path() == path) {
                return Ok(Box::new(store) as Box<dyn SecretStore>);
            }
            let password = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
            match password {
                Some(password) => {
                    let store = Arc::new(FileStore::open(&path, &password)?);
                    *cached = Arc::downgrade(&store);
                    Ok(Box::new(store) as Box<dyn SecretStore>)
                }
                None => Err(StoreError::File {
                    detail: crate::t!("ui-unlock-needed"),
                }),
            }
        }
        Err(e) => Err(StoreError::File {
            detail: e.to_string(),
        }),
    })
}

/// Opens the window; returns when it is closed.
pub fn run(data_dir: PathBuf) -> anyhow::Result<()> {
    // Start loading before the window exists: the keyring and the GPU set up in parallel.
    let slot = app::PasswordSlot::default();
    let folder = data_dir.clone();
    let connect = store_connect(data_dir.clone(), slot.clone());
    let mut handle = worker::spawn(data_dir, connect);
    let finish = handle.take_finish();
    let storage = eframe::storage_dir(APP_ID);
    if let Some(dir) = &storage {
        private_storage(dir);
    }
    let options = native_options(storage);
    let ran = eframe::run_native(
        APP_ID,
        options,
        Box::new(move |cc| {
            let settings = cc
                .storage
                .and_then(|s| eframe::get_value::<Settings>(s, SETTINGS_KEY))
                .unwrap_or_default();
            // A language chosen in Settings, unless `--lang` or NINSHO_LANG
            // chose one for this run; "System" keeps what start-up chose.
            if let Some(lang) = settings.language
                && !crate::i18n::chosen_for_this_run()
            {
                crate::i18n::set(lang);
            }
            trace(&format!("language {}", crate::i18n::current().tag()));
            let mut services = Services::new(system_clock(), Box::new(SystemClipboard::default()));
            services.system_auth = worker::SystemAuth::for_window(cc);
            let mut app = App::new(handle, services, settings);
            let watch = lock_on_desktop_signals(&folder, app.lock_requester(&cc.egui_ctx));
            app.keep(watch);
            app.set_store(folder, slot);
            app.install_fonts(&cc.egui_ctx);
            close_on_signals(&cc.egui_ctx);
            Ok(Box::new(app))
        }),
    );
    trace("window closed");
    // The window is gone and its handle dropped: let the worker finish what it
    // was asked to save (closing during a bulk add keeps every account).
    if let Some(finish) = finish
        && !finish.wait(FINISH_LIMIT)
    {
        eprintln!(
            "ninsho: {}",
            crate::t!("ui-finish-timeout", secs = FINISH_LIMIT.as_secs())
        );
    }
    ran.map_err(|e| anyhow::anyhow!(crate::t!("ui-cannot-open-window", error = e.to_string())))
}

/// A termination signal (a logout, `kill`, Ctrl+C in the terminal) asks the
/// window to close as its close button does: eframe saves its state, `run`
/// returns and waits for the worker's writes. A second signal, once the
/// window is already closing, ends the process at once; the next start
/// finishes or undoes an interrupted write.
#[cfg(unix)]
fn close_on_signals(ctx: &egui::Context) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) else {
        return;
    };
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("ninsho-signals".into())
        .spawn(move || {
            let mut signals = signals.forever();
            if let Some(signal) = signals.next() {
                trace(&format!("signal {signal}: closing"));
                ctx.send_viewport_cmd_to(egui::ViewportId::ROOT, egui::ViewportCommand::Close);
            }
            if let Some(signal) = signals.next() {
                std::process::exit(128 + signal);
            }
        });
    if let Err(e) = spawned {
        eprintln!(
            "ninsho: {}",
            crate::t!("ui-no-signal-watch", error = e.to_string())
        );
    }
}

#[cfg(not(unix))]
fn close_on_signals(_ctx: &egui::Context) {}

/// The screen locking, the computer going to sleep and `ninsho lock` lock
/// the window: the session bus and logind (Linux), and lock requests in the
/// data folder (every system), each on a thread of its own. The watches stop
/// when what this returns is dropped: the window keeps it.
fn lock_on_desktop_signals(
    data_dir: &std::path::Path,
    requester: app::LockRequester,
) -> Option<Box<dyn std::any::Any>> {
    let folder = FolderLockRequests::start(data_dir.to_path_buf(), requester.clone());
    Some(Box::new((folder, bus_lock_watch(requester))))
}

/// The window's file for `ninsho lock` in the data folder (`lock::request`),
/// made and removed on a thread of its own: the data folder may be on a slow
/// disk (a USB stick). Dropped, it removes the file before it returns.
struct FolderLockRequests {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FolderLockRequests {
    fn start(data_dir: PathBuf, requester: app::LockRequester) -> Self {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("ninsho-lock-requests".into())
            .spawn(move || {
                let presence = crate::lock::request::Presence::announce(&data_dir, move || {
                    trace("lock asked: data folder");
                    requester.request()
                });
                if let Err(e) = &presence {
                    eprintln!(
                        "ninsho: {}",
                        crate::t!("ui-no-lock-request-watch", error = e.to_string())
                    );
                }
                // Until the window drops its end.
                let _ = stopped.recv();
                drop(presence);
            });
        if let Err(e) = &thread {
            eprintln!(
                "ninsho: {}",
                crate::t!("ui-no-lock-request-watch", error = e.to_string())
            );
        }
        FolderLockRequests {
            stop: Some(stop),
            thread: thread.ok(),
        }
    }
}

impl Drop for FolderLockRequests {
    fn drop(&mut self) {
        self.stop.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(target_os = "linux")]
fn bus_lock_watch(requester: app::LockRequester) -> Option<crate::lock::dbus::Watch> {
    let watch = crate::lock::dbus::watch(move |reason| {
        trace(&format!("lock asked: {reason:?}"));
        requester.request()
    });
    match watch {
        Ok(watch) => Some(watch),
        Err(e) => {
            eprintln!(
                "ninsho: {}",
                crate::t!("ui-no-lock-watch", error = e.to_string())
            );
            None
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn bus_lock_watch(_requester: app::LockRequester) {}

/// How long a closed window waits for the keyring to take the last writes.
const FINISH_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

#[cfg(test)]
mod tests {
    //! Protects: the window's minimum size (issue 16: nothing overlaps down to 360×480).
    use super::*;

    #[test]
    fn the_window_cannot_shrink_below_360_by_480() {
        let options = native_options(None);
        assert_eq!(
            options.viewport.min_inner_size,
            Some(egui::vec2(360.0, 480.0))
        );
        let start = options.viewport.inner_size.expect("a starting size");
        assert!(start.x >= 360.0 && start.y >= 480.0, "starts at {start:?}");
    }
}
