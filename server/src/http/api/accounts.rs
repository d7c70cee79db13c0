//! The signed-in person's own account.

use actix_web::{HttpResponse, web};

use super::Ctx;
use super::auth::TokenOnly;
use crate::app::account_deletion::{self, AccountDeleted, DeletionRequested};
use crate::app::accounts::{self, AccountPatch, AccountView, PasswordChange};
use crate::app::census::{self, ClaimInput};
use crate::app::my_data::{self, MyData};
use crate::app::AppError;
use crate::http::auth::Authenticated;
use crate::http::extract::ApiJson;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/me")
            .route("", web::get().to(me))
            .route("", web::patch().to(update_me))
            .route("/password", web::put().to(set_password))
            .route("/attributes/claim", web::post().to(claim_attribute))
            .route("/export", web::get().to(export))
            .route("/deletion", web::post().to(request_deletion))
            .route("/deletion/confirm", web::post().to(confirm_deletion)),
    );
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = AccountView)))]
pub async fn me(ctx: Ctx, Authenticated(viewer): Authenticated) -> Result<HttpResponse, AppError> {
    let account = accounts::get(&ctx, viewer.account_id).await?;
    Ok(HttpResponse::Ok().json(accounts::view(&ctx, account).await?))
}

#[utoipa::path(patch, path = "/api/v1/me", tag = "accounts", request_body = AccountPatch, security(("bearer" = [])),
    responses((status = 200, body = AccountView)))]
pub async fn update_me(ctx: Ctx, Authenticated(viewer): Authenticated, ApiJson(patch): ApiJson<AccountPatch>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(accounts::update_me(&ctx, &viewer, patch).await?))
}

/// Sets or changes the password (optional: sign-in by email link always works).
#[utoipa::path(put, path = "/api/v1/me/password", tag = "accounts", request_body = PasswordChange, security(("bearer" = [])),
    responses((status = 204, description = "password set")))]
pub async fn set_password(ctx: Ctx, Authenticated(viewer): Authenticated, ApiJson(input): ApiJson<PasswordChange>) -> Result<HttpResponse, AppError> {
    accounts::set_password(&ctx, &viewer, input).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Claims a verified attribute (e.g. `resident`) by giving an identifier from the census.
#[utoipa::path(post, path = "/api/v1/me/attributes/claim", tag = "accounts", request_body = ClaimInput, security(("bearer" = [])),
    responses((status = 200, body = AccountView), (status = 409, description = "the identifier is already claimed by another account")))]
pub async fn claim_attribute(ctx: Ctx, Authenticated(viewer): Authenticated, ApiJson(input): ApiJson<ClaimInput>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(census::claim(&ctx, &viewer, input).await?))
}

/// Everything this instance holds about you, as one JSON document to keep: your account and
/// settings, sessions (never their tokens), memberships, every contribution you made or that
/// was entered for you in any process (withdrawn and hidden ones too) with the responses to
/// them, your reports, the emails sent to you, and what you did as staff. Nobody else's data
/// is in it.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, content_type = "application/json", body = MyData, description = "the document, as a download",
        headers(("Content-Disposition" = String, description = "`attachment; filename=\"convene-my-data-YYYY-MM-DD.json\"`")))))]
pub async fn export(ctx: Ctx, Authenticated(viewer): Authenticated) -> Result<HttpResponse, AppError> {
    let download = my_data::export(&ctx, &viewer).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{}\"", download.filename)))
        .insert_header(("Cache-Control", "no-store"))
        .streaming(download.stream))
}

/// Asks to delete your account: emails you a link to confirm it (it works once and expires
/// like a sign-in link). Nothing is deleted until the link is confirmed
/// (`POST /api/v1/me/deletion/confirm`).
#[utoipa::path(post, path = "/api/v1/me/deletion", tag = "accounts", security(("bearer" = [])),
    responses((status = 202, body = DeletionRequested, description = "the confirmation email is on its way"),
        (status = 409, description = "you are the instance's only administrator or a process's last organiser: hand the role over first")))]
pub async fn request_deletion(ctx: Ctx, Authenticated(viewer): Authenticated) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Accepted().json(account_deletion::request(&ctx, &viewer).await?))
}

/// Deletes the account the emailed link was made for; the link's token alone authorises it,
/// from any device. Your contributions stay in their processes, no longer linked to you;
/// everything else about you is deleted and you are signed out everywhere.
#[utoipa::path(post, path = "/api/v1/me/deletion/confirm", tag = "accounts", request_body = TokenOnly,
    responses((status = 200, body = AccountDeleted),
        (status = 409, description = "the account is the instance's only administrator or a process's last organiser"),
        (status = 410, description = "the link was used or has expired")))]
pub async fn confirm_deletion(ctx: Ctx, ApiJson(input): ApiJson<TokenOnly>) -> Result<HttpResponse, AppError> {
    let deleted = account_deletion::confirm(&ctx, &input.token).await?;
    let mut res = HttpResponse::Ok();
    // This browser's session cookies go too (the sessions themselves are deleted).
    for c in crate::http::auth::cleared_cookies() {
        res.cookie(c);
    }
    Ok(res.json(deleted))
}
