//! Where the window's QR codes come from besides a dropped file: the screen,
//! the clipboard and the file dialog. The seams tests replace ([`ScreenSource`],
//! [`ClipboardReader`], [`FilePicker`]) and the worker-side jobs that turn what
//! they return into the same [`Event`]s a dropped screenshot produces.
//!
//! Every job here may wait on something outside Ninsho (the X server, the
//! clipboard's owner, the desktop portal asking the user), so the worker runs
//! them on a thread of their own and keeps serving the vault meanwhile.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use image::RgbaImage;
use zeroize::Zeroizing;

use super::worker::Event;
use crate::scan::{self, ScanReport};
use crate::t;

/// The monitors' pixels, behind a trait so tests can show a canned screen.
pub trait ScreenSource: Send + Sync {
    /// Whether the window should get out of the way before the capture. On X11
    /// the capture reads whatever is on top; on Wayland the portal cannot give
    /// a minimized window back, so the window stays.
    fn hides_window(&self) -> bool;
    /// One picture per monitor, or what went wrong in words for the user.
    fn capture(&self) -> Result<Vec<RgbaImage>, String>;
}

impl std::fmt::Debug for dyn ScreenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScreenSource")
    }
}

/// The real screen: X11 or the Wayland desktop portal (`scan::screen`).
pub struct SystemScreen;

impl ScreenSource for SystemScreen {
    fn hides_window(&self) -> bool {
        #[cfg(all(unix, not(target_os = "macos")))]
        return !scan::screen::is_wayland();
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        false
    }

    fn capture(&self) -> Result<Vec<RgbaImage>, String> {
        #[cfg(all(unix, not(target_os = "macos")))]
        return scan::screen::capture()
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|c| {
                RgbaImage::from_raw(c.width, c.height, c.rgba)
                    .ok_or_else(|| t!("ui-capture-malformed", name = &c.name))
            })
            .collect();
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        Err(t!("ui-no-screen-capture"))
    }
}

/// What a clipboard read found.
pub enum ClipboardContent {
    Image(RgbaImage),
    /// Could be a secret (an otpauth URI, a password): zeroized, never printed.
    Text(Zeroizing<String>),
    Empty,
}

impl std::fmt::Debug for ClipboardContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClipboardContent::Image(i) => write!(f, "Image({}x{})", i.width(), i.height()),
            ClipboardContent::Text(_) => f.write_str("Text([redacted])"),
            ClipboardContent::Empty => f.write_str("Empty"),
        }
    }
}

/// Reads the clipboard when called; made on the UI thread, called on another.
#[derive(Clone)]
pub struct ClipboardReader(Arc<dyn Fn() -> Result<ClipboardContent, String> + Send + Sync>);

impl ClipboardReader {
    pub fn new(
        read: impl Fn() -> Result<ClipboardContent, String> + Send + Sync + 'static,
    ) -> Self {
        ClipboardReader(Arc::new(read))
    }

    pub fn read(&self) -> Result<ClipboardContent, String> {
        (self.0)()
    }
}

impl std::fmt::Debug for ClipboardReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClipboardReader")
    }
}

/// Where a paste comes from: a read still to do, or what eframe already read
/// when it turned Ctrl+V into a paste event.
#[derive(Debug)]
pub enum Clipboard {
    Read(ClipboardReader),
    Given(ClipboardContent),
}

/// Asks the user for files (blocking until they answer); `None` when cancelled.
pub type FilePicker = Arc<dyn Fn() -> Option<Vec<PathBuf>> + Send + Sync>;

/// The desktop's file chooser through the XDG portal (zenity when there is no
/// portal), via `rfd`.
pub fn system_file_picker() -> FilePicker {
    Arc::new(|| {
        rfd::FileDialog::new()
            .set_title(t!("ui-open-dialog-title"))
            .add_filter(
                t!("ui-filter-images"),
                &["png", "jpg", "jpeg", "webp", "bmp", "gif"],
            )
            .add_filter(t!("ui-filter-all"), &["*"])
            .pick_files()
    })
}

/// Whether the desktop can show its file chooser, or why not (in words for the
/// user). Called on a thread: it may wait on the session bus.
pub type ChooserCheck = Arc<dyn Fn() -> Result<(), String> + Send + Sync>;

/// The check for the running desktop: its session bus and `PATH`.
pub fn system_chooser_check() -> ChooserCheck {
    Arc::new(|| {
        chooser_available(
            std::env::var("DBUS_SESSION_BUS_ADDRESS").ok().as_deref(),
            std::env::var_os("PATH").as_deref(),
        )
    })
}

/// What `rfd` needs to show a chooser on Linux and the BSDs: the desktop
/// portal's FileChooser on the session bus at `bus` (the default session bus
/// when `None`), or else a `zenity` on `path`. Elsewhere the system always has one.
pub fn chooser_available(bus: Option<&str>, path: Option<&std::ffi::OsStr>) -> Result<(), String> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let portal = async_io::block_on(portal_file_chooser(bus));
        let zenity = path
            .map(|p| std::env::split_paths(p).any(|dir| dir.join("zenity").is_file()))
            .unwrap_or(false);
        match portal {
            Ok(()) => Ok(()),
            Err(_) if zenity => Ok(()),
            Err(why) => Err(t!("ui-no-zenity", why = why)),
        }
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        let _ = (bus, path);
        Ok(())
    }
}

/// Reads the FileChooser portal's version: the portal answers only when a
/// backend (GNOME, KDE, GTK…) provides the chooser.
#[cfg(all(unix, not(target_os = "macos")))]
async fn portal_file_chooser(bus: Option<&str>) -> Result<(), String> {
    let connection = match bus {
        Some(address) => match zbus::connection::Builder::address(address) {
            Ok(builder) => builder.build().await,
            Err(e) => Err(e),
        },
        None => zbus::Connection::session().await,
    }
    .map_err(|e| t!("ui-no-session-bus", error = e.to_string()))?;
    connection
        .call_method(
            Some("org.freedesktop.portal.Desktop"),
            "/org/freedesktop/portal/desktop",
            Some("org.freedesktop.DBus.Properties"),
            "Get",
            &("org.freedesktop.portal.FileChooser", "version"),
        )
        .await
        .map(|_| ())
        .map_err(|_| t!("ui-no-portal"))
}

/// Captures every monitor and reads their QR codes. `captured` runs between the
/// two so the window can come back while decoding goes on; `settle` gives the
/// window manager time to take a hidden window off the screen first.
pub fn scan_screen(screen: &dyn ScreenSource, settle: Duration, captured: impl FnOnce()) -> Event {
    std::thread::sleep(settle);
    let captures = screen.capture();
    captured();
    let captures = match captures {
        Ok(c) => c,
        Err(e) => return Event::Failed(e),
    };
    let mut report = ScanReport::default();
    for c in &captures {
        report.merge(scan::scan_rgba(c.width(), c.height(), c.as_raw()));
    }
    found_in_image(&t!("ui-source-screen"), report)
}

/// What a paste brings: an image is scanned, an otpauth link reviewed as is.
pub fn scan_clipboard(clipboard: Clipboard) -> Event {
    let content = match clipboard {
        Clipboard::Given(c) => Ok(c),
        Clipboard::Read(reader) => reader.read(),
    };
    match content {
        Err(e) => Event::Failed(t!("ui-clipboard-unreadable", error = e)),
        Ok(ClipboardContent::Image(image)) => found_in_image(
            &t!("ui-source-clipboard-image"),
            scan::scan_rgba(image.width(), image.height(), image.as_raw()),
        ),
        Ok(ClipboardContent::Text(text)) if is_otpauth(&text) => {
            let payload = Zeroizing::new(text.trim().to_string());
            found_in_image(
                &t!("ui-source-clipboard"),
                scan::report_from_payloads(std::slice::from_ref(&*payload)),
            )
        }
        Ok(ClipboardContent::Text(_)) => Event::Failed(t!("ui-clipboard-text")),
        Ok(ClipboardContent::Empty) => Event::Failed(t!("ui-clipboard-empty")),
    }
}

/// True for `otpauth://` and `otpauth-migration://` links.
pub fn is_otpauth(text: &str) -> bool {
    let text = text.trim();
    crate::otp::uri::strip_scheme(text, "otpauth").is_some()
        || crate::otp::uri::strip_scheme(text, "otpauth-migration").is_some()
}

/// The review of what an image (or a pasted link) held, or why there is none.
pub fn found_in_image(name: &str, report: ScanReport) -> Event {
    if report.accounts.is_empty() {
        let what = if let Some((item, why)) = report.skipped.first() {
            t!("ui-scan-unreadable", item = item, why = why)
        } else if report.stopped_early {
            t!("ui-scan-none-stopped", why = scan::stopped_early())
        } else if let Some(o) = report.others.first() {
            t!("ui-scan-other", what = &o.description)
        } else {
            t!("ui-scan-none")
        };
        return Event::Failed(t!("ui-scan-failed", name = name, what = what));
    }
    let mut notes = report.warnings;
    if report.stopped_early {
        notes.push(scan::stopped_early());
    }
    notes.extend(
        report
            .others
            .iter()
            .map(|o| t!("ui-scan-also-found", what = &o.description)),
    );
    notes.extend(
        report
            .skipped
            .iter()
            .map(|(what, why)| t!("ui-skipped", what = what, why = why)),
    );
    Event::Found {
        source: name.to_string(),
        accounts: report
            .accounts
            .into_iter()
            .map(|a| (a, String::new()))
            .collect(),
        notes,
        batches: report.batches,
    }
}
