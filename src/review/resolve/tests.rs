use super::*;
use crate::journal::{NewAction, Target};
use crate::page::{FieldValue, PageOutcome, PageSource, StageTimes};
use crate::schema::Schemas;
use crate::validate::ValidateParams;

fn schemas() -> Schemas {
    Schemas::load(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas")).unwrap()
}

/// One page with one entry as validation leaves it: a doubtful child's name.
fn results(schemas: &Schemas, name: &str, name_conf: f32) -> Vec<PageResult> {
    let mut entry = Entry::from_values(
        1,
        [
            ("so", "12"),
            ("quyenSo", "01/1998"),
            ("ngayDangKy", "05.03.1998"),
            ("loaiDangKy", "1"),
            ("noiDangKy", "UBND xã An Nhơn"),
            ("nksGioiTinh", "1"),
            ("nksLoaiKhaiSinh", "1"),
            ("nksNgaySinh", "01.03.1998"),
            ("nksNoiSinh", "Trạm y tế xã An Nhơn"),
            ("meHoTen", "Lê Thị Hoa"),
        ],
    );
    entry.fields.insert(
        "nksHoTen".into(),
        FieldValue {
            raw: name.into(),
            value: name.into(),
            confidence: name_conf,
            bbox: None,
            source: ValueSource::Page,
            other_reading: None,
        },
    );
    entry.findings.clear();
    let register = schemas.register("KS").unwrap();
    crate::validate::validate_entry(&mut entry, register, &schemas.codes, &[], &params());
    vec![PageResult {
        format: PageResult::FORMAT,
        source: PageSource {
            key: PageKey {
                book_id: "b".into(),
                page: 1,
            },
            file: "b/p1.png".into(),
            file_bytes: None,
            frame: 0,
            sha256: "x".into(),
        },
        ocr_settings: String::new(),
        extract_settings: String::new(),
        outcome: PageOutcome::Done {
            entries: vec![entry],
        },
        times: StageTimes::default(),
        ocr: None,
    }]
}

fn params() -> ValidateParams {
    ValidateParams {
        min_confidence: 0.9,
        today: crate::normalize::PartialDate::full(3, 12, 2026),
    }
}

fn act(id: i64, field: &str, kind: ActionKind, read: &str, value: &str) -> Action {
    act_pass(id, field, kind, read, value, 0, "Lan")
}

fn act_pass(
    id: i64,
    field: &str,
    kind: ActionKind,
    read: &str,
    value: &str,
    pass: u8,
    who: &str,
) -> Action {
    Action {
        id,
        at: "2026-12-03T10:00:00Z".into(),
        action: NewAction {
            target: Target {
                book_id: "b".into(),
                page: 1,
                entry: 1,
                field: field.into(),
            },
            track: kind.track(),
            kind,
            who: who.into(),
            role: "reviewer".into(),
            value_read: read.into(),
            value: value.into(),
            pass,
            reason: "sổ ghi như vậy".into(),
            source: "test".into(),
            supersedes: None,
            ms: Some(4000),
        },
    }
}

fn resolve(results: &mut [PageResult], actions: &[Action]) -> PersonLayer {
    let s = schemas();
    let printed = |_: &str, _: &str| Vec::new();
    let register_of = |_: &str| Some("KS".to_string());
    let p = params();
    let r = Revalidate {
        schemas: &s,
        params: &p,
        printed: &printed,
        register_of: &register_of,
    };
    let decisions = Decisions::from_actions(actions);
    let layer = apply(results, &decisions, &r);
    settle(results, &decisions, &layer);
    layer
}

fn entry(results: &[PageResult]) -> &Entry {
    &results[0].entries()[0]
}

#[test]
fn a_corrected_doubtful_field_makes_the_entry_reviewed_and_says_who() {
    let s = schemas();
    let mut r = results(&s, "Nguyễn Văn Ang", 0.5);
    assert_eq!(entry(&r).status, EntryStatus::Review);
    let layer = resolve(
        &mut r,
        &[act(
            1,
            "nksHoTen",
            ActionKind::Correct,
            "Nguyễn Văn Ang",
            "Nguyễn Văn An",
        )],
    );
    let e = entry(&r);
    assert_eq!(e.status, EntryStatus::Reviewed, "{:?}", e.findings);
    assert_eq!(e.value("nksHoTen"), Some("Nguyễn Văn An"));
    assert_eq!(e.fields["nksHoTen"].source, ValueSource::Person);
    let by = &layer.set_by[&(r[0].source.key.clone(), 1)]["nksHoTen"];
    assert_eq!((by.who.as_str(), by.how.as_str()), ("Lan", "correct"));
}

#[test]
fn an_undo_takes_back_the_latest_decision() {
    let s = schemas();
    let mut r = results(&s, "Nguyễn Văn Ang", 0.5);
    let mut undo = act(2, "nksHoTen", ActionKind::Undo, "Nguyễn Văn Ang", "");
    undo.action.track = Track::Review;
    undo.action.supersedes = Some(1);
    resolve(
        &mut r,
        &[
            act(
                1,
                "nksHoTen",
                ActionKind::Confirm,
                "Nguyễn Văn Ang",
                "Nguyễn Văn Ang",
            ),
            undo,
        ],
    );
    assert_eq!(entry(&r).status, EntryStatus::Review);
}

#[test]
fn a_decision_made_on_another_reading_is_a_conflict_not_applied() {
    let s = schemas();
    // The page was read again: it now reads "Nguyễn Văn Anh".
    let mut r = results(&s, "Nguyễn Văn Anh", 0.5);
    let layer = resolve(
        &mut r,
        &[act(
            1,
            "nksHoTen",
            ActionKind::Correct,
            "Nguyễn Văn Ang",
            "Nguyễn Văn An",
        )],
    );
    let e = entry(&r);
    assert_eq!(e.value("nksHoTen"), Some("Nguyễn Văn Anh"));
    assert_eq!(e.status, EntryStatus::Review);
    assert!(e.findings.iter().any(|f| f.code == CODE_CONFLICT));
    assert_eq!(layer.conflicts.len(), 1);
    assert_eq!(layer.conflicts[0].value_read_now, "Nguyễn Văn Anh");
}

#[test]
fn a_rejected_entry_is_settled_with_its_reason_and_kept_out() {
    let s = schemas();
    let mut r = results(&s, "Nguyễn Văn Ang", 0.5);
    resolve(&mut r, &[act(1, "", ActionKind::RejectEntry, "", "")]);
    let e = entry(&r);
    assert_eq!(e.status, EntryStatus::Rejected);
    assert!(is_settled(e));
    assert!(e
        .findings
        .iter()
        .any(|f| f.code == CODE_PERSON_REJECTED && f.message_en.contains("sổ ghi như vậy")));
}

#[test]
fn double_keying_agrees_disagrees_and_the_reading_is_the_third_vote() {
    let s = schemas();
    let keyed = |id, pass, who: &str, v: &str| {
        act_pass(
            id,
            "nksHoTen",
            ActionKind::Keyed,
            "Nguyễn Văn Ang",
            v,
            pass,
            who,
        )
    };
    // Two keyers agree.
    let mut r = results(&s, "Nguyễn Văn Ang", 0.3);
    resolve(
        &mut r,
        &[
            keyed(1, 1, "A", "Nguyễn Văn An"),
            keyed(2, 2, "B", "Nguyễn Văn An"),
        ],
    );
    assert_eq!(entry(&r).value("nksHoTen"), Some("Nguyễn Văn An"));
    assert_eq!(entry(&r).status, EntryStatus::Reviewed);
    // They disagree; the reading sides with neither: a third person must decide.
    let mut r = results(&s, "Nguyễn Văn Ang", 0.3);
    let layer = resolve(
        &mut r,
        &[
            keyed(1, 1, "A", "Nguyễn Văn An"),
            keyed(2, 2, "B", "Nguyễn Văn Án"),
        ],
    );
    assert_eq!(entry(&r).status, EntryStatus::Review);
    assert!(entry(&r)
        .findings
        .iter()
        .any(|f| f.code == CODE_KEYING_DISAGREE && f.message_en.contains("Nguyễn Văn Án")));
    assert_eq!(
        (layer.keying.disagreements, layer.keying.unresolved),
        (1, 1)
    );
    assert_eq!(layer.keying.fields_per_minute, Some(15.0));
    // The third person settles it.
    let mut r = results(&s, "Nguyễn Văn Ang", 0.3);
    let mut arbiter = act(
        3,
        "nksHoTen",
        ActionKind::Correct,
        "Nguyễn Văn Ang",
        "Nguyễn Văn An",
    );
    arbiter.action.who = "C".into();
    resolve(
        &mut r,
        &[
            keyed(1, 1, "A", "Nguyễn Văn An"),
            keyed(2, 2, "B", "Nguyễn Văn Án"),
            arbiter,
        ],
    );
    assert_eq!(entry(&r).value("nksHoTen"), Some("Nguyễn Văn An"));
    assert_eq!(entry(&r).status, EntryStatus::Reviewed);
    // One keyer and the reading agree against the other: two votes of three.
    let mut r = results(&s, "Nguyễn Văn Ang", 0.3);
    resolve(
        &mut r,
        &[
            keyed(1, 1, "A", "Nguyễn Văn Ang"),
            keyed(2, 2, "B", "Nguyễn Văn Án"),
        ],
    );
    assert_eq!(entry(&r).value("nksHoTen"), Some("Nguyễn Văn Ang"));
}

#[test]
fn a_corrected_value_that_breaks_a_rule_keeps_the_entry_rejected_until_acknowledged() {
    let s = schemas();
    let mut r = results(&s, "Nguyễn Văn Ang", 0.5);
    // A birth date after the registration date.
    let late = act(
        1,
        "nksNgaySinh",
        ActionKind::Correct,
        "01.03.1998",
        "01.04.1998",
    );
    resolve(&mut r, &[late.clone()]);
    let e = entry(&r);
    let error = e
        .findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .expect("a rule fails")
        .clone();
    assert_eq!(e.status, EntryStatus::Rejected);
    let mut r = results(&s, "Nguyễn Văn Ang", 0.5);
    let field = error.field.clone().unwrap_or_default();
    let mut ack = act(
        2,
        &finding_target(&field, &error.code),
        ActionKind::Acknowledge,
        "",
        &error.code,
    );
    ack.action.target.field = finding_target(&field, &error.code);
    let name = act(
        3,
        "nksHoTen",
        ActionKind::Confirm,
        "Nguyễn Văn Ang",
        "Nguyễn Văn Ang",
    );
    resolve(&mut r, &[late, ack, name]);
    assert_eq!(
        entry(&r).status,
        EntryStatus::Reviewed,
        "{:?}",
        entry(&r).findings
    );
}
