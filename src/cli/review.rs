//! `sohoa review OUT --reviewer NAME`: finishing a book by hand. With no other mode given, starts
//! the review page, a local web server for checking doubtful fields, keying what could not be
//! read, deciding keyers' disagreements and possible duplicates (see the README, "Finishing a
//! book").
//!
//! ```text
//! sohoa review out --reviewer "Nguyễn Thị Lan"                      # http://127.0.0.1:8723/
//! sohoa review out --reviewer Minh --role keyer --double --pass 1   # blind keying, pass 1
//! sohoa review out --reviewer Hòa --role arbiter --double --listen 127.0.0.1:8800
//! sohoa review out --reviewer Tâm --role clerk                      # possible duplicates
//! sohoa review out --export-queue queue.xlsx                        # the queue for Excel
//! sohoa review out --import queue.xlsx --reviewer "Nguyễn Thị Lan"  # apply a filled one
//! ```
//! Every decision is in `OUT/journal.sqlite` before the page hears it was taken; `sohoa package`
//! and the other outputs are rebuilt from the page results and that journal (the review page
//! writes records, import files and report again whenever its requests pause, and when it
//! stops; an import does when it is applied). The page and its API: docs/review.md.

use super::config::{batch_steps, CommonArgs};
use super::Exit;
use crate::review::excel::{self, QueueFileError};
use crate::review::server::{self, Role, ServerConfig};
use crate::review::session::Session;
use crate::schema::Schemas;
use anyhow::Context;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// Output folder of an earlier `sohoa run`.
    pub out: PathBuf,
    /// Your name, recorded with every decision.
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// Address to serve the review page on (default 127.0.0.1, port 8723 or the next free one;
    /// a port alone means 127.0.0.1:PORT). Anything but a loopback address lets other machines
    /// reach the page: there is no password.
    #[arg(long, value_name = "ADDR:PORT", value_parser = parse_listen)]
    pub listen: Option<SocketAddr>,
    /// Blind double keying: keyers key each field in pass 1 and pass 2 without seeing each
    /// other's values; disagreements go to an arbiter.
    #[arg(long)]
    pub double: bool,
    /// What you do: reviewer (doubtful fields and entries), keyer (fields nothing was read for),
    /// arbiter (keyers' disagreements), clerk (possible duplicates).
    #[arg(long, value_enum, default_value_t = Role::Reviewer)]
    pub role: Role,
    /// Keying pass with --double (1 or 2); chosen in the page when not given.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub pass: Option<u8>,
    /// Write the review queue to this file (.xlsx or .csv) for keying in Excel, and stop.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["import", "listen", "double", "pass"])]
    pub export_queue: Option<PathBuf>,
    /// Apply a filled queue file (.xlsx or .csv): all of its rows, or none if one is wrong.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["listen", "double", "pass"])]
    pub import: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `ADDR:PORT`, or a port alone on loopback.
fn parse_listen(s: &str) -> Result<SocketAddr, String> {
    if let Ok(port) = s.trim().parse::<u16>() {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    s.trim()
        .parse()
        .map_err(|_| format!("\"{s}\" is not ADDRESS:PORT (e.g. 127.0.0.1:8723) or a port"))
}

pub fn execute(args: ReviewArgs) -> anyhow::Result<Exit> {
    if let Some(file) = &args.export_queue {
        return export(&args, file);
    }
    if let Some(file) = &args.import {
        return import(&args, file);
    }
    serve(args)
}

fn reviewer(args: &ReviewArgs) -> anyhow::Result<String> {
    Ok(args
        .reviewer
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .context("say who reviews: --reviewer NAME (recorded with every decision)")?
        .to_string())
}

fn open_session(args: &ReviewArgs) -> anyhow::Result<Session> {
    let schemas = Schemas::load(&Schemas::locate(args.common.schemas.as_deref()))?;
    let steps = batch_steps(&args.common, &args.out)?;
    Session::open(&args.out, schemas, steps)
        .with_context(|| format!("{}: cannot open the run for review", args.out.display()))
}

/// `--export-queue FILE`: the queue as a workbook (or CSV) to fill in.
fn export(args: &ReviewArgs, file: &std::path::Path) -> anyhow::Result<Exit> {
    let session = open_session(args)?;
    let rows = excel::queue_rows(&session);
    excel::write_queue(file, &rows)?;
    if !args.common.quiet {
        let fields = rows.iter().filter(|r| !r.field.is_empty()).count();
        println!(
            "{}: {fields} fields and {} whole entries to check; fill in `checked_value` and apply \
             it with --import",
            file.display(),
            rows.len() - fields
        );
    }
    Ok(Exit::Ok)
}

/// `--import FILE`: a filled queue, applied all or none; the outputs are written again.
fn import(args: &ReviewArgs, file: &std::path::Path) -> anyhow::Result<Exit> {
    let who = reviewer(args)?;
    let mut session = open_session(args)?;
    let summary = match excel::import_queue(&mut session, file, &who) {
        Ok(s) => s,
        // The file, not sohoa, is at fault: said in the clerk's words, with its own exit code.
        Err(e @ (QueueFileError::Row { .. } | QueueFileError::MissingColumn { .. })) => {
            eprintln!("error: {e}");
            return Ok(Exit::Usage);
        }
        Err(e) => return Err(e.into()),
    };
    let written = match crate::outdir::OutLock::acquire(&args.out, "sohoa review --import") {
        Ok(_lock) => session.write_outputs().map(|_| true)?,
        Err(e) => {
            eprintln!(
                "warning: the decisions are recorded, but the outputs were not written again \
                 ({e}); `sohoa package` and the next review will"
            );
            false
        }
    };
    if args.common.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else if !args.common.quiet {
        println!(
            "{}: {} rows; {} confirmed, {} corrected, {} illegible, {} whole entries, {} left \
             empty",
            file.display(),
            summary.rows,
            summary.confirmed,
            summary.corrected,
            summary.illegible,
            summary.entries,
            summary.left_alone
        );
        let c = session.counts();
        println!(
            "Left: {} fields to review, {} to key, {} entries to check{}",
            c.fields_to_review,
            c.fields_to_key,
            c.entries_to_check,
            if written {
                "; records, import files and report written again"
            } else {
                ""
            }
        );
    }
    Ok(Exit::Ok)
}

/// The review page (the default mode).
fn serve(args: ReviewArgs) -> anyhow::Result<Exit> {
    let reviewer = reviewer(&args)?;
    if args.pass.is_some() && !(args.double && args.role == Role::Keyer) {
        anyhow::bail!("--pass is for keyers in double keying: add --role keyer --double");
    }
    let session = open_session(&args)?;
    let config = ServerConfig {
        double: args.double,
        pass: args.pass,
        listen: args.listen,
        ..ServerConfig::new(reviewer, args.role)
    };
    let quiet = args.common.quiet;
    server::serve(session, config, move |addr| {
        let url = server::page_url(addr);
        println!("Review page: {url}");
        if !quiet {
            if !addr.ip().is_loopback() {
                println!("  listening on {addr}: other machines can reach this page (no password)");
            }
            println!("  Ctrl-C stops the server; every decision is already saved.");
        }
        let _ = std::io::stdout().flush();
    })?;
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_alone_listens_on_loopback() {
        assert_eq!(
            parse_listen("8800").unwrap(),
            "127.0.0.1:8800".parse().unwrap()
        );
        assert_eq!(
            parse_listen("0.0.0.0:80").unwrap(),
            "0.0.0.0:80".parse().unwrap()
        );
        assert!(parse_listen("here").unwrap_err().contains("ADDRESS:PORT"));
    }
}
