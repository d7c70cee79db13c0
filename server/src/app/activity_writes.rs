//! Asking an activity's plugin about a contribution and committing what it decided — the
//! contribution, its key-value changes and the notifications it asked for — as one step per
//! activity.
//!
//! A plugin's verdict may rest on what is stored (one vote per person, places left at a
//! meeting). Each activity counts its committed changes (`revision`); a verdict that read
//! stored data is committed only if the revision it read is still current, otherwise the
//! plugin is asked again. That check is what makes it correct with several servers on one
//! database; within one server, contributions to the same activity also take turns (an
//! in-process lock per activity), so that many people volunteering at once queue instead of
//! invalidating each other's verdicts until some give up.

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::activities::prefixed;
use super::error::AppResult;
use super::plugin_data::{StoredContributions, StoredKv};
use super::{AppContext, AppError};
use crate::adapters::plugins::bindings::convene::activity::types::{self as wit, Validation};
use crate::adapters::plugins::{CallContext, CallEffects, LoadedPlugin};
use crate::adapters::store::begin_write;
use crate::adapters::store::entities::{activity, activity_kv};
use crate::adapters::plugins::KvChanges;

/// How often a contribution is re-checked when others keep changing the activity meanwhile.
const ATTEMPTS: usize = 8;

/// One lock per activity with a contribution being checked or committed on this server.
#[derive(Default)]
pub struct ActivityLocks(std::sync::Mutex<HashMap<Uuid, Weak<tokio::sync::Mutex<()>>>>);

impl ActivityLocks {
    pub async fn lock(&self, activity_id: Uuid) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.0.lock().expect("activity locks");
            if locks.len() > 1_024 {
                locks.retain(|_, held| held.strong_count() > 0);
            }
            match locks.get(&activity_id).and_then(Weak::upgrade) {
                Some(lock) => lock,
                None => {
                    let lock = Arc::new(tokio::sync::Mutex::new(()));
                    locks.insert(activity_id, Arc::downgrade(&lock));
                    lock
                }
            }
        };
        lock.lock_owned().await
    }
}

/// What the plugin is asked to check.
pub(super) struct Proposal {
    pub kind: String,
    pub body: String,
    pub submitter: wit::Submitter,
    /// The contribution being edited, left out of what the plugin reads.
    pub editing: Option<Uuid>,
}

/// Validates `proposal` with the activity's plugin and, if it is accepted, runs `write` with
/// the normalised body inside the transaction that also stores the plugin's key-value
/// changes, enqueues its notifications and advances the activity's revision.
pub(super) async fn validate_and_write<T>(
    ctx: &AppContext,
    activity_id: Uuid,
    plugin: &Arc<LoadedPlugin>,
    proposal: &Proposal,
    write: impl AsyncFn(&DatabaseTransaction, String) -> AppResult<T>,
) -> AppResult<T> {
    let _turn = ctx.activity_locks.lock(activity_id).await;
    for _ in 0..ATTEMPTS {
        // Read after taking the turn: the revision the verdict rests on must be current.
        let a = activity::Entity::find_by_id(activity_id).one(&ctx.db).await?.ok_or(AppError::NotFound("activity"))?;
        let mut source = StoredContributions::of(ctx, a.id);
        if let Some(editing) = proposal.editing {
            source = source.without(editing);
        }
        let call = CallContext { submitter: proposal.submitter.clone(), contributions: Arc::new(source), ..call_context(ctx, &a) };
        let (verdict, effects) = ctx.plugins.validate_contribution(plugin, call, a.config.clone(), proposal.kind.clone(), proposal.body.clone()).await?;
        let normalised = match verdict {
            Validation::Accepted(body) => body,
            Validation::Rejected(errors) => return Err(AppError::Invalid(prefixed("body", errors))),
        };
        let txn = begin_write(&ctx.db).await?;
        // Written first, so notifications can reach the person who just contributed.
        let written = write(&txn, normalised).await?;
        if !commit_effects(ctx, &txn, &a, effects).await? {
            // Someone changed what the verdict rests on; the transaction rolls back on drop.
            continue;
        }
        txn.commit().await?;
        ctx.jobs_wake();
        return Ok(written);
    }
    Err(AppError::conflict("activity", "kept changing while your contribution was being checked; please send it again"))
}

/// What every call about an activity gets: its key-value data, its visible contributions
/// and its draw seed (empty until an organiser commits one).
pub(super) fn call_context(ctx: &AppContext, a: &activity::Model) -> CallContext {
    CallContext {
        activity: a.id.to_string(),
        kv: Arc::new(StoredKv::of(ctx, a.id)),
        contributions: Arc::new(StoredContributions::of(ctx, a.id)),
        seed: a.seed.clone().unwrap_or_default(),
        ..CallContext::empty()
    }
}

/// Stores what a plugin call decided about activity `a` (as read at `a.revision`) inside
/// `txn`: its key-value changes, the emails it asked for, and a new revision. Returns false,
/// having stored nothing, when the call read stored data that someone changed since: the
/// caller drops the transaction and asks again (or, for a job, retries later).
pub(super) async fn commit_effects(ctx: &AppContext, txn: &DatabaseTransaction, a: &activity::Model, effects: CallEffects) -> AppResult<bool> {
    if !advance_revision(txn, a.id, effects.read_shared.then_some(a.revision)).await? {
        return Ok(false);
    }
    save_kv(txn, a.id, effects.kv).await?;
    super::notifications::enqueue(ctx, txn, a, effects.notifications).await?;
    Ok(true)
}

/// Records a change to the activity. With `expected`, only if nobody else changed it since
/// that revision was read; returns whether it did.
pub(super) async fn advance_revision<C: ConnectionTrait>(db: &C, activity_id: Uuid, expected: Option<i64>) -> AppResult<bool> {
    let mut update = activity::Entity::update_many()
        .col_expr(activity::Column::Revision, Expr::col(activity::Column::Revision).add(1))
        .filter(activity::Column::Id.eq(activity_id));
    if let Some(revision) = expected {
        update = update.filter(activity::Column::Revision.eq(revision));
    }
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// Writes a call's key-value changes and keeps the activity's running totals in step (the
/// quota reads the totals instead of summing every entry).
async fn save_kv<C: ConnectionTrait>(db: &C, activity_id: Uuid, changes: KvChanges) -> AppResult<()> {
    use sea_orm::{ActiveModelTrait, Set};
    if changes.is_empty() {
        return Ok(());
    }
    let (mut entries, mut bytes) = (0i64, 0i64);
    for (key, change) in changes {
        let size = |value: &[u8]| (key.len() + value.len()) as i64;
        if let Some(old) = activity_kv::Entity::find_by_id((activity_id, key.clone())).one(db).await? {
            (entries, bytes) = (entries - 1, bytes - size(&old.value));
            activity_kv::Entity::delete_by_id((activity_id, key.clone())).exec(db).await?;
        }
        if let Some(value) = change {
            (entries, bytes) = (entries + 1, bytes + size(&value));
            activity_kv::ActiveModel { activity_id: Set(activity_id), key: Set(key), value: Set(value) }.insert(db).await?;
        }
    }
    activity::Entity::update_many()
        .col_expr(activity::Column::KvEntries, Expr::col(activity::Column::KvEntries).add(entries))
        .col_expr(activity::Column::KvBytes, Expr::col(activity::Column::KvBytes).add(bytes))
        .filter(activity::Column::Id.eq(activity_id))
        .exec(db)
        .await?;
    Ok(())
}
