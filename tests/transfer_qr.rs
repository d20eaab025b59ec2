//! Protects: the QR codes Ninsho shows to move accounts to a phone — Google
//! Authenticator transfer codes (ten accounts each, batch fields set) and one
//! account's code — rendered as the window renders them, read back by zbarimg
//! and by `ninsho scan` to exactly the same accounts.

mod common;
#[path = "support/corpus.rs"]
mod corpus;

use common::{Env, have_tool};
use ninsho::backup::qr::{self, Qr};
use ninsho::otp::{OtpAccount, format_uri, migration, parse_uri};

fn accounts() -> Vec<OtpAccount> {
    let mut list: Vec<OtpAccount> = (0..21)
        .map(|i| {
            let secret = data_encoding::BASE32_NOPAD.encode(format!("transfer-{i:02}").as_bytes());
            let kind = if i % 5 == 4 { "hotp" } else { "totp" };
            parse_uri(&format!(
                "otpauth://{kind}/Svc{i:02}:user{i}%40example.com?secret={secret}&issuer=Svc{i:02}&counter={i}&algorithm={}",
                ["SHA1", "SHA256", "SHA512"][i % 3]
            ))
            .unwrap()
            .account
        })
        .collect();
    list.push(
        parse_uri("otpauth://totp/%E3%83%84%E3%82%A4%E3%83%83%E3%82%BF%E3%83%BC:%E5%B1%B1%E7%94%B0%E5%A4%AA%E9%83%8E?secret=MFRGGZDFMZTWQ2LK&digits=8")
            .unwrap()
            .account,
    );
    list
}

/// The window's rendering (one pixel a module, shown with nearest-neighbour
/// scaling), at four pixels a module, as a PNG.
fn png(qr: &Qr, path: &std::path::Path) {
    let (side, px) = qr.to_rgba(4);
    image::save_buffer(
        path,
        &px,
        side as u32,
        side as u32,
        image::ExtendedColorType::Rgba8,
    )
    .unwrap();
}

fn canonical(accounts: &[OtpAccount]) -> Vec<String> {
    let mut v: Vec<String> = accounts.iter().map(|a| format_uri(a).to_string()).collect();
    v.sort();
    v
}

#[test]
fn transfer_codes_read_back_by_zbarimg_and_ninsho() {
    let accounts = accounts();
    let transfer = qr::transfer_codes(&accounts, 4242).unwrap();
    assert_eq!(transfer.codes.len(), 3);
    assert!(transfer.skipped.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let env = Env::new();
    let zbar = have_tool("zbarimg");
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for (i, (uri, code)) in transfer.codes.iter().enumerate() {
        let path = dir.path().join(format!("transfer-{i}.png"));
        png(code, &path);
        let json: Vec<serde_json::Value> =
            serde_json::from_str(&env.ok(&["scan", path.to_str().unwrap(), "--json"])).unwrap();
        assert_eq!(json.len(), if i < 2 { 10 } else { 2 });
        ours.extend(json.iter().map(|a| a.to_string()));
        if zbar {
            let read = corpus::zbar_reads(&path);
            assert_eq!(read, [uri.to_string()], "zbarimg reads the exact payload");
            let decoded = migration::parse_migration_uri(&read[0]).unwrap();
            assert_eq!(
                (decoded.batch.index, decoded.batch.size, decoded.batch.id),
                (i as i32, 3, 4242)
            );
            theirs.extend(decoded.accounts);
        }
    }
    // `scan --json` prints each account in the same shape as `to_json`.
    let mut expected: Vec<String> = accounts.iter().map(|a| a.to_json().to_string()).collect();
    expected.sort();
    ours.sort();
    assert_eq!(ours, expected);
    if zbar {
        assert_eq!(canonical(&theirs), canonical(&accounts));
    }
}

#[test]
fn one_account_code_read_back_by_zbarimg() {
    if !have_tool("zbarimg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for a in accounts().iter().step_by(7) {
        let path = dir.path().join("one.png");
        png(&qr::account_qr(a).unwrap(), &path);
        assert_eq!(corpus::zbar_reads(&path), [format_uri(a).to_string()]);
    }
}
