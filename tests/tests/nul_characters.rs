//! U+0000 in input. PostgreSQL refuses it in text and JSON (SQLite stores it), so a NUL in a
//! topic slug, a contribution body, a query parameter or a path used to pass validation and
//! fail at the database with a 500 on PostgreSQL only (found by Schemathesis). Every one of them
//! is now a 4xx problem naming the field, on both databases.

use convene_e2e::flows::{add_activity, admin_token, contribute, process_body, published_process};
use convene_e2e::{TestApp, problem};
use serde_json::json;

#[tokio::test]
async fn a_nul_character_anywhere_in_the_input_is_a_problem_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;

    // In a JSON body: a topic slug (looked up in the database before any other check).
    let mut body = process_body("with-nul");
    body["topics"] = json!(["ai-strategy", "P\u{0}x"]);
    let res = app.post_json("/api/v1/processes", &body).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let p = problem(res).await;
    assert_eq!(p["errors"][0]["field"], "topics[1]", "{p}");
    assert!(p["errors"][0]["problem"].as_str().unwrap().contains("NUL"), "{p}");

    // In a key of a JSON body.
    let mut body = process_body("with-nul-key");
    body["title"] = json!({ "en": "A title", "e\u{0}s": "Un título" });
    let res = app.post_json("/api/v1/processes", &body).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(problem(res).await["errors"][0]["field"], "title.e\\u0000s");

    // In a plugin-checked contribution body, stored as JSON.
    published_process(&app, &admin, "national-ai").await;
    let activity = add_activity(
        &app,
        &admin,
        "national-ai",
        &json!({ "type": "org.convene.consultation", "title": { "en": "Why?" },
            "config": { "questions": [ { "id": "why", "type": "free_text", "required": true, "text": { "en": "Why?" } } ] } }),
    )
    .await;
    let id = activity["id"].as_str().unwrap();
    let res = contribute(&app, &admin, id, &json!({ "kind": "response", "body": { "answers": { "why": "because\u{0}" } } })).await;
    assert_eq!(res.status(), 422);
    assert_eq!(problem(res).await["errors"][0]["field"], "body.answers.why");

    // In a query parameter.
    let res = app.get("/api/v1/processes?topic=a%00b").send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(problem(res).await["errors"][0]["field"], "topic");

    // In a path: nothing can be there.
    for path in ["/api/v1/processes/national%00-ai", "/api/v1/processes/a%00b/activities", "/api/v1/admin/plugins/x%00y/disable"] {
        let res = app.get(path).bearer_auth(&admin).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"), "{path}");
    }

    // The same inputs without the NUL still work: the guard names only what is wrong.
    let res = app.get("/api/v1/processes/national-ai").send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = contribute(&app, &admin, id, &json!({ "kind": "response", "body": { "answers": { "why": "because \\u0000 is text here" } } })).await;
    assert_eq!(res.status(), 201, "an escaped backslash before u0000 is ordinary text");
}
