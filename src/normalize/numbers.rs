//! Reading Vietnamese number words back into numbers ("một nghìn chín trăm chín mươi tám"
//! -> 1998), tolerant of the spellings books use (linh/lẻ, tư/bốn, lăm/nhăm, mốt, nghìn/ngàn)
//! and of one OCR slip per word. Works on folded words (marks stripped), where "năm" (five)
//! and "năm" (year) look alike: callers decide which is which by position.

use crate::text::fold;

/// A folded number word and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberWord {
    Digit(u32),
    /// "mười" / "mươi" (they fold alike; position tells ten from tens).
    Ten,
    Hundred,
    Thousand,
    /// "linh" / "lẻ": a zero tens digit.
    ZeroTens,
}

const WORDS: &[(&str, NumberWord)] = &[
    ("khong", NumberWord::Digit(0)),
    ("mot", NumberWord::Digit(1)),
    ("mout", NumberWord::Digit(1)),
    ("hai", NumberWord::Digit(2)),
    ("ba", NumberWord::Digit(3)),
    ("bon", NumberWord::Digit(4)),
    ("tu", NumberWord::Digit(4)),
    ("nam", NumberWord::Digit(5)),
    ("lam", NumberWord::Digit(5)),
    ("nham", NumberWord::Digit(5)),
    ("sau", NumberWord::Digit(6)),
    ("bay", NumberWord::Digit(7)),
    ("tam", NumberWord::Digit(8)),
    ("chin", NumberWord::Digit(9)),
    ("muoi", NumberWord::Ten),
    ("tram", NumberWord::Hundred),
    ("nghin", NumberWord::Thousand),
    ("ngan", NumberWord::Thousand),
    ("linh", NumberWord::ZeroTens),
    ("le", NumberWord::ZeroTens),
];

/// The number word a folded token is, allowing one edit for tokens of four letters or more.
/// Returns the word and whether it had to be corrected.
pub fn number_word(token: &str) -> Option<(NumberWord, bool)> {
    let found = exact_or_near(token);
    // "ha!": an i read as an exclamation mark, when the token is no word as read.
    if found.is_none() && token.contains('!') {
        return exact_or_near(&token.replace('!', "i")).map(|(w, _)| (w, true));
    }
    found
}

fn exact_or_near(token: &str) -> Option<(NumberWord, bool)> {
    let t = fold(token);
    let t = t.trim_matches(|c: char| !c.is_alphanumeric());
    if let Some((_, w)) = WORDS.iter().find(|(s, _)| *s == t) {
        return Some((*w, false));
    }
    // A letter read twice ("lắăm", a mark read as a second vowel): no number word doubles one.
    let mut letters: Vec<char> = t.chars().collect();
    letters.dedup();
    let single: String = letters.into_iter().collect();
    if single != t {
        if let Some((_, w)) = WORDS.iter().find(|(s, _)| *s == single) {
            return Some((*w, true));
        }
    }
    if t.chars().count() >= 4 {
        let close: Vec<&NumberWord> = WORDS
            .iter()
            .filter(|(s, _)| s.len() >= 4 && strsim::levenshtein(s, t) == 1)
            .map(|(_, w)| w)
            .collect();
        if let [one] = close[..] {
            return Some((*one, true));
        }
    }
    None
}

/// Value of a run of number words below 10,000, or `None` when the words do not form a
/// number. "mười" after a digit is "tens"; "mốt", "tư", "lăm" follow tens.
pub fn words_value(words: &[NumberWord]) -> Option<u32> {
    if words.is_empty() {
        return None;
    }
    let mut total = 0u32;
    let mut rest = words;
    if let Some(pos) = rest.iter().position(|w| *w == NumberWord::Thousand) {
        let thousands = below_thousand(&rest[..pos])?;
        if thousands == 0 || thousands > 9 {
            return None;
        }
        total += thousands * 1000;
        rest = &rest[pos + 1..];
    }
    if !rest.is_empty() {
        total += below_thousand(rest)?;
    }
    Some(total)
}

fn below_thousand(words: &[NumberWord]) -> Option<u32> {
    use NumberWord::*;
    let mut total = 0;
    let mut rest = words;
    if let Some(pos) = rest.iter().position(|w| *w == Hundred) {
        let [Digit(h)] = rest[..pos] else {
            return None;
        };
        total += h * 100;
        rest = &rest[pos + 1..];
    }
    match rest {
        [] => Some(total),
        [ZeroTens, Digit(u)] => Some(total + u),
        [Digit(u)] => Some(total + u),
        [Ten] => Some(total + 10),
        [Ten, Digit(u)] => Some(total + 10 + u),
        [Digit(t), Ten] if *t >= 2 => Some(total + t * 10),
        [Digit(t), Ten, Digit(u)] if *t >= 2 => Some(total + t * 10 + u),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &str) -> Option<u32> {
        let ws: Option<Vec<NumberWord>> = s
            .split_whitespace()
            .map(|t| number_word(t).map(|w| w.0))
            .collect();
        words_value(&ws?)
    }

    #[test]
    fn reads_years_days_and_months_in_every_spelling() {
        assert_eq!(value("một nghìn chín trăm chín mươi tám"), Some(1998));
        assert_eq!(value("một ngàn chín trăm chín mươi lăm"), Some(1995));
        assert_eq!(value("hai nghìn không trăm linh năm"), Some(2005));
        assert_eq!(value("hai nghìn lẻ tám"), Some(2008));
        assert_eq!(value("hai nghìn không trăm mười sáu"), Some(2016));
        assert_eq!(value("hai mươi mốt"), Some(21));
        assert_eq!(value("ba mươi"), Some(30));
        assert_eq!(value("mười lăm"), Some(15));
        assert_eq!(value("hai mươi tư"), Some(24));
        assert_eq!(value("Mười Hai"), Some(12));
        assert_eq!(value("chín"), Some(9));
        assert_eq!(value("chín mười"), Some(90));
        assert_eq!(value("mười mười"), None);
    }

    #[test]
    fn one_ocr_slip_per_long_word_is_forgiven() {
        assert_eq!(number_word("nghln"), Some((NumberWord::Thousand, true)));
        assert_eq!(number_word("trăm,"), Some((NumberWord::Hundred, false)));
        assert_eq!(number_word("xyz"), None);
        assert_eq!(number_word("lắăm"), Some((NumberWord::Digit(5), true)));
        assert_eq!(number_word("ha!"), Some((NumberWord::Digit(2), true)));
        assert_eq!(number_word("ba!"), Some((NumberWord::Digit(3), false)));
    }
}
