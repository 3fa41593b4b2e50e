//! A form edition sohoa was not built from: pages printed with wordings that are in no file of
//! `schemas/`, read by what the labels mean; a label that means nothing known is reported, and
//! one line in the schemas maps it without reading the pages again.

use crate::util::*;
use sohoa::text::fold;
use std::path::Path;

/// The test's own form: the concepts of `schemas/labels/KS.toml` worded as no file words them,
/// and "Danh xưng", which means nothing the vocabulary knows, for the hometown. It prints no
/// officer, no ethnicity and no nationality.
const EDITION: &str = r#"
register = "KS"
id = "TEST-E2E-WORDING"
name = "Sổ khai sinh (mẫu riêng của phép thử)"
years = [1990, 1997]
title = "SỔ KHAI SINH"
entries_per_page = [2, 2]

[[lines]]
items = [{ label = "Số ghi vào sổ", field = "so" }, { label = "Ngày ghi vào sổ", field = "ngayDangKy" }]

[[lines]]
items = [{ label = "Tên họ người con", field = "nksHoTen" }, { label = "Con là nam hay nữ", field = "nksGioiTinh" }]

[[lines]]
items = [{ label = "Ngày sinh ra", field = "nksNgaySinh" }]

[[lines]]
items = [{ label = "Sinh ra tại", field = "nksNoiSinh" }]

[[lines]]
items = [{ label = "Danh xưng", field = "nksQueQuan" }]

[[lines]]
items = [{ label = "Họ và tên thân phụ", field = "chaHoTen" }, { label = "Năm sinh thân phụ", field = "chaNgaySinh", style = "year" }]

[[lines]]
items = [{ label = "Nơi ở thân phụ", field = "chaNoiCuTru" }]

[[lines]]
items = [{ label = "Họ và tên thân mẫu", field = "meHoTen" }, { label = "Năm sinh thân mẫu", field = "meNgaySinh", style = "year" }]

[[lines]]
items = [{ label = "Nơi ở thân mẫu", field = "meNoiCuTru" }]

[[lines]]
items = [{ label = "Tên người báo", field = "nycHoTen" }, { label = "Quan hệ với con", field = "nycQuanHe" }]
"#;

/// Every quoted string of every schema file, folded.
fn schema_strings(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            out.extend(text.split('"').skip(1).step_by(2).map(words));
        }
    }
    out
}

fn words(text: &str) -> String {
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ")
}

fn scores(out: &Path, set: &Path) -> serde_json::Value {
    let e = sohoa_output(&[
        "eval",
        out.to_str().unwrap(),
        "--truth",
        set.join("truth.csv").to_str().unwrap(),
        "--json",
    ]);
    assert!(e.status.success(), "{}", stderr(&e));
    serde_json::from_slice(&e.stdout).unwrap()
}

fn field_correct(scores: &serde_json::Value, field: &str) -> u64 {
    scores["per_field"][field]["correct"].as_u64().unwrap_or(0)
}

#[test]
fn a_form_worded_as_no_schema_file_is_read_and_an_unknown_label_is_mapped_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let edition = dir.path().join("edition.toml");
    std::fs::write(&edition, EDITION).unwrap();
    let known = schema_strings(&schemas_dir());
    for label in EDITION.split("label = \"").skip(1) {
        let label = &label[..label.find('"').unwrap()];
        assert!(
            !known.contains(&words(label)),
            "\"{label}\" is worded in schemas/"
        );
    }

    let set = dir.path().join("set");
    let o = sohoa_output(&[
        "synth",
        "--out",
        set.to_str().unwrap(),
        "--books",
        "1",
        "--pages",
        "2",
        "--seed",
        "18018",
        "--edition",
        edition.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let scans = set.join("scans");
    let out = dir.path().join("out");
    let o = run(&scans, &out, &["--jobs", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let first = scores(&out, &set);
    assert_eq!(first["entry_recall"].as_f64(), Some(1.0), "{first}");
    // Without the hometown, which no field took, the rest reads as on the known editions
    // (a floor under the measured figure, not the issue's target).
    let overall = first["overall_accuracy"].as_f64().unwrap();
    assert!(overall >= 0.85, "overall field accuracy {overall}");
    assert_eq!(field_correct(&first, "nksQueQuan"), 0);

    // What the form does not print is not missing.
    for finding in column(&out.join("records/KS.csv"), "findings") {
        for unprinted in ["nguoiThucHien", "nksDanToc", "nksQuocTich", "chaDanToc"] {
            assert!(
                !finding.contains(&format!("MISSING-REQUIRED({unprinted})"))
                    && !finding.contains(&format!("MISSING-PRINTED({unprinted})")),
                "{finding}"
            );
        }
    }
    // The label no field took is reported with its count, pages and the line that maps it.
    let rep = report(&out);
    let notes = rep["notes"].as_array().unwrap();
    let unknown: Vec<&str> = notes
        .iter()
        .filter_map(|n| n["message_en"].as_str())
        .filter(|m| m.contains("Label \"Danh xưng\" takes no field"))
        .collect();
    assert_eq!(unknown.len(), 1, "{notes:?}");
    assert!(unknown[0].contains("entries on 2 pages"), "{}", unknown[0]);
    assert!(
        unknown[0].contains("schemas/labels/KS.toml"),
        "{}",
        unknown[0]
    );
    let forms: Vec<&str> = notes
        .iter()
        .filter_map(|n| n["message_en"].as_str())
        .filter(|m| m.starts_with("Form: no known edition"))
        .collect();
    assert_eq!(forms.len(), 1, "{notes:?}");

    // One line in a copy of the schemas maps it; the pages are re-extracted from their
    // stored words, not read again.
    let schemas = dir.path().join("schemas");
    copy_dir(&schemas_dir(), &schemas);
    let vocabulary = schemas.join("labels/KS.toml");
    let text = std::fs::read_to_string(&vocabulary).unwrap();
    let mapped = text.replace("\n[map]\n", "\n[map]\n\"Danh xưng\" = \"nksQueQuan\"\n");
    assert_ne!(mapped, text, "the vocabulary has a [map] table");
    std::fs::write(&vocabulary, mapped).unwrap();
    let o = sohoa()
        .env("SOHOA_SCHEMAS", &schemas)
        .args([
            "run",
            scans.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .args(["--quiet", "--jobs", "2"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rep = report(&out);
    assert_eq!(rep["pages"]["ocr_this_run"], 0, "{}", rep["pages"]);
    assert_eq!(rep["pages"]["reextracted_this_run"], 2, "{}", rep["pages"]);
    let mapped = scores(&out, &set);
    assert!(
        field_correct(&mapped, "nksQueQuan") >= 3,
        "hometown back: {}",
        mapped["per_field"]["nksQueQuan"]
    );
    let notes = rep["notes"].as_array().unwrap();
    assert!(!notes
        .iter()
        .filter_map(|n| n["message_en"].as_str())
        .any(|m| m.contains("Danh xưng")));
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
