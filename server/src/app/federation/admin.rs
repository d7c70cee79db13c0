//! What an instance administrator sees and decides about federation: who follows which
//! process, deliveries that failed for good, and blocked instances.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::delivery::Delivery;
use crate::adapters::federation::instance_of;
use crate::adapters::store::entities::{blocked_instance, job, process, process_follower, remote_actor};
use crate::app::jobs::{DELIVERY, Job};
use crate::app::{AppContext, AppError, AppResult, Viewer, now};
use crate::domain::localized::LocalizedText;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FederationOverview {
    /// Whether this instance federates (`federation.enabled`).
    pub enabled: bool,
    /// This instance's actor, which other instances see.
    pub instance_actor: Option<String>,
    pub processes: Vec<FollowedProcess>,
    /// Deliveries waiting or being retried.
    pub pending_deliveries: u64,
    /// Deliveries given up, newest first (at most 200).
    pub failed_deliveries: Vec<FailedDelivery>,
    pub blocked: Vec<BlockedInstance>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FollowedProcess {
    pub process_id: Uuid,
    pub slug: String,
    pub title: String,
    pub followers: Vec<Follower>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Follower {
    /// The follower's actor id.
    pub actor: String,
    /// Its instance, `host[:port]`.
    pub instance: String,
    pub name: Option<String>,
    pub since: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FailedDelivery {
    pub job_id: Uuid,
    pub inbox: String,
    pub instance: String,
    /// The activity's type (`Announce`, `Accept`...).
    pub activity: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub given_up_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BlockedInstance {
    /// `host` or `host:port`.
    pub instance: String,
    pub reason: String,
    pub blocked_at: chrono::DateTime<chrono::Utc>,
}

/// Everything on the administrators' federation page.
pub async fn overview(ctx: &AppContext, viewer: &Viewer) -> AppResult<FederationOverview> {
    crate::app::accounts::require_admin(viewer)?;
    let follows = process_follower::Entity::find().order_by_asc(process_follower::Column::CreatedAt).limit(5_000).all(&ctx.db).await?;
    let mut processes: Vec<FollowedProcess> = Vec::new();
    let actor_ids: Vec<Uuid> = follows.iter().map(|f| f.actor_id).collect();
    let mut actors = std::collections::HashMap::new();
    for ids in actor_ids.chunks(500) {
        for a in remote_actor::Entity::find().filter(remote_actor::Column::Id.is_in(ids.to_vec())).all(&ctx.db).await? {
            actors.insert(a.id, a);
        }
    }
    for f in follows {
        let Some(actor) = actors.get(&f.actor_id) else { continue };
        let follower = Follower { actor: actor.ap_id.clone(), instance: actor.host.clone(), name: actor.name.clone(), since: f.created_at };
        match processes.iter_mut().find(|p| p.process_id == f.process_id) {
            Some(p) => p.followers.push(follower),
            None => {
                let Some(p) = process::Entity::find_by_id(f.process_id).one(&ctx.db).await? else { continue };
                let title = LocalizedText::from_stored(p.title.clone()).best(&p.default_language, &p.default_language).to_string();
                processes.push(FollowedProcess { process_id: p.id, slug: p.slug, title, followers: vec![follower] });
            }
        }
    }
    let pending_deliveries = job::Entity::find()
        .filter(job::Column::Kind.eq(DELIVERY))
        .filter(job::Column::Status.is_in(["pending", "running"]))
        .count(&ctx.db)
        .await?;
    let failed = job::Entity::find()
        .filter(job::Column::Kind.eq(DELIVERY))
        .filter(job::Column::Status.eq("failed"))
        .order_by_desc(job::Column::UpdatedAt)
        .limit(200)
        .all(&ctx.db)
        .await?;
    let failed_deliveries = failed
        .into_iter()
        .filter_map(|j| {
            let Ok(Job::Deliver(d)) = serde_json::from_str::<Job>(&j.payload) else { return None };
            Some(FailedDelivery {
                job_id: j.id,
                inbox: d.inbox.to_string(),
                instance: instance_of(&d.inbox),
                activity: activity_type(&d),
                attempts: j.attempts,
                last_error: j.last_error,
                given_up_at: j.updated_at,
            })
        })
        .collect();
    Ok(FederationOverview {
        enabled: ctx.federation().is_some(),
        instance_actor: ctx.federation().map(|_| super::urls::instance_actor(ctx).to_string()),
        processes,
        pending_deliveries,
        failed_deliveries,
        blocked: blocked(ctx).await?,
    })
}

fn activity_type(d: &Delivery) -> String {
    serde_json::from_str::<serde_json::Value>(&d.activity)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_string))
        .unwrap_or_default()
}

async fn blocked(ctx: &AppContext) -> AppResult<Vec<BlockedInstance>> {
    Ok(blocked_instance::Entity::find()
        .order_by_asc(blocked_instance::Column::Host)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|b| BlockedInstance { instance: b.host, reason: b.reason, blocked_at: b.blocked_at })
        .collect())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewBlock {
    /// The instance: `social.example`, `social.example:8443`, or any address on it.
    pub instance: String,
    /// Why, for the other administrators.
    #[serde(default)]
    pub reason: String,
}

/// Reads an instance as an administrator writes it: a host, host and port, or a URL on it.
pub fn parse_instance(raw: &str) -> AppResult<String> {
    let raw = raw.trim();
    let url = if raw.contains("://") { url::Url::parse(raw).ok() } else { url::Url::parse(&format!("https://{raw}")).ok() };
    let host = url.as_ref().map(instance_of).unwrap_or_default();
    let valid = !host.is_empty() && host.len() <= 260 && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !valid {
        return Err(AppError::invalid("instance", "write the instance's name, such as social.example"));
    }
    Ok(host)
}

/// Blocks an instance: nothing is fetched from or sent to it, its activities are refused with
/// 403, and its actors stop following processes here.
pub async fn block(ctx: &AppContext, viewer: &Viewer, input: NewBlock) -> AppResult<BlockedInstance> {
    crate::app::accounts::require_admin(viewer)?;
    let instance = parse_instance(&input.instance)?;
    if instance == instance_of(&ctx.public_url) {
        return Err(AppError::invalid("instance", "this is this instance's own name"));
    }
    let reason: String = input.reason.trim().chars().take(500).collect();
    let at = now();
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    blocked_instance::Entity::insert(blocked_instance::ActiveModel { host: Set(instance.clone()), reason: Set(reason.clone()), blocked_at: Set(at) })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(blocked_instance::Column::Host).update_column(blocked_instance::Column::Reason).to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    let their_actors: Vec<Uuid> = remote_actor::Entity::find()
        .filter(remote_actor::Column::Host.eq(instance.as_str()))
        .select_only()
        .column(remote_actor::Column::Id)
        .into_tuple()
        .all(&txn)
        .await?;
    for ids in their_actors.chunks(500) {
        process_follower::Entity::delete_many().filter(process_follower::Column::ActorId.is_in(ids.to_vec())).exec(&txn).await?;
    }
    txn.commit().await?;
    tracing::info!(instance = %instance, by = %viewer.account_id, "instance blocked");
    Ok(BlockedInstance { instance, reason, blocked_at: at })
}

pub async fn unblock(ctx: &AppContext, viewer: &Viewer, instance: &str) -> AppResult<()> {
    crate::app::accounts::require_admin(viewer)?;
    let instance = parse_instance(instance)?;
    let gone = blocked_instance::Entity::delete_by_id(instance.clone()).exec(&ctx.db).await?.rows_affected;
    if gone == 0 {
        return Err(AppError::NotFound("blocked instance"));
    }
    tracing::info!(instance = %instance, by = %viewer.account_id, "instance unblocked");
    Ok(())
}
