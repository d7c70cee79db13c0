//! Request extractors that turn malformed input into problem+json naming the field: JSON
//! bodies and query strings are parsed with serde_path_to_error, so `phases[1].starts_on:
//! input contains invalid characters` tells the caller exactly where to look.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use super::problem::Problem;

/// Largest JSON body the API accepts.
pub const JSON_LIMIT: usize = 256 * 1024;

pub struct ApiJson<T>(pub T);

fn path_of(path: &serde_path_to_error::Path) -> String {
    let p = path.to_string();
    if p == "." { "body".into() } else { p }
}

/// Serde's messages mention Rust types; say it in the terms of the API.
fn plain_message(message: &str) -> String {
    message
        .replace("struct ", "object ")
        .replace("a string", "text")
        .replace("NaiveDate", "date (YYYY-MM-DD)")
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::field(StatusCode::BAD_REQUEST, "malformed-json", "body", "a JSON object is required"));
    }
    if let Some(field) = field_with_nul(bytes) {
        return Err(Problem::from(&crate::app::AppError::invalid(&field, NUL_PROBLEM)));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = path_of(e.path());
        let inner = e.into_inner();
        let message = match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                format!("is not valid JSON: {inner}")
            }
            _ => plain_message(&inner.to_string()),
        };
        Problem::field(StatusCode::BAD_REQUEST, "malformed-json", &field, message)
    })
}

const NUL_PROBLEM: &str = "must not contain the NUL character (U+0000)";

/// The field of the first text in a JSON body that holds a NUL character, which no text we
/// keep may contain (PostgreSQL cannot even compare it). JSON must escape it as `\u0000`, so
/// only bodies with that escape (after an even run of backslashes) are walked.
fn field_with_nul(bytes: &[u8]) -> Option<String> {
    let escaped_nul = bytes.windows(6).enumerate().any(|(i, w)| {
        w == b"\\u0000" && bytes[..i].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 0
    });
    if !escaped_nul {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    fn walk(v: &serde_json::Value, path: String) -> Option<String> {
        let at = |p: &str| if p.is_empty() { "body".to_string() } else { p.to_string() };
        match v {
            serde_json::Value::String(s) if s.contains('\0') => Some(at(&path)),
            serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, x)| walk(x, format!("{path}[{i}]"))),
            serde_json::Value::Object(map) => map.iter().find_map(|(k, x)| {
                // A key is named with its NUL written as the JSON escape, so it can be found.
                let named = k.replace('\0', "\\u0000");
                let here = if path.is_empty() { named } else { format!("{path}.{named}") };
                if k.contains('\0') { Some(here) } else { walk(x, here) }
            }),
            _ => None,
        }
    }
    walk(&value, String::new())
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let essence = content_type.split(';').next().unwrap_or("").trim().to_string();
        let mut payload = payload.take();
        Box::pin(async move {
            if essence != "application/json" && !essence.ends_with("+json") {
                return Err(Problem::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported-media-type",
                    "send the body as JSON with Content-Type: application/json",
                ));
            }
            let body = read_limited(&mut payload, JSON_LIMIT, "body").await?;
            parse_json(&body).map(ApiJson)
        })
    }
}

/// Reads a whole body, stopping with a problem+json 413 naming `field` once it passes `limit`
/// (actix's own limit answers in plain text).
pub async fn read_limited(payload: &mut Payload, limit: usize, field: &str) -> Result<web::Bytes, Problem> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "bad-request", format!("could not read the body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(Problem::field(StatusCode::PAYLOAD_TOO_LARGE, "too-large", field, format!("is larger than the {} KiB limit", limit / 1024)));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequest for ApiQuery<T> {
    type Error = Problem;
    type Future = std::future::Ready<Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // A NUL can only arrive percent-encoded: the pairs are walked only then.
        let nul = req.query_string().contains("%00").then(|| form_urlencoded_parse(req.query_string()).find(|(k, v)| k.contains('\0') || v.contains('\0'))).flatten();
        if let Some((key, _)) = nul {
            return std::future::ready(Err(Problem::field(StatusCode::BAD_REQUEST, "bad-query", &key.replace('\0', ""), NUL_PROBLEM)));
        }
        let parsed = serde_urlencoded::Deserializer::new(form_urlencoded_parse(req.query_string()));
        let result = serde_path_to_error::deserialize(parsed).map(ApiQuery).map_err(|e| {
            let field = path_of(e.path());
            let message = plain_message(&e.into_inner().to_string());
            // serde names the unknown field inside its message; the path is then the root.
            Problem::field(StatusCode::BAD_REQUEST, "bad-query", if field == "body" { "query" } else { &field }, message)
        });
        std::future::ready(result)
    }
}

fn form_urlencoded_parse(q: &str) -> url::form_urlencoded::Parse<'_> {
    url::form_urlencoded::parse(q.as_bytes())
}

/// No resource's address holds a NUL character: such a path is answered 404 before a handler
/// looks it up (PostgreSQL cannot even compare text containing it).
pub async fn refuse_nul_in_path(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    if req.uri().path().contains("%00") {
        let res = Problem::new(StatusCode::NOT_FOUND, "not-found", "no such resource: the address holds a NUL character").response();
        return Ok(req.into_response(res).map_into_boxed_body());
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Path segments that fail to parse (a malformed id) are 404s in problem form.
pub fn path_error(err: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    Problem::new(StatusCode::NOT_FOUND, "not-found", format!("no such resource: {err}")).into()
}

#[cfg(test)]
mod tests {
    use super::field_with_nul;

    #[test]
    fn a_nul_character_is_found_and_named_wherever_it_hides() {
        assert_eq!(field_with_nul(br#"{"topics": ["ok", "a\u0000b"]}"#).as_deref(), Some("topics[1]"));
        assert_eq!(field_with_nul(br#"{"title": {"en": "x\u0000"}}"#).as_deref(), Some("title.en"));
        assert_eq!(field_with_nul(br#"{"title": {"e\u0000n": "x"}}"#).as_deref(), Some(r"title.e\u0000n"));
        assert_eq!(field_with_nul(br#""\u0000""#).as_deref(), Some("body"));
        // An escaped backslash followed by the letters u0000 is plain text.
        assert_eq!(field_with_nul(br#"{"title": "C:\\u0000"}"#), None);
        assert_eq!(field_with_nul(br#"{"title": "plain"}"#), None);
    }
}
