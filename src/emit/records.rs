//! `OUT/records/<REG>.csv`: one row per entry found, whatever its status, so reviewers see
//! everything: position on the page, status, confidence, findings, then the template columns.

use super::{clean_cell, Located, UTF8_BOM};
use crate::schema::RegisterSchema;
use crate::store::write_atomic;
use std::path::Path;

/// Columns before the template keys.
pub const LEAD_COLUMNS: [&str; 7] = [
    "book_id",
    "page",
    "entry",
    "page_file",
    "status",
    "confidence",
    "findings",
];

/// The `set_by` cell of an entry: each field a person settled, with who and how
/// (`nksHoTen=Lan:correct;meHoTen=Lan:confirm`); a field not named is as read.
pub fn set_by_cell(people: &crate::review::resolve::PersonLayer, loc: &Located) -> String {
    let key = (loc.page.source.key.clone(), loc.entry.index);
    people
        .set_by
        .get(&key)
        .map(|fields| {
            fields
                .iter()
                .map(|(field, by)| format!("{field}={}:{}", by.who, by.how))
                .collect::<Vec<_>>()
                .join(";")
        })
        .unwrap_or_default()
}

/// Writes the records file of one register atomically.
pub fn write_records(
    path: &Path,
    register: &RegisterSchema,
    entries: &[Located],
    extra: &dyn Fn(&Located) -> Vec<String>,
    extra_headers: &[&str],
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(UTF8_BOM.to_vec());
    let mut header: Vec<&str> = LEAD_COLUMNS.to_vec();
    header.extend(extra_headers);
    header.extend(register.keys());
    w.write_record(&header)?;
    for loc in entries {
        let e = loc.entry;
        let findings: Vec<String> = e.findings.iter().map(|f| f.short()).collect();
        let mut row: Vec<String> = vec![
            loc.page.source.key.book_id.clone(),
            loc.page.source.key.page.to_string(),
            e.index.to_string(),
            loc.page.source.file.clone(),
            e.status.as_str().to_string(),
            format!("{:.3}", e.confidence),
            findings.join(";"),
        ];
        row.extend(extra(loc));
        for key in register.keys() {
            row.push(
                e.fields
                    .get(key)
                    .map(|f| f.value.as_str())
                    .unwrap_or("")
                    .to_string(),
            );
        }
        w.write_record(row.iter().map(|v| clean_cell(v)))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    write_atomic(path, &bytes)
}
