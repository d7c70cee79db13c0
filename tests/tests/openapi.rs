//! The OpenAPI document against the server that serves it: the errors the shared extractors
//! produce are sent as application/problem+json, and the document says so for that operation
//! and status. (Schemathesis, tests/schemathesis, checks every operation at length; this is the
//! quick guard that runs with the end-to-end suites on both databases.)

use convene_e2e::TestApp;
use serde_json::Value;

struct Case {
    method: &'static str,
    /// The path as the document spells it.
    documented: &'static str,
    /// The path requested.
    path: &'static str,
    content_type: Option<&'static str>,
    body: &'static str,
    status: u16,
}

const fn case(method: &'static str, documented: &'static str, path: &'static str, status: u16) -> Case {
    Case { method, documented, path, content_type: None, body: "", status }
}

const fn with_body(mut c: Case, content_type: &'static str, body: &'static str) -> Case {
    c.content_type = Some(content_type);
    c.body = body;
    c
}

#[tokio::test]
async fn errors_are_served_and_documented_as_problem_json() {
    let app = TestApp::spawn().await;
    let doc: Value = app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let cases = [
        case("get", "/api/v1/processes/{key}", "/api/v1/processes/no-such-process", 404),
        case("get", "/api/v1/activities/{id}", "/api/v1/activities/not-a-uuid", 404),
        case("get", "/api/v1/processes", "/api/v1/processes?limit=0", 400),
        case("get", "/api/v1/processes", "/api/v1/processes?colour=blue", 400),
        case("get", "/api/v1/me", "/api/v1/me", 401),
        case("delete", "/api/v1/contributions/{id}", "/api/v1/contributions/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", 401),
        with_body(case("post", "/api/v1/auth/signup", "/api/v1/auth/signup", 415), "text/plain", "hello"),
        with_body(case("post", "/api/v1/auth/signup", "/api/v1/auth/signup", 400), "application/json", "{"),
        with_body(case("post", "/api/v1/auth/signup", "/api/v1/auth/signup", 422), "application/json", r#"{"email":"not an address","display_name":"A"}"#),
        with_body(case("post", "/api/v1/auth/magic-link/consume", "/api/v1/auth/magic-link/consume", 400), "application/json", r#"{"token":"nope"}"#),
        case("get", "/api/v1/admin/federation", "/api/v1/admin/federation", 401),
        with_body(case("post", "/api/v1/admin/federation/blocks", "/api/v1/admin/federation/blocks", 401), "application/json", r#"{"instance":"social.example"}"#),
        case("delete", "/api/v1/admin/federation/blocks/{instance}", "/api/v1/admin/federation/blocks/social.example", 401),
        with_body(case("post", "/api/v1/processes/{key}/remote-follow", "/api/v1/processes/no-such-process/remote-follow", 404), "application/json", r#"{"handle":"@ana@social.example"}"#),
        with_body(case("post", "/api/v1/processes/{key}/remote-follow", "/api/v1/processes/no-such-process/remote-follow", 400), "application/json", r#"{"handle":"@ana@social.example","extra":1}"#),
    ];
    for c in cases {
        let mut req = app.client.request(c.method.to_uppercase().parse().unwrap(), app.url(c.path));
        if let Some(content_type) = c.content_type {
            req = req.header("content-type", content_type).body(c.body);
        }
        let res = req.send().await.unwrap();
        let what = format!("{} {}", c.method.to_uppercase(), c.path);
        assert_eq!(res.status().as_u16(), c.status, "{what}: {}", res.text().await.unwrap());
        let served = res.headers()["content-type"].to_str().unwrap().to_string();
        assert!(served.starts_with("application/problem+json"), "{what} is served as {served}");
        let problem: Value = res.json().await.unwrap();
        assert_eq!(problem["status"], c.status, "{what}: {problem}");

        let documented = &doc["paths"][c.documented][c.method]["responses"][c.status.to_string()];
        let content = documented["content"].as_object().unwrap_or_else(|| panic!("{what}: {} is not documented", c.status));
        assert_eq!(content.keys().collect::<Vec<_>>(), ["application/problem+json"], "{what}: {documented}");
        assert_eq!(content["application/problem+json"]["schema"]["$ref"], "#/components/schemas/Problem", "{what}");
    }
}
