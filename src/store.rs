//! The page-result store: one JSON file per page under `OUT/pages/<book_id>/`, written
//! atomically as soon as the page is done. A run killed at any moment loses at most the pages in
//! flight; the final files are always rebuilt from what is stored here.

use crate::page::{PageKey, PageResult};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: cannot write the page result: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: cannot read the page result: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: the stored page result is damaged ({message}); the page will be redone")]
    Corrupt { path: PathBuf, message: String },
}

/// Page results of one output folder.
#[derive(Debug, Clone)]
pub struct PageStore {
    dir: PathBuf,
}

impl PageStore {
    /// Opens (and creates) `OUT/pages`.
    pub fn open(out: &Path) -> Result<Self, StoreError> {
        let dir = out.join("pages");
        std::fs::create_dir_all(&dir).map_err(|source| StoreError::Write {
            path: dir.clone(),
            source,
        })?;
        Ok(Self { dir })
    }

    pub fn path_for(&self, key: &PageKey) -> PathBuf {
        self.dir
            .join(&key.book_id)
            .join(format!("{:05}.json", key.page))
    }

    /// The stored result of a page: `Ok(None)` when there is none, `Err(Corrupt)` when the file
    /// cannot be parsed (the caller warns and redoes the page).
    pub fn load(&self, key: &PageKey) -> Result<Option<PageResult>, StoreError> {
        let path = self.path_for(key);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(StoreError::Read { path, source }),
        };
        match serde_json::from_slice::<PageResult>(&bytes) {
            Ok(r) if r.format == PageResult::FORMAT && &r.source.key == key => Ok(Some(r)),
            Ok(_) => Ok(None),
            Err(e) => Err(StoreError::Corrupt {
                path,
                message: e.to_string(),
            }),
        }
    }

    /// Writes a page result atomically: a temporary file in the same folder, flushed to disk,
    /// then renamed over the old one.
    pub fn save(&self, result: &PageResult) -> Result<(), StoreError> {
        let path = self.path_for(&result.source.key);
        let bytes = serde_json::to_vec(result).map_err(|e| StoreError::Write {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        write_atomic(&path, &bytes).map_err(|source| StoreError::Write { path, source })
    }
}

/// Name prefix of the temporary files of [`write_atomic`].
pub const TEMP_PREFIX: &str = ".sohoa-tmp";

/// Writes `bytes` to `path` so that readers see the old file or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// Like [`write_atomic`], for a file written piece by piece: `write` fills a temporary file in
/// the same folder, which is flushed to disk and renamed over `path` only when all went well.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    // Created as any file is (0666 less the umask), not 0600 as temporary files are: the
    // outputs are for the team and the Department to read.
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(parent)?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{PageOutcome, PageSource, Stage, StageTimes};

    fn result(page: u32) -> PageResult {
        PageResult {
            format: PageResult::FORMAT,
            source: PageSource {
                key: PageKey {
                    book_id: "b".into(),
                    page,
                },
                file: "b/p.png".into(),
                frame: 0,
                file_bytes: None,
                sha256: "abc".into(),
            },
            ocr_settings: "o".into(),
            extract_settings: "e".into(),
            outcome: PageOutcome::Failed {
                stage: Stage::Decode,
                reason: "x".into(),
            },
            times: StageTimes::default(),
            ocr: None,
        }
    }

    #[test]
    fn saves_and_loads_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let store = PageStore::open(dir.path()).unwrap();
        let r = result(3);
        assert!(store.load(&r.source.key).unwrap().is_none());
        store.save(&r).unwrap();
        assert_eq!(store.load(&r.source.key).unwrap(), Some(r.clone()));
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("pages/b"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn written_files_follow_the_umask_not_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        write_atomic(&path, b"{}").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        // SAFETY: reading the umask means setting it; set straight back.
        let umask = unsafe {
            let m = libc::umask(0o022);
            libc::umask(m);
            m
        } as u32;
        assert_eq!(mode, 0o666 & !umask, "mode {mode:o}");
    }

    #[test]
    fn corrupt_file_is_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let store = PageStore::open(dir.path()).unwrap();
        let r = result(1);
        let path = store.path_for(&r.source.key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"{\"format\": 1, \"sour").unwrap();
        assert!(matches!(
            store.load(&r.source.key),
            Err(StoreError::Corrupt { .. })
        ));
    }
}
