//! Responding in a real browser (issue 13): an organiser answers 300 contributions in one bulk
//! action through the filter ("all 300 matching"), the bulk response by keyboard alone, with
//! axe on every page state (see `tests/browser/scenarios/staff_responses.mjs`). Afterwards the
//! API shows all 300 answered by one batch, and the one contribution outside the filter not.

use convene_e2e::browser::run_scenario;
use convene_e2e::flows::{MAIL_WAIT, add_activity, admin_token, contribute, published_process};
use convene_e2e::{TestApp, expect_json};
use futures::StreamExt;
use serde_json::{Value, json};

const TOTAL: usize = 300;

/// A fresh sign-in link for `email`, read from the email, not yet used.
async fn sign_in_link(app: &TestApp, email: &str) -> String {
    let subject = "Your sign-in link";
    let before = app.smtp.messages_to(email).iter().filter(|m| m.subject.contains(subject)).count();
    let res = app.post_json("/api/v1/auth/magic-link", &json!({ "email": email })).send().await.unwrap();
    assert_eq!(res.status(), 202);
    let deadline = std::time::Instant::now() + MAIL_WAIT;
    loop {
        let mails: Vec<_> = app.smtp.messages_to(email).into_iter().filter(|m| m.subject.contains(subject)).collect();
        if let Some(mail) = mails.get(before) {
            return mail.first_link_containing("/login/magic?token=").expect("the email has a sign-in link");
        }
        assert!(std::time::Instant::now() < deadline, "no new sign-in link for {email}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn entry(text: &str, channel: &str) -> Value {
    json!({ "kind": "response", "body": { "answers": { "q": text } }, "channel": channel })
}

#[tokio::test]
async fn an_organiser_answers_300_contributions_in_one_bulk_action_by_keyboard() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "city-buses").await;
    published_process(&app, &admin, "quiet-process").await;
    let activity = json!({ "type": "org.convene.consultation", "title": { "en": "Night buses", "es": "Autobuses nocturnos", "fr": "Bus de nuit" },
        "closes_at": "2099-01-01T00:00:00Z",
        "config": { "questions": [ { "id": "q", "type": "free_text", "required": true, "text": { "en": "Your view?" } } ] } });
    let id = add_activity(&app, &admin, "city-buses", &activity).await["id"].as_str().unwrap().to_string();

    // 300 paper forms typed in by the organiser (as a facilitator would), a few at a time,
    // and one phone call the filter leaves out.
    let made: Vec<String> = futures::stream::iter(0..TOTAL)
        .map(|i| {
            let (app, admin, id) = (&app, &admin, &id);
            async move {
                let body = entry(&format!("Form {i}: please run night buses to the hospital"), "paper");
                expect_json(contribute(app, admin, id, &body).await, 201).await["id"].as_str().unwrap().to_string()
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    assert_eq!(made.len(), TOTAL);
    let call = expect_json(contribute(&app, &admin, &id, &entry("A call about night buses", "phone")).await, 201).await["id"].as_str().unwrap().to_string();

    let link = sign_in_link(&app, "admin@example.org").await;
    run_scenario(
        &app,
        "staff_responses",
        json!({ "link": link, "slug": "city-buses", "emptySlug": "quiet-process", "total": TOTAL, "word": "hospital",
                "explanation": "Two night lines to the hospital start in March." }),
    )
    .await;

    // All 300 answered by one response (one batch), the call not.
    let ids = expect_json(app.get("/api/v1/processes/city-buses/contributions/ids?responded=false").bearer_auth(&admin).send().await.unwrap(), 200).await;
    assert_eq!(ids["ids"], json!([call]), "only the call waits: {ids}");
    let mut batches = std::collections::BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/processes/city-buses/contributions?responded=true&limit=100&cursor={c}"),
            None => "/api/v1/processes/city-buses/contributions?responded=true&limit=100".to_string(),
        };
        let page = expect_json(app.get(&path).bearer_auth(&admin).send().await.unwrap(), 200).await;
        for item in page["items"].as_array().unwrap() {
            assert_eq!(item["response"]["disposition"], "partly_adopted");
            assert_eq!(item["response"]["explanation"]["en"], "Two night lines to the hospital start in March.");
            batches.insert(item["response"]["batch_id"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => {
                assert_eq!(page["total"], TOTAL as u64);
                break;
            }
        }
    }
    assert_eq!(batches.len(), 1, "one bulk action, one batch");
}
