//! Sign-up, sign-in by email link and password, sessions, refresh rotation, logout, and the
//! ways tokens and links can be wrong. Every email goes through the real SMTP sink.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use convene_e2e::flows::{self, MAIL_WAIT, consume, consume_raw, me_raw as me, sign_up, token_from_link};
use convene_e2e::{TestApp, problem};
use serde_json::{Value, json};

#[tokio::test]
async fn sign_up_by_email_link_verifies_the_address_and_signs_in() {
    let app = TestApp::spawn().await;
    let pair = sign_up(&app, "ana@example.org", "Ana Pérez").await;
    assert_eq!(pair["token_type"], "Bearer");
    assert_eq!(pair["account"]["email_verified"], true);
    let res = me(&app, pair["access_token"].as_str().unwrap()).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["display_name"], "Ana Pérez");
    assert_eq!(body["is_admin"], false);

    // The link lands on a page with a button, not an automatic sign-in (mail scanners).
    let mail = app.smtp.messages().into_iter().find(|m| m.to.iter().any(|t| t.contains("ana@example.org"))).unwrap();
    assert!(mail.subject.contains("sign-in link"), "subject: {}", mail.subject);
    let link = mail.first_link_containing("/login/magic").unwrap();
    let page = app.client.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<form method=\"post\" action=\"/login/magic\">"));
}

#[tokio::test]
async fn a_sign_in_link_works_once() {
    let app = TestApp::spawn().await;
    sign_up(&app, "once@example.org", "Once").await;
    let link = app.smtp.wait_for_to("once@example.org", MAIL_WAIT).await.first_link_containing("/login/magic").unwrap();
    let res = consume_raw(&app, &token_from_link(&link)).await;
    assert_eq!(res.status(), 410);
    let p = problem(res).await;
    assert!(p["detail"].as_str().unwrap().contains("already been used"));

    let res = consume_raw(&app, "not-a-real-token").await;
    assert_eq!(res.status(), 400);
    assert_eq!(problem(res).await["errors"][0]["field"], "token");
}

#[tokio::test]
async fn an_expired_sign_in_link_is_refused() {
    let app = TestApp::spawn().await;
    let link = flows::signup_link(&app, "late@example.org", "Late").await;
    // Age the link in the database, as time would.
    let db = sea_orm::Database::connect(app.db.url()).await.unwrap();
    use sea_orm::ConnectionTrait;
    db.execute_unprepared("UPDATE magic_links SET expires_at = '2001-01-01 00:00:00+00:00'").await.unwrap();
    let res = consume_raw(&app, &token_from_link(&link)).await;
    assert_eq!(res.status(), 410);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn a_duplicate_sign_up_is_answered_like_a_new_one_and_bad_input_is_4xx_naming_the_field() {
    let app = TestApp::spawn().await;
    sign_up(&app, "dup@example.org", "Dup").await;
    let post = |body: Value| app.client.post(app.url("/api/v1/auth/signup")).json(&body).send();

    // The address has an account: same answer as for a new one, and its owner is told by email.
    let res = post(json!({ "email": "DUP@example.org ", "display_name": "Other", "password": "the other person's pass" })).await.unwrap();
    assert_eq!(res.status(), 202);
    let again: Value = res.json().await.unwrap();
    let res = post(json!({ "email": "fresh@example.org", "display_name": "Fresh" })).await.unwrap();
    assert_eq!(res.status(), 202);
    assert_eq!(again, res.json::<Value>().await.unwrap());
    // Accounts are made by the job queue: the emails show the work is done.
    app.smtp.wait_for_to("fresh@example.org", MAIL_WAIT).await;
    let told = app.smtp.wait_for(MAIL_WAIT, |m| m.is_to("dup@example.org") && m.subject.contains("already have an account")).await;
    assert!(told.text.contains("no new one was made"), "{}", told.text);
    // The password given in the duplicate sign-up was not set on the existing account.
    let res = app.post_json("/api/v1/auth/login", &json!({ "email": "dup@example.org", "password": "the other person's pass" })).send().await.unwrap();
    assert_eq!(res.status(), 401);

    let cases = [
        (json!({ "email": "nope", "display_name": "X" }), 422, "email"),
        (json!({ "email": "a@example.org", "display_name": "" }), 422, "display_name"),
        (json!({ "email": "a@example.org", "display_name": "x".repeat(101) }), 422, "display_name"),
        (json!({ "email": "a@example.org", "display_name": "X", "locale": "de" }), 422, "locale"),
        (json!({ "email": "a@example.org", "display_name": "X", "password": "short" }), 422, "password"),
        (json!({ "email": "a@example.org", "display_name": "X", "admin": true }), 400, "admin"),
        (json!({ "email": 42, "display_name": "X" }), 400, "email"),
        (json!({ "display_name": "X" }), 400, "body"),
    ];
    for (body, status, field) in cases {
        let res = post(body.clone()).await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{body}");
        let p = problem(res).await;
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&field), "{body}: expected field {field} in {p}");
    }
    // Not JSON at all, and the wrong content type.
    let res = app.client.post(app.url("/api/v1/auth/signup")).header("content-type", "application/json").body("{oops").send().await.unwrap();
    assert_eq!(res.status(), 400);
    let res = app.client.post(app.url("/api/v1/auth/signup")).header("content-type", "text/plain").body("{}").send().await.unwrap();
    assert_eq!(res.status(), 415);
    problem(res).await;

    // Nothing was stored by the rejected requests: only the first account exists.
    let admin = flows::admin_token(&app, "root@example.org").await;
    let list: Value = app.client.get(app.url("/api/v1/admin/accounts")).bearer_auth(&admin).send().await.unwrap().json().await.unwrap();
    let emails: Vec<&str> = list["items"].as_array().unwrap().iter().map(|a| a["email"].as_str().unwrap()).collect();
    assert_eq!(emails.len(), 3, "{emails:?}");
    assert!(emails.contains(&"dup@example.org") && emails.contains(&"fresh@example.org"), "{emails:?}");
}

#[tokio::test]
async fn asking_for_a_link_does_not_reveal_accounts() {
    let app = TestApp::spawn().await;
    sign_up(&app, "known@example.org", "Known").await;
    let before = app.smtp.messages().len();
    for email in ["known@example.org", "unknown@example.org"] {
        let res = app.client.post(app.url("/api/v1/auth/magic-link")).json(&json!({ "email": email })).send().await.unwrap();
        assert_eq!(res.status(), 202);
    }
    let mails = app.smtp.wait_for_count(before + 1, MAIL_WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.smtp.messages().len(), before + 1, "only the known address gets mail");
    assert!(mails.last().unwrap().to.iter().any(|t| t.contains("known@example.org")));
}

/// Builds a JWT by hand with the given header and claims, signed with `secret` (HS256) or
/// unsigned.
fn forge(header: Value, claims: Value, secret: Option<&[u8]>) -> String {
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    let c = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{h}.{c}");
    let sig = match secret {
        None => String::new(),
        Some(key) => {
            use hmac::{Hmac, Mac};
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
            mac.update(signing_input.as_bytes());
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        }
    };
    format!("{signing_input}.{sig}")
}

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn tampered_expired_and_alg_none_tokens_are_refused() {
    const SECRET: &str = "e2e-secret-0123456789abcdef0123456789abcdef";
    let app = TestApp::builder().env("CONVENE_JWT_SECRET", SECRET).spawn().await;
    let pair = sign_up(&app, "tok@example.org", "Tok").await;
    let access = pair["access_token"].as_str().unwrap();
    assert_eq!(me(&app, access).await.status(), 200);
    let claims = claims_of(access);

    // Flip the subject but keep the signature: the signature no longer matches.
    let mut parts: Vec<String> = access.split('.').map(String::from).collect();
    let mut forged_claims = claims.clone();
    forged_claims["sub"] = json!(uuid::Uuid::new_v4());
    parts[1] = URL_SAFE_NO_PAD.encode(forged_claims.to_string());
    let tampered = parts.join(".");

    let expired = {
        let mut c = claims.clone();
        c["iat"] = json!(1_000_000_000);
        c["exp"] = json!(1_000_000_600);
        forge(json!({ "alg": "HS256", "typ": "JWT" }), c, Some(SECRET.as_bytes()))
    };
    let alg_none = forge(json!({ "alg": "none", "typ": "JWT" }), claims.clone(), None);
    let wrong_key = forge(json!({ "alg": "HS256", "typ": "JWT" }), claims.clone(), Some(b"another-secret-another-secret-another"));
    let refresh_as_access = pair["refresh_token"].as_str().unwrap().to_string();

    for (name, token, needle) in [
        ("tampered", tampered, "signature"),
        ("expired", expired, "expired"),
        ("alg none", alg_none, "not valid"),
        ("wrong key", wrong_key, "signature"),
        ("refresh token used as access token", refresh_as_access, "not valid"),
        ("garbage", "abc.def".to_string(), "not valid"),
    ] {
        let res = me(&app, &token).await;
        assert_eq!(res.status(), 401, "{name}");
        assert!(res.headers().get("www-authenticate").is_some(), "{name}");
        let p = problem(res).await;
        assert!(p["detail"].as_str().unwrap().contains(needle), "{name}: {p}");
    }
    let res = app.client.get(app.url("/api/v1/me")).header("authorization", "Basic Zm9vOmJhcg==").send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn refresh_rotates_and_reuse_ends_the_session() {
    let app = TestApp::spawn().await;
    let pair = sign_up(&app, "rot@example.org", "Rot").await;
    let first_refresh = pair["refresh_token"].as_str().unwrap();
    let refresh = |t: String| app.client.post(app.url("/api/v1/auth/refresh")).json(&json!({ "refresh_token": t })).send();

    let res = refresh(first_refresh.to_string()).await.unwrap();
    assert_eq!(res.status(), 200);
    let second: Value = res.json().await.unwrap();
    let second_access = second["access_token"].as_str().unwrap().to_string();
    assert_ne!(second["refresh_token"], pair["refresh_token"]);
    assert_eq!(me(&app, &second_access).await.status(), 200);

    // The first refresh token again: someone copied it. The whole session ends.
    let res = refresh(first_refresh.to_string()).await.unwrap();
    assert_eq!(res.status(), 401);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("already used"));
    assert_eq!(me(&app, &second_access).await.status(), 401, "the session was revoked");
    let res = refresh(second["refresh_token"].as_str().unwrap().to_string()).await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn logout_revokes_at_once_and_everywhere_ends_all_sessions() {
    let app = TestApp::spawn().await;
    let a = sign_up(&app, "out@example.org", "Out").await;
    // A second session for the same account, by another link.
    app.client.post(app.url("/api/v1/auth/magic-link")).json(&json!({ "email": "out@example.org" })).send().await.unwrap();
    let mails = app.smtp.wait_for_count(2, MAIL_WAIT).await;
    let b = consume(&app, &token_from_link(&mails[1].first_link_containing("/login/magic").unwrap())).await;
    let (ta, tb) = (a["access_token"].as_str().unwrap(), b["access_token"].as_str().unwrap());

    let res = app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(ta).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(me(&app, ta).await.status(), 401);
    assert_eq!(me(&app, tb).await.status(), 200, "the other session lives on");

    let res = app.client.post(app.url("/api/v1/auth/logout?everywhere=true")).bearer_auth(tb).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(me(&app, tb).await.status(), 401);
}

#[tokio::test]
async fn password_sign_in() {
    let app = TestApp::spawn().await;
    let pair = sign_up(&app, "pw@example.org", "Pw").await;
    let token = pair["access_token"].as_str().unwrap();
    let set = |body: Value| app.client.put(app.url("/api/v1/me/password")).bearer_auth(token).json(&body).send();
    assert_eq!(set(json!({ "new_password": "short" })).await.unwrap().status(), 422);
    assert_eq!(set(json!({ "new_password": "a long enough passphrase" })).await.unwrap().status(), 204);
    // Changing it needs the current one.
    let res = set(json!({ "new_password": "another long passphrase" })).await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(problem(res).await["errors"][0]["field"], "current_password");

    let login = |pw: &str| app.client.post(app.url("/api/v1/auth/login")).json(&json!({ "email": "PW@example.org", "password": pw })).send();
    let res = login("a long enough passphrase").await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(me(&app, body["access_token"].as_str().unwrap()).await.status(), 200);
    let res = login("wrong passphrase here").await.unwrap();
    assert_eq!(res.status(), 401);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("wrong"));
    let res = app.client.post(app.url("/api/v1/auth/login")).json(&json!({ "email": "nobody@example.org", "password": "whatever it is" })).send().await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn the_page_sign_in_sets_http_only_cookies() {
    let app = TestApp::spawn().await;
    let link = flows::signup_link(&app, "page@example.org", "Page").await;
    let res = app
        .client
        .post(app.url("/login/magic"))
        .form(&[("token", token_from_link(&link))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let cookies: Vec<String> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    // The two session cookies (and the pages' form-token cookie, this browser's first).
    for name in ["convene_access=", "convene_refresh="] {
        assert_eq!(cookies.iter().filter(|c| c.starts_with(name)).count(), 1, "{name} in {cookies:?}");
    }
    for c in &cookies {
        assert!(c.contains("HttpOnly"), "{c}");
        assert!(c.contains("SameSite=Lax"), "{c}");
    }
    // The cookie signs in page-style GETs.
    let res = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(res.status(), 200);

    // A cross-site POST carries the cookie but it does not count (CSRF); a near-miss origin
    // neither; a same-origin POST does.
    let origin = app.base_url.trim_end_matches('/').to_string();
    for (from, status) in [("http://evil.example", 401), (&origin[..origin.len() - 1], 401), (origin.as_str(), 204)] {
        let res = app.client.post(app.url("/api/v1/auth/logout")).header("origin", from).send().await.unwrap();
        assert_eq!(res.status().as_u16(), status, "origin {from}");
    }
    let res = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(res.status(), 401, "the same-origin logout ended the session");
}
