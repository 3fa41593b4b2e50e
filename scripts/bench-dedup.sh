#!/usr/bin/env bash
# Benchmark of `sohoa dedup` at province scale: generates (once) a registry of 1,000,000 birth
# registrations and a batch of 100,000 with known duplicates and near misses, then links the
# batch against the registry with a release build under /usr/bin/time -v and prints the time,
# the peak memory, candidate pairs per second and the scores against the truth.
#
#   scripts/bench-dedup.sh                      # 1,000,000 x 100,000, seed 11
#   REGISTRY=200000 BATCH=20000 scripts/bench-dedup.sh
#   JOBS=2 scripts/bench-dedup.sh               # limit worker threads
#
# Targets (issue 4): at most 60 s and 3 GiB on 2 cores; pairwise F1 >= 0.97 and precision of
# `duplicate` >= 0.995 on the generated data; no twin merged.
set -euo pipefail
cd "$(dirname "$0")/.."

REGISTRY=${REGISTRY:-1000000}
BATCH=${BATCH:-100000}
SEED=${SEED:-11}
DIR=${DIR:-target/bench-dedup}
JOBS=${JOBS:-}

cargo build --release --quiet
BIN=target/release/sohoa
SET="$DIR/set-$REGISTRY-$BATCH-$SEED"
OUT="$DIR/out-$REGISTRY-$BATCH-$SEED"
mkdir -p "$DIR"

if [ ! -f "$SET/pairs.csv" ]; then
    echo "Generating $REGISTRY registry and $BATCH batch records in $SET ..."
    "$BIN" dedup-synth --out "$SET" --registry "$REGISTRY" --batch "$BATCH" --seed "$SEED"
fi

echo "Machine: $(nproc) core(s), $(grep MemTotal /proc/meminfo | awk '{printf "%.1f GiB", $2/1048576}'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
ARGS=(dedup --input "$SET/batch.csv" --existing "$SET/registry.csv" --truth "$SET/pairs.csv" --out "$OUT")
if [ -n "$JOBS" ]; then ARGS+=(--jobs "$JOBS"); fi
/usr/bin/time -v "$BIN" "${ARGS[@]}" 2> "$OUT.time" | tee "$OUT.summary"
grep -E "Elapsed \(wall clock\)|Maximum resident set size|Percent of CPU" "$OUT.time" | sed 's/^\s*//'
echo "Report: $OUT/report.json"
