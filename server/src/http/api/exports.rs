//! Open data exports of a process, streamed.

use actix_web::{HttpResponse, web};

use super::Ctx;
use crate::app::AppError;
use crate::app::export;
use crate::http::auth::MaybeViewer;

/// Registered before the /processes scope, which would otherwise swallow these.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/processes/{key}/export/contributions.csv", web::get().to(contributions_csv))
        .route("/processes/{key}/export/process.jsonl", web::get().to(process_jsonl));
}

fn attachment(name: &str) -> (&'static str, String) {
    ("Content-Disposition", format!("attachment; filename=\"{name}\""))
}

/// Every contribution (not withdrawn), without personal data, with its current
/// disposition and first response time. Hidden ones keep their row without a body.
#[utoipa::path(get, path = "/api/v1/processes/{key}/export/contributions.csv", tag = "outcomes", params(("key" = String, Path, description = "id or slug")),
    security((), ("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String,
               description = "id, activity_id, kind, channel, language, status, created_at, edited_at, body, disposition, first_response_at")))]
pub async fn contributions_csv(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let stream = export::contributions_csv(&ctx, viewer.as_ref(), &key).await?;
    Ok(HttpResponse::Ok().content_type("text/csv; charset=utf-8").insert_header(attachment(&format!("{key}-contributions.csv"))).streaming(stream))
}

/// The whole process as JSON Lines: process, activities, contributions, responses, outcome,
/// report and ledger entries, one object per line with a `type`.
#[utoipa::path(get, path = "/api/v1/processes/{key}/export/process.jsonl", tag = "outcomes", params(("key" = String, Path, description = "id or slug")),
    security((), ("bearer" = [])),
    responses((status = 200, content_type = "application/jsonl", body = String, description = "one JSON object per line, each with a `type`")))]
pub async fn process_jsonl(ctx: Ctx, MaybeViewer(viewer): MaybeViewer, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let stream = export::process_jsonl(&ctx, viewer.as_ref(), &key).await?;
    Ok(HttpResponse::Ok().content_type("application/jsonl").insert_header(attachment(&format!("{key}.jsonl"))).streaming(stream))
}
