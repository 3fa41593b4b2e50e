//! The review page in a real browser: Debian's headless Chromium driven through chromedriver
//! (`apt-get install chromium chromium-driver`, done by scripts/install-deps.sh) from Rust with
//! fantoccini. On a small real run (two synthetic pages read by `sohoa run`), a reviewer at the
//! keyboard corrects a name in the field queue, confirms a date and marks a field illegible in
//! the entry view, reloads and finds all three kept; the corrected value is then in the rebuilt
//! import file and in the package. Values holding markup are shown as text.
//!
//! Without chromedriver the test fails, saying what to install; `SOHOA_SKIP_BROWSER=1` skips it.
//! `SOHOA_UPDATE_SCREENSHOT=1` writes the README's screenshot, docs/review-page.png.

#[path = "support/review.rs"]
mod support;

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const MARKUP: &str = "<img src=x onerror=alert(1)>";
const NEW_NAME: &str = "Kiều Thị Thử Nghiệm";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver on a free port, once it answers.
fn start_driver() -> Option<(Driver, String)> {
    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        if std::env::var("SOHOA_SKIP_BROWSER").is_ok_and(|v| v == "1") {
            eprintln!("SOHOA_SKIP_BROWSER=1: the review page's browser test is skipped");
            return None;
        }
        panic!(
            "the review page's browser test needs Debian's headless Chromium and its driver \
             ({CHROMIUM}, {CHROMEDRIVER}): run scripts/install-deps.sh, or `apt-get install \
             chromium chromium-driver`; set SOHOA_SKIP_BROWSER=1 to skip it"
        );
    }
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some((driver, format!("http://127.0.0.1:{port}")))
}

async fn browser(webdriver: &str) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,960", "--lang=vi"],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(webdriver)
        .await
        .expect("a browser session")
}

/// Evaluates `script` (a function body) in the page until it returns something truthy.
async fn until(c: &Client, what: &str, script: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = c.execute(script, vec![]).await.unwrap();
        if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
            return v;
        }
        if Instant::now() > deadline {
            let page = c
                .execute("return document.body.innerText", vec![])
                .await
                .unwrap();
            panic!(
                "waited in vain for {what}; the page shows:\n{}",
                page.as_str().unwrap_or("")
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn key(c: &Client, css: &str, keys: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

fn k(key: Key) -> String {
    char::from(key).to_string()
}

/// The entry view's row of a field: value, who set it, whether it is in doubt.
async fn row(c: &Client, field: &str) -> Value {
    let script = format!(
        "const r = document.querySelector('#e-fields tr[data-field=\"{field}\"]');
         return r && {{ value: r.querySelector('td.value').firstChild.textContent,
                        set_by: r.querySelector('td.set-by').textContent,
                        doubt: r.classList.contains('doubt') }};"
    );
    until(c, &format!("the row of {field}"), &script).await
}

/// Selects a field's row in the entry view and presses `keys` in the answer box.
async fn decide_in_entry(c: &Client, field: &str, keys: &str) {
    let css = format!("#e-fields tr[data-field=\"{field}\"]");
    c.find(Locator::Css(&css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(
        c,
        "the row selected",
        &format!(
            "return document.querySelector('{}').classList.contains('sel')",
            css.replace('\'', "\\'")
        ),
    )
    .await;
    key(c, "#e-answer", keys).await;
    until(
        c,
        &format!("a person's decision on {field}"),
        &format!(
            "const r = document.querySelector('{}'); return r && r.querySelector('td.set-by').textContent",
            css.replace('\'', "\\'")
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_corrects_confirms_and_marks_illegible_and_the_package_carries_it() {
    let Some((_driver, webdriver)) = start_driver() else {
        return;
    };
    let run = copy_run();
    // Pick the work through the API first: a name in doubt, and its entry.
    let server = Server::start(&run.out, &["--reviewer", "Lan"]);
    let names = queue(&server, "mode=review&group=names");
    let name = names.first().expect("a name in doubt").clone();
    let (book, page, entry) = (
        name["book_id"].as_str().unwrap().to_string(),
        name["page"].as_u64().unwrap(),
        name["entry"].as_u64().unwrap(),
    );
    let name_field = name["field"].as_str().unwrap().to_string();
    // Illegible: the home town, an optional field (a required one left empty is an error that
    // keeps the entry out of the import).
    let illegible_field = "nksQueQuan".to_string();
    // A note holding markup on another entry of the run, shown as text.
    let other = if entry == 1 { 2 } else { 1 };
    drop(server);
    set_note(&run.out, &book, page as u32, other as u32, MARKUP);
    let server = Server::start(&run.out, &["--reviewer", "Lan"]);

    let c = browser(&webdriver).await;
    c.goto(&server.url()).await.unwrap();
    until(
        &c,
        "the first field",
        "return !document.getElementById('card').hidden",
    )
    .await;
    // Walk the queue to the name (PgDn), type it lower-case: the server says how it will be kept.
    let id = name["id"].as_str().unwrap();
    for _ in 0..50 {
        let shown = c
            .execute("return document.getElementById('card').dataset.id", vec![])
            .await
            .unwrap();
        if shown == json!(id) {
            break;
        }
        key(&c, "#answer", &k(Key::PageDown)).await;
    }
    key(&c, "#answer", &NEW_NAME.to_lowercase()).await;
    let check = until(
        &c,
        "the typed value checked",
        "const e = document.getElementById('c-check'); return e.classList.contains('ok') && e.textContent",
    )
    .await;
    assert_eq!(check, json!(format!("Sẽ lưu: {NEW_NAME}")));
    key(&c, "#answer", &k(Key::Enter)).await;
    until(
        &c,
        "the correction acknowledged",
        "const l = document.querySelector('#last .item'); return l && l.textContent.startsWith('✓') && l.textContent",
    )
    .await;
    // The next field is shown at once, the name no longer.
    let shown = c
        .execute(
            "return document.getElementById('card').dataset.id || ''",
            vec![],
        )
        .await
        .unwrap();
    assert_ne!(shown, json!(id));
    save_screenshot(&c, "review-page.png").await;

    // The entry view: every field in template order; confirm the date, mark one illegible.
    open_entry(&c, &server, &book, page, entry).await;
    let date_value = row(&c, "ngayDangKy").await["value"].clone();
    decide_in_entry(&c, "ngayDangKy", &k(Key::Enter)).await;
    decide_in_entry(&c, &illegible_field, &k(Key::F2)).await;
    // The rest of the entry's doubts, confirmed as read, so that it is finished.
    for _ in 0..40 {
        let next = c
            .execute(
                "const r = document.querySelector('#e-fields tr.doubt'); return r ? r.dataset.field : null",
                vec![],
            )
            .await
            .unwrap();
        let Some(field) = next.as_str() else { break };
        decide_in_entry(&c, field, &k(Key::Enter)).await;
    }
    let whole = c
        .find_all(Locator::Css("#e-entry-actions button"))
        .await
        .unwrap();
    for b in whole {
        if b.text().await.unwrap().starts_with("Đã xem lỗi của mục") {
            b.click().await.unwrap();
        }
    }
    until(
        &c,
        "the entry reviewed",
        "return document.getElementById('e-status').textContent === 'đã duyệt'",
    )
    .await;

    // Reload: all three kept.
    c.refresh().await.unwrap();
    entry_shown(&c, entry).await;
    let named = row(&c, &name_field).await;
    assert_eq!(named["value"], json!(NEW_NAME), "{named}");
    assert!(
        named["set_by"].as_str().unwrap().contains("Lan · Sửa"),
        "{named}"
    );
    let dated = row(&c, "ngayDangKy").await;
    assert_eq!(dated["value"], date_value);
    assert!(
        dated["set_by"].as_str().unwrap().contains("Lan · Xác nhận"),
        "{dated}"
    );
    let gone = row(&c, &illegible_field).await;
    assert_eq!(gone["value"], json!("(trống)"), "{gone}");
    assert!(
        gone["set_by"].as_str().unwrap().contains("Không đọc được"),
        "{gone}"
    );
    save_screenshot(&c, "review-entry.jpg").await;

    // Markup in a value is shown as its characters; no element is made of it.
    open_entry(&c, &server, &book, page, other).await;
    let note = row(&c, "ghiChu").await;
    assert_eq!(note["value"], json!(MARKUP));
    let made = c
        .execute(
            "return document.querySelectorAll('img[src=\"x\"]').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(made, json!(0));
    assert!(c.get_alert_text().await.is_err(), "no script ran");
    c.close().await.unwrap();

    // Stopping the server writes the outputs again; the package is rebuilt from the journal.
    server.interrupt();
    let import = xlsx_values(&run.out.join("import"), &name_field);
    assert!(import.iter().any(|v| v == NEW_NAME), "{import:?}");
    let o = sohoa_output(&["package", run.out.to_str().unwrap(), "--allow-partial"]);
    assert!(
        [0, 4].contains(&o.status.code().unwrap()),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let delivered = xlsx_values(&run.out.join("delivery").join(&book), &name_field);
    assert!(delivered.iter().any(|v| v == NEW_NAME), "{delivered:?}");
}

/// Goes to an entry's address and waits for its view (not the one shown before).
async fn open_entry(c: &Client, server: &Server, book: &str, page: u64, entry: u64) {
    c.goto(&format!("{}#entry/{book}/{page}/{entry}", server.url()))
        .await
        .unwrap();
    entry_shown(c, entry).await;
}

async fn entry_shown(c: &Client, entry: u64) {
    until(
        c,
        &format!("the entry view of entry {entry}"),
        &format!(
            "return !document.getElementById('view-entry').hidden
               && document.getElementById('e-title').textContent.includes('mục {entry} ·')
               && document.querySelectorAll('#e-fields tbody tr').length"
        ),
    )
    .await;
}

/// Puts a note (ghiChu) on an entry of the stored page result.
fn set_note(out: &Path, book: &str, page: u32, entry: u32, text: &str) {
    support::edit_stored_entry(out, book, page, entry, |e| {
        e.fields.insert(
            "ghiChu".into(),
            sohoa::page::FieldValue {
                raw: text.into(),
                value: text.into(),
                confidence: 0.99,
                bbox: None,
                source: sohoa::page::ValueSource::Page,
                other_reading: None,
            },
        );
    });
}

/// The pictures of docs/review.md (with `SOHOA_UPDATE_SCREENSHOT=1`): the field queue just after
/// a correction, the entry view after the reload.
async fn save_screenshot(c: &Client, name: &str) {
    if !std::env::var("SOHOA_UPDATE_SCREENSHOT").is_ok_and(|v| v == "1") {
        return;
    }
    let png = c.screenshot().await.unwrap();
    let img = image::load_from_memory(&png).unwrap().to_rgb8();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(name);
    // A page image does not compress as a PNG: the entry view goes as JPEG.
    if name.ends_with(".jpg") {
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 82)
            .encode_image(&img)
            .unwrap();
        std::fs::write(&path, bytes).unwrap();
    } else {
        img.save(&path).unwrap();
    }
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size < 300_000, "{}: {size} bytes", path.display());
}
