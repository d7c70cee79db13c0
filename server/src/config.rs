//! Typed configuration: defaults, then `convene.toml`, then `CONVENE_*` environment variables,
//! then command-line flags. Everything is validated once at start so that a wrong value stops
//! the server with a message that names the setting, instead of failing later in a request.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::domain::language::Language;
use crate::domain::rate::Rate;

/// Settings after validation: every field holds a value the server can use as it is.
#[derive(Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    /// The address citizens use to reach this instance (links in emails, cookies). When not
    /// configured it is derived from the address the server actually bound.
    pub public_url: Option<Url>,
    pub database_url: String,
    pub database_max_connections: u32,
    /// How long the start waits for the database to answer before giving up.
    pub database_connect_timeout: std::time::Duration,
    pub data_dir: PathBuf,
    /// Where request bodies too large for memory (plugin components, census files) are
    /// spooled while they arrive: `data_dir/uploads`.
    pub upload_dir: PathBuf,
    pub jwt_secret: Secret,
    pub census_secret: Secret,
    /// Seed of the Ed25519 key that signs the public ledger.
    pub ledger_secret: Secret,
    pub log_format: LogFormat,
    pub instance: InstanceSettings,
    pub mail: MailSettings,
    pub auth: AuthSettings,
    pub plugins: PluginSettings,
    pub results: ResultsSettings,
    pub metrics: MetricsSettings,
    pub http: HttpSettings,
    pub limits: LimitSettings,
    pub federation: FederationSettings,
}

/// How this instance takes part in federation (ActivityPub); see README "Federation".
#[derive(Clone, Debug)]
pub struct FederationSettings {
    /// Whether the instance has actors, answers WebFinger and sends or accepts activities.
    pub enabled: bool,
    /// Lets peers be plain `http://` on private or loopback addresses with a port: for trying
    /// two instances on one machine and for tests, never on the internet.
    pub allow_private_addresses: bool,
    /// A delivery that has not succeeded this long after it was queued is given up and shown
    /// to administrators as failed.
    pub give_up_after: std::time::Duration,
    /// Deliveries in flight at once to one instance, from this server.
    pub per_instance_concurrency: usize,
    /// Deliveries in flight at once from this server, to all instances.
    pub concurrency: usize,
    /// The largest incoming activity accepted, in bytes.
    pub max_activity_bytes: usize,
}

/// How the server sees its callers.
#[derive(Clone, Debug, Default)]
pub struct HttpSettings {
    /// Reverse proxies whose `X-Forwarded-For` is believed. From any other peer the header is
    /// ignored: anyone can write it.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// Rate limits, each a count per window (`None`: switched off). Counted in the database, so
/// they hold across replicas; see README "Rate limits".
#[derive(Clone, Debug)]
pub struct LimitSettings {
    /// Sign-in and account-deletion link requests to one mailbox.
    pub sign_in_link_per_email: Option<Rate>,
    /// Sign-in link requests from one client address.
    pub sign_in_link_per_client: Option<Rate>,
    /// Sign-ups for one mailbox.
    pub signup_per_email: Option<Rate>,
    /// Sign-ups from one client address.
    pub signup_per_client: Option<Rate>,
    /// Password attempts from one client address, right or wrong.
    pub password_per_client: Option<Rate>,
    /// Failed passwords for one account: the count is free, then each failure doubles the
    /// wait (1 s, 2 s, 4 s...) up to the window; a success ends the streak, and so does a
    /// window without failures after the last wait.
    pub password_failures_per_account: Option<Rate>,
    /// The same, for failed passwords from one client address across accounts.
    pub password_failures_per_client: Option<Rate>,
    /// Contributions made online by one account (facilitators' entries for others are not
    /// limited).
    pub contributions_per_account: Option<Rate>,
    /// Reports of contributions made by one account.
    pub reports_per_account: Option<Rate>,
    /// Emails an activity's plugin may have sent to one person (per activity; the window is
    /// usually a day).
    pub notifications_per_recipient: Option<Rate>,
    /// Emails an activity's plugin may have sent in all (the window is usually an hour).
    pub notifications_per_activity: Option<Rate>,
}

/// Where Prometheus metrics are served. By default nowhere: the public port answers
/// `/metrics` with 404 unless a token is set, and no other listener is opened unless a bind
/// address is set.
#[derive(Clone, Debug, Default)]
pub struct MetricsSettings {
    /// A separate listener that serves only `/metrics` (a private interface, say).
    pub bind: Option<SocketAddr>,
    /// A bearer token that `/metrics` requires, on the public port (which then serves it) and
    /// on the metrics listener.
    pub token: Option<Secret>,
}

/// The sandbox of activity-type plugins on this instance.
#[derive(Clone, Debug)]
pub struct PluginSettings {
    pub limits: crate::adapters::plugins::Limits,
    /// Where compiled plugins are cached, keyed by content hash and engine version.
    pub cache_dir: PathBuf,
    /// What the key authenticating cached compiled plugins is derived from: `jwt_secret`
    /// unless `plugins.cache_secret` is set (servers sharing one cache folder share it).
    pub cache_secret: Secret,
}

/// How activity results are kept (see `app::results`): computed once per change of the
/// activity, and served from the copy.
#[derive(Clone, Debug)]
pub struct ResultsSettings {
    /// Results whose last computation took at least this much fuel are recomputed in the job
    /// queue; the previous copy is served meanwhile, marked as being recomputed.
    pub background_fuel: u64,
    /// Results that depend on the time (their plugin read the clock) are recomputed once they
    /// are older than this.
    pub clock_max_age: std::time::Duration,
}

#[derive(Clone, Debug)]
pub struct InstanceSettings {
    pub name: String,
    pub languages: Vec<Language>,
    pub default_language: Language,
}

#[derive(Clone, Debug)]
pub struct MailSettings {
    pub from: lettre::message::Mailbox,
    pub transport: MailTransport,
}

#[derive(Clone, Debug)]
pub enum MailTransport {
    /// Writes each message as an .eml file into the folder and logs login links: the embedded
    /// default, so a fresh instance works without an SMTP server.
    File { dir: PathBuf },
    Smtp {
        host: String,
        port: u16,
        credentials: Option<(String, Secret)>,
        tls: SmtpTls,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain text; only for a relay on the same machine or in tests.
    None,
    /// Upgrade with STARTTLS (usually port 587).
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

#[derive(Clone, Debug)]
pub struct AuthSettings {
    pub access_token_seconds: i64,
    pub refresh_token_days: i64,
    pub magic_link_minutes: i64,
    pub admin_link_hours: i64,
    /// None: Secure cookies exactly when the public URL is https.
    pub cookie_secure: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Secret bytes that never show up in Debug output or logs.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// What the sources can say, before validation. Field names are the keys of `convene.toml`;
/// nested keys become `CONVENE_SECTION__KEY` in the environment.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    bind: String,
    public_url: Option<String>,
    database_url: Option<String>,
    data_dir: PathBuf,
    jwt_secret: Option<String>,
    log_format: String,
    instance: RawInstance,
    mail: RawMail,
    auth: RawAuth,
    database: RawDatabase,
    plugins: RawPlugins,
    results: RawResults,
    metrics: RawMetrics,
    http: RawHttp,
    limits: RawLimits,
    federation: RawFederation,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawFederation {
    enabled: bool,
    allow_private_addresses: bool,
    give_up_after_seconds: u64,
    per_instance_concurrency: usize,
    concurrency: usize,
    max_activity_kib: usize,
}

impl Default for RawFederation {
    fn default() -> Self {
        RawFederation {
            enabled: true,
            allow_private_addresses: false,
            // Two days: an instance down over a weekend misses nothing.
            give_up_after_seconds: 2 * 86_400,
            per_instance_concurrency: 4,
            concurrency: 32,
            max_activity_kib: 256,
        }
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    /// Addresses or CIDR ranges, as a list or one comma-separated string (handy in the
    /// environment).
    trusted_proxies: OneOrMany,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<String>),
    One(String),
}

impl OneOrMany {
    fn items(&self) -> Vec<String> {
        match self {
            OneOrMany::Many(v) => v.clone(),
            OneOrMany::One(s) => s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect(),
        }
    }
}

/// Each limit as `COUNT/WINDOW` (`5/15m`) or `off`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    sign_in_link_per_email: String,
    sign_in_link_per_client: String,
    signup_per_email: String,
    signup_per_client: String,
    password_per_client: String,
    password_failures_per_account: String,
    password_failures_per_client: String,
    contributions_per_account: String,
    reports_per_account: String,
    notifications_per_recipient: String,
    notifications_per_activity: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawMetrics {
    bind: Option<String>,
    token: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawPlugins {
    /// Linear memory of one plugin instance, in MiB.
    memory_mib: u64,
    /// Plugin instances alive at once across the server.
    max_live_instances: u32,
    /// Calls of one activity type running at once.
    max_calls_per_type: u32,
    /// Key-value storage per activity, in KiB, and its number of entries.
    kv_quota_kib: u64,
    kv_max_entries: u64,
    cache_dir: Option<PathBuf>,
    /// The secret the cache's MAC key is derived from; default: jwt_secret.
    cache_secret: Option<String>,
    /// Budgets of calls someone waits for (describe, configuration and contribution checks,
    /// forms) and of calls over a whole activity (results, phase changes).
    interactive: RawBudget,
    background: RawBudget,
}

/// One class of plugin calls' budget.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawBudget {
    /// Wall-clock backstop, in milliseconds.
    deadline_ms: u64,
    /// Fuel: about one unit per WebAssembly instruction, and what host calls cost.
    fuel: u64,
    /// What the host may read for one call: MiB handed to the plugin, rows, database time.
    read_mib: u64,
    read_rows: u64,
    database_ms: u64,
}

impl RawBudget {
    fn from_budget(b: &crate::adapters::plugins::CallBudget) -> RawBudget {
        RawBudget {
            deadline_ms: b.deadline.as_millis() as u64,
            fuel: b.fuel,
            read_mib: (b.read_bytes >> 20) as u64,
            read_rows: b.read_rows as u64,
            database_ms: b.database_time.as_millis() as u64,
        }
    }

    fn validate(self, section: &str) -> Result<crate::adapters::plugins::CallBudget, ConfigError> {
        for (key, value, min, max) in [
            ("deadline_ms", self.deadline_ms, 5, 600_000),
            ("fuel", self.fuel, 1_000_000, 1_000_000_000_000),
            ("read_mib", self.read_mib, 1, 64 << 10),
            ("read_rows", self.read_rows, 1, 100_000_000),
            ("database_ms", self.database_ms, 1, 600_000),
        ] {
            if !(min..=max).contains(&value) {
                return Err(bad(&format!("{section}.{key}"), format!("must be between {min} and {max}, not {value}")));
            }
        }
        Ok(crate::adapters::plugins::CallBudget {
            deadline: std::time::Duration::from_millis(self.deadline_ms),
            fuel: self.fuel,
            read_bytes: (self.read_mib << 20) as usize,
            read_rows: self.read_rows as usize,
            database_time: std::time::Duration::from_millis(self.database_ms),
        })
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawResults {
    /// Fuel from which results are recomputed in the job queue.
    background_fuel: u64,
    /// Age, in seconds, after which results that read the clock are recomputed.
    clock_max_age_seconds: u64,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawInstance {
    name: String,
    languages: Vec<String>,
    default_language: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawMail {
    transport: String,
    from: String,
    dir: Option<PathBuf>,
    smtp: RawSmtp,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawSmtp {
    host: Option<String>,
    port: Option<u16>,
    username: Option<String>,
    password: Option<String>,
    tls: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawAuth {
    access_token_seconds: i64,
    refresh_token_days: i64,
    magic_link_minutes: i64,
    admin_link_hours: i64,
    cookie_secure: Option<bool>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    max_connections: u32,
    connect_timeout_seconds: u64,
}

impl Default for RawSettings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            public_url: None,
            database_url: None,
            data_dir: PathBuf::from("convene-data"),
            jwt_secret: None,
            log_format: "text".into(),
            instance: RawInstance {
                name: "Convene".into(),
                languages: vec!["en".into(), "es".into(), "fr".into()],
                default_language: "en".into(),
            },
            mail: RawMail {
                transport: "file".into(),
                from: "Convene <noreply@localhost>".into(),
                dir: None,
                smtp: RawSmtp {
                    host: None,
                    port: None,
                    username: None,
                    password: None,
                    tls: "starttls".into(),
                },
            },
            auth: RawAuth {
                access_token_seconds: 900,
                refresh_token_days: 30,
                magic_link_minutes: 20,
                admin_link_hours: 24,
                cookie_secure: None,
            },
            database: RawDatabase { max_connections: 10, connect_timeout_seconds: 3 },
            plugins: {
                let limits = crate::adapters::plugins::Limits::default();
                RawPlugins {
                    memory_mib: limits.memory_bytes >> 20,
                    max_live_instances: limits.max_live_instances,
                    max_calls_per_type: limits.max_calls_per_type,
                    kv_quota_kib: (limits.kv_quota_bytes >> 10) as u64,
                    kv_max_entries: limits.kv_max_entries as u64,
                    cache_dir: None,
                    cache_secret: None,
                    interactive: RawBudget::from_budget(&limits.interactive),
                    background: RawBudget::from_budget(&limits.background),
                }
            },
            // The consultation's compute-results takes about 11.5 million fuel per 1,000
            // responses (BENCHMARKS.md, "Plugin fuel"; 25 ms of CPU for about 2,000 in a debug
            // build): activities of a few thousand contributions are recomputed at once,
            // larger ones in the job queue.
            results: RawResults { background_fuel: 50_000_000, clock_max_age_seconds: 60 },
            http: RawHttp { trusted_proxies: OneOrMany::Many(vec![]) },
            // What a municipality's instance can live with: generous for people (a family
            // sharing one address, a library, a town-hall event on one Wi-Fi), tight for a
            // script. See README "Rate limits".
            limits: RawLimits {
                sign_in_link_per_email: "5/15m".into(),
                sign_in_link_per_client: "30/15m".into(),
                signup_per_email: "3/1h".into(),
                signup_per_client: "50/1h".into(),
                password_per_client: "60/15m".into(),
                password_failures_per_account: "5/15m".into(),
                password_failures_per_client: "20/15m".into(),
                contributions_per_account: "60/10m".into(),
                reports_per_account: "30/1h".into(),
                // A citizen panel invites up to 200 people in one draw; nobody needs more
                // than a few emails a day from one activity.
                notifications_per_recipient: "10/1d".into(),
                notifications_per_activity: "300/1h".into(),
            },
            metrics: RawMetrics::default(),
            federation: RawFederation::default(),
        }
    }
}

/// Values given on the command line; they win over every other source.
#[derive(Debug, Default, Serialize)]
pub struct CliOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
}

/// One wrong setting, named the way the operator wrote it.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {key}: {problem}")]
pub struct ConfigError {
    pub key: String,
    pub problem: String,
}

fn bad(key: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError { key: key.to_string(), problem: problem.into() }
}

/// The environment keys we read; anything else under CONVENE_ (a test harness's own
/// variables, say) is not ours and is ignored rather than rejected.
const ENV_KEYS: &[&str] = &[
    "bind", "public_url", "database_url", "data_dir", "jwt_secret", "log_format",
];
const ENV_SECTIONS: &[&str] = &["instance.", "mail.", "auth.", "database.", "plugins.", "results.", "http.", "limits.", "metrics.", "federation."];

impl Settings {
    /// Reads `config_file` (if given, it must exist; otherwise `./convene.toml` if present),
    /// the environment and the flags, then validates. Creates the data directory and, on first
    /// start, the persisted secrets in it.
    pub fn load(config_file: Option<&Path>, cli: CliOverrides) -> Result<Settings, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(RawSettings::default()));
        match config_file {
            Some(path) if !path.exists() => {
                return Err(bad("--config", format!("file {} does not exist", path.display())));
            }
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            // The default file is optional; a named one must exist (checked above).
            None => figment = figment.merge(Toml::file("convene.toml")),
        }
        let env = Env::prefixed("CONVENE_").split("__").filter(|key| {
            let key = key.as_str().to_ascii_lowercase();
            ENV_KEYS.contains(&key.as_str()) || ENV_SECTIONS.iter().any(|s| key.starts_with(s))
        });
        figment = figment.merge(env).merge(Serialized::defaults(cli));
        let raw: RawSettings = figment.extract().map_err(|e| {
            let key = if e.path.is_empty() { "settings".to_string() } else { e.path.join(".") };
            let source = e.metadata.as_ref().map(|m| format!(" (from {})", m.name)).unwrap_or_default();
            bad(&key, format!("{}{source}", e.kind))
        })?;
        Self::validate(raw)
    }

    fn validate(raw: RawSettings) -> Result<Settings, ConfigError> {
        let bind: SocketAddr = raw.bind.parse().map_err(|_| {
            bad("bind", format!("`{}` is not an address like 127.0.0.1:8080", raw.bind))
        })?;
        let public_url = raw.public_url.as_deref().map(parse_public_url).transpose()?;

        let data_dir = raw.data_dir;
        std::fs::create_dir_all(&data_dir).map_err(|e| {
            bad("data_dir", format!("cannot create {}: {e}", data_dir.display()))
        })?;

        let database_url = raw.database_url.unwrap_or_else(|| "sqlite://convene.db?mode=rwc".into());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(bad("database_url", "must start with sqlite: or postgres://"));
        }
        if raw.database.max_connections == 0 {
            return Err(bad("database.max_connections", "must be at least 1"));
        }
        let connect_timeout = raw.database.connect_timeout_seconds;
        if !(1..=300).contains(&connect_timeout) {
            return Err(bad("database.connect_timeout_seconds", format!("must be between 1 and 300, not {connect_timeout}")));
        }
        let upload_dir = data_dir.join("uploads");
        std::fs::create_dir_all(&upload_dir)
            .map_err(|e| bad("data_dir", format!("cannot create {}: {e}", upload_dir.display())))?;

        let jwt_secret = match raw.jwt_secret {
            Some(s) if s.len() < 32 => {
                return Err(bad("jwt_secret", "must be at least 32 characters long"));
            }
            Some(s) => Secret(s.into_bytes()),
            None => persisted_secret(&data_dir, "jwt_secret", "jwt_secret")?,
        };
        let census_secret = persisted_secret(&data_dir, "census_secret", "data_dir")?;
        let ledger_secret = persisted_secret(&data_dir, "ledger_key", "data_dir")?;

        let log_format = match raw.log_format.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => return Err(bad("log_format", format!("`{other}` is not one of: text, json"))),
        };

        let instance = validate_instance(raw.instance)?;
        let mail = validate_mail(raw.mail, &data_dir)?;

        let a = raw.auth;
        for (key, value, max) in [
            ("auth.access_token_seconds", a.access_token_seconds, 86_400),
            ("auth.refresh_token_days", a.refresh_token_days, 365),
            ("auth.magic_link_minutes", a.magic_link_minutes, 1_440),
            ("auth.admin_link_hours", a.admin_link_hours, 720),
        ] {
            if !(1..=max).contains(&value) {
                return Err(bad(key, format!("must be between 1 and {max}, not {value}")));
            }
        }
        let auth = AuthSettings {
            access_token_seconds: a.access_token_seconds,
            refresh_token_days: a.refresh_token_days,
            magic_link_minutes: a.magic_link_minutes,
            admin_link_hours: a.admin_link_hours,
            cookie_secure: a.cookie_secure,
        };

        let plugins = validate_plugins(raw.plugins, &data_dir, &jwt_secret)?;
        let results = validate_results(raw.results)?;
        let http = validate_http(raw.http)?;
        let limits = validate_limits(raw.limits)?;
        let metrics = validate_metrics(raw.metrics)?;
        let federation = validate_federation(raw.federation)?;

        Ok(Settings {
            bind,
            public_url,
            database_url,
            database_max_connections: raw.database.max_connections,
            database_connect_timeout: std::time::Duration::from_secs(connect_timeout),
            data_dir,
            upload_dir,
            jwt_secret,
            census_secret,
            ledger_secret,
            log_format,
            instance,
            mail,
            auth,
            plugins,
            results,
            http,
            limits,
            metrics,
            federation,
        })
    }

    /// The public URL, or one derived from the address the server listens on.
    pub fn public_url_or(&self, bound: SocketAddr) -> Url {
        self.public_url.clone().unwrap_or_else(|| {
            Url::parse(&format!("http://{bound}/")).expect("a socket address makes a valid URL")
        })
    }
}

fn parse_public_url(s: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(s).map_err(|e| bad("public_url", format!("`{s}` is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("public_url", "must start with http:// or https://"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("public_url", "must not have a query or fragment"));
    }
    // Normalise to a trailing slash so that joining paths keeps any prefix.
    let mut url = url;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn validate_instance(raw: RawInstance) -> Result<InstanceSettings, ConfigError> {
    let name = raw.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(bad("instance.name", "must be 1 to 100 characters"));
    }
    if raw.languages.is_empty() {
        return Err(bad("instance.languages", "name at least one language, e.g. [\"en\"]"));
    }
    let mut languages = Vec::new();
    for (i, tag) in raw.languages.iter().enumerate() {
        let lang = Language::parse(tag)
            .map_err(|p| bad(&format!("instance.languages[{i}]"), p))?;
        if languages.contains(&lang) {
            return Err(bad(&format!("instance.languages[{i}]"), format!("`{tag}` is listed twice")));
        }
        languages.push(lang);
    }
    let default_language = Language::parse(&raw.default_language)
        .map_err(|p| bad("instance.default_language", p))?;
    if !languages.contains(&default_language) {
        return Err(bad(
            "instance.default_language",
            format!("`{default_language}` is not in instance.languages"),
        ));
    }
    Ok(InstanceSettings { name, languages, default_language })
}

fn validate_results(raw: RawResults) -> Result<ResultsSettings, ConfigError> {
    for (key, value, min, max) in [("results.background_fuel", raw.background_fuel, 0, 1_000_000_000_000), ("results.clock_max_age_seconds", raw.clock_max_age_seconds, 1, 86_400)] {
        if !(min..=max).contains(&value) {
            return Err(bad(key, format!("must be between {min} and {max}, not {value}")));
        }
    }
    Ok(ResultsSettings {
        background_fuel: raw.background_fuel,
        clock_max_age: std::time::Duration::from_secs(raw.clock_max_age_seconds),
    })
}

fn validate_plugins(raw: RawPlugins, data_dir: &Path, jwt_secret: &Secret) -> Result<PluginSettings, ConfigError> {
    for (key, value, min, max) in [
        ("plugins.memory_mib", raw.memory_mib, 2, 4_096),
        ("plugins.max_live_instances", raw.max_live_instances as u64, 1, 10_000),
        ("plugins.max_calls_per_type", raw.max_calls_per_type as u64, 1, 10_000),
        ("plugins.kv_quota_kib", raw.kv_quota_kib, 1, 1 << 20),
        ("plugins.kv_max_entries", raw.kv_max_entries, 1, 10_000_000),
    ] {
        if !(min..=max).contains(&value) {
            return Err(bad(key, format!("must be between {min} and {max}, not {value}")));
        }
    }
    let limits = crate::adapters::plugins::Limits {
        interactive: raw.interactive.validate("plugins.interactive")?,
        background: raw.background.validate("plugins.background")?,
        memory_bytes: raw.memory_mib << 20,
        max_live_instances: raw.max_live_instances,
        max_calls_per_type: raw.max_calls_per_type,
        kv_quota_bytes: (raw.kv_quota_kib << 10) as usize,
        kv_max_entries: raw.kv_max_entries as usize,
        ..Default::default()
    };
    let cache_dir = raw.cache_dir.unwrap_or_else(|| data_dir.join("plugin-cache"));
    // Owner-only from the start: the server runs the code it finds there (its ownership and
    // mode are checked when a command opens the instance, once logs can say what was fixed).
    crate::adapters::plugins::cache::create_private_dir(&cache_dir)
        .map_err(|e| bad("plugins.cache_dir", format!("cannot create {}: {e}", cache_dir.display())))?;
    let cache_secret = match raw.cache_secret {
        Some(s) if s.len() < 32 => return Err(bad("plugins.cache_secret", "must be at least 32 characters long")),
        Some(s) => Secret(s.into_bytes()),
        None => jwt_secret.clone(),
    };
    Ok(PluginSettings { limits, cache_dir, cache_secret })
}

fn validate_http(raw: RawHttp) -> Result<HttpSettings, ConfigError> {
    let mut trusted_proxies = Vec::new();
    for (i, item) in raw.trusted_proxies.items().iter().enumerate() {
        let net = item
            .parse::<ipnet::IpNet>()
            .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
            .map_err(|_| bad(&format!("http.trusted_proxies[{i}]"), format!("`{item}` is not an address or a CIDR range like 10.0.0.0/8")))?;
        trusted_proxies.push(net.trunc());
    }
    Ok(HttpSettings { trusted_proxies })
}

fn validate_limits(raw: RawLimits) -> Result<LimitSettings, ConfigError> {
    let rate = |key: &str, value: &str| -> Result<Option<Rate>, ConfigError> {
        if value.trim().eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        Rate::parse(value).map(Some).map_err(|p| bad(&format!("limits.{key}"), p))
    };
    Ok(LimitSettings {
        sign_in_link_per_email: rate("sign_in_link_per_email", &raw.sign_in_link_per_email)?,
        sign_in_link_per_client: rate("sign_in_link_per_client", &raw.sign_in_link_per_client)?,
        signup_per_email: rate("signup_per_email", &raw.signup_per_email)?,
        signup_per_client: rate("signup_per_client", &raw.signup_per_client)?,
        password_per_client: rate("password_per_client", &raw.password_per_client)?,
        password_failures_per_account: rate("password_failures_per_account", &raw.password_failures_per_account)?,
        password_failures_per_client: rate("password_failures_per_client", &raw.password_failures_per_client)?,
        contributions_per_account: rate("contributions_per_account", &raw.contributions_per_account)?,
        reports_per_account: rate("reports_per_account", &raw.reports_per_account)?,
        notifications_per_recipient: rate("notifications_per_recipient", &raw.notifications_per_recipient)?,
        notifications_per_activity: rate("notifications_per_activity", &raw.notifications_per_activity)?,
    })
}

/// The shortest metrics token accepted: long enough not to be guessed.
const METRICS_TOKEN_MIN_CHARS: usize = 24;

fn validate_federation(raw: RawFederation) -> Result<FederationSettings, ConfigError> {
    for (key, value, max) in [
        ("federation.give_up_after_seconds", raw.give_up_after_seconds as usize, 30 * 86_400),
        ("federation.per_instance_concurrency", raw.per_instance_concurrency, 256),
        ("federation.concurrency", raw.concurrency, 1_024),
        ("federation.max_activity_kib", raw.max_activity_kib, 10 * 1_024),
    ] {
        if !(1..=max).contains(&value) {
            return Err(bad(key, format!("must be between 1 and {max}, not {value}")));
        }
    }
    Ok(FederationSettings {
        enabled: raw.enabled,
        allow_private_addresses: raw.allow_private_addresses,
        give_up_after: std::time::Duration::from_secs(raw.give_up_after_seconds),
        per_instance_concurrency: raw.per_instance_concurrency,
        concurrency: raw.concurrency.max(raw.per_instance_concurrency),
        max_activity_bytes: raw.max_activity_kib * 1_024,
    })
}

fn validate_metrics(raw: RawMetrics) -> Result<MetricsSettings, ConfigError> {
    let bind = raw
        .bind
        .filter(|b| !b.trim().is_empty())
        .map(|b| b.parse::<SocketAddr>().map_err(|_| bad("metrics.bind", format!("`{b}` is not an address like 127.0.0.1:9090"))))
        .transpose()?;
    let token = match raw.token {
        None => None,
        Some(t) if t.chars().count() < METRICS_TOKEN_MIN_CHARS => {
            return Err(bad("metrics.token", format!("must be at least {METRICS_TOKEN_MIN_CHARS} characters long")));
        }
        Some(t) if !t.chars().all(|c| c.is_ascii_graphic()) => {
            return Err(bad("metrics.token", "use printable ASCII without spaces (it is sent in an Authorization header)"));
        }
        Some(t) => Some(Secret(t.into_bytes())),
    };
    Ok(MetricsSettings { bind, token })
}

fn validate_mail(raw: RawMail, data_dir: &Path) -> Result<MailSettings, ConfigError> {
    let from: lettre::message::Mailbox = raw
        .from
        .parse()
        .map_err(|e| bad("mail.from", format!("`{}` is not an address: {e}", raw.from)))?;
    let transport = match raw.transport.as_str() {
        "file" => {
            let dir = raw.dir.unwrap_or_else(|| data_dir.join("mail"));
            std::fs::create_dir_all(&dir)
                .map_err(|e| bad("mail.dir", format!("cannot create {}: {e}", dir.display())))?;
            MailTransport::File { dir }
        }
        "smtp" => {
            let s = raw.smtp;
            let host = s
                .host
                .filter(|h| !h.trim().is_empty())
                .ok_or_else(|| bad("mail.smtp.host", "required when mail.transport is smtp"))?;
            let tls = match s.tls.as_str() {
                "none" => SmtpTls::None,
                "starttls" => SmtpTls::Starttls,
                "tls" => SmtpTls::Tls,
                other => {
                    return Err(bad(
                        "mail.smtp.tls",
                        format!("`{other}` is not one of: none, starttls, tls"),
                    ));
                }
            };
            let port = s.port.unwrap_or(match tls {
                SmtpTls::Tls => 465,
                SmtpTls::Starttls => 587,
                SmtpTls::None => 25,
            });
            let credentials = match (s.username, s.password) {
                (Some(u), Some(p)) => Some((u, Secret(p.into_bytes()))),
                (None, None) => None,
                (Some(_), None) => return Err(bad("mail.smtp.password", "required with a username")),
                (None, Some(_)) => return Err(bad("mail.smtp.username", "required with a password")),
            };
            MailTransport::Smtp { host, port, credentials, tls }
        }
        other => {
            return Err(bad("mail.transport", format!("`{other}` is not one of: file, smtp")));
        }
    };
    Ok(MailSettings { from, transport })
}

/// A random secret kept in the data directory, created on first start with owner-only access.
/// Several processes may start together on one data directory (replicas, or `serve` beside a
/// `migrate`): each writes its candidate to a temporary file and links it into place only if
/// no secret is there yet, so exactly one wins, the others read the winner's, and nobody ever
/// sees a partly written file.
fn persisted_secret(data_dir: &Path, file: &str, key: &str) -> Result<Secret, ConfigError> {
    let path = data_dir.join(file);
    if let Some(secret) = read_secret(&path, key)? {
        return Ok(secret);
    }
    let bytes: [u8; 32] = rand::random();
    match write_new_atomically(data_dir, &path, &hex::encode(bytes)) {
        Ok(()) => Ok(Secret(bytes.to_vec())),
        // Another process created it between our read and our write: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_secret(&path, key)?
            .ok_or_else(|| bad(key, format!("{} vanished while it was being created", path.display()))),
        Err(e) => Err(bad(key, format!("cannot write {}: {e}", path.display()))),
    }
}

/// The secret in `path`, `None` if there is no such file, or an error naming the file if it
/// is not a secret this server wrote: refusing to start beats signing with a wrong key.
fn read_secret(path: &Path, key: &str) -> Result<Option<Secret>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(bad(key, format!("cannot read {}: {e}", path.display()))),
    };
    let malformed = |what: &str| {
        bad(
            key,
            format!(
                "{} {what}; it should hold 64 hexadecimal characters. Restore it from a backup \
                 (removing it makes a new secret, which signs out everyone and, for ledger_key, \
                 changes the key that signs the public ledger)",
                path.display()
            ),
        )
    };
    let bytes = hex::decode(text.trim()).map_err(|_| malformed("is not a hex secret"))?;
    if bytes.len() < 32 {
        return Err(malformed("holds fewer than 32 bytes"));
    }
    Ok(Some(Secret(bytes)))
}

/// Writes `contents` to a temporary file in `dir` (owner-only), syncs it, then gives it the
/// name `path` only if that name is free (`AlreadyExists` otherwise), and syncs the directory
/// so that the name survives a power cut.
fn write_new_atomically(dir: &Path, path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    // tempfile creates the file with mode 0600 on Unix.
    let mut tmp = tempfile::Builder::new().prefix(".secret-").tempfile_in(dir)?;
    tmp.write_all(contents.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processes_creating_a_secret_together_end_with_the_same_one() {
        let dir = tempfile::tempdir().unwrap();
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
        let secrets: Vec<Vec<u8>> = (0..8)
            .map(|_| {
                let (dir, barrier) = (dir.path().to_path_buf(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    persisted_secret(&dir, "ledger_key", "data_dir").unwrap().expose().to_vec()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        assert!(secrets.iter().all(|s| s == &secrets[0] && s.len() == 32));
        let on_disk = std::fs::read_to_string(dir.path().join("ledger_key")).unwrap();
        assert_eq!(hex::decode(on_disk.trim()).unwrap(), secrets[0]);
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_malformed_secret_file_stops_the_start_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        for (content, expected) in [("", "fewer than 32 bytes"), ("abcd", "fewer than 32 bytes"), ("not hex at all", "not a hex secret")] {
            std::fs::write(dir.path().join("census_secret"), content).unwrap();
            let e = persisted_secret(dir.path(), "census_secret", "data_dir").err().expect("refused");
            assert!(e.problem.contains("census_secret") && e.problem.contains(expected), "{e}");
            assert_eq!(std::fs::read_to_string(dir.path().join("census_secret")).unwrap(), content, "left as it was");
        }
    }

    #[test]
    fn metrics_settings_are_checked() {
        assert!(validate_metrics(RawMetrics::default()).unwrap().bind.is_none());
        assert_eq!(validate_metrics(RawMetrics { bind: Some("nope".into()), token: None }).unwrap_err().key, "metrics.bind");
        assert_eq!(validate_metrics(RawMetrics { bind: None, token: Some("short".into()) }).unwrap_err().key, "metrics.token");
        assert_eq!(validate_metrics(RawMetrics { bind: None, token: Some("with a space in the middle of it".into()) }).unwrap_err().key, "metrics.token");
        let ok = validate_metrics(RawMetrics { bind: Some("127.0.0.1:9090".into()), token: Some("x".repeat(32)) }).unwrap();
        assert_eq!(ok.bind.unwrap().port(), 9090);
    }

    #[test]
    fn results_settings_are_checked() {
        let ok = validate_results(RawResults { background_fuel: 0, clock_max_age_seconds: 1 }).unwrap();
        assert_eq!((ok.background_fuel, ok.clock_max_age), (0, std::time::Duration::from_secs(1)));
        assert_eq!(validate_results(RawResults { background_fuel: 1_000_000_000_001, clock_max_age_seconds: 60 }).unwrap_err().key, "results.background_fuel");
        assert_eq!(validate_results(RawResults { background_fuel: 25, clock_max_age_seconds: 0 }).unwrap_err().key, "results.clock_max_age_seconds");
    }
}
