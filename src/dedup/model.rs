//! The Fellegi-Sunter model: for each field and level, m = P(level | same person) and
//! u = P(level | different persons); the level adds log2(m/u) bits. u is measured on random
//! pairs and kept fixed; m is estimated without labels by EM over the counts of agreement
//! patterns among candidate pairs (Splink's recipe). The prior is the chance that two random
//! records are the same person, from the number of matches EM finds.

use super::compare::{level_count, level_of, rule_of, Comparator, Scratch, NULL};
use super::config::{ComparisonKind, MatchConfig};
use super::hash::FastMap;
use super::record::RecordStore;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// m and u of one field, by level (index 0, missing, is unused: weight 0).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FieldModel {
    pub name: String,
    pub levels: Vec<String>,
    pub m: Vec<f64>,
    pub u: Vec<f64>,
    /// log2(m/u) per level, 0 for missing.
    pub weight: Vec<f64>,
}

/// The fitted model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Model {
    pub fields: Vec<FieldModel>,
    /// log2 odds that two random records are the same person.
    pub prior_bits: f64,
    /// Matches the model expects among the candidate pairs.
    pub expected_matches: f64,
    /// Whether the match share was estimated by EM (enough candidate pairs), and its
    /// iterations.
    pub em_ran: bool,
    pub em_iterations: usize,
    /// Random pairs the u probabilities were measured on.
    pub u_pairs: usize,
    /// The EM training sessions that estimated m.
    pub sessions: Vec<SessionStats>,
}

/// Starting m per level, from what keying and OCR do to a duplicate: mostly exact or folded,
/// rarely different. EM replaces them when it has enough pairs.
fn default_m(kind: ComparisonKind) -> Vec<f64> {
    match kind {
        ComparisonKind::Name => vec![
            0.0, 0.55, 0.2, 0.08, 0.01, 0.06, 0.05, 0.02, 0.01, 0.01, 0.01,
        ],
        ComparisonKind::Date => vec![0.0, 0.7, 0.03, 0.05, 0.05, 0.1, 0.02, 0.05],
        ComparisonKind::Exact => vec![0.0, 0.97, 0.03],
        ComparisonKind::Place => vec![0.0, 0.55, 0.2, 0.15, 0.1],
        ComparisonKind::Id => vec![0.0, 0.9, 0.05, 0.05],
        ComparisonKind::Text => vec![0.0, 0.55, 0.2, 0.15, 0.1],
    }
}

/// Measures u on `pairs` random pairs drawn from the records of both sides (the registry and
/// the input alike: a random pair is almost surely two different persons).
pub fn estimate_u(
    cmp: &Comparator,
    stores: &[&RecordStore],
    pairs: usize,
    seed: u64,
) -> (Vec<Vec<f64>>, usize) {
    let sizes: Vec<usize> = stores.iter().map(|s| s.len()).collect();
    let total: usize = sizes.iter().sum();
    let nf = cmp.config.fields.len();
    // Small data needs fewer pairs: twenty per record measure any level that matters.
    let pairs = pairs.min(total.saturating_mul(20).max(50_000));
    if total < 2 || pairs == 0 {
        return (vec![vec![]; nf], 0);
    }
    let locate = |mut i: usize| -> (&RecordStore, usize) {
        for (s, &n) in stores.iter().zip(&sizes) {
            if i < n {
                return (s, i);
            }
            i -= n;
        }
        unreachable!("index within the total")
    };
    const CHUNK: usize = 50_000;
    let chunks = pairs.div_ceil(CHUNK);
    let counts = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (c as u64).wrapping_mul(0x9e37));
            let mut scratch = Scratch::default();
            let mut counts = vec![[0u64; 16]; nf];
            let n = CHUNK.min(pairs - c * CHUNK);
            let drawn: Vec<(usize, usize)> = (0..n)
                .map(|_| {
                    let a = rng.gen_range(0..total);
                    let mut b = rng.gen_range(0..total - 1);
                    if b >= a {
                        b += 1;
                    }
                    (a, b)
                })
                .collect();
            for (k, &(a, b)) in drawn.iter().enumerate() {
                // Random records miss the cache: ask for those a few pairs ahead meanwhile.
                if let Some(&(x, y)) = drawn.get(k + 8) {
                    for r in [x, y] {
                        let (s, i) = locate(r);
                        s.prefetch_start(i);
                    }
                }
                if let Some(&(x, y)) = drawn.get(k + 4) {
                    for r in [x, y] {
                        let (s, i) = locate(r);
                        s.prefetch_data(i);
                    }
                }
                let ((sa, ra), (sb, rb)) = (locate(a), locate(b));
                let p = cmp.pattern(sa, ra, sb, rb, &mut scratch);
                for (f, c) in counts.iter_mut().enumerate() {
                    c[level_of(p, f) as usize] += 1;
                }
            }
            counts
        })
        .reduce(
            || vec![[0u64; 16]; nf],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(&b) {
                    for (p, q) in x.iter_mut().zip(y) {
                        *p += q;
                    }
                }
                a
            },
        );
    let u = cmp
        .config
        .fields
        .iter()
        .zip(&counts)
        .map(|(spec, c)| {
            let levels = level_count(spec.kind);
            // Add-one smoothing: a level never seen among random pairs is rare, not impossible.
            let seen: u64 = c[1..levels].iter().sum();
            let mut u = vec![0.0; levels];
            for l in 1..levels {
                u[l] = (c[l] as f64 + 1.0) / (seen as f64 + levels as f64);
            }
            u
        })
        .collect();
    (u, pairs)
}

/// Counts of agreement patterns among candidate pairs.
pub type PatternCounts = FastMap<u64, u64>;

/// What one EM training session did.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SessionStats {
    pub name: String,
    pub pairs: u64,
    /// Matches EM found among the session's pairs.
    pub matches: f64,
    pub iterations: usize,
    pub trained: Vec<String>,
}

/// One EM training session's pairs and the fields (bit mask) it trains.
pub struct SessionPairs {
    pub name: String,
    pub patterns: PatternCounts,
    pub train: u32,
}

/// EM over pattern counts with u fixed. `used(pattern)` is the mask of fields that count in a
/// pair's likelihood; the m of fields in `update` are re-estimated, the others stay, each
/// pulled toward `prior` as if `strength` matches had shown it (a Dirichlet prior: a session
/// that finds a few hundred matches among namesakes or twins cannot swing a level far on its
/// own). Returns the share of matches and the iterations run.
#[allow(clippy::too_many_arguments)]
fn em(
    m: &mut [Vec<f64>],
    prior: &[Vec<f64>],
    strength: f64,
    u: &[Vec<f64>],
    patterns: &PatternCounts,
    never_match: &dyn Fn(u64) -> bool,
    used: &dyn Fn(u64) -> u32,
    update: u32,
    mut lambda: f64,
    iterations: usize,
) -> (f64, usize) {
    // Sorted so that sums run in one order whatever order the parallel counting left: the
    // same data always gives the same model, to the last bit.
    let mut list: Vec<(u64, f64, bool)> = patterns
        .iter()
        .map(|(&p, &c)| (p, c as f64, never_match(p)))
        .collect();
    list.sort_unstable_by_key(|x| x.0);
    let total: f64 = list.iter().map(|x| x.1).sum();
    let nf = m.len();
    let mut run = 0;
    for _ in 0..iterations {
        run += 1;
        let mut num: Vec<Vec<f64>> = m.iter().map(|l| vec![0.0; l.len()]).collect();
        let mut matched = 0.0;
        for &(p, count, never) in &list {
            let mask = used(p);
            let (mut lm, mut lu) = (0.0f64, 0.0f64);
            for f in 0..nf {
                let l = level_of(p, f) as usize;
                if l != NULL as usize && mask & (1 << f) != 0 {
                    lm += m[f][l].ln();
                    lu += u[f][l].ln();
                }
            }
            let a = lambda.ln() + lm;
            let b = (1.0 - lambda).ln() + lu;
            let w = if never {
                0.0
            } else {
                count / (1.0 + (b - a).exp())
            };
            matched += w;
            for (f, n) in num.iter_mut().enumerate() {
                let l = level_of(p, f) as usize;
                if l != NULL as usize && mask & (1 << f) != 0 {
                    n[l] += w;
                }
            }
        }
        let new_lambda = (matched / total.max(1.0)).clamp(1e-12, 1.0 - 1e-9);
        let mut change = (new_lambda - lambda).abs() / lambda.max(1e-12);
        lambda = new_lambda;
        for (f, (mf, nf)) in m.iter_mut().zip(&num).enumerate() {
            if update & (1 << f) == 0 {
                continue;
            }
            let levels = mf.len();
            let sum: f64 = nf[1..].iter().sum();
            for l in 1..levels {
                // A little smoothing keeps a level EM never saw from reaching zero.
                let new = (nf[l] + strength * prior[f][l] + 0.01)
                    / (sum + strength + 0.01 * (levels - 1) as f64);
                change = change.max((new - mf[l]).abs());
                mf[l] = new;
            }
        }
        if change < 1e-5 {
            break;
        }
    }
    (lambda, run)
}

/// Fits the model: m by EM in each training session (fields no session trains keep their
/// default), then the prior by EM of the match share alone over the candidate pairs, m and u
/// fixed.
///
/// Candidate patterns carry the blocking rule that produced them (top 4 bits); `blocked[rule]`
/// has bit f set for the fields of that rule's key. Those fields are left out of the pair's
/// likelihood when estimating the prior: pairs blocked on a field agree on it whether or not
/// they match, so there it is no evidence.
#[allow(clippy::too_many_arguments)]
pub fn fit(
    config: &MatchConfig,
    u: Vec<Vec<f64>>,
    u_pairs: usize,
    sessions: &[SessionPairs],
    candidates: &PatternCounts,
    blocked: &[u32],
    n_input: usize,
    n_existing: usize,
) -> Model {
    let nf = config.fields.len();
    let all: u32 = (1u32 << nf) - 1;
    let u: Vec<Vec<f64>> = config
        .fields
        .iter()
        .enumerate()
        .map(|(f, spec)| {
            let levels = level_count(spec.kind);
            match u.get(f) {
                Some(v) if v.len() == levels => v.clone(),
                _ => vec![1.0 / levels as f64; levels],
            }
        })
        .collect();
    let defaults: Vec<Vec<f64>> = config.fields.iter().map(|f| default_m(f.kind)).collect();
    // Twins and siblings agree on the family and differ in the given name: a latent class of
    // their own that EM would take for matches. The caps say they never are.
    let never_match = |p: u64| super::decide::capped_to_distinct(config, p);
    // Per field: sum of (session matches x m) and of session matches, to pool sessions.
    let mut pooled: Vec<Vec<f64>> = defaults.iter().map(|l| vec![0.0; l.len()]).collect();
    let mut weight = vec![0.0; nf];
    let mut stats = Vec::new();
    for s in sessions {
        let pairs: u64 = s.patterns.values().sum();
        let mut st = SessionStats {
            name: s.name.clone(),
            pairs,
            ..Default::default()
        };
        if (pairs as usize) >= config.model.em_min_pairs {
            let mut m = defaults.clone();
            let train = s.train & all;
            let (lambda, it) = em(
                &mut m,
                &defaults,
                config.model.m_prior_strength,
                &u,
                &s.patterns,
                &never_match,
                &|_| train,
                train,
                0.05,
                config.model.em_iterations,
            );
            st.matches = lambda * pairs as f64;
            st.iterations = it;
            for f in 0..nf {
                if train & (1 << f) != 0 {
                    st.trained.push(config.fields[f].name.clone());
                    for (p, x) in pooled[f].iter_mut().zip(&m[f]) {
                        *p += st.matches * x;
                    }
                    weight[f] += st.matches;
                }
            }
        }
        stats.push(st);
    }
    let m: Vec<Vec<f64>> = (0..nf)
        .map(|f| {
            if weight[f] > 0.0 {
                pooled[f].iter().map(|x| x / weight[f]).collect()
            } else {
                defaults[f].clone()
            }
        })
        .collect();

    let n_candidates: u64 = candidates.values().sum();
    let em_ran = n_candidates as usize >= config.model.em_min_pairs;
    let (expected_matches, iterations) = if em_ran {
        let mut fixed = m.clone();
        let used = |p: u64| all & !blocked.get(rule_of(p)).copied().unwrap_or(0);
        let start =
            (config.model.duplicate_share * n_input as f64 / n_candidates as f64).clamp(1e-9, 0.5);
        let (lambda, it) = em(
            &mut fixed,
            &m,
            0.0,
            &u,
            candidates,
            &never_match,
            &used,
            0,
            start,
            200,
        );
        (lambda * n_candidates as f64, it)
    } else {
        (config.model.duplicate_share * n_input as f64, 0)
    };
    let total_pairs =
        n_input as f64 * n_existing as f64 + n_input as f64 * (n_input as f64 - 1.0) / 2.0;
    let p = (expected_matches.max(0.5) / total_pairs.max(1.0)).clamp(1e-15, 0.5);
    let fields = config
        .fields
        .iter()
        .enumerate()
        .map(|(f, spec)| {
            let levels = level_count(spec.kind);
            let weight = (0..levels)
                .map(|l| {
                    if l == 0 {
                        0.0
                    } else {
                        (m[f][l] / u[f][l]).log2()
                    }
                })
                .collect();
            FieldModel {
                name: spec.name.clone(),
                levels: super::compare::level_names(spec.kind)
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                m: m[f].clone(),
                u: u[f].clone(),
                weight,
            }
        })
        .collect();
    Model {
        fields,
        prior_bits: (p / (1.0 - p)).log2(),
        expected_matches,
        em_ran,
        em_iterations: iterations,
        u_pairs,
        sessions: stats,
    }
}

impl Model {
    /// The bits the pattern's disagreeing levels take away: the most that low read
    /// confidences can give back.
    #[inline]
    pub fn disagreement_bits(&self, pattern: u64) -> f64 {
        self.fields
            .iter()
            .enumerate()
            .map(|(f, fm)| (-fm.weight[level_of(pattern, f) as usize]).max(0.0))
            .sum()
    }

    /// Sum of the level weights of a pattern (no prior, no term frequencies).
    #[inline]
    pub fn pattern_weight(&self, pattern: u64) -> f64 {
        self.fields
            .iter()
            .enumerate()
            .map(|(f, fm)| fm.weight[level_of(pattern, f) as usize])
            .sum()
    }
}

/// Probability from log2 odds.
pub fn probability(bits: f64) -> f64 {
    1.0 / (1.0 + (-bits).exp2())
}

/// Draws a pattern from known m or u, for the EM recovery test.
#[cfg(test)]
fn draw(rng: &mut ChaCha8Rng, probs: &[Vec<f64>]) -> u64 {
    let mut p = 0u64;
    for (f, levels) in probs.iter().enumerate() {
        let x: f64 = rng.gen();
        let mut acc = 0.0;
        let mut chosen = levels.len() - 1;
        for (l, &q) in levels.iter().enumerate().skip(1) {
            acc += q;
            if x < acc {
                chosen = l;
                break;
            }
        }
        p |= (chosen as u64) << (4 * f);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> MatchConfig {
        MatchConfig::parse(
            r#"
            [[fields]]
            columns = ["name"]
            kind = "name"
            [[fields]]
            columns = ["born"]
            kind = "date"
            [[fields]]
            columns = ["sex"]
            kind = "exact"
            [[fields]]
            columns = ["place"]
            kind = "place"
            [[blocking]]
            name = "b"
            keys = ["name:given"]
            [thresholds]
            upper = 8
            lower = 0
            [model]
            em_iterations = 200
        "#,
        )
        .unwrap()
    }

    #[test]
    fn em_recovers_known_m_from_unlabelled_patterns() {
        let c = config();
        let true_m = vec![
            vec![
                0.0, 0.6, 0.2, 0.1, 0.01, 0.04, 0.02, 0.01, 0.005, 0.005, 0.01,
            ],
            vec![0.0, 0.75, 0.03, 0.05, 0.05, 0.07, 0.02, 0.03],
            vec![0.0, 0.98, 0.02],
            vec![0.0, 0.5, 0.3, 0.15, 0.05],
        ];
        let u = vec![
            vec![
                0.0, 0.01, 0.005, 0.01, 0.001, 0.01, 0.03, 0.02, 0.004, 0.005, 0.905,
            ],
            vec![0.0, 0.002, 0.001, 0.004, 0.02, 0.05, 0.08, 0.843],
            vec![0.0, 0.5, 0.5],
            vec![0.0, 0.05, 0.02, 0.08, 0.85],
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut patterns = PatternCounts::default();
        let (matches, non) = (20_000, 80_000);
        for _ in 0..matches {
            *patterns.entry(draw(&mut rng, &true_m)).or_insert(0) += 1;
        }
        for _ in 0..non {
            *patterns.entry(draw(&mut rng, &u)).or_insert(0) += 1;
        }
        let session = SessionPairs {
            name: "all".into(),
            patterns: patterns.clone(),
            train: 0b1111,
        };
        let model = fit(&c, u, 1, &[session], &patterns, &[0], 100_000, 1_000_000);
        assert!(model.em_ran);
        for (f, fm) in model.fields.iter().enumerate() {
            for (l, (got, want)) in fm.m.iter().zip(&true_m[f]).enumerate().skip(1) {
                assert!(
                    (got - want).abs() < 0.02,
                    "field {f} level {l}: {got} vs {want}"
                );
            }
        }
        let share = model.expected_matches / (matches + non) as f64;
        assert!((share - 0.2).abs() < 0.01, "match share {share}");
    }

    #[test]
    fn few_pairs_keep_the_default_m() {
        let c = config();
        let u = vec![vec![0.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.5]; 4];
        let mut patterns = PatternCounts::default();
        patterns.insert(0x1111, 5);
        let session = SessionPairs {
            name: "few".into(),
            patterns: patterns.clone(),
            train: 0b1111,
        };
        let model = fit(&c, u, 1, &[session], &patterns, &[0], 10, 100);
        assert!(!model.em_ran);
        assert_eq!(model.fields[0].m, default_m(ComparisonKind::Name));
    }
}
