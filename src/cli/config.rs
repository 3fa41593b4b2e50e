//! Plumbing shared by `run` and `rerun`: the common options, building the run configuration,
//! progress display, the summary and the exit code.

use super::Exit;
use crate::emit::Outputs;
use crate::extract::ExtractParams;
use crate::ingest::Scan;
use crate::normalize::PartialDate;
use crate::ocr::{self, OcrConfig};
use crate::page::{PageOutcome, PageResult};
use crate::pipeline::{self, Progress, ReaderFactory, RunConfig, Selection};
use crate::preprocess::PreprocessParams;
use crate::reading::isolated::{IsolatedReader, WorkerCommand};
use crate::reading::PageReading;
use crate::schema::Schemas;
use crate::validate::ValidateParams;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Options shared by `run` and `rerun`.
#[derive(Debug, Clone, clap::Args)]
pub struct CommonArgs {
    /// Worker threads (one Tesseract engine each); default: the number of cores.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Folder of register schemas (default: ./schemas, else the one sohoa was built with).
    #[arg(long, value_name = "DIR")]
    pub schemas: Option<PathBuf>,
    /// Folder holding vie.traineddata (default: ./tessdata if present, else Tesseract's own).
    #[arg(long, value_name = "DIR")]
    pub tessdata: Option<PathBuf>,
    /// Seconds a page may take to be read (decoding, preparation, OCR); a page not read by then
    /// is stopped (at the latest half as long again later) and recorded as failed.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub page_timeout: u64,
    /// Confidence below which a field sends its entry to review.
    #[arg(long, default_value_t = 0.90, value_name = "0..1", value_parser = parse_confidence)]
    pub min_confidence: f32,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print the report as JSON on stdout instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Write each processed page's prepared image and OCR words to this folder.
    #[arg(long, value_name = "DIR")]
    pub dump: Option<PathBuf>,
    /// Registry records already loaded (CSV or XLSX, repeatable): entries duplicating them, or
    /// each other, are kept out of the import files (see `sohoa dedup`).
    #[arg(long, value_name = "FILE")]
    pub existing: Vec<PathBuf>,
    /// Matching configuration for --existing (default: schemas/matching/<REG>.toml chosen by
    /// the registry file's headers).
    #[arg(long, value_name = "FILE")]
    pub dedup_config: Option<PathBuf>,
}

impl CommonArgs {
    pub fn jobs(&self) -> usize {
        self.jobs
            .filter(|j| *j > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// Loads schemas and settles every setting of the run.
    pub fn config(&self, scans: &Path, out: &Path) -> anyhow::Result<RunConfig> {
        let schemas_dir = Schemas::locate(self.schemas.as_deref());
        let schemas = Schemas::load(&schemas_dir)?;
        let ocr = OcrConfig {
            tessdata_dir: ocr::locate_tessdata(self.tessdata.as_deref()),
            lang: "vie".into(),
            page_timeout: Duration::from_secs(self.page_timeout.max(1)),
        };
        Ok(RunConfig {
            scans: scans.to_path_buf(),
            out: out.to_path_buf(),
            jobs: self.jobs(),
            ocr_model: ocr::model_fingerprint(&ocr),
            ocr,
            schemas,
            preprocess: PreprocessParams::default(),
            extract: ExtractParams::default(),
            validate: ValidateParams {
                min_confidence: self.min_confidence,
                today: PartialDate::today(),
            },
            dump: self.dump.clone(),
        })
    }
}

/// A confidence between 0 and 1 (a bad one is a usage error, exit 2).
fn parse_confidence(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        Ok(_) => Err(format!("{s} is not between 0 and 1 (e.g. 0.90)")),
        Err(_) => Err(format!("{s} is not a number between 0 and 1 (e.g. 0.90)")),
    }
}

/// Books whose page results are in OUT but which are not in the scans folder now (moved,
/// renamed, or another scans folder given): rebuilding the outputs without them would drop
/// their entries in silence, so the command stops and says which.
pub fn missing_books(out: &Path, scan: &Scan) -> anyhow::Result<()> {
    let pages = out.join("pages");
    let Ok(dirs) = std::fs::read_dir(&pages) else {
        return Ok(());
    };
    let known: std::collections::BTreeSet<&str> = scan
        .books
        .iter()
        .map(|b| b.id.as_str())
        .chain(scan.failed.iter().map(|(id, _)| id.as_str()))
        .collect();
    let mut missing: Vec<String> = dirs
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|id| !known.contains(id.as_str()))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    missing.sort_by(|a, b| natord::compare(a, b));
    anyhow::bail!(
        "{} holds the results of book(s) that are not in the scans folder {} now: {} (moved or \
         renamed?). Nothing was changed and the last outputs are kept. Put the book folders \
         back, or, to drop a book from the outputs on purpose, remove {}/<book>.",
        out.display(),
        scan.root.display(),
        missing.join(", "),
        pages.display()
    )
}

/// Progress on a terminal: a bar; otherwise one log line per page (nothing with --quiet).
struct Display {
    bar: Option<ProgressBar>,
    lines: bool,
}

impl Display {
    fn new(args: &CommonArgs) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let quiet = args.quiet || args.json;
        let bar = (terminal && !quiet).then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {pos}/{len} pages [{elapsed_precise}] {wide_bar} {per_sec} eta {eta}",
                )
                .expect("valid template"),
            );
            bar
        });
        Self {
            lines: !terminal && !quiet,
            bar,
        }
    }
}

impl Progress for Display {
    fn start(&self, pages: usize) {
        if let Some(b) = &self.bar {
            b.set_length(pages as u64);
        }
        if self.lines {
            eprintln!("processing {pages} page(s)");
        }
    }
    fn page_done(&self, r: &PageResult) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
        if self.lines {
            match &r.outcome {
                PageOutcome::Done { entries } => eprintln!(
                    "page {} ({}): {} entr{}{}",
                    r.source.key,
                    r.source.file,
                    entries.len(),
                    if entries.len() == 1 { "y" } else { "ies" },
                    match r.ocr.as_ref().map_or(0, |o| o.turned_degrees) {
                        0 => String::new(),
                        d => format!(" (scanned turned; read after turning it {d} degrees)"),
                    }
                ),
                PageOutcome::Failed { stage, reason } => eprintln!(
                    "page {} ({}): FAILED at {}: {}",
                    r.source.key,
                    r.source.file,
                    stage.as_str(),
                    reason
                ),
            }
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// Runs a batch over `scan` and rebuilds the outputs; maps the outcome to an exit code.
pub fn run_batch(
    config: &RunConfig,
    scan: &Scan,
    selection: &Selection,
    args: &CommonArgs,
) -> anyhow::Result<Exit> {
    let (results, stats, steps) = read_batch(config, scan, selection, args, &|_| true)?;
    let outputs = Outputs {
        out: &config.out,
        schemas: &config.schemas,
        scan,
        steps: &steps,
    };
    let report = outputs.write(&results, &stats, config.jobs, &config.ocr_model)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if !args.quiet {
        print!("{}", report.summary());
        println!("Outputs in {}", config.out.display());
    }
    Ok(
        if report.pages.failed > 0 || !report.failed_books.is_empty() {
            Exit::PagesFailed
        } else {
            Exit::Ok
        },
    )
}

/// Every current page result of a batch, what the batch did, and the batch steps the outputs
/// need.
pub type ReadBatch = (
    Vec<PageResult>,
    pipeline::BatchStats,
    Vec<Box<dyn crate::emit::BatchStep>>,
);

/// Reads the selected pages of `scan` into the page store (OCR workers, progress display) and
/// returns every current page result with the batch steps the outputs need. `may_write` is
/// asked before each page result is stored.
pub fn read_batch(
    config: &RunConfig,
    scan: &Scan,
    selection: &Selection,
    args: &CommonArgs,
    may_write: &pipeline::WriteGuard<'_>,
) -> anyhow::Result<ReadBatch> {
    ocr::limit_openmp_threads();
    let program = std::env::current_exe()
        .context("cannot find the sohoa program to start its OCR workers")?;
    let worker = WorkerCommand::new(program, &config.ocr);
    let factory: &ReaderFactory =
        &move || Box::new(IsolatedReader::new(worker.clone())) as Box<dyn PageReading>;
    std::fs::create_dir_all(&config.out)
        .with_context(|| format!("{}: cannot create the output folder", config.out.display()))?;
    let (existing, dedup_config) = registry_settings(args, &config.out);
    pipeline::RunManifest {
        scans: absolute(&config.scans),
        sohoa_version: env!("CARGO_PKG_VERSION").into(),
        min_confidence: Some(config.validate.min_confidence),
        existing,
        dedup_config,
        ocr_model: Some(config.ocr_model.clone()),
    }
    .save(&config.out)?;
    // The registry files are read before any page: a bad one is said at once, not after hours.
    let steps = batch_steps(args, &config.out)?;
    let display = Display::new(args);
    let (results, stats) =
        pipeline::process(config, scan, selection, factory, &display, may_write)?;
    Ok((results, stats, steps))
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The registry files and matching model in force for OUT: those given now, else those the
/// run recorded in `run.json` (so that `rerun`, `package`, `emit` and `review` check the same).
pub fn registry_settings(args: &CommonArgs, out: &Path) -> (Vec<PathBuf>, Option<PathBuf>) {
    if !args.existing.is_empty() {
        return (
            args.existing.iter().map(|p| absolute(p)).collect(),
            args.dedup_config.as_deref().map(absolute),
        );
    }
    match pipeline::RunManifest::load(out) {
        Ok(m) => (
            m.existing,
            args.dedup_config
                .as_deref()
                .map(absolute)
                .or(m.dedup_config),
        ),
        Err(_) => (Vec::new(), None),
    }
}

/// The batch-wide checks a run applies before writing outputs, in order (`package`, `emit` and
/// `accept` apply the same ones): each book's form and the labels no field took, checks across
/// each book, then duplicates against the registry when registry files are in force (given now,
/// else as `run.json` recorded them: [`registry_settings`]).
pub fn batch_steps(
    args: &CommonArgs,
    out: &Path,
) -> anyhow::Result<Vec<Box<dyn crate::emit::BatchStep>>> {
    let (existing, dedup_config) = registry_settings(args, out);
    steps_with(args.schemas.as_deref(), &existing, dedup_config.as_deref())
}

fn steps_with(
    schemas: Option<&Path>,
    existing: &[PathBuf],
    dedup_config: Option<&Path>,
) -> anyhow::Result<Vec<Box<dyn crate::emit::BatchStep>>> {
    let mut steps: Vec<Box<dyn crate::emit::BatchStep>> = vec![
        Box::new(crate::extract::forms::BookForms),
        Box::new(crate::bookcheck::BookChecks),
    ];
    if !existing.is_empty() {
        let schemas_dir = Schemas::locate(schemas);
        let config = crate::dedup::step::config_for(dedup_config, &schemas_dir, existing)?;
        steps.push(Box::new(crate::dedup::step::DedupStep::new(
            config, existing,
        )?));
    }
    Ok(steps)
}
