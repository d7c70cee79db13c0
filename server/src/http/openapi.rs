//! The OpenAPI 3 document, generated from the handlers' annotations and the types they use.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::api;
use super::problem::Problem;

mod problems;
use problems::ProblemResponses;

#[derive(OpenApi)]
#[openapi(
    info(title = "Convene API", description = "Participation processes, accounts and administration. Errors are application/problem+json (RFC 9457); lists use cursor pagination (`limit`, `cursor` -> `next_cursor`)."),
    paths(
        super::ops::healthz, super::ops::readyz,
        api::instance::info,
        api::auth::signup, api::auth::request_link, api::auth::consume_link, api::auth::login, api::auth::refresh, api::auth::logout,
        api::accounts::me, api::accounts::update_me, api::accounts::set_password, api::accounts::claim_attribute,
        api::accounts::export, api::accounts::request_deletion, api::accounts::confirm_deletion,
        api::notifications::settings, api::notifications::update_settings,
        api::topics::list, api::topics::create,
        api::processes::list, api::processes::create, api::processes::get, api::processes::update,
        api::processes::publish, api::processes::archive, api::processes::children,
        api::processes::members, api::processes::add_member, api::processes::set_member_role, api::processes::remove_member,
        api::processes::workspace,
        api::admin::list_accounts, api::admin::grant_attribute, api::admin::revoke_attribute, api::admin::set_admin, api::admin::import_census,
        api::admin::job_queue, api::admin::retry_job,
        api::activities::list, api::activities::create, api::activities::get, api::activities::update, api::activities::close, api::activities::form, api::activities::results, api::activities::commit_seed, api::activities::reveal_seed,
        api::contributions::list, api::contributions::contribute, api::contributions::get, api::contributions::edit,
        api::contributions::withdraw, api::contributions::report, api::contributions::hide, api::contributions::restore,
        api::contributions::history, api::contributions::moderation_log, api::contributions::reports,
        api::contributions::respond, api::contributions::my_input, api::contributions::staff_list, api::contributions::matching_ids,
        api::desk::find_member, api::desk::entered_today,
        api::plugins::activity_types, api::plugins::list, api::plugins::install, api::plugins::upgrade,
        api::plugins::disable, api::plugins::enable, api::plugins::rollback,
        api::ledger::page,
        api::outcomes::publish, api::outcomes::versions, api::outcomes::current, api::outcomes::version, api::outcomes::diff, api::outcomes::citable, api::outcomes::report,
        api::exports::contributions_csv, api::exports::process_jsonl,
        api::federation::remote_follow, api::federation::overview, api::federation::block, api::federation::unblock,
        api::federation::contribute_elsewhere, api::federation::my_remote_input, api::federation::get_link, api::federation::link, api::federation::unlink,
    ),
    components(schemas(Problem, crate::domain::errors::FieldError, crate::app::processes::ProcessSummary)),
    modifiers(&BearerAuth, &ProblemResponses),
    tags(
        (name = "processes", description = "Deliberation processes: timeline, commitments, members"),
        (name = "auth", description = "Sign-up and sign-in by email link or password"),
        (name = "activities", description = "Activities of a process (consultations, roundtables...)"),
        (name = "contributions", description = "Contributions, moderation, responses and everyone's own input"),
        (name = "plugins", description = "Activity types: sandboxed WebAssembly plugins"),
        (name = "outcomes", description = "Versioned outcome documents citing the contributions they drew on"),
        (name = "ledger", description = "The public ledger: hash-chained, signed public events"),
        (name = "federation", description = "Following processes from other instances (ActivityPub); blocked instances"),
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

#[cfg(test)]
mod tests {
    //! The document as clients read it: every error documented as problem+json, and the
    //! statuses the shared extractors produce present wherever they can occur.

    use serde_json::Value;

    use super::*;

    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    fn document() -> Value {
        serde_json::to_value(ApiDoc::openapi()).unwrap()
    }

    /// (method, path, operation) for every operation in the document.
    fn operations(doc: &Value) -> Vec<(String, String, Value)> {
        let mut ops = vec![];
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    ops.push((method.to_string(), path.clone(), op.clone()));
                }
            }
        }
        assert!(ops.len() > 60, "the document lists every operation, found {}", ops.len());
        ops
    }

    fn statuses(op: &Value) -> Vec<String> {
        op["responses"].as_object().unwrap().keys().cloned().collect()
    }

    /// Written out by hand, independent of the rule's own tables, so that a wrong rule (not
    /// only a drift between the rule and the tests above) fails here.
    #[test]
    fn known_operations_document_exactly_what_they_answer() {
        let doc = document();
        let op = |method: &str, path: &str| doc["paths"][path][method].clone();
        let has = |o: &Value, s: &str| o["responses"].get(s).is_some();
        let login = op("post", "/api/v1/auth/login");
        for s in ["200", "400", "401", "413", "415", "422", "429", "503"] {
            assert!(has(&login, s), "login documents {s}");
        }
        assert!(login["responses"]["429"]["headers"].get("Retry-After").is_some());
        let me = op("patch", "/api/v1/me");
        for s in ["401", "413", "415", "422"] {
            assert!(has(&me, s), "PATCH /me documents {s}");
        }
        assert!(!has(&me, "429"), "PATCH /me is not rate-limited");
        let process = op("get", "/api/v1/processes/{key}");
        assert!(has(&process, "404") && !has(&process, "415") && !has(&process, "429"));
        assert!(!has(&op("get", "/healthz"), "503"), "liveness answers without the database");
        let readyz = op("get", "/readyz");
        assert!(readyz["responses"]["503"]["content"].get("application/problem+json").is_none(), "the probe's 503 is its own object");
    }

    #[test]
    fn every_error_response_is_a_problem_json() {
        let doc = document();
        let mut wrong = vec![];
        for (method, path, op) in operations(&doc) {
            if path == "/readyz" {
                continue; // a probe's own status object, documented as such
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                if !(status.starts_with('4') || status.starts_with('5')) {
                    continue;
                }
                let content = response["content"].as_object().cloned().unwrap_or_default();
                let types: Vec<&String> = content.keys().collect();
                let schema = &content.get("application/problem+json").map(|c| c["schema"].clone()).unwrap_or(Value::Null);
                if types != ["application/problem+json"] || schema["$ref"] != "#/components/schemas/Problem" {
                    wrong.push(format!("{method} {path} {status}: {types:?} {schema}"));
                }
            }
        }
        assert!(wrong.is_empty(), "error responses not documented as problem+json:\n{}", wrong.join("\n"));
    }

    #[test]
    fn the_shared_extractors_statuses_are_documented_on_every_operation_they_guard() {
        let doc = document();
        let mut missing = vec![];
        for (method, path, op) in operations(&doc) {
            let have = statuses(&op);
            let mut need = |status: &str, why: &str| {
                if !have.iter().any(|s| s == status) {
                    missing.push(format!("{method} {path}: {status} ({why})"));
                }
            };
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let param_in = |place: &str| params.iter().any(|p| p["in"] == place);
            if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
                need("401", "it reads a bearer token");
            }
            if param_in("path") {
                need("404", "it has a path parameter");
            }
            if param_in("query") {
                need("400", "it has query parameters");
            }
            if op["requestBody"]["content"].get("application/json").is_some() {
                for status in ["400", "413", "415", "422"] {
                    need(status, "it takes a JSON body");
                }
            }
            if problems::RATE_LIMITED.contains(&(method.as_str(), path.as_str())) {
                need("429", "it is rate-limited");
            }
            if path != "/healthz" && path != "/api/v1/instance" {
                need("503", "it reads the database");
            }
            let rate_limited = problems::RATE_LIMITED.contains(&(method.as_str(), path.as_str()));
            if rate_limited && op["responses"]["429"]["headers"].get("Retry-After").is_none() {
                missing.push(format!("{method} {path}: 429 without Retry-After"));
            }
        }
        assert!(missing.is_empty(), "statuses missing from the document:\n{}", missing.join("\n"));
    }

    #[test]
    fn every_operation_documents_what_success_looks_like() {
        let doc = document();
        let mut wrong = vec![];
        for (method, path, op) in operations(&doc) {
            let successes: Vec<(String, Value)> = op["responses"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(s, _)| s.starts_with('2'))
                .map(|(s, r)| (s.clone(), r.clone()))
                .collect();
            if successes.is_empty() {
                wrong.push(format!("{method} {path}: no success response"));
            }
            for (status, response) in successes {
                let has_body = response["content"].as_object().is_some_and(|c| !c.is_empty());
                let bodiless = status == "204" || (method == "post" && path.ends_with("/reports"));
                // A 202 may or may not say something (sign-up says what happens next).
                if status != "202" && has_body == bodiless {
                    wrong.push(format!("{method} {path} {status}: {}", if bodiless { "documents a body it never sends" } else { "has no schema" }));
                }
                for (media, content) in response["content"].as_object().cloned().unwrap_or_default() {
                    if content["schema"].is_null() {
                        wrong.push(format!("{method} {path} {status}: {media} without a schema"));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "success responses documented wrongly:\n{}", wrong.join("\n"));
    }
}
