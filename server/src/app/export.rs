//! Open data: a process's contributions (without personal data), responses, outcomes,
//! report figures and ledger entries, as CSV and JSON. Rows are read and written a page at a
//! time, so an export of a million contributions runs at flat memory.

use std::collections::HashMap;

use bytes::Bytes;
use futures_util::Stream;
use futures_util::stream::{self, StreamExt};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::error::AppResult;
use super::responses::{ResponseSummary, summaries};
use super::{AppContext, AppError, Viewer};
use crate::adapters::store::entities::{activity, contribution, ledger_entry, response};
use crate::domain::participation::ContributionStatus;

/// Rows read per database round trip.
const PAGE: u64 = 1_000;

pub type ByteStream = std::pin::Pin<Box<dyn Stream<Item = Result<Bytes, AppError>>>>;

/// The columns of `contributions.csv`. No author, no facilitator, no reference: nothing that
/// identifies a person. Hidden contributions keep their row with an empty body.
pub const CONTRIBUTION_COLUMNS: &[&str] =
    &["id", "activity_id", "kind", "channel", "language", "status", "created_at", "edited_at", "body", "disposition", "first_response_at"];

async fn activity_ids(ctx: &AppContext, process_id: Uuid) -> AppResult<Vec<Uuid>> {
    Ok(activity::Entity::find()
        .filter(activity::Column::ProcessId.eq(process_id))
        .select_only()
        .column(activity::Column::Id)
        .into_tuple()
        .all(&ctx.db)
        .await?)
}

/// One page of a process's contributions after `after`, in id order, not withdrawn.
async fn contribution_page(ctx: &AppContext, activities: &[Uuid], after: Option<Uuid>) -> AppResult<Vec<contribution::Model>> {
    let mut q = contribution::Entity::find()
        .filter(contribution::Column::ActivityId.is_in(activities.to_vec()))
        .filter(contribution::Column::Status.ne(ContributionStatus::Withdrawn.as_str()))
        .order_by_asc(contribution::Column::Id)
        .limit(PAGE);
    if let Some(a) = after {
        q = q.filter(contribution::Column::Id.gt(a));
    }
    Ok(q.all(&ctx.db).await?)
}

/// Pages of rows as a stream: `fetch(after)` returns the next page after a cursor, `cursor`
/// gives a row's cursor, `render` turns a page into bytes. Stops after a short page.
fn paged<T, K, Fetch, FetchFut, Render, RenderFut>(fetch: Fetch, cursor: fn(&T) -> K, render: Render) -> impl Stream<Item = Result<Bytes, AppError>>
where
    T: 'static,
    K: Clone + 'static,
    Fetch: Fn(Option<K>) -> FetchFut + Clone + 'static,
    FetchFut: std::future::Future<Output = AppResult<Vec<T>>>,
    Render: Fn(Vec<T>) -> RenderFut + Clone + 'static,
    RenderFut: std::future::Future<Output = AppResult<Bytes>>,
{
    stream::unfold(Some(None::<K>), move |state| {
        let (fetch, render) = (fetch.clone(), render.clone());
        async move {
            let after = state?;
            let page = match fetch(after).await {
                Ok(p) => p,
                Err(e) => return Some((Err(e), None)),
            };
            if page.is_empty() {
                return None;
            }
            let next = (page.len() as u64 == PAGE).then(|| page.last().map(cursor));
            Some((render(page).await, next))
        }
    })
}

fn csv_bytes(rows: impl IntoIterator<Item = Vec<String>>) -> AppResult<Bytes> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(&row).map_err(|e| AppError::Internal(e.into()))?;
    }
    Ok(Bytes::from(w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?))
}

fn contribution_row(c: contribution::Model, responses: &HashMap<Uuid, ResponseSummary>) -> Vec<String> {
    let hidden = c.status == ContributionStatus::Hidden.as_str();
    let (disposition, first) = responses.get(&c.id).map(|r| (r.disposition.clone(), r.first_at.to_rfc3339())).unwrap_or_default();
    vec![
        c.id.to_string(),
        c.activity_id.to_string(),
        c.kind,
        c.channel,
        c.language,
        c.status,
        c.created_at.to_rfc3339(),
        c.edited_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        if hidden { String::new() } else { c.body },
        disposition,
        first,
    ]
}

/// `contributions.csv` of a process: a header, then every contribution page by page.
pub async fn contributions_csv(ctx: &AppContext, viewer: Option<&Viewer>, process_key: &str) -> AppResult<ByteStream> {
    let v = super::processes::load_visible(ctx, viewer, process_key).await?;
    let activities = activity_ids(ctx, v.process.id).await?;
    let header = csv_bytes([CONTRIBUTION_COLUMNS.iter().map(|c| c.to_string()).collect()])?;
    let (c1, c2) = (ctx.clone(), ctx.clone());
    let pages = paged(
        move |after| {
            let (ctx, activities) = (c1.clone(), activities.clone());
            async move { contribution_page(&ctx, &activities, after).await }
        },
        |c: &contribution::Model| c.id,
        move |page| {
            let ctx = c2.clone();
            async move {
                let ids: Vec<Uuid> = page.iter().map(|c| c.id).collect();
                let responses = summaries(&ctx, Condition::all().add(response::Column::ContributionId.is_in(ids))).await?;
                csv_bytes(page.into_iter().map(|c| contribution_row(c, &responses)))
            }
        },
    );
    Ok(Box::pin(stream::once(async move { Ok(header) }).chain(pages)))
}

fn json_line(value: &serde_json::Value) -> Bytes {
    let mut text = value.to_string();
    text.push('\n');
    Bytes::from(text)
}

/// The whole process as JSON Lines: one object per line, each with a `type` (`process`,
/// `activity`, `contribution`, `response`, `outcome`, `report`, `ledger_entry`).
pub async fn process_jsonl(ctx: &AppContext, viewer: Option<&Viewer>, process_key: &str) -> AppResult<ByteStream> {
    let process = super::processes::get(ctx, viewer, process_key).await?;
    let process_id = process.id;
    let activities = super::activities::list(ctx, viewer, process_key).await?;
    let activity_ids: Vec<Uuid> = activities.iter().map(|a| a.id).collect();
    let outcomes = match super::outcomes::get(ctx, viewer, process_key, None).await {
        Ok(o) => Some(o),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    let report = super::report::build(ctx, viewer, process_key).await?;

    let mut head = vec![json_line(&serde_json::json!({ "type": "process", "process": process }))];
    head.extend(activities.iter().map(|a| json_line(&serde_json::json!({ "type": "activity", "activity": a }))));
    let tail = vec![
        json_line(&serde_json::json!({ "type": "outcome", "outcome": outcomes })),
        json_line(&serde_json::json!({ "type": "report", "report": report })),
    ];

    let ctx1 = ctx.clone();
    let contributions = paged(
        move |after| {
            let (ctx, activities) = (ctx1.clone(), activity_ids.clone());
            async move { contribution_page(&ctx, &activities, after).await }
        },
        |c: &contribution::Model| c.id,
        |page| async move {
            let mut out = Vec::new();
            for c in page {
                let hidden = c.status == ContributionStatus::Hidden.as_str();
                let body: serde_json::Value = if hidden { serde_json::Value::Null } else { serde_json::from_str(&c.body).unwrap_or_default() };
                out.extend_from_slice(&json_line(&serde_json::json!({
                    "type": "contribution", "id": c.id, "activity_id": c.activity_id, "kind": c.kind, "channel": c.channel,
                    "language": c.language, "status": c.status, "hidden_reason": c.hidden_reason, "created_at": c.created_at,
                    "edited_at": c.edited_at, "body": body,
                })));
            }
            Ok(Bytes::from(out))
        },
    );
    let ctx2 = ctx.clone();
    let responses = paged(
        move |after: Option<Uuid>| {
            let ctx = ctx2.clone();
            async move {
                let mut q = response::Entity::find().filter(response::Column::ProcessId.eq(process_id)).order_by_asc(response::Column::Id).limit(PAGE);
                if let Some(a) = after {
                    q = q.filter(response::Column::Id.gt(a));
                }
                Ok(q.all(&ctx.db).await?)
            }
        },
        |r: &response::Model| r.id,
        |page| async move {
            let mut out = Vec::new();
            for r in page {
                out.extend_from_slice(&json_line(&serde_json::json!({
                    "type": "response", "contribution_id": r.contribution_id, "batch_id": r.batch_id, "disposition": r.disposition,
                    "explanation": r.explanation, "outcome_refs": r.outcome_refs, "created_at": r.created_at,
                })));
            }
            Ok(Bytes::from(out))
        },
    );
    let ctx3 = ctx.clone();
    let process_text = process_id.to_string();
    let ledger = paged(
        move |after: Option<i64>| {
            let (ctx, process_text) = (ctx3.clone(), process_text.clone());
            async move {
                Ok(ledger_entry::Entity::find()
                    .filter(ledger_entry::Column::ProcessId.eq(process_text))
                    .filter(ledger_entry::Column::Seq.gt(after.unwrap_or(0)))
                    .order_by_asc(ledger_entry::Column::Seq)
                    .limit(PAGE)
                    .all(&ctx.db)
                    .await?)
            }
        },
        |e: &ledger_entry::Model| e.seq,
        |page| async move {
            let mut out = Vec::new();
            for e in page {
                out.extend_from_slice(&json_line(&serde_json::json!({
                    "type": "ledger_entry", "seq": e.seq, "at": e.at, "kind": e.kind, "payload": e.payload, "hash": e.hash,
                })));
            }
            Ok(Bytes::from(out))
        },
    );

    Ok(Box::pin(
        stream::iter(head.into_iter().map(Ok))
            .chain(contributions)
            .chain(responses)
            .chain(stream::iter(tail.into_iter().map(Ok)))
            .chain(ledger),
    ))
}
