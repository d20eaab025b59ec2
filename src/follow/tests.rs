//! Protects: a device following another's backups gets exactly the changes
//! made there since it last applied them — new, renamed, removed (only when
//! ticked) — never mistakes a change here for one there, never adds an
//! account twice, and never reads a half-synced file as "everything removed".

use std::sync::Arc;

use super::*;
use crate::otp::{Params, Secret};
use crate::vault::MemoryStore;

const NOW: u64 = 1_780_000_000;
const PASSWORD: &str = "correct horse";

fn account(issuer: &str, name: &str, secret: &str) -> OtpAccount {
    OtpAccount {
        issuer: issuer.into(),
        name: name.into(),
        secret: Secret::parse_base32(secret).unwrap(),
        params: Params::default(),
        extra: vec![],
    }
}

const GITHUB: (&str, &str, &str) = ("GitHub", "alice", "JBSWY3DPEHPK3PXP");
const BANK: (&str, &str, &str) = ("銀行", "山田", "GEZDGNBVGY3TQOJQ");
const STEAM: (&str, &str, &str) = ("Steam", "gamer", "MFRGGZDFMZTWQ2LK");
const MAIL: (&str, &str, &str) = ("Mail", "bob", "KRUGS4ZANFZSAYJA");

/// One desktop: its data folder, its keyring and its name in backup files.
struct Device {
    data: tempfile::TempDir,
    store: Arc<MemoryStore>,
    host: &'static str,
}

impl Device {
    fn new(host: &'static str) -> Device {
        Device {
            data: tempfile::tempdir().unwrap(),
            store: Arc::new(MemoryStore::new()),
            host,
        }
    }

    fn vault(&self) -> Vault<Arc<MemoryStore>> {
        Vault::open(self.data.path(), self.store.clone()).unwrap()
    }

    fn add(&self, accounts: &[(&str, &str, &str)]) {
        let list = accounts.iter().map(|(i, n, s)| account(i, n, s)).collect();
        self.vault().add(list, &mut |_, _| {}).unwrap();
    }

    fn id_of(&self, name: &str) -> Uuid {
        self.vault().entries().find(|e| e.name == name).unwrap().id
    }

    /// Sorted (issuer, account, group, secret) of every account.
    fn accounts(&self) -> Vec<(String, String, String, String)> {
        let v = self.vault();
        let mut out: Vec<_> = v
            .entries()
            .map(|e| {
                let a = v.account(e).unwrap();
                (
                    e.issuer.clone(),
                    e.name.clone(),
                    e.group.clone(),
                    a.secret.to_base32().to_string(),
                )
            })
            .collect();
        out.sort();
        out
    }

    /// Automatic backups into `folder`.
    fn back_up_to(&self, folder: &Path) {
        crate::autobackup::turn_on(self.data.path(), &self.store, folder, PASSWORD, 20).unwrap();
    }

    fn back_up(&self, at: u64) {
        crate::autobackup::run(&self.vault(), at, self.host).unwrap();
    }

    fn follow(&self, path: &Path) -> Source {
        add(self.data.path(), &self.store, path, None, PASSWORD).unwrap()
    }

    fn source(&self) -> Source {
        load(self.data.path()).unwrap().sources.remove(0)
    }

    fn review(&self) -> Review {
        let vault = self.vault();
        let key = key(&self.store).unwrap();
        match check(&vault, &key, &self.source(), self.host) {
            Status::Review(r) => *r,
            Status::NoFile => panic!("no file"),
            Status::NotReady { why, .. } => panic!("not ready: {why}"),
            Status::Failed(e) => panic!("{e}"),
        }
    }

    fn apply(&self, review: &Review, choice: &Choice) -> Outcome {
        apply(&mut self.vault(), review, choice, NOW, &mut |_, _| {}).unwrap()
    }

    fn apply_all(&self, with_removals: bool) -> Outcome {
        let review = self.review();
        self.apply(&review, &Choice::all(&review, with_removals))
    }
}

fn names(review: &Review, indices: &[usize]) -> Vec<String> {
    indices
        .iter()
        .map(|&i| review.snapshot.accounts[i].name.clone())
        .collect()
}

/// A phone-like device "alpha" backing up into a folder that "beta" follows.
fn pair() -> (Device, Device, tempfile::TempDir) {
    let folder = tempfile::tempdir().unwrap();
    let a = Device::new("alpha");
    let b = Device::new("beta");
    a.add(&[GITHUB, BANK, STEAM]);
    a.back_up_to(folder.path());
    a.back_up(NOW);
    b.follow(folder.path());
    (a, b, folder)
}

#[test]
fn a_new_device_gets_every_account_then_only_what_changed_there() {
    let (a, b, _folder) = pair();
    let first = b.review();
    assert_eq!(names(&first, &first.added), ["alice", "山田", "gamer"]);
    assert!(first.changed.is_empty() && first.removed.is_empty());
    let done = b.apply(&first, &Choice::all(&first, false));
    assert_eq!(done.added.len(), 3);
    assert_eq!(b.accounts(), a.accounts());
    assert!(b.review().is_empty(), "nothing new once applied");

    // There: one renamed and moved to a group, one added.
    let mut va = a.vault();
    va.edit(a.id_of("alice"), "GitHub", "alice@work", "Work")
        .unwrap();
    drop(va);
    a.add(&[MAIL]);
    a.back_up(NOW + 10);
    let second = b.review();
    assert_eq!(names(&second, &second.added), ["bob"]);
    assert_eq!(second.changed.len(), 1);
    assert_eq!(second.changed[0].before, "GitHub (alice)");
    assert_eq!(
        second.snapshot.accounts[second.changed[0].index].name,
        "alice@work"
    );
    assert!(second.removed.is_empty());
    b.apply(&second, &Choice::all(&second, false));
    assert_eq!(b.accounts(), a.accounts());
    assert!(b.review().is_empty());
}

#[test]
fn a_removal_there_is_applied_only_when_ticked_and_stays_offered_until_then() {
    let (a, b, _folder) = pair();
    b.apply_all(false);
    let mut va = a.vault();
    va.remove(a.id_of("gamer")).unwrap();
    drop(va);
    a.back_up(NOW + 10);

    let review = b.review();
    let removed: Vec<&str> = review.removed.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(removed, ["gamer"]);
    assert!(!review.suspicious, "one of three is an ordinary removal");
    let done = b.apply(&review, &Choice::all(&review, false));
    assert!(done.removed.is_empty());
    assert_eq!(b.accounts().len(), 3, "not ticked: kept");
    let again = b.review();
    assert_eq!(again.removed.len(), 1, "still offered");
    let done = b.apply(&again, &Choice::all(&again, true));
    assert_eq!(done.removed.len(), 1);
    assert_eq!(b.accounts(), a.accounts());
    assert!(b.review().is_empty());
}

#[test]
fn an_account_added_here_is_never_taken_for_one_removed_there() {
    let (_a, b, _folder) = pair();
    b.apply_all(false);
    b.add(&[MAIL]);
    let review = b.review();
    assert!(review.is_empty(), "added here: nothing to do");
    assert_eq!(b.accounts().len(), 4);
}

#[test]
fn an_account_removed_here_is_not_added_back() {
    let (a, b, _folder) = pair();
    b.apply_all(false);
    let mut vb = b.vault();
    vb.remove(b.id_of("gamer")).unwrap();
    drop(vb);
    // Another backup there, with an unrelated change.
    a.add(&[MAIL]);
    a.back_up(NOW + 10);
    let review = b.review();
    assert_eq!(names(&review, &review.added), ["bob"]);
    assert!(review.removed.is_empty() && review.changed.is_empty());
}

#[test]
fn a_rename_here_is_kept_and_a_rename_on_both_sides_keeps_the_name_here() {
    let (a, b, _folder) = pair();
    b.apply_all(false);
    let mut vb = b.vault();
    vb.edit(b.id_of("alice"), "GitHub", "alice (home)", "")
        .unwrap();
    drop(vb);
    assert!(
        b.review().is_empty(),
        "renamed here only: nothing there changed"
    );

    let mut va = a.vault();
    va.edit(a.id_of("alice"), "GitHub", "alice@work", "")
        .unwrap();
    drop(va);
    a.back_up(NOW + 10);
    let review = b.review();
    assert!(review.changed.is_empty());
    assert_eq!(review.kept_here, ["GitHub (alice (home))"]);
    b.apply(&review, &Choice::all(&review, false));
    assert!(b.vault().entries().any(|e| e.name == "alice (home)"));
}

#[test]
fn accounts_already_here_are_matched_by_secret_not_added_twice() {
    let folder = tempfile::tempdir().unwrap();
    let a = Device::new("alpha");
    let b = Device::new("beta");
    a.add(&[GITHUB, BANK]);
    a.back_up_to(folder.path());
    a.back_up(NOW);
    // The same GitHub account here already, under another name.
    b.add(&[("GitHub", "alice-laptop", GITHUB.2)]);
    b.follow(folder.path());
    let review = b.review();
    assert_eq!(names(&review, &review.added), ["山田"]);
    b.apply(&review, &Choice::all(&review, false));
    assert_eq!(b.accounts().len(), 2);
    // Renamed there later: offered as a change of the account here.
    let mut va = a.vault();
    va.edit(a.id_of("alice"), "GitHub", "alice@work", "")
        .unwrap();
    drop(va);
    a.back_up(NOW + 10);
    let review = b.review();
    assert_eq!(review.changed.len(), 1);
    assert_eq!(review.changed[0].before, "GitHub (alice-laptop)");
}

#[test]
fn an_apply_cut_short_after_adding_adds_nothing_twice() {
    let (a, b, _folder) = pair();
    let review = b.review();
    // As if a crash came after two accounts were added, before the source was
    // recorded as applied.
    b.add(&[GITHUB, BANK]);
    let again = b.review();
    assert_eq!(names(&again, &again.added), ["gamer"]);
    b.apply(&again, &Choice::all(&again, false));
    assert_eq!(b.accounts(), a.accounts());
    drop(review);
}

#[test]
fn a_backup_that_lost_most_accounts_is_flagged() {
    let (a, b, _folder) = pair();
    b.apply_all(false);
    let mut va = a.vault();
    for name in ["alice", "gamer"] {
        va.remove(a.id_of(name)).unwrap();
    }
    drop(va);
    a.back_up(NOW + 10);
    let review = b.review();
    assert_eq!(review.removed.len(), 2);
    assert!(review.suspicious);
}

#[test]
fn a_half_written_file_is_not_ready_and_temporary_names_are_never_read() {
    let (a, b, folder) = pair();
    b.apply_all(false);
    let newest = newest_file(folder.path(), "beta").unwrap().unwrap();
    let whole = fs::read(&newest).unwrap();

    // What a sync tool is still writing, under names it uses for that.
    for temp in [
        ".syncthing.ninsho-backup-alpha-20990101-000000.json.tmp",
        "~syncthing~ninsho-backup-alpha-20990101-000000.json.tmp",
        "ninsho-backup-alpha-20990101-000000.json.part",
        ".ninsho-backup-alpha.tmp",
    ] {
        fs::write(folder.path().join(temp), &whole[..whole.len() / 2]).unwrap();
    }
    assert_eq!(newest_file(folder.path(), "beta").unwrap().unwrap(), newest);
    assert!(b.review().is_empty());

    // A newest file cut short under its final name (a USB stick pulled out).
    let cut = folder
        .path()
        .join("ninsho-backup-alpha-20990101-000000.json");
    fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let vault = b.vault();
    let key = key(&b.store).unwrap();
    match check(&vault, &key, &b.source(), "beta") {
        Status::NotReady { file, .. } => assert_eq!(file, cut),
        _ => panic!("a cut file must be 'not ready'"),
    }
    // Once whole, it is read.
    fs::write(&cut, &whole).unwrap();
    assert!(b.review().is_empty());
    drop(a);
}

#[test]
fn a_wrong_password_is_refused_with_its_reason() {
    let (_a, b, folder) = pair();
    let source = b.source();
    let err = match read(&source, "wrong", "beta") {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a wrong password must fail"),
    };
    assert!(err.contains("password"), "{err}");
    drop(folder);
}

#[test]
fn this_computers_own_backups_are_never_followed() {
    let (_a, b, folder) = pair();
    b.back_up_to(folder.path());
    b.back_up(NOW + 100);
    let newest = newest_file(folder.path(), "beta").unwrap().unwrap();
    let name = newest.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("ninsho-backup-alpha-"), "{name}");
    assert!(is_backup_name("aegis-backup-20261203-101500.json", "beta"));
    assert!(is_backup_name("phone.2fas", "beta"));
    assert!(!is_backup_name("notes.json", "beta"));
}

#[test]
fn two_desktops_sharing_one_folder_follow_each_other() {
    let folder = tempfile::tempdir().unwrap();
    let a = Device::new("alpha");
    let b = Device::new("beta");
    a.add(&[GITHUB]);
    b.add(&[BANK]);
    for d in [&a, &b] {
        d.back_up_to(folder.path());
        d.back_up(NOW);
        d.follow(folder.path());
    }
    a.apply_all(true);
    b.apply_all(true);
    assert_eq!(a.accounts(), b.accounts());
    assert_eq!(a.accounts().len(), 2);
    // Each backs up what it now has; neither sees anything new, nothing doubles.
    a.back_up(NOW + 10);
    b.back_up(NOW + 10);
    for d in [&a, &b] {
        let review = d.review();
        assert!(review.is_empty(), "{:?}", names(&review, &review.added));
        // The accounts it now shares are remembered as matched.
        assert!(review.unrecorded);
        d.apply(&review, &Choice::default());
        assert!(!d.review().unrecorded);
    }

    // A removal on one side reaches the other, through review.
    let mut va = a.vault();
    va.remove(a.id_of("山田")).unwrap();
    drop(va);
    a.back_up(NOW + 20);
    let review = b.review();
    assert_eq!(review.removed.len(), 1);
    b.apply(&review, &Choice::all(&review, true));
    b.back_up(NOW + 20);
    assert!(a.review().is_empty());
    assert_eq!(a.accounts(), b.accounts());
}

#[test]
fn the_settings_file_holds_no_secret_and_repair_leaves_the_items_alone() {
    let (_a, b, _folder) = pair();
    b.apply_all(false);
    let text = fs::read_to_string(settings_path(b.data.path())).unwrap();
    for (_, _, secret) in [GITHUB, BANK, STEAM] {
        let raw = Secret::parse_base32(secret).unwrap();
        assert!(!text.contains(secret) && !text.contains(&secret.to_lowercase()));
        assert!(!text.contains(&hex::encode(raw.as_bytes())));
    }
    assert!(!text.contains(PASSWORD));
    let ids = b.store.ids().unwrap();
    assert!(ids.iter().any(|i| i == KEY_ITEM));
    assert!(ids.iter().any(|i| i.starts_with(PASSWORD_ITEM_PREFIX)));
    let notes = b.vault().repair().unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(b.accounts().len(), 3);
}

#[test]
fn following_twice_or_removing_what_is_not_followed_says_so() {
    let (_a, b, folder) = pair();
    let again = add(b.data.path(), &b.store, folder.path(), None, PASSWORD);
    assert!(matches!(again, Err(FollowError::AlreadyFollowed(_))));
    let other = tempfile::tempdir().unwrap();
    let err = remove(b.data.path(), &b.store, other.path());
    assert!(matches!(err, Err(FollowError::NotFollowed(_))));
    let (gone, deleted) = remove(b.data.path(), &b.store, folder.path()).unwrap();
    assert!(deleted.unwrap());
    assert!(b.store.get(&password_item(gone.id)).unwrap().is_none());
    assert!(load(b.data.path()).unwrap().sources.is_empty());
}

#[test]
fn a_file_larger_than_any_backup_is_refused_without_reading_it() {
    let (_a, b, folder) = pair();
    let huge = folder.path().join("aegis-backup-20991231-235959.json");
    let f = File::create(&huge).unwrap();
    f.set_len(formats::MAX_FILE_BYTES as u64 + 1).unwrap();
    match read(&b.source(), PASSWORD, "beta") {
        Err(FollowError::File { path, why }) => {
            assert_eq!(path, huge);
            assert!(why.to_string().contains("larger"), "{why}");
        }
        _ => panic!("a huge file must be refused"),
    }
}
