//! What OCR and keying do to a record (domain reference 8.4-8.5): lost or swapped tone marks,
//! confused letters, regional spellings, dropped middle names, reformatting, partial or swapped
//! dates, one wrong digit, and words garbled past any spelling ("HẰọG" for "Hằng", "LõsAN" for
//! "Lan", "Nữg" for "Ngữ", "ỷú" for "Tú").

use rand::seq::SliceRandom;
use rand::Rng;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// All marks removed, đ -> d, case kept (`Nguyễn Đức` -> `Nguyen Duc`).
pub fn strip_marks(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

const GRAVE: char = '\u{300}';
const ACUTE: char = '\u{301}';
const TILDE: char = '\u{303}';
const HOOK: char = '\u{309}';
const DOT: char = '\u{323}';
const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';
const HORN: char = '\u{31b}';

/// One tone mark swapped the way readers and OCR swap them: hỏi <-> ngã, sắc <-> huyền, nặng
/// lost. `None` when the text has no tone mark.
pub fn swap_tone<R: Rng>(s: &str, rng: &mut R) -> Option<String> {
    let chars: Vec<char> = s.nfd().collect();
    let tones: Vec<usize> = (0..chars.len())
        .filter(|&i| matches!(chars[i], GRAVE | ACUTE | TILDE | HOOK | DOT))
        .collect();
    let &i = tones.choose(rng)?;
    let mut out = chars.clone();
    match chars[i] {
        HOOK => out[i] = TILDE,
        TILDE => out[i] = HOOK,
        ACUTE => out[i] = GRAVE,
        GRAVE => out[i] = ACUTE,
        _ => {
            out.remove(i);
        }
    }
    Some(out.into_iter().nfc().collect())
}

/// One letter confused: a vowel's circumflex, breve or horn lost, đ read as d, or a Latin
/// look-alike (`m` -> `rn`, `d` -> `cl`, `o` -> `0`, `l` -> `1`, `u` -> `ii`).
pub fn confuse_letter<R: Rng>(s: &str, rng: &mut R) -> Option<String> {
    let chars: Vec<char> = s.nfd().collect();
    let mut options: Vec<(usize, &'static str)> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            CIRCUMFLEX | BREVE | HORN => options.push((i, "")),
            'đ' => options.push((i, "d")),
            'Đ' => options.push((i, "D")),
            'm' => options.push((i, "rn")),
            'd' => options.push((i, "cl")),
            'o' => options.push((i, "0")),
            'l' => options.push((i, "1")),
            'u' => options.push((i, "ii")),
            _ => {}
        }
    }
    let &(i, to) = options.choose(rng)?;
    let mut out: String = chars[..i].iter().collect();
    out.push_str(to);
    out.extend(&chars[i + 1..]);
    Some(out.nfc().collect())
}

/// One syllable respelled as a region says it: v/d/gi, tr/ch, s/x initials, n/ng and t/c
/// finals, i/y, Hoàng/Huỳnh, Vũ/Võ. `None` when no rule applies.
pub fn regional_spelling<R: Rng>(s: &str, rng: &mut R) -> Option<String> {
    let words: Vec<&str> = s.split(' ').collect();
    let mut candidates: Vec<(usize, String)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if let Some(v) = respell(w) {
            candidates.push((i, v));
        }
    }
    let (i, v) = candidates.choose(rng)?.clone();
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[i] = v;
    Some(out.join(" "))
}

fn respell(w: &str) -> Option<String> {
    let whole = match w {
        "Hoàng" => Some("Huỳnh"),
        "Huỳnh" => Some("Hoàng"),
        "Vũ" => Some("Võ"),
        "Võ" => Some("Vũ"),
        "Phúc" => Some("Phước"),
        _ => None,
    };
    if let Some(v) = whole {
        return Some(v.to_string());
    }
    let initials = [
        ("Gi", "D"),
        ("Tr", "Ch"),
        ("Ch", "Tr"),
        ("V", "D"),
        ("D", "V"),
        ("S", "X"),
        ("X", "S"),
    ];
    for (from, to) in initials {
        if let Some(rest) = w.strip_prefix(from) {
            if from == "Ch" && rest.starts_with(['a', 'á', 'à']) && rest.ends_with('u') {
                continue;
            }
            return Some(format!("{to}{rest}"));
        }
    }
    let finals = [
        ("nh", "n"),
        ("ng", "n"),
        ("n", "ng"),
        ("t", "c"),
        ("c", "t"),
    ];
    for (from, to) in finals {
        if let Some(stem) = w.strip_suffix(from) {
            if stem.chars().count() >= 2 {
                return Some(format!("{stem}{to}"));
            }
        }
    }
    if let Some(stem) = w.strip_suffix('y') {
        return Some(format!("{stem}i"));
    }
    None
}

/// Marked vowels OCR puts where a letter was (a speck read as a mark, a letter read as a vowel).
const STRAY_LETTERS: &[char] = &[
    'ọ', 'õ', 'ỷ', 'ả', 'ẽ', 'ị', 'ù', 'ơ', 'ằ', 'ữ', 's', 'n', 'i', 'l', 'r', 'c', 'o', 'a',
];

/// One word garbled the way OCR and hurried keying garble it, past any spelling: a letter
/// replaced by a stray (often marked) vowel, a letter inserted, two neighbours swapped, or the
/// tone mark moved to another letter; `edits` of them, and sometimes the case flipped on some
/// letters. Returns the word unchanged when it is too short to garble.
pub fn garble_word<R: Rng>(word: &str, edits: usize, rng: &mut R) -> String {
    let mut chars: Vec<char> = word.nfc().collect();
    if chars.is_empty() {
        return word.to_string();
    }
    for _ in 0..edits {
        let n = chars.len();
        match rng.gen_range(0..4) {
            0 => {
                let i = rng.gen_range(0..n);
                let c = *STRAY_LETTERS.choose(rng).expect("non-empty");
                chars[i] = if chars[i].is_uppercase() {
                    c.to_uppercase().next().unwrap_or(c)
                } else {
                    c
                };
            }
            1 => {
                let i = rng.gen_range(1..=n);
                chars.insert(i, *STRAY_LETTERS.choose(rng).expect("non-empty"));
            }
            2 if n >= 2 => {
                let i = rng.gen_range(0..n - 1);
                chars.swap(i, i + 1);
            }
            _ => {
                // The tone mark moved to another letter of the word.
                let nfd: Vec<char> = chars.iter().collect::<String>().nfd().collect();
                let Some(t) = nfd
                    .iter()
                    .position(|c| matches!(*c, GRAVE | ACUTE | TILDE | HOOK | DOT))
                else {
                    let i = rng.gen_range(0..n);
                    chars.insert(i, *STRAY_LETTERS.choose(rng).expect("non-empty"));
                    continue;
                };
                let mut rest: Vec<char> = nfd.clone();
                let mark = rest.remove(t);
                let letters: Vec<usize> = (0..rest.len())
                    .filter(|&i| rest[i].is_alphabetic() && !is_combining_mark(rest[i]))
                    .collect();
                let &at = letters.choose(rng).expect("a word has letters");
                rest.insert(at + 1, mark);
                chars = rest.into_iter().nfc().collect();
            }
        }
    }
    if rng.gen_bool(0.5) {
        // Case flipped on some letters ("HẰọG"): the engine's case is as unreliable as its
        // letters on a smudged line.
        let upper_all = rng.gen_bool(0.5);
        for c in chars.iter_mut() {
            let flip = if upper_all {
                c.is_lowercase()
            } else {
                rng.gen_bool(0.3)
            };
            if !flip {
                continue;
            }
            let flipped: Vec<char> = if c.is_uppercase() {
                c.to_lowercase().collect()
            } else {
                c.to_uppercase().collect()
            };
            if let [one] = flipped.as_slice() {
                *c = *one;
            }
        }
    }
    chars.into_iter().collect()
}

/// The given name (last word) of a full name garbled with `edits` edits.
pub fn garble_given<R: Rng>(name: &str, edits: usize, rng: &mut R) -> Option<String> {
    let (rest, given) = match name.rsplit_once(' ') {
        Some((r, g)) => (Some(r), g),
        None => (None, name),
    };
    if given.is_empty() {
        return None;
    }
    let g = garble_word(given, edits, rng);
    Some(match rest {
        Some(r) => format!("{r} {g}"),
        None => g,
    })
}

/// The middle words dropped (`Nguyễn Thị Thu Hà` -> `Nguyễn Hà`); `None` for two-word names.
pub fn drop_middle(s: &str) -> Option<String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    (words.len() >= 3).then(|| format!("{} {}", words[0], words[words.len() - 1]))
}

/// A date (day, month, year) as the template writes it, with what is known.
pub fn date_text(d: (u8, u8, i32)) -> String {
    match d {
        (0, 0, y) => format!("{y:04}"),
        (0, m, y) => format!("{m:02}.{y:04}"),
        (d, m, y) => format!("{d:02}.{m:02}.{y:04}"),
    }
}

/// One digit of a full date changed to another (keeping a valid day and month).
pub fn date_typo<R: Rng>(d: (u8, u8, i32), rng: &mut R) -> (u8, u8, i32) {
    let (day, month, year) = d;
    for _ in 0..20 {
        match rng.gen_range(0..3) {
            0 if day != 0 => {
                let nd = if rng.gen_bool(0.5) {
                    (day / 10) * 10 + rng.gen_range(0..10)
                } else {
                    rng.gen_range(0..3) * 10 + day % 10
                };
                if (1..=28).contains(&nd) && nd != day {
                    return (nd, month, year);
                }
            }
            1 if month != 0 => {
                let nm = (month / 10) * 10 + rng.gen_range(0..10);
                if (1..=12).contains(&nm) && nm != month {
                    return (day, nm, year);
                }
            }
            _ => {
                let ny = (year / 10) * 10 + rng.gen_range(0..10);
                if ny != year && ny <= 2025 {
                    return (day, month, ny);
                }
            }
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn corruptions_change_what_they_say() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert_eq!(strip_marks("Nguyễn Đức Thắng"), "Nguyen Duc Thang");
        assert_eq!(swap_tone("Hải", &mut rng).unwrap(), "Hãi");
        assert_eq!(swap_tone("Hà", &mut rng).unwrap(), "Há");
        assert_eq!(swap_tone("An", &mut rng), None);
        let c = confuse_letter("Hằng", &mut rng).unwrap();
        assert_ne!(c, "Hằng");
        assert_eq!(regional_spelling("Vân", &mut rng).unwrap(), "Dân");
        assert_eq!(regional_spelling("Huỳnh", &mut rng).unwrap(), "Hoàng");
        assert_eq!(regional_spelling("Lan", &mut rng).unwrap(), "Lang");
        assert_eq!(drop_middle("Nguyễn Thị Thu Hà").unwrap(), "Nguyễn Hà");
        assert_eq!(date_text((5, 3, 1998)), "05.03.1998");
        assert_eq!(date_text((0, 3, 1998)), "03.1998");
        assert_ne!(date_typo((5, 3, 1998), &mut rng), (5, 3, 1998));
    }

    #[test]
    fn garbled_words_are_no_longer_the_word() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut changed = 0;
        for _ in 0..200 {
            let g = garble_word("Hằng", 1, &mut rng);
            if crate::text::fold(&g).to_lowercase() != "hang" {
                changed += 1;
            }
        }
        // A mark moved within the word folds back to it: the other three edits change it.
        assert!(changed > 120, "{changed}");
        let n = garble_given("Nguyễn Thị Lan", 2, &mut rng).unwrap();
        assert!(n.starts_with("Nguyễn Thị "), "{n}");
        assert_ne!(n, "Nguyễn Thị Lan");
    }
}
