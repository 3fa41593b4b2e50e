//! What the book fixes for every entry in it: its volume ("Quyển số") and its year. Registers
//! are kept one book per year, so a registration date in another year, or a volume printed
//! otherwise than `book.toml` says, is a misread when it is a digit or two off: "92/2006" for
//! "02/2006", "2921" for "2021" in a face whose zero the engine takes for a nine.

use crate::page::FieldValue;

/// Confidence of a value put right from the book where the engine did not offer the book's
/// reading itself: likely, still for a person to confirm.
pub const FIT_FROM_BOOK: f32 = 0.85;
/// Confidence of a value whose other reading is exactly the book's.
pub const FIT_OTHER_READING_IS_BOOKS: f32 = 0.95;

/// Positions at which two strings of the same length differ, or `None` when the lengths
/// (in characters) differ.
fn differing_positions(a: &str, b: &str) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    (a.len() == b.len()).then(|| a.iter().zip(&b).filter(|(x, y)| x != y).count())
}

/// The text with its last four-figure group replaced by the book's year, when that group is
/// one figure off it ("22/01/2921" in a 2021 book). `None` when the text has no such group or
/// it already is the book's year.
pub fn with_book_year(text: &str, book_year: i32) -> Option<String> {
    let year = book_year.to_string();
    let chars: Vec<char> = text.chars().collect();
    let mut end = chars.len();
    while end > 0 {
        if !chars[end - 1].is_ascii_digit() {
            end -= 1;
            continue;
        }
        let mut start = end;
        while start > 0 && chars[start - 1].is_ascii_digit() {
            start -= 1;
        }
        if end - start != 4 {
            return None;
        }
        let group: String = chars[start..end].iter().collect();
        if differing_positions(&group, &year) != Some(1) {
            return None;
        }
        let mut fixed: String = chars[..start].iter().collect();
        fixed.push_str(&year);
        fixed.extend(&chars[end..]);
        return Some(fixed);
    }
    None
}

/// Puts a volume read on the page in line with `book.toml`'s: the same when they agree, the
/// book's when the page's reading is a figure or two off it. Readings further off are left
/// for a person (the page may be from another book).
pub fn agree_with_volume(field: &mut FieldValue, book_volume: &str) {
    let book = book_volume.trim();
    if book.is_empty() || field.value == book {
        if !book.is_empty() {
            // The page and the clerk's book.toml say the same: two witnesses.
            field.confidence = field.confidence.max(FIT_OTHER_READING_IS_BOOKS);
        }
        return;
    }
    let Some(off) = differing_positions(&field.value, book) else {
        return;
    };
    let only_figures_differ = field
        .value
        .chars()
        .zip(book.chars())
        .all(|(a, b)| a == b || (a.is_ascii_digit() && b.is_ascii_digit()));
    if off > 2 || !only_figures_differ {
        return;
    }
    let engine_agrees = field.other_reading.as_deref() == Some(book);
    // The reading stays in `raw`; it is no candidate, the book rules it out.
    field.value = book.to_string();
    field.other_reading = None;
    field.confidence = if engine_agrees {
        FIT_OTHER_READING_IS_BOOKS
    } else {
        FIT_FROM_BOOK
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::ValueSource;

    fn read(value: &str, other: Option<&str>) -> FieldValue {
        FieldValue {
            raw: value.into(),
            value: value.into(),
            confidence: 0.3,
            bbox: None,
            source: ValueSource::Page,
            other_reading: other.map(str::to_string),
        }
    }

    #[test]
    fn a_year_one_figure_off_the_books_is_the_books() {
        assert_eq!(
            with_book_year("22/01/2921", 2021).as_deref(),
            Some("22/01/2021")
        );
        assert_eq!(
            with_book_year("ngày 9.4.2008", 2006).as_deref(),
            Some("ngày 9.4.2006")
        );
        assert_eq!(with_book_year("22/01/2021", 2021), None);
        assert_eq!(with_book_year("22/01/1998", 2021), None, "two figures off");
        assert_eq!(
            with_book_year("22/01/21", 2021),
            None,
            "no four-figure year"
        );
    }

    #[test]
    fn a_volume_a_figure_off_the_books_is_the_books() {
        let mut f = read("92/2006", Some("02/2006"));
        agree_with_volume(&mut f, "02/2006");
        assert_eq!(f.value, "02/2006");
        assert_eq!(f.raw, "92/2006");
        assert!((f.confidence - FIT_OTHER_READING_IS_BOOKS).abs() < 1e-6);

        let mut f = read("92/2906", None);
        agree_with_volume(&mut f, "02/2006");
        assert_eq!(f.value, "02/2006");
        assert!((f.confidence - FIT_FROM_BOOK).abs() < 1e-6);

        let mut f = read("05/1999", None);
        agree_with_volume(&mut f, "02/2006");
        assert_eq!(f.value, "05/1999", "far off: left for a person");

        let mut f = read("02/2006", None);
        agree_with_volume(&mut f, "02/2006");
        assert!(f.confidence >= FIT_OTHER_READING_IS_BOOKS);
    }
}
