//! Personal names: title case NFC, stray marks removed, each syllable checked against the
//! shape of Vietnamese syllables, and the commonest family names restored when OCR loses a
//! mark on capitals ("NGUYÊN" for "NGUYỄN", domain reference 8.5).

use crate::text::{fold, nfc, squash_spaces, title_case};
use unicode_normalization::UnicodeNormalization;

/// Family names whose folded form almost always means this spelling (domain reference 8.2).
const FAMILY_NAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Trịnh", "Lương", "Đoàn", "Lưu", "Vương", "Mai",
    "Cao", "Tạ", "Hà", "Quách", "Lâm", "Triệu", "Châu", "Thái", "Kiều", "Từ", "Tô", "Đào", "Lại",
    "Nông", "Lò", "Hứa", "Khổng", "Tăng", "Thân", "Mạc", "Âu", "Chu",
];

/// Tone marks (combining): a syllable carries at most one.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

const ONSETS: &[&str] = &[
    "ngh", "ng", "gh", "gi", "kh", "ph", "th", "tr", "ch", "nh", "qu", "b", "c", "d", "g", "h",
    "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];
const CODAS: &[&str] = &[
    "ch", "ng", "nh", "c", "m", "n", "p", "t", "i", "y", "o", "u", "",
];

/// True when a syllable has the shape of a Vietnamese one: onset, vowel nucleus, coda, at most
/// one tone mark. Loose on purpose (it tells OCR garbage from names, not spelling).
pub fn is_syllable(word: &str) -> bool {
    let tones = word.nfd().filter(|c| TONES.contains(c)).count();
    if tones > 1 {
        return false;
    }
    let f = fold(word);
    if f.is_empty() || !f.chars().all(|c| c.is_ascii_lowercase()) {
        return false;
    }
    ONSETS.iter().any(|onset| {
        let Some(rest) = f.strip_prefix(onset) else {
            return false;
        };
        CODAS.iter().any(|coda| {
            rest.strip_suffix(coda).is_some_and(|nucleus| {
                !nucleus.is_empty()
                    && nucleus.len() <= 3
                    && nucleus.chars().all(|c| "aeiouy".contains(c))
            })
        })
    })
}

/// A name in title case with its fit: 1 when every syllable is well formed, lower for each
/// that is not or was repaired.
pub fn normalize_name(raw: &str) -> (String, f32) {
    let cleaned: String = nfc(raw)
        .chars()
        .map(|c| if crate::text::is_letter(c) { c } else { ' ' })
        .collect();
    let mut words: Vec<String> = squash_spaces(&cleaned)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(title_case)
        .collect();
    if words.is_empty() {
        return (String::new(), 0.0);
    }
    let mut fit: f32 = if cleaned.trim() == nfc(raw).trim() {
        1.0
    } else {
        0.9
    };
    // Specks read as letters after the name ("Hồ Văn Cảnh Mm"): a short non-syllable at the
    // end is not part of it.
    while words.len() > 2
        && words
            .last()
            .is_some_and(|w| w.chars().count() <= 2 && !is_syllable(w))
    {
        words.pop();
        fit = fit.min(0.85);
    }
    if let Some(first) = words.first_mut() {
        let f = fold(first);
        if let Some(canon) = FAMILY_NAMES.iter().find(|n| fold(n) == f) {
            if first != canon {
                *first = canon.to_string();
                fit = fit.min(0.92);
            }
        }
    }
    // "Thị" is the middle name of most women; "Thi" there is nearly always a lost dot.
    if words.len() >= 3 && words[1] == "Thi" {
        words[1] = "Thị".into();
        fit = fit.min(0.95);
    }
    let bad = words.iter().filter(|w| !is_syllable(w)).count();
    fit *= 0.6f32.powi(bad as i32);
    if words.len() == 1 {
        // A one-word name is possible (some minorities) but more often a misread.
        fit *= 0.8;
    }
    (words.join(" "), fit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_title_case_nfc() {
        assert_eq!(normalize_name("NGUYỄN THỊ HẰNG").0, "Nguyễn Thị Hằng");
        assert_eq!(normalize_name("trần  văn   an").0, "Trần Văn An");
        // Decomposed input comes out composed.
        assert_eq!(
            normalize_name("Nguye\u{302}\u{303}n Va\u{306}n A").0,
            "Nguyễn Văn A"
        );
        assert_eq!(normalize_name("Lê Thị Lụa").1, 1.0);
    }

    #[test]
    fn a_lost_mark_on_a_family_name_is_restored_with_doubt() {
        let (n, fit) = normalize_name("NGUYÊN VĂN BÌNH");
        assert_eq!(n, "Nguyễn Văn Bình");
        assert!(fit < 1.0);
    }

    #[test]
    fn a_speck_after_the_name_is_dropped() {
        let (n, fit) = normalize_name("Hồ Văn Cảnh Mm");
        assert_eq!(n, "Hồ Văn Cảnh");
        assert!(fit < 0.9);
    }

    #[test]
    fn garbage_syllables_lower_the_fit() {
        assert!(normalize_name("Trần Thị Hxqz").1 < 0.7);
        assert!(normalize_name("Trần, Thị; Hoa").1 < 1.0);
        assert!(is_syllable("nghiêng"));
        assert!(is_syllable("Khuyến"));
        assert!(is_syllable("Quỳnh"));
        assert!(!is_syllable("Hxqz"));
        assert!(!is_syllable("Hằńg"));
    }
}
