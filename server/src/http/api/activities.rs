//! Activities of a process and the contributions people make to them.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::Ctx;
use crate::app::AppError;
use crate::app::activities::{self, ActivityView, ContributionView, NewActivity, NewContribution, Submitted};
use crate::app::pagination::PageParams;
use crate::http::auth::{Authenticated, MaybeViewer};
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::problem::Problem;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/processes/{key}/activities", web::get().to(list))
        .route("/processes/{key}/activities", web::post().to(create))
        .service(
            web::scope("/activities")
                .route("/{id}", web::get().to(get))
                .route("/{id}/form", web::get().to(form))
                .route("/{id}/contributions", web::get().to(contributions))
                .route("/{id}/contributions", web::post().to(contribute))
                .route("/{id}/results", web::get().to(results)),
        );
}

/// The activities of a process.
#[utoipa::path(get, path = "/api/v1/processes/{key}/activities", tag = "activities", params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = [ActivityView]), (status = 404, body = Problem)))]
pub async fn list(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(activities::list(&ctx, viewer.as_ref(), &key).await?))
}

/// Adds an activity of an installed type to a process (organisers). The type's plugin checks
/// the configuration; its field errors come back under `config.`.
#[utoipa::path(post, path = "/api/v1/processes/{key}/activities", tag = "activities", request_body = NewActivity, security(("bearer" = [])),
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 201, body = ActivityView), (status = 403, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem), (status = 502, body = Problem)))]
pub async fn create(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>, ApiJson(input): ApiJson<NewActivity>) -> Result<HttpResponse, AppError> {
    let view = activities::create(&ctx, &viewer, &key, input).await?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/activities/{}", view.id))).json(view))
}

#[utoipa::path(get, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = Uuid, Path)),
    responses((status = 200, body = ActivityView), (status = 404, body = Problem)))]
pub async fn get(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, id: web::Path<Uuid>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(activities::get(&ctx, viewer.as_ref(), *id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FormParams {
    /// The contribution kind, e.g. `response`.
    pub kind: String,
}

/// The form of one contribution kind under this activity's configuration.
#[utoipa::path(get, path = "/api/v1/activities/{id}/form", tag = "activities", params(("id" = Uuid, Path), FormParams),
    responses((status = 200, description = "[FormField]"), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn form(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, id: web::Path<Uuid>, ApiQuery(p): ApiQuery<FormParams>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(activities::form(&ctx, viewer.as_ref(), *id, &p.kind).await?))
}

/// The visible contributions of an activity, oldest first, without their authors.
#[utoipa::path(get, path = "/api/v1/activities/{id}/contributions", tag = "activities", params(("id" = Uuid, Path), PageParams),
    responses((status = 200, description = "a page of ContributionView"), (status = 404, body = Problem)))]
pub async fn contributions(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, id: web::Path<Uuid>, ApiQuery(page): ApiQuery<PageParams>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(activities::contributions(&ctx, viewer.as_ref(), *id, &page).await?))
}

/// Contributes to an open activity. The activity type's plugin checks the body; its field
/// errors come back under `body.`. Send an `Idempotency-Key` header to make retries safe: a
/// repeat returns the first contribution with 200.
#[utoipa::path(post, path = "/api/v1/activities/{id}/contributions", tag = "activities", request_body = NewContribution,
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)), security(("bearer" = [])),
    responses((status = 201, body = ContributionView), (status = 200, body = ContributionView, description = "a replay of an earlier submission"),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 413, body = Problem), (status = 422, body = Problem), (status = 502, body = Problem)))]
pub async fn contribute(
    ctx: Ctx,
    req: HttpRequest,
    Authenticated(viewer): Authenticated,
    id: web::Path<Uuid>,
    ApiJson(input): ApiJson<NewContribution>,
) -> Result<HttpResponse, AppError> {
    let key = match req.headers().get("idempotency-key") {
        None => None,
        Some(v) => Some(v.to_str().map_err(|_| AppError::bad_request("Idempotency-Key", "must be visible ASCII"))?.to_string()),
    };
    Ok(match activities::submit(&ctx, &viewer, *id, input, key).await? {
        Submitted::Created(view) => HttpResponse::Created().json(view),
        Submitted::Replayed(view) => HttpResponse::Ok().insert_header(("Idempotent-Replayed", "true")).json(view),
    })
}

/// The activity's results, computed by its plugin from the visible contributions.
#[utoipa::path(get, path = "/api/v1/activities/{id}/results", tag = "activities", params(("id" = Uuid, Path)),
    responses((status = 200, description = "{sections: [text | table | chart]}"), (status = 404, body = Problem), (status = 502, body = Problem)))]
pub async fn results(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, id: web::Path<Uuid>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(activities::results(&ctx, viewer.as_ref(), *id).await?))
}
