#!/usr/bin/env bash
# Figures for BENCHMARKS.md, "Automatic backup, 1000 accounts": `ninsho backup
# now` (read every secret from the keyring, write the Aegis-encrypted file,
# read it back, decrypt and compare it, prune) against `ninsho export --format
# aegis-encrypted` (the same file, not verified), whole processes; and
# `autobackup::run` alone over a memory store (examples/backup_time.rs): the
# backup's own cost, without the 1000 keyring reads.
#
#   bash benches/backup.sh                     # release build
#   NINSHO_BIN=path/to/ninsho NINSHO_BACKUP_TIME=path/to/backup_time \
#     bash benches/backup.sh                   # any other build
#
# Method: a private D-Bus session with a throwaway, unlocked gnome-keyring;
# 1000 generated TOTP accounts imported once; then RUNS (default 5) runs of
# each command, interleaved; median wall time and median CPU time (user +
# system, from /usr/bin/time) in ms.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}

if [[ -z "${NINSHO_BENCH_INNER:-}" ]]; then
  for tool in gnome-keyring-daemon dbus-run-session python3; do
    command -v "$tool" >/dev/null || { echo "benches/backup.sh needs $tool" >&2; exit 1; }
  done
  [[ -x /usr/bin/time ]] || { echo "benches/backup.sh needs /usr/bin/time (Debian: apt install time)" >&2; exit 1; }
  if [[ -z "${NINSHO_BIN:-}" ]]; then
    cargo build --release --quiet --bin ninsho --example backup_time
    NINSHO_BIN=$PWD/target/release/ninsho
    NINSHO_BACKUP_TIME=$PWD/target/release/examples/backup_time
  fi
  export XDG_RUNTIME_DIR XDG_DATA_HOME HOME NINSHO_BIN NINSHO_BACKUP_TIME RUNS
  XDG_RUNTIME_DIR=$(mktemp -d); XDG_DATA_HOME=$(mktemp -d); HOME=$(mktemp -d)
  chmod 700 "$XDG_RUNTIME_DIR"
  export NINSHO_BENCH_INNER=1
  exec dbus-run-session -- bash "$0"
fi

printf "%s" bench-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null
for _ in $(seq 100); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true && break
  sleep 0.1
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export NINSHO_DATA_DIR=$WORK/data NINSHO_KEYRING_SERVICE=ninsho-bench-backup NINSHO_LANG=en

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

python3 - > "$WORK/list.txt" <<'PY'
import base64, os
for i in range(1000):
    s = base64.b32encode(os.urandom(20)).decode().rstrip("=")
    print(f"otpauth://totp/Service%20{i}:user{i}%40example.com?secret={s}&issuer=Service%20{i}")
PY
printf 'bench backup password\n' > "$WORK/pw"
"$NINSHO_BIN" import "$WORK/list.txt" >/dev/null 2>&1
"$NINSHO_BIN" backup set --folder "$WORK/backups" --password-file "$WORK/pw" >/dev/null 2>&1

# One run: "wall_ms cpu_ms".
run() {
  /usr/bin/time -f "%e %U %S" -o "$WORK/t" "$@" >/dev/null 2>&1
  awk '{printf "%d %d\n", $1*1000, ($2+$3)*1000}' "$WORK/t"
}
: > "$WORK/backup"; : > "$WORK/export"
for _ in $(seq "$RUNS"); do
  run "$NINSHO_BIN" backup now >> "$WORK/backup"
  rm -f "$WORK/export.json"
  run "$NINSHO_BIN" export --format aegis-encrypted --output "$WORK/export.json" --password-file "$WORK/pw" >> "$WORK/export"
done
size=$(( $(stat -c %s "$WORK/export.json") / 1024 ))

echo "| command, 1000 accounts | median wall ms | median CPU ms (user+sys) |"
echo "|---|---|---|"
for k in backup export; do
  label=$([[ $k == backup ]] && echo '`ninsho backup now` (write + verify + prune)' || echo '`ninsho export --format aegis-encrypted` (write only)')
  echo "| $label | $(cut -d' ' -f1 "$WORK/$k" | median) | $(cut -d' ' -f2 "$WORK/$k" | median) |"
done
if [[ -n "${NINSHO_BACKUP_TIME:-}" ]]; then
  "$NINSHO_BACKUP_TIME" 1000 "$((RUNS * 2 - 1))" > "$WORK/alone"
  echo "| \`autobackup::run\` alone, memory store ($((RUNS * 2 - 1)) runs) | $(cut -d' ' -f1 "$WORK/alone" | median) | $(cut -d' ' -f2 "$WORK/alone" | median) |"
fi
echo
echo "File: ${size} KiB; binary: $NINSHO_BIN; $RUNS runs each; $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
