#!/usr/bin/env bash
# Regenerates every figure in BENCHMARKS.md, in place.
#
#   bash benches/report.sh              # all sections
#   bash benches/report.sh otp window   # some of them
#
# Each section's figures sit between `<!-- report:NAME -->` and
# `<!-- /report:NAME -->` in BENCHMARKS.md; the prose around them (method,
# notes) is written by hand and left alone. Sections and what makes them:
#
#   otp     cargo bench --bench otp (criterion medians)
#   scan    cargo bench --bench scan
#   window  bash benches/window.sh   (Xvfb, D-Bus, gnome-keyring)
#   cli     bash benches/cli.sh      (D-Bus, gnome-keyring, hyperfine)
#
# Needs the test command's packages (bash .ci/test installs them) plus
# hyperfine. Run it on an otherwise idle machine: the figures are wall times.
set -euo pipefail
cd "$(dirname "$0")/.."
sections=("$@")
((${#sections[@]})) || sections=(otp scan window cli)

otp() {
  cargo bench --quiet --bench otp -- --noplot 2>/dev/null | parse_criterion
}
parse_criterion() {
  python3 -c '
import re, sys
units = {"ps": 1e-3, "ns": 1, "µs": 1e3, "us": 1e3, "ms": 1e6}
print("| benchmark | ns per call (criterion estimate) | 95% interval ns |")
print("|---|---|---|")
name = None
for line in sys.stdin:
    m = re.match(r"^(\S+/\S+)\s*(time:.*)?$", line.strip())
    if m and not line.startswith(" "):
        name = m.group(1)
    t = re.search(r"time:\s*\[(\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\]", line)
    if t and name:
        lo, mid, hi = (float(t.group(i)) * units[t.group(i + 1)] for i in (1, 3, 5))
        print(f"| {name} | {mid:.0f} | {lo:.0f}–{hi:.0f} |")
        name = None
'
}
scan() { cargo bench --quiet --bench scan 2>/dev/null; }
window() { bash benches/window.sh 2>/dev/null; }
cli() { bash benches/cli.sh; }

for s in "${sections[@]}"; do
  echo "== $s" >&2
  out=$(mktemp)
  "$s" >"$out"
  python3 - "$s" "$out" <<'PY'
import sys
name, out = sys.argv[1], open(sys.argv[2]).read().strip()
path = "BENCHMARKS.md"
text = open(path).read()
start, end = f"<!-- report:{name} -->", f"<!-- /report:{name} -->"
if start in text and end in text:
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    text = f"{head}{start}\n{out}\n{end}{tail}"
else:
    text = f"{text.rstrip()}\n\n{start}\n{out}\n{end}\n"
open(path, "w").write(text)
PY
  rm -f "$out"
done
