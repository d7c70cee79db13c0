//! Contributions across instances, between two real servers on loopback: a person on one
//! instance takes part in an activity on another (checked by that activity's own plugin,
//! stored with its origin, answered, and the answer travels back), and a process linked as
//! the child of an activity elsewhere sends each version of its outcome there as a report.

use std::time::Duration;

use convene_e2e::expect_json;
use convene_e2e::federation::{FederatedInstance, Linking, TakingPart, eventually, linked_reports_activity, linking, taking_part};
use convene_e2e::flows::{add_activity, admin_token, create_process, process_body, published_process, user_token};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(30);

async fn get(app: &FederatedInstance, token: &str, path: &str) -> Value {
    expect_json(app.get(path).bearer_auth(token).send().await.unwrap(), 200).await
}

fn items(v: &Value) -> Vec<Value> {
    v.get("items").unwrap_or(v).as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_person_takes_part_elsewhere_and_hears_the_response_and_the_moderation() {
    let TakingPart { home, host, host_admin, person, address, .. } = taking_part().await;

    // The activity describes what people elsewhere may send, with the plugin's own form.
    let doc = host.fetch_ap(&address).await;
    assert!(doc["attributedTo"].as_str().unwrap().starts_with(&host.at("/ap/processes/")), "{doc}");
    let kinds = doc["convene:remoteKinds"].as_array().unwrap();
    assert_eq!(kinds.len(), 1, "{doc}");
    assert_eq!(kinds[0]["id"], "response");
    assert!(!kinds[0]["fields"].as_array().unwrap().is_empty(), "the consultation's form is included: {doc}");

    // What the other instance's plugin refuses comes back now, as field errors.
    let refused = home.post_as(&person, "/api/v1/federation/contributions", &json!({ "activity": address, "kind": "response", "body": { "answers": { "nope": "x" } } })).await;
    let status = refused.status();
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(status, 422, "{problem}");
    assert!(problem["errors"].as_array().unwrap().iter().all(|e| e["field"].as_str().unwrap().starts_with("body")), "{problem}");
    // A kind the activity type does not let people elsewhere send is refused by the host.
    let wrong = home.post_as(&person, "/api/v1/federation/contributions", &json!({ "activity": address, "kind": "no-such-kind", "body": {} })).await;
    assert_eq!(wrong.status(), 422);

    let sent = expect_json(home.post_as(&person, "/api/v1/federation/contributions", &json!({ "activity": address, "kind": "response", "body": { "answers": { "q": "Buses first." } } })).await, 201).await;
    assert_eq!(sent["status"], "accepted", "{sent}");
    let there = sent["remote_contribution"].as_str().expect("the contribution's address on the host");
    let contribution_id = there.rsplit('/').next().unwrap();

    // Stored on the host with its origin, and checked by the same plugin as local input.
    let stored = get(&host, &host_admin, &format!("/api/v1/contributions/{contribution_id}")).await;
    assert_eq!(stored["channel"], "federated");
    assert_eq!(stored["origin"]["instance"], home.instance());
    assert!(stored["origin"]["author"].as_str().unwrap().starts_with(&home.at("/ap/accounts/")), "{stored}");
    assert_eq!(stored["body"]["answers"]["q"], "Buses first.");
    // Everyone sees where it came from, not who sent it.
    let public: Value = expect_json(host.get(&format!("/api/v1/contributions/{contribution_id}")).send().await.unwrap(), 200).await;
    assert_eq!(public["origin"]["instance"], home.instance());
    assert!(public["origin"]["author"].is_null(), "{public}");
    // The sender's actor names nobody.
    let actor = home.fetch_ap(stored["origin"]["author"].as_str().unwrap()).await;
    assert_eq!(actor["type"], "Person");
    assert!(actor.get("name").is_none() && !actor.to_string().contains("ana@home.example"), "{actor}");

    // The organisers respond on the host; the person sees it at home.
    let responded = host.post_as(&host_admin, "/api/v1/processes/ai-first/responses", &json!({ "contribution_ids": [contribution_id], "disposition": "adopted", "explanation": { "en": "Buses come first in the draft." } })).await;
    assert_eq!(responded.status(), 201);
    let mine = eventually("the response to reach the person's instance", WAIT, async || {
        let list = get(&home, &person, "/api/v1/me/remote-input").await;
        let first = list.as_array()?.first()?.clone();
        (first["response"]["disposition"] == "adopted").then_some(first)
    })
    .await;
    assert_eq!(mine["response"]["explanation"]["en"], "Buses come first in the draft.");
    assert_eq!(mine["activity"], address);

    // Moderators on the host hide it; the person's instance shows it hidden, with the reason.
    let hidden = host.post_as(&host_admin, &format!("/api/v1/contributions/{contribution_id}/hide"), &json!({ "reason": "Personal data in the text." })).await;
    assert_eq!(hidden.status(), 200);
    let mine = eventually("the moderation to reach the person's instance", WAIT, async || {
        let list = get(&home, &person, "/api/v1/me/remote-input").await;
        let first = list.as_array()?.first()?.clone();
        (first["status"] == "hidden").then_some(first)
    })
    .await;
    assert_eq!(mine["problem"], "Personal data in the text.");
    // Only the accepted one is kept: the refused attempts were answered with their errors.
    assert_eq!(get(&home, &person, "/api/v1/me/remote-input").await.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_linked_process_sends_each_outcome_version_to_its_parent_and_hears_the_response() {
    let Linking { town, national, town_admin, national_admin, reports_id, parent, consultation: not_reports } = linking().await;

    // A draft cannot be linked: only what federates links.
    create_process(&town, &town_admin, &process_body("draft-roundtables")).await;
    let res = town.client.put(town.url("/api/v1/processes/draft-roundtables/link")).bearer_auth(&town_admin).json(&json!({ "parent_activity": parent })).send().await.unwrap();
    assert_eq!(res.status(), 409);

    published_process(&town, &town_admin, "town-roundtables").await;
    // An activity that takes no reports is refused, naming the field.
    let res = town.client.put(town.url("/api/v1/processes/town-roundtables/link")).bearer_auth(&town_admin).json(&json!({ "parent_activity": not_reports })).send().await.unwrap();
    let problem = expect_json(res, 422).await;
    assert_eq!(problem["errors"][0]["field"], "parent_activity", "{problem}");
    // A participant may not link the town's process.
    let someone = user_token(&town, "someone@town.example").await;
    let res = town.client.put(town.url("/api/v1/processes/town-roundtables/link")).bearer_auth(&someone).json(&json!({ "parent_activity": parent })).send().await.unwrap();
    assert_eq!(res.status(), 403);

    let res = town.client.put(town.url("/api/v1/processes/town-roundtables/link")).bearer_auth(&town_admin).json(&json!({ "parent_activity": parent })).send().await.unwrap();
    let link = expect_json(res, 200).await;
    assert_eq!(link["parent_title"], "Reports from local roundtables");
    assert_eq!(link["parent_activity"], parent);

    let outcome = |version: u32| json!({ "title": { "en": "What the town recommends" },
        "sections": [ { "id": "1", "heading": { "en": "Buses first" }, "body": { "en": format!("Version {version}: five roundtables, 84 residents.") } } ],
        "note": { "en": "For the national strategy." } });
    assert_eq!(town.post_as(&town_admin, "/api/v1/processes/town-roundtables/outcomes", &outcome(1)).await.status(), 201);

    let reports_path = format!("/api/v1/activities/{reports_id}/contributions");
    let report = eventually("the town's report in the national activity", WAIT, async || {
        let list: Value = expect_json(national.get(&reports_path).send().await.unwrap(), 200).await;
        items(&list).first().cloned()
    })
    .await;
    assert_eq!(report["channel"], "federated");
    assert_eq!(report["kind"], "report");
    assert_eq!(report["origin"]["instance"], town.instance());
    assert_eq!(report["body"]["title"], "What the town recommends (v1)");
    assert!(report["body"]["summary"].as_str().unwrap().contains("Version 1"), "{report}");
    assert!(report["body"]["link"].as_str().unwrap().starts_with(&town.at("/processes/town-roundtables")), "{report}");
    let report_id = report["id"].as_str().unwrap();

    // The national organisers respond; the town's process shows the response.
    let res = national.post_as(&national_admin, "/api/v1/processes/national-ai/responses", &json!({ "contribution_ids": [report_id], "disposition": "partly_adopted", "explanation": { "en": "Buses are in section 4." } })).await;
    assert_eq!(res.status(), 201);
    let link = eventually("the response in the town's link", WAIT, async || {
        let link: Value = expect_json(town.get("/api/v1/processes/town-roundtables/link").send().await.unwrap(), 200).await;
        (link["reports"][0]["response"]["disposition"] == "partly_adopted").then_some(link)
    })
    .await;
    assert_eq!(link["reports"][0]["status"], "accepted");
    assert_eq!(link["reports"][0]["response"]["explanation"]["en"], "Buses are in section 4.");

    // A revision is sent too; after unlinking, nothing more is.
    assert_eq!(town.post_as(&town_admin, "/api/v1/processes/town-roundtables/outcomes", &outcome(2)).await.status(), 201);
    eventually("the second version in the national activity", WAIT, async || {
        let list: Value = expect_json(national.get(&reports_path).send().await.unwrap(), 200).await;
        (items(&list).len() == 2).then_some(())
    })
    .await;
    let res = town.client.delete(town.url("/api/v1/processes/town-roundtables/link")).bearer_auth(&town_admin).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(town.get("/api/v1/processes/town-roundtables/link").send().await.unwrap().status(), 404);
    assert_eq!(town.post_as(&town_admin, "/api/v1/processes/town-roundtables/outcomes", &outcome(3)).await.status(), 201);
    // The town's queue has nothing left for the national instance (the revision's ledger
    // entry went nowhere), and the national activity still holds two reports.
    eventually("the town's queue to settle", WAIT, async || {
        let jobs = get(&town, &town_admin, "/api/v1/admin/jobs").await;
        jobs["waiting"].as_array()?.iter().all(|j| j["kind"] != "send_contribution" && j["kind"] != "federate").then_some(())
    })
    .await;
    let list: Value = expect_json(national.get(&reports_path).send().await.unwrap(), 200).await;
    assert_eq!(items(&list).len(), 2, "{list}");
}

/// Three real servers: two towns' processes linked under one national activity. Each town's
/// outcome arrives with its own origin; each hears only its own response; a town that is down
/// when the national organisers respond hears it once it is back, once.
#[tokio::test]
async fn two_towns_feed_one_national_activity_and_a_town_that_was_down_hears_its_response_once() {
    let (national, mut north, south) = tokio::join!(FederatedInstance::spawn(), FederatedInstance::spawn(), FederatedInstance::spawn());
    let (national_admin, north_admin, south_admin) =
        tokio::join!(admin_token(&national, "ministry@national.example"), admin_token(&north, "clerk@north.example"), admin_token(&south, "clerk@south.example"));
    published_process(&national, &national_admin, "national-ai").await;
    let reports = add_activity(&national, &national_admin, "national-ai", &linked_reports_activity()).await;
    let parent = national.at(&format!("/ap/activities/{}", reports["id"].as_str().unwrap()));
    for (town, admin, words) in [(&north, &north_admin, "Buses first."), (&south, &south_admin, "Trams first.")] {
        published_process(town, admin, "roundtables").await;
        let res = town.client.put(town.url("/api/v1/processes/roundtables/link")).bearer_auth(admin).json(&json!({ "parent_activity": parent })).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let outcome = json!({ "title": { "en": "What the town recommends" }, "sections": [ { "id": "1", "heading": { "en": "Transport" }, "body": { "en": words } } ] });
        assert_eq!(town.post_as(admin, "/api/v1/processes/roundtables/outcomes", &outcome).await.status(), 201);
    }

    // Both reports arrive, each with its own origin.
    let reports_path = format!("/api/v1/activities/{}/contributions", reports["id"].as_str().unwrap());
    let list = eventually("both towns' reports in the national activity", WAIT, async || {
        let list: Value = expect_json(national.get(&reports_path).send().await.unwrap(), 200).await;
        (items(&list).len() == 2).then_some(items(&list))
    })
    .await;
    let from = |town: &FederatedInstance| list.iter().find(|r| r["origin"]["instance"] == town.instance().as_str()).unwrap_or_else(|| panic!("no report from {}", town.instance())).clone();
    let (north_report, south_report) = (from(&north), from(&south));
    assert!(north_report["body"]["summary"].as_str().unwrap().contains("Buses first."), "{north_report}");
    assert!(south_report["body"]["summary"].as_str().unwrap().contains("Trams first."), "{south_report}");

    // North goes down; the national organisers respond to each town.
    north.app.stop().await;
    for (report, disposition, explanation) in [(&north_report, "adopted", "Buses are in section 4."), (&south_report, "noted", "Trams are for the next strategy.")] {
        let body = json!({ "contribution_ids": [report["id"]], "disposition": disposition, "explanation": { "en": explanation } });
        assert_eq!(national.post_as(&national_admin, "/api/v1/processes/national-ai/responses", &body).await.status(), 201);
    }
    let link_of = async |town: &FederatedInstance| -> Value { expect_json(town.get("/api/v1/processes/roundtables/link").send().await.unwrap(), 200).await };
    let south_link = eventually("the response in the south's link", WAIT, async || {
        let link = link_of(&south).await;
        (link["reports"][0]["response"]["disposition"] == "noted").then_some(link)
    })
    .await;
    assert_eq!(south_link["reports"][0]["response"]["explanation"]["en"], "Trams are for the next strategy.");
    // The delivery to the north fails and waits for its next try.
    eventually("a failed delivery to the north, waiting to be tried again", WAIT, async || {
        let jobs = get(&national, &national_admin, "/api/v1/admin/jobs").await;
        jobs["waiting"].as_array()?.iter().any(|j| j["kind"] == "federation_delivery" && j["attempts"].as_i64() >= Some(1) && j["last_error"].is_string()).then_some(())
    })
    .await;

    // Back up: the north hears its own response (not the south's), once.
    north.app.restart().await;
    let north_link = eventually("the response in the north's link once it is back", Duration::from_secs(60), async || {
        let link = link_of(&north).await;
        (link["reports"][0]["response"]["disposition"] == "adopted").then_some(link)
    })
    .await;
    assert_eq!(north_link["reports"][0]["response"]["explanation"]["en"], "Buses are in section 4.");
    assert_eq!(north_link["reports"].as_array().unwrap().len(), 1, "{north_link}");
    // One delivery to the north's inbox, done after its failed tries: sent once it got through.
    let to_north = format!("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'federation_delivery' AND payload LIKE '%localhost:{}/%'", north.port);
    assert_eq!(national.count(&to_north).await, 1);
    let done = eventually("the delivery to the north marked done", WAIT, async || {
        let n = national.count(&format!("{to_north} AND status = 'done' AND attempts >= 2")).await;
        (n == 1).then_some(n)
    })
    .await;
    assert_eq!(done, 1);
}
