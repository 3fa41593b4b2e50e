use super::*;
use crate::page::{BBox, FieldValue};
use crate::schema::Schemas;
use std::collections::BTreeMap;

fn schemas() -> Schemas {
    Schemas::load(&Schemas::locate(None)).expect("the shipped schemas load")
}

fn field(v: &str, conf: f32) -> FieldValue {
    FieldValue {
        raw: v.into(),
        value: v.into(),
        confidence: conf,
        bbox: Some(BBox::new(0, 0, 10, 10)),
        source: ValueSource::Page,
        other_reading: None,
    }
}

/// A complete, consistent entry: every required field, both parents.
fn good_entry() -> Entry {
    let mut fields = BTreeMap::new();
    for (k, v) in [
        ("so", "12"),
        ("quyenSo", "01/2016"),
        ("ngayDangKy", "15.03.2016"),
        ("loaiDangKy", "1"),
        ("noiDangKy", "UBND xã Tân Phong"),
        ("nksHoTen", "Nguyễn Thị Hằng"),
        ("nksGioiTinh", "2"),
        ("nksNgaySinh", "02.03.2016"),
        (
            "nksNgaySinhBangChu",
            "Ngày mồng hai tháng ba năm hai nghìn không trăm mười sáu",
        ),
        ("nksNoiSinh", "Trạm y tế xã Tân Phong"),
        ("nksDanToc", "Kinh"),
        ("nksQuocTich", "Việt Nam"),
        ("nksLoaiKhaiSinh", "1"),
        ("nksSoDinhDanh", "034316001234"),
        ("meHoTen", "Trần Thị Lụa"),
        ("meNgaySinh", "1990"),
        ("chaHoTen", "Nguyễn Văn Bình"),
        ("chaNgaySinh", "1988"),
    ] {
        fields.insert(k.to_string(), field(v, 0.97));
    }
    Entry {
        index: 1,
        bbox: BBox::default(),
        fields,
        findings: vec![],
        status: EntryStatus::Review,
        confidence: 0.0,
        edition: String::new(),
        printed: Vec::new(),
        unknown_labels: Vec::new(),
    }
}

fn run(entry: &mut Entry) -> Vec<String> {
    let s = schemas();
    let params = ValidateParams {
        min_confidence: 0.9,
        today: PartialDate::full(24, 11, 2026),
    };
    validate_entry(entry, s.register("KS").unwrap(), &s.codes, &[], &params);
    entry.findings.iter().map(|f| f.short()).collect()
}

#[test]
fn a_complete_consistent_entry_is_auto() {
    let mut e = good_entry();
    assert_eq!(run(&mut e), Vec::<String>::new());
    assert_eq!(e.status, EntryStatus::Auto);
    assert!((e.confidence - 0.97).abs() < 1e-6);
}

#[test]
fn a_missing_required_field_sends_to_review() {
    let mut e = good_entry();
    e.fields.remove("nksGioiTinh");
    assert_eq!(run(&mut e), vec!["MISSING-REQUIRED(nksGioiTinh)"]);
    assert_eq!(e.status, EntryStatus::Review);
}

#[test]
fn an_unreadable_or_doubtful_value_sends_to_review() {
    let mut e = good_entry();
    e.fields.insert(
        "nksDanToc".into(),
        FieldValue {
            value: String::new(),
            ..field("Kxyz", 0.0)
        },
    );
    e.fields.get_mut("nksNoiSinh").unwrap().confidence = 0.5;
    let f = run(&mut e);
    assert!(f.contains(&"UNREADABLE(nksDanToc)".to_string()), "{f:?}");
    assert!(
        f.contains(&"LOW-CONFIDENCE(nksNoiSinh)".to_string()),
        "{f:?}"
    );
    assert_eq!(e.status, EntryStatus::Review);
}

#[test]
fn birth_after_registration_and_parent_born_after_child_reject() {
    let mut e = good_entry();
    e.fields
        .insert("nksNgaySinh".into(), field("20.03.2016", 0.97));
    e.fields
        .insert("nksNgaySinhBangChu".into(), field("", 0.97));
    e.fields.insert("nksSoDinhDanh".into(), field("", 0.97));
    e.fields.insert("meNgaySinh".into(), field("2017", 0.97));
    let f = run(&mut e);
    assert!(
        f.contains(&"KS-BIRTH-AFTER-REG(nksNgaySinh)".to_string()),
        "{f:?}"
    );
    assert!(
        f.contains(&"KS-MOTHER-BORN-AFTER-CHILD(meNgaySinh)".to_string()),
        "{f:?}"
    );
    assert_eq!(e.status, EntryStatus::Rejected);
}

#[test]
fn id_number_must_agree_with_sex_and_birth_year() {
    // 0 = male born 1900s: wrong for a girl born 2016.
    let mut e = good_entry();
    e.fields
        .insert("nksSoDinhDanh".into(), field("034016001234", 0.97));
    assert!(run(&mut e).contains(&"KS-ID-CHILD(nksSoDinhDanh)".to_string()));
    // Right century and sex but another year.
    let mut e = good_entry();
    e.fields
        .insert("nksSoDinhDanh".into(), field("034315001234", 0.97));
    assert!(run(&mut e).contains(&"KS-ID-CHILD(nksSoDinhDanh)".to_string()));
    // 11 digits.
    let mut e = good_entry();
    e.fields
        .insert("nksSoDinhDanh".into(), field("03431600123", 0.97));
    assert!(run(&mut e).contains(&"KS-ID-CHILD(nksSoDinhDanh)".to_string()));
}

#[test]
fn words_disagreeing_with_figures_and_odd_ages_go_to_review() {
    let mut e = good_entry();
    e.fields
        .insert("nksNgaySinh".into(), field("03.03.2016", 0.97));
    e.fields.insert("meNgaySinh".into(), field("1940", 0.97));
    let f = run(&mut e);
    assert!(
        f.contains(&"KS-DATE-WORDS(nksNgaySinhBangChu)".to_string()),
        "{f:?}"
    );
    assert!(
        f.contains(&"KS-MOTHER-AGE(meNgaySinh)".to_string()),
        "{f:?}"
    );
    assert_eq!(e.status, EntryStatus::Review);
}

#[test]
fn on_time_marked_but_late_and_future_registration() {
    let mut e = good_entry();
    e.fields
        .insert("nksNgaySinh".into(), field("02.03.2015", 0.97));
    e.fields
        .insert("nksNgaySinhBangChu".into(), field("", 0.97));
    e.fields.insert("nksSoDinhDanh".into(), field("", 0.97));
    assert!(run(&mut e).contains(&"KS-LATE-ON-TIME(loaiDangKy)".to_string()));
    let mut e = good_entry();
    e.fields
        .insert("ngayDangKy".into(), field("15.03.2027", 0.97));
    assert!(run(&mut e).contains(&"KS-REG-IN-FUTURE(ngayDangKy)".to_string()));
}

#[test]
fn parent_fields_filled_against_the_birth_case() {
    let mut e = good_entry();
    e.fields.insert("nksLoaiKhaiSinh".into(), field("3", 0.97));
    assert!(run(&mut e).contains(&"KS-PARENT-FIELDS-CASE(chaHoTen)".to_string()));
}

#[test]
fn book_values_are_not_doubted() {
    let mut e = good_entry();
    e.fields.insert(
        "noiDangKy".into(),
        FieldValue::from_book("UBND xã Tân Phong"),
    );
    e.fields.get_mut("noiDangKy").unwrap().confidence = 0.0;
    assert!(run(&mut e).is_empty());
}

#[test]
fn requester_and_parent_read_two_ways_go_to_review() {
    let mut e = good_entry();
    e.fields
        .insert("nycHoTen".into(), field("Nguyễn Văn Binh", 0.97));
    assert_eq!(
        run(&mut e),
        vec!["KS-REQUESTER-FATHER-MARKS(nycHoTen)".to_string()]
    );
    assert_eq!(e.status, EntryStatus::Review);
    // The same spelling, or another person, says nothing.
    for name in ["Nguyễn Văn Bình", "Nguyễn Văn Bính Minh", "Trần Văn Hải"] {
        let mut e = good_entry();
        e.fields.insert("nycHoTen".into(), field(name, 0.97));
        assert!(run(&mut e).is_empty(), "{name}");
        assert_eq!(e.status, EntryStatus::Auto);
    }
}

#[test]
fn the_engines_other_reading_is_taken_when_only_it_keeps_the_rules() {
    let mut e = good_entry();
    e.fields.insert(
        "chaNgaySinh".into(),
        FieldValue {
            other_reading: Some("1988".into()),
            ..field("2018", 0.97)
        },
    );
    assert_eq!(run(&mut e), vec!["OTHER-READING(chaNgaySinh)".to_string()]);
    assert_eq!(e.fields["chaNgaySinh"].value, "1988");
    assert_eq!(
        e.fields["chaNgaySinh"].other_reading.as_deref(),
        Some("2018")
    );
    assert_eq!(e.status, EntryStatus::Review);
    // An other reading that breaks the rule too changes nothing.
    let mut e = good_entry();
    e.fields.insert(
        "chaNgaySinh".into(),
        FieldValue {
            other_reading: Some("2019".into()),
            ..field("2018", 0.97)
        },
    );
    assert!(run(&mut e).contains(&"KS-FATHER-BORN-AFTER-CHILD(chaNgaySinh)".to_string()));
    assert_eq!(e.fields["chaNgaySinh"].value, "2018");
}
