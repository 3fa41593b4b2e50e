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
}
