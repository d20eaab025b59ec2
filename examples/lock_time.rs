//! The window lock's password hash (issue 20): how long making the Argon2id
//! hash (Settings → Lock, on the worker thread) and checking a typed
//! password against it (the lock screen, on the worker thread) take.
//! Prints "what wall_ms cpu_ms" per run.
//!
//!     lock_time [RUNS]      default 5 runs

use std::time::Instant;

#[path = "support/cpu.rs"]
mod cpu;
use cpu::cpu_ms;

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let password = "a lock password of some length";
    for _ in 0..runs {
        let (wall, cpu) = (Instant::now(), cpu_ms());
        let hash = ninsho::lock::hash_password(password).unwrap();
        println!(
            "hash {:.1} {:.1}",
            wall.elapsed().as_secs_f64() * 1000.0,
            cpu_ms() - cpu
        );
        let (wall, cpu) = (Instant::now(), cpu_ms());
        assert!(ninsho::lock::verify_password(&hash, password));
        println!(
            "verify {:.1} {:.1}",
            wall.elapsed().as_secs_f64() * 1000.0,
            cpu_ms() - cpu
        );
    }
}
