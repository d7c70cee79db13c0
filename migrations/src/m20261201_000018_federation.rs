//! Federation over ActivityPub: the key this instance signs with, the remote actors it knows,
//! who follows which process, which incoming activities were already handled (so a replay or
//! a duplicate does nothing), and the instances an administrator blocked.

use sea_orm_migration::{prelude::*, schema::*};

use crate::cascade_to;
use crate::m20261123_000002_processes::Processes;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One row: the RSA key pair every local actor signs its requests with (ActivityPub's HTTP
/// signatures are RSA in practice; the ledger keeps its own Ed25519 key).
#[derive(DeriveIden)]
enum FederationKeys {
    Table,
    Id,
    PublicKeyPem,
    PrivateKeyPem,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RemoteActors {
    Table,
    Id,
    /// The actor's ActivityPub id (a URL).
    ApId,
    /// Host and port of `ap_id`, for blocks and per-instance limits.
    Host,
    Kind,
    Inbox,
    SharedInbox,
    PublicKeyPem,
    PreferredUsername,
    Name,
    /// The actor's page for people, if it gave one.
    Url,
    FetchedAt,
}

#[derive(DeriveIden)]
enum ProcessFollowers {
    Table,
    ProcessId,
    ActorId,
    /// The id of the Follow, which an Undo names.
    FollowId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FederationReceived {
    Table,
    ActivityId,
    ActorApId,
    Kind,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum BlockedInstances {
    Table,
    Host,
    Reason,
    BlockedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(FederationKeys::Table)
                .col(integer(FederationKeys::Id).primary_key())
                .col(text(FederationKeys::PublicKeyPem))
                .col(text(FederationKeys::PrivateKeyPem))
                .col(timestamp_with_time_zone(FederationKeys::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RemoteActors::Table)
                .col(uuid(RemoteActors::Id).primary_key())
                .col(text(RemoteActors::ApId).unique_key())
                .col(text(RemoteActors::Host))
                .col(text(RemoteActors::Kind))
                .col(text(RemoteActors::Inbox))
                .col(text_null(RemoteActors::SharedInbox))
                .col(text(RemoteActors::PublicKeyPem))
                .col(text_null(RemoteActors::PreferredUsername))
                .col(text_null(RemoteActors::Name))
                .col(text_null(RemoteActors::Url))
                .col(timestamp_with_time_zone(RemoteActors::FetchedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_remote_actors_host").table(RemoteActors::Table).col(RemoteActors::Host).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(ProcessFollowers::Table)
                .col(uuid(ProcessFollowers::ProcessId))
                .col(uuid(ProcessFollowers::ActorId))
                .col(text(ProcessFollowers::FollowId))
                .col(timestamp_with_time_zone(ProcessFollowers::CreatedAt))
                .primary_key(Index::create().col(ProcessFollowers::ProcessId).col(ProcessFollowers::ActorId))
                .foreign_key(&mut cascade_to(ProcessFollowers::Table, ProcessFollowers::ProcessId, Processes::Table))
                .foreign_key(&mut cascade_to(ProcessFollowers::Table, ProcessFollowers::ActorId, RemoteActors::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_process_followers_actor").table(ProcessFollowers::Table).col(ProcessFollowers::ActorId).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(FederationReceived::Table)
                .col(text(FederationReceived::ActivityId).primary_key())
                .col(text(FederationReceived::ActorApId))
                .col(text(FederationReceived::Kind))
                .col(timestamp_with_time_zone(FederationReceived::ReceivedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BlockedInstances::Table)
                .col(text(BlockedInstances::Host).primary_key())
                .col(text(BlockedInstances::Reason))
                .col(timestamp_with_time_zone(BlockedInstances::BlockedAt))
                .to_owned(),
        )
        .await
    }
}
