//! The book checks on small constructed books (the scenario tests are in `tests/bookcheck.rs`).

use super::*;

#[test]
fn every_code_has_an_explanation() {
    for (code, doc) in CODES {
        assert!(code.starts_with("BOOK-"));
        assert_eq!(explain(code), Some(doc));
    }
    assert_eq!(explain("KS-NOPE"), None);
}

#[test]
fn ranges_read_well() {
    assert_eq!(range(5, 5), "5");
    assert_eq!(range(5, 7), "5–7");
}
