//! Protects: the packages people install. The Debian package `.ci/package.sh`
//! made installs into a scratch root with its program, desktop entry, metainfo,
//! icon and polkit action where desktops look, and the program runs from there;
//! the desktop tools accept the installed files; the Flatpak manifest's crate list vendors
//! every crate of `Cargo.lock` so its offline build can resolve. (The Windows
//! zip is checked under Wine in `tests/windows_wine.rs`.)

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

const ID: &str = ninsho::ui::DESKTOP_ID;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `cmd`; panics with its output unless it succeeds. Returns stdout + stderr.
fn run_ok(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}): {text}",
        out.status
    );
    text
}

/// The `.deb` `.ci/package.sh` built: `NINSHO_DEB` in the harness, else the
/// newest in `target/debian`.
fn deb() -> Option<PathBuf> {
    let found = std::env::var_os("NINSHO_DEB")
        .map(PathBuf::from)
        .or_else(|| {
            std::fs::read_dir(manifest_dir().join("target/debian"))
                .ok()?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "deb"))
                .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        });
    match found {
        Some(p) if p.is_file() => Some(p),
        _ => {
            assert!(
                !common::in_harness(),
                "no Debian package: .ci/test runs .ci/package.sh and sets NINSHO_DEB"
            );
            eprintln!("skipped: no Debian package; run `bash .ci/package.sh` first");
            None
        }
    }
}

/// Validator output may carry hints and infos, never an error or a warning.
fn assert_clean_validation(tool: &str, text: &str) {
    for bad in ["error:", "warning:", "E: ", "W: "] {
        assert!(!text.contains(bad), "{tool} reported {bad:?}:\n{text}");
    }
}

#[test]
fn deb_installs_into_a_scratch_root_and_runs() {
    let Some(deb) = deb() else { return };
    if !common::have_tool("dpkg-deb")
        || !common::have_tool("desktop-file-validate")
        || !common::have_tool("appstreamcli")
    {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    run_ok(
        Command::new("dpkg-deb")
            .arg("-x")
            .arg(&deb)
            .arg(root.path()),
    );

    // The program, from the scratch root.
    let bin = root.path().join("usr/bin/ninsho");
    let version = run_ok(Command::new(&bin).arg("--version"));
    assert_eq!(
        version.trim(),
        format!("ninsho {}", env!("CARGO_PKG_VERSION")),
        "{}",
        bin.display()
    );

    // Where desktops look, under the id the window gives itself.
    let desktop = root
        .path()
        .join(format!("usr/share/applications/{ID}.desktop"));
    let metainfo = root
        .path()
        .join(format!("usr/share/metainfo/{ID}.metainfo.xml"));
    let icon = root
        .path()
        .join(format!("usr/share/icons/hicolor/256x256/apps/{ID}.png"));
    let policy = root
        .path()
        .join(format!("usr/share/polkit-1/actions/{ID}.policy"));
    for f in [&desktop, &metainfo, &icon, &policy] {
        assert!(f.is_file(), "the package has no {}", f.display());
    }
    check_policy(&policy);
    let text = run_ok(Command::new("desktop-file-validate").arg(&desktop));
    assert_clean_validation("desktop-file-validate", &text);
    let text = run_ok(
        Command::new("appstreamcli")
            .args(["validate", "--no-net"])
            .arg(&metainfo),
    );
    assert_clean_validation("appstreamcli", &text);

    let entry = std::fs::read_to_string(&desktop).unwrap();
    assert!(entry.lines().any(|l| l == format!("Icon={ID}")), "{entry}");
    assert!(entry.lines().any(|l| l == "Exec=ninsho"), "{entry}");
    assert!(
        entry.lines().any(|l| l == format!("StartupWMClass={ID}")),
        "{entry}"
    );
    let meta = std::fs::read_to_string(&metainfo).unwrap();
    assert!(meta.contains(&format!("<id>{ID}</id>")), "{meta}");
    assert!(
        meta.contains(&format!(
            r#"<launchable type="desktop-id">{ID}.desktop</launchable>"#
        )),
        "{meta}"
    );
    let png = image::open(&icon).unwrap();
    assert_eq!((png.width(), png.height()), (256, 256));

    // Licences and the README beside the program.
    for doc in ["copyright", "README.md", "README.ja.md", "LICENSE-APACHE"] {
        let f = root.path().join("usr/share/doc/ninsho").join(doc);
        assert!(f.is_file(), "the package has no {}", f.display());
    }

    // Installing it brings a keyring: a Secret Service provider is required.
    let fields = run_ok(
        Command::new("dpkg-deb")
            .arg("-f")
            .arg(&deb)
            .args(["Package", "Depends"]),
    );
    assert!(fields.contains("Package: ninsho"), "{fields}");
    let depends = fields
        .lines()
        .find_map(|l| l.strip_prefix("Depends: "))
        .unwrap_or_default();
    assert!(
        depends
            .split(", ")
            .any(|alt| alt.starts_with("gnome-keyring | keepassxc")),
        "no Secret Service provider in Depends: {depends}"
    );
    assert!(depends.contains("libc6"), "{depends}");
}

/// The source files themselves, so a broken entry fails even where no package
/// was built.
#[test]
fn desktop_entry_and_metainfo_are_valid() {
    let desktop = manifest_dir().join(format!("assets/{ID}.desktop"));
    let metainfo = manifest_dir().join(format!("assets/{ID}.metainfo.xml"));
    if common::have_tool("desktop-file-validate") {
        let text = run_ok(Command::new("desktop-file-validate").arg(&desktop));
        assert_clean_validation("desktop-file-validate", &text);
    }
    if common::have_tool("appstreamcli") {
        let text = run_ok(
            Command::new("appstreamcli")
                .args(["validate", "--no-net"])
                .arg(&metainfo),
        );
        assert_clean_validation("appstreamcli", &text);
    }
}

/// The window lock's polkit action: unlocking asks the person at the desktop
/// for their own password every time, and never lets anyone through unasked.
#[test]
fn polkit_action_asks_for_the_users_own_password() {
    check_policy(&manifest_dir().join(format!("assets/{ID}.policy")));
}

/// The policy file is well-formed XML (when `xmllint` is there: libxml2-utils)
/// and declares the unlock action as the program asks for it.
fn check_policy(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let found = Command::new("sh")
        .args(["-c", "command -v xmllint"])
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        let out = run_ok(Command::new("xmllint").arg("--noout").arg(path));
        assert!(out.trim().is_empty(), "xmllint: {out}");
    } else {
        assert!(
            std::env::var_os("NINSHO_TEST_REAL_KEYRING").is_none(),
            "the harness installs xmllint (libxml2-utils, .ci/test)"
        );
        eprintln!(
            "not checked with xmllint (not installed): {}",
            path.display()
        );
    }
    #[cfg(target_os = "linux")]
    assert_eq!(ninsho::lock::dbus::UNLOCK_ACTION, format!("{ID}.unlock"));
    assert!(
        text.contains(&format!(r#"<action id="{ID}.unlock">"#)),
        "{text}"
    );
    assert_eq!(text.matches("<action ").count(), 1, "{text}");
    for who in ["allow_any", "allow_inactive", "allow_active"] {
        assert!(
            text.contains(&format!("<{who}>auth_self</{who}>")),
            "{who} must be auth_self: {text}"
        );
    }
    assert!(!text.contains(">yes<"), "{text}");
    for element in ["description", "message"] {
        assert!(text.contains(&format!("<{element}>")), "{text}");
        assert!(
            text.contains(&format!(r#"<{element} xml:lang="ja">"#)),
            "no Japanese {element}: {text}"
        );
    }
}

/// The directory Cargo keeps downloaded `.crate` files in.
fn crate_caches() -> Vec<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .expect("CARGO_HOME or HOME");
    std::fs::read_dir(home.join("registry/cache"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

/// flatpak-builder builds offline from the crates `cargo-sources.json` lists.
/// Lay them out as it does (each archive unpacked at its `dest`, the inline
/// checksum files and Cargo config written) and let Cargo resolve the whole
/// lock file, every platform's crates included, against only those: a crate
/// missing, or a checksum other than `Cargo.lock`'s, fails here rather than on
/// Flathub's builders.
#[test]
fn flatpak_sources_vendor_every_locked_crate() {
    let dir = manifest_dir().join("assets/flatpak");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(format!("{ID}.json"))).unwrap()).unwrap();
    assert_eq!(manifest["app-id"], ID);
    assert_eq!(manifest["command"], "ninsho");
    let finish: Vec<&str> = manifest["finish-args"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    assert!(
        finish.contains(&"--talk-name=org.freedesktop.secrets"),
        "the sandbox cannot reach the keyring: {finish:?}"
    );
    // The window lock's watch (issue 20): the screen savers' signals on the
    // session bus and logind's on the system bus reach it only if named.
    // The window's own bus name (its app id) needs no permission.
    #[cfg(target_os = "linux")]
    {
        use ninsho::lock::dbus::{BUS_NAME, LOGIND, SCREEN_SAVERS};
        for saver in SCREEN_SAVERS {
            let arg = format!("--talk-name={saver}");
            assert!(finish.contains(&arg.as_str()), "no {arg}: {finish:?}");
        }
        let arg = format!("--system-talk-name={LOGIND}");
        assert!(
            finish.contains(&arg.as_str()),
            "logind's lock and sleep signals do not reach the sandbox: {finish:?}"
        );
        assert_eq!(BUS_NAME, ID);
    }
    let module = &manifest["modules"][0];
    let commands = module["build-commands"].to_string();
    for file in [
        format!("assets/{ID}.desktop"),
        format!("assets/{ID}.metainfo.xml"),
        format!("assets/{ID}.png"),
    ] {
        assert!(
            commands.contains(&file),
            "the manifest does not install {file}"
        );
        assert!(manifest_dir().join(&file).is_file(), "{file} is missing");
    }
    assert!(
        module["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "cargo-sources.json"),
        "the module does not use cargo-sources.json"
    );

    // Every crate of the lock file on disk (downloads what this machine lacks).
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run_ok(
        Command::new(&cargo)
            .args(["fetch", "--locked", "--manifest-path"])
            .arg(manifest_dir().join("Cargo.toml")),
    );
    let caches = crate_caches();

    let sources: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.join("cargo-sources.json")).unwrap()).unwrap();
    let build = tempfile::tempdir().unwrap();
    let mut archives = 0;
    for source in &sources {
        let dest = build.path().join(source["dest"].as_str().unwrap());
        std::fs::create_dir_all(&dest).unwrap();
        match source["type"].as_str().unwrap() {
            "archive" => {
                let url = source["url"].as_str().unwrap();
                let file = url.rsplit('/').next().unwrap();
                let cached = caches
                    .iter()
                    .map(|c| c.join(file))
                    .find(|p| p.is_file())
                    .unwrap_or_else(|| panic!("{file} ({url}) is not in Cargo.lock"));
                let bytes = std::fs::read(&cached).unwrap();
                assert_eq!(
                    hex::encode(Sha256::digest(&bytes)),
                    source["sha256"].as_str().unwrap(),
                    "{url}: the listed sha256 is not the crate's"
                );
                run_ok(
                    Command::new("tar")
                        .arg("-xzf")
                        .arg(&cached)
                        .arg("-C")
                        .arg(&dest)
                        .arg("--strip-components=1"),
                );
                archives += 1;
            }
            "inline" => {
                let name = source["dest-filename"].as_str().unwrap();
                std::fs::write(dest.join(name), source["contents"].as_str().unwrap()).unwrap();
            }
            other => panic!("unexpected source type {other}"),
        }
    }
    let lock = std::fs::read_to_string(manifest_dir().join("Cargo.lock")).unwrap();
    let registry_crates = lock
        .matches("source = \"registry+https://github.com/rust-lang/crates.io-index\"")
        .count();
    assert_eq!(
        archives, registry_crates,
        "cargo-sources.json lists {archives} crates, Cargo.lock {registry_crates}: regenerate it (README, \"Packages\")"
    );

    // flatpak-builder runs the build with CARGO_HOME at the module's `cargo`
    // folder, whose `config` replaces crates.io with the vendored crates.
    let out = Command::new(&cargo)
        .args([
            "metadata",
            "--offline",
            "--locked",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(manifest_dir().join("Cargo.toml"))
        .env("CARGO_HOME", build.path().join("cargo"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "Cargo cannot resolve the lock file from the Flatpak's crates: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let vendored = build.path().join("cargo/vendor");
    let outside: Vec<&str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["source"].is_string())
        .filter_map(|p| p["manifest_path"].as_str())
        .filter(|m| !Path::new(m).starts_with(&vendored))
        .collect();
    assert!(
        outside.is_empty(),
        "resolved outside the vendored crates: {outside:?}"
    );
}
