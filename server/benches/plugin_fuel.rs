//! The fuel first-party plugins need for their largest realistic inputs, in the real host:
//! the default budgets (adapters/plugins/limits.rs) are set from these figures with
//! headroom. Fuel is deterministic, so one run of each is the figure; the wall-clock time is
//! printed alongside. Run: `cargo bench -p convene --bench plugin_fuel`.

use std::sync::Arc;
use std::time::Instant;

use convene::adapters::plugins::bindings::convene::activity::types::{Channel, Contribution, Submitter, SubmitterRole, Validation};
use convene::adapters::plugins::{CallBudget, CallClass, CallContext, CallEffects, Limits, PluginHost, builtin, participant};
use serde_json::{Value, json};

fn component(stem: &str) -> &'static [u8] {
    builtin::BUILTIN.iter().find(|(s, _)| *s == stem).unwrap().1
}

/// No budget in the way: the point is to measure.
fn unbounded() -> Limits {
    let huge = CallBudget {
        deadline: std::time::Duration::from_secs(600),
        fuel: u64::MAX / 4,
        read_bytes: usize::MAX / 4,
        read_rows: usize::MAX / 4,
        database_time: std::time::Duration::from_secs(600),
    };
    Limits { interactive: huge.clone(), background: huge, ..Limits::default() }
}

fn stored(id: usize, submitter: &str, kind: &str, body: String) -> Contribution {
    Contribution {
        id: format!("{id:08}"),
        submitter: submitter.into(),
        kind: kind.into(),
        body,
        channel: Channel::Online,
        language: "en".into(),
        created_at: "2027-03-01T10:00:00Z".into(),
    }
}

fn report(what: &str, started: Instant, effects: &CallEffects, defaults: &CallBudget) {
    let fuel = effects.spent.fuel;
    println!(
        "{what}: fuel {fuel} ({:.1}% of the default {}), read {} rows / {} KiB, {:.1} ms",
        fuel as f64 * 100.0 / defaults.fuel as f64,
        defaults.fuel,
        effects.spent.read_rows,
        effects.spent.read_bytes >> 10,
        started.elapsed().as_secs_f64() * 1e3
    );
}

fn options(values: &[&str]) -> Value {
    Value::Array(values.iter().map(|v| json!({ "value": v, "label": { "en": v } })).collect())
}

/// A skewed pool of `n` volunteers (as in the plugin's own tests), each validated by the
/// plugin in turn as the server does (each check reads the pool so far); then the draw.
fn panel_draw(host: &PluginHost, n: usize) {
    let panel = host.load(component("citizen-panel")).unwrap();
    let config = json!({
        "panel_size": 100,
        "questions": [
            { "id": "gender", "text": { "en": "Gender" }, "options": options(&["woman", "man", "other"]) },
            { "id": "age", "text": { "en": "Age" }, "options": options(&["18-29", "30-44", "45-64", "65+"]) },
            { "id": "area", "text": { "en": "Where do you live?" }, "options": options(&["urban", "rural"]) }
        ],
        "quotas": {
            "gender": { "woman": { "min": 47, "max": 53 }, "man": { "min": 47, "max": 53 }, "other": { "max": 4 } },
            "age": { "18-29": { "min": 20, "max": 30 }, "30-44": { "min": 20, "max": 30 }, "45-64": { "min": 20, "max": 30 }, "65+": { "min": 15, "max": 25 } },
            "area": { "urban": { "min": 60, "max": 75 }, "rural": { "min": 25, "max": 40 } }
        },
        "consent": { "en": "I agree." }
    })
    .to_string();
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    let mut pool: Vec<Contribution> = Vec::with_capacity(n + 1);
    let mut last = None;
    for i in 0..n {
        let gender = ["woman", "woman", "woman", "man", "man", "other"][next(6) as usize];
        let age = ["18-29", "18-29", "30-44", "45-64", "65+"][next(5) as usize];
        let area = if next(10) < 8 { "urban" } else { "rural" };
        let body = json!({ "answers": { "gender": gender, "age": age, "area": area }, "consent": true }).to_string();
        let who = format!("v{i:05}");
        let ctx = CallContext { contributions: Arc::new(pool.clone()), submitter: participant(&who), ..CallContext::empty() };
        let started = Instant::now();
        let (verdict, effects) = host.validate_contribution(&panel, ctx, &config, "volunteer", &body).unwrap();
        let Validation::Accepted(normalised) = verdict else { panic!("volunteer {i} refused: {verdict:?}") };
        last = Some((started, effects));
        pool.push(stored(i, &who, "volunteer", normalised));
    }
    let (started, effects) = last.unwrap();
    report(&format!("citizen panel, volunteer number {n} (reads the pool so far)"), started, &effects, &Limits::default().interactive);

    let organiser = Submitter { id: "organiser".into(), role: SubmitterRole::Organiser, channel: Channel::Online };
    let ctx = CallContext { contributions: Arc::new(pool.clone()), submitter: organiser, seed: vec![7; 32], ..CallContext::empty() };
    let started = Instant::now();
    let (verdict, effects) = host.validate_contribution(&panel, ctx, &config, "draw", "{}").unwrap();
    assert!(matches!(verdict, Validation::Accepted(_)), "{verdict:?}");
    report(&format!("citizen panel, the draw: {n} volunteers, 100 seats, 3 quota questions"), started, &effects, &Limits::default().interactive);

    let ctx = CallContext { contributions: Arc::new(pool), class: CallClass::Background, ..CallContext::empty() };
    let started = Instant::now();
    let (results, effects) = host.call(&panel, ctx, |a, s| a.call_compute_results(s, &config)).unwrap();
    results.unwrap();
    report(&format!("citizen panel, results over {n} volunteers"), started, &effects, &Limits::default().background);
}

/// A consultation of three questions (a choice, a scale, free text) and `n` answers.
fn consultation_results(host: &PluginHost, n: usize) {
    let consultation = host.load(component("consultation")).unwrap();
    let config = r#"{"questions":[
        {"id":"p","type":"single_choice","required":true,"text":{"en":"Priority?"},
         "choices":[{"value":"health","label":{"en":"Health"}},{"value":"transport","label":{"en":"Transport"}},{"value":"housing","label":{"en":"Housing"}}]},
        {"id":"t","type":"scale","min":1,"max":5,"text":{"en":"Trust?"}},
        {"id":"w","type":"free_text","text":{"en":"Why?"}}]}"#;
    let choices = ["health", "transport", "housing"];
    let answers: Vec<Contribution> = (0..n)
        .map(|i| {
            let body = json!({ "answers": { "p": choices[i % 3], "t": 1 + i % 5, "w": "Because the bus to the clinic runs once an hour, and not at all on Sundays." } });
            stored(i, &format!("p{i}"), "response", body.to_string())
        })
        .collect();
    let ctx = CallContext { contributions: Arc::new(answers.clone()), ..CallContext::empty() };
    let started = Instant::now();
    let (_, effects) = host.validate_contribution(&consultation, ctx, config, "response", r#"{"answers":{"p":"health","t":3,"w":"Yes."}}"#).unwrap();
    report(&format!("consultation, one answer checked ({n} stored)"), started, &effects, &Limits::default().interactive);

    let ctx = CallContext { contributions: Arc::new(answers), class: CallClass::Background, ..CallContext::empty() };
    let started = Instant::now();
    let (results, effects) = host.call(&consultation, ctx, |a, s| a.call_compute_results(s, config)).unwrap();
    results.unwrap();
    report(&format!("consultation, results over {n} answers"), started, &effects, &Limits::default().background);
}

fn main() {
    let host = PluginHost::new(unbounded(), None).unwrap();
    panel_draw(&host, 2_000);
    consultation_results(&host, 100_000);
}
