//! The explanation of a scored pair, readable by a reviewer: the level each field reached and
//! the bits it added (with the term-frequency part), then the prior, the total and any cap.
//!
//! `nksHoTen phonetic +12.1 (tf +2.3); nksNgaySinh exact +13.8; meHoTen missing 0; prior -23.4;
//! total 18.2 (99.99 %)`

use super::compare::{level_names, level_of};
use super::config::MatchConfig;
use super::model::{probability, Model};
use super::record::RecordStore;
use super::tf::Frequencies;
use super::vocab::Vocab;
use std::fmt::Write as _;

/// Everything needed to explain pairs.
pub struct Explainer<'a> {
    pub config: &'a MatchConfig,
    pub model: &'a Model,
    pub frequencies: &'a Frequencies,
    pub vocab: &'a Vocab,
}

impl Explainer<'_> {
    #[allow(clippy::too_many_arguments)]
    pub fn explain(
        &self,
        pattern: u64,
        score: f64,
        capped_by: Option<usize>,
        sa: &RecordStore,
        a: usize,
        sb: &RecordStore,
        b: usize,
    ) -> String {
        let mut out = String::new();
        let (va, vb) = (sa.view(a), sb.view(b));
        for (f, spec) in self.config.fields.iter().enumerate() {
            let level = level_of(pattern, f) as usize;
            let name = level_names(spec.kind)[level];
            let base = self.model.fields[f].weight[level];
            let tf = self
                .frequencies
                .adjustment(self.vocab, f, pattern, &va, &vb);
            if level == 0 {
                let _ = write!(out, "{} missing 0; ", spec.name);
            } else if tf.abs() >= 0.05 {
                let _ = write!(
                    out,
                    "{} {name} {:+.1} (tf {tf:+.1}); ",
                    spec.name,
                    base + tf
                );
            } else {
                let _ = write!(out, "{} {name} {:+.1}; ", spec.name, base);
            }
        }
        let _ = write!(
            out,
            "prior {:+.1}; total {:.1} ({})",
            self.model.prior_bits,
            score,
            percent(probability(score))
        );
        if let Some(f) = capped_by {
            let spec = &self.config.fields[f];
            let cap = spec.cap_when_different.map_or("", |d| d.as_str());
            let _ = write!(out, "; capped to {cap}: {} different", spec.name);
        }
        out
    }
}

/// A probability as a percentage with the precision that matters near 0 and 100.
pub fn percent(p: f64) -> String {
    let pc = p * 100.0;
    if pc >= 99.0 || pc <= 1.0 {
        let s = format!("{pc:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        format!("{s} %")
    } else {
        format!("{pc:.1} %")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_keep_the_digits_that_matter() {
        assert_eq!(percent(0.5), "50.0 %");
        assert_eq!(percent(0.999_95), "99.995 %");
        assert_eq!(percent(1.0), "100 %");
        assert_eq!(percent(0.000_12), "0.012 %");
    }
}
