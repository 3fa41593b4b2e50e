//! A value a person types, brought to template form by the same normalisation as the pipeline's,
//! minus the repairs of misreads (a person's spelling is not an OCR error): a name is tidied
//! and title-cased, a date parsed and checked, a code looked up in its table. A value that does
//! not fit its field is refused with a message saying what is expected, and nothing is recorded.

use crate::normalize::{parse_date, parse_date_words, NormalizeContext, Normalizer};
use crate::schema::{Column, FieldKind, Schemas};
use crate::text::{nfc, squash_spaces, title_case};

/// Why a typed value was refused, in both languages.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize)]
#[error("{message_en}")]
pub struct Refused {
    pub message_vi: String,
    pub message_en: String,
}

fn refuse(vi: impl Into<String>, en: impl Into<String>) -> Refused {
    Refused {
        message_vi: vi.into(),
        message_en: en.into(),
    }
}

/// The template form of `typed` for `column`; empty input is refused (mark the field
/// illegible instead).
pub fn normalize_typed(
    schemas: &Schemas,
    normalizer: &Normalizer,
    column: &Column,
    typed: &str,
) -> Result<String, Refused> {
    let text = squash_spaces(&nfc(typed));
    if text.is_empty() {
        return Err(refuse(
            "Chưa nhập giá trị: nhập giá trị, hoặc đánh dấu không đọc được",
            "Nothing typed: type the value, or mark the field illegible",
        ));
    }
    if text.chars().count() > 500 || text.chars().any(char::is_control) {
        return Err(refuse(
            "Giá trị quá dài hoặc có ký tự điều khiển",
            "The value is far too long or holds control characters",
        ));
    }
    let key = &column.key;
    match &column.kind {
        FieldKind::Name => {
            let ok = text
                .chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '\'' || c == '-');
            if !ok {
                return Err(refuse(
                    format!("Họ tên chỉ gồm chữ cái: \"{text}\""),
                    format!("A name holds letters only: \"{text}\""),
                ));
            }
            Ok(title_case(&text))
        }
        FieldKind::Date => match parse_date(&text) {
            Some((d, _)) if d.is_valid() => Ok(d.to_template()),
            _ => Err(refuse(
                format!("\"{text}\" không phải ngày hợp lệ (dd.mm.yyyy, mm.yyyy hoặc yyyy)"),
                format!("\"{text}\" is not a valid date (dd.mm.yyyy, mm.yyyy or yyyy)"),
            )),
        },
        FieldKind::DateWords => Ok(parse_date_words(&text)
            .map(|(d, _)| crate::normalize::canonical_date_words(&d))
            .unwrap_or(text)),
        FieldKind::Code(_) | FieldKind::Ethnicity | FieldKind::Nationality | FieldKind::Kinship => {
            let n = normalizer.normalize(&column.kind, &text, &NormalizeContext::default());
            if n.value.is_empty() || n.fit < 0.9 {
                let choices = choices(schemas, &column.kind);
                return Err(refuse(
                    format!("\"{text}\" không có trong danh mục của {key}{choices}"),
                    format!("\"{text}\" is not in the list of {key}{choices}"),
                ));
            }
            Ok(n.value)
        }
        FieldKind::IdNumber => {
            let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            if digits.len() != 12 || !digits.chars().all(|c| c.is_ascii_digit()) {
                return Err(refuse(
                    format!("Số định danh cá nhân gồm đúng 12 chữ số: \"{text}\""),
                    format!("A personal identification number has exactly 12 digits: \"{text}\""),
                ));
            }
            Ok(digits)
        }
        FieldKind::Integer | FieldKind::RowNumber => {
            if !text.chars().all(|c| c.is_ascii_digit()) {
                return Err(refuse(
                    format!("{key} là một số: \"{text}\""),
                    format!("{key} is a number: \"{text}\""),
                ));
            }
            Ok(text.trim_start_matches('0').to_string()).map(|v| {
                if v.is_empty() {
                    "0".into()
                } else {
                    v
                }
            })
        }
        FieldKind::DocumentNumber => {
            if !text.chars().all(|c| c.is_alphanumeric()) {
                return Err(refuse(
                    format!("Số giấy tờ chỉ gồm chữ và số: \"{text}\""),
                    format!("A document number holds letters and digits only: \"{text}\""),
                ));
            }
            Ok(text.to_uppercase())
        }
        FieldKind::Identifier
        | FieldKind::Place
        | FieldKind::Authority
        | FieldKind::Text
        | FieldKind::Title => Ok(text),
    }
}

/// A few of a closed list's names, to show what is expected.
fn choices(schemas: &Schemas, kind: &FieldKind) -> String {
    let table = match kind {
        FieldKind::Code(t) => schemas.codes.table(t),
        _ => None,
    };
    match table {
        Some(t) => {
            let names: Vec<String> = t
                .entries
                .iter()
                .take(8)
                .map(|e| format!("{} = {}", e.code, e.name))
                .collect();
            format!(" ({})", names.join(", "))
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Schemas, Normalizer) {
        let s =
            Schemas::load(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas"))
                .unwrap();
        let n = Normalizer::new(&s.codes);
        (s, n)
    }

    fn typed(s: &Schemas, n: &Normalizer, key: &str, text: &str) -> Result<String, Refused> {
        let col = s.register("KS").unwrap().column(key).unwrap().clone();
        normalize_typed(s, n, &col, text)
    }

    #[test]
    fn typed_values_take_template_form() {
        let (s, n) = setup();
        assert_eq!(
            typed(&s, &n, "nksHoTen", "  nguyễn  văn an ").unwrap(),
            "Nguyễn Văn An"
        );
        assert_eq!(
            typed(&s, &n, "nksNgaySinh", "5/3/1998").unwrap(),
            "05.03.1998"
        );
        assert_eq!(typed(&s, &n, "nksNgaySinh", "1998").unwrap(), "1998");
        assert_eq!(typed(&s, &n, "nksGioiTinh", "Nữ").unwrap(), "2");
        assert_eq!(
            typed(&s, &n, "nksSoDinhDanh", "001 098 012 345").unwrap(),
            "001098012345"
        );
    }

    #[test]
    fn values_that_do_not_fit_are_refused_in_both_languages() {
        let (s, n) = setup();
        let e = typed(&s, &n, "nksNgaySinh", "31.02.1998").unwrap_err();
        assert!(e.message_en.contains("not a valid date"), "{e:?}");
        assert!(e.message_vi.contains("không phải ngày"), "{e:?}");
        assert!(typed(&s, &n, "nksHoTen", "<b>An</b>").is_err());
        assert!(typed(&s, &n, "nksGioiTinh", "maybe")
            .unwrap_err()
            .message_en
            .contains("1 = "));
        assert!(typed(&s, &n, "nksSoDinhDanh", "12345").is_err());
        assert!(typed(&s, &n, "nksHoTen", "   ").is_err());
    }
}
