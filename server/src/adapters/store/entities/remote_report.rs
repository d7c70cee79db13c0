use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "remote_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub contribution_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub reporter: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
