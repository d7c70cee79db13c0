//! Contributions: made online by participants or entered by facilitators for people who are
//! not online (paper, phone, in person), edited or withdrawn while the activity is open,
//! reported by anyone and hidden by moderators with a public reason.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::activities::{self, ActivityState, check_kind, state_at};
use super::error::AppResult;
use super::pagination::{Page, PageParams};
use super::processes::Visible;
use super::{AppContext, AppError, Viewer, now, plugins};
use crate::adapters::plugins::bindings::convene::activity::types as wit;
use super::activity_writes::{Proposal, advance_revision, validate_and_write};
use super::plugin_data::{pseudonym, wit_channel};
use crate::adapters::plugins::LoadedPlugin;
use crate::adapters::store::entities::{account, account_attribute, activity, contribution, contribution_report, moderation_action, remote_report};
use crate::adapters::store::is_unique_violation;
use crate::domain::account::ProcessRole;
use crate::domain::errors::FieldError;
use crate::domain::stored_json::{self, JsonProblem};
use crate::domain::language::Language;
use crate::domain::participation::{Channel, ContributionStatus, generate_reference};
use crate::domain::process::ProcessStatus;
use crate::domain::text::bounded;

/// The largest contribution body, as JSON text: as people send it and as plugins normalise it.
pub const MAX_BODY_BYTES: usize = 64 << 10;
const MAX_IDEMPOTENCY_KEY: usize = 128;
const MAX_REFERENCE: usize = 64;
const MAX_REASON: usize = 1_000;

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "kind": "response", "body": { "answers": { "priority": "health", "why": "Waiting lists." } } }))]
pub struct NewContribution {
    /// One of the activity type's contribution kinds, e.g. `response`.
    pub kind: String,
    /// The contribution itself; its shape is the activity type's form.
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
    /// The language it is written in (default: the instance's default language).
    pub language: Option<String>,
    /// `online` (default) for your own input; facilitators enter `paper`, `phone` or
    /// `in_person` input on behalf of others.
    pub channel: Option<Channel>,
    /// Facilitated input: the account of the person it comes from, if they have one.
    pub on_behalf_of: Option<Uuid>,
    /// Facilitated input: your reference (the number on the paper form); generated when
    /// the person has no account and none is given.
    pub reference: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContributionEdit {
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
    pub language: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Shown publicly (for moderation) or to moderators (for reports).
    pub reason: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContributionView {
    pub id: Uuid,
    pub activity_id: Uuid,
    pub kind: String,
    /// The body as the plugin normalised it; null when hidden by moderators or withdrawn.
    #[schema(value_type = Option<Object>)]
    pub body: serde_json::Value,
    pub language: String,
    pub channel: Channel,
    pub status: ContributionStatus,
    /// Why moderators hid it.
    pub hidden_reason: Option<String>,
    /// Whether the viewer wrote it (or entered it for someone).
    pub mine: bool,
    /// The facilitator's reference, shown to them, the author and moderators.
    pub reference: Option<String>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// The organisers' current response, if any.
    pub response: Option<super::responses::ResponseView>,
    /// Federated input: where it came from.
    pub origin: Option<ContributionOrigin>,
}

/// Where federated input came from. Like a local author, the remote author is not shown to
/// everyone, only to the process's moderators.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContributionOrigin {
    /// The instance, `host[:port]`.
    pub instance: String,
    /// The author's ActivityPub id (moderators only).
    pub author: Option<String>,
    pub author_name: Option<String>,
}

/// Organisers and facilitators moderate and see facilitators' references (the powers rule).
fn is_moderator(viewer: Option<&Viewer>, role: Option<ProcessRole>) -> bool {
    crate::domain::powers::Powers::of(viewer.is_some_and(|v| v.is_admin), role).moderate
}

fn owns(c: &contribution::Model, viewer: Option<&Viewer>) -> bool {
    viewer.is_some_and(|v| c.entered_by == Some(v.account_id) || (c.entered_by.is_none() && c.author_id == Some(v.account_id)))
}

pub(super) fn view_of(c: contribution::Model, viewer: Option<&Viewer>, moderator: bool, response: Option<super::responses::ResponseView>) -> ContributionView {
    let status = ContributionStatus::from_stored(&c.status).unwrap_or(ContributionStatus::Visible);
    let mine = owns(&c, viewer) || viewer.is_some_and(|v| c.author_id == Some(v.account_id));
    let body = if status == ContributionStatus::Hidden && !moderator { serde_json::Value::Null } else { serde_json::from_str(&c.body).unwrap_or_default() };
    let origin = c.origin_instance.map(|instance| ContributionOrigin {
        instance,
        author: if moderator { c.remote_author } else { None },
        author_name: if moderator { c.remote_author_name } else { None },
    });
    ContributionView {
        origin,
        reference: if mine || moderator { c.reference } else { None },
        mine,
        body,
        status,
        hidden_reason: c.hidden_reason,
        channel: Channel::from_stored(&c.channel).unwrap_or(Channel::Online),
        id: c.id,
        activity_id: c.activity_id,
        kind: c.kind,
        language: c.language,
        created_at: c.created_at,
        edited_at: c.edited_at,
        response,
    }
}

/// The outcome of a submission: created now, or the earlier one with the same idempotency key.
pub enum Submitted {
    Created(ContributionView),
    Replayed(ContributionView),
}

fn language_of(ctx: &AppContext, tag: Option<&str>) -> AppResult<Language> {
    match tag {
        None => Ok(ctx.settings.instance.default_language.clone()),
        Some(tag) => Language::parse(tag)
            .ok()
            .filter(|l| ctx.settings.instance.languages.contains(l))
            .ok_or_else(|| AppError::invalid("language", format!("`{tag}` is not a language this instance offers"))),
    }
}

/// A body as people send it, held to the rule plugins' normalised bodies are held to.
fn body_text(body: &serde_json::Value) -> AppResult<String> {
    let text = body.to_string();
    match stored_json::check(&text, MAX_BODY_BYTES) {
        Ok(_) => Ok(text),
        Err(p @ JsonProblem::TooLarge { .. }) => Err(AppError::TooLarge(FieldError::new("body", p.to_string()))),
        Err(p) => Err(AppError::invalid("body", p.to_string())),
    }
}

/// Why someone may not contribute a kind online now, for a page to put in words. The same
/// rules `submit` enforces (it turns them into its errors), asked in advance by
/// [`online_kinds`], so that a page shows only the forms a viewer may send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not signed in (the activity is open).
    SignIn,
    /// The process is not published: a draft, or archived.
    ProcessNotOpen,
    /// The activity opens later.
    NotYetOpen(Option<DateTime<Utc>>),
    /// The activity has closed.
    Closed(Option<DateTime<Utc>>),
    /// Observers follow a process; they do not contribute to it.
    Observer,
    /// The kind is submitted in these roles only (`participant`, `facilitator`, `organiser`).
    Roles(Vec<&'static str>),
    /// The activity takes contributions from accounts holding this verified attribute only.
    Attribute(String),
}

/// The activity must be open and its process published.
pub(super) fn open_refusal(a: &activity::Model, visible: &Visible) -> Option<Refusal> {
    if visible.process.status != ProcessStatus::Published.as_str() {
        return Some(Refusal::ProcessNotOpen);
    }
    match state_at(a, now()) {
        ActivityState::Open => None,
        ActivityState::Upcoming => Some(Refusal::NotYetOpen(a.opens_at)),
        ActivityState::Closed => Some(Refusal::Closed(a.closes_at)),
    }
}

fn ensure_open(a: &activity::Model, visible: &Visible) -> AppResult<()> {
    match open_refusal(a, visible) {
        None => Ok(()),
        Some(Refusal::NotYetOpen(opens)) => {
            let opens = opens.map(|o| o.to_rfc3339()).unwrap_or_default();
            Err(AppError::conflict("activity", format!("is not open yet; it opens at {opens}")))
        }
        Some(Refusal::Closed(closed)) => {
            let closed = closed.map(|c| c.to_rfc3339()).unwrap_or_default();
            Err(AppError::conflict("activity", format!("closed at {closed}; contributions can no longer be made or changed")))
        }
        Some(_) => Err(AppError::conflict("activity", format!("its process is {}, not open for contributions", visible.process.status))),
    }
}

/// Whether `author` lacks the verified attribute the activity requires (its name if so).
async fn missing_attribute(ctx: &AppContext, a: &activity::Model, author: Option<Uuid>) -> AppResult<Option<String>> {
    let (Some(name), Some(author)) = (&a.requires_attribute, author) else { return Ok(None) };
    let held = account_attribute::Entity::find_by_id((author, name.clone())).one(&ctx.db).await?.is_some();
    Ok((!held).then(|| name.clone()))
}

/// An activity for verified people only: the author must hold the attribute. Anonymous
/// facilitated input is vouched for by the facilitator who enters it.
async fn ensure_verified(ctx: &AppContext, a: &activity::Model, origin: &Origin) -> AppResult<()> {
    let Some(name) = missing_attribute(ctx, a, origin.author_id).await? else { return Ok(()) };
    let whose = if origin.entered_by.is_some() { "the person you enter this for does not" } else { "your account does not" };
    Err(AppError::Forbidden(format!(
        "this activity takes contributions from verified `{name}` accounts only, and {whose} hold that attribute; claim it against the census (POST /api/v1/me/attributes/claim) or ask an administrator"
    )))
}

fn wit_role(role: Option<ProcessRole>, is_admin: bool) -> wit::SubmitterRole {
    match role {
        Some(ProcessRole::Organiser) => wit::SubmitterRole::Organiser,
        Some(ProcessRole::Facilitator) => wit::SubmitterRole::Facilitator,
        _ if is_admin => wit::SubmitterRole::Organiser,
        _ => wit::SubmitterRole::Participant,
    }
}

/// The roles that submit `kind`, when `role` is not one of them (its `submitted-by` rule).
pub(super) fn role_refusal(plugin: &LoadedPlugin, kind: &str, role: wit::SubmitterRole) -> Option<Vec<&'static str>> {
    let k = plugin.info.contribution_kinds.iter().find(|k| k.id == kind)?;
    if k.submitted_by.is_empty() || k.submitted_by.contains(&role) {
        return None;
    }
    Some(k.submitted_by.iter().map(|r| crate::adapters::plugins::view::role(*r)).collect())
}

/// The kind's `submitted-by` rule, enforced before the plugin is asked.
fn ensure_role_may_submit(plugin: &LoadedPlugin, kind: &str, role: wit::SubmitterRole) -> AppResult<()> {
    match role_refusal(plugin, kind, role) {
        None => Ok(()),
        Some(who) => Err(AppError::Forbidden(format!("`{kind}` contributions are submitted by the process's {} only", who.join(" and ")))),
    }
}

/// A contribution kind of an activity, and whether the viewer may send it online now.
#[derive(Debug)]
pub struct KindAccess {
    pub id: String,
    pub name: crate::domain::localized::LocalizedText,
    pub description: crate::domain::localized::LocalizedText,
    /// Why not, or None when the viewer may submit it (the plugin still checks the body).
    pub refusal: Option<Refusal>,
}

/// The activity's contribution kinds, each with whether the viewer may submit it online now,
/// by the rules `submit` applies (open activity in a published process, signed in, not an
/// observer, the required verified attribute, the kind's roles), in the order `submit` checks
/// them. What the plugin will say of a body is not known in advance.
pub async fn online_kinds(ctx: &AppContext, viewer: Option<&Viewer>, id: Uuid) -> AppResult<Vec<KindAccess>> {
    let (a, visible) = activities::load(ctx, viewer, id).await?;
    let plugin = plugins::runnable(ctx, &a.type_id, "activity").await?;
    let missing = match viewer {
        Some(v) => missing_attribute(ctx, &a, Some(v.account_id)).await?,
        None => None,
    };
    // What holds for every kind, in the order `submit` checks it.
    let common = if visible.role == Some(ProcessRole::Observer) {
        Some(Refusal::Observer)
    } else if let Some(closed) = open_refusal(&a, &visible) {
        Some(closed)
    } else if viewer.is_none() {
        Some(Refusal::SignIn)
    } else {
        missing.map(Refusal::Attribute)
    };
    let role = viewer.map(|v| wit_role(visible.role, v.is_admin));
    let text = |l: &wit::Localized| crate::domain::localized::LocalizedText::from_stored(crate::adapters::plugins::view::localized(l));
    Ok(plugin
        .info
        .contribution_kinds
        .iter()
        .map(|k| {
            let refusal = common.clone().or_else(|| role.and_then(|r| role_refusal(&plugin, &k.id, r)).map(Refusal::Roles));
            KindAccess { id: k.id.clone(), name: text(&k.name), description: text(&k.description), refusal }
        })
        .collect())
}

/// Who a submission is from, as the rules of its channel decide.
struct Origin {
    channel: Channel,
    author_id: Option<Uuid>,
    entered_by: Option<Uuid>,
    reference: Option<String>,
}

async fn origin_of(ctx: &AppContext, viewer: &Viewer, visible: &Visible, input: &NewContribution) -> AppResult<Origin> {
    let channel = input.channel.unwrap_or(Channel::Online);
    match channel {
        Channel::Federated => Err(AppError::invalid("channel", "federated input arrives from other instances, not through this endpoint")),
        Channel::Online => {
            if input.on_behalf_of.is_some() || input.reference.is_some() {
                let field = if input.on_behalf_of.is_some() { "on_behalf_of" } else { "reference" };
                return Err(AppError::invalid(field, "only for input a facilitator enters (channel paper, phone or in_person)"));
            }
            if visible.role == Some(ProcessRole::Observer) {
                return Err(AppError::Forbidden("observers follow a process; they do not contribute to it".into()));
            }
            Ok(Origin { channel, author_id: Some(viewer.account_id), entered_by: None, reference: None })
        }
        facilitated => {
            if !visible.powers(Some(viewer)).facilitate {
                return Err(AppError::Forbidden("only the process's facilitators and organisers enter input on behalf of others".into()));
            }
            if let Some(id) = input.on_behalf_of {
                // Nobody's input is entered for the deleted-account placeholder.
                account::Entity::find_by_id(id)
                    .filter(account::Column::Id.ne(super::accounts::DELETED_ACCOUNT))
                    .one(&ctx.db)
                    .await?
                    .ok_or_else(|| AppError::invalid("on_behalf_of", "no account with this id"))?;
            }
            let reference = match &input.reference {
                Some(r) => {
                    let r = bounded("reference", r, MAX_REFERENCE, false)?;
                    (!r.is_empty()).then_some(r)
                }
                None => None,
            };
            let reference = reference.or_else(|| input.on_behalf_of.is_none().then(|| generate_reference(facilitated)));
            Ok(Origin { channel, author_id: input.on_behalf_of, entered_by: Some(viewer.account_id), reference })
        }
    }
}

/// Participants contribute online; facilitators enter paper, phone and in-person input on
/// behalf of others ("entered by" them, linked to the person's account or anonymous with a
/// reference). The activity must be open, its process published and visible to the viewer;
/// the plugin checks the body. A retry with the same idempotency key returns the first
/// submission instead of storing a second.
pub async fn submit(ctx: &AppContext, viewer: &Viewer, id: Uuid, input: NewContribution, idempotency_key: Option<String>) -> AppResult<Submitted> {
    if let Some(key) = &idempotency_key {
        if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::bad_request("Idempotency-Key", format!("must be 1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters")));
        }
        if let Some(earlier) = by_idempotency_key(ctx, viewer, id, key).await? {
            return Ok(Submitted::Replayed(view_of(earlier, Some(viewer), false, None)));
        }
    }
    let (a, visible) = activities::load(ctx, Some(viewer), id).await?;
    let origin = origin_of(ctx, viewer, &visible, &input).await?;
    // Counted per submitting account (a replay above is not a new contribution). Input that a
    // facilitator enters from paper, phone or a meeting is exempt: they are the process's own
    // staff, and a stack of forms after a town hall is entered in one sitting.
    if origin.entered_by.is_none() {
        super::limits::hit(ctx, super::limits::Limit::ContributionsPerAccount, &viewer.account_id.to_string()).await?;
    }
    ensure_open(&a, &visible)?;
    ensure_verified(ctx, &a, &origin).await?;
    let plugin = plugins::runnable(ctx, &a.type_id, "activity").await?;
    check_kind(&plugin, &input.kind)?;
    // Facilitated input is the person's; online input is in the viewer's own role.
    let role = if origin.entered_by.is_some() { wit::SubmitterRole::Participant } else { wit_role(visible.role, viewer.is_admin) };
    ensure_role_may_submit(&plugin, &input.kind, role)?;
    let language = language_of(ctx, input.language.as_deref())?;
    let body = body_text(&input.body)?;

    let id = Uuid::now_v7();
    let proposal = Proposal {
        kind: input.kind.clone(),
        body,
        submitter: wit::Submitter {
            id: pseudonym(ctx.settings.census_secret.expose(), a.id, origin.author_id, origin.reference.as_deref(), id),
            role,
            channel: wit_channel(origin.channel),
        },
        editing: None,
    };
    let insert = async |txn: &sea_orm::DatabaseTransaction, normalised: String| -> AppResult<contribution::Model> {
        let at = now();
        let row = contribution::ActiveModel {
            id: Set(id),
            activity_id: Set(a.id),
            kind: Set(input.kind.clone()),
            body: Set(normalised),
            language: Set(language.as_str().to_string()),
            channel: Set(origin.channel.as_str().into()),
            status: Set(ContributionStatus::Visible.as_str().into()),
            author_id: Set(origin.author_id),
            entered_by: Set(origin.entered_by),
            reference: Set(origin.reference.clone()),
            idempotency_key: Set(idempotency_key.clone()),
            submitted_by: Set(idempotency_key.is_some().then_some(viewer.account_id)),
            hidden_reason: Set(None),
            edited_at: Set(None),
            withdrawn_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            origin_instance: Set(None),
            remote_author: Set(None),
            remote_author_name: Set(None),
            remote_object: Set(None),
        };
        Ok(row.insert(txn).await?)
    };
    match validate_and_write(ctx, a.id, &plugin, &proposal, insert).await {
        Ok(stored) => Ok(Submitted::Created(view_of(stored, Some(viewer), is_moderator(Some(viewer), visible.role), None))),
        Err(AppError::Db(e)) if is_unique_violation(&e) && idempotency_key.is_some() => {
            // The same submission raced itself; the first one won.
            let key = idempotency_key.unwrap_or_default();
            match by_idempotency_key(ctx, viewer, a.id, &key).await? {
                Some(earlier) => Ok(Submitted::Replayed(view_of(earlier, Some(viewer), false, None))),
                None => Err(AppError::conflict("Idempotency-Key", "is in use by a submission that is not finished; try again")),
            }
        }
        Err(e) => Err(e),
    }
}

/// A contribution from another instance: a person there, or a linked process's report.
#[derive(Debug, Clone)]
pub struct RemoteContribution {
    pub activity_id: Uuid,
    pub kind: String,
    pub body: serde_json::Value,
    pub language: Option<String>,
    /// `host[:port]` of the instance it comes from.
    pub origin_instance: String,
    /// The author's ActivityPub id, and the name it gives.
    pub author: String,
    pub author_name: Option<String>,
    /// The id of the object it arrived as: the same object twice is stored once.
    pub object_id: String,
}

/// Takes a contribution from another instance with the same checks and the same plugin as
/// local input, for a kind the activity type lets people elsewhere send (`remote-allowed`),
/// in a process that federates. Returns the contribution and whether it is new (a second
/// delivery of the same object returns the first).
pub async fn submit_remote(ctx: &AppContext, input: RemoteContribution) -> AppResult<(ContributionView, bool)> {
    if let Some(earlier) = contribution::Entity::find().filter(contribution::Column::RemoteObject.eq(input.object_id.as_str())).one(&ctx.db).await? {
        return Ok((view_of(earlier, None, false, None), false));
    }
    let (a, visible) = activities::load(ctx, None, input.activity_id).await?;
    if !super::federation::actors::federates(&visible.process) {
        return Err(AppError::NotFound("activity"));
    }
    super::limits::hit(ctx, super::limits::Limit::ContributionsPerAccount, &input.author).await?;
    ensure_open(&a, &visible)?;
    if let Some(name) = &a.requires_attribute {
        return Err(AppError::Forbidden(format!("this activity takes contributions from accounts verified `{name}` on its own instance only")));
    }
    let plugin = plugins::runnable(ctx, &a.type_id, "activity").await?;
    check_kind(&plugin, &input.kind)?;
    if !plugin.info.contribution_kinds.iter().any(|k| k.id == input.kind && k.remote_allowed) {
        return Err(AppError::Forbidden(format!("`{}` contributions cannot be sent from another instance", input.kind)));
    }
    ensure_role_may_submit(&plugin, &input.kind, wit::SubmitterRole::Participant)?;
    let language = language_of(ctx, input.language.as_deref())?;
    let body = body_text(&input.body)?;
    let id = Uuid::now_v7();
    // A stable pseudonym per remote author (NUL cannot be in a facilitator's reference).
    let who = format!("\0remote\0{}", input.author);
    let proposal = Proposal {
        kind: input.kind.clone(),
        body,
        submitter: wit::Submitter {
            id: pseudonym(ctx.settings.census_secret.expose(), a.id, None, Some(&who), id),
            role: wit::SubmitterRole::Participant,
            channel: wit_channel(Channel::Federated),
        },
        editing: None,
    };
    let insert = async |txn: &sea_orm::DatabaseTransaction, normalised: String| -> AppResult<contribution::Model> {
        let at = now();
        let row = contribution::ActiveModel {
            id: Set(id),
            activity_id: Set(a.id),
            kind: Set(input.kind.clone()),
            body: Set(normalised),
            language: Set(language.as_str().to_string()),
            channel: Set(Channel::Federated.as_str().into()),
            status: Set(ContributionStatus::Visible.as_str().into()),
            author_id: Set(None),
            entered_by: Set(None),
            reference: Set(None),
            idempotency_key: Set(None),
            submitted_by: Set(None),
            hidden_reason: Set(None),
            edited_at: Set(None),
            withdrawn_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            origin_instance: Set(Some(input.origin_instance.clone())),
            remote_author: Set(Some(input.author.clone())),
            remote_author_name: Set(input.author_name.clone()),
            remote_object: Set(Some(input.object_id.clone())),
        };
        Ok(row.insert(txn).await?)
    };
    match validate_and_write(ctx, a.id, &plugin, &proposal, insert).await {
        Ok(stored) => Ok((view_of(stored, None, false, None), true)),
        Err(AppError::Db(e)) if is_unique_violation(&e) => {
            // The same object raced itself; the first delivery won.
            let earlier = contribution::Entity::find()
                .filter(contribution::Column::RemoteObject.eq(input.object_id.as_str()))
                .one(&ctx.db)
                .await?
                .ok_or(AppError::conflict("object", "is being stored by another delivery; try again"))?;
            Ok((view_of(earlier, None, false, None), false))
        }
        Err(e) => Err(e),
    }
}

/// An earlier submission to this activity by the same account (their own input, or input they
/// entered for others) with this key.
async fn by_idempotency_key(ctx: &AppContext, viewer: &Viewer, activity_id: Uuid, key: &str) -> AppResult<Option<contribution::Model>> {
    Ok(contribution::Entity::find()
        .filter(contribution::Column::SubmittedBy.eq(viewer.account_id))
        .filter(contribution::Column::ActivityId.eq(activity_id))
        .filter(contribution::Column::IdempotencyKey.eq(key))
        .one(&ctx.db)
        .await?)
}

/// A contribution with its activity and process, if the viewer may see the process.
async fn load(ctx: &AppContext, viewer: Option<&Viewer>, id: Uuid) -> AppResult<(contribution::Model, activity::Model, Visible)> {
    let found = contribution::Entity::find_by_id(id).one(&ctx.db).await?;
    // The same queries for a missing contribution as for a hidden one (see activities::load).
    let loaded = activities::load(ctx, viewer, found.as_ref().map_or(Uuid::nil(), |c| c.activity_id)).await;
    let c = found.ok_or(AppError::NotFound("contribution"))?;
    let (a, visible) = loaded.map_err(|e| if matches!(e, AppError::NotFound(_)) { AppError::NotFound("contribution") } else { e })?;
    if c.status == ContributionStatus::Withdrawn.as_str() && !owns(&c, viewer) {
        return Err(AppError::NotFound("contribution"));
    }
    Ok((c, a, visible))
}

/// The author's (or the entering facilitator's) own contribution, still changeable.
async fn load_own_open(ctx: &AppContext, viewer: &Viewer, id: Uuid) -> AppResult<(contribution::Model, activity::Model, Visible)> {
    let (c, a, visible) = load(ctx, Some(viewer), id).await?;
    if !owns(&c, Some(viewer)) {
        return Err(AppError::Forbidden("only its author (or the facilitator who entered it) may change a contribution".into()));
    }
    if c.status != ContributionStatus::Visible.as_str() {
        return Err(AppError::conflict("contribution", format!("is {}; it can no longer change", c.status)));
    }
    ensure_open(&a, &visible)?;
    Ok((c, a, visible))
}

pub async fn get(ctx: &AppContext, viewer: Option<&Viewer>, id: Uuid) -> AppResult<ContributionView> {
    let (c, _, visible) = load(ctx, viewer, id).await?;
    let response = super::responses::current(ctx, &[c.id]).await?.remove(&c.id);
    Ok(view_of(c, viewer, is_moderator(viewer, visible.role), response))
}

/// Changes the body while the activity is open; the plugin checks it again.
pub async fn edit(ctx: &AppContext, viewer: &Viewer, id: Uuid, input: ContributionEdit) -> AppResult<ContributionView> {
    let (c, a, visible) = load_own_open(ctx, viewer, id).await?;
    let plugin = plugins::runnable(ctx, &a.type_id, "activity").await?;
    let language = match &input.language {
        Some(tag) => language_of(ctx, Some(tag))?,
        None => Language::parse(&c.language).unwrap_or_else(|_| ctx.settings.instance.default_language.clone()),
    };
    let body = body_text(&input.body)?;
    let channel = Channel::from_stored(&c.channel).unwrap_or(Channel::Online);
    let role = if c.entered_by.is_some() { wit::SubmitterRole::Participant } else { wit_role(visible.role, viewer.is_admin) };
    let proposal = Proposal {
        kind: c.kind.clone(),
        body,
        submitter: wit::Submitter {
            id: pseudonym(ctx.settings.census_secret.expose(), a.id, c.author_id, c.reference.as_deref(), c.id),
            role,
            channel: wit_channel(channel),
        },
        editing: Some(c.id),
    };
    let update = async |txn: &sea_orm::DatabaseTransaction, normalised: String| -> AppResult<contribution::Model> {
        let at = now();
        let row = contribution::ActiveModel {
            id: Set(c.id),
            body: Set(normalised),
            language: Set(language.as_str().to_string()),
            edited_at: Set(Some(at)),
            updated_at: Set(at),
            ..Default::default()
        };
        Ok(row.update(txn).await?)
    };
    let updated = validate_and_write(ctx, a.id, &plugin, &proposal, update).await?;
    Ok(view_of(updated, Some(viewer), is_moderator(Some(viewer), visible.role), None))
}

/// Takes a contribution back while the activity is open. It leaves lists and results.
pub async fn withdraw(ctx: &AppContext, viewer: &Viewer, id: Uuid) -> AppResult<()> {
    let (c, a, _) = load_own_open(ctx, viewer, id).await?;
    let at = now();
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    contribution::ActiveModel {
        id: Set(c.id),
        status: Set(ContributionStatus::Withdrawn.as_str().into()),
        withdrawn_at: Set(Some(at)),
        updated_at: Set(at),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    // What plugins read has changed.
    advance_revision(&txn, a.id, None).await?;
    txn.commit().await?;
    Ok(())
}

/// An activity's contributions, oldest first, without who wrote them. Hidden ones stay in
/// place with the moderators' reason instead of their body; withdrawn ones are gone.
pub async fn list(ctx: &AppContext, viewer: Option<&Viewer>, activity_id: Uuid, page: &PageParams) -> AppResult<Page<ContributionView>> {
    let req = page.parse()?;
    let (a, visible) = activities::load(ctx, viewer, activity_id).await?;
    let mut query = contribution::Entity::find()
        .filter(contribution::Column::ActivityId.eq(a.id))
        .filter(contribution::Column::Status.ne(ContributionStatus::Withdrawn.as_str()))
        .order_by_asc(contribution::Column::Id)
        .limit(req.limit + 1);
    if let Some(after) = req.after {
        query = query.filter(contribution::Column::Id.gt(after));
    }
    let rows = query.all(&ctx.db).await?;
    let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
    let mut responses = super::responses::current(ctx, &ids).await?;
    let moderator = is_moderator(viewer, visible.role);
    Ok(Page::from_rows(rows, req, |c| c.id, |c| {
        let response = responses.remove(&c.id);
        view_of(c, viewer, moderator, response)
    }))
}

fn reason_text(input: &Reason) -> AppResult<String> {
    let reason = bounded("reason", &input.reason, MAX_REASON, true)?;
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "say why, in a sentence"));
    }
    Ok(reason)
}

/// Anyone who can see a contribution may report it, once.
pub async fn report(ctx: &AppContext, viewer: &Viewer, id: Uuid, input: Reason) -> AppResult<()> {
    // Who may act is decided before what they sent is checked: a 422 would tell that the
    // contribution exists.
    let (c, _, _) = load(ctx, Some(viewer), id).await?;
    let reason = reason_text(&input)?;
    super::limits::hit(ctx, super::limits::Limit::ReportsPerAccount, &viewer.account_id.to_string()).await?;
    contribution_report::ActiveModel { contribution_id: Set(c.id), reporter_id: Set(viewer.account_id), reason: Set(reason), created_at: Set(now()) }
        .insert(&ctx.db)
        .await
        .map_err(|e| if is_unique_violation(&e) { AppError::conflict("contribution", "you have already reported it") } else { e.into() })?;
    Ok(())
}

/// A report from a person on another instance (an ActivityPub `Flag` naming this contribution):
/// into the moderation queue like a local one, once per reporter. Only contributions of
/// processes that federate can be reported from elsewhere; anything else is "not found".
pub async fn report_remote(ctx: &AppContext, id: Uuid, reporter: &str, reason: &str) -> AppResult<bool> {
    let c = contribution::Entity::find_by_id(id).one(&ctx.db).await?.ok_or(AppError::NotFound("contribution"))?;
    let (_, visible) = activities::load(ctx, None, c.activity_id).await.map_err(|_| AppError::NotFound("contribution"))?;
    if !super::federation::actors::federates(&visible.process) || c.status == ContributionStatus::Withdrawn.as_str() {
        return Err(AppError::NotFound("contribution"));
    }
    super::limits::hit(ctx, super::limits::Limit::ReportsPerAccount, reporter).await?;
    let reason: String = reason.trim().chars().take(2_000).collect();
    let reason = if reason.is_empty() { "reported from another instance".to_string() } else { reason };
    let inserted = remote_report::Entity::insert(remote_report::ActiveModel {
        contribution_id: Set(c.id),
        reporter: Set(reporter.to_string()),
        reason: Set(reason),
        created_at: Set(now()),
    })
    .on_conflict_do_nothing()
    .exec(&ctx.db)
    .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(_)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ModerationEntry {
    pub contribution_id: Uuid,
    /// `hidden` or `restored`.
    pub action: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// Moderators hide a contribution (or restore it) with a reason everyone sees; the action goes
/// to the process's public moderation log and the ledger.
pub async fn moderate(ctx: &AppContext, viewer: &Viewer, id: Uuid, input: Reason, hide: bool) -> AppResult<ContributionView> {
    let (c, _, visible) = load(ctx, Some(viewer), id).await?;
    if !is_moderator(Some(viewer), visible.role) {
        return Err(AppError::Forbidden("only the process's organisers and facilitators moderate".into()));
    }
    let reason = reason_text(&input)?;
    let (from, to, action) = if hide {
        (ContributionStatus::Visible, ContributionStatus::Hidden, "hidden")
    } else {
        (ContributionStatus::Hidden, ContributionStatus::Visible, "restored")
    };
    if c.status != from.as_str() {
        return Err(AppError::conflict("contribution", format!("is {}, not {}", c.status, from.as_str())));
    }
    let at = now();
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let updated = contribution::ActiveModel {
        id: Set(c.id),
        status: Set(to.as_str().into()),
        hidden_reason: Set(hide.then(|| reason.clone())),
        updated_at: Set(at),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    advance_revision(&txn, c.activity_id, None).await?;
    moderation_action::ActiveModel {
        id: Set(Uuid::now_v7()),
        process_id: Set(visible.process.id),
        contribution_id: Set(c.id),
        action: Set(action.into()),
        reason: Set(reason.clone()),
        moderator_id: Set(Some(viewer.account_id)),
        created_at: Set(at),
    }
    .insert(&txn)
    .await?;
    let payload = serde_json::json!({ "contribution": c.id, "reason": reason });
    super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Process(visible.process.id), &format!("contribution.{action}"), payload).await?;
    // Input from elsewhere: its author's instance hears of it too.
    super::federation::replies::tell_moderation(ctx, &txn, &visible.process, &updated, action, &reason).await?;
    txn.commit().await?;
    super::federation::delivery::wake(ctx);
    Ok(view_of(updated, Some(viewer), true, None))
}

/// The public moderation log of a process, newest first.
pub async fn moderation_log(ctx: &AppContext, viewer: Option<&Viewer>, process_key: &str) -> AppResult<Vec<ModerationEntry>> {
    let v = super::processes::load_visible(ctx, viewer, process_key).await?;
    let rows = moderation_action::Entity::find()
        .filter(moderation_action::Column::ProcessId.eq(v.process.id))
        .order_by_desc(moderation_action::Column::Id)
        .all(&ctx.db)
        .await?;
    Ok(rows.into_iter().map(|m| ModerationEntry { contribution_id: m.contribution_id, action: m.action, reason: m.reason, at: m.created_at }).collect())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportedContribution {
    pub contribution_id: Uuid,
    pub status: ContributionStatus,
    pub reports: usize,
    pub reasons: Vec<String>,
}

/// What people reported in a process, most reported first (moderators only).
pub async fn reports(ctx: &AppContext, viewer: &Viewer, process_key: &str) -> AppResult<Vec<ReportedContribution>> {
    let v = super::processes::load_visible(ctx, Some(viewer), process_key).await?;
    if !is_moderator(Some(viewer), v.role) {
        return Err(AppError::Forbidden("only the process's organisers and facilitators see reports".into()));
    }
    let activity_ids: Vec<Uuid> = activity::Entity::find()
        .filter(activity::Column::ProcessId.eq(v.process.id))
        .select_only()
        .column(activity::Column::Id)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let contributions = contribution::Entity::find().filter(contribution::Column::ActivityId.is_in(activity_ids.clone())).select_only().column(contribution::Column::Id);
    let rows = contribution_report::Entity::find()
        .filter(contribution_report::Column::ContributionId.in_subquery(sea_orm::QueryTrait::into_query(contributions)))
        .all(&ctx.db)
        .await?;
    let mut by: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
    for r in rows {
        by.entry(r.contribution_id).or_default().push(r.reason);
    }
    // Reports from people on other instances (ActivityPub `Flag`) join the same queue.
    let contributions = contribution::Entity::find()
        .filter(contribution::Column::ActivityId.is_in(activity_ids.clone()))
        .select_only()
        .column(contribution::Column::Id);
    for r in remote_report::Entity::find()
        .filter(remote_report::Column::ContributionId.in_subquery(sea_orm::QueryTrait::into_query(contributions)))
        .all(&ctx.db)
        .await?
    {
        by.entry(r.contribution_id).or_default().push(r.reason);
    }
    let statuses: BTreeMap<Uuid, String> = contribution::Entity::find()
        .filter(contribution::Column::Id.is_in(by.keys().copied().collect::<Vec<_>>()))
        .select_only()
        .columns([contribution::Column::Id, contribution::Column::Status])
        .into_tuple::<(Uuid, String)>()
        .all(&ctx.db)
        .await?
        .into_iter()
        .collect();
    let mut out: Vec<ReportedContribution> = by
        .into_iter()
        .map(|(id, reasons)| ReportedContribution {
            contribution_id: id,
            status: statuses.get(&id).and_then(|s| ContributionStatus::from_stored(s)).unwrap_or(ContributionStatus::Visible),
            reports: reasons.len(),
            reasons,
        })
        .collect();
    out.sort_by(|a, b| b.reports.cmp(&a.reports));
    Ok(out)
}
