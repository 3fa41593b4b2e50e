//! Drawing the acceptance sample: importable entries at random, stratified by book with
//! proportional allocation (each book gets its share of the sample, at least one entry when
//! the sample is at least as large as the number of books), reproducible from its seed.

use super::{AcceptError, DIR};
use crate::page::PageResult;
use rand::seq::index::sample as pick;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One sampled entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SampledEntry {
    pub book_id: String,
    pub page: u32,
    pub entry: u32,
}

/// A drawn sample, kept in `OUT/acceptance/sample.json` so that every later step judges the
/// same entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub seed: u64,
    pub requested: usize,
    pub drawn_at: String,
    /// Importable entries per book when the sample was drawn.
    pub population: BTreeMap<String, usize>,
    pub entries: Vec<SampledEntry>,
}

impl Sample {
    pub fn path(out: &Path) -> PathBuf {
        out.join(DIR).join("sample.json")
    }

    pub fn load(out: &Path) -> Result<Option<Sample>, AcceptError> {
        let path = Self::path(out);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| AcceptError::file(&path, format!("the sample file is damaged: {e}"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AcceptError::file(&path, e)),
        }
    }

    pub fn save(&self, out: &Path) -> Result<(), AcceptError> {
        let path = Self::path(out);
        std::fs::create_dir_all(path.parent().expect("has a parent"))
            .map_err(|e| AcceptError::file(&path, e))?;
        let bytes = serde_json::to_vec_pretty(self).expect("sample serialises");
        crate::store::write_atomic(&path, &bytes).map_err(|e| AcceptError::file(&path, e))
    }

    pub fn population_total(&self) -> usize {
        self.population.values().sum()
    }
}

/// Each book's share of `n` by largest remainder, at least one per book when `n` allows.
fn allocate(population: &BTreeMap<String, usize>, n: usize) -> BTreeMap<String, usize> {
    let total: usize = population.values().sum();
    let mut share: BTreeMap<String, usize> = BTreeMap::new();
    if total == 0 {
        return share;
    }
    let n = n.min(total);
    let books: Vec<(&String, usize)> = population
        .iter()
        .filter(|(_, p)| **p > 0)
        .map(|(b, p)| (b, *p))
        .collect();
    let floor_of = |p: usize| p * n / total;
    let mut given = 0;
    for (b, p) in &books {
        share.insert((*b).clone(), floor_of(*p));
        given += floor_of(*p);
    }
    let mut by_remainder: Vec<(usize, &String)> =
        books.iter().map(|(b, p)| ((p * n) % total, *b)).collect();
    by_remainder.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    for (_, b) in by_remainder.iter().take(n - given) {
        *share.get_mut(*b).expect("listed") += 1;
    }
    if n >= books.len() {
        // A book with no entry in the sample takes one from the book whose share most
        // exceeds its exact quota.
        for (b, _) in &books {
            if share[*b] == 0 {
                let over = |k: &String| share[k] as f64 - (population[k] * n) as f64 / total as f64;
                let donor = share
                    .keys()
                    .filter(|k| share[*k] > 1)
                    .max_by(|x, y| over(x).total_cmp(&over(y)).then(y.cmp(x)))
                    .cloned()
                    .expect("n >= books leaves a book with two");
                *share.get_mut(&donor).expect("listed") -= 1;
                *share.get_mut(*b).expect("listed") = 1;
            }
        }
    }
    share
}

/// Draws `n` importable entries of `results` with `seed`.
pub fn draw(results: &[PageResult], n: usize, seed: u64) -> Sample {
    let mut by_book: BTreeMap<String, Vec<SampledEntry>> = BTreeMap::new();
    for r in results {
        for e in r.entries() {
            if e.status.importable() {
                by_book
                    .entry(r.source.key.book_id.clone())
                    .or_default()
                    .push(SampledEntry {
                        book_id: r.source.key.book_id.clone(),
                        page: r.source.key.page,
                        entry: e.index,
                    });
            }
        }
    }
    for list in by_book.values_mut() {
        list.sort();
    }
    let population: BTreeMap<String, usize> =
        by_book.iter().map(|(b, l)| (b.clone(), l.len())).collect();
    let share = allocate(&population, n);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut entries = Vec::new();
    for (book, list) in &by_book {
        let k = share.get(book).copied().unwrap_or(0);
        let mut chosen: Vec<usize> = pick(&mut rng, list.len(), k).into_vec();
        chosen.sort_unstable();
        entries.extend(chosen.into_iter().map(|i| list[i].clone()));
    }
    Sample {
        seed,
        requested: n,
        drawn_at: crate::clock::now_utc(),
        population,
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pop(v: &[(&str, usize)]) -> BTreeMap<String, usize> {
        v.iter().map(|(b, n)| (b.to_string(), *n)).collect()
    }

    #[test]
    fn books_get_their_share_and_at_least_one() {
        let s = allocate(&pop(&[("a", 900), ("b", 90), ("c", 10)]), 20);
        assert_eq!(s.values().sum::<usize>(), 20);
        assert_eq!((s["a"], s["b"], s["c"]), (18, 1, 1));
        let all = allocate(&pop(&[("a", 3), ("b", 2)]), 50);
        assert_eq!((all["a"], all["b"]), (3, 2));
        let few = allocate(&pop(&[("a", 5), ("b", 5), ("c", 5)]), 2);
        assert_eq!(few.values().sum::<usize>(), 2);
    }
}
