//! Abuse and operations hardening (issue 10): uploads are authorised before their body is
//! read, metrics labels stay bounded and `/metrics` is off the public port unless configured,
//! replicas starting together on a fresh database all come up with the same secrets, a
//! database that is down fails the start at once with one line, and invisible formatting
//! characters cannot spoof names and titles.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use convene_e2e::flows::{admin_token, component_path, create_process, process_body, user_token};
use convene_e2e::{METRICS_TOKEN, TestApp, TestDb, convene_bin, expect_json, problem};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Sends only the head of a request that announces a large body and a first slice of it,
/// then nothing more, and returns the answer. A server that waits for the body
/// before deciding never answers, and the read times out.
async fn answer_to_headers_only(app: &TestApp, method: &str, path: &str, token: &str, content_type: &str, content_length: u64) -> Option<String> {
    let addr = app.base_url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: {content_type}\r\nContent-Length: {content_length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // A first slice of the body, as a real upload would start; the rest never comes.
    let _ = stream.write_all(&vec![0u8; 64 * 1024]).await;
    tokio::time::timeout(Duration::from_secs(15), read_answer(&mut stream)).await.ok().flatten()
}

/// Reads one HTTP/1.1 answer: its head, and its body as long as `Content-Length` says.
/// `None` if the connection closes or breaks before the head is complete.
async fn read_answer(stream: &mut (impl tokio::io::AsyncRead + Unpin)) -> Option<String> {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
        if let Some(at) = answer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&answer[..head_end]).to_ascii_lowercase();
    let length: usize = head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    while answer.len() < head_end + length {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    Some(String::from_utf8_lossy(&answer).into_owned())
}

/// Sends a body of `total` bytes with chunked transfer encoding (no declared length) while
/// reading the answer; returns the answer, or `None` if the connection broke first.
async fn answer_to_chunked_upload(app: &TestApp, path: &str, token: &str, content_type: &str, total: usize) -> Option<String> {
    let addr = app.base_url.trim_start_matches("http://").to_string();
    let stream = TcpStream::connect(&addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let head = format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n");
    let sender = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        let chunk = vec![0u8; 1 << 20];
        let mut sent = 0;
        while sent < total {
            let n = chunk.len().min(total - sent);
            writer.write_all(format!("{n:x}\r\n").as_bytes()).await?;
            writer.write_all(&chunk[..n]).await?;
            writer.write_all(b"\r\n").await?;
            sent += n;
        }
        writer.write_all(b"0\r\n\r\n").await?;
        std::io::Result::Ok(writer)
    });
    let answer = tokio::time::timeout(Duration::from_secs(30), read_answer(&mut reader)).await.ok().flatten();
    sender.abort();
    answer
}

#[tokio::test]
async fn uploads_from_non_admins_are_refused_before_their_body_is_read() {
    let app = TestApp::spawn().await;
    let participant = user_token(&app, "participant@example.org").await;
    const BIG: u64 = 30 << 20;
    for (method, path, content_type) in [
        ("POST", "/api/v1/admin/plugins", "application/wasm"),
        ("PUT", "/api/v1/admin/plugins/org.convene.consultation", "application/wasm"),
        ("POST", "/api/v1/admin/census?attribute=resident", "text/csv"),
    ] {
        let answer = answer_to_headers_only(&app, method, path, &participant, content_type, BIG)
            .await
            .unwrap_or_else(|| panic!("{method} {path}: no answer while the body was still to come: the server waits for it"));
        assert!(answer.starts_with("HTTP/1.1 403"), "{method} {path}: {answer}");
        assert!(answer.to_ascii_lowercase().contains("application/problem+json"), "{answer}");
        // Without credentials it is a 401, just as early.
        let answer = answer_to_headers_only(&app, method, path, "not-a-token", content_type, BIG).await.expect("an answer");
        assert!(answer.starts_with("HTTP/1.1 401"), "{method} {path}: {answer}");
    }
    assert_eq!(app.get("/healthz").send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn oversized_uploads_get_a_413_naming_the_limit_and_normal_ones_still_work() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;

    // Announced as too large: refused before reading.
    let answer = answer_to_headers_only(&app, "POST", "/api/v1/admin/plugins", &admin, "application/wasm", (32 << 20) + 1).await.expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("is larger than the 32 MiB limit"), "{answer}");
    let answer = answer_to_headers_only(&app, "POST", "/api/v1/admin/census?attribute=resident", &admin, "text/csv", (64 << 20) + 1).await.expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("is larger than the 64 MiB limit"), "{answer}");

    // Streamed without a declared length, growing past the limit while it arrives.
    let answer = answer_to_chunked_upload(&app, "/api/v1/admin/plugins", &admin, "application/wasm", (32 << 20) + 1).await;
    // The server may close the connection while the client is still sending; if the answer
    // got through, it is the 413 naming the limit.
    if let Some(answer) = answer {
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains("32 MiB"), "{answer}");
    }

    // The admin's ordinary uploads are unchanged: a census and a plugin.
    let res = app
        .with_token(&admin)
        .post("/api/v1/admin/census?attribute=resident")
        .header("content-type", "text/csv")
        .body("identifier\n12.345.678-5\n98765432-1\n")
        .send()
        .await
        .unwrap();
    let report = expect_json(res, 200).await;
    assert_eq!(report["imported"], 2, "{report}");
    let res = app
        .with_token(&admin)
        .post("/api/v1/admin/plugins")
        .header("content-type", "application/wasm")
        .body(std::fs::read(component_path("template")).unwrap())
        .send()
        .await
        .unwrap();
    let installed = expect_json(res, 201).await;
    assert!(installed["type_id"].is_string(), "{installed}");
    // No spooled file outlives its request.
    let uploads = app.data_dir().join("uploads");
    assert_eq!(std::fs::read_dir(&uploads).unwrap().count(), 0, "{}", uploads.display());
}

/// The `convene_http_requests_total` series in a metrics text.
fn request_series(metrics: &str) -> Vec<&str> {
    metrics.lines().filter(|l| l.starts_with("convene_http_requests_total{")).collect()
}

#[tokio::test]
async fn invented_methods_add_no_metrics_series() {
    let app = TestApp::builder().with_metrics().spawn().await;
    let send = |method: String, path: &'static str| {
        let req = app.client.request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), app.url(path));
        async move { req.send().await.unwrap().status() }
    };
    // One of each kind first, so that every series these requests can make exists.
    for path in ["/healthz", "/api/v1/processes", "/no/such/route"] {
        send("INVENTED".into(), path).await;
    }
    // Reading /metrics counts too; read it once so that its own series exists.
    app.metrics().await;
    let before = app.metrics().await;
    let before_series = request_series(&before).len();
    for i in 0..300 {
        let path = ["/healthz", "/api/v1/processes", "/no/such/route"][i % 3];
        send(format!("X{i}ZZ"), path).await;
    }
    let after = app.metrics().await;
    assert_eq!(request_series(&after).len(), before_series, "new series appeared:\n{after}");
    assert!(!after.contains("ZZ\""), "an invented method became a label:\n{after}");
    assert!(after.contains("method=\"other\""), "{after}");
    assert!(after.contains("route=\"unmatched\""), "{after}");
}

#[tokio::test]
async fn metrics_are_off_the_public_port_unless_configured() {
    // By default: not served, like any unknown path.
    let app = TestApp::spawn().await;
    let res = app.get("/metrics").send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(app.metrics_url().is_none());
    drop(app);

    // With a token: served on the public port to whoever has it.
    let app = TestApp::builder().with_metrics().spawn().await;
    let res = app.get("/metrics").send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert!(res.headers().get("www-authenticate").is_some());
    problem(res).await;
    let res = app.get("/metrics").bearer_auth("test-metrics-token-0123456789abcdeX").send().await.unwrap();
    assert_eq!(res.status(), 401, "a wrong token");
    let res = app.get("/metrics").bearer_auth(METRICS_TOKEN).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("convene_http_requests_total"));
    drop(app);

    // With a bind address: served there, and not on the public port.
    let app = TestApp::builder().env("CONVENE_METRICS__BIND", "127.0.0.1:0").spawn().await;
    let url = app.metrics_url().expect("the metrics listener is announced");
    assert_ne!(url, app.url("/metrics"));
    assert_eq!(app.get("/metrics").send().await.unwrap().status(), 404);
    assert!(app.metrics().await.contains("convene_db_pool_connections"));
    let elsewhere = url.replace("/metrics", "/api/v1/processes");
    assert_eq!(app.client.get(elsewhere).send().await.unwrap().status(), 404, "the metrics listener serves nothing else");

    // A wrong setting names itself.
    let out = app.cli_with_env(&["migrate"], &[("CONVENE_METRICS__TOKEN", "short")]).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("metrics.token"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `convene <args>` with only the given `CONVENE_*` settings, in `dir`.
fn convene(args: &[&str], env: &[(&str, String)], dir: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(convene_bin());
    cmd.args(args).current_dir(dir).stdin(Stdio::null()).kill_on_drop(true);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("CONVENE_") {
            cmd.env_remove(&key);
        }
    }
    cmd.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    cmd
}

fn plugin_cache() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-plugin-cache").display().to_string()
}

/// Starts `convene serve` (its log in `log`) and returns it with its base URL once it
/// listens, or its log.
async fn serve(env: &[(&str, String)], dir: &Path, log: &Path) -> Result<(tokio::process::Child, String), String> {
    let stderr = std::fs::File::create(log).unwrap();
    let mut child = convene(&["serve"], env, dir).stdout(Stdio::piped()).stderr(stderr).spawn().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // Keeps reading stdout for the life of the process, so it never writes to a closed pipe.
    tokio::spawn(async move {
        let mut tx = Some(tx);
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(url) = line.trim().strip_prefix("Listening on ")
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(url.trim_end_matches('/').to_string());
            }
        }
    });
    match tokio::time::timeout(Duration::from_secs(90), rx).await {
        Ok(Ok(url)) => Ok((child, url)),
        _ => {
            let _ = child.kill().await;
            Err(std::fs::read_to_string(log).unwrap_or_default())
        }
    }
}

#[tokio::test]
async fn replicas_starting_together_on_a_fresh_database_all_come_up_with_the_same_secrets() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let env = [
        ("CONVENE_DATABASE_URL", db.url().to_string()),
        ("CONVENE_DATA_DIR", data_dir.display().to_string()),
        ("CONVENE_BIND", "127.0.0.1:0".to_string()),
        ("CONVENE_PLUGINS__CACHE_DIR", plugin_cache()),
        ("CONVENE_PLUGINS__CACHE_SECRET", convene_e2e::app::SHARED_PLUGIN_CACHE_SECRET.into()),
        ("CONVENE_MAIL__DIR", dir.path().join("mail").display().to_string()),
    ];
    // Four at once: migrate and create the secrets together.
    let logs: Vec<_> = (0..4).map(|i| dir.path().join(format!("replica-{i}.log"))).collect();
    let started = futures::future::join_all(logs.iter().map(|log| serve(&env, dir.path(), log))).await;
    let mut servers = Vec::new();
    for (i, s) in started.into_iter().enumerate() {
        servers.push(s.unwrap_or_else(|err| panic!("replica {i} did not start:\n{err}")));
    }
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut keys = Vec::new();
    for (_, url) in &servers {
        let ledger: Value = client.get(format!("{url}/api/v1/ledger")).send().await.unwrap().json().await.unwrap();
        keys.push(ledger["public_key"].as_str().expect("a ledger key").to_string());
    }
    assert!(keys.iter().all(|k| k == &keys[0]), "every replica signs with the same key: {keys:?}");
    for file in ["jwt_secret", "census_secret", "ledger_key"] {
        let text = std::fs::read_to_string(data_dir.join(file)).unwrap();
        assert_eq!(text.trim().len(), 64, "{file}: {text:?}");
        assert!(text.trim().bytes().all(|b| b.is_ascii_hexdigit()), "{file}: {text:?}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&data_dir).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name()).filter(|n| n.to_string_lossy().starts_with(".secret-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // And `migrate` from four processes at once on another fresh database.
    let db2 = TestDb::new().await;
    let env2 = [("CONVENE_DATABASE_URL", db2.url().to_string()), ("CONVENE_DATA_DIR", data_dir.display().to_string())];
    let outputs = futures::future::join_all((0..4).map(|_| convene(&["migrate"], &env2, dir.path()).output())).await;
    for out in outputs {
        let out = out.unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    for (mut child, _) in servers {
        let _ = child.kill().await;
    }
}

#[tokio::test]
async fn a_database_that_is_down_stops_the_start_at_once_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("CONVENE_DATA_DIR", dir.path().join("data").display().to_string())];
    let started = Instant::now();
    let out = convene(&["migrate", "--database-url", "postgres://postgres:hunter2@127.0.0.1:1/x"], &env, dir.path()).output().await.unwrap();
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    // It used to retry for 11 s; a refused connection is now final.
    assert!(took < Duration::from_secs(8), "took {took:?}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("cannot connect to the database at postgres://postgres:***@127.0.0.1:1/x"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "the password is not printed: {stderr}");
    let reason = stderr.trim().rsplit(": ").next().unwrap();
    assert_eq!(stderr.matches(reason).count(), 1, "said once: {stderr}");
    assert_eq!(stderr.to_ascii_lowercase().matches("refused").count(), 1, "said once: {stderr}");
}

#[tokio::test]
async fn names_and_titles_refuse_bidi_overrides_and_invisible_characters() {
    let app = TestApp::spawn().await;
    // A display name that would read "Ana administrator" backwards.
    let res = app.post_json("/api/v1/auth/signup", &json!({ "email": "spoof@example.org", "display_name": "Ana \u{202E}rotartsinimda" })).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let p = problem(res).await;
    assert_eq!(p["errors"][0]["field"], "display_name", "{p}");
    assert!(p["errors"][0]["problem"].as_str().unwrap().contains("U+202E"), "{p}");

    let admin = admin_token(&app, "admin@example.org").await;
    let cases = [
        ("/title/en", json!("Budget \u{2067}2027\u{2069}"), "title.en"),
        ("/phases/0/name/es", json!("Consulta\u{200B}"), "phases[0].name.es"),
        ("/summary/en", json!("An override \u{202D}left open"), "summary.en"),
    ];
    for (pointer, value, field) in cases {
        let mut body = process_body("spoofed");
        *body.pointer_mut(pointer).unwrap() = value;
        let res = app.with_token(&admin).post_json("/api/v1/processes", &body).send().await.unwrap();
        assert_eq!(res.status(), 422, "{pointer}");
        let p = problem(res).await;
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&field), "{pointer}: {p}");
    }
    // Right-to-left text itself, and balanced marks in long text, are welcome.
    let mut body = process_body("arabic-title");
    body["title"]["en"] = json!("مشاركة المواطنين 2027");
    body["description"]["en"] = json!("Quoted: \u{2067}مشاركة\u{2069} and more.\nSecond line.");
    let created = create_process(&app, &admin, &body).await;
    assert_eq!(created["title"]["en"], "مشاركة المواطنين 2027");
    // Pages isolate user text, so a right-to-left title cannot reorder what surrounds it.
    let res = app.with_token(&admin).post("/api/v1/processes/arabic-title/publish").send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = app.get("/").send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<bdi>مشاركة المواطنين 2027</bdi>"), "{html}");
}
