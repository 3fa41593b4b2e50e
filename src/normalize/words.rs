//! Vietnamese number and date words (domain reference 7.1, 7.2): rendering, for the synthetic
//! pages and for tests, in every variant books use (mồng/mùng, linh/lẻ, tư/bốn, nghìn/ngàn).

use super::date::PartialDate;

/// Which of the accepted spellings to use when writing numbers and dates in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordsStyle {
    /// Prefix for days 1-10: `Some("mồng")`, `Some("mùng")` or none.
    pub day_prefix: Option<&'static str>,
    /// Zero tens: "linh" (North) or "lẻ".
    pub zero_tens: &'static str,
    /// 4 after a tens word from 20 up: "tư" or "bốn".
    pub four_after_tens: &'static str,
    /// "nghìn" (North) or "ngàn" (South).
    pub thousand: &'static str,
    /// Years 2001-2009 as "hai nghìn lẻ tám" instead of "hai nghìn không trăm lẻ tám".
    pub short_hundreds: bool,
    /// Month 4 as "tư" (good usage) instead of "bốn".
    pub month_four_tu: bool,
    /// Capitalise every word, as the template sample does.
    pub capitalize: bool,
}

impl Default for WordsStyle {
    fn default() -> Self {
        Self {
            day_prefix: Some("mồng"),
            zero_tens: "linh",
            four_after_tens: "tư",
            thousand: "nghìn",
            short_hundreds: false,
            month_four_tu: true,
            capitalize: false,
        }
    }
}

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// 0..=99 in words.
fn below_hundred(n: u32, style: &WordsStyle) -> String {
    debug_assert!(n < 100);
    let (tens, units) = (n / 10, n % 10);
    match tens {
        0 => DIGITS[units as usize].to_string(),
        1 => match units {
            0 => "mười".into(),
            5 => "mười lăm".into(),
            u => format!("mười {}", DIGITS[u as usize]),
        },
        t => {
            let head = format!("{} mươi", DIGITS[t as usize]);
            match units {
                0 => head,
                1 => format!("{head} mốt"),
                4 => format!("{head} {}", style.four_after_tens),
                5 => format!("{head} lăm"),
                u => format!("{head} {}", DIGITS[u as usize]),
            }
        }
    }
}

/// 0..=9999 in words, with "linh/lẻ" for a zero tens digit after hundreds.
pub fn number_to_words(n: u32, style: &WordsStyle) -> String {
    assert!(n < 10_000, "number_to_words handles 0..=9999");
    if n < 100 {
        return below_hundred(n, style);
    }
    let thousands = n / 1000;
    let hundreds = (n / 100) % 10;
    let rest = n % 100;
    let mut parts: Vec<String> = Vec::new();
    if thousands > 0 {
        parts.push(format!("{} {}", DIGITS[thousands as usize], style.thousand));
    }
    let hundreds_needed = thousands == 0 || hundreds > 0 || (rest > 0 && !style.short_hundreds);
    if hundreds_needed && (hundreds > 0 || rest > 0) {
        parts.push(format!("{} trăm", DIGITS[hundreds as usize]));
    }
    if rest > 0 {
        if rest < 10 {
            parts.push(format!("{} {}", style.zero_tens, DIGITS[rest as usize]));
        } else {
            parts.push(below_hundred(rest, style));
        }
    }
    parts.join(" ")
}

fn month_words(m: u8, style: &WordsStyle) -> String {
    match m {
        4 if style.month_four_tu => "tư".into(),
        m => number_to_words(m as u32, style),
    }
}

fn day_words(d: u8, style: &WordsStyle) -> String {
    let words = number_to_words(d as u32, style);
    match style.day_prefix {
        Some(prefix) if d <= 10 => format!("{prefix} {words}"),
        _ => words,
    }
}

/// A date in words: "ngày mồng năm tháng ba năm một nghìn chín trăm chín mươi tám".
/// Partial dates say only what they have ("tháng ba năm 1998" style, in words).
pub fn date_to_words(date: &PartialDate, style: &WordsStyle) -> String {
    let mut parts = Vec::new();
    if let Some(d) = date.day {
        parts.push(format!("ngày {}", day_words(d, style)));
    }
    if let Some(m) = date.month {
        parts.push(format!("tháng {}", month_words(m, style)));
    }
    parts.push(format!(
        "năm {}",
        number_to_words(date.year.max(0) as u32, style)
    ));
    let text = parts.join(" ");
    if style.capitalize {
        crate::text::title_case(&text)
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_numbers_as_books_write_them() {
        let s = WordsStyle::default();
        assert_eq!(number_to_words(21, &s), "hai mươi mốt");
        assert_eq!(number_to_words(15, &s), "mười lăm");
        assert_eq!(number_to_words(24, &s), "hai mươi tư");
        assert_eq!(
            number_to_words(1998, &s),
            "một nghìn chín trăm chín mươi tám"
        );
        assert_eq!(
            number_to_words(1975, &s),
            "một nghìn chín trăm bảy mươi lăm"
        );
        assert_eq!(number_to_words(2008, &s), "hai nghìn không trăm linh tám");
        assert_eq!(number_to_words(2010, &s), "hai nghìn không trăm mười");
        assert_eq!(number_to_words(2000, &s), "hai nghìn");
        let short = WordsStyle {
            short_hundreds: true,
            zero_tens: "lẻ",
            ..s
        };
        assert_eq!(number_to_words(2008, &short), "hai nghìn lẻ tám");
    }

    #[test]
    fn renders_dates() {
        let s = WordsStyle::default();
        assert_eq!(
            date_to_words(&PartialDate::full(15, 3, 1998), &s),
            "ngày mười lăm tháng ba năm một nghìn chín trăm chín mươi tám"
        );
        assert_eq!(
            date_to_words(&PartialDate::full(5, 4, 2008), &s),
            "ngày mồng năm tháng tư năm hai nghìn không trăm linh tám"
        );
        let caps = WordsStyle {
            capitalize: true,
            day_prefix: None,
            ..s
        };
        assert_eq!(
            date_to_words(&PartialDate::full(27, 8, 2008), &caps),
            "Ngày Hai Mươi Bảy Tháng Tám Năm Hai Nghìn Không Trăm Linh Tám"
        );
    }
}
