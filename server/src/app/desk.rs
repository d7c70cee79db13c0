//! The facilitator's desk: what a facilitator needs around `contributions::submit` to enter
//! paper, phone and in-person input fast. Which kinds they may enter for someone, who a
//! "known account" is (a member of the process, found by the email the person gives, so that
//! the desk never tells who else has an account), and how much was entered today.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::contributions::{KindAccess, Refusal, open_refusal, role_refusal};
use super::error::AppResult;
use super::processes::Visible;
use super::{AppContext, AppError, Viewer, activities, now, plugins};
use crate::adapters::plugins::bindings::convene::activity::types as wit;
use crate::adapters::store::entities::{contribution, process_member};
use crate::domain::account::EmailAddress;
use crate::domain::participation::ContributionStatus;

fn ensure_facilitator(visible: &Visible, viewer: &Viewer) -> AppResult<()> {
    if visible.powers(Some(viewer)).facilitate {
        Ok(())
    } else {
        Err(AppError::Forbidden("only the process's facilitators and organisers enter input on behalf of others".into()))
    }
}

/// The process and its activities open for input now, in their order (facilitators and
/// organisers): what the desk offers to enter input into.
pub async fn open_activities(ctx: &AppContext, viewer: &Viewer, process_key: &str) -> AppResult<(Visible, Vec<activities::ActivityView>)> {
    let visible = super::processes::load_visible(ctx, Some(viewer), process_key).await?;
    ensure_facilitator(&visible, viewer)?;
    let published = visible.process.status == crate::domain::process::ProcessStatus::Published.as_str();
    let list = if published { activities::list(ctx, Some(viewer), &visible.process.id.to_string()).await? } else { Vec::new() };
    Ok((visible, list.into_iter().filter(|a| a.state == activities::ActivityState::Open).collect()))
}

/// The activity's contribution kinds, each with whether a facilitator may enter it for
/// someone now, by the rules `submit` applies to facilitated input (the activity open in a
/// published process; the kind submitted by participants, since the input is the person's).
pub async fn kinds(ctx: &AppContext, viewer: &Viewer, activity_id: Uuid) -> AppResult<Vec<KindAccess>> {
    let (a, visible) = activities::load(ctx, Some(viewer), activity_id).await?;
    ensure_facilitator(&visible, viewer)?;
    let plugin = plugins::runnable(ctx, &a.type_id, "activity").await?;
    let common = open_refusal(&a, &visible);
    let text = |l: &wit::Localized| crate::domain::localized::LocalizedText::from_stored(crate::adapters::plugins::view::localized(l));
    Ok(plugin
        .info
        .contribution_kinds
        .iter()
        .map(|k| {
            let refusal = common.clone().or_else(|| role_refusal(&plugin, &k.id, wit::SubmitterRole::Participant).map(Refusal::Roles));
            KindAccess { id: k.id.clone(), name: text(&k.name), description: text(&k.description), refusal }
        })
        .collect())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonLookup {
    /// The email the person gives the facilitator.
    #[schema(format = Email)]
    pub email: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Person {
    /// For `on_behalf_of` when entering their input.
    pub account_id: Uuid,
    pub display_name: String,
}

/// A member of the process (any role) by the email the person gives, for entering their input
/// on their behalf (facilitators and organisers). Only members are found: whether an email
/// belongs to an account elsewhere on the instance is not the desk's to tell, so "no account"
/// and "not a member" are the same answer.
pub async fn find_member(ctx: &AppContext, viewer: &Viewer, process_key: &str, input: PersonLookup) -> AppResult<Person> {
    let visible = super::processes::load_visible(ctx, Some(viewer), process_key).await?;
    ensure_facilitator(&visible, viewer)?;
    let email = EmailAddress::parse("email", &input.email)?;
    let not_found = || AppError::invalid("email", "no member of this process has this email; enter the input anonymously, or ask an organiser to add the person");
    let account = super::accounts::find_by_email(&ctx.db, &email).await?.filter(|a| a.id != super::accounts::DELETED_ACCOUNT);
    // The same query whether or not an account was found.
    let member = process_member::Entity::find_by_id((visible.process.id, account.as_ref().map_or(Uuid::nil(), |a| a.id))).one(&ctx.db).await?;
    match (account, member) {
        (Some(a), Some(_)) => Ok(Person { account_id: a.id, display_name: a.display_name }),
        _ => Err(not_found()),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EnteredToday {
    /// Facilitated input (paper, phone, in person) you entered into this activity today (UTC).
    pub by_you: u64,
    /// Facilitated input everyone entered into this activity today (UTC).
    pub in_all: u64,
    /// Since when: today's midnight, UTC.
    pub since: DateTime<Utc>,
}

/// How much facilitated input was entered into an activity today, by the viewer and in all
/// (facilitators and organisers). Withdrawn input is not counted.
pub async fn entered_today(ctx: &AppContext, viewer: &Viewer, activity_id: Uuid) -> AppResult<EnteredToday> {
    let (a, visible) = activities::load(ctx, Some(viewer), activity_id).await?;
    ensure_facilitator(&visible, viewer)?;
    let since = now().date_naive().and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let today = || {
        contribution::Entity::find()
            .filter(contribution::Column::ActivityId.eq(a.id))
            .filter(contribution::Column::EnteredBy.is_not_null())
            .filter(contribution::Column::Status.ne(ContributionStatus::Withdrawn.as_str()))
            .filter(contribution::Column::CreatedAt.gte(since))
    };
    let in_all = today().count(&ctx.db).await?;
    let by_you = today().filter(contribution::Column::EnteredBy.eq(viewer.account_id)).count(&ctx.db).await?;
    Ok(EnteredToday { by_you, in_all, since })
}
