#!/usr/bin/env bash
# Throughput of the whole sohoa pipeline against plain `tesseract -l vie` on the same pages, the
# same model and the same number of parallel jobs (OMP_THREAD_LIMIT=1 for both, one page file
# per tesseract job), on three kinds of pages, each clean and degraded:
#
#   synth200    sohoa's own synthetic pages at 200 dpi (PNG, some JPEG and TIFF when degraded)
#   synth300    the same at 300 dpi (`sohoa synth --dpi 300`)
#   edition300  books of a form edition written only for this bench (benches/edition-KS-bench.toml,
#               not in schemas/editions), other faces (Liberation Serif labels, FreeSans values),
#               300 dpi, every page re-encoded as a JPEG of quality 85 by libjpeg (Pillow)
#
# The machine may be shared: sohoa and tesseract are timed in turns on the same set (ROUNDS
# rounds, the order swapped every round), the 1-minute load average noted before each timing;
# each figure is the median of its rounds. Besides wall-clock time, the CPU time (user +
# system, sohoa's OCR workers and every tesseract included) is compared: on a busy machine it
# is the steadier of the two. Accuracy (`sohoa eval`) and the mean stage times of
# report.json come from sohoa's last run of each set.
#
#   scripts/bench-ocr.sh                          # all kinds, clean and degraded, 4 books x 5 pages
#   KINDS=synth300 PROFILES=clean ROUNDS=3 scripts/bench-ocr.sh
#   WORK=/work/sets-speed BIN=/path/to/other/sohoa scripts/bench-ocr.sh   # another build, same sets
#   ROUNDS=0 scripts/bench-ocr.sh                 # accuracy only: one sohoa run per set, no timing
#
# Prints one line per set and writes them to $WORK/bench-ocr.tsv. edition300 needs Pillow
# (Debian: python3-pil) to write the JPEG pages.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
jobs=${JOBS:-2}
kinds=${KINDS:-synth200 synth300 edition300}
profiles=${PROFILES:-clean degraded}
books=${BOOKS:-4}
pages=${PAGES:-5}
seed=${SEED:-9001}
rounds=${ROUNDS:-2}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
if [ -z "${BIN:-}" ]; then
  cargo build --release -q
  bin=$repo/target/release/sohoa
else
  bin=$(realpath "$BIN")
fi
# One model for both, named explicitly: sohoa's own tessdata/ when fetched, else Tesseract's
# installed one (TESSDATA overrides). A sohoa binary built elsewhere would otherwise look for a
# model beside its own sources.
model=${TESSDATA:-}
[ -z "$model" ] && [ -s tessdata/vie.traineddata ] && model=$repo/tessdata
[ -z "$model" ] && model=$(tesseract --list-langs 2>&1 | sed -n 's/.*"\(.*\)".*/\1/p' | head -n 1)
tessdata=(--tessdata-dir "$model")
export SOHOA_TESSDATA=$model OMP_THREAD_LIMIT=1
# Pillow for the JPEG pages: the python3 on PATH, else Debian's (python3-pil).
py=python3
python3 -c 'import PIL' 2>/dev/null || py=/usr/bin/python3

# Schemas for the bench edition: books are rendered from it alone and read with it added to
# the built-in editions.
bench_schemas() {
  rm -rf "$work/schemas-render" "$work/schemas-read"
  cp -r schemas "$work/schemas-render"
  cp -r schemas "$work/schemas-read"
  rm -f "$work/schemas-render/editions/"KS-*.toml
  cp benches/edition-KS-bench.toml "$work/schemas-render/editions/"
  cp benches/edition-KS-bench.toml "$work/schemas-read/editions/"
}

# Every page of a set as its own JPEG (TIFF books split into one file per frame).
to_jpeg() {
  "$py" - "$1" <<'PY'
import os, sys
from PIL import Image, ImageSequence
root = sys.argv[1]
for book in sorted(os.listdir(root)):
    d = os.path.join(root, book)
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        stem, ext = os.path.splitext(name)
        if ext == ".tif":
            for i, frame in enumerate(ImageSequence.Iterator(Image.open(path))):
                frame.convert("L").save(os.path.join(d, f"page-{i + 1:03}.jpg"), quality=85, dpi=(300, 300))
            os.remove(path)
        elif ext in (".png", ".jpg"):
            img = Image.open(path).convert("L")
            os.remove(path)
            img.save(os.path.join(d, stem + ".jpg"), quality=85, dpi=(300, 300))
PY
}

make_set() { # kind profile dir
  local kind=$1 profile=$2 dir=$3
  local args=(--out "$dir" --books "$books" --pages "$pages" --profile "$profile" --seed "$seed")
  case $kind in
    synth200) "$bin" synth "${args[@]}" >/dev/null ;;
    synth300) "$bin" synth "${args[@]}" --dpi 300 >/dev/null ;;
    edition300)
      "$bin" synth "${args[@]}" --dpi 300 --schemas "$work/schemas-render" \
        --label-font liberation2/LiberationSerif-Regular.ttf,liberation2/LiberationSerif-Bold.ttf \
        --value-font freefont/FreeSans.ttf >/dev/null
      to_jpeg "$dir/scans" ;;
    *) echo "unknown kind $kind (synth200, synth300, edition300)" >&2; exit 2 ;;
  esac
}

load() { cut -d' ' -f1 /proc/loadavg; }

# Runs a command; prints its wall-clock seconds and the CPU seconds (user + system) of it and
# every process it waited for (sohoa's OCR workers, xargs' tesseracts).
timed() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
before = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - t0
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
print(f"{wall:.2f} {cpu:.2f}")
PY
}

time_sohoa() { # dir [run options...]; prints wall and CPU seconds
  local dir=$1; shift
  rm -rf "$dir/out"
  timed "$bin" run "$dir/scans" --out "$dir/out" --quiet --jobs "$jobs" "$@"
}

time_tesseract() { # dir; prints wall and CPU seconds
  local dir=$1
  find "$dir/scans" -type f \( -name '*.png' -o -name '*.jpg' -o -name '*.tif' \) -print0 >"$dir/pages.list"
  timed xargs -0 -a "$dir/pages.list" -P "$jobs" -I{} tesseract {} - -l vie "${tessdata[@]}"
}

results=$work/bench-ocr.tsv
printf 'date\tkind\tprofile\tpages\tsohoa_s\ttesseract_s\tratio\tload_sohoa\tload_tesseract\tsohoa_cpu_s\ttesseract_cpu_s\tcpu_ratio\tfields\tauto\tpreprocess_ms\tocr_ms\n' >"$results"
[[ " $kinds " == *" edition300 "* ]] && bench_schemas
for kind in $kinds; do
  for profile in $profiles; do
    dir=$work/$kind-$profile
    rm -rf "$dir"
    make_set "$kind" "$profile" "$dir"
    read_args=()
    [ "$kind" = edition300 ] && read_args=(--schemas "$work/schemas-read")
    ours=() plain=() ours_load=() plain_load=()
    if ((rounds == 0)); then
      # Accuracy only: one run of sohoa, nothing timed.
      rm -rf "$dir/out"
      "$bin" run "$dir/scans" --out "$dir/out" --quiet --jobs "$jobs" "${read_args[@]}" >/dev/null 2>&1 || true
      ours=(0/0) plain=(0/0) ours_load=(-) plain_load=(-)
    fi
    for ((r = 0; r < rounds; r++)); do
      if ((r % 2 == 0)); then
        ours_load+=("$(load)"); ours+=("$(time_sohoa "$dir" "${read_args[@]}" | tr ' ' /)")
        plain_load+=("$(load)"); plain+=("$(time_tesseract "$dir" | tr ' ' /)")
      else
        plain_load+=("$(load)"); plain+=("$(time_tesseract "$dir" | tr ' ' /)")
        ours_load+=("$(load)"); ours+=("$(time_sohoa "$dir" "${read_args[@]}" | tr ' ' /)")
      fi
    done
    scores=$("$bin" eval "$dir/out" --truth "$dir/truth.csv" --json)
    python3 - "$dir/out/report.json" "$kind" "$profile" "$scores" \
      "${ours[*]}" "${plain[*]}" "${ours_load[*]}" "${plain_load[*]}" >>"$results" <<'PY'
import json, statistics, sys, datetime
report = json.load(open(sys.argv[1]))
kind, profile, scores = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
# Each timing is WALL/CPU seconds.
ours, plain = ([[float(v) for v in x.split("/")] for x in a.split()] for a in sys.argv[5:7])
n = report["pages"]["total"]
stage = report["throughput"]["mean_stage_ms"]
o, p = statistics.median(x[0] for x in ours), statistics.median(x[0] for x in plain)
oc, pc = statistics.median(x[1] for x in ours), statistics.median(x[1] for x in plain)
ratio = lambda a, b: f"{a / b:.2f}" if b else "-"

def share(part):
    return f"{part['correct']}/{part['counted']}"
fields = f"{scores['overall_accuracy'] * 100:.2f}% ({share(scores['overall'])})"
auto = share(scores["auto_fields"])
print("\t".join(str(x) for x in [
    datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), kind, profile, n,
    " ".join(f"{x[0]:.1f}" for x in ours), " ".join(f"{x[0]:.1f}" for x in plain), ratio(p, o),
    sys.argv[7], sys.argv[8],
    " ".join(f"{x[1]:.1f}" for x in ours), " ".join(f"{x[1]:.1f}" for x in plain), ratio(pc, oc),
    fields, auto,
    round(stage.get("preprocess", 0)), round(stage.get("ocr", 0))]))
PY
    tail -n 1 "$results"
  done
done
echo "model $model; sets and outputs in $work; results in $results"
