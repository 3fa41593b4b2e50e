//! The import files of the ministry's software: `OUT/import/<REG>.xlsx` (sheet "DL Import", the
//! template's exact headers, every cell Text so ID numbers and dates stay as written) and the
//! same rows as `OUT/import/<REG>.csv` (UTF-8 with BOM, formula-like values neutralised).

use super::{clean_cell, strip_controls};
use crate::page::Entry;
use crate::schema::{CodeTables, FieldKind, RegisterSchema};
use crate::store::write_atomic;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};
use std::path::Path;

/// The row of an entry in template order; `STT` is the running number.
pub fn template_row(register: &RegisterSchema, entry: &Entry, stt: usize) -> Vec<String> {
    register
        .columns
        .iter()
        .map(|c| match c.kind {
            FieldKind::RowNumber => stt.to_string(),
            _ => entry
                .fields
                .get(&c.key)
                .map(|f| f.value.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// Builds the import workbook in memory. The document date is fixed so that the same rows give
/// the same bytes (reviewers and packaging compare files by hash).
pub fn workbook_bytes(
    register: &RegisterSchema,
    codes: &CodeTables,
    rows: &[Vec<String>],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&fixed));
    let text = Format::new()
        .set_num_format("@")
        .set_font_name("Times New Roman")
        .set_font_size(13);
    let sheet = wb.add_worksheet();
    sheet.set_name(&register.sheet)?;
    for (col, c) in register.columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, &c.header, &text)?;
        sheet.set_column_format(col as u16, &text)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, value) in row.iter().enumerate() {
            if !value.is_empty() {
                // Strings are never evaluated by spreadsheet programs: no formula can ride in.
                // Control characters are invalid in XLSX text.
                let value = strip_controls(value);
                sheet.write_string_with_format(r as u32 + 1, col as u16, value.as_ref(), &text)?;
            }
        }
    }
    if let Some(legend) = &register.legend_sheet {
        let sheet = wb.add_worksheet();
        sheet.set_name(legend)?;
        let mut r = 0u32;
        for c in &register.columns {
            let FieldKind::Code(table) = &c.kind else {
                continue;
            };
            let Some(table) = codes.table(table) else {
                continue;
            };
            sheet.write_string(r, 0, &c.key)?;
            r += 1;
            for e in &table.entries {
                sheet.write_string(r, 0, &e.code)?;
                sheet.write_string(r, 1, &e.name)?;
                r += 1;
            }
            r += 1;
        }
    }
    wb.save_to_buffer()
}

/// Writes `<REG>.xlsx` and `<REG>.csv` into `dir`, atomically.
pub fn write_import(
    dir: &Path,
    register: &RegisterSchema,
    codes: &CodeTables,
    rows: &[Vec<String>],
) -> anyhow::Result<()> {
    let xlsx = workbook_bytes(register, codes, rows)?;
    write_atomic(&dir.join(format!("{}.xlsx", register.code)), &xlsx)?;
    write_atomic(
        &dir.join(format!("{}.csv", register.code)),
        &csv_bytes(register, rows)?,
    )?;
    Ok(())
}

/// The CSV import file: BOM so Excel reads UTF-8, template headers, neutralised values.
pub fn csv_bytes(register: &RegisterSchema, rows: &[Vec<String>]) -> std::io::Result<Vec<u8>> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(register.columns.iter().map(|c| c.header.as_str()))?;
        for row in rows {
            w.write_record(row.iter().map(|v| clean_cell(v)))?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schemas;
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

    fn ks() -> (RegisterSchema, CodeTables) {
        let s =
            Schemas::load(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas"))
                .unwrap();
        (s.register("KS").unwrap().clone(), s.codes.clone())
    }

    fn entry(pairs: &[(&str, &str)]) -> Entry {
        Entry::from_values(1, pairs.iter().copied())
    }

    #[test]
    fn workbook_has_template_headers_and_text_cells() {
        let (reg, codes) = ks();
        let e = entry(&[
            ("nksHoTen", "Nguyễn Thị Hằng"),
            ("nksSoDinhDanh", "001316012345"),
            ("ghiChu", "=1+1"),
        ]);
        let rows = vec![template_row(&reg, &e, 1)];
        let bytes = workbook_bytes(&reg, &codes, &rows).unwrap();
        let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
        assert_eq!(wb.sheet_names()[0], "DL Import");
        let range = wb.worksheet_range("DL Import").unwrap();
        assert_eq!(
            range.get((0, 5)),
            Some(&Data::String("loaiDangKy \ni=[1,2,3,4,5,6]".into()))
        );
        assert_eq!(range.get((1, 0)), Some(&Data::String("1".into())));
        let id_col = reg
            .columns
            .iter()
            .position(|c| c.key == "nksSoDinhDanh")
            .unwrap();
        // The leading zero survives: the ID is a string cell.
        assert_eq!(
            range.get((1, id_col)),
            Some(&Data::String("001316012345".into()))
        );
        // A formula-like value is plain text in XLSX: no formula cell exists.
        let formulas = wb.worksheet_formula("DL Import").unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
        // Same rows, same bytes.
        assert_eq!(bytes, workbook_bytes(&reg, &codes, &rows).unwrap());
    }

    #[test]
    fn csv_has_bom_and_neutralised_values() {
        let (reg, _) = ks();
        let e = entry(&[("ghiChu", "=cmd|' /C calc'!A0")]);
        let bytes = csv_bytes(&reg, &[template_row(&reg, &e, 1)]).unwrap();
        assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.starts_with("STT,so ,quyenSo ,"), "{}", &text[..40]);
        assert!(text.contains("'=cmd|"));
    }
}
