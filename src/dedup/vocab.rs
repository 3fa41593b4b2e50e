//! Interned words. A province's names and places use a few tens of thousands of distinct
//! syllables, so each is normalised once (NFC lower case, folded, phonetic key) and records hold
//! u32 ids: comparing names is comparing small integer sequences.

use super::hash::FastMap;
use super::phonetic::syllable_key;
use crate::text::fold;
use unicode_normalization::UnicodeNormalization;

/// Id of an interned word (NFC lower case).
pub type TokenId = u32;

/// What is known about one word.
#[derive(Debug, Clone)]
pub struct Token {
    /// NFC lower case.
    pub lower: Box<str>,
    /// Id of the folded form (marks stripped, đ -> d) in [`Vocab::folded`].
    pub folded: u32,
    /// Id of the phonetic key in [`Vocab::phonetic`].
    pub phonetic: u32,
    /// Id of the OCR skeleton (phonetic key after merging look-alike letters) in
    /// [`Vocab::phonetic`].
    pub skeleton: u32,
    /// An administrative or institution word (`xã`, `huyện`, `bệnh viện`) that says nothing
    /// about which place is meant.
    pub place_word: bool,
    /// Has the shape of a Vietnamese syllable (onset, vowels, coda, one tone mark): "hằọg",
    /// "lõsan", "nữg" do not.
    pub well_formed: bool,
    /// A known name: in the lexicon, or frequent enough in the data's names
    /// ([`Vocab::learn_frequent`]).
    pub known: bool,
}

/// A plain string interner.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    ids: FastMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }
    pub fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }
    pub fn resolve(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }
    pub fn len(&self) -> usize {
        self.strings.len()
    }
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }
}

/// Folded words that name a kind of place rather than a place.
const PLACE_WORDS: &[&str] = &[
    "xa", "phuong", "thi", "tran", "huyen", "quan", "tinh", "pho", "tp", "tx", "tt", "tram", "y",
    "te", "tyt", "benh", "vien", "bv", "khoa", "ubnd", "thon", "ap", "xom", "khu",
];

/// Every word seen, by its text as written and by its NFC lower-case form.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    /// Text exactly as written -> token (most words repeat verbatim: no normalisation needed).
    by_written: FastMap<Box<str>, TokenId>,
    by_lower: FastMap<Box<str>, TokenId>,
    tokens: Vec<Token>,
    pub folded: Interner,
    pub phonetic: Interner,
    /// Short values of exact-kind and id fields (folded or cleaned), by id.
    pub values: Interner,
    /// Known name words (NFC lower case), from the configuration's lexicon files.
    lexicon: super::hash::FastSet<Box<str>>,
}

impl Vocab {
    pub fn new() -> Self {
        Self::default()
    }

    /// A vocabulary whose words found in `words` (NFC lower case) are known names.
    pub fn with_lexicon(words: &[String]) -> Self {
        Self {
            lexicon: words.iter().map(|w| w.as_str().into()).collect(),
            ..Self::default()
        }
    }

    /// Marks as known every word seen at least `min_count` times in the name fields of
    /// `stores`: a data set's own names count as a lexicon (FEBRL's English names, a
    /// province's rarer names), while a garbled spelling is rarely seen twice.
    pub fn learn_frequent(
        &mut self,
        config: &super::config::MatchConfig,
        stores: &[&super::record::RecordStore],
    ) {
        let min = config.model.lexicon_min_count.max(1);
        let mut counts = vec![0u32; self.tokens.len()];
        for (f, spec) in config.fields.iter().enumerate() {
            if spec.kind != super::config::ComparisonKind::Name {
                continue;
            }
            for s in stores {
                for r in 0..s.len() {
                    for &t in s.tokens(f, r) {
                        counts[t as usize] = counts[t as usize].saturating_add(1);
                    }
                }
            }
        }
        for (t, c) in self.tokens.iter_mut().zip(counts) {
            if c >= min {
                t.known = true;
            }
        }
    }

    /// The token of one word as written.
    pub fn token(&mut self, written: &str) -> TokenId {
        if let Some(&id) = self.by_written.get(written) {
            return id;
        }
        let lower: String = written.nfc().flat_map(char::to_lowercase).collect();
        let id = match self.by_lower.get(lower.as_str()) {
            Some(&id) => id,
            None => {
                let folded = fold(&lower);
                let phonetic = syllable_key(&folded);
                let token = Token {
                    place_word: PLACE_WORDS.contains(&folded.as_str()),
                    well_formed: crate::normalize::is_syllable(&lower),
                    known: self.lexicon.contains(lower.as_str()),
                    skeleton: self.phonetic.intern(&ocr_skeleton(&folded)),
                    folded: self.folded.intern(&folded),
                    phonetic: self.phonetic.intern(&phonetic),
                    lower: lower.as_str().into(),
                };
                let id = self.tokens.len() as TokenId;
                self.tokens.push(token);
                self.by_lower.insert(lower.into(), id);
                id
            }
        };
        self.by_written.insert(written.into(), id);
        id
    }

    #[inline]
    pub fn get(&self, id: TokenId) -> &Token {
        &self.tokens[id as usize]
    }

    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }

    /// Folded text of a token sequence, space-separated, into `out`.
    pub fn folded_text(&self, tokens: &[TokenId], out: &mut String) {
        out.clear();
        for (i, &t) in tokens.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(self.folded.resolve(self.get(t).folded));
        }
    }
}

/// The phonetic key of a folded word with the letter groups OCR confuses merged (`rn` -> `m`,
/// `cl` -> `d`, `ii` -> `u`, digits read for letters): `Thắrn` and `Thắm`, `Ngiiyễng` and
/// `Nguyễn` share a skeleton.
pub fn ocr_skeleton(folded: &str) -> String {
    let mut s = folded
        .replace("rn", "m")
        .replace("cl", "d")
        .replace("ii", "u")
        .replace("vv", "w");
    s = s
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | '|' => 'l',
            '5' => 's',
            '8' => 'b',
            '6' => 'o',
            c => c,
        })
        .collect();
    syllable_key(&s)
}

/// Splits a name into words: whitespace, with stray punctuation trimmed.
pub fn name_words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == ';')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\''))
        .filter(|w| !w.is_empty())
}

/// Splits a place into words: whitespace and punctuation.
pub fn place_words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_word_written_differently_shares_folded_and_phonetic_ids() {
        let mut v = Vocab::new();
        let a = v.token("Nguyễn");
        let b = v.token("NGUYỄN");
        let c = v.token("Nguyen");
        let d = v.token("Nguye\u{302}\u{303}n");
        assert_eq!(a, b);
        assert_eq!(a, d, "NFD input is the same word");
        assert_ne!(a, c);
        assert_eq!(v.get(a).folded, v.get(c).folded);
        assert_eq!(v.get(a).phonetic, v.get(c).phonetic);
        let dd = v.token("Đặng");
        assert_eq!(v.folded.resolve(v.get(dd).folded), "dang");
    }

    #[test]
    fn words_are_split_and_trimmed() {
        let w: Vec<_> = name_words(" Nguyễn  Thị, Hằng. ").collect();
        assert_eq!(w, ["Nguyễn", "Thị", "Hằng"]);
        let p: Vec<_> = place_words("Xã An Nhơn, huyện Đạ Tẻh-tỉnh Lâm Đồng").collect();
        assert_eq!(p.len(), 9);
        let mut v = Vocab::new();
        let x = v.token("Xã");
        assert!(v.get(x).place_word);
    }
}
