//! The process workspace (issue 13, item 1) over HTTP with cookies: the staff's dashboard and
//! its "Manage" link, creating a process through the form (errors at their fields with what
//! was typed kept, a preview of the sanitised description, phases added and removed without
//! saving), editing it, members and roles, publishing after the confirmation page; and the
//! same pages refused to a participant (a forged post gets 403 and changes nothing), sending
//! an anonymous reader to sign in, and showing a facilitator only what they may do.

use std::sync::Arc;

use convene_e2e::flows::{add_member, admin_token, published_process, sign_up, user_token};
use convene_e2e::{TestApp, expect_json};
use reqwest::StatusCode;
use reqwest::cookie::Jar;
use serde_json::Value;

/// A browser: its own cookies, no redirects followed.
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
        let res = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// A page, asserting its status.
    async fn page(&self, path: &str, status: u16) -> String {
        let (got, html) = self.get(path).await;
        assert_eq!(got.as_u16(), status, "GET {path}: {html}");
        html
    }

    /// Posts a form as our own pages do (the browser says the post is same-origin).
    async fn post(&self, path: &str, pairs: &[(String, String)]) -> reqwest::Response {
        self.client.post(format!("{}{path}", self.base)).header("sec-fetch-site", "same-origin").form(pairs).send().await.unwrap()
    }
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let at = tag.find(&marker)? + marker.len();
    Some(unescape(tag[at..].split('"').next().unwrap()))
}

/// The fields a browser would send from the form posting to `action` (inputs, ticked
/// choices, text areas; no buttons).
fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html.find(&format!("action=\"{action}\"")).unwrap_or_else(|| panic!("no form for {action}: {html}"));
    let form = &html[start..];
    let form = &form[..form.find("</form>").unwrap()];
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..=end];
        if tag.starts_with("<input ") {
            let kind = attr(tag, "type").unwrap_or_default();
            let checked = tag.contains(" checked");
            if let (Some(name), Some(value)) = (attr(tag, "name"), attr(tag, "value"))
                && (!(kind == "radio" || kind == "checkbox") || checked)
            {
                out.push((name, value));
            }
        } else if tag.starts_with("<textarea ") {
            let body = &rest[end + 1..];
            let text = &body[..body.find("</textarea>").unwrap()];
            out.push((attr(tag, "name").unwrap(), unescape(text)));
        }
        rest = &rest[end + 1..];
    }
    out
}

/// Replaces (or adds) fields.
fn set(fields: &mut Vec<(String, String)>, changes: &[(&str, &str)]) {
    for (k, v) in changes {
        match fields.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = v.to_string(),
            None => fields.push((k.to_string(), v.to_string())),
        }
    }
}

fn with(fields: &[(String, String)], extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f = fields.to_vec();
    f.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    f
}

async fn process(app: &TestApp, token: &str, slug: &str) -> Value {
    expect_json(app.client.get(app.url(&format!("/api/v1/processes/{slug}"))).bearer_auth(token).send().await.unwrap(), 200).await
}

#[tokio::test]
async fn an_admin_creates_edits_and_publishes_a_process_through_the_pages() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let b = Browser::new(&app, Some(&admin));

    // The dashboard, reached from the navigation.
    let home = b.page("/", 200).await;
    assert!(home.contains("href=\"/manage\""), "{home}");
    let dash = b.page("/manage", 200).await;
    assert!(dash.contains("<h1>Your processes</h1>") && dash.contains("href=\"/manage/processes/new\""), "{dash}");
    assert!(dash.contains("There are no processes yet."), "{dash}");

    // The empty form; a phase row added without saving.
    let html = b.page("/manage/processes/new", 200).await;
    assert!(html.contains("<h1>Create a process</h1>") && html.contains("id=\"title-en\""), "{html}");
    let fields = form_fields(&html, "/manage/processes/new");
    let res = b.post("/manage/processes/new", &with(&fields, &[("add_phase", "1")])).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"phases-0-name-en\"") && html.contains("id=\"phases-0-starts_on\""), "{html}");
    let dash = b.page("/manage", 200).await;
    assert!(dash.contains("There are no processes yet."), "adding a row saves nothing");

    // Saving it empty: each problem at its field, the typed text kept.
    let mut fields = form_fields(&html, "/manage/processes/new");
    set(&mut fields, &[("summary.en", "A summary kept <as typed>"), ("phases.0.starts_on", "2027-02-30")]);
    let res = b.post("/manage/processes/new", &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Error: Create a process"), "{html}");
    for id in ["scope", "iap2_level", "phases-0-starts_on", "phases-0-ends_on"] {
        assert!(html.contains(&format!("href=\"#{id}\"")), "{id}: {html}");
    }
    assert!(html.contains("A summary kept &#60;as typed&#62;") && html.contains("value=\"2027-02-30\""), "{html}");

    // The app's own checks: no title at all.
    let mut fields = form_fields(&html, "/manage/processes/new");
    set(&mut fields, &[("scope", "local"), ("iap2_level", "consult"), ("phases.0.starts_on", "2027-01-10"), ("phases.0.ends_on", "2027-02-28")]);
    let res = b.post("/manage/processes/new", &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("href=\"#title-en\"") && html.contains("Enter this text in at least one language"), "{html}");

    // The preview renders the description's Markdown, sanitised, and saves nothing.
    let mut fields = form_fields(&html, "/manage/processes/new");
    set(&mut fields, &[("title.en", "Park renewal"), ("description.en", "## How to help\n\nTell us.<script>alert(1)</script>")]);
    let res = b.post("/manage/processes/new", &with(&fields, &[("preview", "1")])).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"preview-heading\"") && html.contains("How to help</h"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");

    // A second phase and a commitment, then created.
    let fields = form_fields(&html, "/manage/processes/new");
    let html = b.post("/manage/processes/new", &with(&fields, &[("add_phase", "1")])).await.text().await.unwrap();
    let fields = form_fields(&html, "/manage/processes/new");
    let html = b.post("/manage/processes/new", &with(&fields, &[("add_commitment", "1")])).await.text().await.unwrap();
    let mut fields = form_fields(&html, "/manage/processes/new");
    set(
        &mut fields,
        &[
            ("slug", "park-renewal"),
            ("phases.0.name.en", "Ideas"),
            ("phases.1.name.en", "Vote"),
            ("phases.1.starts_on", "2027-03-01"),
            ("phases.1.ends_on", "2027-03-31"),
            ("commitments.0.text.en", "We answer every idea within 30 days."),
            ("commitments.0.measure.kind", "respond_within_days"),
            ("commitments.0.measure.days", "30"),
        ],
    );
    let res = b.post("/manage/processes/new", &fields).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), "/manage/processes/park-renewal?saved=created");
    let p = process(&app, &admin, "park-renewal").await;
    assert_eq!(p["status"], "draft");
    assert_eq!(p["phases"].as_array().unwrap().len(), 2);
    assert_eq!(p["phases"][1]["name"]["en"], "Vote");
    assert_eq!(p["commitments"][0]["measure"]["days"], 30);
    assert_eq!(p["iap2_level"], "consult");

    // The overview with the form, filled from the stored process.
    let html = b.page("/manage/processes/park-renewal?saved=created", 200).await;
    assert!(html.contains("created as a draft") && html.contains("href=\"/manage/processes/park-renewal/publish\""), "{html}");
    let fields = form_fields(&html, "/manage/processes/park-renewal");
    assert!(fields.contains(&("phases.1.name.en".into(), "Vote".into())), "{fields:?}");

    // Overlapping phases: refused at the field, nothing stored.
    let mut bad = fields.clone();
    set(&mut bad, &[("phases.1.starts_on", "2027-02-01"), ("title.en", "Changed title")]);
    let res = b.post("/manage/processes/park-renewal", &bad).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("href=\"#phases-1-starts_on\"") && html.contains("value=\"Changed title\""), "{html}");
    assert_eq!(process(&app, &admin, "park-renewal").await["title"]["en"], "Park renewal");

    // Removing the first phase row shows the second in its place; saving stores one phase.
    let res = b.post("/manage/processes/park-renewal", &with(&fields, &[("remove_phase", "0")])).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let after = form_fields(&html, "/manage/processes/park-renewal");
    assert!(after.contains(&("phases.0.name.en".into(), "Vote".into())) && !html.contains("id=\"phases-1-name-en\""), "{html}");
    assert_eq!(process(&app, &admin, "park-renewal").await["phases"].as_array().unwrap().len(), 2, "removing a row saves nothing");
    // A language added: a box for each text in it.
    let res = b.post("/manage/processes/park-renewal", &with(&after, &[("add_lang", "1"), ("new_lang", "es")])).await;
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"title-es\"") && html.contains("id=\"phases-0-name-es\""), "{html}");
    let mut after = form_fields(&html, "/manage/processes/park-renewal");
    set(&mut after, &[("title.es", "Renovación del parque")]);
    let res = b.post("/manage/processes/park-renewal", &after).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), "/manage/processes/park-renewal?saved=saved");
    let p = process(&app, &admin, "park-renewal").await;
    assert_eq!(p["phases"].as_array().unwrap().len(), 1);
    assert_eq!(p["phases"][0]["name"]["en"], "Vote");
    assert_eq!(p["title"]["es"], "Renovación del parque");
    assert_eq!(p["commitments"][0]["measure"]["kind"], "respond_within_days", "what the form did not change stays");

    // Publishing: the page says what becomes public, then the button.
    let html = b.page("/manage/processes/park-renewal/publish", 200).await;
    assert!(html.contains("Everyone will be able to find and read this process") && html.contains("public ledger"), "{html}");
    let res = b.post("/manage/processes/park-renewal/publish", &form_fields(&html, "/manage/processes/park-renewal/publish")).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/manage/processes/park-renewal?saved=published".to_string()));
    assert_eq!(process(&app, &admin, "park-renewal").await["status"], "published");
    let html = b.page("/manage/processes/park-renewal?saved=published", 200).await;
    assert!(html.contains("href=\"/manage/processes/park-renewal/archive\"") && !html.contains("/publish\""), "{html}");
    let dash = b.page("/manage", 200).await;
    assert!(dash.contains("href=\"/manage/processes/park-renewal\""), "{dash}");
}

#[tokio::test]
async fn members_are_added_changed_and_removed_and_the_last_organiser_stays() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "budget").await;
    let rosa = sign_up(&app, "rosa@example.org", "Rosa Díaz").await;
    let rosa_id = rosa["account"]["id"].as_str().unwrap().to_string();
    let b = Browser::new(&app, Some(&admin));

    let html = b.page("/manage/processes/budget/members", 200).await;
    assert!(html.contains("<h1>Members and roles</h1>") && html.contains("aria-current=\"page\">Members"), "{html}");
    let fields = form_fields(&html, "/manage/processes/budget/members");

    // An address with no account, then Rosa as a facilitator.
    let res = b.post("/manage/processes/budget/members", &with(&fields, &[("email", "nobody@example.org"), ("role", "facilitator")])).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("href=\"#email\"") && html.contains("No account has this email address") && html.contains("value=\"nobody@example.org\""), "{html}");
    let res = b.post("/manage/processes/budget/members", &with(&fields, &[("email", "rosa@example.org"), ("role", "facilitator")])).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/manage/processes/budget/members?done=added".to_string()));
    let html = b.page("/manage/processes/budget/members?done=added", 200).await;
    assert!(html.contains("Rosa Díaz") && html.contains("The member was added."), "{html}");

    // Rosa, a facilitator, has the Manage link and an overview without the edit form.
    let rosa_browser = Browser::new(&app, Some(rosa["access_token"].as_str().unwrap()));
    let home = rosa_browser.page("/", 200).await;
    assert!(home.contains("href=\"/manage\""), "{home}");
    let over = rosa_browser.page("/manage/processes/budget", 200).await;
    assert!(over.contains("/manage/processes/budget/desk") && !over.contains("name=\"phase_rows\""), "{over}");
    assert!(!over.contains("/manage/processes/budget/publish") && !over.contains(">Members</a>"), "{over}");

    // The admin, the only organiser, cannot step down; Rosa can become an organiser, then
    // the admin can leave.
    let me = expect_json(app.client.get(app.url("/api/v1/me")).bearer_auth(&admin).send().await.unwrap(), 200).await;
    let admin_id = me["id"].as_str().unwrap().to_string();
    let role_path = |id: &str| format!("/manage/processes/budget/members/{id}/role");
    let res = b.post(&role_path(&admin_id), &with(&fields, &[("role", "participant")])).await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("href=\"#role-{admin_id}\"")) && html.contains("last organiser"), "{html}");
    let res = b.post(&role_path(&rosa_id), &with(&fields, &[("role", "organiser")])).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/manage/processes/budget/members?done=role".to_string()));
    let res = b.post(&format!("/manage/processes/budget/members/{admin_id}/remove"), &fields).await;
    assert_eq!(res.status(), 303);
    let members = expect_json(app.client.get(app.url("/api/v1/processes/budget/members")).bearer_auth(&admin).send().await.unwrap(), 200).await;
    let items = members["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{members}");
    assert_eq!((items[0]["account_id"].as_str().unwrap(), items[0]["role"].as_str().unwrap()), (rosa_id.as_str(), "organiser"));
}

#[tokio::test]
async fn a_participant_cannot_use_the_workspace_and_a_forged_post_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "budget").await;
    let eve = user_token(&app, "eve@example.org").await;
    add_member(&app, &admin, "budget", "eve@example.org", "participant").await;
    let before = process(&app, &admin, "budget").await;

    // An anonymous reader is sent to sign in, and comes back here after.
    let anon = Browser::new(&app, None);
    let res = anon.client.get(app.url("/manage/processes/budget")).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/signin?next=%2Fmanage%2Fprocesses%2Fbudget".to_string()));
    let res = anon.client.get(app.url("/manage")).send().await.unwrap();
    assert_eq!(res.status(), 303);

    // A participant: no link, no pages.
    let eve_b = Browser::new(&app, Some(&eve));
    let home = eve_b.page("/", 200).await;
    assert!(!home.contains("href=\"/manage\""), "{home}");
    for path in ["/manage", "/manage/processes/new", "/manage/processes/budget", "/manage/processes/budget/members", "/manage/processes/budget/publish", "/manage/processes/budget/archive"] {
        eve_b.page(path, 403).await;
    }

    // Forged posts, with a valid form token from a page of her own: 403, nothing changes.
    let account = eve_b.page("/account", 200).await;
    let csrf = account.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let admin_b = Browser::new(&app, Some(&admin));
    let admin_form = form_fields(&admin_b.page("/manage/processes/budget", 200).await, "/manage/processes/budget");
    let mut forged = admin_form.clone();
    set(&mut forged, &[("csrf", &csrf), ("title.en", "Hijacked"), ("visibility", "private")]);
    let posts: Vec<(&str, Vec<(String, String)>)> = vec![
        ("/manage/processes/budget", forged.clone()),
        ("/manage/processes/budget", with(&forged, &[("add_phase", "1")])),
        ("/manage/processes/budget/archive", vec![("csrf".into(), csrf.clone())]),
        ("/manage/processes/budget/publish", vec![("csrf".into(), csrf.clone())]),
        ("/manage/processes/new", with(&forged, &[("slug", "forged")])),
        ("/manage/processes/budget/members", vec![("csrf".into(), csrf.clone()), ("email".into(), "eve@example.org".into()), ("role".into(), "organiser".into())]),
    ];
    for (path, pairs) in posts {
        let res = eve_b.post(path, &pairs).await;
        assert_eq!(res.status(), 403, "POST {path}");
    }
    let after = process(&app, &admin, "budget").await;
    assert_eq!(after["title"], before["title"]);
    assert_eq!((after["status"].as_str(), after["visibility"].as_str()), (Some("published"), Some("public")));
    assert_eq!(after["updated_at"], before["updated_at"]);
    let members = expect_json(app.client.get(app.url("/api/v1/processes/budget/members")).bearer_auth(&admin).send().await.unwrap(), 200).await;
    assert!(members["items"].as_array().unwrap().iter().all(|m| m["role"] != "organiser" || m["email"] != "eve@example.org"), "{members}");
    assert_eq!(app.client.get(app.url("/api/v1/processes/forged")).bearer_auth(&admin).send().await.unwrap().status(), 404);

    // The API says the same about the workspace list.
    let res = app.client.get(app.url("/api/v1/workspace")).bearer_auth(&eve).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let list = expect_json(app.client.get(app.url("/api/v1/workspace")).bearer_auth(&admin).send().await.unwrap(), 200).await;
    assert_eq!(list[0]["process"]["slug"], "budget");
    assert_eq!(list[0]["your_role"], "organiser");
}
