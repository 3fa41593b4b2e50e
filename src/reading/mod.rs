//! Reading a page: decoding its image, preparing it and OCR, under a deadline that holds.
//!
//! Tesseract is a C++ library: a page it cannot finish in time may keep it busy for minutes in
//! stages that never look at the deadline (layout analysis of a dense page took 470 s under a
//! 60 s limit), and a fault inside it would end the whole process. So sohoa reads pages in
//! worker processes of its own (`sohoa ocr-worker`, one per job, each keeping one engine for
//! many pages): the worker is asked to stop at the page's deadline, and one that has not
//! answered half as long again later is killed and replaced; either way the page is recorded as
//! failed with the reason and the batch goes on ([`isolated`]). The worker does the same work as
//! an in-process reader ([`local`]), which tests and tools may use directly.

pub mod isolated;
pub mod local;
pub mod pool;
pub mod protocol;
pub mod worker;

use crate::page::{OcrPage, PageSource, Stage, StageTimes};
use crate::preprocess::PreprocessParams;
use serde::{Deserialize, Serialize};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One read of one page: as scanned, or turned to stand upright.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReadRequest {
    /// The image file's path as bytes (file names need not be UTF-8).
    pub path: Vec<u8>,
    /// Which page of which book, the TIFF frame, and the image hash it must still have.
    pub source: PageSource,
    /// Degrees to turn the scan clockwise before reading (0, 90, 180, 270).
    pub turn_degrees: u16,
    pub preprocess: PreprocessParams,
    /// Where to write the prepared image and the words (`--dump`), as path bytes.
    pub dump: Option<Vec<u8>>,
    /// Time this read may still take, in milliseconds: what is left of the page's limit.
    pub time_left_ms: u64,
    /// The page this reader will most likely be asked for next: its worker decodes it once
    /// this one is answered, while sohoa extracts this one's entries.
    #[serde(default)]
    pub next: Option<NextPage>,
}

/// A page to decode ahead: its file (path bytes, as [`ReadRequest::path`]) and source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextPage {
    pub path: Vec<u8>,
    pub source: PageSource,
}

impl NextPage {
    /// The page `request` reads.
    pub fn of(request: &ReadRequest) -> Self {
        Self {
            path: request.path.clone(),
            source: request.source.clone(),
        }
    }

    /// Whether `request` reads this page.
    pub fn is_for(&self, request: &ReadRequest) -> bool {
        self.path == request.path && self.source == request.source
    }
}

impl ReadRequest {
    pub fn new(path: &Path, source: &PageSource, preprocess: &PreprocessParams) -> Self {
        Self {
            path: path.as_os_str().as_bytes().to_vec(),
            source: source.clone(),
            turn_degrees: 0,
            preprocess: preprocess.clone(),
            dump: None,
            time_left_ms: 0,
            next: None,
        }
    }

    pub fn path(&self) -> PathBuf {
        PathBuf::from(std::ffi::OsString::from_vec(self.path.clone()))
    }

    pub fn dump_dir(&self) -> Option<PathBuf> {
        self.dump
            .as_ref()
            .map(|d| PathBuf::from(std::ffi::OsString::from_vec(d.clone())))
    }

    pub fn time_left(&self) -> Duration {
        Duration::from_millis(self.time_left_ms)
    }
}

/// What a read gave.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ReadReply {
    /// The page's words (boxes on the page as turned), with the scan's own size.
    Read {
        page: OcrPage,
        times: StageTimes,
        scan_width: u32,
        scan_height: u32,
    },
    /// Why the page could not be read, at which stage.
    Failed {
        stage: Stage,
        reason: String,
        times: StageTimes,
    },
}

impl ReadReply {
    pub fn failed(stage: Stage, reason: impl Into<String>) -> Self {
        ReadReply::Failed {
            stage,
            reason: reason.into(),
            times: StageTimes::default(),
        }
    }
}

/// Something that reads pages, one at a time. `hard_limit` is the longest the caller will wait
/// for this read; a reader that cannot stop its engine sooner gives up the page then.
pub trait PageReading: Send {
    fn read(&mut self, request: &ReadRequest, hard_limit: Duration) -> ReadReply;

    /// The page this reader holds decoded ahead (the `next` of its last request), if any.
    fn decoded_ahead(&self) -> Option<&NextPage> {
        None
    }
}

/// Adds one read's stage times to a page's.
pub fn add_times(total: &mut StageTimes, more: &StageTimes) {
    total.decode_ms += more.decode_ms;
    total.preprocess_ms += more.preprocess_ms;
    total.ocr_ms += more.ocr_ms;
    total.extract_ms += more.extract_ms;
}
