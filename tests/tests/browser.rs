//! The citizens' pages in a real browser: each test starts the server, prepares what its
//! scenario needs through the API, and runs `tests/browser/scenarios/<name>.mjs`, which drives
//! headless chromium and runs axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page state it
//! reaches. Reports: `target/browser-report/<database>/<scenario>.json`.
//!
//! Adding one: write the scenario (copy `home.mjs`), then a test here that calls
//! `run_scenario(&app, "<name>", json!({...}))` with the ids and addresses it needs.

use convene_e2e::browser::{browser_dir, preflight, run_scenario};
use convene_e2e::flows::{admin_token, published_process};
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
