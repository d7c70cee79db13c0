//! What a plugin reads of its activity during a call, from the database as it asks (plugin
//! calls run on blocking threads and wait for each query on the pool's runtime), so a call
//! costs what it reads, not the size of the activity:
//!
//! - `host.contributions`: the visible contributions (not hidden by moderators, not
//!   withdrawn), oldest first, page by page, each under its author's pseudonym in the
//!   activity. While an edit is being validated the contribution being edited is left out, so
//!   a "one per person" rule does not refuse a person's own correction.
//! - `host.kv-get`: the activity's key-value data, key by key, and its size for the quota.

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement};
use uuid::Uuid;

use super::AppContext;
use crate::adapters::plugins::{ContributionSource, KvSource};
use crate::adapters::plugins::bindings::convene::activity::types::{self as wit, ContributionPage};
use crate::adapters::store::entities::{activity_kv, contribution};
use crate::domain::participation::{Channel, ContributionStatus};

pub struct StoredContributions {
    db: DatabaseConnection,
    /// The runtime the database pool lives on; plugin calls run on blocking threads and wait
    /// for each page on it.
    runtime: tokio::runtime::Handle,
    activity_id: Uuid,
    secret: Vec<u8>,
    excluded: Option<Uuid>,
}

impl StoredContributions {
    /// Call from async code (it remembers the current runtime).
    pub fn of(ctx: &AppContext, activity_id: Uuid) -> StoredContributions {
        StoredContributions {
            db: ctx.db.clone(),
            runtime: tokio::runtime::Handle::current(),
            activity_id,
            secret: ctx.settings.census_secret.expose().to_vec(),
            excluded: None,
        }
    }

    /// Leaves one contribution out (the one being edited).
    pub fn without(mut self, id: Uuid) -> StoredContributions {
        self.excluded = Some(id);
        self
    }

    async fn fetch(&self, kind: Option<&str>, after: Option<Uuid>, limit: u64) -> Result<Vec<contribution::Model>, sea_orm::DbErr> {
        let mut query = contribution::Entity::find()
            .filter(contribution::Column::ActivityId.eq(self.activity_id))
            .filter(contribution::Column::Status.eq(ContributionStatus::Visible.as_str()));
        if let Some(kind) = kind {
            query = query.filter(contribution::Column::Kind.eq(kind));
        }
        if let Some(after) = after {
            query = query.filter(contribution::Column::Id.gt(after));
        }
        if let Some(excluded) = self.excluded {
            query = query.filter(contribution::Column::Id.ne(excluded));
        }
        // Ids are UUIDv7: their order is the order of arrival.
        query.order_by_asc(contribution::Column::Id).limit(limit).all(&self.db).await
    }
}

impl ContributionSource for StoredContributions {
    fn page(&self, kind: Option<&str>, cursor: Option<&str>, limit: u32) -> Result<ContributionPage, String> {
        let after = match cursor {
            Some(c) => Some(Uuid::parse_str(c).map_err(|_| format!("`{c}` is not a cursor this host gave out"))?),
            None => None,
        };
        let limit = limit.clamp(1, 500) as u64;
        // One more than asked tells whether another page follows.
        let mut rows = self.runtime.block_on(self.fetch(kind, after, limit + 1)).map_err(|e| format!("reading contributions: {e}"))?;
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if more { rows.last().map(|c| c.id.to_string()) } else { None };
        let items = rows.into_iter().map(|c| to_wit(&self.secret, c)).collect();
        Ok(ContributionPage { items, next_cursor })
    }
}

/// The activity's key-value data in the database.
pub struct StoredKv {
    db: DatabaseConnection,
    runtime: tokio::runtime::Handle,
    activity_id: Uuid,
}

impl StoredKv {
    /// Call from async code (it remembers the current runtime).
    pub fn of(ctx: &AppContext, activity_id: Uuid) -> StoredKv {
        StoredKv { db: ctx.db.clone(), runtime: tokio::runtime::Handle::current(), activity_id }
    }
}

impl KvSource for StoredKv {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        let row = self.runtime.block_on(activity_kv::Entity::find_by_id((self.activity_id, key.to_string())).one(&self.db));
        Ok(row.map_err(|e| format!("reading plugin data: {e}"))?.map(|r| r.value))
    }

    fn stored_bytes(&self) -> Result<usize, String> {
        let backend = self.db.get_database_backend();
        // Bytes, not characters, on both databases.
        let sql = match backend {
            DbBackend::Postgres => "SELECT CAST(COALESCE(SUM(octet_length(key) + octet_length(value)), 0) AS BIGINT) AS used FROM activity_kv WHERE activity_id = $1",
            _ => "SELECT COALESCE(SUM(length(CAST(key AS BLOB)) + length(value)), 0) AS used FROM activity_kv WHERE activity_id = ?",
        };
        let statement = Statement::from_sql_and_values(backend, sql, [self.activity_id.into()]);
        let row = self.runtime.block_on(self.db.query_one_raw(statement)).map_err(|e| format!("measuring plugin data: {e}"))?;
        let used: i64 = match row {
            Some(row) => row.try_get("", "used").map_err(|e| format!("measuring plugin data: {e}"))?,
            None => 0,
        };
        Ok(used.max(0) as usize)
    }
}

fn to_wit(secret: &[u8], c: contribution::Model) -> wit::Contribution {
    wit::Contribution {
        submitter: pseudonym(secret, c.activity_id, c.author_id, c.reference.as_deref(), c.id),
        id: c.id.to_string(),
        channel: wit_channel(Channel::from_stored(&c.channel).unwrap_or(Channel::Online)),
        kind: c.kind,
        body: c.body,
        language: c.language,
        created_at: c.created_at.to_rfc3339(),
    }
}

/// A person's pseudonym within one activity, as plugins see it: a keyed hash, stable for
/// the same person in the same activity and unlinkable across activities. Anonymous
/// facilitated input is keyed by its reference (or, without one, by the contribution).
pub fn pseudonym(secret: &[u8], activity_id: Uuid, author: Option<Uuid>, reference: Option<&str>, contribution: Uuid) -> String {
    use hmac::{Hmac, Mac};
    let who = match (author, reference) {
        (Some(a), _) => format!("account:{a}"),
        (None, Some(r)) => format!("reference:{r}"),
        (None, None) => format!("contribution:{contribution}"),
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("submitter\0{activity_id}\0{who}").as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

pub fn wit_channel(channel: Channel) -> wit::Channel {
    match channel {
        Channel::Online => wit::Channel::Online,
        Channel::Paper => wit::Channel::Paper,
        Channel::Phone => wit::Channel::Phone,
        Channel::InPerson => wit::Channel::InPerson,
        Channel::Federated => wit::Channel::Federated,
    }
}
