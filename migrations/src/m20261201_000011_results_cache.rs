//! Each activity's results as its plugin last computed them, so that viewing them does not
//! run the plugin: one row per activity, replaced when the activity changes (its revision) or
//! its plugin does, and a claim so that one server computes them while the others serve the
//! previous copy or wait.

use sea_orm_migration::{prelude::*, schema::*};

use crate::cascade_to;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Activities {
    Table,
}

#[derive(DeriveIden)]
enum ActivityResults {
    Table,
    ActivityId,
    /// The activity's revision the results were computed from.
    Revision,
    /// The plugin version that computed them (SHA-256 of its component).
    PluginSha256,
    /// The results as the API serves them (JSON), when the plugin computed them.
    Results,
    /// Why the plugin failed, when it did (JSON: kind and detail).
    Failure,
    /// The plugin read the time: the results expire.
    ReadsClock,
    /// Null until first computed.
    ComputedAt,
    /// The fuel the computation took (deterministic, unlike time): costly ones are redone in
    /// the job queue.
    ComputeFuel,
    /// A server is computing new results until then.
    ClaimedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ActivityResults::Table)
                .col(pk_uuid(ActivityResults::ActivityId))
                .col(big_integer(ActivityResults::Revision))
                .col(string_len(ActivityResults::PluginSha256, 64))
                .col(text_null(ActivityResults::Results))
                .col(text_null(ActivityResults::Failure))
                .col(boolean(ActivityResults::ReadsClock).default(false))
                .col(timestamp_with_time_zone_null(ActivityResults::ComputedAt))
                .col(big_integer(ActivityResults::ComputeFuel).default(0))
                .col(timestamp_with_time_zone_null(ActivityResults::ClaimedUntil))
                .foreign_key(&mut cascade_to(ActivityResults::Table, ActivityResults::ActivityId, Activities::Table))
                .to_owned(),
        )
        .await
    }
}
