use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sent_contributions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub sender_kind: String,
    pub sender_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub remote_activity: String,
    #[sea_orm(column_type = "Text")]
    pub remote_group: String,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub problem: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub remote_contribution: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub response: Option<String>,
    pub sent_at: DateTimeUtc,
    pub responded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
