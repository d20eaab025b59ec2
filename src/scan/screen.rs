//! Captures every monitor of an X11 display (also XWayland) as RGBA pixels.
//!
//! Why x11rb and not `xcap`: xcap 0.9 links PipeWire (bindgen at build time,
//! libpipewire/libgbm/libxcb -dev packages, and those libraries at run time even
//! for a CLI that never captures). x11rb speaks the X protocol in pure Rust, so
//! the binary builds and starts with no extra system packages. In a Wayland
//! session [`capture`] goes through the desktop portal instead (`portal.rs`):
//! XWayland's root window shows only X clients, so reading it would look like
//! "no code found" rather than an honest error.
//!
//! Captured pixels stay in memory; nothing is written to disk.

use x11rb::connection::Connection;
use x11rb::protocol::randr::ConnectionExt as _;
use x11rb::protocol::xproto::{ConnectionExt as _, ImageFormat, ImageOrder, Screen, VisualClass};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreenError {
    #[error("{}", crate::t!("err-screen-no-display"))]
    NoDisplay,
    #[error("{}", crate::t!("err-screen-portal", detail = .0))]
    Portal(String),
    #[error("{}", crate::t!("err-screen-connect", detail = .0))]
    Connect(String),
    #[error("{}", crate::t!("err-screen-capture", detail = .0))]
    Capture(String),
    #[error("{}", crate::t!("err-screen-pixel-format", detail = .0))]
    PixelFormat(String),
}

/// One monitor's picture.
pub struct Capture {
    /// RandR monitor name ("HDMI-1"), or "screen N" without RandR.
    pub name: String,
    pub width: u32,
    pub height: u32,
    /// Row-major RGBA, `width * height * 4` bytes.
    pub rgba: Vec<u8>,
}

impl std::fmt::Debug for Capture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Capture({} {}x{})", self.name, self.width, self.height)
    }
}

/// Captures every monitor: through the desktop portal in a Wayland session,
/// from the X server otherwise.
pub fn capture() -> Result<Vec<Capture>, ScreenError> {
    if is_wayland() {
        return super::portal::capture();
    }
    capture_monitors()
}

/// True in a Wayland session, where only the portal can see other windows.
pub fn is_wayland() -> bool {
    std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty())
}

/// Captures every monitor of the X display named by `DISPLAY`.
pub fn capture_monitors() -> Result<Vec<Capture>, ScreenError> {
    if std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty()) {
        return Err(ScreenError::NoDisplay);
    }
    let (conn, _) = x11rb::connect(None).map_err(|e| ScreenError::Connect(e.to_string()))?;
    let setup = conn.setup();
    let mut captures = Vec::new();
    for (n, screen) in setup.roots.iter().enumerate() {
        let monitors = monitors(&conn, screen);
        let rects = if monitors.is_empty() {
            vec![(
                crate::t!("scan-capture-screen", number = n),
                0,
                0,
                screen.width_in_pixels,
                screen.height_in_pixels,
            )]
        } else {
            monitors
        };
        for (name, x, y, w, h) in rects {
            if w == 0 || h == 0 {
                continue;
            }
            let reply = conn
                .get_image(ImageFormat::Z_PIXMAP, screen.root, x, y, w, h, u32::MAX)
                .map_err(|e| ScreenError::Capture(e.to_string()))?
                .reply()
                .map_err(|e| ScreenError::Capture(e.to_string()))?;
            let rgba = to_rgba(
                setup,
                screen,
                reply.depth,
                reply.visual,
                &reply.data,
                u32::from(w),
                u32::from(h),
            )?;
            captures.push(Capture {
                name,
                width: u32::from(w),
                height: u32::from(h),
                rgba,
            });
        }
    }
    Ok(captures)
}

type Rect = (String, i16, i16, u16, u16);

/// Monitors as RandR 1.5 lists them; empty when RandR is missing or too old, in
/// which case the whole root window is one picture.
fn monitors(conn: &impl Connection, screen: &Screen) -> Vec<Rect> {
    let Ok(cookie) = conn.randr_get_monitors(screen.root, true) else {
        return Vec::new();
    };
    let Ok(reply) = cookie.reply() else {
        return Vec::new();
    };
    reply
        .monitors
        .iter()
        .map(|m| {
            let name = conn
                .get_atom_name(m.name)
                .ok()
                .and_then(|c| c.reply().ok())
                .map(|r| String::from_utf8_lossy(&r.name).into_owned())
                .unwrap_or_else(|| crate::t!("scan-capture-monitor"));
            (name, m.x, m.y, m.width, m.height)
        })
        .collect()
}

fn to_rgba(
    setup: &x11rb::protocol::xproto::Setup,
    screen: &Screen,
    depth: u8,
    visual: u32,
    data: &[u8],
    width: u32,
    height: u32,
) -> Result<Vec<u8>, ScreenError> {
    let format = setup
        .pixmap_formats
        .iter()
        .find(|f| f.depth == depth)
        .ok_or_else(|| ScreenError::PixelFormat(format!("no pixmap format for depth {depth}")))?;
    let vis = screen
        .allowed_depths
        .iter()
        .flat_map(|d| d.visuals.iter())
        .find(|v| v.visual_id == visual)
        .ok_or_else(|| ScreenError::PixelFormat(format!("unknown visual {visual:#x}")))?;
    if vis.class != VisualClass::TRUE_COLOR && vis.class != VisualClass::DIRECT_COLOR {
        return Err(ScreenError::PixelFormat(format!(
            "visual class {:?}",
            vis.class
        )));
    }
    let bytes_pp = match format.bits_per_pixel {
        32 => 4,
        24 => 3,
        16 => 2,
        bpp => return Err(ScreenError::PixelFormat(format!("{bpp} bits per pixel"))),
    };
    let pad = u32::from(format.scanline_pad.max(8));
    let stride = (width * u32::from(format.bits_per_pixel)).div_ceil(pad) * pad / 8;
    let stride = stride as usize;
    if data.len() < stride * height as usize {
        return Err(ScreenError::Capture(format!(
            "the X server sent {} bytes for a {width}x{height} picture",
            data.len()
        )));
    }
    let lsb = setup.image_byte_order == ImageOrder::LSB_FIRST;
    // A zero mask would make the shift 32 (an overflow); such a channel reads 0.
    let channel = |mask: u32| {
        if mask == 0 {
            return (0, 0);
        }
        let shift = mask.trailing_zeros();
        (shift, mask >> shift)
    };
    let (rs, rm) = channel(vis.red_mask);
    let (gs, gm) = channel(vis.green_mask);
    let (bs, bm) = channel(vis.blue_mask);
    let scale = |v: u32, max: u32| {
        if max == 0 {
            0
        } else {
            (u64::from(v) * 255 / u64::from(max)) as u8
        }
    };
    let mut out = Vec::with_capacity(width as usize * height as usize * 4);
    for row in data.chunks_exact(stride).take(height as usize) {
        for px in row.chunks_exact(bytes_pp).take(width as usize) {
            let mut v: u32 = 0;
            if lsb {
                for (i, b) in px.iter().enumerate() {
                    v |= u32::from(*b) << (8 * i);
                }
            } else {
                for b in px {
                    v = (v << 8) | u32::from(*b);
                }
            }
            out.extend_from_slice(&[
                scale((v >> rs) & rm, rm),
                scale((v >> gs) & gm, gm),
                scale((v >> bs) & bm, bm),
                255,
            ]);
        }
    }
    Ok(out)
}
