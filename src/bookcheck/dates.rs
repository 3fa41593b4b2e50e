//! Registration dates along a book: they do not go back as the numbers rise. Pure, on the dates
//! in book order.

use crate::normalize::PartialDate;
use std::cmp::Ordering;

/// A date that goes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateIssue {
    pub date: PartialDate,
    /// The nearest earlier entry's date it goes back from (or that it overtakes).
    pub previous: PartialDate,
    /// The next entry's date, when the entry is the odd one between two agreeing neighbours.
    pub next: Option<PartialDate>,
}

fn before(a: &PartialDate, b: &PartialDate) -> bool {
    a.compare(b) == Some(Ordering::Less)
}

/// Positions whose date is out of order. The entry blamed is the one that disagrees with both
/// neighbours while they agree with each other; otherwise the later of a pair that goes back.
pub fn analyse(dates: &[Option<PartialDate>]) -> Vec<(usize, DateIssue)> {
    let known: Vec<(usize, PartialDate)> = dates
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.map(|d| (i, d)))
        .collect();
    let mut issues = Vec::new();
    let mut odd = vec![false; known.len()];
    for k in 1..known.len().saturating_sub(1) {
        let (prev, (i, d), next) = (known[k - 1].1, known[k], known[k + 1].1);
        let neighbours_agree = !before(&next, &prev);
        if neighbours_agree && (before(&d, &prev) || before(&next, &d)) {
            odd[k] = true;
            issues.push((
                i,
                DateIssue {
                    date: d,
                    previous: prev,
                    next: Some(next),
                },
            ));
        }
    }
    let kept: Vec<(usize, PartialDate)> = known
        .iter()
        .zip(&odd)
        .filter(|(_, o)| !**o)
        .map(|(k, _)| *k)
        .collect();
    for pair in kept.windows(2) {
        let ((_, a), (j, b)) = (pair[0], pair[1]);
        if before(&b, &a) {
            issues.push((
                j,
                DateIssue {
                    date: b,
                    previous: a,
                    next: None,
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

    fn d(day: u8, month: u8) -> Option<PartialDate> {
        Some(PartialDate::full(day, month, 2008))
    }

    #[test]
    fn ordered_dates_and_equal_dates_pass() {
        assert!(analyse(&[d(2, 1), d(2, 1), d(5, 1), None, d(9, 2)]).is_empty());
        // A partial date that cannot be told apart is no issue.
        assert!(analyse(&[d(2, 1), Some(PartialDate::year_only(2008)), d(3, 1)]).is_empty());
    }

    #[test]
    fn the_odd_date_between_agreeing_neighbours_is_blamed() {
        let issues = analyse(&[d(2, 1), d(5, 1), d(20, 3), d(7, 1), d(9, 1)]);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].0, 2);
        let issues = analyse(&[d(2, 1), d(5, 1), d(1, 1), d(7, 1)]);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].0, 2);
    }

    #[test]
    fn last_date_going_back_is_blamed() {
        let issues = analyse(&[d(2, 1), d(5, 1), d(6, 1), d(4, 1)]);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].0, 3);
        assert_eq!(issues[0].1.previous, PartialDate::full(6, 1, 2008));
    }
}
