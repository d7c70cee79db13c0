//! Browser scenarios: a Node script in `tests/browser/scenarios/` drives Debian's chromium
//! (headless, through `playwright-core`) against a running [`TestApp`], and checks every page
//! state it reaches with axe-core. The Rust side prepares data through the API and hands it
//! over; the script's exit status is the verdict. See `tests/browser/lib/` and the README.
//!
//! What a missing prerequisite (node, chromium, the npm packages) gives is a failure that says
//! how to install it, never a skipped test.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::process::Command;

use crate::{DbKind, TestApp};

/// How long one scenario may run (the script stops itself at 120 s; this is the backstop).
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(180);

/// The oldest Node that runs the scenarios (playwright-core 1.65 needs 20).
const MIN_NODE_MAJOR: u32 = 20;

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the repository").to_path_buf()
}

/// `tests/browser`: package.json, the library and the scenarios.
pub fn browser_dir() -> PathBuf {
    repo_root().join("tests/browser")
}

/// The browser the scenarios drive: `CHROMIUM` if set, else Debian's package.
pub fn chromium_path() -> PathBuf {
    std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Where the scenarios' JSON reports and screenshots go: `target/browser-report/<database>`, so
/// that the SQLite and PostgreSQL runs keep a report each.
pub fn report_dir() -> PathBuf {
    let db = match DbKind::from_env() {
        DbKind::Sqlite => "sqlite",
        DbKind::Postgres => "postgres",
    };
    repo_root().join("target/browser-report").join(db)
}

/// Checks that node, chromium and the npm packages are there. `Err` says what is missing and
/// how to install it.
pub fn preflight(chromium: &Path, browser_dir: &Path) -> Result<(), String> {
    const HOW: &str = "`bash tests/run.sh` (or `.ci/run`) installs everything the browser tests need";
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .map_err(|e| format!("the browser tests need Node.js {MIN_NODE_MAJOR}+ on PATH (`node`: {e}); install it (apt-get install nodejs npm)"))?;
    let version = String::from_utf8_lossy(&node.stdout).trim().to_string();
    let major: u32 = version.trim_start_matches('v').split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    if major < MIN_NODE_MAJOR {
        return Err(format!("the browser tests need Node.js {MIN_NODE_MAJOR}+, `node --version` says {version:?}"));
    }
    if !chromium.is_file() {
        return Err(format!(
            "the browser tests need Debian's chromium at {} (or CHROMIUM=/path/to/chromium): apt-get update && apt-get install -y chromium; {HOW}",
            chromium.display()
        ));
    }
    for package in ["playwright-core", "axe-core", "@axe-core/playwright"] {
        if !browser_dir.join("node_modules").join(package).join("package.json").is_file() {
            return Err(format!(
                "the npm package {package} is not installed in {}: npm ci --prefix {}; {HOW}",
                browser_dir.display(),
                browser_dir.display()
            ));
        }
    }
    Ok(())
}

/// Runs `node tests/browser/scenarios/<name>.mjs` against `app` with `data` as its
/// `SCENARIO_DATA`, and panics with the script's output unless it exits 0. Returns its
/// standard output (the summary line: states checked, axe rules run, time taken).
pub async fn run_scenario(app: &TestApp, name: &str, data: Value) -> String {
    run_scenario_named(app, name, name, data).await
}

/// [`run_scenario`] of `tests/browser/scenarios/<script>.mjs` under another name (`SCENARIO_NAME`:
/// its report is `<name>.json`), for a scenario that runs more than once with different data.
pub async fn run_scenario_named(app: &TestApp, script: &str, name: &str, data: Value) -> String {
    let dir = browser_dir();
    let chromium = chromium_path();
    if let Err(missing) = preflight(&chromium, &dir) {
        panic!("browser scenario {name} cannot run: {missing}");
    }
    let script = dir.join("scenarios").join(format!("{script}.mjs"));
    assert!(script.is_file(), "no scenario {}", script.display());

    let started = Instant::now();
    let mut cmd = Command::new("node");
    cmd.arg(&script)
        .current_dir(repo_root())
        .env("BASE_URL", &app.base_url)
        .env("MAIL_DIR", app.mail_dir())
        .env("SCENARIO_NAME", name)
        .env("SCENARIO_DATA", data.to_string())
        .env("REPORT_DIR", report_dir())
        .env("CHROMIUM", &chromium)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let output = match tokio::time::timeout(SCENARIO_TIMEOUT, cmd.output()).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => panic!("cannot run node {}: {e}", script.display()),
        Err(_) => panic!("browser scenario {name} did not finish within {SCENARIO_TIMEOUT:?}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let took = started.elapsed();
    if !output.status.success() {
        panic!(
            "browser scenario {name} failed ({}) after {took:.1?}\n----- its stdout -----\n{stdout}----- its stderr -----\n{stderr}----- end of scenario output -----",
            output.status
        );
    }
    println!("{stdout}browser scenario {name}: {took:.1?} including node's start");
    if !stderr.trim().is_empty() {
        eprintln!("{stderr}");
    }
    stdout
}
