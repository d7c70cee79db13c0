//! Receiving: the activities this instance understands, each handled once. The crate has
//! already checked the Digest, fetched the actor and verified the HTTP signature with the
//! actor's own key before anything here runs; `http::federation` checked the size and the
//! date first.

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::{CreateType, FlagType, FollowType, UndoType};
use activitypub_federation::protocol::verification::verify_domains_match;
use activitypub_federation::traits::Activity;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;
use url::Url;
use uuid::Uuid;

use super::actors::{RemoteActor, listed_process};
use super::{delivery, urls};
use crate::adapters::federation::protocol::{ObjectRef, context};
use crate::adapters::store::entities::{federation_received, process, process_follower};
use crate::adapters::store::{begin_write, is_unique_violation};
use crate::app::{AppContext, AppError, AppResult, now};

/// How far the `Date` of a signed request may be from our clock (the signature's lifetime in
/// the crate, and Mastodon's window, is an hour; allow the same either way).
pub const DATE_WINDOW: chrono::Duration = chrono::Duration::hours(1);

/// Checks a request's `Date` header: present, and within [`DATE_WINDOW`] of now. A replayed
/// request is refused here once it is old, and by the activity's id before then.
pub fn check_date(date: Option<&str>) -> AppResult<()> {
    let date = date.ok_or_else(|| AppError::Unauthenticated("a signed request needs a Date header".into()))?;
    let at = chrono::DateTime::parse_from_rfc2822(date)
        .map_err(|_| AppError::Unauthenticated(format!("the Date header `{date}` is not an HTTP date")))?
        .with_timezone(&chrono::Utc);
    let skew = (now() - at).abs();
    if skew > DATE_WINDOW {
        return Err(AppError::Unauthenticated(format!("the Date header is {} minutes away from this server's clock; at most 60 are accepted", skew.num_minutes())));
    }
    Ok(())
}

/// Checks that the Signature's `keyId` names a key on the instance of the activity's actor.
/// The crate verifies the signature with the actor's own key whatever `keyId` says, so a
/// request naming a key on another host would otherwise pass for the actor's.
pub fn check_key_host(signature: &str, body: &[u8]) -> AppResult<()> {
    #[derive(Deserialize)]
    struct ActorOnly {
        actor: Url,
    }
    let key = signature
        .split(',')
        .find_map(|p| p.trim().strip_prefix("keyId="))
        .and_then(|k| Url::parse(k.trim().trim_matches('"')).ok())
        .ok_or_else(|| AppError::Unauthenticated("the Signature header names no keyId".into()))?;
    // A body that is not an activity is refused by the crate, with its reason.
    let Ok(ActorOnly { actor }) = serde_json::from_slice::<ActorOnly>(body) else { return Ok(()) };
    if crate::adapters::federation::instance_of(&key) != crate::adapters::federation::instance_of(&actor) {
        return Err(AppError::Unauthenticated(format!("the signing key {key} is not on the instance of the actor {actor}")));
    }
    Ok(())
}

/// Every activity an inbox accepts. Those Convene does not act on are accepted and ignored
/// (software sends many, such as deletions of accounts we never saw).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Incoming {
    Follow(Follow),
    Undo(Undo),
    Create(Create),
    Flag(Flag),
    Other(Other),
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Follow {
    pub id: Url,
    pub actor: Url,
    #[serde(rename = "type")]
    pub kind: FollowType,
    pub object: ObjectRef,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Undo {
    pub id: Url,
    pub actor: Url,
    #[serde(rename = "type")]
    pub kind: UndoType,
    pub object: ObjectRef,
}

/// A Create of a Note: a contribution to one of our activities (`convene:contribution`), or
/// a response or moderation decision about something we sent (`convene:response`,
/// `convene:moderation`). Other Notes are ignored.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Create {
    pub id: Url,
    pub actor: Url,
    #[serde(rename = "type")]
    pub kind: CreateType,
    pub object: NoteIn,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteIn {
    pub id: Url,
    #[serde(default)]
    pub in_reply_to: Option<Url>,
    #[serde(rename = "convene:contribution", default)]
    pub contribution: Option<ContributionIn>,
    #[serde(rename = "convene:response", default)]
    pub response: Option<serde_json::Value>,
    #[serde(rename = "convene:moderation", default)]
    pub moderation: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ContributionIn {
    pub activity: Url,
    pub kind: String,
    pub body: serde_json::Value,
    #[serde(default)]
    pub language: Option<String>,
}

/// A report: the objects reported (ours among them) and why.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Flag {
    pub id: Url,
    pub actor: Url,
    #[serde(rename = "type")]
    pub kind: FlagType,
    #[serde(deserialize_with = "activitypub_federation::protocol::helpers::deserialize_one_or_many")]
    pub object: Vec<Url>,
    #[serde(default)]
    pub content: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Other {
    pub id: Url,
    pub actor: Url,
    #[serde(rename = "type")]
    pub kind: serde_json::Value,
}

impl Incoming {
    fn kind(&self) -> String {
        match self {
            Incoming::Follow(_) => "Follow".into(),
            Incoming::Undo(_) => "Undo".into(),
            Incoming::Create(_) => "Create".into(),
            Incoming::Flag(_) => "Flag".into(),
            Incoming::Other(o) => o.kind.as_str().unwrap_or("?").chars().take(40).collect(),
        }
    }
}

#[async_trait::async_trait]
impl Activity for Incoming {
    type DataType = AppContext;
    type Error = AppError;

    fn id(&self) -> &Url {
        match self {
            Incoming::Follow(a) => &a.id,
            Incoming::Undo(a) => &a.id,
            Incoming::Create(a) => &a.id,
            Incoming::Flag(a) => &a.id,
            Incoming::Other(a) => &a.id,
        }
    }

    fn actor(&self) -> &Url {
        match self {
            Incoming::Follow(a) => &a.actor,
            Incoming::Undo(a) => &a.actor,
            Incoming::Create(a) => &a.actor,
            Incoming::Flag(a) => &a.actor,
            Incoming::Other(a) => &a.actor,
        }
    }

    async fn verify(&self, data: &Data<AppContext>) -> Result<(), AppError> {
        match self {
            // Only our own processes can be followed here.
            Incoming::Follow(f) => verify_domains_match(f.object.id(), &data.public_url).map_err(AppError::from),
            // An Undo undoes the actor's own activity, nobody else's.
            Incoming::Undo(u) => match &u.object {
                ObjectRef::Embedded(o) => verify_domains_match(&o.id, &u.actor).map_err(AppError::from),
                ObjectRef::Id(id) => verify_domains_match(id, &u.actor).map_err(AppError::from),
            },
            // What an actor creates is its own: the Note is on the actor's host.
            Incoming::Create(c) => verify_domains_match(&c.object.id, &c.actor).map_err(AppError::from),
            Incoming::Flag(_) | Incoming::Other(_) => Ok(()),
        }
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<(), AppError> {
        let ctx: &AppContext = data;
        // A contribution is taken by `take_contribution` once this returns (the contribution
        // use case, with its own transaction and the plugin's checks); a response is kept here.
        if let Incoming::Create(create) = self {
            return receive_response(ctx, create).await;
        }
        // What is read through the pool is read before the write transaction starts: a request
        // that holds the transaction's connection while it waits for a second one deadlocks the
        // pool (until its acquire timeout, then 500s) once as many activities arrive at once as
        // there are connections. Errors count only for an activity seen the first time.
        let follow_parties = match &self {
            Incoming::Follow(follow) => Some(follow_parties(ctx, data, follow).await),
            _ => None,
        };
        let undoer = match &self {
            Incoming::Undo(undo) => Some(RemoteActor::read_from_db(data, &undo.actor).await),
            _ => None,
        };
        let txn = begin_write(&ctx.db).await?;
        if !first_time(&txn, self.id(), self.actor(), &self.kind()).await? {
            // A replay or a duplicate: done already, nothing to do again.
            return Ok(());
        }
        let sent = match self {
            Incoming::Follow(follow) => {
                let (process, follower) = follow_parties.expect("read for a Follow")?;
                accept_follow(ctx, &txn, follow, process, follower).await?
            }
            Incoming::Undo(undo) => {
                undo_follow(data, &txn, undo, undoer.expect("read for an Undo")?).await?;
                false
            }
            Incoming::Flag(flag) => {
                // Recorded after this commit, by the report use case (its own rate limit).
                txn.commit().await?;
                receive_flag(ctx, flag).await?;
                return Ok(());
            }
            Incoming::Other(_) | Incoming::Create(_) => false,
        };
        txn.commit().await?;
        if sent {
            delivery::wake(ctx);
        }
        Ok(())
    }
}

/// Records an activity's id; false when it was recorded before.
async fn first_time<C: ConnectionTrait>(db: &C, id: &Url, actor: &Url, kind: &str) -> AppResult<bool> {
    let row = federation_received::ActiveModel {
        activity_id: Set(id.to_string()),
        actor_ap_id: Set(actor.to_string()),
        kind: Set(kind.to_string()),
        received_at: Set(now()),
    };
    let inserted = federation_received::Entity::insert(row).on_conflict_do_nothing().exec(db).await;
    match inserted {
        Ok(sea_orm::TryInsertResult::Inserted(_)) => Ok(true),
        Ok(_) => Ok(false),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The listed process a Follow is for, and the follower.
async fn follow_parties(ctx: &AppContext, data: &Data<AppContext>, follow: &Follow) -> AppResult<(process::Model, RemoteActor)> {
    let process_id = urls::process_of(ctx, follow.object.id()).ok_or(AppError::NotFound("process actor"))?;
    let process = listed_process(ctx, process_id).await?.ok_or(AppError::NotFound("process actor"))?;
    let follower: RemoteActor = ObjectId::<RemoteActor>::from(follow.actor.clone()).dereference(data).await?;
    Ok((process, follower))
}

/// A remote actor follows a listed process: it becomes a follower and gets an Accept.
async fn accept_follow<C: ConnectionTrait>(ctx: &AppContext, db: &C, follow: Follow, process: process::Model, follower: RemoteActor) -> AppResult<bool> {
    process_follower::Entity::insert(process_follower::ActiveModel {
        process_id: Set(process.id),
        actor_id: Set(follower.row.id),
        follow_id: Set(follow.id.to_string()),
        created_at: Set(now()),
    })
    .on_conflict(
        OnConflict::columns([process_follower::Column::ProcessId, process_follower::Column::ActorId])
            .update_column(process_follower::Column::FollowId)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let group = urls::process_actor(ctx, process.id);
    let accept = json!({
        "@context": context(),
        "type": "Accept",
        "id": urls::sent(ctx, Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("accept {}", follow.id).as_bytes())),
        "actor": group,
        "to": [follow.actor],
        "object": {"type": "Follow", "id": follow.id, "actor": follow.actor, "object": group},
    });
    // The Accept goes to the follower's own inbox: it is addressed to it alone.
    delivery::queue(ctx, db, &accept, &group, vec![follower.inbox_url()]).await?;
    tracing::info!(process = %process.id, follower = %follow.actor, "a remote actor follows a process");
    Ok(true)
}

/// The actor stops following: its Follow (named by id, or embedded) is undone.
async fn undo_follow<C: ConnectionTrait>(data: &Data<AppContext>, db: &C, undo: Undo, follower: Option<RemoteActor>) -> AppResult<()> {
    let Some(follower) = follower else { return Ok(()) };
    let mut gone = process_follower::Entity::delete_many()
        .filter(process_follower::Column::ActorId.eq(follower.row.id))
        .filter(process_follower::Column::FollowId.eq(undo.object.id().as_str()))
        .exec(db)
        .await?
        .rows_affected;
    // Some software undoes with a new Follow object naming the process instead of the old id.
    if gone == 0
        && let ObjectRef::Embedded(o) = &undo.object
        && let Some(target) = o.object.as_ref().and_then(|v| v.as_str()).and_then(|s| Url::parse(s).ok())
        && let Some(process_id) = urls::process_of(data, &target)
    {
        gone = process_follower::Entity::delete_many()
            .filter(process_follower::Column::ActorId.eq(follower.row.id))
            .filter(process_follower::Column::ProcessId.eq(process_id))
            .exec(db)
            .await?
            .rows_affected;
    }
    if gone > 0 {
        tracing::info!(follower = %undo.actor, "a remote actor stopped following");
    }
    Ok(())
}

/// A contribution to one of our activities, from an activity the crate has verified (its
/// signature, its actor): stored by the contribution use case, where its object id makes a
/// second delivery store nothing. Returns the stored contribution's id.
pub async fn take_contribution(ctx: &AppContext, data: &Data<AppContext>, create: Create) -> AppResult<Option<Uuid>> {
    let Some(c) = create.object.contribution else { return Ok(None) };
    let activity_id = urls::activity_of(ctx, &c.activity).ok_or(AppError::NotFound("activity"))?;
    let author: RemoteActor = ObjectId::<RemoteActor>::from(create.actor.clone()).dereference(data).await?;
    let input = crate::app::contributions::RemoteContribution {
        activity_id,
        kind: c.kind,
        body: c.body,
        language: c.language,
        origin_instance: crate::adapters::federation::instance_of(&create.actor),
        author: create.actor.to_string(),
        author_name: author.row.name.clone().or(author.row.preferred_username.clone()),
        object_id: create.object.id.to_string(),
    };
    let (stored, new) = crate::app::contributions::submit_remote(ctx, input).await?;
    if new {
        tracing::info!(contribution = %stored.id, from = %create.actor, "a contribution arrived from another instance");
    }
    Ok(Some(stored.id))
}

/// A response to something we sent elsewhere: kept with it.
async fn receive_response(ctx: &AppContext, create: Create) -> AppResult<()> {
    let Some(in_reply_to) = create.object.in_reply_to else { return Ok(()) };
    if let Some(response) = create.object.response
        && super::remote::record_response(ctx, &in_reply_to, &response).await?
    {
        tracing::info!(about = %in_reply_to, from = %create.actor, "a response arrived from another instance");
    }
    if let Some(moderation) = create.object.moderation
        && super::remote::record_moderation(ctx, &in_reply_to, &moderation).await?
    {
        tracing::info!(about = %in_reply_to, from = %create.actor, "a moderation decision arrived from another instance");
    }
    Ok(())
}

/// A report from elsewhere about contributions here: each into the moderation queue.
async fn receive_flag(ctx: &AppContext, flag: Flag) -> AppResult<()> {
    let prefix = ctx.public_url.join("ap/contributions/").expect("a fixed path");
    let reason = flag.content.as_deref().map(strip_tags).unwrap_or_default();
    for object in &flag.object {
        let Some(id) = object.as_str().strip_prefix(prefix.as_str()).and_then(|rest| Uuid::parse_str(rest).ok()) else { continue };
        match crate::app::contributions::report_remote(ctx, id, flag.actor.as_str(), &reason).await {
            Ok(true) => tracing::info!(contribution = %id, from = %flag.actor, "a contribution was reported from another instance"),
            // Reported before by the same actor, or nothing here to report: nothing to do.
            Ok(false) | Err(AppError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Plain text of a little HTML (a Flag's comment).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}
