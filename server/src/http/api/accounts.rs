//! The signed-in person's own account.

use actix_web::{HttpResponse, web};

use super::Ctx;
use crate::app::accounts::{self, AccountPatch, AccountView, PasswordChange};
use crate::app::census::{self, ClaimInput};
use crate::app::AppError;
use crate::http::auth::Authenticated;
use crate::http::extract::ApiJson;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/me")
            .route("", web::get().to(me))
            .route("", web::patch().to(update_me))
            .route("/password", web::put().to(set_password))
            .route("/attributes/claim", web::post().to(claim_attribute)),
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
