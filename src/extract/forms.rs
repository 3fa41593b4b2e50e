//! Each book's form, recognised across its pages, and the labels no field took.
//!
//! A page is extracted alone; the book says more. Its edition is the one `book.toml` names
//! (`edition = "KS-1998-ND83"`, or `"unknown"`), else the one most of its entries' labels
//! are, else none: "unknown, read by meaning", whose fields are those most of its entries
//! show. An entry lacking a field the book's form prints (a line the reading missed on a page
//! with one entry) goes to review for it; a field the form does not print is never missing.
//! The report names each book's form and every label no field took, with how often it was
//! seen, where, and the fields it might be: one line in `schemas/labels/<REG>.toml` maps it.

use crate::emit::report::BatchNote;
use crate::emit::BatchStep;
use crate::ingest::Scan;
use crate::page::{Entry, PageOutcome, PageResult, ValueSource};
use crate::schema::{RegisterSchema, Requirement, Schemas};
use crate::text::fold_compact;
use crate::validate::messages;
use std::collections::{BTreeMap, BTreeSet};

const STEP: &str = "forms";

/// A field is the book's, for a form no edition file describes, when at least this share of
/// its entries' pages show its label.
const FORM_SHARE: f32 = 0.3;
/// A book is an edition's when at least this share of its entries is.
const BOOK_EDITION_SHARE: f32 = 0.5;
/// How many pages a report line names as examples.
const EXAMPLES: usize = 3;

/// The batch step: book forms and unknown labels.
#[derive(Debug, Clone, Default)]
pub struct BookForms;

/// What a book's form is.
#[derive(Debug, Clone, PartialEq)]
pub enum BookForm {
    /// An edition of `schemas/editions`.
    Edition(String),
    /// No known edition: these fields are what its pages print.
    ByMeaning(BTreeSet<String>),
}

/// The form of a book's entries: `named` (book.toml's `edition`) when it is a known edition,
/// else the edition most entries are, else the fields most entries' pages show.
pub fn book_form(entries: &[&Entry], named: Option<&str>, schemas: &Schemas) -> BookForm {
    let known = |id: &str| schemas.editions.iter().any(|e| e.id == id);
    if let Some(id) = named.map(str::trim).filter(|id| known(id)) {
        return BookForm::Edition(id.to_string());
    }
    let by_meaning = named.map(str::trim) == Some(super::UNKNOWN_EDITION);
    if !by_meaning {
        let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
        for e in entries {
            *votes.entry(e.edition.as_str()).or_default() += 1;
        }
        let best = votes
            .iter()
            .filter(|(id, _)| !id.is_empty())
            .max_by_key(|(id, n)| (**n, std::cmp::Reverse(**id)));
        if let Some((id, n)) = best {
            if *n as f32 >= BOOK_EDITION_SHARE * entries.len() as f32 {
                return BookForm::Edition(id.to_string());
            }
        }
    }
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    for e in entries {
        for key in &e.printed {
            *shown.entry(key.as_str()).or_default() += 1;
        }
    }
    let least = (FORM_SHARE * entries.len() as f32).ceil().max(1.0) as usize;
    BookForm::ByMeaning(
        shown
            .into_iter()
            .filter(|(_, n)| *n >= least)
            .map(|(k, _)| k.to_string())
            .collect(),
    )
}

impl BookForm {
    /// The fields the form prints.
    pub fn fields(&self, schemas: &Schemas) -> BTreeSet<String> {
        match self {
            BookForm::Edition(id) => schemas
                .editions
                .iter()
                .filter(|e| &e.id == id)
                .flat_map(|e| e.items().map(|i| i.field.clone()))
                .collect(),
            BookForm::ByMeaning(fields) => fields.clone(),
        }
    }
}

/// Review findings for fields the book's form prints that the entry lacks, for a person the
/// entry names (the register's fields and the subject's always): the line was missed.
fn missing_on_form(entry: &mut Entry, form: &BTreeSet<String>, register: &RegisterSchema) {
    let named = |e: &Entry, person: &str| {
        person == "register"
            || person == register.subject
            || register
                .column_for(person, "HoTen")
                .and_then(|c| e.fields.get(&c.key))
                .is_some_and(|f| !f.value.is_empty())
    };
    for key in form {
        let Some(col) = register.column(key) else {
            continue;
        };
        let lacking = entry
            .fields
            .get(key)
            .is_none_or(|f| f.raw.trim().is_empty())
            && entry
                .fields
                .get(key)
                .is_none_or(|f| f.source == ValueSource::Page);
        let flagged = entry
            .findings
            .iter()
            .any(|f| f.field.as_deref() == Some(key.as_str()));
        let free_text = col.kind == crate::schema::FieldKind::Text;
        if !lacking || flagged || free_text || !named(entry, &col.person) {
            continue;
        }
        let finding = if col.require == Requirement::Always {
            messages::MISSING_REQUIRED.finding(key, "")
        } else {
            messages::MISSING_PRINTED.finding(key, "")
        };
        entry.add_finding(finding);
    }
}

/// A label no field took, seen across the run.
#[derive(Debug, Clone, Default)]
struct Unknown {
    /// The spellings read, with how often.
    spellings: BTreeMap<String, usize>,
    entries: usize,
    pages: BTreeSet<String>,
    guesses: Vec<(String, f32)>,
}

impl BatchStep for BookForms {
    fn name(&self) -> &str {
        STEP
    }

    fn apply(
        &self,
        results: &mut [PageResult],
        scan: &Scan,
        schemas: &Schemas,
    ) -> Result<Vec<BatchNote>, String> {
        let mut notes = Vec::new();
        let mut unknown: BTreeMap<(String, String), Unknown> = BTreeMap::new();
        for book in &scan.books {
            let Some(register) = schemas.register(&book.meta.register) else {
                continue;
            };
            let named = book
                .meta
                .extra
                .get(super::BOOK_EDITION_KEY)
                .map(String::as_str);
            if let Some(id) = named.map(str::trim) {
                let known = schemas.editions.iter().any(|e| e.id == id);
                if !known && id != super::UNKNOWN_EDITION {
                    notes.push(note(
                        Some(&book.id),
                        format!(
                            "book.toml ghi edition = \"{id}\", không có trong schemas/editions: mẫu sổ được nhận theo nhãn"
                        ),
                        format!(
                            "book.toml names edition \"{id}\", which no file of schemas/editions defines: the form is recognised from its labels"
                        ),
                    ));
                }
            }
            let pages: Vec<usize> = results
                .iter()
                .enumerate()
                .filter(|(_, r)| r.source.key.book_id == book.id)
                .map(|(i, _)| i)
                .collect();
            let entries: Vec<&Entry> = pages.iter().flat_map(|&i| results[i].entries()).collect();
            if entries.is_empty() {
                continue;
            }
            let form = book_form(&entries, named, schemas);
            let count = entries.len();
            let same = match &form {
                BookForm::Edition(id) => entries.iter().filter(|e| &e.edition == id).count(),
                BookForm::ByMeaning(_) => entries.iter().filter(|e| e.edition.is_empty()).count(),
            };
            let fields = form.fields(schemas);
            notes.push(match &form {
                BookForm::Edition(id) => note(
                    Some(&book.id),
                    format!("Mẫu sổ: {id} ({same}/{count} mục khớp nhãn)"),
                    format!("Form: edition {id} ({same} of {count} entries' labels match it)"),
                ),
                BookForm::ByMeaning(_) => {
                    let list: Vec<&str> = fields.iter().map(String::as_str).collect();
                    note(
                        Some(&book.id),
                        format!(
                            "Mẫu sổ: không khớp mẫu nào đã biết, đọc theo nghĩa của nhãn ({same}/{count} mục); các trường in trên mẫu: {}",
                            list.join(", ")
                        ),
                        format!(
                            "Form: no known edition, read by the meaning of its labels ({same} of {count} entries); the form prints: {}",
                            list.join(", ")
                        ),
                    )
                }
            });
            for &i in &pages {
                let key = results[i].source.key.to_string();
                if let PageOutcome::Done { entries } = &mut results[i].outcome {
                    for entry in entries.iter_mut() {
                        missing_on_form(entry, &fields, register);
                        for seen in &entry.unknown_labels {
                            let id = (book.meta.register.clone(), fold_compact(&seen.label));
                            let u = unknown.entry(id).or_default();
                            *u.spellings.entry(seen.label.clone()).or_default() += 1;
                            u.entries += 1;
                            u.pages.insert(key.clone());
                            if u.guesses.is_empty() {
                                u.guesses = seen.guesses.clone();
                            }
                        }
                    }
                }
            }
        }
        let mut labels: Vec<((String, String), Unknown)> = unknown.into_iter().collect();
        labels.sort_by(|a, b| b.1.entries.cmp(&a.1.entries).then(a.0.cmp(&b.0)));
        for ((register, _), u) in labels {
            notes.push(unknown_label_note(&register, &u));
        }
        Ok(notes)
    }
}

fn unknown_label_note(register: &str, u: &Unknown) -> BatchNote {
    let label = u
        .spellings
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(s, _)| s.clone())
        .unwrap_or_default();
    let examples: Vec<&str> = u.pages.iter().take(EXAMPLES).map(String::as_str).collect();
    let guesses: Vec<String> = u
        .guesses
        .iter()
        .map(|(field, score)| format!("{field} {score:.2}"))
        .collect();
    let guesses = if guesses.is_empty() {
        "-".to_string()
    } else {
        guesses.join(", ")
    };
    BatchNote {
        step: STEP.into(),
        book_id: None,
        message_vi: format!(
            "Nhãn \"{label}\" không ứng với trường nào: {} mục trên {} trang (ví dụ {}); gần nhất: {guesses}. Gán trường bằng một dòng trong schemas/labels/{register}.toml, mục [map]: \"{label}\" = \"<trường>\" (\"\" nếu nhãn không chứa trường nào)",
            u.entries,
            u.pages.len(),
            examples.join(", ")
        ),
        message_en: format!(
            "Label \"{label}\" takes no field: {} entries on {} pages (e.g. {}); closest: {guesses}. Map it with one line in schemas/labels/{register}.toml under [map]: \"{label}\" = \"<field>\" (\"\" if it carries none)",
            u.entries,
            u.pages.len(),
            examples.join(", ")
        ),
    }
}

fn note(book: Option<&str>, vi: String, en: String) -> BatchNote {
    BatchNote {
        step: STEP.into(),
        book_id: book.map(str::to_string),
        message_vi: vi,
        message_en: en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{EntryStatus, FieldValue, Severity};

    fn schemas() -> Schemas {
        Schemas::load(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas"))
            .unwrap()
    }

    fn entry(edition: &str, printed: &[&str], values: &[(&str, &str)]) -> Entry {
        let mut e = Entry::from_values(1, values.iter().copied());
        for f in e.fields.values_mut() {
            f.source = ValueSource::Page;
        }
        e.edition = edition.into();
        e.printed = printed.iter().map(|s| s.to_string()).collect();
        e
    }

    #[test]
    fn a_book_is_the_edition_most_entries_are_or_named_in_book_toml() {
        let s = schemas();
        let a = entry("KS-1998-ND83", &[], &[]);
        let b = entry("", &["so", "nksHoTen"], &[]);
        let entries = vec![&a, &a, &b];
        assert_eq!(
            book_form(&entries, None, &s),
            BookForm::Edition("KS-1998-ND83".into())
        );
        assert_eq!(
            book_form(&entries, Some("KS-2016-TT15"), &s),
            BookForm::Edition("KS-2016-TT15".into())
        );
        let by_meaning = book_form(&[&b, &b, &a], Some("unknown"), &s);
        assert_eq!(
            by_meaning,
            BookForm::ByMeaning(["nksHoTen".to_string(), "so".to_string()].into())
        );
    }

    #[test]
    fn a_field_the_form_prints_and_the_entry_lacks_goes_to_review_and_no_other() {
        let s = schemas();
        let reg = s.register("KS").unwrap();
        let mut e = entry(
            "",
            &["so"],
            &[
                ("so", "5"),
                ("nksHoTen", "Lê Văn An"),
                ("meHoTen", "Trần Thị Lụa"),
            ],
        );
        e.status = EntryStatus::Auto;
        let form: BTreeSet<String> = ["so", "nksHoTen", "meNgaySinh", "chaNgaySinh", "nksNoiSinh"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        missing_on_form(&mut e, &form, reg);
        let flagged: Vec<String> = e.findings.iter().map(|f| f.short()).collect();
        // The mother is named, the father is not: only her birth year is missing; the place
        // of birth is required.
        assert_eq!(
            flagged,
            [
                "MISSING-PRINTED(meNgaySinh)",
                "MISSING-REQUIRED(nksNoiSinh)"
            ]
        );
        assert_eq!(e.status, EntryStatus::Review);
        // A value from book.toml or a rule is no missed line.
        let mut e = entry("", &[], &[("so", "5")]);
        e.fields
            .insert("nksNoiSinh".into(), FieldValue::derived("x", 1.0));
        missing_on_form(&mut e, &form, reg);
        assert!(e
            .findings
            .iter()
            .all(|f| f.field.as_deref() != Some("nksNoiSinh")));
        assert!(e.findings.iter().all(|f| f.severity == Severity::Review));
    }
}
