//! The CPU time one scan may spend looking for QR codes, over all its passes
//! and both of its threads.
//!
//! Counted in CPU time of the threads doing the search, not wall-clock time: a
//! scan on a busy machine must find what it finds on an idle one, and the bar
//! is about the work a hostile picture can cause, not how long it waits for a
//! core. (Where no per-thread CPU clock is at hand the wall clock stands in,
//! which only stops a search sooner.)

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// Shared by every thread of one scan.
#[derive(Debug)]
pub(super) struct Budget {
    limit_ns: u64,
    spent_ns: AtomicU64,
    stopped: AtomicBool,
}

impl Budget {
    pub(super) fn new(limit: Duration) -> Self {
        Budget {
            limit_ns: u64::try_from(limit.as_nanos()).unwrap_or(u64::MAX),
            spent_ns: AtomicU64::new(0),
            stopped: AtomicBool::new(false),
        }
    }

    /// A meter for the calling thread; it charges what this thread spends from now.
    pub(super) fn meter(&self) -> Meter<'_> {
        Meter {
            budget: self,
            last: thread_clock(),
        }
    }

    /// Records that the search left something out (a cap was reached); what
    /// was found goes on being decoded.
    pub(super) fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// True once the time ran out or a cap was reached: the search did not
    /// look everywhere.
    pub(super) fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    /// True once the time is up (a cap alone does not end later passes:
    /// a rescaled picture may hold fewer look-alikes).
    pub(super) fn out_of_time(&self) -> bool {
        self.exhausted()
    }

    fn exhausted(&self) -> bool {
        self.spent_ns.load(Ordering::Relaxed) >= self.limit_ns
    }
}

/// One thread's share of a [`Budget`]: charges the thread's CPU time as it
/// goes, so the sum over threads is never more than one check behind.
pub(super) struct Meter<'a> {
    budget: &'a Budget,
    last: Duration,
}

impl Meter<'_> {
    /// Charges the time since the last check; true when the time is up and
    /// the search must stop.
    pub(super) fn out_of_time(&mut self) -> bool {
        let now = thread_clock();
        let spent = u64::try_from(now.saturating_sub(self.last).as_nanos()).unwrap_or(u64::MAX);
        self.last = now;
        let total = self
            .budget
            .spent_ns
            .fetch_add(spent, Ordering::Relaxed)
            .saturating_add(spent);
        if total >= self.budget.limit_ns {
            self.budget.stop();
        }
        self.budget.exhausted()
    }

    pub(super) fn budget(&self) -> &Budget {
        self.budget
    }
}

impl Drop for Meter<'_> {
    fn drop(&mut self) {
        self.out_of_time();
    }
}

/// CPU time of the calling thread.
#[cfg(unix)]
fn thread_clock() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant
    // every supported Unix (Linux, the BSDs, macOS 10.12+) provides.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    if !ok {
        return wall_clock();
    }
    Duration::new(
        ts.tv_sec.max(0) as u64,
        ts.tv_nsec.clamp(0, 999_999_999) as u32,
    )
}

#[cfg(not(unix))]
fn thread_clock() -> Duration {
    wall_clock()
}

/// Time since the first call: a clock that runs at least as fast as any
/// thread's CPU time.
fn wall_clock() -> Duration {
    static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(std::time::Instant::now).elapsed()
}
