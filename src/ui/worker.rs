//! The one thread that owns the account store. The window sends [`Command`]s and
//! receives [`Event`]s; it never waits on the keyring or the disk itself.
//!
//! Start-up sends the names from the metadata file first (a local read), then
//! connects to the keyring, repairs, and streams secrets in small batches, so the
//! list appears at once and codes fill in as they arrive.
//!
//! The data folder is watched (`notify`): when `ninsho add`, `import`, `remove`
//! or another window changes the metadata file, the worker reads it again and
//! sends the new list, with the secrets of accounts it has not seen yet.
//!
//! Followed backups of other devices are checked here too (`follow`): their
//! folders are watched the same way, and a change is offered to the window
//! for review.

use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eframe::egui;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::sources::{self, ScreenSource};
use crate::otp::migration::Batch;
use crate::otp::{OtpAccount, Secret};
use crate::t;
use crate::vault::{Entry, RecoveryCode, SecretStore, StoreError, Vault, meta};

mod follow;
mod lock;
pub use follow::{FollowEvent, FollowReview, Stamp};
pub use lock::{LockEvent, SystemAuth};

/// Connects to the secret store; called again when the user presses Retry.
pub type Connect = Arc<dyn Fn() -> Result<Box<dyn SecretStore>, StoreError> + Send + Sync>;

#[derive(Debug)]
pub enum Command {
    /// (Re)connect to the keyring and load everything.
    Load,
    /// Accounts with their groups.
    Add(Vec<(OtpAccount, String)>),
    /// A dropped or opened file: an image to scan or an export to import.
    OpenFile {
        path: PathBuf,
        password: Option<crate::formats::Password>,
    },
    /// Capture every monitor after `settle` (the window hides meanwhile) and scan.
    ScanScreen {
        screen: Arc<dyn ScreenSource>,
        settle: std::time::Duration,
    },
    /// Scan a clipboard image, or review a pasted otpauth link.
    Paste(sources::Clipboard),
    Remove(Uuid),
    Edit {
        id: Uuid,
        issuer: String,
        name: String,
        group: String,
    },
    Move {
        id: Uuid,
        to: usize,
    },
    SetCounter {
        id: Uuid,
        counter: u64,
    },
    /// Recovery codes and the printable sheet.
    Backup(BackupCommand),
    /// Turn automatic backups on (the password goes to the keyring), then
    /// make the first backup.
    AutoBackupOn {
        folder: PathBuf,
        password: Zeroizing<String>,
        keep: usize,
    },
    AutoBackupOff,
    /// "Not now" on the reminder to back up: hidden until the accounts change.
    DismissReminder,
    /// Follow another device's backups (a folder or file) with its password.
    FollowAdd {
        path: PathBuf,
        password: Zeroizing<String>,
    },
    /// Stop following the source with this path.
    FollowRemove(String),
    /// No keyring answers and no account is saved yet: keep the secrets in a
    /// new encrypted file with this password (`ninsho store use file`).
    MakeFileStore(Zeroizing<String>),
    /// Apply what was ticked in the review of a followed backup.
    FollowApply {
        review: FollowReview,
        choice: crate::follow::Choice,
    },
    /// Keep this lock password (its Argon2id hash, in the store).
    SetLockPassword(Zeroizing<String>),
    /// The lock is off: remove its password.
    ClearLockPassword,
    /// Is this the lock password? Answers `LockEvent::Unlocked` or `Refused`.
    CheckLockPassword(Zeroizing<String>),
    /// Ask the desktop's own authentication (on a thread of its own).
    UnlockWithSystem(SystemAuth),
    /// The window locked: forget what it was shown (see `Worker::lock`).
    Lock,
    /// The window unlocked: send the list and the codes again.
    Reveal,
}

#[derive(Debug)]
pub enum BackupCommand {
    /// Read an account's recovery codes.
    Codes(Uuid),
    /// Add codes as read from a paste (the window showed the user this list).
    AddCodes {
        id: Uuid,
        codes: crate::vault::recovery::PastedCodes,
    },
    UseCode {
        id: Uuid,
        code: Zeroizing<String>,
    },
    /// Undo [`BackupCommand::UseCode`].
    UnuseCode {
        id: Uuid,
        code: Zeroizing<String>,
    },
    RemoveCode {
        id: Uuid,
        code: Zeroizing<String>,
    },
    /// Write the recovery sheet of these accounts to `path`, then open it.
    PrintSheet {
        path: PathBuf,
        ids: Vec<Uuid>,
        paper: crate::backup::Paper,
        opener: super::app::Opener,
    },
    /// Write these accounts to `path` as an encrypted Aegis vault. The key
    /// derivation takes a good part of a second: never on the UI thread.
    ExportEncrypted {
        path: PathBuf,
        ids: Vec<Uuid>,
        password: crate::formats::Password,
    },
}

#[derive(Debug)]
pub enum BackupEvent {
    /// An account's codes, after a read or a change, with a note for the user.
    Codes {
        id: Uuid,
        codes: Vec<RecoveryCode>,
        note: Option<String>,
    },
    /// How many recovery codes each account has left (unused, total).
    Left(Vec<(Uuid, usize, usize)>),
    /// The sheet was written (and opened in the system viewer, or why not).
    SheetWritten {
        path: PathBuf,
        open_error: Option<String>,
    },
    /// The encrypted vault file was written.
    Exported { path: PathBuf, accounts: usize },
}

#[derive(Debug)]
pub enum Event {
    /// The accounts, in order (after start-up and after every change), as they
    /// stood when the worker had received `seen` commands. The window shows its
    /// own changes at once and skips lists older than its latest one, so quick
    /// moves or "next" presses never flash back to an earlier state.
    Entries {
        entries: Vec<Entry>,
        seen: u64,
    },
    /// Secrets as they load.
    Secrets(Vec<(Uuid, Secret)>),
    /// A new encrypted file store was made and chosen (after
    /// [`Command::MakeFileStore`]); a failure comes as `KeyringError`.
    FileStoreMade,
    /// Accounts whose secret could not be read, with the reason.
    SecretMissing(Uuid, String),
    /// Every secret has been read.
    /// Automatic backups as `backup.json` has them (`None`: off), sent at
    /// start-up and after each automatic backup, so the window never reads
    /// the disk itself.
    AutoBackup(Option<crate::autobackup::Settings>),
    /// Whether to remind the user that nothing backs the accounts up
    /// (`autobackup::reminder_due`), sent with every list and backup status.
    BackupReminder(bool),
    SecretsDone,
    /// The keyring is missing or locked: the window shows what to do.
    KeyringError(String),
    /// What start-up repair did.
    Notes(Vec<String>),
    /// Bulk write progress.
    Progress {
        done: usize,
        total: usize,
    },
    Added {
        added: Vec<String>,
        /// The added accounts, in the same order (the window selects the first).
        ids: Vec<Uuid>,
        duplicates: Vec<String>,
    },
    Removed(String),
    /// Accounts found in a file, with groups, and notes for the user; nothing
    /// is saved until the user confirms the review.
    Found {
        source: String,
        accounts: Vec<(OtpAccount, String)>,
        notes: Vec<String>,
        /// Transfer-batch positions, so the review can say which codes are missing.
        batches: Vec<Batch>,
    },
    /// The screen has been captured (decoding goes on): the window may come back.
    Captured,
    /// The file is encrypted: ask for its password (again, after a wrong one).
    NeedPassword {
        path: PathBuf,
        format: &'static str,
        error: Option<String>,
    },
    /// An operation failed; the message is for the user.
    Failed(String),
    Backup(BackupEvent),
    /// Followed backups of other devices.
    Follow(FollowEvent),
    /// The window lock's answers.
    Lock(LockEvent),
    /// `ninsho store use` switched the data folder's store while the window
    /// ran: the window reloads from it (`file`: it needs its password).
    StoreChanged {
        file: bool,
    },
}

/// Wakes the window when an event is sent. Set once the window exists; events
/// sent before that are picked up by the first frame.
#[derive(Clone, Default)]
pub struct Waker(Arc<Mutex<Option<egui::Context>>>);

impl Waker {
    pub fn set(&self, ctx: &egui::Context) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(ctx.clone());
        ctx.request_repaint();
    }

    /// One frame per wake: egui answers `request_repaint()` with two frames (to let
    /// frame-delayed layout settle), and a widget that needs a second frame asks for
    /// it itself. A 300-account start-up traced 8 frames instead of 11.
    fn wake(&self) {
        if let Some(ctx) = &*self.0.lock().unwrap_or_else(|e| e.into_inner()) {
            ctx.request_repaint_after(Duration::from_millis(1));
        }
    }
}

/// What reaches the worker thread: the window's commands, and word from the
/// folder watcher that the metadata file changed.
enum Input {
    Command(Command),
    /// The metadata file changed; sent once until the worker has reloaded.
    Changed,
    /// A followed file or folder, or the list of them, changed; sent once
    /// until the worker has taken it in.
    FollowChanged,
    /// The window is gone: finish what was sent before, then stop.
    Stop,
}

pub struct WorkerHandle {
    commands: Sender<Input>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Commands sent so far, the start-up load included.
    sent: AtomicU64,
    pub events: Receiver<Event>,
    pub waker: Waker,
}

impl WorkerHandle {
    /// Sends a command and returns its number: the worker's lists answer it once
    /// their `seen` is at least this.
    pub fn send(&self, command: Command) -> u64 {
        // The worker only stops when this handle is dropped.
        let _ = self.commands.send(Input::Command(command));
        self.sent.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// What lets the process outlive the window until the worker is done.
    /// Taken once; `None` afterwards.
    pub fn take_finish(&mut self) -> Option<Finish> {
        self.thread.take().map(Finish)
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        // The folder watcher holds a sender too, so the channel alone would
        // never tell the worker that the window is gone.
        let _ = self.commands.send(Input::Stop);
    }
}

/// The worker thread. Once the window's [`WorkerHandle`] is dropped, the worker
/// carries out the commands already sent (a bulk add, an edit) and stops.
pub struct Finish(std::thread::JoinHandle<()>);

impl Finish {
    /// Waits up to `limit` for the worker to stop; `false` if it is still busy
    /// (a keyring that no longer answers). Only for after the window is gone.
    pub fn wait(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while !self.0.is_finished() {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        true
    }
}

/// When the worker's automatic backups happen.
#[derive(Debug, Clone, Copy)]
pub struct BackupTiming {
    /// How long after the window's last change its backup is made.
    pub after: Duration,
    /// How long after a failed backup (folder gone, disk full) it is tried again.
    pub retry: Duration,
}

impl Default for BackupTiming {
    fn default() -> Self {
        BackupTiming {
            after: BACKUP_AFTER,
            retry: BACKUP_RETRY,
        }
    }
}

/// Starts the worker and asks it to load.
pub fn spawn(data_dir: PathBuf, connect: Connect) -> WorkerHandle {
    spawn_with(data_dir, connect, BackupTiming::default())
}

/// [`spawn`] with other backup timing (tests: a retry in a test's time).
pub fn spawn_with(data_dir: PathBuf, connect: Connect, timing: BackupTiming) -> WorkerHandle {
    let (cmd_tx, cmd_rx) = channel();
    let (ev_tx, ev_rx) = channel();
    let waker = Waker::default();
    let worker = Worker {
        data_dir,
        connect,
        vault: None,
        seen: 0,
        window_gone: Cell::new(false),
        events: ev_tx,
        waker: waker.clone(),
        inputs: cmd_tx.clone(),
        watcher: None,
        change_pending: Arc::new(AtomicBool::new(false)),
        names: HashMap::new(),
        shown: Vec::new(),
        backup_due: None,
        backup_failing: false,
        timing,
        following: Default::default(),
        store_kind: None,
    };
    let thread = std::thread::Builder::new()
        .name("ninsho-store".into())
        .spawn(move || worker.run(cmd_rx))
        .expect("cannot start the store thread");
    let handle = WorkerHandle {
        commands: cmd_tx,
        thread: Some(thread),
        sent: AtomicU64::new(0),
        events: ev_rx,
        waker,
    };
    handle.send(Command::Load);
    handle
}

struct Worker {
    data_dir: PathBuf,
    connect: Connect,
    vault: Option<Vault<Box<dyn SecretStore>>>,
    /// Commands received so far.
    seen: u64,
    /// Set when an event finds the window closed: reads stop, writes go on.
    window_gone: Cell<bool>,
    events: Sender<Event>,
    waker: Waker,
    /// For the folder watcher, which tells the worker of changes through it.
    inputs: Sender<Input>,
    /// Watches the data folder once the first load has started.
    watcher: Option<notify::RecommendedWatcher>,
    /// A change is queued and not yet reloaded: one reload answers a burst of
    /// file events (a temp file renamed over the file, a bulk import).
    change_pending: Arc<AtomicBool>,
    /// Every account's name as last seen, so a message about an account that
    /// has gone since can name it (a person never reads a UUID).
    names: HashMap<Uuid, String>,
    /// The list the window was last sent: what a reload compares with.
    shown: Vec<Entry>,
    /// When automatic backups are on and the window changed the accounts:
    /// when the backup is due (a burst of changes makes one backup).
    backup_due: Option<Instant>,
    /// The last automatic backup failed: it is retried, and the window told
    /// only once until one succeeds.
    backup_failing: bool,
    timing: BackupTiming,
    /// Followed backups: when to check them, and what was last read.
    following: follow::Following,
    /// The store the vault was opened on (`store.json` as it was then).
    store_kind: Option<crate::vault::choice::StoreKind>,
}

/// How long after the window's last change its automatic backup is made.
const BACKUP_AFTER: Duration = Duration::from_secs(3);
/// How long after a failed automatic backup (folder gone, disk full) it is
/// tried again.
const BACKUP_RETRY: Duration = Duration::from_secs(60);

/// The first secrets go to the window as soon as a screenful is read.
const SCREENFUL: usize = 16;
/// After that, at most this often (the progress bar moves four times a second):
/// every batch costs the window a frame, and under software rendering those
/// frames took CPU from the keyring while it was still answering (BENCHMARKS.md,
/// window start-up).
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

impl Worker {
    fn run(mut self, inputs: Receiver<Input>) {
        loop {
            let due = [self.backup_due, self.following.due]
                .into_iter()
                .flatten()
                .min();
            let input = match due {
                None => inputs.recv().ok(),
                Some(due) => {
                    match inputs.recv_timeout(due.saturating_duration_since(Instant::now())) {
                        Ok(input) => Some(input),
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                            self.timers();
                            continue;
                        }
                        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => None,
                    }
                }
            };
            let Some(input) = input else { break };
            match input {
                Input::Command(command) => {
                    self.seen += 1;
                    let watch = self.backup_watch(&command);
                    self.handle(command);
                    if let Some(before) = watch
                        && std::fs::read(self.data_dir.join(meta::FILE_NAME)).ok() != before
                    {
                        self.backup_due = Some(Instant::now() + self.timing.after);
                    }
                }
                Input::Changed => {
                    self.change_pending.store(false, Ordering::SeqCst);
                    if !self.window_gone.get() {
                        self.reload();
                    }
                }
                Input::FollowChanged => self.following.changed(),
                Input::Stop => break,
            }
        }
        // Closing the window does not skip a backup that was due.
        if self.backup_due.take().is_some() {
            self.backup();
        }
    }

    /// Whatever of the automatic backup and the check of followed backups is due.
    fn timers(&mut self) {
        let now = Instant::now();
        if self.backup_due.is_some_and(|d| d <= now) {
            self.backup_due = None;
            self.backup();
        }
        if self.following.due.is_some_and(|d| d <= now) {
            self.follow_check();
        }
    }

    /// For a command that may change the accounts, while automatic backups
    /// are on: the metadata file as it was, to tell afterwards whether it did.
    fn backup_watch(&self, command: &Command) -> Option<Option<Vec<u8>>> {
        let changes = matches!(
            command,
            Command::Add(_)
                | Command::Remove(_)
                | Command::Edit { .. }
                | Command::Move { .. }
                | Command::SetCounter { .. }
                | Command::FollowApply { .. }
        );
        if !changes || !matches!(crate::autobackup::load(&self.data_dir), Ok(Some(_))) {
            return None;
        }
        Some(std::fs::read(self.data_dir.join(meta::FILE_NAME)).ok())
    }

    /// The automatic backup after the window's changes, on this thread (never
    /// the UI's). A failure is shown, and recorded for `ninsho backup status`;
    /// the previous backups stay.
    fn backup(&mut self) {
        let Some(vault) = self.vault.as_ref() else {
            return;
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        match crate::autobackup::run(vault, now, &crate::autobackup::host()) {
            Ok(_) | Err(crate::autobackup::BackupError::Off) => self.backup_failing = false,
            Err(e) => {
                if !std::mem::replace(&mut self.backup_failing, true) {
                    self.emit(Event::Failed(t!("ui-backup-failed", error = e.to_string())));
                }
                // Tried again later, unless a change brings it forward.
                self.backup_due
                    .get_or_insert(Instant::now() + self.timing.retry);
            }
        }
        self.emit_backup_status();
    }

    fn auto_backup_on(&mut self, folder: &Path, password: &str, keep: usize) {
        let Some(vault) = self.vault.as_ref() else {
            return self.emit(Event::Failed(t!("ui-keyring-not-ready")));
        };
        match crate::autobackup::turn_on(&self.data_dir, vault.store(), folder, password, keep) {
            Ok(_) => self.backup(),
            Err(e) => {
                self.emit(Event::Failed(t!(
                    "ui-auto-backup-cannot",
                    error = e.to_string()
                )));
                self.emit_backup_status();
            }
        }
    }

    fn auto_backup_off(&mut self) {
        let Some(vault) = self.vault.as_ref() else {
            return self.emit(Event::Failed(t!("ui-keyring-not-ready")));
        };
        if let Err(e) = crate::autobackup::turn_off(&self.data_dir, vault.store()) {
            self.emit(Event::Failed(t!(
                "ui-auto-backup-cannot",
                error = e.to_string()
            )));
        }
        self.backup_due = None;
        self.backup_failing = false;
        self.emit_backup_status();
    }

    fn emit_backup_status(&self) {
        self.emit(Event::AutoBackup(
            crate::autobackup::load(&self.data_dir).ok().flatten(),
        ));
        self.emit_reminder();
    }

    /// Reads two small files and hashes the account list: cheap enough for
    /// every change.
    fn emit_reminder(&self) {
        if let Some(vault) = &self.vault {
            self.emit(Event::BackupReminder(crate::autobackup::reminder_due(
                vault,
            )));
        }
    }

    fn emit_entries(&mut self, entries: Vec<Entry>) {
        for e in &entries {
            self.names.insert(e.id, e.display_name());
        }
        self.shown = entries.clone();
        self.emit(Event::Entries {
            entries,
            seen: self.seen,
        });
        self.emit_reminder();
    }

    fn emit(&self, event: Event) {
        // Every text that reaches a person passes the UUID guard.
        let event = match event {
            Event::Failed(msg) => Event::Failed(self.readable(msg)),
            Event::KeyringError(msg) => Event::KeyringError(self.readable(msg)),
            Event::SecretMissing(id, why) => Event::SecretMissing(id, self.readable(why)),
            Event::Notes(notes) => {
                Event::Notes(notes.into_iter().map(|n| self.readable(n)).collect())
            }
            Event::Follow(FollowEvent::Failed(msg)) => {
                Event::Follow(FollowEvent::Failed(self.readable(msg)))
            }
            other => other,
        };
        if self.events.send(event).is_err() {
            self.window_gone.set(true);
        }
        self.waker.wake();
    }

    fn emit_all(&self, events: Vec<Event>) {
        for e in events {
            self.emit(e);
        }
    }

    fn handle(&mut self, command: Command) {
        let command = match command {
            Command::Load => return self.load(),
            Command::OpenFile { path, password } => {
                return self.emit(open_file(&path, password.as_ref().map(|p| p.as_str())));
            }
            Command::ScanScreen { screen, settle } => {
                return self.spawn_job("ninsho-screen", move |emit| {
                    sources::scan_screen(&*screen, settle, || emit(Event::Captured))
                });
            }
            Command::Paste(clipboard) => {
                return self.spawn_job("ninsho-paste", move |_| sources::scan_clipboard(clipboard));
            }
            Command::AutoBackupOn {
                folder,
                password,
                keep,
            } => return self.auto_backup_on(&folder, &password, keep),
            Command::AutoBackupOff => return self.auto_backup_off(),
            Command::DismissReminder => {
                crate::autobackup::dismiss_reminder(&self.data_dir);
                return self.emit_reminder();
            }
            Command::FollowApply { review, choice } => return self.follow_apply(review, choice),
            Command::FollowAdd { path, password } => return self.follow_add(path, password),
            Command::FollowRemove(path) => return self.follow_remove(path),
            Command::MakeFileStore(password) => return self.make_file_store(&password),
            Command::SetLockPassword(password) => return self.set_lock_password(&password),
            Command::ClearLockPassword => return self.clear_lock_password(),
            Command::CheckLockPassword(password) => return self.check_lock_password(&password),
            Command::UnlockWithSystem(auth) => return self.unlock_with_system(auth),
            Command::Lock => return self.lock(),
            Command::Reveal => return self.reveal(),
            other => other,
        };
        let Some(vault) = self.vault.as_mut() else {
            return self.emit(Event::Failed(t!("ui-keyring-not-ready")));
        };
        let result = match command {
            Command::Load
            | Command::OpenFile { .. }
            | Command::ScanScreen { .. }
            | Command::Paste(_)
            | Command::AutoBackupOn { .. }
            | Command::AutoBackupOff
            | Command::DismissReminder
            | Command::FollowApply { .. }
            | Command::FollowAdd { .. }
            | Command::FollowRemove(_)
            | Command::MakeFileStore(_)
            | Command::SetLockPassword(_)
            | Command::ClearLockPassword
            | Command::CheckLockPassword(_)
            | Command::UnlockWithSystem(_)
            | Command::Lock
            | Command::Reveal => unreachable!("handled above"),
            Command::Add(accounts) => {
                let events = self.events.clone();
                let waker = self.waker.clone();
                vault
                    .add_grouped(accounts, &mut |done, total| {
                        let _ = events.send(Event::Progress { done, total });
                        waker.wake();
                    })
                    .map(|report| {
                        let mut secrets = Vec::new();
                        for e in &report.added {
                            if let Ok(a) = vault.account(e) {
                                secrets.push((e.id, a.secret));
                            }
                        }
                        vec![
                            Event::Secrets(secrets),
                            Event::Added {
                                added: report.added.iter().map(Entry::display_name).collect(),
                                ids: report.added.iter().map(|e| e.id).collect(),
                                duplicates: report
                                    .duplicates
                                    .iter()
                                    .map(OtpAccount::display_name)
                                    .collect(),
                            },
                        ]
                    })
            }
            Command::Remove(id) => vault
                .remove(id)
                .map(|e| vec![Event::Removed(e.display_name())]),
            Command::Edit {
                id,
                issuer,
                name,
                group,
            } => vault.edit(id, &issuer, &name, &group).map(|_| vec![]),
            Command::Move { id, to } => vault.move_to(id, to).map(|_| vec![]),
            Command::SetCounter { id, counter } => vault.set_counter(id, counter).map(|_| vec![]),
            Command::Backup(command) => {
                let events = super::backup_worker::handle(vault, command);
                self.emit_all(events);
                // An export of every account puts the reminder off.
                return self.emit_reminder();
            }
        };
        let entries: Vec<Entry> = vault.entries().cloned().collect();
        self.emit_entries(entries);
        match result {
            Ok(events) => self.emit_all(events),
            Err(e) => self.emit(Event::Failed(e.to_string())),
        }
    }

    /// A message for a person: an account that is gone is named, never shown
    /// by its UUID (the vault's "no account matches" quotes the id it was given).
    fn readable(&self, msg: String) -> String {
        let mut msg = msg;
        for (id, name) in &self.names {
            let id = id.to_string();
            if msg.contains(&id) {
                // The vault's message, in whichever language it speaks now.
                if msg == t!("err-no-match", query = &id) {
                    return t!("ui-gone-elsewhere", name = name);
                }
                msg = msg.replace(&id, name);
            }
        }
        scrub_uuids(&msg)
    }

    /// Watches the data folder for changes to the metadata file made by other
    /// processes. Our own writes trigger it too; [`Worker::reload`] finds
    /// nothing new then and stays quiet.
    fn watch(&mut self) {
        use notify::Watcher;
        if self.watcher.is_some() {
            return;
        }
        // On the first start the folder does not exist yet; the vault makes it
        // anyway, so make it now and watch from the start.
        let _ = meta::ensure_dir(&self.data_dir);
        let inputs = self.inputs.clone();
        let pending = self.change_pending.clone();
        let following = self.following.handler(self.inputs.clone());
        let handler = move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            if !is_change(&event) {
                return;
            }
            if concerns_metadata(&event) && !pending.swap(true, Ordering::SeqCst) {
                let _ = inputs.send(Input::Changed);
            }
            following(&event);
        };
        let watched = notify::recommended_watcher(handler).and_then(|mut w| {
            w.watch(&self.data_dir, notify::RecursiveMode::NonRecursive)
                .map(|()| w)
        });
        match watched {
            Ok(w) => self.watcher = Some(w),
            Err(e) => self.emit(Event::Notes(vec![t!(
                "ui-cannot-watch",
                path = self.data_dir.display().to_string(),
                error = e.to_string()
            )])),
        }
    }

    /// Reads the metadata file again after a change from outside; sends the
    /// new list, and the secrets of accounts that are new to this window.
    fn reload(&mut self) {
        // `ninsho store use` moved the secrets while the window ran: open
        // the store it chose (the file store asks for its password), so no
        // later write lands in the store the secrets left.
        let chosen = crate::vault::choice::chosen(&self.data_dir).ok();
        if chosen.is_some() && self.store_kind.is_some() && chosen != self.store_kind {
            self.vault = None;
            self.store_kind = None;
            self.emit(Event::StoreChanged {
                file: chosen == Some(crate::vault::choice::StoreKind::File),
            });
            return self.load();
        }
        let Some(vault) = self.vault.as_mut() else {
            // Still loading: the load reads the file after this change anyway.
            return;
        };
        if let Err(e) = vault.reload() {
            return self.emit(Event::Failed(e.to_string()));
        }
        self.show_changes();
    }

    /// Sends the vault's list if it differs from what the window was last sent
    /// (compared with that, not with the vault's previous list: a write the
    /// vault took in itself, such as the start-up repair re-reading the file
    /// while another process added an account, must reach the window too),
    /// and the secrets of accounts new to the window.
    fn show_changes(&mut self) {
        let Some(vault) = self.vault.as_ref() else {
            return;
        };
        let after: Vec<Entry> = vault.entries().cloned().collect();
        if after == self.shown {
            return;
        }
        let new: Vec<Entry> = after
            .iter()
            .filter(|e| !self.shown.iter().any(|b| b.id == e.id))
            .cloned()
            .collect();
        self.emit_entries(after);
        if new.is_empty() {
            return;
        }
        if let Some(vault) = &self.vault
            && let Err(e) = self.stream_secrets(vault, &new)
        {
            self.emit(Event::KeyringError(e.to_string()));
        }
    }

    /// Runs a job that waits on the outside world (the X server, the clipboard's
    /// owner, a portal dialog) on its own thread, so vault commands go on.
    fn spawn_job(&self, name: &str, job: impl FnOnce(&dyn Fn(Event)) -> Event + Send + 'static) {
        let (events, waker) = (self.events.clone(), self.waker.clone());
        let emit = move |e: Event| {
            let _ = events.send(e);
            waker.wake();
        };
        let spawned = std::thread::Builder::new().name(name.to_string()).spawn({
            let emit = emit.clone();
            move || {
                // The window may be hidden for a capture: it must hear back.
                let event = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&emit)))
                    .unwrap_or_else(|_| Event::Failed(t!("ui-image-failed")));
                emit(event);
            }
        });
        if let Err(e) = spawned {
            emit(Event::Failed(t!("ui-no-thread", error = e.to_string())));
        }
    }

    /// Makes and chooses a new file store where no keyring answers. Refused
    /// when accounts are saved: their secrets are in the keyring, so only
    /// `ninsho store use file` (with the keyring back) can move them.
    fn make_file_store(&mut self, password: &str) {
        use crate::vault::choice;
        let made = meta::load(&self.data_dir.join(meta::FILE_NAME))
            .map_err(|e| e.to_string())
            .and_then(|file| {
                if file
                    .accounts
                    .iter()
                    .any(|e| e.state == crate::vault::State::Saved)
                {
                    return Err(t!("ui-file-store-has-accounts"));
                }
                meta::ensure_dir(&self.data_dir).map_err(|e| e.to_string())?;
                let path = choice::file_path(&self.data_dir);
                if !path.exists() {
                    crate::vault::file_store::FileStore::create(&path, password)
                        .map_err(|e| e.to_string())?;
                }
                choice::choose(&self.data_dir, choice::StoreKind::File).map_err(|e| e.to_string())
            });
        if made.is_ok() {
            // The window made this switch itself: no news for it.
            self.store_kind = Some(choice::StoreKind::File);
        }
        match made {
            Ok(()) => self.emit(Event::FileStoreMade),
            Err(e) => self.emit(Event::KeyringError(e)),
        }
    }

    fn load(&mut self) {
        // Watch before the first read, so no change slips in between.
        self.watch();
        // Names first: a local file read, no keyring.
        match meta::load(&self.data_dir.join(meta::FILE_NAME)) {
            Ok(file) => self.emit_entries(
                file.accounts
                    .into_iter()
                    .filter(|e| e.state == crate::vault::State::Saved)
                    .collect(),
            ),
            Err(e) => return self.emit(Event::Failed(e.to_string())),
        }
        // The store this load opens (a later switch is seen by `reload`).
        self.store_kind = crate::vault::choice::chosen(&self.data_dir).ok();
        let store = match (self.connect)() {
            Ok(s) => s,
            Err(e) => return self.emit(Event::KeyringError(e.to_string())),
        };
        super::trace("keyring connected");
        let mut vault = match Vault::open(&self.data_dir, store) {
            Ok(v) => v,
            Err(e) => return self.emit(Event::Failed(e.to_string())),
        };
        // Interrupted writes first (cheap when there are none), so the list is right.
        match vault.finish_interrupted() {
            Ok(notes) if !notes.is_empty() => self.emit(Event::Notes(notes)),
            Ok(_) => {}
            Err(crate::vault::VaultError::Store(e)) => {
                return self.emit(Event::KeyringError(e.to_string()));
            }
            Err(e) => self.emit(Event::Failed(e.to_string())),
        }
        let entries: Vec<Entry> = vault.entries().cloned().collect();
        self.emit_entries(entries.clone());
        // With the list, before the codes: the line above the list is there
        // from the first frame that shows accounts, so nothing moves later.
        self.emit(Event::BackupReminder(crate::autobackup::reminder_due(
            &vault,
        )));
        if let Err(err) = self.stream_secrets(&vault, &entries) {
            return self.emit(Event::KeyringError(err.to_string()));
        }
        super::trace("secrets fetched");
        self.emit(Event::SecretsDone);
        if self.window_gone.get() {
            // Closed while loading: the next start does the repair below.
            return;
        }
        // The keyring-wide search for orphaned items reads every item's
        // attributes (about 1 ms each), so it runs after the codes are up.
        let swept = crate::formats::export::sweep_remembered(vault.dir());
        let swept: Vec<String> = swept
            .iter()
            .map(|p| t!("ui-repaired-export", path = p.display().to_string()))
            .collect();
        match vault.repair().map(|mut notes| {
            notes.extend(swept);
            notes
        }) {
            Ok(notes) if !notes.is_empty() => self.emit(Event::Notes(notes)),
            Ok(_) => {}
            Err(e) => self.emit(Event::Failed(e.to_string())),
        }
        self.vault = Some(vault);
        self.emit_backup_status();
        // Accounts the repair restored, or that another process added while
        // this load ran (the repair re-reads the file).
        self.show_changes();
        // Other devices' backups, once the accounts here are right.
        self.follow_check();
    }

    /// Sends the entries' secrets in batches; stops at a keyring failure.
    fn stream_secrets(
        &self,
        vault: &Vault<Box<dyn SecretStore>>,
        entries: &[Entry],
    ) -> Result<(), crate::vault::StoreError> {
        let mut batch = Vec::new();
        let mut left = Vec::new();
        let mut sent: Option<Instant> = None;
        for e in entries {
            if self.window_gone.get() {
                return Ok(());
            }
            match vault.account_with_codes(e) {
                Ok((a, codes)) => {
                    batch.push((e.id, a.secret));
                    if !codes.is_empty() {
                        let unused = crate::vault::recovery::unused(&codes);
                        left.push((e.id, unused, codes.len()));
                    }
                }
                Err(crate::vault::VaultError::Store(err)) => return Err(err),
                Err(err) => self.emit(Event::SecretMissing(e.id, err.to_string())),
            }
            let due = match sent {
                None => batch.len() >= SCREENFUL,
                Some(at) => at.elapsed() >= PROGRESS_EVERY,
            };
            if due {
                self.emit(Event::Secrets(std::mem::take(&mut batch)));
                sent = Some(Instant::now());
            }
        }
        self.emit(Event::Secrets(batch));
        self.emit(Event::Backup(BackupEvent::Left(left)));
        Ok(())
    }
}

/// Whether a file event is a file being written, replaced or removed (reads,
/// ours included, are not changes).
fn is_change(event: &notify::Event) -> bool {
    use notify::EventKind;
    use notify::event::{AccessKind, AccessMode};
    matches!(
        event.kind,
        EventKind::Create(_)
            | EventKind::Modify(_)
            | EventKind::Remove(_)
            | EventKind::Access(AccessKind::Close(AccessMode::Write))
    )
}

/// Whether a change is about the metadata file.
/// The accounts file, or the store choice (`ninsho store use` switched it).
fn concerns_metadata(event: &notify::Event) -> bool {
    event.paths.iter().any(|p| {
        p.file_name() == Some(std::ffi::OsStr::new(meta::FILE_NAME))
            || p.file_name() == Some(std::ffi::OsStr::new(crate::vault::choice::CHOICE_FILE))
    })
}

/// Replaces anything shaped like a UUID with "an account": the last guard
/// before a message reaches a person.
fn scrub_uuids(msg: &str) -> String {
    const LEN: usize = 36;
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while !rest.is_empty() {
        if rest.len() >= LEN
            && rest.is_char_boundary(LEN)
            && Uuid::try_parse(&rest[..LEN]).is_ok_and(|_| rest.as_bytes()[8] == b'-')
        {
            out.push_str(&t!("ui-an-account"));
            rest = &rest[LEN..];
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Largest file we read: real exports are kilobytes, screenshots megabytes.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a dropped file: images are scanned for QR codes, anything else goes
/// through the import registry. Runs on the worker: decoding and key
/// derivation (scrypt, Argon2) can take a while.
fn open_file(path: &Path, password: Option<&str>) -> Event {
    use std::io::Read;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut bytes = Vec::new();
    let read =
        std::fs::File::open(path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        return Event::Failed(t!(
            "ui-cannot-read-file",
            name = &name,
            error = crate::i18n::io_error(&e)
        ));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Event::Failed(t!("ui-file-too-large", name = &name));
    }
    if image::guess_format(&bytes).is_ok() {
        return match crate::scan::scan_image_bytes(&bytes) {
            Ok(report) => sources::found_in_image(&name, report),
            Err(e) => Event::Failed(t!("ui-file-error", name = &name, error = e.to_string())),
        };
    }
    if bytes.len() > crate::formats::MAX_FILE_BYTES {
        return Event::Failed(t!("ui-export-too-large", name = &name));
    }
    let input = crate::formats::Input::new(&bytes);
    let format = match crate::formats::detect_input(&input) {
        Ok(f) => f,
        Err(e) => return Event::Failed(t!("ui-file-error", name = &name, error = e.to_string())),
    };
    use crate::formats::FormatError;
    match (format.import)(&input, password) {
        Ok(found) => {
            let mut notes = found.warnings;
            notes.extend(
                found
                    .skipped
                    .iter()
                    .map(|(what, why)| t!("ui-skipped", what = what, why = why)),
            );
            let mut groups = found.groups.into_iter();
            Event::Found {
                source: name,
                accounts: found
                    .accounts
                    .into_iter()
                    .map(|a| (a, groups.next().flatten().unwrap_or_default()))
                    .collect(),
                notes,
                batches: found.batches,
            }
        }
        Err(FormatError::PasswordNeeded(what)) => Event::NeedPassword {
            path: path.to_path_buf(),
            format: what,
            error: None,
        },
        Err(e @ (FormatError::WrongPassword(what) | FormatError::WrongPasswordOrDamaged(what))) => {
            Event::NeedPassword {
                path: path.to_path_buf(),
                format: what,
                error: Some(e.to_string()),
            }
        }
        Err(e) => Event::Failed(t!("ui-file-error", name = &name, error = e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    //! Protects: no UUID reaches a person (issue 16), whatever text surrounds it.
    use super::*;

    #[test]
    fn scrub_uuids_replaces_every_uuid_and_keeps_the_rest() {
        let a = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let b = "7C9E6679-7425-40DE-944B-E07FC1F90AE7";
        let msg = format!("item {a} is locked;{b}: try again — 鍵 {a}");
        let an = t!("ui-an-account");
        assert_eq!(
            scrub_uuids(&msg),
            format!("item {an} is locked;{an}: try again — 鍵 {an}")
        );
        for text in [
            "",
            "no id here",
            // Not UUIDs: too short, no dashes, one character off.
            "0f8fad5b-d9cb-469f-a165-70867728950",
            "0f8fad5bd9cb469fa16570867728950e0000",
            "0f8fad5b-d9cb-469f-a165-70867728950g",
            "日本語のメッセージ",
        ] {
            assert_eq!(scrub_uuids(text), text);
        }
    }
}
