#!/usr/bin/env bash
# Throughput of the whole sohoa pipeline against plain `tesseract -l vie` on the same pages,
# the same model and the same number of parallel jobs (OMP_THREAD_LIMIT=1 for both, one page
# per job). Prints pages per second for both and their ratio, then sohoa's accuracy on the set.
#
#   scripts/bench-ocr.sh                 # 4 books x 5 pages, degraded, jobs = cores
#   PROFILE=clean BOOKS=4 PAGES=15 scripts/bench-ocr.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc)}
profile=${PROFILE:-degraded}
books=${BOOKS:-4}
pages=${PAGES:-5}
seed=${SEED:-9001}
work=${WORK:-$(mktemp -d)}
cargo build --release -q
bin=target/release/sohoa
rm -rf "$work/set" "$work/out"
"$bin" synth --out "$work/set" --books "$books" --pages "$pages" --profile "$profile" --seed "$seed" >/dev/null
tessdata=()
[ -s tessdata/vie.traineddata ] && tessdata=(--tessdata-dir tessdata)

t0=$(date +%s.%N)
"$bin" run "$work/set/scans" --out "$work/out" --quiet --jobs "$jobs" || true
t1=$(date +%s.%N)
find "$work/set/scans" -type f \( -name '*.png' -o -name '*.jpg' -o -name '*.tif' \) -print0 |
  xargs -0 -P "$jobs" -I{} env OMP_THREAD_LIMIT=1 tesseract {} - -l vie "${tessdata[@]}" >/dev/null 2>&1
t2=$(date +%s.%N)

total=$(python3 -c "import json;print(json.load(open('$work/out/report.json'))['pages']['total'])")
python3 - "$total" "$t0" "$t1" "$t2" "$jobs" "$profile" <<'PY'
import sys
n, t0, t1, t2, jobs, profile = int(sys.argv[1]), *map(float, sys.argv[2:5]), sys.argv[5], sys.argv[6]
ours, plain = n / (t1 - t0), n / (t2 - t1)
print(f"{n} {profile} pages, {jobs} jobs")
print(f"sohoa run (whole pipeline): {t1 - t0:.1f} s, {ours:.3f} pages/s")
print(f"plain tesseract -l vie:     {t2 - t1:.1f} s, {plain:.3f} pages/s")
print(f"ratio sohoa / plain: {ours / plain:.2f}")
PY
"$bin" eval "$work/out" --truth "$work/set/truth.csv" | grep -E "Overall|recall|auto entries"
echo "set and outputs in $work"
