//! Fuzz targets: everything sohoa reads from outside, as functions of raw bytes that must never
//! panic or hang, whatever the bytes. The same functions serve the cargo-fuzz targets in
//! `fuzz/` (coverage-guided, run by hand for hours) and `tests/fuzz.rs` (the corpus in
//! `fuzz/corpus/` replayed and mutated for a bounded time in every test run).
//!
//! Each target writes the bytes where sohoa would find them and calls the same code a run does.

use crate::dedup::config::MatchConfig;
use crate::dedup::record::RecordStore;
use crate::dedup::vocab::Vocab;
use crate::extract::{ExtractParams, Extractor};
use crate::ingest::BookMeta;
use crate::page::{PageKey, PageResult, PageSource};
use crate::schema::Schemas;
use std::path::Path;
use std::sync::OnceLock;

/// The names of the targets, each with its corpus folder `fuzz/corpus/<name>/`.
pub const TARGETS: &[&str] = &[
    "book_toml",
    "page_image",
    "registry_csv",
    "registry_xlsx",
    "page_result",
];

/// Runs target `name` on `bytes`.
pub fn run(name: &str, bytes: &[u8]) {
    match name {
        "book_toml" => book_toml(bytes),
        "page_image" => page_image(bytes),
        "registry_csv" => registry(bytes, "csv"),
        "registry_xlsx" => registry(bytes, "xlsx"),
        "page_result" => page_result(bytes),
        other => panic!("no fuzz target {other}"),
    }
}

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

fn schemas() -> &'static Schemas {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    SCHEMAS.get_or_init(|| Schemas::load(&Schemas::locate(None)).expect("the schemas load"))
}

/// `book.toml` as found in a book folder.
pub fn book_toml(bytes: &[u8]) {
    let dir = scratch();
    let path = dir.path().join("book.toml");
    std::fs::write(&path, bytes).expect("scratch write");
    let _ = crate::ingest::read_book_meta(&path);
}

/// A page image in whatever format its first bytes say: decoded as a run decodes it, and a
/// small enough picture prepared for OCR too.
pub fn page_image(bytes: &[u8]) {
    let dir = scratch();
    let ext = match bytes {
        [0x89, b'P', ..] => "png",
        [0xFF, 0xD8, ..] => "jpg",
        [b'I', b'I', ..] | [b'M', b'M', ..] => "tif",
        _ => "png",
    };
    let path = dir.path().join(format!("page.{ext}"));
    std::fs::write(&path, bytes).expect("scratch write");
    let source = PageSource {
        key: PageKey {
            book_id: "b".into(),
            page: 1,
        },
        file: format!("page.{ext}"),
        file_bytes: None,
        frame: 0,
        sha256: "unreadable".into(),
    };
    if let Ok((gray, _)) = crate::ingest::load_page_gray_checked(&path, &source) {
        if u64::from(gray.width()) * u64::from(gray.height()) <= 2_000_000 {
            let _ = crate::preprocess::prepare_page(&gray, &Default::default());
        }
    }
}

/// A registry file given with `--existing`, read with the birth register's model.
pub fn registry(bytes: &[u8], ext: &str) {
    static MODEL: OnceLock<MatchConfig> = OnceLock::new();
    let config = MODEL.get_or_init(|| {
        MatchConfig::load(&Schemas::locate(None).join("matching/KS.toml")).expect("KS model")
    });
    let dir = scratch();
    let path = dir.path().join(format!("registry.{ext}"));
    std::fs::write(&path, bytes).expect("scratch write");
    let mut vocab = Vocab::new();
    let mut store = RecordStore::new(config);
    let _ = crate::dedup::read::read_into(&path, config, &mut vocab, &mut store);
}

/// A stored page result (`OUT/pages/<book>/<page>.json`), loaded as a later run loads it and,
/// when it parses, its words extracted again as a re-extraction does.
pub fn page_result(bytes: &[u8]) {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    let dir = scratch();
    let store = crate::store::PageStore::open(dir.path()).expect("scratch store");
    let key = PageKey {
        book_id: "b".into(),
        page: 1,
    };
    let path = store.path_for(&key);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("scratch dir");
    std::fs::write(&path, bytes).expect("scratch write");
    let Ok(Some(result)) = store.load(&key) else {
        return;
    };
    let Some(words) = result_words(&result) else {
        return;
    };
    let extractor = EXTRACTOR.get_or_init(|| {
        Extractor::new(schemas(), "KS", ExtractParams::default()).expect("KS extractor")
    });
    let meta = BookMeta {
        register: "KS".into(),
        volume: "01/1998".into(),
        year: 1998,
        authority: "UBND xã An Nhơn, huyện Phù Cát, tỉnh Bình Định".into(),
        extra: Default::default(),
    };
    let _ = extractor.extract(words, &meta);
}

fn result_words(result: &PageResult) -> Option<&crate::page::OcrPage> {
    // A page of absurd size would only measure the allocator; a run never stores one.
    result
        .ocr
        .as_ref()
        .filter(|o| o.lines.iter().map(|l| l.words.len()).sum::<usize>() < 20_000)
}

/// Where the corpus of a target lives in the source tree.
pub fn corpus_dir(target: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target)
}
