//! Steps many tests share: signing up and in through the real email, becoming an admin through
//! the real CLI, a valid process body.

use std::time::Duration;

use serde_json::{Value, json};

use crate::TestApp;

pub const MAIL_WAIT: Duration = Duration::from_secs(15);

/// The `token` query parameter of a sign-in link.
pub fn token_from_link(link: &str) -> String {
    let url = reqwest::Url::parse(link).expect("sign-in links are absolute URLs");
    url.query_pairs()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .expect("sign-in links carry a token")
}

/// POSTs a sign-in token, whatever the outcome.
pub async fn consume_raw(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/magic-link/consume"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap()
}

/// GET /api/v1/me with a bearer token, whatever the outcome.
pub async fn me_raw(app: &TestApp, token: &str) -> reqwest::Response {
    app.client.get(app.url("/api/v1/me")).bearer_auth(token).send().await.unwrap()
}

/// The caller's account (asserting 200).
pub async fn me(app: &TestApp, token: &str) -> Value {
    let res = me_raw(app, token).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Trades a sign-in token for the token pair (asserting success).
pub async fn consume(app: &TestApp, token: &str) -> Value {
    let res = consume_raw(app, token).await;
    assert_eq!(res.status(), 200, "consuming a fresh sign-in link works");
    res.json().await.unwrap()
}

/// Signs up through the API and returns the sign-in link from the email, not yet used.
pub async fn signup_link(app: &TestApp, email: &str, name: &str) -> String {
    let res = app
        .client
        .post(app.url("/api/v1/auth/signup"))
        .json(&json!({ "email": email, "display_name": name }))
        .send()
        .await
        .unwrap();
    // 202 whether or not the address had an account: the email tells which.
    assert_eq!(res.status(), 202, "sign-up of {email}: {}", res.text().await.unwrap_or_default());
    let mail = app.smtp.wait_for_to(email, MAIL_WAIT).await;
    mail.first_link_containing("/login/magic").expect("the email has a sign-in link")
}

/// Signs up through the API, receives the email in the SMTP sink, follows the link.
/// Returns the token pair (with `account`).
pub async fn sign_up(app: &TestApp, email: &str, name: &str) -> Value {
    let link = signup_link(app, email, name).await;
    consume(app, &token_from_link(&link)).await
}

/// The access token of a fresh account.
pub async fn user_token(app: &TestApp, email: &str) -> String {
    sign_up(app, email, "Test Person").await["access_token"].as_str().unwrap().to_string()
}

/// Creates an admin with `convene admin create` and signs in with the printed link.
pub async fn admin_token(app: &TestApp, email: &str) -> String {
    let out = app.cli(&["admin", "create", "--email", email]).await;
    assert!(out.status.success(), "admin create failed: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let link = stdout.lines().find(|l| l.contains("/login/magic?token=")).expect("admin create prints a link");
    consume(app, &token_from_link(link.trim())).await["access_token"].as_str().unwrap().to_string()
}

/// A complete, valid process.
pub fn process_body(slug: &str) -> Value {
    json!({
        "slug": slug,
        "title": { "en": "National AI Strategy 2027", "es": "Estrategia Nacional de IA 2027" },
        "summary": { "en": "Help shape how the country uses AI.", "es": "Ayude a decidir cómo el país usa la IA." },
        "description": { "en": "## How to take part\n\nAnswer the consultation, or join a roundtable.", "es": "## Cómo participar\n\nResponda la consulta." },
        "scope": "national",
        "topics": ["ai-strategy", "data-strategy"],
        "iap2_level": "involve",
        "visibility": "public",
        "phases": [
            { "name": { "en": "Consultation", "es": "Consulta" }, "starts_on": "2027-01-10", "ends_on": "2027-02-28" },
            { "name": { "en": "Roundtables", "es": "Mesas" }, "starts_on": "2027-03-01", "ends_on": "2027-04-30" }
        ],
        "milestones": [ { "title": { "en": "Draft strategy published" }, "due_on": "2027-06-01" } ],
        "commitments": [
            { "text": { "en": "We respond to every contribution within 30 days of the close." },
              "measure": { "kind": "respond_within_days", "days": 30 } }
        ]
    })
}

/// Creates a process as `token` (asserting 201) and returns it.
pub async fn create_process(app: &TestApp, token: &str, body: &Value) -> Value {
    let res = app.client.post(app.url("/api/v1/processes")).bearer_auth(token).json(body).send().await.unwrap();
    let status = res.status();
    let value: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "create process: {value}");
    value
}

/// A first-party or test plugin component, as the server's build leaves it for these tests
/// (`consultation`, `template`, `hostile`, `hostile-v2`).
pub fn component_path(stem: &str) -> std::path::PathBuf {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/plugins/components").join(format!("{stem}.wasm"));
    assert!(path.is_file(), "{} is missing: build the server first (cargo build -p convene)", path.display());
    path
}

/// Sends a component from `component_path(stem)` to an admin plugin endpoint (install with
/// POST to /api/v1/admin/plugins, upgrade with PUT to /api/v1/admin/plugins/{type}), with its
/// SHA-256 for the server to check.
pub async fn send_component(app: &TestApp, token: &str, stem: &str, method: reqwest::Method, path: &str) -> reqwest::Response {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(component_path(stem)).unwrap();
    let path = format!("{path}?sha256={}", hex::encode(Sha256::digest(&bytes)));
    app.client.request(method, app.url(&path)).bearer_auth(token).header("content-type", "application/wasm").body(bytes).send().await.unwrap()
}

/// Installs a test plugin component (asserting 201).
pub async fn install_component(app: &TestApp, token: &str, stem: &str) -> Value {
    crate::expect_json(send_component(app, token, stem, reqwest::Method::POST, "/api/v1/admin/plugins").await, 201).await
}

/// Creates and publishes a process as an admin; returns it.
pub async fn published_process(app: &TestApp, admin: &str, slug: &str) -> Value {
    let process = create_process(app, admin, &process_body(slug)).await;
    let res = app.client.post(app.url(&format!("/api/v1/processes/{slug}/publish"))).bearer_auth(admin).send().await.unwrap();
    assert_eq!(res.status(), 200, "publish: {}", res.text().await.unwrap());
    process
}

/// Adds an activity to a process (asserting 201) and returns it.
pub async fn add_activity(app: &TestApp, token: &str, process: &str, body: &Value) -> Value {
    let res = app.client.post(app.url(&format!("/api/v1/processes/{process}/activities"))).bearer_auth(token).json(body).send().await.unwrap();
    crate::expect_json(res, 201).await
}

/// Posts a contribution and returns the response.
pub async fn contribute(app: &TestApp, token: &str, activity: &str, body: &Value) -> reqwest::Response {
    app.client.post(app.url(&format!("/api/v1/activities/{activity}/contributions"))).bearer_auth(token).json(body).send().await.unwrap()
}

/// Makes an existing account a member of a process with a role (asserting success).
pub async fn add_member(app: &TestApp, token: &str, process: &str, email: &str, role: &str) {
    let res = app.post_json(&format!("/api/v1/processes/{process}/members"), &json!({ "email": email, "role": role })).bearer_auth(token).send().await.unwrap();
    assert!(res.status().is_success(), "add {email} as {role} to {process}: {}", res.text().await.unwrap());
}
