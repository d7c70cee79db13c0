//! Request extractors that turn malformed input into problem+json naming the field: JSON
//! bodies and query strings are parsed with serde_path_to_error, so `phases[1].starts_on:
//! input contains invalid characters` tells the caller exactly where to look.

use std::future::Future;
use std::pin::Pin;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
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
    reject_nul_in_json(bytes)?;
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

/// PostgreSQL cannot store U+0000 in text or JSON (SQLite can), so a NUL anywhere in the input
/// would pass validation and fail at the database as a 500. JSON can only carry it escaped, so
/// bodies without the escape skip the walk that names the field.
fn reject_nul_in_json(bytes: &[u8]) -> Result<(), Problem> {
    if !bytes.windows(6).any(|w| w == b"\\u0000") {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else { return Ok(()) };
    match nul_path(&value, "") {
        Some(field) => Err(nul_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation", if field.is_empty() { "body" } else { &field })),
        None => Ok(()),
    }
}

/// The path (`a.b[2]`) of the first string or key holding U+0000, in the notation of the
/// field errors.
fn nul_path(value: &serde_json::Value, here: &str) -> Option<String> {
    let join = |key: &str| if here.is_empty() { key.to_string() } else { format!("{here}.{key}") };
    match value {
        serde_json::Value::String(s) => s.contains('\0').then(|| here.to_string()),
        serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| nul_path(v, &format!("{here}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| if k.contains('\0') { Some(join(&k.replace('\0', "\\u0000"))) } else { nul_path(v, &join(k)) }),
        _ => None,
    }
}

fn nul_problem(status: StatusCode, kind: &str, field: &str) -> Problem {
    Problem::field(status, kind, field, "must not contain the NUL character (U+0000)")
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

/// A raw body (a census file, a plugin component) of at most `LIMIT` bytes, with the content
/// type checked by the handler.
pub struct LimitedBody<const LIMIT: usize>(pub web::Bytes);

impl<const LIMIT: usize> FromRequest for LimitedBody<LIMIT> {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(_req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let mut payload = payload.take();
        Box::pin(async move { read_limited(&mut payload, LIMIT, "body").await.map(LimitedBody) })
    }
}

pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequest for ApiQuery<T> {
    type Error = Problem;
    type Future = std::future::Ready<Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // As for JSON bodies: PostgreSQL would refuse the value with a 500.
        if let Some((name, _)) = form_urlencoded_parse(req.query_string()).find(|(k, v)| k.contains('\0') || v.contains('\0')) {
            return std::future::ready(Err(nul_problem(StatusCode::BAD_REQUEST, "bad-query", &name.replace('\0', "\\u0000"))));
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

/// A path holding an encoded NUL names nothing that can exist, and PostgreSQL cannot even
/// compare with it (it would answer 500): 404 before any handler runs.
pub fn reject_nul_in_path<S, B>(req: ServiceRequest, srv: &S) -> LocalBoxFuture<'static, Result<ServiceResponse<EitherBody<B>>, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    // The raw path, still percent-encoded: `%00` is the only way a NUL gets into it.
    if req.path().to_ascii_lowercase().contains("%00") {
        let res = Problem::new(StatusCode::NOT_FOUND, "not-found", "nothing here: the path holds a NUL character").response();
        return Box::pin(async move { Ok(req.into_response(res).map_into_right_body()) });
    }
    let fut = srv.call(req);
    Box::pin(async move { Ok(fut.await?.map_into_left_body()) })
}

/// Path segments that fail to parse (a malformed id) are 404s in problem form.
pub fn path_error(err: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    Problem::new(StatusCode::NOT_FOUND, "not-found", format!("no such resource: {err}")).into()
}
