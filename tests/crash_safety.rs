//! Protects: SIGKILL at any named write point of an import, an edit, a HOTP
//! "next code", a removal, a recovery-code add or the start-up repair after one
//! loses nothing the CLI reported done, and once a start has repaired, no
//! account lacks its secret and no keyring item lacks its account.
//!
//! Named points (`src/vault/crashpoint.rs`, debug builds): the process stops
//! before and after each keyring write and metadata rename, and between the
//! halves of an edit, and is killed there. Every point of every command is
//! tried, so the verdict does not depend on the machine's speed. Kills at random
//! instants, with 500 accounts, are in `tests/crash_random.rs`. Every trial runs
//! twice: with the secrets in the keyring, and in the encrypted file store
//! (issue 20), whose writes pass the same named points.
#![cfg(unix)]

mod common;
#[path = "support/crash.rs"]
mod crash;
#[path = "support/private_keyring.rs"]
mod private_keyring;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use common::Env;
use crash::{
    AT, Kill, Names, Run, generate, names, pending_writes, restart_and_audit, run, run_killed,
};
use ninsho::otp::{Kind, OtpAccount};
use ninsho::vault::{Entry, Vault, crashpoint};
use rand::SeedableRng;
use rand::rngs::StdRng;
use uuid::Uuid;

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

/// Where the trial's data folder keeps its secrets.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Store {
    Keyring,
    /// The encrypted file store (issue 20).
    File,
}

impl<'a> Trial<'a> {
    fn new(
        bin: &'a str,
        store: Store,
        step: Step,
        file: &'a Path,
        originals: &'a [OtpAccount],
    ) -> Self {
        let env = match store {
            Store::Keyring => Env::new(),
            Store::File => Env::with_file_store(),
        };
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
                let vault = Vault::open(self.env.data.path(), self.env.store()).unwrap();
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
    // A keyring of its own, as tests/crash_random.rs has: a kill can catch
    // the client with a call in flight even at a named point (zbus reads
    // properties in the background), which can make gnome-keyring abort
    // (TRUST.md); then it is started again here, and the rest of the suite
    // never shares a keyring with these kills.
    let keyring = std::sync::Arc::new(private_keyring::PrivateKeyring::start());
    // SAFETY: the only test of this binary, before it starts any thread or
    // child: nothing else reads the environment now.
    unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", keyring.address()) };
    {
        let keyring = keyring.clone();
        crash::on_keyring_death(move || keyring.restart_if_dead());
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
    let steps = [
        Step::Import,
        Step::Edit,
        Step::Next,
        Step::Remove,
        Step::Recovery,
    ];
    for (store, step) in [Store::Keyring, Store::File]
        .into_iter()
        .flat_map(|store| steps.map(|step| (store, step)))
    {
        // Left alone once, tracing: the points the command passes, in order.
        let traced = Trial::new(bin, store, step, &file, &originals).run(Kill::Never, true);
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
                "{store:?}: {step:?} never passed {expected}: {points:?}"
            );
        }
        for (k, point) in points.iter().enumerate() {
            let mut trial = Trial::new(bin, store, step, &file, &originals);
            let r = trial.run(Kill::At(point), false);
            keyring.restart_if_dead();
            assert!(
                r.killed,
                "{store:?}: {step:?} finished without stopping at {point}"
            );
            kills += 1;
            let pending = pending_writes(&trial.env);
            let mut repair = "";
            if pending > 0 && k % 2 == 0 {
                let r = run_killed(
                    trial.env.cmd_with(bin).args(["list", "--json"]),
                    Kill::At("meta.before-rename"),
                    None,
                );
                keyring.restart_if_dead();
                repairs_killed += usize::from(r.killed);
                repair = if r.killed {
                    "; repair killed before its metadata write"
                } else {
                    "; repair finished"
                };
            }
            trial.check(&r);
            eprintln!(
                "{store:?}: {step:?} killed at {point}; {pending} pending{repair}; nothing lost"
            );
        }
    }
    eprintln!(
        "{kills} kills at named points, {repairs_killed} repairs killed; the keyring died and was restarted {} times",
        keyring.restarts()
    );
    assert!(repairs_killed > 0, "no repair was interrupted");
}
