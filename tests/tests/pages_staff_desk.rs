//! The facilitator's desk and the moderation queue (issue 13, items 3 and 4): paper input
//! entered anonymously and for a member through the activity's own form, with the reference
//! to write on the slip, the count of today's entries and errors at their fields; a
//! participant who forges the desk's post gets 403 and nothing is stored; contributions hidden
//! and restored with a public reason that the public log shows, and a forged hide refused.

use std::sync::Arc;

use convene_e2e::flows::{add_activity, add_member, admin_token, contribute, published_process, sign_up, user_token};
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

    /// Posts a form as our own pages do (the browser says the post is same-origin).
    async fn post(&self, path: &str, pairs: &[(String, String)]) -> reqwest::Response {
        self.client.post(format!("{}{path}", self.base)).header("sec-fetch-site", "same-origin").form(pairs).send().await.unwrap()
    }
}

/// The value of the first hidden input `name` in `html`.
fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let at = html.find(&needle).unwrap_or_else(|| panic!("no {name} in {html}")) + needle.len();
    html[at..].split('"').next().unwrap().to_string()
}

/// The desk's entry form on a page: its hidden fields plus `fields`.
fn entry(html: &str, fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let start = html.find("name=\"idempotency-key\"").unwrap_or_else(|| panic!("no entry form: {html}"));
    let form = &html[html[..start].rfind("<form").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    let mut pairs: Vec<(String, String)> = ["csrf", "activity", "channel", "kind", "idempotency-key"].iter().map(|n| (n.to_string(), hidden(form, n))).collect();
    pairs.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    pairs
}

fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a page has a main");
    &html[start..html.find("</main>").unwrap()]
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").expect("a redirect").to_str().unwrap().to_string()
}

/// The large reference of the confirmation after a save.
fn saved_reference(html: &str) -> String {
    let needle = "<p class=\"desk-reference\">";
    let at = html.find(needle).unwrap_or_else(|| panic!("no reference shown: {html}")) + needle.len();
    html[at..].split('<').next().unwrap().to_string()
}

fn consultation() -> Value {
    json!({ "type": "org.convene.consultation", "title": { "en": "Where should public AI help first?" },
        "config": { "questions": [
            { "id": "priority", "type": "single_choice", "required": true, "text": { "en": "Priority?" },
              "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "transport", "label": { "en": "Transport" } } ] },
            { "id": "comment", "type": "free_text", "max_length": 40, "text": { "en": "Anything else?" } } ] } })
}

async fn items(app: &TestApp, token: &str, activity: &str) -> Vec<Value> {
    let res = app.get(&format!("/api/v1/activities/{activity}/contributions")).bearer_auth(token).send().await.unwrap();
    expect_json(res, 200).await["items"].as_array().unwrap().clone()
}

struct Setup {
    admin: String,
    facilitator: String,
    activity: String,
    /// A participant member, with an account id.
    ana: String,
    ana_id: String,
    /// Signed in, not a member.
    bob: String,
}

async fn setup(app: &TestApp, slug: &str) -> Setup {
    let admin = admin_token(app, "admin@example.org").await;
    published_process(app, &admin, slug).await;
    let activity = add_activity(app, &admin, slug, &consultation()).await["id"].as_str().unwrap().to_string();
    let facilitator = user_token(app, "fatima.facilitator@example.org").await;
    add_member(app, &admin, slug, "fatima.facilitator@example.org", "facilitator").await;
    let pair = sign_up(app, "ana.member@example.org", "Ana Member").await;
    add_member(app, &admin, slug, "ana.member@example.org", "participant").await;
    let bob = user_token(app, "bob.outsider@example.org").await;
    Setup {
        admin,
        facilitator,
        activity,
        ana: pair["access_token"].as_str().unwrap().to_string(),
        ana_id: pair["account"]["id"].as_str().unwrap().to_string(),
        bob,
    }
}

#[tokio::test]
async fn a_facilitator_enters_paper_input_anonymously_and_for_a_member() {
    let app = TestApp::spawn().await;
    let s = setup(&app, "desk-city").await;
    let fac = Browser::new(&app, Some(&s.facilitator));
    let desk = "/manage/processes/desk-city/desk";

    // Step 1: the open activity and the channels, once.
    let (status, html) = fac.get(desk).await;
    assert_eq!(status, 200, "{html}");
    let main = main_of(&html);
    assert!(main.contains(&format!("<option value=\"{}\"", s.activity)) && main.contains("name=\"channel\" value=\"in_person\""), "{main}");
    assert!(main.contains("href=\"/manage/processes/desk-city/desk\" aria-current=\"page\""), "the desk tab is current: {main}");
    assert_eq!(main.matches("<h1").count(), 1);

    // Step 2: the activity's own form, the desk's fields, the focus on the first control.
    let step2 = format!("{desk}?activity={}&channel=paper", s.activity);
    let (status, html) = fac.get(&step2).await;
    assert_eq!(status, 200);
    let main = main_of(&html);
    for needle in ["name=\"body.answers.priority\"", "name=\"body.answers.comment\"", "id=\"desk-email\"", "id=\"desk-reference\"", "Save and enter the next", "<input autofocus type=\"radio\""] {
        assert!(main.contains(needle), "{needle}: {main}");
    }
    assert!(main.contains("You entered 0 answers into this activity today.") && main.contains("In all, 0 answers were entered today."), "{main}");

    // Anonymous, no reference given: one is made and shown in large type.
    let res = fac.post(desk, &entry(&html, &[("body.answers.priority", "health"), ("body.answers.comment", "Clinics first"), ("email", ""), ("reference", "")])).await;
    assert_eq!(res.status(), 303);
    let next = location(&res);
    assert!(next.starts_with(&format!("{desk}?activity={}&channel=paper", s.activity)) && next.contains("&saved="), "{next}");
    let (_, html) = fac.get(&next).await;
    let generated = saved_reference(&html);
    assert!(generated.starts_with("P-") && generated.len() == 8, "{generated}");
    assert!(html.contains(&format!("<title>Saved, reference {generated}")), "the title says it first: {html}");
    assert!(main_of(&html).contains("<input autofocus type=\"radio\""), "the empty form again, focused");
    assert!(!main_of(&html).contains("Clinics first"), "the form is empty again");
    assert!(html.contains("You entered 1 answer into this activity today."), "{html}");

    // Anonymous with the paper's own reference.
    let res = fac.post(desk, &entry(&html, &[("body.answers.priority", "transport"), ("reference", "Slip 17")])).await;
    assert_eq!(res.status(), 303);
    let (_, html) = fac.get(&location(&res)).await;
    assert_eq!(saved_reference(&html), "Slip 17");

    // For a member, by the email she gives.
    let res = fac.post(desk, &entry(&html, &[("body.answers.priority", "health"), ("email", "ANA.member@example.org")])).await;
    assert_eq!(res.status(), 303);
    let (_, html) = fac.get(&location(&res)).await;
    assert!(html.contains("It is saved in the member"), "{html}");
    let mine = expect_json(app.get("/api/v1/me/input").bearer_auth(&s.ana).send().await.unwrap(), 200).await;
    let theirs = mine["items"].as_array().unwrap();
    assert_eq!(theirs.len(), 1, "the member finds it in her own input: {mine}");
    assert_eq!(theirs[0]["contribution"]["channel"], "paper", "{mine}");

    // Errors at their fields, what was typed kept, nothing stored: someone not a member, and
    // a missing required answer.
    let res = fac.post(desk, &entry(&html, &[("body.answers.comment", "Buses please"), ("email", "bob.outsider@example.org"), ("reference", "Slip 18")])).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    let main = main_of(&html);
    assert!(main.contains("error-summary") && main.contains("href=\"#desk-email\""), "{main}");
    assert!(main.contains("No member of this process has this email"), "{main}");
    assert!(main.contains("value=\"bob.outsider@example.org\"") && main.contains("value=\"Slip 18\"") && main.contains("Buses please"), "typed values kept: {main}");
    assert!(main.contains("id=\"desk-email\" name=\"email\"") && main.contains("aria-invalid=\"true\""), "{main}");
    assert!(html.contains("<title>Error:"), "{html}");
    let res = fac.post(desk, &entry(&html, &[("body.answers.comment", "Buses please"), ("email", "not an address")])).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(main_of(&html).contains("Enter an email address like name@example.org"), "{html}");
    // The required choice, at its field (the plugin's error, through the one renderer).
    let res = fac.post(desk, &entry(&html, &[("body.answers.comment", "Buses please")])).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    let main = main_of(&html);
    assert!(main.contains("href=\"#entry-answers-priority\""), "the summary links to the choice: {main}");
    assert!(main.contains("Buses please"), "{main}");
    assert_eq!(items(&app, &s.admin, &s.activity).await.len(), 3, "nothing stored by the refused posts");

    // The same post again (a double press) stores nothing twice.
    let (_, html) = fac.get(&step2).await;
    let pairs = entry(&html, &[("body.answers.priority", "health")]);
    let first = location(&fac.post(desk, &pairs).await);
    let again = location(&fac.post(desk, &pairs).await);
    assert_eq!(first, again);
    assert_eq!(items(&app, &s.admin, &s.activity).await.len(), 4);

    // Today's counts: this facilitator's and everyone's (an organiser entered one by phone).
    let by_phone = json!({ "kind": "response", "body": { "answers": { "priority": "transport" } }, "channel": "phone" });
    assert_eq!(contribute(&app, &s.admin, &s.activity, &by_phone).await.status(), 201);
    let (_, html) = fac.get(&step2).await;
    assert!(html.contains("You entered 4 answers into this activity today.") && html.contains("In all, 5 answers were entered today."), "{html}");
    let counts = expect_json(app.get(&format!("/api/v1/activities/{}/entered-today", s.activity)).bearer_auth(&s.facilitator).send().await.unwrap(), 200).await;
    assert_eq!((counts["by_you"].as_u64(), counts["in_all"].as_u64()), (Some(4), Some(5)), "{counts}");

    // What the desk stored: paper input entered by the facilitator, with the references.
    let all = items(&app, &s.facilitator, &s.activity).await;
    let refs: Vec<&str> = all.iter().filter_map(|c| c["reference"].as_str()).collect();
    assert!(refs.contains(&generated.as_str()) && refs.contains(&"Slip 17"), "{all:?}");
    assert_eq!(all.iter().filter(|c| c["channel"] == "paper").count(), 4);
    let _ = s.ana_id;
}

#[tokio::test]
async fn a_participant_forging_the_desk_gets_403_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let s = setup(&app, "desk-forge").await;
    let desk = "/manage/processes/desk-forge/desk";
    let step2 = format!("{desk}?activity={}&channel=paper", s.activity);
    // The facilitator's form, as a forger would copy it.
    let (_, html) = Browser::new(&app, Some(&s.facilitator)).get(&step2).await;
    let form = entry(&html, &[("body.answers.priority", "health"), ("reference", "Forged")]);

    // Signed out: to sign in.
    let (status, _) = Browser::new(&app, None).get(desk).await;
    assert_eq!(status, 303);
    for (who, token) in [("participant", &s.ana), ("non-member", &s.bob)] {
        let b = Browser::new(&app, Some(token));
        let (status, page) = b.get(&step2).await;
        assert_eq!(status, 403, "{who}: {page}");
        assert!(!page.contains("name=\"body.answers.priority\""), "{who}: no form");
        // Their own form token, on a page they may see.
        let (_, own) = b.get("/account").await;
        let mut forged = form.clone();
        forged[0].1 = hidden(&own, "csrf");
        let res = b.post(desk, &forged).await;
        assert_eq!(res.status(), 403, "{who}");
        let res = b.post(desk, &[("activity".to_string(), s.activity.clone()), ("channel".into(), "paper".into()), ("kind".into(), "response".into()), ("email".into(), "ana.member@example.org".into())]).await;
        assert_eq!(res.status(), 403, "{who}: the email is not looked up for them");
    }
    // The desk's API operations refuse them the same way.
    let lookup = app.post_json("/api/v1/processes/desk-forge/members/lookup", &json!({ "email": "ana.member@example.org" })).bearer_auth(&s.ana).send().await.unwrap();
    assert_eq!(lookup.status(), 403);
    let counts = app.get(&format!("/api/v1/activities/{}/entered-today", s.activity)).bearer_auth(&s.ana).send().await.unwrap();
    assert_eq!(counts.status(), 403);
    let found = expect_json(app.post_json("/api/v1/processes/desk-forge/members/lookup", &json!({ "email": "ana.member@example.org" })).bearer_auth(&s.facilitator).send().await.unwrap(), 200).await;
    assert_eq!(found["account_id"], s.ana_id.as_str());
    let outsider = app.post_json("/api/v1/processes/desk-forge/members/lookup", &json!({ "email": "bob.outsider@example.org" })).bearer_auth(&s.facilitator).send().await.unwrap();
    let nobody = app.post_json("/api/v1/processes/desk-forge/members/lookup", &json!({ "email": "nobody.at.all@example.org" })).bearer_auth(&s.facilitator).send().await.unwrap();
    assert_eq!((outsider.status(), nobody.status()), (StatusCode::UNPROCESSABLE_ENTITY, StatusCode::UNPROCESSABLE_ENTITY));
    assert_eq!(outsider.text().await.unwrap(), nobody.text().await.unwrap(), "an account elsewhere reads like no account");
    assert!(items(&app, &s.admin, &s.activity).await.is_empty(), "nothing stored");
}

#[tokio::test]
async fn moderators_hide_and_restore_with_a_public_reason_and_a_forged_hide_is_refused() {
    let app = TestApp::spawn().await;
    let s = setup(&app, "desk-mod").await;
    let body = json!({ "kind": "response", "body": { "answers": { "priority": "health", "comment": "Shout at the mayor" } } });
    let c = expect_json(contribute(&app, &s.ana, &s.activity, &body).await, 201).await["id"].as_str().unwrap().to_string();
    let res = app.post_json(&format!("/api/v1/contributions/{c}/reports"), &json!({ "reason": "Insults the mayor" })).bearer_auth(&s.bob).send().await.unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let queue = "/manage/processes/desk-mod/moderation";
    let fac = Browser::new(&app, Some(&s.facilitator));

    // The queue: the reported contribution, its text, the report, a hide form; the public log.
    let (status, html) = fac.get(queue).await;
    assert_eq!(status, 200, "{html}");
    let main = main_of(&html);
    assert!(main.contains("Insults the mayor") && main.contains("Shout at the mayor") && main.contains("1 report"), "{main}");
    assert!(main.contains(&format!("action=\"{queue}/{c}/hide\"")) && main.contains("href=\"/processes/desk-mod/moderation\""), "{main}");
    assert!(main.contains("No contribution of this process is hidden."), "{main}");

    // A participant may neither see the queue nor forge a hide.
    let ana = Browser::new(&app, Some(&s.ana));
    assert_eq!(ana.get(queue).await.0, 403);
    let (_, own) = ana.get("/account").await;
    let res = ana.post(&format!("{queue}/{c}/hide"), &[("csrf".to_string(), hidden(&own, "csrf")), ("reason".into(), "Forged".into())]).await;
    assert_eq!(res.status(), 403);
    let log = expect_json(app.get("/api/v1/processes/desk-mod/moderation").send().await.unwrap(), 200).await;
    assert_eq!(log, json!([]), "nothing hidden");

    // Without a reason: the error at the field.
    let csrf = hidden(&html, "csrf");
    let res = fac.post(&format!("{queue}/{c}/hide"), &[("csrf".to_string(), csrf.clone()), ("reason".into(), "  ".into())]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(main_of(&html).contains(&format!("href=\"#reason-{c}\"")) && main_of(&html).contains("Say why, in one sentence"), "{html}");

    // Hidden with a reason: the note, the hidden list, the public log.
    let res = fac.post(&format!("{queue}/{c}/hide"), &[("csrf".to_string(), csrf.clone()), ("reason".into(), "Insults a person.".into())]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{queue}?done=hidden"));
    let (_, html) = fac.get(&location(&res)).await;
    let main = main_of(&html);
    assert!(main.contains("The contribution is hidden.") && main.contains(&format!("action=\"{queue}/{c}/restore\"")), "{main}");
    assert!(main.contains("Nobody has reported a contribution that is still shown."), "{main}");
    let (_, public) = Browser::new(&app, None).get("/processes/desk-mod/moderation").await;
    assert!(public.contains("Insults a person.") && !public.contains("Shout at the mayor"), "{public}");
    let shown = expect_json(app.get(&format!("/api/v1/contributions/{c}")).send().await.unwrap(), 200).await;
    assert_eq!((shown["status"].as_str(), shown["body"].is_null()), (Some("hidden"), true));

    // A forged restore by the participant changes nothing; the facilitator's restore does.
    let res = ana.post(&format!("{queue}/{c}/restore"), &[("csrf".to_string(), hidden(&own, "csrf")), ("reason".into(), "Forged".into())]).await;
    assert_eq!(res.status(), 403);
    let res = fac.post(&format!("{queue}/{c}/restore"), &[("csrf".to_string(), csrf), ("reason".into(), "Read again: a fair complaint.".into())]).await;
    assert_eq!(res.status(), 303);
    let (_, public) = Browser::new(&app, None).get("/processes/desk-mod/moderation").await;
    assert!(public.contains("Insults a person.") && public.contains("Read again: a fair complaint."), "{public}");
    let shown = expect_json(app.get(&format!("/api/v1/contributions/{c}")).send().await.unwrap(), 200).await;
    assert_eq!(shown["status"], "visible");
}
