//! Federation between real processes on loopback: Convene instances that can reach each other
//! ([`FederatedInstance`]), and a "forger" ([`Forger`]): a small ActivityPub server inside the
//! test that serves actor documents for keys the test holds, records everything sent to it,
//! and sends activities signed the way Mastodon signs them (draft-cavage HTTP signatures,
//! RSA-SHA256), each part of which a test can break on purpose ([`SignedPost`]).
//!
//! The federation crate refuses ids whose host is an IP literal, so every instance is named
//! `localhost:PORT` while it listens on `127.0.0.1:PORT`; loopback peers over plain HTTP are
//! allowed with `federation.allow_private_addresses`.
//!
//! ```no_run
//! # async fn example() {
//! use convene_e2e::federation::{FederatedInstance, Forger};
//! let a = FederatedInstance::spawn().await;
//! let forger = Forger::start().await;
//! let group = a.process_actor("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
//! let follow = forger.follow("alice", &group);
//! let res = forger.post("alice", &format!("{group}/inbox"), &follow).send().await;
//! # }
//! ```

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::Url;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey, LineEnding};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::{TestApp, TestAppBuilder, expect_json};

/// The media type of ActivityPub documents.
pub const ACTIVITY_JSON: &str = "application/activity+json";

/// ActivityStreams' public collection.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// The JSON-LD contexts of what the forger serves and sends.
fn context() -> Value {
    json!(["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"])
}

/// A port free on 127.0.0.1 right now (bound to port 0, then let go).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("the bound address").port()
}

/// Polls `probe` every 100 ms until it gives something, for at most `timeout`; panics naming
/// `what` when it never does. For waiting on deliveries and jobs without fixed sleeps.
pub async fn eventually<T>(what: &str, timeout: Duration, mut probe: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(Instant::now() < deadline, "waited {timeout:?} for {what}, in vain");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Convene instances

/// A `TestApp` that federates: bound to `127.0.0.1:PORT`, named `http://localhost:PORT/`,
/// allowed to talk to loopback peers. Derefs to its [`TestApp`].
pub struct FederatedInstance {
    pub app: TestApp,
    /// `http://localhost:PORT`, no trailing slash: the origin of its ActivityPub ids.
    pub origin: String,
    pub port: u16,
}

impl FederatedInstance {
    pub async fn spawn() -> FederatedInstance {
        FederatedInstance::spawn_with(|b| b).await
    }

    /// With more settings, e.g. `|b| b.env("CONVENE_FEDERATION__MAX_ACTIVITY_KIB", "8")`.
    pub async fn spawn_with(configure: impl FnOnce(TestAppBuilder) -> TestAppBuilder) -> FederatedInstance {
        let port = free_port();
        let origin = format!("http://localhost:{port}");
        let builder = TestApp::builder()
            .env("CONVENE_BIND", format!("127.0.0.1:{port}"))
            .env("CONVENE_PUBLIC_URL", format!("{origin}/"))
            .env("CONVENE_FEDERATION__ALLOW_PRIVATE_ADDRESSES", "true");
        let app = configure(builder).spawn().await;
        FederatedInstance { app, origin, port }
    }

    /// How federation names it (and how an administrator blocks it): `localhost:PORT`.
    pub fn instance(&self) -> String {
        format!("localhost:{}", self.port)
    }

    /// An absolute URL under its public origin.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// The actor id of the process with this id.
    pub fn process_actor(&self, process_id: &str) -> String {
        self.at(&format!("/ap/processes/{process_id}"))
    }

    /// GET as ActivityPub software does (`Accept: application/activity+json`), by URL or path.
    pub async fn get_ap(&self, url_or_path: &str) -> reqwest::Response {
        let url = if url_or_path.starts_with('/') { self.at(url_or_path) } else { url_or_path.to_string() };
        self.app.client.get(&url).header("accept", ACTIVITY_JSON).send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"))
    }

    /// An ActivityPub document (asserting 200 and its media type).
    pub async fn fetch_ap(&self, url_or_path: &str) -> Value {
        let res = self.get_ap(url_or_path).await;
        let content_type = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let doc = expect_json(res, 200).await;
        assert!(content_type.starts_with(ACTIVITY_JSON), "{url_or_path} is served as {content_type:?}");
        doc
    }

    /// POSTs `body` as JSON with `token`, to a path here.
    pub async fn post_as(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.app.client.post(self.app.url(path)).bearer_auth(token).json(body).send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// `GET /api/v1/admin/federation` as `admin`.
    pub async fn overview(&self, admin: &str) -> Value {
        expect_json(self.app.get("/api/v1/admin/federation").bearer_auth(admin).send().await.unwrap(), 200).await
    }

    /// Rows of a query on its database, each as a JSON object (select text and numbers).
    pub async fn query(&self, sql: &str) -> Vec<Value> {
        let url = self.app.env()["CONVENE_DATABASE_URL"].clone();
        let db = sea_orm::Database::connect(url.as_str()).await.unwrap_or_else(|e| panic!("connect to {url}: {e}"));
        let rows = sea_orm::JsonValue::find_by_statement(Statement::from_string(db.get_database_backend(), sql.to_string()))
            .all(&db)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let _ = db.close().await;
        rows
    }

    /// The single number a `SELECT COUNT(*) AS n ...` returns.
    pub async fn count(&self, sql: &str) -> i64 {
        let url = self.app.env()["CONVENE_DATABASE_URL"].clone();
        let db = sea_orm::Database::connect(url.as_str()).await.unwrap_or_else(|e| panic!("connect to {url}: {e}"));
        // Read as a typed column: SQLite gives an expression no declared type for JSON.
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        let n = row.unwrap_or_else(|| panic!("{sql} gave no row")).try_get::<i64>("", "n").unwrap_or_else(|e| panic!("{sql}: {e}"));
        let _ = db.close().await;
        n
    }

    /// The RSA key its actors sign with, read from its database: for a test that speaks as
    /// this instance where the server has no way to do so itself yet.
    pub async fn signing_key(&self) -> TestKey {
        let rows = self.query("SELECT private_key_pem FROM federation_keys WHERE id = 1").await;
        let pem = rows.first().and_then(|r| r["private_key_pem"].as_str()).expect("the instance made its key at start");
        TestKey::from_pkcs8_pem(pem)
    }
}

impl Deref for FederatedInstance {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.app
    }
}

impl DerefMut for FederatedInstance {
    fn deref_mut(&mut self) -> &mut TestApp {
        &mut self.app
    }
}

// ---------------------------------------------------------------------------------------------
// Keys and signatures

/// An RSA key pair held by the test.
#[derive(Clone)]
pub struct TestKey {
    private: RsaPrivateKey,
    public_pem: String,
}

impl std::fmt::Debug for TestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestKey").finish_non_exhaustive()
    }
}

/// Keys made once for these tests (2048-bit RSA; generating one in a debug build is slow).
const FIXED_KEYS: [&str; 3] =
    [include_str!("federation-keys/test-key-1.pem"), include_str!("federation-keys/test-key-2.pem"), include_str!("federation-keys/test-key-3.pem")];

impl TestKey {
    /// One of three fixed keys, `1..=3`.
    pub fn fixed(n: usize) -> TestKey {
        assert!((1..=FIXED_KEYS.len()).contains(&n), "there are {} fixed keys", FIXED_KEYS.len());
        TestKey::from_pkcs8_pem(FIXED_KEYS[n - 1])
    }

    /// A key from PKCS#8 PEM (`BEGIN PRIVATE KEY`), as Convene stores its own.
    pub fn from_pkcs8_pem(pem: &str) -> TestKey {
        let private = RsaPrivateKey::from_pkcs8_pem(pem).expect("a PKCS#8 RSA private key");
        let public_pem = RsaPublicKey::from(&private).to_public_key_pem(LineEnding::LF).expect("encode the public key");
        TestKey { private, public_pem }
    }

    /// The public key as SPKI PEM (`BEGIN PUBLIC KEY`), as actor documents carry it.
    pub fn public_pem(&self) -> &str {
        &self.public_pem
    }

    /// RSASSA-PKCS1-v1_5 over SHA-256 of `data`, base64.
    pub fn sign(&self, data: &[u8]) -> String {
        let signature = self.private.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(data)).expect("sign");
        BASE64.encode(signature)
    }
}

/// Whether `signature` (base64) is `data` signed with the key in `public_pem`.
pub fn verifies(public_pem: &str, data: &[u8], signature: &str) -> bool {
    let Ok(key) = RsaPublicKey::from_public_key_pem(public_pem) else { return false };
    let Ok(signature) = BASE64.decode(signature) else { return false };
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(data), &signature).is_ok()
}

/// `SHA-256=<base64>` of a body, as the `Digest` header carries it.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", BASE64.encode(Sha256::digest(body)))
}

/// A client for talking to instances: loopback only, no proxy, no redirects.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("build the HTTP client")
}

/// A POST signed draft-cavage style: `Signature: keyId="...",algorithm="rsa-sha256",
/// headers="(request-target) host date digest",signature="..."`, with `Date` and
/// `Digest: SHA-256=...` sent. Each part can be broken on purpose before sending.
#[derive(Clone, Debug)]
pub struct SignedPost {
    url: String,
    body: Vec<u8>,
    key: TestKey,
    key_id: String,
    date: SystemTime,
    digest_of: Option<Vec<u8>>,
    signed_headers: Vec<String>,
}

impl SignedPost {
    /// `activity` to `url`, signed with `key`, naming it `key_id`.
    pub fn new(url: &str, activity: &Value, key: &TestKey, key_id: &str) -> SignedPost {
        SignedPost {
            url: url.to_string(),
            body: serde_json::to_vec(activity).expect("serialise the activity"),
            key: key.clone(),
            key_id: key_id.to_string(),
            date: SystemTime::now(),
            digest_of: None,
            signed_headers: ["(request-target)", "host", "date", "digest"].map(String::from).to_vec(),
        }
    }

    /// Sends these bytes as the body (digest and signature computed over them).
    pub fn body_bytes(mut self, body: Vec<u8>) -> SignedPost {
        self.body = body;
        self
    }

    /// Signs with another key, still naming the same `keyId`.
    pub fn signed_with(mut self, key: &TestKey) -> SignedPost {
        self.key = key.clone();
        self
    }

    /// Names another key in `keyId`.
    pub fn key_id(mut self, key_id: &str) -> SignedPost {
        self.key_id = key_id.to_string();
        self
    }

    /// Signs (and sends) this `Date`.
    pub fn dated(mut self, date: SystemTime) -> SignedPost {
        self.date = date;
        self
    }

    /// Puts the digest of other bytes in `Digest` (and signs that header), so that the body
    /// differs from its digest.
    pub fn digest_of(mut self, bytes: &[u8]) -> SignedPost {
        self.digest_of = Some(bytes.to_vec());
        self
    }

    /// Signs exactly these headers, in this order.
    pub fn signing_headers(mut self, headers: &[&str]) -> SignedPost {
        self.signed_headers = headers.iter().map(|h| h.to_string()).collect();
        self
    }

    /// The request as it will be sent, signed now: send it once or several times.
    pub fn build(&self) -> PreparedPost {
        let url = Url::parse(&self.url).unwrap_or_else(|e| panic!("{}: {e}", self.url));
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().expect("a host")),
            None => url.host_str().expect("a host").to_string(),
        };
        let target = match url.query() {
            Some(q) => format!("post {}?{q}", url.path()),
            None => format!("post {}", url.path()),
        };
        let date = httpdate::fmt_http_date(self.date);
        let digest = digest_header(self.digest_of.as_deref().unwrap_or(&self.body));
        let value = |h: &str| -> String {
            match h {
                "(request-target)" => target.clone(),
                "host" => host.clone(),
                "date" => date.clone(),
                "digest" => digest.clone(),
                "content-type" => ACTIVITY_JSON.to_string(),
                other => panic!("no value to sign for {other}"),
            }
        };
        let signing_string = self.signed_headers.iter().map(|h| format!("{h}: {}", value(h))).collect::<Vec<_>>().join("\n");
        let signature = format!(
            r#"keyId="{}",algorithm="rsa-sha256",headers="{}",signature="{}""#,
            self.key_id,
            self.signed_headers.join(" "),
            self.key.sign(signing_string.as_bytes())
        );
        PreparedPost {
            client: client(),
            url: self.url.clone(),
            headers: vec![
                ("content-type".into(), ACTIVITY_JSON.into()),
                ("date".into(), date),
                ("digest".into(), digest),
                ("signature".into(), signature),
            ],
            body: self.body.clone(),
        }
    }

    /// Signs now and sends.
    pub async fn send(&self) -> reqwest::Response {
        self.build().send().await
    }
}

/// A signed request, ready to be sent (again: a replay is the same bytes and headers).
#[derive(Clone, Debug)]
pub struct PreparedPost {
    client: reqwest::Client,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl PreparedPost {
    pub async fn send(&self) -> reqwest::Response {
        let mut req = self.client.post(&self.url).body(self.body.clone());
        for (name, value) in &self.headers {
            req = req.header(name.as_str(), value.as_str());
        }
        req.send().await.unwrap_or_else(|e| panic!("POST {}: {e}", self.url))
    }
}

// ---------------------------------------------------------------------------------------------
// The forger

/// One request the forger received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Names in lower case; repeated headers joined with `, `.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Received {
    /// The body as JSON (`Null` when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The activity's `type`, for a POST of one.
    pub fn kind(&self) -> Option<String> {
        (self.method == "POST").then(|| self.json()["type"].as_str().map(str::to_string)).flatten()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// Checks the request's HTTP signature (draft-cavage, any header list, `(created)` and
    /// `(expires)` included) against `public_pem`, and its `Digest` against the body. Returns
    /// the `keyId` it names.
    pub fn verify_signature(&self, public_pem: &str) -> Result<String, String> {
        let header = self.header("signature").ok_or("no Signature header")?;
        let params = signature_params(header);
        let key_id = params.get("keyId").ok_or("no keyId")?.clone();
        let signature = params.get("signature").ok_or("no signature")?;
        let signed = params.get("headers").map(String::as_str).unwrap_or("date");
        let mut lines = Vec::new();
        for name in signed.split_whitespace() {
            let value = match name {
                "(request-target)" => format!("{} {}", self.method.to_ascii_lowercase(), self.path),
                "(created)" => params.get("created").ok_or("(created) is signed but not given")?.clone(),
                "(expires)" => params.get("expires").ok_or("(expires) is signed but not given")?.clone(),
                other => self.header(other).ok_or_else(|| format!("the signed header {other} is missing"))?.to_string(),
            };
            lines.push(format!("{name}: {value}"));
        }
        if !signed.split_whitespace().any(|h| h == "digest") {
            return Err(format!("the Digest is not signed (headers=\"{signed}\")"));
        }
        if self.header("digest") != Some(digest_header(&self.body).as_str()) {
            return Err(format!("the Digest {:?} does not match the body", self.header("digest")));
        }
        if !verifies(public_pem, lines.join("\n").as_bytes(), signature) {
            return Err(format!("the signature does not verify with that key (keyId {key_id})"));
        }
        Ok(key_id)
    }
}

/// The `key="value"` (or `key=number`) pairs of a Signature header.
fn signature_params(header: &str) -> BTreeMap<String, String> {
    let mut params = BTreeMap::new();
    let mut rest = header.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else { break };
        let key = key.trim().trim_start_matches(',').trim().to_string();
        let (value, after) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            (quoted[..end].to_string(), quoted.get(end + 1..).unwrap_or(""))
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        params.insert(key, value);
        rest = after.trim_start_matches(',').trim();
    }
    params
}

/// An actor the forger serves.
#[derive(Clone, Debug)]
struct ForgedActor {
    key: TestKey,
    /// `publicKey.owner`, when it is not the actor itself.
    owner: Option<String>,
}

struct Shared {
    origin: String,
    actors: Mutex<BTreeMap<String, ForgedActor>>,
    received: Mutex<Vec<Received>>,
    inbox_status: AtomicU16,
}

/// A tiny ActivityPub server in the test process, on `http://localhost:PORT`: it serves a
/// Person at `/users/NAME` for each actor it holds a key for (`alice` from the start), accepts
/// anything POSTed to `/users/NAME/inbox` or `/inbox` (202 by default), keeps every request
/// it gets, and sends activities signed with its actors' keys. It runs on a runtime of its
/// own, so a test that blocks cannot stall it; `stop` and `start_again` take it off the
/// network and back on the same port.
pub struct Forger {
    pub port: u16,
    /// `http://localhost:PORT`.
    pub origin: String,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    server: Option<JoinHandle<()>>,
}

impl Forger {
    /// Listening on a free port, with the actor `alice` (fixed key 1).
    pub async fn start() -> Forger {
        let port = free_port();
        let origin = format!("http://localhost:{port}");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("forger")
            .enable_all()
            .build()
            .expect("the forger's runtime");
        let shared = Arc::new(Shared {
            origin: origin.clone(),
            actors: Mutex::new(BTreeMap::new()),
            received: Mutex::new(Vec::new()),
            inbox_status: AtomicU16::new(202),
        });
        let mut forger = Forger { port, origin, shared, runtime: Some(runtime), server: None };
        forger.add_actor("alice", &TestKey::fixed(1));
        forger.listen().await;
        forger
    }

    async fn listen(&mut self) {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        // The port was ours a moment ago; a connection of the last run may linger briefly.
        let started = Instant::now();
        let listener = loop {
            match std::net::TcpListener::bind(addr) {
                Ok(l) => break l,
                Err(_) if started.elapsed() < Duration::from_secs(10) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("the forger cannot listen on {addr} again: {e}"),
            }
        };
        listener.set_nonblocking(true).expect("non-blocking listener");
        let runtime = self.runtime.as_ref().expect("the runtime runs while the forger lives");
        let listener = {
            let _inside = runtime.enter();
            TcpListener::from_std(listener).expect("a Tokio listener")
        };
        self.server = Some(runtime.spawn(serve(listener, self.shared.clone())));
    }

    /// Stops listening: connections are refused until `start_again`. In-flight requests are
    /// cut off.
    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
            let _ = server.await;
        }
    }

    /// Listens again on the same port.
    pub async fn start_again(&mut self) {
        assert!(self.server.is_none(), "the forger is already listening");
        self.listen().await;
    }

    /// `localhost:PORT`, as Convene names this instance.
    pub fn instance(&self) -> String {
        format!("localhost:{}", self.port)
    }

    /// Serves another actor with its own key (`publicKey.owner` is the actor itself).
    pub fn add_actor(&self, name: &str, key: &TestKey) -> String {
        self.shared.actors.lock().unwrap().insert(name.to_string(), ForgedActor { key: key.clone(), owner: None });
        self.actor(name)
    }

    /// Serves an actor whose document says its key is owned by `owner` (another actor).
    pub fn add_actor_owned_by(&self, name: &str, key: &TestKey, owner: &str) -> String {
        self.shared.actors.lock().unwrap().insert(name.to_string(), ForgedActor { key: key.clone(), owner: Some(owner.to_string()) });
        self.actor(name)
    }

    /// The actor id of `name`.
    pub fn actor(&self, name: &str) -> String {
        format!("{}/users/{name}", self.origin)
    }

    /// `ACTOR#main-key`.
    pub fn key_id(&self, name: &str) -> String {
        format!("{}#main-key", self.actor(name))
    }

    pub fn key_of(&self, name: &str) -> TestKey {
        self.shared.actors.lock().unwrap().get(name).unwrap_or_else(|| panic!("the forger has no actor {name}")).key.clone()
    }

    /// A fresh activity id on this host.
    pub fn new_id(&self) -> String {
        format!("{}/activities/{}", self.origin, uuid::Uuid::new_v4())
    }

    /// `name` follows `object` (a fresh id each time).
    pub fn follow(&self, name: &str, object: &str) -> Value {
        json!({"@context": context(), "id": self.new_id(), "type": "Follow", "actor": self.actor(name), "object": object})
    }

    /// `name` undoes `activity` (embedded, as Mastodon sends it).
    pub fn undo(&self, name: &str, activity: &Value) -> Value {
        let mut inner = activity.clone();
        if let Some(o) = inner.as_object_mut() {
            o.remove("@context");
        }
        json!({"@context": context(), "id": self.new_id(), "type": "Undo", "actor": self.actor(name), "object": inner})
    }

    /// `activity` to `inbox`, signed as `name` (its key, its keyId): break it before sending
    /// with the [`SignedPost`] methods.
    pub fn post(&self, name: &str, inbox: &str, activity: &Value) -> SignedPost {
        SignedPost::new(inbox, activity, &self.key_of(name), &self.key_id(name))
    }

    /// What its inboxes answer from now on (202 unless changed).
    pub fn set_inbox_status(&self, status: u16) {
        self.shared.inbox_status.store(status, Ordering::SeqCst);
    }

    /// Every request received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// The activities POSTed to it so far of type `kind`.
    pub fn activities(&self, kind: &str) -> Vec<Received> {
        self.received().into_iter().filter(|r| r.kind().as_deref() == Some(kind)).collect()
    }

    /// Waits for a request matching `found`; panics naming `what` after `timeout`.
    pub async fn wait_for(&self, what: &str, timeout: Duration, found: impl Fn(&Received) -> bool) -> Received {
        eventually(what, timeout, async || self.received().into_iter().find(|r| found(r))).await
    }
}

impl Drop for Forger {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Accepts connections until aborted; dropping it drops the listener and every connection.
async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    let shared = shared.clone();
                    connections.spawn(async move {
                        let _ = tokio::time::timeout(Duration::from_secs(30), handle(stream, shared)).await;
                    });
                }
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// The largest request the forger reads (Convene sends small activities).
const MAX_REQUEST: usize = 4 * 1024 * 1024;

/// One HTTP/1.1 request, answered and the connection closed.
async fn handle(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Ok(());
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        if let Some((name, value)) = l.split_once(':') {
            let name = name.trim().to_ascii_lowercase();
            let value = value.trim().to_string();
            headers.entry(name).and_modify(|v| *v = format!("{v}, {value}")).or_insert(value);
        }
    }
    let mut body = Vec::new();
    if headers.get("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        loop {
            line.clear();
            reader.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
            if size == 0 || body.len() + size > MAX_REQUEST {
                // The trailer's empty line.
                line.clear();
                let _ = reader.read_line(&mut line).await;
                break;
            }
            let mut chunk = vec![0; size];
            reader.read_exact(&mut chunk).await?;
            body.extend_from_slice(&chunk);
            line.clear();
            reader.read_line(&mut line).await?;
        }
    } else if let Some(length) = headers.get("content-length").and_then(|l| l.parse::<usize>().ok()) {
        body = vec![0; length.min(MAX_REQUEST)];
        reader.read_exact(&mut body).await?;
    }
    let request = Received { method, path, headers, body, at: Instant::now() };
    let (status, content_type, answer) = route(&shared, &request);
    shared.received.lock().unwrap().push(request);
    let reason = match status {
        200 => "OK",
        202 => "Accepted",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Status",
    };
    let head = format!("HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", answer.len());
    let mut stream = reader.into_inner();
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&answer).await?;
    stream.flush().await?;
    let _ = stream.shutdown().await;
    Ok(())
}

fn route(shared: &Shared, request: &Received) -> (u16, &'static str, Vec<u8>) {
    let path = request.path.split('?').next().unwrap_or_default();
    let not_found = (404, "application/json", br#"{"error":"not found"}"#.to_vec());
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (request.method.as_str(), segments.as_slice()) {
        ("GET", ["users", name]) => {
            let Some(actor) = shared.actors.lock().unwrap().get(*name).cloned() else { return not_found };
            let id = format!("{}/users/{name}", shared.origin);
            let doc = json!({
                "@context": context(),
                "type": "Person",
                "id": id,
                "preferredUsername": name,
                "name": format!("Forged {name}"),
                "inbox": format!("{id}/inbox"),
                "outbox": format!("{id}/outbox"),
                "publicKey": {"id": format!("{id}#main-key"), "owner": actor.owner.clone().unwrap_or(id.clone()), "publicKeyPem": actor.key.public_pem()},
            });
            (200, ACTIVITY_JSON, serde_json::to_vec(&doc).unwrap())
        }
        ("POST", ["users", _, "inbox"]) | ("POST", ["inbox"]) => (shared.inbox_status.load(Ordering::SeqCst), "text/plain", Vec::new()),
        (_, ["users", ..]) | (_, ["inbox"]) => (405, "text/plain", Vec::new()),
        _ => not_found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_signature_headers() {
        let p = signature_params(r#"keyId="https://a.example/u#main-key",algorithm="hs2019",created=1700000000,expires=1700003600,headers="(request-target) (created) date",signature="QUJD+/=""#);
        assert_eq!(p["keyId"], "https://a.example/u#main-key");
        assert_eq!(p["created"], "1700000000");
        assert_eq!(p["expires"], "1700003600");
        assert_eq!(p["headers"], "(request-target) (created) date");
        assert_eq!(p["signature"], "QUJD+/=");
    }

    #[test]
    fn a_signed_post_verifies_with_its_key_only() {
        let key = TestKey::fixed(1);
        let prepared = SignedPost::new("http://localhost:8080/inbox?x=1", &json!({"type": "Follow"}), &key, "http://localhost:9/users/a#main-key").build();
        let mut headers: BTreeMap<String, String> = prepared.headers.iter().cloned().collect();
        headers.insert("host".into(), "localhost:8080".into());
        let received = Received { method: "POST".into(), path: "/inbox?x=1".into(), headers, body: prepared.body.clone(), at: Instant::now() };
        assert_eq!(received.verify_signature(key.public_pem()).unwrap(), "http://localhost:9/users/a#main-key");
        assert!(received.verify_signature(TestKey::fixed(2).public_pem()).is_err());
        let mut tampered = received.clone();
        tampered.body = br#"{"type":"Undo"}"#.to_vec();
        assert!(tampered.verify_signature(key.public_pem()).unwrap_err().contains("Digest"));
    }
}

/// A consultation of one free-text question (`q`, "Your view?", at most 20 characters, required),
/// whose `response` kind people on other instances may send.
pub fn one_question_consultation() -> serde_json::Value {
    serde_json::json!({ "type": "org.convene.consultation", "title": { "en": "Where should AI help first?" },
        "config": { "questions": [ { "id": "q", "type": "free_text", "required": true, "max_length": 20, "text": { "en": "Your view?" } } ] } })
}

/// An activity that takes reports from processes linked to it on other instances.
pub fn linked_reports_activity() -> serde_json::Value {
    serde_json::json!({ "type": "org.convene.linked-reports", "title": { "en": "Reports from local roundtables" } })
}

/// Two servers for remote participation: `host` with a published process `ai-first` holding
/// [`one_question_consultation`], and `home` with a participant (`person`, ana@home.example).
pub struct TakingPart {
    pub home: FederatedInstance,
    pub host: FederatedInstance,
    pub host_admin: String,
    pub person: String,
    pub activity_id: String,
    /// The activity's ActivityPub id, what a contribution from elsewhere names.
    pub address: String,
}

pub async fn taking_part() -> TakingPart {
    use crate::flows::{add_activity, admin_token, published_process, user_token};
    let (home, host) = tokio::join!(FederatedInstance::spawn(), FederatedInstance::spawn());
    let (host_admin, person) = tokio::join!(admin_token(&host, "organiser@host.example"), user_token(&home, "ana@home.example"));
    published_process(&host, &host_admin, "ai-first").await;
    let activity = add_activity(&host, &host_admin, "ai-first", &one_question_consultation()).await;
    let activity_id = activity["id"].as_str().unwrap().to_string();
    let address = host.at(&format!("/ap/activities/{activity_id}"));
    TakingPart { home, host, host_admin, person, activity_id, address }
}

/// Two servers for linking: `national` with a published process `national-ai` holding a
/// reports activity (`parent`, its address) and a consultation (`consultation`, its address,
/// which takes no reports), and `town` with its administrator.
pub struct Linking {
    pub town: FederatedInstance,
    pub national: FederatedInstance,
    pub town_admin: String,
    pub national_admin: String,
    pub reports_id: String,
    pub parent: String,
    pub consultation: String,
}

pub async fn linking() -> Linking {
    use crate::flows::{add_activity, admin_token, published_process};
    let (town, national) = tokio::join!(FederatedInstance::spawn(), FederatedInstance::spawn());
    let (town_admin, national_admin) = tokio::join!(admin_token(&town, "clerk@town.example"), admin_token(&national, "ministry@national.example"));
    published_process(&national, &national_admin, "national-ai").await;
    let reports = add_activity(&national, &national_admin, "national-ai", &linked_reports_activity()).await;
    let reports_id = reports["id"].as_str().unwrap().to_string();
    let parent = national.at(&format!("/ap/activities/{reports_id}"));
    let consult = add_activity(&national, &national_admin, "national-ai", &one_question_consultation()).await;
    let consultation = national.at(&format!("/ap/activities/{}", consult["id"].as_str().unwrap()));
    Linking { town, national, town_admin, national_admin, reports_id, parent, consultation }
}
