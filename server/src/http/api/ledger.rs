//! The public ledger, page by page.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::Ctx;
use crate::app::AppError;
use crate::app::ledger::{self, LedgerPage};
use crate::http::extract::ApiQuery;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/ledger", web::get().to(page));
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LedgerParams {
    /// Entries after this sequence number (default 0: from the start).
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Entries per page, 1 to 1000 (default 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

/// Public events, hash-chained and signed with the instance's Ed25519 key: anyone can check
/// the chain with `convene ledger verify URL`.
#[utoipa::path(get, path = "/api/v1/ledger", tag = "ledger", params(LedgerParams),
    responses((status = 200, body = LedgerPage)))]
pub async fn page(ctx: Ctx, ApiQuery(p): ApiQuery<LedgerParams>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(ledger::page(&ctx, p.after.unwrap_or(0), p.limit, None).await?))
}
