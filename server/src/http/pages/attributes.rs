//! Proving a verified attribute (that one lives in the municipality, say) by the identifier
//! the census lists, so that activities open only to residents accept one's input. The same
//! app function as `POST /api/v1/me/attributes/claim` decides; its refusals show at the field.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::account_forms::Problems;
use super::page::{Chrome, PageCtx, PagePost, PageResult};
use crate::app::AppError;
use crate::app::census::{self, ClaimInput};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/account/attributes", web::get().to(show)).route("/account/attributes", web::post().to(claim));
}

#[derive(Template)]
#[template(path = "account_attributes.html")]
struct AttributesPage {
    c: Chrome,
    errors: Problems,
    attribute: String,
    identifier: String,
    claimed: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Claimed {
    claimed: Option<String>,
}

fn page(pc: &PageCtx, errors: Problems, attribute: String, identifier: String, claimed: Option<String>) -> AttributesPage {
    let mut title = pc.tr.t("attributes-title");
    if !errors.is_empty() {
        title = format!("{} {title}", pc.tr.t("form-error-title-prefix"));
    }
    AttributesPage { c: pc.chrome(title), errors, attribute, identifier, claimed }
}

/// The app's refusal, in the reader's words, at its field.
fn problems(pc: &PageCtx, e: &AppError) -> Problems {
    let tr = pc.tr;
    let mut out = Problems::new();
    match e {
        AppError::Conflict(_) => out.push("identifier", tr.t("attributes-error-claimed")),
        AppError::Invalid(errors) => {
            for fe in errors {
                if fe.field == "attribute" {
                    out.push("attribute", tr.t("attributes-error-attribute"));
                } else if fe.problem.starts_with("is not in the census") {
                    out.push("identifier", tr.t("attributes-error-not-found"));
                } else {
                    out.push("identifier", tr.t("attributes-error-identifier"));
                }
            }
        }
        _ => out.push("identifier", tr.t("attributes-error-not-found")),
    }
    out
}

pub async fn show(pc: PageCtx, q: web::Query<Claimed>) -> PageResult {
    if pc.viewer().is_none() {
        return Err(pc.fail(AppError::Unauthenticated("sign in first".into())));
    }
    let claimed = q.into_inner().claimed.filter(|c| c.len() <= 40 && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'));
    Ok(pc.render(&page(&pc, Problems::new(), "resident".into(), String::new(), claimed)))
}

#[derive(Deserialize)]
pub struct ClaimPost {
    #[serde(default)]
    attribute: String,
    #[serde(default)]
    identifier: String,
}

pub async fn claim(post: PagePost<ClaimPost>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let Some(viewer) = pc.viewer().cloned() else { return Err(pc.fail(AppError::Unauthenticated("sign in first".into()))) };
    let input = ClaimInput { attribute: form.attribute.trim().to_string(), identifier: form.identifier.clone() };
    match census::claim(&pc.app, &viewer, input).await {
        Ok(_) => Ok(pc.redirect(&format!("/account/attributes?claimed={}", form.attribute.trim()))),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::NotFound(_))) => {
            let errors = problems(&pc, &e);
            Ok(pc.render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(&pc, errors, form.attribute, form.identifier, None)))
        }
        Err(e) => Err(pc.fail(e)),
    }
}
