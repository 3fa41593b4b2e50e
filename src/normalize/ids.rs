//! Numbers of identity documents: the 12-digit personal ID (domain reference 5.1) and the
//! number of the requester's document, whose type ("CMND số ...", "Hộ chiếu số ...") is read
//! from the same text.

use crate::text::fold;

/// Digits of a number OCR may have spaced or garbled (O for 0, l for 1); the flag says a
/// letter had to be read as a digit.
pub fn digits(raw: &str) -> (String, bool) {
    let mut out = String::new();
    let mut repaired = false;
    for c in raw.chars() {
        match c {
            '0'..='9' => out.push(c),
            'O' | 'o' | 'D' => {
                out.push('0');
                repaired = true
            }
            'l' | 'I' | '|' => {
                out.push('1');
                repaired = true
            }
            _ => {}
        }
    }
    (out, repaired)
}

/// A personal ID number: 12 digits. Fit 1 for 12 clean digits, lower otherwise.
pub fn normalize_id_number(raw: &str) -> (String, f32) {
    let (d, repaired) = digits(raw);
    let fit = match (d.len(), repaired) {
        (12, false) => 1.0,
        (12, true) => 0.85,
        (0, _) => 0.0,
        _ => 0.3,
    };
    (d, fit)
}

/// Document type words and the code of table `loai_giay_to` they mean.
const DOC_TYPES: &[(&str, &str)] = &[
    ("cmnd", "1"),
    ("chung minh nhan dan", "1"),
    ("ho chieu", "2"),
    ("the thuong tru", "3"),
    ("cccd", "4"),
    ("can cuoc", "4"),
];

/// The number of an identity document and, when the text says, its type code:
/// "CMND số 012345678" -> ("012345678", Some("1")).
pub fn normalize_document(raw: &str) -> (String, Option<&'static str>, f32) {
    let f = fold(raw);
    // "QMND", "CMMD": a four-letter abbreviation one letter off.
    let near_abbreviation = |code: &str| {
        f.split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w.len() == 4 && strsim::hamming(w, code).is_ok_and(|d| d <= 1))
    };
    let kind = DOC_TYPES
        .iter()
        .find(|(w, _)| f.contains(w))
        .map(|(_, code)| *code)
        .or_else(|| near_abbreviation("cmnd").then_some("1"))
        .or_else(|| near_abbreviation("cccd").then_some("4"));
    // The number: the longest token with digits (a passport has a letter in front).
    let token = raw
        .split(|c: char| c.is_whitespace() || c == ':' || c == ',')
        .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
        .max_by_key(|t| t.chars().filter(|c| c.is_ascii_digit()).count());
    let Some(token) = token else {
        return (String::new(), kind, 0.0);
    };
    let number: String = token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_uppercase();
    // Letters glued before the number are a word ("CMNDS315861129", "số.0441..."): a
    // passport number opens with one letter at most.
    let leading = number
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let number = if leading >= 2 || (leading == 1 && matches!(kind, Some("1") | Some("4"))) {
        number[leading..].to_string()
    } else {
        number
    };
    let digits = number.chars().filter(|c| c.is_ascii_digit()).count();
    let fit = match (kind, digits) {
        (Some("1"), 9 | 12) | (Some("4"), 12) => 1.0,
        (Some("2"), 7..=9) => 1.0,
        (_, 6..=12) => 0.85,
        _ => 0.5,
    };
    (number, kind, fit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_are_twelve_digits() {
        assert_eq!(
            normalize_id_number("034 198 012 345"),
            ("034198012345".into(), 1.0)
        );
        assert_eq!(normalize_id_number("O34198012345").1, 0.85);
        assert!(normalize_id_number("03419801234").1 < 0.5);
    }

    #[test]
    fn document_type_and_number_are_read_together() {
        assert_eq!(
            normalize_document("CMND số 012345678"),
            ("012345678".into(), Some("1"), 1.0)
        );
        assert_eq!(
            normalize_document("Hộ chiếu số B1234567"),
            ("B1234567".into(), Some("2"), 1.0)
        );
        assert_eq!(normalize_document("CCCD số 001203004567").1, Some("4"));
        // The word glued to the number, a misread abbreviation.
        assert_eq!(normalize_document("CMNDS315861129").0, "315861129");
        assert_eq!(normalize_document("CCCD số.044192025759").0, "044192025759");
        assert_eq!(
            normalize_document("QMND số 288584696"),
            ("288584696".to_string(), Some("1"), 1.0)
        );
    }
}
