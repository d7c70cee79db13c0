//! Changes that happen with time rather than with a request: an activity opens or closes, a
//! process enters its next phase. The job worker checks every round; each change is
//! announced once (a conditional update decides which server announces it), recorded in the
//! ledger, and told to the activities' plugins through a durable job.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::activities::{ActivityState, state_at};
use super::error::AppResult;
use super::jobs::{self, Job};
use super::{AppContext, now};
use crate::adapters::store::entities::{activity, phase, process};
use crate::domain::process::ProcessStatus;

/// Announces every transition due now; returns how many were announced.
pub async fn announce_transitions(ctx: &AppContext) -> AppResult<usize> {
    let published: Vec<process::Model> = process::Entity::find().filter(process::Column::Status.eq(ProcessStatus::Published.as_str())).all(&ctx.db).await?;
    if published.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = published.iter().map(|p| p.id).collect();
    let mut announced = 0;
    let at = now();
    // Closing is final (windows are not edited), so closed activities are not looked at again.
    let pending = Condition::any().add(activity::Column::AnnouncedState.is_null()).add(activity::Column::AnnouncedState.ne("closed"));
    for a in activity::Entity::find().filter(activity::Column::ProcessId.is_in(ids.clone())).filter(pending).all(&ctx.db).await? {
        let state = match state_at(&a, at) {
            ActivityState::Open => "open",
            ActivityState::Closed => "closed",
            ActivityState::Upcoming => continue,
        };
        if a.announced_state.as_deref() == Some(state) {
            continue;
        }
        let was = match &a.announced_state {
            Some(s) => Condition::all().add(activity::Column::AnnouncedState.eq(s.as_str())),
            None => Condition::all().add(activity::Column::AnnouncedState.is_null()),
        };
        let txn = crate::adapters::store::begin_write(&ctx.db).await?;
        let claimed = activity::Entity::update_many()
            .col_expr(activity::Column::AnnouncedState, Expr::value(state))
            .filter(activity::Column::Id.eq(a.id))
            .filter(was)
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            continue; // another server announced it
        }
        let payload = serde_json::json!({ "activity": a.id, "type": a.type_id, "opens_at": a.opens_at, "closes_at": a.closes_at });
        let kind = if state == "open" { "activity.opened" } else { "activity.closed" };
        super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Process(a.process_id), kind, payload).await?;
        jobs::enqueue(&txn, Job::PhaseChange { activity_id: a.id, phase: state.to_string() }).await?;
        txn.commit().await?;
        announced += 1;
    }

    let today: NaiveDate = Utc::now().date_naive();
    let phases = phase::Entity::find().filter(phase::Column::ProcessId.is_in(ids)).all(&ctx.db).await?;
    for p in &published {
        let Some(current) = phases.iter().find(|ph| ph.process_id == p.id && ph.starts_on <= today && today <= ph.ends_on) else { continue };
        if p.announced_phase == Some(current.id) {
            continue;
        }
        let was = match p.announced_phase {
            Some(id) => Condition::all().add(process::Column::AnnouncedPhase.eq(id)),
            None => Condition::all().add(process::Column::AnnouncedPhase.is_null()),
        };
        let txn = crate::adapters::store::begin_write(&ctx.db).await?;
        let claimed = process::Entity::update_many()
            .col_expr(process::Column::AnnouncedPhase, Expr::value(current.id))
            .filter(process::Column::Id.eq(p.id))
            .filter(was)
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let payload = serde_json::json!({ "phase": current.id, "name": current.name, "starts_on": current.starts_on, "ends_on": current.ends_on });
        super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Process(p.id), "phase.started", payload).await?;
        let activities: Vec<Uuid> = activity::Entity::find()
            .filter(activity::Column::ProcessId.eq(p.id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        for activity_id in activities {
            jobs::enqueue(&txn, Job::PhaseChange { activity_id, phase: current.id.to_string() }).await?;
        }
        txn.commit().await?;
        announced += 1;
    }
    Ok(announced)
}
