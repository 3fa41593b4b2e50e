//! `sohoa dedup`: find duplicates among new entries and against registry files, explain each
//! decision.
//!
//! ```text
//! sohoa dedup --input batch.csv --existing registry.csv --out dd
//! sohoa dedup --input batch.xlsx --existing a.csv --existing b.csv --register KS --out dd
//! sohoa dedup --input people.csv --config my-columns.toml --out dd
//! sohoa dedup-synth --out set --registry 100000 --batch 10000 --seed 7
//! sohoa dedup --input set/batch.csv --existing set/registry.csv --truth set/pairs.csv --out dd
//! ```
//!
//! Writes `DIR/matches.csv` (`kind,input_row,match_row,score,decision,explanation`; `kind` is
//! `existing` or `input`; rows are 1-based data rows of their files, written `file:row` when
//! several registry files are given) and `DIR/report.json`, and prints a summary.

use super::Exit;
use crate::dedup::config::MatchConfig;
use crate::dedup::read::{matching_columns, read_headers};
use crate::dedup::run::{run_files, FileRun};
use crate::schema::Schemas;
use anyhow::Context;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct DedupArgs {
    /// New entries: CSV (UTF-8) or XLSX in the import-template columns (any subset, any order).
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// Registry records already loaded (repeatable).
    #[arg(long, value_name = "FILE")]
    pub existing: Vec<PathBuf>,
    /// Register type (KS...): picks schemas/matching/<REG>.toml; guessed from the headers.
    #[arg(long, value_name = "REG")]
    pub register: Option<String>,
    /// Matching configuration (fields, comparisons, blocking keys, thresholds) instead of the
    /// register's default.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Known duplicate pairs (`kind,input_row,match_row`): prints precision, recall and F1.
    #[arg(long, value_name = "PAIRS.csv")]
    pub truth: Option<PathBuf>,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Folder of schemas (default: ./schemas, else the one sohoa was built with).
    #[arg(long, value_name = "DIR")]
    pub schemas: Option<PathBuf>,
    /// Worker threads; default: the number of cores.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Print the report as JSON instead of the summary.
    #[arg(long)]
    pub json: bool,
}

pub fn execute(args: DedupArgs) -> anyhow::Result<Exit> {
    if let Some(j) = args.jobs.filter(|j| *j > 0) {
        // Fails only if a pool exists already, which then serves as well.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(j)
            .build_global();
    }
    let (config, label) = resolve_config(&args)?;
    let result = run_files(&FileRun {
        config: &config,
        config_label: label,
        input: &args.input,
        existing: &args.existing,
        truth: args.truth.as_deref(),
        out: &args.out,
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result.report)?);
    } else {
        print!("{}", result.report.summary());
        println!("Outputs in {}", args.out.display());
    }
    Ok(Exit::Ok)
}

/// The configuration: `--config`, else the register's default, else the default whose columns
/// the input headers match best.
fn resolve_config(args: &DedupArgs) -> anyhow::Result<(MatchConfig, String)> {
    if let Some(path) = &args.config {
        return Ok((MatchConfig::load(path)?, path.display().to_string()));
    }
    let dir = Schemas::locate(args.schemas.as_deref()).join("matching");
    if let Some(reg) = &args.register {
        let path = dir.join(format!("{reg}.toml"));
        if !path.is_file() {
            anyhow::bail!(
                "no matching model for register {reg} ({} does not exist); give one with --config",
                path.display()
            );
        }
        return Ok((MatchConfig::load(&path)?, path.display().to_string()));
    }
    let headers = read_headers(&args.input)?;
    let mut best: Option<(usize, MatchConfig, PathBuf)> = None;
    for path in toml_files(&dir)? {
        let config = MatchConfig::load(&path)?;
        let n = matching_columns(&config, &headers);
        if n > 0 && best.as_ref().is_none_or(|b| n > b.0) {
            best = Some((n, config, path));
        }
    }
    match best {
        Some((_, config, path)) => Ok((config, path.display().to_string())),
        None => anyhow::bail!(
            "{}: its headers match no register's matching model in {}; give --register or --config",
            args.input.display(),
            dir.display()
        ),
    }
}

fn toml_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read the matching models", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    Ok(v)
}
