//! `sohoa explain [CODE]`: what a finding code means, in Vietnamese and English, with its
//! severity; without a code, every code sohoa can raise.

use super::Exit;
use crate::schema::Schemas;
use crate::validate::messages;

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Finding code, e.g. KS-BIRTH-AFTER-REG or LOW-CONFIDENCE; all codes when left out.
    code: Option<String>,
    /// Schemas folder (default: ./schemas or the one sohoa was built with).
    #[arg(long)]
    schemas: Option<std::path::PathBuf>,
}

pub fn execute(args: ExplainArgs) -> anyhow::Result<Exit> {
    let schemas = Schemas::load(&Schemas::locate(args.schemas.as_deref()))?;
    let mut rows: Vec<(String, String, String, String)> = messages::ALL
        .iter()
        .map(|g| {
            let fill = |t: &str| {
                t.replace("{field}", "<field>")
                    .replace("{detail}", "<value>")
            };
            (
                g.code.to_string(),
                format!("{:?}", g.severity).to_lowercase(),
                fill(g.vi),
                fill(g.en),
            )
        })
        .collect();
    for g in crate::check::codes::ALL {
        let fill = |t: &str| {
            t.replace("{field}", "<field>")
                .replace("{detail}", "<value>")
        };
        rows.push((
            g.code.to_string(),
            format!("{:?} (check)", g.severity).to_lowercase(),
            fill(g.vi),
            fill(g.en),
        ));
    }
    for reg in schemas.registers.values() {
        // A provisional register's rules are sohoa's reading of the law on columns of its
        // own design: said with each of them.
        let provisional = |t: &str| match reg.provisional {
            true => format!("{t} [{} provisional]", reg.code),
            false => t.to_string(),
        };
        for r in &reg.rules {
            rows.push((
                r.code.clone(),
                format!("{:?}", r.severity).to_lowercase(),
                provisional(&r.vi),
                provisional(&r.en),
            ));
        }
    }
    for (code, doc) in crate::bookcheck::CODES {
        rows.push((code.into(), "book check".into(), String::new(), doc.into()));
    }
    for (code, severity, doc) in [
        (
            crate::dedup::step::CODE_EXISTING,
            "error",
            "The entry duplicates a record already in the registry file given with --existing; \
             it is kept out of the import files. The message names the registry row and how \
             each field agreed.",
        ),
        (
            crate::dedup::step::CODE_BATCH,
            "error",
            "The entry is a later copy of another entry of the same run (the first is kept).",
        ),
        (
            crate::dedup::step::CODE_POSSIBLE,
            "review",
            "The entry may duplicate a registry record or another entry, or matches several \
             registry records: a person decides.",
        ),
    ] {
        rows.push((code.into(), severity.into(), String::new(), doc.into()));
    }
    let wanted = args.code.as_deref().map(str::to_uppercase);
    let shown: Vec<_> = rows
        .iter()
        .filter(|r| wanted.as_deref().is_none_or(|w| r.0 == w))
        .collect();
    if shown.is_empty() {
        eprintln!(
            "No finding has the code {}. Run `sohoa explain` for the list.",
            args.code.unwrap_or_default()
        );
        return Ok(Exit::Usage);
    }
    for (code, severity, vi, en) in shown {
        println!("{code} [{severity}]");
        if !vi.is_empty() {
            println!("  vi: {vi}");
        }
        println!("  en: {en}");
    }
    Ok(Exit::Ok)
}
