//! Emails that activities ask for. A plugin names participants by their pseudonym and gives a
//! subject and a body; the instance sends them as `From:` itself, so the policy is the
//! instance's, applied here when the plugin's call is committed:
//!
//! - one email per recipient per call, however many times the plugin names them;
//! - none to people who turned activity emails off (counted, not queued);
//! - at most `limits.notifications_per_recipient` per person per activity and
//!   `limits.notifications_per_activity` per activity, counted in the database with the rate
//!   limits (so they hold across replicas) inside the transaction that commits the call;
//! - each framed by the host (`domain::notification`): the process and the activity named,
//!   the plugin's words quoted as the activity's, an unsubscribe link that needs no sign-in.
//!
//! Every outcome is counted in `/metrics` as `convene_notifications_total{plugin, outcome}`.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set, TransactionTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::AppResult;
use super::jobs::{self, Job};
use super::limits::{self, Limit};
use super::plugin_data::pseudonym;
use super::{AppContext, AppError, Viewer, now};
use crate::adapters::mail::Email;
use crate::adapters::plugins::Notification;
use crate::adapters::plugins::bindings::convene::activity::types::Localized;
use crate::adapters::store::entities::{account, activity, contribution, notification_setting, process};
use crate::domain::localized::LocalizedText;
use crate::domain::notification::{Framing, body_text, compose, subject_line, unsubscribe_account, unsubscribe_token};

/// What became of one notification a plugin asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Queued,
    /// The same recipient named again in the same call.
    Duplicate,
    /// A pseudonym without an account in the activity (paper input, a plugin's mistake).
    UnknownRecipient,
    OptedOut,
    RecipientLimit,
    ActivityLimit,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Queued => "queued",
            Outcome::Duplicate => "duplicate",
            Outcome::UnknownRecipient => "unknown_recipient",
            Outcome::OptedOut => "opted_out",
            Outcome::RecipientLimit => "recipient_limit",
            Outcome::ActivityLimit => "activity_limit",
        }
    }
}

fn count(plugin: &str, outcome: Outcome, n: u64) {
    if n > 0 {
        metrics::counter!("convene_notifications_total", "plugin" => plugin.to_string(), "outcome" => outcome.label()).increment(n);
    }
}

/// Queues the emails a plugin call asked for about activity `a`, inside `txn` (the one that
/// commits the call, so nothing is sent or counted for a call that is not committed).
pub(super) async fn enqueue(ctx: &AppContext, txn: &DatabaseTransaction, a: &activity::Model, notifications: Vec<Notification>) -> AppResult<()> {
    if notifications.is_empty() {
        return Ok(());
    }
    let authors: Vec<Option<Uuid>> = contribution::Entity::find()
        .select_only()
        .column(contribution::Column::AuthorId)
        .distinct()
        .filter(contribution::Column::ActivityId.eq(a.id))
        .filter(contribution::Column::AuthorId.is_not_null())
        .into_tuple()
        .all(txn)
        .await?;
    let secret = ctx.settings.census_secret.expose();
    let by_pseudonym: BTreeMap<String, Uuid> =
        authors.into_iter().flatten().map(|author| (pseudonym(secret, a.id, Some(author), None, Uuid::nil()), author)).collect();

    // One per recipient: the first thing the plugin said to each.
    let mut outcomes: BTreeMap<&'static str, (Outcome, u64)> = BTreeMap::new();
    let mut tally = |o: Outcome| outcomes.entry(o.label()).or_insert((o, 0)).1 += 1;
    let mut first: Vec<(Uuid, Localized, Localized)> = Vec::new();
    let mut seen = BTreeSet::new();
    for (who, subject, body) in notifications {
        match by_pseudonym.get(&who) {
            None => tally(Outcome::UnknownRecipient),
            Some(id) if !seen.insert(*id) => tally(Outcome::Duplicate),
            Some(id) => first.push((*id, subject, body)),
        }
    }
    let ids: Vec<Uuid> = first.iter().map(|(id, _, _)| *id).collect();
    let opted_out = turned_off(txn, &ids).await?;
    let locales: BTreeMap<Uuid, String> = account::Entity::find()
        .select_only()
        .columns([account::Column::Id, account::Column::Locale])
        .filter(account::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(txn)
        .await?
        .into_iter()
        .collect();

    let fallback = ctx.settings.instance.default_language.as_str();
    let mut activity_full = false;
    for (account_id, subject, body) in first {
        let Some(locale) = locales.get(&account_id) else {
            tally(Outcome::UnknownRecipient);
            continue;
        };
        if opted_out.contains(&account_id) {
            tally(Outcome::OptedOut);
            continue;
        }
        if activity_full {
            tally(Outcome::ActivityLimit);
            continue;
        }
        // Both limits or neither: a savepoint undoes the recipient's count when the
        // activity's refuses, so nobody's budget goes on an email that is not sent.
        let both = txn.begin().await?;
        if !limits::admits(ctx, &both, Limit::NotificationsPerRecipient, &format!("{}:{account_id}", a.id)).await? {
            both.rollback().await?;
            tally(Outcome::RecipientLimit);
            continue;
        }
        if !limits::admits(ctx, &both, Limit::NotificationsPerActivity, &a.id.to_string()).await? {
            both.rollback().await?;
            activity_full = true;
            tally(Outcome::ActivityLimit);
            continue;
        }
        both.commit().await?;
        let text = |l: &Localized| best(l, locale, fallback);
        let job = Job::ActivityNotification { account_id, activity_id: a.id, subject: subject_line(&text(&subject)), text: body_text(&text(&body)) };
        jobs::enqueue(txn, job).await?;
        tally(Outcome::Queued);
    }
    for (outcome, n) in outcomes.values() {
        count(&a.type_id, *outcome, *n);
    }
    let refused: u64 = outcomes.values().filter(|(o, _)| *o != Outcome::Queued).map(|(_, n)| n).sum();
    if refused > 0 {
        let summary: Vec<String> = outcomes.iter().map(|(label, (_, n))| format!("{label}={n}")).collect();
        tracing::debug!(activity = %a.id, plugin = %a.type_id, outcomes = %summary.join(" "), "some notifications a plugin asked for were not queued");
    }
    Ok(())
}

/// The text in the reader's language, else the instance's, else the first given.
fn best(texts: &Localized, language: &str, fallback: &str) -> String {
    let pick = |tag: &str| texts.iter().find(|(l, _)| l == tag).map(|(_, t)| t.clone());
    pick(language).or_else(|| pick(fallback)).or_else(|| texts.first().map(|(_, t)| t.clone())).unwrap_or_default()
}

/// Sends one queued notification (run by the job queue, `job_id` becoming its Message-ID),
/// unless its recipient turned activity emails off since, or is gone.
pub(crate) async fn send(ctx: &AppContext, job_id: Uuid, account_id: Uuid, activity_id: Uuid, subject: &str, body: &str) -> AppResult<()> {
    let Some(account) = account::Entity::find_by_id(account_id).one(&ctx.db).await? else { return Ok(()) };
    let Some(a) = activity::Entity::find_by_id(activity_id).one(&ctx.db).await? else { return Ok(()) };
    if !turned_off(&ctx.db, &[account_id]).await?.is_empty() {
        count(&a.type_id, Outcome::OptedOut, 1);
        return Ok(());
    }
    let p = process::Entity::find_by_id(a.process_id).one(&ctx.db).await?.ok_or(AppError::NotFound("process"))?;
    let fallback = ctx.settings.instance.default_language.as_str();
    let title = |stored: serde_json::Value| LocalizedText::from_stored(stored).best(&account.locale, fallback).to_string();
    let unsubscribe = ctx.link(&format!("unsubscribe?token={}", unsubscribe_token(ctx.settings.jwt_secret.expose(), account.id)));
    let (subject, text) = compose(&Framing {
        instance: &ctx.settings.instance.name,
        process: &title(p.title),
        activity: &title(a.title),
        recipient: &account.display_name,
        subject,
        body,
        activity_link: &ctx.link(&format!("activities/{}", a.id)),
        unsubscribe_link: &unsubscribe,
        settings_link: &ctx.link("me/notifications"),
    });
    let to = account.email.parse().map_err(|e| AppError::Internal(anyhow::anyhow!("stored email does not parse: {e}")))?;
    let email = Email { to, subject, text, html: None, message_id: Some(jobs::message_id(ctx, job_id)), unsubscribe: Some(unsubscribe) };
    ctx.mailer.send(email).await.map_err(|e| AppError::Unavailable(format!("sending an activity's notification failed: {e}")))
}

/// Which of `accounts` turned activity emails off.
async fn turned_off<C: ConnectionTrait>(db: &C, accounts: &[Uuid]) -> AppResult<BTreeSet<Uuid>> {
    if accounts.is_empty() {
        return Ok(BTreeSet::new());
    }
    let off: Vec<Uuid> = notification_setting::Entity::find()
        .select_only()
        .column(notification_setting::Column::AccountId)
        .filter(notification_setting::Column::AccountId.is_in(accounts.iter().copied()))
        .filter(notification_setting::Column::ActivityNotifications.eq(false))
        .into_tuple()
        .all(db)
        .await?;
    Ok(off.into_iter().collect())
}

/// The signed-in account's email choices.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationSettings {
    /// Emails that activities send (invitations, answers to your questions...). On unless
    /// turned off here or with the unsubscribe link of such an email. Emails about your
    /// account (sign-in links) and the organisers' responses to your input always come.
    pub activity_notifications: bool,
}

/// A change to the email choices; what is left out stays as it is.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettingsPatch {
    pub activity_notifications: Option<bool>,
}

pub async fn settings(ctx: &AppContext, viewer: &Viewer) -> AppResult<NotificationSettings> {
    let off = turned_off(&ctx.db, &[viewer.account_id]).await?;
    Ok(NotificationSettings { activity_notifications: off.is_empty() })
}

pub async fn update_settings(ctx: &AppContext, viewer: &Viewer, patch: NotificationSettingsPatch) -> AppResult<NotificationSettings> {
    if let Some(on) = patch.activity_notifications {
        set_activity_notifications(&ctx.db, viewer.account_id, on).await?;
    }
    settings(ctx, viewer).await
}

/// The account an unsubscribe link's token was made for; refused (400) if it was not made by
/// this instance.
pub fn unsubscribe_target(ctx: &AppContext, token: &str) -> AppResult<Uuid> {
    unsubscribe_account(ctx.settings.jwt_secret.expose(), token)
        .ok_or_else(|| AppError::bad_request("token", "this unsubscribe link is not valid; copy the whole link from the email"))
}

/// Follows an unsubscribe link: turns activity emails off for the account it was made for.
/// The same every time it is followed; an account deleted since has nothing left to turn off.
pub async fn unsubscribe(ctx: &AppContext, token: &str) -> AppResult<()> {
    let account_id = unsubscribe_target(ctx, token)?;
    if account::Entity::find_by_id(account_id).count(&ctx.db).await? == 0 {
        return Ok(());
    }
    set_activity_notifications(&ctx.db, account_id, false).await
}

async fn set_activity_notifications<C: ConnectionTrait>(db: &C, account_id: Uuid, on: bool) -> AppResult<()> {
    let row = notification_setting::ActiveModel { account_id: Set(account_id), activity_notifications: Set(on), updated_at: Set(now()) };
    notification_setting::Entity::insert(row)
        .on_conflict(
            OnConflict::column(notification_setting::Column::AccountId)
                .update_columns([notification_setting::Column::ActivityNotifications, notification_setting::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}
