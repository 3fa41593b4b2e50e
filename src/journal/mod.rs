//! The corrections journal: every human action on a run, durably, in `OUT/journal.sqlite`.
//!
//! Page results hold what the machine read; the journal holds what people did about it (who,
//! when, which field of which entry, the value read at the time, the value set, and what kind of
//! action), apart from the page results so that a re-run never loses it. Nothing in it is ever
//! changed or deleted: a later action supersedes an earlier one and both stay in the history.
//! Outputs are rebuilt from page results plus the journal (`crate::review::resolve`).
//!
//! SQLite in WAL mode with `synchronous = FULL`: an action is on disk before it is acknowledged,
//! and a process killed while writing loses nothing acknowledged and corrupts nothing. Two people
//! acting on the same field at once cannot overwrite each other in silence: each action names
//! the latest action its author saw on that field (`supersedes`), and one that did not see the
//! latest is refused as a conflict.

mod schema;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// File name of the journal inside OUT.
pub const FILE: &str = "journal.sqlite";

/// Which value of which entry an action is about. `field` is the template key, or empty for an
/// action on the whole entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Target {
    pub book_id: String,
    pub page: u32,
    pub entry: u32,
    #[serde(default)]
    pub field: String,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.book_id, self.page, self.entry)?;
        if !self.field.is_empty() {
            write!(f, ":{}", self.field)?;
        }
        Ok(())
    }
}

/// Separate histories of one target: a keyer's blind keying, a reviewer's decision, an
/// acceptance check and a clerk's duplicate decision do not supersede each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// A reviewer's (or arbiter's) decision on a field's value.
    Review,
    /// Blind keying of a field, in passes 1 and 2.
    Keying,
    /// Decisions on a whole entry (acknowledging findings, rejecting it).
    Entry,
    /// The Department's acceptance verdicts on a sampled entry's fields.
    Acceptance,
    /// A clerk's decision on a possible duplicate pair.
    Clerical,
}

/// What a person did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// The value read is right.
    Confirm,
    /// The value is this one instead.
    Correct,
    /// The page cannot be read there; nothing is imported for the field.
    Illegible,
    /// A keyer typed the value from the page image (blind, or with nothing read to show).
    Keyed,
    /// An entry's finding (its code in `value`) is known and accepted as the book has it.
    Acknowledge,
    /// Every finding on the entry has been looked at and the entry is right as it stands.
    ConfirmEntry,
    /// The entry is not to be imported (reason required).
    RejectEntry,
    /// Cancels the action named in `supersedes`.
    Undo,
    /// Acceptance: the delivered value is right.
    Accepted,
    /// Acceptance: the delivered value is wrong (the right one in `value`, if known).
    Rejected,
    /// Clerical review: the entry and the record named in `value` are the same person.
    Same,
    /// Clerical review: they are different people.
    Distinct,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Confirm => "confirm",
            ActionKind::Correct => "correct",
            ActionKind::Illegible => "illegible",
            ActionKind::Keyed => "keyed",
            ActionKind::Acknowledge => "acknowledge",
            ActionKind::ConfirmEntry => "confirm_entry",
            ActionKind::RejectEntry => "reject_entry",
            ActionKind::Undo => "undo",
            ActionKind::Accepted => "accepted",
            ActionKind::Rejected => "rejected",
            ActionKind::Same => "same",
            ActionKind::Distinct => "distinct",
        }
    }

    pub fn parse(s: &str) -> Option<ActionKind> {
        ALL_KINDS.iter().copied().find(|k| k.as_str() == s)
    }

    /// The track an action of this kind belongs to.
    pub fn track(self) -> Track {
        match self {
            ActionKind::Confirm | ActionKind::Correct | ActionKind::Illegible => Track::Review,
            ActionKind::Keyed => Track::Keying,
            ActionKind::Acknowledge | ActionKind::ConfirmEntry | ActionKind::RejectEntry => {
                Track::Entry
            }
            ActionKind::Accepted | ActionKind::Rejected => Track::Acceptance,
            ActionKind::Same | ActionKind::Distinct => Track::Clerical,
            // An undo goes in the track of what it cancels (set by the caller).
            ActionKind::Undo => Track::Review,
        }
    }
}

const ALL_KINDS: [ActionKind; 12] = [
    ActionKind::Confirm,
    ActionKind::Correct,
    ActionKind::Illegible,
    ActionKind::Keyed,
    ActionKind::Acknowledge,
    ActionKind::ConfirmEntry,
    ActionKind::RejectEntry,
    ActionKind::Undo,
    ActionKind::Accepted,
    ActionKind::Rejected,
    ActionKind::Same,
    ActionKind::Distinct,
];

/// An action to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAction {
    pub target: Target,
    pub track: Track,
    pub kind: ActionKind,
    /// Who did it, as they named themselves (`--reviewer`).
    pub who: String,
    /// In what capacity: reviewer, keyer, arbiter, acceptance, clerk.
    pub role: String,
    /// The value as the pipeline read it when the person acted (template form).
    pub value_read: String,
    /// The value set (template form); empty for illegible.
    pub value: String,
    /// Keying pass (1 or 2) for blind double keying, 0 otherwise.
    #[serde(default)]
    pub pass: u8,
    #[serde(default)]
    pub reason: String,
    /// Where it came from: `web`, `import:<file>:<line>`, `accept`...
    #[serde(default)]
    pub source: String,
    /// The latest action on this target and track that the person saw (none: they saw none).
    #[serde(default)]
    pub supersedes: Option<i64>,
    /// Milliseconds the person spent on it, when the tool knows (keying speed).
    #[serde(default)]
    pub ms: Option<u64>,
}

/// A recorded action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: i64,
    /// When it was recorded, UTC (`2026-12-03T09:05:21Z`).
    pub at: String,
    #[serde(flatten)]
    pub action: NewAction,
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{path}: cannot open the corrections journal: {message}")]
    Open { path: PathBuf, message: String },
    #[error("{path}: the corrections journal could not be written or read: {message}")]
    Sql { path: PathBuf, message: String },
    #[error("{target}: someone else changed this value meanwhile ({} by {} at {}: \"{}\"); look again before changing it", .current.action.kind.as_str(), .current.action.who, .current.at, .current.action.value)]
    Conflict {
        target: Target,
        current: Box<Action>,
    },
    #[error("{0}")]
    Invalid(String),
}

/// The corrections journal of one output folder.
pub struct Journal {
    conn: Connection,
    path: PathBuf,
}

impl Journal {
    /// Opens the journal of `out`, creating it when there is none.
    pub fn open(out: &Path) -> Result<Journal, JournalError> {
        let path = out.join(FILE);
        let conn = Connection::open(&path).map_err(|e| JournalError::Open {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let journal = Journal { conn, path };
        schema::prepare(&journal.conn).map_err(|e| journal.sql(e))?;
        Ok(journal)
    }

    /// Opens the journal of `out` if it has one (readers that never create it).
    pub fn open_if_exists(out: &Path) -> Result<Option<Journal>, JournalError> {
        if out.join(FILE).is_file() {
            Journal::open(out).map(Some)
        } else {
            Ok(None)
        }
    }

    fn sql(&self, e: impl std::fmt::Display) -> JournalError {
        JournalError::Sql {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// Records one action, or refuses it as a conflict when its author did not see the latest
    /// action on that target and track.
    pub fn record(&mut self, action: &NewAction) -> Result<Action, JournalError> {
        let mut recorded = self.record_all(std::slice::from_ref(action))?;
        Ok(recorded.pop().expect("one recorded"))
    }

    /// Records several actions at once: all of them, or none when one is refused.
    pub fn record_all(&mut self, actions: &[NewAction]) -> Result<Vec<Action>, JournalError> {
        for a in actions {
            check(a)?;
        }
        let path = self.path.clone();
        let sql = |e: rusqlite::Error| JournalError::Sql {
            path: path.clone(),
            message: e.to_string(),
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let mut recorded = Vec::with_capacity(actions.len());
        for a in actions {
            let latest = latest_in(&tx, &a.target, a.track, a.pass).map_err(sql)?;
            if latest.as_ref().map(|l| l.id) != a.supersedes {
                // Undoing needs the latest to be what it undoes; anything else saw a stale view.
                if let Some(current) = latest {
                    return Err(JournalError::Conflict {
                        target: a.target.clone(),
                        current: Box::new(current),
                    });
                }
                return Err(JournalError::Invalid(format!(
                    "{}: the action it replaces ({}) is not in the journal",
                    a.target,
                    a.supersedes.unwrap_or_default()
                )));
            }
            let at = crate::clock::now_utc();
            tx.execute(
                "INSERT INTO actions (at, who, role, track, book_id, page, entry, field, action,
                    value_read, value, pass, reason, source, supersedes, ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                params![
                    at,
                    a.who,
                    a.role,
                    track_str(a.track),
                    a.target.book_id,
                    a.target.page,
                    a.target.entry,
                    a.target.field,
                    a.kind.as_str(),
                    a.value_read,
                    a.value,
                    a.pass,
                    a.reason,
                    a.source,
                    a.supersedes,
                    a.ms.map(|m| m as i64),
                ],
            )
            .map_err(sql)?;
            recorded.push(Action {
                id: tx.last_insert_rowid(),
                at,
                action: a.clone(),
            });
        }
        tx.commit().map_err(sql)?;
        Ok(recorded)
    }

    /// Every action, oldest first.
    pub fn actions(&self) -> Result<Vec<Action>, JournalError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM actions ORDER BY id"))
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], row_to_action)
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// The latest action on a target in a track (and keying pass).
    pub fn latest(
        &self,
        target: &Target,
        track: Track,
        pass: u8,
    ) -> Result<Option<Action>, JournalError> {
        latest_in(&self.conn, target, track, pass).map_err(|e| self.sql(e))
    }

    /// Every action on one target, oldest first: its history.
    pub fn history(&self, target: &Target) -> Result<Vec<Action>, JournalError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM actions WHERE book_id = ?1 AND page = ?2 AND entry = ?3
                 AND field = ?4 ORDER BY id"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(
                params![target.book_id, target.page, target.entry, target.field],
                row_to_action,
            )
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }
}

/// What makes an action malformed whatever the page says.
fn check(a: &NewAction) -> Result<(), JournalError> {
    let bad = |m: String| Err(JournalError::Invalid(format!("{}: {m}", a.target)));
    if a.who.trim().is_empty() {
        return bad("who did it is not said (--reviewer NAME)".into());
    }
    if a.who.chars().count() > 100 || a.value.chars().count() > 2000 || a.reason.len() > 4000 {
        return bad("a name, value or reason is far too long".into());
    }
    if a.kind != ActionKind::Undo && a.kind.track() != a.track {
        return bad(format!(
            "a {} action does not belong to the {} track",
            a.kind.as_str(),
            track_str(a.track)
        ));
    }
    let field_level = matches!(
        a.kind,
        ActionKind::Confirm
            | ActionKind::Correct
            | ActionKind::Illegible
            | ActionKind::Keyed
            | ActionKind::Accepted
            | ActionKind::Rejected
    );
    if field_level && a.target.field.is_empty() {
        return bad(format!("a {} action needs a field", a.kind.as_str()));
    }
    if a.kind == ActionKind::RejectEntry && a.reason.trim().is_empty() {
        return bad("rejecting an entry needs a reason".into());
    }
    if a.kind == ActionKind::Undo && a.supersedes.is_none() {
        return bad("an undo must name the action it cancels".into());
    }
    if a.track == Track::Keying && !(1..=2).contains(&a.pass) && a.pass != 0 {
        return bad(format!("keying pass {} (1 or 2)", a.pass));
    }
    Ok(())
}

const COLUMNS: &str = "id, at, who, role, track, book_id, page, entry, field, action, value_read, \
                       value, pass, reason, source, supersedes, ms";

fn track_str(t: Track) -> &'static str {
    match t {
        Track::Review => "review",
        Track::Keying => "keying",
        Track::Entry => "entry",
        Track::Acceptance => "acceptance",
        Track::Clerical => "clerical",
    }
}

fn parse_track(s: &str) -> Option<Track> {
    [
        Track::Review,
        Track::Keying,
        Track::Entry,
        Track::Acceptance,
        Track::Clerical,
    ]
    .into_iter()
    .find(|t| track_str(*t) == s)
}

fn row_to_action(row: &rusqlite::Row) -> rusqlite::Result<Action> {
    let invalid = |i: usize, what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown {what}").into(),
        )
    };
    let track: String = row.get(4)?;
    let kind: String = row.get(9)?;
    Ok(Action {
        id: row.get(0)?,
        at: row.get(1)?,
        action: NewAction {
            who: row.get(2)?,
            role: row.get(3)?,
            track: parse_track(&track).ok_or_else(|| invalid(4, "track"))?,
            target: Target {
                book_id: row.get(5)?,
                page: row.get(6)?,
                entry: row.get(7)?,
                field: row.get(8)?,
            },
            kind: ActionKind::parse(&kind).ok_or_else(|| invalid(9, "action"))?,
            value_read: row.get(10)?,
            value: row.get(11)?,
            pass: row.get(12)?,
            reason: row.get(13)?,
            source: row.get(14)?,
            supersedes: row.get(15)?,
            ms: row.get::<_, Option<i64>>(16)?.map(|m| m.max(0) as u64),
        },
    })
}

fn latest_in(
    conn: &Connection,
    target: &Target,
    track: Track,
    pass: u8,
) -> rusqlite::Result<Option<Action>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM actions WHERE book_id = ?1 AND page = ?2 AND entry = ?3
             AND field = ?4 AND track = ?5 AND pass = ?6 ORDER BY id DESC LIMIT 1"
        ),
        params![
            target.book_id,
            target.page,
            target.entry,
            target.field,
            track_str(track),
            pass
        ],
        row_to_action,
    )
    .optional()
}

#[cfg(test)]
mod tests;
