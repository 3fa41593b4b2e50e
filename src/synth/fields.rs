//! What a page prints for each labelled item of an edition, and the value sohoa's outputs must
//! hold for it (the truth). Fields are found by the register column's person and role, so any
//! edition that uses the register's fields prints without Rust changes; a field sohoa cannot
//! invent a value for is printed blank (dotted leader only).

use super::dates::WordsSpelling;
use super::entry::{EntryFacts, Person};
use super::names::Sex;
use crate::normalize::{canonical_date_words, PartialDate};
use crate::schema::{CodeTables, Column, EditionItem, FieldKind, ValueStyle};
use crate::text::{fold, nfc, squash_spaces, title_case};

/// One printed value and its truth.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// Text typed on the leader; `None` leaves the leader blank.
    pub printed: Option<String>,
    /// Normalised value for `truth.csv` (empty when nothing is printed).
    pub truth: String,
    /// A sibling field of the same person known from this value, by role
    /// (`LoaiGiayToTuyThan` from "CMND số ...").
    pub companion: Option<(String, String)>,
}

/// Page-level facts a header or footer item may print.
pub struct PageFacts<'a> {
    pub volume: &'a str,
    pub authority: &'a str,
    pub page_number: u32,
}

/// Everything a cell needs besides the entry.
pub struct CellContext<'a> {
    pub page: &'a PageFacts<'a>,
    pub words: &'a WordsSpelling,
    pub codes: &'a CodeTables,
}

/// The cell for one edition item of one entry.
pub fn cell(column: &Column, item: &EditionItem, entry: &EntryFacts, ctx: &CellContext) -> Cell {
    let raw = raw_cell(column, item, entry, ctx);
    normalise_truth(column, raw)
}

fn person<'e>(entry: &'e EntryFacts, who: &str) -> Option<&'e Person> {
    match who {
        "nks" => Some(&entry.child),
        "me" => entry.mother.as_ref(),
        "cha" => entry.father.as_ref(),
        _ => None,
    }
}

fn text(printed: impl Into<String>) -> Cell {
    let printed = printed.into();
    if printed.trim().is_empty() {
        return Cell::default();
    }
    Cell {
        truth: printed.clone(),
        printed: Some(printed),
        companion: None,
    }
}

fn raw_cell(column: &Column, item: &EditionItem, entry: &EntryFacts, ctx: &CellContext) -> Cell {
    let role = column.role.as_str();
    if column.person == "register" {
        return match role {
            "So" => text(entry.so.to_string()),
            "QuyenSo" => text(ctx.page.volume),
            "TrangSo" => text(ctx.page.page_number.to_string()),
            "NgayDangKy" => date_cell(&entry.registration, item.style, entry, ctx),
            "LoaiDangKy" => Cell {
                printed: Some(entry.reg_type_printed.clone()),
                truth: entry.reg_type_code.clone(),
                companion: None,
            },
            "NoiDangKy" => text(ctx.page.authority),
            "NguoiKy" => text(&entry.signer),
            "ChucVuNguoiKy" => text(&entry.signer_position),
            "NguoiThucHien" => text(&entry.clerk),
            "GhiChu" => text(&entry.note),
            _ => Cell::default(),
        };
    }
    if column.person == "nyc" {
        let r = &entry.requester;
        return match role {
            "HoTen" => text(&r.name),
            "QuanHe" => Cell {
                printed: Some(r.kinship_printed.clone()),
                truth: table_name(ctx.codes, "quan_he", &r.kinship_code),
                companion: None,
            },
            "SoGiayToTuyThan" => Cell {
                printed: Some(r.document.printed.clone()),
                truth: r.document.number.clone(),
                companion: Some(("LoaiGiayToTuyThan".into(), r.document.type_code.to_string())),
            },
            _ => Cell::default(),
        };
    }
    let Some(p) = person(entry, &column.person) else {
        return Cell::default();
    };
    let is_child = column.person == "nks";
    match role {
        "HoTen" => text(&p.name),
        "NgaySinh" => date_cell(&p.birth, item.style, entry, ctx),
        "NgaySinhBangChu" => Cell {
            printed: Some(ctx.words.print(&p.birth)),
            truth: canonical_date_words(&p.birth),
            companion: None,
        },
        "GioiTinh" => {
            let code = match p.sex {
                Sex::Male => "1",
                Sex::Female => "2",
            };
            Cell {
                printed: Some(code_wording(ctx.codes, "gioi_tinh", code, &item.label)),
                truth: code.into(),
                companion: None,
            }
        }
        "DanToc" => Cell {
            printed: Some(p.ethnicity.printed.clone()),
            truth: p.ethnicity.name.clone(),
            companion: None,
        },
        "QuocTich" => text(&p.nationality),
        "NoiCuTru" => text(&p.residence),
        "NoiSinh" if is_child => text(&entry.birth_place),
        "QueQuan" if is_child => text(&entry.home_town),
        "SoDinhDanh" if is_child => text(&entry.id_number),
        _ => Cell::default(),
    }
}

/// A date printed in the item's style. Truth: `dd.mm.yyyy`, or `yyyy` for a year, or the
/// registration year minus the printed age for an age.
fn date_cell(date: &PartialDate, style: ValueStyle, entry: &EntryFacts, ctx: &CellContext) -> Cell {
    let (printed, truth) = match style {
        ValueStyle::Plain => (entry.date_format.print(date), date.to_template()),
        ValueStyle::Year => (
            date.year.to_string(),
            PartialDate::year_only(date.year).to_template(),
        ),
        ValueStyle::Age => {
            let age = entry.registration.year - date.year;
            (
                age.to_string(),
                PartialDate::year_only(entry.registration.year - age).to_template(),
            )
        }
        ValueStyle::Words => (ctx.words.print(date), date.to_template()),
    };
    Cell {
        printed: Some(printed),
        truth,
        companion: None,
    }
}

/// The `name` of a code in its table (the truth for kinship).
fn table_name(codes: &CodeTables, table: &str, code: &str) -> String {
    codes
        .table(table)
        .and_then(|t| t.entries.iter().find(|e| e.code == code))
        .map(|e| e.name.clone())
        .unwrap_or_default()
}

/// How a code is written on the page. A label that offers a choice of words ("Trai hay gái")
/// is answered with the word it offers; otherwise the code's first label ("Nam").
fn code_wording(codes: &CodeTables, table: &str, code: &str, label: &str) -> String {
    let Some(t) = codes.table(table) else {
        return String::new();
    };
    let label_words: Vec<String> = fold(label).split_whitespace().map(str::to_string).collect();
    let offered = |word: &str| {
        let w = fold(word);
        !w.contains(' ') && label_words.contains(&w)
    };
    let codes_offered = t
        .entries
        .iter()
        .filter(|e| e.labels.iter().any(|l| offered(l)))
        .count();
    let entry = t.entries.iter().find(|e| e.code == code);
    match entry {
        Some(e) => {
            if codes_offered >= 2 {
                if let Some(l) = e.labels.iter().find(|l| offered(l)) {
                    return l.clone();
                }
            }
            e.labels.first().cloned().unwrap_or_else(|| e.name.clone())
        }
        None => String::new(),
    }
}

/// Truth in the form sohoa emits: names title case, texts NFC with single spaces.
fn normalise_truth(column: &Column, mut cell: Cell) -> Cell {
    cell.truth = match column.kind {
        FieldKind::Name => title_case(&cell.truth),
        _ => squash_spaces(&nfc(&cell.truth)),
    };
    cell
}

/// Typical width of a value of this kind, in ems, to share a line between its items.
pub fn typical_width_em(kind: &FieldKind, style: ValueStyle) -> f32 {
    match (kind, style) {
        (FieldKind::Date, ValueStyle::Year) => 4.0,
        (FieldKind::Date, ValueStyle::Age) => 3.0,
        (FieldKind::Date, ValueStyle::Words) | (FieldKind::DateWords, _) => 30.0,
        (FieldKind::Date, _) => 9.0,
        (FieldKind::Name, _) => 15.0,
        (FieldKind::Code(_), _) => 4.0,
        (FieldKind::Ethnicity, _) => 5.0,
        (FieldKind::Nationality, _) => 6.0,
        (FieldKind::Identifier, _) | (FieldKind::Integer, _) | (FieldKind::RowNumber, _) => 5.0,
        (FieldKind::IdNumber, _) => 9.0,
        (FieldKind::DocumentNumber, _) => 14.0,
        (FieldKind::Kinship, _) => 6.0,
        (FieldKind::Text, _) | (FieldKind::Title, _) => 10.0,
        (FieldKind::Place, _) | (FieldKind::Authority, _) => 30.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schemas;

    fn schemas() -> Schemas {
        Schemas::load(&Schemas::locate(None)).expect("project schemas")
    }

    #[test]
    fn a_choice_label_is_answered_with_its_word() {
        let s = schemas();
        assert_eq!(
            code_wording(&s.codes, "gioi_tinh", "1", "Trai hay gái"),
            "Trai"
        );
        assert_eq!(
            code_wording(&s.codes, "gioi_tinh", "2", "Trai hay gái"),
            "Gái"
        );
        assert_eq!(code_wording(&s.codes, "gioi_tinh", "2", "Giới tính"), "Nữ");
    }
}
