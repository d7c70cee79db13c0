use actix_web::{HttpResponse, web};

use super::Ctx;
use crate::app::AppError;
use crate::app::pagination::{Page, PageParams};
use crate::app::topics::{self, NewTopic, TopicView};
use crate::http::auth::Authenticated;
use crate::http::extract::{ApiJson, ApiQuery};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/topics", web::get().to(list)).route("/topics", web::post().to(create));
}

/// The topic taxonomy.
#[utoipa::path(get, path = "/api/v1/topics", tag = "topics", params(PageParams),
    responses((status = 200, body = Page<TopicView>)))]
pub async fn list(ctx: Ctx, ApiQuery(page): ApiQuery<PageParams>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(topics::list(&ctx, &page).await?))
}

/// Adds a topic (instance admins).
#[utoipa::path(post, path = "/api/v1/topics", tag = "topics", request_body = NewTopic, security(("bearer" = [])),
    responses((status = 201, body = TopicView), (status = 403, description = "not an instance administrator"),
              (status = 409, description = "the slug is taken")))]
pub async fn create(ctx: Ctx, Authenticated(viewer): Authenticated, ApiJson(input): ApiJson<NewTopic>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(topics::create(&ctx, &viewer, input).await?))
}
