//! Federation in the API: following a process from another instance, and the administrators'
//! view of followers, failed deliveries and blocked instances.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::Ctx;
use crate::app::AppError;
use crate::app::federation::admin::{self, BlockedInstance, FederationOverview, NewBlock};
use crate::app::federation::discovery::{self, RemoteFollow};
use crate::http::auth::Authenticated;
use crate::http::extract::ApiJson;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/processes/{key}/remote-follow", web::post().to(remote_follow))
        .route("/admin/federation", web::get().to(overview))
        .route("/admin/federation/blocks", web::post().to(block))
        .route("/admin/federation/blocks/{instance}", web::delete().to(unblock));
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoteFollowInput {
    /// The person's address on their own instance, such as `@ana@social.example`.
    pub handle: String,
}

/// Where to follow a public process from one's own instance: asks that instance (WebFinger)
/// for its follow page and returns it with the process's actor filled in.
#[utoipa::path(post, path = "/api/v1/processes/{key}/remote-follow", tag = "federation",
    params(("key" = String, Path, description = "Process slug or id")),
    request_body = RemoteFollowInput,
    responses((status = 200, body = RemoteFollow), (status = 404, description = "no such public process, or federation is off"),
              (status = 422, description = "the handle is not an address, or its instance cannot be asked")))]
pub async fn remote_follow(ctx: Ctx, key: web::Path<String>, ApiJson(input): ApiJson<RemoteFollowInput>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(discovery::remote_follow(&ctx, &key, &input.handle).await?))
}

/// Followers of each process, deliveries given up, blocked instances.
#[utoipa::path(get, path = "/api/v1/admin/federation", tag = "federation", security(("bearer" = [])),
    responses((status = 200, body = FederationOverview), (status = 403, description = "not an instance administrator")))]
pub async fn overview(ctx: Ctx, Authenticated(viewer): Authenticated) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(admin::overview(&ctx, &viewer).await?))
}

/// Blocks an instance: nothing is fetched from or sent to it, its activities get 403, its
/// actors stop following processes here.
#[utoipa::path(post, path = "/api/v1/admin/federation/blocks", tag = "federation", security(("bearer" = [])),
    request_body = NewBlock,
    responses((status = 201, body = BlockedInstance), (status = 403, description = "not an instance administrator"),
              (status = 422, description = "not an instance name")))]
pub async fn block(ctx: Ctx, Authenticated(viewer): Authenticated, ApiJson(input): ApiJson<NewBlock>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(admin::block(&ctx, &viewer, input).await?))
}

/// Lifts a block.
#[utoipa::path(delete, path = "/api/v1/admin/federation/blocks/{instance}", tag = "federation", security(("bearer" = [])),
    params(("instance" = String, Path, description = "host or host:port")),
    responses((status = 204), (status = 403, description = "not an instance administrator"), (status = 404, description = "not blocked")))]
pub async fn unblock(ctx: Ctx, Authenticated(viewer): Authenticated, instance: web::Path<String>) -> Result<HttpResponse, AppError> {
    admin::unblock(&ctx, &viewer, &instance).await?;
    Ok(HttpResponse::NoContent().finish())
}
