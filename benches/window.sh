#!/usr/bin/env bash
# Window start-up, idle CPU and memory with 300 and 1000 accounts in the real
# keyring, next to a blank eframe window built in the same run.
#
#   bash benches/window.sh            # prints a Markdown table for BENCHMARKS.md
#
# Method: release builds; a private D-Bus session with a throwaway gnome-keyring
# under Xvfb (software rendering via Mesa). Each figure is the median of RUNS
# launches. "first frame" and "all codes" come from NINSHO_TRACE_STARTUP (ms since
# main()); "keyring floor" is examples/keyring_read (metadata + one get per item,
# no window); idle CPU is utime+stime from /proc over 10 s starting 3 s after all
# codes showed; peak RSS is VmHWM. Floor and window launches alternate; the
# ratio column gives all codes / floor both from the medians and per round (each
# window launch against the floor read just before it), median and range.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}

if [[ -z "${NINSHO_BENCH_INNER:-}" ]]; then
  cargo build --release --quiet --bin ninsho --example blank_window --example keyring_read
  export XDG_RUNTIME_DIR XDG_DATA_HOME HOME
  XDG_RUNTIME_DIR=$(mktemp -d); XDG_DATA_HOME=$(mktemp -d); HOME=$(mktemp -d)
  chmod 700 "$XDG_RUNTIME_DIR"
  export NINSHO_BENCH_INNER=1 RUNS
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash "$0" 2> >(grep -v "fd limit\|a11y" >&2)
fi

printf "%s" bench-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null
BIN=target/release/ninsho
BLANK=target/release/examples/blank_window
READ=target/release/examples/keyring_read
TICKS=$(getconf CLK_TCK)

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Runs a GUI binary once; prints "first_ms codes_ms cpu_percent rss_mib".
launch() {
  local log; log=$(mktemp)
  NINSHO_TRACE_STARTUP=1 "$@" 2>"$log" &
  local pid=$! waited=0
  while ! grep -q "$WAIT_FOR" "$log" 2>/dev/null; do
    sleep 0.05; waited=$((waited + 1))
    if ((waited > 2400)); then echo "timed out waiting for '$WAIT_FOR'" >&2; cat "$log" >&2; kill $pid; return 1; fi
  done
  sleep 3
  local t0; t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
  sleep 10
  local t1; t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
  local rss; rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  local first codes
  first=$(sed -n 's/.*first frame \([0-9]*\) ms.*/\1/p' "$log" | head -1)
  codes=$(sed -n 's/.*all codes ready \([0-9]*\) ms.*/\1/p' "$log" | head -1)
  echo "$first ${codes:-0} $(awk -v a="$t0" -v b="$t1" -v t="$TICKS" 'BEGIN {printf "%.2f", (b-a)/t/10*100}') $((rss / 1024))"
  rm -f "$log"
}

col() { awk -v c="$1" '{print $c}' | median; }

WAIT_FOR="first frame"
blank=$(for _ in $(seq "$RUNS"); do launch "$BLANK"; done)
b_first=$(col 1 <<<"$blank"); b_cpu=$(col 3 <<<"$blank"); b_rss=$(col 4 <<<"$blank")

echo "| accounts | keyring floor (ms) | first frame (ms) | all codes (ms) | all codes / floor: of medians, median per round (range) | idle CPU (% of a core) | peak RSS (MiB) |"
echo "|---|---|---|---|---|---|---|"
echo "| blank eframe window | – | $b_first | – | – | $b_cpu | $b_rss |"
for n in 300 1000; do
  export NINSHO_KEYRING_SERVICE="bench-$n" NINSHO_DATA_DIR; NINSHO_DATA_DIR=$(mktemp -d)
  list=$(mktemp)
  python3 - "$n" >"$list" <<'PY'
import base64, os, sys
for i in range(int(sys.argv[1])):
    s = base64.b32encode(os.urandom(20)).decode().rstrip("=")
    print(f"otpauth://totp/Service%20{i}:user{i}%40example.com?secret={s}&issuer=Service%20{i}")
PY
  "$BIN" import "$list" >/dev/null
  # Floor and window runs alternate, so a busy moment on the machine hits both.
  WAIT_FOR="all codes ready"
  floors="" runs=""
  for _ in $(seq "$RUNS"); do
    floors+="$("$READ" "$NINSHO_DATA_DIR" | awk '{print $2}')"$'\n'
    runs+="$(launch "$BIN")"$'\n'
  done
  floor=$(grep . <<<"$floors" | median)
  runs=$(grep . <<<"$runs")
  codes=$(col 2 <<<"$runs")
  # Each round's window against the floor read just before it.
  ratios=$(paste -d' ' <(grep . <<<"$floors") <(awk '{print $2}' <<<"$runs") | awk '{printf "%.2f\n", $2 / $1}')
  ratio=$(awk -v c="$codes" -v f="$floor" 'BEGIN {printf "%.2f", c / f}')
  per_round="$(median <<<"$ratios")x ($(sort -n <<<"$ratios" | head -1)–$(sort -n <<<"$ratios" | tail -1))"
  echo "| $n | $floor | $(col 1 <<<"$runs") | $codes | ${ratio}x, $per_round | $(col 3 <<<"$runs") | $(col 4 <<<"$runs") |"
  secret-tool clear service "bench-$n" >/dev/null 2>&1 || true
done
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%d)."
