//! Helpers for running the built `sohoa` binary on temporary folders. Shared by every
//! integration test crate (`#[path = "e2e/util.rs"] mod util;`); each uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project's own `schemas/`.
pub fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

pub fn sohoa() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sohoa"));
    c.env("SOHOA_SCHEMAS", schemas_dir());
    c
}

/// Runs `sohoa` with the arguments and returns its output, failing with stderr shown when it
/// could not even start.
pub fn sohoa_output(args: &[&str]) -> Output {
    sohoa().args(args).output().expect("the sohoa binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A fresh synthetic set: `dir/scans/...` and `dir/truth.csv`.
pub fn synth(dir: &Path, books: u32, pages: u32, profile: &str, seed: u64) -> PathBuf {
    let out = sohoa_output(&[
        "synth",
        "--out",
        dir.to_str().unwrap(),
        "--books",
        &books.to_string(),
        "--pages",
        &pages.to_string(),
        "--profile",
        profile,
        "--seed",
        &seed.to_string(),
    ]);
    assert!(out.status.success(), "synth failed: {}", stderr(&out));
    dir.join("scans")
}

/// Runs `sohoa run SCANS --out OUT --quiet` plus `extra`.
pub fn run(scans: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        scans.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    sohoa_output(&args)
}

pub fn report(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("report.json")).expect("report.json exists");
    serde_json::from_str(&text).expect("report.json is JSON")
}

pub fn records(out: &Path) -> Vec<csv::StringRecord> {
    let mut rdr = csv::Reader::from_path(out.join("records/KS.csv")).expect("records file");
    rdr.records().map(|r| r.unwrap()).collect()
}

pub fn truth_rows(set: &Path) -> usize {
    csv::Reader::from_path(set.join("truth.csv"))
        .expect("truth file")
        .records()
        .count()
}

/// The first book folder of a scans folder.
pub fn first_book(scans: &Path) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(scans)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.remove(0)
}

/// Page image files of a book folder in natural order.
pub fn page_files(book: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(book)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "toml"))
        .collect();
    files.sort_by(|a, b| {
        natord::compare(
            &a.file_name().unwrap().to_string_lossy(),
            &b.file_name().unwrap().to_string_lossy(),
        )
    });
    files
}

/// The values of one column of a CSV file with a header, in row order.
pub fn column(file: &Path, name: &str) -> Vec<String> {
    let mut rdr = csv::Reader::from_path(file).expect("CSV file");
    let at = rdr
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == name)
        .expect("column present");
    rdr.records().map(|r| r.unwrap()[at].to_string()).collect()
}
