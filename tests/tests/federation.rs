//! Federation between real server processes on loopback, each with its own database: a remote
//! actor (the test's forger, or another Convene instance speaking with its own key) follows a
//! public process, gets an Accept, and hears of each ledger entry as a signed Announce;
//! discovery (WebFinger, NodeInfo, actor documents) shows listed processes only; what is
//! forged, replayed, stale, oversized or from a blocked instance is refused and changes
//! nothing; deliveries to an instance that is down are retried until it is back, or given up
//! and shown to administrators.

use std::time::{Duration, SystemTime};

use convene_e2e::federation::{ACTIVITY_JSON, FederatedInstance, Forger, PUBLIC, Received, SignedPost, TestKey, eventually};
use convene_e2e::flows::{add_activity, admin_token, create_process, process_body, published_process, user_token};
use convene_e2e::{expect_json, problem};
use serde_json::{Value, json};

/// How long a delivery (or a job round before it) may take to arrive.
const WAIT: Duration = Duration::from_secs(20);

fn consultation(title: &str) -> Value {
    json!({ "type": "org.convene.consultation", "title": { "en": title },
        "config": { "questions": [ { "id": "q", "type": "free_text", "text": { "en": "Your view?" } } ] } })
}

/// The followers of a process in the administrators' overview (none: an empty list).
fn followers(overview: &Value, process_id: &str) -> Vec<Value> {
    overview["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["process_id"] == process_id)
        .map(|p| p["followers"].as_array().unwrap().clone())
        .unwrap_or_default()
}

/// The ledger entry an Announce carries.
fn entry_of(announce: &Received) -> Value {
    announce.json()["object"]["object"]["convene:ledgerEntry"].clone()
}

fn announces_of(kind: &'static str) -> impl Fn(&Received) -> bool {
    move |r: &Received| r.kind().as_deref() == Some("Announce") && entry_of(r)["kind"] == kind
}

/// A published public process on `a`, and its Group actor document.
async fn followable(a: &FederatedInstance, admin: &str, slug: &str) -> (String, Value) {
    let process = published_process(a, admin, slug).await;
    let id = process["id"].as_str().unwrap().to_string();
    let group = a.fetch_ap(&a.process_actor(&id)).await;
    (id, group)
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// Waits until nothing is left to deliver, so that "only one arrived" means something.
async fn deliveries_settle(a: &FederatedInstance, admin: &str) {
    eventually("every delivery to be done", WAIT, async || (a.overview(admin).await["pending_deliveries"] == 0).then_some(())).await;
}

async fn count_received(a: &FederatedInstance, activity_id: &str) -> i64 {
    a.count(&format!("SELECT COUNT(*) AS n FROM federation_received WHERE activity_id = '{activity_id}'")).await
}

#[tokio::test]
async fn a_remote_follower_is_accepted_and_hears_of_each_ledger_entry() {
    let (a, forger) = tokio::join!(FederatedInstance::spawn(), Forger::start());
    let admin = admin_token(&a, "admin@example.org").await;
    let (process_id, group) = followable(&a, &admin, "open-budget").await;
    let group_id = a.process_actor(&process_id);
    assert_eq!(group["type"], "Group");
    assert_eq!(group["id"], group_id);
    assert_eq!(group["preferredUsername"], "open-budget");
    assert_eq!(group["publicKey"]["id"], format!("{group_id}#main-key"));
    assert_eq!(group["publicKey"]["owner"], group_id);
    let group_key = s(&group["publicKey"]["publicKeyPem"]).to_string();

    let follow = forger.follow("alice", &group_id);
    let res = forger.post("alice", s(&group["inbox"]), &follow).send().await;
    assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());

    // The Accept, to alice's own inbox, signed by the process's Group.
    let accept = forger.wait_for("the Accept of alice's Follow", WAIT, |r| r.kind().as_deref() == Some("Accept")).await;
    assert_eq!(accept.path, "/users/alice/inbox");
    let body = accept.json();
    assert_eq!(body["actor"], group_id);
    assert_eq!(body["object"]["type"], "Follow");
    assert_eq!(body["object"]["id"], follow["id"]);
    assert_eq!(body["object"]["actor"], forger.actor("alice"));
    assert_eq!(body["object"]["object"], group_id);
    assert_eq!(accept.verify_signature(&group_key).unwrap(), format!("{group_id}#main-key"));
    assert!(accept.verify_signature(TestKey::fixed(1).public_pem()).is_err(), "the check itself can fail");

    // Administrators see the follower; nobody else sees the overview.
    let res = a.get("/api/v1/admin/federation").send().await.unwrap();
    assert_eq!(res.status(), 401);
    let user = user_token(&a, "someone@example.org").await;
    assert_eq!(a.get("/api/v1/admin/federation").bearer_auth(&user).send().await.unwrap().status(), 403);
    let overview = a.overview(&admin).await;
    assert_eq!(overview["enabled"], true);
    assert_eq!(overview["instance_actor"], a.at("/ap/instance"));
    let listed = followers(&overview, &process_id);
    assert_eq!(listed.len(), 1, "{overview}");
    assert_eq!(listed[0]["actor"], forger.actor("alice"));
    assert_eq!(listed[0]["instance"], forger.instance());
    assert_eq!(listed[0]["name"], "Forged alice");
    assert_eq!(a.fetch_ap(s(&group["followers"])).await["totalItems"], 1);

    // A ledger event: the follower receives it as Announce{Create{Note}}, the whole signed
    // entry inside, exactly as the public ledger has it.
    add_activity(&a, &admin, "open-budget", &consultation("Budget priorities")).await;
    let announce = forger.wait_for("the Announce of activity.created", WAIT, announces_of("activity.created")).await;
    announce.verify_signature(&group_key).unwrap();
    let body = announce.json();
    assert_eq!(body["actor"], group_id);
    assert!(body["to"].as_array().unwrap().contains(&json!(PUBLIC)), "{body}");
    assert_eq!(body["object"]["type"], "Create");
    assert_eq!(body["object"]["actor"], group_id);
    let note = &body["object"]["object"];
    assert_eq!(note["type"], "Note");
    assert_eq!(note["attributedTo"], group_id);
    let entry = entry_of(&announce);
    let ledger = expect_json(a.get("/api/v1/ledger").send().await.unwrap(), 200).await;
    let sealed = ledger["entries"].as_array().unwrap().iter().find(|e| e["seq"] == entry["seq"]).unwrap_or_else(|| panic!("entry {} is not in {ledger}", entry["seq"]));
    for field in ["at", "kind", "process_id", "payload", "prev_hash", "hash", "signature"] {
        assert_eq!(entry[field], sealed[field], "{field} of the announced entry");
    }
    assert_eq!(entry["process_id"], process_id);
    assert_eq!(entry["public_key"], ledger["public_key"]);
    // The Note is also served where its id says.
    let served = a.fetch_ap(s(&note["id"])).await;
    assert_eq!(served["convene:ledgerEntry"]["hash"], sealed["hash"]);

    // Undo(Follow): no longer a follower.
    let undo = forger.undo("alice", &follow);
    let res = forger.post("alice", s(&group["inbox"]), &undo).send().await;
    assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
    assert!(followers(&a.overview(&admin).await, &process_id).is_empty());
    assert_eq!(a.fetch_ap(s(&group["followers"])).await["totalItems"], 0);
    assert_eq!(a.count("SELECT COUNT(*) AS n FROM process_followers").await, 0);
}

#[tokio::test]
async fn two_instances_find_each_other_and_only_listed_processes_federate() {
    let (a, b) = tokio::join!(FederatedInstance::spawn(), FederatedInstance::spawn());
    let (admin_a, admin_b) = tokio::join!(admin_token(&a, "admin@a.example"), admin_token(&b, "admin@b.example"));
    let (process_id, _) = followable(&a, &admin_a, "open-budget").await;
    let group_id = a.process_actor(&process_id);
    published_process(&b, &admin_b, "river-plan").await;

    // Processes that are not listed: unlisted, private, a draft meant to be public.
    let mut hidden = Vec::new();
    for (slug, visibility, publish) in [("quiet-unlisted", "unlisted", true), ("closed-private", "private", true), ("early-draft", "public", false)] {
        let mut body = process_body(slug);
        body["visibility"] = json!(visibility);
        let p = create_process(&a, &admin_a, &body).await;
        if publish {
            expect_json(a.post(&format!("/api/v1/processes/{slug}/publish")).bearer_auth(&admin_a).send().await.unwrap(), 200).await;
        }
        hidden.push((slug, s(&p["id"]).to_string()));
    }

    // NodeInfo counts the listed process only.
    let links = expect_json(a.client.get(a.at("/.well-known/nodeinfo")).send().await.unwrap(), 200).await;
    assert_eq!(links["links"][0]["rel"], "http://nodeinfo.diaspora.software/ns/schema/2.1");
    assert_eq!(links["links"][0]["href"], a.at("/nodeinfo/2.1"));
    let nodeinfo = expect_json(a.client.get(a.at("/nodeinfo/2.1")).send().await.unwrap(), 200).await;
    assert_eq!(nodeinfo["software"]["name"], "convene");
    assert_eq!(nodeinfo["protocols"], json!(["activitypub"]));
    assert_eq!(nodeinfo["metadata"]["publicProcesses"], 1, "{nodeinfo}");
    assert_eq!(nodeinfo["usage"]["localPosts"], 1, "{nodeinfo}");

    // WebFinger finds the listed process by handle and by actor id, on this host only.
    let finger = |resource: String| {
        let url = reqwest::Url::parse_with_params(&a.at("/.well-known/webfinger"), [("resource", resource)]).unwrap();
        a.client.get(url).send()
    };
    let res = finger(format!("acct:open-budget@{}", a.instance())).await.unwrap();
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/jrd+json"));
    let jrd = expect_json(res, 200).await;
    assert_eq!(jrd["subject"], format!("acct:open-budget@{}", a.instance()));
    let me = jrd["links"].as_array().unwrap().iter().find(|l| l["rel"] == "self").expect("a self link");
    assert_eq!(me["type"], ACTIVITY_JSON);
    assert_eq!(me["href"], group_id);
    assert!(jrd["aliases"].as_array().unwrap().contains(&json!(a.at("/processes/open-budget"))), "{jrd}");
    assert_eq!(expect_json(finger(group_id.clone()).await.unwrap(), 200).await["subject"], jrd["subject"]);
    assert_eq!(finger(format!("acct:open-budget@{}", b.instance())).await.unwrap().status(), 404);
    assert_eq!(finger(format!("acct:nobody@{}", a.instance())).await.unwrap().status(), 404);
    // The page asked for as ActivityPub is the actor; asked for as a page, it is a page.
    assert_eq!(a.fetch_ap("/processes/open-budget").await["id"], group_id);
    let page = a.client.get(a.at("/processes/open-budget")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));

    // Nothing of the others: no WebFinger, no actor, no collections, no page as an actor.
    for (slug, id) in &hidden {
        let what = format!("the {slug} process");
        assert_eq!(finger(format!("acct:{slug}@{}", a.instance())).await.unwrap().status(), 404, "WebFinger of {what}");
        assert_eq!(finger(a.process_actor(id)).await.unwrap().status(), 404, "WebFinger by id of {what}");
        for part in ["", "/outbox", "/followers"] {
            assert_eq!(a.get_ap(&format!("{}{part}", a.process_actor(id))).await.status(), 404, "{part} of {what}");
        }
        assert_eq!(a.get_ap(&format!("/processes/{slug}")).await.status(), 404, "the page of {what} as ActivityPub");
        let res = a.post_json(&format!("/api/v1/processes/{slug}/remote-follow"), &json!({"handle": format!("@river-plan@{}", b.instance())})).send().await.unwrap();
        assert_eq!(res.status(), 404, "remote follow of {what}");
    }

    // Following from another instance: A asks B (WebFinger); B is Convene, which offers no
    // follow page, and A says so. An unknown name on B is B's 404, passed on.
    let remote_follow = async |handle: String| a.post_json("/api/v1/processes/open-budget/remote-follow", &json!({ "handle": handle })).send().await.unwrap();
    let res = remote_follow(format!("@river-plan@{}", b.instance())).await;
    assert_eq!(res.status(), 422);
    let detail = problem(res).await["detail"].as_str().unwrap().to_string();
    assert!(detail.contains(&format!("{} does not offer following from another site", b.instance())), "{detail}");
    assert!(detail.contains(&format!("@open-budget@{}", a.instance())), "{detail}");
    let res = remote_follow(format!("@nobody@{}", b.instance())).await;
    assert_eq!(res.status(), 422);
    let detail = problem(res).await["detail"].as_str().unwrap().to_string();
    assert!(detail.contains(&format!("could not ask {} about nobody", b.instance())) && detail.contains("404"), "{detail}");
    let res = remote_follow("not a handle".into()).await;
    assert_eq!(res.status(), 422);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("@name@instance.example"));

    // B's instance actor follows A's process. Convene cannot follow by itself yet, so the test
    // speaks for B with B's own key (read from B's database): A fetches B's actor document,
    // checks the signature with it, and from then on delivers to B, whose inbox checks A's.
    let b_key = b.signing_key().await;
    let b_actor = b.fetch_ap("/ap/instance").await;
    assert_eq!(b_actor["type"], "Application");
    assert_eq!(s(&b_actor["publicKey"]["publicKeyPem"]).trim(), b_key.public_pem().trim(), "the key read is B's actors' key");
    let b_id = s(&b_actor["id"]).to_string();
    let follow_as_b = |object: &str| json!({
        "@context": ["https://www.w3.org/ns/activitystreams"],
        "id": b.at(&format!("/ap/activities/{}", uuid::Uuid::new_v4())),
        "type": "Follow", "actor": b_id, "object": object,
    });
    // A Follow of a process that is not listed is refused, through either inbox.
    let (_, unlisted_id) = &hidden[0];
    let res = SignedPost::new(&a.at("/ap/inbox"), &follow_as_b(&a.process_actor(unlisted_id)), &b_key, &format!("{b_id}#main-key")).send().await;
    assert_eq!(res.status(), 404, "{}", res.text().await.unwrap());
    let res = SignedPost::new(&format!("{}/inbox", a.process_actor(unlisted_id)), &follow_as_b(&a.process_actor(unlisted_id)), &b_key, &format!("{b_id}#main-key")).send().await;
    assert_eq!(res.status(), 404);
    assert_eq!(a.count("SELECT COUNT(*) AS n FROM process_followers").await, 0);

    let follow = follow_as_b(&group_id);
    let res = SignedPost::new(&a.at("/ap/inbox"), &follow, &b_key, &format!("{b_id}#main-key")).send().await;
    assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
    let listed = followers(&a.overview(&admin_a).await, &process_id);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["actor"], b_id);
    assert_eq!(listed[0]["instance"], b.instance());
    let stored = a.query(&format!("SELECT kind, host, shared_inbox FROM remote_actors WHERE ap_id = '{b_id}'")).await;
    assert_eq!(stored.len(), 1, "A keeps B's actor");
    assert_eq!(stored[0]["kind"], "Application");
    assert_eq!(stored[0]["host"], b.instance());
    assert_eq!(stored[0]["shared_inbox"], b.at("/ap/inbox"));

    // B records an activity only once its signature checked out with the sender's key, which
    // it fetched from A: the Accept, then an Announce of A's next ledger entry.
    let received_by_b = async |kind: &str| {
        let rows = b.query(&format!("SELECT actor_ap_id FROM federation_received WHERE kind = '{kind}'")).await;
        rows.iter().any(|r| r["actor_ap_id"] == group_id).then_some(())
    };
    eventually("B to receive and verify A's Accept", WAIT, async || received_by_b("Accept").await).await;
    let a_on_b = b.query(&format!("SELECT kind, host FROM remote_actors WHERE ap_id = '{group_id}'")).await;
    assert_eq!(a_on_b.len(), 1, "B fetched A's Group");
    assert_eq!(a_on_b[0]["kind"], "Group");
    assert_eq!(a_on_b[0]["host"], a.instance());
    add_activity(&a, &admin_a, "open-budget", &consultation("Budget priorities")).await;
    eventually("B to receive and verify A's Announce", WAIT, async || received_by_b("Announce").await).await;
    assert_eq!(a.count("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'federation_delivery' AND status = 'failed'").await, 0);
}

#[tokio::test]
async fn a_forged_or_tampered_signature_is_refused_and_changes_nothing() {
    let (a, forger) = tokio::join!(FederatedInstance::spawn(), Forger::start());
    let admin = admin_token(&a, "admin@example.org").await;
    let (process_id, group) = followable(&a, &admin, "open-budget").await;
    let inbox = s(&group["inbox"]).to_string();
    let follow = forger.follow("alice", &a.process_actor(&process_id));
    let follow_id = s(&follow["id"]).to_string();

    // Signed with a key that is not alice's, under alice's keyId.
    let res = forger.post("alice", &inbox, &follow).signed_with(&TestKey::fixed(2)).send().await;
    assert_eq!(res.status(), 401);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("signature"));
    // The body is not the one the Digest was computed over (and signed).
    let res = forger.post("alice", &inbox, &follow).digest_of(br#"{"type":"Follow"}"#).send().await;
    assert_eq!(res.status(), 401);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("Digest"));
    // The Digest sent, but left out of what is signed.
    let res = forger.post("alice", &inbox, &follow).signing_headers(&["(request-target)", "host", "date"]).send().await;
    assert_eq!(res.status(), 401);
    // Signed for another path (a signature lifted from a request to another inbox).
    let mut lifted = forger.post("alice", &a.at("/ap/inbox"), &follow).build();
    lifted.url = inbox.clone();
    assert_eq!(lifted.send().await.status(), 401);
    // No signature at all.
    let res = a.client.post(&inbox).header("content-type", ACTIVITY_JSON).body(follow.to_string()).send().await.unwrap();
    assert_eq!(res.status(), 401);

    assert_eq!(count_received(&a, &follow_id).await, 0, "a refused activity is not recorded as seen");
    assert_eq!(a.count("SELECT COUNT(*) AS n FROM process_followers").await, 0);
    assert!(followers(&a.overview(&admin).await, &process_id).is_empty());
    assert!(forger.activities("Accept").is_empty());

    // The same activity, signed by alice, is taken: the forgeries did not use its id up.
    let res = forger.post("alice", &inbox, &follow).send().await;
    assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
    assert_eq!(followers(&a.overview(&admin).await, &process_id).len(), 1);
    forger.wait_for("the Accept", WAIT, |r| r.kind().as_deref() == Some("Accept")).await;
}

#[tokio::test]
async fn a_replayed_activity_does_nothing_and_a_stale_one_is_refused() {
    let (a, forger) = tokio::join!(FederatedInstance::spawn(), Forger::start());
    let admin = admin_token(&a, "admin@example.org").await;
    let (process_id, group) = followable(&a, &admin, "open-budget").await;
    let inbox = s(&group["inbox"]).to_string();
    let follow = forger.follow("alice", &a.process_actor(&process_id));
    let follow_id = s(&follow["id"]).to_string();

    // The exact same signed request, twice.
    let signed = forger.post("alice", &inbox, &follow).build();
    assert_eq!(signed.send().await.status(), 202);
    assert_eq!(signed.send().await.status(), 202, "a duplicate is accepted (senders retry)...");
    forger.wait_for("the Accept", WAIT, |r| r.kind().as_deref() == Some("Accept")).await;
    assert_eq!(followers(&a.overview(&admin).await, &process_id).len(), 1, "... and does nothing");
    assert_eq!(a.count("SELECT COUNT(*) AS n FROM process_followers").await, 1);
    assert_eq!(count_received(&a, &follow_id).await, 1);
    // Something else to deliver, then nothing left: one Accept reached the follower.
    add_activity(&a, &admin, "open-budget", &consultation("Budget priorities")).await;
    forger.wait_for("the Announce", WAIT, announces_of("activity.created")).await;
    deliveries_settle(&a, &admin).await;
    assert_eq!(forger.activities("Accept").len(), 1, "one Accept for one Follow sent twice");

    // Replaying the old Follow after an Undo does not follow again.
    let undo = forger.undo("alice", &follow);
    assert_eq!(forger.post("alice", &inbox, &undo).send().await.status(), 202);
    assert!(followers(&a.overview(&admin).await, &process_id).is_empty());
    assert_eq!(signed.send().await.status(), 202);
    assert!(followers(&a.overview(&admin).await, &process_id).is_empty(), "the replay re-followed");

    // A Date more than an hour away, either way, is refused before anything is fetched.
    forger.add_actor("bob", &TestKey::fixed(2));
    let hour = Duration::from_secs(3600);
    for (when, date) in [("old", SystemTime::now() - 2 * hour), ("future", SystemTime::now() + 2 * hour)] {
        let stale = forger.follow("bob", &a.process_actor(&process_id));
        let res = forger.post("bob", &inbox, &stale).dated(date).send().await;
        assert_eq!(res.status(), 401, "an {when} Date");
        assert!(problem(res).await["detail"].as_str().unwrap().contains("Date"), "an {when} Date");
        assert_eq!(count_received(&a, s(&stale["id"])).await, 0);
    }
    assert!(!forger.received().iter().any(|r| r.method == "GET" && r.path == "/users/bob"), "bob's actor was fetched");
    assert!(followers(&a.overview(&admin).await, &process_id).is_empty());
    // Within the hour it is fine.
    let recent = forger.follow("bob", &a.process_actor(&process_id));
    let res = forger.post("bob", &inbox, &recent).dated(SystemTime::now() - Duration::from_secs(600)).send().await;
    assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
    assert_eq!(followers(&a.overview(&admin).await, &process_id).len(), 1);
}

#[tokio::test]
async fn a_key_from_another_host_or_owned_by_another_actor_is_refused() {
    let (a, forger, elsewhere) = tokio::join!(FederatedInstance::spawn(), Forger::start(), Forger::start());
    let admin = admin_token(&a, "admin@example.org").await;
    let (process_id, group) = followable(&a, &admin, "open-budget").await;
    let inbox = s(&group["inbox"]).to_string();
    let mallory = elsewhere.add_actor("mallory", &TestKey::fixed(2));

    // alice's Follow, signed by mallory on another host with mallory's own key.
    let follow = forger.follow("alice", &a.process_actor(&process_id));
    let res = forger.post("alice", &inbox, &follow).signed_with(&TestKey::fixed(2)).key_id(&elsewhere.key_id("mallory")).send().await;
    assert_eq!(res.status(), 401, "{}", res.text().await.unwrap());

    // eve's document says its key belongs to mallory: that key signs nothing for eve.
    let eve = forger.add_actor_owned_by("eve", &TestKey::fixed(3), &mallory);
    let eves = forger.follow("eve", &a.process_actor(&process_id));
    let res = forger.post("eve", &inbox, &eves).send().await;
    assert_eq!(res.status(), 401, "{}", res.text().await.unwrap());
    assert!(forger.received().iter().any(|r| r.method == "GET" && r.path == "/users/eve"), "A fetched eve's document");
    assert_eq!(a.count(&format!("SELECT COUNT(*) AS n FROM remote_actors WHERE ap_id = '{eve}'")).await, 0, "eve is not kept");

    // alice's own key, but a keyId naming a key on another host.
    let res = forger.post("alice", &inbox, &follow).key_id(&elsewhere.key_id("alice")).send().await;
    assert_eq!(res.status(), 401, "{}", res.text().await.unwrap());

    assert_eq!(count_received(&a, s(&follow["id"])).await, 0);
    assert_eq!(count_received(&a, s(&eves["id"])).await, 0);
    assert_eq!(a.count("SELECT COUNT(*) AS n FROM process_followers").await, 0);
    // Signed as it should be, the same Follow is taken.
    assert_eq!(forger.post("alice", &inbox, &follow).send().await.status(), 202);
    assert_eq!(followers(&a.overview(&admin).await, &process_id).len(), 1);
}

#[tokio::test]
async fn an_activity_over_the_size_limit_is_refused_unread() {
    let (a, forger) = tokio::join!(FederatedInstance::spawn_with(|b| b.env("CONVENE_FEDERATION__MAX_ACTIVITY_KIB", "8")), Forger::start());
    let admin = admin_token(&a, "admin@example.org").await;
    let (process_id, group) = followable(&a, &admin, "open-budget").await;
    let inbox = s(&group["inbox"]).to_string();
    forger.add_actor("bob", &TestKey::fixed(2));

    let mut large = forger.follow("bob", &a.process_actor(&process_id));
    large["summary"] = json!("x".repeat(9 * 1024));
    let res = forger.post("bob", &inbox, &large).send().await;
    assert_eq!(res.status(), 413);
    assert!(problem(res).await["detail"].as_str().unwrap().contains("8 KiB"));
    // Through the shared inbox too, and unsigned: the size is checked first.
    let res = a.client.post(a.at("/ap/inbox")).header("content-type", ACTIVITY_JSON).body(vec![b' '; 16 * 1024]).send().await.unwrap();
    assert_eq!(res.status(), 413);
    assert!(!forger.received().iter().any(|r| r.path == "/users/bob"), "nothing was fetched for it");
    assert_eq!(count_received(&a, s(&large["id"])).await, 0);

    // Under the limit, padded the same way, it is taken.
    let mut fits = forger.follow("bob", &a.process_actor(&process_id));
    fits["summary"] = json!("x".repeat(6 * 1024));
    let res = forger.post("bob", &inbox, &fits).send().await;
    assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
    assert_eq!(followers(&a.overview(&admin).await, &process_id).len(), 1);
}

#[tokio::test]
async fn a_blocked_instance_is_refused_unfollowed_and_sent_nothing() {
    let (a, blocked, other) = tokio::join!(FederatedInstance::spawn(), Forger::start(), Forger::start());
    let admin = admin_token(&a, "admin@example.org").await;
    let (process_id, group) = followable(&a, &admin, "open-budget").await;
    let inbox = s(&group["inbox"]).to_string();
    let group_id = a.process_actor(&process_id);
    for forger in [&blocked, &other] {
        assert_eq!(forger.post("alice", &inbox, &forger.follow("alice", &group_id)).send().await.status(), 202);
        forger.wait_for("the Accept", WAIT, |r| r.kind().as_deref() == Some("Accept")).await;
    }
    assert_eq!(followers(&a.overview(&admin).await, &process_id).len(), 2);

    // Only administrators block.
    let block = json!({ "instance": blocked.instance(), "reason": "spam" });
    assert_eq!(a.post_json("/api/v1/admin/federation/blocks", &block).send().await.unwrap().status(), 401);
    let user = user_token(&a, "someone@example.org").await;
    assert_eq!(a.post_json("/api/v1/admin/federation/blocks", &block).bearer_auth(&user).send().await.unwrap().status(), 403);
    let res = a.post_json("/api/v1/admin/federation/blocks", &json!({ "instance": "not an instance!" })).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let res = a.post_json("/api/v1/admin/federation/blocks", &json!({ "instance": a.instance() })).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 422, "an instance cannot block itself");

    let made = expect_json(a.post_json("/api/v1/admin/federation/blocks", &block).bearer_auth(&admin).send().await.unwrap(), 201).await;
    assert_eq!(made["instance"], blocked.instance());
    assert_eq!(made["reason"], "spam");
    let overview = a.overview(&admin).await;
    assert_eq!(overview["blocked"].as_array().unwrap().len(), 1);
    assert_eq!(overview["blocked"][0]["instance"], blocked.instance());
    assert_eq!(overview["blocked"][0]["reason"], "spam");
    let left: Vec<Value> = followers(&overview, &process_id).iter().map(|f| f["actor"].clone()).collect();
    assert_eq!(left, [json!(other.actor("alice"))], "the blocked instance's follower is gone");

    // Its activities are refused, before anything is fetched from it.
    let seen = blocked.received().len();
    let again = blocked.follow("alice", &group_id);
    let res = blocked.post("alice", &inbox, &again).send().await;
    assert_eq!(res.status(), 403);
    let res = blocked.post("alice", &a.at("/ap/inbox"), &blocked.follow("alice", &group_id)).send().await;
    assert_eq!(res.status(), 403);
    assert_eq!(count_received(&a, s(&again["id"])).await, 0);
    assert_eq!(followers(&a.overview(&admin).await, &process_id).len(), 1);

    // A ledger event reaches the other follower, and nothing reaches the blocked one.
    add_activity(&a, &admin, "open-budget", &consultation("Budget priorities")).await;
    other.wait_for("the Announce", WAIT, announces_of("activity.created")).await;
    deliveries_settle(&a, &admin).await;
    assert_eq!(blocked.received().len(), seen, "the blocked instance heard from A: {:?}", &blocked.received()[seen..]);
    assert!(blocked.activities("Announce").is_empty());

    // Lifted: it may follow again (and is answered).
    let res = a.delete(&format!("/api/v1/admin/federation/blocks/{}", blocked.instance())).bearer_auth(&user).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = a.delete(&format!("/api/v1/admin/federation/blocks/{}", blocked.instance())).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let res = a.delete(&format!("/api/v1/admin/federation/blocks/{}", blocked.instance())).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(a.overview(&admin).await["blocked"].as_array().unwrap().is_empty());
    let back = blocked.follow("alice", &group_id);
    let res = blocked.post("alice", &inbox, &back).send().await;
    assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
    blocked.wait_for("the Accept of the new Follow", WAIT, |r| r.kind().as_deref() == Some("Accept") && r.json()["object"]["id"] == back["id"]).await;
    assert_eq!(followers(&a.overview(&admin).await, &process_id).len(), 2);
}

#[tokio::test]
async fn a_delivery_is_retried_until_the_follower_is_back_and_arrives_once() {
    let (a, mut forger) = tokio::join!(FederatedInstance::spawn(), Forger::start());
    let admin = admin_token(&a, "admin@example.org").await;
    let (process_id, group) = followable(&a, &admin, "open-budget").await;
    let follow = forger.follow("alice", &a.process_actor(&process_id));
    assert_eq!(forger.post("alice", s(&group["inbox"]), &follow).send().await.status(), 202);
    forger.wait_for("the Accept", WAIT, |r| r.kind().as_deref() == Some("Accept")).await;

    // The follower goes away; A publishes; the delivery fails and is tried again.
    forger.stop().await;
    add_activity(&a, &admin, "open-budget", &consultation("Budget priorities")).await;
    let failing = "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'federation_delivery' AND status = 'pending' AND attempts >= 2";
    eventually("a delivery to fail twice", WAIT, async || (a.count(failing).await > 0).then_some(())).await;
    assert!(a.overview(&admin).await["pending_deliveries"].as_u64().unwrap() >= 1);
    assert!(forger.activities("Announce").is_empty());

    // Back on the same port: it arrives, once.
    forger.start_again().await;
    let announce = forger.wait_for("the Announce after the follower came back", WAIT, announces_of("activity.created")).await;
    announce.verify_signature(s(&group["publicKey"]["publicKeyPem"])).unwrap();
    deliveries_settle(&a, &admin).await;
    let announces = forger.activities("Announce");
    let mut seqs: Vec<i64> = announces.iter().map(|r| entry_of(r)["seq"].as_i64().unwrap()).collect();
    let all = seqs.len();
    seqs.sort_unstable();
    seqs.dedup();
    assert_eq!(seqs.len(), all, "an entry was announced twice: {seqs:?}");
    let ids: Vec<Value> = announces.iter().map(|r| r.json()["id"].clone()).collect();
    assert_eq!(ids.iter().filter(|id| **id == announce.json()["id"]).count(), 1, "{ids:?}");
    let retried = a.query("SELECT attempts FROM jobs WHERE kind = 'federation_delivery' AND status = 'done'").await;
    assert!(retried.iter().any(|r| r["attempts"].as_i64().unwrap() >= 3), "a delivery took several attempts: {retried:?}");
    assert!(a.overview(&admin).await["failed_deliveries"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_delivery_to_a_follower_gone_for_good_is_given_up_and_shown() {
    let (a, mut forger) = tokio::join!(FederatedInstance::spawn_with(|b| b.env("CONVENE_FEDERATION__GIVE_UP_AFTER_SECONDS", "3")), Forger::start());
    let admin = admin_token(&a, "admin@example.org").await;
    let (process_id, group) = followable(&a, &admin, "open-budget").await;
    let follow = forger.follow("alice", &a.process_actor(&process_id));
    assert_eq!(forger.post("alice", s(&group["inbox"]), &follow).send().await.status(), 202);
    forger.wait_for("the Accept", WAIT, |r| r.kind().as_deref() == Some("Accept")).await;
    forger.stop().await;

    add_activity(&a, &admin, "open-budget", &consultation("Budget priorities")).await;
    let failed = eventually("the Announce to be given up", WAIT, async || {
        let overview = a.overview(&admin).await;
        overview["failed_deliveries"].as_array().unwrap().iter().find(|f| f["activity"] == "Announce").cloned()
    })
    .await;
    assert_eq!(failed["instance"], forger.instance());
    assert_eq!(failed["inbox"], format!("{}/inbox", forger.actor("alice")));
    assert!(failed["attempts"].as_i64().unwrap() >= 1, "{failed}");
    assert!(!failed["last_error"].as_str().unwrap_or_default().is_empty(), "{failed}");
    // Still a follower: an instance down is not an instance gone.
    assert_eq!(followers(&a.overview(&admin).await, &process_id).len(), 1);
}
