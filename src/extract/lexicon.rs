//! The label vocabulary of a register, learned from every form edition in `schemas/editions`
//! and from `schemas/labels/<REG>.toml`: which printed labels exist, which role (and possibly
//! person) each introduces, which labels open an entry and which belong to the page rather
//! than an entry. A label no edition prints is read by what its words mean
//! ([`super::meaning`]).

use super::meaning::{Meaning, Reading};
use crate::schema::{FormEdition, LabelVocabulary, RegisterSchema, ValueStyle};
use crate::text::{fold, fold_compact};
use std::collections::BTreeSet;

/// One role a label introduces in some edition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LabelRole {
    /// `register` or a person of the register.
    pub person: String,
    pub role: String,
    pub style: ValueStyle,
    /// Printed once per page (header or footer) rather than per entry.
    pub page_scope: bool,
}

/// A printed label form, e.g. "Họ, chữ đệm, tên người mẹ".
#[derive(Debug, Clone)]
pub struct LabelForm {
    pub text: String,
    /// Folded, letters and digits only: what OCR output is compared with.
    pub compact: String,
    pub roles: BTreeSet<LabelRole>,
    /// Editions printing this label.
    pub editions: BTreeSet<String>,
    /// Whose value follows, when the label says so itself.
    pub person: Option<String>,
}

/// Which label a span of a line was taken for.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelRef {
    /// A wording of an edition file or of the vocabulary's `map` (index into
    /// [`Lexicon::labels`]).
    Form(usize),
    /// A wording no file holds, read by what its words mean.
    Meaning(Box<LabelForm>),
    /// Something printed as a label ("Nghề nghiệp:") that no field takes: its value is
    /// nobody's, and the label is reported.
    Unknown(String),
}

impl PartialEq for LabelForm {
    fn eq(&self, other: &Self) -> bool {
        self.compact == other.compact && self.roles == other.roles && self.person == other.person
    }
}

impl LabelForm {
    /// The label introduces a field of the register (a `map` entry of `""` does not).
    pub fn carries_field(&self) -> bool {
        !self.roles.is_empty()
    }
    /// The label opens an entry in some edition.
    pub fn starts_entry(&self, lexicon: &Lexicon) -> bool {
        self.roles.iter().any(|r| {
            lexicon
                .entry_start
                .contains(&(r.person.clone(), r.role.clone()))
        })
    }
    /// Every role of the label belongs to the register rather than a person ("Số",
    /// "Quyển số").
    pub fn is_register_level(&self) -> bool {
        self.roles.iter().all(|r| r.person == "register")
    }
    /// Every role of the label is printed once per page.
    pub fn page_scope(&self) -> bool {
        self.roles.iter().all(|r| r.page_scope)
    }
}

/// A section heading form, e.g. "Người được đăng ký khai sinh".
#[derive(Debug, Clone)]
pub struct HeadingForm {
    pub compact: String,
    pub person: String,
}

/// The label vocabulary of one register.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub register: String,
    pub labels: Vec<LabelForm>,
    pub headings: Vec<HeadingForm>,
    /// `(person, role)` pairs that open an entry.
    pub entry_start: BTreeSet<(String, String)>,
    /// Person marker words, folded into word lists, longest first.
    person_words: Vec<(String, Vec<String>)>,
    /// What label words mean, when the register has a vocabulary.
    pub meaning: Option<Meaning>,
}

/// Similarity of two compact strings, 0..=1 (normalised Levenshtein).
pub fn similarity(a: &str, b: &str) -> f32 {
    strsim::normalized_levenshtein(a, b) as f32
}

impl Lexicon {
    pub fn build(
        register: &RegisterSchema,
        editions: &[&FormEdition],
        vocabulary: Option<&LabelVocabulary>,
    ) -> Lexicon {
        let vocabulary_persons = vocabulary
            .into_iter()
            .flat_map(|v| v.persons.iter())
            .filter(|p| register.persons.contains(&p.person))
            .flat_map(|p| p.words.iter().map(move |w| (&p.person, w)));
        let register_persons = register
            .person_words
            .iter()
            .flat_map(|(p, words)| words.iter().map(move |w| (p, w)));
        let mut person_words: Vec<(String, Vec<String>)> = Vec::new();
        for (p, w) in register_persons.chain(vocabulary_persons) {
            let words: Vec<String> = fold(w).split_whitespace().map(str::to_string).collect();
            if !person_words.iter().any(|(_, known)| *known == words) {
                person_words.push((p.clone(), words));
            }
        }
        person_words.sort_by_key(|(_, w)| std::cmp::Reverse(w.len()));

        let mut lexicon = Lexicon {
            register: register.code.clone(),
            labels: Vec::new(),
            headings: Vec::new(),
            entry_start: BTreeSet::new(),
            person_words,
            meaning: vocabulary.map(|v| Meaning::new(v, register)),
        };
        for ed in editions {
            if let Some(field) = ed.entry_start_field() {
                if let Some(col) = register.column(field) {
                    lexicon
                        .entry_start
                        .insert((col.person.clone(), col.role.clone()));
                }
            }
            let page_items = ed
                .page_header
                .iter()
                .chain(ed.page_footer.iter())
                .map(|i| (i, true));
            let entry_items = ed
                .lines
                .iter()
                .flat_map(|l| l.items.iter())
                .map(|i| (i, false));
            for (item, page_scope) in page_items.chain(entry_items) {
                let Some(col) = register.column(&item.field) else {
                    continue;
                };
                let role = LabelRole {
                    person: col.person.clone(),
                    role: col.role.clone(),
                    style: item.style,
                    page_scope,
                };
                lexicon.add_label(&item.label, role, &ed.id);
            }
            for line in &ed.lines {
                if let (Some(h), Some(p)) = (&line.heading, &line.person) {
                    let compact = fold_compact(h);
                    if !lexicon.headings.iter().any(|x| x.compact == compact) {
                        lexicon.headings.push(HeadingForm {
                            compact,
                            person: p.clone(),
                        });
                    }
                }
            }
        }
        // Labels an operator mapped by hand: as strong as an edition's wording.
        for (label, field) in vocabulary.map(|v| &v.map).into_iter().flatten() {
            let compact = fold_compact(label);
            if compact.is_empty() {
                continue;
            }
            let role = register.column(field).map(|col| LabelRole {
                person: col.person.clone(),
                role: col.role.clone(),
                style: ValueStyle::Plain,
                page_scope: false,
            });
            let person = register
                .column(field)
                .map(|c| c.person.clone())
                .filter(|p| register.persons.contains(p));
            lexicon.labels.push(LabelForm {
                text: label.clone(),
                compact,
                roles: role.into_iter().collect(),
                editions: BTreeSet::new(),
                person,
            });
        }
        lexicon
    }

    /// The form a label reference stands for; `None` for an unknown label.
    pub fn form<'a>(&'a self, label: &'a LabelRef) -> Option<&'a LabelForm> {
        match label {
            LabelRef::Form(i) => self.labels.get(*i),
            LabelRef::Meaning(form) => Some(form),
            LabelRef::Unknown(_) => None,
        }
    }

    /// A label read by its words, as a form of its own (no edition prints it).
    pub fn form_of_reading(&self, text: &str, reading: &Reading) -> LabelForm {
        let text = text.trim_end_matches(['.', ':', ',']);
        LabelForm {
            text: text.to_string(),
            compact: fold_compact(text),
            roles: BTreeSet::from([LabelRole {
                person: reading.role.0.clone(),
                role: reading.role.1.clone(),
                style: reading.style,
                page_scope: reading.page_scope,
            }]),
            editions: BTreeSet::new(),
            person: reading.person.clone(),
        }
    }

    fn add_label(&mut self, text: &str, role: LabelRole, edition: &str) {
        let compact = fold_compact(text);
        if compact.is_empty() {
            return;
        }
        let person = self.person_in(text);
        if let Some(form) = self.labels.iter_mut().find(|f| f.compact == compact) {
            form.roles.insert(role);
            form.editions.insert(edition.to_string());
            return;
        }
        self.labels.push(LabelForm {
            text: text.to_string(),
            compact,
            roles: BTreeSet::from([role]),
            editions: BTreeSet::from([edition.to_string()]),
            person,
        });
    }

    /// The person a text names through a marker word ("mẹ", "người đi khai sinh"), if any.
    pub fn person_in(&self, text: &str) -> Option<String> {
        let folded = fold(text);
        let words: Vec<&str> = folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        for (person, marker) in &self.person_words {
            if marker.is_empty() || marker.len() > words.len() {
                continue;
            }
            if words
                .windows(marker.len())
                .any(|w| w.iter().zip(marker).all(|(a, b)| *a == b))
            {
                return Some(person.clone());
            }
        }
        None
    }

    /// Best label for a compact span of OCR text, with its similarity.
    pub fn best_label(&self, compact: &str) -> Option<(usize, f32)> {
        if compact.is_empty() {
            return None;
        }
        let mut best: Option<(usize, f32)> = None;
        for (i, form) in self.labels.iter().enumerate() {
            // Cheap length filter: a similarity of 0.6 cannot bridge a large length gap.
            let (la, lb) = (form.compact.len() as f32, compact.len() as f32);
            if la.min(lb) / la.max(lb) < 0.5 {
                continue;
            }
            let s = similarity(&form.compact, compact);
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((i, s));
            }
        }
        best
    }

    /// Best heading for a compact line text.
    pub fn best_heading(&self, compact: &str) -> Option<(&HeadingForm, f32)> {
        self.headings
            .iter()
            .map(|h| (h, similarity(&h.compact, compact)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::schema::Schemas;

    pub(crate) fn ks_lexicon() -> Lexicon {
        let s =
            Schemas::load(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas"))
                .unwrap();
        let reg = s.register("KS").unwrap();
        let eds: Vec<&FormEdition> = s.editions_of("KS").collect();
        Lexicon::build(reg, &eds, s.labels.get("KS"))
    }

    #[test]
    fn learns_labels_roles_and_persons_from_editions() {
        let lx = ks_lexicon();
        let (i, s) = lx
            .best_label(&fold_compact("Họ, chữ đệm, tên người mẹ"))
            .unwrap();
        assert_eq!(s, 1.0);
        assert_eq!(lx.labels[i].person.as_deref(), Some("me"));
        let (i, _) = lx.best_label(&fold_compact("Năm sinh")).unwrap();
        assert!(lx.labels[i].person.is_none());
        assert!(lx.labels[i].roles.iter().all(|r| r.role == "NgaySinh"));
        let (i, _) = lx.best_label("so").unwrap();
        assert!(lx.labels[i].starts_entry(&lx));
        let (i, _) = lx.best_label(&fold_compact("Trang số")).unwrap();
        assert!(lx.labels[i].page_scope());
    }

    #[test]
    fn garbled_labels_still_match_best() {
        let lx = ks_lexicon();
        // OCR drops marks and confuses letters.
        let (i, s) = lx
            .best_label(&fold_compact("Ho, chu dem, tcn nguoi cha"))
            .unwrap();
        assert_eq!(lx.labels[i].person.as_deref(), Some("cha"));
        assert!(s > 0.8, "{s}");
    }

    #[test]
    fn person_words_need_whole_words() {
        let lx = ks_lexicon();
        assert_eq!(lx.person_in("Họ và tên mẹ").as_deref(), Some("me"));
        assert_eq!(lx.person_in("Họ tên người đi khai").as_deref(), Some("nyc"));
        assert_eq!(lx.person_in("Năm sinh"), None);
        // "mẹ" folds to "me", which must not match inside other words.
        assert_eq!(lx.person_in("Nơi thường trú"), None);
    }
}
