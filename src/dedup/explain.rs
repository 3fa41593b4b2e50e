//! The explanation of a scored pair, readable by a reviewer: the level each field reached and
//! the bits it added (with the term-frequency part), then the prior, the total and any cap.
//!
//! `nksHoTen phonetic +12.1 (tf +2.3); nksNgaySinh exact +13.8; meHoTen missing 0; prior -23.4;
//! total 18.2 (99.99 %)`

use super::compare::{level_names, level_of};
use super::config::MatchConfig;
use super::link::confidence_adjustment;
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
            let (conf, read_with) = confidence_adjustment(self.model, f, pattern, &va, &vb);
            if level == 0 {
                let _ = write!(out, "{} missing 0; ", spec.name);
                continue;
            }
            let _ = write!(out, "{} {name} {:+.1}", spec.name, base + tf + conf);
            let mut notes = Vec::new();
            if tf.abs() >= 0.05 {
                notes.push(format!("tf {tf:+.1}"));
            }
            if conf >= 0.05 {
                // A disagreement on a value read with low confidence weighs less.
                let c = read_with.unwrap_or(1.0);
                notes.push(format!("read with confidence {c:.2}: {conf:+.1}"));
            }
            if notes.is_empty() {
                out.push_str("; ");
            } else {
                let _ = write!(out, " ({}); ", notes.join(", "));
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
            let level = level_of(pattern, f) as usize;
            let garbled = level == super::compare::name::GARBLED as usize
                && spec.kind == super::config::ComparisonKind::Name;
            let cap = if garbled {
                spec.cap_when_garbled
            } else {
                spec.cap_when_different
            };
            let _ = write!(
                out,
                "; capped to {}: {} {}",
                cap.map_or("", |d| d.as_str()),
                spec.name,
                level_names(spec.kind)[level]
            );
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
    use crate::dedup::compare::{Comparator, Scratch};
    use crate::dedup::link::decide;
    use crate::dedup::model::{fit, PatternCounts};

    #[test]
    fn explanation_names_levels_weights_prior_and_cap() {
        let config = MatchConfig::parse(
            r#"
            [[fields]]
            columns = ["name"]
            kind = "name"
            cap_when_different = "distinct"
            [[fields]]
            columns = ["born"]
            kind = "date"
            [[fields]]
            columns = ["mother"]
            kind = "name"
            [[blocking]]
            name = "b"
            keys = ["born:date"]
            [thresholds]
            upper = 5
            lower = -100
        "#,
        )
        .unwrap();
        let mut vocab = Vocab::new();
        let mut s = RecordStore::new(&config);
        let src = s.add_source("t");
        s.push(&mut vocab, &["Lê Văn Hùng", "05.03.1998", ""], src, 1);
        s.push(
            &mut vocab,
            &["LE VAN HUNG", "03.05.1998", "Trần Thị Mai"],
            src,
            2,
        );
        s.push(
            &mut vocab,
            &["Lê Văn Dũng", "05.03.1998", "Trần Thị Mai"],
            src,
            3,
        );
        let u = vec![
            vec![0.0, 0.001, 0.001, 0.001, 0.01, 0.01, 0.01, 0.966],
            vec![0.0, 0.001, 0.001, 0.005, 0.01, 0.02, 0.02, 0.943],
            vec![0.0, 0.001, 0.001, 0.001, 0.01, 0.01, 0.01, 0.966],
        ];
        let model = fit(&config, u, 1, &[], &PatternCounts::default(), &[0], 3, 0);
        let tf = crate::dedup::tf::Frequencies::count(&config, &vocab, &[&s]);
        let cmp = Comparator {
            config: &config,
            vocab: &vocab,
        };
        let ex = Explainer {
            config: &config,
            model: &model,
            frequencies: &tf,
            vocab: &vocab,
        };
        let mut scratch = Scratch::default();
        let p = cmp.pattern(&s, 0, &s, 1, &mut scratch);
        let text = ex.explain(p, 12.0, None, &s, 0, &s, 1);
        assert!(text.starts_with("name folded +"), "{text}");
        assert!(text.contains("born swapped +"), "{text}");
        assert!(text.contains("mother missing 0"), "{text}");
        assert!(text.contains("prior "), "{text}");
        assert!(text.ends_with("total 12.0 (99.9756 %)"), "{text}");
        // Twins: a different given name caps the decision, and the explanation says so.
        let p = cmp.pattern(&s, 0, &s, 2, &mut scratch);
        let (decision, cap) = decide(&config, 30.0, p);
        assert_eq!(decision, crate::dedup::config::Decision::Distinct);
        let text = ex.explain(p, 30.0, cap, &s, 0, &s, 2);
        assert!(text.contains("name different -"), "{text}");
        assert!(
            text.ends_with("capped to distinct: name different"),
            "{text}"
        );
    }

    #[test]
    fn percentages_keep_the_digits_that_matter() {
        assert_eq!(percent(0.5), "50.0 %");
        assert_eq!(percent(0.999_95), "99.995 %");
        assert_eq!(percent(1.0), "100 %");
        assert_eq!(percent(0.000_12), "0.012 %");
    }
}
