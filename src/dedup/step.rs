//! Deduplication inside `sohoa run --existing REGISTRY...`: a batch step that links every entry
//! of the run against the registry (read and indexed once, when the step is built) and within
//! the run, and adds findings: `DEDUP-EXISTING` (error: a duplicate of a registry record, kept
//! out of the import), `DEDUP-BATCH` (error: a later copy of an entry of the same run; the first
//! is kept) and `DEDUP-POSSIBLE` (review: possibly a duplicate, or a cluster joining several
//! registry records). Every message names the matched record and the explanation.

use super::cluster::{self, Resolution};
use super::config::MatchConfig;
use super::explain::Explainer;
use super::link::{self, Link, Linkage, Registry, Side};
use super::read;
use super::record::RecordStore;
use super::run::DedupError;
use super::vocab::Vocab;
use crate::emit::report::BatchNote;
use crate::emit::BatchStep;
use crate::page::{Finding, PageResult, Severity};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const CODE_EXISTING: &str = "DEDUP-EXISTING";
pub const CODE_BATCH: &str = "DEDUP-BATCH";
pub const CODE_POSSIBLE: &str = "DEDUP-POSSIBLE";

/// The dedup batch step: a registry index and the model configuration.
pub struct DedupStep {
    config: MatchConfig,
    vocab: Vocab,
    registry: Registry,
    /// Register code whose entries are linked (the configuration's, `KS` when it names none).
    register: String,
}

impl DedupStep {
    /// Reads and indexes the registry files.
    pub fn new(config: MatchConfig, existing: &[PathBuf]) -> Result<Self, DedupError> {
        let mut vocab = Vocab::with_lexicon(&config.lexicon_words);
        let mut store = RecordStore::new(&config);
        for path in existing {
            read::read_into(path, &config, &mut vocab, &mut store)?;
        }
        let registry = Registry::build(&config, &vocab, store);
        let register = if config.register.is_empty() {
            "KS".to_string()
        } else {
            config.register.clone()
        };
        Ok(Self {
            config,
            vocab,
            registry,
            register,
        })
    }

    /// Registry records indexed.
    pub fn registry_len(&self) -> usize {
        self.registry.store.len()
    }
}

/// The matching configuration for a run: the given file, else the register model in
/// `<schemas>/matching/` whose columns the first registry file's headers match best.
pub fn config_for(
    explicit: Option<&std::path::Path>,
    schemas_dir: &std::path::Path,
    existing: &[PathBuf],
) -> Result<MatchConfig, StepConfigError> {
    if let Some(path) = explicit {
        return Ok(MatchConfig::load(path)?);
    }
    let dir = schemas_dir.join("matching");
    let headers = match existing.first() {
        Some(p) => read::read_headers(p)?,
        None => Vec::new(),
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| StepConfigError::NoModel(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut best: Option<(usize, MatchConfig)> = None;
    for path in paths {
        let config = MatchConfig::load(&path)?;
        let n = read::matching_columns(&config, &headers);
        if n > 0 && best.as_ref().is_none_or(|b| n > b.0) {
            best = Some((n, config));
        }
    }
    best.map(|b| b.1).ok_or_else(|| {
        let shown: String = headers.join(", ").chars().take(120).collect();
        StepConfigError::NoModel(format!(
            "{}: no column of this file is one a matching model in {} compares (it has {} \
             column(s): {shown}); is it a registry export with its header row? Give the model \
             with --dedup-config if its columns are named otherwise",
            existing
                .first()
                .map_or(String::new(), |p| p.display().to_string()),
            dir.display(),
            headers.len()
        ))
    })
}

#[derive(Debug, thiserror::Error)]
pub enum StepConfigError {
    #[error(transparent)]
    Config(#[from] super::config::ConfigError),
    #[error(transparent)]
    Read(#[from] read::ReadError),
    #[error("no matching model: {0}")]
    NoModel(String),
}

/// Where an entry of the run stands: page result index and entry index.
type EntryAt = (usize, usize);

impl BatchStep for DedupStep {
    fn name(&self) -> &str {
        "dedup"
    }

    fn apply(
        &self,
        results: &mut [PageResult],
        scan: &crate::ingest::Scan,
        _schemas: &crate::schema::Schemas,
    ) -> Result<Vec<BatchNote>, String> {
        let register_of: BTreeMap<&str, &str> = scan
            .books
            .iter()
            .map(|b| (b.id.as_str(), b.meta.register.as_str()))
            .collect();
        let mut vocab = self.vocab.clone();
        let mut input = RecordStore::new(&self.config);
        let source = input.add_source("run");
        let mut at: Vec<EntryAt> = Vec::new();
        let mut values: Vec<String> = vec![String::new(); self.config.fields.len()];
        // The confidence each field was read with: a disagreement on a doubtful reading
        // weighs less, and a doubtful given name is garbled rather than another child's.
        let mut confidences: Vec<Option<f32>> = vec![None; self.config.fields.len()];
        for (p, page) in results.iter().enumerate() {
            if register_of.get(page.source.key.book_id.as_str()) != Some(&self.register.as_str()) {
                continue;
            }
            for (e, entry) in page.entries().iter().enumerate() {
                for ((v, c), spec) in values
                    .iter_mut()
                    .zip(confidences.iter_mut())
                    .zip(&self.config.fields)
                {
                    v.clear();
                    *c = None;
                    for col in &spec.columns {
                        let field = entry.fields.get(col.as_str()).or_else(|| {
                            entry
                                .fields
                                .iter()
                                .find(|(k, _)| k.eq_ignore_ascii_case(col))
                                .map(|(_, f)| f)
                        });
                        let Some(field) = field.filter(|f| !f.value.trim().is_empty()) else {
                            continue;
                        };
                        if !v.is_empty() {
                            v.push(' ');
                        }
                        v.push_str(field.value.trim());
                        *c = Some(c.map_or(field.confidence, |x: f32| x.min(field.confidence)));
                    }
                }
                let refs: Vec<&str> = values.iter().map(String::as_str).collect();
                input.push_read(
                    &mut vocab,
                    &refs,
                    &confidences,
                    None,
                    source,
                    at.len() as u32 + 1,
                );
                at.push((p, e));
            }
        }
        if input.is_empty() {
            return Ok(Vec::new());
        }
        vocab.learn_frequent(&self.config, &[&self.registry.store, &input]);
        let mut linkage = link::link(&self.config, &vocab, &self.registry, &input);
        cluster::demote_weaker(
            &mut linkage.links,
            input.len(),
            self.config.thresholds.margin,
        );
        let registry = &self.registry.store;
        let resolutions =
            cluster::resolve_persons(&mut linkage.links, input.len(), registry.len(), &|r| {
                registry.person(r as usize)
            });
        let explainer = Explainer {
            config: &self.config,
            model: &linkage.model,
            frequencies: &linkage.frequencies,
            vocab: &vocab,
        };
        let describe_entry = |k: usize| {
            let (p, e) = at[k];
            let page = &results[p];
            format!(
                "{} #{}",
                page.source.key,
                page.entries().get(e).map_or(0, |x| x.index)
            )
        };
        let describe_existing = |r: usize| {
            let s = &self.registry.store;
            format!(
                "{} row {}",
                s.source_names[s.sources[r] as usize], s.rows[r]
            )
        };
        let explain = |l: &Link| {
            let (store, other) = match l.side {
                Side::Existing => (&self.registry.store, l.other as usize),
                Side::Input => (&input, l.other as usize),
            };
            explainer.explain(
                l.pattern,
                l.score,
                l.capped_by,
                &input,
                l.input as usize,
                store,
                other,
            )
        };
        let mut findings: Vec<(usize, Finding)> = Vec::new();
        let (mut dup, mut copies, mut possible) = (0, 0, 0);
        for (k, r) in resolutions.iter().enumerate() {
            let finding = match r {
                Resolution::New | Resolution::First => continue,
                Resolution::Existing { existing, link } => {
                    dup += 1;
                    let row = describe_existing(*existing as usize);
                    let why = evidence(&linkage, *link, k, &explain, &describe_entry);
                    Finding {
                        code: CODE_EXISTING.into(),
                        severity: Severity::Error,
                        field: None,
                        message_vi: format!("Trùng với bản ghi đã có trong sổ: {row}. {why}"),
                        message_en: format!("Duplicate of registry record {row}. {why}"),
                    }
                }
                Resolution::LaterCopy { first, link } => {
                    copies += 1;
                    let first = describe_entry(*first as usize);
                    let why = evidence(&linkage, *link, k, &explain, &describe_entry);
                    Finding {
                        code: CODE_BATCH.into(),
                        severity: Severity::Error,
                        field: None,
                        message_vi: format!(
                            "Trùng với mục {first} trong cùng lô (giữ mục đầu). {why}"
                        ),
                        message_en: format!(
                            "Duplicate of entry {first} of this run (the first is kept). {why}"
                        ),
                    }
                }
                Resolution::Possible { link } => {
                    possible += 1;
                    let l = &linkage.links[*link];
                    let other = match l.side {
                        Side::Existing => describe_existing(l.other as usize),
                        Side::Input => describe_entry(l.other as usize),
                    };
                    let why = explain(l);
                    Finding {
                        code: CODE_POSSIBLE.into(),
                        severity: Severity::Review,
                        field: None,
                        message_vi: format!("Có thể trùng với {other}; cần kiểm tra. {why}"),
                        message_en: format!("Possibly a duplicate of {other}; please check. {why}"),
                    }
                }
                Resolution::Conflict { existing, link } => {
                    possible += 1;
                    let rows: Vec<String> = existing
                        .iter()
                        .map(|&r| describe_existing(r as usize))
                        .collect();
                    let rows = rows.join(", ");
                    let why = explain(&linkage.links[*link]);
                    Finding {
                        code: CODE_POSSIBLE.into(),
                        severity: Severity::Review,
                        field: None,
                        message_vi: format!(
                            "Khớp với nhiều bản ghi đã có trong sổ ({rows}); cần kiểm tra. {why}"
                        ),
                        message_en: format!(
                            "Matches several registry records ({rows}); please check. {why}"
                        ),
                    }
                }
            };
            findings.push((k, finding));
        }
        for (k, f) in findings {
            let (p, e) = at[k];
            if let crate::page::PageOutcome::Done { entries } = &mut results[p].outcome {
                entries[e].add_finding(f);
            }
        }
        Ok(vec![BatchNote {
            step: "dedup".into(),
            book_id: None,
            message_vi: format!(
                "Đối chiếu {} mục với {} bản ghi đã có: {dup} trùng sổ, {copies} trùng trong lô, {possible} cần kiểm tra ({} cặp so sánh).",
                input.len(),
                self.registry.store.len(),
                linkage.pairs
            ),
            message_en: format!(
                "Linked {} entries against {} registry records: {dup} duplicates of the registry, {copies} copies within the run, {possible} to review ({} pairs compared).",
                input.len(),
                self.registry.store.len(),
                linkage.pairs
            ),
        }])
    }
}

/// The explanation of the link that decided record `k`, saying when it goes through another
/// entry of the run.
fn evidence(
    linkage: &Linkage,
    link: usize,
    k: usize,
    explain: &dyn Fn(&Link) -> String,
    describe_entry: &dyn Fn(usize) -> String,
) -> String {
    let l = &linkage.links[link];
    let text = explain(l);
    if l.input as usize == k || (l.side == Side::Input && l.other as usize == k) {
        text
    } else {
        format!("(through {}) {text}", describe_entry(l.input as usize))
    }
}
