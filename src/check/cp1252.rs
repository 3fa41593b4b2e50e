//! Windows-1252, the code page through which text keyed in a legacy Vietnamese font reaches a
//! workbook: the keyboard driver produced bytes, Windows stored them as the characters this code
//! page gives them (`NguyÔn`, `Traàn`), and the legacy font drew those characters as Vietnamese.
//! Going back from the characters to the bytes is the first step of every legacy decoding.

/// The characters of bytes 0x80..=0x9F; `None` where the code page leaves the byte undefined
/// (Windows then keeps the C1 control character of the same number).
const HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

/// The character Windows-1252 gives a byte.
pub fn char_of(byte: u8) -> char {
    match byte {
        0x80..=0x9F => HIGH[(byte - 0x80) as usize].unwrap_or(byte as char),
        _ => byte as char,
    }
}

/// The byte a character stands for in Windows-1252 (C1 controls count as their own byte, as
/// text decoded as ISO-8859-1 carries them); `None` for a character outside the code page, such
/// as every Vietnamese letter Unicode adds (ễ, ư, đ).
pub fn byte_of(c: char) -> Option<u8> {
    let code = c as u32;
    if code < 0x80 || (0xA0..=0xFF).contains(&code) || (0x80..=0x9F).contains(&code) {
        return Some(code as u8);
    }
    HIGH.iter()
        .position(|h| *h == Some(c))
        .map(|i| 0x80 + i as u8)
}

/// The bytes of a text, when every character is in the code page.
pub fn bytes_of(text: &str) -> Option<Vec<u8>> {
    text.chars().map(byte_of).collect()
}

/// Bytes read as Windows-1252 text (a CSV file that is not UTF-8).
pub fn decode(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char_of(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_goes_there_and_back() {
        for b in 0..=255u8 {
            assert_eq!(byte_of(char_of(b)), Some(b), "byte {b:#04x}");
        }
        assert_eq!(char_of(0x85), '…');
        assert_eq!(byte_of('ễ'), None);
        assert_eq!(
            bytes_of("NguyÔn"),
            Some(vec![0x4E, 0x67, 0x75, 0x79, 0xD4, 0x6E])
        );
    }
}
