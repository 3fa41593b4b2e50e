//! Reading a keyed workbook: an XLSX file (cells with their type, formula and font) or a CSV
//! file, into sheets of cells at their sheet positions. What the file is, is told from its
//! first bytes, not its name; a ZIP is unpacked once under a size limit before the XLSX reader
//! sees it, so a zip bomb is refused instead of filling the memory.

use super::cp1252;
use super::CheckError;
use calamine::{DataRef, Reader, Xlsx};
use std::io::BufReader;
use std::path::Path;

/// A cell as the workbook holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    /// A number the workbook formats as a date or a time: its serial in the 1900 date system
    /// (a 1904 workbook's serials are moved to it).
    Date(f64),
    Bool(bool),
    /// An error value (`#N/A`, `#VALUE!`).
    Error(String),
}

/// One cell: its value, the formula that computed it (if any) and its font's name.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Value,
    pub formula: Option<String>,
    pub font: Option<String>,
}

impl Cell {
    pub fn empty() -> Cell {
        Cell {
            value: Value::Empty,
            formula: None,
            font: None,
        }
    }

    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            value: Value::Text(s.into()),
            ..Cell::empty()
        }
    }

    pub fn is_blank(&self) -> bool {
        match &self.value {
            Value::Empty => self.formula.is_none(),
            Value::Text(t) => t.trim().is_empty() && self.formula.is_none(),
            _ => false,
        }
    }

    /// The cell as text, the way a person reads it: whole numbers without ".0".
    pub fn display(&self) -> String {
        match &self.value {
            Value::Empty => String::new(),
            Value::Text(t) => t.clone(),
            Value::Number(n) | Value::Date(n) => number_text(*n),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Error(e) => e.clone(),
        }
    }
}

/// A number as text: whole numbers without a fraction or an exponent (an ID of 12 digits is
/// 12 digits), others in their shortest form.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A sheet: rows of cells from A1; a row ends at its last cell holding something.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> Option<&Cell> {
        self.rows.get(row).and_then(|r| r.get(col))
    }
}

/// What kind of file the workbook came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Format {
    Xlsx,
    Csv {
        delimiter: u8,
        /// How the bytes were decoded, when not UTF-8.
        legacy: Option<String>,
    },
}

/// A workbook: its sheets in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub format: Format,
    pub sheets: Vec<Sheet>,
}

/// Limits on what a workbook may unpack to: a fixed 128 MiB (a register book of a few
/// thousand entries unpacks to a few megabytes; this leaves room for some eighty thousand rows of
/// 70 columns and stops a zip bomb before it fills the memory) and at most 10,000 parts.
pub type Limits = crate::workbook::InflationLimits;

/// The limits `check` reads keyed workbooks with.
pub fn keyed_workbook_limits() -> Limits {
    Limits {
        floor: 128 << 20,
        ratio: 0,
        ceiling: 128 << 20,
        max_parts: 10_000,
    }
}

/// Reads a workbook file.
pub fn read(path: &Path, limits: &Limits) -> Result<Workbook, CheckError> {
    let file = |e: std::io::Error| CheckError::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let size = std::fs::metadata(path).map_err(file)?.len();
    if size > limits.ceiling {
        return Err(CheckError::TooLarge {
            path: path.to_path_buf(),
            reason: format!(
                "it is {} MiB, more than the {} MiB a workbook may have",
                size >> 20,
                limits.ceiling >> 20
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(file)?;
    if bytes.is_empty() {
        return Err(CheckError::NotAWorkbook {
            path: path.to_path_buf(),
            reason: "the file is empty".into(),
        });
    }
    if bytes.starts_with(b"PK\x03\x04") {
        check_unpacked_size(path, &bytes, limits)?;
        return read_xlsx(path, bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(CheckError::NotAWorkbook {
            path: path.to_path_buf(),
            reason: "it is an Excel 97-2003 (.xls) file or a password-protected workbook: open \
                     it in Excel, remove any password and save it as .xlsx"
                .into(),
        });
    }
    if looks_like_text(&bytes) {
        return read_csv(path, &bytes);
    }
    Err(CheckError::NotAWorkbook {
        path: path.to_path_buf(),
        reason: "it is neither an XLSX workbook (a ZIP file) nor a CSV text file".into(),
    })
}

/// Text has no NUL bytes outside UTF-16 and few control characters.
fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        .count();
    controls == 0
}

/// Unpacks every part of the ZIP once, counting, and stops at the limit.
fn check_unpacked_size(path: &Path, bytes: &[u8], limits: &Limits) -> Result<(), CheckError> {
    use crate::workbook::WorkbookError as W;
    let reader = std::io::Cursor::new(bytes);
    crate::workbook::check_inflation_of(reader, bytes.len() as u64, path, limits).map_err(|e| {
        match e {
            W::TooLarge { limit_mb, .. } => CheckError::TooLarge {
                path: path.to_path_buf(),
                reason: format!(
                    "it unpacks to more than {limit_mb} MiB (a zip bomb, or far more than a \
                     register book)"
                ),
            },
            W::TooManyParts { parts, .. } => CheckError::TooLarge {
                path: path.to_path_buf(),
                reason: format!("it holds {parts} parts (at most {})", limits.max_parts),
            },
            W::NotZip { message, .. } | W::Open { message, .. } => CheckError::NotAWorkbook {
                path: path.to_path_buf(),
                reason: format!("the ZIP container is damaged ({message})"),
            },
        }
    })
}

fn read_xlsx(path: &Path, bytes: Vec<u8>) -> Result<Workbook, CheckError> {
    let bad = |e: calamine::XlsxError| CheckError::NotAWorkbook {
        path: path.to_path_buf(),
        reason: format!("it is not an Excel workbook that can be read ({e})"),
    };
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    let shift = if wb.has_1904_epoch() { 1462.0 } else { 0.0 };
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        // Cells are streamed, not laid out in a dense range: one stray value at XFD1048576
        // would otherwise ask for seventeen billion cells.
        let mut found: Vec<((u32, u32), Value, Option<String>)> = Vec::new();
        {
            let mut reader = wb.worksheet_cells_reader(&name).map_err(bad)?;
            while let Some(c) = reader.next_cell_with_formula().map_err(bad)? {
                let value = value_of(c.value, shift);
                let formula =
                    c.formula
                        .filter(|f| !f.is_empty())
                        .map(|f| match f.starts_with('=') {
                            true => f,
                            false => format!("={f}"),
                        });
                if value != Value::Empty || formula.is_some() {
                    found.push((c.pos, value, formula));
                }
            }
        }
        let styles = wb.worksheet_style(&name).ok();
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        for ((r, c), value, formula) in found {
            let (r, c) = (r as usize, c as usize);
            if rows.len() <= r {
                rows.resize_with(r + 1, Vec::new);
            }
            let row = &mut rows[r];
            if row.len() <= c {
                row.resize(c + 1, Cell::empty());
            }
            let font = styles
                .as_ref()
                .and_then(|s| s.get((r as u32, c as u32)))
                .and_then(|s| s.font.as_ref())
                .and_then(|f| f.name.clone());
            row[c] = Cell {
                value,
                formula,
                font,
            };
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(Workbook {
        format: Format::Xlsx,
        sheets,
    })
}

fn value_of(d: DataRef<'_>, shift: f64) -> Value {
    match d {
        DataRef::Empty => Value::Empty,
        DataRef::String(s) => Value::Text(s),
        DataRef::SharedString(s) => Value::Text(s.to_string()),
        DataRef::Int(i) => Value::Number(i as f64),
        DataRef::Float(f) => Value::Number(f),
        DataRef::Bool(b) => Value::Bool(b),
        DataRef::DateTime(dt) => Value::Date(dt.as_f64() + shift),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s),
        DataRef::Error(e) => Value::Error(e.to_string()),
    }
}

/// A CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, or else Windows-1252 (a file
/// saved by an old program: its legacy Vietnamese bytes then reach the cells as the characters
/// an XLSX cell would hold, and are found the same way). One leading apostrophe, Excel's mark
/// for "keep as text", is taken off each value.
fn read_csv(path: &Path, bytes: &[u8]) -> Result<Workbook, CheckError> {
    let (text, legacy) = decode_text(bytes);
    let delimiter = guess_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(BufReader::new(text.as_bytes()));
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| CheckError::NotAWorkbook {
            path: path.to_path_buf(),
            reason: format!("line {} is not valid CSV ({e})", i + 1),
        })?;
        rows.push(
            record
                .iter()
                .map(|v| Cell::text(v.strip_prefix('\'').unwrap_or(v)))
                .collect::<Vec<_>>(),
        );
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for row in &mut rows {
        row.resize(width, Cell::empty());
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Workbook {
        format: Format::Csv { delimiter, legacy },
        sheets: vec![Sheet { name, rows }],
    })
}

/// The text of a CSV file and, when it was not UTF-8, how it was read.
fn decode_text(bytes: &[u8]) -> (String, Option<String>) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), None);
    }
    for (bom, little) in [([0xFF, 0xFE], true), ([0xFE, 0xFF], false)] {
        if let Some(rest) = bytes.strip_prefix(&bom) {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|p| {
                    if little {
                        u16::from_le_bytes([p[0], p[1]])
                    } else {
                        u16::from_be_bytes([p[0], p[1]])
                    }
                })
                .collect();
            return (String::from_utf16_lossy(&units), None);
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), None),
        Err(e) => (
            cp1252::decode(bytes),
            Some(format!("byte {} is not UTF-8", e.valid_up_to())),
        ),
    }
}

/// The separator the header line uses most: comma, semicolon (Excel in locales with a decimal
/// comma) or tab ("Unicode text" export).
fn guess_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}
