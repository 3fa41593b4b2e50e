//! `sohoa check`: a contractor's hand-keyed workbook checked the way the pipeline checks what it
//! reads from the page images.
//!
//! The workbook (XLSX in the ministry's template, or CSV) is read cell by cell with each cell's
//! type, formula and font ([`source`]); its header row is matched to a register's template
//! columns by their keys, and the register found from the headers when not named ([`headers`]);
//! every cell is checked for what Excel and old keyboards do to text (legacy Vietnamese
//! encodings, [`legacy`]; dates and ID numbers stored as numbers; formulas; stray spaces) and
//! for its column's kind ([`cells`]); each row is then validated as an entry of the register
//! with the pipeline's validation and the register's rules ([`rows`]). Findings carry the row
//! and the cell; they are written as a CSV file and onto a highlighted copy of the workbook,
//! and with `--fix` what can be put right for certain (encodings, date formats, spaces, header
//! names, numbers stored as numbers) is written into a corrected workbook beside the original
//! ([`write`]).
//!
//! ```text
//! sohoa check book.xlsx                  # findings -> book.check.csv, book.check.xlsx
//! sohoa check book.csv --register KT --fix --out review/
//! ```

pub mod cells;
pub mod codes;
mod cp1252;
pub mod headers;
pub mod legacy;
mod legacy_table;
pub mod rows;
pub mod source;
pub mod write;

use crate::normalize::Normalizer;
use crate::page::Severity;
use crate::schema::{RegisterSchema, Requirement, Schemas};
use crate::validate::ValidateParams;
use legacy::Encoding;
use rows::Located;
use source::{Cell, Format, Limits, Workbook};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a workbook could not be checked at all. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("{path}: cannot be read: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("{path}: {reason}")]
    NotAWorkbook { path: PathBuf, reason: String },
    #[error("{path}: refused: {reason}")]
    TooLarge { path: PathBuf, reason: String },
    #[error("{path}: no sheet named \"{wanted}\" (the workbook has: {found}); name the data sheet with --sheet")]
    NoSheet {
        path: PathBuf,
        wanted: String,
        found: String,
    },
    #[error("{path}: the data sheet \"{sheet}\" is empty")]
    EmptySheet { path: PathBuf, sheet: String },
    #[error("{path}: {reason}")]
    NoRegister { path: PathBuf, reason: String },
    #[error("no register \"{register}\" (known: {known})")]
    UnknownRegister { register: String, known: String },
    #[error("{path}: cannot write: {reason}")]
    Write { path: PathBuf, reason: String },
}

/// What to check and where to write.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The register, when not to be found from the headers.
    pub register: Option<String>,
    /// The data sheet, when not the template's ("DL Import").
    pub sheet: Option<String>,
    /// Write a corrected workbook beside the original.
    pub fix: bool,
    /// Folder for the findings and the highlighted copy (default: the workbook's folder).
    pub out: Option<PathBuf>,
    pub validate: ValidateParams,
    pub limits: Limits,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            register: None,
            sheet: None,
            fix: false,
            out: None,
            validate: ValidateParams::default(),
            limits: source::keyed_workbook_limits(),
        }
    }
}

/// The findings of a workbook and what `--fix` would write.
#[derive(Debug)]
pub struct Analysis {
    pub register: String,
    pub register_name: String,
    pub provisional: bool,
    /// The data sheet the register's template names ("DL Import").
    pub register_sheet: String,
    /// Index of the data sheet in the workbook.
    pub sheet: usize,
    /// 0-based row of the headers.
    pub header_row: usize,
    /// Data rows checked (blank rows are skipped).
    pub rows: usize,
    pub findings: Vec<Located>,
    /// Cell texts `--fix` writes, by (row, column).
    pub fixes: BTreeMap<(usize, usize), String>,
    /// Header texts `--fix` writes, by column.
    pub header_fixes: BTreeMap<usize, String>,
    /// The encoding most of the sheet was keyed in, when not Unicode.
    pub sheet_encoding: Option<Encoding>,
}

impl Analysis {
    /// Findings by severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.finding.severity == severity)
            .count()
    }

    /// Data rows whose worst finding has this severity.
    pub fn rows_at_worst(&self, severity: Severity) -> usize {
        let mut worst: BTreeMap<usize, Severity> = BTreeMap::new();
        for f in self.findings.iter().filter(|f| f.row != self.header_row) {
            let w = worst.entry(f.row).or_insert(f.finding.severity);
            *w = (*w).max(f.finding.severity);
        }
        worst.values().filter(|s| **s == severity).count()
    }

    /// Whether a person has something to do: any error or review finding.
    pub fn needs_action(&self) -> bool {
        self.count(Severity::Error) + self.count(Severity::Review) > 0
    }
}

/// Finds the data sheet: the one named, else the one a register's template names.
fn data_sheet(
    path: &Path,
    workbook: &Workbook,
    wanted: Option<&str>,
    schemas: &Schemas,
) -> Result<usize, CheckError> {
    if let Format::Csv { .. } = workbook.format {
        return Ok(0);
    }
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let names: Vec<String> = match wanted {
        Some(w) => vec![w.to_string()],
        None => {
            let mut n: Vec<String> = schemas
                .registers
                .values()
                .map(|r| r.sheet.clone())
                .collect();
            n.sort();
            n.dedup();
            n
        }
    };
    workbook
        .sheets
        .iter()
        .position(|s| names.iter().any(|n| same(&s.name, n)))
        .ok_or_else(|| CheckError::NoSheet {
            path: path.to_path_buf(),
            wanted: names.join("\" or \""),
            found: workbook
                .sheets
                .iter()
                .map(|s| format!("\"{}\"", s.name))
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Checks a workbook already read.
pub fn analyse(
    path: &Path,
    workbook: &Workbook,
    schemas: &Schemas,
    options: &CheckOptions,
) -> Result<Analysis, CheckError> {
    let sheet_index = data_sheet(path, workbook, options.sheet.as_deref(), schemas)?;
    let sheet = &workbook.sheets[sheet_index];
    let header_row = sheet
        .rows
        .iter()
        .position(|r| r.iter().any(|c| !c.is_blank()))
        .ok_or_else(|| CheckError::EmptySheet {
            path: path.to_path_buf(),
            sheet: sheet.name.clone(),
        })?;
    let headers: Vec<String> = sheet.rows[header_row].iter().map(Cell::display).collect();
    let register: &RegisterSchema = match &options.register {
        Some(code) => schemas
            .registers
            .values()
            .find(|r| r.code.eq_ignore_ascii_case(code))
            .ok_or_else(|| CheckError::UnknownRegister {
                register: code.clone(),
                known: schemas
                    .registers
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
            })?,
        None => headers::detect_register(&headers, schemas).map_err(|reason| {
            CheckError::NoRegister {
                path: path.to_path_buf(),
                reason,
            }
        })?,
    };
    let wide = register.with_variant_columns();
    let template = register.columns.len();
    let map = headers::map_headers(&headers, register);
    let mut findings = Vec::new();
    let mut header_fixes = BTreeMap::new();
    let at_header = |col: Option<usize>, value: &str, finding| Located {
        row: header_row,
        col,
        value: value.to_string(),
        suggestion: None,
        fixable: false,
        finding,
    };
    if register.provisional {
        findings.push(at_header(
            None,
            "",
            codes::PROVISIONAL_REGISTER.finding(&register.code, ""),
        ));
    }
    if let Format::Csv {
        legacy: Some(why), ..
    } = &workbook.format
    {
        findings.push(at_header(None, "", codes::CSV_ENCODING.finding("", why)));
    }
    for (c, j) in map.columns.iter().enumerate() {
        let Some(j) = *j else { continue };
        let col = &wide.columns[j];
        if j >= template {
            findings.push(at_header(
                Some(c),
                &headers[c],
                codes::HEADER_VARIANT.finding(&col.key, ""),
            ));
        } else if headers[c] != col.header {
            let mut f = at_header(
                Some(c),
                &headers[c],
                codes::HEADER_SPELLING.finding(&col.key, &col.header.escape_debug().to_string()),
            );
            f.suggestion = Some(col.header.clone());
            f.fixable = true;
            findings.push(f);
            header_fixes.insert(c, col.header.clone());
        }
    }
    for (c, header) in &map.unknown {
        findings.push(at_header(
            Some(*c),
            header,
            codes::HEADER_UNKNOWN.finding(&register.code, header),
        ));
    }
    for (c, first) in &map.repeated {
        let key = headers::leading_key(&headers[*c]).to_string();
        findings.push(at_header(
            Some(*c),
            &headers[*c],
            codes::HEADER_DUPLICATE.finding(&key, &write::column_name(*first)),
        ));
    }
    for j in &map.missing {
        let col = &wide.columns[*j];
        let required = matches!(col.require, Requirement::Always | Requirement::Expected);
        let code = if required {
            &codes::HEADER_MISSING
        } else {
            &codes::HEADER_MISSING_OPTIONAL
        };
        findings.push(at_header(None, "", code.finding(&col.key, "")));
    }

    // The encoding most of the sheet was keyed in decides the cells that read both ways.
    let texts: Vec<String> = sheet
        .rows
        .iter()
        .skip(header_row + 1)
        .flatten()
        .filter_map(|c| match &c.value {
            source::Value::Text(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let sheet_encoding = legacy::sheet_encoding(texts.iter().map(String::as_str));
    let normalizer = Normalizer::new(&schemas.codes);
    let checker = rows::RowChecker {
        register: &wide,
        map: &map,
        cells: cells::CellChecker {
            normalizer: &normalizer,
            codes: &schemas.codes,
            sheet_encoding,
        },
        codes: &schemas.codes,
        params: options.validate.clone(),
    };
    let checked = checker.check(sheet, header_row);
    findings.extend(checked.findings);
    findings.sort_by_key(|f| (f.row, f.col.map(|c| c + 1).unwrap_or(0)));
    Ok(Analysis {
        register: register.code.clone(),
        register_name: format!("{} ({})", register.name_vi, register.name_en),
        provisional: register.provisional,
        register_sheet: register.sheet.clone(),
        sheet: sheet_index,
        header_row,
        rows: checked.rows,
        findings,
        fixes: checked.fixes,
        header_fixes,
        sheet_encoding,
    })
}

/// Where the outputs went.
#[derive(Debug, Clone)]
pub struct Outputs {
    pub findings_csv: PathBuf,
    pub checked_xlsx: PathBuf,
    pub fixed: Option<PathBuf>,
}

/// A checked file: what was found and where it was written.
#[derive(Debug)]
pub struct CheckReport {
    pub file: PathBuf,
    pub sheet: String,
    pub analysis: Analysis,
    pub outputs: Outputs,
}

/// Reads, checks and writes the outputs for one workbook file.
pub fn check_file(
    path: &Path,
    schemas: &Schemas,
    options: &CheckOptions,
) -> Result<CheckReport, CheckError> {
    if !path.is_file() {
        return Err(CheckError::Unreadable {
            path: path.to_path_buf(),
            reason: if path.exists() {
                "it is not a file".into()
            } else {
                "no such file".into()
            },
        });
    }
    let workbook = source::read(path, &options.limits)?;
    let analysis = analyse(path, &workbook, schemas, options)?;
    let sheet = &workbook.sheets[analysis.sheet];
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workbook".into());
    let beside = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let out_dir = options.out.clone().unwrap_or_else(|| beside.clone());
    let write_error = |p: &Path, reason: String| CheckError::Write {
        path: p.to_path_buf(),
        reason,
    };
    std::fs::create_dir_all(&out_dir).map_err(|e| write_error(&out_dir, e.to_string()))?;
    let outputs = Outputs {
        findings_csv: out_dir.join(format!("{stem}.check.csv")),
        checked_xlsx: out_dir.join(format!("{stem}.check.xlsx")),
        fixed: options.fix.then(|| {
            let ext = match workbook.format {
                Format::Xlsx => "xlsx",
                Format::Csv { .. } => "csv",
            };
            beside.join(format!("{stem}.fixed.{ext}"))
        }),
    };
    let original = std::fs::canonicalize(path).ok();
    let save = |p: &Path, bytes: Vec<u8>| -> Result<(), CheckError> {
        let same = p
            .canonicalize()
            .ok()
            .is_some_and(|c| Some(c) == original.clone());
        if same {
            return Err(write_error(
                p,
                "it is the workbook being checked: never written over".into(),
            ));
        }
        crate::store::write_atomic(p, &bytes).map_err(|e| write_error(p, e.to_string()))
    };
    let csv = write::findings_csv(&analysis, sheet, options.fix)
        .map_err(|e| write_error(&outputs.findings_csv, e.to_string()))?;
    save(&outputs.findings_csv, csv)?;
    let summary = summary_lines(path, sheet, &analysis);
    let copy = write::checked_copy(&workbook, &analysis, &summary)
        .map_err(|e| write_error(&outputs.checked_xlsx, e.to_string()))?;
    save(&outputs.checked_xlsx, copy)?;
    if let Some(fixed) = &outputs.fixed {
        let bytes = match workbook.format {
            Format::Xlsx => write::fixed_xlsx(&workbook, &analysis).map_err(|e| e.to_string()),
            Format::Csv { .. } => write::fixed_csv(&workbook, &analysis).map_err(|e| e.to_string()),
        }
        .map_err(|e| write_error(fixed, e))?;
        save(fixed, bytes)?;
    }
    Ok(CheckReport {
        file: path.to_path_buf(),
        sheet: sheet.name.clone(),
        analysis,
        outputs,
    })
}

/// The first lines of the findings sheet of the highlighted copy.
fn summary_lines(path: &Path, sheet: &source::Sheet, a: &Analysis) -> Vec<(String, String)> {
    let mut lines = vec![
        ("file".into(), path.display().to_string()),
        ("sheet".into(), sheet.name.clone()),
        (
            "register".into(),
            format!("{} — {}", a.register, a.register_name),
        ),
        (
            "provisional".into(),
            if a.provisional {
                "yes: columns of sohoa's own design, no public template".into()
            } else {
                "no".into()
            },
        ),
        ("rows checked".into(), a.rows.to_string()),
        ("errors".into(), a.count(Severity::Error).to_string()),
        ("to review".into(), a.count(Severity::Review).to_string()),
        ("info".into(), a.count(Severity::Info).to_string()),
    ];
    if let Some(e) = a.sheet_encoding {
        lines.push(("sheet keyed in".into(), e.name().to_string()));
    }
    lines
}
