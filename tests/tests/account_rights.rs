//! A person's rights over their account: to download everything the instance holds about
//! them, and to delete the account by a link emailed to them, after which nothing personal
//! about them is left in any table of the database while their contributions stay, with the
//! responses to them, no longer linked to anyone.

use convene_e2e::flows::{MAIL_WAIT, add_activity, add_member, admin_token, contribute, create_process, process_body, published_process, sign_up, token_from_link};
use convene_e2e::traces::{found_anywhere, traces_of};
use convene_e2e::{TestApp, expect_json, problem};
use serde_json::{Value, json};

fn consultation() -> Value {
    json!({ "type": "org.convene.consultation", "title": { "en": "Where should public AI help first?" },
        "config": { "questions": [
            { "id": "priority", "type": "single_choice", "required": true, "text": { "en": "Priority?" },
              "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "transport", "label": { "en": "Transport" } } ] },
            { "id": "why", "type": "free_text", "required": false, "text": { "en": "Why?" } } ] } })
}

fn answer(why: &str) -> Value {
    json!({ "kind": "response", "body": { "answers": { "priority": "health", "why": why } } })
}

/// Someone signed up and in through the emailed link.
struct Person {
    email: String,
    name: String,
    id: String,
    access: String,
    refresh: String,
}

async fn person(app: &TestApp, email: &str, name: &str) -> Person {
    let pair = sign_up(app, email, name).await;
    Person {
        email: email.into(),
        name: name.into(),
        id: pair["account"]["id"].as_str().unwrap().into(),
        access: pair["access_token"].as_str().unwrap().into(),
        refresh: pair["refresh_token"].as_str().unwrap().into(),
    }
}

async fn id_of(res: reqwest::Response, status: u16) -> String {
    expect_json(res, status).await["id"].as_str().unwrap().to_string()
}

/// A published process with one consultation; returns the activity's id.
async fn process_with_consultation(app: &TestApp, admin: &str, slug: &str) -> String {
    published_process(app, admin, slug).await;
    add_activity(app, admin, slug, &consultation()).await["id"].as_str().unwrap().to_string()
}

async fn export_of(app: &TestApp, token: &str) -> (Value, String) {
    let res = app.get("/api/v1/me/export").bearer_auth(token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("application/json"), "{content_type}");
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
    let date = disposition
        .strip_prefix("attachment; filename=\"convene-my-data-")
        .and_then(|rest| rest.strip_suffix(".json\""))
        .unwrap_or_else(|| panic!("Content-Disposition: {disposition}"));
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap_or_else(|e| panic!("{date}: {e}"));
    assert!((chrono::Utc::now().date_naive() - day).num_days().abs() <= 1, "{date}");
    let text = res.text().await.unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("the export is one JSON document ({e}): {text}"));
    (doc, text)
}

fn ids(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn my_data_holds_my_input_in_every_process_and_nothing_of_anyone_else() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let city = process_with_consultation(&app, &admin, "city-ai").await;
    let region = process_with_consultation(&app, &admin, "region-ai").await;
    let ana = person(&app, "ana.export@example.org", "Ana Exportadora").await;
    let ben = person(&app, "ben.other@example.org", "Benedikt Otherperson").await;
    let fran = person(&app, "fran.facilitator@example.org", "Fran Facilitadora").await;
    add_member(&app, &admin, "city-ai", &fran.email, "facilitator").await;
    add_member(&app, &admin, "city-ai", &ana.email, "participant").await;

    let in_city = id_of(contribute(&app, &ana.access, &city, &answer("Ana on the city")).await, 201).await;
    let in_region = id_of(contribute(&app, &ana.access, &region, &answer("Ana on the region")).await, 201).await;
    let withdrawn = id_of(contribute(&app, &ana.access, &region, &answer("Ana takes this back")).await, 201).await;
    let res = app.client.delete(app.url(&format!("/api/v1/contributions/{withdrawn}"))).bearer_auth(&ana.access).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let mut by_phone = answer("Ana said this on the phone");
    by_phone["channel"] = json!("phone");
    by_phone["on_behalf_of"] = json!(ana.id);
    let entered = id_of(contribute(&app, &fran.access, &city, &by_phone).await, 201).await;
    let bens = id_of(contribute(&app, &ben.access, &city, &answer("Ben's private words")).await, 201).await;

    let hide = json!({ "reason": "Off topic for this process" });
    expect_json(app.post_json(&format!("/api/v1/contributions/{in_region}/hide"), &hide).bearer_auth(&admin).send().await.unwrap(), 200).await;
    let respond = json!({ "contribution_ids": [in_city], "disposition": "adopted", "explanation": { "en": "Adopted in section one." }, "outcome_refs": ["1"] });
    expect_json(app.post_json("/api/v1/processes/city-ai/responses", &respond).bearer_auth(&admin).send().await.unwrap(), 201).await;
    let report = json!({ "reason": "Not about AI at all" });
    let res = app.post_json(&format!("/api/v1/contributions/{bens}/reports"), &report).bearer_auth(&ana.access).send().await.unwrap();
    assert_eq!(res.status(), 201);
    app.smtp.wait_for(MAIL_WAIT, |m| m.is_to(&ana.email) && m.subject.contains("a response to your input")).await;

    let (doc, text) = export_of(&app, &ana.access).await;
    assert_eq!(doc["format"], "convene-my-data/1");
    assert_eq!(doc["account"]["id"], json!(ana.id));
    assert_eq!(doc["account"]["email"], json!(ana.email));
    assert_eq!(doc["account"]["display_name"], json!(ana.name));
    assert!(doc["account"]["email_verified_at"].is_string());

    // Every contribution of hers, in both processes, whatever became of it.
    let contributions = &doc["contributions"];
    assert_eq!(ids(contributions), sorted(vec![in_city.clone(), in_region.clone(), withdrawn.clone(), entered.clone()]));
    let by_id = |id: &str| contributions.as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
    let mut slugs: Vec<&str> = contributions.as_array().unwrap().iter().map(|c| c["process"]["slug"].as_str().unwrap()).collect();
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs, ["city-ai", "region-ai"]);
    let city_one = by_id(&in_city);
    assert_eq!(city_one["body"]["answers"]["why"], "Ana on the city");
    assert_eq!(city_one["activity"]["id"], json!(city));
    assert_eq!(city_one["channel"], "online");
    assert_eq!(city_one["responses"][0]["disposition"], "adopted");
    assert_eq!(city_one["responses"][0]["explanation"]["en"], "Adopted in section one.");
    let hidden = by_id(&in_region);
    assert_eq!(hidden["status"], "hidden");
    assert_eq!(hidden["body"]["answers"]["why"], "Ana on the region", "her own words, even hidden");
    assert_eq!(hidden["moderation"][0]["action"], "hidden");
    let gone = by_id(&withdrawn);
    assert_eq!(gone["status"], "withdrawn");
    assert!(gone["withdrawn_at"].is_string());
    assert_eq!(gone["body"]["answers"]["why"], "Ana takes this back");
    let phoned = by_id(&entered);
    assert_eq!(phoned["channel"], "phone");
    assert_eq!(phoned["entered_by_facilitator"], true);

    // Memberships, reports, sessions, emails and settings.
    let memberships = doc["memberships"].as_array().unwrap();
    assert_eq!(memberships.len(), 1, "{memberships:?}");
    assert_eq!(memberships[0]["process"]["slug"], "city-ai");
    assert_eq!(memberships[0]["role"], "participant");
    assert_eq!(doc["reports_filed"][0]["contribution_id"], json!(bens));
    assert_eq!(doc["reports_filed"][0]["reason"], "Not about AI at all");
    assert!(doc["sessions"].as_array().unwrap().iter().any(|s| s["current"] == true));
    let subjects: Vec<&str> = doc["emails"].as_array().unwrap().iter().filter_map(|e| e["subject"].as_str()).collect();
    assert!(subjects.iter().any(|s| s.contains("a response to your input")), "{subjects:?}");
    assert!(subjects.iter().any(|s| s.contains("Welcome")), "{subjects:?}");
    assert_eq!(doc["notification_settings"]["activity_notifications"], true);
    assert!(doc["links"].as_array().unwrap().iter().any(|l| l["purpose"] == "signup"));
    assert!(doc["entered_for_others"].as_array().unwrap().is_empty());
    assert!(!text.contains("token_hash") && !text.contains("refresh_jti") && !text.contains("password_hash"));

    // Nobody else's data: not the other participant's, nor who entered, moderated or answered.
    for other in [&ben, &fran] {
        for needle in [&other.email, &other.name, &other.id] {
            assert!(!text.contains(needle.as_str()), "{needle} is in Ana's export");
        }
    }
    assert!(!text.contains("admin@example.org") && !text.contains("Ben's private words"));

    // The facilitator's export lists what she entered for others, without their words.
    let (fran_doc, fran_text) = export_of(&app, &fran.access).await;
    assert_eq!(ids(&fran_doc["entered_for_others"]), vec![entered.clone()]);
    assert_eq!(fran_doc["entered_for_others"][0]["for_an_account"], true);
    assert!(!fran_text.contains("on the phone") && !fran_text.contains(&ana.email) && !fran_text.contains(&ana.id));
    // And Ben's holds nothing of Ana's.
    let (ben_doc, ben_text) = export_of(&app, &ben.access).await;
    assert_eq!(ids(&ben_doc["contributions"]), vec![bens.clone()]);
    for needle in [&ana.email, &ana.name, &ana.id, &"Not about AI at all".to_string()] {
        assert!(!ben_text.contains(needle.as_str()), "{needle} is in Ben's export");
    }
    // The administrator's export shows what they did as staff.
    let (admin_doc, _) = export_of(&app, &admin).await;
    assert_eq!(admin_doc["processes_created"].as_array().unwrap().len(), 2);
    assert_eq!(admin_doc["activities_created"].as_array().unwrap().len(), 2);
    assert_eq!(admin_doc["responses_given"][0]["contribution_id"], json!(in_city));
    assert_eq!(admin_doc["moderation_actions"][0]["contribution_id"], json!(in_region));

    let res = app.get("/api/v1/me/export").send().await.unwrap();
    assert_eq!(res.status(), 401);
    problem(res).await;
}

/// POSTs a deletion confirmation, whatever the outcome.
async fn confirm_raw(app: &TestApp, body: &Value) -> reqwest::Response {
    app.post_json("/api/v1/me/deletion/confirm", body).send().await.unwrap()
}

/// How many emails to `email` with `subject` in their subject arrived so far.
fn mails_so_far(app: &TestApp, email: &str, subject: &str) -> usize {
    app.smtp.messages_to(email).iter().filter(|m| m.subject.contains(subject)).count()
}

/// The first link containing `page` in the next email to `email` with `subject` in its
/// subject, after the `before` that had arrived.
async fn link_in_next_mail(app: &TestApp, email: &str, subject: &str, before: usize, page: &str) -> String {
    let deadline = std::time::Instant::now() + MAIL_WAIT;
    loop {
        let mails: Vec<_> = app.smtp.messages_to(email).into_iter().filter(|m| m.subject.contains(subject)).collect();
        if mails.len() > before {
            let mail = &mails[before];
            return mail.first_link_containing(page).unwrap_or_else(|| panic!("no {page} link in {}", mail.text));
        }
        assert!(std::time::Instant::now() < deadline, "no new email \"{subject}\" to {email}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Asks for the deletion of `token`'s account (asserting 202) and returns the emailed link.
async fn deletion_link(app: &TestApp, token: &str, email: &str) -> String {
    let before = mails_so_far(app, email, "Confirm the deletion");
    let accepted = expect_json(app.post("/api/v1/me/deletion").bearer_auth(token).send().await.unwrap(), 202).await;
    assert!(accepted["detail"].as_str().unwrap().contains("Nothing is deleted until you confirm"), "{accepted}");
    link_in_next_mail(app, email, "Confirm the deletion", before, "/account/delete/confirm?token=").await
}

#[tokio::test]
async fn deleting_my_account_by_the_emailed_link_leaves_nothing_personal_and_keeps_my_input_anonymous() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let city = process_with_consultation(&app, &admin, "city-ai").await;
    let region = process_with_consultation(&app, &admin, "region-ai").await;
    let zeph = person(&app, "zephyrine.q@example.org", "Zephyrine Quackenbush").await;
    let ben = person(&app, "ben.other@example.org", "Benedikt Otherperson").await;
    let fran = person(&app, "fran.facilitator@example.org", "Fran Facilitadora").await;
    add_member(&app, &admin, "city-ai", &fran.email, "facilitator").await;
    add_member(&app, &admin, "city-ai", &zeph.email, "participant").await;

    // Everything a person leaves behind: input (one sent with an idempotency key, one entered
    // for her by phone), a response to it, a report, settings, a password and a failed attempt,
    // attributes granted and claimed, sign-in links and a second session.
    let keyed = app
        .post_json(&format!("/api/v1/activities/{city}/contributions"), &answer("Zephyrine on the city"))
        .bearer_auth(&zeph.access)
        .header("Idempotency-Key", "zeph-key-1")
        .send()
        .await
        .unwrap();
    let in_city = id_of(keyed, 201).await;
    let in_region = id_of(contribute(&app, &zeph.access, &region, &answer("Zephyrine on the region")).await, 201).await;
    let mut by_phone = answer("Zephyrine said this on the phone");
    by_phone["channel"] = json!("phone");
    by_phone["on_behalf_of"] = json!(zeph.id);
    let entered = id_of(contribute(&app, &fran.access, &city, &by_phone).await, 201).await;
    let bens = id_of(contribute(&app, &ben.access, &city, &answer("Ben's words")).await, 201).await;
    let respond = json!({ "contribution_ids": [in_city, entered], "disposition": "adopted", "explanation": { "en": "Adopted in section one." } });
    expect_json(app.post_json("/api/v1/processes/city-ai/responses", &respond).bearer_auth(&admin).send().await.unwrap(), 201).await;
    let res = app.post_json(&format!("/api/v1/contributions/{bens}/reports"), &json!({ "reason": "Not about AI" })).bearer_auth(&zeph.access).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let res = app.patch_json("/api/v1/me/notifications", &json!({ "activity_notifications": false })).bearer_auth(&zeph.access).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = app.put_json("/api/v1/me/password", &json!({ "new_password": "correct horse battery staple" })).bearer_auth(&zeph.access).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let res = app.post_json("/api/v1/auth/login", &json!({ "email": zeph.email, "password": "not the password at all" })).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let grant = app.post_json(&format!("/api/v1/admin/accounts/{}/attributes", zeph.id), &json!({ "name": "resident" })).bearer_auth(&admin);
    assert_eq!(grant.send().await.unwrap().status(), 200);
    let census = app.post("/api/v1/admin/census?attribute=voter").bearer_auth(&admin).header("content-type", "text/csv").body("identifier\nZQ-1234\n");
    assert_eq!(census.send().await.unwrap().status(), 200);
    let claim = json!({ "attribute": "voter", "identifier": "ZQ-1234" });
    assert_eq!(app.post_json("/api/v1/me/attributes/claim", &claim).bearer_auth(&zeph.access).send().await.unwrap().status(), 200);
    let before = mails_so_far(&app, &zeph.email, "Your sign-in link");
    assert_eq!(app.post_json("/api/v1/auth/magic-link", &json!({ "email": zeph.email })).send().await.unwrap().status(), 202);
    let second = token_from_link(&link_in_next_mail(&app, &zeph.email, "Your sign-in link", before, "/login/magic").await);
    let other_device = convene_e2e::flows::consume(&app, &second).await;
    let other_access = other_device["access_token"].as_str().unwrap().to_string();
    app.smtp.wait_for(MAIL_WAIT, |m| m.is_to(&zeph.email) && m.subject.contains("a response to your input")).await;

    // The search finds her before: it would find her after.
    let traces = traces_of(&zeph.email, &zeph.name, &zeph.id);
    let before = found_anywhere(&app, &traces).await;
    for expected in ["accounts.email", "accounts.display_name", "contributions.author_id", "sessions.account_id", "jobs.payload", "rate_limits.key", "census_entries.claimed_by"] {
        assert!(before.iter().any(|h| h.starts_with(expected)), "{expected} not found before the deletion: {before:#?}");
    }

    // The request: an email with a link to a page; following the link deletes nothing, and
    // the link does not sign anyone in.
    let link = deletion_link(&app, &zeph.access, &zeph.email).await;
    assert!(link.starts_with(&app.url("/account/delete/confirm?token=")), "{link}");
    let token = token_from_link(&link);
    let res = app.client.get(&link).send().await.unwrap();
    assert!(res.status().as_u16() < 500, "GET {link}: {}", res.status());
    assert_eq!(app.get("/api/v1/me").bearer_auth(&zeph.access).send().await.unwrap().status(), 200, "a GET deletes nothing");
    let res = convene_e2e::flows::consume_raw(&app, &token).await;
    assert_eq!(res.status(), 400, "a deletion link is not a sign-in link");
    assert_eq!(app.get("/api/v1/me").bearer_auth(&zeph.access).send().await.unwrap().status(), 200);

    // Bad input names the field.
    for body in [json!({ "token": "" }), json!({ "token": "x".repeat(300) }), json!({ "token": "not-a-token" }), json!({ "token": 7 })] {
        let res = confirm_raw(&app, &body).await;
        assert_eq!(res.status(), 400, "{body}");
        assert_eq!(problem(res).await["errors"][0]["field"], "token", "{body}");
    }
    let res = confirm_raw(&app, &json!({})).await;
    assert_eq!(res.status(), 400);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("token"));

    // Confirmed: done once, from any device (no session needed).
    let deleted = expect_json(confirm_raw(&app, &json!({ "token": token })).await, 200).await;
    assert_eq!(deleted["contributions_kept"], 3, "{deleted}");
    let again = confirm_raw(&app, &json!({ "token": token })).await;
    assert_eq!(again.status(), 400, "the link works once");
    assert_eq!(problem(again).await["errors"][0]["field"], "token");

    // Signed out everywhere.
    for access in [&zeph.access, &other_access] {
        let res = app.get("/api/v1/me").bearer_auth(access).send().await.unwrap();
        assert_eq!(res.status(), 401);
    }
    let res = app.post_json("/api/v1/auth/refresh", &json!({ "refresh_token": zeph.refresh })).send().await.unwrap();
    assert_eq!(res.status(), 401);

    // Her input stays, public and without an author; the responses and her report too.
    for (activity, expected) in [(&city, vec![in_city.clone(), entered.clone(), bens.clone()]), (&region, vec![in_region.clone()])] {
        let list = expect_json(app.get(&format!("/api/v1/activities/{activity}/contributions")).send().await.unwrap(), 200).await;
        assert_eq!(ids(&list["items"]), sorted(expected));
        let text = list.to_string();
        assert!(!text.contains(&zeph.email) && !text.contains(&zeph.name) && !text.contains(&zeph.id), "{text}");
    }
    let kept = expect_json(app.get(&format!("/api/v1/contributions/{in_city}")).send().await.unwrap(), 200).await;
    assert_eq!(kept["body"]["answers"]["why"], "Zephyrine on the city");
    assert_eq!(kept["response"]["disposition"], "adopted");
    let reports = expect_json(app.get("/api/v1/processes/city-ai/reports").bearer_auth(&admin).send().await.unwrap(), 200).await;
    assert_eq!(reports[0]["contribution_id"], json!(bens));
    assert_eq!(reports[0]["reasons"], json!(["Not about AI"]));
    // The facilitator still has what she entered; the placeholder is nobody's account.
    let fran_view = expect_json(app.get(&format!("/api/v1/contributions/{entered}")).bearer_auth(&fran.access).send().await.unwrap(), 200).await;
    assert_eq!(fran_view["mine"], true);
    let accounts = expect_json(app.get("/api/v1/admin/accounts").bearer_auth(&admin).send().await.unwrap(), 200).await;
    let emails: Vec<&str> = accounts["items"].as_array().unwrap().iter().map(|a| a["email"].as_str().unwrap()).collect();
    assert_eq!(sorted(emails.iter().map(|e| e.to_string()).collect()), sorted(vec!["admin@example.org".into(), ben.email.clone(), fran.email.clone()]));

    // Nothing of her is left in any column of any table.
    let after = found_anywhere(&app, &traces).await;
    assert!(after.is_empty(), "personal data left after the deletion:\n{}", after.join("\n"));

    // The address is free again, and the census entry she claimed may be claimed anew; the
    // new account has none of the old one's input.
    let before = mails_so_far(&app, &zeph.email, "Your sign-in link");
    let res = app.post_json("/api/v1/auth/signup", &json!({ "email": zeph.email, "display_name": "Zephyrine Again" })).send().await.unwrap();
    assert_eq!(res.status(), 202);
    let welcome = token_from_link(&link_in_next_mail(&app, &zeph.email, "Your sign-in link", before, "/login/magic").await);
    let pair = convene_e2e::flows::consume(&app, &welcome).await;
    assert_ne!(pair["account"]["id"], json!(zeph.id));
    let again_access = pair["access_token"].as_str().unwrap().to_string();
    assert_eq!(app.post_json("/api/v1/me/attributes/claim", &claim).bearer_auth(&again_access).send().await.unwrap().status(), 200);
    let mine = expect_json(app.get("/api/v1/me/input").bearer_auth(&again_access).send().await.unwrap(), 200).await;
    assert!(mine["items"].as_array().unwrap().is_empty(), "{mine}");
}

#[tokio::test]
async fn the_instance_keeps_an_administrator_and_each_process_an_organiser() {
    let app = TestApp::spawn().await;
    let ada = admin_token(&app, "ada@example.org").await;
    let ada_id = expect_json(app.get("/api/v1/me").bearer_auth(&ada).send().await.unwrap(), 200).await["id"].as_str().unwrap().to_string();
    create_process(&app, &ada, &process_body("city-ai")).await;
    add_activity(&app, &ada, "city-ai", &consultation()).await;

    let refused = |token: String| {
        let app = &app;
        async move {
            let res = app.post("/api/v1/me/deletion").bearer_auth(token).send().await.unwrap();
            assert_eq!(res.status(), 409);
            let p = problem(res).await;
            assert_eq!(p["errors"][0]["field"], "account", "{p}");
            p["detail"].as_str().unwrap().to_string()
        }
    };
    assert!(refused(ada.clone()).await.contains("only administrator"));
    let bob = admin_token(&app, "bob@example.org").await;
    let bob_id = expect_json(app.get("/api/v1/me").bearer_auth(&bob).send().await.unwrap(), 200).await["id"].as_str().unwrap().to_string();
    assert!(refused(ada.clone()).await.contains("last organiser of `city-ai`"));
    add_member(&app, &ada, "city-ai", "bob@example.org", "organiser").await;

    // Both may ask; whoever confirms second would leave no administrator, and is refused
    // until there is another one. The refused link stays usable.
    let ada_link = token_from_link(&deletion_link(&app, &ada, "ada@example.org").await);
    let bob_link = token_from_link(&deletion_link(&app, &bob, "bob@example.org").await);
    expect_json(confirm_raw(&app, &json!({ "token": bob_link })).await, 200).await;
    let res = confirm_raw(&app, &json!({ "token": ada_link })).await;
    assert_eq!(res.status(), 409);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("only administrator"));
    let cy = admin_token(&app, "cy@example.org").await;
    add_member(&app, &cy, "city-ai", "cy@example.org", "organiser").await;
    expect_json(confirm_raw(&app, &json!({ "token": ada_link })).await, 200).await;

    // What they made stays; no trace of either of them does.
    expect_json(app.get("/api/v1/processes/city-ai").bearer_auth(&cy).send().await.unwrap(), 200).await;
    let activities = expect_json(app.get("/api/v1/processes/city-ai/activities").bearer_auth(&cy).send().await.unwrap(), 200).await;
    assert_eq!(activities.as_array().unwrap().len(), 1);
    // (Their names are made from their addresses, `ada` and `bob`: too short to search for.)
    let mut traces = traces_of("ada@example.org", "", &ada_id);
    traces.extend(traces_of("bob@example.org", "", &bob_id));
    let left = found_anywhere(&app, &traces).await;
    assert!(left.is_empty(), "left after deleting the two administrators:\n{}", left.join("\n"));
}
