//! A contribution's own page and the actions on it (issue 13: every API operation a person
//! has gets a page): changing and withdrawing one's own while the activity is open, reporting
//! someone else's to the moderators, the earlier responses; and proving a verified attribute
//! with the census from the account page. Each action is offered only to who may take it, and
//! a forged post by anybody else is refused by the app as the API refuses it, changing nothing.

use convene_e2e::flows::{add_activity, admin_token, contribute, published_process, user_token};
use convene_e2e::pages::{Browser, location, main_of};
use convene_e2e::{TestApp, expect_json};
use serde_json::{Value, json};

fn consultation() -> Value {
    json!({ "type": "org.convene.consultation", "title": { "en": "Where should public AI help first?" },
        "config": { "questions": [
            { "id": "priority", "type": "single_choice", "required": true, "text": { "en": "Priority?" },
              "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "transport", "label": { "en": "Transport" } } ] },
            { "id": "comment", "type": "free_text", "max_length": 20, "text": { "en": "Anything else?" } } ] } })
}

async fn stored(app: &TestApp, admin: &str, id: &str) -> Value {
    expect_json(app.get(&format!("/api/v1/contributions/{id}")).bearer_auth(admin).send().await.unwrap(), 200).await
}

#[tokio::test]
async fn one_contribution_page_offers_each_person_what_they_may_do_and_refuses_the_rest() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "page-c").await;
    let activity = add_activity(&app, &admin, "page-c", &consultation()).await["id"].as_str().unwrap().to_string();
    let ana = user_token(&app, "ana@example.org").await;
    let ben = user_token(&app, "ben@example.org").await;
    let body = json!({ "kind": "response", "body": { "answers": { "priority": "health", "comment": "Hospitals" } } });
    let id = expect_json(contribute(&app, &ana, &activity, &body).await, 201).await["id"].as_str().unwrap().to_string();
    let path = format!("/contributions/{id}");

    // The activity page links to it; its page shows it, and offers its author a change.
    let (ana_b, ben_b, anon) = (Browser::new(&app, Some(&ana), None), Browser::new(&app, Some(&ben), None), Browser::new(&app, None, None));
    assert!(anon.page(&format!("/activities/{activity}"), 200).await.contains(&format!("href=\"{path}\"")));
    let mine = ana_b.page(&path, 200).await;
    assert!(main_of(&mine).contains("Hospitals"), "{mine}");
    assert!(mine.contains(&format!("href=\"{path}/edit\"")) && mine.contains(&format!("href=\"{path}/withdraw\"")), "{mine}");
    assert!(!mine.contains(&format!("{path}/report")), "nobody reports their own: {mine}");
    let theirs = ben_b.page(&path, 200).await;
    assert!(theirs.contains(&format!("href=\"{path}/report\"")) && !theirs.contains(&format!("{path}/edit")), "{theirs}");
    let public = anon.page(&path, 200).await;
    assert!(!public.contains(&format!("{path}/")), "no action for who is not signed in: {public}");

    // Someone else may not change or withdraw it: no form, and a forged post changes nothing.
    ben_b.page(&format!("{path}/edit"), 403).await;
    ben_b.page(&format!("{path}/withdraw"), 403).await;
    let csrf = convene_e2e::pages::hidden(&theirs, "csrf");
    let forged = ben_b.post(&format!("{path}/edit"), &[("csrf", &csrf), ("body.answers.priority", "transport")]).await;
    assert_eq!(forged.status(), 403);
    let forged = ben_b.post(&format!("{path}/withdraw"), &[("csrf", &csrf)]).await;
    assert_eq!(forged.status(), 403);
    assert_eq!(stored(&app, &admin, &id).await["body"]["answers"]["priority"], "health");

    // The author's change: the stored answers in the form, an error at its field with what was
    // typed kept, then saved.
    let form = ana_b.page(&format!("{path}/edit"), 200).await;
    assert!(form.contains("Hospitals</textarea>") && form.contains("value=\"health\" checked"), "the stored answer fills the form: {form}");
    let long = "Far too long for twenty characters";
    let res = ana_b.submit(&format!("{path}/edit"), &format!("{path}/edit"), &[("body.answers.priority", "transport"), ("body.answers.comment", long)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("error-summary") && html.contains(long), "{html}");
    assert_eq!(stored(&app, &admin, &id).await["body"]["answers"]["priority"], "health", "nothing saved");
    let res = ana_b.submit(&format!("{path}/edit"), &format!("{path}/edit"), &[("body.answers.priority", "transport"), ("body.answers.comment", "Buses")]).await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, format!("{path}?done=edited")));
    let after = stored(&app, &admin, &id).await;
    assert_eq!((after["body"]["answers"]["priority"].as_str(), after["edited_at"].is_string()), (Some("transport"), true), "{after}");

    // A report: a reason is needed; then the moderators see it.
    let res = ben_b.submit(&format!("{path}/report"), &format!("{path}/report"), &[("reason", "  ")]).await;
    assert_eq!(res.status(), 422);
    let res = ben_b.submit(&format!("{path}/report"), &format!("{path}/report"), &[("reason", "It names my neighbour")]).await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, format!("{path}?done=reported")));
    let reports = expect_json(app.get("/api/v1/processes/page-c/reports").bearer_auth(&admin).send().await.unwrap(), 200).await;
    assert!(reports.to_string().contains("It names my neighbour"), "{reports}");

    // Withdrawing, after a page that says what it means.
    let confirm = ana_b.page(&format!("{path}/withdraw"), 200).await;
    assert!(confirm.contains("cannot be undone"), "{confirm}");
    let res = ana_b.submit(&format!("{path}/withdraw"), &format!("{path}/withdraw"), &[]).await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, format!("/activities/{activity}")));
    let gone = app.get(&format!("/api/v1/contributions/{id}")).bearer_auth(&admin).send().await.unwrap();
    assert!(gone.status() == 404 || gone.status() == 410 || expect_json(gone, 200).await["status"] == "withdrawn");
}

#[tokio::test]
async fn an_attribute_is_proved_with_the_census_from_the_account_pages() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let census = app.post("/api/v1/admin/census?attribute=resident").bearer_auth(&admin).header("content-type", "text/csv").body("identifier\nZQ-1234\n");
    let res = census.send().await.unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let ana = user_token(&app, "ana@example.org").await;
    let b = Browser::new(&app, Some(&ana), None);
    let account = b.page("/account", 200).await;
    assert!(account.contains("href=\"/account/attributes\""), "{account}");
    Browser::new(&app, None, None).get("/account/attributes").await.0.is_redirection().then_some(()).expect("signing in first");

    // Not on the list: said at the field, with what was typed, nothing granted.
    let res = b.submit("/account/attributes", "/account/attributes", &[("attribute", "resident"), ("identifier", "ZQ-9999")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("is not on the list") && html.contains("value=\"ZQ-9999\""), "{html}");
    let me = expect_json(app.get("/api/v1/me").bearer_auth(&ana).send().await.unwrap(), 200).await;
    assert_eq!(me["attributes"].as_array().unwrap().len(), 0);

    // On the list (spelt differently): granted, and the account page shows it.
    let res = b.submit("/account/attributes", "/account/attributes", &[("attribute", "resident"), ("identifier", "zq 1234")]).await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, "/account/attributes?claimed=resident".to_string()));
    let me = expect_json(app.get("/api/v1/me").bearer_auth(&ana).send().await.unwrap(), 200).await;
    assert_eq!(me["attributes"][0]["name"], "resident", "{me}");
    assert!(b.page("/account", 200).await.contains("<code>resident</code>"));
    // Another account cannot use the same identifier.
    let ben = user_token(&app, "ben@example.org").await;
    let res = Browser::new(&app, Some(&ben), None).submit("/account/attributes", "/account/attributes", &[("attribute", "resident"), ("identifier", "ZQ-1234")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Another account has already used this identifier"));
}
