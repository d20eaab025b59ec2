//! PNG files straight to grey, the decoder and the grey conversion side by side.
//!
//! Screenshots are PNG files, and at 4K decoding one then converting it to grey
//! was a third of a scan (BENCHMARKS.md). PNG decoding is one thread's work,
//! row after row; here the other core turns each band of rows grey while the
//! decoder goes on to the next, and no full-colour copy of the picture is kept.
//!
//! Only the common case takes this path: 8 bits a channel after expansion
//! (palettes and 1-4 bit grey are expanded by the decoder), not interlaced.
//! Anything else (16-bit, interlaced) goes through the `image` crate as before.
//! The grey levels are the ones [`super::to_luma`] gives for the same file;
//! `tests.rs` checks that on every PNG colour type.

use std::io::Cursor;
use std::sync::mpsc;

use image::GrayImage;

use super::{MAX_PIXELS, MAX_SIDE, PARALLEL_MIN_PIXELS, ScanError, grey_pixels, limits, luma_of};

/// Rows handed to the converter at a time: small enough to stay in cache,
/// large enough that handing over costs little.
const BAND_ROWS: usize = 32;

/// The grey picture in a PNG file, or `None` when `bytes` is not a PNG this
/// path reads (the caller then decodes it the general way).
pub(super) fn png_to_luma(bytes: &[u8]) -> Option<Result<GrayImage, ScanError>> {
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return None;
    }
    let max_bytes = limits()
        .max_alloc
        .and_then(|b| usize::try_from(b).ok())
        .unwrap_or(usize::MAX);
    let mut decoder =
        png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: max_bytes });
    decoder.set_transformations(png::Transformations::EXPAND);
    let header = match decoder.read_header_info() {
        Ok(info) => (info.width, info.height, info.interlaced),
        // Let the general path word the error.
        Err(_) => return None,
    };
    let (width, height, interlaced) = header;
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Some(Err(ScanError::TooLarge { width, height }));
    }
    // Interlaced rows arrive out of order; an empty picture has no rows to
    // split (and the decoder refuses one anyway).
    if interlaced || width == 0 || height == 0 {
        return None;
    }
    let Ok(mut reader) = decoder.read_info() else {
        return None;
    };
    let (color, depth) = reader.output_color_type();
    if depth != png::BitDepth::Eight {
        return None;
    }
    let channels = color.samples();
    let convert: fn(&[u8], &mut [u8]) = match channels {
        1 => |src, dst| dst.copy_from_slice(src),
        2 => |src, dst| grey_pixels::<2>(src, dst, &|[l, a]| luma_of(l, l, l, a)),
        3 => |src, dst| grey_pixels::<3>(src, dst, &|[r, g, b]| luma_of(r, g, b, 255)),
        4 => |src, dst| grey_pixels::<4>(src, dst, &|[r, g, b, a]| luma_of(r, g, b, a)),
        _ => return None,
    };
    let (w, h) = (width as usize, height as usize);
    let stride = w * channels;
    let mut luma = vec![0u8; w * h];
    let mut read_band = |band: &mut [u8]| -> Result<(), ScanError> {
        for row in band.chunks_exact_mut(stride) {
            match reader.read_row(row) {
                Ok(Some(_)) => {}
                Ok(None) => return Err(ScanError::BadImage("the image data ends early".into())),
                Err(e) => return Err(ScanError::BadImage(e.to_string())),
            }
        }
        Ok(())
    };
    let done = if w * h < PARALLEL_MIN_PIXELS {
        one_thread(&mut luma, w, stride, convert, &mut read_band)
    } else {
        side_by_side(&mut luma, w, stride, convert, &mut read_band)
            .unwrap_or_else(|| one_thread(&mut luma, w, stride, convert, &mut read_band))
    };
    Some(done.map(|()| GrayImage::from_raw(width, height, luma).unwrap_or_default()))
}

type ReadBand<'a> = dyn FnMut(&mut [u8]) -> Result<(), ScanError> + 'a;

/// Decodes a band of rows, then turns it grey, and so on.
fn one_thread(
    luma: &mut [u8],
    w: usize,
    stride: usize,
    convert: fn(&[u8], &mut [u8]),
    read_band: &mut ReadBand,
) -> Result<(), ScanError> {
    let mut band = vec![0u8; stride * BAND_ROWS];
    luma.chunks_mut(w * BAND_ROWS).try_for_each(|out| {
        let band = &mut band[..out.len() / w * stride];
        read_band(band)?;
        convert_band(convert, band, out, stride, w);
        Ok(())
    })
}

/// The decoder (this thread) fills bands of rows; a helper turns them grey
/// into `luma` and hands the buffers back. Two bands circulate, so each side
/// works while the other does. `None` when no thread could be had (nothing
/// has been read yet then).
fn side_by_side(
    luma: &mut [u8],
    w: usize,
    stride: usize,
    convert: fn(&[u8], &mut [u8]),
    read_band: &mut ReadBand,
) -> Option<Result<(), ScanError>> {
    let rows = luma.len() / w;
    let (full_tx, full_rx) = mpsc::sync_channel::<Vec<u8>>(2);
    let (empty_tx, empty_rx) = mpsc::sync_channel::<Vec<u8>>(2);
    for _ in 0..2 {
        empty_tx.send(vec![0u8; stride * BAND_ROWS]).ok()?;
    }
    let stopped = || ScanError::BadImage("the image decoder stopped".into());
    std::thread::scope(|scope| {
        // Dropped when this closure returns, early or not, which ends the helper.
        let full_tx = full_tx;
        let outs = luma.chunks_mut(w * BAND_ROWS);
        std::thread::Builder::new()
            .spawn_scoped(scope, move || {
                for out in outs {
                    let Ok(band) = full_rx.recv() else { return };
                    convert_band(convert, &band, out, stride, w);
                    // The decoder may have stopped: then nobody wants it back.
                    let _ = empty_tx.send(band);
                }
            })
            .ok()?;
        let run = (0..rows).step_by(BAND_ROWS).try_for_each(|top| {
            let mut band = empty_rx.recv().map_err(|_| stopped())?;
            band.truncate((rows - top).min(BAND_ROWS) * stride);
            read_band(&mut band)?;
            full_tx.send(band).map_err(|_| stopped())
        });
        Some(run)
    })
}

fn convert_band(
    convert: fn(&[u8], &mut [u8]),
    band: &[u8],
    out: &mut [u8],
    stride: usize,
    w: usize,
) {
    for (src, dst) in band.chunks_exact(stride).zip(out.chunks_exact_mut(w)) {
        convert(src, dst);
    }
}
