//! Other readings of a value's figures. In some faces the engine takes a dotted zero for a
//! nine or a six for an eight, yet still sees the right figure beside the one it chose. When
//! a date or an ID number as read is no possible value ("91/01/2096" in a 2006 book), the
//! readings with the fewest, likeliest of those figures swapped in are tried instead.

use super::layout::Token;
use crate::normalize::{parse_date, NormalizeContext, Normalized};
use crate::schema::FieldKind;
use std::collections::BTreeSet;

/// Confidence of a value read with figures the engine ranked second: likely, for a person
/// to confirm.
pub const FIT_FIGURE_RIVAL: f32 = 0.75;

/// At most this many figure rivals are tried (the strongest), and at most this many at once.
const MOST_RIVALS: usize = 10;
const MOST_AT_ONCE: usize = 3;

/// Oldest age a person named in an entry can have at registration.
const OLDEST: i32 = 120;

/// Whether the kind is made of figures whose rivals are worth trying.
pub fn applies(kind: &FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::Date | FieldKind::IdNumber | FieldKind::DocumentNumber
    )
}

/// What a value made of figures must be (domain reference 5.1).
#[derive(Debug, Clone, Default)]
pub struct Plausible {
    /// Province codes that open a personal ID number and a CCCD number (`ma_tinh`); empty
    /// when the schemas hold no such table, and then not checked.
    pub provinces: BTreeSet<String>,
}

impl Plausible {
    /// Twelve figures opening with a province's code.
    fn personal_number(&self, value: &str) -> bool {
        value.len() == 12
            && value.chars().all(|c| c.is_ascii_digit())
            && (self.provinces.is_empty() || self.provinces.contains(&value[..3]))
    }

    /// Whether a normalised value could be what the page says: a date no later than the
    /// registration year and not older than a person can be; a personal ID number of twelve
    /// figures opening with a province code; a document number in figures alone of nine
    /// figures (CMND) or twelve (CCCD, built as the personal number).
    pub fn check(&self, kind: &FieldKind, norm: &Normalized, ctx: &NormalizeContext) -> bool {
        if norm.value.is_empty() {
            return false;
        }
        match kind {
            FieldKind::IdNumber => self.personal_number(&norm.value),
            FieldKind::DocumentNumber => {
                let figures = norm.value.chars().all(|c| c.is_ascii_digit());
                match norm.value.len() {
                    12 => self.personal_number(&norm.value),
                    9 => figures,
                    // A passport or other paper has letters: not judged here.
                    _ => !figures,
                }
            }
            _ => plausible(kind, norm, ctx),
        }
    }
}

/// Whether a normalised date could be what the page says: no later than the registration
/// year and not older than a person can be.
fn plausible(kind: &FieldKind, norm: &Normalized, ctx: &NormalizeContext) -> bool {
    match kind {
        FieldKind::Date => {
            let Some((date, _)) = parse_date(&norm.value) else {
                return false;
            };
            ctx.registration_year
                .is_none_or(|y| date.year <= y && date.year >= y - OLDEST)
        }
        _ => true,
    }
}

/// The value's words with figures swapped for the engine's other readings: fewest swaps
/// first, then the likeliest. The reading as it stands is not among them.
pub fn readings(tokens: &[Token]) -> Vec<Vec<String>> {
    let mut rivals: Vec<(usize, usize, char, f32)> = tokens
        .iter()
        .enumerate()
        .flat_map(|(t, token)| {
            token
                .figure_rivals
                .iter()
                .map(move |&(at, figure, conf)| (t, at, figure, conf))
        })
        .collect();
    rivals.sort_by(|a, b| b.3.total_cmp(&a.3));
    rivals.truncate(MOST_RIVALS);

    let mut sets: Vec<(usize, f32, Vec<usize>)> = Vec::new();
    let n = rivals.len();
    for mask in 1u32..(1 << n) {
        let picked: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        if picked.len() > MOST_AT_ONCE {
            continue;
        }
        // Two rivals for one figure cannot both be taken.
        let mut places: Vec<(usize, usize)> =
            picked.iter().map(|&i| (rivals[i].0, rivals[i].1)).collect();
        places.sort_unstable();
        places.dedup();
        if places.len() < picked.len() {
            continue;
        }
        let likelihood: f32 = picked.iter().map(|&i| rivals[i].3).sum();
        sets.push((picked.len(), likelihood, picked));
    }
    sets.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    sets.into_iter()
        .map(|(_, _, picked)| {
            let mut texts: Vec<Vec<char>> =
                tokens.iter().map(|t| t.text.chars().collect()).collect();
            for i in picked {
                let (t, at, figure, _) = rivals[i];
                if let Some(c) = texts[t].get_mut(at) {
                    *c = figure;
                }
            }
            texts.into_iter().map(|c| c.into_iter().collect()).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::BBox;
    use crate::schema::ValueStyle;

    fn token(text: &str, rivals: &[(usize, char, f32)]) -> Token {
        Token {
            text: text.into(),
            compact: text.into(),
            bbox: BBox::new(0, 0, 10, 10),
            conf: 0.9,
            rival: None,
            figure_rivals: rivals.to_vec(),
            colon_after: false,
        }
    }

    #[test]
    fn fewest_and_likeliest_swaps_come_first() {
        let t = token(
            "91/01/2096",
            &[(0, '0', 0.38), (8, '0', 0.2), (3, '8', 0.1)],
        );
        let all = readings(&[t]);
        assert_eq!(all[0], ["01/01/2096"]);
        assert_eq!(all[1], ["91/01/2006"]);
        assert_eq!(
            all[3],
            ["01/01/2006"],
            "then two at once, the likeliest pair first"
        );
        assert_eq!(all.len(), 7);
    }

    #[test]
    fn implausible_dates_and_numbers_are_told() {
        let ctx = NormalizeContext {
            style: ValueStyle::Plain,
            registration_year: Some(2006),
            authority: None,
        };
        let date = |v: &str| Normalized {
            value: v.into(),
            fit: 1.0,
            ..Normalized::empty()
        };
        let p = Plausible {
            provinces: ["075".to_string()].into(),
        };
        assert!(p.check(&FieldKind::Date, &date("01.01.2006"), &ctx));
        assert!(!p.check(&FieldKind::Date, &date("01.01.2096"), &ctx));
        assert!(!p.check(&FieldKind::Date, &date("1850"), &ctx));
        assert!(!p.check(&FieldKind::Date, &date(""), &ctx));
        assert!(!p.check(&FieldKind::IdNumber, &date("9075212968324"), &ctx));
        assert!(p.check(&FieldKind::IdNumber, &date("075212968324"), &ctx));
        assert!(
            !p.check(&FieldKind::IdNumber, &date("975212968324"), &ctx),
            "no province 975"
        );
        assert!(p.check(&FieldKind::DocumentNumber, &date("265323030"), &ctx));
        assert!(!p.check(&FieldKind::DocumentNumber, &date("26532309309"), &ctx));
        assert!(p.check(&FieldKind::DocumentNumber, &date("B1234567"), &ctx));
    }
}
