//! Rolling an activity type back to the version it ran before: the way out of a bad upgrade
//! (a broken release, or a publisher replaced by mistake). The version rolled back from is
//! kept as `rolled_back`, so a second rollback goes one version further back.

use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

use super::error::AppResult;
use super::plugins::{
    ACTIVE, DISABLED, PluginRow, PluginView, ROLLED_BACK, SUPERSEDED, check_existing_configs, component_of, current, record_publisher_change,
    refused, rows, set_status,
};
use super::{AppContext, AppError, Viewer};
use crate::adapters::store::entities::plugin;

/// Makes the version that was current before the current one current again, keeping the
/// enabled/disabled status; returns it. Refused when there is no earlier version, when its
/// component is not available (a built-in version of an earlier release of Convene), or when
/// it refuses the configuration of an activity created since.
pub async fn rollback(ctx: &AppContext, viewer: Option<&Viewer>, type_id: &str) -> AppResult<PluginView> {
    if let Some(v) = viewer {
        super::accounts::require_admin(v)?;
    }
    let from = current(&ctx.db, type_id).await?.ok_or(AppError::NotFound("activity type"))?;
    let Some(to) = previous(ctx, type_id).await? else {
        return Err(AppError::conflict("type_id", format!("activity type {type_id} has no earlier version to roll back to")));
    };
    let Some(bytes) = component_of(ctx, &to).await? else {
        return Err(AppError::conflict(
            "type_id",
            format!("the previous version of {type_id} ({}) was built into an earlier release of Convene and is not in this one; it cannot be restored", to.version),
        ));
    };
    let loaded = ctx.plugins.load(bytes).await.map_err(refused)?;
    check_existing_configs(ctx, &loaded).await?;

    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    // Checked again in the transaction: an upgrade or another rollback may have come first.
    if current(&txn, type_id).await?.map(|c| c.id) != Some(from.id) {
        return Err(AppError::conflict("type_id", format!("activity type {type_id} changed meanwhile; list its versions and try again")));
    }
    set_status(&txn, from.id, ROLLED_BACK).await?;
    set_status(&txn, to.id, if from.status == DISABLED { DISABLED } else { ACTIVE }).await?;
    let payload = serde_json::json!({
        "type": type_id,
        "version": to.version, "sha256": to.sha256, "publisher": to.publisher,
        "from_version": from.version, "from_sha256": from.sha256, "from_publisher": from.publisher,
    });
    super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Instance, "plugin.rolled_back", payload).await?;
    let replaced = from.publisher() != to.publisher();
    if replaced {
        record_publisher_change(ctx, &txn, type_id, &from.publisher(), &to.publisher(), &to.version).await?;
    }
    txn.commit().await?;
    tracing::info!(plugin = type_id, from = %from.version, to = %to.version, "rolled back activity type");

    let mut view: PluginView = current(&ctx.db, type_id).await?.ok_or(AppError::NotFound("activity type"))?.into();
    view.warning = replaced.then(|| {
        format!("the rollback also changed the publisher: {type_id} is bound to {} again (it was {}), and later upgrades must come from it.", to.publisher, from.publisher)
    });
    Ok(view)
}

/// The version superseded most recently: the one that was current before the current one.
async fn previous(ctx: &AppContext, type_id: &str) -> AppResult<Option<PluginRow>> {
    Ok(rows()
        .filter(plugin::Column::TypeId.eq(type_id))
        .filter(plugin::Column::Status.eq(SUPERSEDED))
        .order_by_desc(plugin::Column::UpdatedAt)
        .order_by_desc(plugin::Column::InstalledAt)
        .into_model::<PluginRow>()
        .one(&ctx.db)
        .await?)
}
