//! "Linked to another site", in a process's workspace (organisers): a process here can be a
//! child of an activity on another Convene site (a town's roundtables under the national
//! strategy). Once linked, each version of its outcome goes there as a report; the page shows
//! where it is linked, each report sent with where it stands, and the response the other
//! site's organisers gave it. The forms call what the API calls (`remote::link`, `unlink`,
//! `get_link`), which refuse anyone who does not manage the process.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::Tabs;
use super::admin::problems_of;
use super::outcome::managed;
use crate::app::federation::discovery;
use crate::app::federation::remote::{self, NewLink, SentView};
use crate::app::processes::Visible;
use crate::app::{AppError, Viewer};
use crate::http::pages::account_forms::Problems;
use crate::http::pages::i18n::Tr;
use crate::http::pages::page::{Chrome, OrPage, PageCtx, PagePost, PageResult};
use crate::http::pages::words;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/processes/{key}/link", web::get().to(show))
        .route("/manage/processes/{key}/link", web::post().to(save))
        .route("/manage/processes/{key}/unlink", web::post().to(unlink));
}

/// A report sent to the parent, and what came of it.
pub struct ReportRow {
    pub title: String,
    pub sent: String,
    pub status: String,
    pub problem: Option<String>,
    pub response: Option<String>,
    pub explanation: Option<String>,
}

pub struct LinkRow {
    pub parent_title: String,
    pub parent_activity: String,
    pub since: String,
    pub reports: Vec<ReportRow>,
}

#[derive(Template)]
#[template(path = "staff/link.html")]
struct LinkPage {
    c: Chrome,
    tabs: Tabs,
    slug: String,
    /// Whether this site federates at all.
    enabled: bool,
    /// Whether this process may be linked (it federates: published and public).
    linkable: bool,
    link: Option<LinkRow>,
    notice: Option<String>,
    errors: Problems,
    typed: String,
}

#[derive(Deserialize, Default)]
pub struct LinkQuery {
    done: Option<String>,
}

fn report_row(tr: &Tr, s: &SentView, lang: &str) -> ReportRow {
    let title = s.body.get("title").and_then(|t| t.as_str()).unwrap_or(&s.kind).to_string();
    let answer = s.answer();
    ReportRow {
        title,
        sent: tr.datetime(s.sent_at),
        status: tr.t(&format!("my-input-sent-{}", s.status)),
        problem: s.problem.clone().filter(|p| !p.trim().is_empty()),
        response: answer.as_ref().and_then(|a| a.disposition).map(|d| words::disposition(tr, d)),
        explanation: answer.map(|a| tr.pick(&a.explanation, lang).text.to_string()).filter(|t| !t.trim().is_empty()),
    }
}

pub async fn show(pc: PageCtx, key: web::Path<String>, q: web::Query<LinkQuery>) -> PageResult {
    let visible = managed(&pc, &key).await?;
    let notice = match q.done.as_deref() {
        Some("linked") => Some(pc.tr.t("staff-link-done-linked")),
        Some("unlinked") => Some(pc.tr.t("staff-link-done-unlinked")),
        _ => None,
    };
    page(&pc, &visible, notice, Problems::new(), String::new(), StatusCode::OK).await
}

async fn page(pc: &PageCtx, visible: &Visible, notice: Option<String>, errors: Problems, typed: String, status: StatusCode) -> PageResult {
    let tr = pc.tr;
    let slug = visible.process.slug.clone();
    let lang = visible.process.default_language.clone();
    let link = remote::get_link(&pc.app, pc.viewer(), &slug).await.or_page(pc)?.map(|l| LinkRow {
        parent_title: l.parent_title.clone(),
        parent_activity: l.parent_activity.clone(),
        since: tr.datetime(l.linked_at),
        reports: l.reports.iter().map(|s| report_row(&tr, s, &lang)).collect(),
    });
    let page = LinkPage {
        c: pc.chrome(errors.title(&tr, tr.t("staff-link-title"))),
        tabs: Tabs::new(tr, visible, pc.viewer(), "link"),
        slug,
        enabled: pc.app.federation().is_some(),
        linkable: discovery::handle(&pc.app, &visible.process).is_some(),
        link,
        notice,
        errors,
        typed,
    };
    Ok(pc.render_status(status, &page))
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    parent_activity: String,
}

fn viewer(pc: &PageCtx) -> Result<Viewer, crate::http::pages::page::PageError> {
    pc.viewer().cloned().ok_or_else(|| pc.fail(AppError::Unauthenticated("sign in to manage a process".into())))
}

/// Links the process (`remote::link`); an address the app refuses comes back at the field.
pub async fn save(post: PagePost<LinkForm>, key: web::Path<String>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let viewer = viewer(&pc)?;
    let typed = form.parent_activity.trim().to_string();
    match remote::link(&pc.app, &viewer, &key, NewLink { parent_activity: typed.clone() }).await {
        Ok(_) => Ok(pc.redirect(&format!("/manage/processes/{key}/link?done=linked"))),
        Err(e) => {
            let mut problems = problems_of(e, |_| "parent_activity").map_err(|e| pc.fail(e))?;
            if typed.is_empty() {
                problems = Problems::new();
                problems.push("parent_activity", pc.tr.t("staff-link-error-empty"));
            }
            let visible = managed(&pc, &key).await?;
            page(&pc, &visible, None, problems, typed, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// Ends the link (`remote::unlink`): reports already sent stay where they went.
pub async fn unlink(post: PagePost<super::admin::Empty>, key: web::Path<String>) -> PageResult {
    let pc = post.pc;
    let viewer = viewer(&pc)?;
    match remote::unlink(&pc.app, &viewer, &key).await {
        Ok(()) | Err(AppError::NotFound("link")) => Ok(pc.redirect(&format!("/manage/processes/{key}/link?done=unlinked"))),
        Err(e) => Err(pc.fail(e)),
    }
}
