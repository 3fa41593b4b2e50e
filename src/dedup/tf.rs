//! Term frequencies: agreeing on a rare value is stronger evidence than agreeing on a common
//! one. Names are counted by part (family, middle, given, on phonetic keys), so `Nguyễn Thị Lan`
//! weighs less than `Tạ Diệu Huyền` even when both full names are unique in the data. Places and
//! text are counted by their folded form.

use super::compare::{level_of, name};
use super::config::{ComparisonKind, MatchConfig};
use super::hash::{mix, FastMap};
use super::record::{name_parts, RecordStore, View};
use super::vocab::Vocab;
use std::hash::Hash;

/// Counts of one kind of value.
#[derive(Debug, Clone, Default)]
pub struct Counts<K: Hash + Eq> {
    counts: FastMap<K, u32>,
    total: u64,
    /// Probability that two random values agree: sum of squared shares.
    expected: f64,
}

impl<K: Hash + Eq + Copy> Counts<K> {
    fn add(&mut self, k: K) {
        *self.counts.entry(k).or_insert(0) += 1;
        self.total += 1;
    }
    fn finish(&mut self) {
        let n = self.total.max(1) as f64;
        self.expected = self.counts.values().map(|&c| (c as f64 / n).powi(2)).sum();
    }
    /// Share of the value (at least one occurrence).
    pub fn share(&self, k: &K) -> f64 {
        let c = self.counts.get(k).copied().unwrap_or(0).max(1);
        c as f64 / self.total.max(1) as f64
    }
}

/// Frequencies of one field.
#[derive(Debug, Clone)]
pub enum FieldFrequencies {
    None,
    Name {
        family: Counts<u32>,
        middle: Counts<u64>,
        given: Counts<u32>,
    },
    Value(Counts<u64>),
}

/// Frequencies of every field over the records of both sides.
#[derive(Debug, Clone)]
pub struct Frequencies {
    pub fields: Vec<FieldFrequencies>,
    max_bits: f64,
}

impl Frequencies {
    pub fn count(config: &MatchConfig, vocab: &Vocab, stores: &[&RecordStore]) -> Self {
        let fields = config
            .fields
            .iter()
            .enumerate()
            .map(|(f, spec)| {
                if !spec.term_frequencies {
                    return FieldFrequencies::None;
                }
                match spec.kind {
                    ComparisonKind::Name => {
                        let (mut family, mut middle, mut given) =
                            (Counts::default(), Counts::default(), Counts::default());
                        for s in stores {
                            for r in 0..s.len() {
                                if let Some(p) = name_parts(vocab, s.tokens(f, r)) {
                                    if let Some(fam) = p.family {
                                        family.add(fam);
                                        middle.add(p.middle);
                                    }
                                    given.add(p.given);
                                }
                            }
                        }
                        family.finish();
                        middle.finish();
                        given.finish();
                        FieldFrequencies::Name {
                            family,
                            middle,
                            given,
                        }
                    }
                    ComparisonKind::Place | ComparisonKind::Text => {
                        let mut c = Counts::default();
                        for s in stores {
                            for r in 0..s.len() {
                                if let Some(k) = folded_key(vocab, s.tokens(f, r)) {
                                    c.add(k);
                                }
                            }
                        }
                        c.finish();
                        FieldFrequencies::Value(c)
                    }
                    _ => FieldFrequencies::None,
                }
            })
            .collect();
        Self {
            fields,
            max_bits: config.model.tf_max_bits,
        }
    }

    /// The most the adjustments can add to a pair with this pattern: lets scoring skip the
    /// frequency look-ups of pairs that cannot reach a threshold.
    pub fn max_gain(&self, pattern: u64) -> f64 {
        self.fields
            .iter()
            .enumerate()
            .filter(|(f, ff)| {
                let level = level_of(pattern, *f);
                match ff {
                    FieldFrequencies::None => false,
                    FieldFrequencies::Name { .. } => {
                        (name::EXACT..=name::FAMILY_GIVEN).contains(&level)
                    }
                    FieldFrequencies::Value(_) => (1..=2).contains(&level),
                }
            })
            .count() as f64
            * self.max_bits
    }

    /// Bits to add to field `f`'s weight at `level` for this pair: log2 of how much rarer than
    /// an average value the agreed value is (negative for common values), bounded.
    pub fn adjustment(&self, vocab: &Vocab, f: usize, pattern: u64, va: &View, vb: &View) -> f64 {
        let level = level_of(pattern, f);
        let bits = match &self.fields[f] {
            FieldFrequencies::None => return 0.0,
            FieldFrequencies::Name {
                family,
                middle,
                given,
            } => {
                if !(name::EXACT..=name::FAMILY_GIVEN).contains(&level) {
                    return 0.0;
                }
                let with_middle = level != name::FAMILY_GIVEN;
                let share = |v: &View| -> (f64, f64) {
                    let Some(p) = name_parts(vocab, v.tokens(f)) else {
                        return (1.0, 1.0);
                    };
                    let mut share = given.share(&p.given);
                    let mut expected = given.expected;
                    if let Some(fam) = p.family {
                        share *= family.share(&fam);
                        expected *= family.expected;
                        if with_middle {
                            share *= middle.share(&p.middle);
                            expected *= middle.expected;
                        }
                    }
                    (share, expected)
                };
                // The more common of the two spellings: the conservative choice.
                let (s1, e1) = share(va);
                let (s2, e2) = share(vb);
                if s1 >= s2 {
                    (e1 / s1).log2()
                } else {
                    (e2 / s2).log2()
                }
            }
            FieldFrequencies::Value(c) => {
                if !(1..=2).contains(&level) {
                    return 0.0;
                }
                let share = |v: &View| folded_key(vocab, v.tokens(f)).map_or(1.0, |k| c.share(&k));
                (c.expected / share(va).max(share(vb))).log2()
            }
        };
        bits.clamp(-self.max_bits, self.max_bits)
    }
}

fn folded_key(vocab: &Vocab, t: &[u32]) -> Option<u64> {
    (!t.is_empty()).then(|| mix(t.iter().map(|&t| vocab.get(t).folded as u64)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::compare::{Comparator, Scratch};

    #[test]
    fn a_rare_given_name_weighs_more_than_nguyen_thi() {
        let config = MatchConfig::one_name_column();
        let mut vocab = Vocab::new();
        let mut s = RecordStore::new(&config);
        let src = s.add_source("t");
        let mut row = 0;
        let mut add = |s: &mut RecordStore, v: &mut Vocab, n: &str| {
            row += 1;
            s.push(v, &[n], src, row);
        };
        for i in 0..200 {
            let given = ["Lan", "Hoa", "Mai", "Hương"][i % 4];
            add(&mut s, &mut vocab, &format!("Nguyễn Thị {given}"));
        }
        add(&mut s, &mut vocab, "Tạ Diệu Huyền");
        add(&mut s, &mut vocab, "Tạ Diệu Huyền");
        let tf = Frequencies::count(&config, &vocab, &[&s]);
        let cmp = Comparator {
            config: &config,
            vocab: &vocab,
        };
        let adj = |a: usize, b: usize| {
            let p = cmp.pattern(&s, a, &s, b, &mut Scratch::default());
            tf.adjustment(&vocab, 0, p, &s.view(a), &s.view(b))
        };
        let common = adj(0, 4); // Nguyễn Thị Lan twice
        let rare = adj(200, 201); // Tạ Diệu Huyền twice
        assert!(
            common < 0.0,
            "common name weighs less than average: {common}"
        );
        assert!(rare > 4.0, "rare name weighs more: {rare}");
        assert!(rare <= config.model.tf_max_bits);
    }
}
