//! The review queue as a spreadsheet, for contractors who key in Excel: `sohoa review OUT
//! --export-queue queue.xlsx|csv` writes one row per doubtful field, and `sohoa review OUT
//! --import FILE --reviewer NAME` applies a filled one through the same journal and checks as
//! the review page.
//!
//! Columns: `book_id,page,entry,field,label,value_read,finding,checked_value`. `field` is the
//! template column's key; `value_read` is the value as the import file would hold it now;
//! `checked_value` is left empty for the person to fill in template form. On import, a row whose
//! `checked_value` equals `value_read` confirms it, another value corrects it (normalised and
//! checked as typed), `#illegible` (or `#khongdoc`) marks it illegible, and an empty one is
//! left alone. Rows for a whole entry (`field` empty) take `#ok` (the entry's findings are
//! looked at and it stands) or `#reject: reason`. A bad row is reported with its line and
//! nothing of the file is applied.

use super::queue::FieldItem;
use super::session::{DecideError, DecisionRequest, Session};
use crate::emit::{clean_cell, strip_controls, UTF8_BOM};
use crate::store::write_atomic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const COLUMNS: [&str; 8] = [
    "book_id",
    "page",
    "entry",
    "field",
    "label",
    "value_read",
    "finding",
    "checked_value",
];

/// Markers a person may write in `checked_value`.
pub const ILLEGIBLE: [&str; 2] = ["#illegible", "#khongdoc"];
pub const ENTRY_OK: &str = "#ok";
pub const ENTRY_REJECT: &str = "#reject";

#[derive(Debug, thiserror::Error)]
pub enum QueueFileError {
    #[error("{path}: cannot write the queue: {message}")]
    Write { path: PathBuf, message: String },
    #[error("{path}: cannot read the queue: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path}: column `{column}` is missing (the queue has book_id, page, entry, field, label, value_read, finding, checked_value)")]
    MissingColumn { path: PathBuf, column: String },
    #[error("{path}, line {line}: {message}; nothing of the file was applied")]
    Row {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// One row of a queue file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueueRow {
    pub book_id: String,
    pub page: String,
    pub entry: String,
    pub field: String,
    pub label: String,
    pub value_read: String,
    pub finding: String,
    pub checked_value: String,
}

impl QueueRow {
    fn cells(&self) -> [&str; 8] {
        [
            &self.book_id,
            &self.page,
            &self.entry,
            &self.field,
            &self.label,
            &self.value_read,
            &self.finding,
            &self.checked_value,
        ]
    }
}

fn findings_text(findings: &[crate::page::Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("{}: {}", f.code, f.message_vi))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The queue's rows: fields grouped by kind, then in book order; a field to key from the image
/// is shown without its reading; then the entries to look at as a whole.
pub fn queue_rows(session: &Session) -> Vec<QueueRow> {
    let mut fields: Vec<&FieldItem> = session.queue.fields.iter().collect();
    fields.sort_by(|a, b| {
        (a.group, &a.target.book_id, a.target.page, a.target.entry).cmp(&(
            b.group,
            &b.target.book_id,
            b.target.page,
            b.target.entry,
        ))
    });
    let mut rows: Vec<QueueRow> = fields
        .into_iter()
        .map(|i| QueueRow {
            book_id: i.target.book_id.clone(),
            page: i.target.page.to_string(),
            entry: i.target.entry.to_string(),
            field: i.target.field.clone(),
            label: i.label.clone(),
            value_read: if i.keying {
                String::new()
            } else {
                i.value.clone()
            },
            finding: findings_text(&i.findings),
            checked_value: String::new(),
        })
        .collect();
    rows.extend(session.queue.entries.iter().map(|e| QueueRow {
        book_id: e.target.book_id.clone(),
        page: e.target.page.to_string(),
        entry: e.target.entry.to_string(),
        field: String::new(),
        label: "(cả mục / whole entry)".into(),
        value_read: String::new(),
        finding: findings_text(&e.findings),
        checked_value: String::new(),
    }));
    rows
}

fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Writes the queue as XLSX (text cells) or CSV (UTF-8 with BOM), by the file's extension.
pub fn write_queue(path: &Path, rows: &[QueueRow]) -> Result<(), QueueFileError> {
    let err = |m: String| QueueFileError::Write {
        path: path.to_path_buf(),
        message: m,
    };
    let bytes = if is_xlsx(path) {
        xlsx_bytes(rows).map_err(|e| err(e.to_string()))?
    } else {
        let mut w = csv::Writer::from_writer(UTF8_BOM.to_vec());
        w.write_record(COLUMNS).map_err(|e| err(e.to_string()))?;
        for r in rows {
            w.write_record(r.cells().map(clean_cell))
                .map_err(|e| err(e.to_string()))?;
        }
        w.into_inner().map_err(|e| err(e.to_string()))?
    };
    write_atomic(path, &bytes).map_err(|e| err(e.to_string()))
}

fn xlsx_bytes(rows: &[QueueRow]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let fixed = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&fixed));
    let text = Format::new().set_num_format("@");
    let head = Format::new().set_bold().set_num_format("@");
    let fill = Format::new()
        .set_num_format("@")
        .set_background_color(rust_xlsxwriter::Color::RGB(0xFFF2CC));
    let sheet = wb.add_worksheet();
    sheet.set_name("queue")?;
    let widths = [16.0, 6.0, 6.0, 18.0, 34.0, 34.0, 60.0, 34.0];
    for (c, (name, w)) in COLUMNS.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &head)?;
        let format = if c == 7 { &fill } else { &text };
        sheet.set_column_width(c as u16, w)?;
        sheet.set_column_format(c as u16, format)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.cells().iter().enumerate() {
            if !value.is_empty() {
                let format = if c == 7 { &fill } else { &text };
                sheet.write_string_with_format(
                    r as u32 + 1,
                    c as u16,
                    strip_controls(value).as_ref(),
                    format,
                )?;
            }
        }
    }
    wb.save_to_buffer()
}

/// Reads a queue file (XLSX or CSV) with its line numbers (the header is line 1).
pub fn read_queue(path: &Path) -> Result<Vec<(usize, QueueRow)>, QueueFileError> {
    let err = |m: String| QueueFileError::Read {
        path: path.to_path_buf(),
        message: m,
    };
    let table: Vec<Vec<String>> = if is_xlsx(path) {
        use calamine::{open_workbook_auto, Data, Reader};
        crate::workbook::check_inflation(path, &crate::workbook::InflationLimits::default())
            .map_err(|e| err(e.to_string()))?;
        let mut wb = open_workbook_auto(path).map_err(|e| err(e.to_string()))?;
        let sheet = wb
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| err("the workbook has no sheet".into()))?;
        let range = wb.worksheet_range(&sheet).map_err(|e| err(e.to_string()))?;
        range
            .rows()
            .map(|row| {
                row.iter()
                    .map(|c| match c {
                        Data::Empty => String::new(),
                        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect()
    } else {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(path)
            .map_err(|e| err(e.to_string()))?;
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| err(e.to_string()))?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        rows
    };
    let mut lines = table.into_iter();
    let header: Vec<String> = lines
        .next()
        .ok_or_else(|| err("the file is empty".into()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let mut at = [0usize; 8];
    for (i, name) in COLUMNS.iter().enumerate() {
        at[i] =
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| QueueFileError::MissingColumn {
                    path: path.to_path_buf(),
                    column: name.to_string(),
                })?;
    }
    // A cell neutralised against formulas on export comes back without its quote.
    let cell = |row: &[String], i: usize| {
        let v = row.get(at[i]).map(|s| s.trim()).unwrap_or("");
        match v.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
            _ => v.to_string(),
        }
    };
    Ok(lines
        .enumerate()
        .filter(|(_, row)| row.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, row)| {
            (
                i + 2,
                QueueRow {
                    book_id: cell(&row, 0),
                    page: cell(&row, 1),
                    entry: cell(&row, 2),
                    field: cell(&row, 3),
                    label: cell(&row, 4),
                    value_read: cell(&row, 5),
                    finding: cell(&row, 6),
                    checked_value: cell(&row, 7),
                },
            )
        })
        .collect())
}

/// What an import did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportSummary {
    pub rows: usize,
    pub confirmed: usize,
    pub corrected: usize,
    pub illegible: usize,
    pub entries: usize,
    pub left_alone: usize,
}

/// Applies a filled queue file: every row checked first, then all recorded in one step.
pub fn import_queue(
    session: &mut Session,
    path: &Path,
    who: &str,
) -> Result<ImportSummary, QueueFileError> {
    let rows = read_queue(path)?;
    let row_err = |line: usize, message: String| QueueFileError::Row {
        path: path.to_path_buf(),
        line,
        message,
    };
    let items: BTreeMap<(String, u32, u32, String), &FieldItem> = session
        .queue
        .fields
        .iter()
        .map(|i| {
            (
                (
                    i.target.book_id.clone(),
                    i.target.page,
                    i.target.entry,
                    i.target.field.clone(),
                ),
                i,
            )
        })
        .collect();
    let mut summary = ImportSummary {
        rows: rows.len(),
        ..ImportSummary::default()
    };
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut requests: Vec<(String, DecisionRequest)> = Vec::new();
    for (line, row) in &rows {
        let checked = row.checked_value.trim();
        if checked.is_empty() {
            summary.left_alone += 1;
            continue;
        }
        let number = |s: &str, what: &str| {
            s.parse::<u32>()
                .map_err(|_| row_err(*line, format!("{what} \"{s}\" is not a number")))
        };
        let (page, entry) = (number(&row.page, "page")?, number(&row.entry, "entry")?);
        let base = DecisionRequest {
            book_id: row.book_id.clone(),
            page,
            entry,
            field: row.field.clone(),
            ..DecisionRequest::default()
        };
        let source = format!("import:{file}:{line}");
        if row.field.is_empty() {
            let lower = checked.to_lowercase();
            let req = if lower == ENTRY_OK {
                DecisionRequest {
                    action: "confirm_entry".into(),
                    ..base
                }
            } else if let Some(reason) = lower.strip_prefix(ENTRY_REJECT) {
                let reason = checked[checked.len() - reason.len()..]
                    .trim_start_matches([':', ' '])
                    .to_string();
                DecisionRequest {
                    action: "reject_entry".into(),
                    reason,
                    ..base
                }
            } else {
                return Err(row_err(
                    *line,
                    format!(
                        "a row for a whole entry takes {ENTRY_OK} or {ENTRY_REJECT}: reason, not \"{checked}\""
                    ),
                ));
            };
            summary.entries += 1;
            requests.push((source, req));
            continue;
        }
        let key = (row.book_id.clone(), page, entry, row.field.clone());
        let item = items.get(&key).ok_or_else(|| {
            row_err(
                *line,
                format!(
                    "{}:{}:{} {} is not in the queue now (settled meanwhile, or the run changed): export the queue again",
                    row.book_id, page, entry, row.field
                ),
            )
        })?;
        let shown = if item.keying { "" } else { item.value.as_str() };
        if row.value_read != shown {
            return Err(row_err(
                *line,
                format!(
                    "the value read was \"{}\" when the queue was written and is \"{shown}\" now: export the queue again",
                    row.value_read
                ),
            ));
        }
        let keyed = item.keying;
        let req = if ILLEGIBLE.iter().any(|m| checked.eq_ignore_ascii_case(m)) {
            summary.illegible += 1;
            DecisionRequest {
                action: if keyed { "keyed" } else { "illegible" }.into(),
                value: String::new(),
                supersedes: if keyed { None } else { item.latest },
                ..base
            }
        } else if !keyed && checked == row.value_read {
            summary.confirmed += 1;
            DecisionRequest {
                action: "confirm".into(),
                supersedes: item.latest,
                ..base
            }
        } else {
            summary.corrected += 1;
            DecisionRequest {
                action: if keyed { "keyed" } else { "correct" }.into(),
                value: checked.to_string(),
                supersedes: if keyed { None } else { item.latest },
                ..base
            }
        };
        requests.push((source, req));
    }
    session
        .decide_all(who, "reviewer", &requests)
        .map_err(|(source, e)| {
            let line = source
                .rsplit(':')
                .next()
                .and_then(|l| l.parse().ok())
                .unwrap_or(0);
            let message = match e {
                DecideError::Refused(r) => format!("{} ({})", r.message_en, r.message_vi),
                other => other.to_string(),
            };
            row_err(line, message)
        })?;
    Ok(summary)
}

/// Fills `checked_value` from the truth (keyed by book, page and entry of the run's records):
/// the right value, `#illegible` where the truth has none, `#ok` for whole-entry rows. Rows
/// whose entry has no truth stay empty. Returns how many rows were filled.
pub fn fill_from_truth(
    rows: &mut [QueueRow],
    truth: &BTreeMap<(String, String, String), BTreeMap<String, String>>,
) -> usize {
    let mut filled = 0;
    for row in rows.iter_mut() {
        let Some(t) = truth.get(&(row.book_id.clone(), row.page.clone(), row.entry.clone())) else {
            continue;
        };
        row.checked_value = if row.field.is_empty() {
            ENTRY_OK.to_string()
        } else {
            let v = crate::text::squash_spaces(&crate::text::nfc(
                t.get(&row.field).map_or("", |s| s.as_str()),
            ));
            if v.is_empty() {
                ILLEGIBLE[0].to_string()
            } else {
                v
            }
        };
        filled += 1;
    }
    filled
}
