//! Protects: secret types wipe their bytes before the memory goes back to the
//! allocator, so a later allocation (or a core dump) cannot read them.
//!
//! How, without undefined behaviour: this test binary's global allocator hands
//! out zeroed blocks (so every byte is initialised; `realloc` is the default
//! alloc-copy-free, so grown buffers pass through `dealloc` too) and, while
//! armed, looks in each block as it is freed, when the memory is still ours,
//! for a marker. Each case plants the marker as a secret, drops the value, and
//! counts the freed blocks that still held it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine;
use ninsho::otp::{self, Secret};

/// Twenty bytes no allocation would hold by chance.
const MARKER: [u8; 20] = [
    0x8f, 0x13, 0x7a, 0x71, 0xd2, 0x01, 0xee, 0x5a, 0x77, 0xc4, 0x90, 0x3b, 0x1f, 0xa6, 0x02, 0x6d,
    0xb9, 0x44, 0xc8, 0x3e,
];
/// Its base32 text (`R4JXU4OSAHXFU56ESA5R7JQCNW4UJSB6`) in upper case: the form
/// secrets take in URIs, keyring items and forms.
const MARKER_TEXT: &[u8] = b"R4JXU4OSAHXFU56ESA5R7JQCNW4UJSB6";

thread_local! {
    /// Armed on the thread running a case only: the other tests run at the same
    /// time on other threads and free secrets of their own.
    static ARMED: Cell<bool> = const { Cell::new(false) };
}
static HITS: AtomicUsize = AtomicUsize::new(0);

struct Watching;

unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.try_with(Cell::get).unwrap_or(false) {
            // SAFETY: the block is still allocated, `layout.size()` long, and every
            // byte was initialised (zeroed at allocation, then written by its owner).
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            let holds = |m: &[u8]| block.len() >= m.len() && block.windows(m.len()).any(|w| w == m);
            if holds(&MARKER) || holds(MARKER_TEXT) {
                HITS.fetch_add(1, Ordering::SeqCst);
            }
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Watching = Watching;

/// One case at a time: the counters are global.
static SERIAL: Mutex<()> = Mutex::new(());

/// How many freed blocks still held the marker while `f` ran.
fn leaks(f: impl FnOnce()) -> usize {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    HITS.store(0, Ordering::SeqCst);
    ARMED.with(|a| a.set(true));
    f();
    ARMED.with(|a| a.set(false));
    HITS.load(Ordering::SeqCst)
}

fn marker_text() -> zeroize::Zeroizing<String> {
    zeroize::Zeroizing::new(String::from_utf8(MARKER_TEXT.to_vec()).unwrap())
}

#[test]
fn the_watch_sees_an_ordinary_vec_freed_with_the_marker() {
    assert_eq!(
        data_encoding::BASE32_NOPAD.encode(&MARKER).as_bytes(),
        MARKER_TEXT
    );
    assert_eq!(leaks(|| drop(std::hint::black_box(MARKER.to_vec()))), 1);
    assert_eq!(
        leaks(|| drop(std::hint::black_box(String::from_utf8(
            MARKER_TEXT.to_vec()
        )))),
        1
    );
}

#[test]
fn secret_is_wiped_on_drop() {
    assert_eq!(
        leaks(|| drop(std::hint::black_box(
            Secret::from_bytes(MARKER.to_vec()).unwrap()
        ))),
        0
    );
}

#[test]
fn parsing_base32_leaves_no_copy() {
    let typed = zeroize::Zeroizing::new(format!("  {}  ", marker_text().to_lowercase()));
    assert_eq!(
        leaks(|| {
            let s = Secret::parse_base32(&typed).unwrap();
            assert_eq!(s.as_bytes(), MARKER);
            assert_eq!(s.to_base32().as_bytes(), MARKER_TEXT);
        }),
        0
    );
}

#[test]
fn parsing_a_uri_leaves_no_copy() {
    let uri = zeroize::Zeroizing::new(format!(
        "otpauth://totp/Example:alice?secret={}&issuer=Example",
        marker_text().as_str()
    ));
    assert_eq!(
        leaks(|| {
            let parsed = otp::parse_uri(&uri).unwrap();
            assert_eq!(parsed.account.secret.as_bytes(), MARKER);
            assert!(otp::format_uri(&parsed.account).contains(marker_text().as_str()));
        }),
        0
    );
}

#[test]
fn reading_a_google_transfer_code_leaves_no_copy() {
    let account = otp::parse_uri(&format!(
        "otpauth://totp/Example:alice?secret={}",
        marker_text().as_str()
    ))
    .unwrap()
    .account;
    let (payloads, _) = otp::migration::encode_payloads(&[account], 10, 1);
    let mut payload = zeroize::Zeroizing::new(payloads.into_iter().next().unwrap());
    let uri = zeroize::Zeroizing::new(format!(
        "otpauth-migration://offline?data={}",
        base64::engine::general_purpose::STANDARD.encode(&*payload)
    ));
    zeroize::Zeroize::zeroize(&mut *payload);
    // Known and out of our hands: prost decodes a nested message's `bytes` field
    // through a temporary `Bytes` it frees unwiped (prost 0.14 encoding.rs,
    // `replace_with(buf.copy_to_bytes(len))`). Our own buffers (the decoded
    // payload, the parameters, the secret) must add nothing to that one copy.
    assert_eq!(
        leaks(|| {
            let decoded = otp::migration::parse_migration_uri(&uri).unwrap();
            assert_eq!(decoded.accounts[0].secret.as_bytes(), MARKER);
        }),
        1
    );
}

#[test]
fn a_vault_round_trip_leaves_no_copy() {
    use ninsho::vault::{MemoryStore, Vault};
    let dir = tempfile::tempdir().unwrap();
    let account = otp::parse_uri(&format!(
        "otpauth://totp/Example:alice?secret={}",
        marker_text().as_str()
    ))
    .unwrap()
    .account;
    assert_eq!(
        leaks(|| {
            let mut vault = Vault::open(dir.path(), MemoryStore::new()).unwrap();
            let report = vault.add(vec![account], &mut |_, _| {}).unwrap();
            let back = vault.account(&report.added[0]).unwrap();
            assert_eq!(back.secret.as_bytes(), MARKER);
        }),
        0
    );
}

/// The account the export cases write out.
fn marker_account() -> otp::OtpAccount {
    otp::parse_uri(&format!(
        "otpauth://totp/Example:alice?secret={}&issuer=Example",
        marker_text().as_str()
    ))
    .unwrap()
    .account
}

/// Gives at most 512 bytes a read, as a pipe does, and no size hint.
struct Pipe<'a>(&'a [u8]);

impl std::io::Read for Pipe<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(512).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

/// `add --secret -` (and `code --uri -`, `recovery add`): standard input is
/// read through wiping buffers. A growing `String` freed a copy of what it had
/// read each time it grew (regression, hardening issue).
#[test]
fn reading_a_secret_from_standard_input_leaves_no_copy() {
    // Long enough input that a growing buffer would have to grow several times.
    let input = zeroize::Zeroizing::new(format!(
        "{}{}\n",
        marker_text().as_str(),
        " ".repeat(20_000)
    ));
    assert_eq!(
        leaks(|| {
            let text =
                otp::wipe::read_text(Pipe(input.as_bytes()), 1 << 20, "standard input").unwrap();
            let secret = Secret::parse_base32(&text).unwrap();
            assert_eq!(secret.as_bytes(), MARKER);
        }),
        0
    );
    // The control: the way it was read before leaves copies.
    assert!(
        leaks(|| {
            let mut s = zeroize::Zeroizing::new(String::new());
            std::io::Read::read_to_string(&mut Pipe(input.as_bytes()), &mut s).unwrap();
        }) > 0
    );
}

/// `export --format aegis-encrypted`, `aegis` and `otpauth`: the rendered file
/// is the only copy, and it is wiped when dropped (regression: three freed
/// copies for the encrypted vault, one per growth for the URI list).
#[test]
fn exports_leave_no_copy() {
    use ninsho::formats::export::{ExportInput, export_by_name};
    let accounts = vec![marker_account(); 40];
    let groups = vec!["Work".to_string(); 40];
    for (format, password) in [
        ("aegis-encrypted", Some("correct horse")),
        ("aegis", None),
        ("otpauth", None),
    ] {
        let render = export_by_name(format).unwrap().render;
        assert_eq!(
            leaks(|| {
                let bytes = render(&ExportInput {
                    accounts: &accounts,
                    groups: &groups,
                    password,
                    ..Default::default()
                })
                .unwrap();
                assert!(bytes.len() > 1000);
            }),
            0,
            "{format}"
        );
    }
}

/// `recovery add`: the codes read, split and stored leave no freed copy
/// (regression: six codes were found in freed memory).
#[test]
fn adding_recovery_codes_leaves_no_copy() {
    use ninsho::vault::recovery::split_codes;
    use ninsho::vault::{MemoryStore, Vault};
    let dir = tempfile::tempdir().unwrap();
    let mut vault = Vault::open(dir.path(), MemoryStore::new()).unwrap();
    let report = vault.add(vec![marker_account()], &mut |_, _| {}).unwrap();
    let id = report.added[0].id;
    let pasted = zeroize::Zeroizing::new(format!(
        "{m}-1 {m}-2\n{m}-3, {m}-4\n{m}-5 {m}-6\n",
        m = marker_text().as_str()
    ));
    assert_eq!(
        leaks(|| {
            let text =
                otp::wipe::read_text(Pipe(pasted.as_bytes()), 1 << 20, "standard input").unwrap();
            let codes = zeroize::Zeroizing::new(split_codes(&text));
            let added = vault.add_recovery_codes(id, &codes).unwrap();
            assert_eq!(added.added, 6);
        }),
        0
    );
}
