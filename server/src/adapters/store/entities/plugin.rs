use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plugins")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub type_id: String,
    pub version: String,
    #[sea_orm(unique)]
    pub sha256: String,
    pub contract_version: String,
    pub source: String,
    pub status: String,
    /// `builtin`, `unsigned` or `ed25519:<public key>` (domain::publisher).
    pub publisher: String,
    /// The detached signature given at install, if any.
    pub signature: Option<String>,
    pub info: Json,
    pub component: Vec<u8>,
    pub installed_by: Option<Uuid>,
    pub installed_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
