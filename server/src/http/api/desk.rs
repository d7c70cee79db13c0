//! The facilitator's desk: finding the member a facilitator enters input for, and how much
//! was entered today. The input itself is sent to `POST /api/v1/activities/{id}/contributions`.

use actix_web::{HttpResponse, web};
use uuid::Uuid;

use super::Ctx;
use crate::app::AppError;
use crate::app::desk::{self, EnteredToday, Person, PersonLookup};
use crate::http::auth::Authenticated;
use crate::http::extract::ApiJson;

/// Registered before the /processes and /activities scopes, which would otherwise swallow these.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/processes/{key}/members/lookup", web::post().to(find_member)).route("/activities/{id}/entered-today", web::get().to(entered_today));
}

/// Finds a member of the process by the email the person gives, to enter their input with
/// `on_behalf_of` (facilitators and organisers). Only members are found: an email of an
/// account that is not a member gets the same 422 as an unknown one.
#[utoipa::path(post, path = "/api/v1/processes/{key}/members/lookup", tag = "contributions", params(("key" = String, Path, description = "id or slug")),
    request_body = PersonLookup, security(("bearer" = [])),
    responses((status = 200, body = Person), (status = 403, description = "not a facilitator or organiser of this process"),
              (status = 422, description = "no member of this process has this email")))]
pub async fn find_member(ctx: Ctx, Authenticated(viewer): Authenticated, key: web::Path<String>, ApiJson(input): ApiJson<PersonLookup>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(desk::find_member(&ctx, &viewer, &key, input).await?))
}

/// How much paper, phone and in-person input was entered into an activity today (UTC), by
/// you and in all (facilitators and organisers).
#[utoipa::path(get, path = "/api/v1/activities/{id}/entered-today", tag = "contributions", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = EnteredToday), (status = 403, description = "not a facilitator or organiser of this process")))]
pub async fn entered_today(ctx: Ctx, Authenticated(viewer): Authenticated, id: web::Path<Uuid>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(desk::entered_today(&ctx, &viewer, *id).await?))
}
