//! `DIR/report.json`, `DIR/matches.csv` and the terminal summary of `sohoa dedup`, and the
//! scores against a truth file of known duplicate pairs.

use super::cluster::Resolution;
use super::explain::Explainer;
use super::link::{Linkage, RuleStats, Side, Timings};
use super::model::Model;
use super::read::SourceSummary;
use super::record::RecordStore;
use crate::emit::neutralize_formula;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

/// Counts of links by decision.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Decisions {
    pub duplicate: usize,
    pub possible: usize,
    pub conflict: usize,
    /// Pairs scoring above the lower threshold that a field's `different` level capped to
    /// distinct (twins, for instance).
    pub capped_distinct: usize,
}

/// What the input records became.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Outcomes {
    pub new: usize,
    pub duplicate_of_existing: usize,
    /// First records of in-batch clusters (kept).
    pub first_of_cluster: usize,
    /// Later copies of an earlier input record (left out).
    pub later_copy: usize,
    pub possible: usize,
    pub conflict: usize,
}

/// A cluster joining several registry records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Conflict {
    pub input_row: String,
    pub existing_rows: Vec<String>,
}

/// Precision, recall and F1 of a set of predicted pairs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Scores {
    pub predicted: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Scores {
    fn new(predicted: usize, correct: usize, truth: usize) -> Self {
        let precision = if predicted == 0 {
            1.0
        } else {
            correct as f64 / predicted as f64
        };
        let recall = if truth == 0 {
            1.0
        } else {
            correct as f64 / truth as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Self {
            predicted,
            correct,
            precision,
            recall,
            f1,
        }
    }
}

/// Near misses of one relation and what became of them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NearMissScores {
    pub pairs: usize,
    /// Decided `duplicate` (must be 0 for twins).
    pub merged: usize,
    pub possible: usize,
}

/// Scores against a truth file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TruthScores {
    pub truth_pairs: usize,
    /// Pairs decided `duplicate`.
    pub duplicate: Scores,
    /// Pairs decided `duplicate`, `possible` or `conflict`.
    pub duplicate_or_possible: Scores,
    /// From `near_misses.csv` beside the truth file, by relation (twin, sibling, namesake).
    pub near_misses: BTreeMap<String, NearMissScores>,
}

/// Seconds per phase of a `sohoa dedup` run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunTimes {
    pub read_existing: f64,
    pub index_existing: f64,
    pub read_input: f64,
    pub link: Timings,
    pub write: f64,
    pub total: f64,
}

/// The run report.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DedupReport {
    pub sohoa_version: String,
    pub register: String,
    pub config: String,
    pub input: SourceSummary,
    pub existing: Vec<SourceSummary>,
    pub input_records: usize,
    pub existing_records: usize,
    pub pairs_compared: u64,
    pub pairs_per_second: f64,
    pub blocking: Vec<RuleStats>,
    pub decisions: Decisions,
    pub outcomes: Outcomes,
    pub conflicts: Vec<Conflict>,
    pub model: Option<Model>,
    pub times: RunTimes,
    /// Words interned and bytes held by the registry records and index.
    pub vocabulary_words: usize,
    pub registry_bytes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truth: Option<TruthScores>,
}

impl DedupReport {
    /// Fills the counts from a linkage and its resolution.
    pub fn count(
        &mut self,
        linkage: &Linkage,
        resolutions: &[Resolution],
        input: &RecordStore,
        existing: &RecordStore,
    ) {
        self.pairs_compared = linkage.pairs;
        self.blocking = linkage.rules.clone();
        self.model = Some(linkage.model.clone());
        self.times.link = linkage.timings.clone();
        let t = &linkage.timings;
        let compare_s = t.candidates.max(1e-9);
        self.pairs_per_second = linkage.pairs as f64 / compare_s;
        let mut d = Decisions::default();
        for l in &linkage.links {
            match l.decision_str() {
                "duplicate" => d.duplicate += 1,
                "possible" => d.possible += 1,
                "conflict" => d.conflict += 1,
                _ => d.capped_distinct += 1,
            }
        }
        self.decisions = d;
        let mut o = Outcomes::default();
        for (i, r) in resolutions.iter().enumerate() {
            match r {
                Resolution::New => o.new += 1,
                Resolution::Existing { .. } => o.duplicate_of_existing += 1,
                Resolution::First => o.first_of_cluster += 1,
                Resolution::LaterCopy { .. } => o.later_copy += 1,
                Resolution::Possible { .. } => o.possible += 1,
                Resolution::Conflict { existing: rows, .. } => {
                    o.conflict += 1;
                    self.conflicts.push(Conflict {
                        input_row: input.describe(i),
                        existing_rows: rows
                            .iter()
                            .map(|&r| existing.describe(r as usize))
                            .collect(),
                    });
                }
            }
        }
        self.outcomes = o;
    }

    /// The summary printed on the terminal.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Compared {} input record(s) with {} registry record(s) and each other: {} candidate pairs ({:.0} pairs/s).",
            self.input_records, self.existing_records, self.pairs_compared, self.pairs_per_second
        );
        for r in &self.blocking {
            let _ = write!(
                s,
                "  key {:<24} {:>10} pairs {:>7} duplicate",
                r.name, r.pairs, r.duplicates
            );
            if r.oversized_blocks > 0 {
                let _ = write!(
                    s,
                    "  ({} oversized block(s) skipped, {} lookups)",
                    r.oversized_blocks, r.skipped_lookups
                );
            }
            s.push('\n');
        }
        let d = &self.decisions;
        let _ = writeln!(
            s,
            "Pairs: {} duplicate, {} possible, {} conflict, {} capped to distinct.",
            d.duplicate, d.possible, d.conflict, d.capped_distinct
        );
        let o = &self.outcomes;
        let _ = writeln!(
            s,
            "Input records: {} new, {} duplicate of the registry, {} later copies within the input ({} kept first), {} possible, {} in conflict.",
            o.new, o.duplicate_of_existing, o.later_copy, o.first_of_cluster, o.possible, o.conflict
        );
        if let Some(m) = &self.model {
            let sessions: Vec<String> = m
                .sessions
                .iter()
                .map(|s| {
                    if s.trained.is_empty() {
                        format!("{} ({} pairs: too few, default m)", s.name, s.pairs)
                    } else {
                        format!("{} ({} pairs, {:.0} matches)", s.name, s.pairs, s.matches)
                    }
                })
                .collect();
            let _ = writeln!(
                s,
                "Model: m by EM in sessions {}; prior {:.1} bits from {:.0} expected matches ({}).",
                if sessions.is_empty() {
                    "none (default m)".to_string()
                } else {
                    sessions.join(", ")
                },
                m.prior_bits,
                m.expected_matches,
                if m.em_ran {
                    "EM over the candidate pairs"
                } else {
                    "too few pairs: the configured duplicate share"
                }
            );
        }
        for src in std::iter::once(&self.input).chain(&self.existing) {
            if !src.missing_fields.is_empty() {
                let _ = writeln!(
                    s,
                    "Note: {} has no column for {} (never evidence).",
                    src.path,
                    src.missing_fields.join(", ")
                );
            }
        }
        let t = &self.times;
        let _ = writeln!(
            s,
            "Time: {:.1} s (read registry {:.1}, index {:.1}, read input {:.1}, compare {:.1}, u {:.1}, training {:.1}, EM {:.1}, score {:.1}, write {:.1}).",
            t.total,
            t.read_existing,
            t.index_existing,
            t.read_input,
            t.link.candidates,
            t.link.u_sample,
            t.link.training,
            t.link.em,
            t.link.score,
            t.write
        );
        if let Some(tr) = &self.truth {
            let _ = writeln!(
                s,
                "Against the truth ({} pairs): duplicate P {:.4} R {:.4} F1 {:.4}; duplicate+possible P {:.4} R {:.4} F1 {:.4}.",
                tr.truth_pairs,
                tr.duplicate.precision,
                tr.duplicate.recall,
                tr.duplicate.f1,
                tr.duplicate_or_possible.precision,
                tr.duplicate_or_possible.recall,
                tr.duplicate_or_possible.f1
            );
            for (rel, n) in &tr.near_misses {
                let _ = writeln!(
                    s,
                    "  near misses {rel}: {} pairs, {} merged, {} possible",
                    n.pairs, n.merged, n.possible
                );
            }
        }
        s
    }
}

/// A pair as the truth file and matches.csv name it.
type PairKey = (String, String, String);

fn pair_key(kind: &str, input_row: &str, match_row: &str) -> PairKey {
    let (a, b) = (input_row.trim().to_string(), match_row.trim().to_string());
    if kind == "input" {
        // Input pairs are unordered: the later row first.
        let later = |x: &str, y: &str| match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(p), Ok(q)) => p >= q,
            _ => x >= y,
        };
        if later(&a, &b) {
            ("input".into(), a, b)
        } else {
            ("input".into(), b, a)
        }
    } else {
        (kind.trim().to_string(), a, b)
    }
}

fn read_pairs(path: &Path) -> Result<Vec<(PairKey, String)>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(k), Some(i), Some(m)) = (col("kind"), col("input_row"), col("match_row")) else {
        return Err(format!(
            "{}: expected the columns kind,input_row,match_row",
            path.display()
        ));
    };
    let rel = col("relation");
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
        let get = |c: usize| rec.get(c).unwrap_or("");
        out.push((
            pair_key(get(k), get(i), get(m)),
            rel.map(|r| get(r).to_string()).unwrap_or_default(),
        ));
    }
    Ok(out)
}

/// Scores the reported links against `truth` (and `near_misses.csv` beside it, when present).
pub fn score_truth(
    truth_path: &Path,
    linkage: &Linkage,
    input: &RecordStore,
    existing: &RecordStore,
) -> Result<TruthScores, String> {
    let truth: HashSet<PairKey> = read_pairs(truth_path)?.into_iter().map(|p| p.0).collect();
    let near = truth_path.with_file_name("near_misses.csv");
    let near_pairs = if near.is_file() {
        read_pairs(&near)?
    } else {
        Vec::new()
    };
    // Decisions are looked up for the near misses only: a map of every link's key (a million
    // of them within one file) cost a second.
    let mut decision_of: HashMap<PairKey, &'static str> = near_pairs
        .iter()
        .map(|(key, _)| (key.clone(), ""))
        .collect();
    let mut dup = HashSet::new();
    let mut any = HashSet::new();
    for l in &linkage.links {
        let other = match l.side {
            Side::Existing => existing.describe(l.other as usize),
            Side::Input => input.describe(l.other as usize),
        };
        let key = pair_key(l.side.as_str(), &input.describe(l.input as usize), &other);
        let d = l.decision_str();
        if let Some(decision) = decision_of.get_mut(&key) {
            *decision = d;
        }
        if d == "duplicate" {
            dup.insert(key.clone());
        }
        if d != "distinct" {
            any.insert(key);
        }
    }
    let correct = |set: &HashSet<PairKey>| set.iter().filter(|p| truth.contains(*p)).count();
    let mut scores = TruthScores {
        truth_pairs: truth.len(),
        duplicate: Scores::new(dup.len(), correct(&dup), truth.len()),
        duplicate_or_possible: Scores::new(any.len(), correct(&any), truth.len()),
        near_misses: BTreeMap::new(),
    };
    for (key, relation) in near_pairs {
        let n = scores.near_misses.entry(relation).or_default();
        n.pairs += 1;
        match decision_of.get(&key).copied() {
            Some("duplicate") => n.merged += 1,
            Some("possible") | Some("conflict") => n.possible += 1,
            _ => {}
        }
    }
    Ok(scores)
}

/// Writes `clusters.csv`: what each input record became (`input_row,status,person,
/// match_rows`). `person` is the registry person id of earlier links (column `person_id`)
/// when the record is one, `existing:<row>` for a registry record without one, and
/// `input:<row>` (its cluster's first input record) for a new person: appended to the
/// registry with this column, the batch's links carry over to the next batch.
pub fn write_clusters(
    path: &Path,
    resolutions: &[Resolution],
    linkage: &Linkage,
    input: &RecordStore,
    existing: &RecordStore,
) -> std::io::Result<()> {
    let person_of_existing = |r: u32| match existing.person(r as usize) {
        Some(p) => existing.person_names.resolve(p).to_string(),
        None => format!("existing:{}", existing.describe(r as usize)),
    };
    let header = ["input_row", "status", "person", "match_rows"];
    super::parallel_csv::write_rows(path, &header, resolutions.len(), |i, w| {
        let own = format!("input:{}", input.describe(i));
        let (status, person, rows) = match &resolutions[i] {
            Resolution::New => ("new", own, String::new()),
            Resolution::First => ("first_of_cluster", own, String::new()),
            Resolution::LaterCopy { first, .. } => (
                "later_copy",
                format!("input:{}", input.describe(*first as usize)),
                input.describe(*first as usize),
            ),
            Resolution::Existing { existing: e, .. } => (
                "duplicate_of_existing",
                person_of_existing(*e),
                existing.describe(*e as usize),
            ),
            Resolution::Possible { link } => {
                let l = &linkage.links[*link];
                let other = match l.side {
                    Side::Existing => existing.describe(l.other as usize),
                    Side::Input => format!("input:{}", input.describe(l.other as usize)),
                };
                ("possible", own, other)
            }
            Resolution::Conflict { existing: rows, .. } => (
                "conflict",
                own,
                rows.iter()
                    .map(|&r| existing.describe(r as usize))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        };
        w.write_record([input.describe(i).as_str(), status, &person, &rows])
    })
}

/// Writes `matches.csv`: every reported pair with its decision and explanation.
pub fn write_matches(
    path: &Path,
    linkage: &Linkage,
    explainer: &Explainer,
    input: &RecordStore,
    existing: &RecordStore,
) -> std::io::Result<()> {
    let header = [
        "kind",
        "input_row",
        "match_row",
        "score",
        "decision",
        "explanation",
    ];
    super::parallel_csv::write_rows(path, &header, linkage.links.len(), |k, w| {
        let l = &linkage.links[k];
        let (store, other) = match l.side {
            Side::Existing => (existing, l.other as usize),
            Side::Input => (input, l.other as usize),
        };
        let explanation = explainer.explain(
            l.pattern,
            l.score,
            l.capped_by,
            input,
            l.input as usize,
            store,
            other,
        );
        // Only the explanation is free text a spreadsheet could run; scores may be negative.
        w.write_record([
            l.side.as_str(),
            input.describe(l.input as usize).as_str(),
            store.describe(other).as_str(),
            format!("{:.2}", l.score).as_str(),
            l.decision_str(),
            neutralize_formula(&explanation).as_ref(),
        ])
    })
}
