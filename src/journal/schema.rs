//! The journal's tables, created on first use and checked on every open.

use rusqlite::Connection;

/// Version of the table layout; a journal of a later version is refused rather than misread.
const VERSION: i64 = 1;

pub fn prepare(conn: &Connection) -> rusqlite::Result<()> {
    // WAL: readers (the outputs, a second reviewer) never block the writer; FULL: each commit
    // is synced before it returns, so an acknowledged action survives a crash or power cut.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS actions (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             at TEXT NOT NULL,
             who TEXT NOT NULL,
             role TEXT NOT NULL,
             track TEXT NOT NULL,
             book_id TEXT NOT NULL,
             page INTEGER NOT NULL,
             entry INTEGER NOT NULL,
             field TEXT NOT NULL,
             action TEXT NOT NULL,
             value_read TEXT NOT NULL,
             value TEXT NOT NULL,
             pass INTEGER NOT NULL DEFAULT 0,
             reason TEXT NOT NULL DEFAULT '',
             source TEXT NOT NULL DEFAULT '',
             supersedes INTEGER,
             ms INTEGER
         );
         CREATE INDEX IF NOT EXISTS actions_target
             ON actions (book_id, page, entry, field, track, pass);
         -- Nothing in the journal is ever changed or removed.
         CREATE TRIGGER IF NOT EXISTS actions_no_update BEFORE UPDATE ON actions
             BEGIN SELECT RAISE(ABORT, 'journal actions are never changed'); END;
         CREATE TRIGGER IF NOT EXISTS actions_no_delete BEFORE DELETE ON actions
             BEGIN SELECT RAISE(ABORT, 'journal actions are never removed'); END;",
    )?;
    let version: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'version'", [], |r| {
            r.get(0)
        })
        .ok();
    match version.and_then(|v| v.parse::<i64>().ok()) {
        None => {
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?1)",
                [VERSION.to_string()],
            )?;
        }
        Some(v) if v > VERSION => {
            return Err(rusqlite::Error::InvalidParameterName(format!(
                "the journal was written by a newer sohoa (layout {v}, this one reads {VERSION})"
            )));
        }
        Some(_) => {}
    }
    Ok(())
}
