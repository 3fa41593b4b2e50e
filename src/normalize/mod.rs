//! Normalisation of raw field text to template form, using the closed vocabularies to correct
//! OCR errors: names to title case NFC, dates to `dd.mm.yyyy` / `mm.yyyy` / `yyyy` (figures and
//! words), sex to its code, ethnicity to the canonical group name, nationality to its name.

pub mod date;
mod dates;
mod ids;
mod names;
mod numbers;
mod places;
mod plain;
mod vocab;
pub mod words;

pub use date::PartialDate;
pub use dates::{parse_date, parse_date_words};
pub use names::{is_odd_word, is_syllable, normalize_name};
pub use places::authority_units_named;
pub use plain::clean_text;
pub use vocab::Vocabulary;

use crate::schema::{CodeTables, FieldKind, ValueStyle};
use crate::text::fold_compact;
use std::collections::BTreeMap;

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
    /// What a closed list or the book confirms in the value.
    pub vouched: Vouched,
}

/// The part of a value that a closed list (a vocabulary, a known place name, the book's own
/// authority) confirms: the engine's doubt about those letters no longer counts, since the
/// list fixes what they spell.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Vouched {
    #[default]
    Nothing,
    /// The whole value is a word of the list, spelled exactly.
    Whole,
    /// These words (folded, letters and digits only) belong to names the list knows.
    Words(Vec<String>),
}

impl Vouched {
    /// Whether a read token (folded compact form) is confirmed.
    pub fn covers(&self, compact: &str) -> bool {
        match self {
            Vouched::Nothing => false,
            Vouched::Whole => true,
            Vouched::Words(words) => words.iter().any(|w| w == compact),
        }
    }
}

impl Normalized {
    pub fn empty() -> Self {
        Self {
            value: String::new(),
            fit: 0.0,
            companion: None,
            note: None,
            vouched: Vouched::Nothing,
        }
    }
}

/// What normalisation needs to know besides the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct NormalizeContext<'a> {
    /// How the edition writes the value (year only, age, words).
    pub style: ValueStyle,
    /// Year of registration, to turn an age into a birth year.
    pub registration_year: Option<i32>,
    /// The book's registering authority: its commune, district and province names put
    /// right the same names misread in places.
    pub authority: Option<&'a str>,
}

/// Normalises raw text by field kind; built once from the code tables.
pub struct Normalizer {
    /// Code tables by id, as vocabularies of their labels.
    codes: BTreeMap<String, Vocabulary>,
    ethnicity: Vocabulary,
    nationality: Vocabulary,
    kinship: Vocabulary,
    titles: Vocabulary,
    provinces: places::PlaceNames,
    name_words: names::NameWords,
}

/// Fit of a place holding a word that is no syllable and no known name.
const FIT_ODD_WORD: f32 = 0.7;
/// Fit of a place whose unit name was a letter off the book's own authority's and took it.
const FIT_NEAR_AUTHORITY: f32 = 0.8;

/// Fit of an ethnic alias several groups share: a person must choose.
const FIT_AMBIGUOUS: f32 = 0.4;

impl Normalizer {
    pub fn new(codes: &CodeTables) -> Self {
        let mut tables = BTreeMap::new();
        for t in &codes.tables {
            let mut v = Vocabulary::default();
            for e in &t.entries {
                v.add(&e.name, &e.code, 1.0);
                for l in &e.labels {
                    v.add(l, &e.code, 1.0);
                }
            }
            tables.insert(t.id.clone(), v);
        }
        let mut ethnicity = Vocabulary::default();
        for g in &codes.ethnicity.groups {
            ethnicity.add(&g.name, &g.name, 1.0);
            ethnicity.add(&g.gso, &g.name, 1.0);
            ethnicity.add(&format!("dân tộc {}", g.name), &g.name, 1.0);
            for a in &g.aliases {
                ethnicity.add(a, &g.name, 1.0);
            }
        }
        for a in &codes.ethnicity.ambiguous {
            let first = a
                .codes
                .first()
                .and_then(|c| codes.ethnicity.groups.iter().find(|g| &g.code == c));
            if let Some(g) = first {
                ethnicity.add(&a.alias, &g.name, FIT_AMBIGUOUS);
            }
        }
        let mut nationality = Vocabulary::default();
        for n in &codes.nationalities {
            nationality.add(&n.name, &n.name, 1.0);
            for a in &n.aliases {
                nationality.add(a, &n.name, 1.0);
            }
        }
        // Tables whose entries are written as names, not codes.
        let names_of = |id: &str| {
            let mut v = Vocabulary::default();
            for e in codes
                .table(id)
                .map(|t| t.entries.as_slice())
                .unwrap_or_default()
            {
                v.add(&e.name, &e.name, 1.0);
                for l in &e.labels {
                    v.add(l, &e.name, 1.0);
                }
            }
            v
        };
        let kinship = names_of("quan_he");
        let titles = names_of("chuc_vu");
        Self {
            titles,
            codes: tables,
            ethnicity,
            nationality,
            kinship,
            provinces: places::PlaceNames::new(&codes.provinces),
            name_words: names::NameWords::new(&codes.family_names, &codes.middle_names)
                .with_given(&codes.given_names),
        }
    }

    pub fn normalize(&self, kind: &FieldKind, raw: &str, ctx: &NormalizeContext) -> Normalized {
        let raw = raw.trim();
        if raw.is_empty() {
            return Normalized::empty();
        }
        let fitted = |value: String, fit: f32| Normalized {
            fit: if value.is_empty() { 0.0 } else { fit },
            value,
            companion: None,
            note: None,
            vouched: Vouched::Nothing,
        };
        let from_vocab = |v: &Vocabulary, what: &str| match v.lookup(&plain::clean_text(raw)) {
            Some(m) => {
                let mut n = fitted(m.value, m.fit);
                if m.fit >= 1.0 {
                    n.vouched = Vouched::Whole;
                }
                if m.fit <= FIT_AMBIGUOUS {
                    n.note = Some(format!("\"{raw}\" may name several {what}"));
                }
                n
            }
            None => Normalized {
                note: Some(format!("\"{raw}\" is not a known {what}")),
                ..Normalized::empty()
            },
        };
        match kind {
            FieldKind::Name => {
                let (v, fit, vouched) = self.name_words.normalize(raw);
                Normalized {
                    vouched: Vouched::Words(vouched),
                    ..fitted(v, fit)
                }
            }
            FieldKind::Date => self.date(raw, ctx),
            FieldKind::DateWords => match parse_date_words(raw).or_else(|| parse_date(raw)) {
                Some((d, fit)) => fitted(canonical_date_words(&d), fit),
                None => Normalized {
                    note: Some("no date could be read from these words".into()),
                    ..Normalized::empty()
                },
            },
            FieldKind::Code(table) => match self.codes.get(table) {
                Some(v) => from_vocab(v, table),
                None => Normalized::empty(),
            },
            FieldKind::Ethnicity => from_vocab(&self.ethnicity, "ethnic group"),
            FieldKind::Nationality => from_vocab(&self.nationality, "nationality"),
            FieldKind::Kinship => from_vocab(&self.kinship, "kinship word"),
            FieldKind::Place => {
                let (v, fit) = plain::normalize_place(raw, |w| self.name_words.is_family(w));
                let (v, _) = self.provinces.correct(&v, ctx.authority);
                let (v, fit) = match self.provinces.correct_near_authority(&v, ctx.authority) {
                    Some(near) => (near, fit.min(FIT_NEAR_AUTHORITY)),
                    None => (v, fit),
                };
                let mut known = self.provinces.known_words(&v, ctx.authority);
                known.extend(plain::phrase_words(&v));
                let vouched = Vouched::Words(known);
                // A word that is no Vietnamese syllable ("Trạmy", "hnuyện") and no name the
                // list knows is a misreading, or a name a person should look at.
                let odd = v.split([' ', ',']).any(|w| {
                    let abbreviation = w.chars().all(char::is_uppercase);
                    is_odd_word(w) && !abbreviation && !vouched.covers(&fold_compact(w))
                });
                let fit = if odd { fit.min(FIT_ODD_WORD) } else { fit };
                Normalized {
                    vouched,
                    ..fitted(v, fit)
                }
            }
            FieldKind::Authority => {
                let family = |w: &str| self.name_words.is_family(w);
                let (v, _) = plain::normalize_place(&plain::authority_words(raw), family);
                let (v, _) = self.provinces.correct(&v, ctx.authority);
                // The authority `book.toml` names, as printed: confirmed whole.
                let vouched = if ctx.authority.map(fold_compact) == Some(fold_compact(&v)) {
                    Vouched::Whole
                } else {
                    Vouched::Words(self.provinces.known_words(&v, ctx.authority))
                };
                Normalized {
                    vouched,
                    ..fitted(v, 1.0)
                }
            }
            FieldKind::Text => {
                let (text, fit) = plain::normalize_note(raw);
                fitted(text, fit)
            }
            // A title outside the list is kept as read, with the doubt of an unchecked word.
            FieldKind::Title => match self.titles.lookup(&plain::clean_text(raw)) {
                Some(m) if m.fit >= 1.0 => Normalized {
                    vouched: Vouched::Whole,
                    ..fitted(m.value, m.fit)
                },
                Some(m) => fitted(m.value, m.fit),
                None => fitted(plain::clean_text(raw), 0.9),
            },
            FieldKind::IdNumber => {
                let (v, fit) = ids::normalize_id_number(raw);
                fitted(v, fit)
            }
            FieldKind::DocumentNumber => {
                let (v, kind, fit) = ids::normalize_document(raw);
                let mut n = fitted(v, fit);
                n.companion = kind.map(|k| ("LoaiGiayToTuyThan".to_string(), k.to_string()));
                n
            }
            FieldKind::Integer | FieldKind::RowNumber => {
                let (d, repaired) = ids::digits(raw);
                let v = d.trim_start_matches('0');
                let v = if v.is_empty() && !d.is_empty() {
                    "0"
                } else {
                    v
                };
                fitted(v.to_string(), if repaired { 0.85 } else { 1.0 })
            }
            FieldKind::Identifier => identifier(raw),
        }
    }

    fn date(&self, raw: &str, ctx: &NormalizeContext) -> Normalized {
        let parsed = match ctx.style {
            ValueStyle::Age => age_to_year(raw, ctx.registration_year),
            ValueStyle::Words => parse_date_words(raw).or_else(|| parse_date(raw)),
            _ => parse_date(raw),
        };
        match parsed {
            Some((d, fit)) => Normalized {
                value: d.to_template(),
                fit,
                companion: None,
                note: None,
                vouched: Vouched::Nothing,
            },
            None => Normalized {
                note: Some(format!("\"{raw}\" is not a date")),
                ..Normalized::empty()
            },
        }
    }
}

/// An age in years at registration ("28", "28 tuổi") as a birth year. The year is the
/// registration year minus the age, as clerks computed it; it can be one year late.
fn age_to_year(raw: &str, registration_year: Option<i32>) -> Option<(PartialDate, f32)> {
    let (d, repaired) = ids::digits(raw.split_whitespace().next().unwrap_or(""));
    let age: i32 = d.parse().ok()?;
    let year = registration_year?;
    if !(10..=100).contains(&age) {
        return None;
    }
    Some((
        PartialDate::year_only(year - age),
        if repaired { 0.8 } else { 0.95 },
    ))
}

/// Registration numbers and volumes: "12", "01/2016". Letters OCR reads for digits are put
/// right when the token is mostly digits.
fn identifier(raw: &str) -> Normalized {
    let text = plain::clean_text(raw);
    let text: String = text.split_whitespace().collect::<Vec<_>>().join("");
    let digitish = text.chars().filter(|c| c.is_ascii_digit()).count();
    if digitish * 2 >= text.chars().count() {
        let mut repaired = false;
        let fixed: String = text
            .chars()
            .filter_map(|c| match c {
                '0'..='9' | '/' | '-' | '.' => Some(c),
                'O' | 'o' | 'D' => {
                    repaired = true;
                    Some('0')
                }
                'l' | 'I' | '|' => {
                    repaired = true;
                    Some('1')
                }
                _ => {
                    repaired = true;
                    None
                }
            })
            .collect();
        let fixed = fixed.trim_matches(|c| c == '.' || c == '-').to_string();
        let fit = if repaired { 0.8 } else { 1.0 };
        return Normalized {
            fit: if fixed.is_empty() { 0.0 } else { fit },
            value: fixed,
            companion: None,
            note: None,
            vouched: Vouched::Nothing,
        };
    }
    Normalized {
        fit: if text.is_empty() { 0.0 } else { 0.6 },
        value: text,
        companion: None,
        note: Some("a register number with letters in it".into()),
        vouched: Vouched::Nothing,
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
