//! Storage on sea-orm: SQLite (embedded default) or PostgreSQL, same schema, same code.

pub mod entities;

use std::time::Duration;

use convene_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};

/// Why the database could not be opened, in one line: the URL (without its password) and the
/// reason. It carries no source error, so printing a chain does not repeat the reason.
#[derive(Debug, thiserror::Error)]
#[error("cannot connect to the database at {url}: {reason}")]
pub struct ConnectError {
    pub url: String,
    pub reason: String,
}

/// Opens a pool, after one direct connection attempt that must succeed within
/// `connect_timeout`: a database that is down or unreachable stops the start at once with
/// the real reason ("connection refused"), instead of after the pool's retries with "pool
/// timed out". The pool itself connects lazily and keeps its longer timeouts for requests.
///
/// For SQLite: WAL so readers never block the writer, `synchronous=FULL` so a committed
/// transaction survives a power cut, foreign keys on, and a busy timeout so concurrent
/// writers wait instead of failing.
/// How long a SQLite statement waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub async fn connect(url: &str, max_connections: u32, connect_timeout: Duration) -> Result<DatabaseConnection, ConnectError> {
    let fail = |reason: String| ConnectError { url: without_password(url), reason };
    match tokio::time::timeout(connect_timeout, probe(url)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(fail(e.to_string())),
        Err(_) => return Err(fail(format!("no answer within {} s (database.connect_timeout_seconds)", connect_timeout.as_secs()))),
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_lazy(true)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
        });
    Database::connect(options).await.map_err(|e| fail(e.to_string()))
}

/// One connection, opened and closed; retried only while SQLite says another process holds
/// the file.
async fn probe(url: &str) -> Result<(), sea_orm::sqlx::Error> {
    use sea_orm::sqlx::{ConnectOptions as _, Connection as _};
    if url.starts_with("sqlite:") {
        let options: sea_orm::sqlx::sqlite::SqliteConnectOptions = url.parse()?;
        loop {
            match options.connect().await {
                Ok(connection) => return connection.close().await,
                // Another server holds the file (replicas starting together, one of them
                // migrating; opening in WAL mode can answer "locked" without waiting): the
                // database is there. Try again until the caller's timeout says otherwise.
                Err(sea_orm::sqlx::Error::Database(e)) if e.code().as_deref() == Some("5") => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => return Err(e),
            }
        }
    } else {
        let options: sea_orm::sqlx::postgres::PgConnectOptions = url.parse()?;
        options.connect().await?.close().await
    }
}

/// The URL with any password replaced by `***`, for messages and logs.
pub fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        // Not a URL we can take apart: show only its scheme rather than risk a password.
        Err(_) => format!("{}:…", url.split(':').next().unwrap_or("")),
    }
}

/// The key of the PostgreSQL advisory lock that migrations hold: any fixed number works as
/// long as every replica uses the same one: the bytes of "convene" and a zero.
const MIGRATION_LOCK_KEY: i64 = 0x636f_6e76_656e_6500;

/// Brings the schema up to date. Safe to run on every start and from several replicas at
/// once: all pending migrations run in one transaction that first takes a lock, so replicas
/// starting together take turns, and the ones that come after find nothing left to do.
/// PostgreSQL: a transaction-scoped advisory lock (released at commit or when the connection
/// drops). SQLite: an exclusive transaction, which other processes wait for.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    let txn = match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await?;
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")).await?;
            txn
        }
        _ => {
            let exclusive = TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Exclusive), ..Default::default() };
            let mut waited = Duration::ZERO;
            loop {
                // The busy timeout makes this wait up to 10 s; a longer migration elsewhere
                // is waited for in further rounds.
                match db.begin_with_options(exclusive).await {
                    Ok(txn) => break txn,
                    Err(e) if is_busy(&e) && waited < SQLITE_MIGRATION_WAIT => {
                        tracing::info!("another process is migrating the database; waiting for it");
                        waited += SQLITE_BUSY_TIMEOUT;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
    };
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// How long a process waits for another one's SQLite migration before giving up.
const SQLITE_MIGRATION_WAIT: Duration = Duration::from_secs(600);

fn is_busy(err: &DbErr) -> bool {
    let text = err.to_string();
    text.contains("database is locked") || text.contains("database is busy")
}

/// Applied and pending migration names, for `convene migrate --status`.
pub async fn migration_status(db: &DatabaseConnection) -> Result<(Vec<String>, Vec<String>), DbErr> {
    let applied = Migrator::get_applied_migrations(db).await?.iter().map(|m| m.name().to_string()).collect();
    let pending = Migrator::get_pending_migrations(db).await?.iter().map(|m| m.name().to_string()).collect();
    Ok((applied, pending))
}

pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

/// Connections open and idle, for /metrics.
pub fn pool_stats(db: &DatabaseConnection) -> (u32, usize) {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let p = db.get_sqlite_connection_pool();
            (p.size(), p.num_idle())
        }
        DbBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (p.size(), p.num_idle())
        }
        _ => (0, 0),
    }
}

/// Starts a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later fails with
/// "database is locked" when another writer committed meanwhile, whatever the busy timeout,
/// whereas an immediate one waits its turn. PostgreSQL ignores the mode.
pub async fn begin_write(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() }).await
}

/// True when the error is a unique-constraint violation (a duplicate), on either database.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
