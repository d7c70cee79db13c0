//! One contribution's own page: what was said, every response it got (the history, newest
//! first), and what the reader may do with it — change or withdraw their own while the
//! activity is open, report someone else's to the moderators. Each action calls the same app
//! function as the API (`PATCH`/`DELETE /api/v1/contributions/{id}`, `POST …/reports`), which
//! alone decides whether it is allowed; the page shows an action only when it would be.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::activity::{ContributionItem, contribution_item, kind_name};
use super::forms::{self, Form, SummaryItem, Text, Values};
use super::page::{Chrome, OrPage, PageCtx, PagePost, PageResult};
use super::words;
use crate::app::activities::{self, ActivityState, ActivityView};
use crate::app::contributions::{self, ContributionEdit, ContributionView, Reason};
use crate::app::processes::{self, ProcessView};
use crate::app::{AppError, outcomes, responses};
use crate::domain::errors::FieldError;
use crate::domain::localized::LocalizedText;
use crate::domain::participation::ContributionStatus;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/contributions/{id}", web::get().to(show))
        .route("/contributions/{id}/edit", web::get().to(edit_page))
        .route("/contributions/{id}/edit", web::post().to(edit))
        .route("/contributions/{id}/withdraw", web::get().to(withdraw_page))
        .route("/contributions/{id}/withdraw", web::post().to(withdraw))
        .route("/contributions/{id}/report", web::get().to(report_page))
        .route("/contributions/{id}/report", web::post().to(report));
}

/// A past response, for the history.
pub struct PastResponse {
    pub disposition: String,
    pub explanation: Option<Text>,
    pub date: String,
}

/// What the reader may do with the contribution.
#[derive(Default)]
pub struct Actions {
    pub edit: bool,
    pub withdraw: bool,
    pub report: bool,
}

#[derive(Template)]
#[template(path = "contribution.html")]
struct ContributionPage {
    c: Chrome,
    ci: ContributionItem,
    process_slug: String,
    activity_id: String,
    activity_title: Text,
    history: Vec<PastResponse>,
    actions: Actions,
    /// `edited` or `reported`: what the reader just did.
    done: Option<String>,
}

/// The change, report and withdrawal forms share this page.
#[derive(Template)]
#[template(path = "contribution_form.html")]
struct ContributionFormPage {
    c: Chrome,
    /// `edit`, `report` or `withdraw`.
    action: &'static str,
    id: String,
    activity_title: Text,
    summary: Vec<SummaryItem>,
    form_html: String,
    reason: String,
    reason_error: Option<String>,
}

/// Everything about one contribution a page needs.
struct Loaded {
    c: ContributionView,
    a: ActivityView,
    p: ProcessView,
    /// The form of its kind (None: the plugin has none in this state).
    fields: Option<Vec<forms::Field>>,
    kind_names: BTreeMap<String, Text>,
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound("contribution"))
}

async fn load(pc: &PageCtx, raw: &str) -> Result<Loaded, super::page::PageError> {
    let app = &pc.app;
    let viewer = pc.viewer();
    let id = parse_id(raw).or_page(pc)?;
    let c = contributions::get(app, viewer, id).await.or_page(pc)?;
    let a = activities::get(app, viewer, c.activity_id).await.or_page(pc)?;
    let p = processes::get(app, viewer, &a.process_id.to_string()).await.or_page(pc)?;
    let dl = p.default_language.clone();
    let kinds = contributions::online_kinds(app, viewer, a.id).await.unwrap_or_default();
    let kind_names = kinds.iter().map(|k| (k.id.clone(), kind_name(&pc.tr, k, &dl))).collect();
    let fields = match activities::form(app, viewer, a.id, &c.kind).await {
        Ok(v) => Some(forms::fields(&v)),
        Err(AppError::Invalid(_) | AppError::Conflict(_)) => None,
        Err(e) => return Err(pc.fail(e)),
    };
    Ok(Loaded { c, a, p, fields, kind_names })
}

/// What the reader may do: their own while it stands and the activity is open; report what
/// others said while it is visible. The app checks the same again on the post.
fn actions(pc: &PageCtx, l: &Loaded) -> Actions {
    let visible = l.c.status == ContributionStatus::Visible;
    let open = matches!(l.a.state, ActivityState::Open);
    Actions {
        edit: l.c.mine && visible && open && l.fields.is_some(),
        withdraw: l.c.mine && visible && open,
        report: pc.viewer().is_some() && !l.c.mine && visible,
    }
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub async fn show(pc: PageCtx, id: web::Path<String>, q: web::Query<Done>) -> PageResult {
    let l = load(&pc, &id).await?;
    let tr = pc.tr;
    let dl = l.p.default_language.as_str();
    let history = responses::history(&pc.app, pc.viewer(), l.c.id).await.or_page(&pc)?;
    let headings: BTreeMap<String, LocalizedText> = if history.iter().any(|r| !r.outcome_refs.is_empty()) {
        outcomes::get(&pc.app, pc.viewer(), &l.p.slug, None).await.map(|o| o.sections.into_iter().map(|s| (s.id, s.heading)).collect()).unwrap_or_default()
    } else {
        BTreeMap::new()
    };
    let form_fields = BTreeMap::from([(l.c.kind.clone(), l.fields.clone())]);
    let ci = contribution_item(&tr, &l.c, &form_fields, &l.kind_names, &headings, dl);
    // The current response is shown with the contribution; the history lists the earlier ones.
    let history = history
        .iter()
        .rev()
        .skip(1)
        .map(|r| PastResponse {
            disposition: words::disposition(&tr, r.disposition),
            explanation: Some(forms::pick(&tr, &r.explanation, dl)).filter(|e| !e.text.trim().is_empty()),
            date: tr.date(r.at.date_naive()),
        })
        .collect();
    let page = ContributionPage {
        c: pc.chrome(tr.a1("contribution-title", "kind", ci.kind_name.text.clone())),
        actions: actions(&pc, &l),
        process_slug: l.p.slug.clone(),
        activity_id: l.a.id.to_string(),
        activity_title: forms::pick(&tr, &l.a.title, dl),
        done: q.done.clone().filter(|d| d == "edited" || d == "reported"),
        ci,
        history,
    };
    Ok(pc.render(&page))
}

fn form_page(pc: &PageCtx, l: &Loaded, action: &'static str) -> ContributionFormPage {
    let tr = pc.tr;
    let title = match action {
        "edit" => tr.t("contribution-edit-title"),
        "withdraw" => tr.t("contribution-withdraw-title"),
        _ => tr.t("contribution-report-title"),
    };
    ContributionFormPage {
        c: pc.chrome(title),
        action,
        id: l.c.id.to_string(),
        activity_title: forms::pick(&tr, &l.a.title, &l.p.default_language),
        summary: Vec::new(),
        form_html: String::new(),
        reason: String::new(),
        reason_error: None,
    }
}

/// The change form, filled with what is stored (or what was typed, with its errors).
fn edit_form(pc: &PageCtx, l: &Loaded, values: Option<Values>, errors: &[FieldError]) -> ContributionFormPage {
    let mut page = form_page(pc, l, "edit");
    let fields = l.fields.clone().unwrap_or_default();
    let form = Form::new(pc.tr, "body", format!("e-{}", l.c.kind), &l.p.default_language, &fields);
    let values = values.unwrap_or_else(|| form.values_from_json(&l.c.body));
    let rendered = form.render(&values, errors);
    page.summary = rendered.summary;
    page.form_html = rendered.html;
    if !page.summary.is_empty() {
        page.c.title = format!("{} {}", pc.tr.t("form-error-title-prefix"), page.c.title);
    }
    page
}

/// Only one's own, while the page would offer it: anything else is the app's refusal.
fn refuse_unless(pc: &PageCtx, allowed: bool) -> Result<(), super::page::PageError> {
    if allowed { Ok(()) } else { Err(pc.fail(AppError::Forbidden("this contribution cannot be changed, withdrawn or reported by you now".into()))) }
}

pub async fn edit_page(pc: PageCtx, id: web::Path<String>) -> PageResult {
    let l = load(&pc, &id).await?;
    if pc.viewer().is_none() {
        return Err(pc.fail(AppError::Unauthenticated("sign in first".into())));
    }
    refuse_unless(&pc, actions(&pc, &l).edit)?;
    Ok(pc.render(&edit_form(&pc, &l, None, &[])))
}

#[derive(Deserialize)]
pub struct EditPost {
    #[serde(rename = "more-items")]
    more_items: Option<String>,
}

pub async fn edit(post: PagePost<EditPost>, id: web::Path<String>) -> PageResult {
    let PagePost { pc, form: posted, pairs } = post;
    let Some(viewer) = pc.viewer().cloned() else { return Err(pc.fail(AppError::Unauthenticated("sign in first".into()))) };
    let l = load(&pc, &id).await?;
    let fields = l.fields.clone().unwrap_or_default();
    let form = Form::new(pc.tr, "body", format!("e-{}", l.c.kind), &l.p.default_language, &fields);
    let values = form.values_from_pairs(&pairs);
    if posted.more_items.is_some() {
        return Ok(pc.render(&edit_form(&pc, &l, Some(values), &[])));
    }
    let (body, errors) = form.parse(&values);
    if !errors.is_empty() {
        return Ok(pc.render_status(StatusCode::UNPROCESSABLE_ENTITY, &edit_form(&pc, &l, Some(values), &errors)));
    }
    // The same app function as `PATCH /api/v1/contributions/{id}`: it decides.
    match contributions::edit(&pc.app, &viewer, l.c.id, ContributionEdit { body, language: None }).await {
        Ok(_) => Ok(pc.redirect(&format!("/contributions/{}?done=edited", l.c.id))),
        Err(AppError::Invalid(errors)) => Ok(pc.render_status(StatusCode::UNPROCESSABLE_ENTITY, &edit_form(&pc, &l, Some(values), &errors))),
        Err(e) => Err(pc.fail(e)),
    }
}

pub async fn withdraw_page(pc: PageCtx, id: web::Path<String>) -> PageResult {
    let l = load(&pc, &id).await?;
    if pc.viewer().is_none() {
        return Err(pc.fail(AppError::Unauthenticated("sign in first".into())));
    }
    refuse_unless(&pc, actions(&pc, &l).withdraw)?;
    Ok(pc.render(&form_page(&pc, &l, "withdraw")))
}

#[derive(Deserialize)]
pub struct Confirm {}

pub async fn withdraw(post: PagePost<Confirm>, id: web::Path<String>) -> PageResult {
    let PagePost { pc, .. } = post;
    let Some(viewer) = pc.viewer().cloned() else { return Err(pc.fail(AppError::Unauthenticated("sign in first".into()))) };
    let id = parse_id(&id).or_page(&pc)?;
    let c = contributions::get(&pc.app, Some(&viewer), id).await.or_page(&pc)?;
    // The same app function as `DELETE /api/v1/contributions/{id}`.
    contributions::withdraw(&pc.app, &viewer, id).await.or_page(&pc)?;
    Ok(pc.redirect(&format!("/activities/{}", c.activity_id)))
}

pub async fn report_page(pc: PageCtx, id: web::Path<String>) -> PageResult {
    let l = load(&pc, &id).await?;
    if pc.viewer().is_none() {
        return Err(pc.fail(AppError::Unauthenticated("sign in first".into())));
    }
    refuse_unless(&pc, actions(&pc, &l).report)?;
    Ok(pc.render(&form_page(&pc, &l, "report")))
}

#[derive(Deserialize)]
pub struct ReportPost {
    #[serde(default)]
    reason: String,
}

pub async fn report(post: PagePost<ReportPost>, id: web::Path<String>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let Some(viewer) = pc.viewer().cloned() else { return Err(pc.fail(AppError::Unauthenticated("sign in first".into()))) };
    let l = load(&pc, &id).await?;
    // The same app function as `POST /api/v1/contributions/{id}/reports`.
    match contributions::report(&pc.app, &viewer, l.c.id, Reason { reason: form.reason.clone() }).await {
        Ok(()) => Ok(pc.redirect(&format!("/contributions/{}?done=reported", l.c.id))),
        Err(AppError::Invalid(errors)) => {
            let mut page = form_page(&pc, &l, "report");
            let problem = errors.first().map(|e| e.problem.clone()).unwrap_or_default();
            page.reason_error = Some(pc.tr.t("contribution-report-reason-error"));
            tracing::debug!(%problem, "a report was refused");
            page.summary = vec![SummaryItem { href: Some("#reason".into()), text: pc.tr.t("contribution-report-reason-error") }];
            page.c.title = format!("{} {}", pc.tr.t("form-error-title-prefix"), page.c.title);
            page.reason = form.reason;
            Ok(pc.render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(pc.fail(e)),
    }
}
