//! What a plugin reads of its activity during a call, from the database as it asks (plugin
//! calls run on blocking threads and wait for each query on the pool's runtime), so a call
//! costs what it reads, not the size of the activity:
//!
//! - `host.contributions`: the visible contributions (not hidden by moderators, not
//!   withdrawn), oldest first, page by page, each under its author's pseudonym in the
//!   activity. While an edit is being validated the contribution being edited is left out, so
//!   a "one per person" rule does not refuse a person's own correction.
//! - `host.kv-get`: the activity's key-value data, key by key, and its size for the quota.
//!
//! Every read is bounded by the time the call has left (see the plugin host's budgets), and
//! pages by bytes as well as rows.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::AppContext;
use crate::adapters::plugins::bindings::convene::activity::types::{self as wit, ContributionPage};
use crate::adapters::plugins::{ContributionSource, KvSource, KvUsage, SourceError, SourcePage, within_bytes};
use crate::adapters::store::entities::{activity, activity_kv, contribution};
use crate::domain::participation::{Channel, ContributionStatus};

/// What every read for a plugin needs: the pool, the runtime it lives on (plugin calls run
/// on blocking threads and wait for each query there), and the permits that keep plugin
/// reads to half the pool, so that plugins can never take every connection from requests.
#[derive(Clone)]
struct Reader {
    db: DatabaseConnection,
    runtime: tokio::runtime::Handle,
    permits: Arc<Semaphore>,
}

impl Reader {
    /// Call from async code (it remembers the current runtime).
    fn of(ctx: &AppContext) -> Reader {
        Reader { db: ctx.db.clone(), runtime: tokio::runtime::Handle::current(), permits: ctx.plugin_reads.clone() }
    }

    /// Runs one read, waiting for a permit and the database within `timeout` in all.
    fn run<T>(&self, timeout: Duration, what: &str, read: impl AsyncFnOnce(&DatabaseConnection) -> Result<T, sea_orm::DbErr>) -> Result<T, SourceError> {
        self.runtime.block_on(async {
            tokio::time::timeout(timeout, async {
                let _permit = self.permits.acquire().await.map_err(|_| SourceError::Failed("the server is shutting down".into()))?;
                read(&self.db).await.map_err(|e| SourceError::Failed(format!("{what}: {e}")))
            })
            .await
            .unwrap_or(Err(SourceError::TimedOut))
        })
    }
}

/// The permits for plugin reads: half the database pool, at least one.
pub fn read_permits(pool_size: u32) -> Arc<Semaphore> {
    Arc::new(Semaphore::new((pool_size as usize / 2).max(1)))
}

pub struct StoredContributions {
    reader: Reader,
    activity_id: Uuid,
    secret: Vec<u8>,
    excluded: Option<Uuid>,
}

/// What a contribution costs in a page besides its body: its id, pseudonym, kind, language
/// and time (the page's byte bound is checked before the rows are read).
const ITEM_OVERHEAD: usize = 160;

impl StoredContributions {
    /// Call from async code (it remembers the current runtime).
    pub fn of(ctx: &AppContext, activity_id: Uuid) -> StoredContributions {
        StoredContributions { reader: Reader::of(ctx), activity_id, secret: ctx.settings.census_secret.expose().to_vec(), excluded: None }
    }

    /// Leaves one contribution out (the one being edited).
    pub fn without(mut self, id: Uuid) -> StoredContributions {
        self.excluded = Some(id);
        self
    }

    /// The visible contributions of the activity after `after`, of `kind`, oldest first.
    fn visible(&self, kind: Option<&str>, after: Option<Uuid>) -> Select<contribution::Entity> {
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
        query.order_by_asc(contribution::Column::Id)
    }

    /// A page bounded by rows and bytes, in two reads: the sizes of the next rows (without
    /// their bodies), then the bodies of the rows that fit.
    async fn fetch(&self, db: &DatabaseConnection, kind: Option<&str>, after: Option<Uuid>, limit: u64, max_bytes: usize) -> Result<(Vec<contribution::Model>, bool), sea_orm::DbErr> {
        let size = match db.get_database_backend() {
            // The stored size, read from the value's header without reading the value.
            DbBackend::Postgres => "CAST(octet_length(body) AS BIGINT)",
            _ => "length(CAST(body AS BLOB))",
        };
        // One more than asked tells whether another page follows.
        let sizes: Vec<(Uuid, i64)> = self
            .visible(kind, after)
            .select_only()
            .column(contribution::Column::Id)
            .column_as(Expr::cust(size), "size")
            .limit(limit + 1)
            .into_tuple()
            .all(db)
            .await?;
        let fit = within_bytes(
            &sizes.iter().map(|(_, s)| *s as usize + ITEM_OVERHEAD).collect::<Vec<_>>(),
            limit as usize,
            max_bytes,
        );
        let Some((last, _)) = fit.checked_sub(1).map(|i| sizes[i]) else { return Ok((Vec::new(), false)) };
        let rows = self.visible(kind, after).filter(contribution::Column::Id.lte(last)).all(db).await?;
        Ok((rows, sizes.len() > fit))
    }
}

impl ContributionSource for StoredContributions {
    fn page(&self, kind: Option<&str>, cursor: Option<&str>, limit: u32, max_bytes: usize, timeout: Duration) -> Result<SourcePage, SourceError> {
        let after = match cursor {
            Some(c) => Some(Uuid::parse_str(c).map_err(|_| SourceError::Invalid(format!("`{}` is not a cursor this host gave out", shorten(c))))?),
            None => None,
        };
        let limit = limit.clamp(1, 500) as u64;
        let (rows, more) = self.reader.run(timeout, "reading contributions", async |db| self.fetch(db, kind, after, limit, max_bytes).await)?;
        let next_cursor = if more { rows.last().map(|c| c.id.to_string()) } else { None };
        let read = rows.len();
        let items = rows.into_iter().map(|c| to_wit(&self.secret, c)).collect();
        Ok(SourcePage { page: ContributionPage { items, next_cursor }, rows: read })
    }
}

/// At most the first 40 characters of what a plugin sent, for an error message.
fn shorten(text: &str) -> String {
    let cut: String = text.chars().take(40).collect();
    if cut.len() < text.len() { format!("{cut}…") } else { cut }
}

/// The activity's key-value data in the database.
pub struct StoredKv {
    reader: Reader,
    activity_id: Uuid,
}

impl StoredKv {
    /// Call from async code (it remembers the current runtime).
    pub fn of(ctx: &AppContext, activity_id: Uuid) -> StoredKv {
        StoredKv { reader: Reader::of(ctx), activity_id }
    }
}

impl KvSource for StoredKv {
    fn get(&self, key: &str, timeout: Duration) -> Result<Option<Vec<u8>>, SourceError> {
        let id = (self.activity_id, key.to_string());
        let row = self.reader.run(timeout, "reading plugin data", async |db| activity_kv::Entity::find_by_id(id).one(db).await)?;
        Ok(row.map(|r| r.value))
    }

    /// The running totals kept with the activity (see `activity_writes::save_kv`).
    fn usage(&self, timeout: Duration) -> Result<KvUsage, SourceError> {
        let totals: Option<(i64, i64)> = self.reader.run(timeout, "measuring plugin data", async |db| {
            activity::Entity::find_by_id(self.activity_id)
                .select_only()
                .columns([activity::Column::KvEntries, activity::Column::KvBytes])
                .into_tuple()
                .one(db)
                .await
        })?;
        let (entries, bytes) = totals.unwrap_or_default();
        Ok(KvUsage { entries: entries.max(0) as usize, bytes: bytes.max(0) as usize })
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
