//! Taking part in an activity on another Convene site, in two halves:
//!
//! - On the person's own site, `/take-part?activity=ADDRESS` (signed in): the activity as its
//!   site describes it (`remote::describe`) and the form of each kind it takes from other
//!   sites, drawn by the one form renderer. A post sends it (`remote::contribute`, as the API's
//!   `POST /api/v1/federation/contributions`); what the other site's plugin refuses comes back
//!   at its fields, and what it accepts is on "My input" with what becomes of it. Without an
//!   address the page asks for one.
//! - On the activity's site, the activity page's "from another site" form posts to
//!   `/activities/{id}/elsewhere`: the person names their site, `discovery::take_part_from`
//!   asks that site's NodeInfo where it lets people take part elsewhere, and the answer is a
//!   303 there. A refused name comes back on this module's own small page.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::account_forms::Problems;
use super::forms::{self, Form, SummaryItem, Text, Values};
use super::page::{Chrome, OrPage, PageCtx, PageError, PagePost, PageResult};
use crate::app::federation::remote::{self, RemoteActivity};
use crate::app::federation::discovery;
use crate::app::{AppError, activities, processes};
use crate::domain::errors::FieldError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/take-part", web::get().to(show))
        .route("/take-part", web::post().to(send))
        .route("/activities/{id}/elsewhere", web::get().to(from_page))
        .route("/activities/{id}/elsewhere", web::post().to(from_submit));
}

// ---------------------------------------------------------------------------------------
// On the person's own site.

#[derive(Deserialize, Default)]
pub struct TakePartQuery {
    #[serde(default)]
    activity: String,
}

/// One kind the activity elsewhere takes, with its form.
pub struct KindForm {
    pub anchor: String,
    pub kind: String,
    pub name: Text,
    pub description: Option<Text>,
    pub form_html: String,
}

/// The activity elsewhere, as the page shows it.
pub struct Elsewhere {
    pub address: String,
    pub instance: String,
    pub name: String,
    pub description: String,
    pub page: Option<String>,
    pub kinds: Vec<KindForm>,
}

#[derive(Template)]
#[template(path = "take_part.html")]
struct TakePartPage {
    c: Chrome,
    /// The activity, once its address was read; else the page asks for the address.
    activity: Option<Elsewhere>,
    /// The address as typed, and its problem.
    typed: String,
    errors: Problems,
    /// The problems of a post, for the error summary.
    summary: Vec<SummaryItem>,
}

/// What a post brings back to the page.
struct Posted {
    kind: String,
    values: Values,
    errors: Vec<FieldError>,
}

/// GET /take-part: the activity's forms, or the question of its address.
pub async fn show(pc: PageCtx, q: web::Query<TakePartQuery>) -> PageResult {
    let Some(viewer) = pc.viewer().cloned() else {
        return Err(pc.fail(AppError::Unauthenticated("sign in to take part from this site".into())));
    };
    let typed = q.activity.trim().to_string();
    if typed.is_empty() {
        return Ok(ask_page(&pc, typed, Problems::new(), StatusCode::OK));
    }
    match remote::describe(&pc.app, &viewer, &typed).await {
        Ok(a) => Ok(forms_page(&pc, a, None, StatusCode::OK)),
        Err(e) => address_refused(&pc, typed, e),
    }
}

#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    activity: String,
    #[serde(default)]
    kind: String,
    /// Asks for one more item slot of a repeated field instead of sending.
    #[serde(rename = "more-items")]
    more_items: Option<String>,
}

/// POST /take-part: sends the contribution to the other site.
pub async fn send(post: PagePost<SendForm>) -> PageResult {
    let PagePost { pc, form, pairs } = post;
    let Some(viewer) = pc.viewer().cloned() else {
        return Err(pc.fail(AppError::Unauthenticated("sign in to take part from this site".into())));
    };
    let a = match remote::describe(&pc.app, &viewer, &form.activity).await {
        Ok(a) => a,
        Err(e) => return address_refused(&pc, form.activity.trim().to_string(), e),
    };
    let Some(kind) = a.kinds.iter().find(|k| k.id == form.kind) else {
        let errors = vec![FieldError::new("kind", pc.tr.t("take-part-error-kind"))];
        let posted = Posted { kind: form.kind.clone(), values: Values::default(), errors };
        return Ok(forms_page(&pc, a, Some(posted), StatusCode::UNPROCESSABLE_ENTITY));
    };
    let fields = forms::fields(&kind.form);
    let f = Form::new(pc.tr, "body", format!("f-{}", kind.id), pc.tr.code(), &fields);
    let values = f.values_from_pairs(&pairs);
    let mut posted = Posted { kind: kind.id.clone(), values, errors: Vec::new() };
    if form.more_items.is_some() {
        return Ok(forms_page(&pc, a, Some(posted), StatusCode::OK));
    }
    let (body, errors) = f.parse(&posted.values);
    if !errors.is_empty() {
        posted.errors = errors;
        return Ok(forms_page(&pc, a, Some(posted), StatusCode::UNPROCESSABLE_ENTITY));
    }
    let lang = pc.tr.code();
    let language = pc.app.settings.instance.languages.iter().any(|l| l.as_str() == lang).then(|| lang.to_string());
    match remote::contribute_to(&pc.app, &viewer, &a, &posted.kind, body, language).await {
        Ok(sent) => Ok(pc.redirect(&format!("/me/input?sent={}#elsewhere", sent.id))),
        Err(AppError::Invalid(errors)) => {
            posted.errors = errors;
            Ok(forms_page(&pc, a, Some(posted), StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e @ (AppError::Conflict(_) | AppError::Forbidden(_) | AppError::TooManyRequests { .. })) => {
            let status = actix_web::ResponseError::status_code(&e);
            posted.errors = vec![FieldError::new("activity", refusal_text(&e))];
            Ok(forms_page(&pc, a, Some(posted), status))
        }
        Err(e) => Err(pc.fail(e)),
    }
}

/// The other site's refusal in its own words (they are the only ones we have).
fn refusal_text(e: &AppError) -> String {
    match e {
        AppError::Conflict(fe) => fe.problem.clone(),
        AppError::Forbidden(why) => why.clone(),
        AppError::TooManyRequests { detail, .. } => detail.clone(),
        other => other.to_string(),
    }
}

/// An address that could not be read comes back at its field; other errors are the error page.
fn address_refused(pc: &PageCtx, typed: String, e: AppError) -> PageResult {
    match e {
        AppError::Invalid(list) => {
            let mut errors = Problems::new();
            for fe in list {
                errors.push("activity", if typed.is_empty() { pc.tr.t("take-part-error-empty") } else { fe.problem });
            }
            Ok(ask_page(pc, typed, errors, StatusCode::UNPROCESSABLE_ENTITY))
        }
        e => Err(pc.fail(e)),
    }
}

fn ask_page(pc: &PageCtx, typed: String, errors: Problems, status: StatusCode) -> actix_web::HttpResponse {
    let page = TakePartPage { c: pc.chrome(errors.title(&pc.tr, pc.tr.t("take-part-title"))), activity: None, typed, errors, summary: Vec::new() };
    pc.render_status(status, &page)
}

fn forms_page(pc: &PageCtx, a: RemoteActivity, posted: Option<Posted>, status: StatusCode) -> actix_web::HttpResponse {
    let tr = pc.tr;
    let mut summary = Vec::new();
    let kinds = a
        .kinds
        .iter()
        .map(|k| {
            let fields = forms::fields(&k.form);
            let form = Form::new(tr, "body", format!("f-{}", k.id), tr.code(), &fields);
            let rendered = match posted.as_ref().filter(|p| p.kind == k.id) {
                Some(p) => form.render(&p.values, &p.errors),
                None => form.render(&Values::default(), &[]),
            };
            summary.extend(rendered.summary);
            let name = forms::pick(&tr, &k.name, tr.code());
            KindForm {
                anchor: format!("kind-{}", forms::slug(&k.id)),
                kind: k.id.clone(),
                name: if name.text.trim().is_empty() { Text { text: k.id.clone(), lang: tr.code().into(), dir: "ltr" } } else { name },
                description: Some(forms::pick(&tr, &k.description, tr.code())).filter(|d| !d.text.trim().is_empty()),
                form_html: rendered.html,
            }
        })
        .collect();
    // Errors of a kind the activity no longer takes still say what happened.
    if let Some(p) = posted.as_ref().filter(|p| !a.kinds.iter().any(|k| k.id == p.kind)) {
        summary.extend(p.errors.iter().map(|e| SummaryItem { href: None, text: e.problem.clone() }));
    }
    let heading = tr.a1("take-part-in", "activity", a.name.clone());
    let title = if summary.is_empty() { heading } else { format!("{} {heading}", tr.t("form-error-title-prefix")) };
    let activity = Elsewhere { address: a.address, instance: a.instance, name: a.name, description: a.description, page: a.page, kinds };
    let page = TakePartPage { c: pc.chrome(title), activity: Some(activity), typed: String::new(), errors: Problems::new(), summary };
    pc.render_status(status, &page)
}

// ---------------------------------------------------------------------------------------
// On the activity's site.

/// The "from another site" form, on the activity page and on its own page.
pub struct FromForm {
    pub action: String,
    pub typed: String,
    pub errors: Problems,
}

impl FromForm {
    pub fn new(activity_id: &str) -> FromForm {
        FromForm { action: format!("/activities/{activity_id}/elsewhere"), typed: String::new(), errors: Problems::new() }
    }
}

#[derive(Template)]
#[template(path = "take_part_from.html")]
struct FromPage {
    c: Chrome,
    id: String,
    title: Text,
    from: FromForm,
}

#[derive(Deserialize)]
pub struct FromInput {
    #[serde(default)]
    site: String,
}

/// Whether the activity page offers the form: the app says whether people elsewhere may take
/// part in this activity.
pub async fn offered(pc: &PageCtx, activity_id: Uuid) -> bool {
    discovery::open_to_other_sites(&pc.app, activity_id).await.unwrap_or(false)
}

pub async fn from_page(pc: PageCtx, id: web::Path<String>) -> PageResult {
    let id = Uuid::parse_str(&id).map_err(|_| pc.fail(AppError::NotFound("activity")))?;
    let page = from_page_of(&pc, id, String::new(), Problems::new()).await?;
    pc.allow_form_redirect_off_site();
    Ok(pc.render(&page))
}

pub async fn from_submit(post: PagePost<FromInput>, id: web::Path<String>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let id = Uuid::parse_str(&id).map_err(|_| pc.fail(AppError::NotFound("activity")))?;
    let typed = form.site.trim().to_string();
    match discovery::take_part_from(&pc.app, id, &typed).await {
        Ok(found) => Ok(pc.redirect(&found.redirect)),
        Err(AppError::Invalid(list)) => {
            let mut errors = Problems::new();
            for fe in list {
                errors.push("site", if typed.is_empty() { pc.tr.t("take-part-from-error-empty") } else { fe.problem });
            }
            let page = from_page_of(&pc, id, typed, errors).await?;
            pc.allow_form_redirect_off_site();
            Ok(pc.render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(pc.fail(e)),
    }
}

async fn from_page_of(pc: &PageCtx, id: Uuid, typed: String, errors: Problems) -> Result<FromPage, PageError> {
    if !offered(pc, id).await {
        return Err(pc.fail(AppError::NotFound("activity")));
    }
    let a = activities::get(&pc.app, pc.viewer(), id).await.or_page(pc)?;
    let p = processes::get(&pc.app, pc.viewer(), &a.process_id.to_string()).await.or_page(pc)?;
    let title = forms::pick(&pc.tr, &a.title, p.default_language.as_str());
    let mut from = FromForm::new(&id.to_string());
    from.typed = typed;
    from.errors = errors;
    let heading = format!("{} – {}", pc.tr.t("take-part-from-heading"), title.text);
    Ok(FromPage { c: pc.chrome(from.errors.title(&pc.tr, heading)), id: id.to_string(), title, from })
}
