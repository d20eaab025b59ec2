//! Regenerates BENCHMARKS.md's QR scanning figures: `cargo bench --bench scan`.
//!
//! Generates the seeded screenshot corpus of `tests/support/corpus.rs` at 1080p,
//! 1440p and 4K, times `scan_image_bytes` on every image (file bytes in, report
//! out: image decoding included), compares reads with `zbarimg` when it is
//! installed, and measures peak memory by scanning single images in a child
//! process (`--peak FILE`) that reports its own high-water mark.

#[path = "../tests/support/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::process::Command;
use std::time::Instant;

use corpus::{CATEGORIES, Category};

const PER_CATEGORY: u64 = 10;
const RESOLUTIONS: [(&str, u32, u32); 3] = [
    ("1080p", 1920, 1080),
    ("1440p", 2560, 1440),
    ("4K", 3840, 2160),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--peak") {
        let bytes = std::fs::read(&args[i + 1]).unwrap();
        let report = ninsho::scan::scan_image_bytes(&bytes).unwrap();
        println!("{} {}", report.accounts.len(), peak_kib());
        return;
    }
    let zbar = Command::new("zbarimg").arg("--version").output().is_ok();
    let dir = tempfile::tempdir().unwrap();
    let mut md = String::new();
    md.push_str("| resolution | images | median ms | p90 ms | max ms | QR part median / p90 ms | no-code median ms | no-code max ms |\n|---|---|---|---|---|---|---|---|\n");
    // category -> (codes, ninsho hits, zbar hits, ninsho false, zbar false)
    let mut table: BTreeMap<Category, [usize; 5]> = BTreeMap::new();
    let mut peak_files = Vec::new();
    for (label, w, h) in RESOLUTIONS {
        let mut times = Vec::new();
        let mut qr_times = Vec::new();
        let mut nocode = Vec::new();
        for &c in &CATEGORIES {
            for i in 0..PER_CATEGORY {
                let s = corpus::generate(c, 1000 + i, w, h);
                // What scan_image_bytes does, minus sorting payloads into accounts,
                // timed in two parts: file to grey pixels, then finding QR codes.
                let started = Instant::now();
                let luma = ninsho::scan::decode_luma(&s.bytes).unwrap();
                let decoded = Instant::now();
                let mut ours = ninsho::scan::find_payloads(&luma);
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                qr_times.push(decoded.elapsed().as_secs_f64() * 1000.0);
                ours.sort();
                times.push(ms);
                if c == Category::NoCode {
                    nocode.push(ms);
                }
                let path = dir.path().join(&s.name);
                std::fs::write(&path, &s.bytes).unwrap();
                let theirs = if zbar {
                    corpus::zbar_reads(&path)
                } else {
                    Vec::new()
                };
                let hits = |f: &[String]| f.iter().filter(|p| s.payloads.contains(p)).count();
                let row = table.entry(c).or_default();
                row[0] += s.payloads.len();
                row[1] += hits(&ours);
                row[2] += hits(&theirs);
                row[3] += ours.len() - hits(&ours);
                row[4] += theirs.len() - hits(&theirs);
                if label == "4K" && i == 0 && (c == Category::NoCode || c == Category::Multi) {
                    peak_files.push((format!("4K {}", c.name()), path.clone()));
                }
                if ours != s.payloads {
                    eprintln!(
                        "missed: {} ({} of {})",
                        s.name,
                        hits(&ours),
                        s.payloads.len()
                    );
                }
            }
        }
        md.push_str(&format!(
            "| {label} | {} | {:.0} | {:.0} | {:.0} | {:.0} / {:.0} | {:.0} | {:.0} |\n",
            times.len(),
            pct(&mut times, 0.5),
            pct(&mut times, 0.9),
            pct(&mut times, 1.0),
            pct(&mut qr_times, 0.5),
            pct(&mut qr_times, 0.9),
            pct(&mut nocode, 0.5),
            pct(&mut nocode, 1.0),
        ));
    }
    md.push_str("\n| category | codes | Ninsho read | zbarimg read | false reads (Ninsho/zbarimg) |\n|---|---|---|---|---|\n");
    let mut total = [0usize; 5];
    for (c, r) in &table {
        for (t, v) in total.iter_mut().zip(r) {
            *t += v;
        }
        md.push_str(&format!(
            "| {} | {} | {} ({}) | {} ({}) | {}/{} |\n",
            c.name(),
            r[0],
            r[1],
            rate(r[1], r[0]),
            r[2],
            rate(r[2], r[0]),
            r[3],
            r[4]
        ));
    }
    md.push_str(&format!(
        "| **all** | {} | {} ({}) | {} ({}) | {}/{} |\n",
        total[0],
        total[1],
        rate(total[1], total[0]),
        total[2],
        rate(total[2], total[0]),
        total[3],
        total[4]
    ));
    if !zbar {
        md.push_str("\n(zbarimg not installed: its column is empty)\n");
    }
    md.push_str("\n| peak memory (whole process, one image) | peak RSS |\n|---|---|\n");
    let me = std::env::current_exe().unwrap();
    for (what, path) in peak_files {
        let out = Command::new(&me).arg("--peak").arg(&path).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let kib: u64 = text
            .split_whitespace()
            .nth(1)
            .and_then(|k| k.parse().ok())
            .unwrap_or(0);
        md.push_str(&format!("| {what} | {} MiB |\n", kib / 1024));
    }
    println!("{md}");
    std::fs::write("target/scan-bench.md", md).unwrap();
}

fn rate(n: usize, of: usize) -> String {
    if of == 0 {
        "-".to_string()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / of as f64)
    }
}

fn pct(v: &mut [f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((v.len() as f64 - 1.0) * q).round() as usize;
    v[i]
}

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
