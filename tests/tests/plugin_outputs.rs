//! What a plugin hands back is bounded and kept honestly (issue 11, findings 3 and 4): a
//! normalised body is held to the limits of the bodies people send and is stored only if it
//! reads back equal; results have a size limit; and results are computed once per change of
//! the activity, whoever asks and however often, then served from the kept copy that says
//! when it was computed.

use std::time::{Duration, Instant};

use convene_e2e::flows::{add_activity, admin_token, contribute, install_component, published_process, user_token};
use convene_e2e::{TestApp, expect_json, problem};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

/// How long a test waits for the job queue to recompute results.
const JOB_WAIT: Duration = Duration::from_secs(20);

/// An app with the hostile plugin installed, a published process `outputs`, an admin and a
/// participant.
async fn under_attack(builder: convene_e2e::TestAppBuilder) -> (TestApp, String, String) {
    let app = builder.with_metrics().spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    install_component(&app, &admin, "hostile").await;
    published_process(&app, &admin, "outputs").await;
    let ana = user_token(&app, "ana@example.org").await;
    (app, admin, ana)
}

async fn hostile(app: &TestApp, admin: &str, attack: &str) -> String {
    let body = json!({ "type": "test.hostile", "title": { "en": attack }, "config": { "attack": attack } });
    add_activity(app, admin, "outputs", &body).await["id"].as_str().unwrap().to_string()
}

/// Waits until the job worker has told every activity's plugin that it opened: a change of
/// the activity, after which results are computed again.
async fn opened(app: &TestApp) {
    let db = Database::connect(app.db.url()).await.unwrap();
    let sql = "SELECT (SELECT COUNT(*) FROM activities WHERE announced_state IS NULL) \
               + (SELECT COUNT(*) FROM jobs WHERE kind = 'phase_change' AND status <> 'done') AS pending";
    let started = Instant::now();
    loop {
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
        if row.try_get::<i64>("", "pending").unwrap() == 0 {
            return;
        }
        assert!(started.elapsed() < JOB_WAIT, "the activities were not told they opened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn nested(levels: usize) -> Value {
    (0..levels).fold(json!(1), |inner, _| json!([inner]))
}

async fn contributions(app: &TestApp, activity: &str) -> Vec<Value> {
    let page = expect_json(app.get(&format!("/api/v1/activities/{activity}/contributions")).send().await.unwrap(), 200).await;
    page["items"].as_array().unwrap().clone()
}

async fn results(app: &TestApp, activity: &str) -> reqwest::Response {
    app.get(&format!("/api/v1/activities/{activity}/results")).send().await.unwrap()
}

/// How many times the hostile plugin's `compute-results` ran on this server, by /metrics.
async fn computed(app: &TestApp) -> u64 {
    let metrics = app.metrics().await;
    metrics
        .lines()
        .filter(|l| l.starts_with("convene_plugin_calls_total{") && l.contains(r#"plugin="test.hostile""#) && l.contains(r#"export="compute-results""#))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap() as u64)
        .sum()
}

/// The text of a `tally` or `clock` activity's only section.
fn text_of(results: &Value) -> &str {
    results["sections"][0]["body"]["en"].as_str().unwrap_or_else(|| panic!("no text section: {results}"))
}

#[tokio::test]
async fn a_plugin_cannot_store_a_body_the_api_would_refuse_or_could_not_read_back() {
    let (app, admin, ana) = under_attack(TestApp::builder()).await;
    let tiny = json!({ "kind": "x", "body": {} });
    for (attack, why) in [
        ("grow-body", "the accepted body is 65537 bytes; the limit is 65536"),
        ("nest-65", "more than 64 levels deep"),
        ("nest-200", "more than 64 levels deep"),
        ("nest-1000", "more than 64 levels deep"),
    ] {
        let id = hostile(&app, &admin, attack).await;
        let res = contribute(&app, &ana, &id, &tiny).await;
        assert_eq!(res.status(), 502, "{attack}");
        let p = problem(res).await;
        assert_eq!(p["plugin"], json!({ "id": "test.hostile", "failure": "malformed" }), "{attack}: {p}");
        let detail = p["detail"].as_str().unwrap();
        assert!(detail.contains("test.hostile") && detail.contains(why), "{attack}: {detail}");
        assert!(contributions(&app, &id).await.is_empty(), "{attack}: nothing is stored");
    }

    // At the limit it is stored, and reads back equal wherever it is read.
    let id = hostile(&app, &admin, "nest-64").await;
    let created = expect_json(contribute(&app, &ana, &id, &tiny).await, 201).await;
    assert_eq!(created["body"], nested(64));
    let one = expect_json(app.get(&format!("/api/v1/contributions/{}", created["id"].as_str().unwrap())).send().await.unwrap(), 200).await;
    assert_eq!(one["body"], nested(64));
    assert_eq!(contributions(&app, &id).await[0]["body"], nested(64));

    // People are held to the same rule: a clear 422 naming the body, not a null later.
    let deep = json!({ "kind": "x", "body": { "deep": nested(100) } });
    let res = contribute(&app, &ana, &id, &deep).await;
    assert_eq!(res.status(), 422);
    let p = problem(res).await;
    assert_eq!(p["errors"][0]["field"], "body", "{p}");
    assert!(p["errors"][0]["problem"].as_str().unwrap().contains("more than 64 levels deep"), "{p}");
    let deep = json!({ "type": "test.hostile", "title": { "en": "Deep" }, "config": { "attack": "none", "deep": nested(100) } });
    let res = app.post_json("/api/v1/processes/outputs/activities", &deep).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(problem(res).await["errors"][0]["field"], "config");

    let metrics = app.metrics().await;
    assert!(
        metrics.lines().any(|l| l.starts_with("convene_plugin_failures_total") && l.contains(r#"plugin="test.hostile""#) && l.contains(r#"kind="malformed""#)),
        "counted against the plugin:\n{metrics}"
    );
}

#[tokio::test]
async fn results_over_the_limit_are_the_plugins_failure_kept_until_the_activity_changes() {
    let (app, admin, ana) = under_attack(TestApp::builder()).await;
    let huge = hostile(&app, &admin, "huge-results").await;
    opened(&app).await;
    for _ in 0..3 {
        let res = results(&app, &huge).await;
        assert_eq!(res.status(), 502);
        let p = problem(res).await;
        assert_eq!(p["plugin"], json!({ "id": "test.hostile", "failure": "malformed" }), "{p}");
        assert!(p["detail"].as_str().unwrap().contains("the limit is 1048576"), "{p}");
    }
    assert_eq!(computed(&app).await, 1, "a failure is kept like results: 10 MiB are not made again on every view");
    // A failure counts as slow: after a change it is tried again in the job queue, and
    // served meanwhile.
    expect_json(contribute(&app, &ana, &huge, &json!({ "kind": "x", "body": {} })).await, 201).await;
    assert_eq!(results(&app, &huge).await.status(), 502);
    let started = Instant::now();
    while computed(&app).await < 2 {
        assert!(started.elapsed() < JOB_WAIT, "not tried again after the activity changed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(results(&app, &huge).await.status(), 502);
    assert_eq!(computed(&app).await, 2, "tried again once the activity changed, and only once");

    // Results are typed sections: text that looks nested is served as the text it is.
    let deep = hostile(&app, &admin, "deep-results").await;
    let served = expect_json(results(&app, &deep).await, 200).await;
    assert_eq!(text_of(&served), nested(1000).to_string());
}

#[tokio::test]
async fn results_are_computed_once_per_change_however_many_ask_at_once() {
    let builder = TestApp::builder().env("CONVENE_RESULTS__BACKGROUND_FUEL", "1000000000000");
    let (mut app, admin, ana) = under_attack(builder).await;
    let id = hostile(&app, &admin, "tally").await;
    opened(&app).await;

    let first = expect_json(results(&app, &id).await, 200).await;
    assert_eq!(text_of(&first), "0 contributions");
    assert_eq!((first["recomputing"].clone(), first["expires_at"].clone()), (json!(false), Value::Null), "{first}");
    let computed_at = first["computed_at"].as_str().expect("computed_at is given").to_string();
    chrono::DateTime::parse_from_rfc3339(&computed_at).expect("an RFC 3339 time");
    let again = expect_json(results(&app, &id).await, 200).await;
    assert_eq!((again["computed_at"].as_str(), again["revision"].clone()), (Some(computed_at.as_str()), first["revision"].clone()));
    assert_eq!(computed(&app).await, 1, "the second view is served from the kept copy");

    // One change, then 50 people at once: one computation, and everyone sees the change.
    let made = expect_json(contribute(&app, &ana, &id, &json!({ "kind": "x", "body": {} })).await, 201).await;
    let views = futures::future::join_all((0..50).map(|_| async { expect_json(results(&app, &id).await, 200).await })).await;
    for view in &views {
        assert_eq!(text_of(view), "1 contributions", "{view}");
        assert_eq!(view["computed_at"], views[0]["computed_at"]);
        assert!(view["revision"].as_i64() > first["revision"].as_i64(), "{view}");
    }
    assert_eq!(computed(&app).await, 2, "50 concurrent views after one change ran compute-results once");
    let as_author = app.get(&format!("/api/v1/activities/{id}/results")).bearer_auth(&ana).send().await.unwrap();
    assert_eq!(expect_json(as_author, 200).await, views[0], "the same copy for every viewer: the plugin is not told who asks");

    // Every change that alters results is a change: moderation hides the contribution.
    let hide = app.post_json(&format!("/api/v1/contributions/{}/hide", made["id"].as_str().unwrap()), &json!({ "reason": "Off topic." }));
    expect_json(hide.bearer_auth(&admin).send().await.unwrap(), 200).await;
    assert_eq!(text_of(&expect_json(results(&app, &id).await, 200).await), "0 contributions");

    // The copy is kept in the database: a restarted server serves it without the plugin.
    app.restart().await;
    let kept = expect_json(results(&app, &id).await, 200).await;
    assert_eq!(text_of(&kept), "0 contributions");
    assert_eq!(computed(&app).await, 0, "served from the copy kept across the restart");
}

#[tokio::test]
async fn slow_results_are_recomputed_in_the_job_queue_while_the_previous_copy_is_served() {
    // Every computation counts as slow.
    let (app, admin, ana) = under_attack(TestApp::builder().env("CONVENE_RESULTS__BACKGROUND_FUEL", "0")).await;
    let id = hostile(&app, &admin, "tally").await;
    opened(&app).await;
    let first = expect_json(results(&app, &id).await, 200).await;
    assert_eq!((text_of(&first), first["recomputing"].as_bool()), ("0 contributions", Some(false)), "nothing to serve instead: computed now");

    expect_json(contribute(&app, &ana, &id, &json!({ "kind": "x", "body": {} })).await, 201).await;
    let previous = expect_json(results(&app, &id).await, 200).await;
    assert_eq!((text_of(&previous), previous["recomputing"].as_bool()), ("0 contributions", Some(true)), "{previous}");
    assert_eq!((previous["revision"].clone(), previous["computed_at"].clone()), (first["revision"].clone(), first["computed_at"].clone()));

    let started = Instant::now();
    let fresh = loop {
        let view = expect_json(results(&app, &id).await, 200).await;
        if view["recomputing"] == json!(false) {
            break view;
        }
        assert!(started.elapsed() < JOB_WAIT, "the job queue did not recompute the results: {view}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(text_of(&fresh), "1 contributions");
    assert!(fresh["revision"].as_i64() > first["revision"].as_i64());
    assert_eq!(computed(&app).await, 2, "once inline, once in the job queue, however often it was asked meanwhile");
}

#[tokio::test]
async fn results_that_read_the_clock_expire_and_say_when() {
    let (app, admin, _) = under_attack(TestApp::builder().env("CONVENE_RESULTS__CLOCK_MAX_AGE_SECONDS", "1")).await;
    let id = hostile(&app, &admin, "clock").await;
    opened(&app).await;
    let first = expect_json(results(&app, &id).await, 200).await;
    let computed_at = chrono::DateTime::parse_from_rfc3339(first["computed_at"].as_str().unwrap()).unwrap();
    let expires_at = chrono::DateTime::parse_from_rfc3339(first["expires_at"].as_str().expect("results that read the clock expire")).unwrap();
    assert_eq!(expires_at - computed_at, chrono::Duration::seconds(1));
    assert_eq!(chrono::DateTime::parse_from_rfc3339(text_of(&first)).unwrap(), computed_at, "the plugin's time is computed_at");
    assert_eq!(expect_json(results(&app, &id).await, 200).await["computed_at"], first["computed_at"], "kept while young");
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let later = expect_json(results(&app, &id).await, 200).await;
    assert_ne!(later["computed_at"], first["computed_at"], "computed again once expired");
    assert_eq!(computed(&app).await, 2);
}

#[tokio::test]
async fn two_servers_on_one_database_compute_results_once() {
    let (app, admin, _) = under_attack(TestApp::builder().env("CONVENE_RESULTS__BACKGROUND_FUEL", "1000000000000")).await;
    let id = hostile(&app, &admin, "tally").await;
    opened(&app).await;
    let replica = TestApp::builder()
        .env("CONVENE_DATABASE_URL", app.env()["CONVENE_DATABASE_URL"].clone())
        .env("CONVENE_RESULTS__BACKGROUND_FUEL", "1000000000000")
        .with_metrics()
        .spawn()
        .await;
    let views = futures::future::join_all((0..40).map(|i| {
        let server = if i % 2 == 0 { &app } else { &replica };
        let id = id.clone();
        async move { expect_json(results(server, &id).await, 200).await }
    }))
    .await;
    assert!(views.iter().all(|v| text_of(v) == "0 contributions" && v["computed_at"] == views[0]["computed_at"]), "{views:?}");
    assert_eq!(computed(&app).await + computed(&replica).await, 1, "one server computed, the other waited for its copy");
}
