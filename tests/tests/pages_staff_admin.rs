//! The instance administrator's pages (issue 13, item 9) over HTTP with cookies: every page
//! works for an admin and is refused to a participant (403) and to someone signed out (sign
//! in); a forged post by a participant changes nothing; a third-party plugin installed by
//! upload, a WASI-importing component refused with the server's own message, disable, enable,
//! upgrade and rollback; accounts searched, the administrator right granted and removed (never
//! one's own), attributes granted and revoked; a failed job retried; a census previewed and
//! imported; topics created.

use std::sync::Arc;

use convene_e2e::flows::{MAIL_WAIT, admin_token, component_path, sign_up};
use convene_e2e::{TestApp, expect_json};
use reqwest::StatusCode;
use reqwest::cookie::Jar;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const BOUNDARY: &str = "----conveneTestBoundary7MA4YWxkTrZu0gW";

/// A browser: its own cookies (the session, the form token's secret), no redirects followed.
struct Browser {
    client: reqwest::Client,
    base: String,
}

impl Browser {
    fn new(app: &TestApp, access_token: Option<&str>) -> Browser {
        let jar = Arc::new(Jar::default());
        let url: reqwest::Url = app.base_url.parse().unwrap();
        if let Some(token) = access_token {
            jar.add_cookie_str(&format!("convene_access={token}; Path=/"), &url);
        }
        let client = reqwest::Client::builder().cookie_provider(jar).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { client, base: app.base_url.clone() }
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let res = self.client.get(format!("{}{path}", self.base)).header("accept", "text/html").send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// A page that must answer 200; its HTML.
    async fn page(&self, path: &str) -> String {
        let (status, html) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {html}");
        html
    }

    /// Posts a form as our own pages do (the browser says the post is same-origin), with the
    /// form token of `page`.
    async fn post(&self, page: &str, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let csrf = hidden(&self.page(page).await, "csrf");
        let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        form.extend_from_slice(fields);
        self.client.post(format!("{}{path}", self.base)).header("sec-fetch-site", "same-origin").form(&form).send().await.unwrap()
    }

    /// Posts a multipart form (a file upload) with `headers` (the same-site headers a browser sends).
    async fn upload(&self, path: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])], headers: &[(&str, &str)]) -> reqwest::Response {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(multipart(fields, files));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send().await.unwrap()
    }

    /// An upload from our own page `page` (its form token, same-origin).
    async fn upload_from(&self, page: &str, path: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> reqwest::Response {
        let csrf = hidden(&self.page(page).await, "csrf");
        let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        all.extend_from_slice(fields);
        self.upload(path, &all, files, &[("sec-fetch-site", "same-origin")]).await
    }
}

/// A `multipart/form-data` body, as a browser builds it.
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    for (name, filename, bytes) in files {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The value of the first hidden input `name` on a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no field {name} in {html}")) + marker.len();
    html[at..].split('"').next().unwrap().replace("&#x2f;", "/").replace("&#47;", "/").replace("&amp;", "&")
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn component(stem: &str) -> Vec<u8> {
    std::fs::read(component_path(stem)).unwrap()
}

/// A component that imports a WASI interface (a clock), as a plugin built for a WASI target
/// does: the server must refuse it before anything runs.
fn wasi_component() -> Vec<u8> {
    let mut resolve = wit_parser::Resolve::default();
    let pkg = resolve
        .push_str(
            "wasi.wit",
            r#"package wasi:clocks@0.2.0;
               interface wall-clock { now: func() -> u64; }
               world sneaky { import wall-clock; export describe: func() -> string; }"#,
        )
        .unwrap();
    let world = resolve.select_world(&[pkg], Some("sneaky")).unwrap();
    let mut module = wit_component::dummy_module(&resolve, world, wit_parser::ManglingAndAbi::Standard32);
    wit_component::embed_component_metadata(&mut module, &resolve, world, wit_component::StringEncoding::UTF8).unwrap();
    wit_component::ComponentEncoder::default().module(&module).unwrap().encode().unwrap()
}

/// Every version of every plugin, from the API.
async fn plugins(app: &TestApp, admin: &str) -> Vec<Value> {
    expect_json(app.with_token(admin).get("/api/v1/admin/plugins").send().await.unwrap(), 200).await.as_array().unwrap().clone()
}

/// The status of the current version of `type_id` ("" if it is not installed).
async fn status_of(app: &TestApp, admin: &str, type_id: &str) -> String {
    plugins(app, admin)
        .await
        .iter()
        .find(|p| p["type_id"] == type_id && (p["status"] == "active" || p["status"] == "disabled"))
        .map(|p| p["status"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn account(app: &TestApp, token: &str) -> Value {
    expect_json(app.with_token(token).get("/api/v1/me").send().await.unwrap(), 200).await
}

async fn topics(app: &TestApp) -> Vec<Value> {
    expect_json(app.get("/api/v1/topics?limit=100").send().await.unwrap(), 200).await["items"].as_array().unwrap().clone()
}

const PAGES: &[(&str, &str)] = &[
    ("/admin", "<h1>Instance administration</h1>"),
    ("/admin/plugins", "<h1>Installed plugins</h1>"),
    ("/admin/accounts", "<h1>Accounts</h1>"),
    ("/admin/jobs", "<h1>Job queue</h1>"),
    ("/admin/census", "<h1>Census import</h1>"),
    ("/admin/topics", "<h1>Topics</h1>"),
    ("/admin/settings", "<h1>Settings</h1>"),
];

#[tokio::test]
async fn every_admin_page_is_for_admins_and_a_participants_forged_posts_change_nothing() {
    let app = TestApp::spawn().await;
    let admin_token = admin_token(&app, "admin@example.org").await;
    let pair = sign_up(&app, "pat@example.org", "Pat Participant").await;
    let pat_token = pair["access_token"].as_str().unwrap().to_string();
    let pat_id = pair["account"]["id"].as_str().unwrap().to_string();
    let admin = Browser::new(&app, Some(&admin_token));
    let pat = Browser::new(&app, Some(&pat_token));
    let nobody = Browser::new(&app, None);

    for (path, h1) in PAGES {
        let html = admin.page(path).await;
        assert!(html.contains(h1), "{path}: {html}");
        // The sub-navigation marks the page it is on.
        assert!(html.contains(&format!("<a href=\"{path}\" aria-current=\"page\">")), "{path}: {html}");
        let (status, html) = pat.get(path).await;
        assert_eq!(status, 403, "{path} for a participant: {html}");
        assert!(!html.contains(h1), "{path}");
        let (status, _) = nobody.get(path).await;
        assert_eq!(status, 303, "{path} signed out goes to sign-in");
    }
    for path in ["/admin/plugins/org.convene.consultation", "/admin/plugins/org.convene.consultation/disable", &format!("/admin/accounts/{pat_id}")] {
        assert_eq!(admin.get(path).await.0, 200, "{path}");
        assert_eq!(pat.get(path).await.0, 403, "{path}");
    }

    // Forged posts, with the participant's own valid form token and same-site headers: the
    // app refuses each one, exactly as the API would, and nothing changes.
    let forged: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/admin/plugins/org.convene.consultation/disable".into(), vec![]),
        (format!("/admin/accounts/{pat_id}/admin"), vec![("is_admin", "true")]),
        (format!("/admin/accounts/{pat_id}/attributes"), vec![("name", "resident")]),
        ("/admin/topics".into(), vec![("slug", "forged"), ("label_0", "Forged")]),
    ];
    for (path, fields) in &forged {
        let res = pat.post("/account", path, fields).await;
        assert_eq!(res.status(), 403, "forged POST {path}");
    }
    assert_eq!(status_of(&app, &admin_token, "org.convene.consultation").await, "active");
    let me = account(&app, &pat_token).await;
    assert_eq!(me["is_admin"], false, "{me}");
    assert!(me["attributes"].as_array().unwrap().is_empty(), "{me}");
    assert!(topics(&app).await.iter().all(|t| t["slug"] != "forged"));

    // Forged uploads: refused before the file is read; nothing installed, nothing imported.
    let template = component("template");
    let csrf = hidden(&pat.page("/account").await, "csrf");
    let res = pat
        .upload("/admin/plugins", &[("csrf", &csrf), ("sha256", &sha(&template))], &[("file", "idea-box.wasm", &template)], &[("sec-fetch-site", "same-origin")])
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(status_of(&app, &admin_token, "org.example.idea-box").await, "");
    let csv = b"identifier\n111\n";
    let res = pat.upload("/admin/census/preview", &[("csrf", &csrf), ("attribute", "resident")], &[("file", "census.csv", csv)], &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(res.status(), 403);
    let res = pat.upload("/admin/census", &[("csrf", &csrf), ("attribute", "resident"), ("census", "aWRlbnRpZmllcgoxMTEK")], &[], &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(res.status(), 403);

    // The admin's own session does not count for a post another site makes.
    let res = admin
        .upload("/admin/plugins", &[("sha256", &sha(&template))], &[("file", "idea-box.wasm", &template)], &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(res.status(), 403);
    let csrf = hidden(&admin.page("/admin").await, "csrf");
    let res = admin.client.post(format!("{}/admin/plugins/org.convene.consultation/disable", admin.base)).header("sec-fetch-site", "cross-site").form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    // Without any header from the browser, an upload without the form's token is refused too.
    let res = admin.upload("/admin/plugins", &[("sha256", &sha(&template))], &[("file", "idea-box.wasm", &template)], &[]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(status_of(&app, &admin_token, "org.example.idea-box").await, "");
    assert_eq!(status_of(&app, &admin_token, "org.convene.consultation").await, "active");
}

#[tokio::test]
async fn a_third_party_plugin_is_installed_by_upload_disabled_enabled_upgraded_and_rolled_back() {
    let app = TestApp::spawn().await;
    let token = admin_token(&app, "admin@example.org").await;
    let admin = Browser::new(&app, Some(&token));

    // The list shows each type with its version, status, source, contract and SHA-256.
    let html = admin.page("/admin/plugins").await;
    assert!(html.contains("org.convene.consultation") && html.contains("Built into the server") && html.contains("enctype=\"multipart/form-data\""), "{html}");

    // Mistakes are shown at their fields.
    let res = admin.upload_from("/admin/plugins", "/admin/plugins", &[("sha256", "")], &[]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("href=\"#file\"") && html.contains(".wasm file</a>"), "{html}");
    assert!(html.contains("href=\"#sha256\""), "{html}");

    // A WASI-importing component is refused with the server's own words.
    let wasi = wasi_component();
    let res = admin.upload_from("/admin/plugins", "/admin/plugins", &[("sha256", &sha(&wasi))], &[("file", "sneaky.wasm", &wasi)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("wasi:clocks/wall-clock@0.2.0") && html.contains("outside the Convene activity world"), "{html}");
    assert!(html.contains("aria-invalid=\"true\""), "{html}");

    // The wrong SHA-256: refused, saying which the file has.
    let template = component("template");
    let res = admin.upload_from("/admin/plugins", "/admin/plugins", &[("sha256", &"0".repeat(64))], &[("file", "idea-box.wasm", &template)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("SHA-256 is {}, not {}", sha(&template), "0".repeat(64))), "{html}");
    assert!(html.contains(&"0".repeat(64)), "what was typed is kept: {html}");
    assert_eq!(status_of(&app, &token, "org.example.idea-box").await, "");

    // The right file and SHA-256: installed, and its page says it is unsigned.
    let res = admin.upload_from("/admin/plugins", "/admin/plugins", &[("sha256", &sha(&template))], &[("file", "idea-box.wasm", &template)]).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), "/admin/plugins/org.example.idea-box?done=installed");
    let html = admin.page("/admin/plugins/org.example.idea-box?done=installed").await;
    assert!(html.contains("The plugin is installed and active") && html.contains("This plugin is unsigned") && html.contains(&sha(&template)), "{html}");
    assert_eq!(status_of(&app, &token, "org.example.idea-box").await, "active");

    // Installing it again is refused with the server's message.
    let res = admin.upload_from("/admin/plugins", "/admin/plugins", &[("sha256", &sha(&template))], &[("file", "idea-box.wasm", &template)]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("is already installed"));

    // Disable through its confirmation page, then enable.
    let confirm = admin.page("/admin/plugins/org.example.idea-box/disable").await;
    assert!(confirm.contains("stop taking contributions") && confirm.contains("Nothing is deleted"), "{confirm}");
    let res = admin.post("/admin/plugins/org.example.idea-box/disable", "/admin/plugins/org.example.idea-box/disable", &[]).await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, "/admin/plugins/org.example.idea-box?done=disabled".to_string()));
    assert_eq!(status_of(&app, &token, "org.example.idea-box").await, "disabled");
    let html = admin.page("/admin/plugins/org.example.idea-box").await;
    assert!(html.contains(">Enable</button>") && !html.contains("/disable\">"), "{html}");
    let res = admin.post("/admin/plugins/org.example.idea-box", "/admin/plugins/org.example.idea-box/enable", &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(status_of(&app, &token, "org.example.idea-box").await, "active");

    // Upgrade by upload (a newer version of the same type), then roll back.
    let (v1, v2) = (component("hostile"), component("hostile-v2"));
    let res = admin.upload_from("/admin/plugins", "/admin/plugins", &[("sha256", &sha(&v1))], &[("file", "hostile.wasm", &v1)]).await;
    assert_eq!(res.status(), 303);
    // Not a newer version: the server's refusal, at the file.
    let res = admin.upload_from("/admin/plugins/test.hostile", "/admin/plugins/test.hostile", &[("sha256", &sha(&v1))], &[("file", "hostile.wasm", &v1)]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("is not newer than the installed"));
    let res = admin.upload_from("/admin/plugins/test.hostile", "/admin/plugins/test.hostile", &[("sha256", &sha(&v2))], &[("file", "hostile-v2.wasm", &v2)]).await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, "/admin/plugins/test.hostile?done=upgraded".to_string()));
    let current = |all: &[Value]| all.iter().find(|p| p["type_id"] == "test.hostile" && p["status"] == "active").map(|p| p["version"].as_str().unwrap().to_string());
    assert_eq!(current(&plugins(&app, &token).await).as_deref(), Some("0.0.2"));
    let confirm = admin.page("/admin/plugins/test.hostile/rollback").await;
    assert!(confirm.contains("Version 0.0.2 will be replaced by version 0.0.1"), "{confirm}");
    let res = admin.post("/admin/plugins/test.hostile/rollback", "/admin/plugins/test.hostile/rollback", &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(current(&plugins(&app, &token).await).as_deref(), Some("0.0.1"));

    // A browser that sends no same-site header: the form's token alone lets the upload count
    // (here to hear the server refuse a component that claims a built-in type's id).
    let impostor = component("hostile-impostor");
    let csrf = hidden(&admin.page("/admin/plugins").await, "csrf");
    let res = admin.upload("/admin/plugins", &[("csrf", &csrf), ("sha256", &sha(&impostor))], &[("file", "impostor.wasm", &impostor)], &[]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("are reserved for the types built into Convene"));
}

#[tokio::test]
async fn accounts_are_searched_made_admins_and_given_attributes_but_nobody_removes_their_own_right() {
    let app = TestApp::spawn().await;
    let token = admin_token(&app, "admin@example.org").await;
    let me_id = account(&app, &token).await["id"].as_str().unwrap().to_string();
    let ana = sign_up(&app, "ana.lopez@example.org", "Ana López").await;
    let ana_token = ana["access_token"].as_str().unwrap().to_string();
    let ana_id = ana["account"]["id"].as_str().unwrap().to_string();
    sign_up(&app, "bo@example.net", "Bo").await;
    let admin = Browser::new(&app, Some(&token));

    let html = admin.page("/admin/accounts?email=lopez").await;
    assert!(html.contains("ana.lopez@example.org") && !html.contains("bo@example.net"), "{html}");
    assert!(html.contains(&format!("href=\"/admin/accounts/{ana_id}\"")), "{html}");
    let html = admin.page("/admin/accounts").await;
    assert!(html.contains("bo@example.net") && html.contains("admin@example.org"), "{html}");

    // Attributes: a bad name at its field, then granted, then revoked.
    let page = format!("/admin/accounts/{ana_id}");
    let res = admin.post(&page, &format!("{page}/attributes"), &[("name", "Not Valid!")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("href=\"#name\"") && html.contains("value=\"Not Valid!\"") && html.contains("aria-invalid=\"true\""), "{html}");
    let res = admin.post(&page, &format!("{page}/attributes"), &[("name", "resident")]).await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, format!("{page}?done=granted")));
    let attrs = account(&app, &ana_token).await["attributes"].clone();
    assert_eq!(attrs[0]["name"], "resident", "{attrs}");
    let html = admin.page(&page).await;
    assert!(html.contains("<code>resident</code>") && html.contains("An administrator"), "{html}");
    let res = admin.post(&page, &format!("{page}/attributes/revoke"), &[("name", "resident")]).await;
    assert_eq!(res.status(), 303);
    assert!(account(&app, &ana_token).await["attributes"].as_array().unwrap().is_empty());

    // The administrator right: granted, then removed.
    let res = admin.post(&page, &format!("{page}/admin"), &[("is_admin", "true")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(account(&app, &ana_token).await["is_admin"], true);
    let html = admin.page(&page).await;
    assert!(html.contains("Remove administrator right"), "{html}");
    let res = admin.post(&page, &format!("{page}/admin"), &[("is_admin", "false")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(account(&app, &ana_token).await["is_admin"], false);

    // One's own page has no button to remove one's right, and a forged post is refused.
    let own = format!("/admin/accounts/{me_id}");
    let html = admin.page(&own).await;
    assert!(html.contains("You cannot remove your own administrator right") && !html.contains("Remove administrator right"), "{html}");
    let res = admin.post(&own, &format!("{own}/admin"), &[("is_admin", "false")]).await;
    assert_eq!(res.status(), 409);
    assert_eq!(account(&app, &token).await["is_admin"], true);

    // The API route behind the form, with the same rule.
    let res = app.with_token(&token).put_json(&format!("/api/v1/admin/accounts/{me_id}/admin"), &json!({ "is_admin": false })).send().await.unwrap();
    assert_eq!(res.status(), 409);
    let view = expect_json(app.with_token(&token).put_json(&format!("/api/v1/admin/accounts/{ana_id}/admin"), &json!({ "is_admin": true })).send().await.unwrap(), 200).await;
    assert_eq!(view["is_admin"], true);
    let res = app.with_token(&token).put_json(&format!("/api/v1/admin/accounts/{ana_id}/admin"), &json!({ "admin": true })).send().await.unwrap();
    assert!(res.status().is_client_error(), "an unknown field is refused");
    // Ana, now an admin, may remove the first admin's right: the instance still has one.
    let res = app.with_token(&ana_token).put_json(&format!("/api/v1/admin/accounts/{me_id}/admin"), &json!({ "is_admin": false })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(admin.get("/admin/accounts").await.0, 403);
}

#[tokio::test]
async fn a_failed_job_is_shown_without_its_payload_and_retried() {
    let app = TestApp::spawn().await;
    let token = admin_token(&app, "admin@example.org").await;
    sign_up(&app, "zoe.private@example.org", "Zoe").await;
    let admin = Browser::new(&app, Some(&token));
    let html = admin.page("/admin/jobs").await;
    assert!(html.contains("No job has failed."), "{html}");

    // An email job that gave up (as after twelve refusals by the mail server).
    let db = sea_orm::Database::connect(app.db.url()).await.unwrap();
    use sea_orm::ConnectionTrait;
    db.execute_unprepared(
        "UPDATE jobs SET status = 'failed', attempts = 12, last_error = 'the mail server refused: 554 try later' WHERE kind = 'account_email'",
    )
    .await
    .unwrap();
    let queue = expect_json(app.with_token(&token).get("/api/v1/admin/jobs").send().await.unwrap(), 200).await;
    let failed = queue["failed"].as_array().unwrap();
    assert!(!failed.is_empty() && queue["counts"]["failed"].as_u64() == Some(failed.len() as u64), "{queue}");
    assert!(failed[0].get("payload").is_none(), "{queue}");
    let id = failed[0]["id"].as_str().unwrap().to_string();

    let html = admin.page("/admin/jobs").await;
    assert!(html.contains("the mail server refused: 554 try later") && html.contains("<code>account_email</code>"), "{html}");
    assert!(!html.contains("zoe.private@example.org"), "no payload on the page: {html}");
    let res = admin.post("/admin/jobs", &format!("/admin/jobs/{id}/retry"), &[]).await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, "/admin/jobs?done=retried".to_string()));
    // The worker runs it again; the email is sent.
    let deadline = std::time::Instant::now() + MAIL_WAIT;
    loop {
        let queue = expect_json(app.with_token(&token).get("/api/v1/admin/jobs").send().await.unwrap(), 200).await;
        if queue["failed"].as_array().unwrap().iter().all(|j| j["id"] != id.as_str()) && queue["waiting"].as_array().unwrap().iter().all(|j| j["id"] != id.as_str()) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the retried job did not run: {queue}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Only a failed job can be retried.
    let res = app.with_token(&token).post(&format!("/api/v1/admin/jobs/{id}/retry")).send().await.unwrap();
    assert_eq!(res.status(), 409);
    let res = admin.post("/admin/jobs", &format!("/admin/jobs/{id}/retry"), &[]).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("only a failed job can be retried"));
}

#[tokio::test]
async fn a_census_is_previewed_then_imported_and_topics_are_created() {
    let app = TestApp::spawn().await;
    let token = admin_token(&app, "admin@example.org").await;
    let admin = Browser::new(&app, Some(&token));

    // A file without an identifier column: the server's words at the file field.
    let res = admin.upload_from("/admin/census", "/admin/census/preview", &[("attribute", "resident")], &[("file", "census.csv", b"id,name\n1,Ana\n")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("href=\"#file\"") && html.contains("the CSV needs a header row with an"), "{html}");
    let res = admin.upload_from("/admin/census", "/admin/census/preview", &[("attribute", "")], &[]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("href=\"#attribute\"") && html.contains("href=\"#file\""), "{html}");

    // Seven rows, one of them twice: the preview shows five and the count, and stores nothing.
    let csv = "identifier,name\n11.111.111-1,Ana\n22222222-2,Bo\n33333333-3,Cy\n44444444-4,Di\n55555555-5,Ed\n66666666-6,Fay\n11111111-1,Ana again\n";
    let res = admin.upload_from("/admin/census", "/admin/census/preview", &[("attribute", "resident")], &[("file", "census.csv", csv.as_bytes())]).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("The file has 7 rows") && html.contains("The first 5 rows"), "{html}");
    assert!(html.contains("<td>55555555-5</td>") && !html.contains("66666666-6"), "{html}");
    let carried = hidden(&html, "census");
    let csrf = hidden(&html, "csrf");
    let ana = sign_up(&app, "ana@example.org", "Ana").await["access_token"].as_str().unwrap().to_string();
    let claim = app.with_token(&ana).post_json("/api/v1/me/attributes/claim", &json!({ "attribute": "resident", "identifier": "11111111-1" })).send().await.unwrap();
    assert!(claim.status().is_client_error(), "nothing imported yet");

    // Step 2: the file comes back from the page and is imported.
    let res = admin.upload("/admin/census", &[("csrf", &csrf), ("attribute", "resident"), ("census", &carried)], &[], &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<h1>Census imported</h1>") && html.contains("7 rows were read for the attribute resident"), "{html}");
    assert!(html.contains("<dt>New identifiers imported</dt><dd>6</dd>") && html.contains("<dt>Already in the census</dt><dd>1</dd>"), "{html}");
    let claim = app.with_token(&ana).post_json("/api/v1/me/attributes/claim", &json!({ "attribute": "resident", "identifier": "11111111-1" })).send().await.unwrap();
    assert_eq!(claim.status(), 200, "{}", claim.text().await.unwrap());
    // A damaged file from the page is refused, not half imported.
    let res = admin.upload("/admin/census", &[("csrf", &csrf), ("attribute", "resident"), ("census", "not base64 !")], &[], &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(res.status(), 400);

    // Topics: a bad slug at its field, then created and listed; a duplicate refused.
    let res = admin.post("/admin/topics", "/admin/topics", &[("slug", "Bad Slug"), ("label_0", "Open data")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("href=\"#slug\"") && html.contains("value=\"Open data\""), "{html}");
    let res = admin.post("/admin/topics", "/admin/topics", &[("slug", "public-libraries"), ("label_0", "Open data")]).await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, "/admin/topics?done=created".to_string()));
    assert!(topics(&app).await.iter().any(|t| t["slug"] == "public-libraries"));
    let html = admin.page("/admin/topics?done=created").await;
    assert!(html.contains("<code>public-libraries</code>") && html.contains("The topic is added."), "{html}");
    let res = admin.post("/admin/topics", "/admin/topics", &[("slug", "public-libraries"), ("label_0", "Again")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("a topic with this slug already exists"));
}
