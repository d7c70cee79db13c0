//! Seeds for draws (a citizen panel's selection): an organiser commits a seed the host
//! chooses at random before the draw — only its SHA-256 goes into the public ledger — and
//! reveals it after, so anyone can check it against the commitment and re-run the draw.
//! Plugins read it through `host.random-seed` (empty until committed). Nobody, not even the
//! organisers, can pick the seed or swap it after seeing the pool.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::error::AppResult;
use super::{AppContext, AppError, Viewer, activities, now, processes};
use crate::adapters::store::entities::activity;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SeedView {
    /// Hex SHA-256 of the seed, published in the ledger when committed.
    pub sha256: String,
    pub committed_at: DateTime<Utc>,
    /// The seed itself (hex, 32 bytes), once revealed.
    pub seed: Option<String>,
    pub revealed_at: Option<DateTime<Utc>>,
}

pub fn view(a: &activity::Model) -> Option<SeedView> {
    let (seed, committed_at) = (a.seed.as_ref()?, a.seed_committed_at?);
    Some(SeedView {
        sha256: hex::encode(Sha256::digest(seed)),
        committed_at,
        seed: a.seed_revealed_at.map(|_| hex::encode(seed)),
        revealed_at: a.seed_revealed_at,
    })
}

/// The activity, if the viewer organises its process.
async fn managed(ctx: &AppContext, viewer: &Viewer, id: Uuid) -> AppResult<(activity::Model, Uuid)> {
    let (a, visible) = activities::load(ctx, Some(viewer), id).await?;
    processes::load_managed(ctx, viewer, &visible.process.id.to_string()).await?;
    Ok((a, visible.process.id))
}

/// Chooses and commits the activity's seed (once).
pub async fn commit(ctx: &AppContext, viewer: &Viewer, id: Uuid) -> AppResult<SeedView> {
    let (a, process_id) = managed(ctx, viewer, id).await?;
    if a.seed.is_some() {
        return Err(AppError::conflict("seed", "was already committed for this activity; a seed is committed once, so the draw cannot be repeated with another"));
    }
    let mut seed = vec![0u8; 32];
    rand::rng().fill_bytes(&mut seed);
    let at = now();
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    // Conditional, so two organisers committing at once cannot both succeed.
    let taken = activity::Entity::update_many()
        .col_expr(activity::Column::Seed, sea_orm::sea_query::Expr::value(seed.clone()))
        .col_expr(activity::Column::SeedCommittedAt, sea_orm::sea_query::Expr::value(at))
        .filter(activity::Column::Id.eq(a.id))
        .filter(activity::Column::Seed.is_null())
        .exec(&txn)
        .await?;
    if taken.rows_affected != 1 {
        return Err(AppError::conflict("seed", "was committed by someone else just now"));
    }
    super::activity_writes::advance_revision(&txn, a.id, None).await?;
    let sha256 = hex::encode(Sha256::digest(&seed));
    let payload = serde_json::json!({ "activity": a.id, "sha256": sha256 });
    super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Process(process_id), "seed.committed", payload).await?;
    txn.commit().await?;
    Ok(SeedView { sha256, committed_at: at, seed: None, revealed_at: None })
}

/// Publishes the committed seed (once), after the draw.
pub async fn reveal(ctx: &AppContext, viewer: &Viewer, id: Uuid) -> AppResult<SeedView> {
    let (a, process_id) = managed(ctx, viewer, id).await?;
    let Some(seed) = a.seed.clone() else {
        return Err(AppError::conflict("seed", "has not been committed yet (POST /api/v1/activities/{id}/seed)"));
    };
    if a.seed_revealed_at.is_some() {
        return Err(AppError::conflict("seed", "was already revealed"));
    }
    let at = now();
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let updated = activity::ActiveModel { id: Set(a.id), seed_revealed_at: Set(Some(at)), ..Default::default() }.update(&txn).await?;
    let payload = serde_json::json!({ "activity": a.id, "seed": hex::encode(&seed), "sha256": hex::encode(Sha256::digest(&seed)) });
    super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Process(process_id), "seed.revealed", payload).await?;
    txn.commit().await?;
    view(&updated).ok_or_else(|| AppError::Internal(anyhow::anyhow!("the revealed seed vanished")))
}
