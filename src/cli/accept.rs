//! `sohoa accept OUT`: sample-based acceptance of a delivery, the Department of Justice's side.
//!
//! ```text
//! sohoa accept out --sample 60 --seed 7              # draw; writes the sheets to judge
//! sohoa accept out --verdicts filled.xlsx --reviewer "Sở Tư pháp: Hòa"
//! sohoa accept out                                   # the report again, from the journal
//! ```
//! The sample is drawn from the importable entries, stratified by book, and kept in
//! `OUT/acceptance/sample.json`; `OUT/acceptance/sheet.xlsx` lists every field of every sampled
//! entry for a verdict and `OUT/acceptance/sheets.html` shows each entry's crops. Verdicts go
//! into the corrections journal under the `acceptance` role; they check the delivery, they do
//! not change it. The report (`OUT/acceptance.json`, `OUT/acceptance.html`) gives the field and
//! entry error rates with 95% Wilson intervals and the verdict against `--limit-percent`.
//! Exit code 0 when the delivery is accepted, 3 when it is rejected or not yet decided.

use super::config::{batch_steps, CommonArgs};
use super::Exit;
use crate::accept::report::{self, AcceptanceReport};
use crate::accept::sample::{self, Sample};
use crate::accept::sheet;
use crate::accept::stats::Verdict;
use crate::journal::{ActionKind, Journal, NewAction, Target, Track};
use crate::pipeline::RunManifest;
use crate::schema::Schemas;
use anyhow::Context;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct AcceptArgs {
    /// Output folder of a run (after review and `sohoa package`).
    pub out: PathBuf,
    /// Draw a sample of this many importable entries.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub sample: Option<u32>,
    /// Seed of the random draw (the same seed draws the same entries).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Draw again although a sample was drawn (its verdicts stay in the journal).
    #[arg(long)]
    pub redraw: bool,
    /// Where to write the verdict sheet (.xlsx or .csv; default OUT/acceptance/sheet.xlsx).
    #[arg(long, value_name = "FILE")]
    pub sheet: Option<PathBuf>,
    /// A filled verdict sheet to record (with --reviewer).
    #[arg(long, value_name = "FILE", requires = "reviewer")]
    pub verdicts: Option<PathBuf>,
    /// Who judged, recorded with every verdict.
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// The most the field error rate may be, in percent.
    #[arg(long, default_value_t = 0.5, value_parser = parse_percent)]
    pub limit_percent: f64,
    #[command(flatten)]
    pub common: CommonArgs,
}

fn parse_percent(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("\"{s}\" is not a percentage (e.g. 0.5)"))?;
    if !(0.0..100.0).contains(&v) || v == 0.0 {
        return Err(format!("{v} is not between 0 and 100 percent"));
    }
    Ok(v)
}

pub fn execute(args: AcceptArgs) -> anyhow::Result<Exit> {
    let out = &args.out;
    let manifest = RunManifest::load(out)?;
    let _lock = crate::outdir::OutLock::acquire(out, "sohoa accept")?;
    let scan = crate::ingest::discover(&manifest.scans)
        .context("the scans folder of the run is gone: the crops cannot be shown")?;
    let schemas = Schemas::load(&Schemas::locate(args.common.schemas.as_deref()))?;
    let steps = batch_steps(&args.common, out)?;
    let stored = crate::package::stored_results(out, &scan)
        .with_context(|| format!("{}: cannot read the stored page results", out.display()))?;
    let results = crate::emit::rebuild::rebuild(out, &scan, &schemas, &steps, &stored)?.results;
    let registers: BTreeMap<String, String> = scan
        .books
        .iter()
        .map(|b| (b.id.clone(), b.meta.register.clone()))
        .collect();
    let register_of = |b: &str| registers.get(b).cloned();

    let mut current = Sample::load(out)?;
    if let Some(n) = args.sample {
        if let (Some(s), false) = (&current, args.redraw) {
            anyhow::bail!(
                "a sample of {} entries was already drawn (seed {}, {}); judge it with \
                 --verdicts, or add --redraw to draw another",
                s.entries.len(),
                s.seed,
                s.drawn_at
            );
        }
        let drawn = sample::draw(&results, n as usize, args.seed);
        if drawn.entries.is_empty() {
            anyhow::bail!(
                "{}: no importable entry to sample (review the books and run `sohoa emit` first)",
                out.display()
            );
        }
        drawn.save(out)?;
        let rows = sheet::sheet_rows(&drawn, &results, &schemas, &register_of);
        let sheet_path = args
            .sheet
            .clone()
            .unwrap_or_else(|| out.join(crate::accept::DIR).join("sheet.xlsx"));
        sheet::write_sheet(&sheet_path, &rows)?;
        let html = sheet::write_html(out, &scan, &results, &rows)?;
        println!(
            "Drew {} of {} importable entries (seed {}), {} fields to judge.\n  verdict sheet: {}\n  sheets with the crops: {}",
            drawn.entries.len(),
            drawn.population_total(),
            drawn.seed,
            rows.len(),
            sheet_path.display(),
            html.display()
        );
        current = Some(drawn);
    }
    let Some(sample) = current else {
        anyhow::bail!(
            "{}: no acceptance sample yet; draw one with --sample N",
            out.display()
        );
    };
    let rows = sheet::sheet_rows(&sample, &results, &schemas, &register_of);
    if let Some(file) = &args.verdicts {
        let who = args.reviewer.as_deref().map(str::trim).unwrap_or_default();
        if who.is_empty() {
            anyhow::bail!("say who judged: --reviewer NAME (recorded with every verdict)");
        }
        let recorded = record_verdicts(out, file, who, &rows)?;
        println!("Recorded {recorded} verdicts from {}", file.display());
    }
    let journal = Journal::open_if_exists(out)?;
    let actions = match &journal {
        Some(j) => j.actions()?,
        None => Vec::new(),
    };
    let rep: AcceptanceReport = report::build(&sample, &rows, &actions, args.limit_percent / 100.0);
    if rep.judged_fields == 0 {
        println!(
            "No sampled entry is judged yet: fill the verdict column of the sheet, then \
             `sohoa accept {} --verdicts FILE --reviewer NAME`.",
            out.display()
        );
        return Ok(Exit::PagesFailed);
    }
    rep.write(out)?;
    if args.common.json {
        println!("{}", serde_json::to_string_pretty(&rep)?);
    } else if !args.common.quiet {
        print!("{}", rep.summary());
        println!(
            "Report: {} and {}",
            out.join("acceptance.json").display(),
            out.join("acceptance.html").display()
        );
    }
    Ok(if rep.verdict == Verdict::Accepted {
        Exit::Ok
    } else {
        Exit::PagesFailed
    })
}

/// Records a filled sheet's verdicts, all or none.
fn record_verdicts(
    out: &Path,
    file: &Path,
    who: &str,
    rows: &[sheet::SheetRow],
) -> anyhow::Result<usize> {
    let judged = sheet::read_verdicts(file, rows)?;
    let mut journal = Journal::open(out)?;
    let mut actions = Vec::new();
    for (line, row) in judged {
        let Some(right) = row.verdict else { continue };
        let target = Target {
            book_id: row.book_id.clone(),
            page: row.page,
            entry: row.entry,
            field: row.field.clone(),
        };
        let latest = journal.latest(&target, Track::Acceptance, 0)?;
        actions.push(NewAction {
            target,
            track: Track::Acceptance,
            kind: if right {
                ActionKind::Accepted
            } else {
                ActionKind::Rejected
            },
            who: who.to_string(),
            role: "acceptance".into(),
            value_read: row.value.clone(),
            value: if right {
                row.value.clone()
            } else {
                row.correct_value.clone()
            },
            pass: 0,
            reason: String::new(),
            source: format!("accept:{}:{line}", file.display()),
            supersedes: latest.map(|a| a.id),
            ms: None,
        });
    }
    journal.record_all(&actions)?;
    Ok(actions.len())
}
