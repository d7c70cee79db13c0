//! Durable background jobs in the database: enqueued in the transaction of the change that
//! needs them, claimed by one worker at a time with a lease, retried with exponential backoff,
//! and picked up again after a crash or restart when their lease runs out.
//!
//! Fan-out jobs (one response batch -> one email per author) give the jobs they create ids
//! derived from their own data, so running a fan-out twice creates nothing twice. An email is
//! sent with its job's id as Message-ID, so the rare resend after a crash between the SMTP
//! server's acceptance and the job's completion is recognisable as the same message.

use std::collections::BTreeMap;
use std::time::Duration;

use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::AppResult;
use super::{AppContext, AppError, now};
use crate::adapters::mail::Email;
use crate::adapters::store::entities::{account, activity, contribution, job, process, response};
use crate::adapters::store::is_unique_violation;
use crate::domain::localized::LocalizedText;
use crate::domain::participation::Disposition;

/// How long a claimed job is reserved for its worker.
const LEASE: Duration = Duration::from_secs(60);
/// After this many failed attempts a job is left as `failed` for an operator to look at.
const MAX_ATTEMPTS: i32 = 12;
/// How often the worker looks for due jobs when nobody wakes it. Jobs queued inside a
/// transaction (a ledger entry's federation) are found by this poll: it bounds their wait.
const POLL: Duration = Duration::from_secs(1);
/// How often the worker deletes rate-limit rows that no longer limit anything.
const SWEEP: Duration = Duration::from_secs(300);
/// Jobs claimed per round.
const BATCH: u64 = 20;

/// What there is to do.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Tell each author in a response batch what happened to their input.
    NotifyResponse { batch_id: Uuid },
    /// Send one email.
    Email { to: String, subject: String, text: String },
    /// Send one email an activity's plugin asked for, in the host's frame (app::notifications);
    /// `subject` and `text` are the plugin's, already cut to size.
    ActivityNotification { account_id: Uuid, activity_id: Uuid, subject: String, text: String },
    /// Tell an activity's plugin that it opened, closed, or that its process entered a phase.
    PhaseChange { activity_id: Uuid, phase: String },
    /// One of the emails about an account (sign-up, already registered, admin invitation),
    /// with a sign-in link made when it is sent.
    AccountEmail { account_id: Uuid, email: super::accounts::AccountEmail },
    /// A sign-in link was asked for this address: email it if an account has it.
    SignInRequest { email: String },
    /// Someone signed up: make the account (or tell the owner of an existing one).
    Signup(super::accounts::Signup),
    /// Recompute an activity's results, which take long to compute (see `results`).
    ComputeResults { activity_id: Uuid },
    /// Announce a ledger entry to the followers of its process (one delivery per inbox).
    Federate { seq: i64 },
    /// Send a contribution to an activity on another instance (a person's, or a linked
    /// process's report), retried until that instance decides.
    SendContribution { id: Uuid },
    /// Send one activity to one inbox (run by the delivery worker, several at once).
    Deliver(super::federation::delivery::Delivery),
}

impl Job {
    /// The job as it may stay in the table once it is done or given up: a sign-up's password
    /// hash is needed only until the account exists.
    pub(crate) fn forgetting_secrets(self) -> Job {
        match self {
            Job::Signup(signup) => Job::Signup(super::accounts::Signup { password_hash: None, ..signup }),
            other => other,
        }
    }

    /// Whether the job is about this account: an email to its address, a sign-in or sign-up
    /// request for the address, an email about the account or to it from an activity. Such
    /// jobs are shown to the person in their data and deleted with their account.
    pub(crate) fn concerns(&self, account_id: Uuid, email: &str) -> bool {
        match self {
            Job::Email { to, .. } => to.eq_ignore_ascii_case(email),
            Job::SignInRequest { email: asked } => asked.eq_ignore_ascii_case(email),
            Job::Signup(signup) => signup.email.eq_ignore_ascii_case(email),
            Job::ActivityNotification { account_id: to, .. } | Job::AccountEmail { account_id: to, .. } => *to == account_id,
            Job::NotifyResponse { .. } | Job::PhaseChange { .. } | Job::ComputeResults { .. } | Job::Federate { .. } | Job::Deliver(_) | Job::SendContribution { .. } => false,
        }
    }

    /// What the job says to the person it is about, for their data: an email's subject, or
    /// what was asked for. Never a secret (a sign-up's password hash, a link's token).
    pub(crate) fn subject_for_owner(&self) -> Option<String> {
        use super::accounts::AccountEmail;
        match self {
            Job::Email { subject, .. } | Job::ActivityNotification { subject, .. } => Some(subject.clone()),
            Job::AccountEmail { email, .. } => Some(
                match email {
                    AccountEmail::Welcome => "Welcome, with a link to confirm your address and sign in",
                    AccountEmail::SignIn => "A sign-in link",
                    AccountEmail::AlreadyRegistered => "You already have an account",
                    AccountEmail::AdminInvite => "You are an administrator",
                    AccountEmail::DeletionConfirmation => "Confirm the deletion of your account",
                }
                .to_string(),
            ),
            Job::SignInRequest { .. } => Some("A sign-in link was asked for".into()),
            Job::Signup(_) => Some("A sign-up with your address".into()),
            Job::NotifyResponse { .. } | Job::PhaseChange { .. } | Job::ComputeResults { .. } | Job::Federate { .. } | Job::Deliver(_) | Job::SendContribution { .. } => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Job::NotifyResponse { .. } => "notify_response",
            Job::Email { .. } => "email",
            Job::ActivityNotification { .. } => "activity_notification",
            Job::PhaseChange { .. } => "phase_change",
            Job::AccountEmail { .. } => "account_email",
            Job::SignInRequest { .. } => "sign_in_request",
            Job::Signup(_) => "signup",
            Job::ComputeResults { .. } => "compute_results",
            Job::Federate { .. } => "federate",
            Job::SendContribution { .. } => "send_contribution",
            Job::Deliver(_) => DELIVERY,
        }
    }

    /// When a job that keeps failing is given up: a delivery at its own deadline, anything
    /// else after [`MAX_ATTEMPTS`].
    fn gives_up(&self, attempts: i32, next_try: chrono::DateTime<chrono::Utc>) -> bool {
        match self {
            Job::Deliver(d) => next_try > d.give_up_at,
            _ => attempts >= MAX_ATTEMPTS,
        }
    }
}

/// The kind of delivery jobs, which the delivery worker runs (several at once) and the main
/// worker leaves alone.
pub(crate) const DELIVERY: &str = "federation_delivery";

/// Which jobs a worker claims.
#[derive(Clone, Copy)]
enum Claim {
    AllButDeliveries,
    Deliveries,
}

/// Adds a job; call it inside the transaction of the change that needs it.
pub async fn enqueue<C: ConnectionTrait>(db: &C, job: Job) -> AppResult<()> {
    enqueue_with_id(db, Uuid::now_v7(), job).await.map(|_| ())
}

/// Adds a job with a given id; false if a job with that id already exists (it was enqueued
/// by an earlier run of the same fan-out).
pub(crate) async fn enqueue_with_id<C: ConnectionTrait>(db: &C, id: Uuid, job: Job) -> AppResult<bool> {
    let inserted = pending_row(id, &job, now())?.insert(db).await;
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// A job's row as it enters the queue: pending, due now.
fn pending_row(id: Uuid, job: &Job, at: chrono::DateTime<chrono::Utc>) -> AppResult<job::ActiveModel> {
    Ok(job::ActiveModel {
        id: Set(id),
        kind: Set(job.kind().into()),
        payload: Set(serde_json::to_string(job).map_err(|e| AppError::Internal(e.into()))?),
        status: Set("pending".into()),
        attempts: Set(0),
        run_after: Set(at),
        locked_until: Set(None),
        locked_by: Set(None),
        last_error: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    })
}

/// Adds many jobs with given ids at once, skipping ids already there (an earlier run of the
/// same fan-out made them). One statement per few hundred jobs: a fan-out to a thousand
/// inboxes is a few inserts, not a thousand.
pub(crate) async fn enqueue_many_with_ids<C: ConnectionTrait>(db: &C, jobs: Vec<(Uuid, Job)>) -> AppResult<()> {
    let at = now();
    let mut rows = Vec::with_capacity(jobs.len());
    for (id, job) in jobs {
        rows.push(pending_row(id, &job, at)?);
    }
    while !rows.is_empty() {
        let chunk: Vec<_> = rows.drain(..rows.len().min(200)).collect();
        job::Entity::insert_many(chunk).on_conflict_do_nothing().exec(db).await?;
    }
    Ok(())
}

/// Rewrites a job's payload, e.g. to drop a secret it no longer needs once used. Call it in
/// the transaction that used it.
pub(crate) async fn replace_payload<C: ConnectionTrait>(db: &C, id: Uuid, job: &Job) -> AppResult<()> {
    job::Entity::update_many()
        .col_expr(job::Column::Payload, Expr::value(serde_json::to_string(job).map_err(|e| AppError::Internal(e.into()))?))
        .filter(job::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A page of the jobs about an account (see [`Job::concerns`]), in id order after `after`,
/// and where the next page starts (None at the end). The database narrows the jobs down to
/// those whose payload mentions the account's id or address; each is then read to be sure
/// (`ana@example.org` is inside `juana@example.org`). A payload that no longer reads as a job
/// but names them counts as theirs.
pub(crate) async fn about_account<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    email: &str,
    after: Option<Uuid>,
    limit: u64,
) -> AppResult<(Vec<job::Model>, Option<Uuid>)> {
    let mentions = |needle: &str| {
        let escaped = needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        job::Column::Payload.like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
    };
    let mut query = job::Entity::find()
        .filter(Condition::any().add(mentions(&account_id.to_string())).add(mentions(email)))
        .order_by_asc(job::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(job::Column::Id.gt(after));
    }
    let candidates = query.all(db).await?;
    let next = (candidates.len() as u64 == limit).then(|| candidates.last().map(|j| j.id)).flatten();
    let theirs = candidates
        .into_iter()
        .filter(|j| serde_json::from_str::<Job>(&j.payload).map_or(true, |job| job.concerns(account_id, email)))
        .collect();
    Ok((theirs, next))
}

/// Deletes every job about an account, whatever its state (see [`about_account`]); returns
/// how many. A worker running one of them meanwhile finds its row gone and lets it be.
pub(crate) async fn forget_account<C: ConnectionTrait>(db: &C, account_id: Uuid, email: &str) -> AppResult<u64> {
    const PAGE: u64 = 500;
    let (mut forgotten, mut after) = (0, None);
    loop {
        let (theirs, next) = about_account(db, account_id, email, after, PAGE).await?;
        if !theirs.is_empty() {
            let ids: Vec<Uuid> = theirs.iter().map(|j| j.id).collect();
            forgotten += job::Entity::delete_many().filter(job::Column::Id.is_in(ids)).exec(db).await?.rows_affected;
        }
        match next {
            Some(n) => after = Some(n),
            None => return Ok(forgotten),
        }
    }
}

/// Runs due jobs until the process ends. Several servers may run it on one database: a job
/// is claimed by a conditional update, so only one of them runs it.
pub async fn run_worker(ctx: AppContext) {
    let node = match node_id(&ctx) {
        Ok(node) => node,
        Err(e) => {
            tracing::error!(error = %e, "the job worker cannot start: no node id");
            return;
        }
    };
    // Jobs this server was running when it stopped (a crash, a kill) are taken back now.
    match job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("pending"))
        .col_expr(job::Column::LockedUntil, Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None))
        .filter(job::Column::Status.eq("running"))
        .filter(job::Column::LockedBy.eq(node.as_str()))
        .exec(&ctx.db)
        .await
    {
        Ok(r) if r.rows_affected > 0 => tracing::info!(jobs = r.rows_affected, "resuming jobs interrupted by the last stop"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not take back interrupted jobs"),
    }
    let mut last_sweep: Option<std::time::Instant> = None;
    loop {
        if last_sweep.is_none_or(|at| at.elapsed() >= SWEEP) {
            last_sweep = Some(std::time::Instant::now());
            match super::limits::sweep(&ctx).await {
                Ok(n) if n > 0 => tracing::debug!(rows = n, "swept expired rate-limit rows"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sweeping rate-limit rows failed"),
            }
        }
        if let Err(e) = super::schedule::announce_transitions(&ctx).await {
            tracing::warn!(error = %e, "announcing activity and phase changes failed");
        }
        match run_due(&ctx, &node).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "job worker round failed"),
        }
        tokio::select! {
            _ = ctx.jobs_notify.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// This server's identity among several sharing a database, kept in its data directory.
fn node_id(ctx: &AppContext) -> std::io::Result<String> {
    let path = ctx.settings.data_dir.join("node_id");
    match std::fs::read_to_string(&path) {
        Ok(id) if !id.trim().is_empty() => Ok(id.trim().to_string()),
        _ => {
            let id = Uuid::new_v4().to_string();
            std::fs::write(&path, &id)?;
            Ok(id)
        }
    }
}

/// Claims and runs the jobs that are due, deliveries aside; returns how many ran.
pub async fn run_due(ctx: &AppContext, node: &str) -> AppResult<usize> {
    let claimed = claim_due(ctx, node, Claim::AllButDeliveries, BATCH, LEASE).await?;
    let ran = claimed.len();
    for row in claimed {
        run_claimed(ctx, row).await?;
    }
    Ok(ran)
}

async fn run_claimed(ctx: &AppContext, row: job::Model) -> AppResult<()> {
    let outcome = run_job(ctx, &row).await;
    finish(ctx, &row, outcome).await
}

/// Does a claimed job's work: an error means "try again later".
async fn run_job(ctx: &AppContext, row: &job::Model) -> Result<(), String> {
    match serde_json::from_str::<Job>(&row.payload) {
        Ok(job) => perform(ctx, row.id, job).await,
        Err(e) => Err(format!("unreadable job: {e}")),
    }
}

/// Claims up to `limit` due jobs of the given class for this node, each with a lease.
async fn claim_due(ctx: &AppContext, node: &str, which: Claim, limit: u64, lease: Duration) -> AppResult<Vec<job::Model>> {
    let at = now();
    let due = Condition::any()
        .add(Condition::all().add(job::Column::Status.eq("pending")).add(job::Column::RunAfter.lte(at)))
        .add(Condition::all().add(job::Column::Status.eq("running")).add(job::Column::LockedUntil.lt(at)));
    let kind = match which {
        Claim::AllButDeliveries => job::Column::Kind.ne(DELIVERY),
        Claim::Deliveries => job::Column::Kind.eq(DELIVERY),
    };
    let due = Condition::all().add(due).add(kind);
    let candidates: Vec<Uuid> = job::Entity::find()
        .filter(due.clone())
        .order_by_asc(job::Column::RunAfter)
        .select_only()
        .column(job::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    // One write for the whole batch: each candidate still due is leased to this node. Another
    // node's claim in between leaves that job leased to it, which the read below tells apart.
    let lease_until = at + chrono::Duration::from_std(lease).expect("a small duration");
    job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("running"))
        .col_expr(job::Column::LockedUntil, Expr::value(lease_until))
        .col_expr(job::Column::LockedBy, Expr::value(node))
        .col_expr(job::Column::Attempts, Expr::col(job::Column::Attempts).add(1))
        .col_expr(job::Column::UpdatedAt, Expr::value(at))
        .filter(job::Column::Id.is_in(candidates.clone()))
        .filter(due)
        .exec(&ctx.db)
        .await?;
    // Ours: leased to this node beyond now. A candidate is due, so none was leased to us then.
    let mut rows = job::Entity::find()
        .filter(job::Column::Id.is_in(candidates))
        .filter(job::Column::Status.eq("running"))
        .filter(job::Column::LockedBy.eq(node))
        .filter(job::Column::LockedUntil.gt(at))
        .all(&ctx.db)
        .await?;
    rows.sort_by_key(|r| r.run_after);
    Ok(rows)
}

/// Marks deliveries done in batches: one write for all those that finished meanwhile, instead
/// of one each (on SQLite every write is a commit of its own). A delivery whose mark is lost to
/// a crash runs again when its lease ends; receivers ignore the duplicate.
async fn mark_done_in_batches(ctx: AppContext, mut done: tokio::sync::mpsc::UnboundedReceiver<Uuid>) {
    const MOST: usize = 500;
    while let Some(first) = done.recv().await {
        let mut ids = vec![first];
        while ids.len() < MOST {
            match done.try_recv() {
                Ok(id) => ids.push(id),
                Err(_) => break,
            }
        }
        let at = now();
        let marked = job::Entity::update_many()
            .col_expr(job::Column::Status, Expr::value("done"))
            .col_expr(job::Column::LockedUntil, Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None))
            .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
            .col_expr(job::Column::UpdatedAt, Expr::value(at))
            .filter(job::Column::Id.is_in(ids.clone()))
            .exec(&ctx.db)
            .await;
        if let Err(e) = marked {
            tracing::warn!(error = %e, count = ids.len(), "marking deliveries done failed; they run again when their lease ends");
        }
    }
}

/// Runs due deliveries until the process ends, several at once: at most
/// `federation.concurrency` in all and `federation.per_instance_concurrency` to one instance,
/// so a slow or dead instance holds up only its own deliveries.
pub async fn run_delivery_worker(ctx: AppContext) {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    use tokio::sync::Semaphore;
    let Ok(node) = node_id(&ctx) else { return };
    let settings = ctx.settings.federation.clone();
    let all = Arc::new(Semaphore::new(settings.concurrency));
    let per_instance: Arc<Mutex<HashMap<String, Arc<Semaphore>>>> = Default::default();
    // A claimed delivery may wait for its instance's turn: its lease covers the wait.
    let lease = Duration::from_secs(600);
    let (done, finished) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(mark_done_in_batches(ctx.clone(), finished));
    loop {
        let Some(f) = ctx.federation() else {
            tokio::time::sleep(Duration::from_secs(5)).await;
            continue;
        };
        if all.available_permits() == 0 {
            // Every slot is sending: wait for one to end (not for the poll), then a moment for
            // others, so that the next claim takes a batch rather than one job.
            drop(all.clone().acquire_owned().await);
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let free = all.available_permits() as u64;
        let claimed = claim_due(&ctx, &node, Claim::Deliveries, std::cmp::max(free, 1), lease).await;
        let claimed = match claimed {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "delivery worker round failed");
                Vec::new()
            }
        };
        if claimed.is_empty() {
            tokio::select! {
                _ = f.wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            }
            continue;
        }
        for row in claimed {
            let Ok(permit) = all.clone().acquire_owned().await else { return };
            let instance = super::federation::delivery::instance_of_payload(&row.payload);
            let gate = per_instance
                .lock()
                .expect("not poisoned")
                .entry(instance)
                .or_insert_with(|| Arc::new(Semaphore::new(settings.per_instance_concurrency)))
                .clone();
            let ctx = ctx.clone();
            let done = done.clone();
            tokio::spawn(async move {
                let _permit = permit;
                let Ok(_turn) = gate.acquire_owned().await else { return };
                // Done goes to the batch; a failure is recorded at once, with its backoff.
                let recorded = match run_job(&ctx, &row).await {
                    Ok(()) => done.send(row.id).map_err(|_| AppError::Internal(anyhow::anyhow!("the delivery marker stopped"))),
                    failed => finish(&ctx, &row, failed).await,
                };
                if let Err(e) = recorded {
                    tracing::warn!(error = %e, "recording a delivery's outcome failed");
                }
            });
        }
    }
}

async fn finish(ctx: &AppContext, row: &job::Model, outcome: Result<(), String>) -> AppResult<()> {
    let at = now();
    let mut update = job::ActiveModel { id: Set(row.id), locked_until: Set(None), locked_by: Set(None), updated_at: Set(at), ..Default::default() };
    match outcome {
        Ok(()) => update.status = Set("done".into()),
        Err(error) => {
            let attempts = row.attempts;
            // 2, 4, 8... seconds, at most an hour.
            let backoff = chrono::Duration::seconds(std::cmp::min(1i64 << attempts.clamp(1, 12), 3_600));
            let gave_up = match serde_json::from_str::<Job>(&row.payload) {
                Ok(job) => job.gives_up(attempts, at + backoff),
                Err(_) => attempts >= MAX_ATTEMPTS,
            };
            tracing::warn!(job = %row.id, kind = %row.kind, attempts, gave_up, %error, "job failed");
            metrics::counter!("convene_job_failures_total", "kind" => row.kind.clone()).increment(1);
            update.status = Set(if gave_up { "failed" } else { "pending" }.into());
            // A job left for an operator to look at keeps nothing secret.
            if gave_up && let Ok(job) = serde_json::from_str::<Job>(&row.payload) {
                update.payload = Set(serde_json::to_string(&job.forgetting_secrets()).map_err(|e| AppError::Internal(e.into()))?);
            }
            update.run_after = Set(at + backoff);
            update.last_error = Set(Some(error));
        }
    }
    match update.update(&ctx.db).await {
        // Deleted while it ran: its account was erased (`forget_account`).
        Ok(_) | Err(sea_orm::DbErr::RecordNotUpdated) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The Message-ID of the email a job sends: the same on every retry of the job.
pub fn message_id(ctx: &AppContext, job_id: Uuid) -> String {
    let host = ctx.public_url.host_str().unwrap_or("convene.invalid");
    format!("<{job_id}@{host}>")
}

async fn perform(ctx: &AppContext, id: Uuid, job: Job) -> Result<(), String> {
    match job {
        Job::Email { to, subject, text } => {
            let to = to.parse().map_err(|e| format!("bad address {to}: {e}"))?;
            let email = Email { to, subject, text, html: None, message_id: Some(message_id(ctx, id)), unsubscribe: None };
            ctx.mailer.send(email).await.map_err(|e| e.to_string())
        }
        Job::ActivityNotification { account_id, activity_id, subject, text } => {
            super::notifications::send(ctx, id, account_id, activity_id, &subject, &text).await.map_err(|e| e.to_string())
        }
        Job::AccountEmail { account_id, email } => super::accounts::send_account_email(ctx, id, account_id, email).await.map_err(|e| e.to_string()),
        Job::SignInRequest { email } => super::accounts::send_requested_link(ctx, id, &email).await.map_err(|e| e.to_string()),
        Job::Signup(signup) => super::accounts::complete_signup(ctx, id, signup).await.map_err(|e| e.to_string()),
        Job::NotifyResponse { batch_id } => notify_response(ctx, batch_id).await.map_err(|e| e.to_string()),
        Job::PhaseChange { activity_id, phase } => phase_change(ctx, activity_id, phase).await.map_err(|e| e.to_string()),
        Job::ComputeResults { activity_id } => super::results::recompute(ctx, activity_id).await.map_err(|e| e.to_string()),
        Job::Federate { seq } => super::federation::delivery::fan_out(ctx, seq).await.map_err(|e| e.to_string()),
        Job::Deliver(delivery) => super::federation::delivery::deliver(ctx, &delivery).await,
        Job::SendContribution { id } => super::federation::remote::send_queued(ctx, id).await,
    }
}

async fn phase_change(ctx: &AppContext, activity_id: Uuid, phase: String) -> AppResult<()> {
    let Some(a) = activity::Entity::find_by_id(activity_id).one(&ctx.db).await? else { return Ok(()) };
    let plugin = super::plugins::runnable(ctx, &a.type_id, "activity").await?;
    let call = super::activity_writes::call_context(ctx, &a);
    let config = a.config.clone();
    let (told, effects) = ctx.plugins.run(&plugin, "on-phase-change", call, move |p, s| p.call_on_phase_change(s, &config, &phase)).await?;
    told.map_err(|why| AppError::plugin(&plugin.id, "refused", format!("plugin {} refused the phase change: {why}", plugin.id)))?;
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    if !super::activity_writes::commit_effects(ctx, &txn, &a, effects).await? {
        // A contribution changed what the plugin read; the job runs again after its backoff.
        return Err(AppError::conflict("activity", "changed while its plugin was told of the phase change"));
    }
    txn.commit().await?;
    ctx.jobs_wake();
    Ok(())
}

/// One email per author of the batch's contributions (people without an account, entered
/// by facilitators, are told through the facilitator's channels instead).
async fn notify_response(ctx: &AppContext, batch_id: Uuid) -> AppResult<()> {
    let responses = response::Entity::find().filter(response::Column::BatchId.eq(batch_id)).all(&ctx.db).await?;
    let Some(first) = responses.first() else { return Ok(()) };
    let process = process::Entity::find_by_id(first.process_id).one(&ctx.db).await?.ok_or(AppError::NotFound("process"))?;
    // Authors on other instances are told through their instance.
    super::federation::replies::reply_to_remote_authors(ctx, &process, &responses).await?;
    let ids: Vec<Uuid> = responses.iter().map(|r| r.contribution_id).collect();
    let authors: Vec<(Uuid, Option<Uuid>)> = contribution::Entity::find()
        .filter(contribution::Column::Id.is_in(ids))
        .select_only()
        .columns([contribution::Column::Id, contribution::Column::AuthorId])
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let mut per_author: BTreeMap<Uuid, usize> = BTreeMap::new();
    for (_, author) in authors {
        if let Some(a) = author {
            *per_author.entry(a).or_default() += 1;
        }
    }
    let lang = ctx.settings.instance.default_language.as_str().to_string();
    let title = LocalizedText::from_stored(process.title.clone()).best(&lang, &lang).to_string();
    let disposition = Disposition::from_stored(&first.disposition).unwrap_or(Disposition::Noted);
    let explanation = LocalizedText::from_stored(first.explanation.clone()).best(&lang, &lang).to_string();
    let link = ctx.link("me/input");
    for (author, count) in per_author {
        let Some(account) = account::Entity::find_by_id(author).one(&ctx.db).await? else { continue };
        let subject = format!("{title}: a response to your input");
        let what = if count == 1 { "your contribution".to_string() } else { format!("{count} of your contributions") };
        let text = format!(
            "The organisers of \"{title}\" have responded to {what}.\n\nDecision: {}\n\n{explanation}\n\nSee all your input and what happened to it: {link}\n",
            disposition_words(disposition)
        );
        // Derived from the batch and the person: a second run of this fan-out adds nothing.
        let email_id = Uuid::new_v5(&batch_id, author.as_bytes());
        enqueue_with_id(&ctx.db, email_id, Job::Email { to: account.email, subject, text }).await?;
    }
    ctx.jobs_wake();
    Ok(())
}

fn disposition_words(d: Disposition) -> &'static str {
    match d {
        Disposition::Adopted => "adopted",
        Disposition::PartlyAdopted => "partly adopted",
        Disposition::NotAdopted => "not adopted",
        Disposition::OutOfScope => "out of the scope of this process",
        Disposition::Noted => "noted",
    }
}

/// One job as an instance administrator sees it: what kind of work, how it went, never its
/// payload (which may hold addresses, names and texts).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobView {
    pub id: Uuid,
    /// e.g. `email`, `notify_response`, `phase_change`.
    pub kind: String,
    /// `pending`, `running`, `failed` or `done`.
    pub status: String,
    pub attempts: i32,
    /// When it runs next (pending), or would have (failed).
    pub run_after: chrono::DateTime<chrono::Utc>,
    /// What went wrong the last time it ran.
    pub last_error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<job::Model> for JobView {
    fn from(j: job::Model) -> Self {
        JobView {
            id: j.id,
            kind: j.kind,
            status: j.status,
            attempts: j.attempts,
            run_after: j.run_after,
            last_error: j.last_error,
            created_at: j.created_at,
            updated_at: j.updated_at,
        }
    }
}

/// The queue for an instance administrator: how many jobs there are in each status, the
/// waiting (pending or running) ones that run soonest and the failed ones most recently
/// given up, at most `limit` of each.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobQueue {
    /// Jobs per status (`pending`, `running`, `failed`, `done`).
    pub counts: BTreeMap<String, u64>,
    pub waiting: Vec<JobView>,
    pub failed: Vec<JobView>,
}

/// Largest `limit` of [`queue`].
pub const QUEUE_LIMIT: u64 = 200;

pub async fn queue(ctx: &AppContext, viewer: &super::Viewer, limit: u64) -> AppResult<JobQueue> {
    super::accounts::require_admin(viewer)?;
    let limit = limit.clamp(1, QUEUE_LIMIT);
    let waiting = job::Entity::find()
        .filter(job::Column::Status.is_in(["pending", "running"]))
        .order_by_asc(job::Column::RunAfter)
        .limit(limit)
        .all(&ctx.db)
        .await?;
    let failed = job::Entity::find().filter(job::Column::Status.eq("failed")).order_by_desc(job::Column::UpdatedAt).limit(limit).all(&ctx.db).await?;
    Ok(JobQueue {
        counts: counts(ctx).await?,
        waiting: waiting.into_iter().map(JobView::from).collect(),
        failed: failed.into_iter().map(JobView::from).collect(),
    })
}

/// Puts a failed job back in the queue with a fresh count of attempts, to run at once (when
/// what made it fail, a mail server say, has been fixed). Only a failed job can be retried.
pub async fn retry(ctx: &AppContext, viewer: &super::Viewer, id: Uuid) -> AppResult<JobView> {
    super::accounts::require_admin(viewer)?;
    let at = now();
    let updated = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("pending"))
        .col_expr(job::Column::Attempts, Expr::value(0))
        .col_expr(job::Column::RunAfter, Expr::value(at))
        .col_expr(job::Column::UpdatedAt, Expr::value(at))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::Status.eq("failed"))
        .exec(&ctx.db)
        .await?;
    let row = job::Entity::find_by_id(id).one(&ctx.db).await?.ok_or(AppError::NotFound("job"))?;
    if updated.rows_affected == 0 {
        return Err(AppError::conflict("status", format!("this job is {}, not failed; only a failed job can be retried", row.status)));
    }
    tracing::info!(job = %id, kind = %row.kind, by = %viewer.account_id, "failed job put back in the queue");
    ctx.jobs_wake();
    Ok(row.into())
}

/// How many jobs are waiting, running and failed, for /metrics.
pub async fn counts(ctx: &AppContext) -> AppResult<BTreeMap<String, u64>> {
    let rows: Vec<(String, i64)> = job::Entity::find()
        .select_only()
        .column(job::Column::Status)
        .column_as(Expr::col(job::Column::Id).count(), "n")
        .group_by(job::Column::Status)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    Ok(rows.into_iter().map(|(s, n)| (s, n as u64)).collect())
}

#[cfg(test)]
mod tests {
    use super::Job;

    #[test]
    fn a_sign_up_forgets_its_password_hash_and_other_jobs_are_kept_whole() {
        let signup = super::super::accounts::Signup {
            email: "ana@example.org".into(),
            display_name: "Ana".into(),
            locale: "en".into(),
            password_hash: Some("$argon2id$v=19$secret".into()),
        };
        let kept = serde_json::to_string(&Job::Signup(signup).forgetting_secrets()).unwrap();
        assert!(!kept.contains("argon2") && kept.contains("ana@example.org"), "{kept}");
        let email = || Job::SignInRequest { email: "ana@example.org".into() };
        assert_eq!(serde_json::to_string(&email().forgetting_secrets()).unwrap(), serde_json::to_string(&email()).unwrap());
    }
}
