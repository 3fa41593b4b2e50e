//! What still needs a person, field by field: the review queue and the keying queue.
//!
//! A field is shown to a reviewer only when it carries an open doubt of its own (a finding that
//! names it and no decision settled): a reviewer who checks exactly the fields the queue shows
//! has checked everything sohoa doubts. Fields the pipeline could not read at all (nothing read,
//! or read with a confidence under the keying floor) go to the keying queue instead, where a
//! keyer types them from the page image without being shown the reading. Findings about a whole
//! entry (a damaged image, a possible duplicate, a book check) are entry items.

use super::resolve::{open_findings, Decisions, EntryKey, PersonLayer};
use crate::journal::{Target, Track};
use crate::page::{BBox, Entry, Finding, PageKey, PageResult};
use crate::schema::{FieldKind, Schemas};
use serde::Serialize;
use std::collections::BTreeMap;

/// Below this confidence a value is no reading to check but a field to key from the image.
pub const KEYING_FLOOR: f32 = 0.5;

/// Findings that mean nothing usable was read.
const NOTHING_READ: &[&str] = &["MISSING-REQUIRED", "MISSING-PRINTED", "UNREADABLE"];

/// The kind of a field, so that a reviewer stays in one mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Names,
    Dates,
    Places,
    Numbers,
    Codes,
    Other,
}

impl Group {
    pub fn of(kind: &FieldKind) -> Group {
        match kind {
            FieldKind::Name => Group::Names,
            FieldKind::Date | FieldKind::DateWords => Group::Dates,
            FieldKind::Place | FieldKind::Authority => Group::Places,
            FieldKind::Code(_)
            | FieldKind::Ethnicity
            | FieldKind::Nationality
            | FieldKind::Kinship
            | FieldKind::Title => Group::Codes,
            FieldKind::Identifier
            | FieldKind::Integer
            | FieldKind::RowNumber
            | FieldKind::IdNumber
            | FieldKind::DocumentNumber => Group::Numbers,
            FieldKind::Text => Group::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Names => "names",
            Group::Dates => "dates",
            Group::Places => "places",
            Group::Numbers => "numbers",
            Group::Codes => "codes",
            Group::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Group> {
        [
            Group::Names,
            Group::Dates,
            Group::Places,
            Group::Numbers,
            Group::Codes,
            Group::Other,
        ]
        .into_iter()
        .find(|g| g.as_str() == s)
    }
}

/// One field waiting for a person.
#[derive(Debug, Clone, Serialize)]
pub struct FieldItem {
    /// `book:page:entry:field`.
    pub id: String,
    pub target: Target,
    pub group: Group,
    /// The form's own label for the field (Vietnamese), else its template key.
    pub label: String,
    /// The value as read and stored in the page result (what a decision is made on).
    pub value_read: String,
    /// The value the pipeline proposes now (after the book checks): what a confirmation keeps.
    pub value: String,
    /// The engine's other reading, when it saw one.
    pub other_reading: Option<String>,
    pub confidence: f32,
    /// The open findings naming this field.
    pub findings: Vec<Finding>,
    /// Where the value stands on the page image as stored (scan coordinates).
    pub bbox: Option<BBox>,
    /// A field to key from the image: nothing usable was read.
    pub keying: bool,
    /// The latest review decision on it (to name when deciding again), if any.
    pub latest: Option<i64>,
    /// The entry's status now.
    pub status: String,
}

/// A whole entry waiting for a person: findings that name no field.
#[derive(Debug, Clone, Serialize)]
pub struct EntryItem {
    pub id: String,
    pub target: Target,
    pub findings: Vec<Finding>,
    pub status: String,
}

/// What is left to do in a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Queue {
    pub fields: Vec<FieldItem>,
    pub entries: Vec<EntryItem>,
}

impl Queue {
    /// Field items to review (not to key), optionally of one group.
    pub fn review_items(&self, group: Option<Group>) -> impl Iterator<Item = &FieldItem> {
        self.fields
            .iter()
            .filter(move |i| !i.keying && group.is_none_or(|g| i.group == g))
    }
}

/// The form's labels of each field, per edition id.
pub fn labels(schemas: &Schemas) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    for e in &schemas.editions {
        let mut heading: Option<&str> = None;
        let mut put = |field: &str, label: String| {
            out.entry((e.id.clone(), field.to_string()))
                .or_insert(label);
        };
        for item in e.page_header.iter().chain(&e.page_footer) {
            put(&item.field, item.label.clone());
        }
        for line in &e.lines {
            if let Some(h) = &line.heading {
                heading = Some(h);
            }
            for item in &line.items {
                let label = match heading {
                    Some(h) if !item.label.to_lowercase().contains(&h.to_lowercase()) => {
                        format!("{} ({h})", item.label)
                    }
                    _ => item.label.clone(),
                };
                put(&item.field, label);
            }
        }
    }
    out
}

/// Builds the queue from the stored page results (as read) and the same results rebuilt with
/// the journal and the batch steps.
pub fn build(
    stored: &[PageResult],
    rebuilt: &[PageResult],
    decisions: &Decisions,
    people: &PersonLayer,
    schemas: &Schemas,
    register_of: &dyn Fn(&str) -> Option<String>,
    latest_review: &dyn Fn(&Target) -> Option<i64>,
) -> Queue {
    let labels = labels(schemas);
    let stored_entries: BTreeMap<EntryKey, &Entry> = stored
        .iter()
        .flat_map(|r| {
            r.entries()
                .iter()
                .map(move |e| ((r.source.key.clone(), e.index), e))
        })
        .collect();
    let mut queue = Queue::default();
    for result in rebuilt {
        let Some(register) =
            register_of(&result.source.key.book_id).and_then(|r| schemas.register(&r).cloned())
        else {
            continue;
        };
        let turn = result
            .ocr
            .as_ref()
            .and_then(|o| crate::preprocess::orientation::Turn::from_degrees(o.turned_degrees));
        let (scan_w, scan_h) = result.ocr.as_ref().map_or((0, 0), |o| match turn {
            Some(crate::preprocess::orientation::Turn::Half) | None => (o.width, o.height),
            Some(_) => (o.height, o.width),
        });
        for entry in result.entries() {
            if super::resolve::is_settled(entry) {
                continue;
            }
            let key: EntryKey = (result.source.key.clone(), entry.index);
            let open = open_findings(entry, decisions.entry(&key), people.set_by.get(&key));
            if open.is_empty() {
                continue;
            }
            let target = |field: &str| Target {
                book_id: key.0.book_id.clone(),
                page: key.0.page,
                entry: entry.index,
                field: field.to_string(),
            };
            let mut by_field: BTreeMap<&str, Vec<Finding>> = BTreeMap::new();
            let mut whole = Vec::new();
            for f in open {
                match f.field.as_deref().filter(|f| !f.is_empty()) {
                    Some(field) => by_field.entry(field).or_default().push(f.clone()),
                    None => whole.push(f.clone()),
                }
            }
            if !whole.is_empty() {
                queue.entries.push(EntryItem {
                    id: item_id(&key.0, entry.index, ""),
                    target: target(""),
                    findings: whole,
                    status: entry.status.as_str().into(),
                });
            }
            // Fields in template order.
            for col in &register.columns {
                let Some(findings) = by_field.remove(col.key.as_str()) else {
                    continue;
                };
                let read = stored_entries
                    .get(&key)
                    .and_then(|e| e.fields.get(&col.key));
                let now = entry.fields.get(&col.key);
                let confidence = now.map_or(0.0, |f| f.confidence);
                let value = now.map(|f| f.value.clone()).unwrap_or_default();
                let nothing_read = findings
                    .iter()
                    .any(|f| NOTHING_READ.contains(&f.code.as_str()))
                    || (value.is_empty() && read.is_none_or(|r| r.raw.trim().is_empty()));
                let bbox = now.and_then(|f| f.bbox).map(|b| match turn {
                    Some(t) => t.box_on_scan(b, scan_w, scan_h),
                    None => b,
                });
                let t = target(&col.key);
                queue.fields.push(FieldItem {
                    id: item_id(&key.0, entry.index, &col.key),
                    group: Group::of(&col.kind),
                    label: labels
                        .get(&(entry.edition.clone(), col.key.clone()))
                        .cloned()
                        .unwrap_or_else(|| col.key.clone()),
                    value_read: read.map(|f| f.value.clone()).unwrap_or_default(),
                    value,
                    other_reading: now.and_then(|f| f.other_reading.clone()),
                    confidence,
                    findings,
                    bbox,
                    keying: nothing_read || confidence < KEYING_FLOOR,
                    latest: latest_review(&t),
                    status: entry.status.as_str().into(),
                    target: t,
                });
            }
            // A finding on a field the register does not know still needs a person.
            for (field, findings) in by_field {
                queue.entries.push(EntryItem {
                    id: item_id(&key.0, entry.index, field),
                    target: target(""),
                    findings,
                    status: entry.status.as_str().into(),
                });
            }
        }
    }
    queue
}

fn item_id(page: &PageKey, entry: u32, field: &str) -> String {
    if field.is_empty() {
        format!("{}:{}:{entry}", page.book_id, page.page)
    } else {
        format!("{}:{}:{entry}:{field}", page.book_id, page.page)
    }
}

/// The track a field item is decided in: review, or keying for fields nothing was read for.
pub fn track_of(item: &FieldItem) -> Track {
    if item.keying {
        Track::Keying
    } else {
        Track::Review
    }
}
