//! `sohoa eval OUT --truth DIR/truth.csv`: field accuracy per field and overall, entry recall,
//! and the accuracy of fields in `auto` entries.
//!
//! ```text
//! sohoa synth --out set --books 3 --pages 20 --seed 7
//! sohoa run set/scans --out out
//! sohoa eval out --truth set/truth.csv --errors 20
//! ```

use super::Exit;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Output folder of a run.
    pub out: PathBuf,
    /// Truth file written by `sohoa synth` (or by hand, same columns).
    #[arg(long)]
    pub truth: PathBuf,
    /// Print this many wrong fields.
    #[arg(long, default_value_t = 0)]
    pub errors: usize,
    /// Print the scores as JSON.
    #[arg(long)]
    pub json: bool,
    /// The truth covers only a sample of the entries: entries without truth are not counted.
    #[arg(long)]
    pub sample: bool,
    /// Fill this exported review queue from the truth (as a reviewer who knows the right
    /// values would) and write it to --filled: for measuring the review round trip.
    #[arg(long, value_name = "QUEUE", requires = "filled")]
    pub fill_queue: Option<PathBuf>,
    /// Where to write the filled queue.
    #[arg(long, value_name = "FILE")]
    pub filled: Option<PathBuf>,
}

pub fn execute(args: EvalArgs) -> anyhow::Result<Exit> {
    if let (Some(queue), Some(filled)) = (&args.fill_queue, &args.filled) {
        let truth = crate::eval::truth_of_entries(&args.out, &args.truth)?;
        let mut rows: Vec<_> = crate::review::excel::read_queue(queue)?
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        let filled_rows = crate::review::excel::fill_from_truth(&mut rows, &truth);
        crate::review::excel::write_queue(filled, &rows)?;
        eprintln!(
            "filled {filled_rows} of {} rows from the truth -> {}",
            rows.len(),
            filled.display()
        );
        return Ok(Exit::Ok);
    }
    let options = crate::eval::EvalOptions {
        sample: args.sample,
    };
    let mut report = crate::eval::evaluate_with(&args.out, &args.truth, options)?;
    if args.json {
        report.mismatches.truncate(args.errors);
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.table(args.errors));
    }
    Ok(Exit::Ok)
}
