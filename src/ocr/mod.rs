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
