//! The statistics of acceptance: Wilson score intervals, the design effect of sampling whole
//! entries (a field's errors cluster in its entry: a badly scanned entry tends to be wrong in
//! several fields), the verdict against a limit, and the calibration of sohoa's confidence.

use serde::{Deserialize, Serialize};

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// An estimated rate with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

/// The Wilson score interval for `errors` in `n` trials (both may be fractional: effective
/// counts after a design effect). Unlike the textbook `p ± z·sqrt(p(1-p)/n)`, it stays inside
/// [0, 1] and does not collapse to [0, 0] when no error was seen, which is the usual case here.
pub fn wilson(errors: f64, n: f64, z: f64) -> Interval {
    if n <= 0.0 {
        return Interval {
            estimate: 0.0,
            low: 0.0,
            high: 1.0,
        };
    }
    let p = (errors / n).clamp(0.0, 1.0);
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Interval {
        estimate: p,
        // Exact at the ends (rounding would leave 1e-18 where no error was seen).
        low: if errors <= 0.0 {
            0.0
        } else {
            (center - half).max(0.0)
        },
        high: if errors >= n {
            1.0
        } else {
            (center + half).min(1.0)
        },
    }
}

/// The error rate of units (fields) sampled in clusters (entries): `(errors, units)` per
/// cluster. The ratio estimate's variance between clusters, against the variance simple random
/// sampling of as many units would have, is the design effect (Kish); the Wilson interval is
/// taken on the effective sample size `n / deff`. Returns the interval and the design effect.
pub fn clustered_rate(clusters: &[(usize, usize)], z: f64) -> (Interval, f64) {
    let k = clusters.len() as f64;
    let n: f64 = clusters.iter().map(|c| c.1 as f64).sum();
    let x: f64 = clusters.iter().map(|c| c.0 as f64).sum();
    if n == 0.0 {
        return (wilson(0.0, 0.0, z), 1.0);
    }
    let p = x / n;
    let deff = if k > 1.0 && p > 0.0 && p < 1.0 {
        let mean_size = n / k;
        let between: f64 = clusters
            .iter()
            .map(|&(e, m)| (e as f64 - p * m as f64).powi(2))
            .sum::<f64>()
            / ((k - 1.0) * k * mean_size * mean_size);
        let srs = p * (1.0 - p) / n;
        (between / srs).max(1.0)
    } else {
        1.0
    };
    let n_eff = n / deff;
    let mut interval = wilson(p * n_eff, n_eff, z);
    interval.estimate = p;
    (interval, deff)
}

/// What the sample says of the delivery against the limit on the field error rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The interval lies at or under the limit: the delivery is accepted.
    Accepted,
    /// The interval lies above the limit: the delivery is sent back.
    Rejected,
    /// The interval straddles the limit: judge more entries before deciding.
    Undecided,
}

impl Verdict {
    pub fn of(field_error: &Interval, limit: f64) -> Verdict {
        if field_error.high <= limit {
            Verdict::Accepted
        } else if field_error.low > limit {
            Verdict::Rejected
        } else {
            Verdict::Undecided
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Rejected => "rejected",
            Verdict::Undecided => "undecided",
        }
    }
    pub fn vietnamese(self) -> &'static str {
        match self {
            Verdict::Accepted => "đạt (nghiệm thu)",
            Verdict::Rejected => "không đạt (trả lại)",
            Verdict::Undecided => "chưa kết luận được (cần kiểm thêm)",
        }
    }
}

/// Fields judged without an error the limit needs before it can be met at all: the smallest
/// n with a Wilson upper bound under `limit` when nothing is wrong (z²/(n+z²) <= limit).
pub fn fields_needed_for(limit: f64, z: f64) -> usize {
    if limit <= 0.0 {
        return usize::MAX;
    }
    let z2 = z * z;
    (z2 / limit - z2).ceil().max(1.0) as usize
}

/// One band of sohoa's field confidence and the error rate the sample found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// `0.90-0.95`, or `person` for values a person set.
    pub band: String,
    pub low: f64,
    pub high: f64,
    pub fields: usize,
    pub wrong: usize,
    pub mean_confidence: f64,
    pub error: Interval,
}

const BANDS: [f64; 8] = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 1.0001];

/// The calibration table: fields read by the machine by confidence band (each field's
/// `(confidence, wrong)`), then the values a person set as their own row.
pub fn calibration(machine: &[(f32, bool)], person: &[bool]) -> Vec<CalibrationBin> {
    let mut bins = Vec::new();
    for w in BANDS.windows(2) {
        let inside: Vec<&(f32, bool)> = machine
            .iter()
            .filter(|(c, _)| (*c as f64) >= w[0] && (*c as f64) < w[1])
            .collect();
        if inside.is_empty() {
            continue;
        }
        let wrong = inside.iter().filter(|(_, bad)| *bad).count();
        let mean = inside.iter().map(|(c, _)| *c as f64).sum::<f64>() / inside.len() as f64;
        bins.push(CalibrationBin {
            band: format!("{:.2}-{:.2}", w[0], w[1].min(1.0)),
            low: w[0],
            high: w[1].min(1.0),
            fields: inside.len(),
            wrong,
            mean_confidence: mean,
            error: wilson(wrong as f64, inside.len() as f64, Z95),
        });
    }
    if !person.is_empty() {
        let wrong = person.iter().filter(|b| **b).count();
        bins.push(CalibrationBin {
            band: "person".into(),
            low: 1.0,
            high: 1.0,
            fields: person.len(),
            wrong,
            mean_confidence: 1.0,
            error: wilson(wrong as f64, person.len() as f64, Z95),
        });
    }
    bins
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::seq::index::sample;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn wilson_matches_known_values() {
        // 0 of 100: [0, 0.0370]; 5 of 100: [0.0215, 0.1118] (textbook values).
        let a = wilson(0.0, 100.0, Z95);
        assert_eq!(a.low, 0.0);
        assert!((a.high - 0.0370).abs() < 5e-4, "{a:?}");
        let b = wilson(5.0, 100.0, Z95);
        assert!(
            (b.low - 0.0215).abs() < 5e-4 && (b.high - 0.1118).abs() < 5e-4,
            "{b:?}"
        );
    }

    #[test]
    fn the_limit_needs_enough_fields_before_it_can_be_met() {
        let n = fields_needed_for(0.005, Z95);
        assert!(wilson(0.0, n as f64, Z95).high <= 0.005);
        assert!(wilson(0.0, (n - 1) as f64, Z95).high > 0.005);
        assert_eq!(
            Verdict::of(&wilson(0.0, n as f64, Z95), 0.005),
            Verdict::Accepted
        );
        assert_eq!(
            Verdict::of(&wilson(40.0, 1000.0, Z95), 0.005),
            Verdict::Rejected
        );
        assert_eq!(
            Verdict::of(&wilson(3.0, 1000.0, Z95), 0.005),
            Verdict::Undecided
        );
    }

    /// A batch of `entries` entries of `fields` fields with exactly `wrong_fields` wrong ones,
    /// laid out by `clustered`: spread at random, or packed into few entries (a bad scan).
    fn batch(
        rng: &mut ChaCha8Rng,
        entries: usize,
        fields: usize,
        wrong: usize,
        clustered: bool,
    ) -> Vec<usize> {
        let mut per_entry = vec![0usize; entries];
        if clustered {
            // Bad entries carry several wrong fields each.
            let mut left = wrong;
            while left > 0 {
                let e = rng.gen_range(0..entries);
                let k = rng.gen_range(1..=4).min(left).min(fields - per_entry[e]);
                per_entry[e] += k;
                left -= k;
            }
        } else {
            for i in sample(rng, entries * fields, wrong).into_iter() {
                per_entry[i / fields] += 1;
            }
        }
        per_entry
    }

    /// The interval is checked by simulation: batches with a known field error rate, a sample
    /// of whole entries drawn from each, the interval computed as `sohoa accept` does; over many
    /// trials it must cover the true rate about 95% of the time where errors fall independently
    /// (Wilson's own assumption). Where they cluster in entries, the design effect must bring
    /// the coverage closer to 95% than plain Wilson on the fields. Figures for the README:
    /// `cargo test --release --lib the_interval_covers -- --nocapture`.
    #[test]
    fn the_interval_covers_the_true_rate_in_about_95_percent_of_trials() {
        let mut rng = ChaCha8Rng::seed_from_u64(20261203);
        let (entries, fields, sampled, trials) = (4000usize, 20usize, 150usize, 400usize);
        for clustered in [false, true] {
            for rate in [0.003, 0.01, 0.03] {
                let wrong = (rate * (entries * fields) as f64).round() as usize;
                let truth = wrong as f64 / (entries * fields) as f64;
                let (mut covered, mut covered_plain) = (0, 0);
                for _ in 0..trials {
                    let per_entry = batch(&mut rng, entries, fields, wrong, clustered);
                    let clusters: Vec<(usize, usize)> = sample(&mut rng, entries, sampled)
                        .into_iter()
                        .map(|e| (per_entry[e], fields))
                        .collect();
                    let (i, _) = clustered_rate(&clusters, Z95);
                    covered += usize::from(i.low <= truth && truth <= i.high);
                    let x: usize = clusters.iter().map(|c| c.0).sum();
                    let plain = wilson(x as f64, (sampled * fields) as f64, Z95);
                    covered_plain += usize::from(plain.low <= truth && truth <= plain.high);
                }
                let coverage = covered as f64 / trials as f64;
                let plain = covered_plain as f64 / trials as f64;
                eprintln!("coverage clustered={clustered} rate={rate}: {coverage:.3} (plain Wilson {plain:.3})");
                if clustered {
                    assert!(
                        coverage >= plain && coverage >= 0.85,
                        "rate={rate}: coverage {coverage}, plain {plain}"
                    );
                } else {
                    assert!(
                        (0.92..=0.98).contains(&coverage),
                        "rate={rate}: coverage {coverage}"
                    );
                }
            }
        }
    }

    #[test]
    fn clustered_errors_widen_the_interval() {
        let spread: Vec<(usize, usize)> =
            (0..100).map(|i| (usize::from(i % 10 == 0), 20)).collect();
        let packed: Vec<(usize, usize)> =
            (0..100).map(|i| (if i < 2 { 5 } else { 0 }, 20)).collect();
        let (a, da) = clustered_rate(&spread, Z95);
        let (b, db) = clustered_rate(&packed, Z95);
        assert_eq!(a.estimate, b.estimate);
        assert!(db > da && b.high > a.high, "{a:?} {da} / {b:?} {db}");
    }

    #[test]
    fn calibration_puts_fields_in_bands_and_people_apart() {
        let bins = calibration(&[(0.99, false), (0.97, true), (0.6, true)], &[false, false]);
        let bands: Vec<&str> = bins.iter().map(|b| b.band.as_str()).collect();
        assert_eq!(bands, ["0.50-0.70", "0.95-0.98", "0.98-1.00", "person"]);
        assert_eq!(bins[1].wrong, 1);
        assert_eq!(bins[3].fields, 2);
    }
}
