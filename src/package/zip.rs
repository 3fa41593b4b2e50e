//! The book's ZIP of entry PDFs, with the `zip` crate. Members are stored (a PDF of JPEGs does
//! not deflate) in the order given, with a fixed timestamp and permissions, so the same PDFs
//! give the same ZIP bytes.

use std::io::Write;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A ZIP holding `members` (name, bytes) in order.
pub fn zip_bytes(members: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut writer = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in members {
        writer.start_file(name.as_str(), options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_members_same_bytes_and_names_read_back_in_order() {
        let members = vec![
            ("KS.2008.01.2008-01-15.002.pdf".to_string(), b"two".to_vec()),
            ("KS.2008.01.2008-01-15.001.pdf".to_string(), b"one".to_vec()),
            ("Sổ.pdf".to_string(), b"x".to_vec()),
        ];
        let a = zip_bytes(&members).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert_eq!(a, zip_bytes(&members).unwrap());
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        let names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        assert_eq!(
            names,
            members.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>()
        );
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_index(1).unwrap(), &mut text).unwrap();
        assert_eq!(text, "one");
    }
}
