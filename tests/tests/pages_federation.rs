//! Federation in the pages, over HTTP with cookies: a published public process shows its
//! address and the "follow from another site" form, and no other process does; a bad address
//! comes back with the error summary, the message at the field and what was typed; a good one
//! is sent on (303) to the person's own site; the administrators' federation page lists a
//! block made through its form, and unblocking removes it; a participant's forged posts are
//! refused (403) and change nothing.

use convene_e2e::flows::{admin_token, create_process, process_body, published_process, sign_up};
use convene_e2e::pages::{Browser, hidden, location, main_of};
use convene_e2e::remote_site::{RemoteActor, RemoteSite, add_failed_delivery, add_follower};
use convene_e2e::{TestApp, expect_json};
use serde_json::{Value, json};

/// `host:port` of the server under test, as handles name it.
fn host_of(app: &TestApp) -> String {
    app.base_url.trim_start_matches("http://").trim_end_matches('/').to_string()
}

async fn csp(app: &TestApp, path: &str, token: Option<&str>) -> String {
    let mut req = app.client.get(app.url(path)).header("accept", "text/html");
    if let Some(token) = token {
        req = req.header("cookie", format!("convene_access={token}"));
    }
    let res = req.send().await.unwrap();
    res.headers().get("content-security-policy").unwrap().to_str().unwrap().to_string()
}

/// A page's HTML with the escapes of quotes and ampersands undone, to look for text in it.
fn unescaped(html: &str) -> String {
    html.replace("&#39;", "'").replace("&#x27;", "'").replace("&#34;", "\"").replace("&quot;", "\"").replace("&#38;", "&").replace("&amp;", "&")
}

/// The blocked instances, from the API.
async fn blocked(app: &TestApp, admin: &str) -> Vec<Value> {
    let overview = expect_json(app.with_token(admin).get("/api/v1/admin/federation").send().await.unwrap(), 200).await;
    overview["blocked"].as_array().unwrap().clone()
}

/// A process with the given visibility, published or left as a draft.
async fn process(app: &TestApp, admin: &str, slug: &str, visibility: &str, publish: bool) {
    let mut body = process_body(slug);
    body["visibility"] = json!(visibility);
    create_process(app, admin, &body).await;
    if publish {
        let res = app.with_token(admin).post(&format!("/api/v1/processes/{slug}/publish")).send().await.unwrap();
        assert_eq!(res.status(), 200, "publish {slug}: {}", res.text().await.unwrap());
    }
}

#[tokio::test]
async fn only_a_published_public_process_shows_its_address_and_the_follow_form() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "open-strategy").await;
    process(&app, &admin, "by-link-only", "unlisted", true).await;
    process(&app, &admin, "members-only", "private", true).await;
    process(&app, &admin, "not-yet", "public", false).await;
    let host = host_of(&app);
    let anyone = Browser::new(&app, None, None);
    let admin_browser = Browser::new(&app, Some(&admin), None);

    let html = anyone.page("/processes/open-strategy", 200).await;
    let main = main_of(&html);
    assert!(main.contains("<h2 id=\"follow-heading\">Follow from another site</h2>"), "{main}");
    assert!(main.contains(&format!("<code class=\"handle break\" translate=\"no\">@open-strategy@{host}</code>")), "{main}");
    assert!(main.contains("Mastodon"), "{main}");
    assert!(main.contains("<form method=\"post\" action=\"/processes/open-strategy/follow\""), "{main}");
    assert!(main.contains("<label for=\"handle\">Your address on your site</label>"), "{main}");
    // The form is answered with a redirect to the reader's own site: the page allows it.
    let policy = csp(&app, "/processes/open-strategy", None).await;
    assert!(policy.contains("form-action 'self' https:;"), "{policy}");
    assert!(!policy.contains("http:;"), "plain http only where the operator allows private addresses: {policy}");
    // Its own page, where a refused address comes back.
    let html = anyone.page("/processes/open-strategy/follow", 200).await;
    assert!(html.contains("<h1>Follow from another site</h1>") && html.contains(&format!("@open-strategy@{host}")), "{html}");
    // In Spanish too.
    let es = Browser::new(&app, None, Some("es"));
    let html = es.page("/processes/open-strategy", 200).await;
    assert!(html.contains("Seguir desde otro sitio") && html.contains("Su dirección en su sitio"), "{html}");

    // Unlisted, private and draft processes do not federate: no address, no form, even for
    // the administrator who can read them, and the follow page and post are "not found".
    for slug in ["by-link-only", "members-only", "not-yet"] {
        let html = admin_browser.page(&format!("/processes/{slug}"), 200).await;
        assert!(!html.contains("follow-heading") && !html.contains(&format!("@{slug}@")) && !html.contains("/follow\""), "{slug}: {html}");
        let policy = csp(&app, &format!("/processes/{slug}"), Some(&admin)).await;
        assert!(policy.contains("form-action 'self';"), "{slug}: {policy}");
        assert_eq!(admin_browser.get(&format!("/processes/{slug}/follow")).await.0, 404, "{slug}");
        let res = admin_browser.submit("/account", &format!("/processes/{slug}/follow"), &[("handle", "@ana@social.example")]).await;
        assert_eq!(res.status(), 404, "{slug}");
        // The API agrees.
        let res = app.post_json(&format!("/api/v1/processes/{slug}/remote-follow"), &json!({ "handle": "@ana@social.example" })).send().await.unwrap();
        assert_eq!(res.status(), 404, "{slug}");
    }
    // Other pages keep the strict policy.
    let policy = csp(&app, "/", None).await;
    assert!(policy.contains("form-action 'self';"), "{policy}");
}

#[tokio::test]
async fn a_bad_address_comes_back_with_the_error_summary_and_what_was_typed() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "open-strategy").await;
    let host = host_of(&app);
    let anyone = Browser::new(&app, None, None);
    let from = "/processes/open-strategy";
    let action = "/processes/open-strategy/follow";

    // Not an address.
    let res = anyone.submit(from, action, &[("handle", "ana at social")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Error: Follow from another site"), "{html}");
    let main = main_of(&html);
    assert!(main.contains("There is a problem") && main.contains("<a href=\"#handle\">Enter your address as @name@site, for example @ana@social.example</a>"), "{main}");
    assert!(main.contains("id=\"handle-error\"") && main.contains("aria-invalid=\"true\"") && main.contains("value=\"ana at social\""), "{main}");
    assert!(main.contains("aria-describedby=\"handle-hint handle-error\""), "{main}");
    // The error summary comes before the heading; the form posts to the same page again.
    assert!(main.find("error-summary").unwrap() < main.find("<h1>").unwrap(), "{main}");
    assert!(main.contains(&format!("action=\"{action}\"")), "{main}");

    // Nothing typed.
    let res = anyone.submit(from, action, &[("handle", "  ")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Enter your address on your site, for example @ana@social.example"), "{html}");

    // A well-formed address on a site that cannot be asked (an address and a port, refused
    // unless the operator allows private addresses): the way forward is to search for the
    // process's address in one's own app.
    let res = anyone.submit(from, action, &[("handle", "@ana@127.0.0.1:9")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("We could not find how to follow from 127.0.0.1:9. Check your address, or search for @open-strategy@{host} in your app.")), "{html}");
    assert!(html.contains("value=\"@ana@127.0.0.1:9\""), "{html}");
    // The API refuses it the same way.
    let res = app.post_json("/api/v1/processes/open-strategy/remote-follow", &json!({ "handle": "@ana@127.0.0.1:9" })).send().await.unwrap();
    assert_eq!(res.status(), 422);

    // In Spanish.
    let es = Browser::new(&app, None, Some("es"));
    let res = es.submit(from, action, &[("handle", "ana")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Hay un problema") && html.contains("Escriba su dirección como @nombre@sitio"), "{html}");

    // A post another site makes is refused.
    let csrf = hidden(&anyone.page(from, 200).await, "csrf");
    let res = anyone
        .client
        .post(app.url(action))
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", csrf.as_str()), ("handle", "@ana@social.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_good_address_is_sent_on_to_the_persons_own_site() {
    let app = TestApp::builder().env("CONVENE_FEDERATION__ALLOW_PRIVATE_ADDRESSES", "true").spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let process = published_process(&app, &admin, "open-strategy").await;
    let site = RemoteSite::start(&["ana"]).await;
    let actor = format!("{}/ap/processes/{}", app.base_url, process["id"].as_str().unwrap());
    let anyone = Browser::new(&app, None, None);

    // Plain http to other sites is allowed here, so the page says so.
    let policy = csp(&app, "/processes/open-strategy", None).await;
    assert!(policy.contains("form-action 'self' https: http:;"), "{policy}");

    let res = anyone.submit("/processes/open-strategy", "/processes/open-strategy/follow", &[("handle", &format!("@ana@{}", site.host))]).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap_or_default());
    assert_eq!(location(&res), site.follow_page_for(&actor));
    // The API's answer is the same page.
    let api = expect_json(
        app.post_json("/api/v1/processes/open-strategy/remote-follow", &json!({ "handle": format!("ana@{}", site.host) })).send().await.unwrap(),
        200,
    )
    .await;
    assert_eq!(api["redirect"], site.follow_page_for(&actor).as_str());

    // An account the site does not have: back to the form, with the way forward.
    let res = anyone.submit("/processes/open-strategy", "/processes/open-strategy/follow", &[("handle", &format!("@nobody@{}", site.host))]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("We could not find how to follow from {}.", site.host)), "{html}");
}

#[tokio::test]
async fn the_admin_blocks_and_unblocks_an_instance_and_a_participant_cannot() {
    let app = TestApp::spawn().await;
    let admin_token = admin_token(&app, "admin@example.org").await;
    let pair = sign_up(&app, "pat@example.org", "Pat Participant").await;
    let pat_token = pair["access_token"].as_str().unwrap().to_string();
    let admin = Browser::new(&app, Some(&admin_token), None);
    let pat = Browser::new(&app, Some(&pat_token), None);
    let nobody = Browser::new(&app, None, None);

    // The page: federation on, the instance's actor, nothing followed, failed or blocked; it
    // is a tab of the administration pages.
    let html = admin.page("/admin/federation", 200).await;
    let main = main_of(&html);
    assert!(main.contains("<h1>Federation</h1>"), "{main}");
    assert!(main.contains("<a href=\"/admin/federation\" aria-current=\"page\">Federation</a>"), "{main}");
    assert!(main.contains("<strong>On</strong>") && main.contains(&format!("{}/ap/instance", app.base_url)), "{main}");
    assert!(main.contains("Nobody follows a process from another site yet.") && main.contains("No delivery has failed.") && main.contains("No instance is blocked."), "{main}");
    assert!(admin.page("/admin", 200).await.contains("<a href=\"/admin/federation\">Federation</a>"));
    assert_eq!(pat.get("/admin/federation").await.0, 403);
    assert_eq!(nobody.get("/admin/federation").await.0, 303, "signed out goes to sign-in");

    // A name that is not an instance: the error summary, the message at the field, what was typed.
    let res = admin.submit("/admin/federation", "/admin/federation/blocks", &[("instance", "not an instance!"), ("reason", "spam")]).await;
    assert_eq!(res.status(), 422);
    let html = unescaped(&res.text().await.unwrap());
    assert!(html.contains("<title>Error: Federation"), "{html}");
    let main = main_of(&html);
    assert!(main.contains("<a href=\"#instance\">Enter the instance's name only, for example social.example</a>"), "{main}");
    assert!(main.contains("value=\"not an instance!\"") && main.contains("value=\"spam\""), "{main}");
    let res = admin.submit("/admin/federation", "/admin/federation/blocks", &[("instance", ""), ("reason", "")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Enter the name of the instance to block, for example social.example"));
    // This instance's own name: the server's own words.
    let res = admin.submit("/admin/federation", "/admin/federation/blocks", &[("instance", &host_of(&app)), ("reason", "")]).await;
    assert_eq!(res.status(), 422);
    assert!(unescaped(&res.text().await.unwrap()).contains("this is this instance's own name"));
    assert!(blocked(&app, &admin_token).await.is_empty());

    // Blocked through the form (any address on the instance will do).
    let res = admin.submit("/admin/federation", "/admin/federation/blocks", &[("instance", "https://Spam.Example/@someone"), ("reason", "Sends spam to every process")]).await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, "/admin/federation?done=blocked".to_string()));
    let list = blocked(&app, &admin_token).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!((list[0]["instance"].as_str(), list[0]["reason"].as_str()), (Some("spam.example"), Some("Sends spam to every process")));
    let html = admin.page("/admin/federation?done=blocked", 200).await;
    let main = main_of(&html);
    assert!(main.contains("The instance is blocked."), "{main}");
    assert!(main.contains("<code>spam.example</code>") && main.contains("Sends spam to every process"), "{main}");
    assert!(main.contains("<input type=\"hidden\" name=\"instance\" value=\"spam.example\">"), "{main}");

    // A participant's forged posts, with their own valid form token and same-site headers:
    // refused as the API would refuse them, and nothing changes.
    let res = pat.submit("/account", "/admin/federation/blocks", &[("instance", "good.example"), ("reason", "forged")]).await;
    assert_eq!(res.status(), 403);
    let res = pat.submit("/account", "/admin/federation/unblock", &[("instance", "spam.example")]).await;
    assert_eq!(res.status(), 403);
    let res = pat.submit("/account", "/admin/federation/deliveries/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/retry", &[]).await;
    assert_eq!(res.status(), 403);
    let list = blocked(&app, &admin_token).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["instance"], "spam.example");
    // The admin's own session does not count for a post another site makes.
    let csrf = hidden(&admin.page("/admin/federation", 200).await, "csrf");
    let res = admin
        .client
        .post(app.url("/admin/federation/unblock"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", csrf.as_str()), ("instance", "spam.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(blocked(&app, &admin_token).await.len(), 1);

    // Unblocked: gone from the page and from the API.
    let res = admin.submit("/admin/federation", "/admin/federation/unblock", &[("instance", "spam.example")]).await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, "/admin/federation?done=unblocked".to_string()));
    assert!(blocked(&app, &admin_token).await.is_empty());
    let html = admin.page("/admin/federation?done=unblocked", 200).await;
    let main = main_of(&html);
    assert!(main.contains("The instance is unblocked.") && main.contains("No instance is blocked.") && !main.contains("spam.example"), "{main}");
    // Twice: it is not blocked any more.
    let res = admin.submit("/admin/federation", "/admin/federation/unblock", &[("instance", "spam.example")]).await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("That instance is not blocked."));
}

#[tokio::test]
async fn followers_and_failed_deliveries_are_listed_and_a_delivery_is_tried_again() {
    let app = TestApp::spawn().await;
    let admin_token = admin_token(&app, "admin@example.org").await;
    let process = published_process(&app, &admin_token, "open-strategy").await;
    let process_id = process["id"].as_str().unwrap().to_string();
    let admin = Browser::new(&app, Some(&admin_token), None);

    // A follower from another instance, and a delivery to it that was given up (as the
    // delivery worker leaves one after its deadline).
    // The inbox is on loopback (refused or closed): trying it again sends nothing elsewhere.
    let db = sea_orm::Database::connect(app.db.url()).await.unwrap();
    let ana = RemoteActor { ap_id: "https://social.example/users/ana", name: Some("Ana García"), inbox: "https://social.example/users/ana/inbox" };
    add_follower(&db, &process_id, &ana).await;
    add_failed_delivery(&db, &app.base_url, &process_id, "http://127.0.0.1:9/inbox", "Announce", "error sending request: connection refused").await;

    let html = admin.page("/admin/federation", 200).await;
    let main = main_of(&html);
    assert!(main.contains("National AI Strategy 2027") && main.contains("(1 follower)"), "{main}");
    assert!(main.contains("<bdi>Ana García</bdi>") && main.contains("https://social.example/users/ana") && main.contains("<code>social.example</code>"), "{main}");
    assert!(main.contains("http://127.0.0.1:9/inbox") && main.contains("<code>Announce</code>") && main.contains("connection refused"), "{main}");
    let overview = expect_json(app.with_token(&admin_token).get("/api/v1/admin/federation").send().await.unwrap(), 200).await;
    let job = overview["failed_deliveries"][0]["job_id"].as_str().unwrap().to_string();
    assert!(main.contains(&format!("action=\"/admin/federation/deliveries/{job}/retry\"")), "{main}");

    let res = admin.submit("/admin/federation", &format!("/admin/federation/deliveries/{job}/retry"), &[]).await;
    assert_eq!((res.status().as_u16(), location(&res)), (303, "/admin/federation?done=retried".to_string()));
    let overview = expect_json(app.with_token(&admin_token).get("/api/v1/admin/federation").send().await.unwrap(), 200).await;
    assert!(overview["failed_deliveries"].as_array().unwrap().iter().all(|d| d["job_id"] != job.as_str()), "{overview}");
    // Only a failed delivery can be tried again: once it is back in the queue, a second try
    // is refused with the server's words (unless the worker already gave it up again).
    let res = admin.submit("/admin/federation", &format!("/admin/federation/deliveries/{job}/retry"), &[]).await;
    if res.status() == 409 {
        assert!(res.text().await.unwrap().contains("only a failed job can be retried"));
    } else {
        assert_eq!(res.status(), 303);
    }
}
