//! Activities of a process, each of an installed activity type and configured by its
//! organisers (the type's plugin checks the configuration), with their forms and results.
//! Contributions to them are in `contributions`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use super::error::AppResult;
use super::processes::{self, Visible};
use super::{AppContext, AppError, Viewer, now, plugins};
use crate::adapters::plugins::bindings::convene::activity::types as wit;
use crate::adapters::plugins::{CallContext, LoadedPlugin};
use crate::adapters::store::entities::activity;
use crate::domain::account::attribute_name;
use crate::domain::errors::{FieldError, FieldErrors};
use crate::domain::localized::{LocalizedText, TextRule};
use crate::domain::process::ProcessStatus;

type TextMap = BTreeMap<String, String>;

/// The largest activity configuration, as JSON text.
pub const MAX_CONFIG_BYTES: usize = 256 << 10;

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
    /// Only people holding this verified attribute (e.g. `resident`, granted by an admin or
    /// claimed against the census) may contribute.
    pub requires_attribute: Option<String>,
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
    pub requires_attribute: Option<String>,
    /// Whether contributions are accepted now (the process must also be published).
    pub state: ActivityState,
    /// The draw seed's commitment, and the seed once revealed.
    pub seed: Option<super::draw_seeds::SeedView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(super) fn state_at(a: &activity::Model, at: DateTime<Utc>) -> ActivityState {
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
        seed: super::draw_seeds::view(&a),
        config: serde_json::from_str(&a.config).unwrap_or_default(),
        id: a.id,
        process_id: a.process_id,
        type_id: a.type_id,
        title: LocalizedText::from_stored(a.title),
        description: LocalizedText::from_stored(a.description),
        opens_at: a.opens_at,
        closes_at: a.closes_at,
        requires_attribute: a.requires_attribute,
        created_at: a.created_at,
        updated_at: a.updated_at,
    }
}

/// Plugin field paths are relative to what the plugin saw; make them paths in the request.
pub(super) fn prefixed(prefix: &str, errors: Vec<wit::FieldError>) -> Vec<FieldError> {
    use crate::domain::plugin_text::excerpt;
    // The plugin's words, cut to short single lines, and not too many of them.
    const MAX_ERRORS: usize = 50;
    errors
        .into_iter()
        .take(MAX_ERRORS)
        .map(|e| {
            let field = if e.field.is_empty() { prefix.to_string() } else { format!("{prefix}.{}", excerpt(&e.field)) };
            FieldError::new(field, excerpt(&e.problem))
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
    let requires_attribute = input.requires_attribute.as_deref().and_then(|raw| errors.take(attribute_name("requires_attribute", raw)));
    if !input.config.is_object() {
        errors.push("config", "must be a JSON object");
    }
    let config = input.config.to_string();
    // The rule the plugin's normalised configuration is held to (`plugin_output`).
    if let Err(problem) = crate::domain::stored_json::check(&config, MAX_CONFIG_BYTES) {
        errors.push("config", problem.to_string());
    }
    errors.finish()?;

    let plugin = plugins::runnable(ctx, &input.type_id, "type").await?;
    let (verdict, _) = ctx
        .plugins
        .run_checked(&plugin, "validate-config", CallContext::empty(), move |a, s| a.call_validate_config(s, &config), super::plugin_output::normalised_config)
        .await?;
    let normalised = verdict.map_err(|e| AppError::Invalid(prefixed("config", e)))?;

    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
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
        requires_attribute: Set(requires_attribute),
        announced_state: Set(None),
        revision: Set(0),
        seed: Set(None),
        seed_committed_at: Set(None),
        seed_revealed_at: Set(None),
        kv_entries: Set(0),
        kv_bytes: Set(0),
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
    super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Process(process.id), "activity.created", payload).await?;
    txn.commit().await?;
    Ok(activity_view(model))
}

/// An activity and its process, if the viewer may see the process.
pub(crate) async fn load(ctx: &AppContext, viewer: Option<&Viewer>, id: Uuid) -> AppResult<(activity::Model, Visible)> {
    let found = activity::Entity::find_by_id(id).one(&ctx.db).await?;
    // A missing activity costs the same queries as one in a process the viewer may not see,
    // so the time of the 404 tells nothing.
    let process_key = found.as_ref().map_or(Uuid::nil(), |a| a.process_id).to_string();
    let visible = processes::load_visible(ctx, viewer, &process_key).await;
    let a = found.ok_or(AppError::NotFound("activity"))?;
    let visible = visible.map_err(|e| if matches!(e, AppError::NotFound(_)) { AppError::NotFound("activity") } else { e })?;
    Ok((a, visible))
}

pub async fn get(ctx: &AppContext, viewer: Option<&Viewer>, id: Uuid) -> AppResult<ActivityView> {
    Ok(activity_view(load(ctx, viewer, id).await?.0))
}

/// Closes an activity now (its process's organisers): no more contributions; everything it
/// holds stays. An activity already closed stays as it is.
pub async fn close_now(ctx: &AppContext, viewer: &Viewer, id: Uuid) -> AppResult<ActivityView> {
    let (a, _) = load(ctx, Some(viewer), id).await?;
    processes::load_managed(ctx, viewer, &a.process_id.to_string()).await?;
    let at = now();
    if a.closes_at.is_some_and(|c| c <= at) {
        return Ok(activity_view(a));
    }
    let mut model: activity::ActiveModel = a.into();
    model.closes_at = Set(Some(at));
    model.updated_at = Set(at);
    Ok(activity_view(model.update(&ctx.db).await?))
}

/// Any subset of an activity's settings (`PATCH /api/v1/activities/{id}`). `opens_at: null`
/// or `closes_at: null` removes that date.
#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityPatch {
    pub title: Option<TextMap>,
    pub description: Option<TextMap>,
    /// A new configuration, checked by the type's plugin. Only before the first contribution.
    #[schema(value_type = Option<Object>)]
    pub config: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub opens_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub closes_at: Option<Option<DateTime<Utc>>>,
}

/// Tells "absent" (None) from "null" (Some(None)).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// What may still change in an activity, by the rules of [`update`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Editable {
    /// Title, description and closing date: while the activity is not closed.
    pub any: bool,
    /// Configuration and opening date: also only while nobody has contributed.
    pub config: bool,
}

/// The rules of [`update`] for an activity as it is now.
pub async fn editable(ctx: &AppContext, a: &ActivityView) -> AppResult<Editable> {
    let any = a.state != ActivityState::Closed;
    let config = any && !has_contributions(&ctx.db, a.id).await?;
    Ok(Editable { any, config })
}

async fn has_contributions<C: sea_orm::ConnectionTrait>(db: &C, id: Uuid) -> AppResult<bool> {
    use crate::adapters::store::entities::contribution;
    Ok(contribution::Entity::find().filter(contribution::Column::ActivityId.eq(id)).count(db).await? > 0)
}

/// Changes an activity (its process's organisers), within these rules:
/// - a closed activity no longer changes (its contributions were made under what it says);
/// - its configuration and opening date change only until the first contribution (any
///   contribution, withdrawn or hidden ones too): what people answered must stay what they
///   were asked; a new configuration is checked by the type's plugin like at creation;
/// - a closing date set here must be in the future and after the opening date (closing at
///   once is `close_now`); `null` removes a date.
///
/// The public ledger records the activity's creation, closing and seed; an edit is not a
/// ledger event (the activity's page shows what it is now).
pub async fn update(ctx: &AppContext, viewer: &Viewer, id: Uuid, patch: ActivityPatch) -> AppResult<ActivityView> {
    let (a, _) = load(ctx, Some(viewer), id).await?;
    let Visible { process, .. } = processes::load_managed(ctx, viewer, &a.process_id.to_string()).await?;
    if process.status == ProcessStatus::Archived.as_str() {
        return Err(AppError::conflict("process", "is archived; it can no longer change"));
    }
    let at = now();
    if state_at(&a, at) == ActivityState::Closed {
        return Err(AppError::conflict("activity", "is closed; a closed activity no longer changes"));
    }
    let offered = &ctx.settings.instance.languages;
    let mut errors = FieldErrors::new();
    let title = patch.title.as_ref().map(|t| LocalizedText::required(&mut errors, "title", t, offered, TITLE));
    let description = patch.description.as_ref().map(|d| LocalizedText::optional(&mut errors, "description", d, offered, DESCRIPTION));
    let opens_at = patch.opens_at.unwrap_or(a.opens_at);
    let closes_at = patch.closes_at.unwrap_or(a.closes_at);
    if let (Some(o), Some(c)) = (opens_at, closes_at) {
        if c <= o {
            errors.push("closes_at", "must be after opens_at");
        }
    }
    if let Some(Some(c)) = patch.closes_at {
        if c <= at && Some(c) != a.closes_at {
            errors.push("closes_at", "must be in the future; to close the activity now, close it (POST /api/v1/activities/{id}/close)");
        }
    }
    let config = match &patch.config {
        Some(c) if !c.is_object() => {
            errors.push("config", "must be a JSON object");
            None
        }
        Some(c) => {
            let text = c.to_string();
            if let Err(problem) = crate::domain::stored_json::check(&text, MAX_CONFIG_BYTES) {
                errors.push("config", problem.to_string());
            }
            Some(text)
        }
        None => None,
    };
    errors.finish()?;
    let opens_changed = patch.opens_at.is_some_and(|o| o != a.opens_at);
    let config_changed = config.is_some();

    // The plugin checks the new configuration before anything is stored.
    let normalised = match config {
        Some(config) => {
            let plugin = plugins::runnable(ctx, &a.type_id, "activity").await?;
            let (verdict, _) = ctx
                .plugins
                .run_checked(&plugin, "validate-config", CallContext::empty(), move |p, s| p.call_validate_config(s, &config), super::plugin_output::normalised_config)
                .await?;
            Some(verdict.map_err(|e| AppError::Invalid(prefixed("config", e)))?)
        }
        None => None,
    };

    // Contributions to this activity take turns with this change on this server; across
    // servers, the revision read here must still be current when it is written.
    let _turn = ctx.activity_locks.lock(id).await;
    let current = activity::Entity::find_by_id(id).one(&ctx.db).await?.ok_or(AppError::NotFound("activity"))?;
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    if (config_changed || opens_changed) && has_contributions(&txn, id).await? {
        let field = if config_changed { "config" } else { "opens_at" };
        return Err(AppError::conflict(field, "can no longer change: people have already contributed to this activity"));
    }
    if !super::activity_writes::advance_revision(&txn, id, Some(current.revision)).await? {
        return Err(AppError::conflict("activity", "was changed by someone else just now; try again"));
    }
    let mut model: activity::ActiveModel = current.into();
    if let Some(t) = &title {
        model.title = Set(t.to_json());
    }
    if let Some(d) = &description {
        model.description = Set(d.to_json());
    }
    if let Some(c) = normalised {
        model.config = Set(c);
    }
    model.opens_at = Set(opens_at);
    model.closes_at = Set(closes_at);
    model.updated_at = Set(at);
    let updated = model.update(&txn).await?;
    txn.commit().await?;
    let fresh = activity::Entity::find_by_id(id).one(&ctx.db).await?.unwrap_or(updated);
    Ok(activity_view(fresh))
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
    let plugin = plugins::runnable(ctx, &a.type_id, "activity").await?;
    check_kind(&plugin, kind)?;
    let kind = kind.to_string();
    let call = super::activity_writes::call_context(ctx, &a);
    let config = a.config.clone();
    let max_bytes = ctx.settings.plugins.limits.max_output_bytes;
    let keep = move |form| super::plugin_output::form(form, max_bytes);
    let (form, _) = ctx.plugins.run_checked(&plugin, "contribution-form", call, move |p, s| p.call_contribution_form(s, &config, &kind), keep).await?;
    form.map_err(|e| AppError::Invalid(prefixed("kind", e)))
}

pub(super) fn check_kind(plugin: &LoadedPlugin, kind: &str) -> AppResult<()> {
    let kinds: Vec<&str> = plugin.info.contribution_kinds.iter().map(|k| k.id.as_str()).collect();
    if kinds.contains(&kind) {
        Ok(())
    } else {
        Err(AppError::invalid("kind", format!("`{kind}` is not a contribution kind of {}; it takes: {}", plugin.id, kinds.join(", "))))
    }
}
