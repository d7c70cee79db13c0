//! The public pages and what every page carries: the home page's filters and search, the
//! process page, the reader's language, security headers, assets, form posts from other
//! sites refused, and error pages that name nothing internal.

use convene_e2e::flows::{add_activity, admin_token, contribute, create_process, process_body, published_process, user_token};
use convene_e2e::{TestApp, expect_json};
use serde_json::json;

async fn page(app: &TestApp, path: &str, lang: Option<&str>) -> (u16, reqwest::header::HeaderMap, String) {
    let mut req = app.get(path).header("accept", "text/html");
    if let Some(l) = lang {
        req = req.header("cookie", format!("lang={l}"));
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.text().await.unwrap())
}

/// A client that keeps no cookies and follows no redirects: each test says what it sends.
fn bare() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The masked form token and the cookie it pairs with, from a first visit.
async fn form_token(app: &TestApp) -> (String, String) {
    let res = bare().get(app.url("/")).send().await.unwrap();
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("convene_csrf="))
        .expect("a first page sets the form-token cookie");
    let cookie = cookie.split(';').next().unwrap().to_string();
    let html = res.text().await.unwrap();
    let token = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    (cookie, token)
}

#[tokio::test]
async fn home_lists_public_processes_with_filters_and_search_and_hides_drafts() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;
    let mut local = process_body("harbour-data");
    local["title"] = json!({ "en": "Harbour data charter", "es": "Carta de datos del puerto" });
    local["scope"] = json!("local");
    local["iap2_level"] = json!("consult");
    create_process(&app, &admin, &local).await;
    app.client.post(app.url("/api/v1/processes/harbour-data/publish")).bearer_auth(&admin).send().await.unwrap();
    let mut draft = process_body("secret-draft");
    draft["title"] = json!({ "en": "Unannounced draft plan" });
    create_process(&app, &admin, &draft).await;

    let (status, headers, html) = page(&app, "/", None).await;
    assert_eq!(status, 200);
    assert!(html.contains("National AI Strategy 2027") && html.contains("Harbour data charter"));
    assert!(!html.contains("Unannounced draft plan") && !html.contains("secret-draft"), "a draft is never listed");
    assert_eq!(html.matches("<h1").count(), 1);
    let csp = headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    assert!(headers.get("referrer-policy").is_some());
    assert!(!html.contains(" style=") && !html.contains("<script>"), "nothing inline under the policy");

    let (_, _, html) = page(&app, "/?scope=local", None).await;
    assert!(html.contains("Harbour data charter") && !html.contains("National AI Strategy 2027"));
    let (_, _, html) = page(&app, "/?level=involve", None).await;
    assert!(!html.contains("Harbour data charter") && html.contains("National AI Strategy 2027"));
    let (_, _, html) = page(&app, "/?text=HARBOUR", None).await;
    assert!(html.contains("Harbour data charter") && !html.contains("National AI Strategy 2027"), "search ignores case");
    let (_, _, html) = page(&app, "/?text=puerto", None).await;
    assert!(html.contains("Harbour data charter"), "search finds every language");
    let (_, _, html) = page(&app, "/?text=100%25", None).await;
    assert!(!html.contains("Harbour data charter") && !html.contains("National AI Strategy 2027"), "% is taken literally");
    let (status, _, _) = page(&app, &format!("/?text={}", "x".repeat(300)), None).await;
    assert_eq!(status, 400, "an overlong search is a clear error, not a 500");

    // The API lists with the same filters.
    let api = expect_json(app.get("/api/v1/processes?text=harbour&iap2_level=consult").send().await.unwrap(), 200).await;
    assert_eq!(api["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn pages_speak_the_readers_language_and_the_switcher_remembers_it() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;

    let (_, _, en) = page(&app, "/processes/national-ai", None).await;
    assert!(en.contains("<html lang=\"en\"") && en.contains("Timeline"));
    let (_, _, es) = page(&app, "/processes/national-ai", Some("es")).await;
    assert!(es.contains("<html lang=\"es\"") && es.contains("Calendario") && es.contains("Estrategia Nacional de IA 2027"), "Spanish strings and content");
    let (_, _, fr) = page(&app, "/processes/national-ai", Some("fr")).await;
    assert!(fr.contains("<html lang=\"fr\"") && fr.contains("Calendrier"));
    assert!(fr.contains("Non disponible dans votre langue"), "content in another language is marked as such");
    let res = app.get("/").header("accept-language", "fr-CA, es;q=0.5").send().await.unwrap();
    assert!(res.text().await.unwrap().contains("<html lang=\"fr\""), "Accept-Language when there is no cookie");

    // The switcher: a form post from our own page sets the cookie and goes back.
    let (cookie, token) = form_token(&app).await;
    let res = bare()
        .post(app.url("/lang"))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={token}&lang=es&back=%2Fprocesses%2Fnational-ai"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers().get("location").unwrap(), "/processes/national-ai");
    let set: Vec<_> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert!(set.iter().any(|c| c.starts_with("lang=es") && c.contains("HttpOnly") && c.contains("SameSite=Lax")), "{set:?}");
    // Never back to another site.
    let res = bare()
        .post(app.url("/lang"))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={token}&lang=es&back=%2F%2Fevil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers().get("location").unwrap(), "/");
}

#[tokio::test]
async fn form_posts_from_other_sites_are_refused() {
    let app = TestApp::spawn().await;
    let (cookie, token) = form_token(&app).await;
    let client = bare();
    let post = |body: String| client.post(app.url("/lang")).header("cookie", cookie.clone()).header("content-type", "application/x-www-form-urlencoded").body(body);
    // The browser says the post comes from another site: refused whatever the token.
    let res = post(format!("csrf={token}&lang=es")).header("sec-fetch-site", "cross-site").send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/html"));
    let res = post(format!("csrf={token}&lang=es")).header("origin", "https://evil.example").send().await.unwrap();
    assert_eq!(res.status(), 403);
    // A browser that sends neither header must bring the token.
    assert_eq!(post("lang=es".into()).send().await.unwrap().status(), 403);
    assert_eq!(post("csrf=forged&lang=es".into()).send().await.unwrap().status(), 403);
    assert_eq!(post(format!("csrf={token}&lang=es")).send().await.unwrap().status(), 303);
    // Same-origin by the browser's word needs no token.
    assert_eq!(post("lang=es".into()).header("sec-fetch-site", "same-origin").send().await.unwrap().status(), 303);
}

#[tokio::test]
async fn the_process_page_shows_timeline_level_commitments_and_the_report_as_it_changes() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;
    let activity = json!({ "type": "org.convene.consultation", "title": { "en": "Have your say" }, "closes_at": "2099-01-01T00:00:00Z",
        "config": { "questions": [ { "id": "q", "type": "free_text", "required": true, "text": { "en": "Your view?" } } ] } });
    let aid = add_activity(&app, &admin, "national-ai", &activity).await["id"].as_str().unwrap().to_string();

    let (status, _, html) = page(&app, "/processes/national-ai", None).await;
    assert_eq!(status, 200);
    assert!(html.contains("Involve") && html.contains("We work with you"), "the level in plain words");
    assert!(html.contains("Consultation") && html.contains("Roundtables") && html.contains("Draft strategy published"), "phases and milestones");
    assert!(html.contains(&format!("/activities/{aid}")) && html.contains("Have your say"));
    assert!(html.contains("We respond to every contribution within 30 days"), "commitments");
    assert!(html.contains("No outcome has been published yet"));
    assert!(html.contains("0 contributions were made"));

    let token = user_token(&app, "ana@example.org").await;
    let c = expect_json(contribute(&app, &token, &aid, &json!({ "kind": "response", "body": { "answers": { "q": "Health first" } } })).await, 201).await;
    let (_, _, html) = page(&app, "/processes/national-ai", None).await;
    assert!(html.contains("One contribution was made"), "the report follows a new contribution at once");
    let body = json!({ "contribution_ids": [c["id"]], "disposition": "adopted", "explanation": { "en": "Done." } });
    expect_json(app.post_json("/api/v1/processes/national-ai/responses", &body).bearer_auth(&admin).send().await.unwrap(), 201).await;
    let (_, _, html) = page(&app, "/processes/national-ai", None).await;
    assert!(html.contains("1 got a public response (100%)"), "and a new response at once");
    assert!(html.contains("<svg") && html.contains("id=\"chart-channels-table\""), "charts come with their tables");
    let (_, _, es) = page(&app, "/processes/national-ai", Some("es")).await;
    assert!(es.contains("Adoptada"), "dispositions in the reader's language");
}

#[tokio::test]
async fn unknown_and_private_pages_are_plain_404s_and_assets_are_cached_for_long() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let mut draft = process_body("secret-draft");
    draft["title"] = json!({ "en": "Unannounced draft plan" });
    create_process(&app, &admin, &draft).await;
    for path in ["/processes/secret-draft", "/processes/nothing-here", "/no/such/page"] {
        let (status, headers, html) = page(&app, path, None).await;
        assert_eq!(status, 404, "{path}");
        assert!(headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/html"), "{path}");
        assert!(html.contains("Page not found") && !html.contains("Unannounced"), "{path}");
    }
    // The API keeps problem+json for unknown paths.
    let res = app.get("/api/v1/nothing").header("accept", "text/html").send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.headers().get("content-type").unwrap().to_str().unwrap().contains("json"));

    let (_, _, html) = page(&app, "/", None).await;
    let css = html.split("rel=\"stylesheet\" href=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let res = app.get(&css).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers().get("cache-control").unwrap(), "public, max-age=31536000, immutable");
    assert_eq!(res.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_string()).as_deref(), Some("br"));
    assert_eq!(app.get("/assets/site.0000000000.css").send().await.unwrap().status(), 404, "an old name is not served stale");
}
