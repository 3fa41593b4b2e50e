//! A review session over one output folder: the run's page results, its corrections journal, the
//! entries rebuilt from both, and the queue of what is left. Every tool that records decisions
//! (the review page, the Excel queue import, acceptance) goes through [`Session::decide`], so
//! that a decision is normalised, validated and journalled the same way whatever its source.

use super::input::{normalize_typed, Refused};
use super::queue::{self, FieldItem, Queue};
use super::resolve::{finding_target, Decisions};
use crate::emit::rebuild::{rebuild_with, validate_params, Rebuilt};
use crate::emit::BatchStep;
use crate::ingest::{self, Scan};
use crate::journal::{Action, ActionKind, Journal, JournalError, NewAction, Target, Track};
use crate::normalize::Normalizer;
use crate::page::{BBox, Entry, Finding, PageKey, PageResult};
use crate::pipeline::RunManifest;
use crate::schema::Schemas;
use crate::store::{PageStore, StoreError};
use crate::validate::ValidateParams;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Manifest(#[from] crate::pipeline::PipelineError),
    #[error("the scans folder of the run cannot be read: {0}")]
    Scan(#[from] crate::ingest::IngestError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(transparent)]
    Emit(#[from] crate::emit::EmitError),
}

/// Why a decision was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    /// The typed value does not fit the field.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// Someone else decided on it meanwhile, or the page was read again.
    #[error(transparent)]
    Conflict(JournalError),
    /// No such entry, field or finding, or a malformed request.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Journal(JournalError),
    #[error(transparent)]
    Rebuild(#[from] crate::emit::EmitError),
}

impl From<JournalError> for DecideError {
    fn from(e: JournalError) -> Self {
        match e {
            JournalError::Conflict { .. } => DecideError::Conflict(e),
            JournalError::Invalid(m) => DecideError::Invalid(m),
            other => DecideError::Journal(other),
        }
    }
}

/// A decision a person makes on a field, a finding or an entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DecisionRequest {
    pub book_id: String,
    pub page: u32,
    pub entry: u32,
    /// The field (template key); empty for the whole entry.
    #[serde(default)]
    pub field: String,
    /// `confirm`, `correct`, `illegible`, `keyed`, `acknowledge`, `confirm_entry`,
    /// `reject_entry`, `undo`, `accepted`, `rejected`, `same`, `distinct`.
    pub action: String,
    /// The typed value (correct, keyed, rejected in acceptance), or the finding code
    /// (acknowledge), or the other record (same, distinct).
    #[serde(default)]
    pub value: String,
    /// The latest action on the target the person saw (see `FieldItem::latest`).
    #[serde(default)]
    pub supersedes: Option<i64>,
    /// Keying pass (1, 2) in blind double keying; 0 for single keying.
    #[serde(default)]
    pub pass: u8,
    #[serde(default)]
    pub reason: String,
    /// Milliseconds from the field shown to the decision, when the tool measured it.
    #[serde(default)]
    pub ms: Option<u64>,
}

/// Everything about one entry, for the entry view.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub book_id: String,
    pub page: u32,
    pub entry: u32,
    pub status: String,
    pub page_file: String,
    /// Size of the stored scan (boxes are on it).
    pub width: u32,
    pub height: u32,
    pub bbox: BBox,
    pub fields: Vec<FieldView>,
    /// Findings naming no field.
    pub findings: Vec<Finding>,
    pub history: Vec<Action>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    pub field: String,
    pub label: String,
    pub value: String,
    pub value_read: String,
    pub confidence: f32,
    pub bbox: Option<BBox>,
    pub set_by: Option<super::resolve::SetBy>,
    pub findings: Vec<Finding>,
    /// The latest review decision on it, to name when deciding.
    pub latest: Option<i64>,
}

/// Counts of what is done and left.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub entries: usize,
    pub by_status: BTreeMap<String, usize>,
    pub fields_to_review: usize,
    pub fields_to_key: usize,
    pub entries_to_check: usize,
    pub by_book: BTreeMap<String, BookCounts>,
    pub by_finding: BTreeMap<String, usize>,
    pub by_group: BTreeMap<String, usize>,
    pub conflicts: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct BookCounts {
    pub entries: usize,
    pub settled: usize,
    pub fields_left: usize,
}

pub struct Session {
    pub out: PathBuf,
    pub scan: Scan,
    pub schemas: Schemas,
    steps: Vec<Box<dyn BatchStep>>,
    normalizer: Normalizer,
    params: ValidateParams,
    journal: Journal,
    /// Page results as stored (as read).
    pub stored: Vec<PageResult>,
    pub actions: Vec<Action>,
    pub decisions: Decisions,
    pub rebuilt: Rebuilt,
    pub queue: Queue,
    labels: BTreeMap<(String, String), String>,
}

impl Session {
    /// Opens the run in `out` (its `run.json`, scans, page results and journal, created if
    /// missing) and builds the queue. `steps` are the run's batch steps.
    pub fn open(
        out: &Path,
        schemas: Schemas,
        steps: Vec<Box<dyn BatchStep>>,
    ) -> Result<Session, SessionError> {
        let manifest = RunManifest::load(out)?;
        let scan = ingest::discover(&manifest.scans)?;
        let store = PageStore::open(out)?;
        let mut stored = Vec::new();
        for book in &scan.books {
            for source in &book.pages {
                match store.load(&source.key) {
                    Ok(Some(r)) if r.source == *source => stored.push(r),
                    Ok(_) | Err(StoreError::Corrupt { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        let journal = Journal::open(out)?;
        let mut session = Session {
            out: out.to_path_buf(),
            normalizer: Normalizer::new(&schemas.codes),
            labels: queue::labels(&schemas),
            params: validate_params(out),
            scan,
            schemas,
            steps,
            journal,
            stored,
            actions: Vec::new(),
            decisions: Decisions::default(),
            rebuilt: Rebuilt::default(),
            queue: Queue::default(),
        };
        session.refresh()?;
        Ok(session)
    }

    /// Reads the journal again (other reviewers may have acted) and rebuilds entries and queue.
    pub fn refresh(&mut self) -> Result<(), SessionError> {
        self.actions = self.journal.actions()?;
        self.decisions = Decisions::from_actions(&self.actions);
        self.rebuilt = rebuild_with(
            &self.scan,
            &self.schemas,
            &self.steps,
            &self.stored,
            &self.decisions,
            &self.params,
        )?;
        let register_of = self.register_lookup();
        let latest = self.latest_lookup();
        self.queue = queue::build(
            &self.stored,
            &self.rebuilt.results,
            &self.decisions,
            &self.rebuilt.people,
            &self.schemas,
            &|b| register_of.get(b).cloned(),
            &|t| latest.get(&(t.clone(), Track::Review)).copied(),
        );
        Ok(())
    }

    fn register_lookup(&self) -> BTreeMap<String, String> {
        self.scan
            .books
            .iter()
            .map(|b| (b.id.clone(), b.meta.register.clone()))
            .collect()
    }

    /// The latest action id per target and track (pass 0).
    fn latest_lookup(&self) -> BTreeMap<(Target, Track), i64> {
        self.actions
            .iter()
            .filter(|a| a.action.pass == 0)
            .map(|a| ((a.action.target.clone(), a.action.track), a.id))
            .collect()
    }

    fn entry_in<'a>(results: &'a [PageResult], page: &PageKey, index: u32) -> Option<&'a Entry> {
        results
            .iter()
            .find(|r| r.source.key == *page)
            .and_then(|r| r.entries().iter().find(|e| e.index == index))
    }

    /// The rebuilt entry (values as the outputs hold them).
    pub fn entry(&self, page: &PageKey, index: u32) -> Option<&Entry> {
        Self::entry_in(&self.rebuilt.results, page, index)
    }

    /// A queue item by id (`book:page:entry:field`).
    pub fn field_item(&self, id: &str) -> Option<&FieldItem> {
        self.queue.fields.iter().find(|i| i.id == id)
    }

    /// The image file of a page, found through the run's own pages only: no path from a
    /// request ever reaches the file system.
    pub fn page_image(&self, page: &PageKey) -> Option<(PathBuf, &crate::page::PageSource)> {
        self.stored
            .iter()
            .find(|r| r.source.key == *page)
            .map(|r| (ingest::page_path(&self.scan.root, &r.source), &r.source))
    }

    /// Records a decision after normalising and checking it, and rebuilds. Returns the action.
    pub fn decide(
        &mut self,
        who: &str,
        role: &str,
        source: &str,
        req: &DecisionRequest,
    ) -> Result<Action, DecideError> {
        let action = self.build_action(who, role, source, req)?;
        let recorded = self.journal.record(&action)?;
        self.refresh().map_err(|e| match e {
            SessionError::Emit(e) => DecideError::Rebuild(e),
            other => DecideError::Invalid(other.to_string()),
        })?;
        Ok(recorded)
    }

    /// The action a request makes, normalised and checked, not recorded.
    pub fn build_action(
        &self,
        who: &str,
        role: &str,
        source: &str,
        req: &DecisionRequest,
    ) -> Result<NewAction, DecideError> {
        let kind = ActionKind::parse(&req.action).ok_or_else(|| {
            DecideError::Invalid(format!(
                "\"{}\" is no action (confirm, correct, illegible, keyed, acknowledge, \
                 confirm_entry, reject_entry, undo, accepted, rejected, same, distinct)",
                req.action
            ))
        })?;
        let page = PageKey {
            book_id: req.book_id.clone(),
            page: req.page,
        };
        let entry = self.entry(&page, req.entry).ok_or_else(|| {
            DecideError::Invalid(format!(
                "{}:{}:{}: no such entry in this run",
                req.book_id, req.page, req.entry
            ))
        })?;
        let stored_entry = Self::entry_in(&self.stored, &page, req.entry);
        let register = self
            .register_lookup()
            .get(&req.book_id)
            .and_then(|r| self.schemas.register(r).cloned())
            .ok_or_else(|| DecideError::Invalid(format!("{}: unknown book", req.book_id)))?;
        let column = || {
            register.column(&req.field).cloned().ok_or_else(|| {
                DecideError::Invalid(format!(
                    "{}:{}:{}: \"{}\" is not a field of register {}",
                    req.book_id, req.page, req.entry, req.field, register.code
                ))
            })
        };
        let value_read = stored_entry
            .and_then(|e| e.value(&req.field))
            .unwrap_or("")
            .to_string();
        let mut target = Target {
            book_id: req.book_id.clone(),
            page: req.page,
            entry: req.entry,
            field: req.field.clone(),
        };
        let mut track = kind.track();
        let mut pass = 0;
        let value = match kind {
            ActionKind::Confirm => {
                column()?;
                entry.value(&req.field).unwrap_or("").to_string()
            }
            ActionKind::Correct | ActionKind::Keyed => {
                let col = column()?;
                if kind == ActionKind::Keyed {
                    if req.pass > 2 {
                        return Err(DecideError::Invalid(format!("keying pass {}", req.pass)));
                    }
                    pass = req.pass;
                }
                if req.value.trim().is_empty() && kind == ActionKind::Keyed {
                    // "Illegible" is an answer in keying too.
                    String::new()
                } else {
                    normalize_typed(&self.schemas, &self.normalizer, &col, &req.value)?
                }
            }
            ActionKind::Illegible => {
                column()?;
                String::new()
            }
            ActionKind::Accepted | ActionKind::Rejected => {
                let col = column()?;
                if req.value.trim().is_empty() {
                    String::new()
                } else {
                    normalize_typed(&self.schemas, &self.normalizer, &col, &req.value)?
                }
            }
            ActionKind::Acknowledge => {
                let code = req.value.trim().to_string();
                let known = entry
                    .findings
                    .iter()
                    .any(|f| f.code == code && f.field.as_deref().unwrap_or("") == req.field);
                if !known {
                    return Err(DecideError::Invalid(format!(
                        "{}:{}:{}: no finding {code} on {}",
                        req.book_id,
                        req.page,
                        req.entry,
                        if req.field.is_empty() {
                            "the entry"
                        } else {
                            &req.field
                        }
                    )));
                }
                target.field = finding_target(&req.field, &code);
                code
            }
            ActionKind::ConfirmEntry => {
                target.field.clear();
                entry
                    .findings
                    .iter()
                    .filter(|f| f.field.as_deref().unwrap_or("").is_empty())
                    .map(|f| f.code.clone())
                    .collect::<Vec<_>>()
                    .join(",")
            }
            ActionKind::RejectEntry => {
                target.field.clear();
                String::new()
            }
            ActionKind::Same | ActionKind::Distinct => {
                target.field = finding_target("", crate::dedup::step::CODE_POSSIBLE);
                req.value.clone()
            }
            ActionKind::Undo => {
                let id = req.supersedes.ok_or_else(|| {
                    DecideError::Invalid("an undo names the action it takes back".into())
                })?;
                let undone = self
                    .actions
                    .iter()
                    .find(|a| a.id == id)
                    .ok_or_else(|| DecideError::Invalid(format!("no action {id} to undo")))?;
                target = undone.action.target.clone();
                track = undone.action.track;
                pass = undone.action.pass;
                String::new()
            }
        };
        if matches!(kind, ActionKind::Same | ActionKind::Distinct) {
            track = Track::Clerical;
        }
        Ok(NewAction {
            target,
            track,
            kind,
            who: who.to_string(),
            role: role.to_string(),
            value_read,
            value,
            pass,
            reason: req.reason.clone(),
            source: source.to_string(),
            supersedes: req.supersedes,
            ms: req.ms,
        })
    }

    /// Records several decisions at once, all or none (a filled queue file): the first request
    /// that is refused is returned with its source (file and line).
    pub fn decide_all(
        &mut self,
        who: &str,
        role: &str,
        requests: &[(String, DecisionRequest)],
    ) -> Result<Vec<Action>, (String, DecideError)> {
        let mut actions = Vec::new();
        for (source, req) in requests {
            let action = self
                .build_action(who, role, source, req)
                .map_err(|e| (source.clone(), e))?;
            actions.push(action);
        }
        let recorded = self.journal.record_all(&actions).map_err(|e| {
            let at = match &e {
                JournalError::Conflict { target, .. } => actions
                    .iter()
                    .position(|a| &a.target == target)
                    .map(|i| requests[i].0.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            (at, DecideError::from(e))
        })?;
        self.refresh()
            .map_err(|e| (String::new(), DecideError::Invalid(e.to_string())))?;
        Ok(recorded)
    }

    /// Everything about one entry.
    pub fn entry_view(&self, page: &PageKey, index: u32) -> Option<EntryView> {
        let result = self
            .rebuilt
            .results
            .iter()
            .find(|r| r.source.key == *page)?;
        let entry = result.entries().iter().find(|e| e.index == index)?;
        let stored = Self::entry_in(&self.stored, page, index);
        let register = self
            .register_lookup()
            .get(&page.book_id)
            .and_then(|r| self.schemas.register(r).cloned())?;
        let key = (page.clone(), index);
        let set_by = self.rebuilt.people.set_by.get(&key);
        let latest = self.latest_lookup();
        let fields = register
            .columns
            .iter()
            .map(|c| {
                let f = entry.fields.get(&c.key);
                let target = Target {
                    book_id: page.book_id.clone(),
                    page: page.page,
                    entry: index,
                    field: c.key.clone(),
                };
                FieldView {
                    field: c.key.clone(),
                    label: self
                        .labels
                        .get(&(entry.edition.clone(), c.key.clone()))
                        .cloned()
                        .unwrap_or_else(|| c.key.clone()),
                    value: f.map(|f| f.value.clone()).unwrap_or_default(),
                    value_read: stored
                        .and_then(|e| e.value(&c.key))
                        .unwrap_or("")
                        .to_string(),
                    confidence: f.map_or(0.0, |f| f.confidence),
                    bbox: f.and_then(|f| f.bbox),
                    set_by: set_by.and_then(|s| s.get(&c.key)).cloned(),
                    findings: entry
                        .findings
                        .iter()
                        .filter(|x| x.field.as_deref() == Some(c.key.as_str()))
                        .cloned()
                        .collect(),
                    latest: latest.get(&(target, Track::Review)).copied(),
                }
            })
            .collect();
        let history = self
            .actions
            .iter()
            .filter(|a| {
                a.action.target.book_id == page.book_id
                    && a.action.target.page == page.page
                    && a.action.target.entry == index
            })
            .cloned()
            .collect();
        let ocr = result.ocr.as_ref();
        Some(EntryView {
            book_id: page.book_id.clone(),
            page: page.page,
            entry: index,
            status: entry.status.as_str().into(),
            page_file: result.source.file.clone(),
            width: ocr.map_or(0, |o| o.width),
            height: ocr.map_or(0, |o| o.height),
            bbox: entry.bbox,
            fields,
            findings: entry
                .findings
                .iter()
                .filter(|f| f.field.as_deref().unwrap_or("").is_empty())
                .cloned()
                .collect(),
            history,
        })
    }

    /// What is done and left.
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            conflicts: self.rebuilt.people.conflicts.len(),
            ..Counts::default()
        };
        for r in &self.rebuilt.results {
            for e in r.entries() {
                c.entries += 1;
                *c.by_status.entry(e.status.as_str().into()).or_default() += 1;
                let b = c.by_book.entry(r.source.key.book_id.clone()).or_default();
                b.entries += 1;
                if super::resolve::is_settled(e) {
                    b.settled += 1;
                }
            }
        }
        for i in &self.queue.fields {
            if i.keying {
                c.fields_to_key += 1;
            } else {
                c.fields_to_review += 1;
            }
            c.by_book
                .entry(i.target.book_id.clone())
                .or_default()
                .fields_left += 1;
            *c.by_group.entry(i.group.as_str().into()).or_default() += 1;
            for f in &i.findings {
                *c.by_finding.entry(f.code.clone()).or_default() += 1;
            }
        }
        c.entries_to_check = self.queue.entries.len();
        for i in &self.queue.entries {
            for f in &i.findings {
                *c.by_finding.entry(f.code.clone()).or_default() += 1;
            }
        }
        c
    }
}
