//! Synthetic register pages with known truth, for tests and accuracy measurement.
