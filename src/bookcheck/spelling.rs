//! Names that repeat through a book (the official who signs, the clerk, the title) are spelled
//! one way by most of its entries: an entry spelling one of them differently only in its marks
//! ("Hiện" where eleven entries read "Hiên") was misread. Pure, on the values in book order.

use crate::text::{fold, nfc, squash_spaces};
use std::collections::BTreeMap;

/// An entry whose spelling loses to the book's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respelling {
    /// Position among the values.
    pub pos: usize,
    /// The book's spelling.
    pub spelling: String,
    /// How many entries spell it so.
    pub agreeing: usize,
}

/// How many times more entries the book's spelling needs than any other. A wrong vote only
/// sends entries to review with the wrong spelling offered; no vote leaves a misread `auto`.
const MAJORITY: f32 = 1.5;

/// Entries the book's spelling outvotes: within values that fold alike, one spelling held by
/// at least `min_agreeing` entries and by [`MAJORITY`] times as many as any other spelling.
pub fn analyse(values: &[Option<&str>], min_agreeing: usize) -> Vec<Respelling> {
    // Folded form -> spelling -> positions.
    let mut groups: BTreeMap<String, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    for (pos, value) in values.iter().enumerate() {
        let Some(value) = value
            .map(|v| squash_spaces(&nfc(v)))
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        groups
            .entry(fold(&value))
            .or_default()
            .entry(value)
            .or_default()
            .push(pos);
    }
    let mut out = Vec::new();
    for spellings in groups.values() {
        let Some((best, best_at)) = spellings.iter().max_by_key(|(_, at)| at.len()) else {
            continue;
        };
        let outvotes_all = spellings
            .iter()
            .filter(|(s, _)| *s != best)
            .all(|(_, at)| best_at.len() as f32 >= MAJORITY * at.len() as f32);
        if best_at.len() < min_agreeing || !outvotes_all {
            continue;
        }
        for (spelling, at) in spellings {
            if spelling == best {
                continue;
            }
            out.extend(at.iter().map(|&pos| Respelling {
                pos,
                spelling: best.clone(),
                agreeing: best_at.len(),
            }));
        }
    }
    out.sort_by_key(|r| r.pos);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_odd_spelling_of_a_repeated_name_is_outvoted() {
        let values = [
            Some("Nguyễn Xuân Hiên"),
            Some("Nguyễn Xuân Hiện"),
            None,
            Some("Nguyễn Xuân Hiên"),
            Some("Trần Văn Ba"),
            Some("Nguyễn  Xuân Hiên"),
        ];
        assert_eq!(
            analyse(&values, 2),
            vec![Respelling {
                pos: 1,
                spelling: "Nguyễn Xuân Hiên".into(),
                agreeing: 3
            }]
        );
    }

    #[test]
    fn no_vote_without_a_clear_majority() {
        // Three against two is a majority; one against one, or two against two, is not.
        let tied = [Some("Lê Văn Thọ"), Some("Lê Văn Tho")];
        assert!(analyse(&tied, 2).is_empty());
        let close = [
            Some("Lê Văn Thọ"),
            Some("Lê Văn Thọ"),
            Some("Lê Văn Thơ"),
            Some("Lê Văn Thơ"),
        ];
        assert!(analyse(&close, 2).is_empty());
        let three_to_two = [close[0], close[1], close[0], close[2], close[3]];
        assert_eq!(analyse(&three_to_two, 2).len(), 2);
        // Names that fold apart never vote on each other.
        let names = [Some("Lê Văn An"), Some("Lê Văn An"), Some("Lê Văn Bình")];
        assert!(analyse(&names, 2).is_empty());
    }
}
