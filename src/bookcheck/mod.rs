//! Checks across a book: what the whole book tells about its entries that no single entry shows.
//!
//! Registers are kept by rule (domain reference 6.4): within a year the registration number rises
//! by one from 1, a later volume of the same year and authority continues the earlier one,
//! registration dates do not go back as numbers rise and belong to the book's year, pages follow
//! each other. [`BookChecks`] is a [`BatchStep`]: every run applies it after extraction, on a copy
//! of the page results, and `sohoa package` applies it again before packaging.
//!
//! A number that breaks the sequence while its neighbours agree is a misread and its entry goes
//! to review; a run of missing numbers is a gap, and where it falls at a page boundary the report
//! names the page that is probably missing or unreadable. Parameters (which fields, the first
//! number, which `book.toml` keys make one sequence) are data in `schemas/delivery/<REG>.toml`.

pub mod dates;
pub mod numbers;
pub mod spelling;

use crate::emit::report::BatchNote;
use crate::emit::BatchStep;
use crate::ingest::{Book, Scan};
use crate::package::naming::{leading_number, parse_template_date};
use crate::package::schema::{BookCheckParams, DeliverySchema};
use crate::page::{Finding, PageResult, Severity};
use crate::schema::Schemas;
use numbers::NumberIssue;
use std::collections::BTreeMap;

/// Finding codes of the book checks, with what each means (for `sohoa explain`).
pub const CODES: [(&str, &str); 8] = [
    (
        "BOOK-NUMBER-MISREAD",
        "The registration number breaks the book's sequence while the entries before and after \
         it agree with each other: the number was probably misread. The entry goes to review; \
         the message gives the number its place in the book calls for.",
    ),
    (
        "BOOK-NUMBER-GAP",
        "Registration numbers are missing before this entry. The entry itself is not in doubt \
         (info); the report says whether a page seems missing or unreadable.",
    ),
    (
        "BOOK-NUMBER-REPEAT",
        "Two neighbouring entries carry the same registration number; one of them is probably \
         misread. Both go to review.",
    ),
    (
        "BOOK-NUMBER-ORDER",
        "The registration number goes back, or rises less than the entries in between need. \
         The entry goes to review.",
    ),
    (
        "BOOK-DATE-ORDER",
        "The registration date goes back while the numbers rise: the date (or the number) was \
         probably misread. The entry goes to review.",
    ),
    (
        "BOOK-DATE-YEAR",
        "The registration date is not in the year of the book (book.toml `year`). The entry \
         goes to review.",
    ),
    (
        "BOOK-SPELLING",
        "A name that repeats through the book (the official who signs, the title, the clerk) is \
         spelled here differently, in its marks only, from the spelling most entries agree on: \
         the entry takes the book's spelling and goes to review; the message gives both.",
    ),
    (
        "BOOK-PAGE-MISSING",
        "The printed page numbers jump or go back between two scanned pages: a page seems \
         missing, or the pages are out of order (info).",
    ),
];

/// What `sohoa explain CODE` prints for a book-check code.
pub fn explain(code: &str) -> Option<&'static str> {
    CODES.iter().find(|(c, _)| *c == code).map(|(_, doc)| *doc)
}

const STEP: &str = "book-checks";

/// The book checks as a batch step.
#[derive(Debug, Clone, Default)]
pub struct BookChecks;

impl BatchStep for BookChecks {
    fn name(&self) -> &str {
        STEP
    }

    fn apply(
        &self,
        results: &mut [PageResult],
        scan: &Scan,
        schemas: &Schemas,
    ) -> Result<Vec<BatchNote>, String> {
        let mut notes = Vec::new();
        let mut params_of: BTreeMap<String, BookCheckParams> = BTreeMap::new();
        for book in &scan.books {
            let reg = &book.meta.register;
            if params_of.contains_key(reg) {
                continue;
            }
            match DeliverySchema::book_checks_of(&schemas.dir, reg) {
                Ok(p) => {
                    params_of.insert(reg.clone(), p);
                }
                Err(message) => notes.push(note(
                    None,
                    format!("Không kiểm tra được các sổ {reg}: {message}"),
                    format!("The {reg} books cannot be checked: {message}"),
                )),
            }
        }
        for group in sequences(scan, &params_of) {
            let params = &params_of[&group[0].meta.register];
            notes.extend(check_sequence(results, &group, params));
        }
        Ok(notes)
    }
}

/// Books that share one numbering sequence, each group in volume order.
fn sequences<'a>(
    scan: &'a Scan,
    params_of: &BTreeMap<String, BookCheckParams>,
) -> Vec<Vec<&'a Book>> {
    let mut groups: BTreeMap<Vec<String>, Vec<&Book>> = BTreeMap::new();
    for book in &scan.books {
        let Some(params) = params_of.get(&book.meta.register) else {
            continue;
        };
        let mut key = vec![book.meta.register.clone()];
        key.extend(params.sequence_keys.iter().map(|k| {
            crate::text::squash_spaces(&crate::text::fold(&book.meta.get(k).unwrap_or_default()))
        }));
        groups.entry(key).or_default().push(book);
    }
    groups
        .into_values()
        .map(|mut books| {
            books.sort_by(|a, b| {
                leading_number(&a.meta.volume)
                    .cmp(&leading_number(&b.meta.volume))
                    .then_with(|| natord::compare(&a.meta.volume, &b.meta.volume))
                    .then_with(|| natord::compare(&a.id, &b.id))
            });
            books
        })
        .collect()
}

/// One entry of a sequence: where it is in the results and in the book.
#[derive(Debug, Clone, Copy)]
struct Slot<'a> {
    result: usize,
    entry: usize,
    book: &'a Book,
    page: u32,
    index: u32,
}

fn note(book_id: Option<&str>, vi: String, en: String) -> BatchNote {
    BatchNote {
        step: STEP.into(),
        book_id: book_id.map(str::to_string),
        message_vi: vi,
        message_en: en,
    }
}

fn finding(code: &str, severity: Severity, field: &str, vi: String, en: String) -> Finding {
    Finding {
        code: code.into(),
        severity,
        field: Some(field.into()),
        message_vi: vi,
        message_en: en,
    }
}

/// `5`, `5–7`.
fn range(from: i64, to: i64) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from}–{to}")
    }
}

fn check_sequence(
    results: &mut [PageResult],
    books: &[&Book],
    params: &BookCheckParams,
) -> Vec<BatchNote> {
    let mut notes = Vec::new();
    // Page results of each book, by page.
    let mut pages_of: BTreeMap<&str, BTreeMap<u32, usize>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        pages_of
            .entry(r.source.key.book_id.as_str())
            .or_default()
            .insert(r.source.key.page, i);
    }
    let pages_of: BTreeMap<String, BTreeMap<u32, usize>> = pages_of
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let mut slots: Vec<Slot> = Vec::new();
    for book in books {
        let Some(pages) = pages_of.get(&book.id) else {
            continue;
        };
        for (&page, &r) in pages {
            for (e, entry) in results[r].entries().iter().enumerate() {
                slots.push(Slot {
                    result: r,
                    entry: e,
                    book,
                    page,
                    index: entry.index,
                });
            }
        }
        notes.extend(check_pages(results, book, pages, params));
    }
    if slots.is_empty() {
        return notes;
    }
    let value = |results: &[PageResult], s: &Slot, key: &str| -> Option<String> {
        results[s.result].entries()[s.entry]
            .value(key)
            .map(str::to_string)
    };
    let numbers: Vec<Option<i64>> = slots
        .iter()
        .map(|s| value(results, s, &params.number_field).and_then(|v| leading_number(&v)))
        .collect();
    // Only a sequence that begins with the year's first volume is known to start at 1.
    let start = (leading_number(&books[0].meta.volume) == Some(1)).then_some(params.first_number);
    for (pos, issue) in numbers::analyse(&numbers, start) {
        let slot = slots[pos];
        let (f, n) = number_finding(&issue, &slots, params);
        if let Some(n) = n.and_then(|n| gap_note(results, &slots, pos, &issue, &pages_of, n)) {
            notes.push(n);
        }
        entry_mut(results, &slot).add_finding(f);
    }

    let dates: Vec<Option<crate::normalize::PartialDate>> = slots
        .iter()
        .map(|s| value(results, s, &params.date_field).and_then(|v| parse_template_date(&v)))
        .collect();
    for (pos, issue) in dates::analyse(&dates) {
        let (vi, en) = match issue.next {
            Some(next) => (
                format!(
                    "Ngày đăng ký {} không nằm giữa ngày của mục trước ({}) và mục sau ({}): có thể đọc sai",
                    issue.date, issue.previous, next
                ),
                format!(
                    "Registration date {} does not lie between those of the entries before ({}) and after ({}): probably misread",
                    issue.date, issue.previous, next
                ),
            ),
            None => (
                format!(
                    "Ngày đăng ký {} sớm hơn ngày của mục trước ({}) dù số đăng ký tăng",
                    issue.date, issue.previous
                ),
                format!(
                    "Registration date {} is earlier than the previous entry's ({}) although the number rises",
                    issue.date, issue.previous
                ),
            ),
        };
        entry_mut(results, &slots[pos]).add_finding(finding(
            "BOOK-DATE-ORDER",
            Severity::Review,
            &params.date_field,
            vi,
            en,
        ));
    }
    for book in books {
        let in_book: Vec<Slot> = slots
            .iter()
            .filter(|s| s.book.id == book.id)
            .copied()
            .collect();
        for field in &params.repeated_names {
            respell(results, &in_book, field, params.min_agreeing);
        }
    }
    for (pos, date) in dates.iter().enumerate() {
        let slot = slots[pos];
        let year = slot.book.meta.year;
        if let Some(d) = date.filter(|d| d.year != year) {
            entry_mut(results, &slot).add_finding(finding(
                "BOOK-DATE-YEAR",
                Severity::Review,
                &params.date_field,
                format!("Ngày đăng ký {d} không thuộc năm của sổ ({year})"),
                format!("Registration date {d} is not in the book's year ({year})"),
            ));
        }
    }
    notes
}

/// Outvoted spellings of a repeated name take the book's, with a review finding.
fn respell(results: &mut [PageResult], slots: &[Slot], field: &str, min_agreeing: usize) {
    let values: Vec<Option<String>> = slots
        .iter()
        .map(|s| {
            results[s.result].entries()[s.entry]
                .value(field)
                .map(str::to_string)
        })
        .collect();
    let values: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
    for fix in spelling::analyse(&values, min_agreeing) {
        let entry = entry_mut(results, &slots[fix.pos]);
        let Some(value) = entry.fields.get_mut(field) else {
            continue;
        };
        let read = std::mem::replace(&mut value.value, fix.spelling.clone());
        let (to, n) = (&fix.spelling, fix.agreeing);
        entry.add_finding(finding(
            "BOOK-SPELLING",
            Severity::Review,
            field,
            format!("Đọc được \"{read}\", còn {n} mục khác của sổ ghi \"{to}\": lấy theo sổ"),
            format!("Read as \"{read}\" while {n} other entries of the book spell \"{to}\": the book's spelling is taken"),
        ));
    }
}

fn entry_mut<'a>(results: &'a mut [PageResult], slot: &Slot) -> &'a mut crate::page::Entry {
    match &mut results[slot.result].outcome {
        crate::page::PageOutcome::Done { entries } => &mut entries[slot.entry],
        crate::page::PageOutcome::Failed { .. } => unreachable!("slots come from done pages"),
    }
}

/// `page 3 entry 2` of a slot, in both languages.
fn place(slot: &Slot) -> (String, String) {
    (
        format!("trang {} mục {}", slot.page, slot.index),
        format!("page {} entry {}", slot.page, slot.index),
    )
}

/// The finding for a number issue, and for a gap the missing range (first, last, count).
fn number_finding(
    issue: &NumberIssue,
    slots: &[Slot],
    params: &BookCheckParams,
) -> (Finding, Option<(i64, i64, i64)>) {
    let field = &params.number_field;
    match issue {
        NumberIssue::Misread { read, expected } => (
            finding(
                "BOOK-NUMBER-MISREAD",
                Severity::Review,
                field,
                format!(
                    "Số đăng ký {read} không khớp thứ tự trong khi các mục liền kề khớp nhau: có thể đọc sai (đúng ra là {expected})"
                ),
                format!(
                    "Registration number {read} breaks the sequence while its neighbours agree: probably misread (its place calls for {expected})"
                ),
            ),
            None,
        ),
        NumberIssue::Repeat { number, other } => {
            let (vi, en) = place(&slots[*other]);
            (
                finding(
                    "BOOK-NUMBER-REPEAT",
                    Severity::Review,
                    field,
                    format!("Số đăng ký {number} trùng với {vi}"),
                    format!("Registration number {number} repeats that of {en}"),
                ),
                None,
            )
        }
        NumberIssue::Order { number, previous } => (
            finding(
                "BOOK-NUMBER-ORDER",
                Severity::Review,
                field,
                format!("Số đăng ký {number} không theo thứ tự (sau số {previous})"),
                format!("Registration number {number} is out of order (after {previous})"),
            ),
            None,
        ),
        NumberIssue::Gap {
            after,
            number,
            count,
            ..
        } => {
            let missing = range(after + 1, number - 1);
            (
                finding(
                    "BOOK-NUMBER-GAP",
                    Severity::Info,
                    field,
                    format!("Thiếu {count} số đăng ký ({missing}) trước mục này"),
                    format!("{count} registration number(s) ({missing}) are missing before this entry"),
                ),
                Some((after + 1, number - 1, *count)),
            )
        }
    }
}

fn file_of(results: &[PageResult], pages: &BTreeMap<u32, usize>, page: u32) -> String {
    pages
        .get(&page)
        .map(|&r| results[r].source.file.clone())
        .unwrap_or_default()
}

/// The report's note on a gap: which page seems missing or unreadable.
fn gap_note(
    results: &[PageResult],
    slots: &[Slot],
    pos: usize,
    issue: &NumberIssue,
    pages_of: &BTreeMap<String, BTreeMap<u32, usize>>,
    (first, last, count): (i64, i64, i64),
) -> Option<BatchNote> {
    let NumberIssue::Gap { after_pos, .. } = issue else {
        return None;
    };
    let b = slots[pos];
    let pages = pages_of.get(&b.book.id)?;
    let missing = range(first, last);
    let id = Some(b.book.id.as_str());
    let (vi, en) = match after_pos.map(|a| slots[a]) {
        None => (
            format!(
                "Sổ {}: thiếu {count} số đăng ký đầu năm ({missing}) trước trang {} ({}): có thể thiếu (các) trang đầu",
                b.book.id, b.page, file_of(results, pages, b.page)
            ),
            format!(
                "Book {}: the year's first {count} number(s) ({missing}) are missing before page {} ({}): the first page(s) seem missing",
                b.book.id, b.page, file_of(results, pages, b.page)
            ),
        ),
        Some(a) if a.book.id != b.book.id => (
            format!(
                "Thiếu {count} số đăng ký ({missing}) giữa cuối sổ {} và đầu sổ {}: có thể thiếu trang cuối hoặc trang đầu",
                a.book.id, b.book.id
            ),
            format!(
                "{count} registration number(s) ({missing}) are missing between the end of book {} and the start of book {}: a last or first page seems missing",
                a.book.id, b.book.id
            ),
        ),
        Some(a) if a.page == b.page => (
            format!(
                "Sổ {}: thiếu số đăng ký {missing} giữa các mục của trang {} ({}): có thể một mục chưa được nhận ra",
                b.book.id, b.page, file_of(results, pages, b.page)
            ),
            format!(
                "Book {}: number(s) {missing} are missing between entries of page {} ({}): an entry may not have been recognised",
                b.book.id, b.page, file_of(results, pages, b.page)
            ),
        ),
        Some(a) => {
            let between: Vec<u32> = pages.range(a.page + 1..b.page).map(|(p, _)| *p).collect();
            if between.is_empty() {
                (
                    format!(
                        "Sổ {}: thiếu {count} số đăng ký ({missing}) giữa trang {} ({}) và trang {} ({}): có thể thiếu một trang",
                        b.book.id, a.page, file_of(results, pages, a.page), b.page, file_of(results, pages, b.page)
                    ),
                    format!(
                        "Book {}: {count} number(s) ({missing}) are missing between page {} ({}) and page {} ({}): a page seems missing",
                        b.book.id, a.page, file_of(results, pages, a.page), b.page, file_of(results, pages, b.page)
                    ),
                )
            } else {
                let listed: Vec<String> = between
                    .iter()
                    .map(|p| {
                        let r = &results[pages[p]];
                        let why = if r.is_failed() { "failed" } else { "no entry found" };
                        format!("{p} ({}, {why})", r.source.file)
                    })
                    .collect();
                let listed = listed.join(", ");
                (
                    format!(
                        "Sổ {}: các số đăng ký {missing} có lẽ nằm ở trang {listed}, trang này chưa đọc được",
                        b.book.id
                    ),
                    format!(
                        "Book {}: numbers {missing} are probably on page {listed}, which could not be read",
                        b.book.id
                    ),
                )
            }
        }
    };
    Some(note(id, vi, en))
}

/// Printed page numbers of consecutive scanned pages follow each other.
fn check_pages(
    results: &mut [PageResult],
    book: &Book,
    pages: &BTreeMap<u32, usize>,
    params: &BookCheckParams,
) -> Vec<BatchNote> {
    let printed: Vec<(u32, usize, i64)> = pages
        .iter()
        .filter_map(|(&page, &r)| {
            let n = results[r]
                .entries()
                .iter()
                .find_map(|e| e.value(&params.page_field).and_then(leading_number))?;
            Some((page, r, n))
        })
        .collect();
    let mut notes = Vec::new();
    for pair in printed.windows(2) {
        let ((pa, _, ta), (pb, rb, tb)) = (pair[0], pair[1]);
        let expected = ta + (pb - pa) as i64;
        if tb == expected {
            continue;
        }
        let (vi, en) = if tb > expected {
            let missing = range(expected, tb - 1);
            (
                format!(
                    "Số trang in nhảy từ {ta} (trang {pa}, {}) lên {tb} (trang {pb}, {}): có thể thiếu trang in số {missing}",
                    results[pages[&pa]].source.file, results[rb].source.file
                ),
                format!(
                    "Printed page numbers jump from {ta} (page {pa}, {}) to {tb} (page {pb}, {}): printed page {missing} seems missing",
                    results[pages[&pa]].source.file, results[rb].source.file
                ),
            )
        } else {
            (
                format!(
                    "Số trang in {tb} (trang {pb}, {}) không theo sau {ta} (trang {pa}): các trang có thể sai thứ tự",
                    results[rb].source.file
                ),
                format!(
                    "Printed page {tb} (page {pb}, {}) does not follow {ta} (page {pa}): pages may be out of order",
                    results[rb].source.file
                ),
            )
        };
        if let crate::page::PageOutcome::Done { entries } = &mut results[rb].outcome {
            if let Some(first) = entries.first_mut() {
                first.add_finding(finding(
                    "BOOK-PAGE-MISSING",
                    Severity::Info,
                    &params.page_field,
                    vi.clone(),
                    en.clone(),
                ));
            }
        }
        notes.push(note(
            Some(&book.id),
            format!("Sổ {}: {vi}", book.id),
            format!("Book {}: {en}", book.id),
        ));
    }
    notes
}

#[cfg(test)]
mod tests;
