//! Messages between sohoa and its OCR workers over pipes: a 4-byte little-endian length, then
//! that many bytes of JSON. A clean end of input between messages is the end of the talk.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::{self, Read, Write};

/// Larger than any page's words (a dense page gives a few MB of JSON); a larger length is a
/// broken stream, not a message.
const MAX_FRAME: u32 = 256 << 20;

pub fn write_frame(w: &mut impl Write, message: &impl Serialize) -> io::Result<()> {
    let bytes = serde_json::to_vec(message).map_err(io::Error::other)?;
    let len = u32::try_from(bytes.len())
        .ok()
        .filter(|n| *n <= MAX_FRAME)
        .ok_or_else(|| io::Error::other("message too large"))?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(&bytes)?;
    w.flush()
}

/// The next message, or `None` when the stream ended cleanly before one.
pub fn read_frame<T: DeserializeOwned>(r: &mut impl Read) -> io::Result<Option<T>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_le_bytes(len);
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a message of {len} bytes announced: the stream is broken"),
        ));
    }
    let mut bytes = vec![0u8; len as usize];
    r.read_exact(&mut bytes)?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_end_cleanly() {
        let mut buf = Vec::new();
        write_frame(&mut buf, &vec!["một", "hai"]).unwrap();
        write_frame(&mut buf, &7u32).unwrap();
        let mut r = io::Cursor::new(buf);
        assert_eq!(
            read_frame::<Vec<String>>(&mut r).unwrap(),
            Some(vec!["một".to_string(), "hai".to_string()])
        );
        assert_eq!(read_frame::<u32>(&mut r).unwrap(), Some(7));
        assert_eq!(read_frame::<u32>(&mut r).unwrap(), None);
    }

    #[test]
    fn a_broken_stream_is_an_error_not_a_huge_allocation() {
        let mut r = io::Cursor::new(u32::MAX.to_le_bytes().to_vec());
        assert!(read_frame::<u32>(&mut r).is_err());
        let mut cut = Vec::new();
        write_frame(&mut cut, &"a long enough message").unwrap();
        cut.truncate(10);
        assert!(read_frame::<String>(&mut io::Cursor::new(cut)).is_err());
    }
}
