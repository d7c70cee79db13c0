//! The JSON API under /api/v1. Each handler is thin: extract, call one use case, answer.

pub mod accounts;
pub mod activities;
pub mod admin;
pub mod auth;
pub mod contributions;
pub mod desk;
pub mod exports;
pub mod federation;
pub mod instance;
pub mod ledger;
pub mod notifications;
pub mod outcomes;
pub mod plugins;
pub mod processes;
pub mod topics;

use actix_web::web;

pub type Ctx = web::Data<crate::app::AppContext>;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .route("/openapi.json", web::get().to(super::openapi::document))
            .configure(instance::routes)
            .configure(auth::routes)
            // These first: the /me and /processes scopes would otherwise swallow /me/input,
            // /me/notifications and /processes/{key}/activities, /moderation, /reports, /responses.
            .configure(contributions::routes)
            .configure(desk::routes)
            .configure(notifications::routes)
            .configure(outcomes::routes)
            .configure(exports::routes)
            .configure(federation::routes)
            .configure(activities::routes)
            .configure(accounts::routes)
            .configure(topics::routes)
            .configure(processes::routes)
            .configure(plugins::routes)
            .configure(ledger::routes)
            .configure(admin::routes),
    );
}
