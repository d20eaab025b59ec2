//! Protects: the printable recovery sheet. Exported through the real keyring,
//! its text is real (pdftotext finds every name, the grouped secrets and every
//! unused recovery code, Japanese included), its QR codes printed at 150 dpi
//! give back exactly the accounts (Ninsho's scanner and zbarimg), A4 and US
//! Letter are the sizes they claim, it speaks Japanese when asked (A4, 年月日),
//! and it fails cleanly when it cannot print.

mod common;
#[path = "support/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Env, assert_clean_error, have_tool, real_keyring};

/// Five accounts: every kind, a Japanese issuer and name, a long SHA512 secret.
const ACCOUNTS: [(&str, &[&str]); 5] = [
    (
        "GitHub",
        &[
            "add",
            "otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
        ],
    ),
    (
        "ツイッター",
        &[
            "add",
            "otpauth://totp/%E3%83%84%E3%82%A4%E3%83%83%E3%82%BF%E3%83%BC:%E5%B1%B1%E7%94%B0%E5%A4%AA%E9%83%8E?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%E3%83%84%E3%82%A4%E3%83%83%E3%82%BF%E3%83%BC&algorithm=SHA256&digits=8",
        ],
    ),
    (
        "Bank",
        &[
            "add",
            "otpauth://hotp/Bank:savings?secret=MFRGGZDFMZTWQ2LK&counter=7&issuer=Bank",
        ],
    ),
    (
        "Steam",
        &[
            "add",
            "--issuer",
            "Steam",
            "--account",
            "gamer",
            "--secret",
            "ON2GKYLNFVZWKY3SMV2C2MJSGM2DKNQ",
            "--steam",
        ],
    ),
    (
        "Long Key Ltd",
        &[
            "add",
            "otpauth://totp/Long%20Key%20Ltd:ops%40example.org?secret=KRUGS4ZANFZSAYJANRXW4ZZANNSXSIDGN5ZCAU2IIE2TCMRAORSXG5DTFQQHG2LYOR4S2ZTPOVZCAYTZORSXGIDMN5XGOIDIMVZGKII&algorithm=SHA512&period=60&issuer=Long%20Key%20Ltd",
        ],
    ),
];

const SECRETS: [&str; 5] = [
    "JBSWY3DPEHPK3PXP",
    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    "MFRGGZDFMZTWQ2LK",
    "ON2GKYLNFVZWKY3SMV2C2MJSGM2DKNQ",
    "KRUGS4ZANFZSAYJANRXW4ZZANNSXSIDGN5ZCAU2IIE2TCMRAORSXG5DTFQQHG2LYOR4S2ZTPOVZCAYTZORSXGIDMN5XGOIDIMVZGKII",
];

const GITHUB_CODES: [&str; 4] = ["7f3a-91bc", "2d8e-44a0", "c0ff-ee12", "b00k-5e11"];
const TWITTER_CODES: [&str; 3] = ["あいう-12345", "QWERTY-0987", "zx81-4096"];

fn tools() -> bool {
    ["pdftotext", "pdftoppm", "pdfinfo", "zbarimg"]
        .iter()
        .all(|t| have_tool(t))
}

fn filled_env() -> Env {
    let env = Env::new();
    for (_, args) in ACCOUNTS {
        env.ok(args);
    }
    let out = env.run_with_stdin(&["recovery", "add", "github"], &GITHUB_CODES.join("\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = env.run_with_stdin(&["recovery", "add", "ツイッター"], &TWITTER_CODES.join(" "));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env.ok(&["recovery", "use", "github", "2d8e-44a0"]);
    env
}

fn export_pdf(env: &Env, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "export",
        "--format",
        "pdf",
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    env.run(&args)
}

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The pages as 150 dpi PNGs.
fn rasterise(pdf: &Path, dir: &Path) -> Vec<PathBuf> {
    let prefix = dir.join("page");
    tool(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pages.sort();
    pages
}

/// Secrets read from the page images by Ninsho's own scanner and by zbarimg.
fn secrets_read(env: &Env, pages: &[PathBuf]) -> (Vec<String>, Vec<String>) {
    let mut ours = Vec::new();
    let mut zbar = Vec::new();
    for page in pages {
        let json: Vec<serde_json::Value> =
            serde_json::from_str(&env.ok(&["scan", page.to_str().unwrap(), "--json"])).unwrap();
        ours.extend(
            json.iter()
                .map(|a| a["secret"].as_str().unwrap().to_string()),
        );
        for uri in corpus::zbar_reads(page) {
            let parsed = ninsho::otp::parse_uri(&uri).unwrap();
            zbar.push(parsed.account.secret.to_base32().to_string());
        }
    }
    ours.sort();
    zbar.sort();
    (ours, zbar)
}

fn page_size(pdf: &Path) -> String {
    tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap()
        .to_string()
}

#[test]
fn a4_sheet_has_real_text_and_qr_codes_that_restore_every_account() {
    if !real_keyring() || !tools() {
        return;
    }
    let env = filled_env();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("sheet.pdf");
    let out = export_pdf(&env, &pdf, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("not encrypted"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&pdf).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert!(page_size(&pdf).contains("(A4)"), "{}", page_size(&pdf));

    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    for name in [
        "GitHub",
        "alice@example.com",
        "ツイッター",
        "山田太郎",
        "Bank",
        "savings",
        "Steam",
        "gamer",
        "Long Key Ltd",
        "ops@example.org",
        "JBSW Y3DP EHPK 3PXP",
        "GEZD GNBV GY3T QOJQ",
        "keep this sheet offline",
        "HOTP · SHA1 · 6 digits · counter 7",
        "TOTP · SHA256 · 8 digits · 30 s period",
        "TOTP · SHA512 · 6 digits · 60 s period",
        "Steam Guard",
        &ninsho::backup::date(ninsho::vault::system_clock()),
    ] {
        assert!(
            text.to_lowercase().contains(&name.to_lowercase()),
            "pdftotext lacks {name:?}:\n{text}"
        );
    }
    for code in GITHUB_CODES.iter().chain(&TWITTER_CODES) {
        if *code == "2d8e-44a0" {
            assert!(!text.contains(code), "a used code is printed");
        } else {
            assert!(
                text.contains(code),
                "pdftotext lacks the code {code}:\n{text}"
            );
        }
    }

    let (ours, zbar) = secrets_read(&env, &rasterise(&pdf, dir.path()));
    let mut expected: Vec<String> = SECRETS.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(ours, expected, "Ninsho's scanner");
    assert_eq!(zbar, expected, "zbarimg");
}

/// The sheet in Japanese (issue 18): its headings, labels, parameters and date
/// are Japanese, in the terms Japanese services use; it is A4 (with LC_PAPER
/// asking for Letter: the window's default follows `Paper::for_locale`, which
/// gives a Japanese sheet A4); its QR codes still restore every account.
#[test]
fn japanese_sheet_speaks_japanese_on_a4_and_its_codes_still_restore_every_account() {
    use ninsho::i18n::Lang;
    if !real_keyring() || !tools() {
        return;
    }
    let env = filled_env();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("シート.pdf");
    let before = ninsho::backup::date_in(Lang::Ja, ninsho::vault::system_clock());
    let out = common::run_cmd(
        env.cmd()
            .env("NINSHO_LANG", "ja")
            .env("LC_PAPER", "en_US.UTF-8")
            .args(["export", "--format", "pdf", "--output"])
            .arg(&pdf),
        "",
    );
    let after = ninsho::backup::date_in(Lang::Ja, ninsho::vault::system_clock());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("暗号化されていません"), "{stderr}");
    assert!(page_size(&pdf).contains("(A4)"), "{}", page_size(&pdf));

    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    // Wrapped Japanese sentences have no spaces to rejoin at line ends.
    let joined = text.replace('\n', "");
    for expected in [
        "バックアップシート",
        "このシートはオフラインで安全な場所に保管してください。",
        "あなたとしてログインできます。",
        "セットアップキー（シークレットキー）",
        "バックアップコード：使ったらチェックを入れてください（未使用3件）",
        "TOTP・SHA1・6桁・30秒ごと",
        "TOTP・SHA256・8桁・30秒ごと",
        "TOTP・SHA512・6桁・60秒ごと",
        "HOTP・SHA1・6桁・カウンター7",
        "Steam Guard・5文字・30秒ごと",
        "Ninshoに保存されたバックアップコードはありません",
        "印刷日：",
        "1／2ページ",
        "2／2ページ",
        // What does not change: names, secrets and codes as they are.
        "ツイッター",
        "山田太郎",
        "alice@example.com",
        "JBSW Y3DP EHPK 3PXP",
        "あいう-12345",
        "7f3a-91bc",
    ] {
        assert!(
            joined.contains(expected),
            "pdftotext lacks {expected:?}:\n{text}"
        );
    }
    assert!(
        joined.contains(&before) || joined.contains(&after),
        "pdftotext lacks the date {after:?}:\n{text}"
    );
    let date = regex::Regex::new(r"印刷日：\d{4}年[1-9]\d?月[1-9]\d?日").unwrap();
    assert!(date.is_match(&joined), "no date written 年月日:\n{text}");
    for english in [
        "recovery sheet",
        "Secret key",
        "Recovery codes",
        "digits",
        "Printed",
        "page 1",
    ] {
        assert!(!text.contains(english), "English {english:?} left:\n{text}");
    }
    assert!(!text.contains("2d8e-44a0"), "a used code is printed");

    let (ours, zbar) = secrets_read(&env, &rasterise(&pdf, dir.path()));
    let mut expected: Vec<String> = SECRETS.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(ours, expected, "Ninsho's scanner");
    assert_eq!(zbar, expected, "zbarimg");
}

#[test]
fn letter_sheet_of_chosen_accounts() {
    if !real_keyring() || !tools() {
        return;
    }
    let env = filled_env();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("letter.pdf");
    let out = export_pdf(
        &env,
        &pdf,
        &["--paper", "letter", "--accounts", "ツイッター", "bank"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        page_size(&pdf).contains("612 x 792 pts (letter)"),
        "{}",
        page_size(&pdf)
    );
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("山田太郎") && text.contains("savings"));
    assert!(!text.contains("GitHub") && !text.contains("gamer"));
    let (ours, zbar) = secrets_read(&env, &rasterise(&pdf, dir.path()));
    let mut expected = vec![SECRETS[1].to_string(), SECRETS[2].to_string()];
    expected.sort();
    assert_eq!(ours, expected);
    assert_eq!(zbar, expected);
}

#[test]
fn a_hundred_accounts_fill_pages_without_splitting_one() {
    if !real_keyring() || !tools() {
        return;
    }
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.txt");
    let uris: String = (0..100)
        .map(|i| {
            let secret =
                data_encoding::BASE32_NOPAD.encode(format!("secret-{i:03}-xyz").as_bytes());
            format!(
                "otpauth://totp/Service%20{i:03}:user{i}?secret={secret}&issuer=Service%20{i:03}\n"
            )
        })
        .collect();
    std::fs::write(&list, uris).unwrap();
    env.ok(&["import", list.to_str().unwrap()]);
    let pdf = dir.path().join("all.pdf");
    let out = export_pdf(&env, &pdf, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages: usize = tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 20, "{pages} pages for 100 accounts");
    // Each page's text names the accounts it holds once, in order.
    let mut seen = Vec::new();
    for p in 1..=pages {
        let n = p.to_string();
        let text = tool(
            "pdftotext",
            &["-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"],
        );
        assert!(text.contains(&format!("page {p} of {pages}")), "{text}");
        for i in 0..100 {
            if text.contains(&format!("Service {i:03}")) {
                seen.push(i);
            }
        }
    }
    assert_eq!(seen, (0..100).collect::<Vec<_>>());
}

#[test]
fn sheet_errors_are_one_line_and_write_nothing() {
    if !have_tool("pdftotext") {
        return;
    }
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("x.pdf");
    let msg = assert_clean_error(&export_pdf(&env, &pdf, &["--paper", "legal"]), "paper");
    assert!(msg.contains("unknown paper size \"legal\""), "{msg}");
    let msg = assert_clean_error(
        &env.run(&[
            "export",
            "--format",
            "otpauth",
            "--output",
            pdf.to_str().unwrap(),
            "--paper",
            "a4",
        ]),
        "paper for a list",
    );
    assert!(msg.contains("--paper is for --format pdf"), "{msg}");
    if !real_keyring() {
        return;
    }
    env.ok(&[
        "add",
        "otpauth://totp/%E5%B1%B1%E7%94%B0:me?secret=JBSWY3DPEHPK3PXP",
    ]);
    // A fontconfig that knows only DejaVu (fonts-dejavu-core): no font can
    // print the Japanese name.
    let conf = dir.path().join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?><fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{}</cachedir></fontconfig>",
            dir.path().join("cache").display()
        ),
    )
    .unwrap();
    let out = common::run_cmd(
        env.cmd().env("FONTCONFIG_FILE", &conf).args([
            "export",
            "--format",
            "pdf",
            "--output",
            pdf.to_str().unwrap(),
        ]),
        "",
    );
    // One unprintable name no longer costs the sheet: the characters become
    // U+FFFD, with a note, and the rest prints.
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("could not be printed"), "{text}");
    assert!(text.contains("JBSW Y3DP EHPK 3PXP"), "{text}");
    std::fs::remove_file(&pdf).unwrap();
    let msg = assert_clean_error(
        &export_pdf(&env, &pdf, &["--accounts", "nothing-like-it"]),
        "query",
    );
    assert!(msg.contains("no account matches"), "{msg}");
}

/// Regression (hardening issue): one account could fail the whole sheet, with
/// an error that did not say which. A name that percent-encodes past what a QR
/// code holds now prints without its code (with a note), a character no font
/// has prints as U+FFFD (with a note), and the other accounts are untouched.
#[test]
fn one_odd_account_does_not_cost_the_sheet() {
    use ninsho::backup::sheet::{Paper, SheetAccount, render_sheet};
    use ninsho::otp::{OtpAccount, Params, Secret};
    if !have_tool("pdftotext") {
        return;
    }
    let account = |issuer: &str, name: &str, secret: &str| SheetAccount {
        account: OtpAccount {
            issuer: issuer.into(),
            name: name.into(),
            secret: Secret::parse_base32(secret).unwrap(),
            params: Params::default(),
            extra: vec![],
        },
        recovery_codes: vec![],
    };
    // 300 kana: 2700 bytes percent-encoded, twice in the URI; a QR code at
    // Ninsho's error correction holds 2331.
    let long = "あ".repeat(300);
    let accounts = [
        account("GitHub", "alice", "JBSWY3DPEHPK3PXP"),
        account(&long, "too-long-for-a-qr", "GEZDGNBVGY3TQOJQ"),
        account("Odd\u{10fffd}Glyph", "bob", "MFRGGZDFMZTWQ2LK"),
        account("Last", "carol", "KRUGS4ZANFZSAYJANRXW4ZZA"),
    ];
    let pdf = render_sheet(&accounts, Paper::A4, "2026-12-02").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sheet.pdf");
    std::fs::write(&file, &*pdf).unwrap();
    let text = tool("pdftotext", &[file.to_str().unwrap(), "-"]);
    for expected in [
        "GitHub",
        "JBSW Y3DP EHPK 3PXP",
        "too-long-for-a-qr",
        "GEZD GNBV GY3T QOJQ",
        "No QR code",
        "bob",
        "MFRG GZDF MZTW Q2LK",
        "could not be printed",
        "carol",
        "KRUG S4ZA NFZS AYJA NRXW 4ZZA",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}
