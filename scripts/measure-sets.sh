#!/usr/bin/env bash
# Re-extracts measurement sets from their stored words (no OCR) with this build and compares
# each with the figures of another build (eval-main.json beside the set).
# usage: scripts/measure-sets.sh SETS_DIR WORK_DIR [name...]
#   SETS_DIR/<name>/set/{scans,truth.csv}, SETS_DIR/<name>/out (a `sohoa run` output),
#   SETS_DIR/<name>/eval-main.json (optional, the baseline). WORK_DIR gets copies of the outs.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/sohoa}
SETS=$1; WORK=$2; shift 2
names=("$@")
[ ${#names[@]} -eq 0 ] && names=($(for n in $(ls "$SETS"); do if [ -f "$SETS/$n/out/report.json" ]; then echo "$n"; fi; done))
mkdir -p "$WORK"
for n in "${names[@]}"; do
  rm -rf "$WORK/$n"; cp -a "$SETS/$n/out" "$WORK/$n"
  "$BIN" run "$SETS/$n/set/scans" --out "$WORK/$n" --quiet --force >/dev/null 2>&1 || true
  "$BIN" eval "$WORK/$n" --truth "$SETS/$n/set/truth.csv" --json > "$WORK/$n.eval.json"
  python3 - "$n" "$WORK/$n.eval.json" "$SETS/$n/eval-main.json" <<'PY'
import json, sys, os
name, now, base = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
b = json.load(open(base)) if os.path.exists(base) else None
def fmt(d):
    s = d.get("status_counts", {})
    return "%6.2f%% auto %3d (%.2f%%)" % (100 * d["overall_accuracy"], s.get("auto", 0), 100 * d["auto_accuracy"])
print("%-9s now %s   base %s   delta %+d fields" % (name, fmt(now), fmt(b) if b else "-",
      now["overall"]["correct"] - b["overall"]["correct"] if b else 0))
PY
done
