//! Installed activity types (plugins), the activities of a process that use them, each
//! activity's key-value data, and the contributions people make to activities.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{cascade_to, nullify_to};
use crate::m20261123_000001_accounts::Accounts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Processes {
    Table,
}

/// One row per installed version of a plugin. `type_id` is what the plugin declares in
/// `describe` (e.g. `org.convene.consultation`); at most one version per type is `active` or
/// `disabled`, the others are `superseded`.
#[derive(DeriveIden)]
enum Plugins {
    Table,
    Id,
    TypeId,
    Version,
    Sha256,
    ContractVersion,
    Source,
    Status,
    Info,
    /// The component bytes of an installed plugin; empty for built-in ones (they live in the
    /// binary).
    Component,
    InstalledBy,
    InstalledAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Activities {
    Table,
    Id,
    ProcessId,
    TypeId,
    Position,
    Title,
    Description,
    Config,
    OpensAt,
    ClosesAt,
    /// Only accounts holding this verified attribute (e.g. `resident`) may contribute.
    RequiresAttribute,
    /// The last state (`open`, `closed`) recorded in the ledger and told to the plugin.
    AnnouncedState,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ActivityKv {
    Table,
    ActivityId,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum Contributions {
    Table,
    Id,
    ActivityId,
    Kind,
    Body,
    Language,
    Channel,
    Status,
    AuthorId,
    EnteredBy,
    /// A facilitator's reference for input without an account (the number on a paper form).
    Reference,
    IdempotencyKey,
    /// Why moderators hid it, shown publicly in its place.
    HiddenReason,
    EditedAt,
    WithdrawnAt,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Plugins::Table)
                .col(pk_uuid(Plugins::Id))
                .col(string_len(Plugins::TypeId, 128))
                .col(string_len(Plugins::Version, 64))
                .col(string_len_uniq(Plugins::Sha256, 64))
                .col(string_len(Plugins::ContractVersion, 32))
                .col(string_len(Plugins::Source, 16))
                .col(string_len(Plugins::Status, 16))
                .col(json(Plugins::Info))
                .col(blob(Plugins::Component))
                .col(uuid_null(Plugins::InstalledBy))
                .col(timestamp_with_time_zone(Plugins::InstalledAt))
                .col(timestamp_with_time_zone(Plugins::UpdatedAt))
                .foreign_key(&mut nullify_to(Plugins::Table, Plugins::InstalledBy, Accounts::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_plugins_type").table(Plugins::Table).col(Plugins::TypeId).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(Activities::Table)
                .col(pk_uuid(Activities::Id))
                .col(uuid(Activities::ProcessId))
                .col(string_len(Activities::TypeId, 128))
                .col(integer(Activities::Position))
                .col(json(Activities::Title))
                .col(json(Activities::Description))
                .col(text(Activities::Config))
                .col(timestamp_with_time_zone_null(Activities::OpensAt))
                .col(timestamp_with_time_zone_null(Activities::ClosesAt))
                .col(string_len_null(Activities::RequiresAttribute, 64))
                .col(string_len_null(Activities::AnnouncedState, 16))
                .col(uuid(Activities::CreatedBy))
                .col(timestamp_with_time_zone(Activities::CreatedAt))
                .col(timestamp_with_time_zone(Activities::UpdatedAt))
                .foreign_key(&mut cascade_to(Activities::Table, Activities::ProcessId, Processes::Table))
                .foreign_key(
                    ForeignKey::create()
                        .from_tbl(Activities::Table)
                        .from_col(Activities::CreatedBy)
                        .to_tbl(Accounts::Table)
                        .to_col(Accounts::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_activities_process").table(Activities::Table).col(Activities::ProcessId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ActivityKv::Table)
                .col(uuid(ActivityKv::ActivityId))
                .col(string_len(ActivityKv::Key, 256))
                .col(blob(ActivityKv::Value))
                .primary_key(Index::create().col(ActivityKv::ActivityId).col(ActivityKv::Key))
                .foreign_key(&mut cascade_to(ActivityKv::Table, ActivityKv::ActivityId, Activities::Table))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Contributions::Table)
                .col(pk_uuid(Contributions::Id))
                .col(uuid(Contributions::ActivityId))
                .col(string_len(Contributions::Kind, 64))
                .col(text(Contributions::Body))
                .col(string_len(Contributions::Language, 16))
                .col(string_len(Contributions::Channel, 16))
                .col(string_len(Contributions::Status, 16))
                .col(uuid_null(Contributions::AuthorId))
                .col(uuid_null(Contributions::EnteredBy))
                .col(string_len_null(Contributions::Reference, 64))
                .col(string_len_null(Contributions::IdempotencyKey, 128))
                .col(text_null(Contributions::HiddenReason))
                .col(timestamp_with_time_zone_null(Contributions::EditedAt))
                .col(timestamp_with_time_zone_null(Contributions::WithdrawnAt))
                .col(timestamp_with_time_zone(Contributions::CreatedAt))
                .col(timestamp_with_time_zone(Contributions::UpdatedAt))
                .foreign_key(&mut cascade_to(Contributions::Table, Contributions::ActivityId, Activities::Table))
                .foreign_key(&mut nullify_to(Contributions::Table, Contributions::AuthorId, Accounts::Table))
                .foreign_key(&mut nullify_to(Contributions::Table, Contributions::EnteredBy, Accounts::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_contributions_activity")
                .table(Contributions::Table)
                .col(Contributions::ActivityId)
                .col(Contributions::Id)
                .to_owned(),
        )
        .await?;
        // A retried submission with the same key from the same person is the same submission
        // (a participant's own, or a facilitator's entries on behalf of others).
        for (name, who) in [("idx_contributions_idempotency", Contributions::AuthorId), ("idx_contributions_entered_idempotency", Contributions::EnteredBy)] {
            m.create_index(
                Index::create().name(name).table(Contributions::Table).col(who).col(Contributions::IdempotencyKey).unique().to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
