//! Protects: image decoding never panics or over-allocates on hostile input, and
//! payloads are sorted into accounts, batches and "not an authenticator code".

use super::*;
use crate::otp::migration::encode_payloads;

const URI: &str = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";

#[test]
fn text_is_not_an_image() {
    assert_eq!(
        scan_image_bytes(b"this is plain text, not a JPEG").unwrap_err(),
        ScanError::NotAnImage
    );
    assert_eq!(scan_image_bytes(b"").unwrap_err(), ScanError::NotAnImage);
}

/// A PNG header announcing 60000x60000 pixels must be refused from the header,
/// before the 14 GB buffer is allocated.
#[test]
fn huge_png_is_refused_before_allocation() {
    let mut header = Vec::new();
    header.extend_from_slice(&60000u32.to_be_bytes());
    header.extend_from_slice(&60000u32.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &header);
    // The start of a zlib stream: decoders read up to the first IDAT for the header.
    chunk(&mut png, b"IDAT", &[0x78, 0x9c]);
    // Refused from the header (no clock: tests/scan_cli.rs runs the same file
    // under a 4 GiB address-space cap, which a 14 GB allocation would break).
    assert_eq!(
        scan_image_bytes(&png).unwrap_err(),
        ScanError::TooLarge {
            width: 60000,
            height: 60000
        }
    );
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    png.extend_from_slice(&body);
    png.extend_from_slice(&crc32(&body).to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn truncated_png_is_a_clear_error() {
    let mut png = Vec::new();
    image::DynamicImage::new_luma8(64, 64)
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png.truncate(png.len() / 2);
    assert!(matches!(
        scan_image_bytes(&png),
        Err(ScanError::BadImage(_)) | Ok(ScanReport { .. })
    ));
}

#[test]
fn blank_image_has_no_codes() {
    let report = scan_image(&DynamicImage::new_rgb8(800, 600));
    assert!(report.is_empty());
}

#[test]
fn wrong_rgba_length_finds_nothing() {
    assert!(scan_rgba(10, 10, &[0; 7]).is_empty());
    assert!(scan_rgba(u32::MAX, u32::MAX, &[]).is_empty());
}

#[test]
fn transparency_is_composited_over_white() {
    assert_eq!(luma_of(0, 0, 0, 0), 255);
    assert_eq!(luma_of(0, 0, 0, 255), 0);
    assert_eq!(luma_of(255, 255, 255, 255), 255);
}

#[test]
fn large_images_turn_grey_alike_on_both_threads() {
    // Odd sizes put the split between the two threads mid-row.
    let (w, h) = (1283, 1021);
    let pixel = |i: u32| [(i * 7) as u8, (i * 13) as u8, (i * 29) as u8, (i * 3) as u8];
    let rgba = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba(pixel(y * w + x)));
    let rgb = image::RgbImage::from_fn(w, h, |x, y| {
        let [r, g, b, _] = pixel(y * w + x);
        image::Rgb([r, g, b])
    });
    assert!((w * h) as usize > PARALLEL_MIN_PIXELS);
    let grey_rgba = to_luma(&DynamicImage::ImageRgba8(rgba));
    let grey_rgb = to_luma(&DynamicImage::ImageRgb8(rgb));
    for i in 0..w * h {
        let [r, g, b, a] = pixel(i);
        let (x, y) = (i % w, i / w);
        assert_eq!(
            grey_rgba.get_pixel(x, y).0[0],
            luma_of(r, g, b, a),
            "RGBA pixel {i}"
        );
        assert_eq!(
            grey_rgb.get_pixel(x, y).0[0],
            luma_of(r, g, b, 255),
            "RGB pixel {i}"
        );
    }
}

#[test]
fn payloads_are_sorted() {
    let report = report_from_payloads(&[
        URI.to_string(),
        URI.to_string(),
        "https://example.com/login".to_string(),
        "WIFI:T:WPA;S:home;P:hunter2;;".to_string(),
        "otpauth://totp/NoSecret?issuer=X".to_string(),
    ]);
    assert_eq!(report.accounts.len(), 1);
    assert_eq!(report.accounts[0].issuer, "Example");
    assert_eq!(
        report.others,
        vec![
            OtherCode {
                description: "a web address".to_string()
            },
            OtherCode {
                description: "Wi-Fi network settings".to_string()
            }
        ]
    );
    assert_eq!(report.skipped.len(), 1);
    assert!(!format!("{report:?}").contains("hunter2"));
}

#[test]
fn transfer_batches_are_tracked() {
    let account = crate::otp::parse_uri(URI).unwrap().account;
    let (payloads, skipped) = encode_payloads(&[account], 1, 42);
    assert!(skipped.is_empty());
    let report = report_from_payloads(
        &payloads
            .iter()
            .map(|p| migration_uri(p))
            .collect::<Vec<_>>(),
    );
    assert_eq!(report.accounts.len(), 1);
    assert_eq!(report.batches.len(), 1);
    assert_eq!(report.batches[0].id, 42);
}

/// Regression (hardening issue): `scan` quoted the first 48 characters of
/// any other QR code, so a code holding a bare secret key printed the key.
#[test]
fn other_codes_are_described_by_kind_never_quoted() {
    let key = "JBSW Y3DP EHPK 3PXP JBSW Y3DP";
    let cases = [
        (key, "a bare secret key"),
        ("https://example.com/reset?token=s3cr3t", "a web address"),
        ("WIFI:T:WPA;S:home;P:hunter2;;", "Wi-Fi network settings"),
        ("hello\nworld", "text of 11 characters"),
        ("", "nothing"),
    ];
    for (payload, kind) in cases {
        let d = describe(payload);
        assert!(d.starts_with(kind), "{payload:?}: {d}");
        for part in ["JBSW", "token", "hunter2", "hello", "example"] {
            assert!(!d.contains(part), "{payload:?}: {d}");
        }
    }
}

fn migration_uri(payload: &[u8]) -> String {
    crate::otp::migration::migration_uri(payload).to_string()
}

/// Sites often serve QR codes as PNGs with transparent light modules; read as
/// plain grey levels they would be black on black.
#[test]
fn transparent_png_code_is_read() {
    let code = qrcode::QrCode::new(URI.as_bytes()).unwrap();
    let n = code.width() as u32;
    let colors = code.to_colors();
    let module = 4;
    let side = (n + 8) * module;
    let img = image::RgbaImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / module).wrapping_sub(4), (y / module).wrapping_sub(4));
        let dark = mx < n && my < n && colors[(my * n + mx) as usize] == qrcode::Color::Dark;
        if dark {
            image::Rgba([0, 0, 0, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let mut png = Vec::new();
    img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let report = scan_image_bytes(&png).unwrap();
    assert_eq!(report.accounts.len(), 1);
    assert_eq!(report.accounts[0].issuer, "Example");
}

/// A grey image of `text` as a QR code, `module` pixels a module, 4-module quiet zone.
fn code_luma(text: &str, module: u32, dark: u8, light: u8) -> GrayImage {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let n = code.width() as u32;
    let colors = code.to_colors();
    let side = (n + 8) * module;
    GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / module).wrapping_sub(4), (y / module).wrapping_sub(4));
        let on = mx < n && my < n && colors[(my * n + mx) as usize] == qrcode::Color::Dark;
        image::Luma([if on { dark } else { light }])
    })
}

/// Regression: the light-on-dark pass ran only when the normal pass found
/// nothing, so a page with one code of each kind lost the inverted one.
#[test]
fn normal_and_inverted_codes_on_one_page_are_both_read() {
    let other = "otpauth://totp/Dark:bob?secret=GEZDGNBVGY3TQOJQ&issuer=Dark";
    let normal = code_luma(URI, 4, 0, 255);
    let inverted = code_luma(other, 4, 225, 30);
    let mut page = GrayImage::from_pixel(
        normal.width() + inverted.width() + 120,
        normal.height().max(inverted.height()) + 80,
        image::Luma([245]),
    );
    image::imageops::replace(&mut page, &normal, 40, 40);
    image::imageops::replace(&mut page, &inverted, i64::from(normal.width()) + 80, 40);
    let mut found = find_payloads(&page);
    found.sort();
    assert_eq!(found, vec![other.to_string(), URI.to_string()]);
}

/// A seeded xorshift sequence: test pictures that are the same every run.
fn noise(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// `binarize` must give exactly rxing's `HybridBinarizer` bits, or the search
/// would see a different picture than the one BENCHMARKS.md measured. Sizes
/// that are and are not multiples of the 8-pixel block (so the edge blocks
/// overlap) and of the 64-bit word, below and above the two-thread size;
/// pictures with flat areas (the black point borrowed from the neighbours),
/// gradients, noise and a QR code.
#[test]
fn binarizer_matches_rxing_bit_for_bit() {
    let mut noise = noise(0x2545_f491_4f6c_dd1d);
    let code = code_luma(URI, 3, 20, 235);
    let sizes = [
        (40, 40),
        (41, 47),
        (64, 64),
        (100, 57),
        (333, 200),
        (1030, 1100),
        (1283, 1021),
    ];
    for (w, h) in sizes {
        let seed = noise();
        let mut page = GrayImage::from_fn(w, h, |x, y| {
            let region = ((x / 37) + (y / 23) * 3 + (seed as u32 % 5)) % 5;
            image::Luma([match region {
                0 => 250,
                1 => (x * 255 / w) as u8,
                2 => (noise() % 256) as u8,
                3 => 8 + (noise() % 20) as u8,
                _ => (100 + (x + y) % 40) as u8,
            }])
        });
        if w > code.width() && h > code.height() {
            image::imageops::replace(&mut page, &code, 5, 7);
        }
        let source = Luma8Source::new_with_slice(page.as_raw(), w, h).unwrap();
        let expected = HybridBinarizer::new(source)
            .get_black_matrix()
            .unwrap()
            .clone();
        let ours = binarize::black_matrix(page.as_raw(), w as usize, h as usize).unwrap();
        assert_eq!(ours, expected, "{w}x{h}");
    }
    assert!(binarize::black_matrix(&[0; 39 * 100], 39, 100).is_none());
    assert!(binarize::black_matrix(&[0; 10], 40, 40).is_none());
}

/// A PNG palette's colours and, when not empty, their transparency.
type Palette<'a> = Option<(&'a [u8], &'a [u8])>;

/// A PNG file of `pixels` (packed rows as PNG stores them).
fn png_file(
    w: u32,
    h: u32,
    color: png::ColorType,
    depth: png::BitDepth,
    pixels: &[u8],
    palette: Palette,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(color);
    encoder.set_depth(depth);
    if let Some((colors, alphas)) = palette {
        encoder.set_palette(colors.to_vec());
        if !alphas.is_empty() {
            encoder.set_trns(alphas.to_vec());
        }
    }
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(pixels).unwrap();
    writer.finish().unwrap();
    out
}

/// The side-by-side PNG path must see the same grey picture as decoding with
/// `image` then `to_luma`: every colour type and bit depth PNG has, sizes that
/// take one thread and two (with a last band shorter than the others), and
/// the cases it leaves to `image` (16 bits a channel). Damaged files are
/// errors on both paths, never a picture.
#[test]
fn png_files_turn_grey_as_image_would() {
    use png::{BitDepth as D, ColorType as C};
    let mut noise = noise(0x9e37_79b9_7f4a_7c15);
    let mut byte = move || (noise() >> 24) as u8;
    let palette: Vec<u8> = (0..16 * 3).map(|_| byte()).collect();
    let alphas: Vec<u8> = (0..16)
        .map(|i| if i % 3 == 0 { 255 } else { byte() })
        .collect();
    let kinds: [(C, D, Palette); 11] = [
        (C::Grayscale, D::One, None),
        (C::Grayscale, D::Four, None),
        (C::Grayscale, D::Eight, None),
        (C::GrayscaleAlpha, D::Eight, None),
        (C::Rgb, D::Eight, None),
        (C::Rgba, D::Eight, None),
        (C::Indexed, D::Four, Some((&palette, &[]))),
        (C::Indexed, D::Four, Some((&palette, &alphas))),
        (C::Rgb, D::Sixteen, None),
        (C::Rgba, D::Sixteen, None),
        (C::Grayscale, D::Sixteen, None),
    ];
    for (w, h) in [(37, 23), (1100, 1000)] {
        for (color, depth, palette) in kinds {
            let bits = color.samples() * depth as usize;
            let row = (w as usize * bits).div_ceil(8);
            let pixels: Vec<u8> = (0..row * h as usize).map(|_| byte()).collect();
            let file = png_file(w, h, color, depth, &pixels, palette);
            let expected = to_luma(&decode_image(&file).unwrap());
            let ours = decode_luma(&file).unwrap();
            assert_eq!(ours, expected, "{w}x{h} {color:?} {depth:?}");
            let direct = png_grey::png_to_luma(&file);
            assert_eq!(
                direct.is_some(),
                depth != D::Sixteen,
                "{color:?} {depth:?} path"
            );
            let mut damaged = file.clone();
            damaged.truncate(file.len() * 2 / 3);
            assert!(
                matches!(decode_luma(&damaged), Err(ScanError::BadImage(_))),
                "{w}x{h} {color:?} {depth:?} truncated"
            );
        }
    }
}

/// A grey picture tiled with QR finder patterns (7x7 modules: dark ring, light
/// ring, 3x3 dark centre), `module` pixels a module, one every `period`
/// modules, starting `offset` pixels in: every triple of them looks like a code.
fn finder_lattice(w: u32, h: u32, module: u32, period: u32, offset: u32) -> GrayImage {
    GrayImage::from_fn(w, h, |x, y| {
        let (Some(x), Some(y)) = (x.checked_sub(offset), y.checked_sub(offset)) else {
            return image::Luma([255]);
        };
        let (mx, my) = ((x / module) % period, (y / module) % period);
        if mx >= 7 || my >= 7 {
            return image::Luma([255]);
        }
        let ring = mx.min(my).min(6 - mx).min(6 - my);
        image::Luma([if ring == 1 { 255 } else { 0 }])
    })
}

/// Regression (hardening issue): a 460x460 PNG tiled with a 14x14 lattice of
/// finder patterns kept `ninsho scan` busy for over 40 s, trying every triple
/// of patterns as a code at forty sizes. Now the search stops at its limits and
/// says so; the CPU time it takes is in TRUST.md.
#[test]
fn finder_pattern_lattice_stops_early_and_says_so() {
    let lattice = finder_lattice(460, 460, 4, 8, 6);
    let found = search(&lattice);
    assert!(found.stopped_early);
    assert!(found.payloads.is_empty(), "{:?}", found.payloads);

    let mut png = Vec::new();
    DynamicImage::ImageLuma8(lattice)
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let report = scan_image_bytes(&png).unwrap();
    assert!(report.stopped_early && report.accounts.is_empty());
}

/// What a cut-short search found is kept: a real code beside a lattice of
/// smaller finder patterns is read, with the note that more may be missing.
#[test]
fn a_code_beside_a_finder_lattice_is_still_read() {
    let code = code_luma(URI, 6, 0, 255);
    let mut page = finder_lattice(700, 500, 3, 8, 0);
    for (x, y, p) in
        GrayImage::from_pixel(code.width() + 40, 500, image::Luma([255])).enumerate_pixels()
    {
        page.put_pixel(x, y, *p);
    }
    image::imageops::replace(&mut page, &code, 10, 10);
    let found = search(&page);
    assert_eq!(found.payloads, vec![URI.to_string()]);
    assert!(found.stopped_early);
    let report = found.into_report();
    assert_eq!(report.accounts.len(), 1);
    assert!(report.stopped_early);
}

/// An ordinary code is read in full, with no note.
#[test]
fn an_ordinary_code_is_not_cut_short() {
    let found = search(&code_luma(URI, 4, 0, 255));
    assert_eq!(found.payloads, vec![URI.to_string()]);
    assert!(!found.stopped_early);
}

#[test]
fn halving_takes_the_mean_of_each_block() {
    let src = GrayImage::from_raw(
        5,
        3,
        vec![0, 255, 10, 20, 99, 255, 0, 30, 41, 99, 7, 7, 7, 7, 7],
    )
    .unwrap();
    let half = halve(&src);
    assert_eq!(half.dimensions(), (2, 1));
    assert_eq!(half.as_raw(), &vec![128, 25]);
}

/// An 8K screen tiled with finder patterns (as dense as the 460x460 regression
/// picture: 240x135 of them) is searched within its limits and says it
/// stopped early, across every pass (first, halved).
#[test]
fn an_8k_finder_lattice_stops_early_and_says_so() {
    let lattice = finder_lattice(7680, 4320, 4, 8, 6);
    let found = search(&lattice);
    assert!(found.stopped_early);
    assert!(found.payloads.is_empty(), "{:?}", found.payloads);
}

/// A real code in the corner of an 8K finder lattice should still be read,
/// with the note that more may be missing. Known gap: candidates are kept in
/// reading order up to `finder::MAX_CANDIDATES` (300), and the lattice rows
/// beside the code (240 patterns a row) fill that before the code's lower
/// finder pattern is reached, so nothing is found. (Coarser lattices of
/// 8-16 px modules miss it too: their triples sort first, larger modules
/// before smaller, and fill `MAX_TRIPLES`.) The 700x500 case above passes.
#[test]
#[ignore = "known gap: an 8K finder lattice fills the candidate cap before a corner code's third pattern (see doc comment)"]
fn a_code_in_the_corner_of_an_8k_finder_lattice_is_still_read() {
    let code = code_luma(URI, 6, 0, 255);
    let mut page = finder_lattice(7680, 4320, 4, 8, 6);
    let clear = GrayImage::from_pixel(code.width() + 40, code.height() + 40, image::Luma([255]));
    image::imageops::replace(&mut page, &clear, 0, 0);
    image::imageops::replace(&mut page, &code, 10, 10);
    let found = search(&page);
    assert_eq!(found.payloads, vec![URI.to_string()]);
    assert!(found.stopped_early);
}
