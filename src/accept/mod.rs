//! Sample-based acceptance, the Department of Justice's side of a delivery: a random sample of
//! the importable entries, stratified by book ([`sample`]); a verdict sheet with the crops of
//! every sampled field ([`sheet`]); the acceptance reviewer's verdicts recorded in the
//! corrections journal under the `acceptance` role; and the field and entry error rates with
//! 95% Wilson intervals, a verdict against a limit and a calibration table ([`stats`],
//! [`report`]).

pub mod report;
pub mod sample;
pub mod sheet;
pub mod stats;

use std::path::PathBuf;

/// Where acceptance keeps its files inside OUT.
pub const DIR: &str = "acceptance";

#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{path}, line {line}: {message}; no verdict of the file was recorded")]
    Row {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{0}")]
    Journal(#[from] crate::journal::JournalError),
}

impl AcceptError {
    pub fn file(path: impl Into<PathBuf>, message: impl std::fmt::Display) -> Self {
        AcceptError::File {
            path: path.into(),
            message: message.to_string(),
        }
    }
}

/// Text safe to put in HTML (element content and quoted attributes).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_a_value_is_escaped() {
        assert_eq!(
            super::escape_html("<img src=x onerror=\"a('1')\">&"),
            "&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt;&amp;"
        );
    }
}
