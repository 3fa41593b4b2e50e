//! `sohoa review` over HTTP: the review server started as the binary on a small real run (two
//! synthetic pages read once per test binary, copied per test), driven through its JSON API
//! with a plain HTTP client. What a person does must be durable, visible and never silently
//! lost: killed servers, two reviewers at once, malformed requests, blind double keying, the
//! Excel queue round trip; and nothing from a page or a request may reach the browser as
//! markup or the file system as a path.

#[path = "support/review.rs"]
mod support;

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::*;

const MARKUP: &str = "<img src=x onerror=alert(1)>";

fn target_of(item: &Value) -> (String, u32, u32, String) {
    (
        item["book_id"].as_str().unwrap().to_string(),
        item["page"].as_u64().unwrap() as u32,
        item["entry"].as_u64().unwrap() as u32,
        item["field"].as_str().unwrap_or("").to_string(),
    )
}

fn decision(item: &Value, action: &str, value: &str, supersedes: &Value) -> Value {
    let (book_id, page, entry, field) = target_of(item);
    json!({
        "book_id": book_id, "page": page, "entry": entry, "field": field,
        "action": action, "value": value, "supersedes": supersedes,
    })
}

#[test]
fn the_server_listens_on_loopback_by_default_and_refuses_other_hosts_and_sites() {
    let run = copy_run();
    let mut cmd = sohoa();
    cmd.arg("review").arg(&run.out).args(["--reviewer", "Lan"]);
    let server = Server::spawn(cmd);
    assert!(server.addr.ip().is_loopback(), "{}", server.addr);
    assert!(
        (8723..8743).contains(&server.addr.port()),
        "{}",
        server.addr
    );
    assert_eq!(server.get("/api/summary").status, 200);
    // A web page elsewhere cannot reach it through a name of its own that resolves here…
    let r = request(
        server.addr,
        "GET",
        "/api/summary",
        None,
        &[("Host", "evil.example:8723")],
    );
    assert_eq!(r.status, 403, "{}", r.text());
    // …nor write through the browser of the person reviewing.
    let item = &queue(&server, "mode=review")[0];
    let body = decision(item, "confirm", "", &Value::Null).to_string();
    let r = request(
        server.addr,
        "POST",
        "/api/decisions",
        Some(body.as_bytes()),
        &[
            ("Content-Type", "application/json"),
            ("Origin", "http://evil.example"),
        ],
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(journal_actions(&run.out).is_empty());
}

/// Sets a field of a stored page result (as a run would have read it).
fn set_stored_value(out: &Path, book: &str, page: u32, entry: u32, field: &str, value: &str) {
    support::edit_stored_entry(out, book, page, entry, |e| {
        let f = e.fields.get_mut(field).unwrap();
        f.value = value.into();
        f.raw = value.into();
    });
}

#[test]
fn values_holding_markup_reach_the_page_as_text_only() {
    let run = copy_run();
    // A value read (or typed) as markup, in a field the queue shows.
    let server = Server::start(&run.out, &["--reviewer", "Lan"]);
    let item = queue(&server, "mode=review")[0].clone();
    drop(server);
    let (book, page, entry, field) = target_of(&item);
    set_stored_value(&run.out, &book, page, entry, &field, MARKUP);
    let server = Server::start(&run.out, &["--reviewer", "Lan"]);
    for path in [
        "/api/queue?mode=review".to_string(),
        format!("/api/entries/{book}/{page}/{entry}"),
    ] {
        let r = server.get(&path);
        assert_eq!(r.status, 200, "{}", r.text());
        let raw = r.text();
        assert!(!raw.contains('<') && !raw.contains('>'), "{path}: {raw}");
        assert!(
            raw.contains("\\u003cimg src=x onerror=alert(1)\\u003e"),
            "{raw}"
        );
        assert!(
            r.json().to_string().contains(MARKUP),
            "the value itself is kept"
        );
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
    // The page holds no data and allows no script but its own; the script puts values in as
    // text, never as markup.
    let page = server.get("/");
    assert_eq!(page.status, 200);
    let policy = page.header("content-security-policy").unwrap();
    assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"));
    assert!(!page.text().contains("<script>"), "no inline script");
    let script = server.get("/page.js").text();
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!script.contains(sink), "page.js uses {sink}");
    }
    // A correction is checked as typed, whatever it holds: markup is no name.
    let names = queue(&server, "mode=review&group=names");
    let r = server.post(
        "/api/decisions",
        &decision(&names[0], "correct", MARKUP, &names[0]["latest"]),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(!r.text().contains('<'));
}

/// A copy of the scans beside the run, with the run pointed at it.
fn own_scans(run: &RunCopy) -> std::path::PathBuf {
    let scans = run.dir.path().join("scans");
    copy_dir(&base_run().scans, &scans);
    let manifest = run.out.join("run.json");
    let mut m: Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    m["scans"] = json!(scans);
    std::fs::write(&manifest, m.to_string()).unwrap();
    scans
}

#[test]
fn a_page_image_outside_the_scans_folder_is_refused() {
    let run = copy_run();
    let scans = own_scans(&run);
    let book_dir = std::fs::read_dir(&scans)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    let book = book_dir.file_name().unwrap().to_string_lossy().into_owned();
    let mut pages: Vec<_> = std::fs::read_dir(&book_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "toml"))
        .collect();
    pages.sort();
    // Page 1 becomes a link to the same image kept outside the scans folder.
    let outside = run.dir.path().join("elsewhere.png");
    std::fs::rename(&pages[0], &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &pages[0]).unwrap();
    let server = Server::start(&run.out, &["--reviewer", "Lan"]);
    let r = server.get(&format!("/api/pages/{book}/1/image"));
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(
        r.json()["message_en"]
            .as_str()
            .unwrap()
            .contains("outside the scans folder"),
        "{}",
        r.text()
    );
    let r = server.get(&format!("/api/pages/{book}/1/crop?x=0&y=0&w=50&h=50"));
    assert_eq!(r.status, 403, "{}", r.text());
    // The page inside is served, as a JPEG.
    let r = server.get(&format!("/api/pages/{book}/2/image?w=400"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("image/jpeg"));
    assert_eq!(&r.body[..2], &[0xFF, 0xD8]);
    // Nothing from the address is a path: only the run's own pages are found.
    for path in [
        "/api/pages/..%2F..%2F..%2Fetc/1/image".to_string(),
        "/api/pages/../../etc/passwd/1/image".to_string(),
        format!("/api/pages/{book}/99/image"),
        format!("/api/pages/{book}/-1/image"),
    ] {
        let r = server.get(&path);
        assert!(
            [400, 404].contains(&r.status),
            "{path}: {} {}",
            r.status,
            r.text()
        );
        assert_ne!(r.header("content-type"), Some("image/jpeg"), "{path}");
    }
}

#[test]
fn a_malformed_correction_is_refused_with_a_message_and_changes_nothing() {
    let run = copy_run();
    let server = Server::start(&run.out, &["--reviewer", "Lan"]);
    let item = queue(&server, "mode=review")[0].clone();
    let json_header = [("Content-Type", "application/json")];
    let post = |body: &str, headers: &[(&str, &str)]| {
        request(
            server.addr,
            "POST",
            "/api/decisions",
            Some(body.as_bytes()),
            headers,
        )
    };
    let mut cases: Vec<(u16, Reply, &str)> = vec![
        (
            400,
            post("{\"book_id\": ", &json_header),
            "not the JSON expected",
        ),
        (
            400,
            post("book_id=x&action=confirm", &[]),
            "Content-Type: application/json",
        ),
        (
            400,
            post(
                &decision(&item, "overwrite", "x", &Value::Null).to_string(),
                &json_header,
            ),
            "is no action",
        ),
        (
            400,
            post(
                &json!({"book_id": item["book_id"], "page": item["page"], "entry": 999,
                "field": item["field"], "action": "confirm"})
                .to_string(),
                &json_header,
            ),
            "no such entry",
        ),
        (
            400,
            post(
                &json!({"book_id": item["book_id"], "page": item["page"], "entry": item["entry"],
                "field": "khongCoTruongNay", "action": "correct", "value": "x"})
                .to_string(),
                &json_header,
            ),
            "is not a field",
        ),
        (
            400,
            post(
                &json!({"book_id": item["book_id"], "page": "một", "entry": 1,
                "field": "x", "action": "confirm"})
                .to_string(),
                &json_header,
            ),
            "not the JSON expected",
        ),
    ];
    // A date that is no date: refused as typed (422), with what is expected.
    let r = server.post(
        "/api/decisions",
        &json!({"book_id": item["book_id"], "page": item["page"], "entry": item["entry"],
            "field": "ngayDangKy", "action": "correct", "value": "31/02/2017"}),
    );
    cases.push((422, r, ""));
    // A body far larger than any decision.
    let big = format!("{{\"value\": \"{}\"}}", "x".repeat(100_000));
    cases.push((413, post(&big, &json_header), ""));
    for (status, reply, words) in &cases {
        assert_eq!(reply.status, *status, "{}", reply.text());
        let body = reply.json();
        let en = body["message_en"].as_str().unwrap();
        assert!(en.contains(words), "{en}");
        assert!(!body["message_vi"].as_str().unwrap().is_empty());
    }
    assert!(journal_actions(&run.out).is_empty(), "nothing was recorded");
    // The server still works.
    let r = server.post(
        "/api/decisions",
        &decision(&item, "confirm", "", &item["latest"]),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(journal_actions(&run.out).len(), 1);
}

#[test]
fn two_reviewers_correcting_one_field_at_once_meet_a_conflict_not_an_overwrite() {
    let run = copy_run();
    let lan = Server::start(&run.out, &["--reviewer", "Lan"]);
    let minh = Server::start(&run.out, &["--reviewer", "Minh"]);
    let item = queue(&lan, "mode=review&group=names")[0].clone();
    assert_eq!(item["id"], queue(&minh, "mode=review&group=names")[0]["id"]);
    let barrier = Arc::new(std::sync::Barrier::new(2));
    let replies: Vec<(String, Reply)> = std::thread::scope(|s| {
        let handles: Vec<_> = [(&lan, "Trần Văn Lâm"), (&minh, "Trần Văn Minh")]
            .into_iter()
            .map(|(server, value)| {
                let (barrier, item) = (barrier.clone(), item.clone());
                s.spawn(move || {
                    barrier.wait();
                    let r = server.post(
                        "/api/decisions",
                        &decision(&item, "correct", value, &item["latest"]),
                    );
                    (value.to_string(), r)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let statuses: Vec<u16> = replies.iter().map(|(_, r)| r.status).collect();
    let (won, lost) = match statuses[..] {
        [200, 409] => (&replies[0], &replies[1]),
        [409, 200] => (&replies[1], &replies[0]),
        _ => panic!(
            "one must win and one see the conflict: {:?}",
            replies.iter().map(|(_, r)| r.text()).collect::<Vec<_>>()
        ),
    };
    let conflict = lost.1.json();
    assert_eq!(conflict["error"], "conflict");
    let winner = if won.0.contains("Lâm") {
        "Lan"
    } else {
        "Minh"
    };
    assert!(
        conflict["message_vi"].as_str().unwrap().contains(winner),
        "{conflict}"
    );
    assert_eq!(conflict["current"]["value"], won.0.as_str());
    // Only the winner's value is in the journal.
    let actions = journal_actions(&run.out);
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].action.value, won.0);
    // The other, having seen it, may still decide otherwise on purpose.
    let server = if winner == "Lan" { &minh } else { &lan };
    let r = server.post(
        "/api/decisions",
        &decision(&item, "correct", &lost.0, &conflict["current"]["id"]),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(journal_actions(&run.out).len(), 2);
}

#[test]
fn killing_the_server_loses_no_acknowledged_decision() {
    let run = copy_run();
    let mut server = Server::start(&run.out, &["--reviewer", "Lan"]);
    let items = queue(&server, "mode=review");
    assert!(items.len() >= 2, "{items:?}");
    let addr = server.addr;
    // Two streams of decisions, each naming the last one acknowledged: confirm, undo, confirm…
    let acked: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    let streams: Vec<_> = items[..2]
        .iter()
        .cloned()
        .map(|item| {
            let acked = acked.clone();
            std::thread::spawn(move || {
                let mut latest = item["latest"].clone();
                for n in 0.. {
                    let (path, body) = if n % 2 == 0 {
                        ("/api/decisions", decision(&item, "confirm", "", &latest))
                    } else {
                        ("/api/undo", json!({ "action_id": latest }))
                    };
                    let reply = try_request(
                        addr,
                        "POST",
                        path,
                        Some(body.to_string().as_bytes()),
                        &[("Content-Type", "application/json")],
                    );
                    match reply {
                        Ok(r) if r.status == 200 => {
                            let a = r.json()["action"].clone();
                            latest = a["id"].clone();
                            let kind = a["kind"].as_str().unwrap().to_string();
                            acked
                                .lock()
                                .unwrap()
                                .push((a["id"].as_i64().unwrap(), kind));
                        }
                        Ok(r) => panic!("refused: {} {}", r.status, r.text()),
                        // The server is gone.
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < 40 {
        assert!(Instant::now() < deadline, "the decisions are too slow");
        std::thread::sleep(Duration::from_millis(5));
    }
    server.child.kill().unwrap(); // SIGKILL, mid-stream
    server.child.wait().unwrap();
    for s in streams {
        s.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let journal = journal_actions(&run.out);
    let kept: BTreeMap<i64, String> = journal
        .iter()
        .map(|a| (a.id, a.action.kind.as_str().to_string()))
        .collect();
    for (id, kind) in &acked {
        assert_eq!(kept.get(id), Some(kind), "acknowledged action {id} lost");
    }
    let conn = rusqlite::Connection::open(run.out.join("journal.sqlite")).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    // A new server picks up where the killed one stopped.
    let again = Server::start(&run.out, &["--reviewer", "Lan"]);
    assert_eq!(again.get("/api/summary").status, 200);
}

/// The truth of the synthetic set, by (book, page, entry).
fn truth() -> BTreeMap<(String, u32, u32), BTreeMap<String, String>> {
    let mut rdr = csv::Reader::from_path(&base_run().truth).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let mut out = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let row: BTreeMap<String, String> = headers
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| (h.to_string(), v.to_string()))
            .collect();
        out.insert(
            (
                row["book_id"].clone(),
                row["page"].parse().unwrap(),
                row["entry"].parse().unwrap(),
            ),
            row,
        );
    }
    out
}

#[test]
fn two_blind_keyers_disagree_an_arbiter_settles_and_the_value_is_delivered() {
    let run = copy_run();
    let keyer = |name: &str, pass: &str| {
        Server::start(
            &run.out,
            &[
                "--reviewer",
                name,
                "--role",
                "keyer",
                "--double",
                "--pass",
                pass,
            ],
        )
    };
    let (minh, hoa) = (keyer("Minh", "1"), keyer("Hòa", "2"));
    let items = queue(&minh, "mode=keying");
    // Blind: nothing read, no finding (it may quote the reading), no other keyer.
    for i in &items {
        for hidden in [
            "value",
            "value_read",
            "other_reading",
            "confidence",
            "candidates",
        ] {
            assert!(i.get(hidden).is_none(), "a keyer is shown {hidden}: {i}");
        }
        assert_eq!(i["findings"], json!([]));
    }
    assert_eq!(minh.get("/api/entries/x/1/1").status, 403);
    let disputed = items
        .iter()
        .find(|i| i["group"] == "names")
        .expect("a name to key")
        .clone();
    let (book, page, entry, name_field) = target_of(&disputed);
    let truth = &truth()[&(book.clone(), page, entry)];
    let of_entry: Vec<&Value> = items
        .iter()
        .filter(|i| target_of(i).0 == book && target_of(i).1 == page && target_of(i).2 == entry)
        .collect();
    for (server, pass) in [(&minh, 1), (&hoa, 2)] {
        for item in &of_entry {
            let field = item["field"].as_str().unwrap();
            let value = if field == name_field {
                if pass == 1 {
                    "Trần Văn Khải"
                } else {
                    "Trần Văn Khánh"
                }
                .to_string()
            } else {
                truth.get(field).cloned().unwrap_or_default()
            };
            let mut body = decision(item, "keyed", &value, &item["latest"]);
            body["pass"] = json!(pass);
            body["ms"] = json!(2500);
            let r = server.post("/api/decisions", &body);
            assert_eq!(r.status, 200, "{field}={value}: {}", r.text());
            let answer = r.json();
            assert!(
                answer.get("entry").is_none(),
                "a keyer learns nothing of the entry"
            );
        }
    }
    // Keyed in both passes: off both keyers' queues.
    let left = queue(&hoa, "mode=keying");
    assert!(
        left.iter()
            .all(|i| target_of(i).2 != entry || target_of(i).0 != book || target_of(i).1 != page),
        "{left:?}"
    );
    let arbiter = Server::start(
        &run.out,
        &["--reviewer", "Tâm", "--role", "arbiter", "--double"],
    );
    let disputes = queue(&arbiter, "mode=arbitration");
    assert_eq!(disputes.len(), 1, "{disputes:?}");
    let d = &disputes[0];
    assert_eq!(d["field"], name_field.as_str());
    let candidates: Vec<&str> = d["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(candidates, ["Trần Văn Khải", "Trần Văn Khánh"]);
    let r = arbiter.post(
        "/api/decisions",
        &decision(d, "correct", "Trần Văn Khánh", &d["latest"]),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(queue(&arbiter, "mode=arbitration").is_empty());
    // Whatever the entry says as a whole is looked at by a reviewer.
    let lan = Server::start(&run.out, &["--reviewer", "Lan"]);
    let view = lan
        .get(&format!("/api/entries/{book}/{page}/{entry}"))
        .json();
    if view["status"] != "reviewed" && !view["entry_findings"].as_array().unwrap().is_empty() {
        let r = lan.post(
            "/api/decisions",
            &json!({"book_id": book, "page": page, "entry": entry, "field": "",
                "action": "confirm_entry", "supersedes": view["entry_latest"]}),
        );
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let view = lan
        .get(&format!("/api/entries/{book}/{page}/{entry}"))
        .json();
    assert_eq!(view["status"], "reviewed", "{view}");
    for s in [minh, hoa, arbiter, lan] {
        s.interrupt();
    }
    // The servers wrote the outputs again as they stopped; the package carries the value.
    assert!(xlsx_values(&run.out.join("import"), &name_field).contains(&"Trần Văn Khánh".into()));
    let report: Value =
        serde_json::from_slice(&std::fs::read(run.out.join("report.json")).unwrap()).unwrap();
    let keying = &report["people"]["keying"];
    assert_eq!(keying["double_keyed"], json!(of_entry.len()), "{keying}");
    assert_eq!(keying["disagreements"], 1, "{keying}");
    assert_eq!(keying["unresolved"], 0, "{keying}");
    let rate = keying["disagreement_rate"].as_f64().unwrap();
    assert!(
        (rate - 1.0 / of_entry.len() as f64).abs() < 1e-9,
        "{keying}"
    );
    assert!((keying["fields_per_minute"].as_f64().unwrap() - 24.0).abs() < 1e-6);
    let o = sohoa_output(&["package", run.out.to_str().unwrap(), "--allow-partial"]);
    assert!(
        [0, 4].contains(&o.status.code().unwrap()),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let delivered = workbook_text(&run.out.join("delivery"));
    assert!(delivered.contains("Trần Văn Khánh"), "{delivered}");
    assert!(!delivered.contains("Trần Văn Khải"));
}

#[test]
fn the_excel_queue_goes_out_and_comes_back_all_or_nothing() {
    let run = copy_run();
    let out = run.out.to_str().unwrap();
    let file = run.dir.path().join("queue.csv");
    let o = sohoa_output(&["review", out, "--export-queue", file.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut rdr = csv::Reader::from_path(&file).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header.join(",").trim_start_matches('\u{feff}'),
        "book_id,page,entry,field,label,value_read,finding,checked_value"
    );
    let mut rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert!(!rows.is_empty());
    // Filled as a contractor would: the value read where it is right, #illegible where
    // nothing can be read, #ok for whole entries; one name mistyped with figures.
    for row in rows.iter_mut() {
        row[7] = if row[3].is_empty() {
            "#ok".into()
        } else if row[5].is_empty() {
            "#illegible".into()
        } else {
            row[5].clone()
        };
    }
    let bad = rows
        .iter()
        .position(|r| r[3].to_lowercase().contains("hoten") && !r[5].is_empty())
        .expect("a name in the queue");
    let good_value = rows[bad][7].clone();
    rows[bad][7] = "Ng2yễn Văn 4n".into();
    let write = |rows: &[Vec<String>]| {
        let mut w = csv::Writer::from_path(&file).unwrap();
        w.write_record(&header).unwrap();
        for r in rows {
            w.write_record(r).unwrap();
        }
        w.flush().unwrap();
    };
    write(&rows);
    let import = || {
        sohoa_output(&[
            "review",
            out,
            "--import",
            file.to_str().unwrap(),
            "--reviewer",
            "Lan",
        ])
    };
    let o = import();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("line {}", bad + 2)), "{err}");
    assert!(err.contains("nothing of the file was applied"), "{err}");
    assert!(
        journal_actions(&run.out).is_empty(),
        "nothing applied half-way"
    );
    // Put right, it applies whole, and the outputs are written again.
    rows[bad][7] = good_value.clone();
    write(&rows);
    let o = import();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(journal_actions(&run.out).len(), rows.len());
    let records = std::fs::read_to_string(run.out.join("records/KS.csv")).unwrap();
    assert!(records.contains("Lan"), "set_by names the reviewer");
    // Nothing is left of the queue; an XLSX export of it is only its header.
    let xlsx = run.dir.path().join("queue.xlsx");
    let o = sohoa_output(&["review", out, "--export-queue", xlsx.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let o = sohoa_output(&[
        "review",
        out,
        "--import",
        xlsx.to_str().unwrap(),
        "--reviewer",
        "Lan",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(journal_actions(&run.out).len(), rows.len());
}

/// A registry of 400 other people and one record that may be the entry's person: the same
/// parents, a name spelled without its marks, another birth date (siblings or a slip? a person
/// decides).
fn registry_with_possible_duplicate(run: &RunCopy, entry: &BTreeMap<String, String>) {
    let keys = [
        "nksHoTen",
        "nksNgaySinh",
        "nksGioiTinh",
        "nksNoiSinh",
        "nksDanToc",
        "meHoTen",
        "chaHoTen",
    ];
    let family = [
        "Nguyễn", "Trần", "Lê", "Phạm", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô",
    ];
    let middle = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh"];
    let given = [
        "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hoa", "Khánh", "Lan", "Linh", "Mai",
        "Nam", "Phúc", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Yến",
    ];
    let name = |n: usize| {
        format!(
            "{} {} {}",
            family[n % family.len()],
            middle[(n / 9) % middle.len()],
            given[(n / 63) % given.len()]
        )
    };
    let path = run.dir.path().join("registry.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(keys).unwrap();
    for n in 0..400usize {
        let born = format!("{:02}.{:02}.{}", 1 + n % 28, 1 + n % 12, 2005 + n % 12);
        let sex = if n % 2 == 0 { "1" } else { "2" };
        w.write_record([
            name(n * 7 + 1).as_str(),
            &born,
            sex,
            "Trạm y tế xã",
            "Kinh",
            &name(n * 11 + 5),
            &name(n * 13 + 3),
        ])
        .unwrap();
    }
    let full = &entry["nksHoTen"];
    let (head, last) = full.rsplit_once(' ').unwrap();
    let unmarked = sohoa::text::title_case(&sohoa::text::fold(last));
    let mut row: Vec<String> = keys
        .iter()
        .map(|k| entry.get(*k).cloned().unwrap_or_default())
        .collect();
    row[0] = format!("{head} {unmarked}");
    row[1] = "03.11.2009".into();
    w.write_record(&row).unwrap();
    w.flush().unwrap();
    let manifest = run.out.join("run.json");
    let mut m: Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    m["existing"] = json!([path]);
    std::fs::write(&manifest, m.to_string()).unwrap();
}

#[test]
fn a_clerk_decides_a_possible_duplicate_first_and_then_sees_why() {
    let run = copy_run();
    let truth = truth();
    let (key, entry) = truth.iter().nth(1).unwrap();
    registry_with_possible_duplicate(&run, entry);
    let clerk = Server::start(&run.out, &["--reviewer", "Tâm", "--role", "clerk"]);
    let pairs = queue(&clerk, "mode=duplicates");
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let item = &pairs[0];
    assert_eq!(target_of(item).2, key.2, "{item}");
    // Before the decision: the two records side by side, no explanation, no finding message
    // (it holds the explanation).
    assert_eq!(item["findings"], json!([]));
    let path = format!("/api/pairs/{}/{}/{}", key.0, key.1, key.2);
    let before = clerk.get(&path).json();
    assert!(before["explanation"].is_null() && before["explanation_text"].is_null());
    let other = &before["others"][0];
    assert_eq!(other["kind"], "registry");
    assert_eq!(other["found"], true);
    let born = other["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["field"] == "nksNgaySinh")
        .unwrap();
    assert_eq!(born["other_value"], "03.11.2009");
    // A clerk decides nothing else.
    let r = clerk.post(
        "/api/decisions",
        &json!({"book_id": key.0, "page": key.1, "entry": key.2, "field": "nksHoTen",
            "action": "confirm"}),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    let r = clerk.post(
        "/api/decisions",
        &json!({"book_id": key.0, "page": key.1, "entry": key.2, "field": "",
            "action": "distinct", "value": other["name"], "supersedes": before["latest"]}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // Then the explanation: each field's level and weight, from the prior to the total.
    let after = clerk.get(&path).json();
    assert_eq!(after["decided"]["kind"], "distinct");
    let x = &after["explanation"];
    let fields = x["fields"].as_array().unwrap();
    assert!(
        fields
            .iter()
            .any(|f| f["field"] == "nksNgaySinh" && f["level"] == "different"),
        "{x}"
    );
    let sum = x["prior"].as_f64().unwrap()
        + fields
            .iter()
            .map(|f| f["bits"].as_f64().unwrap())
            .sum::<f64>();
    assert!((sum - x["total"].as_f64().unwrap()).abs() < 0.5, "{x}");
    assert!(queue(&clerk, "mode=duplicates").is_empty());
}
