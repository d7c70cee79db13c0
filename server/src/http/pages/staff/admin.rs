//! The instance administrator's pages under `/admin`: installed plugins (install an uploaded
//! component, upgrade, disable, enable, roll back), accounts (search, the administrator
//! right, verified attributes), the job queue (retry a failed job), census import (upload,
//! preview, import), topics, and the settings read at start-up. Every page and form calls the
//! app function the API calls, which refuses anyone but an instance administrator.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use uuid::Uuid;

use crate::app::accounts::{self, AccountSearch, AccountView};
use crate::app::census::{self, ImportReport, Preview};
use crate::app::jobs::{self, JobView};
use crate::app::pagination::PageParams;
use crate::app::plugins::{self, InstallMode, InstallOptions, Installer, MAX_COMPONENT_BYTES, PluginView};
use crate::app::topics::{self, NewTopic, TopicView};
use crate::app::{AppError, Viewer};
use crate::http::pages::account_forms::Problems;
use crate::http::pages::i18n::Tr;
use crate::http::pages::page::{Chrome, Multipart, OrPage, PageCtx, PageError, PagePost, PageResult, PageUpload};

/// A census sent through the pages is carried from its preview to its import inside the
/// page (see [`census_import`]), so it is kept small; larger files go through the API.
const CENSUS_PAGE_LIMIT: usize = 2 << 20;
/// What a form adds to its file: the other fields and the multipart framing.
const FORM_OVERHEAD: u64 = 64 * 1024;
/// Rows shown before a census is imported.
const PREVIEW_ROWS: usize = 5;
/// Rejected rows listed after an import (the count is always given).
const REJECTED_SHOWN: usize = 50;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(home))
        .route("/admin/plugins", web::get().to(plugin_list))
        .route("/admin/plugins", web::post().to(plugin_install))
        .route("/admin/plugins/{type_id}", web::get().to(plugin_show))
        .route("/admin/plugins/{type_id}", web::post().to(plugin_upgrade))
        .route("/admin/plugins/{type_id}/disable", web::get().to(plugin_disable_confirm))
        .route("/admin/plugins/{type_id}/disable", web::post().to(plugin_disable))
        .route("/admin/plugins/{type_id}/enable", web::post().to(plugin_enable))
        .route("/admin/plugins/{type_id}/rollback", web::get().to(plugin_rollback_confirm))
        .route("/admin/plugins/{type_id}/rollback", web::post().to(plugin_rollback))
        .route("/admin/accounts", web::get().to(account_list))
        .route("/admin/accounts/{id}", web::get().to(account_show))
        .route("/admin/accounts/{id}/admin", web::post().to(account_set_admin))
        .route("/admin/accounts/{id}/attributes", web::post().to(account_grant))
        .route("/admin/accounts/{id}/attributes/revoke", web::post().to(account_revoke))
        .route("/admin/jobs", web::get().to(job_list))
        .route("/admin/jobs/{id}/retry", web::post().to(job_retry))
        .route("/admin/census", web::get().to(census_form))
        .route("/admin/census/preview", web::post().to(census_preview))
        .route("/admin/census", web::post().to(census_import))
        .route("/admin/topics", web::get().to(topic_list))
        .route("/admin/topics", web::post().to(topic_create))
        .route("/admin/settings", web::get().to(settings));
    super::admin_federation::routes(cfg);
}

/// The page a form below `/admin` is on, when it posts to an address that is not a page (for
/// the language switcher and sign-in on a page rendered for the post).
pub fn page_of_form(path: &str) -> Option<String> {
    if path == "/admin/census/preview" {
        return Some("/admin/census".into());
    }
    if let Some(page) = super::admin_federation::page_of_form(path) {
        return Some(page);
    }
    let rest = path.strip_prefix("/admin/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        ["accounts", id, "admin" | "attributes"] | ["accounts", id, "attributes", "revoke"] if !id.is_empty() => Some(format!("/admin/accounts/{id}")),
        ["plugins", id, "enable"] if !id.is_empty() => Some(format!("/admin/plugins/{id}")),
        ["jobs", _, "retry"] => Some("/admin/jobs".into()),
        _ => None,
    }
}

/// The sub-navigation of the admin pages: (key, message id, address).
const NAV: &[(&str, &str, &str)] = &[
    ("home", "admin-nav-home", "/admin"),
    ("plugins", "admin-nav-plugins", "/admin/plugins"),
    ("accounts", "admin-nav-accounts", "/admin/accounts"),
    ("jobs", "admin-nav-jobs", "/admin/jobs"),
    ("federation", "admin-nav-federation", "/admin/federation"),
    ("census", "admin-nav-census", "/admin/census"),
    ("topics", "admin-nav-topics", "/admin/topics"),
    ("settings", "admin-nav-settings", "/admin/settings"),
];

pub struct AdminNav {
    pub current: &'static str,
}

pub struct NavLink {
    pub label: &'static str,
    pub href: &'static str,
    pub current: bool,
}

impl AdminNav {
    pub fn links(&self) -> Vec<NavLink> {
        NAV.iter().map(|(key, label, href)| NavLink { label, href, current: *key == self.current }).collect()
    }
}

/// The reader, if the app layer lets them administer the instance (sign-in for someone
/// signed out, 403 for anyone else).
fn admin_viewer(pc: &PageCtx) -> Result<Viewer, PageError> {
    let viewer = pc.viewer().cloned().ok_or_else(|| pc.fail(AppError::Unauthenticated("sign in first".into())))?;
    accounts::require_admin(&viewer).or_page(pc)?;
    Ok(viewer)
}

/// A post's reader: signed in, else the sign-in page (the app function decides the rest).
pub(super) fn post_viewer(pc: &PageCtx) -> Result<Viewer, PageError> {
    pc.viewer().cloned().ok_or_else(|| pc.fail(AppError::Unauthenticated("sign in first".into())))
}

/// The server's own words for an app error about a form's fields, each at the control it
/// names (`field_id` maps the app's field to the control's id); any other error is its page.
pub(super) fn problems_of(e: AppError, field_id: impl Fn(&str) -> &'static str) -> Result<Problems, AppError> {
    let mut problems = Problems::new();
    match e {
        AppError::Invalid(list) => {
            for fe in list {
                problems.push(field_id(&fe.field), fe.problem);
            }
        }
        AppError::BadRequest(fe) | AppError::Conflict(fe) | AppError::TooLarge(fe) => problems.push(field_id(&fe.field), fe.problem),
        other => return Err(other),
    }
    Ok(problems)
}

// ---------------------------------------------------------------------------------------
// Home

#[derive(Template)]
#[template(path = "staff/admin_home.html")]
struct HomePage {
    c: Chrome,
    nav: AdminNav,
}

pub async fn home(pc: PageCtx) -> PageResult {
    admin_viewer(&pc)?;
    let page = HomePage { c: pc.chrome(pc.tr.t("admin-home-title")), nav: AdminNav { current: "home" } };
    Ok(pc.render(&page))
}

// ---------------------------------------------------------------------------------------
// Plugins

/// One installed version, in the reader's words.
pub struct PluginRow {
    pub type_id: String,
    pub name: String,
    pub version: String,
    pub status: String,
    pub status_code: String,
    pub source: String,
    pub publisher: String,
    pub contract: String,
    pub sha256: String,
    pub installed: String,
    pub installed_at: String,
    pub current: bool,
    /// Installed by an administrator (not built into the server): upgraded through these pages.
    pub installed_source: bool,
}

fn plugin_row(tr: &Tr, p: &PluginView) -> PluginRow {
    let name = match &p.name {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(map) => map
            .get(tr.code())
            .or_else(|| map.get("en"))
            .or_else(|| map.values().next())
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    };
    let status = match p.status.as_str() {
        "active" => tr.t("admin-plugin-status-active"),
        "disabled" => tr.t("admin-plugin-status-disabled"),
        "superseded" => tr.t("admin-plugin-status-superseded"),
        "rolled_back" => tr.t("admin-plugin-status-rolled-back"),
        other => other.to_string(),
    };
    let source = match p.source.as_str() {
        "builtin" => tr.t("admin-plugin-source-builtin"),
        "installed" => tr.t("admin-plugin-source-installed"),
        other => other.to_string(),
    };
    PluginRow {
        type_id: p.type_id.clone(),
        name,
        version: p.version.clone(),
        status,
        status_code: p.status.clone(),
        source,
        publisher: p.publisher.clone(),
        contract: p.contract_version.clone(),
        sha256: p.sha256.clone(),
        installed: tr.datetime(p.installed_at),
        installed_at: p.installed_at.to_rfc3339(),
        current: p.status == "active" || p.status == "disabled",
        installed_source: p.source == "installed",
    }
}

/// What was typed in an install or upgrade form (the file itself cannot be kept).
#[derive(Default)]
pub struct UploadTyped {
    pub sha256: String,
    pub signature: String,
    pub replace_publisher: bool,
}

#[derive(Template)]
#[template(path = "staff/admin_plugins.html")]
struct PluginsPage {
    c: Chrome,
    nav: AdminNav,
    plugins: Vec<PluginRow>,
    errors: Problems,
    typed: UploadTyped,
    max_mib: usize,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    pub done: Option<String>,
}

pub async fn plugin_list(pc: PageCtx) -> PageResult {
    let viewer = post_viewer(&pc)?;
    plugins_page(&pc, &viewer, StatusCode::OK, Problems::new(), UploadTyped::default()).await
}

async fn plugins_page(pc: &PageCtx, viewer: &Viewer, status: StatusCode, errors: Problems, typed: UploadTyped) -> PageResult {
    let tr = pc.tr;
    let all = plugins::list(&pc.app, Some(viewer)).await.or_page(pc)?;
    let page = PluginsPage {
        c: pc.chrome(errors.title(&tr, tr.t("admin-plugins-title"))),
        nav: AdminNav { current: "plugins" },
        plugins: all.iter().filter(|p| p.status == "active" || p.status == "disabled").map(|p| plugin_row(&tr, p)).collect(),
        errors,
        typed,
        max_mib: MAX_COMPONENT_BYTES >> 20,
    };
    Ok(pc.render_status(status, &page))
}

/// The app's field names of an install, as the form's controls.
fn upload_field(field: &str) -> &'static str {
    match field {
        "sha256" => "sha256",
        "signature" => "signature",
        "publisher" => "replace_publisher",
        _ => "file",
    }
}

/// Reads an install or upgrade form and installs; the typed fields and the problems when it
/// is refused (the server's words as they are).
async fn install_from(pc: &PageCtx, viewer: &Viewer, form: &Multipart, mode: InstallMode, type_id: Option<&str>) -> Result<Result<PluginView, (Problems, UploadTyped)>, PageError> {
    let tr = pc.tr;
    let typed = UploadTyped {
        sha256: form.text("sha256").trim().to_string(),
        signature: form.text("signature").trim().to_string(),
        replace_publisher: form.text("replace_publisher") == "on",
    };
    let mut problems = Problems::new();
    let file = form.file("file");
    if file.is_none_or(|f| f.bytes.is_empty()) {
        problems.push("file", tr.t("admin-plugin-error-no-file"));
    }
    if typed.sha256.is_empty() {
        problems.push("sha256", tr.t("admin-plugin-error-no-sha"));
    }
    let Some(file) = file.filter(|_| problems.is_empty()) else {
        return Ok(Err((problems, typed)));
    };
    let options = InstallOptions {
        sha256: Some(&typed.sha256),
        signature: Some(typed.signature.as_str()).filter(|s| !s.is_empty()),
        replace_publisher: typed.replace_publisher,
    };
    match plugins::install(&pc.app, Installer::Admin(viewer), file.bytes.clone(), options, mode, type_id).await {
        Ok(view) => Ok(Ok(view)),
        Err(e) => match problems_of(e, upload_field) {
            Ok(problems) => Ok(Err((problems, typed))),
            Err(e) => Err(pc.fail(e)),
        },
    }
}

/// The body limit of an upload form: the API's limit for the component, and the form around it.
fn plugin_form_limit() -> u64 {
    MAX_COMPONENT_BYTES as u64 + FORM_OVERHEAD
}

pub async fn plugin_install(upload: PageUpload) -> PageResult {
    let (pc, form) = upload.receive(plugin_form_limit(), plugins::may_install).await?;
    let viewer = post_viewer(&pc)?;
    match install_from(&pc, &viewer, &form, InstallMode::Install, None).await? {
        Ok(view) => Ok(pc.redirect(&format!("/admin/plugins/{}?done=installed", enc(&view.type_id)))),
        Err((problems, typed)) => plugins_page(&pc, &viewer, StatusCode::UNPROCESSABLE_ENTITY, problems, typed).await,
    }
}

#[derive(Template)]
#[template(path = "staff/admin_plugin.html")]
struct PluginPage {
    c: Chrome,
    nav: AdminNav,
    type_id: String,
    current: PluginRow,
    versions: Vec<PluginRow>,
    unsigned: bool,
    can_roll_back: bool,
    notice: Option<String>,
    errors: Problems,
    typed: UploadTyped,
    max_mib: usize,
}

pub async fn plugin_show(pc: PageCtx, type_id: web::Path<String>, q: web::Query<NoticeQuery>) -> PageResult {
    let viewer = post_viewer(&pc)?;
    let notice = match q.done.as_deref() {
        Some("installed") => Some(pc.tr.t("admin-plugin-done-installed")),
        Some("upgraded") => Some(pc.tr.t("admin-plugin-done-upgraded")),
        Some("disabled") => Some(pc.tr.t("admin-plugin-done-disabled")),
        Some("enabled") => Some(pc.tr.t("admin-plugin-done-enabled")),
        Some("rolled_back") => Some(pc.tr.t("admin-plugin-done-rolled-back")),
        _ => None,
    };
    plugin_page(&pc, &viewer, &type_id, StatusCode::OK, notice, Problems::new(), UploadTyped::default()).await
}

/// Every version of one type, its current one first.
async fn type_versions(pc: &PageCtx, viewer: &Viewer, type_id: &str) -> Result<(PluginView, Vec<PluginView>), PageError> {
    let versions: Vec<PluginView> = plugins::list(&pc.app, Some(viewer)).await.or_page(pc)?.into_iter().filter(|p| p.type_id == type_id).collect();
    let current = versions.iter().find(|p| p.status == "active" || p.status == "disabled").cloned();
    let current = current.ok_or_else(|| pc.fail(AppError::NotFound("activity type")))?;
    Ok((current, versions))
}

async fn plugin_page(pc: &PageCtx, viewer: &Viewer, type_id: &str, status: StatusCode, notice: Option<String>, errors: Problems, typed: UploadTyped) -> PageResult {
    let tr = pc.tr;
    let (current, versions) = type_versions(pc, viewer, type_id).await?;
    let page = PluginPage {
        c: pc.chrome(errors.title(&tr, tr.a1("admin-plugin-title", "type", type_id))),
        nav: AdminNav { current: "plugins" },
        type_id: type_id.to_string(),
        unsigned: current.publisher == "unsigned",
        can_roll_back: versions.iter().any(|p| p.status == "superseded"),
        current: plugin_row(&tr, &current),
        versions: versions.iter().map(|p| plugin_row(&tr, p)).collect(),
        notice,
        errors,
        typed,
        max_mib: MAX_COMPONENT_BYTES >> 20,
    };
    Ok(pc.render_status(status, &page))
}

pub async fn plugin_upgrade(upload: PageUpload, type_id: web::Path<String>) -> PageResult {
    let (pc, form) = upload.receive(plugin_form_limit(), plugins::may_install).await?;
    let viewer = post_viewer(&pc)?;
    match install_from(&pc, &viewer, &form, InstallMode::Upgrade, Some(&type_id)).await? {
        Ok(view) => Ok(pc.redirect(&format!("/admin/plugins/{}?done=upgraded", enc(&view.type_id)))),
        Err((problems, typed)) => plugin_page(&pc, &viewer, &type_id, StatusCode::UNPROCESSABLE_ENTITY, None, problems, typed).await,
    }
}

/// A page asking to confirm one action, saying plainly what it will do.
#[derive(Template)]
#[template(path = "staff/admin_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    nav: AdminNav,
    heading: String,
    paragraphs: Vec<String>,
    action: String,
    button: String,
    back: String,
}

pub async fn plugin_disable_confirm(pc: PageCtx, type_id: web::Path<String>) -> PageResult {
    let viewer = post_viewer(&pc)?;
    let tr = pc.tr;
    let (current, _) = type_versions(&pc, &viewer, &type_id).await?;
    let page = ConfirmPage {
        c: pc.chrome(tr.a1("admin-plugin-disable-title", "type", &current.type_id)),
        nav: AdminNav { current: "plugins" },
        heading: tr.a1("admin-plugin-disable-title", "type", &current.type_id),
        paragraphs: vec![tr.t("admin-plugin-disable-what"), tr.t("admin-plugin-disable-kept")],
        action: format!("/admin/plugins/{}/disable", enc(&current.type_id)),
        button: tr.t("admin-plugin-disable-button"),
        back: format!("/admin/plugins/{}", enc(&current.type_id)),
    };
    Ok(pc.render(&page))
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn plugin_disable(post: PagePost<Empty>, type_id: web::Path<String>) -> PageResult {
    let pc = post.pc;
    let viewer = post_viewer(&pc)?;
    let view = plugins::set_enabled(&pc.app, Some(&viewer), &type_id, false).await.or_page(&pc)?;
    Ok(pc.redirect(&format!("/admin/plugins/{}?done=disabled", enc(&view.type_id))))
}

pub async fn plugin_enable(post: PagePost<Empty>, type_id: web::Path<String>) -> PageResult {
    let pc = post.pc;
    let viewer = post_viewer(&pc)?;
    let view = plugins::set_enabled(&pc.app, Some(&viewer), &type_id, true).await.or_page(&pc)?;
    Ok(pc.redirect(&format!("/admin/plugins/{}?done=enabled", enc(&view.type_id))))
}

pub async fn plugin_rollback_confirm(pc: PageCtx, type_id: web::Path<String>) -> PageResult {
    let viewer = post_viewer(&pc)?;
    let tr = pc.tr;
    let (current, versions) = type_versions(&pc, &viewer, &type_id).await?;
    let previous = versions.iter().find(|p| p.status == "superseded").map(|p| p.version.clone()).unwrap_or_default();
    let page = ConfirmPage {
        c: pc.chrome(tr.a1("admin-plugin-rollback-title", "type", &current.type_id)),
        nav: AdminNav { current: "plugins" },
        heading: tr.a1("admin-plugin-rollback-title", "type", &current.type_id),
        paragraphs: vec![
            tr.a("admin-plugin-rollback-what", &[("current", current.version.clone().into()), ("previous", previous.into())]),
            tr.t("admin-plugin-rollback-ledger"),
        ],
        action: format!("/admin/plugins/{}/rollback", enc(&current.type_id)),
        button: tr.t("admin-plugin-rollback-button"),
        back: format!("/admin/plugins/{}", enc(&current.type_id)),
    };
    Ok(pc.render(&page))
}

pub async fn plugin_rollback(post: PagePost<Empty>, type_id: web::Path<String>) -> PageResult {
    let pc = post.pc;
    let viewer = post_viewer(&pc)?;
    match crate::app::plugin_rollback::rollback(&pc.app, Some(&viewer), &type_id).await {
        Ok(view) => Ok(pc.redirect(&format!("/admin/plugins/{}?done=rolled_back", enc(&view.type_id)))),
        Err(e @ (AppError::Conflict(_) | AppError::Invalid(_))) => {
            let problems = problems_of(e, |_| "file").map_err(|e| pc.fail(e))?;
            let problem = problems.list().first().map(|p| p.message.clone()).unwrap_or_default();
            let notice = Some(format!("{} {problem}", pc.tr.t("admin-plugin-rollback-refused")));
            plugin_page(&pc, &viewer, &type_id, StatusCode::CONFLICT, notice, Problems::new(), UploadTyped::default()).await
        }
        Err(e) => Err(pc.fail(e)),
    }
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

// ---------------------------------------------------------------------------------------
// Accounts

pub struct AccountRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub admin: bool,
    pub attributes: String,
}

#[derive(Template)]
#[template(path = "staff/admin_accounts.html")]
struct AccountsPage {
    c: Chrome,
    nav: AdminNav,
    email: String,
    searched: bool,
    rows: Vec<AccountRow>,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct AccountQuery {
    pub email: Option<String>,
    pub cursor: Option<String>,
}

pub async fn account_list(pc: PageCtx, q: web::Query<AccountQuery>) -> PageResult {
    let viewer = post_viewer(&pc)?;
    let q = q.into_inner();
    let email = q.email.unwrap_or_default().trim().to_string();
    let search = AccountSearch { email: Some(email.clone()).filter(|e| !e.is_empty()) };
    let page = accounts::list(&pc.app, &viewer, &search, &PageParams { limit: Some(50), cursor: q.cursor }).await.or_page(&pc)?;
    let rows = page
        .items
        .iter()
        .map(|a| AccountRow {
            id: a.id.to_string(),
            email: a.email.clone(),
            name: a.display_name.clone(),
            admin: a.is_admin,
            attributes: a.attributes.iter().map(|x| x.name.as_str()).collect::<Vec<_>>().join(", "),
        })
        .collect();
    let next = page.next_cursor.map(|c| format!("/admin/accounts?email={}&cursor={}", enc(&email), enc(&c)));
    let tr = pc.tr;
    let page = AccountsPage { c: pc.chrome(tr.t("admin-accounts-title")), nav: AdminNav { current: "accounts" }, searched: !email.is_empty(), email, rows, next };
    Ok(pc.render(&page))
}

pub struct AttributeRow {
    pub name: String,
    pub source: String,
    pub granted: String,
    pub granted_at: String,
}

#[derive(Template)]
#[template(path = "staff/admin_account.html")]
struct AccountPage {
    c: Chrome,
    nav: AdminNav,
    account: AccountView,
    created: String,
    is_self: bool,
    attributes: Vec<AttributeRow>,
    notice: Option<String>,
    errors: Problems,
    attribute: String,
}

pub async fn account_show(pc: PageCtx, id: web::Path<Uuid>, q: web::Query<NoticeQuery>) -> PageResult {
    let viewer = post_viewer(&pc)?;
    let notice = match q.done.as_deref() {
        Some("admin_granted") => Some(pc.tr.t("admin-account-done-admin-granted")),
        Some("admin_removed") => Some(pc.tr.t("admin-account-done-admin-removed")),
        Some("granted") => Some(pc.tr.t("admin-account-done-granted")),
        Some("revoked") => Some(pc.tr.t("admin-account-done-revoked")),
        _ => None,
    };
    account_page(&pc, &viewer, *id, StatusCode::OK, notice, Problems::new(), String::new()).await
}

async fn account_page(pc: &PageCtx, viewer: &Viewer, id: Uuid, status: StatusCode, notice: Option<String>, errors: Problems, attribute: String) -> PageResult {
    let tr = pc.tr;
    let account = accounts::admin_view(&pc.app, viewer, id).await.or_page(pc)?;
    let attributes = account
        .attributes
        .iter()
        .map(|a| AttributeRow {
            name: a.name.clone(),
            source: if a.source == "census" { tr.t("admin-account-source-census") } else { tr.t("admin-account-source-admin") },
            granted: tr.datetime(a.granted_at),
            granted_at: a.granted_at.to_rfc3339(),
        })
        .collect();
    let page = AccountPage {
        c: pc.chrome(errors.title(&tr, tr.a1("admin-account-title", "email", &account.email))),
        nav: AdminNav { current: "accounts" },
        created: tr.datetime(account.created_at),
        is_self: account.id == viewer.account_id,
        account,
        attributes,
        notice,
        errors,
        attribute,
    };
    Ok(pc.render_status(status, &page))
}

#[derive(Deserialize)]
pub struct AdminRightForm {
    pub is_admin: String,
}

pub async fn account_set_admin(post: PagePost<AdminRightForm>, id: web::Path<Uuid>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let viewer = post_viewer(&pc)?;
    let grant = match form.is_admin.as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(pc.fail(AppError::bad_request("is_admin", "must be true or false"))),
    };
    match accounts::set_admin(&pc.app, &viewer, *id, grant).await {
        Ok(_) => Ok(pc.redirect(&format!("/admin/accounts/{}?done={}", *id, if grant { "admin_granted" } else { "admin_removed" }))),
        Err(AppError::Conflict(fe)) => {
            let notice = Some(fe.problem);
            account_page(&pc, &viewer, *id, StatusCode::CONFLICT, notice, Problems::new(), String::new()).await
        }
        Err(e) => Err(pc.fail(e)),
    }
}

#[derive(Deserialize)]
pub struct AttributeForm {
    pub name: String,
}

pub async fn account_grant(post: PagePost<AttributeForm>, id: web::Path<Uuid>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let viewer = post_viewer(&pc)?;
    if form.name.trim().is_empty() {
        let mut problems = Problems::new();
        problems.push("name", pc.tr.t("admin-account-error-no-attribute"));
        return account_page(&pc, &viewer, *id, StatusCode::UNPROCESSABLE_ENTITY, None, problems, form.name).await;
    }
    match accounts::grant_attribute(&pc.app, &viewer, *id, &form.name).await {
        Ok(_) => Ok(pc.redirect(&format!("/admin/accounts/{}?done=granted", *id))),
        Err(e) => {
            let problems = problems_of(e, |_| "name").map_err(|e| pc.fail(e))?;
            account_page(&pc, &viewer, *id, StatusCode::UNPROCESSABLE_ENTITY, None, problems, form.name).await
        }
    }
}

pub async fn account_revoke(post: PagePost<AttributeForm>, id: web::Path<Uuid>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let viewer = post_viewer(&pc)?;
    accounts::revoke_attribute(&pc.app, &viewer, *id, &form.name).await.or_page(&pc)?;
    Ok(pc.redirect(&format!("/admin/accounts/{}?done=revoked", *id)))
}

// ---------------------------------------------------------------------------------------
// Job queue

pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub attempts: i32,
    pub run_after: String,
    pub run_after_at: String,
    pub updated: String,
    pub updated_at: String,
    pub last_error: String,
}

fn job_row(tr: &Tr, j: &JobView) -> JobRow {
    let status = match j.status.as_str() {
        "pending" => tr.t("admin-jobs-status-pending"),
        "running" => tr.t("admin-jobs-status-running"),
        "failed" => tr.t("admin-jobs-status-failed"),
        "done" => tr.t("admin-jobs-status-done"),
        other => other.to_string(),
    };
    JobRow {
        id: j.id.to_string(),
        kind: j.kind.clone(),
        status,
        attempts: j.attempts,
        run_after: tr.datetime(j.run_after),
        run_after_at: j.run_after.to_rfc3339(),
        updated: tr.datetime(j.updated_at),
        updated_at: j.updated_at.to_rfc3339(),
        last_error: j.last_error.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "staff/admin_jobs.html")]
struct JobsPage {
    c: Chrome,
    nav: AdminNav,
    counts: Vec<(String, String)>,
    waiting: Vec<JobRow>,
    failed: Vec<JobRow>,
    notice: Option<String>,
}

pub async fn job_list(pc: PageCtx, q: web::Query<NoticeQuery>) -> PageResult {
    let viewer = post_viewer(&pc)?;
    let notice = (q.done.as_deref() == Some("retried")).then(|| pc.tr.t("admin-jobs-done-retried"));
    jobs_page(&pc, &viewer, StatusCode::OK, notice).await
}

async fn jobs_page(pc: &PageCtx, viewer: &Viewer, status: StatusCode, notice: Option<String>) -> PageResult {
    let tr = pc.tr;
    let queue = jobs::queue(&pc.app, viewer, 50).await.or_page(pc)?;
    let count = |s: &str| tr.number(queue.counts.get(s).copied().unwrap_or(0) as i64);
    let counts = vec![
        (tr.t("admin-jobs-status-pending"), count("pending")),
        (tr.t("admin-jobs-status-running"), count("running")),
        (tr.t("admin-jobs-status-failed"), count("failed")),
        (tr.t("admin-jobs-status-done"), count("done")),
    ];
    let page = JobsPage {
        c: pc.chrome(tr.t("admin-jobs-title")),
        nav: AdminNav { current: "jobs" },
        counts,
        waiting: queue.waiting.iter().map(|j| job_row(&tr, j)).collect(),
        failed: queue.failed.iter().map(|j| job_row(&tr, j)).collect(),
        notice,
    };
    Ok(pc.render_status(status, &page))
}

pub async fn job_retry(post: PagePost<Empty>, id: web::Path<Uuid>) -> PageResult {
    let pc = post.pc;
    let viewer = post_viewer(&pc)?;
    match jobs::retry(&pc.app, &viewer, *id).await {
        Ok(_) => Ok(pc.redirect("/admin/jobs?done=retried")),
        Err(AppError::Conflict(fe)) => jobs_page(&pc, &viewer, StatusCode::CONFLICT, Some(fe.problem)).await,
        Err(e) => Err(pc.fail(e)),
    }
}

// ---------------------------------------------------------------------------------------
// Census import

/// The census page in one of its three states: the upload form, the preview of a file with
/// the button that imports it, or what the import did.
#[derive(Template)]
#[template(path = "staff/admin_census.html")]
struct CensusPage {
    c: Chrome,
    nav: AdminNav,
    errors: Problems,
    attribute: String,
    preview: Option<Preview>,
    /// The file, for the import button's form (URL-safe base64).
    carried: String,
    report: Option<ImportReport>,
    rejected_more: usize,
    /// One sentence on the preview or the import.
    summary: String,
    /// The import's numbers, in words.
    facts: Vec<(String, String)>,
    limit_mib: usize,
}

impl CensusPage {
    fn new(pc: &PageCtx, errors: Problems, attribute: String) -> CensusPage {
        let tr = pc.tr;
        CensusPage {
            c: pc.chrome(errors.title(&tr, tr.t("admin-census-title"))),
            nav: AdminNav { current: "census" },
            errors,
            attribute,
            preview: None,
            carried: String::new(),
            report: None,
            rejected_more: 0,
            summary: String::new(),
            facts: vec![],
            limit_mib: CENSUS_PAGE_LIMIT >> 20,
        }
    }
}

pub async fn census_form(pc: PageCtx) -> PageResult {
    admin_viewer(&pc)?;
    Ok(pc.render(&CensusPage::new(&pc, Problems::new(), String::new())))
}

fn census_field(field: &str) -> &'static str {
    if field == "attribute" { "attribute" } else { "file" }
}

fn census_limit() -> u64 {
    // The file is carried to the import step in base64: a third larger.
    (CENSUS_PAGE_LIMIT as u64) * 4 / 3 + FORM_OVERHEAD
}

/// Step 1: the file is read and shown (its first rows and how many there are), nothing is
/// stored; the page carries the file to step 2 inside its form.
pub async fn census_preview(upload: PageUpload) -> PageResult {
    let (pc, form) = upload.receive(census_limit(), |v| accounts::require_admin(v)).await?;
    let viewer = post_viewer(&pc)?;
    let tr = pc.tr;
    let attribute = form.text("attribute").trim().to_string();
    let mut problems = Problems::new();
    if attribute.is_empty() {
        problems.push("attribute", tr.t("admin-census-error-no-attribute"));
    }
    let file = form.file("file").filter(|f| !f.bytes.is_empty());
    match file {
        None => problems.push("file", tr.t("admin-census-error-no-file")),
        Some(f) if f.bytes.len() > CENSUS_PAGE_LIMIT => problems.push("file", tr.n("admin-census-error-too-large", "mib", (CENSUS_PAGE_LIMIT >> 20) as i64)),
        Some(_) => {}
    }
    let Some(file) = file.filter(|_| problems.is_empty()) else {
        return Ok(pc.render_status(StatusCode::UNPROCESSABLE_ENTITY, &CensusPage::new(&pc, problems, attribute)));
    };
    match census::preview(&viewer, &attribute, file.bytes.as_slice(), PREVIEW_ROWS) {
        Ok(preview) => {
            let mut page = CensusPage::new(&pc, Problems::new(), preview.attribute.clone());
            page.c = pc.chrome(tr.t("admin-census-preview-title"));
            page.carried = URL_SAFE_NO_PAD.encode(&file.bytes);
            page.summary = tr.a("admin-census-preview-summary", &[("rows", (preview.rows as i64).into()), ("attribute", preview.attribute.clone().into())]);
            page.preview = Some(preview);
            Ok(pc.render(&page))
        }
        Err(e) => {
            let problems = problems_of(e, census_field).map_err(|e| pc.fail(e))?;
            Ok(pc.render_status(StatusCode::UNPROCESSABLE_ENTITY, &CensusPage::new(&pc, problems, attribute)))
        }
    }
}

/// Step 2: the file shown in the preview, sent back by the preview page's form, is imported
/// (`census::import`, the API's import). The server keeps nothing between the two steps: no
/// file, no session state; the admin's browser holds the file, bounded by
/// [`CENSUS_PAGE_LIMIT`]. The import is idempotent (an identifier already in the census is
/// counted as such), so its answer is shown at once rather than after a redirect.
pub async fn census_import(upload: PageUpload) -> PageResult {
    let (pc, form) = upload.receive(census_limit(), |v| accounts::require_admin(v)).await?;
    let viewer = post_viewer(&pc)?;
    let tr = pc.tr;
    let attribute = form.text("attribute").trim().to_string();
    let Ok(csv) = URL_SAFE_NO_PAD.decode(form.text("census").trim()) else {
        return Err(pc.fail(AppError::bad_request("census", "the file carried from the preview is damaged; upload it again")));
    };
    if csv.len() > CENSUS_PAGE_LIMIT {
        return Err(pc.fail(AppError::bad_request("census", "the file is too large for the pages; import it through the API")));
    }
    match census::import(&pc.app, &viewer, &attribute, csv.as_slice()).await {
        Ok(mut report) => {
            let mut page = CensusPage::new(&pc, Problems::new(), report.attribute.clone());
            page.c = pc.chrome(tr.t("admin-census-done-title"));
            page.rejected_more = report.rejected.len().saturating_sub(REJECTED_SHOWN);
            page.summary = tr.a("admin-census-done-summary", &[("rows", (report.rows as i64).into()), ("attribute", report.attribute.clone().into())]);
            page.facts = vec![
                (tr.t("admin-census-rows"), tr.number(report.rows as i64)),
                (tr.t("admin-census-imported"), tr.number(report.imported as i64)),
                (tr.t("admin-census-already"), tr.number(report.already_present as i64)),
                (tr.t("admin-census-rejected"), tr.number(report.rejected.len() as i64)),
            ];
            report.rejected.truncate(REJECTED_SHOWN);
            page.report = Some(report);
            Ok(pc.render(&page))
        }
        Err(e) => {
            let problems = problems_of(e, census_field).map_err(|e| pc.fail(e))?;
            Ok(pc.render_status(StatusCode::UNPROCESSABLE_ENTITY, &CensusPage::new(&pc, problems, attribute)))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Topics

/// Label fields by the position of the instance's language (ids must be static).
const LABEL_IDS: [&str; 12] = ["label_0", "label_1", "label_2", "label_3", "label_4", "label_5", "label_6", "label_7", "label_8", "label_9", "label_10", "label_11"];

pub struct LabelField {
    pub id: &'static str,
    pub lang: String,
    pub value: String,
}

pub struct TopicRow {
    pub slug: String,
    pub labels: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "staff/admin_topics.html")]
struct TopicsPage {
    c: Chrome,
    nav: AdminNav,
    topics: Vec<TopicRow>,
    langs: Vec<String>,
    next: Option<String>,
    errors: Problems,
    slug: String,
    fields: Vec<LabelField>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct TopicQuery {
    pub cursor: Option<String>,
    pub done: Option<String>,
}

pub async fn topic_list(pc: PageCtx, q: web::Query<TopicQuery>) -> PageResult {
    admin_viewer(&pc)?;
    let q = q.into_inner();
    let notice = (q.done.as_deref() == Some("created")).then(|| pc.tr.t("admin-topics-done-created"));
    topics_page(&pc, StatusCode::OK, q.cursor, notice, Problems::new(), String::new(), vec![]).await
}

fn instance_langs(pc: &PageCtx) -> Vec<String> {
    pc.app.settings.instance.languages.iter().take(LABEL_IDS.len()).map(|l| l.to_string()).collect()
}

async fn topics_page(pc: &PageCtx, status: StatusCode, cursor: Option<String>, notice: Option<String>, errors: Problems, slug: String, values: Vec<String>) -> PageResult {
    let tr = pc.tr;
    let page = topics::list(&pc.app, &PageParams { limit: Some(100), cursor }).await.or_page(pc)?;
    let langs = instance_langs(pc);
    let topics = page
        .items
        .iter()
        .map(|t: &TopicView| TopicRow {
            slug: t.slug.clone(),
            labels: langs.iter().map(|l| (l.clone(), t.labels.get(l).unwrap_or_default().to_string())).collect(),
        })
        .collect();
    let fields = langs
        .iter()
        .enumerate()
        .map(|(i, l)| LabelField { id: LABEL_IDS[i], lang: l.clone(), value: values.get(i).cloned().unwrap_or_default() })
        .collect();
    let page = TopicsPage {
        c: pc.chrome(errors.title(&tr, tr.t("admin-topics-title"))),
        nav: AdminNav { current: "topics" },
        topics,
        next: page.next_cursor.map(|c| format!("/admin/topics?cursor={}", enc(&c))),
        langs,
        errors,
        slug,
        fields,
        notice,
    };
    Ok(pc.render_status(status, &page))
}

#[derive(Deserialize)]
pub struct TopicForm {
    pub slug: String,
}

pub async fn topic_create(post: PagePost<TopicForm>) -> PageResult {
    let PagePost { pc, form, pairs } = post;
    let viewer = post_viewer(&pc)?;
    let langs = instance_langs(&pc);
    let values: Vec<String> =
        (0..langs.len()).map(|i| pairs.iter().rev().find(|(k, _)| k == LABEL_IDS[i]).map(|(_, v)| v.trim().to_string()).unwrap_or_default()).collect();
    let labels = langs.iter().zip(&values).filter(|(_, v)| !v.is_empty()).map(|(l, v)| (l.clone(), v.clone())).collect();
    match topics::create(&pc.app, &viewer, NewTopic { slug: form.slug.trim().to_string(), labels }).await {
        Ok(_) => Ok(pc.redirect("/admin/topics?done=created")),
        Err(e) => {
            let field_id = |field: &str| -> &'static str {
                if field == "slug" {
                    return "slug";
                }
                let lang = field.strip_prefix("labels.").unwrap_or("");
                langs.iter().position(|l| l == lang).map(|i| LABEL_IDS[i]).unwrap_or(LABEL_IDS[0])
            };
            let problems = problems_of(e, field_id).map_err(|e| pc.fail(e))?;
            topics_page(&pc, StatusCode::UNPROCESSABLE_ENTITY, None, None, problems, form.slug, values).await
        }
    }
}

// ---------------------------------------------------------------------------------------
// Settings

/// One setting: what it is, its value now, and where it is set.
pub struct SettingRow {
    pub label: String,
    pub value: String,
    pub key: &'static str,
    pub env: &'static str,
}

#[derive(Template)]
#[template(path = "staff/admin_settings.html")]
struct SettingsPage {
    c: Chrome,
    nav: AdminNav,
    rows: Vec<SettingRow>,
}

pub async fn settings(pc: PageCtx) -> PageResult {
    admin_viewer(&pc)?;
    let tr = pc.tr;
    let s = &pc.app.settings;
    let rows = vec![
        SettingRow { label: tr.t("admin-settings-name"), value: s.instance.name.clone(), key: "instance.name", env: "CONVENE_INSTANCE__NAME" },
        SettingRow {
            label: tr.t("admin-settings-languages"),
            value: s.instance.languages.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", "),
            key: "instance.languages",
            env: "CONVENE_INSTANCE__LANGUAGES",
        },
        SettingRow {
            label: tr.t("admin-settings-default-language"),
            value: s.instance.default_language.to_string(),
            key: "instance.default_language",
            env: "CONVENE_INSTANCE__DEFAULT_LANGUAGE",
        },
        SettingRow { label: tr.t("admin-settings-public-url"), value: pc.app.public_url.to_string(), key: "public_url", env: "CONVENE_PUBLIC_URL" },
        SettingRow { label: tr.t("admin-settings-mail-from"), value: s.mail.from.to_string(), key: "mail.from", env: "CONVENE_MAIL__FROM" },
        SettingRow {
            label: tr.t("admin-settings-magic-link"),
            value: tr.n("admin-settings-minutes", "n", s.auth.magic_link_minutes),
            key: "auth.magic_link_minutes",
            env: "CONVENE_AUTH__MAGIC_LINK_MINUTES",
        },
        SettingRow {
            label: tr.t("admin-settings-refresh"),
            value: tr.n("admin-settings-days", "n", s.auth.refresh_token_days),
            key: "auth.refresh_token_days",
            env: "CONVENE_AUTH__REFRESH_TOKEN_DAYS",
        },
    ];
    let page = SettingsPage { c: pc.chrome(tr.t("admin-settings-title")), nav: AdminNav { current: "settings" }, rows };
    Ok(pc.render(&page))
}

#[cfg(test)]
mod tests {
    use super::page_of_form;

    #[test]
    fn admin_forms_go_back_to_their_page() {
        assert_eq!(page_of_form("/admin/census/preview").as_deref(), Some("/admin/census"));
        assert_eq!(page_of_form("/admin/accounts/abc/attributes/revoke").as_deref(), Some("/admin/accounts/abc"));
        assert_eq!(page_of_form("/admin/accounts/abc/admin").as_deref(), Some("/admin/accounts/abc"));
        assert_eq!(page_of_form("/admin/jobs/x/retry").as_deref(), Some("/admin/jobs"));
        assert_eq!(page_of_form("/admin/federation/blocks").as_deref(), Some("/admin/federation"));
        assert_eq!(page_of_form("/admin/topics"), None);
    }
}
