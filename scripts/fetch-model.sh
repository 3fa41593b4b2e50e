#!/usr/bin/env bash
# Fetches Tesseract's "best" (LSTM, integer) Vietnamese model into ./tessdata.
# It is published on the npm registry as @tesseract.js-data/vie (tessdata_best, 4.0.0_best_int);
# the package hash is pinned so a changed upload is refused. Debian's tesseract-ocr-vie is the
# smaller "fast" model; sohoa falls back to it when ./tessdata is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=tessdata/vie.traineddata
[ -s "$dest" ] && exit 0
expected=4f0a17b39722269c1c5e5f10d7aa3acd9a74fe46b109621973450caa4d9fe19f
url=https://registry.npmjs.org/@tesseract.js-data/vie/-/vie-1.0.0.tgz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if command -v npm >/dev/null 2>&1; then
  (cd "$work" && npm pack --silent @tesseract.js-data/vie@1.0.0 >/dev/null)
  mv "$work"/tesseract.js-data-vie-1.0.0.tgz "$work/vie.tgz"
else
  curl -fsSL "$url" -o "$work/vie.tgz"
fi
actual=$(sha256sum "$work/vie.tgz" | cut -d' ' -f1)
if [ "$actual" != "$expected" ]; then
  echo "fetch-model: checksum mismatch for $url ($actual)" >&2
  exit 1
fi
tar -xzf "$work/vie.tgz" -C "$work" package/4.0.0_best_int/vie.traineddata.gz
mkdir -p tessdata
gunzip -c "$work/package/4.0.0_best_int/vie.traineddata.gz" > "$work/vie.traineddata"
mv "$work/vie.traineddata" "$dest"
echo "fetch-model: installed $dest"
