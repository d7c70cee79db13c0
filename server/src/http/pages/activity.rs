//! An activity's page: what it is, whether it is open, the forms the reader may send (through
//! the one form renderer, `forms`), the results its plugin computed (kept per revision by the
//! app, never computed for a view) with charts and tables, and the contributions with the
//! organisers' responses.
//!
//! A contribution is posted to `/activities/{id}/contributions` with its kind and an
//! idempotency key made when the form was shown, so that a second press of the button or a
//! retried post stores nothing twice. What the plugin refuses comes back at its fields, with
//! what the person typed.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::charts::{Chart, ChartKind, Series};
use super::forms::{self, Answers, Form, SummaryItem, Text, Values};
use super::i18n::Tr;
use super::page::{Chrome, OrPage, PageCtx, PagePost, PageResult};
use super::words;
use crate::app::activities::{self, ActivityState, ActivityView};
use crate::app::contributions::{self, ContributionView, KindAccess, NewContribution, Refusal, Submitted};
use crate::app::pagination::PageParams;
use crate::app::processes;
use crate::app::{AppError, outcomes, results};
use crate::domain::errors::FieldError;
use crate::domain::localized::LocalizedText;
use crate::domain::participation::ContributionStatus;

/// Contributions per page.
const PAGE_SIZE: u64 = 20;

#[derive(Deserialize, Default)]
pub struct ActivityQuery {
    cursor: Option<String>,
    /// The contribution just made, for the note that says it was received.
    received: Option<String>,
}

/// The form of a contribution kind, as posted.
#[derive(Deserialize)]
pub struct ContributionPost {
    kind: String,
    #[serde(rename = "idempotency-key")]
    idempotency_key: Option<String>,
    /// Asks for one more item slot of a repeated field instead of sending.
    #[serde(rename = "more-items")]
    more_items: Option<String>,
}

/// What a post brings back to the page: the kind's form as typed, and why it was not stored.
struct Posted {
    kind: String,
    values: Values,
    errors: Vec<FieldError>,
    key: String,
    /// A note above everything (a refusal that is not about the fields).
    note: Option<String>,
}

/// One contribution kind the reader may send: its form, or why not.
pub struct KindSection {
    pub anchor: String,
    pub kind: String,
    pub name: Text,
    pub description: Option<Text>,
    pub form_html: Option<String>,
    /// Why the reader may not send it (in words), when that is particular to this kind.
    pub refusal: Option<String>,
    pub key: String,
}

/// One section of the results.
pub struct ResultSection {
    /// text | table | chart
    pub kind: &'static str,
    pub title: Text,
    pub paragraphs: Vec<Text>,
    pub columns: Vec<Text>,
    pub rows: Vec<Vec<String>>,
    pub chart_html: String,
    pub note: Option<String>,
}

pub struct ResponseItem {
    pub disposition: String,
    pub explanation: Option<Text>,
    pub sections: Vec<Text>,
    pub date: String,
}

pub struct ContributionItem {
    pub id: String,
    pub kind_name: Text,
    pub date: String,
    pub edited: Option<String>,
    pub channel: String,
    /// The instance federated input came from.
    pub origin: Option<String>,
    pub mine: bool,
    pub reference: Option<String>,
    pub hidden_reason: Option<String>,
    pub answers: Answers,
    pub response: Option<ResponseItem>,
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    c: Chrome,
    id: String,
    process_slug: String,
    process_title: Text,
    title: Text,
    title_fallback: bool,
    description: Vec<Vec<String>>,
    description_lang: String,
    description_dir: &'static str,
    state: String,
    state_open: bool,
    state_detail: Option<String>,
    summary: Vec<SummaryItem>,
    note: Option<String>,
    received: Option<ContributionItem>,
    sign_in: Option<String>,
    /// Why the reader may not take part, when it holds for every kind.
    shared_refusal: Option<String>,
    kinds: Vec<KindSection>,
    results: Vec<ResultSection>,
    results_note: Option<String>,
    results_when: Option<String>,
    contributions: Vec<ContributionItem>,
    next: Option<String>,
    first: Option<String>,
    /// The "take part from another site" form, when people elsewhere may take part.
    from: Option<super::take_part::FromForm>,
}

/// The activity in the path; anything that is not an id is not found.
fn activity_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound("activity"))
}

pub async fn show(pc: PageCtx, id: web::Path<String>, q: web::Query<ActivityQuery>) -> PageResult {
    let id = activity_id(&id).or_page(&pc)?;
    render(&pc, id, &q.into_inner(), None, StatusCode::OK).await
}

/// A contribution posted from the page.
pub async fn contribute(post: PagePost<ContributionPost>, id: web::Path<String>) -> PageResult {
    let PagePost { pc, form, pairs } = post;
    let id = activity_id(&id).or_page(&pc)?;
    let back = format!("/activities/{id}");
    let Some(viewer) = pc.viewer().cloned() else {
        let to = format!("/signin?next={}", url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>());
        return Ok(pc.redirect(&to));
    };
    let a = activities::get(&pc.app, Some(&viewer), id).await.or_page(&pc)?;
    let fields = forms::fields(&activities::form(&pc.app, Some(&viewer), id, &form.kind).await.or_page(&pc)?);
    let p = processes::get(&pc.app, Some(&viewer), &a.process_id.to_string()).await.or_page(&pc)?;
    let f = Form::new(pc.tr, "body", format!("f-{}", form.kind), p.default_language.as_str(), &fields);
    let values = f.values_from_pairs(&pairs);
    let key = form.idempotency_key.clone().filter(|k| !k.is_empty()).unwrap_or_else(|| Uuid::new_v4().to_string());
    let mut posted = Posted { kind: form.kind.clone(), values, errors: Vec::new(), key, note: None };
    let query = ActivityQuery::default();
    if form.more_items.is_some() {
        // One more item slot: the same form again, nothing sent.
        return render(&pc, id, &query, Some(posted), StatusCode::OK).await;
    }
    let (body, errors) = f.parse(&posted.values);
    if !errors.is_empty() {
        posted.errors = errors;
        return render(&pc, id, &query, Some(posted), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let lang = pc.tr.code();
    let language = pc.app.settings.instance.languages.iter().any(|l| l.as_str() == lang).then(|| lang.to_string());
    let input = NewContribution { kind: form.kind.clone(), body, language, channel: None, on_behalf_of: None, reference: None };
    match contributions::submit(&pc.app, &viewer, id, input, Some(posted.key.clone())).await {
        Ok(Submitted::Created(c) | Submitted::Replayed(c)) => Ok(pc.redirect(&format!("{back}?received={}#received", c.id))),
        Err(AppError::Invalid(errors)) => {
            posted.errors = errors;
            render(&pc, id, &query, Some(posted), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::TooLarge(_)) => {
            posted.errors = vec![FieldError::new("body", pc.tr.t("activity-too-large"))];
            render(&pc, id, &query, Some(posted), StatusCode::PAYLOAD_TOO_LARGE).await
        }
        Err(AppError::TooManyRequests { retry_after, .. }) => {
            let minutes = retry_after.div_ceil(60).max(1);
            posted.note = Some(pc.tr.n("activity-too-many", "minutes", minutes));
            let res = render(&pc, id, &query, Some(posted), StatusCode::TOO_MANY_REQUESTS).await;
            res.map(|mut r| {
                if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&retry_after.to_string()) {
                    r.headers_mut().insert(actix_web::http::header::RETRY_AFTER, v);
                }
                r
            })
        }
        Err(e @ (AppError::Conflict(_) | AppError::Forbidden(_))) => {
            // Closed meanwhile, or not allowed: the page shows why in place of the form.
            let status = actix_web::ResponseError::status_code(&e);
            posted.note = Some(pc.tr.t("activity-not-saved"));
            render(&pc, id, &query, Some(posted), status).await
        }
        Err(e) => Err(pc.fail(e)),
    }
}

async fn render(pc: &PageCtx, id: Uuid, q: &ActivityQuery, posted: Option<Posted>, status: StatusCode) -> PageResult {
    let app = &pc.app;
    let viewer = pc.viewer();
    let tr = pc.tr;
    let a = activities::get(app, viewer, id).await.or_page(pc)?;
    let p = processes::get(app, viewer, &a.process_id.to_string()).await.or_page(pc)?;
    let dl = p.default_language.as_str().to_string();

    // The kinds, who may send them, and their forms (also for the labels of contributions).
    let (kinds, disabled) = match contributions::online_kinds(app, viewer, id).await {
        Ok(k) => (k, false),
        // The type is disabled by the administrators: nothing can be sent for now.
        Err(AppError::Conflict(_)) => (Vec::new(), true),
        Err(e) => return Err(pc.fail(e)),
    };
    let mut form_fields: BTreeMap<String, Option<Vec<forms::Field>>> = BTreeMap::new();
    for k in &kinds {
        let fields = match activities::form(app, viewer, id, &k.id).await {
            Ok(v) => Some(forms::fields(&v)),
            // The plugin has no form for it in this state.
            Err(AppError::Invalid(_)) => None,
            Err(e) => return Err(pc.fail(e)),
        };
        form_fields.insert(k.id.clone(), fields);
    }
    let kind_names: BTreeMap<String, Text> = kinds.iter().map(|k| (k.id.clone(), kind_name(&tr, k, &dl))).collect();

    let mut summary = Vec::new();
    let (sections, shared_refusal, sign_in) = kind_sections(pc, &a, &kinds, &form_fields, &dl, posted.as_ref(), &mut summary, disabled);

    let (results, results_note, results_when) = match results::get(app, viewer, id).await {
        Ok(r) => {
            let when = tr.a1("activity-results-when", "date", tr.datetime(r.computed_at));
            let note = r.recomputing.then(|| tr.t("activity-results-recomputing"));
            (result_sections(&tr, &r.sections, &dl), note, Some(when))
        }
        Err(AppError::Plugin { .. } | AppError::Conflict(_)) => (Vec::new(), Some(tr.t("activity-results-unavailable")), None),
        Err(AppError::Unavailable(_)) => (Vec::new(), Some(tr.t("activity-results-computing")), None),
        Err(e) => return Err(pc.fail(e)),
    };

    let page = contributions::list(app, viewer, id, &PageParams { limit: Some(PAGE_SIZE), cursor: q.cursor.clone() }).await.or_page(pc)?;
    let received = match q.received.as_deref().and_then(|r| Uuid::parse_str(r).ok()) {
        Some(cid) => contributions::get(app, viewer, cid).await.ok().filter(|c| c.mine && c.activity_id == id),
        None => None,
    };
    // The outcome's section headings, for the responses that name sections.
    let refs = page.items.iter().chain(received.iter()).any(|c| c.response.as_ref().is_some_and(|r| !r.outcome_refs.is_empty()));
    let headings: BTreeMap<String, LocalizedText> = if refs {
        outcomes::get(app, viewer, &p.slug, None).await.map(|o| o.sections.into_iter().map(|s| (s.id, s.heading)).collect()).unwrap_or_default()
    } else {
        BTreeMap::new()
    };
    let item = |c: &ContributionView| contribution_item(&tr, c, &form_fields, &kind_names, &headings, &dl);

    let title = forms::pick(&tr, &a.title, &dl);
    let title_fallback = title.lang != tr.code();
    let description = tr.pick(&a.description, &dl);
    let (state, state_open, state_detail) = state_words(&tr, &a);
    let from = if state_open && super::take_part::offered(pc, id).await {
        pc.allow_form_redirect_off_site();
        Some(super::take_part::FromForm::new(&id.to_string()))
    } else {
        None
    };
    let heading = if summary.is_empty() { title.text.clone() } else { format!("{} {}", tr.t("form-error-title-prefix"), title.text) };
    let next = page.next_cursor.as_ref().map(|c| format!("/activities/{id}?cursor={}#contributions-heading", url::form_urlencoded::byte_serialize(c.as_bytes()).collect::<String>()));
    let view = ActivityPage {
        c: pc.chrome(heading),
        id: id.to_string(),
        process_slug: p.slug.clone(),
        process_title: forms::pick(&tr, &p.title, &dl),
        title,
        title_fallback,
        description: paragraphs(description.text),
        description_lang: description.lang.clone(),
        description_dir: description.dir(),
        state,
        state_open,
        state_detail,
        summary,
        note: posted.as_ref().and_then(|p| p.note.clone()),
        received: received.as_ref().map(item),
        sign_in,
        shared_refusal,
        kinds: sections,
        results,
        results_note,
        results_when,
        contributions: page.items.iter().map(item).collect(),
        next,
        first: q.cursor.as_ref().map(|_| format!("/activities/{id}#contributions-heading")),
        from,
    };
    Ok(pc.render_status(status, &view))
}

pub(super) fn kind_name(tr: &Tr, k: &KindAccess, dl: &str) -> Text {
    if k.name.is_empty() { Text { text: k.id.clone(), lang: tr.code().into(), dir: "ltr" } } else { forms::pick(tr, &k.name, dl) }
}

/// The forms of the kinds the reader may send, and the reasons for the others.
#[allow(clippy::too_many_arguments)]
fn kind_sections(
    pc: &PageCtx,
    a: &ActivityView,
    kinds: &[KindAccess],
    form_fields: &BTreeMap<String, Option<Vec<forms::Field>>>,
    dl: &str,
    posted: Option<&Posted>,
    summary: &mut Vec<SummaryItem>,
    disabled: bool,
) -> (Vec<KindSection>, Option<String>, Option<String>) {
    let tr = pc.tr;
    if disabled {
        return (Vec::new(), Some(tr.t("activity-disabled")), None);
    }
    // A reason that holds for every kind is said once.
    let shared = kinds.iter().find_map(|k| k.refusal.clone().filter(|r| !matches!(r, Refusal::Roles(_))));
    if let Some(r) = shared {
        if r == Refusal::SignIn {
            let here = format!("/activities/{}", a.id);
            let href = format!("/signin?next={}", url::form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>());
            return (Vec::new(), None, Some(href));
        }
        return (Vec::new(), Some(refusal_words(&tr, &r)), None);
    }
    let mut sections = Vec::new();
    for k in kinds {
        let description = Some(forms::pick(&tr, &k.description, dl)).filter(|d| !d.text.trim().is_empty());
        let mut section = KindSection {
            anchor: format!("kind-{}", forms::slug(&k.id)),
            kind: k.id.clone(),
            name: kind_name(&tr, k, dl),
            description,
            form_html: None,
            refusal: None,
            key: Uuid::new_v4().to_string(),
        };
        if let Some(r) = &k.refusal {
            section.refusal = Some(refusal_words(&tr, r));
        } else {
            match form_fields.get(&k.id).cloned().flatten() {
                None => section.refusal = Some(tr.t("activity-form-unavailable")),
                Some(fields) => {
                    let form = Form::new(tr, "body", format!("f-{}", k.id), dl, &fields);
                    let (values, errors) = match posted.filter(|p| p.kind == k.id) {
                        Some(p) => {
                            section.key = p.key.clone();
                            (p.values.clone(), p.errors.as_slice())
                        }
                        None => (Values::default(), &[][..]),
                    };
                    let rendered = form.render(&values, errors);
                    summary.extend(rendered.summary);
                    section.form_html = Some(rendered.html);
                }
            }
        }
        sections.push(section);
    }
    // Errors of a post whose form is no longer shown still say what happened.
    if let Some(p) = posted
        && !sections.iter().any(|s| s.kind == p.kind && s.form_html.is_some())
    {
        summary.extend(p.errors.iter().map(|e| SummaryItem { href: None, text: e.problem.clone() }));
    }
    (sections, None, None)
}

fn refusal_words(tr: &Tr, r: &Refusal) -> String {
    match r {
        Refusal::SignIn => tr.t("activity-sign-in"),
        Refusal::ProcessNotOpen => tr.t("activity-refusal-process"),
        Refusal::NotYetOpen(Some(at)) => tr.a1("activity-refusal-upcoming", "date", tr.date(at.date_naive())),
        Refusal::NotYetOpen(None) => tr.t("activity-refusal-upcoming-undated"),
        Refusal::Closed(Some(at)) => tr.a1("activity-refusal-closed", "date", tr.date(at.date_naive())),
        Refusal::Closed(None) => tr.t("activity-refusal-closed-undated"),
        Refusal::Observer => tr.t("activity-refusal-observer"),
        Refusal::Attribute(name) => tr.a1("activity-refusal-attribute", "attribute", name.as_str()),
        Refusal::Roles(roles) => {
            let names: Vec<String> = roles.iter().map(|r| tr.t(&format!("activity-role-{r}"))).collect();
            let who = match names.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => tr.a("activity-roles-and", &[("first", rest.join(", ").into()), ("last", last.clone().into())]),
                None => String::new(),
            };
            tr.a1("activity-refusal-roles", "roles", who)
        }
    }
}

/// The tag, whether it is open, and its dates in words.
fn state_words(tr: &Tr, a: &ActivityView) -> (String, bool, Option<String>) {
    let day = |t: chrono::DateTime<chrono::Utc>| tr.date(t.date_naive());
    match a.state {
        ActivityState::Open => (
            tr.t("activity-state-open"),
            true,
            Some(match a.closes_at {
                Some(c) => tr.a1("activity-closes-on", "date", day(c)),
                None => tr.t("activity-open-no-close"),
            }),
        ),
        ActivityState::Upcoming => (tr.t("activity-state-upcoming"), false, a.opens_at.map(|o| tr.a1("activity-opens-on", "date", day(o)))),
        ActivityState::Closed => (tr.t("activity-state-closed"), false, a.closes_at.map(|c| tr.a1("activity-closed-on", "date", day(c)))),
    }
}

/// Plain text as paragraphs (blank lines) of lines.
fn paragraphs(text: &str) -> Vec<Vec<String>> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.lines().map(str::to_string).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A localized pair map of a plugin (`{"en": "..."}`) in the reader's language.
fn plugin_text(tr: &Tr, v: &Value, dl: &str) -> Text {
    forms::pick(tr, &LocalizedText::from_stored(v.clone()), dl)
}

/// The results' sections as the page shows them: text as paragraphs, tables with headers,
/// charts drawn with their tables (a pie as bars, which read better).
pub(crate) fn result_sections(tr: &Tr, sections: &Value, dl: &str) -> Vec<ResultSection> {
    let mut out = Vec::new();
    for (i, s) in sections.as_array().into_iter().flatten().enumerate() {
        let title = plugin_text(tr, &s["title"], dl);
        let mut section = ResultSection { kind: "text", title, paragraphs: Vec::new(), columns: Vec::new(), rows: Vec::new(), chart_html: String::new(), note: None };
        match s["type"].as_str() {
            Some("text") => {
                let body = plugin_text(tr, &s["body"], dl);
                section.paragraphs = body.text.split('\n').filter(|l| !l.trim().is_empty()).map(|l| Text { text: l.to_string(), ..body.clone() }).collect();
            }
            Some("table") => {
                section.kind = "table";
                section.columns = s["columns"].as_array().into_iter().flatten().map(|c| plugin_text(tr, c, dl)).collect();
                section.rows = s["rows"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|r| {
                        let mut cells: Vec<String> = r.as_array().into_iter().flatten().map(|c| c.as_str().map(str::to_string).unwrap_or_else(|| c.to_string())).collect();
                        if cells.len() < section.columns.len() {
                            cells.resize(section.columns.len(), String::new());
                        }
                        cells
                    })
                    .collect();
            }
            Some("chart") => {
                section.kind = "chart";
                let kind = match s["kind"].as_str() {
                    Some("line") => ChartKind::Line,
                    Some("pie") => {
                        section.note = Some(tr.t("activity-results-pie-as-bars"));
                        ChartKind::Bars
                    }
                    _ => ChartKind::Bars,
                };
                let categories: Vec<String> = s["labels"].as_array().into_iter().flatten().map(|l| plugin_text(tr, l, dl).text).collect();
                let series: Vec<Series> = s["series"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|x| Series {
                        name: plugin_text(tr, &x["name"], dl).text,
                        values: x["values"].as_array().into_iter().flatten().map(|v| v.as_f64().unwrap_or(0.0)).collect(),
                    })
                    .collect();
                section.chart_html = Chart {
                    id: format!("results-chart-{i}"),
                    title: section.title.text.clone(),
                    kind,
                    categories,
                    series,
                    category_header: tr.t("activity-results-category"),
                    total_label: None,
                }
                .html();
            }
            _ => continue,
        }
        out.push(section);
    }
    out
}

pub(super) fn contribution_item(
    tr: &Tr,
    c: &ContributionView,
    form_fields: &BTreeMap<String, Option<Vec<forms::Field>>>,
    kind_names: &BTreeMap<String, Text>,
    headings: &BTreeMap<String, LocalizedText>,
    dl: &str,
) -> ContributionItem {
    let hidden = c.status == ContributionStatus::Hidden;
    let fields = form_fields.get(&c.kind).cloned().flatten().unwrap_or_default();
    // A hidden contribution's body is never shown on this page, whoever reads it.
    let answers = Form::new(*tr, "body", format!("c-{}", c.id), dl, &fields).answers(if hidden { &Value::Null } else { &c.body }, &c.language);
    ContributionItem {
        id: c.id.to_string(),
        kind_name: kind_names.get(&c.kind).cloned().unwrap_or_else(|| Text { text: c.kind.clone(), lang: tr.code().into(), dir: "ltr" }),
        date: tr.datetime(c.created_at),
        edited: c.edited_at.map(|e| tr.datetime(e)),
        channel: words::channel(tr, c.channel),
        origin: c.origin.as_ref().map(|o| o.instance.clone()),
        mine: c.mine,
        reference: c.reference.clone(),
        hidden_reason: hidden.then(|| c.hidden_reason.clone().unwrap_or_default()),
        answers,
        response: c.response.as_ref().map(|r| ResponseItem {
            disposition: words::disposition(tr, r.disposition),
            explanation: Some(forms::pick(tr, &r.explanation, dl)).filter(|e| !e.text.trim().is_empty()),
            sections: r
                .outcome_refs
                .iter()
                .map(|id| match headings.get(id) {
                    Some(h) => forms::pick(tr, h, dl),
                    None => Text { text: id.clone(), lang: tr.code().into(), dir: "ltr" },
                })
                .collect(),
            date: tr.date(r.at.date_naive()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::http::pages::i18n::UiLang;

    #[test]
    fn results_become_paragraphs_tables_and_charts_in_the_readers_language() {
        let tr = Tr::new(UiLang::Es);
        let sections = json!([
            { "type": "text", "title": { "en": "Responses", "es": "Respuestas" }, "body": { "en": "12 responses\n3 on paper" } },
            { "type": "table", "title": { "en": "Ranking" }, "columns": [{ "en": "Choice" }, { "en": "Points" }], "rows": [["A <b>", "5"], ["B"]] },
            { "type": "chart", "kind": "pie", "title": { "en": "Share" }, "labels": [{ "en": "Yes", "es": "Sí" }, { "en": "No" }],
              "series": [{ "name": { "en": "Answers" }, "values": [3.0, 1.0] }] },
            { "type": "chart", "kind": "line", "title": { "en": "Over time" }, "labels": [{ "en": "May" }, { "en": "June" }],
              "series": [{ "name": { "en": "Answers" }, "values": [1.0, 4.0] }] },
            { "type": "hologram", "title": { "en": "Ignored" } }
        ]);
        let out = result_sections(&tr, &sections, "en");
        assert_eq!(out.len(), 4);
        assert_eq!((out[0].title.text.as_str(), out[0].title.lang.as_str()), ("Respuestas", "es"));
        let lines: Vec<&str> = out[0].paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!((lines, out[0].paragraphs[0].lang.as_str()), (vec!["12 responses", "3 on paper"], "en"));
        assert_eq!(out[1].rows, vec![vec!["A <b>".to_string(), "5".into()], vec!["B".into(), String::new()]], "rows as long as the header");
        assert_eq!(out[2].note.as_deref(), Some(tr.t("activity-results-pie-as-bars").as_str()));
        assert!(out[2].chart_html.contains("<rect") && out[2].chart_html.contains(">Sí<"), "{}", out[2].chart_html);
        assert!(out[3].chart_html.contains("<polyline") && out[3].note.is_none(), "{}", out[3].chart_html);
        assert!(out[2].chart_html.contains("results-chart-2-table"), "ids unique on the page");
    }

    #[test]
    fn refusals_are_said_in_words() {
        let tr = Tr::new(UiLang::En);
        assert_eq!(refusal_words(&tr, &Refusal::Roles(vec!["organiser"])), "Only the organisers of this process send this.");
        assert_eq!(refusal_words(&tr, &Refusal::Roles(vec!["participant", "facilitator", "organiser"])), "Only the participants, facilitators and organisers of this process send this.");
        let at = chrono::DateTime::parse_from_rfc3339("2027-03-01T10:00:00Z").unwrap().to_utc();
        assert_eq!(refusal_words(&tr, &Refusal::Closed(Some(at))), "This activity closed on 1 March 2027. Contributions can no longer be made.");
        assert!(refusal_words(&Tr::new(UiLang::Fr), &Refusal::Attribute("resident".into())).contains("« resident »"));
        assert_eq!(paragraphs("One\r\nline two\n\n\nThree"), vec![vec!["One".to_string(), "line two".into()], vec!["Three".into()]]);
    }
}
