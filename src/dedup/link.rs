//! One linkage run: candidate pairs from the blocking rules (input against the registry index
//! and within the input), their agreement patterns, the model fitted on them, scores with term
//! frequencies, decisions and the guards that cap them.

use super::blocking::{BlockIndex, KeyPlan};
use super::compare::{level_of, Comparator, Scratch};
use super::config::{Decision, MatchConfig};
pub use super::decide::decide;
use super::model::{self, Model, PatternCounts, SessionPairs};
use super::record::{RecordStore, View};
use super::tf::Frequencies;
use super::vocab::Vocab;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// The registry side, read and indexed once.
#[derive(Debug, Clone)]
pub struct Registry {
    pub store: RecordStore,
    /// Index of the blocking rules.
    pub index: BlockIndex,
    /// Index of the EM training sessions' keys.
    pub training: BlockIndex,
}

impl Registry {
    pub fn build(config: &MatchConfig, vocab: &Vocab, store: RecordStore) -> Self {
        // Registry records' own keys are not needed once indexed: lookups go by input keys.
        let index = BlockIndex::build(&KeyPlan::new(config), vocab, &store, &block_caps(config))
            .without_record_keys();
        let training = BlockIndex::build(
            &KeyPlan::training(config),
            vocab,
            &store,
            &[config.model.training_max_block],
        )
        .without_record_keys();
        Self {
            store,
            index,
            training,
        }
    }
    /// An empty registry (linking within the input only).
    pub fn empty(config: &MatchConfig) -> Self {
        Self::build(config, &Vocab::new(), RecordStore::new(config))
    }
}

/// The block size cap of each blocking rule.
fn block_caps(config: &MatchConfig) -> Vec<usize> {
    config
        .blocking
        .iter()
        .map(|r| r.max_block.unwrap_or(config.model.max_block_size))
        .collect()
}

/// Which side a matched record is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// A registry record.
    Existing,
    /// Another (earlier) input record.
    Input,
}

impl Side {
    pub fn as_str(&self) -> &'static str {
        match self {
            Side::Existing => "existing",
            Side::Input => "input",
        }
    }
}

/// A scored pair worth reporting.
#[derive(Debug, Clone)]
pub struct Link {
    /// The input record (for input pairs, the later one).
    pub input: u32,
    pub side: Side,
    /// The registry record or the earlier input record.
    pub other: u32,
    /// Levels of every field, 4 bits each.
    pub pattern: u64,
    /// Posterior match weight in bits.
    pub score: f64,
    pub decision: Decision,
    /// Field whose `different` level capped the decision.
    pub capped_by: Option<usize>,
    /// The link's cluster would join two registry records.
    pub conflict: bool,
}

impl Link {
    /// `duplicate`, `possible`, `distinct` or `conflict`.
    pub fn decision_str(&self) -> &'static str {
        if self.conflict {
            "conflict"
        } else {
            self.decision.as_str()
        }
    }
}

/// Pairs one blocking rule produced.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RuleStats {
    pub name: String,
    /// Candidate pairs this rule added (pairs of earlier rules are not counted again).
    pub pairs: u64,
    /// Of those, pairs decided `duplicate`: what the rule finds that no earlier one does.
    pub duplicates: u64,
    /// Blocks over the size cap (registry and input indexes), skipped.
    pub oversized_blocks: usize,
    /// Input records whose block under this rule was skipped for its size.
    pub skipped_lookups: u64,
}

/// Seconds spent per phase.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Timings {
    pub index_input: f64,
    pub candidates: f64,
    pub u_sample: f64,
    /// Training sessions: their pairs and EM.
    pub training: f64,
    pub em: f64,
    pub score: f64,
}

/// Everything a linkage run found.
#[derive(Debug, Clone)]
pub struct Linkage {
    /// Pairs scoring at least the lower threshold, by input record then score (best first).
    pub links: Vec<Link>,
    pub model: Model,
    pub rules: Vec<RuleStats>,
    /// Candidate pairs compared.
    pub pairs: u64,
    pub timings: Timings,
    pub frequencies: Frequencies,
}

/// A candidate pair as compared: the other record's side is the top bit of `other`.
#[derive(Clone, Copy)]
struct Pair {
    input: u32,
    other: u32,
    pattern: u64,
}

const INPUT_SIDE: u32 = 1 << 31;

/// Links `input` against `registry` and within itself.
pub fn link(
    config: &MatchConfig,
    vocab: &Vocab,
    registry: &Registry,
    input: &RecordStore,
) -> Linkage {
    let mut timings = Timings::default();
    let plan = KeyPlan::new(config);
    let rules = plan.rule_count();
    let max_block = block_caps(config);
    let t = Instant::now();
    let input_index = BlockIndex::build(&plan, vocab, input, &max_block);
    timings.index_input = t.elapsed().as_secs_f64();

    let cmp = Comparator { config, vocab };
    let t = Instant::now();
    let (pairs, per_rule, skipped) =
        candidates(&cmp, registry, &input_index, input, rules, &max_block);
    timings.candidates = t.elapsed().as_secs_f64();

    let mut patterns = PatternCounts::default();
    for p in pairs.iter().flatten() {
        *patterns.entry(p.pattern).or_insert(0) += 1;
    }
    let n_pairs: usize = pairs.iter().map(Vec::len).sum();
    let t = Instant::now();
    let sessions = training_pairs(&cmp, registry, input);
    timings.training = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let stores = [&registry.store, input];
    let (u, u_pairs) = model::estimate_u(
        &cmp,
        &stores,
        config.model.u_sample_pairs,
        config.model.seed,
    );
    timings.u_sample = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let blocked: Vec<u32> = (0..rules).map(|r| plan.fields_of(r)).collect();
    let model = model::fit(
        config,
        u,
        u_pairs,
        &sessions,
        &patterns,
        &blocked,
        input.len(),
        registry.store.len(),
    );
    timings.em = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let frequencies = Frequencies::count(config, vocab, &stores);
    let confidences = input.has_confidences() || registry.store.has_confidences();
    let mut links: Vec<Link> = pairs
        .par_iter()
        .flat_map_iter(|chunk| chunk.iter())
        .filter_map(|p| {
            let (side, other) = if p.other & INPUT_SIDE != 0 {
                (Side::Input, p.other & !INPUT_SIDE)
            } else {
                (Side::Existing, p.other)
            };
            let base = model.prior_bits + model.pattern_weight(p.pattern);
            let conf_gain = if confidences {
                model.disagreement_bits(p.pattern)
            } else {
                0.0
            };
            if base + frequencies.max_gain(p.pattern) + conf_gain < config.thresholds.lower {
                return None;
            }
            let other_store = match side {
                Side::Input => input,
                Side::Existing => &registry.store,
            };
            let score = score_pair(
                config,
                &model,
                &frequencies,
                vocab,
                p.pattern,
                input,
                p.input as usize,
                other_store,
                other as usize,
            );
            if score < config.thresholds.lower {
                return None;
            }
            let (decision, capped_by) = decide(config, score, p.pattern);
            Some(Link {
                input: p.input,
                side,
                other,
                pattern: p.pattern,
                score,
                decision,
                capped_by,
                conflict: false,
            })
        })
        .collect();
    links.sort_by(|a, b| {
        a.input
            .cmp(&b.input)
            .then(b.score.total_cmp(&a.score))
            .then(a.side.as_str().cmp(b.side.as_str()))
            .then(a.other.cmp(&b.other))
    });
    timings.score = t.elapsed().as_secs_f64();

    let mut duplicates = vec![0u64; rules];
    for l in &links {
        if l.decision == Decision::Duplicate {
            duplicates[super::compare::rule_of(l.pattern)] += 1;
        }
    }
    let rules = (0..rules)
        .map(|r| RuleStats {
            name: plan.names[r].clone(),
            pairs: per_rule[r],
            duplicates: duplicates[r],
            oversized_blocks: registry.index.oversized_blocks.get(r).copied().unwrap_or(0)
                + input_index.oversized_blocks[r],
            skipped_lookups: skipped[r],
        })
        .collect();
    Linkage {
        links,
        model,
        rules,
        pairs: n_pairs as u64,
        timings,
        frequencies,
    }
}

/// The pairs of each EM training session: a sample of input records, each against the
/// registry and earlier input records sharing the session's key (oversized blocks skipped).
fn training_pairs(cmp: &Comparator, registry: &Registry, input: &RecordStore) -> Vec<SessionPairs> {
    let config = cmp.config;
    let plan = KeyPlan::training(config);
    let max_block = config.model.training_max_block;
    let index = BlockIndex::build(&plan, cmp.vocab, input, &[max_block]);
    // At least one record in twenty: deduplicating a registry within itself, few records have
    // a duplicate and a fixed sample would find too few matches to train on.
    let wanted = config.model.training_records.max(input.len() / 20).max(1);
    let step = (input.len() / wanted).max(1);
    let sample: Vec<usize> = (0..input.len()).step_by(step).collect();
    config
        .training
        .iter()
        .enumerate()
        .map(|(s, session)| {
            let train = session.train.iter().fold(0u32, |m, name| {
                m | config
                    .fields
                    .iter()
                    .position(|f| &f.name == name)
                    .map_or(0, |f| 1 << f)
            });
            let patterns = sample
                .par_chunks(1024)
                .map(|chunk| {
                    let mut scratch = Scratch::default();
                    let mut counts = PatternCounts::default();
                    for &i in chunk {
                        let key = index.record_keys(i)[s];
                        for (side, idx, store) in [
                            (Side::Existing, &registry.training, &registry.store),
                            (Side::Input, &index, input),
                        ] {
                            if idx.rule_count == 0 {
                                continue;
                            }
                            let block = idx.block(s, key);
                            if block.len() > max_block {
                                continue;
                            }
                            for (k, &j) in block.iter().enumerate() {
                                if side == Side::Input && j as usize >= i {
                                    break;
                                }
                                // As in `candidates`: fetch the records a few pairs ahead.
                                if let Some(&ahead) = block.get(k + 8) {
                                    store.prefetch_start(ahead as usize);
                                }
                                if let Some(&ahead) = block.get(k + 4) {
                                    store.prefetch_data(ahead as usize);
                                }
                                let p = cmp.pattern(input, i, store, j as usize, &mut scratch);
                                *counts.entry(p).or_insert(0) += 1;
                            }
                        }
                    }
                    counts
                })
                .reduce(PatternCounts::default, |mut a, b| {
                    for (k, v) in b {
                        *a.entry(k).or_insert(0) += v;
                    }
                    a
                });
            SessionPairs {
                name: session.name.clone(),
                patterns,
                train,
            }
        })
        .collect()
}

/// Posterior match weight of a pair: prior + level weights + term-frequency adjustments.
#[allow(clippy::too_many_arguments)]
pub fn score_pair(
    config: &MatchConfig,
    model: &Model,
    tf: &Frequencies,
    vocab: &Vocab,
    pattern: u64,
    sa: &RecordStore,
    a: usize,
    sb: &RecordStore,
    b: usize,
) -> f64 {
    let mut score = model.prior_bits + model.pattern_weight(pattern);
    let (va, vb) = (sa.view(a), sb.view(b));
    for f in 0..config.fields.len() {
        score += tf.adjustment(vocab, f, pattern, &va, &vb);
        score += confidence_adjustment(model, f, pattern, &va, &vb).0;
    }
    score
}

/// A disagreement on a value read with low confidence weighs less: the field's negative
/// weight is scaled by the lower of the two sides' read confidences. Returns the bits added
/// (0 or more) and that confidence, when one side has one.
pub fn confidence_adjustment(
    model: &Model,
    f: usize,
    pattern: u64,
    va: &View,
    vb: &View,
) -> (f64, Option<f64>) {
    let confidence = match (va.confidence(f), vb.confidence(f)) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    let Some(c) = confidence else {
        return (0.0, None);
    };
    let weight = model.fields[f].weight[level_of(pattern, f) as usize];
    if weight >= 0.0 {
        return (0.0, Some(c));
    }
    (-weight * (1.0 - c.clamp(0.0, 1.0)), Some(c))
}

/// Candidate pairs with their patterns (in chunks of input records, never copied into one
/// vector: at tens of millions of pairs the copy would double the peak memory), pairs per
/// rule, skipped lookups per rule.
fn candidates(
    cmp: &Comparator,
    registry: &Registry,
    input_index: &BlockIndex,
    input: &RecordStore,
    rules: usize,
    max_block: &[usize],
) -> (Vec<Vec<Pair>>, Vec<u64>, Vec<u64>) {
    const CHUNK: usize = 2048;
    let chunks: Vec<(Vec<Pair>, Vec<u64>, Vec<u64>)> = (0..input.len().div_ceil(CHUNK))
        .into_par_iter()
        // One scratch per worker's run of chunks: its remembered word comparisons stay warm.
        .map_init(Scratch::default, |scratch, c| {
            let mut out = Vec::new();
            let mut per_rule = vec![0u64; rules];
            let mut skipped = vec![0u64; rules];
            let end = ((c + 1) * CHUNK).min(input.len());
            // (other record with its side bit, rule) of every block the record falls in.
            let mut found: Vec<(u32, u8)> = Vec::new();
            for i in c * CHUNK..end {
                let ki = input_index.record_keys(i);
                found.clear();
                for (r, &key) in ki.iter().enumerate() {
                    if key == 0 {
                        continue;
                    }
                    for (side_bit, index) in [(0, &registry.index), (INPUT_SIDE, input_index)] {
                        if index.rule_count == 0 {
                            continue;
                        }
                        let block = index.block(r, key);
                        if block.len() > max_block[r] {
                            skipped[r] += 1;
                            continue;
                        }
                        for &j in block {
                            if side_bit != 0 && j as usize >= i {
                                break; // ids ascend within a block: only earlier records
                            }
                            found.push((j | side_bit, r as u8));
                        }
                    }
                }
                // Each pair once, credited to the first rule that produced it; sorted by record,
                // which also walks the registry in memory order.
                found.sort_unstable();
                found.dedup_by_key(|x| x.0);
                let vi = input.view(i);
                let side = |other: u32| {
                    if other & INPUT_SIDE != 0 {
                        (input, other & !INPUT_SIDE)
                    } else {
                        (&registry.store, other)
                    }
                };
                for (k, &(other, r)) in found.iter().enumerate() {
                    // Records met at random in a store of a million miss the cache: ask for
                    // the ones a few pairs ahead (their start, then their data) meanwhile.
                    if let Some(&(ahead, _)) = found.get(k + 8) {
                        let (store, j) = side(ahead);
                        store.prefetch_start(j as usize);
                    }
                    if let Some(&(ahead, _)) = found.get(k + 4) {
                        let (store, j) = side(ahead);
                        store.prefetch_data(j as usize);
                    }
                    per_rule[r as usize] += 1;
                    let (store, j) = side(other);
                    let pattern =
                        cmp.pattern_of(&vi, &store.view(j as usize), scratch) | (r as u64) << 60;
                    out.push(Pair {
                        input: i as u32,
                        other,
                        pattern,
                    });
                }
            }
            (out, per_rule, skipped)
        })
        .collect();
    let mut pairs = Vec::with_capacity(chunks.len());
    let mut per_rule = vec![0u64; rules];
    let mut skipped = vec![0u64; rules];
    for (mut p, r, s) in chunks {
        p.shrink_to_fit();
        pairs.push(p);
        for k in 0..rules {
            per_rule[k] += r[k];
            skipped[k] += s[k];
        }
    }
    (pairs, per_rule, skipped)
}
