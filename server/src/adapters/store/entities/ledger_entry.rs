use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub at: String,
    pub kind: String,
    pub process_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub prev_hash: String,
    #[sea_orm(unique)]
    pub hash: String,
    pub signature: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
