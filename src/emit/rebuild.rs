//! Page results as every output holds them: people's decisions from the corrections journal put
//! in, the batch steps (book checks, duplicates) run over the corrected values, and each
//! entry's status settled. Records, import files, the report and the delivery package are all
//! built from this one place, so that they never disagree.

use super::report::BatchNote;
use super::{apply_steps, BatchStep, EmitError};
use crate::extract::{ExtractParams, Extractor};
use crate::ingest::Scan;
use crate::journal::Journal;
use crate::page::PageResult;
use crate::review::resolve::{self, Decisions, PersonLayer, Revalidate};
use crate::schema::Schemas;
use crate::validate::ValidateParams;
use std::collections::BTreeMap;
use std::path::Path;

/// What the outputs are built from.
#[derive(Debug, Clone, Default)]
pub struct Rebuilt {
    pub results: Vec<PageResult>,
    pub notes: Vec<BatchNote>,
    pub people: PersonLayer,
}

/// The validation settings the run used (`run.json`), for entries people changed.
pub fn validate_params(out: &Path) -> ValidateParams {
    let mut params = ValidateParams::default();
    if let Some(c) = crate::pipeline::RunManifest::load(out)
        .ok()
        .and_then(|m| m.min_confidence)
    {
        params.min_confidence = c;
    }
    params
}

/// People's decisions on a run, from its journal (none when it has no journal).
pub fn decisions(out: &Path) -> Result<Decisions, EmitError> {
    let journal_err = |e: crate::journal::JournalError| EmitError {
        path: out.join(crate::journal::FILE),
        message: e.to_string(),
    };
    match Journal::open_if_exists(out).map_err(journal_err)? {
        Some(j) => Ok(Decisions::from_actions(&j.actions().map_err(journal_err)?)),
        None => Ok(Decisions::default()),
    }
}

/// Applies the journal and the steps to a copy of the page results.
pub fn rebuild(
    out: &Path,
    scan: &Scan,
    schemas: &Schemas,
    steps: &[Box<dyn BatchStep>],
    results: &[PageResult],
) -> Result<Rebuilt, EmitError> {
    let decisions = decisions(out)?;
    rebuild_with(
        scan,
        schemas,
        steps,
        results,
        &decisions,
        &validate_params(out),
    )
}

/// [`rebuild`] with the decisions and settings given.
pub fn rebuild_with(
    scan: &Scan,
    schemas: &Schemas,
    steps: &[Box<dyn BatchStep>],
    results: &[PageResult],
    decisions: &Decisions,
    params: &ValidateParams,
) -> Result<Rebuilt, EmitError> {
    let mut results = results.to_vec();
    let register_of: BTreeMap<&str, &str> = scan
        .books
        .iter()
        .map(|b| (b.id.as_str(), b.meta.register.as_str()))
        .collect();
    let people = if decisions.is_empty() {
        PersonLayer::default()
    } else {
        let mut extractors: BTreeMap<String, Extractor> = BTreeMap::new();
        for reg in register_of.values() {
            if !extractors.contains_key(*reg) {
                if let Ok(e) = Extractor::new(schemas, reg, ExtractParams::default()) {
                    extractors.insert(reg.to_string(), e);
                }
            }
        }
        let printed = |reg: &str, edition: &str| {
            extractors
                .get(reg)
                .map(|e| e.printed_fields(edition).to_vec())
                .unwrap_or_default()
        };
        let register_of = |book: &str| register_of.get(book).map(|r| r.to_string());
        let revalidate = Revalidate {
            schemas,
            params,
            printed: &printed,
            register_of: &register_of,
        };
        resolve::apply(&mut results, decisions, &revalidate)
    };
    let notes = apply_steps(&mut results, scan, schemas, steps);
    resolve::settle(&mut results, decisions, &people);
    Ok(Rebuilt {
        results,
        notes,
        people,
    })
}
