//! The error half of the OpenAPI document, by rule rather than by hand on every handler.
//!
//! Every error the API sends is `application/problem+json` with the [`Problem`] schema (see
//! `http::problem`), and most of them come from machinery every handler shares: the bearer
//! extractors (401), the path extractor (404 for a malformed or unknown id), `ApiJson` and
//! `ApiQuery` (400, 413, 415, 422), the rate limits (429) and the database pool (503). So those
//! statuses are added here from what the operation declares (security, parameters, request
//! body), and the handlers' attributes list only what their use case adds: 403, 409, 410, 502.
//! Any error a handler does list gets the problem content too, so no handler can document an
//! error in another shape by accident.

use std::collections::BTreeMap;

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::{Content, ContentBuilder, OpenApi, Ref, RefOr, Response, Schema};
use utoipa::{Modify, PartialSchema};

use crate::http::problem::CONTENT_TYPE;

/// Operations that answer 429 when a caller goes over a configured limit (sign-in emails and
/// sign-ups per address and client, password attempts, contributions and reports per account,
/// account-deletion links per address).
pub const RATE_LIMITED: &[(&str, &str)] = &[
    ("post", "/api/v1/auth/signup"),
    ("post", "/api/v1/auth/magic-link"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/activities/{id}/contributions"),
    ("post", "/api/v1/contributions/{id}/reports"),
    ("post", "/api/v1/me/deletion"),
];

/// Operations that never touch the database, so never answer 503.
const WITHOUT_DATABASE: &[(&str, &str)] = &[("get", "/healthz"), ("get", "/api/v1/instance")];

/// Operations whose error responses are not problems: a readiness probe answers 503 with its
/// own small status object, which load balancers and people read alike.
const OWN_ERROR_BODIES: &[(&str, &str)] = &[("get", "/readyz")];

pub struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, op) in operations_mut(item) {
                if OWN_ERROR_BODIES.contains(&(method, path.as_str())) {
                    continue;
                }
                add_by_rule(method, path, op);
                for (status, response) in op.responses.responses.iter_mut() {
                    if is_error(status) {
                        if let RefOr::T(response) = response {
                            response.content.clear();
                            response.content.insert(CONTENT_TYPE.to_string(), problem_content());
                        }
                    }
                }
                // `Problem::response` sends the challenge with every 401.
                header(&mut op.responses.responses, "401", "WWW-Authenticate", String::schema(), "`Bearer realm=\"convene\"`");
            }
        }
    }
}

/// Every operation of a path item with its method in lower case, as OpenAPI spells it.
fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    [
        ("get", item.get.as_mut()),
        ("put", item.put.as_mut()),
        ("post", item.post.as_mut()),
        ("delete", item.delete.as_mut()),
        ("options", item.options.as_mut()),
        ("head", item.head.as_mut()),
        ("patch", item.patch.as_mut()),
        ("trace", item.trace.as_mut()),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.map(|op| (method, op)))
}

fn is_error(status: &str) -> bool {
    status.starts_with('4') || status.starts_with('5')
}

fn add_by_rule(method: &str, path: &str, op: &mut Operation) {
    let params = op.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
    let (in_path, in_query, in_header) = (has(ParameterIn::Path), has(ParameterIn::Query), has(ParameterIn::Header));
    let body_types: Vec<String> = op.request_body.as_ref().map(|b| b.content.keys().cloned().collect()).unwrap_or_default();
    let json_body = body_types.iter().any(|t| t == "application/json");
    let raw_body = !body_types.is_empty() && !json_body;
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());

    let responses = &mut op.responses.responses;
    let mut add = |status: &str, description: &str| {
        responses.entry(status.to_string()).or_insert_with(|| RefOr::T(Response::new(description)));
    };
    if in_query || in_header {
        add("400", "A query parameter or header is malformed or unknown; `errors` names it.");
    }
    if json_body {
        add("400", "The body is not JSON of the expected shape; `errors` names the field.");
        add("413", "The body is larger than the API accepts.");
        add("415", "The body is not sent as `application/json`.");
        add("422", "The input breaks a rule; `errors` names each field and what is wrong with it.");
    }
    if raw_body {
        add("400", "The body or its content type is not what this operation takes.");
        add("413", "The body is larger than the API accepts.");
    }
    if secured {
        add("401", "The access token is missing (where required), malformed, expired or revoked.");
    }
    if in_path {
        add("404", "Nothing here: the id is malformed or unknown, or the caller may not see it.");
    }
    if !WITHOUT_DATABASE.contains(&(method, path)) {
        add("503", "The database is unreachable; try again shortly.");
    }
    if RATE_LIMITED.contains(&(method, path)) {
        add("429", "Too many requests: wait for the number of seconds in `Retry-After`.");
        header(responses, "429", "Retry-After", u64::schema(), "Seconds to wait before trying again.");
    }
}

fn header(responses: &mut BTreeMap<String, RefOr<Response>>, status: &str, name: &str, schema: impl Into<RefOr<Schema>>, description: &str) {
    if let Some(RefOr::T(response)) = responses.get_mut(status) {
        let header = HeaderBuilder::new().schema(schema).description(Some(description)).build();
        response.headers.insert(name.to_string(), header);
    }
}

fn problem_content() -> Content {
    ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build()
}
