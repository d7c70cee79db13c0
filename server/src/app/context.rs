//! What every use case needs: the database, the settings, the mailer and the token keys.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use url::Url;
use uuid::Uuid;

use crate::adapters::mail::Mailer;
use crate::app::plugins::PluginRegistry;
use crate::app::tokens::TokenKeys;
use crate::config::Settings;

#[derive(Clone)]
pub struct AppContext {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// Where citizens reach this instance; ends with a slash.
    pub public_url: Url,
    pub mailer: Mailer,
    pub tokens: Arc<TokenKeys>,
    /// Installed activity types and the sandbox that runs them.
    pub plugins: Arc<PluginRegistry>,
    /// Signs the public ledger.
    pub ledger_key: Arc<ed25519_dalek::SigningKey>,
    /// Wakes the job worker when a job is enqueued.
    pub jobs_notify: Arc<tokio::sync::Notify>,
    /// Contributions to one activity are checked and committed in turn on this server.
    pub activity_locks: Arc<crate::app::activity_writes::ActivityLocks>,
    /// Database reads made for plugin calls take one of these: at most half the pool.
    pub plugin_reads: Arc<tokio::sync::Semaphore>,
    /// Results of one activity are computed by one request at a time on this server.
    pub results_locks: Arc<crate::app::activity_writes::ActivityLocks>,
    /// Input-use reports kept while nothing they count changes.
    pub report_cache: Arc<crate::app::report::ReportCache>,
    /// Set once federation has started (see `app::federation::start`).
    pub federation: Arc<std::sync::OnceLock<Arc<crate::app::federation::Federation>>>,
}

impl AppContext {
    pub fn new(db: DatabaseConnection, settings: Arc<Settings>, public_url: Url, mailer: Mailer) -> Self {
        let tokens = Arc::new(TokenKeys::new(&settings, public_url.as_str()));
        let plugins = Arc::new(PluginRegistry::new(settings.plugins.clone()));
        let seed: [u8; 32] = settings.ledger_secret.expose()[..32].try_into().expect("secrets are at least 32 bytes");
        let ledger_key = Arc::new(ed25519_dalek::SigningKey::from_bytes(&seed));
        let plugin_reads = crate::app::plugin_data::read_permits(settings.database_max_connections);
        Self {
            db,
            settings,
            public_url,
            mailer,
            tokens,
            plugins,
            ledger_key,
            jobs_notify: Arc::new(tokio::sync::Notify::new()),
            activity_locks: Default::default(),
            plugin_reads,
            results_locks: Default::default(),
            report_cache: Default::default(),
            federation: Default::default(),
        }
    }

    /// Tells the job worker there is new work (it also polls, so this only saves time).
    pub fn jobs_wake(&self) {
        self.jobs_notify.notify_one();
    }

    /// Tells the job worker a moment later, once the current response is out: for requests
    /// whose time must not depend on the work their job does (sign-up and sign-in links, where
    /// that work differs between addresses with and without an account).
    pub fn jobs_wake_after_response(&self) {
        let notify = self.jobs_notify.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            notify.notify_one();
        });
    }

    /// The key that verifies the ledger, base64.
    pub fn ledger_public_key(&self) -> String {
        crate::domain::ledger::public_key_base64(&self.ledger_key.verifying_key())
    }

    /// An absolute link to a path on this instance.
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{}", self.public_url, path_and_query.trim_start_matches('/'))
    }
}

/// The signed-in person making a request.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub account_id: Uuid,
    pub session_id: Uuid,
    pub is_admin: bool,
}
