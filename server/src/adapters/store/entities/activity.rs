use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub process_id: Uuid,
    pub type_id: String,
    pub position: i32,
    pub title: Json,
    pub description: Json,
    #[sea_orm(column_type = "Text")]
    pub config: String,
    pub opens_at: Option<DateTimeUtc>,
    pub closes_at: Option<DateTimeUtc>,
    pub requires_attribute: Option<String>,
    pub announced_state: Option<String>,
    /// Counts committed changes to the activity's contributions and plugin data.
    pub revision: i64,
    /// The draw seed, secret until revealed.
    pub seed: Option<Vec<u8>>,
    pub seed_committed_at: Option<DateTimeUtc>,
    pub seed_revealed_at: Option<DateTimeUtc>,
    /// Running totals of the plugin's key-value data, for its quota: entries, and bytes of
    /// keys and values.
    pub kv_entries: i64,
    pub kv_bytes: i64,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
