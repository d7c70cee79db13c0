//! Follows sdk/README.md's tutorial as written: the files it shows are written to a new crate
//! beside nothing else, built and tested with cargo, packed and installed with the real CLI,
//! and the poll takes votes through the API of a demo instance, then is upgraded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use convene_e2e::flows::admin_token;
use convene_e2e::{DbKind, TestApp, expect_json, problem};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The README's code blocks marked with `file=PATH`, by path.
fn tutorial_files() -> BTreeMap<String, String> {
    let readme = std::fs::read_to_string(repo().join("sdk/README.md")).unwrap();
    let mut files = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in readme.lines() {
        match &mut current {
            None => {
                if let Some(path) = line.strip_prefix("```").and_then(|info| info.split_once(" file=")).map(|(_, p)| p.trim().to_string()) {
                    current = Some((path, String::new()));
                }
            }
            Some((path, text)) => {
                if line == "```" {
                    files.insert(path.clone(), std::mem::take(text));
                    current = None;
                } else {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
    }
    files
}

fn cargo(dir: &Path, args: &[&str]) {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(dir)
        .args(args)
        // One target folder for every run, so only the first run compiles the dependencies.
        .env("CARGO_TARGET_DIR", repo().join("target/tutorial"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
}

fn check(out: std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// Builds the crate for wasm and packs it with `convene plugin pack`; returns the component.
async fn build_and_pack(app: &TestApp, krate: &Path) -> PathBuf {
    cargo(krate, &["build", "--release", "--target", "wasm32-unknown-unknown"]);
    let module = repo().join("target/tutorial/wasm32-unknown-unknown/release/quick_poll.wasm");
    let component = krate.join("quick-poll.wasm");
    check(app.cli(&["plugin", "pack", module.to_str().unwrap(), "-o", component.to_str().unwrap()]).await);
    component
}

#[tokio::test]
async fn the_sdk_tutorial_works_as_written() {
    if DbKind::from_env() == DbKind::Postgres {
        eprintln!("the tutorial is database-independent; it runs in the SQLite pass only");
        return;
    }
    let files = tutorial_files();
    for needed in ["Cargo.toml", "src/lib.rs", "tests/poll.rs", "poll-activity.json", "vote.json"] {
        assert!(files.contains_key(needed), "the tutorial no longer shows {needed}");
    }
    let work = tempfile::tempdir().unwrap();
    let krate = work.path().join("quick-poll");
    for (path, text) in &files {
        let text = text.replace("../convene/sdk", repo().join("sdk").to_str().unwrap());
        std::fs::create_dir_all(krate.join(path).parent().unwrap()).unwrap();
        std::fs::write(krate.join(path), text).unwrap();
    }
    // The same dependency versions as the project, already downloaded.
    std::fs::copy(repo().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();

    // Step 3: the native tests pass.
    cargo(&krate, &["test", "--offline"]);

    // Steps 4 and 5: build, pack, install with the hash.
    let app = TestApp::builder().arg("--demo").spawn().await;
    let component = build_and_pack(&app, &krate).await;
    let sha: String = Sha256::digest(std::fs::read(&component).unwrap()).iter().map(|b| format!("{b:02x}")).collect();
    let out = check(app.cli(&["plugin", "install", component.to_str().unwrap(), "--sha256", &sha]).await);
    assert!(out.contains("Installed org.example.quick-poll 0.1.0"), "{out}");
    assert!(check(app.cli(&["plugin", "list"]).await).contains("org.example.quick-poll"));

    // Step 6: a poll in the demo city strategy, votes through the API.
    let admin = admin_token(&app, "you@example.org").await;
    let activity: Value = serde_json::from_str(&files["poll-activity.json"]).unwrap();
    let res = app.post_json("/api/v1/processes/villaluz-ai-and-data-strategy/activities", &activity).bearer_auth(&admin).send().await.unwrap();
    let poll = expect_json(res, 201).await;
    let id = poll["id"].as_str().unwrap().to_string();
    let vote: Value = serde_json::from_str(&files["vote.json"]).unwrap();
    let contributions = format!("/api/v1/activities/{id}/contributions");
    expect_json(app.post_json(&contributions, &vote).bearer_auth(&admin).send().await.unwrap(), 201).await;
    let bad = serde_json::json!({ "kind": "vote", "body": { "option": "Moon" } });
    let res = app.post_json(&contributions, &bad).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let p = problem(res).await;
    assert_eq!(p["errors"][0], serde_json::json!({ "field": "body.option", "problem": "is not one of the poll's options" }));
    let results = expect_json(app.get(&format!("/api/v1/activities/{id}/results")).send().await.unwrap(), 200).await;
    assert_eq!(results["sections"][0]["series"][0]["values"], serde_json::json!([0.0, 1.0, 0.0]), "{results}");

    // Step 7: a new version upgrades in place; the poll keeps its votes and takes more.
    let manifest = krate.join("Cargo.toml");
    let bumped = std::fs::read_to_string(&manifest).unwrap().replace("version = \"0.1.0\"", "version = \"0.2.0\"");
    std::fs::write(&manifest, bumped).unwrap();
    let component = build_and_pack(&app, &krate).await;
    let out = check(app.cli(&["plugin", "upgrade", component.to_str().unwrap()]).await);
    assert!(out.contains("Upgraded org.example.quick-poll to 0.2.0"), "{out}");
    expect_json(app.post_json(&contributions, &vote).bearer_auth(&admin).send().await.unwrap(), 201).await;
    let results = expect_json(app.get(&format!("/api/v1/activities/{id}/results")).send().await.unwrap(), 200).await;
    assert_eq!(results["sections"][0]["series"][0]["values"], serde_json::json!([0.0, 2.0, 0.0]));
}
