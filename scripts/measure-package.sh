#!/usr/bin/env bash
# Measures the delivery package: PDF bytes per page, and whether OCR reads the packaged PDFs as
# well as the original scans (issue 8). Steps: synth -> run -> package -> pdftoppm each page's
# PDF at 300 dpi -> run again on the rendered pages -> eval both runs against the same truth.
#
#   scripts/measure-package.sh [WORKDIR] [BOOKS] [PAGES] [SEED]
#
# Needs a release build (built here), poppler-utils (pdftoppm), python3 (to unpack the ZIPs).
# Pages with no packaged entry (none importable) keep their original scan in the second run, so
# page numbers stay aligned with the truth; their count is printed (0 on a clean synth set).
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-target/measure-package}"
books="${2:-2}"
pages="${3:-6}"
seed="${4:-8}"
sohoa=./target/release/sohoa
cargo build --release --quiet
rm -rf "$work"
mkdir -p "$work"

"$sohoa" synth --out "$work/set" --books "$books" --pages "$pages" --profile clean --seed "$seed"
scans="$work/set/scans"
# --min-confidence 0: package every entry no rule rejects, so the PDFs cover the whole set
# (the default threshold sends most entries to review today; see README).
"$sohoa" run "$scans" --out "$work/out-scan" --quiet --min-confidence 0 || true
"$sohoa" package "$work/out-scan" --allow-partial --json > "$work/package.json" || true

# One rendered image per page, from the first PDF of an entry on that page.
rendered="$work/scans-pdf"
mkdir -p "$rendered"
unzipped="$work/unzipped"
fallback=0
for book_dir in "$scans"/*/; do
    book=$(basename "$book_dir")
    mkdir -p "$rendered/$book" "$unzipped/$book"
    cp "$book_dir/book.toml" "$rendered/$book/"
    zip=$(ls "$work/out-scan/delivery/$book/"*.zip 2>/dev/null | head -n1 || true)
    if [ -n "$zip" ]; then
        python3 -m zipfile -e "$zip" "$unzipped/$book"
    fi
    for result in "$work/out-scan/pages/$book"/*.json; do
        page=$((10#$(basename "$result" .json)))
        file=$(grep -o '"file":"[^"]*"' "$result" | head -n1 | sed 's/"file":"\(.*\)"/\1/')
        # Named by page number so the rendered book keeps the scan's page order (frames of a
        # multi-page TIFF included).
        stem=$(printf 'page-%03d' "$page")
        # manifest: file,book,entry,sha256,bytes with entry = page:index
        pdf=$(grep ",$book,$page:" "$work/out-scan/delivery/manifest.csv" | head -n1 | cut -d, -f1 || true)
        if [ -n "$pdf" ]; then
            pdftoppm -r 300 -png -singlefile "$unzipped/$book/$(basename "$pdf")" "$rendered/$book/$stem"
        else
            cp "$scans/$file" "$rendered/$book/$stem.${file##*.}"
            fallback=$((fallback + 1))
        fi
    done
done

"$sohoa" run "$rendered" --out "$work/out-pdf" --quiet --min-confidence 0 || true
"$sohoa" eval "$work/out-scan" --truth "$work/set/truth.csv" --json > "$work/eval-scan.json"
"$sohoa" eval "$work/out-pdf" --truth "$work/set/truth.csv" --json > "$work/eval-pdf.json"

python3 - "$work" "$fallback" <<'PY'
import json, sys
work, fallback = sys.argv[1], int(sys.argv[2])
pkg = json.load(open(f"{work}/package.json"))
pages = sum(b.get("pages", 0) for b in pkg["books"])
image_bytes = sum(b.get("page_image_bytes", 0) for b in pkg["books"])
pdf_bytes, pdfs = 0, 0
for line in open(f"{work}/out-scan/delivery/manifest.csv").read().splitlines()[1:]:
    f = line.split(",")
    if f[0].endswith(".pdf"):
        pdf_bytes += int(f[4]); pdfs += 1
scan, pdf = (json.load(open(f"{work}/eval-{k}.json")) for k in ("scan", "pdf"))
print(f"pages packaged: {pages}; page image bytes per page: {image_bytes / max(pages, 1) / 1000:.1f} kB; "
      f"PDF bytes per entry PDF (one page each): {pdf_bytes / max(pdfs, 1) / 1000:.1f} kB")
print(f"pages kept from the original scan (nothing packaged on them): {fallback}")
for k in ("overall_accuracy", "auto_accuracy", "entry_recall"):
    print(f"{k}: original scans {scan.get(k)}, packaged PDFs {pdf.get(k)}")
PY
