//! `ninsho lock` through the data folder: how the CLI reaches a running window
//! on every system, and on Linux when no session bus reaches one (`dbus`).
//!
//! - A running window keeps `running/<pid>.window` in its data folder, locked
//!   with the system's file lock for as long as the process lives
//!   ([`Presence`]). A lock a dead process held is gone with it, so the CLI
//!   tells a running window from a file a crash left behind.
//! - `ninsho lock` writes `running/<nonce>.lock`. Each window watches the
//!   folder; seeing the request it asks itself to lock and answers with
//!   `running/<nonce>-<pid>.locked`, or `.lock-off` when its lock is off in
//!   its Settings. The CLI waits for every running window's answer, then
//!   removes the request and the answers.
//!
//! The files hold nothing: their names are the whole message. Only someone who
//! can already write to the data folder can ask for a lock, and a lock is all
//! they can ask for.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Reached;
use crate::t;

/// The folder inside the data folder.
pub const FOLDER: &str = "running";
const WINDOW: &str = ".window";
const REQUEST: &str = ".lock";
const ANSWER: &str = ".locked";
/// The answer of a window whose lock is off in its Settings.
const ANSWER_OFF: &str = ".lock-off";

/// Why `ninsho lock` could not reach every running window.
#[derive(Debug)]
pub enum RequestError {
    /// The folder could not be read or written.
    Io(String),
    /// Some windows did not answer in time (busy, or hung).
    NoAnswer {
        locked: usize,
        missing: usize,
        total: usize,
        secs: u64,
    },
}

impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            RequestError::Io(error) => t!("err-lock-request-folder", error = error),
            RequestError::NoAnswer {
                locked,
                total,
                secs,
                ..
            } => t!(
                "err-lock-request-no-answer",
                locked = *locked,
                total = *total,
                secs = *secs
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for RequestError {}

fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join(FOLDER)
}

fn io_error(what: &Path) -> impl Fn(io::Error) -> RequestError + '_ {
    move |e| RequestError::Io(format!("{}: {e}", what.display()))
}

/// A running window, announced in its data folder: the file stays locked
/// while this lives and is removed when it drops.
pub struct Presence {
    path: PathBuf,
    file: File,
    /// The folder watch answering lock requests (stops when dropped).
    _watcher: notify::RecommendedWatcher,
}

impl Presence {
    /// Announces this process as a running window of `data_dir` and calls
    /// `on_request` (from the watcher's thread) for each `ninsho lock`; it
    /// says whether the window's lock is on (it locks).
    pub fn announce(
        data_dir: &Path,
        on_request: impl Fn() -> bool + Send + 'static,
    ) -> Result<Presence, RequestError> {
        use notify::Watcher;
        let dir = folder(data_dir);
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(io_error(&dir))?;
        let pid = std::process::id();
        let answered = Arc::new(Mutex::new(HashSet::<String>::new()));
        let answers = dir.clone();
        let handler = move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            if matches!(event.kind, notify::EventKind::Remove(_)) {
                return;
            }
            for path in &event.paths {
                let Some(nonce) = request_nonce(path) else {
                    continue;
                };
                // A write shows as several events (created, written, closed).
                if !answered
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(nonce.clone())
                {
                    continue;
                }
                let answer = if on_request() { ANSWER } else { ANSWER_OFF };
                let _ = File::create(answers.join(format!("{nonce}-{pid}{answer}")));
            }
        };
        let mut watcher = notify::recommended_watcher(handler)
            .map_err(|e| RequestError::Io(format!("{}: {e}", dir.display())))?;
        watcher
            .watch(&dir, notify::RecursiveMode::NonRecursive)
            .map_err(|e| RequestError::Io(format!("{}: {e}", dir.display())))?;
        // Watching before the file shows: no request goes unanswered.
        // Locked under another name first, then renamed: `ninsho lock` never
        // sees the file of a running window unlocked (and removes it as a
        // crashed one's).
        let starting = dir.join(format!("{pid}.starting"));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&starting)
            .map_err(io_error(&starting))?;
        file.lock().map_err(io_error(&starting))?;
        let path = dir.join(format!("{pid}{WINDOW}"));
        fs::rename(&starting, &path).map_err(io_error(&path))?;
        Ok(Presence {
            path,
            file,
            _watcher: watcher,
        })
    }
}

impl Drop for Presence {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// The request's nonce, when `path` names a lock request.
fn request_nonce(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let nonce = name.strip_suffix(REQUEST)?;
    uuid::Uuid::try_parse(nonce).ok()?;
    Some(nonce.to_string())
}

/// The running windows of `data_dir`, by process id. Files a dead process
/// left behind (their lock went with it) are removed on the way.
pub fn running_windows(data_dir: &Path) -> Result<Vec<u32>, RequestError> {
    let dir = folder(data_dir);
    let listing = match fs::read_dir(&dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(&dir)(e)),
    };
    let mut running = Vec::new();
    for entry in listing {
        let path = entry.map_err(io_error(&dir))?.path();
        let Some(pid) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(WINDOW))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(file) = OpenOptions::new().write(true).open(&path) else {
            // Gone since the listing: that window closed.
            continue;
        };
        match file.try_lock() {
            Err(fs::TryLockError::WouldBlock) => running.push(pid),
            Ok(()) => {
                // Nobody holds it: a window that crashed.
                let _ = fs::remove_file(&path);
                let _ = file.unlock();
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_error(&path)(e)),
        }
    }
    running.sort_unstable();
    Ok(running)
}

/// Asks every running window of `data_dir` to lock and waits up to
/// `answer_within` for their answers (none: no window runs).
pub fn request_lock(data_dir: &Path, answer_within: Duration) -> Result<Reached, RequestError> {
    let running = running_windows(data_dir)?;
    if running.is_empty() {
        return Ok(Reached::default());
    }
    let dir = folder(data_dir);
    let nonce = uuid::Uuid::new_v4().to_string();
    let request = dir.join(format!("{nonce}{REQUEST}"));
    File::create(&request).map_err(io_error(&request))?;
    let answer = |pid: u32, lock_on: bool| {
        let answer = if lock_on { ANSWER } else { ANSWER_OFF };
        dir.join(format!("{nonce}-{pid}{answer}"))
    };
    let answered = |pid: u32| answer(pid, true).exists() || answer(pid, false).exists();
    let deadline = Instant::now() + answer_within;
    let mut waiting = running.clone();
    loop {
        // A window that closed meanwhile has nothing left to lock.
        waiting.retain(|&pid| !answered(pid));
        if !waiting.is_empty() {
            let still = running_windows(data_dir)?;
            waiting.retain(|pid| still.contains(pid));
        }
        if waiting.is_empty() || Instant::now() >= deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut reached = Reached::default();
    for &pid in &running {
        if answer(pid, true).exists() {
            reached.add(true);
        } else if answer(pid, false).exists() {
            reached.add(false);
        }
    }
    let _ = fs::remove_file(&request);
    for &pid in &running {
        let _ = fs::remove_file(answer(pid, true));
        let _ = fs::remove_file(answer(pid, false));
    }
    if waiting.is_empty() {
        Ok(reached)
    } else {
        Err(RequestError::NoAnswer {
            locked: reached.locked,
            missing: waiting.len(),
            total: running.len(),
            secs: answer_within.as_secs(),
        })
    }
}

#[cfg(test)]
mod tests {
    //! Protects: `ninsho lock` reaching windows through the data folder
    //! (issue 20, Windows and macOS). Within one process the system's file
    //! lock still tells two opened files apart, as between processes.
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    const WITHIN: Duration = Duration::from_secs(60);
    const NONE: Reached = Reached { locked: 0, off: 0 };

    /// A window's answer to requests: counts them, says whether its lock is
    /// on as `lock_on` holds.
    fn counter(lock_on: Arc<AtomicBool>) -> (Arc<AtomicUsize>, impl Fn() -> bool + Send + 'static) {
        let count = Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        (count, move || {
            seen.fetch_add(1, Ordering::SeqCst);
            lock_on.load(Ordering::SeqCst)
        })
    }

    #[test]
    fn no_folder_means_no_window() {
        let data = tempfile::tempdir().unwrap();
        assert_eq!(request_lock(data.path(), WITHIN).unwrap(), NONE);
        assert!(!data.path().join(FOLDER).exists(), "asking made nothing");
    }

    #[test]
    fn every_running_window_is_asked_once_and_nothing_is_left_behind() {
        let data = tempfile::tempdir().unwrap();
        let lock_on = Arc::new(AtomicBool::new(true));
        let (count, on_request) = counter(lock_on.clone());
        let window = Presence::announce(data.path(), on_request).unwrap();
        assert_eq!(running_windows(data.path()).unwrap(), [std::process::id()]);
        let locked = Reached { locked: 1, off: 0 };
        assert_eq!(request_lock(data.path(), WITHIN).unwrap(), locked);
        assert_eq!(count.load(Ordering::SeqCst), 1);
        // Its lock turned off in Settings: it says so.
        lock_on.store(false, Ordering::SeqCst);
        let off = Reached { locked: 0, off: 1 };
        assert_eq!(request_lock(data.path(), WITHIN).unwrap(), off);
        assert_eq!(count.load(Ordering::SeqCst), 2);
        let left: Vec<_> = fs::read_dir(data.path().join(FOLDER))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 1, "only the window's own file: {left:?}");
        drop(window);
        assert_eq!(running_windows(data.path()).unwrap(), Vec::<u32>::new());
        assert_eq!(request_lock(data.path(), WITHIN).unwrap(), NONE);
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_file_no_process_holds_is_a_crashed_window_and_is_removed() {
        let data = tempfile::tempdir().unwrap();
        let dir = data.path().join(FOLDER);
        fs::create_dir_all(&dir).unwrap();
        let stale = dir.join(format!("4000000{WINDOW}"));
        File::create(&stale).unwrap();
        assert_eq!(request_lock(data.path(), WITHIN).unwrap(), NONE);
        assert!(!stale.exists());
    }

    #[test]
    fn a_window_that_does_not_answer_is_reported() {
        let data = tempfile::tempdir().unwrap();
        let dir = data.path().join(FOLDER);
        fs::create_dir_all(&dir).unwrap();
        // Held, but no watcher answers: a hung window.
        let held = File::create(dir.join(format!("4000001{WINDOW}"))).unwrap();
        held.lock().unwrap();
        let error = request_lock(data.path(), Duration::from_millis(50)).unwrap_err();
        assert!(
            matches!(
                error,
                RequestError::NoAnswer {
                    locked: 0,
                    missing: 1,
                    total: 1,
                    ..
                }
            ),
            "{error:?}"
        );
        let left: Vec<_> = fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "the request was taken back");
    }

    #[test]
    fn only_lock_requests_are_answered() {
        assert!(request_nonce(Path::new("x/6f1c2a7e-3b0d-4c59-9a8e-1d2f3a4b5c6d.lock")).is_some());
        assert!(
            request_nonce(Path::new("x/6f1c2a7e-3b0d-4c59-9a8e-1d2f3a4b5c6d.locked")).is_none()
        );
        assert!(request_nonce(Path::new("x/12.window")).is_none());
        assert!(request_nonce(Path::new("x/not-a-nonce.lock")).is_none());
    }
}
