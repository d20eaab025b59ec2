//! Black and white from grey: rxing's `HybridBinarizer` (ZXing's local
//! threshold), computed the same way bit for bit but on two threads and a
//! pixel row at a time.
//!
//! At 4K, rxing's own version took 16 ms of a 23 ms search (BENCHMARKS.md): it
//! visits every 8x8 block twice and sets the matrix one bit at a time. The
//! algorithm itself has one sequential step, and it is cheap:
//!
//! 1. Per 8x8 block, the sum, minimum and maximum of its pixels. Blocks are
//!    independent: the two halves of the picture are done side by side.
//! 2. Per block, a black point: the block's mean, or for a flat block (range
//!    of 24 grey levels or less) half its minimum, raised to its neighbours'
//!    black point when they were darker. That reads the blocks above and to
//!    the left, so it runs on one thread, over one number per block.
//! 3. Per block, a threshold: the mean black point of the 5x5 blocks around
//!    it. A pixel is black when it is at or below its block's threshold.
//!    The last block of a row or column is shifted inwards to stay whole, so
//!    a pixel can lie in two blocks, but those share one threshold. So each
//!    pixel row gets a row of thresholds, and its bits come out 64 at a time.
//!
//! `tests.rs` checks the result against rxing's on generated pictures of many
//! sizes, so any difference from rxing is a test failure.

use rxing::common::{BitArray, BitMatrix};

use super::in_halves;

const BLOCK: usize = 8;
/// A block whose pixels span at most this many grey levels is flat.
const MIN_DYNAMIC_RANGE: u8 = 24;
/// rxing binarizes anything narrower or shorter with a global histogram
/// instead; [`black_matrix`] leaves those to it.
pub(super) const MIN_SIDE: usize = BLOCK * 5;
const WORD: usize = usize::BITS as usize;

/// The black/white matrix rxing's `HybridBinarizer` makes of this grey picture,
/// or `None` when it is smaller than [`MIN_SIDE`] either way (or `luma` is not
/// `width * height` bytes).
pub(super) fn black_matrix(luma: &[u8], width: usize, height: usize) -> Option<BitMatrix> {
    if width < MIN_SIDE || height < MIN_SIDE || width.checked_mul(height)? != luma.len() {
        return None;
    }
    let grid = Grid::new(width, height);
    let parallel = luma.len() >= super::PARALLEL_MIN_PIXELS;

    let mut stats = vec![Stat::default(); grid.blocks()];
    let rows_first = grid.sub_height / 2 * grid.sub_width;
    in_halves(&mut stats, rows_first, parallel, |start, part| {
        grid.block_stats(luma, start / grid.sub_width, part)
    });
    let thresholds = grid.thresholds(&grid.black_points(&stats));

    // Every pixel row is packed on its own, so any split will do.
    let row_words = width.div_ceil(WORD);
    let mut words = vec![0usize; row_words * height];
    in_halves(
        &mut words,
        height / 2 * row_words,
        parallel,
        |start, part| grid.pack_rows(luma, &thresholds, start / row_words, part),
    );

    let mut matrix = BitMatrix::new(width as u32, height as u32).ok()?;
    let mut row = BitArray::with_size(width);
    for (y, bits) in words.chunks_exact(row_words).enumerate() {
        for (i, &word) in bits.iter().enumerate() {
            row.setBulk(i * WORD, word);
        }
        matrix.setRow(y as u32, &row);
    }
    Some(matrix)
}

/// One block's pixels: their sum, and their range.
#[derive(Clone, Copy, Default)]
struct Stat {
    sum: u32,
    min: u8,
    max: u8,
}

/// The block layout of one picture.
struct Grid {
    width: usize,
    height: usize,
    sub_width: usize,
    sub_height: usize,
}

impl Grid {
    fn new(width: usize, height: usize) -> Self {
        Grid {
            width,
            height,
            sub_width: width.div_ceil(BLOCK),
            sub_height: height.div_ceil(BLOCK),
        }
    }

    fn blocks(&self) -> usize {
        self.sub_width * self.sub_height
    }

    /// Where block `index` starts along a side of `len` pixels: every 8th pixel,
    /// but the last block is shifted back to end at the edge.
    fn offset(index: usize, len: usize) -> usize {
        (index * BLOCK).min(len - BLOCK)
    }

    /// Step 1 for the block rows from `first_row`, as many as `out` holds.
    /// Down the block's 8 pixel rows first, a column at a time (the compiler
    /// does many columns per instruction), then across each block's 8 columns.
    fn block_stats(&self, luma: &[u8], first_row: usize, out: &mut [Stat]) {
        let width = self.width;
        let mut sums = vec![0u16; width];
        let mut mins = vec![0u8; width];
        let mut maxs = vec![0u8; width];
        for (i, row) in out.chunks_exact_mut(self.sub_width).enumerate() {
            let top = Self::offset(first_row + i, self.height);
            let first = &luma[top * width..][..width];
            for (((s, lo), hi), &p) in sums.iter_mut().zip(&mut mins).zip(&mut maxs).zip(first) {
                (*s, *lo, *hi) = (u16::from(p), p, p);
            }
            for y in top + 1..top + BLOCK {
                let pixels = &luma[y * width..][..width];
                for (((s, lo), hi), &p) in sums.iter_mut().zip(&mut mins).zip(&mut maxs).zip(pixels)
                {
                    *s += u16::from(p);
                    *lo = (*lo).min(p);
                    *hi = (*hi).max(p);
                }
            }
            for (x, stat) in row.iter_mut().enumerate() {
                let left = Self::offset(x, width);
                let columns = left..left + BLOCK;
                *stat = Stat {
                    sum: sums[columns.clone()].iter().map(|&s| u32::from(s)).sum(),
                    min: mins[columns.clone()].iter().copied().fold(u8::MAX, u8::min),
                    max: maxs[columns].iter().copied().fold(u8::MIN, u8::max),
                };
            }
        }
    }

    /// Step 2: one black point per block, in reading order.
    fn black_points(&self, stats: &[Stat]) -> Vec<u32> {
        let w = self.sub_width;
        let mut points = vec![0u32; stats.len()];
        for (y, row) in stats.chunks_exact(w).enumerate() {
            for (x, s) in row.iter().enumerate() {
                let i = y * w + x;
                points[i] = if s.max - s.min > MIN_DYNAMIC_RANGE {
                    s.sum / (BLOCK * BLOCK) as u32
                } else {
                    // A flat block is taken to be background: half its minimum,
                    // unless its neighbours (already done) say it is darker.
                    let mut point = u32::from(s.min) / 2;
                    if y > 0 && x > 0 {
                        let neighbours =
                            (points[i - w] + 2 * points[i - 1] + points[i - w - 1]) / 4;
                        if u32::from(s.min) < neighbours {
                            point = neighbours;
                        }
                    }
                    point
                };
            }
        }
        points
    }

    /// Step 3's thresholds, one per block: the mean black point of the 5x5
    /// blocks around it, the window shifted inwards at the edges. So the last
    /// three blocks of a row or column share one window: the shifted last
    /// block has the same threshold as the one it overlaps.
    fn thresholds(&self, points: &[u32]) -> Vec<u8> {
        let (w, h) = (self.sub_width, self.sub_height);
        let mut out = vec![0u8; points.len()];
        let mut columns = vec![0u32; w];
        for (y, row) in out.chunks_exact_mut(w).enumerate() {
            let top = y.clamp(2, h - 3);
            // Each block column's sum over the window's five block rows.
            columns.fill(0);
            for r in top - 2..=top + 2 {
                for (c, &p) in columns.iter_mut().zip(&points[r * w..][..w]) {
                    *c += p;
                }
            }
            for (x, t) in row.iter_mut().enumerate() {
                let left = x.clamp(2, w - 3);
                let sum: u32 = columns[left - 2..=left + 2].iter().sum();
                // A mean of block means of bytes: at most 255.
                *t = (sum / 25).min(255) as u8;
            }
        }
        out
    }

    /// Step 3's bits for the pixel rows from `first_y`, as many as `out` holds
    /// (`width.div_ceil(64)` words a row, least significant bit leftmost).
    fn pack_rows(&self, luma: &[u8], thresholds: &[u8], first_y: usize, out: &mut [usize]) {
        let row_words = self.width.div_ceil(WORD);
        let mut spread = vec![0u8; self.width];
        let mut spread_row = usize::MAX;
        for (i, bits) in out.chunks_exact_mut(row_words).enumerate() {
            let y = first_y + i;
            // Pixel `x` of row `y` takes the threshold of block (x / 8, y / 8);
            // where the shifted last block overlaps the one before, either will
            // do, as both have the same threshold (see [`Grid::thresholds`]).
            let block_row = y / BLOCK;
            if block_row != spread_row {
                let blocks = &thresholds[block_row * self.sub_width..][..self.sub_width];
                for (pixels, &t) in spread.chunks_mut(BLOCK).zip(blocks) {
                    pixels.fill(t);
                }
                spread_row = block_row;
            }
            let pixels = &luma[y * self.width..][..self.width];
            let (whole, rest) = pixels.as_chunks::<WORD>();
            let (spread_whole, spread_rest) = spread.as_chunks::<WORD>();
            for ((word, p), t) in bits.iter_mut().zip(whole).zip(spread_whole) {
                *word = pack_whole(p, t);
            }
            if let Some(last) = bits.get_mut(whole.len()) {
                *last = pack(rest, spread_rest);
            }
        }
    }
}

/// Bit `i` set when `pixels[i] <= thresholds[i]`, for a row's last few pixels.
fn pack(pixels: &[u8], thresholds: &[u8]) -> usize {
    let mut word = 0usize;
    for (i, (&p, &t)) in pixels.iter().zip(thresholds).enumerate() {
        word |= usize::from(p <= t) << i;
    }
    word
}

/// [`pack`] for a whole word of pixels. The compares come out as one byte
/// each (0 or 1), many per vector instruction; a multiply then gathers each
/// 8 of them into a byte: with `b[i]` at bit `8i` and the factor's bits at
/// `7j + 7`, bit `56 + i` of the product is `b[i]`, and no two partial
/// products meet below it, so nothing carries into the top byte.
#[inline]
fn pack_whole(pixels: &[u8; WORD], thresholds: &[u8; WORD]) -> usize {
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let mut black = [0u8; WORD];
    for ((b, &p), &t) in black.iter_mut().zip(pixels).zip(thresholds) {
        *b = u8::from(p <= t);
    }
    let mut word = 0usize;
    for (k, bytes) in black.as_chunks::<8>().0.iter().enumerate() {
        let gathered = (u64::from_le_bytes(*bytes).wrapping_mul(GATHER) >> 56) as usize;
        word |= gathered << (8 * k);
    }
    word
}
