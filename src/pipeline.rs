//! Runs the stages over every page of a batch, in parallel, one OCR engine per worker.
//!
//! Each page's result is written to the store as soon as it is done. A page whose image,
//! settings and book are unchanged since an earlier run is not redone; one whose image is
//! unchanged but whose schemas or book changed is re-extracted from its stored words without new
//! OCR. A failure on one page (undecodable image, OCR timeout, even a panic) is recorded as that
//! page's result and the batch goes on. The outputs are rebuilt from the store at the end.

use crate::extract::{ExtractParams, Extractor};
use crate::ingest::{self, Book, Scan};
use crate::ocr::OcrConfig;
use crate::page::{OcrPage, PageKey, PageOutcome, PageResult, PageSource, Stage, StageTimes};
use crate::preprocess::orientation::Turn;
use crate::preprocess::PreprocessParams;
use crate::reading::pool::ReaderPool;
use crate::reading::{add_times, NextPage, PageReading, ReadReply, ReadRequest};
use crate::schema::{hex, Schemas};
use crate::store::{PageStore, StoreError};
use crate::validate::{validate_entry, ValidateParams};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Makes page readers; one is made per worker thread that needs one (`sohoa run` gives
/// readers that work in an OCR worker process each).
pub type ReaderFactory = dyn Fn() -> Box<dyn PageReading> + Sync;

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
    /// The pages worked on in this batch (`true`: re-extracted from stored words).
    #[serde(skip)]
    pub processed: BTreeMap<PageKey, bool>,
    /// Pages whose result was not written because `may_write` refused (a shard that lost its
    /// book's lock).
    #[serde(skip)]
    pub not_written: BTreeSet<PageKey>,
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
    /// The run's `--min-confidence`: entries people change are validated again with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_confidence: Option<f32>,
    /// The registry files (`--existing`) and matching model (`--dedup-config`) the run checked
    /// duplicates against: `package`, `emit` and `review` apply the same checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub existing: Vec<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedup_config: Option<PathBuf>,
    /// The OCR model the pages were read with (for `emit` after shard runs, which leave no
    /// report of their own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr_model: Option<String>,
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

/// Says whether a page's result may be written now (a shard checks that it still holds the
/// book's lock); a single run writes every page.
pub type WriteGuard<'a> = dyn Fn(&PageKey) -> bool + Sync + 'a;

/// Processes the selected pages of a scan and returns every current page's result, sorted.
pub fn process(
    config: &RunConfig,
    scan: &Scan,
    selection: &Selection,
    readers: &ReaderFactory,
    progress: &dyn Progress,
    may_write: &WriteGuard<'_>,
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
    let pool_readers = ReaderPool::new();
    let threads = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs.max(1))
        .build()
        .map_err(|e| PipelineError::Threads(e.to_string()))?;

    progress.start(jobs.len());
    let started = Instant::now();
    let done: Vec<(PageResult, bool, bool)> = threads.install(|| {
        jobs.par_iter()
            .enumerate()
            .map(|(i, job)| {
                // A worker of rayon takes the pages of its share in order: the page after this
                // one is most likely its next, and is decoded ahead.
                let result = process_one(
                    config,
                    (job, jobs.get(i + 1)),
                    &ocr_settings,
                    &extractors,
                    &pool_readers,
                    readers,
                );
                let reextracted = result.1;
                let result = result.0;
                // A page that cannot be saved is still reported; the next run redoes it.
                let allowed = may_write(&result.source.key);
                if allowed {
                    if let Err(e) = store.save(&result) {
                        eprintln!("warning: {e}");
                    }
                }
                progress.page_done(&result);
                (result, reextracted, allowed)
            })
            .collect()
    });
    progress.finish();
    stats.seconds = started.elapsed().as_secs_f64();
    for (result, reextracted, written) in done {
        stats
            .processed
            .insert(result.source.key.clone(), reextracted);
        if !written {
            stats.not_written.insert(result.source.key.clone());
        }
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

/// Reads a page's words (decoding, preparation and OCR) with a reader from the pool, within
/// what is left of the page's time limit.
struct PageReader<'a> {
    config: &'a RunConfig,
    job: &'a Job<'a>,
    /// The page likely read next by the same worker.
    next: Option<&'a Job<'a>>,
    pool: &'a ReaderPool,
    readers: &'a ReaderFactory,
    started: Instant,
}

/// What a read of a page gave: its words and the scan's own size.
struct Read {
    ocr: OcrPage,
    scan_width: u32,
    scan_height: u32,
}

impl PageReader<'_> {
    fn limit(&self) -> Duration {
        self.config.ocr.page_timeout
    }

    fn out_of_time(&self) -> PageOutcome {
        failed(
            Stage::Ocr,
            format!(
                "the page was not read within its time limit of {} s (--page-timeout): a very \
                 dense, noisy or non-text page? `sohoa rerun OUT --failed --page-timeout N` tries \
                 again with more time",
                self.limit().as_secs()
            ),
        )
    }

    /// The words of the scan, turned first by `turn_degrees`; a failure is the page's outcome.
    fn read(&self, turn_degrees: u16, times: &mut StageTimes) -> Result<Read, PageOutcome> {
        let left = self.limit().saturating_sub(self.started.elapsed());
        if left.is_zero() {
            return Err(self.out_of_time());
        }
        let path = ingest::page_path(&self.config.scans, self.job.source);
        let mut request = ReadRequest::new(&path, self.job.source, &self.config.preprocess);
        request.turn_degrees = turn_degrees;
        request.time_left_ms = left.as_millis() as u64;
        if turn_degrees == 0 {
            request.next = self.next.map(|next| NextPage {
                path: ingest::page_path(&self.config.scans, next.source)
                    .as_os_str()
                    .as_encoded_bytes()
                    .to_vec(),
                source: next.source.clone(),
            });
        }
        request.dump = self
            .config
            .dump
            .as_ref()
            .map(|d| d.as_os_str().as_encoded_bytes().to_vec());
        let mut reader = self.pool.take(&request).unwrap_or_else(|| (self.readers)());
        // An engine that overruns the deadline it was given is stopped half as long again
        // later: a page never holds its worker much beyond its limit.
        let reply = reader.read(&request, left + self.limit() / 2);
        self.pool.give_back(reader);
        match reply {
            ReadReply::Read {
                page,
                times: t,
                scan_width,
                scan_height,
            } => {
                add_times(times, &t);
                Ok(Read {
                    ocr: page,
                    scan_width,
                    scan_height,
                })
            }
            ReadReply::Failed {
                stage,
                reason,
                times: t,
            } => {
                add_times(times, &t);
                if self.started.elapsed() >= self.limit() {
                    return Err(self.out_of_time());
                }
                Err(failed(stage, reason))
            }
        }
    }
}

/// Findings every entry of a page gets from its image: a file cut short may have lost entries
/// or parts of them.
fn image_findings(ocr: &OcrPage, entries: &mut [crate::page::Entry]) {
    for warning in &ocr.image_warnings {
        for entry in entries.iter_mut() {
            entry.add_finding(crate::validate::messages::IMAGE_DAMAGED.finding("", warning));
        }
    }
}

/// Processes one page; never panics. Returns the result and whether it reused stored words.
fn process_one(
    config: &RunConfig,
    (job, next): (&Job, Option<&Job>),
    ocr_settings: &str,
    extractors: &BTreeMap<String, Extractor>,
    pool: &ReaderPool,
    readers: &ReaderFactory,
) -> (PageResult, bool) {
    let mut times = StageTimes::default();
    let reuse_words = job
        .prior
        .as_ref()
        .filter(|p| p.ocr_settings == ocr_settings)
        .and_then(|p| p.ocr.clone());
    let reextract = reuse_words.is_some();
    // Where the work is, for a panic's report.
    let stage = std::cell::Cell::new(Stage::Decode);
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
            next,
            pool,
            readers,
            started: Instant::now(),
        };
        stage.set(Stage::Extract);
        let (ocr, mut entries) = match reuse_words {
            Some(words) => {
                let t = Instant::now();
                let entries = extractor.extract(&words, &job.book.meta);
                times.extract_ms = t.elapsed().as_millis() as u64;
                (words, entries)
            }
            None => {
                stage.set(Stage::Ocr);
                let read = match reader.read(0, &mut times) {
                    Ok(read) => read,
                    Err(failure) => return (failure, None),
                };
                stage.set(Stage::Extract);
                let t = Instant::now();
                let mut entries = extractor.extract(&read.ocr, &job.book.meta);
                times.extract_ms += t.elapsed().as_millis() as u64;
                let mut ocr = read.ocr;
                // A page with no entry may have been scanned sideways or upside down; an
                // upright-shaped one with hardly any words is blank, and turning it would not
                // help (a sideways page gives few words as scanned).
                let words: usize = ocr.lines.iter().map(|l| l.words.len()).sum();
                let sideways = read.scan_width > read.scan_height;
                if entries.is_empty() && (sideways || words >= WORDS_WORTH_TURNING) {
                    // Each turn worth trying is read; the one whose entries hold the most
                    // values wins (an upside-down reading can stumble on a label or two).
                    let mut best = 0;
                    for &turn in Turn::candidates(read.scan_width, read.scan_height) {
                        stage.set(Stage::Ocr);
                        let turned = match reader.read(turn.degrees(), &mut times) {
                            Ok(r) => r.ocr,
                            // Out of time: the page fails, as any page that overruns.
                            Err(failure) if reader.started.elapsed() >= config.ocr.page_timeout => {
                                return (failure, None)
                            }
                            Err(_) => continue,
                        };
                        stage.set(Stage::Extract);
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
        stage.set(Stage::Validate);
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
        image_findings(&ocr, &mut entries);
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
                    stage.get(),
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
