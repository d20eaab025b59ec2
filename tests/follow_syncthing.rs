//! Protects: following another desktop's backups through a folder that a real
//! sync engine keeps in step (issue 19). Two Syncthing instances on 127.0.0.1
//! share one folder (`tests/support/syncthing.rs`); a file written on one side
//! arrives whole on the other.
//!
//! Skips with the reason where Syncthing is not installed; `.ci/test` installs
//! it and sets `NINSHO_TEST_SYNCTHING=1`, under which it must run. Unix only:
//! on Windows Syncthing's temporary names are `~syncthing~NAME.tmp`.
#![cfg(unix)]

#[path = "support/syncthing.rs"]
mod syncthing;

use std::time::Instant;

use rand::RngCore;
use syncthing::{Side, write_atomically};

#[test]
fn syncthing_carries_a_file_from_one_folder_to_the_other() {
    let Some(pair) = syncthing::pair_or_skip() else {
        return;
    };
    eprintln!("start-up: both connected and idle after {:?}", pair.startup);

    // Several of Syncthing's 128 KiB blocks, so that a file renamed into
    // place before it was complete would have a chance to be seen.
    let mut bytes = vec![0; 1024 * 1024 + 4321];
    rand::rng().fill_bytes(&mut bytes);
    let name = "ninsho-backup-desktop-a-20261203-090000.json";

    let sent = Instant::now();
    write_atomically(pair.a_folder(), name, &bytes).expect("written in A's folder");
    pair.scan(Side::A).expect("A scans");
    let scanned = sent.elapsed();
    let arrival = pair
        .wait_for_file(Side::B, name, &bytes)
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "round trip: A's write to identical bytes in B's folder in {:?} (A's scan {scanned:?}; \
         Syncthing's temporary file seen in B: {})",
        sent.elapsed(),
        arrival.saw_temporary
    );
    assert!(
        arrival.other_contents.is_empty(),
        "B's folder showed {name} before it was complete, with sizes {:?} (expected {})",
        arrival.other_contents,
        bytes.len()
    );

    // Once both are in step, nothing but the file is in B's folder: not A's
    // temporary name (Syncthing never sends it), not B's own.
    pair.wait_synced().unwrap_or_else(|e| panic!("{e}"));
    let mut names: Vec<String> = std::fs::read_dir(pair.b_folder())
        .expect("B's folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".stfolder", name]);
}
