//! The plugin registry (CLI and admin API) and the sandbox seen from outside: a hostile
//! plugin installed like any third-party one misbehaves in every way it can, each request
//! fails alone with a problem naming the plugin, and the server keeps answering others.

use std::time::{Duration, Instant};

use convene_e2e::flows::{add_activity, admin_token, component_path, contribute, published_process, send_component, user_token};
use convene_e2e::{TestApp, expect_json, problem};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn sha256_of(path: &std::path::Path) -> String {
    hex(&Sha256::digest(std::fs::read(path).unwrap()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn the_cli_installs_verifies_lists_disables_and_enables_plugins() {
    let app = TestApp::spawn().await;
    let list = app.cli(&["plugin", "list"]).await;
    assert!(list.status.success(), "{}", stderr(&list));
    let builtin = stdout(&list).lines().find(|l| l.starts_with("org.convene.consultation")).map(str::to_string).expect("the built-in is listed");
    assert!(builtin.contains("active") && builtin.contains("builtin") && builtin.contains("0.1.0"), "{builtin}");

    let template = component_path("template");
    let file = template.to_str().unwrap();
    let wrong = "0".repeat(64);
    let out = app.cli(&["plugin", "install", file, "--sha256", &wrong]).await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("SHA-256"), "{}", stderr(&out));
    assert!(!stdout(&app.cli(&["plugin", "list"]).await).contains("idea-box"), "a refused install stores nothing");

    let sha = sha256_of(&template);
    let out = app.cli(&["plugin", "install", file, "--sha256", &sha]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("Installed org.example.idea-box 0.1.0 (sha256 {sha}, contract 0.1.0)")), "{}", stdout(&out));
    let again = app.cli(&["plugin", "install", file]).await;
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already installed"), "{}", stderr(&again));

    let garbage = app.data_dir().join("garbage.wasm");
    std::fs::write(&garbage, b"\0asm but not really").unwrap();
    let out = app.cli(&["plugin", "install", garbage.to_str().unwrap()]).await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not a valid WebAssembly component"), "{}", stderr(&out));

    // The running server uses what the CLI installed, and honours disable/enable at once.
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "ideas").await;
    let box_ = add_activity(&app, &admin, "ideas", &json!({ "type": "org.example.idea-box", "title": { "en": "Ideas for the city" } })).await;
    let id = box_["id"].as_str().unwrap();
    let ana = user_token(&app, "ana@example.org").await;
    let idea = json!({ "kind": "idea", "body": { "title": "  More shade trees  " } });
    let res = expect_json(contribute(&app, &ana, id, &idea).await, 201).await;
    assert_eq!(res["body"]["title"], "More shade trees", "the plugin normalised the body");

    let out = app.cli(&["plugin", "disable", "org.example.idea-box"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let res = contribute(&app, &ana, id, &idea).await;
    assert_eq!(res.status(), 409);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("disabled"));
    let types = expect_json(app.get("/api/v1/activity-types").send().await.unwrap(), 200).await;
    assert!(!types.to_string().contains("idea-box"), "a disabled type is not offered: {types}");
    assert!(app.cli(&["plugin", "enable", "org.example.idea-box"]).await.status.success());
    expect_json(contribute(&app, &ana, id, &idea).await, 201).await;
}

fn hostile_activity(attack: &str) -> Value {
    json!({ "type": "test.hostile", "title": { "en": format!("Hostile: {attack}") },
            "config": { "attack": attack, "during": "validate-contribution" } })
}

async fn install(app: &TestApp, token: &str, stem: &str, method: reqwest::Method, path: &str) -> reqwest::Response {
    send_component(app, token, stem, method, path).await
}

#[tokio::test]
async fn a_hostile_plugin_costs_one_request_each_time_and_never_the_server() {
    // The budgets come from the configuration: fuel for a few hundred milliseconds of work,
    // more than the memory attacks need to reach the memory cap.
    let app = TestApp::builder().env("CONVENE_PLUGINS__INTERACTIVE__FUEL", "500000000").with_metrics().spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let ana = user_token(&app, "ana@example.org").await;

    // Only admins install, only components, only valid ones.
    let res = install(&app, &ana, "hostile", reqwest::Method::POST, "/api/v1/admin/plugins").await;
    assert_eq!(res.status(), 403);
    let res = app.client.post(app.url("/api/v1/admin/plugins")).bearer_auth(&admin).header("content-type", "text/plain").body("hi").send().await.unwrap();
    assert_eq!(res.status(), 400);
    let res = app.client.post(app.url("/api/v1/admin/plugins")).bearer_auth(&admin).header("content-type", "application/wasm").body("not wasm").send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(problem(res).await["errors"][0]["field"], "component");

    let installed = expect_json(install(&app, &admin, "hostile", reqwest::Method::POST, "/api/v1/admin/plugins").await, 201).await;
    assert_eq!(installed["type_id"], "test.hostile");
    assert_eq!(installed["status"], "active");

    published_process(&app, &admin, "under-attack").await;
    let body = json!({ "kind": "x", "body": {} });
    for (attack, failure) in [("loop", "out_of_fuel"), ("memory", "out_of_memory"), ("recursion", "trap"), ("panic", "trap"), ("huge-output", "out_of_memory"), ("big-output", "malformed")] {
        let activity = add_activity(&app, &admin, "under-attack", &hostile_activity(attack)).await;
        let id = activity["id"].as_str().unwrap().to_string();

        // Others keep being served while the attack runs.
        let (app_ref, ana_ref, body_ref) = (&app, &ana, &body);
        let attack_call = async move {
            let started = Instant::now();
            let res = contribute(app_ref, ana_ref, &id, body_ref).await;
            (res.status().as_u16(), problem(res).await, started.elapsed())
        };
        let others = async {
            let mut slowest = Duration::ZERO;
            for _ in 0..10 {
                let t = Instant::now();
                assert_eq!(app.get("/api/v1/processes/under-attack").send().await.unwrap().status(), 200);
                slowest = slowest.max(t.elapsed());
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            slowest
        };
        let ((status, p, took), slowest) = tokio::join!(attack_call, others);
        assert_eq!(status, 502, "{attack}: {p}");
        assert_eq!(p["plugin"], json!({ "id": "test.hostile", "failure": failure }), "{attack}: {p}");
        assert!(p["detail"].as_str().unwrap().contains("test.hostile"), "{p}");
        assert!(took < Duration::from_secs(2), "{attack}: the failure took {took:?}");
        assert!(slowest < Duration::from_millis(500), "{attack}: other requests slowed to {slowest:?}");
    }
    // The kv flood stops at the activity's quota, and the plugin says how far it got.
    let flood = add_activity(&app, &admin, "under-attack", &hostile_activity("kv-flood")).await;
    let res = expect_json(contribute(&app, &ana, flood["id"].as_str().unwrap(), &body).await, 201).await;
    assert!(res["body"].as_str().unwrap().starts_with("quota reached after 1"), "{res}");

    // Failures are counted per plugin and kind.
    let metrics = app.metrics().await;
    let counted = |kind: &str| {
        metrics.lines().any(|l| l.starts_with("convene_plugin_failures_total") && l.contains("plugin=\"test.hostile\"") && l.contains(&format!("kind=\"{kind}\"")))
    };
    for kind in ["out_of_fuel", "out_of_memory", "trap", "malformed"] {
        assert!(counted(kind), "no {kind} in /metrics:\n{metrics}");
    }

    // An upgrade keeps the activities (their configurations are re-checked by the new version).
    let harmless = add_activity(&app, &admin, "under-attack", &hostile_activity("none")).await;
    let up = expect_json(install(&app, &admin, "hostile-v2", reqwest::Method::PUT, "/api/v1/admin/plugins/test.hostile").await, 200).await;
    assert_eq!(up["version"], "0.0.2");
    let res = install(&app, &admin, "hostile", reqwest::Method::PUT, "/api/v1/admin/plugins/test.hostile").await;
    assert_eq!(res.status(), 409, "the old version again is refused");
    let res = install(&app, &admin, "template", reqwest::Method::PUT, "/api/v1/admin/plugins/test.hostile").await;
    assert_eq!(res.status(), 422, "another type under this id is refused");
    let versions = expect_json(app.get("/api/v1/admin/plugins").bearer_auth(&admin).send().await.unwrap(), 200).await;
    let status_of = |v: &str| versions.as_array().unwrap().iter().find(|p| p["type_id"] == "test.hostile" && p["version"] == v).map(|p| p["status"].clone());
    assert_eq!(status_of("0.0.2"), Some(json!("active")));
    assert_eq!(status_of("0.0.1"), Some(json!("superseded")));
    expect_json(contribute(&app, &ana, harmless["id"].as_str().unwrap(), &body).await, 201).await;
}

#[tokio::test]
async fn plugins_learn_a_pseudonym_and_role_never_an_identity_and_kinds_limit_who_submits() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    expect_json(install(&app, &admin, "hostile", reqwest::Method::POST, "/api/v1/admin/plugins").await, 201).await;
    published_process(&app, &admin, "who").await;
    let whoami = json!({ "type": "test.hostile", "title": { "en": "Who am I?" }, "config": { "attack": "whoami" } });
    let first = add_activity(&app, &admin, "who", &whoami).await;
    let second = add_activity(&app, &admin, "who", &whoami).await;
    let ana = user_token(&app, "ana@example.org").await;
    let x = json!({ "kind": "x", "body": {} });
    let seen = |v: Value| v["body"].clone();

    let a1 = seen(expect_json(contribute(&app, &ana, first["id"].as_str().unwrap(), &x).await, 201).await);
    let a1_again = seen(expect_json(contribute(&app, &ana, first["id"].as_str().unwrap(), &x).await, 201).await);
    let a2 = seen(expect_json(contribute(&app, &ana, second["id"].as_str().unwrap(), &x).await, 201).await);
    assert_eq!(a1["role"], "participant");
    assert_eq!(a1["channel"], "online");
    assert_eq!(a1["submitter"], a1_again["submitter"], "stable within an activity");
    assert_ne!(a1["submitter"], a2["submitter"], "unlinkable across activities");
    assert!(!a1.to_string().contains("ana"), "no identity: {a1}");
    let admin_seen = seen(expect_json(contribute(&app, &admin, first["id"].as_str().unwrap(), &x).await, 201).await);
    assert_eq!(admin_seen["role"], "organiser");
    assert_ne!(admin_seen["submitter"], a1["submitter"]);
    let mut paper = x.clone();
    paper["channel"] = json!("paper");
    let entered = seen(expect_json(contribute(&app, &admin, first["id"].as_str().unwrap(), &paper).await, 201).await);
    assert_eq!((entered["role"].as_str(), entered["channel"].as_str()), (Some("participant"), Some("paper")), "facilitated input is the person's");

    // `report` is for facilitators and organisers only; the host refuses others first.
    let report = json!({ "kind": "report", "body": {} });
    let res = contribute(&app, &ana, first["id"].as_str().unwrap(), &report).await;
    assert_eq!(res.status(), 403);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("facilitator and organiser"));
    expect_json(contribute(&app, &admin, first["id"].as_str().unwrap(), &report).await, 201).await;
    let types = expect_json(app.get("/api/v1/activity-types").send().await.unwrap(), 200).await;
    let hostile = types.as_array().unwrap().iter().find(|t| t["id"] == "test.hostile").unwrap();
    assert_eq!(hostile["contribution_kinds"][1]["submitted_by"], json!(["facilitator", "organiser"]));
}
