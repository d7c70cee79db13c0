//! Organisers' responses to contributions: a disposition (adopted, partly adopted, not
//! adopted, out of scope, noted), an explanation, and the outcome sections the input shaped.
//! Many similar contributions can be answered at once. Each response is recorded in the
//! ledger, and every author can follow what happened to their input.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::AppResult;
use super::pagination::{Page, PageParams};
use super::{AppContext, AppError, Viewer, now};
use crate::adapters::store::entities::{activity, contribution, process, response};
use crate::domain::errors::FieldErrors;
use crate::domain::localized::{LocalizedText, TextRule};
use crate::domain::participation::{Channel, ContributionStatus, Disposition};
use crate::domain::text::bounded;

/// Contributions answered in one request, at most.
pub const MAX_BATCH: usize = 1_000;
const EXPLANATION: TextRule = TextRule { max_chars: 5_000, multiline: true };

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewResponse {
    /// The contributions this answers (one, or many similar ones at once).
    pub contribution_ids: Vec<Uuid>,
    pub disposition: Disposition,
    /// Why, per language.
    pub explanation: BTreeMap<String, String>,
    /// Outcome sections the input shaped, e.g. ["2.1", "annex-b"].
    #[serde(default)]
    pub outcome_refs: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResponseView {
    pub disposition: Disposition,
    #[schema(value_type = BTreeMap<String, String>)]
    pub explanation: LocalizedText,
    pub outcome_refs: Vec<String>,
    /// Shared by contributions answered together.
    pub batch_id: Uuid,
    pub at: DateTime<Utc>,
}

pub(super) fn view(r: response::Model) -> ResponseView {
    ResponseView {
        disposition: Disposition::from_stored(&r.disposition).unwrap_or(Disposition::Noted),
        explanation: LocalizedText::from_stored(r.explanation),
        outcome_refs: serde_json::from_value(r.outcome_refs).unwrap_or_default(),
        batch_id: r.batch_id,
        at: r.created_at,
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Responded {
    pub batch_id: Uuid,
    /// How many contributions were answered.
    pub count: usize,
}

/// A response as a form holds it before it is sent: the disposition may still be missing.
#[derive(Debug, Default, Clone)]
pub struct ResponseDraft {
    pub contribution_ids: Vec<Uuid>,
    pub disposition: Option<Disposition>,
    pub explanation: BTreeMap<String, String>,
    pub outcome_refs: Vec<String>,
}

/// A response that passed every check, ready to be written.
struct Checked {
    process_id: Uuid,
    ids: Vec<Uuid>,
    disposition: Disposition,
    explanation: LocalizedText,
    refs: Vec<String>,
}

/// Who may respond (organisers), then what they sent: the same checks for the API and for the
/// pages' confirmation step, which sends nothing.
async fn validate(ctx: &AppContext, viewer: &Viewer, process_key: &str, draft: &ResponseDraft) -> AppResult<Checked> {
    let managed = super::processes::load_managed(ctx, viewer, process_key).await?;
    let mut errors = FieldErrors::new();
    if draft.contribution_ids.is_empty() || draft.contribution_ids.len() > MAX_BATCH {
        errors.push("contribution_ids", format!("give 1 to {MAX_BATCH} contributions"));
    }
    if draft.disposition.is_none() {
        errors.push("disposition", format!("choose one of {}", Disposition::choices()));
    }
    let explanation = LocalizedText::required(&mut errors, "explanation", &draft.explanation, &ctx.settings.instance.languages, EXPLANATION);
    let mut refs = Vec::new();
    for (i, r) in draft.outcome_refs.iter().enumerate() {
        match bounded(&format!("outcome_refs[{i}]"), r, 100, false) {
            Ok(r) if !r.is_empty() => refs.push(r),
            Ok(_) => errors.push(format!("outcome_refs[{i}]"), "is empty"),
            Err(e) => errors.push(e.field, e.problem),
        }
    }
    errors.finish()?;

    let ids = draft.contribution_ids.clone();
    let activities = activity::Entity::find().filter(activity::Column::ProcessId.eq(managed.process.id)).select_only().column(activity::Column::Id);
    let found: HashMap<Uuid, String> = contribution::Entity::find()
        .filter(contribution::Column::Id.is_in(ids.clone()))
        .filter(contribution::Column::ActivityId.in_subquery(sea_orm::QueryTrait::into_query(activities)))
        .select_only()
        .columns([contribution::Column::Id, contribution::Column::Status])
        .into_tuple::<(Uuid, String)>()
        .all(&ctx.db)
        .await?
        .into_iter()
        .collect();
    let mut errors = FieldErrors::new();
    let mut seen = std::collections::HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        let field = format!("contribution_ids[{i}]");
        match found.get(id) {
            None => errors.push(field, "is not a contribution to this process"),
            Some(status) if status == ContributionStatus::Withdrawn.as_str() => errors.push(field, "was withdrawn by its author"),
            Some(_) if !seen.insert(*id) => errors.push(field, "is listed twice"),
            Some(_) => {}
        }
    }
    errors.finish()?;
    let disposition = draft.disposition.unwrap_or(Disposition::Noted);
    Ok(Checked { process_id: managed.process.id, ids, disposition, explanation, refs })
}

/// Checks a response as `respond` would, without sending it (the pages' confirmation step).
pub async fn check(ctx: &AppContext, viewer: &Viewer, process_key: &str, draft: &ResponseDraft) -> AppResult<()> {
    validate(ctx, viewer, process_key, draft).await.map(|_| ())
}

/// Answers one or many contributions of a process (its organisers). Every id must be a
/// contribution to one of the process's activities that has not been withdrawn.
pub async fn respond(ctx: &AppContext, viewer: &Viewer, process_key: &str, input: NewResponse) -> AppResult<Responded> {
    let draft = ResponseDraft {
        contribution_ids: input.contribution_ids,
        disposition: Some(input.disposition),
        explanation: input.explanation,
        outcome_refs: input.outcome_refs,
    };
    let Checked { process_id, ids, disposition, explanation, refs } = validate(ctx, viewer, process_key, &draft).await?;

    let batch_id = Uuid::now_v7();
    let at = now();
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let rows = ids.iter().map(|id| response::ActiveModel {
        id: Set(Uuid::now_v7()),
        contribution_id: Set(*id),
        process_id: Set(process_id),
        batch_id: Set(batch_id),
        disposition: Set(disposition.as_str().into()),
        explanation: Set(explanation.to_json()),
        outcome_refs: Set(serde_json::json!(refs)),
        responded_by: Set(Some(viewer.account_id)),
        created_at: Set(at),
    });
    // Inserted in chunks: databases cap the parameters of one statement.
    let rows: Vec<response::ActiveModel> = rows.collect();
    for chunk in rows.chunks(200) {
        response::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    let payload = serde_json::json!({
        "batch": batch_id, "disposition": disposition, "explanation": explanation,
        "outcome_refs": refs, "contributions": ids,
    });
    super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Process(process_id), "responses.given", payload).await?;
    super::jobs::enqueue(&txn, super::jobs::Job::NotifyResponse { batch_id }).await?;
    txn.commit().await?;
    ctx.jobs_wake();
    Ok(Responded { batch_id, count: ids.len() })
}

/// The current (newest) response of each contribution given.
pub async fn current(ctx: &AppContext, contribution_ids: &[Uuid]) -> AppResult<HashMap<Uuid, ResponseView>> {
    if contribution_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = response::Entity::find()
        .filter(response::Column::ContributionId.is_in(contribution_ids.to_vec()))
        .order_by_asc(response::Column::Id)
        .all(&ctx.db)
        .await?;
    // Ordered oldest first, so the newest wins.
    Ok(rows.into_iter().map(|r| (r.contribution_id, view(r))).collect())
}

/// When a contribution first got a response, and its current disposition: what reports and
/// exports count.
#[derive(Debug, Clone)]
pub struct ResponseSummary {
    pub first_at: DateTime<Utc>,
    pub disposition: String,
}

/// The summary of every contribution with a response among those `filter` selects (by
/// process, or by contribution ids).
pub async fn summaries(ctx: &AppContext, filter: sea_orm::Condition) -> AppResult<HashMap<Uuid, ResponseSummary>> {
    let rows: Vec<(Uuid, String, DateTime<Utc>)> = response::Entity::find()
        .filter(filter)
        .order_by_asc(response::Column::Id)
        .select_only()
        .columns([response::Column::ContributionId, response::Column::Disposition, response::Column::CreatedAt])
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let mut out: HashMap<Uuid, ResponseSummary> = HashMap::new();
    // Oldest first: the first row sets when, the last sets the current disposition.
    for (c, disposition, at) in rows {
        out.entry(c).or_insert_with(|| ResponseSummary { first_at: at, disposition: String::new() }).disposition = disposition;
    }
    Ok(out)
}

/// Every response a contribution received, oldest first.
pub async fn history(ctx: &AppContext, viewer: Option<&Viewer>, contribution_id: Uuid) -> AppResult<Vec<ResponseView>> {
    super::contributions::get(ctx, viewer, contribution_id).await?;
    let rows = response::Entity::find()
        .filter(response::Column::ContributionId.eq(contribution_id))
        .order_by_asc(response::Column::Id)
        .all(&ctx.db)
        .await?;
    Ok(rows.into_iter().map(view).collect())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyInput {
    pub process_id: Uuid,
    pub process_slug: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub process_title: LocalizedText,
    pub contribution: super::contributions::ContributionView,
}

/// "My input and what happened to it", across processes, newest first: everything the viewer
/// contributed (or that a facilitator entered for them), with the current response.
pub async fn my_input(ctx: &AppContext, viewer: &Viewer, page: &PageParams) -> AppResult<Page<MyInput>> {
    let req = page.parse()?;
    let mut query = contribution::Entity::find()
        .filter(contribution::Column::AuthorId.eq(viewer.account_id))
        .order_by_desc(contribution::Column::Id)
        .limit(req.limit + 1);
    if let Some(after) = req.after {
        query = query.filter(contribution::Column::Id.lt(after));
    }
    let rows = query.all(&ctx.db).await?;
    let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
    let mut responses = current(ctx, &ids).await?;
    let activity_ids: Vec<Uuid> = rows.iter().map(|c| c.activity_id).collect();
    let process_of: HashMap<Uuid, Uuid> = activity::Entity::find()
        .filter(activity::Column::Id.is_in(activity_ids))
        .select_only()
        .columns([activity::Column::Id, activity::Column::ProcessId])
        .into_tuple::<(Uuid, Uuid)>()
        .all(&ctx.db)
        .await?
        .into_iter()
        .collect();
    let processes: HashMap<Uuid, process::Model> = process::Entity::find()
        .filter(process::Column::Id.is_in(process_of.values().copied().collect::<Vec<_>>()))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(Page::from_rows(rows, req, |c| c.id, |c| {
        let p = process_of.get(&c.activity_id).and_then(|pid| processes.get(pid));
        let response = responses.remove(&c.id);
        MyInput {
            process_id: p.map(|p| p.id).unwrap_or_default(),
            process_slug: p.map(|p| p.slug.clone()).unwrap_or_default(),
            process_title: p.map(|p| LocalizedText::from_stored(p.title.clone())).unwrap_or_default(),
            contribution: super::contributions::view_of(c, Some(viewer), false, response),
        }
    }))
}

// ---------------------------------------------------------------------------------------------
// The organisers' list of a process's contributions, to respond to them.

/// Contributions per page of the staff list, at most.
pub const STAFF_MAX_LIMIT: u64 = 100;
/// The longest text search accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;
/// Words of a text search that count; more are refused.
const MAX_SEARCH_WORDS: usize = 8;

/// Which of a process's contributions to list (all of them when nothing is given). Withdrawn
/// contributions are never listed: they cannot be answered.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffFilter {
    /// Only contributions to this activity of the process (its id).
    pub activity: Option<Uuid>,
    /// Only contributions that came in through this channel.
    pub channel: Option<Channel>,
    /// `true`: only contributions with a response; `false`: only those still without one.
    pub responded: Option<bool>,
    /// Only contributions whose current (newest) response has this disposition.
    pub disposition: Option<Disposition>,
    /// Words to find in the contribution's text, all of them (ASCII case ignored; `%` and `_`
    /// are taken literally); at most 200 characters and 8 words.
    pub q: Option<String>,
}

/// `?limit=&cursor=&before=`: pages of the staff list, oldest contribution first.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffPageParams {
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the page before: the page after it.
    pub cursor: Option<String>,
    /// The `prev_cursor` of the page after: the page before it.
    pub before: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaffPage {
    /// The contributions, oldest first, with their current response; hidden ones with their
    /// text (organisers moderate) and the facilitators' references.
    pub items: Vec<super::contributions::ContributionView>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// Pass as `before` for the previous page; null on the first page.
    pub prev_cursor: Option<String>,
    /// How many contributions match the filter, on every page.
    pub total: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatchingIds {
    /// The matching contributions, oldest first, at most 1,000 (what one response may answer).
    pub ids: Vec<Uuid>,
    /// How many match in all.
    pub total: u64,
    /// Whether more match than `ids` holds: answer these, then ask again for the rest
    /// (with `responded=false`).
    pub capped: bool,
}

/// The words of a text search as a condition on the stored body (JSON text): each word, as
/// JSON writes it, must appear in it.
fn body_search(q: &str) -> AppResult<Condition> {
    if q.chars().count() > MAX_SEARCH_CHARS {
        return Err(AppError::bad_request("q", format!("search at most {MAX_SEARCH_CHARS} characters")));
    }
    let q = bounded("q", q, MAX_SEARCH_CHARS, false).map_err(|e| AppError::bad_request(e.field, e.problem))?;
    let words: Vec<&str> = q.split_whitespace().collect();
    if words.len() > MAX_SEARCH_WORDS {
        return Err(AppError::bad_request("q", format!("search at most {MAX_SEARCH_WORDS} words")));
    }
    let mut all = Condition::all();
    for word in words {
        // As the body stores it: JSON escapes quotes and backslashes.
        let json = serde_json::to_string(&word.to_lowercase()).unwrap_or_default();
        let json = &json[1..json.len() - 1];
        let escaped: String = json
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let pattern = format!("%{escaped}%");
        all = all.add(Expr::expr(Func::lower(Expr::col((contribution::Entity, contribution::Column::Body)))).like(LikeExpr::new(pattern).escape('\\')));
    }
    Ok(all)
}

/// The condition that selects the process's contributions the filter asks for.
fn staff_condition(process_id: Uuid, filter: &StaffFilter) -> AppResult<Condition> {
    let activities = Query::select().column(activity::Column::Id).from(activity::Entity).and_where(activity::Column::ProcessId.eq(process_id)).to_owned();
    let mut cond = Condition::all()
        .add(contribution::Column::ActivityId.in_subquery(activities))
        .add(contribution::Column::Status.ne(ContributionStatus::Withdrawn.as_str()));
    if let Some(a) = filter.activity {
        cond = cond.add(contribution::Column::ActivityId.eq(a));
    }
    if let Some(c) = filter.channel {
        cond = cond.add(contribution::Column::Channel.eq(c.as_str()));
    }
    if let Some(responded) = filter.responded {
        let answered = Query::select().column(response::Column::ContributionId).from(response::Entity).and_where(response::Column::ProcessId.eq(process_id)).to_owned();
        cond = cond.add(if responded { contribution::Column::Id.in_subquery(answered) } else { contribution::Column::Id.not_in_subquery(answered) });
    }
    if let Some(d) = filter.disposition {
        // The current response is the newest: no later response to the same contribution.
        let r2 = Alias::new("r2");
        let newer = Query::select()
            .expr(Expr::val(1))
            .from_as(response::Entity, r2.clone())
            .and_where(Expr::col((r2.clone(), response::Column::ContributionId)).equals((response::Entity, response::Column::ContributionId)))
            .and_where(Expr::col((r2, response::Column::Id)).gt(Expr::col((response::Entity, response::Column::Id))))
            .to_owned();
        let current = Query::select()
            .column((response::Entity, response::Column::ContributionId))
            .from(response::Entity)
            .and_where(Expr::col((response::Entity, response::Column::ProcessId)).eq(process_id))
            .and_where(Expr::col((response::Entity, response::Column::Disposition)).eq(d.as_str()))
            .and_where(Expr::exists(newer).not())
            .to_owned();
        cond = cond.add(contribution::Column::Id.in_subquery(current));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        cond = cond.add(body_search(q)?);
    }
    Ok(cond)
}

fn cursor_of(field: &str, raw: &str) -> AppResult<Uuid> {
    let params = PageParams { limit: None, cursor: Some(raw.to_string()) };
    params.parse().ok().and_then(|r| r.after).ok_or_else(|| AppError::bad_request(field, "is not a cursor this server issued; use the cursor of the page you came from"))
}

/// A process's contributions for its organisers, filtered, oldest first, a page at a time in
/// either direction, each with its current response.
pub async fn staff_list(ctx: &AppContext, viewer: &Viewer, process_key: &str, filter: &StaffFilter, page: &StaffPageParams) -> AppResult<StaffPage> {
    let managed = super::processes::load_managed(ctx, viewer, process_key).await?;
    let limit = page.limit.unwrap_or(super::pagination::DEFAULT_LIMIT);
    if !(1..=STAFF_MAX_LIMIT).contains(&limit) {
        return Err(AppError::bad_request("limit", format!("must be between 1 and {STAFF_MAX_LIMIT}")));
    }
    if page.cursor.is_some() && page.before.is_some() {
        return Err(AppError::bad_request("before", "give `cursor` or `before`, not both"));
    }
    let after = page.cursor.as_deref().map(|c| cursor_of("cursor", c)).transpose()?;
    let before = page.before.as_deref().map(|c| cursor_of("before", c)).transpose()?;
    let cond = staff_condition(managed.process.id, filter)?;

    let total = contribution::Entity::find().filter(cond.clone()).count(&ctx.db).await?;
    let backwards = before.is_some();
    let mut query = contribution::Entity::find().filter(cond.clone()).limit(limit + 1);
    query = match (after, before) {
        (_, Some(b)) => query.filter(contribution::Column::Id.lt(b)).order_by_desc(contribution::Column::Id),
        (Some(a), None) => query.filter(contribution::Column::Id.gt(a)).order_by_asc(contribution::Column::Id),
        (None, None) => query.order_by_asc(contribution::Column::Id),
    };
    let mut rows = query.all(&ctx.db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    if backwards {
        rows.reverse();
    }
    // The other direction: is there anything on the far side of this page?
    let (first, last) = (rows.first().map(|c| c.id), rows.last().map(|c| c.id));
    let exists = async |c: Condition| -> AppResult<bool> { Ok(contribution::Entity::find().filter(c).select_only().column(contribution::Column::Id).into_tuple::<Uuid>().one(&ctx.db).await?.is_some()) };
    // Anything at or before the cursor we came from means a page before (and after, going back).
    let (has_prev, has_next) = match (after, before) {
        (_, Some(b)) => (more, exists(cond.clone().add(contribution::Column::Id.gte(b))).await?),
        (Some(a), None) => (exists(cond.clone().add(contribution::Column::Id.lte(a))).await?, more),
        (None, None) => (false, more),
    };
    let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
    let mut responses = current(ctx, &ids).await?;
    let items = rows
        .into_iter()
        .map(|c| {
            let response = responses.remove(&c.id);
            super::contributions::view_of(c, Some(viewer), true, response)
        })
        .collect();
    Ok(StaffPage {
        items,
        next_cursor: if has_next { last.map(super::pagination::encode_cursor) } else { None },
        prev_cursor: if has_prev { first.map(super::pagination::encode_cursor) } else { None },
        total,
    })
}

/// Every contribution the filter selects (oldest first, at most [`MAX_BATCH`], what one
/// response may answer), for "respond to all that match".
pub async fn matching_ids(ctx: &AppContext, viewer: &Viewer, process_key: &str, filter: &StaffFilter) -> AppResult<MatchingIds> {
    let managed = super::processes::load_managed(ctx, viewer, process_key).await?;
    let cond = staff_condition(managed.process.id, filter)?;
    let total = contribution::Entity::find().filter(cond.clone()).count(&ctx.db).await?;
    let ids: Vec<Uuid> = contribution::Entity::find()
        .filter(cond)
        .order_by_asc(contribution::Column::Id)
        .limit(MAX_BATCH as u64)
        .select_only()
        .column(contribution::Column::Id)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    Ok(MatchingIds { capped: total > ids.len() as u64, ids, total })
}

/// One commitment to respond within some days, against the contributions still waiting.
#[derive(Debug, Clone)]
pub struct Deadline {
    pub text: LocalizedText,
    pub days: u16,
    pub status: crate::domain::commitments::CommitmentStatus,
    pub tally: crate::domain::commitments::Tally,
    /// The earliest deadline of a contribution still without a response (past or not).
    pub earliest_due: Option<DateTime<Utc>>,
}

/// How many of a process's contributions still wait for a response, against each commitment
/// to respond within some days (the report's rule: days from the close of each activity).
#[derive(Debug, Clone)]
pub struct Backlog {
    pub contributions: u64,
    pub without_response: u64,
    pub deadlines: Vec<Deadline>,
}

pub async fn backlog(ctx: &AppContext, viewer: &Viewer, process_key: &str) -> AppResult<Backlog> {
    let managed = super::processes::load_managed(ctx, viewer, process_key).await?;
    let report = super::report::get(ctx, Some(viewer), process_key).await?;
    let phases = crate::adapters::store::entities::phase::Entity::find()
        .filter(crate::adapters::store::entities::phase::Column::ProcessId.eq(managed.process.id))
        .all(&ctx.db)
        .await?;
    let last_phase_end = phases.iter().map(|p| p.ends_on).max().and_then(|d| d.and_hms_opt(23, 59, 59)).map(|d| d.and_utc());
    let closes: HashMap<Uuid, Option<DateTime<Utc>>> = activity::Entity::find()
        .filter(activity::Column::ProcessId.eq(managed.process.id))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.closes_at.or(last_phase_end)))
        .collect();
    let waiting: Vec<Uuid> = report.by_activity.iter().filter(|a| a.contributions > a.responded).map(|a| a.activity_id).collect();
    let deadlines = report
        .commitments
        .iter()
        .filter_map(|c| match c.measure {
            Some(m @ crate::domain::process::Measure::RespondWithinDays { days }) => Some(Deadline {
                text: c.text.clone(),
                days,
                status: c.status,
                tally: c.tally,
                earliest_due: waiting.iter().filter_map(|a| closes.get(a).copied().flatten()).map(|close| crate::domain::commitments::due(m, close)).min(),
            }),
            _ => None,
        })
        .collect();
    Ok(Backlog { contributions: report.contributions, without_response: report.contributions.saturating_sub(report.responded), deadlines })
}
