//! The registration-number sequence of a book (or of the volumes of one year): where it breaks,
//! and whether a break is a misread, a repeat, a number out of order or missing numbers.
//!
//! Pure: works on the numbers in book order, so it is tested without pages.

/// What is wrong at one position of the sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberIssue {
    /// The number breaks the sequence while the numbers before and after it agree with each
    /// other: it was misread; `expected` is what its place says.
    Misread { read: i64, expected: i64 },
    /// Same number as the entry at position `other`.
    Repeat { number: i64, other: usize },
    /// The number goes back (or rises too little) after `previous`.
    Order { number: i64, previous: i64 },
    /// `count` numbers are missing between the previous known number (`after`, at position
    /// `after_pos`; `None` for the start of the year) and this one.
    Gap {
        after: i64,
        after_pos: Option<usize>,
        number: i64,
        count: i64,
    },
}

/// Finds the issues of a sequence. `numbers[i]` is the number read at position `i` (`None`:
/// unreadable, left alone). `start`, when the sequence is known to begin the year, is the number
/// the first entry must carry.
pub fn analyse(numbers: &[Option<i64>], start: Option<i64>) -> Vec<(usize, NumberIssue)> {
    // Known numbers with positions; the start of the year is a virtual entry before the first.
    let mut known: Vec<(i64, i64)> = Vec::new();
    if let Some(s) = start {
        known.push((-1, s - 1));
    }
    known.extend(
        numbers
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.map(|n| (i as i64, n))),
    );
    let mut issues = Vec::new();

    // A number that fits neither neighbour while the neighbours fit each other is a misread.
    let mut misread = vec![false; known.len()];
    for k in 1..known.len().saturating_sub(1) {
        let ((pa, na), (pi, ni), (pb, nb)) = (known[k - 1], known[k], known[k + 1]);
        if pi < 0 {
            continue;
        }
        let fits_prev = ni == na + (pi - pa);
        let fits_next = nb == ni + (pb - pi);
        let neighbours_agree = nb == na + (pb - pa);
        if !fits_prev && !fits_next && neighbours_agree {
            misread[k] = true;
            issues.push((
                pi as usize,
                NumberIssue::Misread {
                    read: ni,
                    expected: na + (pi - pa),
                },
            ));
        }
    }

    let kept: Vec<(i64, i64)> = known
        .iter()
        .zip(&misread)
        .filter(|(_, m)| !**m)
        .map(|(k, _)| *k)
        .collect();
    for pair in kept.windows(2) {
        let ((pa, na), (pb, nb)) = (pair[0], pair[1]);
        let expected = pb - pa;
        let step = nb - na;
        let b = pb as usize;
        if step == expected {
            continue;
        }
        if step == 0 && pa >= 0 {
            issues.push((
                pa as usize,
                NumberIssue::Repeat {
                    number: na,
                    other: b,
                },
            ));
            issues.push((
                b,
                NumberIssue::Repeat {
                    number: nb,
                    other: pa as usize,
                },
            ));
        } else if step > expected {
            issues.push((
                b,
                NumberIssue::Gap {
                    after: na,
                    after_pos: (pa >= 0).then_some(pa as usize),
                    number: nb,
                    count: step - expected,
                },
            ));
        } else {
            issues.push((
                b,
                NumberIssue::Order {
                    number: nb,
                    previous: na,
                },
            ));
        }
    }
    issues.sort_by_key(|(i, _)| *i);
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(ns: &[i64]) -> Vec<Option<i64>> {
        ns.iter().map(|n| Some(*n)).collect()
    }

    #[test]
    fn clean_sequence_has_no_issue() {
        assert!(analyse(&seq(&[1, 2, 3, 4, 5]), Some(1)).is_empty());
        // A later volume without its predecessor: no start is known.
        assert!(analyse(&seq(&[41, 42, 43]), None).is_empty());
        // An unreadable number in between is left alone.
        assert!(analyse(&[Some(1), None, Some(3)], Some(1)).is_empty());
    }

    #[test]
    fn misread_between_agreeing_neighbours() {
        assert_eq!(
            analyse(&seq(&[1, 2, 8, 4, 5]), Some(1)),
            vec![(
                2,
                NumberIssue::Misread {
                    read: 8,
                    expected: 3
                }
            )]
        );
        // The first entry against the start of the year.
        assert_eq!(
            analyse(&seq(&[7, 2, 3]), Some(1)),
            vec![(
                0,
                NumberIssue::Misread {
                    read: 7,
                    expected: 1
                }
            )]
        );
    }

    #[test]
    fn gap_is_missing_numbers_not_a_misread() {
        assert_eq!(
            analyse(&seq(&[1, 2, 3, 7, 8]), Some(1)),
            vec![(
                3,
                NumberIssue::Gap {
                    after: 3,
                    after_pos: Some(2),
                    number: 7,
                    count: 3
                }
            )]
        );
        assert_eq!(
            analyse(&seq(&[5, 6]), Some(1)),
            vec![(
                0,
                NumberIssue::Gap {
                    after: 0,
                    after_pos: None,
                    number: 5,
                    count: 4
                }
            )]
        );
    }

    #[test]
    fn repeat_and_order() {
        assert_eq!(
            analyse(&seq(&[1, 2, 2, 3]), Some(1)),
            vec![
                (
                    1,
                    NumberIssue::Repeat {
                        number: 2,
                        other: 2
                    }
                ),
                (
                    2,
                    NumberIssue::Repeat {
                        number: 2,
                        other: 1
                    }
                ),
            ]
        );
        assert_eq!(
            analyse(&seq(&[1, 2, 3, 2]), Some(1)),
            vec![(
                3,
                NumberIssue::Order {
                    number: 2,
                    previous: 3
                }
            )]
        );
    }
}
