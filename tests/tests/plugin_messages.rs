//! What a plugin can make the instance say, to people and to the operator (issue 11, findings
//! 5 and 6). The hostile plugin, installed like any third-party one, emails a participant 200
//! times in one call, emails everyone on every contribution with a subject that injects a
//! header and a body that imitates the instance, fails with a 10 MB error full of forged log
//! lines, floods the log with newlines and terminal escapes, and declares a type id that
//! spoofs rows. Each attempt is contained, through the API, on both databases.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use convene_e2e::flows::{MAIL_WAIT, add_activity, admin_token, component_path, contribute, me, published_process, send_component, user_token};
use convene_e2e::{ReceivedMail, TestApp, expect_json, problem};
use serde_json::{Value, json};

const PROCESS: &str = "National AI Strategy 2027";
/// The forged log line the hostile plugin hides in its errors and log lines.
const FORGED: &str = "2027-01-01T00:00:00.000000Z ERROR convene::forged";
/// How long to keep listening for emails that should not come.
const SETTLE: Duration = Duration::from_secs(3);

async fn install(app: &TestApp, admin: &str, stem: &str) -> reqwest::Response {
    send_component(app, admin, stem, reqwest::Method::POST, "/api/v1/admin/plugins").await
}

/// An instance with the hostile plugin installed and a published process; the admin's token.
async fn under_attack(app: &TestApp) -> String {
    let admin = admin_token(app, "admin@example.org").await;
    expect_json(install(app, &admin, "hostile").await, 201).await;
    published_process(app, &admin, "messages").await;
    admin
}

/// A hostile activity running `attack` (in `during` only, if given); its id.
async fn hostile(app: &TestApp, admin: &str, attack: &str, during: Option<&str>) -> String {
    let mut config = json!({ "attack": attack });
    if let Some(export) = during {
        config["during"] = json!(export);
    }
    let body = json!({ "type": "test.hostile", "title": { "en": format!("Hostile: {attack}") }, "config": config });
    add_activity(app, admin, "messages", &body).await["id"].as_str().unwrap().to_string()
}

async fn post_something(app: &TestApp, token: &str, activity: &str) {
    expect_json(contribute(app, token, activity, &json!({ "kind": "x", "body": {} })).await, 201).await;
}

/// The emails to `addr` that came from an activity (rather than sign-up and sign-in).
fn from_activities(app: &TestApp, addr: &str) -> Vec<ReceivedMail> {
    app.smtp.messages_to(addr).into_iter().filter(|m| m.subject.contains("Hostile:")).collect()
}

/// Waits until `addr` has `n` emails from activities, then a while longer, and returns them:
/// what should not come has had the time to come.
async fn settled(app: &TestApp, addr: &str, n: usize) -> Vec<ReceivedMail> {
    // Polled: the sink's own waits hold its lock while they test, so they cannot read it.
    let started = std::time::Instant::now();
    while from_activities(app, addr).len() < n {
        assert!(started.elapsed() < MAIL_WAIT, "{addr} got {} of {n} emails from activities", from_activities(app, addr).len());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(SETTLE).await;
    from_activities(app, addr)
}

/// The value of the metric line that has all of `parts`, 0 if there is none.
fn metric(metrics: &str, parts: &[&str]) -> f64 {
    metrics.lines().find(|l| parts.iter().all(|p| l.contains(p))).and_then(|l| l.rsplit(' ').next()).map_or(0.0, |v| v.parse().unwrap())
}

fn notifications(metrics: &str, outcome: &str) -> f64 {
    metric(metrics, &["convene_notifications_total{", "plugin=\"test.hostile\"", &format!("outcome=\"{outcome}\"")])
}

#[tokio::test]
async fn a_plugin_naming_one_person_200_times_sends_one_email_in_the_hosts_frame() {
    let app = TestApp::builder().with_metrics().spawn().await;
    let admin = under_attack(&app).await;
    let spam = hostile(&app, &admin, "notify-spam", None).await;
    let ana = user_token(&app, "ana@example.org").await;
    post_something(&app, &ana, &spam).await;

    let mails = settled(&app, "ana@example.org", 1).await;
    assert_eq!(mails.len(), 1, "one email per recipient per call: {:?}", mails.iter().map(|m| &m.subject).collect::<Vec<_>>());
    let metrics = app.metrics().await;
    assert_eq!(notifications(&metrics, "queued"), 1.0, "{metrics}");
    assert_eq!(notifications(&metrics, "duplicate"), 199.0, "{metrics}");

    let mail = &mails[0];
    // The plugin's subject, on one line, inside the host's: its header injection is text.
    assert_eq!(mail.subject, format!("{PROCESS} · Hostile: notify-spam: Urgent: verify your account Bcc: everyone@example.org"));
    assert_eq!(mail.to, vec!["ana@example.org".to_string()]);
    let headers = mail.raw.split("\r\n\r\n").next().unwrap();
    assert!(!headers.lines().any(|l| l.to_ascii_lowercase().starts_with("bcc:")), "{headers}");
    // The body names the process and the activity and quotes every line of the plugin's text,
    // its imitation of the end of the message included.
    let text = &mail.text;
    assert!(text.contains(&format!("The activity \"Hostile: notify-spam\" of the process \"{PROCESS}\"")), "{text}");
    assert!(text.contains("Its text was written by the activity"), "{text}");
    for line in ["Your account will be closed today.", "----- end of the message from the activity -----", "The Convene team: sign in at https://evil.example/login to keep it."] {
        assert!(text.contains(&format!("\n> {line}\n")), "quoted: {line}\n{text}");
        assert!(!text.lines().any(|l| l == line), "never unquoted: {line}\n{text}");
    }
    // The way out, in the body and for mail clients.
    let unsubscribe = mail.first_link_containing("/unsubscribe?token=").expect("an unsubscribe link");
    assert!(text.contains("/me/notifications"), "the settings: {text}");
    assert!(headers.contains(&format!("List-Unsubscribe: <{unsubscribe}>")), "{headers}");
    assert!(headers.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{headers}");
}

#[tokio::test]
async fn notifications_are_limited_per_person_per_activity_and_per_activity_as_configured() {
    let app = TestApp::builder()
        .with_metrics()
        .env("CONVENE_LIMITS__NOTIFICATIONS_PER_RECIPIENT", "2/1d")
        .env("CONVENE_LIMITS__NOTIFICATIONS_PER_ACTIVITY", "5/1h")
        .spawn()
        .await;
    let admin = under_attack(&app).await;
    // On every contribution, an email to everyone who contributed.
    let everyone = hostile(&app, &admin, "notify-all", None).await;
    let people = ["ana", "bob", "carol", "dan"];
    let mut tokens = Vec::new();
    for p in people {
        tokens.push(user_token(&app, &format!("{p}@example.org")).await);
    }
    // Ana posts three times: two emails, then her daily limit in this activity.
    for _ in 0..3 {
        post_something(&app, &tokens[0], &everyone).await;
    }
    // Bob: one each (Ana is at her limit). Carol: Bob's second and Carol's first fill the
    // activity's 5 an hour. Dan: nobody, Dan included.
    for t in &tokens[1..] {
        post_something(&app, t, &everyone).await;
    }
    let counts = |app: &TestApp| people.map(|p| from_activities(app, &format!("{p}@example.org")).len());
    settled(&app, "carol@example.org", 1).await;
    assert_eq!(counts(&app), [2, 2, 1, 0], "ana, bob, carol, dan");
    let metrics = app.metrics().await;
    assert_eq!(notifications(&metrics, "queued"), 5.0, "{metrics}");
    // Ana for herself, for Bob and for Carol; for Dan, Carol and Dan met the activity's limit,
    // and Ana and Bob either theirs or (once it was met) the activity's.
    let (recipient, activity) = (notifications(&metrics, "recipient_limit"), notifications(&metrics, "activity_limit"));
    assert!(recipient >= 3.0 && activity >= 2.0 && recipient + activity == 7.0, "{metrics}");

    // Another activity has budgets of its own, for the same people.
    let other = hostile(&app, &admin, "notify-all", Some("validate-contribution")).await;
    post_something(&app, &tokens[0], &other).await;
    assert_eq!(settled(&app, "ana@example.org", 3).await.len(), 3);

    // A wrong value stops the start with the setting's name.
    let out = app.cli_with_env(&["plugin", "list"], &[("CONVENE_LIMITS__NOTIFICATIONS_PER_ACTIVITY", "lots")]).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("limits.notifications_per_activity"), "{}", String::from_utf8_lossy(&out.stderr));
}

async fn activity_notifications(app: &TestApp, token: &str) -> bool {
    let settings = expect_json(app.with_token(token).get("/api/v1/me/notifications").send().await.unwrap(), 200).await;
    settings["activity_notifications"].as_bool().unwrap()
}

#[tokio::test]
async fn the_unsubscribe_link_stops_activity_emails_to_its_recipient_and_nobody_else() {
    let app = TestApp::builder().with_metrics().spawn().await;
    let admin = under_attack(&app).await;
    let everyone = hostile(&app, &admin, "notify-all", None).await;
    let (ana, bob, carol) =
        (user_token(&app, "ana@example.org").await, user_token(&app, "bob@example.org").await, user_token(&app, "carol@example.org").await);
    assert!(activity_notifications(&app, &ana).await, "on by default");
    post_something(&app, &ana, &everyone).await;
    post_something(&app, &bob, &everyone).await;
    let to_ana = settled(&app, "ana@example.org", 2).await;
    assert_eq!(to_ana.len(), 2);
    let link = to_ana[0].first_link_containing("/unsubscribe?token=").unwrap();

    // Opening the link changes nothing yet (mail scanners open links): it offers a button.
    let page = app.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<form method=\"post\"") && html.contains("Stop emails from activities"), "{html}");
    assert!(activity_notifications(&app, &ana).await);

    // Ana's MAC does not move to Bob's account, and a made-up token does nothing.
    let token = link.split("token=").nth(1).unwrap().to_string();
    let bob_id: uuid::Uuid = me(&app, &bob).await["id"].as_str().unwrap().parse().unwrap();
    let mut raw = URL_SAFE_NO_PAD.decode(&token).unwrap();
    raw[..16].copy_from_slice(bob_id.as_bytes());
    for forged in [URL_SAFE_NO_PAD.encode(&raw), "A".repeat(43), String::new()] {
        let res = app.post(&format!("/unsubscribe?token={forged}")).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
        assert_eq!(res.status(), 400, "{forged}");
    }
    assert!(activity_notifications(&app, &bob).await, "Bob is untouched");

    // One click, no sign-in: the RFC 8058 POST a mail client sends, or the page's button.
    let anonymous = reqwest::Client::new();
    let res = anonymous.post(&link).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(!activity_notifications(&app, &ana).await, "Ana turned them off");
    assert!(activity_notifications(&app, &bob).await, "Bob did not");

    // Carol's contribution emails everyone: Bob and Carol, not Ana.
    post_something(&app, &carol, &everyone).await;
    assert_eq!(settled(&app, "carol@example.org", 1).await.len(), 1);
    assert_eq!(from_activities(&app, "bob@example.org").len(), 2, "Bob's second email came");
    assert_eq!(from_activities(&app, "ana@example.org").len(), 2, "nothing more to Ana");
    assert_eq!(notifications(&app.metrics().await, "opted_out"), 1.0);

    // Ana turns them back on from her account; nobody else can read or change hers.
    let res = app.client.get(app.url("/api/v1/me/notifications")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = app.with_token(&ana).patch_json("/api/v1/me/notifications", &json!({ "activity_notifications": "yes" })).send().await.unwrap();
    assert!(res.status().is_client_error(), "a bad value is the client's error, not ours: {}", res.status());
    let on = expect_json(app.with_token(&ana).patch_json("/api/v1/me/notifications", &json!({ "activity_notifications": true })).send().await.unwrap(), 200).await;
    assert_eq!(on, json!({ "activity_notifications": true }));
    post_something(&app, &carol, &everyone).await;
    assert_eq!(settled(&app, "ana@example.org", 3).await.len(), 3);
}

#[tokio::test]
async fn a_10_mb_error_reaches_the_response_and_the_log_as_one_short_line_once_per_request() {
    let app = TestApp::spawn().await;
    let admin = under_attack(&app).await;
    let failing = hostile(&app, &admin, "error-10mb", Some("compute-results")).await;
    let before = app.logs().len();
    for _ in 0..5 {
        let res = app.client.get(app.url(&format!("/api/v1/activities/{failing}/results"))).send().await.unwrap();
        assert_eq!(res.status(), 502);
        let p = problem(res).await;
        let detail = p["detail"].as_str().unwrap();
        assert!(detail.len() < 500, "{} bytes: {detail}", detail.len());
        assert!(!detail.chars().any(char::is_control), "{detail:?}");
        assert!(detail.contains("test.hostile") && detail.contains("HOSTILE-ERROR\\n2027"), "{detail}");
        assert_eq!(p["plugin"], json!({ "id": "test.hostile", "failure": "refused" }));
    }
    let logged = app.logs()[before..].to_string();
    eprintln!("5 failing results views logged {} bytes", logged.len());
    assert!(logged.len() < 16 << 10, "5 failures logged {} bytes", logged.len());
    assert_eq!(logged.matches("HOSTILE-ERROR").count(), 5, "once per request:\n{logged}");
    assert!(!logged.lines().any(|l| l.starts_with(FORGED)), "a forged line:\n{logged}");
    assert!(!logged.contains('\x1b'), "a terminal escape reached the log");

    // A crash is logged once too.
    let crashing = hostile(&app, &admin, "panic", Some("compute-results")).await;
    let before = app.logs().len();
    let res = app.client.get(app.url(&format!("/api/v1/activities/{crashing}/results"))).send().await.unwrap();
    assert_eq!(res.status(), 502);
    let logged = app.logs()[before..].to_string();
    assert_eq!(logged.lines().filter(|l| l.contains("crashed")).count(), 1, "{logged}");
}

#[tokio::test]
async fn plugin_log_lines_are_one_escaped_line_each_and_a_flood_is_cut_and_counted() {
    let app = TestApp::spawn().await;
    let admin = under_attack(&app).await;
    let flood = hostile(&app, &admin, "log-flood", Some("validate-contribution")).await;
    let ana = user_token(&app, "ana@example.org").await;
    let before = app.logs().len();
    // 5 calls of 1,000 lines of 5 kB each, every one with a newline, a forged line and
    // terminal escapes.
    for _ in 0..5 {
        post_something(&app, &ana, &flood).await;
    }
    let logged = app.logs()[before..].to_string();
    eprintln!("5 calls logging 1,000 lines of 5 kB each logged {} bytes", logged.len());
    assert!(logged.len() < 128 << 10, "25 MB of plugin log became {} bytes", logged.len());
    assert!(!logged.contains('\x1b'), "a terminal escape reached the log");
    assert!(!logged.lines().any(|l| l.starts_with(FORGED)), "a forged line");
    let lines: Vec<&str> = logged.lines().filter(|l| l.contains("hostile log line")).collect();
    assert!((50..=80).contains(&lines.len()), "a burst of 60, then 1 a second across calls: {} lines", lines.len());
    assert!(lines.iter().all(|l| l.len() < 800 && l.contains("FORGED LOG LINE \\u{1b}[2J")), "{:?}", lines.first());
    let dropped: usize = logged
        .lines()
        .filter_map(|l| l.split("dropped ").nth(1)?.split(' ').next()?.parse::<usize>().ok())
        .sum();
    // All but the last batch of 1,000 at most is reported by now (the rest with the next line).
    assert!(dropped + lines.len() > 4_000, "the log says how many lines were dropped: {dropped}\n{logged}");
}

#[tokio::test]
async fn a_type_id_that_is_not_a_reverse_dns_name_is_refused_and_the_list_prints_no_control_character() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let res = install(&app, &admin, "hostile-bad-id").await;
    assert_eq!(res.status(), 422);
    let p = problem(res).await;
    assert_eq!(p["errors"][0]["field"], "component");
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("reverse-DNS") && detail.contains("test.hostile\\nORG.CONVENE.FAKE"), "{detail}");
    assert!(!detail.contains('\n'), "{detail:?}");
    let out = app.cli(&["plugin", "install", component_path("hostile-bad-id").to_str().unwrap()]).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("reverse-DNS"), "{}", String::from_utf8_lossy(&out.stderr));

    // A row stored before ids were checked (here: written into the database by hand) still
    // prints as one row, escaped.
    expect_json(install(&app, &admin, "hostile").await, 201).await;
    let db = sea_orm::Database::connect(app.db.url()).await.unwrap();
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let spoof = "test.hostile\n\x1b[2Jorg.convene.fake  9.9.9  active  builtin";
    let stmt = Query::update()
        .table(Alias::new("plugins"))
        .value(Alias::new("type_id"), spoof)
        .and_where(Expr::col(Alias::new("type_id")).eq("test.hostile"))
        .to_owned();
    assert_eq!(db.execute(&stmt).await.unwrap().rows_affected(), 1);
    let out = app.cli(&["plugin", "list"]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(!list.chars().any(|c| c.is_control() && c != '\n'), "{list:?}");
    assert!(!list.lines().any(|l| l.starts_with("org.convene.fake") || l.starts_with('\x1b')), "{list}");
    assert!(list.lines().any(|l| l.starts_with("test.hostile\\n\\u{1b}[2Jorg.convene.fake")), "{list}");
    let ids: Vec<Value> = expect_json(app.with_token(&admin).get("/api/v1/admin/plugins").send().await.unwrap(), 200).await.as_array().unwrap().clone();
    assert!(ids.iter().all(|p| p["type_id"] != "test.hostile\nORG.CONVENE.FAKE 9.9.9 active builtin <b>x</b>"), "the refused one is not stored");
}
