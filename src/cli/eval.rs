//! `sohoa eval OUT --truth DIR/truth.csv`: field accuracy per field and overall, entry recall,
//! and the accuracy of fields in `auto` entries.
//!
//! ```text
//! sohoa synth --out set --books 3 --pages 20 --seed 7
//! sohoa run set/scans --out out
//! sohoa eval out --truth set/truth.csv --errors 20
//! ```

use super::Exit;
use crate::eval::evaluate;
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
}

pub fn execute(args: EvalArgs) -> anyhow::Result<Exit> {
    let mut report = evaluate(&args.out, &args.truth)?;
    if args.json {
        report.mismatches.truncate(args.errors);
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.table(args.errors));
    }
    Ok(Exit::Ok)
}
