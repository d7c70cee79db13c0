//! The page an email's unsubscribe link opens. Following the link shows one button rather
//! than unsubscribing on GET, because mail scanners follow links; the button, and mail
//! clients that offer their own (`List-Unsubscribe-Post`, RFC 8058), POST to the same
//! address. The token in the link is all it takes: no sign-in, no cookie, no form token.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::account_forms;
use super::page::{Chrome, PageCtx, PageResult};
use crate::app::{AppError, notifications};

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    c: Chrome,
    action: String,
}

/// GET /unsubscribe?token=...: asks to confirm with a button.
pub async fn landing(pc: PageCtx, q: web::Query<TokenQuery>) -> PageResult {
    let token = q.token.clone().unwrap_or_default();
    if let Err(e) = notifications::unsubscribe_target(&pc.app, &token) {
        return refused(&pc, e);
    }
    let action = format!("/unsubscribe?token={}", url::form_urlencoded::byte_serialize(token.as_bytes()).collect::<String>());
    let page = UnsubscribePage { c: pc.chrome(pc.tr.t("unsubscribe-title")), action };
    Ok(pc.render(&page))
}

/// POST /unsubscribe?token=...: the page's button, or a mail client's one-click POST
/// (`List-Unsubscribe=One-Click` in the body, RFC 8058). A mail client posts from no page of
/// ours, with no cookie and no form token, so neither is asked for: the token in the address,
/// a MAC only this instance can make, is the authority, and all it can do is stop emails.
/// `PageCtx` on a POST never counts the session cookie, and the body is not read.
pub async fn submit(pc: PageCtx, q: web::Query<TokenQuery>) -> PageResult {
    if let Err(e) = notifications::unsubscribe(&pc.app, q.token.as_deref().unwrap_or_default()).await {
        return refused(&pc, e);
    }
    let tr = pc.tr;
    Ok(account_forms::message(
        &pc,
        StatusCode::OK,
        tr.t("unsubscribe-done-title"),
        vec![tr.a1("unsubscribe-done-body", "instance", pc.app.settings.instance.name.as_str()), tr.t("unsubscribe-done-still")],
        vec![("/account#emails-heading".to_string(), tr.t("unsubscribe-settings"))],
    ))
}

/// A link that is not one of ours (cut short when copied, say): a page that says so.
fn refused(pc: &PageCtx, e: AppError) -> PageResult {
    if !matches!(e, AppError::BadRequest(_)) {
        return Err(pc.fail(e));
    }
    let tr = pc.tr;
    Ok(account_forms::message(
        pc,
        StatusCode::BAD_REQUEST,
        tr.t("unsubscribe-refused-title"),
        vec![tr.t("unsubscribe-refused-body")],
        vec![("/account#emails-heading".to_string(), tr.t("unsubscribe-settings"))],
    ))
}
