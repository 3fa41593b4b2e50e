//! Normalisation of raw field text to template form, using the closed vocabularies to correct
//! OCR errors: names to title case NFC, dates to `dd.mm.yyyy` / `mm.yyyy` / `yyyy` (figures and
//! words), sex to its code, ethnicity to the canonical group name, nationality to its name.

pub mod date;
pub mod words;

pub use date::PartialDate;

use crate::schema::{CodeTables, FieldKind, ValueStyle};

/// One raw value normalised for its field kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    /// Template form; empty when nothing usable was read.
    pub value: String,
    /// How well the raw text fits the kind, 0..=1: 1 for a clean parse or an exact vocabulary
    /// word, lower for a corrected or doubtful reading, 0 when it could not be read.
    pub fit: f32,
    /// A value for a sibling field of the same person read from the same text, by role
    /// (e.g. `("LoaiGiayToTuyThan", "1")` from "CMND số 012345678").
    pub companion: Option<(String, String)>,
    /// Why the value is doubtful, for the reviewer.
    pub note: Option<String>,
}

impl Normalized {
    pub fn empty() -> Self {
        Self {
            value: String::new(),
            fit: 0.0,
            companion: None,
            note: None,
        }
    }
}

/// What normalisation needs to know besides the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct NormalizeContext {
    /// How the edition writes the value (year only, age, words).
    pub style: ValueStyle,
    /// Year of registration, to turn an age into a birth year.
    pub registration_year: Option<i32>,
}

/// Normalises raw text by field kind; built once from the code tables.
pub struct Normalizer {
    #[allow(dead_code)]
    codes: CodeTables,
}

impl Normalizer {
    pub fn new(codes: &CodeTables) -> Self {
        Self {
            codes: codes.clone(),
        }
    }

    pub fn normalize(&self, kind: &FieldKind, raw: &str, ctx: &NormalizeContext) -> Normalized {
        let _ = (kind, raw, ctx);
        Normalized::empty()
    }
}

/// The one spelling sohoa writes a date in words with (the `...BangChu` columns): the
/// default style of [`words::date_to_words`] with a capital first letter. Pages use many
/// spellings (mồng/mùng, linh/lẻ, nghìn/ngàn); all parse to the same date and are written back
/// this way, so a value read with OCR slips comes out clean.
pub fn canonical_date_words(date: &PartialDate) -> String {
    let words = words::date_to_words(date, &words::WordsStyle::default());
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Parses a date in figures or words; the fit says how sure the reading is.
pub fn parse_date(raw: &str) -> Option<(PartialDate, f32)> {
    let _ = raw;
    None
}

/// Parses a date spelled out in Vietnamese words.
pub fn parse_date_words(raw: &str) -> Option<(PartialDate, f32)> {
    let _ = raw;
    None
}
