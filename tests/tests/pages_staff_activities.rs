//! The staff's activity pages (issue 13, items 2 and 8), as a browser uses them: an organiser
//! lists a process's activities, adds a consultation (a configuration error first, shown at
//! its field with what was typed kept, then a valid one), edits it while allowed, closes it,
//! commits and reveals a draw seed, and runs a citizen panel's draw from its page. A
//! participant gets 403 for every page and every forged post, and nothing changes.

use convene_e2e::flows::{add_activity, add_member, admin_token, contribute, published_process, user_token};
use convene_e2e::pages::{Browser, location, main_of};
use convene_e2e::{TestApp, expect_json};
use serde_json::{Value, json};

/// A valid consultation configuration, as JSON text.
fn consultation_config() -> String {
    json!({ "questions": [ { "id": "priority", "type": "single_choice", "required": true, "text": { "en": "Priority?" },
        "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "transport", "label": { "en": "Transport" } } ] } ] })
    .to_string()
}

async fn activities_of(app: &TestApp, slug: &str) -> Vec<Value> {
    expect_json(app.get(&format!("/api/v1/processes/{slug}/activities")).send().await.unwrap(), 200).await.as_array().unwrap().clone()
}

async fn activity(app: &TestApp, token: &str, id: &str) -> Value {
    expect_json(app.get(&format!("/api/v1/activities/{id}")).bearer_auth(token).send().await.unwrap(), 200).await
}

/// A published process with an organiser (olga) and a participant (pat); returns their tokens.
async fn process_with_staff(app: &TestApp, slug: &str) -> (String, String, String) {
    let admin = admin_token(app, "admin@example.org").await;
    published_process(app, &admin, slug).await;
    let olga = user_token(app, "olga@example.org").await;
    let pat = user_token(app, "pat@example.org").await;
    add_member(app, &admin, slug, "olga@example.org", "organiser").await;
    add_member(app, &admin, slug, "pat@example.org", "participant").await;
    (admin, olga, pat)
}

#[tokio::test]
async fn an_organiser_adds_a_consultation_after_a_configuration_error() {
    let app = TestApp::spawn().await;
    let (_, olga, _) = process_with_staff(&app, "acts").await;
    let browser = Browser::new(&app, Some(&olga), None);

    // The list: empty, with the tab marked and the way to add one.
    let html = browser.page("/manage/processes/acts/activities", 200).await;
    assert!(html.contains(r#"<a href="/manage/processes/acts/activities" aria-current="page">Activities</a>"#), "{html}");
    assert!(html.contains("This process has no activities yet.") && html.contains(r#"href="/manage/processes/acts/activities/new""#), "{html}");
    assert_eq!(main_of(&html).matches("<h1").count(), 1);

    // Picking the type: the installed, enabled types as radios.
    let html = browser.page("/manage/processes/acts/activities/new", 200).await;
    assert!(html.contains(r#"name="type" value="org.convene.consultation""#) && html.contains(r#"name="type" value="org.convene.citizen-panel""#), "{html}");
    let (status, html) = browser.get("/manage/processes/acts/activities/new?type=org.example.nothing").await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("Choose one of the activity types listed."), "{html}");

    // The consultation's form: title per language, dates, the configuration.
    let new = "/manage/processes/acts/activities/new";
    let html = browser.page(&format!("{new}?type=org.convene.consultation"), 200).await;
    for control in [r#"name="title.en""#, r#"name="title.es""#, r#"name="opens_at""#, r#"name="closes_at""#, r#"name="config.json""#] {
        assert!(html.contains(control), "{control}: {html}");
    }
    assert!(html.contains(r#"<label for="config-json">"#), "the configuration is labelled: {html}");

    // A configuration the plugin refuses: its words at the field, what was typed kept.
    let res = browser.post(new, &[("type", "org.convene.consultation"), ("title.en", "Street survey"), ("title.es", "Encuesta"), ("config.json", r#"{"questions": []}"#)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Error: "), "{html}");
    assert!(html.contains(r##"<a href="#config-json">"##) && html.contains(r#"id="config-json-error""#), "{html}");
    assert!(html.contains("questions: give 1 to"), "the plugin's words with their path: {html}");
    assert!(html.contains(r#"value="Street survey""#) && html.contains(r#"value="Encuesta""#), "the titles are kept: {html}");
    assert!(html.contains("questions&#34;: []") || html.contains("questions&quot;: []") || html.contains(r#"questions": []"#), "the JSON is kept: {html}");
    assert!(activities_of(&app, "acts").await.is_empty(), "nothing was created");

    // Not JSON, and dates the wrong way round: said at their fields, before the app is asked.
    let res = browser.post(new, &[("type", "org.convene.consultation"), ("title.en", "Street survey"), ("config.json", "{not json")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("This is not valid JSON"));
    let config = consultation_config();
    let res = browser
        .post(new, &[("type", "org.convene.consultation"), ("title.en", "Street survey"), ("opens_at", "2030-03-01T09:00"), ("closes_at", "2030-02-01T09:00"), ("config.json", &config)])
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="closes_at-error""#) && html.contains("The closing date must be after the opening date."), "{html}");
    let res = browser.post(new, &[("type", "org.convene.consultation"), ("opens_at", "tomorrow"), ("config.json", &config)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="opens_at-error""#) && html.contains("Enter a date and time"), "{html}");
    assert!(activities_of(&app, "acts").await.is_empty(), "still nothing created");

    // A valid one: created, and its page says so.
    let res = browser.post(new, &[("type", "org.convene.consultation"), ("title.en", "Street survey"), ("closes_at", "2030-06-30T18:00"), ("config.json", &config)]).await;
    assert_eq!(res.status(), 303);
    let list = activities_of(&app, "acts").await;
    assert_eq!(list.len(), 1);
    let id = list[0]["id"].as_str().unwrap().to_string();
    assert_eq!(list[0]["title"]["en"], "Street survey");
    assert_eq!(list[0]["closes_at"], "2030-06-30T18:00:00Z");
    assert_eq!(list[0]["config"]["questions"][0]["id"], "priority");
    assert_eq!(location(&res), format!("/manage/activities/{id}?added=1"));
    let html = browser.page(&location(&res), 200).await;
    assert!(html.contains("The activity was added."), "{html}");
    let html = browser.page("/manage/processes/acts/activities", 200).await;
    assert!(html.contains(&format!(r#"href="/manage/activities/{id}""#)) && html.contains(&format!(r#"href="/activities/{id}""#)), "{html}");
    assert!(html.contains("Consultation") && html.contains("30 June 2030, 18:00 UTC"), "{html}");

    // In Spanish and French too.
    let es = Browser::new(&app, Some(&olga), Some("es"));
    let _ = expect_json(app.patch_json("/api/v1/me", &json!({ "locale": "es" })).bearer_auth(&olga).send().await.unwrap(), 200).await;
    let html = es.page("/manage/processes/acts/activities", 200).await;
    assert!(html.contains("Añadir una actividad"), "{html}");
    let _ = expect_json(app.patch_json("/api/v1/me", &json!({ "locale": "fr" })).bearer_auth(&olga).send().await.unwrap(), 200).await;
    let html = es.page(&format!("{new}?type=org.convene.consultation"), 200).await;
    assert!(html.contains("Ajouter une activité"), "{html}");
}

#[tokio::test]
async fn a_participant_gets_403_and_a_forged_post_changes_nothing() {
    let app = TestApp::spawn().await;
    let (admin, _, pat) = process_with_staff(&app, "forged").await;
    let id = add_activity(&app, &admin, "forged", &json!({ "type": "org.convene.consultation", "title": { "en": "Kept" }, "config": serde_json::from_str::<Value>(&consultation_config()).unwrap() }))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let browser = Browser::new(&app, Some(&pat), None);
    for path in [
        "/manage/processes/forged/activities".to_string(),
        "/manage/processes/forged/activities/new?type=org.convene.consultation".to_string(),
        format!("/manage/activities/{id}"),
        format!("/manage/activities/{id}/close"),
    ] {
        let (status, html) = browser.get(&path).await;
        assert_eq!(status, 403, "{path}: {html}");
    }
    let config = consultation_config();
    let res = browser.post("/manage/processes/forged/activities/new", &[("type", "org.convene.consultation"), ("title.en", "Forged"), ("config.json", &config)]).await;
    assert_eq!(res.status(), 403);
    // Even with a broken form, the refusal comes first.
    let res = browser.post("/manage/processes/forged/activities/new", &[("type", "org.convene.consultation"), ("config.json", "{")]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(activities_of(&app, "forged").await.len(), 1, "nothing was created");
    let res = browser.post(&format!("/manage/activities/{id}"), &[("title.en", "Forged")]).await;
    assert_eq!(res.status(), 403);
    for action in ["close", "seed"] {
        let res = browser.post(&format!("/manage/activities/{id}/{action}"), &[]).await;
        assert_eq!(res.status(), 403, "{action}");
    }
    let a = activity(&app, &admin, &id).await;
    assert_eq!((a["title"]["en"].as_str(), a["state"].as_str(), a["seed"].is_null()), (Some("Kept"), Some("open"), true), "{a}");
    // The API refuses the same change with the same status.
    let res = app.patch_json(&format!("/api/v1/activities/{id}"), &json!({ "title": { "en": "Forged" } })).bearer_auth(&pat).send().await.unwrap();
    assert_eq!(res.status(), 403);

    // Signed out: the sign-in page, which comes back here.
    let (status, _) = Browser::new(&app, None, None).get("/manage/processes/forged/activities").await;
    assert_eq!(status, 303);
}

#[tokio::test]
async fn an_organiser_edits_while_allowed_closes_and_commits_then_reveals_the_seed() {
    let app = TestApp::spawn().await;
    let (_, olga, pat) = process_with_staff(&app, "edits").await;
    let config: Value = serde_json::from_str(&consultation_config()).unwrap();
    let id = add_activity(&app, &olga, "edits", &json!({ "type": "org.convene.consultation", "title": { "en": "First title" }, "config": config })).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let page = format!("/manage/activities/{id}");
    let browser = Browser::new(&app, Some(&olga), None);
    let html = browser.page(&page, 200).await;
    assert!(html.contains(r#"value="First title""#) && html.contains(r#"name="config.json""#), "{html}");

    // A new title and configuration before anyone contributed.
    let mut changed = config.clone();
    changed["questions"][0]["text"]["en"] = json!("Your priority?");
    let changed = changed.to_string();
    let res = browser.post(&page, &[("title.en", "Second title"), ("config.json", &changed)]).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let a = activity(&app, &olga, &id).await;
    assert_eq!((a["title"]["en"].as_str(), a["config"]["questions"][0]["text"]["en"].as_str()), (Some("Second title"), Some("Your priority?")));
    assert!(browser.page(&format!("{page}?saved=1"), 200).await.contains("Your changes were saved."));
    // A configuration the plugin refuses: at its field, nothing changed.
    let res = browser.post(&page, &[("title.en", "Third title"), ("config.json", r#"{"questions": []}"#)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="config-json-error""#) && html.contains(r#"value="Third title""#), "{html}");
    assert_eq!(activity(&app, &olga, &id).await["title"]["en"], "Second title");

    // After the first contribution, the configuration is locked, on the page and in the API.
    expect_json(contribute(&app, &pat, &id, &json!({ "kind": "response", "body": { "answers": { "priority": "health" } } })).await, 201).await;
    let html = browser.page(&page, 200).await;
    assert!(html.contains("The configuration can no longer change") && !html.contains(r#"name="config.json""#), "{html}");
    assert!(html.contains("The opening date can no longer change"), "{html}");
    let res = app.patch_json(&format!("/api/v1/activities/{id}"), &json!({ "config": config })).bearer_auth(&olga).send().await.unwrap();
    assert_eq!(res.status(), 409);
    // The title still can.
    let res = browser.post(&page, &[("title.en", "Final title")]).await;
    assert_eq!(res.status(), 303);
    let api = expect_json(app.patch_json(&format!("/api/v1/activities/{id}"), &json!({ "description": { "en": "Said in the API" } })).bearer_auth(&olga).send().await.unwrap(), 200).await;
    assert_eq!((api["title"]["en"].as_str(), api["description"]["en"].as_str()), (Some("Final title"), Some("Said in the API")));

    // The seed: commit (its fingerprint shown), then reveal (the seed shown), each once.
    let res = browser.post(&format!("{page}/seed"), &[]).await;
    assert_eq!(res.status(), 303);
    let seed = activity(&app, &olga, &id).await["seed"].clone();
    let sha = seed["sha256"].as_str().unwrap().to_string();
    assert!(seed["seed"].is_null());
    let html = browser.page(&page, 200).await;
    assert!(html.contains(&sha) && html.contains("Reveal the seed"), "{html}");
    let ledger = expect_json(app.get("/api/v1/ledger").send().await.unwrap(), 200).await.to_string();
    assert!(ledger.contains(&sha), "the fingerprint is in the public ledger");
    let res = browser.post(&format!("{page}/seed/reveal"), &[]).await;
    assert_eq!(res.status(), 303);
    let revealed = activity(&app, &olga, &id).await["seed"]["seed"].as_str().unwrap().to_string();
    let html = browser.page(&page, 200).await;
    assert!(html.contains(&revealed), "{html}");
    assert!(!html.contains("/seed/reveal\""), "no second reveal: {html}");

    // Closing: a confirmation that says what happens, then closed.
    let html = browser.page(&format!("{page}/close"), 200).await;
    assert!(html.contains("Close this activity now?") && html.contains("This cannot be undone."), "{html}");
    let res = browser.post(&format!("{page}/close"), &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(activity(&app, &olga, &id).await["state"], "closed");
    let html = browser.page(&page, 200).await;
    assert!(html.contains("A closed activity no longer changes.") && !html.contains(r#"name="title.en""#), "{html}");
    let res = browser.post(&page, &[("title.en", "After closing")]).await;
    assert_eq!(res.status(), 409);
    assert_eq!(activity(&app, &olga, &id).await["title"]["en"], "Final title");
}

#[tokio::test]
async fn the_panel_page_shows_the_pool_against_the_quotas_and_runs_the_draw() {
    let app = TestApp::spawn().await;
    let (_, olga, pat) = process_with_staff(&app, "panel").await;
    let options = |values: &[&str]| values.iter().map(|v| json!({ "value": v, "label": { "en": format!("Aged {v}") } })).collect::<Vec<_>>();
    let config = json!({ "panel_size": 2,
        "questions": [ { "id": "age", "text": { "en": "Your age" }, "options": options(&["18-44", "45+"]) } ],
        "quotas": { "age": { "18-44": { "min": 1 }, "45+": { "min": 1 } } },
        "consent": { "en": "I agree that my answers are used for the draw." } });
    let id = add_activity(&app, &olga, "panel", &json!({ "type": "org.convene.citizen-panel", "title": { "en": "Citizen panel" }, "config": config })).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let bea = user_token(&app, "bea@example.org").await;
    for (token, age) in [(&pat, "18-44"), (&bea, "45+")] {
        expect_json(contribute(&app, token, &id, &json!({ "kind": "volunteer", "body": { "answers": { "age": age }, "consent": true } })).await, 201).await;
    }
    let browser = Browser::new(&app, Some(&olga), None);
    let manage = browser.page(&format!("/manage/activities/{id}"), 200).await;
    let panel = format!("/manage/activities/{id}/panel");
    assert!(manage.contains(&format!(r#"href="{panel}""#)), "the activity's page links the panel: {manage}");

    // Before the draw: the pool against the quotas, and no draw until the seed is committed.
    let html = browser.page(&panel, 200).await;
    assert!(html.contains(r#"<th scope="col" lang="en">In pool</th>"#), "{html}");
    assert!(html.contains("<tr><th scope=\"row\">age</th><td>18-44</td><td>1</td><td>2</td><td>1</td>"), "the quota row: {html}");
    assert!(html.contains("Commit the seed (step 2) before the draw.") && !html.contains("name=\"body.replace_declined\""), "{html}");
    assert!(html.contains("The panel has not been drawn yet."), "{html}");
    // A forged draw before the seed: the plugin's refusal, nothing drawn.
    let res = browser.post(&format!("{panel}/draw"), &[("idempotency-key", "k1")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("commit a seed first"));
    // A participant may not draw.
    let res = Browser::new(&app, Some(&pat), None).post(&format!("{panel}/draw"), &[("idempotency-key", "k2")]).await;
    assert_eq!(res.status(), 403);
    let (status, _) = Browser::new(&app, Some(&pat), None).get(&panel).await;
    assert_eq!(status, 403);

    // Commit the seed from the panel page, then draw.
    let res = browser.post(&format!("/manage/activities/{id}/seed"), &[("back", "panel")]).await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with(&format!("{panel}?seed=committed")), "{}", location(&res));
    let html = browser.page(&panel, 200).await;
    assert!(html.contains(r#"name="body.replace_declined""#) && html.contains("Run the draw"), "{html}");
    let key = {
        let marker = r#"name="idempotency-key" value=""#;
        let at = html.find(marker).unwrap() + marker.len();
        html[at..].split('"').next().unwrap().to_string()
    };
    let res = browser.post(&format!("{panel}/draw"), &[("idempotency-key", &key)]).await;
    assert_eq!(res.status(), 303);
    let html = browser.page(&location(&res), 200).await;
    assert!(html.contains("The draw was made and the people drawn were invited."), "{html}");
    assert!(html.contains("awaiting a reply"), "the invitations: {html}");
    assert!(html.contains("<td>18-44</td><td>1</td><td>2</td><td>1</td><td>1</td>"), "one drawn per quota: {html}");
    assert!(html.contains("Run the draw round"), "replacement rounds next: {html}");
    // The same key again stores nothing twice.
    let res = browser.post(&format!("{panel}/draw"), &[("idempotency-key", &key)]).await;
    assert_eq!(res.status(), 303);
    let draws = expect_json(app.get(&format!("/api/v1/activities/{id}/contributions")).bearer_auth(&olga).send().await.unwrap(), 200).await;
    assert_eq!(draws["items"].as_array().unwrap().iter().filter(|c| c["kind"] == "draw").count(), 1);
}
