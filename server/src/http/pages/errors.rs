//! Error pages in plain words. They name nothing internal: a plugin's failure is "this activity
//! is unavailable right now", a server error gives the request id to quote to the organisers.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::page::{Chrome, PageCtx, PageError};
use crate::app::AppError;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    heading: String,
    body: String,
    request_id: Option<String>,
    sign_in: bool,
}

/// The page for an error of the app layer.
pub fn page_for(pc: &PageCtx, e: AppError) -> PageError {
    let status = actix_web::ResponseError::status_code(&e);
    if status == StatusCode::UNAUTHORIZED {
        // Reading something that needs an account: sign in, then come back here.
        let to = format!("/signin?next={}", url::form_urlencoded::byte_serialize(pc.here.as_bytes()).collect::<String>());
        return pc.error_response(HttpResponse::SeeOther().insert_header((header::LOCATION, to)).finish());
    }
    if status.is_server_error() && !matches!(e, AppError::Plugin { .. } | AppError::Unavailable(_)) {
        tracing::error!(error = %e, request_id = %pc.request_id, "a page failed");
    }
    // The app's own words about what was not allowed are safe and useful, but written in
    // English only: other readers get the translated explanation alone.
    let detail = match &e {
        AppError::Forbidden(why) | AppError::Gone(why) if pc.tr.lang == super::i18n::UiLang::En => Some(why.clone()),
        _ => None,
    };
    let mut res = render(pc, status, detail);
    if let AppError::TooManyRequests { retry_after, .. } = &e {
        res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(*retry_after));
    }
    pc.error_response(res)
}

/// A page for a bare status (a refused form post, a body too large).
pub fn status_page(pc: PageCtx, status: StatusCode) -> PageError {
    let res = render(&pc, status, None);
    pc.into_error(res)
}

fn render(pc: &PageCtx, status: StatusCode, detail: Option<String>) -> HttpResponse {
    let tr = pc.tr;
    let (heading, body) = match status.as_u16() {
        404 | 410 => (tr.t("error-404-heading"), tr.t("error-404-body")),
        403 => (tr.t("error-403-heading"), tr.t("error-403-body")),
        400 | 413 | 422 => (tr.t("error-400-heading"), tr.t("error-400-body")),
        429 => (tr.t("error-429-heading"), tr.t("error-429-body")),
        502 => (tr.t("error-502-heading"), tr.t("error-502-body")),
        503 => (tr.t("error-503-heading"), tr.t("error-503-body")),
        _ => (tr.t("error-500-heading"), tr.t("error-500-body")),
    };
    let body = match detail {
        Some(d) if status == StatusCode::FORBIDDEN || status == StatusCode::GONE => format!("{body} {d}"),
        _ => body,
    };
    let page = ErrorPage {
        c: pc.chrome(heading.clone()),
        heading,
        body,
        request_id: status.is_server_error().then(|| pc.request_id.clone()),
        sign_in: status == StatusCode::FORBIDDEN && pc.person.is_none(),
    };
    let mut res = pc.render_status(status, &page);
    if status == StatusCode::FORBIDDEN || status.is_server_error() {
        res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    }
    res
}

/// Unknown paths outside the API: a 404 page for browsers.
pub async fn not_found(pc: PageCtx) -> HttpResponse {
    render(&pc, StatusCode::NOT_FOUND, None)
}

/// Whether a request for an unknown path should get a page rather than problem+json.
pub fn wants_page(req: &HttpRequest) -> bool {
    !req.path().starts_with("/api/")
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
}
