//! Records normalised once, stored compactly by field (columns of small integers): a million
//! registry records fit in about a hundred megabytes and compare without touching strings.

use super::config::{ComparisonKind, MatchConfig};
use super::hash::mix;
use super::vocab::{name_words, place_words, TokenId, Vocab};
use crate::text::fold;

/// A full or partial date packed in 4 bytes; `year == 0` means missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DateKey {
    pub year: u16,
    /// 0 when unknown.
    pub month: u8,
    /// 0 when unknown.
    pub day: u8,
}

impl DateKey {
    pub fn is_missing(&self) -> bool {
        self.year == 0
    }
    pub fn is_full(&self) -> bool {
        self.year != 0 && self.month != 0 && self.day != 0
    }
}

/// Reads `dd.mm.yyyy`, `dd/mm/yyyy`, `dd-mm-yyyy`, `mm.yyyy`, `yyyy` and ISO `yyyy-mm-dd`.
/// A day or month out of range is dropped (the rest stays usable); anything else is missing.
pub fn parse_date(s: &str) -> DateKey {
    let parts: Vec<&str> = s
        .trim()
        .trim_start_matches('\'')
        .split(['.', '/', '-', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    let num = |p: &str| -> Option<u32> {
        (p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (d, m, y) = match parts.as_slice() {
        [y] => (None, None, num(y)),
        [m, y] => (None, num(m), num(y)),
        [a, b, c] if a.len() == 4 => (num(c), num(b), num(a)),
        [d, m, y] => (num(d), num(m), num(y)),
        _ => return DateKey::default(),
    };
    let year = match y {
        Some(y) if (1000..=2999).contains(&y) => y as u16,
        _ => return DateKey::default(),
    };
    let month = m.filter(|m| (1..=12).contains(m)).unwrap_or(0) as u8;
    let day = if month == 0 {
        0
    } else {
        d.filter(|d| (1..=31).contains(d)).unwrap_or(0) as u8
    };
    DateKey { year, month, day }
}

/// A run of tokens in the store's arena.
#[derive(Debug, Clone, Copy, Default)]
pub struct Span {
    pub start: u32,
    pub len: u32,
}

/// One field's values for every record.
#[derive(Debug, Clone)]
pub enum Column {
    /// Names, places, text: token runs.
    Tokens(Vec<Span>),
    Dates(Vec<DateKey>),
    /// Exact and id fields: interned value, [`MISSING`] when blank.
    Values(Vec<u32>),
}

pub const MISSING: u32 = u32::MAX;

/// Records of one side (the registry, or the input batch), compared field by field.
#[derive(Debug, Clone)]
pub struct RecordStore {
    pub kinds: Vec<ComparisonKind>,
    pub columns: Vec<Column>,
    pub arena: Vec<TokenId>,
    /// 1-based data row of each record in its source.
    pub rows: Vec<u32>,
    /// Index into `source_names` of each record.
    pub sources: Vec<u16>,
    /// File names (or other labels) the records came from.
    pub source_names: Vec<String>,
}

impl RecordStore {
    pub fn new(config: &MatchConfig) -> Self {
        let kinds: Vec<ComparisonKind> = config.fields.iter().map(|f| f.kind).collect();
        let columns = kinds
            .iter()
            .map(|k| match k {
                ComparisonKind::Name | ComparisonKind::Place | ComparisonKind::Text => {
                    Column::Tokens(Vec::new())
                }
                ComparisonKind::Date => Column::Dates(Vec::new()),
                ComparisonKind::Exact | ComparisonKind::Id => Column::Values(Vec::new()),
            })
            .collect();
        Self {
            kinds,
            columns,
            arena: Vec::new(),
            rows: Vec::new(),
            sources: Vec::new(),
            source_names: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Registers a source label and returns its index.
    pub fn add_source(&mut self, name: impl Into<String>) -> u16 {
        self.source_names.push(name.into());
        (self.source_names.len() - 1) as u16
    }

    /// Adds a record from its raw field values (one per configured field, `""` when blank).
    pub fn push(&mut self, vocab: &mut Vocab, values: &[&str], source: u16, row: u32) {
        debug_assert_eq!(values.len(), self.columns.len());
        for ((column, kind), raw) in self.columns.iter_mut().zip(&self.kinds).zip(values) {
            let raw = raw.trim().trim_start_matches('\'');
            match column {
                Column::Tokens(spans) => {
                    let start = self.arena.len() as u32;
                    match kind {
                        ComparisonKind::Name => {
                            self.arena.extend(name_words(raw).map(|w| vocab.token(w)))
                        }
                        _ => self.arena.extend(place_words(raw).map(|w| vocab.token(w))),
                    }
                    let len = self.arena.len() as u32 - start;
                    spans.push(Span { start, len });
                }
                Column::Dates(dates) => dates.push(parse_date(raw)),
                Column::Values(ids) => {
                    let value = match kind {
                        ComparisonKind::Id => clean_id(raw),
                        _ => fold(raw).split_whitespace().collect::<Vec<_>>().join(" "),
                    };
                    ids.push(if value.is_empty() {
                        MISSING
                    } else {
                        vocab.values.intern(&value)
                    });
                }
            }
        }
        self.rows.push(row);
        self.sources.push(source);
    }

    #[inline]
    pub fn tokens(&self, field: usize, record: usize) -> &[TokenId] {
        match &self.columns[field] {
            Column::Tokens(spans) => {
                let s = spans[record];
                &self.arena[s.start as usize..(s.start + s.len) as usize]
            }
            _ => &[],
        }
    }

    #[inline]
    pub fn date(&self, field: usize, record: usize) -> DateKey {
        match &self.columns[field] {
            Column::Dates(d) => d[record],
            _ => DateKey::default(),
        }
    }

    #[inline]
    pub fn value(&self, field: usize, record: usize) -> Option<u32> {
        match &self.columns[field] {
            Column::Values(v) => Some(v[record]).filter(|&v| v != MISSING),
            _ => None,
        }
    }

    /// Where a record came from, for messages: `row 12` or `registry.csv row 12`.
    pub fn describe(&self, record: usize) -> String {
        if self.source_names.len() > 1 {
            format!(
                "{}:{}",
                self.source_names[self.sources[record] as usize], self.rows[record]
            )
        } else {
            self.rows[record].to_string()
        }
    }

    /// Bytes held, for the report.
    pub fn heap_bytes(&self) -> usize {
        let cols: usize = self
            .columns
            .iter()
            .map(|c| match c {
                Column::Tokens(v) => v.capacity() * 8,
                Column::Dates(v) => v.capacity() * 4,
                Column::Values(v) => v.capacity() * 4,
            })
            .sum();
        cols + self.arena.capacity() * 4 + self.rows.capacity() * 6
    }
}

/// An identification number as compared: letters and digits only, upper case.
pub fn clean_id(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// A name split into its parts, by phonetic key ids (what term frequencies and blocking use).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameParts {
    /// Phonetic id of the family name (first word); `None` for one-word names.
    pub family: Option<u32>,
    /// Hash of the middle words' phonetic ids (0 when none).
    pub middle: u64,
    /// Phonetic id of the given name (last word).
    pub given: u32,
}

pub fn name_parts(vocab: &Vocab, tokens: &[TokenId]) -> Option<NameParts> {
    let (&last, rest) = tokens.split_last()?;
    let given = vocab.get(last).phonetic;
    match rest.split_first() {
        None => Some(NameParts {
            family: None,
            middle: 0,
            given,
        }),
        Some((&first, middle)) => Some(NameParts {
            family: Some(vocab.get(first).phonetic),
            middle: if middle.is_empty() {
                0
            } else {
                mix(middle.iter().map(|&t| vocab.get(t).phonetic as u64))
            },
            given,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_in_every_layout() {
        let full = DateKey {
            year: 1998,
            month: 3,
            day: 5,
        };
        assert_eq!(parse_date("05.03.1998"), full);
        assert_eq!(parse_date("05/03/1998"), full);
        assert_eq!(parse_date("5-3-1998"), full);
        assert_eq!(parse_date("1998-03-05"), full);
        assert_eq!(
            parse_date("03.1998"),
            DateKey {
                year: 1998,
                month: 3,
                day: 0
            }
        );
        assert_eq!(
            parse_date("'1965"),
            DateKey {
                year: 1965,
                month: 0,
                day: 0
            }
        );
        // A month out of range keeps the year only; junk is missing.
        assert_eq!(parse_date("05.13.1998").month, 0);
        assert_eq!(parse_date("05.13.1998").year, 1998);
        assert!(parse_date("abc").is_missing());
        assert!(parse_date("").is_missing());
    }

    #[test]
    fn ids_are_cleaned() {
        assert_eq!(clean_id("'001 316.012345"), "001316012345");
        assert_eq!(clean_id("b1234567"), "B1234567");
    }
}
