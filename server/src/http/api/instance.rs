use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::Ctx;

#[derive(Serialize, utoipa::ToSchema)]
pub struct InstanceInfo {
    pub name: String,
    pub public_url: String,
    pub languages: Vec<String>,
    pub default_language: String,
    pub software: &'static str,
    pub version: &'static str,
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/instance", web::get().to(info));
}

/// What this instance is: its name, address and languages.
#[utoipa::path(get, path = "/api/v1/instance", tag = "instance", responses((status = 200, body = InstanceInfo)))]
pub async fn info(ctx: Ctx) -> HttpResponse {
    let i = &ctx.settings.instance;
    HttpResponse::Ok().json(InstanceInfo {
        name: i.name.clone(),
        public_url: ctx.public_url.to_string(),
        languages: i.languages.iter().map(|l| l.to_string()).collect(),
        default_language: i.default_language.to_string(),
        software: "convene",
        version: env!("CARGO_PKG_VERSION"),
    })
}
