//! OCR with Tesseract (`vie`) behind a small trait: one engine per worker thread, created once
//! and reused across pages; words come back with boxes and confidences, grouped into lines, in
//! the coordinates of the original page image.

mod bands;
mod engine;
pub mod words;

pub use engine::TesseractEngine;

use crate::page::OcrPage;
use crate::preprocess::PreparedPage;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Changes whenever the words the engine reports change for the same image and model (how
/// the page is prepared, what is read from Tesseract, how words are cleaned); part of the OCR
/// cache key, so page results from an older reader are read again.
pub const READER_REVISION: &str =
    "letters-rivals-missed-lines-leader-grid-figure-rivals-lone-dots-reading-scale-left-out-ink-7";

/// Engine settings.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OcrConfig {
    /// Folder holding `<lang>.traineddata`; `None` uses Tesseract's default.
    pub tessdata_dir: Option<PathBuf>,
    pub lang: String,
    /// Time a page may take from decoding to its words; a page still being read after this
    /// (and a grace of half as much again for an engine that does not stop) is abandoned and
    /// recorded as failed.
    pub page_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("Tesseract could not start with language {lang} (tessdata {tessdata}): is tesseract-ocr-{lang} installed?")]
    Init { lang: String, tessdata: String },
    #[error(
        "OCR did not finish within the page's time limit (a very noisy, dense or non-text page?)"
    )]
    Timeout,
    #[error("Tesseract failed: {0}")]
    Engine(String),
}

/// Something that reads a prepared page within the time it is given. Tests may use a fake that
/// replays frozen output.
pub trait OcrEngine {
    fn recognize(&mut self, page: &PreparedPage, time_left: Duration) -> Result<OcrPage, OcrError>;
}

/// Tesseract runs one OpenMP team per call by default, which on a machine whose cores are
/// already busy with one page per worker makes it several times slower (domain reference 12).
/// Sets OMP_THREAD_LIMIT=1 unless the user chose a value; must run before the first engine
/// starts, while the program has a single thread.
pub fn limit_openmp_threads() {
    if std::env::var_os("OMP_THREAD_LIMIT").is_none() {
        std::env::set_var("OMP_THREAD_LIMIT", "1");
    }
}

/// The tessdata folder to use: the one given, else sohoa's own `tessdata/` (the "best" model
/// fetched by scripts/fetch-model.sh) beside the working directory or the sources, else
/// `None` (Tesseract's installed model).
pub fn locate_tessdata(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("SOHOA_TESSDATA") {
        return Some(PathBuf::from(p));
    }
    let candidates = [
        PathBuf::from("tessdata"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tessdata"),
    ];
    candidates
        .into_iter()
        .find(|d| d.join("vie.traineddata").is_file())
}

/// Identity of the model in use, for cache keys: language, file size and modification-free
/// content hash prefix of the traineddata, so a changed model redoes OCR.
pub fn model_fingerprint(cfg: &OcrConfig) -> String {
    let file = cfg
        .tessdata_dir
        .clone()
        .unwrap_or_else(system_tessdata)
        .join(format!("{}.traineddata", cfg.lang));
    let digest = crate::ingest::sha256_file(&file)
        .map(|h| h[..16].to_string())
        .unwrap_or_else(|_| "unknown".into());
    format!("tesseract-{}:{}:{}", tesseract_version(), cfg.lang, digest)
}

/// Debian's tessdata folder, where tesseract-ocr-vie puts its model.
fn system_tessdata() -> PathBuf {
    for d in [
        "/usr/share/tesseract-ocr/5/tessdata",
        "/usr/share/tesseract-ocr/4.00/tessdata",
        "/usr/share/tessdata",
    ] {
        if Path::new(d).is_dir() {
            return PathBuf::from(d);
        }
    }
    PathBuf::from("/usr/share/tesseract-ocr/5/tessdata")
}

/// The linked libtesseract's version string.
pub fn tesseract_version() -> String {
    // SAFETY: TessVersion returns a pointer to a static NUL-terminated string.
    unsafe {
        let p = tesseract::plumbing::tesseract_sys::TessVersion();
        if p.is_null() {
            return "unknown".into();
        }
        std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}
