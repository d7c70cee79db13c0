//! Appending public events to the ledger, and reading it. Appends happen inside the
//! transaction of the change they record, so the change and its entry commit together or not
//! at all.

use std::collections::{HashMap, HashSet};

use ed25519_dalek::SigningKey;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement};
use sea_orm::ColumnTrait;
use serde::Serialize;
use uuid::Uuid;

use super::error::AppResult;
use super::{AppContext, AppError, now};
use crate::adapters::store::entities::{activity, ledger_entry, process};
use crate::domain::ledger::{self, Entry};
use crate::domain::localized::LocalizedText;
use crate::domain::process::{ProcessStatus, Visibility};

/// The largest page of entries one request returns.
pub const MAX_PAGE: u64 = 1_000;

/// What an entry is about. Every writer names it, so that [`append`] alone decides, by
/// [`ledger::may_record`], whether the fact is public.
#[derive(Clone, Copy, Debug)]
pub enum Subject {
    /// The instance itself: plugins installed or upgraded.
    Instance,
    /// A process (and whatever inside it the entry records).
    Process(Uuid),
}

/// Seals and stores one event, if it is a public fact; returns the entry, or None when the
/// process is not public. Call it inside the transaction that makes the change: it reads the
/// process's status and visibility in that transaction, after taking the ledger head, so a
/// concurrent change of visibility (which takes the head too, see `processes::update`) is
/// seen.
pub async fn append<C: ConnectionTrait>(db: &C, key: &SigningKey, subject: Subject, kind: &str, payload: serde_json::Value) -> AppResult<Option<Entry>> {
    // Taking the head first serialises appenders (row lock / SQLite's write lock).
    let backend = db.get_database_backend();
    let lock = match backend {
        DbBackend::Postgres => "SELECT seq FROM ledger_head WHERE id = 1 FOR UPDATE",
        _ => "SELECT seq FROM ledger_head WHERE id = 1",
    };
    let row = db
        .query_one_raw(Statement::from_string(backend, lock))
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the ledger head row is missing")))?;
    let head: i64 = row.try_get("", "seq")?;
    let process_id = match subject {
        Subject::Instance => None,
        Subject::Process(id) => {
            let p = process::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("ledger entry for a missing process {id}")))?;
            let status = ProcessStatus::from_stored(&p.status).unwrap_or(ProcessStatus::Draft);
            let visibility = Visibility::from_stored(&p.visibility).unwrap_or(Visibility::Private);
            if !ledger::may_record(status, visibility) {
                return Ok(None);
            }
            Some(id)
        }
    };
    let seq = head + 1;
    db.execute_raw(Statement::from_sql_and_values(backend, bump_head_sql(backend), [seq.into()])).await?;
    let prev_hash = match seq {
        1 => None,
        _ => Some(
            ledger_entry::Entity::find_by_id(seq - 1)
                .one(db)
                .await?
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("ledger entry {} is missing", seq - 1)))?
                .hash,
        ),
    };
    let prev = prev_hash.as_deref().map(|hash| (hash, seq - 1));
    let at = now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let process = process_id.map(|id| id.to_string());
    let entry = ledger::seal(key, prev, &at, kind, process.as_deref(), &payload.to_string());
    debug_assert_eq!(entry.seq, seq);
    ledger_entry::ActiveModel {
        seq: Set(entry.seq),
        at: Set(entry.at.clone()),
        kind: Set(entry.kind.clone()),
        process_id: Set(entry.process_id.clone()),
        payload: Set(entry.payload.clone()),
        prev_hash: Set(entry.prev_hash.clone()),
        hash: Set(entry.hash.clone()),
        signature: Set(entry.signature.clone()),
    }
    .insert(db)
    .await?;
    // Followers on other instances hear of it, and a linked process's parent gets its outcome
    // (app::federation), from the queue, once this transaction commits.
    if let Some(id) = process_id
        && (super::federation::delivery::has_followers(db, id).await? || super::federation::remote::is_linked(db, id).await?)
    {
        let job_id = Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("federate ledger entry {seq}").as_bytes());
        super::jobs::enqueue_with_id(db, job_id, super::jobs::Job::Federate { seq }).await?;
    }
    Ok(Some(entry))
}

fn bump_head_sql(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "UPDATE ledger_head SET seq = $1 WHERE id = 1",
        _ => "UPDATE ledger_head SET seq = ? WHERE id = 1",
    }
}

/// A page of the ledger, with the key that verifies it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LedgerPage {
    /// The instance's Ed25519 public key, base64.
    pub public_key: String,
    pub entries: Vec<Entry>,
    /// Pass as `after` for the next page; null at the end.
    pub next_after: Option<i64>,
}

fn entry_of(m: ledger_entry::Model) -> Entry {
    Entry { seq: m.seq, at: m.at, kind: m.kind, process_id: m.process_id, payload: m.payload, prev_hash: m.prev_hash, hash: m.hash, signature: m.signature }
}

/// Entries after `after` (0 for the start), oldest first. The ledger is public. With
/// `process` (a slug or id), only that process's entries, if the process is listed today (the
/// ledger's own rule, [`ledger::may_record`]); any other key is "not found", whether or not a
/// draft, private or unlisted process has it.
pub async fn page(ctx: &AppContext, after: i64, limit: Option<u64>, process: Option<&str>) -> AppResult<LedgerPage> {
    let limit = limit.unwrap_or(MAX_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::bad_request("limit", format!("must be between 1 and {MAX_PAGE}")));
    }
    if after < 0 {
        return Err(AppError::bad_request("after", "must be 0 or a sequence number"));
    }
    let mut query = ledger_entry::Entity::find().filter(ledger_entry::Column::Seq.gt(after));
    if let Some(key) = process {
        let p = listed_process(ctx, key).await?;
        query = query.filter(ledger_entry::Column::ProcessId.eq(p.id.to_string()));
    }
    let mut rows = query.order_by_asc(ledger_entry::Column::Seq).limit(limit + 1).all(&ctx.db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next_after = if more { rows.last().map(|r| r.seq) } else { None };
    Ok(LedgerPage { public_key: ctx.ledger_public_key(), entries: rows.into_iter().map(entry_of).collect(), next_after })
}

/// A process as the ledger names it to readers.
#[derive(Clone, Debug)]
pub struct ListedProcess {
    pub id: Uuid,
    pub slug: String,
    pub title: LocalizedText,
    pub default_language: String,
}

/// An activity of a listed process, as the ledger names it.
#[derive(Clone, Debug)]
pub struct ListedActivity {
    pub id: Uuid,
    pub process_id: Uuid,
    pub title: LocalizedText,
}

fn is_listed(p: &process::Model) -> bool {
    let status = ProcessStatus::from_stored(&p.status).unwrap_or(ProcessStatus::Draft);
    let visibility = Visibility::from_stored(&p.visibility).unwrap_or(Visibility::Private);
    ledger::may_record(status, visibility)
}

fn listed_of(p: process::Model) -> ListedProcess {
    ListedProcess { id: p.id, slug: p.slug, title: LocalizedText::from_stored(p.title), default_language: p.default_language }
}

/// The process with this slug or id, if it is listed; "not found" otherwise.
pub async fn listed_process(ctx: &AppContext, key: &str) -> AppResult<ListedProcess> {
    let query = match Uuid::parse_str(key) {
        Ok(id) => process::Entity::find_by_id(id),
        Err(_) => process::Entity::find().filter(process::Column::Slug.eq(key)),
    };
    match query.one(&ctx.db).await? {
        Some(p) if is_listed(&p) => Ok(listed_of(p)),
        _ => Err(AppError::NotFound("process")),
    }
}

/// What entries are about, for showing them: the processes they concern and the activities
/// their payloads name, by id, for processes that are listed today. A process that has left
/// public view keeps its entries in the chain, but its current name and address are not given.
#[derive(Debug, Default)]
pub struct Subjects {
    pub processes: HashMap<Uuid, ListedProcess>,
    pub activities: HashMap<Uuid, ListedActivity>,
}

pub async fn subjects(ctx: &AppContext, entries: &[Entry]) -> AppResult<Subjects> {
    let process_ids: HashSet<Uuid> = entries.iter().filter_map(|e| e.process_id.as_deref()).filter_map(|id| Uuid::parse_str(id).ok()).collect();
    let activity_ids: HashSet<Uuid> = entries.iter().filter_map(|e| activity_of(&e.payload)).collect();
    let mut out = Subjects::default();
    if process_ids.is_empty() {
        return Ok(out);
    }
    let found = process::Entity::find().filter(process::Column::Id.is_in(process_ids)).all(&ctx.db).await?;
    out.processes = found.into_iter().filter(is_listed).map(|p| (p.id, listed_of(p))).collect();
    if !activity_ids.is_empty() && !out.processes.is_empty() {
        let acts = activity::Entity::find()
            .filter(activity::Column::Id.is_in(activity_ids))
            .filter(activity::Column::ProcessId.is_in(out.processes.keys().copied().collect::<Vec<_>>()))
            .all(&ctx.db)
            .await?;
        out.activities = acts.into_iter().map(|a| (a.id, ListedActivity { id: a.id, process_id: a.process_id, title: LocalizedText::from_stored(a.title) })).collect();
    }
    Ok(out)
}

/// The activity an entry's payload names (`"activity": id`), if any.
pub fn activity_of(payload: &str) -> Option<Uuid> {
    let value: serde_json::Value = serde_json::from_str(payload).ok()?;
    value.get("activity")?.as_str().and_then(|s| Uuid::parse_str(s).ok())
}
