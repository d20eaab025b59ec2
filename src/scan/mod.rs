//! Finds authenticator QR codes in images: files, screen captures, clipboard images.
//!
//! Owns everything between "some pixels" and "these accounts": decoding the image
//! format within memory limits, reading every QR code in one pass (dark-on-light
//! and light-on-dark codes alike), the retries that rescue oddly scaled codes,
//! and sorting payloads into accounts,
//! Google Authenticator transfer batches and QR codes that hold something else.
//!
//! Pure apart from the decoding itself: no files, no clock other than a time budget
//! for the retries, nothing logged. QR decoding is `rxing` (a ZXing port); its
//! multi-code reader with TRY_HARDER read more screenshot-like images than
//! `zbarimg` in measurements (see BENCHMARKS.md). Two steps before it are ours,
//! for speed, each checked against what it replaces: PNG files turn grey while
//! they decode (`png_grey`), and the black/white picture rxing searches is
//! computed on two threads (`binarize`, the same bits as rxing's own).
//! Payload text never leaves the report: it can carry secrets.

mod binarize;
mod budget;
mod finder;
mod png_grey;
#[cfg(all(unix, not(target_os = "macos")))]
mod portal;
#[cfg(all(unix, not(target_os = "macos")))]
pub mod screen;

use std::io::Cursor;
use std::time::{Duration, Instant};

use image::{DynamicImage, GrayImage, ImageError, ImageReader, Limits};
use rxing::common::{
    BitMatrix, DefaultGridSampler, DetectorRXingResult, GridSampler, HybridBinarizer,
    PerspectiveTransform, Quadrilateral, SamplerControl,
};
use rxing::qrcode::decoder::qrcode_decoder::decode_bitmatrix_with_hints;
use rxing::qrcode::detector::Detector;
use rxing::{Binarizer, DecodeHintValue, DecodeHints, Luma8Source, Point, point};

use self::budget::{Budget, Meter};
use crate::otp::migration::{self, Batch};
use crate::otp::{self, OtpAccount};

/// Largest side we decode. Real screenshots of three 4K monitors side by side are
/// 11520 wide; anything beyond this is a decompression bomb or not a screenshot.
pub const MAX_SIDE: u32 = 16_384;
/// Largest pixel count (a 8K x 8K canvas); caps the RGBA buffer at 256 MiB.
pub const MAX_PIXELS: u64 = 8192 * 8192;

/// Retries after a first pass found nothing stop once this much time has gone, so
/// a picture with no code costs at most about this plus one pass.
const RETRY_BUDGET: Duration = Duration::from_millis(600);
/// CPU time the QR search of one picture may take over all its passes and
/// threads. Real pictures need far less (4K: 12 ms median, 169 ms without any
/// code, release build, BENCHMARKS.md); a picture made of finder patterns took
/// over 40 s before this limit. Decoding the file comes on top (a few tenths
/// of a second for an 8K PNG), so any scan stays under 2 s of CPU (TRUST.md).
/// Debug builds (the tests) run our own pixel loops unoptimised, several times
/// slower: they get four times the time, so an ordinary picture is never cut
/// short on a slow machine. What stops a hostile picture early in tests is a
/// cap, not the clock.
const SEARCH_CPU_BUDGET: Duration = if cfg!(debug_assertions) {
    Duration::from_millis(4000)
} else {
    Duration::from_millis(1000)
};

/// What a scan says, in the reader's language, when it stopped before looking
/// everywhere.
pub fn stopped_early() -> String {
    crate::t!("err-scan-stopped-early")
}

/// 2x upscaling helps only codes whose modules are one or two pixels; on images
/// larger than this it costs more time and memory than it is worth.
const UPSCALE_MAX_SIDE: u32 = 1600;
/// Below this, halving loses modules instead of smoothing noise.
const DOWNSCALE_MIN_SIDE: u32 = 600;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    #[error("{}", crate::t!("err-not-an-image"))]
    NotAnImage,
    #[error("{}", crate::t!("err-image-too-large", width = *.width, height = *.height, side = MAX_SIDE, megapixels = MAX_PIXELS / 1_000_000))]
    TooLarge { width: u32, height: u32 },
    #[error("{}", crate::t!("err-bad-image", detail = .0))]
    BadImage(String),
}

/// A QR code whose payload is not an authenticator URI, described briefly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherCode {
    /// "a web address", "text of 12 characters": the kind, never the content.
    pub description: String,
}

/// Everything one image (or several, merged) held.
#[derive(Debug, Default)]
pub struct ScanReport {
    pub accounts: Vec<OtpAccount>,
    /// QR codes that hold something other than an authenticator URI.
    pub others: Vec<OtherCode>,
    /// Google Authenticator transfer batch positions, to tell the user what is missing.
    pub batches: Vec<Batch>,
    /// Authenticator URIs or transfer entries that could not be read: (what, why).
    pub skipped: Vec<(String, String)>,
    /// Non-fatal notes, e.g. an issuer disagreement in a URI.
    pub warnings: Vec<String>,
    /// The search ran out of time or hit a cap ([`stopped_early`]): what was
    /// found is real, but codes may be missing.
    pub stopped_early: bool,
}

impl ScanReport {
    /// True when no QR code at all was found.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty() && self.others.is_empty() && self.skipped.is_empty()
    }

    /// Adds another image's findings; accounts already present are not repeated.
    pub fn merge(&mut self, other: ScanReport) {
        for a in other.accounts {
            if !self.accounts.iter().any(|b| b.same_account(&a)) {
                self.accounts.push(a);
            }
        }
        for o in other.others {
            if !self.others.contains(&o) {
                self.others.push(o);
            }
        }
        for b in other.batches {
            if !self.batches.contains(&b) {
                self.batches.push(b);
            }
        }
        self.skipped.extend(other.skipped);
        self.warnings.extend(other.warnings);
        self.stopped_early |= other.stopped_early;
    }
}

fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(MAX_SIDE);
    l.max_image_height = Some(MAX_SIDE);
    // RGBA at the pixel cap plus the decoders' own scratch space.
    l.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    l
}

/// Decodes image bytes (PNG, JPEG, WebP, BMP, GIF) within [`MAX_SIDE`] and
/// [`MAX_PIXELS`]. The header is checked before any pixel buffer is allocated.
pub fn decode_image(bytes: &[u8]) -> Result<DynamicImage, ScanError> {
    let reader = || {
        ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| ScanError::BadImage(e.to_string()))
    };
    let probe = reader()?;
    if probe.format().is_none() {
        return Err(ScanError::NotAnImage);
    }
    let (width, height) = probe.into_dimensions().map_err(map_image_error)?;
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ScanError::TooLarge { width, height });
    }
    let mut reader = reader()?;
    reader.limits(limits());
    reader.decode().map_err(|e| match e {
        ImageError::Limits(_) => ScanError::TooLarge { width, height },
        e => map_image_error(e),
    })
}

fn map_image_error(e: ImageError) -> ScanError {
    match e {
        ImageError::Unsupported(_) => ScanError::NotAnImage,
        e => ScanError::BadImage(e.to_string()),
    }
}

/// The grey picture in image bytes, as [`to_luma`] sees it: PNG files are
/// decoded and turned grey side by side (`png_grey`), other formats go
/// through [`decode_image`] first. Same limits, same errors.
pub fn decode_luma(bytes: &[u8]) -> Result<GrayImage, ScanError> {
    match png_grey::png_to_luma(bytes) {
        Some(result) => result,
        None => Ok(to_luma(&decode_image(bytes)?)),
    }
}

/// Scans encoded image bytes: every authenticator code in the picture.
pub fn scan_image_bytes(bytes: &[u8]) -> Result<ScanReport, ScanError> {
    Ok(search(&decode_luma(bytes)?).into_report())
}

/// Scans an already decoded image (a screen capture, a clipboard image).
pub fn scan_image(image: &DynamicImage) -> ScanReport {
    search(&to_luma(image)).into_report()
}

/// Scans raw RGBA pixels, row-major, `width * height * 4` bytes; a wrong length
/// finds nothing rather than panicking.
pub fn scan_rgba(width: u32, height: u32, rgba: &[u8]) -> ScanReport {
    let Some(luma) = luma_from_rgba(width, height, rgba) else {
        return ScanReport::default();
    };
    search(&luma).into_report()
}

/// Grey levels as the eye sees them, with transparency composited over white:
/// a transparent PNG of a QR code is black modules on nothing, which readers see
/// as black on black.
pub fn to_luma(image: &DynamicImage) -> GrayImage {
    match image {
        DynamicImage::ImageLuma8(g) => g.clone(),
        DynamicImage::ImageRgb8(rgb) => {
            let data = grey(rgb.as_raw(), |[r, g, b]| luma_of(r, g, b, 255));
            GrayImage::from_raw(rgb.width(), rgb.height(), data).unwrap_or_default()
        }
        DynamicImage::ImageRgba8(rgba) => {
            luma_from_rgba(rgba.width(), rgba.height(), rgba.as_raw()).unwrap_or_default()
        }
        other => {
            let rgba = other.to_rgba8();
            luma_from_rgba(rgba.width(), rgba.height(), rgba.as_raw()).unwrap_or_default()
        }
    }
}

fn luma_from_rgba(width: u32, height: u32, rgba: &[u8]) -> Option<GrayImage> {
    let expected = (width as usize)
        .checked_mul(height as usize)?
        .checked_mul(4)?;
    if rgba.len() != expected {
        return None;
    }
    let data = grey(rgba, |[r, g, b, a]| luma_of(r, g, b, a));
    GrayImage::from_raw(width, height, data)
}

/// Below this many pixels a second thread costs more than it saves.
const PARALLEL_MIN_PIXELS: usize = 1 << 20;

/// One grey byte per `N`-byte pixel. Large images are split between two
/// threads: at 4K this halves the conversion's share of a scan (BENCHMARKS.md).
fn grey<const N: usize>(pixels: &[u8], luma: impl Fn([u8; N]) -> u8 + Sync) -> Vec<u8> {
    let count = pixels.len() / N;
    let mut out = vec![0u8; count];
    in_halves(
        &mut out,
        count / 2,
        count >= PARALLEL_MIN_PIXELS,
        |start, part| grey_pixels(&pixels[start * N..], part, &luma),
    );
    out
}

/// `dst[i]` is the grey of the `i`th `N`-byte pixel of `src`, for as many
/// pixels as both hold.
fn grey_pixels<const N: usize>(src: &[u8], dst: &mut [u8], luma: &impl Fn([u8; N]) -> u8) {
    let (pixels, _) = src.as_chunks::<N>();
    for (d, p) in dst.iter_mut().zip(pixels) {
        *d = luma(*p);
    }
}

/// Runs `work(start, part)` on the two parts of `out` cut at `at` (`start` is
/// where the part begins in `out`), side by side on two threads when `parallel`
/// and a thread can be had, else one after the other.
fn in_halves<T: Send>(
    out: &mut [T],
    at: usize,
    parallel: bool,
    work: impl Fn(usize, &mut [T]) + Sync,
) {
    let at = at.min(out.len());
    let (first, second) = out.split_at_mut(at);
    if !parallel {
        work(0, first);
        work(at, second);
        return;
    }
    let shared = std::thread::scope(|scope| {
        let helper = std::thread::Builder::new().spawn_scoped(scope, || work(at, &mut *second));
        work(0, first);
        helper.is_ok()
    });
    // No thread to be had: this one does the rest.
    if !shared {
        work(at, second);
    }
}

#[inline]
fn luma_of(r: u8, g: u8, b: u8, a: u8) -> u8 {
    // Rec. 601 weights in fixed point (sum 1024).
    let y = (306 * u32::from(r) + 601 * u32::from(g) + 117 * u32::from(b)) >> 10;
    if a == 255 {
        return y as u8;
    }
    let a = u32::from(a);
    ((y * a + 255 * (255 - a)) / 255) as u8
}

/// What the QR search of one picture found.
#[derive(Debug, Default)]
pub struct Search {
    /// The text of every QR code read, deduplicated, in order of discovery.
    pub payloads: Vec<String>,
    /// The search hit [`SEARCH_CPU_BUDGET`] or a cap before it had looked
    /// everywhere ([`stopped_early`]).
    pub stopped_early: bool,
}

impl Search {
    fn into_report(self) -> ScanReport {
        let mut report = report_from_payloads(&self.payloads);
        report.stopped_early = self.stopped_early;
        report
    }
}

/// The text of every QR code in the picture, deduplicated, in reading order of
/// discovery. Retries (rescaled) run only when a pass found nothing.
pub fn find_payloads(luma: &GrayImage) -> Vec<String> {
    search(luma).payloads
}

/// [`find_payloads`], saying also whether the search was cut short.
pub fn search(luma: &GrayImage) -> Search {
    let start = Instant::now();
    let budget = Budget::new(SEARCH_CPU_BUDGET);
    let mut found = decode_all(luma, &budget);
    let (w, h) = luma.dimensions();
    if found.is_empty()
        && !budget.out_of_time()
        && w.min(h) >= DOWNSCALE_MIN_SIDE
        && start.elapsed() < RETRY_BUDGET
    {
        let half = halve(luma);
        found = decode_all(&half, &budget);
    }
    if found.is_empty()
        && !budget.out_of_time()
        && w.max(h) <= UPSCALE_MAX_SIDE
        && start.elapsed() < RETRY_BUDGET
    {
        let double = image::imageops::resize(luma, w * 2, h * 2, image::imageops::Nearest);
        found = decode_all(&double, &budget);
    }
    let mut unique: Vec<String> = Vec::with_capacity(found.len());
    for text in found {
        if !unique.contains(&text) {
            unique.push(text);
        }
    }
    Search {
        payloads: unique,
        stopped_early: budget.stopped(),
    }
}

/// The picture at half size, each pixel the mean of a 2x2 block. `image`'s
/// triangle filter did the same job at 1.5 s of CPU for 8192x8192, most of a
/// scan's time; a box filter smooths noise just as well for finding codes.
fn halve(luma: &GrayImage) -> GrayImage {
    let (w, h) = (luma.width() / 2, luma.height() / 2);
    let (stride, src) = (luma.width() as usize, luma.as_raw());
    let mut out = vec![0u8; w as usize * h as usize];
    for (y, row) in out.chunks_exact_mut(w as usize).enumerate() {
        let top = &src[2 * y * stride..][..2 * w as usize];
        let bottom = &src[(2 * y + 1) * stride..][..2 * w as usize];
        for ((d, t), b) in row
            .iter_mut()
            .zip(top.chunks_exact(2))
            .zip(bottom.chunks_exact(2))
        {
            let sum = u16::from(t[0]) + u16::from(t[1]) + u16::from(b[0]) + u16::from(b[1]);
            *d = ((sum + 2) / 4) as u8;
        }
    }
    GrayImage::from_raw(w, h, out).unwrap_or_default()
}

/// Every code in one binarization: dark-on-light codes in the black/white matrix,
/// light-on-dark ones (dark themes, a dark card on a light page) in its inverse.
/// Flipping the bits costs a few milliseconds at 4K, where binarizing an inverted
/// copy cost as much as the first pass; so both kinds are always looked for, and
/// a page showing one of each loses neither (BENCHMARKS.md, "normal + inverted").
fn decode_all(luma: &GrayImage, budget: &Budget) -> Vec<String> {
    let (w, h) = luma.dimensions();
    if w == 0 || h == 0 {
        return Vec::new();
    }
    // rxing is a port of Java code with many index computations; a malformed
    // symbol must cost us that pass, never the process.
    let guarded = |matrix: &BitMatrix| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            decode_matrix(matrix, &mut budget.meter())
        }))
        .unwrap_or_default()
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let Some(matrix) = black_matrix(luma) else {
            return Vec::new();
        };
        let mut inverse = matrix.clone();
        inverse.flip_self();
        // The two searches are independent: on two cores they take the time of one.
        std::thread::scope(|scope| {
            let light_on_dark =
                std::thread::Builder::new().spawn_scoped(scope, || guarded(&inverse));
            let mut found = guarded(&matrix);
            match light_on_dark {
                Ok(helper) => found.extend(helper.join().unwrap_or_default()),
                Err(_) => found.extend(guarded(&inverse)),
            }
            found
        })
    }))
    .unwrap_or_default()
}

/// The picture in black and white: rxing's `HybridBinarizer`, computed by
/// [`binarize`] (the same bits, faster), or by rxing itself for pictures too
/// small for local thresholds.
fn black_matrix(luma: &GrayImage) -> Option<BitMatrix> {
    let (w, h) = luma.dimensions();
    if let Some(matrix) = binarize::black_matrix(luma.as_raw(), w as usize, h as usize) {
        return Some(matrix);
    }
    let source = Luma8Source::new_with_slice(luma.as_raw(), w, h).ok()?;
    HybridBinarizer::new(source)
        .get_black_matrix()
        .ok()
        .cloned()
}

/// rxing's `QRCodeMultiReader` gives up on every code in the picture when one of
/// them fails to decode; here each detected code stands alone, and a failed one
/// gets a second chance with other module counts.
fn decode_matrix(matrix: &BitMatrix, meter: &mut Meter) -> Vec<String> {
    let hints = DecodeHints::default().with(DecodeHintValue::TryHarder(true));
    let detector = Detector::new(matrix);
    let mut found = Vec::new();
    for triple in finder::triples(matrix, meter) {
        if meter.out_of_time() {
            break;
        }
        let Ok(d) = detector.processFinderPatternInfo(triple) else {
            continue;
        };
        match decode_bitmatrix_with_hints(d.getBits(), &hints) {
            Ok(r) => found.push(r.getText().to_string()),
            Err(_) => found.extend(resample(matrix, d.getPoints(), &hints, meter)),
        }
    }
    found
}

/// The detector guesses the code's size (modules a side) from its estimate of
/// the module size, which is off by a version or more for dense codes of 2-3
/// pixels a module (Google Authenticator transfer codes in phone screenshots).
/// The finder patterns themselves are reliable, so sample the grid again for
/// every size that gives plausible modules and keep the first that decodes.
fn resample(
    matrix: &BitMatrix,
    points: &[Point],
    hints: &DecodeHints,
    meter: &mut Meter,
) -> Option<String> {
    let [bottom_left, top_left, top_right] = [*points.first()?, *points.get(1)?, *points.get(2)?];
    let alignment = points.get(3).copied();
    let span = Point::distance(top_left, top_right).max(Point::distance(top_left, bottom_left));
    for version in 1..=40u32 {
        let dimension = 17 + 4 * version;
        let module = span / (dimension as f32 - 7.0);
        if !(1.2..=40.0).contains(&module) {
            continue;
        }
        if meter.out_of_time() {
            return None;
        }
        let far = dimension as f32 - 3.5;
        let guesses = [
            alignment.filter(|_| version > 1).map(|a| (a, far - 3.0)),
            Some((
                point(
                    top_right.x - top_left.x + bottom_left.x,
                    top_right.y - top_left.y + bottom_left.y,
                ),
                far,
            )),
        ];
        for (corner, source) in guesses.into_iter().flatten() {
            let Ok(transform) = PerspectiveTransform::quadrilateralToQuadrilateral(
                Quadrilateral::new(
                    point(3.5, 3.5),
                    point(far, 3.5),
                    point(source, source),
                    point(3.5, far),
                ),
                Quadrilateral::new(top_left, top_right, corner, bottom_left),
            ) else {
                continue;
            };
            let Ok((bits, _)) = DefaultGridSampler.sample_grid(
                matrix,
                dimension,
                dimension,
                &[SamplerControl::new(dimension, dimension, transform)],
            ) else {
                continue;
            };
            if let Ok(r) = decode_bitmatrix_with_hints(&bits, hints) {
                return Some(r.getText().to_string());
            }
        }
    }
    None
}

/// Sorts QR payloads into accounts, transfer batches and other codes.
pub fn report_from_payloads(payloads: &[String]) -> ScanReport {
    let mut report = ScanReport::default();
    for text in payloads {
        let trimmed = text.trim();
        if otp::uri::strip_scheme(trimmed, "otpauth").is_some() {
            match otp::parse_uri(trimmed) {
                Ok(parsed) => {
                    report.warnings.extend(parsed.warnings);
                    push_account(&mut report, parsed.account);
                }
                Err(e) => report
                    .skipped
                    .push((crate::t!("err-scan-otpauth-code"), e.to_string())),
            }
        } else if otp::uri::strip_scheme(trimmed, "otpauth-migration").is_some() {
            match migration::parse_migration_uri(trimmed) {
                Ok(decoded) => {
                    report.skipped.extend(decoded.skipped);
                    if !report.batches.contains(&decoded.batch) {
                        report.batches.push(decoded.batch);
                    }
                    for a in decoded.accounts {
                        push_account(&mut report, a);
                    }
                }
                Err(e) => report
                    .skipped
                    .push((crate::t!("err-scan-transfer-code"), e.to_string())),
            }
        } else {
            // Payloads are distinct already; two web addresses are two codes.
            report.others.push(OtherCode {
                description: describe(trimmed),
            });
        }
    }
    report
}

fn push_account(report: &mut ScanReport, account: OtpAccount) {
    if !report.accounts.iter().any(|a| a.same_account(&account)) {
        report.accounts.push(account);
    }
}

/// What kind of content a payload that is not an authenticator URI is, never
/// the content itself: a QR code can hold a bare secret key, a Wi-Fi password
/// or a sign-in link, and messages end up on screens and in terminals.
pub fn describe(text: &str) -> String {
    let lower = text.get(..16).unwrap_or(text).to_ascii_lowercase();
    let starts = |prefix: &str| lower.starts_with(prefix);
    if text.is_empty() {
        crate::t!("err-qr-empty")
    } else if starts("http://") || starts("https://") {
        crate::t!("err-qr-web")
    } else if starts("wifi:") {
        crate::t!("err-qr-wifi")
    } else if starts("begin:vcard") || starts("mecard:") {
        crate::t!("err-qr-contact")
    } else if starts("mailto:") {
        crate::t!("err-qr-email")
    } else if starts("tel:") {
        crate::t!("err-qr-phone")
    } else if starts("sms:") || starts("smsto:") {
        crate::t!("err-qr-sms")
    } else if starts("geo:") {
        crate::t!("err-qr-geo")
    } else if looks_like_a_bare_secret(text) {
        crate::t!("err-qr-bare-secret")
    } else {
        crate::t!("err-qr-text", count = text.chars().count())
    }
}

/// Base32 of a plausible key length, perhaps grouped with spaces or dashes:
/// some sites show only the key, which `Secret::parse_base32` would take.
fn looks_like_a_bare_secret(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (16..=128).contains(&compact.len())
        && compact
            .trim_end_matches('=')
            .chars()
            .all(|c| c.is_ascii_alphabetic() || ('2'..='7').contains(&c))
        && otp::Secret::parse_base32(&compact).is_ok()
}

#[cfg(test)]
mod tests;
