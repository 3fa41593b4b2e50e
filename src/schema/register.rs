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

    /// Problems in the schema itself: duplicate keys, unknown code tables or fields.
    pub fn check(&self, codes: &CodeTables) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for c in &self.columns {
            if !seen.insert(c.key.as_str()) {
                out.push(format!("column key {} appears twice", c.key));
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
        }
        out
    }
}
