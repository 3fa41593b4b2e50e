//! Free text, places and authorities: NFC, single spaces, leader dots and stray punctuation at
//! the ends removed, and the administrative words of an address put right ("tính Thái Bình"
//! is "tỉnh Thái Bình"), since they come from a short closed list.

use crate::text::{fold, nfc, squash_spaces};

/// Administrative and address words (domain reference: units of the administrative map).
const ADMIN_WORDS: &[&str] = &[
    "xã",
    "phường",
    "thị trấn",
    "huyện",
    "quận",
    "thị xã",
    "thành phố",
    "tỉnh",
    "thôn",
    "xóm",
    "ấp",
    "bản",
    "buôn",
    "làng",
    "tổ",
    "khu phố",
    "khu",
    "số nhà",
    "đường",
    "phố",
    "ngõ",
    "ngách",
    "hẻm",
    "tổ dân phố",
    "khối",
    "trạm y tế",
    "bệnh viện",
    "nhà hộ sinh",
];

/// Fixed phrases of addresses and places of birth, by folded form: a lost or stray mark on
/// them (a leader dot read as a dot below) is put right.
const PLACE_PHRASES: &[&str] = &[
    "bệnh viện",
    "đa khoa",
    "trạm y tế",
    "thị trấn",
    "thị xã",
    "thành phố",
    "nhà hộ sinh",
    "phụ sản",
    "trung tâm y tế",
    "khu phố",
    "tổ dân phố",
    "số nhà",
];

/// "Trạmy tế": two words of a fixed phrase read as one, split where the phrase splits them
/// when the rest of the phrase follows. True when a word was split.
fn unglue_phrases(words: &mut Vec<String>) -> bool {
    let mut split = false;
    for phrase in PLACE_PHRASES {
        let parts: Vec<String> = phrase.split(' ').map(fold).collect();
        for k in 0..parts.len().saturating_sub(1) {
            let glued = format!("{}{}", parts[k], parts[k + 1]);
            let mut i = 0;
            while i < words.len() {
                let before_ok = (0..k).all(|b| {
                    i + b >= k && words.get(i + b - k).is_some_and(|w| fold(w) == parts[b])
                });
                let after_ok = (k + 2..parts.len()).all(|a| {
                    words
                        .get(i + a - k - 1)
                        .is_some_and(|w| fold(w.trim_end_matches(',')) == parts[a])
                });
                let w = &words[i];
                if fold(w) == glued && before_ok && after_ok {
                    // Split after the letters of the first part.
                    let cut = w
                        .char_indices()
                        .map(|(at, _)| at)
                        .find(|&at| fold(&w[..at]) == parts[k])
                        .unwrap_or(w.len());
                    let (a, b) = (w[..cut].to_string(), w[cut..].to_string());
                    words.splice(i..=i, [a, b]);
                    split = true;
                }
                i += 1;
            }
        }
    }
    split
}

/// Abbreviations of administrative papers that notes cite ("Quyết định số 15/QĐ-UBND").
const PAPER_ABBREVIATIONS: &[&str] = &[
    "QĐ", "UBND", "CMND", "CCCD", "HC", "HT", "TP", "TT", "NĐ", "CP", "BTP", "GKS", "KS", "KT",
    "KH", "CMC", "HN", "TTg", "TW", "CA", "TAND", "HĐND",
];

/// A free-text note (`ghiChu`) with its fit: "OĐ" in a paper's number is "QĐ" (no paper is
/// called OĐ); a word that is neither a Vietnamese syllable, a number nor a paper's
/// abbreviation is a misreading, or something a person should read.
pub fn normalize_note(raw: &str) -> (String, f32) {
    let text = clean_text(raw);
    let mut fit = 1.0f32;
    let fixed: Vec<String> = text
        .split(' ')
        .map(|word| {
            let pieces: Vec<String> = word
                .split_inclusive(['/', '-'])
                .map(|piece| {
                    let core = piece.trim_end_matches(['/', '-']);
                    if matches!(core, "OĐ" | "0Đ" | "OD") {
                        fit = fit.min(FIT_NOTE_REPAIRED);
                        piece.replacen(core, "QĐ", 1)
                    } else {
                        piece.to_string()
                    }
                })
                .collect();
            pieces.concat()
        })
        .collect();
    let odd = fixed.iter().flat_map(|w| w.split(['/', '-'])).any(|piece| {
        let core = piece.trim_matches(|c: char| !c.is_alphanumeric());
        super::is_odd_word(core) && !PAPER_ABBREVIATIONS.contains(&core)
    });
    if odd {
        fit = fit.min(FIT_NOTE_ODD_WORD);
    }
    (fixed.join(" "), fit)
}

/// Fit of a note whose paper abbreviation was put right.
const FIT_NOTE_REPAIRED: f32 = 0.85;
/// Fit of a note holding a word that is no syllable and no known abbreviation.
const FIT_NOTE_ODD_WORD: f32 = 0.7;

/// Text cleaned of leader dots and edge punctuation, with single spaces.
pub fn clean_text(raw: &str) -> String {
    let s = squash_spaces(&nfc(raw));
    s.trim_matches(|c: char| c.is_whitespace() || ".,;:_-…·'\"`|".contains(c))
        .to_string()
}

/// An authority with its opening "UBND" put right when OCR garbled one letter of it
/// ("UEND", "U8ND").
pub fn authority_words(text: &str) -> String {
    let Some((first, rest)) = text.split_once(' ') else {
        return text.to_string();
    };
    // "UEND", "ỤBND", "ƯBND": one letter or a mark off.
    let garbled = first.chars().count() == 4
        && fold(first).starts_with('u')
        && first
            .chars()
            .filter(|c| c.is_uppercase() || c.is_ascii_digit())
            .count()
            == 4
        && strsim::hamming(&fold(first), "ubnd").is_ok_and(|d| d <= 1)
        && first != "UBND";
    if garbled {
        format!("UBND {rest}")
    } else {
        text.to_string()
    }
}

/// The words (folded, compact) of the fixed phrases of places ("trạm y tế", "bệnh viện đa
/// khoa") that `text` holds: their spelling is the phrase's, whatever OCR hesitated over.
pub fn phrase_words(text: &str) -> Vec<String> {
    let words: Vec<String> = text
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect();
    let mut out = Vec::new();
    for phrase in PLACE_PHRASES {
        let parts: Vec<String> = phrase.split(' ').map(fold).collect();
        if words.windows(parts.len()).any(|w| w == parts.as_slice()) {
            out.extend(parts.iter().map(|p| crate::text::fold_compact(p)));
        }
    }
    out
}

/// A place: cleaned text with address words corrected when a word before a capitalised name
/// folds to one of them but carries other marks. A word spelled as a family name
/// (`is_family_name`) is kept: streets and districts are named after people ("Ngô Quyền",
/// "Tô Hiệu"), and "Ngô" is no misread "ngõ". Returns the text and its fit.
pub fn normalize_place(raw: &str, is_family_name: impl Fn(&str) -> bool) -> (String, f32) {
    let (text, _) = super::places::tidy_address(&clean_text(raw));
    let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
    let mut repaired = false;
    for i in 0..words.len() {
        let next_is_name = words
            .get(i + 1)
            .and_then(|w| w.chars().next())
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if !next_is_name {
            continue;
        }
        // After a unit word the word opens a name ("quận Ngô Quyền"), not an address word.
        let after_unit = i > 0 && {
            let prev = &words[i - 1];
            !prev.ends_with(',')
                && [
                    "xa", "phuong", "huyen", "quan", "tinh", "pho", "tran", "thon", "xom", "ap",
                    "ban", "buon", "lang", "duong", "ngo", "hem", "khu",
                ]
                .contains(&fold(prev).as_str())
        };
        if after_unit || is_family_name(&words[i]) {
            continue;
        }
        let w = &words[i];
        let f = fold(w);
        let single: Vec<&&str> = ADMIN_WORDS
            .iter()
            .filter(|a| !a.contains(' ') && fold(a) == f)
            .collect();
        if let [canon] = single[..] {
            let lower = crate::text::lower(w);
            if lower != **canon {
                let fixed = if w.chars().next().is_some_and(char::is_uppercase) {
                    crate::text::title_case(canon)
                } else {
                    canon.to_string()
                };
                words[i] = fixed;
                repaired = true;
            }
        }
    }
    repaired |= unglue_phrases(&mut words);
    for phrase in PLACE_PHRASES {
        let parts: Vec<&str> = phrase.split(' ').collect();
        let n = parts.len();
        if words.len() < n {
            continue;
        }
        for i in 0..=words.len() - n {
            let window = &words[i..i + n];
            // Same letters, or (in a phrase of three words or more) one word a letter off:
            // "Trung tâm V tế" is the fixed phrase with "Y" misread.
            let off: Vec<usize> = window
                .iter()
                .zip(&parts)
                .map(|(w, p)| strsim::levenshtein(&fold(w.trim_end_matches(',')), &fold(p)))
                .collect();
            let same_fold = off.iter().all(|&d| d == 0);
            let one_off =
                off.iter().filter(|&&d| d == 1).count() == 1 && off.iter().all(|&d| d <= 1);
            // In a two-word phrase, only a lower-case word before a name: "Thành phấ Hồ Chí
            // Minh" is the phrase, "xã Thành Phú" a name.
            let lower_before_name = || {
                let off_word = &window[off.iter().position(|&d| d == 1).unwrap_or(0)];
                off_word.chars().all(|c| !c.is_uppercase())
                    && words
                        .get(i + n)
                        .and_then(|w| w.chars().next())
                        .is_some_and(char::is_uppercase)
            };
            let one_letter_off = one_off && (n >= 3 || lower_before_name());
            if !same_fold && !one_letter_off {
                continue;
            }
            for (w, p) in words[i..i + n].iter_mut().zip(&parts) {
                let comma = if w.ends_with(',') { "," } else { "" };
                let bare = w.trim_end_matches(',');
                if crate::text::lower(bare) != *p {
                    let upper = bare.chars().next().is_some_and(char::is_uppercase);
                    *w = format!(
                        "{}{comma}",
                        if upper {
                            crate::text::title_case(p)
                        } else {
                            p.to_string()
                        }
                    );
                    repaired = true;
                }
            }
        }
    }
    // "Sấ 149", "Sé 2": an address opening with a house number says "Số".
    if let (Some(first), Some(next)) = (words.first(), words.get(1)) {
        let f = fold(first);
        let numbered = next.chars().next().is_some_and(|c| c.is_ascii_digit());
        let misread = f.len() == 2 && f.starts_with('s') && "aeou".contains(&f[1..]);
        if numbered && misread && first != "Số" {
            words[0] = "Số".into();
            repaired = true;
        }
    }
    let has_text = words.iter().any(|w| w.chars().any(char::is_alphanumeric));
    let fit = match (has_text, repaired) {
        (false, _) => 0.0,
        (true, false) => 1.0,
        (true, true) => 0.95,
    };
    (words.join(" "), fit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leader_dots_and_edge_punctuation_go() {
        assert_eq!(
            clean_text("  Trạm y tế xã Tân Phong ....."),
            "Trạm y tế xã Tân Phong"
        );
        assert_eq!(clean_text(": Kinh,"), "Kinh");
    }

    #[test]
    fn a_garbled_ubnd_is_put_right() {
        assert_eq!(
            authority_words("UEND Phường 6, quận Cái Răng"),
            "UBND Phường 6, quận Cái Răng"
        );
        assert_eq!(authority_words("U8ND xã Yên Mỹ"), "UBND xã Yên Mỹ");
        assert_eq!(authority_words("ỤBND xã Yên Mỹ"), "UBND xã Yên Mỹ");
        assert_eq!(authority_words("UBND xã Yên Mỹ"), "UBND xã Yên Mỹ");
        assert_eq!(
            authority_words("Ủy ban nhân dân xã Yên Mỹ"),
            "Ủy ban nhân dân xã Yên Mỹ"
        );
    }

    #[test]
    fn notes_cite_papers_and_odd_words_are_doubted() {
        let (t, fit) = normalize_note("Cải chính họ tên theo Quyết định số 15/OĐ-UBND");
        assert_eq!(t, "Cải chính họ tên theo Quyết định số 15/QĐ-UBND");
        assert!(fit < 0.9);
        assert_eq!(normalize_note("Con thứ hai").1, 1.0);
        assert_eq!(normalize_note("Theo Quyết định số 7/QĐ-UBND").1, 1.0);
        assert!(normalize_note("Con thứ hxi").1 < 0.9);
    }

    #[test]
    fn a_fixed_phrase_read_as_one_word_is_split() {
        let (text, fit) = normalize_place("Trạmy tế thị trấn Bố Trạch", |_| false);
        assert_eq!(text, "Trạm y tế thị trấn Bố Trạch");
        assert!(fit < 1.0);
        assert_eq!(
            normalize_place("Phường 6, Thành phấ Hồ Chí Minh", |_| false).0,
            "Phường 6, Thành phố Hồ Chí Minh"
        );
        assert_eq!(
            normalize_place("xã Thành Phú, huyện Bến Lức", |_| false).0,
            "Xã Thành Phú, huyện Bến Lức"
        );
        // Not without the rest of the phrase.
        assert_eq!(
            normalize_place("Trạmy Bố Trạch", |_| false).0,
            "Trạmy Bố Trạch"
        );
    }

    #[test]
    fn address_words_are_put_right() {
        let (p, fit) = normalize_place("Xã Tân Phong, huyện Vũ Thư, tính Thái Bình", |_| false);
        assert_eq!(p, "Xã Tân Phong, huyện Vũ Thư, tỉnh Thái Bình");
        assert!(fit < 1.0);
        assert_eq!(
            phrase_words("Trung tâm Y tế huyện Bố Trạch"),
            ["trung", "tam", "y", "te"]
        );
        let (p, fit) = normalize_place("Phường 7, Quận 3, Thành phố Hồ Chí Minh", |_| false);
        assert_eq!(p, "Phường 7, Quận 3, Thành phố Hồ Chí Minh");
        assert_eq!(fit, 1.0);
        assert_eq!(
            normalize_place("Bệnh viên Đạ khoa tỉnh Vĩnh Phúc", |_| false).0,
            "Bệnh viện Đa khoa tỉnh Vĩnh Phúc"
        );
        assert_eq!(
            normalize_place("Phường An Cư, quận Ngô Quyền", |_| false).0,
            "Phường An Cư, quận Ngô Quyền"
        );
        // "tính" not before a name is left alone (a place opens with a capital).
        assert_eq!(normalize_place("tính toán", |_| false).0, "Tính toán");
        assert_eq!(
            normalize_place("Sấ 149, đường Trần Phú", |_| false).0,
            "Số 149, đường Trần Phú"
        );
        assert_eq!(
            normalize_place("Trung tâm V tế huyện Gò Công Tây", |_| false).0,
            "Trung tâm Y tế huyện Gò Công Tây"
        );
        let family = |w: &str| w == "Ngô";
        assert_eq!(
            normalize_place("Quốc Tử Giám, Ngô Quyền, Hải Phòng", family).0,
            "Quốc Tử Giám, Ngô Quyền, Hải Phòng"
        );
    }
}
