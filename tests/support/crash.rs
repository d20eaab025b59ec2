//! Shared by the crash-safety tests (`tests/crash_safety.rs`, named points;
//! `tests/crash_random.rs`, random instants): running the binary with a kill,
//! and the audit of the vault and the keyring after a restart.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Env;
use ninsho::otp::{self, OtpAccount};
use ninsho::vault::{Entry, SecretStore, State, Vault, crashpoint, meta};
use rand::Rng;
use rand::rngs::StdRng;
use uuid::Uuid;

/// Codes are compared at this fixed time.
pub const AT: u64 = 1_700_000_000;

/// Set by a test whose private keyring can die under the kills
/// (gnome-keyring aborts when a client goes away while it answers it,
/// TRUST.md): starts it again when it is dead, and says whether it did.
static KEYRING_RECOVERY: std::sync::OnceLock<Box<dyn Fn() -> bool + Send + Sync>> =
    std::sync::OnceLock::new();

/// Registers [`KEYRING_RECOVERY`].
pub fn on_keyring_death(recover: impl Fn() -> bool + Send + Sync + 'static) {
    let _ = KEYRING_RECOVERY.set(Box::new(recover));
}

/// `count` accounts with varied parameters and unique names, as `otpauth://`
/// lines; every tenth (the first among them) is HOTP.
pub fn generate(rng: &mut StdRng, count: usize) -> (Vec<OtpAccount>, String) {
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
pub struct Run {
    pub stdout: Vec<String>,
    /// Lines with their time since the start, in seconds.
    pub stderr: Vec<(f64, String)>,
    pub killed: bool,
    pub success: bool,
    pub elapsed: f64,
}

/// When a run is killed: never, after a delay, or once it stops at a named point.
pub enum Kill<'a> {
    Never,
    After(f64),
    /// `NINSHO_TEST_STOP_AT` (debug builds, `src/vault/crashpoint.rs`).
    At(&'a str),
}

pub fn run(cmd: &mut Command, kill_after: Option<f64>) -> Run {
    run_killed(cmd, kill_after.map_or(Kill::Never, Kill::After), None)
}

pub fn run_killed(cmd: &mut Command, kill: Kill, stdin: Option<&str>) -> Run {
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
pub fn pending_writes(env: &Env) -> usize {
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
pub fn restart_and_audit(
    env: &Env,
    bin: &str,
    originals: &[OtpAccount],
    ids: &mut HashMap<Uuid, usize>,
) -> (Vec<Entry>, Vec<String>) {
    audit(env, bin, originals, ids, None)
}

/// [`restart_and_audit`], reading only `only`'s secret from the keyring (edits
/// never write there; the phase ends with a full audit).
pub fn audit(
    env: &Env,
    bin: &str,
    originals: &[OtpAccount],
    ids: &mut HashMap<Uuid, usize>,
    only: Option<Uuid>,
) -> (Vec<Entry>, Vec<String>) {
    let mut out = run(env.cmd_with(bin).args(["list", "--json"]), None);
    // The keyring can abort a moment after a kill, after the check that
    // followed it answered (T5, TRUST.md): then it is started again on its
    // files and the audit's start (the repair) runs again; that is
    // gnome-keyring's fault, not a verdict on Ninsho.
    if out.stderr.iter().any(|(_, l)| l.contains("keyring error"))
        && KEYRING_RECOVERY.get().is_some_and(|recover| recover())
    {
        eprintln!("!! the keyring died during the audit; started again, audited again");
        out = run(env.cmd_with(bin).args(["list", "--json"]), None);
    }
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

    let vault = Vault::open(dir, env.store()).unwrap();
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

pub fn summarise(notes: &[String]) -> String {
    let count = |what: &str| notes.iter().filter(|n| n.contains(what)).count();
    format!(
        "repair: {} finished adding, {} dropped, {} finished removing, {} restored",
        count("finished adding"),
        count("dropped"),
        count("finished removing"),
        count("restored"),
    )
}

pub type Names = (String, String, String, Option<u64>);

pub fn names(e: &Entry) -> Names {
    (e.issuer.clone(), e.name.clone(), e.group.clone(), e.counter)
}
