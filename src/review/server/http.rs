//! Answers of the API: JSON whose text can never be taken for markup, and errors with a status
//! and a message in Vietnamese and English.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// JSON with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`: the same JSON to a
/// parser, but no value in it ever reads as markup, whatever a browser or a proxy does with
/// it. (These characters occur only inside JSON strings, so the replacement stays valid JSON.)
pub fn json_text<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let raw = serde_json::to_vec(value).unwrap_or_else(|e| {
        format!("{{\"error\":\"internal\",\"message_en\":\"cannot write the answer: {e}\"}}")
            .into_bytes()
    });
    let mut out = Vec::with_capacity(raw.len() + 16);
    for b in raw {
        match b {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            _ => out.push(b),
        }
    }
    out
}

pub fn json<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    let mut r = (status, json_text(value)).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub fn ok<T: Serialize + ?Sized>(value: &T) -> Response {
    json(StatusCode::OK, value)
}

/// An error answer: `{"error": kind, "message_vi", "message_en", ...extra}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message_vi: String,
    pub message_en: String,
    pub extra: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        kind: &'static str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            kind,
            message_vi: vi.into(),
            message_en: en.into(),
            extra: None,
        }
    }

    /// A malformed request: nothing was recorded.
    pub fn bad_request(en: impl Into<String>) -> Self {
        let en = en.into();
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("Yêu cầu không hợp lệ, không ghi nhận gì: {en}"),
            format!("Malformed request, nothing was recorded: {en}"),
        )
    }

    pub fn not_found(en: impl Into<String>) -> Self {
        let en = en.into();
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("Không tìm thấy: {en}"),
            format!("Not found: {en}"),
        )
    }

    pub fn forbidden(vi: impl Into<String>, en: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", vi, en)
    }

    pub fn internal(en: impl Into<String>) -> Self {
        let en = en.into();
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("Lỗi máy chủ: {en}"),
            en,
        )
    }

    pub fn with(mut self, extra: serde_json::Value) -> Self {
        self.extra = Some(extra);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({
            "error": self.kind,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        });
        if let (Some(serde_json::Value::Object(extra)), serde_json::Value::Object(b)) =
            (self.extra, &mut body)
        {
            b.extend(extra);
        }
        json(self.status, &body)
    }
}

pub type ApiResult = Result<Response, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_values_never_reaches_the_answer_as_markup() {
        let v = serde_json::json!({"value": "<img src=x onerror=alert(1)> & co"});
        let text = String::from_utf8(json_text(&v)).unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
