//! The facilitator's desk and the moderation queue in a real browser (issue 13, items 3 and
//! 4): ten paper answers entered by keyboard alone with "Save and enter the next", and a
//! reported contribution hidden with a public reason; axe on every state (see
//! `tests/browser/scenarios/staff_desk.mjs`).

use convene_e2e::browser::run_scenario;
use convene_e2e::flows::{add_activity, add_member, admin_token, contribute, published_process, user_token};
use convene_e2e::{TestApp, expect_json};
use serde_json::json;

const TITLE: &str = "Where should public AI help first?";

#[tokio::test]
async fn a_facilitator_enters_ten_paper_answers_by_keyboard_and_hides_a_reported_contribution() {
    let app = TestApp::spawn().await;
    let slug = "desk-browser";
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, slug).await;
    let consultation = json!({ "type": "org.convene.consultation", "title": { "en": TITLE, "es": "¿Dónde debe ayudar primero la IA pública?" },
        "config": { "questions": [
            { "id": "priority", "type": "single_choice", "required": true, "text": { "en": "Priority?", "es": "¿Prioridad?" },
              "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "transport", "label": { "en": "Transport" } } ] },
            { "id": "comment", "type": "free_text", "max_length": 40, "text": { "en": "Anything else?" } } ] } });
    let activity = add_activity(&app, &admin, slug, &consultation).await["id"].as_str().unwrap().to_string();
    let facilitator = user_token(&app, "fatima.facilitator@example.org").await;
    add_member(&app, &admin, slug, "fatima.facilitator@example.org", "facilitator").await;
    // A contribution someone reported.
    let ana = user_token(&app, "ana@example.org").await;
    let body = json!({ "kind": "response", "body": { "answers": { "priority": "health", "comment": "Shout at the mayor" } } });
    let reported = expect_json(contribute(&app, &ana, &activity, &body).await, 201).await["id"].as_str().unwrap().to_string();
    let bob = user_token(&app, "bob@example.org").await;
    let report_reason = "Insults the mayor";
    let res = app.post_json(&format!("/api/v1/contributions/{reported}/reports"), &json!({ "reason": report_reason })).bearer_auth(&bob).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let hide_reason = "Insults a person by name.";

    run_scenario(
        &app,
        "staff_desk",
        json!({ "token": facilitator, "slug": slug, "activityId": activity, "activityTitle": TITLE, "reportReason": report_reason, "hideReason": hide_reason }),
    )
    .await;

    // What the pages did is what the API holds: ten paper answers entered by the facilitator,
    // each with its own reference, and the hidden one in the public log.
    let list = expect_json(app.get(&format!("/api/v1/activities/{activity}/contributions?limit=50")).bearer_auth(&facilitator).send().await.unwrap(), 200).await;
    let paper: Vec<_> = list["items"].as_array().unwrap().iter().filter(|c| c["channel"] == "paper").collect();
    assert_eq!(paper.len(), 10, "{list}");
    let mut refs: Vec<&str> = paper.iter().map(|c| c["reference"].as_str().unwrap()).collect();
    refs.sort();
    refs.dedup();
    assert_eq!(refs.len(), 10);
    assert!(paper.iter().all(|c| c["mine"] == true));
    assert_eq!(paper.iter().filter(|c| c["body"]["answers"]["priority"] == "transport").count(), 5, "{list}");
    assert!(paper.iter().any(|c| c["body"]["answers"]["comment"] == "Paper answer 10"), "{list}");
    let log = expect_json(app.get(&format!("/api/v1/processes/{slug}/moderation")).send().await.unwrap(), 200).await;
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
    assert_eq!((log[0]["action"].as_str(), log[0]["reason"].as_str()), (Some("hidden"), Some(hide_reason)));
    assert_eq!(log[0]["contribution_id"], reported.as_str());
}
