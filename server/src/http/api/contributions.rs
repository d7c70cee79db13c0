//! Contributions: make, read, edit, withdraw, report, moderate, respond; "my input".

use actix_web::{HttpRequest, HttpResponse, web};
use uuid::Uuid;

use super::Ctx;
use crate::app::AppError;
use crate::app::contributions::{self, ContributionEdit, ContributionView, ModerationEntry, NewContribution, Reason, ReportedContribution, Submitted};
use crate::app::pagination::{Page, PageParams};
use crate::app::responses::{self, MatchingIds, MyInput, NewResponse, Responded, ResponseView, StaffFilter, StaffPage, StaffPageParams};
use crate::http::auth::{Authenticated, MaybeViewer};
use crate::http::extract::{ApiJson, ApiQuery};

/// Registered before the /processes and /me scopes, which would otherwise swallow these.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/processes/{key}/moderation", web::get().to(moderation_log))
        .route("/processes/{key}/reports", web::get().to(reports))
        .route("/processes/{key}/responses", web::post().to(respond))
        .route("/processes/{key}/contributions", web::get().to(staff_list))
        .route("/processes/{key}/contributions/ids", web::get().to(matching_ids))
        .route("/me/input", web::get().to(my_input))
        .service(
            web::scope("/contributions")
                .route("/{id}", web::get().to(get))
                .route("/{id}", web::patch().to(edit))
                .route("/{id}", web::delete().to(withdraw))
                .route("/{id}/reports", web::post().to(report))
                .route("/{id}/hide", web::post().to(hide))
                .route("/{id}/restore", web::post().to(restore))
                .route("/{id}/responses", web::get().to(history)),
        );
}

/// An activity's contributions, oldest first, without their authors. Hidden ones show the
/// moderators' reason in place of their body.
#[utoipa::path(get, path = "/api/v1/activities/{id}/contributions", tag = "contributions", params(("id" = Uuid, Path), PageParams),
    security((), ("bearer" = [])), responses((status = 200, body = Page<ContributionView>)))]
pub async fn list(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, id: web::Path<Uuid>, ApiQuery(page): ApiQuery<PageParams>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(contributions::list(&ctx, viewer.as_ref(), *id, &page).await?))
}

/// Contributes to an open activity, or (facilitators) enters paper, phone or in-person input
/// on someone's behalf. The activity type's plugin checks the body; its field errors come
/// back under `body.`. Send an `Idempotency-Key` header to make retries safe: a repeat
/// returns the first contribution with 200.
#[utoipa::path(post, path = "/api/v1/activities/{id}/contributions", tag = "contributions", request_body = NewContribution,
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)), security(("bearer" = [])),
    responses((status = 201, body = ContributionView, headers(("Location" = String, description = "the new contribution"))),
              (status = 200, body = ContributionView, description = "a replay of an earlier submission with the same Idempotency-Key",
               headers(("Idempotent-Replayed" = String, description = "`true`"))),
              (status = 403, description = "may not contribute here (attribute required, or not a facilitator for offline input)"),
              (status = 409, description = "the activity is not open, its type is disabled, or the Idempotency-Key was used for other input"),
              (status = 502, description = "the activity type's plugin failed; `plugin` names it")))]
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
    Ok(match contributions::submit(&ctx, &viewer, *id, input, key).await? {
        Submitted::Created(view) => HttpResponse::Created().insert_header(("Location", format!("/api/v1/contributions/{}", view.id))).json(view),
        Submitted::Replayed(view) => HttpResponse::Ok().insert_header(("Idempotent-Replayed", "true")).json(view),
    })
}

#[utoipa::path(get, path = "/api/v1/contributions/{id}", tag = "contributions", params(("id" = Uuid, Path)), security((), ("bearer" = [])),
    responses((status = 200, body = ContributionView)))]
pub async fn get(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, id: web::Path<Uuid>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(contributions::get(&ctx, viewer.as_ref(), *id).await?))
}

/// Changes a contribution while its activity is open (its author, or the facilitator who
/// entered it); the plugin checks the new body.
#[utoipa::path(patch, path = "/api/v1/contributions/{id}", tag = "contributions", params(("id" = Uuid, Path)), request_body = ContributionEdit,
    security(("bearer" = [])),
    responses((status = 200, body = ContributionView), (status = 403, description = "neither its author nor the facilitator who entered it"),
              (status = 409, description = "the activity is closed, or the contribution is withdrawn or hidden"),
              (status = 502, description = "the activity type's plugin failed; `plugin` names it")))]
pub async fn edit(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>, ApiJson(input): ApiJson<ContributionEdit>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(contributions::edit(&ctx, &viewer, *id, input).await?))
}

/// Withdraws a contribution while its activity is open.
#[utoipa::path(delete, path = "/api/v1/contributions/{id}", tag = "contributions", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 204, description = "withdrawn"), (status = 403, description = "neither its author nor the facilitator who entered it"),
              (status = 409, description = "the activity is closed, or the contribution is already withdrawn")))]
pub async fn withdraw(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>) -> Result<HttpResponse, AppError> {
    contributions::withdraw(&ctx, &viewer, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Reports a contribution to the moderators (once per person).
#[utoipa::path(post, path = "/api/v1/contributions/{id}/reports", tag = "contributions", params(("id" = Uuid, Path)), request_body = Reason,
    security(("bearer" = [])),
    responses((status = 201, description = "reported"), (status = 409, description = "already reported by you")))]
pub async fn report(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>, ApiJson(input): ApiJson<Reason>) -> Result<HttpResponse, AppError> {
    contributions::report(&ctx, &viewer, *id, input).await?;
    Ok(HttpResponse::Created().finish())
}

/// Hides a contribution with a public reason (organisers and facilitators).
#[utoipa::path(post, path = "/api/v1/contributions/{id}/hide", tag = "contributions", params(("id" = Uuid, Path)), request_body = Reason,
    security(("bearer" = [])),
    responses((status = 200, body = ContributionView), (status = 403, description = "not an organiser or facilitator of this process"),
              (status = 409, description = "already hidden, or withdrawn")))]
pub async fn hide(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>, ApiJson(input): ApiJson<Reason>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(contributions::moderate(&ctx, &viewer, *id, input, true).await?))
}

/// Shows a hidden contribution again, with a public reason.
#[utoipa::path(post, path = "/api/v1/contributions/{id}/restore", tag = "contributions", params(("id" = Uuid, Path)), request_body = Reason,
    security(("bearer" = [])),
    responses((status = 200, body = ContributionView), (status = 403, description = "not an organiser or facilitator of this process"),
              (status = 409, description = "not hidden")))]
pub async fn restore(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>, ApiJson(input): ApiJson<Reason>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(contributions::moderate(&ctx, &viewer, *id, input, false).await?))
}

/// Every response a contribution received, oldest first.
#[utoipa::path(get, path = "/api/v1/contributions/{id}/responses", tag = "contributions", params(("id" = Uuid, Path)), security((), ("bearer" = [])),
    responses((status = 200, body = [ResponseView])))]
pub async fn history(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, id: web::Path<Uuid>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(responses::history(&ctx, viewer.as_ref(), *id).await?))
}

/// The public moderation log of a process, newest first.
#[utoipa::path(get, path = "/api/v1/processes/{key}/moderation", tag = "contributions", params(("key" = String, Path, description = "id or slug")),
    security((), ("bearer" = [])), responses((status = 200, body = [ModerationEntry])))]
pub async fn moderation_log(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(contributions::moderation_log(&ctx, viewer.as_ref(), &key).await?))
}

/// Reported contributions of a process, most reported first (organisers and facilitators).
#[utoipa::path(get, path = "/api/v1/processes/{key}/reports", tag = "contributions", params(("key" = String, Path, description = "id or slug")),
    security(("bearer" = [])),
    responses((status = 200, body = [ReportedContribution]), (status = 403, description = "not an organiser or facilitator of this process")))]
pub async fn reports(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(contributions::reports(&ctx, &viewer, &key).await?))
}

/// Responds to one or many contributions at once (organisers): a disposition, an
/// explanation, the outcome sections they shaped. Authors are told by email.
#[utoipa::path(post, path = "/api/v1/processes/{key}/responses", tag = "contributions", params(("key" = String, Path, description = "id or slug")),
    request_body = NewResponse, security(("bearer" = [])),
    responses((status = 201, body = Responded), (status = 403, description = "not an organiser of this process"),
              (status = 409, description = "the process is archived")))]
pub async fn respond(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>, ApiJson(input): ApiJson<NewResponse>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(responses::respond(&ctx, &viewer, &key, input).await?))
}

/// Every contribution to a process's activities, for its organisers to respond to: filtered
/// (activity, channel, with or without a response, current disposition, words in the text),
/// oldest first, with the current response of each; withdrawn ones are left out. Pages go both
/// ways: `cursor` (from `next_cursor`) or `before` (from `prev_cursor`).
#[utoipa::path(get, path = "/api/v1/processes/{key}/contributions", tag = "contributions",
    params(("key" = String, Path, description = "id or slug"), StaffFilter, StaffPageParams), security(("bearer" = [])),
    responses((status = 200, body = StaffPage), (status = 403, description = "not an organiser of this process")))]
pub async fn staff_list(
    ctx: Ctx,
    Authenticated(viewer): Authenticated,
    key: web::Path<String>,
    ApiQuery(filter): ApiQuery<StaffFilter>,
    ApiQuery(page): ApiQuery<StaffPageParams>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(responses::staff_list(&ctx, &viewer, &key, &filter, &page).await?))
}

/// The ids of every contribution the filter selects (the same filter as the list), oldest
/// first, at most 1,000 (what one response may answer): to respond to all that match.
#[utoipa::path(get, path = "/api/v1/processes/{key}/contributions/ids", tag = "contributions",
    params(("key" = String, Path, description = "id or slug"), StaffFilter), security(("bearer" = [])),
    responses((status = 200, body = MatchingIds), (status = 403, description = "not an organiser of this process")))]
pub async fn matching_ids(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>, ApiQuery(filter): ApiQuery<StaffFilter>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(responses::matching_ids(&ctx, &viewer, &key, &filter).await?))
}

/// Everything you contributed, across processes, and what happened to it.
#[utoipa::path(get, path = "/api/v1/me/input", tag = "contributions", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<MyInput>)))]
pub async fn my_input(ctx: Ctx, Authenticated(viewer): Authenticated, ApiQuery(page): ApiQuery<PageParams>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(responses::my_input(&ctx, &viewer, &page).await?))
}
