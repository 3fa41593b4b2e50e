//! Blocking: only records sharing a key are compared. Several rules are unioned so that no
//! single garbled field hides a duplicate; each rule counts only the pairs no earlier rule
//! produced. Keys are u64 hashes; an index is a sorted array of (key, record) looked up by binary
//! search: compact (12 bytes a record a rule) and built once for the registry.

use super::config::{KeyTransform, MatchConfig};
use super::hash::mix;
use super::record::{name_parts, RecordStore, View};
use super::vocab::Vocab;
use rayon::prelude::*;

/// The blocking rules resolved to fields and transforms.
#[derive(Debug, Clone)]
pub struct KeyPlan {
    pub names: Vec<String>,
    rules: Vec<Vec<(usize, KeyTransform, bool)>>,
}

impl KeyPlan {
    /// The blocking rules.
    pub fn new(config: &MatchConfig) -> Self {
        Self::from_keys(
            config,
            config
                .blocking
                .iter()
                .map(|r| (r.name.as_str(), r.keys.as_slice())),
        )
    }

    /// The keys of the EM training sessions.
    pub fn training(config: &MatchConfig) -> Self {
        Self::from_keys(
            config,
            config
                .training
                .iter()
                .map(|s| (s.name.as_str(), s.keys.as_slice())),
        )
    }

    fn from_keys<'a>(
        config: &MatchConfig,
        rules: impl Iterator<Item = (&'a str, &'a [String])>,
    ) -> Self {
        let mut names = Vec::new();
        let mut parsed = Vec::new();
        for (name, keys) in rules {
            names.push(name.to_string());
            parsed.push(
                keys.iter()
                    .map(|k| config.parse_key(k).expect("keys checked on load"))
                    .collect(),
            );
        }
        Self {
            names,
            rules: parsed,
        }
    }

    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Bit f set when field f is part of the rule's key.
    pub fn fields_of(&self, rule: usize) -> u32 {
        self.rules[rule].iter().fold(0, |m, &(f, _, _)| m | 1 << f)
    }

    /// Key of a record under a rule; 0 when a part is missing (no block).
    pub fn key(&self, vocab: &Vocab, store: &RecordStore, record: usize, rule: usize) -> u64 {
        self.key_of(vocab, &store.view(record), rule)
    }

    /// Key of a record's view under a rule.
    pub fn key_of(&self, vocab: &Vocab, view: &View, rule: usize) -> u64 {
        let mut parts = [0u64; 8];
        let plan = &self.rules[rule];
        parts[0] = rule as u64 + 1;
        for (i, &(field, t, optional)) in plan.iter().enumerate().take(7) {
            match part(vocab, view, field, t) {
                Some(v) => parts[i + 1] = v,
                // A blank optional part is a value of its own.
                None if optional => parts[i + 1] = BLANK_PART,
                None => return 0,
            }
        }
        mix(parts[..plan.len().min(7) + 1].iter().copied())
    }

    /// Keys of every record under every rule, record-major (`keys[r * rules + k]`).
    pub fn keys_of(&self, vocab: &Vocab, store: &RecordStore) -> Vec<u64> {
        let n = self.rules.len();
        let mut keys = vec![0u64; store.len() * n];
        keys.par_chunks_mut(n.max(1))
            .enumerate()
            .for_each(|(r, out)| {
                let view = store.view(r);
                for (k, slot) in out.iter_mut().enumerate() {
                    *slot = self.key_of(vocab, &view, k);
                }
            });
        keys
    }
}

/// What a blank optional key part hashes as (no value of a part can be it: parts are ids,
/// dates and hashes well below it, or well-mixed).
const BLANK_PART: u64 = 0xB1A4_C0DE_0000_0001;

fn part(vocab: &Vocab, v: &View, f: usize, t: KeyTransform) -> Option<u64> {
    let folded = || {
        let tokens = v.tokens(f);
        (!tokens.is_empty()).then(|| mix(tokens.iter().map(|&t| vocab.get(t).folded as u64)))
    };
    match t {
        KeyTransform::GivenPhonetic => name_parts(vocab, v.tokens(f)).map(|p| p.given as u64),
        KeyTransform::FamilyPhonetic => {
            name_parts(vocab, v.tokens(f)).and_then(|p| p.family.map(u64::from))
        }
        KeyTransform::NamePhonetic => {
            let tokens = v.tokens(f);
            (!tokens.is_empty()).then(|| mix(tokens.iter().map(|&t| vocab.get(t).phonetic as u64)))
        }
        KeyTransform::NameSorted => {
            let tokens = v.tokens(f);
            if tokens.is_empty() {
                return None;
            }
            let mut keys: Vec<u64> = tokens
                .iter()
                .map(|&t| vocab.get(t).phonetic as u64)
                .collect();
            keys.sort_unstable();
            Some(mix(keys))
        }
        KeyTransform::NameFolded | KeyTransform::Folded => folded(),
        KeyTransform::Year => {
            let d = v.date(f);
            (!d.is_missing()).then_some(d.year as u64)
        }
        KeyTransform::MonthYear => {
            let d = v.date(f);
            (d.month != 0).then_some(d.year as u64 * 16 + d.month as u64)
        }
        KeyTransform::FullDate => {
            let d = v.date(f);
            d.is_full()
                .then_some((d.year as u64) << 16 | (d.month as u64) << 8 | d.day as u64)
        }
        KeyTransform::Value => v.value(f).map(u64::from),
    }
}

/// One rule's index: keys sorted, with their records alongside, and a directory from the top
/// bits of a key to where keys with those bits start. Keys are well-mixed hashes, so a
/// directory with about one slot per key puts a lookup within a handful of entries: two cache
/// misses instead of the twenty of a binary search over megabytes.
#[derive(Debug, Clone, Default)]
struct RuleIndex {
    keys: Vec<u64>,
    ids: Vec<u32>,
    directory: Vec<u32>,
    shift: u32,
}

impl RuleIndex {
    fn new(mut pairs: Vec<(u64, u32)>) -> Self {
        pairs.sort_unstable();
        let keys: Vec<u64> = pairs.iter().map(|p| p.0).collect();
        let ids = pairs.iter().map(|p| p.1).collect();
        let bits = (keys.len().max(2) as u64)
            .next_power_of_two()
            .trailing_zeros();
        let shift = 64 - bits;
        let slots = 1usize << bits;
        let mut directory = Vec::with_capacity(slots + 1);
        let mut at = 0usize;
        for slot in 0..slots as u64 {
            while at < keys.len() && keys[at] >> shift < slot {
                at += 1;
            }
            directory.push(at as u32);
        }
        directory.push(keys.len() as u32);
        Self {
            keys,
            ids,
            directory,
            shift,
        }
    }

    fn block(&self, key: u64) -> &[u32] {
        if self.keys.is_empty() {
            return &[];
        }
        let slot = (key >> self.shift) as usize;
        let (lo, hi) = (
            self.directory[slot] as usize,
            self.directory[slot + 1] as usize,
        );
        let window = &self.keys[lo..hi];
        // A slot holds about one key: a window of one key is its block, no search needed
        // (the large blocks, whose searches are the longest, are nearly always alone).
        if window.first() == Some(&key) && window.last() == Some(&key) {
            return &self.ids[lo..hi];
        }
        let start = lo + window.partition_point(|&k| k < key);
        let end = lo + window.partition_point(|&k| k <= key);
        &self.ids[start..end]
    }
}

/// The block size cap of rule `r` among per-rule caps (the last one for rules past the end).
pub fn cap_of(caps: &[usize], r: usize) -> usize {
    caps.get(r).or(caps.last()).copied().unwrap_or(usize::MAX)
}

/// The block index of one side.
#[derive(Debug, Clone, Default)]
pub struct BlockIndex {
    rules: Vec<RuleIndex>,
    /// Every record's key under every rule, record-major.
    pub keys: Vec<u64>,
    pub rule_count: usize,
    /// Per rule: blocks larger than the cap (skipped when looked up).
    pub oversized_blocks: Vec<usize>,
}

impl BlockIndex {
    /// Indexes `store` under every rule; `max_block[rule]` (or the last value for rules past
    /// the end) bounds the blocks counted as oversized.
    pub fn build(plan: &KeyPlan, vocab: &Vocab, store: &RecordStore, max_block: &[usize]) -> Self {
        let n = plan.rule_count();
        let keys = plan.keys_of(vocab, store);
        let rules: Vec<RuleIndex> = (0..n)
            .into_par_iter()
            .map(|k| {
                let pairs: Vec<(u64, u32)> = (0..store.len())
                    .map(|r| (keys[r * n + k], r as u32))
                    .filter(|(key, _)| *key != 0)
                    .collect();
                RuleIndex::new(pairs)
            })
            .collect();
        let oversized_blocks = rules
            .iter()
            .enumerate()
            .map(|(r, ri)| {
                let cap = cap_of(max_block, r);
                ri.keys
                    .chunk_by(|a, b| a == b)
                    .filter(|c| c.len() > cap)
                    .count()
            })
            .collect();
        Self {
            rules,
            keys,
            rule_count: n,
            oversized_blocks,
        }
    }

    /// Records sharing `key` under `rule`, in record order.
    #[inline]
    pub fn block(&self, rule: usize, key: u64) -> &[u32] {
        if key == 0 {
            return &[];
        }
        self.rules[rule].block(key)
    }

    /// Drops the per-record keys (only the side whose records are looked up needs them).
    pub fn without_record_keys(mut self) -> Self {
        self.keys = Vec::new();
        self
    }

    #[inline]
    pub fn record_keys(&self, record: usize) -> &[u64] {
        &self.keys[record * self.rule_count..(record + 1) * self.rule_count]
    }

    pub fn heap_bytes(&self) -> usize {
        self.keys.capacity() * 8
            + self
                .rules
                .iter()
                .map(|r| r.keys.capacity() * 8 + (r.ids.capacity() + r.directory.capacity()) * 4)
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_sharing_a_key_share_a_block() {
        let config = MatchConfig::parse(
            r#"
            [[fields]]
            columns = ["name"]
            kind = "name"
            [[fields]]
            columns = ["born"]
            kind = "date"
            [[blocking]]
            name = "given+year"
            keys = ["name:given", "born:year"]
            [thresholds]
            upper = 1
            lower = 0
        "#,
        )
        .unwrap();
        let mut vocab = Vocab::new();
        let mut s = RecordStore::new(&config);
        let src = s.add_source("t");
        s.push(&mut vocab, &["Nguyễn Văn Vinh", "1990"], src, 1);
        s.push(&mut vocab, &["Trần Dinh", "05.03.1990"], src, 2);
        s.push(&mut vocab, &["Trần Dinh", "1991"], src, 3);
        s.push(&mut vocab, &["", "1990"], src, 4);
        let plan = KeyPlan::new(&config);
        let index = BlockIndex::build(&plan, &vocab, &s, &[100]);
        let k0 = plan.key(&vocab, &s, 0, 0);
        assert_eq!(index.block(0, k0), &[0, 1]);
        assert_eq!(plan.key(&vocab, &s, 3, 0), 0, "no key without a name");
        assert_eq!(index.block(0, 0), &[] as &[u32]);
        assert_eq!(index.oversized_blocks, vec![0]);
        let tiny = BlockIndex::build(&plan, &vocab, &s, &[1]);
        assert_eq!(tiny.oversized_blocks, vec![1]);
    }

    #[test]
    fn directory_lookup_finds_every_block() {
        let mut pairs = Vec::new();
        for i in 0..5000u32 {
            let key = mix([i as u64 % 1700]);
            pairs.push((key, i));
        }
        pairs.push((u64::MAX, 9999));
        pairs.push((1, 10000));
        let index = RuleIndex::new(pairs.clone());
        for k in 0..1700u64 {
            let mut want: Vec<u32> = pairs
                .iter()
                .filter(|p| p.0 == mix([k]))
                .map(|p| p.1)
                .collect();
            want.sort_unstable();
            assert_eq!(index.block(mix([k])), want.as_slice());
        }
        assert_eq!(index.block(u64::MAX), &[9999]);
        assert_eq!(index.block(1), &[10000]);
        assert!(index.block(mix([123_456])).is_empty());
        assert!(RuleIndex::new(Vec::new()).block(5).is_empty());
    }
}
