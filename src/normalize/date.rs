//! Partial dates as civil-status books hold them: full, month and year, or year only.
//! Emitted in template form `dd.mm.yyyy`, `mm.yyyy`, `yyyy` (domain reference 2.12); a partial
//! date stays partial, a day is never invented.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn full(day: u8, month: u8, year: i32) -> Self {
        Self {
            year,
            month: Some(month),
            day: Some(day),
        }
    }
    pub fn month_year(month: u8, year: i32) -> Self {
        Self {
            year,
            month: Some(month),
            day: None,
        }
    }
    pub fn year_only(year: i32) -> Self {
        Self {
            year,
            month: None,
            day: None,
        }
    }

    pub fn is_full(&self) -> bool {
        self.day.is_some() && self.month.is_some()
    }

    /// A real calendar date (or month, or year) in a plausible range for registers.
    pub fn is_valid(&self) -> bool {
        if !(1800..=2200).contains(&self.year) {
            return false;
        }
        match (self.month, self.day) {
            (None, None) => true,
            (Some(m), None) => (1..=12).contains(&m),
            (Some(m), Some(d)) => {
                (1..=12).contains(&m) && d >= 1 && d <= days_in_month(self.year, m)
            }
            (None, Some(_)) => false,
        }
    }

    /// Days since 0001-01-01 for a full date (proleptic Gregorian).
    pub fn day_number(&self) -> Option<i64> {
        let (m, d) = (self.month?, self.day?);
        Some(days_from_civil(self.year, m as i64, d as i64))
    }

    /// Compares at the precision both dates have. `None` when they cannot be told apart
    /// (e.g. `1998` against `05.03.1998`).
    pub fn compare(&self, other: &PartialDate) -> Option<Ordering> {
        match self.year.cmp(&other.year) {
            Ordering::Equal => {}
            o => return Some(o),
        }
        match (self.month, other.month) {
            (Some(a), Some(b)) if a != b => return Some(a.cmp(&b)),
            (Some(_), Some(_)) => {}
            _ => return None,
        }
        match (self.day, other.day) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => None,
        }
    }

    /// Template form.
    pub fn to_template(&self) -> String {
        self.to_string()
    }

    /// Today's date (UTC) from the system clock.
    pub fn today() -> PartialDate {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Self::from_unix_days((secs / 86_400) as i64)
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's civil-from-days).
    pub fn from_unix_days(days: i64) -> PartialDate {
        let z = days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + if month <= 2 { 1 } else { 0 }) as i32;
        PartialDate::full(day, month, year)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.day, self.month) {
            (Some(d), Some(m)) => write!(f, "{d:02}.{m:02}.{:04}", self.year),
            (None, Some(m)) => write!(f, "{m:02}.{:04}", self.year),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Howard Hinnant's days-from-civil, shifted so 0001-01-01 is day 0.
fn days_from_civil(y: i32, m: i64, d: i64) -> i64 {
    let y = y as i64 - if m <= 2 { 1 } else { 0 };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 306 + 365
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_template_forms() {
        assert_eq!(PartialDate::full(5, 3, 1998).to_string(), "05.03.1998");
        assert_eq!(PartialDate::month_year(4, 2019).to_string(), "04.2019");
        assert_eq!(PartialDate::year_only(1965).to_string(), "1965");
    }

    #[test]
    fn validity_checks_the_calendar() {
        assert!(PartialDate::full(29, 2, 2000).is_valid());
        assert!(!PartialDate::full(29, 2, 1900).is_valid());
        assert!(!PartialDate::full(31, 4, 2001).is_valid());
        assert!(!PartialDate::year_only(5005).is_valid());
    }

    #[test]
    fn compares_at_common_precision() {
        let a = PartialDate::full(5, 3, 1998);
        assert_eq!(a.compare(&PartialDate::year_only(1998)), None);
        assert_eq!(
            a.compare(&PartialDate::year_only(1999)),
            Some(Ordering::Less)
        );
        assert_eq!(
            a.compare(&PartialDate::full(4, 3, 1998)),
            Some(Ordering::Greater)
        );
        let d1 = PartialDate::full(1, 3, 2000).day_number().unwrap();
        let d0 = PartialDate::full(28, 2, 2000).day_number().unwrap();
        assert_eq!(d1 - d0, 2);
        assert_eq!(
            PartialDate::from_unix_days(0),
            PartialDate::full(1, 1, 1970)
        );
        assert_eq!(
            PartialDate::from_unix_days(11_016),
            PartialDate::full(29, 2, 2000)
        );
    }
}
