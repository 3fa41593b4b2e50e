//! `sohoa emit OUT`: rebuild an earlier run's outputs (records, import files, report) from its
//! stored page results and the corrections journal, without reading any page again.
//!
//! ```text
//! sohoa emit out            # after review: the import files carry the corrected values
//! sohoa emit out --json     # the rebuilt report on stdout
//! sohoa emit out --existing registry.csv   # duplicates against the registry, checked once
//!                                          # over every book (after shard runs)
//! ```
//! Pages are not re-read and extraction settings are not re-applied (that is `sohoa rerun`);
//! the registry files and matching settings are those given, else those `run.json` recorded
//! (given ones are recorded for the next commands). Books without all their page results
//! (shards not yet done) are named.

use super::config::{batch_steps, missing_books, registry_settings, CommonArgs};
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
    let mut manifest = RunManifest::load(out)?;
    let _lock = crate::outdir::OutLock::acquire(out, "sohoa emit")?;
    if !args.common.existing.is_empty() {
        // Registry files given now are the ones in force from here on (package, review).
        (manifest.existing, manifest.dedup_config) = registry_settings(&args.common, out);
        manifest.save(out)?;
    }
    let scan = ingest::discover(&manifest.scans).with_context(|| {
        "the scans folder of the earlier run is gone; the outputs were not changed"
    })?;
    missing_books(out, &scan)?;
    let schemas = Schemas::load(&Schemas::locate(args.common.schemas.as_deref()))?;
    let steps = batch_steps(&args.common, out)?;
    let results = crate::package::stored_results(out, &scan)
        .with_context(|| format!("{}: cannot read the stored page results", out.display()))?;
    let stored_pages: usize = scan.books.iter().map(|b| b.pages.len()).sum();
    let stats = BatchStats {
        reused_pages: results.len(),
        ..BatchStats::default()
    };
    // The model the pages were read with, as the run recorded it (emit reads nothing itself);
    // folders of older versions have it only in their last report.
    let ocr_model = manifest.ocr_model.clone().unwrap_or_else(|| {
        std::fs::read(out.join("report.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<crate::emit::report::Report>(&b).ok())
            .map(|r| r.ocr_model)
            .unwrap_or_default()
    });
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
    let (unfinished, lines) = crate::shard::report::unfinished_books(&scan, &results, out);
    if unfinished > 0 {
        eprintln!(
            "{unfinished} book(s) lack page results; their entries are not in the outputs yet:"
        );
        for line in &lines {
            eprintln!("  {line}");
        }
    }
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
