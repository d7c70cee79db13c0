use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "process_links")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub process_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub parent_activity: String,
    #[sea_orm(column_type = "Text")]
    pub parent_group: String,
    #[sea_orm(column_type = "Text")]
    pub parent_title: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
