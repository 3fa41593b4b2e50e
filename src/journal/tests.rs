use super::*;

fn action(field: &str, kind: ActionKind, value: &str, supersedes: Option<i64>) -> NewAction {
    NewAction {
        target: Target {
            book_id: "ks-1998-01".into(),
            page: 3,
            entry: 2,
            field: field.into(),
        },
        track: kind.track(),
        kind,
        who: "Lan".into(),
        role: "reviewer".into(),
        value_read: "Nguyễn Văn Ang".into(),
        value: value.into(),
        pass: 0,
        reason: String::new(),
        source: "test".into(),
        supersedes,
        ms: None,
    }
}

#[test]
fn actions_are_kept_in_order_and_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = Journal::open(dir.path()).unwrap();
    let a = j
        .record(&action(
            "nksHoTen",
            ActionKind::Correct,
            "Nguyễn Văn An",
            None,
        ))
        .unwrap();
    let b = j
        .record(&action(
            "nksHoTen",
            ActionKind::Confirm,
            "Nguyễn Văn An",
            Some(a.id),
        ))
        .unwrap();
    assert!(b.id > a.id);
    drop(j);
    let j = Journal::open(dir.path()).unwrap();
    let all = j.actions().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].action.value, "Nguyễn Văn An");
    assert_eq!(all[1].action.kind, ActionKind::Confirm);
    assert!(all[0].at.ends_with('Z'));
    assert_eq!(j.history(&all[0].action.target).unwrap().len(), 2);
}

#[test]
fn an_author_who_did_not_see_the_latest_action_gets_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = Journal::open(dir.path()).unwrap();
    let mut second = Journal::open(dir.path()).unwrap();
    // Both reviewers opened the field when it had no action.
    first
        .record(&action(
            "nksHoTen",
            ActionKind::Correct,
            "Nguyễn Văn An",
            None,
        ))
        .unwrap();
    let err = second
        .record(&action(
            "nksHoTen",
            ActionKind::Correct,
            "Nguyễn Văn Anh",
            None,
        ))
        .unwrap_err();
    match &err {
        JournalError::Conflict { current, .. } => {
            assert_eq!(current.action.value, "Nguyễn Văn An")
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("someone else"), "{err}");
    assert_eq!(second.actions().unwrap().len(), 1);
    // Another track of the same field is another history.
    let mut keyed = action("nksHoTen", ActionKind::Keyed, "Nguyễn Văn An", None);
    keyed.pass = 1;
    second.record(&keyed).unwrap();
}

#[test]
fn a_batch_is_recorded_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = Journal::open(dir.path()).unwrap();
    let ok = action("nksHoTen", ActionKind::Confirm, "Nguyễn Văn Ang", None);
    let stale = action("meHoTen", ActionKind::Correct, "Lê Thị Hoa", Some(99));
    assert!(j.record_all(&[ok, stale]).is_err());
    assert!(j.actions().unwrap().is_empty());
}

#[test]
fn malformed_actions_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = Journal::open(dir.path()).unwrap();
    let mut nobody = action("nksHoTen", ActionKind::Confirm, "x", None);
    nobody.who = " ".into();
    assert!(j
        .record(&nobody)
        .unwrap_err()
        .to_string()
        .contains("--reviewer"));
    let no_field = action("", ActionKind::Correct, "x", None);
    assert!(j
        .record(&no_field)
        .unwrap_err()
        .to_string()
        .contains("needs a field"));
    let no_reason = action("", ActionKind::RejectEntry, "", None);
    assert!(j
        .record(&no_reason)
        .unwrap_err()
        .to_string()
        .contains("reason"));
    assert!(j.actions().unwrap().is_empty());
}

#[test]
fn the_journal_refuses_changes_to_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = Journal::open(dir.path()).unwrap();
    j.record(&action("nksHoTen", ActionKind::Confirm, "x", None))
        .unwrap();
    let conn = Connection::open(dir.path().join(FILE)).unwrap();
    assert!(conn.execute("UPDATE actions SET value = 'y'", []).is_err());
    assert!(conn.execute("DELETE FROM actions", []).is_err());
}
