//! The activities of a process, for its organisers: the list (type, title, dates, status,
//! links), adding one of an installed, enabled type, editing it while the rules allow
//! (`activities::update`), closing it now, and the draw seed (commit, then reveal).
//!
//! An activity type's configuration form is rendered from its plugin's `config-fields` by the
//! one form renderer (`forms`), under the root `config`, so the plugin's configuration errors
//! (`config.…`) land at their fields. A type that describes no configuration fields (every
//! first-party type today: their configurations are nested lists of questions) is configured
//! as JSON in one text area, rendered by the same renderer; the plugin's errors are shown at
//! that text area, each with its path in the configuration.
//!
//! Dates are entered and shown in UTC, like every date and time on the staff pages.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::Tabs;
use crate::app::activities::{self, ActivityPatch, ActivityState, ActivityView, Editable, NewActivity};
use crate::app::{AppError, Viewer, draw_seeds, plugins, processes};
use crate::domain::errors::FieldError;
use crate::domain::localized::LocalizedText;
use crate::http::pages::forms::{self, Field, Form, Kind, SummaryItem, Text, Values};
use crate::http::pages::i18n::{Tr, UiLang};
use crate::http::pages::page::{Chrome, OrPage, PageCtx, PageError, PagePost, PageResult};

/// The citizen panel's type id: its activities have a panel page.
pub const PANEL_TYPE: &str = "org.convene.citizen-panel";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/processes/{key}/activities", web::get().to(list))
        .route("/manage/processes/{key}/activities/new", web::get().to(new_form))
        .route("/manage/processes/{key}/activities/new", web::post().to(add))
        .route("/manage/activities/{id}", web::get().to(show))
        .route("/manage/activities/{id}", web::post().to(edit))
        .route("/manage/activities/{id}/close", web::get().to(close_confirm))
        .route("/manage/activities/{id}/close", web::post().to(close))
        .route("/manage/activities/{id}/seed", web::post().to(commit_seed))
        .route("/manage/activities/{id}/seed/reveal", web::post().to(reveal_seed));
    super::panel::routes(cfg);
}

/// The signed-in viewer, or the sign-in page (which comes back here).
pub(super) fn signed_in(pc: &PageCtx) -> Result<Viewer, PageError> {
    pc.viewer().cloned().ok_or_else(|| pc.fail(AppError::Unauthenticated("sign in to manage a process".into())))
}

/// The activity in the path; anything that is not an id is not found.
pub(super) fn activity_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound("activity"))
}

/// An activity the viewer manages, with its process (the app refuses everyone else).
pub(super) async fn managed(pc: &PageCtx, viewer: &Viewer, id: Uuid) -> Result<(ActivityView, processes::Visible), PageError> {
    let a = activities::get(&pc.app, Some(viewer), id).await.or_page(pc)?;
    let visible = processes::load_managed(&pc.app, viewer, &a.process_id.to_string()).await.or_page(pc)?;
    Ok((a, visible))
}

/// One installed, enabled activity type.
pub struct TypeInfo {
    pub id: String,
    pub name: Text,
    pub description: Option<Text>,
    pub config_fields: Vec<Field>,
}

async fn types(pc: &PageCtx, dl: &str) -> Result<Vec<TypeInfo>, PageError> {
    let raw = plugins::activity_types(&pc.app).await.or_page(pc)?;
    Ok(raw
        .iter()
        .filter_map(|t| {
            let id = t["id"].as_str()?.to_string();
            let name = forms::pick(&pc.tr, &LocalizedText::from_stored(t["name"].clone()), dl);
            let name = if name.text.trim().is_empty() { Text { text: id.clone(), lang: "en".into(), dir: "ltr" } } else { name };
            let description = Some(forms::pick(&pc.tr, &LocalizedText::from_stored(t["description"].clone()), dl)).filter(|d| !d.text.trim().is_empty());
            Some(TypeInfo { id, name, description, config_fields: forms::fields(&t["config_fields"]) })
        })
        .collect())
}

/// The words for an activity's state.
pub(super) fn state_word(tr: &Tr, s: ActivityState) -> String {
    tr.t(match s {
        ActivityState::Upcoming => "activity-state-upcoming",
        ActivityState::Open => "activity-state-open",
        ActivityState::Closed => "activity-state-closed",
    })
}

fn when(tr: &Tr, t: Option<DateTime<Utc>>, none: &str) -> String {
    t.map(|t| tr.datetime(t)).unwrap_or_else(|| tr.t(none))
}

#[derive(Deserialize, Default)]
pub struct Flash {
    added: Option<String>,
    saved: Option<String>,
    closed: Option<String>,
    seed: Option<String>,
}

impl Flash {
    fn note(&self, tr: &Tr) -> Option<String> {
        if self.added.is_some() {
            Some(tr.t("staff-act-added"))
        } else if self.saved.is_some() {
            Some(tr.t("staff-act-saved"))
        } else if self.closed.is_some() {
            Some(tr.t("staff-act-closed-note"))
        } else {
            match self.seed.as_deref() {
                Some("committed") => Some(tr.t("staff-act-seed-committed-note")),
                Some("revealed") => Some(tr.t("staff-act-seed-revealed-note")),
                _ => None,
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The list

pub struct Row {
    pub title: Text,
    pub manage: String,
    pub public: String,
    pub panel: Option<String>,
    pub type_name: Text,
    pub opens: String,
    pub closes: String,
    pub state: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "staff/activities_list.html")]
struct ListPage {
    c: Chrome,
    tabs: Tabs,
    rows: Vec<Row>,
    note: Option<String>,
    add: String,
}

async fn list(pc: PageCtx, key: web::Path<String>, q: web::Query<Flash>) -> PageResult {
    let viewer = signed_in(&pc)?;
    let visible = processes::load_managed(&pc.app, &viewer, &key).await.or_page(&pc)?;
    let tr = pc.tr;
    let dl = visible.process.default_language.clone();
    let all = activities::list(&pc.app, Some(&viewer), &visible.process.slug).await.or_page(&pc)?;
    let types = types(&pc, &dl).await?;
    let rows = all
        .iter()
        .map(|a| Row {
            title: forms::pick(&tr, &a.title, &dl),
            manage: format!("/manage/activities/{}", a.id),
            public: format!("/activities/{}", a.id),
            panel: (a.type_id == PANEL_TYPE).then(|| format!("/manage/activities/{}/panel", a.id)),
            type_name: types.iter().find(|t| t.id == a.type_id).map(|t| t.name.clone()).unwrap_or_else(|| Text { text: a.type_id.clone(), lang: "en".into(), dir: "ltr" }),
            opens: when(&tr, a.opens_at, "staff-act-opens-with-process"),
            closes: when(&tr, a.closes_at, "staff-act-no-close"),
            state: state_word(&tr, a.state),
            open: a.state == ActivityState::Open,
        })
        .collect();
    let tabs = Tabs::new(tr, &visible, Some(&viewer), "activities");
    let page = ListPage {
        c: pc.chrome(tr.a1("staff-act-list-title", "process", tabs.title.clone())),
        add: format!("/manage/processes/{}/activities/new", visible.process.slug),
        tabs,
        rows,
        note: q.note(&tr),
    };
    Ok(pc.render(&page))
}

// ---------------------------------------------------------------------------------------
// The fields every activity has: title and description per language, the dates

/// A text control for one language.
pub struct LangInput {
    pub id: String,
    pub name: String,
    pub lang: String,
    pub language: String,
    pub value: String,
    pub error: Option<String>,
}

pub struct DateInput {
    pub id: &'static str,
    pub value: String,
    pub error: Option<String>,
}

/// The title, description and dates as typed (or stored), with their problems.
pub struct Common {
    pub titles: Vec<LangInput>,
    pub descriptions: Vec<LangInput>,
    pub opens: DateInput,
    pub closes: DateInput,
    /// Whether the opening date may still change.
    pub opens_editable: bool,
}

fn language_name(code: &str) -> String {
    UiLang::from_tag(code).map(|l| l.endonym().to_string()).unwrap_or_else(|| code.to_string())
}

fn local_input(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()
}

impl Common {
    fn new(pc: &PageCtx, title: &LocalizedText, description: &LocalizedText, opens: Option<DateTime<Utc>>, closes: Option<DateTime<Utc>>) -> Common {
        let langs: Vec<String> = pc.app.settings.instance.languages.iter().map(|l| l.as_str().to_string()).collect();
        let input = |field: &str, code: &str, value: &str| LangInput {
            id: format!("{field}-{code}"),
            name: format!("{field}.{code}"),
            lang: code.to_string(),
            language: language_name(code),
            value: value.to_string(),
            error: None,
        };
        Common {
            titles: langs.iter().map(|l| input("title", l, title.get(l).unwrap_or(""))).collect(),
            descriptions: langs.iter().map(|l| input("description", l, description.get(l).unwrap_or(""))).collect(),
            opens: DateInput { id: "opens_at", value: local_input(opens), error: None },
            closes: DateInput { id: "closes_at", value: local_input(closes), error: None },
            opens_editable: true,
        }
    }

    /// What was posted.
    fn from_pairs(pc: &PageCtx, pairs: &[(String, String)]) -> Common {
        let get = |k: &str| pairs.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.replace("\r\n", "\n")).unwrap_or_default();
        let mut c = Common::new(pc, &LocalizedText::default(), &LocalizedText::default(), None, None);
        for i in c.titles.iter_mut().chain(c.descriptions.iter_mut()) {
            i.value = get(&i.name);
        }
        c.opens.value = get("opens_at").trim().to_string();
        c.closes.value = get("closes_at").trim().to_string();
        c
    }

    fn texts(inputs: &[LangInput]) -> BTreeMap<String, String> {
        inputs.iter().filter(|i| !i.value.trim().is_empty()).map(|i| (i.lang.clone(), i.value.trim().to_string())).collect()
    }

    /// The dates as typed: None when empty, an error at the field when not a date and time.
    fn dates(&mut self, tr: &Tr) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>, bool) {
        let mut ok = true;
        let mut parse = |d: &mut DateInput| -> Option<DateTime<Utc>> {
            if d.value.is_empty() {
                return None;
            }
            match parse_local(&d.value) {
                Some(t) => Some(t),
                None => {
                    d.error = Some(tr.t("staff-act-error-datetime"));
                    ok = false;
                    None
                }
            }
        };
        let o = parse(&mut self.opens);
        let c = parse(&mut self.closes);
        (o, c, ok)
    }

    /// Places an app error at its control; returns false when it is not about these fields.
    fn place(&mut self, tr: &Tr, e: &FieldError) -> bool {
        let message = match (e.field.as_str(), e.problem.as_str()) {
            ("closes_at", "must be after opens_at") => tr.t("staff-act-error-closes-after"),
            ("closes_at", p) if p.starts_with("must be in the future") => tr.t("staff-act-error-closes-future"),
            ("title", _) => tr.t("staff-act-error-title"),
            (_, p) => sentence(p),
        };
        let slot = match e.field.as_str() {
            "title" => self.titles.first_mut().map(|i| &mut i.error),
            "opens_at" => Some(&mut self.opens.error),
            "closes_at" => Some(&mut self.closes.error),
            f => {
                let found = self.titles.iter_mut().chain(self.descriptions.iter_mut()).find(|i| i.name == f || f.starts_with(&format!("{}.", i.name)));
                found.map(|i| &mut i.error)
            }
        };
        match slot {
            Some(s) => {
                if s.is_none() {
                    *s = Some(message);
                }
                true
            }
            None => false,
        }
    }

    fn summary(&self) -> Vec<SummaryItem> {
        let mut out = Vec::new();
        for i in self.titles.iter().chain(self.descriptions.iter()) {
            if let Some(e) = &i.error {
                out.push(SummaryItem { href: Some(format!("#{}", i.id)), text: e.clone() });
            }
        }
        for d in [&self.opens, &self.closes] {
            if let Some(e) = &d.error {
                out.push(SummaryItem { href: Some(format!("#{}", d.id)), text: e.clone() });
            }
        }
        out
    }
}

fn parse_local(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"].iter().find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok()).map(|n| n.and_utc())
}

fn sentence(problem: &str) -> String {
    let mut chars = problem.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// The configuration form

/// The configuration form of a type: its plugin's fields, or one JSON text area.
struct Config {
    fields: Vec<Field>,
    json: bool,
}

/// The JSON text area's control name and error path.
const JSON_PATH: &str = "config.json";

impl Config {
    fn of(tr: &Tr, t: &TypeInfo) -> Config {
        if !t.config_fields.is_empty() {
            return Config { fields: t.config_fields.clone(), json: false };
        }
        let text = |key: &str| LocalizedText::from_stored(Value::Object(serde_json::Map::from_iter([(tr.code().to_string(), Value::String(tr.t(key)))])));
        let field = Field { name: "json".into(), label: text("staff-act-config-json"), help: text("staff-act-config-json-hint"), required: true, kind: Kind::LongText { min_length: 0, max_length: 0 } };
        Config { fields: vec![field], json: true }
    }

    fn form<'a>(&'a self, tr: Tr, dl: &'a str) -> Form<'a> {
        Form::new(tr, "config", "config", if self.json { tr.code() } else { dl }, &self.fields)
    }

    /// A stored configuration written into the controls.
    fn values(&self, tr: Tr, dl: &str, config: &Value) -> Values {
        if self.json {
            let text = serde_json::to_string_pretty(config).unwrap_or_default();
            return self.form(tr, dl).values_from_pairs(&[(JSON_PATH.to_string(), text)]);
        }
        self.form(tr, dl).values_from_json(config)
    }

    /// The configuration the controls hold, or what is not a value in them.
    fn parse(&self, tr: Tr, dl: &str, values: &Values) -> Result<Value, Vec<FieldError>> {
        if self.json {
            let raw = values.get("json").first().map(String::as_str).unwrap_or("").trim();
            if raw.is_empty() {
                return Ok(json!({}));
            }
            return serde_json::from_str::<Value>(raw).map_err(|e| vec![FieldError::new(JSON_PATH, tr.a1("staff-act-error-json", "problem", e.to_string()))]);
        }
        let (body, errors) = self.form(tr, dl).parse(values);
        if errors.is_empty() { Ok(body) } else { Err(errors) }
    }

    /// The plugin's errors (`config.…`), placed: at the text area with their path in JSON mode.
    fn errors(&self, errors: Vec<FieldError>) -> Vec<FieldError> {
        if !self.json {
            return errors;
        }
        errors
            .into_iter()
            .map(|e| {
                if e.field == JSON_PATH {
                    return e;
                }
                let path = e.field.strip_prefix("config").unwrap_or(&e.field).trim_start_matches('.');
                let problem = if path.is_empty() { sentence(&e.problem) } else { format!("{path}: {}", e.problem) };
                FieldError::new(JSON_PATH, problem)
            })
            .collect()
    }
}

/// The problems of one post, split: about the common fields, the configuration, or neither.
fn split_errors(tr: &Tr, common: &mut Common, errors: Vec<FieldError>) -> (Vec<FieldError>, Vec<SummaryItem>) {
    let mut config = Vec::new();
    let mut other = Vec::new();
    for e in errors {
        if e.field == "config" || e.field.starts_with("config.") || e.field.starts_with("config[") {
            config.push(e);
        } else if !common.place(tr, &e) {
            other.push(SummaryItem { href: None, text: sentence(&format!("{}: {}", e.field, e.problem)) });
        }
    }
    (config, other)
}

// ---------------------------------------------------------------------------------------
// Adding an activity

pub struct TypeChoice {
    pub id: String,
    pub radio_id: String,
    pub name: Text,
    pub description: Option<Text>,
}

#[derive(Template)]
#[template(path = "staff/activities_new.html")]
struct NewPage {
    c: Chrome,
    tabs: Tabs,
    action: String,
    back: String,
    /// Picking the type first.
    choices: Vec<TypeChoice>,
    pick_error: Option<String>,
    /// Then its form.
    chosen: Option<TypeChoice>,
    summary: Vec<SummaryItem>,
    note: Option<String>,
    common: Common,
    config_html: String,
    config_json: bool,
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(rename = "type")]
    type_id: Option<String>,
}

#[derive(Deserialize)]
pub struct AddPost {
    #[serde(rename = "type")]
    type_id: String,
}

async fn new_form(pc: PageCtx, key: web::Path<String>, q: web::Query<NewQuery>) -> PageResult {
    let viewer = signed_in(&pc)?;
    let visible = processes::load_managed(&pc.app, &viewer, &key).await.or_page(&pc)?;
    let dl = visible.process.default_language.clone();
    let types = types(&pc, &dl).await?;
    let chosen = q.type_id.as_deref().and_then(|t| types.iter().find(|x| x.id == t));
    let pick_error = (q.type_id.is_some() && chosen.is_none()).then(|| pc.tr.t("staff-act-error-type"));
    let common = Common::new(&pc, &LocalizedText::default(), &LocalizedText::default(), None, None);
    let (config_html, config_json) = match chosen {
        Some(t) => {
            let config = Config::of(&pc.tr, t);
            (config.form(pc.tr, &dl).render(&Values::default(), &[]).html, config.json)
        }
        None => (String::new(), false),
    };
    let status = if pick_error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = new_page(&pc, &visible, &viewer, &types, chosen, pick_error, Vec::new(), None, common, config_html, config_json);
    Ok(pc.render_status(status, &page))
}

#[allow(clippy::too_many_arguments)]
fn new_page(
    pc: &PageCtx,
    visible: &processes::Visible,
    viewer: &Viewer,
    types: &[TypeInfo],
    chosen: Option<&TypeInfo>,
    pick_error: Option<String>,
    summary: Vec<SummaryItem>,
    note: Option<String>,
    common: Common,
    config_html: String,
    config_json: bool,
) -> NewPage {
    let tr = pc.tr;
    let slug = &visible.process.slug;
    let choice = |t: &TypeInfo| TypeChoice { id: t.id.clone(), radio_id: format!("type-{}", forms::slug(&t.id)), name: t.name.clone(), description: t.description.clone() };
    let title = match chosen {
        Some(t) => tr.a1("staff-act-new-title-of", "type", t.name.text.clone()),
        None => tr.t("staff-act-new-title"),
    };
    let title = if summary.is_empty() && pick_error.is_none() { title } else { format!("{} {title}", tr.t("form-error-title-prefix")) };
    NewPage {
        c: pc.chrome(title),
        tabs: Tabs::new(tr, visible, Some(viewer), "activities"),
        action: format!("/manage/processes/{slug}/activities/new"),
        back: format!("/manage/processes/{slug}/activities"),
        choices: types.iter().map(choice).collect(),
        pick_error,
        chosen: chosen.map(choice),
        summary,
        note,
        common,
        config_html,
        config_json,
    }
}

async fn add(post: PagePost<AddPost>, key: web::Path<String>) -> PageResult {
    let PagePost { pc, form, pairs } = post;
    let viewer = signed_in(&pc)?;
    // The app refuses whoever may not manage the process (403), before anything is read.
    let visible = processes::load_managed(&pc.app, &viewer, &key).await.or_page(&pc)?;
    let tr = pc.tr;
    let dl = visible.process.default_language.clone();
    let types = types(&pc, &dl).await?;
    let Some(t) = types.iter().find(|t| t.id == form.type_id) else {
        // Not an installed, enabled type (any more): pick again.
        let common = Common::new(&pc, &LocalizedText::default(), &LocalizedText::default(), None, None);
        let page = new_page(&pc, &visible, &viewer, &types, None, Some(tr.t("staff-act-error-type")), Vec::new(), None, common, String::new(), false);
        return Ok(pc.render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let config = Config::of(&tr, t);
    let cform = config.form(tr, &dl);
    let values = cform.values_from_pairs(&pairs);
    let mut common = Common::from_pairs(&pc, &pairs);
    let rerender = |common: Common, config_errors: Vec<FieldError>, other: Vec<SummaryItem>, note: Option<String>, status: StatusCode| -> PageResult {
        let rendered = cform.render(&values, &config.errors(config_errors));
        let mut summary = other;
        summary.extend(common.summary());
        summary.extend(rendered.summary);
        let page = new_page(&pc, &visible, &viewer, &types, Some(t), None, summary, note, common, rendered.html, config.json);
        Ok(pc.render_status(status, &page))
    };
    if pairs.iter().any(|(k, _)| k == forms::MORE_ITEMS) {
        return rerender(common, Vec::new(), Vec::new(), None, StatusCode::OK);
    }
    let (opens_at, closes_at, dates_ok) = common.dates(&tr);
    let parsed = config.parse(tr, &dl, &values);
    if !dates_ok || parsed.is_err() {
        return rerender(common, parsed.err().unwrap_or_default(), Vec::new(), None, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let input = NewActivity {
        type_id: t.id.clone(),
        title: Common::texts(&common.titles),
        description: Common::texts(&common.descriptions),
        config: parsed.unwrap_or_default(),
        opens_at,
        closes_at,
        requires_attribute: None,
    };
    match activities::create(&pc.app, &viewer, &visible.process.slug, input).await {
        Ok(a) => Ok(pc.redirect(&format!("/manage/activities/{}?added=1", a.id))),
        Err(AppError::Invalid(errors)) => {
            let (config_errors, other) = split_errors(&tr, &mut common, errors);
            rerender(common, config_errors, other, None, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AppError::Conflict(e)) if e.field != "type" => rerender(common, Vec::new(), Vec::new(), Some(sentence(&format!("{}: {}", e.field, e.problem))), StatusCode::CONFLICT),
        Err(e) => Err(pc.fail(e)),
    }
}

// ---------------------------------------------------------------------------------------
// One activity: edit, close, seed

pub struct SeedInfo {
    pub sha256: String,
    pub committed: String,
    pub seed: Option<String>,
    pub revealed: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/activities_manage.html")]
struct ManagePage {
    c: Chrome,
    tabs: Tabs,
    id: String,
    title: Text,
    type_name: Text,
    state: String,
    open: bool,
    opens: String,
    closes: String,
    panel: Option<String>,
    note: Option<String>,
    summary: Vec<SummaryItem>,
    editable: Editable,
    /// Why the configuration cannot change (closed, contributions, type disabled).
    config_note: Option<String>,
    common: Common,
    config_html: String,
    config_json: bool,
    closed: bool,
    seed: Option<SeedInfo>,
}

async fn show(pc: PageCtx, id: web::Path<String>, q: web::Query<Flash>) -> PageResult {
    let viewer = signed_in(&pc)?;
    let id = activity_id(&id).or_page(&pc)?;
    let (a, visible) = managed(&pc, &viewer, id).await?;
    let common = Common::new(&pc, &a.title, &a.description, a.opens_at, a.closes_at);
    let note = q.note(&pc.tr);
    render_manage(&pc, &viewer, &a, &visible, common, None, Vec::new(), Vec::new(), note, StatusCode::OK).await
}

#[allow(clippy::too_many_arguments)]
async fn render_manage(
    pc: &PageCtx,
    viewer: &Viewer,
    a: &ActivityView,
    visible: &processes::Visible,
    mut common: Common,
    posted: Option<&Values>,
    config_errors: Vec<FieldError>,
    other: Vec<SummaryItem>,
    note: Option<String>,
    status: StatusCode,
) -> PageResult {
    let tr = pc.tr;
    let dl = visible.process.default_language.clone();
    let types = types(pc, &dl).await?;
    let t = types.iter().find(|t| t.id == a.type_id);
    let editable = activities::editable(&pc.app, a).await.or_page(pc)?;
    common.opens_editable = editable.config;
    let (config_html, config_json, config_note, config_summary) = match t {
        _ if !editable.any => (String::new(), false, None, Vec::new()),
        None => (String::new(), false, Some(tr.t("staff-act-config-type-disabled")), Vec::new()),
        Some(_) if !editable.config => (String::new(), false, Some(tr.t("staff-act-config-locked")), Vec::new()),
        Some(t) => {
            let config = Config::of(&tr, t);
            let values = posted.cloned().unwrap_or_else(|| config.values(tr, &dl, &a.config));
            let rendered = config.form(tr, &dl).render(&values, &config.errors(config_errors));
            (rendered.html, config.json, None, rendered.summary)
        }
    };
    let mut summary = other;
    summary.extend(common.summary());
    summary.extend(config_summary);
    let title = forms::pick(&tr, &a.title, &dl);
    let heading = tr.a1("staff-act-manage-title", "activity", title.text.clone());
    let heading = if summary.is_empty() { heading } else { format!("{} {heading}", tr.t("form-error-title-prefix")) };
    let page = ManagePage {
        c: pc.chrome(heading),
        tabs: Tabs::new(tr, visible, Some(viewer), "activities"),
        id: a.id.to_string(),
        title,
        type_name: t.map(|t| t.name.clone()).unwrap_or_else(|| Text { text: a.type_id.clone(), lang: "en".into(), dir: "ltr" }),
        state: state_word(&tr, a.state),
        open: a.state == ActivityState::Open,
        opens: when(&tr, a.opens_at, "staff-act-opens-with-process"),
        closes: when(&tr, a.closes_at, "staff-act-no-close"),
        panel: (a.type_id == PANEL_TYPE).then(|| format!("/manage/activities/{}/panel", a.id)),
        note,
        summary,
        editable,
        config_note,
        common,
        config_html,
        config_json,
        closed: a.state == ActivityState::Closed,
        seed: a.seed.as_ref().map(|s| SeedInfo {
            sha256: s.sha256.clone(),
            committed: tr.datetime(s.committed_at),
            seed: s.seed.clone(),
            revealed: s.revealed_at.map(|r| tr.datetime(r)),
        }),
    };
    Ok(pc.render_status(status, &page))
}

#[derive(Deserialize)]
pub struct EditPost {}

async fn edit(post: PagePost<EditPost>, id: web::Path<String>) -> PageResult {
    let PagePost { pc, pairs, .. } = post;
    let viewer = signed_in(&pc)?;
    let id = activity_id(&id).or_page(&pc)?;
    let tr = pc.tr;
    let (a, visible) = managed(&pc, &viewer, id).await?;
    let dl = visible.process.default_language.clone();
    let types = types(&pc, &dl).await?;
    let t = types.iter().find(|t| t.id == a.type_id);
    let editable = activities::editable(&pc.app, &a).await.or_page(&pc)?;
    let config = t.filter(|_| editable.config).map(|t| Config::of(&tr, t));
    let values = config.as_ref().map(|c| c.form(tr, &dl).values_from_pairs(&pairs));
    let mut common = Common::from_pairs(&pc, &pairs);
    if pairs.iter().any(|(k, _)| k == forms::MORE_ITEMS) {
        return render_manage(&pc, &viewer, &a, &visible, common, values.as_ref(), Vec::new(), Vec::new(), None, StatusCode::OK).await;
    }
    let (opens_at, closes_at, dates_ok) = common.dates(&tr);
    let parsed = match (&config, &values) {
        (Some(c), Some(v)) => Some(c.parse(tr, &dl, v)),
        _ => None,
    };
    if !dates_ok || parsed.as_ref().is_some_and(Result::is_err) {
        let errors = parsed.and_then(Result::err).unwrap_or_default();
        return render_manage(&pc, &viewer, &a, &visible, common, values.as_ref(), errors, Vec::new(), None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    // Dates the form shows to the minute: unchanged unless typed otherwise.
    let minute = |t: Option<DateTime<Utc>>| local_input(t);
    let patch = ActivityPatch {
        title: Some(Common::texts(&common.titles)),
        description: Some(Common::texts(&common.descriptions)),
        config: parsed.and_then(Result::ok),
        opens_at: (editable.config && minute(opens_at) != minute(a.opens_at)).then_some(opens_at),
        closes_at: (minute(closes_at) != minute(a.closes_at)).then_some(closes_at),
    };
    match activities::update(&pc.app, &viewer, id, patch).await {
        Ok(a) => Ok(pc.redirect(&format!("/manage/activities/{}?saved=1", a.id))),
        Err(AppError::Invalid(errors)) => {
            let (config_errors, other) = split_errors(&tr, &mut common, errors);
            render_manage(&pc, &viewer, &a, &visible, common, values.as_ref(), config_errors, other, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Conflict(e)) => {
            let note = Some(sentence(&format!("{}: {}", e.field, e.problem)));
            render_manage(&pc, &viewer, &a, &visible, common, values.as_ref(), Vec::new(), Vec::new(), note, StatusCode::CONFLICT).await
        }
        Err(e) => Err(pc.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "staff/activities_close.html")]
struct ClosePage {
    c: Chrome,
    tabs: Tabs,
    id: String,
    title: Text,
}

async fn close_confirm(pc: PageCtx, id: web::Path<String>) -> PageResult {
    let viewer = signed_in(&pc)?;
    let id = activity_id(&id).or_page(&pc)?;
    let (a, visible) = managed(&pc, &viewer, id).await?;
    if a.state == ActivityState::Closed {
        return Ok(pc.redirect(&format!("/manage/activities/{id}")));
    }
    let title = forms::pick(&pc.tr, &a.title, &visible.process.default_language);
    let page = ClosePage {
        c: pc.chrome(pc.tr.a1("staff-act-close-title", "activity", title.text.clone())),
        tabs: Tabs::new(pc.tr, &visible, Some(&viewer), "activities"),
        id: id.to_string(),
        title,
    };
    Ok(pc.render(&page))
}

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

async fn close(post: PagePost<Back>, id: web::Path<String>) -> PageResult {
    let PagePost { pc, .. } = post;
    let viewer = signed_in(&pc)?;
    let id = activity_id(&id).or_page(&pc)?;
    activities::close_now(&pc.app, &viewer, id).await.or_page(&pc)?;
    Ok(pc.redirect(&format!("/manage/activities/{id}?closed=1")))
}

fn back_to(id: Uuid, back: Option<&str>) -> String {
    match back {
        Some("panel") => format!("/manage/activities/{id}/panel"),
        _ => format!("/manage/activities/{id}"),
    }
}

async fn commit_seed(post: PagePost<Back>, id: web::Path<String>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let viewer = signed_in(&pc)?;
    let id = activity_id(&id).or_page(&pc)?;
    draw_seeds::commit(&pc.app, &viewer, id).await.or_page(&pc)?;
    Ok(pc.redirect(&format!("{}?seed=committed#seed-heading", back_to(id, form.back.as_deref()))))
}

async fn reveal_seed(post: PagePost<Back>, id: web::Path<String>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let viewer = signed_in(&pc)?;
    let id = activity_id(&id).or_page(&pc)?;
    draw_seeds::reveal(&pc.app, &viewer, id).await.or_page(&pc)?;
    Ok(pc.redirect(&format!("{}?seed=revealed#seed-heading", back_to(id, form.back.as_deref()))))
}
