//! A contribution's own page, its change, withdrawal and report forms, and the census
//! attribute page in a real browser, with axe on every state (see `tests/tests/browser.rs`).

use convene_e2e::browser::run_scenario;
use convene_e2e::flows::{add_activity, admin_token, contribute, published_process, user_token};
use convene_e2e::{TestApp, expect_json};
use serde_json::json;

#[tokio::test]
async fn contribution_and_attribute_pages_in_a_browser() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "browser-c").await;
    let activity = json!({ "type": "org.convene.consultation", "title": { "en": "Where should public AI help first?", "es": "¿Dónde debe ayudar primero la IA pública?" },
        "config": { "questions": [
            { "id": "priority", "type": "single_choice", "required": true, "text": { "en": "Priority?" },
              "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "transport", "label": { "en": "Transport" } } ] },
            { "id": "comment", "type": "free_text", "max_length": 20, "text": { "en": "Anything else?" } } ] } });
    let id = add_activity(&app, &admin, "browser-c", &activity).await["id"].as_str().unwrap().to_string();
    let ana = user_token(&app, "ana@example.org").await;
    let ben = user_token(&app, "ben@example.org").await;
    let body = json!({ "kind": "response", "body": { "answers": { "priority": "health", "comment": "Hospitals" } } });
    let contribution = expect_json(contribute(&app, &ana, &id, &body).await, 201).await["id"].as_str().unwrap().to_string();
    let res = app.post("/api/v1/admin/census?attribute=resident").bearer_auth(&admin).header("content-type", "text/csv").body("identifier\nZQ-1234\n").send().await.unwrap();
    assert!(res.status().is_success());
    run_scenario(&app, "contribution_pages", json!({ "contribution": contribution, "ana": ana, "ben": ben })).await;
    let reports = expect_json(app.get("/api/v1/processes/browser-c/reports").bearer_auth(&admin).send().await.unwrap(), 200).await;
    assert!(reports.to_string().contains("Elle donne le nom de mon voisin"), "the report sent in the browser reached the moderators: {reports}");
}
