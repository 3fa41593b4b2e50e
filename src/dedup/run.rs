//! `sohoa dedup` over files: read the registry (streamed) and index it, read the input, link,
//! cluster, write `matches.csv` and `report.json`.

use super::cluster::{self, Resolution};
use super::config::MatchConfig;
use super::explain::Explainer;
use super::link::{self, Registry};
use super::read::{self, ReadError};
use super::record::RecordStore;
use super::report::{self, DedupReport};
use super::vocab::Vocab;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum DedupError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("truth file: {0}")]
    Truth(String),
}

/// What to link and where the outputs go.
pub struct FileRun<'a> {
    pub config: &'a MatchConfig,
    /// Where the configuration came from, for the report.
    pub config_label: String,
    pub input: &'a Path,
    pub existing: &'a [PathBuf],
    pub truth: Option<&'a Path>,
    pub out: &'a Path,
}

/// Everything a file run produced, for callers that want more than the report.
pub struct FileRunResult {
    pub report: DedupReport,
    pub resolutions: Vec<Resolution>,
}

/// Runs the whole linkage over files and writes the outputs.
pub fn run_files(run: &FileRun) -> Result<FileRunResult, DedupError> {
    let started = Instant::now();
    let config = run.config;
    let mut rep = DedupReport {
        sohoa_version: env!("CARGO_PKG_VERSION").into(),
        register: config.register.clone(),
        config: run.config_label.clone(),
        ..Default::default()
    };
    let mut vocab = Vocab::with_lexicon(&config.lexicon_words);
    let t = Instant::now();
    let mut registry_store = RecordStore::new(config);
    for path in run.existing {
        rep.existing.push(read::read_into(
            path,
            config,
            &mut vocab,
            &mut registry_store,
        )?);
    }
    rep.times.read_existing = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let registry = Registry::build(config, &vocab, registry_store);
    rep.times.index_existing = t.elapsed().as_secs_f64();
    rep.registry_bytes = registry.store.heap_bytes() + registry.index.heap_bytes();

    let t = Instant::now();
    let mut input = RecordStore::new(config);
    rep.input = read::read_into(run.input, config, &mut vocab, &mut input)?;
    rep.times.read_input = t.elapsed().as_secs_f64();
    rep.input_records = input.len();
    rep.existing_records = registry.store.len();
    rep.vocabulary_words = vocab.token_count();
    vocab.learn_frequent(config, &[&registry.store, &input]);

    let mut linkage = link::link(config, &vocab, &registry, &input);
    cluster::demote_weaker(&mut linkage.links, input.len(), config.thresholds.margin);
    let resolutions = cluster::resolve_persons(
        &mut linkage.links,
        input.len(),
        registry.store.len(),
        &|r| registry.store.person(r as usize),
    );
    rep.count(&linkage, &resolutions, &input, &registry.store);
    if let Some(truth) = run.truth {
        rep.truth = Some(
            report::score_truth(truth, &linkage, &input, &registry.store)
                .map_err(DedupError::Truth)?,
        );
    }

    let t = Instant::now();
    std::fs::create_dir_all(run.out).map_err(|source| DedupError::Write {
        path: run.out.to_path_buf(),
        source,
    })?;
    let explainer = Explainer {
        config,
        model: &linkage.model,
        frequencies: &linkage.frequencies,
        vocab: &vocab,
    };
    let matches = run.out.join("matches.csv");
    let clusters = run.out.join("clusters.csv");
    // Both files at once: each formats its rows on every core, then writes them on one.
    let (matches_written, clusters_written) = rayon::join(
        || report::write_matches(&matches, &linkage, &explainer, &input, &registry.store),
        || report::write_clusters(&clusters, &resolutions, &linkage, &input, &registry.store),
    );
    matches_written.map_err(|source| DedupError::Write {
        path: matches.clone(),
        source,
    })?;
    clusters_written.map_err(|source| DedupError::Write {
        path: clusters.clone(),
        source,
    })?;
    rep.times.write = t.elapsed().as_secs_f64();
    rep.times.total = started.elapsed().as_secs_f64();
    let path = run.out.join("report.json");
    let bytes = serde_json::to_vec_pretty(&rep).expect("report serialises");
    crate::store::write_atomic(&path, &bytes).map_err(|source| DedupError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(FileRunResult {
        report: rep,
        resolutions,
    })
}
