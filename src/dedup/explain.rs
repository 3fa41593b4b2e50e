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

/// One field of an explained pair: the level it reached and the bits it added.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldWeight {
    pub field: String,
    pub level: String,
    pub bits: f64,
    /// The parts of the weight named apart ("tf +2.3", "read with confidence 0.62: +1.0").
    pub notes: Vec<String>,
}

/// An explanation as [`Explainer::explain`] writes it, taken apart again for a reviewer's
/// waterfall: the prior, each field's bits, the total and the cap, if any.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Explanation {
    pub fields: Vec<FieldWeight>,
    pub prior: f64,
    pub total: f64,
    /// The total as a probability, as written ("99.9756 %").
    pub probability: String,
    /// What capped the decision ("distinct: nksHoTen different"), if anything did.
    pub capped: Option<String>,
}

impl Explanation {
    /// Reads back the text of [`Explainer::explain`] (kept beside it so that the two change
    /// together); `None` for any other text.
    pub fn parse(text: &str) -> Option<Explanation> {
        let mut fields = Vec::new();
        let (mut prior, mut total, mut probability, mut capped) = (None, None, None, None);
        for part in text.split("; ").map(str::trim).filter(|p| !p.is_empty()) {
            if let Some(p) = part.strip_prefix("prior ") {
                prior = Some(p.parse().ok()?);
            } else if let Some(t) = part.strip_prefix("total ") {
                let (t, p) = t.split_once(" (")?;
                total = Some(t.parse().ok()?);
                probability = Some(p.strip_suffix(')')?.to_string());
            } else if let Some(c) = part.strip_prefix("capped to ") {
                capped = Some(c.to_string());
            } else {
                let (head, notes) = match part.strip_suffix(')').and_then(|p| p.split_once(" (")) {
                    Some((head, notes)) => (head, notes.split(", ").map(String::from).collect()),
                    None => (part, Vec::new()),
                };
                let mut words = head.rsplitn(3, ' ');
                let bits = words.next()?.parse().ok()?;
                let level = words.next()?.to_string();
                let field = words.next()?.to_string();
                fields.push(FieldWeight {
                    field,
                    level,
                    bits,
                    notes,
                });
            }
        }
        Some(Explanation {
            fields,
            prior: prior?,
            total: total?,
            probability: probability?,
            capped,
        })
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
        let parsed = Explanation::parse(&text).unwrap();
        assert_eq!(parsed.fields.len(), 3);
        assert_eq!((parsed.total, parsed.capped.as_deref()), (12.0, None));
        // The parse gives back what the text says, field by field.
        let names: Vec<&str> = parsed.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["name", "born", "mother"], "{parsed:?}");
        assert_eq!(parsed.fields[2].bits, 0.0, "{parsed:?}");
        assert!(
            parsed.fields[1].bits > 0.0 && parsed.prior < 0.0,
            "{parsed:?}"
        );
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
        let parsed = Explanation::parse(&text).unwrap();
        assert_eq!(parsed.fields[0].level, "different");
        assert_eq!(parsed.capped.as_deref(), Some("distinct: name different"));
    }

    #[test]
    fn explanations_are_read_back_with_their_notes() {
        let e = Explanation::parse(
            "nksHoTen phonetic +12.1 (tf +2.3, read with confidence 0.62: +1.0); nksNgaySinh \
             exact +13.8; meHoTen missing 0; prior -23.4; total 18.2 (99.99 %)",
        )
        .unwrap();
        assert_eq!(e.fields.len(), 3);
        assert_eq!(
            e.fields[0].notes,
            ["tf +2.3", "read with confidence 0.62: +1.0"]
        );
        assert_eq!(
            (e.fields[2].level.as_str(), e.fields[2].bits),
            ("missing", 0.0)
        );
        assert_eq!(
            (e.prior, e.total, e.probability.as_str()),
            (-23.4, 18.2, "99.99 %")
        );
        assert!(Explanation::parse("Possibly a duplicate").is_none());
    }

    #[test]
    fn percentages_keep_the_digits_that_matter() {
        assert_eq!(percent(0.5), "50.0 %");
        assert_eq!(percent(0.999_95), "99.995 %");
        assert_eq!(percent(1.0), "100 %");
        assert_eq!(percent(0.000_12), "0.012 %");
    }
}
