//! The checks across a book on constructed page results (no OCR): a clean book, a removed page,
//! a misread number, a date out of order, two books of one year.

use sohoa::bookcheck::BookChecks;
use sohoa::emit::report::BatchNote;
use sohoa::emit::BatchStep;
use sohoa::ingest::{Book, BookMeta, Scan};
use sohoa::page::{
    Entry, EntryStatus, PageKey, PageOutcome, PageResult, PageSource, Stage, StageTimes,
};
use sohoa::schema::Schemas;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn schemas() -> Schemas {
    Schemas::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas")).unwrap()
}

fn book(id: &str, volume: &str, pages: u32) -> Book {
    Book {
        id: id.into(),
        dir: PathBuf::from(id),
        meta: BookMeta {
            register: "KS".into(),
            volume: volume.into(),
            year: 2008,
            authority: "UBND xã An Nhơn".into(),
            extra: BTreeMap::new(),
        },
        meta_sha256: "x".into(),
        pages: (1..=pages).map(|p| source(id, p)).collect(),
    }
}

fn source(book: &str, page: u32) -> PageSource {
    PageSource {
        key: PageKey {
            book_id: book.into(),
            page,
        },
        file: format!("{book}/p{page}.png"),
        frame: 0,
        file_bytes: None,
        sha256: "s".into(),
    }
}

fn entry(index: u32, so: i64, date: &str, printed_page: u32) -> Entry {
    Entry::from_values(
        index,
        [
            ("so", so.to_string()),
            ("ngayDangKy", date.to_string()),
            ("trangSo", printed_page.to_string()),
        ],
    )
}

fn page(book: &str, page: u32, entries: Vec<Entry>) -> PageResult {
    PageResult {
        format: PageResult::FORMAT,
        source: source(book, page),
        ocr_settings: "o".into(),
        extract_settings: "e".into(),
        outcome: PageOutcome::Done { entries },
        times: StageTimes::default(),
        ocr: None,
    }
}

/// A book of `pages` pages with three entries each, numbered from `first`, one day apart from
/// 2 January, printed pages from 1.
fn clean_book(id: &str, pages: u32, first: i64) -> Vec<PageResult> {
    (1..=pages)
        .map(|p| {
            let entries = (1..=3)
                .map(|i| {
                    let n = first + ((p - 1) * 3 + (i - 1)) as i64;
                    let day = 2 + (n % 25);
                    let month = 1 + (n / 25);
                    entry(i, n, &format!("{day:02}.{month:02}.2008"), p)
                })
                .collect();
            page(id, p, entries)
        })
        .collect()
}

fn apply(results: &mut [PageResult], books: Vec<Book>) -> Vec<BatchNote> {
    let scan = Scan {
        root: PathBuf::from("scans"),
        books,
        failed: vec![],
    };
    BookChecks.apply(results, &scan, &schemas()).unwrap()
}

/// `(page, entry index, code)` of every finding.
fn findings(results: &[PageResult]) -> Vec<(u32, u32, String)> {
    results
        .iter()
        .flat_map(|r| {
            r.entries().iter().flat_map(move |e| {
                e.findings
                    .iter()
                    .map(move |f| (r.source.key.page, e.index, f.code.clone()))
            })
        })
        .collect()
}

fn status(results: &[PageResult], page: u32, index: u32) -> EntryStatus {
    results[(page - 1) as usize].entries()[(index - 1) as usize].status
}

#[test]
fn clean_book_yields_nothing() {
    let mut results = clean_book("b", 4, 1);
    let notes = apply(&mut results, vec![book("b", "01/2008", 4)]);
    assert!(findings(&results).is_empty(), "{:?}", findings(&results));
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn removed_page_is_a_gap_at_the_page_boundary_naming_the_page() {
    // Page 2 (numbers 4-6, printed page 2) was never scanned: the files renumber.
    let mut results = clean_book("b", 4, 1);
    results.remove(1);
    for (i, r) in results.iter_mut().enumerate() {
        r.source = source("b", i as u32 + 1);
    }
    let notes = apply(&mut results, vec![book("b", "01/2008", 3)]);
    let f = findings(&results);
    assert!(
        f.contains(&(2, 1, "BOOK-NUMBER-GAP".into())),
        "gap on the first entry after the hole: {f:?}"
    );
    assert!(f.contains(&(2, 1, "BOOK-PAGE-MISSING".into())), "{f:?}");
    assert!(
        f.iter()
            .all(|(_, _, c)| c == "BOOK-NUMBER-GAP" || c == "BOOK-PAGE-MISSING"),
        "{f:?}"
    );
    // Missing numbers are no reason to doubt the entries that are there.
    assert_eq!(status(&results, 2, 1), EntryStatus::Auto);
    let text: Vec<&str> = notes.iter().map(|n| n.message_en.as_str()).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("4–6")
                && t.contains("between page 1 (b/p1.png) and page 2 (b/p2.png)")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("printed page 2 seems missing")),
        "{text:?}"
    );
}

#[test]
fn unreadable_page_is_named_as_holding_the_missing_numbers() {
    let mut results = clean_book("b", 3, 1);
    results[1].outcome = PageOutcome::Failed {
        stage: Stage::Ocr,
        reason: "timeout".into(),
    };
    let notes = apply(&mut results, vec![book("b", "01/2008", 3)]);
    assert!(findings(&results).contains(&(3, 1, "BOOK-NUMBER-GAP".into())));
    assert!(
        notes.iter().any(|n| n
            .message_en
            .contains("numbers 4–6 are probably on page 2 (b/p2.png, failed)")),
        "{notes:?}"
    );
}

#[test]
fn misread_number_goes_to_review_and_is_not_a_gap() {
    let mut results = clean_book("b", 3, 1);
    // Entry 5 (page 2, second entry) read as 8.
    results[1].outcome = PageOutcome::Done {
        entries: {
            let mut e = results[1].entries().to_vec();
            e[1].fields.get_mut("so").unwrap().value = "8".into();
            e
        },
    };
    let notes = apply(&mut results, vec![book("b", "01/2008", 3)]);
    assert_eq!(
        findings(&results),
        vec![(2, 2, "BOOK-NUMBER-MISREAD".to_string())]
    );
    assert_eq!(status(&results, 2, 2), EntryStatus::Review);
    let f = &results[1].entries()[1].findings[0];
    assert!(f.message_en.contains("calls for 5"), "{}", f.message_en);
    assert!(!f.message_vi.is_empty());
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn date_out_of_order_is_found_on_the_right_entry() {
    let mut results = clean_book("b", 2, 1);
    // Entry 3 (page 1, third) dated before entry 2.
    results[0].outcome = PageOutcome::Done {
        entries: {
            let mut e = results[0].entries().to_vec();
            e[2].fields.get_mut("ngayDangKy").unwrap().value = "01.01.2008".into();
            e
        },
    };
    apply(&mut results, vec![book("b", "01/2008", 2)]);
    assert_eq!(
        findings(&results),
        vec![(1, 3, "BOOK-DATE-ORDER".to_string())]
    );
    assert_eq!(status(&results, 1, 3), EntryStatus::Review);
}

#[test]
fn date_outside_the_books_year_is_found() {
    let mut results = clean_book("b", 1, 1);
    results[0].outcome = PageOutcome::Done {
        entries: {
            let mut e = results[0].entries().to_vec();
            e[2].fields.get_mut("ngayDangKy").unwrap().value = "30.12.2009".into();
            e
        },
    };
    apply(&mut results, vec![book("b", "01/2008", 1)]);
    assert_eq!(
        findings(&results),
        vec![(1, 3, "BOOK-DATE-YEAR".to_string())]
    );
}

#[test]
fn two_books_of_one_year_are_one_sequence_in_volume_order() {
    // Volume 2 continues volume 1 (numbers 7-12); the ids sort the other way round.
    let mut results = clean_book("a-second", 2, 7);
    results.extend(clean_book("z-first", 2, 1));
    let books = vec![
        book("a-second", "02/2008", 2),
        book("z-first", "01/2008", 2),
    ];
    let notes = apply(&mut results, books.clone());
    assert!(findings(&results).is_empty(), "{:?}", findings(&results));
    assert!(notes.is_empty(), "{notes:?}");

    // Volume 2 restarting at 1 breaks the year's numbering at its first entry.
    let mut results = clean_book("a-second", 2, 1);
    results.extend(clean_book("z-first", 2, 1));
    apply(&mut results, books.clone());
    // (Its dates restart too in this constructed book, so the date goes back as well.)
    let f = findings(&results);
    assert!(
        f.contains(&(1, 1, "BOOK-NUMBER-ORDER".to_string())),
        "{f:?}"
    );
    assert!(f.iter().all(|(p, i, _)| (*p, *i) == (1, 1)), "{f:?}");
    assert_eq!(results[0].source.key.book_id, "a-second");

    // A hole between the volumes is named as such.
    let mut results = clean_book("a-second", 2, 10);
    results.extend(clean_book("z-first", 2, 1));
    let notes = apply(&mut results, books);
    assert_eq!(
        findings(&results),
        vec![(1, 1, "BOOK-NUMBER-GAP".to_string())]
    );
    assert!(
        notes.iter().any(|n| n
            .message_en
            .contains("end of book z-first and the start of book a-second")),
        "{notes:?}"
    );
}

#[test]
fn books_of_other_years_or_authorities_are_separate_sequences() {
    let mut results = clean_book("a", 1, 1);
    results.extend(clean_book("b", 1, 1));
    let a = book("a", "01/2008", 1);
    let mut b = book("b", "01/2008", 1);
    b.meta.authority = "UBND xã Khác".into();
    let notes = apply(&mut results, vec![a, b]);
    assert!(findings(&results).is_empty(), "{:?}", findings(&results));
    assert!(notes.is_empty());
}

#[test]
fn repeated_number_sends_both_entries_to_review() {
    let mut results = clean_book("b", 1, 1);
    results[0].outcome = PageOutcome::Done {
        entries: {
            let mut e = results[0].entries().to_vec();
            e.push(entry(4, 3, "06.01.2008", 1));
            e.push(entry(5, 4, "07.01.2008", 1));
            e
        },
    };
    apply(&mut results, vec![book("b", "01/2008", 1)]);
    assert_eq!(
        findings(&results),
        vec![
            (1, 3, "BOOK-NUMBER-REPEAT".to_string()),
            (1, 4, "BOOK-NUMBER-REPEAT".to_string())
        ]
    );
}
