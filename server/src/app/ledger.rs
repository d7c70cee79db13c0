//! Appending public events to the ledger, and reading it. Appends happen inside the
//! transaction of the change they record, so the change and its entry commit together or not
//! at all.

use ed25519_dalek::SigningKey;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement};
use sea_orm::ColumnTrait;
use serde::Serialize;
use uuid::Uuid;

use super::error::AppResult;
use super::{AppContext, AppError, now};
use crate::adapters::store::entities::{ledger_entry, process};
use crate::domain::ledger::{self, Entry};
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

/// Entries after `after` (0 for the start), oldest first. The ledger is public.
pub async fn page(ctx: &AppContext, after: i64, limit: Option<u64>) -> AppResult<LedgerPage> {
    let limit = limit.unwrap_or(MAX_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::bad_request("limit", format!("must be between 1 and {MAX_PAGE}")));
    }
    if after < 0 {
        return Err(AppError::bad_request("after", "must be 0 or a sequence number"));
    }
    let mut rows = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::Seq.gt(after))
        .order_by_asc(ledger_entry::Column::Seq)
        .limit(limit + 1)
        .all(&ctx.db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next_after = if more { rows.last().map(|r| r.seq) } else { None };
    Ok(LedgerPage { public_key: ctx.ledger_public_key(), entries: rows.into_iter().map(entry_of).collect(), next_after })
}
