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

/// The rules of the shipped marriage register, on an entry of husband and wife.
fn run_kh(pairs: &[(&str, &str)]) -> Vec<String> {
    let s = schemas();
    let params = ValidateParams {
        min_confidence: 0.9,
        today: PartialDate::full(24, 11, 2026),
    };
    let mut e = Entry::from_values(1, pairs.iter().copied());
    validate_entry(&mut e, s.register("KH").unwrap(), &s.codes, &[], &params);
    e.findings.iter().map(|f| f.short()).collect()
}

const KH_BASE: [(&str, &str); 8] = [
    ("so", "3"),
    ("quyenSo", "01/2016"),
    ("loaiDangKy", "1"),
    ("noiDangKy", "UBND xã Tân Phong"),
    ("chongHoTen", "Nguyễn Văn Bình"),
    ("voHoTen", "Trần Thị Lụa"),
    ("chongNgaySinh", "1990"),
    ("voNgaySinh", "1992"),
];

fn kh(extra: &[(&'static str, &'static str)]) -> Vec<String> {
    let mut pairs: Vec<(&str, &str)> = KH_BASE
        .iter()
        .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
        .copied()
        .collect();
    pairs.extend_from_slice(extra);
    run_kh(&pairs)
}

#[test]
fn marriage_age_follows_the_law_of_the_registration_date() {
    assert!(kh(&[("ngayDangKy", "15.03.2016")]).is_empty());
    // 2016: full years. The wife turns 18 on 16.03.2016, a day after the registration.
    assert_eq!(
        kh(&[("ngayDangKy", "15.03.2016"), ("voNgaySinh", "16.03.1998")]),
        vec!["KH-WIFE-UNDER-AGE(voNgaySinh)"]
    );
    assert!(kh(&[("ngayDangKy", "16.03.2016"), ("voNgaySinh", "16.03.1998")]).is_empty());
    // 2010: having entered the 18th year (17 completed) was enough.
    assert!(kh(&[("ngayDangKy", "15.03.2010"), ("voNgaySinh", "16.03.1992")]).is_empty());
    assert_eq!(
        kh(&[("ngayDangKy", "15.03.2010"), ("voNgaySinh", "16.03.1993")]),
        vec!["KH-WIFE-UNDER-AGE(voNgaySinh)"]
    );
    // Before the 1959 law took effect (and in the South before 1975) nothing is said.
    assert!(kh(&[
        ("ngayDangKy", "15.03.1955"),
        ("chongNgaySinh", "1940"),
        ("voNgaySinh", "1941"),
    ])
    .is_empty());
    // A de-facto marriage established before its registration: the age then counts.
    assert_eq!(
        kh(&[
            ("ngayDangKy", "15.03.2016"),
            ("ngayXacLapQuanHeHonNhan", "10.02.1985"),
            ("chongNgaySinh", "1970"),
            ("voNgaySinh", "1966"),
        ]),
        vec!["KH-HUSBAND-UNDER-AGE(chongNgaySinh)"]
    );
}

#[test]
fn partial_dates_fail_the_age_only_when_every_day_they_stand_for_does() {
    // Born "1998", registered 15.03.2016: she may have turned 18 on 1 January.
    assert!(kh(&[("ngayDangKy", "15.03.2016"), ("voNgaySinh", "1998")]).is_empty());
    // Born "1999": under 18 whatever the day.
    assert_eq!(
        kh(&[("ngayDangKy", "15.03.2016"), ("voNgaySinh", "1999")]),
        vec!["KH-WIFE-UNDER-AGE(voNgaySinh)"]
    );
    // Born in March 1998: 18 at the earliest on 01.03.2016, before the registration.
    assert!(kh(&[("ngayDangKy", "15.03.2016"), ("voNgaySinh", "03.1998")]).is_empty());
    assert_eq!(
        kh(&[("ngayDangKy", "15.03.2016"), ("voNgaySinh", "04.1998")]),
        vec!["KH-WIFE-UNDER-AGE(voNgaySinh)"]
    );
    // A registration known by its year spanning two laws: the milder one counts (2014: 17
    // completed years were enough; 18 full from 2015).
    assert!(kh(&[("ngayDangKy", "2014"), ("voNgaySinh", "1997")]).is_empty());
}

#[test]
fn documents_need_their_type_and_a_number_that_fits_it() {
    let base = [("ngayDangKy", "15.03.2016")];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut all = base.to_vec();
        all.extend_from_slice(extra);
        kh(&all)
    };
    assert_eq!(
        with(&[("voLoaiGiayToTuyThan", "8")]),
        vec!["KH-DOC-OTHER-WIFE(voGiayToKhac)"]
    );
    assert_eq!(
        with(&[("voSoGiayToTuyThan", "012345678")]),
        vec!["KH-DOC-TYPE-WIFE(voLoaiGiayToTuyThan)"]
    );
    assert!(with(&[
        ("voSoGiayToTuyThan", "012345678"),
        ("voLoaiGiayToTuyThan", "1")
    ])
    .is_empty());
    // A CMND that lost its leading zero; a CCCD of another birth year.
    assert_eq!(
        with(&[
            ("voSoGiayToTuyThan", "12345678"),
            ("voLoaiGiayToTuyThan", "1")
        ]),
        vec!["KH-DOC-NUMBER-WIFE(voSoGiayToTuyThan)"]
    );
    assert_eq!(
        with(&[
            ("voSoGiayToTuyThan", "034193001234"),
            ("voLoaiGiayToTuyThan", "4")
        ]),
        vec!["KH-DOC-NUMBER-WIFE(voSoGiayToTuyThan)"]
    );
    assert!(with(&[
        ("voSoGiayToTuyThan", "034192001234"),
        ("voLoaiGiayToTuyThan", "4")
    ])
    .is_empty());
    // A passport is not checked.
    assert!(with(&[
        ("voSoGiayToTuyThan", "B1234567"),
        ("voLoaiGiayToTuyThan", "2")
    ])
    .is_empty());
}

#[test]
fn foreign_registration_fields_only_on_entries_recorded_from_abroad() {
    let base = [("ngayDangKy", "15.03.2016"), ("soDangKyNuocNgoai", "A-123")];
    assert_eq!(kh(&base), vec!["KH-FOREIGN-FIELDS(soDangKyNuocNgoai)"]);
    let mut recorded = base.to_vec();
    recorded.push(("loaiDangKy", "3"));
    assert!(kh(&recorded).is_empty());
}
