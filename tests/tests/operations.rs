//! Health, readiness, metrics, the OpenAPI document, problem+json for unknown routes, request
//! ids, and the demo instance.

use convene_e2e::{TestApp, problem};
use serde_json::Value;

#[tokio::test]
async fn health_readiness_metrics_and_request_ids() {
    let app = TestApp::builder().with_metrics().spawn().await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["database"], "ok");

    let res = app.client.get(app.url("/api/v1/processes/does-not-exist")).send().await.unwrap();
    assert!(res.headers().get("x-request-id").is_some());
    assert_eq!(res.headers().get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(problem(res).await["status"], 404);
    let res = app.client.get(app.url("/no/such/route")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("/no/such/route"));

    let metrics = app.metrics().await;
    assert!(metrics.contains("convene_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"), "{metrics}");
    assert!(metrics.contains("route=\"/api/v1/processes/{key}\",status=\"404\""), "labelled by pattern: {metrics}");
    assert!(metrics.contains("convene_http_request_duration_seconds_bucket"));
    assert!(metrics.contains("convene_db_pool_connections"));
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let app = TestApp::spawn().await;
    let doc: Value = app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in ["/api/v1/processes", "/api/v1/processes/{key}", "/api/v1/auth/magic-link/consume", "/api/v1/admin/census", "/readyz"] {
        assert!(paths.contains_key(p), "missing {p}");
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for s in ["NewProcess", "ProcessView", "Problem", "FieldError", "Measure"] {
        assert!(schemas.contains_key(s), "missing schema {s}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn the_demo_instance_is_alive_in_english_and_spanish() {
    let app = TestApp::builder().arg("--demo").spawn().await;
    let list: Value = app.client.get(app.url("/api/v1/processes?limit=100")).send().await.unwrap().json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    assert!(items.len() >= 4, "{list}");
    for p in items {
        assert!(p["title"]["en"].is_string() && p["title"]["es"].is_string(), "{p}");
        assert!(p["current_phase"].is_object(), "each published demo process has a phase running: {p}");
    }
    let scopes: Vec<&str> = items.iter().map(|p| p["scope"].as_str().unwrap()).collect();
    for s in ["national", "local", "sectoral"] {
        assert!(scopes.contains(&s), "{scopes:?}");
    }
    // A child process points at its parent.
    assert!(items.iter().any(|p| p["parent_id"].is_string()));
    // The city strategy has an open consultation, in both languages, taking answers.
    let activities: Value = app.client.get(app.url("/api/v1/processes/villaluz-ai-and-data-strategy/activities")).send().await.unwrap().json().await.unwrap();
    let consultation = &activities[0];
    assert_eq!(consultation["type"], "org.convene.consultation");
    assert_eq!(consultation["state"], "open");
    assert!(consultation["title"]["es"].is_string());
    let form: Value = app.client.get(app.url(&format!("/api/v1/activities/{}/form?kind=response", consultation["id"].as_str().unwrap()))).send().await.unwrap().json().await.unwrap();
    assert_eq!(form.as_array().unwrap().len(), 5, "{form}");
    // Every first-party activity type has a demo activity whose results it computes.
    let mut types = Vec::new();
    for slug in ["villaluz-ai-and-data-strategy", "ai-strategy-roundtables-costa-norte", "facial-recognition-citizens-panel", "lindenport-benefits-risk-scoring-oversight"] {
        let activities: Value = app.client.get(app.url(&format!("/api/v1/processes/{slug}/activities"))).send().await.unwrap().json().await.unwrap();
        for a in activities.as_array().unwrap() {
            let res = app.client.get(app.url(&format!("/api/v1/activities/{}/results", a["id"].as_str().unwrap()))).send().await.unwrap();
            assert_eq!(res.status(), 200, "results of the demo {}", a["type"]);
            types.push(a["type"].as_str().unwrap().to_string());
        }
    }
    types.sort();
    assert_eq!(types, ["org.convene.citizen-panel", "org.convene.consultation", "org.convene.oversight-group", "org.convene.roundtable", "org.convene.self-convened"]);
    // The front page lists them, escaped.
    let html = app.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<h1>Processes</h1>"), "{html}");
    for p in items {
        assert!(html.contains(&format!("href=\"/processes/{}\"", p["slug"].as_str().unwrap())), "the front page links {}", p["slug"]);
    }
    // Loading again is a no-op.
    let out = app.cli(&["demo"]).await;
    assert!(String::from_utf8_lossy(&out.stdout).contains("already loaded"));
}
