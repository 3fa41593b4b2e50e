//! Comparison levels: per field kind an ordered list from exact to different, first match wins.
//! Level 0 is "missing on either side", which is never evidence.

use super::config::{ComparisonKind, MatchConfig};
use super::record::{DateKey, RecordStore, View};
use super::similarity::jaro_winkler;
use super::vocab::{TokenId, Vocab};

pub const NULL: u8 = 0;

/// Level names of a kind, index = level (0 = missing).
pub fn level_names(kind: ComparisonKind) -> &'static [&'static str] {
    match kind {
        ComparisonKind::Name => &[
            "missing",
            "exact",
            "folded",
            "phonetic",
            "family_given",
            "similar",
            "given_only",
            "different",
        ],
        ComparisonKind::Date => &[
            "missing",
            "exact",
            "swapped",
            "typo",
            "month_year",
            "year",
            "year_off_by_one",
            "different",
        ],
        ComparisonKind::Exact => &["missing", "exact", "different"],
        ComparisonKind::Place => &["missing", "exact", "folded", "similar", "different"],
        ComparisonKind::Id => &["missing", "exact", "one_slip", "different"],
        ComparisonKind::Text => &["missing", "exact", "folded", "similar", "different"],
    }
}

/// Number of levels including the missing one.
pub fn level_count(kind: ComparisonKind) -> usize {
    level_names(kind).len()
}

/// The `different` level of a kind (always the last).
pub fn different_level(kind: ComparisonKind) -> u8 {
    (level_count(kind) - 1) as u8
}

/// Name levels.
pub mod name {
    pub const EXACT: u8 = 1;
    pub const FOLDED: u8 = 2;
    pub const PHONETIC: u8 = 3;
    pub const FAMILY_GIVEN: u8 = 4;
    pub const SIMILAR: u8 = 5;
    pub const GIVEN_ONLY: u8 = 6;
    pub const DIFFERENT: u8 = 7;
}

/// Date levels.
pub mod date {
    pub const EXACT: u8 = 1;
    pub const SWAPPED: u8 = 2;
    pub const TYPO: u8 = 3;
    pub const MONTH_YEAR: u8 = 4;
    pub const YEAR: u8 = 5;
    pub const YEAR_OFF_BY_ONE: u8 = 6;
    pub const DIFFERENT: u8 = 7;
}

/// Reusable buffers for one worker thread.
#[derive(Default)]
pub struct Scratch {
    a: String,
    b: String,
}

/// Compares two records field by field; level of field f in bits 4f..4f+4.
pub struct Comparator<'a> {
    pub config: &'a MatchConfig,
    pub vocab: &'a Vocab,
}

impl Comparator<'_> {
    /// Packed levels of every field for records `a` of `sa` and `b` of `sb`.
    pub fn pattern(
        &self,
        sa: &RecordStore,
        a: usize,
        sb: &RecordStore,
        b: usize,
        scratch: &mut Scratch,
    ) -> u64 {
        self.pattern_of(&sa.view(a), &sb.view(b), scratch)
    }

    /// Packed levels of every field for two record views.
    pub fn pattern_of(&self, va: &View, vb: &View, scratch: &mut Scratch) -> u64 {
        let mut p = 0u64;
        for (f, spec) in self.config.fields.iter().enumerate() {
            let level = match spec.kind {
                ComparisonKind::Name => compare_names(
                    self.vocab,
                    va.tokens(f),
                    vb.tokens(f),
                    spec.similar,
                    scratch,
                ),
                ComparisonKind::Date => compare_dates(va.date(f), vb.date(f)),
                ComparisonKind::Exact => match (va.value(f), vb.value(f)) {
                    (Some(x), Some(y)) => {
                        if x == y {
                            1
                        } else {
                            2
                        }
                    }
                    _ => NULL,
                },
                ComparisonKind::Id => match (va.value(f), vb.value(f)) {
                    (Some(x), Some(y)) => {
                        compare_ids(self.vocab.values.resolve(x), self.vocab.values.resolve(y))
                    }
                    _ => NULL,
                },
                ComparisonKind::Place => {
                    compare_places(self.vocab, va.tokens(f), vb.tokens(f), spec.similar)
                }
                ComparisonKind::Text => compare_text(
                    self.vocab,
                    va.tokens(f),
                    vb.tokens(f),
                    spec.similar,
                    scratch,
                ),
            };
            p |= (level as u64) << (4 * f);
        }
        p
    }
}

/// Bits of a pattern holding the levels (the top 4 name the blocking rule).
pub const LEVELS_MASK: u64 = (1 << 60) - 1;

/// The blocking rule recorded in a pattern.
#[inline]
pub fn rule_of(pattern: u64) -> usize {
    (pattern >> 60) as usize
}

/// Level of field `f` in a packed pattern.
#[inline]
pub fn level_of(pattern: u64, f: usize) -> u8 {
    ((pattern >> (4 * f)) & 0xF) as u8
}

fn same_by(
    vocab: &Vocab,
    a: &[TokenId],
    b: &[TokenId],
    key: impl Fn(&Vocab, TokenId) -> u32,
) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&x, &y)| key(vocab, x) == key(vocab, y))
}

fn folded_id(v: &Vocab, t: TokenId) -> u32 {
    v.get(t).folded
}
fn phonetic_id(v: &Vocab, t: TokenId) -> u32 {
    v.get(t).phonetic
}

/// exact, folded, phonetic, family_given (middle dropped or changed), similar (family and given
/// names alike), given_only (given names alike, family not), different.
pub fn compare_names(
    vocab: &Vocab,
    a: &[TokenId],
    b: &[TokenId],
    similar: f64,
    scratch: &mut Scratch,
) -> u8 {
    if a.is_empty() || b.is_empty() {
        return NULL;
    }
    if a == b {
        return name::EXACT;
    }
    if same_by(vocab, a, b, folded_id) {
        return name::FOLDED;
    }
    if same_by(vocab, a, b, phonetic_id) {
        return name::PHONETIC;
    }
    let (ga, gb) = (a[a.len() - 1], b[b.len() - 1]);
    let given_same = phonetic_id(vocab, ga) == phonetic_id(vocab, gb);
    if a.len() >= 2 && b.len() >= 2 {
        let family_same = phonetic_id(vocab, a[0]) == phonetic_id(vocab, b[0]);
        if family_same && given_same {
            return name::FAMILY_GIVEN;
        }
        // Similar: the family names alike and the given names alike, each on its own, so that
        // twins named Hùng and Dũng stay apart even though their full names differ by a letter.
        if words_alike(vocab, ga, gb, similar, scratch) {
            // A family name garbled beyond recognition, or changed (a child may take the
            // mother's): weaker, but not the different person a different given name is.
            return if words_alike(vocab, a[0], b[0], similar, scratch) {
                name::SIMILAR
            } else {
                name::GIVEN_ONLY
            };
        }
        return name::DIFFERENT;
    }
    if (a.len() == 1 && b.len() == 1 && words_alike(vocab, ga, gb, similar, scratch))
        || jw(vocab, a, b, scratch) >= similar
    {
        name::SIMILAR
    } else {
        name::DIFFERENT
    }
}

/// Same phonetic key, same OCR skeleton, or Jaro-Winkler close.
fn words_alike(vocab: &Vocab, a: TokenId, b: TokenId, similar: f64, scratch: &mut Scratch) -> bool {
    let (ta, tb) = (vocab.get(a), vocab.get(b));
    ta.phonetic == tb.phonetic
        || ta.skeleton == tb.skeleton
        || jw(vocab, &[a], &[b], scratch) >= similar
}

fn jw(vocab: &Vocab, a: &[TokenId], b: &[TokenId], scratch: &mut Scratch) -> f64 {
    if let ([x], [y]) = (a, b) {
        // One word each: compare the interned folded strings in place.
        return jaro_winkler(
            vocab.folded.resolve(vocab.get(*x).folded),
            vocab.folded.resolve(vocab.get(*y).folded),
        );
    }
    vocab.folded_text(a, &mut scratch.a);
    vocab.folded_text(b, &mut scratch.b);
    jaro_winkler(&scratch.a, &scratch.b)
}

/// exact, swapped (day and month), typo (one digit of one part), month_year, year,
/// year_off_by_one, different.
pub fn compare_dates(a: DateKey, b: DateKey) -> u8 {
    if a.is_missing() || b.is_missing() {
        return NULL;
    }
    if a == b && a.is_full() {
        return date::EXACT;
    }
    if a.is_full() && b.is_full() {
        if a.year == b.year && a.day == b.month && a.month == b.day {
            return date::SWAPPED;
        }
        let same = [a.day == b.day, a.month == b.month, a.year == b.year];
        if same.iter().filter(|s| **s).count() == 2 {
            let one_digit = if !same[0] {
                one_digit_apart(a.day as u32, b.day as u32, 2)
            } else if !same[1] {
                one_digit_apart(a.month as u32, b.month as u32, 2)
            } else {
                one_digit_apart(a.year as u32, b.year as u32, 4)
            };
            if one_digit {
                return date::TYPO;
            }
        }
    }
    if a.year == b.year && a.month != 0 && a.month == b.month {
        return date::MONTH_YEAR;
    }
    // Two full dates that share only their year name two days months apart: siblings, not a
    // slip. The year levels are for partial dates (`1998` against `05.03.1998`) and for a year
    // miscounted by one on an otherwise equal date.
    let partial = !a.is_full() || !b.is_full();
    if a.year == b.year && partial {
        // Same precision and equal (`03.1998` twice, `1998` twice) is as close as they can be.
        return date::YEAR;
    }
    if a.year.abs_diff(b.year) == 1 && (partial || (a.day == b.day && a.month == b.month)) {
        return date::YEAR_OFF_BY_ONE;
    }
    date::DIFFERENT
}

/// True when the numbers, written with `width` digits, differ in exactly one digit.
fn one_digit_apart(a: u32, b: u32, width: u32) -> bool {
    let mut diff = 0;
    let (mut x, mut y) = (a, b);
    for _ in 0..width {
        if x % 10 != y % 10 {
            diff += 1;
        }
        x /= 10;
        y /= 10;
    }
    diff == 1
}

/// exact, one_slip (one character changed or two neighbours swapped), different.
pub fn compare_ids(a: &str, b: &str) -> u8 {
    if a == b {
        return 1;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() == b.len() {
        let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        let slip = match diffs.as_slice() {
            [_] => true,
            [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
            _ => false,
        };
        if slip {
            return 2;
        }
    }
    3
}

/// exact, folded, similar (the words that name the place mostly shared, or Jaro-Winkler close),
/// different.
pub fn compare_places(vocab: &Vocab, a: &[TokenId], b: &[TokenId], similar: f64) -> u8 {
    if a.is_empty() || b.is_empty() {
        return NULL;
    }
    if a == b {
        return 1;
    }
    if same_by(vocab, a, b, folded_id) {
        return 2;
    }
    let (sa, sb) = (place_signature(vocab, a), place_signature(vocab, b));
    let (sa, sb) = (sa.as_slice(), sb.as_slice());
    if sa.is_empty() || sb.is_empty() {
        return 4;
    }
    // Words shared exactly, then words alike among the rest; the costlier comparison only runs
    // when exact sharing leaves the answer open.
    let smaller = sa.len().min(sb.len());
    let needed = (smaller * 4).div_ceil(5).max(smaller.min(2));
    let mut shared = sa.iter().filter(|x| sb.contains(x)).count();
    // One word short at most: an OCR slip, not another place.
    if shared + 1 == needed {
        for &x in sa.iter().filter(|x| !sb.contains(x)) {
            let wx = vocab.folded.resolve(x);
            if sb
                .iter()
                .filter(|y| !sa.contains(y))
                .any(|&y| jaro_winkler(wx, vocab.folded.resolve(y)) >= similar)
            {
                shared += 1;
            }
        }
    }
    if shared >= needed {
        3
    } else {
        4
    }
}

/// The distinct folded words of a place that name it (not `xã`, `huyện`...), at most 16, on
/// the stack.
struct Signature {
    words: [u32; 16],
    len: usize,
}

impl Signature {
    fn as_slice(&self) -> &[u32] {
        &self.words[..self.len]
    }
}

fn place_signature(vocab: &Vocab, tokens: &[TokenId]) -> Signature {
    let mut s = Signature {
        words: [0; 16],
        len: 0,
    };
    for &t in tokens {
        let t = vocab.get(t);
        if t.place_word || s.as_slice().contains(&t.folded) {
            continue;
        }
        if s.len == s.words.len() {
            break;
        }
        s.words[s.len] = t.folded;
        s.len += 1;
    }
    s
}

/// exact, folded, similar (Jaro-Winkler), different.
pub fn compare_text(
    vocab: &Vocab,
    a: &[TokenId],
    b: &[TokenId],
    similar: f64,
    scratch: &mut Scratch,
) -> u8 {
    if a.is_empty() || b.is_empty() {
        return NULL;
    }
    if a == b {
        return 1;
    }
    if same_by(vocab, a, b, folded_id) {
        return 2;
    }
    if jw(vocab, a, b, scratch) >= similar {
        3
    } else {
        4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::record::parse_date;
    use crate::dedup::vocab::{name_words, place_words};

    fn names(a: &str, b: &str) -> &'static str {
        let mut v = Vocab::new();
        let ta: Vec<_> = name_words(a).map(|w| v.token(w)).collect();
        let tb: Vec<_> = name_words(b).map(|w| v.token(w)).collect();
        let l = compare_names(&v, &ta, &tb, 0.9, &mut Scratch::default());
        level_names(ComparisonKind::Name)[l as usize]
    }

    #[test]
    fn name_levels_from_exact_to_different() {
        assert_eq!(names("Nguyễn Thị Hằng", "NGUYỄN THỊ HẰNG"), "exact");
        assert_eq!(names("Nguyễn Thị Hằng", "Nguyen Thi Hang"), "folded");
        assert_eq!(names("Đặng Văn Hùng", "Dang Van Hung"), "folded");
        assert_eq!(names("Trần Văn Vinh", "Chần Văn Dinh"), "phonetic");
        assert_eq!(names("Huỳnh Thị Lan", "Hoàng Thị Lang"), "phonetic");
        assert_eq!(names("Nguyễn Văn An", "Nguyễn An"), "family_given");
        assert_eq!(names("Lê Thị Thắm", "Lê Thị Thắrn"), "similar");
        assert_eq!(names("Lê Văn Hùng", "Lê Văn Dũng"), "different");
        assert_eq!(names("Nguyễn Thị Lan", "Ngiiyễng Thị Lan"), "similar");
        assert_eq!(names("Võ Ngọc Sen", "D0 Ngoc Sen"), "given_only");
        assert_eq!(names("Võ Ngọc Sen", "Võ Ngọc Mai"), "different");
        assert_eq!(names("Nguyễn Văn An", "Trần Văn Bình"), "different");
        assert_eq!(names("", "Trần Văn Bình"), "missing");
    }

    fn dates(a: &str, b: &str) -> &'static str {
        level_names(ComparisonKind::Date)[compare_dates(parse_date(a), parse_date(b)) as usize]
    }

    #[test]
    fn date_levels_from_exact_to_different() {
        assert_eq!(dates("05.03.1998", "05/03/1998"), "exact");
        assert_eq!(dates("05.03.1998", "03.05.1998"), "swapped");
        assert_eq!(dates("05.03.1998", "05.03.1996"), "typo");
        assert_eq!(dates("15.03.1998", "16.03.1998"), "typo");
        assert_eq!(dates("05.03.1998", "03.1998"), "month_year");
        assert_eq!(dates("05.03.1998", "28.03.1998"), "month_year");
        assert_eq!(dates("05.03.1998", "1998"), "year");
        assert_eq!(dates("1998", "1998"), "year");
        assert_eq!(dates("05.03.1998", "10.10.1998"), "different");
        assert_eq!(dates("05.03.1998", "1999"), "year_off_by_one");
        assert_eq!(dates("05.03.2009", "05.03.2010"), "year_off_by_one");
        assert_eq!(dates("05.03.1998", "10.10.1999"), "different");
        assert_eq!(dates("05.03.1998", "05.03.1978"), "typo");
        assert_eq!(dates("05.03.1998", "12.11.1985"), "different");
        assert_eq!(dates("", "1998"), "missing");
    }

    #[test]
    fn id_levels() {
        assert_eq!(compare_ids("001316012345", "001316012345"), 1);
        assert_eq!(compare_ids("001316012345", "001316012845"), 2);
        assert_eq!(compare_ids("001316012345", "001316013245"), 2);
        assert_eq!(compare_ids("001316012345", "079216012399"), 3);
    }

    fn places(a: &str, b: &str) -> &'static str {
        let mut v = Vocab::new();
        let ta: Vec<_> = place_words(a).map(|w| v.token(w)).collect();
        let tb: Vec<_> = place_words(b).map(|w| v.token(w)).collect();
        let l = compare_places(&v, &ta, &tb, 0.9);
        level_names(ComparisonKind::Place)[l as usize]
    }

    #[test]
    fn place_levels() {
        assert_eq!(places("Xã An Nhơn", "xã an nhơn"), "exact");
        assert_eq!(places("Xã An Nhơn", "Xa An Nhon"), "folded");
        assert_eq!(
            places("Trạm y tế xã An Nhơn", "Xã An Nhơn, huyện Đạ Tẻh"),
            "similar"
        );
        assert_eq!(places("TYT xã An Nhơn", "Trạm y tế xã An Nhorn"), "similar");
        assert_eq!(places("Xã An Nhơn", "Xã Phú Lộc"), "different");
        assert_eq!(places("", "Xã Phú Lộc"), "missing");
    }
}
