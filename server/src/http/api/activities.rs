//! Activities of a process: add, read, their forms and results. Their contributions are in
//! `contributions` (the routes under /activities/{id} are all registered here).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::Ctx;
use crate::app::AppError;
use crate::app::activities::{self, ActivityPatch, ActivityView, NewActivity};
use crate::app::draw_seeds::{self, SeedView};
use crate::app::results::{self, ResultsView};
use crate::http::auth::{Authenticated, MaybeViewer};
use crate::http::extract::{ApiJson, ApiQuery};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/processes/{key}/activities", web::get().to(list))
        .route("/processes/{key}/activities", web::post().to(create))
        .service(
            web::scope("/activities")
                .route("/{id}", web::get().to(get))
                .route("/{id}", web::patch().to(update))
                .route("/{id}/form", web::get().to(form))
                .route("/{id}/contributions", web::get().to(super::contributions::list))
                .route("/{id}/contributions", web::post().to(super::contributions::contribute))
                .route("/{id}/results", web::get().to(results))
                .route("/{id}/close", web::post().to(close))
                .route("/{id}/seed", web::post().to(commit_seed))
                .route("/{id}/seed/reveal", web::post().to(reveal_seed)),
        );
}

/// The activities of a process.
#[utoipa::path(get, path = "/api/v1/processes/{key}/activities", tag = "activities", params(("key" = String, Path, description = "id or slug")),
    security((), ("bearer" = [])), responses((status = 200, body = [ActivityView])))]
pub async fn list(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(activities::list(&ctx, viewer.as_ref(), &key).await?))
}

/// Adds an activity of an installed type to a process (organisers). The type's plugin checks
/// the configuration; its field errors come back under `config.`.
#[utoipa::path(post, path = "/api/v1/processes/{key}/activities", tag = "activities", request_body = NewActivity, security(("bearer" = [])),
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 201, body = ActivityView, headers(("Location" = String, description = "the new activity"))),
              (status = 403, description = "not an organiser of this process"),
              (status = 409, description = "the process is archived, or the activity type is disabled"),
              (status = 502, description = "the activity type's plugin failed; `plugin` names it")))]
pub async fn create(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>, ApiJson(input): ApiJson<NewActivity>) -> Result<HttpResponse, AppError> {
    let view = activities::create(&ctx, &viewer, &key, input).await?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/activities/{}", view.id))).json(view))
}

#[utoipa::path(get, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = Uuid, Path)), security((), ("bearer" = [])),
    responses((status = 200, body = ActivityView)))]
pub async fn get(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, id: web::Path<Uuid>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(activities::get(&ctx, viewer.as_ref(), *id).await?))
}

/// Changes an activity (organisers): title and description and closing date while it is not
/// closed; its configuration (checked by the type's plugin, errors under `config.`) and
/// opening date only until the first contribution. `null` removes a date.
#[utoipa::path(patch, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = Uuid, Path)), request_body = ActivityPatch, security(("bearer" = [])),
    responses((status = 200, body = ActivityView),
              (status = 403, description = "not an organiser of this process"),
              (status = 409, description = "the activity is closed, the process archived, or people have contributed (configuration, opening date)"),
              (status = 422, description = "a field is wrong; the plugin's configuration errors come under `config.`"),
              (status = 502, description = "the activity type's plugin failed; `plugin` names it")))]
pub async fn update(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>, ApiJson(patch): ApiJson<ActivityPatch>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(activities::update(&ctx, &viewer, *id, patch).await?))
}

/// Closes an activity now (organisers): no more contributions; everything it holds stays. An
/// activity already closed stays as it is.
#[utoipa::path(post, path = "/api/v1/activities/{id}/close", tag = "activities", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = ActivityView), (status = 403, description = "not an organiser of this process")))]
pub async fn close(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(activities::close_now(&ctx, &viewer, *id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FormParams {
    /// The contribution kind, e.g. `response`.
    pub kind: String,
}

/// The form of one contribution kind under this activity's configuration.
#[utoipa::path(get, path = "/api/v1/activities/{id}/form", tag = "activities", params(("id" = Uuid, Path), FormParams), security((), ("bearer" = [])),
    responses((status = 200, body = [Object], description = "the form's fields, as the activity type describes them"),
              (status = 409, description = "the activity type is disabled"),
              (status = 422, description = "`kind` is not a contribution kind of this activity type"),
              (status = 502, description = "the activity type's plugin failed; `plugin` names it")))]
pub async fn form(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, id: web::Path<Uuid>, ApiQuery(p): ApiQuery<FormParams>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(activities::form(&ctx, viewer.as_ref(), *id, &p.kind).await?))
}

/// The activity's results, computed by its plugin from the visible contributions once per
/// change of the activity, and served from that copy: `revision` and `computed_at` say which.
#[utoipa::path(get, path = "/api/v1/activities/{id}/results", tag = "activities", params(("id" = Uuid, Path)), security((), ("bearer" = [])),
    responses((status = 200, body = ResultsView),
              (status = 409, description = "the activity type is disabled"),
              (status = 502, description = "the activity type's plugin failed; `plugin` names it"),
              (status = 503, description = "another server is computing the first results of this activity; ask again shortly")))]
pub async fn results(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, id: web::Path<Uuid>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(results::get(&ctx, viewer.as_ref(), *id).await?))
}

/// Commits a random seed for this activity's draw (organisers; once): the server chooses it,
/// publishes its SHA-256 in the ledger now and keeps the seed secret until revealed.
#[utoipa::path(post, path = "/api/v1/activities/{id}/seed", tag = "activities", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 201, body = SeedView), (status = 403, description = "not an organiser of this process"),
              (status = 409, description = "a seed is already committed")))]
pub async fn commit_seed(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(draw_seeds::commit(&ctx, &viewer, *id).await?))
}

/// Reveals the committed seed (organisers; once, after the draw), in the activity and the ledger.
#[utoipa::path(post, path = "/api/v1/activities/{id}/seed/reveal", tag = "activities", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = SeedView), (status = 403, description = "not an organiser of this process"),
              (status = 409, description = "no seed committed, or already revealed")))]
pub async fn reveal_seed(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(draw_seeds::reveal(&ctx, &viewer, *id).await?))
}
