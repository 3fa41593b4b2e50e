//! Date arithmetic and the ways books print dates (domain reference 2.12, 7.2).

use crate::normalize::words::{date_to_words, WordsStyle};
use crate::normalize::PartialDate;
use rand::seq::SliceRandom;
use rand::Rng;

/// Day number of a full date (days since 0001-01-01).
pub fn day_number(date: &PartialDate) -> i64 {
    date.day_number().expect("synthetic dates are full")
}

/// The full date of a day number from [`day_number`].
pub fn add_days(day: i64) -> PartialDate {
    let unix_epoch = day_number(&PartialDate::full(1, 1, 1970));
    PartialDate::from_unix_days(day - unix_epoch)
}

/// How a date in figures is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    /// 15/03/1998
    SlashPadded,
    /// 5/3/1998
    SlashBare,
    /// 15-03-1998
    Dash,
    /// 15.03.1998
    Dot,
    /// ngày 15 tháng 3 năm 1998
    DayMonthYearWords,
}

impl DateFormat {
    pub fn random(rng: &mut impl Rng) -> DateFormat {
        *[
            (DateFormat::SlashPadded, 5),
            (DateFormat::SlashBare, 2),
            (DateFormat::Dash, 1),
            (DateFormat::Dot, 2),
            (DateFormat::DayMonthYearWords, 2),
        ]
        .choose_weighted(rng, |(_, w)| *w)
        .map(|(f, _)| f)
        .expect("formats")
    }

    pub fn print(&self, d: &PartialDate) -> String {
        let (day, month) = (d.day.unwrap_or(1), d.month.unwrap_or(1));
        match self {
            DateFormat::SlashPadded => format!("{day:02}/{month:02}/{}", d.year),
            DateFormat::SlashBare => format!("{day}/{month}/{}", d.year),
            DateFormat::Dash => format!("{day:02}-{month:02}-{}", d.year),
            DateFormat::Dot => format!("{day:02}.{month:02}.{}", d.year),
            DateFormat::DayMonthYearWords => {
                format!("ngày {day} tháng {month} năm {}", d.year)
            }
        }
    }
}

/// How a book spells dates in words: the number-word variants and the capitals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordsSpelling {
    pub style: WordsStyle,
    /// Capital first letter only (the style may capitalise every word).
    pub capital_first: bool,
}

impl WordsSpelling {
    pub fn random(rng: &mut impl Rng) -> WordsSpelling {
        let style = WordsStyle {
            day_prefix: *[Some("mồng"), Some("mùng"), None]
                .choose(rng)
                .expect("prefixes"),
            zero_tens: if rng.gen_bool(0.6) { "linh" } else { "lẻ" },
            four_after_tens: if rng.gen_bool(0.7) { "tư" } else { "bốn" },
            thousand: if rng.gen_bool(0.7) { "nghìn" } else { "ngàn" },
            short_hundreds: rng.gen_bool(0.3),
            month_four_tu: rng.gen_bool(0.85),
            capitalize: rng.gen_bool(0.25),
        };
        WordsSpelling {
            style,
            capital_first: rng.gen_bool(0.5),
        }
    }

    pub fn print(&self, d: &PartialDate) -> String {
        let words = date_to_words(d, &self.style);
        if self.capital_first {
            super::places::capitalize_first(&words)
        } else {
            words
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        let d = PartialDate::full(29, 2, 2000);
        assert_eq!(add_days(day_number(&d)), d);
        assert_eq!(add_days(day_number(&d) + 1), PartialDate::full(1, 3, 2000));
    }

    #[test]
    fn prints_the_formats_books_use() {
        let d = PartialDate::full(5, 3, 1998);
        assert_eq!(DateFormat::SlashPadded.print(&d), "05/03/1998");
        assert_eq!(DateFormat::SlashBare.print(&d), "5/3/1998");
        assert_eq!(DateFormat::Dash.print(&d), "05-03-1998");
        assert_eq!(DateFormat::Dot.print(&d), "05.03.1998");
        assert_eq!(
            DateFormat::DayMonthYearWords.print(&d),
            "ngày 5 tháng 3 năm 1998"
        );
    }
}
