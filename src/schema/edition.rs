//! A printed form edition of a register book: the labels it prints, in order, and the field each
//! label introduces. Extraction learns its label vocabulary from every edition of a register;
//! `sohoa synth` renders pages from them.

use super::{FieldKind, RegisterSchema};
use serde::{Deserialize, Serialize};

/// How a value is written after its label on this edition.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum ValueStyle {
    /// As the field kind suggests (dates in figures).
    #[default]
    Plain,
    /// A date given as its year only ("Năm sinh").
    Year,
    /// An age in years instead of a birth date ("Tuổi"), as on pre-2006 forms.
    Age,
    /// A date spelled out in words.
    Words,
}

/// One label and the field whose value follows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionItem {
    /// Printed label text, without the trailing colon.
    pub label: String,
    /// Template key of the field.
    pub field: String,
    #[serde(default)]
    pub style: ValueStyle,
}

/// A printed line of an entry: a section heading, or one or more labelled values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EditionLine {
    /// Section heading text; the lines after it describe `person`.
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub person: Option<String>,
    #[serde(default)]
    pub items: Vec<EditionItem>,
}

/// One form edition of a register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormEdition {
    pub register: String,
    pub id: String,
    pub name: String,
    /// Registration years the edition was in use (inclusive).
    pub years: (i32, i32),
    /// Title printed at the top of each page.
    #[serde(default)]
    pub title: Option<String>,
    /// How many entries a page holds (min, max).
    #[serde(default = "default_entries_per_page")]
    pub entries_per_page: (u32, u32),
    /// Labelled values printed once per page, above the entries (e.g. the volume).
    #[serde(default)]
    pub page_header: Vec<EditionItem>,
    /// Labelled values printed once per page, below the entries (e.g. the page number).
    #[serde(default)]
    pub page_footer: Vec<EditionItem>,
    /// The lines of one entry, top to bottom.
    pub lines: Vec<EditionLine>,
}

fn default_entries_per_page() -> (u32, u32) {
    (1, 2)
}

impl FormEdition {
    /// Every labelled item, page-level ones included.
    pub fn items(&self) -> impl Iterator<Item = &EditionItem> {
        self.page_header
            .iter()
            .chain(self.lines.iter().flat_map(|l| l.items.iter()))
            .chain(self.page_footer.iter())
    }

    /// The field that opens an entry: the first item of the first labelled line.
    pub fn entry_start_field(&self) -> Option<&str> {
        self.lines
            .iter()
            .flat_map(|l| l.items.first())
            .next()
            .map(|i| i.field.as_str())
    }

    /// Problems: fields or persons the register does not have, styles that do not fit.
    pub fn check(&self, reg: &RegisterSchema) -> Vec<String> {
        let mut out = Vec::new();
        if self.years.0 > self.years.1 {
            out.push(format!("years {:?} run backwards", self.years));
        }
        if self.entries_per_page.0 == 0 || self.entries_per_page.0 > self.entries_per_page.1 {
            out.push(format!(
                "entries_per_page {:?} is not a range",
                self.entries_per_page
            ));
        }
        for item in self.items() {
            match reg.column(&item.field) {
                None => out.push(format!(
                    "label \"{}\": register {} has no field \"{}\"",
                    item.label, reg.code, item.field
                )),
                Some(col) => {
                    let dated = matches!(col.kind, FieldKind::Date | FieldKind::DateWords);
                    if item.style != ValueStyle::Plain && !dated {
                        out.push(format!(
                            "label \"{}\": style {:?} needs a date field, {} is not one",
                            item.label, item.style, item.field
                        ));
                    }
                }
            }
            if item.label.trim().is_empty() {
                out.push(format!("field {}: empty label", item.field));
            }
        }
        for line in &self.lines {
            if let Some(p) = &line.person {
                if !reg.persons.contains(p) {
                    out.push(format!(
                        "heading person \"{p}\" is not a person of {}",
                        reg.code
                    ));
                }
            }
            if line.heading.is_none() && line.items.is_empty() {
                out.push("a line has neither a heading nor items".into());
            }
        }
        if self.entry_start_field().is_none() {
            out.push("no labelled line: an entry cannot be found".into());
        }
        out
    }
}
