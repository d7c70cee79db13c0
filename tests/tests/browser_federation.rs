//! Federation's pages in a real browser: the process page's "follow from another site" (a
//! refused address, then a good one that takes the browser on to the person's own site, a
//! stand-in on loopback, which the page's policy must let the form's redirect reach), and the
//! administrators' federation page (a follower, a failed delivery, a block refused, made and
//! lifted); axe on every state at 360 and 1280 px in English, Spanish and French (see
//! `tests/browser/scenarios/federation.mjs`).

use convene_e2e::TestApp;
use convene_e2e::browser::run_scenario;
use convene_e2e::flows::{admin_token, published_process};
use convene_e2e::remote_site::{RemoteActor, RemoteSite, add_failed_delivery, add_follower};
use serde_json::json;

#[tokio::test]
async fn a_process_is_followed_from_another_site_and_an_admin_blocks_an_instance() {
    // The stand-in for the person's own site is plain http on loopback.
    let app = TestApp::builder().env("CONVENE_FEDERATION__ALLOW_PRIVATE_ADDRESSES", "true").spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let process = published_process(&app, &admin, "open-strategy").await;
    let process_id = process["id"].as_str().unwrap();
    let site = RemoteSite::start(&["ana"]).await;
    let host = app.base_url.trim_start_matches("http://").trim_end_matches('/').to_string();

    // What the administrators' page lists: a follower and a delivery given up (written into
    // the database as the server leaves them; nothing is sent to those sites).
    let db = sea_orm::Database::connect(app.db.url()).await.unwrap();
    let ana = RemoteActor { ap_id: "https://social.example/users/ana", name: Some("Ana García"), inbox: "https://social.example/users/ana/inbox" };
    add_follower(&db, process_id, &ana).await;
    add_failed_delivery(&db, &app.base_url, process_id, "https://town.example/inbox", "Announce", "error sending request: connection timed out").await;

    let out = run_scenario(
        &app,
        "federation",
        json!({
            "adminToken": admin,
            "slug": "open-strategy",
            "handle": format!("@open-strategy@{host}"),
            "siteHost": site.host,
            "actor": format!("{}/ap/processes/{process_id}", app.base_url),
        }),
    )
    .await;
    assert!(out.contains(" 0 violations"), "{out}");
    // The block was lifted: the API lists none.
    let overview: serde_json::Value = app.with_token(&admin).get("/api/v1/admin/federation").send().await.unwrap().json().await.unwrap();
    assert_eq!(overview["blocked"], json!([]), "{overview}");
}

/// Two real servers: the host of an activity and the person's own site (see
/// `tests/browser/scenarios/federation_take_part.mjs`).
#[tokio::test]
async fn a_person_takes_part_from_their_own_site_and_an_organiser_links_a_process() {
    use convene_e2e::federation::{FederatedInstance, linked_reports_activity, one_question_consultation};
    use convene_e2e::flows::{add_activity, user_token};

    let (home, host) = tokio::join!(FederatedInstance::spawn(), FederatedInstance::spawn());
    let (host_admin, clerk, person) =
        tokio::join!(admin_token(&host, "organiser@host.example"), admin_token(&home, "clerk@home.example"), user_token(&home, "ana@home.example"));
    published_process(&host, &host_admin, "ai-first").await;
    let activity = add_activity(&host, &host_admin, "ai-first", &one_question_consultation()).await;
    let activity_id = activity["id"].as_str().unwrap();
    let reports = add_activity(&host, &host_admin, "ai-first", &linked_reports_activity()).await;
    published_process(&home, &clerk, "town-roundtables").await;

    let out = run_scenario(
        &host.app,
        "federation_take_part",
        json!({
            "activityId": activity_id,
            "address": host.at(&format!("/ap/activities/{activity_id}")),
            "title": "Where should AI help first?",
            "homeOrigin": home.origin,
            "homeInstance": home.instance(),
            "hostInstance": host.instance(),
            "personToken": person,
            "clerkToken": clerk,
            "linkSlug": "town-roundtables",
            "parent": host.at(&format!("/ap/activities/{}", reports["id"].as_str().unwrap())),
        }),
    )
    .await;
    assert!(out.contains(" 0 violations"), "{out}");
    // What the scenario sent arrived on the host, with its origin; the link was made.
    let list: serde_json::Value = host.get(&format!("/api/v1/activities/{activity_id}/contributions")).send().await.unwrap().json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    assert!(items.iter().all(|c| c["origin"]["instance"] == home.instance().as_str()), "{list}");
    let link: serde_json::Value = home.get("/api/v1/processes/town-roundtables/link").send().await.unwrap().json().await.unwrap();
    assert_eq!(link["parent_title"], "Reports from local roundtables", "{link}");
}
