//! Spreading a province's books over many processes or machines (`sohoa run --shard K/N`).
//!
//! Books are independent, so the work spreads by book: shard K of N takes the books whose id
//! hashes to K, a stable assignment (a re-run shard takes the same books, and adding a book
//! moves no other). Shards write page results into one shared OUT exactly as a single run does;
//! a lock per book ([`lock`]) keeps two processes from ever writing the same page result, and
//! each shard leaves its own report under `OUT/shards/` ([`report`]). `sohoa emit OUT` then
//! rebuilds the outputs from all page results.

pub mod lock;
pub mod report;

use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// Folder under OUT holding the shards' reports and book locks.
pub const SHARDS_DIR: &str = "shards";

/// One shard of N: `index` counts from 0, as Slurm array task ids and Kubernetes completion
/// indexes do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Whether this shard takes the book.
    pub fn owns(&self, book_id: &str) -> bool {
        bucket(book_id, self.count) == self.index
    }

    /// File-name form, `shard-2-of-8`.
    pub fn label(&self) -> String {
        format!("shard-{}-of-{}", self.index, self.count)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The shard (of `count`) a book belongs to: the first eight bytes of the SHA-256 of its id.
/// A hash, not a position in a listing, so that the answer never depends on the other books.
pub fn bucket(book_id: &str, count: u32) -> u32 {
    let digest = Sha256::digest(book_id.as_bytes());
    let head = u64::from_be_bytes(digest[..8].try_into().expect("eight bytes"));
    (head % u64::from(count.max(1))) as u32
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--shard {given}: {why}; write K/N with 0 <= K < N, e.g. --shard 0/8 for the first of 8 shards (Slurm: $SLURM_ARRAY_TASK_ID/N)")]
pub struct ShardSyntax {
    given: String,
    why: &'static str,
}

impl FromStr for Shard {
    type Err = ShardSyntax;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |why| ShardSyntax {
            given: s.to_string(),
            why,
        };
        let (k, n) = s.trim().split_once('/').ok_or_else(|| err("no '/'"))?;
        let index: u32 = k
            .trim()
            .parse()
            .map_err(|_| err("K is not a whole number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| err("N is not a whole number"))?;
        if count == 0 {
            return Err(err("N must be at least 1"));
        }
        if index >= count {
            return Err(err("K must be less than N (shards count from 0)"));
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_from_k_over_n_and_refuse_nonsense() {
        assert_eq!(
            "2/8".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 8 }
        );
        assert_eq!("0/1".parse::<Shard>().unwrap().label(), "shard-0-of-1");
        for bad in ["8/8", "3", "a/4", "1/0", "-1/4", "1/x"] {
            let err = bad.parse::<Shard>().unwrap_err().to_string();
            assert!(err.contains(bad) && err.contains("K/N"), "{bad}: {err}");
        }
    }

    #[test]
    fn every_book_belongs_to_exactly_one_shard_and_always_the_same() {
        let ids: Vec<String> = (0..2000).map(|i| format!("KS-{i:04}-1998")).collect();
        let mut sizes = [0usize; 7];
        for id in &ids {
            let owners: Vec<u32> = (0..7)
                .filter(|k| {
                    Shard {
                        index: *k,
                        count: 7,
                    }
                    .owns(id)
                })
                .collect();
            assert_eq!(owners.len(), 1, "{id}");
            assert_eq!(owners[0], bucket(id, 7), "stable");
            sizes[owners[0] as usize] += 1;
        }
        // A hash spreads many books evenly: each shard within 20 % of its share.
        for s in sizes {
            assert!((229..=343).contains(&s), "{sizes:?}");
        }
        assert!(ids.iter().all(|id| Shard { index: 0, count: 1 }.owns(id)));
    }
}
