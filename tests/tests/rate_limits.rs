//! Abuse: every rate limit, as an attacker meets it. Each refusal is a 429 problem+json with
//! a `Retry-After` in seconds; the counts live in the database (shared by replicas) and are
//! swept once they limit nothing. Limits not under test keep their defaults, so these also
//! show that the defaults hold.

use std::time::Duration;

use convene_e2e::flows::{MAIL_WAIT, add_activity, admin_token, contribute, published_process, sign_up, user_token};
use convene_e2e::{TestApp, expect_json, problem};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

/// Asserts a 429 problem whose detail contains `says`; returns its Retry-After in seconds.
async fn too_many(res: reqwest::Response, says: &str) -> u64 {
    assert_eq!(res.status(), 429, "expected 429 ({says})");
    let retry_after: u64 = res
        .headers()
        .get("retry-after")
        .expect("a 429 says when to retry")
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After is a number of seconds");
    assert!(retry_after >= 1, "Retry-After {retry_after}");
    let p = problem(res).await;
    assert_eq!(p["status"], 429);
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains(says) && detail.contains("try again in"), "{detail}");
    retry_after
}

async fn ask_link(app: &TestApp, email: &str, forwarded_for: Option<&str>) -> reqwest::Response {
    let mut req = app.post_json("/api/v1/auth/magic-link", &json!({ "email": email }));
    if let Some(f) = forwarded_for {
        req = req.header("x-forwarded-for", f);
    }
    req.send().await.unwrap()
}

async fn sign_up_raw(app: &TestApp, email: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/signup", &json!({ "email": email, "display_name": "Someone" })).send().await.unwrap()
}

#[tokio::test]
async fn the_sixth_sign_in_link_to_one_address_waits_and_one_client_cannot_ask_for_many() {
    // Defaults: 5 per address and 30 per client address in 15 minutes.
    let app = TestApp::spawn().await;
    sign_up(&app, "ana@example.org", "Ana").await;
    for i in 0..5 {
        assert_eq!(ask_link(&app, "ana@example.org", None).await.status(), 202, "request {i}");
    }
    let wait = too_many(ask_link(&app, "ana@example.org", None).await, "for this email address").await;
    assert!((170..=900).contains(&wait), "the next one fits in after a fifth of the window: {wait}");
    // A plus-address reaches the same inbox and shares its count.
    too_many(ask_link(&app, "Ana+again@example.org", None).await, "for this email address").await;
    // Ana got the sign-up email and five sign-in links, not a seventh.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let to_ana = app.smtp.wait_for_count(6, MAIL_WAIT).await.into_iter().filter(|m| m.is_to("ana@example.org")).count();
    assert_eq!(to_ana, 6);

    // From the same client, other addresses: the 31st request the client made is refused.
    let mut made = 7;
    loop {
        made += 1;
        let res = ask_link(&app, &format!("person{made}@example.org"), None).await;
        if res.status() == 202 {
            assert!(made < 40, "the client limit never came");
            continue;
        }
        too_many(res, "from your network address").await;
        break;
    }
    assert_eq!(made, 31);
}

#[tokio::test]
async fn x_forwarded_for_from_an_untrusted_peer_is_ignored() {
    // No trusted proxies (the default): the header is the client's own words.
    let app = TestApp::builder().env("CONVENE_LIMITS__SIGN_IN_LINK_PER_CLIENT", "3/15m").spawn().await;
    for i in 0..3 {
        let res = ask_link(&app, &format!("p{i}@example.org"), Some(&format!("203.0.113.{i}"))).await;
        assert_eq!(res.status(), 202);
    }
    too_many(ask_link(&app, "p9@example.org", Some("198.51.100.77")).await, "from your network address").await;
}

#[tokio::test]
async fn x_forwarded_for_from_a_trusted_proxy_is_honoured() {
    // The test client (127.0.0.1) plays the reverse proxy.
    let app = TestApp::builder()
        .env("CONVENE_LIMITS__SIGN_IN_LINK_PER_CLIENT", "3/15m")
        .env("CONVENE_HTTP__TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
        .spawn()
        .await;
    for i in 0..3 {
        assert_eq!(ask_link(&app, &format!("a{i}@example.org"), Some("203.0.113.1")).await.status(), 202);
    }
    too_many(ask_link(&app, "a9@example.org", Some("203.0.113.1")).await, "from your network address").await;
    // Another client behind the same proxy has its own count...
    assert_eq!(ask_link(&app, "b0@example.org", Some("203.0.113.2")).await.status(), 202);
    // ...through a chain of trusted proxies too...
    assert_eq!(ask_link(&app, "b1@example.org", Some("203.0.113.2, 10.1.2.3")).await.status(), 202);
    // ...and a client cannot escape its count by writing a hop of its own: the right-most
    // untrusted address is the client.
    too_many(ask_link(&app, "a10@example.org", Some("198.51.100.1, 203.0.113.1")).await, "from your network address").await;
}

#[tokio::test]
async fn sign_ups_are_limited_per_address_and_per_client() {
    // Default per address (3 an hour); a small per-client limit to reach it quickly.
    let app = TestApp::builder().env("CONVENE_LIMITS__SIGNUP_PER_CLIENT", "6/1h").spawn().await;
    for _ in 0..3 {
        assert_eq!(sign_up_raw(&app, "target@example.org").await.status(), 202);
    }
    let wait = too_many(sign_up_raw(&app, "TARGET+x@example.org").await, "with this email address").await;
    assert!((1_000..=3_600).contains(&wait), "{wait}");
    // The owner got one welcome and two "you already have an account", no more.
    tokio::time::sleep(Duration::from_secs(2)).await;
    app.smtp.wait_for_count(3, MAIL_WAIT).await;
    assert_eq!(app.smtp.messages_to("target@example.org").len(), 3);

    // The client has made 4 counted sign-ups; two more fit, the seventh does not.
    assert_eq!(sign_up_raw(&app, "other1@example.org").await.status(), 202);
    assert_eq!(sign_up_raw(&app, "other2@example.org").await.status(), 202);
    too_many(sign_up_raw(&app, "other3@example.org").await, "from your network address").await;
}

async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/login", &json!({ "email": email, "password": password })).send().await.unwrap()
}

#[tokio::test]
async fn wrong_passwords_make_the_next_attempt_wait_longer_each_time_until_the_right_one() {
    // Default: 5 free failures per account, then 1 s, 2 s, 4 s...
    let app = TestApp::spawn().await;
    let pair = sign_up(&app, "pw@example.org", "Pw").await;
    let token = pair["access_token"].as_str().unwrap();
    let res = app.client.put(app.url("/api/v1/me/password")).bearer_auth(token).json(&json!({ "new_password": "the right passphrase" })).send().await.unwrap();
    assert_eq!(res.status(), 204);

    for i in 0..6 {
        assert_eq!(login(&app, "pw@example.org", "a wrong passphrase").await.status(), 401, "failure {i}");
    }
    let mut waits = Vec::new();
    for _ in 0..3 {
        // Waiting: even the right password is not tried.
        let wait = too_many(login(&app, "pw@example.org", "the right passphrase").await, "for this email address").await;
        waits.push(wait);
        tokio::time::sleep(Duration::from_millis(wait * 1000 + 150)).await;
        assert_eq!(login(&app, "pw@example.org", "a wrong passphrase").await.status(), 401);
    }
    assert_eq!(waits, [1, 2, 4], "the wait doubles after each failure");
    let wait = too_many(login(&app, "pw@example.org", "a wrong passphrase").await, "or ask for a sign-in link").await;
    assert_eq!(wait, 8);

    // An unknown address is treated the same (no hint that it has no account).
    for _ in 0..6 {
        assert_eq!(login(&app, "nobody@example.org", "a wrong passphrase").await.status(), 401);
    }
    too_many(login(&app, "nobody@example.org", "a wrong passphrase").await, "for this email address").await;

    // The right password after the wait signs in and ends the streak: the next failure is
    // free again.
    tokio::time::sleep(Duration::from_millis(8_150)).await;
    assert_eq!(login(&app, "pw@example.org", "the right passphrase").await.status(), 200);
    assert_eq!(login(&app, "pw@example.org", "a wrong passphrase").await.status(), 401);
    assert_eq!(login(&app, "pw@example.org", "a wrong passphrase").await.status(), 401);
}

#[tokio::test]
async fn one_client_trying_passwords_across_accounts_is_slowed_and_capped() {
    let app = TestApp::builder()
        .env("CONVENE_LIMITS__PASSWORD_FAILURES_PER_CLIENT", "3/15m")
        .env("CONVENE_LIMITS__PASSWORD_PER_CLIENT", "8/15m")
        .spawn()
        .await;
    let app = &app;
    let guess = |i: u32| async move { login(app, &format!("victim{i}@example.org"), "password123456").await };
    // Credential stuffing: one guess per address, so no account's own streak grows; the
    // client's does. Attempts 1-4 fail, the 4th beyond the 3 free ones.
    for i in 0..4 {
        assert_eq!(guess(i).await.status(), 401);
    }
    assert_eq!(too_many(guess(4).await, "wrong passwords were given from your network address").await, 1);
    tokio::time::sleep(Duration::from_millis(1_150)).await;
    assert_eq!(guess(5).await.status(), 401);
    assert_eq!(too_many(guess(6).await, "wrong passwords were given from your network address").await, 2);
    tokio::time::sleep(Duration::from_millis(2_150)).await;
    assert_eq!(guess(7).await.status(), 401);
    // The 9th attempt, right or wrong, waiting or not, is beyond the client's count.
    let wait = too_many(guess(8).await, "password sign-ins were tried from your network address").await;
    assert!(wait > 60, "the per-client count waits for its window, not a backoff step: {wait}");
}

fn consultation() -> Value {
    json!({ "type": "org.convene.consultation", "title": { "en": "Consultation" },
        "config": { "questions": [ { "id": "q", "type": "free_text", "required": true, "text": { "en": "Your view?" } } ] } })
}

fn answer(text: &str) -> Value {
    json!({ "kind": "response", "body": { "answers": { "q": text } } })
}

#[tokio::test]
async fn contributions_and_reports_are_limited_per_account() {
    let app = TestApp::builder()
        .env("CONVENE_LIMITS__CONTRIBUTIONS_PER_ACCOUNT", "3/10m")
        .env("CONVENE_LIMITS__REPORTS_PER_ACCOUNT", "2/1h")
        .spawn()
        .await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;
    let activity = add_activity(&app, &admin, "national-ai", &consultation()).await;
    let id = activity["id"].as_str().unwrap();
    let (ana, ben) = (user_token(&app, "ana@example.org").await, user_token(&app, "ben@example.org").await);

    let mut first = None;
    for i in 0..3 {
        let res = app.post_json(&format!("/api/v1/activities/{id}/contributions"), &answer(&format!("view {i}"))).bearer_auth(&ana).header("idempotency-key", format!("ana-{i}")).send().await.unwrap();
        let made = expect_json(res, 201).await;
        first.get_or_insert(made["id"].clone());
    }
    let wait = too_many(contribute(&app, &ana, id, &answer("one more")).await, "many contributions").await;
    assert!((150..=600).contains(&wait), "one more fits in a third of the window: {wait}");
    // A retry of an earlier submission is not a new contribution: still answered.
    let res = app.post_json(&format!("/api/v1/activities/{id}/contributions"), &answer("view 0")).bearer_auth(&ana).header("idempotency-key", "ana-0").send().await.unwrap();
    assert_eq!(expect_json(res, 200).await["id"], first.unwrap());
    // Another account has its own count.
    let mut bens = Vec::new();
    for i in 0..3 {
        bens.push(expect_json(contribute(&app, &ben, id, &answer(&format!("ben {i}"))).await, 201).await["id"].as_str().unwrap().to_string());
    }
    // A facilitator typing in a stack of paper forms is not limited.
    for i in 0..5 {
        let mut paper = answer(&format!("paper form {i}"));
        paper["channel"] = json!("paper");
        expect_json(contribute(&app, &admin, id, &paper).await, 201).await;
    }

    let report = |c: &str| app.post_json(&format!("/api/v1/contributions/{c}/reports"), &json!({ "reason": "spam" })).bearer_auth(&ana).send();
    assert_eq!(report(&bens[0]).await.unwrap().status(), 201);
    assert_eq!(report(&bens[1]).await.unwrap().status(), 201);
    too_many(report(&bens[2]).await.unwrap(), "reported many contributions").await;
}

#[tokio::test]
async fn counters_are_stored_hashed_and_swept_once_they_limit_nothing() {
    let mut app = TestApp::spawn().await;
    for i in 0..3 {
        assert_eq!(ask_link(&app, &format!("swept{i}@example.org"), None).await.status(), 202);
    }
    assert_eq!(login(&app, "swept0@example.org", "a wrong passphrase").await.status(), 401);
    let db = Database::connect(app.db.url()).await.unwrap();
    let rows = |sql: &'static str| {
        let db = &db;
        async move { db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.unwrap() }
    };
    let all = rows(r#"SELECT bucket, "key" FROM rate_limits"#).await;
    // 3 mailboxes + 1 client for the links; the client's attempts and 2 failure streaks.
    assert_eq!(all.len(), 7, "one row per limit and key");
    for r in &all {
        let key: String = r.try_get("", "key").unwrap();
        assert!(key.len() == 64 && key.chars().all(|c| c.is_ascii_hexdigit()), "stored hashed, not as {key}");
    }
    // Time passes (as the database sees it); the worker sweeps when it starts, then every
    // few minutes.
    db.execute_unprepared("UPDATE rate_limits SET expires_ms = 0, until_ms = 0").await.unwrap();
    app.restart().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !rows("SELECT bucket FROM rate_limits").await.is_empty() {
        assert!(std::time::Instant::now() < deadline, "expired rows were not swept");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
