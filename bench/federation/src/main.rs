//! Federation benchmark against a running `convene serve` (see `bench/federation.sh`).
//!
//! Plays a small fediverse on loopback: `--instances` sink servers (`http://localhost:PORT`,
//! one port per "instance") serve Person actors and their inboxes, and record every delivery
//! with its arrival time. Then:
//!
//! 1. **Fan-out**, for each `--fanout SLUG:N`: N actors, spread evenly over the instances,
//!    follow the process SLUG for real (a signed `Follow` each to the process's inbox; the
//!    server fetches the actor and answers with an `Accept` to its own inbox). Each actor has
//!    its own inbox and no shared inbox, so N followers are N deliveries. The outcome of the
//!    process is then published (and revised, `--repeat` times in all) through the API, and
//!    the time is taken from the API call returning until every follower's inbox has received
//!    the `Announce`. Every Announce's HTTP signature and digest are checked afterwards with
//!    the process actor's key (afterwards, so that checking takes no CPU from the server
//!    while it is timed).
//! 2. **Incoming**: `--incoming M` `Like` activities with unique ids from `--actors` actors,
//!    signed before the clock starts (draft-cavage, `(request-target) host date digest`,
//!    RSA-SHA256), the first per actor sent untimed (the server fetches and keeps each actor's
//!    key then), then all M POSTed to `/ap/inbox` at `--concurrency`; accepted/s counts 2xx
//!    answers only, and every other answer is counted as a failure.
//!
//! Prints what it measures, and one JSON line (`RESULT {...}`) for the script.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey, LineEnding};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const AP: &str = "application/activity+json";
const CONTEXT: [&str; 2] = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"];

struct Args {
    /// The server as its public URL names it, e.g. `http://localhost:18100`.
    base: String,
    token: String,
    /// The server's process id, for its CPU time.
    pid: Option<u32>,
    /// PKCS#8 PEM of the key every simulated actor signs with.
    key: String,
    sink_port: u16,
    instances: usize,
    fanouts: Vec<(String, usize)>,
    repeat: usize,
    incoming: usize,
    actors: usize,
    concurrency: usize,
    follow_concurrency: usize,
    /// The process whose actor the incoming Likes name (a slug of a published process).
    like_process: Option<String>,
    /// A shell command run before each timed measurement, once the queue has settled (the
    /// script runs PostgreSQL's ANALYZE there: autovacuum is off on the bench database).
    hook: Option<String>,
}

fn parse_args() -> Result<Args> {
    let mut a = Args {
        base: String::new(),
        token: String::new(),
        pid: None,
        key: String::new(),
        sink_port: 18200,
        instances: 10,
        fanouts: vec![],
        repeat: 3,
        incoming: 5000,
        actors: 50,
        concurrency: 32,
        follow_concurrency: 16,
        like_process: None,
        hook: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--base" => a.base = val()?.trim_end_matches('/').to_string(),
            "--token" => a.token = val()?,
            "--pid" => a.pid = Some(val()?.parse()?),
            "--key" => a.key = std::fs::read_to_string(val()?)?,
            "--sink-port" => a.sink_port = val()?.parse()?,
            "--instances" => a.instances = val()?.parse()?,
            "--fanout" => {
                let v = val()?;
                let (slug, n) = v.split_once(':').context("--fanout SLUG:N")?;
                a.fanouts.push((slug.to_string(), n.parse()?));
            }
            "--repeat" => a.repeat = val()?.parse()?,
            "--incoming" => a.incoming = val()?.parse()?,
            "--actors" => a.actors = val()?.parse()?,
            "--concurrency" => a.concurrency = val()?.parse()?,
            "--follow-concurrency" => a.follow_concurrency = val()?.parse()?,
            "--like-process" => a.like_process = Some(val()?),
            "--hook" => a.hook = Some(val()?),
            other => bail!("unknown flag {other}"),
        }
    }
    if a.base.is_empty() || a.key.is_empty() {
        bail!("usage: federation_bench --base URL --token T --key PEMFILE [--pid PID] [--fanout SLUG:N]... [--incoming M]");
    }
    Ok(a)
}

// ---------------------------------------------------------------------------------------
// The simulated instances.

/// One POST that reached a simulated inbox.
struct Arrival {
    at: Instant,
    /// Which inbox: `localhost:PORT/users/NAME/inbox`.
    inbox: String,
    path: String,
    kind: String,
    actor: String,
    object_type: String,
    signature: String,
    digest: String,
    /// Every header as received (lower-case names), for checking the signature afterwards.
    headers: BTreeMap<String, String>,
    body: web::Bytes,
}

struct Shared {
    arrivals: Mutex<Vec<Arrival>>,
    public_pem: String,
}

fn actor_url(port: u16, name: &str) -> String {
    format!("http://localhost:{port}/users/{name}")
}

async fn actor_doc(req: HttpRequest, name: web::Path<String>, shared: web::Data<Shared>) -> HttpResponse {
    let port = req.app_config().local_addr().port();
    let id = actor_url(port, &name);
    let doc = json!({
        "@context": CONTEXT,
        "type": "Person",
        "id": id,
        "preferredUsername": *name,
        "name": format!("Bench {name}"),
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": shared.public_pem},
    });
    HttpResponse::Ok().content_type(AP).body(doc.to_string())
}

async fn inbox(req: HttpRequest, name: web::Path<String>, body: web::Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let at = Instant::now();
    let port = req.app_config().local_addr().port();
    let header = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let arrival = Arrival {
        at,
        inbox: format!("localhost:{port}/users/{name}/inbox"),
        path: req.path().to_string(),
        kind: v["type"].as_str().unwrap_or("").to_string(),
        actor: v["actor"].as_str().unwrap_or("").to_string(),
        object_type: v["object"]["type"].as_str().unwrap_or("").to_string(),
        signature: header("signature"),
        digest: header("digest"),
        headers: req.headers().iter().map(|(k, v)| (k.as_str().to_ascii_lowercase(), v.to_str().unwrap_or("").to_string())).collect(),
        body,
    };
    shared.arrivals.lock().unwrap().push(arrival);
    HttpResponse::Accepted().finish()
}

/// Waits until each of `inboxes` has received an activity of `kind` from `actor`, looking at
/// arrivals from index `from` on. Returns the indices of the first such arrival per inbox.
async fn wait_for(shared: &Shared, from: usize, actor: &str, kind: &str, inboxes: &HashSet<String>, timeout: Duration) -> Result<Vec<usize>> {
    let deadline = Instant::now() + timeout;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut scanned = from;
    loop {
        {
            let arrivals = shared.arrivals.lock().unwrap();
            for (i, a) in arrivals.iter().enumerate().skip(scanned) {
                if a.kind == kind && a.actor == actor && inboxes.contains(&a.inbox) {
                    seen.entry(a.inbox.clone()).or_insert(i);
                }
            }
            scanned = arrivals.len();
        }
        if seen.len() == inboxes.len() {
            return Ok(seen.into_values().collect());
        }
        if Instant::now() > deadline {
            bail!("timed out: {} of {} inboxes got the {kind} from {actor}", seen.len(), inboxes.len());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Checks a delivery's Digest against its body and its draft-cavage signature with `key`.
fn verify_arrival(a: &Arrival, key: &RsaPublicKey, key_id: &str) -> Result<()> {
    let digest = format!("SHA-256={}", B64.encode(Sha256::digest(&a.body)));
    if a.digest != digest {
        bail!("digest {} does not match the body", a.digest);
    }
    let mut params = BTreeMap::new();
    for part in a.signature.split(',') {
        if let Some((k, v)) = part.split_once('=') {
            params.insert(k.trim().to_string(), v.trim().trim_matches('"').to_string());
        }
    }
    if params.get("keyId").map(String::as_str) != Some(key_id) {
        bail!("signed with {:?}, not {key_id}", params.get("keyId"));
    }
    let headers = params.get("headers").context("no headers in the signature")?;
    let mut lines = vec![];
    for h in headers.split_whitespace() {
        lines.push(match h {
            "(request-target)" => format!("(request-target): post {}", a.path),
            name => format!("{name}: {}", a.headers.get(name).with_context(|| format!("the signed header {name} was not sent"))?),
        });
    }
    for needed in ["(request-target)", "host", "date", "digest"] {
        if !headers.split_whitespace().any(|h| h == needed) {
            bail!("{needed} is not signed");
        }
    }
    let sig = B64.decode(params.get("signature").context("no signature")?)?;
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(lines.join("\n").as_bytes()), &sig).context("the signature does not verify")?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Signing what the simulated actors send.

struct Signed {
    url: String,
    body: Vec<u8>,
    date: String,
    digest: String,
    signature: String,
}

fn http_date() -> String {
    chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn sign(key: &RsaPrivateKey, actor: &str, url: &str, body: Vec<u8>) -> Result<Signed> {
    let rest = url.split_once("://").context("absolute url")?.1;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let date = http_date();
    let digest = format!("SHA-256={}", B64.encode(Sha256::digest(&body)));
    let signing_string = format!("(request-target): post {path}\nhost: {host}\ndate: {date}\ndigest: {digest}");
    let sig = key.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(signing_string.as_bytes()))?;
    let signature =
        format!("keyId=\"{actor}#main-key\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"{}\"", B64.encode(sig));
    Ok(Signed { url: url.to_string(), body, date, digest, signature })
}

async fn post_signed(client: &reqwest::Client, s: &Signed) -> Result<u16> {
    let r = client
        .post(&s.url)
        .header("content-type", AP)
        .header("accept", AP)
        .header("date", &s.date)
        .header("digest", &s.digest)
        .header("signature", &s.signature)
        .body(s.body.clone())
        .send()
        .await?;
    let status = r.status().as_u16();
    let _ = r.bytes().await;
    Ok(status)
}

/// POSTs every request at `concurrency`; returns each answer's status (0: not reached) and
/// its latency.
async fn post_all(client: &reqwest::Client, requests: Arc<Vec<Signed>>, concurrency: usize) -> Vec<(u16, Duration)> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = vec![];
    for _ in 0..concurrency.max(1) {
        let (client, requests, next) = (client.clone(), requests.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = vec![];
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(s) = requests.get(i) else { break };
                let t = Instant::now();
                let status = post_signed(&client, s).await.unwrap_or(0);
                out.push((i, status, t.elapsed()));
            }
            out
        }));
    }
    let mut all = vec![(0u16, Duration::ZERO); requests.len()];
    for t in tasks {
        for (i, status, took) in t.await.expect("a sender task") {
            all[i] = (status, took);
        }
    }
    all
}

// ---------------------------------------------------------------------------------------
// Measuring.

/// CPU seconds (user + system) used so far by a process.
fn cpu_seconds(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return f64::NAN };
    let Some(after) = stat.rsplit_once(')').map(|(_, r)| r) else { return f64::NAN };
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
    // Fields 14 and 15 of stat(5); `after` starts at field 3.
    (ticks(11) + ticks(12)) / 100.0
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).unwrap_or_default()
}

struct Cpu {
    server: Option<String>,
    server0: f64,
    me0: f64,
    t0: Instant,
}

impl Cpu {
    fn start(pid: Option<u32>) -> Cpu {
        let server = pid.map(|p| p.to_string());
        Cpu { server0: server.as_deref().map_or(f64::NAN, cpu_seconds), server, me0: cpu_seconds("self"), t0: Instant::now() }
    }
    /// (server CPU seconds, this program's CPU seconds, wall seconds)
    fn stop(&self) -> (f64, f64, f64) {
        let server = self.server.as_deref().map_or(f64::NAN, cpu_seconds) - self.server0;
        (server, cpu_seconds("self") - self.me0, self.t0.elapsed().as_secs_f64())
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

// ---------------------------------------------------------------------------------------

struct Bench {
    args: Args,
    client: reqwest::Client,
    key: Arc<RsaPrivateKey>,
    shared: Arc<Shared>,
    ports: Vec<u16>,
}

impl Bench {
    fn hook(&self) -> Result<()> {
        if let Some(cmd) = &self.args.hook {
            let status = std::process::Command::new("sh").arg("-c").arg(cmd).status()?;
            if !status.success() {
                bail!("the hook `{cmd}` failed: {status}");
            }
        }
        Ok(())
    }

    fn api(&self, path: &str) -> String {
        format!("{}/api/v1/{path}", self.args.base)
    }

    async fn process(&self, slug: &str) -> Result<(String, String, RsaPublicKey)> {
        let v: Value = self.client.get(self.api(&format!("processes/{slug}"))).bearer_auth(&self.args.token).send().await?.error_for_status()?.json().await?;
        let id = v["id"].as_str().or(v["process"]["id"].as_str()).context("the process has no id")?.to_string();
        let actor = format!("{}/ap/processes/{id}", self.args.base);
        let doc: Value = self.client.get(&actor).header("accept", AP).send().await?.error_for_status()?.json().await?;
        let pem = doc["publicKey"]["publicKeyPem"].as_str().context("the process actor has no key")?;
        let inbox = doc["inbox"].as_str().context("the process actor has no inbox")?.to_string();
        Ok((actor, inbox, RsaPublicKey::from_public_key_pem(pem)?))
    }

    /// N followers of the process, each following with a signed Follow; waits for every Accept.
    async fn follow(&self, slug: &str, n: usize, actor: &str, process_inbox: &str) -> Result<(HashSet<String>, Value)> {
        let per = n.div_ceil(self.ports.len());
        let mut follows = vec![];
        let mut inboxes = HashSet::new();
        for (k, port) in self.ports.iter().enumerate() {
            for i in 0..per {
                if k * per + i >= n {
                    break;
                }
                let name = format!("{slug}-{i}");
                let me = actor_url(*port, &name);
                inboxes.insert(format!("localhost:{port}/users/{name}/inbox"));
                let body = json!({"@context": CONTEXT, "type": "Follow", "id": format!("{me}/follows/{slug}"), "actor": me, "object": actor});
                follows.push((me, body.to_string().into_bytes()));
            }
        }
        let signed: Vec<Signed> = follows.into_iter().map(|(me, body)| sign(&self.key, &me, process_inbox, body)).collect::<Result<_>>()?;
        let mark = self.shared.arrivals.lock().unwrap().len();
        let t = Instant::now();
        let answers = post_all(&self.client, Arc::new(signed), self.args.follow_concurrency).await;
        let posted = t.elapsed();
        let failed: Vec<u16> = answers.iter().map(|a| a.0).filter(|s| !(200..300).contains(s)).collect();
        if !failed.is_empty() {
            bail!("{} of {n} Follows were refused: {:?}", failed.len(), &failed[..failed.len().min(10)]);
        }
        wait_for(&self.shared, mark, actor, "Accept", &inboxes, Duration::from_secs(600)).await?;
        let accepted = t.elapsed();
        println!("{slug}: {n} followers followed in {:.2} s ({:.0} Follows/s, concurrency {}); every Accept delivered {:.2} s after the first Follow", posted.as_secs_f64(), n as f64 / posted.as_secs_f64(), self.args.follow_concurrency, accepted.as_secs_f64());
        Ok((inboxes, json!({"follows_s": posted.as_secs_f64(), "follows_per_s": n as f64 / posted.as_secs_f64(), "accepts_done_s": accepted.as_secs_f64()})))
    }

    async fn fanout(&self, slug: &str, n: usize) -> Result<Value> {
        let (actor, process_inbox, process_key) = self.process(slug).await?;
        let (inboxes, follow) = self.follow(slug, n, &actor, &process_inbox).await?;
        // Let the queue settle (the Accepts' jobs are finished) before timing.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let mut runs = vec![];
        for round in 1..=self.args.repeat {
            self.hook()?;
            let load_before = loadavg();
            let mark = self.shared.arrivals.lock().unwrap().len();
            let mut body = json!({
                "title": {"en": format!("Outcome of {slug}")},
                "sections": [{"id": "1", "heading": {"en": "What we decided"}, "body": {"en": format!("Version {round} of what was decided, and why.")}}],
            });
            if round > 1 {
                body["note"] = json!({"en": format!("Revision {round}")});
            }
            let cpu = Cpu::start(self.args.pid);
            let t0 = Instant::now();
            let r = self.client.post(self.api(&format!("processes/{slug}/outcomes"))).bearer_auth(&self.args.token).json(&body).send().await?;
            let status = r.status();
            let text = r.text().await?;
            let returned = Instant::now();
            if !status.is_success() {
                bail!("publishing the outcome of {slug} answered {status}: {text}");
            }
            let firsts = wait_for(&self.shared, mark, &actor, "Announce", &inboxes, Duration::from_secs(600)).await?;
            let (server_cpu, my_cpu, _) = cpu.stop();
            let arrivals = self.shared.arrivals.lock().unwrap();
            let times: Vec<Instant> = firsts.iter().map(|&i| arrivals[i].at).collect();
            let first = *times.iter().min().expect("n > 0");
            let last = *times.iter().max().expect("n > 0");
            let since = |t: Instant| if t >= returned { ms(t - returned) } else { -ms(returned - t) };
            // Every delivery checked now that the clock has stopped.
            let key_id = format!("{actor}#main-key");
            let mut bad = vec![];
            for &i in &firsts {
                let a = &arrivals[i];
                if a.object_type != "Create" {
                    bad.push(format!("{}: object is {}", a.inbox, a.object_type));
                } else if let Err(e) = verify_arrival(a, &process_key, &key_id) {
                    bad.push(format!("{}: {e}", a.inbox));
                }
            }
            let extra = arrivals[mark..].iter().filter(|a| a.kind == "Announce" && a.actor == actor).count() - firsts.len();
            drop(arrivals);
            let all_s = since(last) / 1000.0;
            let run = json!({
                "round": round,
                "inboxes": n,
                "publish_api_ms": ms(returned - t0),
                "first_ms": since(first),
                "all_s": all_s,
                "deliveries_per_s": n as f64 / (ms(last - first.min(returned)) / 1000.0).max(1e-9),
                "server_cpu_s": server_cpu,
                "bench_cpu_s": my_cpu,
                "server_cpu_pct": 100.0 * server_cpu / (ms(last - t0) / 1000.0),
                "verified": n - bad.len(),
                "bad": bad.len(),
                "duplicates": extra,
                "load_before": load_before,
                "load_after": loadavg(),
            });
            println!(
                "{slug} round {round}: {n} inboxes, publish API {:.0} ms, first Announce {:.0} ms and last {:.2} s after it returned ({:.0} deliveries/s); server CPU {:.2} s ({:.0}% of a core), bench CPU {:.2} s; signatures verified {}/{n}, duplicates {extra}; load {load_before} -> {}",
                run["publish_api_ms"].as_f64().unwrap(),
                run["first_ms"].as_f64().unwrap(),
                all_s,
                run["deliveries_per_s"].as_f64().unwrap(),
                server_cpu,
                run["server_cpu_pct"].as_f64().unwrap(),
                my_cpu,
                n - bad.len(),
                run["load_after"].as_str().unwrap(),
            );
            for b in bad.iter().take(5) {
                println!("  BAD {b}");
            }
            runs.push(run);
            // The deliveries' jobs are finished just after the last arrival; let them be.
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        Ok(json!({"slug": slug, "inboxes": n, "follow": follow, "runs": runs}))
    }

    async fn incoming(&self) -> Result<Value> {
        let (m, actors) = (self.args.incoming, self.args.actors.max(1));
        let slug = self.args.like_process.clone().or(self.args.fanouts.first().map(|f| f.0.clone())).context("--like-process SLUG")?;
        let (process_actor, _, _) = self.process(&slug).await?;
        let inbox = format!("{}/ap/inbox", self.args.base);
        let port = self.ports[0];
        let like = |a: usize, id: &str| {
            let me = actor_url(port, &format!("in-{a}"));
            let body = json!({"@context": "https://www.w3.org/ns/activitystreams", "type": "Like", "id": format!("{me}/likes/{id}"), "actor": me, "object": process_actor, "to": [process_actor]});
            (me, body.to_string().into_bytes())
        };
        // Sign everything before the clock starts, on every core.
        let t = Instant::now();
        let mut unsigned: Vec<(String, Vec<u8>)> = (0..actors).map(|a| like(a, "warm")).collect();
        unsigned.extend((0..m).map(|n| like(n % actors, &format!("{n}"))));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let chunk = unsigned.len().div_ceil(threads);
        let mut signed: Vec<Signed> = Vec::with_capacity(unsigned.len());
        std::thread::scope(|s| -> Result<()> {
            let handles: Vec<_> = unsigned
                .chunks(chunk)
                .map(|part| {
                    let key = self.key.clone();
                    let inbox = inbox.clone();
                    s.spawn(move || part.iter().map(|(me, body)| sign(&key, me, &inbox, body.clone())).collect::<Result<Vec<_>>>())
                })
                .collect();
            for h in handles {
                signed.extend(h.join().expect("a signing thread")?);
            }
            Ok(())
        })?;
        println!("incoming: signed {} activities in {:.1} s (before timing)", signed.len(), t.elapsed().as_secs_f64());
        let timed: Vec<Signed> = signed.split_off(actors);
        let warm = post_all(&self.client, Arc::new(signed), 8).await;
        let warm_failed = warm.iter().filter(|a| !(200..300).contains(&a.0)).count();
        if warm_failed > 0 {
            bail!("{warm_failed} of the {actors} first activities (one per actor) were refused: {:?}", warm.iter().map(|a| a.0).collect::<Vec<_>>());
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        self.hook()?;
        let load_before = loadavg();
        let cpu = Cpu::start(self.args.pid);
        let answers = post_all(&self.client, Arc::new(timed), self.args.concurrency).await;
        let (server_cpu, my_cpu, wall) = cpu.stop();
        let ok = answers.iter().filter(|a| (200..300).contains(&a.0)).count();
        let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
        for a in &answers {
            *statuses.entry(a.0).or_default() += 1;
        }
        let mut lat: Vec<Duration> = answers.iter().map(|a| a.1).collect();
        lat.sort();
        let out = json!({
            "activities": m,
            "actors": actors,
            "concurrency": self.args.concurrency,
            "accepted": ok,
            "failed": m - ok,
            "statuses": statuses.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "wall_s": wall,
            "accepted_per_s": ok as f64 / wall,
            "p50_ms": percentile(&lat, 0.5),
            "p99_ms": percentile(&lat, 0.99),
            "server_cpu_s": server_cpu,
            "server_cpu_pct": 100.0 * server_cpu / wall,
            "bench_cpu_s": my_cpu,
            "load_before": load_before,
            "load_after": loadavg(),
        });
        println!(
            "incoming: {ok}/{m} accepted in {wall:.2} s = {:.0} verified activities/s (concurrency {}, {actors} actors), p50 {:.1} ms p99 {:.1} ms, statuses {:?}; server CPU {server_cpu:.2} s ({:.0}% of a core), bench CPU {my_cpu:.2} s; load {load_before} -> {}",
            ok as f64 / wall,
            self.args.concurrency,
            out["p50_ms"].as_f64().unwrap(),
            out["p99_ms"].as_f64().unwrap(),
            statuses,
            out["server_cpu_pct"].as_f64().unwrap(),
            out["load_after"].as_str().unwrap(),
        );
        Ok(out)
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let args = parse_args()?;
    let key = RsaPrivateKey::from_pkcs8_pem(&args.key).context("--key must be a PKCS#8 PEM RSA key")?;
    let public_pem = RsaPublicKey::from(&key).to_public_key_pem(LineEnding::LF)?;
    let shared = Arc::new(Shared { arrivals: Mutex::new(Vec::with_capacity(20_000)), public_pem });
    let ports: Vec<u16> = (0..args.instances as u16).map(|i| args.sink_port + i).collect();
    let data = web::Data::from(shared.clone());
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(1 << 20))
            .route("/users/{name}", web::get().to(actor_doc))
            .route("/users/{name}/inbox", web::post().to(inbox))
    })
    .workers(2)
    .backlog(1024)
    .max_connection_rate(1024)
    .disable_signals();
    for p in &ports {
        server = server.bind(("127.0.0.1", *p)).with_context(|| format!("binding port {p}"))?;
    }
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);

    let client = reqwest::Client::builder().no_proxy().pool_max_idle_per_host(256).timeout(Duration::from_secs(60)).build()?;
    let bench = Bench { client, key: Arc::new(key), shared, ports, args };
    println!("machine: {} cores, load {}", std::thread::available_parallelism().map_or(0, |n| n.get()), loadavg());
    let mut fanouts = vec![];
    for (slug, n) in bench.args.fanouts.clone() {
        fanouts.push(bench.fanout(&slug, n).await?);
    }
    let incoming = if bench.args.incoming > 0 { Some(bench.incoming().await?) } else { None };
    println!("RESULT {}", json!({"fanout": fanouts, "incoming": incoming}));
    handle.stop(false).await;
    Ok(())
}
