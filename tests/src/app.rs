//! `TestApp`: the real `convene` binary, started as a child process with its own database,
//! data directory and SMTP sink, and an HTTP client pointed at it. Tests exercise exactly what
//! an operator runs: configuration from the environment, migrations at start, real sockets.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::RequestBuilder;
use serde::Serialize;
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::db::TestDb;
use crate::smtp_sink::SmtpSink;

/// How long the server may take from exec to `Listening on …` (it migrates a fresh database
/// first; on a loaded 2-core machine that can take a while).
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a CLI command may run before the test gives up on it.
const CLI_TIMEOUT: Duration = Duration::from_secs(120);

/// The line the server prints on stdout once it accepts connections.
const LISTENING_PREFIX: &str = "Listening on ";

/// The line the server prints when it serves metrics on a listener of their own.
const METRICS_PREFIX: &str = "Metrics on ";

/// The bearer token `TestAppBuilder::with_metrics` configures for `/metrics`.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789abcdef";

/// Where the `convene` binary is: `CONVENE_BIN` if set, else next to the test binary's
/// directory (`target/<profile>/deps/<test>` → `target/<profile>/convene`), which is where
/// `cargo build -p convene` puts it for the same profile.
/// The secret of the shared plugin cache's MACs: any fixed value; tests are not its threat.
pub const SHARED_PLUGIN_CACHE_SECRET: &str = "convene-tests-shared-plugin-cache-secret";

/// `target/test-plugin-cache`, beside the binaries under test.
fn shared_plugin_cache() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-plugin-cache")
}

pub fn convene_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("CONVENE_BIN") {
        let path = PathBuf::from(path);
        assert!(path.is_file(), "CONVENE_BIN={} is not a file: build it first: cargo build -p convene", path.display());
        return path;
    }
    let exe = std::env::current_exe().expect("the test binary's own path");
    let mut dir = exe.parent().expect("the test binary is in a directory");
    if dir.ends_with("deps") {
        dir = dir.parent().expect("deps/ is inside the profile directory");
    }
    let bin = dir.join(format!("convene{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.is_file(), "the convene binary is not at {}: build it first: cargo build -p convene", bin.display());
    bin
}

/// 32 random bytes as 64 hex characters: a fresh signing secret per app, so a token from one
/// test can never be valid in another.
fn random_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Chooses how a `TestApp` starts: extra environment variables (or removal of the harness's
/// defaults) and extra `serve` arguments.
#[derive(Debug, Default)]
pub struct TestAppBuilder {
    /// `Some(value)` sets, `None` removes one of the harness's defaults.
    env: BTreeMap<String, Option<String>>,
    args: Vec<String>,
    startup_timeout: Option<Duration>,
}

impl TestAppBuilder {
    /// Sets (or overrides) an environment variable for the server and for `cli`, e.g.
    /// `.env("CONVENE_AUTH__ACCESS_TOKEN_SECONDS", "2")`.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.insert(key.into(), Some(value.into()));
        self
    }

    /// Leaves out a variable the harness would set, e.g. `CONVENE_JWT_SECRET` to test that the
    /// server generates one.
    pub fn env_remove(mut self, key: impl Into<String>) -> Self {
        self.env.insert(key.into(), None);
        self
    }

    /// Serves `/metrics` on the public port behind `METRICS_TOKEN` (metrics are off the public
    /// port by default); read them with `TestApp::metrics`.
    pub fn with_metrics(self) -> Self {
        self.env("CONVENE_METRICS__TOKEN", METRICS_TOKEN)
    }

    /// An extra argument after `convene serve`, e.g. `--demo`.
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Several extra arguments after `convene serve`.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// How long to wait for `Listening on …` (default 30 s).
    pub fn startup_timeout(mut self, timeout: Duration) -> Self {
        self.startup_timeout = Some(timeout);
        self
    }

    /// Creates the database, data directory and SMTP sink, and starts the server. Panics with
    /// the server's output if it does not come up.
    pub async fn spawn(self) -> TestApp {
        let bin = convene_bin();
        let work_dir = tempfile::Builder::new().prefix("convene-app-").tempdir().expect("create a temporary directory");
        let data_dir = work_dir.path().join("data");
        // Every email is also written there as JSON, for programs outside the test (the browser
        // scenarios); see `TestApp::mail_dir`.
        let smtp = SmtpSink::start_writing_to(&work_dir.path().join("received-mail")).await;
        let db = TestDb::new().await;

        let mut env: BTreeMap<String, String> = BTreeMap::new();
        let mut set = |k: &str, v: String| env.insert(k.to_string(), v);
        set("CONVENE_BIND", "127.0.0.1:0".into());
        set("CONVENE_DATABASE_URL", db.url().to_string());
        set("CONVENE_DATA_DIR", data_dir.display().to_string());
        set("CONVENE_MAIL__TRANSPORT", "smtp".into());
        set("CONVENE_MAIL__SMTP__HOST", "127.0.0.1".into());
        set("CONVENE_MAIL__SMTP__PORT", smtp.port().to_string());
        set("CONVENE_MAIL__SMTP__TLS", "none".into());
        set("CONVENE_MAIL__FROM", "Convene <noreply@convene.test>".into());
        set("CONVENE_JWT_SECRET", random_secret());
        // Compiled plugins are keyed by content hash and engine version, and written
        // atomically: every test server shares one cache instead of compiling the built-in
        // plugins again at each start.
        set("CONVENE_PLUGINS__CACHE_DIR", shared_plugin_cache().display().to_string());
        // Cached artifacts are authenticated with a key derived from this secret (by default
        // the JWT secret, which differs per test): servers sharing a cache share it.
        set("CONVENE_PLUGINS__CACHE_SECRET", SHARED_PLUGIN_CACHE_SECRET.into());
        set("RUST_LOG", "info".into());
        // Plain log lines: the output is read by people in failure messages, not terminals.
        set("NO_COLOR", "1".into());
        let bind_overridden = self.env.contains_key("CONVENE_BIND");
        for (key, value) in self.env {
            match value {
                Some(value) => env.insert(key, value),
                None => env.remove(&key),
            };
        }

        let client = reqwest::Client::builder()
            .cookie_store(true)
            // Tests assert on redirects themselves (303 after a form post, say).
            .redirect(reqwest::redirect::Policy::none())
            // Only loopback is ever contacted; a proxy from the environment must not interfere.
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("build the HTTP client");

        let mut app = TestApp {
            base_url: String::new(),
            client,
            smtp,
            db,
            launch: Launch {
                bin,
                env,
                args: self.args,
                work_dir,
                data_dir,
                bind_overridden,
                startup_timeout: self.startup_timeout.unwrap_or(STARTUP_TIMEOUT),
            },
            logs: Arc::new(Mutex::new(String::new())),
            server: None,
        };
        let bind = app.launch.env.get("CONVENE_BIND").cloned().unwrap_or_else(|| "127.0.0.1:0".into());
        if let Err(report) = app.start_at(&bind).await {
            app.fail_start(report);
        }
        app
    }
}

/// Everything needed to start the same server again.
#[derive(Debug)]
struct Launch {
    bin: PathBuf,
    /// The complete `CONVENE_*` (and `RUST_LOG`) environment; inherited `CONVENE_*` are removed.
    env: BTreeMap<String, String>,
    /// Extra `serve` arguments.
    args: Vec<String>,
    /// The server's working directory (so no stray `convene.toml` is picked up, and nothing is
    /// written into the source tree); the data directory is inside it.
    work_dir: TempDir,
    data_dir: PathBuf,
    bind_overridden: bool,
    startup_timeout: Duration,
}

impl Launch {
    /// The binary with the app's environment and nothing else of ours: the harness's own
    /// variables (CONVENE_TEST_DB, CONVENE_BIN) and whatever the developer has exported must not
    /// leak into the server's configuration.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("CONVENE_") {
                cmd.env_remove(&key);
            }
        }
        cmd.envs(&self.env);
        cmd.current_dir(self.work_dir.path());
        cmd.stdin(Stdio::null());
        cmd.kill_on_drop(true);
        cmd
    }
}

/// A running server process and the tasks copying its output into the log buffer.
#[derive(Debug)]
struct Server {
    child: Child,
    drains: Vec<JoinHandle<()>>,
}

/// The real server, running, with everything a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`, no trailing slash, as the server announced it.
    pub base_url: String,
    /// Keeps cookies, follows no redirects.
    pub client: reqwest::Client,
    /// Receives every email the server (and `cli`) sends.
    pub smtp: SmtpSink,
    pub db: TestDb,
    launch: Launch,
    /// stdout and stderr of every run of the server, interleaved by line.
    logs: Arc<Mutex<String>>,
    server: Option<Server>,
}

impl std::fmt::Debug for TestApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestApp").field("base_url", &self.base_url).field("db", &self.db).finish_non_exhaustive()
    }
}

impl TestApp {
    /// A server with the harness's defaults.
    pub async fn spawn() -> TestApp {
        TestApp::builder().spawn().await
    }

    pub fn builder() -> TestAppBuilder {
        TestAppBuilder::default()
    }

    /// The server's data directory (`CONVENE_DATA_DIR`).
    pub fn data_dir(&self) -> &Path {
        &self.launch.data_dir
    }

    /// The directory where the SMTP sink writes every email it receives as a JSON file
    /// (`000001.json`, … by arrival; see `ReceivedMail::to_json`), for programs outside the test
    /// process such as the browser scenarios (their `MAIL_DIR`).
    pub fn mail_dir(&self) -> &Path {
        self.smtp.dir().expect("TestApp's sink writes into a directory")
    }

    /// The environment the server and `cli` run with (the harness's defaults plus overrides).
    pub fn env(&self) -> &BTreeMap<String, String> {
        &self.launch.env
    }

    /// An absolute URL for `path` (`/api/v1/me`); an absolute URL (a link from an email) is
    /// returned as it is.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else if path.starts_with('/') {
            format!("{}{path}", self.base_url)
        } else {
            format!("{}/{path}", self.base_url)
        }
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client.get(self.url(path))
    }

    pub fn post(&self, path: &str) -> RequestBuilder {
        self.client.post(self.url(path))
    }

    pub fn delete(&self, path: &str) -> RequestBuilder {
        self.client.delete(self.url(path))
    }

    pub fn post_json<B: Serialize + ?Sized>(&self, path: &str, body: &B) -> RequestBuilder {
        self.client.post(self.url(path)).json(body)
    }

    pub fn put_json<B: Serialize + ?Sized>(&self, path: &str, body: &B) -> RequestBuilder {
        self.client.put(self.url(path)).json(body)
    }

    pub fn patch_json<B: Serialize + ?Sized>(&self, path: &str, body: &B) -> RequestBuilder {
        self.client.patch(self.url(path)).json(body)
    }

    /// The same helpers, each request carrying `Authorization: Bearer <token>`:
    /// `app.with_token(&t).get("/api/v1/me")`.
    pub fn with_token(&self, token: &str) -> WithToken<'_> {
        WithToken { app: self, token: token.to_string() }
    }

    /// Where this server serves `/metrics`: the listener of its own it announced last (a
    /// restart may have moved it), else the public port if a metrics token is configured.
    pub fn metrics_url(&self) -> Option<String> {
        let announced = self.logs().lines().rev().find_map(|l| l.trim().strip_prefix(METRICS_PREFIX).map(str::to_string));
        announced.or_else(|| self.launch.env.contains_key("CONVENE_METRICS__TOKEN").then(|| self.url("/metrics")))
    }

    /// The Prometheus text of `/metrics`, with the configured token if there is one. Panics if
    /// this server does not serve metrics (start it with `TestApp::builder().with_metrics()`).
    pub async fn metrics(&self) -> String {
        let url = self.metrics_url().expect("this server does not serve /metrics: start it with TestApp::builder().with_metrics()");
        let mut req = self.client.get(&url);
        if let Some(token) = self.launch.env.get("CONVENE_METRICS__TOKEN") {
            req = req.bearer_auth(token);
        }
        let res = req.send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
        assert_eq!(res.status(), 200, "GET {url}");
        res.text().await.expect("the metrics text")
    }

    /// Everything the server printed so far (stdout and stderr, all runs).
    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// Runs `convene <args>` with the same binary, environment and working directory as the
    /// server, waits for it, and returns its output. The SMTP sink receives what it sends.
    /// Async so that the test's runtime keeps running (and the sink and output drains with it)
    /// while the command runs.
    pub async fn cli(&self, args: &[&str]) -> Output {
        self.cli_with_env(args, &[]).await
    }

    /// Like `cli`, with some environment variables set or overridden for this one run (a
    /// wrong setting, say, to check the error it gives).
    pub async fn cli_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.launch.command(args);
        cmd.envs(env.iter().copied());
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        match tokio::time::timeout(CLI_TIMEOUT, cmd.output()).await {
            Ok(Ok(output)) => output,
            Ok(Err(e)) => panic!("cannot run convene {args:?}: {e}"),
            // Dropping the future kills the process (kill_on_drop).
            Err(_) => panic!("convene {args:?} did not finish within {CLI_TIMEOUT:?}"),
        }
    }

    /// Kills the server (SIGKILL: nothing gets a chance to flush, which is what durability
    /// tests want) and waits for it to exit. Does nothing if it is not running.
    pub async fn stop(&mut self) {
        if let Some(mut server) = self.server.take() {
            let _ = server.child.kill().await;
            // The pipes close with the process; let the drains copy the last lines.
            for drain in server.drains {
                let _ = tokio::time::timeout(Duration::from_secs(5), drain).await;
            }
        }
    }

    /// Whether the server process is still running (false after `stop`, or if it died).
    /// The server process's peak resident memory so far, in KiB (Linux).
    pub fn server_peak_rss_kib(&self) -> Option<u64> {
        let pid = self.server.as_ref()?.child.id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    pub fn is_running(&mut self) -> bool {
        self.server.as_mut().is_some_and(|s| matches!(s.child.try_wait(), Ok(None)))
    }

    /// Stops the server if it runs and starts it again with the same database, data
    /// directory, SMTP sink and environment. It tries the port it had before, so `base_url`,
    /// links already emailed and cookies stay valid; if that port is taken it takes a new
    /// one and `base_url` changes.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.logs.lock().unwrap().push_str("----- convene restarted -----\n");
        let previous = self.base_url.trim_start_matches("http://").to_string();
        let bind = match self.launch.env.get("CONVENE_BIND") {
            Some(bind) if self.launch.bind_overridden => bind.clone(),
            _ if !previous.is_empty() => previous,
            _ => "127.0.0.1:0".to_string(),
        };
        if let Err(first) = self.start_at(&bind).await {
            if self.launch.bind_overridden || bind.ends_with(":0") {
                self.fail_start(first);
            }
            self.logs.lock().unwrap().push_str("----- convene restarted on a new port -----\n");
            if let Err(report) = self.start_at("127.0.0.1:0").await {
                self.fail_start(report);
            }
        }
    }

    /// Panics with a start-up failure report, which already contains the server's output;
    /// the buffer is emptied first so that `Drop` does not print it a second time.
    fn fail_start(&mut self, report: String) -> ! {
        self.logs.lock().unwrap().clear();
        panic!("{report}");
    }

    /// Starts `convene serve` bound to `bind` and waits for its `Listening on` line. On
    /// failure, returns a report with the exit status and everything it printed.
    async fn start_at(&mut self, bind: &str) -> Result<(), String> {
        let mut args = vec!["serve"];
        args.extend(self.launch.args.iter().map(String::as_str));
        let mut cmd = self.launch.command(&args);
        cmd.env("CONVENE_BIND", bind);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| format!("cannot start {}: {e}", self.launch.bin.display()))?;

        let (listening_tx, listening_rx) = oneshot::channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        // Both pipes are read to the end for the life of the process, so the server never
        // blocks on a full pipe however much it logs.
        let drains = vec![
            tokio::spawn(drain(stdout, self.logs.clone(), Some(listening_tx))),
            tokio::spawn(drain(stderr, self.logs.clone(), None)),
        ];
        let mut server = Server { child, drains };

        let timeout = self.launch.startup_timeout;
        let failure = match tokio::time::timeout(timeout, listening_rx).await {
            Ok(Ok(url)) => {
                self.base_url = url;
                self.server = Some(server);
                return Ok(());
            }
            // stdout closed without the line: the process is exiting.
            Ok(Err(_)) => "exited before listening".to_string(),
            Err(_) => format!("printed no `{LISTENING_PREFIX}http://…` line within {timeout:?}"),
        };
        let _ = server.child.start_kill();
        let status = match tokio::time::timeout(Duration::from_secs(5), server.child.wait()).await {
            Ok(Ok(status)) => status.to_string(),
            _ => "unknown exit status".to_string(),
        };
        for drain in server.drains {
            let _ = tokio::time::timeout(Duration::from_secs(5), drain).await;
        }
        Err(format!(
            "convene serve (bind {bind}) {failure} ({status}); its output:\n{}",
            self.logs()
        ))
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Kill the server before the database and directories it uses go away (fields drop
        // after this); kill_on_drop would too, but only once `server` itself is dropped.
        if let Some(server) = self.server.as_mut() {
            let _ = server.child.start_kill();
        }
        // A failing test shows its captured output: include the server's side of the story.
        if std::thread::panicking() && !self.logs().is_empty() {
            eprintln!("----- convene output ({}) -----\n{}----- end of convene output -----", self.base_url, self.logs());
        }
    }
}

/// Copies `pipe` into `logs` line by line. On stdout, the first `Listening on <url>` line sends
/// the URL (no trailing slash) through `listening`.
async fn drain(pipe: impl AsyncRead + Unpin, logs: Arc<Mutex<String>>, mut listening: Option<oneshot::Sender<String>>) {
    let mut reader = BufReader::new(pipe);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        {
            let mut logs = logs.lock().unwrap();
            logs.push_str(&text);
            if !text.ends_with('\n') {
                logs.push('\n');
            }
        }
        if let Some(url) = text.trim().strip_prefix(LISTENING_PREFIX)
            && let Some(tx) = listening.take()
        {
            let _ = tx.send(url.trim_end_matches('/').to_string());
        }
    }
}

/// Request helpers that authenticate with a bearer token; see `TestApp::with_token`.
#[derive(Debug)]
pub struct WithToken<'a> {
    app: &'a TestApp,
    token: String,
}

impl WithToken<'_> {
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.app.get(path).bearer_auth(&self.token)
    }

    pub fn post(&self, path: &str) -> RequestBuilder {
        self.app.post(path).bearer_auth(&self.token)
    }

    pub fn delete(&self, path: &str) -> RequestBuilder {
        self.app.delete(path).bearer_auth(&self.token)
    }

    pub fn post_json<B: Serialize + ?Sized>(&self, path: &str, body: &B) -> RequestBuilder {
        self.app.post_json(path, body).bearer_auth(&self.token)
    }

    pub fn put_json<B: Serialize + ?Sized>(&self, path: &str, body: &B) -> RequestBuilder {
        self.app.put_json(path, body).bearer_auth(&self.token)
    }

    pub fn patch_json<B: Serialize + ?Sized>(&self, path: &str, body: &B) -> RequestBuilder {
        self.app.patch_json(path, body).bearer_auth(&self.token)
    }
}
