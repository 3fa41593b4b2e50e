//! The data rows of a sheet, each checked cell by cell and then validated as an entry of its
//! register, with the pipeline's own validation (`validate::validate_entry`): the same required
//! fields, codes, dates and rules. One row that cannot be checked is reported and the others
//! are checked all the same.

use super::cells::{CellChecker, CellOutcome};
use super::codes;
use super::headers::HeaderMap;
use super::source::{Cell, Sheet};
use crate::page::{Entry, Finding};
use crate::schema::{CodeTables, RegisterSchema};
use crate::validate::{messages, validate_entry, ValidateParams};
use std::collections::{BTreeMap, HashMap};

/// A finding placed in the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// 0-based sheet row (the header row for findings about columns).
    pub row: usize,
    /// 0-based sheet column, when the finding is about one cell or header.
    pub col: Option<usize>,
    /// The cell as read (the header, for column findings).
    pub value: String,
    /// The value sohoa proposes.
    pub suggestion: Option<String>,
    /// Whether `--fix` writes the suggestion.
    pub fixable: bool,
    pub finding: Finding,
}

/// Everything a row is checked with.
pub struct RowChecker<'a> {
    /// The register with its variant columns.
    pub register: &'a RegisterSchema,
    pub map: &'a HeaderMap,
    pub cells: CellChecker<'a>,
    pub codes: &'a CodeTables,
    pub params: ValidateParams,
}

/// What checking the rows gives.
#[derive(Debug, Default)]
pub struct RowsChecked {
    pub rows: usize,
    pub findings: Vec<Located>,
    /// Cell texts `--fix` writes, by (row, column).
    pub fixes: BTreeMap<(usize, usize), String>,
}

impl RowChecker<'_> {
    /// Checks every non-blank row below the header row.
    pub fn check(&self, sheet: &Sheet, header_row: usize) -> RowsChecked {
        let mut out = RowsChecked::default();
        let mut numbers: HashMap<(String, String), usize> = HashMap::new();
        let key_col = |key: &str| self.sheet_column(key);
        for (r, row) in sheet.rows.iter().enumerate().skip(header_row + 1) {
            if row.iter().all(Cell::is_blank) {
                continue;
            }
            out.rows += 1;
            let checked =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.check_row(r, row)));
            let (findings, fixes, values) = match checked {
                Ok(x) => x,
                Err(panic) => {
                    let why = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "internal error".into());
                    out.findings.push(Located {
                        row: r,
                        col: None,
                        value: String::new(),
                        suggestion: None,
                        fixable: false,
                        finding: codes::ROW_FAILED.finding("", &why),
                    });
                    continue;
                }
            };
            out.findings.extend(findings);
            out.fixes.extend(fixes);
            // A volume and number keyed twice.
            let (Some(so), Some(volume)) = (values.get("so"), values.get("quyenSo")) else {
                continue;
            };
            match numbers.get(&(volume.clone(), so.clone())) {
                Some(first) => out.findings.push(Located {
                    row: r,
                    col: key_col("so"),
                    value: so.clone(),
                    suggestion: None,
                    fixable: false,
                    finding: codes::DUPLICATE_NUMBER.finding("so", &(first + 1).to_string()),
                }),
                None => {
                    numbers.insert((volume.clone(), so.clone()), r);
                }
            }
        }
        out
    }

    /// The sheet column holding a register key.
    fn sheet_column(&self, key: &str) -> Option<usize> {
        self.map
            .columns
            .iter()
            .position(|j| j.is_some_and(|j| self.register.columns[j].key == key))
    }

    #[allow(clippy::type_complexity)]
    fn check_row(
        &self,
        r: usize,
        row: &[Cell],
    ) -> (
        Vec<Located>,
        BTreeMap<(usize, usize), String>,
        BTreeMap<String, String>,
    ) {
        let blank = Cell::empty();
        let cell_at = |c: usize| row.get(c).unwrap_or(&blank);
        // Document types first: a document number's length depends on them.
        let mut doc_types: HashMap<&str, String> = HashMap::new();
        for (c, j) in self.map.columns.iter().enumerate() {
            let Some(col) = j.map(|j| &self.register.columns[j]) else {
                continue;
            };
            if col.role == "LoaiGiayToTuyThan" {
                let o = self.cells.check(cell_at(c), &col.kind, None);
                doc_types.insert(col.person.as_str(), o.value);
            }
        }
        let mut outcomes: Vec<(usize, &str, CellOutcome)> = Vec::new();
        for (c, j) in self.map.columns.iter().enumerate() {
            let Some(col) = j.map(|j| &self.register.columns[j]) else {
                continue;
            };
            let doc = doc_types.get(col.person.as_str()).map(String::as_str);
            outcomes.push((
                c,
                col.key.as_str(),
                self.cells.check(cell_at(c), &col.kind, doc),
            ));
        }
        let values: BTreeMap<String, String> = outcomes
            .iter()
            .filter(|(_, _, o)| !o.value.is_empty())
            .map(|(_, k, o)| (k.to_string(), o.value.clone()))
            .collect();
        let mut entry = Entry::from_values(r as u32 + 1, values.clone());
        validate_entry(&mut entry, self.register, self.codes, &[], &self.params);

        let mut findings = Vec::new();
        let mut fixes = BTreeMap::new();
        for (c, key, o) in &outcomes {
            if let Some(fix) = &o.fix {
                fixes.insert((r, *c), fix.clone());
            }
            for f in &o.findings {
                findings.push(Located {
                    row: r,
                    col: Some(*c),
                    value: cell_at(*c).display(),
                    suggestion: f.suggestion.clone(),
                    fixable: f.fixable,
                    finding: f.generic.finding(key, &f.detail),
                });
            }
        }
        for f in entry.findings {
            let col = f.field.as_deref().and_then(|k| self.sheet_column(k));
            // A column the sheet lacks is reported once, with the headers.
            if f.code == messages::MISSING_REQUIRED.code && col.is_none() {
                continue;
            }
            findings.push(Located {
                row: r,
                col,
                value: col.map(|c| cell_at(c).display()).unwrap_or_default(),
                suggestion: None,
                fixable: false,
                finding: f,
            });
        }
        (findings, fixes, values)
    }
}
