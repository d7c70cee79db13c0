//! The public ledger (hash-chained, signed entries) and the durable job queue.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Entries are sealed by the server: `hash` covers the previous hash and this entry's
/// content, `signature` is the instance's Ed25519 signature of the hash. Text columns hold the
/// exact strings that were hashed.
#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    Seq,
    At,
    Kind,
    ProcessId,
    Payload,
    PrevHash,
    Hash,
    Signature,
}

/// One row: the last sequence number. Appending increments it first, which serialises
/// appenders on every database (a row lock on PostgreSQL, the write lock on SQLite); the
/// previous hash is read from that entry.
#[derive(DeriveIden)]
enum LedgerHead {
    Table,
    Id,
    Seq,
}

/// Work done after the request that asked for it (emails, result computation), retried with
/// backoff and surviving restarts.
#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    Status,
    Attempts,
    RunAfter,
    LockedUntil,
    /// The server (node id in its data dir) holding the lease, so that a restarted server
    /// takes back its own interrupted jobs at once instead of waiting for the lease to end.
    LockedBy,
    LastError,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LedgerEntries::Table)
                .col(big_integer(LedgerEntries::Seq).primary_key())
                .col(string_len(LedgerEntries::At, 40))
                .col(string_len(LedgerEntries::Kind, 64))
                .col(string_len_null(LedgerEntries::ProcessId, 36))
                .col(text(LedgerEntries::Payload))
                .col(string_len(LedgerEntries::PrevHash, 64))
                .col(string_len_uniq(LedgerEntries::Hash, 64))
                .col(string_len(LedgerEntries::Signature, 100))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_ledger_process").table(LedgerEntries::Table).col(LedgerEntries::ProcessId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LedgerHead::Table)
                .col(integer(LedgerHead::Id).primary_key())
                .col(big_integer(LedgerHead::Seq))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(LedgerHead::Table)
                .columns([LedgerHead::Id, LedgerHead::Seq])
                .values_panic([1.into(), 0i64.into()])
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Jobs::Table)
                .col(pk_uuid(Jobs::Id))
                .col(string_len(Jobs::Kind, 64))
                .col(text(Jobs::Payload))
                .col(string_len(Jobs::Status, 16))
                .col(integer(Jobs::Attempts))
                .col(timestamp_with_time_zone(Jobs::RunAfter))
                .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
                .col(string_len_null(Jobs::LockedBy, 64))
                .col(text_null(Jobs::LastError))
                .col(timestamp_with_time_zone(Jobs::CreatedAt))
                .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_jobs_due").table(Jobs::Table).col(Jobs::Status).col(Jobs::RunAfter).to_owned()).await?;
        Ok(())
    }
}
