//! Protects: hostile input of every kind the CLI reads (URIs, transfer data,
//! images, import files) ends in exit 1 with one line naming the problem, never a
//! panic, and writes nothing: the data folder and the keyring are byte for byte
//! what they were.
//!
//! One table; every input is made here (no binary blobs in git). Simple malformed
//! URIs and fields are in malformed_input.rs, scanner behaviour in scan_cli.rs;
//! this table is what an attacker would hand over: bombs, truncations, wrong
//! passwords and versions, deep nesting, huge fields, broken encodings, and
//! terminal escape sequences (a message quotes at most a short, escaped excerpt).

mod common;
#[path = "support/corpus.rs"]
mod corpus;

use std::path::Path;

use base64::Engine;
use common::{Env, all_files, assert_clean_error};
use ninsho::otp::migration::{MigrationPayload, OtpParameters};
use ninsho::otp::{OtpAccount, Params, Secret};
use prost::Message;

enum Run {
    /// `code --uri U --at 0` and `add U`, each must fail the same way.
    Uri(String),
    /// `import FILE` with optional `--format` and password.
    Import {
        bytes: Vec<u8>,
        format: Option<&'static str>,
        password: Option<&'static str>,
    },
    /// `scan FILE`.
    Scan(Vec<u8>),
    /// Any other arguments; `{dir}` is replaced by a scratch folder.
    Args(Vec<String>),
}

struct Case {
    what: String,
    run: Run,
    /// The message must contain this.
    expect: &'static str,
}

fn uri(what: &str, uri: impl Into<String>, expect: &'static str) -> Case {
    Case {
        what: what.into(),
        run: Run::Uri(uri.into()),
        expect,
    }
}

fn import(what: &str, bytes: impl Into<Vec<u8>>, expect: &'static str) -> Case {
    import_as(what, None, None, bytes, expect)
}

fn import_as(
    what: &str,
    format: Option<&'static str>,
    password: Option<&'static str>,
    bytes: impl Into<Vec<u8>>,
    expect: &'static str,
) -> Case {
    Case {
        what: what.into(),
        run: Run::Import {
            bytes: bytes.into(),
            format,
            password,
        },
        expect,
    }
}

fn scan(what: &str, bytes: Vec<u8>, expect: &'static str) -> Case {
    Case {
        what: what.into(),
        run: Run::Scan(bytes),
        expect,
    }
}

fn migration_uri(payload: &[u8]) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(payload);
    let data = percent_encoding::utf8_percent_encode(&data, percent_encoding::NON_ALPHANUMERIC);
    format!("otpauth-migration://offline?data={data}")
}

/// One transfer entry; fields as Google's protobuf numbers them.
fn entry(secret: &[u8], name: &str, algorithm: i32, r#type: i32, counter: i64) -> OtpParameters {
    OtpParameters {
        secret: secret.to_vec(),
        name: name.into(),
        issuer: "Example".into(),
        algorithm,
        digits: 1,
        r#type,
        counter,
    }
}

fn payload(entries: Vec<OtpParameters>) -> Vec<u8> {
    MigrationPayload {
        otp_parameters: entries,
        version: 1,
        batch_size: 1,
        batch_index: 0,
        batch_id: 7,
    }
    .encode_to_vec()
}

fn transfer_file(payload: &[u8]) -> Vec<u8> {
    format!("{}\n", migration_uri(payload)).into_bytes()
}

fn png(width: u32, height: u32, pixels: Vec<u8>) -> Vec<u8> {
    let img = image::GrayImage::from_raw(width, height, pixels).unwrap();
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A PNG that ends right after declaring these dimensions.
fn png_header(width: u32, height: u32, color: u8) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, color, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    common::png_chunk(&mut png, b"IHDR", &ihdr);
    // The start of a zlib stream: decoders read up to the first IDAT for the size.
    common::png_chunk(&mut png, b"IDAT", &[0x78, 0x9c]);
    png
}

fn aegis_plain(entries: &str) -> String {
    format!(
        r#"{{"version": 1, "header": {{"slots": null, "params": null}}, "db": {{"version": 3, "entries": [{entries}]}}}}"#
    )
}

fn aegis_entry(issuer: &str, name: &str, secret: &str) -> String {
    format!(
        r#"{{"type": "totp", "uuid": "u", "name": "{name}", "issuer": "{issuer}", "info": {{"secret": "{secret}", "algo": "SHA1", "digits": 6, "period": 30}}}}"#
    )
}

/// A real encrypted Aegis vault (Ninsho's own exporter, Aegis's parameters).
fn aegis_encrypted(password: &str) -> serde_json::Value {
    let account = OtpAccount {
        issuer: "Example".into(),
        name: "me".into(),
        secret: Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap(),
        params: Params::default(),
        extra: vec![],
    };
    let bytes = ninsho::formats::aegis::export(&[account], &[String::new()], &[], Some(password))
        .unwrap()
        .to_vec();
    serde_json::from_slice(&bytes).unwrap()
}

/// Grey pixels of a square picture tiled with QR finder patterns (7x7
/// modules: dark ring, light ring, 3x3 dark centre), `module` pixels a module,
/// one every `period` modules from `offset` pixels in.
fn finder_lattice(side: u32, module: u32, period: u32, offset: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((side * side) as usize);
    for y in 0..side {
        for x in 0..side {
            let dark = match (x.checked_sub(offset), y.checked_sub(offset)) {
                (Some(x), Some(y)) => {
                    let (mx, my) = ((x / module) % period, (y / module) % period);
                    mx < 7 && my < 7 && mx.min(my).min(6 - mx).min(6 - my) != 1
                }
                _ => false,
            };
            pixels.push(if dark { 0 } else { 255 });
        }
    }
    pixels
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

const BW_HEADER: &str = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n";

/// `harness`: the real keyring is there, so cases that reach the vault's own
/// checks can run (elsewhere they stop at "keyring unavailable").
fn cases(fixtures: Option<&Path>, harness: bool) -> Vec<Case> {
    let long = |n: usize| "x".repeat(n);
    let mut c = vec![
        // --- URIs ---
        uri(
            "URI longer than any QR code",
            format!("otpauth://totp/a?secret=JBSWY3DP&image={}", long(20_000)),
            "the otpauth URI is too long",
        ),
        uri(
            "URI that grows past the limit when written out",
            format!("otpauth://totp/a?secret=JBSWY3DP&note={}", "!".repeat(4000)),
            "the otpauth URI is too long (12",
        ),
        uri(
            "4 KB secret",
            format!("otpauth://totp/a?secret={}", "A".repeat(4000)),
            "the secret is 2500 bytes long",
        ),
        uri(
            "huge account name",
            format!("otpauth://totp/Ex:{}?secret=JBSWY3DP", long(3000)),
            "the account name is 3000 characters long",
        ),
        uri(
            "huge issuer parameter",
            format!("otpauth://totp/a?secret=JBSWY3DP&issuer={}", long(1000)),
            "the issuer is 1000 characters long",
        ),
        uri(
            "invalid UTF-8 in the secret",
            "otpauth://totp/a?secret=JBSW%FF%FE",
            "percent-encoding (not UTF-8) in secret",
        ),
        uri(
            "invalid UTF-8 in the issuer",
            "otpauth://totp/a?secret=JBSWY3DP&issuer=%C0%AF",
            "percent-encoding (not UTF-8) in issuer",
        ),
        uri(
            "control character in the secret",
            "otpauth://totp/a?secret=JBSW%00Y3DP",
            "not valid base32",
        ),
        uri(
            "period beyond 64 bits",
            "otpauth://totp/a?secret=JBSWY3DP&period=184467440737095516160",
            "period must be",
        ),
        uri(
            "negative digits",
            "otpauth://totp/a?secret=JBSWY3DP&digits=-6",
            "digits must be",
        ),
        uri(
            "one slash after the scheme",
            "otpauth:/totp/a?secret=JBSWY3DP",
            "not an otpauth:// URI",
        ),
        uri(
            "base32 of impossible length",
            "otpauth://totp/a?secret=JBSWY3DPE",
            "not a possible base32 length",
        ),
        uri(
            "terminal escape sequence instead of a URI",
            "\u{1b}]0;pwned\u{7}\u{1b}[2Jotpauth://totp/a?secret=JBSWY3DP",
            "not an otpauth:// URI: \"\\u{1b}]0;pwned\\u{7}",
        ),
        uri(
            "terminal escape in an unknown type",
            "otpauth://t\u{1b}[31motp/a?secret=JBSWY3DP",
            "unknown OTP type \"t\\u{1b}[31motp\"",
        ),
        uri(
            "NUL in the account name",
            "otpauth://totp/Ex:a%00b?secret=JBSWY3DP",
            "the account name contains a control or text-direction character (\\u{0})",
        ),
        uri(
            "newline in the account name (a fake row in `list`)",
            "otpauth://totp/Ex:a%0AGitHub%20(me)?secret=JBSWY3DP",
            "the account name contains a control or text-direction character (\\u{a})",
        ),
        uri(
            "terminal escapes in the issuer parameter",
            "otpauth://totp/a?secret=JBSWY3DP&issuer=%1B%5D0%3Bpwned%07%1B%5B2J",
            "the issuer contains a control or text-direction character (\\u{1b})",
        ),
        uri(
            "right-to-left override in the issuer",
            "otpauth://totp/a?secret=JBSWY3DP&issuer=moc.elgoog%E2%80%AE",
            "the issuer contains a control or text-direction character (\\u{202e})",
        ),
        uri(
            "C1 control in the account name",
            "otpauth://totp/Ex:a%C2%9Bb?secret=JBSWY3DP",
            "(\\u{9b})",
        ),
        // --- Google Authenticator transfer data ---
        import(
            "transfer URI with bad base64",
            "otpauth-migration://offline?data=%%%%\n",
            "not valid base64",
        ),
        import(
            "transfer data that is not protobuf",
            transfer_file(&[0xff; 16]),
            "not a Google Authenticator export",
        ),
        import(
            "transfer data with no accounts",
            transfer_file(&payload(vec![])),
            "holds no accounts",
        ),
        import(
            "transfer entry with an empty secret",
            transfer_file(&payload(vec![entry(b"", "a", 1, 2, 0)])),
            "the secret is empty",
        ),
        import(
            "transfer entry with MD5",
            transfer_file(&payload(vec![entry(b"12345678", "a", 4, 2, 0)])),
            "MD5 codes are not supported",
        ),
        import(
            "transfer entry of unknown type",
            transfer_file(&payload(vec![entry(b"12345678", "a", 1, 9, 0)])),
            "unknown OTP type number 9",
        ),
        import(
            "transfer entry with a negative counter",
            transfer_file(&payload(vec![entry(b"12345678", "a", 1, 1, -5)])),
            "negative HOTP counter -5",
        ),
        import(
            "transfer entry with a 4 KB secret",
            transfer_file(&payload(vec![entry(&[7; 4096], "a", 1, 2, 0)])),
            "the secret is 4096 bytes long",
        ),
        import(
            "transfer entry with a huge name",
            transfer_file(&payload(vec![entry(b"12345678", &long(100_000), 1, 2, 0)])),
            "the account name is 100000 characters long",
        ),
        import(
            "transfer data nested 10 000 groups deep",
            transfer_file(&[0x0b; 10_000]),
            "not a Google Authenticator export",
        ),
        import(
            "transfer URI for another host",
            "otpauth-migration://online?data=CgA%3D\n",
            "not an otpauth-migration://offline URI",
        ),
        // --- Images ---
        scan("zero-byte image", vec![], "not an image"),
        scan(
            "text with an image name",
            b"hello, I am a PNG".to_vec(),
            "not an image",
        ),
        scan(
            "PNG header of 20000x1 pixels",
            png_header(20_000, 1, 0),
            "20000x1 pixels, too large",
        ),
        scan(
            "PNG header of 16384x16384 RGBA pixels",
            png_header(16_384, 16_384, 6),
            "16384x16384 pixels, too large",
        ),
        scan(
            "PNG header with zero width",
            png_header(0, 100, 0),
            "damaged or unsupported",
        ),
        scan(
            "small PNG of 8192x8192 blank pixels (a bomb within limits)",
            png(8192, 8192, vec![255; 8192 * 8192]),
            "no QR code found",
        ),
        scan(
            "PNG cut in half",
            {
                let full = png(300, 300, (0..90_000).map(|i| (i * 7 % 251) as u8).collect());
                full[..full.len() / 2].to_vec()
            },
            "damaged or unsupported",
        ),
        scan(
            "GIF signature alone",
            b"GIF89a".to_vec(),
            "damaged or unsupported",
        ),
        scan(
            "JPEG start marker alone",
            vec![0xff, 0xd8, 0xff, 0xe0, 0, 0x10],
            "damaged or unsupported",
        ),
        scan(
            "BMP header with negative size",
            {
                let mut bmp = b"BM".to_vec();
                bmp.extend_from_slice(&[0; 12]);
                bmp.extend_from_slice(&40u32.to_le_bytes());
                bmp.extend_from_slice(&i32::MIN.to_le_bytes());
                bmp.extend_from_slice(&i32::MIN.to_le_bytes());
                bmp.extend_from_slice(&[1, 0, 24, 0]);
                bmp.extend_from_slice(&[0; 24]);
                bmp
            },
            "damaged or unsupported",
        ),
        scan(
            "RIFF/WebP header with garbage",
            b"RIFF\x20\x00\x00\x00WEBPVP8 \x10\x00\x00\x00garbagegarbage!!".to_vec(),
            "damaged or unsupported",
        ),
        scan(
            "QR code of an otpauth URI with a bad secret",
            corpus::code_page(&["otpauth://totp/Bad?secret=JBSW1111"], 6),
            "could not be read: the secret is not valid base32",
        ),
        scan(
            "QR code of a transfer URI with bad base64",
            corpus::code_page(&["otpauth-migration://offline?data=%%%%"], 6),
            "not valid base64",
        ),
        scan(
            "QR code whose account name carries terminal escapes",
            corpus::code_page(
                &["otpauth://totp/Ex:a%1B%5D0%3Bpwned%07%1B%5B2J?secret=JBSWY3DP"],
                6,
            ),
            "could not be read: the account name contains a control or text-direction character (\\u{1b})",
        ),
        scan(
            "460x460 PNG tiled with 14x14 QR finder patterns",
            png(460, 460, finder_lattice(460, 4, 8, 6)),
            "the search stopped early",
        ),
        // --- Import files ---
        import("zero-byte file", "", "could not tell what kind of file"),
        import_as(
            "Aegis vault of a newer file version",
            None,
            None,
            r#"{"version": 2, "header": {"slots": null}, "db": {"entries": []}}"#,
            "Aegis vault file version 2 is newer",
        ),
        import(
            "Aegis database of a newer version",
            r#"{"version": 1, "header": {"slots": null}, "db": {"version": 4, "entries": []}}"#,
            "Aegis database version 4 is newer",
        ),
        import(
            "Aegis entry with a 1 MB issuer",
            aegis_plain(&aegis_entry(&long(1 << 20), "me", "JBSWY3DPEHPK3PXP")),
            "the issuer is 1048576 characters long",
        ),
        import(
            "Aegis entry with a 1 MB secret",
            aegis_plain(&aegis_entry("Ex", "me", &"A".repeat(1 << 20))),
            "the secret is 655360 bytes long",
        ),
        import(
            "Aegis entry with a terminal escape in its type",
            aegis_plain(&aegis_entry("A", "a", "JBSWY3DP").replace("totp", "\\u001b[2Jtotp")),
            "unknown type \"\\u{1b}[2Jtotp\"",
        ),
        import(
            "Aegis entries with nothing importable",
            aegis_plain(&format!(
                "{},{}",
                aegis_entry("A", "a", "JBSW1"),
                aegis_entry("B", "b", "")
            )),
            "(and 1 more entries could not be read)",
        ),
        import_as(
            "JSON nested 100 000 deep",
            Some("aegis"),
            None,
            nested(100_000),
            "not valid JSON",
        ),
        import(
            "Aegis database nested 100 000 deep",
            format!(
                r#"{{"version": 1, "header": {{"slots": null}}, "db": {{"entries": {}}}}}"#,
                nested(100_000)
            ),
            "could not tell what kind of file",
        ),
        import_as(
            "Aegis vault with bad UTF-8",
            Some("aegis"),
            None,
            [&b"{\"version\": 1, \"header\": {}, \"db\": \"\xff\xfe\"}"[..]].concat(),
            "it is not UTF-8 text",
        ),
        import_as(
            "UTF-16 JSON",
            None,
            None,
            "{\"services\": []}"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>(),
            "could not tell what kind of file",
        ),
        import(
            "encrypted Aegis vault without a password",
            aegis_encrypted("right").to_string(),
            "is encrypted; pass --password-file",
        ),
        import_as(
            "encrypted Aegis vault, wrong password",
            None,
            Some("wrong"),
            aegis_encrypted("right").to_string(),
            "wrong password for this Aegis vault",
        ),
        import_as(
            "encrypted Aegis vault, ciphertext cut short",
            None,
            Some("right"),
            {
                let mut v = aegis_encrypted("right");
                let b64 = base64::engine::general_purpose::STANDARD;
                let db = b64.decode(v["db"].as_str().unwrap()).unwrap();
                v["db"] = b64.encode(&db[..db.len() / 2]).into();
                v.to_string()
            },
            "Aegis vault file is damaged or truncated",
        ),
        import_as(
            "encrypted Aegis vault asking for 8 GiB of scrypt",
            None,
            Some("right"),
            {
                let mut v = aegis_encrypted("right");
                v["header"]["slots"][0]["n"] = (1u64 << 20).into();
                v["header"]["slots"][0]["r"] = 64.into();
                v.to_string()
            },
            "Ninsho refuses it",
        ),
        import_as(
            "encrypted Aegis vault asking for 2^40 scrypt",
            None,
            Some("right"),
            {
                let mut v = aegis_encrypted("right");
                v["header"]["slots"][0]["n"] = (1u64 << 40).into();
                v.to_string()
            },
            "Ninsho refuses it",
        ),
        import_as(
            "encrypted Aegis vault with a non-hex nonce",
            None,
            Some("right"),
            {
                let mut v = aegis_encrypted("right");
                v["header"]["params"]["nonce"] = "zz".into();
                v.to_string()
            },
            "\"nonce\" is not hexadecimal",
        ),
        import(
            "2FAS backup with a 1 MB secret",
            format!(
                r#"{{"schemaVersion": 4, "services": [{{"name": "A", "secret": "{}", "otp": {{"account": "a"}}}}]}}"#,
                "A".repeat(1 << 20)
            ),
            "the secret is 655360 bytes long",
        ),
        import_as(
            "encrypted 2FAS backup with bad base64",
            None,
            Some("test"),
            r#"{"schemaVersion": 4, "services": [], "servicesEncrypted": "!!!:AAAA:AAAA"}"#,
            "encrypted part is not base64",
        ),
        import_as(
            "encrypted 2FAS backup with two fields",
            None,
            Some("test"),
            r#"{"schemaVersion": 4, "services": [], "servicesEncrypted": "AAAA:AAAA"}"#,
            "does not have three fields",
        ),
        import_as(
            "andOTP backup cut to its header",
            Some("andotp"),
            Some("test"),
            vec![0, 2, 0x22, 0xe0, 1, 2, 3, 4, 5],
            "wrong password, or the file is damaged",
        ),
        import_as(
            "encrypted andOTP backup without a password",
            Some("andotp"),
            None,
            vec![0x42; 64],
            "is encrypted; pass --password-file",
        ),
        import_as(
            "Stratum backup cut after its header",
            None,
            Some("test"),
            b"AUTHENTICATORPRO\x01\x02\x03".to_vec(),
            "ends before its encrypted contents",
        ),
        import_as(
            "Stratum legacy backup, wrong key",
            None,
            Some("test"),
            [&b"AuthenticatorPro"[..], &[9; 20 + 16 + 32]].concat(),
            "wrong password, or the file is damaged",
        ),
        import(
            "password-protected Proton export",
            r#"{"version": 1, "salt": "c2FsdA==", "content": "AAAA", "entries": []}"#,
            "password-protected Proton Authenticator exports are not supported",
        ),
        import_as(
            "password-protected Proton export, --format proton",
            Some("proton"),
            None,
            r#"{"version": 1, "salt": "c2FsdA==", "content": "AAAA"}"#,
            "password-protected Proton Authenticator exports are not supported",
        ),
        import(
            "password-protected Bitwarden export",
            r#"{"encrypted": true, "passwordProtected": true, "items": []}"#,
            "export from Bitwarden as unencrypted",
        ),
        import(
            "Bitwarden export with only passwords",
            r#"{"encrypted": false, "items": [{"type": 1, "name": "Mail", "login": {"password": "p"}}]}"#,
            "the file holds no accounts",
        ),
        import(
            "FreeOTP+ secret bytes out of range",
            r#"{"tokens": [{"type": "TOTP", "issuerExt": "A", "label": "a", "secret": [999, -500]}]}"#,
            "not a list of bytes",
        ),
        import(
            "Bitwarden CSV, header only",
            BW_HEADER,
            "the file holds no accounts",
        ),
        import(
            "Bitwarden CSV, row cut short",
            format!("{BW_HEADER},,login,A,,,0,"),
            "row 2 cannot be read",
        ),
        import(
            "Bitwarden CSV, bad UTF-8 in a row",
            [
                BW_HEADER.as_bytes(),
                b",,login,\xff\xfe,,,0,,me,,JBSWY3DPEHPK3PXP\n",
            ]
            .concat(),
            "row 2 cannot be read (broken quoting or encoding)",
        ),
        import(
            "Bitwarden CSV, unterminated quote",
            format!("{BW_HEADER},,login,\"A,,,0,,me,,JBSWY3DPEHPK3PXP\n"),
            "row 2 cannot be read",
        ),
        import(
            "Bitwarden CSV, 1 MB totp field",
            format!("{BW_HEADER},,login,A,,,0,,me,,{}\n", "A".repeat(1 << 20)),
            "the secret is 655360 bytes long",
        ),
        import_as(
            "Bitwarden CSV without a totp column",
            Some("bitwarden-csv"),
            None,
            "name,login_username\nA,me\n",
            "has no \"login_totp\" column",
        ),
        import(
            "URI list whose only URI is bad",
            "otpauth://totp/a?secret=JBSW1\n# nothing else\n",
            "line 1: the secret is not valid base32",
        ),
        import(
            "Aegis entry whose name carries terminal escapes",
            aegis_plain(&aegis_entry(
                "Ex",
                r"a\u001b]0;pwned\u0007\u001b[2J",
                "GEZDGNBVGY3TQOJQ",
            )),
            "entry 1 (Ex (a\\u{1b}]0;pwned\\u{7}\\u{1b}[2J)): the account name contains a control or text-direction character (\\u{1b})",
        ),
        import(
            "Aegis entry with a NUL in its issuer",
            aegis_plain(&aegis_entry(r"E\u0000x", "me", "GEZDGNBVGY3TQOJQ")),
            "the issuer contains a control or text-direction character (\\u{0})",
        ),
        import(
            "Aegis entry with a newline in its name",
            aegis_plain(&aegis_entry("Ex", r"me\nGitHub (you)", "GEZDGNBVGY3TQOJQ")),
            "the account name contains a control or text-direction character (\\u{a})",
        ),
        import(
            "Aegis entry with an isolate in its issuer",
            aegis_plain(&aegis_entry("\u{2067}Ex", "me", "GEZDGNBVGY3TQOJQ")),
            "(\\u{2067})",
        ),
        import_as(
            "import --format with a terminal escape",
            Some("\u{1b}[31mX"),
            None,
            "otpauth://totp/a?secret=JBSWY3DP\n",
            "unknown format \"\\u{1b}[31mX\"",
        ),
        Case {
            what: "export --format with a terminal escape".into(),
            run: Run::Args(
                [
                    "export",
                    "--format",
                    "\u{1b}[31mX",
                    "--output",
                    "{dir}/out.txt",
                ]
                .map(String::from)
                .to_vec(),
            ),
            expect: "unknown export format \"\\u{1b}[31mX\"",
        },
        Case {
            what: "directory as import file".into(),
            run: Run::Args(vec!["import".into(), "{dir}".into()]),
            expect: "cannot read",
        },
        Case {
            what: "65 MiB import file".into(),
            run: Run::Args(vec!["import".into(), "{dir}/sparse.json".into()]),
            expect: "too large to be an authenticator export",
        },
    ];
    if harness {
        c.push(Case {
            what: "add with a 600-character account name".into(),
            run: Run::Args(
                [
                    "add",
                    "--issuer",
                    "X",
                    "--secret",
                    "JBSWY3DPEHPK3PXP",
                    "--account",
                ]
                .into_iter()
                .map(String::from)
                .chain([long(600)])
                .collect(),
            ),
            expect: "the account name is 600 characters long",
        });
        c.push(import(
            "Aegis vault whose group name is 100 000 characters",
            format!(
                r#"{{"version": 1, "header": {{"slots": null}}, "db": {{"version": 3, "groups": [{{"uuid": "g", "name": "{}"}}], "entries": [{}]}}}}"#,
                long(100_000),
                aegis_entry("Grouped", "me", "GEZDGNBVGY3TQOJQ").replace(
                    r#""uuid": "u","#,
                    r#""uuid": "u", "groups": ["g"],"#
                )
            ),
            "the group is 100000 characters long",
        ));
    }
    if let Some(dir) = fixtures {
        let read = |name: &str| std::fs::read(dir.join("aegis-importers").join(name)).unwrap();
        for (name, format, expect) in [
            (
                "2fas_authenticator_encrypted_v4.2fas",
                None,
                "wrong password for this 2FAS backup",
            ),
            (
                "andotp_encrypted.bin",
                Some("andotp"),
                "wrong password, or the file is damaged",
            ),
            (
                "stratum_encrypted.bin",
                None,
                "wrong password, or the file is damaged",
            ),
        ] {
            c.push(import_as(
                &format!("{name}, wrong password"),
                format,
                Some("not the password"),
                read(name),
                expect,
            ));
        }
        let mut cut = read("2fas_authenticator_encrypted_v4.2fas");
        let text = String::from_utf8(cut.clone()).unwrap();
        let at = text.find("servicesEncrypted").unwrap() + 40;
        cut.drain(at..at + 200);
        c.push(import_as(
            "2FAS backup, encrypted accounts cut short",
            None,
            Some("test"),
            cut,
            "encrypted accounts are altered or cut short",
        ));
    }
    c
}

#[test]
fn hostile_inputs_are_one_line_errors_that_change_nothing() {
    let env = Env::new();
    // With the real keyring, start from a vault holding one account, so that
    // "nothing written" covers an existing accounts.json and keyring item.
    if common::in_harness() {
        env.ok(&["add", "otpauth://totp/Keep:me?secret=JBSWY3DPEHPK3PXP"]);
    }
    let data_before = all_files(env.data.path());
    let keyring_before = common::in_harness().then(|| env.keyring_items());

    let scratch = tempfile::tempdir().unwrap();
    let sparse = std::fs::File::create(scratch.path().join("sparse.json")).unwrap();
    sparse.set_len(65 << 20).unwrap();
    let password_file = scratch.path().join("password");
    let dir = scratch.path().to_str().unwrap().to_string();

    let fixtures = common::fixtures();
    let table = cases(fixtures.as_deref(), common::in_harness());
    assert!(table.len() >= 40, "{} cases", table.len());
    let mut failures = Vec::new();
    for (i, case) in table.iter().enumerate() {
        let runs: Vec<Vec<String>> = match &case.run {
            Run::Uri(u) => vec![
                vec![
                    "code".into(),
                    "--uri".into(),
                    u.clone(),
                    "--at".into(),
                    "0".into(),
                ],
                vec!["add".into(), u.clone()],
            ],
            Run::Import {
                bytes,
                format,
                password,
            } => {
                let file = scratch.path().join(format!("case-{i}.dat"));
                std::fs::write(&file, bytes).unwrap();
                let mut args = vec!["import".to_string(), file.to_str().unwrap().into()];
                if let Some(f) = format {
                    args.extend(["--format".into(), f.to_string()]);
                }
                if let Some(p) = password {
                    std::fs::write(&password_file, p).unwrap();
                    args.extend([
                        "--password-file".into(),
                        password_file.to_str().unwrap().into(),
                    ]);
                }
                vec![args]
            }
            Run::Scan(bytes) => {
                let file = scratch.path().join(format!("case-{i}.png"));
                std::fs::write(&file, bytes).unwrap();
                vec![vec![
                    "scan".into(),
                    "--add".into(),
                    file.to_str().unwrap().into(),
                ]]
            }
            Run::Args(args) => vec![args.iter().map(|a| a.replace("{dir}", &dir)).collect()],
        };
        for args in runs {
            let argv: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = env.run(&argv);
            let what = format!("case {i} ({}): ninsho {}", case.what, argv[0]);
            let outcome = std::panic::catch_unwind(|| assert_clean_error(&out, &what));
            match outcome {
                Ok(msg) if msg.chars().any(char::is_control) => {
                    failures.push(format!("{what}: control characters in: {msg:?}"))
                }
                Ok(msg) if msg.contains(case.expect) => {}
                Ok(msg) => failures.push(format!("{what}: expected {:?} in: {msg}", case.expect)),
                Err(_) => failures.push(format!(
                    "{what}: exit {:?}, stderr: {}",
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                        .chars()
                        .take(300)
                        .collect::<String>()
                )),
            }
            if all_files(env.data.path()) != data_before {
                failures.push(format!("{what}: the data folder changed"));
            }
            if let Some(before) = &keyring_before
                && &env.keyring_items() != before
            {
                failures.push(format!("{what}: the keyring changed"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

/// An entry whose name carries control characters is skipped with its own
/// reason; the other accounts of the file still import, and nothing raw reaches
/// the terminal.
#[test]
fn a_name_with_control_characters_skips_only_its_account() {
    let env = Env::new();
    let file = env.data.path().join("mixed.json");
    let entries = [
        aegis_entry("Good", "me", "GEZDGNBVGY3TQOJQ"),
        aegis_entry(
            "Evil",
            r"x\u001b[2J\u001b]0;pwned\u0007",
            "JBSWY3DPEHPK3PXP",
        ),
        aegis_entry("Also good", "you", "JBSWY3DPEHPK3PXP"),
    ];
    std::fs::write(&file, aegis_plain(&entries.join(","))).unwrap();
    let out = env.run(&["import", "--dry-run", file.to_str().unwrap()]);
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stdout, "would add Good (me)\nwould add Also good (you)\n",
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "skipped entry 2 (Evil (x\\u{1b}[2J\\u{1b}]0;pwned\\u{7})): the account name contains a control or text-direction character (\\u{1b})"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{stderr:?}"
    );
}

/// Names saved before they were checked (an older version, a hand-edited
/// file) print escaped: no escape sequence runs, no newline fakes a row.
#[test]
fn list_escapes_names_saved_before_the_check() {
    let env = Env::new();
    let entry = |issuer: &str, name: &str| {
        serde_json::json!({
            "id": uuid::Uuid::new_v4(), "issuer": issuer, "name": name, "kind": "totp",
            "algorithm": "SHA1", "digits": 6, "period": 30, "created": 0, "updated": 0,
        })
    };
    let meta = serde_json::json!({
        "version": 1,
        "accounts": [
            entry("Evil\u{1b}]0;pwned\u{7}", "me\nGitHub"),
            entry("moc.elgoog\u{202e}", "you"),
        ],
    });
    std::fs::write(
        env.data.path().join("accounts.json"),
        serde_json::to_vec(&meta).unwrap(),
    )
    .unwrap();
    let out = env.run(&["list"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        rows.iter()
            .any(|r| r.contains("Evil\\u{1b}]0;pwned\\u{7}") && r.contains("me\\nGitHub")),
        "{stdout}"
    );
    assert!(
        rows.iter().any(|r| r.contains("moc.elgoog\\u{202e}")),
        "{stdout}"
    );
    assert!(
        !stdout
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
        "{stdout:?}"
    );
    assert!(
        !stdout.lines().any(|l| l.trim_start().starts_with("GitHub")),
        "a newline in a name made a row: {stdout}"
    );
}

/// `code --uri -` takes the URI from standard input (no secret on a command
/// line), and what Ninsho reads from standard input or a password file is
/// capped at 1 MiB with a one-line error.
#[test]
fn stdin_carries_uris_and_is_capped() {
    let env = Env::new();
    let uri = "otpauth://totp/Ex:me?secret=JBSWY3DPEHPK3PXP&issuer=Ex";
    let by_arg = env.ok(&["code", "--uri", uri, "--at", "59"]);
    let out = env.run_with_stdin(&["code", "--uri", "-", "--at", "59"], &format!("{uri}\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), by_arg);

    let huge = "A".repeat((1 << 20) + 1);
    for args in [
        &["code", "--uri", "-"][..],
        &["add", "--issuer", "X", "--secret", "-"][..],
    ] {
        let out = env.run_with_stdin(args, &huge);
        let msg = assert_clean_error(&out, &format!("{args:?}"));
        assert!(msg.contains("standard input is larger than 1 MiB"), "{msg}");
    }
    let dir = tempfile::tempdir().unwrap();
    let password = dir.path().join("password");
    std::fs::write(&password, &huge).unwrap();
    let out = env.run(&[
        "export",
        "--format",
        "aegis-encrypted",
        "--output",
        dir.path().join("out.json").to_str().unwrap(),
        "--password-file",
        password.to_str().unwrap(),
    ]);
    let msg = assert_clean_error(&out, "huge password file");
    assert!(msg.contains("is larger than 1 MiB"), "{msg}");
    assert!(!dir.path().join("out.json").exists());
}

/// Names typed on the command line get the same check as names in files: a
/// control character, a newline or a text-direction override in `edit` or
/// `add` is refused with one escaped line, exit 1, and nothing is written.
#[test]
fn command_line_names_with_control_characters_are_refused() {
    if !common::real_keyring() {
        return;
    }
    let env = Env::new();
    env.ok(&[
        "add",
        "otpauth://totp/Keep:me?secret=JBSWY3DPEHPK3PXP&issuer=Keep",
    ]);
    let data_before = all_files(env.data.path());
    let keyring_before = env.keyring_items();
    let add = |issuer: &str, account: &str| -> Vec<String> {
        [
            "add",
            "--issuer",
            issuer,
            "--account",
            account,
            "--secret",
            "GEZDGNBVGY3TQOJQ",
        ]
        .map(String::from)
        .to_vec()
    };
    let edit = |flag: &str, value: &str| -> Vec<String> {
        ["edit", "Keep", flag, value].map(String::from).to_vec()
    };
    let cases = [
        (
            edit("--issuer", "Evil\u{1b}[2J"),
            "Evil\\u{1b}[2J",
            "the issuer contains a control or text-direction character (\\u{1b})",
        ),
        (
            edit("--account", "me\nGitHub (you)"),
            "me\\nGitHub (you)",
            "the account name contains a control or text-direction character (\\u{a})",
        ),
        (
            edit("--account", "moc.elgoog\u{202e}"),
            "moc.elgoog\\u{202e}",
            "the account name contains a control or text-direction character (\\u{202e})",
        ),
        (
            edit("--group", "W\u{9b}ork"),
            "",
            "the group contains a control or text-direction character (\\u{9b})",
        ),
        (
            add("Evil\u{1b}]0;pwned\u{7}", "me"),
            "Evil\\u{1b}]0;pwned\\u{7}",
            "the issuer contains a control or text-direction character (\\u{1b})",
        ),
        (
            add("Ex", "me\nGitHub (you)"),
            "me\\nGitHub (you)",
            "the account name contains a control or text-direction character (\\u{a})",
        ),
        (
            add("moc.elgoog\u{202e}", "me"),
            "moc.elgoog\\u{202e}",
            "the issuer contains a control or text-direction character (\\u{202e})",
        ),
        (
            add("Ex", "tab\there"),
            "tab\\there",
            "the account name contains a control or text-direction character (\\u{9})",
        ),
    ];
    let mut failures = Vec::new();
    for (args, quoted, reason) in &cases {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env.run(&argv);
        let what = format!("{argv:?}");
        match std::panic::catch_unwind(|| assert_clean_error(&out, &what)) {
            Err(_) => failures.push(format!(
                "{what}: exit {:?}, stderr: {:?}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            )),
            Ok(msg) => {
                if msg.chars().any(|c| c.is_control() || c == '\u{202e}') {
                    failures.push(format!("{what}: raw characters in {msg:?}"));
                }
                if !msg.contains(reason) || !msg.contains(quoted) {
                    failures.push(format!(
                        "{what}: expected {quoted:?} and {reason:?} in {msg}"
                    ));
                }
            }
        }
        if all_files(env.data.path()) != data_before {
            failures.push(format!("{what}: the data folder changed"));
        }
        if env.keyring_items() != keyring_before {
            failures.push(format!("{what}: the keyring changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The account is as it was.
    assert!(env.ok(&["list"]).contains("Keep"));
}

/// A repair note names the account whose write a crash interrupted; a name
/// that reached the metadata file with an escape sequence in it prints
/// escaped, whichever command runs the repair.
#[test]
fn repair_notes_escape_control_characters_in_names() {
    if !common::real_keyring() {
        return;
    }
    // `edit` repairs through the cheap start-up check, `list` through the full one.
    for command in [&["edit", "Keep", "--group", "Work"][..], &["list"][..]] {
        let env = Env::new();
        env.ok(&[
            "add",
            "otpauth://totp/Keep:me?secret=JBSWY3DPEHPK3PXP&issuer=Keep",
        ]);
        let file = env.data.path().join("accounts.json");
        let mut meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        // Metadata written, keyring item not yet: a crash in the middle of an add.
        meta["accounts"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "id": uuid::Uuid::new_v4(), "issuer": "Evil\u{1b}]0;pwned\u{7}",
                "name": "x\u{1b}[2J", "kind": "totp", "algorithm": "SHA1", "digits": 6,
                "period": 30, "created": 0, "updated": 0, "state": "adding",
            }));
        std::fs::write(&file, serde_json::to_vec(&meta).unwrap()).unwrap();
        // And a keyring item under our service that is not ours, whose user
        // name (which the repair quotes) carries an escape sequence.
        let mut store = std::process::Command::new("secret-tool");
        store.args([
            "store",
            "--label",
            "not ours",
            "service",
            &env.service,
            "username",
            "\u{1b}]0;pwned\u{7}",
        ]);
        assert!(common::run_cmd(&mut store, "x").status.success());
        let out = env.run(command);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(out.status.success(), "{command:?}: {stderr}");
        assert!(
            stderr.contains(
                "repaired: dropped Evil\\u{1b}]0;pwned\\u{7} (x\\u{1b}[2J), whose adding was interrupted"
            ),
            "{command:?}: {stderr}"
        );
        assert!(
            stderr.contains(
                "keyring item \"\\u{1b}]0;pwned\\u{7}\" under this service is not a Ninsho account"
            ),
            "{command:?}: {stderr}"
        );
        assert!(
            !stderr.chars().any(|c| c.is_control() && c != '\n'),
            "{command:?}: raw control characters on stderr: {stderr:?}"
        );
        assert!(!std::fs::read_to_string(&file).unwrap().contains("adding"));
    }
}

/// An import file past the format cap (32 MiB) but under the old 64 MiB one is
/// refused with the limit named, before it is read.
#[test]
fn an_import_file_past_the_size_cap_is_refused_naming_the_limit() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.json");
    // Sparse: 40 MiB on paper, no disk used.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(40 << 20).unwrap();
    drop(file);
    for args in [
        &["import", path.to_str().unwrap()][..],
        &[
            "import",
            "--dry-run",
            "--format",
            "aegis",
            path.to_str().unwrap(),
        ][..],
    ] {
        let out = env.run(args);
        let msg = assert_clean_error(&out, &format!("{args:?}"));
        assert!(
            msg.contains(
                "is 40 MiB, too large to be an authenticator export (Ninsho reads up to 32 MiB)"
            ),
            "{msg}"
        );
    }
    assert!(all_files(env.data.path()).is_empty(), "nothing written");
}
