//! Demo content: realistic processes in English and Spanish (a national AI strategy with its
//! regional roundtables, a city's AI and data strategy, a regulator's citizen panel, an
//! oversight group for an AI procurement), so a newcomer sees a living instance at once.
//! Dates are relative to the day the demo is loaded, so it always has a phase running.
//!
//! One more process shows the whole loop finished (`story`): a local AI strategy with a few
//! hundred contributions, a response to each, an outcome published and revised, and so an
//! input-use report and a ledger to read; a demo participant who took part can sign in and
//! see what happened to their input. Another is written in Arabic, to show right-to-left text.

mod story;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Deserialize;
use uuid::Uuid;

use crate::adapters::store::entities::{account, process};
use crate::app::accounts::LinkPurpose;
use crate::app::activities::{self, NewActivity};
use crate::app::processes::{self, CommitmentInput, MilestoneInput, NewMember, NewProcess, PhaseInput};
use crate::app::{AppContext, AppError, Viewer, accounts, now};
use crate::config::Settings;
use crate::domain::account::{EmailAddress, ProcessRole};
use crate::domain::language::Language;
use crate::domain::process::{Iap2Level, Measure, Scope, Visibility};

const CONTENT: &str = include_str!("processes.json");
const ORGANISER_EMAIL: &str = "demo-organiser@convene.invalid";
/// The demo's administrator: made on demo instances only, to show the instance's own pages.
const ADMIN_EMAIL: &str = "demo-admin@convene.invalid";

/// The languages the demo is written in. A demo instance offers them all, whatever
/// `instance.languages` says, so that its content can be stored (and Arabic shown right to left).
pub const LANGUAGES: [&str; 4] = ["en", "es", "fr", "ar"];

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
    /// Strings "@day:N" in it become the date N days from the day the demo is loaded.
    config: serde_json::Value,
    closes_offset_days: Option<i64>,
    /// Closes while the demo loads, once its contributions are in (see `story`): for the
    /// activities of the finished process.
    #[serde(default)]
    closes_after_loading: bool,
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

/// Dates in an activity's configuration, relative to the day of loading: "@day:-90".
fn resolve_days(value: &mut serde_json::Value, today: NaiveDate) {
    match value {
        serde_json::Value::String(s) => {
            if let Some(days) = s.strip_prefix("@day:").and_then(|d| d.parse::<i64>().ok()) {
                *s = shift(today, days).to_string();
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| resolve_days(v, today)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| resolve_days(v, today)),
        _ => {}
    }
}

/// Makes the demo's languages available on this instance (see `LANGUAGES`); returns the ones
/// added.
pub fn offer_languages(settings: &mut Settings) -> Vec<String> {
    let mut added = Vec::new();
    for tag in LANGUAGES {
        let lang = Language::parse(tag).expect("a valid tag");
        if !settings.instance.languages.contains(&lang) {
            settings.instance.languages.push(lang);
            added.push(tag.to_string());
        }
    }
    added
}

/// Loads the demo once; a second call finds it and does nothing. A database with an older
/// demo gets the processes it lacks.
pub async fn load(ctx: &AppContext) -> anyhow::Result<Outcome> {
    let demo = parse();
    let slugs: Vec<&str> = demo.iter().map(|p| p.slug.as_str()).collect();
    let existing: HashSet<String> = process::Entity::find()
        .filter(process::Column::Slug.is_in(slugs))
        .select_only()
        .column(process::Column::Slug)
        .into_tuple()
        .all(&ctx.db)
        .await?
        .into_iter()
        .collect();
    if demo.iter().all(|p| existing.contains(&p.slug)) {
        return Ok(Outcome::AlreadyThere);
    }
    let story = story::parse();
    let organiser = demo_account(ctx, ORGANISER_EMAIL, "Demo organiser", ctx.settings.instance.default_language.as_str()).await?;
    // The demo organiser is an ordinary account: the loader acts with admin rights itself,
    // so the demo never creates an administrator anybody could sign in as.
    let viewer = Viewer { account_id: organiser, session_id: Uuid::nil(), is_admin: true };
    let facilitator = demo_account(ctx, &story.facilitator.email, &story.facilitator.name, &story.facilitator.locale).await?;
    let admin = demo_account(ctx, ADMIN_EMAIL, "Demo administrator", ctx.settings.instance.default_language.as_str()).await?;
    make_admin(ctx, admin).await?;
    let mut participants = Vec::with_capacity(story.participants.len());
    for p in &story.participants {
        participants.push(demo_account(ctx, &p.email, &p.name, &p.locale).await?);
    }
    let cast = story::Cast { organiser: &viewer, facilitator, participants: &participants };
    let today = now().date_naive();
    let mut created: HashMap<&str, Vec<story::ActivityRef>> = HashMap::new();
    // When the finished process's consultation and roundtables close (see `story`), and
    // whether measuring it made the Arabic consultation's contributions already.
    for p in demo.iter().filter(|p| !existing.contains(&p.slug)) {
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
        let made = processes::create(ctx, &viewer, input).await.map_err(|e| demo_error(&p.slug, e))?;
        let mut refs = Vec::new();
        for a in &p.activities {
            let closes_at = if a.closes_after_loading {
                // Open while the demo contributes to it; `story::play` closes it then.
                Some(now() + chrono::Duration::hours(1))
            } else {
                a.closes_offset_days.map(|d| shift(today, d).and_hms_opt(18, 0, 0).expect("a valid time").and_utc())
            };
            let mut config = a.config.clone();
            resolve_days(&mut config, today);
            let input = NewActivity {
                type_id: a.type_id.clone(),
                title: a.title.clone(),
                description: a.description.clone(),
                config,
                opens_at: None,
                closes_at,
                requires_attribute: None,
            };
            let activity = activities::create(ctx, &viewer, &p.slug, input).await.map_err(|e| demo_error(&p.slug, e))?;
            refs.push(story::ActivityRef { id: activity.id });
        }
        if p.status == "published" {
            processes::publish(ctx, &viewer, &made.id.to_string()).await.map_err(|e| demo_error(&p.slug, e))?;
        }
        // The demo facilitator works on every process (the story adds them to its own).
        if p.slug != story.process {
            let member = NewMember { email: story.facilitator.email.clone(), role: ProcessRole::Facilitator };
            processes::add_member(ctx, &viewer, &p.slug, member).await.map_err(|e| demo_error(&p.slug, e))?;
        }
        created.insert(p.slug.as_str(), refs);
    }
    let finished = created.get(story.process.as_str()).map(Vec::as_slice);
    let arabic = created.get(story.arabic.process.as_str()).map(Vec::as_slice);
    story::play(ctx, &story, &cast, finished, arabic).await?;
    Ok(Outcome::Loaded(created.len()))
}

/// The demo's people one can sign in as, and what each of them shows.
struct DemoSignIn {
    role: &'static str,
    name: String,
    email: String,
    shows: &'static str,
}

/// One-time sign-in links for the demo's participant (who took part in the finished process),
/// organiser, facilitator and administrator, each on a line saying whose it is and what it
/// shows; nothing when the demo is not loaded. Printed at every start: links are short-lived.
/// The administrator exists only on a demo instance, and its link reaches only whoever reads
/// the server's console.
pub async fn sign_in_links(ctx: &AppContext) -> anyhow::Result<Vec<String>> {
    let story = story::parse();
    let participant = &story.participants[0];
    let people = [
        DemoSignIn { role: "participant", name: participant.name.clone(), email: participant.email.clone(), shows: "\"My input\" and the responses to it" },
        DemoSignIn { role: "organiser", name: "Demo organiser".into(), email: ORGANISER_EMAIL.into(), shows: "every demo process's workspace (Manage): edit, activities, responses, outcome, report" },
        DemoSignIn { role: "facilitator", name: story.facilitator.name.clone(), email: story.facilitator.email.clone(), shows: "the facilitator desk and the moderation queue of every demo process" },
        DemoSignIn { role: "administrator", name: "Demo administrator".into(), email: ADMIN_EMAIL.into(), shows: "everything, and the instance's pages (Manage, then Instance administration)" },
    ];
    let mut lines = Vec::new();
    for person in &people {
        let email = EmailAddress::parse("email", &person.email).expect("a valid address");
        let Some(account) = accounts::find_by_email(&ctx.db, &email).await.map_err(|e| anyhow::anyhow!("{e}"))? else { continue };
        let link = accounts::create_magic_link(ctx, account.id, LinkPurpose::Login).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        lines.push(format!(
            "Demo {} {} <{}>: {} with this one-time sign-in link (valid {} minutes):\n{link}",
            person.role, person.name, person.email, person.shows, ctx.settings.auth.magic_link_minutes
        ));
    }
    Ok(lines)
}

fn demo_error(slug: &str, e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(errors) => anyhow::anyhow!("demo process {slug}: {}", processes::describe_errors(&errors)),
        other => anyhow::anyhow!("demo process {slug}: {other}"),
    }
}

async fn make_admin(ctx: &AppContext, id: Uuid) -> anyhow::Result<()> {
    use sea_orm::ActiveModelTrait;
    let model = account::ActiveModel { id: sea_orm::Set(id), is_admin: sea_orm::Set(true), ..Default::default() };
    model.update(&ctx.db).await?;
    Ok(())
}

/// A demo account (the organiser, the facilitator, the participants): found, or made as
/// the existing demo made its organiser, with an address nobody can receive mail at.
async fn demo_account(ctx: &AppContext, email: &str, name: &str, locale: &str) -> anyhow::Result<Uuid> {
    let parsed = EmailAddress::parse("email", email).expect("a valid address");
    if let Some(a) = accounts::find_by_email(&ctx.db, &parsed).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        return Ok(a.id);
    }
    let at = now();
    let model = account::ActiveModel {
        id: sea_orm::Set(Uuid::now_v7()),
        email: sea_orm::Set(parsed.as_str().to_string()),
        display_name: sea_orm::Set(name.into()),
        locale: sea_orm::Set(locale.into()),
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
        // Written in the demo's languages only, so that a demo instance can store it all.
        let written = demo.iter().flat_map(|p| p.title.keys().chain(p.summary.keys()).chain(p.description.keys()));
        assert!(written.into_iter().all(|l| super::LANGUAGES.contains(&l.as_str())));
        assert!(demo.iter().any(|p| p.default_language == "ar" && p.title.contains_key("ar") && p.description.contains_key("ar")));
    }

    #[test]
    fn dates_in_configurations_follow_the_day_of_loading() {
        let mut config = serde_json::json!({ "meetings": [{ "date": "@day:-3", "time": "18:00" }], "note": "@day:x" });
        super::resolve_days(&mut config, "2027-03-01".parse().unwrap());
        assert_eq!(config, serde_json::json!({ "meetings": [{ "date": "2027-02-26", "time": "18:00" }], "note": "@day:x" }));
    }
}
