//! A lock per book on a shared file system, so that two shard processes never write the same
//! page result.
//!
//! A lock is the file `OUT/shards/locks/<book>.lock` saying who holds it. It is created whole
//! and atomically (written aside, then hard-linked into place: `link(2)` fails if the name
//! exists, on NFS too), its holder touches it every quarter of `stale_after`, and the holder
//! removes it when the book is done. A lock left by a process that died is recognised and taken
//! over: at once when the holder ran on this machine (same host, kernel boot and process
//! namespace) and its process is gone; otherwise when its file has not been touched for
//! `stale_after` while we watched (a change seen, not a clock compared: machines' clocks differ).
//! A holder checks its lock before writing each page result, so one that lost its lock (paused
//! for longer than `stale_after`, then taken over) writes nothing more.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// Who holds a lock, as written in the lock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// Unique to one process's set of locks.
    pub token: String,
    pub host: String,
    /// The kernel boot and process namespace: process ids compare only where these agree.
    pub machine: String,
    pub pid: u32,
    /// The process's start (clock ticks after boot), so that a reused process id is not
    /// taken for the holder.
    pub process_start: Option<u64>,
    /// What the holder is, e.g. `sohoa run --shard 2/8`.
    pub what: String,
    pub since: String,
}

impl Holder {
    fn me(what: &str) -> Holder {
        let pid = std::process::id();
        let host = read_trimmed("/proc/sys/kernel/hostname").unwrap_or_else(|| "unknown".into());
        let process_start = process_start(pid);
        let nonce: u64 = rand::random();
        Holder {
            token: format!("{host}:{pid}:{}:{nonce:016x}", process_start.unwrap_or(0)),
            machine: machine_identity(),
            host,
            pid,
            process_start,
            what: what.to_string(),
            since: crate::clock::now_utc(),
        }
    }

    /// "sohoa run --shard 1/3, process 4242 on node7 since 2026-12-03T20:01:00Z".
    pub fn describe(&self) -> String {
        format!(
            "{}, process {} on {} since {}",
            self.what, self.pid, self.host, self.since
        )
    }

    /// Whether this holder's process is known to be gone: only answerable on its own machine.
    fn is_dead_here(&self, me: &Holder) -> Option<bool> {
        if self.host != me.host || self.machine != me.machine {
            return None;
        }
        // SAFETY: kill with signal 0 only checks that the process exists.
        let rc = unsafe { libc::kill(self.pid as libc::pid_t, 0) };
        let exists = rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
        if !exists {
            return Some(true);
        }
        Some(match (self.process_start, process_start(self.pid)) {
            (Some(recorded), Some(now)) => recorded != now,
            _ => false,
        })
    }
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

/// The kernel boot and the process-id namespace this process lives in.
fn machine_identity() -> String {
    let boot = read_trimmed("/proc/sys/kernel/random/boot_id").unwrap_or_default();
    let ns = std::fs::read_link("/proc/self/ns/pid")
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{boot} {ns}")
}

/// Field 22 of `/proc/PID/stat`: when the process started, in clock ticks after boot.
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: count from its end.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// What trying to take a book's lock gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Take {
    Taken,
    /// Taken over from a holder that died.
    TakenOver(Holder),
    /// Held by a live process.
    Held(Holder),
    /// Held by a process on another machine: see [`BookLocks::settle`] after `stale_after`.
    Watch(Watch),
}

/// A lock held elsewhere, as first seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    pub book: String,
    holder: Option<Holder>,
    touched: Option<SystemTime>,
    seen: Instant,
}

impl Watch {
    /// The holder named in the lock file (none when the file could not be read).
    pub fn holder(&self) -> Option<&Holder> {
        self.holder.as_ref()
    }
    /// When the watch can be settled.
    pub fn due(&self, stale_after: Duration) -> Instant {
        self.seen + stale_after
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot use the book lock: {source}")]
pub struct LockError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

type Held = Arc<Mutex<BTreeMap<String, bool>>>;

/// The book locks one process holds in an output folder, kept fresh by a heartbeat thread and
/// released when dropped.
pub struct BookLocks {
    dir: PathBuf,
    me: Holder,
    stale_after: Duration,
    /// Books taken, and whether the lock is still ours (the heartbeat finds out).
    held: Held,
    stop: Option<mpsc::Sender<()>>,
    heartbeat: Option<std::thread::JoinHandle<()>>,
}

impl BookLocks {
    /// Locks in `OUT/shards/locks`; `what` names this process for whoever finds a book held.
    pub fn new(out: &Path, what: &str, stale_after: Duration) -> Result<BookLocks, LockError> {
        let dir = locks_dir(out);
        std::fs::create_dir_all(&dir).map_err(|source| LockError {
            path: dir.clone(),
            source,
        })?;
        let me = Holder::me(what);
        let held: Held = Arc::default();
        let (stop, stopped) = mpsc::channel::<()>();
        let beat = (stale_after / 4).max(Duration::from_millis(200));
        let heartbeat = {
            let (locks_dir, held, token) = (dir.clone(), held.clone(), me.token.clone());
            std::thread::Builder::new()
                .name("book-lock-heartbeat".into())
                .spawn(move || {
                    while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(beat) {
                        refresh(&locks_dir, &held, &token);
                    }
                })
                .map_err(|source| LockError {
                    path: dir.clone(),
                    source,
                })?
        };
        Ok(BookLocks {
            dir,
            me,
            stale_after,
            held,
            stop: Some(stop),
            heartbeat: Some(heartbeat),
        })
    }

    pub fn holder(&self) -> &Holder {
        &self.me
    }

    pub fn stale_after(&self) -> Duration {
        self.stale_after
    }

    fn path(&self, book: &str) -> PathBuf {
        lock_file(&self.dir, book)
    }

    fn err(&self, book: &str, source: std::io::Error) -> LockError {
        LockError {
            path: self.path(book),
            source,
        }
    }

    /// Tries to take a book's lock.
    pub fn try_take(&self, book: &str) -> Result<Take, LockError> {
        // A lock released or taken over between our looks is looked at again, a few times.
        for _ in 0..4 {
            if self.create(book)? {
                self.mark_held(book);
                return Ok(Take::Taken);
            }
            let Some((holder, touched)) = self.read(book)? else {
                continue;
            };
            match &holder {
                Some(h) if h.token == self.me.token => {
                    self.mark_held(book);
                    return Ok(Take::Taken);
                }
                Some(h) => match h.is_dead_here(&self.me) {
                    Some(true) => match self.take_over(book, &holder, touched)? {
                        Some(take) => return Ok(take),
                        None => continue,
                    },
                    Some(false) => return Ok(Take::Held(h.clone())),
                    None => {}
                },
                None => {}
            }
            return Ok(Take::Watch(Watch {
                book: book.to_string(),
                holder,
                touched,
                seen: Instant::now(),
            }));
        }
        Ok(match self.read(book)? {
            Some((Some(h), _)) => Take::Held(h),
            _ => Take::Held(unknown_holder()),
        })
    }

    /// Decides a watched lock once `stale_after` has passed since it was seen (waits if called
    /// earlier): untouched all that time, its holder is taken for dead and the lock taken over.
    pub fn settle(&self, watch: &Watch) -> Result<Take, LockError> {
        let due = watch.due(self.stale_after);
        let now = Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        match self.read(&watch.book)? {
            None => match self.try_take(&watch.book)? {
                Take::Watch(w) => Ok(Take::Held(w.holder.unwrap_or_else(unknown_holder))),
                take => Ok(take),
            },
            Some((holder, touched)) if holder == watch.holder && touched == watch.touched => {
                match self.take_over(&watch.book, &holder, touched)? {
                    Some(take) => Ok(take),
                    None => Ok(Take::Held(holder.unwrap_or_else(unknown_holder))),
                }
            }
            Some((holder, _)) => Ok(Take::Held(holder.unwrap_or_else(unknown_holder))),
        }
    }

    /// Whether the book's lock is still this process's: checked before each page result is
    /// written.
    pub fn holds(&self, book: &str) -> bool {
        let ours = self.held.lock().is_ok_and(|h| h.get(book) == Some(&true));
        ours && matches!(self.read(book), Ok(Some((Some(h), _))) if h.token == self.me.token)
    }

    /// Gives a book's lock back (removing the file only if it is still ours).
    pub fn release(&self, book: &str) {
        if self.holds(book) {
            let _ = std::fs::remove_file(self.path(book));
        }
        if let Ok(mut h) = self.held.lock() {
            h.remove(book);
        }
    }

    fn mark_held(&self, book: &str) {
        if let Ok(mut h) = self.held.lock() {
            h.insert(book.to_string(), true);
        }
    }

    /// Creates the lock file whole, or finds it there (false).
    fn create(&self, book: &str) -> Result<bool, LockError> {
        let path = self.path(book);
        let aside = self
            .dir
            .join(format!(".{book}.{}.new", self.me.token.replace(':', "-")));
        let bytes = serde_json::to_vec_pretty(&self.me).expect("a holder serialises");
        let written = std::fs::File::create(&aside).and_then(|mut f| {
            f.write_all(&bytes)?;
            f.sync_data()
        });
        if let Err(source) = written {
            let _ = std::fs::remove_file(&aside);
            return Err(self.err(book, source));
        }
        let linked = std::fs::hard_link(&aside, &path);
        let result = match linked {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
            // A file system without hard links: creating the name exclusively is atomic too,
            // though a reader may see it empty for a moment (an unreadable lock is watched).
            Err(_) => match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => f
                    .write_all(&bytes)
                    .map(|_| true)
                    .map_err(|e| self.err(book, e)),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
                Err(e) => Err(self.err(book, e)),
            },
        };
        let _ = std::fs::remove_file(&aside);
        result
    }

    /// The lock file's holder (None if unreadable) and when it was last touched; None if there
    /// is no lock.
    #[allow(clippy::type_complexity)]
    fn read(&self, book: &str) -> Result<Option<(Option<Holder>, Option<SystemTime>)>, LockError> {
        read_lock(&self.path(book)).map_err(|e| self.err(book, e))
    }

    /// Moves a dead holder's lock aside and takes the book. Returns None when the lock changed
    /// meanwhile (look again).
    fn take_over(
        &self,
        book: &str,
        dead: &Option<Holder>,
        touched: Option<SystemTime>,
    ) -> Result<Option<Take>, LockError> {
        let path = self.path(book);
        let aside = self
            .dir
            .join(format!(".{book}.{}.dead", self.me.token.replace(':', "-")));
        match std::fs::rename(&path, &aside) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.err(book, e)),
        }
        let moved = read_lock(&aside).map_err(|e| self.err(book, e))?;
        let same = matches!(&moved, Some((h, t)) if h == dead && (dead.is_some() || *t == touched));
        if !same {
            // Someone replaced the dead lock between our looks: put theirs back.
            let _ = std::fs::hard_link(&aside, &path);
            let _ = std::fs::remove_file(&aside);
            return Ok(None);
        }
        let _ = std::fs::remove_file(&aside);
        if self.create(book)? {
            self.mark_held(book);
            Ok(Some(Take::TakenOver(
                dead.clone().unwrap_or_else(unknown_holder),
            )))
        } else {
            Ok(None)
        }
    }
}

impl Drop for BookLocks {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(h) = self.heartbeat.take() {
            let _ = h.join();
        }
        let books: Vec<String> = self
            .held
            .lock()
            .map(|h| h.keys().cloned().collect())
            .unwrap_or_default();
        for book in books {
            self.release(&book);
        }
    }
}

fn locks_dir(out: &Path) -> PathBuf {
    out.join(super::SHARDS_DIR).join("locks")
}

fn lock_file(dir: &Path, book: &str) -> PathBuf {
    dir.join(format!("{book}.lock"))
}

/// Who holds a book's lock in OUT now, if anyone (for reports; takes nothing).
pub fn holder_of(out: &Path, book: &str) -> Option<Holder> {
    read_lock(&lock_file(&locks_dir(out), book)).ok()??.0
}

fn unknown_holder() -> Holder {
    Holder {
        token: String::new(),
        host: "an unknown machine".into(),
        machine: String::new(),
        pid: 0,
        process_start: None,
        what: "another sohoa".into(),
        since: "an unknown time".into(),
    }
}

#[allow(clippy::type_complexity)]
fn read_lock(path: &Path) -> std::io::Result<Option<(Option<Holder>, Option<SystemTime>)>> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let touched = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    Ok(Some((serde_json::from_slice(&bytes).ok(), touched)))
}

/// One heartbeat: touches each lock still ours, and notes those that are not any more.
fn refresh(dir: &Path, held: &Held, token: &str) {
    let Ok(mut held) = held.lock() else { return };
    for (book, ours) in held.iter_mut().filter(|(_, ours)| **ours) {
        let path = lock_file(dir, book);
        let still = matches!(read_lock(&path), Ok(Some((Some(h), _))) if h.token == token);
        if !still {
            *ours = false;
            continue;
        }
        let touched = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(SystemTime::now()));
        if let Err(e) = touched {
            eprintln!(
                "warning: {}: cannot refresh the book lock: {e}",
                path.display()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_holder(locks: &BookLocks, book: &str, h: &Holder) {
        std::fs::write(locks.path(book), serde_json::to_vec(h).unwrap()).unwrap();
    }

    /// A process id that has just ended.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn a_book_is_held_by_one_process_and_released_when_done() {
        let dir = tempfile::tempdir().unwrap();
        let a = BookLocks::new(dir.path(), "shard A", Duration::from_secs(60)).unwrap();
        let b = BookLocks::new(dir.path(), "shard B", Duration::from_secs(60)).unwrap();
        assert_eq!(a.try_take("KS-1").unwrap(), Take::Taken);
        assert_eq!(
            a.try_take("KS-1").unwrap(),
            Take::Taken,
            "taking again is harmless"
        );
        match b.try_take("KS-1").unwrap() {
            Take::Held(h) => assert!(h.describe().contains("shard A"), "{h:?}"),
            other => panic!("{other:?}"),
        }
        assert!(a.holds("KS-1") && !b.holds("KS-1"));
        a.release("KS-1");
        assert!(!a.holds("KS-1"));
        assert_eq!(b.try_take("KS-1").unwrap(), Take::Taken);
        assert_eq!(b.try_take("KS-2").unwrap(), Take::Taken);
        drop(b);
        let left: Vec<_> = std::fs::read_dir(dir.path().join("shards/locks"))
            .unwrap()
            .collect();
        assert!(
            left.is_empty(),
            "dropping releases every lock and leaves no file"
        );
    }

    #[test]
    fn the_lock_of_a_dead_process_on_this_machine_is_taken_over_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let locks = BookLocks::new(dir.path(), "shard", Duration::from_secs(600)).unwrap();
        let mut dead = Holder::me("killed shard");
        dead.pid = dead_pid();
        dead.process_start = Some(1);
        dead.token = "dead".into();
        write_holder(&locks, "KS-1", &dead);
        assert_eq!(locks.try_take("KS-1").unwrap(), Take::TakenOver(dead));
        assert!(locks.holds("KS-1"));
        // A live process whose id was reused is not the holder either.
        let mut reused = Holder::me("old shard");
        reused.token = "old".into();
        reused.process_start = reused.process_start.map(|s| s + 1);
        write_holder(&locks, "KS-2", &reused);
        assert!(matches!(
            locks.try_take("KS-2").unwrap(),
            Take::TakenOver(_)
        ));
    }

    #[test]
    fn a_lock_from_another_machine_is_taken_over_only_when_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let stale = Duration::from_millis(300);
        let locks = BookLocks::new(dir.path(), "shard", stale).unwrap();
        let mut other = Holder::me("shard on node7");
        other.host = "node7".into();
        other.token = "node7".into();
        write_holder(&locks, "KS-1", &other);
        write_holder(&locks, "KS-2", &other);
        let (Take::Watch(w1), Take::Watch(w2)) = (
            locks.try_take("KS-1").unwrap(),
            locks.try_take("KS-2").unwrap(),
        ) else {
            panic!("a lock from another machine is watched");
        };
        assert_eq!(w1.holder(), Some(&other));
        // KS-2's holder is alive: it touches its lock while we watch.
        std::thread::sleep(Duration::from_millis(50));
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(locks.path("KS-2"))
            .unwrap();
        f.set_modified(SystemTime::now() + Duration::from_secs(1))
            .unwrap();
        assert_eq!(locks.settle(&w1).unwrap(), Take::TakenOver(other.clone()));
        assert_eq!(locks.settle(&w2).unwrap(), Take::Held(other));
        assert!(locks.holds("KS-1") && !locks.holds("KS-2"));
    }

    #[test]
    fn a_holder_whose_lock_was_taken_over_knows_it_and_keeps_it_refreshed_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let locks = BookLocks::new(dir.path(), "shard", Duration::from_millis(400)).unwrap();
        locks.try_take("KS-1").unwrap();
        locks.try_take("KS-2").unwrap();
        let before = std::fs::metadata(locks.path("KS-2"))
            .unwrap()
            .modified()
            .unwrap();
        let mut thief = Holder::me("another shard");
        thief.token = "thief".into();
        write_holder(&locks, "KS-1", &thief);
        std::thread::sleep(Duration::from_millis(400));
        assert!(!locks.holds("KS-1"));
        assert!(locks.holds("KS-2"));
        let after = std::fs::metadata(locks.path("KS-2"))
            .unwrap()
            .modified()
            .unwrap();
        assert!(after > before, "the heartbeat touches a held lock");
        drop(locks);
        assert!(
            dir.path().join("shards/locks/KS-1.lock").exists(),
            "a lock no longer ours is not removed"
        );
    }
}
