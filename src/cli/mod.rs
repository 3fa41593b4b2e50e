//! Command-line interface: one module per subcommand, each opening with its usage. `main`
//! parses, runs, prints the error chain in the user's words and maps the outcome to an exit code.

pub mod accept;
pub mod check;
pub mod config;
pub mod dedup;
pub mod dedup_synth;
pub mod emit;
pub mod eval;
pub mod explain;
pub mod ocr_worker;
pub mod package;
pub mod rerun;
pub mod review;
pub mod run;
pub mod shard_run;
pub mod synth;

use clap::{Parser, Subcommand};

/// Exit codes, documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything was processed.
    Ok = 0,
    /// The command could not do its work (unreadable input folder, bad schemas, disk full...).
    Fatal = 1,
    /// Bad usage: unknown option, missing argument (clap's own code); or a file given to apply
    /// was refused as a whole (a filled review queue with a bad row: nothing of it applied).
    Usage = 2,
    /// The run finished but some pages or books failed; see the report. For `check`: the
    /// workbook has errors or cells to review.
    PagesFailed = 3,
    /// A delivery was written, but only in part (`--allow-partial`): some book lacks entries.
    Partial = 4,
}

#[derive(Debug, Parser)]
#[command(
    name = "sohoa",
    version,
    about = "Scanned Vietnamese civil-status register books to validated import files",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Process a folder of scanned books into import files.
    Run(run::RunArgs),
    /// Redo failed pages or chosen pages of an earlier run and rebuild its outputs.
    Rerun(rerun::RerunArgs),
    /// Render synthetic register pages with their truth.
    Synth(synth::SynthArgs),
    /// Measure a run's field accuracy against a truth file.
    Eval(eval::EvalArgs),
    /// Find duplicates within a batch and against registry files.
    Dedup(dedup::DedupArgs),
    /// Generate a registry and a batch with known duplicates for `dedup`.
    DedupSynth(dedup_synth::DedupSynthArgs),
    /// Explain a finding code.
    Explain(explain::ExplainArgs),
    /// Check a hand-keyed workbook (XLSX or CSV) of any register.
    Check(check::CheckArgs),
    /// Rebuild an earlier run's outputs from its page results and the corrections journal.
    Emit(emit::EmitArgs),
    /// Sample-based acceptance of a delivery: draw a sample, record verdicts, estimate errors.
    Accept(accept::AcceptArgs),
    /// Write the delivery package per book (Excel + ZIP of one PDF per entry).
    Package(package::PackageArgs),
    /// Finish a book by hand: the review page (doubtful fields, keying, duplicates).
    Review(review::ReviewArgs),
    /// Internal: the process `run` reads pages in (started by sohoa itself).
    #[command(hide = true)]
    OcrWorker(ocr_worker::OcrWorkerArgs),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    Exit::Ok as i32
                }
                _ => Exit::Usage as i32,
            };
        }
    };
    let result = match cli.command {
        Command::Run(a) => run::execute(a),
        Command::Rerun(a) => rerun::execute(a),
        Command::Synth(a) => synth::execute(a),
        Command::Eval(a) => eval::execute(a),
        Command::Dedup(a) => dedup::execute(a),
        Command::DedupSynth(a) => dedup_synth::execute(a),
        Command::Explain(a) => explain::execute(a),
        Command::Check(a) => check::execute(a),
        Command::Emit(a) => emit::execute(a),
        Command::Package(a) => package::execute(a),
        Command::Review(a) => review::execute(a),
        Command::Accept(a) => accept::execute(a),
        Command::OcrWorker(a) => ocr_worker::execute(a),
    };
    match result {
        Ok(code) => code as i32,
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  because: {cause}");
            }
            // A closed pipe (`sohoa ... | head`) is not a failure.
            if e.chain()
                .filter_map(|c| c.downcast_ref::<std::io::Error>())
                .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return Exit::Ok as i32;
            }
            Exit::Fatal as i32
        }
    }
}
