//! Processes with their topics, phases, milestones, commitments and members.

use sea_orm_migration::{prelude::*, schema::*};

use crate::cascade_to;
use crate::m20261123_000001_accounts::Accounts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Topics {
    Table,
    Id,
    Slug,
    Labels,
    CreatedAt,
}

#[derive(DeriveIden)]
pub(crate) enum Processes {
    Table,
    Id,
    Slug,
    Title,
    Summary,
    Description,
    Scope,
    Iap2Level,
    Visibility,
    Status,
    DefaultLanguage,
    ParentId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum ProcessTopics {
    Table,
    ProcessId,
    TopicId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Phases {
    Table,
    Id,
    ProcessId,
    Position,
    Name,
    Description,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden, Clone, Copy)]
enum Milestones {
    Table,
    Id,
    ProcessId,
    Position,
    Title,
    Description,
    DueOn,
}

#[derive(DeriveIden, Clone, Copy)]
enum Commitments {
    Table,
    Id,
    ProcessId,
    Position,
    Text,
    MeasureKind,
    MeasureDays,
}

#[derive(DeriveIden)]
enum ProcessMembers {
    Table,
    ProcessId,
    AccountId,
    Role,
    AddedAt,
}

/// Child rows of a process: (table, id, process_id, position) plus their own columns.
fn child_table<T: IntoIden + Copy + 'static>(
    table: T,
    id: impl IntoIden,
    process_id: impl IntoIden + Copy + 'static,
    position: impl IntoIden,
) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(pk_uuid(id))
        .col(uuid(process_id))
        .col(integer(position))
        .foreign_key(&mut cascade_to(table, process_id, Processes::Table))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Topics::Table)
                .col(pk_uuid(Topics::Id))
                .col(string_len_uniq(Topics::Slug, 64))
                .col(json(Topics::Labels))
                .col(timestamp_with_time_zone(Topics::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Processes::Table)
                .col(pk_uuid(Processes::Id))
                .col(string_len_uniq(Processes::Slug, 80))
                .col(json(Processes::Title))
                .col(json(Processes::Summary))
                .col(json(Processes::Description))
                .col(string_len(Processes::Scope, 16))
                .col(string_len(Processes::Iap2Level, 16))
                .col(string_len(Processes::Visibility, 16))
                .col(string_len(Processes::Status, 16))
                .col(string_len(Processes::DefaultLanguage, 16))
                .col(uuid_null(Processes::ParentId))
                .col(uuid(Processes::CreatedBy))
                .col(timestamp_with_time_zone(Processes::CreatedAt))
                .col(timestamp_with_time_zone(Processes::UpdatedAt))
                .col(timestamp_with_time_zone_null(Processes::PublishedAt))
                .col(timestamp_with_time_zone_null(Processes::ArchivedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from_tbl(Processes::Table)
                        .from_col(Processes::ParentId)
                        .to_tbl(Processes::Table)
                        .to_col(Processes::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from_tbl(Processes::Table)
                        .from_col(Processes::CreatedBy)
                        .to_tbl(Accounts::Table)
                        .to_col(Accounts::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_processes_parent")
                .table(Processes::Table)
                .col(Processes::ParentId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ProcessTopics::Table)
                .col(uuid(ProcessTopics::ProcessId))
                .col(uuid(ProcessTopics::TopicId))
                .primary_key(
                    Index::create()
                        .col(ProcessTopics::ProcessId)
                        .col(ProcessTopics::TopicId),
                )
                .foreign_key(&mut cascade_to(
                    ProcessTopics::Table,
                    ProcessTopics::ProcessId,
                    Processes::Table,
                ))
                .foreign_key(&mut cascade_to(
                    ProcessTopics::Table,
                    ProcessTopics::TopicId,
                    Topics::Table,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            child_table(Phases::Table, Phases::Id, Phases::ProcessId, Phases::Position)
                .col(json(Phases::Name))
                .col(json(Phases::Description))
                .col(date(Phases::StartsOn))
                .col(date(Phases::EndsOn))
                .to_owned(),
        )
        .await?;
        m.create_table(
            child_table(
                Milestones::Table,
                Milestones::Id,
                Milestones::ProcessId,
                Milestones::Position,
            )
            .col(json(Milestones::Title))
            .col(json(Milestones::Description))
            .col(date(Milestones::DueOn))
            .to_owned(),
        )
        .await?;
        m.create_table(
            child_table(
                Commitments::Table,
                Commitments::Id,
                Commitments::ProcessId,
                Commitments::Position,
            )
            .col(json(Commitments::Text))
            .col(string_len_null(Commitments::MeasureKind, 48))
            .col(integer_null(Commitments::MeasureDays))
            .to_owned(),
        )
        .await?;
        for (name, table, col) in [
            ("idx_phases_process", Phases::Table.into_iden(), Phases::ProcessId.into_iden()),
            (
                "idx_milestones_process",
                Milestones::Table.into_iden(),
                Milestones::ProcessId.into_iden(),
            ),
            (
                "idx_commitments_process",
                Commitments::Table.into_iden(),
                Commitments::ProcessId.into_iden(),
            ),
        ] {
            m.create_index(Index::create().name(name).table(table).col(col).to_owned())
                .await?;
        }

        m.create_table(
            Table::create()
                .table(ProcessMembers::Table)
                .col(uuid(ProcessMembers::ProcessId))
                .col(uuid(ProcessMembers::AccountId))
                .col(string_len(ProcessMembers::Role, 16))
                .col(timestamp_with_time_zone(ProcessMembers::AddedAt))
                .primary_key(
                    Index::create()
                        .col(ProcessMembers::ProcessId)
                        .col(ProcessMembers::AccountId),
                )
                .foreign_key(&mut cascade_to(
                    ProcessMembers::Table,
                    ProcessMembers::ProcessId,
                    Processes::Table,
                ))
                .foreign_key(&mut cascade_to(
                    ProcessMembers::Table,
                    ProcessMembers::AccountId,
                    Accounts::Table,
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
