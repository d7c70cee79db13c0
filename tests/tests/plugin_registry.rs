//! The plugin registry against takeovers and bad components, through the admin API and the
//! CLI: the built-in `org.convene.` namespace is reserved, a type stays bound to its publisher
//! (an Ed25519 key, or `unsigned`) unless an administrator replaces it on purpose, a rollback
//! restores the version that ran before, and components that cannot run here are refused
//! with a 422 that names every problem.

use convene_e2e::flows::{add_activity, admin_token, component_path, contribute, published_process};
use convene_e2e::{TestApp, expect_json, problem};
use reqwest::Method;
use serde_json::{Value, json};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs a CLI command that must succeed; returns its stdout.
async fn cli_ok(app: &TestApp, args: &[&str]) -> String {
    let out = app.cli(args).await;
    assert!(out.status.success(), "convene {args:?} failed: {}{}", stdout(&out), stderr(&out));
    stdout(&out)
}

/// Runs a CLI command that must fail; returns its stderr.
async fn cli_err(app: &TestApp, args: &[&str]) -> String {
    let out = app.cli(args).await;
    assert!(!out.status.success(), "convene {args:?} should fail: {}", stdout(&out));
    stderr(&out)
}

fn path_of(stem: &str) -> String {
    component_path(stem).to_str().unwrap().to_string()
}

/// Sends a component to the admin API (`path` may carry a query), with a signature header.
async fn send(app: &TestApp, admin: &str, method: Method, path: &str, component: Vec<u8>, signature: Option<&str>) -> reqwest::Response {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(admin).header("content-type", "application/wasm").body(component);
    if let Some(signature) = signature {
        req = req.header("convene-signature", signature.trim());
    }
    req.send().await.unwrap()
}

fn bytes(stem: &str) -> Vec<u8> {
    std::fs::read(component_path(stem)).unwrap()
}

/// Makes a publisher key with the CLI; returns its file and the public key it printed.
async fn keygen(app: &TestApp, name: &str) -> (String, String) {
    let file = app.data_dir().join(format!("{name}.key")).to_str().unwrap().to_string();
    let out = cli_ok(app, &["plugin", "keygen", "-o", &file]).await;
    let public = out.split_whitespace().find(|w| w.starts_with("ed25519:")).expect("the public key is printed").to_string();
    (file, public)
}

/// Signs a built component with the CLI; returns the signature file and its text.
async fn sign(app: &TestApp, stem: &str, key: &str, name: &str) -> (String, String) {
    let sig = app.data_dir().join(format!("{stem}.{name}.sig")).to_str().unwrap().to_string();
    cli_ok(app, &["plugin", "sign", &path_of(stem), "--key", key, "-o", &sig]).await;
    let text = std::fs::read_to_string(&sig).unwrap();
    (sig, text)
}

async fn versions(app: &TestApp, admin: &str, type_id: &str) -> Vec<Value> {
    let all = expect_json(app.get("/api/v1/admin/plugins").bearer_auth(admin).send().await.unwrap(), 200).await;
    all.as_array().unwrap().iter().filter(|p| p["type_id"] == type_id).cloned().collect()
}

fn status_of(versions: &[Value], version: &str) -> Value {
    versions.iter().find(|p| p["version"] == version).map(|p| p["status"].clone()).unwrap_or_default()
}

/// The ledger's entries of one kind, payloads parsed.
async fn ledger_payloads(app: &TestApp, kind: &str) -> Vec<Value> {
    let ledger = expect_json(app.get("/api/v1/ledger").send().await.unwrap(), 200).await;
    ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == kind)
        .map(|e| serde_json::from_str(e["payload"].as_str().unwrap()).unwrap())
        .collect()
}

/// An activity of the hostile type that accepts every contribution as the plugin's version:
/// which version runs it is then visible from outside.
async fn version_activity(app: &TestApp, admin: &str) -> String {
    published_process(app, admin, "versions").await;
    let body = json!({ "type": "test.hostile", "title": { "en": "Which version?" }, "config": { "attack": "version" } });
    add_activity(app, admin, "versions", &body).await["id"].as_str().unwrap().to_string()
}

async fn running_version(app: &TestApp, token: &str, activity: &str) -> Value {
    expect_json(contribute(app, token, activity, &json!({ "kind": "x", "body": {} })).await, 201).await["body"].clone()
}

#[tokio::test]
async fn the_built_in_namespace_cannot_be_taken_over_by_install_or_upgrade() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let impostor = "hostile-impostor";

    // Through the API: as a new type and as an upgrade of the built-in consultation.
    for (method, path) in [(Method::POST, "/api/v1/admin/plugins"), (Method::PUT, "/api/v1/admin/plugins/org.convene.consultation")] {
        let res = send(&app, &admin, method.clone(), path, bytes(impostor), None).await;
        assert_eq!(res.status(), 422, "{method} {path}");
        let p = problem(res).await;
        assert_eq!(p["errors"][0]["field"], "component", "{p}");
        let detail = p["errors"][0]["problem"].as_str().unwrap();
        assert!(detail.contains("org.convene.consultation") && detail.contains("reserved"), "{detail}");
    }
    // Through the CLI, even with --replace-publisher.
    for args in [vec!["plugin", "install"], vec!["plugin", "upgrade"], vec!["plugin", "upgrade", "--replace-publisher"]] {
        let file = path_of(impostor);
        let err = cli_err(&app, &[args.as_slice(), &[file.as_str()]].concat()).await;
        assert!(err.contains("reserved for the types built into Convene"), "{args:?}: {err}");
    }

    // The built-in is still the only consultation, and organisers still get it.
    let consultations = versions(&app, &admin, "org.convene.consultation").await;
    assert_eq!(consultations.len(), 1, "{consultations:?}");
    assert_eq!(consultations[0]["source"], "builtin");
    assert_eq!(consultations[0]["publisher"], "builtin");
    assert_eq!(consultations[0]["status"], "active");
    let types = expect_json(app.get("/api/v1/activity-types").send().await.unwrap(), 200).await;
    assert!(!types.to_string().contains("99.0.0"), "{types}");
}

#[tokio::test]
async fn a_built_in_type_taken_over_before_the_namespace_was_reserved_is_taken_back_at_start() {
    use sea_orm::{ConnectionTrait, Database};
    let mut app = TestApp::spawn().await;
    // The state an earlier release left after `plugin upgrade` of an impostor: the current
    // consultation is an installed 99.0.0, which every later built-in release stayed behind.
    let db = Database::connect(app.env()["CONVENE_DATABASE_URL"].as_str()).await.unwrap();
    let zeros = "0".repeat(64);
    db.execute_unprepared(&format!(
        "UPDATE plugins SET source = 'installed', publisher = 'unsigned', version = '99.0.0', sha256 = '{zeros}' WHERE type_id = 'org.convene.consultation'"
    ))
    .await
    .unwrap();
    app.restart().await;

    let admin = admin_token(&app, "admin@example.org").await;
    let consultations = versions(&app, &admin, "org.convene.consultation").await;
    let active: Vec<_> = consultations.iter().filter(|p| p["status"] == "active").collect();
    assert_eq!(active.len(), 1, "{consultations:?}");
    assert_eq!((active[0]["source"].as_str(), active[0]["version"].as_str()), (Some("builtin"), Some("0.1.0")));
    assert_eq!(status_of(&consultations, "99.0.0"), "superseded");
    let changes = ledger_payloads(&app, "plugin.publisher_replaced").await;
    assert_eq!(changes, [json!({ "type": "org.convene.consultation", "version": "0.1.0", "previous_publisher": "unsigned", "publisher": "builtin" })]);
    assert!(app.logs().contains("the built-in takes it back"), "a warning says so");
}

#[tokio::test]
async fn an_upgrade_from_another_publisher_needs_replace_publisher_and_a_rollback_undoes_it() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let (alice_key, alice) = keygen(&app, "alice").await;
    let (_, alice_v2) = sign(&app, "hostile-v2", &alice_key, "alice").await;

    // Installed unsigned: bound to `unsigned`, and the answer says so.
    let installed = expect_json(send(&app, &admin, Method::POST, "/api/v1/admin/plugins", bytes("hostile"), None).await, 201).await;
    assert_eq!(installed["publisher"], "unsigned");
    assert!(installed["warning"].as_str().unwrap().contains("unsigned"), "{installed}");
    let activity = version_activity(&app, &admin).await;
    assert_eq!(running_version(&app, &admin, &activity).await, "0.0.1");

    // A signed upgrade is another publisher than `unsigned`: refused without the parameter.
    let res = send(&app, &admin, Method::PUT, "/api/v1/admin/plugins/test.hostile", bytes("hostile-v2"), Some(&alice_v2)).await;
    assert_eq!(res.status(), 409);
    let p = problem(res).await;
    assert_eq!(p["errors"][0]["field"], "publisher", "{p}");
    let why = p["errors"][0]["problem"].as_str().unwrap();
    assert!(why.contains("bound to publisher unsigned") && why.contains(&alice) && why.contains("replace_publisher=true"), "{why}");
    assert_eq!(running_version(&app, &admin, &activity).await, "0.0.1", "nothing changed");

    // With it: accepted, the answer warns what it did, the ledger records the change.
    let path = "/api/v1/admin/plugins/test.hostile?replace_publisher=true";
    let upgraded = expect_json(send(&app, &admin, Method::PUT, path, bytes("hostile-v2"), Some(&alice_v2)).await, 200).await;
    assert_eq!(upgraded["version"], "0.0.2");
    assert_eq!(upgraded["publisher"], alice.as_str());
    let warning = upgraded["warning"].as_str().unwrap();
    assert!(warning.contains("publisher replaced") && warning.contains("notify their participants"), "{warning}");
    assert_eq!(running_version(&app, &admin, &activity).await, "0.0.2");
    let changes = ledger_payloads(&app, "plugin.publisher_replaced").await;
    assert_eq!(changes, [json!({ "type": "test.hostile", "version": "0.0.2", "previous_publisher": "unsigned", "publisher": alice })]);
    let upgrades = ledger_payloads(&app, "plugin.upgraded").await;
    assert_eq!(upgrades[0]["publisher"], alice.as_str());

    // The rollback (admin API) restores 0.0.1 and its publisher; the activity runs it at once.
    let res = app.client.post(app.url("/api/v1/admin/plugins/test.hostile/rollback")).bearer_auth(&admin).send().await.unwrap();
    let restored = expect_json(res, 200).await;
    assert_eq!((restored["version"].as_str(), restored["publisher"].as_str()), (Some("0.0.1"), Some("unsigned")));
    assert!(restored["warning"].as_str().unwrap().contains("changed the publisher"), "{restored}");
    assert_eq!(running_version(&app, &admin, &activity).await, "0.0.1");
    let all = versions(&app, &admin, "test.hostile").await;
    assert_eq!((status_of(&all, "0.0.1"), status_of(&all, "0.0.2")), (json!("active"), json!("rolled_back")));
    let rollbacks = ledger_payloads(&app, "plugin.rolled_back").await;
    assert_eq!(rollbacks.len(), 1);
    assert_eq!((rollbacks[0]["from_version"].as_str(), rollbacks[0]["version"].as_str()), (Some("0.0.2"), Some("0.0.1")));
    assert_eq!(ledger_payloads(&app, "plugin.publisher_replaced").await.len(), 2, "the way back is recorded too");

    // Nothing earlier: a clear 409; an unknown type: 404; not an admin: 403.
    let res = app.client.post(app.url("/api/v1/admin/plugins/test.hostile/rollback")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 409);
    assert!(problem(res).await["errors"][0]["problem"].as_str().unwrap().contains("no earlier version"));
    let res = app.client.post(app.url("/api/v1/admin/plugins/org.example.nothing/rollback")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let ana = convene_e2e::flows::user_token(&app, "ana@example.org").await;
    let res = app.client.post(app.url("/api/v1/admin/plugins/test.hostile/rollback")).bearer_auth(&ana).send().await.unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_signed_type_takes_upgrades_from_its_key_only_and_the_cli_can_replace_and_roll_back() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let (alice_key, alice) = keygen(&app, "alice").await;
    let (mallory_key, mallory) = keygen(&app, "mallory").await;
    assert_ne!(alice, mallory);
    let (alice_v1_file, _) = sign(&app, "hostile", &alice_key, "alice").await;
    let (_, alice_v2) = sign(&app, "hostile-v2", &alice_key, "alice").await;
    let (mallory_v2_file, _) = sign(&app, "hostile-v2", &mallory_key, "mallory").await;

    // keygen never overwrites a key.
    let err = cli_err(&app, &["plugin", "keygen", "-o", &alice_key]).await;
    assert!(err.contains("never overwritten"), "{err}");

    // A signature must sign the very file: alice's signature of v2 does not sign v1.
    let res = send(&app, &admin, Method::POST, "/api/v1/admin/plugins", bytes("hostile"), Some(&alice_v2)).await;
    assert_eq!(res.status(), 422);
    let p = problem(res).await;
    assert_eq!(p["errors"][0]["field"], "signature", "{p}");
    let res = send(&app, &admin, Method::POST, "/api/v1/admin/plugins", bytes("hostile"), Some("ed25519:not-a-signature")).await;
    assert_eq!(res.status(), 400);

    // Installed signed with the CLI: bound to alice's key, no warning.
    let out = cli_ok(&app, &["plugin", "install", &path_of("hostile"), "--signature", &alice_v1_file]).await;
    assert!(out.contains(&format!("Publisher: {alice}.")) && !out.contains("Warning"), "{out}");
    assert!(cli_ok(&app, &["plugin", "list"]).await.lines().any(|l| l.starts_with("test.hostile") && l.contains(&alice)));
    let activity = version_activity(&app, &admin).await;

    // Mallory's key, or no signature: refused, through the CLI and the API.
    let err = cli_err(&app, &["plugin", "upgrade", &path_of("hostile-v2"), "--signature", &mallory_v2_file]).await;
    assert!(err.contains(&format!("bound to publisher {alice}")) && err.contains(&format!("signed by {mallory}")) && err.contains("--replace-publisher"), "{err}");
    let res = send(&app, &admin, Method::PUT, "/api/v1/admin/plugins/test.hostile", bytes("hostile-v2"), None).await;
    assert_eq!(res.status(), 409);
    assert!(problem(res).await["errors"][0]["problem"].as_str().unwrap().contains("this component is unsigned"));
    assert_eq!(running_version(&app, &admin, &activity).await, "0.0.1");
    assert!(ledger_payloads(&app, "plugin.publisher_replaced").await.is_empty());

    // --replace-publisher: accepted, with a warning that says what it did.
    let out = cli_ok(&app, &["plugin", "upgrade", &path_of("hostile-v2"), "--signature", &mallory_v2_file, "--replace-publisher"]).await;
    assert!(out.contains("Upgraded test.hostile to 0.0.2") && out.contains(&format!("Publisher: {mallory}.")), "{out}");
    assert!(out.contains(&format!("Warning: publisher replaced: activity type test.hostile was bound to {alice} and is now bound to {mallory}")), "{out}");
    assert!(out.contains("convene plugin rollback test.hostile"), "{out}");
    assert_eq!(running_version(&app, &admin, &activity).await, "0.0.2");
    let changes = ledger_payloads(&app, "plugin.publisher_replaced").await;
    assert_eq!(changes[0]["previous_publisher"], alice.as_str());
    assert_eq!(changes[0]["publisher"], mallory.as_str());

    // `convene plugin rollback`: back to alice's 0.0.1, which the activity runs again.
    let out = cli_ok(&app, &["plugin", "rollback", "test.hostile"]).await;
    assert!(out.contains("Rolled test.hostile back to 0.0.1") && out.contains(&format!("publisher {alice}")), "{out}");
    assert_eq!(running_version(&app, &admin, &activity).await, "0.0.1");
    let all = versions(&app, &admin, "test.hostile").await;
    assert_eq!(status_of(&all, "0.0.2"), "rolled_back");
    assert_eq!(ledger_payloads(&app, "plugin.rolled_back").await.len(), 1);
    let err = cli_err(&app, &["plugin", "rollback", "test.hostile"]).await;
    assert!(err.contains("no earlier version"), "{err}");
}

#[tokio::test]
async fn the_same_key_upgrades_without_any_flag() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let (key, alice) = keygen(&app, "alice").await;
    let (_, v1) = sign(&app, "hostile", &key, "alice").await;
    let (_, v2) = sign(&app, "hostile-v2", &key, "alice").await;
    let installed = expect_json(send(&app, &admin, Method::POST, "/api/v1/admin/plugins", bytes("hostile"), Some(&v1)).await, 201).await;
    assert_eq!(installed["publisher"], alice.as_str());
    assert!(installed.get("warning").is_none(), "{installed}");
    let upgraded = expect_json(send(&app, &admin, Method::PUT, "/api/v1/admin/plugins/test.hostile", bytes("hostile-v2"), Some(&v2)).await, 200).await;
    assert_eq!((upgraded["version"].as_str(), upgraded["publisher"].as_str()), (Some("0.0.2"), Some(alice.as_str())));
    assert!(upgraded.get("warning").is_none(), "{upgraded}");
    assert!(ledger_payloads(&app, "plugin.publisher_replaced").await.is_empty());
}

/// A component for the world `world` of `wit` (its exports trap: these components are refused
/// before anything runs), its memory starting at `memory_pages` 64 KiB pages if given.
fn component(wit: &str, world: &str, memory_pages: Option<u32>) -> Vec<u8> {
    let mut resolve = wit_parser::Resolve::default();
    let pkg = resolve.push_str("test.wit", wit).unwrap();
    let world = resolve.select_world(&[pkg], Some(world)).unwrap();
    let mut module = wit_component::dummy_module(&resolve, world, wit_parser::ManglingAndAbi::Standard32);
    if let Some(pages) = memory_pages {
        module = with_memory_minimum(&module, pages);
    }
    wit_component::embed_component_metadata(&mut module, &resolve, world, wit_component::StringEncoding::UTF8).unwrap();
    wit_component::ComponentEncoder::default().module(&module).unwrap().encode().unwrap()
}

/// The core module with its one memory's minimum set to `pages`: the memory section is
/// rewritten, every other section copied as it is.
fn with_memory_minimum(module: &[u8], pages: u32) -> Vec<u8> {
    fn read_leb(bytes: &[u8]) -> (usize, usize) {
        let (mut value, mut shift, mut used) = (0usize, 0, 0);
        for b in bytes {
            value |= ((b & 0x7f) as usize) << shift;
            used += 1;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        (value, used)
    }
    fn push_leb(out: &mut Vec<u8>, mut value: usize) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
    const MEMORY_SECTION: u8 = 5;
    let mut out = module[..8].to_vec();
    let mut at = 8;
    while at < module.len() {
        let (size, used) = read_leb(&module[at + 1..]);
        let end = at + 1 + used + size;
        if module[at] == MEMORY_SECTION {
            assert_eq!(&module[at + 1 + used..end], [1, 0, 0], "the dummy module has one memory, minimum 0, no maximum");
            let mut body = vec![1, 0];
            push_leb(&mut body, pages as usize);
            out.push(MEMORY_SECTION);
            push_leb(&mut out, body.len());
            out.extend(body);
        } else {
            out.extend(&module[at..end]);
        }
        at = end;
    }
    out
}

#[tokio::test]
async fn components_that_cannot_run_here_are_refused_with_a_422_naming_every_problem() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;

    // A memory minimum of 128 MiB, over the 64 MiB limit: 422 (it was a 500), and the CLI
    // gives the same reason.
    let big = component("package test:big; world big { export describe: func() -> string; }", "big", Some(2048));
    let res = send(&app, &admin, Method::POST, "/api/v1/admin/plugins", big.clone(), None).await;
    assert_eq!(res.status(), 422);
    let p = problem(res).await;
    assert_eq!(p["errors"][0]["field"], "component", "{p}");
    let reason = p["errors"][0]["problem"].as_str().unwrap().to_string();
    assert!(reason.contains("does not fit this server's sandbox") && reason.contains("minimum"), "{reason}");
    let file = app.data_dir().join("big.wasm");
    std::fs::write(&file, &big).unwrap();
    let err = cli_err(&app, &["plugin", "install", file.to_str().unwrap()]).await;
    assert!(err.contains(&reason), "{err}");

    // Three imports outside the world: all three are named, not just the first.
    let sneaky = component(
        r#"package test:sneaky;
           interface clock { now: func() -> u64; }
           interface net { fetch: func(url: string) -> string; }
           interface files { read: func(path: string) -> string; }
           world sneaky { import clock; import net; import files; export describe: func() -> string; }"#,
        "sneaky",
        None,
    );
    let res = send(&app, &admin, Method::POST, "/api/v1/admin/plugins", sneaky, None).await;
    assert_eq!(res.status(), 422);
    let why = problem(res).await["errors"][0]["problem"].as_str().unwrap().to_string();
    for import in ["`test:sneaky/clock`", "`test:sneaky/net`", "`test:sneaky/files`"] {
        assert!(why.contains(import), "{import} is not named: {why}");
    }
    assert!(why.contains("which are outside the Convene activity world"), "{why}");

    // Nothing was stored, and the server answers as before.
    assert!(versions(&app, &admin, "test.hostile").await.is_empty());
    assert_eq!(app.get("/api/v1/activity-types").send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn the_plugin_cache_folder_must_be_the_servers_alone() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::spawn().await;
    // Opened up to everyone: made owner-only, with a warning.
    let open = app.data_dir().join("open-cache");
    std::fs::create_dir_all(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    let env = [("CONVENE_PLUGINS__CACHE_DIR", open.to_str().unwrap())];
    let out = app.cli_with_env(&["plugin", "list"], &env).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("had mode 0777") && stderr(&out).contains("now 0700"), "{}", stderr(&out));
    assert_eq!(std::fs::metadata(&open).unwrap().permissions().mode() & 0o777, 0o700);

    // Someone else's: refused, naming the setting. (Root can give a folder away; others use
    // one root owns.)
    let foreign = if is_root(&app) {
        let dir = app.data_dir().join("foreign-cache");
        std::fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::chown(&dir, Some(65534), None).unwrap();
        dir
    } else {
        std::path::PathBuf::from("/")
    };
    let out = app.cli_with_env(&["plugin", "list"], &[("CONVENE_PLUGINS__CACHE_DIR", foreign.to_str().unwrap())]).await;
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("plugins.cache_dir") && err.contains("belongs to user id") && err.contains("chown"), "{err}");
}

/// Whether the tests (and so the server they start) run as root.
fn is_root(app: &TestApp) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(app.data_dir()).unwrap().uid() == 0
}

#[tokio::test]
async fn author_commands_need_no_instance_and_admin_create_links_to_the_running_server() {
    let app = TestApp::spawn().await;
    // keygen, sign and pack open no database: a broken database setting does not stop them.
    let broken = [("CONVENE_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")];
    let key = app.data_dir().join("author.key");
    let out = app.cli_with_env(&["plugin", "keygen", "-o", key.to_str().unwrap()], &broken).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let sig = app.data_dir().join("template.sig");
    let args = ["plugin", "sign", &path_of("template"), "--key", key.to_str().unwrap(), "-o", sig.to_str().unwrap()];
    let out = app.cli_with_env(&args, &broken).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&sig).unwrap().starts_with("ed25519:"));

    // The server listens on a port its settings do not name (bind 127.0.0.1:0): the printed
    // link goes to it, and says where the address came from.
    let out = cli_ok(&app, &["admin", "create", "--email", "chief@example.org"]).await;
    let link = out.lines().find(|l| l.contains("/login/magic?token=")).unwrap();
    assert!(link.starts_with(&format!("{}/login/magic", app.base_url)), "{link} is not on {}", app.base_url);
    assert!(out.contains("the address the server last started on"), "{out}");
    let out = app.cli_with_env(&["admin", "create", "--email", "chief@example.org"], &[("CONVENE_PUBLIC_URL", "https://participa.example.org")]).await;
    assert!(stdout(&out).contains("https://participa.example.org/login/magic") && stdout(&out).contains("the public_url setting"), "{}", stdout(&out));

    // Every option of `plugin upgrade` is described.
    let help = cli_ok(&app, &["plugin", "upgrade", "--help"]).await;
    for option in ["--sha256 <HEX>", "--signature <SIGFILE>", "--replace-publisher"] {
        // The description follows on the option's line, or (when long) on the next one.
        let mut lines = help.lines().skip_while(|l| !l.trim_start().starts_with(option));
        let line = lines.next().unwrap_or_else(|| panic!("{option} is missing:\n{help}"));
        let rest = line.trim_start()[option.len()..].trim();
        let described = if rest.is_empty() { lines.next().unwrap_or_default().trim() } else { rest };
        assert!(described.len() > 10 && !described.starts_with('-'), "{option} is not described:\n{help}");
    }
}
