//! The instance administrator's pages in a real browser (issue 13, item 9): a third-party
//! plugin installed through the upload form after a WASI-importing file is refused with the
//! server's message, disabled and enabled; an account found and granted an attribute; a census
//! previewed and imported; axe on every state at 360 and 1280 px in English, Spanish and
//! French (see `tests/browser/scenarios/staff_admin.mjs`).

use convene_e2e::TestApp;
use convene_e2e::browser::run_scenario;
use convene_e2e::flows::{admin_token, component_path, sign_up};
use serde_json::json;
use sha2::{Digest, Sha256};

/// A component that imports a WASI interface (a clock), as one built for a WASI target does.
fn wasi_component() -> Vec<u8> {
    let mut resolve = wit_parser::Resolve::default();
    let pkg = resolve
        .push_str(
            "wasi.wit",
            r#"package wasi:clocks@0.2.0;
               interface wall-clock { now: func() -> u64; }
               world sneaky { import wall-clock; export describe: func() -> string; }"#,
        )
        .unwrap();
    let world = resolve.select_world(&[pkg], Some("sneaky")).unwrap();
    let mut module = wit_component::dummy_module(&resolve, world, wit_parser::ManglingAndAbi::Standard32);
    wit_component::embed_component_metadata(&mut module, &resolve, world, wit_component::StringEncoding::UTF8).unwrap();
    wit_component::ComponentEncoder::default().module(&module).unwrap().encode().unwrap()
}

#[tokio::test]
async fn an_admin_installs_a_plugin_by_upload_manages_accounts_and_imports_a_census() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    sign_up(&app, "rosa.resident@example.org", "Rosa").await;
    let plugin = component_path("template");
    let plugin_sha = hex::encode(Sha256::digest(std::fs::read(&plugin).unwrap()));
    let wasi = wasi_component();
    let wasi_path = app.data_dir().join("wasi-clock.wasm");
    std::fs::write(&wasi_path, &wasi).unwrap();
    let csv_path = app.data_dir().join("census.csv");
    std::fs::write(&csv_path, "identifier,district\n11.111.111-1,North\n22222222-2,South\n33333333-3,East\n").unwrap();
    let out = run_scenario(
        &app,
        "staff_admin",
        json!({ "adminToken": admin, "pluginPath": plugin, "pluginSha": plugin_sha, "wasiPath": wasi_path, "wasiSha": hex::encode(Sha256::digest(&wasi)),
                "csvPath": csv_path, "personEmail": "rosa.resident@example.org" }),
    )
    .await;
    assert!(out.contains(" 0 violations"), "{out}");
    // What the browser did is what the server now holds.
    let plugins: serde_json::Value = app.with_token(&admin).get("/api/v1/admin/plugins").send().await.unwrap().json().await.unwrap();
    assert!(plugins.as_array().unwrap().iter().any(|p| p["type_id"] == "org.example.idea-box" && p["status"] == "active"), "{plugins}");
}
