//! Opening workbooks that come from outside (registry exports, keyed workbooks, filled review
//! queues) safely. An XLSX is a ZIP of XML parts; a hostile or broken one can inflate a few MB
//! into gigabytes (a 2 MB workbook whose shared strings inflated to 2 GiB ended the process in
//! "memory allocation failed"). Before a workbook is parsed, every part is inflated once into
//! nothing, counting, and the workbook is refused when the count passes the limits.

use std::io::Read;
use std::path::{Path, PathBuf};

/// How far a workbook may inflate.
#[derive(Debug, Clone)]
pub struct InflationLimits {
    /// Inflated bytes always allowed, whatever the file's size.
    pub floor: u64,
    /// Inflated bytes allowed per byte of the file above the floor. Spreadsheet XML packs 5-20
    /// times (100 for long runs of empty cells); zip bombs pack a thousand times and more.
    pub ratio: u64,
    /// Inflated bytes never allowed, whatever the file's size: a parsed workbook takes several
    /// times its XML in memory.
    pub ceiling: u64,
    /// Parts a workbook may hold (a real one has a few dozen).
    pub max_parts: usize,
}

impl Default for InflationLimits {
    fn default() -> Self {
        Self {
            floor: 256 << 20,
            ratio: 200,
            ceiling: 6 << 30,
            max_parts: 10_000,
        }
    }
}

impl InflationLimits {
    fn allowed(&self, file_bytes: u64) -> u64 {
        self.floor
            .max(file_bytes.saturating_mul(self.ratio))
            .min(self.ceiling)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("{path}: cannot open the workbook: {message}")]
    Open { path: PathBuf, message: String },
    #[error(
        "{path}: the workbook holds {parts} parts (a real one has a few dozen); it is not read"
    )]
    TooManyParts { path: PathBuf, parts: usize },
    #[error("{path}: the workbook is not a valid XLSX file ({message}); save it again from Excel or LibreOffice")]
    NotZip { path: PathBuf, message: String },
    #[error("{path}: the workbook would take more than {limit_mb} MB once unpacked (a file of {file_kb} kB; part {part} passes it): it is damaged or built to exhaust memory, and is not read")]
    TooLarge {
        path: PathBuf,
        limit_mb: u64,
        file_kb: u64,
        part: String,
    },
}

/// Inflates every part of the workbook at `path` and refuses it when it inflates beyond the
/// limits. Counting costs one inflation of the parts, which parsing needs anyway.
pub fn check_inflation(path: &Path, limits: &InflationLimits) -> Result<(), WorkbookError> {
    let open_err = |e: &dyn std::fmt::Display| WorkbookError::Open {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(|e| open_err(&e))?;
    let file_bytes = file.metadata().map_err(|e| open_err(&e))?.len();
    check_inflation_of(std::io::BufReader::new(file), file_bytes, path, limits)
}

/// [`check_inflation`] on a workbook already read (`file_bytes` long), named `path` in errors.
pub fn check_inflation_of(
    reader: impl std::io::Read + std::io::Seek,
    file_bytes: u64,
    path: &Path,
    limits: &InflationLimits,
) -> Result<(), WorkbookError> {
    let allowed = limits.allowed(file_bytes);
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| WorkbookError::NotZip {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    if archive.len() > limits.max_parts {
        return Err(WorkbookError::TooManyParts {
            path: path.to_path_buf(),
            parts: archive.len(),
        });
    }
    let too_large = |part: &str| WorkbookError::TooLarge {
        path: path.to_path_buf(),
        limit_mb: allowed >> 20,
        file_kb: file_bytes / 1024,
        part: part.to_string(),
    };
    let mut total: u64 = 0;
    let mut sink = vec![0u8; 1 << 16];
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(|e| WorkbookError::NotZip {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let name = part
            .name()
            .map_or_else(|_| format!("part {i}"), |n| n.to_string());
        // The declared size is checked first (cheap), then the real one (it can lie).
        if total.saturating_add(part.size()) > allowed {
            return Err(too_large(&name));
        }
        loop {
            let n = part.read(&mut sink).map_err(|e| WorkbookError::NotZip {
                path: path.to_path_buf(),
                message: format!("{name}: {e}"),
            })?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > allowed {
                return Err(too_large(&name));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A ZIP holding one part of `inflated` zero bytes, deflated.
    fn bomb(path: &Path, inflated: usize) {
        let file = std::fs::File::create(path).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/sharedStrings.xml", options).unwrap();
        let chunk = vec![b'A'; 1 << 20];
        let mut left = inflated;
        while left > 0 {
            let n = left.min(chunk.len());
            zip.write_all(&chunk[..n]).unwrap();
            left -= n;
        }
        zip.finish().unwrap();
    }

    #[test]
    fn a_workbook_that_inflates_far_beyond_its_size_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("registry.xlsx");
        bomb(&path, 64 << 20);
        let small = InflationLimits {
            floor: 8 << 20,
            ratio: 200,
            ceiling: 1 << 30,
            max_parts: 100,
        };
        assert!(std::fs::metadata(&path).unwrap().len() < 200_000);
        let err = check_inflation(&path, &small).unwrap_err();
        assert!(matches!(err, WorkbookError::TooLarge { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("registry.xlsx") && text.contains("sharedStrings"),
            "{text}"
        );
        // The same part is fine when the limits allow it.
        let roomy = InflationLimits {
            floor: 128 << 20,
            ..small
        };
        check_inflation(&path, &roomy).unwrap();
    }

    #[test]
    fn a_file_that_is_no_zip_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("registry.xlsx");
        std::fs::write(&path, "họ tên,ngày sinh\n").unwrap();
        let err = check_inflation(&path, &InflationLimits::default()).unwrap_err();
        assert!(matches!(err, WorkbookError::NotZip { .. }), "{err}");
        assert!(err.to_string().contains("registry.xlsx"));
    }
}
