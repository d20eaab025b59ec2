//! This process's CPU time so far (user + system), in ms, for the timing
//! examples; 0 where there is no getrusage.

#[cfg(not(unix))]
pub fn cpu_ms() -> f64 {
    0.0
}

#[cfg(unix)]
pub fn cpu_ms() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    ms(usage.ru_utime) + ms(usage.ru_stime)
}
