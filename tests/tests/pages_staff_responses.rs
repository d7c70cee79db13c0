//! Responding through the staff pages (issue 13, item 5), over HTTP with cookies as a browser
//! without scripts: the table of a process's contributions and each of its filters, pages
//! both ways, a response to the contributions ticked and to "all that match" (each after a
//! confirmation that says how many it answers), one from its row, the errors at their fields,
//! the backlog against the commitment, the same list and "all matching" through the API; and
//! a participant who forges the form gets 403 with nothing changed.

use std::sync::Arc;

use convene_e2e::flows::{MAIL_WAIT, add_activity, admin_token, contribute, published_process, user_token};
use convene_e2e::{TestApp, expect_json};
use reqwest::header::LOCATION;
use serde_json::{Value, json};

const SLUG: &str = "resp";

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_provider(Arc::new(reqwest::cookie::Jar::default())).redirect(reqwest::redirect::Policy::none()).no_proxy().build().unwrap()
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str, status: u16) -> String {
    let res = client.get(app.url(path)).send().await.unwrap();
    let got = res.status().as_u16();
    let html = res.text().await.unwrap();
    assert_eq!(got, status, "GET {path}: {html}");
    html
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no field {name} in {html}")) + marker.len();
    html[at..].split('"').next().unwrap().replace("&#x2f;", "/").replace("&#47;", "/").replace("&amp;", "&")
}

async fn post_form(app: &TestApp, client: &reqwest::Client, path: &str, csrf: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf)];
    form.extend_from_slice(fields);
    client.post(app.url(path)).form(&form).send().await.unwrap()
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get(LOCATION).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// A browser signed in as `email` through an emailed sign-in link and its page's button.
async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let subject = "Your sign-in link";
    let before = app.smtp.messages_to(email).iter().filter(|m| m.subject.contains(subject)).count();
    let res = app.post_json("/api/v1/auth/magic-link", &json!({ "email": email })).send().await.unwrap();
    assert_eq!(res.status(), 202);
    let deadline = std::time::Instant::now() + MAIL_WAIT;
    let link = loop {
        let mails: Vec<_> = app.smtp.messages_to(email).into_iter().filter(|m| m.subject.contains(subject)).collect();
        if let Some(mail) = mails.get(before) {
            break mail.first_link_containing("/login/magic?token=").expect("the email has a sign-in link");
        }
        assert!(std::time::Instant::now() < deadline, "no sign-in link for {email}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let client = browser();
    let html = page(app, &client, &link, 200).await;
    let res = post_form(app, &client, "/login/magic", &hidden(&html, "csrf"), &[("token", &hidden(&html, "token"))]).await;
    assert_eq!(res.status(), 303, "signed in");
    client
}

fn activity(title: &str) -> Value {
    json!({ "type": "org.convene.consultation", "title": { "en": title }, "closes_at": "2099-01-01T00:00:00Z",
        "config": { "questions": [ { "id": "q", "type": "free_text", "required": true, "text": { "en": "Your view?" } } ] } })
}

fn entry(text: &str, channel: &str) -> Value {
    json!({ "kind": "response", "body": { "answers": { "q": text } }, "channel": channel })
}

/// The ids of a process's contributions the API lists for a filter (all pages).
async fn listed(app: &TestApp, token: &str, query: &str) -> (Vec<String>, u64) {
    let v = expect_json(app.get(&format!("/api/v1/processes/{SLUG}/contributions?limit=100&{query}")).bearer_auth(token).send().await.unwrap(), 200).await;
    let ids = v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
    (ids, v["total"].as_u64().unwrap())
}

/// The `value`s of the table's checkboxes, in order.
fn row_ids(html: &str) -> Vec<String> {
    html.match_indices("type=\"checkbox\" id=\"c-").map(|(i, m)| html[i + m.len()..].split('"').next().unwrap().to_string()).collect()
}

/// The href of the link whose text starts with `text`.
fn link(html: &str, text: &str) -> Option<String> {
    let at = html.find(&format!("\">{text}"))?;
    let start = html[..at].rfind("href=\"")? + 6;
    Some(html[start..at].replace("&amp;", "&").replace("&#x2f;", "/").replace("&#47;", "/").replace("&#x3d;", "=").replace("&#61;", "="))
}

struct Fixture {
    admin: String,
    paper_ids: Vec<String>,
    online_ids: Vec<String>,
    phone_ids: Vec<String>,
    second: String,
}

/// 30 paper entries about buses in the first activity; 3 online contributions about parks
/// and 2 phone entries in the second.
async fn fixture(app: &TestApp) -> Fixture {
    let admin = admin_token(app, "admin@example.org").await;
    published_process(app, &admin, SLUG).await;
    let first = add_activity(app, &admin, SLUG, &activity("Buses")).await["id"].as_str().unwrap().to_string();
    let second = add_activity(app, &admin, SLUG, &activity("Parks")).await["id"].as_str().unwrap().to_string();
    let mut paper_ids = Vec::new();
    for i in 0..30 {
        paper_ids.push(expect_json(contribute(app, &admin, &first, &entry(&format!("Paper form {i}: more buses at night"), "paper")).await, 201).await["id"].as_str().unwrap().to_string());
    }
    let ana = user_token(app, "ana@example.org").await;
    let mut online_ids = Vec::new();
    for i in 0..3 {
        let body = json!({ "kind": "response", "body": { "answers": { "q": format!("Online {i}: Parks need shade and 100% more benches") } } });
        online_ids.push(expect_json(contribute(app, &ana, &second, &body).await, 201).await["id"].as_str().unwrap().to_string());
    }
    let mut phone_ids = Vec::new();
    for i in 0..2 {
        phone_ids.push(expect_json(contribute(app, &admin, &second, &entry(&format!("Call {i}: a \"quiet\" park"), "phone")).await, 201).await["id"].as_str().unwrap().to_string());
    }
    Fixture { admin, paper_ids, online_ids, phone_ids, second }
}

fn matching(html: &str) -> String {
    let at = html.find("id=\"matching\" role=\"status\">").expect("the count of matching contributions") + "id=\"matching\" role=\"status\">".len();
    html[at..].split('<').next().unwrap().to_string()
}

#[tokio::test]
async fn organisers_filter_page_and_respond_in_bulk_and_one_by_one() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let org = signed_in(&app, "admin@example.org").await;
    let base = format!("/manage/processes/{SLUG}/responses");

    // The table: everything, 25 a page, oldest first; the backlog against the commitment.
    let html = page(&app, &org, &base, 200).await;
    assert!(html.contains("<h1>Respond to contributions</h1>") && html.contains("aria-current=\"page\">Responses</a>"), "{html}");
    assert!(html.contains("35 contributions of 35 still have no response."), "{html}");
    assert!(html.contains("We respond to every contribution within 30 days of the close.") && html.contains("0 past the deadline, 0 due within 7 days, 35 due later."), "{html}");
    assert_eq!(matching(&html), "35 contributions match.");
    let first_page = row_ids(&html);
    assert_eq!(first_page.len(), 25);
    assert_eq!(first_page[0], f.paper_ids[0], "oldest first");
    assert!(link(&html, "Previous page").is_none(), "no page before the first");

    // Pages both ways.
    let next = link(&html, "Next page").expect("a next page");
    let html2 = page(&app, &org, &next, 200).await;
    let second_page = row_ids(&html2);
    assert_eq!(second_page.len(), 10);
    assert!(second_page.iter().all(|id| !first_page.contains(id)), "the pages do not overlap");
    assert!(link(&html2, "Next page").is_none());
    let prev = link(&html2, "Previous page").expect("a previous page");
    assert_eq!(row_ids(&page(&app, &org, &prev, 200).await), first_page, "previous goes back to the same page");

    // Each filter narrows the table.
    let count = async |q: &str| matching(&page(&app, &org, &format!("{base}?{q}"), 200).await);
    assert_eq!(count("channel=phone").await, "2 contributions match.");
    assert_eq!(count("channel=online").await, "3 contributions match.");
    assert_eq!(count(&format!("activity={}", f.second)).await, "5 contributions match.");
    assert_eq!(count("q=buses").await, "30 contributions match.");
    assert_eq!(count("q=PARKS+shade").await, "3 contributions match.", "all words, any ASCII case");
    assert_eq!(count("q=100%25").await, "3 contributions match.", "% is taken literally");
    assert_eq!(count("q=%22quiet%22").await, "2 contributions match.", "quotes are found as written");
    assert_eq!(count("q=nothing-like-this").await, "No contributions match.");
    assert_eq!(count("responded=no").await, "35 contributions match.");
    assert_eq!(count("responded=yes").await, "No contributions match.");
    let filtered = page(&app, &org, &format!("{base}?channel=phone"), 200).await;
    assert_eq!(row_ids(&filtered), f.phone_ids);
    assert!(filtered.contains("<option value=\"phone\" selected>"), "the filter shows what was chosen");

    // A search too long is refused at its field, as in the API.
    let long = "a".repeat(201);
    let html = page(&app, &org, &format!("{base}?q={long}"), 400).await;
    assert!(html.contains("href=\"#f-q\"") && html.contains("Search for at most 200 characters") && html.contains("aria-invalid=\"true\""), "{html}");
    let res = app.get(&format!("/api/v1/processes/{SLUG}/contributions?q={long}")).bearer_auth(&f.admin).send().await.unwrap();
    assert_eq!(res.status(), 400);
    let p: Value = res.json().await.unwrap();
    assert!(p.to_string().contains("\"q\""), "the problem names the field: {p}");
    let html = page(&app, &org, &format!("{base}?channel=fax"), 400).await;
    assert!(html.contains("href=\"#f-channel\""), "{html}");

    // Nothing ticked: the list again, saying so.
    let html = page(&app, &org, &format!("{base}/respond?scope=selected&channel=phone"), 422).await;
    assert!(html.contains("Select at least one contribution") && html.contains("href=\"#select-heading\""), "{html}");

    // Two ticked: the form, first sent empty: errors at the fields.
    let (a, b) = (&f.online_ids[0], &f.online_ids[1]);
    let html = page(&app, &org, &format!("{base}/respond?scope=selected&id={a}&id={b}"), 200).await;
    assert!(html.contains("This response answers 2 contributions."), "{html}");
    assert_eq!(hidden(&html, "ids"), format!("{a},{b}"));
    let action = format!("{base}/respond");
    let csrf = hidden(&html, "csrf");
    let res = post_form(&app, &org, &action, &csrf, &[("ids", &format!("{a},{b}")), ("explanation-en", "  ")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Error:") && html.contains("class=\"error-summary\""), "{html}");
    assert!(html.contains("href=\"#disposition\"") && html.contains("Choose what you did with the input"), "{html}");
    assert!(html.contains("href=\"#explanation-en\"") && html.contains("Explain your response in at least one language"), "{html}");
    assert!(html.contains("id=\"explanation-en-error\""), "{html}");
    // What was typed is kept.
    let res = post_form(&app, &org, &action, &csrf, &[("ids", &format!("{a},{b}")), ("explanation-es", "Ya está en el plan.")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Ya está en el plan.</textarea>") && !html.contains("href=\"#explanation-en\""), "{html}");

    // Complete: a confirmation that says how many, then sent.
    let fields = [("ids", format!("{a},{b}")), ("disposition", "adopted".into()), ("explanation-en", "Shade comes first in the parks plan.".into()), ("outcome_refs", "2.1, annex-b".into())];
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = post_form(&app, &org, &action, &csrf, &pairs).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Send this response to 2 contributions?") && html.contains("Send the response to 2 contributions"), "{html}");
    assert_eq!(listed(&app, &f.admin, "responded=true").await.1, 0, "nothing is sent before the confirmation");
    let mut confirm = pairs.clone();
    confirm.push(("confirm", "yes"));
    let res = post_form(&app, &org, &action, &hidden(&html, "csrf"), &confirm).await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    assert!(to.starts_with(&format!("{base}?answered=2")), "{to}");
    let html = page(&app, &org, &to, 200).await;
    assert!(html.contains("You responded to 2 contributions."), "{html}");
    assert!(html.contains("33 contributions of 35 still have no response."), "{html}");
    for id in [a, b] {
        let c = expect_json(app.get(&format!("/api/v1/contributions/{id}")).send().await.unwrap(), 200).await;
        assert_eq!(c["response"]["disposition"], "adopted");
        assert_eq!(c["response"]["outcome_refs"], json!(["2.1", "annex-b"]));
    }
    assert_eq!(count("responded=yes").await, "2 contributions match.");
    assert_eq!(count("disposition=adopted").await, "2 contributions match.");
    assert_eq!(count("disposition=noted").await, "No contributions match.");

    // All that match a filter: the 30 paper ones about buses, in one batch.
    let html = page(&app, &org, &format!("{base}?q=buses&responded=no"), 200).await;
    assert!(html.contains("Respond to all 30 matching contributions"), "{html}");
    let html = page(&app, &org, &format!("{base}/respond?q=buses&responded=no&scope=all"), 200).await;
    assert!(html.contains("This response answers 30 contributions."), "{html}");
    let ids = hidden(&html, "ids");
    assert_eq!(ids.split(',').count(), 30);
    let all = [("ids", ids.as_str()), ("disposition", "partly_adopted"), ("explanation-en", "Night buses start next year on two lines."), ("back-q", "buses"), ("back-responded", "no")];
    let html = post_form(&app, &org, &action, &hidden(&html, "csrf"), &all).await.text().await.unwrap();
    assert!(html.contains("Send this response to 30 contributions?"), "{html}");
    let mut confirm = all.to_vec();
    confirm.push(("confirm", "yes"));
    let res = post_form(&app, &org, &action, &hidden(&html, "csrf"), &confirm).await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).contains("responded=no&q=buses&answered=30"), "back to the same filter: {}", location(&res));
    let (_, left) = listed(&app, &f.admin, "responded=false").await;
    assert_eq!(left, 3, "the online one left and the two phone entries");
    let batches: std::collections::BTreeSet<String> = {
        let mut s = std::collections::BTreeSet::new();
        for id in &f.paper_ids {
            let c = expect_json(app.get(&format!("/api/v1/contributions/{id}")).send().await.unwrap(), 200).await;
            assert_eq!(c["response"]["disposition"], "partly_adopted");
            s.insert(c["response"]["batch_id"].as_str().unwrap().to_string());
        }
        s
    };
    assert_eq!(batches.len(), 1, "one batch for the one action");

    // One from its row: no confirmation step.
    let html = page(&app, &org, &format!("{base}?channel=phone"), 200).await;
    let row = link(&html, "Respond").expect("a respond link per row");
    assert!(row.contains(&format!("id={}", f.phone_ids[0])) && row.contains("channel=phone"), "{row}");
    let html = page(&app, &org, &row, 200).await;
    assert!(html.contains("This response answers 1 contribution.") && html.contains("Call 0: a ") && html.contains("quiet"), "{html}");
    let res = post_form(&app, &org, &action, &hidden(&html, "csrf"), &[("ids", &f.phone_ids[0]), ("disposition", "noted"), ("explanation-en", "Thank you."), ("back-channel", "phone")]).await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with(&format!("{base}?channel=phone&answered=1")), "{}", location(&res));
    let c = expect_json(app.get(&format!("/api/v1/contributions/{}", f.phone_ids[0])).send().await.unwrap(), 200).await;
    assert_eq!(c["response"]["disposition"], "noted");

    // The API: the same list both ways, and "all matching".
    let v = expect_json(app.get(&format!("/api/v1/processes/{SLUG}/contributions?limit=20")).bearer_auth(&f.admin).send().await.unwrap(), 200).await;
    assert_eq!((v["items"].as_array().unwrap().len(), v["total"].as_u64()), (20, Some(35)));
    assert!(v["prev_cursor"].is_null());
    let cursor = v["next_cursor"].as_str().unwrap();
    let v2 = expect_json(app.get(&format!("/api/v1/processes/{SLUG}/contributions?limit=20&cursor={cursor}")).bearer_auth(&f.admin).send().await.unwrap(), 200).await;
    assert_eq!(v2["items"].as_array().unwrap().len(), 15);
    let back = v2["prev_cursor"].as_str().unwrap();
    let v3 = expect_json(app.get(&format!("/api/v1/processes/{SLUG}/contributions?limit=20&before={back}")).bearer_auth(&f.admin).send().await.unwrap(), 200).await;
    assert_eq!(v3["items"], v["items"]);
    let ids = expect_json(app.get(&format!("/api/v1/processes/{SLUG}/contributions/ids?responded=false")).bearer_auth(&f.admin).send().await.unwrap(), 200).await;
    assert_eq!(ids["total"], 2);
    assert_eq!(ids["capped"], false);
    assert_eq!(ids["ids"], json!([f.online_ids[2], f.phone_ids[1]]));
}

#[tokio::test]
async fn a_participant_gets_403_on_every_step_and_a_forged_post_changes_nothing() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let base = format!("/manage/processes/{SLUG}/responses");
    let action = format!("{base}/respond");

    // Anonymous: sent to sign in.
    let res = browser().get(app.url(&base)).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with("/signin?next="), "{}", location(&res));

    // Ana contributed; she may not see the table, the form, nor send a response.
    let ana = signed_in(&app, "ana@example.org").await;
    page(&app, &ana, &base, 403).await;
    page(&app, &ana, &format!("{base}/respond?scope=all"), 403).await;
    page(&app, &ana, &format!("{base}/respond?id={}", f.online_ids[0]), 403).await;
    let ben = user_token(&app, "ben@example.org").await;
    let res = app.get(&format!("/api/v1/processes/{SLUG}/contributions")).bearer_auth(&ben).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = app.get(&format!("/api/v1/processes/{SLUG}/contributions/ids")).bearer_auth(&ben).send().await.unwrap();
    assert_eq!(res.status(), 403);

    // She forges the response form (with her own page's token): 403, and nothing changes.
    let csrf = hidden(&page(&app, &ana, "/account", 200).await, "csrf");
    let ids = f.online_ids.join(",");
    for extra in [None, Some(("confirm", "yes"))] {
        let mut fields = vec![("ids", ids.as_str()), ("disposition", "adopted"), ("explanation-en", "Adopted, says Ana.")];
        fields.extend(extra);
        let res = post_form(&app, &ana, &action, &csrf, &fields).await;
        assert_eq!(res.status(), 403, "{:?}", extra);
    }
    // Even with the form incomplete, who may is decided first.
    let res = post_form(&app, &ana, &action, &csrf, &[("ids", ids.as_str())]).await;
    assert_eq!(res.status(), 403);
    let (_, waiting) = listed(&app, &f.admin, "responded=false").await;
    assert_eq!(waiting, 35, "no response was stored");
    for id in &f.online_ids {
        let history = expect_json(app.get(&format!("/api/v1/contributions/{id}/responses")).send().await.unwrap(), 200).await;
        assert_eq!(history, json!([]), "nothing was answered");
    }
    let ledger = expect_json(app.get("/api/v1/ledger").send().await.unwrap(), 200).await;
    assert!(!ledger.to_string().contains("responses.given"), "nothing in the ledger");
}

#[tokio::test]
async fn an_empty_process_says_so() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "empty").await;
    let org = signed_in(&app, "admin@example.org").await;
    let html = page(&app, &org, "/manage/processes/empty/responses", 200).await;
    assert!(html.contains("Nobody has contributed to this process yet.") && html.contains("0 contributions of 0 still have no response."), "{html}");
    assert!(!html.contains("<table"), "no table when there is nothing: {html}");
}
