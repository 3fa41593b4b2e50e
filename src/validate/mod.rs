//! Validation of an extracted entry against its register schema: required fields, formats,
//! codes, confidence, and the rules listed in `schemas/registers/<CODE>.toml`. Sets findings,
//! confidence and the entry's status: `rejected` when an error rule fails, `review` when any
//! value is missing, unreadable or doubtful, `auto` otherwise.

pub mod messages;
mod rules;

use crate::normalize::{parse_date, PartialDate};
use crate::page::{Entry, EntryStatus, Finding, Severity, ValueSource};
use crate::schema::{CodeTables, FieldKind, RegisterSchema, Requirement};

/// Tunables of validation.
#[derive(Debug, Clone)]
pub struct ValidateParams {
    /// A value below this confidence sends the entry to review. 0.90 by default: chosen so
    /// that fields of `auto` entries are at least 99.5% correct on synthetic sets (README).
    pub min_confidence: f32,
    /// "Today" for the not-in-future rule (fixed in tests).
    pub today: PartialDate,
}

impl Default for ValidateParams {
    fn default() -> Self {
        Self {
            min_confidence: 0.90,
            today: PartialDate::today(),
        }
    }
}

/// Checks one entry, appending findings and setting `status` and `confidence`. `printed`
/// holds the fields the entry's form edition prints (the entry's own `printed` when its form
/// is no known edition): one of them left without a value, for a person the entry names, is
/// a line the reading missed, not a blank in the book; a required field a known edition does
/// not print is not missing.
pub fn validate_entry(
    entry: &mut Entry,
    register: &RegisterSchema,
    codes: &CodeTables,
    printed: &[String],
    params: &ValidateParams,
) {
    // An edition file says for sure what its form prints; a form read by meaning says only
    // what its labels showed, and a required field whose label was not understood is still
    // missing (every birth form prints the required fields).
    let by_edition = entry.printed.is_empty() && !printed.is_empty();
    let printed: Vec<String> = if entry.printed.is_empty() {
        printed.to_vec()
    } else {
        entry.printed.clone()
    };
    let mut findings = prefer_readings_that_keep_the_rules(entry, register, params);
    let named = |person: &str| {
        person == "register"
            || person == register.subject
            || register
                .column_for(person, "HoTen")
                .and_then(|c| entry.fields.get(&c.key))
                .is_some_and(|f| !f.value.is_empty())
    };
    for key in &printed {
        let Some(col) = register.column(key) else {
            continue;
        };
        let missing = entry
            .fields
            .get(key)
            .is_none_or(|f| f.raw.trim().is_empty());
        let free_text = col.kind == FieldKind::Text;
        if missing && !free_text && col.require != Requirement::Always && named(&col.person) {
            findings.push(messages::MISSING_PRINTED.finding(key, ""));
        }
    }
    for col in &register.columns {
        let field = entry.fields.get(&col.key);
        let value = field.map(|f| f.value.as_str()).unwrap_or("");
        if value.is_empty() {
            // Required where the form prints it, when an edition file says what it prints.
            let form_prints = !by_edition || printed.contains(&col.key);
            if let Some(f) = field.filter(|f| !f.raw.trim().is_empty()) {
                findings.push(messages::UNREADABLE.finding(&col.key, f.raw.trim()));
            } else if col.require == Requirement::Always && form_prints {
                findings.push(messages::MISSING_REQUIRED.finding(&col.key, ""));
            }
            continue;
        }
        let f = field.expect("a value implies a field");
        match &col.kind {
            FieldKind::Code(table) => {
                if let Some(t) = codes.table(table) {
                    if !t.contains(value) {
                        findings.push(messages::BAD_CODE.finding(&col.key, value));
                    }
                }
            }
            FieldKind::Date if !parse_date(value).is_some_and(|(d, _)| d.is_valid()) => {
                findings.push(messages::BAD_DATE.finding(&col.key, value));
            }
            _ => {}
        }
        if f.source != ValueSource::Book && f.confidence < params.min_confidence {
            findings
                .push(messages::LOW_CONFIDENCE.finding(&col.key, &format!("{:.2}", f.confidence)));
        }
    }
    for rule in &register.rules {
        if let Some(f) = rules::check(rule, entry, register, params) {
            findings.push(f);
        }
    }
    // A label no field took: its value was not read, and may be a field the entry lacks.
    // One with nothing after it lost nothing (the report's notes still name it).
    for seen in entry
        .unknown_labels
        .iter()
        .filter(|l| !l.value.trim().is_empty())
    {
        let guess = seen.guesses.first().map_or("", |(field, _)| field.as_str());
        findings.push(messages::UNKNOWN_LABEL.finding(guess, &seen.label));
    }
    entry.confidence = register
        .columns
        .iter()
        .filter(|c| c.require == Requirement::Always)
        .filter_map(|c| entry.fields.get(&c.key))
        .map(|f| f.confidence)
        .fold(1.0f32, f32::min);
    entry.findings.extend(findings);
    let has = |s: Severity| entry.findings.iter().any(|f| f.severity == s);
    entry.status = if has(Severity::Error) {
        EntryStatus::Rejected
    } else if has(Severity::Review) {
        EntryStatus::Review
    } else {
        EntryStatus::Auto
    };
}

/// A value whose reading breaks a rule while the engine's other reading of it keeps that
/// rule (a father "born" in 1980 for a child of 1984, the other reading 1960) takes the other
/// reading, with a finding that sends the entry to review.
fn prefer_readings_that_keep_the_rules(
    entry: &mut Entry,
    register: &RegisterSchema,
    params: &ValidateParams,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in &register.rules {
        if rule.severity == Severity::Info || rules::check(rule, entry, register, params).is_none()
        {
            continue;
        }
        for key in rule.check.fields() {
            let Some(other) = entry.fields.get(key).and_then(|f| f.other_reading.clone()) else {
                continue;
            };
            let mut trial = entry.clone();
            let field = trial
                .fields
                .get_mut(key)
                .expect("the field has another reading");
            field.value = other;
            field.other_reading = None;
            let keeps_all = register
                .rules
                .iter()
                .filter(|r| r.check.fields().contains(&key))
                .all(|r| rules::check(r, &trial, register, params).is_none());
            if keeps_all {
                let read = entry.fields[key].value.clone();
                *entry = trial;
                entry.fields.get_mut(key).expect("kept").other_reading = Some(read);
                findings.push(messages::OTHER_READING.finding(key, &rule.code));
                break;
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests;
