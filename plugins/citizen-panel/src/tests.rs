use std::collections::{BTreeMap, BTreeSet};

use convene_sdk::testing::{Harness, with_host};
use convene_sdk::{Channel, Section, Submitter, SubmitterRole, Validation, Value, json};

use super::{CitizenPanel, Config, PoolMember, draw, pool_from_rows, replacement, seed_from_hex};

fn options(values: &[&str]) -> Value {
    Value::Array(values.iter().map(|v| json!({ "value": v, "label": { "en": v } })).collect())
}

fn config_json() -> Value {
    json!({
        "panel_size": 24,
        "questions": [
            { "id": "gender", "text": { "en": "Gender", "es": "Género" }, "options": options(&["woman", "man", "other"]) },
            { "id": "age", "text": { "en": "Age" }, "options": options(&["18-29", "30-44", "45-64", "65+"]) },
            { "id": "area", "text": { "en": "Where do you live?" }, "options": options(&["urban", "rural"]) }
        ],
        "quotas": {
            "gender": { "woman": { "min": 11, "max": 13 }, "man": { "min": 11, "max": 13 }, "other": { "max": 2 } },
            "age": { "18-29": { "min": 5, "max": 7 }, "30-44": { "min": 5, "max": 7 }, "45-64": { "min": 5, "max": 7 }, "65+": { "min": 4, "max": 6 } },
            "area": { "urban": { "min": 14, "max": 18 }, "rural": { "min": 6, "max": 10 } }
        },
        "consent": { "en": "I agree that my answers are used to draw a representative panel and published under a pseudonym." }
    })
}

fn config() -> Config {
    serde_json::from_value(config_json()).unwrap()
}

fn panel() -> Harness<CitizenPanel> {
    Harness::new(config_json()).unwrap()
}

fn organiser() -> Submitter {
    Submitter { id: "organiser".into(), role: SubmitterRole::Organiser, channel: Channel::Online }
}

/// A skewed synthetic pool (many women, many young urban people, few "other"), reproducible
/// from `salt`.
fn synthetic_pool(n: usize, salt: u64) -> Vec<PoolMember> {
    let mut x = 0x2545_F491_4F6C_DD1D ^ salt;
    let mut next = move |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    (0..n)
        .map(|i| {
            let gender = match next(100) {
                0..=59 => "woman",
                60..=96 => "man",
                _ => "other",
            };
            let age = match next(100) {
                0..=39 => "18-29",
                40..=69 => "30-44",
                70..=89 => "45-64",
                _ => "65+",
            };
            let area = if next(100) < 80 { "urban" } else { "rural" };
            PoolMember::new(&format!("v{i:04}"), &[("gender", gender), ("age", age), ("area", area)])
        })
        .collect()
}

fn volunteer_body(m: &PoolMember) -> Value {
    json!({ "answers": m.answers, "consent": true })
}

fn join(h: &mut Harness<CitizenPanel>, pool: &[PoolMember]) {
    for m in pool {
        let v = h.contribute_as("volunteer", volunteer_body(m), &Submitter::participant(&m.pseudonym));
        assert!(v.is_accepted(), "{v:?}");
    }
}

fn fields(v: &Validation) -> Vec<String> {
    v.errors().into_iter().map(|e| e.field).collect()
}

fn accepted_body(v: Validation) -> Value {
    match v {
        Validation::Accepted(body) => body,
        Validation::Rejected(e) => panic!("rejected: {e:?}"),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// Panics naming the first quota the panel breaks.
fn assert_meets_quotas(config: &Config, pool: &[PoolMember], panel: &[String]) {
    assert_eq!(panel.len(), config.panel_size as usize);
    assert_eq!(panel.iter().collect::<BTreeSet<_>>().len(), panel.len(), "nobody twice");
    let answers: BTreeMap<&str, &BTreeMap<String, String>> = pool.iter().map(|m| (m.pseudonym.as_str(), &m.answers)).collect();
    for q in &config.questions {
        for o in &q.options {
            let (min, max) = config.quota(&q.id, &o.value);
            let n = panel.iter().filter(|p| answers[p.as_str()][&q.id] == o.value).count() as u32;
            assert!((min..=max).contains(&n), "quotas.{}.{}: {n} not in {min}..={max}", q.id, o.value);
        }
    }
}

fn section(results: &convene_sdk::Results, title: &str) -> Section {
    results
        .sections
        .iter()
        .find(|s| matches!(s, Section::Text { title: t, .. } | Section::Table { title: t, .. } if t.get("en") == Some(title)))
        .cloned()
        .unwrap()
}

fn rows(s: &Section) -> Vec<Vec<String>> {
    match s {
        Section::Table { rows, .. } => rows.clone(),
        other => panic!("{other:?}"),
    }
}

fn body_text(s: &Section) -> String {
    match s {
        Section::Text { body, .. } => body.get("en").unwrap().to_string(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn config_errors_name_their_paths() {
    let errors = Harness::<CitizenPanel>::new(json!({
        "panel_size": 1,
        "questions": [
            { "id": "Gender!", "text": { "en": "Gender" }, "options": options(&["woman", "woman"]) },
            { "id": "age", "text": {}, "options": options(&["young"]) },
            { "id": "age", "text": { "en": "Age again" }, "options": options(&["a b", "old"]) }
        ],
        "quotas": {
            "age": { "young": { "min": 3, "max": 2 }, "ancient": { "min": 1 } },
            "region": { "north": { "min": 1 } }
        },
        "consent": { "en": " " },
        "invitation": { "subject": { "en": "Hello" }, "body": {} }
    }))
    .err()
    .unwrap();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "panel_size",
            "questions[0].id",
            "questions[0].options[1].value",
            "questions[1].text",
            "questions[1].options",
            "questions[2].id",
            "questions[2].options[0].value",
            "quotas.age.ancient",
            "quotas.age.young.min",
            "quotas.age",
            "quotas.region",
            "consent",
            "invitation.body",
        ]
    );
    assert!(errors.iter().any(|e| e.problem == "`ancient` is not an option of `age`"));
}

#[test]
fn quota_sums_must_fit_the_panel() {
    let mut c = config_json();
    c["quotas"]["gender"] = json!({ "woman": { "min": 13, "max": 13 }, "man": { "min": 12, "max": 12 }, "other": { "max": 2 } });
    c["quotas"]["area"] = json!({ "urban": { "max": 10 }, "rural": { "max": 10 } });
    let errors = Harness::<CitizenPanel>::new(c).err().unwrap();
    let problems: Vec<(String, String)> = errors.into_iter().map(|e| (e.field, e.problem)).collect();
    assert_eq!(
        problems,
        [
            ("quotas.area".to_string(), "the maximums add up to 20, fewer than the panel's 24 seats".to_string()),
            ("quotas.gender".to_string(), "the minimums add up to 25, more than the panel's 24 seats".to_string()),
        ]
    );
    assert!(Harness::<CitizenPanel>::new(config_json()).is_ok());
}

#[test]
fn volunteer_entries_are_checked() {
    let mut h = panel();
    let bad = h.contribute("volunteer", json!({ "answers": { "gender": "woman", "age": "12-17", "planet": "mars" }, "consent": false, "extra": 1 }));
    assert_eq!(fields(&bad), ["extra", "answers.age", "answers.area", "answers.planet", "consent"]);
    assert!(bad.errors()[1].problem.contains("`12-17` is not one of the options (18-29, 30-44, 45-64, 65+)"));
    assert_eq!(bad.errors()[2].problem, "answer this question");

    let ok = h.contribute("volunteer", json!({ "answers": { "gender": " woman ", "age": "65+", "area": "rural" }, "consent": true }));
    assert_eq!(accepted_body(ok), json!({ "answers": { "age": "65+", "area": "rural", "gender": "woman" }, "consent": true }));
    let again = h.contribute("volunteer", json!({ "answers": { "gender": "man", "age": "65+", "area": "rural" }, "consent": true }));
    assert_eq!(fields(&again), [""]);
    assert!(again.errors()[0].problem.contains("already volunteered"));
    // Entered on paper by a facilitator, for someone else: their own pseudonym, accepted.
    let paper = Submitter { id: "p2".into(), role: SubmitterRole::Participant, channel: Channel::Paper };
    assert!(h.contribute_as("volunteer", json!({ "answers": { "gender": "man", "age": "18-29", "area": "urban" }, "consent": true }), &paper).is_accepted());
    // Garbage never panics.
    for body in [json!(null), json!([]), json!("x"), json!({ "answers": [1] }), json!({ "answers": { "gender": 3 }, "consent": "yes" })] {
        assert!(!h.contribute_as("volunteer", body, &Submitter::participant("p9")).is_accepted());
    }
}

#[test]
fn a_draw_needs_a_committed_seed() {
    let mut h = panel();
    join(&mut h, &synthetic_pool(60, 1));
    with_host(|host| host.seed = vec![]);
    let v = h.contribute_as("draw", json!({}), &organiser());
    assert_eq!(fields(&v), ["seed"]);
    assert!(v.errors()[0].problem.contains("POST /api/v1/activities/{id}/seed"));
    assert!(with_host(|host| host.notifications.is_empty()));
    assert_eq!(fields(&h.contribute_as("draw", json!({ "replace_declined": "yes", "x": 1 }), &organiser())), ["x", "replace_declined"]);
}

#[test]
fn a_quota_the_pool_cannot_meet_is_named() {
    let mut h = panel();
    let mut pool = synthetic_pool(80, 2);
    // Only three young volunteers, where the quota asks for five.
    let mut young = 0;
    for m in &mut pool {
        if m.answers["age"] == "18-29" {
            young += 1;
            if young > 3 {
                m.answers.insert("age".into(), "30-44".into());
            }
        }
    }
    join(&mut h, &pool);
    let v = h.contribute_as("draw", json!({}), &organiser());
    // The root cause first; then what it means for the seats of that question.
    assert_eq!(fields(&v), ["quotas.age.18-29.min", "quotas.age"]);
    assert_eq!(v.errors()[0].problem, "the pool has only 3 people answering 18-29; the quota asks for at least 5");

    let small = synthetic_pool(20, 3);
    let errors = draw(&config(), &small, &[1; 32]).unwrap_err();
    assert_eq!(errors[0].field, "panel_size");
    assert_eq!(errors[0].problem, "the pool has only 20 volunteers; the panel needs 24");
}

#[test]
fn a_300_person_pool_gives_24_people_meeting_every_quota_and_invites_them() {
    let mut h = panel();
    let pool = synthetic_pool(300, 4);
    join(&mut h, &pool);
    let body = accepted_body(h.contribute_as("draw", json!({}), &organiser()));
    let selected = strings(&body["selected"]);
    assert_meets_quotas(&config(), &pool, &selected);
    let mut sorted = selected.clone();
    sorted.sort();
    assert_eq!(selected, sorted, "published sorted");
    assert_eq!(body["round"], 1);
    assert_eq!(body["pool_size"], 300);
    assert_eq!(body["algorithm"], "convene-leximin-mwu-v1");
    assert_eq!(body["seed_sha256"], draw::sha256_hex(&[7; 32]));
    assert_eq!(body["pool_digest"], draw::pool_digest(&config(), &pool));
    assert_eq!(body["pool"]["rows"].as_array().unwrap().len(), 300);
    assert_eq!(body["selection_counts"].as_array().unwrap().len(), 300);
    let notified: Vec<String> = with_host(|host| host.notifications.iter().map(|n| n.0.clone()).collect());
    assert_eq!(notified, selected, "every person drawn is invited, nobody else");
    let (_, subject, message) = with_host(|host| host.notifications[0].clone());
    assert_eq!(subject.get("es"), Some("Has salido en el sorteo del panel ciudadano"));
    assert!(message.get("en").unwrap().contains("accept or decline"));

    // The pool closes, and the panel cannot be drawn twice.
    let late = h.contribute_as("volunteer", volunteer_body(&synthetic_pool(1, 5)[0]), &Submitter::participant("late"));
    assert!(late.errors()[0].problem.contains("pool is closed"));
    let again = h.contribute_as("draw", json!({}), &organiser());
    assert_eq!(fields(&again), ["replace_declined"]);
}

#[test]
fn the_same_seed_and_pool_in_any_order_give_the_same_panel() {
    let pool = synthetic_pool(300, 6);
    let mut reversed = pool.clone();
    reversed.reverse();
    let mut shuffled = pool.clone();
    shuffled.sort_by_key(|m| draw::sha256_hex(m.pseudonym.as_bytes()));
    let a = draw(&config(), &pool, &[9; 32]).unwrap();
    assert_eq!(a, draw(&config(), &reversed, &[9; 32]).unwrap());
    assert_eq!(a, draw(&config(), &shuffled, &[9; 32]).unwrap());

    // Through the plugin too: the same pool arriving in another order.
    let run = |pool: &[PoolMember]| {
        let mut h = panel();
        join(&mut h, pool);
        with_host(|host| host.seed = vec![9; 32]);
        strings(&accepted_body(h.contribute_as("draw", json!({}), &organiser()))["selected"])
    };
    assert_eq!(run(&pool), a.selected);
    assert_eq!(run(&reversed), a.selected);
}

#[test]
fn another_seed_gives_another_panel() {
    let pool = synthetic_pool(300, 7);
    let a = draw(&config(), &pool, &[1; 32]).unwrap();
    let b = draw(&config(), &pool, &[2; 32]).unwrap();
    assert_ne!(a.selected, b.selected);
    assert_ne!(a.seed_sha256, b.seed_sha256);
    // The probabilities come from the pool alone: the seed only picks a panel.
    assert_eq!(a.selection_counts, b.selection_counts);
    assert_meets_quotas(&config(), &pool, &b.selected);
}

#[test]
fn everyone_gets_a_chance_and_the_weights_beat_a_naive_greedy() {
    let c = config();
    let pool = synthetic_pool(300, 8);
    let d = draw(&c, &pool, &[3; 32]).unwrap();
    assert_eq!(d.zero_probability, 0);
    assert!(d.min_probability > 0.0);
    assert!((d.mean_probability - 24.0 / 300.0).abs() < 1e-12, "{}", d.mean_probability);
    // No lottery over quota-meeting panels can give anyone more than this: people giving the
    // answer with the least room (seats at most `max`, shared by everyone who gave it).
    let bound = c
        .questions
        .iter()
        .flat_map(|q| q.options.iter().map(move |o| (q, o)))
        .map(|(q, o)| {
            let people = pool.iter().filter(|m| m.answers[&q.id] == o.value).count() as f64;
            c.quota(&q.id, &o.value).1 as f64 / people
        })
        .fold(24.0 / 300.0, f64::min);
    assert!(d.min_probability >= 0.8 * bound, "min {} vs upper bound {bound}", d.min_probability);
    let naive = draw::naive_probabilities(&c, &pool).unwrap();
    let naive_min = naive.values().copied().fold(1.0, f64::min);
    assert!(d.min_probability >= 2.0 * naive_min, "weighted {} vs naive {naive_min}", d.min_probability);
    println!("min probability {:.4} (bound {bound:.4}, naive {naive_min:.4}), panels {}", d.min_probability, d.panels);
}

#[test]
fn only_people_invited_reply_and_only_once() {
    let mut h = panel();
    let pool = synthetic_pool(120, 9);
    let early = h.contribute_as("reply", json!({ "accept": true }), &Submitter::participant("v0001"));
    assert!(early.errors()[0].problem.contains("not been drawn yet"));
    join(&mut h, &pool);
    let selected = strings(&accepted_body(h.contribute_as("draw", json!({}), &organiser()))["selected"]);
    let outsider = pool.iter().map(|m| m.pseudonym.clone()).find(|p| !selected.contains(p)).unwrap();
    let v = h.contribute_as("reply", json!({ "accept": true }), &Submitter::participant(&outsider));
    assert_eq!(fields(&v), [""]);
    assert!(v.errors()[0].problem.contains("only people invited"));
    let invited = Submitter::participant(&selected[0]);
    assert_eq!(fields(&h.contribute_as("reply", json!({ "accept": "sure" }), &invited)), ["accept"]);
    assert_eq!(accepted_body(h.contribute_as("reply", json!({ "accept": true }), &invited)), json!({ "accept": true }));
    let twice = h.contribute_as("reply", json!({ "accept": false }), &invited);
    assert!(twice.errors()[0].problem.contains("already replied"));
}

/// Draws a panel of the 300-person pool, has the first `decline` people drawn decline, and
/// returns the harness, the pool and the round-1 selection.
fn drawn_with_declines(decline: usize) -> (Harness<CitizenPanel>, Vec<PoolMember>, Vec<String>) {
    let mut h = panel();
    let pool = synthetic_pool(300, 10);
    join(&mut h, &pool);
    let selected = strings(&accepted_body(h.contribute_as("draw", json!({}), &organiser()))["selected"]);
    for (i, p) in selected.iter().enumerate() {
        if i < decline {
            assert!(h.contribute_as("reply", json!({ "accept": false }), &Submitter::participant(p)).is_accepted());
        } else if i < 20 {
            assert!(h.contribute_as("reply", json!({ "accept": true }), &Submitter::participant(p)).is_accepted());
        }
    }
    with_host(|host| host.notifications.clear());
    (h, pool, selected)
}

#[test]
fn declined_seats_are_refilled_keeping_quotas_deterministically() {
    let (mut h, pool, selected) = drawn_with_declines(3);
    let body = accepted_body(h.contribute_as("draw", json!({ "replace_declined": true }), &organiser()));
    assert_eq!(body["round"], 2);
    let replaced = strings(&body["replaced"]);
    let replacements = strings(&body["replacements"]);
    assert_eq!(replaced, selected[..3].to_vec());
    assert_eq!(replacements.len(), 3);
    assert!(replacements.iter().all(|r| !selected.contains(r)), "replacements were never selected");
    let mut now: Vec<String> = selected[3..].to_vec();
    now.extend(replacements.clone());
    assert_meets_quotas(&config(), &pool, &now);
    let notified: Vec<String> = with_host(|host| host.notifications.iter().map(|n| n.0.clone()).collect());
    assert_eq!(notified, replacements);

    // Re-run natively from the same inputs: the same replacements; another round number, others.
    let again = replacement(&config(), &pool, &[7; 32], 2, &selected, &[], &selected[..3]).unwrap();
    assert_eq!(again.replacements, replacements);
    // Nothing left to replace.
    let none = h.contribute_as("draw", json!({ "replace_declined": true }), &organiser());
    assert_eq!(fields(&none), ["replace_declined"]);
    assert!(none.errors()[0].problem.contains("nobody on the panel has declined"));
    // A replaced person can no longer reply; their replacement can.
    let gone = h.contribute_as("reply", json!({ "accept": true }), &Submitter::participant(&selected[0]));
    assert!(gone.errors()[0].problem.contains("already replied") || gone.errors()[0].problem.contains("given to someone else"));
    assert!(h.contribute_as("reply", json!({ "accept": true }), &Submitter::participant(&replacements[0])).is_accepted());
}

#[test]
fn people_who_withdraw_are_replaced_and_never_drawn_again() {
    let (mut h, pool, selected) = drawn_with_declines(0);
    // One person drawn withdraws their volunteer entry; so do all undrawn volunteers but ten,
    // one of whom answered as they did.
    let drawn: BTreeSet<&String> = selected.iter().collect();
    let leaving = pool.iter().find(|m| m.pseudonym == selected[23]).unwrap();
    let twin = pool.iter().find(|m| !drawn.contains(&m.pseudonym) && m.answers == leaving.answers).unwrap();
    let keep: BTreeSet<String> =
        pool.iter().map(|m| m.pseudonym.clone()).filter(|p| !drawn.contains(p) && p != &twin.pseudonym).take(9).chain([twin.pseudonym.clone()]).collect();
    with_host(|host| {
        host.contributions.retain(|c| c.kind != "volunteer" || (drawn.contains(&c.submitter) && c.submitter != selected[23]) || keep.contains(&c.submitter))
    });
    let body = accepted_body(h.contribute_as("draw", json!({ "replace_declined": true }), &organiser()));
    assert_eq!(strings(&body["replaced"]), [selected[23].clone()]);
    let replacement = &strings(&body["replacements"])[0];
    assert!(keep.contains(replacement), "only volunteers still in the pool are drawn");
    assert_eq!(strings(&body["withdrawn"]).len(), 300 - 24 - 10);
    let rows = rows(&section(&h.results().unwrap(), "Panel"));
    assert!(rows.iter().any(|r| r[0] == selected[23] && r[2] == "withdrew from the pool; replaced in round 2"), "{rows:?}");
}

#[test]
fn odd_bodies_are_refused_without_panicking() {
    let (mut h, _, selected) = drawn_with_declines(0);
    for body in [json!(null), json!([]), json!(7), json!({ "replace_declined": null, "round": 1 })] {
        assert!(!h.contribute_as("draw", body.clone(), &organiser()).is_accepted(), "{body}");
        assert!(!h.contribute_as("reply", body, &Submitter::participant(&selected[23])).is_accepted());
    }
    // A draw body that is not ours (a moderator's edit, say) is ignored, not trusted.
    with_host(|host| {
        let mut c = host.contributions.iter().find(|c| c.kind == "draw").unwrap().clone();
        c.body = json!({ "round": 2, "replaced": 5 });
        host.contributions.push(c);
    });
    assert_eq!(rows(&section(&h.results().unwrap(), "Draws")).len(), 1);
}

#[test]
fn replacements_prefer_the_same_answers() {
    let pool = synthetic_pool(300, 11);
    let d = draw(&config(), &pool, &[5; 32]).unwrap();
    let answers: BTreeMap<&str, &BTreeMap<String, String>> = pool.iter().map(|m| (m.pseudonym.as_str(), &m.answers)).collect();
    for who in d.selected.iter().take(6) {
        let r = replacement(&config(), &pool, &[5; 32], 2, &d.selected, &[], std::slice::from_ref(who)).unwrap();
        // Every stratum here has several people in a 300-person pool: an exact match exists.
        assert_eq!(answers[r.replacements[0].as_str()], answers[who.as_str()], "{who} -> {}", r.replacements[0]);
    }
}

#[test]
fn results_show_the_panel_the_quotas_and_the_pool_with_exact_counts() {
    let (mut h, pool, selected) = drawn_with_declines(2);
    let before = h.results().unwrap();
    assert_eq!(
        body_text(&section(&before, "Summary")),
        "Pool: 300 volunteers. Panel size: 24. Rounds drawn: 1. Accepted: 18. Declined: 2. Awaiting a reply: 4."
    );
    assert!(h.contribute_as("draw", json!({ "replace_declined": true }), &organiser()).is_accepted());
    let results = h.results().unwrap();
    let titles: Vec<String> = results
        .sections
        .iter()
        .map(|s| match s {
            Section::Text { title, .. } | Section::Table { title, .. } | Section::Chart { title, .. } => title.get("en").unwrap().to_string(),
        })
        .collect();
    assert_eq!(titles, ["Summary", "Quotas", "Panel", "Pool", "Fairness", "Draws"]);
    assert_eq!(
        body_text(&section(&results, "Summary")),
        "Pool: 300 volunteers. Panel size: 24. Rounds drawn: 2. Accepted: 18. Declined: 2. Awaiting a reply: 6."
    );
    let quota_rows = rows(&section(&results, "Quotas"));
    assert_eq!(quota_rows.len(), 9);
    let women_in_pool = pool.iter().filter(|m| m.answers["gender"] == "woman").count();
    assert_eq!(quota_rows[0][..5], ["gender".to_string(), "woman".into(), "11".into(), "13".into(), women_in_pool.to_string()]);
    let selected_total: usize = quota_rows.iter().filter(|r| r[0] == "gender").map(|r| r[5].parse::<usize>().unwrap()).sum();
    let accepted_total: usize = quota_rows.iter().filter(|r| r[0] == "age").map(|r| r[6].parse::<usize>().unwrap()).sum();
    assert_eq!((selected_total, accepted_total), (24, 18));

    let panel_rows = rows(&section(&results, "Panel"));
    assert_eq!(panel_rows.len(), 26);
    assert_eq!(panel_rows[0], vec![selected[0].clone(), "1".into(), "declined; replaced in round 2".into()]);
    assert_eq!(panel_rows.iter().filter(|r| r[2] == "accepted").count(), 18);
    assert_eq!(panel_rows.iter().filter(|r| r[1] == "2" && r[2] == "awaiting a reply").count(), 2);

    let pool_rows = rows(&section(&results, "Pool"));
    assert_eq!(pool_rows.len(), 300);
    let first = &pool[0].answers;
    assert_eq!(pool_rows[0][..4], ["v0000".to_string(), first["gender"].clone(), first["age"].clone(), first["area"].clone()]);
    let fairness = body_text(&section(&results, "Fairness"));
    assert!(fairness.starts_with("Lowest selection probability: 0.0"), "{fairness}");
    assert!(fairness.contains("Volunteers with no chance of selection: 0 of 300."), "{fairness}");
    assert_eq!(rows(&section(&results, "Draws")).len(), 2);
}

#[test]
fn anyone_can_re_run_the_draw_from_the_published_pool_and_revealed_seed() {
    let mut h = panel();
    let pool = synthetic_pool(200, 12);
    join(&mut h, &pool);
    let seed_hex = "9f".repeat(32);
    with_host(|host| host.seed = seed_from_hex(&seed_hex).unwrap());
    let body = accepted_body(h.contribute_as("draw", json!({}), &organiser()));
    let results = h.results().unwrap();
    // What a member of the public has: the configuration, the pool table, the revealed seed.
    let config: Config = serde_json::from_value(config_json()).unwrap();
    let published = pool_from_rows(&config, &rows(&section(&results, "Pool")));
    let rerun = draw(&config, &published, &seed_from_hex(&seed_hex.to_uppercase()).unwrap()).unwrap();
    assert_eq!(rerun.selected, strings(&body["selected"]));
    assert_eq!(rerun.pool_digest, body["pool_digest"]);
    assert_eq!(rerun.seed_sha256, body["seed_sha256"]);
    let round_one: Vec<String> = rows(&section(&results, "Panel")).into_iter().filter(|r| r[1] == "1").map(|r| r[0].clone()).collect();
    assert_eq!(round_one, rerun.selected);
    assert!(seed_from_hex("abc").is_err() && seed_from_hex("zz").is_err());
}

#[test]
fn quotas_of_different_questions_that_collide_are_reported_not_panicked() {
    // Every woman is rural and every man urban, but the quotas want 12 women and 18 urban.
    let mut c = config_json();
    c["quotas"]["area"] = json!({ "urban": { "min": 18 }, "rural": { "min": 6 } });
    let c: Config = serde_json::from_value(c).unwrap();
    let pool: Vec<PoolMember> = (0..100)
        .map(|i| {
            let (gender, area) = if i % 2 == 0 { ("woman", "rural") } else { ("man", "urban") };
            let age = ["18-29", "30-44", "45-64", "65+"][i % 4 / 2 + (i / 50) * 2];
            PoolMember::new(&format!("x{i:03}"), &[("gender", gender), ("age", age), ("area", area)])
        })
        .collect();
    let errors = draw(&c, &pool, &[1; 32]).unwrap_err();
    assert_eq!(errors[0].field, "quotas");
    assert!(errors[0].problem.contains("conflict"), "{errors:?}");
}

#[test]
#[ignore = "timing; run with --release -- --ignored --nocapture"]
fn timing() {
    let c = config();
    for n in [300, 1000, 2000] {
        let pool = synthetic_pool(n, 13);
        let start = std::time::Instant::now();
        let d = draw(&c, &pool, &[4; 32]).unwrap();
        let elapsed = start.elapsed();
        println!("pool {n}: {elapsed:?}, {} panels, min probability {:.4} (mean {:.4})", d.panels, d.min_probability, d.mean_probability);
    }
    let (big, pool) = big_panel();
    let start = std::time::Instant::now();
    let d = draw(&big, &pool, &[4; 32]).unwrap();
    println!(
        "pool 2000, panel 200, 6 questions: {:?}, {} panels, min probability {:.4} (mean {:.4})",
        start.elapsed(),
        d.panels,
        d.min_probability,
        d.mean_probability
    );
}

#[test]
#[ignore = "timing; run with --release -- --ignored --nocapture"]
fn timing_of_the_validation_call() {
    // The whole validation call, as the host makes it (reading every volunteer included).
    let mut h = panel();
    join(&mut h, &synthetic_pool(2000, 14));
    let start = std::time::Instant::now();
    assert!(h.contribute_as("draw", json!({}), &organiser()).is_accepted());
    println!("validate draw, pool 2000: {:?}", start.elapsed());
    let start = std::time::Instant::now();
    h.results().unwrap();
    println!("results, pool 2000: {:?}", start.elapsed());
}

#[test]
#[ignore = "instruction counts under callgrind"]
fn bench_draws() {
    let n: usize = std::env::var("POOL").ok().and_then(|n| n.parse().ok()).unwrap_or(300);
    if n == 1 {
        let (big, pool) = big_panel();
        let d = draw(&big, &pool, &[4; 32]).unwrap();
        println!("min {}", d.min_probability);
        return;
    }
    let pool = synthetic_pool(n, 13);
    let d = draw(&config(), &pool, &[4; 32]).unwrap();
    println!("min {}", d.min_probability);
}

/// A large panel and questionnaire: 200 seats from 2,000, six questions, quotas on every option.
fn big_panel() -> (Config, Vec<PoolMember>) {
    let questions: Vec<Value> = (0..6).map(|q| json!({ "id": format!("q{q}"), "text": { "en": "?" }, "options": options(&["a", "b", "c", "d"]) })).collect();
    let quotas: serde_json::Map<String, Value> = (0..6)
        .map(|q| {
            (
                format!("q{q}"),
                json!({ "a": { "min": 40, "max": 60 }, "b": { "min": 40, "max": 60 }, "c": { "min": 40, "max": 60 }, "d": { "min": 30, "max": 60 } }),
            )
        })
        .collect();
    let big: Config = serde_json::from_value(json!({ "panel_size": 200, "questions": questions, "quotas": quotas, "consent": { "en": "Yes" } })).unwrap();
    let mut x = 99u64;
    let pool: Vec<PoolMember> = (0..2000)
        .map(|i| {
            let answers: Vec<(String, String)> = (0..6)
                .map(|q| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (format!("q{q}"), ["a", "a", "b", "b", "c", "d"][(x >> 33) as usize % 6].to_string())
                })
                .collect();
            PoolMember { pseudonym: format!("m{i:04}"), answers: answers.into_iter().collect() }
        })
        .collect();
    (big, pool)
}
