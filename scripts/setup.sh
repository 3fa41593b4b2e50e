#!/usr/bin/env bash
# The README's first command: installs everything, builds sohoa, and runs it on scans-sample/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo build --release
./target/release/sohoa run scans-sample --out out/sample && status=0 || status=$?
echo "sohoa exited with $status; outputs in out/sample (records/, import/, report.json)"
exit "$status"
