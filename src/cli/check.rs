//! `sohoa check FILE [--register REG] [--sheet NAME] [--fix] [--out DIR]`: a contractor's
//! hand-keyed workbook (XLSX in the ministry's template, or CSV) checked as the pipeline checks
//! what it reads: findings per row and cell in `OUT/<name>.check.csv` and on a highlighted copy
//! `OUT/<name>.check.xlsx`; with `--fix`, `<name>.fixed.xlsx` beside the original.
//!
//! Exit codes: 0 no error and nothing to review; 3 the workbook has errors or cells to review;
//! 1 the file could not be checked (missing, not a workbook, no data sheet...); 2 bad usage.

use super::Exit;
use crate::check::{self, CheckError, CheckOptions};
use crate::page::Severity;
use crate::schema::Schemas;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The workbook: .xlsx (sheet "DL Import") or .csv.
    file: PathBuf,
    /// Register code (KS, KH, KT, CMC, HN, GH, TDCC, NCN); found from the headers when left out.
    #[arg(long)]
    register: Option<String>,
    /// Data sheet, when not named as the template names it ("DL Import").
    #[arg(long)]
    sheet: Option<String>,
    /// Write a corrected workbook beside the original (encodings, date formats, spaces,
    /// header names, numbers stored as numbers); the original is never written over.
    #[arg(long)]
    fix: bool,
    /// Folder for the findings and the highlighted copy (default: the workbook's folder).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Schemas folder (default: ./schemas or the one sohoa was built with).
    #[arg(long)]
    schemas: Option<PathBuf>,
}

pub fn execute(args: CheckArgs) -> anyhow::Result<Exit> {
    let schemas = Schemas::load(&Schemas::locate(args.schemas.as_deref()))?;
    let options = CheckOptions {
        register: args.register,
        sheet: args.sheet,
        fix: args.fix,
        out: args.out,
        ..CheckOptions::default()
    };
    let report = match check::check_file(&args.file, &schemas, &options) {
        Ok(r) => r,
        Err(e @ CheckError::UnknownRegister { .. }) => {
            eprintln!("error: {e}");
            return Ok(Exit::Usage);
        }
        Err(e) => return Err(e.into()),
    };
    let a = &report.analysis;
    println!(
        "{}: register {} {}, sheet \"{}\", {} rows checked",
        report.file.display(),
        a.register,
        a.register_name,
        report.sheet,
        a.rows
    );
    if a.provisional {
        println!(
            "  PROVISIONAL register: its columns are sohoa's own design (no public template was \
             found); the workbook may not match the ministry's"
        );
    }
    if let Some(e) = a.sheet_encoding {
        println!("  most text of the sheet was keyed in {}", e.name());
    }
    let clean = a.rows
        - a.rows_at_worst(Severity::Error)
        - a.rows_at_worst(Severity::Review)
        - a.rows_at_worst(Severity::Info);
    println!(
        "  rows: {} with errors, {} to review, {} with notes only, {} clean",
        a.rows_at_worst(Severity::Error),
        a.rows_at_worst(Severity::Review),
        a.rows_at_worst(Severity::Info),
        clean
    );
    println!(
        "  findings: {} errors, {} to review, {} notes",
        a.count(Severity::Error),
        a.count(Severity::Review),
        a.count(Severity::Info)
    );
    let mut by_code: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for f in &a.findings {
        *by_code
            .entry((f.finding.code.as_str(), f.finding.severity))
            .or_default() += 1;
    }
    for ((code, severity), n) in &by_code {
        println!(
            "    {code:<34} {:<7} {n}",
            format!("{severity:?}").to_lowercase()
        );
    }
    println!("  findings: {}", report.outputs.findings_csv.display());
    println!(
        "  highlighted copy: {}",
        report.outputs.checked_xlsx.display()
    );
    if let Some(fixed) = &report.outputs.fixed {
        let mut fixed_by: BTreeMap<&str, usize> = BTreeMap::new();
        for f in a.findings.iter().filter(|f| f.fixable) {
            *fixed_by.entry(f.finding.code.as_str()).or_default() += 1;
        }
        println!(
            "  corrected workbook: {} ({} cells, {} headers)",
            fixed.display(),
            a.fixes.len(),
            a.header_fixes.len()
        );
        for (code, n) in fixed_by {
            println!("    fixed {code:<28} {n}");
        }
    }
    Ok(if a.needs_action() {
        Exit::PagesFailed
    } else {
        Exit::Ok
    })
}
