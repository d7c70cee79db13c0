//! The moderation queue (`/manage/processes/{key}/moderation`): the contributions people
//! reported, with what they said, each hidden (or left) with a reason everyone will read; the
//! hidden ones, each restorable with a reason; and the way to the public log. Reports come
//! from `contributions::reports`, hiding and restoring go through `contributions::moderate`
//! (the app functions of the API's `/reports`, `/hide` and `/restore`), which alone decide
//! who may.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::Tabs;
use crate::app::contributions::{self, ContributionView, Reason};
use crate::app::{AppError, Viewer, activities, processes};
use crate::domain::participation::ContributionStatus;
use crate::http::pages::forms::{self, Answers, Form, SummaryItem, Text};
use crate::http::pages::outcome::short_ref;
use crate::http::pages::page::{Chrome, OrPage, PageCtx, PageError, PagePost, PageResult};
use crate::http::pages::words;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/processes/{key}/moderation", web::get().to(show))
        .route("/manage/processes/{key}/moderation/{id}/hide", web::post().to(hide))
        .route("/manage/processes/{key}/moderation/{id}/restore", web::post().to(restore));
}

/// The queue a hide or restore form is on (`/manage/processes/{key}/moderation/{id}/hide`).
pub fn page_of_action(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/manage/processes/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [key, "moderation", id, "hide" | "restore"] if !key.is_empty() && !id.is_empty() => Some(format!("/manage/processes/{key}/moderation")),
        _ => None,
    }
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    /// `hidden` or `restored`: the note after an action.
    done: Option<String>,
}

#[derive(Deserialize)]
pub struct ReasonPost {
    #[serde(default)]
    reason: String,
}

/// A refused action: its contribution, what was typed, and why.
struct Posted {
    contribution: Uuid,
    reason: String,
    error: String,
}

pub struct Item {
    pub id: String,
    pub short: String,
    pub activity: Text,
    pub activity_id: String,
    pub kind: String,
    pub date: String,
    pub channel: String,
    pub reference: Option<String>,
    pub answers: Answers,
    pub reports: Vec<String>,
    pub hidden_reason: Option<String>,
    /// What was typed in its reason field, and the problem with it.
    pub reason: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/moderation.html")]
struct QueuePage {
    c: Chrome,
    tabs: Tabs,
    slug: String,
    summary: Vec<SummaryItem>,
    done: Option<String>,
    reported: Vec<Item>,
    hidden: Vec<Item>,
}

fn signed_in(pc: &PageCtx) -> Result<Viewer, PageError> {
    pc.viewer().cloned().ok_or_else(|| pc.fail(AppError::Unauthenticated("sign in to use the staff pages".into())))
}

pub async fn show(pc: PageCtx, key: web::Path<String>, q: web::Query<QueueQuery>) -> PageResult {
    let done = match q.done.as_deref() {
        Some("hidden") => Some(pc.tr.t("modqueue-done-hidden")),
        Some("restored") => Some(pc.tr.t("modqueue-done-restored")),
        _ => None,
    };
    render(&pc, &key, done, None, StatusCode::OK).await
}

pub async fn hide(post: PagePost<ReasonPost>, path: web::Path<(String, String)>) -> PageResult {
    act(post, path, true).await
}

pub async fn restore(post: PagePost<ReasonPost>, path: web::Path<(String, String)>) -> PageResult {
    act(post, path, false).await
}

async fn act(post: PagePost<ReasonPost>, path: web::Path<(String, String)>, hiding: bool) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let (key, id) = path.into_inner();
    let viewer = signed_in(&pc)?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound("contribution")).or_page(&pc)?;
    // The contribution must be of this process.
    let c = contributions::get(&pc.app, Some(&viewer), id).await.or_page(&pc)?;
    let a = activities::get(&pc.app, Some(&viewer), c.activity_id).await.or_page(&pc)?;
    let p = processes::load_visible(&pc.app, Some(&viewer), &key).await.or_page(&pc)?;
    if a.process_id != p.process.id {
        return Err(pc.fail(AppError::NotFound("contribution")));
    }
    match contributions::moderate(&pc.app, &viewer, id, Reason { reason: form.reason.clone() }, hiding).await {
        Ok(_) => {
            let done = if hiding { "hidden" } else { "restored" };
            Ok(pc.redirect(&format!("/manage/processes/{}/moderation?done={done}", p.process.slug)))
        }
        Err(AppError::Invalid(_)) => {
            let error = if form.reason.trim().is_empty() { pc.tr.t("modqueue-error-reason-empty") } else { pc.tr.t("modqueue-error-reason") };
            render(&pc, &key, None, Some(Posted { contribution: id, reason: form.reason, error }), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e @ AppError::Conflict(_)) => {
            // Hidden or restored meanwhile by someone else: the queue as it is now says so.
            let error = pc.tr.t("modqueue-error-changed");
            let status = actix_web::ResponseError::status_code(&e);
            render(&pc, &key, None, Some(Posted { contribution: id, reason: form.reason, error }), status).await
        }
        Err(e) => Err(pc.fail(e)),
    }
}

async fn render(pc: &PageCtx, key: &str, done: Option<String>, posted: Option<Posted>, status: StatusCode) -> PageResult {
    let app = &pc.app;
    let tr = pc.tr;
    let viewer = signed_in(pc)?;
    // Moderators only (the app refuses everyone else).
    let reports = contributions::reports(app, &viewer, key).await.or_page(pc)?;
    let (visible, _) = processes::powers(app, Some(&viewer), key).await.or_page(pc)?;
    let tabs = Tabs::new(tr, &visible, Some(&viewer), "moderation");
    let slug = visible.process.slug.clone();
    let dl = visible.process.default_language.clone();

    // Everything hidden now: the log names every contribution ever hidden.
    let log = contributions::moderation_log(app, Some(&viewer), key).await.or_page(pc)?;
    let mut wanted: Vec<Uuid> = reports.iter().map(|r| r.contribution_id).collect();
    let mut seen: BTreeSet<Uuid> = wanted.iter().copied().collect();
    for m in &log {
        if seen.insert(m.contribution_id) {
            wanted.push(m.contribution_id);
        }
    }
    let reasons: BTreeMap<Uuid, Vec<String>> = reports.iter().map(|r| (r.contribution_id, r.reasons.clone())).collect();

    let mut loaded: Vec<ContributionView> = Vec::new();
    for id in wanted {
        match contributions::get(app, Some(&viewer), id).await {
            Ok(c) => loaded.push(c),
            // Withdrawn by its author since: nothing to moderate.
            Err(AppError::NotFound(_)) => {}
            Err(e) => return Err(pc.fail(e)),
        }
    }
    // The forms and titles of the activities, once each.
    let mut titles: BTreeMap<Uuid, Text> = BTreeMap::new();
    let mut fields: BTreeMap<(Uuid, String), Vec<forms::Field>> = BTreeMap::new();
    for c in &loaded {
        if let std::collections::btree_map::Entry::Vacant(slot) = titles.entry(c.activity_id) {
            let a = activities::get(app, Some(&viewer), c.activity_id).await.or_page(pc)?;
            slot.insert(forms::pick(&tr, &a.title, &dl));
        }
        let k = (c.activity_id, c.kind.clone());
        if !fields.contains_key(&k) {
            let f = activities::form(app, Some(&viewer), c.activity_id, &c.kind).await.map(|v| forms::fields(&v)).unwrap_or_default();
            fields.insert(k, f);
        }
    }

    let mut summary = Vec::new();
    let (mut reported, mut hidden) = (Vec::new(), Vec::new());
    for c in loaded {
        let f = fields.get(&(c.activity_id, c.kind.clone())).map(Vec::as_slice).unwrap_or(&[]);
        let answers = Form::new(tr, "body", format!("m-{}", c.id), &dl, f).answers(&c.body, &c.language);
        let mine = posted.as_ref().filter(|p| p.contribution == c.id);
        let item = Item {
            id: c.id.to_string(),
            short: short_ref(&c.id),
            activity: titles.get(&c.activity_id).cloned().unwrap_or_else(|| Text { text: String::new(), lang: tr.code().into(), dir: "ltr" }),
            activity_id: c.activity_id.to_string(),
            kind: c.kind.clone(),
            date: tr.datetime(c.created_at),
            channel: words::channel(&tr, c.channel),
            reference: c.reference.clone(),
            answers,
            reports: reasons.get(&c.id).cloned().unwrap_or_default(),
            hidden_reason: c.hidden_reason.clone().filter(|_| c.status == ContributionStatus::Hidden),
            reason: mine.map(|p| p.reason.clone()).unwrap_or_default(),
            error: mine.map(|p| p.error.clone()),
        };
        if let Some(e) = &item.error {
            summary.push(SummaryItem { href: Some(format!("#reason-{}", item.id)), text: e.clone() });
        }
        match c.status {
            ContributionStatus::Hidden => hidden.push(item),
            ContributionStatus::Visible => reported.push(item),
            ContributionStatus::Withdrawn => {}
        }
    }
    // Hidden ones that nobody reported are not in the queue of reports, but may be restored.
    reported.retain(|i| !i.reports.is_empty());

    let title = tr.t("modqueue-title");
    let title = if summary.is_empty() { title } else { format!("{} {title}", tr.t("form-error-title-prefix")) };
    let page = QueuePage { c: pc.chrome(title), tabs, slug, summary, done, reported, hidden };
    Ok(pc.render_status(status, &page))
}
