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
