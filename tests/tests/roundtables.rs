//! The built-in roundtable type through the API: registration up to capacity, reports filed
//! by facilitators only (the kind's role limit, enforced by the host), merged results.

use convene_e2e::flows::{add_activity, admin_token, contribute, published_process, user_token};
use convene_e2e::{TestApp, expect_json, problem};
use serde_json::json;

#[tokio::test]
async fn roundtables_register_to_capacity_and_take_facilitators_reports() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;
    let fran = user_token(&app, "fran@example.org").await;
    let res = app.post_json("/api/v1/processes/national-ai/members", &json!({ "email": "fran@example.org", "role": "facilitator" })).bearer_auth(&admin).send().await.unwrap();
    assert!(res.status().is_success());
    let activity = json!({ "type": "org.convene.roundtable", "title": { "en": "Regional roundtables", "es": "Mesas regionales" },
        "config": { "meetings": [
            { "id": "norte", "title": { "es": "Región Norte" }, "date": "2027-03-04", "time": "18:30", "place": "Centro cívico", "capacity": 1 },
            { "id": "online", "title": { "en": "Online" }, "date": "2027-03-11", "online_link": "https://meet.example.org/ai", "capacity": 50 } ] } });
    let rt = add_activity(&app, &admin, "national-ai", &activity).await;
    let id = rt["id"].as_str().unwrap();

    let ana = user_token(&app, "ana@example.org").await;
    let ben = user_token(&app, "ben@example.org").await;
    expect_json(contribute(&app, &ana, id, &json!({ "kind": "registration", "body": { "meeting": "norte" } })).await, 201).await;
    let full = contribute(&app, &ben, id, &json!({ "kind": "registration", "body": { "meeting": "norte" } })).await;
    assert_eq!(full.status(), 422);
    assert!(problem(full).await["errors"][0]["problem"].as_str().unwrap().contains("full"));

    let report = json!({ "kind": "report", "body": { "meeting": "norte", "attendance": 12,
        "key_points": ["Residents want a say before AI is used in social services"], "recommendations": ["Publish an algorithm register"] } });
    let res = contribute(&app, &ana, id, &report).await;
    assert_eq!(res.status(), 403, "participants do not file reports");
    expect_json(contribute(&app, &fran, id, &report).await, 201).await;

    let results = expect_json(app.get(&format!("/api/v1/activities/{id}/results")).send().await.unwrap(), 200).await;
    assert_eq!(results["sections"][0]["body"]["en"], "1 of 2 meetings reported; 12 people attended; 1 registration.");
    assert_eq!(results["sections"][2]["rows"][0], json!(["Publish an algorithm register", "1"]));
}

/// The capacity check reads the registrations so far and the registration adds one: the
/// host commits such a verdict only if nothing changed meanwhile, so 12 people registering
/// at the same moment for 5 places fill exactly 5, on either database.
#[tokio::test]
async fn concurrent_registrations_never_exceed_capacity() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;
    let activity = json!({ "type": "org.convene.roundtable", "title": { "en": "Roundtable" },
        "config": { "meetings": [ { "id": "sur", "title": { "es": "Región Sur" }, "date": "2027-03-04", "place": "Biblioteca", "capacity": 5 } ] } });
    let id = add_activity(&app, &admin, "national-ai", &activity).await["id"].as_str().unwrap().to_string();
    let mut people = Vec::new();
    for i in 0..12 {
        people.push(user_token(&app, &format!("p{i}@example.org")).await);
    }
    let body = json!({ "kind": "registration", "body": { "meeting": "sur" } });
    let attempts = people.iter().map(|token| contribute(&app, token, &id, &body));
    let statuses: Vec<u16> = futures::future::join_all(attempts).await.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 5, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 201 || *s == 422), "the rest are told the meeting is full: {statuses:?}");
    let results = expect_json(app.get(&format!("/api/v1/activities/{id}/results")).send().await.unwrap(), 200).await;
    assert!(results["sections"][0]["body"]["en"].as_str().unwrap().contains("5 registrations"), "{results}");
}
