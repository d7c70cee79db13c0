//! Each activity keeps a running total of its plugin's key-value data (entries and bytes of
//! keys and values), updated in the transaction that writes the data. Before, the quota was
//! checked by summing every entry on every write: quadratic, and slow enough past 100k entries
//! to run a call past its deadline.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Activities {
    Table,
    KvEntries,
    KvBytes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Activities::KvEntries, Activities::KvBytes] {
            m.alter_table(Table::alter().table(Activities::Table).add_column(big_integer(column).default(0)).to_owned()).await?;
        }
        let bytes = match m.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => "octet_length(key) + octet_length(value)",
            _ => "length(CAST(key AS BLOB)) + length(value)",
        };
        m.get_connection()
            .execute_unprepared(&format!(
                "UPDATE activities SET \
                   kv_entries = (SELECT COUNT(*) FROM activity_kv WHERE activity_kv.activity_id = activities.id), \
                   kv_bytes = (SELECT COALESCE(SUM({bytes}), 0) FROM activity_kv WHERE activity_kv.activity_id = activities.id)"
            ))
            .await?;
        Ok(())
    }
}
