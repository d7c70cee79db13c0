//! The topic taxonomy processes are filed under; admins extend it.

use std::collections::BTreeMap;

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::AppResult;
use super::pagination::{Page, PageParams};
use super::{AppContext, AppError, Viewer, now};
use crate::adapters::store::entities::topic;
use crate::adapters::store::is_unique_violation;
use crate::domain::errors::FieldErrors;
use crate::domain::localized::{LocalizedText, TextRule};
use crate::domain::slug;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TopicView {
    pub id: Uuid,
    pub slug: String,
    #[schema(value_type = BTreeMap<String, String>)]
    pub labels: LocalizedText,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTopic {
    pub slug: String,
    /// The topic's name per language, e.g. {"en": "Open data", "es": "Datos abiertos"}.
    pub labels: BTreeMap<String, String>,
}

const LABEL: TextRule = TextRule { max_chars: 80, multiline: false };

fn to_view(m: topic::Model) -> TopicView {
    TopicView { id: m.id, slug: m.slug, labels: LocalizedText::from_stored(m.labels) }
}

pub async fn list(ctx: &AppContext, page: &PageParams) -> AppResult<Page<TopicView>> {
    let req = page.parse()?;
    let mut query = topic::Entity::find().order_by_asc(topic::Column::Id).limit(req.limit + 1);
    if let Some(after) = req.after {
        query = query.filter(topic::Column::Id.gt(after));
    }
    Ok(Page::from_rows(query.all(&ctx.db).await?, req, |t| t.id, to_view))
}

pub async fn create(ctx: &AppContext, viewer: &Viewer, input: NewTopic) -> AppResult<TopicView> {
    super::accounts::require_admin(viewer)?;
    let mut errors = FieldErrors::new();
    let slug = errors.take(slug::parse("slug", &input.slug, 64));
    let labels = match LocalizedText::parse("labels", &input.labels, &ctx.settings.instance.languages, LABEL) {
        Ok(l) => Some(l),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    errors.finish()?;
    let model = topic::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug.unwrap()),
        labels: Set(labels.unwrap().to_json()),
        created_at: Set(now()),
    };
    let saved = model.insert(&ctx.db).await.map_err(|e| {
        if is_unique_violation(&e) { AppError::conflict("slug", "a topic with this slug already exists") } else { e.into() }
    })?;
    Ok(to_view(saved))
}

/// Looks up topics by slug, naming each unknown one with its position in the request.
pub async fn resolve(ctx: &AppContext, slugs: &[String]) -> AppResult<Result<Vec<topic::Model>, Vec<crate::domain::errors::FieldError>>> {
    let found = topic::Entity::find().filter(topic::Column::Slug.is_in(slugs.iter().cloned())).all(&ctx.db).await?;
    let mut errors = FieldErrors::new();
    let mut out = Vec::new();
    for (i, s) in slugs.iter().enumerate() {
        match found.iter().find(|t| &t.slug == s) {
            Some(t) if !out.iter().any(|o: &topic::Model| o.id == t.id) => out.push(t.clone()),
            Some(_) => errors.push(format!("topics[{i}]"), format!("`{s}` is listed twice")),
            None => errors.push(format!("topics[{i}]"), format!("`{s}` is not a topic of this instance; see GET /api/v1/topics")),
        }
    }
    Ok(errors.finish().map(|_| out))
}
