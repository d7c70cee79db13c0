//! The person's rights over their data: downloading everything held about them, and deleting
//! their account. Deleting is asked for here while signed in and confirmed by a link emailed
//! to the account's address; the page that link opens asks again with one button, since mail
//! scanners follow links.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::account::signed_in;
use super::account_forms;
use super::i18n::UiLang;
use super::page::{Chrome, OrPage, PageCtx, PagePost, PageResult, TokenPost};
use super::signin::Empty;
use crate::app::{AppError, account_deletion, my_data};
use crate::http::auth::cleared_cookies;

#[derive(Template)]
#[template(path = "account_data.html")]
struct DataPage {
    c: Chrome,
}

/// GET /account/data: what the file holds, and the button that downloads it.
pub async fn data(pc: PageCtx) -> PageResult {
    signed_in(&pc)?;
    let page = DataPage { c: pc.chrome(pc.tr.t("account-data-title")) };
    Ok(pc.render(&page))
}

/// GET /account/data/download: the JSON document, as an attachment.
pub async fn download(pc: PageCtx) -> PageResult {
    let viewer = signed_in(&pc)?;
    let file = my_data::export(&pc.app, &viewer).await.or_page(&pc)?;
    let res = HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", file.filename)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(file.stream);
    Ok(pc.send(res))
}

#[derive(Template)]
#[template(path = "account_delete.html")]
struct DeletePage {
    c: Chrome,
    /// Why the account may not be deleted now, in the reader's words, and the app's own
    /// (English) details for English readers.
    blocked: Option<(String, Option<String>)>,
}

fn blocked_words(pc: &PageCtx, why: String) -> (String, Option<String>) {
    (pc.tr.t("account-delete-blocked"), (pc.tr.lang == UiLang::En).then_some(why))
}

/// GET /account/delete: what deleting does, and the button that emails the confirmation link.
pub async fn delete(pc: PageCtx) -> PageResult {
    let viewer = signed_in(&pc)?;
    let blocked = account_deletion::blocked(&pc.app, &viewer).await.or_page(&pc)?.map(|why| blocked_words(&pc, why));
    let page = DeletePage { c: pc.chrome(pc.tr.t("account-delete-title")), blocked };
    Ok(pc.render(&page))
}

/// POST /account/delete: emails the link that confirms the deletion.
pub async fn request_deletion(post: PagePost<Empty>) -> PageResult {
    let PagePost { pc, .. } = post;
    let viewer = signed_in(&pc)?;
    match account_deletion::request(&pc.app, &viewer).await {
        Ok(_) => Ok(pc.redirect("/account/delete/sent")),
        // Someone's role changed since the page was shown: say why, as the page would.
        Err(AppError::Conflict(problem)) => {
            let page = DeletePage { c: pc.chrome(pc.tr.t("account-delete-title")), blocked: Some(blocked_words(&pc, problem.problem)) };
            Ok(pc.render_status(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(pc.fail(e)),
    }
}

/// GET /account/delete/sent: check your email.
pub async fn deletion_sent(pc: PageCtx) -> PageResult {
    let tr = pc.tr;
    let minutes = pc.app.settings.auth.magic_link_minutes;
    Ok(account_forms::message(
        &pc,
        StatusCode::OK,
        tr.t("account-delete-sent-title"),
        vec![tr.t("account-delete-sent-body"), tr.n("signin-sent-expiry", "minutes", minutes), tr.t("account-delete-sent-nothing")],
        vec![("/account".into(), tr.t("account-delete-back"))],
    ))
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

#[derive(Template)]
#[template(path = "account_delete_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    token: String,
}

/// GET /account/delete/confirm?token=...: where the emailed link lands. It deletes nothing;
/// one button does.
pub async fn confirm_landing(pc: PageCtx, q: web::Query<TokenQuery>) -> PageResult {
    let token = q.token.clone().unwrap_or_default();
    match account_deletion::check(&pc.app, token.trim()).await {
        Ok(_) => {
            let page = ConfirmPage { c: pc.chrome(pc.tr.t("account-delete-confirm-title")), token };
            Ok(pc.render(&page))
        }
        Err(e) => link_refused(&pc, e),
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    token: String,
}

/// POST /account/delete/confirm: deletes the account and signs this browser out.
///
/// Like the sign-in link's button ([`TokenPost`]), the single-use token from the email is the
/// authority: the email may be opened on a device with no session and no cookie of ours, so
/// the form token is not required. A post the browser says another site sent is refused all
/// the same.
pub async fn confirm(post: TokenPost<ConfirmForm>) -> PageResult {
    let TokenPost { mut pc, form } = post;
    match account_deletion::confirm(&pc.app, form.token.trim()).await {
        Ok(_) => {
            for c in cleared_cookies() {
                pc.set_cookie(c);
            }
            Ok(pc.redirect("/account/deleted"))
        }
        Err(AppError::Conflict(problem)) => {
            let tr = pc.tr;
            let (words, detail) = blocked_words(&pc, problem.problem);
            let mut paragraphs = vec![words];
            paragraphs.extend(detail);
            Ok(account_forms::message(&pc, StatusCode::CONFLICT, tr.t("account-delete-not-now"), paragraphs, vec![("/account".into(), tr.t("account-delete-back"))]))
        }
        Err(e) => link_refused(&pc, e),
    }
}

/// A deletion link that cannot be used: not whole, used already, expired, or its account
/// already deleted.
fn link_refused(pc: &PageCtx, e: AppError) -> PageResult {
    if !matches!(e, AppError::BadRequest(_) | AppError::Gone(_) | AppError::Invalid(_)) {
        return Err(pc.fail(e));
    }
    let tr = pc.tr;
    let status = actix_web::ResponseError::status_code(&e);
    Ok(account_forms::message(
        pc,
        status,
        tr.t("account-delete-link-refused-title"),
        vec![tr.t("account-delete-link-refused-body")],
        vec![("/account/delete".into(), tr.t("account-delete-link-refused-new"))],
    ))
}

/// GET /account/deleted: done.
pub async fn deleted(pc: PageCtx) -> PageResult {
    let tr = pc.tr;
    Ok(account_forms::message(
        &pc,
        StatusCode::OK,
        tr.t("account-deleted-title"),
        vec![tr.t("account-deleted-body"), tr.t("account-deleted-contributions")],
        vec![("/".into(), tr.t("error-home"))],
    ))
}
