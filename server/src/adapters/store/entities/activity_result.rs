use sea_orm::entity::prelude::*;

/// An activity's results as its plugin last computed them (see `app::results`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_results")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub activity_id: Uuid,
    /// The activity's revision they were computed from.
    pub revision: i64,
    /// The plugin version that computed them.
    pub plugin_sha256: String,
    /// The results as the API serves them (JSON).
    #[sea_orm(column_type = "Text", nullable)]
    pub results: Option<String>,
    /// Why the plugin failed instead (JSON: kind and detail).
    #[sea_orm(column_type = "Text", nullable)]
    pub failure: Option<String>,
    pub reads_clock: bool,
    pub computed_at: Option<DateTimeUtc>,
    /// Fuel the computation took (a failure counts as the most costly).
    pub compute_fuel: i64,
    pub claimed_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
