//! Account enumeration: nothing reachable without an account tells whether an address has
//! one. Sign-up and sign-in link requests answer with the same status and body, in the same
//! time, for an address with an account and one without; the owner of an existing address is
//! told by email instead. Password sign-in does not tell a wrong password from an address not
//! yet confirmed, and a password set by whoever signed an address up first does not survive
//! its owner confirming the address by another link.

use std::time::{Duration, Instant};

use convene_e2e::flows::{MAIL_WAIT, consume, sign_up, token_from_link};
use convene_e2e::{TestApp, problem};
use serde_json::{Value, json};

/// Requests per kind of address; the first few of each run are a warm-up and not counted.
const ROUNDS: usize = 30;
const WARM_UP: usize = 4;

/// One request's status, body and duration.
async fn timed(req: reqwest::RequestBuilder) -> (u16, String, Duration) {
    let started = Instant::now();
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let body = res.text().await.unwrap();
    (status, body, started.elapsed())
}

fn median(mut d: Vec<Duration>) -> Duration {
    d.sort();
    d[d.len() / 2]
}

/// Runs `request(existing?, round)` for an existing and a new address alternately (which goes
/// first alternates too, so drift and the worker's background work fall on both alike);
/// asserts equal statuses and bodies and returns the two medians.
async fn compare<F, Fut>(request: F) -> (Duration, Duration)
where
    F: Fn(bool, usize) -> Fut,
    Fut: std::future::Future<Output = (u16, String, Duration)>,
{
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    let mut answers = std::collections::BTreeSet::new();
    for round in 0..WARM_UP + ROUNDS {
        let order = if round % 2 == 0 { [true, false] } else { [false, true] };
        for existing in order {
            let (status, body, took) = request(existing, round).await;
            answers.insert((status, body));
            if round >= WARM_UP {
                if existing { known.push(took) } else { unknown.push(took) }
            }
        }
    }
    assert_eq!(answers.len(), 1, "one answer for every address: {answers:?}");
    (median(known), median(unknown))
}

/// Within noise: 20% of the slower median, and never less than 5 ms (two medians of a few ms
/// each differ by a millisecond or two on a busy 2-core machine for no reason of ours; an
/// email sent inline, or an account row written, only for one kind of address shows as a
/// steady difference in one direction).
fn assert_same_time(what: &str, known: Duration, unknown: Duration) {
    let (k, u) = (known.as_secs_f64() * 1e3, unknown.as_secs_f64() * 1e3);
    eprintln!("[enumeration] {what}: median {k:.2} ms with an account, {u:.2} ms without");
    let allowed = (k.max(u) * 0.2).max(5.0);
    assert!((k - u).abs() <= allowed, "{what} takes {k:.2} ms for an existing address and {u:.2} ms for a new one (allowed difference {allowed:.2} ms)");
}

#[tokio::test]
async fn sign_up_and_sign_in_link_requests_answer_the_same_in_the_same_time_whether_or_not_the_account_exists() {
    // Many requests for one address from one client: the limits are tested elsewhere.
    let app = TestApp::builder()
        .env("CONVENE_LIMITS__SIGNUP_PER_EMAIL", "off")
        .env("CONVENE_LIMITS__SIGNUP_PER_CLIENT", "off")
        .env("CONVENE_LIMITS__SIGN_IN_LINK_PER_EMAIL", "off")
        .env("CONVENE_LIMITS__SIGN_IN_LINK_PER_CLIENT", "off")
        .spawn()
        .await;
    sign_up(&app, "known@example.org", "Known").await;

    let (known, unknown) = compare(|existing, round| {
        let email = if existing { "known@example.org".to_string() } else { format!("new{round}@example.org") };
        timed(app.post_json("/api/v1/auth/signup", &json!({ "email": email, "display_name": "Someone" })))
    })
    .await;
    assert_same_time("sign-up", known, unknown);

    let (known, unknown) = compare(|existing, round| {
        let email = if existing { "known@example.org".to_string() } else { format!("nobody{round}@example.org") };
        timed(app.post_json("/api/v1/auth/magic-link", &json!({ "email": email })))
    })
    .await;
    assert_same_time("sign-in link request", known, unknown);

    // The owner of the existing address was told, and offered a link that signs in.
    let told = app.smtp.wait_for(MAIL_WAIT, |m| m.is_to("known@example.org") && m.subject.contains("You already have an account")).await;
    assert!(told.text.contains("tried to sign up"), "{}", told.text);
    let link = told.first_link_containing("/login/magic").expect("the email offers a sign-in link");
    assert_eq!(consume(&app, &token_from_link(&link)).await["account"]["email"], "known@example.org");
    // The new addresses got their sign-up emails; the addresses without accounts that asked
    // for a link got nothing.
    app.smtp.wait_for_to(&format!("new{}@example.org", WARM_UP + ROUNDS - 1), MAIL_WAIT).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(app.smtp.messages().iter().all(|m| !m.to.iter().any(|t| t.starts_with("nobody"))));
}

#[tokio::test]
async fn password_sign_in_does_not_tell_an_unconfirmed_address_from_a_wrong_password() {
    let app = TestApp::spawn().await;
    let login = |email: &str, password: &str| app.post_json("/api/v1/auth/login", &json!({ "email": email, "password": password })).send();
    // Signed up with a password, the link not followed yet.
    let res = app.post_json("/api/v1/auth/signup", &json!({ "email": "pending@example.org", "display_name": "P", "password": "pending passphrase" })).send().await.unwrap();
    assert_eq!(res.status(), 202);
    // The account exists once its welcome email is out (the job queue makes it).
    app.smtp.wait_for_to("pending@example.org", MAIL_WAIT).await;
    let confirmed = sign_up(&app, "confirmed@example.org", "C").await;
    let token = confirmed["access_token"].as_str().unwrap();
    let res = app.client.put(app.url("/api/v1/me/password")).bearer_auth(token).json(&json!({ "new_password": "confirmed passphrase" })).send().await.unwrap();
    assert_eq!(res.status(), 204);

    let mut answers = Vec::new();
    for (email, password) in [("pending@example.org", "pending passphrase"), ("confirmed@example.org", "a wrong passphrase"), ("nobody@example.org", "any passphrase at all")] {
        let res = login(email, password).await.unwrap();
        let status = res.status().as_u16();
        let p: Value = problem(res).await;
        answers.push((status, p));
    }
    assert_eq!(answers[0].0, 401);
    assert_eq!(answers[0], answers[1], "unconfirmed and wrong password");
    assert_eq!(answers[1], answers[2], "wrong password and no account");
}

#[tokio::test]
async fn a_password_set_by_whoever_signed_an_address_up_first_does_not_survive_its_owner_confirming_it() {
    let app = TestApp::spawn().await;
    // Someone signs up the victim's address with a password of their own...
    let res = app.post_json("/api/v1/auth/signup", &json!({ "email": "victim@example.org", "display_name": "Not the victim", "password": "the attacker's passphrase" })).send().await.unwrap();
    assert_eq!(res.status(), 202);
    app.smtp.wait_for_to("victim@example.org", MAIL_WAIT).await;
    // ...the victim later asks for a sign-in link and follows it, which confirms the address.
    let res = app.post_json("/api/v1/auth/magic-link", &json!({ "email": "victim@example.org" })).send().await.unwrap();
    assert_eq!(res.status(), 202);
    let mail = app.smtp.wait_for(MAIL_WAIT, |m| m.is_to("victim@example.org") && m.text.contains("Use this link to sign in")).await;
    let pair = consume(&app, &token_from_link(&mail.first_link_containing("/login/magic").unwrap())).await;
    assert_eq!(pair["account"]["email_verified"], true);
    assert_eq!(pair["account"]["has_password"], false, "the password set before confirmation is gone");
    let res = app.post_json("/api/v1/auth/login", &json!({ "email": "victim@example.org", "password": "the attacker's passphrase" })).send().await.unwrap();
    assert_eq!(res.status(), 401);
}
