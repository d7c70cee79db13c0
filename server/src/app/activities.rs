//! Activities of a process (each of an installed activity type, configured by its organisers)
//! and the contributions people make to them. The activity's plugin validates the
//! configuration and every contribution body; the host enforces who, when and how much.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::AppResult;
use super::pagination::{Page, PageParams};
use super::processes::{self, Visible};
use super::{AppContext, AppError, Viewer, now, plugins};
use crate::adapters::plugins::bindings::convene::activity::types::{self as wit, Validation};
use crate::adapters::plugins::{CallContext, KvChanges, LoadedPlugin, view};
use crate::adapters::store::entities::{activity, activity_kv, contribution};
use crate::adapters::store::is_unique_violation;
use crate::domain::account::ProcessRole;
use crate::domain::errors::{FieldError, FieldErrors};
use crate::domain::language::Language;
use crate::domain::localized::{LocalizedText, TextRule};
use crate::domain::process::ProcessStatus;

type TextMap = BTreeMap<String, String>;

/// The largest contribution body, as JSON text.
pub const MAX_BODY_BYTES: usize = 64 << 10;
/// The largest activity configuration, as JSON text.
pub const MAX_CONFIG_BYTES: usize = 256 << 10;
const MAX_IDEMPOTENCY_KEY: usize = 128;

const TITLE: TextRule = TextRule { max_chars: 200, multiline: false };
const DESCRIPTION: TextRule = TextRule { max_chars: 10_000, multiline: true };

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActivity {
    /// An installed activity type, e.g. `org.convene.consultation` (see GET /api/v1/activity-types).
    #[serde(rename = "type")]
    pub type_id: String,
    pub title: TextMap,
    #[serde(default)]
    pub description: TextMap,
    /// The activity type's configuration (a consultation's questions...), checked by its plugin.
    #[serde(default = "empty_object")]
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    /// When contributions open (default: when the process is published).
    pub opens_at: Option<DateTime<Utc>>,
    /// When contributions close (default: never, until the process is archived).
    pub closes_at: Option<DateTime<Utc>>,
}

fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(Default::default())
}

#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ActivityState {
    Upcoming,
    Open,
    Closed,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActivityView {
    pub id: Uuid,
    pub process_id: Uuid,
    #[serde(rename = "type")]
    pub type_id: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: LocalizedText,
    #[schema(value_type = BTreeMap<String, String>)]
    pub description: LocalizedText,
    /// The configuration as the plugin normalised it.
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    /// Whether contributions are accepted now (the process must also be published).
    pub state: ActivityState,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn state_at(a: &activity::Model, at: DateTime<Utc>) -> ActivityState {
    if a.opens_at.is_some_and(|o| at < o) {
        ActivityState::Upcoming
    } else if a.closes_at.is_some_and(|c| at >= c) {
        ActivityState::Closed
    } else {
        ActivityState::Open
    }
}

fn activity_view(a: activity::Model) -> ActivityView {
    ActivityView {
        state: state_at(&a, now()),
        config: serde_json::from_str(&a.config).unwrap_or_default(),
        id: a.id,
        process_id: a.process_id,
        type_id: a.type_id,
        title: LocalizedText::from_stored(a.title),
        description: LocalizedText::from_stored(a.description),
        opens_at: a.opens_at,
        closes_at: a.closes_at,
        created_at: a.created_at,
        updated_at: a.updated_at,
    }
}

/// Plugin field paths are relative to what the plugin saw; make them paths in the request.
fn prefixed(prefix: &str, errors: Vec<wit::FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| {
            let field = if e.field.is_empty() { prefix.to_string() } else { format!("{prefix}.{}", e.field) };
            FieldError::new(field, e.problem)
        })
        .collect()
}

/// Adds an activity to a process (its organisers or an admin).
pub async fn create(ctx: &AppContext, viewer: &Viewer, process_key: &str, input: NewActivity) -> AppResult<ActivityView> {
    let Visible { process, .. } = processes::load_managed(ctx, viewer, process_key).await?;
    if process.status == ProcessStatus::Archived.as_str() {
        return Err(AppError::conflict("process", "is archived; it can no longer change"));
    }
    let offered = &ctx.settings.instance.languages;
    let mut errors = FieldErrors::new();
    let title = LocalizedText::required(&mut errors, "title", &input.title, offered, TITLE);
    let description = LocalizedText::optional(&mut errors, "description", &input.description, offered, DESCRIPTION);
    if let (Some(o), Some(c)) = (input.opens_at, input.closes_at) {
        if c <= o {
            errors.push("closes_at", "must be after opens_at");
        }
    }
    if !input.config.is_object() {
        errors.push("config", "must be a JSON object");
    }
    let config = input.config.to_string();
    if config.len() > MAX_CONFIG_BYTES {
        errors.push("config", format!("is {} bytes; the limit is {MAX_CONFIG_BYTES}", config.len()));
    }
    errors.finish()?;

    let plugin = plugins::runnable(ctx, &input.type_id).await?;
    let (verdict, _) = ctx.plugins.run(&plugin, "validate-config", CallContext::empty(), move |a, s| a.call_validate_config(s, &config)).await?;
    let normalised = verdict.map_err(|e| AppError::Invalid(prefixed("config", e)))?;
    if serde_json::from_str::<serde_json::Value>(&normalised).map(|v| !v.is_object()).unwrap_or(true) {
        return Err(AppError::Plugin {
            plugin: plugin.id.clone(),
            kind: "malformed",
            detail: format!("plugin {} returned a configuration that is not a JSON object", plugin.id),
        });
    }

    let txn = ctx.db.begin().await?;
    let position = activity::Entity::find().filter(activity::Column::ProcessId.eq(process.id)).count(&txn).await? as i32;
    let at = now();
    let model = activity::ActiveModel {
        id: Set(Uuid::now_v7()),
        process_id: Set(process.id),
        type_id: Set(plugin.id.clone()),
        position: Set(position),
        title: Set(title.to_json()),
        description: Set(description.to_json()),
        config: Set(normalised),
        opens_at: Set(input.opens_at),
        closes_at: Set(input.closes_at),
        created_by: Set(viewer.account_id),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await?;
    let payload = serde_json::json!({
        "activity": model.id, "type": model.type_id, "version": plugin.version, "title": model.title,
        "opens_at": model.opens_at, "closes_at": model.closes_at,
    });
    super::ledger::append(&txn, &ctx.ledger_key, "activity.created", Some(process.id), payload).await?;
    txn.commit().await?;
    Ok(activity_view(model))
}

/// An activity and its process, if the viewer may see the process.
async fn load(ctx: &AppContext, viewer: Option<&Viewer>, id: Uuid) -> AppResult<(activity::Model, Visible)> {
    let a = activity::Entity::find_by_id(id).one(&ctx.db).await?.ok_or(AppError::NotFound("activity"))?;
    let visible = processes::load_visible(ctx, viewer, &a.process_id.to_string())
        .await
        .map_err(|e| if matches!(e, AppError::NotFound(_)) { AppError::NotFound("activity") } else { e })?;
    Ok((a, visible))
}

pub async fn get(ctx: &AppContext, viewer: Option<&Viewer>, id: Uuid) -> AppResult<ActivityView> {
    Ok(activity_view(load(ctx, viewer, id).await?.0))
}

/// A process's activities in the order they were added.
pub async fn list(ctx: &AppContext, viewer: Option<&Viewer>, process_key: &str) -> AppResult<Vec<ActivityView>> {
    let v = processes::load_visible(ctx, viewer, process_key).await?;
    let rows = activity::Entity::find()
        .filter(activity::Column::ProcessId.eq(v.process.id))
        .order_by_asc(activity::Column::Position)
        .all(&ctx.db)
        .await?;
    Ok(rows.into_iter().map(activity_view).collect())
}

/// The form for one contribution kind, as the activity's plugin describes it under the
/// activity's configuration.
pub async fn form(ctx: &AppContext, viewer: Option<&Viewer>, id: Uuid, kind: &str) -> AppResult<serde_json::Value> {
    let (a, _) = load(ctx, viewer, id).await?;
    let plugin = plugins::runnable(ctx, &a.type_id).await?;
    check_kind(&plugin, kind)?;
    let kind = kind.to_string();
    let (form, _) = ctx.plugins.run(&plugin, "contribution-form", CallContext::empty(), move |p, s| p.call_contribution_form(s, &a.config, &kind)).await?;
    let fields = form.map_err(|e| AppError::Invalid(prefixed("kind", e)))?;
    Ok(view::form(&fields))
}

fn check_kind(plugin: &LoadedPlugin, kind: &str) -> AppResult<()> {
    let kinds: Vec<&str> = plugin.info.contribution_kinds.iter().map(|k| k.id.as_str()).collect();
    if kinds.contains(&kind) {
        Ok(())
    } else {
        Err(AppError::invalid("kind", format!("`{kind}` is not a contribution kind of {}; it takes: {}", plugin.id, kinds.join(", "))))
    }
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContribution {
    /// One of the activity type's contribution kinds, e.g. `response`.
    pub kind: String,
    /// The contribution itself; its shape is the activity type's form.
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
    /// The language it is written in (default: the instance's default language).
    pub language: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContributionView {
    pub id: Uuid,
    pub activity_id: Uuid,
    pub kind: String,
    /// The body as the plugin normalised it.
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
    pub language: String,
    /// online, paper, phone, in_person or federated.
    pub channel: String,
    pub status: String,
    /// Whether the viewer wrote it.
    pub mine: bool,
    pub created_at: DateTime<Utc>,
}

fn contribution_view(c: contribution::Model, viewer: Option<&Viewer>) -> ContributionView {
    ContributionView {
        mine: viewer.is_some_and(|v| c.author_id == Some(v.account_id)),
        body: serde_json::from_str(&c.body).unwrap_or_default(),
        id: c.id,
        activity_id: c.activity_id,
        kind: c.kind,
        language: c.language,
        channel: c.channel,
        status: c.status,
        created_at: c.created_at,
    }
}

/// The outcome of a submission: created now, or the earlier one with the same idempotency key.
pub enum Submitted {
    Created(ContributionView),
    Replayed(ContributionView),
}

/// A participant contributes online. The activity must be open, its process published and
/// visible to them; the plugin checks the body. A retry with the same idempotency key returns
/// the first submission instead of storing a second.
pub async fn submit(ctx: &AppContext, viewer: &Viewer, id: Uuid, input: NewContribution, idempotency_key: Option<String>) -> AppResult<Submitted> {
    if let Some(key) = &idempotency_key {
        if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::bad_request("Idempotency-Key", format!("must be 1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters")));
        }
        if let Some(earlier) = by_idempotency_key(ctx, viewer, key).await? {
            return replay(earlier, id, viewer);
        }
    }
    let (a, visible) = load(ctx, Some(viewer), id).await?;
    if visible.role == Some(ProcessRole::Observer) {
        return Err(AppError::Forbidden("observers follow a process; they do not contribute to it".into()));
    }
    if visible.process.status != ProcessStatus::Published.as_str() {
        return Err(AppError::conflict("activity", format!("its process is {}, not open for contributions", visible.process.status)));
    }
    match state_at(&a, now()) {
        ActivityState::Open => {}
        ActivityState::Upcoming => {
            let opens = a.opens_at.map(|o| o.to_rfc3339()).unwrap_or_default();
            return Err(AppError::conflict("activity", format!("is not open yet; it opens at {opens}")));
        }
        ActivityState::Closed => {
            let closed = a.closes_at.map(|c| c.to_rfc3339()).unwrap_or_default();
            return Err(AppError::conflict("activity", format!("closed at {closed}; it no longer takes contributions")));
        }
    }
    let plugin = plugins::runnable(ctx, &a.type_id).await.map_err(|e| match e {
        AppError::Conflict(f) => AppError::conflict("activity", f.problem),
        other => other,
    })?;
    check_kind(&plugin, &input.kind)?;
    let language = match &input.language {
        None => ctx.settings.instance.default_language.clone(),
        Some(tag) => Language::parse(tag)
            .ok()
            .filter(|l| ctx.settings.instance.languages.contains(l))
            .ok_or_else(|| AppError::invalid("language", format!("`{tag}` is not a language this instance offers")))?,
    };
    let body = input.body.to_string();
    if body.len() > MAX_BODY_BYTES {
        return Err(AppError::TooLarge(FieldError::new("body", format!("is {} bytes; the limit is {MAX_BODY_BYTES}", body.len()))));
    }

    let call = CallContext { activity: a.id.to_string(), kv: kv_of(ctx, a.id).await?, ..CallContext::empty() };
    let (verdict, kv_changes) = ctx.plugins.validate_contribution(&plugin, call, a.config.clone(), input.kind.clone(), body).await?;
    let normalised = match verdict {
        Validation::Accepted(body) => body,
        Validation::Rejected(errors) => return Err(AppError::Invalid(prefixed("body", errors))),
    };

    let at = now();
    let txn = ctx.db.begin().await?;
    let stored = contribution::ActiveModel {
        id: Set(Uuid::now_v7()),
        activity_id: Set(a.id),
        kind: Set(input.kind),
        body: Set(normalised),
        language: Set(language.as_str().to_string()),
        channel: Set("online".into()),
        status: Set("visible".into()),
        author_id: Set(Some(viewer.account_id)),
        entered_by: Set(None),
        idempotency_key: Set(idempotency_key.clone()),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await;
    let stored = match stored {
        Ok(m) => m,
        Err(e) if is_unique_violation(&e) && idempotency_key.is_some() => {
            // The same submission raced itself; the first one won.
            drop(txn);
            let key = idempotency_key.unwrap_or_default();
            let earlier = by_idempotency_key(ctx, viewer, &key).await?.ok_or(AppError::Db(e))?;
            return replay(earlier, id, viewer);
        }
        Err(e) => return Err(e.into()),
    };
    save_kv(&txn, a.id, kv_changes).await?;
    txn.commit().await?;
    Ok(Submitted::Created(contribution_view(stored, Some(viewer))))
}

async fn by_idempotency_key(ctx: &AppContext, viewer: &Viewer, key: &str) -> AppResult<Option<contribution::Model>> {
    Ok(contribution::Entity::find()
        .filter(contribution::Column::AuthorId.eq(viewer.account_id))
        .filter(contribution::Column::IdempotencyKey.eq(key))
        .one(&ctx.db)
        .await?)
}

fn replay(earlier: contribution::Model, activity_id: Uuid, viewer: &Viewer) -> AppResult<Submitted> {
    if earlier.activity_id != activity_id {
        return Err(AppError::conflict("Idempotency-Key", "was already used for a contribution to another activity"));
    }
    Ok(Submitted::Replayed(contribution_view(earlier, Some(viewer))))
}

async fn kv_of(ctx: &AppContext, activity_id: Uuid) -> AppResult<BTreeMap<String, Vec<u8>>> {
    let rows = activity_kv::Entity::find().filter(activity_kv::Column::ActivityId.eq(activity_id)).all(&ctx.db).await?;
    Ok(rows.into_iter().map(|r| (r.key, r.value)).collect())
}

async fn save_kv<C: sea_orm::ConnectionTrait>(db: &C, activity_id: Uuid, changes: KvChanges) -> AppResult<()> {
    for (key, change) in changes {
        activity_kv::Entity::delete_by_id((activity_id, key.clone())).exec(db).await?;
        if let Some(value) = change {
            activity_kv::ActiveModel { activity_id: Set(activity_id), key: Set(key), value: Set(value) }.insert(db).await?;
        }
    }
    Ok(())
}

/// An activity's visible contributions, oldest first, without who wrote them.
pub async fn contributions(ctx: &AppContext, viewer: Option<&Viewer>, id: Uuid, page: &PageParams) -> AppResult<Page<ContributionView>> {
    let req = page.parse()?;
    let (a, _) = load(ctx, viewer, id).await?;
    let mut query = contribution::Entity::find()
        .filter(contribution::Column::ActivityId.eq(a.id))
        .filter(contribution::Column::Status.eq("visible"))
        .order_by_asc(contribution::Column::Id)
        .limit(req.limit + 1);
    if let Some(after) = req.after {
        query = query.filter(contribution::Column::Id.gt(after));
    }
    let rows = query.all(&ctx.db).await?;
    Ok(Page::from_rows(rows, req, |c| c.id, |c| contribution_view(c, viewer)))
}

/// The activity's results, computed now by its plugin from its visible contributions.
pub async fn results(ctx: &AppContext, viewer: Option<&Viewer>, id: Uuid) -> AppResult<serde_json::Value> {
    let (a, _) = load(ctx, viewer, id).await?;
    let plugin = plugins::runnable(ctx, &a.type_id).await?;
    let rows = contribution::Entity::find()
        .filter(contribution::Column::ActivityId.eq(a.id))
        .filter(contribution::Column::Status.eq("visible"))
        .order_by_asc(contribution::Column::Id)
        .all(&ctx.db)
        .await?;
    let items: Vec<wit::Contribution> = rows
        .into_iter()
        .map(|c| wit::Contribution {
            id: c.id.to_string(),
            channel: channel_of(&c.channel),
            kind: c.kind,
            body: c.body,
            language: c.language,
            created_at: c.created_at.to_rfc3339(),
        })
        .collect();
    let call = CallContext { activity: a.id.to_string(), kv: kv_of(ctx, a.id).await?, contributions: Arc::new(items), ..CallContext::empty() };
    let config = a.config.clone();
    let (computed, _) = ctx.plugins.run(&plugin, "compute-results", call, move |p, s| p.call_compute_results(s, &config)).await?;
    let computed = computed.map_err(|message| AppError::Plugin {
        plugin: plugin.id.clone(),
        kind: "refused",
        detail: format!("plugin {} could not compute results: {message}", plugin.id),
    })?;
    Ok(view::results(&computed))
}

fn channel_of(stored: &str) -> wit::Channel {
    match stored {
        "paper" => wit::Channel::Paper,
        "phone" => wit::Channel::Phone,
        "in_person" => wit::Channel::InPerson,
        "federated" => wit::Channel::Federated,
        _ => wit::Channel::Online,
    }
}
