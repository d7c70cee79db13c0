//! The authorisation matrix: every API operation, as every role, on a process of every
//! visibility, with the status each must get; and nothing of a process a role may not see in
//! any body that role receives (lists, exports, reports, errors), nor anything of an unlisted,
//! private or draft process in the public ledger.
//!
//! Writes are sent with bodies that are well-formed but invalid, so that a role that gets past
//! the authorisation checks receives a 422 (or a 409) and nothing changes; the few operations
//! that cannot be made harmless (archive, seeds) run last.

use std::collections::BTreeMap;
use std::fmt;

use convene_e2e::flows::{add_activity, add_member, admin_token, contribute, create_process, process_body, user_token};
use convene_e2e::{TestApp, expect_json};
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Anonymous,
    Participant,
    Facilitator,
    Observer,
    Organiser,
    OtherOrganiser,
    Admin,
}
const ROLES: [Role; 7] = [Role::Anonymous, Role::Participant, Role::Facilitator, Role::Observer, Role::Organiser, Role::OtherOrganiser, Role::Admin];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Vis {
    Public,
    Unlisted,
    Private,
    Draft,
}
const VISIBILITIES: [Vis; 4] = [Vis::Public, Vis::Unlisted, Vis::Private, Vis::Draft];

impl fmt::Display for Vis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Vis::Public => "public",
            Vis::Unlisted => "unlisted",
            Vis::Private => "private",
            Vis::Draft => "draft",
        })
    }
}

/// Whether a role may read a process of this visibility (members and admins see everything).
fn sees(role: Role, vis: Vis) -> bool {
    matches!(vis, Vis::Public | Vis::Unlisted) || matches!(role, Role::Facilitator | Role::Observer | Role::Organiser | Role::Admin)
}

/// Whether the process may appear in lists and the ledger for this role.
fn listed_for(role: Role, vis: Vis) -> bool {
    vis == Vis::Public || matches!(role, Role::Facilitator | Role::Observer | Role::Organiser | Role::Admin)
}

/// Who, among those who see the process, may do the operation.
#[derive(Clone, Copy, Debug)]
enum Gate {
    /// Anyone, signed in or not.
    Read,
    /// Anyone signed in.
    SignedIn,
    /// Anyone signed in but observers (they follow, they do not contribute).
    Contributor,
    /// Organisers, facilitators, admins.
    Moderator,
    /// Organisers and admins.
    Manager,
    /// The contribution's author (the organiser wrote it).
    Author,
}

impl Gate {
    fn allows(self, role: Role) -> bool {
        match self {
            Gate::Read => true,
            Gate::SignedIn => role != Role::Anonymous,
            Gate::Contributor => !matches!(role, Role::Anonymous | Role::Observer),
            Gate::Moderator => matches!(role, Role::Facilitator | Role::Organiser | Role::Admin),
            Gate::Manager => matches!(role, Role::Organiser | Role::Admin),
            Gate::Author => role == Role::Organiser,
        }
    }
}

/// What one process holds: the ids the operations point at and the strings that must not
/// escape.
#[derive(Clone, Debug)]
struct Fixture {
    vis: Vis,
    slug: String,
    process_id: String,
    activity_id: String,
    /// A visible contribution by the organiser (nil for the draft, which takes none).
    contribution_id: String,
    /// Strings that occur only in this process's data.
    secrets: Vec<String>,
}

struct Op {
    method: &'static str,
    /// `{key}`, `{activity}`, `{contribution}`, `{member}` are filled from the fixture.
    path: &'static str,
    body: Option<Value>,
    gate: Gate,
    /// The status of a role that may do it, per visibility.
    ok: fn(Vis) -> &'static [u16],
    /// The operation needs a contribution; the draft has none, so everyone gets 404 there.
    on_contribution: bool,
}

fn ok200(_: Vis) -> &'static [u16] {
    &[200]
}
fn ok422(_: Vis) -> &'static [u16] {
    &[422]
}

/// Every process-scoped operation of the API.
fn process_ops() -> Vec<Op> {
    let op = |method, path, body: Option<Value>, gate, ok: fn(Vis) -> &'static [u16]| Op { method, path, body, gate, ok, on_contribution: path.contains("{contribution}") };
    vec![
        op("GET", "/api/v1/processes/{key}", None, Gate::Read, ok200),
        op("GET", "/api/v1/processes/{key}/activities", None, Gate::Read, ok200),
        op("GET", "/api/v1/processes/{key}/children", None, Gate::Read, ok200),
        op("GET", "/api/v1/processes/{key}/moderation", None, Gate::Read, ok200),
        op("GET", "/api/v1/processes/{key}/outcomes", None, Gate::Read, ok200),
        op("GET", "/api/v1/processes/{key}/outcomes/current", None, Gate::Read, ok200),
        op("GET", "/api/v1/processes/{key}/outcomes/1", None, Gate::Read, ok200),
        op("GET", "/api/v1/processes/{key}/outcomes/diff?from=1&to=1", None, Gate::Read, ok200),
        op("GET", "/api/v1/processes/{key}/report", None, Gate::Read, ok200),
        op("GET", "/api/v1/processes/{key}/export/contributions.csv", None, Gate::Read, ok200),
        op("GET", "/api/v1/processes/{key}/export/process.jsonl", None, Gate::Read, ok200),
        op("GET", "/api/v1/activities/{activity}", None, Gate::Read, ok200),
        op("GET", "/api/v1/activities/{activity}/form?kind=response", None, Gate::Read, ok200),
        op("GET", "/api/v1/activities/{activity}/contributions", None, Gate::Read, ok200),
        op("GET", "/api/v1/activities/{activity}/results", None, Gate::Read, ok200),
        op("GET", "/api/v1/contributions/{contribution}", None, Gate::Read, ok200),
        op("GET", "/api/v1/contributions/{contribution}/responses", None, Gate::Read, ok200),
        op("GET", "/api/v1/processes/{key}/members", None, Gate::Manager, ok200),
        op("GET", "/api/v1/processes/{key}/reports", None, Gate::Moderator, ok200),
        // The facilitator's desk: facilitators, organisers and admins (the moderators).
        op("GET", "/api/v1/activities/{activity}/entered-today", None, Gate::Moderator, ok200),
        op("POST", "/api/v1/processes/{key}/members/lookup", Some(json!({ "email": "not an address" })), Gate::Moderator, ok422),
        op("GET", "/api/v1/processes/{key}/contributions", None, Gate::Manager, ok200),
        op("GET", "/api/v1/processes/{key}/contributions/ids", None, Gate::Manager, ok200),
        op("GET", "/api/v1/processes/{key}/outcomes/citable?text=x", None, Gate::Manager, ok200),
        op("PATCH", "/api/v1/processes/{key}", Some(json!({ "title": {} })), Gate::Manager, ok422),
        // The draft has no phases, so publishing it is refused; the others are published.
        op("POST", "/api/v1/processes/{key}/publish", None, Gate::Manager, |v| if v == Vis::Draft { &[422] } else { &[409] }),
        op("POST", "/api/v1/processes/{key}/members", Some(json!({ "email": "not an address", "role": "observer" })), Gate::Manager, ok422),
        op("PUT", "/api/v1/processes/{key}/members/{member}", Some(json!({ "role": "observer" })), Gate::Manager, ok200),
        op("POST", "/api/v1/processes/{key}/activities", Some(json!({ "type": "org.convene.consultation", "title": {}, "config": {} })), Gate::Manager, ok422),
        op("POST", "/api/v1/processes/{key}/responses", Some(json!({ "contribution_ids": [], "disposition": "noted", "explanation": {} })), Gate::Manager, ok422),
        op("POST", "/api/v1/processes/{key}/outcomes", Some(json!({ "title": {}, "sections": [] })), Gate::Manager, ok422),
        // The draft is not open for contributions.
        op("POST", "/api/v1/activities/{activity}/contributions", Some(json!({ "kind": "no-such-kind", "body": {} })), Gate::Contributor, |v| if v == Vis::Draft { &[409] } else { &[422] }),
        op("PATCH", "/api/v1/contributions/{contribution}", Some(json!({ "body": { "answers": {} } })), Gate::Author, ok422),
        op("POST", "/api/v1/contributions/{contribution}/reports", Some(json!({ "reason": "" })), Gate::SignedIn, ok422),
        op("POST", "/api/v1/contributions/{contribution}/hide", Some(json!({ "reason": "" })), Gate::Moderator, ok422),
        op("POST", "/api/v1/contributions/{contribution}/restore", Some(json!({ "reason": "" })), Gate::Moderator, |_| &[409, 422]),
        // Following from another instance asks nobody for this handle (it is not one): only a
        // listed process federates, so the public one answers 422 and every other visibility
        // answers as a missing process, to everyone (members and admins included).
        op("POST", "/api/v1/processes/{key}/remote-follow", Some(json!({ "handle": "not a handle" })), Gate::Read, |v| if v == Vis::Public { &[422] } else { &[404] }),
        // No process here is linked to an activity on another instance; linking one to
        // something that is not an address is refused, and only a listed process may link.
        op("GET", "/api/v1/processes/{key}/link", None, Gate::Read, |_| &[404]),
        op("PUT", "/api/v1/processes/{key}/link", Some(json!({ "parent_activity": "not an address" })), Gate::Manager, |v| if v == Vis::Public { &[422] } else { &[409] }),
        op("DELETE", "/api/v1/processes/{key}/link", None, Gate::Manager, |_| &[404]),
        // Run last: these change state (the first allowed role commits the seed, archives).
        op("POST", "/api/v1/activities/{activity}/seed", None, Gate::Manager, |_| &[200, 201, 409]),
        op("POST", "/api/v1/activities/{activity}/seed/reveal", None, Gate::Manager, |_| &[200, 409]),
        op("POST", "/api/v1/processes/{key}/archive", None, Gate::Manager, |v| if v == Vis::Draft { &[409] } else { &[200, 409] }),
    ]
}

/// The status a role must get: 401 for writes without a session, 404 where the process is
/// invisible (so its existence does not leak), 403 where it is visible but the role may not.
fn expected(op: &Op, role: Role, vis: Vis) -> Vec<u16> {
    let signed_in_needed = !matches!(op.gate, Gate::Read);
    if role == Role::Anonymous && signed_in_needed {
        return vec![401];
    }
    if !sees(role, vis) || (op.on_contribution && vis == Vis::Draft) {
        return vec![404];
    }
    if op.gate.allows(role) { (op.ok)(vis).to_vec() } else { vec![403] }
}

struct Caller {
    role: Role,
    token: Option<String>,
    account_id: Option<String>,
}

async fn send(app: &TestApp, caller: &Caller, method: &str, path: &str, body: Option<&Value>) -> (u16, String, String) {
    let url = app.url(path);
    let mut req = match method {
        "GET" => app.client.get(url),
        "POST" => app.client.post(url),
        "PUT" => app.client.put(url),
        "PATCH" => app.client.patch(url),
        "DELETE" => app.client.delete(url),
        other => panic!("no method {other}"),
    };
    if let Some(t) = &caller.token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let content_type = res.headers().get("content-type").map(|v| v.to_str().unwrap_or("").to_string()).unwrap_or_default();
    (status, content_type, res.text().await.unwrap())
}

fn fill(path: &str, f: &Fixture, member: &str) -> String {
    path.replace("{key}", &f.slug).replace("{activity}", &f.activity_id).replace("{contribution}", &f.contribution_id).replace("{member}", member)
}

/// Creates one process of a visibility, with members, an activity, contributions (one hidden
/// with a reason, one answered), an outcome: every kind of data the outputs could leak.
async fn fixture(app: &TestApp, admin: &str, organiser: &str, vis: Vis, parent: Option<&str>) -> Fixture {
    let slug = format!("mx-{vis}");
    let mark = |what: &str| format!("zq{what}{vis}x");
    let mut body = process_body(&slug);
    body["title"] = json!({ "en": format!("Process {}", mark("title")) });
    body["summary"] = json!({ "en": format!("Summary {}", mark("summary")) });
    // The draft is meant to be public once published: still nothing of it may show.
    body["visibility"] = json!(if vis == Vis::Draft { "public".to_string() } else { vis.to_string() });
    if vis == Vis::Draft {
        body["phases"] = json!([]);
    }
    if let Some(p) = parent {
        body["parent"] = json!(p);
    }
    let process = create_process(app, admin, &body).await;
    for (email, role) in [("organiser@example.org", "organiser"), ("facilitator@example.org", "facilitator"), ("observer@example.org", "observer")] {
        add_member(app, admin, &slug, email, role).await;
    }
    if vis != Vis::Draft {
        expect_json(app.post(&format!("/api/v1/processes/{slug}/publish")).bearer_auth(admin).send().await.unwrap(), 200).await;
    }
    let activity = json!({ "type": "org.convene.consultation", "title": { "en": format!("Activity {}", mark("activity")) },
        "config": { "questions": [ { "id": "q", "type": "free_text", "text": { "en": format!("Question {}", mark("question")) } } ] } });
    let activity = add_activity(app, admin, &slug, &activity).await;
    let activity_id = activity["id"].as_str().unwrap().to_string();
    let mut secrets = vec![mark("title"), mark("summary"), mark("activity"), mark("question"), process["id"].as_str().unwrap().to_string(), activity_id.clone()];
    let mut contribution_id = uuid::Uuid::nil().to_string();
    if vis != Vis::Draft {
        let say = |t: String| json!({ "kind": "response", "body": { "answers": { "q": t } } });
        let kept = expect_json(contribute(app, organiser, &activity_id, &say(format!("Kept {}", mark("kept")))).await, 201).await;
        let hidden = expect_json(contribute(app, organiser, &activity_id, &say(format!("Hidden {}", mark("hidden")))).await, 201).await;
        contribution_id = kept["id"].as_str().unwrap().to_string();
        let hidden_id = hidden["id"].as_str().unwrap().to_string();
        let res = app.post_json(&format!("/api/v1/contributions/{hidden_id}/hide"), &json!({ "reason": format!("Reason {}", mark("reason")) })).bearer_auth(admin).send().await.unwrap();
        expect_json(res, 200).await;
        let respond = json!({ "contribution_ids": [contribution_id], "disposition": "adopted", "explanation": { "en": format!("Because {}", mark("explanation")) } });
        expect_json(app.post_json(&format!("/api/v1/processes/{slug}/responses"), &respond).bearer_auth(admin).send().await.unwrap(), 201).await;
        secrets.extend([mark("kept"), mark("hidden"), mark("reason"), mark("explanation"), contribution_id.clone(), hidden_id]);
    }
    let outcome = json!({ "title": { "en": format!("Outcome {}", mark("outcome")) },
        "sections": [ { "id": "1", "heading": { "en": "What we heard" }, "body": { "en": format!("Text {}", mark("section")) } } ] });
    expect_json(app.post_json(&format!("/api/v1/processes/{slug}/outcomes"), &outcome).bearer_auth(admin).send().await.unwrap(), 201).await;
    secrets.extend([mark("outcome"), mark("section")]);
    Fixture { vis, slug, process_id: process["id"].as_str().unwrap().to_string(), activity_id, contribution_id, secrets }
}

fn leaked<'a>(body: &str, secrets: &'a [String]) -> Vec<&'a str> {
    secrets.iter().filter(|s| body.contains(s.as_str())).map(|s| s.as_str()).collect()
}

#[tokio::test]
async fn every_operation_as_every_role_on_every_visibility() {
    let app = TestApp::builder().spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    let mut callers = vec![Caller { role: Role::Anonymous, token: None, account_id: None }];
    for (role, email) in [
        (Role::Participant, "participant@example.org"),
        (Role::Facilitator, "facilitator@example.org"),
        (Role::Observer, "observer@example.org"),
        (Role::Organiser, "organiser@example.org"),
        (Role::OtherOrganiser, "other@example.org"),
    ] {
        let token = user_token(&app, email).await;
        let me = expect_json(app.get("/api/v1/me").bearer_auth(&token).send().await.unwrap(), 200).await;
        callers.push(Caller { role, token: Some(token), account_id: Some(me["id"].as_str().unwrap().to_string()) });
    }
    let me = expect_json(app.get("/api/v1/me").bearer_auth(&admin).send().await.unwrap(), 200).await;
    callers.push(Caller { role: Role::Admin, token: Some(admin.clone()), account_id: Some(me["id"].as_str().unwrap().to_string()) });
    let token_of = |r: Role| callers.iter().find(|c| c.role == r).unwrap().token.clone().unwrap();
    let organiser = token_of(Role::Organiser);
    let observer_id = callers.iter().find(|c| c.role == Role::Observer).unwrap().account_id.clone().unwrap();

    // Another process, organised by someone else: their role gives them nothing here.
    let other = create_process(&app, &admin, &process_body("mx-other")).await;
    add_member(&app, &admin, "mx-other", "other@example.org", "organiser").await;
    expect_json(app.post("/api/v1/processes/mx-other/publish").bearer_auth(&admin).send().await.unwrap(), 200).await;
    assert!(other["id"].is_string());

    // The private process is the parent of the public one: the public one must not name it.
    let mut fixtures = BTreeMap::new();
    for vis in [Vis::Private, Vis::Unlisted, Vis::Draft] {
        fixtures.insert(vis, fixture(&app, &admin, &organiser, vis, None).await);
    }
    fixtures.insert(Vis::Public, fixture(&app, &admin, &organiser, Vis::Public, Some("mx-private")).await);

    // Everything each role receives, to search for what it must not see.
    let mut received: BTreeMap<Role, Vec<(String, String)>> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut cases = 0;
    let ops = process_ops();

    // What each operation answers about a process that does not exist: a process the role may
    // not see must get exactly the same answer.
    let ghost = Fixture {
        vis: Vis::Private,
        slug: "mx-ghost".into(),
        process_id: uuid::Uuid::now_v7().to_string(),
        activity_id: uuid::Uuid::now_v7().to_string(),
        contribution_id: uuid::Uuid::now_v7().to_string(),
        secrets: vec![],
    };
    let mut missing: BTreeMap<(usize, Role), (u16, String)> = BTreeMap::new();
    for (i, op) in ops.iter().enumerate() {
        for caller in &callers {
            let (status, _, body) = send(&app, caller, op.method, &fill(op.path, &ghost, &observer_id), op.body.as_ref()).await;
            cases += 1;
            missing.insert((i, caller.role), (status, body));
        }
    }

    for (i, op) in ops.iter().enumerate() {
        for vis in VISIBILITIES {
            let f = &fixtures[&vis];
            for caller in &callers {
                let path = fill(op.path, f, &observer_id);
                let (status, content_type, body) = send(&app, caller, op.method, &path, op.body.as_ref()).await;
                cases += 1;
                let want = expected(op, caller.role, vis);
                if !want.contains(&status) {
                    failures.push(format!("{:?} {} {} on {vis}: got {status}, expected {want:?}: {}", caller.role, op.method, path, body.chars().take(200).collect::<String>()));
                }
                if !sees(caller.role, vis) && missing[&(i, caller.role)] != (status, body.clone()) {
                    failures.push(format!("{:?} {} {path}: the {vis} process answers unlike a missing one: {status} {body} / {:?}", caller.role, op.method, missing[&(i, caller.role)]));
                }
                if status >= 400 && !content_type.starts_with("application/problem+json") {
                    failures.push(format!("{:?} {} {path}: a {status} error as {content_type}", caller.role, op.method));
                }
                received.entry(caller.role).or_default().push((format!("{} {path}", op.method), body));
            }
        }
    }

    // Instance-wide operations.
    for caller in &callers {
        for (method, path, body, want) in instance_ops(caller.role) {
            let (status, _, text) = send(&app, caller, method, path, body.as_ref()).await;
            cases += 1;
            if !want.contains(&status) {
                failures.push(format!("{:?} {method} {path}: got {status}, expected {want:?}: {}", caller.role, text.chars().take(200).collect::<String>()));
            }
            // Lists must leave out unlisted processes too, unless the role is a member.
            if path.starts_with("/api/v1/processes") || path.starts_with("/api/v1/ledger") {
                for f in fixtures.values().filter(|f| !listed_for(caller.role, f.vis)) {
                    let l = leaked(&text, &f.secrets);
                    if !l.is_empty() {
                        failures.push(format!("{:?} {method} {path} lists the {} process: {l:?}", caller.role, f.vis));
                    }
                }
            }
            received.entry(caller.role).or_default().push((format!("{method} {path}"), text));
        }
    }

    // Nothing of a process a role may not see, in anything that role received.
    for (role, bodies) in &received {
        for f in fixtures.values().filter(|f| !sees(*role, f.vis)) {
            for (what, body) in bodies {
                let l = leaked(body, &f.secrets);
                if !l.is_empty() {
                    failures.push(format!("{role:?} {what} reveals the {} process: {l:?}", f.vis));
                }
            }
        }
    }

    // The public ledger: the public process's facts, nothing of the others, and the chain
    // verifies end to end.
    let ledger = expect_json(app.get("/api/v1/ledger").send().await.unwrap(), 200).await.to_string();
    for f in fixtures.values().filter(|f| f.vis != Vis::Public) {
        let l = leaked(&ledger, &f.secrets);
        if !l.is_empty() {
            failures.push(format!("the ledger holds the {} process: {l:?}", f.vis));
        }
    }
    let public = &fixtures[&Vis::Public];
    for kind in ["process.published", "activity.created", "contribution.hidden", "responses.given", "outcome.published", "process.archived"] {
        assert!(ledger.contains(kind), "the public process's {kind} is in the ledger: {ledger}");
    }
    assert!(ledger.contains(&public.process_id));
    let out = app.cli(&["ledger", "verify", &app.url("")]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    println!("authorisation matrix: {cases} requests ({} process operations x {} roles x {} visibilities + instance operations)", ops.len(), ROLES.len(), VISIBILITIES.len());
    assert!(failures.is_empty(), "{} of {cases} cases failed:\n{}", failures.len(), failures.join("\n"));
}

/// Operations outside any one process, with the statuses each role must get.
fn instance_ops(role: Role) -> Vec<(&'static str, &'static str, Option<Value>, Vec<u16>)> {
    let signed = |ok: u16| if role == Role::Anonymous { vec![401] } else { vec![ok] };
    let admin = |ok: u16| match role {
        Role::Anonymous => vec![401],
        Role::Admin => vec![ok],
        _ => vec![403],
    };
    vec![
        ("GET", "/api/v1/processes", None, vec![200]),
        ("GET", "/api/v1/processes?status=published", None, vec![200]),
        ("GET", "/api/v1/ledger", None, vec![200]),
        ("GET", "/api/v1/instance", None, vec![200]),
        ("GET", "/api/v1/topics", None, vec![200]),
        ("GET", "/api/v1/activity-types", None, vec![200]),
        ("GET", "/api/v1/me", None, signed(200)),
        ("GET", "/api/v1/me/input", None, signed(200)),
        ("PATCH", "/api/v1/me", Some(json!({ "display_name": "" })), signed(422)),
        ("POST", "/api/v1/processes", Some(json!({ "slug": "x", "title": {}, "summary": {}, "description": {}, "scope": "local", "topics": [], "iap2_level": "inform", "phases": [] })), admin(422)),
        ("POST", "/api/v1/topics", Some(json!({ "slug": "", "labels": {} })), admin(422)),
        ("GET", "/api/v1/admin/accounts", None, admin(200)),
        ("GET", "/api/v1/admin/plugins", None, admin(200)),
        ("POST", "/api/v1/admin/plugins/no.such.type/disable", None, admin(404)),
        ("GET", "/api/v1/admin/federation", None, admin(200)),
        ("POST", "/api/v1/admin/federation/blocks", Some(json!({ "instance": "" })), admin(422)),
        ("DELETE", "/api/v1/admin/federation/blocks/not-blocked.example", None, admin(404)),
        ("POST", "/api/v1/federation/contributions", Some(json!({ "activity": "not an address", "kind": "", "body": {} })), signed(422)),
        ("GET", "/api/v1/me/remote-input", None, signed(200)),
    ]
}
