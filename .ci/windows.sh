#!/usr/bin/env bash
# Windows and macOS in the test command, called by .ci/test after Linux's clippy
# (and usable alone: `bash .ci/windows.sh`, then `NINSHO_TEST_WINDOWS=1 cargo test
# --test windows_wine`).
#
# 1. installs mingw-w64 (cross linker), Wine (runs the Windows build) and clang (a
#    C compiler for the Apple target's build scripts) when root;
# 2. adds the rustup targets and runs clippy for x86_64-pc-windows-gnu and
#    aarch64-apple-darwin, so a platform-only break fails CI;
# 3. builds ninsho.exe (release: what the Windows zip ships is what the Wine
#    tests run) and prepares a Wine prefix with the ProcessPrng shim
#    (tests/windows/processprng_shim.c) that Wine 8.0 lacks;
# 4. exports NINSHO_TEST_WINDOWS=1, NINSHO_WINDOWS_BIN and NINSHO_WINE_PREFIX when
#    sourced, so tests/windows_wine.rs runs inside the normal `cargo test`.
set -euo pipefail
export NINSHO_CI_START=${NINSHO_CI_START:-$(date +%s)}
phase() { echo "== $* ($(date +%T), $(($(date +%s) - NINSHO_CI_START)) s in)"; }
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WINDOWS_PACKAGES=(gcc-mingw-w64-x86-64 wine64 clang)
missing=()
for p in "${WINDOWS_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    phase "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing system packages: ${missing[*]} (run as root, or install them with your package manager)" >&2
    exit 1
  fi
fi

rustup target add x86_64-pc-windows-gnu aarch64-apple-darwin

phase "cargo clippy (x86_64-pc-windows-gnu)"
cargo clippy --all-targets --locked --target x86_64-pc-windows-gnu -- -D warnings
# criterion (a dev-dependency) compiles a small C file for the target; there is
# no macOS SDK here, so clang builds it freestanding (it needs no libc). Checked,
# never linked.
phase "cargo clippy (aarch64-apple-darwin)"
CC_aarch64_apple_darwin=clang CFLAGS_aarch64_apple_darwin=-ffreestanding \
  cargo clippy --all-targets --locked --target aarch64-apple-darwin -- -D warnings

phase "Windows binary (release)"
cargo build --locked --release --target x86_64-pc-windows-gnu --bin ninsho
export NINSHO_WINDOWS_BIN="$PWD/target/x86_64-pc-windows-gnu/release/ninsho.exe"

phase "Wine prefix"
WINE=/usr/lib/wine/wine64
command -v wine64 >/dev/null && WINE=$(command -v wine64)
export NINSHO_WINE_PREFIX="$PWD/target/wine-prefix"
if [[ ! -f $NINSHO_WINE_PREFIX/system.reg ]]; then
  WINEPREFIX=$NINSHO_WINE_PREFIX WINEDEBUG=-all "$WINE" wineboot -i >/dev/null 2>&1
  WINEPREFIX=$NINSHO_WINE_PREFIX "$(dirname "$WINE")/wineserver64" -w 2>/dev/null ||
    WINEPREFIX=$NINSHO_WINE_PREFIX wineserver -w
fi
x86_64-w64-mingw32-gcc -O2 -shared -s \
  -o "$NINSHO_WINE_PREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  tests/windows/processprng_shim.c -lbcrypt
WINEPREFIX=$NINSHO_WINE_PREFIX WINEDEBUG=-all "$WINE" "$NINSHO_WINDOWS_BIN" --version
# tests/windows_wine.rs keeps the prefix's Wine server running for the whole
# test run (started once, before its tests); `.ci/test` calls this at the end.
stop_wine() {
  WINEPREFIX=$NINSHO_WINE_PREFIX "$(dirname "$WINE")/wineserver64" -k 2>/dev/null ||
    WINEPREFIX=$NINSHO_WINE_PREFIX wineserver -k 2>/dev/null || true
}
export NINSHO_TEST_WINDOWS=1
