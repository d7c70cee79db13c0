//! Demo content: realistic processes in English and Spanish (a national AI strategy with its
//! regional roundtables, a city's AI and data strategy, a regulator's citizen panel, an
//! oversight group for an AI procurement), so a newcomer sees a living instance at once.
//! Dates are relative to the day the demo is loaded, so it always has a phase running.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use uuid::Uuid;

use crate::adapters::store::entities::{account, process};
use crate::app::activities::{self, NewActivity};
use crate::app::processes::{self, CommitmentInput, MilestoneInput, NewProcess, PhaseInput};
use crate::app::{AppContext, AppError, Viewer, accounts, now};
use crate::domain::account::EmailAddress;
use crate::domain::process::{Iap2Level, Measure, Scope, Visibility};

const CONTENT: &str = include_str!("processes.json");
const ORGANISER_EMAIL: &str = "demo-organiser@convene.invalid";

type TextMap = BTreeMap<String, String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoProcess {
    slug: String,
    title: TextMap,
    summary: TextMap,
    description: TextMap,
    scope: Scope,
    topics: Vec<String>,
    iap2_level: Iap2Level,
    visibility: Visibility,
    default_language: String,
    parent: Option<String>,
    status: String,
    phases: Vec<DemoPhase>,
    milestones: Vec<DemoMilestone>,
    commitments: Vec<CommitmentInput>,
    #[serde(default)]
    activities: Vec<DemoActivity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoActivity {
    #[serde(rename = "type")]
    type_id: String,
    title: TextMap,
    #[serde(default)]
    description: TextMap,
    config: serde_json::Value,
    closes_offset_days: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPhase {
    name: TextMap,
    description: TextMap,
    starts_offset_days: i64,
    ends_offset_days: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoMilestone {
    title: TextMap,
    description: TextMap,
    due_offset_days: i64,
}

pub enum Outcome {
    Loaded(usize),
    AlreadyThere,
}

fn shift(today: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 { today + Days::new(days as u64) } else { today - Days::new(days.unsigned_abs()) }
}

fn parse() -> Vec<DemoProcess> {
    serde_json::from_str(CONTENT).expect("demo/processes.json is valid (checked by a unit test)")
}

/// Loads the demo once; a second call finds it and does nothing.
pub async fn load(ctx: &AppContext) -> anyhow::Result<Outcome> {
    let demo = parse();
    let first = &demo[0].slug;
    if process::Entity::find().filter(process::Column::Slug.eq(first.as_str())).one(&ctx.db).await?.is_some() {
        return Ok(Outcome::AlreadyThere);
    }
    let organiser = demo_organiser(ctx).await?;
    // The demo organiser is an ordinary account: the loader acts with admin rights itself,
    // so the demo never creates an administrator anybody could sign in as.
    let viewer = Viewer { account_id: organiser, session_id: Uuid::nil(), is_admin: true };
    let today = now().date_naive();
    for p in &demo {
        let input = NewProcess {
            slug: Some(p.slug.clone()),
            title: p.title.clone(),
            summary: p.summary.clone(),
            description: p.description.clone(),
            scope: p.scope,
            topics: p.topics.clone(),
            iap2_level: p.iap2_level,
            visibility: p.visibility,
            default_language: Some(p.default_language.clone()),
            parent: p.parent.clone(),
            phases: p
                .phases
                .iter()
                .map(|ph| PhaseInput {
                    name: ph.name.clone(),
                    description: ph.description.clone(),
                    starts_on: shift(today, ph.starts_offset_days),
                    ends_on: shift(today, ph.ends_offset_days),
                })
                .collect(),
            milestones: p
                .milestones
                .iter()
                .map(|m| MilestoneInput { title: m.title.clone(), description: m.description.clone(), due_on: shift(today, m.due_offset_days) })
                .collect(),
            commitments: p.commitments.iter().map(|c| CommitmentInput { text: c.text.clone(), measure: c.measure.map(|m: Measure| m) }).collect(),
        };
        let created = processes::create(ctx, &viewer, input).await.map_err(|e| demo_error(&p.slug, e))?;
        for a in &p.activities {
            let closes_at = a.closes_offset_days.map(|d| shift(today, d).and_hms_opt(18, 0, 0).expect("a valid time").and_utc());
            let input = NewActivity {
                type_id: a.type_id.clone(),
                title: a.title.clone(),
                description: a.description.clone(),
                config: a.config.clone(),
                opens_at: None,
                closes_at,
                requires_attribute: None,
            };
            activities::create(ctx, &viewer, &p.slug, input).await.map_err(|e| demo_error(&p.slug, e))?;
        }
        if p.status == "published" {
            processes::publish(ctx, &viewer, &created.id.to_string()).await.map_err(|e| demo_error(&p.slug, e))?;
        }
    }
    Ok(Outcome::Loaded(demo.len()))
}

fn demo_error(slug: &str, e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(errors) => anyhow::anyhow!("demo process {slug}: {}", processes::describe_errors(&errors)),
        other => anyhow::anyhow!("demo process {slug}: {other}"),
    }
}

async fn demo_organiser(ctx: &AppContext) -> anyhow::Result<Uuid> {
    let email = EmailAddress::parse("email", ORGANISER_EMAIL).expect("a valid address");
    if let Some(a) = accounts::find_by_email(&ctx.db, &email).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        return Ok(a.id);
    }
    let at = now();
    let model = account::ActiveModel {
        id: sea_orm::Set(Uuid::now_v7()),
        email: sea_orm::Set(ORGANISER_EMAIL.into()),
        display_name: sea_orm::Set("Demo organiser".into()),
        locale: sea_orm::Set(ctx.settings.instance.default_language.to_string()),
        password_hash: sea_orm::Set(None),
        is_admin: sea_orm::Set(false),
        email_verified_at: sea_orm::Set(None),
        created_at: sea_orm::Set(at),
        updated_at: sea_orm::Set(at),
    };
    use sea_orm::ActiveModelTrait;
    Ok(model.insert(&ctx.db).await?.id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_content_parses() {
        let demo = super::parse();
        assert!(demo.len() >= 3);
        assert!(demo.iter().all(|p| p.title.contains_key("en") && p.title.contains_key("es")));
    }
}
