//! The types that flow between pipeline stages. Every stage takes the previous stage's type and
//! returns its own; none reaches backwards. A [`PageResult`] is the durable unit: it is what the
//! page store keeps, what reruns replace and what later corrections will attach to.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Identifies one page: the book folder name and the 1-based position in natural sort order
/// (a multi-page TIFF contributes one page per frame).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PageKey {
    pub book_id: String,
    pub page: u32,
}

impl fmt::Display for PageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.book_id, self.page)
    }
}

/// Where a page comes from on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageSource {
    pub key: PageKey,
    /// Path of the image file relative to the scans root, `/`-separated (for a name that is not
    /// UTF-8, as shown, with `file_bytes` holding the real one).
    pub file: String,
    /// The relative path's bytes, hex, only when a name in it is not UTF-8 (old Windows-1258 or
    /// TCVN3 file names copied from a Windows machine): what opens the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_bytes: Option<String>,
    /// Frame index inside a multi-page TIFF, 0 for single images.
    pub frame: u32,
    /// SHA-256 of the image file's bytes (hex); a changed file is re-read on the next run.
    pub sha256: String,
}

/// An axis-aligned box in pixels of the original page image (before deskewing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BBox {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

impl BBox {
    pub fn new(x: u32, y: u32, w: u32, h: u32) -> Self {
        Self { x, y, w, h }
    }
    pub fn right(&self) -> u32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> u32 {
        self.y + self.h
    }
    pub fn center_y(&self) -> f32 {
        self.y as f32 + self.h as f32 / 2.0
    }
    /// Smallest box holding both.
    pub fn union(&self, other: &BBox) -> BBox {
        if self.w == 0 && self.h == 0 {
            return *other;
        }
        if other.w == 0 && other.h == 0 {
            return *self;
        }
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        let r = self.right().max(other.right());
        let b = self.bottom().max(other.bottom());
        BBox::new(x, y, r - x, b - y)
    }
    /// Smallest box holding every box of the iterator (empty box for none).
    pub fn union_all<'a>(boxes: impl IntoIterator<Item = &'a BBox>) -> BBox {
        boxes
            .into_iter()
            .fold(BBox::default(), |acc, b| acc.union(b))
    }
    /// Length of the vertical overlap of two boxes.
    pub fn vertical_overlap(&self, other: &BBox) -> u32 {
        let top = self.y.max(other.y);
        let bottom = self.bottom().min(other.bottom());
        bottom.saturating_sub(top)
    }
}

/// One word as the OCR engine read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OcrWord {
    pub text: String,
    /// Box in original page coordinates.
    pub bbox: BBox,
    /// Engine confidence of the word in 0..=1.
    pub conf: f32,
    /// Lowest engine confidence among the word's letters and digits, 0..=1; `None` in page
    /// results written before it was recorded, and for words without letters or digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letters_conf: Option<f32>,
    /// The word as the engine's strongest other reading of one of its letters spells it
    /// ("Thượng" beside "Thương"), for the reviewer; `None` when it saw no other reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rival: Option<String>,
    /// Confidence of that reading (0..=1, 0 when there is none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rival_conf: f32,
    /// Figures of `text` the engine also read as another figure, with that reading's
    /// confidence: what a date or number could be when its reading is no valid one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figure_rivals: Vec<FigureRival>,
}

/// Another figure the engine saw at one position of a word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureRival {
    /// Character index in the word's text.
    pub at: u32,
    pub figure: char,
    /// 0..=1.
    pub conf: f32,
}

fn is_zero(v: &f32) -> bool {
    *v == 0.0
}

/// Words on one visual line, left to right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OcrLine {
    pub words: Vec<OcrWord>,
    pub bbox: BBox,
}

impl OcrLine {
    pub fn text(&self) -> String {
        self.words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What the OCR stage hands to extraction: lines top to bottom, in original page coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct OcrPage {
    pub width: u32,
    pub height: u32,
    /// Angle the page was rotated by to straighten it (degrees, counter-clockwise positive).
    pub skew_degrees: f32,
    pub lines: Vec<OcrLine>,
    /// Mean word confidence (0..=1) over the page.
    pub mean_conf: f32,
    /// Share of recognised characters that look like junk (dotted leaders, noise); 0..=1.
    pub junk_ratio: f32,
    /// Degrees the scan was turned clockwise to stand upright (0, 90, 180, 270): boxes are on
    /// the page as turned (`preprocess::orientation::Turn::box_on_scan` maps them back).
    #[serde(default, skip_serializing_if = "is_zero_turn")]
    pub turned_degrees: u16,
    /// What the image decoder found wrong with the file though it gave a picture (a JPEG cut
    /// short, its lower part grey): the page's entries go to review with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_warnings: Vec<String>,
}

fn is_zero_turn(v: &u16) -> bool {
    *v == 0
}

/// Where a field's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// Read from the page.
    #[default]
    Page,
    /// Taken from `book.toml` because the page does not print it.
    Book,
    /// Derived by a documented rule from other fields (e.g. the birth case from the parents).
    Derived,
    /// Set by a person (a correction, a keyed value, "illegible"): see `FieldValue::set_by`.
    Person,
}

/// One extracted field of an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldValue {
    /// Text as read (after joining the words), before normalisation.
    pub raw: String,
    /// Normalised value in template form (dates `dd.mm.yyyy`, codes as digits...).
    pub value: String,
    /// 0..=1; combines OCR confidence with how well the value fits its kind.
    pub confidence: f32,
    /// Where the value stands on the page image, when read from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    #[serde(default)]
    pub source: ValueSource,
    /// The value the engine's strongest other reading of a letter would give, when that is
    /// another valid value ("1960" beside "1980"): what a rule may prefer, what a reviewer
    /// is offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_reading: Option<String>,
}

impl FieldValue {
    pub fn from_book(value: impl Into<String>) -> Self {
        let value = value.into();
        Self {
            raw: value.clone(),
            value,
            confidence: 1.0,
            bbox: None,
            source: ValueSource::Book,
            other_reading: None,
        }
    }
    pub fn derived(value: impl Into<String>, confidence: f32) -> Self {
        let value = value.into();
        Self {
            raw: String::new(),
            value,
            confidence,
            bbox: None,
            source: ValueSource::Derived,
            other_reading: None,
        }
    }
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Noted for the reviewer; does not change the status.
    Info,
    /// Doubtful: a person must look before import.
    Review,
    /// A rule fails: the entry cannot be imported as it is.
    Error,
}

/// A problem found on an entry, with a stable code and messages in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    /// Template key of the field concerned, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message_vi: String,
    pub message_en: String,
}

impl Finding {
    /// `CODE(field)` for the records file's `findings` column.
    pub fn short(&self) -> String {
        match &self.field {
            Some(f) => format!("{}({})", self.code, f),
            None => self.code.clone(),
        }
    }
}

/// Review status of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// Complete, valid and confident: goes to the import files.
    Auto,
    /// Something is doubtful: a person must look.
    Review,
    /// A rule fails, or a person rejected the entry (finding `PERSON-REJECTED`).
    Rejected,
    /// Every doubt was settled by a person (corrections journal): importable.
    Reviewed,
}

impl EntryStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            EntryStatus::Auto => "auto",
            EntryStatus::Review => "review",
            EntryStatus::Rejected => "rejected",
            EntryStatus::Reviewed => "reviewed",
        }
    }

    /// Whether the entry goes to the import files: read with confidence, or settled by people.
    pub fn importable(&self) -> bool {
        matches!(self, EntryStatus::Auto | EntryStatus::Reviewed)
    }
}

/// One register entry found on a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// 1-based position on the page, top to bottom.
    pub index: u32,
    /// Region of the page the entry covers.
    pub bbox: BBox,
    /// Extracted fields by template key.
    pub fields: BTreeMap<String, FieldValue>,
    pub findings: Vec<Finding>,
    pub status: EntryStatus,
    /// Lowest confidence over the required fields (1 when none is present).
    pub confidence: f32,
    /// Form edition whose labels matched best; empty when the entry's labels are no known
    /// edition's (read by what they mean).
    #[serde(default)]
    pub edition: String,
    /// The fields the entry's form prints, as its page shows them, when its edition is none
    /// of the known ones: a field outside them is not missing, one inside them is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub printed: Vec<String>,
    /// What was printed as a label on the entry's lines ("Nghề nghiệp: ...") that no field
    /// took, with the fields it might be: for the operator to map in `schemas/labels/`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_labels: Vec<LabelSeen>,
}

/// A label on the page that no field took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelSeen {
    /// As read.
    pub label: String,
    /// The value printed after it, as read.
    pub value: String,
    /// The fields it might be, best first, with how well its words or letters fit (0..=1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guesses: Vec<(String, f32)>,
}

impl Entry {
    /// An `auto` entry holding these values as if taken from `book.toml`, with no finding:
    /// for entries built outside OCR (hand-keyed rows, tests).
    pub fn from_values<K: Into<String>, V: Into<String>>(
        index: u32,
        values: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Entry {
            index,
            bbox: Default::default(),
            fields: values
                .into_iter()
                .map(|(k, v)| (k.into(), FieldValue::from_book(v)))
                .collect(),
            findings: vec![],
            status: EntryStatus::Auto,
            confidence: 1.0,
            edition: String::new(),
            printed: Vec::new(),
            unknown_labels: Vec::new(),
        }
    }

    /// Adds a finding found after validation (across a book, against the registry) and lowers
    /// the status to match: an error rejects the entry, a review finding sends an `auto` entry
    /// to review; info changes nothing.
    pub fn add_finding(&mut self, finding: Finding) {
        match finding.severity {
            Severity::Error => self.status = EntryStatus::Rejected,
            Severity::Review if self.status == EntryStatus::Auto => {
                self.status = EntryStatus::Review
            }
            _ => {}
        }
        self.findings.push(finding);
    }

    pub fn value(&self, key: &str) -> Option<&str> {
        self.fields
            .get(key)
            .map(|f| f.value.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// The pipeline stage a failure happened in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Decode,
    Preprocess,
    Ocr,
    Extract,
    Validate,
}

impl Stage {
    pub fn as_str(&self) -> &'static str {
        match self {
            Stage::Decode => "decode",
            Stage::Preprocess => "preprocess",
            Stage::Ocr => "ocr",
            Stage::Extract => "extract",
            Stage::Validate => "validate",
        }
    }
}

/// How processing a page ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PageOutcome {
    Done { entries: Vec<Entry> },
    Failed { stage: Stage, reason: String },
}

/// Milliseconds spent per stage on a page.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct StageTimes {
    pub decode_ms: u64,
    pub preprocess_ms: u64,
    pub ocr_ms: u64,
    pub extract_ms: u64,
}

/// The durable result of one page: what the store keeps and the outputs are rebuilt from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageResult {
    /// Format version of this record; a record of another version is redone.
    pub format: u32,
    pub source: PageSource,
    /// Hash of what shaped the OCR (engine model, preparation and OCR settings): when it and
    /// the image are unchanged, the stored OCR words are reused.
    pub ocr_settings: String,
    /// Hash of what shaped extraction and validation (schemas, book.toml, parameters): when it
    /// changes too, the page is re-extracted from its stored words without new OCR.
    pub extract_settings: String,
    #[serde(flatten)]
    pub outcome: PageOutcome,
    #[serde(default)]
    pub times: StageTimes,
    /// The words read, kept so every value can be traced to its box and re-extracted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<OcrPage>,
}

impl PageResult {
    pub const FORMAT: u32 = 1;

    pub fn entries(&self) -> &[Entry] {
        match &self.outcome {
            PageOutcome::Done { entries } => entries,
            PageOutcome::Failed { .. } => &[],
        }
    }
    pub fn is_failed(&self) -> bool {
        matches!(self.outcome, PageOutcome::Failed { .. })
    }
}
