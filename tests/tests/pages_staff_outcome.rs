//! The staff's outcome pages and report dashboard (issue 13, items 6 and 7): an organiser
//! writes a version (errors at their fields first, what was typed kept), finds contributions
//! to cite, previews the sanitised text, publishes through the same app function as the API,
//! revises with a required note, and reads the history with the per-section differences; the
//! report dashboard lists the commitment at risk first with what to do; a participant or a
//! facilitator who forges the publish post gets 403 and nothing is published.

use std::sync::Arc;

use convene_e2e::flows::{add_activity, add_member, admin_token, contribute, create_process, process_body, user_token};
use convene_e2e::{TestApp, expect_json};
use reqwest::StatusCode;
use reqwest::cookie::Jar;
use serde_json::{Value, json};

const SLUG: &str = "town-plan";

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

    /// Posts a form as our own pages do: the form token of a page, and the browser saying the
    /// post is same-origin.
    async fn post(&self, path: &str, csrf: &str, fields: &[(&str, &str)]) -> (StatusCode, String, Option<String>) {
        let mut pairs: Vec<(&str, &str)> = vec![("csrf", csrf)];
        pairs.extend_from_slice(fields);
        let res = self.client.post(format!("{}{path}", self.base)).header("sec-fetch-site", "same-origin").form(&pairs).send().await.unwrap();
        let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string());
        (res.status(), res.text().await.unwrap(), location)
    }
}

/// The value of the first hidden input `name` on a page.
fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let at = html.find(&needle).unwrap_or_else(|| panic!("no {name} in {html}")) + needle.len();
    html[at..].split('"').next().unwrap().to_string()
}

fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a page has a main");
    &html[start..html.find("</main>").unwrap()]
}

/// A published process whose commitments are, in this order: publish the outcome within 60
/// days of the last phase (not due for a long time), and respond within 3 days of the close
/// of an activity that closes in two days (so, with contributions unanswered, at risk). An
/// organiser (not an administrator), a facilitator, a participant, and four contributions;
/// returns the tokens and the contributions' ids.
struct Setup {
    admin: String,
    organiser: String,
    facilitator: String,
    participant: String,
    ids: Vec<String>,
}

async fn setup(app: &TestApp) -> Setup {
    let admin = admin_token(app, "admin@example.org").await;
    let mut body = process_body(SLUG);
    body["commitments"] = json!([
        { "text": { "en": "We publish the outcome within 60 days of the last phase." }, "measure": { "kind": "publish_outcome_within_days", "days": 60 } },
        { "text": { "en": "We answer every contribution within 3 days of the close." }, "measure": { "kind": "respond_within_days", "days": 3 } }
    ]);
    create_process(app, &admin, &body).await;
    assert_eq!(app.client.post(app.url(&format!("/api/v1/processes/{SLUG}/publish"))).bearer_auth(&admin).send().await.unwrap().status(), 200);
    let closes = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let activity = json!({ "type": "org.convene.consultation", "title": { "en": "Your town" }, "closes_at": closes,
        "config": { "questions": [ { "id": "q", "type": "free_text", "required": true, "text": { "en": "Your view?" } } ] } });
    let aid = add_activity(app, &admin, SLUG, &activity).await["id"].as_str().unwrap().to_string();
    let organiser = user_token(app, "olga@example.org").await;
    let facilitator = user_token(app, "fede@example.org").await;
    let participant = user_token(app, "pia@example.org").await;
    add_member(app, &admin, SLUG, "olga@example.org", "organiser").await;
    add_member(app, &admin, SLUG, "fede@example.org", "facilitator").await;
    add_member(app, &admin, SLUG, "pia@example.org", "participant").await;
    let mut ids = Vec::new();
    for (who, text) in [("ana", "Hospitals need night buses"), ("ben", "Libraries should open late"), ("eva", "Parks for every district"), ("ivo", "More bike lanes downtown")] {
        let token = user_token(app, &format!("{who}@example.org")).await;
        let body = json!({ "kind": "response", "body": { "answers": { "q": text } } });
        ids.push(expect_json(contribute(app, &token, &aid, &body).await, 201).await["id"].as_str().unwrap().to_string());
    }
    Setup { admin, organiser, facilitator, participant, ids }
}

/// Sets the language of an account (which wins over the `lang` cookie).
async fn set_locale(app: &TestApp, token: &str, lang: &str) {
    let res = app.client.patch(app.url("/api/v1/me")).bearer_auth(token).json(&json!({ "locale": lang })).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn versions(app: &TestApp) -> Vec<Value> {
    expect_json(app.get(&format!("/api/v1/processes/{SLUG}/outcomes")).send().await.unwrap(), 200).await.as_array().unwrap().clone()
}

#[tokio::test]
async fn an_organiser_writes_previews_publishes_and_revises_the_outcome() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let editor = format!("/manage/processes/{SLUG}/outcome");

    // Who may not manage the process does not get the editor.
    let (status, _) = Browser::new(&app, None, None).get(&editor).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "anonymous: sent to sign in");
    let (status, _) = Browser::new(&app, Some(&s.participant), None).get(&editor).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = Browser::new(&app, Some(&s.facilitator), None).get(&editor).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "facilitators do not publish outcomes");

    let olga = Browser::new(&app, Some(&s.organiser), None);
    let (status, html) = olga.get(&editor).await;
    assert_eq!(status, 200, "{html}");
    let main = main_of(&html);
    assert!(main.contains("<h1>Write the outcome</h1>"), "{main}");
    assert_eq!(main.matches("<h1").count(), 1);
    assert!(main.contains(&format!(r#"href="/manage/processes/{SLUG}/outcome" aria-current="page""#)), "the outcome tab is current: {main}");
    assert!(main.contains(r#"<label for="title-en">"#) && main.contains(r#"name="s0.heading.en""#) && main.contains(r#"name="s0.body.en""#), "{main}");
    assert!(!main.contains("name=\"note.en\""), "a first version has no revision note: {main}");
    let csrf = hidden(&html, "csrf");

    // Errors first: no title, no heading; the typed body is kept, each message at its field.
    let (status, html, _) = olga.post(&editor, &csrf, &[("title.en", ""), ("s0.id", "1"), ("s0.heading.en", ""), ("s0.body.en", "Kept *text*"), ("publish", "1")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("<title>Error:"), "the title says so first: {html}");
    assert!(html.contains(r##"<a href="#title-en">Enter the title of the outcome</a>"##), "{html}");
    assert!(html.contains(r##"<a href="#s0-heading-en">Enter a heading for section 1</a>"##), "{html}");
    assert!(html.contains(r#"id="s0-heading-en-error""#) && html.contains(r#"aria-invalid="true""#), "{html}");
    assert!(html.contains(">Kept *text*</textarea>"), "what was typed is kept: {html}");
    assert!(versions(&app).await.is_empty(), "nothing published");

    // Add a row, then find contributions by their words for it.
    let (status, html, _) = olga.post(&editor, &csrf, &[("title.en", "What we heard"), ("s0.id", "1"), ("s0.heading.en", "Transport"), ("s0.body.en", "Night buses."), ("add_section", "1")]).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"name="s1.heading.en""#) && html.contains(r#"value="Transport""#), "a second row, the first kept: {html}");
    let (status, html, _) = olga.post(&editor, &csrf, &[("title.en", "What we heard"), ("s0.id", "1"), ("s0.heading.en", "Transport"), ("s0.body.en", "Night buses."), ("s0.q", "HOSPITALS"), ("search", "0")]).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(r#"name="s0.cites" value="{}">"#, s.ids[0])), "found by its words, not ticked: {html}");
    assert!(html.contains("Hospitals need night buses") && !html.contains("Libraries should open late"), "{html}");
    // And by its reference (the end of its id).
    let short = &s.ids[1][s.ids[1].len() - 8..];
    let (_, html, _) = olga.post(&editor, &csrf, &[("s0.id", "1"), ("s0.q", short), ("search", "0")]).await;
    assert!(html.contains("Libraries should open late"), "found by reference: {html}");

    // Reordering keeps each row's content.
    let (_, html, _) = olga.post(&editor, &csrf, &[("s0.id", "a"), ("s0.heading.en", "First"), ("s1.id", "b"), ("s1.heading.en", "Second"), ("move_down", "0")]).await;
    let (first, second) = (html.find(r#"value="Second""#).unwrap(), html.find(r#"value="First""#).unwrap());
    assert!(first < second, "moved down: {html}");
    assert!(html.contains(r#"id="s0-heading-en" name="s0.heading.en" value="Second""#), "{html}");

    // Preview: the sanitised HTML, nothing published.
    let (status, html, _) = olga.post(
        &editor,
        &csrf,
        &[("title.en", "What we heard"), ("s0.id", "1"), ("s0.heading.en", "Transport"), ("s0.body.en", "**Night buses** first.\n\n<script>alert(1)</script>"), ("preview", "1")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("<strong>Night buses</strong> first."), "{html}");
    assert!(!html.contains("<script>alert(1)</script>"), "sanitised: {html}");
    assert!(versions(&app).await.is_empty(), "a preview publishes nothing");

    // Publish, citing three contributions in two sections.
    let (status, _, location) = olga
        .post(
            &editor,
            &csrf,
            &[
                ("title.en", "What we heard"),
                ("title.es", "Lo que escuchamos"),
                ("s0.id", "transport"),
                ("s0.heading.en", "Transport"),
                ("s0.body.en", "Night buses first.\n\nThen bike lanes."),
                ("s0.cites", &s.ids[0]),
                ("s0.cites", &s.ids[1]),
                ("s1.id", "parks"),
                ("s1.heading.en", "Parks"),
                ("s1.body.en", "A park in every district."),
                ("s1.cites", &s.ids[2]),
                ("publish", "1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some(&*format!("/manage/processes/{SLUG}/outcome/history?published=1")));
    let current = expect_json(app.get(&format!("/api/v1/processes/{SLUG}/outcomes/current")).send().await.unwrap(), 200).await;
    assert_eq!(current["version"], 1);
    assert_eq!(current["title"], json!({ "en": "What we heard", "es": "Lo que escuchamos" }), "a blank French title is no French title");
    assert_eq!(current["sections"][0]["cites"], json!([s.ids[0], s.ids[1]]));
    assert_eq!(current["sections"][1]["cites"], json!([s.ids[2]]));
    let (status, html) = olga.get(&location.unwrap()).await;
    assert_eq!(status, 200);
    assert!(html.contains("Version 1 is published.") && html.contains(&format!(r#"href="/processes/{SLUG}/outcome""#)), "{html}");

    // Revising starts from the current version and needs a note.
    let (_, html) = olga.get(&editor).await;
    assert!(html.contains("<h1>Revise the outcome: version 2</h1>"), "{html}");
    assert!(html.contains(r#"value="What we heard""#) && html.contains(">Night buses first.\n\nThen bike lanes.</textarea>"), "{html}");
    assert!(html.contains(&format!(r#"name="s0.cites" value="{}" checked"#, s.ids[1])), "cited contributions ticked: {html}");
    assert!(html.contains("Libraries should open late"), "each with its words: {html}");
    let csrf = hidden(&html, "csrf");
    let revision = |note: &'static str| -> Vec<(&'static str, String)> {
        vec![
            ("title.en", "What we heard".into()),
            ("s0.id", "transport".into()),
            ("s0.heading.en", "Transport".into()),
            ("s0.body.en", "Night buses first.\n\nThen trams.".into()),
            ("s0.cites", s.ids[0].clone()),
            ("s0.cites", s.ids[3].clone()),
            ("s1.id", "housing".into()),
            ("s1.heading.en", "Housing".into()),
            ("s1.body.en", "Homes near the stations.".into()),
            ("note.en", note.into()),
            ("publish", "1".into()),
        ]
    };
    let fields = revision("");
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, html, _) = olga.post(&editor, &csrf, &borrowed).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r##"<a href="#note-en">Say what changed in this version and why</a>"##), "{html}");
    assert!(html.contains(r#"value="Housing""#), "kept: {html}");
    assert_eq!(versions(&app).await.len(), 1);
    let fields = revision("Trams instead of bike lanes; parks moved to the next plan.");
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, location) = olga.post(&editor, &csrf, &borrowed).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some(&*format!("/manage/processes/{SLUG}/outcome/history?published=2")));

    // The history: every version with its note, and version 2's changes section by section.
    let (status, html) = olga.get(&location.unwrap()).await;
    assert_eq!(status, 200);
    let main = main_of(&html);
    assert!(main.contains("Trams instead of bike lanes; parks moved to the next plan.") && main.contains("First version"), "{main}");
    assert!(main.contains("What changed from version 1 to version 2"), "{main}");
    assert!(main.contains("<del>Then bike lanes.</del>") && main.contains("<ins>Then trams.</ins>"), "the text's changes: {main}");
    assert!(main.contains("Housing</span>: new section") && main.contains("Parks</span>: section removed"), "{main}");
    assert!(main.contains("Now also draws on this contribution:") && main.contains("No longer draws on this contribution:"), "{main}");
    // Version 1's own entry: the first, nothing to compare.
    let (_, html) = olga.get(&format!("/manage/processes/{SLUG}/outcome/history?version=1")).await;
    assert!(html.contains("Version 1 is the first"), "{html}");
    let (status, _) = olga.get(&format!("/manage/processes/{SLUG}/outcome/history?version=x")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // In Spanish too.
    set_locale(&app, &s.admin, "es").await;
    let (_, es) = Browser::new(&app, Some(&s.admin), Some("es")).get(&format!("/manage/processes/{SLUG}/outcome/history")).await;
    assert!(es.contains("Historial del resultado"), "{es}");
}

#[tokio::test]
async fn the_report_dashboard_lists_the_commitment_at_risk_first() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let path = format!("/manage/processes/{SLUG}/report");
    let (status, _) = Browser::new(&app, Some(&s.participant), None).get(&path).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = Browser::new(&app, None, None).get(&path).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let (status, html) = Browser::new(&app, Some(&s.organiser), None).get(&path).await;
    assert_eq!(status, 200, "{html}");
    let main = main_of(&html);
    assert!(main.contains(&format!(r#"href="/manage/processes/{SLUG}/report" aria-current="page""#)), "{main}");
    let risk = main.find("Commitments at risk").expect("a section for them");
    let answer = main.find("We answer every contribution within 3 days of the close.").expect("the at-risk commitment");
    let publish = main.find("We publish the outcome within 60 days of the last phase.").expect("the other commitment");
    assert!(risk < answer && answer < publish, "the at-risk commitment (second in the process) comes first: {main}");
    assert!(main.contains("0 contributions are past the deadline without a response and 4 more are due within a week."), "what to do: {main}");
    assert!(main.contains(&format!(r#"href="/manage/processes/{SLUG}/responses?responded=no""#)), "where to do it: {main}");
    assert!(main.contains("4 contributions") || main.contains("4 contribution"), "the report's numbers: {main}");
    assert!(main.contains("<th scope=\"row\"><a href=\"/activities/"), "by activity: {main}");
    set_locale(&app, &s.admin, "fr").await;
    let (_, fr) = Browser::new(&app, Some(&s.admin), Some("fr")).get(&path).await;
    assert!(fr.contains("Engagements en danger"), "{fr}");
}

#[tokio::test]
async fn a_forged_publish_post_from_a_participant_or_facilitator_gets_403_and_publishes_nothing() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let editor = format!("/manage/processes/{SLUG}/outcome");
    for token in [&s.participant, &s.facilitator] {
        let browser = Browser::new(&app, Some(token), None);
        // A form token from a page this person may see.
        let (_, page) = browser.get(&format!("/processes/{SLUG}")).await;
        let csrf = hidden(&page, "csrf");
        let (status, html, _) = browser
            .post(&editor, &csrf, &[("title.en", "Forged"), ("s0.id", "1"), ("s0.heading.en", "Forged"), ("s0.body.en", "Forged"), ("s0.cites", &s.ids[0]), ("publish", "1")])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
        assert!(!html.contains("Forged"), "{html}");
    }
    assert!(versions(&app).await.is_empty(), "nothing was published");
    // The organiser's own post is what publishes.
    let olga = Browser::new(&app, Some(&s.organiser), None);
    let (_, html) = olga.get(&editor).await;
    let (status, _, _) = olga
        .post(&editor, &hidden(&html, "csrf"), &[("title.en", "Ours"), ("s0.id", "1"), ("s0.heading.en", "Ours"), ("s0.body.en", "Ours"), ("publish", "1")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(versions(&app).await.len(), 1);
    // The search for contributions to cite is the organisers' too, on the API as on the page.
    let res = app.get(&format!("/api/v1/processes/{SLUG}/outcomes/citable?text=parks")).bearer_auth(&s.participant).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let found = expect_json(app.get(&format!("/api/v1/processes/{SLUG}/outcomes/citable?text=parks")).bearer_auth(&s.organiser).send().await.unwrap(), 200).await;
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["id"], s.ids[2]);
}
