//! The decision on a scored pair: the thresholds, then the caps of fields whose `different`
//! (or `garbled`) level bounds it where the family agrees (twins, siblings). EM uses the same
//! caps: a pattern no score could make more than `distinct` is never a match.

use super::compare::{agrees, different_level, level_of, name};
use super::config::{ComparisonKind, Decision, MatchConfig};

/// Decision from the thresholds, capped by the fields whose `different` (or `garbled`) level
/// caps it, where the fields the cap asks to agree (the parents) do.
pub fn decide(config: &MatchConfig, score: f64, pattern: u64) -> (Decision, Option<usize>) {
    let mut decision = if score >= config.thresholds.upper {
        Decision::Duplicate
    } else if score >= config.thresholds.lower {
        Decision::Possible
    } else {
        Decision::Distinct
    };
    let mut capped_by = None;
    for (f, spec) in config.fields.iter().enumerate() {
        let level = level_of(pattern, f);
        let cap = if level == different_level(spec.kind) {
            spec.cap_when_different
        } else if spec.kind == ComparisonKind::Name && level == name::GARBLED {
            spec.cap_when_garbled
        } else {
            None
        };
        let Some(cap) = cap else { continue };
        if spec.cap_agree_mask != 0 && !family_agrees(config, pattern, spec.cap_agree_mask) {
            continue;
        }
        let lifted = spec.cap_unless_levels.iter().any(|&(g, at_least)| {
            let l = level_of(pattern, g);
            l != 0 && l <= at_least
        });
        if lifted {
            continue;
        }
        if decision > cap {
            decision = cap;
            capped_by = Some(f);
        }
    }
    (decision, capped_by)
}

/// Whether any field of `mask` agrees in the pattern.
fn family_agrees(config: &MatchConfig, pattern: u64, mask: u32) -> bool {
    config
        .fields
        .iter()
        .enumerate()
        .any(|(g, spec)| mask & (1 << g) != 0 && agrees(spec.kind, level_of(pattern, g)))
}

/// Whether a pattern is `distinct` whatever its score (a twin: the family agrees, the given
/// names are well formed and different).
pub fn capped_to_distinct(config: &MatchConfig, pattern: u64) -> bool {
    decide(config, f64::INFINITY, pattern).0 == Decision::Distinct
}
