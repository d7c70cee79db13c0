//! The public ledger: public events are sealed as they happen, `convene ledger verify` checks
//! the whole chain from an instance or a saved file, and an entry edited directly in the
//! database is found and named.

use convene_e2e::flows::{add_activity, admin_token, published_process};
use convene_e2e::{TestApp, expect_json};
use sea_orm::{ConnectionTrait, Database};
use serde_json::json;

fn output(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[tokio::test]
async fn public_events_are_chained_signed_and_tampering_is_named() {
    let app = TestApp::builder().with_metrics().spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let process = published_process(&app, &admin, "national-ai").await;
    let activity = json!({ "type": "org.convene.consultation", "title": { "en": "Consultation" },
        "config": { "questions": [ { "id": "q", "type": "free_text", "text": { "en": "Your view?" } } ] } });
    add_activity(&app, &admin, "national-ai", &activity).await;

    // The job worker announces that the activity opened (time-based), within a round or two.
    let started = std::time::Instant::now();
    let ledger = loop {
        let ledger = expect_json(app.get("/api/v1/ledger").send().await.unwrap(), 200).await;
        if ledger.to_string().contains("activity.opened") || started.elapsed() > std::time::Duration::from_secs(10) {
            break ledger;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(ledger.to_string().contains("activity.opened"), "{ledger}");
    // ... and tells the activity's plugin, through a durable job.
    let started = std::time::Instant::now();
    loop {
        let metrics = app.metrics().await;
        let told = metrics.lines().any(|l| l.starts_with("convene_plugin_calls_total") && l.contains("on-phase-change") && l.contains("outcome=\"ok\""));
        if told {
            break;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "the plugin was not told:\n{metrics}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let res = app.client.post(app.url("/api/v1/processes/national-ai/archive")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let ledger = expect_json(app.get("/api/v1/ledger").send().await.unwrap(), 200).await;
    let kinds: Vec<&str> = ledger["entries"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    let mut expected = vec!["process.published", "activity.created", "activity.opened", "process.archived"];
    expected.retain(|k| kinds.contains(k));
    assert_eq!(expected.len(), 4, "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| ["process.published", "activity.created", "process.archived"].contains(k)).copied().collect::<Vec<_>>(),
        ["process.published", "activity.created", "process.archived"]);
    assert_eq!(ledger["entries"][0]["process_id"], process["id"]);
    assert_eq!(ledger["entries"][1]["prev_hash"], ledger["entries"][0]["hash"]);
    // Paging: one entry per page still links up.
    let first = expect_json(app.get("/api/v1/ledger?limit=1").send().await.unwrap(), 200).await;
    assert_eq!(first["entries"].as_array().unwrap().len(), 1);
    assert_eq!(first["next_after"], 1);

    let url = app.url("");
    let out = app.cli(&["ledger", "verify", &url]).await;
    assert!(out.status.success(), "{}", output(&out));
    assert!(output(&out).contains("Ledger verified: 4 entries"), "{}", output(&out));

    // A saved copy verifies offline too; against another key it does not.
    let saved = app.data_dir().join("ledger.json");
    std::fs::write(&saved, serde_json::to_vec(&ledger).unwrap()).unwrap();
    let out = app.cli(&["ledger", "verify", saved.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", output(&out));
    let other_key = "O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=";
    let out = app.cli(&["ledger", "verify", saved.to_str().unwrap(), "--public-key", other_key]).await;
    assert!(!out.status.success());
    assert!(output(&out).contains("Ledger broken at entry 1"), "{}", output(&out));

    // Someone with database access rewrites history: verification names the entry.
    let db = Database::connect(app.env()["CONVENE_DATABASE_URL"].as_str()).await.unwrap();
    db.execute_unprepared(r#"UPDATE ledger_entries SET payload = '{"slug":"nothing-to-see"}' WHERE seq = 2"#).await.unwrap();
    let out = app.cli(&["ledger", "verify", &url]).await;
    assert!(!out.status.success());
    let said = output(&out);
    assert!(said.contains("Ledger broken at entry 2") && said.contains("changed after it was sealed"), "{said}");
}

async fn ledger_text(app: &TestApp) -> String {
    expect_json(app.get("/api/v1/ledger").send().await.unwrap(), 200).await.to_string()
}

/// Finding 1 of the security audit: the public ledger told of private, unlisted and draft
/// processes. Now they leave no trace; a process that becomes public is recorded from then on
/// (with the activities it already has), and one that stops being public is recorded as
/// withdrawn and then no more.
#[tokio::test]
async fn the_ledger_holds_only_public_facts_of_public_processes() {
    use convene_e2e::flows::{contribute, create_process, process_body};
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let consultation = json!({ "type": "org.convene.consultation", "title": { "en": "Hushed consultation" },
        "config": { "questions": [ { "id": "q", "type": "free_text", "text": { "en": "Your view?" } } ] } });
    for (slug, visibility) in [("hush-private", "private"), ("hush-unlisted", "unlisted"), ("hush-draft", "public")] {
        let mut body = process_body(slug);
        body["title"] = json!({ "en": format!("Secret title of {slug}") });
        body["visibility"] = json!(visibility);
        create_process(&app, &admin, &body).await;
        if slug != "hush-draft" {
            expect_json(app.post(&format!("/api/v1/processes/{slug}/publish")).bearer_auth(&admin).send().await.unwrap(), 200).await;
        }
        let activity = add_activity(&app, &admin, slug, &consultation).await;
        if slug != "hush-draft" {
            let c = expect_json(contribute(&app, &admin, activity["id"].as_str().unwrap(), &json!({ "kind": "response", "body": { "answers": { "q": "x" } } })).await, 201).await;
            let respond = json!({ "contribution_ids": [c["id"]], "disposition": "noted", "explanation": { "en": format!("Secret explanation in {slug}") } });
            expect_json(app.post_json(&format!("/api/v1/processes/{slug}/responses"), &respond).bearer_auth(&admin).send().await.unwrap(), 201).await;
            let hide = json!({ "reason": format!("Secret reason in {slug}") });
            expect_json(app.post_json(&format!("/api/v1/contributions/{}/hide", c["id"].as_str().unwrap()), &hide).bearer_auth(&admin).send().await.unwrap(), 200).await;
        }
        let outcome = json!({ "title": { "en": "Outcome" }, "sections": [ { "id": "1", "heading": { "en": "H" }, "body": { "en": "B" } } ] });
        expect_json(app.post_json(&format!("/api/v1/processes/{slug}/outcomes"), &outcome).bearer_auth(&admin).send().await.unwrap(), 201).await;
    }
    let ledger = ledger_text(&app).await;
    assert!(!ledger.contains("hush") && !ledger.contains("Secret") && !ledger.contains("Hushed"), "{ledger}");
    assert!(!ledger.contains("\"seq\":"), "no entry at all: {ledger}");

    // Made public: one entry records it, with the activity it already had; then its facts.
    let res = app.patch_json("/api/v1/processes/hush-unlisted", &json!({ "visibility": "public" })).bearer_auth(&admin).send().await.unwrap();
    expect_json(res, 200).await;
    let ledger = expect_json(app.get("/api/v1/ledger").send().await.unwrap(), 200).await;
    let entries = ledger["entries"].as_array().unwrap();
    assert_eq!(kinds_not_from_the_clock(&ledger), ["process.published"], "{ledger}");
    assert!(entries[0]["payload"].as_str().unwrap().contains("Hushed consultation"), "{ledger}");
    assert!(!ledger.to_string().contains("hush-private") && !ledger.to_string().contains("hush-draft"));

    // Made private again: recorded as withdrawn, then nothing more of it.
    let res = app.patch_json("/api/v1/processes/hush-unlisted", &json!({ "visibility": "private" })).bearer_auth(&admin).send().await.unwrap();
    expect_json(res, 200).await;
    let outcome = json!({ "title": { "en": "Revised" }, "sections": [ { "id": "1", "heading": { "en": "H" }, "body": { "en": "B2" } } ], "note": { "en": "Secret revision note" } });
    expect_json(app.post_json("/api/v1/processes/hush-unlisted/outcomes", &outcome).bearer_auth(&admin).send().await.unwrap(), 201).await;
    let ledger = expect_json(app.get("/api/v1/ledger").send().await.unwrap(), 200).await;
    assert_eq!(kinds_not_from_the_clock(&ledger), ["process.published", "process.withdrawn"], "{ledger}");
    assert!(!ledger.to_string().contains("Secret revision note"));

    // The chain is whole.
    let all = ledger["entries"].as_array().unwrap().len();
    let out = app.cli(&["ledger", "verify", &app.url("")]).await;
    assert!(out.status.success(), "{}", output(&out));
    assert!(output(&out).contains(&format!("Ledger verified: {all} entries")), "{}", output(&out));
}

/// The ledger's kinds, leaving out `activity.opened`: the job worker's clock records that an
/// activity is open on its next round, which may fall after the process became public (a
/// true public fact) or before (when nothing is recorded), whichever the scheduler decides.
fn kinds_not_from_the_clock(ledger: &serde_json::Value) -> Vec<String> {
    let kinds = ledger["entries"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_string());
    kinds.filter(|k| k != "activity.opened").collect()
}
