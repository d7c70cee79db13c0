//! Outcome documents of a process (publish, revise, read any version, compare two) and its
//! input-use report.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::Ctx;
use crate::app::AppError;
use crate::app::outcomes::{self, Citable, NewOutcome, OutcomeView, SectionDiff, VersionSummary};
use crate::http::auth::{Authenticated, MaybeViewer};
use crate::http::extract::{ApiJson, ApiQuery};

/// Registered before the /processes scope, which would otherwise swallow these.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/processes/{key}/outcomes", web::get().to(versions))
        .route("/processes/{key}/outcomes", web::post().to(publish))
        .route("/processes/{key}/outcomes/current", web::get().to(current))
        .route("/processes/{key}/outcomes/diff", web::get().to(diff))
        .route("/processes/{key}/outcomes/citable", web::get().to(citable))
        .route("/processes/{key}/outcomes/{version}", web::get().to(version))
        .route("/processes/{key}/report", web::get().to(report));
}

/// The public input-use report: contributions by activity and channel, share with a
/// response, dispositions, response delays, and each commitment met, missed or at risk.
#[utoipa::path(get, path = "/api/v1/processes/{key}/report", tag = "outcomes", params(("key" = String, Path, description = "id or slug")),
    security((), ("bearer" = [])), responses((status = 200, body = crate::app::report::InputUseReport)))]
pub async fn report(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(&*crate::app::report::get(&ctx, viewer.as_ref(), &key).await?))
}

/// Publishes the outcome, or a revision of it (organisers). Sections cite the contributions
/// they drew on.
#[utoipa::path(post, path = "/api/v1/processes/{key}/outcomes", tag = "outcomes", params(("key" = String, Path, description = "id or slug")),
    request_body = NewOutcome, security(("bearer" = [])),
    responses((status = 201, body = OutcomeView), (status = 403, description = "not an organiser of this process"),
              (status = 409, description = "someone published a revision meanwhile")))]
pub async fn publish(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>, ApiJson(input): ApiJson<NewOutcome>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(outcomes::publish(&ctx, &viewer, &key, input).await?))
}

/// Every version, newest first.
#[utoipa::path(get, path = "/api/v1/processes/{key}/outcomes", tag = "outcomes", params(("key" = String, Path, description = "id or slug")),
    security((), ("bearer" = [])), responses((status = 200, body = [VersionSummary])))]
pub async fn versions(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(outcomes::versions(&ctx, viewer.as_ref(), &key).await?))
}

#[utoipa::path(get, path = "/api/v1/processes/{key}/outcomes/current", tag = "outcomes", params(("key" = String, Path, description = "id or slug")),
    security((), ("bearer" = [])), responses((status = 200, body = OutcomeView)))]
pub async fn current(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(outcomes::get(&ctx, viewer.as_ref(), &key, None).await?))
}

#[utoipa::path(get, path = "/api/v1/processes/{key}/outcomes/{version}", tag = "outcomes",
    params(("key" = String, Path, description = "id or slug"), ("version" = i32, Path)),
    security((), ("bearer" = [])), responses((status = 200, body = OutcomeView)))]
pub async fn version(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, path: web::Path<(String, i32)>) -> Result<HttpResponse, AppError> {
    let (key, n) = path.into_inner();
    Ok(HttpResponse::Ok().json(outcomes::get(&ctx, viewer.as_ref(), &key, Some(n)).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    pub from: i32,
    pub to: i32,
}

/// What changed between two versions, section by section.
#[utoipa::path(get, path = "/api/v1/processes/{key}/outcomes/diff", tag = "outcomes", params(("key" = String, Path, description = "id or slug"), DiffParams),
    security((), ("bearer" = [])), responses((status = 200, body = [SectionDiff])))]
pub async fn diff(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, key: web::Path<String>, ApiQuery(p): ApiQuery<DiffParams>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(outcomes::diff(&ctx, viewer.as_ref(), &key, p.from, p.to).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CitableParams {
    /// Words of the contribution or its facilitator's reference, or its id (or the end of it).
    #[serde(default)]
    pub text: String,
    /// At most this many (1 to 50, default 20).
    pub limit: Option<u64>,
}

/// Contributions to the process an outcome may cite, newest first (organisers): the outcome
/// editor's search.
#[utoipa::path(get, path = "/api/v1/processes/{key}/outcomes/citable", tag = "outcomes", params(("key" = String, Path, description = "id or slug"), CitableParams),
    security(("bearer" = [])), responses((status = 200, body = [Citable]), (status = 403, description = "not an organiser of this process")))]
pub async fn citable(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>, ApiQuery(p): ApiQuery<CitableParams>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(outcomes::citable(&ctx, &viewer, &key, &p.text, p.limit.unwrap_or(20)).await?))
}
