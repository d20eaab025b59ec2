//! Protects: SIGKILL at any instant of an import, an edit, a HOTP "next code", a
//! removal or the start-up repair after one loses nothing the CLI reported done,
//! and once a start has repaired, no account lacks its secret and no keyring
//! item lacks its account.
//!
//! Two ways to kill, both against the real gnome-keyring:
//! - at named points (`src/vault/crashpoint.rs`, debug builds): the process stops
//!   before and after each keyring write and metadata rename, and between the
//!   halves of an edit, and is killed there. Every point of every command is
//!   tried, so the verdict does not depend on the machine's speed.
//! - at random instants, on the real binary (the release build when `.ci/test`
//!   made one) with 500 accounts: kill times from a seeded RNG (the seed is
//!   printed; `NINSHO_CRASH_SEED=N` replays the same choices, timings still
//!   vary). A run that finishes before its kill is a valid trial too.
#![cfg(unix)]

mod common;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Env;
use ninsho::otp::{self, Kind, OtpAccount};
use ninsho::vault::keyring::KeyringStore;
use ninsho::vault::{Entry, SecretStore, State, Vault, crashpoint, meta};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

const ACCOUNTS: usize = 500;
const MIN_TRIALS: usize = 20;
/// Codes are compared at this fixed time.
const AT: u64 = 1_700_000_000;
const REMOVE_BATCH: usize = 12;

/// `count` accounts with varied parameters and unique names, as `otpauth://`
/// lines; every tenth (the first among them) is HOTP.
fn generate(rng: &mut StdRng, count: usize) -> (Vec<OtpAccount>, String) {
    let mut accounts = Vec::new();
    let mut lines = String::new();
    for i in 0..count {
        let bytes: Vec<u8> = (0..rng.random_range(10..=32))
            .map(|_| rng.random())
            .collect();
        let b32 = data_encoding::BASE32_NOPAD.encode(&bytes);
        let label = format!("Crash{i:03}:user{i}%40example.com");
        let uri = if i % 10 == 0 {
            format!(
                "otpauth://hotp/{label}?secret={b32}&issuer=Crash{i:03}&counter={}",
                i * 3
            )
        } else {
            let alg = ["SHA1", "SHA256", "SHA512"][i % 3];
            let digits = [6, 8][i % 2];
            let period = [30, 60][(i / 7) % 2];
            format!(
                "otpauth://totp/{label}?secret={b32}&issuer=Crash{i:03}&algorithm={alg}&digits={digits}&period={period}"
            )
        };
        let account = otp::parse_uri(&uri).unwrap().account;
        assert_eq!(account.secret.as_bytes(), &bytes[..]);
        lines += &uri;
        lines.push('\n');
        accounts.push(account);
    }
    (accounts, lines)
}

/// One run of the binary, perhaps cut short by SIGKILL.
struct Run {
    stdout: Vec<String>,
    /// Lines with their time since the start, in seconds.
    stderr: Vec<(f64, String)>,
    killed: bool,
    success: bool,
    elapsed: f64,
}

/// When a run is killed: never, after a delay, or once it stops at a named point.
enum Kill<'a> {
    Never,
    After(f64),
    /// `NINSHO_TEST_STOP_AT` (debug builds, `src/vault/crashpoint.rs`).
    At(&'a str),
}

fn run(cmd: &mut Command, kill_after: Option<f64>) -> Run {
    run_killed(cmd, kill_after.map_or(Kill::Never, Kill::After), None)
}

fn run_killed(cmd: &mut Command, kill: Kill, stdin: Option<&str>) -> Run {
    let start = Instant::now();
    if let Kill::At(point) = kill {
        cmd.env("NINSHO_TEST_STOP_AT", point);
    }
    let mut child = cmd
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(text.as_bytes()).unwrap();
    }
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        BufReader::new(out)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let (stopped_tx, stopped) = std::sync::mpsc::channel();
    let err = std::thread::spawn(move || {
        BufReader::new(err)
            .lines()
            .map_while(Result::ok)
            .inspect(|l| {
                if l.starts_with(crashpoint::STOPPED) {
                    let _ = stopped_tx.send(());
                }
            })
            .map(|l| (start.elapsed().as_secs_f64(), l))
            .collect::<Vec<_>>()
    });
    let status = match kill {
        Kill::Never => child.wait().unwrap(),
        Kill::After(delay) => {
            let deadline = Duration::from_secs_f64(delay);
            loop {
                if let Some(status) = child.try_wait().unwrap() {
                    break status;
                }
                if start.elapsed() >= deadline {
                    child.kill().unwrap(); // SIGKILL on Unix
                    break child.wait().unwrap();
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        // The line arrives, or stderr closes because the process ended without
        // reaching the point (the sender drops): either way no guess at timing.
        Kill::At(_) => {
            if stopped.recv().is_ok() {
                child.kill().unwrap();
            }
            child.wait().unwrap()
        }
    };
    let elapsed = start.elapsed().as_secs_f64();
    let run = Run {
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        killed: status.signal() == Some(9),
        success: status.success(),
        elapsed,
    };
    let text: String = run.stderr.iter().map(|(_, l)| format!("{l}\n")).collect();
    assert!(!text.contains("panicked"), "{text}");
    assert!(
        run.killed || run.success,
        "{:?} failed: {text}",
        cmd.get_args().collect::<Vec<_>>()
    );
    run
}

/// Entries still marked `adding` or `deleting` on disk: a write the kill cut short.
fn pending_writes(env: &Env) -> usize {
    meta::load(&env.data.path().join(meta::FILE_NAME))
        .unwrap()
        .accounts
        .iter()
        .filter(|e| e.state != State::Saved)
        .count()
}

/// What the user would see next: start-up repair through the CLI, then an audit
/// of the metadata file and the keyring. Every entry must have its secret (the
/// one it was enrolled with), every keyring item its entry, no write be left
/// pending. Entries not yet in `ids` are matched to `originals` by name.
fn restart_and_audit(
    env: &Env,
    bin: &str,
    originals: &[OtpAccount],
    ids: &mut HashMap<Uuid, usize>,
) -> (Vec<Entry>, Vec<String>) {
    audit(env, bin, originals, ids, None)
}

/// [`restart_and_audit`], reading only `only`'s secret from the keyring (edits
/// never write there; the phase ends with a full audit).
fn audit(
    env: &Env,
    bin: &str,
    originals: &[OtpAccount],
    ids: &mut HashMap<Uuid, usize>,
    only: Option<Uuid>,
) -> (Vec<Entry>, Vec<String>) {
    let out = run(env.cmd_with(bin).args(["list", "--json"]), None);
    let notes: Vec<String> = out.stderr.into_iter().map(|(_, l)| l).collect();
    for n in &notes {
        assert!(
            n.starts_with("ninsho: repaired: ") && !n.contains("warning"),
            "unexpected start-up note: {n}"
        );
    }
    let listed: Vec<serde_json::Value> = serde_json::from_str(&out.stdout.join("\n")).unwrap();

    let dir = env.data.path();
    let file = meta::load(&dir.join(meta::FILE_NAME)).unwrap();
    assert!(
        file.accounts.iter().all(|e| e.state == State::Saved),
        "repair left a write pending"
    );
    let leftovers: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");

    let vault = Vault::open(dir, KeyringStore::connect(&env.service).unwrap()).unwrap();
    let entries: Vec<Entry> = vault.entries().cloned().collect();
    assert_eq!(listed.len(), entries.len());
    let mut in_keyring = vault.store().ids().unwrap();
    in_keyring.sort();
    let mut known: Vec<String> = entries.iter().map(|e| e.id.to_string()).collect();
    known.sort();
    assert_eq!(in_keyring, known, "keyring items and entries differ");

    let by_name: HashMap<(&str, &str), usize> = originals
        .iter()
        .enumerate()
        .map(|(i, a)| ((a.issuer.as_str(), a.name.as_str()), i))
        .collect();
    let mut seen = HashSet::new();
    for e in &entries {
        let i = *ids.entry(e.id).or_insert_with(|| {
            *by_name
                .get(&(e.issuer.as_str(), e.name.as_str()))
                .unwrap_or_else(|| panic!("an account nobody added: {}", e.display_name()))
        });
        assert!(
            seen.insert(i),
            "{} is in the vault twice",
            originals[i].display_name()
        );
        if only.is_some_and(|id| id != e.id) {
            continue;
        }
        let stored = vault
            .account(e)
            .unwrap_or_else(|err| panic!("{}: {err}", e.display_name()));
        let original = &originals[i];
        assert!(
            stored.secret == original.secret,
            "{}: wrong secret",
            e.display_name()
        );
        let (p, q) = (e.params(), original.params);
        assert_eq!(
            (p.kind, p.algorithm, p.digits, p.period),
            (q.kind, q.algorithm, q.digits, q.period)
        );
        assert_eq!(
            stored.code_at(AT),
            otp::code_at(&original.secret, &p, AT),
            "{}: wrong code",
            e.display_name()
        );
    }
    (entries, notes)
}

/// Half the time when a write was left pending, the start-up that repairs it
/// is killed too, at a random instant; the audit's own start-up then has to
/// finish the job. Returns what happened, for the trial's line.
fn maybe_kill_the_repair(env: &Env, bin: &str, pending: usize, rng: &mut StdRng) -> &'static str {
    if pending == 0 || rng.random_bool(0.5) {
        return "";
    }
    let delay = rng.random_range(0.0..0.8);
    let r = run(env.cmd_with(bin).args(["list", "--json"]), Some(delay));
    match (r.killed, pending_writes(env)) {
        (false, _) => "; repair ran uninterrupted",
        (true, 0) => "; repair killed after it finished",
        (true, _) => "; repair killed before it finished",
    }
}

fn summarise(notes: &[String]) -> String {
    let count = |what: &str| notes.iter().filter(|n| n.contains(what)).count();
    format!(
        "repair: {} finished adding, {} dropped, {} finished removing, {} restored",
        count("finished adding"),
        count("dropped"),
        count("finished removing"),
        count("restored"),
    )
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
    let bin = common::binary();
    eprintln!("binary: {bin}");
    let env = Env::new();
    let work = tempfile::tempdir().unwrap();
    let (originals, lines) = generate(&mut rng, ACCOUNTS);
    let file = work.path().join("accounts.txt");
    std::fs::write(&file, lines).unwrap();
    let started = Instant::now();

    let mut ids = HashMap::new();
    import_phase(&env, &bin, &file, &originals, &mut ids, &mut rng);
    eprintln!(
        "import phase done at {:.0} s",
        started.elapsed().as_secs_f64()
    );
    edit_phase(&env, &bin, &originals, &mut ids, &mut rng);
    eprintln!(
        "edit phase done at {:.0} s",
        started.elapsed().as_secs_f64()
    );
    remove_phase(&env, &bin, &originals, &mut ids, &mut rng);
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
    eprintln!("total {:.0} s", started.elapsed().as_secs_f64());
}

/// Imports the 500 accounts, each of `MIN_TRIALS` attempts with a kill timer
/// set to a random instant, running the import again as a user would; a last
/// run finishes it. The kill window is sized from the progress lines so that
/// kills spread over start-up and keyring writes, each run saving a share.
fn import_phase(
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
        let r = run(
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
        let repair = maybe_kill_the_repair(env, bin, pending, rng);

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

type Names = (String, String, String, Option<u64>);

fn names(e: &Entry) -> Names {
    (e.issuer.clone(), e.name.clone(), e.group.clone(), e.counter)
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
            let r = run(
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
            let r = run(
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
        run(&mut cmd, kill)
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
        let repair = maybe_kill_the_repair(env, bin, pending, rng);
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

/// Accounts in each named-point trial: enough for an import to report progress
/// ("saved 10 of 20") and be cut between two items.
const SMALL: usize = 20;
const RECOVERY_CODES: [&str; 3] = ["1111-2222", "3333-4444", "5555-6666"];

/// A command whose writes are killed at each named point.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Step {
    Import,
    Edit,
    Next,
    Remove,
    Recovery,
}

/// A fresh vault for one kill: SMALL accounts imported unless the step is the
/// import itself, and what the step is about to change.
struct Trial<'a> {
    env: Env,
    bin: &'a str,
    step: Step,
    file: &'a Path,
    originals: &'a [OtpAccount],
    ids: HashMap<Uuid, usize>,
    entries: Vec<Entry>,
}

impl<'a> Trial<'a> {
    fn new(bin: &'a str, step: Step, file: &'a Path, originals: &'a [OtpAccount]) -> Self {
        let env = Env::new();
        let mut ids = HashMap::new();
        let mut entries = Vec::new();
        if step != Step::Import {
            run(env.cmd_with(bin).arg("import").arg(file), None);
            entries = restart_and_audit(&env, bin, originals, &mut ids).0;
            assert_eq!(entries.len(), SMALL);
        }
        Trial {
            env,
            bin,
            step,
            file,
            originals,
            ids,
            entries,
        }
    }

    /// The account an edit, a "next code" or a recovery add changes.
    fn target(&self) -> &Entry {
        match self.step {
            Step::Next => self.entries.iter().find(|e| e.kind == Kind::Hotp).unwrap(),
            _ => &self.entries[1],
        }
    }

    fn removed(&self) -> Vec<Uuid> {
        self.entries[..2].iter().map(|e| e.id).collect()
    }

    fn edited(&self) -> Names {
        let old = names(self.target());
        (
            format!("{}-x", old.0),
            "renamed".into(),
            "Moved".into(),
            old.3,
        )
    }

    fn run(&self, kill: Kill, trace: bool) -> Run {
        let mut cmd = self.env.cmd_with(self.bin);
        if trace {
            cmd.env("NINSHO_TEST_TRACE_POINTS", "1");
        }
        let id = || self.target().id.to_string();
        let mut stdin = None;
        let codes = RECOVERY_CODES.join("\n");
        match self.step {
            Step::Import => cmd.arg("import").arg(self.file),
            Step::Edit => {
                let new = self.edited();
                cmd.args(["edit", &id(), "--issuer", &new.0, "--account", &new.1])
                    .args(["--group", &new.2])
            }
            Step::Next => cmd.args(["code", &id(), "--next", "--at", &AT.to_string()]),
            Step::Remove => cmd
                .arg("remove")
                .args(self.removed().iter().map(Uuid::to_string))
                .arg("--yes"),
            Step::Recovery => {
                stdin = Some(codes.as_str());
                cmd.args(["recovery", "add", &id()])
            }
        };
        run_killed(&mut cmd, kill, stdin)
    }

    /// After the kill: the next start repairs, nothing reported is lost, nothing
    /// is half-done.
    fn check(&mut self, r: &Run) {
        let (entries, _) = restart_and_audit(&self.env, self.bin, self.originals, &mut self.ids);
        let now = |id: Uuid| entries.iter().find(|e| e.id == id).map(names);
        let reported = !r.stdout.is_empty();
        match self.step {
            Step::Import => {
                let saved = r
                    .stderr
                    .iter()
                    .filter_map(|(_, l)| l.strip_prefix("ninsho: saved ")?.split_once(" of "))
                    .filter_map(|(done, _)| done.parse::<usize>().ok())
                    .max()
                    .unwrap_or(0);
                let present: HashSet<usize> = entries.iter().map(|e| self.ids[&e.id]).collect();
                for i in 0..saved {
                    assert!(
                        present.contains(&i),
                        "{} was reported saved but is gone",
                        self.originals[i].display_name()
                    );
                }
            }
            Step::Edit | Step::Next => {
                let target = self.target();
                let old = names(target);
                let new = match self.step {
                    Step::Edit => self.edited(),
                    _ => (
                        old.0.clone(),
                        old.1.clone(),
                        old.2.clone(),
                        old.3.map(|c| c + 1),
                    ),
                };
                let after = now(target.id).expect("the edited account vanished");
                if reported {
                    assert_eq!(after, new, "a reported change was lost");
                } else {
                    assert!(after == old || after == new, "half a change: {after:?}");
                }
                for e in self.entries.iter().filter(|e| e.id != target.id) {
                    assert_eq!(now(e.id), Some(names(e)), "{} changed", e.display_name());
                }
            }
            Step::Remove => {
                let targets = self.removed();
                for e in &self.entries {
                    let gone = now(e.id).is_none();
                    let said = r.stdout.contains(&format!("removed {}", e.display_name()));
                    if said {
                        assert!(gone, "{} was reported removed", e.display_name());
                    } else if !targets.contains(&e.id) {
                        assert!(!gone, "{} vanished", e.display_name());
                    }
                }
            }
            Step::Recovery => {
                let vault = Vault::open(
                    self.env.data.path(),
                    KeyringStore::connect(&self.env.service).unwrap(),
                )
                .unwrap();
                let codes: Vec<String> = vault
                    .recovery_codes(self.target().id)
                    .unwrap()
                    .iter()
                    .map(|c| c.code.clone())
                    .collect();
                if reported {
                    assert_eq!(codes, RECOVERY_CODES, "reported codes were lost");
                } else {
                    assert!(
                        codes.is_empty() || codes == RECOVERY_CODES,
                        "half the codes were saved: {codes:?}"
                    );
                }
            }
        }
    }
}

/// Each of import, edit, HOTP "next code", removal and recovery-code add is
/// killed with SIGKILL at every named point its writes pass (before and after
/// each keyring write, before and after each metadata rename, between the
/// metadata and keyring halves of an edit); where that left a write pending,
/// every other time the repair is killed at its own metadata write too. The
/// kill lands at the point by construction, so a busy machine changes nothing.
#[test]
fn sigkill_at_every_named_write_point_loses_nothing_reported() {
    if !common::real_keyring() {
        return;
    }
    // Named points exist only in debug builds: the binary Cargo built for this test.
    let bin = env!("CARGO_BIN_EXE_ninsho");
    let mut rng = StdRng::seed_from_u64(0x6e69_6e73_686f);
    let (originals, lines) = generate(&mut rng, SMALL);
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("accounts.txt");
    std::fs::write(&file, lines).unwrap();
    let mut kills = 0;
    let mut repairs_killed = 0;
    for step in [
        Step::Import,
        Step::Edit,
        Step::Next,
        Step::Remove,
        Step::Recovery,
    ] {
        // Left alone once, tracing: the points the command passes, in order.
        let traced = Trial::new(bin, step, &file, &originals).run(Kill::Never, true);
        let points: Vec<String> = traced
            .stderr
            .iter()
            .filter_map(|(_, l)| l.strip_prefix(crashpoint::REACHED))
            .map(str::to_string)
            .collect();
        let names: HashSet<&str> = points.iter().filter_map(|p| p.split('@').next()).collect();
        for expected in ["keyring.before-set", "keyring.after-set"]
            .iter()
            .filter(|_| step != Step::Remove)
            .chain(match step {
                Step::Remove => &["keyring.before-delete", "keyring.after-delete"][..],
                Step::Edit | Step::Next => &["vault.between-metadata-and-keyring"][..],
                _ => &[][..],
            })
            .chain(
                ["meta.before-rename", "meta.after-rename"]
                    .iter()
                    .filter(|_| step != Step::Recovery),
            )
        {
            assert!(
                names.contains(expected),
                "{step:?} never passed {expected}: {points:?}"
            );
        }
        for (k, point) in points.iter().enumerate() {
            let mut trial = Trial::new(bin, step, &file, &originals);
            let r = trial.run(Kill::At(point), false);
            assert!(r.killed, "{step:?} finished without stopping at {point}");
            kills += 1;
            let pending = pending_writes(&trial.env);
            let mut repair = "";
            if pending > 0 && k % 2 == 0 {
                let r = run_killed(
                    trial.env.cmd_with(bin).args(["list", "--json"]),
                    Kill::At("meta.before-rename"),
                    None,
                );
                repairs_killed += usize::from(r.killed);
                repair = if r.killed {
                    "; repair killed before its metadata write"
                } else {
                    "; repair finished"
                };
            }
            trial.check(&r);
            eprintln!("{step:?} killed at {point}; {pending} pending{repair}; nothing lost");
        }
    }
    eprintln!("{kills} kills at named points, {repairs_killed} repairs killed");
    assert!(repairs_killed > 0, "no repair was interrupted");
}
