//! Clusters from `duplicate` links (union-find) and what each input record becomes: new, a
//! duplicate of a registry record, a later copy of an earlier input record, possibly a
//! duplicate (review), or part of a conflict: a cluster never joins two registry persons
//! silently. A registry that holds earlier batches' links names each record's person
//! (`person_id`): records of one person are one, so a batch record matching two of them is
//! that person, while one matching records of two persons is a conflict.

use super::config::Decision;
use super::link::{Link, Side};
use serde::{Deserialize, Serialize};

/// Union-find with path halving.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        Self {
            parent: (0..n as u32).collect(),
        }
    }
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = p;
            x = p;
        }
        x
    }
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The smaller root wins so that an input cluster is named after its first record.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
        }
    }
}

/// What an input record is, after clustering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Resolution {
    /// No duplicate found.
    New,
    /// Same person as registry record `existing`; `link` is the evidence (an index into the
    /// links), direct or through another input record.
    Existing { existing: u32, link: usize },
    /// The first input record of a cluster of input records: kept.
    First,
    /// A later copy of input record `first`.
    LaterCopy { first: u32, link: usize },
    /// Possibly a duplicate: goes to review (best possible link).
    Possible { link: usize },
    /// Its cluster joins several registry records: goes to review.
    Conflict { existing: Vec<u32>, link: usize },
}

/// Demotes, per input record, `duplicate` links to registry records scoring more than `margin`
/// bits below its best one: the registry holds each person once.
pub fn demote_weaker(links: &mut [Link], n_input: usize, margin: f64) {
    let mut best = vec![f64::NEG_INFINITY; n_input];
    for l in links.iter() {
        if l.decision == Decision::Duplicate && l.side == Side::Existing {
            let b = &mut best[l.input as usize];
            *b = b.max(l.score);
        }
    }
    for l in links.iter_mut() {
        if l.decision == Decision::Duplicate
            && l.side == Side::Existing
            && l.score < best[l.input as usize] - margin
        {
            l.decision = Decision::Possible;
        }
    }
}

/// Marks conflicting links and resolves every input record; each registry record is its own
/// person.
pub fn resolve(links: &mut [Link], n_input: usize, n_existing: usize) -> Vec<Resolution> {
    resolve_persons(links, n_input, n_existing, &|_| None)
}

/// As [`resolve`], with the person id of earlier links of each registry record, when known.
pub fn resolve_persons(
    links: &mut [Link],
    n_input: usize,
    n_existing: usize,
    person_of: &dyn Fn(u32) -> Option<u32>,
) -> Vec<Resolution> {
    // A registry record's person: its person id, else the record itself.
    let person = |r: u32| match person_of(r) {
        Some(p) => 1u64 << 32 | p as u64,
        None => r as u64,
    };
    let node = |side: Side, id: u32| match side {
        Side::Input => id,
        Side::Existing => n_input as u32 + id,
    };
    let mut uf = UnionFind::new(n_input + n_existing);
    for l in links.iter() {
        if l.decision == Decision::Duplicate {
            uf.union(l.input, node(l.side, l.other));
        }
    }
    // Registry records, and their persons, per cluster root.
    let mut existing_of: super::hash::FastMap<u32, Vec<u32>> = Default::default();
    let mut persons_of: super::hash::FastMap<u32, Vec<u64>> = Default::default();
    for l in links.iter() {
        if l.decision == Decision::Duplicate && l.side == Side::Existing {
            let root = uf.find(l.input);
            let v = existing_of.entry(root).or_default();
            if !v.contains(&l.other) {
                v.push(l.other);
            }
            let p = persons_of.entry(root).or_default();
            if !p.contains(&person(l.other)) {
                p.push(person(l.other));
            }
        }
    }
    let conflicted = |root: u32| persons_of.get(&root).is_some_and(|v| v.len() > 1);
    for l in links.iter_mut() {
        if l.decision == Decision::Duplicate {
            let root = uf.find(l.input);
            l.conflict = conflicted(root);
        }
    }
    // The evidence link of each input record: its own best duplicate link, else any link of
    // its cluster.
    let mut best: Vec<Option<usize>> = vec![None; n_input];
    let mut best_possible: Vec<Option<usize>> = vec![None; n_input];
    for (k, l) in links.iter().enumerate() {
        let i = l.input as usize;
        match l.decision {
            Decision::Duplicate => {
                if best[i].is_none() {
                    best[i] = Some(k);
                }
                if l.side == Side::Input && best[l.other as usize].is_none() {
                    best[l.other as usize] = Some(k);
                }
            }
            Decision::Possible => {
                if best_possible[i].is_none() {
                    best_possible[i] = Some(k);
                }
            }
            Decision::Distinct => {}
        }
    }
    (0..n_input)
        .map(|i| {
            let root = uf.find(i as u32);
            let Some(link) = best[i] else {
                return match best_possible[i] {
                    Some(link) => Resolution::Possible { link },
                    None => Resolution::New,
                };
            };
            match existing_of.get(&root) {
                Some(v) if conflicted(root) => {
                    let mut existing = v.clone();
                    existing.sort_unstable();
                    Resolution::Conflict { existing, link }
                }
                Some(v) => Resolution::Existing {
                    existing: *v.iter().min().expect("a cluster's registry records"),
                    link,
                },
                None if root == i as u32 => Resolution::First,
                None => Resolution::LaterCopy { first: root, link },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(input: u32, side: Side, other: u32, decision: Decision) -> Link {
        Link {
            input,
            side,
            other,
            pattern: 0,
            score: 10.0,
            decision,
            capped_by: None,
            conflict: false,
        }
    }

    #[test]
    fn clusters_resolve_to_first_copy_registry_and_conflict() {
        let mut links = vec![
            link(1, Side::Input, 0, Decision::Duplicate), // 1 copies 0
            link(2, Side::Existing, 5, Decision::Duplicate), // 2 is registry 5
            link(3, Side::Input, 2, Decision::Duplicate), // 3 copies 2 -> registry 5 too
            link(4, Side::Existing, 6, Decision::Duplicate), // 4 joins registry 6 and 7
            link(4, Side::Existing, 7, Decision::Duplicate),
            link(5, Side::Existing, 1, Decision::Possible),
        ];
        let r = resolve(&mut links, 7, 10);
        assert_eq!(r[0], Resolution::First);
        assert!(matches!(r[1], Resolution::LaterCopy { first: 0, .. }));
        assert!(matches!(r[2], Resolution::Existing { existing: 5, .. }));
        assert!(matches!(r[3], Resolution::Existing { existing: 5, .. }));
        assert!(matches!(&r[4], Resolution::Conflict { existing, .. } if existing == &vec![6, 7]));
        assert!(matches!(r[5], Resolution::Possible { link: 5 }));
        assert_eq!(r[6], Resolution::New);
        assert!(links[3].conflict && links[4].conflict);
        assert!(!links[1].conflict);
    }

    #[test]
    fn records_of_one_registry_person_are_one_person_not_a_conflict() {
        // Registry 6 and 7 were linked by an earlier batch (person 0); 8 is another person.
        let persons = |r: u32| match r {
            6 | 7 => Some(0),
            8 => Some(1),
            _ => None,
        };
        let mut links = vec![
            link(0, Side::Existing, 6, Decision::Duplicate),
            link(0, Side::Existing, 7, Decision::Duplicate),
            link(1, Side::Existing, 7, Decision::Duplicate),
            link(1, Side::Existing, 8, Decision::Duplicate),
        ];
        let r = resolve_persons(&mut links, 2, 10, &persons);
        // Record 1 joins person 0 and person 1: never silently. Record 0 shares its cluster
        // through registry 7, so it goes to review as well.
        assert!(
            matches!(&r[1], Resolution::Conflict { existing, .. } if existing == &vec![6, 7, 8])
        );
        assert!(matches!(r[0], Resolution::Conflict { .. }), "{r:?}");
        let mut links = links[..2].to_vec();
        let r = resolve_persons(&mut links, 1, 10, &persons);
        assert!(matches!(r[0], Resolution::Existing { existing: 6, .. }));
        assert!(!links[0].conflict && !links[1].conflict);
        // Without the person ids the same two links are a conflict.
        let r = resolve(&mut links, 1, 10);
        assert!(matches!(r[0], Resolution::Conflict { .. }));
    }

    #[test]
    fn a_much_weaker_registry_match_is_only_possible() {
        let mut links = vec![
            link(0, Side::Existing, 5, Decision::Duplicate),
            link(0, Side::Existing, 6, Decision::Duplicate),
        ];
        links[0].score = 60.0;
        links[1].score = 20.0;
        demote_weaker(&mut links, 1, 10.0);
        assert_eq!(links[1].decision, Decision::Possible);
        let r = resolve(&mut links, 1, 10);
        assert!(matches!(r[0], Resolution::Existing { existing: 5, .. }));
    }
}
