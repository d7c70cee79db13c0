//! Budgets on everything a plugin can make the host do (issue 11, findings 1, 2, 7 and 9),
//! proven with the hostile plugin installed like any third-party one: host reads are drawn
//! from the call's budget and stopped with an error that names the budget; computation is
//! bounded by fuel, host calls included; a plugin's invalid arguments are its own error; the
//! key-value quota counts every entry; one type cannot take every plugin slot. Meanwhile the
//! server keeps answering everyone else.

use std::time::{Duration, Instant};

use convene_e2e::flows::{add_activity, admin_token, contribute, install_component, published_process};
use convene_e2e::{TestApp, TestAppBuilder, problem};
use serde_json::{Value, json};

fn hostile(attack: &str) -> Value {
    json!({ "type": "test.hostile", "title": { "en": format!("Hostile: {attack}") },
            "config": { "attack": attack, "during": "validate-contribution" } })
}

/// A server where one person may contribute as often as a test needs.
fn server() -> TestAppBuilder {
    TestApp::builder().env("CONVENE_LIMITS__CONTRIBUTIONS_PER_ACCOUNT", "off")
}

/// An admin's token, the hostile plugin installed, and a published process `p`.
async fn ready(app: &TestApp) -> String {
    let admin = admin_token(app, "admin@example.org").await;
    install_component(app, &admin, "hostile").await;
    published_process(app, &admin, "budgets").await;
    admin
}

async fn attack(app: &TestApp, token: &str, activity: &Value, body: &Value) -> (u16, Value) {
    let res = contribute(app, token, activity["id"].as_str().unwrap(), body).await;
    let status = res.status().as_u16();
    (status, if status == 201 { res.json().await.unwrap() } else { problem(res).await })
}

/// Finding 1: one call reading an activity of large contributions again and again used to
/// load gigabytes, exhaust the database pool and make unrelated requests fail. Now each
/// call stops at its budget of bytes read, and plugin reads never take more than half the
/// pool.
#[tokio::test]
async fn reading_an_activity_again_and_again_stops_at_the_calls_budget_and_starves_nobody() {
    let app = server().env("CONVENE_PLUGINS__INTERACTIVE__READ_MIB", "8").env("CONVENE_DATABASE__MAX_CONNECTIONS", "4").spawn().await;
    let admin = ready(&app).await;
    let reread = add_activity(&app, &admin, "budgets", &hostile("reread")).await;
    // 40 contributions of 60 kB: 2.4 MB per pass over the activity.
    for _ in 0..40 {
        let (status, body) = attack(&app, &admin, &reread, &json!({ "kind": "x", "body": { "pad": 60_000 } })).await;
        assert_eq!(status, 201, "{body}");
    }
    let empty = json!({ "kind": "x", "body": {} });
    let attacks = (0..6).map(|_| attack(&app, &admin, &reread, &empty));
    let others = async {
        let mut answered = Vec::new();
        for _ in 0..20 {
            answered.push(app.get("/api/v1/processes").send().await.unwrap().status().as_u16());
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        answered
    };
    let (results, answered) = tokio::join!(futures::future::join_all(attacks), others);
    for (status, p) in results {
        assert_eq!(status, 502, "{p}");
        assert_eq!(p["plugin"], json!({ "id": "test.hostile", "failure": "over_budget" }), "{p}");
        assert!(p["detail"].as_str().unwrap().contains("bytes read"), "the error names the budget: {p}");
    }
    assert!(answered.iter().all(|s| *s == 200), "others were refused meanwhile: {answered:?}");
    let peak = app.server_peak_rss_kib().unwrap();
    assert!(peak < 400 << 10, "the server peaked at {} MiB", peak >> 10);
}

/// Findings 2 and 7: computation is bounded by fuel, deterministically, and host calls cost
/// fuel too; a cursor the host never gave out is the plugin's error (502 naming it), not
/// the server's (it was a 500 with a backtrace).
#[tokio::test]
async fn fuel_bounds_computation_and_host_calls_and_bad_arguments_are_the_plugins_fault() {
    let app = server().env("CONVENE_PLUGINS__INTERACTIVE__FUEL", "50000000").with_metrics().spawn().await;
    let admin = ready(&app).await;
    for (how, failure) in [("loop", "out_of_fuel"), ("host-spin", "out_of_fuel"), ("bad-cursor", "malformed")] {
        let activity = add_activity(&app, &admin, "budgets", &hostile(how)).await;
        let started = Instant::now();
        let (status, p) = attack(&app, &admin, &activity, &json!({ "kind": "x", "body": {} })).await;
        assert_eq!(status, 502, "{how}: {p}");
        assert_eq!(p["plugin"], json!({ "id": "test.hostile", "failure": failure }), "{how}: {p}");
        // The failure kind shows that fuel stopped it; this bound only catches a hang.
        assert!(started.elapsed() < Duration::from_secs(5), "{how} took {:?}", started.elapsed());
        if how == "bad-cursor" {
            assert!(p["detail"].as_str().unwrap().contains("not a cursor this host gave out"), "{p}");
        } else {
            assert!(p["detail"].as_str().unwrap().contains("50000000"), "the error says how much fuel a call has: {p}");
        }
    }
    let metrics = app.metrics().await;
    assert!(metrics.lines().any(|l| l.starts_with("convene_plugin_failures_total") && l.contains("test.hostile") && l.contains("kind=\"malformed\"")), "{metrics}");
    assert!(!metrics.lines().any(|l| l.starts_with("convene_plugin_failures_total") && l.contains("kind=\"host\"")), "{metrics}");
    assert!(metrics.contains("convene_plugin_call_fuel"), "fuel is measured: {metrics}");
}

/// Stores empty values, 100 per contribution, until the plugin is refused; returns how many
/// it stored in all.
async fn store_empty_values_until_refused(app: &TestApp, admin: &str) -> usize {
    let dust = add_activity(app, admin, "budgets", &hostile("kv-dust")).await;
    let mut stored = 0;
    for _ in 0..200 {
        let (status, c) = attack(app, admin, &dust, &json!({ "kind": "x", "body": {} })).await;
        assert_eq!(status, 201, "{c}");
        let said = c["body"].as_str().unwrap();
        if let Some(n) = said.strip_prefix("refused after ").and_then(|s| s.strip_suffix(" empty values")) {
            return stored + n.parse::<usize>().unwrap();
        }
        stored += 100;
    }
    panic!("never refused after {stored} values");
}

/// Finding 9: 164,316 empty values once took 11x the quota, and each write summed every
/// entry. Each entry now costs a fixed overhead, their number is capped, and the usage is a
/// running total kept with the activity.
#[tokio::test]
async fn the_key_value_quota_counts_each_entry_and_caps_their_number() {
    // 64 KiB: with 64 bytes of overhead and a key of about 37 bytes, some 650 entries.
    let app = server().env("CONVENE_PLUGINS__KV_QUOTA_KIB", "64").spawn().await;
    let admin = ready(&app).await;
    let stored = store_empty_values_until_refused(&app, &admin).await;
    assert!((550..700).contains(&stored), "{stored} empty values fit in 64 KiB");
    drop(app);

    let app = server().env("CONVENE_PLUGINS__KV_MAX_ENTRIES", "1200").spawn().await;
    let admin = ready(&app).await;
    assert_eq!(store_empty_values_until_refused(&app, &admin).await, 1200);
}

/// Finding 1: a type whose calls are all slow gets only its own share of the plugin slots;
/// past it, its requests are refused (503) while other types keep working.
#[tokio::test]
async fn one_activity_type_cannot_take_every_plugin_slot() {
    let app = server()
        .env("CONVENE_PLUGINS__MAX_LIVE_INSTANCES", "3")
        .env("CONVENE_PLUGINS__MAX_CALLS_PER_TYPE", "2")
        .env("CONVENE_PLUGINS__INTERACTIVE__FUEL", "1000000000000")
        .env("CONVENE_PLUGINS__INTERACTIVE__DEADLINE_MS", "1500")
        .spawn()
        .await;
    let admin = ready(&app).await;
    // Contributions to one activity take turns anyway: six activities of the slow type.
    let mut slow = Vec::new();
    for _ in 0..6 {
        slow.push(add_activity(&app, &admin, "budgets", &hostile("loop")).await);
    }
    let consultation = json!({ "type": "org.convene.consultation", "title": { "en": "Views" },
        "config": { "questions": [ { "id": "q", "type": "free_text", "text": { "en": "Your view?" } } ] } });
    let honest = add_activity(&app, &admin, "budgets", &consultation).await;

    let empty = json!({ "kind": "x", "body": {} });
    let attacks = futures::future::join_all(slow.iter().map(|activity| attack(&app, &admin, activity, &empty)));
    let meanwhile = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let started = Instant::now();
        let (status, c) = attack(&app, &admin, &honest, &json!({ "kind": "response", "body": { "answers": { "q": "fine" } } })).await;
        (status, c, started.elapsed())
    };
    let (results, (status, c, took)) = tokio::join!(attacks, meanwhile);
    assert_eq!(status, 201, "{c}");
    assert!(took < Duration::from_millis(1000), "the honest type waited {took:?}");
    let busy = results.iter().filter(|(s, _)| *s == 503).count();
    for (s, p) in &results {
        assert!(*s == 502 || *s == 503, "{s}: {p}");
        if *s == 503 {
            assert!(p["detail"].as_str().unwrap().contains("test.hostile"), "{p}");
        }
    }
    // Two run, two more may get a turn as they end, the last two would wait twice the
    // deadline: at least two are refused.
    assert!(busy >= 2, "six slow calls at once, two at a time, {busy} refused: {results:?}");
}
