//! "Follow from another site": a process that federates has an address (`@slug@host`) that
//! people on Mastodon and other fediverse apps can follow. The process page shows it with a
//! small form; the person gives their own address, and `discovery::remote_follow` (the API's
//! `/api/v1/processes/{key}/remote-follow`) asks their site where it lets them follow from:
//! the answer is a 303 to that page on their site, where they confirm. A refused address comes
//! back on this module's own small page, with the error summary and what was typed.
//!
//! Browsers apply `form-action` to the redirect a form's post is answered with, so every page
//! carrying this form allows redirects to other sites ([`PageCtx::allow_form_redirect_off_site`]).

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::account_forms::Problems;
use super::page::{Chrome, OrPage, PageCtx, PagePost, PageResult};
use crate::app::AppError;
use crate::app::federation::discovery;
use crate::app::processes;
use crate::domain::localized::LocalizedText;

/// The follow form, on the process page and on its own page.
pub struct FollowForm {
    /// The process's address, `@slug@host`.
    pub handle: String,
    /// Where the form posts.
    pub action: String,
    /// What the person typed (kept when the form comes back with a problem).
    pub typed: String,
    pub errors: Problems,
}

impl FollowForm {
    pub fn new(slug: &str, handle: String) -> FollowForm {
        FollowForm { handle, action: format!("/processes/{slug}/follow"), typed: String::new(), errors: Problems::new() }
    }
}

#[derive(Template)]
#[template(path = "process_follow.html")]
struct FollowPage {
    c: Chrome,
    slug: String,
    title: String,
    title_lang: String,
    title_dir: &'static str,
    follow: FollowForm,
}

#[derive(Deserialize)]
pub struct FollowInput {
    #[serde(default)]
    pub handle: String,
}

/// The follow form on a page of its own (where a refused address comes back).
pub async fn show(pc: PageCtx, key: web::Path<String>) -> PageResult {
    let follow = follow_page(&pc, &key, String::new(), Problems::new()).await?;
    pc.allow_form_redirect_off_site();
    Ok(pc.render(&follow))
}

/// Sends the person to their own site to confirm the follow; a refused address comes back
/// with the problem at the field.
pub async fn submit(post: PagePost<FollowInput>, key: web::Path<String>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let typed = form.handle.trim().to_string();
    match discovery::remote_follow(&pc.app, &key, &typed).await {
        Ok(found) => Ok(pc.redirect(&found.redirect)),
        Err(AppError::Invalid(list)) if list.iter().any(|fe| fe.field == "handle") => {
            let detail = list.iter().map(|fe| fe.problem.as_str()).collect::<Vec<_>>().join("; ");
            tracing::info!(problem = %detail, "a follow from another site was refused");
            // The app decided; the page only words it for the reader, from the same parser.
            let handle = discovery::parse_handle(&typed);
            let message = match handle {
                _ if typed.is_empty() => pc.tr.t("process-follow-error-empty"),
                Err(_) => pc.tr.t("process-follow-error-format"),
                Ok((_, site)) => {
                    let ours = follow_handle(&pc, &key).await.unwrap_or_default();
                    pc.tr.a("process-follow-error-site", &[("site", site.into()), ("handle", ours.into())])
                }
            };
            let mut errors = Problems::new();
            errors.push("handle", message);
            let page = follow_page(&pc, &key, typed, errors).await?;
            pc.allow_form_redirect_off_site();
            Ok(pc.render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(pc.fail(e)),
    }
}

/// The process's address, if it federates (anyone may see it: it is listed).
async fn follow_handle(pc: &PageCtx, key: &str) -> Option<String> {
    let visible = processes::load_visible(&pc.app, None, key).await.ok()?;
    discovery::handle(&pc.app, &visible.process)
}

async fn follow_page(pc: &PageCtx, key: &str, typed: String, errors: Problems) -> Result<FollowPage, super::page::PageError> {
    let visible = processes::load_visible(&pc.app, pc.viewer(), key).await.or_page(pc)?;
    let Some(handle) = discovery::handle(&pc.app, &visible.process) else {
        return Err(pc.fail(AppError::NotFound("process")));
    };
    let p = &visible.process;
    let stored = LocalizedText::from_stored(p.title.clone());
    let title = pc.tr.pick(&stored, &p.default_language);
    let mut follow = FollowForm::new(&p.slug, handle);
    follow.typed = typed;
    follow.errors = errors;
    let heading = format!("{} – {}", pc.tr.t("process-follow-heading"), title.text);
    Ok(FollowPage {
        c: pc.chrome(follow.errors.title(&pc.tr, heading)),
        slug: p.slug.clone(),
        title: title.text.to_string(),
        title_lang: title.lang.clone(),
        title_dir: title.dir(),
        follow,
    })
}
