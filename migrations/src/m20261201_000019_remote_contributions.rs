//! Contributions across instances. A contribution sent from another instance (a person there,
//! or a linked process's report) keeps where it came from and the id of the object it arrived
//! as, so that a second delivery of the same object stores nothing. Locally, a process can be
//! linked as a child of an activity on another instance, and what this instance sent to other
//! instances is kept with the answers that came back. People elsewhere can report (`Flag`)
//! contributions here.

use sea_orm_migration::{prelude::*, schema::*};

use crate::cascade_to;
use crate::m20261123_000002_processes::Processes;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Contributions {
    Table,
    /// `host[:port]` of the instance it came from; null for local input.
    OriginInstance,
    /// The ActivityPub id of the remote author (a person, or a linked process's group).
    RemoteAuthor,
    RemoteAuthorName,
    /// The id of the remote object it arrived as.
    RemoteObject,
}

/// A local process linked as a child of an activity on another instance: its published
/// outcome is sent there as a contribution.
#[derive(DeriveIden)]
enum ProcessLinks {
    Table,
    ProcessId,
    /// The remote activity's ActivityPub id.
    ParentActivity,
    /// The remote process's Group actor (where it is sent).
    ParentGroup,
    ParentTitle,
    CreatedAt,
}

/// What this instance sent to an activity on another instance, and what came back.
#[derive(DeriveIden)]
enum SentContributions {
    Table,
    Id,
    /// `account` (a person here took part there) or `process` (a linked process's report).
    SenderKind,
    SenderId,
    RemoteActivity,
    RemoteGroup,
    Kind,
    Body,
    /// `sent`, `accepted` or `rejected`.
    Status,
    Problem,
    /// The contribution's id on the other instance, once it accepted it.
    RemoteContribution,
    /// The response the other instance gave (JSON), when it came.
    Response,
    SentAt,
    RespondedAt,
}

/// Reports (ActivityPub `Flag`) from people on other instances, for the moderation queue.
#[derive(DeriveIden)]
enum RemoteReports {
    Table,
    ContributionId,
    /// The reporter's ActivityPub id.
    Reporter,
    Reason,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [
            text_null(Contributions::OriginInstance),
            text_null(Contributions::RemoteAuthor),
            text_null(Contributions::RemoteAuthorName),
            text_null(Contributions::RemoteObject),
        ] {
            m.alter_table(Table::alter().table(Contributions::Table).add_column(column).to_owned()).await?;
        }
        m.create_index(
            Index::create().name("idx_contributions_remote_object").table(Contributions::Table).col(Contributions::RemoteObject).unique().to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ProcessLinks::Table)
                .col(uuid(ProcessLinks::ProcessId).primary_key())
                .col(text(ProcessLinks::ParentActivity))
                .col(text(ProcessLinks::ParentGroup))
                .col(text(ProcessLinks::ParentTitle))
                .col(timestamp_with_time_zone(ProcessLinks::CreatedAt))
                .foreign_key(&mut cascade_to(ProcessLinks::Table, ProcessLinks::ProcessId, Processes::Table))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SentContributions::Table)
                .col(uuid(SentContributions::Id).primary_key())
                .col(text(SentContributions::SenderKind))
                .col(uuid(SentContributions::SenderId))
                .col(text(SentContributions::RemoteActivity))
                .col(text(SentContributions::RemoteGroup))
                .col(text(SentContributions::Kind))
                .col(text(SentContributions::Body))
                .col(text(SentContributions::Status))
                .col(text_null(SentContributions::Problem))
                .col(text_null(SentContributions::RemoteContribution))
                .col(text_null(SentContributions::Response))
                .col(timestamp_with_time_zone(SentContributions::SentAt))
                .col(timestamp_with_time_zone_null(SentContributions::RespondedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RemoteReports::Table)
                .col(uuid(RemoteReports::ContributionId))
                .col(text(RemoteReports::Reporter))
                .col(text(RemoteReports::Reason))
                .col(timestamp_with_time_zone(RemoteReports::CreatedAt))
                .primary_key(Index::create().col(RemoteReports::ContributionId).col(RemoteReports::Reporter))
                .foreign_key(&mut cascade_to(RemoteReports::Table, RemoteReports::ContributionId, Contributions::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sent_contributions_sender")
                .table(SentContributions::Table)
                .col(SentContributions::SenderKind)
                .col(SentContributions::SenderId)
                .to_owned(),
        )
        .await
    }
}
