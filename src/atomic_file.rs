//! Replacing a file atomically on every desktop: a private temporary file beside
//! it, fsync, rename over it, fsync of the folder (Unix). A reader sees the old
//! or the new content, never a mix; a crash leaves one of the two plus, at worst,
//! the temporary file (callers name it so their start-up can sweep it away).
//!
//! Why not `tempfile`'s `persist`: on Windows it calls `MoveFileExW`, which fails
//! with "access denied" while any other process has the target open, even one
//! that allowed deletion (as Rust's std does for every file it opens, so also
//! Ninsho's own window reading `accounts.json`). `std::fs::rename` asks Windows
//! for POSIX semantics (Windows 10 1607 and later, NTFS): an open reader keeps the
//! old file and the name moves to the new one, as on Unix. Readers that did not
//! allow deletion (some backup and antivirus tools) still block a replace while
//! they hold the file, so a sharing failure is retried for a moment before it is
//! reported; the temporary file is removed and the old file stays intact.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Replaces (or creates) `path` with `bytes`, readable by the owner only on Unix.
/// The temporary file is `{temp_prefix}{random}{temp_suffix}` in the same folder.
/// Opens (creating, private to the user) the lock file `path` and waits for
/// its exclusive lock, held until the returned file is dropped: serialises
/// the writers of a settings file or a store between Ninsho processes.
pub fn lock(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    file.lock()?;
    Ok(file)
}

pub fn replace(path: &Path, temp_prefix: &str, temp_suffix: &str, bytes: &[u8]) -> io::Result<()> {
    replace_observed(path, temp_prefix, temp_suffix, bytes, || {}, || {})
}

/// [`replace`], calling `before_rename` once the temporary file is durable and
/// `after_rename` once it has the name (the metadata file's crash points).
pub fn replace_observed(
    path: &Path,
    temp_prefix: &str,
    temp_suffix: &str,
    bytes: &[u8],
    before_rename: impl FnOnce(),
    after_rename: impl FnOnce(),
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let temp = dir.join(format!(
        "{temp_prefix}{}{temp_suffix}",
        uuid::Uuid::new_v4().simple()
    ));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temp)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    let renamed = written.and_then(|()| {
        before_rename();
        rename(&temp, path)
    });
    if let Err(e) = renamed {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    after_rename();
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(not(windows))]
fn rename(from: &Path, to: &Path) -> io::Result<()> {
    fs::rename(from, to)
}

#[cfg(windows)]
fn rename(from: &Path, to: &Path) -> io::Result<()> {
    const ERROR_ACCESS_DENIED: i32 = 5;
    const ERROR_SHARING_VIOLATION: i32 = 32;
    // About two seconds in all: long enough for a scanner's quick look, short
    // enough that a file held open for good is reported while the user waits.
    let mut wait = std::time::Duration::from_millis(10);
    for _ in 0..8 {
        match fs::rename(from, to) {
            Err(e)
                if matches!(
                    e.raw_os_error(),
                    Some(ERROR_ACCESS_DENIED | ERROR_SHARING_VIOLATION)
                ) =>
            {
                std::thread::sleep(wait);
                wait *= 2;
            }
            other => return other,
        }
    }
    fs::rename(from, to)
}

/// Removes the temporary files (`temp_prefix…temp_suffix`) in `dir` that are at
/// least `stale_after` old: what a writer killed between writing and renaming
/// left. A younger one may be another writer's, still at work. Returns the
/// ones removed.
pub fn sweep_stale(
    dir: &Path,
    temp_prefix: &str,
    temp_suffix: &str,
    stale_after: std::time::Duration,
) -> Vec<std::path::PathBuf> {
    let Ok(list) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = std::time::SystemTime::now();
    let mut removed = Vec::new();
    for item in list.flatten() {
        let name = item.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(temp_prefix) && name.ends_with(temp_suffix)) {
            continue;
        }
        let stale = item
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age >= stale_after);
        if stale && fs::remove_file(item.path()).is_ok() {
            removed.push(item.path());
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_an_existing_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.json");
        fs::write(&path, b"old").unwrap();
        replace(&path, ".accounts.", ".tmp", b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left behind");
    }

    /// A reader that has the file open keeps reading the old content while the
    /// name moves to the new one (POSIX rename semantics, which Windows gives only
    /// through `std::fs::rename`, not `MoveFileExW`).
    #[test]
    fn replaces_a_file_another_handle_has_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.json");
        fs::write(&path, b"old").unwrap();
        let mut reader = fs::File::open(&path).unwrap();
        replace(&path, ".accounts.", ".tmp", b"new").unwrap();
        let mut seen = String::new();
        io::Read::read_to_string(&mut reader, &mut seen).unwrap();
        assert_eq!(seen, "old");
        assert_eq!(fs::read(&path).unwrap(), b"new");
    }

    #[test]
    fn a_failed_replace_keeps_the_old_file_and_removes_the_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should be: the rename fails on every platform.
        let path = dir.path().join("accounts.json");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("keep"), b"x").unwrap();
        assert!(replace(&path, ".accounts.", ".tmp", b"new").is_err());
        assert!(path.join("keep").exists());
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "the temporary file was removed");
    }
}
