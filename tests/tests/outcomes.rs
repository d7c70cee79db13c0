//! Outcomes and the input-use report: an outcome cites the contributions it drew on, is
//! revised with its history and differences kept, and the report's numbers (channels,
//! responses, dispositions, delays, commitments) are exactly what happened.

use convene_e2e::flows::{add_activity, admin_token, contribute, create_process, process_body, user_token};
use convene_e2e::{TestApp, expect_json, problem};
use serde_json::{Value, json};

async fn respond(app: &TestApp, admin: &str, ids: &[&Value], disposition: &str) {
    let body = json!({ "contribution_ids": ids, "disposition": disposition, "explanation": { "en": "See section 2 of the outcome." }, "outcome_refs": ["2"] });
    expect_json(app.post_json("/api/v1/processes/national-ai/responses", &body).bearer_auth(admin).send().await.unwrap(), 201).await;
}

async fn report(app: &TestApp) -> Value {
    expect_json(app.get("/api/v1/processes/national-ai/report").send().await.unwrap(), 200).await
}

#[tokio::test]
async fn outcomes_are_versioned_and_the_report_counts_exactly() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let mut body = process_body("national-ai");
    body["commitments"].as_array_mut().unwrap().push(json!({
        "text": { "en": "We publish the outcome within 60 days of the last phase." },
        "measure": { "kind": "publish_outcome_within_days", "days": 60 } }));
    create_process(&app, &admin, &body).await;
    assert_eq!(app.client.post(app.url("/api/v1/processes/national-ai/publish")).bearer_auth(&admin).send().await.unwrap().status(), 200);
    let activity = json!({ "type": "org.convene.consultation", "title": { "en": "Consultation" }, "closes_at": "2099-01-01T00:00:00Z",
        "config": { "questions": [ { "id": "q", "type": "free_text", "required": true, "text": { "en": "Your view?" } } ] } });
    let activity = add_activity(&app, &admin, "national-ai", &activity).await;
    let aid = activity["id"].as_str().unwrap();
    let view = |t: &str| json!({ "kind": "response", "body": { "answers": { "q": t } } });

    let mut ids = Vec::new();
    for (i, who) in ["ana", "ben", "eva"].iter().enumerate() {
        let token = user_token(&app, &format!("{who}@example.org")).await;
        ids.push(expect_json(contribute(&app, &token, aid, &view(&format!("Opinion {i}"))).await, 201).await["id"].clone());
    }
    let mut paper = view("Written on a form at the library");
    paper["channel"] = json!("paper");
    ids.push(expect_json(contribute(&app, &admin, aid, &paper).await, 201).await["id"].clone());
    respond(&app, &admin, &[&ids[0], &ids[1]], "adopted").await;
    respond(&app, &admin, &[&ids[2]], "not_adopted").await;

    let r = report(&app).await;
    assert_eq!(r["contributions"], 4);
    assert_eq!(r["by_channel"], json!({ "online": 3, "paper": 1, "phone": 0, "in_person": 0, "federated": 0 }));
    assert_eq!(r["by_activity"][0]["contributions"], 4);
    assert_eq!(r["by_activity"][0]["responded"], 3);
    assert_eq!(r["responded"], 3);
    assert_eq!(r["responded_share"], 0.75);
    assert_eq!(r["by_disposition"], json!({ "adopted": 2, "partly_adopted": 0, "not_adopted": 1, "out_of_scope": 0, "noted": 0 }));
    assert_eq!(r["response_delay"]["responded"], 3);
    assert_eq!(r["response_delay"]["bands"]["0-7"], 3);
    assert_eq!(r["response_delay"]["p50_days"], 0.0);
    assert_eq!(r["commitments"][0]["status"], "pending", "one contribution still waits, not yet due: {}", r["commitments"][0]);
    assert_eq!(r["commitments"][0]["tally"], json!({ "on_time": 3, "late": 0, "overdue": 0, "due_soon": 0, "open": 1 }));
    assert_eq!(r["commitments"][1]["status"], "pending");
    assert_eq!(r["outcome_versions"], 0);

    // The outcome cites contributions of this process only, under unique section ids.
    let bad = json!({ "title": { "en": "What we heard" }, "sections": [
        { "id": "1", "heading": { "en": "A" }, "body": { "en": "a" }, "cites": ["0190a0a0-0000-7000-8000-000000000000"] },
        { "id": "1", "heading": { "en": "B" }, "body": { "en": "b" } } ] });
    let res = app.post_json("/api/v1/processes/national-ai/outcomes", &bad).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let p = problem(res).await;
    assert_eq!(p["errors"][0]["field"], "sections[1].id", "{p}");
    let v1 = json!({ "title": { "en": "National AI Strategy: what we heard and what we decided" }, "sections": [
        { "id": "1", "heading": { "en": "What we heard" }, "body": { "en": "Four people took part.\n\nMost asked for health first." }, "cites": [ids[0], ids[1]] },
        { "id": "2", "heading": { "en": "What we decided" }, "body": { "en": "Health comes first." }, "cites": [ids[0]] } ] });
    let published = expect_json(app.post_json("/api/v1/processes/national-ai/outcomes", &v1).bearer_auth(&admin).send().await.unwrap(), 201).await;
    assert_eq!(published["version"], 1);
    assert!(published["sections_html"][0]["en"].as_str().unwrap().contains("<p>Most asked for health first.</p>"));
    let mut v2 = v1.clone();
    v2["sections"][1]["body"]["en"] = json!("Health comes first, then transport.");
    v2["sections"][1]["cites"] = json!([ids[0], ids[3]]);
    v2["note"] = json!({ "en": "Added transport after the paper submissions were read." });
    expect_json(app.post_json("/api/v1/processes/national-ai/outcomes", &v2).bearer_auth(&admin).send().await.unwrap(), 201).await;

    let versions = expect_json(app.get("/api/v1/processes/national-ai/outcomes").send().await.unwrap(), 200).await;
    assert_eq!(versions.as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect::<Vec<_>>(), [2, 1]);
    let old = expect_json(app.get("/api/v1/processes/national-ai/outcomes/1").send().await.unwrap(), 200).await;
    assert_eq!(old["sections"][1]["body"]["en"], "Health comes first.", "history is kept");
    let diff = expect_json(app.get("/api/v1/processes/national-ai/outcomes/diff?from=1&to=2").send().await.unwrap(), 200).await;
    assert_eq!(diff[0]["change"], "unchanged");
    assert_eq!(diff[1]["change"], "changed");
    assert_eq!(diff[1]["cites_added"], json!([ids[3]]));
    let text = diff[1]["body_diff"]["en"].as_str().unwrap();
    assert!(text.contains("-Health comes first.") && text.contains("+Health comes first, then transport."), "{text}");

    // Answering the last one meets the response commitment; publishing met the other.
    respond(&app, &admin, &[&ids[3]], "partly_adopted").await;
    let r = report(&app).await;
    assert_eq!(r["responded_share"], 1.0);
    assert_eq!(r["commitments"][0]["status"], "met");
    assert_eq!(r["commitments"][1]["status"], "met");
    assert_eq!(r["outcome_versions"], 2);

    let ledger = expect_json(app.get("/api/v1/ledger").send().await.unwrap(), 200).await;
    let kinds: Vec<&str> = ledger["entries"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"outcome.published") && kinds.contains(&"outcome.revised"), "{kinds:?}");
}

#[tokio::test]
async fn exports_stream_contributions_without_personal_data() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    create_process(&app, &admin, &process_body("national-ai")).await;
    assert_eq!(app.client.post(app.url("/api/v1/processes/national-ai/publish")).bearer_auth(&admin).send().await.unwrap().status(), 200);
    let activity = json!({ "type": "org.convene.consultation", "title": { "en": "Consultation" },
        "config": { "questions": [ { "id": "q", "type": "free_text", "required": true, "text": { "en": "Your view?" } } ] } });
    let aid = add_activity(&app, &admin, "national-ai", &activity).await["id"].as_str().unwrap().to_string();
    let ana = user_token(&app, "ana.private@example.org").await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let body = json!({ "kind": "response", "body": { "answers": { "q": format!("Point, with \"quotes\" {i}") } } });
        ids.push(expect_json(contribute(&app, &ana, &aid, &body).await, 201).await["id"].clone());
    }
    let hide = json!({ "reason": "Off topic" });
    expect_json(app.post_json(&format!("/api/v1/contributions/{}/hide", ids[2].as_str().unwrap()), &hide).bearer_auth(&admin).send().await.unwrap(), 200).await;
    respond(&app, &admin, &[&ids[0]], "adopted").await;

    let res = app.get("/api/v1/processes/national-ai/export/contributions.csv").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "id,activity_id,kind,channel,language,status,created_at,edited_at,body,disposition,first_response_at");
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[1].contains("adopted") && lines[1].contains(r#"\""quotes\"""#), "CSV-quoted JSON body: {}", lines[1]);
    assert!(lines[3].contains(",hidden,") && !lines[3].contains("Point"), "a hidden body is not exported: {}", lines[3]);
    assert!(!csv.contains("ana.private"), "no personal data");

    let jsonl = app.get("/api/v1/processes/national-ai/export/process.jsonl").send().await.unwrap().text().await.unwrap();
    let types: Vec<String> = jsonl.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["type"].as_str().unwrap().to_string()).collect();
    let count = |t: &str| types.iter().filter(|x| *x == t).count();
    assert_eq!((count("process"), count("activity"), count("contribution"), count("response"), count("report")), (1, 1, 3, 1, 1));
    assert!(count("ledger_entry") >= 4, "{types:?}");
    assert!(!jsonl.contains("ana.private"));
}
