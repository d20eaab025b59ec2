//! Protects: SIGKILL at random instants of an import, an edit, a HOTP "next
//! code", a removal or the start-up repair after one loses nothing the CLI
//! reported done, and once a start has repaired, no account lacks its secret and
//! no keyring item lacks its account.
//!
//! The real binary (the release build when `.ci/test` made one) with 500
//! accounts, against a real gnome-keyring of its own: kill times from a seeded
//! RNG (the seed is printed; `NINSHO_CRASH_SEED=N` replays the same choices,
//! timings still vary). A run that finishes before its kill is a valid trial
//! too. The named-point kills, which do not depend on timing at all, are in
//! `tests/crash_safety.rs`.
//!
//! Why a keyring of its own: gnome-keyring can abort when a client it is still
//! answering is killed (TRUST.md, "gnome-keyring aborts"), and this test kills
//! hundreds. Here only this test uses that keyring; after every kill it makes a
//! round trip to the daemon, and if the daemon died it starts it again on the
//! same keyring files (written before each reply) and says so. The trial goes
//! on: Ninsho's state is what the kill left, and the audit still judges it.
#![cfg(unix)]

mod common;
#[path = "support/crash.rs"]
mod crash;
#[path = "support/private_keyring.rs"]
mod private_keyring;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use common::Env;
use crash::{
    AT, Names, Run, audit, generate, names, pending_writes, restart_and_audit, run, summarise,
};
use ninsho::otp::{self, Kind, OtpAccount};
use ninsho::vault::Entry;
use private_keyring::PrivateKeyring;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

const ACCOUNTS: usize = 500;
const MIN_TRIALS: usize = 20;
const REMOVE_BATCH: usize = 12;

/// Half the time when a write was left pending, the start-up that repairs it
/// is killed too, at a random instant; the audit's own start-up then has to
/// finish the job. Returns what happened, for the trial's line.
fn maybe_kill_the_repair(
    keyring: &PrivateKeyring,
    env: &Env,
    bin: &str,
    pending: usize,
    rng: &mut StdRng,
) -> &'static str {
    if pending == 0 || rng.random_bool(0.5) {
        return "";
    }
    let delay = rng.random_range(0.0..0.8);
    let r = killable(
        keyring,
        env.cmd_with(bin).args(["list", "--json"]),
        Some(delay),
    );
    match (r.killed, pending_writes(env)) {
        (false, _) => "; repair ran uninterrupted",
        (true, 0) => "; repair killed after it finished",
        (true, _) => "; repair killed before it finished",
    }
}

/// [`run`], perhaps with a kill timer; after a kill, the keyring is checked and
/// started again if the kill made it abort.
///
/// `NINSHO_CRASH_ABORT_KEYRING=N` aborts the daemon (SIGABRT, as its GLib
/// assertion does) right after the Nth kill, to try this path on demand.
fn killable(keyring: &PrivateKeyring, cmd: &mut Command, kill_after: Option<f64>) -> Run {
    static KILLS: AtomicUsize = AtomicUsize::new(0);
    let r = run(cmd, kill_after);
    if r.killed {
        let n = KILLS.fetch_add(1, Ordering::Relaxed) + 1;
        if std::env::var("NINSHO_CRASH_ABORT_KEYRING").is_ok_and(|v| v == n.to_string()) {
            keyring.abort();
        }
        keyring.restart_if_dead();
    }
    r
}

#[test]
fn sigkill_during_import_edit_and_remove_loses_nothing_reported() {
    if !common::real_keyring() {
        return;
    }
    let seed: u64 = std::env::var("NINSHO_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    eprintln!("crash-safety seed: {seed} (replay with NINSHO_CRASH_SEED={seed})");
    let mut rng = StdRng::seed_from_u64(seed);
    let keyring = std::sync::Arc::new(PrivateKeyring::start());
    // SAFETY: the only test of this binary, before it starts any thread or
    // child: nothing else reads the environment now. Every client from here on
    // (the binary, `secret-tool`, this process's own audit) uses this keyring.
    unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", keyring.address()) };
    {
        let keyring = keyring.clone();
        crash::on_keyring_death(move || keyring.restart_if_dead());
    }
    let bin = common::binary();
    eprintln!("binary: {bin}");
    let env = Env::new();
    let work = tempfile::tempdir().unwrap();
    let (originals, lines) = generate(&mut rng, ACCOUNTS);
    let file = work.path().join("accounts.txt");
    std::fs::write(&file, lines).unwrap();
    let started = Instant::now();

    let mut ids = HashMap::new();
    import_phase(&keyring, &env, &bin, &file, &originals, &mut ids, &mut rng);
    eprintln!(
        "import phase done at {:.0} s",
        started.elapsed().as_secs_f64()
    );
    edit_phase(&keyring, &env, &bin, &originals, &mut ids, &mut rng);
    eprintln!(
        "edit phase done at {:.0} s",
        started.elapsed().as_secs_f64()
    );
    remove_phase(&keyring, &env, &bin, &originals, &mut ids, &mut rng);
    eprintln!(
        "remove phase done at {:.0} s",
        started.elapsed().as_secs_f64()
    );

    // Independent views: libsecret's own listing, oathtool's arithmetic.
    let (entries, _) = restart_and_audit(&env, &bin, &originals, &mut ids);
    let mut listed: Vec<String> = entries.iter().map(|e| e.id.to_string()).collect();
    listed.sort();
    assert_eq!(env.keyring_items(), listed);
    if common::have_tool("oathtool") {
        let totp: Vec<&Entry> = entries.iter().filter(|e| e.kind == Kind::Totp).collect();
        for e in totp.choose_multiple(&mut rng, 5) {
            let ours = run(
                env.cmd_with(&bin)
                    .args(["code", &e.id.to_string(), "--at", &AT.to_string()]),
                None,
            );
            let secret =
                data_encoding::BASE32_NOPAD.encode(originals[ids[&e.id]].secret.as_bytes());
            let theirs = Command::new("oathtool")
                .arg(format!("--totp={}", e.algorithm.as_str().to_lowercase()))
                .arg(format!("-s{}", e.period.unwrap()))
                .arg(format!("-d{}", e.digits))
                .arg(format!("-N@{AT}"))
                .args(["-b", &secret])
                .output()
                .unwrap();
            assert_eq!(
                ours.stdout,
                vec![String::from_utf8(theirs.stdout).unwrap().trim().to_string()]
            );
        }
    }
    eprintln!(
        "total {:.0} s; the keyring died and was restarted {} times",
        started.elapsed().as_secs_f64(),
        keyring.restarts()
    );
}

/// Imports the 500 accounts, each of `MIN_TRIALS` attempts with a kill timer
/// set to a random instant, running the import again as a user would; a last
/// run finishes it. The kill window is sized from the progress lines so that
/// kills spread over start-up and keyring writes, each run saving a share.
fn import_phase(
    keyring: &PrivateKeyring,
    env: &Env,
    bin: &str,
    file: &Path,
    originals: &[OtpAccount],
    ids: &mut HashMap<Uuid, usize>,
    rng: &mut StdRng,
) {
    let (mut startup, mut per_item) = (1.0_f64, 0.04_f64);
    let mut present: HashSet<usize> = HashSet::new();
    let (mut kills, mut interrupted_writes) = (0, 0);
    for trial in 0.. {
        let fresh: Vec<usize> = (0..ACCOUNTS).filter(|i| !present.contains(i)).collect();
        if fresh.is_empty() && trial >= MIN_TRIALS {
            break;
        }
        assert!(trial <= MIN_TRIALS, "an import left alone did not finish");
        // After MIN_TRIALS runs with a kill timer (a run that finishes first
        // counts as well), one left alone finishes the import.
        let left = MIN_TRIALS - trial;
        let window = startup + per_item * fresh.len() as f64 / left.max(1) as f64;
        let delay = rng.random_range(0.0..window);
        let r = killable(
            keyring,
            env.cmd_with(bin).arg("import").arg(file),
            (left > 0).then_some(delay),
        );
        let progress: Vec<(f64, usize)> = r
            .stderr
            .iter()
            .filter_map(|(t, l)| {
                let rest = l.strip_prefix("ninsho: saved ")?;
                let (done, all) = rest.split_once(" of ")?;
                assert_eq!(all.parse::<usize>().ok()?, fresh.len(), "{l}");
                Some((*t, done.parse().ok()?))
            })
            .collect();
        let reported = if r.success {
            fresh.len()
        } else {
            progress.last().map_or(0, |p| p.1)
        };
        if let [(t0, n0), .., (t1, n1)] = progress[..] {
            per_item = (t1 - t0) / (n1 - n0) as f64;
        }
        if let Some(&(t, n)) = progress.first() {
            startup = (t - n as f64 * per_item).max(0.05);
        }
        let pending = pending_writes(env);
        interrupted_writes += usize::from(pending > 0);
        kills += usize::from(r.killed);
        if r.killed && pending == 0 && progress.is_empty() {
            // Killed before the first write: start-up (which grows with the
            // vault) takes longer than we thought.
            startup = startup.max(delay * 1.25);
        }
        let repair = maybe_kill_the_repair(keyring, env, bin, pending, rng);

        let (entries, notes) = restart_and_audit(env, bin, originals, ids);
        present = entries.iter().map(|e| ids[&e.id]).collect();
        for &i in &fresh[..reported] {
            assert!(
                present.contains(&i),
                "trial {trial}: {} was reported saved but is gone",
                originals[i].display_name()
            );
        }
        if r.success {
            assert_eq!(present.len(), ACCOUNTS);
        }
        eprintln!(
            "import {trial:2}: {} at {delay:.2} s of {window:.2}; {reported} of {} reported saved; {pending} pending{repair}; {} accounts now; {}",
            if r.killed { "killed" } else { "finished" },
            fresh.len(),
            present.len(),
            summarise(&notes)
        );
    }
    // Whether random kills landed mid-write depends on the machine's speed;
    // the named-point test kills there on purpose.
    eprintln!("imports: {kills} killed, {interrupted_writes} of them mid-write");
}

/// Asserts every account other than `except` kept its names and counter.
fn others_unchanged(entries: &[Entry], model: &HashMap<Uuid, Names>, except: Uuid) {
    assert_eq!(entries.len(), model.len());
    for e in entries.iter().filter(|e| e.id != except) {
        assert_eq!(names(e), model[&e.id], "{} changed", e.display_name());
    }
}

/// Renames, regroups and HOTP "next code" runs, each killed at a random instant
/// within the time the same command takes when left alone.
fn edit_phase(
    keyring: &PrivateKeyring,
    env: &Env,
    bin: &str,
    originals: &[OtpAccount],
    ids: &mut HashMap<Uuid, usize>,
    rng: &mut StdRng,
) {
    let (entries, _) = restart_and_audit(env, bin, originals, ids);
    let mut model: HashMap<Uuid, Names> = entries.iter().map(|e| (e.id, names(e))).collect();
    let all: Vec<Uuid> = entries.iter().map(|e| e.id).collect();
    let hotp: Vec<Uuid> = entries
        .iter()
        .filter(|e| e.kind == Kind::Hotp)
        .map(|e| e.id)
        .collect();
    let at = AT.to_string();

    // Left alone once: each command works and its duration sizes the kill window.
    let e = &entries[0];
    let r = run(
        env.cmd_with(bin)
            .args(["edit", &e.id.to_string(), "--group", "Measured"]),
        None,
    );
    assert_eq!(
        r.stdout,
        [format!("edited {}, group Measured", e.display_name())]
    );
    model.get_mut(&e.id).unwrap().2 = "Measured".into();
    let edit_time = r.elapsed;
    let h = hotp[0];
    let r = run(
        env.cmd_with(bin)
            .args(["code", &h.to_string(), "--next", "--at", &at]),
        None,
    );
    model.get_mut(&h).unwrap().3 = model[&h].3.map(|c| c + 1);
    let next_time = r.elapsed;
    eprintln!("edit takes {edit_time:.3} s, code --next {next_time:.3} s");

    let (mut applied, mut kills) = (0, 0);
    // A run that finishes before its timer is a valid trial too.
    for trial in 0..MIN_TRIALS {
        let next = trial % 4 == 3;
        let id = *if next { &hotp } else { &all }.choose(rng).unwrap();
        let old = model[&id].clone();
        let (r, new) = if next {
            let delay = rng.random_range(0.0..next_time * 1.2);
            let r = killable(
                keyring,
                env.cmd_with(bin)
                    .args(["code", &id.to_string(), "--next", "--at", &at]),
                Some(delay),
            );
            let mut new = old.clone();
            new.3 = old.3.map(|c| c + 1);
            (r, new)
        } else {
            let new: Names = (
                format!("Edited{trial}"),
                format!("{}-e{trial}", old.1),
                format!("G{}", trial % 3),
                old.3,
            );
            let delay = rng.random_range(0.0..edit_time * 1.2);
            let r = killable(
                keyring,
                env.cmd_with(bin).args([
                    "edit",
                    &id.to_string(),
                    "--issuer",
                    &new.0,
                    "--account",
                    &new.1,
                    "--group",
                    &new.2,
                ]),
                Some(delay),
            );
            (r, new)
        };
        kills += usize::from(r.killed);
        let (entries, _) = audit(env, bin, originals, ids, Some(id));
        let now = entries
            .iter()
            .find(|e| e.id == id)
            .map(names)
            .expect("the edited account vanished");
        let reported = !r.stdout.is_empty();
        if reported {
            assert_eq!(now, new, "trial {trial}: a reported change was lost");
        } else {
            assert!(
                now == old || now == new,
                "trial {trial}: half an edit: {now:?}"
            );
        }
        if next && reported {
            let i = ids[&id];
            let mut p = originals[i].params;
            p.counter = new.3.unwrap();
            assert_eq!(r.stdout, [otp::code_at(&originals[i].secret, &p, AT)]);
        }
        others_unchanged(&entries, &model, id);
        applied += usize::from(now == new);
        eprintln!(
            "edit {trial:2}: {} {}; change {}",
            if next { "code --next" } else { "edit" },
            if r.killed { "killed" } else { "finished" },
            match (reported, now == new) {
                (true, _) => "reported and kept",
                (false, true) => "kept, not yet reported",
                (false, false) => "not made",
            }
        );
        model.insert(id, now);
    }
    eprintln!("edits: {kills} killed, {applied} applied");
    restart_and_audit(env, bin, originals, ids);
}

/// Removes batches of accounts, each run killed at a random instant.
fn remove_phase(
    keyring: &PrivateKeyring,
    env: &Env,
    bin: &str,
    originals: &[OtpAccount],
    ids: &mut HashMap<Uuid, usize>,
    rng: &mut StdRng,
) {
    let (entries, _) = restart_and_audit(env, bin, originals, ids);
    let mut present: HashMap<Uuid, String> =
        entries.iter().map(|e| (e.id, e.display_name())).collect();
    let remove = |targets: &[Uuid], kill: Option<f64>| {
        let mut cmd = env.cmd_with(bin);
        cmd.arg("remove")
            .args(targets.iter().map(Uuid::to_string))
            .arg("--yes");
        killable(keyring, &mut cmd, kill)
    };
    let pick = |present: &HashMap<Uuid, String>, rng: &mut StdRng| {
        let mut all: Vec<Uuid> = present.keys().copied().collect();
        all.sort();
        all.choose_multiple(rng, REMOVE_BATCH)
            .copied()
            .collect::<Vec<_>>()
    };

    let targets = pick(&present, rng);
    let r = remove(&targets, None);
    let expected: Vec<String> = targets
        .iter()
        .map(|id| format!("removed {}", present[id]))
        .collect();
    assert_eq!(r.stdout, expected);
    let remove_time = r.elapsed;
    let (entries, _) = restart_and_audit(env, bin, originals, ids);
    present.retain(|id, _| !targets.contains(id));
    assert_eq!(entries.len(), present.len());
    eprintln!("removing {REMOVE_BATCH} takes {remove_time:.3} s");

    let (mut interrupted, mut kills) = (0, 0);
    // A run that finishes before its timer is a valid trial too.
    for trial in 0..MIN_TRIALS {
        let targets = pick(&present, rng);
        let delay = rng.random_range(0.0..remove_time * 1.1);
        let r = remove(&targets, Some(delay));
        let reported: HashSet<Uuid> = r
            .stdout
            .iter()
            .filter_map(|l| {
                let name = l.strip_prefix("removed ")?;
                targets.iter().copied().find(|id| present[id] == name)
            })
            .collect();
        let pending = pending_writes(env);
        interrupted += usize::from(pending > 0);
        kills += usize::from(r.killed);
        let repair = maybe_kill_the_repair(keyring, env, bin, pending, rng);
        let (entries, notes) = restart_and_audit(env, bin, originals, ids);
        let now: HashSet<Uuid> = entries.iter().map(|e| e.id).collect();
        for id in present.keys() {
            if reported.contains(id) {
                assert!(!now.contains(id), "{} was reported removed", present[id]);
            } else if !targets.contains(id) {
                assert!(now.contains(id), "{} vanished", present[id]);
            }
        }
        let gone = present.len() - now.len();
        present.retain(|id, _| now.contains(id));
        eprintln!(
            "remove {trial:2}: {} at {delay:.2} s; {} reported, {gone} gone; {pending} pending{repair}; {}",
            if r.killed { "killed" } else { "finished" },
            reported.len(),
            summarise(&notes)
        );
    }
    eprintln!("removals: {kills} killed, {interrupted} of them mid-write");
}
