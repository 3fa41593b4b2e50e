//! `sohoa rerun OUT --failed | --page BOOK:PAGE`: redo just those pages of an earlier run and
//! rebuild its outputs, without redoing the batch.
//!
//! ```text
//! sohoa rerun out --failed
//! sohoa rerun out --page ks-1998-01:7 --page ks-1998-01:8
//! ```

use super::config::{missing_books, run_batch, CommonArgs};
use super::Exit;
use crate::ingest;
use crate::page::PageKey;
use crate::pipeline::{RunManifest, Selection};
use anyhow::Context;
use std::collections::BTreeSet;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["failed", "page"])))]
pub struct RerunArgs {
    /// Output folder of an earlier `sohoa run`.
    pub out: PathBuf,
    /// Redo every page recorded as failed.
    #[arg(long)]
    pub failed: bool,
    /// Redo this page (BOOK:PAGE, the page's 1-based position in its book); repeatable.
    #[arg(long, value_name = "BOOK:PAGE", value_parser = parse_page_key)]
    pub page: Vec<PageKey>,
    #[command(flatten)]
    pub common: CommonArgs,
}

fn parse_page_key(s: &str) -> Result<PageKey, String> {
    let (book, page) = s
        .rsplit_once(':')
        .ok_or_else(|| format!("\"{s}\" is not BOOK:PAGE (e.g. ks-1998-01:7)"))?;
    let page: u32 = page
        .parse()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("\"{page}\" in \"{s}\" is not a page number (1, 2, ...)"))?;
    if book.is_empty() {
        return Err(format!("\"{s}\" has no book id before the colon"));
    }
    Ok(PageKey {
        book_id: book.to_string(),
        page,
    })
}

pub fn execute(args: RerunArgs) -> anyhow::Result<Exit> {
    let manifest = RunManifest::load(&args.out)?;
    let config = args.common.config(&manifest.scans, &args.out)?;
    let _lock = crate::outdir::OutLock::acquire(&args.out, "sohoa rerun")?;
    let scan = ingest::discover(&manifest.scans).with_context(|| {
        "the scans folder of the earlier run is gone; nothing was changed and the last outputs \
         are kept"
    })?;
    missing_books(&args.out, &scan)?;
    let selection = if args.failed {
        Selection::Failed
    } else {
        let known: BTreeSet<PageKey> = scan
            .books
            .iter()
            .flat_map(|b| b.pages.iter().map(|p| p.key.clone()))
            .collect();
        for key in &args.page {
            if !known.contains(key) {
                anyhow::bail!(
                    "page {key} is not in the scans folder {} (books: {})",
                    manifest.scans.display(),
                    scan.books
                        .iter()
                        .map(|b| format!("{} ({} pages)", b.id, b.pages.len()))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        Selection::Pages(args.page.iter().cloned().collect())
    };
    run_batch(&config, &scan, &selection, &args.common)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_keys_parse_with_clear_errors() {
        assert_eq!(
            parse_page_key("ks-1998:7").unwrap(),
            PageKey {
                book_id: "ks-1998".into(),
                page: 7
            }
        );
        assert!(parse_page_key("ks-1998").unwrap_err().contains("BOOK:PAGE"));
        assert!(parse_page_key("ks:0").unwrap_err().contains("page number"));
    }
}
