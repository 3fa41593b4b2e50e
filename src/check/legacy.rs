//! Vietnamese text keyed in a legacy encoding, found cell by cell and brought to Unicode NFC
//! (domain reference 9).
//!
//! A workbook keyed in a TCVN3 (`.VnTime`) or VNI (`VNI-Times`) font holds the characters
//! Windows-1252 gives the font's bytes (`NguyÔn`, `Nguyeãn`); text saved in Windows-1258 and
//! read as Windows-1252 shows its combining tone bytes as letters (`NguyêÞn`); UTF-8 read as
//! Windows-1252 turns into `Nguyá»…n`. Each reading of a cell is judged by whether its words
//! are Vietnamese syllables: a cell is converted only when it does not read as Vietnamese as it
//! stands and one decoding makes every one of its words a syllable. Words holding letters that
//! only Unicode has (ễ, ư, đ) are Unicode already and stay as they are, so a cell keyed half in
//! each (`Nguyễn ThÞ Hằng`) has its legacy words converted. The font of the cell, where the
//! workbook names one, is the strongest witness (domain reference 9.2): a `.Vn` or `VNI-` font
//! decides for its encoding whenever that decoding reads as Vietnamese.
//!
//! Decomposed Unicode (a base letter followed by combining marks, as macOS and some keyboards
//! write) is the same text in another form: it is reported and composed (NFC).

use super::cp1252;
use super::legacy_table::LETTERS;
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// How a cell's text was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// TCVN 5712:1993 VN3 ("ABC"), fonts `.VnTime`, `.VnArial`.
    Tcvn3,
    /// VNI-Windows, fonts `VNI-Times`, `VNI-Helve`.
    Vni,
    /// Windows-1258 read as Windows-1252.
    Windows1258,
    /// UTF-8 read as Windows-1252 (`Nguyá»…n`).
    Utf8AsWindows1252,
    /// Unicode with separate combining marks (NFD, Unikey's "Unicode tổ hợp").
    Decomposed,
}

impl Encoding {
    pub fn name(&self) -> &'static str {
        match self {
            Encoding::Tcvn3 => "TCVN3 (ABC)",
            Encoding::Vni => "VNI",
            Encoding::Windows1258 => "Windows-1258",
            Encoding::Utf8AsWindows1252 => "UTF-8 read as Windows-1252",
            Encoding::Decomposed => "Unicode tổ hợp (NFD)",
        }
    }

    /// The encoding a font name gives away: `.VnTime` and its kin are TCVN3, `VNI-Times` and
    /// its kin VNI.
    pub fn of_font(font: &str) -> Option<Encoding> {
        let f = font.trim().to_ascii_lowercase();
        if f.starts_with(".vn") {
            Some(Encoding::Tcvn3)
        } else if f.starts_with("vni-") || f.starts_with("vni ") {
            Some(Encoding::Vni)
        } else {
            None
        }
    }
}

/// A cell's text in Unicode NFC and how it had been written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    pub encoding: Encoding,
    pub text: String,
}

/// The single-byte decodings tried word by word, in the order they win a tie (by how common
/// each was in keyed books). UTF-8 read as Windows-1252 is tried on the whole cell first.
const DECODINGS: [Encoding; 3] = [Encoding::Tcvn3, Encoding::Vni, Encoding::Windows1258];

/// Finds whether `text` was written in a legacy encoding or decomposed, and gives it in
/// Unicode NFC. `hint` is what the cell's font, or the rest of its sheet, says the encoding is:
/// it decides whenever its decoding reads as Vietnamese, even where the text could also be
/// Unicode ("Võ" in a `.VnTime` cell is TCVN3 "Vừ"). `None`: the text is Unicode NFC already
/// (or ASCII), or no decoding reads as Vietnamese.
pub fn detect(text: &str, hint: Option<Encoding>) -> Option<Conversion> {
    let composed: String = text.nfc().collect();
    let decomposed = composed != text;
    match convert_legacy(&composed, hint) {
        Some(c) => Some(c),
        None if decomposed => Some(Conversion {
            encoding: Encoding::Decomposed,
            text: composed,
        }),
        None => None,
    }
}

/// The encoding most of a sheet's text was keyed in, when its cells say so clearly: at least
/// three cells convert by their own evidence to one encoding, four times as many as cells
/// holding letters only Unicode has (ư, ơ, đ, ễ...), which no legacy text can hold. A keyer
/// keys a book in one font; the cells whose words read both ways ("Bè" is TCVN3 "Bố") are then
/// read in that font's encoding.
pub fn sheet_encoding<'a>(cells: impl IntoIterator<Item = &'a str>) -> Option<Encoding> {
    let mut counts: HashMap<Encoding, usize> = HashMap::new();
    let mut unicode = 0usize;
    for text in cells {
        if text
            .chars()
            .any(|c| cp1252::byte_of(c).is_none() && is_vietnamese_letter(c))
        {
            unicode += 1;
        } else if let Some(c) = detect(text, None) {
            *counts.entry(c.encoding).or_default() += 1;
        }
    }
    counts.remove(&Encoding::Decomposed);
    let (encoding, n) = counts
        .into_iter()
        .max_by_key(|(e, n)| (*n, DECODINGS.iter().rev().position(|d| d == e)))?;
    (n >= 3 && n >= 4 * unicode).then_some(encoding)
}

/// A piece of the cell: a run of spaces, or a word (whatever stands between spaces).
fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space.is_some_and(|s| s != space) {
            out.push(&text[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// A word that may be legacy text: every character has a Windows-1252 byte and one of them is
/// not ASCII.
fn legacy_bytes(word: &str) -> Option<Vec<u8>> {
    let bytes = cp1252::bytes_of(word)?;
    bytes.iter().any(|b| *b >= 0x80).then_some(bytes)
}

fn convert_legacy(text: &str, hint: Option<Encoding>) -> Option<Conversion> {
    if let Some(c) = utf8_read_as_windows1252(text) {
        return Some(c);
    }
    let pieces = pieces(text);
    let candidates: Vec<(usize, Vec<u8>)> = pieces
        .iter()
        .enumerate()
        .filter_map(|(i, p)| legacy_bytes(p).map(|b| (i, b)))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let reads_as_is = candidates.iter().all(|(i, _)| reads_vietnamese(pieces[*i]));
    let mut found: Vec<(Encoding, String)> = Vec::new();
    for encoding in DECODINGS {
        let Some(decoded) = decode_words(encoding, &pieces, &candidates) else {
            continue;
        };
        if decoded != text {
            found.push((encoding, decoded));
        }
    }
    let chosen = match hint.and_then(|h| found.iter().find(|(e, _)| *e == h)) {
        // The cell's font decides whenever its decoding reads as Vietnamese.
        Some(hinted) => hinted.clone(),
        None if reads_as_is => return None,
        None => found.into_iter().next()?,
    };
    Some(Conversion {
        encoding: chosen.0,
        text: chosen.1,
    })
}

/// UTF-8 bytes shown as Windows-1252 ("Nguyá»…n"): the whole cell goes back to its bytes,
/// which are valid UTF-8 and read as Vietnamese. (Split at spaces, it would lose the
/// no-break space 0xA0 that UTF-8 uses inside "à".)
fn utf8_read_as_windows1252(text: &str) -> Option<Conversion> {
    let bytes = cp1252::bytes_of(text)?;
    if bytes.iter().filter(|b| **b >= 0x80).count() < 2 {
        return None;
    }
    let decoded = String::from_utf8(bytes).ok()?;
    let reads = decoded != text && pieces(&decoded).iter().all(|w| reads_vietnamese(w));
    reads.then_some(Conversion {
        encoding: Encoding::Utf8AsWindows1252,
        text: decoded.nfc().collect(),
    })
}

/// The cell with its legacy words decoded, when every decoded word reads as Vietnamese.
fn decode_words(
    encoding: Encoding,
    pieces: &[&str],
    candidates: &[(usize, Vec<u8>)],
) -> Option<String> {
    let mut out: Vec<String> = pieces.iter().map(|p| p.to_string()).collect();
    for (i, bytes) in candidates {
        let word = decode(encoding, bytes)?;
        out[*i] = word;
    }
    if encoding == Encoding::Tcvn3 {
        restore_tcvn3_capitals(&mut out, candidates);
    }
    candidates
        .iter()
        .all(|(i, _)| reads_vietnamese(&out[*i]))
        .then(|| out.concat())
}

/// Decodes a word's bytes; `None` when a byte has no meaning in the encoding.
pub fn decode(encoding: Encoding, bytes: &[u8]) -> Option<String> {
    match encoding {
        Encoding::Tcvn3 => bytes
            .iter()
            .map(|&b| match b {
                0x00..=0x7F => Some(b as char),
                // Windows-1252 punctuation stays what it is in VN3 text.
                0x80..=0x9F => Some(cp1252::char_of(b)),
                _ => tables().tcvn3.get(&b).copied(),
            })
            .collect(),
        Encoding::Vni => {
            let t = tables();
            let mut out = String::new();
            let mut i = 0;
            while i < bytes.len() {
                if let Some(c) = bytes.get(i..i + 2).and_then(|pair| t.vni.get(pair)) {
                    out.push(*c);
                    i += 2;
                } else if bytes[i] < 0x80 {
                    out.push(bytes[i] as char);
                    i += 1;
                } else {
                    out.push(*t.vni.get(&bytes[i..i + 1])?);
                    i += 1;
                }
            }
            Some(out)
        }
        Encoding::Windows1258 => {
            let text: Option<String> = bytes.iter().map(|&b| windows1258_char(b)).collect();
            Some(text?.nfc().collect())
        }
        Encoding::Utf8AsWindows1252 => String::from_utf8(bytes.to_vec()).ok(),
        Encoding::Decomposed => None,
    }
}

/// Windows-1258: Windows-1252 with Vietnamese letters and the five combining tones in place of
/// some Latin-1 letters.
fn windows1258_char(b: u8) -> Option<char> {
    Some(match b {
        0xC3 => 'Ă',
        0xCC => '\u{300}',
        0xD0 => 'Đ',
        0xD2 => '\u{309}',
        0xD5 => 'Ơ',
        0xDD => 'Ư',
        0xDE => '\u{303}',
        0xE3 => 'ă',
        0xEC => '\u{301}',
        0xF0 => 'đ',
        0xF2 => '\u{323}',
        0xF5 => 'ơ',
        0xFD => 'ư',
        0xFE => '₫',
        // Undefined in the code page.
        0x81 | 0x8A | 0x8D | 0x8E | 0x8F | 0x90 | 0x9A | 0x9D | 0x9E => return None,
        _ => cp1252::char_of(b),
    })
}

/// TCVN3 has no toned capitals: a word typed in a capitals font decodes with lower-case toned
/// letters among capitals ("NGUYễN"). In a cell whose ASCII letters are all capitals (at least
/// two of them) every decoded word is a capital word; elsewhere a word opening with a toned
/// letter, in a cell whose other words are capitalised, opens with a capital ("Lê ánh" is "Lê
/// Ánh"). A lone capital before toned letters ("Lê" or "LÊ") stays as decoded.
fn restore_tcvn3_capitals(words: &mut [String], candidates: &[(usize, Vec<u8>)]) {
    let ascii_upper: usize = words
        .iter()
        .map(|w| w.chars().filter(char::is_ascii_uppercase).count())
        .sum();
    let ascii_lower = words
        .iter()
        .any(|w| w.chars().any(|c| c.is_ascii_lowercase()));
    if ascii_upper >= 2 && !ascii_lower {
        for (i, _) in candidates {
            words[*i] = words[*i].to_uppercase();
        }
        return;
    }
    let opens_toned = |w: &str| {
        w.chars()
            .next()
            .is_some_and(|c| !c.is_ascii() && c.is_lowercase())
    };
    let others_capitalised = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphabetic) && !opens_toned(w))
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    if !others_capitalised {
        return;
    }
    for (i, _) in candidates {
        if opens_toned(&words[*i]) {
            let mut chars = words[*i].chars();
            let first = chars.next().expect("a first letter");
            words[*i] = first.to_uppercase().chain(chars).collect();
        }
    }
}

/// Byte sequences of each encoding, built once from the letter table.
struct Tables {
    tcvn3: HashMap<u8, char>,
    vni: HashMap<Vec<u8>, char>,
    /// Every Vietnamese letter with a mark, both cases.
    marked: Vec<char>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Tables {
            tcvn3: HashMap::new(),
            vni: HashMap::new(),
            marked: Vec::new(),
        };
        for l in LETTERS {
            t.tcvn3.insert(l.tcvn3[0], l.lower);
            if l.tcvn3_upper != l.tcvn3 {
                t.tcvn3.insert(l.tcvn3_upper[0], l.upper);
            }
            t.vni.insert(l.vni.to_vec(), l.lower);
            t.vni.insert(l.vni_upper.to_vec(), l.upper);
            t.marked.extend([l.lower, l.upper]);
        }
        t
    })
}

/// A Vietnamese letter: an ASCII letter or one of the marked letters.
fn is_vietnamese_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || tables().marked.contains(&c)
}

/// Whether a word reads as Vietnamese: each part between ASCII punctuation is plain ASCII (a
/// number, an abbreviation, an unmarked name: no evidence either way) or a Vietnamese syllable
/// in lower, capitalised or capital letters, allowing the consonant clusters that open the
/// words of the Central Highlands' languages ("Blô", "Brâu", "Mlô", "đham"). The same measure
/// judges a cell as it stands and decoded, so a name that reads one way is never "converted".
pub fn reads_vietnamese(word: &str) -> bool {
    word.split(|c: char| c.is_ascii_punctuation() || c.is_whitespace() || TYPOGRAPHY.contains(&c))
        .filter(|p| !p.is_empty())
        .all(|p| p.is_ascii() || is_syllable(p) || is_clustered_syllable(p))
}

/// One or two consonants before a syllable: "Blô" is b + "lô", "Kđăm" k + "đăm".
fn is_clustered_syllable(word: &str) -> bool {
    // A word opening with a Vietnamese digraph takes it whole ("Chuỡ" is no c + "huỡ").
    let lower = word.to_lowercase();
    if ["ng", "gh", "gi", "kh", "ph", "th", "tr", "ch", "nh", "qu"]
        .iter()
        .any(|d| lower.starts_with(d))
    {
        return false;
    }
    let consonant = |c: char| "bcdđghklmnprstvx".contains(c.to_lowercase().next().unwrap_or(c));
    let chars: Vec<char> = word.chars().collect();
    (1..=2).any(|n| {
        chars.len() > n
            && chars[..n].iter().all(|&c| consonant(c))
            && case_ok(&chars)
            && is_syllable(&chars[n..].iter().collect::<String>().to_lowercase())
    })
}

/// Lower case, capitalised, or capitals throughout.
fn case_ok(chars: &[char]) -> bool {
    let rest = chars.get(1..).unwrap_or_default();
    rest.iter().all(|c| c.is_lowercase())
        || (chars.first().is_some_and(|c| c.is_uppercase())
            && rest.iter().all(|c| c.is_uppercase()))
}

/// Punctuation of typed text outside ASCII that no legacy encoding uses for a letter.
const TYPOGRAPHY: [char; 10] = ['–', '—', '…', '‘', '’', '“', '”', '•', '°', '€'];

/// Tone marks (combining).
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// Onsets, longest first.
const ONSETS: &[&str] = &[
    "ngh", "ng", "gh", "gi", "kh", "ph", "th", "tr", "ch", "nh", "qu", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

/// Every rhyme of Vietnamese spelling, without its tone.
const RHYMES: &[&str] = &[
    "a", "ai", "ao", "au", "ay", "am", "an", "ang", "anh", "ap", "at", "ac", "ach", "ăm", "ăn",
    "ăng", "ăp", "ăt", "ăc", "âu", "ây", "âm", "ân", "âng", "âp", "ât", "âc", "e", "eo", "em",
    "en", "eng", "ep", "et", "ec", "ê", "êu", "êm", "ên", "ênh", "êp", "êt", "êch", "i", "ia",
    "iu", "im", "in", "inh", "ip", "it", "ich", "iêu", "iêm", "iên", "iêng", "iêp", "iêt", "iêc",
    "o", "oi", "om", "on", "ong", "op", "ot", "oc", "oa", "oai", "oao", "oay", "oam", "oan",
    "oang", "oanh", "oap", "oat", "oac", "oach", "oăm", "oăn", "oăng", "oăp", "oăt", "oăc", "oe",
    "oeo", "oen", "oet", "ô", "ôi", "ôm", "ôn", "ông", "ôp", "ôt", "ôc", "ơ", "ơi", "ơm", "ơn",
    "ơp", "ơt", "u", "ua", "ui", "um", "un", "ung", "up", "ut", "uc", "uân", "uâng", "uât", "uâc",
    "uây", "uê", "uêch", "uênh", "uôi", "uôm", "uôn", "uông", "uôt", "uôc", "uơ", "uy", "uya",
    "uyu", "uych", "uynh", "uyt", "uyp", "uyên", "uyêt", "ư", "ưa", "ưi", "ưu", "ưm", "ưn", "ưng",
    "ưt", "ưc", "ươi", "ươu", "ươm", "ươn", "ương", "ươp", "ươt", "ươc", "y", "yêu", "yêm", "yên",
    "yêng", "yêt", "ynh", "yt",
];

/// A Vietnamese syllable as spelled: Vietnamese letters only, in lower, capitalised or capital
/// letters, at most one tone, an onset and a rhyme of the spelling, the tone on the vowel that
/// carries it (old and new placement both: "hòa" and "hoà"), and a rhyme closed by p, t, c or ch
/// carrying the rising or the heavy tone. A legacy text read in the wrong encoding almost always
/// breaks one of these ("Leõ", "BAỈ").
pub fn is_syllable(word: &str) -> bool {
    if word.is_empty() || !word.chars().all(is_vietnamese_letter) {
        return false;
    }
    if !case_ok(&word.chars().collect::<Vec<_>>()) {
        return false;
    }
    // Each letter without its tone, and where the tone stands.
    let mut letters: Vec<char> = Vec::new();
    let mut tone: Option<(usize, char)> = None;
    for c in word.to_lowercase().chars() {
        let decomposed: Vec<char> = c.nfd().collect();
        let marks: Vec<char> = decomposed
            .iter()
            .copied()
            .filter(|m| TONES.contains(m))
            .collect();
        if let Some(&t) = marks.first() {
            if marks.len() > 1 || tone.is_some() {
                return false;
            }
            tone = Some((letters.len(), t));
        }
        let base: String = decomposed.iter().filter(|m| !TONES.contains(m)).collect();
        letters.push(base.nfc().next().unwrap_or(c));
    }
    let base: String = letters.iter().collect();
    let checked = ["p", "t", "c", "ch"]
        .iter()
        .any(|stop| base.ends_with(stop));
    if checked && !tone.is_some_and(|(_, t)| matches!(t, '\u{301}' | '\u{323}')) {
        return false;
    }
    ONSETS.iter().any(|onset| {
        let Some(rhyme) = base.strip_prefix(onset) else {
            return false;
        };
        let onset_len = onset.chars().count();
        RHYMES.contains(&rhyme)
            && onset_fits(onset, rhyme)
            && tone.is_none_or(|(at, _)| {
                at >= onset_len && tone_fits(&letters[onset_len..], at - onset_len)
            })
    })
}

/// Rhymes only some onsets take: "uơ" is written after h, th and kh alone ("thuở", "huơ").
fn onset_fits(onset: &str, rhyme: &str) -> bool {
    rhyme != "uơ" || matches!(onset, "h" | "th" | "kh")
}

/// Whether the tone stands on the vowel of the rhyme that carries it: the marked vowel (â, ơ,
/// the ơ of ươ, the ê of iê) when there is one; else the last vowel before a final consonant;
/// else, in an open rhyme, the first of two vowels (the second too for oa, oe, uy: "hoà"),
/// the middle of three.
fn tone_fits(rhyme: &[char], at: usize) -> bool {
    let vowel = |c: &char| "aăâeêioôơuưy".contains(*c);
    let run: Vec<usize> = (0..rhyme.len()).take_while(|&i| vowel(&rhyme[i])).collect();
    if !run.contains(&at) {
        return false;
    }
    if let Some(marked) = run.iter().rev().find(|&&i| "ăâêôơư".contains(rhyme[i])) {
        return at == *marked;
    }
    let closed = run.len() < rhyme.len();
    if closed {
        return at == *run.last().expect("a vowel");
    }
    match run.len() {
        1 => true,
        2 => {
            let pair: String = rhyme[..2].iter().collect();
            at == 0 || matches!(pair.as_str(), "oa" | "oe" | "uy")
        }
        _ => at == 1,
    }
}

#[cfg(test)]
mod tests;
