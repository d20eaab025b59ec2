//! The window: an eframe app over a worker thread that owns the account store.
//!
//! `app` draws and handles input; `worker` does every keyring and disk call;
//! this module wires them to the real keyring, clipboard and clock, and holds the
//! seams (`Services`, `Clipboard`) that tests replace.

pub mod app;
mod backup_worker;
pub mod fonts;
pub mod worker;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use eframe::egui;
use serde::{Deserialize, Serialize};

pub use app::App;

/// The system clipboard, behind a trait so tests can watch it.
pub trait Clipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String>;
    fn get_text(&mut self) -> Option<String>;
    fn clear(&mut self);
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
    fn get_text(&mut self) -> Option<String> {
        self.get().ok()?.get_text().ok()
    }
    fn clear(&mut self) {
        if let Ok(c) = self.get() {
            let _ = c.clear();
        }
    }
}

/// An in-memory clipboard for tests; clones share the same contents.
#[derive(Clone, Default)]
pub struct MemoryClipboard(pub Arc<Mutex<Option<String>>>);

impl MemoryClipboard {
    pub fn contents(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Clipboard for MemoryClipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(text.to_string());
        Ok(())
    }
    fn get_text(&mut self) -> Option<String> {
        self.contents()
    }
    fn clear(&mut self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: Theme::System,
            clipboard_clear_secs: 30,
            privacy: false,
        }
    }
}

pub const SETTINGS_KEY: &str = "ninsho-settings";

/// Opens the window; returns when it is closed.
pub fn run(data_dir: PathBuf) -> anyhow::Result<()> {
    // Start loading before the window exists: the keyring and the GPU set up in parallel.
    let service = crate::vault::keyring::service_name();
    let connect: worker::Connect = Arc::new(move || {
        crate::vault::keyring::KeyringStore::connect(&service)
            .map(|s| Box::new(s) as Box<dyn crate::vault::SecretStore>)
    });
    let handle = worker::spawn(data_dir, connect);
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/ninsho.png"))
        .unwrap_or_default();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Ninsho")
            .with_app_id("ninsho")
            .with_inner_size([440.0, 640.0])
            .with_min_inner_size([320.0, 360.0])
            .with_icon(icon),
        persist_window: true,
        // Our own provider (fonts.rs) prefers Japanese forms and tells when CJK is missing.
        system_font_fallback: false,
        ..Default::default()
    };
    eframe::run_native(
        "ninsho",
        options,
        Box::new(move |cc| {
            let settings = cc
                .storage
                .and_then(|s| eframe::get_value::<Settings>(s, SETTINGS_KEY))
                .unwrap_or_default();
            let services = Services {
                clock: system_clock(),
                clipboard: Box::new(SystemClipboard::default()),
            };
            Ok(Box::new(App::new(handle, services, settings)))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
