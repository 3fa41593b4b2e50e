//! What the words of a printed label mean, per register (`schemas/labels/<REG>.toml`).
//!
//! The edition files hold the exact wordings of the forms sohoa was built from; books were
//! printed by provinces and districts in many more (older decrees, southern spellings, forms
//! copied by hand with labels shortened). A label is matched to a field by what its words say:
//! whose value follows (the person words) and what the value is (the concept: name, birth
//! date, residence...), in any order and with spelling variants. `map` gives a label no word
//! explains its field in one line, and says which labels carry no field at all.

use super::{RegisterSchema, ValueStyle};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Words that say whose value a label introduces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonWords {
    /// A person of the register (`nks`, `me`...) or a name for someone the register knows
    /// only through fields of its own (`officer`, `signer`), who then needs `fields`.
    pub person: String,
    /// Phrases naming the person ("người mẹ", "thân mẫu").
    pub words: Vec<String>,
    /// For someone who is not a person of the register: the field each concept's role gives
    /// (`HoTen = "nguoiThucHien"`).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// One concept: the phrases that say it and what they introduce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// A role of the register's columns (`NgaySinh`): whose it is comes from the person
    /// words, the section or the order of persons.
    #[serde(default)]
    pub role: Option<String>,
    /// A field of its own (`nguoiThucHien`), for concepts that belong to one field only.
    #[serde(default)]
    pub field: Option<String>,
    pub phrases: Vec<String>,
    /// How the value is written after such a label (an age for "Tuổi").
    #[serde(default)]
    pub style: ValueStyle,
    /// Printed once per page (the page number).
    #[serde(default)]
    pub page: bool,
    /// A relation to someone else: person words in such a label name the other party, not
    /// whose value follows ("Là gì của cháu", "Quan hệ với trẻ").
    #[serde(default)]
    pub other_party: bool,
}

/// The label vocabulary of one register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelVocabulary {
    pub register: String,
    /// Spellings that mean the same word, folded (marks dropped, đ = d): "sanh" = "sinh".
    #[serde(default)]
    pub spellings: BTreeMap<String, String>,
    /// Words that change nothing in a label's meaning ("và", "của"), folded.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Words after which a label names another party than its own ("với" in "Quan hệ với
    /// người được khai sinh"), folded.
    #[serde(default)]
    pub about_other: Vec<String>,
    /// The role a label means when it holds only a person's words ("Người thực hiện:").
    #[serde(default = "default_alone_role")]
    pub alone_role: String,
    #[serde(default)]
    pub persons: Vec<PersonWords>,
    #[serde(default)]
    pub concepts: Vec<Concept>,
    /// Labels as printed, with the field each introduces; `""` for a label known to carry no
    /// field of the register (it is then not reported as unknown).
    #[serde(default)]
    pub map: BTreeMap<String, String>,
}

fn default_alone_role() -> String {
    "HoTen".into()
}

impl LabelVocabulary {
    /// Problems: persons, roles or fields the register does not have.
    pub fn check(&self, reg: &RegisterSchema) -> Vec<String> {
        let mut out = Vec::new();
        let has_role = |role: &str| reg.columns.iter().any(|c| c.role == role);
        let mut persons = std::collections::BTreeSet::new();
        for p in &self.persons {
            if !persons.insert(p.person.as_str()) {
                out.push(format!("person \"{}\" is listed twice", p.person));
            }
            let of_register = reg.persons.contains(&p.person);
            if !of_register && p.fields.is_empty() {
                out.push(format!(
                    "person \"{}\" is not a person of {} and names no fields",
                    p.person, reg.code
                ));
            }
            for (role, field) in &p.fields {
                if !has_role(role) {
                    out.push(format!(
                        "person \"{}\": no column has role {role}",
                        p.person
                    ));
                }
                if reg.column(field).is_none() {
                    out.push(format!(
                        "person \"{}\": register {} has no field \"{field}\"",
                        p.person, reg.code
                    ));
                }
            }
            if p.words.iter().any(|w| w.trim().is_empty()) {
                out.push(format!("person \"{}\": an empty phrase", p.person));
            }
        }
        for c in &self.concepts {
            let what = c.phrases.first().cloned().unwrap_or_default();
            match (&c.role, &c.field) {
                (Some(role), None) if !has_role(role) => {
                    out.push(format!("concept \"{what}\": no column has role {role}"))
                }
                (None, Some(field)) if reg.column(field).is_none() => out.push(format!(
                    "concept \"{what}\": register {} has no field \"{field}\"",
                    reg.code
                )),
                (Some(_), None) | (None, Some(_)) => {}
                _ => out.push(format!(
                    "concept \"{what}\": give either role or field, not both or neither"
                )),
            }
            if c.phrases.is_empty() || c.phrases.iter().any(|p| p.trim().is_empty()) {
                out.push(format!("concept \"{what}\": empty phrase"));
            }
        }
        if !has_role(&self.alone_role) {
            out.push(format!(
                "alone_role: no column has role {}",
                self.alone_role
            ));
        }
        for (label, field) in &self.map {
            if label.trim().is_empty() {
                out.push("map: an empty label".into());
            }
            if !field.is_empty() && reg.column(field).is_none() {
                out.push(format!(
                    "map: label \"{label}\": register {} has no field \"{field}\"",
                    reg.code
                ));
            }
        }
        out
    }
}
