//! What `sohoa check` writes: the findings as a CSV file, a copy of the workbook with every
//! cell a finding names highlighted and a note saying what is wrong, and with `--fix` a
//! corrected workbook beside the original. No cell is ever written as a formula: a formula of
//! the original is written as its value, and text that looks like one stays text.

use super::rows::Located;
use super::source::{number_text, Cell, Format, Sheet, Value, Workbook};
use super::Analysis;
use crate::emit::neutralize_formula;
use crate::page::Severity;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format as CellFormat, FormatPattern, Note,
    Workbook as XlsxBook, Worksheet, XlsxError,
};
use std::collections::BTreeMap;

/// Excel's name of a 0-based column: A, B, ..., Z, AA...
pub fn column_name(mut col: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII")
}

/// `M5`: the cell a finding names, as Excel shows it.
pub fn cell_name(row: usize, col: Option<usize>) -> String {
    col.map(|c| format!("{}{}", column_name(c), row + 1))
        .unwrap_or_default()
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Review => "review",
        Severity::Info => "info",
    }
}

/// The findings file: UTF-8 with BOM (Excel opens it right), one finding a line, in sheet
/// order; values that a spreadsheet would run as formulas are neutralised.
pub fn findings_csv(analysis: &Analysis, sheet: &Sheet, fixed: bool) -> std::io::Result<Vec<u8>> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record([
            "row",
            "cell",
            "column",
            "field",
            "code",
            "severity",
            "value",
            "suggestion",
            "fixed",
            "message_vi",
            "message_en",
        ])?;
        for f in &analysis.findings {
            let header = f
                .col
                .and_then(|c| sheet.cell(analysis.header_row, c))
                .map(Cell::display)
                .unwrap_or_default();
            let row = (f.row + 1).to_string();
            let cell = cell_name(f.row, f.col);
            let fixed = if fixed && f.fixable { "yes" } else { "" };
            let record = [
                row.as_str(),
                cell.as_str(),
                header.as_str(),
                f.finding.field.as_deref().unwrap_or(""),
                f.finding.code.as_str(),
                severity_name(f.finding.severity),
                f.value.as_str(),
                f.suggestion.as_deref().unwrap_or(""),
                fixed,
                f.finding.message_vi.as_str(),
                f.finding.message_en.as_str(),
            ];
            w.write_record(record.iter().map(|v| neutralize_formula(v).into_owned()))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// Formats a copy of a workbook is written with.
struct Formats {
    date: CellFormat,
    text: CellFormat,
    error: CellFormat,
    review: CellFormat,
    info: CellFormat,
}

impl Formats {
    fn new() -> Self {
        let fill = |rgb: u32| {
            CellFormat::new()
                .set_background_color(Color::RGB(rgb))
                .set_pattern(FormatPattern::Solid)
        };
        Self {
            date: CellFormat::new().set_num_format("dd.mm.yyyy"),
            // The template's cells: Text, Times New Roman 13 (domain reference 1.2).
            text: CellFormat::new()
                .set_num_format("@")
                .set_font_name("Times New Roman")
                .set_font_size(13),
            error: fill(0xFFC7CE),
            review: fill(0xFFEB9C),
            info: fill(0xDDEBF7),
        }
    }

    fn of(&self, s: Severity) -> &CellFormat {
        match s {
            Severity::Error => &self.error,
            Severity::Review => &self.review,
            Severity::Info => &self.info,
        }
    }
}

/// The XLSX sheet name of a sheet: a CSV file's data sheet takes the register's.
fn sheet_name(workbook: &Workbook, sheet: &Sheet, analysis: &Analysis) -> String {
    match workbook.format {
        Format::Csv { .. } => analysis.register_sheet.clone(),
        Format::Xlsx => sheet.name.clone(),
    }
}

/// A cell's value as it stands, with its type (never its formula).
fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    format: Option<&CellFormat>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match (&cell.value, format) {
        (Value::Empty, Some(f)) => ws.write_blank(row, col, f).map(|_| ()),
        (Value::Empty, None) => Ok(()),
        (Value::Text(t), Some(f)) => ws.write_string_with_format(row, col, t, f).map(|_| ()),
        (Value::Text(t), None) => ws.write_string(row, col, t).map(|_| ()),
        (Value::Number(n), Some(f)) => ws.write_number_with_format(row, col, *n, f).map(|_| ()),
        (Value::Number(n), None) => ws.write_number(row, col, *n).map(|_| ()),
        (Value::Date(n), Some(f)) => {
            let f = f.clone().set_num_format("dd.mm.yyyy");
            ws.write_number_with_format(row, col, *n, &f).map(|_| ())
        }
        (Value::Date(n), None) => ws
            .write_number_with_format(row, col, *n, &formats.date)
            .map(|_| ()),
        (Value::Bool(b), Some(f)) => ws.write_boolean_with_format(row, col, *b, f).map(|_| ()),
        (Value::Bool(b), None) => ws.write_boolean(row, col, *b).map(|_| ()),
        (Value::Error(e), Some(f)) => ws.write_string_with_format(row, col, e, f).map(|_| ()),
        (Value::Error(e), None) => ws.write_string(row, col, e).map(|_| ()),
    }
}

/// The note of a cell: each finding's code, severity and messages, and the proposal.
fn note_text(findings: &[&Located]) -> String {
    findings
        .iter()
        .map(|f| {
            let mut s = format!(
                "{} [{}]\n{}\n{}",
                f.finding.code,
                severity_name(f.finding.severity),
                f.finding.message_vi,
                f.finding.message_en
            );
            if let Some(sug) = &f.suggestion {
                s.push_str(&format!("\n→ {sug}"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn new_book() -> Result<XlsxBook, XlsxError> {
    let mut wb = XlsxBook::new();
    // A fixed date, so that the same input gives the same bytes.
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&fixed));
    Ok(wb)
}

/// A copy of the workbook with the cells findings name highlighted (by their worst severity)
/// and a note on each, and a last sheet listing every finding.
pub fn checked_copy(
    workbook: &Workbook,
    analysis: &Analysis,
    summary: &[(String, String)],
) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut wb = new_book()?;
    let mut by_cell: BTreeMap<(usize, usize), Vec<&Located>> = BTreeMap::new();
    for f in &analysis.findings {
        // A row finding without a column is shown on the row's first cell.
        let col = match (f.col, f.row == analysis.header_row) {
            (Some(c), _) => c,
            (None, false) => 0,
            (None, true) => continue,
        };
        by_cell.entry((f.row, col)).or_default().push(f);
    }
    for (i, sheet) in workbook.sheets.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(workbook, sheet, analysis))?;
        let data = i == analysis.sheet;
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let found = if data { by_cell.get(&(r, c)) } else { None };
                let worst = found.and_then(|fs| fs.iter().map(|f| f.finding.severity).max());
                write_value(
                    ws,
                    r as u32,
                    c as u16,
                    cell,
                    worst.map(|s| formats.of(s)),
                    &formats,
                )?;
                if let Some(fs) = found {
                    let note = Note::new(note_text(fs))
                        .set_author("sohoa check")
                        .set_width(420)
                        .set_height(160);
                    ws.insert_note(r as u32, c as u16, &note)?;
                }
            }
        }
        if data {
            // Findings on cells beyond the sheet's last written column (none in practice).
            for ((r, c), fs) in &by_cell {
                if sheet.cell(*r, *c).is_none() {
                    let worst = fs.iter().map(|f| f.finding.severity).max();
                    let f = worst.map(|s| formats.of(s)).expect("a finding");
                    ws.write_blank(*r as u32, *c as u16, f)?;
                    ws.insert_note(*r as u32, *c as u16, &Note::new(note_text(fs)))?;
                }
            }
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("sohoa check")?;
    let mut r = 0u32;
    for (k, v) in summary {
        ws.write_string(r, 0, k)?;
        ws.write_string(r, 1, v)?;
        r += 1;
    }
    r += 1;
    let heads = [
        "row",
        "cell",
        "field",
        "code",
        "severity",
        "value",
        "suggestion",
        "message_vi",
        "message_en",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string(r, c as u16, *h)?;
    }
    for f in &analysis.findings {
        r += 1;
        let values = [
            (f.row + 1).to_string(),
            cell_name(f.row, f.col),
            f.finding.field.clone().unwrap_or_default(),
            f.finding.code.clone(),
            severity_name(f.finding.severity).to_string(),
            f.value.clone(),
            f.suggestion.clone().unwrap_or_default(),
            f.finding.message_vi.clone(),
            f.finding.message_en.clone(),
        ];
        for (c, v) in values.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, v, formats.of(f.finding.severity))?;
        }
    }
    wb.save_to_buffer()
}

/// The text a cell of the data sheet becomes in the corrected workbook: its fix, else its value
/// as a person reads it (a date cell as `dd.mm.yyyy`).
fn fixed_text(analysis: &Analysis, r: usize, c: usize, cell: &Cell) -> String {
    if r == analysis.header_row {
        if let Some(h) = analysis.header_fixes.get(&c) {
            return h.clone();
        }
    }
    if let Some(f) = analysis.fixes.get(&(r, c)) {
        return f.clone();
    }
    match &cell.value {
        Value::Date(n) => super::cells::serial_to_date(*n)
            .map(|(d, _)| d.to_template())
            .unwrap_or_else(|_| number_text(*n)),
        Value::Error(_) => String::new(),
        _ => cell.display(),
    }
}

/// The corrected workbook: the data sheet with every cell as Text (as the template has them)
/// holding its fixed value, the other sheets as they were.
pub fn fixed_xlsx(workbook: &Workbook, analysis: &Analysis) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut wb = new_book()?;
    for (i, sheet) in workbook.sheets.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(workbook, sheet, analysis))?;
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if i == analysis.sheet {
                    let text = fixed_text(analysis, r, c, cell);
                    if !text.is_empty() {
                        ws.write_string_with_format(r as u32, c as u16, &text, &formats.text)?;
                    }
                } else {
                    write_value(ws, r as u32, c as u16, cell, None, &formats)?;
                }
            }
        }
        if i == analysis.sheet {
            let width = sheet.rows.iter().map(Vec::len).max().unwrap_or(0);
            for c in 0..width {
                ws.set_column_format(c as u16, &formats.text)?;
            }
        }
    }
    wb.save_to_buffer()
}

/// The corrected CSV file: UTF-8 with BOM, comma-separated, values a spreadsheet would run as
/// formulas neutralised (as the pipeline's import CSV).
pub fn fixed_csv(workbook: &Workbook, analysis: &Analysis) -> std::io::Result<Vec<u8>> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let sheet = &workbook.sheets[analysis.sheet];
        for (r, row) in sheet.rows.iter().enumerate() {
            let texts: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(c, cell)| neutralize_formula(&fixed_text(analysis, r, c, cell)).into_owned())
                .collect();
            w.write_record(&texts)?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_excel_names_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(69), "BR");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(cell_name(4, Some(12)), "M5");
    }
}
