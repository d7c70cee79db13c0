//! Idempotency keys belong to the account that submitted (a participant's own input, or a
//! facilitator's entries on behalf of others) and to one activity. Before, a key was unique per
//! author and per facilitator separately, so a facilitator's key for a person collided with the
//! same key from that person, and the insert failed with a database error.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Contributions {
    Table,
    SubmittedBy,
    ActivityId,
    IdempotencyKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Contributions::Table).add_column(uuid_null(Contributions::SubmittedBy)).to_owned()).await?;
        m.get_connection()
            .execute_unprepared("UPDATE contributions SET submitted_by = COALESCE(entered_by, author_id) WHERE idempotency_key IS NOT NULL")
            .await?;
        for old in ["idx_contributions_idempotency", "idx_contributions_entered_idempotency"] {
            m.drop_index(Index::drop().name(old).table(Contributions::Table).to_owned()).await?;
        }
        m.create_index(
            Index::create()
                .name("idx_contributions_idempotency_scope")
                .table(Contributions::Table)
                .col(Contributions::SubmittedBy)
                .col(Contributions::ActivityId)
                .col(Contributions::IdempotencyKey)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
