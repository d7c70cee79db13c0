//! Organisers' responses to contributions: a disposition (adopted, partly adopted, not
//! adopted, out of scope, noted), an explanation, and the outcome sections the input shaped.
//! Many similar contributions can be answered at once. Each response is recorded in the
//! ledger, and every author can follow what happened to their input.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::AppResult;
use super::pagination::{Page, PageParams};
use super::{AppContext, Viewer, now};
use crate::adapters::store::entities::{activity, contribution, process, response};
use crate::domain::errors::FieldErrors;
use crate::domain::localized::{LocalizedText, TextRule};
use crate::domain::participation::{ContributionStatus, Disposition};
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

/// Answers one or many contributions of a process (its organisers). Every id must be a
/// contribution to one of the process's activities that has not been withdrawn.
pub async fn respond(ctx: &AppContext, viewer: &Viewer, process_key: &str, input: NewResponse) -> AppResult<Responded> {
    let managed = super::processes::load_managed(ctx, viewer, process_key).await?;
    let mut errors = FieldErrors::new();
    if input.contribution_ids.is_empty() || input.contribution_ids.len() > MAX_BATCH {
        errors.push("contribution_ids", format!("give 1 to {MAX_BATCH} contributions"));
    }
    let explanation = LocalizedText::required(&mut errors, "explanation", &input.explanation, &ctx.settings.instance.languages, EXPLANATION);
    let mut refs = Vec::new();
    for (i, r) in input.outcome_refs.iter().enumerate() {
        match bounded(&format!("outcome_refs[{i}]"), r, 100, false) {
            Ok(r) if !r.is_empty() => refs.push(r),
            Ok(_) => errors.push(format!("outcome_refs[{i}]"), "is empty"),
            Err(e) => errors.push(e.field, e.problem),
        }
    }
    errors.finish()?;

    let ids = input.contribution_ids;
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

    let batch_id = Uuid::now_v7();
    let at = now();
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let rows = ids.iter().map(|id| response::ActiveModel {
        id: Set(Uuid::now_v7()),
        contribution_id: Set(*id),
        process_id: Set(managed.process.id),
        batch_id: Set(batch_id),
        disposition: Set(input.disposition.as_str().into()),
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
        "batch": batch_id, "disposition": input.disposition, "explanation": explanation,
        "outcome_refs": refs, "contributions": ids,
    });
    super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Process(managed.process.id), "responses.given", payload).await?;
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
