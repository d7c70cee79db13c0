//! Outcome documents: what a process concluded, in sections that each cite the contributions
//! they drew on. Every revision is kept; anyone can read any version and the differences
//! between two. Publishing and each revision go to the ledger with a hash of the content.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::error::AppResult;
use super::{AppContext, AppError, Viewer, now};
use crate::adapters::store::entities::{activity, contribution, outcome};
use crate::adapters::store::is_unique_violation;
use crate::domain::errors::FieldErrors;
use crate::domain::localized::{LocalizedText, TextRule};
use crate::domain::markdown;
use crate::domain::text::bounded;

type TextMap = BTreeMap<String, String>;

const MAX_SECTIONS: usize = 200;
const MAX_CITES: usize = 10_000;
const HEADING: TextRule = TextRule { max_chars: 300, multiline: false };
const BODY: TextRule = TextRule { max_chars: 100_000, multiline: true };
const NOTE: TextRule = TextRule { max_chars: 2_000, multiline: true };

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionInput {
    /// A stable anchor responses can point to, e.g. "2.1" or "health".
    pub id: String,
    pub heading: TextMap,
    /// Markdown.
    pub body: TextMap,
    /// Contributions this section drew on.
    #[serde(default)]
    pub cites: Vec<Uuid>,
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOutcome {
    pub title: TextMap,
    pub sections: Vec<SectionInput>,
    /// For a revision: what changed and why.
    #[serde(default)]
    pub note: TextMap,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Section {
    pub id: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub heading: LocalizedText,
    #[schema(value_type = BTreeMap<String, String>)]
    pub body: LocalizedText,
    pub cites: Vec<Uuid>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutcomeView {
    pub process_id: Uuid,
    pub version: i32,
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: LocalizedText,
    pub sections: Vec<Section>,
    /// Each section's body as sanitised HTML, per language, in the order of `sections`.
    #[schema(value_type = Vec<BTreeMap<String, String>>)]
    pub sections_html: Vec<BTreeMap<String, String>>,
    #[schema(value_type = BTreeMap<String, String>)]
    pub note: LocalizedText,
    pub published_at: DateTime<Utc>,
    /// Hex SHA-256 of the content, as recorded in the ledger.
    pub content_hash: String,
}

fn sections_of(stored: serde_json::Value) -> Vec<Section> {
    serde_json::from_value(stored).unwrap_or_default()
}

fn content_hash(title: &serde_json::Value, sections: &serde_json::Value) -> String {
    hex::encode(Sha256::digest(serde_json::json!({ "title": title, "sections": sections }).to_string()))
}

fn view(o: outcome::Model) -> OutcomeView {
    let content_hash = content_hash(&o.title, &o.sections);
    let sections = sections_of(o.sections);
    let sections_html = sections.iter().map(|s| s.body.iter().map(|(l, t)| (l.clone(), markdown::render(t))).collect()).collect();
    OutcomeView {
        process_id: o.process_id,
        version: o.version,
        title: LocalizedText::from_stored(o.title),
        sections,
        sections_html,
        note: LocalizedText::from_stored(o.note),
        published_at: o.created_at,
        content_hash,
    }
}

/// Publishes the first version of a process's outcome, or a revision of it (organisers).
pub async fn publish(ctx: &AppContext, viewer: &Viewer, process_key: &str, input: NewOutcome) -> AppResult<OutcomeView> {
    let managed = super::processes::load_managed(ctx, viewer, process_key).await?;
    let offered = &ctx.settings.instance.languages;
    let mut errors = FieldErrors::new();
    let title = LocalizedText::required(&mut errors, "title", &input.title, offered, HEADING);
    let note = LocalizedText::optional(&mut errors, "note", &input.note, offered, NOTE);
    if input.sections.is_empty() || input.sections.len() > MAX_SECTIONS {
        errors.push("sections", format!("give 1 to {MAX_SECTIONS} sections"));
    }
    let mut ids = HashSet::new();
    let mut sections = Vec::new();
    let mut cited: Vec<(String, Uuid)> = Vec::new();
    for (i, s) in input.sections.iter().enumerate() {
        let field = format!("sections[{i}]");
        let id = match bounded(&format!("{field}.id"), &s.id, 64, false) {
            Ok(id) if id.is_empty() => {
                errors.push(format!("{field}.id"), "give the section an id, e.g. \"2.1\"");
                id
            }
            Ok(id) if !ids.insert(id.clone()) => {
                errors.push(format!("{field}.id"), format!("`{id}` is used by another section"));
                id
            }
            Ok(id) => id,
            Err(e) => {
                errors.push(e.field, e.problem);
                String::new()
            }
        };
        let heading = LocalizedText::required(&mut errors, &format!("{field}.heading"), &s.heading, offered, HEADING);
        let body = LocalizedText::required(&mut errors, &format!("{field}.body"), &s.body, offered, BODY);
        if s.cites.len() > MAX_CITES {
            errors.push(format!("{field}.cites"), format!("at most {MAX_CITES}"));
        }
        cited.extend(s.cites.iter().enumerate().map(|(j, c)| (format!("{field}.cites[{j}]"), *c)));
        sections.push(Section { id, heading, body, cites: s.cites.clone() });
    }
    errors.finish()?;

    // Every citation must be a contribution to this process.
    let activities = activity::Entity::find().filter(activity::Column::ProcessId.eq(managed.process.id)).select_only().column(activity::Column::Id);
    let distinct: Vec<Uuid> = cited.iter().map(|(_, c)| *c).collect::<HashSet<_>>().into_iter().collect();
    let mut known = HashSet::new();
    for chunk in distinct.chunks(500) {
        let found: Vec<Uuid> = contribution::Entity::find()
            .filter(contribution::Column::Id.is_in(chunk.to_vec()))
            .filter(contribution::Column::ActivityId.in_subquery(sea_orm::QueryTrait::into_query(activities.clone())))
            .select_only()
            .column(contribution::Column::Id)
            .into_tuple()
            .all(&ctx.db)
            .await?;
        known.extend(found);
    }
    let mut errors = FieldErrors::new();
    for (field, c) in &cited {
        if !known.contains(c) {
            errors.push(field.clone(), "is not a contribution to this process");
        }
    }
    errors.finish()?;

    let latest = outcome::Entity::find()
        .filter(outcome::Column::ProcessId.eq(managed.process.id))
        .order_by_desc(outcome::Column::Version)
        .select_only()
        .column(outcome::Column::Version)
        .into_tuple::<i32>()
        .one(&ctx.db)
        .await?;
    let version = latest.unwrap_or(0) + 1;
    let title_json = title.to_json();
    let sections_json = serde_json::to_value(&sections).map_err(|e| AppError::Internal(e.into()))?;
    let hash = content_hash(&title_json, &sections_json);
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let stored = outcome::ActiveModel {
        id: Set(Uuid::now_v7()),
        process_id: Set(managed.process.id),
        version: Set(version),
        title: Set(title_json),
        sections: Set(sections_json),
        note: Set(note.to_json()),
        published_by: Set(Some(viewer.account_id)),
        created_at: Set(now()),
    }
    .insert(&txn)
    .await
    .map_err(|e| if is_unique_violation(&e) { AppError::conflict("version", "someone published a revision meanwhile; reload and try again") } else { e.into() })?;
    let kind = if version == 1 { "outcome.published" } else { "outcome.revised" };
    let payload = serde_json::json!({ "version": version, "content_hash": hash, "sections": sections.len(), "note": note });
    super::ledger::append(&txn, &ctx.ledger_key, super::ledger::Subject::Process(managed.process.id), kind, payload).await?;
    txn.commit().await?;
    Ok(view(stored))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersionSummary {
    pub version: i32,
    #[schema(value_type = BTreeMap<String, String>)]
    pub note: LocalizedText,
    pub published_at: DateTime<Utc>,
}

/// Every version of a process's outcome, newest first.
pub async fn versions(ctx: &AppContext, viewer: Option<&Viewer>, process_key: &str) -> AppResult<Vec<VersionSummary>> {
    let v = super::processes::load_visible(ctx, viewer, process_key).await?;
    let rows = outcome::Entity::find().filter(outcome::Column::ProcessId.eq(v.process.id)).order_by_desc(outcome::Column::Version).all(&ctx.db).await?;
    Ok(rows.into_iter().map(|o| VersionSummary { version: o.version, note: LocalizedText::from_stored(o.note), published_at: o.created_at }).collect())
}

async fn load_version(ctx: &AppContext, viewer: Option<&Viewer>, process_key: &str, version: Option<i32>) -> AppResult<outcome::Model> {
    let v = super::processes::load_visible(ctx, viewer, process_key).await?;
    let mut query = outcome::Entity::find().filter(outcome::Column::ProcessId.eq(v.process.id));
    query = match version {
        Some(n) => query.filter(outcome::Column::Version.eq(n)),
        None => query.order_by_desc(outcome::Column::Version),
    };
    query.one(&ctx.db).await?.ok_or(AppError::NotFound("outcome version"))
}

/// One version (the current one when `version` is None).
pub async fn get(ctx: &AppContext, viewer: Option<&Viewer>, process_key: &str, version: Option<i32>) -> AppResult<OutcomeView> {
    Ok(view(load_version(ctx, viewer, process_key, version).await?))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectionDiff {
    pub id: String,
    /// `added`, `removed`, `changed` or `unchanged`.
    pub change: String,
    /// Per language, a unified diff of the body (empty when unchanged).
    pub body_diff: BTreeMap<String, String>,
    pub cites_added: Vec<Uuid>,
    pub cites_removed: Vec<Uuid>,
}

/// What changed from version `from` to version `to`, section by section.
pub async fn diff(ctx: &AppContext, viewer: Option<&Viewer>, process_key: &str, from: i32, to: i32) -> AppResult<Vec<SectionDiff>> {
    let old = sections_of(load_version(ctx, viewer, process_key, Some(from)).await?.sections);
    let new = sections_of(load_version(ctx, viewer, process_key, Some(to)).await?.sections);
    let old_by: BTreeMap<&str, &Section> = old.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut out = Vec::new();
    for s in &new {
        match old_by.get(s.id.as_str()) {
            None => out.push(SectionDiff { id: s.id.clone(), change: "added".into(), body_diff: BTreeMap::new(), cites_added: s.cites.clone(), cites_removed: vec![] }),
            Some(o) => {
                let mut body_diff = BTreeMap::new();
                let langs: std::collections::BTreeSet<&String> = o.body.iter().map(|(l, _)| l).chain(s.body.iter().map(|(l, _)| l)).collect();
                for lang in langs {
                    let (a, b) = (o.body.get(lang).unwrap_or(""), s.body.get(lang).unwrap_or(""));
                    if a != b {
                        let text = similar::TextDiff::from_lines(a, b).unified_diff().header(&format!("version {from}"), &format!("version {to}")).to_string();
                        body_diff.insert(lang.clone(), text);
                    }
                }
                let cites_added: Vec<Uuid> = s.cites.iter().filter(|c| !o.cites.contains(c)).copied().collect();
                let cites_removed: Vec<Uuid> = o.cites.iter().filter(|c| !s.cites.contains(c)).copied().collect();
                let changed = !body_diff.is_empty() || o.heading != s.heading || !cites_added.is_empty() || !cites_removed.is_empty();
                out.push(SectionDiff { id: s.id.clone(), change: if changed { "changed" } else { "unchanged" }.into(), body_diff, cites_added, cites_removed });
            }
        }
    }
    for o in &old {
        if !new.iter().any(|s| s.id == o.id) {
            out.push(SectionDiff { id: o.id.clone(), change: "removed".into(), body_diff: BTreeMap::new(), cites_added: vec![], cites_removed: o.cites.clone() });
        }
    }
    Ok(out)
}

/// The activity of each cited contribution of a process the viewer may see, for links to
/// where the contribution stands. Ids that are not contributions to this process are left out.
pub async fn cited_activities(ctx: &AppContext, viewer: Option<&Viewer>, process_key: &str, cites: &[Uuid]) -> AppResult<BTreeMap<Uuid, Uuid>> {
    let v = super::processes::load_visible(ctx, viewer, process_key).await?;
    let activities = activity::Entity::find().filter(activity::Column::ProcessId.eq(v.process.id)).select_only().column(activity::Column::Id);
    let distinct: Vec<Uuid> = cites.iter().copied().collect::<HashSet<_>>().into_iter().collect();
    let mut out = BTreeMap::new();
    for chunk in distinct.chunks(500) {
        let found: Vec<(Uuid, Uuid)> = contribution::Entity::find()
            .filter(contribution::Column::Id.is_in(chunk.to_vec()))
            .filter(contribution::Column::ActivityId.in_subquery(sea_orm::QueryTrait::into_query(activities.clone())))
            .select_only()
            .column(contribution::Column::Id)
            .column(contribution::Column::ActivityId)
            .into_tuple()
            .all(&ctx.db)
            .await?;
        out.extend(found);
    }
    Ok(out)
}

/// A contribution the outcome editor offers to cite: its words and where it was made.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Citable {
    pub id: Uuid,
    pub activity_id: Uuid,
    /// The body as the plugin normalised it (organisers see hidden ones too).
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
    pub language: String,
    /// The facilitator's reference of paper, phone and in-person input.
    pub reference: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// At most this many contributions per search.
pub const MAX_CITABLE: u64 = 50;
const MAX_SEARCH_CHARS: usize = 200;

fn citable_of(c: contribution::Model) -> Citable {
    Citable {
        id: c.id,
        activity_id: c.activity_id,
        body: serde_json::from_str(&c.body).unwrap_or_default(),
        language: c.language,
        reference: c.reference,
        created_at: c.created_at,
    }
}

/// Contributions to a process that an outcome may cite (organisers): those whose words or
/// facilitator's reference contain every word of `text` (ignoring ASCII case), or whose id
/// is `text` or ends with it (the short reference pages show); with `text` empty, the newest.
/// Newest first, at most `limit` (and [`MAX_CITABLE`]); withdrawn contributions are left out.
pub async fn citable(ctx: &AppContext, viewer: &Viewer, process_key: &str, text: &str, limit: u64) -> AppResult<Vec<Citable>> {
    use sea_orm::Condition;
    use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
    let managed = super::processes::load_managed(ctx, viewer, process_key).await?;
    let text = text.trim();
    if text.chars().count() > MAX_SEARCH_CHARS {
        return Err(AppError::bad_request("text", format!("search at most {MAX_SEARCH_CHARS} characters")));
    }
    let limit = limit.clamp(1, MAX_CITABLE);
    let activities = activity::Entity::find().filter(activity::Column::ProcessId.eq(managed.process.id)).select_only().column(activity::Column::Id);
    let in_process = || {
        contribution::Entity::find()
            .filter(contribution::Column::ActivityId.in_subquery(sea_orm::QueryTrait::into_query(activities.clone())))
            .filter(contribution::Column::Status.ne(crate::domain::participation::ContributionStatus::Withdrawn.as_str()))
    };
    let mut words = Condition::all();
    for word in text.split_whitespace().take(8) {
        let escaped: String = word.to_lowercase().chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
        let pattern = format!("%{escaped}%");
        let like = |c: contribution::Column| Expr::expr(Func::lower(Expr::col(c))).like(LikeExpr::new(pattern.clone()).escape('\\'));
        words = words.add(Condition::any().add(like(contribution::Column::Body)).add(like(contribution::Column::Reference)));
    }
    let mut found: Vec<contribution::Model> = in_process().filter(words).order_by_desc(contribution::Column::CreatedAt).limit(limit).all(&ctx.db).await?;
    // A reference: a whole id, or the end of one (at least 6 hex digits).
    let lowered = text.to_lowercase();
    let by_id: Vec<Uuid> = if let Ok(id) = Uuid::parse_str(&lowered) {
        vec![id]
    } else if (6..=32).contains(&lowered.len()) && lowered.chars().all(|c| c.is_ascii_hexdigit()) {
        let ids: Vec<Uuid> = in_process().select_only().column(contribution::Column::Id).into_tuple().all(&ctx.db).await?;
        ids.into_iter().filter(|id| id.simple().to_string().ends_with(&lowered)).take(limit as usize).collect()
    } else {
        Vec::new()
    };
    let missing: Vec<Uuid> = by_id.into_iter().filter(|id| !found.iter().any(|c| c.id == *id)).collect();
    if !missing.is_empty() {
        let mut extra = in_process().filter(contribution::Column::Id.is_in(missing)).all(&ctx.db).await?;
        extra.append(&mut found);
        found = extra;
        found.truncate(limit as usize);
    }
    Ok(found.into_iter().map(citable_of).collect())
}

/// The contributions with these ids among a process's (organisers), in no particular order;
/// ids that are not contributions to the process are left out.
pub async fn citable_by_ids(ctx: &AppContext, viewer: &Viewer, process_key: &str, ids: &[Uuid]) -> AppResult<Vec<Citable>> {
    let managed = super::processes::load_managed(ctx, viewer, process_key).await?;
    let activities = activity::Entity::find().filter(activity::Column::ProcessId.eq(managed.process.id)).select_only().column(activity::Column::Id);
    let distinct: Vec<Uuid> = ids.iter().copied().collect::<HashSet<_>>().into_iter().collect();
    let mut out = Vec::new();
    for chunk in distinct.chunks(500) {
        let found = contribution::Entity::find()
            .filter(contribution::Column::Id.is_in(chunk.to_vec()))
            .filter(contribution::Column::ActivityId.in_subquery(sea_orm::QueryTrait::into_query(activities.clone())))
            .all(&ctx.db)
            .await?;
        out.extend(found.into_iter().map(citable_of));
    }
    Ok(out)
}
