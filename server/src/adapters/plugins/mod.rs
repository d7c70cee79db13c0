//! The plugin host: activity types are WebAssembly components run by wasmtime.
//!
//! One [`Engine`] for the process. Each plugin is compiled once (and cached on disk, keyed by
//! the component's SHA-256 and the engine's compatibility hash), pre-linked once into an
//! `ActivityPre`, then instantiated fresh for every call from the pooling allocator, so no
//! state survives between calls or participants. Every call has a deadline (epoch
//! interruption) and a memory cap; a trap, panic, timeout or memory exhaustion becomes a
//! [`PluginError`] for that one call, and the store is dropped.

pub mod builtin;
mod description;
mod host_impl;
pub mod limits;
mod plugin_log;
pub mod view;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, Trap};

pub use host_impl::{CallContext, CallEffects, ContributionSource, HostState, KvChanges, KvSource, Notification, participant};
pub use limits::Limits;

pub mod bindings {
    wasmtime::component::bindgen!({
        path: "../sdk/wit/activity@0.1.0",
        world: "activity",
    });
}

use bindings::{Activity, ActivityPre};

/// The WIT contract version this host implements.
pub const CONTRACT_VERSION: &str = "0.1.0";

/// How errors name a plugin whose `describe` has not answered yet.
const LOADING: &str = "(plugin being installed)";

/// How often the epoch ticks; deadlines are whole ticks.
const EPOCH_TICK: Duration = Duration::from_millis(5);

#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    #[error("plugin {plugin} ran past its {deadline_ms} ms deadline")]
    Timeout { plugin: String, deadline_ms: u64 },
    #[error("plugin {plugin} ran out of memory (limit {limit_mib} MiB)")]
    OutOfMemory { plugin: String, limit_mib: u64 },
    #[error("plugin {plugin} crashed: {message}")]
    Trap { plugin: String, message: String },
    #[error("plugin {plugin} returned something invalid: {message}")]
    Malformed { plugin: String, message: String },
    #[error("{0}")]
    Refused(String),
    #[error("plugin host error: {0}")]
    Host(String),
}

impl PluginError {
    /// A short label for metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            PluginError::Timeout { .. } => "timeout",
            PluginError::OutOfMemory { .. } => "out_of_memory",
            PluginError::Trap { .. } => "trap",
            PluginError::Malformed { .. } => "malformed",
            PluginError::Refused(_) => "refused",
            PluginError::Host(_) => "host",
        }
    }
}

/// A compiled, pre-linked plugin, cheap to instantiate.
pub struct LoadedPlugin {
    /// The id it declares in `describe`, e.g. "org.convene.consultation".
    pub id: String,
    pub version: String,
    /// Hex SHA-256 of the component bytes.
    pub sha256: String,
    pub contract_version: &'static str,
    /// What `describe` returned, as JSON (the host's own view of it).
    pub info: bindings::convene::activity::types::ActivityType,
    pre: ActivityPre<HostState>,
}

pub struct PluginHost {
    engine: Engine,
    linker: Linker<HostState>,
    limits: Limits,
    cache_dir: Option<PathBuf>,
}

impl PluginHost {
    pub fn new(limits: Limits, cache_dir: Option<PathBuf>) -> Result<Arc<PluginHost>, PluginError> {
        let mut config = Config::new();
        config.wasm_component_model(true);
        config.epoch_interruption(true);
        // A deep recursion hits this and traps instead of growing the host's stack.
        config.max_wasm_stack(512 * 1024);
        // Bounds-checked memories without guard regions: nothing is ever mprotect-ed per call.
        // With virtual-memory tricks each call that grows memory (every call: the guest's
        // allocator grows rather than reuse) makes pages accessible, and the next instance in
        // that slot revokes them, a TLB shootdown that stalls every core: measured 3x slower
        // per call with two threads (BENCHMARKS.md). Explicit bounds checks cost far less.
        config.signals_based_traps(false);
        config.memory_guard_size(0);
        config.memory_reservation(limits.memory_bytes);
        let mut pool = PoolingAllocationConfig::default();
        pool.total_component_instances(limits.max_live_instances)
            .total_core_instances(limits.max_live_instances * 4)
            .total_memories(limits.max_live_instances * 2)
            .total_tables(limits.max_live_instances * 4)
            .max_memory_size(limits.memory_bytes as usize)
            // Reset a freed slot with memset instead of madvise, and (Linux 6.7+) only the
            // pages the call dirtied, found with the PAGEMAP_SCAN ioctl: a small call resets a
            // few pages, with no page faults on the next one.
            .linear_memory_keep_resident(2 << 20)
            .table_keep_resident(64 << 10)
            .pagemap_scan(wasmtime::Enabled::Auto);
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        let engine = Engine::new(&config).map_err(|e| PluginError::Host(format!("engine: {e:#}")))?;

        let mut linker = Linker::<HostState>::new(&engine);
        Activity::add_to_linker::<_, HasSelf<_>>(&mut linker, |s| s).map_err(|e| PluginError::Host(format!("linker: {e:#}")))?;

        if let Some(dir) = &cache_dir {
            let _ = std::fs::create_dir_all(dir);
        }
        let host = Arc::new(PluginHost { engine, linker, limits, cache_dir });
        start_epoch_ticker(&host)?;
        Ok(host)
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Compiles (or loads from the cache) and pre-links a component, checks that it only
    /// imports the Convene host interface, and asks it to describe itself.
    pub fn load(&self, bytes: &[u8]) -> Result<LoadedPlugin, PluginError> {
        let sha256 = sha256_hex(bytes);
        let component = self.compile_cached(bytes, &sha256)?;
        check_imports(&self.engine, &component)?;
        let pre = self
            .linker
            .instantiate_pre(&component)
            .map_err(|e| PluginError::Refused(format!("the plugin cannot be linked: {e:#}")))?;
        let pre = ActivityPre::new(pre).map_err(|e| PluginError::Refused(format!("the plugin does not export the activity world {CONTRACT_VERSION}: {e:#}")))?;
        let (info, _) = self.run(LOADING, &pre, CallContext::empty(), |a, s| a.call_describe(s))?;
        description::check(&info).map_err(PluginError::Refused)?;
        Ok(LoadedPlugin { id: info.id.clone(), version: info.version.clone(), sha256, contract_version: CONTRACT_VERSION, info, pre })
    }

    fn compile_cached(&self, bytes: &[u8], sha256: &str) -> Result<Component, PluginError> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.engine.precompile_compatibility_hash().hash(&mut h);
        let path = self.cache_dir.as_ref().map(|d| d.join(format!("{sha256}-{:016x}.cwasm", h.finish())));
        if let Some(path) = &path {
            if path.exists() {
                // SAFETY: the file was written by `precompile_component` of an engine with the
                // same compatibility hash, into our own data directory.
                match unsafe { Component::deserialize_file(&self.engine, path) } {
                    Ok(c) => return Ok(c),
                    Err(e) => tracing::warn!(error = %e, path = %path.display(), "discarding a stale plugin cache entry"),
                }
            }
        }
        let compiled = self
            .engine
            .precompile_component(bytes)
            .map_err(|e| PluginError::Refused(format!("this is not a valid WebAssembly component: {e:#}")))?;
        if let Some(path) = &path {
            // Unique per writer: several servers (or test processes) may share one cache.
            let tmp = path.with_extension(format!("{}.{}.tmp", std::process::id(), uuid::Uuid::new_v4().simple()));
            if std::fs::write(&tmp, &compiled).and_then(|_| std::fs::rename(&tmp, path)).is_err() {
                tracing::warn!(path = %path.display(), "could not write the plugin cache");
            }
        }
        // SAFETY: produced just now by this engine.
        unsafe { Component::deserialize(&self.engine, &compiled) }.map_err(|e| PluginError::Host(format!("{e:#}")))
    }

    /// Runs one export in a fresh instance with the deadline and memory cap. Blocking: call it
    /// from a blocking thread (`tokio::task::spawn_blocking`).
    pub fn call<R>(
        &self,
        plugin: &LoadedPlugin,
        ctx: CallContext,
        f: impl FnOnce(&Activity, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<(R, CallEffects), PluginError> {
        self.run(&plugin.id, &plugin.pre, ctx, f)
    }

    fn run<R>(
        &self,
        name: &str,
        pre: &ActivityPre<HostState>,
        ctx: CallContext,
        f: impl FnOnce(&Activity, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<(R, CallEffects), PluginError> {
        let mut store = self.new_store(CallContext { plugin: name.to_string(), ..ctx });
        store.set_epoch_deadline(self.limits.deadline_ticks(EPOCH_TICK));
        let started = std::time::Instant::now();
        let result = pre
            .instantiate(&mut store)
            .and_then(|activity| f(&activity, &mut store));
        let elapsed = started.elapsed();
        match result {
            Ok(value) => {
                let state = store.into_data();
                if let Some(problem) = state.host_failure {
                    return Err(PluginError::Host(problem));
                }
                if let Some(problem) = state.violation {
                    return Err(PluginError::Malformed { plugin: name.into(), message: problem });
                }
                Ok((value, state.effects()))
            }
            Err(e) => Err(self.classify(name, e, &store, elapsed)),
        }
    }

    /// A store with the memory cap, set to trap when its epoch deadline passes.
    fn new_store(&self, ctx: CallContext) -> Store<HostState> {
        let mut store = Store::new(&self.engine, HostState::new(ctx, &self.limits));
        store.limiter(|s| &mut s.store_limits);
        store.epoch_deadline_trap();
        store
    }

    /// An instance kept alive (for measuring memory per instance); normal calls never keep one.
    pub fn live_instance(&self, plugin: &LoadedPlugin) -> Result<(Store<HostState>, Activity), PluginError> {
        let mut store = self.new_store(CallContext::empty());
        store.set_epoch_deadline(u64::MAX / 2);
        let activity = plugin.pre.instantiate(&mut store).map_err(|e| PluginError::Host(format!("{e:#}")))?;
        Ok((store, activity))
    }

    /// `validate-contribution` with the host's checks on what comes back: an accepted body
    /// must be JSON and no larger than the output limit.
    pub fn validate_contribution(
        &self,
        plugin: &LoadedPlugin,
        ctx: CallContext,
        config: &str,
        kind: &str,
        body: &str,
    ) -> Result<(bindings::convene::activity::types::Validation, CallEffects), PluginError> {
        use bindings::convene::activity::types::Validation;
        let by = ctx.submitter.clone();
        let (verdict, kv) = self.call(plugin, ctx, |a, s| a.call_validate_contribution(s, config, kind, body, &by))?;
        if let Validation::Accepted(normalised) = &verdict {
            if normalised.len() > self.limits.max_output_bytes {
                return Err(PluginError::Malformed {
                    plugin: plugin.id.clone(),
                    message: format!("the accepted body is {} bytes; the limit is {}", normalised.len(), self.limits.max_output_bytes),
                });
            }
            if serde_json::from_str::<serde::de::IgnoredAny>(normalised).is_err() {
                return Err(PluginError::Malformed { plugin: plugin.id.clone(), message: "the accepted body is not JSON".into() });
            }
        }
        Ok((verdict, kv))
    }

    fn classify(&self, plugin: &str, e: wasmtime::Error, store: &Store<HostState>, elapsed: Duration) -> PluginError {
        let trap = e.downcast_ref::<Trap>().copied();
        let limit_mib = self.limits.memory_bytes >> 20;
        if trap == Some(Trap::Interrupt) {
            return PluginError::Timeout { plugin: plugin.into(), deadline_ms: self.limits.deadline.as_millis() as u64 };
        }
        if store.data().memory_refused() || trap == Some(Trap::AllocationTooLarge) {
            return PluginError::OutOfMemory { plugin: plugin.into(), limit_mib };
        }
        tracing::debug!(plugin, ?elapsed, "plugin call failed");
        PluginError::Trap { plugin: plugin.into(), message: format!("{}", e.root_cause()) }
    }
}

/// Deadlines are counted in ticks of this thread. It holds only a weak reference, so it ends
/// when its host is dropped (tests create many hosts; a server, one).
fn start_epoch_ticker(host: &Arc<PluginHost>) -> Result<(), PluginError> {
    let weak = Arc::downgrade(host);
    std::thread::Builder::new()
        .name("plugin-epoch".into())
        .spawn(move || {
            while let Some(host) = weak.upgrade() {
                host.engine.increment_epoch();
                drop(host);
                std::thread::sleep(EPOCH_TICK);
            }
        })
        .map(|_| ())
        .map_err(|e| PluginError::Host(format!("epoch thread: {e}")))
}

/// The hex SHA-256 of a component, as the registry records and verifies it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Wraps a core WebAssembly module built with the SDK (for `wasm32-unknown-unknown`) into a
/// component, as `convene plugin pack` does for plugin authors.
pub fn pack(module: &[u8]) -> Result<Vec<u8>, PluginError> {
    if wasmparser::Parser::is_component(module) {
        return Ok(module.to_vec());
    }
    if !wasmparser::Parser::is_core_wasm(module) {
        return Err(PluginError::Refused("this is not a WebAssembly module".into()));
    }
    wit_component::ComponentEncoder::default()
        .module(module)
        .and_then(|e| e.validate(true).encode())
        .map_err(|e| PluginError::Refused(format!("this module cannot be made into a component (was it built with convene-sdk?): {e:#}")))
}

/// Refuses components that import anything but the Convene host interface (WASI, say),
/// naming the import, before anything runs.
fn check_imports(engine: &Engine, component: &Component) -> Result<(), PluginError> {
    let ty = component.component_type();
    for (name, _) in ty.imports(engine) {
        let Some(version) = name.strip_prefix("convene:activity/host@").or_else(|| name.strip_prefix("convene:activity/types@")) else {
            return Err(PluginError::Refused(format!(
                "the plugin imports `{name}`, which is outside the Convene activity world; plugins may import only convene:activity/host (build for wasm32-unknown-unknown with convene-sdk, not for a WASI target)"
            )));
        };
        if version != CONTRACT_VERSION {
            return Err(PluginError::Refused(format!(
                "the plugin was built for contract convene:activity@{version}; this server implements convene:activity@{CONTRACT_VERSION}. Rebuild the plugin with a convene-sdk for {CONTRACT_VERSION}, or upgrade the server"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod sandbox_tests;

#[cfg(test)]
mod tests {
    use super::bindings::convene::activity::types::{Channel, Contribution, Section, Validation};
    use super::*;

    fn host() -> Arc<PluginHost> {
        PluginHost::new(Limits::default(), None).unwrap()
    }

    fn consultation(host: &PluginHost) -> LoadedPlugin {
        host.load(builtin::BUILTIN[0].1).unwrap()
    }

    const CONFIG: &str = r#"{"questions":[{"id":"p","type":"single_choice","required":true,"text":{"en":"Priority?"},
        "choices":[{"value":"health","label":{"en":"Health"}},{"value":"transport","label":{"en":"Transport"}}]}]}"#;

    #[test]
    fn the_embedded_consultation_describes_itself() {
        let host = host();
        let p = consultation(&host);
        assert_eq!(p.id, "org.convene.consultation");
        assert_eq!(p.sha256.len(), 64);
        assert_eq!(p.info.contribution_kinds[0].id, "response");
    }

    #[test]
    fn the_real_wasm_validates_contributions_and_computes_results() {
        let host = host();
        let p = consultation(&host);
        let (normalised, _) = host.call(&p, CallContext::empty(), |a, s| a.call_validate_config(s, CONFIG)).unwrap();
        assert!(normalised.is_ok());
        let (bad, _) = host.call(&p, CallContext::empty(), |a, s| a.call_validate_config(s, r#"{"questions":[]}"#)).unwrap();
        assert_eq!(bad.unwrap_err()[0].field, "questions");

        let (ok, _) = host
            .call(&p, CallContext::empty(), |a, s| a.call_validate_contribution(s, CONFIG, "response", r#"{"answers":{"p":"health"}}"#, &participant("p1")))
            .unwrap();
        assert!(matches!(ok, Validation::Accepted(body) if body == r#"{"answers":{"p":"health"}}"#));
        let (rejected, _) = host
            .call(&p, CallContext::empty(), |a, s| a.call_validate_contribution(s, CONFIG, "response", r#"{"answers":{"p":"space"}}"#, &participant("p1")))
            .unwrap();
        match rejected {
            Validation::Rejected(errors) => assert_eq!(errors[0].field, "answers.p"),
            other => panic!("{other:?}"),
        }

        let contributions: Vec<Contribution> = ["health", "health", "transport"]
            .iter()
            .enumerate()
            .map(|(i, v)| Contribution {
                id: i.to_string(),
                submitter: format!("p{i}"),
                kind: "response".into(),
                body: format!(r#"{{"answers":{{"p":"{v}"}}}}"#),
                channel: Channel::Online,
                language: "en".into(),
                created_at: "2027-01-01T00:00:00Z".into(),
            })
            .collect();
        let ctx = CallContext { contributions: Arc::new(contributions), ..CallContext::empty() };
        let (results, _) = host.call(&p, ctx, |a, s| a.call_compute_results(s, CONFIG)).unwrap();
        let results = results.unwrap();
        match &results.sections[1] {
            Section::Chart(c) => assert_eq!(c.series[0].values, vec![2.0, 1.0]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_sdk_template_loads_and_validates_in_the_real_host() {
        let host = host();
        let p = host.load(builtin::TEMPLATE).unwrap();
        assert_eq!(p.id, "org.example.idea-box");
        let ok = host.validate_contribution(&p, CallContext::empty(), "{}", "idea", r#"{"title":"  Shade trees "}"#).unwrap().0;
        assert!(matches!(ok, Validation::Accepted(body) if body == r#"{"title":"Shade trees"}"#));
        let no = host.validate_contribution(&p, CallContext::empty(), "{}", "idea", r#"{"title":""}"#).unwrap().0;
        assert!(matches!(no, Validation::Rejected(e) if e[0].field == "title"));
    }

    #[test]
    fn garbage_and_core_modules_are_refused_at_load() {
        let host = host();
        let err = host.load(b"definitely not wasm").err().unwrap();
        assert!(err.to_string().contains("not a valid WebAssembly component"), "{err}");
    }
}
