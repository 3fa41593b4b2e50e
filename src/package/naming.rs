//! Delivery file names from the placeholder patterns of `schemas/delivery/<REG>.toml`:
//! `{register}.{year}.{volume_no}.{reg_date:yyyy-mm-dd}.{so:000}.pdf` with an entry's fields
//! and its book's `book.toml` keys gives `KS.2008.01.2008-01-15.001.pdf`.

use crate::ingest::BookMeta;
use crate::normalize::PartialDate;
use crate::page::Entry;
use crate::schema::RegisterSchema;
use std::path::PathBuf;

/// Why a name cannot be made. Each names what is missing and where it was looked for.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NameError {
    #[error("{path}: key `{key}` is missing (the delivery file names need it)")]
    MissingBookKey { path: PathBuf, key: String },
    #[error("field `{field}` is empty (the delivery file names need it)")]
    MissingEntryField { field: String },
    #[error("`{value}` of `{name}` cannot be written as `{format}`")]
    BadValue {
        name: String,
        value: String,
        format: String,
    },
}

/// How a placeholder's value is written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Format {
    AsIs,
    /// The value's leading number, zero-padded to this width.
    Zeros(usize),
    /// A `dd.mm.yyyy` value rewritten with yyyy / mm / dd replaced.
    Date(String),
    /// First letter of each word, marks removed, upper case.
    Initials,
    Upper,
    Lower,
}

impl Format {
    fn parse(s: &str) -> Result<Format, String> {
        Ok(match s {
            "" => Format::AsIs,
            "initials" => Format::Initials,
            "upper" => Format::Upper,
            "lower" => Format::Lower,
            z if z.chars().all(|c| c == '0') => Format::Zeros(z.len()),
            d if d.contains("yyyy") || d.contains("mm") || d.contains("dd") => {
                Format::Date(d.to_string())
            }
            other => {
                return Err(format!(
                    "unknown format `{other}` (use a date like yyyy-mm-dd, zeros like 000, \
                     initials, upper or lower)"
                ))
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Placeholder {
        name: String,
        format: Format,
        spec: String,
    },
}

/// A parsed naming pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    segments: Vec<Segment>,
}

impl Pattern {
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let mut segments = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                None => {
                    segments.push(Segment::Literal(rest.to_string()));
                    break;
                }
                Some(i) if rest.as_bytes()[i] == b'}' => {
                    return Err(format!("`}}` without `{{` in \"{text}\""));
                }
                Some(i) => {
                    if i > 0 {
                        segments.push(Segment::Literal(rest[..i].to_string()));
                    }
                    let after = &rest[i + 1..];
                    let close = after
                        .find('}')
                        .ok_or_else(|| format!("`{{` is never closed in \"{text}\""))?;
                    let inner = &after[..close];
                    if inner.contains('{') {
                        return Err(format!("`{{` inside a placeholder in \"{text}\""));
                    }
                    let (name, spec) = inner.split_once(':').unwrap_or((inner, ""));
                    let name = name.trim();
                    if name.is_empty() {
                        return Err(format!("a placeholder has no name in \"{text}\""));
                    }
                    segments.push(Segment::Placeholder {
                        name: name.to_string(),
                        format: Format::parse(spec.trim())?,
                        spec: spec.trim().to_string(),
                    });
                    rest = &after[close + 1..];
                }
            }
        }
        if segments.is_empty() {
            return Err("the pattern is empty".into());
        }
        Ok(Pattern { segments })
    }

    /// Names the pattern uses, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Placeholder { name, .. } => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
    }

    /// The name for a book (and, for entry patterns, an entry).
    pub fn render(&self, ctx: &NameContext) -> Result<String, NameError> {
        let mut out = String::new();
        for s in &self.segments {
            match s {
                Segment::Literal(l) => out.push_str(l),
                Segment::Placeholder { name, format, spec } => {
                    let value = ctx.lookup(name)?;
                    let written =
                        apply_format(&value, format).ok_or_else(|| NameError::BadValue {
                            name: name.clone(),
                            value: value.clone(),
                            format: spec.clone(),
                        })?;
                    out.push_str(&safe_file_part(&written));
                }
            }
        }
        Ok(out)
    }
}

/// Where placeholder values come from.
pub struct NameContext<'a> {
    pub register: &'a RegisterSchema,
    pub book: &'a BookMeta,
    /// The book's `book.toml`, named in errors.
    pub book_toml: PathBuf,
    /// The entry, for entry names.
    pub entry: Option<&'a Entry>,
}

impl NameContext<'_> {
    fn book_key(&self, key: &str) -> Result<String, NameError> {
        self.book
            .get(key)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| NameError::MissingBookKey {
                path: self.book_toml.clone(),
                key: key.to_string(),
            })
    }

    /// A template column's value; `None` when `key` is no column of the register.
    fn entry_field(&self, key: &str) -> Option<Result<String, NameError>> {
        if !self.register.columns.iter().any(|c| c.key == key) {
            return None;
        }
        Some(
            self.entry
                .and_then(|e| e.value(key))
                .map(str::to_string)
                .ok_or_else(|| NameError::MissingEntryField {
                    field: key.to_string(),
                }),
        )
    }

    /// Built-ins, then the entry's fields, then `book.toml` keys.
    fn lookup(&self, name: &str) -> Result<String, NameError> {
        match name {
            "volume_no" => {
                if let Some(v) = self.book.get("volume_no").filter(|v| !v.is_empty()) {
                    return Ok(v);
                }
                let volume = self.book_key("volume")?;
                let number = volume.split('/').next().unwrap_or("").trim().to_string();
                if number.is_empty() {
                    return Err(NameError::BadValue {
                        name: "volume_no".into(),
                        value: volume,
                        format: "number before the slash".into(),
                    });
                }
                Ok(number)
            }
            "reg_date" => self.entry_field("ngayDangKy").unwrap_or_else(|| {
                Err(NameError::MissingEntryField {
                    field: "ngayDangKy".into(),
                })
            }),
            _ => match self.entry_field(name) {
                Some(v) => v,
                None => self.book_key(name),
            },
        }
    }
}

fn apply_format(value: &str, format: &Format) -> Option<String> {
    match format {
        Format::AsIs => Some(value.trim().to_string()),
        Format::Upper => Some(value.trim().to_uppercase()),
        Format::Lower => Some(value.trim().to_lowercase()),
        Format::Initials => {
            let s: String = crate::text::fold(value)
                .split(|c: char| !c.is_alphanumeric())
                .filter_map(|w| w.chars().next())
                .flat_map(|c| c.to_uppercase())
                .collect();
            (!s.is_empty()).then_some(s)
        }
        Format::Zeros(width) => {
            let n = leading_number(value)?;
            Some(format!("{n:0width$}"))
        }
        Format::Date(pattern) => {
            let date = parse_template_date(value)?;
            let mut out = pattern.replace("yyyy", &format!("{:04}", date.year));
            if out.contains("mm") {
                out = out.replace("mm", &format!("{:02}", date.month?));
            }
            if out.contains("dd") {
                out = out.replace("dd", &format!("{:02}", date.day?));
            }
            Some(out)
        }
    }
}

/// Characters no file system or ZIP reader should meet in a name become `-`; spaces become `_`.
fn safe_file_part(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_whitespace() => '_',
            c if c.is_control() => '-',
            c => c,
        })
        .collect()
}

/// The number a value starts with (`12`, `01/2018` -> 1, ` 7/` -> 7); `None` without digits.
pub fn leading_number(value: &str) -> Option<i64> {
    let digits: String = value
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// A template-form date (`dd.mm.yyyy`, `mm.yyyy`, `yyyy`) as written by extraction.
pub fn parse_template_date(value: &str) -> Option<PartialDate> {
    let parts: Vec<&str> = value.trim().split('.').collect();
    let num = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let date = match parts.as_slice() {
        [d, m, y] => PartialDate::full(num(d)? as u8, num(m)? as u8, num(y)? as i32),
        [m, y] => PartialDate::month_year(num(m)? as u8, num(y)? as i32),
        [y] if y.len() == 4 => PartialDate::year_only(num(y)? as i32),
        _ => return None,
    };
    date.is_valid().then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::BTreeMap;

    fn book() -> BookMeta {
        BookMeta {
            register: "KS".into(),
            volume: "01/2008".into(),
            year: 2008,
            authority: "UBND xã An Nhơn".into(),
            extra: BTreeMap::from([
                ("ward_code".to_string(), "24892".to_string()),
                ("district_initials".to_string(), "DT".to_string()),
                ("province_initials".to_string(), "LD".to_string()),
                ("district".to_string(), "huyện Đạ Tẻh".to_string()),
            ]),
        }
    }

    fn entry(so: &str, date: &str) -> Entry {
        Entry::from_values(1, [("so", so), ("ngayDangKy", date)])
    }

    fn render(pattern: &str, book: &BookMeta, entry: Option<&Entry>) -> Result<String, NameError> {
        let schemas = crate::schema::Schemas::load(
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas"),
        )
        .unwrap();
        Pattern::parse(pattern).unwrap().render(&NameContext {
            register: schemas.register("KS").unwrap(),
            book,
            book_toml: PathBuf::from("scans/b/book.toml"),
            entry,
        })
    }

    #[test]
    fn renders_the_reference_names() {
        let b = book();
        let e = entry("1", "15.01.2008");
        assert_eq!(
            render(
                "{register}.{year}.{volume_no}.{reg_date:yyyy-mm-dd}.{so:000}.pdf",
                &b,
                Some(&e)
            )
            .unwrap(),
            "KS.2008.01.2008-01-15.001.pdf"
        );
        assert_eq!(
            render(
                "{ward_code}_{district_initials}_{province_initials}.{register}.{year}.{volume_no}",
                &b,
                None
            )
            .unwrap(),
            "24892_DT_LD.KS.2008.01"
        );
        assert_eq!(render("{district:initials}", &b, None).unwrap(), "HDT");
        assert_eq!(render("{authority}", &b, None).unwrap(), "UBND_xã_An_Nhơn");
    }

    #[test]
    fn missing_book_key_names_file_and_key() {
        let mut b = book();
        b.extra.remove("ward_code");
        let err = render("{ward_code}.x", &b, None).unwrap_err();
        assert_eq!(
            err,
            NameError::MissingBookKey {
                path: PathBuf::from("scans/b/book.toml"),
                key: "ward_code".into()
            }
        );
        assert!(err.to_string().contains("book.toml"));
    }

    #[test]
    fn bad_values_and_patterns_are_reported() {
        let b = book();
        let e = entry("abc", "01.2008");
        assert!(matches!(
            render("{so:000}", &b, Some(&e)),
            Err(NameError::BadValue { .. })
        ));
        assert!(matches!(
            render("{reg_date:yyyy-mm-dd}", &b, Some(&e)),
            Err(NameError::BadValue { .. })
        ));
        assert!(Pattern::parse("{so").is_err());
        assert!(Pattern::parse("so}").is_err());
        assert!(Pattern::parse("{:000}").is_err());
        assert!(Pattern::parse("{so:weird}").is_err());
    }

    #[test]
    fn template_dates_and_numbers_parse() {
        assert_eq!(
            parse_template_date("05.03.1998"),
            Some(PartialDate::full(5, 3, 1998))
        );
        assert_eq!(
            parse_template_date("03.1998"),
            Some(PartialDate::month_year(3, 1998))
        );
        assert_eq!(parse_template_date("31.02.1998"), None);
        assert_eq!(parse_template_date("x"), None);
        assert_eq!(leading_number("01/2018"), Some(1));
        assert_eq!(leading_number("12"), Some(12));
        assert_eq!(leading_number("/12"), None);
    }
}
