//! One cell checked against its column: what Excel did to it (formulas, error values, dates and
//! ID numbers stored as numbers), how it was typed (legacy encodings, stray spaces), and whether
//! its text fits the column's kind (dates in template form, codes, names in the lists). Gives
//! the value validation reads, what `--fix` writes, and the findings.

use super::codes;
use super::legacy::{self, Encoding};
use super::source::{number_text, Cell, Value};
use crate::normalize::{parse_date, NormalizeContext, Normalizer, PartialDate};
use crate::schema::{CodeTables, FieldKind};
use crate::validate::messages::Generic;

/// A finding on one cell, before it is placed.
#[derive(Debug, Clone, PartialEq)]
pub struct CellFinding {
    pub generic: &'static Generic,
    pub detail: String,
    /// The value sohoa proposes, when it has one.
    pub suggestion: Option<String>,
    /// Whether `--fix` writes the suggestion (encodings, date formats, spaces, numbers as text).
    pub fixable: bool,
}

/// What checking a cell gives.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CellOutcome {
    /// The value validation reads: template form where the cell could be read so.
    pub value: String,
    /// What `--fix` writes into the cell, when that differs from the cell as it stands.
    pub fix: Option<String>,
    pub findings: Vec<CellFinding>,
}

impl CellOutcome {
    fn push(&mut self, generic: &'static Generic, detail: impl Into<String>) {
        self.findings.push(CellFinding {
            generic,
            detail: detail.into(),
            suggestion: None,
            fixable: false,
        });
    }

    fn suggest(&mut self, generic: &'static Generic, detail: impl Into<String>, fixable: bool) {
        let detail = detail.into();
        self.findings.push(CellFinding {
            generic,
            suggestion: Some(detail.clone()),
            detail,
            fixable,
        });
    }
}

/// Excel's 1900 date system (domain reference 10.1): serial 1 is 01.01.1900; 60 is the
/// 29.02.1900 that never was (kept for Lotus 1-2-3); from 61 on, days after 30.12.1899.
/// The fraction is the time of day. `Err` for what is no date.
pub fn serial_to_date(serial: f64) -> Result<(PartialDate, bool), String> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return Err(format!("{} is outside Excel's dates", number_text(serial)));
    }
    let days = serial.floor() as i64;
    let has_time = serial.fract() > 1e-9;
    if days == 60 {
        return Err("60 is 29.02.1900, a day Excel counts that never was".into());
    }
    // Unix day of 31.12.1899 is -25568; of 30.12.1899, -25569.
    let unix = if days < 60 {
        days - 25_568
    } else {
        days - 25_569
    };
    Ok((PartialDate::from_unix_days(unix), has_time))
}

/// Text with its spaces tidied: no leading or trailing space, one space between words,
/// no line breaks, tabs, no-break spaces or invisible characters (zero-width, BOM, controls).
pub fn tidy_spaces(text: &str) -> String {
    let visible: String = text
        .chars()
        .filter(|c| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a spreadsheet would run the text as a formula (OWASP: `= + - @`, tab, CR, LF).
fn formula_like(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n')
    )
}

/// "-", "--", "—", ".": keyed for "none".
fn placeholder(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| matches!(c, '-' | '–' | '—' | '.' | '_'))
}

/// A date typed with a time of day ("15/03/1998 08:30", "1998-03-15T00:00:00"): the date part.
fn without_time(text: &str) -> Option<&str> {
    let cut = text.rfind([' ', 'T'])?;
    let (date, time) = (&text[..cut], text[cut + 1..].trim());
    let time = time
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .trim_end();
    let mut parts = time.split(':');
    let hours = parts.next()?;
    let minutes = parts.next()?;
    let clock = |p: &str| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit());
    let seconds_ok = parts.all(|p| {
        let whole = p.split('.').next().unwrap_or("");
        clock(whole)
    });
    (clock(hours) && clock(minutes) && seconds_ok && !date.trim().is_empty()).then(|| date.trim())
}

/// `yyyy-mm-dd` (how CSV exports and ISO cells write dates) as `dd.mm.yyyy`.
fn iso_date(text: &str) -> Option<String> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    (parts.next().is_none() && digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2))
        .then(|| format!("{d}.{m}.{y}"))
}

/// `1.09501E+11`: a number Excel showed in scientific notation and someone copied as text.
fn scientific(text: &str) -> bool {
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let mut m = mantissa.splitn(2, '.');
    let whole = m.next().unwrap_or("");
    let frac = m.next().unwrap_or("0");
    whole.len() == 1
        && whole.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit())
        && !exponent.is_empty()
        && exponent.chars().all(|c| c.is_ascii_digit())
}

/// What a cell is checked with.
pub struct CellChecker<'a> {
    pub normalizer: &'a Normalizer,
    pub codes: &'a CodeTables,
    /// The encoding most of the sheet was keyed in, when the sheet says so clearly.
    pub sheet_encoding: Option<Encoding>,
}

impl CellChecker<'_> {
    /// Checks one cell of a column of `kind`. `doc_type` is the row's document type code for
    /// the person of a document-number column (what length the number should have).
    pub fn check(&self, cell: &Cell, kind: &FieldKind, doc_type: Option<&str>) -> CellOutcome {
        let mut out = CellOutcome::default();
        // What --fix writes, and whether anything was fixed.
        let mut written = cell.display();
        let mut fixed = false;
        if let Some(f) = &cell.formula {
            out.suggest(&codes::FORMULA, f.clone(), true);
            fixed = true;
        }
        let mut number = None;
        let text = match &cell.value {
            Value::Empty => String::new(),
            Value::Error(e) => {
                out.push(&codes::CELL_ERROR, e.clone());
                written = String::new();
                String::new()
            }
            Value::Bool(b) => {
                let t = if *b { "TRUE" } else { "FALSE" };
                out.push(&codes::CELL_TYPE, t);
                t.to_string()
            }
            Value::Date(serial) => match serial_to_date(*serial) {
                Ok((date, time)) if *kind == FieldKind::Date => {
                    let t = date.to_template();
                    let ambiguous = date.day.is_some_and(|d| d <= 12);
                    let detail = t.clone();
                    if ambiguous {
                        out.suggest(&codes::DATE_SERIAL_AMBIGUOUS, detail, true);
                    } else {
                        out.suggest(&codes::DATE_SERIAL, detail, true);
                    }
                    if time {
                        out.suggest(&codes::DATE_TIME, t.clone(), true);
                    }
                    written = t.clone();
                    fixed = true;
                    t
                }
                Ok((date, _)) => {
                    // A date where no date belongs: a volume "01/2018" that Excel took for
                    // January 2018 reads again as typed.
                    let typed = match (kind, date.month, date.day) {
                        (FieldKind::Identifier, Some(m), Some(1)) => {
                            format!("{m:02}/{}", date.year)
                        }
                        _ => date.to_template(),
                    };
                    out.suggest(&codes::CELL_TYPE, typed.clone(), false);
                    typed
                }
                Err(why) => {
                    out.push(&codes::DATE_SERIAL_INVALID, why);
                    number_text(*serial)
                }
            },
            Value::Number(n) => {
                number = Some(*n);
                number_text(*n)
            }
            Value::Text(raw) => {
                // Encodings first, on the text as keyed: UTF-8 read as Windows-1252 writes "à"
                // with a no-break space, which tidying would take for a space.
                let hint = cell
                    .font
                    .as_deref()
                    .and_then(Encoding::of_font)
                    .or(self.sheet_encoding);
                let converted = legacy::detect(raw, hint);
                let keyed = converted.as_ref().map_or(raw.as_str(), |c| c.text.as_str());
                let mut t = tidy_spaces(keyed);
                if let Some(c) = &converted {
                    out.suggest(codes::of_encoding(c.encoding), t.clone(), true);
                    fixed = true;
                }
                if t != keyed {
                    out.suggest(&codes::WHITESPACE, t.clone(), true);
                    fixed = true;
                }
                written = t.clone();
                if placeholder(&t) {
                    out.push(&codes::PLACEHOLDER, t.clone());
                    t.clear();
                } else if formula_like(&t) {
                    out.push(&codes::FORMULA_LIKE, t.clone());
                }
                t
            }
        };
        out.value = text.clone();
        if !text.is_empty() {
            self.check_kind(&mut out, &mut written, &mut fixed, kind, number, doc_type);
        }
        // A formula or a number becomes text even where the text stays the same.
        let retyped = cell.formula.is_some() || !matches!(cell.value, Value::Text(_));
        if fixed && (written != cell.display() || retyped) {
            out.fix = Some(written);
        }
        out
    }

    fn check_kind(
        &self,
        out: &mut CellOutcome,
        written: &mut String,
        fixed: &mut bool,
        kind: &FieldKind,
        number: Option<f64>,
        doc_type: Option<&str>,
    ) {
        let text = out.value.clone();
        match kind {
            FieldKind::Date => self.check_date(out, written, fixed, &text, number),
            FieldKind::IdNumber | FieldKind::DocumentNumber => {
                let lengths: &[usize] = match (kind, doc_type) {
                    (FieldKind::IdNumber, _) | (_, Some("4")) => &[12],
                    (_, Some("1") | None) => &[9, 12],
                    _ => &[],
                };
                check_id(out, written, fixed, &text, number, lengths);
            }
            FieldKind::Code(table) => {
                let Some(t) = self.codes.table(table) else {
                    return;
                };
                if t.contains(&text) {
                    return;
                }
                let n = self
                    .normalizer
                    .normalize(kind, &text, &NormalizeContext::default());
                if !n.value.is_empty() && t.contains(&n.value) && n.fit >= 0.9 {
                    out.suggest(&codes::CODE_LABEL, n.value.clone(), false);
                    out.value = n.value;
                }
            }
            FieldKind::Ethnicity | FieldKind::Nationality => {
                let names: Vec<&str> = match kind {
                    FieldKind::Ethnicity => self
                        .codes
                        .ethnicity
                        .groups
                        .iter()
                        .map(|g| g.name.as_str())
                        .collect(),
                    _ => self
                        .codes
                        .nationalities
                        .iter()
                        .map(|n| n.name.as_str())
                        .collect(),
                };
                // "Mông (Mèo)", "Nhật Bản (Japanese)": the list's name with an alias after it.
                let bare = text.split(" (").next().unwrap_or(&text);
                if names.contains(&text.as_str()) || names.contains(&bare) {
                    return;
                }
                let n = self
                    .normalizer
                    .normalize(kind, &text, &NormalizeContext::default());
                if n.value.is_empty() {
                    out.push(&codes::VALUE_UNKNOWN, text);
                } else {
                    out.suggest(&codes::VALUE_SPELLING, n.value.clone(), false);
                    out.value = n.value;
                }
            }
            FieldKind::Name => {
                let odd = text.chars().any(|c| {
                    !(c.is_alphabetic()
                        || c == ' '
                        || c == '\''
                        || c == '’'
                        || c == '-'
                        || c == '.')
                });
                if odd {
                    out.push(&codes::NAME_CHARS, text);
                }
            }
            _ => {}
        }
    }

    fn check_date(
        &self,
        out: &mut CellOutcome,
        written: &mut String,
        fixed: &mut bool,
        text: &str,
        number: Option<f64>,
    ) {
        if let Some(n) = number {
            let whole = n.fract() == 0.0;
            if whole && (1000.0..=2200.0).contains(&n) {
                return; // a year keyed as a number
            }
            let guess = if whole && (1_000_000.0..100_000_000.0).contains(&n) {
                // ddmmyyyy keyed as a number, a leading zero lost.
                parse_date(&format!("{:08}", n as i64)).map(|(d, _)| d)
            } else if whole && (1.0..=73_050.0).contains(&n) {
                // A date serial whose date format was lost (up to 2099).
                serial_to_date(n).ok().map(|(d, _)| d)
            } else {
                None
            };
            if let Some(d) = guess.filter(PartialDate::is_valid) {
                out.suggest(&codes::DATE_NUMBER, d.to_template(), false);
                out.value = d.to_template();
            }
            return;
        }
        let mut date_text = text.to_string();
        let mut time = false;
        if let Some(d) = without_time(text) {
            date_text = d.to_string();
            time = true;
        }
        if let Some(iso) = iso_date(&date_text) {
            date_text = iso;
        }
        let Some((d, fit)) = parse_date(&date_text).filter(|(d, _)| d.is_valid()) else {
            return; // BAD-DATE, from validation
        };
        let template = d.to_template();
        out.value = template.clone();
        if fit < 1.0 {
            out.suggest(&codes::DATE_UNSURE, template, false);
            return;
        }
        if time {
            out.suggest(&codes::DATE_TIME, template.clone(), true);
        } else if template != text {
            out.suggest(&codes::DATE_FORMAT, template.clone(), true);
        } else {
            return;
        }
        *written = template;
        *fixed = true;
    }
}

/// An ID or document number: digits lost to scientific notation or to the 15 significant
/// digits of a double, leading zeros lost to a number cell, or a number cell with its digits
/// whole (written back as text). `lengths`: the lengths the number may have (none known: any).
fn check_id(
    out: &mut CellOutcome,
    written: &mut String,
    fixed: &mut bool,
    text: &str,
    number: Option<f64>,
    lengths: &[usize],
) {
    let Some(n) = number else {
        if scientific(text) {
            out.push(&codes::ID_DIGITS_LOST, text);
        }
        return;
    };
    let digits = number_text(n);
    if n.fract() != 0.0 || n < 0.0 {
        out.push(&codes::ID_DIGITS_LOST, digits);
        return;
    }
    if n >= 1e15 {
        out.push(&codes::ID_DIGITS_LOST, digits);
        return;
    }
    let len = digits.len();
    if let Some(&want) = lengths.iter().find(|&&l| l > len && l - len <= 3) {
        if !lengths.contains(&len) {
            let padded = format!("{digits:0>want$}");
            out.suggest(&codes::ID_ZEROS_LOST, padded, false);
            return;
        }
    }
    out.suggest(&codes::ID_AS_NUMBER, digits.clone(), true);
    *written = digits;
    *fixed = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schemas;

    fn checker_parts() -> (Normalizer, CodeTables) {
        let s = Schemas::load(&Schemas::locate(None)).unwrap();
        (Normalizer::new(&s.codes), s.codes)
    }

    fn codes_of(o: &CellOutcome) -> Vec<&'static str> {
        o.findings.iter().map(|f| f.generic.code).collect()
    }

    fn number(n: f64) -> Cell {
        Cell {
            value: Value::Number(n),
            ..Cell::empty()
        }
    }

    fn date(n: f64) -> Cell {
        Cell {
            value: Value::Date(n),
            ..Cell::empty()
        }
    }

    #[test]
    fn excel_serials_follow_the_1900_system() {
        let d = |s: f64| serial_to_date(s).map(|(d, _)| d.to_template());
        assert_eq!(d(1.0).unwrap(), "01.01.1900");
        assert_eq!(d(59.0).unwrap(), "28.02.1900");
        assert!(d(60.0).is_err());
        assert_eq!(d(61.0).unwrap(), "01.03.1900");
        assert_eq!(d(35_869.0).unwrap(), "15.03.1998");
        assert_eq!(d(45_943.541).unwrap(), "13.10.2025");
        assert!(serial_to_date(45_943.541).unwrap().1);
        assert!(d(0.0).is_err());
        assert!(d(-3.0).is_err());
    }

    #[test]
    fn dates_come_out_in_template_form() {
        let (n, c) = checker_parts();
        let k = CellChecker {
            normalizer: &n,
            codes: &c,
            sheet_encoding: None,
        };
        let check = |cell: Cell| k.check(&cell, &FieldKind::Date, None);
        // A serial whose day cannot be a month: sure.
        let o = check(date(35_869.0));
        assert_eq!(
            (o.value.as_str(), codes_of(&o)),
            ("15.03.1998", vec!["CHECK-DATE-SERIAL"])
        );
        assert_eq!(o.fix.as_deref(), Some("15.03.1998"));
        // 03.04.1998 may have been 4 March typed on an English keyboard.
        let o = check(date(35_888.5));
        assert_eq!(
            codes_of(&o),
            vec!["CHECK-DATE-SERIAL-AMBIGUOUS", "CHECK-DATE-TIME"]
        );
        assert_eq!(o.value, "03.04.1998");
        let o = check(Cell::text("15/3/1998"));
        assert_eq!(
            (o.value.as_str(), codes_of(&o)),
            ("15.03.1998", vec!["CHECK-DATE-FORMAT"])
        );
        let o = check(Cell::text("1998-03-15T00:00:00"));
        assert_eq!(
            (o.value.as_str(), codes_of(&o)),
            ("15.03.1998", vec!["CHECK-DATE-TIME"])
        );
        let o = check(Cell::text("15/03/1998 08:30"));
        assert_eq!(o.fix.as_deref(), Some("15.03.1998"));
        // Partial dates stay partial.
        assert_eq!(check(Cell::text("3/1998")).value, "03.1998");
        assert!(check(Cell::text("1998")).findings.is_empty());
        assert!(check(number(1998.0)).findings.is_empty());
        assert!(check(Cell::text("05.03.1998")).findings.is_empty());
        // Unsure readings are proposed, never fixed.
        let o = check(Cell::text("15/3/98"));
        assert_eq!(codes_of(&o), vec!["CHECK-DATE-UNSURE"]);
        assert_eq!(o.fix, None);
        let o = check(number(15_031_998.0));
        assert_eq!(
            (o.value.as_str(), codes_of(&o)),
            ("15.03.1998", vec!["CHECK-DATE-NUMBER"])
        );
        // Not a date at all: left to validation (BAD-DATE).
        let o = check(Cell::text("31.02.1998"));
        assert!(o.findings.is_empty());
        assert_eq!(o.value, "31.02.1998");
        assert_eq!(
            codes_of(&check(date(60.0))),
            vec!["CHECK-DATE-SERIAL-INVALID"]
        );
    }

    #[test]
    fn id_numbers_damaged_by_excel_are_found() {
        let (n, c) = checker_parts();
        let k = CellChecker {
            normalizer: &n,
            codes: &c,
            sheet_encoding: None,
        };
        let id = |cell: Cell| k.check(&cell, &FieldKind::IdNumber, None);
        let o = id(number(1_095_012_345.0));
        assert_eq!(codes_of(&o), vec!["CHECK-ID-ZEROS-LOST"]);
        assert_eq!(o.findings[0].suggestion.as_deref(), Some("001095012345"));
        assert_eq!(o.fix, None);
        let o = id(number(134_198_012_345.0));
        assert_eq!(codes_of(&o), vec!["CHECK-ID-AS-NUMBER"]);
        assert_eq!(o.fix.as_deref(), Some("134198012345"));
        assert_eq!(
            codes_of(&id(Cell::text("1.09501E+11"))),
            vec!["CHECK-ID-DIGITS-LOST"]
        );
        assert_eq!(
            codes_of(&id(number(1.2345678901234567e16))),
            vec!["CHECK-ID-DIGITS-LOST"]
        );
        assert!(id(Cell::text("001095012345")).findings.is_empty());
        // A CMND number of 9 digits that lost its zero.
        let o = k.check(&number(12_345_678.0), &FieldKind::DocumentNumber, Some("1"));
        assert_eq!(o.findings[0].suggestion.as_deref(), Some("012345678"));
    }

    #[test]
    fn text_is_tidied_converted_and_judged() {
        let (n, c) = checker_parts();
        let k = CellChecker {
            normalizer: &n,
            codes: &c,
            sheet_encoding: None,
        };
        let o = k.check(
            &Cell::text("  Nguyễn  Văn\u{a0}An\n"),
            &FieldKind::Name,
            None,
        );
        assert_eq!(codes_of(&o), vec!["CHECK-WHITESPACE"]);
        assert_eq!(o.fix.as_deref(), Some("Nguyễn Văn An"));
        let o = k.check(&Cell::text("NguyÔn V¨n An"), &FieldKind::Name, None);
        assert_eq!(codes_of(&o), vec!["CHECK-ENC-TCVN3"]);
        assert_eq!(o.value, "Nguyễn Văn An");
        // "à" in UTF-8 read as Windows-1252 holds a no-break space: converted before tidying.
        let keyed: String = " Bà Lê ".bytes().map(|b| b as char).collect();
        let o = k.check(&Cell::text(keyed), &FieldKind::Name, None);
        assert_eq!(
            codes_of(&o),
            vec!["CHECK-ENC-UTF8-AS-1252", "CHECK-WHITESPACE"]
        );
        assert_eq!(o.fix.as_deref(), Some("Bà Lê"));
        let o = k.check(&Cell::text("Nguyễn Văn 2"), &FieldKind::Name, None);
        assert_eq!(codes_of(&o), vec!["CHECK-NAME-CHARS"]);
        let o = k.check(&Cell::text("=HYPERLINK(\"x\")"), &FieldKind::Text, None);
        assert_eq!(codes_of(&o), vec!["CHECK-FORMULA-LIKE"]);
        let o = k.check(&Cell::text("-"), &FieldKind::Place, None);
        assert_eq!(
            (o.value.as_str(), codes_of(&o)),
            ("", vec!["CHECK-PLACEHOLDER"])
        );
        let sex = FieldKind::Code("gioi_tinh".into());
        let o = k.check(&Cell::text("Nữ"), &sex, None);
        assert_eq!(
            (o.value.as_str(), codes_of(&o)),
            ("2", vec!["CHECK-CODE-LABEL"])
        );
        assert!(k.check(&number(2.0), &sex, None).findings.is_empty());
        let o = k.check(&Cell::text("Mèo"), &FieldKind::Ethnicity, None);
        assert_eq!(
            (o.value.as_str(), codes_of(&o)),
            ("Mông", vec!["CHECK-VALUE-SPELLING"])
        );
        assert!(k
            .check(&Cell::text("Mông (Mèo)"), &FieldKind::Ethnicity, None)
            .findings
            .is_empty());
        let o = k.check(&Cell::text("Xyzabc"), &FieldKind::Nationality, None);
        assert_eq!(codes_of(&o), vec!["CHECK-VALUE-UNKNOWN"]);
        let formula = Cell {
            value: Value::Text("Kinh".into()),
            formula: Some("=A2".into()),
            font: None,
        };
        let o = k.check(&formula, &FieldKind::Ethnicity, None);
        assert_eq!(codes_of(&o), vec!["CHECK-FORMULA"]);
        assert_eq!(o.fix.as_deref(), Some("Kinh"));
        // A volume typed "01/2016" that Excel made a date (01.01.2016).
        let o = k.check(&date(42370.0), &FieldKind::Identifier, None);
        assert_eq!(
            (o.value.as_str(), codes_of(&o)),
            ("01/2016", vec!["CHECK-CELL-TYPE"])
        );
    }
}
