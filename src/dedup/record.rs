//! Records normalised once, stored compactly by field (columns of small integers): a million
//! registry records fit in about a hundred megabytes and compare without touching strings.

use super::config::{ComparisonKind, MatchConfig, MAX_FIELDS};
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

/// Reads `dd.mm.yyyy`, `dd/mm/yyyy`, `dd-mm-yyyy`, `mm.yyyy`, `yyyy`, ISO `yyyy-mm-dd` and
/// `yyyymmdd` run together (FEBRL, database exports).
/// A day or month out of range is dropped (the rest stays usable); anything else is missing.
pub fn parse_date(s: &str) -> DateKey {
    let s = s.trim().trim_start_matches('\'');
    let compact = s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = if compact {
        vec![&s[..4], &s[4..6], &s[6..]]
    } else {
        s.split(['.', '/', '-', ' '])
            .filter(|p| !p.is_empty())
            .collect()
    };
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

pub const MISSING: u32 = u32::MAX;

/// Records of one side (the registry, or the input batch), compared field by field.
///
/// Each record's fields lie together in one run of u32 (row-major): a token field is its length
/// then its token ids, a date is packed `year << 16 | month << 8 | day` (0 when missing), an
/// exact or id value is its interned id ([`MISSING`] when blank). Comparing a candidate pair
/// touches one or two cache lines per record instead of one per field, which is most of the
/// cost when a million registry records are hit at random.
#[derive(Debug, Clone)]
pub struct RecordStore {
    pub kinds: Vec<ComparisonKind>,
    /// Start of each record in `data`, plus the end.
    starts: Vec<u64>,
    data: Vec<u32>,
    /// 1-based data row of each record in its source.
    pub rows: Vec<u32>,
    /// Index into `source_names` of each record.
    pub sources: Vec<u16>,
    /// File names (or other labels) the records came from.
    pub source_names: Vec<String>,
    /// Per record and field, the confidence the value was read with in hundredths
    /// ([`NO_CONFIDENCE`] when not given); empty when no record of the store has any.
    confidences: Vec<u8>,
    with_confidences: bool,
    /// Per record, the person (cluster) id of earlier links, interned in `person_names`
    /// ([`MISSING`] when blank); empty when no record has one.
    persons: Vec<u32>,
    with_persons: bool,
    pub person_names: super::vocab::Interner,
}

/// A field whose read confidence is not known.
pub const NO_CONFIDENCE: u8 = u8::MAX;

/// The fields of one record, as slices of its data (one element for dates and values).
pub struct View<'a> {
    fields: [&'a [u32]; MAX_FIELDS],
    /// Confidences in hundredths by field, empty when the store has none.
    confidences: &'a [u8],
}

impl<'a> View<'a> {
    #[inline]
    pub fn tokens(&self, f: usize) -> &'a [TokenId] {
        self.fields[f]
    }
    #[inline]
    pub fn date(&self, f: usize) -> DateKey {
        unpack_date(self.fields[f].first().copied().unwrap_or(0))
    }
    #[inline]
    pub fn value(&self, f: usize) -> Option<u32> {
        self.fields[f].first().copied().filter(|&v| v != MISSING)
    }
    /// The confidence field `f` was read with (0..1), when known.
    #[inline]
    pub fn confidence(&self, f: usize) -> Option<f64> {
        match self.confidences.get(f) {
            Some(&c) if c != NO_CONFIDENCE => Some(c as f64 / 100.0),
            _ => None,
        }
    }
}

/// A prefetch hint: it reads nothing and cannot fault, whatever the address.
#[inline(always)]
fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint that never dereferences or faults, for any address.
    unsafe {
        std::arch::x86_64::_mm_prefetch(p as *const i8, std::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

fn pack_date(d: DateKey) -> u32 {
    (d.year as u32) << 16 | (d.month as u32) << 8 | d.day as u32
}

fn unpack_date(x: u32) -> DateKey {
    DateKey {
        year: (x >> 16) as u16,
        month: (x >> 8) as u8,
        day: x as u8,
    }
}

fn is_token_kind(kind: ComparisonKind) -> bool {
    matches!(
        kind,
        ComparisonKind::Name | ComparisonKind::Place | ComparisonKind::Text
    )
}

impl RecordStore {
    pub fn new(config: &MatchConfig) -> Self {
        Self {
            kinds: config.fields.iter().map(|f| f.kind).collect(),
            starts: vec![0],
            data: Vec::new(),
            rows: Vec::new(),
            sources: Vec::new(),
            source_names: Vec::new(),
            confidences: Vec::new(),
            with_confidences: false,
            persons: Vec::new(),
            with_persons: false,
            person_names: Default::default(),
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
        self.push_read(vocab, values, &[], None, source, row);
    }

    /// Adds a record with, when known, the confidence of each field (0..1, `None` when not
    /// given; empty: none) and the person id of earlier links.
    pub fn push_read(
        &mut self,
        vocab: &mut Vocab,
        values: &[&str],
        confidences: &[Option<f32>],
        person: Option<&str>,
        source: u16,
        row: u32,
    ) {
        let n = self.kinds.len();
        let record = self.rows.len();
        if confidences.iter().any(Option::is_some) && !self.with_confidences {
            self.with_confidences = true;
            self.confidences = vec![NO_CONFIDENCE; record * n];
        }
        if self.with_confidences {
            for f in 0..n {
                let c = confidences.get(f).copied().flatten();
                self.confidences
                    .push(c.map_or(NO_CONFIDENCE, |c| (c.clamp(0.0, 1.0) * 100.0).round() as u8));
            }
        }
        let person = person.map(str::trim).filter(|p| !p.is_empty());
        if person.is_some() && !self.with_persons {
            self.with_persons = true;
            self.persons = vec![MISSING; record];
        }
        if self.with_persons {
            self.persons
                .push(person.map_or(MISSING, |p| self.person_names.intern(p)));
        }
        debug_assert_eq!(values.len(), self.kinds.len());
        for (kind, raw) in self.kinds.iter().zip(values) {
            let raw = raw.trim().trim_start_matches('\'');
            match kind {
                ComparisonKind::Name | ComparisonKind::Place | ComparisonKind::Text => {
                    let at = self.data.len();
                    self.data.push(0);
                    match kind {
                        ComparisonKind::Name => {
                            self.data.extend(name_words(raw).map(|w| vocab.token(w)))
                        }
                        _ => self.data.extend(place_words(raw).map(|w| vocab.token(w))),
                    }
                    self.data[at] = (self.data.len() - at - 1) as u32;
                }
                ComparisonKind::Date => self.data.push(pack_date(parse_date(raw))),
                ComparisonKind::Exact | ComparisonKind::Id => {
                    let value = match kind {
                        ComparisonKind::Id => clean_id(raw),
                        _ => fold(raw).split_whitespace().collect::<Vec<_>>().join(" "),
                    };
                    self.data.push(if value.is_empty() {
                        MISSING
                    } else {
                        vocab.values.intern(&value)
                    });
                }
            }
        }
        self.starts.push(self.data.len() as u64);
        self.rows.push(row);
        self.sources.push(source);
    }

    /// The fields of record `r`.
    #[inline]
    pub fn view(&self, r: usize) -> View<'_> {
        let mut fields: [&[u32]; MAX_FIELDS] = [&[]; MAX_FIELDS];
        let mut pos = self.starts[r] as usize;
        for (slot, &kind) in fields.iter_mut().zip(&self.kinds) {
            if is_token_kind(kind) {
                let len = self.data[pos] as usize;
                *slot = &self.data[pos + 1..pos + 1 + len];
                pos += 1 + len;
            } else {
                *slot = &self.data[pos..pos + 1];
                pos += 1;
            }
        }
        let n = self.kinds.len();
        let confidences = if !self.with_confidences {
            &[][..]
        } else {
            &self.confidences[r * n..(r + 1) * n]
        };
        View {
            fields,
            confidences,
        }
    }

    /// Asks the processor to fetch where record `r` starts (a hint; no effect elsewhere).
    #[inline]
    pub fn prefetch_start(&self, r: usize) {
        prefetch(self.starts.as_ptr().wrapping_add(r) as *const u8);
    }

    /// Asks the processor to fetch record `r`'s data (its first two cache lines).
    #[inline]
    pub fn prefetch_data(&self, r: usize) {
        if let Some(&start) = self.starts.get(r) {
            let at = self.data.as_ptr().wrapping_add(start as usize) as *const u8;
            prefetch(at);
            prefetch(at.wrapping_add(64));
        }
    }

    /// Whether any record carries a field confidence.
    pub fn has_confidences(&self) -> bool {
        self.with_confidences
    }

    /// The person id of earlier links of record `r`, when given.
    pub fn person(&self, r: usize) -> Option<u32> {
        self.persons.get(r).copied().filter(|&p| p != MISSING)
    }

    #[inline]
    pub fn tokens(&self, field: usize, record: usize) -> &[TokenId] {
        self.view(record).tokens(field)
    }

    #[inline]
    pub fn date(&self, field: usize, record: usize) -> DateKey {
        self.view(record).date(field)
    }

    #[inline]
    pub fn value(&self, field: usize, record: usize) -> Option<u32> {
        self.view(record).value(field)
    }

    /// Where a record came from, for messages: `12`, or `registry.csv:12` when the store holds
    /// several sources.
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
        self.data.capacity() * 4
            + self.starts.capacity() * 8
            + self.rows.capacity() * 6
            + self.confidences.capacity()
            + self.persons.capacity() * 4
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
        assert_eq!(parse_date("19980305"), full);
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
