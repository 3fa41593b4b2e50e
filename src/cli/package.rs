//! `sohoa package OUT [--allow-partial]`: the ministry's delivery package per book, from an
//! earlier run's page results (also `sohoa run ... --package`).
//!
//! ```text
//! sohoa package out
//! sohoa package out --allow-partial --json
//! ```
//! Writes `OUT/delivery/<book_id>/<name>.xlsx` and `<name>.zip` (one PDF per Excel row) and
//! `OUT/delivery/manifest.csv`; names follow `schemas/delivery/<REG>.toml`. A book with entries
//! in review or rejected is reported incomplete and not packaged unless `--allow-partial`.
//! Exit code 3 when a book is not packaged (incomplete or failed).

use super::config::{batch_steps, CommonArgs};
use super::Exit;
use crate::ingest::{self, Scan};
use crate::package::{self, PackageOptions};
use crate::pipeline::RunManifest;
use crate::schema::Schemas;
use anyhow::Context;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct PackageArgs {
    /// Output folder of an earlier `sohoa run`.
    pub out: PathBuf,
    /// Package the ready entries of books that still have entries in review or rejected.
    #[arg(long)]
    pub allow_partial: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn execute(args: PackageArgs) -> anyhow::Result<Exit> {
    let manifest = RunManifest::load(&args.out)?;
    let _lock = crate::outdir::OutLock::acquire(&args.out, "sohoa package")?;
    let scan = ingest::discover(&manifest.scans).with_context(|| {
        "the scans folder of the earlier run is gone; the delivery was not changed"
    })?;
    super::config::missing_books(&args.out, &scan)?;
    let schemas = Schemas::load(&Schemas::locate(args.common.schemas.as_deref()))?;
    package_out(
        &args.out,
        &scan,
        &schemas,
        &args.common,
        args.allow_partial,
        true,
    )
}

/// Packages an output folder: rebuilds the page results with the run's batch steps, writes the
/// delivery files, prints the summary (on stdout when `stdout`, else on stderr; as JSON on
/// stdout with `--json` when `stdout`). Shared by `package` and `run --package`.
pub fn package_out(
    out: &Path,
    scan: &Scan,
    schemas: &Schemas,
    common: &CommonArgs,
    allow_partial: bool,
    stdout: bool,
) -> anyhow::Result<Exit> {
    let steps = batch_steps(common, out)?;
    let options = PackageOptions {
        allow_partial,
        ..PackageOptions::default()
    };
    let threads = rayon::ThreadPoolBuilder::new()
        .num_threads(common.jobs())
        .build()
        .context("cannot start the worker threads")?;
    let report = threads.install(|| -> anyhow::Result<package::PackageReport> {
        let (results, notes) = package::rebuild_results(out, scan, schemas, &steps)?;
        Ok(package::package(
            out, scan, schemas, &results, notes, &options,
        )?)
    })?;
    if common.json && stdout {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if !common.quiet {
        let text = format!(
            "{}Delivery in {}\n",
            report.summary(),
            report.delivery.display()
        );
        if stdout {
            print!("{text}");
        } else {
            eprint!("{text}");
        }
    }
    Ok(if report.any_book_not_packaged() {
        Exit::PagesFailed
    } else if !report.complete() {
        Exit::Partial
    } else {
        Exit::Ok
    })
}
