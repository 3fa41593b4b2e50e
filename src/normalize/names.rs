//! Personal names: title case NFC, stray marks removed, each syllable checked against the
//! shape of Vietnamese syllables, and the commonest family names restored when OCR loses a
//! mark on capitals ("NGUYÊN" for "NGUYỄN", domain reference 8.5).

use crate::text::{fold, fold_compact, nfc, title_case};
use unicode_normalization::UnicodeNormalization;

/// Family names whose folded form almost always means this spelling (domain reference 8.2).
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
    // One circumflex or breve at most ("Lâê" is two vowels misread, not a syllable).
    let hats = word
        .nfd()
        .filter(|c| matches!(c, '\u{0302}' | '\u{0306}'))
        .count();
    if tones > 1 || hats > 1 {
        return false;
    }
    let f = fold(word);
    if f.is_empty() || !f.chars().all(|c| c.is_ascii_lowercase()) {
        return false;
    }
    // A syllable closed by p, t, c or ch carries the rising or the heavy tone ("Đạt", never
    // "Đat"): without one, a mark was lost.
    let checked = ["p", "t", "c", "ch"].iter().any(|stop| f.ends_with(stop));
    let rising_or_heavy = word.nfd().any(|c| matches!(c, '\u{301}' | '\u{323}'));
    if checked && !rising_or_heavy {
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

/// A capital split from the rest of its word by a speck, a stop or a space ("L.ương",
/// "C'ảnh", "Nghi L ộc": a wide capital's foot or serif read apart) joined again, when the
/// whole is a syllable. An apostrophe before a capital ("H'Hen") or before letters that make
/// no syllable with the capital ("H'mông") is part of a name and stays.
pub fn mend_split_capitals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        let opens_word = i == 0 || !chars[i - 1].is_alphabetic();
        let lone_capital = c.is_uppercase() && opens_word;
        if lone_capital && matches!(chars.get(i + 1), Some('.' | '\'' | '’' | ' ')) {
            let rest: String = chars[i + 2..]
                .iter()
                .take_while(|c| c.is_alphabetic())
                .collect();
            let lower_rest = rest.chars().next().is_some_and(char::is_lowercase);
            if lower_rest && is_syllable(&format!("{c}{rest}")) {
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// A word of letters only that is no Vietnamese syllable ("Trạmy", "hnuyện"): a misreading,
/// a foreign word or an abbreviation, for the caller to tell apart.
pub fn is_odd_word(word: &str) -> bool {
    !word.is_empty() && word.chars().all(crate::text::is_letter) && !is_syllable(word)
}

/// A name in title case with its fit: 1 when every syllable is well formed, lower for each
/// that is not or was repaired.
pub fn normalize_name(raw: &str) -> (String, f32) {
    let (words, fit) = clean_name(raw);
    if words.is_empty() {
        return (String::new(), 0.0);
    }
    let fit = fit * shape_fit(&words);
    (words.join(" "), fit)
}

/// How well formed a name's words are: lower for each that is no syllable, and for a name of
/// one word (possible for some minorities, more often a misread).
fn shape_fit(words: &[String]) -> f32 {
    let bad = words.iter().filter(|w| !is_syllable(w)).count();
    let mut fit = 0.6f32.powi(bad as i32);
    if words.len() == 1 {
        fit *= 0.8;
    }
    fit
}

/// A name's words in title case, specks and doubled vowels removed, with the fit those
/// repairs leave (before [`shape_fit`]).
fn clean_name(raw: &str) -> (Vec<String>, f32) {
    let raw = nfc(raw);
    let mended = mend_split_capitals(&raw);
    // Words typed without a space read glued ("MaThịVi", "MùaA"): a capital after a
    // lower-case letter opens a new word.
    let mut unglued = String::with_capacity(mended.len());
    let mut prev_lower = false;
    for c in mended.chars() {
        if c.is_uppercase() && prev_lower {
            unglued.push(' ');
        }
        prev_lower = c.is_lowercase();
        unglued.push(c);
    }
    let split_mended = unglued != raw;
    let raw = unglued;
    let chars: Vec<char> = raw.chars().collect();
    let letter_at = |i: usize| chars.get(i).is_some_and(|c| crate::text::is_letter(*c));
    // A zero touching letters is the letter O ("0anh" is "Oanh"): no name holds a figure.
    let cleaned: String = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match c {
            '0' if letter_at(i + 1) || (i > 0 && letter_at(i - 1)) => 'O',
            // A one opening a word is a lower-case L ("1ê" is "lê"; the word takes its
            // capital below).
            '1' if letter_at(i + 1) && !(i > 0 && letter_at(i - 1)) => 'l',
            c if crate::text::is_letter(c) => c,
            _ => ' ',
        })
        .collect();
    let mut read: Vec<&str> = cleaned.split(' ').filter(|w| !w.is_empty()).collect();
    let mut fit: f32 = if cleaned.trim() == raw.trim() && !split_mended {
        1.0
    } else {
        0.9
    };
    // Names are typed with capitals ("Nguyễn Văn An" or "NGUYỄN VĂN AN"): short or garbled
    // lower-case words after three capitalised ones ("Nguyễn Chí Tài cu", "Lê Diệu Ngọ c c")
    // are leader or stain remnants read as letters. A given name that lost its capital
    // ("Văn sáng") is a longer syllable, and is kept.
    let opens_lower = |w: &&str| w.chars().next().is_some_and(char::is_lowercase);
    let capitalised = read.iter().take_while(|w| !opens_lower(w)).count();
    let remnant = |w: &&str| w.chars().count() <= 3 || !is_syllable(w);
    let tail = &read[capitalised..];
    if capitalised >= 3 && !tail.is_empty() && tail.iter().all(|w| opens_lower(w) && remnant(w)) {
        read.truncate(capitalised);
        fit = fit.min(FIT_TRAILING_JUNK);
    }
    let mut words: Vec<String> = read.into_iter().map(title_case).collect();
    if words.is_empty() {
        return (words, 0.0);
    }
    // Specks read as letters after the name ("Hồ Văn Cảnh Mm"): a short non-syllable at the
    // end is not part of it.
    // A lone unmarked letter there ("Nguyễn Minh An U") is one too; "A" and "Y" are names
    // ("Giàng A", "Nguyễn Thị Y").
    while words.len() > 2
        && words.last().is_some_and(|w| {
            let n = w.chars().count();
            (n <= 2 && !is_syllable(w)) || (n == 1 && w.is_ascii() && w != "Y" && w != "A")
        })
    {
        words.pop();
        fit = fit.min(FIT_TRAILING_JUNK);
    }
    // "Thị" is the middle name of most women; "Thi" there is nearly always a lost dot.
    if words.len() >= 3 && words[1] == "Thi" {
        words[1] = "Thị".into();
        fit = fit.min(0.95);
    }
    for w in words.iter_mut() {
        if let Some(single) = undouble_vowel(w) {
            *w = single;
            fit = fit.min(FIT_UNDOUBLED);
        }
    }
    (words, fit)
}

/// Whether every mark of `read` is one of `known`'s: marks were lost on the way ("NGUYÊN"
/// for "Nguyễn"), none read that the known name lacks.
fn marks_only_lost(read: &str, known: &str) -> bool {
    let marks = |w: &str| -> Vec<char> {
        let mut m: Vec<char> = w
            .to_lowercase()
            .nfd()
            .filter(|c| unicode_normalization::char::is_combining_mark(*c))
            .collect();
        m.sort_unstable();
        m
    };
    let mut known_marks = marks(known);
    marks(read).into_iter().all(|m| {
        let at = known_marks.iter().position(|k| *k == m);
        at.map(|i| known_marks.remove(i)).is_some()
    })
}

/// Fit of a name read with specks or remnants after it: what is left is likely the name, for
/// a person to confirm.
const FIT_TRAILING_JUNK: f32 = 0.85;

/// Fit of a name with a vowel read twice ("TRẦÂN"): a repair, left for review.
const FIT_UNDOUBLED: f32 = 0.8;

/// A vowel with a hat read twice, once with its tone and once without ("HUÂẦN", "Trầẩn"):
/// Vietnamese never doubles such a vowel, so the first reading is kept when that makes a
/// well-formed syllable.
fn undouble_vowel(word: &str) -> Option<String> {
    if is_syllable(word) {
        return None;
    }
    let chars: Vec<char> = word.chars().collect();
    let base = |c: char| -> String {
        c.to_lowercase()
            .collect::<String>()
            .nfd()
            .filter(|m| !TONES.contains(m))
            .collect()
    };
    (1..chars.len()).find_map(|i| {
        let (a, b) = (base(chars[i - 1]), base(chars[i]));
        let hat = a.chars().count() > 1;
        if !(hat && a == b) {
            return None;
        }
        let mut single = chars.clone();
        single.remove(i);
        let single: String = single.into_iter().collect();
        is_syllable(&single).then_some(single)
    })
}

/// Fit of a name whose family name took the marks of the known one it folds to.
const FIT_FAMILY_MARKS: f32 = 0.92;
/// Fit of a name whose given name is spelled as no frequent one with its letters.
const FIT_UNCOMMON_GIVEN: f32 = 0.85;
/// Fit of a name with a word that was two glued together or began with a misread capital.
const FIT_REPAIRED_WORD: f32 = 0.85;
/// Fit of a name whose first word is one letter from a known family name.
const FIT_NEAR_FAMILY: f32 = 0.75;

/// Family names and middle words whose spelling a list confirms (`schemas/codes/names.toml`).
#[derive(Debug, Default)]
pub struct NameWords {
    family: Vec<String>,
    middle: Vec<String>,
    given: Vec<String>,
}

impl NameWords {
    pub fn new(family: &[String], middle: &[String]) -> Self {
        let canon = |w: &String| nfc(w.trim());
        Self {
            family: family.iter().map(canon).collect(),
            middle: middle.iter().map(canon).collect(),
            given: Vec::new(),
        }
    }

    /// With the frequent given names, whose spellings make an odd one doubtful.
    pub fn with_given(mut self, given: &[String]) -> Self {
        self.given = given.iter().map(|w| nfc(w.trim())).collect();
        self
    }

    /// A given name spelled as no frequent one while a frequent one has its letters
    /// ("Manh" and "Mạnh"): a mark was most likely lost.
    fn uncommon_spelling(&self, given: &str) -> bool {
        let folded = fold(given);
        let mut same_letters = self.given.iter().filter(|g| fold(g) == folded).peekable();
        same_letters.peek().is_some() && !same_letters.any(|g| g == given)
    }

    /// The known middle word a middle word read as no known name stands for: the one middle
    /// word of the list with its letters ("Ngoc" is "Ngọc", "Vặn" is "Văn"), and whether the
    /// read only lost marks (a sure repair) or has others (a guess).
    fn middle_word_for(&self, word: &str) -> Option<(String, bool)> {
        if self.middle.iter().chain(&self.given).any(|m| m == word) {
            return None;
        }
        let folded = fold(word);
        let mut same = self.middle.iter().filter(|m| fold(m) == folded);
        match (same.next(), same.next()) {
            (Some(known), None) => Some((known.clone(), marks_only_lost(word, known))),
            _ => None,
        }
    }

    /// A middle word read as no known name whose letters several known middle words share.
    fn middle_ambiguous(&self, word: &str) -> bool {
        let folded = fold(word);
        !self.middle.iter().chain(&self.given).any(|m| m == word)
            && self.middle.iter().filter(|m| fold(m) == folded).count() > 1
    }

    fn is_known(&self, word: &str) -> bool {
        self.family
            .iter()
            .chain(&self.middle)
            .chain(&self.given)
            .any(|k| k == word)
    }

    /// A word that is no syllable made one or two known name words: two glued together
    /// ("Thịánh", "Maithị"), or a capital T or L read as I ("Irinh"), Q as O ("0uốc").
    fn repair_word(&self, word: &str) -> Option<Vec<String>> {
        // No Vietnamese syllable opens with "ou": that O is a Q.
        let q_read_as_o = word.starts_with("Ou") || word.starts_with("OU");
        if word.is_empty() || (is_syllable(word) && !q_read_as_o) {
            return None;
        }
        let chars: Vec<char> = word.chars().collect();
        let glued = (1..chars.len()).find_map(|at| {
            let first: String = chars[..at].iter().collect();
            let second = title_case(&chars[at..].iter().collect::<String>());
            // "ILê": a speck or a rule's end read as a capital glued before a known word.
            if at == 1 && first != "A" && first != "Y" && self.is_known(&second) {
                return Some(vec![second]);
            }
            let both = is_syllable(&first) && is_syllable(&second);
            (both && (self.is_known(&first) || self.is_known(&second))).then(|| vec![first, second])
        });
        if glued.is_some() {
            return glued;
        }
        // Capitals the engine confuses at the start of a word: T and L read as I, Q as O
        // (or as a zero, already made an O).
        let (initial, rest) = word.split_at(word.chars().next()?.len_utf8());
        let meant: &[&str] = match initial {
            "I" => &["T", "L"],
            "O" => &["Q"],
            _ => return None,
        };
        meant
            .iter()
            .map(|c| format!("{c}{rest}"))
            .find(|w| is_syllable(w) && self.is_known(w))
            .map(|w| vec![w])
    }

    /// Whether `word` is spelled as a family name of the list.
    pub fn is_family(&self, word: &str) -> bool {
        self.family.iter().any(|f| f == word)
    }

    /// A name normalised ([`normalize_name`]) with the list's help: a first word that folds
    /// to one known family name alone takes its marks ("NGUYÊN" is "Nguyễn"; a correction,
    /// so the fit drops a little); the first word when it is a known family name and middle
    /// words that are known middle words are confirmed (returned folded); a first word one
    /// letter from a family name ("Nguyễu") is doubtful.
    pub fn normalize(&self, raw: &str) -> (String, f32, Vec<String>) {
        let (read, mut fit) = clean_name(raw);
        if read.is_empty() {
            return (String::new(), 0.0, Vec::new());
        }
        let mut words: Vec<String> = Vec::new();
        for w in &read {
            match self.repair_word(w) {
                Some(repaired) => {
                    words.extend(repaired);
                    fit = fit.min(FIT_REPAIRED_WORD);
                }
                None => words.push(w.to_string()),
            }
        }
        let mut vouched = Vec::new();
        if words.len() > 1 {
            // A capital L read as I or T ("Iê", "Iưu", "Tê"): the family name it makes with
            // L, when the word as read is none ("Tô" is one and stays).
            if let Some(rest) = words[0].strip_prefix(['I', 'T']) {
                let with_l = format!("L{rest}");
                if !rest.is_empty() && self.is_family(&with_l) && !self.is_family(&words[0]) {
                    let from_i = words[0].starts_with('I');
                    words[0] = with_l;
                    fit = fit.min(if from_i {
                        FIT_FAMILY_MARKS
                    } else {
                        FIT_NEAR_FAMILY
                    });
                }
            }
            let folded = fold(&words[0]);
            let same_fold: Vec<&String> =
                self.family.iter().filter(|f| fold(f) == folded).collect();
            // Family names the read could be with marks lost ("Giang" could be "Giàng").
            let lost_from: Vec<&String> = same_fold
                .iter()
                .copied()
                .filter(|f| **f != words[0] && marks_only_lost(&words[0], f))
                .collect();
            if same_fold.contains(&&words[0]) {
                if lost_from.is_empty() {
                    vouched.push(fold_compact(&words[0]));
                }
            } else if let [canon] = same_fold[..] {
                if marks_only_lost(&words[0], canon) {
                    vouched.push(fold_compact(canon));
                    fit = fit.min(FIT_FAMILY_MARKS);
                } else {
                    // Marks read that the known name lacks ("LỀ" for "LÊ" on a stained page,
                    // or "Tòng", a family name the list might lack): the known name is the
                    // better guess, for a person to confirm.
                    fit = fit.min(FIT_NEAR_FAMILY);
                }
                words[0] = canon.clone();
            } else if !same_fold.is_empty() {
                // Several known names with these letters ("Vu": "Vũ" or "Vừ"): the most
                // frequent whose marks the read lost, for a person to confirm.
                // None of them: the most frequent ("Phạn": Phan before Phàn).
                words[0] = lost_from.first().unwrap_or(&same_fold[0]).to_string();
                fit = fit.min(FIT_NEAR_FAMILY);
            } else {
                let near = self
                    .family
                    .iter()
                    .map(|f| fold(f))
                    .any(|f| f.len() >= 4 && strsim::levenshtein(&f, &folded) == 1);
                if near {
                    fit = fit.min(FIT_NEAR_FAMILY);
                }
            }
        }
        if words.len() > 2 {
            let last = words.len() - 1;
            for w in words[1..last].iter_mut() {
                if let Some((known, lost)) = self.middle_word_for(w) {
                    fit = fit.min(if lost {
                        FIT_FAMILY_MARKS
                    } else {
                        FIT_NEAR_FAMILY
                    });
                    *w = known;
                } else if self.middle_ambiguous(w) {
                    fit = fit.min(FIT_UNCOMMON_GIVEN);
                }
            }
        }
        if words.len() > 1 && self.uncommon_spelling(&words[words.len() - 1]) {
            fit = fit.min(FIT_UNCOMMON_GIVEN);
        }
        if words.len() > 2 {
            let last = words.len() - 1;
            for w in &words[1..last] {
                if self.middle.contains(w) {
                    vouched.push(fold_compact(w));
                }
            }
        }
        // Judged on the words as repaired: "Ngoc" made "Ngọc" is well formed.
        let fit = fit * shape_fit(&words);
        (words.join(" "), fit, vouched)
    }
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
    fn a_closed_syllable_without_its_tone_is_not_well_formed() {
        assert!(is_syllable("Đạt") && is_syllable("Nguyệt") && is_syllable("Bích"));
        assert!(!is_syllable("Đat") && !is_syllable("Nguyêt") && !is_syllable("Bìch"));
        assert!(normalize_name("Võ Văn Đat").1 < 0.9);
    }

    #[test]
    fn a_vowel_read_twice_is_read_once_and_doubted() {
        let (n, fit) = normalize_name("TRẦÂN KHÁNH HUYỀN");
        assert_eq!(n, "Trần Khánh Huyền");
        assert!(fit < 0.9);
        assert_eq!(normalize_name("PHAN VĂN HUÂẦN").0, "Phan Văn Huân");
        assert_eq!(normalize_name("Trầẩn Lan Hậu").0, "Trần Lan Hậu");
        // Loan words keep their double "o".
        assert_eq!(normalize_name("Boong Văn A").0, "Boong Văn A");
    }

    #[test]
    fn a_speck_after_the_name_is_dropped() {
        let (n, _) = normalize_name("Nguyễn Chí Tài cu");
        assert_eq!(n, "Nguyễn Chí Tài");
        let (n, _) = normalize_name("Lê Diệu Ngọ c c cu");
        assert_eq!(n, "Lê Diệu Ngọ");
        let (n, _) = normalize_name("Nguyễn Minh An U");
        assert_eq!(n, "Nguyễn Minh An");
        let (n, _) = normalize_name("Nguyễn Thị Y");
        assert_eq!(n, "Nguyễn Thị Y");
        // A given name that lost its capital stays.
        let (n, _) = normalize_name("Nguyễn Văn sáng");
        assert_eq!(n, "Nguyễn Văn Sáng");
        let (n, _) = normalize_name("Nguyễn Thị Thanh xuân");
        assert_eq!(n, "Nguyễn Thị Thanh Xuân");
        let (n, fit) = normalize_name("Hồ Văn Cảnh Mm");
        assert_eq!(n, "Hồ Văn Cảnh");
        assert!(fit < 0.9);
    }

    fn name_words() -> NameWords {
        let family: Vec<String> = vec!["Nguyễn".into(), "Đặng".into(), "Ma".into(), "Mã".into()];
        let middle: Vec<String> = vec!["Văn".into(), "Thị".into()];
        NameWords::new(&family, &middle)
    }

    #[test]
    fn a_family_name_takes_marks_it_lost_and_other_marks_only_with_doubt() {
        let words = NameWords::new(&["Tống".to_string(), "Nguyễn".to_string()], &[]);
        assert_eq!(words.normalize("NGUYÊN VĂN AN").0, "Nguyễn Văn An");
        assert_eq!(words.normalize("TÔNG VĂN AN").0, "Tống Văn An");
        // Marks the known name lacks: the known name, doubted.
        let (name, fit, _) = words.normalize("Tòng Thị Ý");
        assert_eq!(name, "Tống Thị Ý");
        assert!(fit < 0.9);
    }

    #[test]
    fn a_given_name_spelled_as_no_frequent_one_is_doubted() {
        let words = name_words().with_given(&["Mạnh".to_string(), "Hà".to_string()]);
        assert!(words.normalize("PHAN MANH").1 < 0.9);
        assert!(words.normalize("Phan Mạnh").1 >= 0.9);
        // Letters no frequent name has: no opinion.
        assert!(words.normalize("Phan Khiêm").1 >= 0.9);
    }

    #[test]
    fn known_family_and_middle_words_are_confirmed_and_near_misses_doubted() {
        let words = name_words();
        let (name, fit, vouched) = words.normalize("Nguyễn Văn Tuyên");
        assert_eq!((name.as_str(), fit), ("Nguyễn Văn Tuyên", 1.0));
        assert_eq!(vouched, ["nguyen", "van"]);
        // Marks of a known family name are put right, with a little doubt.
        let (name, fit, _) = words.normalize("NGUYÊN VĂN BÌNH");
        assert_eq!(name, "Nguyễn Văn Bình");
        assert!(fit < 1.0 && fit > 0.9);
        let (name, _, _) = words.normalize("Đăng Văn An");
        assert_eq!(name, "Đặng Văn An");
        // One letter off: doubtful, left as read.
        let (name, fit, _) = words.normalize("Nguyễu Diệu Vân");
        assert_eq!(name, "Nguyễu Diệu Vân");
        assert!(fit < 0.8);
        // L read as I.
        let words = NameWords::new(&["Lê".to_string()], &[]);
        assert_eq!(words.normalize("Iê Thị Nhi").0, "Lê Thị Nhi");
        let words = name_words();
        // Two family names with one fold, neither with the marks read: the more frequent,
        // doubted and not vouched for.
        let (name, fit, vouched) = words.normalize("Mạ Văn Tư");
        assert_eq!(name, "Ma Văn Tư");
        assert!(fit < 0.9);
        assert_eq!(vouched, ["van"]);
        // A family name the list does not hold is neither confirmed nor doubted.
        assert_eq!(
            words.normalize("Giàng A Páo"),
            ("Giàng A Páo".into(), 1.0, vec![])
        );
    }

    #[test]
    fn glued_words_and_a_capital_read_as_i_are_repaired_with_doubt() {
        let words = name_words().with_given(&["Ánh".to_string(), "Trinh".to_string()]);
        let (name, fit, _) = words.normalize("LÊ THỊÁNH");
        assert_eq!(name, "Lê Thị Ánh");
        assert!(fit < 0.9);
        assert_eq!(words.normalize("MaiThị Diệu").0, "Mai Thị Diệu");
        assert_eq!(words.normalize("Đoàn Thị Irinh").0, "Đoàn Thị Trinh");
        assert_eq!(words.normalize("Nguyễn Thị 0anh").0, "Nguyễn Thị Oanh");
        // An L read as T, where the word as read is no family name; "Tô" is one.
        let lt = NameWords::new(
            &[
                "Lê".to_string(),
                "Tô".to_string(),
                "Lô".to_string(),
                "Phan".to_string(),
                "Phàn".to_string(),
            ],
            &[],
        );
        let (name, fit, _) = lt.normalize("Tê Quốc Cảnh");
        assert_eq!(name, "Lê Quốc Cảnh");
        assert!(fit < 0.9);
        assert_eq!(lt.normalize("Tô Quốc Cảnh").0, "Tô Quốc Cảnh");
        // Marks no known name with these letters has: the most frequent, doubted.
        let (name, fit, _) = lt.normalize("Phạn Quang Lập");
        assert_eq!(name, "Phan Quang Lập");
        assert!(fit < 0.9);
        // A stray capital glued before a family name; a one read for the L of one.
        assert_eq!(words.normalize("INGUYỄN Thị Ánh").0, "Nguyễn Thị Ánh");
        assert_eq!(words.normalize("1ê Thị Ánh").0, "Lê Thị Ánh");
        // A capital read apart from its word; words typed without a space.
        assert_eq!(words.normalize("L.ương Thị Ánh").0, "Lương Thị Ánh");
        assert_eq!(words.normalize("Lê Quốc C'ảnh").0, "Lê Quốc Cảnh");
        assert_eq!(words.normalize("MaThịVi").0, "Ma Thị Vi");
        assert_eq!(words.normalize("Mùa A Dình").0, "Mùa A Dình");
        assert_eq!(words.normalize("MùaA Dình").0, "Mùa A Dình");
        assert_eq!(mend_split_capitals("Ksor H'Bia"), "Ksor H'Bia");
        assert_eq!(mend_split_capitals("huyện Nghi L ộc"), "huyện Nghi Lộc");
        let words = NameWords::new(&["Nguyễn".to_string()], &["Quốc".to_string()]);
        assert_eq!(
            words.normalize("Nguyễn 0uốc Khương").0,
            "Nguyễn Quốc Khương"
        );
        // A word that is a syllable is never split.
        assert_eq!(words.normalize("Nguyễn Thị Thanh").0, "Nguyễn Thị Thanh");
    }

    #[test]
    fn middle_and_given_words_take_the_marks_they_lost() {
        let middle: Vec<String> = ["Văn", "Thị", "Ngọc", "Trọng"].map(String::from).to_vec();
        let words = NameWords::new(
            &[
                "Nguyễn".to_string(),
                "Giang".to_string(),
                "Giàng".to_string(),
            ],
            &middle,
        )
        .with_given(&["Thạch".to_string(), "Khang".to_string()]);
        let (name, fit, _) = words.normalize("NGUYÊN NGOC KHANG");
        assert_eq!(name, "Nguyễn Ngọc Khang");
        assert!(
            fit > 0.9,
            "a lost mark on a known middle word is a sure repair"
        );
        let (name, fit, _) = words.normalize("Nguyễn Vặn Thạch");
        assert_eq!(name, "Nguyễn Văn Thạch");
        assert!(fit < 0.8, "other marks: a guess");
        // A given name is never corrected ("Lê" and "Son" are names too), only doubted.
        let (name, fit, _) = words.normalize("Nguyễn Văn Thach");
        assert_eq!(name, "Nguyễn Văn Thach");
        assert!(fit < 0.9);
        // "Giang" is a family name, but could be "Giàng" with its mark lost: not confirmed.
        let (name, _, vouched) = words.normalize("Giang Văn Hào");
        assert_eq!(name, "Giang Văn Hào");
        assert!(!vouched.contains(&"giang".to_string()));
    }

    #[test]
    fn a_syllable_has_one_hat_at_most() {
        assert!(!is_syllable("Lâê"));
        assert!(is_syllable("Lâm"));
        assert!(is_syllable("Trường"));
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
