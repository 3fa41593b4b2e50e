//! From page results plus the corrections journal to the entries the outputs hold.
//!
//! The page results say what the machine read; the journal what people decided. Here the two
//! meet, in two steps around the batch steps (book checks, duplicates):
//! - [`apply`] (before the steps) puts people's values into the entries and validates the
//!   entries they touched again, so that the steps see the corrected values;
//! - [`settle`] (after the steps) decides each entry's status: a doubt is settled when a person
//!   decided on that field or acknowledged that finding; an entry whose doubts are all settled
//!   is `reviewed` (importable), one a person rejected with a reason is `rejected` for good.
//!
//! A decision counts only against the value it was made on: each action keeps the value read at
//! the time, and where a page was read again and now reads otherwise, the decision is listed as
//! a conflict for a person (`JOURNAL-CONFLICT`), never applied or dropped in silence.

use crate::journal::{Action, ActionKind, Target, Track};
use crate::page::{Entry, EntryStatus, Finding, PageKey, PageResult, Severity, ValueSource};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Finding codes of the review layer.
pub const CODE_CONFLICT: &str = "JOURNAL-CONFLICT";
pub const CODE_KEYING_DISAGREE: &str = "KEYING-DISAGREE";
pub const CODE_PERSON_REJECTED: &str = "PERSON-REJECTED";

/// One entry of one page.
pub type EntryKey = (PageKey, u32);

fn entry_key(t: &Target) -> EntryKey {
    (
        PageKey {
            book_id: t.book_id.clone(),
            page: t.page,
        },
        t.entry,
    )
}

/// Who settled a field's value, and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetBy {
    pub who: String,
    /// `confirm`, `correct`, `illegible`, `keyed` (one keyer, or two who agree), `keyed-majority`
    /// (one keyer and the reading agree against the other keyer).
    pub how: String,
    pub at: String,
    pub action_id: i64,
}

/// The effective decisions on one entry.
#[derive(Debug, Clone, Default)]
pub struct EntryDecisions {
    /// A reviewer's or arbiter's decision per field.
    review: BTreeMap<String, Action>,
    /// Keyed values per field: pass 0 (single keying), 1 and 2 (blind double keying).
    keyed: BTreeMap<String, BTreeMap<u8, Action>>,
    /// Findings acknowledged, by `field#CODE` (field empty for an entry finding).
    acknowledged: BTreeMap<String, Action>,
    /// The latest decision on the whole entry (confirm or reject).
    whole: Option<Action>,
    /// Clerical decisions on possible duplicates, by the other record's id.
    clerical: BTreeMap<String, Action>,
}

/// People's decisions over a run: the journal reduced to what is in force.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    by_entry: BTreeMap<EntryKey, EntryDecisions>,
    /// Every keyed action (for speed and agreement figures).
    keyed_actions: Vec<Action>,
}

/// The target name under which a finding is acknowledged.
pub fn finding_target(field: &str, code: &str) -> String {
    format!("{field}#{code}")
}

impl Decisions {
    /// What is in force: per target, track and pass, the actions in order with each undo
    /// cancelling the latest action still standing.
    pub fn from_actions(actions: &[Action]) -> Decisions {
        let mut stacks: BTreeMap<(Target, Track, u8), Vec<&Action>> = BTreeMap::new();
        let mut keyed_actions = Vec::new();
        for a in actions {
            let stack = stacks
                .entry((a.action.target.clone(), a.action.track, a.action.pass))
                .or_default();
            if a.action.kind == ActionKind::Undo {
                stack.pop();
            } else {
                if a.action.kind == ActionKind::Keyed {
                    keyed_actions.push(a.clone());
                }
                stack.push(a);
            }
        }
        let mut by_entry: BTreeMap<EntryKey, EntryDecisions> = BTreeMap::new();
        for ((target, track, pass), stack) in stacks {
            let Some(a) = stack.last() else { continue };
            let d = by_entry.entry(entry_key(&target)).or_default();
            let a = (*a).clone();
            match track {
                Track::Review => {
                    d.review.insert(target.field.clone(), a);
                }
                Track::Keying => {
                    d.keyed
                        .entry(target.field.clone())
                        .or_default()
                        .insert(pass, a);
                }
                Track::Entry if target.field.contains('#') => {
                    d.acknowledged.insert(target.field.clone(), a);
                }
                Track::Entry => d.whole = Some(a),
                Track::Clerical => {
                    d.clerical.insert(a.action.value.clone(), a);
                }
                // Acceptance verdicts check the delivery; they do not change it.
                Track::Acceptance => {}
            }
        }
        Decisions {
            by_entry,
            keyed_actions,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_entry.is_empty()
    }
}

/// A decision that no longer fits the page as read now.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub book_id: String,
    pub page: u32,
    pub entry: u32,
    pub field: String,
    /// What the person saw and decided.
    pub value_read_then: String,
    pub value_set: String,
    pub who: String,
    pub action_id: i64,
    /// What the page reads now (empty: the entry or field is gone).
    pub value_read_now: String,
}

/// Keying figures for the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KeyingStats {
    pub keyed_fields: usize,
    /// Fields per minute over the keyed values whose time the tool measured.
    pub fields_per_minute: Option<f64>,
    /// Fields keyed twice (blind), and how many of them the two keyers disagreed on.
    pub double_keyed: usize,
    pub disagreements: usize,
    /// Disagreements no third vote (the reading, an arbiter) has settled yet.
    pub unresolved: usize,
}

/// What the people layer did to a run's entries.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PersonLayer {
    /// Per entry, the fields a person settled and how.
    #[serde(skip)]
    pub set_by: BTreeMap<EntryKey, BTreeMap<String, SetBy>>,
    pub conflicts: Vec<Conflict>,
    pub keying: KeyingStats,
    /// Entries a person touched (reviewed, rejected or acknowledged).
    pub entries_touched: usize,
}

/// What re-validating an entry needs (the same as the pipeline's validation).
pub struct Revalidate<'a> {
    pub schemas: &'a crate::schema::Schemas,
    pub params: &'a crate::validate::ValidateParams,
    /// The fields a register's edition prints.
    pub printed: &'a dyn Fn(&str, &str) -> Vec<String>,
    /// The register of a book.
    pub register_of: &'a dyn Fn(&str) -> Option<String>,
}

/// The outcome of keying one field.
enum Keying {
    /// Settled on this value (empty: illegible).
    Agreed {
        value: String,
        how: &'static str,
        action: Action,
    },
    /// Two blind keyers disagree and the reading sides with neither.
    Disagree { candidates: Vec<String> },
    /// One pass of two is in: wait for the other.
    Waiting,
}

/// Keying in pass 0 is single keying: the keyed value stands. Passes 1 and 2 are blind double
/// keying: both are needed, and they settle the value when they agree, or when one agrees with
/// the reading (two votes of three).
fn keying_outcome(passes: &BTreeMap<u8, Action>, read: &str) -> Keying {
    if let Some(single) = passes.get(&0) {
        return Keying::Agreed {
            value: single.action.value.clone(),
            how: "keyed",
            action: single.clone(),
        };
    }
    let (Some(a), Some(b)) = (passes.get(&1), passes.get(&2)) else {
        return Keying::Waiting;
    };
    let (va, vb) = (&a.action.value, &b.action.value);
    if va == vb {
        return Keying::Agreed {
            value: va.clone(),
            how: "keyed",
            action: b.clone(),
        };
    }
    // The reading is the third vote: two of three settle it.
    if !read.is_empty() && (va == read || vb == read) {
        let action = if va == read { a } else { b };
        return Keying::Agreed {
            value: read.to_string(),
            how: "keyed-majority",
            action: action.clone(),
        };
    }
    Keying::Disagree {
        candidates: vec![va.clone(), vb.clone()],
    }
}

fn review_finding(code: &str, field: &str, vi: String, en: String) -> Finding {
    Finding {
        code: code.to_string(),
        severity: Severity::Review,
        field: (!field.is_empty()).then(|| field.to_string()),
        message_vi: vi,
        message_en: en,
    }
}

/// Puts people's values into the entries (before the batch steps). Entries a person touched
/// are validated again with their new values; decisions made on another reading are listed as
/// conflicts.
pub fn apply(
    results: &mut [PageResult],
    decisions: &Decisions,
    revalidate: &Revalidate,
) -> PersonLayer {
    let mut layer = PersonLayer::default();
    let mut found: BTreeSet<EntryKey> = BTreeSet::new();
    for result in results.iter_mut() {
        let page_key = result.source.key.clone();
        let warnings = result
            .ocr
            .as_ref()
            .map(|o| o.image_warnings.clone())
            .unwrap_or_default();
        let crate::page::PageOutcome::Done { entries } = &mut result.outcome else {
            continue;
        };
        for entry in entries.iter_mut() {
            let key = (page_key.clone(), entry.index);
            let Some(d) = decisions.by_entry.get(&key) else {
                continue;
            };
            found.insert(key.clone());
            layer.entries_touched += 1;
            let mut set_by = BTreeMap::new();
            let mut extra = Vec::new();
            let fields: BTreeSet<&String> = d.review.keys().chain(d.keyed.keys()).collect();
            for field in fields {
                let read = entry.value(field).unwrap_or("").to_string();
                let conflict = |a: &Action, layer: &mut PersonLayer, extra: &mut Vec<Finding>| {
                    layer.conflicts.push(Conflict {
                        book_id: page_key.book_id.clone(),
                        page: page_key.page,
                        entry: entry.index,
                        field: field.clone(),
                        value_read_then: a.action.value_read.clone(),
                        value_set: a.action.value.clone(),
                        who: a.action.who.clone(),
                        action_id: a.id,
                        value_read_now: read.clone(),
                    });
                    extra.push(review_finding(
                        CODE_CONFLICT,
                        field,
                        format!(
                            "{} đã sửa thành \"{}\" khi máy đọc \"{}\"; nay máy đọc \"{read}\": cần xem lại",
                            a.action.who, a.action.value, a.action.value_read
                        ),
                        format!(
                            "{} set \"{}\" when the page read \"{}\"; it now reads \"{read}\": decide again",
                            a.action.who, a.action.value, a.action.value_read
                        ),
                    ));
                };
                // A reviewer's (arbiter's) decision comes before keying.
                let decided: Option<(String, &str, Action)> = if let Some(a) = d.review.get(field) {
                    if a.action.value_read != read {
                        conflict(a, &mut layer, &mut extra);
                        None
                    } else {
                        Some((a.action.value.clone(), a.action.kind.as_str(), a.clone()))
                    }
                } else if let Some(passes) = d.keyed.get(field) {
                    let stale = passes.values().find(|a| a.action.value_read != read);
                    if let Some(a) = stale {
                        conflict(a, &mut layer, &mut extra);
                        None
                    } else {
                        match keying_outcome(passes, &read) {
                            Keying::Agreed { value, how, action } => Some((value, how, action)),
                            Keying::Disagree { candidates } => {
                                extra.push(review_finding(
                                    CODE_KEYING_DISAGREE,
                                    field,
                                    format!(
                                        "Hai người nhập khác nhau: \"{}\" và \"{}\": cần người thứ ba quyết định",
                                        candidates[0], candidates[1]
                                    ),
                                    format!(
                                        "The two keyers disagree: \"{}\" and \"{}\": a third person decides",
                                        candidates[0], candidates[1]
                                    ),
                                ));
                                None
                            }
                            Keying::Waiting => None,
                        }
                    }
                } else {
                    None
                };
                let Some((value, how, action)) = decided else {
                    continue;
                };
                let f =
                    entry
                        .fields
                        .entry(field.clone())
                        .or_insert_with(|| crate::page::FieldValue {
                            raw: String::new(),
                            value: String::new(),
                            confidence: 0.0,
                            bbox: None,
                            source: ValueSource::Person,
                            other_reading: None,
                        });
                if how != "confirm" || f.value != value {
                    f.source = ValueSource::Person;
                }
                f.value = value;
                f.confidence = 1.0;
                f.other_reading = None;
                set_by.insert(
                    field.clone(),
                    SetBy {
                        who: action.action.who.clone(),
                        how: how.to_string(),
                        at: action.at.clone(),
                        action_id: action.id,
                    },
                );
            }
            if !set_by.is_empty() {
                revalidate_entry(entry, &page_key.book_id, revalidate, &warnings);
            }
            entry.findings.extend(extra);
            if !set_by.is_empty() {
                layer.set_by.insert(key, set_by);
            }
        }
    }
    // Decisions on entries that are not there any more (a page read again found fewer).
    for (key, d) in &decisions.by_entry {
        if found.contains(key) {
            continue;
        }
        for (field, a) in d.review.iter().chain(
            d.keyed
                .iter()
                .filter_map(|(f, p)| p.values().next().map(|a| (f, a))),
        ) {
            layer.conflicts.push(Conflict {
                book_id: key.0.book_id.clone(),
                page: key.0.page,
                entry: key.1,
                field: field.clone(),
                value_read_then: a.action.value_read.clone(),
                value_set: a.action.value.clone(),
                who: a.action.who.clone(),
                action_id: a.id,
                value_read_now: String::new(),
            });
        }
    }
    layer.keying = keying_stats(decisions);
    layer
}

/// Validates an entry again from its values, as the pipeline did: its findings are rebuilt.
fn revalidate_entry(entry: &mut Entry, book_id: &str, r: &Revalidate, warnings: &[String]) {
    let Some(register) = (r.register_of)(book_id) else {
        return;
    };
    let Some(schema) = r.schemas.register(&register) else {
        return;
    };
    let printed = (r.printed)(&register, &entry.edition);
    entry.findings.clear();
    crate::validate::validate_entry(entry, schema, &r.schemas.codes, &printed, r.params);
    for w in warnings {
        entry.add_finding(crate::validate::messages::IMAGE_DAMAGED.finding("", w));
    }
}

fn keying_stats(decisions: &Decisions) -> KeyingStats {
    let mut stats = KeyingStats {
        keyed_fields: decisions.keyed_actions.len(),
        ..KeyingStats::default()
    };
    let timed: Vec<u64> = decisions
        .keyed_actions
        .iter()
        .filter_map(|a| a.action.ms)
        .filter(|ms| *ms > 0)
        .collect();
    if !timed.is_empty() {
        let minutes = timed.iter().sum::<u64>() as f64 / 60_000.0;
        stats.fields_per_minute = Some(timed.len() as f64 / minutes.max(1e-9));
    }
    for d in decisions.by_entry.values() {
        for (field, passes) in &d.keyed {
            let (Some(a), Some(b)) = (passes.get(&1), passes.get(&2)) else {
                continue;
            };
            stats.double_keyed += 1;
            if a.action.value != b.action.value {
                stats.disagreements += 1;
                let read = &a.action.value_read;
                let majority =
                    !read.is_empty() && (&a.action.value == read || &b.action.value == read);
                if !majority && !d.review.contains_key(field) {
                    stats.unresolved += 1;
                }
            }
        }
    }
    stats
}

/// Decides each entry's status after the batch steps: the doubts a person settled no longer
/// hold the entry back. Returns how many entries changed status.
pub fn settle(results: &mut [PageResult], decisions: &Decisions, layer: &PersonLayer) -> usize {
    let mut changed = 0;
    for result in results.iter_mut() {
        let page_key = result.source.key.clone();
        let crate::page::PageOutcome::Done { entries } = &mut result.outcome else {
            continue;
        };
        for entry in entries.iter_mut() {
            let key = (page_key.clone(), entry.index);
            let Some(d) = decisions.by_entry.get(&key) else {
                continue;
            };
            let before = entry.status;
            let set_by = layer.set_by.get(&key);
            settle_entry(entry, d, set_by);
            if entry.status != before {
                changed += 1;
            }
        }
    }
    changed
}

fn settle_entry(entry: &mut Entry, d: &EntryDecisions, set_by: Option<&BTreeMap<String, SetBy>>) {
    if let Some(whole) = d
        .whole
        .as_ref()
        .filter(|a| a.action.kind == ActionKind::RejectEntry)
    {
        entry.findings.push(Finding {
            code: CODE_PERSON_REJECTED.into(),
            severity: Severity::Error,
            field: None,
            message_vi: format!(
                "{} không đưa mục này vào dữ liệu: {}",
                whole.action.who, whole.action.reason
            ),
            message_en: format!(
                "{} left this entry out of the import: {}",
                whole.action.who, whole.action.reason
            ),
        });
        entry.status = EntryStatus::Rejected;
        return;
    }
    let open = open_findings(entry, Some(d), set_by);
    let open_error = open.iter().any(|f| f.severity == Severity::Error);
    let open_review = open.iter().any(|f| f.severity == Severity::Review);
    // A clerk who found the entry to be a registry record's duplicate rejects it.
    if let Some(same) = d
        .clerical
        .values()
        .find(|a| a.action.kind == ActionKind::Same)
    {
        entry.findings.push(Finding {
            code: CODE_PERSON_REJECTED.into(),
            severity: Severity::Error,
            field: None,
            message_vi: format!(
                "{} xác định mục này trùng với {}",
                same.action.who, same.action.value
            ),
            message_en: format!(
                "{} found this entry to duplicate {}",
                same.action.who, same.action.value
            ),
        });
        entry.status = EntryStatus::Rejected;
        return;
    }
    entry.status = if open_error {
        EntryStatus::Rejected
    } else if open_review {
        EntryStatus::Review
    } else {
        EntryStatus::Reviewed
    };
}

/// The findings of an entry that still need a person: those no decision settled. A review
/// finding on a field is settled by a person's decision on that field; any finding by an
/// acknowledgement of it; an entry finding by a whole-entry confirmation made while it stood;
/// a possible duplicate by a clerk's decision. Conflicts and keyers' disagreements are never
/// settled but by a new decision.
pub fn open_findings<'e>(
    entry: &'e Entry,
    d: Option<&EntryDecisions>,
    set_by: Option<&BTreeMap<String, SetBy>>,
) -> Vec<&'e Finding> {
    let empty = EntryDecisions::default();
    let d = d.unwrap_or(&empty);
    let confirmed_codes: BTreeSet<&str> = d
        .whole
        .as_ref()
        .filter(|a| a.action.kind == ActionKind::ConfirmEntry)
        .map(|a| a.action.value.split(',').map(str::trim).collect())
        .unwrap_or_default();
    entry
        .findings
        .iter()
        .filter(|f| {
            let field = f.field.as_deref().unwrap_or("");
            if f.code == CODE_CONFLICT || f.code == CODE_KEYING_DISAGREE {
                return f.severity != Severity::Info;
            }
            let acknowledged = d.acknowledged.contains_key(&finding_target(field, &f.code));
            let decided = !field.is_empty() && set_by.is_some_and(|s| s.contains_key(field));
            let clerical = f.code == crate::dedup::step::CODE_POSSIBLE && !d.clerical.is_empty();
            let settled = match f.severity {
                Severity::Info => true,
                Severity::Review => {
                    acknowledged
                        || decided
                        || clerical
                        || (field.is_empty() && confirmed_codes.contains(f.code.as_str()))
                }
                Severity::Error => acknowledged,
            };
            !settled
        })
        .collect()
}

impl Decisions {
    /// The decisions on one entry, if any.
    pub fn entry(&self, key: &EntryKey) -> Option<&EntryDecisions> {
        self.by_entry.get(key)
    }
}

/// Whether an entry no longer holds its book back: importable, or rejected by a person with a
/// reason.
pub fn is_settled(entry: &Entry) -> bool {
    entry.status.importable()
        || (entry.status == EntryStatus::Rejected
            && entry
                .findings
                .iter()
                .any(|f| f.code == CODE_PERSON_REJECTED))
}

#[cfg(test)]
mod tests;
