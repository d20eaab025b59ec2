#!/usr/bin/env bash
# Whole-process figures for BENCHMARKS.md: keyring load of 1000 accounts
# (Ninsho's vault path against the raw keyring calls), `ninsho code --uri`
# against oathtool for the same code, and the PDF recovery sheet for 100
# accounts.
#
#   bash benches/cli.sh        # prints Markdown tables
#
# Method: release builds; a private D-Bus session with a throwaway,
# unlocked gnome-keyring. Keyring loads are the median of RUNS runs of
# examples/keyring_read; the other two are hyperfine (3 warm-up runs, then
# at least 30 runs) and quote its mean and standard deviation.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}

if [[ -z "${NINSHO_BENCH_INNER:-}" ]]; then
  for tool in hyperfine oathtool gnome-keyring-daemon dbus-run-session; do
    command -v "$tool" >/dev/null || { echo "benches/cli.sh needs $tool (Debian: apt install hyperfine oathtool gnome-keyring dbus)" >&2; exit 1; }
  done
  cargo build --release --quiet --bin ninsho --example keyring_read
  export XDG_RUNTIME_DIR XDG_DATA_HOME HOME
  XDG_RUNTIME_DIR=$(mktemp -d); XDG_DATA_HOME=$(mktemp -d); HOME=$(mktemp -d)
  chmod 700 "$XDG_RUNTIME_DIR"
  export NINSHO_BENCH_INNER=1 RUNS
  exec dbus-run-session -- bash "$0"
fi

printf "%s" bench-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null
BIN=$PWD/target/release/ninsho
READ=$PWD/target/release/examples/keyring_read
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# N generated TOTP accounts, one otpauth URI per line.
accounts() {
  python3 - "$1" <<'PY'
import base64, os, sys
for i in range(int(sys.argv[1])):
    s = base64.b32encode(os.urandom(20)).decode().rstrip("=")
    print(f"otpauth://totp/Service%20{i}:user{i}%40example.com?secret={s}&issuer=Service%20{i}")
PY
}

# hyperfine's mean ± stddev in ms for one command (extra hyperfine options first).
timed() {
  local json="$WORK/h.json"
  hyperfine -N --warmup 3 --min-runs 30 --export-json "$json" "$@" >/dev/null
  python3 - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{r['mean']*1000:.1f} ± {r['stddev']*1000:.1f}")
PY
}

echo "#### Keyring load, 1000 accounts"
echo
echo "| path | median ms | per account ms |"
echo "|---|---|---|"
export NINSHO_KEYRING_SERVICE=bench-load NINSHO_DATA_DIR="$WORK/load"
accounts 1000 >"$WORK/1000.txt"
"$BIN" import "$WORK/1000.txt" >/dev/null 2>&1
# Interleaved, so a busy moment on the machine hits both paths alike.
for _ in $(seq "$RUNS"); do
  echo "raw $("$READ" "$NINSHO_DATA_DIR" | awk '{print $2}')"
  echo "vault $("$READ" "$NINSHO_DATA_DIR" --vault | awk '{print $2}')"
done >"$WORK/load.txt"
for mode in raw vault; do
  ms=$(awk -v m="$mode" '$1 == m {print $2}' "$WORK/load.txt" | median)
  label="raw keyring calls (metadata + one get per item)"
  [[ $mode == vault ]] && label="Ninsho (Vault::open + Vault::account each)"
  echo "| $label | $ms | $(awk -v m="$ms" 'BEGIN {printf "%.2f", m/1000}') |"
done
secret-tool clear service bench-load >/dev/null 2>&1 || true
echo

echo "#### One code, whole process"
echo
echo "| command | mean ± sd ms |"
echo "|---|---|"
secret=$(python3 -c 'import base64, os; print(base64.b32encode(os.urandom(20)).decode().rstrip("="))')
echo "| \`ninsho code --uri URI\` | $(timed "$BIN code --uri otpauth://totp/Bench:me?secret=$secret") |"
echo "| \`oathtool --totp -b SECRET\` | $(timed "oathtool --totp -b $secret") |"
echo

echo "#### PDF recovery sheet, 100 accounts"
echo
if "$BIN" export --help 2>&1 | grep -q pdf; then
  export NINSHO_KEYRING_SERVICE=bench-pdf NINSHO_DATA_DIR="$WORK/pdf"
  accounts 100 >"$WORK/100.txt"
  "$BIN" import "$WORK/100.txt" >/dev/null 2>&1
  echo "| command | mean ± sd ms | pages | size KiB |"
  echo "|---|---|---|---|"
  t=$(timed --prepare "rm -f $WORK/sheet.pdf" "$BIN export --format pdf --output $WORK/sheet.pdf")
  pages=$(pdfinfo "$WORK/sheet.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  echo "| \`ninsho export --format pdf\` (A4) | $t | ${pages:-?} | $(( $(stat -c %s "$WORK/sheet.pdf") / 1024 )) |"
  secret-tool clear service bench-pdf >/dev/null 2>&1 || true
else
  echo "(this build has no PDF export)"
fi
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%d)."
