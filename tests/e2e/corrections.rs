//! People's corrections on a real run: they reach the outputs, survive re-extraction and a
//! re-read page when the reading is unchanged, and become a conflict when it changed.

use crate::util::*;
use sohoa::journal::{ActionKind, Journal, NewAction, Target, Track};
use std::path::Path;

fn record_cell(out: &Path, page: &str, entry: &str, column: &str) -> String {
    let mut rdr = csv::Reader::from_path(out.join("records/KS.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    rdr.records()
        .map(|r| r.unwrap())
        .find(|r| r[at("page")] == *page && r[at("entry")] == *entry)
        .map(|r| r[at(column)].to_string())
        .unwrap_or_else(|| panic!("no entry {page}:{entry} in the records"))
}

fn correction(book: &str, field: &str, read: &str, value: &str) -> NewAction {
    NewAction {
        target: Target {
            book_id: book.into(),
            page: 1,
            entry: 1,
            field: field.into(),
        },
        track: Track::Review,
        kind: ActionKind::Correct,
        who: "Lan".into(),
        role: "reviewer".into(),
        value_read: read.into(),
        value: value.into(),
        pass: 0,
        reason: String::new(),
        source: "test".into(),
        supersedes: None,
        ms: None,
    }
}

#[test]
fn a_correction_survives_reextraction_and_a_reread_page_and_a_changed_reading_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let scans = synth(&dir.path().join("set"), 1, 1, "clean", 171203);
    let out = dir.path().join("out");
    let o = run(&scans, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let book = first_book(&scans);
    let book_id = book.file_name().unwrap().to_str().unwrap().to_string();
    let name_read = record_cell(&out, "1", "1", "nksHoTen");
    let place_read = record_cell(&out, "1", "1", "nksNoiSinh");
    assert!(!name_read.is_empty() && !place_read.is_empty());

    let mut journal = Journal::open(&out).unwrap();
    journal
        .record(&correction(
            &book_id,
            "nksHoTen",
            &name_read,
            "Nguyễn Thị Sửa",
        ))
        .unwrap();
    // Made on a reading the page does not give: must not be applied.
    journal
        .record(&correction(
            &book_id,
            "nksNoiSinh",
            "Nơi khác đã đọc",
            "Xã Đổi, huyện Khác",
        ))
        .unwrap();
    drop(journal);

    let check = |when: &str| {
        assert_eq!(
            record_cell(&out, "1", "1", "nksHoTen"),
            "Nguyễn Thị Sửa",
            "{when}"
        );
        assert!(
            record_cell(&out, "1", "1", "set_by").contains("nksHoTen=Lan"),
            "{when}"
        );
        assert_eq!(
            record_cell(&out, "1", "1", "nksNoiSinh"),
            place_read,
            "{when}"
        );
        let conflicts = report(&out)["people"]["conflicts"].clone();
        let text = conflicts.to_string();
        assert!(
            text.contains("nksNoiSinh") && !text.contains("nksHoTen"),
            "{when}: {text}"
        );
        assert!(
            record_cell(&out, "1", "1", "findings").contains("JOURNAL-CONFLICT"),
            "{when}"
        );
    };
    let o = sohoa_output(&["emit", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check("after emit");

    // Re-extraction from the stored words (the book's settings changed).
    let toml = book.join("book.toml");
    let mut meta = std::fs::read_to_string(&toml).unwrap();
    meta.push_str("\n# checked by Lan\n");
    std::fs::write(&toml, meta).unwrap();
    let o = run(&scans, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(report(&out)["pages"]["reextracted_this_run"], 1);
    check("after re-extraction");

    // `rerun --page` with the same settings re-extracts from the stored words.
    let o = sohoa_output(&[
        "rerun",
        out.to_str().unwrap(),
        "--page",
        &format!("{book_id}:1"),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check("after rerun --page");

    // The page's stored result lost: the page is read again from its image.
    let stored = sohoa::store::PageStore::open(&out)
        .unwrap()
        .path_for(&sohoa::page::PageKey {
            book_id: book_id.clone(),
            page: 1,
        });
    std::fs::remove_file(&stored).unwrap();
    let o = run(&scans, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(report(&out)["pages"]["ocr_this_run"], 1);
    check("after the page was read again");
}
