//! Comparison levels: per field kind an ordered list from exact to different, first match wins.
//! Level 0 is "missing on either side", which is never evidence.

use super::config::{ComparisonKind, MatchConfig};
use super::record::{DateKey, RecordStore, View};
use super::similarity::{jaro_winkler, PairMemo};
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
            "reordered",
            "family_given",
            "similar",
            "given_only",
            "garbled_alike",
            "garbled",
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
    /// The same words in another order (family and given name swapped).
    pub const REORDERED: u8 = 4;
    pub const FAMILY_GIVEN: u8 = 5;
    pub const SIMILAR: u8 = 6;
    pub const GIVEN_ONLY: u8 = 7;
    /// The given names disagree, one of them garbled (no syllable, unknown beside a known
    /// name, or read with low confidence), but one OCR edit or a couple of stray letters
    /// apart: "HẰọG" and "Hằng", "LõsAN" and "Lan".
    pub const GARBLED_ALIKE: u8 = 8;
    /// The given names disagree, one of them garbled past recognition: no evidence of another
    /// person.
    pub const GARBLED: u8 = 9;
    pub const DIFFERENT: u8 = 10;
}

/// Whether a level says the values agree (closely or loosely): what `cap_only_if_agree` asks
/// of the family's fields.
pub fn agrees(kind: ComparisonKind, level: u8) -> bool {
    level != NULL
        && match kind {
            ComparisonKind::Name => level < name::GARBLED,
            _ => level != different_level(kind),
        }
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

/// Reusable buffers and remembered word comparisons for one worker thread.
#[derive(Default)]
pub struct Scratch {
    a: String,
    b: String,
    /// Jaro-Winkler of two folded words, by their folded ids.
    word_jw: PairMemo,
    /// [`garbled_alike`] of two folded words (1 or 0), by their folded ids.
    word_garbled: PairMemo,
    /// The last left-hand place and its signature: a record is compared with all its
    /// candidates in a row.
    left_place: Option<(Signature, Signature)>,
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
        let low = self.config.model.low_confidence;
        let doubtful = |v: &View, f: usize| v.confidence(f).is_some_and(|c| c < low);
        for (f, spec) in self.config.fields.iter().enumerate() {
            let level = match spec.kind {
                ComparisonKind::Name => compare_names_read(
                    self.vocab,
                    (va.tokens(f), doubtful(va, f)),
                    (vb.tokens(f), doubtful(vb, f)),
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
                    // Interned: the same id is the same text.
                    (Some(x), Some(y)) if x == y => 1,
                    (Some(x), Some(y)) => {
                        compare_ids(self.vocab.values.resolve(x), self.vocab.values.resolve(y))
                    }
                    _ => NULL,
                },
                ComparisonKind::Place => compare_places(
                    self.vocab,
                    va.tokens(f),
                    vb.tokens(f),
                    spec.similar,
                    scratch,
                ),
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

/// The same token ids. Names are a few ids long: a plain loop beats a call to `memcmp`.
#[inline]
fn same_tokens(a: &[TokenId], b: &[TokenId]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
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

/// Names read with full confidence (see [`compare_names_read`]).
pub fn compare_names(
    vocab: &Vocab,
    a: &[TokenId],
    b: &[TokenId],
    similar: f64,
    scratch: &mut Scratch,
) -> u8 {
    compare_names_read(vocab, (a, false), (b, false), similar, scratch)
}

/// exact, folded, phonetic, reordered, family_given (middle dropped or changed), similar
/// (family and given names alike), given_only (given names alike, family not), garbled_alike
/// and garbled (given names disagree, one garbled), different. Each side comes with whether
/// it was read with low confidence.
pub fn compare_names_read(
    vocab: &Vocab,
    (a, low_a): (&[TokenId], bool),
    (b, low_b): (&[TokenId], bool),
    similar: f64,
    scratch: &mut Scratch,
) -> u8 {
    if a.is_empty() || b.is_empty() {
        return NULL;
    }
    if same_tokens(a, b) {
        return name::EXACT;
    }
    if same_by(vocab, a, b, folded_id) {
        return name::FOLDED;
    }
    if same_by(vocab, a, b, phonetic_id) {
        return name::PHONETIC;
    }
    if same_words_reordered(vocab, a, b) {
        return name::REORDERED;
    }
    let (ga, gb) = (a[a.len() - 1], b[b.len() - 1]);
    let given_same = phonetic_id(vocab, ga) == phonetic_id(vocab, gb);
    let family_alike = if a.len() >= 2 && b.len() >= 2 {
        let family_same = phonetic_id(vocab, a[0]) == phonetic_id(vocab, b[0]);
        if family_same && given_same {
            return name::FAMILY_GIVEN;
        }
        // Similar: the family names alike and the given names alike, each on its own, so that
        // twins named Hùng and Dũng stay apart even though their full names differ by a letter.
        let family_alike = family_same || words_alike(vocab, a[0], b[0], similar, scratch);
        if words_alike(vocab, ga, gb, similar, scratch) {
            // A family name garbled beyond recognition, or changed (a child may take the
            // mother's): weaker, but not the different person a different given name is.
            return if family_alike {
                name::SIMILAR
            } else {
                name::GIVEN_ONLY
            };
        }
        family_alike
    } else {
        if (a.len() == 1 && b.len() == 1 && words_alike(vocab, ga, gb, similar, scratch))
            || jw(vocab, a, b, scratch) >= similar
        {
            return name::SIMILAR;
        }
        true
    };
    // The given names disagree. Garbled is not different: a value that is no syllable, or
    // no known name beside a known one, or read with low confidence, says nothing of another
    // person.
    let doubtful = |x: TokenId, low: bool, rival: TokenId| {
        let (t, r) = (vocab.get(x), vocab.get(rival));
        low || !t.well_formed || (!t.known && r.known)
    };
    if doubtful(ga, low_a, gb) || doubtful(gb, low_b, ga) {
        return if family_alike && garbled_alike_words(vocab, ga, gb, scratch) {
            name::GARBLED_ALIKE
        } else {
            name::GARBLED
        };
    }
    name::DIFFERENT
}

/// [`garbled_alike`] of two words' folded forms, remembered.
fn garbled_alike_words(vocab: &Vocab, a: TokenId, b: TokenId, scratch: &mut Scratch) -> bool {
    let (fa, fb) = (vocab.get(a).folded, vocab.get(b).folded);
    scratch.word_garbled.get_or(fa, fb, || {
        f64::from(u8::from(garbled_alike(
            vocab.folded.resolve(fa),
            vocab.folded.resolve(fb),
        )))
    }) != 0.0
}

/// The same folded words, in another order, the family name moved ("Jack Steinert" and
/// "Steinert Jack"). Middle and given names swapped behind the same family name ("Trần Thu
/// Ngọc", "Trần Ngọc Thu") are two names: twins are named so.
fn same_words_reordered(vocab: &Vocab, a: &[TokenId], b: &[TokenId]) -> bool {
    const MAX: usize = 8;
    if a.len() != b.len() || a.len() < 2 || a.len() > MAX {
        return false;
    }
    if folded_id(vocab, a[0]) == folded_id(vocab, b[0]) {
        return false;
    }
    let mut x = [0u32; MAX];
    let mut y = [0u32; MAX];
    for (i, (&p, &q)) in a.iter().zip(b).enumerate() {
        x[i] = folded_id(vocab, p);
        y[i] = folded_id(vocab, q);
    }
    let (x, y) = (&mut x[..a.len()], &mut y[..a.len()]);
    x.sort_unstable();
    y.sort_unstable();
    same_tokens(x, y)
}

/// Two folded words (look-alike figures read as letters) one OCR edit apart (a letter
/// changed, inserted, dropped, or two neighbours swapped), two when the shorter has four
/// letters or more, or one the other with at most two stray letters inserted ("losan" and
/// "lan").
pub fn garbled_alike(a: &str, b: &str) -> bool {
    let letters = |s: &str| -> Vec<char> {
        s.chars()
            .map(|c| match c {
                '0' | '6' => 'o',
                '1' | '|' => 'l',
                '5' => 's',
                '8' => 'b',
                c => c,
            })
            .collect()
    };
    let (a, b) = (letters(a), letters(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let allowed = if a.len().min(b.len()) >= 4 { 2 } else { 1 };
    if damerau_levenshtein(&a, &b) <= allowed {
        return true;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short.len() >= 2 && long.len() - short.len() <= 2 && is_subsequence(short, long)
}

fn is_subsequence(short: &[char], long: &[char]) -> bool {
    let mut it = long.iter();
    short.iter().all(|c| it.any(|d| d == c))
}

/// Edit distance with adjacent transpositions (optimal string alignment), for short words.
fn damerau_levenshtein(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, x) in d[0].iter_mut().enumerate() {
        *x = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
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
        return word_jw(vocab, vocab.get(*x).folded, vocab.get(*y).folded, scratch);
    }
    vocab.folded_text(a, &mut scratch.a);
    vocab.folded_text(b, &mut scratch.b);
    jaro_winkler(&scratch.a, &scratch.b)
}

/// Jaro-Winkler of two folded words by their ids, remembered.
#[inline]
fn word_jw(vocab: &Vocab, a: u32, b: u32, scratch: &mut Scratch) -> f64 {
    scratch.word_jw.get_or(a, b, || {
        jaro_winkler(vocab.folded.resolve(a), vocab.folded.resolve(b))
    })
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
pub fn compare_places(
    vocab: &Vocab,
    a: &[TokenId],
    b: &[TokenId],
    similar: f64,
    scratch: &mut Scratch,
) -> u8 {
    if a.is_empty() || b.is_empty() {
        return NULL;
    }
    if same_tokens(a, b) {
        return 1;
    }
    if same_by(vocab, a, b, folded_id) {
        return 2;
    }
    let (sa, sb) = (
        left_place_signature(vocab, a, scratch),
        place_signature(vocab, b),
    );
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
            if sb
                .iter()
                .filter(|y| !sa.contains(y))
                .any(|&y| word_jw(vocab, x, y, scratch) >= similar)
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

/// [`place_signature`] of `tokens`, taken from the scratch when the same tokens came last.
fn left_place_signature(vocab: &Vocab, tokens: &[TokenId], scratch: &mut Scratch) -> Signature {
    if let Some((seen, signature)) = &scratch.left_place {
        if same_tokens(seen.as_slice(), tokens) {
            return *signature;
        }
    }
    let signature = place_signature(vocab, tokens);
    if let Some(seen) = Signature::holding(tokens) {
        scratch.left_place = Some((seen, signature));
    }
    signature
}

/// The distinct folded words of a place that name it (not `xã`, `huyện`...), at most 16, on
/// the stack.
#[derive(Clone, Copy)]
struct Signature {
    words: [u32; 16],
    len: usize,
}

impl Signature {
    fn as_slice(&self) -> &[u32] {
        &self.words[..self.len]
    }
    /// The ids themselves, when there are at most 16.
    fn holding(ids: &[u32]) -> Option<Self> {
        let mut s = Self {
            words: [0; 16],
            len: ids.len(),
        };
        s.words.get_mut(..ids.len())?.copy_from_slice(ids);
        Some(s)
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
    if same_tokens(a, b) {
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
        assert_eq!(names("Steinert Jack", "Jack Steinert"), "reordered");
        assert_eq!(names("Trần Thu Ngọc", "Trần Ngọc Thu"), "different");
    }

    #[test]
    fn a_garbled_given_name_is_not_a_different_one() {
        // The examples: twins rules must not read these as another child.
        assert_eq!(names("Nguyễn Thị Hằng", "Nguyễn Thị HẰọG"), "garbled_alike");
        assert_eq!(names("Trần Thị Lan", "Trần Thị LõsAN"), "garbled_alike");
        assert_eq!(names("Lê Văn Ngữ", "Lê Văn Nữg"), "garbled_alike");
        assert_eq!(names("Phạm Văn Tú", "Phạm Văn ỷú"), "garbled_alike");
        // Garbled past recognition: not evidence either way.
        assert_eq!(names("Phạm Văn Tú", "Phạm Văn Kỷọx"), "garbled");
        // Twins: both well formed, both different.
        assert_eq!(names("Lê Văn Hùng", "Lê Văn Dũng"), "different");
        // Figures read for letters are letters.
        assert_eq!(names("Phạm Kim Thảo", "Phạm Kim TH0Ả"), "garbled_alike");
    }

    #[test]
    fn a_given_name_read_with_low_confidence_is_garbled_not_different() {
        let mut v = Vocab::new();
        let a: Vec<_> = name_words("Lê Văn Hùng").map(|w| v.token(w)).collect();
        let b: Vec<_> = name_words("Lê Văn Dũng").map(|w| v.token(w)).collect();
        let mut s = Scratch::default();
        let sure = compare_names_read(&v, (&a, false), (&b, false), 0.9, &mut s);
        let doubt = compare_names_read(&v, (&a, false), (&b, true), 0.9, &mut s);
        assert_eq!(sure, name::DIFFERENT);
        assert_eq!(doubt, name::GARBLED_ALIKE);
    }

    #[test]
    fn an_unknown_name_beside_a_known_one_is_doubtful() {
        let mut v = Vocab::with_lexicon(&["hùng".to_string()]);
        let a: Vec<_> = name_words("Lê Văn Hùng").map(|w| v.token(w)).collect();
        let b: Vec<_> = name_words("Lê Văn Khiêm").map(|w| v.token(w)).collect();
        let c: Vec<_> = name_words("Lê Văn Tuân").map(|w| v.token(w)).collect();
        let mut s = Scratch::default();
        assert_eq!(compare_names(&v, &a, &b, 0.9, &mut s), name::GARBLED);
        // Neither known: two plain names, different.
        assert_eq!(compare_names(&v, &b, &c, 0.9, &mut s), name::DIFFERENT);
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
        let l = compare_places(&v, &ta, &tb, 0.9, &mut Scratch::default());
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
