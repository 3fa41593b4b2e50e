//! Runs the stages over every page of a batch, in parallel, one OCR engine per worker.
//!
//! Each page's result is written to the store as soon as it is done. A page whose image,
//! settings and book are unchanged since an earlier run is not redone; one whose image is
//! unchanged but whose schemas or book changed is re-extracted from its stored words without new
//! OCR. A failure on one page (undecodable image, OCR timeout, even a panic) is recorded as that
//! page's result and the batch goes on. The outputs are rebuilt from the store at the end.

use crate::extract::{ExtractParams, Extractor};
use crate::ingest::{self, Book, Scan};
use crate::ocr::{OcrConfig, OcrEngine, OcrError};
use crate::page::{OcrPage, PageKey, PageOutcome, PageResult, PageSource, Stage, StageTimes};
use crate::preprocess::orientation::Turn;
use crate::preprocess::{self, PreprocessParams};
use crate::schema::{hex, Schemas};
use crate::store::{PageStore, StoreError};
use crate::validate::{validate_entry, ValidateParams};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

/// Makes OCR engines; one is made per worker thread that needs one.
pub type EngineFactory = dyn Fn() -> Result<Box<dyn OcrEngine + Send>, OcrError> + Sync;

/// Everything a batch needs besides the pages.
pub struct RunConfig {
    pub scans: PathBuf,
    pub out: PathBuf,
    pub jobs: usize,
    pub schemas: Schemas,
    pub preprocess: PreprocessParams,
    pub ocr: OcrConfig,
    /// Identity of the OCR model (part of the OCR cache key).
    pub ocr_model: String,
    pub extract: ExtractParams,
    pub validate: ValidateParams,
    /// Write intermediate images and OCR words of each processed page here.
    pub dump: Option<PathBuf>,
}

/// Which pages a batch processes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every page, skipping those whose stored result is still valid.
    All,
    /// Pages whose stored result is a failure (and pages with no result yet).
    Failed,
    /// Just these pages, redone even if their result is valid.
    Pages(BTreeSet<PageKey>),
}

/// What happened to the pages of a batch.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BatchStats {
    /// Pages run through OCR in this batch.
    pub ocr_pages: usize,
    /// Pages re-extracted from stored words (settings or book changed).
    pub reextracted_pages: usize,
    /// Pages whose stored result was kept.
    pub reused_pages: usize,
    /// Seconds spent on the pages of this batch.
    pub seconds: f64,
    /// Stored results that were damaged and redone.
    pub corrupt_results: Vec<String>,
}

/// Notified as pages finish, for the progress bar or log lines.
pub trait Progress: Sync {
    fn start(&self, pages: usize);
    fn page_done(&self, result: &PageResult);
    fn finish(&self);
}

/// A progress sink that says nothing.
pub struct Silent;
impl Progress for Silent {
    fn start(&self, _: usize) {}
    fn page_done(&self, _: &PageResult) {}
    fn finish(&self) {}
}

/// Run metadata kept in `OUT/run.json`, so `rerun` knows where the scans are.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunManifest {
    pub scans: PathBuf,
    pub sohoa_version: String,
}

impl RunManifest {
    pub fn path(out: &Path) -> PathBuf {
        out.join("run.json")
    }
    pub fn load(out: &Path) -> Result<RunManifest, PipelineError> {
        let path = Self::path(out);
        let bytes = std::fs::read(&path).map_err(|e| PipelineError::Manifest {
            path: path.clone(),
            message: e.to_string(),
        })?;
        serde_json::from_slice(&bytes).map_err(|e| PipelineError::Manifest {
            path,
            message: e.to_string(),
        })
    }
    pub fn save(&self, out: &Path) -> Result<(), PipelineError> {
        let bytes = serde_json::to_vec_pretty(self).expect("manifest serialises");
        crate::store::write_atomic(&Self::path(out), &bytes).map_err(|e| PipelineError::Output {
            path: Self::path(out),
            source: e,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Ingest(#[from] crate::ingest::IngestError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Output {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: this does not look like a sohoa output folder ({message})")]
    Manifest { path: PathBuf, message: String },
    #[error("cannot start the worker threads: {0}")]
    Threads(String),
    #[error(transparent)]
    Extract(#[from] crate::extract::ExtractError),
}

fn sha_of(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    hex(&h.finalize())[..16].to_string()
}

impl RunConfig {
    /// Cache key of everything that shapes OCR output.
    pub fn ocr_settings(&self) -> String {
        sha_of(&[
            env!("CARGO_PKG_VERSION"),
            crate::ocr::READER_REVISION,
            &self.ocr_model,
            &self.ocr.lang,
            &format!("{:?}", self.preprocess),
        ])
    }

    /// Cache key of everything that shapes extraction of one book's pages.
    pub fn extract_settings(&self, book: &Book) -> String {
        sha_of(&[
            env!("CARGO_PKG_VERSION"),
            crate::extract::EXTRACT_REVISION,
            &self.schemas.fingerprint,
            &book.meta_sha256,
            &format!("{:?}", self.extract),
            &format!("{:?}", self.validate),
        ])
    }
}

/// A page to process with what is already known about it.
struct Job<'a> {
    book: &'a Book,
    source: &'a PageSource,
    prior: Option<PageResult>,
}

/// Processes the selected pages of a scan and returns every current page's result, sorted.
pub fn process(
    config: &RunConfig,
    scan: &Scan,
    selection: &Selection,
    engines: &EngineFactory,
    progress: &dyn Progress,
) -> Result<(Vec<PageResult>, BatchStats), PipelineError> {
    let store = PageStore::open(&config.out)?;
    let ocr_settings = config.ocr_settings();
    let mut stats = BatchStats::default();
    let mut kept: Vec<PageResult> = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();

    for book in &scan.books {
        let extract_settings = config.extract_settings(book);
        for source in &book.pages {
            let prior = match store.load(&source.key) {
                Ok(p) => p.filter(|p| p.source == *source),
                Err(e @ StoreError::Corrupt { .. }) => {
                    stats.corrupt_results.push(e.to_string());
                    None
                }
                Err(e) => return Err(e.into()),
            };
            let wanted = match selection {
                Selection::All => !prior.as_ref().is_some_and(|p| {
                    p.ocr_settings == ocr_settings && p.extract_settings == extract_settings
                }),
                Selection::Failed => prior.as_ref().is_none_or(|p| p.is_failed()),
                Selection::Pages(keys) => keys.contains(&source.key),
            };
            if wanted {
                jobs.push(Job {
                    book,
                    source,
                    prior,
                });
            } else if let Some(p) = prior {
                stats.reused_pages += 1;
                kept.push(p);
            }
        }
    }

    let extractors = build_extractors(config, scan)?;
    let pool_engines: Mutex<Vec<Box<dyn OcrEngine + Send>>> = Mutex::new(Vec::new());
    let threads = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs.max(1))
        .build()
        .map_err(|e| PipelineError::Threads(e.to_string()))?;

    progress.start(jobs.len());
    let started = Instant::now();
    let done: Vec<(PageResult, bool)> = threads.install(|| {
        jobs.par_iter()
            .map(|job| {
                let result = process_one(
                    config,
                    job,
                    &ocr_settings,
                    &extractors,
                    &pool_engines,
                    engines,
                );
                let reextracted = result.1;
                let result = result.0;
                // A page that cannot be saved is still reported; the next run redoes it.
                if let Err(e) = store.save(&result) {
                    eprintln!("warning: {e}");
                }
                progress.page_done(&result);
                (result, reextracted)
            })
            .collect()
    });
    progress.finish();
    stats.seconds = started.elapsed().as_secs_f64();
    for (result, reextracted) in done {
        if reextracted {
            stats.reextracted_pages += 1;
        } else {
            stats.ocr_pages += 1;
        }
        kept.push(result);
    }
    kept.sort_by(|a, b| a.source.key.cmp(&b.source.key));
    Ok((kept, stats))
}

fn build_extractors(
    config: &RunConfig,
    scan: &Scan,
) -> Result<BTreeMap<String, Extractor>, PipelineError> {
    let mut out = BTreeMap::new();
    for book in &scan.books {
        let reg = &book.meta.register;
        if !out.contains_key(reg) && config.schemas.register(reg).is_some() {
            out.insert(
                reg.clone(),
                Extractor::new(&config.schemas, reg, config.extract.clone())?,
            );
        }
    }
    Ok(out)
}

fn failed(stage: Stage, reason: impl Into<String>) -> PageOutcome {
    PageOutcome::Failed {
        stage,
        reason: reason.into(),
    }
}

/// Processes one page; never panics. Returns the result and whether it reused stored words.
/// How many values a page's entries hold that were read on the page.
fn values_read(entries: &[crate::page::Entry]) -> usize {
    entries
        .iter()
        .flat_map(|e| e.fields.values())
        .filter(|f| f.source == crate::page::ValueSource::Page && !f.value.is_empty())
        .count()
}

/// A page of upright shape without entries is read again upside down only when it holds this
/// many words: fewer make a blank page, not a form turned over.
const WORDS_WORTH_TURNING: usize = 20;

/// Reads a page's words: preprocessing and OCR with an engine from the pool.
struct PageReader<'a> {
    config: &'a RunConfig,
    job: &'a Job<'a>,
    pool: &'a Mutex<Vec<Box<dyn OcrEngine + Send>>>,
    engines: &'a EngineFactory,
}

impl PageReader<'_> {
    /// The words of the scan, turned first when `turn` says so; a failure is the page's
    /// outcome. `stage` follows the work (for a panic's report) and `times` add up.
    fn read(
        &self,
        gray: &image::GrayImage,
        turn: Option<Turn>,
        stage: &mut Stage,
        times: &mut StageTimes,
    ) -> Result<OcrPage, PageOutcome> {
        *stage = Stage::Preprocess;
        let t = Instant::now();
        let turned = turn.map(|t| t.apply(gray));
        let prepared =
            preprocess::prepare_page(turned.as_ref().unwrap_or(gray), &self.config.preprocess)
                .map_err(|e| failed(Stage::Preprocess, e.to_string()))?;
        drop(turned);
        times.preprocess_ms += t.elapsed().as_millis() as u64;
        *stage = Stage::Ocr;
        let t = Instant::now();
        let engine = self.pool.lock().map(|mut p| p.pop()).unwrap_or(None);
        let mut engine = match engine {
            Some(e) => e,
            None => (self.engines)().map_err(|e| failed(Stage::Ocr, e.to_string()))?,
        };
        let read = engine.recognize(&prepared);
        if let Ok(mut p) = self.pool.lock() {
            p.push(engine);
        }
        times.ocr_ms += t.elapsed().as_millis() as u64;
        let mut words = read.map_err(|e| failed(Stage::Ocr, e.to_string()))?;
        words.turned_degrees = turn.map_or(0, Turn::degrees);
        if let Some(dir) = &self.config.dump {
            dump_page(dir, self.job.source, &prepared, &words);
        }
        Ok(words)
    }
}

fn process_one(
    config: &RunConfig,
    job: &Job,
    ocr_settings: &str,
    extractors: &BTreeMap<String, Extractor>,
    pool: &Mutex<Vec<Box<dyn OcrEngine + Send>>>,
    engines: &EngineFactory,
) -> (PageResult, bool) {
    let mut times = StageTimes::default();
    let reuse_words = job
        .prior
        .as_ref()
        .filter(|p| p.ocr_settings == ocr_settings)
        .and_then(|p| p.ocr.clone());
    let reextract = reuse_words.is_some();
    let mut stage = Stage::Decode;
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let Some(extractor) = extractors.get(&job.book.meta.register) else {
            let reason = format!(
                "book.toml says register = \"{}\", which has no schema in the schemas folder",
                job.book.meta.register
            );
            return (failed(Stage::Extract, reason), None);
        };
        let reader = PageReader {
            config,
            job,
            pool,
            engines,
        };
        stage = Stage::Extract;
        let (ocr, mut entries) = match reuse_words {
            Some(words) => {
                let t = Instant::now();
                let entries = extractor.extract(&words, &job.book.meta);
                times.extract_ms = t.elapsed().as_millis() as u64;
                (words, entries)
            }
            None => {
                let t = Instant::now();
                let gray = match ingest::load_page_gray(&config.scans, job.source) {
                    Ok(g) => g,
                    Err(e) => return (failed(Stage::Decode, e.to_string()), None),
                };
                times.decode_ms = t.elapsed().as_millis() as u64;
                let ocr = match reader.read(&gray, None, &mut stage, &mut times) {
                    Ok(ocr) => ocr,
                    Err(failure) => return (failure, None),
                };
                stage = Stage::Extract;
                let t = Instant::now();
                let mut entries = extractor.extract(&ocr, &job.book.meta);
                times.extract_ms += t.elapsed().as_millis() as u64;
                let mut ocr = ocr;
                // A page with no entry may have been scanned sideways or upside down; an
                // upright-shaped one with hardly any words is blank, and turning it would not
                // help (a sideways page gives few words as scanned).
                let words: usize = ocr.lines.iter().map(|l| l.words.len()).sum();
                let sideways = gray.width() > gray.height();
                if entries.is_empty() && (sideways || words >= WORDS_WORTH_TURNING) {
                    // Each turn worth trying is read; the one whose entries hold the most
                    // values wins (an upside-down reading can stumble on a label or two).
                    let mut best = 0;
                    for &turn in Turn::candidates(gray.width(), gray.height()) {
                        let Ok(turned) = reader.read(&gray, Some(turn), &mut stage, &mut times)
                        else {
                            continue;
                        };
                        let t = Instant::now();
                        let found = extractor.extract(&turned, &job.book.meta);
                        times.extract_ms += t.elapsed().as_millis() as u64;
                        let values = values_read(&found);
                        if values > best {
                            best = values;
                            (ocr, entries) = (turned, found);
                        }
                    }
                }
                (ocr, entries)
            }
        };
        stage = Stage::Validate;
        let t = Instant::now();
        for entry in &mut entries {
            validate_entry(
                entry,
                extractor.register(),
                &config.schemas.codes,
                extractor.printed_fields(&entry.edition),
                &config.validate,
            );
        }
        times.extract_ms += t.elapsed().as_millis() as u64;
        (PageOutcome::Done { entries }, Some(ocr))
    }));
    let (outcome, ocr) = match outcome {
        Ok(x) => x,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            (
                failed(
                    stage,
                    format!("internal error while processing the page: {msg}"),
                ),
                None,
            )
        }
    };
    (
        PageResult {
            format: PageResult::FORMAT,
            source: job.source.clone(),
            ocr_settings: ocr_settings.to_string(),
            extract_settings: config.extract_settings(job.book),
            outcome,
            times,
            ocr,
        },
        reextract,
    )
}

/// Writes the prepared image and the words of a page for a person to look at (`--dump`).
fn dump_page(
    dir: &Path,
    source: &PageSource,
    prepared: &preprocess::PreparedPage,
    words: &crate::page::OcrPage,
) {
    let stem = format!("{}-{:03}", source.key.book_id, source.key.page);
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
