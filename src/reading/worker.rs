//! The OCR worker process (`sohoa ocr-worker`, started by `sohoa run`, not by people): reads
//! requests on stdin, reads each page with its one engine, answers on stdout, until stdin ends.

use super::local::LocalReader;
use super::protocol::{read_frame, write_frame};
use super::{PageReading, ReadReply, ReadRequest};
use crate::ocr::OcrConfig;
use crate::page::Stage;
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::os::fd::FromRawFd;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

/// Serves requests until the parent closes stdin.
pub fn serve(config: OcrConfig) -> std::io::Result<()> {
    // The answers go to a private copy of stdout, and stdout itself is pointed at stderr, so
    // that a message a library prints on stdout cannot break the stream of answers.
    // SAFETY: plain descriptor calls on this process's own standard descriptors.
    let answers = unsafe {
        let fd = libc::dup(1);
        if fd < 0 || libc::dup2(2, 1) < 0 {
            return Err(std::io::Error::last_os_error());
        }
        File::from_raw_fd(fd)
    };
    let mut answers = BufWriter::new(answers);
    let mut requests = BufReader::new(std::io::stdin().lock());
    let mut reader = LocalReader::new(config);
    // The model loads while the parent is still finding books and the first page decodes.
    reader.warm_up();
    while let Some(request) = read_frame::<ReadRequest>(&mut requests)? {
        let reply =
            std::panic::catch_unwind(AssertUnwindSafe(|| reader.read(&request, Duration::MAX)))
                .unwrap_or_else(|panic| {
                    let message = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown".into());
                    ReadReply::failed(
                        Stage::Ocr,
                        format!("internal error while reading the page: {message}"),
                    )
                });
        write_frame(&mut answers, &reply)?;
        // While sohoa extracts this page's entries, the next page is decoded.
        if let Some(next) = &request.next {
            reader.decode_ahead(next);
        }
    }
    Ok(())
}
