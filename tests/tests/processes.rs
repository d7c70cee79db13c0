//! Processes through the API: create, validate, publish, archive, visibility on every read,
//! pagination, parents and children, members.

use convene_e2e::flows::{admin_token, create_process, process_body, user_token};
use convene_e2e::{TestApp, problem};
use serde_json::{Value, json};

fn fields(p: &Value) -> Vec<String> {
    p["errors"].as_array().map(|a| a.iter().map(|e| e["field"].as_str().unwrap().to_string()).collect()).unwrap_or_default()
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn create_publish_read_and_list() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let created = create_process(&app, &admin, &process_body("national-ai-2027")).await;
    assert_eq!(created["status"], "draft");
    assert_eq!(created["your_role"], "organiser");
    assert_eq!(created["topics"], json!(["ai-strategy", "data-strategy"]));
    assert_eq!(created["phases"].as_array().unwrap().len(), 2);
    assert_eq!(created["commitments"][0]["measure"], json!({ "kind": "respond_within_days", "days": 30 }));
    assert!(created["description_html"]["en"].as_str().unwrap().contains("<h2>How to take part</h2>"));

    // A draft is invisible to the public, by id and by slug, and not listed.
    assert_eq!(get(&app, "/api/v1/processes/national-ai-2027", None).await.status(), 404);
    let list: Value = get(&app, "/api/v1/processes", None).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);

    let res = app.client.post(app.url("/api/v1/processes/national-ai-2027/publish")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = get(&app, &format!("/api/v1/processes/{}", created["id"].as_str().unwrap()), None).await;
    assert_eq!(res.status(), 200);
    let public: Value = res.json().await.unwrap();
    assert_eq!(public["status"], "published");
    assert_eq!(public["your_role"], Value::Null);
    let list: Value = get(&app, "/api/v1/processes?topic=ai-strategy&scope=national", None).await.json().await.unwrap();
    assert_eq!(list["items"][0]["slug"], "national-ai-2027");
    let list: Value = get(&app, "/api/v1/processes?topic=open-data", None).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);

    // Publishing twice is a conflict; archiving makes it read-only but readable.
    let res = app.client.post(app.url("/api/v1/processes/national-ai-2027/publish")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 409);
    let res = app.client.post(app.url("/api/v1/processes/national-ai-2027/archive")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = app
        .client
        .patch(app.url("/api/v1/processes/national-ai-2027"))
        .bearer_auth(&admin)
        .json(&json!({ "scope": "local" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(get(&app, "/api/v1/processes/national-ai-2027", None).await.status(), 200);
}

#[tokio::test]
async fn bad_process_input_is_refused_naming_the_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let created = create_process(&app, &admin, &process_body("steady")).await;

    let mut end_before_start = process_body("a1");
    end_before_start["phases"][0]["ends_on"] = json!("2027-01-01");
    let mut overlap = process_body("a2");
    overlap["phases"][1]["starts_on"] = json!("2027-02-15");
    let mut unknown_topic = process_body("a3");
    unknown_topic["topics"] = json!(["ai-strategy", "astrology"]);
    let mut unknown_language = process_body("a4");
    unknown_language["title"]["de"] = json!("Nationale KI-Strategie");
    let mut empty_title = process_body("a5");
    empty_title["title"]["en"] = json!("   ");
    let mut long_title = process_body("a6");
    long_title["title"]["es"] = json!("x".repeat(201));
    let mut bad_slug = process_body("Bad Slug");
    bad_slug["slug"] = json!("Bad Slug");
    let mut bad_days = process_body("a7");
    bad_days["commitments"][0]["measure"]["days"] = json!(0);
    let mut no_default_title = process_body("a8");
    no_default_title["title"] = json!({ "es": "Solo en español" });
    let mut unknown_parent = process_body("a9");
    unknown_parent["parent"] = json!("no-such-process");
    for (body, field) in [
        (end_before_start, "phases[0].ends_on"),
        (overlap, "phases[1].starts_on"),
        (unknown_topic, "topics[1]"),
        (unknown_language, "title.de"),
        (empty_title, "title.en"),
        (long_title, "title.es"),
        (bad_slug, "slug"),
        (bad_days, "commitments[0].measure.days"),
        (no_default_title, "title.en"),
        (unknown_parent, "parent"),
    ] {
        let res = app.client.post(app.url("/api/v1/processes")).bearer_auth(&admin).json(&body).send().await.unwrap();
        assert_eq!(res.status(), 422, "{field}");
        let p = problem(res).await;
        assert!(fields(&p).contains(&field.to_string()), "expected {field}: {p}");
    }

    // Malformed: wrong types, impossible dates, unknown fields and enum values are 400s.
    let mut bad_date = process_body("b1");
    bad_date["phases"][0]["starts_on"] = json!("2027-02-30");
    let mut bad_scope = process_body("b2");
    bad_scope["scope"] = json!("galactic");
    let mut extra = process_body("b3");
    extra["phases"][0]["colour"] = json!("red");
    let mut wrong_type = process_body("b4");
    wrong_type["topics"] = json!("ai-strategy");
    for (body, field) in [(bad_date, "phases[0].starts_on"), (bad_scope, "scope"), (extra, "phases[0].colour"), (wrong_type, "topics")] {
        let res = app.client.post(app.url("/api/v1/processes")).bearer_auth(&admin).json(&body).send().await.unwrap();
        assert_eq!(res.status(), 400, "{field}");
        let p = problem(res).await;
        assert!(fields(&p).iter().any(|f| f.starts_with(field)), "expected {field}: {p}");
    }

    // A duplicate slug conflicts.
    let res = app.client.post(app.url("/api/v1/processes")).bearer_auth(&admin).json(&process_body("steady")).send().await.unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(fields(&problem(res).await), vec!["slug"]);

    // A rejected edit leaves the stored process exactly as it was.
    let before: Value = get(&app, "/api/v1/processes/steady", Some(&admin)).await.json().await.unwrap();
    let res = app
        .client
        .patch(app.url("/api/v1/processes/steady"))
        .bearer_auth(&admin)
        .json(&json!({ "scope": "local", "phases": [{ "name": { "en": "X" }, "starts_on": "2027-05-01", "ends_on": "2027-04-01" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let after: Value = get(&app, "/api/v1/processes/steady", Some(&admin)).await.json().await.unwrap();
    assert_eq!(before, after);
    assert_eq!(after["id"], created["id"]);

    // Only the first process exists: none of the rejected ones were stored.
    let all: Value = get(&app, "/api/v1/processes?limit=100", Some(&admin)).await.json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn editing_merges_and_sanitises() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    create_process(&app, &admin, &process_body("living")).await;
    let res = app
        .client
        .patch(app.url("/api/v1/processes/living"))
        .bearer_auth(&admin)
        .json(&json!({
            "description": { "en": "Read [the draft](https://example.org/draft).\n\n<script>alert('x')</script><img src=x onerror=alert(1)>" },
            "iap2_level": "collaborate",
            "topics": ["open-data"]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["iap2_level"], "collaborate");
    assert_eq!(p["topics"], json!(["open-data"]));
    assert_eq!(p["phases"].as_array().unwrap().len(), 2, "untouched fields stay");
    let html = p["description_html"]["en"].as_str().unwrap();
    assert!(html.contains("href=\"https://example.org/draft\""), "{html}");
    assert!(!html.contains("<script") && !html.contains("onerror"), "{html}");
    assert!(p["description"]["en"].as_str().unwrap().contains("<script>"), "the source is kept as written");
}

#[tokio::test]
async fn only_admins_create_and_only_organisers_edit() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let citizen = user_token(&app, "citizen@example.org").await;
    let res = app.client.post(app.url("/api/v1/processes")).json(&process_body("x-anon")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = app.client.post(app.url("/api/v1/processes")).bearer_auth(&citizen).json(&process_body("x-citizen")).send().await.unwrap();
    assert_eq!(res.status(), 403);

    create_process(&app, &admin, &process_body("guarded")).await;
    app.client.post(app.url("/api/v1/processes/guarded/publish")).bearer_auth(&admin).send().await.unwrap();
    for req in [
        app.client.patch(app.url("/api/v1/processes/guarded")).json(&json!({ "scope": "local" })),
        app.client.post(app.url("/api/v1/processes/guarded/archive")),
        app.client.get(app.url("/api/v1/processes/guarded/members")),
    ] {
        let res = req.bearer_auth(&citizen).send().await.unwrap();
        assert_eq!(res.status(), 403);
        problem(res).await;
    }

    // An organiser who is not an admin may edit once added.
    let res = app
        .client
        .post(app.url("/api/v1/processes/guarded/members"))
        .bearer_auth(&admin)
        .json(&json!({ "email": "citizen@example.org", "role": "organiser" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let res = app.client.patch(app.url("/api/v1/processes/guarded")).bearer_auth(&citizen).json(&json!({ "scope": "local" })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    // The slug of a published process is fixed.
    let res = app.client.patch(app.url("/api/v1/processes/guarded")).bearer_auth(&citizen).json(&json!({ "slug": "renamed" })).send().await.unwrap();
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn private_processes_are_for_members_only() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let member = user_token(&app, "member@example.org").await;
    let stranger = user_token(&app, "stranger@example.org").await;
    let mut body = process_body("panel-private");
    body["visibility"] = json!("private");
    let created = create_process(&app, &admin, &body).await;
    app.client.post(app.url("/api/v1/processes/panel-private/publish")).bearer_auth(&admin).send().await.unwrap();
    let mut unlisted = process_body("unlisted-one");
    unlisted["visibility"] = json!("unlisted");
    create_process(&app, &admin, &unlisted).await;
    app.client.post(app.url("/api/v1/processes/unlisted-one/publish")).bearer_auth(&admin).send().await.unwrap();

    let id = created["id"].as_str().unwrap();
    for (who, token) in [("anonymous", None), ("stranger", Some(stranger.as_str()))] {
        assert_eq!(get(&app, "/api/v1/processes/panel-private", token).await.status(), 404, "{who}");
        assert_eq!(get(&app, &format!("/api/v1/processes/{id}"), token).await.status(), 404, "{who}");
        let list: Value = get(&app, "/api/v1/processes", token).await.json().await.unwrap();
        assert!(list["items"].as_array().unwrap().is_empty(), "{who} sees nothing listed: {list}");
        assert_eq!(get(&app, "/api/v1/processes/unlisted-one", token).await.status(), 200, "{who} can open an unlisted link");
    }

    app.client
        .post(app.url("/api/v1/processes/panel-private/members"))
        .bearer_auth(&admin)
        .json(&json!({ "email": "member@example.org", "role": "participant" }))
        .send()
        .await
        .unwrap();
    let res = get(&app, "/api/v1/processes/panel-private", Some(&member)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["your_role"], "participant");
    let list: Value = get(&app, "/api/v1/processes", Some(&member)).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn cursor_pagination_walks_every_item_once() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    for i in 0..7 {
        create_process(&app, &admin, &process_body(&format!("process-{i}"))).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/processes?limit=3&cursor={c}"),
            None => "/api/v1/processes?limit=3".to_string(),
        };
        let page: Value = get(&app, &path, Some(&admin)).await.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 3);
        seen.extend(items.iter().map(|p| p["slug"].as_str().unwrap().to_string()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let expected: Vec<String> = (0..7).rev().map(|i| format!("process-{i}")).collect();
    assert_eq!(seen, expected, "newest first, each once");

    for (query, field) in [("limit=0", "limit"), ("limit=101", "limit"), ("cursor=%21%21", "cursor"), ("status=lost", "status"), ("topic=astrology", "topic"), ("colour=red", "colour")] {
        let res = get(&app, &format!("/api/v1/processes?{query}"), None).await;
        assert_eq!(res.status(), 400, "{query}");
        let p = problem(res).await;
        assert!(fields(&p).contains(&field.to_string()), "{query}: {p}");
    }
}

#[tokio::test]
async fn parents_children_and_no_cycles() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let parent = create_process(&app, &admin, &process_body("national")).await;
    let mut child = process_body("region-north");
    child["parent"] = json!("national");
    child["scope"] = json!("regional");
    let child = create_process(&app, &admin, &child).await;
    assert_eq!(child["parent"]["slug"], "national");
    for slug in ["national", "region-north"] {
        app.client.post(app.url(&format!("/api/v1/processes/{slug}/publish"))).bearer_auth(&admin).send().await.unwrap();
    }
    let children: Value = get(&app, "/api/v1/processes/national/children", None).await.json().await.unwrap();
    assert_eq!(children["items"][0]["id"], child["id"]);

    let res = app
        .client
        .patch(app.url("/api/v1/processes/national"))
        .bearer_auth(&admin)
        .json(&json!({ "parent": "region-north" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(fields(&problem(res).await), vec!["parent"]);
    // Unlinking with null.
    let res = app.client.patch(app.url("/api/v1/processes/region-north")).bearer_auth(&admin).json(&json!({ "parent": null })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["parent"], Value::Null);
    let _ = parent;
}

#[tokio::test]
async fn members_and_the_last_organiser() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let me: Value = get(&app, "/api/v1/me", Some(&admin)).await.json().await.unwrap();
    let admin_id = me["id"].as_str().unwrap().to_string();
    user_token(&app, "fac@example.org").await;
    create_process(&app, &admin, &process_body("team")).await;

    let res = app
        .client
        .post(app.url("/api/v1/processes/team/members"))
        .bearer_auth(&admin)
        .json(&json!({ "email": "ghost@example.org", "role": "facilitator" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = app
        .client
        .post(app.url("/api/v1/processes/team/members"))
        .bearer_auth(&admin)
        .json(&json!({ "email": "fac@example.org", "role": "boss" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(fields(&problem(res).await), vec!["role"]);
    let res = app
        .client
        .post(app.url("/api/v1/processes/team/members"))
        .bearer_auth(&admin)
        .json(&json!({ "email": "fac@example.org", "role": "facilitator" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let fac: Value = res.json().await.unwrap();

    let members: Value = get(&app, "/api/v1/processes/team/members", Some(&admin)).await.json().await.unwrap();
    assert_eq!(members["items"].as_array().unwrap().len(), 2);

    // The only organiser can neither leave nor be demoted.
    let res = app.client.delete(app.url(&format!("/api/v1/processes/team/members/{admin_id}"))).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 409);
    let res = app
        .client
        .put(app.url(&format!("/api/v1/processes/team/members/{admin_id}")))
        .bearer_auth(&admin)
        .json(&json!({ "role": "observer" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/processes/team/members/{}", fac["account_id"].as_str().unwrap())))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = app.client.delete(app.url("/api/v1/processes/team/members/not-a-uuid")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 404);
    problem(res).await;
}
