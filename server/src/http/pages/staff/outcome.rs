//! The outcome editor of a process's workspace (organisers): write a version in sections, each
//! with its anchor, heading and markdown body in the instance's languages and the
//! contributions it cites (found with a search box, kept as checkboxes); add, remove and
//! reorder sections with buttons (no JavaScript); preview what will be public; publish
//! through the same app function as the API. Revising starts from the current version and
//! asks for a note. The history lists every version with its note, and what changed between
//! a version and the one before, section by section.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::Tabs;
use crate::app::outcomes::{self, Citable, NewOutcome, OutcomeView, SectionInput};
use crate::app::processes::{self, Visible};
use crate::app::AppError;
use crate::domain::errors::FieldError;
use crate::domain::localized::LocalizedText;
use crate::domain::markdown;
use crate::http::pages::i18n::{Localized, Tr, UiLang};
use crate::http::pages::my_input::excerpt;
use crate::http::pages::outcome::{Cite, DiffItem, anchor_safe, changes, short_ref};
use crate::http::pages::page::{Chrome, OrPage, PageCtx, PageError, PagePost, PageResult};

/// Rows the form may carry (the app allows 200 sections).
const MAX_ROWS: usize = 200;
/// Contributions a search lists under a section.
const SEARCH_LIMIT: u64 = 20;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/processes/{key}/outcome", web::get().to(editor))
        .route("/manage/processes/{key}/outcome", web::post().to(submit))
        .route("/manage/processes/{key}/outcome/history", web::get().to(history));
}

/// The process, when the viewer may manage it: the app decides (403 otherwise), and who is
/// not signed in is sent to sign in.
pub(super) async fn managed(pc: &PageCtx, key: &str) -> Result<Visible, PageError> {
    let Some(viewer) = pc.viewer() else {
        return Err(pc.fail(AppError::Unauthenticated("sign in to manage a process".into())));
    };
    processes::load_managed(&pc.app, viewer, key).await.or_page(pc)
}

use crate::http::pages::account_forms::Problems;

/// What the form holds: the text by language as typed, and each section's row.
#[derive(Default, Clone, Debug)]
struct Draft {
    title: BTreeMap<String, String>,
    note: BTreeMap<String, String>,
    sections: Vec<DraftSection>,
}

#[derive(Default, Clone, Debug)]
struct DraftSection {
    id: String,
    heading: BTreeMap<String, String>,
    body: BTreeMap<String, String>,
    /// The contributions ticked (ids as sent).
    cites: Vec<String>,
    /// The words searched for under this section.
    q: String,
}

fn map_of(text: &LocalizedText) -> BTreeMap<String, String> {
    text.iter().map(|(l, t)| (l.clone(), t.clone())).collect()
}

impl Draft {
    fn from_version(o: &OutcomeView) -> Draft {
        Draft {
            title: map_of(&o.title),
            note: BTreeMap::new(),
            sections: o
                .sections
                .iter()
                .map(|s| DraftSection { id: s.id.clone(), heading: map_of(&s.heading), body: map_of(&s.body), cites: s.cites.iter().map(Uuid::to_string).collect(), q: String::new() })
                .collect(),
        }
    }

    fn empty() -> Draft {
        Draft { sections: vec![DraftSection { id: "1".into(), ..Default::default() }], ..Default::default() }
    }

    /// Reads the form's fields: `title.<lang>`, `note.<lang>`, and per row `s<i>.id`,
    /// `s<i>.heading.<lang>`, `s<i>.body.<lang>`, `s<i>.cites` (repeated), `s<i>.q`.
    fn from_pairs(pairs: &[(String, String)]) -> Draft {
        let mut d = Draft::default();
        let mut rows: BTreeMap<usize, DraftSection> = BTreeMap::new();
        for (k, v) in pairs {
            if let Some(lang) = k.strip_prefix("title.") {
                d.title.insert(lang.to_string(), v.clone());
            } else if let Some(lang) = k.strip_prefix("note.") {
                d.note.insert(lang.to_string(), v.clone());
            } else if let Some((n, field)) = k.strip_prefix('s').and_then(|rest| rest.split_once('.')) {
                let Ok(i) = n.parse::<usize>() else { continue };
                if i >= MAX_ROWS {
                    continue;
                }
                let row = rows.entry(i).or_default();
                match field {
                    "id" => row.id = v.clone(),
                    "q" => row.q = v.clone(),
                    "cites" => {
                        if !row.cites.contains(v) {
                            row.cites.push(v.clone());
                        }
                    }
                    f => {
                        if let Some(lang) = f.strip_prefix("heading.") {
                            row.heading.insert(lang.to_string(), v.clone());
                        } else if let Some(lang) = f.strip_prefix("body.") {
                            row.body.insert(lang.to_string(), v.clone());
                        }
                    }
                }
            }
        }
        d.sections = rows.into_values().collect();
        d
    }
}

/// Text as the app takes it: the languages filled in (a blank translation is no translation).
fn filled(map: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    map.iter().filter(|(_, t)| !t.trim().is_empty()).map(|(l, t)| (l.clone(), t.clone())).collect()
}

fn localized(map: &BTreeMap<String, String>) -> LocalizedText {
    LocalizedText::from_stored(serde_json::to_value(filled(map)).unwrap_or_default())
}

/// A language of the instance, for labels: the interface's name for it when it has one.
struct Lang {
    code: String,
    name: String,
    primary: bool,
}

fn languages(pc: &PageCtx, content_default: &str) -> Vec<Lang> {
    let mut langs: Vec<Lang> = pc
        .app
        .settings
        .instance
        .languages
        .iter()
        .map(|l| {
            let code = l.as_str().to_string();
            let name = UiLang::from_tag(&code).map(|u| u.endonym().to_string()).unwrap_or_else(|| code.clone());
            Lang { primary: code == content_default, code, name }
        })
        .collect();
    if !langs.iter().any(|l| l.primary)
        && let Some(first) = langs.first_mut()
    {
        first.primary = true;
    }
    langs.sort_by_key(|l| !l.primary);
    langs
}

/// One control for one language of a text.
pub struct LangField {
    pub id: String,
    pub name: String,
    pub label: String,
    pub lang: String,
    pub value: String,
    pub error: Option<String>,
    pub autofocus: bool,
}

/// A contribution offered as a checkbox.
pub struct CiteOption {
    pub html_id: String,
    pub value: String,
    pub label: String,
    pub excerpt: String,
    pub lang: String,
    pub checked: bool,
}

pub struct PreviewSection {
    pub anchor: String,
    pub heading: String,
    pub heading_lang: String,
    pub html: String,
    pub lang: String,
    pub cites: i64,
}

pub struct SectionRow {
    pub index: usize,
    pub legend: String,
    pub id_value: String,
    pub id_error: Option<String>,
    pub id_autofocus: bool,
    pub q_autofocus: bool,
    pub heading: LangField,
    pub body: LangField,
    pub other_headings: Vec<LangField>,
    pub other_bodies: Vec<LangField>,
    pub translations_open: bool,
    pub cites: Vec<CiteOption>,
    pub cites_error: Option<String>,
    pub q: String,
    pub searched: bool,
    pub results: Vec<CiteOption>,
    pub first: bool,
    pub last: bool,
}

pub struct Current {
    pub version: i64,
}

#[derive(Template)]
#[template(path = "staff/outcome.html")]
struct EditorPage {
    c: Chrome,
    tabs: Tabs,
    errors: Problems,
    heading: String,
    slug: String,
    current: Option<Current>,
    published: Option<i64>,
    current_line: String,
    title: LangField,
    other_titles: Vec<LangField>,
    titles_open: bool,
    note: Option<LangField>,
    other_notes: Vec<LangField>,
    notes_open: bool,
    sections: Vec<SectionRow>,
    can_add: bool,
    preview: Option<Vec<PreviewSection>>,
    preview_title: String,
    preview_title_lang: String,
}

#[derive(Deserialize, Default)]
pub struct EditorQuery {
    published: Option<String>,
}

/// Contributions' labels by id, for the rows' ticked boxes.
type Labels = BTreeMap<Uuid, Citable>;

pub async fn editor(pc: PageCtx, key: web::Path<String>, q: web::Query<EditorQuery>) -> PageResult {
    let visible = managed(&pc, &key).await?;
    let slug = visible.process.slug.clone();
    let current = current_version(&pc, &slug).await?;
    let draft = current.as_ref().map(Draft::from_version).unwrap_or_else(Draft::empty);
    let published = q.published.as_deref().and_then(|v| v.parse::<i64>().ok());
    let labels = labels_for(&pc, &slug, &draft).await?;
    let page = editor_page(&pc, &visible, current.as_ref(), &draft, Problems::default(), &labels, &BTreeMap::new(), false, published, None);
    Ok(pc.render(&page))
}

async fn current_version(pc: &PageCtx, slug: &str) -> Result<Option<OutcomeView>, PageError> {
    match outcomes::get(&pc.app, pc.viewer(), slug, None).await {
        Ok(o) => Ok(Some(o)),
        Err(AppError::NotFound(_)) => Ok(None),
        Err(e) => Err(pc.fail(e)),
    }
}

async fn labels_for(pc: &PageCtx, slug: &str, draft: &Draft) -> Result<Labels, PageError> {
    let ids: Vec<Uuid> = draft.sections.iter().flat_map(|s| s.cites.iter().filter_map(|c| Uuid::parse_str(c.trim()).ok())).collect();
    if ids.is_empty() {
        return Ok(Labels::new());
    }
    let viewer = pc.viewer().expect("managed() checked the viewer");
    let found = outcomes::citable_by_ids(&pc.app, viewer, slug, &ids).await.or_page(pc)?;
    Ok(found.into_iter().map(|c| (c.id, c)).collect())
}

/// What a row's buttons ask for.
enum Action {
    Add,
    Remove(usize),
    Up(usize),
    Down(usize),
    Search(usize),
    Preview,
    Publish,
}

fn action_of(pairs: &[(String, String)]) -> Option<Action> {
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let row = |name: &str| get(name).and_then(|v| v.parse::<usize>().ok());
    if get("add_section").is_some() {
        Some(Action::Add)
    } else if let Some(i) = row("remove_section") {
        Some(Action::Remove(i))
    } else if let Some(i) = row("move_up") {
        Some(Action::Up(i))
    } else if let Some(i) = row("move_down") {
        Some(Action::Down(i))
    } else if let Some(i) = row("search") {
        Some(Action::Search(i))
    } else if get("preview").is_some() {
        Some(Action::Preview)
    } else if get("publish").is_some() {
        Some(Action::Publish)
    } else {
        None
    }
}

#[derive(Deserialize)]
pub struct NoFields {}

pub async fn submit(post: PagePost<NoFields>, key: web::Path<String>) -> PageResult {
    let PagePost { pc, pairs, .. } = post;
    // The app decides first: a participant's forged post ends here with a 403.
    let visible = managed(&pc, &key).await?;
    let slug = visible.process.slug.clone();
    let current = current_version(&pc, &slug).await?;
    let mut draft = Draft::from_pairs(&pairs);
    let Some(action) = action_of(&pairs) else {
        return Err(pc.fail(AppError::bad_request("action", "say what to do: preview, publish, or a row's button")));
    };
    let dl = primary_lang(&pc, &visible);
    let mut results: BTreeMap<usize, Vec<Citable>> = BTreeMap::new();
    let mut preview = false;
    let mut focus = None;
    let n = draft.sections.len();
    match action {
        Action::Add => {
            if n < MAX_ROWS {
                draft.sections.push(DraftSection { id: next_id(&draft), ..Default::default() });
                focus = Some(format!("s{n}-heading-{dl}"));
            }
        }
        Action::Remove(i) if i < n => {
            draft.sections.remove(i);
            if draft.sections.is_empty() {
                draft.sections.push(DraftSection { id: "1".into(), ..Default::default() });
            }
            
        }
        Action::Up(i) if i > 0 && i < n => {
            draft.sections.swap(i - 1, i);
            focus = Some(format!("s{}-id", i - 1));
        }
        Action::Down(i) if i + 1 < n => {
            draft.sections.swap(i, i + 1);
            focus = Some(format!("s{}-id", i + 1));
        }
        Action::Search(i) if i < n => {
            let viewer = pc.viewer().expect("managed() checked the viewer");
            let found = outcomes::citable(&pc.app, viewer, &slug, &draft.sections[i].q, SEARCH_LIMIT).await.or_page(&pc)?;
            results.insert(i, found);
            focus = Some(format!("s{i}-q"));
        }
        Action::Preview => preview = true,
        Action::Publish => return publish(pc, &visible, current.as_ref(), draft).await,
        // A row that is not there (a stale page): show the form as it is.
        _ => {}
    }
    let labels = labels_for(&pc, &slug, &draft).await?;
    let page = editor_page(&pc, &visible, current.as_ref(), &draft, Problems::default(), &labels, &results, preview, None, focus);
    Ok(pc.render(&page))
}

/// A free anchor for a new row: the next number after the rows'.
fn next_id(draft: &Draft) -> String {
    let mut n = draft.sections.len() + 1;
    while draft.sections.iter().any(|s| s.id.trim() == n.to_string()) {
        n += 1;
    }
    n.to_string()
}

async fn publish(pc: PageCtx, visible: &Visible, current: Option<&OutcomeView>, draft: Draft) -> PageResult {
    let tr = pc.tr;
    let slug = visible.process.slug.clone();
    let dl = primary_lang(&pc, visible);
    let mut problems = Problems::default();
    // The page's own rule: a revision says what changed (the app keeps the note optional for
    // the API's first versions).
    if current.is_some() && filled(&draft.note).is_empty() {
        problems.push(format!("note-{dl}"), tr.t("staff-outcome-error-note"));
    }
    let mut sections = Vec::new();
    for (i, s) in draft.sections.iter().enumerate() {
        let mut cites = Vec::new();
        for c in &s.cites {
            match Uuid::parse_str(c.trim()) {
                Ok(id) => cites.push(id),
                Err(_) => problems.push(format!("s{i}-cites"), tr.a1("staff-outcome-error-cite", "number", (i + 1) as i64)),
            }
        }
        sections.push(SectionInput { id: s.id.trim().to_string(), heading: filled(&s.heading), body: filled(&s.body), cites });
    }
    if problems.is_empty() {
        let input = NewOutcome { title: filled(&draft.title), sections, note: filled(&draft.note) };
        let viewer = pc.viewer().expect("managed() checked the viewer");
        match outcomes::publish(&pc.app, viewer, &slug, input).await {
            Ok(o) => return Ok(pc.redirect(&format!("/manage/processes/{slug}/outcome/history?published={}", o.version))),
            Err(AppError::Invalid(errors)) => {
                for e in &errors {
                    let (id, message) = app_problem(&tr, &dl, &draft, e);
                    problems.push(id, message);
                }
            }
            Err(AppError::Conflict(e)) if e.field == "version" => problems.push(format!("title-{dl}"), tr.t("staff-outcome-error-conflict")),
            Err(e) => return Err(pc.fail(e)),
        }
    }
    let labels = labels_for(&pc, &slug, &draft).await?;
    let page = editor_page(&pc, visible, current, &draft, problems, &labels, &BTreeMap::new(), false, None, None);
    Ok(pc.render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

fn primary_lang(pc: &PageCtx, visible: &Visible) -> String {
    languages(pc, &visible.process.default_language).into_iter().find(|l| l.primary).map(|l| l.code).unwrap_or_else(|| "en".into())
}

/// Where an app error goes on the form, and what it says there: the page's words for the
/// usual problems (a missing text, a missing or repeated anchor), the app's own otherwise.
fn app_problem(tr: &Tr, dl: &str, draft: &Draft, e: &FieldError) -> (String, String) {
    let field = e.field.as_str();
    let lang_of = |rest: &str| -> String { rest.strip_prefix('.').filter(|l| !l.is_empty()).unwrap_or(dl).to_string() };
    if let Some(rest) = field.strip_prefix("title") {
        let message = if filled(&draft.title).is_empty() { tr.t("staff-outcome-error-title") } else { e.problem.clone() };
        return (format!("title-{}", lang_of(rest)), message);
    }
    if let Some(rest) = field.strip_prefix("note") {
        return (format!("note-{}", lang_of(rest)), e.problem.clone());
    }
    if field == "sections" {
        return ("sections-heading".into(), tr.t("staff-outcome-error-sections"));
    }
    if let Some(rest) = field.strip_prefix("sections[")
        && let Some((n, rest)) = rest.split_once(']')
        && let Ok(i) = n.parse::<usize>()
    {
        let number = (i + 1) as i64;
        let row = draft.sections.get(i);
        let rest = rest.strip_prefix('.').unwrap_or(rest);
        if rest == "id" {
            let id = row.map(|r| r.id.trim().to_string()).unwrap_or_default();
            let message = if id.is_empty() {
                tr.a1("staff-outcome-error-id", "number", number)
            } else if draft.sections.iter().filter(|s| s.id.trim() == id).count() > 1 {
                tr.a("staff-outcome-error-id-taken", &[("number", number.into()), ("id", id.into())])
            } else {
                e.problem.clone()
            };
            return (format!("s{i}-id"), message);
        }
        if let Some(after) = rest.strip_prefix("heading") {
            let empty = row.is_none_or(|r| filled(&r.heading).is_empty());
            let message = if empty { tr.a1("staff-outcome-error-heading", "number", number) } else { e.problem.clone() };
            return (format!("s{i}-heading-{}", lang_of(after)), message);
        }
        if let Some(after) = rest.strip_prefix("body") {
            let empty = row.is_none_or(|r| filled(&r.body).is_empty());
            let message = if empty { tr.a1("staff-outcome-error-body", "number", number) } else { e.problem.clone() };
            return (format!("s{i}-body-{}", lang_of(after)), message);
        }
        if rest.starts_with("cites") {
            return (format!("s{i}-cites"), tr.a1("staff-outcome-error-cite", "number", number));
        }
    }
    ("sections-heading".into(), e.problem.clone())
}

fn cite_option(tr: &Tr, row: usize, c: &Citable, checked: bool, prefix: &str) -> CiteOption {
    let reference = short_ref(&c.id);
    CiteOption {
        html_id: format!("s{row}-{prefix}-{reference}"),
        value: c.id.to_string(),
        label: match &c.reference {
            Some(paper) => tr.a("staff-outcome-cite-label-paper", &[("reference", reference.into()), ("paper", paper.clone().into())]),
            None => tr.a1("outcome-cite", "reference", reference),
        },
        excerpt: excerpt(&c.body).unwrap_or_else(|| tr.t("staff-outcome-cite-no-text")),
        lang: c.language.clone(),
        checked,
    }
}

#[allow(clippy::too_many_arguments)]
fn editor_page(
    pc: &PageCtx,
    visible: &Visible,
    current: Option<&OutcomeView>,
    draft: &Draft,
    errors: Problems,
    labels: &Labels,
    results: &BTreeMap<usize, Vec<Citable>>,
    preview: bool,
    published: Option<i64>,
    focus: Option<String>,
) -> EditorPage {
    let tr = pc.tr;
    let dl = visible.process.default_language.clone();
    let langs = languages(pc, &dl);
    let field = |id_base: &str, name_base: &str, label_key: &str, label_args: Option<i64>, map: &BTreeMap<String, String>, l: &Lang| {
        let id = format!("{id_base}-{}", l.code);
        let base = match label_args {
            Some(n) => tr.a1(label_key, "number", n),
            None => tr.t(label_key),
        };
        LangField {
            label: tr.a("staff-outcome-in-language", &[("field", base.into()), ("language", l.name.clone().into())]),
            name: format!("{name_base}.{}", l.code),
            lang: l.code.clone(),
            value: map.get(&l.code).cloned().unwrap_or_default(),
            error: errors.get(&id).map(str::to_string),
            autofocus: focus.as_deref() == Some(id.as_str()),
            id,
        }
    };
    let mut titles: Vec<LangField> = langs.iter().map(|l| field("title", "title", "staff-outcome-title-label", None, &draft.title, l)).collect();
    let title = titles.remove(0);
    let mut notes: Vec<LangField> = if current.is_some() { langs.iter().map(|l| field("note", "note", "staff-outcome-note-label", None, &draft.note, l)).collect() } else { Vec::new() };
    let note = if notes.is_empty() { None } else { Some(notes.remove(0)) };
    let open = |fields: &[LangField]| fields.iter().any(|f| !f.value.trim().is_empty() || f.error.is_some());
    let n = draft.sections.len();
    let sections = draft
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let number = (i + 1) as i64;
            let mut headings: Vec<LangField> =
                langs.iter().map(|l| field(&format!("s{i}-heading"), &format!("s{i}.heading"), "staff-outcome-heading-label", Some(number), &s.heading, l)).collect();
            let mut bodies: Vec<LangField> =
                langs.iter().map(|l| field(&format!("s{i}-body"), &format!("s{i}.body"), "staff-outcome-body-label", Some(number), &s.body, l)).collect();
            let heading = headings.remove(0);
            let body = bodies.remove(0);
            let translations_open = open(&headings) || open(&bodies);
            let ticked: Vec<CiteOption> = s
                .cites
                .iter()
                .map(|raw| match Uuid::parse_str(raw.trim()).ok().and_then(|id| labels.get(&id)) {
                    Some(c) => cite_option(&tr, i, c, true, "cite"),
                    None => CiteOption {
                        html_id: format!("s{i}-cite-{}", anchor_safe(raw)),
                        value: raw.clone(),
                        label: tr.a1("staff-outcome-cite-unknown", "value", raw.clone()),
                        excerpt: String::new(),
                        lang: tr.code().to_string(),
                        checked: true,
                    },
                })
                .collect();
            let found = results.get(&i);
            SectionRow {
                index: i,
                legend: tr.a1("staff-outcome-section-legend", "number", number),
                id_value: s.id.clone(),
                id_error: errors.get(&format!("s{i}-id")).map(str::to_string),
                id_autofocus: focus.as_deref() == Some(format!("s{i}-id").as_str()),
                q_autofocus: focus.as_deref() == Some(format!("s{i}-q").as_str()),
                heading,
                body,
                other_headings: headings,
                other_bodies: bodies,
                translations_open,
                cites_error: errors.get(&format!("s{i}-cites")).map(str::to_string),
                results: found
                    .map(|list| list.iter().filter(|c| !s.cites.iter().any(|t| Uuid::parse_str(t.trim()).ok() == Some(c.id))).map(|c| cite_option(&tr, i, c, false, "found")).collect())
                    .unwrap_or_default(),
                searched: found.is_some(),
                cites: ticked,
                q: s.q.clone(),
                first: i == 0,
                last: i + 1 == n,
            }
        })
        .collect();
    let (preview_sections, preview_title, preview_title_lang) = if preview {
        let t = localized(&draft.title);
        let picked = tr.pick(&t, &dl);
        let secs = draft
            .sections
            .iter()
            .map(|s| {
                let heading = localized(&s.heading);
                let body = localized(&s.body);
                let h = tr.pick(&heading, &dl);
                let b = tr.pick(&body, &dl);
                PreviewSection {
                    anchor: format!("preview-{}", anchor_safe(s.id.trim())),
                    heading: h.text.to_string(),
                    heading_lang: h.lang.clone(),
                    // Under the preview's h4 section headings: the body's own start at h5.
                    html: markdown::render_under(b.text, 4),
                    lang: b.lang.clone(),
                    cites: s.cites.len() as i64,
                }
            })
            .collect();
        (Some(secs), picked.text.to_string(), picked.lang.clone())
    } else {
        (None, String::new(), String::new())
    };
    let heading = match current {
        Some(o) => tr.n("staff-outcome-revise-heading", "version", (o.version + 1) as i64),
        None => tr.t("staff-outcome-write-heading"),
    };
    let page_title = if errors.is_empty() { heading.clone() } else { format!("{} {heading}", tr.t("form-error-title-prefix")) };
    EditorPage {
        c: pc.chrome(page_title),
        tabs: Tabs::new(tr, visible, pc.viewer(), "outcome"),
        heading,
        slug: visible.process.slug.clone(),
        current: current.map(|o| Current { version: o.version.into() }),
        published,
        current_line: current
            .map(|o| tr.a("staff-outcome-current", &[("version", i64::from(o.version).into()), ("date", tr.date(o.published_at.date_naive()).into())]))
            .unwrap_or_default(),
        title,
        titles_open: open(&titles),
        other_titles: titles,
        note,
        notes_open: open(&notes),
        other_notes: notes,
        sections,
        can_add: n < MAX_ROWS,
        preview: preview_sections,
        preview_title,
        preview_title_lang,
        errors,
    }
}

// ---- History ----

pub struct HistoryVersion<'a> {
    pub number: i64,
    pub date: String,
    pub note: Localized<'a>,
    pub selected: bool,
    pub latest: bool,
}

#[derive(Template)]
#[template(path = "staff/outcome_history.html")]
struct HistoryPage<'a> {
    c: Chrome,
    tabs: Tabs,
    slug: String,
    published: Option<i64>,
    versions: Vec<HistoryVersion<'a>>,
    selected: i64,
    previous: Option<i64>,
    changes: Vec<DiffItem<'a>>,
    unchanged: Vec<Localized<'a>>,
    changes_heading: String,
}

#[derive(Deserialize, Default)]
pub struct HistoryQuery {
    version: Option<String>,
    published: Option<String>,
}

pub async fn history(pc: PageCtx, key: web::Path<String>, q: web::Query<HistoryQuery>) -> PageResult {
    let visible = managed(&pc, &key).await?;
    let slug = visible.process.slug.clone();
    let app = &pc.app;
    let viewer = pc.viewer();
    let versions = outcomes::versions(app, viewer, &slug).await.or_page(&pc)?;
    let wanted = match q.version.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => versions.first().map(|v| v.version),
        Some(v) => Some(v.parse::<i32>().map_err(|_| AppError::bad_request("version", "must be a version number")).or_page(&pc)?),
    };
    let (new, old, diff) = match wanted {
        Some(n) => {
            let new = outcomes::get(app, viewer, &slug, Some(n)).await.or_page(&pc)?;
            let prev = versions.iter().map(|v| v.version).filter(|v| *v < n).max();
            match prev {
                Some(p) => {
                    let diff = outcomes::diff(app, viewer, &slug, p, n).await.or_page(&pc)?;
                    (Some(new), Some(outcomes::get(app, viewer, &slug, Some(p)).await.or_page(&pc)?), diff)
                }
                None => (Some(new), None, Vec::new()),
            }
        }
        None => (None, None, Vec::new()),
    };
    let mut cited: Vec<Uuid> = diff.iter().flat_map(|d| d.cites_added.iter().chain(&d.cites_removed).copied()).collect();
    cited.dedup();
    let activities = if cited.is_empty() { BTreeMap::new() } else { outcomes::cited_activities(app, viewer, &slug, &cited).await.or_page(&pc)? };
    let tr = pc.tr;
    let dl = visible.process.default_language.clone();
    let cite = |id: &Uuid| Cite { href: activities.get(id).map(|a| format!("/activities/{a}#c-{id}")), reference: short_ref(id), id: id.to_string() };
    let (changes, unchanged) = changes(&tr, &dl, new.as_ref(), old.as_ref(), &diff, &cite);
    let latest = versions.first().map(|v| v.version);
    let page = HistoryPage {
        c: pc.chrome(tr.t("staff-outcome-history-title")),
        tabs: Tabs::new(tr, &visible, viewer, "outcome"),
        slug,
        published: q.published.as_deref().and_then(|v| v.parse::<i64>().ok()),
        versions: versions
            .iter()
            .map(|v| HistoryVersion {
                number: v.version.into(),
                date: tr.datetime(v.published_at),
                note: tr.pick(&v.note, &dl),
                selected: Some(v.version) == wanted,
                latest: Some(v.version) == latest,
            })
            .collect(),
        selected: wanted.map(i64::from).unwrap_or(0),
        previous: old.as_ref().map(|o| i64::from(o.version)),
        changes_heading: match (&old, &new) {
            (Some(o), Some(n)) => tr.a("outcome-changes-heading", &[("from", i64::from(o.version).into()), ("to", i64::from(n.version).into())]),
            _ => String::new(),
        },
        changes,
        unchanged,
    };
    Ok(pc.render(&page))
}
