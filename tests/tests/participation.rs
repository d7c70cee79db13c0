//! The participation loop around contributions: facilitators entering paper and phone input
//! for people who are not online, editing and withdrawing while open, reports and public
//! moderation, and organisers' responses (in bulk) that reach each author by email and on
//! "my input".

use std::time::Duration;

use convene_e2e::flows::{add_activity, add_member, admin_token, contribute, published_process, user_token};
use convene_e2e::{TestApp, expect_json, problem};
use serde_json::{Value, json};

fn poll_activity() -> Value {
    json!({ "type": "org.convene.consultation", "title": { "en": "Where should public AI help first?" },
        "config": { "questions": [
            { "id": "priority", "type": "single_choice", "required": true, "text": { "en": "Priority?" },
              "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "transport", "label": { "en": "Transport" } } ] },
            { "id": "why", "type": "free_text", "required": false, "text": { "en": "Why?" } } ] } })
}

fn answer(choice: &str) -> Value {
    json!({ "kind": "response", "body": { "answers": { "priority": choice } } })
}

#[tokio::test]
async fn facilitators_enter_offline_input_and_everyone_can_change_their_own_while_open() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;
    let activity = add_activity(&app, &admin, "national-ai", &poll_activity()).await;
    let id = activity["id"].as_str().unwrap();
    let fran = user_token(&app, "fran@example.org").await;
    add_member(&app, &admin, "national-ai", "fran@example.org", "facilitator").await;
    let rosa = user_token(&app, "rosa@example.org").await;
    let rosa_id = expect_json(app.get("/api/v1/me").bearer_auth(&rosa).send().await.unwrap(), 200).await["id"].clone();

    // A paper form from someone without an account: anonymous, with a generated reference.
    let mut paper = answer("health");
    paper["channel"] = json!("paper");
    let entered = expect_json(contribute(&app, &fran, id, &paper).await, 201).await;
    assert_eq!(entered["channel"], "paper");
    assert!(entered["reference"].as_str().unwrap().starts_with("P-"), "{entered}");
    // A phone call from Rosa, who has an account: linked to her.
    let mut phone = answer("transport");
    phone["channel"] = json!("phone");
    phone["on_behalf_of"] = rosa_id.clone();
    phone["reference"] = json!("call 17");
    let by_phone = expect_json(contribute(&app, &fran, id, &phone).await, 201).await;
    let mine = expect_json(app.get("/api/v1/me/input").bearer_auth(&rosa).send().await.unwrap(), 200).await;
    assert_eq!(mine["items"][0]["contribution"]["id"], by_phone["id"]);
    assert_eq!(mine["items"][0]["process_slug"], "national-ai");

    // Only facilitators enter for others; online input names nobody else.
    let res = contribute(&app, &rosa, id, &paper).await;
    assert_eq!(res.status(), 403);
    let mut odd = answer("health");
    odd["on_behalf_of"] = rosa_id.clone();
    let res = contribute(&app, &rosa, id, &odd).await;
    assert_eq!(res.status(), 422);
    assert_eq!(problem(res).await["errors"][0]["field"], "on_behalf_of");
    // The public list shows the channel, not the facilitator's reference.
    let list = expect_json(app.get(&format!("/api/v1/activities/{id}/contributions")).send().await.unwrap(), 200).await;
    let channels: Vec<&str> = list["items"].as_array().unwrap().iter().map(|c| c["channel"].as_str().unwrap()).collect();
    assert_eq!(channels, ["paper", "phone"]);
    assert!(list["items"].as_array().unwrap().iter().all(|c| c["reference"].is_null()));

    // Editing: the plugin checks again; only the author may; withdrawing takes it out.
    let own = expect_json(contribute(&app, &rosa, id, &answer("health")).await, 201).await;
    let own_path = format!("/api/v1/contributions/{}", own["id"].as_str().unwrap());
    let res = app.patch_json(&own_path, &json!({ "body": { "answers": { "priority": "moon" } } })).bearer_auth(&rosa).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(problem(res).await["errors"][0]["field"], "body.answers.priority");
    let edited = expect_json(app.patch_json(&own_path, &json!({ "body": { "answers": { "priority": "transport" } } })).bearer_auth(&rosa).send().await.unwrap(), 200).await;
    assert_eq!(edited["body"]["answers"]["priority"], "transport");
    assert!(edited["edited_at"].is_string());
    let res = app.patch_json(&own_path, &json!({ "body": { "answers": { "priority": "health" } } })).bearer_auth(&fran).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = app.client.delete(app.url(&own_path)).bearer_auth(&rosa).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let list = expect_json(app.get(&format!("/api/v1/activities/{id}/contributions")).send().await.unwrap(), 200).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "withdrawn input leaves the list");
    let results = expect_json(app.get(&format!("/api/v1/activities/{id}/results")).send().await.unwrap(), 200).await;
    let chart = results["sections"].as_array().unwrap().iter().find(|s| s["type"] == "chart").unwrap().clone();
    assert_eq!(chart["series"][0]["values"], json!([1.0, 1.0]), "and the results");
    let res = app.client.delete(app.url(&own_path)).bearer_auth(&rosa).send().await.unwrap();
    assert_eq!(res.status(), 409, "withdrawn once");

    // An activity for verified residents only.
    let mut bad = poll_activity();
    bad["requires_attribute"] = json!("Not Valid!");
    let res = app.post_json("/api/v1/processes/national-ai/activities", &bad).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(problem(res).await["errors"][0]["field"], "requires_attribute");
    let mut residents = poll_activity();
    residents["requires_attribute"] = json!("resident");
    let residents = add_activity(&app, &admin, "national-ai", &residents).await;
    let rid = residents["id"].as_str().unwrap();
    let res = contribute(&app, &rosa, rid, &answer("health")).await;
    assert_eq!(res.status(), 403);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("verified `resident`"));
    let grant = app.post_json(&format!("/api/v1/admin/accounts/{}/attributes", rosa_id.as_str().unwrap()), &json!({ "name": "resident" }));
    assert_eq!(grant.bearer_auth(&admin).send().await.unwrap().status(), 200);
    expect_json(contribute(&app, &rosa, rid, &answer("health")).await, 201).await;
}

#[tokio::test]
async fn reports_moderation_and_bulk_responses_reach_authors() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "city-ai").await;
    let activity = add_activity(&app, &admin, "city-ai", &poll_activity()).await;
    let id = activity["id"].as_str().unwrap();
    let ana = user_token(&app, "ana@example.org").await;
    let ben = user_token(&app, "ben@example.org").await;
    let mut rude = answer("health");
    rude["body"]["answers"]["why"] = json!("Everyone who disagrees is an idiot");
    let rude = expect_json(contribute(&app, &ben, id, &rude).await, 201).await;
    let rude_id = rude["id"].as_str().unwrap();
    let a1 = expect_json(contribute(&app, &ana, id, &answer("health")).await, 201).await;
    let b1 = expect_json(contribute(&app, &ben, id, &answer("transport")).await, 201).await;

    // Reports: once per person, seen by moderators only.
    let report = |t: String| app.post_json(&format!("/api/v1/contributions/{rude_id}/reports"), &json!({ "reason": "insults other participants" })).bearer_auth(t).send();
    assert_eq!(report(ana.clone()).await.unwrap().status(), 201);
    assert_eq!(report(ana.clone()).await.unwrap().status(), 409);
    assert_eq!(app.get("/api/v1/processes/city-ai/reports").bearer_auth(&ana).send().await.unwrap().status(), 403);
    let reports = expect_json(app.get("/api/v1/processes/city-ai/reports").bearer_auth(&admin).send().await.unwrap(), 200).await;
    assert_eq!(reports[0]["contribution_id"], rude["id"]);
    assert_eq!(reports[0]["reports"], 1);

    // Hiding needs a reason, which everyone sees in the contribution's place and in the log.
    let res = app.post_json(&format!("/api/v1/contributions/{rude_id}/hide"), &json!({ "reason": "" })).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let res = app.post_json(&format!("/api/v1/contributions/{rude_id}/hide"), &json!({ "reason": "Insults" })).bearer_auth(&ana).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let reason = "Insults other participants (rule 2 of the participation charter)";
    expect_json(app.post_json(&format!("/api/v1/contributions/{rude_id}/hide"), &json!({ "reason": reason })).bearer_auth(&admin).send().await.unwrap(), 200).await;
    let public = expect_json(app.get(&format!("/api/v1/contributions/{rude_id}")).send().await.unwrap(), 200).await;
    assert_eq!(public["status"], "hidden");
    assert_eq!(public["body"], Value::Null);
    assert_eq!(public["hidden_reason"], reason);
    let log = expect_json(app.get("/api/v1/processes/city-ai/moderation").send().await.unwrap(), 200).await;
    assert_eq!(log[0]["action"], "hidden");
    assert_eq!(log[0]["reason"], reason);

    // A bulk response: both health/transport answers at once; wrong ids are named.
    let bad = json!({ "contribution_ids": [a1["id"], "0190a0a0-0000-7000-8000-000000000000"], "disposition": "adopted", "explanation": { "en": "x" } });
    let res = app.post_json("/api/v1/processes/city-ai/responses", &bad).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(problem(res).await["errors"][0]["field"], "contribution_ids[1]");
    let body = json!({ "contribution_ids": [a1["id"], b1["id"]], "disposition": "partly_adopted",
        "explanation": { "en": "Health comes first in the draft strategy; transport follows in phase two." }, "outcome_refs": ["2.1"] });
    let res = app.post_json("/api/v1/processes/city-ai/responses", &body).bearer_auth(&ana).send().await.unwrap();
    assert_eq!(res.status(), 403, "only organisers respond");
    let done = expect_json(app.post_json("/api/v1/processes/city-ai/responses", &body).bearer_auth(&admin).send().await.unwrap(), 201).await;
    assert_eq!(done["count"], 2);

    let seen = expect_json(app.get(&format!("/api/v1/contributions/{}", a1["id"].as_str().unwrap())).send().await.unwrap(), 200).await;
    assert_eq!(seen["response"]["disposition"], "partly_adopted");
    assert_eq!(seen["response"]["outcome_refs"], json!(["2.1"]));
    let mine = expect_json(app.get("/api/v1/me/input").bearer_auth(&ana).send().await.unwrap(), 200).await;
    assert_eq!(mine["items"][0]["contribution"]["response"]["disposition"], "partly_adopted");

    // Each author is told once, by the job queue, whatever the number of their contributions.
    for who in ["ana@example.org", "ben@example.org"] {
        let mail = app.smtp.wait_for(Duration::from_secs(20), |m| m.is_to(who) && m.subject.contains("a response to your input")).await;
        assert!(mail.text.contains("partly adopted"), "{}", mail.text);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let responses_to_ana = app.smtp.messages_to("ana@example.org").into_iter().filter(|m| m.subject.contains("a response")).count();
    assert_eq!(responses_to_ana, 1);

    // All of it is in the public ledger.
    let ledger = expect_json(app.get("/api/v1/ledger").send().await.unwrap(), 200).await;
    let kinds: Vec<&str> = ledger["entries"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"contribution.hidden") && kinds.contains(&"responses.given"), "{kinds:?}");
}

/// Finding 6 of the security audit: a facilitator's key for input on behalf of a person
/// collided with the same key from that person, and the server answered 500. Keys belong to
/// the account that submits and to one activity.
#[tokio::test]
async fn idempotency_keys_belong_to_the_submitter_and_the_activity() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;
    let first = add_activity(&app, &admin, "national-ai", &poll_activity()).await;
    let second = add_activity(&app, &admin, "national-ai", &poll_activity()).await;
    let (a1, a2) = (first["id"].as_str().unwrap(), second["id"].as_str().unwrap());
    let fran = user_token(&app, "fran@example.org").await;
    add_member(&app, &admin, "national-ai", "fran@example.org", "facilitator").await;
    let pia = user_token(&app, "pia@example.org").await;
    let pia_id = expect_json(app.get("/api/v1/me").bearer_auth(&pia).send().await.unwrap(), 200).await["id"].clone();
    let post = |token: &str, activity: &str, body: &Value| {
        app.post_json(&format!("/api/v1/activities/{activity}/contributions"), body).bearer_auth(token).header("Idempotency-Key", "K-1").send()
    };

    let mut phone = answer("health");
    phone["channel"] = json!("phone");
    phone["on_behalf_of"] = pia_id.clone();
    let entered = expect_json(post(&fran, a1, &phone).await.unwrap(), 201).await;
    // Pia's own submission with the same key, on the same activity and on another: hers.
    let own = expect_json(post(&pia, a1, &answer("transport")).await.unwrap(), 201).await;
    assert_ne!(own["id"], entered["id"]);
    let elsewhere = expect_json(post(&pia, a2, &answer("transport")).await.unwrap(), 201).await;
    assert_ne!(elsewhere["id"], own["id"]);
    // Retries replay the first of each.
    let again = expect_json(post(&pia, a1, &answer("transport")).await.unwrap(), 200).await;
    assert_eq!(again["id"], own["id"]);
    let again = expect_json(post(&fran, a1, &phone).await.unwrap(), 200).await;
    assert_eq!(again["id"], entered["id"]);
}
