//! The worker's side of following other devices' backups (issue 19): it
//! checks every followed source at start-up (after the repair), when a
//! followed file or folder changes (the folder watcher also watches them, non-
//! recursively: Syncthing and most sync tools rename a finished file into
//! place), and every few minutes in case a change went unseen (a network
//! folder, a watch that could not be set).
//!
//! - Unchanged is cheap: per source, the newest file's name, size and
//!   modification time ([`Stamp`]) and the source as last checked are
//!   remembered; when both are the same nothing is read or decrypted.
//! - A review with changes goes to the window ([`FollowEvent::Review`]); one
//!   with none that is not recorded yet (another file with the same accounts,
//!   accounts newly matched here) is applied with nothing chosen, so what it
//!   matched is remembered.
//! - A file that cannot be read yet (still being synced) is tried again at the
//!   next change or timer and never shown; a failure (wrong password, folder
//!   gone) is told once until it changes or the source is read again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use uuid::Uuid;

use super::{Event, Input, Worker};
use crate::follow::{self, Choice, Review, Source, Status};
use crate::otp::printable;
use crate::t;

/// How often followed sources are checked when no change was seen.
const EVERY: Duration = Duration::from_secs(5 * 60);
/// How long after a change in a followed folder it is read: a sync tool's
/// burst (temporary file, rename, the next file) settles first.
const SETTLE: Duration = Duration::from_millis(700);

/// The newest file of a source as it was checked: a different name, size or
/// modification time means it must be read again.
pub use crate::follow::Stamp;

/// A review with changes, as the worker found it; the window sends it back
/// with what was ticked ([`super::Command::FollowApply`]).
pub struct FollowReview {
    pub review: Box<Review>,
    /// The file it was read from: "Later" hides it until this changes.
    pub stamp: Stamp,
}

impl FollowReview {
    /// The followed file's or folder's name, as a person knows it.
    pub fn name(&self) -> String {
        source_name(&self.review.source)
    }
}

impl std::fmt::Debug for FollowReview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = &self.review;
        f.debug_struct("FollowReview")
            .field("source", &r.source.path)
            .field("file", &self.stamp.file)
            .field("added", &r.added.len())
            .field("changed", &r.changed.len())
            .field("removed", &r.removed.len())
            .finish()
    }
}

#[derive(Debug)]
pub enum FollowEvent {
    /// A followed source has changes to review.
    Review(FollowReview),
    /// Nothing to review in this source (any banner of it goes).
    UpToDate(Uuid),
    /// The sources followed now, with their paths (after start-up, and after
    /// a source is added or removed here or with the CLI).
    Sources(Vec<(Uuid, String)>),
    /// Following a folder from the window failed (the reason, for the form).
    AddFailed(String),
    /// What an apply did.
    Applied {
        source: Uuid,
        stamp: Stamp,
        name: String,
        added: usize,
        changed: usize,
        removed: usize,
    },
    /// A source cannot be read (wrong password, folder gone): for the user.
    Failed(String),
}

/// The name a source is shown by: its folder's or file's own name.
fn source_name(source: &Source) -> String {
    let path = Path::new(&source.path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| source.path.clone());
    printable(&name).into_owned()
}

/// A followed file or folder, as the watcher's handler matches event paths.
enum Target {
    Folder(PathBuf),
    File(PathBuf),
}

impl Target {
    fn matches(&self, path: &Path) -> bool {
        match self {
            Target::Folder(dir) => path.parent() == Some(dir) || path == dir,
            Target::File(file) => path == file,
        }
    }

    /// The folder watched for it.
    fn folder(&self) -> Option<&Path> {
        match self {
            Target::Folder(dir) => Some(dir),
            Target::File(file) => file.parent(),
        }
    }
}

/// What the worker keeps about following.
#[derive(Default)]
pub(super) struct Following {
    /// When the next check is due (set once the vault is loaded).
    pub(super) due: Option<Instant>,
    /// A change is queued and not yet taken in (one input per burst).
    pending: Arc<AtomicBool>,
    /// The followed files and folders, shared with the watcher's handler.
    targets: Arc<Mutex<Vec<Target>>>,
    /// Folders the watcher watches for them.
    watched: HashSet<PathBuf>,
    /// Per source: the file and the source as last read in full.
    checked: HashMap<Uuid, (Stamp, Source)>,
    /// Per source (nil: the settings file): the failure last told.
    failing: HashMap<Uuid, String>,
    /// The sources the window was last told of.
    told: Option<Vec<Uuid>>,
}

impl Following {
    /// For the folder watcher: whether an event concerns following (the
    /// settings file, or a followed file or folder). Checks nothing itself.
    pub(super) fn handler(
        &self,
        inputs: std::sync::mpsc::Sender<Input>,
    ) -> impl Fn(&notify::Event) + Send + 'static {
        let targets = self.targets.clone();
        let pending = self.pending.clone();
        move |event: &notify::Event| {
            let ours = event.paths.iter().any(|p| {
                p.file_name() == Some(std::ffi::OsStr::new(follow::SETTINGS_FILE))
                    || targets
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .iter()
                        .any(|t| t.matches(p))
            });
            if ours && !pending.swap(true, Ordering::SeqCst) {
                let _ = inputs.send(Input::FollowChanged);
            }
        }
    }

    /// The window locked and dropped its reviews: the next check reads
    /// every source again and offers its changes anew.
    pub(super) fn forget(&mut self) {
        self.checked.clear();
    }

    /// A change was seen: check soon.
    pub(super) fn changed(&mut self) {
        self.pending.store(false, Ordering::SeqCst);
        let soon = Instant::now() + SETTLE;
        self.due = Some(self.due.map_or(soon, |d| d.min(soon)));
    }
}

impl Worker {
    /// Reads every followed source whose newest file changed since it was
    /// last read, and tells the window what it found.
    pub(super) fn follow_check(&mut self) {
        self.following.due = Some(Instant::now() + EVERY);
        if self.window_gone.get() || self.vault.is_none() {
            return;
        }
        let settings = match follow::load(&self.data_dir) {
            Ok(s) => {
                self.following.failing.remove(&Uuid::nil());
                s
            }
            Err(e) => {
                let msg = t!("ui-follow-settings-failed", error = e.to_string());
                return self.follow_failed(Uuid::nil(), msg);
            }
        };
        self.follow_watch(&settings.sources);
        let ids: Vec<Uuid> = settings.sources.iter().map(|s| s.id).collect();
        if self.following.told.as_ref() != Some(&ids) {
            self.following.told = Some(ids.clone());
            self.following.checked.retain(|id, _| ids.contains(id));
            self.following
                .failing
                .retain(|id, _| id.is_nil() || ids.contains(id));
            let listed = settings
                .sources
                .iter()
                .map(|s| (s.id, s.path.clone()))
                .collect();
            self.emit(Event::Follow(FollowEvent::Sources(listed)));
        }
        let host = crate::autobackup::host();
        let mut key = None;
        for source in settings.sources {
            self.follow_check_one(source, &host, &mut key);
        }
    }

    fn follow_check_one(
        &mut self,
        source: Source,
        host: &str,
        key: &mut Option<zeroize::Zeroizing<Vec<u8>>>,
    ) {
        let id = source.id;
        let name = source_name(&source);
        let newest = follow::newest_file(Path::new(&source.path), host);
        let stamp = match newest.map(|file| file.map(|f| Stamp::of(&f))) {
            Ok(Some(Ok(stamp))) => stamp,
            // Gone between the listing and now: a sync tool replacing it.
            Ok(Some(Err(_))) => return,
            Ok(None) => {
                // No backup there (yet): nothing to review.
                self.following.checked.remove(&id);
                self.following.failing.remove(&id);
                return self.emit(Event::Follow(FollowEvent::UpToDate(id)));
            }
            Err(e) => {
                self.following.checked.remove(&id);
                let msg = t!("ui-follow-failed", name = &name, error = e.to_string());
                return self.follow_failed(id, msg);
            }
        };
        let seen = (stamp.clone(), source.clone());
        if self.following.checked.get(&id) == Some(&seen) {
            return;
        }
        let Some(vault) = self.vault.as_mut() else {
            return;
        };
        if key.is_none() {
            match follow::key(vault.store()) {
                Ok(k) => *key = Some(k),
                Err(e) => {
                    let msg = t!("ui-follow-failed", name = &name, error = e.to_string());
                    return self.follow_failed(id, msg);
                }
            }
        }
        let key = key.as_deref().expect("just set");
        match follow::check(vault, key, &source, host) {
            Status::Review(review) => {
                self.following.failing.remove(&id);
                if !review.is_empty() {
                    self.following.checked.insert(id, seen);
                    return self.emit(Event::Follow(FollowEvent::Review(FollowReview {
                        review,
                        stamp,
                    })));
                }
                if review.unrecorded {
                    // Nothing to ask about, but what matched is remembered, so
                    // later changes there are told from changes here.
                    let now = unix_now();
                    if let Err(e) =
                        follow::apply(vault, &review, &Choice::default(), now, &mut |_, _| {})
                    {
                        let msg = t!("ui-follow-failed", name = &name, error = e.to_string());
                        return self.follow_failed(id, msg);
                    }
                    self.follow_remember(id, stamp);
                } else {
                    self.following.checked.insert(id, seen);
                }
                self.emit(Event::Follow(FollowEvent::UpToDate(id)));
            }
            Status::NoFile => {
                self.following.failing.remove(&id);
                self.emit(Event::Follow(FollowEvent::UpToDate(id)));
            }
            // Still being written or synced: tried again at the next change
            // or timer, never taken for accounts removed.
            Status::NotReady { .. } => {}
            Status::Failed(e) => {
                // A file that cannot be read with the password (wrong, or
                // another format) is not read again until it or the source
                // changes: each try costs a key derivation. Anything else (a
                // keyring that did not answer) is tried again.
                if matches!(e, follow::FollowError::File { .. }) {
                    self.following.checked.insert(id, seen);
                }
                let msg = t!("ui-follow-failed", name = &name, error = e.to_string());
                self.follow_failed(id, msg);
            }
        }
    }

    /// Records the source as it is after an apply, with the file applied, so
    /// the next check does not read that file again.
    fn follow_remember(&mut self, id: Uuid, stamp: Stamp) {
        let source = follow::load(&self.data_dir)
            .ok()
            .and_then(|s| s.sources.into_iter().find(|s| s.id == id));
        match source {
            Some(source) => {
                self.following.checked.insert(id, (stamp, source));
            }
            None => {
                self.following.checked.remove(&id);
            }
        }
    }

    /// Follows a folder or file from the window, as `ninsho follow add` does:
    /// read first with the password (a wrong one is refused before anything
    /// is saved), then the password to the keyring and the source to the
    /// settings; then checked at once.
    pub(super) fn follow_add(&mut self, path: PathBuf, password: zeroize::Zeroizing<String>) {
        let Some(vault) = self.vault.as_ref() else {
            return self.emit(Event::Failed(t!("ui-keyring-not-ready")));
        };
        let host = crate::autobackup::host();
        let added = follow::canonical(&path)
            .and_then(|canonical| {
                let probe = Source {
                    id: Uuid::nil(),
                    path: canonical,
                    format: None,
                    applied: None,
                };
                follow::read(&probe, &password, &host)
            })
            .and_then(|_| follow::add(&self.data_dir, vault.store(), &path, None, &password));
        match added {
            Ok(_) => self.follow_check(),
            Err(e) => self.emit(Event::Follow(FollowEvent::AddFailed(e.to_string()))),
        }
    }

    /// Stops following a source (its password leaves the keyring).
    pub(super) fn follow_remove(&mut self, path: String) {
        let Some(vault) = self.vault.as_ref() else {
            return self.emit(Event::Failed(t!("ui-keyring-not-ready")));
        };
        if let Err(e) = follow::remove(&self.data_dir, vault.store(), Path::new(&path)) {
            self.emit(Event::Failed(e.to_string()));
        }
        self.follow_check();
    }

    /// Tells the window of a failure once (until it changes or clears).
    fn follow_failed(&mut self, id: Uuid, msg: String) {
        if self.following.failing.get(&id) == Some(&msg) {
            return;
        }
        self.following.failing.insert(id, msg.clone());
        self.emit(Event::Follow(FollowEvent::Failed(msg)));
    }

    /// Applies what the window's review chose, then tells what was done.
    pub(super) fn follow_apply(&mut self, chosen: FollowReview, choice: Choice) {
        let Some(vault) = self.vault.as_mut() else {
            return self.emit(Event::Failed(t!("ui-keyring-not-ready")));
        };
        let (events, waker) = (self.events.clone(), self.waker.clone());
        let result = follow::apply(
            vault,
            &chosen.review,
            &choice,
            unix_now(),
            &mut |done, total| {
                let _ = events.send(Event::Progress { done, total });
                waker.wake();
            },
        );
        // The list, and the secrets of the accounts added.
        self.show_changes();
        let id = chosen.review.source.id;
        let name = chosen.name();
        match result {
            Ok(outcome) => {
                self.follow_remember(id, chosen.stamp.clone());
                self.emit(Event::Follow(FollowEvent::Applied {
                    source: id,
                    stamp: chosen.stamp,
                    name,
                    added: outcome.added.len(),
                    changed: outcome.changed.len(),
                    removed: outcome.removed.len(),
                }));
            }
            Err(e) => {
                self.following.checked.remove(&id);
                self.emit(Event::Failed(t!(
                    "ui-follow-apply-failed",
                    name = &name,
                    error = e.to_string()
                )));
            }
        }
        // A newer file may have come meanwhile.
        self.following.due = Some(Instant::now());
    }

    /// Watches the folder of every followed source (a file's own folder: a
    /// sync tool replaces the file by renaming another over it), and stops
    /// watching those no longer followed.
    fn follow_watch(&mut self, sources: &[Source]) {
        use notify::Watcher;
        let targets: Vec<Target> = sources
            .iter()
            .map(|s| {
                let path = PathBuf::from(&s.path);
                if path.is_dir() {
                    Target::Folder(path)
                } else {
                    Target::File(path)
                }
            })
            .collect();
        let wanted: HashSet<PathBuf> = targets
            .iter()
            .filter_map(|t| t.folder().map(Path::to_path_buf))
            // The data folder is watched already; watching it again would
            // replace that watch, and stopping would end it.
            .filter(|d| *d != self.data_dir)
            .collect();
        *self
            .following
            .targets
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = targets;
        let Some(watcher) = self.watcher.as_mut() else {
            return;
        };
        let gone: Vec<PathBuf> = self
            .following
            .watched
            .difference(&wanted)
            .cloned()
            .collect();
        for dir in gone {
            let _ = watcher.unwatch(&dir);
            self.following.watched.remove(&dir);
        }
        for dir in wanted {
            if self.following.watched.contains(&dir) && dir.is_dir() {
                continue;
            }
            // A folder that is not there now is tried again at the next check.
            if watcher
                .watch(&dir, notify::RecursiveMode::NonRecursive)
                .is_ok()
            {
                self.following.watched.insert(dir);
            } else {
                self.following.watched.remove(&dir);
            }
        }
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
