//! A citizen panel, for its organisers, one step after another, each explained: the pool
//! against the quotas, the draw seed, the draw, the invitations and their replies, the
//! replacement rounds, and revealing the seed. Everything shown comes from the activity's
//! results (the plugin's, as the public sees them: `results::get`); the draw is the
//! organiser's contribution of kind `draw` (`contributions::submit`), its form rendered from
//! the plugin's by the one form renderer.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::Tabs;
use super::activities::{PANEL_TYPE, activity_id, managed, signed_in};
use crate::app::activities;
use crate::app::contributions::{self, NewContribution, Submitted};
use crate::app::{AppError, Viewer, results};
use crate::domain::errors::FieldError;
use crate::http::pages::activity::{ResultSection, result_sections};
use crate::http::pages::forms::{self, Form, SummaryItem, Text, Values};
use crate::http::pages::page::{Chrome, OrPage, PageCtx, PagePost, PageResult};

/// The contribution kind of a draw.
const DRAW: &str = "draw";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/activities/{id}/panel", web::get().to(show)).route("/manage/activities/{id}/panel/draw", web::post().to(draw));
}

#[derive(Deserialize, Default)]
pub struct PanelQuery {
    drawn: Option<String>,
    seed: Option<String>,
}

/// The results' sections by the plugin's titles (Summary, Quotas, Panel, Pool, Fairness,
/// Draws, in this order); any other section is shown at the end.
#[derive(Default)]
pub struct Sections {
    pub summary: Option<ResultSection>,
    pub quotas: Option<ResultSection>,
    pub panel: Option<ResultSection>,
    pub pool: Option<ResultSection>,
    pub fairness: Option<ResultSection>,
    pub draws: Option<ResultSection>,
    pub other: Vec<ResultSection>,
}

fn sections(list: Vec<ResultSection>, raw: &serde_json::Value) -> Sections {
    let mut out = Sections::default();
    // `result_sections` keeps the sections of the kinds it knows, in order.
    let titles: Vec<String> = raw
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| matches!(s["type"].as_str(), Some("text" | "table" | "chart")))
        .map(|s| s["title"]["en"].as_str().unwrap_or("").to_string())
        .collect();
    let mut known = titles.iter();
    for s in list {
        let title = known.next().cloned().unwrap_or_default();
        let slot = match title.as_str() {
            "Summary" => &mut out.summary,
            "Quotas" => &mut out.quotas,
            "Panel" => &mut out.panel,
            "Pool" => &mut out.pool,
            "Fairness" => &mut out.fairness,
            "Draws" => &mut out.draws,
            _ => {
                out.other.push(s);
                continue;
            }
        };
        *slot = Some(s);
    }
    out
}

#[derive(Template)]
#[template(path = "staff/panel.html")]
struct PanelPage {
    c: Chrome,
    tabs: Tabs,
    id: String,
    title: Text,
    note: Option<String>,
    summary: Vec<SummaryItem>,
    results_note: Option<String>,
    sec: Sections,
    seed_sha256: Option<String>,
    seed_revealed: Option<String>,
    drawn: bool,
    draw_form: Option<String>,
    draw_refusal: Option<String>,
    key: String,
}

/// What a draw post brings back.
struct Posted {
    values: Values,
    errors: Vec<FieldError>,
    key: String,
    note: Option<String>,
}

async fn show(pc: PageCtx, id: web::Path<String>, q: web::Query<PanelQuery>) -> PageResult {
    let viewer = signed_in(&pc)?;
    let id = activity_id(&id).or_page(&pc)?;
    let note = if q.drawn.is_some() {
        Some(pc.tr.t("staff-panel-drawn-note"))
    } else {
        match q.seed.as_deref() {
            Some("committed") => Some(pc.tr.t("staff-act-seed-committed-note")),
            Some("revealed") => Some(pc.tr.t("staff-act-seed-revealed-note")),
            _ => None,
        }
    };
    render(&pc, &viewer, id, None, note, StatusCode::OK).await
}

async fn render(pc: &PageCtx, viewer: &Viewer, id: Uuid, posted: Option<Posted>, note: Option<String>, status: StatusCode) -> PageResult {
    let tr = pc.tr;
    let (a, visible) = managed(pc, viewer, id).await?;
    if a.type_id != PANEL_TYPE {
        return Err(pc.fail(AppError::NotFound("activity")));
    }
    let dl = visible.process.default_language.clone();
    let (s, results_note) = match results::get(&pc.app, Some(viewer), id).await {
        Ok(r) => (sections(result_sections(&tr, &r.sections, &dl), &r.sections), r.recomputing.then(|| tr.t("activity-results-recomputing"))),
        Err(AppError::Plugin { .. } | AppError::Conflict(_)) => (Sections::default(), Some(tr.t("activity-results-unavailable"))),
        Err(AppError::Unavailable(_)) => (Sections::default(), Some(tr.t("activity-results-computing"))),
        Err(e) => return Err(pc.fail(e)),
    };
    let drawn = s.draws.as_ref().is_some_and(|d| !d.rows.is_empty());
    let mut summary = Vec::new();
    let mut key = Uuid::new_v4().to_string();
    let mut note = note;
    let (draw_form, draw_refusal) = if a.seed.is_none() {
        // A draw posted all the same: the plugin's refusal, above everything.
        if let Some(p) = posted {
            summary = p.errors.iter().map(|e| SummaryItem { href: None, text: e.problem.clone() }).collect();
            note = p.note.or(note);
        }
        (None, Some(tr.t("staff-panel-draw-needs-seed")))
    } else {
        match activities::form(&pc.app, Some(viewer), id, DRAW).await {
            Ok(v) => {
                let fields = forms::fields(&v);
                let form = Form::new(tr, "body", "draw", &dl, &fields);
                let (values, errors) = match posted {
                    Some(p) => {
                        key = p.key;
                        if p.note.is_some() {
                            note = p.note;
                        }
                        (p.values, p.errors)
                    }
                    None => (Values::default(), Vec::new()),
                };
                let rendered = form.render(&values, &errors);
                summary = rendered.summary;
                (Some(rendered.html), None)
            }
            Err(AppError::Invalid(_) | AppError::Conflict(_)) => (None, Some(tr.t("activity-form-unavailable"))),
            Err(e) => return Err(pc.fail(e)),
        }
    };
    let title = forms::pick(&tr, &a.title, &dl);
    let heading = tr.a1("staff-panel-title", "activity", title.text.clone());
    let heading = if summary.is_empty() { heading } else { format!("{} {heading}", tr.t("form-error-title-prefix")) };
    let page = PanelPage {
        c: pc.chrome(heading),
        tabs: Tabs::new(tr, &visible, Some(viewer), "activities"),
        id: id.to_string(),
        title,
        note,
        summary,
        results_note,
        sec: s,
        seed_sha256: a.seed.as_ref().map(|s| s.sha256.clone()),
        seed_revealed: a.seed.as_ref().and_then(|s| s.seed.clone()),
        drawn,
        draw_form,
        draw_refusal,
        key,
    };
    Ok(pc.render_status(status, &page))
}

#[derive(Deserialize)]
pub struct DrawPost {
    #[serde(rename = "idempotency-key")]
    idempotency_key: Option<String>,
}

async fn draw(post: PagePost<DrawPost>, id: web::Path<String>) -> PageResult {
    let PagePost { pc, form, pairs } = post;
    let viewer = signed_in(&pc)?;
    let id = activity_id(&id).or_page(&pc)?;
    let (_, visible) = managed(&pc, &viewer, id).await?;
    let tr = pc.tr;
    let dl = visible.process.default_language.clone();
    let fields = forms::fields(&activities::form(&pc.app, Some(&viewer), id, DRAW).await.or_page(&pc)?);
    let f = Form::new(tr, "body", "draw", &dl, &fields);
    let values = f.values_from_pairs(&pairs);
    let key = form.idempotency_key.clone().filter(|k| !k.is_empty()).unwrap_or_else(|| Uuid::new_v4().to_string());
    let (body, errors) = f.parse(&values);
    if !errors.is_empty() {
        return render(&pc, &viewer, id, Some(Posted { values, errors, key, note: None }), None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let input = NewContribution { kind: DRAW.into(), body, language: None, channel: None, on_behalf_of: None, reference: None };
    match contributions::submit(&pc.app, &viewer, id, input, Some(key.clone())).await {
        Ok(Submitted::Created(_) | Submitted::Replayed(_)) => Ok(pc.redirect(&format!("/manage/activities/{id}/panel?drawn=1#invitations-heading"))),
        Err(AppError::Invalid(errors)) => render(&pc, &viewer, id, Some(Posted { values, errors, key, note: None }), None, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(AppError::Conflict(e)) => {
            let note = Some(format!("{}: {}", e.field, e.problem));
            render(&pc, &viewer, id, Some(Posted { values, errors: Vec::new(), key, note }), None, StatusCode::CONFLICT).await
        }
        Err(e) => Err(pc.fail(e)),
    }
}
