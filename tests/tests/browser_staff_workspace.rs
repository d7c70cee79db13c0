//! The process workspace in a real browser (issue 13): an organiser creates a process with two
//! phases and a commitment through the pages (after a first try with errors) and publishes it;
//! axe on every page state in English, Spanish and French at 360 and 1280 px.

use convene_e2e::browser::run_scenario;
use convene_e2e::flows::admin_token;
use convene_e2e::{TestApp, expect_json};
use serde_json::json;

#[tokio::test]
async fn an_organiser_creates_a_process_with_two_phases_and_a_commitment_and_publishes_it() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "organiser@example.org").await;
    run_scenario(&app, "staff_workspace", json!({ "token": admin, "slug": "riverside-park" })).await;

    // What the pages did is what the API holds.
    let p = expect_json(app.client.get(app.url("/api/v1/processes/riverside-park")).bearer_auth(&admin).send().await.unwrap(), 200).await;
    assert_eq!(p["status"], "published");
    assert_eq!(p["title"]["en"], "Riverside park renewal");
    assert_eq!(p["phases"].as_array().unwrap().len(), 2);
    assert_eq!(p["phases"][1]["name"]["en"], "Vote");
    assert_eq!(p["commitments"][0]["measure"], json!({ "kind": "respond_within_days", "days": 30 }));
    assert_eq!((p["scope"].as_str(), p["iap2_level"].as_str()), (Some("local"), Some("consult")));
}
