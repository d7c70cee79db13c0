//! Sending: what a process publishes (its ledger entries) is announced to its followers, and
//! every activity to every inbox is one job in the durable queue, signed when it is sent,
//! retried with backoff, and given up at its deadline (then shown to administrators).

use activitypub_federation::activity_sending::SendActivityTask;
use activitypub_federation::config::Data;
use activitypub_federation::traits::Activity;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use url::Url;
use uuid::Uuid;

use super::actors::{LocalActor, federates};
use super::urls;
use crate::adapters::federation::instance_of;
use crate::adapters::federation::protocol::context;
use crate::adapters::store::entities::{ledger_entry, process, process_follower, remote_actor};
use crate::app::jobs::{self, Job};
use crate::app::{AppContext, AppError, AppResult, now};
use crate::domain::localized::LocalizedText;

/// Addressed to everyone (ActivityStreams' public collection).
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// One activity for one inbox, as queued.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Delivery {
    /// The activity, as JSON text, exactly as it will be sent.
    pub activity: String,
    /// The local actor that signs it.
    pub actor: Url,
    pub inbox: Url,
    /// After this, a delivery that keeps failing is given up.
    pub give_up_at: DateTime<Utc>,
}

/// The instance a queued delivery goes to (for the per-instance limit), from the job's payload.
pub(crate) fn instance_of_payload(payload: &str) -> String {
    match serde_json::from_str::<Job>(payload) {
        Ok(Job::Deliver(d)) => instance_of(&d.inbox),
        _ => String::new(),
    }
}

/// Queues `activity` (which has an `id`) from local actor `actor` to each inbox; call it in
/// the transaction of the change it tells of. Job ids derive from the activity and the inbox,
/// so queueing the same activity twice sends it once.
pub async fn queue<C: ConnectionTrait>(ctx: &AppContext, db: &C, activity: &Value, actor: &Url, inboxes: Vec<Url>) -> AppResult<()> {
    if ctx.federation().is_none() || inboxes.is_empty() {
        return Ok(());
    }
    let text = activity.to_string();
    let id = activity.get("id").and_then(Value::as_str).unwrap_or_default();
    let give_up_at = now() + chrono::Duration::from_std(ctx.settings.federation.give_up_after).unwrap_or(chrono::Duration::days(2));
    let mut seen = std::collections::BTreeSet::new();
    let jobs = inboxes
        .into_iter()
        .filter(|inbox| seen.insert(inbox.to_string()))
        .map(|inbox| {
            let job_id = Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("{id} -> {inbox}").as_bytes());
            (job_id, Job::Deliver(Delivery { activity: text.clone(), actor: actor.clone(), inbox, give_up_at }))
        })
        .collect();
    jobs::enqueue_many_with_ids(db, jobs).await
}

/// Tells the delivery worker there is something to send (after the commit).
pub fn wake(ctx: &AppContext) {
    if let Some(f) = ctx.federation() {
        f.wake.notify_one();
    }
}

/// Whether a process has followers, so that publishing need not queue anything otherwise.
pub async fn has_followers<C: ConnectionTrait>(db: &C, process_id: Uuid) -> AppResult<bool> {
    Ok(process_follower::Entity::find().filter(process_follower::Column::ProcessId.eq(process_id)).one(db).await?.is_some())
}

/// The inboxes of a process's followers, each instance's shared inbox once.
pub async fn follower_inboxes<C: ConnectionTrait>(db: &C, process_id: Uuid) -> AppResult<Vec<Url>> {
    let actor_ids: Vec<Uuid> = process_follower::Entity::find()
        .filter(process_follower::Column::ProcessId.eq(process_id))
        .select_only()
        .column(process_follower::Column::ActorId)
        .into_tuple()
        .all(db)
        .await?;
    let mut inboxes = std::collections::BTreeSet::new();
    for ids in actor_ids.chunks(500) {
        let rows: Vec<(String, Option<String>)> = remote_actor::Entity::find()
            .filter(remote_actor::Column::Id.is_in(ids.to_vec()))
            .select_only()
            .columns([remote_actor::Column::Inbox, remote_actor::Column::SharedInbox])
            .into_tuple()
            .all(db)
            .await?;
        inboxes.extend(rows.into_iter().filter_map(|(inbox, shared)| Url::parse(&shared.unwrap_or(inbox)).ok()));
    }
    Ok(inboxes.into_iter().collect())
}

/// Announces one ledger entry to its process's followers: `Announce{Create{Note}}`, the Note
/// carrying the whole signed entry so that a follower can mirror and verify the ledger. A new
/// outcome of a linked process also goes to its parent as a report.
pub async fn fan_out(ctx: &AppContext, seq: i64) -> AppResult<()> {
    if ctx.federation().is_none() {
        return Ok(());
    }
    let Some(entry) = ledger_entry::Entity::find_by_id(seq).one(&ctx.db).await? else { return Ok(()) };
    let Some(process_id) = entry.process_id.as_deref().and_then(|id| Uuid::parse_str(id).ok()) else { return Ok(()) };
    let Some(p) = process::Entity::find_by_id(process_id).one(&ctx.db).await? else { return Ok(()) };
    // A withdrawal is the last thing followers hear; anything else only while it is listed.
    if !federates(&p) && entry.kind != "process.withdrawn" {
        return Ok(());
    }
    if federates(&p) && (entry.kind == "outcome.published" || entry.kind == "outcome.revised") {
        let version = serde_json::from_str::<Value>(&entry.payload).ok().and_then(|v| v.get("version").and_then(Value::as_i64));
        if let Some(version) = version {
            super::remote::send_outcome(ctx, &p, version as i32).await?;
        }
    }
    let inboxes = follower_inboxes(&ctx.db, p.id).await?;
    if inboxes.is_empty() {
        return Ok(());
    }
    let activity = announce_entry(ctx, &p, &entry);
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    queue(ctx, &txn, &activity, &urls::process_actor(ctx, p.id), inboxes).await?;
    txn.commit().await?;
    wake(ctx);
    Ok(())
}

/// A ledger entry as a Note by its process's Group.
pub fn entry_note(ctx: &AppContext, p: &process::Model, entry: &ledger_entry::Model) -> Value {
    let group = urls::process_actor(ctx, p.id);
    let title = LocalizedText::from_stored(p.title.clone());
    let title = title.best(&p.default_language, &p.default_language);
    let page = ctx.public_url.join(&format!("processes/{}", p.slug)).map(|u| u.to_string()).unwrap_or_default();
    let text = format!("{title}: {}", describe(&entry.kind));
    json!({
        "type": "Note",
        "id": urls::ledger_entry(ctx, entry.seq),
        "attributedTo": group,
        "name": text,
        "content": format!("<p>{}</p>", escape(&text)),
        "url": page,
        "published": entry.at,
        "to": [PUBLIC],
        "cc": [urls::process_part(ctx, p.id, "followers")],
        "convene:ledgerEntry": {
            "seq": entry.seq,
            "at": entry.at,
            "kind": entry.kind,
            "process_id": entry.process_id,
            "payload": entry.payload,
            "prev_hash": entry.prev_hash,
            "hash": entry.hash,
            "signature": entry.signature,
            "public_key": ctx.ledger_public_key(),
        },
    })
}

/// What followers receive for a ledger entry.
pub fn announce_entry(ctx: &AppContext, p: &process::Model, entry: &ledger_entry::Model) -> Value {
    let group = urls::process_actor(ctx, p.id);
    let followers = urls::process_part(ctx, p.id, "followers");
    let id_for = |what: &str| urls::sent(ctx, Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("{group}#{what}-{}", entry.seq).as_bytes()));
    json!({
        "@context": with_convene(context()),
        "type": "Announce",
        "id": id_for("announce"),
        "actor": group,
        "to": [PUBLIC],
        "cc": [followers],
        "published": entry.at,
        "object": {
            "type": "Create",
            "id": id_for("create"),
            "actor": group,
            "to": [PUBLIC],
            "cc": [followers],
            "object": entry_note(ctx, p, entry),
        },
    })
}

/// The contexts, with the `convene:` prefix of Convene's own terms (a URN: nothing to fetch).
pub fn with_convene(mut context: Value) -> Value {
    if let Value::Array(items) = &mut context {
        items.push(json!({"convene": "urn:convene:"}));
    }
    context
}

/// Plain words for a ledger entry's kind.
fn describe(kind: &str) -> String {
    match kind {
        "process.published" => "the process was published".into(),
        "process.withdrawn" => "the process was withdrawn from public view".into(),
        "phase.started" => "a new phase started".into(),
        "activity.created" => "a new activity was added".into(),
        "activity.opened" => "an activity opened".into(),
        "activity.closed" => "an activity closed".into(),
        "responses.given" => "the organisers responded to contributions".into(),
        "outcome.published" => "the outcome was published".into(),
        "outcome.revised" => "the outcome was revised".into(),
        "seed.committed" | "seed.revealed" => "a random draw was recorded".into(),
        "contribution.hidden" => "a contribution was hidden by moderation".into(),
        "contribution.restored" => "a hidden contribution was restored".into(),
        other => other.replace(['.', '_'], " "),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A queued activity, as the crate sends it: the JSON as it is, with its id and actor.
#[derive(Debug, Serialize)]
#[serde(transparent)]
struct Outgoing {
    body: Value,
    #[serde(skip)]
    id: Url,
    #[serde(skip)]
    actor: Url,
}

#[async_trait::async_trait]
impl Activity for Outgoing {
    type DataType = AppContext;
    type Error = AppError;
    fn id(&self) -> &Url {
        &self.id
    }
    fn actor(&self) -> &Url {
        &self.actor
    }
    async fn verify(&self, _: &Data<AppContext>) -> Result<(), AppError> {
        Ok(())
    }
    async fn receive(self, _: &Data<AppContext>) -> Result<(), AppError> {
        Ok(())
    }
}

/// Signs and sends one queued delivery. An error is retried by the queue; an inbox the crate
/// refuses to send to (its instance blocked since, say) is done: there is nothing to send.
pub async fn deliver(ctx: &AppContext, d: &Delivery) -> Result<(), String> {
    let f = ctx.federation().ok_or("federation is switched off on this instance")?;
    let body: Value = serde_json::from_str(&d.activity).map_err(|e| format!("unreadable activity: {e}"))?;
    let id = body.get("id").and_then(Value::as_str).and_then(|s| Url::parse(s).ok()).ok_or("the activity has no id")?;
    let activity = Outgoing { body, id, actor: d.actor.clone() };
    let signer = LocalActor::by_id(ctx, d.actor.clone()).map_err(|e| e.to_string())?;
    let data = f.data();
    let tasks = SendActivityTask::prepare(&activity, &signer, vec![d.inbox.clone()], &data).await.map_err(|e| e.to_string())?;
    for task in tasks {
        task.sign_and_send(&data).await.map_err(|e| e.to_string())?;
    }
    metrics::counter!("convene_federation_deliveries_total").increment(1);
    Ok(())
}
