//! Vietnamese text helpers shared by every stage: NFC, the folded comparison form, title case.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Unicode NFC: the only form sohoa stores and compares.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Folded comparison form: marks stripped, đ -> d, lower case, NFC input assumed or not.
/// `Nguyễn` and `NGUYEN` fold to `nguyen`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            // Tesseract sometimes reads đ as the Icelandic eth.
            'ð' | 'Ð' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Folded form with everything but letters and digits removed (spaces and punctuation too):
/// for comparing labels whose punctuation OCR garbles.
pub fn fold_compact(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Lower case keeping marks, NFC.
pub fn lower(s: &str) -> String {
    nfc(&s.to_lowercase())
}

/// Title case for names and places: first letter of each space-separated word upper, the rest
/// lower (`NGUYỄN THỊ hằng` -> `Nguyễn Thị Hằng`). Whitespace is collapsed.
pub fn title_case(s: &str) -> String {
    let words: Vec<String> = s
        .split_whitespace()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect();
    nfc(&words.join(" "))
}

/// Collapses runs of whitespace to one space and trims.
pub fn squash_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when the character is a Vietnamese letter or ASCII letter (marks included).
pub fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_marks_and_d_bar() {
        assert_eq!(fold("Nguyễn Đức"), "nguyen duc");
        assert_eq!(fold("ĐẶNG"), "dang");
        // NFD input folds the same as NFC input.
        assert_eq!(fold("Nguye\u{302}\u{303}n"), "nguyen");
        assert_eq!(fold_compact("Họ, chữ đệm, tên:"), "hochudemten");
    }

    #[test]
    fn title_cases_vietnamese_names() {
        assert_eq!(title_case("NGUYỄN  THỊ hằng"), "Nguyễn Thị Hằng");
        assert_eq!(title_case("đặng văn lâm"), "Đặng Văn Lâm");
    }
}
