//! CSV files of a million rows formatted on every core: rows are made in chunks, each chunk
//! into its own buffer, and the buffers are written in order, so the file is byte for byte the
//! one a single writer makes (a CSV writer keeps no state from one record to the next).

use rayon::prelude::*;
use std::io::Write;
use std::path::Path;

/// Rows per chunk: large enough that a chunk's buffer amortises its set-up.
const CHUNK: usize = 8192;

/// Writes `header` then rows `0..count`, each written by `row` into the chunk's writer; the
/// file appears whole or not at all.
pub fn write_rows<F>(path: &Path, header: &[&str], count: usize, row: F) -> std::io::Result<()>
where
    F: Fn(usize, &mut csv::Writer<Vec<u8>>) -> csv::Result<()> + Sync,
{
    let chunks: Vec<Vec<u8>> = (0..count.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut w = csv::Writer::from_writer(Vec::new());
            for i in c * CHUNK..((c + 1) * CHUNK).min(count) {
                row(i, &mut w)?;
            }
            w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
        })
        .collect::<csv::Result<_>>()?;
    // Written aside and renamed into place: a run stopped half-way leaves the last whole file.
    crate::store::write_atomic_with(path, |file| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(header)?;
            w.flush()?;
        }
        for chunk in &chunks {
            out.write_all(chunk)?;
        }
        out.flush()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_the_one_a_single_writer_makes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.csv");
        let cell = |i: usize| match i % 4 {
            0 => format!("plain {i}"),
            1 => format!("comma, quote \" {i}"),
            2 => format!("line\nbreak {i}"),
            _ => String::new(),
        };
        let count = CHUNK * 2 + 17;
        write_rows(&path, &["n", "text"], count, |i, w| {
            w.write_record([i.to_string(), cell(i)])
        })
        .unwrap();
        let mut single = csv::Writer::from_writer(Vec::new());
        single.write_record(["n", "text"]).unwrap();
        for i in 0..count {
            single.write_record([i.to_string(), cell(i)]).unwrap();
        }
        assert_eq!(std::fs::read(&path).unwrap(), single.into_inner().unwrap());
    }
}
