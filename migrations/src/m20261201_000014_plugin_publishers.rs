//! Each installed version records its publisher (`builtin`, `unsigned` or the Ed25519 key that
//! signed it) and the detached signature given at install, so that a type stays bound to the
//! publisher of its current version and anyone can re-check the signature later.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Plugins {
    Table,
    Source,
    /// `builtin`, `unsigned` or `ed25519:<public key, base64>`.
    Publisher,
    /// `ed25519:<public key>:<signature>` as given at install; none for unsigned and built-in.
    Signature,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds only one at a time.
        m.alter_table(Table::alter().table(Plugins::Table).add_column(string_len(Plugins::Publisher, 80).default("unsigned")).to_owned())
            .await?;
        m.alter_table(Table::alter().table(Plugins::Table).add_column(string_len_null(Plugins::Signature, 200)).to_owned()).await?;
        // Versions installed before publishers existed were unsigned; built-in ones are built in.
        let builtin = Query::update()
            .table(Plugins::Table)
            .value(Plugins::Publisher, "builtin")
            .and_where(Expr::col(Plugins::Source).eq("builtin"))
            .to_owned();
        m.exec_stmt(builtin).await
    }
}
