//! Reading pages in this process: decode, turn, prepare, OCR with one Tesseract engine kept for
//! many pages. This is what each OCR worker process runs; it cannot stop an engine that
//! overruns its deadline, which is why `sohoa run` reads through [`super::isolated`].

use super::{NextPage, PageReading, ReadReply, ReadRequest};
use crate::ingest;
use crate::ocr::{OcrConfig, OcrEngine, OcrError, TesseractEngine};
use crate::page::{OcrPage, PageSource, Stage, StageTimes};
use crate::preprocess::orientation::Turn;
use crate::preprocess::{self, PreparedPage};
use image::GrayImage;
use std::os::unix::ffi::OsStringExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// A decoded page: the last one read, kept so that reading it again turned does not decode it
/// again, or the next one, decoded ahead.
struct Decoded {
    path: Vec<u8>,
    source: PageSource,
    gray: GrayImage,
    warnings: Vec<String>,
    /// Time the decoding took, counted to the page when it is read.
    decode_ms: u64,
}

impl Decoded {
    fn load(path: &[u8], source: &PageSource) -> Result<Self, String> {
        let t = Instant::now();
        let file = std::path::PathBuf::from(std::ffi::OsString::from_vec(path.to_vec()));
        let (gray, warnings) =
            ingest::load_page_gray_checked(&file, source).map_err(|e| e.to_string())?;
        Ok(Self {
            path: path.to_vec(),
            source: source.clone(),
            gray,
            warnings,
            decode_ms: t.elapsed().as_millis() as u64,
        })
    }

    fn is_for(&self, request: &ReadRequest) -> bool {
        self.path == request.path && self.source == request.source
    }
}

pub struct LocalReader {
    config: OcrConfig,
    engine: Option<Result<TesseractEngine, String>>,
    last: Option<Decoded>,
    ahead: Option<Decoded>,
}

impl LocalReader {
    /// A reader whose engine starts on first use.
    pub fn new(config: OcrConfig) -> Self {
        Self {
            config,
            engine: None,
            last: None,
            ahead: None,
        }
    }

    /// Decodes `next` now, so that its read starts with the page in memory. A page that cannot
    /// be decoded is left for its read, which reports why.
    pub fn decode_ahead(&mut self, next: &NextPage) {
        self.ahead = Decoded::load(&next.path, &next.source).ok();
    }

    /// Starts the engine now (a worker does it while it waits for its first page).
    pub fn warm_up(&mut self) {
        let _ = self.engine();
    }

    fn engine(&mut self) -> Result<&mut TesseractEngine, String> {
        let config = &self.config;
        self.engine
            .get_or_insert_with(|| TesseractEngine::new(config).map_err(|e| e.to_string()))
            .as_mut()
            .map_err(|e| e.clone())
    }

    /// The request's page decoded, and the time its decoding took if it was not counted yet.
    fn decoded(&mut self, request: &ReadRequest) -> Result<(&Decoded, u64), String> {
        let mut newly = 0;
        if !self.last.as_ref().is_some_and(|d| d.is_for(request)) {
            self.last = None;
            let page = match self.ahead.take() {
                Some(d) if d.is_for(request) => d,
                _ => Decoded::load(&request.path, &request.source)?,
            };
            newly = page.decode_ms;
            self.last = Some(page);
        }
        Ok((self.last.as_ref().expect("decoded above"), newly))
    }

    fn read_page(&mut self, request: &ReadRequest, times: &mut StageTimes) -> ReadReply {
        let started = Instant::now();
        let time_left = request.time_left();
        let out_of_time = || started.elapsed() >= time_left;
        let failed = |stage, reason: String, times: &StageTimes| ReadReply::Failed {
            stage,
            reason,
            times: *times,
        };
        let t = Instant::now();
        let (turned, warnings, scan_width, scan_height, decode_ms) = match self.decoded(request) {
            Ok((d, decode_ms)) => {
                let turned = Turn::from_degrees(request.turn_degrees).map(|t| t.apply(&d.gray));
                let (w, h) = d.gray.dimensions();
                (turned, d.warnings.clone(), w, h, decode_ms)
            }
            Err(reason) => return failed(Stage::Decode, reason, times),
        };
        // A page decoded ahead took its decoding time then; turning it takes some now.
        times.decode_ms += decode_ms.max(t.elapsed().as_millis() as u64);
        if out_of_time() {
            return failed(Stage::Decode, OcrError::Timeout.to_string(), times);
        }
        let t = Instant::now();
        let prepared = {
            let gray = match &turned {
                Some(g) => g,
                None => &self.last.as_ref().expect("decoded").gray,
            };
            preprocess::prepare_page(gray, &request.preprocess)
        };
        drop(turned);
        let prepared = match prepared {
            Ok(p) => p,
            Err(e) => return failed(Stage::Preprocess, e.to_string(), times),
        };
        times.preprocess_ms += t.elapsed().as_millis() as u64;
        if out_of_time() {
            return failed(Stage::Preprocess, OcrError::Timeout.to_string(), times);
        }
        let t = Instant::now();
        let left = time_left.saturating_sub(started.elapsed());
        let read = self
            .engine()
            .and_then(|e| e.recognize(&prepared, left).map_err(|e| e.to_string()));
        times.ocr_ms += t.elapsed().as_millis() as u64;
        let mut page = match read {
            Ok(p) => p,
            Err(reason) => return failed(Stage::Ocr, reason, times),
        };
        page.turned_degrees = request.turn_degrees;
        page.image_warnings = warnings;
        if let Some(dir) = request.dump_dir() {
            dump_page(
                &dir,
                &request.source,
                request.turn_degrees,
                &prepared,
                &page,
            );
        }
        ReadReply::Read {
            page,
            times: *times,
            scan_width,
            scan_height,
        }
    }
}

impl PageReading for LocalReader {
    fn read(&mut self, request: &ReadRequest, _hard_limit: Duration) -> ReadReply {
        let mut times = StageTimes::default();
        self.read_page(request, &mut times)
    }
}

/// Writes the prepared image and the words of a page for a person to look at (`--dump`).
fn dump_page(
    dir: &Path,
    source: &PageSource,
    turn_degrees: u16,
    prepared: &PreparedPage,
    words: &OcrPage,
) {
    let turned = match turn_degrees {
        0 => String::new(),
        d => format!("-turned{d}"),
    };
    let stem = format!("{}-{:03}{turned}", source.key.book_id, source.key.page);
    let _ = std::fs::create_dir_all(dir);
    let _ = prepared
        .image
        .save(dir.join(format!("{stem}-prepared.png")));
    let text: String = words
        .lines
        .iter()
        .map(|l| {
            l.words
                .iter()
                .map(|w| format!("{}[{:.2}]", w.text, w.conf))
                .collect::<Vec<_>>()
                .join(" ")
                + "\n"
        })
        .collect();
    let _ = std::fs::write(dir.join(format!("{stem}-words.txt")), text);
}
