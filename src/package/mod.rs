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
//! applied again and people's decisions from the corrections journal put in
//! ([`rebuild_results`]). Only importable entries (`auto`, or `reviewed` by people) are packaged,
//! with the values people set; a book with entries still in review or rejected by a rule, or with
//! pages not read, is reported incomplete and left out unless partial packages are allowed (an
//! entry a person rejected with a reason is settled and left out). The delivery is built aside
//! and swapped in whole.

pub mod manifest;
pub mod naming;
pub mod pdf;
pub mod schema;
pub mod zip;

use crate::emit::report::BatchNote;
use crate::emit::BatchStep;
use crate::ingest::{Book, Scan};
use crate::page::{Entry, PageKey, PageResult};
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
    #[error("{path}: holds files sohoa did not write ({examples}); sohoa replaces this folder whole at each packaging, so move them elsewhere first (nothing was changed)")]
    Foreign { path: PathBuf, examples: String },
    #[error("{path}: cannot put the new delivery in place: {source}")]
    Swap {
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
    let results = stored_results(out, scan)?;
    let rebuilt =
        crate::emit::rebuild::rebuild(out, scan, schemas, steps, &results).map_err(|e| {
            PackageError::Write {
                path: e.path.clone(),
                source: std::io::Error::other(e.message),
            }
        })?;
    Ok((rebuilt.results, rebuilt.notes))
}

/// The stored page results of every book of the scan, as the run left them, without their
/// OCR words (only re-extraction reads those, and a province's words do not fit in memory: a
/// page's words are most of its result). A page whose result is missing, damaged or made from
/// another image is left out.
pub fn stored_results(out: &Path, scan: &Scan) -> Result<Vec<PageResult>, StoreError> {
    let store = PageStore::open(out)?;
    let mut results = Vec::new();
    for book in &scan.books {
        for source in &book.pages {
            match store.load(&source.key) {
                Ok(Some(mut r)) if r.source == *source => {
                    if let Some(ocr) = r.ocr.as_mut() {
                        ocr.lines = Vec::new();
                    }
                    results.push(r);
                }
                Ok(_) | Err(StoreError::Corrupt { .. }) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(results)
}

/// Where a book's delivery files go.
pub fn book_dir(out: &Path, book_id: &str) -> PathBuf {
    out.join("delivery").join(book_id)
}

/// Writes `OUT/delivery/` from page results that went through the batch steps.
///
/// The new delivery is built beside the old one (`OUT/.delivery-new-<pid>/`) and swapped in
/// whole at the end, so that a packaging killed at any moment leaves the last complete delivery
/// in place, never a manifest that does not describe the files beside it. A file whose bytes did
/// not change is carried over as it is (same file, same time stamp).
pub fn package(
    out: &Path,
    scan: &Scan,
    schemas: &Schemas,
    results: &[PageResult],
    notes: Vec<BatchNote>,
    options: &PackageOptions,
) -> Result<PackageReport, PackageError> {
    let delivery = out.join("delivery");
    refuse_foreign_files(&delivery)?;
    remove_leftovers(out)?;
    let staging = out.join(format!("{STAGING_PREFIX}{}", std::process::id()));
    std::fs::create_dir_all(&staging).map_err(|source| PackageError::Write {
        path: staging.clone(),
        source,
    })?;
    let by_key: BTreeMap<&PageKey, &PageResult> =
        results.iter().map(|r| (&r.source.key, r)).collect();
    let mut books = Vec::new();
    let mut rows = Vec::new();
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
                let place = Place {
                    staging: &staging,
                    old: &delivery,
                };
                let (outcome, book_rows) = write_book(&place, book, *plan, scan, options)?;
                rows.extend(book_rows);
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
    let manifest = staging.join("manifest.csv");
    let bytes = manifest::manifest_bytes(&rows).map_err(|e| PackageError::Write {
        path: manifest.clone(),
        source: std::io::Error::other(e),
    })?;
    carry_or_write(&delivery.join("manifest.csv"), &manifest, &bytes)?;
    swap_in(&staging, &delivery)?;
    Ok(PackageReport {
        delivery,
        books,
        notes,
    })
}

/// Folders a packaging builds in (`.delivery-new-<pid>`) and moves the old delivery aside to
/// (`.delivery-old-<pid>`) where the system cannot swap two folders at once.
const STAGING_PREFIX: &str = ".delivery-new-";
const RETIRED_PREFIX: &str = ".delivery-old-";

/// Where a book's new files go, and where the last delivery's are.
struct Place<'a> {
    staging: &'a Path,
    old: &'a Path,
}

/// The files of `OUT/delivery` the last packaging wrote, relative to it: its manifest and the
/// book files it lists (rows without an entry; the others are PDFs inside a ZIP).
fn delivered_files(delivery: &Path) -> BTreeSet<PathBuf> {
    let mut files = BTreeSet::new();
    let manifest = delivery.join("manifest.csv");
    let Ok(mut reader) = csv::Reader::from_path(&manifest) else {
        return files;
    };
    files.insert(PathBuf::from("manifest.csv"));
    let headers = reader.headers().cloned().unwrap_or_default();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(file), Some(entry)) = (column("file"), column("entry")) else {
        return files;
    };
    for row in reader.records().map_while(Result::ok) {
        if row.get(entry).is_some_and(str::is_empty) {
            if let Some(f) = row.get(file) {
                files.insert(PathBuf::from(f));
            }
        }
    }
    files
}

/// Stops before anything is written when `OUT/delivery` holds a file the last packaging did not
/// write (a note, a signed copy): the folder is replaced whole.
fn refuse_foreign_files(delivery: &Path) -> Result<(), PackageError> {
    if !delivery.exists() {
        return Ok(());
    }
    let ours = delivered_files(delivery);
    let mut foreign: Vec<String> = Vec::new();
    for e in walkdir::WalkDir::new(delivery)
        .min_depth(1)
        .sort_by_file_name()
    {
        let e = e.map_err(|e| PackageError::Clear {
            path: delivery.to_path_buf(),
            source: e.into(),
        })?;
        let rel = e.path().strip_prefix(delivery).unwrap_or(e.path());
        let known = if e.file_type().is_dir() {
            ours.iter().any(|f| f.starts_with(rel))
        } else {
            ours.contains(rel)
        };
        if !known {
            foreign.push(rel.display().to_string());
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    let more = foreign.len().saturating_sub(5);
    let mut examples = foreign.into_iter().take(5).collect::<Vec<_>>().join(", ");
    if more > 0 {
        examples += &format!(" and {more} more");
    }
    Err(PackageError::Foreign {
        path: delivery.to_path_buf(),
        examples,
    })
}

/// Removes what an interrupted packaging left at the top of OUT (its own folders only).
fn remove_leftovers(out: &Path) -> Result<(), PackageError> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(());
    };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(STAGING_PREFIX) || name.starts_with(RETIRED_PREFIX) {
            remove_path(&e.path())?;
        }
    }
    Ok(())
}

/// Puts the new delivery in place of the old in one step (`renameat2` with `RENAME_EXCHANGE`),
/// then removes the old. Where the file system cannot swap, the old is moved aside first: a kill
/// between the two moves leaves no `delivery/` (never a mixed one), and the next packaging
/// clears what is left aside.
fn swap_in(staging: &Path, delivery: &Path) -> Result<(), PackageError> {
    let swap_err = |source| PackageError::Swap {
        path: delivery.to_path_buf(),
        source,
    };
    if !delivery.exists() {
        return std::fs::rename(staging, delivery).map_err(swap_err);
    }
    if exchange(staging, delivery).is_ok() {
        return remove_path(staging);
    }
    let parent = delivery.parent().unwrap_or(Path::new("."));
    let retired = parent.join(format!("{RETIRED_PREFIX}{}", std::process::id()));
    std::fs::rename(delivery, &retired).map_err(swap_err)?;
    std::fs::rename(staging, delivery).map_err(swap_err)?;
    remove_path(&retired)
}

/// Swaps two paths atomically (Linux 3.15+).
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both strings are NUL-terminated and outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
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
            if entry.status.importable() {
                entries.push((*result, entry));
            } else if crate::review::resolve::is_settled(entry) {
                // Rejected by a person with a reason: settled, and not delivered.
                continue;
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
    place: &Place,
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

    let xlsx_name = format!("{}.xlsx", plan.stem);
    let zip_name = format!("{}.zip", plan.stem);
    if let Some(long) = [&xlsx_name, &zip_name]
        .into_iter()
        .find(|n| n.len() > MAX_FILE_NAME_BYTES)
    {
        return fail(format!(
            "the file name \"{long}\" is {} bytes long, more than file systems allow ({}); \
             check the book.toml keys the names are made of (schemas/delivery/{}.toml)",
            long.len(),
            MAX_FILE_NAME_BYTES,
            plan.register.code
        ));
    }
    let mut rewritten = 0;
    for (name, bytes) in [(&xlsx_name, &xlsx), (&zip_name, &zip)] {
        let new = place.staging.join(&book.id).join(name);
        match carry_or_write(&place.old.join(&book.id).join(name), &new, bytes) {
            Ok(true) => rewritten += 1,
            Ok(false) => {}
            // A file this book cannot have (a name the file system refuses) fails the book.
            Err(PackageError::Write { path, source }) if source.raw_os_error().is_some() => {
                return fail(format!("cannot write {}: {source}", path.display()))
            }
            Err(e) => return Err(e),
        }
    }

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
    if !plan.left_out.is_empty() {
        for row in &mut manifest {
            row.book_state = "partial".into();
            row.left_out = plan.left_out.len();
        }
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

/// The longest file name (in bytes) Linux file systems take.
const MAX_FILE_NAME_BYTES: usize = 255;

/// Puts `bytes` at `new`: as a link to `old` when that file already holds exactly these bytes
/// (nothing rewritten, its time stamp kept), else written afresh. Says whether it wrote.
fn carry_or_write(old: &Path, new: &Path, bytes: &[u8]) -> Result<bool, PackageError> {
    let write_err = |source| PackageError::Write {
        path: new.to_path_buf(),
        source,
    };
    if let Some(parent) = new.parent() {
        std::fs::create_dir_all(parent).map_err(write_err)?;
    }
    if std::fs::read(old).is_ok_and(|o| o == bytes) && std::fs::hard_link(old, new).is_ok() {
        return Ok(false);
    }
    write_atomic(new, bytes).map_err(write_err)?;
    Ok(true)
}

fn clear_err(path: &Path) -> impl Fn(std::io::Error) -> PackageError + '_ {
    move |source| PackageError::Clear {
        path: path.to_path_buf(),
        source,
    }
}

/// Removes a file or a whole folder.
fn remove_path(path: &Path) -> Result<(), PackageError> {
    if path.is_dir() {
        std::fs::remove_dir_all(path).map_err(clear_err(path))
    } else {
        std::fs::remove_file(path).map_err(clear_err(path))
    }
}
