//! The citizens' pages in a real browser: each test starts the server, prepares what its
//! scenario needs through the API, and runs `tests/browser/scenarios/<name>.mjs`, which drives
//! headless chromium and runs axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page state it
//! reaches. Reports: `target/browser-report/<database>/<scenario>.json`.
//!
//! Adding one: write the scenario (copy `home.mjs`), then a test here that calls
//! `run_scenario(&app, "<name>", json!({...}))` with the ids and addresses it needs.

use convene_e2e::browser::{browser_dir, preflight, run_scenario};
use convene_e2e::flows::{add_activity, admin_token, create_process, process_body, published_process};
use convene_e2e::{TestApp, expect_json};
use serde_json::json;

#[tokio::test]
async fn home_lists_public_processes_at_phone_and_desktop_width() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let process = published_process(&app, &admin, "ai-strategy").await;
    run_scenario(&app, "home", json!({ "instanceName": "Convene", "processTitle": process["title"]["en"] })).await;
}

#[tokio::test]
async fn a_sign_in_link_from_an_email_signs_in_through_its_button() {
    let app = TestApp::spawn().await;
    let email = "ana@example.org";
    // Sign-up sends the email with the link; the scenario reads it from MAIL_DIR.
    expect_json(app.post_json("/api/v1/auth/signup", &json!({ "email": email, "display_name": "Ana" })).send().await.unwrap(), 202).await;
    run_scenario(&app, "signin_link", json!({ "email": email })).await;
}

/// The library itself: axe's verdicts (a violation fails, an allowance must match), pages
/// without scripts, the mail helper.
#[tokio::test]
async fn the_browser_library_fails_on_violations_and_reads_mail() {
    let app = TestApp::spawn().await;
    expect_json(app.post_json("/api/v1/auth/signup", &json!({ "email": "bo@example.org", "display_name": "Bo" })).send().await.unwrap(), 202).await;
    run_scenario(&app, "harness_selftest", json!({ "email": "bo@example.org" })).await;
}

/// A missing browser is a failure that says how to install it, not a skipped test.
#[test]
fn a_missing_browser_is_an_error_that_says_how_to_install_it() {
    let err = preflight(std::path::Path::new("/nonexistent/chromium"), &browser_dir()).unwrap_err();
    assert!(err.contains("apt-get install -y chromium"), "{err}");
    // On the machines the suite runs on, everything is there.
    if let Err(missing) = preflight(&convene_e2e::browser::chromium_path(), &browser_dir()) {
        panic!("{missing}");
    }
}

/// Home, process and error pages in three languages and two widths, the switcher, the
/// keyboard, and an Arabic process right to left.
#[tokio::test]
async fn public_pages_in_every_language_width_and_direction() {
    let app = TestApp::builder().env("CONVENE_INSTANCE__LANGUAGES", "[\"en\",\"es\",\"fr\",\"ar\"]").spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let process = published_process(&app, &admin, "national-ai").await;
    let activity = json!({ "type": "org.convene.consultation", "title": { "en": "Have your say", "es": "Opina" }, "closes_at": "2099-01-01T00:00:00Z",
        "config": { "questions": [ { "id": "q", "type": "free_text", "required": true, "text": { "en": "Your view?" } } ] } });
    add_activity(&app, &admin, "national-ai", &activity).await;
    let mut arabic = process_body("masqat-data");
    arabic["title"] = json!({ "ar": "استراتيجية البيانات في المدينة" });
    arabic["summary"] = json!({ "ar": "ساعدونا في كتابة قواعد استخدام البيانات." });
    arabic["description"] = json!({ "ar": "## كيف تشارك\n\nأرسل رأيك عبر الإنترنت أو على الورق." });
    arabic["default_language"] = json!("ar");
    arabic["phases"] = json!([
        { "name": { "ar": "الاستماع" }, "starts_on": "2026-01-01", "ends_on": "2026-06-30" },
        { "name": { "ar": "الكتابة" }, "starts_on": "2026-07-01", "ends_on": "2099-12-31" } ]);
    arabic["milestones"] = json!([]);
    arabic["commitments"] = json!([]);
    create_process(&app, &admin, &arabic).await;
    let res = app.client.post(app.url("/api/v1/processes/masqat-data/publish")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 200);
    run_scenario(
        &app,
        "public_pages",
        json!({ "slug": "national-ai", "title": process["title"]["en"], "titleEs": process["title"]["es"],
                "arabicSlug": "masqat-data", "arabicTitle": "استراتيجية البيانات في المدينة" }),
    )
    .await;
}

/// The account pages (sign-up, the emailed link, My input, the account, download and delete,
/// sign-out, sign-in refused) in three languages, at phone and desktop width.
#[tokio::test]
async fn account_pages_in_every_language() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;
    let activity = json!({ "type": "org.convene.consultation", "title": { "en": "Have your say", "es": "Opina", "fr": "Donnez votre avis" },
        "config": { "questions": [ { "id": "why", "type": "free_text", "required": true, "text": { "en": "Your view?" } } ] } });
    let activity = add_activity(&app, &admin, "national-ai", &activity).await;
    let (email, password) = ("rosa@example.org", "a long enough passphrase");
    expect_json(app.post_json("/api/v1/auth/signup", &json!({ "email": email, "display_name": "Rosa", "password": password })).send().await.unwrap(), 202).await;
    let link = app.smtp.wait_for_to(email, convene_e2e::flows::MAIL_WAIT).await.first_link_containing("/login/magic").unwrap();
    let rosa = convene_e2e::flows::consume(&app, &convene_e2e::flows::token_from_link(&link)).await["access_token"].as_str().unwrap().to_string();
    let body = json!({ "kind": "response", "body": { "answers": { "why": "Waiting lists in hospitals are far too long." } } });
    let mine = expect_json(convene_e2e::flows::contribute(&app, &rosa, activity["id"].as_str().unwrap(), &body).await, 201).await;
    let outcome = json!({ "title": { "en": "What we decided" }, "sections": [
        { "id": "health", "heading": { "en": "Health comes first" }, "body": { "en": "Waiting lists first." }, "cites": [mine["id"]] } ] });
    expect_json(app.post_json("/api/v1/processes/national-ai/outcomes", &outcome).bearer_auth(&admin).send().await.unwrap(), 201).await;
    let response = json!({ "contribution_ids": [mine["id"]], "disposition": "partly_adopted", "outcome_refs": ["health"],
        "explanation": { "en": "We start with waiting lists.", "es": "Empezamos por las listas de espera.", "fr": "Nous commençons par les listes d’attente." } });
    expect_json(app.post_json("/api/v1/processes/national-ai/responses", &response).bearer_auth(&admin).send().await.unwrap(), 201).await;
    run_scenario(&app, "account_pages", json!({ "rosaEmail": email, "rosaPassword": password })).await;
}
