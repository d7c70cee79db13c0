//! Verified attributes: granted by an admin, or claimed against a census imported as hashes.

use convene_e2e::flows::{admin_token, me, user_token};
use convene_e2e::{TestApp, problem};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

#[tokio::test]
async fn census_import_stores_only_hashes_and_residents_can_claim() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let ana = user_token(&app, "ana@example.org").await;
    let ben = user_token(&app, "ben@example.org").await;

    let csv = "identifier,name\n12.345.678-K,Ana\n98765432-1,Ben\n12345678k,Ana again\n,empty\n";
    let import = |token: &str, attribute: &str, body: &'static str, content_type: &'static str| {
        app.client
            .post(app.url(&format!("/api/v1/admin/census?attribute={attribute}")))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let res = import(&ana, "resident", csv, "text/csv").await.unwrap();
    assert_eq!(res.status(), 403, "citizens cannot import");
    let res = import(&admin, "Resident!", csv, "text/csv").await.unwrap();
    assert_eq!(res.status(), 422);
    let res = import(&admin, "resident", "name\nAna\n", "text/csv").await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("identifier"));
    let res = import(&admin, "resident", csv, "text/csv").await.unwrap();
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["rows"], 4);
    assert_eq!(report["imported"], 2);
    assert_eq!(report["already_present"], 1, "the same identifier written differently counts once");
    assert_eq!(report["rejected"][0]["line"], 5);

    // No raw identifier reached the database.
    let db = sea_orm::Database::connect(app.db.url()).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT identifier_hash FROM census_entries"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        let h: String = row.try_get("", "identifier_hash").unwrap();
        assert_eq!(h.len(), 64);
        assert!(!h.contains("12345678"));
    }

    let claim = |token: &str, identifier: &str| {
        app.client
            .post(app.url("/api/v1/me/attributes/claim"))
            .bearer_auth(token)
            .json(&json!({ "attribute": "resident", "identifier": identifier }))
            .send()
    };
    let res = claim(&ana, "11111111-1").await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(problem(res).await["errors"][0]["field"], "identifier");
    let res = claim(&ana, "12 345 678 k").await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(me(&app, &ana).await["attributes"][0]["name"], "resident");
    assert_eq!(me(&app, &ana).await["attributes"][0]["source"], "census");
    let res = claim(&ben, "12345678K").await.unwrap();
    assert_eq!(res.status(), 409, "one identifier, one account");
    assert!(me(&app, &ben).await["attributes"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn admins_grant_and_revoke_attributes() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let ana = user_token(&app, "ana@example.org").await;
    let ana_id = me(&app, &ana).await["id"].as_str().unwrap().to_string();

    let grant = |token: &str, name: &str| {
        app.client
            .post(app.url(&format!("/api/v1/admin/accounts/{ana_id}/attributes")))
            .bearer_auth(token)
            .json(&json!({ "name": name }))
            .send()
    };
    assert_eq!(grant(&ana, "resident").await.unwrap().status(), 403);
    assert_eq!(grant(&admin, "no spaces").await.unwrap().status(), 422);
    let res = grant(&admin, "resident").await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["attributes"][0]["source"], "admin");
    let res = app
        .client
        .post(app.url(&format!("/api/v1/admin/accounts/{}/attributes", uuid::Uuid::now_v7())))
        .bearer_auth(&admin)
        .json(&json!({ "name": "resident" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    let res = app
        .client
        .delete(app.url(&format!("/api/v1/admin/accounts/{ana_id}/attributes/resident")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(me(&app, &ana).await["attributes"].as_array().unwrap().is_empty());

    let list: Value = app
        .client
        .get(app.url("/api/v1/admin/accounts?email=ana"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let res = app.client.get(app.url("/api/v1/admin/accounts")).bearer_auth(&ana).send().await.unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn profile_edits_are_validated() {
    let app = TestApp::spawn().await;
    let ana = user_token(&app, "ana@example.org").await;
    let patch = |body: Value| app.client.patch(app.url("/api/v1/me")).bearer_auth(&ana).json(&body).send();
    let res = patch(json!({ "locale": "xx" })).await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(problem(res).await["errors"][0]["field"], "locale");
    let res = patch(json!({ "display_name": "Ana María", "locale": "es" })).await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["display_name"], "Ana María");
    assert_eq!(body["locale"], "es");
    let res = patch(json!({ "email": "other@example.org" })).await.unwrap();
    assert_eq!(res.status(), 400, "the email is not editable here");
}
