//! The generic checks a register schema's rules are made of (`schemas/registers/*.toml`,
//! `[[rules]]`). Each reads a few fields; a check whose fields are missing says nothing
//! (missing values are reported once, as missing).

use super::ValidateParams;
use crate::normalize::date::days_in_month;
use crate::normalize::{parse_date, parse_date_words, PartialDate};
use crate::page::{Entry, Finding};
use crate::schema::{AgeEra, Check, RegisterSchema, Rule};
use crate::text::fold;
use std::cmp::Ordering;

fn date(entry: &Entry, key: &str) -> Option<PartialDate> {
    entry
        .value(key)
        .and_then(parse_date)
        .map(|(d, _)| d)
        .filter(|d| d.is_valid())
}

fn finding(rule: &Rule, field: &str) -> Finding {
    Finding {
        code: rule.code.clone(),
        severity: rule.severity,
        field: Some(field.to_string()),
        message_vi: rule.vi.clone(),
        message_en: rule.en.clone(),
    }
}

/// Whole years from `a` to `b` at the precision both have (year-only dates: year difference).
fn years_between(a: &PartialDate, b: &PartialDate) -> i32 {
    let mut years = b.year - a.year;
    if let (Some(am), Some(bm)) = (a.month, b.month) {
        let (ad, bd) = (a.day.unwrap_or(1), b.day.unwrap_or(1));
        if (bm, bd) < (am, ad) {
            years -= 1;
        }
    }
    years
}

/// The 12-digit personal number's structure (domain reference 5.1): digits, a century/sex
/// digit agreeing with the birth year and sex.
fn id_number_ok(id: &str, sex: Option<&str>, birth: Option<PartialDate>) -> bool {
    if id.len() != 12 || !id.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let g = id.as_bytes()[3] - b'0';
    let century = 1900 + 100 * (g as i32 / 2);
    let female = g % 2 == 1;
    let yy: i32 = id[4..6].parse().unwrap_or(-1);
    if let Some(b) = birth {
        if b.year.div_euclid(100) * 100 != century || b.year.rem_euclid(100) != yy {
            return false;
        }
    }
    match sex {
        Some("1") => !female,
        Some("2") => female,
        _ => true,
    }
}

/// `yyyy-mm-dd` as schemas write dates.
fn iso_date(s: &str) -> Option<PartialDate> {
    let mut parts = s.split('-').map(|p| p.parse::<i32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    Some(PartialDate::full(d as u8, m as u8, y))
}

/// The first and the last day a partial date may stand for (`1998` is 01.01.1998 to
/// 31.12.1998).
fn earliest(d: &PartialDate) -> PartialDate {
    PartialDate::full(d.day.unwrap_or(1), d.month.unwrap_or(1), d.year)
}

fn latest(d: &PartialDate) -> PartialDate {
    let month = d.month.unwrap_or(12);
    let day = d.day.unwrap_or_else(|| days_in_month(d.year, month));
    PartialDate::full(day, month, d.year)
}

/// Completed years, day for day, between two full dates (born 29.02: the birthday is
/// reached on 01.03 of a common year, as the day after 28.02).
fn completed_years(birth: &PartialDate, at: &PartialDate) -> i32 {
    let mut years = at.year - birth.year;
    if (at.month, at.day) < (birth.month, birth.day) {
        years -= 1;
    }
    years
}

/// The era of a law in force on `day` (a full date): the last one starting on or before it.
fn era_on<'a>(eras: &'a [AgeEra], day: &PartialDate) -> Option<&'a AgeEra> {
    eras.iter().rfind(|e| {
        iso_date(&e.from)
            .and_then(|s| s.compare(day))
            .is_some_and(|o| o != Ordering::Greater)
    })
}

/// Whether the person born on `birth` may have been under the legal age at `at`, for every
/// day both partial dates may stand for: the oldest the person can have been is still short
/// of what the era in force asks. Where the date spans two eras, the milder one counts.
fn surely_under_age(birth: &PartialDate, at: &PartialDate, eras: &[AgeEra]) -> bool {
    let (first, last) = (earliest(at), latest(at));
    let needed = [era_on(eras, &first), era_on(eras, &last)]
        .into_iter()
        .flatten()
        .map(AgeEra::completed_years)
        .min();
    let Some(needed) = needed else {
        return false;
    };
    // Before the first era no law is known here: a date reaching back there says nothing.
    if era_on(eras, &first).is_none() {
        return false;
    }
    completed_years(&earliest(birth), &last) < needed
}

/// Runs one rule; `Some(finding)` when it fails.
pub fn check(
    rule: &Rule,
    entry: &Entry,
    register: &RegisterSchema,
    params: &ValidateParams,
) -> Option<Finding> {
    match &rule.check {
        Check::NotAfter { a, b } => {
            let (da, db) = (date(entry, a)?, date(entry, b)?);
            (da.compare(&db)? == Ordering::Greater).then(|| finding(rule, a))
        }
        Check::Before { a, b } => {
            let (da, db) = (date(entry, a)?, date(entry, b)?);
            // A parent born the same partial year cannot be told apart: not a failure.
            (da.compare(&db)? != Ordering::Less && da.year >= db.year).then(|| finding(rule, a))
        }
        Check::NotInFuture { a } => {
            let d = date(entry, a)?;
            (d.compare(&params.today)? == Ordering::Greater).then(|| finding(rule, a))
        }
        Check::IdNumber {
            a,
            sex,
            sex_value,
            birth,
        } => {
            let id = entry.value(a)?;
            let sex = sex_value
                .as_deref()
                .or_else(|| sex.as_deref().and_then(|k| entry.value(k)));
            let birth = birth.as_deref().and_then(|k| date(entry, k));
            (!id_number_ok(id, sex, birth)).then(|| finding(rule, a))
        }
        Check::WordsMatchDate { a, b } => {
            let words = parse_date_words(entry.value(a)?)?.0;
            let figures = date(entry, b)?;
            (words != figures).then(|| finding(rule, a))
        }
        Check::AgeBetween { a, b, min, max } => {
            let (da, db) = (date(entry, a)?, date(entry, b)?);
            let age = years_between(&da, &db);
            // Year-only dates are a year uncertain either way.
            let slack = i32::from(da.month.is_none() || db.month.is_none());
            (age + slack < *min || age - slack > *max).then(|| finding(rule, a))
        }
        Check::Deadline {
            a,
            b,
            code_field,
            code_value,
            eras,
        } => {
            if entry.value(code_field)? != code_value {
                return None;
            }
            let (da, db) = (date(entry, a)?, date(entry, b)?);
            let days = db.day_number()? - da.day_number()?;
            let limit = eras
                .iter()
                .filter_map(|(start, days)| {
                    let s = iso_date(start)?;
                    (s.compare(&db)? != Ordering::Greater).then_some((s, *days))
                })
                .max_by_key(|(s, _)| s.day_number())
                .map(|(_, d)| d)?;
            (days > limit).then(|| finding(rule, code_field))
        }
        Check::EmptyWhen { a, cases } => {
            let v = entry.value(a)?;
            cases
                .iter()
                .filter(|(case, _)| case == v)
                .find_map(|(_, person)| {
                    register
                        .columns
                        .iter()
                        .filter(|c| &c.person == person)
                        .find(|c| entry.value(&c.key).is_some())
                        .map(|c| finding(rule, &c.key))
                })
        }
        Check::Differ { a, b } => {
            let (va, vb) = (entry.value(a)?, entry.value(b)?);
            (fold(va) == fold(vb)).then(|| finding(rule, a))
        }
        Check::SameMarks { a, b } => {
            let (va, vb) = (entry.value(a)?, entry.value(b)?);
            (fold(va) == fold(vb) && va != vb).then(|| finding(rule, a))
        }
        Check::LegalAge { birth, at, eras } => {
            let born = date(entry, birth)?;
            let when = at.iter().find_map(|k| date(entry, k))?;
            surely_under_age(&born, &when, eras).then(|| finding(rule, birth))
        }
        Check::Requires { a, values, b } => {
            let va = entry.value(a)?;
            let applies = values.is_empty() || values.iter().any(|v| v == va);
            (applies && entry.value(b).is_none()).then(|| finding(rule, b))
        }
        Check::DocumentNumber {
            a,
            doc_type,
            sex,
            sex_value,
            birth,
        } => {
            let number = entry.value(a)?;
            let sex = sex_value
                .as_deref()
                .or_else(|| sex.as_deref().and_then(|k| entry.value(k)));
            let birth = birth.as_deref().and_then(|k| date(entry, k));
            let digits = number.len() == 9 && number.chars().all(|c| c.is_ascii_digit());
            let ok = match entry.value(doc_type)? {
                // CMND: 9 digits (before 2012) or the 12-digit personal number.
                "1" => digits || id_number_ok(number, sex, birth),
                "4" => id_number_ok(number, sex, birth),
                _ => true,
            };
            (!ok).then(|| finding(rule, a))
        }
        Check::OnlyWhen { a, b, values } => {
            entry.value(a)?;
            let allowed = entry
                .value(b)
                .is_some_and(|vb| values.iter().any(|v| v == vb));
            (!allowed).then(|| finding(rule, a))
        }
    }
}
