//! Closed vocabularies (sex, codes, ethnic groups, nationalities, kinship words) matched
//! fuzzily: OCR garbles a word, the list of what it can be puts it right.

use crate::text::fold_compact;

/// Spellings -> the value they stand for.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// (folded compact spelling, value, exact-spelling fit)
    forms: Vec<(String, String, f32)>,
}

/// A vocabulary match.
#[derive(Debug, Clone, PartialEq)]
pub struct VocabMatch {
    pub value: String,
    /// 1 for an exact spelling; lower for a fuzzy one or a doubtful spelling.
    pub fit: f32,
}

impl Vocabulary {
    /// Adds a spelling of `value`. `fit` below 1 marks spellings that need a person to
    /// confirm (an alias shared by several groups).
    pub fn add(&mut self, spelling: &str, value: &str, fit: f32) {
        let key = fold_compact(spelling);
        if !key.is_empty() {
            self.forms.push((key, value.to_string(), fit));
        }
    }

    /// The value `raw` spells, exactly or within a small edit distance. Ties between
    /// different values are refused: a guess between two is not a reading.
    pub fn lookup(&self, raw: &str) -> Option<VocabMatch> {
        let key = fold_compact(raw);
        if key.is_empty() {
            return None;
        }
        if let Some((_, v, fit)) = self.forms.iter().find(|(k, _, _)| *k == key) {
            return Some(VocabMatch {
                value: v.clone(),
                fit: *fit,
            });
        }
        let mut best: Option<(f64, &String, f32)> = None;
        let mut tie = false;
        for (k, v, fit) in &self.forms {
            let sim = strsim::normalized_levenshtein(k, &key);
            match &best {
                Some((s, bv, _)) if (sim - s).abs() < 1e-9 && *bv != v => tie = true,
                Some((s, _, _)) if sim <= *s => {}
                _ => {
                    best = Some((sim, v, *fit));
                    tie = false;
                }
            }
        }
        let (sim, value, fit) = best?;
        // Short words need to be nearly whole: "Nữ" vs "Nam" are one letter from "Na".
        let needed = if key.chars().count() <= 3 { 0.66 } else { 0.72 };
        if tie || sim < needed {
            return None;
        }
        Some(VocabMatch {
            value: value.clone(),
            fit: fit * (0.55 + 0.4 * sim as f32),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_folded_and_fuzzy_spellings() {
        let mut v = Vocabulary::default();
        v.add("Nam", "1", 1.0);
        v.add("Nữ", "2", 1.0);
        v.add("Kinh", "Kinh", 1.0);
        v.add("Thổ", "?", 0.5);
        assert_eq!(v.lookup("NỮ").unwrap().value, "2");
        assert_eq!(
            v.lookup("nu").unwrap(),
            VocabMatch {
                value: "2".into(),
                fit: 1.0
            }
        );
        let fuzzy = v.lookup("Kiinh").unwrap();
        assert_eq!(fuzzy.value, "Kinh");
        assert!(fuzzy.fit < 1.0 && fuzzy.fit > 0.8);
        assert!(v.lookup("Mỹ").is_none());
        assert_eq!(v.lookup("Thổ").unwrap().fit, 0.5);
    }
}
