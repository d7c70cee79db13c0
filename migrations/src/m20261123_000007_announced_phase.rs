//! Processes remember the phase last announced (in the ledger and to their activities'
//! plugins), so that each phase change is announced once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Processes {
    Table,
    AnnouncedPhase,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Processes::Table).add_column(uuid_null(Processes::AnnouncedPhase)).to_owned()).await
    }
}
