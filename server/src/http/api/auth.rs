//! Sign-up and sign-in.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::Ctx;
use crate::app::accounts::{self, PasswordLogin, SignupAccepted, SignupInput, TokenPair};
use crate::app::AppError;
use crate::http::auth::Authenticated;
use crate::http::client_addr::ClientAddr;
use crate::http::extract::{ApiJson, ApiQuery};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/auth")
            .route("/signup", web::post().to(signup))
            .route("/magic-link", web::post().to(request_link))
            .route("/magic-link/consume", web::post().to(consume_link))
            .route("/login", web::post().to(login))
            .route("/refresh", web::post().to(refresh))
            .route("/logout", web::post().to(logout)),
    );
}

/// Creates an account and emails a sign-in link that also confirms the address. If the
/// address already has an account, its owner is emailed a sign-in link instead; the answer is
/// the same either way, so sign-up does not reveal who has an account.
#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "auth", request_body = SignupInput,
    responses((status = 202, body = SignupAccepted, description = "the same answer whether or not the address has an account")))]
pub async fn signup(ctx: Ctx, ClientAddr(client): ClientAddr, ApiJson(input): ApiJson<SignupInput>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Accepted().json(accounts::signup(&ctx, &client, input).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailOnly {
    #[schema(format = Email)]
    pub email: String,
}

/// Emails a sign-in link if the address has an account. Answers 202 either way, in the same
/// time, so it cannot be used to find out who has an account.
#[utoipa::path(post, path = "/api/v1/auth/magic-link", tag = "auth", request_body = EmailOnly,
    responses((status = 202, description = "accepted; a link is emailed if the address has an account")))]
pub async fn request_link(ctx: Ctx, ClientAddr(client): ClientAddr, ApiJson(input): ApiJson<EmailOnly>) -> Result<HttpResponse, AppError> {
    accounts::request_login_link(&ctx, &client, &input.email).await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenOnly {
    /// The `token` parameter of the link in the email.
    pub token: String,
}

/// Trades the token from a sign-in link for an access and a refresh token. Each link works once.
#[utoipa::path(post, path = "/api/v1/auth/magic-link/consume", tag = "auth", request_body = TokenOnly,
    responses((status = 200, body = TokenPair), (status = 410, description = "used or expired")))]
pub async fn consume_link(ctx: Ctx, ApiJson(input): ApiJson<TokenOnly>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(accounts::consume_magic_link(&ctx, &input.token).await?))
}

/// Signs in with email and password. After repeated failures for an address or from a
/// client, the next attempt must wait (429 with Retry-After), longer after each failure.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = PasswordLogin,
    responses((status = 200, body = TokenPair), (status = 401, description = "wrong email or password, or an address not confirmed yet (the same answer)")))]
pub async fn login(ctx: Ctx, ClientAddr(client): ClientAddr, ApiJson(input): ApiJson<PasswordLogin>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(accounts::login_with_password(&ctx, &client, input).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshInput {
    pub refresh_token: String,
}

/// Trades a refresh token for a new pair. Each refresh token works once; reusing one ends the
/// session.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshInput,
    responses((status = 200, body = TokenPair), (status = 401, description = "unknown, used or expired refresh token")))]
pub async fn refresh(ctx: Ctx, ApiJson(input): ApiJson<RefreshInput>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(accounts::refresh(&ctx, &input.refresh_token).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LogoutParams {
    /// End every session of the account, not just this one.
    pub everywhere: Option<bool>,
}

/// Ends the session; its access and refresh tokens stop working at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", params(LogoutParams), security(("bearer" = [])),
    responses((status = 204, description = "signed out")))]
pub async fn logout(ctx: Ctx, Authenticated(viewer): Authenticated, ApiQuery(p): ApiQuery<LogoutParams>) -> Result<HttpResponse, AppError> {
    accounts::logout(&ctx, &viewer, p.everywhere.unwrap_or(false)).await?;
    let mut res = HttpResponse::NoContent();
    for c in crate::http::auth::cleared_cookies() {
        res.cookie(c);
    }
    Ok(res.finish())
}
