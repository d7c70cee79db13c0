//! The signed-in person's email choices.

use actix_web::{HttpResponse, web};

use super::Ctx;
use crate::app::AppError;
use crate::app::notifications::{self, NotificationSettings, NotificationSettingsPatch};
use crate::http::auth::Authenticated;
use crate::http::extract::ApiJson;

/// Routes, not a scope: registered before the `/me` scope, which would swallow them.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/notifications", web::get().to(settings)).route("/me/notifications", web::patch().to(update_settings));
}

/// Which emails you get: activity notifications can be turned off (also by the unsubscribe
/// link in each of them) and on again.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = NotificationSettings)))]
pub async fn settings(ctx: Ctx, Authenticated(viewer): Authenticated) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(notifications::settings(&ctx, &viewer).await?))
}

#[utoipa::path(patch, path = "/api/v1/me/notifications", tag = "accounts", request_body = NotificationSettingsPatch, security(("bearer" = [])),
    responses((status = 200, body = NotificationSettings)))]
pub async fn update_settings(ctx: Ctx, Authenticated(viewer): Authenticated, ApiJson(patch): ApiJson<NotificationSettingsPatch>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(notifications::update_settings(&ctx, &viewer, patch).await?))
}
