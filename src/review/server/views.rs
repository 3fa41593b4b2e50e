//! What the page is shown, built from the session: the queues of each mode with their filters
//! and counts, the summary, and the entry view's additions. What a role must not see is left
//! out here, on the server: a keyer's items carry no value read, no finding message (they may
//! quote the reading) and nothing the other keyer typed.

use super::Role;
use crate::journal::{Action, Target, Track};
use crate::page::{BBox, Entry, Finding, PageKey};
use crate::review::queue::{FieldItem, Group};
use crate::review::resolve::CODE_KEYING_DISAGREE;
use crate::review::session::Session;
use serde::Serialize;
use std::collections::BTreeMap;

/// A queue of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Doubtful fields, one group at a time.
    Review,
    /// Fields nothing usable was read for, keyed from the image.
    Keying,
    /// Fields two blind keyers disagree on.
    Arbitration,
    /// Findings about whole entries.
    Entries,
    /// Possible duplicates.
    Duplicates,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        Some(match s {
            "review" => Mode::Review,
            "keying" => Mode::Keying,
            "arbitration" => Mode::Arbitration,
            "entries" => Mode::Entries,
            "duplicates" => Mode::Duplicates,
            _ => return None,
        })
    }

    /// The queues a role works on.
    pub fn allowed(role: Role, double: bool) -> Vec<Mode> {
        match role {
            Role::Reviewer if double => vec![Mode::Review, Mode::Entries, Mode::Duplicates],
            Role::Reviewer => vec![Mode::Review, Mode::Keying, Mode::Entries, Mode::Duplicates],
            Role::Keyer => vec![Mode::Keying],
            Role::Arbiter => vec![Mode::Arbitration],
            Role::Clerk => vec![Mode::Duplicates],
        }
    }
}

/// Filters of a queue request.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub book: Option<String>,
    pub status: Option<String>,
    pub finding: Option<String>,
    /// One field (template key).
    pub field: Option<String>,
    pub group: Option<Group>,
    pub limit: usize,
}

/// A field of the queue's items, for the field filter.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FieldCount {
    pub label: String,
    pub count: usize,
}

/// Where the page shows a field: its box with some context, on the upright page.
#[derive(Debug, Clone, Serialize)]
pub struct Crop {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// The value's own box inside it, to mark (absent: nothing was read, the crop is the
    /// entry's region).
    pub mark: Option<BBox>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub code: String,
    pub severity: String,
    pub field: Option<String>,
    pub message_vi: String,
    pub message_en: String,
    /// The latest action on acknowledging it (to name when acknowledging).
    pub latest: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub pass: u8,
    pub value: String,
    pub who: String,
}

/// One field of a queue, as the page gets it.
#[derive(Debug, Clone, Serialize)]
pub struct FieldItemView {
    pub id: String,
    pub book_id: String,
    pub page: u32,
    pub entry: u32,
    pub field: String,
    pub group: Group,
    pub label: String,
    pub status: String,
    /// The latest action on the field in the track and pass this role decides in.
    pub latest: Option<i64>,
    pub crop: Option<Crop>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_read: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_reading: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    pub findings: Vec<FindingView>,
    /// Arbitration: what each keyer typed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
}

/// A whole entry of a queue (entry findings, possible duplicates).
#[derive(Debug, Clone, Serialize)]
pub struct EntryItemView {
    pub id: String,
    pub book_id: String,
    pub page: u32,
    pub entry: u32,
    pub status: String,
    pub findings: Vec<FindingView>,
    /// Possible duplicates: the other records named (the explanation is shown after the
    /// decision, in the pair view).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<String>,
    pub crop: Option<Crop>,
    /// The latest decision on the whole entry (to name when confirming or rejecting it).
    pub latest: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ItemView {
    Field(Box<FieldItemView>),
    Entry(EntryItemView),
}

#[derive(Debug, Clone, Serialize)]
pub struct QueueView {
    pub mode: Mode,
    /// Items matching the filters (before the limit).
    pub total: usize,
    pub items: Vec<ItemView>,
    /// Items of the mode per field group, with the other filters applied.
    pub groups: BTreeMap<String, usize>,
    /// Finding codes of the mode's items, with how many items carry each.
    pub findings: BTreeMap<String, usize>,
    /// Fields of the mode's items (template key), with the form's label and how many.
    pub fields: BTreeMap<String, FieldCount>,
}

/// The journal reduced per target, track and pass: what is in force (undos applied) and the
/// latest action (what a new decision names).
pub struct Latest<'a> {
    by: BTreeMap<(&'a Target, Track, u8), (Vec<&'a Action>, i64)>,
}

impl<'a> Latest<'a> {
    pub fn new(actions: &'a [Action]) -> Self {
        let mut by: BTreeMap<(&Target, Track, u8), (Vec<&Action>, i64)> = BTreeMap::new();
        for a in actions {
            let slot = by
                .entry((&a.action.target, a.action.track, a.action.pass))
                .or_default();
            if a.action.kind == crate::journal::ActionKind::Undo {
                slot.0.pop();
            } else {
                slot.0.push(a);
            }
            slot.1 = a.id;
        }
        Latest { by }
    }

    pub fn latest(&self, target: &Target, track: Track, pass: u8) -> Option<i64> {
        self.by.get(&(target, track, pass)).map(|s| s.1)
    }

    pub fn in_force(&self, target: &Target, track: Track, pass: u8) -> Option<&'a Action> {
        self.by
            .get(&(target, track, pass))
            .and_then(|s| s.0.last().copied())
    }
}

fn finding_view(f: &Finding, latest: Option<i64>) -> FindingView {
    FindingView {
        code: f.code.clone(),
        severity: format!("{:?}", f.severity).to_lowercase(),
        field: f.field.clone(),
        message_vi: f.message_vi.clone(),
        message_en: f.message_en.clone(),
        latest,
    }
}

/// Findings with the latest acknowledgement of each.
pub fn findings_view(
    findings: &[Finding],
    page: &PageKey,
    entry: u32,
    latest: &Latest,
) -> Vec<FindingView> {
    findings
        .iter()
        .map(|f| {
            let target = Target {
                book_id: page.book_id.clone(),
                page: page.page,
                entry,
                field: crate::review::resolve::finding_target(
                    f.field.as_deref().unwrap_or(""),
                    &f.code,
                ),
            };
            finding_view(f, latest.latest(&target, Track::Entry, 0))
        })
        .collect()
}

fn rebuilt_entry<'s>(session: &'s Session, t: &Target) -> Option<&'s Entry> {
    session.entry(
        &PageKey {
            book_id: t.book_id.clone(),
            page: t.page,
        },
        t.entry,
    )
}

/// The crop of a field: its box on the upright page with context, else the entry's region.
pub fn field_crop(entry: Option<&Entry>, field: &str) -> Option<Crop> {
    let entry = entry?;
    let b = entry.fields.get(field).and_then(|f| f.bbox);
    match b {
        Some(b) if b.w > 0 && b.h > 0 => {
            let c = super::images::with_context(b);
            Some(Crop {
                x: c.x,
                y: c.y,
                w: c.w,
                h: c.h,
                mark: Some(b),
            })
        }
        _ => entry_crop(Some(entry)),
    }
}

fn entry_crop(entry: Option<&Entry>) -> Option<Crop> {
    let b = entry?.bbox;
    (b.w > 0 && b.h > 0).then_some(Crop {
        x: b.x,
        y: b.y,
        w: b.w,
        h: b.h,
        mark: None,
    })
}

fn matches_common(filter: &Filter, book: &str, status: &str, codes: &[&str]) -> bool {
    filter.book.as_deref().is_none_or(|b| b == book)
        && filter.status.as_deref().is_none_or(|s| s == status)
        && filter
            .finding
            .as_deref()
            .is_none_or(|code| codes.contains(&code))
}

/// A queue for a role, filtered. Counts per group, finding and field are taken before the
/// filter of their own kind, so that the page can offer the other choices with their counts.
pub fn queue(
    session: &Session,
    role: Role,
    mode: Mode,
    pass: u8,
    double: bool,
    filter: &Filter,
) -> QueueView {
    let latest = Latest::new(&session.actions);
    let mut view = QueueView {
        mode,
        total: 0,
        items: Vec::new(),
        groups: BTreeMap::new(),
        findings: BTreeMap::new(),
        fields: BTreeMap::new(),
    };
    let push =
        |view: &mut QueueView, group: Option<(Group, &str, &str)>, codes: Vec<String>, item| {
            for c in &codes {
                *view.findings.entry(c.clone()).or_default() += 1;
            }
            if let Some((g, field, label)) = group {
                *view.groups.entry(g.as_str().to_string()).or_default() += 1;
                if filter.group.is_some_and(|want| want != g) {
                    return;
                }
                let count = view.fields.entry(field.to_string()).or_default();
                count.count += 1;
                if count.label.is_empty() {
                    count.label = label.to_string();
                }
                if filter.field.as_deref().is_some_and(|want| want != field) {
                    return;
                }
            }
            view.total += 1;
            if view.items.len() < filter.limit {
                view.items.push(item);
            }
        };
    match mode {
        Mode::Review | Mode::Keying | Mode::Arbitration => {
            for item in &session.queue.fields {
                let disagree = item.findings.iter().any(|f| f.code == CODE_KEYING_DISAGREE);
                let wanted = match mode {
                    Mode::Review => !item.keying,
                    // In blind double keying every doubtful field is keyed twice (the reading
                    // is the third vote); else only the fields nothing usable was read for.
                    Mode::Keying => {
                        (item.keying || double)
                            && !disagree
                            && latest.in_force(&item.target, Track::Keying, pass).is_none()
                    }
                    _ => disagree,
                };
                if !wanted {
                    continue;
                }
                let codes: Vec<&str> = item.findings.iter().map(|f| f.code.as_str()).collect();
                if !matches_common(filter, &item.target.book_id, &item.status, &codes) {
                    continue;
                }
                let codes = codes.into_iter().map(String::from).collect();
                let v = field_item(session, &latest, item, role, mode, pass);
                push(
                    &mut view,
                    Some((item.group, item.target.field.as_str(), item.label.as_str())),
                    codes,
                    ItemView::Field(Box::new(v)),
                );
            }
        }
        Mode::Entries | Mode::Duplicates => {
            let possible = crate::dedup::step::CODE_POSSIBLE;
            for item in &session.queue.entries {
                let findings: Vec<&Finding> = item
                    .findings
                    .iter()
                    .filter(|f| (f.code == possible) == (mode == Mode::Duplicates))
                    .collect();
                if findings.is_empty() {
                    continue;
                }
                let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
                if !matches_common(filter, &item.target.book_id, &item.status, &codes) {
                    continue;
                }
                let page = PageKey {
                    book_id: item.target.book_id.clone(),
                    page: item.target.page,
                };
                let others = if mode == Mode::Duplicates {
                    findings
                        .iter()
                        .filter_map(|f| crate::dedup::step::possible_pair(f))
                        .flat_map(|p| p.others)
                        .collect()
                } else {
                    Vec::new()
                };
                let owned: Vec<Finding> = if mode == Mode::Duplicates {
                    // The message holds the explanation: shown only after the decision.
                    Vec::new()
                } else {
                    findings.iter().map(|f| (*f).clone()).collect()
                };
                let v = EntryItemView {
                    id: item.id.clone(),
                    book_id: item.target.book_id.clone(),
                    page: item.target.page,
                    entry: item.target.entry,
                    status: item.status.clone(),
                    findings: findings_view(&owned, &page, item.target.entry, &latest),
                    others,
                    crop: entry_crop(rebuilt_entry(session, &item.target)),
                    latest: latest.latest(
                        &entry_target(&page, item.target.entry, ""),
                        Track::Entry,
                        0,
                    ),
                };
                let codes = codes.into_iter().map(String::from).collect();
                push(&mut view, None, codes, ItemView::Entry(v));
            }
        }
    }
    view
}

fn field_item(
    session: &Session,
    latest: &Latest,
    item: &FieldItem,
    role: Role,
    mode: Mode,
    pass: u8,
) -> FieldItemView {
    let t = &item.target;
    let blind = role == Role::Keyer || mode == Mode::Keying;
    let page = PageKey {
        book_id: t.book_id.clone(),
        page: t.page,
    };
    let (track, track_pass) = if mode == Mode::Keying {
        (Track::Keying, pass)
    } else {
        (Track::Review, 0)
    };
    let candidates = if mode == Mode::Arbitration {
        [1u8, 2]
            .iter()
            .filter_map(|&p| {
                latest.in_force(t, Track::Keying, p).map(|a| Candidate {
                    pass: p,
                    value: a.action.value.clone(),
                    who: a.action.who.clone(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    FieldItemView {
        id: item.id.clone(),
        book_id: t.book_id.clone(),
        page: t.page,
        entry: t.entry,
        field: t.field.clone(),
        group: item.group,
        label: item.label.clone(),
        status: item.status.clone(),
        latest: latest.latest(t, track, track_pass),
        crop: field_crop(rebuilt_entry(session, t), &t.field),
        value: (!blind).then(|| item.value.clone()),
        value_read: (!blind).then(|| item.value_read.clone()),
        other_reading: if blind {
            None
        } else {
            item.other_reading.clone()
        },
        confidence: (!blind).then_some(item.confidence),
        findings: if blind {
            Vec::new()
        } else {
            findings_view(&item.findings, &page, t.entry, latest)
        },
        candidates,
    }
}

/// The books of the run with their register.
#[derive(Debug, Clone, Serialize)]
pub struct BookView {
    pub book_id: String,
    pub register: String,
    pub volume: String,
    pub pages: usize,
}

pub fn books(session: &Session) -> Vec<BookView> {
    session
        .scan
        .books
        .iter()
        .map(|b| BookView {
            book_id: b.id.clone(),
            register: b.meta.register.clone(),
            volume: b.meta.volume.clone(),
            pages: b.pages.len(),
        })
        .collect()
}

/// The latest action on a target of an entry (entry-level decisions, clerical decisions).
pub fn entry_target(page: &PageKey, entry: u32, field: &str) -> Target {
    Target {
        book_id: page.book_id.clone(),
        page: page.page,
        entry,
        field: field.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{ActionKind, NewAction};

    fn action(id: i64, kind: ActionKind, pass: u8, value: &str) -> Action {
        Action {
            id,
            at: format!("2026-12-03T09:00:{id:02}Z"),
            action: NewAction {
                target: Target {
                    book_id: "b".into(),
                    page: 1,
                    entry: 1,
                    field: "nksHoTen".into(),
                },
                track: if kind == ActionKind::Keyed {
                    Track::Keying
                } else {
                    Track::Review
                },
                kind,
                who: "Lan".into(),
                role: "reviewer".into(),
                value_read: "Lê Văn A".into(),
                value: value.into(),
                pass,
                reason: String::new(),
                source: "web".into(),
                supersedes: None,
                ms: None,
            },
        }
    }

    #[test]
    fn an_undo_takes_back_the_latest_action_standing_and_is_itself_the_latest() {
        let mut undo = action(3, ActionKind::Undo, 0, "");
        undo.action.supersedes = Some(2);
        let actions = [
            action(1, ActionKind::Confirm, 0, "Lê Văn A"),
            action(2, ActionKind::Correct, 0, "Lê Văn Á"),
            undo,
            // Keying passes are histories of their own.
            action(4, ActionKind::Keyed, 1, "Lê Văn B"),
        ];
        let latest = Latest::new(&actions);
        let t = &actions[0].action.target;
        assert_eq!(latest.latest(t, Track::Review, 0), Some(3));
        assert_eq!(latest.in_force(t, Track::Review, 0).map(|a| a.id), Some(1));
        assert_eq!(latest.in_force(t, Track::Keying, 1).map(|a| a.id), Some(4));
        assert!(latest.in_force(t, Track::Keying, 2).is_none());
    }

    #[test]
    fn each_role_works_on_its_own_queues() {
        assert_eq!(Mode::allowed(Role::Keyer, true), [Mode::Keying]);
        assert_eq!(Mode::allowed(Role::Arbiter, true), [Mode::Arbitration]);
        assert!(!Mode::allowed(Role::Reviewer, true).contains(&Mode::Keying));
        assert!(Mode::allowed(Role::Reviewer, false).contains(&Mode::Keying));
        for m in ["review", "keying", "arbitration", "entries", "duplicates"] {
            assert!(Mode::parse(m).is_some());
        }
        assert!(Mode::parse("everything").is_none());
    }
}
