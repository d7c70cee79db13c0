//! Citizens' flows through the pages in a real browser, end to end (issue 12): signing up
//! and contributing (with a first try that has errors) at phone width up to the organisers'
//! response on "My input" and in the mailbox; the contribution flow by keyboard alone;
//! downloading one's data and deleting one's account, after which the database holds nothing
//! personal about the person; and the language switcher on every page type of these flows.
//! Each scenario runs axe on every page state it reaches (see `tests/tests/browser.rs`).

use convene_e2e::browser::run_scenario;
use convene_e2e::flows::{MAIL_WAIT, add_activity, admin_token, contribute, published_process, sign_up};
use convene_e2e::traces::{found_anywhere, traces_of};
use convene_e2e::{TestApp, expect_json};
use serde_json::{Value, json};

const TITLE: &str = "Where should public AI help first?";
/// Longer than the comment's 40 characters.
const TOO_LONG: &str = "Public AI should help in hospitals first, then on buses and trains.";
const COMMENT: &str = "Hospitals first, please.";

/// A consultation: a required choice, an optional scale, a short comment.
fn consultation() -> Value {
    json!({ "type": "org.convene.consultation", "title": { "en": TITLE, "es": "¿Dónde debe ayudar primero la IA pública?" },
        "closes_at": "2099-01-01T00:00:00Z",
        "config": { "questions": [
            { "id": "priority", "type": "single_choice", "required": true, "text": { "en": "Priority?" },
              "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "transport", "label": { "en": "Transport" } } ] },
            { "id": "trust", "type": "scale", "min": 1, "max": 5, "text": { "en": "How much do you trust public AI?" },
              "min_label": { "en": "Not at all" }, "max_label": { "en": "Completely" } },
            { "id": "comment", "type": "free_text", "max_length": 40, "text": { "en": "Anything else?" } } ] } })
}

/// An administrator (who organises what they create), and a published process with the
/// consultation; returns the admin's token and the activity's id.
async fn setup(app: &TestApp, slug: &str) -> (String, String) {
    let admin = admin_token(app, "admin@example.org").await;
    published_process(app, &admin, slug).await;
    let activity = add_activity(app, &admin, slug, &consultation()).await;
    (admin, activity["id"].as_str().unwrap().to_string())
}

/// Someone with an account (signed up through the emailed link) and a contribution; returns
/// the account's id and the contribution's.
async fn contributor(app: &TestApp, activity: &str, email: &str, name: &str) -> (String, String) {
    let pair = sign_up(app, email, name).await;
    let access = pair["access_token"].as_str().unwrap();
    let body = json!({ "kind": "response", "body": { "answers": { "priority": "health", "comment": COMMENT } } });
    let created = expect_json(contribute(app, access, activity, &body).await, 201).await;
    (pair["account"]["id"].as_str().unwrap().to_string(), created["id"].as_str().unwrap().to_string())
}

/// A fresh sign-in link for `email`, asked for through the API and read from the email, not
/// yet used: the scenario signs in with it.
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

#[tokio::test]
async fn a_citizen_signs_up_contributes_after_fixing_errors_and_sees_the_response() {
    let app = TestApp::spawn().await;
    let (admin, activity) = setup(&app, "city-ai").await;
    let email = "amaia.citizen@example.org";
    run_scenario(
        &app,
        "citizen_contribution",
        json!({ "email": email, "name": "Amaia Citizen", "activityId": activity, "activityTitle": TITLE, "slug": "city-ai",
                "organiserToken": admin, "explanation": "Health comes first in the draft strategy.", "tooLong": TOO_LONG, "comment": COMMENT }),
    )
    .await;

    // What the pages showed is what the API holds.
    let list = expect_json(app.get(&format!("/api/v1/activities/{activity}/contributions")).send().await.unwrap(), 200).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "one contribution, the corrected one: {list}");
    assert_eq!(items[0]["body"]["answers"], json!({ "priority": "health", "comment": COMMENT }));
    assert_eq!(items[0]["response"]["disposition"], "adopted");
}

#[tokio::test]
async fn the_contribution_flow_by_keyboard_alone() {
    let app = TestApp::spawn().await;
    let (_, activity) = setup(&app, "city-ai").await;
    let email = "kai.keys@example.org";
    sign_up(&app, email, "Kai Keys").await;
    let link = sign_in_link(&app, email).await;
    run_scenario(&app, "keyboard_contribution", json!({ "link": link, "activityId": activity, "activityTitle": TITLE, "tooLong": TOO_LONG, "comment": COMMENT }))
        .await;

    let list = expect_json(app.get(&format!("/api/v1/activities/{activity}/contributions")).send().await.unwrap(), 200).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["body"]["answers"], json!({ "priority": "health", "trust": 5, "comment": COMMENT }));
}

#[tokio::test]
async fn downloading_my_data_and_deleting_my_account_through_the_pages_leaves_nothing_personal() {
    let app = TestApp::spawn().await;
    let (_, activity) = setup(&app, "city-ai").await;
    let (email, name) = ("zephyrine.pages@example.org", "Zephyrine Pagesdottir");
    let (id, contribution) = contributor(&app, &activity, email, name).await;

    // The search finds her before: it would find her after.
    let traces = traces_of(email, name, &id);
    let before = found_anywhere(&app, &traces).await;
    for expected in ["accounts.email", "accounts.display_name", "contributions.author_id"] {
        assert!(before.iter().any(|h| h.starts_with(expected)), "{expected} not found before the deletion: {before:#?}");
    }

    let link = sign_in_link(&app, email).await;
    run_scenario(&app, "account_data_deletion", json!({ "link": link, "email": email, "name": name, "contributionId": contribution, "comment": COMMENT }))
        .await;

    // Nothing of her in any column of any table; her contribution stays, without an author.
    let after = found_anywhere(&app, &traces).await;
    assert!(after.is_empty(), "personal data left after the deletion through the pages:\n{}", after.join("\n"));
    let kept = expect_json(app.get(&format!("/api/v1/contributions/{contribution}")).send().await.unwrap(), 200).await;
    assert_eq!(kept["body"]["answers"]["comment"], COMMENT);
    let text = kept.to_string();
    assert!(!text.contains(email) && !text.contains(name) && !text.contains(&id), "{text}");
}

#[tokio::test]
async fn the_language_switcher_on_every_page_type_of_the_flows() {
    let app = TestApp::spawn().await;
    let (admin, activity) = setup(&app, "city-ai").await;
    let email = "lea.langues@example.org";
    let (_, contribution) = contributor(&app, &activity, email, "Léa Langues").await;
    let respond = json!({ "contribution_ids": [contribution], "disposition": "adopted", "explanation": { "en": "In the draft.", "es": "En el borrador.", "fr": "Dans le projet." } });
    expect_json(app.post_json("/api/v1/processes/city-ai/responses", &respond).bearer_auth(&admin).send().await.unwrap(), 201).await;
    let link = sign_in_link(&app, email).await;
    run_scenario(&app, "flow_languages", json!({ "link": link, "activityId": activity, "tooLong": TOO_LONG })).await;
}
