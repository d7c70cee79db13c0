//! The staff's outcome pages in a real browser (issue 13): an organiser publishes an outcome
//! citing three contributions, found through the editor's search, and revises it with a note;
//! the history shows the differences; the report dashboard lists the commitment at risk first.
//! The scenario runs axe on every page state (see `tests/browser/scenarios/staff_outcome.mjs`).

use convene_e2e::browser::run_scenario;
use convene_e2e::flows::{add_activity, add_member, admin_token, contribute, create_process, process_body, user_token};
use convene_e2e::{TestApp, expect_json};
use serde_json::json;

const SLUG: &str = "river-plan";
const RISKY: &str = "We answer every contribution within 3 days of the close.";
const TEXTS: [&str; 4] = ["Hospitals need night buses", "Libraries should open late", "Parks for every district", "More bike lanes downtown"];

#[tokio::test]
async fn an_organiser_publishes_an_outcome_citing_three_contributions_and_revises_it() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let mut body = process_body(SLUG);
    body["commitments"] = json!([
        { "text": { "en": "We publish the outcome within 60 days of the last phase." }, "measure": { "kind": "publish_outcome_within_days", "days": 60 } },
        { "text": { "en": RISKY }, "measure": { "kind": "respond_within_days", "days": 3 } }
    ]);
    create_process(&app, &admin, &body).await;
    assert_eq!(app.client.post(app.url(&format!("/api/v1/processes/{SLUG}/publish"))).bearer_auth(&admin).send().await.unwrap().status(), 200);
    let closes = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let activity = json!({ "type": "org.convene.consultation", "title": { "en": "Your river" }, "closes_at": closes,
        "config": { "questions": [ { "id": "q", "type": "free_text", "required": true, "text": { "en": "Your view?" } } ] } });
    let aid = add_activity(&app, &admin, SLUG, &activity).await["id"].as_str().unwrap().to_string();
    let organiser = user_token(&app, "olga@example.org").await;
    add_member(&app, &admin, SLUG, "olga@example.org", "organiser").await;
    // Organisers who read in Spanish and in French (an account's language wins over the cookie).
    let mut by_lang = serde_json::Map::new();
    for lang in ["es", "fr"] {
        let email = format!("olga.{lang}@example.org");
        let token = user_token(&app, &email).await;
        add_member(&app, &admin, SLUG, &email, "organiser").await;
        let res = app.client.patch(app.url("/api/v1/me")).bearer_auth(&token).json(&json!({ "locale": lang })).send().await.unwrap();
        assert_eq!(res.status(), 200);
        by_lang.insert(lang.to_string(), json!(token));
    }
    for (who, text) in ["ana", "ben", "eva", "ivo"].iter().zip(TEXTS) {
        let token = user_token(&app, &format!("{who}@example.org")).await;
        expect_json(contribute(&app, &token, &aid, &json!({ "kind": "response", "body": { "answers": { "q": text } } })).await, 201).await;
    }

    run_scenario(&app, "staff_outcome", json!({ "slug": SLUG, "organiserToken": organiser, "tokens": by_lang, "texts": TEXTS, "risky": RISKY })).await;

    // What the pages did is what the API holds: two versions, the second with its note.
    let versions = expect_json(app.get(&format!("/api/v1/processes/{SLUG}/outcomes")).send().await.unwrap(), 200).await;
    assert_eq!(versions.as_array().unwrap().len(), 2, "{versions}");
    assert_eq!(versions[0]["note"], json!({ "en": "Trams instead of bike lanes." }));
    let current = expect_json(app.get(&format!("/api/v1/processes/{SLUG}/outcomes/current")).send().await.unwrap(), 200).await;
    assert_eq!(current["sections"].as_array().unwrap().iter().map(|s| s["cites"].as_array().unwrap().len()).sum::<usize>(), 3);
    assert!(current["sections"][0]["body"]["en"].as_str().unwrap().ends_with("Then trams."), "{current}");
}
