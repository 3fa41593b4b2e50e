//! Register types, form editions and code tables, loaded from the `schemas/` folder.
//!
//! Everything that differs between registers or between printed editions of a register lives in
//! those TOML files, so a new register or edition needs no Rust change. Loading checks every file
//! and reports all problems at once, each naming the file and the key.

mod codes;
mod edition;
mod labels;
mod register;

pub use codes::{CodeEntry, CodeTable, CodeTables, EthnicGroup, EthnicityTable, Nationality};
pub use edition::{EditionItem, EditionLine, FormEdition, ValueStyle};
pub use labels::{Concept, LabelVocabulary, PersonWords};
pub use register::{
    AgeCount, AgeEra, Check, Column, Derivation, FieldKind, RegisterSchema, Requirement, Rule,
};

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one schema file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem {
    pub file: PathBuf,
    pub message: String,
}

/// Every problem found while loading the schemas folder.
#[derive(Debug, thiserror::Error)]
pub struct SchemaErrors(pub Vec<SchemaProblem>);

impl fmt::Display for SchemaErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the schemas folder has {} problem(s):", self.0.len())?;
        for p in &self.0 {
            writeln!(f, "  {}: {}", p.file.display(), p.message)?;
        }
        Ok(())
    }
}

/// All schemas: registers by code, code tables, form editions.
#[derive(Debug, Clone)]
pub struct Schemas {
    pub dir: PathBuf,
    pub registers: BTreeMap<String, RegisterSchema>,
    pub codes: CodeTables,
    pub editions: Vec<FormEdition>,
    /// What label words mean, by register code (`schemas/labels/`, optional).
    pub labels: BTreeMap<String, LabelVocabulary>,
    /// SHA-256 over every file read, so results made with other schemas are redone.
    pub fingerprint: String,
}

impl Schemas {
    /// Finds the schemas folder: the given one, else `./schemas`, else the one beside the
    /// source tree this binary was built from.
    pub fn locate(explicit: Option<&Path>) -> PathBuf {
        if let Some(p) = explicit {
            return p.to_path_buf();
        }
        if let Ok(p) = std::env::var("SOHOA_SCHEMAS") {
            return PathBuf::from(p);
        }
        let local = PathBuf::from("schemas");
        if local.join("registers").is_dir() {
            return local;
        }
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas")
    }

    /// Loads and checks every file under `dir`.
    pub fn load(dir: &Path) -> Result<Schemas, SchemaErrors> {
        let mut problems = Vec::new();
        let mut hasher = Sha256::new();

        let registers_dir = dir.join("registers");
        let mut registers = BTreeMap::new();
        for (path, text) in read_toml_files(&registers_dir, &mut problems, &mut hasher) {
            match toml::from_str::<RegisterSchema>(&text) {
                Ok(r) => {
                    if registers.contains_key(&r.code) {
                        problems.push(SchemaProblem {
                            file: path.clone(),
                            message: format!("register code {} is defined twice", r.code),
                        });
                    }
                    registers.insert(r.code.clone(), r);
                }
                Err(e) => problems.push(SchemaProblem {
                    file: path,
                    message: e.to_string(),
                }),
            }
        }
        if registers.is_empty() && problems.is_empty() {
            problems.push(SchemaProblem {
                file: registers_dir.clone(),
                message: "no register schema found (expected registers/*.toml)".into(),
            });
        }

        let codes = CodeTables::load(&dir.join("codes"), &mut problems, &mut hasher);

        let mut editions = Vec::new();
        for (path, text) in read_toml_files(&dir.join("editions"), &mut problems, &mut hasher) {
            match toml::from_str::<FormEdition>(&text) {
                Ok(e) => editions.push((path, e)),
                Err(e) => problems.push(SchemaProblem {
                    file: path,
                    message: e.to_string(),
                }),
            }
        }

        // Label vocabularies are optional: a schemas folder without them reads labels by the
        // edition files alone.
        let mut labels = BTreeMap::new();
        let labels_dir = dir.join("labels");
        if labels_dir.is_dir() {
            for (path, text) in read_toml_files(&labels_dir, &mut problems, &mut hasher) {
                let vocabulary = match toml::from_str::<LabelVocabulary>(&text) {
                    Ok(v) => v,
                    Err(e) => {
                        problems.push(SchemaProblem {
                            file: path,
                            message: e.to_string(),
                        });
                        continue;
                    }
                };
                let found = match registers.get(&vocabulary.register) {
                    None => vec![format!(
                        "register = \"{}\" names no register schema",
                        vocabulary.register
                    )],
                    Some(_) if labels.contains_key(&vocabulary.register) => vec![format!(
                        "register {} has a label vocabulary already",
                        vocabulary.register
                    )],
                    Some(reg) => vocabulary.check(reg),
                };
                for message in found {
                    problems.push(SchemaProblem {
                        file: path.clone(),
                        message,
                    });
                }
                labels.insert(vocabulary.register.clone(), vocabulary);
            }
        }

        for (code, reg) in &registers {
            let file = registers_dir.join(format!("{code}.toml"));
            for message in reg.check(&codes) {
                problems.push(SchemaProblem {
                    file: file.clone(),
                    message,
                });
            }
        }
        for (path, ed) in &editions {
            match registers.get(&ed.register) {
                None => problems.push(SchemaProblem {
                    file: path.clone(),
                    message: format!("register = \"{}\" names no register schema", ed.register),
                }),
                Some(reg) => {
                    for message in ed.check(reg) {
                        problems.push(SchemaProblem {
                            file: path.clone(),
                            message,
                        });
                    }
                }
            }
        }

        if !problems.is_empty() {
            return Err(SchemaErrors(problems));
        }
        let mut editions: Vec<FormEdition> = editions.into_iter().map(|(_, e)| e).collect();
        editions.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Schemas {
            dir: dir.to_path_buf(),
            registers,
            codes,
            editions,
            labels,
            fingerprint: hex(&hasher.finalize()),
        })
    }

    pub fn register(&self, code: &str) -> Option<&RegisterSchema> {
        self.registers.get(code)
    }

    /// Editions of one register, in id order.
    pub fn editions_of<'a>(&'a self, register: &'a str) -> impl Iterator<Item = &'a FormEdition> {
        self.editions.iter().filter(move |e| e.register == register)
    }
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads every `*.toml` in a folder (sorted by name), feeding names and bytes to the hasher.
fn read_toml_files(
    dir: &Path,
    problems: &mut Vec<SchemaProblem>,
    hasher: &mut Sha256,
) -> Vec<(PathBuf, String)> {
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(e) => {
            problems.push(SchemaProblem {
                file: dir.to_path_buf(),
                message: format!("cannot read the folder: {e}"),
            });
            return Vec::new();
        }
    };
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                hasher.update(path.file_name().unwrap_or_default().as_encoded_bytes());
                hasher.update(text.as_bytes());
                out.push((path, text));
            }
            Err(e) => problems.push(SchemaProblem {
                file: path,
                message: format!("cannot read: {e}"),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_schemas() -> Schemas {
        Schemas::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas"))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn project_schemas_load_cleanly() {
        let s = project_schemas();
        let ks = s.register("KS").expect("KS register");
        assert_eq!(ks.columns.len(), 70);
        assert_eq!(ks.columns[5].header, "loaiDangKy \ni=[1,2,3,4,5,6]");
        assert!(s.editions_of("KS").count() >= 3);
        assert_eq!(s.codes.ethnicity.groups.len(), 56);
    }

    #[test]
    fn every_register_has_a_matching_model_and_a_delivery_file_on_its_columns() {
        let s = project_schemas();
        assert_eq!(
            s.registers.keys().collect::<Vec<_>>(),
            ["CMC", "GH", "HN", "KH", "KS", "KT", "NCN", "TDCC"]
        );
        for (code, reg) in &s.registers {
            let m = crate::dedup::config::MatchConfig::for_register(&s.dir, code)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(&m.register, code);
            for f in &m.fields {
                for c in &f.columns {
                    assert!(
                        reg.column(c).is_some(),
                        "matching/{code}.toml: no column {c}"
                    );
                }
            }
            let d = crate::package::schema::DeliverySchema::load(&s.dir, code)
                .unwrap_or_else(|e| panic!("{e}"));
            let b = &d.book_checks;
            for key in [&b.number_field, &b.date_field, &b.page_field]
                .into_iter()
                .chain(&b.repeated_names)
            {
                assert!(
                    reg.column(key).is_some(),
                    "delivery/{code}.toml: no column {key}"
                );
            }
            // Only the registers without a public template are provisional.
            assert_eq!(
                reg.provisional,
                ["GH", "TDCC", "NCN"].contains(&code.as_str()),
                "{code}"
            );
        }
        assert_eq!(s.register("KH").unwrap().columns.len(), 44);
        assert_eq!(s.register("KT").unwrap().columns.len(), 48);
        assert_eq!(s.register("CMC").unwrap().columns.len(), 50);
        assert_eq!(s.register("HN").unwrap().columns.len(), 35);
    }

    #[test]
    fn problems_are_all_reported_with_file_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("registers")).unwrap();
        std::fs::create_dir_all(dir.path().join("codes")).unwrap();
        std::fs::create_dir_all(dir.path().join("editions")).unwrap();
        std::fs::write(dir.path().join("registers/XX.toml"), "code = 5").unwrap();
        std::fs::write(dir.path().join("editions/bad.toml"), "register = ").unwrap();
        let err = Schemas::load(dir.path()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("XX.toml"), "{text}");
        assert!(text.contains("bad.toml"), "{text}");
    }
}
