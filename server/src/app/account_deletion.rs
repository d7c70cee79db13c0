//! Deleting one's own account. It is asked for while signed in ([`request`]) and confirmed by
//! a link emailed to the account's address ([`confirm`]): the link's token alone authorises
//! it, since the email may be opened on another device. The link opens a page that asks to
//! confirm with a button; following it ([`check`]) deletes nothing, as mail scanners follow
//! links. It works once and expires like a sign-in link, and it signs nobody in.
//!
//! The deletion is one transaction. Afterwards nothing personal about the account remains:
//!
//! - deleted: the account (email, name, language, password hash), its sessions (every device
//!   is signed out at once), its sign-in and deletion links, process memberships, notification
//!   settings, verified attributes, the jobs about it (emails queued or sent to its address,
//!   sign-in and sign-up requests for it) and the rate-limit counters kept under its address
//!   or id;
//! - unlinked, kept: its contributions, withdrawn and hidden ones too (no author any more; the
//!   organisers' responses to them stay), contributions it entered for others as a
//!   facilitator, and the responses, moderation actions and outcomes it wrote as staff, which
//!   stop naming it; census entries it claimed are unclaimed (a new account of the same person
//!   may claim them again); attributes it granted to others stop naming who granted them;
//! - handed to [`DELETED_ACCOUNT`], where a column must name an account: processes and
//!   activities it created, and the reports it filed, which stay for moderators. Every deleted
//!   account is the same placeholder, so two reports cannot be told to come from one person.
//!
//! Plugins only ever saw the account as a pseudonym (a keyed hash of its id and the activity);
//! with the id gone, what they stored under it can no longer be traced to anyone, and its
//! activities count a new revision so results are computed again without it.
//!
//! Nothing goes to the ledger: it records public facts of public processes, and an account's
//! deletion is neither (nor may the ledger hold anything personal).
//!
//! The instance keeps an administrator and every process an organiser: the deletion of the
//! last one is refused (409) until someone else takes the role.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set};
use serde::Serialize;
use uuid::Uuid;

use super::accounts::{AccountEmail, DELETED_ACCOUNT, LinkPurpose, hash_token};
use super::error::AppResult;
use super::jobs::{self, Job};
use super::limits::{self, Counter, Limit, Streak};
use super::{AppContext, AppError, Viewer, now};
use crate::adapters::store::entities::{
    account, account_attribute, activity, census_entry, contribution, contribution_report, magic_link, moderation_action,
    notification_setting, outcome, plugin, process, process_member, response, session,
};
use crate::domain::account::{EmailAddress, ProcessRole};
use crate::domain::rate::mailbox_key;

/// What asking for a deletion answers: the link is on its way.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeletionRequested {
    pub detail: String,
    /// How long the emailed link works.
    pub expires_in_minutes: i64,
}

/// A deletion link that may still be used (what the confirmation page shows before the
/// person presses the button).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeletionLink {
    pub expires_at: DateTime<Utc>,
}

/// What a confirmed deletion answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccountDeleted {
    pub detail: String,
    /// The account's contributions that stay in their processes, no longer linked to anyone.
    pub contributions_kept: u64,
}

/// Why the signed-in person may not delete their account now, if they may not (the words of
/// the 409 that asking would get): for the account page to say so before they ask.
pub async fn blocked(ctx: &AppContext, viewer: &Viewer) -> AppResult<Option<String>> {
    let account = super::accounts::get(ctx, viewer.account_id).await?;
    blocker(&ctx.db, &account).await
}

/// Why the account cannot be deleted now (409), if it cannot: it is the instance's last
/// administrator, or the last organiser of a process. Read inside the deleting transaction,
/// the rows it counts are locked (PostgreSQL), so two administrators deleting their accounts
/// at once cannot leave the instance without one.
async fn blocker<C: ConnectionTrait>(db: &C, account: &account::Model) -> AppResult<Option<String>> {
    if account.is_admin {
        let admins: Vec<Uuid> = account::Entity::find()
            .select_only()
            .column(account::Column::Id)
            .filter(account::Column::IsAdmin.eq(true))
            // One order for every locker, so two of them cannot deadlock.
            .order_by_asc(account::Column::Id)
            .lock_exclusive()
            .into_tuple()
            .all(db)
            .await?;
        if admins.iter().all(|id| *id == account.id) {
            return Ok(Some(
                "you are the only administrator of this instance; make another account an administrator first (`convene admin create --email ...`)"
                    .into(),
            ));
        }
    }
    let organiser = ProcessRole::Organiser.as_str();
    let mine: Vec<Uuid> = process_member::Entity::find()
        .select_only()
        .column(process_member::Column::ProcessId)
        .filter(process_member::Column::AccountId.eq(account.id))
        .filter(process_member::Column::Role.eq(organiser))
        .into_tuple()
        .all(db)
        .await?;
    if mine.is_empty() {
        return Ok(None);
    }
    let organisers: Vec<(Uuid, Uuid)> = process_member::Entity::find()
        .select_only()
        .columns([process_member::Column::ProcessId, process_member::Column::AccountId])
        .filter(process_member::Column::ProcessId.is_in(mine.clone()))
        .filter(process_member::Column::Role.eq(organiser))
        .order_by_asc(process_member::Column::ProcessId)
        .order_by_asc(process_member::Column::AccountId)
        .lock_exclusive()
        .into_tuple()
        .all(db)
        .await?;
    let alone: Vec<Uuid> = mine.into_iter().filter(|p| !organisers.iter().any(|(q, who)| q == p && *who != account.id)).collect();
    if alone.is_empty() {
        return Ok(None);
    }
    let mut slugs: Vec<String> = process::Entity::find()
        .select_only()
        .column(process::Column::Slug)
        .filter(process::Column::Id.is_in(alone))
        .into_tuple()
        .all(db)
        .await?;
    slugs.sort();
    let which = slugs.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
    Ok(Some(format!("you are the last organiser of {which}; add another organiser to each first, so that someone can answer for it")))
}

fn refused(why: String) -> AppError {
    AppError::conflict("account", why)
}

/// Emails the signed-in person a link that confirms the deletion of their account (through
/// the job queue, with the link made when the email is sent). Refused (409) when the account
/// may not be deleted now; limited like sign-in links to the same address.
pub async fn request(ctx: &AppContext, viewer: &Viewer) -> AppResult<DeletionRequested> {
    let account = super::accounts::get(ctx, viewer.account_id).await?;
    if let Some(why) = blocker(&ctx.db, &account).await? {
        return Err(refused(why));
    }
    let email = EmailAddress::parse("email", &account.email)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("a stored email does not parse: {}", e.problem)))?;
    limits::hit(ctx, Limit::SignInLinkPerEmail, &mailbox_key(&email)).await?;
    jobs::enqueue(&ctx.db, Job::AccountEmail { account_id: account.id, email: AccountEmail::DeletionConfirmation }).await?;
    ctx.jobs_wake();
    let minutes = ctx.settings.auth.magic_link_minutes;
    Ok(DeletionRequested {
        detail: format!(
            "We have sent an email to your address with a link to confirm the deletion of your account. Nothing is deleted until you confirm; the link works once, for {minutes} minutes."
        ),
        expires_in_minutes: minutes,
    })
}

/// The unused, unexpired deletion link of `token`: 400 if there is none (never made, made for
/// something else, or its account is already deleted, which deletes its links), 410 if it was
/// used or has expired.
async fn live_link<C: ConnectionTrait>(db: &C, token: &str) -> AppResult<magic_link::Model> {
    if token.is_empty() || token.len() > 100 {
        return Err(AppError::bad_request("token", "is not a deletion link's token; copy the whole link from the email"));
    }
    let link = magic_link::Entity::find()
        .filter(magic_link::Column::TokenHash.eq(hash_token(token)))
        .filter(magic_link::Column::Purpose.eq(LinkPurpose::DeleteAccount.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::bad_request("token", "this deletion link is not valid, or its account is already deleted; ask for a new link from your account")
        })?;
    if link.used_at.is_some() {
        return Err(AppError::Gone("this deletion link has already been used".into()));
    }
    if link.expires_at <= now() {
        return Err(AppError::Gone("this deletion link has expired; ask for a new one from your account".into()));
    }
    Ok(link)
}

/// Whether a deletion link may still be used, without using it: for the page the link opens,
/// which asks the person to confirm. Errors as [`confirm`].
pub async fn check(ctx: &AppContext, token: &str) -> AppResult<DeletionLink> {
    let link = live_link(&ctx.db, token).await?;
    Ok(DeletionLink { expires_at: link.expires_at })
}

/// Deletes the account a deletion link was made for (see the module's documentation for what
/// that removes and what it keeps). The token alone authorises it. 400 for a token that is no
/// deletion link, 410 for a used or expired one, 409 when the account may not be deleted now
/// (the link then stays usable until it expires).
pub async fn confirm(ctx: &AppContext, token: &str) -> AppResult<AccountDeleted> {
    let link = live_link(&ctx.db, token).await?;
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let claimed = magic_link::Entity::update_many()
        .col_expr(magic_link::Column::UsedAt, Expr::value(now()))
        .filter(magic_link::Column::Id.eq(link.id))
        .filter(magic_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Gone("this deletion link has already been used".into()));
    }
    let account = account::Entity::find_by_id(link.account_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::Gone("this account has already been deleted".into()))?;
    if let Some(why) = blocker(&txn, &account).await? {
        return Err(refused(why));
    }
    let contributions_kept = erase(ctx, &txn, &account).await?;
    txn.commit().await?;
    tracing::info!(contributions_kept, "an account was deleted by its owner");
    Ok(AccountDeleted {
        detail: "Your account has been deleted and you are signed out everywhere. Your contributions stay in their processes, no longer linked to you.".into(),
        contributions_kept,
    })
}

/// The placeholder account, made the first time an account is deleted. Its email is not an
/// address (so no sign-in, sign-up or invitation can find it) and its times are the epoch.
async fn ensure_placeholder<C: ConnectionTrait>(ctx: &AppContext, db: &C) -> AppResult<()> {
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    let row = account::ActiveModel {
        id: Set(DELETED_ACCOUNT),
        email: Set("deleted-account".into()),
        display_name: Set("Deleted account".into()),
        locale: Set(ctx.settings.instance.default_language.to_string()),
        password_hash: Set(None),
        is_admin: Set(false),
        email_verified_at: Set(None),
        created_at: Set(epoch),
        updated_at: Set(epoch),
    };
    account::Entity::insert(row)
        .on_conflict(OnConflict::column(account::Column::Id).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Removes everything personal about `account` inside `db` (the confirming transaction) and
/// returns how many contributions it leaves without an author. Every table that names an
/// account is handled here, one statement each, rather than left to the foreign keys, so the
/// list can be read and checked (tests/tests/account_rights.rs scans every table afterwards).
async fn erase<C: ConnectionTrait>(ctx: &AppContext, db: &C, account: &account::Model) -> AppResult<u64> {
    let me = account.id;
    let null = || Expr::value(Option::<Uuid>::None);
    ensure_placeholder(ctx, db).await?;

    // Contributions: the activities they are in, before they change hands (their plugins will
    // see other pseudonyms), then the links to the account.
    let activities: Vec<Uuid> = contribution::Entity::find()
        .select_only()
        .column(contribution::Column::ActivityId)
        .distinct()
        .filter(Condition::any().add(contribution::Column::AuthorId.eq(me)).add(contribution::Column::EnteredBy.eq(me)))
        .into_tuple()
        .all(db)
        .await?;
    let kept = contribution::Entity::update_many()
        .col_expr(contribution::Column::AuthorId, null())
        .filter(contribution::Column::AuthorId.eq(me))
        .exec(db)
        .await?
        .rows_affected;
    contribution::Entity::update_many().col_expr(contribution::Column::EnteredBy, null()).filter(contribution::Column::EnteredBy.eq(me)).exec(db).await?;
    // An idempotency key only ever mattered to the one who sent it.
    contribution::Entity::update_many()
        .col_expr(contribution::Column::SubmittedBy, null())
        .col_expr(contribution::Column::IdempotencyKey, Expr::value(Option::<String>::None))
        .filter(contribution::Column::SubmittedBy.eq(me))
        .exec(db)
        .await?;
    for a in &activities {
        super::activity_writes::advance_revision(db, *a, None).await?;
    }

    // What they did as staff stays, no longer naming them; columns that must name an account
    // name the placeholder.
    process::Entity::update_many().col_expr(process::Column::CreatedBy, Expr::value(DELETED_ACCOUNT)).filter(process::Column::CreatedBy.eq(me)).exec(db).await?;
    activity::Entity::update_many().col_expr(activity::Column::CreatedBy, Expr::value(DELETED_ACCOUNT)).filter(activity::Column::CreatedBy.eq(me)).exec(db).await?;
    response::Entity::update_many().col_expr(response::Column::RespondedBy, null()).filter(response::Column::RespondedBy.eq(me)).exec(db).await?;
    moderation_action::Entity::update_many()
        .col_expr(moderation_action::Column::ModeratorId, null())
        .filter(moderation_action::Column::ModeratorId.eq(me))
        .exec(db)
        .await?;
    outcome::Entity::update_many().col_expr(outcome::Column::PublishedBy, null()).filter(outcome::Column::PublishedBy.eq(me)).exec(db).await?;
    plugin::Entity::update_many().col_expr(plugin::Column::InstalledBy, null()).filter(plugin::Column::InstalledBy.eq(me)).exec(db).await?;
    account_attribute::Entity::update_many()
        .col_expr(account_attribute::Column::GrantedBy, null())
        .filter(account_attribute::Column::GrantedBy.eq(me))
        .exec(db)
        .await?;
    census_entry::Entity::update_many().col_expr(census_entry::Column::ClaimedBy, null()).filter(census_entry::Column::ClaimedBy.eq(me)).exec(db).await?;

    // Reports they filed stay for moderators, filed by the placeholder; where the placeholder
    // already reported the same contribution (another deleted account did), one report stays.
    let placeholder_reported = contribution_report::Entity::find()
        .select_only()
        .column(contribution_report::Column::ContributionId)
        .filter(contribution_report::Column::ReporterId.eq(DELETED_ACCOUNT))
        .into_query();
    contribution_report::Entity::delete_many()
        .filter(contribution_report::Column::ReporterId.eq(me))
        .filter(contribution_report::Column::ContributionId.in_subquery(placeholder_reported))
        .exec(db)
        .await?;
    contribution_report::Entity::update_many()
        .col_expr(contribution_report::Column::ReporterId, Expr::value(DELETED_ACCOUNT))
        .filter(contribution_report::Column::ReporterId.eq(me))
        .exec(db)
        .await?;

    // What was theirs alone.
    session::Entity::delete_many().filter(session::Column::AccountId.eq(me)).exec(db).await?;
    magic_link::Entity::delete_many().filter(magic_link::Column::AccountId.eq(me)).exec(db).await?;
    process_member::Entity::delete_many().filter(process_member::Column::AccountId.eq(me)).exec(db).await?;
    notification_setting::Entity::delete_many().filter(notification_setting::Column::AccountId.eq(me)).exec(db).await?;
    account_attribute::Entity::delete_many().filter(account_attribute::Column::AccountId.eq(me)).exec(db).await?;
    jobs::forget_account(db, me, &account.email).await?;
    let mut counted = vec![
        (Counter::Limit(Limit::ContributionsPerAccount), me.to_string()),
        (Counter::Limit(Limit::ReportsPerAccount), me.to_string()),
    ];
    counted.extend(activities.iter().map(|a| (Counter::Limit(Limit::NotificationsPerRecipient), format!("{a}:{me}"))));
    if let Ok(email) = EmailAddress::parse("email", &account.email) {
        counted.push((Counter::Limit(Limit::SignInLinkPerEmail), mailbox_key(&email)));
        counted.push((Counter::Limit(Limit::SignupPerEmail), mailbox_key(&email)));
        counted.push((Counter::Streak(Streak::PasswordFailuresPerAccount), email.as_str().to_string()));
    }
    limits::forget(db, &counted).await?;
    account::Entity::delete_by_id(me).exec(db).await?;
    Ok(kept)
}
