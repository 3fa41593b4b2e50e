//! Reading dates as books write them: figures with any separator (`15/03/1998`, `5-3-1998`,
//! `15.03.1998`, `15 / 03 / 1998`), with words around them (`ngày 15 tháng 3 năm 1998`),
//! partial (`3/1998`, `năm 1998`, `1998`), or spelled out in words
//! (`ngày mồng năm tháng ba năm một nghìn chín trăm chín mươi tám`). A partial date stays
//! partial; a day is never invented. The fit says how sure the reading is.

use super::numbers::{number_word, words_value, NumberWord};
use super::PartialDate;
use crate::text::fold;

/// Fit of a reading that needed letters read as digits (O -> 0, l -> 1).
const FIT_REPAIRED: f32 = 0.85;
/// Fit of a date in words followed by words that are no number: a year may have lost a word.
const FIT_LEFTOVER: f32 = 0.5;
/// Fit of a two-digit year, whose century is a guess.
const FIT_SHORT_YEAR: f32 = 0.6;

/// Digits in a token, with the letters OCR confuses with digits read as those digits.
/// Returns the digits and whether any letter had to be read as a digit.
fn digits_of(token: &str) -> (String, bool) {
    let mut out = String::new();
    let mut repaired = false;
    for c in token.chars() {
        let d = match c {
            '0'..='9' => c,
            'O' | 'o' | 'D' | 'Q' => '0',
            'l' | 'I' | 'i' | '|' | '!' | ']' | 'J' => '1',
            'Z' | 'z' => '2',
            'S' | 's' => '5',
            'B' => '8',
            'g' => '9',
            _ => continue,
        };
        if !c.is_ascii_digit() {
            repaired = true;
        }
        out.push(d);
    }
    (out, repaired)
}

/// Splits text into groups of figures: "15/03/1998" -> ["15","03","1998"], "ngày 5 tháng 3
/// năm 1998" -> ["5","3","1998"]. Words other than digit look-alikes separate groups.
fn figure_groups(raw: &str) -> (Vec<String>, bool) {
    let mut groups = Vec::new();
    let mut repaired = false;
    let raw = unglue_words(raw);
    for token in raw.split(|c: char| c.is_whitespace() || "/-.,:;_()".contains(c)) {
        if token.is_empty() {
            continue;
        }
        let has_digit = token.chars().any(|c| c.is_ascii_digit());
        // A word like "ngày" or "tháng" is not a number: skip it unless it mostly looks like
        // digits ("2O16", "l998").
        let digitish = token
            .chars()
            .filter(|c| c.is_ascii_digit() || "OolI|]J".contains(*c))
            .count();
        if !has_digit || digitish * 2 <= token.chars().count() {
            continue;
        }
        let (d, r) = digits_of(token);
        repaired |= r;
        if !d.is_empty() {
            groups.push(d);
        }
    }
    (groups, repaired)
}

/// "13tháng12năm 2014": words glued to the figures around them are set apart. A run of
/// three letters or more is a word; one or two letters among digits may be digits misread
/// ("2O16", "l998") and stay.
fn unglue_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphabetic() {
            let end = (i..chars.len())
                .find(|&j| !chars[j].is_alphabetic())
                .unwrap_or(chars.len());
            let word: String = chars[i..end].iter().collect();
            if end - i >= 3 {
                out.push(' ');
                out.push_str(&word);
                out.push(' ');
            } else {
                out.push_str(&word);
            }
            i = end;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn year_of(s: &str) -> Option<(i32, bool)> {
    match s.len() {
        4 => s.parse().ok().map(|y| (y, false)),
        2 => s.parse::<i32>().ok().map(|y| {
            // Registers span the 20th century and this one.
            let now = PartialDate::today().year % 100;
            (if y <= now { 2000 + y } else { 1900 + y }, true)
        }),
        _ => None,
    }
}

/// Parses a date written in figures (with or without the words ngày/tháng/năm), falling back
/// to words. `None` when nothing date-like is there.
pub fn parse_date(raw: &str) -> Option<(PartialDate, f32)> {
    let (groups, repaired) = figure_groups(raw);
    let base = if repaired { FIT_REPAIRED } else { 1.0 };
    let date = match groups.as_slice() {
        [d, m, y] => {
            let (year, short) = year_of(y)?;
            let date = PartialDate::full(d.parse().ok()?, m.parse().ok()?, year);
            Some((date, if short { FIT_SHORT_YEAR } else { base }))
        }
        // "17.042022": the separator between month and year lost.
        [d, my] if d.len() <= 2 && my.len() == 6 => {
            let date = PartialDate::full(
                d.parse().ok()?,
                my[..2].parse().ok()?,
                my[2..].parse().ok()?,
            );
            Some((date, base * 0.9))
        }
        [m, y] if m.len() <= 2 => {
            let (year, short) = year_of(y)?;
            let date = PartialDate::month_year(m.parse().ok()?, year);
            Some((date, if short { FIT_SHORT_YEAR } else { base }))
        }
        // "0303 2003": the separator between day and month lost.
        [dm, y] if dm.len() == 4 && y.len() == 4 => {
            Some((run_together(&format!("{dm}{y}"))?, base * 0.9))
        }
        [y] if y.len() == 4 => Some((PartialDate::year_only(y.parse().ok()?), base)),
        // "15031998" typed without separators.
        [all] if all.len() == 8 => Some((run_together(all)?, base * 0.9)),
        _ => None,
    };
    match date {
        Some((d, fit)) if d.is_valid() => Some((d, fit)),
        Some(_) => None,
        None => parse_date_words(raw),
    }
}

/// `ddmmyyyy` written without separators.
fn run_together(all: &str) -> Option<PartialDate> {
    Some(PartialDate::full(
        all.get(0..2)?.parse().ok()?,
        all.get(2..4)?.parse().ok()?,
        all.get(4..8)?.parse().ok()?,
    ))
}

/// Folded words of the text, punctuation removed.
fn folded_words(raw: &str) -> Vec<String> {
    fold(raw)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads number words from `words[i..]` until a word that is not a number word (or `stop`
/// says to stop); returns the value, how many words were used and whether any was corrected.
fn read_number(
    words: &[String],
    i: usize,
    stop: impl Fn(usize, &[NumberWord]) -> bool,
) -> Option<(u32, usize, bool)> {
    let mut seq = Vec::new();
    let mut corrected = false;
    let mut j = i;
    while j < words.len() {
        if stop(j, &seq) {
            break;
        }
        match number_word(&words[j]) {
            Some((w, c)) => {
                seq.push(w);
                corrected |= c;
                j += 1;
            }
            None => break,
        }
    }
    words_value(&seq).map(|v| (v, j - i, corrected))
}

/// Parses a date spelled out in words: "ngày mồng năm tháng ba năm một nghìn chín trăm chín
/// mươi tám", "tháng giêng năm ...", "năm hai nghìn lẻ tám". Figures mixed in are read too.
pub fn parse_date_words(raw: &str) -> Option<(PartialDate, f32)> {
    let words = folded_words(raw);
    let mut corrected = false;
    let mut day = None;
    let mut month = None;
    let mut i = 0;
    let keyword = |w: &str, k: &str| w == k || (w.len() >= 4 && strsim::levenshtein(w, k) == 1);
    // Day.
    if let Some(p) = words.iter().position(|w| keyword(w, "ngay")) {
        i = p + 1;
        if i < words.len() && matches!(words[i].as_str(), "mong" | "mung") {
            i += 1;
        }
        let (d, used, c) = match words.get(i).and_then(|w| w.parse::<u32>().ok()) {
            Some(d) => (d, 1, false),
            None => read_number(&words, i, |j, _| keyword(&words[j], "thang"))?,
        };
        corrected |= c;
        day = Some(d);
        i += used;
    }
    // Month: one word, or "mười [một|hai]"; "giêng" is January and "chạp" December.
    // Words passed over between the parts are number words misread ("tháng mười mội"):
    // the part before them may be short of a word.
    let mut passed_over = false;
    if let Some(p) = words[i..].iter().position(|w| keyword(w, "thang")) {
        passed_over |= day.is_some() && p > 0;
        i += p + 1;
        let w = words.get(i)?;
        let (m, used) = if let Ok(m) = w.parse::<u32>() {
            (m, 1)
        } else if w == "gieng" {
            (1, 1)
        } else if w == "chap" {
            (12, 1)
        } else {
            match number_word(w)? {
                (NumberWord::Ten, c) => {
                    corrected |= c;
                    match words.get(i + 1).and_then(|n| number_word(n)) {
                        Some((NumberWord::Digit(u @ 1..=2), c2)) => {
                            corrected |= c2;
                            (10 + u, 2)
                        }
                        _ => (10, 1),
                    }
                }
                (NumberWord::Digit(d), c) => {
                    corrected |= c;
                    (d, 1)
                }
                _ => return None,
            }
        };
        month = Some(m);
        i += used;
    }
    // Year: after the keyword "năm" (when a day or month came first, the next word must be
    // that keyword; "năm" as five was consumed above).
    let p = words[i..].iter().position(|w| w == "nam")?;
    passed_over |= (day.is_some() || month.is_some()) && p > 0;
    i += p + 1;
    let (y, used, c) = match words.get(i).and_then(|w| w.parse::<u32>().ok()) {
        Some(y) => (y, 1, false),
        None => read_number(&words, i, |_, _| false)?,
    };
    corrected |= c;
    // Words left after the year are a number word misread ("...tám mươi lắăm" read as
    // 1980): the year may be short of its last word.
    let leftover = words[i + used..]
        .iter()
        .any(|w| w.chars().any(char::is_alphabetic));
    let date = PartialDate {
        year: y as i32,
        month: month.map(|m| m as u8),
        day: if month.is_some() {
            day.map(|d| d as u8)
        } else {
            None
        },
    };
    if day.is_some() && month.is_none() {
        return None;
    }
    let fit = if leftover || passed_over {
        FIT_LEFTOVER
    } else if corrected {
        FIT_REPAIRED
    } else {
        1.0
    };
    date.is_valid().then_some((date, fit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::words::{date_to_words, WordsStyle};

    fn d(s: &str) -> Option<String> {
        parse_date(s).map(|(d, _)| d.to_template())
    }

    #[test]
    fn a_misread_last_word_of_the_year_leaves_the_date_in_doubt() {
        let (date, fit) =
            parse_date_words("ngày hai mươi lăm tháng năm năm một nghìn chín trăm tám mươi lxm")
                .unwrap();
        assert_eq!(date.to_template(), "25.05.1980");
        assert!(fit <= FIT_LEFTOVER);
        // A vowel read twice ("lắăm") is the word once, with a little doubt.
        let (date, fit) =
            parse_date_words("ngày hai mươi lăm tháng năm năm một nghìn chín trăm tám mươi lắăm")
                .unwrap();
        assert_eq!(date.to_template(), "25.05.1985");
        assert!(fit < 1.0);
        let (_, fit) = parse_date_words(
            "ngày hai mươi lăm tháng năm năm một nghìn chín trăm tám mươi lăm (1985)",
        )
        .unwrap();
        assert_eq!(fit, 1.0);
        // A word passed over inside the month ("mười mội") leaves it in doubt too.
        let (_, fit) =
            parse_date_words("ngày mùng mười tháng mười mội năm một nghìn chín trăm chín mươi ba")
                .unwrap();
        assert!(fit <= FIT_LEFTOVER);
    }

    #[test]
    fn figures_with_any_separator() {
        assert_eq!(d("15/03/1998").as_deref(), Some("15.03.1998"));
        assert_eq!(d("5-3-1998").as_deref(), Some("05.03.1998"));
        assert_eq!(d("15.03.1998").as_deref(), Some("15.03.1998"));
        assert_eq!(d("15 / 03 / 1998").as_deref(), Some("15.03.1998"));
        assert_eq!(d("ngày 15 tháng 3 năm 1998").as_deref(), Some("15.03.1998"));
        assert_eq!(
            d("Ngày 05 tháng 03 năm 2016").as_deref(),
            Some("05.03.2016")
        );
    }

    #[test]
    fn words_glued_to_figures_and_bracket_ones() {
        assert_eq!(d("ngày 13tháng12năm 2014").as_deref(), Some("13.12.2014"));
        assert_eq!(d("ngày9tháng2năm 2015.").as_deref(), Some("09.02.2015"));
        assert_eq!(d("195]").as_deref(), Some("1951"));
        assert_eq!(d("J995").as_deref(), Some("1995"));
        assert_eq!(d("2O16").as_deref(), Some("2016"));
        assert_eq!(d("0303 2003").as_deref(), Some("03.03.2003"));
        assert_eq!(d("17.042022").as_deref(), Some("17.04.2022"));
        assert_eq!(d("2304 1994").as_deref(), Some("23.04.1994"));
    }

    #[test]
    fn partial_dates_stay_partial() {
        assert_eq!(d("03/1998").as_deref(), Some("03.1998"));
        assert_eq!(d("tháng 3 năm 1998").as_deref(), Some("03.1998"));
        assert_eq!(d("1998").as_deref(), Some("1998"));
        assert_eq!(d("năm 1970").as_deref(), Some("1970"));
    }

    #[test]
    fn ocr_slips_are_repaired_with_lower_fit_and_nonsense_is_refused() {
        let (date, fit) = parse_date("15/O3/l998").unwrap();
        assert_eq!(date.to_template(), "15.03.1998");
        assert!(fit < 1.0);
        assert_eq!(d("31/02/1998"), None);
        assert_eq!(d("Kinh"), None);
        assert_eq!(parse_date("15/03/98").unwrap().1, FIT_SHORT_YEAR);
    }

    #[test]
    fn dates_in_words_in_every_style() {
        let date = PartialDate::full(5, 5, 1995);
        for style in [
            WordsStyle::default(),
            WordsStyle {
                day_prefix: Some("mùng"),
                zero_tens: "lẻ",
                thousand: "ngàn",
                capitalize: true,
                ..WordsStyle::default()
            },
            WordsStyle {
                day_prefix: None,
                four_after_tens: "bốn",
                month_four_tu: false,
                ..WordsStyle::default()
            },
        ] {
            let text = date_to_words(&date, &style);
            assert_eq!(parse_date_words(&text).map(|x| x.0), Some(date), "{text}");
        }
        for date in [
            PartialDate::full(24, 4, 2008),
            PartialDate::full(1, 12, 2005),
            PartialDate::full(31, 10, 1987),
            PartialDate::full(15, 11, 1905),
        ] {
            let text = date_to_words(&date, &WordsStyle::default());
            assert_eq!(parse_date(&text).map(|x| x.0), Some(date), "{text}");
        }
        assert_eq!(
            d("Ngày mười lăm tháng giêng năm một nghìn chín trăm chín mươi tám").as_deref(),
            Some("15.01.1998")
        );
        let (date, fit) =
            parse_date_words("ngày hai tháng ba năm hai nghln không trăm mười sáu").unwrap();
        assert_eq!(date, PartialDate::full(2, 3, 2016));
        assert!(fit < 1.0);
    }
}
