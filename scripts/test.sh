#!/usr/bin/env bash
# The README's second command (and .ci/run): installs what the tests need, then runs them all,
# end-to-end tests with real Tesseract included.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
cargo test --release
# The criterion benches are compiled, not run (scripts/bench-ocr.sh and `cargo bench` measure).
cargo test --release --benches --no-run
