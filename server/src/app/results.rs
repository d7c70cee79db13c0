//! An activity's results: computed by its plugin once per change of the activity, kept in
//! `activity_results` (one row per activity, shared by every server on the database and kept
//! across restarts) and served from there, so that viewing results, which anyone may do, never
//! makes the server run a plugin more often than the activity changes.
//!
//! A copy is current while the activity's revision and plugin version are those it was
//! computed from. The revision counts every committed change a plugin can read: contributions
//! made, edited, withdrawn, hidden or restored; plugin data written by any call; a phase change
//! told to the plugin; a draw seed committed. An upgrade of the plugin may compute differently,
//! hence its version. Results are the same for every viewer: `compute-results` is told nothing
//! about who asks, reads only visible contributions, and what it writes is discarded. Only the
//! time can change them without a change of the activity: when the plugin read the clock, its
//! copy expires after `results.clock_max_age_seconds`, and the API says when.
//!
//! After a change, one computation: requests on one server take turns per activity (the first
//! computes, the others find its copy), and across servers a claim in the row lets one server
//! compute while the others serve the previous copy, or wait for the first copy. Results that
//! took long to compute last time are recomputed in the job queue and the previous copy is
//! served meanwhile, marked `recomputing`. A plugin's failure is kept like results (its 502 is
//! served again), so a broken plugin does not run on every view either; it is tried again
//! when the activity changes or after the same maximum age.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::{Condition, Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::activity_writes::call_context;
use super::error::AppResult;
use super::jobs::{self, Job};
use super::{AppContext, AppError, Viewer, activities, now, plugin_output, plugins};
use crate::adapters::plugins::bindings::Activity;
use crate::adapters::plugins::{HostState, LoadedPlugin};
use crate::adapters::store::entities::{activity, activity_result};

/// How long a server may take to compute results inline before another may try.
const COMPUTE_LEASE: Duration = Duration::from_secs(30);
/// How long a computation handed to the job queue may take to start and finish.
const JOB_LEASE: Duration = Duration::from_secs(300);
/// How often a request with no copy to serve looks whether another server has computed one.
const WAIT_STEP: Duration = Duration::from_millis(50);
/// Failure kinds the API names (`PluginError::kind`, and `refused` results); others are kept as
/// `failed`.
const FAILURE_KINDS: [&str; 9] = ["timeout", "out_of_fuel", "over_budget", "out_of_memory", "trap", "malformed", "refused", "integrity", "host"];

/// An activity's results, as computed by its plugin.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(example = json!({ "sections": [{ "type": "text", "title": { "en": "Responses" }, "body": { "en": "12 responses" } }],
    "revision": 14, "computed_at": "2027-03-01T10:00:00Z", "recomputing": false, "expires_at": null }))]
pub struct ResultsView {
    /// Text, table and chart sections, in the plugin's order.
    #[schema(value_type = Vec<Object>)]
    pub sections: Value,
    /// The activity's revision they were computed from; it counts the activity's changes.
    pub revision: i64,
    /// When the plugin computed them.
    pub computed_at: DateTime<Utc>,
    /// The activity changed since: newer results are being computed; ask again shortly.
    pub recomputing: bool,
    /// Set when the results depend on the time (the plugin read the clock): they are
    /// computed again after this.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Why the plugin could not compute results, as kept and served again.
#[derive(Debug, Serialize, Deserialize)]
struct Failure {
    kind: String,
    detail: String,
}

/// The activity's results, from the kept copy, computed first if there is no current one.
pub async fn get(ctx: &AppContext, viewer: Option<&Viewer>, id: Uuid) -> AppResult<ResultsView> {
    let (a, _) = activities::load(ctx, viewer, id).await?;
    let plugin = plugins::runnable(ctx, &a.type_id, "activity").await?;
    let copy = current(ctx, &a, &plugin).await?;
    served(ctx, &copy.row, &plugin, copy.recomputing)
}

/// A kept copy and whether newer results are being computed.
struct Copy {
    row: activity_result::Model,
    recomputing: bool,
}

async fn current(ctx: &AppContext, a: &activity::Model, plugin: &Arc<LoadedPlugin>) -> AppResult<Copy> {
    if let Some(row) = read(ctx, a.id).await?.filter(|row| is_current(ctx, row, a, plugin)) {
        return Ok(counted(Copy { row, recomputing: false }, "kept"));
    }
    // One computation per activity at a time on this server: who waited finds its copy.
    let _turn = ctx.results_locks.lock(a.id).await;
    let waiting = Instant::now();
    loop {
        let row = read(ctx, a.id).await?;
        if let Some(row) = row.clone().filter(|row| is_current(ctx, row, a, plugin)) {
            return Ok(counted(Copy { row, recomputing: false }, "kept"));
        }
        let previous = row.filter(|row| row.computed_at.is_some());
        let slow = previous.as_ref().is_some_and(|row| row.compute_fuel as u64 >= ctx.settings.results.background_fuel);
        if claim(ctx, a.id, if slow { JOB_LEASE } else { COMPUTE_LEASE }).await? {
            // Another server may have kept current results and released its claim since the
            // row was read: those are served, not computed again.
            if let Some(row) = read(ctx, a.id).await?.filter(|row| is_current(ctx, row, a, plugin)) {
                release(ctx, a.id).await?;
                return Ok(counted(Copy { row, recomputing: false }, "kept"));
            }
            if let (Some(row), true) = (previous, slow) {
                if let Err(e) = jobs::enqueue(&ctx.db, Job::ComputeResults { activity_id: a.id }).await {
                    release(ctx, a.id).await?;
                    return Err(e);
                }
                ctx.jobs_wake();
                return Ok(counted(Copy { row, recomputing: true }, "previous"));
            }
            let row = compute(ctx, a.id, plugin).await?;
            return Ok(counted(Copy { row, recomputing: false }, "computed"));
        }
        // Another server (or the job queue) is computing them.
        if let Some(row) = previous {
            return Ok(counted(Copy { row, recomputing: true }, "previous"));
        }
        if waiting.elapsed() > COMPUTE_LEASE {
            return Err(AppError::Unavailable("the results of this activity are being computed; ask again shortly".into()));
        }
        tokio::time::sleep(WAIT_STEP).await;
    }
}

/// Recomputes an activity's results in the job queue (whoever enqueued it holds the claim).
pub(super) async fn recompute(ctx: &AppContext, activity_id: Uuid) -> AppResult<()> {
    let Some(a) = activity::Entity::find_by_id(activity_id).one(&ctx.db).await? else { return Ok(()) };
    match plugins::runnable(ctx, &a.type_id, "activity").await {
        Ok(plugin) => compute(ctx, a.id, &plugin).await.map(drop),
        // Disabled or gone meanwhile: nothing to compute; the next view says why.
        Err(_) => release(ctx, a.id).await,
    }
}

fn counted(copy: Copy, served: &'static str) -> Copy {
    metrics::counter!("convene_results_served_total", "from" => served).increment(1);
    copy
}

async fn read(ctx: &AppContext, activity_id: Uuid) -> AppResult<Option<activity_result::Model>> {
    Ok(activity_result::Entity::find_by_id(activity_id).one(&ctx.db).await?)
}

/// Computed from this revision (or a later one) by this plugin version, and not expired.
fn is_current(ctx: &AppContext, row: &activity_result::Model, a: &activity::Model, plugin: &LoadedPlugin) -> bool {
    let Some(computed_at) = row.computed_at else { return false };
    let expires = row.reads_clock || row.failure.is_some();
    row.plugin_sha256 == plugin.sha256 && row.revision >= a.revision && !(expires && now() >= computed_at + max_age(ctx))
}

fn max_age(ctx: &AppContext) -> chrono::Duration {
    chrono::Duration::from_std(ctx.settings.results.clock_max_age).unwrap_or(chrono::Duration::MAX)
}

/// Takes the activity's claim for `lease`, if nobody holds it. Creates the row the first time.
async fn claim(ctx: &AppContext, activity_id: Uuid, lease: Duration) -> AppResult<bool> {
    let empty = activity_result::ActiveModel {
        activity_id: Set(activity_id),
        revision: Set(-1),
        plugin_sha256: Set(String::new()),
        results: Set(None),
        failure: Set(None),
        reads_clock: Set(false),
        computed_at: Set(None),
        compute_fuel: Set(0),
        claimed_until: Set(None),
    };
    activity_result::Entity::insert(empty)
        .on_conflict(OnConflict::column(activity_result::Column::ActivityId).do_nothing().to_owned())
        .exec_without_returning(&ctx.db)
        .await?;
    let at = now();
    let until = at + chrono::Duration::from_std(lease).expect("a short lease");
    let free = Condition::any().add(activity_result::Column::ClaimedUntil.is_null()).add(activity_result::Column::ClaimedUntil.lt(at));
    let taken = activity_result::Entity::update_many()
        .col_expr(activity_result::Column::ClaimedUntil, Expr::value(until))
        .filter(activity_result::Column::ActivityId.eq(activity_id))
        .filter(free)
        .exec(&ctx.db)
        .await?;
    Ok(taken.rows_affected == 1)
}

async fn release(ctx: &AppContext, activity_id: Uuid) -> AppResult<()> {
    activity_result::Entity::update_many()
        .col_expr(activity_result::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(activity_result::Column::ActivityId.eq(activity_id))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// Runs `compute-results` (this server holds the claim), keeps what came of it, results or
/// the plugin's failure, and releases the claim.
async fn compute(ctx: &AppContext, activity_id: Uuid, plugin: &Arc<LoadedPlugin>) -> AppResult<activity_result::Model> {
    let outcome = run(ctx, activity_id, plugin).await;
    if outcome.is_err() {
        release(ctx, activity_id).await?;
    }
    Ok(outcome?.update(&ctx.db).await?)
}

/// The row that keeps one computation's outcome; an error only when the host failed.
async fn run(ctx: &AppContext, activity_id: Uuid, plugin: &Arc<LoadedPlugin>) -> AppResult<activity_result::ActiveModel> {
    // Read now, before the plugin reads anything: a change committed during the computation
    // leaves the copy stale, never the reverse.
    let a = activity::Entity::find_by_id(activity_id).one(&ctx.db).await?.ok_or(AppError::NotFound("activity"))?;
    // In the precision both databases keep, so the time the plugin is told is `computed_at`.
    let computed_at = now().trunc_subsecs(6);
    let call = crate::adapters::plugins::CallContext { now: computed_at.to_rfc3339(), ..call_context(ctx, &a) };
    let config = a.config.clone();
    let max_bytes = ctx.settings.plugins.limits.max_output_bytes;
    // What the call cost is its fuel: the same whatever the machine's load, without the time
    // spent waiting for the database or an instance.
    let compute = move |p: &Activity, s: &mut wasmtime::Store<HostState>| p.call_compute_results(s, &config);
    let keep = move |computed| plugin_output::results(computed, max_bytes);
    let outcome = ctx.plugins.run_checked(plugin, "compute-results", call, compute, keep).await;
    let (results, failure, reads_clock, fuel) = match outcome {
        Ok((Ok(text), effects)) => (Some(text), None, effects.read_clock, effects.spent.fuel),
        Ok((Err(message), effects)) => {
            // Kept and served again: cut to one short line like every plugin text.
            let detail = crate::domain::plugin_text::excerpt(&format!("plugin {} could not compute results: {message}", plugin.id));
            (None, Some(Failure { kind: "refused".into(), detail }), effects.read_clock, effects.spent.fuel)
        }
        // Ran out of fuel, time or memory, or handed back too much: as costly as it gets.
        Err(AppError::Plugin { kind, detail, .. }) => (None, Some(Failure { kind: kind.into(), detail }), false, u64::MAX),
        Err(other) => return Err(other),
    };
    Ok(activity_result::ActiveModel {
        activity_id: Set(activity_id),
        revision: Set(a.revision),
        plugin_sha256: Set(plugin.sha256.clone()),
        results: Set(results),
        failure: Set(failure.map(|f| serde_json::to_string(&f).expect("strings serialise"))),
        reads_clock: Set(reads_clock),
        computed_at: Set(Some(computed_at)),
        compute_fuel: Set(fuel.min(i64::MAX as u64) as i64),
        claimed_until: Set(None),
    })
}

/// A kept copy as the API serves it: its results, or the plugin's failure again.
fn served(ctx: &AppContext, row: &activity_result::Model, plugin: &LoadedPlugin, recomputing: bool) -> AppResult<ResultsView> {
    if let Some(failure) = row.failure.as_deref().and_then(|f| serde_json::from_str::<Failure>(f).ok()) {
        let kind = FAILURE_KINDS.into_iter().find(|k| *k == failure.kind).unwrap_or("failed");
        // Its detail was cut to one short line when it was kept (`AppError::plugin` or below).
        return Err(AppError::Plugin { plugin: plugin.id.clone(), kind, detail: failure.detail });
    }
    let mut results: Value = serde_json::from_str(row.results.as_deref().unwrap_or("{}")).map_err(|e| AppError::Internal(e.into()))?;
    let computed_at = row.computed_at.unwrap_or_else(now);
    Ok(ResultsView {
        sections: results.get_mut("sections").map(Value::take).unwrap_or_else(|| Value::Array(vec![])),
        revision: row.revision,
        computed_at,
        recomputing,
        expires_at: row.reads_clock.then(|| computed_at + max_age(ctx)),
    })
}
