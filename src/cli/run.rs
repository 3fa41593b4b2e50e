//! `sohoa run SCANS --out OUT`: process a folder of scanned books into import files.
//!
//! ```text
//! sohoa run scans-sample --out out
//! sohoa run /data/scans --out /data/out --jobs 2 --quiet
//! ```
//! Running again with the same `--out` skips pages whose image is unchanged and finishes the
//! rest; the outputs are rebuilt from the page results each time.
//!
//! On a cluster, each process takes one shard of the books and `sohoa emit` writes the outputs
//! once all are done (see `deploy/` and the README's "Running a province"):
//! ```text
//! sohoa run /data/scans --out /data/out --shard 3/16 --quiet
//! sohoa emit /data/out
//! ```

use super::config::{missing_books, run_batch, CommonArgs};
use super::Exit;
use crate::pipeline::Selection;
use crate::{ingest, outdir};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Folder of books: one sub-folder per book with book.toml and its page images.
    pub scans: PathBuf,
    /// Output folder (records, import files, report, page results).
    #[arg(long, short = 'o')]
    pub out: PathBuf,
    /// After the outputs, write the delivery package per book (as `sohoa package OUT`).
    #[arg(long)]
    pub package: bool,
    /// With --package: package the ready entries of books not yet complete.
    #[arg(long, requires = "package")]
    pub allow_partial: bool,
    /// Write into OUT even though it holds files sohoa did not write (they are left alone).
    #[arg(long)]
    pub force: bool,
    /// Read only the books of shard K of N (0 <= K < N; a book's shard follows from its id, so
    /// a re-run shard takes the same books). Shards share OUT; the outputs are written by
    /// `sohoa emit OUT` once every shard is done.
    #[arg(long, value_name = "K/N", conflicts_with = "package")]
    pub shard: Option<crate::shard::Shard>,
    /// With --shard: seconds after which a book lock left untouched by a process on another
    /// machine is taken for that of a dead process and taken over.
    #[arg(
        long,
        default_value_t = 120,
        value_name = "SECONDS",
        requires = "shard"
    )]
    pub stale_lock_after: u64,
    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn execute(args: RunArgs) -> anyhow::Result<Exit> {
    let config = args.common.config(&args.scans, &args.out)?;
    let scan = ingest::discover(&args.scans)?;
    if scan.books.is_empty() && scan.failed.is_empty() {
        anyhow::bail!(
            "{}: no book found; each book is a folder holding book.toml and its page images \
             (PNG, JPEG, TIFF)",
            args.scans.display()
        );
    }
    outdir::check_for_run(&args.out, args.force)?;
    if let Some(shard) = args.shard {
        return super::shard_run::execute(&args, shard, config, scan);
    }
    let _lock =
        outdir::OutLock::acquire(&args.out, &format!("sohoa run {}", args.scans.display()))?;
    missing_books(&args.out, &scan)?;
    let code = run_batch(&config, &scan, &Selection::All, &args.common)?;
    if !args.package {
        return Ok(code);
    }
    let packaged = super::package::package_out(
        &args.out,
        &scan,
        &config.schemas,
        &args.common,
        args.allow_partial,
        !args.common.json,
    )?;
    Ok(if code == Exit::Ok { packaged } else { code })
}
