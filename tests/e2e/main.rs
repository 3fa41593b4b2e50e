//! End-to-end tests: the `sohoa` binary on synthesized register pages, with real Tesseract.
//! One test binary; helpers in `util`.

mod corrections;
mod editions;
mod hardening;
mod run;
mod shards;
mod util;
