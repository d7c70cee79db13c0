//! The activity page (issue 12): contributing through the one form renderer, errors at their
//! fields with what was typed kept, one contribution per idempotency key, same-site posts
//! only, hidden contributions kept hidden, results drawn as charts with their tables, a
//! failing plugin named nowhere, and a citizen panel's volunteer and reply forms reached from
//! the invitation email.

use std::sync::Arc;

use convene_e2e::flows::{MAIL_WAIT, add_activity, admin_token, contribute, install_component, published_process, user_token};
use convene_e2e::{TestApp, expect_json};
use reqwest::StatusCode;
use reqwest::cookie::Jar;
use serde_json::{Value, json};

/// A browser: its own cookies (the session, the form token's secret), no redirects followed.
struct Browser {
    client: reqwest::Client,
    base: String,
}

impl Browser {
    fn new(app: &TestApp, access_token: Option<&str>, lang: Option<&str>) -> Browser {
        let jar = Arc::new(Jar::default());
        let url: reqwest::Url = app.base_url.parse().unwrap();
        if let Some(token) = access_token {
            jar.add_cookie_str(&format!("convene_access={token}; Path=/"), &url);
        }
        if let Some(lang) = lang {
            jar.add_cookie_str(&format!("lang={lang}; Path=/"), &url);
        }
        let client = reqwest::Client::builder().cookie_provider(jar).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { client, base: app.base_url.clone() }
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let res = self.client.get(format!("{}{path}", self.base)).header("accept", "text/html").send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// Posts a form as our own pages do (the browser says the post is same-origin).
    async fn post(&self, path: &str, pairs: &[(String, String)]) -> reqwest::Response {
        self.client.post(format!("{}{path}", self.base)).header("sec-fetch-site", "same-origin").form(pairs).send().await.unwrap()
    }

    async fn post_with(&self, path: &str, pairs: &[(String, String)], headers: &[(&str, &str)]) -> reqwest::Response {
        let mut req = self.client.post(format!("{}{path}", self.base)).form(pairs);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send().await.unwrap()
    }
}

/// The value of the first hidden input `name` on a page.
fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let at = html.find(&needle).unwrap_or_else(|| panic!("no {name} in {html}")) + needle.len();
    html[at..].split('"').next().unwrap().to_string()
}

/// The form of contribution kind `kind` on a page: its hidden fields plus `fields`.
fn form_of(html: &str, kind: &str, fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let start = html.find(&format!("name=\"kind\" value=\"{kind}\"")).unwrap_or_else(|| panic!("no form for {kind}: {html}"));
    let form = &html[html[..start].rfind("<form").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    let mut pairs = vec![
        ("csrf".to_string(), hidden(form, "csrf")),
        ("kind".to_string(), kind.to_string()),
        ("idempotency-key".to_string(), hidden(form, "idempotency-key")),
    ];
    pairs.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    pairs
}

fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a page has a main");
    &html[start..html.find("</main>").unwrap()]
}

fn consultation() -> Value {
    let choices = |values: &[&str]| values.iter().map(|v| json!({ "value": v, "label": { "en": format!("Label {v}"), "es": format!("Etiqueta {v}") } })).collect::<Vec<_>>();
    json!({ "type": "org.convene.consultation", "title": { "en": "Where should public AI help first?", "es": "¿Dónde debería ayudar primero la IA pública?" },
        "description": { "en": "Three short questions.\n\nEvery answer gets a response." },
        "config": { "questions": [
            { "id": "priority", "type": "single_choice", "required": true, "text": { "en": "Priority?" }, "choices": choices(&["health", "transport"]) },
            { "id": "worries", "type": "multiple_choice", "max_selected": 2, "text": { "en": "Worries?" }, "choices": choices(&["bias", "privacy", "jobs"]) },
            { "id": "trust", "type": "scale", "min": 1, "max": 5, "text": { "en": "Trust?" } },
            { "id": "rank", "type": "ranking", "text": { "en": "Rank these" }, "choices": choices(&["a", "b"]) },
            { "id": "comment", "type": "free_text", "max_length": 20, "text": { "en": "Anything else?" } } ] } })
}

async fn contributions(app: &TestApp, id: &str) -> Vec<Value> {
    expect_json(app.get(&format!("/api/v1/activities/{id}/contributions")).send().await.unwrap(), 200).await["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn contributing_through_the_page_shows_errors_at_their_fields_then_the_contribution() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "page-ai").await;
    let id = add_activity(&app, &admin, "page-ai", &consultation()).await["id"].as_str().unwrap().to_string();
    let page = format!("/activities/{id}");
    let post_path = format!("/activities/{id}/contributions");

    // Anonymous: what the activity is, a link to sign in, no form.
    let anon = Browser::new(&app, None, None);
    let (status, html) = anon.get(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Where should public AI help first?</h1>"), "{html}");
    assert!(html.contains(r#"href="/processes/page-ai""#), "a way back to the process: {html}");
    assert!(html.contains("<p>Three short questions.</p>"), "{html}");
    assert!(html.contains(&format!(r#"href="/signin?next=%2Factivities%2F{id}""#)), "{html}");
    assert!(!html.contains("name=\"body."), "no form for who is not signed in: {html}");
    assert_eq!(main_of(&html).matches("<h1").count(), 1);
    // In Spanish, the interface and the content.
    let (_, es) = Browser::new(&app, None, Some("es")).get(&page).await;
    assert!(es.contains("Inicie sesión para participar") && es.contains("¿Dónde debería ayudar primero la IA pública?"), "{es}");

    // Signed in: the form, every control labelled.
    let ana = user_token(&app, "ana@example.org").await;
    let browser = Browser::new(&app, Some(&ana), None);
    let (status, html) = browser.get(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<input type="radio" id="f-response-answers-priority" name="body.answers.priority" value="health">"#), "{html}");
    assert!(html.contains("Choose up to 2.") && html.contains("Up to 20 characters."), "limits in words: {html}");
    assert!(html.contains(r#"id="kind-response""#), "{html}");
    let first_key = hidden(&html, "idempotency-key");

    // Errors the plugin finds come back at their fields, with what was typed.
    let long = "far too long for twenty characters";
    let bad = form_of(&html, "response", &[("body.answers.worries", "bias"), ("body.answers.worries", "privacy"), ("body.answers.worries", "jobs"), ("body.answers.comment", long)]);
    let res = browser.post(&post_path, &bad).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Error: Where should public AI help first?"), "{html}");
    assert!(html.contains(r#"<div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">"#), "{html}");
    for field in ["f-response-answers-priority", "f-response-answers-worries", "f-response-answers-comment"] {
        assert!(html.contains(&format!(r##"<a href="#{field}">"##)), "the summary links {field}: {html}");
        assert!(html.contains(&format!(r#" id="{field}""#)), "{field} is on the page: {html}");
        assert!(html.contains(&format!(r#"<span class="error-message" id="{field}-error">"#)), "an error at {field}: {html}");
    }
    assert!(html.contains("</span> Write at most 20 characters.</span>"), "the SDK's check, in the reader's words, at the field: {html}");
    assert!(html.contains(&format!(">\n{long}</textarea>")), "what was typed is kept: {html}");
    assert!(html.contains(r#"value="jobs" checked"#) && html.contains(r#"value="bias" checked"#), "{html}");
    assert!(contributions(&app, &id).await.is_empty(), "nothing was stored");

    // Fixed and sent: 303 to the page, which says it was received and shows it.
    assert_eq!(hidden(&html, "idempotency-key"), first_key, "the key made with the form is kept across errors");
    let good = form_of(&html, "response", &[("body.answers.priority", "health"), ("body.answers.worries", "bias"), ("body.answers.trust", "4"), ("body.answers.rank", "b"), ("body.answers.rank", "a"), ("body.answers.comment", "More buses <please>")]);
    let res = browser.post(&post_path, &good).await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&format!("{page}?received=")) && location.ends_with("#received"), "{location}");
    let (status, html) = browser.get(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Your contribution was received"), "{html}");
    assert!(html.contains("Yours"), "{html}");
    assert!(html.contains("Label health"), "the answers under their questions: {html}");
    assert!(html.contains("More buses &#60;please&#62;") || html.contains("More buses &lt;please&gt;"), "escaped: {html}");
    assert!(html.contains("<dt lang=\"en\" dir=\"ltr\">Priority?</dt>"), "{html}");
    assert!(!html.contains("More buses <please>"), "{html}");

    // The same submission again (a second press, a retry): still one contribution.
    let res = browser.post(&post_path, &good).await;
    assert_eq!(res.status(), 303);
    assert_eq!(contributions(&app, &id).await.len(), 1);

    // Results: a chart with its table, from the kept copy.
    let (_, html) = anon.get(&page).await;
    assert!(html.contains(r#"<svg class="chart""#) && html.contains(r#"<table id="results-chart-1-table">"#), "{html}");
    assert!(html.contains(r#"<th scope="row">Label health</th><td class="num">1</td>"#), "{html}");
    assert!(html.contains(r#"<th scope="col" lang="en">Choice</th>"#), "the ranking as a table with headers: {html}");

    // Cross-site posts are refused; a post without the browser's word needs the page's token.
    let (_, html) = browser.get(&page).await;
    let again = form_of(&html, "response", &[("body.answers.priority", "transport")]);
    let res = browser.post_with(&post_path, &again, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(res.status(), 403);
    let without_token: Vec<(String, String)> = again.iter().filter(|(k, _)| k != "csrf").cloned().collect();
    assert_eq!(browser.post_with(&post_path, &without_token, &[]).await.status(), 403);
    assert_eq!(contributions(&app, &id).await.len(), 1);
    let res = browser.post_with(&post_path, &again, &[]).await;
    assert_eq!(res.status(), 303, "the token from the page (and its cookie) is enough");
    assert_eq!(contributions(&app, &id).await.len(), 2);

    // A contribution the moderators hid shows their reason, never its body, to anyone.
    let ben = user_token(&app, "ben@example.org").await;
    let rude = expect_json(contribute(&app, &ben, &id, &json!({ "kind": "response", "body": { "answers": { "priority": "health", "comment": "SECRET-RUDE-WORDS" } } })).await, 201).await;
    let hide = app.post_json(&format!("/api/v1/contributions/{}/hide", rude["id"].as_str().unwrap()), &json!({ "reason": "Insults another participant" }));
    assert_eq!(hide.bearer_auth(&admin).send().await.unwrap().status(), 200);
    for viewer in [&anon, &browser, &Browser::new(&app, Some(&admin), None)] {
        let (_, html) = viewer.get(&page).await;
        assert!(!html.contains("SECRET-RUDE-WORDS"), "{html}");
        assert!(html.contains("Insults another participant"), "{html}");
    }

    // A closed activity says so, and a post to it is refused with a clear page.
    let mut closed = consultation();
    closed["closes_at"] = json!("2020-01-01T00:00:00Z");
    let closed = add_activity(&app, &admin, "page-ai", &closed).await["id"].as_str().unwrap().to_string();
    let (status, html) = browser.get(&format!("/activities/{closed}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("This activity closed on 1 January 2020"), "{html}");
    assert!(!html.contains("name=\"body."), "{html}");
    let late = vec![("kind".to_string(), "response".to_string()), ("idempotency-key".to_string(), "late-1".to_string()), ("body.answers.priority".to_string(), "health".to_string())];
    let res = browser.post(&format!("/activities/{closed}/contributions"), &late).await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert!(html.contains("Your contribution was not saved") && html.contains("This activity closed on 1 January 2020"), "{html}");

    // Nothing here for an activity that does not exist.
    let (status, html) = anon.get("/activities/01a23108-77cd-70a6-826f-d475b87c54ca").await;
    assert_eq!(status, 404, "{html}");
    assert_eq!(anon.get("/activities/not-an-id").await.0, 404);
}

#[tokio::test]
async fn a_failing_plugin_shows_pages_that_name_nothing_internal() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    install_component(&app, &admin, "hostile").await;
    published_process(&app, &admin, "fragile").await;
    let ana = user_token(&app, "ana@example.org").await;
    let browser = Browser::new(&app, Some(&ana), None);

    // Results that fail: a note where they would be; the rest of the page stays.
    let body = json!({ "type": "test.hostile", "title": { "en": "Quick poll" }, "config": { "attack": "error-10mb", "during": "compute-results" } });
    let broken_results = add_activity(&app, &admin, "fragile", &body).await["id"].as_str().unwrap().to_string();
    let (status, html) = browser.get(&format!("/activities/{broken_results}")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("The results of this activity are unavailable right now"), "{html}");
    assert!(html.contains("<h1>Quick poll</h1>") && html.contains(r#"name="kind" value="x""#), "the rest of the page: {html}");
    for internal in ["test.hostile", "HOSTILE-ERROR", "FORGED", "could not compute"] {
        assert!(!html.contains(internal), "{internal} on the page: {html}");
    }

    // A contribution the plugin fails on: the 502 page, in plain words.
    let body = json!({ "type": "test.hostile", "title": { "en": "Another poll" }, "config": { "attack": "panic", "during": "validate-contribution" } });
    let panics = add_activity(&app, &admin, "fragile", &body).await["id"].as_str().unwrap().to_string();
    let (status, html) = browser.get(&format!("/activities/{panics}")).await;
    assert_eq!(status, 200, "{html}");
    let res = browser.post(&format!("/activities/{panics}/contributions"), &form_of(&html, "x", &[])).await;
    assert_eq!(res.status(), 502);
    let html = res.text().await.unwrap();
    assert!(html.contains("This activity is unavailable right now"), "{html}");
    for internal in ["test.hostile", "hostile", "panic", "trap", "wasm"] {
        assert!(!html.to_lowercase().contains(internal), "{internal} on the page: {html}");
    }
    assert!(contributions(&app, &panics).await.is_empty());
    // A kind that only facilitators send is not offered to a participant, and says why.
    assert!(main_of(&browser.get(&format!("/activities/{panics}")).await.1).contains("Only the facilitators and organisers of this process send this."));
}

#[tokio::test]
async fn a_citizen_panels_forms_render_and_its_invitation_leads_to_the_reply() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "panel").await;
    let options = |values: &[&str]| values.iter().map(|v| json!({ "value": v, "label": { "en": format!("Aged {v}") } })).collect::<Vec<_>>();
    let config = json!({ "panel_size": 2,
        "questions": [ { "id": "age", "text": { "en": "Your age" }, "options": options(&["18-44", "45+"]) } ],
        "consent": { "en": "I agree that my answers are used for the draw." },
        "invitation": { "subject": { "en": "You were drawn" }, "body": { "en": "Please reply on the activity's page." } } });
    let activity = add_activity(&app, &admin, "panel", &json!({ "type": "org.convene.citizen-panel", "title": { "en": "Citizen panel" }, "config": config })).await;
    let id = activity["id"].as_str().unwrap().to_string();
    let page = format!("/activities/{id}");
    let post_path = format!("{page}/contributions");

    let ana = user_token(&app, "ana@example.org").await;
    let browser = Browser::new(&app, Some(&ana), None);
    let (status, html) = browser.get(&page).await;
    assert_eq!(status, 200);
    // The volunteer form: the stratification question and the consent, both required.
    assert!(html.contains(r#"id="kind-volunteer""#) && html.contains(r#"name="body.answers.age" value="18-44""#), "{html}");
    assert!(html.contains(r#"<legend><span lang="en" dir="ltr">I agree that my answers are used for the draw.</span> <span class="required">(required)</span></legend>"#), "{html}");
    assert!(html.contains(r#"<input type="radio" id="f-volunteer-consent" name="body.consent" value="true">"#), "{html}");
    assert!(html.contains("Only the organisers of this process send this."), "the draw is not offered: {html}");
    assert!(html.contains(r#"id="kind-reply""#) && html.contains(r#"name="body.accept""#), "{html}");

    // Without consent, the plugin's words at the consent.
    let res = browser.post(&post_path, &form_of(&html, "volunteer", &[("body.answers.age", "18-44"), ("body.consent", "false")])).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(r##"<a href="#f-volunteer-consent">"##) && html.contains(r#"id="f-volunteer-consent-error""#), "{html}");
    assert!(html.contains(r#"value="18-44" checked"#), "{html}");
    // A reply before any draw: the plugin's reason, in the summary.
    let res = browser.post(&post_path, &form_of(&html, "reply", &[("body.accept", "true")])).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("<li>The panel has not been drawn yet"), "{html}");

    // Two volunteers through the page, a seed, the draw.
    let res = browser.post(&post_path, &form_of(&html, "volunteer", &[("body.answers.age", "18-44"), ("body.consent", "true")])).await;
    assert_eq!(res.status(), 303);
    let bea = user_token(&app, "bea@example.org").await;
    let bea_browser = Browser::new(&app, Some(&bea), None);
    let (_, html) = bea_browser.get(&page).await;
    let res = bea_browser.post(&post_path, &form_of(&html, "volunteer", &[("body.answers.age", "45+"), ("body.consent", "true")])).await;
    assert_eq!(res.status(), 303);
    expect_json(app.post(&format!("/api/v1/activities/{id}/seed")).bearer_auth(&admin).send().await.unwrap(), 201).await;
    expect_json(contribute(&app, &admin, &id, &json!({ "kind": "draw", "body": {} })).await, 201).await;

    // The invitation links to this page, where the reply form is.
    let mail = app.smtp.wait_for(MAIL_WAIT, |m| m.is_to("ana@example.org") && m.subject.contains("You were drawn")).await;
    let link = mail.first_link_containing("/activities/").expect("the invitation links to the activity");
    assert!(link.ends_with(&page), "{link}");
    let (status, html) = browser.get(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"id="kind-reply""#), "{html}");
    let res = browser.post(&post_path, &form_of(&html, "reply", &[("body.accept", "true")])).await;
    assert_eq!(res.status(), 303);
    let (_, html) = browser.get(res.headers()["location"].to_str().unwrap()).await;
    assert!(html.contains("Your contribution was received") && html.contains("I accept my seat on the panel"), "{html}");
}

#[tokio::test]
async fn a_rate_limited_post_keeps_what_was_typed_and_a_signed_out_post_goes_to_sign_in() {
    let app = TestApp::builder().env("CONVENE_LIMITS__CONTRIBUTIONS_PER_ACCOUNT", "1/10m").spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "limits").await;
    let id = add_activity(&app, &admin, "limits", &consultation()).await["id"].as_str().unwrap().to_string();
    let page = format!("/activities/{id}");
    let post_path = format!("{page}/contributions");
    let ana = user_token(&app, "ana@example.org").await;
    let browser = Browser::new(&app, Some(&ana), None);

    let (_, html) = browser.get(&page).await;
    let res = browser.post(&post_path, &form_of(&html, "response", &[("body.answers.priority", "health")])).await;
    assert_eq!(res.status(), 303);
    let (_, html) = browser.get(&page).await;
    let res = browser.post(&post_path, &form_of(&html, "response", &[("body.answers.priority", "transport"), ("body.answers.comment", "Second thoughts")])).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let html = res.text().await.unwrap();
    assert!(html.contains("You have sent many contributions in a short time"), "{html}");
    assert!(html.contains(">\nSecond thoughts</textarea>") && html.contains(r#"value="transport" checked"#), "what was typed is kept: {html}");
    assert_eq!(contributions(&app, &id).await.len(), 1);

    // Signed out meanwhile: to the sign-in page, and back here afterwards.
    let anon = Browser::new(&app, None, None);
    let (_, html) = anon.get(&page).await;
    let res = anon.post(&post_path, &[("csrf".to_string(), hidden(&html, "csrf")), ("kind".to_string(), "response".to_string())]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/signin?next=%2Factivities%2F{id}").as_str());
}

#[tokio::test]
async fn a_roundtable_report_is_filed_through_the_same_forms() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "tables").await;
    let body = json!({ "type": "org.convene.roundtable", "title": { "en": "Regional roundtables" }, "config": { "meetings": [
        { "id": "north-1", "title": { "en": "North, first meeting" }, "date": "2027-03-10", "place": "Town hall", "capacity": 30 } ] } });
    let id = add_activity(&app, &admin, "tables", &body).await["id"].as_str().unwrap().to_string();
    let page = format!("/activities/{id}");
    let organiser = Browser::new(&app, Some(&admin), None);
    let (status, html) = organiser.get(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"id="kind-report""#) && html.contains("Key points (one per line)"), "{html}");
    assert!(html.contains("A whole number from 0 to 100,000."), "{html}");
    let report = form_of(&html, "report", &[
        ("body.meeting", "north-1"),
        ("body.attendance", "24"),
        ("body.key_points", "Buses first\r\nPublish the algorithm register\r\n"),
        ("body.recommendations", "Train staff"),
        ("body.demographics_consented", ""),
    ]);
    let res = organiser.post(&format!("{page}/contributions"), &report).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let stored = contributions(&app, &id).await;
    assert_eq!(stored[0]["body"]["key_points"], json!(["Buses first", "Publish the algorithm register"]));
    assert_eq!(stored[0]["body"]["attendance"], 24);
    let (_, html) = Browser::new(&app, None, None).get(&page).await;
    assert!(html.contains("<li lang=\"en\" dir=\"ltr\">Publish the algorithm register</li>"), "one point per item: {html}");
    assert!(html.contains("North, first meeting"), "the meeting by its title: {html}");
}
