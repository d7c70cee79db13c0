//! Every schema change of Convene, forward-only. The server runs them at start and with
//! `convene migrate`; each migration is a module named after the date it was written.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_accounts;
mod m20261123_000002_processes;
mod m20261123_000003_seed_topics;
mod m20261123_000004_plugins_activities;
mod m20261123_000005_ledger_and_jobs;
mod m20261123_000006_moderation_and_responses;
mod m20261123_000007_announced_phase;
mod m20261123_000008_activity_revision_and_seed;
mod m20261201_000009_idempotency_scope;
mod m20261201_000010_rate_limits;
mod m20261201_000011_results_cache;
mod m20261201_000012_kv_usage;
mod m20261201_000013_notification_settings;
mod m20261201_000014_plugin_publishers;
mod m20261201_000017_report_fingerprint;
mod m20261201_000018_federation;
mod m20261201_000019_remote_contributions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_accounts::Migration),
            Box::new(m20261123_000002_processes::Migration),
            Box::new(m20261123_000003_seed_topics::Migration),
            Box::new(m20261123_000004_plugins_activities::Migration),
            Box::new(m20261123_000005_ledger_and_jobs::Migration),
            Box::new(m20261123_000006_moderation_and_responses::Migration),
            Box::new(m20261123_000007_announced_phase::Migration),
            Box::new(m20261123_000008_activity_revision_and_seed::Migration),
            Box::new(m20261201_000009_idempotency_scope::Migration),
            Box::new(m20261201_000010_rate_limits::Migration),
            Box::new(m20261201_000011_results_cache::Migration),
            Box::new(m20261201_000012_kv_usage::Migration),
            Box::new(m20261201_000013_notification_settings::Migration),
            Box::new(m20261201_000014_plugin_publishers::Migration),
            Box::new(m20261201_000017_report_fingerprint::Migration),
            Box::new(m20261201_000018_federation::Migration),
            Box::new(m20261201_000019_remote_contributions::Migration),
        ]
    }
}

/// A foreign key from `from.col` to `to.id` that goes away with its parent row.
pub(crate) fn cascade_to<T: IntoIden, C: IntoIden, P: IntoIden>(from: T, col: C, to: P) -> ForeignKeyCreateStatement {
    foreign_key(from, col, to, ForeignKeyAction::Cascade)
}

/// A foreign key from `from.col` to `to.id` that is emptied when its parent row goes (an
/// author's account deleted, say), keeping the row itself.
pub(crate) fn nullify_to<T: IntoIden, C: IntoIden, P: IntoIden>(from: T, col: C, to: P) -> ForeignKeyCreateStatement {
    foreign_key(from, col, to, ForeignKeyAction::SetNull)
}

fn foreign_key<T: IntoIden, C: IntoIden, P: IntoIden>(from: T, col: C, to: P, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    let mut fk = ForeignKey::create();
    fk.from_tbl(from).from_col(col).to_tbl(to).to_col(Alias::new("id")).on_delete(on_delete);
    fk.to_owned()
}
