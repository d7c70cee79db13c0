//! Rate-limit counters, shared by every replica on the database: one row per limit and key,
//! changed by single atomic statements, deleted once it no longer limits anything.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Times are milliseconds since the Unix epoch, plain integers compared the same way on
/// SQLite and PostgreSQL.
#[derive(DeriveIden)]
enum RateLimits {
    Table,
    /// Which limit (`signup_per_email`, `password_failures_per_account`...).
    Bucket,
    /// SHA-256 of what is counted (a mailbox, a client address, an account), so the table
    /// holds no addresses.
    Key,
    /// For a count per window: the theoretical arrival time of the next event (GCRA). For a
    /// failure streak: the end of the current wait.
    UntilMs,
    /// For a failure streak: failures in a row; 0 otherwise.
    Strikes,
    /// After this the row limits nothing and may be swept.
    ExpiresMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RateLimits::Table)
                .col(string_len(RateLimits::Bucket, 48))
                .col(string_len(RateLimits::Key, 64))
                .col(big_integer(RateLimits::UntilMs))
                .col(integer(RateLimits::Strikes).default(0))
                .col(big_integer(RateLimits::ExpiresMs))
                .primary_key(Index::create().col(RateLimits::Bucket).col(RateLimits::Key))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("rate_limits_expires").table(RateLimits::Table).col(RateLimits::ExpiresMs).to_owned()).await
    }
}
