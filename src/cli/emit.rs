//! `sohoa emit OUT`: rebuild an earlier run's outputs (records, import files, report) from its
//! stored page results and the corrections journal, without reading any page again.
//!
//! ```text
//! sohoa emit out            # after review: the import files carry the corrected values
//! sohoa emit out --json     # the rebuilt report on stdout
//! ```
//! Pages are not re-read and extraction settings are not re-applied (that is `sohoa rerun`);
//! the registry files and matching settings are those `run.json` recorded.

use super::config::{missing_books, recorded_steps, CommonArgs};
use super::Exit;
use crate::emit::Outputs;
use crate::ingest;
use crate::pipeline::{BatchStats, RunManifest};
use crate::schema::Schemas;
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct EmitArgs {
    /// Output folder of an earlier `sohoa run`.
    pub out: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn execute(args: EmitArgs) -> anyhow::Result<Exit> {
    let out = &args.out;
    let manifest = RunManifest::load(out)?;
    let _lock = crate::outdir::OutLock::acquire(out, "sohoa emit")?;
    let scan = ingest::discover(&manifest.scans).with_context(|| {
        "the scans folder of the earlier run is gone; the outputs were not changed"
    })?;
    missing_books(out, &scan)?;
    let schemas = Schemas::load(&Schemas::locate(args.common.schemas.as_deref()))?;
    let steps = recorded_steps(args.common.schemas.as_deref(), out)?;
    let results = crate::package::stored_results(out, &scan)
        .with_context(|| format!("{}: cannot read the stored page results", out.display()))?;
    let stored_pages: usize = scan.books.iter().map(|b| b.pages.len()).sum();
    let stats = BatchStats {
        reused_pages: results.len(),
        ..BatchStats::default()
    };
    // The model the run read with, as its last report said (emit reads nothing itself).
    let ocr_model = std::fs::read(out.join("report.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<crate::emit::report::Report>(&b).ok())
        .map(|r| r.ocr_model)
        .unwrap_or_default();
    let outputs = Outputs {
        out,
        schemas: &schemas,
        scan: &scan,
        steps: &steps,
    };
    let report = outputs.write(&results, &stats, args.common.jobs(), &ocr_model)?;
    if args.common.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if !args.common.quiet {
        print!("{}", report.summary());
        println!("Outputs rebuilt in {}", out.display());
    }
    let missing = stored_pages - results.len();
    if missing > 0 {
        eprintln!(
            "{missing} page(s) have no usable stored result (never read, failed or changed \
             since): run `sohoa rerun {} --failed` or `sohoa run` again to read them",
            out.display()
        );
    }
    Ok(
        if missing > 0 || report.pages.failed > 0 || !report.failed_books.is_empty() {
            Exit::PagesFailed
        } else {
            Exit::Ok
        },
    )
}
