//! From an edition and a page's entries to what the page prints ([`PrintedPage`]) and the
//! truth rows of its entries. The edition's data alone decides the lines, labels and styles.

use super::book::{BookPlan, PagePlan};
use super::fields::{cell, typical_width_em, CellContext, PageFacts};
use super::layout::{PrintedItem, PrintedLine, PrintedPage};
use crate::schema::{CodeTables, Derivation, EditionItem, FieldKind, RegisterSchema, Requirement};

/// One page printed, with one truth row (register column order) per entry.
pub struct PrintedSheet {
    pub page: PrintedPage,
    pub truth: Vec<Vec<String>>,
}

pub fn print_page(
    book: &BookPlan,
    page: &PagePlan,
    register: &RegisterSchema,
    codes: &CodeTables,
) -> PrintedSheet {
    let edition = &book.edition;
    let page_facts = PageFacts {
        volume: &book.volume,
        authority: &book.authority,
        page_number: page.number,
    };
    let ctx = CellContext {
        page: &page_facts,
        words: &book.style.words,
        codes,
    };
    let printed_item = |item: &EditionItem, entry| -> PrintedItem {
        let (value, width_em) = match register.column(&item.field) {
            Some(col) => (
                cell(col, item, entry, &ctx).printed,
                typical_width_em(&col.kind, item.style),
            ),
            None => (None, 10.0),
        };
        PrintedItem {
            label: item.label.clone(),
            value,
            width_em,
        }
    };

    let first = page.entries.first();
    let page_row = |items: &[EditionItem]| -> Vec<PrintedItem> {
        match first {
            Some(entry) => items.iter().map(|i| printed_item(i, entry)).collect(),
            None => Vec::new(),
        }
    };
    let header = page_row(&edition.page_header);
    let footer = page_row(&edition.page_footer);

    let mut entries = Vec::new();
    let mut truth = Vec::new();
    for entry in &page.entries {
        let mut lines = Vec::new();
        for line in &edition.lines {
            if let Some(heading) = &line.heading {
                lines.push(PrintedLine::Heading(heading.clone()));
            }
            if !line.items.is_empty() {
                lines.push(PrintedLine::Items(
                    line.items.iter().map(|i| printed_item(i, entry)).collect(),
                ));
            }
        }
        entries.push(lines);

        let mut row = vec![String::new(); register.columns.len()];
        let mut printed_fields = Vec::new();
        for item in edition.items() {
            let Some((index, col)) = register
                .columns
                .iter()
                .enumerate()
                .find(|(_, c)| c.key == item.field)
            else {
                continue;
            };
            printed_fields.push(index);
            let c = cell(col, item, entry, &ctx);
            if row[index].is_empty() {
                row[index] = c.truth;
            }
            if let Some((role, value)) = c.companion {
                if let Some(i) = register
                    .columns
                    .iter()
                    .position(|k| k.person == col.person && k.role == role)
                {
                    row[i] = value;
                }
            }
        }
        fill_defaults(&mut row, &printed_fields, book, entry, register, codes);
        truth.push(row);
    }
    PrintedSheet {
        page: PrintedPage {
            title: edition.title.clone(),
            header,
            entries,
            footer,
        },
        truth,
    }
}

/// What the page does not print but the outputs still hold: book defaults (volume,
/// authority), the "unknown" code of a required coded field, derived fields.
fn fill_defaults(
    row: &mut [String],
    printed: &[usize],
    book: &BookPlan,
    entry: &super::entry::EntryFacts,
    register: &RegisterSchema,
    codes: &CodeTables,
) {
    for (i, col) in register.columns.iter().enumerate() {
        if !row[i].is_empty() {
            continue;
        }
        if let Some(key) = &col.book_default {
            row[i] = match key.as_str() {
                "volume" => book.volume.clone(),
                "authority" => book.authority.clone(),
                "year" => book.year.to_string(),
                _ => String::new(),
            };
            continue;
        }
        if let FieldKind::Code(table) = &col.kind {
            let unknown = codes.table(table).and_then(|t| t.unknown_code.clone());
            if col.require == Requirement::Always && !printed.contains(&i) {
                if let Some(code) = unknown {
                    row[i] = code;
                }
            }
        }
    }
    for d in &register.derived {
        match d {
            Derivation::ParentsKnown { field, codes, .. } => {
                let code = match (entry.mother.is_some(), entry.father.is_some()) {
                    (true, true) => &codes[0],
                    (false, true) => &codes[1],
                    (true, false) => &codes[2],
                    (false, false) => &codes[3],
                };
                if let Some(i) = register.columns.iter().position(|c| &c.key == field) {
                    row[i] = code.clone();
                }
            }
        }
    }
}
