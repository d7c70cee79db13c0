//! A whole national AI strategy process, played the way Chile ran its own: a consultation
//! (500 answers, 50 of them on paper, entered by facilitators), three roundtables with
//! facilitators' reports, twenty self-convened groups' reports, a citizen panel of 24 drawn
//! from 300 volunteers to quotas (and re-drawn by anyone from the revealed seed), an oversight
//! group with one overdue question; every input answered (most in bulk), an outcome published
//! and revised, the input-use report's numbers exact, and the ledger verified — then broken.
//!
//! Timings of each step are printed (`--nocapture`) and recorded in BENCHMARKS.md.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use chrono::{Days, Utc};
use convene_e2e::flows::{MAIL_WAIT, add_activity, admin_token, contribute, create_process, process_body, user_token};
use convene_e2e::{TestApp, expect_json};
use futures::StreamExt;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

/// Requests in flight at once: enough to keep two cores busy.
const PARALLEL: usize = 8;

struct Clock {
    started: Instant,
    step: Instant,
    steps: Vec<(String, Duration)>,
}

impl Clock {
    fn new() -> Clock {
        Clock { started: Instant::now(), step: Instant::now(), steps: Vec::new() }
    }
    fn lap(&mut self, name: &str) {
        let took = self.step.elapsed();
        eprintln!("[chile] {name}: {:.2} s", took.as_secs_f64());
        self.steps.push((name.into(), took));
        self.step = Instant::now();
    }
}

fn days_ago(n: u64) -> String {
    (Utc::now().date_naive() - Days::new(n)).format("%Y-%m-%d").to_string()
}

/// Posts contributions concurrently, asserting 201 for each, and returns their ids in order.
async fn contribute_all(app: &TestApp, activity: &str, items: Vec<(String, Value)>) -> Vec<String> {
    futures::stream::iter(items)
        .map(|(token, body)| async move {
            let res = contribute(app, &token, activity, &body).await;
            expect_json(res, 201).await["id"].as_str().unwrap().to_string()
        })
        .buffered(PARALLEL)
        .collect()
        .await
}

async fn respond(app: &TestApp, admin: &str, ids: &[String], disposition: &str, explanation: &str) {
    for chunk in ids.chunks(1_000) {
        let body = json!({ "contribution_ids": chunk, "disposition": disposition, "explanation": { "en": explanation, "es": explanation },
            "outcome_refs": ["2"] });
        expect_json(app.post_json("/api/v1/processes/national-ai/responses", &body).bearer_auth(admin).send().await.unwrap(), 201).await;
    }
}

async fn results(app: &TestApp, activity: &str) -> Value {
    expect_json(app.get(&format!("/api/v1/activities/{activity}/results")).send().await.unwrap(), 200).await
}

fn output(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[tokio::test]
async fn a_national_ai_strategy_process_from_consultation_to_verified_outcome() {
    // 450 people sign up from one test client: far beyond what the default limits let one
    // address do. (The facilitator's 50 paper forms are not limited.)
    let app = TestApp::builder()
        .startup_timeout(Duration::from_secs(60))
        .env("CONVENE_LIMITS__SIGNUP_PER_CLIENT", "off")
        .spawn()
        .await;
    let mut clock = Clock::new();
    let admin = admin_token(&app, "admin@example.org").await;
    let mut process = process_body("national-ai");
    process["commitments"].as_array_mut().unwrap().push(json!({
        "text": { "en": "We publish the outcome within 60 days of the last phase." },
        "measure": { "kind": "publish_outcome_within_days", "days": 60 } }));
    create_process(&app, &admin, &process).await;
    assert_eq!(app.client.post(app.url("/api/v1/processes/national-ai/publish")).bearer_auth(&admin).send().await.unwrap().status(), 200);
    let fran = user_token(&app, "fran.facilitator@example.org").await;
    let liaison = user_token(&app, "liaison@transport.example.gov").await;
    for email in ["fran.facilitator@example.org", "liaison@transport.example.gov"] {
        let res = app.post_json("/api/v1/processes/national-ai/members", &json!({ "email": email, "role": "facilitator" })).bearer_auth(&admin).send().await.unwrap();
        assert!(res.status().is_success());
    }
    // 450 people online (the panel's volunteers are 300 of them).
    let people: Vec<(String, String)> = futures::stream::iter(0..450)
        .map(|i| {
            let app = &app;
            async move {
                let email = format!("person{i:03}@example.org");
                let token = user_token(app, &email).await;
                (email, token)
            }
        })
        .buffered(PARALLEL)
        .collect()
        .await;
    clock.lap("450 people sign up by email link");

    // --- Consultation: 450 online answers and 50 paper forms entered by a facilitator.
    let consultation = add_activity(&app, &admin, "national-ai", &json!({ "type": "org.convene.consultation",
        "title": { "en": "Public consultation", "es": "Consulta pública" },
        "config": { "questions": [
            { "id": "priority", "type": "single_choice", "required": true, "text": { "en": "Where should AI help first?", "es": "¿Dónde debería ayudar primero la IA?" },
              "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "education", "label": { "en": "Education" } },
                           { "value": "transport", "label": { "en": "Transport" } } ] },
            { "id": "why", "type": "free_text", "required": false, "text": { "en": "Why?", "es": "¿Por qué?" } } ] } })).await;
    let consultation = consultation["id"].as_str().unwrap().to_string();
    let choices = ["health", "education", "transport"];
    let mut answers: Vec<(String, Value)> = people
        .iter()
        .enumerate()
        .map(|(i, (_, token))| (token.clone(), json!({ "kind": "response", "body": { "answers": { "priority": choices[i % 3], "why": format!("Reason number {i}") } } })))
        .collect();
    answers.extend((0..50).map(|i| (fran.clone(), json!({ "kind": "response", "channel": "paper", "reference": format!("FORM-{i:03}"),
        "body": { "answers": { "priority": "health", "why": format!("Written at the library, form {i}") } } }))));
    let consultation_ids = contribute_all(&app, &consultation, answers).await;
    assert_eq!(consultation_ids.len(), 500);
    clock.lap("500 consultation answers (50 on paper)");

    // --- Three roundtables, a report each from the facilitator.
    let roundtable = add_activity(&app, &admin, "national-ai", &json!({ "type": "org.convene.roundtable", "title": { "en": "Regional roundtables" },
        "config": { "meetings": [
            { "id": "norte", "title": { "es": "Región Norte" }, "date": "2027-03-04", "time": "18:30", "place": "Antofagasta, centro cívico", "capacity": 40 },
            { "id": "centro", "title": { "es": "Región Centro" }, "date": "2027-03-06", "place": "Valparaíso, biblioteca", "capacity": 40 },
            { "id": "sur", "title": { "es": "Región Sur" }, "date": "2027-03-08", "online_link": "https://meet.example.org/sur", "capacity": 100 } ] } })).await;
    let roundtable = roundtable["id"].as_str().unwrap().to_string();
    let reports = ["norte", "centro", "sur"].iter().enumerate().map(|(i, m)| (fran.clone(), json!({ "kind": "report", "body": { "meeting": m,
        "attendance": 20 + i, "key_points": [format!("Key point from {m}")], "recommendations": ["Publish an algorithm register", format!("Local idea {m}")] } })));
    let roundtable_ids = contribute_all(&app, &roundtable, reports.collect()).await;
    let rt = results(&app, &roundtable).await;
    assert_eq!(rt["sections"][0]["body"]["en"], "3 of 3 meetings reported; 63 people attended; 0 registrations.", "{rt}");
    clock.lap("3 roundtable reports");

    // --- Twenty self-convened groups: each convener registers a meeting, then reports it.
    let self_convened = add_activity(&app, &admin, "national-ai", &json!({ "type": "org.convene.self-convened", "title": { "en": "Self-convened conversations" },
        "config": { "guide": { "en": "1. Where should AI help public services? 2. Where should it never decide?" }, "min_participants": 3, "max_participants": 50 } })).await;
    let self_convened = self_convened["id"].as_str().unwrap().to_string();
    let meetings: Vec<(String, Value)> = people[..20].iter().enumerate().map(|(i, (_, token))| (token.clone(), json!({ "kind": "meeting", "body": {
        "title": format!("Vecinos conversan {i}"), "date": days_ago(10), "place": format!("Sede vecinal {i}"), "online": false, "expected_participants": 10 } }))).collect();
    let meeting_ids = contribute_all(&app, &self_convened, meetings).await;
    let mut numbers = Vec::new();
    for id in &meeting_ids {
        let c = expect_json(app.get(&format!("/api/v1/contributions/{id}")).send().await.unwrap(), 200).await;
        numbers.push(c["body"]["number"].as_str().unwrap().to_string());
    }
    let filings: Vec<(String, Value)> = people[..20].iter().zip(&numbers).enumerate().map(|(i, ((_, token), number))| (token.clone(), json!({ "kind": "report", "body": {
        "meeting": number, "attendance": 5 + (i % 4), "key_points": ["Trust needs transparency"],
        "recommendations": [if i % 2 == 0 { "Publish an algorithm register" } else { "publish an  ALGORITHM register" }] } }))).collect();
    let filing_ids = contribute_all(&app, &self_convened, filings).await;
    // Someone else cannot file a group's report.
    let stolen = contribute(&app, &people[30].1, &self_convened, &json!({ "kind": "report", "body": { "meeting": numbers[0], "attendance": 5,
        "key_points": ["x"], "recommendations": ["y"] } })).await;
    assert_eq!(stolen.status(), 422);
    // A group corrects its report by editing it (the plugin, checking the edit, does not see
    // the report being edited), but cannot file a second one.
    let fixed = json!({ "body": { "meeting": numbers[0], "attendance": 5, "key_points": ["Trust needs transparency", "Added after reading the notes"],
        "recommendations": ["Publish an algorithm register"] } });
    expect_json(app.patch_json(&format!("/api/v1/contributions/{}", filing_ids[0]), &fixed).bearer_auth(&people[0].1).send().await.unwrap(), 200).await;
    let second = contribute(&app, &people[0].1, &self_convened, &json!({ "kind": "report", "body": fixed["body"] })).await;
    assert_eq!(second.status(), 422, "one report per meeting");
    let receipts: Vec<(String, Value)> = numbers[..5].iter().map(|n| (admin.clone(), json!({ "kind": "receipt", "body": { "meeting": n } }))).collect();
    let receipt_ids = contribute_all(&app, &self_convened, receipts).await;
    let sc = results(&app, &self_convened).await;
    let attended: usize = (0..20).map(|i| 5 + (i % 4)).sum();
    assert_eq!(sc["sections"][0]["body"]["en"], format!("20 meetings registered; 20 reports filed; 5 received; {attended} people attended."), "{sc}");
    clock.lap("20 self-convened meetings registered and reported");

    // --- The citizen panel: 300 volunteers, quotas, a committed seed, a draw of 24.
    let panel = citizen_panel(&app, &admin, &people).await;
    clock.lap("citizen panel: 300 volunteers, draw, replies, replacement, re-run");

    // --- The oversight group: a question answered, one overdue.
    let oversight = add_activity(&app, &admin, "national-ai", &json!({ "type": "org.convene.oversight-group", "title": { "en": "Oversight of procurement 2027/14" },
        "config": { "agency": { "en": "Municipal Transport Authority", "es": "Autoridad Municipal de Transporte" },
                    "subject": { "en": "Procurement 2027/14: automated fare-evasion detection" }, "answer_days": 20 } })).await;
    let oversight = oversight["id"].as_str().unwrap().to_string();
    let q1 = expect_json(contribute(&app, &people[40].1, &oversight, &json!({ "kind": "question", "body": { "title": "Who trained the model, on what data?",
        "text": "Name the training data and any ticket-gate data it will use." } })).await, 201).await;
    assert_eq!(q1["body"]["number"], "Q-1");
    let q2 = expect_json(contribute(&app, &fran, &oversight, &json!({ "kind": "question", "body": { "title": "Has the system been tested for bias?",
        "text": "Please publish the bias tests.", "asked_on": days_ago(40) } })).await, 201).await;
    assert_eq!(q2["body"]["number"], "Q-2");
    let backdated = contribute(&app, &people[41].1, &oversight, &json!({ "kind": "question", "body": { "title": "t", "text": "x", "asked_on": days_ago(40) } })).await;
    assert_eq!(backdated.status(), 422, "participants online cannot backdate a question");
    let answer = expect_json(contribute(&app, &liaison, &oversight, &json!({ "kind": "answer", "body": { "question": "Q-1",
        "text": "The supplier trained it on 2025 data; see the assessment.", "documents": ["https://mta.example.org/tender-2027-14/dpia.pdf"] } })).await, 201).await;
    let group_report = expect_json(contribute(&app, &people[40].1, &oversight, &json!({ "kind": "report", "body": { "title": "Interim report",
        "summary": "Answers arrive late.", "findings": ["One of two questions is overdue"], "recommendations": ["Publish the bias tests"], "questions": ["Q-1", "Q-2"] } })).await, 201).await;
    let og = results(&app, &oversight).await;
    let og_text = og.to_string();
    assert!(og_text.contains("2 questions asked: 1 answered on time, 0 answered late, 0 open and not yet due, 1 overdue."), "{og}");
    assert!(og_text.contains("OVERDUE by 20 days"), "{og}");
    app.smtp.wait_for(MAIL_WAIT, |m| m.is_to("person040@example.org") && m.text.contains("Q-1")).await;
    let oversight_ids: Vec<String> = [&q1, &q2, &answer, &group_report].iter().map(|c| c["id"].as_str().unwrap().to_string()).collect();
    clock.lap("oversight group");

    // --- Every input gets a response: most in bulk, fifty one by one.
    let (bulk, singles) = consultation_ids.split_at(450);
    respond(&app, &admin, &bulk[..200], "adopted", "Health comes first in the strategy (section 2).").await;
    respond(&app, &admin, &bulk[200..350], "partly_adopted", "Education is in the second phase.").await;
    respond(&app, &admin, &bulk[350..], "not_adopted", "Transport is outside this strategy.").await;
    for id in singles {
        respond(&app, &admin, std::slice::from_ref(id), "noted", "Thank you for the paper form.").await;
    }
    let mut rest: Vec<String> = Vec::new();
    rest.extend(roundtable_ids.iter().cloned());
    rest.extend(meeting_ids.iter().chain(&filing_ids).chain(&receipt_ids).cloned());
    rest.extend(panel.ids.iter().cloned());
    rest.extend(oversight_ids.iter().cloned());
    respond(&app, &admin, &rest, "noted", "Read and taken into account in the outcome.").await;
    clock.lap("responses (bulk and one by one)");

    // --- The outcome, published then revised.
    let v1 = json!({ "title": { "en": "National AI Strategy: what we heard and what we decided" }, "sections": [
        { "id": "1", "heading": { "en": "What we heard" }, "body": { "en": "500 answers, 3 roundtables, 20 groups, a panel of 24." }, "cites": [consultation_ids[0], roundtable_ids[0]] },
        { "id": "2", "heading": { "en": "What we decided" }, "body": { "en": "Health comes first." }, "cites": [consultation_ids[0], filing_ids[0]] } ] });
    expect_json(app.post_json("/api/v1/processes/national-ai/outcomes", &v1).bearer_auth(&admin).send().await.unwrap(), 201).await;
    let mut v2 = v1.clone();
    v2["sections"][1]["body"]["en"] = json!("Health comes first; an algorithm register is published.");
    v2["sections"][1]["cites"] = json!([consultation_ids[0], filing_ids[0], filing_ids[1]]);
    v2["note"] = json!({ "en": "Added the register the self-convened groups asked for." });
    expect_json(app.post_json("/api/v1/processes/national-ai/outcomes", &v2).bearer_auth(&admin).send().await.unwrap(), 201).await;
    clock.lap("outcome published and revised");

    // --- The input-use report, exactly.
    let total = 500 + 3 + 45 + panel.ids.len() + 4;
    let r = expect_json(app.get("/api/v1/processes/national-ai/report").send().await.unwrap(), 200).await;
    assert_eq!(r["contributions"], total, "{r}");
    assert_eq!(r["by_channel"], json!({ "online": total - 50, "paper": 50, "phone": 0, "in_person": 0, "federated": 0 }));
    let by_activity: BTreeMap<String, (u64, u64)> = r["by_activity"].as_array().unwrap().iter()
        .map(|a| (a["activity_id"].as_str().unwrap().to_string(), (a["contributions"].as_u64().unwrap(), a["responded"].as_u64().unwrap()))).collect();
    assert_eq!(by_activity[&consultation], (500, 500));
    assert_eq!(by_activity[&roundtable], (3, 3));
    assert_eq!(by_activity[&self_convened], (45, 45));
    assert_eq!(by_activity[&panel.activity], (panel.ids.len() as u64, panel.ids.len() as u64));
    assert_eq!(by_activity[&oversight], (4, 4));
    assert_eq!(r["responded"], total);
    assert_eq!(r["responded_share"], 1.0);
    let noted = 50 + rest.len();
    assert_eq!(r["by_disposition"], json!({ "adopted": 200, "partly_adopted": 150, "not_adopted": 100, "out_of_scope": 0, "noted": noted }));
    assert_eq!(r["response_delay"]["responded"], total);
    assert_eq!(r["commitments"][0]["status"], "met", "{}", r["commitments"][0]);
    assert_eq!(r["commitments"][1]["status"], "met", "{}", r["commitments"][1]);
    assert_eq!(r["outcome_versions"], 2);
    clock.lap("input-use report");

    // --- Open data: the exports stream every row; their throughput goes to BENCHMARKS.md.
    let started = Instant::now();
    let csv = app.get("/api/v1/processes/national-ai/export/contributions.csv").send().await.unwrap().text().await.unwrap();
    let csv_took = started.elapsed();
    assert_eq!(csv.lines().count(), total + 1);
    assert!(!csv.contains("@example.org"), "no personal data in the export");
    let started = Instant::now();
    let jsonl = app.get("/api/v1/processes/national-ai/export/process.jsonl").send().await.unwrap().text().await.unwrap();
    let jsonl_took = started.elapsed();
    assert_eq!(jsonl.lines().filter(|l| l.contains(r#""type":"contribution""#)).count(), total);
    eprintln!("[chile] export contributions.csv: {} rows, {} bytes in {:.3} s ({:.0} rows/s)", total, csv.len(), csv_took.as_secs_f64(), total as f64 / csv_took.as_secs_f64());
    eprintln!("[chile] export process.jsonl: {} lines, {} bytes in {:.3} s ({:.0} lines/s)", jsonl.lines().count(), jsonl.len(), jsonl_took.as_secs_f64(), jsonl.lines().count() as f64 / jsonl_took.as_secs_f64());
    clock.lap("exports");

    // --- The ledger verifies; a row changed in the database is named.
    let ledger = expect_json(app.get("/api/v1/ledger?limit=1000").send().await.unwrap(), 200).await;
    let kinds: BTreeSet<&str> = ledger["entries"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    for kind in ["process.published", "activity.created", "seed.committed", "seed.revealed", "responses.given", "outcome.published", "outcome.revised"] {
        assert!(kinds.contains(kind), "{kind} missing from {kinds:?}");
    }
    let url = app.url("");
    let out = app.cli(&["ledger", "verify", &url]).await;
    assert!(out.status.success(), "{}", output(&out));
    let seq = ledger["entries"].as_array().unwrap().iter().find(|e| e["kind"] == "seed.revealed").unwrap()["seq"].as_i64().unwrap();
    let db = Database::connect(app.env()["CONVENE_DATABASE_URL"].as_str()).await.unwrap();
    db.execute_unprepared(&format!(r#"UPDATE ledger_entries SET payload = '{{"seed":"00"}}' WHERE seq = {seq}"#)).await.unwrap();
    let out = app.cli(&["ledger", "verify", &url]).await;
    assert!(!out.status.success());
    assert!(output(&out).contains(&format!("Ledger broken at entry {seq}")), "{}", output(&out));
    clock.lap("ledger verified, tampered, named");
    eprintln!("[chile] total: {:.1} s", clock.started.elapsed().as_secs_f64());
}

/// What the panel step leaves for the rest of the process.
struct Panel {
    activity: String,
    /// Every contribution made to the panel activity.
    ids: Vec<String>,
}

const INVITATION: &str = "You have been drawn for the citizen panel";

fn panel_config() -> Value {
    let options = |values: &[&str]| values.iter().map(|v| json!({ "value": v, "label": { "en": v } })).collect::<Vec<_>>();
    json!({ "panel_size": 24,
        "questions": [
            { "id": "gender", "text": { "en": "Gender", "es": "Género" }, "options": options(&["woman", "man", "other"]) },
            { "id": "age", "text": { "en": "Age", "es": "Edad" }, "options": options(&["18-29", "30-44", "45-64", "65+"]) },
            { "id": "region", "text": { "en": "Region", "es": "Región" }, "options": options(&["norte", "centro", "sur"]) } ],
        "quotas": {
            "gender": { "woman": { "min": 11, "max": 13 }, "man": { "min": 11, "max": 13 }, "other": { "max": 2 } },
            "age": { "18-29": { "min": 5, "max": 7 }, "30-44": { "min": 5, "max": 7 }, "45-64": { "min": 5, "max": 7 }, "65+": { "min": 4, "max": 6 } },
            "region": { "norte": { "min": 6, "max": 10 }, "centro": { "min": 6, "max": 10 }, "sur": { "min": 6, "max": 10 } } },
        "consent": { "en": "I agree that my answers are used to draw a representative panel and published under a pseudonym." },
        "invitation": { "subject": { "en": INVITATION }, "body": { "en": "Please accept or decline on the process page." } } })
}

/// Invitations received so far, by address.
fn invited(app: &TestApp) -> BTreeSet<String> {
    app.smtp.messages().iter().filter(|m| m.subject.contains(INVITATION)).flat_map(|m| m.to.clone()).collect()
}

async fn invitations(app: &TestApp, n: usize) -> BTreeSet<String> {
    let started = Instant::now();
    loop {
        let got = invited(app);
        if got.len() >= n || started.elapsed() > MAIL_WAIT {
            assert_eq!(got.len(), n, "invitations: {got:?}");
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn table<'a>(results: &'a Value, title: &str) -> &'a Value {
    results["sections"].as_array().unwrap().iter().find(|s| s["title"]["en"] == title).unwrap_or_else(|| panic!("no {title} section in {results}"))
}

async fn citizen_panel(app: &TestApp, admin: &str, people: &[(String, String)]) -> Panel {
    let activity = add_activity(app, admin, "national-ai", &json!({ "type": "org.convene.citizen-panel",
        "title": { "en": "Citizen panel on AI in public services" }, "config": panel_config() })).await;
    let id = activity["id"].as_str().unwrap().to_string();
    // 300 volunteers (people 100..400), spread over genders, ages and regions.
    let genders = ["woman", "man", "woman", "man", "woman", "man", "woman", "man", "woman", "man", "woman", "man", "woman", "man", "other"];
    let ages = ["18-29", "30-44", "45-64", "65+"];
    let regions = ["norte", "centro", "sur"];
    let volunteers = &people[100..400];
    let entries: Vec<(String, Value)> = volunteers.iter().enumerate().map(|(i, (_, token))| (token.clone(), json!({ "kind": "volunteer", "body": {
        "answers": { "gender": genders[i % genders.len()], "age": ages[(i / 3) % 4], "region": regions[(i / 7) % 3] }, "consent": true } }))).collect();
    let mut ids = contribute_all(app, &id, entries).await;
    let no_consent = contribute(app, &people[0].1, &id, &json!({ "kind": "volunteer", "body": { "answers": { "gender": "man", "age": "65+", "region": "sur" }, "consent": false } })).await;
    assert_eq!(no_consent.status(), 422);

    // No draw before a seed is committed; the commitment goes into the ledger.
    let early = contribute(app, admin, &id, &json!({ "kind": "draw", "body": {} })).await;
    assert_eq!(early.status(), 422);
    assert_eq!(convene_e2e::problem(early).await["errors"][0]["field"], "body.seed");
    let commitment = expect_json(app.post(&format!("/api/v1/activities/{id}/seed")).bearer_auth(admin).send().await.unwrap(), 201).await;
    let again = app.post(&format!("/api/v1/activities/{id}/seed")).bearer_auth(admin).send().await.unwrap();
    assert_eq!(again.status(), 409, "a seed is committed once");
    let by_volunteer = app.post(&format!("/api/v1/activities/{id}/seed")).bearer_auth(&people[100].1).send().await.unwrap();
    assert_eq!(by_volunteer.status(), 403);

    let draw = expect_json(contribute(app, admin, &id, &json!({ "kind": "draw", "body": {} })).await, 201).await;
    ids.push(draw["id"].as_str().unwrap().to_string());
    let selected: Vec<String> = draw["body"]["selected"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
    assert_eq!(selected.len(), 24);
    assert_eq!(draw["body"]["seed_sha256"], commitment["sha256"]);
    assert!(draw["body"]["min_probability"].as_f64().unwrap() > 0.0, "everyone in the pool had a chance: {}", draw["body"]["min_probability"]);
    let late = contribute(app, &people[0].1, &id, &json!({ "kind": "volunteer", "body": { "answers": { "gender": "man", "age": "65+", "region": "sur" }, "consent": true } })).await;
    assert_eq!(late.status(), 422, "the pool closes with the draw");

    // Each of the 24 is invited by email; two decline, the others accept.
    let first_round = invitations(app, 24).await;
    let token_of: BTreeMap<&str, &str> = volunteers.iter().map(|(email, token)| (email.as_str(), token.as_str())).collect();
    let reply = |email: &str, accept: bool| {
        let token = token_of[email].to_string();
        (token, json!({ "kind": "reply", "body": { "accept": accept } }))
    };
    let replies: Vec<(String, Value)> = first_round.iter().enumerate().map(|(i, email)| reply(email, i >= 2)).collect();
    ids.extend(contribute_all(app, &id, replies).await);
    let twice = contribute(app, token_of[first_round.first().unwrap().as_str()], &id, &json!({ "kind": "reply", "body": { "accept": true } })).await;
    assert_eq!(twice.status(), 422, "one reply per invitation");

    // A replacement round fills the two declined seats, keeping the quotas.
    let round2 = expect_json(contribute(app, admin, &id, &json!({ "kind": "draw", "body": { "replace_declined": true } })).await, 201).await;
    ids.push(round2["id"].as_str().unwrap().to_string());
    assert_eq!(round2["body"]["replacements"].as_array().unwrap().len(), 2);
    let all_invited = invitations(app, 26).await;
    let newcomers: Vec<String> = all_invited.difference(&first_round).cloned().collect();
    ids.extend(contribute_all(app, &id, newcomers.iter().map(|e| reply(e, true)).collect()).await);

    // The seed is revealed; anyone can re-run both rounds from the published pool.
    let revealed = expect_json(app.post(&format!("/api/v1/activities/{id}/seed/reveal")).bearer_auth(admin).send().await.unwrap(), 200).await;
    let seed_hex = revealed["seed"].as_str().unwrap();
    let results = results(app, &id).await;
    let summary = results["sections"][0]["body"]["en"].as_str().unwrap();
    assert!(summary.contains("Accepted: 24. Declined: 2. Awaiting a reply: 0."), "{summary}");
    let config: convene_plugin_citizen_panel::Config = serde_json::from_value(expect_json(app.get(&format!("/api/v1/activities/{id}")).send().await.unwrap(), 200).await["config"].clone()).unwrap();
    let rows: Vec<Vec<String>> = serde_json::from_value(table(&results, "Pool")["rows"].clone()).unwrap();
    assert_eq!(rows.len(), 300);
    let pool = convene_plugin_citizen_panel::draw::pool_from_rows(&config, &rows);
    let seed = convene_plugin_citizen_panel::draw::seed_from_hex(seed_hex).unwrap();
    assert_eq!(convene_plugin_citizen_panel::draw::sha256_hex(&seed), commitment["sha256"].as_str().unwrap(), "the revealed seed is the committed one");
    let rerun = convene_plugin_citizen_panel::draw::draw(&config, &pool, &seed).unwrap();
    assert_eq!(rerun.selected, selected, "the same 24 from the revealed seed");
    assert_eq!(convene_plugin_citizen_panel::draw::pool_digest(&config, &pool), draw["body"]["pool_digest"].as_str().unwrap());
    let declined: Vec<String> = serde_json::from_value(round2["body"]["replaced"].clone()).unwrap();
    let rerun2 = convene_plugin_citizen_panel::draw::replacement(&config, &pool, &seed, 2, &selected, &[], &declined).unwrap();
    assert_eq!(serde_json::to_value(&rerun2.replacements).unwrap(), round2["body"]["replacements"]);
    // The final panel meets every quota.
    let answers: BTreeMap<&str, &Vec<String>> = rows.iter().map(|r| (r[0].as_str(), r)).collect();
    let mut panel: BTreeSet<String> = selected.iter().cloned().collect();
    for d in &declined {
        panel.remove(d);
    }
    panel.extend(rerun2.replacements.iter().cloned());
    let women = panel.iter().filter(|p| answers[p.as_str()][1] == "woman").count();
    let over_65 = panel.iter().filter(|p| answers[p.as_str()][2] == "65+").count();
    assert!((11..=13).contains(&women) && (4..=6).contains(&over_65), "{women} women, {over_65} over 65");
    Panel { activity: id, ids }
}
