//! A seeded generator of screenshot-like images with known QR payloads, shared by
//! the scan tests and `benches/scan.rs`.
//!
//! Each category models one way real screenshots differ from a clean QR code:
//! text clutter around it, dark themes, light-on-dark codes, fractional HiDPI
//! scaling, JPEG artefacts, several codes at once, slight rotation (a photo of a
//! screen), a dark-on-light and a light-on-dark code on one page, and pages with
//! no code at all. Every secret is random and synthetic.
#![allow(dead_code)]

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage, imageops};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Plain,
    Multi,
    Dark,
    Inverted,
    HiDpi,
    Jpeg,
    Rotated,
    Small,
    Mixed,
    NoCode,
}

pub const CATEGORIES: [Category; 10] = [
    Category::Plain,
    Category::Multi,
    Category::Dark,
    Category::Inverted,
    Category::HiDpi,
    Category::Jpeg,
    Category::Rotated,
    Category::Small,
    Category::Mixed,
    Category::NoCode,
];

impl Category {
    pub fn name(self) -> &'static str {
        match self {
            Category::Plain => "plain",
            Category::Multi => "multi (2-4 codes)",
            Category::Dark => "dark page",
            Category::Inverted => "inverted code",
            Category::HiDpi => "fractional HiDPI",
            Category::Jpeg => "JPEG",
            Category::Rotated => "rotated 1-8 deg",
            Category::Small => "2 px modules, JPEG q40",
            Category::Mixed => "normal + inverted code",
            Category::NoCode => "no code",
        }
    }
}

pub struct Sample {
    pub category: Category,
    pub name: String,
    /// PNG, or JPEG for the JPEG category.
    pub bytes: Vec<u8>,
    pub ext: &'static str,
    /// What a perfect reader finds, sorted.
    pub payloads: Vec<String>,
}

const WORDS: &[&str] = &[
    "GitHub",
    "Example",
    "ACME Corp",
    "Mastodon",
    "Proton",
    "Fastmail",
    "Tailscale",
    "Linode",
    "Gitea",
    "Nextcloud",
    "Bank",
    "Sakura",
    "認証",
    "Ünïcode",
];

fn base32_secret(rng: &mut StdRng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let len = [16, 26, 32, 52][rng.random_range(0..4)];
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..32)] as char)
        .collect()
}

fn otpauth(rng: &mut StdRng) -> String {
    let issuer = WORDS[rng.random_range(0..WORDS.len())];
    let user = format!("user{}@example.com", rng.random_range(0..10_000));
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let secret = base32_secret(rng);
    match rng.random_range(0..10) {
        0 => format!(
            "otpauth://hotp/{}:{}?secret={secret}&issuer={}&counter={}",
            enc(issuer),
            enc(&user),
            enc(issuer),
            rng.random_range(0..1000)
        ),
        1 => format!(
            "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA256&digits=8&period=60",
            enc(issuer),
            enc(&user),
            enc(issuer)
        ),
        _ => format!(
            "otpauth://totp/{}:{}?secret={secret}&issuer={}",
            enc(issuer),
            enc(&user),
            enc(issuer)
        ),
    }
}

fn migration(rng: &mut StdRng) -> String {
    use base64::Engine;
    let n = rng.random_range(1..=4);
    let accounts: Vec<_> = (0..n)
        .map(|_| ninsho::otp::OtpAccount {
            issuer: WORDS[rng.random_range(0..WORDS.len())].to_string(),
            name: format!("u{}", rng.random_range(0..1000)),
            secret: ninsho::otp::Secret::parse_base32(&base32_secret(rng)).unwrap(),
            params: ninsho::otp::Params::default(),
            extra: Vec::new(),
        })
        .collect();
    let (payloads, _) =
        ninsho::otp::migration::encode_payloads(&accounts, 10, rng.random_range(1..i32::MAX));
    let data = base64::engine::general_purpose::STANDARD.encode(&payloads[0]);
    let data = percent_encoding::utf8_percent_encode(&data, percent_encoding::NON_ALPHANUMERIC);
    format!("otpauth-migration://offline?data={data}")
}

fn payload(rng: &mut StdRng) -> String {
    match rng.random_range(0..10) {
        0 | 1 => migration(rng),
        _ => otpauth(rng),
    }
}

struct Page {
    img: RgbImage,
    bg: [u8; 3],
    ink: [u8; 3],
    /// Areas clutter must not touch: codes and their surroundings.
    reserved: Vec<(i64, i64, i64, i64)>,
}

fn fill(img: &mut RgbImage, x: i64, y: i64, w: i64, h: i64, c: [u8; 3]) {
    let (iw, ih) = (img.width() as i64, img.height() as i64);
    for yy in y.max(0)..(y + h).min(ih) {
        for xx in x.max(0)..(x + w).min(iw) {
            img.put_pixel(xx as u32, yy as u32, Rgb(c));
        }
    }
}

fn overlaps(r: &[(i64, i64, i64, i64)], x: i64, y: i64, w: i64, h: i64) -> bool {
    r.iter()
        .any(|&(rx, ry, rw, rh)| x < rx + rw && rx < x + w && y < ry + rh && ry < y + h)
}

impl Page {
    fn new(w: u32, h: u32, dark: bool, rng: &mut StdRng) -> Page {
        let (bg, ink) = if dark {
            let b = rng.random_range(18..48);
            ([b, b, b + 4], [200, 200, 205])
        } else {
            let b = rng.random_range(235..=255);
            ([b, b, b], [40, 40, 48])
        };
        Page {
            img: RgbImage::from_pixel(w, h, Rgb(bg)),
            bg,
            ink,
            reserved: Vec::new(),
        }
    }

    /// Text lines, panels and buttons everywhere outside the reserved areas.
    fn clutter(&mut self, rng: &mut StdRng) {
        let (w, h) = (self.img.width() as i64, self.img.height() as i64);
        // A header bar and a side panel, as most web pages and apps have.
        let panel = if self.bg[0] > 128 {
            [225, 228, 235]
        } else {
            [38, 40, 48]
        };
        let bar = rng.random_range(40..70);
        if !overlaps(&self.reserved, 0, 0, w, bar) {
            fill(&mut self.img, 0, 0, w, bar, panel);
        }
        let side = rng.random_range(150..300);
        if !overlaps(&self.reserved, 0, bar, side, h - bar) {
            fill(&mut self.img, 0, bar, side, h - bar, panel);
        }
        let mut y = bar + 20;
        while y < h - 20 {
            let line_h = rng.random_range(7..14);
            let mut x = side + rng.random_range(20..60);
            let end = w - rng.random_range(20..300);
            while x < end {
                let word = rng.random_range(12..90);
                if !overlaps(&self.reserved, x - 4, y - 4, word + 8, line_h + 8) {
                    fill(&mut self.img, x, y, word, line_h, self.ink);
                }
                x += word + rng.random_range(5..12);
            }
            y += line_h + rng.random_range(8..24);
            if rng.random_bool(0.08) {
                // A button: a filled block with a gap after it.
                let bw = rng.random_range(80..200);
                let bx = side + rng.random_range(20..200);
                if !overlaps(&self.reserved, bx - 4, y - 4, bw + 8, 44) {
                    fill(&mut self.img, bx, y, bw, 36, [40, 100, 200]);
                }
                y += 50;
            }
        }
    }
}

/// Renders `text` as a tile: modules of `module` pixels and a 4-module quiet zone.
fn qr_tile(text: &str, module: u32, dark: [u8; 3], light: [u8; 3]) -> RgbImage {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let n = code.width() as u32;
    let colors = code.to_colors();
    let side = (n + 8) * module;
    let mut tile = RgbImage::from_pixel(side, side, Rgb(light));
    for y in 0..n {
        for x in 0..n {
            if colors[(y * n + x) as usize] == qrcode::Color::Dark {
                for dy in 0..module {
                    for dx in 0..module {
                        tile.put_pixel((x + 4) * module + dx, (y + 4) * module + dy, Rgb(dark));
                    }
                }
            }
        }
    }
    tile
}

/// Bilinear rotation about the centre, filling uncovered corners with `bg`.
fn rotate(tile: &RgbImage, degrees: f64, bg: [u8; 3]) -> RgbImage {
    let (w, h) = (tile.width() as f64, tile.height() as f64);
    let (s, c) = degrees.to_radians().sin_cos();
    let side = ((w * c.abs() + h * s.abs()).ceil() as u32) + 2;
    let mut out = RgbImage::from_pixel(side, side, Rgb(bg));
    let (cx, cy) = (w / 2.0, h / 2.0);
    let half = side as f64 / 2.0;
    for y in 0..side {
        for x in 0..side {
            let (dx, dy) = (x as f64 - half, y as f64 - half);
            let sx = c * dx + s * dy + cx;
            let sy = -s * dx + c * dy + cy;
            if sx < 0.0 || sy < 0.0 || sx >= w - 1.0 || sy >= h - 1.0 {
                continue;
            }
            let (x0, y0) = (sx.floor() as u32, sy.floor() as u32);
            let (fx, fy) = (sx - x0 as f64, sy - y0 as f64);
            let mut px = [0u8; 3];
            for (ch, v) in px.iter_mut().enumerate() {
                let p = |xx: u32, yy: u32| tile.get_pixel(xx, yy)[ch] as f64;
                let top = p(x0, y0) * (1.0 - fx) + p(x0 + 1, y0) * fx;
                let bottom = p(x0, y0 + 1) * (1.0 - fx) + p(x0 + 1, y0 + 1) * fx;
                *v = (top * (1.0 - fy) + bottom * fy).round() as u8;
            }
            out.put_pixel(x, y, Rgb(px));
        }
    }
    out
}

/// Places tiles in a grid of slots so that they never overlap.
fn place(page: &mut Page, tiles: &[RgbImage], rng: &mut StdRng) {
    let (w, h) = (page.img.width() as i64, page.img.height() as i64);
    let n = tiles.len() as i64;
    if n == 0 {
        return;
    }
    let cols = if n == 1 { 1 } else { 2 };
    let rows = (n + cols - 1) / cols;
    let (sw, sh) = (w / cols, h / rows);
    for (i, t) in tiles.iter().enumerate() {
        let (tw, th) = (t.width() as i64, t.height() as i64);
        let (col, row) = (i as i64 % cols, i as i64 / cols);
        let x = col * sw + rng.random_range(0..=(sw - tw).max(0));
        let y = row * sh + rng.random_range(0..=(sh - th).max(0));
        imageops::replace(&mut page.img, t, x, y);
        page.reserved.push((x - 12, y - 12, tw + 24, th + 24));
    }
}

fn encode_png(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

/// One image of `category`, `width` x `height`, reproducible from `seed`.
pub fn generate(category: Category, seed: u64, width: u32, height: u32) -> Sample {
    let mut rng = StdRng::seed_from_u64(seed ^ ((category as u64) << 48));
    let scale = (width.min(height) as f64 / 1080.0).max(0.5);
    let count = match category {
        Category::Multi => rng.random_range(2..=4),
        Category::Mixed => 2,
        Category::NoCode => 0,
        _ => 1,
    };
    let mut payloads: Vec<String> = (0..count).map(|_| payload(&mut rng)).collect();
    if category == Category::Multi && rng.random_bool(0.3) {
        // A non-authenticator code beside the real ones must be reported too.
        payloads[0] = format!("https://example.com/help/{}", rng.random_range(0..1000));
    }
    let hidpi = match category {
        Category::HiDpi => [1.25, 1.5, 1.75, 2.25, 0.8][rng.random_range(0..5)],
        _ => 1.0,
    };
    let (cw, ch) = (
        (width as f64 / hidpi).round() as u32,
        (height as f64 / hidpi).round() as u32,
    );
    let dark_page = match category {
        Category::Dark | Category::Inverted => true,
        Category::Plain | Category::Jpeg => false,
        _ => rng.random_bool(0.3),
    };
    let mut page = Page::new(cw, ch, dark_page, &mut rng);
    let max_module = if count > 2 { 5 } else { 8 };
    let min_module = if hidpi < 1.0 { 4 } else { 3 };
    // Small codes: a dense code shown tiny, then saved as a poor JPEG.
    let (min_module, max_module) = if category == Category::Small {
        (2, 2)
    } else {
        (min_module, max_module)
    };
    let tiles: Vec<RgbImage> = payloads
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let module = if category == Category::Small {
                2
            } else {
                ((rng.random_range(min_module..=max_module) as f64) * scale / hidpi)
                    .round()
                    .max(min_module as f64) as u32
            };
            let inverted =
                category == Category::Inverted || (category == Category::Mixed && i == 1);
            let tile = if inverted && page.bg[0] < 128 {
                qr_tile(p, module, [225, 225, 230], page.bg)
            } else if inverted {
                // A dark card on a light page (a dark-themed widget, a video frame).
                qr_tile(p, module, [225, 225, 230], [28, 30, 36])
            } else {
                qr_tile(p, module, [0, 0, 0], [255, 255, 255])
            };
            if category == Category::Rotated {
                let angle =
                    rng.random_range(1.0..8.0) * if rng.random_bool(0.5) { 1.0 } else { -1.0 };
                rotate(&tile, angle, page.bg)
            } else {
                tile
            }
        })
        .collect();
    place(&mut page, &tiles, &mut rng);
    page.clutter(&mut rng);
    let img = if hidpi != 1.0 {
        imageops::resize(&page.img, width, height, imageops::Triangle)
    } else {
        page.img
    };
    let (bytes, ext) = if category == Category::Jpeg || category == Category::Small {
        let mut out = Vec::new();
        let quality = if category == Category::Small {
            40
        } else {
            rng.random_range(50..=85)
        };
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
            .encode_image(&img)
            .unwrap();
        (out, "jpg")
    } else {
        (encode_png(&img), "png")
    };
    payloads.sort();
    Sample {
        category,
        name: format!("{:?}-{seed}-{width}x{height}.{ext}", category).to_lowercase(),
        bytes,
        ext,
        payloads,
    }
}

/// A plain white page with `texts` as codes side by side, PNG-encoded: for tests
/// that need a particular payload on screen or in a file.
pub fn code_page(texts: &[&str], module: u32) -> Vec<u8> {
    let tiles: Vec<RgbImage> = texts
        .iter()
        .map(|t| qr_tile(t, module, [0, 0, 0], [255, 255, 255]))
        .collect();
    let w = tiles.iter().map(|t| t.width()).sum::<u32>() + 40;
    let h = tiles.iter().map(|t| t.height()).max().unwrap_or(100) + 40;
    let mut page = RgbImage::from_pixel(w, h, Rgb([255, 255, 255]));
    let mut x = 20;
    for t in &tiles {
        imageops::replace(&mut page, t, x, 20);
        x += i64::from(t.width());
    }
    encode_png(&page)
}

/// zbarimg's reading of one file (the independent checker), sorted.
#[allow(dead_code)]
pub fn zbar_reads(path: &std::path::Path) -> Vec<String> {
    let out = std::process::Command::new("zbarimg")
        .args([
            "-q",
            "--raw",
            "-Sdisable",
            "-Sqrcode.enable",
            "-Stest-inverted",
        ])
        .arg(path)
        .output()
        .unwrap();
    let mut found: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}
