//! Processes: create, edit, publish, archive, read and list, with visibility enforced on every
//! read, and membership (organisers, facilitators, participants, observers).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use super::error::AppResult;
use super::pagination::{Page, PageParams};
use super::{AppContext, AppError, Viewer, now};
use crate::adapters::store::entities::{account, activity, commitment, milestone, phase, process, process_member, process_topic, topic};
use crate::adapters::store::is_unique_violation;
use crate::domain::account::{EmailAddress, ProcessRole};
use crate::domain::errors::{FieldError, FieldErrors};
use crate::domain::language::Language;
use crate::domain::localized::LocalizedText;
use crate::domain::process::{
    self as rules, Commitment, Iap2Level, Measure, Milestone, Phase, PhaseState, ProcessStatus, Scope, Visibility,
    can_view,
};
use crate::domain::ledger as ledger_rule;
use crate::domain::powers::Powers;
use crate::domain::{markdown, slug};

type TextMap = BTreeMap<String, String>;

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhaseInput {
    pub name: TextMap,
    #[serde(default)]
    pub description: TextMap,
    /// First day of the phase (YYYY-MM-DD).
    pub starts_on: NaiveDate,
    /// Last day of the phase, on or after `starts_on`.
    pub ends_on: NaiveDate,
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneInput {
    pub title: TextMap,
    #[serde(default)]
    pub description: TextMap,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentInput {
    /// The commitment in words, e.g. "We respond to every contribution within 30 days of the close".
    pub text: TextMap,
    /// The measurable part, checked later against what happened.
    pub measure: Option<Measure>,
}

/// A whole process as the organiser writes it. Creating takes this; editing merges a patch
/// into the stored one and checks the result as a whole.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProcess {
    /// URL name; made from the title when absent.
    pub slug: Option<String>,
    /// Title per language, e.g. {"en": "National AI Strategy 2027", "es": "Estrategia Nacional de IA 2027"}.
    pub title: TextMap,
    #[serde(default)]
    pub summary: TextMap,
    /// Markdown per language; rendered and sanitised on the way out.
    #[serde(default)]
    pub description: TextMap,
    pub scope: Scope,
    /// Topic slugs, see GET /api/v1/topics.
    #[serde(default)]
    pub topics: Vec<String>,
    pub iap2_level: Iap2Level,
    #[serde(default = "default_visibility")]
    pub visibility: Visibility,
    /// Defaults to the instance's default language; the title must exist in it.
    pub default_language: Option<String>,
    /// Id or slug of the parent process.
    pub parent: Option<String>,
    #[serde(default)]
    pub phases: Vec<PhaseInput>,
    #[serde(default)]
    pub milestones: Vec<MilestoneInput>,
    #[serde(default)]
    pub commitments: Vec<CommitmentInput>,
}

fn default_visibility() -> Visibility {
    Visibility::Public
}

/// Any subset of the fields; lists given here replace the stored lists. `parent: null` unlinks.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessPatch {
    pub slug: Option<String>,
    pub title: Option<TextMap>,
    pub summary: Option<TextMap>,
    pub description: Option<TextMap>,
    pub scope: Option<Scope>,
    pub topics: Option<Vec<String>>,
    pub iap2_level: Option<Iap2Level>,
    pub visibility: Option<Visibility>,
    pub default_language: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub parent: Option<Option<String>>,
    pub phases: Option<Vec<PhaseInput>>,
    pub milestones: Option<Vec<MilestoneInput>>,
    pub commitments: Option<Vec<CommitmentInput>>,
}

/// Tells "absent" (None) from "null" (Some(None)).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PhaseView {
    pub id: Uuid,
    #[schema(value_type = BTreeMap<String, String>)]
    pub name: LocalizedText,
    #[schema(value_type = BTreeMap<String, String>)]
    pub description: LocalizedText,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub state: PhaseState,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MilestoneView {
    pub id: Uuid,
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: LocalizedText,
    #[schema(value_type = BTreeMap<String, String>)]
    pub description: LocalizedText,
    pub due_on: NaiveDate,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommitmentView {
    pub id: Uuid,
    #[schema(value_type = BTreeMap<String, String>)]
    pub text: LocalizedText,
    pub measure: Option<Measure>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProcessRef {
    pub id: Uuid,
    pub slug: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: LocalizedText,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProcessView {
    pub id: Uuid,
    pub slug: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: LocalizedText,
    #[schema(value_type = BTreeMap<String, String>)]
    pub summary: LocalizedText,
    /// Markdown source per language.
    #[schema(value_type = BTreeMap<String, String>)]
    pub description: LocalizedText,
    /// The description rendered to sanitised HTML, per language.
    #[schema(value_type = BTreeMap<String, String>)]
    pub description_html: LocalizedText,
    pub scope: Scope,
    pub topics: Vec<String>,
    pub iap2_level: Iap2Level,
    pub visibility: Visibility,
    pub status: ProcessStatus,
    pub default_language: String,
    pub parent: Option<ProcessRef>,
    pub phases: Vec<PhaseView>,
    pub milestones: Vec<MilestoneView>,
    pub commitments: Vec<CommitmentView>,
    /// The caller's role in this process, if any.
    pub your_role: Option<ProcessRole>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub archived_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProcessSummary {
    pub id: Uuid,
    pub slug: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: LocalizedText,
    #[schema(value_type = BTreeMap<String, String>)]
    pub summary: LocalizedText,
    pub scope: Scope,
    pub topics: Vec<String>,
    pub iap2_level: Iap2Level,
    pub visibility: Visibility,
    pub status: ProcessStatus,
    pub parent_id: Option<Uuid>,
    pub current_phase: Option<PhaseView>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// A process after every check: what gets stored.
struct Content {
    slug: String,
    title: LocalizedText,
    summary: LocalizedText,
    description: LocalizedText,
    scope: Scope,
    topics: Vec<topic::Model>,
    iap2_level: Iap2Level,
    visibility: Visibility,
    default_language: Language,
    parent: Option<Uuid>,
    phases: Vec<Phase>,
    milestones: Vec<Milestone>,
    commitments: Vec<Commitment>,
}

/// `this` is the stored process being edited (None when creating one).
async fn check_content(ctx: &AppContext, viewer: &Viewer, raw: &NewProcess, this: Option<&process::Model>) -> AppResult<Content> {
    let offered = &ctx.settings.instance.languages;
    let mut errors = FieldErrors::new();

    let title = LocalizedText::required(&mut errors, "title", &raw.title, offered, rules::TITLE);
    let summary = LocalizedText::optional(&mut errors, "summary", &raw.summary, offered, rules::SUMMARY);
    let description = LocalizedText::optional(&mut errors, "description", &raw.description, offered, rules::DESCRIPTION);

    let slug = match &raw.slug {
        Some(s) => errors.take(slug::parse("slug", s, 80)).unwrap_or_default(),
        None => slug::from_title(title.best(ctx.settings.instance.default_language.as_str(), "en")),
    };

    let default_language = match &raw.default_language {
        None => ctx.settings.instance.default_language.clone(),
        Some(tag) => match Language::parse(tag) {
            Ok(l) if offered.contains(&l) => l,
            Ok(l) => {
                errors.push("default_language", format!("this instance does not offer `{l}`"));
                l
            }
            Err(p) => {
                errors.push("default_language", p);
                ctx.settings.instance.default_language.clone()
            }
        },
    };
    if !title.is_empty() && !title.has(&default_language) {
        errors.push(format!("title.{default_language}"), "the title is needed in the process's default language");
    }

    if raw.topics.len() > rules::MAX_TOPICS {
        errors.push("topics", format!("at most {} topics", rules::MAX_TOPICS));
    }
    let topics = match super::topics::resolve(ctx, &raw.topics).await? {
        Ok(t) => t,
        Err(e) => {
            errors.extend(e);
            vec![]
        }
    };

    let mut phases = Vec::new();
    for (i, p) in raw.phases.iter().enumerate() {
        phases.push(Phase {
            name: LocalizedText::required(&mut errors, &format!("phases[{i}].name"), &p.name, offered, rules::PHASE_NAME),
            description: LocalizedText::optional(&mut errors, &format!("phases[{i}].description"), &p.description, offered, rules::LONG_NOTE),
            starts_on: p.starts_on,
            ends_on: p.ends_on,
        });
    }
    if let Err(e) = rules::check_timeline(&phases) {
        errors.extend(e);
    }

    if raw.milestones.len() > rules::MAX_MILESTONES {
        errors.push("milestones", format!("at most {} milestones", rules::MAX_MILESTONES));
    }
    let milestones = raw
        .milestones
        .iter()
        .enumerate()
        .map(|(i, m)| Milestone {
            title: LocalizedText::required(&mut errors, &format!("milestones[{i}].title"), &m.title, offered, rules::TITLE),
            description: LocalizedText::optional(&mut errors, &format!("milestones[{i}].description"), &m.description, offered, rules::LONG_NOTE),
            due_on: m.due_on,
        })
        .collect();

    if raw.commitments.len() > rules::MAX_COMMITMENTS {
        errors.push("commitments", format!("at most {} commitments", rules::MAX_COMMITMENTS));
    }
    let commitments = raw
        .commitments
        .iter()
        .enumerate()
        .map(|(i, c)| Commitment {
            text: LocalizedText::required(&mut errors, &format!("commitments[{i}].text"), &c.text, offered, rules::LONG_NOTE),
            measure: c.measure.and_then(|m| errors.take(m.check(&format!("commitments[{i}].measure")))),
        })
        .collect();

    let parent = match &raw.parent {
        None => None,
        Some(key) => match find(ctx, key).await? {
            // Keeping the parent it already has needs no sight of it (an organiser of a
            // public child may not be a member of the parent).
            Some(p) if this.and_then(|t| t.parent_id) == Some(p.id) || can_view_model(ctx, Some(viewer), &p).await? => {
                if creates_cycle(ctx, this.map(|t| t.id), p.id).await? {
                    errors.push("parent", "a process cannot be its own ancestor");
                }
                Some(p.id)
            }
            _ => {
                errors.push("parent", format!("no process `{key}` that you can see"));
                None
            }
        },
    };

    errors.finish()?;
    Ok(Content {
        slug,
        title,
        summary,
        description,
        scope: raw.scope,
        topics,
        iap2_level: raw.iap2_level,
        visibility: raw.visibility,
        default_language,
        parent,
        phases,
        milestones,
        commitments,
    })
}

/// True when making `parent` the parent of `this` would close a loop.
async fn creates_cycle(ctx: &AppContext, this: Option<Uuid>, parent: Uuid) -> AppResult<bool> {
    let Some(this) = this else { return Ok(false) };
    let mut cursor = Some(parent);
    for _ in 0..100 {
        match cursor {
            None => return Ok(false),
            Some(id) if id == this => return Ok(true),
            Some(id) => cursor = process::Entity::find_by_id(id).one(&ctx.db).await?.and_then(|p| p.parent_id),
        }
    }
    Ok(true)
}

/// Finds a process by id or slug, with no visibility check: callers check.
async fn find(ctx: &AppContext, key: &str) -> AppResult<Option<process::Model>> {
    let query = match Uuid::parse_str(key) {
        Ok(id) => process::Entity::find_by_id(id),
        Err(_) => process::Entity::find().filter(process::Column::Slug.eq(key)),
    };
    Ok(query.one(&ctx.db).await?)
}

async fn role_of(ctx: &AppContext, viewer: Option<&Viewer>, process_id: Uuid) -> AppResult<Option<ProcessRole>> {
    let Some(v) = viewer else { return Ok(None) };
    Ok(process_member::Entity::find_by_id((process_id, v.account_id))
        .one(&ctx.db)
        .await?
        .and_then(|m| ProcessRole::from_stored(&m.role)))
}

fn status_of(p: &process::Model) -> ProcessStatus {
    ProcessStatus::from_stored(&p.status).unwrap_or(ProcessStatus::Draft)
}

fn visibility_of(p: &process::Model) -> Visibility {
    Visibility::from_stored(&p.visibility).unwrap_or(Visibility::Private)
}

async fn can_view_model(ctx: &AppContext, viewer: Option<&Viewer>, p: &process::Model) -> AppResult<bool> {
    let role = role_of(ctx, viewer, p.id).await?;
    Ok(can_view(status_of(p), visibility_of(p), viewer.is_some_and(|v| v.is_admin), role.is_some()))
}

/// A process the viewer may see, with their role. Invisible processes are "not found", so
/// that private processes do not leak their existence.
pub struct Visible {
    pub process: process::Model,
    pub role: Option<ProcessRole>,
}

impl Visible {
    /// What the viewer may do in this process: the rule the app's checks and the pages share.
    pub fn powers(&self, viewer: Option<&Viewer>) -> Powers {
        Powers::of(viewer.is_some_and(|v| v.is_admin), self.role)
    }
}

/// The viewer's powers in a process they may see (a page's question: which actions to show).
pub async fn powers(ctx: &AppContext, viewer: Option<&Viewer>, key: &str) -> AppResult<(Visible, Powers)> {
    let v = load_visible(ctx, viewer, key).await?;
    let powers = v.powers(viewer);
    Ok((v, powers))
}

pub async fn load_visible(ctx: &AppContext, viewer: Option<&Viewer>, key: &str) -> AppResult<Visible> {
    let found = find(ctx, key).await?;
    // The same queries whether or not the process exists, so that the time of a 404 does not
    // tell a private process from a missing one.
    let role = role_of(ctx, viewer, found.as_ref().map_or(Uuid::nil(), |p| p.id)).await?;
    let process = found.ok_or(AppError::NotFound("process"))?;
    if !can_view(status_of(&process), visibility_of(&process), viewer.is_some_and(|v| v.is_admin), role.is_some()) {
        return Err(AppError::NotFound("process"));
    }
    Ok(Visible { process, role })
}

/// Loads a process the viewer may manage (organiser or admin).
pub async fn load_managed(ctx: &AppContext, viewer: &Viewer, key: &str) -> AppResult<Visible> {
    let v = load_visible(ctx, Some(viewer), key).await?;
    if v.powers(Some(viewer)).manage {
        Ok(v)
    } else {
        Err(AppError::Forbidden("only the process's organisers and instance administrators may do this".into()))
    }
}

pub async fn create(ctx: &AppContext, viewer: &Viewer, input: NewProcess) -> AppResult<ProcessView> {
    super::accounts::require_admin(viewer)
        .map_err(|_| AppError::Forbidden("only instance administrators may create processes".into()))?;
    let content = check_content(ctx, viewer, &input, None).await?;
    let id = Uuid::now_v7();
    let at = now();
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    process::ActiveModel {
        id: Set(id),
        slug: Set(content.slug.clone()),
        title: Set(content.title.to_json()),
        summary: Set(content.summary.to_json()),
        description: Set(content.description.to_json()),
        scope: Set(content.scope.as_str().into()),
        iap2_level: Set(content.iap2_level.as_str().into()),
        visibility: Set(content.visibility.as_str().into()),
        status: Set(ProcessStatus::Draft.as_str().into()),
        default_language: Set(content.default_language.to_string()),
        parent_id: Set(content.parent),
        created_by: Set(viewer.account_id),
        created_at: Set(at),
        updated_at: Set(at),
        published_at: Set(None),
        archived_at: Set(None),
        announced_phase: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(slug_conflict)?;
    write_children(&txn, id, &content).await?;
    process_member::ActiveModel {
        process_id: Set(id),
        account_id: Set(viewer.account_id),
        role: Set(ProcessRole::Organiser.as_str().into()),
        added_at: Set(at),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    get(ctx, Some(viewer), &id.to_string()).await
}

fn slug_conflict(e: sea_orm::DbErr) -> AppError {
    if is_unique_violation(&e) {
        AppError::conflict("slug", "another process already uses this slug; choose another")
    } else {
        e.into()
    }
}

/// Replaces topics, phases, milestones and commitments with the validated ones.
async fn write_children<C: ConnectionTrait>(db: &C, id: Uuid, c: &Content) -> AppResult<()> {
    process_topic::Entity::delete_many().filter(process_topic::Column::ProcessId.eq(id)).exec(db).await?;
    phase::Entity::delete_many().filter(phase::Column::ProcessId.eq(id)).exec(db).await?;
    milestone::Entity::delete_many().filter(milestone::Column::ProcessId.eq(id)).exec(db).await?;
    commitment::Entity::delete_many().filter(commitment::Column::ProcessId.eq(id)).exec(db).await?;

    insert_rows(db, c.topics.iter().map(|t| process_topic::ActiveModel { process_id: Set(id), topic_id: Set(t.id) })).await?;
    insert_rows(
        db,
        c.phases.iter().enumerate().map(|(i, p)| phase::ActiveModel {
            id: Set(Uuid::now_v7()),
            process_id: Set(id),
            position: Set(i as i32),
            name: Set(p.name.to_json()),
            description: Set(p.description.to_json()),
            starts_on: Set(p.starts_on),
            ends_on: Set(p.ends_on),
        }),
    )
    .await?;
    insert_rows(
        db,
        c.milestones.iter().enumerate().map(|(i, m)| milestone::ActiveModel {
            id: Set(Uuid::now_v7()),
            process_id: Set(id),
            position: Set(i as i32),
            title: Set(m.title.to_json()),
            description: Set(m.description.to_json()),
            due_on: Set(m.due_on),
        }),
    )
    .await?;
    insert_rows(
        db,
        c.commitments.iter().enumerate().map(|(i, m)| commitment::ActiveModel {
            id: Set(Uuid::now_v7()),
            process_id: Set(id),
            position: Set(i as i32),
            text: Set(m.text.to_json()),
            measure_kind: Set(m.measure.map(|x| x.kind().to_string())),
            measure_days: Set(m.measure.map(|x| i32::from(x.days()))),
        }),
    )
    .await
}

/// Inserts rows in one statement; an empty list is no statement at all.
async fn insert_rows<C, A>(db: &C, rows: impl Iterator<Item = A>) -> AppResult<()>
where
    C: ConnectionTrait,
    A: ActiveModelTrait + Send,
{
    let rows: Vec<A> = rows.collect();
    if !rows.is_empty() {
        A::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// The stored process in the shape of the input, so a patch can be merged into it.
async fn as_input(ctx: &AppContext, p: &process::Model) -> AppResult<NewProcess> {
    let full = assemble(ctx, None, p.clone(), None).await?;
    let texts = |t: &LocalizedText| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<TextMap>();
    Ok(NewProcess {
        slug: Some(full.slug),
        title: texts(&full.title),
        summary: texts(&full.summary),
        description: texts(&full.description),
        scope: full.scope,
        topics: full.topics,
        iap2_level: full.iap2_level,
        visibility: full.visibility,
        default_language: Some(full.default_language),
        // From the row, not the view: the view hides a parent the viewer may not see.
        parent: p.parent_id.map(|id| id.to_string()),
        phases: full
            .phases
            .iter()
            .map(|ph| PhaseInput { name: texts(&ph.name), description: texts(&ph.description), starts_on: ph.starts_on, ends_on: ph.ends_on })
            .collect(),
        milestones: full
            .milestones
            .iter()
            .map(|m| MilestoneInput { title: texts(&m.title), description: texts(&m.description), due_on: m.due_on })
            .collect(),
        commitments: full.commitments.iter().map(|c| CommitmentInput { text: texts(&c.text), measure: c.measure }).collect(),
    })
}

pub async fn update(ctx: &AppContext, viewer: &Viewer, key: &str, patch: ProcessPatch) -> AppResult<ProcessView> {
    let Visible { process: current, .. } = load_managed(ctx, viewer, key).await?;
    let status = status_of(&current);
    if status == ProcessStatus::Archived {
        return Err(AppError::conflict("status", "archived processes are read-only"));
    }
    if patch.slug.as_ref().is_some_and(|s| s != &current.slug) && status != ProcessStatus::Draft {
        return Err(AppError::conflict("slug", "the slug cannot change once the process is published: links to it are out there"));
    }
    let mut merged = as_input(ctx, &current).await?;
    macro_rules! merge {
        ($($f:ident),*) => { $( if let Some(v) = patch.$f { merged.$f = v; } )* };
    }
    merge!(title, summary, description, scope, topics, iap2_level, visibility, phases, milestones, commitments);
    if patch.slug.is_some() {
        merged.slug = patch.slug;
    }
    if patch.default_language.is_some() {
        merged.default_language = patch.default_language;
    }
    if let Some(parent) = patch.parent {
        merged.parent = parent;
    }
    let content = check_content(ctx, viewer, &merged, Some(&current)).await?;

    let (leaves_public_view, enters_public_view) = crossing(&current, content.visibility);
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    if leaves_public_view {
        record_withdrawal(ctx, &txn, &current).await?;
    }
    let mut model: process::ActiveModel = current.clone().into();
    model.slug = Set(content.slug.clone());
    model.title = Set(content.title.to_json());
    model.summary = Set(content.summary.to_json());
    model.description = Set(content.description.to_json());
    model.scope = Set(content.scope.as_str().into());
    model.iap2_level = Set(content.iap2_level.as_str().into());
    model.visibility = Set(content.visibility.as_str().into());
    model.default_language = Set(content.default_language.to_string());
    model.parent_id = Set(content.parent);
    model.updated_at = Set(now());
    let updated = model.update(&txn).await.map_err(slug_conflict)?;
    write_children(&txn, current.id, &content).await?;
    if enters_public_view {
        record_becoming_public(ctx, &txn, &updated).await?;
    }
    txn.commit().await?;
    get(ctx, Some(viewer), &current.id.to_string()).await
}

/// Publishing makes a draft visible under its visibility. A process needs a timeline first:
/// people must see when and how they can take part.
pub async fn publish(ctx: &AppContext, viewer: &Viewer, key: &str) -> AppResult<ProcessView> {
    let Visible { process: p, .. } = load_managed(ctx, viewer, key).await?;
    if status_of(&p) != ProcessStatus::Draft {
        return Err(AppError::conflict("status", format!("only drafts can be published; this process is {}", p.status)));
    }
    let phases = phase::Entity::find().filter(phase::Column::ProcessId.eq(p.id)).all(&ctx.db).await?;
    if phases.is_empty() {
        return Err(AppError::invalid("phases", "add at least one phase with dates before publishing"));
    }
    set_status(ctx, &p, ProcessStatus::Draft, ProcessStatus::Published).await?;
    get(ctx, Some(viewer), &p.id.to_string()).await
}

pub async fn archive(ctx: &AppContext, viewer: &Viewer, key: &str) -> AppResult<ProcessView> {
    let Visible { process: p, .. } = load_managed(ctx, viewer, key).await?;
    if status_of(&p) != ProcessStatus::Published {
        return Err(AppError::conflict("status", format!("only published processes can be archived; this process is {}", p.status)));
    }
    set_status(ctx, &p, ProcessStatus::Published, ProcessStatus::Archived).await?;
    get(ctx, Some(viewer), &p.id.to_string()).await
}

/// Moves the status only if nobody else moved it meanwhile.
async fn set_status(ctx: &AppContext, p: &process::Model, from: ProcessStatus, to: ProcessStatus) -> AppResult<()> {
    let at = now();
    let mut update = process::Entity::update_many()
        .col_expr(process::Column::Status, Expr::value(to.as_str()))
        .col_expr(process::Column::UpdatedAt, Expr::value(at));
    update = match to {
        ProcessStatus::Published => update.col_expr(process::Column::PublishedAt, Expr::value(at)),
        ProcessStatus::Archived => update.col_expr(process::Column::ArchivedAt, Expr::value(at)),
        ProcessStatus::Draft => update,
    };
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let result = update
        .filter(process::Column::Id.eq(p.id))
        .filter(process::Column::Status.eq(from.as_str()))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(AppError::conflict("status", "the process changed meanwhile; reload and try again"));
    }
    // Recorded only if the process is public (the ledger's rule); an unlisted or private
    // process that is published leaves no trace.
    let (kind, payload) = match to {
        ProcessStatus::Published => ("process.published", became_public(&txn, p).await?),
        _ => ("process.archived", serde_json::json!({ "slug": p.slug })),
    };
    super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Process(p.id), kind, payload).await?;
    txn.commit().await?;
    Ok(())
}

/// The payload of `process.published`, written when a process becomes public (published as
/// public, or made public later): what it is and the activities it already has, since their
/// creation left no entry while it was not public.
async fn became_public<C: ConnectionTrait>(db: &C, p: &process::Model) -> AppResult<serde_json::Value> {
    let activities: Vec<serde_json::Value> = activity::Entity::find()
        .filter(activity::Column::ProcessId.eq(p.id))
        .order_by_asc(activity::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|a| serde_json::json!({ "activity": a.id, "type": a.type_id, "title": a.title, "opens_at": a.opens_at, "closes_at": a.closes_at }))
        .collect();
    Ok(serde_json::json!({ "slug": p.slug, "title": p.title, "activities": activities }))
}

/// Whether a change of visibility takes a published process out of public view, or into it.
fn crossing(current: &process::Model, to: Visibility) -> (bool, bool) {
    let status = status_of(current);
    let (was, will) = (ledger_rule::may_record(status, visibility_of(current)), ledger_rule::may_record(status, to));
    (was && !will, !was && will)
}

/// Records a published process leaving public view. Called inside the transaction that changes
/// the visibility, before the change (the ledger's rule still lets it through); appending takes
/// the ledger head, so a concurrent writer sees either the old visibility and writes before
/// this entry, or the new one and writes nothing.
async fn record_withdrawal<C: ConnectionTrait>(ctx: &AppContext, db: &C, current: &process::Model) -> AppResult<()> {
    let payload = serde_json::json!({ "slug": current.slug });
    super::ledger::append(db, &ctx.ledger_key, super::ledger::Subject::Process(current.id), "process.withdrawn", payload).await?;
    Ok(())
}

/// Records a published process coming into public view: called after the change, in its
/// transaction, with the process as it now is.
async fn record_becoming_public<C: ConnectionTrait>(ctx: &AppContext, db: &C, now_public: &process::Model) -> AppResult<()> {
    let payload = became_public(db, now_public).await?;
    super::ledger::append(db, &ctx.ledger_key, super::ledger::Subject::Process(now_public.id), "process.published", payload).await?;
    Ok(())
}

pub async fn get(ctx: &AppContext, viewer: Option<&Viewer>, key: &str) -> AppResult<ProcessView> {
    let Visible { process, role } = load_visible(ctx, viewer, key).await?;
    assemble(ctx, viewer, process, role).await
}

async fn assemble(ctx: &AppContext, viewer: Option<&Viewer>, p: process::Model, role: Option<ProcessRole>) -> AppResult<ProcessView> {
    let today = now().date_naive();
    let topics = topic_slugs(ctx, &[p.id]).await?.remove(&p.id).unwrap_or_default();
    let phases = phase::Entity::find()
        .filter(phase::Column::ProcessId.eq(p.id))
        .order_by_asc(phase::Column::Position)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|ph| phase_view(ph, today))
        .collect();
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::ProcessId.eq(p.id))
        .order_by_asc(milestone::Column::Position)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|m| MilestoneView {
            id: m.id,
            title: LocalizedText::from_stored(m.title),
            description: LocalizedText::from_stored(m.description),
            due_on: m.due_on,
        })
        .collect();
    let commitments = commitment::Entity::find()
        .filter(commitment::Column::ProcessId.eq(p.id))
        .order_by_asc(commitment::Column::Position)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|c| CommitmentView {
            id: c.id,
            text: LocalizedText::from_stored(c.text),
            measure: c.measure_kind.as_deref().zip(c.measure_days).and_then(|(k, d)| Measure::from_stored(k, d)),
        })
        .collect();
    // A public process may sit under a private or draft one: the parent is named only to
    // those who may see it.
    let parent = match p.parent_id {
        Some(id) => match process::Entity::find_by_id(id).one(&ctx.db).await? {
            Some(pp) if can_view_model(ctx, viewer, &pp).await? => {
                Some(ProcessRef { id: pp.id, slug: pp.slug, title: LocalizedText::from_stored(pp.title) })
            }
            _ => None,
        },
        None => None,
    };
    let description = LocalizedText::from_stored(p.description.clone());
    Ok(ProcessView {
        id: p.id,
        slug: p.slug.clone(),
        title: LocalizedText::from_stored(p.title.clone()),
        summary: LocalizedText::from_stored(p.summary.clone()),
        description_html: description.map(markdown::render),
        description,
        scope: Scope::from_stored(&p.scope).unwrap_or(Scope::National),
        topics,
        iap2_level: Iap2Level::from_stored(&p.iap2_level).unwrap_or(Iap2Level::Inform),
        visibility: visibility_of(&p),
        status: status_of(&p),
        default_language: p.default_language.clone(),
        parent,
        phases,
        milestones,
        commitments,
        your_role: role,
        created_at: p.created_at,
        updated_at: p.updated_at,
        published_at: p.published_at,
        archived_at: p.archived_at,
    })
}

fn phase_view(ph: phase::Model, today: NaiveDate) -> PhaseView {
    let name = LocalizedText::from_stored(ph.name);
    let description = LocalizedText::from_stored(ph.description);
    let domain = Phase { name, description, starts_on: ph.starts_on, ends_on: ph.ends_on };
    PhaseView {
        id: ph.id,
        state: domain.state_on(today),
        name: domain.name,
        description: domain.description,
        starts_on: ph.starts_on,
        ends_on: ph.ends_on,
    }
}

async fn topic_slugs(ctx: &AppContext, ids: &[Uuid]) -> AppResult<HashMap<Uuid, Vec<String>>> {
    let links = process_topic::Entity::find()
        .filter(process_topic::Column::ProcessId.is_in(ids.iter().copied()))
        .all(&ctx.db)
        .await?;
    let topics: HashMap<Uuid, String> = topic::Entity::find()
        .filter(topic::Column::Id.is_in(links.iter().map(|l| l.topic_id)))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.slug))
        .collect();
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    for l in links {
        if let Some(slug) = topics.get(&l.topic_id) {
            out.entry(l.process_id).or_default().push(slug.clone());
        }
    }
    for v in out.values_mut() {
        v.sort();
    }
    Ok(out)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProcessFilter {
    pub status: Option<ProcessStatus>,
    pub scope: Option<Scope>,
    /// A topic slug.
    pub topic: Option<String>,
    /// Id or slug of a parent process: lists its children.
    pub parent: Option<String>,
    pub iap2_level: Option<Iap2Level>,
    /// Words to find in the title or summary, in any language (case-insensitive for ASCII).
    pub text: Option<String>,
}

/// Longest text search accepted; a title is at most 200 characters.
const MAX_SEARCH_CHARS: usize = 200;

/// Lists processes the viewer may see, newest first. Anonymous visitors see published and
/// archived public processes; members also see their own; admins see all.
pub async fn list(ctx: &AppContext, viewer: Option<&Viewer>, filter: &ProcessFilter, page: &PageParams) -> AppResult<Page<ProcessSummary>> {
    let req = page.parse()?;
    let mut query = process::Entity::find().order_by_desc(process::Column::Id).limit(req.limit + 1);
    if let Some(after) = req.after {
        query = query.filter(process::Column::Id.lt(after));
    }
    if !viewer.is_some_and(|v| v.is_admin) {
        let mut visible = Condition::any();
        for (status, visibility) in rules::listed_pairs() {
            visible = visible.add(
                Condition::all().add(process::Column::Status.eq(status.as_str())).add(process::Column::Visibility.eq(visibility.as_str())),
            );
        }
        if let Some(v) = viewer {
            visible = visible.add(
                process::Column::Id.in_subquery(
                    Query::select()
                        .column(process_member::Column::ProcessId)
                        .from(process_member::Entity)
                        .and_where(process_member::Column::AccountId.eq(v.account_id))
                        .to_owned(),
                ),
            );
        }
        query = query.filter(visible);
    }
    if let Some(s) = filter.status {
        query = query.filter(process::Column::Status.eq(s.as_str()));
    }
    if let Some(s) = filter.scope {
        query = query.filter(process::Column::Scope.eq(s.as_str()));
    }
    if let Some(level) = filter.iap2_level {
        query = query.filter(process::Column::Iap2Level.eq(level.as_str()));
    }
    if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        query = query.filter(text_search(text)?);
    }
    if let Some(slug) = &filter.topic {
        let t = topic::Entity::find()
            .filter(topic::Column::Slug.eq(slug))
            .one(&ctx.db)
            .await?
            .ok_or_else(|| AppError::bad_request("topic", format!("`{slug}` is not a topic of this instance")))?;
        query = query.filter(
            process::Column::Id.in_subquery(
                Query::select()
                    .column(process_topic::Column::ProcessId)
                    .from(process_topic::Entity)
                    .and_where(process_topic::Column::TopicId.eq(t.id))
                    .to_owned(),
            ),
        );
    }
    if let Some(key) = &filter.parent {
        let parent = load_visible(ctx, viewer, key)
            .await
            .map_err(|_| AppError::bad_request("parent", format!("no process `{key}` that you can see")))?;
        query = query.filter(process::Column::ParentId.eq(parent.process.id));
    }
    let rows = query.all(&ctx.db).await?;
    let page = Page::from_rows(rows, req, |p| p.id, |p| p);
    summaries(ctx, viewer, page).await
}

/// Matches the words in the stored title or summary (JSON of every language), ignoring ASCII
/// case; LIKE's wildcards in the words are taken literally.
fn text_search(text: &str) -> AppResult<Condition> {
    if text.chars().count() > MAX_SEARCH_CHARS {
        return Err(AppError::bad_request("text", format!("search at most {MAX_SEARCH_CHARS} characters")));
    }
    let mut all = Condition::all();
    for word in text.split_whitespace().take(8) {
        let escaped: String = word.to_lowercase().chars().flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        }).collect();
        let pattern = format!("%{escaped}%");
        let column = |c: process::Column| {
            Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(c).cast_as("TEXT")))
                .like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\'))
        };
        all = all.add(Condition::any().add(column(process::Column::Title)).add(column(process::Column::Summary)));
    }
    Ok(all)
}

/// Which of these processes the viewer may see, in two queries whatever their number.
async fn visible_among(ctx: &AppContext, viewer: Option<&Viewer>, ids: Vec<Uuid>) -> AppResult<std::collections::HashSet<Uuid>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows = process::Entity::find().filter(process::Column::Id.is_in(ids.clone())).all(&ctx.db).await?;
    let member_of: std::collections::HashSet<Uuid> = match viewer {
        Some(v) => process_member::Entity::find()
            .filter(process_member::Column::AccountId.eq(v.account_id))
            .filter(process_member::Column::ProcessId.is_in(ids))
            .all(&ctx.db)
            .await?
            .into_iter()
            .map(|m| m.process_id)
            .collect(),
        None => Default::default(),
    };
    let is_admin = viewer.is_some_and(|v| v.is_admin);
    Ok(rows
        .into_iter()
        .filter(|p| can_view(status_of(p), visibility_of(p), is_admin, member_of.contains(&p.id)))
        .map(|p| p.id)
        .collect())
}

async fn summaries(ctx: &AppContext, viewer: Option<&Viewer>, page: Page<process::Model>) -> AppResult<Page<ProcessSummary>> {
    let ids: Vec<Uuid> = page.items.iter().map(|p| p.id).collect();
    let visible_parents = visible_among(ctx, viewer, page.items.iter().filter_map(|p| p.parent_id).collect()).await?;
    let mut topics = topic_slugs(ctx, &ids).await?;
    let today = now().date_naive();
    let mut current: HashMap<Uuid, PhaseView> = HashMap::new();
    for ph in phase::Entity::find()
        .filter(phase::Column::ProcessId.is_in(ids.iter().copied()))
        .filter(phase::Column::StartsOn.lte(today))
        .filter(phase::Column::EndsOn.gte(today))
        .all(&ctx.db)
        .await?
    {
        current.insert(ph.process_id, phase_view(ph, today));
    }
    let items = page
        .items
        .into_iter()
        .map(|p| ProcessSummary {
            id: p.id,
            topics: topics.remove(&p.id).unwrap_or_default(),
            current_phase: current.remove(&p.id),
            title: LocalizedText::from_stored(p.title.clone()),
            summary: LocalizedText::from_stored(p.summary.clone()),
            scope: Scope::from_stored(&p.scope).unwrap_or(Scope::National),
            iap2_level: Iap2Level::from_stored(&p.iap2_level).unwrap_or(Iap2Level::Inform),
            visibility: visibility_of(&p),
            status: status_of(&p),
            parent_id: p.parent_id.filter(|id| visible_parents.contains(id)),
            published_at: p.published_at,
            updated_at: p.updated_at,
            slug: p.slug,
        })
        .collect();
    Ok(Page { items, next_cursor: page.next_cursor })
}

/// One process of a staff member's workspace, with their role in it (none for an instance
/// administrator who is not a member).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkspaceItem {
    pub process: ProcessSummary,
    pub your_role: Option<ProcessRole>,
}

/// Most processes a workspace lists at once.
const WORKSPACE_LIMIT: u64 = 500;

/// Whether the viewer has a staff role somewhere: instance administrator, or organiser or
/// facilitator of some process. One query at most (for the pages' "Manage" link).
pub async fn has_staff_role(ctx: &AppContext, viewer: &Viewer) -> AppResult<bool> {
    if viewer.is_admin {
        return Ok(true);
    }
    Ok(process_member::Entity::find()
        .filter(process_member::Column::AccountId.eq(viewer.account_id))
        .filter(process_member::Column::Role.is_in(crate::domain::powers::staff_roles().into_iter().map(ProcessRole::as_str)))
        .one(&ctx.db)
        .await?
        .is_some())
}

/// The processes the viewer works on, newest first: every process for an instance
/// administrator, else those where they are an organiser or a facilitator. Someone with no
/// staff role has no workspace (403).
pub async fn workspace_list(ctx: &AppContext, viewer: &Viewer) -> AppResult<Vec<WorkspaceItem>> {
    let roles: HashMap<Uuid, ProcessRole> = process_member::Entity::find()
        .filter(process_member::Column::AccountId.eq(viewer.account_id))
        .all(&ctx.db)
        .await?
        .into_iter()
        .filter_map(|m| ProcessRole::from_stored(&m.role).map(|r| (m.process_id, r)))
        .collect();
    let staff: Vec<Uuid> =
        roles.iter().filter(|(_, r)| Powers::of(false, Some(**r)).any_staff()).map(|(id, _)| *id).collect();
    if !viewer.is_admin && staff.is_empty() {
        return Err(AppError::Forbidden("only organisers, facilitators and instance administrators have a workspace".into()));
    }
    let mut query = process::Entity::find().order_by_desc(process::Column::Id).limit(WORKSPACE_LIMIT);
    if !viewer.is_admin {
        query = query.filter(process::Column::Id.is_in(staff));
    }
    let rows = query.all(&ctx.db).await?;
    let page = summaries(ctx, Some(viewer), Page { items: rows, next_cursor: None }).await?;
    Ok(page.items.into_iter().map(|p| WorkspaceItem { your_role: roles.get(&p.id).copied(), process: p }).collect())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberView {
    pub account_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub role: ProcessRole,
    pub added_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    /// The email of an existing account.
    #[schema(format = Email)]
    pub email: String,
    pub role: ProcessRole,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub role: ProcessRole,
}

pub async fn members(ctx: &AppContext, viewer: &Viewer, key: &str, page: &PageParams) -> AppResult<Page<MemberView>> {
    let Visible { process: p, .. } = load_managed(ctx, viewer, key).await?;
    let req = page.parse()?;
    let mut query = process_member::Entity::find()
        .filter(process_member::Column::ProcessId.eq(p.id))
        .order_by_asc(process_member::Column::AccountId)
        .limit(req.limit + 1);
    if let Some(after) = req.after {
        query = query.filter(process_member::Column::AccountId.gt(after));
    }
    let rows = query.all(&ctx.db).await?;
    let accounts: HashMap<Uuid, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(rows.iter().map(|m| m.account_id)))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(Page::from_rows(rows, req, |m| m.account_id, |m| {
        let a = accounts.get(&m.account_id);
        MemberView {
            account_id: m.account_id,
            display_name: a.map(|a| a.display_name.clone()).unwrap_or_default(),
            email: a.map(|a| a.email.clone()).unwrap_or_default(),
            role: ProcessRole::from_stored(&m.role).unwrap_or(ProcessRole::Observer),
            added_at: m.added_at,
        }
    }))
}

pub async fn add_member(ctx: &AppContext, viewer: &Viewer, key: &str, input: NewMember) -> AppResult<MemberView> {
    let Visible { process: p, .. } = load_managed(ctx, viewer, key).await?;
    let email = EmailAddress::parse("email", &input.email)?;
    let account = super::accounts::find_by_email(&ctx.db, &email)
        .await?
        .ok_or_else(|| AppError::invalid("email", "no account has this email; ask the person to sign up first"))?;
    put_member(ctx, p.id, account, input.role).await
}

pub async fn set_member_role(ctx: &AppContext, viewer: &Viewer, key: &str, account_id: Uuid, role: ProcessRole) -> AppResult<MemberView> {
    let Visible { process: p, .. } = load_managed(ctx, viewer, key).await?;
    let account = super::accounts::get(ctx, account_id).await?;
    put_member(ctx, p.id, account, role).await
}

async fn put_member(ctx: &AppContext, process_id: Uuid, account: account::Model, role: ProcessRole) -> AppResult<MemberView> {
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let existing = process_member::Entity::find_by_id((process_id, account.id)).one(&txn).await?;
    let saved = match existing {
        Some(m) => {
            if m.role == ProcessRole::Organiser.as_str() && role != ProcessRole::Organiser {
                ensure_another_organiser(&txn, process_id, account.id).await?;
            }
            let mut model: process_member::ActiveModel = m.into();
            model.role = Set(role.as_str().into());
            model.update(&txn).await?
        }
        None => {
            process_member::ActiveModel {
                process_id: Set(process_id),
                account_id: Set(account.id),
                role: Set(role.as_str().into()),
                added_at: Set(now()),
            }
            .insert(&txn)
            .await?
        }
    };
    txn.commit().await?;
    Ok(MemberView { account_id: account.id, display_name: account.display_name, email: account.email, role, added_at: saved.added_at })
}

/// A process always keeps at least one organiser, so someone can answer for it.
async fn ensure_another_organiser<C: ConnectionTrait>(db: &C, process_id: Uuid, leaving: Uuid) -> AppResult<()> {
    let others = process_member::Entity::find()
        .filter(process_member::Column::ProcessId.eq(process_id))
        .filter(process_member::Column::Role.eq(ProcessRole::Organiser.as_str()))
        .filter(process_member::Column::AccountId.ne(leaving))
        .one(db)
        .await?;
    if others.is_none() {
        return Err(AppError::conflict("role", "this is the process's last organiser; add another organiser first"));
    }
    Ok(())
}

pub async fn remove_member(ctx: &AppContext, viewer: &Viewer, key: &str, account_id: Uuid) -> AppResult<()> {
    let Visible { process: p, .. } = load_managed(ctx, viewer, key).await?;
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let m = process_member::Entity::find_by_id((p.id, account_id)).one(&txn).await?.ok_or(AppError::NotFound("member"))?;
    if m.role == ProcessRole::Organiser.as_str() {
        ensure_another_organiser(&txn, p.id, account_id).await?;
    }
    process_member::Entity::delete_by_id((p.id, account_id)).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Used by the demo loader: a field error from demo data is a bug in the data.
pub fn describe_errors(errors: &[FieldError]) -> String {
    errors.iter().map(|e| format!("{}: {}", e.field, e.problem)).collect::<Vec<_>>().join("; ")
}
