//! The hostile suite: a deliberately malicious plugin, built from `plugins/hostile` like the
//! others, misbehaves in every export. Each misbehaviour must cost one call, be stopped by
//! the budget meant for it (fuel for computation, the wall-clock deadline only as a
//! backstop), and leave other calls running at normal speed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::bindings::convene::activity::types::Validation;
use super::*;

const DEADLINE: Duration = Duration::from_millis(100);
/// About 10-50 ms of computation: well inside the deadline, so fuel is what stops a loop.
const FUEL: u64 = 50_000_000;

fn limits(deadline: Duration, fuel: u64) -> Limits {
    let mut limits = Limits::default();
    limits.interactive.deadline = deadline;
    limits.interactive.fuel = fuel;
    limits
}

fn host() -> Arc<PluginHost> {
    PluginHost::new(limits(Duration::from_secs(5), FUEL), None).unwrap()
}

fn config(attack: &str) -> String {
    format!(r#"{{"attack":"{attack}"}}"#)
}

/// Runs `f` on another thread while this one makes normal consultation calls, and returns
/// f's result with the slowest normal call seen meanwhile.
fn while_others_run<R: Send + 'static>(host: &Arc<PluginHost>, f: impl FnOnce() -> R + Send + 'static) -> (R, Duration, usize) {
    let good = host.load(builtin::BUILTIN[0].1).unwrap();
    let cfg = r#"{"questions":[{"id":"p","type":"scale","min":1,"max":5,"text":{"en":"?"}}]}"#;
    let attacker = std::thread::spawn(f);
    let mut slowest = Duration::ZERO;
    let mut calls = 0;
    while !attacker.is_finished() {
        let t = Instant::now();
        let (v, _) = host.validate_contribution(&good, CallContext::empty(), cfg, "response", r#"{"answers":{"p":3}}"#).unwrap();
        assert!(matches!(v, Validation::Accepted(_)));
        slowest = slowest.max(t.elapsed());
        calls += 1;
    }
    (attacker.join().unwrap(), slowest, calls)
}

#[test]
fn every_export_that_loops_forever_runs_out_of_fuel() {
    let host = host();
    let p = Arc::new(host.load(builtin::HOSTILE).unwrap());
    type Export = fn(&Activity, &mut Store<HostState>, &str) -> wasmtime::Result<()>;
    let exports: [(&str, Export); 5] = [
        ("validate-config", |a, s, c| a.call_validate_config(s, c).map(drop)),
        ("contribution-form", |a, s, c| a.call_contribution_form(s, c, "x").map(drop)),
        ("validate-contribution", |a, s, c| a.call_validate_contribution(s, c, "x", "{}", &participant("p1")).map(drop)),
        ("on-phase-change", |a, s, c| a.call_on_phase_change(s, c, "closed").map(drop)),
        ("compute-results", |a, s, c| a.call_compute_results(s, c).map(drop)),
    ];
    for (name, export) in exports {
        let (h, p2) = (host.clone(), p.clone());
        let ((result, took), slowest, calls) = while_others_run(&host, move || {
            let t = Instant::now();
            let r = h.call(&p2, CallContext::empty(), |a, s| export(a, s, &config("loop")));
            (r.map(|_| ()), t.elapsed())
        });
        let err = result.err().unwrap_or_else(|| panic!("{name} should run out of fuel"));
        // contribution-form goes through validate_config first, which is where it loops.
        assert!(matches!(err, PluginError::OutOfFuel { fuel: FUEL, .. }), "{name}: {err}");
        assert!(took < Duration::from_secs(2), "{name}: the trap came after {took:?}");
        assert!(calls > 0 && slowest < Duration::from_millis(500), "{name}: other calls slowed to {slowest:?}");
    }

    // describe takes no input; the hostile one loops when the clock reads the Unix epoch.
    let ctx = CallContext { now: "1970-01-01T00:00:00Z".into(), ..CallContext::empty() };
    let err = host.call(&p, ctx, |a, s| a.call_describe(s)).err().unwrap();
    assert!(matches!(err, PluginError::OutOfFuel { .. }), "{err}");
}

/// The same call costs the same fuel every time, whatever else the machine does: that is
/// what lets an honest plugin keep working on a busy server.
#[test]
fn fuel_is_deterministic_and_reported() {
    let host = host();
    let good = host.load(builtin::BUILTIN[0].1).unwrap();
    let cfg = r#"{"questions":[{"id":"p","type":"scale","min":1,"max":5,"text":{"en":"?"}}]}"#;
    let spent: Vec<u64> = (0..5)
        .map(|_| host.validate_contribution(&good, CallContext::empty(), cfg, "response", r#"{"answers":{"p":3}}"#).unwrap().1.spent.fuel)
        .collect();
    assert!(spent[0] > 1_000 && spent[0] < FUEL, "{spent:?}");
    assert!(spent.iter().all(|f| *f == spent[0]), "{spent:?}");
}

/// The deadline is a backstop: with fuel to spare, a loop still ends at it.
#[test]
fn the_wall_clock_deadline_stops_what_fuel_does_not() {
    let host = PluginHost::new(limits(DEADLINE, u64::MAX / 4), None).unwrap();
    let p = host.load(builtin::HOSTILE).unwrap();
    let t = Instant::now();
    let err = host.validate_contribution(&p, CallContext::empty(), &config("loop"), "x", "{}").err().unwrap();
    assert!(matches!(err, PluginError::Timeout { deadline_ms: 100, .. }), "{err}");
    // Without the deadline it would run for ever; the bound leaves room for a loaded machine.
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

/// Calling the host in a loop is not free: every host call is charged fuel.
#[test]
fn host_calls_cost_fuel() {
    let host = host();
    let p = host.load(builtin::HOSTILE).unwrap();
    let err = host.validate_contribution(&p, CallContext::empty(), &config("host-spin"), "x", "{}").err().unwrap();
    assert!(matches!(err, PluginError::OutOfFuel { .. }), "{err}");
}

/// A host call that blocks (a slow database) cannot carry a call past its deadline: the
/// host checks the deadline when the call returns to the plugin.
#[test]
fn a_slow_host_call_ends_at_the_deadline() {
    struct Slow;
    impl ContributionSource for Slow {
        fn page(&self, _: Option<&str>, _: Option<&str>, _: u32, _: usize, _: Duration) -> Result<SourcePage, SourceError> {
            std::thread::sleep(Duration::from_millis(300));
            Ok(SourcePage { page: super::bindings::convene::activity::types::ContributionPage { items: vec![], next_cursor: Some("0".into()) }, rows: 0 })
        }
    }
    let host = PluginHost::new(limits(DEADLINE, FUEL), None).unwrap();
    let p = host.load(builtin::HOSTILE).unwrap();
    let ctx = CallContext { contributions: Arc::new(Slow), ..CallContext::empty() };
    let err = host.validate_contribution(&p, ctx, &config("reread"), "x", "{}").err().unwrap();
    assert!(matches!(err, PluginError::Timeout { .. }), "{err}");
}

/// A made-up cursor is the plugin's mistake: its own error, never the host's.
#[test]
fn invalid_arguments_are_the_plugins_fault() {
    let host = host();
    let p = host.load(builtin::HOSTILE).unwrap();
    let err = host.validate_contribution(&p, CallContext::empty(), &config("bad-cursor"), "x", "{}").err().unwrap();
    assert_eq!(err.kind(), "malformed", "{err}");
    assert!(err.to_string().contains("test.hostile") && err.to_string().contains("not a cursor"), "{err}");
}

#[test]
fn memory_recursion_panics_and_huge_outputs_cost_one_call() {
    // A generous deadline, so that on a loaded machine the memory cap (not the clock) is
    // what stops the memory attacks.
    let host = PluginHost::new(limits(Duration::from_secs(5), Limits::default().interactive.fuel), None).unwrap();
    let p = Arc::new(host.load(builtin::HOSTILE).unwrap());
    for (attack, expected) in [
        ("memory", "out_of_memory"),
        ("recursion", "trap"),
        ("panic", "trap"),
        ("huge-output", "out_of_memory"),
    ] {
        let (h, p2) = (host.clone(), p.clone());
        let (result, slowest, _) = while_others_run(&host, move || {
            h.validate_contribution(&p2, CallContext::empty(), &config(attack), "x", "{}")
        });
        let err = result.err().unwrap_or_else(|| panic!("{attack} should fail"));
        assert_eq!(err.kind(), expected, "{attack}: {err}");
        assert!(err.to_string().contains("test.hostile"), "the error names the plugin: {err}");
        assert!(slowest < Duration::from_millis(500), "{attack}: other calls slowed to {slowest:?}");
    }
    // The plugin still works afterwards: each call had a fresh instance.
    let (ok, _) = host.validate_contribution(&p, CallContext::empty(), &config("none"), "x", "{}").unwrap();
    assert!(matches!(ok, Validation::Accepted(body) if body == "null"));
}

#[test]
fn flooding_the_key_value_store_stops_at_the_quota() {
    let host = host();
    let p = host.load(builtin::HOSTILE).unwrap();
    let (verdict, changes) = host.call(&p, CallContext::empty(), |a, s| a.call_validate_contribution(s, &config("kv-flood"), "x", "{}", &participant("p1"))).unwrap();
    match verdict {
        Validation::Accepted(text) => assert!(text.contains("quota reached after"), "{text}"),
        other => panic!("{other:?}"),
    }
    let stored: usize = changes.kv.iter().map(|(k, v)| k.len() + v.as_ref().map_or(0, Vec::len)).sum();
    assert!(stored <= Limits::default().kv_quota_bytes, "{stored} bytes kept");
    assert!(changes.kv.len() >= 10);
}

#[test]
fn imports_outside_the_world_and_invalid_bytes_are_refused_at_install() {
    let host = host();
    // A component that also imports a WASI clock: refused, naming the import.
    let mut resolve = wit_parser::Resolve::default();
    let pkg = resolve
        .push_str(
            "sneaky.wit",
            r#"package test:sneaky;
               interface clock { now: func() -> u64; }
               world sneaky { import clock; export describe: func() -> string; }"#,
        )
        .unwrap();
    let world = resolve.select_world(&[pkg], Some("sneaky")).unwrap();
    let mut module = wit_component::dummy_module(&resolve, world, wit_parser::ManglingAndAbi::Standard32);
    wit_component::embed_component_metadata(&mut module, &resolve, world, wit_component::StringEncoding::UTF8).unwrap();
    let component = wit_component::ComponentEncoder::default().module(&module).unwrap().encode().unwrap();
    let err = host.load(&component).err().unwrap();
    assert!(err.to_string().contains("imports `test:sneaky/clock`"), "{err}");

    // A core module is not a component; random bytes are not wasm.
    let core = empty_core_module();
    for bytes in [core.as_slice(), b"\0asm\x01\0\0\0garbage".as_slice(), b"MZ not wasm".as_slice()] {
        let err = host.load(bytes).err().unwrap();
        assert_eq!(err.kind(), "refused", "{err}");
    }
}

/// The smallest core module: valid wasm, but not a component.
fn empty_core_module() -> Vec<u8> {
    vec![0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
}
