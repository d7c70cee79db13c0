use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contributions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub activity_id: Uuid,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub language: String,
    pub channel: String,
    pub status: String,
    pub author_id: Option<Uuid>,
    pub entered_by: Option<Uuid>,
    pub reference: Option<String>,
    pub idempotency_key: Option<String>,
    /// Who submitted (the author online, or the facilitator who entered it), when a key was
    /// given: keys are unique per submitter and activity.
    pub submitted_by: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub hidden_reason: Option<String>,
    pub edited_at: Option<DateTimeUtc>,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Federated input: the instance it came from, its author there, the object it came as.
    #[sea_orm(column_type = "Text", nullable)]
    pub origin_instance: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub remote_author: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub remote_author_name: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub remote_object: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
