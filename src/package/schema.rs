//! `schemas/delivery/<REG>.toml`: how a register's delivery package is named and which rules a
//! whole book of that register keeps. Data, so that a ministry naming change or another
//! register needs no Rust change.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// File names of a register's delivery package, as placeholder patterns (see [`super::naming`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamePatterns {
    /// Name of one entry's PDF inside the ZIP, extension included.
    pub entry: String,
    /// Stem shared by the book's `.xlsx` and `.zip`.
    pub book: String,
}

/// Parameters of the checks across a book.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BookCheckParams {
    /// Template key of the registration number.
    pub number_field: String,
    /// Template key of the registration date.
    pub date_field: String,
    /// Template key of the printed page number.
    pub page_field: String,
    /// The number the first entry of a year carries.
    pub first_number: i64,
    /// `book.toml` keys on which books of one numbering sequence agree.
    pub sequence_keys: Vec<String>,
    /// Template keys of names that repeat through a book (the signing official, the clerk):
    /// an entry spelling one differently in marks only is outvoted by the book.
    pub repeated_names: Vec<String>,
    /// Entries that must agree on a spelling before it outvotes another.
    pub min_agreeing: usize,
}

impl Default for BookCheckParams {
    /// The common columns every register template shares (domain reference 1.4-1.8), and the
    /// rule "numbers restart at 1 each year at each authority" (6.4).
    fn default() -> Self {
        Self {
            number_field: "so".into(),
            date_field: "ngayDangKy".into(),
            page_field: "trangSo".into(),
            first_number: 1,
            sequence_keys: vec!["register".into(), "year".into(), "authority".into()],
            repeated_names: Vec::new(),
            min_agreeing: 3,
        }
    }
}

/// One register's delivery file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySchema {
    pub register: String,
    pub names: NamePatterns,
    #[serde(default)]
    pub book_checks: BookCheckParams,
}

#[derive(Debug, thiserror::Error)]
pub enum DeliverySchemaError {
    #[error("{path}: no delivery schema for register {register} (expected this file)")]
    Missing { path: PathBuf, register: String },
    #[error("{path}: cannot be read: {message}")]
    Unreadable { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl DeliverySchema {
    /// The file of a register inside a schemas folder.
    pub fn path(schemas_dir: &Path, register: &str) -> PathBuf {
        schemas_dir
            .join("delivery")
            .join(format!("{register}.toml"))
    }

    /// Loads and checks `schemas_dir/delivery/<register>.toml`.
    pub fn load(schemas_dir: &Path, register: &str) -> Result<Self, DeliverySchemaError> {
        let path = Self::path(schemas_dir, register);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(DeliverySchemaError::Missing {
                    path,
                    register: register.into(),
                })
            }
            Err(e) => {
                return Err(DeliverySchemaError::Unreadable {
                    path,
                    message: e.to_string(),
                })
            }
        };
        let schema: DeliverySchema =
            toml::from_str(&text).map_err(|e| DeliverySchemaError::Invalid {
                path: path.clone(),
                message: e.to_string(),
            })?;
        if schema.register != register {
            return Err(DeliverySchemaError::Invalid {
                path,
                message: format!(
                    "register = \"{}\" but the file is named for {register}",
                    schema.register
                ),
            });
        }
        for (what, pattern) in [
            ("names.entry", &schema.names.entry),
            ("names.book", &schema.names.book),
        ] {
            if let Err(message) = super::naming::Pattern::parse(pattern) {
                return Err(DeliverySchemaError::Invalid {
                    path,
                    message: format!("{what}: {message}"),
                });
            }
        }
        Ok(schema)
    }

    /// The book-check parameters of a register: its file's, else the defaults (the columns all
    /// registers share), so a register without a delivery file is still checked.
    pub fn book_checks_of(schemas_dir: &Path, register: &str) -> Result<BookCheckParams, String> {
        match Self::load(schemas_dir, register) {
            Ok(s) => Ok(s.book_checks),
            Err(DeliverySchemaError::Missing { .. }) => Ok(BookCheckParams::default()),
            Err(e) => Err(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_schemas() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas")
    }

    #[test]
    fn project_ks_delivery_schema_loads() {
        let s = DeliverySchema::load(&project_schemas(), "KS").unwrap();
        assert!(s.names.entry.ends_with(".pdf"));
        assert_eq!(s.book_checks.number_field, "so");
        assert_eq!(s.book_checks.first_number, 1);
    }

    #[test]
    fn missing_and_bad_files_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = DeliverySchema::load(dir.path(), "KH").unwrap_err();
        assert!(matches!(e, DeliverySchemaError::Missing { .. }));
        assert!(e.to_string().contains("KH.toml"));
        assert_eq!(
            DeliverySchema::book_checks_of(dir.path(), "KH").unwrap(),
            BookCheckParams::default()
        );
        std::fs::create_dir_all(dir.path().join("delivery")).unwrap();
        std::fs::write(
            dir.path().join("delivery/KS.toml"),
            "register = \"KS\"\n[names]\nentry = \"{so\"\nbook = \"b\"\n",
        )
        .unwrap();
        let e = DeliverySchema::load(dir.path(), "KS").unwrap_err();
        assert!(e.to_string().contains("names.entry"), "{e}");
    }
}
