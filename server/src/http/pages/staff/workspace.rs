//! The process workspace: the staff's dashboard (`/manage`), creating a process, its overview
//! with the edit form (title, summary and description in each language with a preview,
//! scope, topics, level, visibility, phases, milestones and commitments with rows added and
//! removed without JavaScript), its members and roles, and publishing and archiving after a
//! page that says what will happen. Every action calls the app function the API calls.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::Tabs;
use super::workspace_form::{Intent, ProcessForm, Problems, app_problems, id_of, lang_name};
use crate::app::pagination::PageParams;
use crate::app::processes::{self, NewMember, ProcessView, WorkspaceItem};
use crate::app::{AppError, Viewer, accounts, topics};
use crate::domain::account::ProcessRole;
use crate::domain::markdown;
use crate::domain::process::{Iap2Level, ProcessStatus, Scope, Visibility};
use crate::http::pages::account::signed_in;
use crate::http::pages::i18n::{Localized, Tr};
use crate::http::pages::page::{Chrome, OrPage, PageCtx, PageError, PagePost, PageResult};
use crate::http::pages::words;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage", web::get().to(dashboard))
        .route("/manage/processes/new", web::get().to(new_form))
        .route("/manage/processes/new", web::post().to(create))
        .route("/manage/processes/{key}", web::get().to(overview))
        .route("/manage/processes/{key}", web::post().to(save))
        .route("/manage/processes/{key}/publish", web::get().to(publish_page))
        .route("/manage/processes/{key}/publish", web::post().to(publish))
        .route("/manage/processes/{key}/archive", web::get().to(archive_page))
        .route("/manage/processes/{key}/archive", web::post().to(archive))
        .route("/manage/processes/{key}/members", web::get().to(members))
        .route("/manage/processes/{key}/members", web::post().to(add_member))
        .route("/manage/processes/{key}/members/{account}/role", web::post().to(set_role))
        .route("/manage/processes/{key}/members/{account}/remove", web::post().to(remove_member));
}

/// A form whose fields are read from its raw pairs (or that has none but the token).
#[derive(Deserialize)]
pub struct Raw {}

/// A signed-in reader, or the sign-in page that comes back here.
fn viewer_of(pc: &PageCtx) -> Result<Viewer, PageError> {
    signed_in(pc)
}

// ---------------------------------------------------------------------------------------
// The dashboard.

pub struct WorkItem {
    pub slug: String,
    pub title: String,
    pub title_lang: String,
    pub title_dir: &'static str,
    pub status: String,
    pub role: String,
    pub phase: String,
}

#[derive(Template)]
#[template(path = "staff/workspace_list.html")]
struct DashboardPage {
    c: Chrome,
    items: Vec<WorkItem>,
    admin: bool,
}

fn role_name(tr: &Tr, role: Option<ProcessRole>, admin: bool) -> String {
    match role {
        Some(r) => tr.t(&format!("workspace-role-{}", r.as_str())),
        None if admin => tr.t("workspace-role-admin"),
        None => String::new(),
    }
}

/// GET /manage.
pub async fn dashboard(pc: PageCtx) -> PageResult {
    let viewer = viewer_of(&pc)?;
    let tr = pc.tr;
    let list: Vec<WorkspaceItem> = processes::workspace_list(&pc.app, &viewer).await.or_page(&pc)?;
    let items = list
        .iter()
        .map(|w| {
            let p = &w.process;
            let title = tr.pick(&p.title, "en");
            WorkItem {
                slug: p.slug.clone(),
                title: title.text.to_string(),
                title_lang: title.lang.clone(),
                title_dir: title.dir(),
                status: words::status(&tr, p.status),
                role: role_name(&tr, w.your_role, viewer.is_admin),
                phase: p.current_phase.as_ref().map(|ph| tr.pick(&ph.name, "en").text.to_string()).unwrap_or_default(),
            }
        })
        .collect();
    let page = DashboardPage { c: pc.chrome(tr.t("workspace-dashboard-title")), items, admin: viewer.is_admin };
    Ok(pc.render(&page))
}

// ---------------------------------------------------------------------------------------
// The process form.

/// One control of the form.
pub struct Input {
    pub id: String,
    pub name: String,
    pub label: String,
    pub hint: String,
    pub value: String,
    /// "text", "date", "number" or "textarea".
    pub kind: &'static str,
    /// The language of the content typed (empty for a date).
    pub lang: String,
    pub dir: &'static str,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub hint: String,
    pub checked: bool,
    pub lang: String,
}

/// A row of phases, milestones or commitments.
pub struct Row {
    pub index: usize,
    pub legend: String,
    pub inputs: Vec<Input>,
    /// For a commitment: the measure's choices and the days.
    pub measure: Vec<Choice>,
    pub measure_id: String,
    /// The measure's field name (its id with dots).
    pub measure_name: String,
    pub days: Option<Input>,
    pub remove_label: String,
}

pub struct PreviewItem {
    pub lang: String,
    pub dir: &'static str,
    pub lang_name: String,
    pub title: String,
    pub summary: String,
    pub html: String,
}

/// The overview's facts above the form.
pub struct Facts {
    pub status: String,
    pub draft: bool,
    pub published: bool,
    pub archived: bool,
    pub visibility: String,
    pub level: String,
    pub level_promise: String,
}

#[derive(Template)]
#[template(path = "staff/workspace_edit.html")]
struct EditPage {
    c: Chrome,
    /// None when creating.
    tabs: Option<Tabs>,
    facts: Option<Facts>,
    heading: String,
    action: String,
    errors: Problems,
    note: Option<String>,
    langs: Vec<(String, String)>,
    add_langs: Vec<(String, String)>,
    slug_editable: bool,
    slug: String,
    titles: Vec<Input>,
    summaries: Vec<Input>,
    descriptions: Vec<Input>,
    scopes: Vec<Choice>,
    topics: Vec<Choice>,
    levels: Vec<Choice>,
    visibilities: Vec<Choice>,
    default_langs: Vec<Choice>,
    parent: String,
    parent_was: String,
    phases: Vec<Row>,
    milestones: Vec<Row>,
    commitments: Vec<Row>,
    preview: Vec<PreviewItem>,
    save_label: String,
    /// Archived processes are read-only: no form.
    archived: bool,
}

fn dir_of(tag: &str) -> &'static str {
    if crate::domain::language::Language::parse(tag).map(|l| l.is_rtl()).unwrap_or(false) { "rtl" } else { "ltr" }
}

/// One input per language of the form for `map`.
fn per_lang(tr: &Tr, f: &ProcessForm, name: &str, label_key: &str, map: &std::collections::BTreeMap<String, String>, kind: &'static str, hint: String) -> Vec<Input> {
    f.langs
        .iter()
        .map(|l| {
            let full = format!("{name}.{l}");
            Input {
                id: id_of(&full),
                name: full,
                label: tr.a(label_key, &[("language", crate::http::pages::i18n::Arg::Text(lang_name(l)))]),
                hint: hint.clone(),
                value: ProcessForm::text(map, l).to_string(),
                kind,
                lang: l.clone(),
                dir: dir_of(l),
            }
        })
        .collect()
}

fn plain(name: String, label: String, value: &str, kind: &'static str) -> Input {
    Input { id: id_of(&name), name, label, hint: String::new(), value: value.to_string(), kind, lang: String::new(), dir: "ltr" }
}

fn choices<T: Copy>(all: &[T], current: &str, value: impl Fn(T) -> &'static str, label: impl Fn(T) -> String, hint: impl Fn(T) -> String) -> Vec<Choice> {
    all.iter()
        .map(|t| Choice { value: value(*t).to_string(), label: label(*t), hint: hint(*t), checked: value(*t) == current, lang: String::new() })
        .collect()
}

/// The topics of the instance as checkboxes (every page of them).
async fn topic_choices(pc: &PageCtx, picked: &[String]) -> Result<Vec<Choice>, PageError> {
    let mut out = Vec::new();
    let mut cursor = None;
    for _ in 0..20 {
        let page = topics::list(&pc.app, &PageParams { limit: Some(100), cursor: cursor.clone() }).await.or_page(pc)?;
        for t in &page.items {
            let label: Localized = pc.tr.pick(&t.labels, "en");
            out.push(Choice {
                value: t.slug.clone(),
                label: label.text.to_string(),
                hint: String::new(),
                checked: picked.contains(&t.slug),
                lang: label.lang.clone(),
            });
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    Ok(out)
}

fn offered(pc: &PageCtx) -> Vec<String> {
    pc.app.settings.instance.languages.iter().map(|l| l.as_str().to_string()).collect()
}

struct EditParts {
    tabs: Option<Tabs>,
    facts: Option<Facts>,
    heading: String,
    action: String,
    slug_editable: bool,
    save_label: String,
}

async fn edit_page(pc: &PageCtx, parts: EditParts, f: &ProcessForm, errors: Problems, note: Option<String>, preview: bool, status: StatusCode) -> PageResult {
    let tr = pc.tr;
    let offered = offered(pc);
    let desc_hint = tr.t("workspace-description-hint");
    let phases = f
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut inputs = per_lang(&tr, f, &format!("phases.{i}.name"), "workspace-phase-name", &p.name, "text", String::new());
            inputs.extend(per_lang(&tr, f, &format!("phases.{i}.description"), "workspace-phase-description", &p.description, "textarea", String::new()));
            inputs.push(plain(format!("phases.{i}.starts_on"), tr.t("workspace-phase-starts"), &p.starts_on, "date"));
            inputs.push(plain(format!("phases.{i}.ends_on"), tr.t("workspace-phase-ends"), &p.ends_on, "date"));
            Row {
                index: i,
                legend: tr.n("workspace-phase-legend", "number", (i + 1) as i64),
                inputs,
                measure: vec![],
                measure_id: String::new(),
                measure_name: String::new(),
                days: None,
                remove_label: tr.n("workspace-phase-remove", "number", (i + 1) as i64),
            }
        })
        .collect();
    let milestones = f
        .milestones
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut inputs = per_lang(&tr, f, &format!("milestones.{i}.title"), "workspace-milestone-title", &m.title, "text", String::new());
            inputs.extend(per_lang(&tr, f, &format!("milestones.{i}.description"), "workspace-milestone-description", &m.description, "textarea", String::new()));
            inputs.push(plain(format!("milestones.{i}.due_on"), tr.t("workspace-milestone-due"), &m.due_on, "date"));
            Row {
                index: i,
                legend: tr.n("workspace-milestone-legend", "number", (i + 1) as i64),
                inputs,
                measure: vec![],
                measure_id: String::new(),
                measure_name: String::new(),
                days: None,
                remove_label: tr.n("workspace-milestone-remove", "number", (i + 1) as i64),
            }
        })
        .collect();
    let commitments = f
        .commitments
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let inputs = per_lang(&tr, f, &format!("commitments.{i}.text"), "workspace-commitment-text", &c.text, "textarea", String::new());
            let measure = [("", "workspace-measure-none"), ("respond_within_days", "workspace-measure-respond"), ("publish_outcome_within_days", "workspace-measure-outcome")]
                .iter()
                .map(|(v, k)| Choice { value: v.to_string(), label: tr.t(k), hint: String::new(), checked: c.measure == *v, lang: String::new() })
                .collect();
            let mut days = plain(format!("commitments.{i}.measure.days"), tr.t("workspace-measure-days"), &c.days, "number");
            days.hint = tr.t("workspace-measure-days-hint");
            Row {
                index: i,
                legend: tr.n("workspace-commitment-legend", "number", (i + 1) as i64),
                inputs,
                measure,
                measure_id: format!("commitments-{i}-measure-kind"),
                measure_name: format!("commitments.{i}.measure.kind"),
                days: Some(days),
                remove_label: tr.n("workspace-commitment-remove", "number", (i + 1) as i64),
            }
        })
        .collect();
    let preview = if preview {
        f.langs
            .iter()
            .map(|l| PreviewItem {
                lang: l.clone(),
                dir: dir_of(l),
                lang_name: lang_name(l),
                title: ProcessForm::text(&f.title, l).to_string(),
                summary: ProcessForm::text(&f.summary, l).to_string(),
                html: markdown::render(ProcessForm::text(&f.description, l)),
            })
            .collect()
    } else {
        vec![]
    };
    let page = EditPage {
        archived: parts.facts.as_ref().is_some_and(|x| x.archived),
        c: pc.chrome(errors.title(&tr, parts.heading.clone())),
        tabs: parts.tabs,
        facts: parts.facts,
        heading: parts.heading,
        action: parts.action,
        errors,
        note,
        langs: f.langs.iter().map(|l| (l.clone(), lang_name(l))).collect(),
        add_langs: offered.iter().filter(|l| !f.langs.contains(l)).map(|l| (l.clone(), lang_name(l))).collect(),
        slug_editable: parts.slug_editable,
        slug: f.slug.clone(),
        titles: per_lang(&tr, f, "title", "workspace-title-in", &f.title, "text", String::new()),
        summaries: per_lang(&tr, f, "summary", "workspace-summary-in", &f.summary, "textarea", String::new()),
        descriptions: per_lang(&tr, f, "description", "workspace-description-in", &f.description, "textarea", desc_hint),
        scopes: choices(Scope::ALL, &f.scope, |s| s.as_str(), |s| words::scope(&tr, s), |_| String::new()),
        topics: topic_choices(pc, &f.topics).await?,
        levels: choices(Iap2Level::ALL, &f.iap2_level, |l| l.as_str(), |l| words::level_name(&tr, l), |l| words::level_promise(&tr, l)),
        visibilities: choices(
            Visibility::ALL,
            &f.visibility,
            |v| v.as_str(),
            |v| tr.t(&format!("workspace-visibility-{}", v.as_str())),
            |v| tr.t(&format!("workspace-visibility-{}-hint", v.as_str())),
        ),
        default_langs: f
            .langs
            .iter()
            .map(|l| Choice { value: l.clone(), label: lang_name(l), hint: String::new(), checked: *l == f.default_language, lang: l.clone() })
            .collect(),
        parent: f.parent.clone(),
        parent_was: f.parent_was.clone(),
        phases,
        milestones,
        commitments,
        preview,
        save_label: parts.save_label,
    };
    Ok(pc.render_status(status, &page))
}

fn new_parts(tr: &Tr) -> EditParts {
    EditParts {
        tabs: None,
        facts: None,
        heading: tr.t("workspace-new-title"),
        action: "/manage/processes/new".into(),
        slug_editable: true,
        save_label: tr.t("workspace-create"),
    }
}

/// GET /manage/processes/new (instance administrators).
pub async fn new_form(pc: PageCtx) -> PageResult {
    let viewer = viewer_of(&pc)?;
    accounts::require_admin(&viewer).or_page(&pc)?;
    let f = ProcessForm::new_process(pc.app.settings.instance.default_language.as_str());
    edit_page(&pc, new_parts(&pc.tr), &f, Problems::default(), None, false, StatusCode::OK).await
}

/// POST /manage/processes/new: creates the draft, or shows the form again (a row added or
/// removed, a preview, or the problems found).
pub async fn create(post: PagePost<Raw>) -> PageResult {
    let PagePost { pc, pairs, .. } = post;
    let viewer = viewer_of(&pc)?;
    let tr = pc.tr;
    accounts::require_admin(&viewer).or_page(&pc)?;
    let (f, intent) = ProcessForm::from_pairs(&pairs, &offered(&pc));
    if intent != Intent::Save {
        return edit_page(&pc, new_parts(&tr), &f, Problems::default(), None, intent == Intent::Preview, StatusCode::OK).await;
    }
    let input = match f.to_input(&tr) {
        Ok(i) => i,
        Err(errors) => return edit_page(&pc, new_parts(&tr), &f, sorted(errors, &f), None, false, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    match processes::create(&pc.app, &viewer, input).await {
        Ok(view) => Ok(pc.redirect(&format!("/manage/processes/{}?saved=created", view.slug))),
        Err(AppError::Invalid(list)) => edit_page(&pc, new_parts(&tr), &f, app_problems(&tr, &list, &f.ids()), None, false, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(AppError::Conflict(e)) => edit_page(&pc, new_parts(&tr), &f, app_problems(&tr, &[e], &f.ids()), None, false, StatusCode::CONFLICT).await,
        Err(e) => Err(pc.fail(e)),
    }
}

fn sorted(mut errors: Problems, f: &ProcessForm) -> Problems {
    errors.sort_by(&f.ids());
    errors
}

fn facts(tr: &Tr, p: &ProcessView) -> Facts {
    Facts {
        status: words::status(tr, p.status),
        draft: p.status == ProcessStatus::Draft,
        published: p.status == ProcessStatus::Published,
        archived: p.status == ProcessStatus::Archived,
        visibility: tr.t(&format!("workspace-visibility-{}", p.visibility.as_str())),
        level: words::level_name(tr, p.iap2_level),
        level_promise: words::level_promise(tr, p.iap2_level),
    }
}

fn edit_parts(pc: &PageCtx, p: &ProcessView, visible: &processes::Visible) -> EditParts {
    let tr = pc.tr;
    EditParts {
        tabs: Some(Tabs::new(tr, visible, pc.viewer(), "overview")),
        facts: Some(facts(&tr, p)),
        heading: tr.t("workspace-overview-title"),
        action: format!("/manage/processes/{}", p.slug),
        slug_editable: p.status == ProcessStatus::Draft,
        save_label: tr.t("workspace-save"),
    }
}

#[derive(Template)]
#[template(path = "staff/workspace_overview.html")]
struct OverviewPage {
    c: Chrome,
    tabs: Tabs,
    facts: Facts,
    desk: bool,
    moderation: bool,
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn saved_note(tr: &Tr, saved: Option<&str>) -> Option<String> {
    match saved {
        Some("created") => Some(tr.t("workspace-saved-created")),
        Some("saved") => Some(tr.t("workspace-saved")),
        Some("published") => Some(tr.t("workspace-saved-published")),
        Some("archived") => Some(tr.t("workspace-saved-archived")),
        _ => None,
    }
}

/// GET /manage/processes/{key}: the overview; with the edit form for those who manage it,
/// the links to their pages for facilitators.
pub async fn overview(pc: PageCtx, key: web::Path<String>, q: web::Query<SavedQuery>) -> PageResult {
    let viewer = viewer_of(&pc)?;
    let tr = pc.tr;
    let (visible, powers) = processes::powers(&pc.app, Some(&viewer), &key).await.or_page(&pc)?;
    if !powers.manage {
        if !powers.any_staff() {
            // The app's refusal, as for any action here.
            processes::load_managed(&pc.app, &viewer, &key).await.or_page(&pc)?;
        }
        let p = processes::get(&pc.app, Some(&viewer), &key).await.or_page(&pc)?;
        let page = OverviewPage {
            c: pc.chrome(tr.t("workspace-overview-title")),
            tabs: Tabs::new(tr, &visible, Some(&viewer), "overview"),
            facts: facts(&tr, &p),
            desk: powers.facilitate,
            moderation: powers.moderate,
        };
        return Ok(pc.render(&page));
    }
    let p = processes::get(&pc.app, Some(&viewer), &key).await.or_page(&pc)?;
    let f = ProcessForm::from_view(&p);
    let note = saved_note(&tr, q.saved.as_deref());
    edit_page(&pc, edit_parts(&pc, &p, &visible), &f, Problems::default(), note, false, StatusCode::OK).await
}

/// POST /manage/processes/{key}: saves the form (or adds or removes a row, or previews).
pub async fn save(post: PagePost<Raw>, key: web::Path<String>) -> PageResult {
    let PagePost { pc, pairs, .. } = post;
    let viewer = viewer_of(&pc)?;
    let tr = pc.tr;
    // Only those who may change it get further than this (the app's rule).
    let visible = processes::load_managed(&pc.app, &viewer, &key).await.or_page(&pc)?;
    let p = processes::get(&pc.app, Some(&viewer), &key).await.or_page(&pc)?;
    let (f, intent) = ProcessForm::from_pairs(&pairs, &offered(&pc));
    let parts = || edit_parts(&pc, &p, &visible);
    if intent != Intent::Save {
        return edit_page(&pc, parts(), &f, Problems::default(), None, intent == Intent::Preview, StatusCode::OK).await;
    }
    let patch = match f.to_patch(&tr, p.status == ProcessStatus::Draft) {
        Ok(patch) => patch,
        Err(errors) => return edit_page(&pc, parts(), &f, sorted(errors, &f), None, false, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    match processes::update(&pc.app, &viewer, &key, patch).await {
        Ok(view) => Ok(pc.redirect(&format!("/manage/processes/{}?saved=saved", view.slug))),
        Err(AppError::Invalid(list)) => edit_page(&pc, parts(), &f, app_problems(&tr, &list, &f.ids()), None, false, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(AppError::Conflict(e)) => edit_page(&pc, parts(), &f, app_problems(&tr, &[e], &f.ids()), None, false, StatusCode::CONFLICT).await,
        Err(e) => Err(pc.fail(e)),
    }
}

// ---------------------------------------------------------------------------------------
// Publishing and archiving.

#[derive(Template)]
#[template(path = "staff/workspace_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    tabs: Tabs,
    heading: String,
    paragraphs: Vec<String>,
    problems: Vec<String>,
    action: String,
    button: String,
    warning: bool,
    back: String,
}

async fn confirm_page(pc: &PageCtx, key: &str, archive: bool, problems: Vec<String>, status: StatusCode) -> PageResult {
    let viewer = viewer_of(pc)?;
    let tr = pc.tr;
    let visible = processes::load_managed(&pc.app, &viewer, key).await.or_page(pc)?;
    let p = processes::get(&pc.app, Some(&viewer), key).await.or_page(pc)?;
    let title = tr.pick(&p.title, &p.default_language).text.to_string();
    let (heading, paragraphs, button) = if archive {
        (
            tr.a1("workspace-archive-heading", "title", &title),
            vec![tr.t("workspace-archive-readonly"), tr.t("workspace-archive-readable"), tr.t("workspace-archive-final")],
            tr.t("workspace-archive-button"),
        )
    } else {
        let who = match p.visibility {
            Visibility::Public => tr.t("workspace-publish-public"),
            Visibility::Unlisted => tr.t("workspace-publish-unlisted"),
            Visibility::Private => tr.t("workspace-publish-private"),
        };
        let mut paragraphs = vec![who, tr.t("workspace-publish-what")];
        if p.visibility == Visibility::Public {
            paragraphs.push(tr.t("workspace-publish-ledger"));
        }
        paragraphs.push(tr.t("workspace-publish-final"));
        (tr.a1("workspace-publish-heading", "title", &title), paragraphs, tr.t("workspace-publish-button"))
    };
    let page = ConfirmPage {
        c: pc.chrome(heading.clone()),
        tabs: Tabs::new(tr, &visible, Some(&viewer), "overview"),
        heading,
        paragraphs,
        problems,
        action: format!("/manage/processes/{}/{}", p.slug, if archive { "archive" } else { "publish" }),
        button,
        warning: archive,
        back: format!("/manage/processes/{}", p.slug),
    };
    Ok(pc.render_status(status, &page))
}

/// GET /manage/processes/{key}/publish: what publishing makes public, and the button.
pub async fn publish_page(pc: PageCtx, key: web::Path<String>) -> PageResult {
    confirm_page(&pc, &key, false, vec![], StatusCode::OK).await
}

pub async fn archive_page(pc: PageCtx, key: web::Path<String>) -> PageResult {
    confirm_page(&pc, &key, true, vec![], StatusCode::OK).await
}

/// The app's refusal of a publish or an archive, in words.
fn refusal(tr: &Tr, e: &AppError) -> Option<String> {
    match e {
        AppError::Invalid(list) if list.iter().any(|p| p.field == "phases") => Some(tr.t("workspace-publish-needs-phase")),
        AppError::Conflict(_) => Some(tr.t("workspace-status-changed")),
        _ => None,
    }
}

pub async fn publish(post: PagePost<Raw>, key: web::Path<String>) -> PageResult {
    let PagePost { pc, .. } = post;
    let viewer = viewer_of(&pc)?;
    match processes::publish(&pc.app, &viewer, &key).await {
        Ok(view) => Ok(pc.redirect(&format!("/manage/processes/{}?saved=published", view.slug))),
        Err(e) => match refusal(&pc.tr, &e) {
            Some(why) => confirm_page(&pc, &key, false, vec![why], StatusCode::CONFLICT).await,
            None => Err(pc.fail(e)),
        },
    }
}

pub async fn archive(post: PagePost<Raw>, key: web::Path<String>) -> PageResult {
    let PagePost { pc, .. } = post;
    let viewer = viewer_of(&pc)?;
    match processes::archive(&pc.app, &viewer, &key).await {
        Ok(view) => Ok(pc.redirect(&format!("/manage/processes/{}?saved=archived", view.slug))),
        Err(e) => match refusal(&pc.tr, &e) {
            Some(why) => confirm_page(&pc, &key, true, vec![why], StatusCode::CONFLICT).await,
            None => Err(pc.fail(e)),
        },
    }
}

// ---------------------------------------------------------------------------------------
// Members.

pub struct MemberRow {
    pub account_id: String,
    /// The id of the member's role select (errors point at it).
    pub role_id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub roles: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "staff/workspace_members.html")]
struct MembersPage {
    c: Chrome,
    tabs: Tabs,
    rows: Vec<MemberRow>,
    errors: Problems,
    email: String,
    roles: Vec<Choice>,
    note: Option<String>,
}

const ROLES: [ProcessRole; 4] = [ProcessRole::Organiser, ProcessRole::Facilitator, ProcessRole::Participant, ProcessRole::Observer];

fn role_choices(tr: &Tr, current: &str) -> Vec<Choice> {
    choices(&ROLES, current, |r| r.as_str(), |r| tr.t(&format!("workspace-role-{}", r.as_str())), |r| tr.t(&format!("workspace-role-{}-hint", r.as_str())))
}

struct Typed {
    email: String,
    role: String,
}

async fn members_page(pc: &PageCtx, key: &str, errors: Problems, typed: Typed, note: Option<String>, status: StatusCode) -> PageResult {
    let viewer = viewer_of(pc)?;
    let tr = pc.tr;
    let visible = processes::load_managed(&pc.app, &viewer, key).await.or_page(pc)?;
    let mut rows = Vec::new();
    let mut cursor = None;
    for _ in 0..50 {
        let page = processes::members(&pc.app, &viewer, key, &PageParams { limit: Some(100), cursor: cursor.clone() }).await.or_page(pc)?;
        for m in page.items {
            rows.push(MemberRow {
                account_id: m.account_id.to_string(),
                role_id: format!("role-{}", m.account_id),
                name: m.display_name,
                email: m.email,
                role: tr.t(&format!("workspace-role-{}", m.role.as_str())),
                roles: role_choices(&tr, m.role.as_str()),
            });
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    rows.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()));
    let page = MembersPage {
        c: pc.chrome(errors.title(&tr, tr.t("workspace-members-title"))),
        tabs: Tabs::new(tr, &visible, Some(&viewer), "members"),
        rows,
        errors,
        email: typed.email,
        roles: role_choices(&tr, &typed.role),
        note,
    };
    Ok(pc.render_status(status, &page))
}

#[derive(Deserialize)]
pub struct MembersQuery {
    done: Option<String>,
}

/// GET /manage/processes/{key}/members.
pub async fn members(pc: PageCtx, key: web::Path<String>, q: web::Query<MembersQuery>) -> PageResult {
    let tr = pc.tr;
    let note = match q.done.as_deref() {
        Some("added") => Some(tr.t("workspace-member-added")),
        Some("role") => Some(tr.t("workspace-member-role-changed")),
        Some("removed") => Some(tr.t("workspace-member-removed")),
        _ => None,
    };
    members_page(&pc, &key, Problems::default(), Typed { email: String::new(), role: String::new() }, note, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// POST /manage/processes/{key}/members: adds an account by its email.
pub async fn add_member(post: PagePost<MemberForm>, key: web::Path<String>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let viewer = viewer_of(&pc)?;
    let tr = pc.tr;
    let typed = Typed { email: form.email.clone(), role: form.role.clone() };
    let Some(role) = ProcessRole::from_stored(&form.role) else {
        // The app's rule first: someone who may not manage members learns nothing more.
        processes::load_managed(&pc.app, &viewer, &key).await.or_page(&pc)?;
        let mut errors = Problems::default();
        errors.push("role", tr.t("workspace-error-role"));
        return members_page(&pc, &key, errors, typed, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match processes::add_member(&pc.app, &viewer, &key, NewMember { email: form.email.clone(), role }).await {
        Ok(_) => Ok(pc.redirect(&format!("/manage/processes/{key}/members?done=added"))),
        Err(AppError::Invalid(list)) => {
            let mut errors = Problems::default();
            for p in list {
                if p.field == "email" {
                    let message = if form.email.trim().is_empty() {
                        "workspace-error-email-empty"
                    } else if p.problem.contains("no account") {
                        "workspace-error-email-unknown"
                    } else {
                        "workspace-error-email-format"
                    };
                    errors.push("email", tr.t(message));
                } else {
                    errors.push("email", p.problem);
                }
            }
            members_page(&pc, &key, errors, typed, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(pc.fail(e)),
    }
}

fn account_of(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound("member"))
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// POST /manage/processes/{key}/members/{account}/role.
pub async fn set_role(post: PagePost<RoleForm>, path: web::Path<(String, String)>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let viewer = viewer_of(&pc)?;
    let (key, account) = path.into_inner();
    let account = account_of(&account).or_page(&pc)?;
    let Some(role) = ProcessRole::from_stored(&form.role) else {
        processes::load_managed(&pc.app, &viewer, &key).await.or_page(&pc)?;
        return Err(pc.fail(AppError::bad_request("role", "not a role")));
    };
    match processes::set_member_role(&pc.app, &viewer, &key, account, role).await {
        Ok(_) => Ok(pc.redirect(&format!("/manage/processes/{key}/members?done=role"))),
        Err(AppError::Conflict(_)) => last_organiser(&pc, &key, account).await,
        Err(e) => Err(pc.fail(e)),
    }
}

/// The page again, saying the last organiser must stay.
async fn last_organiser(pc: &PageCtx, key: &str, account: Uuid) -> PageResult {
    let mut errors = Problems::default();
    errors.push(format!("role-{account}"), pc.tr.t("workspace-error-last-organiser"));
    members_page(pc, key, errors, Typed { email: String::new(), role: String::new() }, None, StatusCode::CONFLICT).await
}

/// POST /manage/processes/{key}/members/{account}/remove.
pub async fn remove_member(post: PagePost<Raw>, path: web::Path<(String, String)>) -> PageResult {
    let PagePost { pc, .. } = post;
    let viewer = viewer_of(&pc)?;
    let (key, account) = path.into_inner();
    let account = account_of(&account).or_page(&pc)?;
    match processes::remove_member(&pc.app, &viewer, &key, account).await {
        Ok(()) => Ok(pc.redirect(&format!("/manage/processes/{key}/members?done=removed"))),
        Err(AppError::Conflict(_)) => last_organiser(&pc, &key, account).await,
        Err(e) => Err(pc.fail(e)),
    }
}
