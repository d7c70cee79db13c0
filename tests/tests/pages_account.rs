//! The account pages (issue 12) as a browser uses them, over HTTP with cookies: signing up
//! and following the emailed link (whose page signs in only when its button is pressed),
//! signing in with a password, signing out here and everywhere, the account page (name,
//! language, emails, password), "My input" with the organisers' response, the unsubscribe
//! page, and the form posts another site may not make.

use std::sync::Arc;

use convene_e2e::flows::{MAIL_WAIT, add_activity, admin_token, component_path, contribute, published_process, send_component, token_from_link};
use convene_e2e::{TestApp, expect_json};
use reqwest::StatusCode;
use reqwest::cookie::CookieStore;
use reqwest::header::{LOCATION, SET_COOKIE};
use serde_json::{Value, json};

/// A browser of its own: a cookie jar, no redirects followed (the tests look at them).
fn browser() -> reqwest::Client {
    browser_with(Arc::new(reqwest::cookie::Jar::default()))
}

fn browser_with(jar: Arc<reqwest::cookie::Jar>) -> reqwest::Client {
    reqwest::Client::builder().cookie_provider(jar).redirect(reqwest::redirect::Policy::none()).no_proxy().build().unwrap()
}

/// A page as HTML, asserting its status.
async fn page(app: &TestApp, client: &reqwest::Client, path: &str, status: u16) -> String {
    let res = client.get(app.url(path)).send().await.unwrap();
    let got = res.status().as_u16();
    let html = res.text().await.unwrap();
    assert_eq!(got, status, "GET {path}: {html}");
    html
}

/// The value of the first hidden field `name` of a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no field {name} in {html}")) + marker.len();
    html[at..].split('"').next().unwrap().replace("&#x2f;", "/").replace("&#47;", "/").replace("&amp;", "&")
}

/// Posts a form as our own page does (with the page's form token), whatever the outcome.
async fn post_form(app: &TestApp, client: &reqwest::Client, path: &str, csrf: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf)];
    form.extend_from_slice(fields);
    client.post(app.url(path)).form(&form).send().await.unwrap()
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get(LOCATION).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

fn set_cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

/// The value a response sets for cookie `name`, if it sets one.
fn cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    set_cookies(res).iter().find_map(|c| c.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap().to_string()))
}

/// Signs `client` in with the link of the latest email to `email` through the landing page.
async fn sign_in_with_link(app: &TestApp, client: &reqwest::Client, link: &str) -> reqwest::Response {
    let html = page(app, client, link, 200).await;
    let (csrf, token) = (hidden(&html, "csrf"), hidden(&html, "token"));
    post_form(app, client, "/login/magic", &csrf, &[("token", &token)]).await
}

/// An account made through the API with a password, its address confirmed; its access token.
async fn account_with_password(app: &TestApp, email: &str, name: &str, password: &str) -> String {
    let res = app.post_json("/api/v1/auth/signup", &json!({ "email": email, "display_name": name, "password": password })).send().await.unwrap();
    assert_eq!(res.status(), 202);
    let link = app.smtp.wait_for_to(email, MAIL_WAIT).await.first_link_containing("/login/magic").unwrap();
    let pair = expect_json(app.post_json("/api/v1/auth/magic-link/consume", &json!({ "token": token_from_link(&link) })).send().await.unwrap(), 200).await;
    pair["access_token"].as_str().unwrap().to_string()
}

/// Signs `client` in with a password through the sign-in page; the response to the post.
async fn sign_in_with_password(app: &TestApp, client: &reqwest::Client, email: &str, password: &str, next: Option<&str>) -> reqwest::Response {
    let path = match next {
        Some(n) => format!("/signin?next={}", urlencode(n)),
        None => "/signin".to_string(),
    };
    let html = page(app, client, &path, 200).await;
    let next_value = hidden(&html, "next");
    post_form(app, client, "/signin/password", &hidden(&html, "csrf"), &[("email", email), ("password", password), ("next", &next_value)]).await
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn signing_up_through_the_pages_signs_in_only_when_the_emailed_links_button_is_pressed() {
    let app = TestApp::spawn().await;
    let ana = browser();
    let html = page(&app, &ana, "/signup", 200).await;
    assert!(html.contains("<h1>Create an account</h1>") && html.contains("for=\"display_name\""), "{html}");
    let res = post_form(&app, &ana, "/signup", &hidden(&html, "csrf"), &[("email", "Ana@Example.org"), ("display_name", "Ana Pérez"), ("password", "")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/signup/sent");
    let sent = page(&app, &ana, "/signup/sent", 200).await;
    assert!(sent.contains("Check your email"), "{sent}");

    // Signing up again with the same address looks the same: the email tells its owner.
    let other = browser();
    let html = page(&app, &other, "/signup", 200).await;
    let again = post_form(&app, &other, "/signup", &hidden(&html, "csrf"), &[("email", "ana@example.org"), ("display_name", "Not Ana"), ("password", "")]).await;
    assert_eq!((again.status(), location(&again)), (StatusCode::SEE_OTHER, "/signup/sent".to_string()));

    // A mistake is shown beside its field, with what was typed kept.
    let res = post_form(&app, &other, "/signup", &hidden(&html, "csrf"), &[("email", "not an address"), ("display_name", "Bea"), ("password", "short")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Error: Create an account"), "{html}");
    assert!(html.contains("class=\"error-summary\"") && html.contains("href=\"#email\"") && html.contains("href=\"#password\""), "{html}");
    assert!(html.contains("value=\"not an address\"") && html.contains("value=\"Bea\""), "{html}");
    assert!(html.contains("aria-describedby=\"email-hint email-error\" aria-invalid=\"true\""), "{html}");

    // The link lands on a page with one button; opening it (as a mail scanner does) signs
    // nobody in and uses nothing up.
    let welcome = app.smtp.wait_for(MAIL_WAIT, |m| m.is_to("ana@example.org") && m.text.contains("Welcome")).await;
    let link = welcome.first_link_containing("/login/magic").unwrap();
    let scanner = browser();
    let res = scanner.get(&link).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(set_cookies(&res).iter().all(|c| !c.starts_with("convene_access")), "{:?}", set_cookies(&res));
    let html = res.text().await.unwrap();
    assert!(html.contains("<form method=\"post\" action=\"/login/magic\">") && html.contains("name=\"csrf\""), "{html}");
    let res = scanner.get(app.url("/me/input")).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/signin?next=%2Fme%2Finput".to_string()));

    // The button signs in: HttpOnly cookies, then "My input" (no `next` given).
    let res = sign_in_with_link(&app, &ana, &link).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/me/input");
    let cookies = set_cookies(&res);
    for name in ["convene_access=", "convene_refresh="] {
        let c = cookies.iter().find(|c| c.starts_with(name)).unwrap_or_else(|| panic!("{name} in {cookies:?}"));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax"), "{c}");
    }
    let mine = page(&app, &ana, "/me/input", 200).await;
    assert!(mine.contains("Signed in as <bdi>Ana Pérez</bdi>"), "{mine}");
    assert!(mine.contains("You have not contributed anything yet.") && mine.contains("href=\"/\""), "the empty state says how to take part: {mine}");

    // Used once, the link says so.
    let res = sign_in_with_link(&app, &browser(), &link).await;
    assert_eq!(res.status(), 410);
    assert!(res.text().await.unwrap().contains("This sign-in link does not work"));

    // The other email's link: refused when the browser says another site posts it (another
    // site could sign a visitor into its own account); posted with nothing but the token, by
    // a browser that has no cookie of ours and says nothing, it works.
    let told = app.smtp.wait_for(MAIL_WAIT, |m| m.is_to("ana@example.org") && m.subject.contains("already have an account")).await;
    let token = token_from_link(&told.first_link_containing("/login/magic").unwrap());
    let res = browser().post(app.url("/login/magic")).header("sec-fetch-site", "cross-site").form(&[("token", &token)]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let bare = browser();
    let res = bare.post(app.url("/login/magic")).form(&[("token", token.as_str()), ("next", "/account")]).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/account".to_string()));
    assert!(page(&app, &bare, "/account", 200).await.contains("ana@example.org"));
}

#[tokio::test]
async fn signing_in_with_a_password_goes_on_to_next_and_a_wrong_one_is_shown_in_the_form() {
    let app = TestApp::builder().env("CONVENE_LIMITS__SIGN_IN_LINK_PER_CLIENT", "2/1h").spawn().await;
    account_with_password(&app, "pw@example.org", "Pat Weber", "a long enough passphrase").await;

    let pat = browser();
    let res = sign_in_with_password(&app, &pat, "pw@example.org", "wrong passphrase here", Some("/processes/x")).await;
    assert_eq!(res.status(), 422);
    let wrong = res.text().await.unwrap();
    assert!(wrong.contains("<title>Error: Sign in"), "{wrong}");
    assert!(wrong.contains("class=\"error-summary\"") && wrong.contains("<a href=\"#password\">"), "{wrong}");
    assert!(wrong.contains("class=\"field field-error\"") && wrong.contains("id=\"password-error\""), "{wrong}");
    assert!(wrong.contains("value=\"pw@example.org\"") && wrong.contains("name=\"next\" value=\"/processes/x\""), "{wrong}");
    // An address without an account gets the very same words.
    let res = sign_in_with_password(&app, &browser(), "nobody@example.org", "wrong passphrase here", None).await;
    assert_eq!(res.status(), 422);
    let nobody = res.text().await.unwrap();
    let message = |html: &str| html.split("id=\"password-error\">").nth(1).unwrap().split("</span>").nth(1).unwrap().to_string();
    assert_eq!(message(&wrong), message(&nobody));
    assert!(pat.get(app.url("/me/input")).send().await.unwrap().status() == 303, "not signed in");

    // The right password: cookies, then the page that asked for the sign-in.
    let res = sign_in_with_password(&app, &pat, "pw@example.org", "a long enough passphrase", Some("/processes/x")).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/processes/x".to_string()));
    assert!(cookie_value(&res, "convene_access").is_some());
    assert!(page(&app, &pat, "/account", 200).await.contains("Pat Weber"));
    // Never to another site.
    let res = sign_in_with_password(&app, &browser(), "pw@example.org", "a long enough passphrase", Some("https://evil.example/")).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/me/input".to_string()));

    // Asking for a link: the same page whether or not the address has an account, and a
    // page that says to wait once the limit is reached.
    let asker = browser();
    for email in ["pw@example.org", "nobody@example.org"] {
        let html = page(&app, &asker, "/signin", 200).await;
        let res = post_form(&app, &asker, "/signin/link", &hidden(&html, "csrf"), &[("link-email", email), ("next", "")]).await;
        assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/signin/sent".to_string()), "{email}");
    }
    assert!(page(&app, &asker, "/signin/sent", 200).await.contains("Check your email"));
    let html = page(&app, &asker, "/signin", 200).await;
    let res = post_form(&app, &asker, "/signin/link", &hidden(&html, "csrf"), &[("link-email", "pw@example.org")]).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_some());
    assert!(res.text().await.unwrap().contains("Too many attempts"));
}

#[tokio::test]
async fn signing_out_ends_this_session_and_signing_out_everywhere_ends_the_others() {
    let app = TestApp::spawn().await;
    account_with_password(&app, "so@example.org", "Sol Ortiz", "a long enough passphrase").await;
    let [here, phone, laptop] = [browser(), browser(), browser()];
    for b in [&here, &phone, &laptop] {
        assert_eq!(sign_in_with_password(&app, b, "so@example.org", "a long enough passphrase", None).await.status(), 303);
    }

    // This device: the account page's button.
    let html = page(&app, &here, "/account", 200).await;
    assert!(html.contains("action=\"/signout\"") && html.contains("action=\"/signout/everywhere\""), "{html}");
    let res = post_form(&app, &here, "/signout", &hidden(&html, "csrf"), &[]).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/signout".to_string()));
    assert!(page(&app, &here, "/signout", 200).await.contains("You are signed out"));
    let res = here.get(app.url("/me/input")).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/signin?next=%2Fme%2Finput".to_string()));
    page(&app, &phone, "/me/input", 200).await;

    // Everywhere: the laptop's session ends too.
    let html = page(&app, &phone, "/account", 200).await;
    let res = post_form(&app, &phone, "/signout/everywhere", &hidden(&html, "csrf"), &[]).await;
    assert_eq!(res.status(), 303);
    for b in [&phone, &laptop] {
        let res = b.get(app.url("/me/input")).send().await.unwrap();
        assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/signin?next=%2Fme%2Finput".to_string()));
    }
}

#[tokio::test]
async fn the_account_page_saves_the_name_language_emails_and_password_and_refuses_cross_site_posts() {
    let app = TestApp::spawn().await;
    let token = account_with_password(&app, "al@example.org", "Al Lopez", "a long enough passphrase").await;
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let al = browser_with(jar.clone());
    assert_eq!(sign_in_with_password(&app, &al, "al@example.org", "a long enough passphrase", None).await.status(), 303);
    let html = page(&app, &al, "/account", 200).await;
    assert!(html.contains("<h1>Your account</h1>") && html.contains("al@example.org") && html.contains("value=\"Al Lopez\""), "{html}");
    assert!(html.contains("<option value=\"es\" lang=\"es\">Español</option>"), "{html}");
    let csrf = hidden(&html, "csrf");

    // Another site's post, and a post with neither the headers nor the form token: refused.
    let res = al.post(app.url("/account")).header("sec-fetch-site", "cross-site").form(&[("csrf", csrf.as_str()), ("display_name", "Hacked"), ("locale", "en")]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = al.post(app.url("/account")).form(&[("display_name", "Hacked"), ("locale", "en")]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = al.post(app.url("/account")).header("origin", "https://evil.example").form(&[("csrf", csrf.as_str()), ("display_name", "Hacked"), ("locale", "en")]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let me = expect_json(app.get("/api/v1/me").bearer_auth(&token).send().await.unwrap(), 200).await;
    assert_eq!(me["display_name"], "Al Lopez");

    // A name left empty is shown in the form.
    let res = post_form(&app, &al, "/account", &csrf, &[("display_name", " "), ("locale", "en")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("<a href=\"#display_name\">Enter your name</a>"), "{html}");

    // Name and language: saved, and the language cookie set as the switcher does.
    let res = post_form(&app, &al, "/account", &csrf, &[("display_name", "Alma López"), ("locale", "es")]).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/account?saved=details".to_string()));
    assert_eq!(cookie_value(&res, "lang").as_deref(), Some("es"));
    let saved = page(&app, &al, "/account?saved=details", 200).await;
    assert!(saved.contains("<html lang=\"es\"") && saved.contains("Se han guardado tu nombre y tu idioma."), "{saved}");
    // The account's language holds without the cookie, over the browser's.
    let access = jar.cookies(&reqwest::Url::parse(&app.base_url).unwrap()).unwrap();
    let access = access.to_str().unwrap().split("; ").filter(|c| c.starts_with("convene_")).collect::<Vec<_>>().join("; ");
    assert!(!access.contains("lang="));
    let res = browser().get(app.url("/me/input")).header("cookie", access).header("accept-language", "en").send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<h1>Mis aportaciones</h1>") && html.contains("Sesión iniciada como <bdi>Alma López</bdi>"), "{html}");

    // Emails from activities: off, then on again.
    let emails = |on: bool| {
        let (app, al, csrf) = (&app, &al, csrf.clone());
        async move {
            let fields: &[(&str, &str)] = if on { &[("activity_notifications", "on")] } else { &[] };
            let res = post_form(app, al, "/account/emails", &csrf, fields).await;
            assert_eq!(res.status(), 303);
        }
    };
    let setting = |app: &TestApp| {
        let req = app.get("/api/v1/me/notifications").bearer_auth(&token);
        async move { expect_json(req.send().await.unwrap(), 200).await["activity_notifications"].as_bool().unwrap() }
    };
    emails(false).await;
    assert!(!setting(&app).await);
    assert!(!page(&app, &al, "/account", 200).await.contains("name=\"activity_notifications\" value=\"on\" checked"));
    emails(true).await;
    assert!(setting(&app).await);
    assert!(page(&app, &al, "/account", 200).await.contains("name=\"activity_notifications\" value=\"on\" checked"));

    // The password: the current one is asked for, then the new one works.
    let res = post_form(&app, &al, "/account/password", &csrf, &[("current_password", "not it at all"), ("new_password", "another long passphrase")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("href=\"#current_password\""));
    let res = post_form(&app, &al, "/account/password", &csrf, &[("current_password", "a long enough passphrase"), ("new_password", "short")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("href=\"#new_password\""));
    let res = post_form(&app, &al, "/account/password", &csrf, &[("current_password", "a long enough passphrase"), ("new_password", "another long passphrase")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(sign_in_with_password(&app, &browser(), "al@example.org", "another long passphrase", None).await.status(), 303);

    // The settings link of activity emails leads here.
    let res = al.get(app.url("/me/notifications")).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/account#emails-heading".to_string()));
}

fn poll_activity() -> Value {
    json!({ "type": "org.convene.consultation", "title": { "en": "Where should public AI help first?", "es": "¿Dónde debe ayudar primero la IA pública?" },
        "config": { "questions": [
            { "id": "priority", "type": "single_choice", "required": true, "text": { "en": "Priority?" },
              "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "transport", "label": { "en": "Transport" } } ] },
            { "id": "why", "type": "free_text", "required": false, "text": { "en": "Why?" } } ] } })
}

#[tokio::test]
async fn my_input_shows_each_contribution_where_it_stands_and_the_organisers_response() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;
    let activity = add_activity(&app, &admin, "national-ai", &poll_activity()).await;
    let activity_id = activity["id"].as_str().unwrap();
    let rosa_token = account_with_password(&app, "rosa@example.org", "Rosa", "a long enough passphrase").await;
    let other = account_with_password(&app, "other@example.org", "Other", "a long enough passphrase").await;
    let answer = |why: &str| json!({ "kind": "response", "body": { "answers": { "priority": "health", "why": why } } });
    let mine = expect_json(contribute(&app, &rosa_token, activity_id, &answer("Waiting lists are far too long")).await, 201).await;
    expect_json(contribute(&app, &other, activity_id, &answer("Someone else's secret words")).await, 201).await;

    let rosa = browser();
    sign_in_with_password(&app, &rosa, "rosa@example.org", "a long enough passphrase", None).await;
    let html = page(&app, &rosa, "/me/input", 200).await;
    assert!(html.contains("<a href=\"/processes/national-ai\" lang=\"en\" dir=\"ltr\">National AI Strategy 2027</a>"), "{html}");
    assert!(html.contains(&format!("<a href=\"/activities/{activity_id}\" lang=\"en\" dir=\"ltr\">Where should public AI help first?</a>")), "{html}");
    assert!(html.contains("Waiting lists are far too long") && html.contains("Online") && html.contains("Published"), "{html}");
    assert!(html.contains("Awaiting a response from the organisers."), "{html}");
    assert!(!html.contains("Someone else"), "nobody else's input: {html}");

    // The organisers publish an outcome and respond, through the API.
    let outcome = json!({ "title": { "en": "What we decided" }, "sections": [
        { "id": "health", "heading": { "en": "Health comes first" }, "body": { "en": "Waiting lists first." }, "cites": [mine["id"]] } ] });
    expect_json(app.post_json("/api/v1/processes/national-ai/outcomes", &outcome).bearer_auth(&admin).send().await.unwrap(), 201).await;
    let response = json!({ "contribution_ids": [mine["id"]], "disposition": "partly_adopted",
        "explanation": { "en": "We start with waiting lists; transport comes later.", "es": "Empezamos por las listas de espera." }, "outcome_refs": ["health"] });
    expect_json(app.post_json("/api/v1/processes/national-ai/responses", &response).bearer_auth(&admin).send().await.unwrap(), 201).await;

    let html = page(&app, &rosa, "/me/input", 200).await;
    assert!(html.contains("The organisers have responded.") && html.contains("Partly adopted"), "{html}");
    assert!(html.contains("We start with waiting lists; transport comes later."), "{html}");
    assert!(html.contains("Health comes first") && html.contains("href=\"/processes/national-ai#outcome-heading\""), "{html}");
    // In Spanish (the switcher sets the account's language), the disposition in Spanish and
    // the explanation's Spanish version.
    let res = post_form(&app, &rosa, "/lang", &hidden(&html, "csrf"), &[("lang", "es"), ("back", "/me/input")]).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/me/input".to_string()));
    let html = page(&app, &rosa, "/me/input", 200).await;
    assert!(html.contains("Adoptada en parte") && html.contains("<p lang=\"es\" dir=\"ltr\">Empezamos por las listas de espera.</p>"), "{html}");
    assert!(html.contains("¿Dónde debe ayudar primero la IA pública?"), "{html}");
}

#[tokio::test]
async fn the_unsubscribe_page_asks_first_and_a_mail_clients_one_click_post_needs_no_cookie() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    assert!(component_path("hostile").is_file());
    expect_json(send_component(&app, &admin, "hostile", reqwest::Method::POST, "/api/v1/admin/plugins").await, 201).await;
    published_process(&app, &admin, "messages").await;
    let body = json!({ "type": "test.hostile", "title": { "en": "Hostile: notify-all" }, "config": { "attack": "notify-all" } });
    let activity = add_activity(&app, &admin, "messages", &body).await["id"].as_str().unwrap().to_string();
    let ana = account_with_password(&app, "ana@example.org", "Ana", "a long enough passphrase").await;
    expect_json(contribute(&app, &ana, &activity, &json!({ "kind": "x", "body": {} })).await, 201).await;
    let mail = app.smtp.wait_for(MAIL_WAIT, |m| m.is_to("ana@example.org") && m.subject.contains("Hostile:")).await;
    let link = mail.first_link_containing("/unsubscribe?token=").unwrap();
    let setting = || {
        let req = app.get("/api/v1/me/notifications").bearer_auth(&ana);
        async move { expect_json(req.send().await.unwrap(), 200).await["activity_notifications"].as_bool().unwrap() }
    };

    // Opening the link changes nothing: a page with one button, in the reader's language.
    let html = page(&app, &browser(), &link, 200).await;
    assert!(html.contains("<h1>Stop emails from activities</h1>") && html.contains("<form method=\"post\" action=\"/unsubscribe?token="), "{html}");
    let res = browser().get(&link).header("accept-language", "fr").send().await.unwrap();
    assert!(res.text().await.unwrap().contains("Ne plus recevoir d’e-mails des activités"));
    assert!(setting().await);
    // A made-up token: a page that says the link does not work.
    let res = browser().post(app.url("/unsubscribe?token=AAAA")).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("This unsubscribe link does not work"));
    assert!(setting().await);

    // The RFC 8058 one-click POST, as a mail client sends it: no cookie, no form token.
    let client = reqwest::Client::builder().no_proxy().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = client.post(&link).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Emails from activities are stopped"));
    assert!(!setting().await);
}

#[tokio::test]
async fn the_data_can_be_downloaded_and_the_account_deleted_through_an_emailed_confirmation() {
    let app = TestApp::spawn().await;
    let token = account_with_password(&app, "dee@example.org", "Dee", "a long enough passphrase").await;
    let dee = browser();
    assert_eq!(sign_in_with_password(&app, &dee, "dee@example.org", "a long enough passphrase", None).await.status(), 303);
    let html = page(&app, &dee, "/account", 200).await;
    assert!(html.contains("href=\"/account/data\"") && html.contains("href=\"/account/delete\""), "{html}");

    // Download: a page that says what is in the file, and the file as an attachment.
    let html = page(&app, &dee, "/account/data", 200).await;
    assert!(html.contains("What is in the file") && html.contains("href=\"/account/data/download\""), "{html}");
    let res = dee.get(app.url("/account/data/download")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let disposition = res.headers().get("content-disposition").unwrap().to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment; filename=\"convene-my-data-") && disposition.ends_with(".json\""), "{disposition}");
    assert!(res.headers().get("content-type").unwrap().to_str().unwrap().starts_with("application/json"));
    let data: Value = res.json().await.unwrap();
    assert_eq!(data["format"], "convene-my-data/1");
    assert_eq!(data["account"]["email"], "dee@example.org");
    let res = browser().get(app.url("/account/data/download")).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/signin?next=%2Faccount%2Fdata%2Fdownload".to_string()));

    // Deleting: the page says what goes and what stays, its button emails a link.
    let html = page(&app, &dee, "/account/delete", 200).await;
    assert!(html.contains("What stays") && html.contains("<form method=\"post\" action=\"/account/delete\">"), "{html}");
    let res = post_form(&app, &dee, "/account/delete", &hidden(&html, "csrf"), &[]).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/account/delete/sent".to_string()));
    assert!(page(&app, &dee, "/account/delete/sent", 200).await.contains("Check your email"));
    let mail = app.smtp.wait_for(MAIL_WAIT, |m| m.is_to("dee@example.org") && m.subject.contains("deletion")).await;
    let link = mail.first_link_containing("/account/delete/confirm?token=").expect("a confirmation link");

    // Opening the link (on another device, say) deletes nothing: a page with one button.
    let phone = browser();
    let html = page(&app, &phone, &link, 200).await;
    assert!(html.contains("<form method=\"post\" action=\"/account/delete/confirm\">") && html.contains("Delete my account"), "{html}");
    expect_json(app.get("/api/v1/me").bearer_auth(&token).send().await.unwrap(), 200).await;
    // Another site may not press it; the token alone, without the page's cookie, may.
    let confirm = token_from_link(&link);
    let res = browser().post(app.url("/account/delete/confirm")).header("sec-fetch-site", "cross-site").form(&[("token", &confirm)]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = browser().post(app.url("/account/delete/confirm")).form(&[("token", &confirm)]).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/account/deleted".to_string()));
    assert!(page(&app, &phone, "/account/deleted", 200).await.contains("Your account has been deleted"));
    // Signed out everywhere; the link is used up.
    let res = dee.get(app.url("/me/input")).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/signin?next=%2Fme%2Finput".to_string()));
    assert_eq!(app.get("/api/v1/me").bearer_auth(&token).send().await.unwrap().status(), 401);
    let res = phone.get(&link).send().await.unwrap();
    assert!(res.status() == 400 || res.status() == 410, "{}", res.status());
    assert!(res.text().await.unwrap().contains("This link does not work"));

    // The instance's only administrator is told why not, and offered no button.
    let admin = admin_token(&app, "admin@example.org").await;
    let res = browser().get(app.url("/account/delete")).header("cookie", format!("convene_access={admin}")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("You cannot delete your account now") && html.contains("only administrator"), "{html}");
    assert!(!html.contains("action=\"/account/delete\""), "{html}");
}
