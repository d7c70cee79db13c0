//! Each account's choice of which emails it wants. One row per account that changed a
//! default; an account without a row gets the defaults (activity notifications on).

use sea_orm_migration::{prelude::*, schema::*};

use crate::cascade_to;
use crate::m20261123_000001_accounts::Accounts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum NotificationSettings {
    Table,
    AccountId,
    /// Emails that activities (their plugins) ask the instance to send: invitations,
    /// answers to questions... Turned off from the account or by an email's unsubscribe link.
    ActivityNotifications,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(NotificationSettings::Table)
                .col(uuid(NotificationSettings::AccountId).primary_key())
                .col(boolean(NotificationSettings::ActivityNotifications).default(true))
                .col(timestamp_with_time_zone(NotificationSettings::UpdatedAt))
                .foreign_key(&mut cascade_to(NotificationSettings::Table, NotificationSettings::AccountId, Accounts::Table))
                .to_owned(),
        )
        .await
    }
}
