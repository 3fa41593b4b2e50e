//! Workbooks built in the tests with rust_xlsxwriter, cell types and all, and read back.
#![allow(dead_code)]

use calamine::{open_workbook, Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Formula, Workbook};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// A cell as a keyer's Excel stores it.
#[derive(Debug, Clone)]
pub enum W {
    Empty,
    /// A text cell.
    S(String),
    /// A number in a General cell.
    N(f64),
    /// A date: its serial with a date format.
    D(f64),
    B(bool),
    /// A formula with its cached result.
    F(String, String),
    /// Text in a named font (`.VnTime`, `VNI-Times`).
    Font(String, String),
}

pub fn s(t: &str) -> W {
    W::S(t.to_string())
}

/// Writes an XLSX file: the data sheet first, then the legend sheet the template has.
pub fn xlsx(path: &Path, sheet: &str, rows: &[Vec<W>]) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                W::Empty => {}
                W::S(t) => {
                    ws.write_string(r, c, t).unwrap();
                }
                W::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                W::D(n) => {
                    ws.write_number_with_format(r, c, *n, &date).unwrap();
                }
                W::B(b) => {
                    ws.write_boolean(r, c, *b).unwrap();
                }
                W::F(f, result) => {
                    ws.write_formula(r, c, Formula::new(f).set_result(result))
                        .unwrap();
                }
                W::Font(t, font) => {
                    let f = Format::new().set_font_name(font);
                    ws.write_string_with_format(r, c, t, &f).unwrap();
                }
            }
        }
    }
    let legend = wb.add_worksheet();
    legend.set_name("Ghi chu").unwrap();
    legend.write_string(0, 0, "Chú thích mã").unwrap();
    wb.save(path).unwrap();
}

/// Turns a workbook into one of the 1904 date system (old Mac Excel), as its `workbookPr`
/// flag says: rust_xlsxwriter writes only the 1900 system.
pub fn make_1904(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let mut input = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..input.len() {
        let mut part = input.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        if name == "xl/workbook.xml" {
            let xml = String::from_utf8(data).unwrap();
            assert!(xml.contains("<workbookPr "));
            data = xml
                .replace("<workbookPr ", "<workbookPr date1904=\"1\" ")
                .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &data).unwrap();
    }
    out.finish().unwrap();
}

/// Every cell of a sheet: (row, col) -> value.
pub fn cells(path: &Path, sheet: &str) -> BTreeMap<(u32, u32), Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .used_cells()
        .map(|(r, c, v)| {
            let (r0, c0) = range.start().unwrap();
            ((r0 + r as u32, c0 + c as u32), v.clone())
        })
        .collect()
}

pub fn sheet_names(path: &Path) -> Vec<String> {
    let wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.sheet_names()
}

/// Whether any cell of the sheet holds a formula.
pub fn has_formulas(path: &Path, sheet: &str) -> bool {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let f = wb.worksheet_formula(sheet).unwrap();
    f.used_cells().any(|(_, _, f)| !f.is_empty())
}

/// The fill colour of a cell, when it has one.
pub fn filled(path: &Path, sheet: &str, row: u32, col: u32) -> bool {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let styles = wb.worksheet_style(sheet).unwrap();
    styles
        .get((row, col))
        .and_then(|s| s.fill.as_ref())
        .is_some_and(|f| f.is_visible())
}

/// The notes of a workbook, by cell reference ("M5"), from its comments parts.
pub fn notes(path: &Path) -> BTreeMap<String, String> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        if !part.name().is_ok_and(|n| n.starts_with("xl/comments")) {
            continue;
        }
        let mut xml = String::new();
        part.read_to_string(&mut xml).unwrap();
        for comment in xml.split("<comment ").skip(1) {
            let reference = comment
                .split("ref=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap()
                .to_string();
            let text: String = comment
                .split("<t")
                .skip(1)
                .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
                .filter_map(|t| t.split("</t>").next())
                .collect();
            out.insert(reference, text);
        }
    }
    out
}
