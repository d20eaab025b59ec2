#!/usr/bin/env bash
# Runs Ninsho's fuzz targets and prints one line of figures per target.
#
#   bash fuzz/run.sh [SECONDS] [TARGET...]     (default: 600 s each, every target)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). On a stable toolchain
# RUSTC_BOOTSTRAP=1 unlocks the nightly flags cargo-fuzz passes. Each target
# starts from the committed seeds/TARGET plus whatever corpus/TARGET grew in
# earlier runs (corpus/, artifacts/ and logs/ are not committed). A crash, hang
# or huge allocation stops that target; its input lands in artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(uri migration import import_encrypted scan)
export RUSTC_BOOTSTRAP=1 CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}

max_len() {
  case $1 in
    uri | migration) echo 8192 ;;
    import | import_encrypted) echo 32768 ;;
    scan) echo 65536 ;;
  esac
}

cargo fuzz build
mkdir -p logs
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  # -timeout: one input taking over 10 s is a hang. The memory limits make a
  # hostile size field a finding rather than a swap storm.
  if nice -n 10 cargo fuzz run "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
    -max_len="$(max_len "$t")" -print_final_stats=1 >"logs/$t.log" 2>&1; then
    result=ok
  else
    result="FINDING (see logs/$t.log and artifacts/$t/)"
    status=1
  fi
  # libFuzzer's own clock (the build that `cargo fuzz run` may do is not counted).
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "logs/$t.log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "logs/$t.log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "logs/$t.log" | tail -1)
  corpus=$(find "corpus/$t" -type f | wc -l)
  echo "$t: ${took:-?}s, ${execs:-?} execs, ${rate:-?} exec/s, corpus $corpus, peak RSS ${rss:-?} MB: $result"
done
exit $status
