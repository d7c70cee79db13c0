//! The accessibility matrix in a real browser (issue 12): every page type, signed out and
//! signed in, in English, Spanish and French, at 360 and 1280 px, with its form-error states,
//! checked by axe (WCAG 2.0/2.1/2.2 A and AA, no allowances) and weighed on a cold load; a
//! citizen panel volunteered for and answered through the pages, from the invitation email; an
//! Arabic activity laid out right to left; and the README's screenshots
//! (`CONVENE_SCREENSHOTS=1` copies them into docs/screenshots/).
//!
//! The scenarios are `tests/browser/scenarios/{a11y_matrix,panel_volunteer,panel_reply,rtl_activity}.mjs`;
//! their reports go to `target/browser-report/<database>/` (the matrix's as `a11y_matrix_<lang>.json`).

use convene_e2e::browser::{run_scenario, run_scenario_named};
use convene_e2e::flows::{MAIL_WAIT, add_activity, admin_token, consume, contribute, create_process, process_body, published_process, token_from_link};
use convene_e2e::{TestApp, expect_json};
use serde_json::{Value, json};

/// The password every citizen of these tests signs in with through the sign-in page.
const PASSWORD: &str = "a long enough passphrase";

/// A citizen with a verified account, a password and an interface language. Returns
/// (access token, account id).
async fn citizen(app: &TestApp, email: &str, name: &str, locale: &str) -> (String, String) {
    let signup = json!({ "email": email, "display_name": name, "password": PASSWORD, "locale": locale });
    expect_json(app.post_json("/api/v1/auth/signup", &signup).send().await.unwrap(), 202).await;
    let link = app.smtp.wait_for_to(email, MAIL_WAIT).await.first_link_containing("/login/magic").expect("a sign-in link");
    let pair = consume(app, &token_from_link(&link)).await;
    (pair["access_token"].as_str().unwrap().to_string(), pair["account"]["id"].as_str().unwrap().to_string())
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

/// Text in the three interface languages.
fn t3(en: &str, es: &str, fr: &str) -> Value {
    json!({ "en": en, "es": es, "fr": fr })
}

fn consultation() -> Value {
    let choice = |v: &str, en: &str, es: &str, fr: &str| json!({ "value": v, "label": t3(en, es, fr) });
    json!({ "type": "org.convene.consultation",
        "title": t3("Where should public AI help first?", "¿Dónde debería ayudar primero la IA pública?", "Où l’IA publique doit-elle aider d’abord ?"),
        "description": t3("Four short questions. Every answer gets a public response.", "Cuatro preguntas breves. Cada respuesta recibe una respuesta pública.", "Quatre questions courtes. Chaque réponse reçoit une réponse publique."),
        "closes_at": "2099-01-01T00:00:00Z",
        "config": { "questions": [
            { "id": "priority", "type": "single_choice", "required": true, "text": t3("Which service first?", "¿Qué servicio primero?", "Quel service d’abord ?"),
              "choices": [ choice("health", "Health", "Salud", "Santé"), choice("transport", "Transport", "Transporte", "Transports"), choice("schools", "Schools", "Escuelas", "Écoles") ] },
            { "id": "worries", "type": "multiple_choice", "max_selected": 2, "text": t3("What worries you?", "¿Qué le preocupa?", "Qu’est-ce qui vous inquiète ?"),
              "choices": [ choice("bias", "Bias", "Sesgos", "Biais"), choice("privacy", "Privacy", "Privacidad", "Vie privée"), choice("jobs", "Jobs", "Empleo", "Emplois") ] },
            { "id": "trust", "type": "scale", "min": 1, "max": 5, "text": t3("How much do you trust the council with AI?", "¿Cuánto confía en el ayuntamiento con la IA?", "Quelle confiance accordez-vous à la mairie pour l’IA ?") },
            { "id": "comment", "type": "free_text", "max_length": 500, "text": t3("Anything else?", "¿Algo más?", "Autre chose ?") } ] } })
}

fn panel() -> Value {
    let option = |v: &str, en: &str, es: &str, fr: &str| json!({ "value": v, "label": t3(en, es, fr) });
    json!({ "type": "org.convene.citizen-panel", "title": t3("Citizen panel on AI", "Panel ciudadano sobre la IA", "Panel citoyen sur l’IA"),
        "config": { "panel_size": 2,
            "questions": [ { "id": "age", "text": t3("Your age", "Su edad", "Votre âge"),
                "options": [ option("18-44", "18 to 44", "De 18 a 44", "De 18 à 44 ans"), option("45+", "45 or over", "45 o más", "45 ans ou plus") ] } ],
            "consent": t3("I agree that my answers are used for the draw.", "Acepto que mis respuestas se usen para el sorteo.", "J’accepte que mes réponses servent au tirage au sort."),
            "invitation": { "subject": t3("You were drawn for the citizen panel", "Ha sido elegido para el panel ciudadano", "Vous avez été tiré au sort pour le panel citoyen"),
                "body": t3("Please reply on the activity's page.", "Responda en la página de la actividad.", "Merci de répondre sur la page de l’activité.") } } })
}

fn answer(priority: &str, worries: &[&str], trust: i64, comment: &str) -> Value {
    json!({ "kind": "response", "body": { "answers": { "priority": priority, "worries": worries, "trust": trust, "comment": comment } } })
}

async fn respond(app: &TestApp, admin: &str, slug: &str, ids: &[&str], disposition: &str, explanation: Value, refs: &[&str]) {
    let body = json!({ "contribution_ids": ids, "disposition": disposition, "explanation": explanation, "outcome_refs": refs });
    expect_json(app.post_json(&format!("/api/v1/processes/{slug}/responses"), &body).bearer_auth(admin).send().await.unwrap(), 201).await;
}

/// An instance with every page type worth checking: a process with a consultation (results,
/// contributions with responses, one hidden by the moderators, one on paper), a citizen panel,
/// an outcome in two versions; a citizen per interface language, whose account is in it, with
/// a contribution that got a response. Returns the app and the matrix scenario's data.
async fn matrix_app() -> (TestApp, Value) {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let slug = "national-ai";
    // Its first phase runs today, so that the timeline says where the process stands.
    let day = |offset: i64| (chrono::Utc::now().date_naive() + chrono::Duration::days(offset)).to_string();
    let mut process = process_body(slug);
    process["phases"] = json!([
        { "name": t3("Consultation", "Consulta", "Consultation"), "starts_on": day(-20), "ends_on": day(40) },
        { "name": t3("Roundtables", "Mesas redondas", "Tables rondes"), "starts_on": day(41), "ends_on": day(90) } ]);
    process["milestones"] = json!([ { "title": t3("Draft strategy published", "Publicación del borrador", "Projet de stratégie publié"), "due_on": day(120) } ]);
    create_process(&app, &admin, &process).await;
    let res = app.client.post(app.url(&format!("/api/v1/processes/{slug}/publish"))).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let consultation = id_of(&add_activity(&app, &admin, slug, &consultation()).await);
    let panel = id_of(&add_activity(&app, &admin, slug, &panel()).await);

    // A citizen per interface language (a signed-in reader sees the account's language), each
    // with a contribution that got a response; others whose answers fill the results.
    let mut mine = Vec::new();
    for (lang, name, a) in [
        ("en", "Rosa Marsh", answer("health", &["bias", "privacy"], 4, "Waiting lists in hospitals are far too long.")),
        ("es", "Rosa Mármol", answer("health", &["privacy"], 3, "Las listas de espera son demasiado largas.")),
        ("fr", "Rose Marais", answer("transport", &["jobs"], 2, "Les bus de nuit passent trop rarement.")),
    ] {
        let (token, _) = citizen(&app, &format!("rosa.{lang}@example.org"), name, lang).await;
        mine.push(id_of(&expect_json(contribute(&app, &token, &consultation, &a).await, 201).await));
    }
    let mut others = Vec::new();
    for (i, a) in [
        answer("schools", &["bias"], 5, "Teachers need training first."),
        answer("health", &["privacy", "jobs"], 3, ""),
        answer("transport", &[], 1, "Publish the algorithm register."),
    ]
    .into_iter()
    .enumerate()
    {
        let (token, _) = citizen(&app, &format!("other{i}@example.org"), &format!("Other {i}"), "en").await;
        others.push(id_of(&expect_json(contribute(&app, &token, &consultation, &a).await, 201).await));
    }
    // One on paper, entered by the organiser, so that the report has two channels.
    let mut paper = answer("health", &["bias"], 4, "Sent by post: keep a person to talk to.");
    paper["channel"] = json!("paper");
    let paper = id_of(&expect_json(contribute(&app, &admin, &consultation, &paper).await, 201).await);
    // One the moderators hid, for the moderation log.
    let (rude_token, _) = citizen(&app, "rude@example.org", "Rude", "en").await;
    let rude = id_of(&expect_json(contribute(&app, &rude_token, &consultation, &answer("schools", &[], 1, "Everyone here is an idiot.")).await, 201).await);
    let hide = app.post_json(&format!("/api/v1/contributions/{rude}/hide"), &json!({ "reason": "Insults other participants (rule 2 of the charter)" }));
    expect_json(hide.bearer_auth(&admin).send().await.unwrap(), 200).await;

    // The outcome, twice (a history and differences), citing the contributions.
    let v1 = json!({ "title": t3("What we heard and what we decided", "Lo que escuchamos y lo que decidimos", "Ce que nous avons entendu et décidé"), "sections": [
        { "id": "heard", "heading": t3("What we heard", "Lo que escuchamos", "Ce que nous avons entendu"),
          "body": t3("Most people asked for **health** first, then transport.", "La mayoría pidió primero la **salud**, después el transporte.", "La plupart ont demandé d’abord la **santé**, puis les transports."),
          "cites": [mine[0], mine[1], others[1], paper] },
        { "id": "decided", "heading": t3("What we decided", "Lo que decidimos", "Ce que nous avons décidé"),
          "body": t3("Health comes first.", "La salud va primero.", "La santé d’abord."), "cites": [mine[0]] } ] });
    expect_json(app.post_json(&format!("/api/v1/processes/{slug}/outcomes"), &v1).bearer_auth(&admin).send().await.unwrap(), 201).await;
    let mut v2 = v1.clone();
    v2["sections"][1]["body"] = t3("Health comes first, then night buses.", "La salud va primero, después los autobuses nocturnos.", "La santé d’abord, puis les bus de nuit.");
    v2["sections"][1]["cites"] = json!([mine[0], mine[2]]);
    v2["note"] = t3("Added night buses after reading the paper submissions.", "Añadidos los autobuses nocturnos tras leer las aportaciones en papel.", "Bus de nuit ajoutés après lecture des contributions sur papier.");
    expect_json(app.post_json(&format!("/api/v1/processes/{slug}/outcomes"), &v2).bearer_auth(&admin).send().await.unwrap(), 201).await;
    respond(&app, &admin, slug, &[&mine[0], &paper], "adopted", t3("Health comes first in the strategy.", "La salud va primero en la estrategia.", "La santé passe en premier dans la stratégie."), &["decided"]).await;
    respond(&app, &admin, slug, &[&mine[1], &others[1]], "partly_adopted", t3("We start with waiting lists.", "Empezamos por las listas de espera.", "Nous commençons par les listes d’attente."), &["heard"]).await;
    respond(&app, &admin, slug, &[&mine[2]], "noted", t3("Night buses are in version 2.", "Los autobuses nocturnos están en la versión 2.", "Les bus de nuit sont dans la version 2."), &["decided"]).await;
    respond(&app, &admin, slug, &[&others[2]], "out_of_scope", t3("The register is a national matter.", "El registro es un asunto nacional.", "Le registre relève de l’État."), &[]).await;

    let data = json!({ "slug": slug, "consultation": consultation, "panel": panel, "password": PASSWORD,
                "citizens": { "en": "rosa.en@example.org", "es": "rosa.es@example.org", "fr": "rosa.fr@example.org" } });
    (app, data)
}

/// The matrix in one language (a test each, so that they run side by side): every page type
/// signed out and signed in at both widths, with the form-error states; in English also the
/// cold-load weight of every page type; in English and Spanish the README's screenshots.
async fn matrix_in(lang: &str) {
    let (app, mut data) = matrix_app().await;
    data["langs"] = json!([lang]);
    data["weigh"] = json!(lang == "en");
    run_scenario_named(&app, "a11y_matrix", &format!("a11y_matrix_{lang}"), data).await;
}

#[tokio::test]
async fn every_page_passes_axe_signed_out_and_in_at_both_widths_in_english() {
    matrix_in("en").await;
}

#[tokio::test]
async fn every_page_passes_axe_signed_out_and_in_at_both_widths_in_spanish() {
    matrix_in("es").await;
}

#[tokio::test]
async fn every_page_passes_axe_signed_out_and_in_at_both_widths_in_french() {
    matrix_in("fr").await;
}


/// A citizen panel through the pages: the volunteer form (its errors, then sent) by a signed-in
/// citizen; the organiser commits the seed and draws through the API; the invitation email's
/// link leads, through the sign-in page, to the reply form, and the reply is sent.
#[tokio::test]
async fn a_citizen_panel_is_volunteered_for_and_answered_in_the_browser() {
    let app = TestApp::spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "panel").await;
    let id = id_of(&add_activity(&app, &admin, "panel", &panel()).await);
    let email = "ana@example.org";
    citizen(&app, email, "Ana Lima", "en").await;
    // A second volunteer, through the API.
    let (bea, _) = citizen(&app, "bea@example.org", "Bea", "en").await;
    let volunteer = json!({ "kind": "volunteer", "body": { "answers": { "age": "45+" }, "consent": true } });
    expect_json(contribute(&app, &bea, &id, &volunteer).await, 201).await;

    run_scenario(&app, "panel_volunteer", json!({ "activity": id, "email": email, "password": PASSWORD })).await;

    expect_json(app.post(&format!("/api/v1/activities/{id}/seed")).bearer_auth(&admin).send().await.unwrap(), 201).await;
    expect_json(contribute(&app, &admin, &id, &json!({ "kind": "draw", "body": {} })).await, 201).await;

    run_scenario(&app, "panel_reply", json!({ "activity": id, "email": email, "password": PASSWORD })).await;
    let volunteers = expect_json(app.get(&format!("/api/v1/activities/{id}/contributions")).bearer_auth(&admin).send().await.unwrap(), 200).await;
    let kinds: Vec<&str> = volunteers["items"].as_array().unwrap().iter().filter_map(|c| c["kind"].as_str()).collect();
    assert!(kinds.contains(&"reply"), "the reply sent through the page is stored: {kinds:?}");
}

/// The Arabic of a demo text: `{"ar": .., "en": ..}` becomes `{"ar": ..}`, at any depth.
fn arabic_only(v: &Value) -> Value {
    match v {
        Value::Object(map) if map.contains_key("ar") && map.keys().all(|k| k.len() == 2) => json!({ "ar": map["ar"] }),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), arabic_only(v))).collect()),
        Value::Array(items) => Value::Array(items.iter().map(arabic_only).collect()),
        other => other.clone(),
    }
}

/// The demo's Arabic activity, its content in Arabic only (its process's language), on an
/// instance that offers Arabic: the content runs right to left inside the reader's interface,
/// and passes axe.
#[tokio::test]
async fn an_arabic_activity_runs_right_to_left() {
    let app = TestApp::builder().env("CONVENE_INSTANCE__LANGUAGES", "[\"en\",\"es\",\"fr\",\"ar\"]").spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let demo: Value = serde_json::from_str(include_str!("../../server/src/demo/processes.json")).unwrap();
    let list = demo.as_array().or_else(|| demo["processes"].as_array()).expect("the demo's processes");
    let source = arabic_only(list.iter().find(|p| p["default_language"] == "ar").expect("the demo has a process in Arabic"));
    let slug = source["slug"].as_str().unwrap();
    let mut body = process_body(slug);
    for key in ["title", "summary", "description", "scope", "topics", "iap2_level", "default_language"] {
        body[key] = source[key].clone();
    }
    body["phases"] = json!([
        { "name": source["phases"][0]["name"], "starts_on": "2026-01-01", "ends_on": "2099-06-30" },
        { "name": source["phases"][1]["name"], "starts_on": "2099-07-01", "ends_on": "2099-12-31" } ]);
    body["milestones"] = json!([]);
    create_process(&app, &admin, &body).await;
    let res = app.client.post(app.url(&format!("/api/v1/processes/{slug}/publish"))).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let source_activity = &source["activities"][0];
    let activity = json!({ "type": source_activity["type"], "title": source_activity["title"], "description": source_activity["description"],
        "config": source_activity["config"], "closes_at": "2099-01-01T00:00:00Z" });
    let id = id_of(&add_activity(&app, &admin, slug, &activity).await);
    let story: Value = serde_json::from_str(include_str!("../../server/src/demo/story.json")).unwrap();
    for (i, c) in story["arabic"]["contributions"].as_array().unwrap().iter().take(4).enumerate() {
        let (token, _) = citizen(&app, &format!("resident{i}@example.org"), &format!("Resident {i}"), "en").await;
        let body = json!({ "kind": "response", "body": c["body"], "language": "ar" });
        expect_json(contribute(&app, &token, &id, &body).await, 201).await;
    }
    run_scenario(&app, "rtl_activity", json!({ "activity": id, "title": source_activity["title"]["ar"], "email": "resident0@example.org", "password": PASSWORD })).await;
}
