#!/usr/bin/env bash
# Installs the Debian packages sohoa needs (idempotent: only what is missing; headless Chromium
# and its driver for the review page's browser test; Liberation fonts and Pillow for the
# bench-only edition pages of scripts/bench-ocr.sh) and fetches the
# "best" Vietnamese Tesseract model into ./tessdata. Used by setup.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  tesseract-ocr tesseract-ocr-vie libtesseract-dev libleptonica-dev clang pkg-config
  poppler-utils curl ca-certificates
  fonts-dejavu-core fonts-dejavu-extra fonts-freefont-ttf
  fonts-liberation2 python3-pil
  chromium chromium-driver
)
# With --test (scripts/test.sh): what only the tests need, a throwaway single-node Slurm for the
# cluster recipe's test, and venv for the Kubernetes schema check.
if [ "${1:-}" = "--test" ]; then
  packages+=(slurmctld slurmd slurm-client munge python3-venv)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is not installed: install the Rust toolchain with rustup (https://rustup.rs)" >&2
  exit 1
fi

scripts/fetch-model.sh || echo "warning: could not fetch the best Vietnamese model; sohoa will use Debian's tesseract-ocr-vie" >&2
