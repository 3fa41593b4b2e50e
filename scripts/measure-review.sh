#!/usr/bin/env bash
# The review round trip of issue 17 on a synthetic set already run: export the review queue,
# fill it from the truth (as a reviewer who looks only at the fields the queue shows), import
# it, package, and score the delivered import files against the truth.
# usage: scripts/measure-review.sh SET_DIR OUT_DIR [sohoa binary]
#   SET_DIR holds truth.csv (from `sohoa synth`), OUT_DIR the output of `sohoa run` on its scans.
# The run's folder is copied first: the original stays as read.
set -euo pipefail
SET=$1; OUT=$2; BIN=${3:-target/release/sohoa}
RT=$(mktemp -d)/out
cp -r "$OUT" "$RT"
rm -f "$RT/journal.sqlite" "$RT/journal.sqlite-wal" "$RT/journal.sqlite-shm"
"$BIN" review "$RT" --export-queue "$RT/queue.csv" >/dev/null
"$BIN" eval "$RT" --truth "$SET/truth.csv" --fill-queue "$RT/queue.csv" --filled "$RT/filled.csv"
"$BIN" review "$RT" --import "$RT/filled.csv" --reviewer measure >/dev/null
"$BIN" emit "$RT" --quiet || true
pkg=0; "$BIN" package "$RT" --quiet || pkg=$?
"$BIN" eval "$RT" --truth "$SET/truth.csv" --json > "$RT/eval-delivered.json"
python3 - "$RT" "$pkg" <<'PY'
import csv, json, sys
rt, pkg = sys.argv[1], int(sys.argv[2])
rows = list(csv.DictReader(open(f"{rt}/queue.csv", encoding="utf-8-sig")))
fields = [r for r in rows if r["field"]]
keying = [r for r in fields if not r["value_read"]]
e = json.load(open(f"{rt}/eval-delivered.json"))
entries = e["output_entries"]
imp = e["importable_fields"]
manifest = list(csv.DictReader(open(f"{rt}/delivery/manifest.csv", encoding="utf-8-sig")))
books = sorted({(r.get("book"), r.get("book_state", "")) for r in manifest})
print(json.dumps({
    "entries": entries,
    "fields_shown": len(fields),
    "fields_shown_per_entry": round(len(fields) / entries, 2),
    "fields_to_key": len(keying),
    "entry_rows": len(rows) - len(fields),
    "importable_entries": e["importable_entries"],
    "delivered_fields": imp["counted"],
    "delivered_right": imp["correct"],
    "delivered_accuracy": round(imp["correct"] / max(imp["counted"], 1), 5),
    "package_exit": pkg,
    "books": books,
}, ensure_ascii=False))
PY
