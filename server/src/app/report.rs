//! The input-use report of a process, public: how much input came in, through which
//! channels, how much of it got a response and which, how long responses took, and whether
//! each commitment the organisers made is met, missed or at risk.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveTime, Utc};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use uuid::Uuid;

use super::error::AppResult;
use super::{AppContext, Viewer, now};
use crate::adapters::store::entities::{activity, commitment, contribution, outcome, phase, response};
use crate::domain::commitments::{self, CommitmentStatus, Obligation, Tally};
use crate::domain::localized::LocalizedText;
use crate::domain::participation::{Channel, ContributionStatus, Disposition};
use crate::domain::process::Measure;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActivityCount {
    pub activity_id: Uuid,
    #[serde(rename = "type")]
    pub type_id: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: LocalizedText,
    pub contributions: u64,
    pub by_channel: BTreeMap<String, u64>,
    pub responded: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DelayDistribution {
    /// Contributions with a response.
    pub responded: u64,
    /// Days from contribution to first response.
    pub p50_days: Option<f64>,
    pub p90_days: Option<f64>,
    pub max_days: Option<f64>,
    /// Counts per band: "0-7", "8-14", "15-30", "31-60", "61+" days.
    pub bands: BTreeMap<String, u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommitmentCheck {
    #[schema(value_type = BTreeMap<String, String>)]
    pub text: LocalizedText,
    pub measure: Option<Measure>,
    pub status: CommitmentStatus,
    /// What the status is made of (for a response commitment: contributions answered on
    /// time, late, overdue, due soon, open).
    pub tally: Tally,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InputUseReport {
    pub process_id: Uuid,
    pub generated_at: DateTime<Utc>,
    /// Contributions made (visible or hidden by moderators; withdrawn ones are not counted).
    pub contributions: u64,
    pub by_channel: BTreeMap<String, u64>,
    pub by_activity: Vec<ActivityCount>,
    /// Contributions with at least one response, and their share of all.
    pub responded: u64,
    pub responded_share: f64,
    /// Current response of each answered contribution.
    pub by_disposition: BTreeMap<String, u64>,
    pub response_delay: DelayDistribution,
    pub commitments: Vec<CommitmentCheck>,
    /// Versions of the outcome published so far, and when the first was.
    pub outcome_versions: u64,
    pub outcome_first_published_at: Option<DateTime<Utc>>,
}

fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    Some((sorted[rank] * 10.0).round() / 10.0)
}

fn band(days: f64) -> &'static str {
    match days {
        d if d <= 7.0 => "0-7",
        d if d <= 14.0 => "8-14",
        d if d <= 30.0 => "15-30",
        d if d <= 60.0 => "31-60",
        _ => "61+",
    }
}

/// How long a kept report may be served although nothing it counts changed: whether a
/// commitment is met, at risk or missed also depends on the time.
const MAX_AGE: Duration = Duration::from_secs(60);
/// Processes whose reports are kept; the least recently built goes first.
const CAPACITY: usize = 256;

/// What a report counts, in a few numbers that change whenever it would: every activity's
/// revision (contributions made, edited, withdrawn, hidden, restored), the newest response,
/// the outcome's versions, and the process itself (phases, commitments).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Fingerprint {
    activities: i64,
    revisions: i64,
    newest_response: Option<Uuid>,
    outcome_versions: i64,
    process_updated: DateTime<Utc>,
}

/// Reports kept in memory by process, each with the fingerprint it was built at. Every server
/// checks the fingerprint in the database, so a change made through another server shows at once.
#[derive(Default)]
pub struct ReportCache {
    kept: Mutex<HashMap<Uuid, (Fingerprint, Instant, Arc<InputUseReport>)>>,
}

async fn fingerprint(ctx: &AppContext, process: &crate::adapters::store::entities::process::Model) -> AppResult<Fingerprint> {
    let (activities, revisions): (i64, Option<i64>) = activity::Entity::find()
        .filter(activity::Column::ProcessId.eq(process.id))
        .select_only()
        .column_as(activity::Column::Id.count(), "activities")
        .column_as(sea_orm::sea_query::ExprTrait::cast_as(activity::Column::Revision.sum(), "BIGINT"), "revisions")
        .into_tuple()
        .one(&ctx.db)
        .await?
        .unwrap_or((0, None));
    let newest_response: Option<Uuid> = response::Entity::find()
        .filter(response::Column::ProcessId.eq(process.id))
        .order_by_desc(response::Column::Id)
        .select_only()
        .column(response::Column::Id)
        .into_tuple()
        .one(&ctx.db)
        .await?;
    let outcome_versions: Option<i32> = outcome::Entity::find()
        .filter(outcome::Column::ProcessId.eq(process.id))
        .order_by_desc(outcome::Column::Version)
        .select_only()
        .column(outcome::Column::Version)
        .into_tuple()
        .one(&ctx.db)
        .await?;
    Ok(Fingerprint {
        activities,
        revisions: revisions.unwrap_or(0),
        newest_response,
        outcome_versions: outcome_versions.map(i64::from).unwrap_or(0),
        process_updated: process.updated_at,
    })
}

/// The report, from the copy kept in memory while nothing it counts changed (and for at most
/// a minute), else built now. The same for every viewer who may see the process.
pub async fn get(ctx: &AppContext, viewer: Option<&Viewer>, process_key: &str) -> AppResult<Arc<InputUseReport>> {
    let v = super::processes::load_visible(ctx, viewer, process_key).await?;
    let print = fingerprint(ctx, &v.process).await?;
    if let Some((kept_print, at, report)) = ctx.report_cache.kept.lock().expect("report cache lock").get(&v.process.id)
        && *kept_print == print
        && at.elapsed() < MAX_AGE
    {
        return Ok(report.clone());
    }
    let report = Arc::new(compute(ctx, v.process.id).await?);
    let mut kept = ctx.report_cache.kept.lock().expect("report cache lock");
    if kept.len() >= CAPACITY
        && let Some(oldest) = kept.iter().min_by_key(|(_, (_, at, _))| *at).map(|(id, _)| *id)
    {
        kept.remove(&oldest);
    }
    kept.insert(v.process.id, (print, Instant::now(), report.clone()));
    Ok(report)
}

/// Builds the report now, from the stored contributions, responses, phases and outcomes.
pub async fn build(ctx: &AppContext, viewer: Option<&Viewer>, process_key: &str) -> AppResult<InputUseReport> {
    let v = super::processes::load_visible(ctx, viewer, process_key).await?;
    compute(ctx, v.process.id).await
}

async fn compute(ctx: &AppContext, process_id: Uuid) -> AppResult<InputUseReport> {
    let at = now();

    let activities = activity::Entity::find().filter(activity::Column::ProcessId.eq(process_id)).order_by_asc(activity::Column::Position).all(&ctx.db).await?;
    let activity_ids: Vec<Uuid> = activities.iter().map(|a| a.id).collect();
    let rows: Vec<(Uuid, Uuid, String, DateTime<Utc>)> = contribution::Entity::find()
        .filter(contribution::Column::ActivityId.is_in(activity_ids))
        .filter(contribution::Column::Status.ne(ContributionStatus::Withdrawn.as_str()))
        .select_only()
        .columns([contribution::Column::Id, contribution::Column::ActivityId, contribution::Column::Channel, contribution::Column::CreatedAt])
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let responses = super::responses::summaries(ctx, Condition::all().add(response::Column::ProcessId.eq(process_id))).await?;

    let phases = phase::Entity::find().filter(phase::Column::ProcessId.eq(process_id)).all(&ctx.db).await?;
    let last_phase_end = phases.iter().map(|p| p.ends_on).max().map(|d| d.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("a valid time")).and_utc());
    let closes: HashMap<Uuid, Option<DateTime<Utc>>> = activities.iter().map(|a| (a.id, a.closes_at.or(last_phase_end))).collect();

    let channels = || Channel::ALL.iter().map(|c| (c.as_str().to_string(), 0u64)).collect::<BTreeMap<_, _>>();
    let mut by_channel = channels();
    let mut per_activity: HashMap<Uuid, (u64, BTreeMap<String, u64>, u64)> = activities.iter().map(|a| (a.id, (0, channels(), 0))).collect();
    let mut delays = Vec::new();
    let mut responded = 0;
    for (id, activity_id, channel, created) in &rows {
        *by_channel.entry(channel.clone()).or_default() += 1;
        let entry = per_activity.entry(*activity_id).or_default();
        entry.0 += 1;
        *entry.1.entry(channel.clone()).or_default() += 1;
        if let Some(r) = responses.get(id) {
            responded += 1;
            entry.2 += 1;
            delays.push((r.first_at - *created).num_seconds().max(0) as f64 / 86_400.0);
        }
    }
    delays.sort_by(|a, b| a.total_cmp(b));
    let mut bands: BTreeMap<String, u64> = ["0-7", "8-14", "15-30", "31-60", "61+"].iter().map(|b| (b.to_string(), 0)).collect();
    for d in &delays {
        *bands.entry(band(*d).to_string()).or_default() += 1;
    }
    let mut by_disposition: BTreeMap<String, u64> = Disposition::ALL.iter().map(|d| (d.as_str().to_string(), 0)).collect();
    for r in rows.iter().filter_map(|(id, ..)| responses.get(id)) {
        *by_disposition.entry(r.disposition.clone()).or_default() += 1;
    }

    let outcome_dates: Vec<DateTime<Utc>> = outcome::Entity::find()
        .filter(outcome::Column::ProcessId.eq(process_id))
        .order_by_asc(outcome::Column::Version)
        .select_only()
        .column(outcome::Column::CreatedAt)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let outcome_first = outcome_dates.first().copied();

    let stored_commitments = commitment::Entity::find().filter(commitment::Column::ProcessId.eq(process_id)).order_by_asc(commitment::Column::Position).all(&ctx.db).await?;
    let commitments = stored_commitments
        .into_iter()
        .map(|c| {
            let measure = c.measure_kind.as_deref().zip(c.measure_days).and_then(|(k, d)| Measure::from_stored(k, d));
            let obligations: Vec<Obligation> = match measure {
                Some(m @ Measure::RespondWithinDays { .. }) => rows
                    .iter()
                    .map(|(id, activity_id, _, _)| Obligation {
                        due: closes.get(activity_id).copied().flatten().map(|close| commitments::due(m, close)),
                        done: responses.get(id).map(|r| r.first_at),
                    })
                    .collect(),
                Some(m @ Measure::PublishOutcomeWithinDays { .. }) => {
                    vec![Obligation { due: last_phase_end.map(|end| commitments::due(m, end)), done: outcome_first }]
                }
                None => vec![],
            };
            let tally = commitments::tally(&obligations, at);
            let status = if measure.is_some() { commitments::status(tally) } else { CommitmentStatus::Pending };
            CommitmentCheck { text: LocalizedText::from_stored(c.text), measure, status, tally }
        })
        .collect();

    let total = rows.len() as u64;
    Ok(InputUseReport {
        process_id,
        generated_at: at,
        contributions: total,
        by_channel,
        by_activity: activities
            .into_iter()
            .map(|a| {
                let (contributions, by_channel, responded) = per_activity.remove(&a.id).unwrap_or_default();
                ActivityCount { activity_id: a.id, type_id: a.type_id, title: LocalizedText::from_stored(a.title), contributions, by_channel, responded }
            })
            .collect(),
        responded,
        responded_share: if total == 0 { 0.0 } else { (responded as f64 / total as f64 * 1000.0).round() / 1000.0 },
        by_disposition,
        response_delay: DelayDistribution {
            responded,
            p50_days: percentile(&delays, 0.5),
            p90_days: percentile(&delays, 0.9),
            max_days: delays.last().map(|d| (d * 10.0).round() / 10.0),
            bands,
        },
        commitments,
        outcome_versions: outcome_dates.len() as u64,
        outcome_first_published_at: outcome_first,
    })
}
