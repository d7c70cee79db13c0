//! The plugin host: activity types are WebAssembly components run by wasmtime.
//!
//! One [`Engine`] for the process. Each plugin is compiled once (and cached on disk, keyed by
//! the component's SHA-256 and the engine's compatibility hash), pre-linked once into an
//! `ActivityPre`, then instantiated fresh for every call from the pooling allocator, so no
//! state survives between calls or participants. Every call has a budget (see [`limits`]):
//! fuel for its WebAssembly and its host calls, bytes, rows and database time for what the
//! host reads for it, a memory cap, and a wall-clock deadline (epoch interruption, checked
//! again around every host call) as a backstop. A trap, panic, spent budget or memory
//! exhaustion becomes a [`PluginError`] for that one call, and the store is dropped.

pub mod builtin;
pub mod cache;
mod description;
mod host_impl;
pub mod limits;
mod plugin_log;
pub mod view;

use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, Trap};

pub use host_impl::{
    CallContext, CallEffects, ContributionSource, HostState, KvChanges, KvSource, KvUsage, Notification, SourceError, SourcePage, Spent,
    contribution_bytes, participant, within_bytes,
};
pub use cache::CompiledCache;
pub use limits::{CallBudget, CallClass, Limits};

use host_impl::Stop;

pub mod bindings {
    wasmtime::component::bindgen!({
        path: "../sdk/wit/activity@0.1.0",
        world: "activity",
        // Host functions may stop the call: a spent budget, the deadline, an invalid argument.
        imports: { default: trappable },
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
    #[error("plugin {plugin} used up its fuel ({fuel} units of computation per call)")]
    OutOfFuel { plugin: String, fuel: u64 },
    /// A budget of what the host may do for one call ran out: `what` names it.
    #[error("plugin {plugin} used up its budget of {what} per call ({limit})")]
    OverBudget { plugin: String, what: &'static str, limit: String },
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
            PluginError::OutOfFuel { .. } => "out_of_fuel",
            PluginError::OverBudget { .. } => "over_budget",
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
    cache: Option<CompiledCache>,
}

impl PluginHost {
    pub fn new(limits: Limits, cache: Option<CompiledCache>) -> Result<Arc<PluginHost>, PluginError> {
        let mut config = Config::new();
        config.wasm_component_model(true);
        config.epoch_interruption(true);
        config.consume_fuel(true);
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

        let host = Arc::new(PluginHost { engine, linker, limits, cache });
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
        let component = cache::compile(&self.engine, self.cache.as_ref(), bytes, &sha256)?;
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
        let mut store = self.new_store(CallContext { plugin: name.to_string(), ..ctx })?;
        let started = std::time::Instant::now();
        let result = pre
            .instantiate(&mut store)
            .and_then(|activity| f(&activity, &mut store));
        let elapsed = started.elapsed();
        match result {
            Ok(value) => {
                let fuel = fuel_spent(&store);
                Ok((value, store.into_data().effects(fuel)))
            }
            Err(e) => Err(self.classify(name, e, &store, elapsed)),
        }
    }

    /// A store with the call's budget: the memory cap, its fuel, its epoch deadline, and a
    /// hook on every entry into and return from the host that checks the deadline (a host
    /// call is not interrupted by the epoch) and takes the fuel the host's work cost.
    fn new_store(&self, ctx: CallContext) -> Result<Store<HostState>, PluginError> {
        let mut store = Store::new(&self.engine, HostState::new(ctx, &self.limits));
        store.limiter(|s| &mut s.store_limits);
        store.epoch_deadline_trap();
        let budget = store.data().budget().clone();
        store.set_epoch_deadline(budget.deadline_ticks(EPOCH_TICK));
        store.set_fuel(budget.fuel).map_err(|e| PluginError::Host(format!("fuel: {e:#}")))?;
        store.call_hook(|mut s, hook| {
            use wasmtime::CallHook;
            if !matches!(hook, CallHook::CallingHost | CallHook::ReturningFromHost) {
                return Ok(());
            }
            if std::time::Instant::now() >= s.data().deadline_at {
                return Err(wasmtime::Error::new(Stop::Deadline));
            }
            let debt = std::mem::take(&mut s.data_mut().fuel_debt);
            if debt > 0 {
                let fuel = s.get_fuel()?;
                s.set_fuel(fuel.saturating_sub(debt))?;
                if debt > fuel {
                    return Err(Trap::OutOfFuel.into());
                }
            }
            Ok(())
        });
        Ok(store)
    }

    /// An instance kept alive (for measuring memory per instance); normal calls never keep one.
    pub fn live_instance(&self, plugin: &LoadedPlugin) -> Result<(Store<HostState>, Activity), PluginError> {
        let mut store = self.new_store(CallContext::empty())?;
        store.set_epoch_deadline(u64::MAX / 2);
        store.set_fuel(u64::MAX).map_err(|e| PluginError::Host(format!("fuel: {e:#}")))?;
        let activity = plugin.pre.instantiate(&mut store).map_err(|e| PluginError::Host(format!("{e:#}")))?;
        Ok((store, activity))
    }

    /// `validate-contribution`, with the submitter the call context names. What comes back
    /// is checked by the caller (`app::plugin_output`), like every output that is stored.
    pub fn validate_contribution(
        &self,
        plugin: &LoadedPlugin,
        ctx: CallContext,
        config: &str,
        kind: &str,
        body: &str,
    ) -> Result<(bindings::convene::activity::types::Validation, CallEffects), PluginError> {
        let by = ctx.submitter.clone();
        self.call(plugin, ctx, |a, s| a.call_validate_contribution(s, config, kind, body, &by))
    }

    fn classify(&self, plugin: &str, e: wasmtime::Error, store: &Store<HostState>, elapsed: Duration) -> PluginError {
        let trap = e.downcast_ref::<Trap>().copied();
        let limit_mib = self.limits.memory_bytes >> 20;
        let budget = store.data().budget();
        let plugin = plugin.to_string();
        match e.downcast_ref::<Stop>() {
            Some(Stop::Deadline) => return PluginError::Timeout { plugin, deadline_ms: budget.deadline.as_millis() as u64 },
            Some(Stop::OverBudget { what, limit }) => return PluginError::OverBudget { plugin, what, limit: limit.clone() },
            Some(stop @ Stop::InvalidArgument { .. }) => return PluginError::Malformed { plugin, message: stop.to_string() },
            Some(Stop::HostFailed(problem)) => return PluginError::Host(problem.clone()),
            None => {}
        }
        if trap == Some(Trap::Interrupt) {
            return PluginError::Timeout { plugin, deadline_ms: budget.deadline.as_millis() as u64 };
        }
        if trap == Some(Trap::OutOfFuel) {
            return PluginError::OutOfFuel { plugin, fuel: budget.fuel };
        }
        if store.data().memory_refused() || trap == Some(Trap::AllocationTooLarge) {
            return PluginError::OutOfMemory { plugin, limit_mib };
        }
        tracing::debug!(%plugin, ?elapsed, "plugin call failed");
        PluginError::Trap { plugin, message: format!("{}", e.root_cause()) }
    }
}

/// The fuel a call has burnt so far: its budget minus what is left.
fn fuel_spent(store: &Store<HostState>) -> u64 {
    store.data().budget().fuel.saturating_sub(store.get_fuel().unwrap_or(0))
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
/// naming every such import (an author fixes them all at once, not one per try), before
/// anything runs.
fn check_imports(engine: &Engine, component: &Component) -> Result<(), PluginError> {
    let ty = component.component_type();
    let mut outside = Vec::new();
    for (name, _) in ty.imports(engine) {
        let Some(version) = name.strip_prefix("convene:activity/host@").or_else(|| name.strip_prefix("convene:activity/types@")) else {
            outside.push(format!("`{name}`"));
            continue;
        };
        if version != CONTRACT_VERSION {
            return Err(PluginError::Refused(format!(
                "the plugin was built for contract convene:activity@{version}; this server implements convene:activity@{CONTRACT_VERSION}. Rebuild the plugin with a convene-sdk for {CONTRACT_VERSION}, or upgrade the server"
            )));
        }
    }
    if outside.is_empty() {
        return Ok(());
    }
    let which = if outside.len() == 1 { "is" } else { "are" };
    Err(PluginError::Refused(format!(
        "the plugin imports {}, which {which} outside the Convene activity world; plugins may import only convene:activity/host (build for wasm32-unknown-unknown with convene-sdk, not for a WASI target)",
        outside.join(", ")
    )))
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
