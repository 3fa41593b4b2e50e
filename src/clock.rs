//! Wall-clock time as people read it in files: UTC, ISO 8601 to the second.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as `2026-12-03T09:05:21Z`.
pub fn now_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_from_unix(secs)
}

/// A Unix time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_from_unix(secs: u64) -> String {
    let day = crate::normalize::PartialDate::from_unix_days((secs / 86_400) as i64);
    let s = secs % 86_400;
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        day.year,
        day.month.unwrap_or(1),
        day.day.unwrap_or(1),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_times_read_as_utc() {
        assert_eq!(super::utc_from_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::utc_from_unix(1_796_288_721), "2026-12-03T09:05:21Z");
    }
}
