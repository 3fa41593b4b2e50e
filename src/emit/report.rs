//! `OUT/report.json` and the summary printed at the end of a run: counts a reviewer can trust,
//! failed pages and books with their reasons, throughput.

use crate::page::{EntryStatus, PageOutcome, PageResult};
use crate::pipeline::BatchStats;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StatusCounts {
    pub total: usize,
    pub auto: usize,
    pub review: usize,
    pub rejected: usize,
    /// Settled by people (corrections journal): importable.
    #[serde(default)]
    pub reviewed: usize,
}

impl StatusCounts {
    pub fn add(&mut self, s: EntryStatus) {
        self.total += 1;
        match s {
            EntryStatus::Auto => self.auto += 1,
            EntryStatus::Review => self.review += 1,
            EntryStatus::Rejected => self.rejected += 1,
            EntryStatus::Reviewed => self.reviewed += 1,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FailedPage {
    pub book_id: String,
    pub page: u32,
    pub file: String,
    pub stage: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FailedBook {
    pub book_id: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BookSummary {
    pub pages: usize,
    pub failed_pages: usize,
    pub entries: StatusCounts,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PageCounts {
    /// Pages found in the scans folder (books that could be read).
    pub total: usize,
    pub processed: usize,
    pub failed: usize,
    /// Pages run through OCR in this run.
    pub ocr_this_run: usize,
    /// Pages re-extracted from stored words in this run.
    pub reextracted_this_run: usize,
    /// Pages whose earlier result was kept.
    pub reused: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Throughput {
    /// Wall-clock seconds spent on pages in this run.
    pub seconds: f64,
    pub pages_per_second: f64,
    /// Mean milliseconds per stage over the pages OCR'd in this run.
    pub mean_stage_ms: BTreeMap<String, f64>,
    pub jobs: usize,
}

/// The run report.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Report {
    pub sohoa_version: String,
    pub scans: String,
    pub ocr_model: String,
    pub pages: PageCounts,
    pub books: usize,
    pub failed_books: Vec<FailedBook>,
    pub entries: StatusCounts,
    pub by_book: BTreeMap<String, BookSummary>,
    pub failed_pages: Vec<FailedPage>,
    /// Pages read without error on which no entry was found (covers, blank pages, or a
    /// layout sohoa did not recognise): worth a look.
    pub pages_without_entries: Vec<String>,
    /// Pages scanned sideways or upside down, read after turning them: `book:page` and the
    /// degrees turned clockwise. Worth rescanning before delivery.
    #[serde(default)]
    pub turned_pages: Vec<(String, u16)>,
    /// How often each finding code occurs.
    pub findings: BTreeMap<String, usize>,
    pub throughput: Throughput,
    /// Stored results that were damaged and redone.
    pub warnings: Vec<String>,
    /// What the batch-wide steps (book checks, dedup) said about books and the batch.
    pub notes: Vec<BatchNote>,
    /// Page images that decoded with damage (a JPEG cut short): their entries are in review.
    #[serde(default)]
    pub damaged_images: Vec<DamagedImage>,
    /// People's work from the corrections journal: conflicts to decide again, keying figures.
    #[serde(default, skip_deserializing)]
    pub people: crate::review::resolve::PersonLayer,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DamagedImage {
    pub book_id: String,
    pub page: u32,
    pub file: String,
    pub warning: String,
}

/// A batch-wide step's remark for the report (e.g. "page 7 of book X seems missing").
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BatchNote {
    pub step: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub book_id: Option<String>,
    pub message_vi: String,
    pub message_en: String,
}

impl Report {
    pub fn build(
        results: &[PageResult],
        failed_books: Vec<FailedBook>,
        books: usize,
        stats: &BatchStats,
        jobs: usize,
    ) -> Report {
        let mut r = Report {
            sohoa_version: env!("CARGO_PKG_VERSION").into(),
            books,
            failed_books,
            warnings: stats.corrupt_results.clone(),
            ..Report::default()
        };
        r.pages.total = results.len();
        r.pages.ocr_this_run = stats.ocr_pages;
        r.pages.reextracted_this_run = stats.reextracted_pages;
        r.pages.reused = stats.reused_pages;
        let mut stage_sum: BTreeMap<String, f64> = BTreeMap::new();
        let mut timed = 0usize;
        for p in results {
            let book = r.by_book.entry(p.source.key.book_id.clone()).or_default();
            book.pages += 1;
            match &p.outcome {
                PageOutcome::Failed { stage, reason } => {
                    r.pages.failed += 1;
                    book.failed_pages += 1;
                    r.failed_pages.push(FailedPage {
                        book_id: p.source.key.book_id.clone(),
                        page: p.source.key.page,
                        file: p.source.file.clone(),
                        stage: stage.as_str().into(),
                        reason: reason.clone(),
                    });
                }
                PageOutcome::Done { entries } => {
                    r.pages.processed += 1;
                    for warning in p.ocr.iter().flat_map(|o| &o.image_warnings) {
                        r.damaged_images.push(DamagedImage {
                            book_id: p.source.key.book_id.clone(),
                            page: p.source.key.page,
                            file: p.source.file.clone(),
                            warning: warning.clone(),
                        });
                    }
                    if entries.is_empty() {
                        r.pages_without_entries.push(p.source.key.to_string());
                    }
                    let turned = p.ocr.as_ref().map_or(0, |o| o.turned_degrees);
                    if turned != 0 {
                        r.turned_pages.push((p.source.key.to_string(), turned));
                    }
                    for e in entries {
                        r.entries.add(e.status);
                        book.entries.add(e.status);
                        for f in &e.findings {
                            *r.findings.entry(f.code.clone()).or_default() += 1;
                        }
                    }
                }
            }
            if p.times.ocr_ms > 0 {
                timed += 1;
                for (stage, ms) in [
                    ("decode", p.times.decode_ms),
                    ("preprocess", p.times.preprocess_ms),
                    ("ocr", p.times.ocr_ms),
                    ("extract", p.times.extract_ms),
                ] {
                    *stage_sum.entry(stage.into()).or_default() += ms as f64;
                }
            }
        }
        let worked = stats.ocr_pages + stats.reextracted_pages;
        r.throughput = Throughput {
            seconds: stats.seconds,
            pages_per_second: if stats.seconds > 0.0 {
                worked as f64 / stats.seconds
            } else {
                0.0
            },
            mean_stage_ms: stage_sum
                .into_iter()
                .map(|(k, v)| (k, if timed > 0 { v / timed as f64 } else { 0.0 }))
                .collect(),
            jobs,
        };
        r
    }

    /// The readable summary printed at the end of a run.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Books: {} ({} could not be read)",
            self.books + self.failed_books.len(),
            self.failed_books.len()
        );
        let _ = writeln!(
            s,
            "Pages: {} total, {} processed, {} failed ({} read now, {} re-extracted, {} kept from an earlier run)",
            self.pages.total,
            self.pages.processed,
            self.pages.failed,
            self.pages.ocr_this_run,
            self.pages.reextracted_this_run,
            self.pages.reused
        );
        let _ = writeln!(
            s,
            "Entries: {} total: {} auto, {} review, {} rejected",
            self.entries.total, self.entries.auto, self.entries.review, self.entries.rejected
        );
        if self.throughput.seconds > 0.0 {
            let _ = writeln!(
                s,
                "Throughput: {:.2} pages/s ({:.1} s, {} workers)",
                self.throughput.pages_per_second, self.throughput.seconds, self.throughput.jobs
            );
        }
        for b in &self.failed_books {
            let _ = writeln!(s, "  book {} not processed: {}", b.book_id, b.reason);
        }
        for p in &self.failed_pages {
            let _ = writeln!(
                s,
                "  page {}:{} ({}) failed at {}: {}",
                p.book_id, p.page, p.file, p.stage, p.reason
            );
        }
        if !self.turned_pages.is_empty() {
            let pages: Vec<String> = self
                .turned_pages
                .iter()
                .map(|(page, degrees)| format!("{page} ({degrees} degrees)"))
                .collect();
            let _ = writeln!(
                s,
                "  scanned turned, read after turning: {}",
                pages.join(", ")
            );
        }
        if !self.pages_without_entries.is_empty() {
            let _ = writeln!(
                s,
                "  no entry found on: {}",
                self.pages_without_entries.join(", ")
            );
        }
        for w in &self.warnings {
            let _ = writeln!(s, "  warning: {w}");
        }
        for n in &self.notes {
            let book = n
                .book_id
                .as_deref()
                .map(|b| format!(" [{b}]"))
                .unwrap_or_default();
            let _ = writeln!(s, "  {}{book}: {}", n.step, n.message_en);
        }
        s
    }
}
