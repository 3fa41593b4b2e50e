//! `sohoa dedup-synth`: a registry and a batch of birth registrations with known duplicates
//! and near misses, for measuring `sohoa dedup`.
//!
//! ```text
//! sohoa dedup-synth --out set --registry 1000000 --batch 100000 --seed 7
//! sohoa dedup --input set/batch.csv --existing set/registry.csv --truth set/pairs.csv --out dd
//! ```
//!
//! Writes `registry.csv`, `batch.csv` (KS template headers), `pairs.csv`
//! (`kind,input_row,match_row`) and `near_misses.csv` (`...,relation`: twin, sibling, namesake);
//! with `--within`, `within/records.csv` and its truth: the same people in one file.
//! `--given-garble 2` garbles duplicates' given names twice as often.

use super::Exit;
use crate::dedup::generate::{generate, GenParams};
use crate::schema::Schemas;
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct DedupSynthArgs {
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Registry records.
    #[arg(long, default_value_t = 100_000)]
    pub registry: usize,
    /// Batch records.
    #[arg(long, default_value_t = 10_000)]
    pub batch: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How heavily duplicates' given names are garbled, as a multiple of the usual rate
    /// (2 = twice as heavy).
    #[arg(long, default_value_t = 1.0)]
    pub given_garble: f64,
    /// Also write within/: registry and batch as one file to deduplicate on its own.
    #[arg(long)]
    pub within: bool,
    /// Folder of schemas (default: ./schemas, else the one sohoa was built with).
    #[arg(long, value_name = "DIR")]
    pub schemas: Option<PathBuf>,
}

pub fn execute(args: DedupSynthArgs) -> anyhow::Result<Exit> {
    let schemas = Schemas::load(&Schemas::locate(args.schemas.as_deref()))?;
    let ks = schemas
        .register("KS")
        .context("the schemas have no KS register")?;
    let columns: Vec<(String, String)> = ks
        .columns
        .iter()
        .map(|c| (c.key.clone(), c.header.clone()))
        .collect();
    let summary = generate(
        &args.out,
        &GenParams {
            given_garble: args.given_garble,
            within: args.within,
            ..GenParams::new(args.registry, args.batch, args.seed)
        },
        &columns,
    )
    .with_context(|| format!("{}: cannot write the data set", args.out.display()))?;
    println!(
        "Wrote {} registry and {} batch records to {}: {} duplicate pairs ({} against the registry, {} within the batch); near misses {:?}.",
        summary.registry,
        summary.batch,
        args.out.display(),
        summary.duplicate_pairs,
        summary.existing_pairs,
        summary.input_pairs,
        summary.near_misses
    );
    Ok(Exit::Ok)
}
