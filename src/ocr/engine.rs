//! Tesseract through the system libtesseract (the `tesseract` crate's C bindings). The crate's
//! high-level API consumes the engine on every call and has no time limit, so sohoa keeps one
//! `TessBaseAPI` per worker thread and drives it directly: set image, recognise under a
//! deadline, read words as TSV, clear, reuse.

use super::words::{build_page, parse_tsv};
use super::{OcrConfig, OcrEngine, OcrError};
use crate::page::OcrPage;
use crate::preprocess::PreparedPage;
use std::ffi::{CStr, CString};
use std::ptr::NonNull;
use std::time::{Duration, Instant};
use tesseract::plumbing::tesseract_sys as sys;

/// One initialised Tesseract instance, owned by one worker at a time.
pub struct TesseractEngine {
    api: NonNull<sys::TessBaseAPI>,
    timeout: Duration,
}

// SAFETY: a TessBaseAPI may move between threads; it is only ever used by one at a time
// (`recognize` takes `&mut self`).
unsafe impl Send for TesseractEngine {}

impl TesseractEngine {
    pub fn new(cfg: &OcrConfig) -> Result<Self, OcrError> {
        let init_error = || OcrError::Init {
            lang: cfg.lang.clone(),
            tessdata: cfg
                .tessdata_dir
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|| "Tesseract's default".into()),
        };
        let datapath = match &cfg.tessdata_dir {
            Some(d) => {
                Some(CString::new(d.to_string_lossy().as_bytes()).map_err(|_| init_error())?)
            }
            None => None,
        };
        let lang = CString::new(cfg.lang.as_bytes()).map_err(|_| init_error())?;
        // SAFETY: plain constructor; NULL is handled below.
        let api = NonNull::new(unsafe { sys::TessBaseAPICreate() }).ok_or_else(init_error)?;
        let engine = Self {
            api,
            timeout: cfg.page_timeout,
        };
        let datapath_ptr = datapath.as_ref().map_or(std::ptr::null(), |d| d.as_ptr());
        // SAFETY: the handle is live and the strings outlive the call.
        let rc = unsafe { sys::TessBaseAPIInit3(api.as_ptr(), datapath_ptr, lang.as_ptr()) };
        if rc != 0 {
            return Err(init_error());
        }
        // A single column of text of variable sizes: the default automatic layout analysis
        // drops whole lines of labelled values typed over dotted leaders (measured).
        // SAFETY: live handle.
        unsafe {
            sys::TessBaseAPISetPageSegMode(api.as_ptr(), sys::TessPageSegMode_PSM_SINGLE_COLUMN);
        }
        engine.set_variable("debug_file", "/dev/null");
        // Register pages are dark text on light paper; trying every doubtful line again
        // inverted (Tesseract 5's default) costs time on noisy pages and finds nothing.
        engine.set_variable("tessedit_do_invert", "0");
        Ok(engine)
    }

    fn set_variable(&self, name: &str, value: &str) {
        let (Ok(n), Ok(v)) = (CString::new(name), CString::new(value)) else {
            return;
        };
        // SAFETY: live handle, NUL-terminated strings copied by Tesseract.
        unsafe {
            sys::TessBaseAPISetVariable(self.api.as_ptr(), n.as_ptr(), v.as_ptr());
        }
    }
}

impl OcrEngine for TesseractEngine {
    fn recognize(&mut self, page: &PreparedPage) -> Result<OcrPage, OcrError> {
        let img = &page.image;
        let (w, h) = (img.width(), img.height());
        if w == 0 || h == 0 {
            return Err(OcrError::Engine("empty image".into()));
        }
        let api = self.api.as_ptr();
        // An A4 page: pixels across / 8.27 inches. Saves Tesseract guessing (and warning).
        let ppi = ((w as f32 / 8.27).round() as i32).clamp(70, 1200);
        let deadline_ms = self.timeout.as_millis().min(i32::MAX as u128) as i32;
        let started = Instant::now();
        // SAFETY: the image buffer is valid for w*h bytes (8-bit gray, no row padding) and
        // Tesseract copies it in SetImage; the monitor lives until after Recognize.
        let (rc, tsv) = unsafe {
            sys::TessBaseAPISetImage(api, img.as_raw().as_ptr(), w as i32, h as i32, 1, w as i32);
            sys::TessBaseAPISetSourceResolution(api, ppi);
            let monitor = sys::TessMonitorCreate();
            sys::TessMonitorSetDeadlineMSecs(monitor, deadline_ms);
            let rc = sys::TessBaseAPIRecognize(api, monitor);

            sys::TessMonitorDelete(monitor);

            let text = sys::TessBaseAPIGetTsvText(api, 0);
            let tsv = if text.is_null() {
                String::new()
            } else {
                let s = CStr::from_ptr(text).to_string_lossy().into_owned();
                sys::TessDeleteText(text);
                s
            };
            sys::TessBaseAPIClear(api);
            (rc, tsv)
        };
        if started.elapsed() >= self.timeout {
            return Err(OcrError::Timeout {
                seconds: self.timeout.as_secs(),
            });
        }
        if rc != 0 {
            return Err(OcrError::Engine(format!("recognition returned code {rc}")));
        }
        Ok(build_page(parse_tsv(&tsv), w, h, page.skew_degrees, |b| {
            page.to_original(b)
        }))
    }
}

impl Drop for TesseractEngine {
    fn drop(&mut self) {
        // SAFETY: the handle was created by TessBaseAPICreate and is dropped once.
        unsafe {
            sys::TessBaseAPIEnd(self.api.as_ptr());
            sys::TessBaseAPIDelete(self.api.as_ptr());
        }
    }
}
