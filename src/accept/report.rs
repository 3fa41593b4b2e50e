//! What the sample says: the field and entry error rates with 95% intervals, the verdict
//! against the limit, the calibration of sohoa's confidence; written as `OUT/acceptance.json`
//! and a one-page `OUT/acceptance.html`.

use super::sample::Sample;
use super::sheet::SheetRow;
use super::stats::{self, CalibrationBin, Interval, Verdict, Z95};
use super::{escape_html, AcceptError};
use crate::journal::{Action, ActionKind, Target, Track};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A field the acceptance reviewer found wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WrongField {
    pub book_id: String,
    pub page: u32,
    pub entry: u32,
    pub field: String,
    pub value: String,
    pub correct_value: String,
    pub confidence: f32,
    pub by_person: bool,
    pub who: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct BookAcceptance {
    pub population_entries: usize,
    pub sampled_entries: usize,
    pub judged_fields: usize,
    pub wrong_fields: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcceptanceReport {
    pub seed: u64,
    pub drawn_at: String,
    pub population_entries: usize,
    pub sampled_entries: usize,
    /// Sampled entries every field of which has a verdict (only these are counted).
    pub judged_entries: usize,
    pub judged_fields: usize,
    /// Sampled fields with no verdict yet.
    pub unjudged_fields: usize,
    pub wrong_fields: usize,
    pub wrong_entries: usize,
    pub confidence_level: f64,
    pub field_error: Interval,
    /// How much sampling whole entries widens the field interval (1: not at all).
    pub design_effect: f64,
    pub entry_error: Interval,
    /// The most a field error rate may be, as a fraction (0.005 = 0.5%).
    pub limit: f64,
    pub verdict: Verdict,
    /// Fields that must be judged, with none wrong, before the limit can be met at all.
    pub fields_needed_without_error: usize,
    pub reviewers: Vec<String>,
    pub by_book: BTreeMap<String, BookAcceptance>,
    pub calibration: Vec<CalibrationBin>,
    pub wrong: Vec<WrongField>,
}

/// A sampled entry's fields, each with its verdict if it has one.
type JudgedFields<'a> = Vec<(&'a SheetRow, Option<&'a Action>)>;

/// The latest acceptance verdict per target.
fn verdicts(actions: &[Action]) -> BTreeMap<Target, &Action> {
    let mut latest = BTreeMap::new();
    for a in actions {
        if a.action.track == Track::Acceptance
            && matches!(a.action.kind, ActionKind::Accepted | ActionKind::Rejected)
        {
            latest.insert(a.action.target.clone(), a);
        }
    }
    latest
}

/// Builds the report from the sample, its fields as delivered now and the journal.
pub fn build(
    sample: &Sample,
    rows: &[SheetRow],
    actions: &[Action],
    limit: f64,
) -> AcceptanceReport {
    let latest = verdicts(actions);
    let mut per_entry: BTreeMap<(String, u32, u32), JudgedFields> = BTreeMap::new();
    for r in rows {
        let target = Target {
            book_id: r.book_id.clone(),
            page: r.page,
            entry: r.entry,
            field: r.field.clone(),
        };
        // A verdict on another value than the one delivered now is stale: not counted.
        let verdict = latest
            .get(&target)
            .copied()
            .filter(|a| a.action.value_read == r.value);
        per_entry
            .entry((r.book_id.clone(), r.page, r.entry))
            .or_default()
            .push((r, verdict));
    }
    let mut clusters = Vec::new();
    let mut wrong_entries = 0;
    let mut unjudged = 0;
    let mut machine = Vec::new();
    let mut person = Vec::new();
    let mut wrong = Vec::new();
    let mut reviewers = BTreeSet::new();
    let mut by_book: BTreeMap<String, BookAcceptance> = sample
        .population
        .iter()
        .map(|(b, n)| {
            (
                b.clone(),
                BookAcceptance {
                    population_entries: *n,
                    ..Default::default()
                },
            )
        })
        .collect();
    for s in &sample.entries {
        by_book
            .entry(s.book_id.clone())
            .or_default()
            .sampled_entries += 1;
    }
    for ((book, _, _), fields) in &per_entry {
        let open = fields.iter().filter(|(_, v)| v.is_none()).count();
        if open > 0 {
            unjudged += open;
            continue;
        }
        let mut bad = 0;
        for (row, v) in fields {
            let a = v.expect("judged");
            reviewers.insert(a.action.who.clone());
            let is_wrong = a.action.kind == ActionKind::Rejected;
            if row.by_person {
                person.push(is_wrong);
            } else {
                machine.push((row.confidence, is_wrong));
            }
            if is_wrong {
                bad += 1;
                wrong.push(WrongField {
                    book_id: row.book_id.clone(),
                    page: row.page,
                    entry: row.entry,
                    field: row.field.clone(),
                    value: row.value.clone(),
                    correct_value: a.action.value.clone(),
                    confidence: row.confidence,
                    by_person: row.by_person,
                    who: a.action.who.clone(),
                });
            }
        }
        if bad > 0 {
            wrong_entries += 1;
        }
        let b = by_book.entry(book.clone()).or_default();
        b.judged_fields += fields.len();
        b.wrong_fields += bad;
        clusters.push((bad, fields.len()));
    }
    let (field_error, design_effect) = stats::clustered_rate(&clusters, Z95);
    let judged_entries = clusters.len();
    let entry_error = stats::wilson(wrong_entries as f64, judged_entries as f64, Z95);
    AcceptanceReport {
        seed: sample.seed,
        drawn_at: sample.drawn_at.clone(),
        population_entries: sample.population_total(),
        sampled_entries: sample.entries.len(),
        judged_entries,
        judged_fields: clusters.iter().map(|c| c.1).sum(),
        unjudged_fields: unjudged,
        wrong_fields: clusters.iter().map(|c| c.0).sum(),
        wrong_entries,
        confidence_level: 0.95,
        field_error,
        design_effect,
        entry_error,
        limit,
        verdict: Verdict::of(&field_error, limit),
        fields_needed_without_error: stats::fields_needed_for(limit, Z95),
        reviewers: reviewers.into_iter().collect(),
        by_book,
        calibration: stats::calibration(&machine, &person),
        wrong,
    }
}

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

impl AcceptanceReport {
    /// The lines `sohoa accept` prints.
    pub fn summary(&self) -> String {
        format!(
            "Acceptance sample: {} of {} importable entries (seed {}); {} entries fully judged \
             ({} fields, {} not yet judged)\n\
             Field errors: {} of {} = {} (95% interval {} - {}, design effect {:.2})\n\
             Entry errors: {} of {} = {} (95% interval {} - {})\n\
             Verdict against a limit of {} of fields: {} / {}\n",
            self.sampled_entries,
            self.population_entries,
            self.seed,
            self.judged_entries,
            self.judged_fields,
            self.unjudged_fields,
            self.wrong_fields,
            self.judged_fields,
            pct(self.field_error.estimate),
            pct(self.field_error.low),
            pct(self.field_error.high),
            self.design_effect,
            self.wrong_entries,
            self.judged_entries,
            pct(self.entry_error.estimate),
            pct(self.entry_error.low),
            pct(self.entry_error.high),
            pct(self.limit),
            self.verdict.as_str().to_uppercase(),
            self.verdict.vietnamese(),
        ) + &if self.verdict == Verdict::Undecided {
            format!(
                "  the interval straddles the limit: judge more entries (at least {} fields \
                 with no error are needed to meet {})\n",
                self.fields_needed_without_error,
                pct(self.limit)
            )
        } else {
            String::new()
        }
    }

    /// Writes `OUT/acceptance.json` and `OUT/acceptance.html`.
    pub fn write(&self, out: &Path) -> Result<(), AcceptError> {
        let json = out.join("acceptance.json");
        crate::store::write_atomic(&json, &serde_json::to_vec_pretty(self).expect("serialises"))
            .map_err(|e| AcceptError::file(&json, e))?;
        let html = out.join("acceptance.html");
        crate::store::write_atomic(&html, self.html().as_bytes())
            .map_err(|e| AcceptError::file(&html, e))
    }

    /// The one-page report with the calibration plot (inline SVG: the error rate found in each
    /// confidence band, with its interval, against the diagonal of perfect calibration).
    pub fn html(&self) -> String {
        let mut h = String::from(
            "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Nghiệm thu / \
             Acceptance</title><style>body{font-family:sans-serif;max-width:60em;margin:1em auto}\
             table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}\
             .accepted{color:#070}.rejected{color:#b00}.undecided{color:#a60}</style></head><body>",
        );
        h.push_str(&format!(
            "<h1>Nghiệm thu theo mẫu / Sample-based acceptance</h1><h2 class=\"{}\">{} — {}</h2>",
            self.verdict.as_str(),
            escape_html(self.verdict.vietnamese()),
            self.verdict.as_str()
        ));
        h.push_str(&format!(
            "<p>Mẫu {} / {} mục (seed {}, rút lúc {}); {} mục đã kiểm đủ, {} trường; người kiểm: {}.</p>",
            self.sampled_entries,
            self.population_entries,
            self.seed,
            escape_html(&self.drawn_at),
            self.judged_entries,
            self.judged_fields,
            escape_html(&self.reviewers.join(", "))
        ));
        h.push_str("<table><tr><th></th><th>sai / wrong</th><th>kiểm / judged</th><th>tỉ lệ / rate</th><th>95% (Wilson)</th></tr>");
        for (name, wrong, n, i) in [
            (
                "Trường / fields",
                self.wrong_fields,
                self.judged_fields,
                &self.field_error,
            ),
            (
                "Mục / entries",
                self.wrong_entries,
                self.judged_entries,
                &self.entry_error,
            ),
        ] {
            h.push_str(&format!(
                "<tr><th>{name}</th><td>{wrong}</td><td>{n}</td><td>{}</td><td>{} – {}</td></tr>",
                pct(i.estimate),
                pct(i.low),
                pct(i.high)
            ));
        }
        h.push_str(&format!(
            "</table><p>Ngưỡng / limit: {} of fields; design effect {:.2}.</p>",
            pct(self.limit),
            self.design_effect
        ));
        h.push_str("<h3>Hiệu chỉnh độ tin cậy / Calibration</h3>");
        h.push_str(&self.calibration_svg());
        h.push_str("<table><tr><th>band</th><th>fields</th><th>wrong</th><th>mean confidence</th><th>error rate (95%)</th></tr>");
        for b in &self.calibration {
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.3}</td><td>{} ({} – {})</td></tr>",
                escape_html(&b.band),
                b.fields,
                b.wrong,
                b.mean_confidence,
                pct(b.error.estimate),
                pct(b.error.low),
                pct(b.error.high)
            ));
        }
        h.push_str("</table>");
        if !self.wrong.is_empty() {
            h.push_str("<h3>Trường sai / Wrong fields</h3><table><tr><th>book</th><th>page</th><th>entry</th><th>field</th><th>delivered</th><th>right</th><th>confidence</th></tr>");
            for w in &self.wrong {
                h.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.3}{}</td></tr>",
                    escape_html(&w.book_id),
                    w.page,
                    w.entry,
                    escape_html(&w.field),
                    escape_html(&w.value),
                    escape_html(&w.correct_value),
                    w.confidence,
                    if w.by_person { " (person)" } else { "" }
                ));
            }
            h.push_str("</table>");
        }
        h.push_str("</body></html>");
        h
    }

    fn calibration_svg(&self) -> String {
        // x: confidence 0..1; y: error rate 0..1 on a square-root scale so that small rates
        // (where it matters) are visible.
        let (w, hgt, m) = (420.0, 300.0, 40.0);
        let x = |c: f64| m + c.clamp(0.0, 1.0) * (w - 2.0 * m);
        let y = |e: f64| hgt - m - e.clamp(0.0, 1.0).sqrt() * (hgt - 2.0 * m);
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{hgt}\" role=\"img\" \
             aria-label=\"calibration\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\
             <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#000\"/>\
             <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#000\"/>",
            x(0.0), y(0.0), x(1.0), y(0.0), x(0.0), y(0.0), x(0.0), y(1.0)
        );
        // Perfect calibration: error = 1 - confidence.
        let diag: Vec<String> = (0..=20)
            .map(|i| {
                let c = i as f64 / 20.0;
                format!("{:.1},{:.1}", x(c), y(1.0 - c))
            })
            .collect();
        s.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>",
            diag.join(" ")
        ));
        for b in self.calibration.iter().filter(|b| b.band != "person") {
            let cx = x(b.mean_confidence);
            s.push_str(&format!(
                "<line x1=\"{cx:.1}\" y1=\"{:.1}\" x2=\"{cx:.1}\" y2=\"{:.1}\" stroke=\"#36c\"/>\
                 <circle cx=\"{cx:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"#36c\"><title>{}: {} of {}</title></circle>",
                y(b.error.low),
                y(b.error.high),
                y(b.error.estimate),
                (2.0 + (b.fields as f64).sqrt() / 3.0).min(9.0),
                escape_html(&b.band),
                b.wrong,
                b.fields
            ));
        }
        for (v, label) in [
            (0.0, "0"),
            (0.01, "1%"),
            (0.05, "5%"),
            (0.25, "25%"),
            (1.0, "100%"),
        ] {
            s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{label}</text>",
                x(0.0) - 4.0,
                y(v) + 3.0
            ));
        }
        for c in [0.0, 0.5, 0.8, 1.0] {
            s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{c}</text>",
                x(c),
                y(0.0) + 14.0
            ));
        }
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">độ tin cậy của sohoa / sohoa's confidence</text>\
             <text x=\"12\" y=\"{:.1}\" font-size=\"11\" transform=\"rotate(-90 12 {:.1})\" text-anchor=\"middle\">tỉ lệ sai / error rate</text></svg>",
            w / 2.0,
            hgt - 6.0,
            hgt / 2.0,
            hgt / 2.0
        ));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accept::sample::SampledEntry;
    use crate::journal::NewAction;

    fn row(entry: u32, field: &str, value: &str, conf: f32) -> SheetRow {
        SheetRow {
            book_id: "b".into(),
            page: 1,
            entry,
            field: field.into(),
            label: field.into(),
            value: value.into(),
            confidence: conf,
            ..Default::default()
        }
    }

    fn verdict(id: i64, r: &SheetRow, ok: bool, value_read: &str) -> Action {
        Action {
            id,
            at: "2026-12-03T00:00:00Z".into(),
            action: NewAction {
                target: Target {
                    book_id: r.book_id.clone(),
                    page: r.page,
                    entry: r.entry,
                    field: r.field.clone(),
                },
                track: Track::Acceptance,
                kind: if ok {
                    ActionKind::Accepted
                } else {
                    ActionKind::Rejected
                },
                who: "Thẩm định".into(),
                role: "acceptance".into(),
                value_read: value_read.into(),
                value: if ok {
                    value_read.into()
                } else {
                    "Đúng".into()
                },
                pass: 0,
                reason: String::new(),
                source: "test".into(),
                supersedes: None,
                ms: None,
            },
        }
    }

    #[test]
    fn only_fully_judged_entries_count_and_stale_verdicts_are_ignored() {
        let sample = Sample {
            seed: 1,
            requested: 2,
            drawn_at: String::new(),
            population: [("b".to_string(), 10)].into(),
            entries: vec![
                SampledEntry {
                    book_id: "b".into(),
                    page: 1,
                    entry: 1,
                },
                SampledEntry {
                    book_id: "b".into(),
                    page: 1,
                    entry: 2,
                },
            ],
        };
        let rows = vec![
            row(1, "ho_ten", "An", 0.99),
            row(1, "ngay_sinh", "01.01.1990", 0.97),
            row(2, "ho_ten", "Bình", 0.6),
        ];
        let actions = vec![
            verdict(1, &rows[0], true, "An"),
            verdict(2, &rows[1], false, "01.01.1990"),
            // Judged on a value no longer delivered: entry 2 stays unjudged.
            verdict(3, &rows[2], true, "Binh"),
        ];
        let rep = build(&sample, &rows, &actions, 0.005);
        assert_eq!(
            (rep.judged_entries, rep.judged_fields, rep.unjudged_fields),
            (1, 2, 1)
        );
        assert_eq!((rep.wrong_fields, rep.wrong_entries), (1, 1));
        assert_eq!(rep.wrong[0].correct_value, "Đúng");
        assert_ne!(rep.verdict, Verdict::Accepted);
        let html = rep.html();
        assert!(html.contains("<svg") && html.contains("01.01.1990"));
    }
}
