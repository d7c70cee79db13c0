//! The staff's activity pages in a real browser (issue 13): an organiser adds a consultation
//! (a configuration error first, then a valid one) and runs a citizen panel's draw from its
//! page, with axe on every page state (see `tests/browser/scenarios/staff_activities.mjs`).

use convene_e2e::browser::run_scenario;
use convene_e2e::flows::{add_activity, add_member, admin_token, contribute, published_process, user_token};
use convene_e2e::{TestApp, expect_json};
use serde_json::json;

#[tokio::test]
async fn an_organiser_adds_a_consultation_and_draws_a_citizen_panel() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "staff-acts").await;
    let olga = user_token(&app, "olga@example.org").await;
    add_member(&app, &admin, "staff-acts", "olga@example.org", "organiser").await;
    let options = |values: &[&str]| values.iter().map(|v| json!({ "value": v, "label": { "en": format!("Aged {v}") } })).collect::<Vec<_>>();
    let config = json!({ "panel_size": 2,
        "questions": [ { "id": "age", "text": { "en": "Your age" }, "options": options(&["18-44", "45+"]) } ],
        "quotas": { "age": { "18-44": { "min": 1 }, "45+": { "min": 1 } } },
        "consent": { "en": "I agree that my answers are used for the draw." } });
    let panel = add_activity(&app, &olga, "staff-acts", &json!({ "type": "org.convene.citizen-panel", "title": { "en": "Citizen panel" }, "config": config })).await;
    let panel = panel["id"].as_str().unwrap().to_string();
    for (email, age) in [("ana@example.org", "18-44"), ("bea@example.org", "45+"), ("cai@example.org", "45+")] {
        let token = user_token(&app, email).await;
        expect_json(contribute(&app, &token, &panel, &json!({ "kind": "volunteer", "body": { "answers": { "age": age }, "consent": true } })).await, 201).await;
    }
    let consultation = json!({ "questions": [ { "id": "priority", "type": "single_choice", "required": true, "text": { "en": "Priority?" },
        "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "transport", "label": { "en": "Transport" } } ] } ] });
    run_scenario(&app, "staff_activities", json!({ "token": olga, "slug": "staff-acts", "panel": panel, "config": consultation.to_string() })).await;

    // What the browser did, as the API sees it.
    let list = expect_json(app.get("/api/v1/processes/staff-acts/activities").send().await.unwrap(), 200).await;
    let added: Vec<_> = list.as_array().unwrap().iter().filter(|a| a["type"] == "org.convene.consultation").collect();
    assert_eq!(added.len(), 1, "one consultation, added on the second try: {list}");
    assert_eq!(added[0]["title"]["en"], "Street survey");
    let p = expect_json(app.get(&format!("/api/v1/activities/{panel}")).send().await.unwrap(), 200).await;
    assert!(p["seed"]["sha256"].is_string(), "the seed was committed: {p}");
}
