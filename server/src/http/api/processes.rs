//! Processes and their members.

use actix_web::{HttpResponse, web};
use uuid::Uuid;

use super::Ctx;
use crate::app::AppError;
use crate::app::pagination::{Page, PageParams};
use crate::app::processes::{self, MemberView, NewMember, NewProcess, ProcessFilter, ProcessPatch, ProcessSummary, ProcessView, RoleChange, WorkspaceItem};
use crate::http::auth::{Authenticated, MaybeViewer};
use crate::http::extract::{ApiJson, ApiQuery};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/processes")
            .route("", web::get().to(list))
            .route("", web::post().to(create))
            .route("/{key}", web::get().to(get))
            .route("/{key}", web::patch().to(update))
            .route("/{key}/publish", web::post().to(publish))
            .route("/{key}/archive", web::post().to(archive))
            .route("/{key}/children", web::get().to(children))
            .route("/{key}/members", web::get().to(members))
            .route("/{key}/members", web::post().to(add_member))
            .route("/{key}/members/{account_id}", web::put().to(set_member_role))
            .route("/{key}/members/{account_id}", web::delete().to(remove_member)),
    )
    .route("/workspace", web::get().to(workspace));
}

/// The processes the caller works on: all for instance administrators, else those where
/// the caller is an organiser or a facilitator.
#[utoipa::path(get, path = "/api/v1/workspace", tag = "processes", security(("bearer" = [])),
    responses((status = 200, body = Vec<WorkspaceItem>), (status = 403, description = "no staff role anywhere")))]
pub async fn workspace(ctx: Ctx, Authenticated(viewer): Authenticated) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(processes::workspace_list(&ctx, &viewer).await?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    pub status: Option<crate::domain::process::ProcessStatus>,
    pub scope: Option<crate::domain::process::Scope>,
    /// A topic slug.
    pub topic: Option<String>,
    /// Id or slug of a parent process.
    pub parent: Option<String>,
    /// The declared level of public participation.
    pub iap2_level: Option<crate::domain::process::Iap2Level>,
    /// Words to find in the title or summary (at most 200 characters).
    pub text: Option<String>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// Processes the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/processes", tag = "processes", params(ListParams), security((), ("bearer" = [])),
    responses((status = 200, body = Page<ProcessSummary>)))]
pub async fn list(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, ApiQuery(p): ApiQuery<ListParams>) -> Result<HttpResponse, AppError> {
    let filter = ProcessFilter { status: p.status, scope: p.scope, topic: p.topic, parent: p.parent, iap2_level: p.iap2_level, text: p.text };
    let page = PageParams { limit: p.limit, cursor: p.cursor };
    Ok(HttpResponse::Ok().json(processes::list(&ctx, viewer.as_ref(), &filter, &page).await?))
}

/// Creates a draft process (instance admins); the creator becomes its organiser.
#[utoipa::path(post, path = "/api/v1/processes", tag = "processes", request_body = NewProcess, security(("bearer" = [])),
    responses((status = 201, body = ProcessView, headers(("Location" = String, description = "the new process"))),
              (status = 403, description = "not an instance administrator"), (status = 409, description = "the slug is taken")))]
pub async fn create(ctx: Ctx, Authenticated(viewer): Authenticated, ApiJson(input): ApiJson<NewProcess>) -> Result<HttpResponse, AppError> {
    let view = processes::create(&ctx, &viewer, input).await?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/processes/{}", view.id))).json(view))
}

/// One process, by id or slug.
#[utoipa::path(get, path = "/api/v1/processes/{key}", tag = "processes", params(("key" = String, Path, description = "id or slug")),
    security((), ("bearer" = [])), responses((status = 200, body = ProcessView)))]
pub async fn get(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(processes::get(&ctx, viewer.as_ref(), &key).await?))
}

/// Edits a process (organisers). Lists given replace the stored ones.
#[utoipa::path(patch, path = "/api/v1/processes/{key}", tag = "processes", request_body = ProcessPatch, security(("bearer" = [])),
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = ProcessView), (status = 403, description = "not an organiser of this process"),
              (status = 409, description = "archived, or the slug of a published process")))]
pub async fn update(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>, ApiJson(patch): ApiJson<ProcessPatch>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(processes::update(&ctx, &viewer, &key, patch).await?))
}

/// Publishes a draft.
#[utoipa::path(post, path = "/api/v1/processes/{key}/publish", tag = "processes", security(("bearer" = [])),
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = ProcessView), (status = 403, description = "not an organiser of this process"),
              (status = 409, description = "not a draft"), (status = 422, description = "the draft is not complete enough to publish")))]
pub async fn publish(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(processes::publish(&ctx, &viewer, &key).await?))
}

/// Archives a published process: it stays readable and becomes read-only.
#[utoipa::path(post, path = "/api/v1/processes/{key}/archive", tag = "processes", security(("bearer" = [])),
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = ProcessView), (status = 403, description = "not an organiser of this process"),
              (status = 409, description = "not published")))]
pub async fn archive(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(processes::archive(&ctx, &viewer, &key).await?))
}

/// Child processes (e.g. regional roundtables of a national strategy).
#[utoipa::path(get, path = "/api/v1/processes/{key}/children", tag = "processes", params(("key" = String, Path, description = "id or slug"), PageParams),
    security((), ("bearer" = [])), responses((status = 200, body = Page<ProcessSummary>)))]
pub async fn children(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, key: web::Path<String>, ApiQuery(page): ApiQuery<PageParams>) -> Result<HttpResponse, AppError> {
    let parent = processes::load_visible(&ctx, viewer.as_ref(), &key).await?;
    let filter = ProcessFilter { parent: Some(parent.process.id.to_string()), ..Default::default() };
    Ok(HttpResponse::Ok().json(processes::list(&ctx, viewer.as_ref(), &filter, &page).await?))
}

#[utoipa::path(get, path = "/api/v1/processes/{key}/members", tag = "processes", security(("bearer" = [])),
    params(("key" = String, Path, description = "id or slug"), PageParams),
    responses((status = 200, body = Page<MemberView>), (status = 403, description = "not an organiser of this process")))]
pub async fn members(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>, ApiQuery(page): ApiQuery<PageParams>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(processes::members(&ctx, &viewer, &key, &page).await?))
}

/// Adds an existing account to the process with a role.
#[utoipa::path(post, path = "/api/v1/processes/{key}/members", tag = "processes", request_body = NewMember, security(("bearer" = [])),
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 201, body = MemberView), (status = 403, description = "not an organiser of this process"),
              (status = 409, description = "would leave the process without an organiser")))]
pub async fn add_member(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>, ApiJson(input): ApiJson<NewMember>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(processes::add_member(&ctx, &viewer, &key, input).await?))
}

#[utoipa::path(put, path = "/api/v1/processes/{key}/members/{account_id}", tag = "processes", request_body = RoleChange, security(("bearer" = [])),
    params(("key" = String, Path, description = "id or slug"), ("account_id" = Uuid, Path)),
    responses((status = 200, body = MemberView), (status = 403, description = "not an organiser of this process"),
              (status = 409, description = "would leave the process without an organiser")))]
pub async fn set_member_role(ctx: Ctx, Authenticated(viewer): Authenticated, path: web::Path<(String, Uuid)>, ApiJson(input): ApiJson<RoleChange>) -> Result<HttpResponse, AppError> {
    let (key, account_id) = path.into_inner();
    Ok(HttpResponse::Ok().json(processes::set_member_role(&ctx, &viewer, &key, account_id, input.role).await?))
}

#[utoipa::path(delete, path = "/api/v1/processes/{key}/members/{account_id}", tag = "processes", security(("bearer" = [])),
    params(("key" = String, Path, description = "id or slug"), ("account_id" = Uuid, Path)),
    responses((status = 204, description = "removed"), (status = 403, description = "not an organiser of this process"),
              (status = 409, description = "the process's last organiser")))]
pub async fn remove_member(ctx: Ctx, Authenticated(viewer): Authenticated, path: web::Path<(String, Uuid)>) -> Result<HttpResponse, AppError> {
    let (key, account_id) = path.into_inner();
    processes::remove_member(&ctx, &viewer, &key, account_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
