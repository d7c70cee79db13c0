//! The demo shows the whole loop: a finished process with a few hundred contributions through
//! several channels, a response to each of every kind, an outcome published and revised with
//! citations, an input-use report and its ledger entries; a process in Arabic; and a demo
//! participant whose printed sign-in link opens "My input" with responses in it. Loading it
//! again changes nothing.

use std::collections::{BTreeMap, HashSet};

use convene_e2e::flows::{consume, token_from_link};
use convene_e2e::{TestApp, expect_json};
use serde_json::Value;

const FINISHED: &str = "santa-brisa-local-ai-strategy";
const ARABIC: &str = "lindenport-ai-services-in-arabic";
const PARTICIPANT: &str = "demo-participant@convene.invalid";
const DISPOSITIONS: [&str; 5] = ["adopted", "partly_adopted", "not_adopted", "out_of_scope", "noted"];

async fn get(app: &TestApp, path: &str) -> Value {
    expect_json(app.get(path).send().await.unwrap(), 200).await
}

/// Every item of a paginated list.
async fn all_pages(app: &TestApp, path: &str, token: Option<&str>) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{path}?limit=100");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let mut req = app.get(&url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let page = expect_json(req.send().await.unwrap(), 200).await;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return items,
        }
    }
}

/// The sign-in links the server printed for one of the demo's people (`participant`,
/// `organiser`, `facilitator`, `administrator`), oldest first. Each link follows a line saying
/// whose it is; stderr lines may come between, so the k-th link belongs to the k-th such line.
fn printed_links(app: &TestApp, role: &str) -> Vec<String> {
    let logs = app.logs();
    let said: Vec<&str> = logs.lines().filter(|l| l.starts_with("Demo ") && l.contains("one-time sign-in link")).collect();
    let links: Vec<String> = logs.lines().map(str::trim).filter(|l| l.starts_with("http") && l.contains("/login/magic?token=")).map(String::from).collect();
    assert_eq!(said.len(), links.len(), "each link is said whose it is: {logs}");
    said.iter().zip(links).filter(|(line, _)| line.starts_with(&format!("Demo {role} "))).map(|(_, link)| link).collect()
}

async fn ledger_kinds(app: &TestApp, process_id: &str) -> Vec<String> {
    let mut kinds = Vec::new();
    let mut after = 0;
    loop {
        let page = get(app, &format!("/api/v1/ledger?after={after}")).await;
        for e in page["entries"].as_array().unwrap() {
            if e["process_id"].as_str() == Some(process_id) {
                kinds.push(e["kind"].as_str().unwrap().to_string());
            }
        }
        match page["next_after"].as_i64() {
            Some(next) => after = next,
            None => return kinds,
        }
    }
}

#[tokio::test]
async fn the_demo_shows_the_whole_loop() {
    let mut app = TestApp::builder().arg("--demo").spawn().await;

    // The finished process: its last phase is running, its consultation and roundtables closed.
    let process = get(&app, &format!("/api/v1/processes/{FINISHED}")).await;
    let process_id = process["id"].as_str().unwrap().to_string();
    for lang in ["en", "es", "fr"] {
        assert!(process["title"][lang].is_string() && process["summary"][lang].is_string(), "{lang}: {process}");
    }
    let phases = process["phases"].as_array().unwrap();
    assert_eq!(phases.last().unwrap()["state"], "current", "{process}");
    assert!(phases[..phases.len() - 1].iter().all(|p| p["state"] == "past"));
    let activities = get(&app, &format!("/api/v1/processes/{FINISHED}/activities")).await;
    let states: Vec<&str> = activities.as_array().unwrap().iter().map(|a| a["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["closed", "closed", "open"]);

    // Every contribution to the closed consultation has a response; several channels, several
    // languages, facilitators' references kept to themselves.
    let consultation = activities[0]["id"].as_str().unwrap();
    let answers = all_pages(&app, &format!("/api/v1/activities/{consultation}/contributions"), None).await;
    assert!(answers.len() >= 250, "{}", answers.len());
    assert!(answers.iter().all(|c| c["response"]["disposition"].is_string()), "every contribution answered");
    assert!(answers.iter().all(|c| c["reference"].is_null()), "references are not public");
    let languages: HashSet<&str> = answers.iter().map(|c| c["language"].as_str().unwrap()).collect();
    assert!(languages.contains("en") && languages.contains("es"), "{languages:?}");
    let comments: HashSet<&str> = answers.iter().filter_map(|c| c["body"]["answers"]["comment"].as_str()).collect();
    assert!(comments.len() >= 150, "varied comments: {}", comments.len());
    // The roundtables' reports too.
    let roundtable = activities[1]["id"].as_str().unwrap();
    let filed = all_pages(&app, &format!("/api/v1/activities/{roundtable}/contributions"), None).await;
    let reports: Vec<&Value> = filed.iter().filter(|c| c["kind"] == "report").collect();
    assert_eq!(reports.len(), 5);
    assert!(reports.iter().all(|r| r["response"]["explanation"]["en"].is_string()));
    let results = get(&app, &format!("/api/v1/activities/{roundtable}/results")).await;
    assert!(results.to_string().contains("5 of 5 meetings reported"), "{results}");

    // The input-use report.
    let report = get(&app, &format!("/api/v1/processes/{FINISHED}/report")).await;
    let total = report["contributions"].as_u64().unwrap();
    assert!(total >= 300, "{report}");
    let channels: Vec<&String> = report["by_channel"].as_object().unwrap().iter().filter(|(_, n)| n.as_u64().unwrap() > 0).map(|(c, _)| c).collect();
    assert!(channels.len() >= 3, "{channels:?}");
    for d in DISPOSITIONS {
        assert!(report["by_disposition"][d].as_u64().unwrap() > 0, "no {d}: {report}");
    }
    assert!(report["responded"].as_u64().unwrap() * 10 >= total * 9, "{report}");
    assert_eq!(report["outcome_versions"], 2);
    let commitments = report["commitments"].as_array().unwrap();
    assert!(commitments.iter().all(|c| c["status"] != "missed"), "{commitments:?}");
    assert!(commitments.iter().any(|c| c["measure"]["kind"] == "publish_outcome_within_days" && c["status"] == "met"), "{commitments:?}");

    // The outcome: version 2, with a note, citing contributions (the reports among them).
    let outcome = get(&app, &format!("/api/v1/processes/{FINISHED}/outcomes/current")).await;
    assert_eq!(outcome["version"], 2);
    assert!(outcome["note"]["en"].as_str().is_some_and(|n| !n.is_empty()) && outcome["note"]["es"].is_string(), "{}", outcome["note"]);
    let cited: HashSet<&str> = outcome["sections"].as_array().unwrap().iter().flat_map(|s| s["cites"].as_array().unwrap()).map(|c| c.as_str().unwrap()).collect();
    assert!(cited.len() >= 100, "{}", cited.len());
    assert!(reports.iter().all(|r| cited.contains(r["id"].as_str().unwrap())), "the revision cites every report");
    let versions = get(&app, &format!("/api/v1/processes/{FINISHED}/outcomes")).await;
    assert_eq!(versions.as_array().unwrap().len(), 2);
    let diff = get(&app, &format!("/api/v1/processes/{FINISHED}/outcomes/diff?from=1&to=2")).await;
    assert!(diff.as_array().unwrap().iter().any(|s| s["change"] == "changed"), "{diff}");

    // The ledger has it all, and verifies.
    let kinds = ledger_kinds(&app, &process_id).await;
    for kind in ["process.published", "activity.closed", "responses.given", "outcome.published", "outcome.revised"] {
        assert!(kinds.iter().any(|k| k == kind), "no {kind} in {kinds:?}");
    }
    assert!(kinds.iter().filter(|k| *k == "responses.given").count() >= 10, "{kinds:?}");
    let out = app.cli(&["ledger", "verify", &app.base_url]).await;
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));

    // The process in Arabic, with contributions in Arabic.
    let arabic = get(&app, &format!("/api/v1/processes/{ARABIC}")).await;
    assert_eq!(arabic["default_language"], "ar");
    for field in ["title", "summary", "description"] {
        assert!(arabic[field]["ar"].as_str().is_some_and(|t| t.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))), "{field}");
    }
    assert!(arabic["current_phase"].is_object() || arabic["phases"][0]["state"] == "current");
    let activities = get(&app, &format!("/api/v1/processes/{ARABIC}/activities")).await;
    assert_eq!(activities.as_array().unwrap().len(), 1);
    let said = all_pages(&app, &format!("/api/v1/activities/{}/contributions", activities[0]["id"].as_str().unwrap()), None).await;
    assert!(!said.is_empty() && said.iter().all(|c| c["language"] == "ar"));

    // The participant's printed link signs in, and "My input" shows what happened to it.
    let links = printed_links(&app, "participant");
    assert_eq!(links.len(), 1, "{}", app.logs());
    let link = &links[0];
    assert!(link.starts_with(&app.base_url) && link.contains("/login/magic?token="), "{link}");
    let pair = consume(&app, &token_from_link(link)).await;
    assert_eq!(pair["account"]["email"], PARTICIPANT);
    let token = pair["access_token"].as_str().unwrap().to_string();
    let mine = all_pages(&app, "/api/v1/me/input", Some(&token)).await;
    assert!(mine.len() >= 3, "{mine:?}");
    assert!(mine.iter().all(|m| m["process_slug"] == FINISHED));
    let responded: Vec<&Value> = mine.iter().filter(|m| m["contribution"]["response"].is_object()).collect();
    assert!(responded.len() >= 2, "{mine:?}");
    assert!(mine.iter().any(|m| m["contribution"]["response"].is_null()), "one still waits for its response");
    let channels: HashSet<&str> = mine.iter().map(|m| m["contribution"]["channel"].as_str().unwrap()).collect();
    assert!(channels.contains("online") && channels.len() >= 2, "input a facilitator entered for her is hers too: {channels:?}");
    // The link was for one use.
    let res = app.post_json("/api/v1/auth/magic-link/consume", &serde_json::json!({ "token": token_from_link(link) })).send().await.unwrap();
    assert_eq!(res.status(), 410);

    // Loading again changes nothing, and a new start prints a new link.
    let snapshot = |r: &Value| -> BTreeMap<String, Value> {
        ["contributions", "by_channel", "by_disposition", "responded", "outcome_versions"].iter().map(|k| (k.to_string(), r[*k].clone())).collect()
    };
    let out = app.cli(&["demo"]).await;
    assert!(String::from_utf8_lossy(&out.stdout).contains("already loaded"));
    app.restart().await;
    let again = get(&app, &format!("/api/v1/processes/{FINISHED}/report")).await;
    assert_eq!(snapshot(&again), snapshot(&report));
    let list = get(&app, "/api/v1/processes?limit=100").await;
    let slugs: Vec<&str> = list["items"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs.iter().filter(|s| **s == FINISHED).count(), 1);
    let links = printed_links(&app, "participant");
    assert_eq!(links.len(), 2);
    assert_ne!(links[0], links[1]);
    let pair = consume(&app, &token_from_link(&links[1])).await;
    assert_eq!(pair["account"]["email"], PARTICIPANT);

    // The staff's printed links: the organiser runs the finished process, the facilitator
    // works on every demo process (without running it), the administrator runs the instance.
    let staff = |role: &str| {
        let links = printed_links(&app, role);
        assert_eq!(links.len(), 2, "{role}: a link at each start");
        links[1].clone()
    };
    let me = |pair: &Value| pair["access_token"].as_str().unwrap().to_string();
    let organiser = me(&consume(&app, &token_from_link(&staff("organiser"))).await);
    let facilitator = me(&consume(&app, &token_from_link(&staff("facilitator"))).await);
    let admin = consume(&app, &token_from_link(&staff("administrator"))).await;
    assert_eq!(admin["account"]["is_admin"], true, "{admin}");
    for slug in [FINISHED, ARABIC] {
        let as_organiser = expect_json(app.get(&format!("/api/v1/processes/{slug}")).bearer_auth(&organiser).send().await.unwrap(), 200).await;
        assert_eq!(as_organiser["your_role"], "organiser", "{slug}");
        let as_facilitator = expect_json(app.get(&format!("/api/v1/processes/{slug}")).bearer_auth(&facilitator).send().await.unwrap(), 200).await;
        assert_eq!(as_facilitator["your_role"], "facilitator", "{slug}");
    }
    let res = app.get("/api/v1/admin/accounts").bearer_auth(&facilitator).send().await.unwrap();
    assert_eq!(res.status(), 403, "only the administrator is one");
    let accounts = expect_json(app.get("/api/v1/admin/accounts").bearer_auth(me(&admin)).send().await.unwrap(), 200).await;
    assert!(accounts["items"].as_array().is_some_and(|a| a.len() >= 4), "{accounts}");
}
