//! The readers of a batch, kept between pages. Each reader's worker decodes the page it was told
//! comes next while sohoa extracts the entries of the one it just read; the pool hands that
//! reader the page when it comes, so the decoding done ahead is not lost to another reader.

use super::{PageReading, ReadRequest};
use std::sync::Mutex;

#[derive(Default)]
pub struct ReaderPool {
    idle: Mutex<Vec<Box<dyn PageReading>>>,
}

impl ReaderPool {
    pub fn new() -> Self {
        Self::default()
    }

    /// An idle reader for `request`: the one holding its page decoded ahead if there is one,
    /// else the one given back last; `None` when every reader is busy.
    pub fn take(&self, request: &ReadRequest) -> Option<Box<dyn PageReading>> {
        let mut idle = self.idle.lock().ok()?;
        let holding = idle
            .iter()
            .position(|r| r.decoded_ahead().is_some_and(|a| a.is_for(request)));
        match holding {
            Some(i) => Some(idle.remove(i)),
            None => idle.pop(),
        }
    }

    pub fn give_back(&self, reader: Box<dyn PageReading>) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(reader);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{PageKey, PageSource};
    use crate::reading::{NextPage, ReadReply};
    use std::time::Duration;

    /// A reader that only says which page it holds.
    struct Holding(Option<NextPage>, &'static str);

    impl PageReading for Holding {
        fn read(&mut self, _: &ReadRequest, _: Duration) -> ReadReply {
            ReadReply::failed(crate::page::Stage::Ocr, self.1)
        }
        fn decoded_ahead(&self) -> Option<&NextPage> {
            self.0.as_ref()
        }
    }

    fn request(page: u32) -> ReadRequest {
        let source = PageSource {
            key: PageKey {
                book_id: "b".into(),
                page,
            },
            file: format!("page-{page}.png"),
            file_bytes: None,
            frame: 0,
            sha256: "unreadable".into(),
        };
        ReadRequest::new(
            std::path::Path::new(&source.file),
            &source,
            &Default::default(),
        )
    }

    fn name(reader: &mut Box<dyn PageReading>) -> String {
        match reader.read(&request(0), Duration::ZERO) {
            ReadReply::Failed { reason, .. } => reason,
            ReadReply::Read { .. } => unreachable!(),
        }
    }

    #[test]
    fn the_reader_holding_a_page_gets_it() {
        let pool = ReaderPool::new();
        let ahead = |page| Some(NextPage::of(&request(page)));
        pool.give_back(Box::new(Holding(ahead(2), "holds 2")));
        pool.give_back(Box::new(Holding(ahead(7), "holds 7")));
        pool.give_back(Box::new(Holding(None, "holds none")));
        assert_eq!(name(&mut pool.take(&request(2)).unwrap()), "holds 2");
        // No reader holds page 5: the one given back last.
        assert_eq!(name(&mut pool.take(&request(5)).unwrap()), "holds none");
        assert_eq!(name(&mut pool.take(&request(9)).unwrap()), "holds 7");
        assert!(pool.take(&request(1)).is_none());
    }
}
