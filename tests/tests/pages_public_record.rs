//! The public record pages: the ledger in plain words (public processes only, paged, with
//! what anyone needs to verify it), a process's moderation log (reasons, never hidden text)
//! and its outcome (a version, the differences from the one before, the history), in the
//! reader's language.

use convene_e2e::flows::{add_activity, admin_token, contribute, create_process, process_body, published_process, user_token};
use convene_e2e::{TestApp, expect_json};
use serde_json::{Value, json};

/// A page's status and body, optionally in a language chosen by cookie.
async fn page(app: &TestApp, path: &str, lang: Option<&str>) -> (u16, String) {
    let mut req = app.get(path).header("accept", "text/html");
    if let Some(lang) = lang {
        req = req.header("cookie", format!("lang={lang}"));
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// A page that must be there (200), in English.
async fn ok(app: &TestApp, path: &str) -> String {
    let (status, body) = page(app, path, None).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

fn consultation() -> Value {
    json!({ "type": "org.convene.consultation", "title": { "en": "Consultation on AI" }, "closes_at": "2099-01-01T00:00:00Z",
        "config": { "questions": [ { "id": "q", "type": "free_text", "required": true, "text": { "en": "Your view?" } } ] } })
}

fn answer(text: &str) -> Value {
    json!({ "kind": "response", "body": { "answers": { "q": text } } })
}

/// A process that is not listed: created (and published when `publish`) with this visibility.
async fn unlisted_kind(app: &TestApp, admin: &str, slug: &str, title: &str, visibility: &str, publish: bool) {
    let mut body = process_body(slug);
    body["title"] = json!({ "en": title });
    body["visibility"] = json!(visibility);
    create_process(app, admin, &body).await;
    if publish {
        let res = app.client.post(app.url(&format!("/api/v1/processes/{slug}/publish"))).bearer_auth(admin).send().await.unwrap();
        assert_eq!(res.status(), 200, "publish {slug}: {}", res.text().await.unwrap());
    }
}

#[tokio::test]
async fn the_ledger_page_explains_public_entries_only_pages_and_shows_how_to_verify() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let national = published_process(&app, &admin, "national-ai").await;
    add_activity(&app, &admin, "national-ai", &consultation()).await;
    // Processes the public must not learn about, even by guessing their slug.
    let hidden = [
        ("draft-plan-xq", "Draft Plan Title Qwerty", "public", false),
        ("private-panel-xq", "Private Panel Title Zxcvb", "private", true),
        ("unlisted-review-xq", "Unlisted Review Title Asdfg", "unlisted", true),
    ];
    for (slug, title, visibility, publish) in hidden {
        unlisted_kind(&app, &admin, slug, title, visibility, publish).await;
        // An activity added to a non-public process leaves no trace either.
        add_activity(&app, &admin, slug, &consultation()).await;
    }

    // A process that was public and then left public view keeps its past entries, but the
    // ledger page no longer names it or links to it.
    unlisted_kind(&app, &admin, "once-public-xq", "Once Public Title Hjkl", "public", true).await;
    let res = app.patch_json("/api/v1/processes/once-public-xq", &json!({ "visibility": "unlisted" })).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    let api = expect_json(app.get("/api/v1/ledger").send().await.unwrap(), 200).await;
    let entries = api["entries"].as_array().unwrap();
    let key = api["public_key"].as_str().unwrap();
    let ledger = ok(&app, "/ledger").await;
    assert!(ledger.contains("<h1>Public ledger</h1>"), "{ledger}");
    assert!(ledger.contains("The process became public."), "process.published in words: {ledger}");
    assert!(ledger.contains("A new activity was added: “Consultation on AI”."), "activity.created in words: {ledger}");
    assert!(ledger.contains("href=\"/processes/national-ai\""), "entries link to their process");
    assert!(ledger.contains(">National AI Strategy 2027</a>"));
    for e in entries {
        let hash = e["hash"].as_str().unwrap();
        assert!(ledger.contains(&format!("<code>{hash}</code>")), "entry {} shows its hash", e["seq"]);
        assert!(ledger.contains(&format!("id=\"entry-{}\"", e["seq"])));
    }
    for (slug, title, _, _) in hidden {
        for (path, body) in [("/ledger", ledger.clone()), ("the API", api.to_string())] {
            assert!(!body.contains(slug) && !body.contains(title), "{path} reveals {slug}");
        }
        // Asking for a non-public process's entries is asking about a process that does not exist.
        let (status, body) = page(&app, &format!("/ledger?process={slug}"), None).await;
        assert_eq!(status, 404, "{slug}");
        assert!(!body.contains(title) && !body.contains("Only the entries about"), "{body}");
    }
    assert_eq!(page(&app, "/ledger?process=no-such-process", None).await.0, 404);
    assert!(api.to_string().contains("process.withdrawn"), "{api}");
    assert!(ledger.contains("The process was withdrawn from public view.") && ledger.contains("About a process that is no longer public"), "{ledger}");
    assert!(!ledger.contains("once-public-xq") && !ledger.contains("Once Public Title Hjkl"), "{ledger}");
    assert_eq!(page(&app, "/ledger?process=once-public-xq", None).await.0, 404);

    // One process's entries only.
    let only = ok(&app, "/ledger?process=national-ai").await;
    assert!(only.contains("Only the entries about") && only.contains("The process became public."), "{only}");
    for e in entries {
        let shown = only.contains(&format!("id=\"entry-{}\"", e["seq"]));
        assert_eq!(shown, e["process_id"] == national["id"], "entry {} is on the process's page only if it is about the process", e["seq"]);
    }

    // Paging with the app's cursor.
    assert!(entries.len() >= 2, "{api}");
    let first = ok(&app, "/ledger?limit=1").await;
    assert!(first.contains("id=\"entry-1\"") && !first.contains("id=\"entry-2\""));
    // (The & of the query is escaped, as &amp; or &#38;.)
    assert!(first.contains("href=\"/ledger?limit=1&") && first.contains("after=1\">Next page</a>"), "a link to the next page: {first}");
    let second = ok(&app, "/ledger?limit=1&after=1").await;
    assert!(second.contains("id=\"entry-2\"") && !second.contains("id=\"entry-1\""), "{second}");
    assert!(second.contains("href=\"/ledger?limit=1\""), "a way back to the start");
    assert_eq!(page(&app, "/ledger?after=minus-one", None).await.0, 400);

    // Verify it yourself: the key the API gives, and the command.
    assert!(ledger.contains("Verify it yourself"));
    assert!(ledger.contains(&format!("<code>{key}</code>")), "the public key is shown: {key}");
    assert!(ledger.contains("<code>convene ledger verify http"), "{ledger}");
    assert!(ledger.contains(&format!(" --public-key {key}</code>")));

    // In French.
    let (status, fr) = page(&app, "/ledger", Some("fr")).await;
    assert_eq!(status, 200);
    assert!(fr.contains("<html lang=\"fr\""));
    assert!(fr.contains("<h1>Registre public</h1>") && fr.contains("Vérifiez par vous-même"), "{fr}");
    assert!(fr.contains("La démarche est devenue publique.") && fr.contains("Une nouvelle activité a été ajoutée : « Consultation on AI »."), "{fr}");
    assert!(!fr.contains("The process became public"));

    // The process page: description headings sit below its h2 section, not beside it.
    let process = ok(&app, "/processes/national-ai").await;
    assert!(process.contains("<h3>How to take part</h3>") && !process.contains("<h2>How to take part</h2>"), "{process}");
}

#[tokio::test]
async fn the_moderation_log_gives_reasons_and_never_the_hidden_text() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "city-ai").await;
    let aid = add_activity(&app, &admin, "city-ai", &consultation()).await["id"].as_str().unwrap().to_string();
    let ben = user_token(&app, "ben@example.org").await;
    let rude_text = "Everyone who disagrees is a complete idiot 4711";
    let rude = expect_json(contribute(&app, &ben, &aid, &answer(rude_text)).await, 201).await;
    let rude_id = rude["id"].as_str().unwrap();

    let empty = ok(&app, "/processes/city-ai/moderation").await;
    assert!(empty.contains("<h1>Moderation log</h1>") && empty.contains("How moderation works"), "{empty}");
    assert!(empty.contains("No contribution to this process has been hidden."));
    assert!(empty.contains("href=\"/processes/city-ai\""), "a link back to the process");

    let reason = "Insults other participants (rule 2 of the charter)";
    let hide = app.post_json(&format!("/api/v1/contributions/{rude_id}/hide"), &json!({ "reason": reason })).bearer_auth(&admin);
    expect_json(hide.send().await.unwrap(), 200).await;
    let log = ok(&app, "/processes/city-ai/moderation").await;
    assert!(log.contains(reason), "the public reason is shown: {log}");
    assert!(log.contains("<strong>Hidden</strong>"));
    assert!(log.contains("Hidden: 1. Restored: 0."));
    assert!(log.contains(&rude_id[rude_id.len() - 8..]), "the contribution is named by reference");
    assert!(!log.contains(rude_text) && !log.contains("4711"), "never the hidden text");
    let restore = app.post_json(&format!("/api/v1/contributions/{rude_id}/restore"), &json!({ "reason": "Reviewed again: within the rules" })).bearer_auth(&admin);
    expect_json(restore.send().await.unwrap(), 200).await;
    let log = ok(&app, "/processes/city-ai/moderation").await;
    assert!(log.contains("<strong>Restored</strong>") && log.contains("Reviewed again: within the rules") && log.contains("Hidden: 1. Restored: 1."));

    // The ledger says it in words too.
    let ledger = ok(&app, "/ledger").await;
    assert!(ledger.contains(&format!("Moderators hid a contribution, giving this public reason: “{reason}”.")), "{ledger}");
    assert!(ledger.contains("Moderators restored a hidden contribution"));
    assert!(!ledger.contains(rude_text));

    let (status, fr) = page(&app, "/processes/city-ai/moderation", Some("fr")).await;
    assert_eq!(status, 200);
    assert!(fr.contains("<h1>Journal de modération</h1>") && fr.contains("<strong>Masquée</strong>") && fr.contains("Comment fonctionne la modération"), "{fr}");

    // A process the reader may not see has no log to show.
    unlisted_kind(&app, &admin, "private-xq", "Private Title Xq", "private", true).await;
    let (status, body) = page(&app, "/processes/private-xq/moderation", None).await;
    assert_eq!(status, 404);
    assert!(!body.contains("Private Title Xq"));
}

#[tokio::test]
async fn the_outcome_page_shows_a_version_its_differences_and_its_history() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;
    let none = ok(&app, "/processes/national-ai/outcome").await;
    assert!(none.contains("No outcome has been published yet."), "{none}");

    let aid = add_activity(&app, &admin, "national-ai", &consultation()).await["id"].as_str().unwrap().to_string();
    let mut ids = Vec::new();
    for who in ["ana", "eva"] {
        let token = user_token(&app, &format!("{who}@example.org")).await;
        ids.push(expect_json(contribute(&app, &token, &aid, &answer(&format!("View of {who}"))).await, 201).await["id"].as_str().unwrap().to_string());
    }
    let v1 = json!({ "title": { "en": "What we heard and what we decided" }, "sections": [
        { "id": "1", "heading": { "en": "What we heard" }, "body": { "en": "# In short\n\nTwo people took part.\n\nMost asked for health first." }, "cites": [ids[0], ids[1]] },
        { "id": "2", "heading": { "en": "What we decided" }, "body": { "en": "Health comes first." }, "cites": [ids[0]] } ] });
    expect_json(app.post_json("/api/v1/processes/national-ai/outcomes", &v1).bearer_auth(&admin).send().await.unwrap(), 201).await;
    let mut v2 = v1.clone();
    v2["sections"][1]["body"]["en"] = json!("Health comes first, then transport.");
    v2["sections"][1]["cites"] = json!([ids[0], ids[1]]);
    v2["note"] = json!({ "en": "Added transport after the paper submissions were read." });
    expect_json(app.post_json("/api/v1/processes/national-ai/outcomes", &v2).bearer_auth(&admin).send().await.unwrap(), 201).await;

    let process = ok(&app, "/processes/national-ai").await;
    assert!(process.contains("href=\"/processes/national-ai/outcome\""), "the process page links to the outcome");

    let current = ok(&app, "/processes/national-ai/outcome").await;
    assert!(current.contains(">What we heard and what we decided</h1>"), "{current}");
    assert!(current.contains("Version 2") && current.contains("Added transport after the paper submissions were read."));
    assert!(current.contains(">What we decided</h2>") && current.contains("<h3>In short</h3>"), "section bodies' headings sit under their section: {current}");
    assert!(current.contains("Health comes first, then transport."));
    for id in &ids {
        assert!(current.contains(&format!("href=\"/activities/{aid}#c-{id}\"")), "citations link to the contribution in its activity: {current}");
    }
    assert!(current.contains("What changed from version 1 to version 2"), "{current}");
    assert!(current.contains("<strong lang=\"en\">Removed:</strong> <del>Health comes first.</del>"), "{current}");
    assert!(current.contains("<strong lang=\"en\">Added:</strong> <ins>Health comes first, then transport.</ins>"), "{current}");
    assert!(current.contains("Now also draws on this contribution:"), "a citation added in version 2");
    assert!(current.contains("Sections that did not change:"));
    assert!(current.contains("History of the outcome"));
    assert!(current.contains("href=\"/processes/national-ai/outcome?version=1\""), "the history links to earlier versions");
    assert!(!current.contains("which is not the latest"));

    let old = ok(&app, "/processes/national-ai/outcome?version=1").await;
    assert!(old.contains("You are reading version 1, which is not the latest."), "{old}");
    assert!(old.contains("Health comes first.") && !old.contains("then transport"));
    assert!(!old.contains("What changed from version"), "version 1 has nothing before it");
    assert_eq!(page(&app, "/processes/national-ai/outcome?version=9", None).await.0, 404);
    assert_eq!(page(&app, "/processes/national-ai/outcome?version=two", None).await.0, 400);

    let ledger = ok(&app, "/ledger?process=national-ai").await;
    assert!(ledger.contains("The outcome was revised: version 2 was published, with 2 sections."), "{ledger}");

    let (status, fr) = page(&app, "/processes/national-ai/outcome", Some("fr")).await;
    assert_eq!(status, 200);
    assert!(fr.contains("Ce qui a changé de la version 1 à la version 2") && fr.contains("Supprimé :") && fr.contains("Historique du résultat"), "{fr}");

    // Not for a process the reader may not see.
    unlisted_kind(&app, &admin, "draft-xq", "Draft Title Xq", "public", false).await;
    let (status, body) = page(&app, "/processes/draft-xq/outcome", None).await;
    assert_eq!(status, 404);
    assert!(!body.contains("Draft Title Xq"));
}
