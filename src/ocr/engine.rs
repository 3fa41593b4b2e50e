//! Tesseract through the system libtesseract (the `tesseract` crate's C bindings). The crate's
//! high-level API consumes the engine on every call and has no time limit, so sohoa keeps one
//! `TessBaseAPI` per worker thread and drives it directly: set image, recognise under a
//! deadline, read words symbol by symbol, read again on its own any line of ink the page
//! layout dropped, clear, reuse.

use super::bands::missed_ink;
use super::words::{build_page, same_letter, EngineWord, Rival};
use super::{OcrConfig, OcrEngine, OcrError};
use crate::page::BBox;
use crate::page::OcrPage;
use crate::preprocess::PreparedPage;
use std::ffi::{CStr, CString};
use std::ptr::NonNull;
use std::time::{Duration, Instant};
use tesseract::plumbing::tesseract_sys as sys;

/// One initialised Tesseract instance, owned by one worker at a time.
pub struct TesseractEngine {
    api: NonNull<sys::TessBaseAPI>,
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
        let engine = Self { api };
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
        // Keep the LSTM's competing readings of each symbol (see `strongest_rival`).
        engine.set_variable("lstm_choice_mode", "2");
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
    fn recognize(&mut self, page: &PreparedPage, time_left: Duration) -> Result<OcrPage, OcrError> {
        let img = &page.image;
        let (w, h) = (img.width(), img.height());
        if w == 0 || h == 0 {
            return Err(OcrError::Engine("empty image".into()));
        }
        let api = self.api.as_ptr();
        // An A4 page: pixels across / 8.27 inches. Saves Tesseract guessing (and warning).
        let ppi = ((w as f32 / 8.27).round() as i32).clamp(70, 1200);
        let deadline_ms = time_left.as_millis().min(i32::MAX as u128) as i32;
        let started = Instant::now();
        // SAFETY: the image buffer is valid for w*h bytes (8-bit gray, no row padding) and
        // Tesseract copies it in SetImage; the monitor lives until after Recognize.
        let (rc, words, cut_short) = unsafe {
            sys::TessBaseAPISetImage(api, img.as_raw().as_ptr(), w as i32, h as i32, 1, w as i32);
            sys::TessBaseAPISetSourceResolution(api, ppi);
            let rc = recognize_within(api, deadline_ms);
            // After a cancelled recognition the page's words are half built: walking them
            // reads freed or missing results (it crashed the process), so nothing is read.
            let mut words = Vec::new();
            let mut cut_short = false;
            if rc == 0 {
                words = read_words(api);
                let boxes: Vec<BBox> = words.iter().map(|w| w.bbox).collect();
                let missed = missed_ink(img, &boxes);
                if !missed.is_empty() {
                    sys::TessBaseAPISetPageSegMode(api, sys::TessPageSegMode_PSM_SINGLE_LINE);
                }
                // Each stretch is read on its own, from the image already set: no new copy and
                // no new thresholding of the page, only of the stretch.
                for (i, r) in missed.iter().enumerate() {
                    let left = time_left.saturating_sub(started.elapsed()).as_millis();
                    sys::TessBaseAPISetRectangle(
                        api, r.x as i32, r.y as i32, r.w as i32, r.h as i32,
                    );
                    if left == 0 || recognize_within(api, left.min(i32::MAX as u128) as i32) != 0 {
                        cut_short = true;
                        break;
                    }
                    let mut read = read_words(api);
                    for word in &mut read {
                        word.line = (MISSED_LINE_BLOCK + i as u32, 1, 1);
                    }
                    words.extend(read);
                }
                sys::TessBaseAPISetPageSegMode(api, sys::TessPageSegMode_PSM_SINGLE_COLUMN);
            }
            sys::TessBaseAPIClear(api);
            (rc, words, cut_short)
        };
        // A page read only in part is not a result: it fails with the reason.
        if cut_short || (rc != 0 && started.elapsed() >= time_left) {
            return Err(OcrError::Timeout);
        }
        if rc != 0 {
            return Err(OcrError::Engine(format!("recognition returned code {rc}")));
        }
        // Boxes and the page's size on the scan, whatever resolution it was read at.
        let (width, height) = page.original;
        Ok(build_page(words, width, height, page.skew_degrees, |b| {
            page.to_original(b)
        }))
    }
}

/// Block number given to lines read again on their own (after Tesseract's own blocks).
const MISSED_LINE_BLOCK: u32 = 100_000;

/// Runs recognition on the current image (or rectangle) under a deadline; 0 on success.
///
/// # Safety
/// `api` must be a live handle with an image set.
unsafe fn recognize_within(api: *mut sys::TessBaseAPI, deadline_ms: i32) -> i32 {
    let monitor = sys::TessMonitorCreate();
    sys::TessMonitorSetDeadlineMSecs(monitor, deadline_ms);
    let rc = sys::TessBaseAPIRecognize(api, monitor);
    sys::TessMonitorDelete(monitor);
    rc
}

/// Walks the recognised page symbol by symbol: each word with its box, its line (block,
/// paragraph, line numbers as in Tesseract's TSV), Tesseract's word confidence and the lowest
/// confidence among its letters and digits. The word confidence of the LSTM engine is far
/// below its symbols' (a clean "mẹ:" scores 32 with every symbol above 90) and is pulled down
/// by leader dots and colons that never reach a value; the letters are what a value is made of.
///
/// # Safety
/// `api` must be a live handle on which `Recognize` has just run.
unsafe fn read_words(api: *mut sys::TessBaseAPI) -> Vec<EngineWord> {
    let it = sys::TessBaseAPIGetIterator(api);
    if it.is_null() {
        return Vec::new();
    }
    let page = sys::TessResultIteratorGetPageIterator(it);
    let text_at = |level| {
        let p = sys::TessResultIteratorGetUTF8Text(it, level);
        if p.is_null() {
            return String::new();
        }
        let s = CStr::from_ptr(p).to_string_lossy().into_owned();
        sys::TessDeleteText(p);
        s
    };
    let mut words: Vec<EngineWord> = Vec::new();
    let mut in_word = false;
    let (mut block, mut para, mut line) = (0u32, 0u32, 0u32);
    loop {
        let starts = |level| sys::TessPageIteratorIsAtBeginningOf(page, level) != 0;
        if starts(sys::TessPageIteratorLevel_RIL_BLOCK) {
            (block, para, line) = (block + 1, 0, 0);
        }
        if starts(sys::TessPageIteratorLevel_RIL_PARA) {
            (para, line) = (para + 1, 0);
        }
        if starts(sys::TessPageIteratorLevel_RIL_TEXTLINE) {
            line += 1;
        }
        if starts(sys::TessPageIteratorLevel_RIL_WORD) {
            let level = sys::TessPageIteratorLevel_RIL_WORD;
            let text = text_at(level).trim().to_string();
            let (mut l, mut t, mut r, mut b) = (0, 0, 0, 0);
            sys::TessPageIteratorBoundingBox(page, level, &mut l, &mut t, &mut r, &mut b);
            in_word = !text.is_empty();
            if in_word {
                let num = |v: i32| v.max(0) as u32;
                words.push(EngineWord {
                    line: (block, para, line),
                    bbox: BBox::new(num(l), num(t), num(r - l), num(b - t)),
                    conf: sys::TessResultIteratorConfidence(it, level),
                    letters_conf: None,
                    symbols: Vec::new(),
                    rival: None,
                    figure_rivals: Vec::new(),
                    text,
                });
            }
        }
        let symbol = text_at(sys::TessPageIteratorLevel_RIL_SYMBOL);
        if let Some(w) = words.last_mut().filter(|_| in_word) {
            if symbol.chars().any(char::is_alphanumeric) {
                let level = sys::TessPageIteratorLevel_RIL_SYMBOL;
                let c = sys::TessResultIteratorConfidence(it, level);
                w.letters_conf = Some(w.letters_conf.map_or(c, |m: f32| m.min(c)));
                let (rival, figure) = strongest_rivals(it, &symbol);
                let at = w.symbols.len();
                if let Some((text, conf)) = rival {
                    if w.rival.as_ref().is_none_or(|r| conf > r.conf) {
                        w.rival = Some(Rival { at, text, conf });
                    }
                }
                if is_figure(&symbol) {
                    for (text, conf) in figure {
                        w.figure_rivals.push(Rival { at, text, conf });
                    }
                }
            }
            w.symbols.push(symbol);
        }
        if sys::TessResultIteratorNext(it, sys::TessPageIteratorLevel_RIL_SYMBOL) == 0 {
            break;
        }
    }
    sys::TessResultIteratorDelete(it);
    words
}

/// A reading of a symbol and the engine's confidence in it (0..=100).
type Reading = (String, f32);

fn is_figure(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_digit()) && chars.next().is_none()
}

/// The best reading of the current symbol other than the one chosen, with its confidence
/// (0..=100), when the engine saw one: "ộ" read with "ô" at 37 beside it is a doubt about the
/// mark that the symbol's own confidence does not show. The same letter in another case or
/// encoding is not another reading. Also the best two other readings that are figures.
///
/// # Safety
/// `it` must be a live result iterator positioned on a symbol.
unsafe fn strongest_rivals(
    it: *const sys::TessResultIterator,
    chosen: &str,
) -> (Option<Reading>, Vec<Reading>) {
    let choices = sys::TessResultIteratorGetChoiceIterator(it);
    if choices.is_null() {
        return (None, Vec::new());
    }
    let mut best: Option<Reading> = None;
    let mut figures: Vec<Reading> = Vec::new();
    loop {
        let p = sys::TessChoiceIteratorGetUTF8Text(choices);
        if !p.is_null() {
            let text = CStr::from_ptr(p).to_string_lossy().trim().to_string();
            let conf = sys::TessChoiceIteratorConfidence(choices).clamp(0.0, 100.0);
            let other = !text.is_empty() && !same_letter(&text, chosen) && conf > 0.0;
            if other && best.as_ref().is_none_or(|(_, c)| conf > *c) {
                best = Some((text.clone(), conf));
            }
            if other && is_figure(&text) && figures.iter().all(|(f, _)| *f != text) {
                figures.push((text, conf));
            }
        }
        if sys::TessChoiceIteratorNext(choices) == 0 {
            break;
        }
    }
    sys::TessChoiceIteratorDelete(choices);
    figures.sort_by(|a, b| b.1.total_cmp(&a.1));
    figures.truncate(2);
    (best, figures)
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
