//! Where in a black/white picture QR codes may be: ZXing's multi-code search
//! (rxing's `MultiFinderPatternFinder`, with TRY_HARDER), bounded.
//!
//! ZXing's version keeps every finder-pattern candidate, compares each new one
//! with all of them, and offers every triple of look-alike candidates as a code
//! to decode. A picture tiled with finder patterns (made to hurt, or a
//! wallpaper) then costs minutes: a 460x460 lattice of 196 patterns gave
//! thousands of triples, each sampled and decoded at forty sizes. Here the
//! candidates and the triples are capped and the CPU time is checked as the
//! search goes; running into any limit stops the search and says so through
//! the [`Budget`], so the caller can report what it found so far.

use std::cmp::Ordering;

use rxing::common::BitMatrix;
use rxing::qrcode::detector::{FinderPattern, FinderPatternFinder, FinderPatternInfo};
use rxing::{Point, result_point_utils};

use super::budget::Meter;

/// Finder-pattern candidates kept per picture. A screenshot with a few codes
/// has a few dozen (each code's three patterns, plus look-alikes in text and
/// icons); every new candidate is compared with all kept ones.
pub(super) const MAX_CANDIDATES: usize = 300;
/// Triples offered for decoding per picture: each costs a grid sample and,
/// when it fails, up to forty more.
pub(super) const MAX_TRIPLES: usize = 40;
/// Rows (or triples) between two looks at the clock.
const CHECK_EVERY: usize = 32;

// ZXing's bounds for three patterns to be one code.
const MIN_MODULES_A_SIDE: f32 = 9.0;
const MAX_MODULES_A_SIDE: f32 = 180.0;
const SAME_MODULE_PIXELS: f32 = 0.5;
const SAME_MODULE_RATIO: f32 = 0.05;

/// The triples of finder patterns that may be QR codes, most likely first.
pub(super) fn triples(matrix: &BitMatrix, meter: &mut Meter) -> Vec<FinderPatternInfo> {
    let Some(candidates) = candidates(matrix, meter) else {
        return Vec::new();
    };
    select(candidates, meter)
        .into_iter()
        .map(FinderPatternInfo::new)
        .collect()
}

/// Every third row (TRY_HARDER) read for the 1:1:3:1:1 dark/light run pattern
/// that crosses a finder pattern; rxing checks each hit across and diagonally
/// and merges hits on one pattern. None when the time ran out.
fn candidates(matrix: &BitMatrix, meter: &mut Meter) -> Option<Vec<FinderPattern>> {
    let mut finder = FinderPatternFinder::new(matrix);
    let (width, height) = (matrix.getWidth(), matrix.getHeight());
    let step = FinderPatternFinder::MIN_SKIP;
    let mut full = false;
    let mut y = step - 1;
    let mut rows = 0usize;
    'rows: while y < height {
        rows += 1;
        if rows.is_multiple_of(CHECK_EVERY) && meter.out_of_time() {
            return None;
        }
        // Whole runs at a time (a word of bits per step on plain areas): after
        // a run's first two pixels the state only counts, so the rest is added
        // at once. Pixel by pixel, this loop was half of a blank 8K scan.
        let row = matrix.getRow(y);
        let mut runs = [0u32; 5];
        let mut state = 0usize;
        let mut x = 0u32;
        while x < width {
            let dark = row.get(x as usize);
            let end = if dark {
                row.getNextUnset(x as usize)
            } else {
                row.getNextSet(x as usize)
            }
            .min(width as usize) as u32;
            let mut left = end - x;
            while left > 0 {
                // Even states count dark pixels, odd ones light.
                if dark == state.is_multiple_of(2) {
                    runs[state] += left;
                    break;
                }
                left -= 1;
                // A dark pixel after light, or light after dark below the fifth run.
                if dark || state < 4 {
                    state += 1;
                    runs[state] += 1;
                } else if FinderPatternFinder::foundPatternCross(&runs, 0.0)
                    && finder.handlePossibleCenter(&runs, y, end - left - 1)
                {
                    if finder.getPossibleCenters().len() >= MAX_CANDIDATES {
                        full = true;
                        break 'rows;
                    }
                    state = 0;
                    runs = [0; 5];
                } else {
                    FinderPatternFinder::doShiftCounts2(&mut runs);
                    state = 3;
                }
            }
            x = end;
        }
        if FinderPatternFinder::foundPatternCross(&runs, 0.0) {
            finder.handlePossibleCenter(&runs, y, width);
        }
        if finder.getPossibleCenters().len() >= MAX_CANDIDATES {
            full = true;
            break;
        }
        y += step;
    }
    if full {
        meter.budget().stop();
    }
    Some(
        finder
            .getPossibleCenters()
            .iter()
            .filter(|c| c.getCount() >= 2)
            .copied()
            .collect(),
    )
}

/// Triples of similar module size, at a distance a real code can span, forming
/// an isosceles right angle; a pattern may belong to several triples. Each is
/// ordered bottom-left, top-left, top-right, as `FinderPatternInfo` expects.
fn select(mut patterns: Vec<FinderPattern>, meter: &mut Meter) -> Vec<[FinderPattern; 3]> {
    match patterns.len() {
        0..3 => return Vec::new(),
        3 => {
            let mut only = [patterns[0], patterns[1], patterns[2]];
            result_point_utils::orderBestPatterns(&mut only);
            return vec![only];
        }
        _ => {}
    }
    // Largest modules first, so the similar-size test can end each loop early.
    patterns.sort_by(|a, b| {
        b.getEstimatedModuleSize()
            .partial_cmp(&a.getEstimatedModuleSize())
            .unwrap_or(Ordering::Equal)
    });
    let size = |p: &FinderPattern| p.getEstimatedModuleSize();
    let alike = |a: &FinderPattern, b: &FinderPattern| {
        let (sa, sb) = (size(a), size(b));
        (sa - sb).abs() <= SAME_MODULE_PIXELS || (sa - sb) / sa.min(sb) < SAME_MODULE_RATIO
    };
    let mut out = Vec::new();
    let mut tried = 0usize;
    for (i, p1) in patterns.iter().enumerate() {
        for (j, p2) in patterns.iter().enumerate().skip(i + 1) {
            if !alike(p1, p2) {
                break;
            }
            for p3 in &patterns[j + 1..] {
                if !alike(p2, p3) {
                    break;
                }
                tried += 1;
                if tried.is_multiple_of(CHECK_EVERY * 32) && meter.out_of_time() {
                    return out;
                }
                let mut triple = [*p1, *p2, *p3];
                result_point_utils::orderBestPatterns(&mut triple);
                if !looks_like_a_code(&triple, size(p1)) {
                    continue;
                }
                out.push(triple);
                if out.len() >= MAX_TRIPLES {
                    meter.budget().stop();
                    return out;
                }
            }
        }
    }
    out
}

/// `triple` ordered bottom-left, top-left, top-right.
fn looks_like_a_code(triple: &[FinderPattern; 3], module: f32) -> bool {
    let [bottom_left, top_left, top_right] = triple.map(Point::from);
    let left = Point::distance(top_left, bottom_left);
    let top = Point::distance(top_left, top_right);
    let diagonal = Point::distance(top_right, bottom_left);
    let modules = (left + top) / (module * 2.0);
    if !(MIN_MODULES_A_SIDE..=MAX_MODULES_A_SIDE).contains(&modules) {
        return false;
    }
    if ((left - top) / left.min(top)).abs() >= 0.1 {
        return false;
    }
    let right_angle = f64::from(left).hypot(f64::from(top)) as f32;
    ((diagonal - right_angle) / diagonal.min(right_angle)).abs() < 0.1
}
