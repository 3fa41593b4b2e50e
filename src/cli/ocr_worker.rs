//! `sohoa ocr-worker`: the process `sohoa run` reads pages in (one per job), so that a page that
//! overruns its time limit or brings Tesseract down can be stopped without stopping the run.
//! Not for people to run: it speaks a binary protocol on stdin and stdout (`reading::protocol`).

use super::Exit;
use crate::ocr::OcrConfig;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct OcrWorkerArgs {
    /// Tesseract language.
    #[arg(long, default_value = "vie")]
    lang: String,
    /// Folder holding the language's traineddata (default: Tesseract's own).
    #[arg(long, value_name = "DIR")]
    tessdata: Option<PathBuf>,
}

pub fn execute(args: OcrWorkerArgs) -> anyhow::Result<Exit> {
    crate::reading::worker::serve(OcrConfig {
        tessdata_dir: args.tessdata,
        lang: args.lang,
        // Each request carries the time it may take.
        page_timeout: Duration::MAX,
    })?;
    Ok(Exit::Ok)
}
