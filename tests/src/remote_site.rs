//! A stand-in for a person's own fediverse site (a Mastodon, say), on loopback, for "follow
//! from another site": it answers WebFinger for the accounts it has, with Mastodon's
//! "subscribe" template, and serves the page that template points to, which says which actor
//! it was asked to follow. The server under test must be started with
//! `CONVENE_FEDERATION__ALLOW_PRIVATE_ADDRESSES=true` to reach it (it is plain http on
//! 127.0.0.1).
//!
//! Also what other sites leave in the database, written there directly for the pages that
//! show it: a remote follower of a process ([`add_follower`]) and a delivery given up
//! ([`add_failed_delivery`]), without any exchange with those sites.

use std::sync::Arc;

use sea_orm::prelude::{ChronoDateTimeUtc, Uuid};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement, Value};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub struct RemoteSite {
    /// `127.0.0.1:<port>`: the instance's name, as it appears in handles.
    pub host: String,
    task: JoinHandle<()>,
}

impl Drop for RemoteSite {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RemoteSite {
    /// A site whose accounts are `accounts` (names without `@`).
    pub async fn start(accounts: &[&str]) -> RemoteSite {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the remote site");
        let host = listener.local_addr().unwrap().to_string();
        let accounts: Arc<Vec<String>> = Arc::new(accounts.iter().map(|a| a.to_string()).collect());
        let site = host.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else { return };
                let accounts = accounts.clone();
                let site = site.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 16 * 1024];
                    let mut got = 0;
                    // The request head is all this site reads (GETs only).
                    while got < buf.len() {
                        match tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut buf[got..])).await {
                            Ok(Ok(0)) | Err(_) | Ok(Err(_)) => break,
                            Ok(Ok(n)) => got += n,
                        }
                        if buf[..got].windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                    let head = String::from_utf8_lossy(&buf[..got]).to_string();
                    let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let (status, kind, body) = answer(&site, &accounts, &target);
                    let res = format!("HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
                    let _ = stream.write_all(res.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        RemoteSite { host, task }
    }

    /// The address of the follow page this site sends people to for `actor`.
    pub fn follow_page_for(&self, actor: &str) -> String {
        format!("http://{}/authorize_interaction?uri={}", self.host, url_encode(actor))
    }
}

/// `application/x-www-form-urlencoded` encoding, as the server under test uses for `{uri}`.
fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'+', _) => out.push(b' '),
            (b'%', Some(v)) => {
                out.push(v);
                i += 2;
            }
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_param(target: &str, name: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| url_decode(v))
    })
}

fn answer(site: &str, accounts: &[String], target: &str) -> (&'static str, &'static str, String) {
    let path = target.split('?').next().unwrap_or("/");
    match path {
        "/.well-known/webfinger" => {
            let resource = query_param(target, "resource").unwrap_or_default();
            let known = resource
                .strip_prefix("acct:")
                .and_then(|acct| acct.rsplit_once('@'))
                .filter(|(name, host)| *host == site && accounts.iter().any(|a| a == name));
            match known {
                Some((name, _)) => {
                    let body = serde_json::json!({
                        "subject": format!("acct:{name}@{site}"),
                        "links": [
                            { "rel": "self", "type": "application/activity+json", "href": format!("http://{site}/users/{name}") },
                            { "rel": "http://ostatus.org/schema/1.0/subscribe", "template": format!("http://{site}/authorize_interaction?uri={{uri}}") }
                        ]
                    });
                    ("200 OK", "application/jrd+json", body.to_string())
                }
                None => ("404 Not Found", "text/plain", "no such account".into()),
            }
        }
        "/authorize_interaction" => {
            let uri = query_param(target, "uri").unwrap_or_default();
            let escaped = uri.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
            let body = format!(
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Follow on the remote site</title></head>\
                 <body><main><h1>Follow on the remote site</h1><p>Follow <code id=\"uri\">{escaped}</code>?</p></main></body></html>"
            );
            ("200 OK", "text/html; charset=utf-8", body)
        }
        _ => ("404 Not Found", "text/plain", "not found".into()),
    }
}

/// A remote actor, as the server stores one it has fetched.
pub struct RemoteActor<'a> {
    pub ap_id: &'a str,
    pub name: Option<&'a str>,
    pub inbox: &'a str,
}

fn placeholders(backend: DatabaseBackend, n: usize) -> Vec<String> {
    (1..=n).map(|i| if backend == DatabaseBackend::Postgres { format!("${i}") } else { "?".to_string() }).collect()
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or_default().to_ascii_lowercase()
}

/// Makes `actor` a follower of the process `process_id`, straight in the database (as the
/// server records an accepted Follow), without any exchange with its site.
pub async fn add_follower(db: &DatabaseConnection, process_id: &str, actor: &RemoteActor<'_>) {
    let backend = db.get_database_backend();
    let now: ChronoDateTimeUtc = "2026-11-30T10:00:00Z".parse().unwrap();
    let actor_id = Uuid::now_v7();
    let p = placeholders(backend, 7);
    let sql = format!(
        "INSERT INTO remote_actors (id, ap_id, host, kind, inbox, shared_inbox, public_key_pem, preferred_username, name, url, fetched_at) \
         VALUES ({}, {}, {}, 'Person', {}, NULL, 'unused', NULL, {}, NULL, {})",
        p[0], p[1], p[2], p[3], p[4], p[5]
    );
    let values: Vec<Value> = vec![actor_id.into(), actor.ap_id.into(), host_of(actor.ap_id).into(), actor.inbox.into(), actor.name.map(str::to_string).into(), now.into()];
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await.expect("insert the remote actor");
    let sql = format!("INSERT INTO process_followers (process_id, actor_id, follow_id, created_at) VALUES ({}, {}, {}, {})", p[0], p[1], p[2], p[3]);
    let values: Vec<Value> = vec![Uuid::parse_str(process_id).unwrap().into(), actor_id.into(), format!("{}#follows/{actor_id}", actor.ap_id).into(), now.into()];
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await.expect("insert the follower");
}

/// A delivery of an activity of type `activity` from the process's actor to `inbox` that the
/// delivery worker gave up on (its deadline passed), with `error` as its last error; returns
/// the job's id.
pub async fn add_failed_delivery(db: &DatabaseConnection, base_url: &str, process_id: &str, inbox: &str, activity: &str, error: &str) -> Uuid {
    let backend = db.get_database_backend();
    let when: ChronoDateTimeUtc = "2026-11-30T12:00:00Z".parse().unwrap();
    let job_id = Uuid::now_v7();
    let base = base_url.trim_end_matches('/');
    let payload = serde_json::json!({
        "kind": "deliver",
        "activity": serde_json::json!({ "id": format!("{base}/ap/activities/{job_id}"), "type": activity }).to_string(),
        "actor": format!("{base}/ap/processes/{process_id}"),
        "inbox": inbox,
        "give_up_at": "2026-11-30T12:00:00Z",
    });
    let p = placeholders(backend, 6);
    let sql = format!(
        "INSERT INTO jobs (id, kind, payload, status, attempts, run_after, locked_until, locked_by, last_error, created_at, updated_at) \
         VALUES ({}, 'federation_delivery', {}, 'failed', 9, {}, NULL, NULL, {}, {}, {})",
        p[0], p[1], p[2], p[3], p[4], p[5]
    );
    let values: Vec<Value> = vec![job_id.into(), payload.to_string().into(), when.into(), error.into(), when.into(), when.into()];
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await.expect("insert the failed delivery");
    job_id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips() {
        let actor = "http://127.0.0.1:8080/ap/processes/0190-ab?x=1&y=é";
        assert_eq!(url_decode(&url_encode(actor)), actor);
        assert_eq!(url_decode("a%2"), "a%2");
    }
}
