//! The routes: the page and its two files, and the JSON API under `/api/` (README, "Finishing a
//! book", lists each route with its answers).

use super::http::{ok, ApiError, ApiResult};
use super::views::{self, entry_target, Filter, Latest, Mode};
use super::{clerical, images, App, Role};
use crate::journal::{ActionKind, JournalError, Track};
use crate::page::{BBox, PageKey};
use crate::review::queue::Group;
use crate::review::session::{DecideError, DecisionRequest, Session};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// Largest request body: a decision is a few hundred bytes.
const BODY_LIMIT: usize = 64 * 1024;
/// Items of a queue sent at once (the page asks again when it runs out).
const DEFAULT_LIMIT: usize = 200;

pub(super) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(super::assets::page))
        .route("/page.js", get(super::assets::script))
        .route("/page.css", get(super::assets::style))
        .route("/api/summary", get(summary))
        .route("/api/queue", get(queue))
        .route("/api/entries/{book}/{page}/{entry}", get(entry))
        .route("/api/pairs/{book}/{page}/{entry}", get(pair))
        .route("/api/pages/{book}/{page}/image", get(page_image))
        .route("/api/pages/{book}/{page}/crop", get(crop))
        .route("/api/decisions", post(decide))
        .route("/api/undo", post(undo))
        .route("/api/check", post(check))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such page or API route")
}

/// Every answer: no sniffing, no framing, no referrer; and, while the server listens on
/// loopback only, requests for another host name are refused (a web site cannot reach the
/// server through a name of its own that resolves here), as are writes sent by another site.
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    if let Err(e) = check_origin(&app, request.method(), request.headers()) {
        return e.into_response();
    }
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn check_origin(app: &App, method: &Method, headers: &HeaderMap) -> Result<(), ApiError> {
    let port = app.addr.port();
    let local_names = [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if app.addr.ip().is_loopback() && !local_names.iter().any(|n| n == host) {
        return Err(ApiError::forbidden(
            format!("Máy chủ chỉ phục vụ trên máy này; địa chỉ \"{host}\" không được chấp nhận"),
            format!("This server serves this machine only; host \"{host}\" is refused"),
        ));
    }
    if *method == Method::POST {
        if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
            if origin != format!("http://{host}") {
                return Err(ApiError::forbidden(
                    format!("Yêu cầu ghi từ trang khác ({origin}) bị từ chối"),
                    format!("A write from another site ({origin}) is refused"),
                ));
            }
        }
    }
    Ok(())
}

/// Runs session work on the blocking pool (decisions rebuild the run; images decode).
async fn blocking<F>(f: F) -> ApiResult
where
    F: FnOnce() -> ApiResult + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(ApiError::internal(format!("the request failed: {e}"))))
}

/// The pass a keyer keys in: fixed by `--pass`, else chosen in the page (`pass=` in the
/// request); 0 for single keying.
fn keying_pass(app: &App, asked: Option<&str>) -> Result<u8, ApiError> {
    if !app.config.double {
        return Ok(0);
    }
    if let Some(p) = app.config.pass {
        return Ok(p);
    }
    match asked.map(str::trim) {
        Some("1") => Ok(1),
        Some("2") => Ok(2),
        _ => Err(ApiError::bad_request(
            "double keying: say which pass you key (pass=1 or pass=2)",
        )),
    }
}

async fn summary(State(app): State<Arc<App>>) -> ApiResult {
    let a = app.clone();
    app.session
        .with(move |s| {
            let c = &a.config;
            Ok(ok(&serde_json::json!({
                "reviewer": c.reviewer,
                "role": c.role,
                "double": c.double,
                "pass": c.pass,
                "modes": Mode::allowed(c.role, c.double),
                "books": views::books(s),
                "counts": s.counts(),
                "keying": s.rebuilt.people.keying,
            })))
        })
        .await
}

fn page_key(book: String, page: &str) -> Result<PageKey, ApiError> {
    let page = page
        .parse::<u32>()
        .map_err(|_| ApiError::bad_request(format!("\"{page}\" is not a page number")))?;
    Ok(PageKey {
        book_id: book,
        page,
    })
}

fn number(q: &HashMap<String, String>, key: &str) -> Result<Option<u32>, ApiError> {
    q.get(key)
        .map(|v| {
            v.trim()
                .parse::<u32>()
                .map_err(|_| ApiError::bad_request(format!("{key}=\"{v}\" is not a number")))
        })
        .transpose()
}

async fn queue(State(app): State<Arc<App>>, Query(q): Query<HashMap<String, String>>) -> ApiResult {
    let allowed = Mode::allowed(app.config.role, app.config.double);
    let mode = match q.get("mode") {
        Some(m) => Mode::parse(m).ok_or_else(|| {
            ApiError::bad_request(format!(
                "mode=\"{m}\" (review, keying, arbitration, entries, duplicates)"
            ))
        })?,
        None => allowed[0],
    };
    if !allowed.contains(&mode) {
        return Err(ApiError::forbidden(
            format!("Vai trò {} không làm việc này", app.config.role.as_str()),
            format!("A {} does not work on this queue", app.config.role.as_str()),
        ));
    }
    let pass = if mode == Mode::Keying {
        keying_pass(&app, q.get("pass").map(String::as_str))?
    } else {
        0
    };
    let nonempty = |k: &str| {
        q.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let group = match nonempty("group") {
        Some(g) => Some(Group::parse(&g).ok_or_else(|| {
            ApiError::bad_request(format!(
                "group=\"{g}\" (names, dates, places, numbers, codes, other)"
            ))
        })?),
        None => None,
    };
    let filter = Filter {
        book: nonempty("book"),
        status: nonempty("status"),
        finding: nonempty("finding"),
        field: nonempty("field"),
        group,
        limit: number(&q, "limit")?
            .map_or(DEFAULT_LIMIT, |l| l as usize)
            .min(2000),
    };
    let (role, double) = (app.config.role, app.config.double);
    app.session
        .with(move |s| Ok(ok(&views::queue(s, role, mode, pass, double, &filter))))
        .await
}

fn no_blind_access(app: &App) -> Result<(), ApiError> {
    if app.config.role == Role::Keyer {
        return Err(ApiError::forbidden(
            "Người nhập liệu không xem giá trị đã đọc",
            "A keyer is not shown what was read",
        ));
    }
    Ok(())
}

async fn entry(
    State(app): State<Arc<App>>,
    Path((book, page, entry)): Path<(String, String, String)>,
) -> ApiResult {
    no_blind_access(&app)?;
    let key = page_key(book, &page)?;
    let index: u32 = entry
        .parse()
        .map_err(|_| ApiError::bad_request(format!("\"{entry}\" is not an entry number")))?;
    let a = app.clone();
    let (view, file, extra) = app
        .session
        .with(move |s| {
            let view = s
                .entry_view(&key, index)
                .ok_or_else(|| ApiError::not_found(format!("entry {key} #{index}")))?;
            let latest = Latest::new(&s.actions);
            let findings = views::findings_view(&view.findings, &key, index, &latest);
            let field_findings: HashMap<String, Vec<views::FindingView>> = view
                .fields
                .iter()
                .map(|f| {
                    (
                        f.field.clone(),
                        views::findings_view(&f.findings, &key, index, &latest),
                    )
                })
                .collect();
            let whole = entry_target(&key, index, "");
            let extra = serde_json::json!({
                "entry_findings": findings,
                "field_findings": field_findings,
                "entry_latest": latest.latest(&whole, Track::Entry, 0),
                "has_pair": s.entry(&key, index).is_some_and(|e| e.findings.iter()
                    .any(|f| f.code == crate::dedup::step::CODE_POSSIBLE)),
            });
            Ok((view, page_file(&a, s, &key), extra))
        })
        .await?;
    blocking(move || {
        let (width, height, image_error) = match file.and_then(|f| app.images.get(&f)) {
            Ok(img) => (img.width, img.height, None),
            Err(e) => (view.width, view.height, Some(e)),
        };
        let mut body =
            serde_json::to_value(&view).map_err(|e| ApiError::internal(e.to_string()))?;
        if let (serde_json::Value::Object(b), serde_json::Value::Object(x)) = (&mut body, extra) {
            b.extend(x);
            b.insert("image_width".into(), width.into());
            b.insert("image_height".into(), height.into());
            b.insert("image_error".into(), image_error.into());
        }
        Ok(ok(&body))
    })
    .await
}

async fn pair(
    State(app): State<Arc<App>>,
    Path((book, page, entry)): Path<(String, String, String)>,
) -> ApiResult {
    if !matches!(app.config.role, Role::Reviewer | Role::Clerk) {
        return Err(ApiError::forbidden(
            "Vai trò này không xét trùng lặp",
            "This role does not review duplicates",
        ));
    }
    let key = page_key(book, &page)?;
    let index: u32 = entry
        .parse()
        .map_err(|_| ApiError::bad_request(format!("\"{entry}\" is not an entry number")))?;
    let (a, k) = (app.clone(), key.clone());
    let needed = app
        .session
        .with(move |s| {
            let cache = a.registry_rows.lock().unwrap_or_else(|e| e.into_inner());
            Ok(clerical::needed(s, &cache, &k, index))
        })
        .await?;
    if let Some(n) = needed {
        // A registry may be large: read without holding up the session.
        let a = app.clone();
        blocking(move || {
            clerical::fetch(n, &a.registry_rows);
            Ok(ok(&()))
        })
        .await?;
    }
    let a = app.clone();
    app.session
        .with(move |s| {
            let cache = a.registry_rows.lock().unwrap_or_else(|e| e.into_inner());
            let view = clerical::pair_view(s, &cache, &key, index).ok_or_else(|| {
                ApiError::not_found(format!("a possible duplicate at {key} #{index}"))
            })?;
            Ok(ok(&view))
        })
        .await
}

/// The run's own image of a page, refused when its real path lies outside the scans folder
/// (a link planted among the scans).
fn page_file(app: &App, s: &Session, key: &PageKey) -> Result<images::PageFile, String> {
    let (path, source) = s
        .page_image(key)
        .ok_or_else(|| format!("page {key} is not a page of this run"))?;
    let real = std::fs::canonicalize(&path)
        .map_err(|e| format!("page {key}: its image cannot be opened: {e}"))?;
    if !real.starts_with(&app.scans_root) {
        return Err(format!(
            "page {key}: its image lies outside the scans folder of the run; it is not served"
        ));
    }
    let turned = s
        .stored
        .iter()
        .find(|r| r.source.key == *key)
        .and_then(|r| r.ocr.as_ref())
        .map_or(0, |o| o.turned_degrees);
    Ok(images::PageFile {
        key: key.clone(),
        root: s.scan.root.clone(),
        source: source.clone(),
        turned_degrees: turned,
    })
}

fn image_response(bytes: Vec<u8>) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=600"),
    );
    r
}

async fn image_of(
    app: Arc<App>,
    book: String,
    page: String,
    region: Option<BBox>,
    width: u32,
) -> ApiResult {
    let key = page_key(book, &page)?;
    let (a, k) = (app.clone(), key.clone());
    let file = app
        .session
        .with(move |s| {
            if s.page_image(&k).is_none() {
                return Err(ApiError::not_found(format!("page {k} of this run")));
            }
            page_file(&a, s, &k)
                .map_err(|e| ApiError::forbidden(format!("Không phục vụ ảnh: {e}"), e))
        })
        .await?;
    blocking(move || {
        let img = app
            .images
            .get(&file)
            .map_err(|e| ApiError::internal(format!("page {key}: {e}")))?;
        Ok(image_response(images::crop_jpeg(&img, region, width)))
    })
    .await
}

async fn page_image(
    State(app): State<Arc<App>>,
    Path((book, page)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let width = number(&q, "w")?.unwrap_or(1200);
    image_of(app, book, page, None, width).await
}

async fn crop(
    State(app): State<Arc<App>>,
    Path((book, page)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let (x, y, w, h) = (
        number(&q, "x")?,
        number(&q, "y")?,
        number(&q, "w")?,
        number(&q, "h")?,
    );
    let region = match (x, y, w, h) {
        (Some(x), Some(y), Some(w), Some(h)) => Some(BBox::new(x, y, w, h)),
        (None, None, None, None) => None,
        _ => return Err(ApiError::bad_request("a crop needs all of x, y, w and h")),
    };
    let width = number(&q, "max_w")?.unwrap_or(900);
    image_of(app, book, page, region, width).await
}

/// Writes must say they are JSON: a plain form or text post from elsewhere is no decision.
fn json_body<T: for<'de> Deserialize<'de>>(
    headers: &HeaderMap,
    body: &Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    // A body over the limit (or cut short) is answered in JSON like every other refusal.
    let body = body.as_ref().map_err(|e| {
        ApiError::new(
            e.status(),
            "bad_request",
            format!("Yêu cầu không hợp lệ, không ghi nhận gì: {}", e.body_text()),
            format!("Malformed request, nothing was recorded: {}", e.body_text()),
        )
    })?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|c| c.to_str().ok())
        .is_some_and(|c| {
            c.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !is_json {
        return Err(ApiError::bad_request(
            "send the request as JSON (Content-Type: application/json)",
        ));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the request is not the JSON expected: {e}")))
}

/// What a role may record.
fn allowed_action(role: Role, kind: ActionKind) -> bool {
    use ActionKind::*;
    match role {
        Role::Reviewer => !matches!(kind, Accepted | Rejected),
        Role::Keyer => matches!(kind, Keyed | Undo),
        Role::Arbiter => matches!(kind, Correct | Confirm | Illegible | Undo),
        Role::Clerk => matches!(kind, Same | Distinct | Undo),
    }
}

async fn decide(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let mut req: DecisionRequest = json_body(&headers, &body)?;
    let kind = ActionKind::parse(&req.action)
        .ok_or_else(|| ApiError::bad_request(format!("\"{}\" is no action", req.action)))?;
    if kind == ActionKind::Undo {
        return Err(ApiError::bad_request("undo through /api/undo"));
    }
    if !allowed_action(app.config.role, kind) {
        return Err(ApiError::forbidden(
            format!(
                "Vai trò {} không ghi \"{}\"",
                app.config.role.as_str(),
                req.action
            ),
            format!(
                "A {} does not record \"{}\"",
                app.config.role.as_str(),
                req.action
            ),
        ));
    }
    if kind == ActionKind::Keyed {
        if app.config.double && app.config.role == Role::Reviewer {
            return Err(ApiError::forbidden(
                "Nhập hai lần: chỉ người nhập liệu nhập",
                "Double keying: only keyers key",
            ));
        }
        let asked = req.pass.to_string();
        req.pass = keying_pass(&app, Some(&asked))?;
    }
    let a = app.clone();
    app.session.with(move |s| record(s, &a, &req)).await
}

#[derive(Deserialize)]
struct UndoRequest {
    action_id: i64,
    #[serde(default)]
    ms: Option<u64>,
}

async fn undo(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let u: UndoRequest = json_body(&headers, &body)?;
    let app2 = app.clone();
    app.session
        .with(move |s| {
            let app = app2;
            let req = {
            let a = s
                .actions
                .iter()
                .find(|a| a.id == u.action_id)
                .ok_or_else(|| ApiError::not_found(format!("action {}", u.action_id)))?;
            if a.action.who != app.config.reviewer {
                return Err(ApiError::forbidden(
                    format!(
                        "Chỉ hoàn tác được việc của chính mình ({} đã làm việc này): hãy quyết định lại",
                        a.action.who
                    ),
                    format!(
                        "Only your own actions are undone ({} did this one): decide again instead",
                        a.action.who
                    ),
                ));
            }
            if a.action.kind == ActionKind::Undo || !allowed_action(app.config.role, a.action.kind)
            {
                return Err(ApiError::bad_request(format!(
                    "action {} ({}) cannot be undone here",
                    a.id,
                    a.action.kind.as_str()
                )));
            }
            DecisionRequest {
                book_id: a.action.target.book_id.clone(),
                page: a.action.target.page,
                entry: a.action.target.entry,
                field: a.action.target.field.clone(),
                action: "undo".into(),
                supersedes: Some(a.id),
                pass: a.action.pass,
                ms: u.ms,
                ..DecisionRequest::default()
            }
        };
        record(s, &app, &req)
    })
    .await
}

/// Records a decision and answers with what it did to the entry.
fn record(s: &mut Session, app: &App, req: &DecisionRequest) -> ApiResult {
    let c = &app.config;
    match s.decide(&c.reviewer, c.role.as_str(), "web", req) {
        Ok(action) => {
            let key = PageKey {
                book_id: req.book_id.clone(),
                page: req.page,
            };
            let mut body = serde_json::json!({
                "action": {
                    "id": action.id,
                    "at": action.at,
                    "kind": action.action.kind.as_str(),
                    "value": action.action.value,
                    "pass": action.action.pass,
                },
            });
            // A keyer learns nothing of the entry (its findings may quote the other pass).
            if c.role != Role::Keyer {
                let latest = Latest::new(&s.actions);
                if let Some(e) = s.entry(&key, req.entry) {
                    body["entry"] = serde_json::json!({
                        "status": e.status.as_str(),
                        "findings": views::findings_view(&e.findings, &key, req.entry, &latest),
                    });
                }
                body["action"]["value_read"] = action.action.value_read.clone().into();
            }
            body["left"] = serde_json::json!({
                "fields_to_review": s.queue.fields.iter().filter(|i| !i.keying).count(),
                "fields_to_key": s.queue.fields.iter().filter(|i| i.keying).count(),
                "entries_to_check": s.queue.entries.len(),
            });
            Ok(ok(&body))
        }
        Err(DecideError::Refused(r)) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "refused",
            r.message_vi,
            r.message_en,
        )),
        Err(DecideError::Conflict(JournalError::Conflict { target, current })) => {
            let a = &current.action;
            let shown_value = if c.role == Role::Keyer {
                String::new()
            } else {
                a.value.clone()
            };
            Err(ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!(
                    "{} đã {} lúc {}{}: xem lại trước khi quyết định",
                    a.who,
                    action_vi(a.kind),
                    current.at,
                    quoted(&shown_value)
                ),
                format!(
                    "{} already {} this at {}{}: look again before deciding",
                    a.who,
                    action_en(a.kind),
                    current.at,
                    quoted(&shown_value)
                ),
            )
            .with(serde_json::json!({
                "target": target,
                "current": {
                    "id": current.id,
                    "at": current.at,
                    "who": a.who,
                    "role": a.role,
                    "kind": a.kind.as_str(),
                    "value": shown_value,
                },
            })))
        }
        Err(DecideError::Conflict(other)) | Err(DecideError::Journal(other)) => {
            Err(ApiError::internal(other.to_string()))
        }
        Err(DecideError::Invalid(m)) => Err(ApiError::bad_request(m)),
        Err(DecideError::Rebuild(e)) => Err(ApiError::internal(format!(
            "the decision was recorded, but the outputs could not be rebuilt: {e}"
        ))),
    }
}

fn quoted(v: &str) -> String {
    if v.is_empty() {
        String::new()
    } else {
        format!(" \"{v}\"")
    }
}

fn action_vi(k: ActionKind) -> &'static str {
    match k {
        ActionKind::Confirm => "xác nhận",
        ActionKind::Correct => "sửa",
        ActionKind::Illegible => "đánh dấu không đọc được",
        ActionKind::Keyed => "nhập",
        ActionKind::Undo => "hoàn tác",
        ActionKind::Same => "xác định trùng",
        ActionKind::Distinct => "xác định khác người",
        ActionKind::RejectEntry => "loại mục",
        _ => "quyết định",
    }
}

fn action_en(k: ActionKind) -> &'static str {
    match k {
        ActionKind::Confirm => "confirmed",
        ActionKind::Correct => "corrected",
        ActionKind::Illegible => "marked illegible",
        ActionKind::Keyed => "keyed",
        ActionKind::Undo => "undid",
        ActionKind::Same => "found the same person in",
        ActionKind::Distinct => "found different people in",
        ActionKind::RejectEntry => "rejected",
        _ => "decided",
    }
}

/// Normalises a typed value as a decision would, without recording it: the page shows the
/// value as it will be kept, or why it is refused, while the person types.
async fn check(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let mut req: DecisionRequest = json_body(&headers, &body)?;
    if !matches!(req.action.as_str(), "correct" | "keyed") {
        return Err(ApiError::bad_request(
            "check a value of action correct or keyed",
        ));
    }
    req.pass = 0;
    let a = app.clone();
    app.session
        .with(move |s| {
            let c = &a.config;
            match s.build_action(&c.reviewer, c.role.as_str(), "web", &req) {
                Ok(a) => Ok(ok(&serde_json::json!({ "value": a.value }))),
                Err(DecideError::Refused(r)) => Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "refused",
                    r.message_vi,
                    r.message_en,
                )),
                Err(e) => Err(ApiError::bad_request(e.to_string())),
            }
        })
        .await
}
