//! A register type: its template columns and the rules its entries must satisfy.

use super::CodeTables;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a column's value is read, normalised and checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// Running row number in the import file (`STT`).
    RowNumber,
    /// Register number or volume as written (`12`, `01/2018`).
    Identifier,
    Integer,
    /// Full or partial date, emitted `dd.mm.yyyy`, `mm.yyyy` or `yyyy`.
    Date,
    /// A date spelled out in words, kept as written.
    DateWords,
    /// A code from the named table in `schemas/codes`.
    Code(String),
    /// The registering authority as written.
    Authority,
    /// A person's full name.
    Name,
    /// Free text.
    Text,
    /// A place as written.
    Place,
    /// 12-digit personal identification number (domain reference 5.1).
    IdNumber,
    /// Number of an identity document of any type.
    DocumentNumber,
    Ethnicity,
    Nationality,
    /// Relationship word (cha, mẹ, ông nội...).
    Kinship,
    /// An officer's title ("Chủ tịch"), from the `chuc_vu` table; an unknown title is kept.
    Title,
}

impl FieldKind {
    pub fn parse(s: &str) -> Result<FieldKind, String> {
        Ok(match s {
            "row_number" => FieldKind::RowNumber,
            "identifier" => FieldKind::Identifier,
            "integer" => FieldKind::Integer,
            "date" => FieldKind::Date,
            "date_words" => FieldKind::DateWords,
            "authority" => FieldKind::Authority,
            "name" => FieldKind::Name,
            "text" => FieldKind::Text,
            "place" => FieldKind::Place,
            "id_number" => FieldKind::IdNumber,
            "document_number" => FieldKind::DocumentNumber,
            "ethnicity" => FieldKind::Ethnicity,
            "nationality" => FieldKind::Nationality,
            "kinship" => FieldKind::Kinship,
            "title" => FieldKind::Title,
            other => match other.strip_prefix("code:") {
                Some(t) if !t.is_empty() => FieldKind::Code(t.to_string()),
                _ => return Err(format!("unknown field kind \"{other}\"")),
            },
        })
    }
}

impl<'de> Deserialize<'de> for FieldKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        FieldKind::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for FieldKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = match self {
            FieldKind::RowNumber => "row_number".to_string(),
            FieldKind::Identifier => "identifier".into(),
            FieldKind::Integer => "integer".into(),
            FieldKind::Date => "date".into(),
            FieldKind::DateWords => "date_words".into(),
            FieldKind::Code(t) => format!("code:{t}"),
            FieldKind::Authority => "authority".into(),
            FieldKind::Name => "name".into(),
            FieldKind::Text => "text".into(),
            FieldKind::Place => "place".into(),
            FieldKind::IdNumber => "id_number".into(),
            FieldKind::DocumentNumber => "document_number".into(),
            FieldKind::Ethnicity => "ethnicity".into(),
            FieldKind::Nationality => "nationality".into(),
            FieldKind::Kinship => "kinship".into(),
            FieldKind::Title => "title".into(),
        };
        s.serialize_str(&text)
    }
}

/// Whether a column must be filled for an importable row (domain reference 1.3 legend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// R: must be present.
    Always,
    /// R*: expected, but old books often lack it.
    Expected,
    /// C: depends on another field (e.g. parent fields when the parent is known).
    Conditional,
    /// O: optional.
    Optional,
}

/// One column of the import template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The camelCase key (header up to the first space or line feed).
    pub key: String,
    /// The exact header string of the template, written byte for byte.
    pub header: String,
    /// `register`, one of the register's persons, or `foreign`.
    pub person: String,
    /// The field's role, shared across persons (`HoTen`, `NgaySinh`...).
    pub role: String,
    pub kind: FieldKind,
    pub require: Requirement,
    /// Key of `book.toml` to take the value from when the page does not print it.
    #[serde(default)]
    pub book_default: Option<String>,
    /// Other keys a workbook's header may carry for this column (another generation of the
    /// template or another contractor's tool: `noiDangKyUBND` for `noiDangKy`). Matched like
    /// the key; never written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

impl Column {
    /// Whether a header's leading key (case already folded by the caller or not) names this
    /// column: its key or one of its aliases, compared case-insensitively.
    pub fn answers_to(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(key))
    }
}

/// How an age limit of a law is counted (domain reference 6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeCount {
    /// `age` completed years, day for day ("từ đủ 20 tuổi", Luật HN&GĐ 2014).
    Full,
    /// The person has entered the `age`-th year of life, i.e. completed `age - 1` years
    /// ("đã bước sang tuổi hai mươi", NQ 02/2000/NQ-HĐTP).
    Entered,
}

/// One era of a minimum-age law: in force from `from` (`yyyy-mm-dd`) until the next era.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeEra {
    pub from: String,
    pub age: i32,
    pub counted: AgeCount,
}

impl AgeEra {
    /// Completed years a person needs under this era.
    pub fn completed_years(&self) -> i32 {
        match self.counted {
            AgeCount::Full => self.age,
            AgeCount::Entered => self.age - 1,
        }
    }
}

/// What a rule checks. Field names are template keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// Date `a` is not after date `b`.
    NotAfter { a: String, b: String },
    /// Date `a` is before date `b` (a same partial year is not a failure).
    Before { a: String, b: String },
    /// Date `a` is not after today.
    NotInFuture { a: String },
    /// `a` is a valid 12-digit personal number agreeing with the person's sex and birth year.
    IdNumber {
        a: String,
        #[serde(default)]
        sex: Option<String>,
        #[serde(default)]
        sex_value: Option<String>,
        #[serde(default)]
        birth: Option<String>,
    },
    /// The date in words `a` says the same date as `b`.
    WordsMatchDate { a: String, b: String },
    /// Years between birth `a` and event `b` lie in `min..=max`.
    AgeBetween {
        a: String,
        b: String,
        min: i32,
        max: i32,
    },
    /// When `code_field` is `code_value`, days from `a` to `b` stay within the deadline of
    /// the era (the last era starting on or before `b`).
    Deadline {
        a: String,
        b: String,
        code_field: String,
        code_value: String,
        eras: Vec<(String, i64)>,
    },
    /// When `a` has a case value, every field of the listed person is empty.
    EmptyWhen {
        a: String,
        cases: Vec<(String, String)>,
    },
    /// `a` and `b` differ (compared after folding).
    Differ { a: String, b: String },
    /// Where `a` and `b` fold alike (the same name), they carry the same marks: a name
    /// written twice in an entry and read two ways was misread once.
    SameMarks { a: String, b: String },
    /// The person born on `birth` was of the legal age of the era in force on the first date
    /// of `at` that is filled (e.g. the date the marriage was established, else the
    /// registration date). Partial dates fail only when every day they may stand for fails;
    /// before the first era nothing is said.
    LegalAge {
        birth: String,
        at: Vec<String>,
        eras: Vec<AgeEra>,
    },
    /// When `a` is filled (with one of `values`, or with anything when `values` is empty),
    /// `b` is filled too: the document's name when its type is "other" (8), the type when a
    /// number is given.
    Requires {
        a: String,
        #[serde(default)]
        values: Vec<String>,
        b: String,
    },
    /// The number `a` of an identity document fits the type in `doc_type` (domain reference
    /// 5.2): a CMND (1) has 9 or 12 digits, a CCCD (4) 12; a 12-digit number is a personal
    /// number whose structure agrees with the person's sex and birth year. Other types (a
    /// foreign passport...) are not checked.
    DocumentNumber {
        a: String,
        doc_type: String,
        #[serde(default)]
        sex: Option<String>,
        #[serde(default)]
        sex_value: Option<String>,
        #[serde(default)]
        birth: Option<String>,
    },
    /// `a` is filled only when `b` holds one of `values`: the foreign registration's number
    /// only on entries recording a registration made abroad.
    OnlyWhen {
        a: String,
        b: String,
        values: Vec<String>,
    },
}

impl Check {
    /// Template keys the check reads.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Check::NotAfter { a, b }
            | Check::Before { a, b }
            | Check::WordsMatchDate { a, b }
            | Check::AgeBetween { a, b, .. }
            | Check::Differ { a, b }
            | Check::SameMarks { a, b } => vec![a, b],
            Check::NotInFuture { a } | Check::EmptyWhen { a, .. } => vec![a],
            Check::IdNumber { a, sex, birth, .. } => {
                let mut v = vec![a.as_str()];
                v.extend(sex.as_deref());
                v.extend(birth.as_deref());
                v
            }
            Check::Deadline {
                a, b, code_field, ..
            } => vec![a, b, code_field],
            Check::LegalAge { birth, at, .. } => {
                let mut v = vec![birth.as_str()];
                v.extend(at.iter().map(String::as_str));
                v
            }
            Check::Requires { a, b, .. } | Check::OnlyWhen { a, b, .. } => vec![a, b],
            Check::DocumentNumber {
                a,
                doc_type,
                sex,
                birth,
                ..
            } => {
                let mut v = vec![a.as_str(), doc_type.as_str()];
                v.extend(sex.as_deref());
                v.extend(birth.as_deref());
                v
            }
        }
    }
}

/// A rule with its stable code and messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub code: String,
    #[serde(flatten)]
    pub check: Check,
    pub severity: crate::page::Severity,
    pub vi: String,
    pub en: String,
}

/// A register type as described in `schemas/registers/<CODE>.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterSchema {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// Data sheet of the import workbook.
    pub sheet: String,
    #[serde(default)]
    pub legend_sheet: Option<String>,
    /// Persons an entry describes, in the order the template lists them.
    pub persons: Vec<String>,
    /// The person the register is about (the child for births).
    pub subject: String,
    pub columns: Vec<Column>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Words in a printed label that say whose value follows ("mẹ", "người đi khai sinh"),
    /// by person. A label with none of them is about the person of its section.
    #[serde(default)]
    pub person_words: BTreeMap<String, Vec<String>>,
    /// Fields derived by documented rules from other fields.
    #[serde(default)]
    pub derived: Vec<Derivation>,
    /// True for a register whose columns are sohoa's own design because no public template
    /// was found (guardianship, changes and corrections, adoption): its import file may not
    /// be what the ministry's software expects. Shown wherever the register is used.
    #[serde(default)]
    pub provisional: bool,
    /// Columns another generation of the template carries (the 52-column CMC list adds the
    /// parties' sex): accepted and checked when a workbook has them, never written.
    #[serde(default)]
    pub variant_columns: Vec<Column>,
}

/// A field the page does not print but a documented rule gives from other fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Derivation {
    /// The birth case from which parents are named (domain reference 2.5): `codes` are for
    /// both named, mother not named, father not named, neither named.
    ParentsKnown {
        field: String,
        mother: String,
        father: String,
        codes: [String; 4],
    },
}

impl Derivation {
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Derivation::ParentsKnown {
                field,
                mother,
                father,
                ..
            } => vec![field, mother, father],
        }
    }
}

/// `yyyy-mm-dd` as schemas write dates, checked for a real month and day.
fn parse_iso(s: &str) -> Option<(i32, u32, u32)> {
    let mut parts = s.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    (parts.next().is_none() && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

impl RegisterSchema {
    pub fn column(&self, key: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.key == key)
    }

    /// Column for a person's role (`("me", "NgaySinh")` -> `meNgaySinh`).
    pub fn column_for(&self, person: &str, role: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| c.person == person && c.role == role)
    }

    /// Template keys in template order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.key.as_str())
    }

    /// The template's columns, then the variant columns: every column a workbook of this
    /// register may carry.
    pub fn readable_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().chain(&self.variant_columns)
    }

    /// This register with its variant columns counted as its own, for checking a workbook
    /// that carries them (validation then reads their codes and dates too).
    pub fn with_variant_columns(&self) -> RegisterSchema {
        let mut wide = self.clone();
        wide.columns.extend(self.variant_columns.iter().cloned());
        wide.variant_columns.clear();
        wide
    }

    /// Problems in the schema itself: duplicate keys, unknown code tables or fields.
    pub fn check(&self, codes: &CodeTables) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for c in self.readable_columns() {
            if !seen.insert(c.key.to_ascii_lowercase()) {
                out.push(format!("column key {} appears twice", c.key));
            }
            for alias in &c.aliases {
                if !seen.insert(alias.to_ascii_lowercase()) {
                    out.push(format!(
                        "column {}: alias {alias} is another column's key",
                        c.key
                    ));
                }
            }
            let leading: String = c
                .header
                .trim_start()
                .chars()
                .take_while(|ch| ch.is_ascii_alphanumeric())
                .collect();
            if !leading.eq_ignore_ascii_case(&c.key) {
                out.push(format!(
                    "column {}: header {:?} does not start with the key",
                    c.key, c.header
                ));
            }
            if let FieldKind::Code(t) = &c.kind {
                if codes.table(t).is_none() {
                    out.push(format!("column {}: no code table \"{t}\"", c.key));
                }
            }
            let person_ok =
                c.person == "register" || c.person == "foreign" || self.persons.contains(&c.person);
            if !person_ok {
                out.push(format!("column {}: unknown person \"{}\"", c.key, c.person));
            }
        }
        for person in self.person_words.keys() {
            if !self.persons.contains(person) {
                out.push(format!("person_words: unknown person \"{person}\""));
            }
        }
        for d in &self.derived {
            for f in d.fields() {
                if self.column(f).is_none() {
                    out.push(format!("derived: no column \"{f}\""));
                }
            }
        }
        if !self.persons.contains(&self.subject) {
            out.push(format!(
                "subject \"{}\" is not one of persons",
                self.subject
            ));
        }
        let mut codes_seen = std::collections::HashSet::new();
        for r in &self.rules {
            if !codes_seen.insert(r.code.as_str()) {
                out.push(format!("rule code {} appears twice", r.code));
            }
            for f in r.check.fields() {
                if self.column(f).is_none() {
                    out.push(format!("rule {}: no column \"{f}\"", r.code));
                }
            }
            if let Check::EmptyWhen { cases, .. } = &r.check {
                for (_, person) in cases {
                    if !self.persons.contains(person) {
                        out.push(format!("rule {}: unknown person \"{person}\"", r.code));
                    }
                }
            }
            if let Check::LegalAge { at, eras, .. } = &r.check {
                if at.is_empty() {
                    out.push(format!("rule {}: `at` names no date", r.code));
                }
                if eras.is_empty() {
                    out.push(format!("rule {}: no era", r.code));
                }
                let starts: Vec<Option<(i32, u32, u32)>> =
                    eras.iter().map(|e| parse_iso(&e.from)).collect();
                for (e, s) in eras.iter().zip(&starts) {
                    if s.is_none() {
                        out.push(format!(
                            "rule {}: era start {:?} is not yyyy-mm-dd",
                            r.code, e.from
                        ));
                    }
                }
                if starts.windows(2).any(|w| w[0] >= w[1]) {
                    out.push(format!("rule {}: eras are not in date order", r.code));
                }
            }
        }
        out
    }
}
