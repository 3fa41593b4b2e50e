//! Output files, always rebuilt from the page results: the records file (every entry with its
//! status and findings), the import files (importable entries in the template's exact layout)
//! and the run report.

pub mod import;
pub mod rebuild;
pub mod records;
pub mod report;

use crate::page::{Entry, PageResult};
use crate::schema::RegisterSchema;

/// An entry with the page it stands on.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    pub page: &'a PageResult,
    pub entry: &'a Entry,
}

/// Every entry of a register's books, in page order.
pub fn entries_of<'a>(
    results: &'a [PageResult],
    register: &RegisterSchema,
    book_register: &dyn Fn(&str) -> Option<&'a str>,
) -> Vec<Located<'a>> {
    results
        .iter()
        .filter(|r| book_register(&r.source.key.book_id) == Some(register.code.as_str()))
        .flat_map(|page| {
            page.entries()
                .iter()
                .map(move |entry| Located { page, entry })
        })
        .collect()
}

/// Neutralises text a spreadsheet would run as a formula when the file is opened (OWASP CSV
/// injection: `= + - @`, tab, CR, LF at the start) by putting a single quote in front.
pub fn neutralize_formula(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => format!("'{value}").into(),
        _ => value.into(),
    }
}

/// A value as any output cell holds it: control characters (a NUL from a damaged file name or
/// registry row breaks CSV readers and is invalid in XLSX) become spaces, except that NUL and
/// other invisible ones go; then formula-like text is neutralised.
pub fn clean_cell(value: &str) -> String {
    neutralize_formula(&strip_controls(value)).into_owned()
}

/// Control characters out: tab and line breaks become spaces, NUL and the other invisible ones
/// go. What an XLSX text cell holds (it is never a formula there).
pub fn strip_controls(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.chars().any(char::is_control) {
        return value.into();
    }
    value
        .chars()
        .filter_map(|c| match c {
            '\t' | '\r' | '\n' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect::<String>()
        .into()
}

/// UTF-8 byte order mark: Excel and LibreOffice read a CSV as UTF-8 only with it.
pub const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_values_are_neutralised() {
        assert_eq!(
            neutralize_formula("=HYPERLINK(\"x\")"),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(neutralize_formula("+84 912"), "'+84 912");
        assert_eq!(neutralize_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize_formula("\tx"), "'\tx");
        assert_eq!(neutralize_formula("Nguyễn Văn A"), "Nguyễn Văn A");
        assert_eq!(neutralize_formula("05.03.1998"), "05.03.1998");
    }

    #[test]
    fn cells_lose_control_characters_and_formulas() {
        assert_eq!(clean_cell("ks\0-1998"), "ks-1998");
        assert_eq!(clean_cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(clean_cell("a\nb\tc"), "a b c");
        assert_eq!(clean_cell("\0=1+1"), "'=1+1");
        assert_eq!(clean_cell("Lê Thị Ánh"), "Lê Thị Ánh");
    }
}

/// A check that needs the whole batch rather than one page (numbering across a book,
/// duplicates against the registry). Steps run in order after extraction, on a copy of the page
/// results, just before the outputs are built: the stored page results stay as read, so a step
/// with new settings never needs OCR again.
pub trait BatchStep: Sync {
    /// Short name for the report ("book-checks", "dedup").
    fn name(&self) -> &str;
    /// Adds findings to entries (with [`Entry::add_finding`]) and returns notes for the report.
    fn apply(
        &self,
        results: &mut [PageResult],
        scan: &crate::ingest::Scan,
        schemas: &crate::schema::Schemas,
    ) -> Result<Vec<report::BatchNote>, String>;
}

/// Runs the batch steps in order; a step that fails becomes a note for the report instead of
/// stopping the outputs.
pub fn apply_steps(
    results: &mut [PageResult],
    scan: &crate::ingest::Scan,
    schemas: &crate::schema::Schemas,
    steps: &[Box<dyn BatchStep>],
) -> Vec<report::BatchNote> {
    let mut notes = Vec::new();
    for step in steps {
        match step.apply(results, scan, schemas) {
            Ok(n) => notes.extend(n),
            Err(message) => notes.push(report::BatchNote {
                step: step.name().to_string(),
                book_id: None,
                message_vi: format!("Bước {} không chạy được: {message}", step.name()),
                message_en: format!("Step {} could not run: {message}", step.name()),
            }),
        }
    }
    notes
}

/// Where output files go and what they are built from.
pub struct Outputs<'a> {
    pub out: &'a std::path::Path,
    pub schemas: &'a crate::schema::Schemas,
    pub scan: &'a crate::ingest::Scan,
    /// Batch-wide checks, in order.
    pub steps: &'a [Box<dyn BatchStep>],
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot write the output file: {message}")]
pub struct EmitError {
    pub path: std::path::PathBuf,
    pub message: String,
}

impl Outputs<'_> {
    /// Rebuilds records, import files and the report from the page results.
    pub fn write(
        &self,
        results: &[PageResult],
        stats: &crate::pipeline::BatchStats,
        jobs: usize,
        ocr_model: &str,
    ) -> Result<report::Report, EmitError> {
        let rebuilt = rebuild::rebuild(self.out, self.scan, self.schemas, self.steps, results)?;
        let notes = rebuilt.notes;
        let people = rebuilt.people;
        let results = &rebuilt.results[..];
        let book_register: std::collections::BTreeMap<&str, &str> = self
            .scan
            .books
            .iter()
            .map(|b| (b.id.as_str(), b.meta.register.as_str()))
            .collect();
        let lookup = |id: &str| book_register.get(id).copied();
        for register in self.schemas.registers.values() {
            let entries = entries_of(results, register, &lookup);
            if entries.is_empty() && !book_register.values().any(|r| *r == register.code) {
                continue;
            }
            let records = self
                .out
                .join("records")
                .join(format!("{}.csv", register.code));
            let set_by = |l: &Located| vec![records::set_by_cell(&people, l)];
            records::write_records(&records, register, &entries, &set_by, &["set_by"]).map_err(
                |e| EmitError {
                    path: records.clone(),
                    message: e.to_string(),
                },
            )?;
            let rows: Vec<Vec<String>> = entries
                .iter()
                .filter(|l| l.entry.status.importable())
                .enumerate()
                .map(|(i, l)| import::template_row(register, l.entry, i + 1))
                .collect();
            let dir = self.out.join("import");
            import::write_import(&dir, register, &self.schemas.codes, &rows).map_err(|e| {
                EmitError {
                    path: dir.clone(),
                    message: format!("{e:#}"),
                }
            })?;
        }
        let failed_books = self
            .scan
            .failed
            .iter()
            .map(|(id, e)| report::FailedBook {
                book_id: id.clone(),
                reason: e.to_string(),
            })
            .collect();
        let mut rep =
            report::Report::build(results, failed_books, self.scan.books.len(), stats, jobs);
        rep.scans = self.scan.root.display().to_string();
        rep.ocr_model = ocr_model.to_string();
        rep.notes = notes;
        rep.people = people;
        let path = self.out.join("report.json");
        let bytes = serde_json::to_vec_pretty(&rep).expect("report serialises");
        crate::store::write_atomic(&path, &bytes).map_err(|e| EmitError {
            path,
            message: e.to_string(),
        })?;
        Ok(rep)
    }
}
