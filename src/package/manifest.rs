//! `OUT/delivery/manifest.csv`: every delivered file (and every PDF inside a ZIP) with its
//! SHA-256 and size, so a receiver can check what arrived.

use crate::schema::hex;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// One delivered file. `file` is relative to `OUT/delivery/`; a PDF inside a ZIP is
/// `<book>/<zip name>/<pdf name>`. `entry` is `page:index` for PDFs, empty for book files.
/// `book_state` says whether the book's package holds all its entries (`complete`) or only the
/// ready ones (`partial`, with `--allow-partial`), and `left_out` how many entries it lacks:
/// a partial package can never pass for a complete one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestRow {
    pub file: String,
    pub book: String,
    pub entry: String,
    pub sha256: String,
    pub bytes: u64,
    pub book_state: String,
    pub left_out: usize,
}

impl ManifestRow {
    pub fn new(file: String, book: &str, entry: String, content: &[u8]) -> Self {
        Self {
            file,
            book: book.to_string(),
            entry,
            sha256: hex(&Sha256::digest(content)),
            bytes: content.len() as u64,
            book_state: "complete".into(),
            left_out: 0,
        }
    }
}

pub const HEADER: [&str; 7] = [
    "file",
    "book",
    "entry",
    "sha256",
    "bytes",
    "book_state",
    "left_out",
];

/// The manifest's bytes: a header and the rows in the order given.
pub fn manifest_bytes(rows: &[ManifestRow]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if rows.is_empty() {
        w.write_record(HEADER)?;
    }
    for r in rows {
        w.serialize(ManifestRow {
            file: crate::emit::clean_cell(&r.file),
            book: crate::emit::clean_cell(&r.book),
            ..r.clone()
        })?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_hash_and_size() {
        let row = ManifestRow::new("b/x.xlsx".into(), "b", String::new(), b"abc");
        assert_eq!(
            row.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let text = String::from_utf8(manifest_bytes(&[row]).unwrap()).unwrap();
        assert!(
            text.starts_with("file,book,entry,sha256,bytes,book_state,left_out\nb/x.xlsx,b,,ba78"),
            "{text}"
        );
        assert!(text.trim_end().ends_with(",3,complete,0"), "{text}");
        let empty = String::from_utf8(manifest_bytes(&[]).unwrap()).unwrap();
        assert_eq!(empty, "file,book,entry,sha256,bytes,book_state,left_out\n");
    }
}
