//! Reports and moderation of contributions, organisers' responses to them, and the
//! versioned outcome documents responses point into.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_accounts::Accounts;
use crate::{cascade_to, nullify_to};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Contributions {
    Table,
}

#[derive(DeriveIden)]
enum Processes {
    Table,
}

/// Anyone may report a contribution once.
#[derive(DeriveIden)]
enum ContributionReports {
    Table,
    ContributionId,
    ReporterId,
    Reason,
    CreatedAt,
}

/// The public moderation log of a process: what was hidden or restored, and why.
#[derive(DeriveIden)]
enum ModerationActions {
    Table,
    Id,
    ProcessId,
    ContributionId,
    Action,
    Reason,
    ModeratorId,
    CreatedAt,
}

/// What organisers did with each contribution. A contribution may be answered again; the
/// newest row is the current response and the others are its history.
#[derive(DeriveIden)]
enum Responses {
    Table,
    Id,
    ContributionId,
    ProcessId,
    /// Contributions answered together share a batch.
    BatchId,
    Disposition,
    Explanation,
    /// Outcome sections it shaped, e.g. ["2.1", "3"].
    OutcomeRefs,
    RespondedBy,
    CreatedAt,
}

/// Outcome documents of a process: every revision is a row, the highest version is current.
#[derive(DeriveIden)]
enum Outcomes {
    Table,
    Id,
    ProcessId,
    Version,
    Title,
    /// [{id, heading, body, cites: [contribution ids]}]
    Sections,
    /// What changed in this revision, in the organisers' words.
    Note,
    PublishedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ContributionReports::Table)
                .col(uuid(ContributionReports::ContributionId))
                .col(uuid(ContributionReports::ReporterId))
                .col(text(ContributionReports::Reason))
                .col(timestamp_with_time_zone(ContributionReports::CreatedAt))
                .primary_key(Index::create().col(ContributionReports::ContributionId).col(ContributionReports::ReporterId))
                .foreign_key(&mut cascade_to(ContributionReports::Table, ContributionReports::ContributionId, Contributions::Table))
                .foreign_key(&mut cascade_to(ContributionReports::Table, ContributionReports::ReporterId, Accounts::Table))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ModerationActions::Table)
                .col(pk_uuid(ModerationActions::Id))
                .col(uuid(ModerationActions::ProcessId))
                .col(uuid(ModerationActions::ContributionId))
                .col(string_len(ModerationActions::Action, 16))
                .col(text(ModerationActions::Reason))
                .col(uuid_null(ModerationActions::ModeratorId))
                .col(timestamp_with_time_zone(ModerationActions::CreatedAt))
                .foreign_key(&mut cascade_to(ModerationActions::Table, ModerationActions::ProcessId, Processes::Table))
                .foreign_key(&mut cascade_to(ModerationActions::Table, ModerationActions::ContributionId, Contributions::Table))
                .foreign_key(&mut nullify_to(ModerationActions::Table, ModerationActions::ModeratorId, Accounts::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_moderation_process").table(ModerationActions::Table).col(ModerationActions::ProcessId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Responses::Table)
                .col(pk_uuid(Responses::Id))
                .col(uuid(Responses::ContributionId))
                .col(uuid(Responses::ProcessId))
                .col(uuid(Responses::BatchId))
                .col(string_len(Responses::Disposition, 32))
                .col(json(Responses::Explanation))
                .col(json(Responses::OutcomeRefs))
                .col(uuid_null(Responses::RespondedBy))
                .col(timestamp_with_time_zone(Responses::CreatedAt))
                .foreign_key(&mut cascade_to(Responses::Table, Responses::ContributionId, Contributions::Table))
                .foreign_key(&mut cascade_to(Responses::Table, Responses::ProcessId, Processes::Table))
                .foreign_key(&mut nullify_to(Responses::Table, Responses::RespondedBy, Accounts::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_responses_contribution").table(Responses::Table).col(Responses::ContributionId).col(Responses::Id).to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_responses_process").table(Responses::Table).col(Responses::ProcessId).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(Outcomes::Table)
                .col(pk_uuid(Outcomes::Id))
                .col(uuid(Outcomes::ProcessId))
                .col(integer(Outcomes::Version))
                .col(json(Outcomes::Title))
                .col(json(Outcomes::Sections))
                .col(json(Outcomes::Note))
                .col(uuid_null(Outcomes::PublishedBy))
                .col(timestamp_with_time_zone(Outcomes::CreatedAt))
                .foreign_key(&mut cascade_to(Outcomes::Table, Outcomes::ProcessId, Processes::Table))
                .foreign_key(&mut nullify_to(Outcomes::Table, Outcomes::PublishedBy, Accounts::Table))
                .to_owned(),
        )
        .await?;
        // Two organisers saving at once cannot both make version n+1.
        m.create_index(
            Index::create().name("idx_outcomes_version").table(Outcomes::Table).col(Outcomes::ProcessId).col(Outcomes::Version).unique().to_owned(),
        )
        .await?;
        Ok(())
    }
}
