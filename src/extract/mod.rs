//! Extraction: from OCR lines to register entries with normalised, confidence-rated fields.
//!
//! Labels are found by fuzzy matching against the vocabulary of every form edition (OCR
//! garbles them); entries start at the label that opens an entry ("Số"); each value goes to a
//! person by the label itself ("... người mẹ"), else by the section it stands in, else by the
//! order of persons. Values are normalised with the closed vocabularies, cross-checked against
//! their spelled-out twin, and completed from `book.toml` and documented rules.

pub mod book_facts;
pub mod figures;
pub mod forms;
pub mod layout;
pub mod lexicon;
pub mod lines;
pub mod meaning;

use crate::ingest::BookMeta;
use crate::normalize::{parse_date, parse_date_words, NormalizeContext, Normalized, Normalizer};
use crate::page::{BBox, Entry, EntryStatus, FieldValue, LabelSeen, OcrPage, ValueSource};
use crate::schema::{
    Check, Derivation, FieldKind, FormEdition, RegisterSchema, Schemas, ValueStyle,
};
use crate::text::fold_compact;
use layout::{lay_out, LayoutParams, Token};
use lexicon::{LabelForm, LabelRef, Lexicon};
use std::collections::{BTreeMap, BTreeSet};

/// Changes whenever extraction, normalisation or validation code changes what a page's
/// entries come out as; part of the extraction cache key, so a new build re-extracts stored
/// pages (from their words, without OCR) instead of reusing stale entries.
pub const EXTRACT_REVISION: &str = "meaning-9";

/// Confidence of a subject's ID number opening with another province's code than the book's.
const ID_OTHER_PROVINCE: f32 = 0.5;
/// Confidence of a place that took the engine's other reading because it names the book's
/// own unit: likely, still for a person to confirm.
const FIT_OTHER_READING_OWN_UNIT: f32 = 0.8;

/// The reading certainty given to letters a closed list confirms, whatever the engine's
/// doubt: the list fixes what they spell, and an exact vocabulary word is rarely another one.
const VOUCHED_READING: f32 = 0.97;

/// The code table of province codes that open personal numbers.
const PROVINCE_CODES: &str = "ma_tinh";
/// Confidence of a personal or document number that opens with no province's code and no
/// other reading of its figures does.
const ID_NO_PROVINCE: f32 = 0.5;

/// The register field whose year is the book's.
const REGISTRATION_DATE: &str = "ngayDangKy";

/// The `book.toml` key naming the book's form edition (an id of `schemas/editions`, or
/// `unknown` to read its labels by meaning alone).
pub const BOOK_EDITION_KEY: &str = "edition";
/// What `book.toml`'s `edition` says for a form no edition file describes.
pub const UNKNOWN_EDITION: &str = "unknown";
/// An entry is an edition's when that edition prints at least this share of its labels.
const EDITION_SHARE: f32 = 0.8;

/// The registration date's words with a year one figure off the book's put right, when
/// they hold such a year.
fn in_book_year(field: &RawField, book_year: i32) -> Option<RawField> {
    let at = field
        .tokens
        .iter()
        .rposition(|t| t.text.chars().any(|c| c.is_ascii_digit()))?;
    let text = book_facts::with_book_year(&field.tokens[at].text, book_year)?;
    let mut fixed = field.clone();
    fixed.tokens[at].compact = fold_compact(&text);
    fixed.tokens[at].text = text;
    fixed.tokens[at].rival = None;
    Some(fixed)
}

/// Tunables of extraction.
#[derive(Debug, Clone)]
pub struct ExtractParams {
    pub layout: LayoutParams,
    /// A line without labels continues the value above it when the gap between the lines is
    /// at most this many line heights (wrapped places and notes).
    pub continuation_gap_lines: f32,
    /// A line without labels is a section heading when it matches a known heading this well.
    pub heading_similarity: f32,
}

impl Default for ExtractParams {
    fn default() -> Self {
        Self {
            layout: LayoutParams::default(),
            continuation_gap_lines: 0.9,
            heading_similarity: 0.75,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("register {0} has no schema in the schemas folder")]
    UnknownRegister(String),
    #[error("register {0} has no form edition in schemas/editions: its labels are unknown")]
    NoEditions(String),
}

/// A value's words as found under a label, before normalisation.
#[derive(Debug, Clone)]
struct RawField {
    key: String,
    tokens: Vec<Token>,
    style: ValueStyle,
    label_similarity: f32,
}

#[derive(Debug, Clone)]
struct RawEntry {
    fields: Vec<RawField>,
    bbox: BBox,
    /// Person whose section the reader is in.
    context: String,
    /// Per edition, how many of the entry's labels it prints.
    edition_votes: BTreeMap<String, usize>,
    /// Labels that gave the entry a field.
    labelled: usize,
    /// Labels no field took.
    unknown: Vec<LabelSeen>,
}

impl RawEntry {
    fn new(subject: &str) -> Self {
        Self {
            fields: Vec::new(),
            bbox: BBox::default(),
            context: subject.to_string(),
            edition_votes: BTreeMap::new(),
            labelled: 0,
            unknown: Vec::new(),
        }
    }
    fn has(&self, key: &str) -> bool {
        self.fields.iter().any(|f| f.key == key)
    }
}

/// Extracts entries of one register type; built once, shared by all worker threads.
pub struct Extractor {
    register: RegisterSchema,
    lexicon: Lexicon,
    normalizer: Normalizer,
    params: ExtractParams,
    unknown_codes: BTreeMap<String, String>,
    /// The fields each form edition prints, by edition id.
    printed: BTreeMap<String, Vec<String>>,
    /// What dates and numbers can be.
    plausible: figures::Plausible,
}

/// Field kinds whose value may wrap onto the next line.
fn wraps(kind: &FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::Place | FieldKind::Text | FieldKind::Authority | FieldKind::DateWords
    )
}

impl Extractor {
    pub fn new(
        schemas: &Schemas,
        register: &str,
        params: ExtractParams,
    ) -> Result<Self, ExtractError> {
        let reg = schemas
            .register(register)
            .ok_or_else(|| ExtractError::UnknownRegister(register.to_string()))?;
        let editions: Vec<&FormEdition> = schemas.editions_of(register).collect();
        if editions.is_empty() {
            return Err(ExtractError::NoEditions(register.to_string()));
        }
        let unknown_codes = reg
            .columns
            .iter()
            .filter_map(|c| match &c.kind {
                FieldKind::Code(t) => schemas
                    .codes
                    .table(t)
                    .and_then(|t| t.unknown_code.clone())
                    .map(|u| (c.key.clone(), u)),
                _ => None,
            })
            .collect();
        let printed = editions
            .iter()
            .map(|ed| (ed.id.clone(), ed.items().map(|i| i.field.clone()).collect()))
            .collect();
        let provinces = schemas
            .codes
            .table(PROVINCE_CODES)
            .map(|t| t.entries.iter().map(|e| e.code.clone()).collect())
            .unwrap_or_default();
        Ok(Self {
            plausible: figures::Plausible { provinces },
            printed,
            register: reg.clone(),
            lexicon: {
                let mut lexicon = Lexicon::build(reg, &editions, schemas.labels.get(register));
                let codes = &schemas.codes;
                let names = codes
                    .family_names
                    .iter()
                    .chain(&codes.middle_names)
                    .chain(&codes.given_names);
                lexicon.meaning = lexicon.meaning.map(|m| m.with_name_words(names));
                lexicon
            },
            normalizer: Normalizer::new(&schemas.codes),
            params,
            unknown_codes,
        })
    }

    pub fn register(&self) -> &RegisterSchema {
        &self.register
    }

    /// The fields an edition prints (none for an unknown edition).
    pub fn printed_fields(&self, edition: &str) -> &[String] {
        self.printed.get(edition).map_or(&[], Vec::as_slice)
    }

    /// Ids of the known editions, in id order.
    pub fn editions(&self) -> impl Iterator<Item = &str> {
        self.printed.keys().map(String::as_str)
    }

    /// Entries on a page, top to bottom.
    pub fn extract(&self, ocr: &OcrPage, book: &BookMeta) -> Vec<Entry> {
        let (raw_entries, page_fields, stray) = self.segment(ocr);
        // What the page's form prints, as its labels show: what an entry of an edition no
        // file describes must hold.
        let seen: BTreeSet<String> = raw_entries
            .iter()
            .flat_map(|e| e.fields.iter())
            .chain(page_fields.iter())
            .map(|f| f.key.clone())
            .collect();
        let mut entries: Vec<Entry> = raw_entries
            .into_iter()
            .enumerate()
            .map(|(i, raw)| self.finish(i as u32 + 1, raw, &page_fields, &seen, book))
            .collect();
        // Labels no field took above the first entry belong to the page: the first entry
        // carries them to the report.
        if let Some(first) = entries.first_mut() {
            first.unknown_labels.splice(0..0, stray);
        }
        entries
    }

    /// The edition an entry's labels are: `book.toml`'s `edition` when it names one (or
    /// `unknown`), else the edition that prints most of them, when it prints nearly all;
    /// empty when the labels are no known edition's (read by their meaning).
    fn edition_of(&self, raw: &RawEntry, book: &BookMeta) -> String {
        if let Some(named) = book.extra.get(BOOK_EDITION_KEY) {
            let named = named.trim();
            if self.printed.contains_key(named) {
                return named.to_string();
            }
            if named == UNKNOWN_EDITION {
                return String::new();
            }
        }
        let best = raw
            .edition_votes
            .iter()
            .max_by_key(|(id, n)| (**n, std::cmp::Reverse((*id).clone())));
        match best {
            Some((id, votes))
                if *votes as f32 >= EDITION_SHARE * raw.labelled as f32 && *votes > 0 =>
            {
                id.clone()
            }
            _ => String::new(),
        }
    }

    /// The fields a label might introduce, best first, for the report of labels no field
    /// took: readings of its words, and the edition wording its letters are closest to.
    fn guesses(&self, label: &str) -> Vec<(String, f32)> {
        let mut out: Vec<(String, f32)> = Vec::new();
        let mut add = |key: &str, score: f32| {
            let score = (score * 100.0).round() / 100.0;
            match out.iter_mut().find(|(k, _)| k == key) {
                Some(known) => known.1 = known.1.max(score),
                None => out.push((key.to_string(), score)),
            }
        };
        if let Some(meaning) = &self.lexicon.meaning {
            for r in meaning.readings(label).into_iter().take(3) {
                if let Some(c) = self.register.column_for(&r.role.0, &r.role.1) {
                    add(&c.key, r.score);
                }
            }
        }
        if let Some((i, sim)) = self.lexicon.best_label(&fold_compact(label)) {
            let form = &self.lexicon.labels[i];
            let first = form.roles.iter().next();
            let person = form.person.as_deref().or(first.map(|r| r.person.as_str()));
            if let (Some(r), Some(p)) = (first, person) {
                if let Some(c) = self.register.column_for(p, &r.role) {
                    add(&c.key, sim);
                }
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out.truncate(3);
        out
    }

    /// Chooses the template key a label's value belongs to.
    fn resolve_key(&self, form: &LabelForm, entry: &mut RawEntry) -> Option<(String, ValueStyle)> {
        // Most labels introduce one role; take the first listed for the rare exception.
        let first = form.roles.iter().next()?;
        let role = first.role.clone();
        let style = if form.roles.iter().any(|r| r.style == ValueStyle::Age) {
            ValueStyle::Age
        } else {
            first.style
        };
        if first.person == "register" || first.person == "foreign" {
            return self
                .register
                .column_for(&first.person, &role)
                .map(|c| (c.key.clone(), style));
        }
        let has_role = |p: &str| self.register.column_for(p, &role);
        if let Some(p) = &form.person {
            if let Some(c) = has_role(p) {
                entry.context = p.clone();
                return Some((c.key.clone(), style));
            }
        }
        if let Some(c) = has_role(&entry.context) {
            if !entry.has(&c.key) {
                return Some((c.key.clone(), style));
            }
        }
        // The section is already filled for this role: the next person in order.
        for p in &self.register.persons {
            if let Some(c) = has_role(p) {
                if !entry.has(&c.key) {
                    return Some((c.key.clone(), style));
                }
            }
        }
        None
    }

    /// Splits the page's lines into entries and page-level fields; also returns the labels
    /// no field took above the first entry.
    fn segment(&self, ocr: &OcrPage) -> (Vec<RawEntry>, Vec<RawField>, Vec<LabelSeen>) {
        let subject = self.register.subject.as_str();
        let mut entries: Vec<RawEntry> = Vec::new();
        let mut current: Option<RawEntry> = None;
        let mut page_fields: Vec<RawField> = Vec::new();
        let mut stray: Vec<LabelSeen> = Vec::new();
        // Where the last value went, for wrapped continuation lines.
        let mut last_value_line: Option<BBox> = None;

        for line in &lines::rejoin_split_lines(&ocr.lines) {
            let laid = lay_out(line, &self.lexicon, &self.params.layout);
            if laid.hits.is_empty() {
                let compact = fold_compact(&line.text());
                if let Some(entry) = current.as_mut() {
                    if let Some((h, s)) = self.lexicon.best_heading(&compact) {
                        if s >= self.params.heading_similarity {
                            entry.context = h.person.clone();
                            last_value_line = None;
                            continue;
                        }
                    }
                    let words = line.words.len();
                    if words <= 8 && !compact.chars().any(|c| c.is_ascii_digit()) {
                        if let Some(p) = self.lexicon.person_in(&line.text()) {
                            entry.context = p;
                            last_value_line = None;
                            continue;
                        }
                    }
                    if let Some(prev) = last_value_line {
                        let gap = line.bbox.y as f32 - prev.bottom() as f32;
                        let continues = gap <= self.params.continuation_gap_lines * prev.h as f32;
                        if continues {
                            if let Some(field) = entry.fields.last_mut() {
                                let kind = self.register.column(&field.key).map(|c| &c.kind);
                                if kind.is_some_and(wraps) {
                                    field.tokens.extend(laid.tokens.iter().cloned());
                                    entry.bbox = entry.bbox.union(&line.bbox);
                                    last_value_line = Some(line.bbox);
                                    continue;
                                }
                            }
                        }
                    }
                }
                last_value_line = None;
                continue;
            }

            for (i, hit) in laid.hits.iter().enumerate() {
                let value: Vec<Token> = laid.value_of(i).to_vec();
                let Some(form) = self.lexicon.form(&hit.label) else {
                    if let LabelRef::Unknown(label) = &hit.label {
                        let value: Vec<&str> = value.iter().map(|t| t.text.as_str()).collect();
                        let seen = LabelSeen {
                            guesses: self.guesses(label),
                            label: label.clone(),
                            value: value.join(" "),
                        };
                        match current.as_mut() {
                            Some(entry) => entry.unknown.push(seen),
                            None => stray.push(seen),
                        }
                    }
                    continue;
                };
                // A label known to carry no field of the register: its value is nobody's.
                if !form.carries_field() {
                    continue;
                }
                let starts = form.starts_entry(&self.lexicon);
                let register_level = form
                    .roles
                    .iter()
                    .all(|r| r.person == "register" || r.person == "foreign");
                // Page-level labels anywhere, and register fields above the first entry
                // (a volume printed in the page header), belong to every entry of the page.
                if !starts && (form.page_scope() || (current.is_none() && register_level)) {
                    if let Some(first) = form.roles.iter().next() {
                        if let Some(c) = self.register.column_for(&first.person, &first.role) {
                            page_fields.push(RawField {
                                key: c.key.clone(),
                                tokens: value,
                                style: first.style,
                                label_similarity: hit.similarity,
                            });
                        }
                    }
                    continue;
                }
                if starts || current.is_none() {
                    if let Some(done) = current.take() {
                        entries.push(done);
                    }
                    current = Some(RawEntry::new(subject));
                }
                let mut entry = current.take().expect("an entry is open");
                let mut resolved = self.resolve_key(form, &mut entry);
                // A register field seen twice means the label opening the next entry was
                // missed (garbled "Số"): start the next entry here.
                if let Some((key, _)) = &resolved {
                    let register_level = self
                        .register
                        .column(key)
                        .is_some_and(|c| c.person == "register");
                    if entry.has(key) && register_level {
                        entries.push(entry);
                        entry = RawEntry::new(subject);
                        resolved = self.resolve_key(form, &mut entry);
                    }
                }
                if let Some((key, style)) = resolved {
                    if !entry.has(&key) {
                        for ed in &form.editions {
                            *entry.edition_votes.entry(ed.clone()).or_default() += 1;
                        }
                        entry.labelled += 1;
                        entry.fields.push(RawField {
                            key,
                            tokens: value,
                            style,
                            label_similarity: hit.similarity,
                        });
                    }
                }
                entry.bbox = entry.bbox.union(&line.bbox);
                current = Some(entry);
            }
            last_value_line = Some(line.bbox);
        }
        if let Some(done) = current {
            entries.push(done);
        }
        // An "entry" holding only a stray register field is noise (a header line the
        // page-level vocabulary did not know), not a register entry; labels no field took in
        // it go to the page.
        entries.retain(|e| {
            let kept = e.fields.iter().any(|f| {
                self.register
                    .column(&f.key)
                    .is_some_and(|c| c.person != "register")
            });
            if !kept {
                stray.extend(e.unknown.iter().cloned());
            }
            kept
        });
        (entries, page_fields, stray)
    }

    /// How sure the reading of a value is: its least sure token. The engine's doubt counts
    /// for the letters no list confirms, and its other reading of a letter only when that
    /// reading would give another valid value ("UEND" and "UBND", "tám" and "tấm", "1" and
    /// "I" in a number give the same one).
    ///
    /// Also returns the value the strongest such other reading gives.
    fn reading_certainty(
        &self,
        raw: &RawField,
        kind: &FieldKind,
        norm: &Normalized,
        ctx: &NormalizeContext,
    ) -> (f32, Option<String>) {
        let text_with = |i: usize, other: &str| {
            let words: Vec<&str> = raw
                .tokens
                .iter()
                .enumerate()
                .map(|(j, t)| if j == i { other } else { t.text.as_str() })
                .collect();
            words.join(" ")
        };
        let mut certainty = 1.0f32;
        let mut other_reading: Option<(String, f32)> = None;
        for (i, t) in raw.tokens.iter().enumerate() {
            if t.compact.is_empty() {
                continue;
            }
            let mut conf = t.conf;
            if let Some((other, rival_conf)) = &t.rival {
                let alt = self.normalizer.normalize(kind, &text_with(i, other), ctx);
                if !alt.value.is_empty() && alt.value != norm.value {
                    conf = conf.min(1.0 - rival_conf);
                    if other_reading.as_ref().is_none_or(|(_, c)| rival_conf > c) {
                        other_reading = Some((alt.value, *rival_conf));
                    }
                }
            }
            if norm.vouched.covers(&t.compact) {
                conf = conf.max(VOUCHED_READING);
            }
            certainty = certainty.min(conf);
        }
        (certainty, other_reading.map(|(v, _)| v))
    }

    fn normalize_field(
        &self,
        raw: &RawField,
        registration_year: Option<i32>,
        authority: Option<&str>,
    ) -> Option<(FieldValue, Option<(String, String)>)> {
        let col = self.register.column(&raw.key)?;
        let text: Vec<&str> = raw.tokens.iter().map(|t| t.text.as_str()).collect();
        let text = text.join(" ");
        if text.trim().is_empty() {
            return None;
        }
        let ctx = NormalizeContext {
            style: raw.style,
            registration_year,
            authority,
        };
        let norm = self.normalizer.normalize(&col.kind, &text, &ctx);
        if norm.value.is_empty() && norm.fit == 0.0 && text.chars().all(|c| !c.is_alphanumeric()) {
            return None;
        }
        let (ocr_conf, mut other_reading) = self.reading_certainty(raw, &col.kind, &norm, &ctx);
        let mut norm = norm;
        let mut swapped_for_authority = false;
        // Figures read as no possible value: the likeliest reading with the engine's other
        // figures that gives one. Another possible value from them is the other reading.
        let mut from_figure_rivals = false;
        let mut implausible_number = false;
        if figures::applies(&col.kind) {
            let plausible = self.plausible.check(&col.kind, &norm, &ctx);
            if !plausible || other_reading.is_none() {
                let found = figures::readings(&raw.tokens)
                    .into_iter()
                    .find_map(|words| {
                        let alt = self.normalizer.normalize(&col.kind, &words.join(" "), &ctx);
                        let differs = alt.value != norm.value;
                        (differs && self.plausible.check(&col.kind, &alt, &ctx)).then_some(alt)
                    });
                match found {
                    Some(alt) if plausible => other_reading = Some(alt.value),
                    Some(alt) => {
                        let read = std::mem::replace(&mut norm, alt).value;
                        other_reading = (!read.is_empty()).then_some(read);
                        from_figure_rivals = true;
                    }
                    None => implausible_number = !plausible && col.kind != FieldKind::Date,
                }
            }
        }
        // A place whose other reading names more of the book's own units than the reading
        // ("Phường 8" read where the other reading says the authority's "Phường 6") takes the
        // other reading, doubted: most addresses of a book are in its own commune.
        if col.kind == FieldKind::Place {
            if let (Some(other), Some(authority)) = (other_reading.clone(), authority) {
                let own = |t: &str| crate::normalize::authority_units_named(t, authority);
                if own(&other) > own(&norm.value) {
                    other_reading = Some(std::mem::replace(&mut norm.value, other));
                    swapped_for_authority = true;
                }
            }
        }
        // A label read with doubt makes the assignment of its value doubtful too.
        let label_factor = (raw.label_similarity + 0.15).min(1.0);
        let mut confidence = (norm.fit * ocr_conf * label_factor).clamp(0.0, 1.0);
        if swapped_for_authority {
            confidence = confidence.min(FIT_OTHER_READING_OWN_UNIT);
        }
        if from_figure_rivals {
            confidence = confidence.min(figures::FIT_FIGURE_RIVAL);
        }
        if implausible_number {
            confidence = confidence.min(ID_NO_PROVINCE);
        }
        let bbox = BBox::union_all(raw.tokens.iter().map(|t| &t.bbox));
        let value = FieldValue {
            raw: text,
            value: norm.value,
            confidence,
            bbox: Some(bbox),
            source: ValueSource::Page,
            other_reading,
        };
        let companion = norm.companion.and_then(|(role, v)| {
            self.register
                .column_for(&col.person, &role)
                .map(|c| (c.key.clone(), v))
        });
        Some((value, companion))
    }

    fn finish(
        &self,
        index: u32,
        raw: RawEntry,
        page_fields: &[RawField],
        seen: &BTreeSet<String>,
        book: &BookMeta,
    ) -> Entry {
        let mut fields: BTreeMap<String, FieldValue> = BTreeMap::new();
        let mut findings = Vec::new();
        // Registration year first: an age on the page turns into a birth year with it. A
        // year one figure off the book's is the book's, misread.
        let registration = raw.fields.iter().find(|f| f.key == REGISTRATION_DATE);
        let read_year = registration
            .and_then(|f| self.normalize_field(f, None, None))
            .and_then(|(v, _)| parse_date(&v.value))
            .map(|(d, _)| d.year);
        let registration_fix = registration
            .filter(|_| read_year != Some(book.year))
            .and_then(|f| in_book_year(f, book.year));
        let reg_year = match (&registration_fix, read_year) {
            (Some(_), _) | (None, None) => Some(book.year),
            (None, year) => year,
        };
        let mut bbox = raw.bbox;
        let page_only = page_fields.iter().filter(|pf| !raw.has(&pf.key));
        for f in raw.fields.iter().chain(page_only) {
            if fields.contains_key(&f.key) {
                continue;
            }
            let fixed = registration_fix.as_ref().filter(|r| r.key == f.key);
            if let Some((mut value, companion)) =
                self.normalize_field(fixed.unwrap_or(f), reg_year, Some(&book.authority))
            {
                if fixed.is_some() {
                    // The year as read is no candidate: the book rules it out.
                    value.raw = f
                        .tokens
                        .iter()
                        .map(|t| t.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    value.other_reading = None;
                    value.confidence = value.confidence.min(book_facts::FIT_FROM_BOOK);
                }
                if let Some(b) = value.bbox {
                    bbox = bbox.union(&b);
                }
                // An age gives the birth year only by the registration year, one year early
                // when the birthday had not come: derived, never read.
                if f.style == ValueStyle::Age && !value.value.is_empty() {
                    value.source = ValueSource::Derived;
                    let detail = format!(
                        "{} - {}",
                        reg_year.map(|y| y.to_string()).unwrap_or_default(),
                        value.raw.trim()
                    );
                    findings
                        .push(crate::validate::messages::YEAR_FROM_AGE.finding(&f.key, &detail));
                }
                fields.insert(f.key.clone(), value.clone());
                if let Some((key, v)) = companion {
                    fields.entry(key).or_insert(FieldValue {
                        raw: value.raw.clone(),
                        value: v,
                        other_reading: None,
                        ..value
                    });
                }
            }
        }
        self.cross_check_twins(&mut fields);
        self.check_id_province(&mut fields, book);
        for col in &self.register.columns {
            if col.book_default.as_deref() != Some("volume") {
                continue;
            }
            if let Some(f) = fields.get_mut(&col.key) {
                book_facts::agree_with_volume(f, &book.volume);
            }
        }
        self.complete(&mut fields, book);
        let edition = self.edition_of(&raw, book);
        let printed = if edition.is_empty() {
            seen.iter().cloned().collect()
        } else {
            Vec::new()
        };
        Entry {
            index,
            bbox,
            fields,
            findings,
            status: EntryStatus::Review,
            confidence: 0.0,
            edition,
            printed,
            unknown_labels: raw.unknown,
        }
    }

    /// A date and its spelled-out twin ("Ghi bằng chữ") are two readings of one fact: when they
    /// agree both are sure; when the figures are missing or unreadable the words give them.
    /// Disagreement is left for validation to report.
    fn cross_check_twins(&self, fields: &mut BTreeMap<String, FieldValue>) {
        for rule in &self.register.rules {
            let Check::WordsMatchDate {
                a: words_key,
                b: date_key,
            } = &rule.check
            else {
                continue;
            };
            let words = fields
                .get(words_key)
                .and_then(|w| parse_date_words(&w.value).or_else(|| parse_date_words(&w.raw)));
            let Some((words_date, _)) = words else {
                continue;
            };
            let figures = fields.get(date_key).and_then(|d| parse_date(&d.value));
            match figures {
                Some((date, _)) if date == words_date => {
                    let best = fields[words_key]
                        .confidence
                        .max(fields[date_key].confidence);
                    // Two independent readings agreeing: at least as sure as the surer one.
                    let agreed = best.max(0.99);
                    if let Some(f) = fields.get_mut(date_key) {
                        f.confidence = agreed;
                    }
                    if let Some(f) = fields.get_mut(words_key) {
                        f.confidence = f.confidence.max(best);
                    }
                }
                None => {
                    let w = &fields[words_key];
                    let value = FieldValue {
                        raw: fields
                            .get(date_key)
                            .map(|d| d.raw.clone())
                            .unwrap_or_default(),
                        value: words_date.to_string(),
                        confidence: w.confidence * 0.95,
                        bbox: w.bbox,
                        source: ValueSource::Derived,
                        other_reading: None,
                    };
                    fields.insert(date_key.clone(), value);
                }
                Some(_) => {}
            }
        }
    }

    /// The personal ID number given at birth registration opens with the code of the province
    /// that registered the birth (domain reference 6): the subject's number in a book whose
    /// `book.toml` gives `province_code` must open with it. Another code is a misread digit
    /// ("058" read for "056"), so the number goes to review.
    fn check_id_province(&self, fields: &mut BTreeMap<String, FieldValue>, book: &BookMeta) {
        let Some(code) = book.extra.get("province_code") else {
            return;
        };
        let Ok(code) = code.trim().parse::<u32>() else {
            return;
        };
        let prefix = format!("{code:03}");
        for col in &self.register.columns {
            if col.kind != FieldKind::IdNumber || col.person != self.register.subject {
                continue;
            }
            if let Some(f) = fields.get_mut(&col.key) {
                let twelve = f.value.len() == 12 && f.value.chars().all(|c| c.is_ascii_digit());
                if twelve && !f.value.starts_with(&prefix) {
                    // The child's number begins with the code of the province that registers
                    // the birth: one digit off it is a misread digit ("058" for "056"), put
                    // right; either way a reviewer looks.
                    let off = f.value[..3].chars().zip(prefix.chars());
                    if off.filter(|(a, b)| a != b).count() == 1 {
                        f.value = format!("{prefix}{}", &f.value[3..]);
                    }
                    f.confidence = f.confidence.min(ID_OTHER_PROVINCE);
                }
            }
        }
    }

    /// Fills what the page does not print: `book.toml` defaults, documented derivations and
    /// the "unknown" code of required code columns.
    fn complete(&self, fields: &mut BTreeMap<String, FieldValue>, book: &BookMeta) {
        for col in &self.register.columns {
            let missing = fields.get(&col.key).is_none_or(|f| f.value.is_empty());
            if !missing {
                continue;
            }
            if let Some(book_key) = &col.book_default {
                if let Some(v) = book.get(book_key).filter(|v| !v.is_empty()) {
                    fields.insert(col.key.clone(), FieldValue::from_book(v));
                    continue;
                }
            }
        }
        for d in &self.register.derived {
            match d {
                Derivation::ParentsKnown {
                    field,
                    mother,
                    father,
                    codes,
                } => {
                    if fields.get(field).is_some_and(|f| !f.value.is_empty()) {
                        continue;
                    }
                    let named = |k: &str| fields.get(k).is_some_and(|f| !f.value.is_empty());
                    let code = match (named(mother), named(father)) {
                        (true, true) => &codes[0],
                        (false, true) => &codes[1],
                        (true, false) => &codes[2],
                        (false, false) => &codes[3],
                    };
                    fields.insert(field.clone(), FieldValue::derived(code.clone(), 1.0));
                }
            }
        }
        for (key, code) in &self.unknown_codes {
            let required = self
                .register
                .column(key)
                .is_some_and(|c| c.require == crate::schema::Requirement::Always);
            if required && !fields.contains_key(key) {
                fields.insert(key.clone(), FieldValue::derived(code.clone(), 1.0));
            }
        }
    }
}

#[cfg(test)]
mod tests;
