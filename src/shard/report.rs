//! What one shard did, in `OUT/shards/shard-K-of-N.json`, and what the output folder as a whole
//! still lacks (for `sohoa emit`).

use super::Shard;
use crate::ingest::Scan;
use crate::page::{PageKey, PageResult};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One shard process's account of its work.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ShardReport {
    /// `K/N`.
    pub shard: String,
    /// Who ran it: process and machine.
    pub process: String,
    pub started: String,
    pub finished: String,
    /// Worker threads (one OCR engine each).
    pub jobs: usize,
    pub books: Vec<ShardBook>,
    pub pages: ShardPages,
    /// Pages this process read with OCR, `book:page`.
    pub pages_read: Vec<String>,
    /// Pages this process re-extracted from their stored words.
    pub pages_reextracted: Vec<String>,
    pub seconds: f64,
    /// CPU seconds of this process and its OCR workers, and per page read: the figure to size a
    /// cluster by.
    pub cpu_seconds: f64,
    pub cpu_seconds_per_page_read: Option<f64>,
    /// Peak resident memory of this process and of its largest OCR worker, in MB.
    pub peak_memory_mb: f64,
    pub peak_worker_memory_mb: f64,
}

/// The shard's share of pages.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ShardPages {
    pub total: usize,
    pub read: usize,
    pub reextracted: usize,
    pub reused: usize,
    pub failed: usize,
    /// Results not written because the book's lock was lost meanwhile (another process took
    /// the book over); that process writes them.
    pub not_written: usize,
}

/// One book of the shard and what became of its lock.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardBook {
    pub id: String,
    pub pages: usize,
    /// "taken", "taken over from ..." or "held by ... (not read by this shard)", or why the
    /// book cannot be processed.
    pub lock: String,
    pub done: bool,
}

impl ShardReport {
    pub fn path(out: &Path, shard: Shard) -> PathBuf {
        out.join(super::SHARDS_DIR)
            .join(format!("{}.json", shard.label()))
    }

    pub fn save(&self, out: &Path, shard: Shard) -> std::io::Result<PathBuf> {
        let path = Self::path(out, shard);
        let bytes = serde_json::to_vec_pretty(self).expect("a shard report serialises");
        crate::store::write_atomic(&path, &bytes)?;
        Ok(path)
    }

    /// Fills in the pages from the shard's results; `processed` are the pages this process
    /// worked on (`true`: re-extracted from stored words), `not_written` those it could not
    /// save.
    pub fn count_pages(
        &mut self,
        results: &[PageResult],
        processed: &BTreeMap<PageKey, bool>,
        not_written: &BTreeSet<PageKey>,
    ) {
        self.pages.total = results.len();
        for r in results {
            let key = &r.source.key;
            match processed.get(key) {
                Some(true) => {
                    self.pages.reextracted += 1;
                    self.pages_reextracted.push(key.to_string());
                }
                Some(false) => {
                    self.pages.read += 1;
                    self.pages_read.push(key.to_string());
                }
                None => self.pages.reused += 1,
            }
            if r.is_failed() {
                self.pages.failed += 1;
            }
        }
        self.pages.not_written = not_written.len();
        self.cpu_seconds_per_page_read =
            (self.pages.read > 0).then(|| self.cpu_seconds / self.pages.read as f64);
    }

    /// The summary printed at the end of a shard's run.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "Shard {}: {} book(s), {} page(s): {} read, {} re-extracted, {} already done, {} failed.\n",
            self.shard,
            self.books.len(),
            self.pages.total,
            self.pages.read,
            self.pages.reextracted,
            self.pages.reused,
            self.pages.failed
        );
        for b in self.books.iter().filter(|b| !b.done) {
            s += &format!("  book {}: {}\n", b.id, b.lock);
        }
        if self.pages.not_written > 0 {
            s += &format!(
                "  {} page result(s) not written: their book was taken over by another process\n",
                self.pages.not_written
            );
        }
        if let Some(cpu) = self.cpu_seconds_per_page_read {
            s += &format!(
                "  {:.1} s, {:.2} CPU s per page read, peak memory {:.0} MB (largest OCR worker {:.0} MB)\n",
                self.seconds, cpu, self.peak_memory_mb, self.peak_worker_memory_mb
            );
        }
        s
    }
}

/// CPU seconds (user + system) of this process and its ended children, and the peak resident
/// memory of this process and of its largest child, in MB.
pub fn resource_use() -> (f64, f64, f64) {
    fn usage(who: libc::c_int) -> libc::rusage {
        // SAFETY: getrusage fills the struct it is given.
        unsafe {
            let mut u: libc::rusage = std::mem::zeroed();
            libc::getrusage(who, &mut u);
            u
        }
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let (me, children) = (usage(libc::RUSAGE_SELF), usage(libc::RUSAGE_CHILDREN));
    let cpu =
        secs(me.ru_utime) + secs(me.ru_stime) + secs(children.ru_utime) + secs(children.ru_stime);
    (
        cpu,
        me.ru_maxrss as f64 / 1024.0,
        children.ru_maxrss as f64 / 1024.0,
    )
}

/// Books of a scan whose pages are not all stored: none at all ("missing") or some
/// ("incomplete"). Returns how many, and the lines to print: one a clerk can act on per book
/// (with its shard, and who reads it now where a shard holds its lock) for the first
/// [`MAX_LISTED`], then one that sums up the rest.
pub fn unfinished_books(scan: &Scan, results: &[PageResult], out: &Path) -> (usize, Vec<String>) {
    let mut stored: BTreeMap<&str, usize> = BTreeMap::new();
    for r in results {
        *stored.entry(r.source.key.book_id.as_str()).or_default() += 1;
    }
    let shards = shard_count(out);
    let mut lines = Vec::new();
    let mut unfinished = 0usize;
    for book in &scan.books {
        let have = stored.get(book.id.as_str()).copied().unwrap_or(0);
        if have >= book.pages.len() {
            continue;
        }
        let state = if have == 0 {
            "missing: no page result yet".to_string()
        } else {
            format!(
                "incomplete: {have} of {} page(s) have a result",
                book.pages.len()
            )
        };
        unfinished += 1;
        if unfinished > MAX_LISTED {
            continue;
        }
        let mut line = format!("book {}: {state}", book.id);
        if let Some(n) = shards {
            line += &format!(" (shard {}/{n})", super::bucket(&book.id, n));
        }
        if let Some(h) = super::lock::holder_of(out, &book.id) {
            line += &format!("; being read by {}", h.describe());
        }
        lines.push(line);
    }
    if unfinished > MAX_LISTED {
        lines.push(format!(
            "and {} more book(s); the shard reports in {} say which each shard did",
            unfinished - MAX_LISTED,
            out.join(super::SHARDS_DIR).display()
        ));
    }
    (unfinished, lines)
}

/// Books named one by one; a province's thousands are summed up after these.
const MAX_LISTED: usize = 20;

/// The N of the shard reports in OUT, when they agree on one.
fn shard_count(out: &Path) -> Option<u32> {
    let dir = std::fs::read_dir(out.join(super::SHARDS_DIR)).ok()?;
    let counts: BTreeSet<u32> = dir
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix("shard-")?.strip_suffix(".json")?;
            rest.split_once("-of-")?.1.parse().ok()
        })
        .collect();
    (counts.len() == 1).then(|| *counts.iter().next().expect("one"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Book, BookMeta};
    use crate::page::{PageOutcome, PageSource};

    fn book(id: &str, pages: u32) -> Book {
        Book {
            id: id.into(),
            dir: PathBuf::from(id),
            meta: BookMeta {
                register: "KS".into(),
                volume: "01/2020".into(),
                year: 2020,
                authority: "UBND xã An Nhơn".into(),
                extra: Default::default(),
            },
            meta_sha256: String::new(),
            pages: (1..=pages)
                .map(|page| PageSource {
                    key: PageKey {
                        book_id: id.into(),
                        page,
                    },
                    file: format!("{id}/{page}.png"),
                    file_bytes: None,
                    frame: 0,
                    sha256: String::new(),
                })
                .collect(),
        }
    }

    fn result(source: &PageSource) -> PageResult {
        PageResult {
            format: PageResult::FORMAT,
            source: source.clone(),
            ocr_settings: String::new(),
            extract_settings: String::new(),
            outcome: PageOutcome::Done { entries: vec![] },
            times: Default::default(),
            ocr: None,
        }
    }

    #[test]
    fn unfinished_books_are_named_and_a_province_of_them_summed_up() {
        let dir = tempfile::tempdir().unwrap();
        let mut books = vec![book("done", 2), book("half", 2)];
        books.extend((0..30).map(|i| book(&format!("b{i:02}"), 1)));
        let scan = Scan {
            root: dir.path().to_path_buf(),
            books,
            failed: vec![],
        };
        let results: Vec<PageResult> = scan.books[0]
            .pages
            .iter()
            .chain(&scan.books[1].pages[..1])
            .map(result)
            .collect();
        let (count, lines) = unfinished_books(&scan, &results, dir.path());
        assert_eq!(count, 31);
        assert_eq!(lines.len(), MAX_LISTED + 1);
        assert_eq!(
            lines[0],
            "book half: incomplete: 1 of 2 page(s) have a result"
        );
        assert_eq!(lines[1], "book b00: missing: no page result yet");
        assert!(
            lines[MAX_LISTED].starts_with("and 11 more book(s)"),
            "{lines:?}"
        );
        assert!(!lines.iter().any(|l| l.contains("book done")));
    }
}
