//! Clerical review of a possible duplicate: the entry and the other record side by side, field
//! by field in template order; the decision (same person or not) is made first, and only then
//! is the model's explanation given (each field's level and weight, for a waterfall), so that
//! the clerk's judgement is their own.

use super::views::{entry_target, Latest};
use crate::dedup::explain::Explanation;
use crate::dedup::read::RowsByNumber;
use crate::dedup::step::{possible_pair, CODE_POSSIBLE};
use crate::journal::Track;
use crate::page::PageKey;
use crate::review::resolve::finding_target;
use crate::review::session::Session;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

/// A registry record as a finding names it: `registry.csv row 12`.
fn registry_ref(other: &str) -> Option<(&str, usize)> {
    let (file, row) = other.rsplit_once(" row ")?;
    Some((file, row.trim().parse().ok()?))
}

/// An entry of the run as a finding names it: `book:3 #2`.
fn entry_ref(other: &str) -> Option<(PageKey, u32)> {
    let (page, entry) = other.rsplit_once(" #")?;
    let (book, page) = page.rsplit_once(':')?;
    Some((
        PageKey {
            book_id: book.to_string(),
            page: page.parse().ok()?,
        },
        entry.parse().ok()?,
    ))
}

/// Registry rows read for clerical review, per file: its headers and the rows asked for.
#[derive(Default)]
pub struct RowCache {
    files: HashMap<PathBuf, (Vec<String>, RowsByNumber)>,
}

/// One field of the pair.
#[derive(Debug, Clone, Serialize)]
pub struct PairRow {
    pub field: String,
    pub label: String,
    pub entry_value: String,
    pub other_value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherRecord {
    /// As the finding names it.
    pub name: String,
    /// `registry` or `entry`.
    pub kind: String,
    /// Whether its values could be found (a registry file moved away since the run: not).
    pub found: bool,
    pub rows: Vec<PairRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Decided {
    pub id: i64,
    pub kind: String,
    pub who: String,
    pub at: String,
    pub other: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PairView {
    pub book_id: String,
    pub page: u32,
    pub entry: u32,
    pub others: Vec<OtherRecord>,
    /// The latest clerical action on the entry (to name when deciding).
    pub latest: Option<i64>,
    pub decided: Option<Decided>,
    /// Given only once decided.
    pub explanation: Option<Explanation>,
    pub explanation_text: Option<String>,
}

/// What must be read from the registry files for a pair view, found under the session lock.
pub struct Needed {
    /// File path -> rows.
    pub rows: BTreeMap<PathBuf, BTreeSet<usize>>,
}

/// The registry rows the open possible duplicates of the whole run name (read in one pass per
/// file, so that the next pairs are at hand), if the cache lacks any row of this entry's pair.
pub fn needed(session: &Session, cache: &RowCache, page: &PageKey, entry: u32) -> Option<Needed> {
    let files = registry_files(session);
    let entry_needs_rows = session
        .entry(page, entry)
        .into_iter()
        .flat_map(|e| e.findings.iter())
        .filter_map(possible_pair)
        .flat_map(|p| p.others)
        .filter_map(|o| {
            let (file, row) = registry_ref(&o)?;
            Some((files.get(file)?.clone(), row))
        })
        .any(|(path, row)| {
            cache
                .files
                .get(&path)
                .is_none_or(|(_, rows)| !rows.contains_key(&row))
        });
    if !entry_needs_rows {
        return None;
    }
    let mut rows: BTreeMap<PathBuf, BTreeSet<usize>> = BTreeMap::new();
    for r in &session.rebuilt.results {
        for e in r.entries() {
            for pair in e.findings.iter().filter_map(possible_pair) {
                for o in pair.others {
                    if let Some((file, row)) = registry_ref(&o) {
                        if let Some(path) = files.get(file) {
                            rows.entry(path.clone()).or_default().insert(row);
                        }
                    }
                }
            }
        }
    }
    Some(Needed { rows })
}

/// Reads what [`needed`] asked for (without the session lock: a registry may be large).
pub fn fetch(needed: Needed, cache: &std::sync::Mutex<RowCache>) {
    for (path, rows) in needed.rows {
        let Ok((headers, found)) = crate::dedup::read::read_rows(&path, &rows) else {
            // Shown as "not found" in the pair view.
            continue;
        };
        let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
        let slot = c.files.entry(path).or_default();
        slot.0 = headers;
        slot.1.extend(found);
    }
}

/// Registry files of the run by file name (as findings name them).
fn registry_files(session: &Session) -> BTreeMap<String, PathBuf> {
    crate::pipeline::RunManifest::load(&session.out)
        .map(|m| m.existing)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), p)))
        .collect()
}

/// The pair view of an entry with a possible duplicate; `None` when it has none.
pub fn pair_view(
    session: &Session,
    cache: &RowCache,
    page: &PageKey,
    entry: u32,
) -> Option<PairView> {
    let view = session.entry_view(page, entry)?;
    let rebuilt = session.entry(page, entry)?;
    let pairs: Vec<_> = rebuilt.findings.iter().filter_map(possible_pair).collect();
    if pairs.is_empty() {
        return None;
    }
    let files = registry_files(session);
    let mut others = Vec::new();
    for name in pairs.iter().flat_map(|p| p.others.iter()) {
        let values: Option<BTreeMap<String, String>> = if let Some((file, row)) = registry_ref(name)
        {
            files.get(file).and_then(|path| {
                let (headers, rows) = cache.files.get(path)?;
                let cells = rows.get(&row)?;
                Some(
                    headers
                        .iter()
                        .zip(cells)
                        .map(|(h, v)| (crate::dedup::read::header_key(h), v.trim().to_string()))
                        .collect(),
                )
            })
        } else if let Some((p, e)) = entry_ref(name) {
            session.entry(&p, e).map(|o| {
                o.fields
                    .iter()
                    .map(|(k, f)| (k.clone(), f.value.clone()))
                    .collect()
            })
        } else {
            None
        };
        let kind = if registry_ref(name).is_some() {
            "registry"
        } else {
            "entry"
        };
        let rows = view
            .fields
            .iter()
            .filter_map(|f| {
                let other = values
                    .as_ref()
                    .and_then(|v| v.get(&f.field))
                    .cloned()
                    .unwrap_or_default();
                (!f.value.is_empty() || !other.is_empty()).then(|| PairRow {
                    field: f.field.clone(),
                    label: f.label.clone(),
                    entry_value: f.value.clone(),
                    other_value: other,
                })
            })
            .collect();
        others.push(OtherRecord {
            name: name.clone(),
            kind: kind.into(),
            found: values.is_some(),
            rows,
        });
    }
    let target = entry_target(page, entry, &finding_target("", CODE_POSSIBLE));
    let latest = Latest::new(&session.actions);
    let decided = latest
        .in_force(&target, Track::Clerical, 0)
        .map(|a| Decided {
            id: a.id,
            kind: a.action.kind.as_str().into(),
            who: a.action.who.clone(),
            at: a.at.clone(),
            other: a.action.value.clone(),
        });
    let text = pairs.first().map(|p| p.explanation.clone());
    Some(PairView {
        book_id: page.book_id.clone(),
        page: page.page,
        entry,
        others,
        latest: latest.latest(&target, Track::Clerical, 0),
        explanation: decided
            .as_ref()
            .and(text.as_deref())
            .and_then(Explanation::parse),
        explanation_text: decided.as_ref().and(text),
        decided,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_records_are_read_from_the_names_findings_give() {
        assert_eq!(
            registry_ref("so cu 2019.csv row 12"),
            Some(("so cu 2019.csv", 12))
        );
        assert_eq!(registry_ref("b:3 #2"), None);
        let (p, e) = entry_ref("ks-2008:01:3 #2").unwrap();
        assert_eq!((p.book_id.as_str(), p.page, e), ("ks-2008:01", 3, 2));
        assert!(entry_ref("registry.csv row 3").is_none());
    }
}
