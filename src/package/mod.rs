//! The ministry's delivery package per book (Công văn 1437/BTP-CNTT; domain reference 1.1): for
//! each register book, one Excel file with one row per entry and one ZIP holding one PDF per
//! entry (the scan of that entry), named by the patterns of `schemas/delivery/<REG>.toml`.
//!
//! ```text
//! OUT/delivery/manifest.csv
//! OUT/delivery/<book_id>/<name>.xlsx    same sheet, headers and cells as OUT/import/
//! OUT/delivery/<book_id>/<name>.zip     <entry name>.pdf per Excel row, in row order
//! ```
//! Everything is rebuilt from the stored page results with the run's batch steps (book checks)
//! applied again ([`rebuild_results`]). Only importable (`auto`) entries are packaged; a book with
//! entries in review or rejected, or with pages not read, is reported incomplete and left out
//! unless partial packages are allowed. Files are written atomically and only when their bytes
//! change; files and books no longer delivered are removed.

pub mod manifest;
pub mod naming;
pub mod pdf;
pub mod schema;
pub mod zip;

use crate::emit::report::BatchNote;
use crate::emit::BatchStep;
use crate::ingest::{Book, Scan};
use crate::page::{Entry, EntryStatus, PageKey, PageResult};
use crate::schema::Schemas;
use crate::store::{write_atomic, PageStore, StoreError};
use manifest::ManifestRow;
use naming::{NameContext, Pattern};
use pdf::{EncodedPage, PdfParams};
use rayon::prelude::*;
use schema::DeliverySchema;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Errors that stop packaging altogether (a book's own problem is reported for that book).
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: cannot clear stale delivery files: {source}")]
    Clear {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// How to package.
#[derive(Debug, Clone, Default)]
pub struct PackageOptions {
    /// Package the ready entries of books that still have entries in review or rejected.
    pub allow_partial: bool,
    pub pdf: PdfParams,
}

/// An entry left out of a package, or a page that keeps a book from being complete.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pending {
    pub page: u32,
    /// Entry index on the page; `None` for a page without a usable result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    /// Registration number as read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub so: Option<String>,
    /// `review`, `rejected`, `failed` (page), `missing` (page never processed) or `changed`
    /// (page image changed since its result).
    pub status: String,
    /// Finding codes, or why the page has no result.
    pub reasons: Vec<String>,
}

/// What became of one book.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum BookOutcome {
    /// Written; `left_out` lists what was not ready (only with partial packages allowed).
    Packaged {
        xlsx: String,
        zip: String,
        entries: usize,
        /// Distinct pages in the PDFs and the bytes of their compressed images.
        pages: usize,
        page_image_bytes: u64,
        /// Files whose bytes changed in this packaging (0 when nothing changed).
        rewritten: usize,
        left_out: Vec<Pending>,
    },
    /// Not packaged: these entries or pages are not ready.
    Incomplete { pending: Vec<Pending> },
    /// Not packaged: the book cannot be named or read (names the file and key).
    Failed { reason: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct BookPackage {
    pub book_id: String,
    #[serde(flatten)]
    pub outcome: BookOutcome,
}

/// What packaging did, for the summary and `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct PackageReport {
    pub delivery: PathBuf,
    pub books: Vec<BookPackage>,
    /// The batch steps' notes (e.g. a page that seems missing).
    pub notes: Vec<BatchNote>,
}

impl PackageReport {
    /// Every book was packaged whole.
    pub fn complete(&self) -> bool {
        self.books.iter().all(
            |b| matches!(&b.outcome, BookOutcome::Packaged { left_out, .. } if left_out.is_empty()),
        )
    }

    /// Some book could not be packaged at all, or was left out as incomplete.
    pub fn any_book_not_packaged(&self) -> bool {
        self.books
            .iter()
            .any(|b| !matches!(b.outcome, BookOutcome::Packaged { .. }))
    }

    /// Lines for a person.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        for b in &self.books {
            match &b.outcome {
                BookOutcome::Packaged {
                    xlsx,
                    zip,
                    entries,
                    pages,
                    page_image_bytes,
                    left_out,
                    ..
                } => {
                    s += &format!(
                        "{}: packaged {entries} entr{} ({pages} page(s), {} kB per page) -> {xlsx}, {zip}\n",
                        b.book_id,
                        if *entries == 1 { "y" } else { "ies" },
                        page_image_bytes / (*pages as u64).max(1) / 1000
                    );
                    if !left_out.is_empty() {
                        s += &format!("  left out (not ready): {}\n", pending_list(left_out));
                    }
                }
                BookOutcome::Incomplete { pending } => {
                    s += &format!(
                        "{}: INCOMPLETE, not packaged ({} not ready: {}); --allow-partial packages the ready entries\n",
                        b.book_id,
                        pending.len(),
                        pending_list(pending)
                    );
                }
                BookOutcome::Failed { reason } => {
                    s += &format!("{}: NOT PACKAGED: {reason}\n", b.book_id);
                }
            }
        }
        for n in &self.notes {
            s += &format!("note: {}\n", n.message_en);
        }
        s
    }
}

fn pending_list(p: &[Pending]) -> String {
    p.iter()
        .map(|p| {
            let at = match p.index {
                Some(i) => format!("page {} entry {i}", p.page),
                None => format!("page {}", p.page),
            };
            let so =
                p.so.as_ref()
                    .map(|s| format!(" so {s}"))
                    .unwrap_or_default();
            let why = if p.reasons.is_empty() {
                String::new()
            } else {
                format!(" [{}]", p.reasons.join(", "))
            };
            format!("{at}{so} {}{why}", p.status)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Page results of every book of the scan, loaded from the store and put through the batch
/// steps the run applies. A page whose result is missing, damaged or made from another image
/// is left out (packaging reports it).
pub fn rebuild_results(
    out: &Path,
    scan: &Scan,
    schemas: &Schemas,
    steps: &[Box<dyn BatchStep>],
) -> Result<(Vec<PageResult>, Vec<BatchNote>), PackageError> {
    let store = PageStore::open(out)?;
    let mut results = Vec::new();
    for book in &scan.books {
        for source in &book.pages {
            match store.load(&source.key) {
                Ok(Some(r)) if r.source == *source => results.push(r),
                Ok(_) | Err(StoreError::Corrupt { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    let notes = crate::emit::apply_steps(&mut results, scan, schemas, steps);
    Ok((results, notes))
}

/// Where a book's delivery files go.
pub fn book_dir(out: &Path, book_id: &str) -> PathBuf {
    out.join("delivery").join(book_id)
}

/// Writes `OUT/delivery/` from page results that went through the batch steps.
pub fn package(
    out: &Path,
    scan: &Scan,
    schemas: &Schemas,
    results: &[PageResult],
    notes: Vec<BatchNote>,
    options: &PackageOptions,
) -> Result<PackageReport, PackageError> {
    let delivery = out.join("delivery");
    let by_key: BTreeMap<&PageKey, &PageResult> =
        results.iter().map(|r| (&r.source.key, r)).collect();
    let mut books = Vec::new();
    let mut rows = Vec::new();
    let mut delivered: BTreeSet<String> = BTreeSet::new();
    for (id, error) in &scan.failed {
        books.push(BookPackage {
            book_id: id.clone(),
            outcome: BookOutcome::Failed {
                reason: error.to_string(),
            },
        });
    }
    for book in &scan.books {
        let outcome = match plan_book(book, &by_key, schemas, options) {
            Ok(Plan::Ready(plan)) => {
                let (outcome, book_rows) = write_book(out, book, *plan, scan, options)?;
                rows.extend(book_rows);
                delivered.insert(book.id.clone());
                outcome
            }
            Ok(Plan::NotReady(pending)) => BookOutcome::Incomplete { pending },
            Err(reason) => BookOutcome::Failed { reason },
        };
        books.push(BookPackage {
            book_id: book.id.clone(),
            outcome,
        });
    }
    books.sort_by(|a, b| natord::compare(&a.book_id, &b.book_id));
    remove_stale_books(&delivery, &delivered)?;
    let manifest = delivery.join("manifest.csv");
    let bytes = manifest::manifest_bytes(&rows).map_err(|e| PackageError::Write {
        path: manifest.clone(),
        source: std::io::Error::other(e),
    })?;
    write_if_changed(&manifest, &bytes)?;
    Ok(PackageReport {
        delivery,
        books,
        notes,
    })
}

/// What a ready book will hold.
struct BookPlan<'a> {
    register: &'a crate::schema::RegisterSchema,
    codes: &'a crate::schema::CodeTables,
    delivery: DeliverySchema,
    stem: String,
    /// Importable entries in Excel row order with their page.
    entries: Vec<(&'a PageResult, &'a Entry)>,
    left_out: Vec<Pending>,
}

enum Plan<'a> {
    Ready(Box<BookPlan<'a>>),
    NotReady(Vec<Pending>),
}

fn plan_book<'a>(
    book: &'a Book,
    by_key: &BTreeMap<&PageKey, &'a PageResult>,
    schemas: &'a Schemas,
    options: &PackageOptions,
) -> Result<Plan<'a>, String> {
    let register = schemas.register(&book.meta.register).ok_or_else(|| {
        format!(
            "book.toml says register = \"{}\", which has no schema",
            book.meta.register
        )
    })?;
    let delivery = DeliverySchema::load(&schemas.dir, &register.code).map_err(|e| e.to_string())?;
    let mut pending = Vec::new();
    let mut entries = Vec::new();
    for source in &book.pages {
        let Some(result) = by_key.get(&source.key) else {
            pending.push(Pending {
                page: source.key.page,
                index: None,
                so: None,
                status: "missing".into(),
                reasons: vec![format!(
                    "{}: no result for this image; run again",
                    source.file
                )],
            });
            continue;
        };
        if let crate::page::PageOutcome::Failed { stage, reason } = &result.outcome {
            pending.push(Pending {
                page: source.key.page,
                index: None,
                so: None,
                status: "failed".into(),
                reasons: vec![format!("{}: {}: {reason}", source.file, stage.as_str())],
            });
            continue;
        }
        for entry in result.entries() {
            if entry.status == EntryStatus::Auto {
                entries.push((*result, entry));
            } else {
                pending.push(Pending {
                    page: source.key.page,
                    index: Some(entry.index),
                    so: entry.value("so").map(str::to_string),
                    status: entry.status.as_str().into(),
                    reasons: entry.findings.iter().map(|f| f.short()).collect(),
                });
            }
        }
    }
    let book_toml = book.dir.join("book.toml");
    let stem = Pattern::parse(&delivery.names.book)
        .and_then(|p| {
            p.render(&NameContext {
                register,
                book: &book.meta,
                book_toml: book_toml.clone(),
                entry: None,
            })
            .map_err(|e| e.to_string())
        })
        .map_err(|e| format!("cannot name the book's files: {e}"))?;
    if (!pending.is_empty() && !options.allow_partial) || entries.is_empty() {
        if pending.is_empty() {
            return Err("no entry was found in the book: nothing to package".into());
        }
        return Ok(Plan::NotReady(pending));
    }
    Ok(Plan::Ready(Box::new(BookPlan {
        register,
        codes: &schemas.codes,
        delivery,
        stem,
        entries,
        left_out: pending,
    })))
}

/// Entry PDF names in row order; a name met twice gets `_2`, `_3`... before its extension.
fn entry_names(book: &Book, plan: &BookPlan, book_toml: &Path) -> Result<Vec<String>, String> {
    let pattern = Pattern::parse(&plan.delivery.names.entry)?;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut names = Vec::new();
    for (page, entry) in &plan.entries {
        let name = pattern
            .render(&NameContext {
                register: plan.register,
                book: &book.meta,
                book_toml: book_toml.to_path_buf(),
                entry: Some(entry),
            })
            .map_err(|e| {
                format!(
                    "cannot name the PDF of page {} entry {} ({}): {e}",
                    page.source.key.page, entry.index, page.source.file
                )
            })?;
        let n = seen.entry(name.clone()).or_insert(0);
        *n += 1;
        names.push(if *n == 1 {
            name
        } else {
            match name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}_{n}.{ext}"),
                None => format!("{name}_{n}"),
            }
        });
    }
    Ok(names)
}

fn write_book(
    out: &Path,
    book: &Book,
    plan: BookPlan,
    scan: &Scan,
    options: &PackageOptions,
) -> Result<(BookOutcome, Vec<ManifestRow>), PackageError> {
    let fail = |reason: String| Ok((BookOutcome::Failed { reason }, Vec::new()));
    let book_toml = book.dir.join("book.toml");
    let names = match entry_names(book, &plan, &book_toml) {
        Ok(n) => n,
        Err(reason) => return fail(reason),
    };
    let rows: Vec<Vec<String>> = plan
        .entries
        .iter()
        .enumerate()
        .map(|(i, (_, e))| crate::emit::import::template_row(plan.register, e, i + 1))
        .collect();
    let xlsx = match crate::emit::import::workbook_bytes(plan.register, plan.codes, &rows) {
        Ok(b) => b,
        Err(e) => return fail(format!("cannot build the Excel file: {e}")),
    };
    // Each page image is decoded and compressed once, however many entries stand on it.
    let sources: BTreeMap<&PageKey, &crate::page::PageSource> = plan
        .entries
        .iter()
        .map(|(p, _)| (&p.source.key, &p.source))
        .collect();
    let encoded: Vec<(&PageKey, Result<EncodedPage, String>)> = sources
        .par_iter()
        .map(|(key, source)| {
            let page = crate::ingest::load_page_rgb(&scan.root, source)
                .map_err(|e| e.to_string())
                .and_then(|img| pdf::encode_page(&img, &options.pdf).map_err(|e| e.to_string()));
            (*key, page)
        })
        .collect();
    let mut pages: BTreeMap<&PageKey, EncodedPage> = BTreeMap::new();
    for (key, page) in encoded {
        match page {
            Ok(p) => {
                pages.insert(key, p);
            }
            Err(e) => return fail(format!("page {}: {e}", key.page)),
        }
    }
    let mut members = Vec::new();
    for ((page, _), name) in plan.entries.iter().zip(&names) {
        let pdf = match pdf::entry_pdf(&[&pages[&page.source.key]]) {
            Ok(b) => b,
            Err(e) => return fail(format!("page {}: {e}", page.source.key.page)),
        };
        members.push((name.clone(), pdf));
    }
    let zip = match zip::zip_bytes(&members) {
        Ok(b) => b,
        Err(e) => return fail(format!("cannot build the ZIP: {e}")),
    };

    let dir = book_dir(out, &book.id);
    let xlsx_name = format!("{}.xlsx", plan.stem);
    let zip_name = format!("{}.zip", plan.stem);
    let mut rewritten = 0;
    for (name, bytes) in [(&xlsx_name, &xlsx), (&zip_name, &zip)] {
        if write_if_changed(&dir.join(name), bytes)? {
            rewritten += 1;
        }
    }
    remove_stale_files(&dir, &[xlsx_name.as_str(), zip_name.as_str()])?;

    let mut manifest = vec![
        ManifestRow::new(
            format!("{}/{xlsx_name}", book.id),
            &book.id,
            String::new(),
            &xlsx,
        ),
        ManifestRow::new(
            format!("{}/{zip_name}", book.id),
            &book.id,
            String::new(),
            &zip,
        ),
    ];
    for ((page, entry), (name, pdf)) in plan.entries.iter().zip(&members) {
        manifest.push(ManifestRow::new(
            format!("{}/{zip_name}/{name}", book.id),
            &book.id,
            format!("{}:{}", page.source.key.page, entry.index),
            pdf,
        ));
    }
    Ok((
        BookOutcome::Packaged {
            xlsx: xlsx_name,
            zip: zip_name,
            entries: plan.entries.len(),
            pages: pages.len(),
            page_image_bytes: pages.values().map(|p| p.jpeg.len() as u64).sum(),
            rewritten,
            left_out: plan.left_out,
        },
        manifest,
    ))
}

/// Writes atomically unless the file already holds these bytes; says whether it wrote.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, PackageError> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    write_atomic(path, bytes).map_err(|source| PackageError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(true)
}

fn clear_err(path: &Path) -> impl Fn(std::io::Error) -> PackageError + '_ {
    move |source| PackageError::Clear {
        path: path.to_path_buf(),
        source,
    }
}

/// Removes every file of a book folder but `keep`.
fn remove_stale_files(dir: &Path, keep: &[&str]) -> Result<(), PackageError> {
    for e in std::fs::read_dir(dir).map_err(clear_err(dir))? {
        let e = e.map_err(clear_err(dir))?;
        let path = e.path();
        if keep.iter().any(|k| e.file_name() == *k) {
            continue;
        }
        remove_path(&path)?;
    }
    Ok(())
}

/// Removes a file or a whole folder.
fn remove_path(path: &Path) -> Result<(), PackageError> {
    if path.is_dir() {
        std::fs::remove_dir_all(path).map_err(clear_err(path))
    } else {
        std::fs::remove_file(path).map_err(clear_err(path))
    }
}

/// Removes book folders (and stray files) of `OUT/delivery` that are not delivered now.
fn remove_stale_books(delivery: &Path, delivered: &BTreeSet<String>) -> Result<(), PackageError> {
    let Ok(entries) = std::fs::read_dir(delivery) else {
        return Ok(());
    };
    for e in entries {
        let e = e.map_err(clear_err(delivery))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if name == "manifest.csv" || (path.is_dir() && delivered.contains(&name)) {
            continue;
        }
        remove_path(&path)?;
    }
    Ok(())
}
