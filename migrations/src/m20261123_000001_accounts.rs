//! Accounts, sign-in (magic links, sessions), verified attributes and the hashed census.

use sea_orm_migration::{prelude::*, schema::*};

use crate::cascade_to;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(crate) enum Accounts {
    Table,
    Id,
    Email,
    DisplayName,
    Locale,
    PasswordHash,
    IsAdmin,
    EmailVerifiedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MagicLinks {
    Table,
    Id,
    AccountId,
    TokenHash,
    Purpose,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    AccountId,
    RefreshJti,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    RevokedReason,
}

#[derive(DeriveIden)]
enum AccountAttributes {
    Table,
    AccountId,
    Name,
    Source,
    GrantedBy,
    GrantedAt,
}

#[derive(DeriveIden)]
enum CensusEntries {
    Table,
    Id,
    Attribute,
    IdentifierHash,
    ImportedAt,
    ClaimedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Accounts::Table)
                .col(pk_uuid(Accounts::Id))
                .col(string_len_uniq(Accounts::Email, 254))
                .col(string_len(Accounts::DisplayName, 100))
                .col(string_len(Accounts::Locale, 16))
                .col(string_null(Accounts::PasswordHash))
                .col(boolean(Accounts::IsAdmin).default(false))
                .col(timestamp_with_time_zone_null(Accounts::EmailVerifiedAt))
                .col(timestamp_with_time_zone(Accounts::CreatedAt))
                .col(timestamp_with_time_zone(Accounts::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(MagicLinks::Table)
                .col(pk_uuid(MagicLinks::Id))
                .col(uuid(MagicLinks::AccountId))
                .col(string_len_uniq(MagicLinks::TokenHash, 64))
                .col(string_len(MagicLinks::Purpose, 32))
                .col(timestamp_with_time_zone(MagicLinks::ExpiresAt))
                .col(timestamp_with_time_zone_null(MagicLinks::UsedAt))
                .col(timestamp_with_time_zone(MagicLinks::CreatedAt))
                .foreign_key(&mut cascade_to(MagicLinks::Table, MagicLinks::AccountId, Accounts::Table))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(pk_uuid(Sessions::Id))
                .col(uuid(Sessions::AccountId))
                .col(uuid(Sessions::RefreshJti))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .col(timestamp_with_time_zone_null(Sessions::RevokedAt))
                .col(string_len_null(Sessions::RevokedReason, 32))
                .foreign_key(&mut cascade_to(Sessions::Table, Sessions::AccountId, Accounts::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_account")
                .table(Sessions::Table)
                .col(Sessions::AccountId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AccountAttributes::Table)
                .col(uuid(AccountAttributes::AccountId))
                .col(string_len(AccountAttributes::Name, 64))
                .col(string_len(AccountAttributes::Source, 16))
                .col(uuid_null(AccountAttributes::GrantedBy))
                .col(timestamp_with_time_zone(AccountAttributes::GrantedAt))
                .primary_key(
                    Index::create()
                        .col(AccountAttributes::AccountId)
                        .col(AccountAttributes::Name),
                )
                .foreign_key(&mut cascade_to(
                    AccountAttributes::Table,
                    AccountAttributes::AccountId,
                    Accounts::Table,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CensusEntries::Table)
                .col(pk_uuid(CensusEntries::Id))
                .col(string_len(CensusEntries::Attribute, 64))
                .col(string_len(CensusEntries::IdentifierHash, 64))
                .col(timestamp_with_time_zone(CensusEntries::ImportedAt))
                .col(uuid_null(CensusEntries::ClaimedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_census_attribute_hash")
                .table(CensusEntries::Table)
                .col(CensusEntries::Attribute)
                .col(CensusEntries::IdentifierHash)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
