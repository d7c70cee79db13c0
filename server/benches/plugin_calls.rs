//! Plugin host figures: compile time, load from the on-disk cache, per-call cost of a fresh
//! instance + `validate-contribution` on a small body (one thread, two and four, with fuel
//! metering on), and memory per live instance. Run: `cargo bench -p convene --bench plugin_calls`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use convene::adapters::plugins::{CallContext, CompiledCache, Limits, PluginHost, builtin, participant};

const CONFIG: &str = r#"{"questions":[{"id":"p","type":"single_choice","required":true,"text":{"en":"Priority?"},
    "choices":[{"value":"health","label":{"en":"Health"}},{"value":"transport","label":{"en":"Transport"}}]},
    {"id":"t","type":"scale","min":1,"max":5,"text":{"en":"Trust?"}}]}"#;
const BODY: &str = r#"{"answers":{"p":"health","t":4}}"#;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn rss_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0);
    pages * 4
}

fn calls(host: &PluginHost, plugin: &convene::adapters::plugins::LoadedPlugin, n: usize) -> Vec<Duration> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let (v, _) = host.validate_contribution(plugin, CallContext::empty(), CONFIG, "response", BODY).unwrap();
        out.push(t.elapsed());
        std::hint::black_box(v);
    }
    out
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{label}: n={} p50={:.1} us p99={:.1} us max={:.1} us",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1e6,
        percentile(&samples, 0.99).as_secs_f64() * 1e6,
        samples.last().unwrap().as_secs_f64() * 1e6
    );
}

fn main() {
    let bytes = builtin::BUILTIN[0].1;
    println!("consultation component: {} KiB", bytes.len() / 1024);
    let cache_dir = std::env::temp_dir().join(format!("convene-bench-cache-{}", std::process::id()));
    let cache = CompiledCache::new(cache_dir.clone(), b"the benchmark's cache secret");

    let host = PluginHost::new(Limits::default(), Some(cache.clone())).unwrap();
    let t = Instant::now();
    let plugin = host.load(bytes).unwrap();
    println!("compile + pre-link + describe (cold cache): {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let mut loads = Vec::new();
    for _ in 0..20 {
        let h = PluginHost::new(Limits::default(), Some(cache.clone())).unwrap();
        let t = Instant::now();
        std::hint::black_box(h.load(bytes).unwrap());
        loads.push(t.elapsed());
    }
    loads.sort();
    println!("load from cache + pre-link + describe: p50 {:.2} ms", percentile(&loads, 0.5).as_secs_f64() * 1e3);

    calls(&host, &plugin, 2_000); // warm up
    report("instantiate + validate-contribution, 1 thread", calls(&host, &plugin, 20_000));

    let plugin = Arc::new(plugin);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (h, p) = (host.clone(), plugin.clone());
            std::thread::spawn(move || calls(&h, &p, 10_000))
        })
        .collect();
    let mut both = Vec::new();
    for h in handles {
        both.extend(h.join().unwrap());
    }
    report("instantiate + validate-contribution, 2 threads", both);

    // Four clients on two cores, the load under which wall-clock deadlines used to fail
    // honest calls: with fuel as the budget, none fails, however slow a call gets.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (h, p) = (host.clone(), plugin.clone());
            std::thread::spawn(move || {
                let mut failed = 0;
                let mut samples = Vec::with_capacity(10_000);
                for _ in 0..10_000 {
                    let t = Instant::now();
                    if h.validate_contribution(&p, CallContext::empty(), CONFIG, "response", BODY).is_err() {
                        failed += 1;
                    }
                    samples.push(t.elapsed());
                }
                (samples, failed)
            })
        })
        .collect();
    let (mut four, mut failed) = (Vec::new(), 0);
    for h in handles {
        let (samples, f) = h.join().unwrap();
        four.extend(samples);
        failed += f;
    }
    println!("4 threads on the same cores: {failed} of {} calls failed", four.len());
    report("instantiate + validate-contribution, 4 threads", four);

    // Memory per live instance, right after instantiation (copy-on-write pages untouched) and
    // after each has served a call (what a busy server holds per concurrent call).
    let before = rss_kib();
    let mut live: Vec<_> = (0..50).map(|_| host.live_instance(&plugin).unwrap()).collect();
    let instantiated = rss_kib();
    for (store, activity) in &mut live {
        std::hint::black_box(activity.call_validate_contribution(&mut *store, CONFIG, "response", BODY, &participant("p1")).unwrap());
    }
    let called = rss_kib();
    let per = |kib: u64| kib.saturating_sub(before) / live.len() as u64;
    println!("memory per live instance (RSS delta over {}): {} KiB instantiated, {} KiB after a call", live.len(), per(instantiated), per(called));
    drop(live);
    let _ = std::fs::remove_dir_all(cache_dir);
}
