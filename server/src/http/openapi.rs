//! The OpenAPI 3 document, generated from the handlers' annotations and the types they use.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::api;
use super::problem::Problem;

#[derive(OpenApi)]
#[openapi(
    info(title = "Convene API", description = "Participation processes, accounts and administration. Errors are application/problem+json (RFC 9457); lists use cursor pagination (`limit`, `cursor` -> `next_cursor`)."),
    paths(
        super::ops::healthz, super::ops::readyz,
        api::instance::info,
        api::auth::signup, api::auth::request_link, api::auth::consume_link, api::auth::login, api::auth::refresh, api::auth::logout,
        api::accounts::me, api::accounts::update_me, api::accounts::set_password, api::accounts::claim_attribute,
        api::topics::list, api::topics::create,
        api::processes::list, api::processes::create, api::processes::get, api::processes::update,
        api::processes::publish, api::processes::archive, api::processes::children,
        api::processes::members, api::processes::add_member, api::processes::set_member_role, api::processes::remove_member,
        api::admin::list_accounts, api::admin::grant_attribute, api::admin::revoke_attribute, api::admin::import_census,
        api::activities::list, api::activities::create, api::activities::get, api::activities::form, api::activities::results, api::activities::commit_seed, api::activities::reveal_seed,
        api::contributions::list, api::contributions::contribute, api::contributions::get, api::contributions::edit,
        api::contributions::withdraw, api::contributions::report, api::contributions::hide, api::contributions::restore,
        api::contributions::history, api::contributions::moderation_log, api::contributions::reports,
        api::contributions::respond, api::contributions::my_input,
        api::plugins::activity_types, api::plugins::list, api::plugins::install, api::plugins::upgrade,
        api::plugins::disable, api::plugins::enable,
        api::ledger::page,
        api::outcomes::publish, api::outcomes::versions, api::outcomes::current, api::outcomes::version, api::outcomes::diff, api::outcomes::report,
        api::exports::contributions_csv, api::exports::process_jsonl,
    ),
    components(schemas(Problem, crate::domain::errors::FieldError, crate::app::processes::ProcessSummary)),
    modifiers(&BearerAuth),
    tags(
        (name = "processes", description = "Deliberation processes: timeline, commitments, members"),
        (name = "auth", description = "Sign-up and sign-in by email link or password"),
        (name = "activities", description = "Activities of a process (consultations, roundtables...)"),
        (name = "contributions", description = "Contributions, moderation, responses and everyone's own input"),
        (name = "plugins", description = "Activity types: sandboxed WebAssembly plugins"),
        (name = "outcomes", description = "Versioned outcome documents citing the contributions they drew on"),
        (name = "ledger", description = "The public ledger: hash-chained, signed public events"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
