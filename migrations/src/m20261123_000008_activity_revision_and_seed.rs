//! Activities count their changes (`revision`), so that a plugin's read-check-write during
//! validation (one vote per person, registration up to capacity) is checked against what was
//! committed meanwhile; and they hold a seed an organiser commits before a draw (its hash in
//! the ledger) and reveals after it, so anyone can re-run the draw.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Activities {
    Table,
    Revision,
    Seed,
    SeedCommittedAt,
    SeedRevealedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        let columns = [
            big_integer(Activities::Revision).default(0).to_owned(),
            blob_null(Activities::Seed),
            timestamp_with_time_zone_null(Activities::SeedCommittedAt),
            timestamp_with_time_zone_null(Activities::SeedRevealedAt),
        ];
        for column in columns {
            m.alter_table(Table::alter().table(Activities::Table).add_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
