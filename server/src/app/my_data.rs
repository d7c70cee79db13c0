//! "Download my data": everything the instance holds about the signed-in person, as one JSON
//! document ([`MyData`] describes it). It is written as it is read, section by section, the
//! long lists a page at a time, so a person with a hundred thousand contributions costs the
//! server a page of them in memory, not all of them.
//!
//! What names the account is in it: the account itself, settings, verified attributes, census
//! claims, sessions and links (never their tokens), memberships, every contribution it
//! authored or that a facilitator entered for it (withdrawn and hidden ones too, with their
//! bodies, the responses to them and their moderation), the reports it filed, the emails
//! queued or sent to it (subjects, not links), and what it did as staff: contributions it
//! entered for others (without their bodies: those are the other people's words), processes
//! and activities created, responses given, moderation, outcomes, plugins installed and
//! attributes granted (counted, without naming who received them). Nobody else's data is in
//! it: no facilitator, organiser or moderator is named.

use std::collections::HashMap;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use serde::Serialize;
use uuid::Uuid;

use super::error::AppResult;
use super::export::ByteStream;
use super::processes::ProcessRef;
use super::responses::ResponseView;
use super::{AppContext, AppError, Viewer, now};
use crate::adapters::store::entities::{
    account, account_attribute, activity, census_entry, contribution, contribution_report, magic_link, moderation_action,
    notification_setting, outcome, plugin, process, process_member, response, session,
};
use crate::domain::localized::LocalizedText;

/// The document's `format`; a later version that changes its shape changes this.
pub const FORMAT: &str = "convene-my-data/1";

/// Rows read per database round trip. A contribution body is at most 64 KiB, so a page of
/// contributions is at most a few MiB.
const PAGE: u64 = 100;

/// The download: a file name with the date (`convene-my-data-YYYY-MM-DD.json`) and the
/// document as a stream of JSON text. Serve it as `application/json`, as an attachment.
pub struct MyDataDownload {
    pub filename: String,
    pub stream: ByteStream,
}

/// Everything about one account. Only documentation: the document is written as a stream in
/// this shape, never built whole.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyData {
    /// `convene-my-data/1`.
    pub format: String,
    pub instance: MyDataInstance,
    pub exported_at: DateTime<Utc>,
    pub account: MyDataAccount,
    pub notification_settings: MyDataNotifications,
    pub attributes: Vec<MyDataAttribute>,
    /// Attributes this account (as an administrator) granted to others, counted by name.
    pub attributes_granted: Vec<MyDataGrants>,
    pub sessions: Vec<MyDataSession>,
    /// Sign-in, invitation and deletion links emailed for the account (never their tokens).
    pub links: Vec<MyDataLink>,
    /// Census entries this account claimed (the identifier is stored only as a keyed hash
    /// and is not repeated here).
    pub census_claims: Vec<MyDataCensusClaim>,
    pub memberships: Vec<MyDataMembership>,
    /// Every contribution the account authored, or that a facilitator entered for it, in
    /// any process: withdrawn and hidden ones too.
    pub contributions: Vec<MyDataContribution>,
    pub reports_filed: Vec<MyDataReport>,
    /// Emails queued or sent to the account's address, and requests made for it.
    pub emails: Vec<MyDataEmail>,
    /// Contributions this account entered for other people as a facilitator (their bodies
    /// are those people's words, and are not repeated here).
    pub entered_for_others: Vec<MyDataEntered>,
    pub processes_created: Vec<MyDataProcessCreated>,
    pub activities_created: Vec<MyDataActivityCreated>,
    pub responses_given: Vec<MyDataResponseGiven>,
    pub moderation_actions: Vec<MyDataModerationAction>,
    pub outcomes_published: Vec<MyDataOutcome>,
    pub plugins_installed: Vec<MyDataPlugin>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataInstance {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataAccount {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub is_admin: bool,
    pub email_verified_at: Option<DateTime<Utc>>,
    /// Whether a password is set (its hash is not shown).
    pub has_password: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataNotifications {
    pub activity_notifications: bool,
    /// When the account last changed them; null if never (the defaults apply).
    pub changed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataAttribute {
    pub name: String,
    /// `admin` or `census`.
    pub source: String,
    pub granted_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataGrants {
    pub name: String,
    pub source: String,
    /// How many accounts hold it by this account's grant.
    pub accounts: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataSession {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// `logout`, `logout_all`, `refresh_reuse`...
    pub revoked_reason: Option<String>,
    /// The session this export was asked from.
    pub current: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataLink {
    /// `signup`, `login`, `admin_invite` or `delete_account`.
    pub purpose: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataCensusClaim {
    pub attribute: String,
    pub imported_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataMembership {
    pub process: ProcessRef,
    /// `organiser`, `facilitator`, `participant` or `observer`.
    pub role: String,
    pub added_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataActivityRef {
    pub id: Uuid,
    /// The activity type, e.g. `org.convene.consultation`.
    pub type_id: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: LocalizedText,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataContribution {
    pub id: Uuid,
    pub process: ProcessRef,
    pub activity: MyDataActivityRef,
    pub kind: String,
    /// The contribution as stored, whatever its status.
    #[schema(value_type = Value)]
    pub body: serde_json::Value,
    pub language: String,
    /// `online`, `paper`, `phone`, `in_person` or `federated`.
    pub channel: String,
    /// `visible`, `hidden` or `withdrawn`.
    pub status: String,
    pub hidden_reason: Option<String>,
    /// Entered by a facilitator for you (from paper, a call or a meeting); the facilitator
    /// is not named.
    pub entered_by_facilitator: bool,
    /// The facilitator's reference for it, if any.
    pub reference: Option<String>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// The organisers' responses, oldest first (the last is the current one).
    pub responses: Vec<ResponseView>,
    /// Moderators' actions on it, oldest first (the moderators are not named).
    pub moderation: Vec<MyDataModeration>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataModeration {
    /// `hidden` or `restored`.
    pub action: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataReport {
    pub contribution_id: Uuid,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataEmail {
    /// What was queued: `email`, `account_email`, `activity_notification`,
    /// `sign_in_request` or `signup`.
    pub kind: String,
    /// The email's subject, or what it was about.
    pub subject: Option<String>,
    /// `pending`, `running`, `done` (sent) or `failed`.
    pub status: String,
    pub queued_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataEntered {
    pub id: Uuid,
    pub process: ProcessRef,
    pub activity_id: Uuid,
    pub channel: String,
    pub reference: Option<String>,
    pub status: String,
    /// Whether it was entered for someone with an account (who is not named here).
    pub for_an_account: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataProcessCreated {
    pub process: ProcessRef,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataActivityCreated {
    pub id: Uuid,
    pub process_id: Uuid,
    pub type_id: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataResponseGiven {
    pub id: Uuid,
    pub contribution_id: Uuid,
    pub process_id: Uuid,
    pub disposition: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataModerationAction {
    pub contribution_id: Uuid,
    pub process_id: Uuid,
    pub action: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataOutcome {
    pub process_id: Uuid,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyDataPlugin {
    pub type_id: String,
    pub version: String,
    pub installed_at: DateTime<Utc>,
}

/// The file name of an export made at `at`.
pub fn filename(at: DateTime<Utc>) -> String {
    format!("convene-my-data-{}.json", at.format("%Y-%m-%d"))
}

/// The signed-in person's data as one JSON document, written as it is read.
pub async fn export(ctx: &AppContext, viewer: &Viewer) -> AppResult<MyDataDownload> {
    let at = now();
    let account = super::accounts::get(ctx, viewer.account_id).await?;
    let head = head(ctx, &account, at).await?;
    let owner = Owner { id: account.id, email: account.email, session: viewer.session_id };
    let ctx = ctx.clone();
    let chunks = stream::unfold(Some(Step::Head(head)), move |step| {
        let (ctx, owner) = (ctx.clone(), owner.clone());
        async move {
            match step? {
                Step::Head(text) => Some((Ok(Bytes::from(text)), Some(Step::Section { index: 0, after: None, opened: false, written: false }))),
                Step::Section { index, .. } if index == Section::ALL.len() => Some((Ok(Bytes::from_static(b"}")), None)),
                Step::Section { index, after, opened, mut written } => {
                    let section = Section::ALL[index];
                    let mut out = String::new();
                    if !opened {
                        out.push_str(&format!(",\"{}\":[", section.key()));
                    }
                    let (items, next) = match section.page(&ctx, &owner, after).await {
                        Ok(page) => page,
                        Err(e) => return Some((Err(e), None)),
                    };
                    for item in items {
                        if written {
                            out.push(',');
                        }
                        out.push_str(&item);
                        written = true;
                    }
                    let step = match next {
                        Some(after) => Step::Section { index, after: Some(after), opened: true, written },
                        None => {
                            out.push(']');
                            Step::Section { index: index + 1, after: None, opened: false, written: false }
                        }
                    };
                    Some((Ok(Bytes::from(out)), Some(step)))
                }
            }
        }
    });
    Ok(MyDataDownload { filename: filename(at), stream: Box::pin(chunks) })
}

/// Where the writing is.
enum Step {
    Head(String),
    /// In `Section::ALL[index]`, after the row `after`; `opened` once its key is written,
    /// `written` once an item is.
    Section { index: usize, after: Option<Uuid>, opened: bool, written: bool },
}

#[derive(Clone)]
struct Owner {
    id: Uuid,
    email: String,
    session: Uuid,
}

fn json<T: Serialize + ?Sized>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.into()))
}

/// The document's opening and its short parts, up to the first list read by pages (the
/// object is left open).
async fn head(ctx: &AppContext, account: &account::Model, at: DateTime<Utc>) -> AppResult<String> {
    let settings = notification_setting::Entity::find_by_id(account.id).one(&ctx.db).await?;
    let attributes: Vec<MyDataAttribute> = account_attribute::Entity::find()
        .filter(account_attribute::Column::AccountId.eq(account.id))
        .order_by_asc(account_attribute::Column::Name)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|a| MyDataAttribute { name: a.name, source: a.source, granted_at: a.granted_at })
        .collect();
    let grants: Vec<MyDataGrants> = account_attribute::Entity::find()
        .select_only()
        .columns([account_attribute::Column::Name, account_attribute::Column::Source])
        .column_as(Expr::col(account_attribute::Column::AccountId).count(), "accounts")
        .filter(account_attribute::Column::GrantedBy.eq(account.id))
        .group_by(account_attribute::Column::Name)
        .group_by(account_attribute::Column::Source)
        .order_by_asc(account_attribute::Column::Name)
        .into_tuple::<(String, String, i64)>()
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|(name, source, accounts)| MyDataGrants { name, source, accounts })
        .collect();
    let fields: [(&str, String); 7] = [
        ("format", json(FORMAT)?),
        ("instance", json(&MyDataInstance { name: ctx.settings.instance.name.clone(), url: ctx.public_url.to_string() })?),
        ("exported_at", json(&at)?),
        (
            "account",
            json(&MyDataAccount {
                id: account.id,
                email: account.email.clone(),
                display_name: account.display_name.clone(),
                locale: account.locale.clone(),
                is_admin: account.is_admin,
                email_verified_at: account.email_verified_at,
                has_password: account.password_hash.is_some(),
                created_at: account.created_at,
                updated_at: account.updated_at,
            })?,
        ),
        (
            "notification_settings",
            json(&MyDataNotifications {
                activity_notifications: settings.as_ref().is_none_or(|s| s.activity_notifications),
                changed_at: settings.map(|s| s.updated_at),
            })?,
        ),
        ("attributes", json(&attributes)?),
        ("attributes_granted", json(&grants)?),
    ];
    let parts: Vec<String> = fields.iter().map(|(key, value)| Ok(format!("{}:{value}", json(key)?))).collect::<AppResult<_>>()?;
    Ok(format!("{{{}", parts.join(",")))
}

/// The lists of the document read a page at a time, in the order they are written.
#[derive(Clone, Copy, Debug)]
enum Section {
    Sessions,
    Links,
    CensusClaims,
    Memberships,
    Contributions,
    ReportsFiled,
    Emails,
    EnteredForOthers,
    ProcessesCreated,
    ActivitiesCreated,
    ResponsesGiven,
    ModerationActions,
    OutcomesPublished,
    PluginsInstalled,
}

/// A page of a section: its items as JSON text and where the next page starts.
type SectionPage = (Vec<String>, Option<Uuid>);

impl Section {
    const ALL: [Section; 14] = [
        Section::Sessions,
        Section::Links,
        Section::CensusClaims,
        Section::Memberships,
        Section::Contributions,
        Section::ReportsFiled,
        Section::Emails,
        Section::EnteredForOthers,
        Section::ProcessesCreated,
        Section::ActivitiesCreated,
        Section::ResponsesGiven,
        Section::ModerationActions,
        Section::OutcomesPublished,
        Section::PluginsInstalled,
    ];

    fn key(self) -> &'static str {
        match self {
            Section::Sessions => "sessions",
            Section::Links => "links",
            Section::CensusClaims => "census_claims",
            Section::Memberships => "memberships",
            Section::Contributions => "contributions",
            Section::ReportsFiled => "reports_filed",
            Section::Emails => "emails",
            Section::EnteredForOthers => "entered_for_others",
            Section::ProcessesCreated => "processes_created",
            Section::ActivitiesCreated => "activities_created",
            Section::ResponsesGiven => "responses_given",
            Section::ModerationActions => "moderation_actions",
            Section::OutcomesPublished => "outcomes_published",
            Section::PluginsInstalled => "plugins_installed",
        }
    }

    async fn page(self, ctx: &AppContext, owner: &Owner, after: Option<Uuid>) -> AppResult<SectionPage> {
        let me = owner.id;
        match self {
            Section::Sessions => {
                let (rows, next) = rows(ctx, session::Entity::find().filter(session::Column::AccountId.eq(me)), session::Column::Id, after, |r| r.id).await?;
                items(rows, next, |s| MyDataSession {
                    current: s.id == owner.session,
                    id: s.id,
                    created_at: s.created_at,
                    expires_at: s.expires_at,
                    revoked_at: s.revoked_at,
                    revoked_reason: s.revoked_reason,
                })
            }
            Section::Links => {
                let select = magic_link::Entity::find().filter(magic_link::Column::AccountId.eq(me));
                let (rows, next) = rows(ctx, select, magic_link::Column::Id, after, |r| r.id).await?;
                items(rows, next, |l| MyDataLink { purpose: l.purpose, created_at: l.created_at, expires_at: l.expires_at, used_at: l.used_at })
            }
            Section::CensusClaims => {
                let select = census_entry::Entity::find().filter(census_entry::Column::ClaimedBy.eq(me));
                let (rows, next) = rows(ctx, select, census_entry::Column::Id, after, |r| r.id).await?;
                items(rows, next, |c| MyDataCensusClaim { attribute: c.attribute, imported_at: c.imported_at })
            }
            Section::Memberships => {
                let select = process_member::Entity::find().filter(process_member::Column::AccountId.eq(me));
                let (rows, next) = rows(ctx, select, process_member::Column::ProcessId, after, |r| r.process_id).await?;
                let refs = process_refs(ctx, rows.iter().map(|m| m.process_id)).await?;
                items(rows, next, |m| MyDataMembership { process: process_ref(&refs, m.process_id), role: m.role, added_at: m.added_at })
            }
            Section::Contributions => {
                let select = contribution::Entity::find().filter(contribution::Column::AuthorId.eq(me));
                let (rows, next) = rows(ctx, select, contribution::Column::Id, after, |r| r.id).await?;
                contributions(ctx, rows, next).await
            }
            Section::ReportsFiled => {
                let select = contribution_report::Entity::find().filter(contribution_report::Column::ReporterId.eq(me));
                let (rows, next) = rows(ctx, select, contribution_report::Column::ContributionId, after, |r| r.contribution_id).await?;
                items(rows, next, |r| MyDataReport { contribution_id: r.contribution_id, reason: r.reason, created_at: r.created_at })
            }
            Section::Emails => {
                let (rows, next) = super::jobs::about_account(&ctx.db, me, &owner.email, after, PAGE).await?;
                items(rows, next, |j| MyDataEmail {
                    subject: serde_json::from_str::<super::jobs::Job>(&j.payload).ok().and_then(|job| job.subject_for_owner()),
                    kind: j.kind,
                    status: j.status,
                    queued_at: j.created_at,
                    updated_at: j.updated_at,
                })
            }
            Section::EnteredForOthers => {
                let select = contribution::Entity::find()
                    .filter(contribution::Column::EnteredBy.eq(me))
                    .filter(contribution::Column::AuthorId.is_null().or(contribution::Column::AuthorId.ne(me)));
                let (rows, next) = rows(ctx, select, contribution::Column::Id, after, |r| r.id).await?;
                let activities = activity_refs(ctx, rows.iter().map(|c| c.activity_id)).await?;
                let refs = process_refs(ctx, activities.values().map(|(process, _)| *process)).await?;
                items(rows, next, |c| MyDataEntered {
                    process: process_ref(&refs, activities.get(&c.activity_id).map_or(Uuid::nil(), |(p, _)| *p)),
                    id: c.id,
                    activity_id: c.activity_id,
                    channel: c.channel,
                    reference: c.reference,
                    status: c.status,
                    for_an_account: c.author_id.is_some(),
                    created_at: c.created_at,
                })
            }
            Section::ProcessesCreated => {
                let select = process::Entity::find().filter(process::Column::CreatedBy.eq(me));
                let (rows, next) = rows(ctx, select, process::Column::Id, after, |r| r.id).await?;
                items(rows, next, |p| MyDataProcessCreated {
                    created_at: p.created_at,
                    process: ProcessRef { id: p.id, slug: p.slug, title: LocalizedText::from_stored(p.title) },
                })
            }
            Section::ActivitiesCreated => {
                let select = activity::Entity::find()
                    .select_only()
                    .columns([activity::Column::Id, activity::Column::ProcessId, activity::Column::TypeId, activity::Column::CreatedAt])
                    .filter(activity::Column::CreatedBy.eq(me));
                let mut query = select.order_by_asc(activity::Column::Id).limit(PAGE);
                if let Some(after) = after {
                    query = query.filter(activity::Column::Id.gt(after));
                }
                let rows: Vec<(Uuid, Uuid, String, DateTime<Utc>)> = query.into_tuple().all(&ctx.db).await?;
                let next = next_after(&rows, |r| r.0);
                items(rows, next, |(id, process_id, type_id, created_at)| MyDataActivityCreated { id, process_id, type_id, created_at })
            }
            Section::ResponsesGiven => {
                let select = response::Entity::find().filter(response::Column::RespondedBy.eq(me));
                let (rows, next) = rows(ctx, select, response::Column::Id, after, |r| r.id).await?;
                items(rows, next, |r| MyDataResponseGiven {
                    id: r.id,
                    contribution_id: r.contribution_id,
                    process_id: r.process_id,
                    disposition: r.disposition,
                    created_at: r.created_at,
                })
            }
            Section::ModerationActions => {
                let select = moderation_action::Entity::find().filter(moderation_action::Column::ModeratorId.eq(me));
                let (rows, next) = rows(ctx, select, moderation_action::Column::Id, after, |r| r.id).await?;
                items(rows, next, |m| MyDataModerationAction {
                    contribution_id: m.contribution_id,
                    process_id: m.process_id,
                    action: m.action,
                    reason: m.reason,
                    created_at: m.created_at,
                })
            }
            Section::OutcomesPublished => {
                let select = outcome::Entity::find().filter(outcome::Column::PublishedBy.eq(me));
                let (rows, next) = rows(ctx, select, outcome::Column::Id, after, |r| r.id).await?;
                items(rows, next, |o| MyDataOutcome { process_id: o.process_id, version: o.version, created_at: o.created_at })
            }
            Section::PluginsInstalled => {
                // Without the component bytes.
                let mut query = plugin::Entity::find()
                    .select_only()
                    .columns([plugin::Column::Id, plugin::Column::TypeId, plugin::Column::Version, plugin::Column::InstalledAt])
                    .filter(plugin::Column::InstalledBy.eq(me))
                    .order_by_asc(plugin::Column::Id)
                    .limit(PAGE);
                if let Some(after) = after {
                    query = query.filter(plugin::Column::Id.gt(after));
                }
                let rows: Vec<(Uuid, String, String, DateTime<Utc>)> = query.into_tuple().all(&ctx.db).await?;
                let next = next_after(&rows, |r| r.0);
                items(rows, next, |(_, type_id, version, installed_at)| MyDataPlugin { type_id, version, installed_at })
            }
        }
    }
}

/// Where the page after a full page of `rows` starts; None after a short one.
fn next_after<T>(rows: &[T], id: impl Fn(&T) -> Uuid) -> Option<Uuid> {
    if rows.len() as u64 == PAGE { rows.last().map(id) } else { None }
}

/// A page of `select` in the order of its id column `id`, after `after`.
async fn rows<E: EntityTrait>(
    ctx: &AppContext,
    select: Select<E>,
    id: E::Column,
    after: Option<Uuid>,
    id_of: fn(&E::Model) -> Uuid,
) -> AppResult<(Vec<E::Model>, Option<Uuid>)> {
    let mut query = select.order_by_asc(id).limit(PAGE);
    if let Some(after) = after {
        query = query.filter(id.gt(after));
    }
    let rows = query.all(&ctx.db).await?;
    let next = next_after(&rows, id_of);
    Ok((rows, next))
}

fn items<T, R: Serialize>(rows: Vec<T>, next: Option<Uuid>, mut record: impl FnMut(T) -> R) -> AppResult<SectionPage> {
    let items = rows.into_iter().map(|row| json(&record(row))).collect::<AppResult<Vec<String>>>()?;
    Ok((items, next))
}

/// The processes with these ids, as references.
async fn process_refs(ctx: &AppContext, ids: impl Iterator<Item = Uuid>) -> AppResult<HashMap<Uuid, ProcessRef>> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort();
    ids.dedup();
    let rows: Vec<(Uuid, String, serde_json::Value)> = process::Entity::find()
        .select_only()
        .columns([process::Column::Id, process::Column::Slug, process::Column::Title])
        .filter(process::Column::Id.is_in(ids))
        .into_tuple()
        .all(&ctx.db)
        .await?;
    Ok(rows.into_iter().map(|(id, slug, title)| (id, ProcessRef { id, slug, title: LocalizedText::from_stored(title) })).collect())
}

/// A process's reference; one deleted meanwhile (its contributions went with it) keeps its id.
fn process_ref(refs: &HashMap<Uuid, ProcessRef>, id: Uuid) -> ProcessRef {
    refs.get(&id)
        .map(|p| ProcessRef { id: p.id, slug: p.slug.clone(), title: p.title.clone() })
        .unwrap_or(ProcessRef { id, slug: String::new(), title: LocalizedText::default() })
}

/// The activities with these ids: their process, and their reference.
async fn activity_refs(ctx: &AppContext, ids: impl Iterator<Item = Uuid>) -> AppResult<HashMap<Uuid, (Uuid, MyDataActivityRef)>> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort();
    ids.dedup();
    let rows: Vec<(Uuid, Uuid, String, serde_json::Value)> = activity::Entity::find()
        .select_only()
        .columns([activity::Column::Id, activity::Column::ProcessId, activity::Column::TypeId, activity::Column::Title])
        .filter(activity::Column::Id.is_in(ids))
        .into_tuple()
        .all(&ctx.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, process, type_id, title)| (id, (process, MyDataActivityRef { id, type_id, title: LocalizedText::from_stored(title) })))
        .collect())
}

/// A page of the person's contributions with where they are, the responses to them and
/// their moderation.
async fn contributions(ctx: &AppContext, rows: Vec<contribution::Model>, next: Option<Uuid>) -> AppResult<SectionPage> {
    let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
    let activities = activity_refs(ctx, rows.iter().map(|c| c.activity_id)).await?;
    let refs = process_refs(ctx, activities.values().map(|(process, _)| *process)).await?;
    let mut responses: HashMap<Uuid, Vec<ResponseView>> = HashMap::new();
    for r in response::Entity::find().filter(response::Column::ContributionId.is_in(ids.clone())).order_by_asc(response::Column::Id).all(&ctx.db).await? {
        responses.entry(r.contribution_id).or_default().push(super::responses::view(r));
    }
    let mut moderation: HashMap<Uuid, Vec<MyDataModeration>> = HashMap::new();
    let actions = moderation_action::Entity::find()
        .filter(moderation_action::Column::ContributionId.is_in(ids))
        .order_by_asc(moderation_action::Column::Id)
        .all(&ctx.db)
        .await?;
    for m in actions {
        moderation.entry(m.contribution_id).or_default().push(MyDataModeration { action: m.action, reason: m.reason, at: m.created_at });
    }
    items(rows, next, |c| {
        let (process, activity) = match activities.get(&c.activity_id) {
            Some((process, a)) => (*process, MyDataActivityRef { id: a.id, type_id: a.type_id.clone(), title: a.title.clone() }),
            None => (Uuid::nil(), MyDataActivityRef { id: c.activity_id, type_id: String::new(), title: LocalizedText::default() }),
        };
        MyDataContribution {
            process: process_ref(&refs, process),
            activity,
            body: serde_json::from_str(&c.body).unwrap_or_else(|_| serde_json::Value::String(c.body.clone())),
            responses: responses.remove(&c.id).unwrap_or_default(),
            moderation: moderation.remove(&c.id).unwrap_or_default(),
            entered_by_facilitator: c.entered_by.is_some(),
            id: c.id,
            kind: c.kind,
            language: c.language,
            channel: c.channel,
            status: c.status,
            hidden_reason: c.hidden_reason,
            reference: c.reference,
            created_at: c.created_at,
            edited_at: c.edited_at,
            withdrawn_at: c.withdrawn_at,
            updated_at: c.updated_at,
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_file_is_named_after_the_day() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T23:59:59Z").unwrap().with_timezone(&chrono::Utc);
        assert_eq!(super::filename(at), "convene-my-data-2026-12-01.json");
    }
}
