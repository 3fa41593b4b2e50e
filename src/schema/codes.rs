//! Closed vocabularies: template code tables, the 54 ethnic groups, nationalities.

use super::{read_toml_files, SchemaProblem};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::path::Path;

/// One code of a table with the wordings a page may print for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeEntry {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub labels: Vec<String>,
}

/// A template code table (`gioi_tinh`, `loai_dang_ky_ks`...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeTable {
    pub id: String,
    #[serde(default)]
    pub source: String,
    pub entries: Vec<CodeEntry>,
    /// Code to use when the book does not say (documented convention, never a guess).
    #[serde(default)]
    pub unknown_code: Option<String>,
}

impl CodeTable {
    pub fn contains(&self, code: &str) -> bool {
        self.entries.iter().any(|e| e.code == code)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EthnicGroup {
    /// GSO code `01`..`54` (`55` foreigner, `00` other).
    pub code: String,
    /// Spelling the ministry software uses; emitted.
    pub name: String,
    pub gso: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmbiguousAlias {
    pub alias: String,
    pub codes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EthnicityTable {
    pub groups: Vec<EthnicGroup>,
    /// Aliases shared by several groups: never resolved silently.
    pub ambiguous: Vec<AmbiguousAlias>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nationality {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Every closed vocabulary from `schemas/codes`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CodeTables {
    pub tables: Vec<CodeTable>,
    pub ethnicity: EthnicityTable,
    pub nationalities: Vec<Nationality>,
    /// Province names, old and new, to put right a province misread in a place.
    pub provinces: Vec<String>,
    /// Family names as written, to confirm the first word of a personal name.
    pub family_names: Vec<String>,
    /// Frequent middle words of personal names.
    pub middle_names: Vec<String>,
    /// Frequent given names, as commonly spelled.
    pub given_names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TablesFile {
    tables: Vec<CodeTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EthnicityFile {
    #[allow(dead_code)]
    kind: String,
    entries: Vec<EthnicGroup>,
    #[serde(default)]
    ambiguous: Vec<AmbiguousAlias>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacesFile {
    #[allow(dead_code)]
    kind: String,
    provinces: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonNamesFile {
    #[allow(dead_code)]
    kind: String,
    family: Vec<String>,
    middle: Vec<String>,
    #[serde(default)]
    given: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NationalityFile {
    #[allow(dead_code)]
    kind: String,
    entries: Vec<Nationality>,
}

impl CodeTables {
    pub fn table(&self, id: &str) -> Option<&CodeTable> {
        self.tables.iter().find(|t| t.id == id)
    }

    pub(super) fn load(
        dir: &Path,
        problems: &mut Vec<SchemaProblem>,
        hasher: &mut Sha256,
    ) -> CodeTables {
        let mut out = CodeTables::default();
        for (path, text) in read_toml_files(dir, problems, hasher) {
            let kind = toml::from_str::<toml::Table>(&text)
                .ok()
                .and_then(|t| t.get("kind").and_then(|k| k.as_str().map(str::to_string)));
            let result = match kind.as_deref() {
                Some("ethnicity") => toml::from_str::<EthnicityFile>(&text).map(|f| {
                    out.ethnicity.groups.extend(f.entries);
                    out.ethnicity.ambiguous.extend(f.ambiguous);
                }),
                Some("nationality") => toml::from_str::<NationalityFile>(&text)
                    .map(|f| out.nationalities.extend(f.entries)),
                Some("places") => {
                    toml::from_str::<PlacesFile>(&text).map(|f| out.provinces.extend(f.provinces))
                }
                Some("person_names") => toml::from_str::<PersonNamesFile>(&text).map(|f| {
                    out.family_names.extend(f.family);
                    out.middle_names.extend(f.middle);
                    out.given_names.extend(f.given);
                }),
                _ => toml::from_str::<TablesFile>(&text).map(|f| out.tables.extend(f.tables)),
            };
            if let Err(e) = result {
                problems.push(SchemaProblem {
                    file: path.clone(),
                    message: e.to_string(),
                });
            }
            for t in &out.tables {
                if let Some(u) = &t.unknown_code {
                    if !t.contains(u) {
                        problems.push(SchemaProblem {
                            file: path.clone(),
                            message: format!(
                                "table {}: unknown_code {u} is not in the table",
                                t.id
                            ),
                        });
                    }
                }
            }
        }
        out
    }
}
