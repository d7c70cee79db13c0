//! Activities and contributions through the API, with the built-in consultation plugin (real
//! WebAssembly) checking every configuration and body.

use convene_e2e::flows::{add_activity, admin_token, contribute, create_process, process_body, published_process, user_token};
use convene_e2e::{TestApp, expect_json, problem};
use serde_json::{Value, json};

fn fields(p: &Value) -> Vec<String> {
    p["errors"].as_array().map(|a| a.iter().map(|e| e["field"].as_str().unwrap().to_string()).collect()).unwrap_or_default()
}

fn consultation() -> Value {
    json!({
        "type": "org.convene.consultation",
        "title": { "en": "Consultation on the national AI strategy", "es": "Consulta sobre la estrategia nacional de IA" },
        "config": { "questions": [
            { "id": "priority", "type": "single_choice", "required": true,
              "text": { "en": "Where should public AI help first?" },
              "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "transport", "label": { "en": "Transport" } } ] },
            { "id": "why", "type": "free_text", "required": false, "text": { "en": "Why?" } }
        ] }
    })
}

#[tokio::test]
async fn a_consultation_takes_checked_contributions_and_computes_results() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;

    // The built-in type is listed for organisers.
    let types = expect_json(app.get("/api/v1/activity-types").send().await.unwrap(), 200).await;
    assert!(types.as_array().unwrap().iter().any(|t| t["id"] == "org.convene.consultation"), "{types}");

    let activity = add_activity(&app, &admin, "national-ai", &consultation()).await;
    let id = activity["id"].as_str().unwrap().to_string();
    assert_eq!(activity["state"], "open");
    assert_eq!(activity["config"]["questions"][0]["id"], "priority");

    // The form comes from the plugin under this configuration.
    let form = expect_json(app.get(&format!("/api/v1/activities/{id}/form?kind=response")).send().await.unwrap(), 200).await;
    assert!(form.to_string().contains("Where should public AI help first?"), "{form}");

    let ana = user_token(&app, "ana@example.org").await;
    let ok = contribute(&app, &ana, &id, &json!({ "kind": "response", "body": { "answers": { "priority": "health", "why": "Waiting lists" } } })).await;
    let ok = expect_json(ok, 201).await;
    assert_eq!(ok["body"]["answers"]["priority"], "health");
    assert_eq!(ok["channel"], "online");
    assert_eq!(ok["mine"], true);

    // The plugin's field errors come back as problem+json field errors under `body.`.
    let bad = contribute(&app, &ana, &id, &json!({ "kind": "response", "body": { "answers": { "priority": "space" } } })).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(fields(&problem(bad).await), vec!["body.answers.priority"]);
    let missing = contribute(&app, &ana, &id, &json!({ "kind": "response", "body": { "answers": {} } })).await;
    assert_eq!(missing.status(), 422);
    assert_eq!(fields(&problem(missing).await), vec!["body.answers.priority"]);
    // A kind the type does not take, and a language the instance does not offer.
    let res = contribute(&app, &ana, &id, &json!({ "kind": "essay", "body": {} })).await;
    assert_eq!(res.status(), 422);
    assert_eq!(fields(&problem(res).await), vec!["kind"]);
    let res = contribute(&app, &ana, &id, &json!({ "kind": "response", "body": { "answers": { "priority": "health" } }, "language": "de" })).await;
    assert_eq!(fields(&problem(res).await), vec!["language"]);

    let ben = user_token(&app, "ben@example.org").await;
    for (who, choice) in [(&ben, "transport"), (&ben, "health")] {
        expect_json(contribute(&app, who, &id, &json!({ "kind": "response", "body": { "answers": { "priority": choice } } })).await, 201).await;
    }

    // Rejected submissions stored nothing: three contributions, listed without authors.
    let list = expect_json(app.get(&format!("/api/v1/activities/{id}/contributions")).send().await.unwrap(), 200).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|c| c.get("author_id").is_none() && c["mine"] == false));

    // Results are computed by the plugin: 2 health, 1 transport.
    let results = expect_json(app.get(&format!("/api/v1/activities/{id}/results")).send().await.unwrap(), 200).await;
    let chart = results["sections"].as_array().unwrap().iter().find(|s| s["type"] == "chart").expect("a chart section");
    assert_eq!(chart["series"][0]["values"], json!([2.0, 1.0]), "{results}");
}

#[tokio::test]
async fn bad_configurations_and_unknown_types_are_refused_with_field_errors() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    create_process(&app, &admin, &process_body("city-ai")).await;

    let mut body = consultation();
    body["config"] = json!({ "questions": [] });
    let res = app.post_json("/api/v1/processes/city-ai/activities", &body).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(fields(&problem(res).await), vec!["config.questions"]);

    let mut body = consultation();
    body["type"] = json!("org.example.nothing");
    let res = app.post_json("/api/v1/processes/city-ai/activities", &body).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(fields(&problem(res).await), vec!["type"]);

    let mut body = consultation();
    body["title"] = json!({});
    body["opens_at"] = json!("2027-02-01T00:00:00Z");
    body["closes_at"] = json!("2027-01-01T00:00:00Z");
    body["config"] = json!([1, 2]);
    let res = app.post_json("/api/v1/processes/city-ai/activities", &body).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(fields(&problem(res).await), vec!["title", "closes_at", "config"]);

    // Only organisers add activities; nothing was stored by any refusal.
    let eve = user_token(&app, "eve@example.org").await;
    let res = app.post_json("/api/v1/processes/city-ai/activities", &consultation()).bearer_auth(&eve).send().await.unwrap();
    assert_eq!(res.status(), 404, "a draft is invisible to a stranger");
    let list = expect_json(app.get("/api/v1/processes/city-ai/activities").bearer_auth(&admin).send().await.unwrap(), 200).await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn contributions_need_an_open_activity_in_a_published_process() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    create_process(&app, &admin, &process_body("draft-one")).await;
    let draft_activity = add_activity(&app, &admin, "draft-one", &consultation()).await;
    published_process(&app, &admin, "open-one").await;
    let mut closed = consultation();
    closed["opens_at"] = json!("2020-01-01T00:00:00Z");
    closed["closes_at"] = json!("2020-02-01T00:00:00Z");
    let closed = add_activity(&app, &admin, "open-one", &closed).await;
    assert_eq!(closed["state"], "closed");
    let mut upcoming = consultation();
    upcoming["opens_at"] = json!("2099-01-01T00:00:00Z");
    let upcoming = add_activity(&app, &admin, "open-one", &upcoming).await;
    let open = add_activity(&app, &admin, "open-one", &consultation()).await;

    let ana = user_token(&app, "ana@example.org").await;
    let answer = json!({ "kind": "response", "body": { "answers": { "priority": "health" } } });
    // The draft process is invisible to her: 404, not a hint that it exists.
    assert_eq!(contribute(&app, &ana, draft_activity["id"].as_str().unwrap(), &answer).await.status(), 404);
    for (activity, says) in [(&closed, "closed at"), (&upcoming, "not open yet")] {
        let res = contribute(&app, &ana, activity["id"].as_str().unwrap(), &answer).await;
        assert_eq!(res.status(), 409);
        let p = problem(res).await;
        assert!(p["detail"].as_str().unwrap().contains(says), "{p}");
    }
    // Signed out: 401. Too large: 413, named.
    let open_id = open["id"].as_str().unwrap();
    let res = app.post_json(&format!("/api/v1/activities/{open_id}/contributions"), &answer).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let big = json!({ "kind": "response", "body": { "answers": { "why": "x".repeat(70_000) } } });
    let res = contribute(&app, &ana, open_id, &big).await;
    assert_eq!(res.status(), 413);
    assert_eq!(fields(&problem(res).await), vec!["body"]);

    // A retried submission with the same idempotency key is stored once.
    let send = || app.post_json(&format!("/api/v1/activities/{open_id}/contributions"), &answer).bearer_auth(&ana).header("Idempotency-Key", "form-42").send();
    let first = expect_json(send().await.unwrap(), 201).await;
    let again = send().await.unwrap();
    assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
    let again = expect_json(again, 200).await;
    assert_eq!(first["id"], again["id"]);
    let list = expect_json(app.get(&format!("/api/v1/activities/{open_id}/contributions")).send().await.unwrap(), 200).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

/// The built-in type for reports from linked processes: listed with its one kind, which other
/// instances may send, and working as real WebAssembly on a report typed in by hand.
#[tokio::test]
async fn reports_from_linked_processes_are_a_built_in_type() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;

    let types = expect_json(app.get("/api/v1/activity-types").send().await.unwrap(), 200).await;
    let linked = types.as_array().unwrap().iter().find(|t| t["id"] == "org.convene.linked-reports").unwrap_or_else(|| panic!("{types}"));
    assert_eq!(linked["name"]["es"], "Informes de procesos vinculados");
    let kinds = linked["contribution_kinds"].as_array().unwrap();
    assert_eq!(kinds.len(), 1, "{linked}");
    assert_eq!((&kinds[0]["id"], &kinds[0]["remote_allowed"], &kinds[0]["submitted_by"]), (&json!("report"), &json!(true), &json!([])));
    let names: Vec<&str> = kinds[0]["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["title", "summary", "link", "participants", "source"]);

    // No configuration needed.
    let activity = add_activity(&app, &admin, "national-ai", &json!({ "type": "org.convene.linked-reports", "title": { "en": "Reports from linked processes" } })).await;
    let id = activity["id"].as_str().unwrap().to_string();
    assert_eq!(activity["config"], json!({}));

    let bad = contribute(&app, &admin, &id, &json!({ "kind": "report", "body": { "title": "Costa Norte", "summary": "…", "link": "ftp://x" } })).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(fields(&problem(bad).await), vec!["body.link"]);
    let report = json!({ "kind": "report", "body": { "title": " Costa Norte roundtables: outcome ", "summary": "They recommend an algorithm register.",
        "participants": 48, "source": "Costa Norte roundtables (convene.costanorte.example)" } });
    let stored = expect_json(contribute(&app, &admin, &id, &report).await, 201).await;
    assert_eq!(stored["body"]["title"], "Costa Norte roundtables: outcome", "the plugin normalised it");

    let results = expect_json(app.get(&format!("/api/v1/activities/{id}/results")).send().await.unwrap(), 200).await;
    assert_eq!(results["sections"][0]["body"]["en"], "1 report from linked processes. People who took part, as the reports give it: 48.", "{results}");
    assert_eq!(results["sections"][1]["rows"], json!([["Costa Norte roundtables: outcome", "Costa Norte roundtables (convene.costanorte.example)", "48", ""]]));
}
