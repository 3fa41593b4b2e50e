//! Jaro-Winkler for the comparison loop. Folded names are short ASCII, so the match flags fit
//! in two u64 bit sets and nothing is allocated; anything else goes to `strsim`, whose results
//! this reproduces exactly (same window, transpositions and prefix boost above 0.7).

/// Jaro-Winkler similarity of two strings, 0..1.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || x.len() > 64 || y.len() > 64 {
        return strsim::jaro_winkler(a, b);
    }
    let sim = jaro_ascii(x, y);
    if sim > 0.7 {
        let prefix = x.iter().take(4).zip(y).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

fn jaro_ascii(a: &[u8], b: &[u8]) -> f64 {
    let (la, lb) = (a.len(), b.len());
    if la == 0 && lb == 0 {
        return 1.0;
    }
    if la == 0 || lb == 0 {
        return 0.0;
    }
    let window = (la.max(lb) / 2).saturating_sub(1);
    let (mut fa, mut fb) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, &c) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(lb);
        for (j, &d) in b.iter().enumerate().take(hi).skip(lo) {
            if fb & (1 << j) == 0 && d == c {
                fa |= 1 << i;
                fb |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut k = 0usize;
    for (i, &c) in a.iter().enumerate() {
        if fa & (1 << i) == 0 {
            continue;
        }
        while fb & (1 << k) == 0 {
            k += 1;
        }
        if b[k] != c {
            transpositions += 1;
        }
        k += 1;
    }
    transpositions /= 2;
    let m = matches as f64;
    (m / la as f64 + m / lb as f64 + (matches - transpositions) as f64 / m) / 3.0
}

/// Results of a pure function of two interned word ids, remembered in a small direct-mapped
/// table. Candidate pairs meet the same few thousand name words over and over, so most
/// comparisons of two words were already made; a slot holds the last pair that hashed to it.
pub struct PairMemo {
    keys: Box<[u64]>,
    values: Box<[f64]>,
}

/// Slots of a [`PairMemo`] (a power of two): 8192 x 16 bytes stays in the L2 cache.
const MEMO_BITS: u32 = 13;
/// No pair of u32 ids has this key (both ids would be u32::MAX).
const EMPTY: u64 = u64::MAX;

impl Default for PairMemo {
    fn default() -> Self {
        Self {
            keys: vec![EMPTY; 1 << MEMO_BITS].into_boxed_slice(),
            values: vec![0.0; 1 << MEMO_BITS].into_boxed_slice(),
        }
    }
}

impl PairMemo {
    /// `compute()` for the ordered pair (a, b), computed once while its slot keeps it.
    #[inline]
    pub fn get_or(&mut self, a: u32, b: u32, compute: impl FnOnce() -> f64) -> f64 {
        let key = (a as u64) << 32 | b as u64;
        let slot = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - MEMO_BITS)) as usize;
        if self.keys[slot] == key {
            return self.values[slot];
        }
        let value = compute();
        self.keys[slot] = key;
        self.values[slot] = value;
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_strsim() {
        let words = [
            "nguyen van hung",
            "nguyen van dung",
            "tham",
            "tharn",
            "martha",
            "marhta",
            "dixon",
            "dicksonx",
            "",
            "a",
            "lan",
            "lam",
            "huyen",
            "huyenn",
            "tran thi mai",
            "xa an nhon huyen da teh",
            "trần",
        ];
        for a in words {
            for b in words {
                let (x, y) = (jaro_winkler(a, b), strsim::jaro_winkler(a, b));
                assert!((x - y).abs() < 1e-12, "{a} / {b}: {x} vs {y}");
            }
        }
    }

    #[test]
    fn memo_gives_what_it_was_given_for_each_ordered_pair() {
        let mut memo = PairMemo::default();
        let mut calls = 0;
        for round in 0..2 {
            for a in 0..100u32 {
                for b in 0..100u32 {
                    let v = memo.get_or(a, b, || {
                        calls += 1;
                        (a * 1000 + b) as f64
                    });
                    assert_eq!(v, (a * 1000 + b) as f64, "round {round}: {a} / {b}");
                }
            }
        }
        // 10,000 pairs in 8,192 slots: some were evicted, most were remembered.
        assert!((10_000..20_000).contains(&calls), "{calls} computations");
    }
}
