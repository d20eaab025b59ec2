//! Helpers shared by the integration tests: run the real `ninsho` binary in an
//! isolated data folder and keyring service, find the shared fixtures.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Set by `.ci/test`: the harness has started a real keyring and installed every
/// checker, so tests that need them must run rather than skip.
pub fn in_harness() -> bool {
    std::env::var_os("NINSHO_TEST_REAL_KEYRING").is_some()
}

/// True when `tool` is on PATH. Outside the harness a missing tool skips the test
/// with a printed reason; inside it, the harness installed it, so it must exist.
pub fn have_tool(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !found {
        assert!(!in_harness(), "{tool} must be installed by .ci/test");
        eprintln!("skipped: {tool} is not installed (run the suite with `bash .ci/test`)");
    }
    found
}

/// True when a real Secret Service is available to this test run.
pub fn real_keyring() -> bool {
    if !in_harness() {
        eprintln!("skipped: needs the real keyring started by `bash .ci/test`");
    }
    in_harness()
}

/// The binary under test for whole-process tests: the release build when
/// `.ci/test` built one, else the debug build Cargo made for this test.
pub fn binary() -> String {
    match std::env::var("NINSHO_RELEASE_BIN") {
        Ok(b) if Path::new(&b).exists() => b,
        _ => env!("CARGO_BIN_EXE_ninsho").to_string(),
    }
}

pub fn fixtures() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/external");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: ../shared/fixtures/external is absent (a plain clone has no ../shared)"
        );
        None
    }
}

/// One isolated Ninsho installation: its own data folder and keyring service.
pub struct Env {
    pub data: tempfile::TempDir,
    pub service: String,
    /// Set when the data folder keeps its secrets in the encrypted file
    /// store (issue 20): the file with its password, outside the data folder.
    pub store_password: Option<(tempfile::TempDir, PathBuf)>,
}

/// The password of the file stores [`Env::with_file_store`] makes.
pub const FILE_STORE_PASSWORD: &str = "test file store password";

impl Env {
    pub fn new() -> Env {
        Env {
            data: tempfile::tempdir().unwrap(),
            service: format!("ninsho-test-{}", uuid::Uuid::new_v4()),
            store_password: None,
        }
    }

    /// An empty data folder that chose the encrypted file store (`ninsho
    /// store use file`); every command gets `--store-password-file`.
    pub fn with_file_store() -> Env {
        let mut env = Env::new();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("store-password");
        std::fs::write(&file, FILE_STORE_PASSWORD).unwrap();
        let out = env
            .cmd()
            .args(["store", "use", "file", "--password-file"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        env.store_password = Some((dir, file));
        env
    }

    /// The store the data folder's secrets are in, opened as the CLI opens it.
    pub fn store(&self) -> Box<dyn ninsho::vault::SecretStore> {
        match &self.store_password {
            Some(_) => Box::new(
                ninsho::vault::file_store::FileStore::open(
                    &ninsho::vault::choice::file_path(self.data.path()),
                    FILE_STORE_PASSWORD,
                )
                .unwrap(),
            ),
            None => Box::new(ninsho::vault::keyring::KeyringStore::connect(&self.service).unwrap()),
        }
    }

    pub fn cmd(&self) -> Command {
        self.cmd_with(env!("CARGO_BIN_EXE_ninsho"))
    }

    /// Like [`Env::cmd`], for another build of the binary (see [`binary`]).
    pub fn cmd_with(&self, bin: &str) -> Command {
        let mut c = Command::new(bin);
        c.env("NINSHO_DATA_DIR", self.data.path())
            .env("NINSHO_KEYRING_SERVICE", &self.service)
            // English unless a test asks otherwise: tests assert English
            // messages, and a Japanese desktop's LANG must not change them.
            .env("NINSHO_LANG", "en")
            .env_remove("RUST_BACKTRACE");
        if let Some((_, file)) = &self.store_password {
            c.arg("--store-password-file").arg(file);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, "")
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        run_cmd(self.cmd().args(args), stdin)
    }

    /// Runs and asserts success, returning stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "ninsho {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// What `secret-tool` (libsecret, independent of Ninsho) sees for our service:
    /// the sorted list of item user names.
    pub fn keyring_items(&self) -> Vec<String> {
        let out = Command::new("secret-tool")
            .args(["search", "--all", "service", &self.service])
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let mut users: Vec<String> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("attribute.username = "))
            .map(str::to_string)
            .collect();
        users.sort();
        users
    }

    /// The secret value `secret-tool` reads for an item.
    pub fn keyring_value(&self, user: &str) -> String {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", &self.service, "username", user])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if in_harness() {
            let _ = Command::new("secret-tool")
                .args(["clear", "service", &self.service])
                .status();
        }
    }
}

pub fn run_cmd(cmd: &mut Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Asserts the CLI's error contract: exit 1, one `ninsho: …` line on stderr, no
/// panic, nothing on stdout. Returns the message.
pub fn assert_clean_error(out: &Output, what: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{what}: expected exit 1, stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{what}: panicked: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: expected one line, got: {stderr}");
    assert!(lines[0].starts_with("ninsho: "), "{what}: {stderr}");
    assert!(out.stdout.is_empty(), "{what}: printed to stdout on error");
    lines[0].to_string()
}

/// Every file under `dir`, recursively, as bytes.
pub fn all_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

/// Appends a PNG chunk with its CRC, for hand-made (hostile) PNG headers.
pub fn png_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    let mut crc = 0xffff_ffffu32;
    for b in &body {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(&body);
    png.extend_from_slice(&(!crc).to_be_bytes());
}

/// Reads a binary PPM (P6) as written by ImageMagick.
pub fn read_ppm(bytes: &[u8]) -> (usize, usize, Vec<[u8; 3]>) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).to_string());
    }
    assert_eq!(fields[0], "P6");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let data = &bytes[i + 1..];
    let pixels = data[..w * h * 3]
        .chunks(3)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    (w, h, pixels)
}
