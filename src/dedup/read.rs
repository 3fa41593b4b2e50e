//! Reading records from CSV (UTF-8, BOM optional, streamed row by row) or XLSX (first sheet or
//! `DL Import`). The header row holds template headers or plain keys, any subset in any order;
//! a configured field whose columns are all absent is missing for every record.

use super::config::MatchConfig;
use super::record::RecordStore;
use super::vocab::Vocab;
use crate::normalize::PartialDate;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: cannot read: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{path}: row {row}: {message}")]
    Row {
        path: PathBuf,
        row: usize,
        message: String,
    },
    #[error("{path}: no header row")]
    NoHeader { path: PathBuf },
    #[error("{path}: no column of this file is one the matching compares (it has {found}; expected some of {expected}): is it a registry export with its header row?")]
    NoMatchingColumn {
        path: PathBuf,
        found: String,
        expected: String,
    },
    #[error("{path}: {bad} of {rows} rows cannot be read (the first is row {first}: {why}); this does not look like a registry file")]
    MostlyUnreadable {
        path: PathBuf,
        bad: usize,
        rows: usize,
        first: usize,
        why: String,
    },
    #[error(transparent)]
    Workbook(#[from] crate::workbook::WorkbookError),
}

/// What reading one file gave.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SourceSummary {
    pub path: String,
    pub records: usize,
    /// Configured fields none of whose columns the file has.
    pub missing_fields: Vec<String>,
    /// Rows left out because they could not be read (a cell that is not UTF-8 text), and the
    /// first of them; a file where they are the majority is refused instead.
    #[serde(default)]
    pub unreadable_rows: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_unreadable_row: Option<usize>,
}

impl SourceSummary {
    fn note_unreadable(&mut self, row: usize) {
        self.unreadable_rows += 1;
        self.first_unreadable_row.get_or_insert(row);
    }

    /// Refuses a file whose rows are mostly unreadable: junk given as a registry would otherwise
    /// be matched against (and hide the batch's own duplicates).
    fn check_readable(&self, path: &Path, why: &str) -> Result<(), ReadError> {
        let rows = self.records + self.unreadable_rows;
        if self.unreadable_rows * 2 > rows {
            return Err(ReadError::MostlyUnreadable {
                path: path.into(),
                bad: self.unreadable_rows,
                rows,
                first: self.first_unreadable_row.unwrap_or(1),
                why: why.to_string(),
            });
        }
        Ok(())
    }
}

/// A file none of whose columns the model compares is an error, not a registry of nobody.
fn require_some_column(
    path: &Path,
    config: &MatchConfig,
    headers: &[String],
    columns: &[Vec<usize>],
) -> Result<(), ReadError> {
    if columns.iter().any(|c| !c.is_empty()) {
        return Ok(());
    }
    let shorten = |s: String| {
        if s.chars().count() > 120 {
            format!("{}...", s.chars().take(120).collect::<String>())
        } else {
            s
        }
    };
    let expected: Vec<&str> = config
        .fields
        .iter()
        .flat_map(|f| f.columns.iter().map(String::as_str))
        .collect();
    Err(ReadError::NoMatchingColumn {
        path: path.into(),
        found: shorten(format!(
            "{} column(s): {}",
            headers.len(),
            headers.join(", ")
        )),
        expected: shorten(expected.join(", ")),
    })
}

/// Template header to key: the leading identifier (`loaiDangKy \ni=[...]` -> `loaiDangKy`).
pub fn header_key(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Whether a file header names the configured column: the same text (case aside), or the
/// same template key before a line of its own (`loaiDangKy \ni=[...]`).
fn header_matches(header: &str, column: &str) -> bool {
    let h = header.trim_start_matches('\u{feff}').trim();
    if h.eq_ignore_ascii_case(column.trim()) {
        return true;
    }
    match (template_key(h), template_key(column.trim())) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => false,
    }
}

/// The template key of a header: its leading identifier when the rest, if any, stands after
/// white space ("Họ và tên" has none: "H" is no key of it).
fn template_key(h: &str) -> Option<&str> {
    let end = h
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(h.len());
    let rest = &h[end..];
    (end > 0 && (rest.is_empty() || rest.starts_with(char::is_whitespace))).then_some(&h[..end])
}

/// For each field, the indexes of its columns in the header row.
pub fn map_columns(config: &MatchConfig, headers: &[String]) -> Vec<Vec<usize>> {
    config
        .fields
        .iter()
        .map(|f| {
            f.columns
                .iter()
                .filter_map(|c| headers.iter().position(|h| header_matches(h, c)))
                .collect()
        })
        .collect()
}

/// The suffix of a column holding the confidence its values were read with (0..1, or a
/// percentage): `nksHoTen__conf` for `nksHoTen`.
pub const CONFIDENCE_SUFFIX: &str = "__conf";

/// For each field, the indexes of its columns' confidence columns.
pub fn map_confidence_columns(config: &MatchConfig, headers: &[String]) -> Vec<Vec<usize>> {
    config
        .fields
        .iter()
        .map(|f| {
            f.columns
                .iter()
                .filter_map(|c| {
                    let c = c.trim();
                    let conf = format!("{}{CONFIDENCE_SUFFIX}", template_key(c).unwrap_or(c));
                    headers.iter().position(|h| header_matches(h, &conf))
                })
                .collect()
        })
        .collect()
}

/// A confidence cell: 0..1, or a percentage above 1; blank or unreadable is unknown.
fn parse_confidence(cell: &str) -> Option<f32> {
    let x: f32 = cell.trim().replace(',', ".").parse().ok()?;
    if !x.is_finite() || x < 0.0 {
        return None;
    }
    Some(if x > 1.0 { (x / 100.0).min(1.0) } else { x })
}

/// Columns a file has beyond the field values: confidences and the person id.
struct Extras {
    confidence: Vec<Vec<usize>>,
    person: Option<usize>,
}

impl Extras {
    fn new(config: &MatchConfig, headers: &[String]) -> Self {
        Self {
            confidence: map_confidence_columns(config, headers),
            person: headers
                .iter()
                .position(|h| header_matches(h, &config.person_column)),
        }
    }

    /// Each field's confidence: the lowest of its columns' (a name joined from two columns is
    /// as sure as its less sure part).
    fn fill<'a>(&self, out: &mut Vec<Option<f32>>, mut cell: impl FnMut(usize) -> Option<&'a str>) {
        out.clear();
        if self.confidence.iter().all(Vec::is_empty) {
            return;
        }
        for cols in &self.confidence {
            out.push(
                cols.iter()
                    .filter_map(|&c| cell(c).and_then(parse_confidence))
                    .reduce(f32::min),
            );
        }
    }
}

/// How many configured columns a header row has (to guess which model fits a file).
pub fn matching_columns(config: &MatchConfig, headers: &[String]) -> usize {
    map_columns(config, headers)
        .iter()
        .filter(|c| !c.is_empty())
        .count()
}

/// The header row of a file.
pub fn read_headers(path: &Path) -> Result<Vec<String>, ReadError> {
    if is_xlsx(path) {
        let rows = xlsx_rows(path)?;
        return rows
            .into_iter()
            .next()
            .ok_or_else(|| ReadError::NoHeader { path: path.into() });
    }
    let mut rdr = csv_reader(path)?;
    csv_headers(&mut rdr, path)
}

/// The header row of an open CSV reader, as text.
fn csv_headers(
    rdr: &mut csv::Reader<std::fs::File>,
    path: &Path,
) -> Result<Vec<String>, ReadError> {
    let headers = rdr.headers().map_err(|e| io(path, e))?;
    Ok(headers.iter().map(str::to_string).collect())
}

/// Cells of data rows by their 1-based number.
pub type RowsByNumber = std::collections::BTreeMap<usize, Vec<String>>;

/// The header row and the cells of the data rows `wanted` (1-based, numbered as [`read_into`]
/// numbers them, so as the findings name them: "registry.csv row 12"), read in one pass: what
/// the clerical review shows of a registry record beside an entry.
pub fn read_rows(
    path: &Path,
    wanted: &std::collections::BTreeSet<usize>,
) -> Result<(Vec<String>, RowsByNumber), ReadError> {
    let mut found = std::collections::BTreeMap::new();
    let last = wanted.iter().next_back().copied().unwrap_or(0);
    if is_xlsx(path) {
        let mut rows = xlsx_rows(path)?.into_iter();
        let headers = rows
            .next()
            .ok_or_else(|| ReadError::NoHeader { path: path.into() })?;
        for (i, row) in rows.enumerate().take(last) {
            if wanted.contains(&(i + 1)) {
                found.insert(i + 1, row);
            }
        }
        return Ok((headers, found));
    }
    let mut rdr = csv_reader(path)?;
    let headers = csv_headers(&mut rdr, path)?;
    let mut record = csv::ByteRecord::new();
    let mut row = 0usize;
    while row < last && rdr.read_byte_record(&mut record).map_err(|e| io(path, e))? {
        row += 1;
        if wanted.contains(&row) {
            let cells = record
                .iter()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .collect();
            found.insert(row, cells);
        }
    }
    Ok((headers, found))
}

fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "xlsx" | "xlsm" | "xls"))
}

fn io(path: &Path, e: impl std::fmt::Display) -> ReadError {
    ReadError::Io {
        path: path.into(),
        message: e.to_string(),
    }
}

fn csv_reader(path: &Path) -> Result<csv::Reader<std::fs::File>, ReadError> {
    let file = std::fs::File::open(path).map_err(|e| io(path, e))?;
    Ok(csv::ReaderBuilder::new()
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(file))
}

/// Reads every record of `path` into `store`, streaming CSV rows.
pub fn read_into(
    path: &Path,
    config: &MatchConfig,
    vocab: &mut Vocab,
    store: &mut RecordStore,
) -> Result<SourceSummary, ReadError> {
    let label = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let source = store.add_source(label);
    let mut summary = SourceSummary {
        path: path.display().to_string(),
        ..Default::default()
    };
    let mut values: Vec<String> = vec![String::new(); config.fields.len()];
    let columns;
    if is_xlsx(path) {
        let mut rows = xlsx_rows(path)?.into_iter();
        let headers = rows
            .next()
            .ok_or_else(|| ReadError::NoHeader { path: path.into() })?;
        columns = map_columns(config, &headers);
        require_some_column(path, config, &headers, &columns)?;
        let extras = Extras::new(config, &headers);
        let mut confidences = Vec::new();
        for (i, row) in rows.enumerate() {
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            fill(&mut values, &columns, |c| row.get(c).map(String::as_str));
            extras.fill(&mut confidences, |c| row.get(c).map(String::as_str));
            let person = extras.person.and_then(|c| row.get(c)).map(String::as_str);
            push(
                store,
                vocab,
                &values,
                &confidences,
                person,
                source,
                i as u32 + 1,
            );
            summary.records += 1;
        }
    } else {
        let mut rdr = csv_reader(path)?;
        let headers = csv_headers(&mut rdr, path)?;
        columns = map_columns(config, &headers);
        require_some_column(path, config, &headers, &columns)?;
        let mut bad_column: Option<usize> = None;
        let extras = Extras::new(config, &headers);
        // One thread parses CSV and joins each row's configured cells (checked as UTF-8, only
        // those, not all seventy) while this one normalises and interns: the parser did half
        // the other's work and waited; joining there evens the two halves.
        const BATCH: usize = 4096;
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Result<Batch, String>>(4);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
        let (columns, extras) = (&columns, &extras);
        let fields = config.fields.len();
        std::thread::scope(|scope| {
            scope.spawn(move || loop {
                let mut batch = empty_rx.try_recv().unwrap_or_default();
                batch.rows.resize_with(BATCH, || PreparedRow::new(fields));
                batch.len = 0;
                let mut failure = None;
                while batch.len < BATCH {
                    match rdr.read_byte_record(&mut batch.record) {
                        Ok(true) => {
                            batch.rows[batch.len].prepare(&batch.record, columns, extras);
                            batch.len += 1;
                        }
                        Ok(false) => break,
                        Err(e) => {
                            failure = Some(e.to_string());
                            break;
                        }
                    }
                }
                let done = batch.len < BATCH;
                if full_tx.send(Ok(batch)).is_err() {
                    return;
                }
                if let Some(message) = failure {
                    let _ = full_tx.send(Err(message));
                    return;
                }
                if done {
                    return;
                }
            });
            let mut row = 0u32;
            let summary = &mut summary;
            let bad_column = &mut bad_column;
            for message in full_rx {
                let batch = message.map_err(|message| ReadError::Row {
                    path: path.into(),
                    row: row as usize + 1,
                    message,
                })?;
                for prepared in &batch.rows[..batch.len] {
                    row += 1;
                    if let Some(c) = prepared.bad_column {
                        // One bad row does not stop the file; a file of them is refused below.
                        summary.note_unreadable(row as usize);
                        bad_column.get_or_insert(c + 1);
                        continue;
                    }
                    let person = prepared.has_person.then_some(prepared.person.as_str());
                    push(
                        store,
                        vocab,
                        &prepared.values,
                        &prepared.confidences,
                        person,
                        source,
                        row,
                    );
                    summary.records += 1;
                }
                let _ = empty_tx.send(batch);
            }
            Ok::<(), ReadError>(())
        })?;
        summary.check_readable(
            path,
            &format!(
                "column {} is not UTF-8 text",
                bad_column.map_or("?".into(), |c| c.to_string())
            ),
        )?;
    }
    summary.missing_fields = config
        .fields
        .iter()
        .zip(&columns)
        .filter(|(_, c)| c.is_empty())
        .map(|(f, _)| f.name.clone())
        .collect();
    Ok(summary)
}

/// Rows parsed from CSV and prepared for [`push`], passed between the reading threads and
/// reused (their buffers with them).
#[derive(Default)]
struct Batch {
    /// The row being parsed.
    record: csv::ByteRecord,
    rows: Vec<PreparedRow>,
    /// Rows in use.
    len: usize,
}

/// One CSV row's field values, confidences and person id, or the column that is not UTF-8.
struct PreparedRow {
    values: Vec<String>,
    confidences: Vec<Option<f32>>,
    person: String,
    has_person: bool,
    bad_column: Option<usize>,
}

impl PreparedRow {
    fn new(fields: usize) -> Self {
        Self {
            values: vec![String::new(); fields],
            confidences: Vec::new(),
            person: String::new(),
            has_person: false,
            bad_column: None,
        }
    }

    fn prepare(&mut self, record: &csv::ByteRecord, columns: &[Vec<usize>], extras: &Extras) {
        let mut bad = None;
        fill(&mut self.values, columns, |c| {
            let bytes = record.get(c)?;
            match std::str::from_utf8(bytes) {
                Ok(text) => Some(text),
                Err(_) => {
                    bad = Some(c);
                    None
                }
            }
        });
        self.bad_column = bad;
        if bad.is_some() {
            return;
        }
        let text = |c: usize| record.get(c).and_then(|b| std::str::from_utf8(b).ok());
        extras.fill(&mut self.confidences, text);
        self.person.clear();
        let person = extras.person.and_then(text);
        self.has_person = person.is_some();
        self.person.push_str(person.unwrap_or(""));
    }
}

/// Joins each field's cells (trimmed, non-empty) with a space.
fn fill<'a>(
    values: &mut [String],
    columns: &[Vec<usize>],
    mut cell: impl FnMut(usize) -> Option<&'a str>,
) {
    for (v, cols) in values.iter_mut().zip(columns) {
        v.clear();
        for &c in cols {
            let Some(text) = cell(c).map(str::trim).filter(|t| !t.is_empty()) else {
                continue;
            };
            if !v.is_empty() {
                v.push(' ');
            }
            v.push_str(text);
        }
    }
}

fn push(
    store: &mut RecordStore,
    vocab: &mut Vocab,
    values: &[String],
    confidences: &[Option<f32>],
    person: Option<&str>,
    source: u16,
    row: u32,
) {
    let mut refs: [&str; super::config::MAX_FIELDS] = [""; super::config::MAX_FIELDS];
    for (r, v) in refs.iter_mut().zip(values) {
        *r = v;
    }
    store.push_read(
        vocab,
        &refs[..values.len()],
        confidences,
        person,
        source,
        row,
    );
}

/// Every row of the import sheet (`DL Import`, else the first) as text.
fn xlsx_rows(path: &Path) -> Result<Vec<Vec<String>>, ReadError> {
    use calamine::{open_workbook_auto, Data, Reader};
    crate::workbook::check_inflation(path, &crate::workbook::InflationLimits::default())?;
    let mut wb = open_workbook_auto(path).map_err(|e| io(path, e))?;
    let names = wb.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case("DL Import"))
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| ReadError::NoHeader { path: path.into() })?;
    let range = wb.worksheet_range(&sheet).map_err(|e| io(path, e))?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Int(i) => i.to_string(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Float(f) => f.to_string(),
                    Data::Bool(b) => b.to_string(),
                    // Excel serial day 25569 is 1970-01-01.
                    Data::DateTime(d) => {
                        PartialDate::from_unix_days(d.as_f64().floor() as i64 - 25_569)
                            .to_template()
                    }
                    Data::Error(_) | Data::Empty => String::new(),
                })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_found_by_the_number_the_findings_give() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reg.csv");
        std::fs::write(&path, "nksHoTen,nksNgaySinh\nA,1\nB,2\n\"C, D\",3\n").unwrap();
        let wanted = [1usize, 3, 9].into_iter().collect();
        let (headers, rows) = read_rows(&path, &wanted).unwrap();
        assert_eq!(headers, ["nksHoTen", "nksNgaySinh"]);
        assert_eq!(rows[&1], ["A", "1"]);
        assert_eq!(rows[&3], ["C, D", "3"]);
        assert!(!rows.contains_key(&9));
    }

    #[test]
    fn many_rows_and_a_bad_row_are_reported_with_its_number() {
        let config = MatchConfig::one_name_column();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        let mut text = String::from("name\n");
        for i in 0..10_000 {
            text.push_str(&format!("Người Số {i}\n"));
        }
        std::fs::write(&path, &text).unwrap();
        let mut vocab = Vocab::new();
        let mut store = RecordStore::new(&config);
        assert_eq!(
            read_into(&path, &config, &mut vocab, &mut store)
                .unwrap()
                .records,
            10_000
        );
        assert_eq!(store.rows[9_999], 10_000);
        // One bad row is left out and counted, not fatal.
        let mut bytes = text.clone().into_bytes();
        bytes.extend_from_slice(b"\xff\xfe bad\n");
        std::fs::write(&path, &bytes).unwrap();
        let mut store = RecordStore::new(&config);
        let s = read_into(&path, &config, &mut vocab, &mut store).unwrap();
        assert_eq!((s.records, s.unreadable_rows), (10_000, 1));
        assert_eq!(s.first_unreadable_row, Some(10_001));
        // Rows mostly unreadable: not a registry.
        let mut bytes = b"name\nAn\n".to_vec();
        for _ in 0..5 {
            bytes.extend_from_slice(b"\xff\xfe\x00\x81junk\n");
        }
        std::fs::write(&path, &bytes).unwrap();
        let mut store = RecordStore::new(&config);
        let e = read_into(&path, &config, &mut vocab, &mut store).unwrap_err();
        assert!(e.to_string().contains("5 of 6 rows"), "{e}");
        assert!(e.to_string().contains("row 2"), "{e}");
    }

    #[test]
    fn a_workbook_that_inflates_to_gigabytes_is_refused_before_it_is_parsed() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("registry.xlsx");
        {
            let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("xl/sharedStrings.xml", options).unwrap();
            let chunk = vec![b'A'; 1 << 20];
            for _ in 0..300 {
                zip.write_all(&chunk).unwrap();
            }
            zip.finish().unwrap();
        }
        let e = read_headers(&path).unwrap_err();
        assert!(e.to_string().contains("registry.xlsx"), "{e}");
        assert!(e.to_string().contains("unpacked"), "{e}");
    }

    #[test]
    fn a_file_sharing_no_column_with_the_model_is_refused() {
        let config = MatchConfig::one_name_column();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("junk.csv");
        // Base64 text: its first line is taken as a header naming nothing the model compares.
        let mut junk = String::new();
        for i in 0..2000 {
            junk.push_str(&format!("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo{i:05}w==\n"));
        }
        std::fs::write(&path, junk).unwrap();
        let mut vocab = Vocab::new();
        let mut store = RecordStore::new(&config);
        let e = read_into(&path, &config, &mut vocab, &mut store).unwrap_err();
        assert!(matches!(e, ReadError::NoMatchingColumn { .. }), "{e}");
        assert!(e.to_string().contains("junk.csv"), "{e}");
        assert_eq!(store.rows.len(), 0);
    }

    #[test]
    fn confidence_and_person_columns_are_read_beside_the_values() {
        let config = MatchConfig::one_name_column();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        std::fs::write(
            &path,
            "name,name__conf,person_id\nLê Văn Hùng,0.42,P1\nLê Văn Hùng,87,\nLê Văn An,,P1\n",
        )
        .unwrap();
        let mut vocab = Vocab::new();
        let mut store = RecordStore::new(&config);
        read_into(&path, &config, &mut vocab, &mut store).unwrap();
        assert!(store.has_confidences());
        assert_eq!(store.view(0).confidence(0), Some(0.42));
        assert_eq!(store.view(1).confidence(0), Some(0.87));
        assert_eq!(store.view(2).confidence(0), None);
        assert_eq!(store.person(0), store.person(2));
        assert!(store.person(0).is_some());
        assert_eq!(store.person(1), None);
    }

    #[test]
    fn template_headers_match_their_keys() {
        assert!(header_matches("loaiDangKy \ni=[1,2,3,4,5,6]", "loaiDangKy"));
        assert!(header_matches("\u{feff}nksHoTen ", "nkshoten"));
        assert!(header_matches("Họ tên", "họ tên"));
        assert!(!header_matches("meHoTen", "nksHoTen"));
        assert!(header_matches("Họ và tên", "họ và tên"));
        assert!(!header_matches("Họ mẹ", "Họ và tên"));
    }

    #[test]
    fn csv_with_bom_any_order_and_missing_columns() {
        let config = MatchConfig::parse(
            r#"
            [[fields]]
            columns = ["nksHoTen"]
            kind = "name"
            [[fields]]
            columns = ["nksNgaySinh"]
            kind = "date"
            [[fields]]
            columns = ["meHoTen"]
            kind = "name"
            [[blocking]]
            name = "b"
            keys = ["nksHoTen:given"]
            [thresholds]
            upper = 1
            lower = 0
        "#,
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        std::fs::write(
            &path,
            "\u{feff}nksNgaySinh ,STT,nksHoTen \n05.03.1998,1,Nguyễn Văn An\n,2,Lê Thị Hoa\n",
        )
        .unwrap();
        let mut vocab = Vocab::new();
        let mut store = RecordStore::new(&config);
        let s = read_into(&path, &config, &mut vocab, &mut store).unwrap();
        assert_eq!(s.records, 2);
        assert_eq!(s.missing_fields, vec!["meHoTen".to_string()]);
        assert_eq!(store.tokens(0, 1).len(), 3);
        assert_eq!(store.date(1, 0).year, 1998);
        assert!(store.date(1, 1).is_missing());
        assert_eq!(store.rows, vec![1, 2]);
    }
}
