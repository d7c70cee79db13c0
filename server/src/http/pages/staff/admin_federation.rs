//! The administrators' federation page, `/admin/federation`: whether the instance federates
//! and its actor, who follows each process from another site, deliveries waiting and those
//! given up (each can be tried again, through the job queue's own retry), and blocked
//! instances, with a form to block one and a button to lift a block. Every page and form calls
//! the function the API calls (`federation::admin::overview`, `block`, `unblock`,
//! `jobs::retry`), each of which refuses anyone but an instance administrator.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::admin::{AdminNav, Empty, NoticeQuery, post_viewer, problems_of};
use crate::app::federation::admin::{self, BlockedInstance, FailedDelivery, FederationOverview, FollowedProcess, NewBlock};
use crate::app::jobs;
use crate::app::{AppError, Viewer};
use crate::http::pages::account_forms::Problems;
use crate::http::pages::i18n::Tr;
use crate::http::pages::page::{Chrome, OrPage, PageCtx, PagePost, PageResult};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/federation", web::get().to(show))
        .route("/admin/federation/blocks", web::post().to(block))
        .route("/admin/federation/unblock", web::post().to(unblock))
        .route("/admin/federation/deliveries/{id}/retry", web::post().to(retry));
}

/// The page a form below `/admin/federation` is on.
pub fn page_of_form(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/admin/federation/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        ["blocks"] | ["unblock"] => Some("/admin/federation".into()),
        ["deliveries", id, "retry"] if !id.is_empty() => Some("/admin/federation".into()),
        _ => None,
    }
}

pub struct FollowerRow {
    pub actor: String,
    pub name: String,
    pub instance: String,
    pub since: String,
    pub since_at: String,
}

pub struct ProcessRow {
    pub slug: String,
    pub title: String,
    pub count: String,
    pub followers: Vec<FollowerRow>,
}

pub struct FailedRow {
    pub job_id: String,
    pub instance: String,
    pub inbox: String,
    pub activity: String,
    pub attempts: i32,
    pub last_error: String,
    pub given_up: String,
    pub given_up_at: String,
}

pub struct BlockedRow {
    pub instance: String,
    pub reason: String,
    pub since: String,
    pub since_at: String,
}

/// What was typed in the block form.
#[derive(Default)]
pub struct BlockTyped {
    pub instance: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "staff/admin_federation.html")]
struct FederationPage {
    c: Chrome,
    nav: AdminNav,
    enabled: bool,
    instance_actor: Option<String>,
    pending: String,
    processes: Vec<ProcessRow>,
    failed: Vec<FailedRow>,
    blocked: Vec<BlockedRow>,
    notice: Option<String>,
    /// Whether the notice says something went as asked (else it reports a refusal).
    notice_ok: bool,
    errors: Problems,
    typed: BlockTyped,
}

fn process_row(tr: &Tr, p: &FollowedProcess) -> ProcessRow {
    ProcessRow {
        slug: p.slug.clone(),
        title: p.title.clone(),
        count: tr.n("admin-federation-followers-count", "count", p.followers.len() as i64),
        followers: p
            .followers
            .iter()
            .map(|f| FollowerRow {
                actor: f.actor.clone(),
                name: f.name.clone().unwrap_or_default(),
                instance: f.instance.clone(),
                since: tr.datetime(f.since),
                since_at: f.since.to_rfc3339(),
            })
            .collect(),
    }
}

fn failed_row(tr: &Tr, d: &FailedDelivery) -> FailedRow {
    FailedRow {
        job_id: d.job_id.to_string(),
        instance: d.instance.clone(),
        inbox: d.inbox.clone(),
        activity: d.activity.clone(),
        attempts: d.attempts,
        last_error: d.last_error.clone().unwrap_or_default(),
        given_up: tr.datetime(d.given_up_at),
        given_up_at: d.given_up_at.to_rfc3339(),
    }
}

fn blocked_row(tr: &Tr, b: &BlockedInstance) -> BlockedRow {
    BlockedRow { instance: b.instance.clone(), reason: b.reason.clone(), since: tr.datetime(b.blocked_at), since_at: b.blocked_at.to_rfc3339() }
}

pub async fn show(pc: PageCtx, q: web::Query<NoticeQuery>) -> PageResult {
    let viewer = post_viewer(&pc)?;
    let notice = match q.done.as_deref() {
        Some("blocked") => Some(pc.tr.t("admin-federation-done-blocked")),
        Some("unblocked") => Some(pc.tr.t("admin-federation-done-unblocked")),
        Some("retried") => Some(pc.tr.t("admin-federation-done-retried")),
        _ => None,
    };
    let state = PageState { notice, notice_ok: true, ..Default::default() };
    federation_page(&pc, &viewer, StatusCode::OK, state).await
}

#[derive(Default)]
struct PageState {
    notice: Option<String>,
    notice_ok: bool,
    errors: Problems,
    typed: BlockTyped,
}

async fn federation_page(pc: &PageCtx, viewer: &Viewer, status: StatusCode, state: PageState) -> PageResult {
    let tr = pc.tr;
    let o: FederationOverview = admin::overview(&pc.app, viewer).await.or_page(pc)?;
    let page = FederationPage {
        c: pc.chrome(state.errors.title(&tr, tr.t("admin-federation-title"))),
        nav: AdminNav { current: "federation" },
        enabled: o.enabled,
        instance_actor: o.instance_actor.clone(),
        pending: tr.number(o.pending_deliveries as i64),
        processes: o.processes.iter().map(|p| process_row(&tr, p)).collect(),
        failed: o.failed_deliveries.iter().map(|d| failed_row(&tr, d)).collect(),
        blocked: o.blocked.iter().map(|b| blocked_row(&tr, b)).collect(),
        notice: state.notice,
        notice_ok: state.notice_ok,
        errors: state.errors,
        typed: state.typed,
    };
    Ok(pc.render_status(status, &page))
}

#[derive(Deserialize)]
pub struct BlockForm {
    #[serde(default)]
    pub instance: String,
    #[serde(default)]
    pub reason: String,
}

/// Blocks an instance (`federation::admin::block`); a name the app refuses comes back at
/// the field, with what was typed.
pub async fn block(post: PagePost<BlockForm>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let viewer = post_viewer(&pc)?;
    let typed = BlockTyped { instance: form.instance.trim().to_string(), reason: form.reason.trim().to_string() };
    let input = NewBlock { instance: typed.instance.clone(), reason: typed.reason.clone() };
    match admin::block(&pc.app, &viewer, input).await {
        Ok(_) => Ok(pc.redirect("/admin/federation?done=blocked")),
        Err(e) => {
            let tr = pc.tr;
            let mut problems = problems_of(e, |field| if field == "reason" { "reason" } else { "instance" }).map_err(|e| pc.fail(e))?;
            // The app decided; the page words the commonest problems in the reader's language,
            // from the app's own reading of an instance's name. Anything else is the server's
            // own words.
            if problems.has("instance") {
                let wording = if typed.instance.is_empty() {
                    Some(tr.t("admin-federation-error-no-instance"))
                } else if admin::parse_instance(&typed.instance).is_err() {
                    Some(tr.t("admin-federation-error-instance"))
                } else {
                    None
                };
                if let Some(wording) = wording {
                    for p in problems.0.iter_mut().filter(|p| p.id == "instance") {
                        p.message = wording.clone();
                    }
                }
            }
            let state = PageState { errors: problems, typed, ..Default::default() };
            federation_page(&pc, &viewer, StatusCode::UNPROCESSABLE_ENTITY, state).await
        }
    }
}

#[derive(Deserialize)]
pub struct UnblockForm {
    #[serde(default)]
    pub instance: String,
}

/// Lifts a block (`federation::admin::unblock`).
pub async fn unblock(post: PagePost<UnblockForm>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let viewer = post_viewer(&pc)?;
    match admin::unblock(&pc.app, &viewer, &form.instance).await {
        Ok(()) => Ok(pc.redirect("/admin/federation?done=unblocked")),
        Err(AppError::NotFound(_)) => {
            let state = PageState { notice: Some(pc.tr.t("admin-federation-not-blocked")), ..Default::default() };
            federation_page(&pc, &viewer, StatusCode::NOT_FOUND, state).await
        }
        Err(e) => Err(pc.fail(e)),
    }
}

/// Tries a delivery that was given up again: the job queue's own retry (`jobs::retry`, the
/// API's `/api/v1/admin/jobs/{id}/retry`).
pub async fn retry(post: PagePost<Empty>, id: web::Path<Uuid>) -> PageResult {
    let pc = post.pc;
    let viewer = post_viewer(&pc)?;
    match jobs::retry(&pc.app, &viewer, *id).await {
        Ok(_) => Ok(pc.redirect("/admin/federation?done=retried")),
        Err(AppError::Conflict(fe)) => {
            let state = PageState { notice: Some(fe.problem), ..Default::default() };
            federation_page(&pc, &viewer, StatusCode::CONFLICT, state).await
        }
        Err(e) => Err(pc.fail(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::page_of_form;

    #[test]
    fn federation_forms_go_back_to_their_page() {
        assert_eq!(page_of_form("/admin/federation/blocks").as_deref(), Some("/admin/federation"));
        assert_eq!(page_of_form("/admin/federation/unblock").as_deref(), Some("/admin/federation"));
        assert_eq!(page_of_form("/admin/federation/deliveries/01a2/retry").as_deref(), Some("/admin/federation"));
        assert_eq!(page_of_form("/admin/federation"), None);
        assert_eq!(page_of_form("/admin/federation/deliveries//retry"), None);
    }
}
