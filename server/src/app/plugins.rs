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
use crate::adapters::plugins::{self, CallClass, CallContext, CallEffects, HostState, LoadedPlugin, PluginError, PluginHost, builtin, view};
use crate::adapters::store::entities::{activity, plugin};
use crate::adapters::store::is_unique_violation;
use crate::config::PluginSettings;
use crate::domain::errors::FieldError;
use crate::domain::publisher::{self, ComponentSignature, Publisher};

/// The largest component accepted at install.
pub const MAX_COMPONENT_BYTES: usize = 32 << 20;

pub(super) const ACTIVE: &str = "active";
pub(super) const DISABLED: &str = "disabled";
pub(super) const SUPERSEDED: &str = "superseded";
/// A version an administrator rolled back from: kept for the record, never chosen again by a
/// rollback.
pub(super) const ROLLED_BACK: &str = "rolled_back";

/// The plugin host, created on first use, and every plugin version compiled so far.
pub struct PluginRegistry {
    settings: PluginSettings,
    host: OnceLock<Result<Arc<PluginHost>, String>>,
    loaded: RwLock<HashMap<String, Arc<LoadedPlugin>>>,
    /// One permit per pooled instance slot: past the pool's size, calls wait their turn
    /// instead of failing to instantiate.
    slots: Arc<tokio::sync::Semaphore>,
    /// Per activity type, the calls it may run at once: one type cannot take every slot.
    per_type: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Semaphore>>>,
}

/// The built-in components, by SHA-256.
pub(super) static BUILTIN_BY_SHA: LazyLock<Vec<(String, &'static [u8])>> =
    LazyLock::new(|| builtin::BUILTIN.iter().map(|(_, bytes)| (plugins::sha256_hex(bytes), *bytes)).collect());

impl PluginRegistry {
    pub fn new(settings: PluginSettings) -> PluginRegistry {
        let slots = Arc::new(tokio::sync::Semaphore::new(settings.limits.max_live_instances as usize));
        PluginRegistry { settings, host: OnceLock::new(), loaded: RwLock::new(HashMap::new()), slots, per_type: Default::default() }
    }

    fn host(&self) -> Result<Arc<PluginHost>, PluginError> {
        self.host
            .get_or_init(|| {
                let cache = plugins::CompiledCache::new(self.settings.cache_dir.clone(), self.settings.cache_secret.expose());
                PluginHost::new(self.settings.limits.clone(), Some(cache)).map_err(|e| e.to_string())
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

    pub(super) async fn load(self: &Arc<Self>, bytes: Vec<u8>) -> Result<Arc<LoadedPlugin>, PluginError> {
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

    /// A turn among the calls of one activity type, waited for at most as long as a call of
    /// its class may last; past that the type is too busy and the request is refused (503),
    /// so that a type whose calls are all slow costs only its own requests.
    async fn type_turn(&self, plugin: &str, class: CallClass) -> AppResult<tokio::sync::OwnedSemaphorePermit> {
        let limits = &self.settings.limits;
        let turns = self
            .per_type
            .lock()
            .expect("per-type lock")
            .entry(plugin.to_string())
            .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(limits.max_calls_per_type as usize)))
            .clone();
        match tokio::time::timeout(limits.budget(class).deadline, turns.acquire_owned()).await {
            Ok(Ok(turn)) => Ok(turn),
            Ok(Err(_)) => Err(failure(plugin, PluginError::Host("the plugin host is shutting down".into()))),
            Err(_) => {
                metrics::counter!("convene_plugin_failures_total", "plugin" => plugin.to_string(), "kind" => "busy").increment(1);
                Err(AppError::Unavailable(format!(
                    "activity type {plugin} already runs {} calls at once; try again in a moment",
                    limits.max_calls_per_type
                )))
            }
        }
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
        mut call: CallContext,
        f: impl FnOnce(&Activity, &mut wasmtime::Store<HostState>) -> wasmtime::Result<R> + Send + 'static,
    ) -> AppResult<(R, CallEffects)> {
        let p = plugin.clone();
        call.class = CallClass::of_export(export);
        self.blocking(plugin, export, call.class, move |host| host.call(&p, call, f)).await
    }

    /// Runs an export whose answer is stored or served: `keep` checks what came back (see
    /// `plugin_output`) and makes it what the caller keeps. A refusal is the plugin's
    /// malformed output, failed and counted against it like any other failure.
    pub async fn run_checked<R, T: Send + 'static>(
        self: &Arc<Self>,
        plugin: &Arc<LoadedPlugin>,
        export: &'static str,
        mut call: CallContext,
        f: impl FnOnce(&Activity, &mut wasmtime::Store<HostState>) -> wasmtime::Result<R> + Send + 'static,
        keep: impl FnOnce(R) -> Result<T, String> + Send + 'static,
    ) -> AppResult<(T, CallEffects)> {
        let p = plugin.clone();
        call.class = CallClass::of_export(export);
        self.blocking(plugin, export, call.class, move |host| {
            let (answer, effects) = host.call(&p, call, f)?;
            Ok((keep(answer).map_err(|message| malformed(&p, message))?, effects))
        })
        .await
    }

    /// `validate-contribution`, with the host's checks on what comes back: an accepted body is
    /// held to the rule of the bodies people send.
    pub async fn validate_contribution(
        self: &Arc<Self>,
        plugin: &Arc<LoadedPlugin>,
        call: CallContext,
        config: String,
        kind: String,
        body: String,
    ) -> AppResult<(plugins::bindings::convene::activity::types::Validation, CallEffects)> {
        let p = plugin.clone();
        let class = CallClass::of_export("validate-contribution");
        self.blocking(plugin, "validate-contribution", class, move |host| {
            let (verdict, effects) = host.validate_contribution(&p, call, &config, &kind, &body)?;
            Ok((super::plugin_output::accepted_body(verdict).map_err(|message| malformed(&p, message))?, effects))
        })
        .await
    }

    async fn blocking<R: Send + 'static>(
        &self,
        plugin: &LoadedPlugin,
        export: &'static str,
        class: CallClass,
        f: impl FnOnce(&PluginHost) -> Result<(R, CallEffects), PluginError> + Send + 'static,
    ) -> AppResult<(R, CallEffects)> {
        let host = self.host().map_err(|e| failure(&plugin.id, e))?;
        let turn = self.type_turn(&plugin.id, class).await?;
        let slot = self.slot().await.map_err(|e| failure(&plugin.id, e))?;
        let started = std::time::Instant::now();
        let outcome = tokio::task::spawn_blocking(move || {
            let (_turn, _slot) = (turn, slot);
            f(&host)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("plugin call thread: {e}")))?;
        record(&plugin.id, export, started, outcome.as_ref().map(|(_, effects)| &effects.spent));
        outcome.map_err(|e| failure(&plugin.id, e))
    }
}

/// Counts a call in /metrics: its time, its fuel, and its failure if it failed.
fn record(plugin: &str, export: &'static str, started: std::time::Instant, result: Result<&plugins::Spent, &PluginError>) {
    let labels = [("plugin", plugin.to_string()), ("export", export.to_string())];
    metrics::histogram!("convene_plugin_call_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    if let Ok(spent) = result {
        metrics::histogram!("convene_plugin_call_fuel", &labels).record(spent.fuel as f64);
    }
    let error = result.err();
    let outcome = error.map(PluginError::kind).unwrap_or("ok");
    metrics::counter!("convene_plugin_calls_total", "plugin" => plugin.to_string(), "export" => export, "outcome" => outcome)
        .increment(1);
    if let Some(e) = error {
        metrics::counter!("convene_plugin_failures_total", "plugin" => plugin.to_string(), "kind" => e.kind()).increment(1);
        // Logged once, where the failure ends: the request's error event or the job's failure.
        tracing::debug!(plugin, export, error = %crate::domain::plugin_text::excerpt(&e.to_string()), "plugin call failed");
    }
}

fn malformed(plugin: &LoadedPlugin, message: String) -> PluginError {
    PluginError::Malformed { plugin: plugin.id.clone(), message }
}

/// A plugin failure at run time, in the API's terms.
fn failure(plugin: &str, e: PluginError) -> AppError {
    match e {
        PluginError::Host(message) => AppError::Internal(anyhow::anyhow!("plugin host: {message}")),
        other => AppError::plugin(plugin, other.kind(), other.to_string()),
    }
}

/// A problem with a component offered for install, naming the field the component came in.
pub(super) fn refused(e: PluginError) -> AppError {
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
    /// Who published this version: `builtin`, `unsigned`, or `ed25519:<public key>` when it
    /// was installed with a signature by that key. A type only takes upgrades from the
    /// publisher of its current version, unless the administrator replaces the publisher.
    pub publisher: String,
    /// `active`, `disabled`, `superseded` (an older version, kept for the record) or
    /// `rolled_back` (a version an administrator rolled back from).
    pub status: String,
    #[schema(value_type = Object)]
    pub name: serde_json::Value,
    pub installed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// What the administrator must know about the install just made (an unsigned component,
    /// a publisher replaced); only in the answer to an install, upgrade or rollback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// The registry's columns without the component bytes.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub(super) struct PluginRow {
    pub(super) id: Uuid,
    pub(super) type_id: String,
    pub(super) version: String,
    pub(super) sha256: String,
    contract_version: String,
    pub(super) source: String,
    pub(super) publisher: String,
    pub(super) status: String,
    info: serde_json::Value,
    installed_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl PluginRow {
    /// The recorded publisher; a value this server cannot read counts as unsigned, which
    /// matches no key.
    pub(super) fn publisher(&self) -> Publisher {
        Publisher::parse(&self.publisher).unwrap_or(Publisher::Unsigned)
    }
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
            publisher: r.publisher,
            status: r.status,
            installed_at: r.installed_at,
            updated_at: r.updated_at,
            warning: None,
        }
    }
}

pub(super) fn rows() -> sea_orm::Select<plugin::Entity> {
    use plugin::Column as C;
    plugin::Entity::find().select_only().columns([
        C::Id,
        C::TypeId,
        C::Version,
        C::Sha256,
        C::ContractVersion,
        C::Source,
        C::Publisher,
        C::Status,
        C::Info,
        C::InstalledAt,
        C::UpdatedAt,
    ])
}

/// The current (active or disabled) version of a type.
pub(super) async fn current<C: sea_orm::ConnectionTrait>(db: &C, type_id: &str) -> AppResult<Option<PluginRow>> {
    Ok(rows()
        .filter(plugin::Column::TypeId.eq(type_id))
        .filter(plugin::Column::Status.is_in([ACTIVE, DISABLED]))
        .into_model::<PluginRow>()
        .one(db)
        .await?)
}

/// Registers the plugins built into this binary: a new build's version supersedes the
/// previous built-in one (keeping its enabled/disabled status); a type an administrator has
/// replaced with an installed version stays as the administrator left it, except in the
/// reserved `org.convene.` namespace, which the built-in takes back (an instance may hold
/// such a version from before the namespace was reserved).
pub async fn register_builtins(ctx: &AppContext) -> AppResult<()> {
    for (sha, bytes) in BUILTIN_BY_SHA.iter() {
        let known = plugin::Entity::find().filter(plugin::Column::Sha256.eq(sha.as_str())).select_only().column(plugin::Column::Id);
        if known.into_tuple::<Uuid>().one(&ctx.db).await?.is_some() {
            continue;
        }
        let loaded = ctx.plugins.load(bytes.to_vec()).await.map_err(|e| AppError::Internal(anyhow::anyhow!("built-in plugin: {e}")))?;
        let txn = crate::adapters::store::begin_write(&ctx.db).await?;
        let previous = current(&txn, &loaded.id).await?;
        let taken_back = previous.as_ref().filter(|p| p.source != "builtin" && publisher::is_reserved(&loaded.id));
        let status = match &previous {
            None => ACTIVE,
            Some(p) if p.source == "builtin" || taken_back.is_some() => {
                set_status(&txn, p.id, SUPERSEDED).await?;
                if p.status == DISABLED { DISABLED } else { ACTIVE }
            }
            Some(_) => SUPERSEDED,
        };
        match insert(&txn, &loaded, &Provenance::builtin(), status, Vec::new(), None).await {
            Ok(_) => {}
            // Another replica starting at the same moment registered it first: nothing to do.
            Err(AppError::Conflict(_)) => {
                txn.rollback().await?;
                continue;
            }
            Err(e) => return Err(e),
        }
        if let Some(p) = taken_back {
            tracing::warn!(plugin = %loaded.id, replaced = %p.version, publisher = %p.publisher, "an installed version held a built-in activity type; the built-in takes it back");
            record_publisher_change(ctx, &txn, &loaded.id, &p.publisher(), &Publisher::Builtin, &loaded.version).await?;
        }
        txn.commit().await?;
        tracing::debug!(plugin = %loaded.id, version = %loaded.version, status, "registered built-in activity type");
    }
    Ok(())
}

pub(super) async fn set_status<C: sea_orm::ConnectionTrait>(db: &C, id: Uuid, status: &str) -> AppResult<()> {
    plugin::ActiveModel { id: Set(id), status: Set(status.into()), updated_at: Set(now()), ..Default::default() }.update(db).await?;
    Ok(())
}

/// Where a version comes from and who vouches for it.
struct Provenance {
    /// `builtin` or `installed`.
    source: &'static str,
    publisher: Publisher,
    /// The detached signature that proved the publisher, as given.
    signature: Option<ComponentSignature>,
}

impl Provenance {
    fn builtin() -> Provenance {
        Provenance { source: "builtin", publisher: Publisher::Builtin, signature: None }
    }

    /// An installed component's: verified against its signature when it has one.
    fn installed(sha256: &str, signature: Option<&str>) -> AppResult<Provenance> {
        let Some(text) = signature else {
            return Ok(Provenance { source: "installed", publisher: Publisher::Unsigned, signature: None });
        };
        let signature = ComponentSignature::parse(text).map_err(|problem| AppError::bad_request("signature", problem))?;
        let publisher = signature.verify(sha256).map_err(|problem| AppError::invalid("signature", problem))?;
        Ok(Provenance { source: "installed", publisher, signature: Some(signature) })
    }
}

async fn insert<C: sea_orm::ConnectionTrait>(
    db: &C,
    loaded: &LoadedPlugin,
    provenance: &Provenance,
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
        source: Set(provenance.source.into()),
        status: Set(status.into()),
        publisher: Set(provenance.publisher.to_text()),
        signature: Set(provenance.signature.as_ref().map(ComponentSignature::to_text)),
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
        publisher: model.publisher,
        status: model.status,
        name: view::localized(&loaded.info.name),
        installed_at: model.installed_at,
        updated_at: model.updated_at,
        warning: None,
    })
}

/// Records in the ledger that a type is now bound to another publisher: whose code runs an
/// instance's activities is public.
pub(super) async fn record_publisher_change<C: sea_orm::ConnectionTrait>(
    ctx: &AppContext,
    db: &C,
    type_id: &str,
    previous: &Publisher,
    publisher: &Publisher,
    version: &str,
) -> AppResult<()> {
    let payload = serde_json::json!({ "type": type_id, "version": version, "previous_publisher": previous.to_text(), "publisher": publisher.to_text() });
    super::ledger::append(db, &ctx.ledger_key, super::ledger::Subject::Instance, "plugin.publisher_replaced", payload).await?;
    Ok(())
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

/// What comes with a component besides its bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct InstallOptions<'a> {
    /// The SHA-256 the installer expects (hex): the install is refused if it differs.
    pub sha256: Option<&'a str>,
    /// The publisher's detached signature (`ed25519:<key>:<signature>`, as `convene plugin
    /// sign` writes it); none installs the component as unsigned.
    pub signature: Option<&'a str>,
    /// Accept, for an upgrade, a publisher other than the one the type is bound to.
    pub replace_publisher: bool,
}

/// Whether `viewer` may install or upgrade plugins: asked before a component is received.
pub fn may_install(viewer: &Viewer) -> AppResult<()> {
    super::accounts::require_admin(viewer)
}

/// Installs (or upgrades to) a component: verifies its SHA-256 and signature when given,
/// refuses anything outside the contract and the reserved `org.convene.` namespace, keeps a
/// type bound to its publisher, and for an upgrade checks that the new version accepts the
/// configuration of every existing activity of its type.
pub async fn install(
    ctx: &AppContext,
    by: Installer<'_>,
    component: Vec<u8>,
    options: InstallOptions<'_>,
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
    if let Some(expected) = options.sha256 {
        let expected = expected.trim().to_ascii_lowercase();
        if expected.len() != 64 || !expected.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::bad_request("sha256", "must be 64 hexadecimal digits"));
        }
        if expected != sha {
            return Err(AppError::invalid("sha256", format!("the component's SHA-256 is {sha}, not {expected}; the file is not the one you meant")));
        }
    }
    let provenance = Provenance::installed(&sha, options.signature)?;
    let loaded = ctx.plugins.load(component.clone()).await.map_err(refused)?;
    if publisher::is_reserved(&loaded.id) {
        return Err(AppError::invalid(
            "component",
            format!(
                "this component declares activity type {}, but type ids under {} are reserved for the types built into Convene; give the plugin an id under a domain its author controls (e.g. org.example.poll)",
                loaded.id,
                publisher::RESERVED_PREFIX
            ),
        ));
    }
    if let Some(expected) = expected_type.filter(|t| *t != loaded.id) {
        return Err(AppError::invalid("component", format!("this component is activity type {}, not {expected}", loaded.id)));
    }
    let new_version = semver::Version::parse(&loaded.version)
        .map_err(|e| AppError::invalid("component", format!("the plugin's version `{}` is not a semantic version: {e}", loaded.version)))?;

    if mode == InstallMode::Upgrade {
        // The publisher first: another publisher's code is not even asked about the
        // configurations without the administrator's say-so.
        if let Some(p) = current(&ctx.db, &loaded.id).await? {
            check_publisher(&p, &provenance.publisher, options.replace_publisher)?;
        }
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
            // Again in the transaction: the type may have changed hands meanwhile.
            check_publisher(p, &provenance.publisher, options.replace_publisher)?;
            set_status(&txn, p.id, SUPERSEDED).await?;
            p.status.as_str()
        }
    };
    let mut view = insert(&txn, &loaded, &provenance, if status == DISABLED { DISABLED } else { ACTIVE }, component, installed_by).await?;
    // What code runs on an instance is public: every install and upgrade is in the ledger.
    let kind = if mode == InstallMode::Upgrade { "plugin.upgraded" } else { "plugin.installed" };
    let payload = serde_json::json!({ "type": view.type_id, "version": view.version, "sha256": view.sha256, "contract": view.contract_version, "publisher": view.publisher });
    super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Instance, kind, payload).await?;
    let replaced = previous.filter(|p| p.publisher() != provenance.publisher);
    if let Some(p) = &replaced {
        record_publisher_change(ctx, &txn, &view.type_id, &p.publisher(), &provenance.publisher, &view.version).await?;
    }
    txn.commit().await?;
    view.warning = match (&replaced, &provenance.publisher) {
        (Some(p), publisher) => Some(publisher_replaced(p, publisher)),
        (None, Publisher::Unsigned) => Some(format!(
            "{} {} is unsigned: nobody can prove who published it, so the type is bound to `unsigned` and will take any unsigned upgrade. Ask its author to sign their releases (convene plugin sign) and install them with their signature.",
            view.type_id, view.version
        )),
        (None, _) => None,
    };
    tracing::info!(plugin = %view.type_id, version = %view.version, sha256 = %view.sha256, publisher = %view.publisher, "installed activity type");
    Ok(view)
}

/// A type takes upgrades from the publisher it is bound to, or from another when the
/// administrator says so; otherwise the refusal says why and how to accept it.
fn check_publisher(current: &PluginRow, offered: &Publisher, replace_publisher: bool) -> AppResult<()> {
    if current.publisher() == *offered || replace_publisher {
        return Ok(());
    }
    let offered = match offered {
        Publisher::Unsigned => "this component is unsigned".to_string(),
        other => format!("this component is signed by {other}"),
    };
    Err(AppError::conflict(
        "publisher",
        format!(
            "activity type {} is bound to publisher {} (its version {}), and {offered}. Upgrading would let another publisher's code run every activity of this type, read their contributions and notify their participants. If you mean it (the author changed keys, or you take the type over), repeat with --replace-publisher (API: ?replace_publisher=true)",
            current.type_id, current.publisher, current.version
        ),
    ))
}

/// What replacing a type's publisher did.
fn publisher_replaced(previous: &PluginRow, publisher: &Publisher) -> String {
    format!(
        "publisher replaced: activity type {} was bound to {} and is now bound to {publisher}. Code from {publisher} now runs every activity of this type, reads their contributions and may notify their participants, and later upgrades must come from it. `convene plugin rollback {}` returns to version {}.",
        previous.type_id, previous.publisher, previous.type_id, previous.version
    )
}

/// An upgrade must keep every existing activity working: the new version has to accept each
/// stored configuration.
pub(super) async fn check_existing_configs(ctx: &AppContext, loaded: &Arc<LoadedPlugin>) -> AppResult<()> {
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
    // The stored bytes must still be what was verified at install.
    let Some(bytes) = component_of(ctx, &row).await? else {
        return Err(AppError::plugin(type_id, "integrity", format!("the stored component of {type_id} does not match its recorded SHA-256; reinstall it")));
    };
    ctx.plugins.load(bytes).await.map_err(|e| failure(type_id, e))
}

/// A version's component: from the binary for a built-in one, else from the database; None
/// when it is not there or no longer has the recorded SHA-256 (a built-in version of an older
/// release, or a changed row).
pub(super) async fn component_of(ctx: &AppContext, row: &PluginRow) -> AppResult<Option<Vec<u8>>> {
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
    Ok((plugins::sha256_hex(&bytes) == row.sha256).then_some(bytes))
}
