//! Federation in the API: following a process from another instance, and the administrators'
//! view of followers, failed deliveries and blocked instances.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::Ctx;
use crate::app::AppError;
use crate::app::federation::admin::{self, BlockedInstance, FederationOverview, NewBlock};
use crate::app::federation::discovery::{self, RemoteFollow};
use crate::app::federation::remote::{self, LinkView, NewLink, RemoteContributionRequest, SentView};
use crate::http::auth::MaybeViewer;
use crate::http::auth::Authenticated;
use crate::http::extract::ApiJson;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/processes/{key}/remote-follow", web::post().to(remote_follow))
        .route("/processes/{key}/link", web::get().to(get_link))
        .route("/processes/{key}/link", web::put().to(link))
        .route("/processes/{key}/link", web::delete().to(unlink))
        .route("/federation/contributions", web::post().to(contribute_elsewhere))
        .route("/me/remote-input", web::get().to(my_remote_input))
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
    responses((status = 204), (status = 403, description = "not an instance administrator"), (status = 404, description = "not blocked"),
              (status = 422, description = "`instance` is not an instance's name, such as social.example")))]
pub async fn unblock(ctx: Ctx, Authenticated(viewer): Authenticated, instance: web::Path<String>) -> Result<HttpResponse, AppError> {
    admin::unblock(&ctx, &viewer, &instance).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sends a contribution to an activity on another instance, as the signed-in person. Sent at
/// once: what the other instance refuses comes back as its errors (field errors under their
/// names there); when it cannot be reached the contribution is queued (`status: sending`).
#[utoipa::path(post, path = "/api/v1/federation/contributions", tag = "federation", security(("bearer" = [])),
    request_body = RemoteContributionRequest,
    responses((status = 201, body = SentView), (status = 401, description = "not signed in"),
              (status = 422, description = "the activity cannot be read, or the other instance refused the contribution")))]
pub async fn contribute_elsewhere(ctx: Ctx, Authenticated(viewer): Authenticated, ApiJson(input): ApiJson<RemoteContributionRequest>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(remote::contribute(&ctx, &viewer, input).await?))
}

/// What the signed-in person sent to other instances, and what came of it.
#[utoipa::path(get, path = "/api/v1/me/remote-input", tag = "federation", security(("bearer" = [])),
    responses((status = 200, body = Vec<SentView>), (status = 401, description = "not signed in")))]
pub async fn my_remote_input(ctx: Ctx, Authenticated(viewer): Authenticated) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(remote::mine(&ctx, &viewer).await?))
}

/// The activity on another instance this process reports to, and the reports sent there.
#[utoipa::path(get, path = "/api/v1/processes/{key}/link", tag = "federation",
    params(("key" = String, Path, description = "Process slug or id")),
    responses((status = 200, body = LinkView), (status = 404, description = "no such process, or it is not linked")))]
pub async fn get_link(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let link = remote::get_link(&ctx, viewer.as_ref(), &key).await?.ok_or(AppError::NotFound("link"))?;
    Ok(HttpResponse::Ok().json(link))
}

/// Links the process as a child of an activity on another instance (of type "Reports from
/// linked processes"): each version of its outcome is then sent there as a report.
#[utoipa::path(put, path = "/api/v1/processes/{key}/link", tag = "federation", security(("bearer" = [])),
    params(("key" = String, Path, description = "Process slug or id")),
    request_body = NewLink,
    responses((status = 200, body = LinkView), (status = 403, description = "not an organiser"),
              (status = 409, description = "the process is not published and public"),
              (status = 422, description = "the activity cannot be read or takes no reports")))]
pub async fn link(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>, ApiJson(input): ApiJson<NewLink>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(remote::link(&ctx, &viewer, &key, input).await?))
}

/// Ends the link; reports already sent stay where they are.
#[utoipa::path(delete, path = "/api/v1/processes/{key}/link", tag = "federation", security(("bearer" = [])),
    params(("key" = String, Path, description = "Process slug or id")),
    responses((status = 204), (status = 403, description = "not an organiser"), (status = 404, description = "not linked")))]
pub async fn unlink(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    remote::unlink(&ctx, &viewer, &key).await?;
    Ok(HttpResponse::NoContent().finish())
}
