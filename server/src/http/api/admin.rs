//! Instance administration: accounts, their administrator right and verified attributes,
//! census import, the job queue.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::Ctx;
use crate::app::accounts::{self, AccountSearch, AccountView, AdminRight};
use crate::app::census::{self, ImportReport};
use crate::app::jobs::{self, JobQueue, JobView};
use crate::app::AppError;
use crate::app::pagination::{Page, PageParams};
use crate::http::auth::Authenticated;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::upload;

/// Largest census file accepted in one request.
const CENSUS_LIMIT: u64 = 64 * 1024 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .route("/accounts", web::get().to(list_accounts))
            .route("/accounts/{id}/attributes", web::post().to(grant_attribute))
            .route("/accounts/{id}/attributes/{name}", web::delete().to(revoke_attribute))
            .route("/accounts/{id}/admin", web::put().to(set_admin))
            .route("/census", web::post().to(import_census))
            .route("/jobs", web::get().to(job_queue))
            .route("/jobs/{id}/retry", web::post().to(retry_job)),
    );
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AccountListParams {
    pub email: Option<String>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/accounts", tag = "admin", params(AccountListParams), security(("bearer" = [])),
    responses((status = 200, body = Page<AccountView>), (status = 403, description = "not an instance administrator")))]
pub async fn list_accounts(ctx: Ctx, Authenticated(viewer): Authenticated, ApiQuery(p): ApiQuery<AccountListParams>) -> Result<HttpResponse, AppError> {
    let search = AccountSearch { email: p.email };
    let page = PageParams { limit: p.limit, cursor: p.cursor };
    Ok(HttpResponse::Ok().json(accounts::list(&ctx, &viewer, &search, &page).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributeInput {
    /// e.g. `resident`
    pub name: String,
}

/// Grants a verified attribute to an account.
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/attributes", tag = "admin", request_body = AttributeInput, security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = AccountView), (status = 403, description = "not an instance administrator")))]
pub async fn grant_attribute(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>, ApiJson(input): ApiJson<AttributeInput>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(accounts::grant_attribute(&ctx, &viewer, *id, &input.name).await?))
}

#[utoipa::path(delete, path = "/api/v1/admin/accounts/{id}/attributes/{name}", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("name" = String, Path)),
    responses((status = 200, body = AccountView), (status = 403, description = "not an instance administrator")))]
pub async fn revoke_attribute(ctx: Ctx, Authenticated(viewer): Authenticated, path: web::Path<(Uuid, String)>) -> Result<HttpResponse, AppError> {
    let (id, name) = path.into_inner();
    Ok(HttpResponse::Ok().json(accounts::revoke_attribute(&ctx, &viewer, id, &name).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CensusParams {
    /// The attribute the census grants, e.g. `resident`.
    pub attribute: String,
}

/// Imports a census CSV (header row with an `identifier` column). Only keyed hashes of the
/// identifiers are stored.
#[utoipa::path(post, path = "/api/v1/admin/census", tag = "admin", params(CensusParams), security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 403, description = "not an instance administrator"),
              (status = 422, description = "`attribute` is not a valid attribute name")))]
pub async fn import_census(ctx: Ctx, req: HttpRequest, Authenticated(viewer): Authenticated, ApiQuery(p): ApiQuery<CensusParams>, body: web::Payload) -> Result<HttpResponse, AppError> {
    // Who may import, and into which attribute, is settled before a byte of the file is read.
    let attribute = census::may_import(&viewer, &p.attribute)?;
    let content_type = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.starts_with("text/csv") {
        return Err(AppError::bad_request("content-type", "send the census as text/csv"));
    }
    let file = upload::spool(&req, body, CENSUS_LIMIT, &ctx.settings.upload_dir).await?;
    Ok(HttpResponse::Ok().json(census::import(&ctx, &viewer, &attribute, file.into_reader()).await?))
}

/// Grants or removes an account's instance administrator right. Nobody removes their own
/// (409), so the instance always keeps an administrator.
#[utoipa::path(put, path = "/api/v1/admin/accounts/{id}/admin", tag = "admin", request_body = AdminRight, security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = AccountView), (status = 403, description = "not an instance administrator"),
              (status = 404, description = "no such account"), (status = 409, description = "removing your own administrator right")))]
pub async fn set_admin(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>, ApiJson(input): ApiJson<AdminRight>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(accounts::set_admin(&ctx, &viewer, *id, input.is_admin).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JobQueueParams {
    /// At most this many waiting and this many failed jobs, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

/// The job queue: counts per status, the waiting jobs that run soonest and the failed ones
/// with their last error. Payloads (addresses, texts) are never shown.
#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "admin", params(JobQueueParams), security(("bearer" = [])),
    responses((status = 200, body = JobQueue), (status = 403, description = "not an instance administrator")))]
pub async fn job_queue(ctx: Ctx, Authenticated(viewer): Authenticated, ApiQuery(p): ApiQuery<JobQueueParams>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(jobs::queue(&ctx, &viewer, p.limit.unwrap_or(50)).await?))
}

/// Puts a failed job back in the queue, with a fresh count of attempts, to run at once.
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/retry", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = JobView), (status = 403, description = "not an instance administrator"),
              (status = 404, description = "no such job"), (status = 409, description = "the job has not failed")))]
pub async fn retry_job(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(jobs::retry(&ctx, &viewer, *id).await?))
}
