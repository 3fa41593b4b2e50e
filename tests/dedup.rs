//! End-to-end tests of `sohoa dedup` and `sohoa dedup-synth` on small generated data, and of
//! the dedup batch step keeping a known duplicate out of the import file.

use sohoa::dedup::config::MatchConfig;
use sohoa::dedup::generate::{generate, GenParams};
use sohoa::dedup::step::DedupStep;
use sohoa::emit::{BatchStep, Outputs};
use sohoa::ingest::{Book, BookMeta, Scan};
use sohoa::page::{Entry, EntryStatus, FieldValue, PageKey, PageOutcome, PageResult, PageSource};
use sohoa::schema::Schemas;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

#[path = "e2e/util.rs"]
mod util;

use util::{schemas_dir, sohoa_output as sohoa};

fn ok(o: &Output) -> String {
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "failed: {}\n{out}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

#[test]
fn dedup_finds_generated_duplicates_and_never_merges_twins() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set");
    let out = dir.path().join("out");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    ok(&sohoa(&[
        "dedup-synth",
        "--out",
        &s(&set),
        "--registry",
        "4000",
        "--batch",
        "400",
        "--seed",
        "4",
    ]));
    for f in ["registry.csv", "batch.csv", "pairs.csv", "near_misses.csv"] {
        assert!(set.join(f).is_file(), "{f}");
    }
    let summary = ok(&sohoa(&[
        "dedup",
        "--input",
        &s(&set.join("batch.csv")),
        "--existing",
        &s(&set.join("registry.csv")),
        "--truth",
        &s(&set.join("pairs.csv")),
        "--out",
        &s(&out),
    ]));
    assert!(summary.contains("candidate pairs"), "{summary}");
    assert!(summary.contains("key name+birth_year"), "{summary}");
    assert!(summary.contains("Against the truth"), "{summary}");

    let (headers, rows) = read_csv(&out.join("matches.csv"));
    assert_eq!(
        headers,
        [
            "kind",
            "input_row",
            "match_row",
            "score",
            "decision",
            "explanation"
        ]
    );
    assert!(rows
        .iter()
        .any(|r| r[0] == "existing" && r[4] == "duplicate"));
    assert!(rows.iter().any(|r| r[0] == "input" && r[4] == "duplicate"));
    assert!(rows.iter().all(|r| r[5].contains("prior")));

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let truth = &report["truth"];
    let f1 = truth["duplicate"]["f1"].as_f64().unwrap();
    let precision = truth["duplicate"]["precision"].as_f64().unwrap();
    assert!(f1 >= 0.95, "F1 {f1}");
    assert!(precision >= 0.99, "precision {precision}");
    assert_eq!(truth["near_misses"]["twin"]["merged"], 0, "{truth}");
    assert!(truth["near_misses"]["twin"]["pairs"].as_u64().unwrap() > 0);
    assert!(report["blocking"].as_array().unwrap().len() >= 5);
}

#[test]
fn any_csv_links_with_a_configuration_naming_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("people.toml");
    std::fs::write(
        &config,
        r#"
        [[fields]]
        name = "name"
        columns = ["Họ và tên"]
        kind = "name"
        cap_when_different = "distinct"
        [[fields]]
        name = "born"
        columns = ["Ngày sinh"]
        kind = "date"
        [[fields]]
        name = "mother"
        columns = ["Họ mẹ", "Tên mẹ"]
        kind = "name"
        [[blocking]]
        name = "born"
        keys = ["born:year"]
        [thresholds]
        upper = 8
        lower = 0
        "#,
    )
    .unwrap();
    let mut registry = String::from("Họ và tên,Ngày sinh,Họ mẹ,Tên mẹ\n");
    let given = [
        "An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Lộc",
    ];
    let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"];
    for i in 0..200 {
        registry.push_str(&format!(
            "{} Văn {},{:02}.{:02}.{},{},Thị {}\n",
            family[i % 5],
            given[(i / 5) % 8],
            i % 28 + 1,
            i % 12 + 1,
            1980 + i % 30,
            family[(i + 2) % 5],
            given[(i + 3) % 8]
        ));
    }
    registry.push_str("Tạ Quang Khiêm,04.02.1991,Đỗ,Thị Xuân\n");
    std::fs::write(dir.path().join("registry.csv"), registry).unwrap();
    std::fs::write(
        dir.path().join("new.csv"),
        "Ngày sinh,Họ và tên,Tên mẹ,Họ mẹ\n02/04/1991,TA QUANG KHIEM,Thị Xuân,Đỗ\n04.02.1991,Tạ Quang Minh,Thị Xuân,Đỗ\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let p = |f: &str| dir.path().join(f).to_str().unwrap().to_string();
    ok(&sohoa(&[
        "dedup",
        "--input",
        &p("new.csv"),
        "--existing",
        &p("registry.csv"),
        "--config",
        &p("people.toml"),
        "--out",
        out.to_str().unwrap(),
    ]));
    let (_, rows) = read_csv(&out.join("matches.csv"));
    let dup: Vec<_> = rows.iter().filter(|r| r[4] == "duplicate").collect();
    assert_eq!(dup.len(), 1, "{rows:?}");
    assert_eq!(
        (dup[0][0].as_str(), dup[0][1].as_str(), dup[0][2].as_str()),
        ("existing", "1", "201")
    );
    assert!(dup[0][5].contains("name folded"), "{}", dup[0][5]);
    assert!(dup[0][5].contains("born swapped"), "{}", dup[0][5]);
    // The brother born the same day (another given name) is no duplicate.
    assert!(
        !rows.iter().any(|r| r[1] == "2" && r[4] != "distinct"),
        "{rows:?}"
    );
}

/// The registry, and entries built from its rows: a re-keyed copy of row 1, its twin, a new
/// person and that person entered twice.
fn registry_and_entries(dir: &Path) -> (PathBuf, Vec<Entry>) {
    let schemas = Schemas::load(&schemas_dir()).unwrap();
    let ks = schemas.register("KS").unwrap();
    let columns: Vec<(String, String)> = ks
        .columns
        .iter()
        .map(|c| (c.key.clone(), c.header.clone()))
        .collect();
    let set = dir.join("set");
    generate(&set, &GenParams::new(3000, 10, 9), &columns).unwrap();
    let registry = set.join("registry.csv");
    let mut rdr = csv::Reader::from_path(&registry).unwrap();
    let keys: Vec<String> = rdr
        .headers()
        .unwrap()
        .iter()
        .map(|h| {
            h.trim_start_matches('\u{feff}')
                .trim()
                .split('\n')
                .next()
                .unwrap()
                .trim()
                .to_string()
        })
        .collect();
    let first: Vec<String> = rdr
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let row1: BTreeMap<String, String> = keys.iter().cloned().zip(first).collect();
    let entry = |index: u32, fields: &BTreeMap<String, String>| Entry {
        index,
        bbox: Default::default(),
        fields: fields
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.clone(), FieldValue::from_book(v.clone())))
            .collect(),
        findings: vec![],
        status: EntryStatus::Auto,
        confidence: 1.0,
        edition: String::new(),
        ..Entry::from_values(index, Vec::<(String, String)>::new())
    };
    let mut copy = row1.clone();
    copy.insert("nksHoTen".into(), row1["nksHoTen"].to_uppercase());
    copy.insert("so".into(), "999".into());
    let mut twin = row1.clone();
    let name = row1["nksHoTen"].clone();
    let (rest, given) = name.rsplit_once(' ').unwrap();
    let other = if given == "Khiêm" {
        "Tường"
    } else {
        "Khiêm"
    };
    twin.insert("nksHoTen".into(), format!("{rest} {other}"));
    twin.insert("so".into(), "1000".into());
    let mut new = row1.clone();
    for (k, v) in [
        ("nksHoTen", "Tạ Diệu Huyền"),
        ("nksNgaySinh", "17.11.2003"),
        ("nksGioiTinh", "2"),
        ("meHoTen", "Khổng Thị Quế"),
        ("chaHoTen", "Tạ Văn Nhẫn"),
        ("nksSoDinhDanh", ""),
        ("so", "1001"),
    ] {
        new.insert(k.into(), v.into());
    }
    let mut again = new.clone();
    again.insert("nksNgaySinh".into(), "17/11/2003".into());
    again.insert("so".into(), "1002".into());
    let entries = vec![
        entry(1, &copy),
        entry(2, &twin),
        entry(3, &new),
        entry(4, &again),
    ];
    (registry, entries)
}

fn page(book: &str, page: u32, entries: Vec<Entry>) -> PageResult {
    PageResult {
        format: PageResult::FORMAT,
        source: PageSource {
            key: PageKey {
                book_id: book.into(),
                page,
            },
            file: format!("{book}/{page}.png"),
            frame: 0,
            file_bytes: None,
            sha256: String::new(),
        },
        ocr_settings: String::new(),
        extract_settings: String::new(),
        outcome: PageOutcome::Done { entries },
        times: Default::default(),
        ocr: None,
    }
}

#[test]
fn dedup_step_keeps_a_known_duplicate_out_of_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let (registry, entries) = registry_and_entries(dir.path());
    let config = MatchConfig::for_register(&schemas_dir(), "KS").unwrap();
    let step = DedupStep::new(config, std::slice::from_ref(&registry)).unwrap();
    assert_eq!(step.registry_len(), 3000);
    let schemas = Schemas::load(&schemas_dir()).unwrap();
    let meta = BookMeta {
        register: "KS".into(),
        volume: "01/2020".into(),
        year: 2020,
        authority: "UBND xã An Nhơn".into(),
        extra: Default::default(),
    };
    let scan = Scan {
        root: dir.path().to_path_buf(),
        books: vec![Book {
            id: "b1".into(),
            dir: dir.path().join("b1"),
            meta,
            meta_sha256: String::new(),
            pages: vec![],
        }],
        failed: vec![],
    };
    let results = vec![
        page("b1", 1, entries[..2].to_vec()),
        page("b1", 2, entries[2..].to_vec()),
    ];

    // The step alone: findings and statuses.
    let mut checked = results.clone();
    let notes = step.apply(&mut checked, &scan, &schemas).unwrap();
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].message_en.contains("1 duplicates of the registry"),
        "{}",
        notes[0].message_en
    );
    let e = |p: usize, i: usize| &checked[p].entries()[i];
    assert_eq!(e(0, 0).status, EntryStatus::Rejected);
    let f = &e(0, 0).findings[0];
    assert_eq!(f.code, "DEDUP-EXISTING");
    assert!(
        f.message_en.contains("registry.csv row 1"),
        "{}",
        f.message_en
    );
    assert!(
        f.message_vi.contains("Trùng với bản ghi"),
        "{}",
        f.message_vi
    );
    assert!(f.message_en.contains("nksHoTen"), "{}", f.message_en);
    assert_eq!(
        e(0, 1).status,
        EntryStatus::Auto,
        "twin: {:?}",
        e(0, 1).findings
    );
    assert_eq!(e(1, 0).status, EntryStatus::Auto, "{:?}", e(1, 0).findings);
    assert_eq!(e(1, 1).status, EntryStatus::Rejected);
    assert_eq!(e(1, 1).findings[0].code, "DEDUP-BATCH");
    assert!(e(1, 1).findings[0].message_en.contains("b1:2 #3"));

    // Through the outputs: the import file holds the twin and the first copy only.
    let out = dir.path().join("out");
    let steps: Vec<Box<dyn BatchStep>> = vec![Box::new(step)];
    let outputs = Outputs {
        out: &out,
        schemas: &schemas,
        scan: &scan,
        steps: &steps,
    };
    outputs
        .write(&results, &Default::default(), 1, "test")
        .unwrap();
    let (_, rows) = read_csv(&out.join("import/KS.csv"));
    let so: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(so, ["1000", "1001"], "{rows:?}");
    let records = std::fs::read_to_string(out.join("records/KS.csv")).unwrap();
    assert!(records.contains("DEDUP-EXISTING"), "{records}");
    assert!(records.contains("DEDUP-BATCH"), "{records}");
}

#[test]
fn xlsx_input_is_read_from_its_import_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let (registry, entries) = registry_and_entries(dir.path());
    let copy = &entries[0];
    let keys = [
        "nksHoTen",
        "nksNgaySinh",
        "nksGioiTinh",
        "meHoTen",
        "chaHoTen",
    ];
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("Ghi chu").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("DL Import").unwrap();
    for (c, k) in keys.iter().enumerate() {
        // Template headers carry trailing spaces and code suffixes.
        ws.write_string(0, c as u16, format!("{k} ")).unwrap();
        ws.write_string(1, c as u16, copy.value(k).unwrap_or(""))
            .unwrap();
    }
    let input = dir.path().join("new.xlsx");
    wb.save(&input).unwrap();
    let out = dir.path().join("out");
    ok(&sohoa(&[
        "dedup",
        "--input",
        input.to_str().unwrap(),
        "--existing",
        registry.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    let (_, rows) = read_csv(&out.join("matches.csv"));
    assert!(
        rows.iter()
            .any(|r| r[..3] == ["existing", "1", "1"] && r[4] == "duplicate"),
        "{rows:?}"
    );
}

/// A small model over plain columns, with the twins cap where the mother agrees.
const FAMILY_MODEL: &str = r#"
    [[fields]]
    name = "name"
    columns = ["Họ và tên"]
    kind = "name"
    cap_when_different = "distinct"
    cap_when_garbled = "possible"
    cap_only_if_agree = ["mother"]
    [[fields]]
    name = "born"
    columns = ["Ngày sinh"]
    kind = "date"
    [[fields]]
    name = "mother"
    columns = ["Mẹ"]
    kind = "name"
    [[blocking]]
    name = "born"
    keys = ["born:year"]
    [thresholds]
    upper = 8
    lower = 0
"#;

/// 200 unrelated registry rows (header `Họ và tên,Ngày sinh,Mẹ` plus `extra`), each row
/// followed by `extra_cell(i)`.
fn filler_registry(extra: &str, extra_cell: impl Fn(usize) -> String) -> String {
    let given = [
        "An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Lộc",
    ];
    let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"];
    let mut s = format!("Họ và tên,Ngày sinh,Mẹ{extra}\n");
    for i in 0..200 {
        s.push_str(&format!(
            "{} Văn {},{:02}.{:02}.{},{} Thị {}{}\n",
            family[i % 5],
            given[(i / 5) % 8],
            i % 28 + 1,
            i % 12 + 1,
            1980 + i % 30,
            family[(i + 2) % 5],
            given[(i + 3) % 8],
            extra_cell(i)
        ));
    }
    s
}

fn run_family_model(
    dir: &Path,
    registry: &str,
    input: &str,
) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    std::fs::write(dir.join("model.toml"), FAMILY_MODEL).unwrap();
    std::fs::write(dir.join("registry.csv"), registry).unwrap();
    std::fs::write(dir.join("new.csv"), input).unwrap();
    let out = dir.join("out");
    let p = |f: &str| dir.join(f).to_str().unwrap().to_string();
    ok(&sohoa(&[
        "dedup",
        "--input",
        &p("new.csv"),
        "--existing",
        &p("registry.csv"),
        "--config",
        &p("model.toml"),
        "--out",
        out.to_str().unwrap(),
    ]));
    let (_, matches) = read_csv(&out.join("matches.csv"));
    let (headers, clusters) = read_csv(&out.join("clusters.csv"));
    assert_eq!(headers, ["input_row", "status", "person", "match_rows"]);
    (matches, clusters)
}

#[test]
fn a_registry_holding_earlier_links_keeps_one_person_and_never_joins_two_silently() {
    let dir = tempfile::tempdir().unwrap();
    // Rows 201 and 202 are one person linked by an earlier batch (P7); row 203 is another
    // person (P9) whose record reads the same.
    let mut registry = filler_registry(",person_id", |i| format!(",P{}", 100 + i));
    registry.push_str("Tạ Quang Khiêm,04.02.1991,Đỗ Thị Xuân,P7\n");
    registry.push_str("TA QUANG KHIEM,04.02.1991,Đỗ Thị Xuân,P7\n");
    let input = "Họ và tên,Ngày sinh,Mẹ\nTạ Quang Khiêm,04.02.1991,Đỗ Thị Xuân\n";
    let (_, clusters) = run_family_model(dir.path(), &registry, input);
    assert_eq!(clusters[0][1], "duplicate_of_existing", "{clusters:?}");
    assert_eq!(clusters[0][2], "P7", "{clusters:?}");

    registry.push_str("Tạ Quang Khiêm,04.02.1991,Đỗ Thị Xuân,P9\n");
    let (matches, clusters) = run_family_model(dir.path(), &registry, input);
    assert_eq!(clusters[0][1], "conflict", "{clusters:?}");
    assert_eq!(clusters[0][3], "201 202 203", "{clusters:?}");
    assert!(matches.iter().any(|r| r[4] == "conflict"), "{matches:?}");
}

#[test]
fn a_garbled_or_doubtfully_read_given_name_is_no_twin_and_weighs_less() {
    let dir = tempfile::tempdir().unwrap();
    let mut registry = filler_registry(",Họ và tên__conf", |_| ",".into());
    registry.push_str("Tạ Thị Hằng,04.02.1991,Đỗ Thị Xuân,0.95\n");
    registry.push_str("Tạ Thị Mai,04.02.1991,Đỗ Thị Xuân,0.97\n");
    // 1: the given name garbled past any syllable (one edit from Hằng): the same child.
    // 2: a well-formed other name read with confidence 0.3: doubtful, reviewed, never merged
    //    into the twin and its disagreement weighs less.
    // 3: the twin, read surely: another child.
    let input = "Họ và tên,Ngày sinh,Mẹ,Họ và tên__conf\n\
                 Tạ Thị HẰọG,04.02.1991,Đỗ Thị Xuân,\n\
                 Tạ Thị Lâm,04.02.1991,Đỗ Thị Xuân,0.3\n\
                 Tạ Thị Lan,04.02.1991,Đỗ Thị Xuân,0.99\n";
    let (matches, _) = run_family_model(dir.path(), &registry, input);
    let pair = |input: &str, other: &str| {
        matches
            .iter()
            .find(|r| r[0] == "existing" && r[1] == input && r[2] == other)
            .cloned()
            .unwrap_or_else(|| panic!("no pair {input}-{other}: {matches:?}"))
    };
    let garbled = pair("1", "201");
    assert!(garbled[5].contains("name garbled_alike"), "{garbled:?}");
    assert_eq!(garbled[4], "duplicate", "{garbled:?}");
    let twin = pair("1", "202");
    assert_ne!(twin[4], "duplicate", "{twin:?}");
    let doubtful = pair("2", "201");
    assert!(
        doubtful[5].contains("read with confidence 0.30"),
        "{doubtful:?}"
    );
    assert_ne!(doubtful[4], "duplicate", "{doubtful:?}");
    assert!(
        matches
            .iter()
            .filter(|r| r[1] == "3" && r[0] == "existing")
            .all(|r| r[4] == "distinct"),
        "{matches:?}"
    );
}
