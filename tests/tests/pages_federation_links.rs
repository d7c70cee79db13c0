//! Federation across two real servers, through the pages: a person reading an activity on one
//! site names their own site and is sent there, takes part from their own account with the
//! activity's form (errors at their fields), and sees on "My input" that it was received and,
//! later, the organisers' response; an organiser links a process to an activity elsewhere on
//! the workspace's "Linked" page and sees the reports sent and the response to them.

use std::time::Duration;

use convene_e2e::expect_json;
use convene_e2e::federation::{FederatedInstance, Linking, TakingPart, eventually, linking, taking_part};
use convene_e2e::flows::{published_process, user_token};
use convene_e2e::pages::{Browser, hidden, location, main_of};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(30);

/// The path and query of an absolute URL on `site`.
fn path_on(site: &FederatedInstance, url: &str) -> String {
    url.strip_prefix(&site.origin).unwrap_or_else(|| panic!("{url} is not on {}", site.origin)).to_string()
}

#[tokio::test]
async fn a_person_takes_part_from_their_own_site_and_sees_the_response_on_my_input() {
    let TakingPart { home, host, host_admin, person, activity_id, address } = taking_part().await;
    let page = format!("/activities/{activity_id}");

    // On the host, anyone reading the activity may name their own site.
    let reader = Browser::new(&host, None, None);
    let html = reader.page(&page, 200).await;
    let main = main_of(&html);
    assert!(main.contains("<h3 id=\"take-part-from-heading\">Take part from another site</h3>"), "{main}");
    assert!(main.contains(&format!("<form method=\"post\" action=\"/activities/{activity_id}/elsewhere\"")), "{main}");
    assert!(main.contains("<label for=\"site\">Your site</label>"), "{main}");
    // A site that is not a Convene site (nothing answers there) comes back at the field.
    let res = reader.submit(&page, &format!("/activities/{activity_id}/elsewhere"), &[("site", "localhost:1")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("<a href=\"#site\">could not ask localhost:1:") && html.contains("value=\"localhost:1\""), "{html}");
    let res = reader.submit(&page, &format!("/activities/{activity_id}/elsewhere"), &[("site", " ")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Enter the name of your site, for example town.example"));
    // The person's own site: sent there (303), to its page for taking part elsewhere.
    let res = reader.submit(&page, &format!("/activities/{activity_id}/elsewhere"), &[("site", &format!("http://{}/", home.instance()))]).await;
    assert_eq!(res.status(), 303);
    let there = location(&res);
    let query = reqwest::Url::parse_with_params("http://x/", [("activity", &address)]).unwrap().query().unwrap().to_string();
    assert_eq!(there, home.at(&format!("/take-part?{query}")));
    let take_part = path_on(&home, &there);

    // At home, someone not signed in is asked to sign in first, and comes back.
    let (status, _) = Browser::new(&home, None, None).get(&take_part).await;
    assert_eq!(status, 303);
    // Signed in: the activity as its site describes it, with the plugin's own form.
    let ana = Browser::new(&home, Some(&person), None);
    let html = ana.page(&take_part, 200).await;
    let main = main_of(&html);
    assert!(main.contains("<h1>Take part in “Where should AI help first?”</h1>"), "{main}");
    assert!(main.contains(&format!("An activity on {}.", host.instance())), "{main}");
    assert!(main.contains("Your view?") && main.contains("name=\"body.answers.q\""), "{main}");
    assert_eq!(hidden(&html, "activity"), address);
    assert!(main.contains(&format!("Send to {}", host.instance())), "{main}");

    // What the form refuses comes back at its field, with what was typed; nothing is sent.
    let long = "far too long for twenty characters";
    let res = ana.submit(&take_part, "/take-part", &[("activity", &address), ("kind", "response"), ("body.answers.q", long)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Error: Take part in") && html.contains("<a href=\"#f-response-answers-q\">"), "{html}");
    assert!(html.contains(&format!(">\n{long}</textarea>")), "{html}");
    assert!(expect_json(home.get("/api/v1/me/remote-input").bearer_auth(&person).send().await.unwrap(), 200).await.as_array().unwrap().is_empty());

    // Sent: "My input" says it was received there, with what was said.
    let res = ana.submit(&take_part, "/take-part", &[("activity", &address), ("kind", "response"), ("body.answers.q", "Buses first.")]).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap_or_default());
    let mine = location(&res);
    assert!(mine.starts_with("/me/input?sent=") && mine.ends_with("#elsewhere"), "{mine}");
    let html = ana.page(mine.split('#').next().unwrap(), 200).await;
    let main = main_of(&html);
    assert!(main.contains(&format!("Sent to {}", host.instance())) && main.contains("Received by the other site"), "{main}");
    assert!(main.contains("Buses first."), "{main}");

    // The organisers there respond; the response comes back to "My input".
    let on_host = expect_json(host.get(&format!("/api/v1/activities/{activity_id}/contributions")).send().await.unwrap(), 200).await;
    let contribution_id = on_host["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(on_host["items"][0]["origin"]["instance"], home.instance());
    let res = host.post_as(&host_admin, "/api/v1/processes/ai-first/responses", &json!({ "contribution_ids": [contribution_id], "disposition": "adopted", "explanation": { "en": "Buses come first in the draft." } })).await;
    assert_eq!(res.status(), 201);
    let main = eventually("the response on the person's My input page", WAIT, async || {
        let html = ana.page("/me/input", 200).await;
        html.contains("Buses come first in the draft.").then(|| main_of(&html).to_string())
    })
    .await;
    assert!(main.contains("What they did with it: Adopted"), "{main}");

    // The activity's address, opened in a browser, leads to its page.
    let res = reader.client.get(&address).header("accept", "text/html").send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), page);
    // With no address, the page asks for one; one that leads nowhere comes back at the field.
    let html = ana.page("/take-part", 200).await;
    assert!(html.contains("<label for=\"activity\">The activity") && html.contains("action=\"/take-part\""), "{html}");
    let (status, html) = ana.get("/take-part?activity=http%3A%2F%2Flocalhost%3A1%2Fap%2Factivities%2Fx").await;
    assert_eq!(status, 422);
    assert!(html.contains("<a href=\"#activity\">could not read that activity from its instance"), "{html}");
}

#[tokio::test]
async fn an_organiser_links_a_process_on_the_workspace_page_and_sees_the_response() {
    let Linking { town, national, town_admin, national_admin, reports_id, parent, consultation: not_reports } = linking().await;
    published_process(&town, &town_admin, "town-roundtables").await;
    let page = "/manage/processes/town-roundtables/link";
    let clerk = Browser::new(&town, Some(&town_admin), None);

    let html = clerk.page(page, 200).await;
    let main = main_of(&html);
    assert!(main.contains("<h1>Linked to another site</h1>") && main.contains("aria-current=\"page\">Linked</a>"), "{main}");
    assert!(main.contains("<h2 id=\"set-heading\">Link to an activity on another site</h2>"), "{main}");
    // Nothing typed, and an activity that takes no reports: back at the field.
    let res = clerk.submit(page, page, &[("parent_activity", "")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("<a href=\"#parent_activity\">Enter the address of the activity on the other site</a>"));
    let res = clerk.submit(page, page, &[("parent_activity", &not_reports)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("that activity does not take reports from linked processes") && html.contains(&format!("value=\"{not_reports}\"")), "{html}");

    // Linked.
    let res = clerk.submit(page, page, &[("parent_activity", &parent)]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{page}?done=linked"));
    let html = clerk.page(&location(&res), 200).await;
    let main = main_of(&html);
    assert!(main.contains("Linked. The outcome goes there each time you publish a version.") && main.contains("Reports from local roundtables"), "{main}");
    assert!(main.contains("No report yet"), "{main}");

    // The outcome goes there; the national organisers respond; the page shows both.
    let outcome = json!({ "title": { "en": "What the town recommends" },
        "sections": [ { "id": "1", "heading": { "en": "Buses first" }, "body": { "en": "Five roundtables, 84 residents." } } ], "note": { "en": "For the national strategy." } });
    let res = town.post_as(&town_admin, "/api/v1/processes/town-roundtables/outcomes", &outcome).await;
    assert_eq!(res.status(), 201);
    let reports_path = format!("/api/v1/activities/{reports_id}/contributions");
    let report_id = eventually("the town's report in the national activity", WAIT, async || {
        let list: Value = expect_json(national.get(&reports_path).send().await.unwrap(), 200).await;
        list["items"][0]["id"].as_str().map(str::to_string)
    })
    .await;
    let res = national.post_as(&national_admin, "/api/v1/processes/national-ai/responses", &json!({ "contribution_ids": [report_id], "disposition": "partly_adopted", "explanation": { "en": "Buses are in section 4." } })).await;
    assert_eq!(res.status(), 201);
    let main = eventually("the response on the town's Linked page", WAIT, async || {
        let html = clerk.page(page, 200).await;
        html.contains("Buses are in section 4.").then(|| main_of(&html).to_string())
    })
    .await;
    assert!(main.contains("What the town recommends (v1)") && main.contains("Received by the other site") && main.contains("<strong>Partly adopted</strong>"), "{main}");

    // A participant may not see the page; the link ends with its button.
    let someone = user_token(&town, "someone@town.example").await;
    assert_eq!(Browser::new(&town, Some(&someone), None).get(page).await.0, 403);
    let res = clerk.submit(page, "/manage/processes/town-roundtables/unlink", &[]).await;
    assert_eq!(res.status(), 303);
    let html = clerk.page(&location(&res), 200).await;
    assert!(html.contains("The link has ended.") && !html.contains("Buses are in section 4."), "{html}");
    assert_eq!(town.get("/api/v1/processes/town-roundtables/link").send().await.unwrap().status(), 404);
}
