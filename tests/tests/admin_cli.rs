//! `convene admin create` end to end: the real CLI, the real SMTP sink, the real link.

use convene_e2e::flows::{self, MAIL_WAIT, consume, token_from_link};
use convene_e2e::TestApp;

#[tokio::test]
async fn admin_create_prints_and_emails_a_one_time_link_that_signs_in_an_admin() {
    let app = TestApp::spawn().await;
    let out = app.cli(&["admin", "create", "--email", "Chief@Example.org"]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Created instance administrator chief@example.org"), "{stdout}");
    let printed = stdout.lines().find(|l| l.contains("/login/magic?token=")).expect("a link is printed").trim().to_string();

    // The email goes through the job queue with a link of its own, made when it is sent (its
    // token is never stored); the printed one is the operator's.
    let mail = app.smtp.wait_for_to("chief@example.org", MAIL_WAIT).await;
    assert!(mail.subject.contains("administrator"), "{}", mail.subject);
    let mailed = mail.first_link_containing("/login/magic").expect("the email has a link");
    assert_ne!(token_from_link(&mailed), token_from_link(&printed));

    for link in [&printed, &mailed] {
        let pair = consume(&app, &token_from_link(link)).await;
        let me = flows::me(&app, pair["access_token"].as_str().unwrap()).await;
        assert_eq!(me["is_admin"], true);
        assert_eq!(me["email_verified"], true);
    }

    // Running it again promotes the existing account instead of failing.
    let again = app.cli(&["admin", "create", "--email", "chief@example.org"]).await;
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("Promoted"));

    // A wrong email is a clear error and a non-zero exit.
    let bad = app.cli(&["admin", "create", "--email", "not-an-email"]).await;
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not an email address"));
}

#[tokio::test]
async fn help_is_there_for_every_command() {
    let app = TestApp::spawn().await;
    for args in [vec!["--help"], vec!["serve", "--help"], vec!["migrate", "--help"], vec!["admin", "create", "--help"], vec!["demo", "--help"]] {
        let out = app.cli(&args).await;
        assert!(out.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"), "{args:?}");
    }
    let out = app.cli(&["migrate", "--status"]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("applied  m20261123_000001_accounts"), "{stdout}");
    assert!(!stdout.contains("pending"), "{stdout}");
}

#[tokio::test]
async fn wrong_settings_stop_with_a_message_naming_the_setting() {
    let app = TestApp::spawn().await;
    let cases: [(&str, &str, &str); 8] = [
        ("CONVENE_LIMITS__SIGNUP_PER_EMAIL", "lots", "limits.signup_per_email"),
        ("CONVENE_LIMITS__PASSWORD_PER_CLIENT", "0/1m", "limits.password_per_client"),
        ("CONVENE_HTTP__TRUSTED_PROXIES", "10.0.0.0/8, 10.0.0.0/33", "http.trusted_proxies[1]"),
        ("CONVENE_BIND", "not-an-address", "bind"),
        ("CONVENE_PUBLIC_URL", "ftp://x", "public_url"),
        ("CONVENE_INSTANCE__DEFAULT_LANGUAGE", "de", "instance.default_language"),
        ("CONVENE_MAIL__SMTP__TLS", "sometimes", "mail.smtp.tls"),
        ("CONVENE_JWT_SECRET", "short", "jwt_secret"),
    ];
    for (key, value, named) in cases {
        let out = app.cli_with_env(&["migrate", "--status"], &[(key, value)]).await;
        assert!(!out.status.success(), "{key}={value} should be refused");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("configuration: {named}")), "{key}: {stderr}");
    }
}
