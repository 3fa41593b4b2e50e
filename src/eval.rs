//! Accuracy of a run against a truth file: field accuracy per field and overall, entry recall,
//! and the accuracy of fields in `auto` entries (the ones that go to import unseen).
//!
//! Entries are paired within each page by how many fields agree, not by position, so one missed
//! entry does not make the rest of the page look wrong. A field counts when the truth or the
//! output has a value; an entry the run missed counts all its truth fields as wrong, and an entry
//! the run invented counts all its values as wrong.

use crate::text::{nfc, squash_spaces};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: cannot read: {message}")]
    Read { path: String, message: String },
    #[error("{path}: missing column `{column}`")]
    MissingColumn { path: String, column: String },
}

/// One CSV as rows of column -> value.
#[derive(Debug, Clone)]
struct Table {
    rows: Vec<BTreeMap<String, String>>,
}

fn read_table(path: &Path, required: &[&str]) -> Result<Table, EvalError> {
    let shown = path.display().to_string();
    let err = |m: String| EvalError::Read {
        path: shown.clone(),
        message: m,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| err(e.to_string()))?;
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| err(e.to_string()))?
        .iter()
        .map(|h| header_key(h.trim_start_matches('\u{feff}')))
        .collect();
    for c in required {
        if !headers.iter().any(|h| h == c) {
            return Err(EvalError::MissingColumn {
                path: shown.clone(),
                column: c.to_string(),
            });
        }
    }
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| err(e.to_string()))?;
        rows.push(
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.clone(), v.to_string()))
                .collect(),
        );
    }
    Ok(Table { rows })
}

/// Template header to key: the leading identifier (domain reference 1.2).
fn header_key(h: &str) -> String {
    h.trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Values compare equal after NFC and whitespace squashing.
fn canon(v: &str) -> String {
    squash_spaces(&nfc(v))
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FieldScore {
    pub counted: usize,
    pub correct: usize,
}

impl FieldScore {
    pub fn accuracy(&self) -> f64 {
        if self.counted == 0 {
            1.0
        } else {
            self.correct as f64 / self.counted as f64
        }
    }
    fn add(&mut self, ok: bool) {
        self.counted += 1;
        if ok {
            self.correct += 1;
        }
    }
}

/// A wrong field, for looking at.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Mismatch {
    pub book_id: String,
    pub page: String,
    pub entry: String,
    pub field: String,
    pub truth: String,
    pub output: String,
    pub status: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EvalReport {
    pub truth_entries: usize,
    pub output_entries: usize,
    pub matched_entries: usize,
    pub entry_recall: f64,
    /// Output entries with no truth entry.
    pub spurious_entries: usize,
    pub overall: FieldScore,
    pub overall_accuracy: f64,
    pub per_field: BTreeMap<String, FieldScore>,
    /// Fields of matched entries the run marked `auto`.
    pub auto_fields: FieldScore,
    pub auto_accuracy: f64,
    pub auto_entries: usize,
    /// Fields of matched entries that go to the import files (`auto` or `reviewed`): what a
    /// delivery holds.
    #[serde(default)]
    pub importable_fields: FieldScore,
    #[serde(default)]
    pub importable_accuracy: f64,
    #[serde(default)]
    pub importable_entries: usize,
    pub status_counts: BTreeMap<String, usize>,
    pub mismatches: Vec<Mismatch>,
}

const ID_COLUMNS: [&str; 4] = ["book_id", "page", "entry", "register"];
const NOT_SCORED: [&str; 1] = ["STT"];

/// How to score.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvalOptions {
    /// The truth covers only a sample of the entries (an acceptance check keyed by hand):
    /// output entries without truth are not counted.
    pub sample: bool,
}

/// Scores the records of `out` against `truth`.
pub fn evaluate(out: &Path, truth_path: &Path) -> Result<EvalReport, EvalError> {
    evaluate_with(out, truth_path, EvalOptions::default())
}

/// [`evaluate`] with options.
pub fn evaluate_with(
    out: &Path,
    truth_path: &Path,
    options: EvalOptions,
) -> Result<EvalReport, EvalError> {
    let truth = read_table(truth_path, &ID_COLUMNS)?;
    let registers: BTreeSet<String> = truth
        .rows
        .iter()
        .map(|r| r.get("register").cloned().unwrap_or_default())
        .collect();
    let mut output_rows = Vec::new();
    for reg in &registers {
        let path = out.join("records").join(format!("{reg}.csv"));
        output_rows.extend(read_table(&path, &["book_id", "page", "entry", "status"])?.rows);
    }
    let fields: Vec<String> = truth
        .rows
        .first()
        .map(|r| {
            r.keys()
                .filter(|k| !ID_COLUMNS.contains(&k.as_str()) && !NOT_SCORED.contains(&k.as_str()))
                .cloned()
                .collect()
        })
        .unwrap_or_default();

    type PageKey = (String, String);
    let mut truth_by_page: BTreeMap<PageKey, Vec<&BTreeMap<String, String>>> = BTreeMap::new();
    for r in &truth.rows {
        truth_by_page
            .entry((r["book_id"].clone(), r["page"].clone()))
            .or_default()
            .push(r);
    }
    let mut out_by_page: BTreeMap<PageKey, Vec<&BTreeMap<String, String>>> = BTreeMap::new();
    for r in &output_rows {
        out_by_page
            .entry((r["book_id"].clone(), r["page"].clone()))
            .or_default()
            .push(r);
    }

    let mut rep = EvalReport {
        truth_entries: truth.rows.len(),
        output_entries: output_rows.len(),
        ..EvalReport::default()
    };
    for r in &output_rows {
        *rep.status_counts.entry(r["status"].clone()).or_default() += 1;
    }
    let empty = BTreeMap::new();
    let get = |r: &BTreeMap<String, String>, f: &str| canon(r.get(f).map_or("", |s| s.as_str()));
    let agreement = |t: &&BTreeMap<String, String>, o: &&BTreeMap<String, String>| {
        fields
            .iter()
            .filter(|f| {
                let tv = get(t, f);
                !tv.is_empty() && tv == get(o, f)
            })
            .count()
    };

    let pages: BTreeSet<PageKey> = truth_by_page
        .keys()
        .chain(out_by_page.keys())
        .cloned()
        .collect();
    for page in pages {
        let ts = truth_by_page.get(&page).cloned().unwrap_or_default();
        let os = out_by_page.get(&page).cloned().unwrap_or_default();
        let pairs = pair_entries(&ts, &os, &agreement);
        for (ti, oj) in pairs {
            if options.sample && ti.is_none() {
                continue;
            }
            let t = ti.map_or(&empty, |i| ts[i]);
            let o = oj.map_or(&empty, |j| os[j]);
            match (ti, oj) {
                (Some(_), Some(_)) => rep.matched_entries += 1,
                (None, Some(_)) => rep.spurious_entries += 1,
                _ => {}
            }
            let status = o.get("status").cloned().unwrap_or_default();
            let auto = ti.is_some() && status == "auto";
            if auto {
                rep.auto_entries += 1;
            }
            let importable = ti.is_some() && (status == "auto" || status == "reviewed");
            if importable {
                rep.importable_entries += 1;
            }
            for f in &fields {
                let (tv, ov) = (get(t, f), get(o, f));
                if tv.is_empty() && ov.is_empty() {
                    continue;
                }
                let ok = tv == ov;
                rep.overall.add(ok);
                rep.per_field.entry(f.clone()).or_default().add(ok);
                if auto {
                    rep.auto_fields.add(ok);
                }
                if importable {
                    rep.importable_fields.add(ok);
                }
                if !ok {
                    rep.mismatches.push(Mismatch {
                        book_id: page.0.clone(),
                        page: page.1.clone(),
                        entry: o
                            .get("entry")
                            .or(t.get("entry"))
                            .cloned()
                            .unwrap_or_default(),
                        field: f.clone(),
                        truth: tv,
                        output: ov,
                        status: status.clone(),
                    });
                }
            }
        }
    }
    rep.entry_recall = if rep.truth_entries == 0 {
        1.0
    } else {
        rep.matched_entries as f64 / rep.truth_entries as f64
    };
    rep.overall_accuracy = rep.overall.accuracy();
    rep.auto_accuracy = rep.auto_fields.accuracy();
    rep.importable_accuracy = rep.importable_fields.accuracy();
    if options.sample {
        rep.output_entries = rep.matched_entries;
    }
    Ok(rep)
}

/// Pairs the truth entries of a page with the output entries, by how many fields agree
/// (greedy: pages hold one or two entries, so this is exact enough). Unpaired entries come
/// last, with `None` on the other side.
pub fn pair_entries<T>(
    ts: &[T],
    os: &[T],
    agreement: &dyn Fn(&T, &T) -> usize,
) -> Vec<(Option<usize>, Option<usize>)> {
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
    for (i, t) in ts.iter().enumerate() {
        for (j, o) in os.iter().enumerate() {
            candidates.push((agreement(t, o), i, j));
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut t_used = vec![false; ts.len()];
    let mut o_used = vec![false; os.len()];
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    for (score, i, j) in candidates {
        if score == 0 || t_used[i] || o_used[j] {
            continue;
        }
        t_used[i] = true;
        o_used[j] = true;
        pairs.push((Some(i), Some(j)));
    }
    pairs.extend(
        (0..ts.len())
            .filter(|i| !t_used[*i])
            .map(|i| (Some(i), None)),
    );
    pairs.extend(
        (0..os.len())
            .filter(|j| !o_used[*j])
            .map(|j| (None, Some(j))),
    );
    pairs
}

/// The truth row of each output entry (`book_id`, `page`, `entry` of the records file), paired
/// as `evaluate` pairs them: for tools that act as a reviewer who knows the truth.
pub fn truth_of_entries(
    out: &Path,
    truth_path: &Path,
) -> Result<BTreeMap<(String, String, String), BTreeMap<String, String>>, EvalError> {
    let truth = read_table(truth_path, &ID_COLUMNS)?;
    let registers: BTreeSet<String> = truth
        .rows
        .iter()
        .map(|r| r.get("register").cloned().unwrap_or_default())
        .collect();
    let mut output_rows = Vec::new();
    for reg in &registers {
        let path = out.join("records").join(format!("{reg}.csv"));
        output_rows.extend(read_table(&path, &["book_id", "page", "entry"])?.rows);
    }
    let fields: Vec<String> = truth
        .rows
        .first()
        .map(|r| {
            r.keys()
                .filter(|k| !ID_COLUMNS.contains(&k.as_str()))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let get = |r: &BTreeMap<String, String>, f: &str| canon(r.get(f).map_or("", |s| s.as_str()));
    let agreement = |t: &&BTreeMap<String, String>, o: &&BTreeMap<String, String>| {
        fields
            .iter()
            .filter(|f| {
                let tv = get(t, f);
                !tv.is_empty() && tv == get(o, f)
            })
            .count()
    };
    let page_of = |r: &BTreeMap<String, String>| (r["book_id"].clone(), r["page"].clone());
    let mut by_page: BTreeMap<
        (String, String),
        (
            Vec<&BTreeMap<String, String>>,
            Vec<&BTreeMap<String, String>>,
        ),
    > = BTreeMap::new();
    for r in &truth.rows {
        by_page.entry(page_of(r)).or_default().0.push(r);
    }
    for r in &output_rows {
        by_page.entry(page_of(r)).or_default().1.push(r);
    }
    let mut out_map = BTreeMap::new();
    for ((book, page), (ts, os)) in by_page {
        for (ti, oj) in pair_entries(&ts, &os, &agreement) {
            if let (Some(i), Some(j)) = (ti, oj) {
                out_map.insert(
                    (book.clone(), page.clone(), os[j]["entry"].clone()),
                    ts[i].clone(),
                );
            }
        }
    }
    Ok(out_map)
}

impl EvalReport {
    /// The readable table `sohoa eval` prints.
    pub fn table(&self, show_errors: usize) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<28} {:>7} {:>7} {:>9}",
            "field", "counted", "correct", "accuracy"
        );
        for (f, sc) in &self.per_field {
            let _ = writeln!(
                s,
                "{:<28} {:>7} {:>7} {:>8.2}%",
                f,
                sc.counted,
                sc.correct,
                100.0 * sc.accuracy()
            );
        }
        let _ = writeln!(
            s,
            "\nOverall field accuracy: {:.2}% ({} of {} fields)",
            100.0 * self.overall_accuracy,
            self.overall.correct,
            self.overall.counted
        );
        let _ = writeln!(
            s,
            "Entry recall: {:.2}% ({} of {} truth entries found; {} output entries, {} without truth)",
            100.0 * self.entry_recall,
            self.matched_entries,
            self.truth_entries,
            self.output_entries,
            self.spurious_entries
        );
        let _ = writeln!(
            s,
            "Fields in auto entries: {:.2}% correct ({} of {} fields, {} auto entries)",
            100.0 * self.auto_accuracy,
            self.auto_fields.correct,
            self.auto_fields.counted,
            self.auto_entries
        );
        if self.importable_entries > self.auto_entries {
            let _ = writeln!(
                s,
                "Fields in importable entries (auto + reviewed): {:.2}% correct ({} of {} fields, {} entries)",
                100.0 * self.importable_accuracy,
                self.importable_fields.correct,
                self.importable_fields.counted,
                self.importable_entries
            );
        }
        let statuses: Vec<String> = self
            .status_counts
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let _ = writeln!(s, "Statuses: {}", statuses.join(", "));
        for m in self.mismatches.iter().take(show_errors) {
            let _ = writeln!(
                s,
                "  {}:{} entry {} [{}] {}: truth {:?} output {:?}",
                m.book_id, m.page, m.entry, m.status, m.field, m.truth, m.output
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn pairs_entries_by_agreement_and_scores_fields() {
        let dir = tempfile::tempdir().unwrap();
        let truth = dir.path().join("truth.csv");
        write(
            &truth,
            "book_id,page,entry,register,so,nksHoTen,nksGioiTinh\n\
             b,1,1,KS,1,Nguyễn Văn An,1\n\
             b,1,2,KS,2,Trần Thị Bình,2\n\
             b,2,1,KS,3,Lê Văn Cường,1\n",
        );
        // The run missed entry 1 of page 1 (so its entry 1 is truth's entry 2), read one name
        // wrong, and invented an entry on page 2.
        write(
            &dir.path().join("out/records/KS.csv"),
            "book_id,page,entry,page_file,status,confidence,findings,so,nksHoTen,nksGioiTinh\n\
             b,1,1,f,auto,1,,2,Trần Thị Bình,2\n\
             b,2,1,f,review,0.5,,3,Lê Văn Cuòng,1\n\
             b,2,2,f,auto,1,,,,1\n",
        );
        let rep = evaluate(&dir.path().join("out"), &truth).unwrap();
        assert_eq!(rep.truth_entries, 3);
        assert_eq!(rep.matched_entries, 2);
        assert_eq!(rep.spurious_entries, 1);
        // Fields: missed entry 3 wrong; page-1 pair 3 right; page-2 pair 2 right 1 wrong;
        // spurious entry 1 wrong.
        assert_eq!(rep.overall.counted, 10);
        assert_eq!(rep.overall.correct, 5);
        assert_eq!(rep.auto_fields.counted, 3);
        assert_eq!(rep.auto_fields.correct, 3);
        assert_eq!(rep.per_field["nksHoTen"].correct, 1);
    }

    #[test]
    fn missing_records_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let truth = dir.path().join("truth.csv");
        write(&truth, "book_id,page,entry,register,so\nb,1,1,KS,1\n");
        let e = evaluate(&dir.path().join("nowhere"), &truth).unwrap_err();
        assert!(e.to_string().contains("KS.csv"), "{e}");
    }
}
