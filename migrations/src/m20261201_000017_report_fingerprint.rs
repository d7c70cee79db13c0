//! The input-use report is kept in memory and built again only when what it counts changed.
//! Telling that needs the newest response of a process without reading all of them: an index
//! on (process, id) answers it from one index entry (response ids are time-ordered).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Responses {
    Table,
    ProcessId,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create().name("idx_responses_process_newest").table(Responses::Table).col(Responses::ProcessId).col(Responses::Id).to_owned(),
        )
        .await
    }
}
