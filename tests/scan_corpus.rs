//! Protects: every QR code in screenshot-like images (clutter, dark themes,
//! inverted codes, HiDPI scaling, JPEG, several codes, slight rotation, a normal
//! and an inverted code on one page) is found,
//! nothing is invented, and Ninsho reads at least as much as zbarimg.

mod common;
#[path = "support/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use corpus::{CATEGORIES, Category, Sample};

/// Per category; 10 categories. Enough to catch a regression in any of them while
/// keeping a debug-build run to well under a minute.
const PER_CATEGORY: u64 = 5;

fn samples() -> &'static [Sample] {
    static SAMPLES: OnceLock<Vec<Sample>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        CATEGORIES
            .iter()
            .flat_map(|&c| (0..PER_CATEGORY).map(move |i| corpus::generate(c, i, 1920, 1080)))
            .collect()
    })
}

/// Ninsho's reading of every sample, in `samples()` order: decoding is the slow
/// part of a debug-build run, so both tests share one pass.
fn readings() -> &'static [Vec<String>] {
    static READ: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    READ.get_or_init(|| samples().iter().map(ninsho_reads).collect())
}

fn ninsho_reads(sample: &Sample) -> Vec<String> {
    let image = ninsho::scan::decode_image(&sample.bytes).unwrap();
    let mut found = ninsho::scan::find_payloads(&ninsho::scan::to_luma(&image));
    found.sort();
    found
}

#[test]
fn generated_corpus_every_payload_found_and_nothing_else() {
    let mut failures = Vec::new();
    for (s, found) in samples().iter().zip(readings()) {
        if *found != s.payloads {
            failures.push(format!(
                "{}: expected {} codes, read {} ({} correct)",
                s.name,
                s.payloads.len(),
                found.len(),
                found.iter().filter(|p| s.payloads.contains(p)).count()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn generated_corpus_accounts_match_payloads() {
    // The report sorts payloads: each otpauth URI is one account, each transfer
    // code its accounts, each URL an "other" code.
    for s in samples().iter().filter(|s| s.category == Category::Multi) {
        let report = ninsho::scan::scan_image_bytes(&s.bytes).unwrap();
        let urls = s
            .payloads
            .iter()
            .filter(|p| p.starts_with("https:"))
            .count();
        assert_eq!(report.others.len(), urls, "{}", s.name);
        assert!(
            report.skipped.is_empty(),
            "{}: {:?}",
            s.name,
            report.skipped
        );
        assert!(!report.accounts.is_empty(), "{}", s.name);
    }
}

#[test]
fn generated_corpus_at_least_as_good_as_zbarimg() {
    if !common::have_tool("zbarimg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // (codes expected, read by ninsho, read by zbarimg, false reads ninsho, zbarimg)
    let mut table: BTreeMap<Category, [usize; 5]> = BTreeMap::new();
    for (s, ours) in samples().iter().zip(readings()) {
        let path = dir.path().join(&s.name);
        std::fs::write(&path, &s.bytes).unwrap();
        let theirs = corpus::zbar_reads(&path);
        let row = table.entry(s.category).or_default();
        let hits = |found: &[String]| found.iter().filter(|p| s.payloads.contains(p)).count();
        row[0] += s.payloads.len();
        row[1] += hits(ours);
        row[2] += hits(&theirs);
        row[3] += ours.len() - hits(ours);
        row[4] += theirs.len() - hits(&theirs);
    }
    eprintln!("category             codes  ninsho  zbarimg  false(n/z)");
    for (c, r) in &table {
        eprintln!(
            "{:20} {:5}  {:6}  {:7}  {}/{}",
            c.name(),
            r[0],
            r[1],
            r[2],
            r[3],
            r[4]
        );
    }
    for (c, r) in &table {
        assert!(
            r[1] >= r[2],
            "{}: ninsho read {} codes, zbarimg {}",
            c.name(),
            r[1],
            r[2]
        );
        assert_eq!(
            r[3],
            0,
            "{}: ninsho read codes that are not there",
            c.name()
        );
    }
}
