//! The output folder as sohoa's own: one command at a time writes it (a lock that says who holds
//! it), and sohoa never writes into a folder that holds other things unless told to.
//!
//! The lock is `flock(2)` on `OUT/.sohoa.lock`: the system releases it when its process ends,
//! however it ends, so a killed run never leaves a stale lock behind.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

/// Name of the lock file inside OUT.
pub const LOCK_FILE: &str = ".sohoa.lock";

/// What sohoa itself writes at the top of OUT; anything else there is someone else's.
pub const OWN_ENTRIES: &[&str] = &[
    LOCK_FILE,
    "run.json",
    "report.json",
    "pages",
    "records",
    "import",
    "delivery",
    "journal.sqlite",
    "journal.sqlite-wal",
    "journal.sqlite-shm",
    "acceptance.json",
    "acceptance.html",
    "shards",
];

#[derive(Debug, thiserror::Error)]
pub enum OutError {
    #[error("{path}: another sohoa is working on this output folder ({holder}); wait until it ends, or stop it")]
    Busy { path: PathBuf, holder: String },
    #[error("{path}: cannot lock the output folder: {source}")]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: the output folder holds files sohoa did not write ({examples}); choose a new or empty folder, or pass --force to write sohoa's files beside them")]
    Foreign { path: PathBuf, examples: String },
    #[error("{path}: is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("{path}: cannot read the output folder: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Held while a command writes OUT; dropping it (or the process ending) releases it.
#[derive(Debug)]
pub struct OutLock {
    _file: File,
}

impl OutLock {
    /// Takes the folder for this process, or says who holds it. `what` describes the command
    /// for whoever finds the folder busy.
    pub fn acquire(out: &Path, what: &str) -> Result<OutLock, OutError> {
        Self::take(out, what, libc::LOCK_EX)
    }

    /// Shares the folder with other shard runs (`run --shard`), which coordinate by book locks:
    /// a command that needs the folder alone (`emit`, `package`, a single run) waits for them all.
    pub fn acquire_shared(out: &Path, what: &str) -> Result<OutLock, OutError> {
        Self::take(out, what, libc::LOCK_SH)
    }

    fn take(out: &Path, what: &str, mode: libc::c_int) -> Result<OutLock, OutError> {
        let path = out.join(LOCK_FILE);
        let lock_err = |source| OutError::Lock {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(out).map_err(lock_err)?;
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(lock_err)?;
        // SAFETY: flock on a descriptor this function owns.
        let rc = unsafe { libc::flock(file.as_raw_fd(), mode | libc::LOCK_NB) };
        if rc != 0 {
            let err = std::io::Error::last_os_error();
            if err.kind() == std::io::ErrorKind::WouldBlock {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(OutError::Busy {
                    path: out.to_path_buf(),
                    holder: if holder.is_empty() {
                        "it has not said who it is yet".into()
                    } else {
                        holder.to_string()
                    },
                });
            }
            return Err(lock_err(err));
        }
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "this machine".into());
        let since = crate::clock::now_utc();
        let note = format!(
            "{what}, process {} on {host}, since {since}",
            std::process::id()
        );
        let note = if mode == libc::LOCK_SH {
            format!("shard runs, the last started: {note}")
        } else {
            note
        };
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = file.write_all(note.as_bytes());
        Ok(OutLock { _file: file })
    }
}

/// Checks that `out` may receive a run's files: it does not exist yet, is empty, or holds an
/// earlier run of sohoa (`run.json`); with `force`, any folder will do.
pub fn check_for_run(out: &Path, force: bool) -> Result<(), OutError> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(OutError::NotAFolder {
            path: out.to_path_buf(),
        });
    }
    if force || out.join("run.json").is_file() {
        return Ok(());
    }
    let read_err = |source| OutError::Read {
        path: out.to_path_buf(),
        source,
    };
    let mut foreign: Vec<String> = Vec::new();
    for e in std::fs::read_dir(out).map_err(read_err)? {
        let e = e.map_err(read_err)?;
        let name = e.file_name().to_string_lossy().into_owned();
        // A file being written atomically by another sohoa (a shard starting beside this one).
        let in_flight = name.starts_with(crate::store::TEMP_PREFIX);
        if !OWN_ENTRIES.contains(&name.as_str()) && !in_flight {
            foreign.push(name);
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let more = foreign.len().saturating_sub(5);
    let mut examples = foreign.into_iter().take(5).collect::<Vec<_>>().join(", ");
    if more > 0 {
        examples += &format!(" and {more} more");
    }
    Err(OutError::Foreign {
        path: out.to_path_buf(),
        examples,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_and_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutLock::acquire(dir.path(), "sohoa run scans").unwrap();
        // flock locks belong to the open file: a second open in this process conflicts too.
        let err = OutLock::acquire(dir.path(), "sohoa package").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("another sohoa"), "{text}");
        assert!(text.contains("sohoa run scans"), "{text}");
        assert!(text.contains(&std::process::id().to_string()), "{text}");
        drop(first);
        OutLock::acquire(dir.path(), "sohoa package").unwrap();
    }

    #[test]
    fn shard_runs_share_the_folder_and_keep_out_a_command_that_needs_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        let a = OutLock::acquire_shared(dir.path(), "sohoa run --shard 0/2").unwrap();
        let b = OutLock::acquire_shared(dir.path(), "sohoa run --shard 1/2").unwrap();
        let err = OutLock::acquire(dir.path(), "sohoa emit")
            .unwrap_err()
            .to_string();
        assert!(err.contains("--shard 1/2"), "{err}");
        drop((a, b));
        let alone = OutLock::acquire(dir.path(), "sohoa emit").unwrap();
        assert!(OutLock::acquire_shared(dir.path(), "sohoa run --shard 0/2").is_err());
        drop(alone);
    }

    #[test]
    fn a_folder_of_other_files_is_refused_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert!(check_for_run(&out, false).is_ok(), "a new folder");
        std::fs::create_dir_all(&out).unwrap();
        assert!(check_for_run(&out, false).is_ok(), "an empty folder");
        std::fs::write(out.join("thesis.docx"), b"mine").unwrap();
        std::fs::write(out.join("report.json"), b"{}").unwrap();
        std::fs::write(out.join(".sohoa-tmp1a2b3c"), b"{").unwrap();
        let err = check_for_run(&out, false).unwrap_err().to_string();
        assert!(
            err.contains("thesis.docx") && err.contains("--force"),
            "{err}"
        );
        assert!(
            !err.contains("report.json") && !err.contains(".sohoa-tmp"),
            "{err}"
        );
        assert!(check_for_run(&out, true).is_ok());
        std::fs::write(out.join("run.json"), b"{}").unwrap();
        assert!(
            check_for_run(&out, false).is_ok(),
            "an earlier run's folder"
        );
        let file = dir.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        assert!(matches!(
            check_for_run(&file, true),
            Err(OutError::NotAFolder { .. })
        ));
    }
}
