#!/usr/bin/env bash
# The packages people install, built from the release builds:
#
#   target/debian/ninsho_<version>-1_amd64.deb            Debian/Ubuntu (cargo-deb)
#   target/dist/ninsho-<version>-windows-x86_64.zip       Windows (ninsho.exe, READMEs, licences)
#
# `bash .ci/package.sh` builds what is missing (`cargo build --release` for Linux
# and for x86_64-pc-windows-gnu, cross-linked with mingw-w64) and installs
# cargo-deb when it is not there. `.ci/test` runs it after its own release
# builds, and `tests/packages.rs` installs and runs what it made.
#
# The Flatpak is built from assets/flatpak/ by flatpak-builder, which needs
# Flathub's GNOME runtime (see the README).
set -euo pipefail
export NINSHO_CI_START=${NINSHO_CI_START:-$(date +%s)}
phase() { echo "== $* ($(date +%T), $(($(date +%s) - NINSHO_CI_START)) s in)"; }
cd "$(dirname "${BASH_SOURCE[0]}")/.."

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)

[[ -x target/release/ninsho ]] || cargo build --release --locked --bin ninsho
if ! cargo deb --version >/dev/null 2>&1; then
  phase "installing cargo-deb"
  cargo install cargo-deb --locked --version '^3' --quiet
fi
phase "Debian package"
deb=$(cargo deb --no-build --locked | tail -1)
[[ -f $deb ]] || { echo "cargo deb made no package" >&2; exit 1; }
realpath "$deb"

exe=target/x86_64-pc-windows-gnu/release/ninsho.exe
[[ -f $exe ]] || cargo build --release --locked --target x86_64-pc-windows-gnu --bin ninsho
phase "Windows zip"
name="ninsho-$version-windows-x86_64"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$exe" "$stage/$name/ninsho.exe"
# Notepad and every editor read LF; the .txt names open with a double-click.
cp README.md README.ja.md "$stage/$name/"
cp assets/LICENSE-MIT "$stage/$name/LICENSE-MIT.txt"
cp assets/LICENSE-APACHE "$stage/$name/LICENSE-APACHE.txt"
mkdir -p target/dist
zip_path="$PWD/target/dist/$name.zip"
rm -f "$zip_path"
(cd "$stage" && zip -q -r -X "$zip_path" "$name")
echo "$zip_path"
