//! Activity types: the registry of installed plugin versions (first-party ones built into the
//! binary, third-party ones installed by administrators) and the one place that runs a
//! plugin's exports, off the async threads, with metrics and errors in the API's terms.
//!
//! Each version is a row keyed by the SHA-256 of its component. Per type id at most one
//! version is `active` (or `disabled`); an upgrade marks the previous one `superseded`, so
//! activities keep their type id, configuration and stored data and simply run the new code.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, OnceLock, RwLock};

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;
use uuid::Uuid;

use super::error::AppResult;
use super::{AppContext, AppError, Viewer, now};
use crate::adapters::plugins::bindings::Activity;
use crate::adapters::plugins::{self, CallContext, CallEffects, HostState, LoadedPlugin, PluginError, PluginHost, builtin, view};
use crate::adapters::store::entities::{activity, plugin};
use crate::adapters::store::is_unique_violation;
use crate::config::PluginSettings;
use crate::domain::errors::FieldError;

/// The largest component accepted at install.
pub const MAX_COMPONENT_BYTES: usize = 32 << 20;

const ACTIVE: &str = "active";
const DISABLED: &str = "disabled";
const SUPERSEDED: &str = "superseded";

/// The plugin host, created on first use, and every plugin version compiled so far.
pub struct PluginRegistry {
    settings: PluginSettings,
    host: OnceLock<Result<Arc<PluginHost>, String>>,
    loaded: RwLock<HashMap<String, Arc<LoadedPlugin>>>,
    /// One permit per pooled instance slot: past the pool's size, calls wait their turn
    /// instead of failing to instantiate.
    slots: Arc<tokio::sync::Semaphore>,
}

/// The built-in components, by SHA-256.
static BUILTIN_BY_SHA: LazyLock<Vec<(String, &'static [u8])>> =
    LazyLock::new(|| builtin::BUILTIN.iter().map(|(_, bytes)| (plugins::sha256_hex(bytes), *bytes)).collect());

impl PluginRegistry {
    pub fn new(settings: PluginSettings) -> PluginRegistry {
        let slots = Arc::new(tokio::sync::Semaphore::new(settings.limits.max_live_instances as usize));
        PluginRegistry { settings, host: OnceLock::new(), loaded: RwLock::new(HashMap::new()), slots }
    }

    fn host(&self) -> Result<Arc<PluginHost>, PluginError> {
        self.host
            .get_or_init(|| {
                PluginHost::new(self.settings.limits.clone(), Some(self.settings.cache_dir.clone())).map_err(|e| e.to_string())
            })
            .clone()
            .map_err(PluginError::Host)
    }

    /// Compiles (or takes from the disk cache) and describes a component. Blocking.
    fn load_blocking(&self, bytes: &[u8]) -> Result<Arc<LoadedPlugin>, PluginError> {
        let sha = plugins::sha256_hex(bytes);
        if let Some(p) = self.loaded.read().expect("plugin map lock").get(&sha) {
            return Ok(p.clone());
        }
        let loaded = Arc::new(self.host()?.load(bytes)?);
        self.loaded.write().expect("plugin map lock").insert(sha, loaded.clone());
        Ok(loaded)
    }

    async fn load(self: &Arc<Self>, bytes: Vec<u8>) -> Result<Arc<LoadedPlugin>, PluginError> {
        let this = self.clone();
        let slot = self.slot().await?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            this.load_blocking(&bytes)
        })
            .await
            .map_err(|e| PluginError::Host(format!("plugin loader stopped: {e}")))?
    }

    async fn slot(&self) -> Result<tokio::sync::OwnedSemaphorePermit, PluginError> {
        self.slots.clone().acquire_owned().await.map_err(|_| PluginError::Host("the plugin host is shutting down".into()))
    }

    fn cached(&self, sha: &str) -> Option<Arc<LoadedPlugin>> {
        self.loaded.read().expect("plugin map lock").get(sha).cloned()
    }

    /// Runs one export in a fresh sandboxed instance on a blocking thread, and records the
    /// call in /metrics. A failure becomes a 502 naming the plugin; nothing else is affected.
    pub async fn run<R: Send + 'static>(
        self: &Arc<Self>,
        plugin: &Arc<LoadedPlugin>,
        export: &'static str,
        call: CallContext,
        f: impl FnOnce(&Activity, &mut wasmtime::Store<HostState>) -> wasmtime::Result<R> + Send + 'static,
    ) -> AppResult<(R, CallEffects)> {
        let p = plugin.clone();
        self.blocking(plugin, export, move |host| host.call(&p, call, f)).await
    }

    /// `validate-contribution`, with the host's checks on what comes back.
    pub async fn validate_contribution(
        self: &Arc<Self>,
        plugin: &Arc<LoadedPlugin>,
        call: CallContext,
        config: String,
        kind: String,
        body: String,
    ) -> AppResult<(plugins::bindings::convene::activity::types::Validation, CallEffects)> {
        let p = plugin.clone();
        self.blocking(plugin, "validate-contribution", move |host| host.validate_contribution(&p, call, &config, &kind, &body)).await
    }

    async fn blocking<R: Send + 'static>(
        &self,
        plugin: &LoadedPlugin,
        export: &'static str,
        f: impl FnOnce(&PluginHost) -> Result<R, PluginError> + Send + 'static,
    ) -> AppResult<R> {
        let host = self.host().map_err(|e| failure(&plugin.id, e))?;
        let slot = self.slot().await.map_err(|e| failure(&plugin.id, e))?;
        let started = std::time::Instant::now();
        let outcome = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            f(&host)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("plugin call thread: {e}")))?;
        record(&plugin.id, export, started, outcome.as_ref().err());
        outcome.map_err(|e| failure(&plugin.id, e))
    }
}

fn record(plugin: &str, export: &'static str, started: std::time::Instant, error: Option<&PluginError>) {
    let outcome = error.map(PluginError::kind).unwrap_or("ok");
    let labels = [("plugin", plugin.to_string()), ("export", export.to_string())];
    metrics::histogram!("convene_plugin_call_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    metrics::counter!("convene_plugin_calls_total", "plugin" => plugin.to_string(), "export" => export, "outcome" => outcome)
        .increment(1);
    if let Some(e) = error {
        metrics::counter!("convene_plugin_failures_total", "plugin" => plugin.to_string(), "kind" => e.kind()).increment(1);
        // Logged once, where the failure ends: the request's error event or the job's failure.
        tracing::debug!(plugin, export, error = %crate::domain::plugin_text::excerpt(&e.to_string()), "plugin call failed");
    }
}

/// A plugin failure at run time, in the API's terms.
fn failure(plugin: &str, e: PluginError) -> AppError {
    match e {
        PluginError::Host(message) => AppError::Internal(anyhow::anyhow!("plugin host: {message}")),
        other => AppError::plugin(plugin, other.kind(), other.to_string()),
    }
}

/// A problem with a component offered for install, naming the field the component came in.
fn refused(e: PluginError) -> AppError {
    match e {
        PluginError::Host(message) => AppError::Internal(anyhow::anyhow!("plugin host: {message}")),
        other => AppError::invalid("component", other.to_string()),
    }
}

/// One installed version, as the admin API and `convene plugin list` show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PluginView {
    /// The activity type id the plugin declares, e.g. `org.convene.consultation`.
    pub type_id: String,
    pub version: String,
    /// Hex SHA-256 of the component.
    pub sha256: String,
    /// The contract the plugin was built against, e.g. `0.1.0`.
    pub contract_version: String,
    /// `builtin` (shipped in the binary) or `installed`.
    pub source: String,
    /// `active`, `disabled` or `superseded` (an older version, kept for the record).
    pub status: String,
    #[schema(value_type = Object)]
    pub name: serde_json::Value,
    pub installed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The registry's columns without the component bytes.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
struct PluginRow {
    id: Uuid,
    type_id: String,
    version: String,
    sha256: String,
    contract_version: String,
    source: String,
    status: String,
    info: serde_json::Value,
    installed_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<PluginRow> for PluginView {
    fn from(r: PluginRow) -> Self {
        PluginView {
            name: r.info.get("name").cloned().unwrap_or_default(),
            type_id: r.type_id,
            version: r.version,
            sha256: r.sha256,
            contract_version: r.contract_version,
            source: r.source,
            status: r.status,
            installed_at: r.installed_at,
            updated_at: r.updated_at,
        }
    }
}

fn rows() -> sea_orm::Select<plugin::Entity> {
    use plugin::Column as C;
    plugin::Entity::find().select_only().columns([
        C::Id,
        C::TypeId,
        C::Version,
        C::Sha256,
        C::ContractVersion,
        C::Source,
        C::Status,
        C::Info,
        C::InstalledAt,
        C::UpdatedAt,
    ])
}

/// The current (active or disabled) version of a type.
async fn current<C: sea_orm::ConnectionTrait>(db: &C, type_id: &str) -> AppResult<Option<PluginRow>> {
    Ok(rows()
        .filter(plugin::Column::TypeId.eq(type_id))
        .filter(plugin::Column::Status.is_in([ACTIVE, DISABLED]))
        .into_model::<PluginRow>()
        .one(db)
        .await?)
}

/// Registers the plugins built into this binary: a new build's version supersedes the
/// previous built-in one (keeping its enabled/disabled status); a type an administrator has
/// replaced with an installed version stays as the administrator left it.
pub async fn register_builtins(ctx: &AppContext) -> AppResult<()> {
    for (sha, bytes) in BUILTIN_BY_SHA.iter() {
        let known = plugin::Entity::find().filter(plugin::Column::Sha256.eq(sha.as_str())).select_only().column(plugin::Column::Id);
        if known.into_tuple::<Uuid>().one(&ctx.db).await?.is_some() {
            continue;
        }
        let loaded = ctx.plugins.load(bytes.to_vec()).await.map_err(|e| AppError::Internal(anyhow::anyhow!("built-in plugin: {e}")))?;
        let txn = crate::adapters::store::begin_write(&ctx.db).await?;
        let status = match current(&txn, &loaded.id).await? {
            None => ACTIVE,
            Some(previous) if previous.source == "builtin" => {
                set_status(&txn, previous.id, SUPERSEDED).await?;
                if previous.status == DISABLED { DISABLED } else { ACTIVE }
            }
            Some(_) => SUPERSEDED,
        };
        match insert(&txn, &loaded, "builtin", status, Vec::new(), None).await {
            Ok(_) => txn.commit().await?,
            // Another replica starting at the same moment registered it first: nothing to do.
            Err(AppError::Conflict(_)) => {
                txn.rollback().await?;
                continue;
            }
            Err(e) => return Err(e),
        }
        tracing::info!(plugin = %loaded.id, version = %loaded.version, status, "registered built-in activity type");
    }
    Ok(())
}

async fn set_status<C: sea_orm::ConnectionTrait>(db: &C, id: Uuid, status: &str) -> AppResult<()> {
    plugin::ActiveModel { id: Set(id), status: Set(status.into()), updated_at: Set(now()), ..Default::default() }.update(db).await?;
    Ok(())
}

async fn insert<C: sea_orm::ConnectionTrait>(
    db: &C,
    loaded: &LoadedPlugin,
    source: &str,
    status: &str,
    component: Vec<u8>,
    installed_by: Option<Uuid>,
) -> AppResult<PluginView> {
    let at = now();
    let model = plugin::ActiveModel {
        id: Set(Uuid::now_v7()),
        type_id: Set(loaded.id.clone()),
        version: Set(loaded.version.clone()),
        sha256: Set(loaded.sha256.clone()),
        contract_version: Set(loaded.contract_version.to_string()),
        source: Set(source.into()),
        status: Set(status.into()),
        info: Set(view::activity_type(&loaded.info)),
        component: Set(component),
        installed_by: Set(installed_by),
        installed_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::conflict("component", format!("this exact component (SHA-256 {}) is already installed", loaded.sha256))
        } else {
            e.into()
        }
    })?;
    Ok(PluginView {
        type_id: model.type_id,
        version: model.version,
        sha256: model.sha256,
        contract_version: model.contract_version,
        source: model.source,
        status: model.status,
        name: view::localized(&loaded.info.name),
        installed_at: model.installed_at,
        updated_at: model.updated_at,
    })
}

/// Install a new type, or upgrade an installed one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstallMode {
    Install,
    Upgrade,
}

/// Who installs: an administrator through the API, or the operator at the command line.
pub enum Installer<'a> {
    Admin(&'a Viewer),
    Operator,
}

/// Whether `viewer` may install or upgrade plugins: asked before a component is received.
pub fn may_install(viewer: &Viewer) -> AppResult<()> {
    super::accounts::require_admin(viewer)
}

/// Installs (or upgrades to) a component: verifies its SHA-256 when one is given, refuses
/// anything outside the contract, and for an upgrade checks that the new version accepts the
/// configuration of every existing activity of its type.
pub async fn install(
    ctx: &AppContext,
    by: Installer<'_>,
    component: Vec<u8>,
    expected_sha256: Option<&str>,
    mode: InstallMode,
    expected_type: Option<&str>,
) -> AppResult<PluginView> {
    let installed_by = match by {
        Installer::Admin(viewer) => {
            super::accounts::require_admin(viewer)?;
            Some(viewer.account_id)
        }
        Installer::Operator => None,
    };
    if component.is_empty() {
        return Err(AppError::invalid("component", "is empty; send the plugin's .wasm file"));
    }
    if component.len() > MAX_COMPONENT_BYTES {
        return Err(AppError::TooLarge(FieldError::new(
            "component",
            format!("is {} bytes; the limit is {MAX_COMPONENT_BYTES}", component.len()),
        )));
    }
    let sha = plugins::sha256_hex(&component);
    if let Some(expected) = expected_sha256 {
        let expected = expected.trim().to_ascii_lowercase();
        if expected.len() != 64 || !expected.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::bad_request("sha256", "must be 64 hexadecimal digits"));
        }
        if expected != sha {
            return Err(AppError::invalid("sha256", format!("the component's SHA-256 is {sha}, not {expected}; the file is not the one you meant")));
        }
    }
    let loaded = ctx.plugins.load(component.clone()).await.map_err(refused)?;
    if let Some(expected) = expected_type.filter(|t| *t != loaded.id) {
        return Err(AppError::invalid("component", format!("this component is activity type {}, not {expected}", loaded.id)));
    }
    let new_version = semver::Version::parse(&loaded.version)
        .map_err(|e| AppError::invalid("component", format!("the plugin's version `{}` is not a semantic version: {e}", loaded.version)))?;

    if mode == InstallMode::Upgrade {
        check_existing_configs(ctx, &loaded).await?;
    }
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let previous = current(&txn, &loaded.id).await?;
    let status = match (mode, &previous) {
        (InstallMode::Install, Some(p)) => {
            return Err(AppError::conflict(
                "component",
                format!("activity type {} is already installed (version {}); upgrade it instead", p.type_id, p.version),
            ));
        }
        (InstallMode::Install, None) => ACTIVE,
        (InstallMode::Upgrade, None) => {
            return Err(AppError::conflict("component", format!("activity type {} is not installed; install it first", loaded.id)));
        }
        (InstallMode::Upgrade, Some(p)) => {
            let old = semver::Version::parse(&p.version).ok();
            if old.is_some_and(|old| new_version <= old) {
                return Err(AppError::conflict(
                    "component",
                    format!("version {} of {} is not newer than the installed {}", loaded.version, loaded.id, p.version),
                ));
            }
            set_status(&txn, p.id, SUPERSEDED).await?;
            p.status.as_str()
        }
    };
    let view = insert(&txn, &loaded, "installed", if status == DISABLED { DISABLED } else { ACTIVE }, component, installed_by).await?;
    // What code runs on an instance is public: every install and upgrade is in the ledger.
    let kind = if mode == InstallMode::Upgrade { "plugin.upgraded" } else { "plugin.installed" };
    let payload = serde_json::json!({ "type": view.type_id, "version": view.version, "sha256": view.sha256, "contract": view.contract_version });
    super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Instance, kind, payload).await?;
    txn.commit().await?;
    tracing::info!(plugin = %view.type_id, version = %view.version, sha256 = %view.sha256, "installed activity type");
    Ok(view)
}

/// An upgrade must keep every existing activity working: the new version has to accept each
/// stored configuration.
async fn check_existing_configs(ctx: &AppContext, loaded: &Arc<LoadedPlugin>) -> AppResult<()> {
    let configs: Vec<(Uuid, String)> = activity::Entity::find()
        .filter(activity::Column::TypeId.eq(loaded.id.as_str()))
        .select_only()
        .columns([activity::Column::Id, activity::Column::Config])
        .into_tuple()
        .all(&ctx.db)
        .await?;
    for (id, config) in configs {
        let (verdict, _) = ctx.plugins.run(loaded, "validate-config", CallContext::empty(), move |a, s| a.call_validate_config(s, &config)).await?;
        if let Err(errors) = verdict {
            let first = errors.first().map(|e| crate::domain::plugin_text::excerpt(&format!("{}: {}", e.field, e.problem))).unwrap_or_default();
            return Err(AppError::conflict(
                "component",
                format!("version {} refuses the configuration of existing activity {id} ({first}); it would break that activity", loaded.version),
            ));
        }
    }
    Ok(())
}

/// Every installed version, newest first per type.
pub async fn list(ctx: &AppContext, viewer: Option<&Viewer>) -> AppResult<Vec<PluginView>> {
    if let Some(v) = viewer {
        super::accounts::require_admin(v)?;
    }
    let rows = rows()
        .order_by_asc(plugin::Column::TypeId)
        .order_by_desc(plugin::Column::InstalledAt)
        .into_model::<PluginRow>()
        .all(&ctx.db)
        .await?;
    Ok(rows.into_iter().map(PluginView::from).collect())
}

/// Disables or re-enables a type. Disabled: no new activities of it, and its activities
/// refuse contributions until it is enabled again; nothing stored is lost.
pub async fn set_enabled(ctx: &AppContext, viewer: Option<&Viewer>, type_id: &str, enabled: bool) -> AppResult<PluginView> {
    if let Some(v) = viewer {
        super::accounts::require_admin(v)?;
    }
    let row = current(&ctx.db, type_id).await?.ok_or(AppError::NotFound("activity type"))?;
    set_status(&ctx.db, row.id, if enabled { ACTIVE } else { DISABLED }).await?;
    let row = current(&ctx.db, type_id).await?.ok_or(AppError::NotFound("activity type"))?;
    Ok(row.into())
}

/// The activity types organisers can use now, with their forms, as JSON.
pub async fn activity_types(ctx: &AppContext) -> AppResult<Vec<serde_json::Value>> {
    let rows = rows()
        .filter(plugin::Column::Status.eq(ACTIVE))
        .order_by_asc(plugin::Column::TypeId)
        .into_model::<PluginRow>()
        .all(&ctx.db)
        .await?;
    Ok(rows.into_iter().map(|r| r.info).collect())
}

/// The runnable version of an activity type. `field` names what the request pointed at, for
/// the error: `type` when an organiser chooses one, `activity` when an existing activity runs.
pub async fn runnable(ctx: &AppContext, type_id: &str, field: &str) -> AppResult<Arc<LoadedPlugin>> {
    let row = current(&ctx.db, type_id).await?;
    let Some(row) = row else {
        return Err(AppError::invalid(field, format!("no activity type `{type_id}` is installed on this instance")));
    };
    if row.status == DISABLED {
        return Err(AppError::conflict(field, format!("activity type `{type_id}` is disabled by the instance administrators")));
    }
    if let Some(p) = ctx.plugins.cached(&row.sha256) {
        return Ok(p);
    }
    let bytes = match BUILTIN_BY_SHA.iter().find(|(sha, _)| *sha == row.sha256) {
        Some((_, bytes)) => bytes.to_vec(),
        None => plugin::Entity::find_by_id(row.id)
            .select_only()
            .column(plugin::Column::Component)
            .into_tuple::<Vec<u8>>()
            .one(&ctx.db)
            .await?
            .unwrap_or_default(),
    };
    // The stored bytes must still be what was verified at install.
    if plugins::sha256_hex(&bytes) != row.sha256 {
        return Err(AppError::plugin(type_id, "integrity", format!("the stored component of {type_id} does not match its recorded SHA-256; reinstall it")));
    }
    ctx.plugins.load(bytes).await.map_err(|e| failure(type_id, e))
}
