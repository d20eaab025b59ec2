//! Named points in every write, where a test can stop the process and kill it
//! (`tests/crash_safety.rs`): a kill at a chosen instant instead of a random one,
//! so the test proves the same thing on a fast idle machine and a slow busy one.
//!
//! Only debug builds (what `cargo test` runs) read the environment; in a
//! release build [`reached`] is an empty function.
//!
//! - `NINSHO_TEST_TRACE_POINTS=1`: print `ninsho-test: reached NAME` on stderr
//!   at each point, so a test can learn the points a command passes.
//! - `NINSHO_TEST_STOP_AT=NAME` or `NAME@N`: at the N-th time (default the
//!   first) the process reaches NAME, print `ninsho-test: stopped at NAME@N` and
//!   wait forever for the test's SIGKILL.

/// Marks a point; see the module header.
#[inline]
pub fn reached(name: &'static str) {
    #[cfg(debug_assertions)]
    hooks::reached(name);
    #[cfg(not(debug_assertions))]
    let _ = name;
}

/// The prefix of the line printed when the process stops at a point.
pub const STOPPED: &str = "ninsho-test: stopped at ";
/// The prefix of the line printed at each point when tracing.
pub const REACHED: &str = "ninsho-test: reached ";

#[cfg(debug_assertions)]
mod hooks {
    use std::collections::HashMap;
    use std::io::Write;
    use std::sync::{Mutex, OnceLock};

    struct Config {
        trace: bool,
        stop: Option<(String, usize)>,
    }

    fn config() -> &'static Config {
        static CONFIG: OnceLock<Config> = OnceLock::new();
        CONFIG.get_or_init(|| Config {
            trace: std::env::var_os("NINSHO_TEST_TRACE_POINTS").is_some(),
            stop: std::env::var("NINSHO_TEST_STOP_AT").ok().map(|spec| {
                match spec.rsplit_once('@') {
                    Some((name, n)) => (name.to_string(), n.parse().unwrap_or(1)),
                    None => (spec, 1),
                }
            }),
        })
    }

    pub fn reached(name: &'static str) {
        let config = config();
        if !config.trace && config.stop.is_none() {
            return;
        }
        static COUNTS: Mutex<Option<HashMap<&'static str, usize>>> = Mutex::new(None);
        let n = {
            let mut counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
            let n = counts
                .get_or_insert_with(HashMap::new)
                .entry(name)
                .or_insert(0);
            *n += 1;
            *n
        };
        let mut err = std::io::stderr().lock();
        if config.trace {
            let _ = writeln!(err, "{}{name}@{n}", super::REACHED);
        }
        if config
            .stop
            .as_ref()
            .is_some_and(|(s, k)| s == name && *k == n)
        {
            let _ = writeln!(err, "{}{name}@{n}", super::STOPPED);
            let _ = err.flush();
            drop(err);
            loop {
                std::thread::park();
            }
        }
    }
}
