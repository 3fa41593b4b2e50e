//! The acceptance reviewer's material: a verdict sheet (XLSX or CSV, one row per sampled
//! field, in template order) and `sheets.html`, one sheet per sampled entry with the crop of
//! every field from the page image beside the value delivered.
//!
//! Verdict sheet columns: `book_id,page,entry,field,label,value,confidence,verdict,
//! correct_value`. `verdict` takes `ok` (or `dung`, `đúng`) when the delivered value is right
//! and `wrong` (or `sai`) when it is not, with the right value in `correct_value` when known;
//! an empty verdict is a field not yet judged.

use super::sample::Sample;
use super::{escape_html, AcceptError, DIR};
use crate::emit::{clean_cell, UTF8_BOM};
use crate::ingest::Scan;
use crate::page::{BBox, PageResult, ValueSource};
use crate::schema::{FieldKind, Schemas};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const COLUMNS: [&str; 9] = [
    "book_id",
    "page",
    "entry",
    "field",
    "label",
    "value",
    "confidence",
    "verdict",
    "correct_value",
];

/// A judged or yet unjudged field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SheetRow {
    pub book_id: String,
    pub page: u32,
    pub entry: u32,
    pub field: String,
    pub label: String,
    /// The value delivered (template form).
    pub value: String,
    /// sohoa's confidence in it; 1 where a person set it.
    pub confidence: f32,
    /// Set by a person (review, keying) rather than read.
    pub by_person: bool,
    pub bbox: Option<BBox>,
    pub verdict: Option<bool>,
    pub correct_value: String,
}

/// The delivered fields of each sampled entry, in template order: every template column the
/// entry holds (read, set by a person, from the book or derived), empty ones included.
pub fn sheet_rows(
    sample: &Sample,
    results: &[PageResult],
    schemas: &Schemas,
    register_of: &dyn Fn(&str) -> Option<String>,
) -> Vec<SheetRow> {
    let labels = crate::review::queue::labels(schemas);
    let mut rows = Vec::new();
    for s in &sample.entries {
        let Some(entry) = results
            .iter()
            .find(|r| r.source.key.book_id == s.book_id && r.source.key.page == s.page)
            .and_then(|r| r.entries().iter().find(|e| e.index == s.entry))
        else {
            continue;
        };
        let Some(register) = register_of(&s.book_id).and_then(|r| schemas.registers.get(&r)) else {
            continue;
        };
        for column in &register.columns {
            if matches!(column.kind, FieldKind::RowNumber) {
                continue;
            }
            let Some(f) = entry.fields.get(&column.key) else {
                continue;
            };
            let by_person = f.source == ValueSource::Person;
            rows.push(SheetRow {
                book_id: s.book_id.clone(),
                page: s.page,
                entry: s.entry,
                field: column.key.clone(),
                label: labels
                    .get(&(register.code.clone(), column.key.clone()))
                    .cloned()
                    .unwrap_or_else(|| column.key.clone()),
                value: f.value.clone(),
                confidence: if by_person { 1.0 } else { f.confidence },
                by_person,
                bbox: f.bbox,
                verdict: None,
                correct_value: String::new(),
            });
        }
    }
    rows
}

fn cells(r: &SheetRow) -> [String; 9] {
    [
        r.book_id.clone(),
        r.page.to_string(),
        r.entry.to_string(),
        r.field.clone(),
        r.label.clone(),
        r.value.clone(),
        format!("{:.3}", r.confidence),
        match r.verdict {
            Some(true) => "ok".into(),
            Some(false) => "wrong".into(),
            None => String::new(),
        },
        r.correct_value.clone(),
    ]
}

/// Writes the verdict sheet (XLSX when the name ends in `.xlsx`, else CSV with a BOM).
pub fn write_sheet(path: &Path, rows: &[SheetRow]) -> Result<(), AcceptError> {
    let is_xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let bytes = if is_xlsx {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let sheet = wb.add_worksheet();
        let text = rust_xlsxwriter::Format::new().set_num_format("@");
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let write =
            |sheet: &mut rust_xlsxwriter::Worksheet| -> Result<(), rust_xlsxwriter::XlsxError> {
                for (c, h) in COLUMNS.iter().enumerate() {
                    sheet.write_string_with_format(0, c as u16, *h, &bold)?;
                }
                for (r, row) in rows.iter().enumerate() {
                    for (c, v) in cells(row).iter().enumerate() {
                        if !v.is_empty() {
                            sheet.write_string_with_format(
                                r as u32 + 1,
                                c as u16,
                                clean_cell(v),
                                &text,
                            )?;
                        }
                    }
                }
                sheet.set_freeze_panes(1, 0)?;
                Ok(())
            };
        write(sheet)
            .and_then(|_| wb.save_to_buffer())
            .map_err(|e| AcceptError::file(path, e))?
    } else {
        let mut w = csv::Writer::from_writer(UTF8_BOM.to_vec());
        w.write_record(COLUMNS)
            .map_err(|e| AcceptError::file(path, e))?;
        for row in rows {
            w.write_record(cells(row).iter().map(|c| clean_cell(c)))
                .map_err(|e| AcceptError::file(path, e))?;
        }
        w.into_inner().map_err(|e| AcceptError::file(path, e))?
    };
    crate::store::write_atomic(path, &bytes).map_err(|e| AcceptError::file(path, e))
}

/// Reads a filled verdict sheet with line numbers (header = line 1). Rows are checked against
/// `expected` (the sample's fields as delivered now): an unknown field, a value that changed
/// since the sheet was written, or an unreadable verdict is an error naming its line.
pub fn read_verdicts(
    path: &Path,
    expected: &[SheetRow],
) -> Result<Vec<(usize, SheetRow)>, AcceptError> {
    let table = crate::review::excel::read_table(path).map_err(|e| AcceptError::file(path, e))?;
    let mut lines = table.into_iter();
    let header: Vec<String> = lines
        .next()
        .ok_or_else(|| AcceptError::file(path, "the file is empty"))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let col = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| {
            AcceptError::file(
                path,
                format!(
                    "column `{name}` is missing (the sheet has {})",
                    COLUMNS.join(", ")
                ),
            )
        })
    };
    let at: Vec<usize> = [
        "book_id",
        "page",
        "entry",
        "field",
        "value",
        "verdict",
        "correct_value",
    ]
    .iter()
    .map(|c| col(c))
    .collect::<Result<_, _>>()?;
    let index: BTreeMap<(String, u32, u32, String), &SheetRow> = expected
        .iter()
        .map(|r| ((r.book_id.clone(), r.page, r.entry, r.field.clone()), r))
        .collect();
    let mut out = Vec::new();
    for (i, row) in lines.enumerate() {
        let line = i + 2;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |k: usize| row.get(at[k]).map(|s| s.trim()).unwrap_or("").to_string();
        let bad = |message: String| AcceptError::Row {
            path: path.to_path_buf(),
            line,
            message,
        };
        let page: u32 = cell(1)
            .parse()
            .map_err(|_| bad(format!("page \"{}\" is not a number", cell(1))))?;
        let entry: u32 = cell(2)
            .parse()
            .map_err(|_| bad(format!("entry \"{}\" is not a number", cell(2))))?;
        let key = (cell(0), page, entry, cell(3));
        let Some(expected) = index.get(&key) else {
            return Err(bad(format!(
                "{}:{}:{} field `{}` is not in the acceptance sample",
                key.0, page, entry, key.3
            )));
        };
        if crate::text::nfc(&cell(4)) != crate::text::nfc(&expected.value) {
            return Err(bad(format!(
                "the value \"{}\" is no longer what is delivered (\"{}\"): the entry changed \
                 since the sheet was written; write the sheet again",
                cell(4),
                expected.value
            )));
        }
        let verdict = match crate::text::nfc(&cell(5)).to_lowercase().as_str() {
            "" => None,
            "ok" | "dung" | "đúng" | "right" => Some(true),
            "wrong" | "sai" => Some(false),
            other => {
                return Err(bad(format!(
                    "verdict \"{other}\" is not ok/đúng or wrong/sai (or empty: not judged)"
                )))
            }
        };
        out.push((
            line,
            SheetRow {
                verdict,
                correct_value: crate::text::nfc(&cell(6)),
                ..(*expected).clone()
            },
        ));
    }
    Ok(out)
}

/// Writes `OUT/acceptance/sheets.html`: one sheet per sampled entry, each field's crop (with a
/// little of the page around it) beside the label and the value delivered. Crops go to
/// `OUT/acceptance/crops/`. A page image that cannot be read leaves its crops out, said on the
/// sheet.
pub fn write_html(
    out: &Path,
    scan: &Scan,
    results: &[PageResult],
    rows: &[SheetRow],
) -> Result<PathBuf, AcceptError> {
    let dir = out.join(DIR);
    let crops = dir.join("crops");
    std::fs::create_dir_all(&crops).map_err(|e| AcceptError::file(&crops, e))?;
    let mut html = String::from(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Phiếu nghiệm thu / \
         Acceptance sheets</title><style>body{font-family:sans-serif;margin:1em}section{page-break-after:always;\
         border-top:2px solid #333;margin-top:1.5em}table{border-collapse:collapse;width:100%}td,th{border:1px solid \
         #bbb;padding:4px;vertical-align:top}img{max-width:560px}.v{font-size:1.15em;font-weight:bold}\
         .p{color:#555;font-size:.85em}</style></head><body><h1>Phiếu nghiệm thu / Acceptance sheets</h1>",
    );
    let mut by_entry: BTreeMap<(String, u32, u32), Vec<&SheetRow>> = BTreeMap::new();
    for r in rows {
        by_entry
            .entry((r.book_id.clone(), r.page, r.entry))
            .or_default()
            .push(r);
    }
    for ((book, page, entry), fields) in &by_entry {
        let result = results
            .iter()
            .find(|r| r.source.key.book_id == *book && r.source.key.page == *page);
        let image = result.and_then(|r| crate::ingest::load_page_rgb(&scan.root, &r.source).ok());
        html.push_str(&format!(
            "<section><h2>{} · trang/page {} · mục/entry {}</h2>",
            escape_html(book),
            page,
            entry
        ));
        if image.is_none() {
            html.push_str("<p><b>Không đọc được ảnh trang / the page image cannot be read</b></p>");
        }
        html.push_str("<table><tr><th>Trường / field</th><th>Ảnh / scan</th><th>Giá trị giao / value delivered</th><th>Đúng? / right?</th></tr>");
        for f in fields {
            let crop = match (&image, f.bbox) {
                (Some(img), Some(b)) => {
                    let name = format!("{}-{}-{}-{}.jpg", safe(book), page, entry, safe(&f.field));
                    match save_crop(img, b, &crops.join(&name)) {
                        Ok(()) => format!("<img src=\"crops/{}\" alt=\"\">", escape_html(&name)),
                        Err(e) => format!("<span class=p>{}</span>", escape_html(&e)),
                    }
                }
                (_, None) => {
                    "<span class=p>(không có vị trí trên ảnh / no box on the page)</span>".into()
                }
                (None, Some(_)) => String::new(),
            };
            html.push_str(&format!(
                "<tr><td>{}<br><span class=p>{}</span></td><td>{}</td><td class=v>{}{}</td><td>☐ đúng ☐ sai</td></tr>",
                escape_html(&f.label),
                escape_html(&f.field),
                crop,
                escape_html(&f.value),
                if f.by_person { "<br><span class=p>(người sửa / set by a person)</span>" } else { "" }
            ));
        }
        html.push_str("</table></section>");
    }
    html.push_str("</body></html>");
    let path = dir.join("sheets.html");
    crate::store::write_atomic(&path, html.as_bytes()).map_err(|e| AcceptError::file(&path, e))?;
    Ok(path)
}

/// A name part safe for a file name.
fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The box with some of the page around it (half a line above and below, a little on the
/// sides), no wider than 900 px.
fn save_crop(img: &image::RgbImage, b: BBox, path: &Path) -> Result<(), String> {
    let (w, h) = img.dimensions();
    let pad_y = (b.h / 2).max(8);
    let pad_x = (b.h * 2).max(16);
    let x0 = b.x.saturating_sub(pad_x).min(w.saturating_sub(1));
    let y0 = b.y.saturating_sub(pad_y).min(h.saturating_sub(1));
    let x1 = (b.right() + pad_x).min(w);
    let y1 = (b.bottom() + pad_y).min(h);
    if x1 <= x0 || y1 <= y0 {
        return Err("box outside the page".into());
    }
    let mut crop = image::imageops::crop_imm(img, x0, y0, x1 - x0, y1 - y0).to_image();
    if crop.width() > 900 {
        let nh = (crop.height() as u64 * 900 / crop.width() as u64).max(1) as u32;
        crop = image::imageops::resize(&crop, 900, nh, image::imageops::FilterType::Triangle);
    }
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 80)
        .encode_image(&crop)
        .map_err(|e| e.to_string())?;
    crate::store::write_atomic(path, &bytes).map_err(|e| e.to_string())
}

/// Fills the verdicts of a written sheet from a truth (as an acceptance reviewer who knows
/// the right values would): for measuring acceptance on synthetic sets. Fields without truth
/// stay unjudged. Returns the rows judged.
pub fn fill_from_truth(
    path: &Path,
    filled: &Path,
    truth: &BTreeMap<(String, String, String), BTreeMap<String, String>>,
) -> Result<usize, AcceptError> {
    let table = crate::review::excel::read_table(path).map_err(|e| AcceptError::file(path, e))?;
    let mut rows = Vec::new();
    let mut judged = 0;
    for line in table.iter().skip(1) {
        let cell = |i: usize| {
            line.get(i)
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let mut row = SheetRow {
            book_id: cell(0),
            page: cell(1).parse().unwrap_or(0),
            entry: cell(2).parse().unwrap_or(0),
            field: cell(3),
            label: cell(4),
            value: cell(5),
            confidence: cell(6).parse().unwrap_or(0.0),
            ..Default::default()
        };
        let canon = |v: &str| crate::text::squash_spaces(&crate::text::nfc(v));
        if let Some(t) = truth.get(&(cell(0), cell(1), cell(2))) {
            let right = canon(t.get(&row.field).map_or("", |s| s.as_str()));
            let ok = right == canon(&row.value);
            row.verdict = Some(ok);
            if !ok {
                row.correct_value = right;
            }
            judged += 1;
        }
        rows.push(row);
    }
    write_sheet(filled, &rows)?;
    Ok(judged)
}
