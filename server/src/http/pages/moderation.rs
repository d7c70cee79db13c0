//! A process's public moderation log: what moderators hid or restored, when and why, never the
//! hidden text (the app's log does not carry it), under a plain account of the rules.

use actix_web::web;
use askama::Template;

use super::i18n::Localized;
use super::outcome::short_ref;
use super::page::{Chrome, OrPage, PageCtx, PageResult};
use crate::app::{contributions, processes};

pub struct Action {
    pub label: String,
    pub when: String,
    pub at: String,
    pub reason: String,
    pub contribution: String,
    pub contribution_ref: String,
}

#[derive(Template)]
#[template(path = "moderation.html")]
struct ModerationPage<'a> {
    c: Chrome,
    slug: &'a str,
    /// Whether the process is in the public ledger (the ledger's rule), to link there.
    listed: bool,
    process_title: Localized<'a>,
    actions: Vec<Action>,
    summary: String,
}

pub async fn show(pc: PageCtx, key: web::Path<String>) -> PageResult {
    let tr = pc.tr;
    let p = processes::get(&pc.app, pc.viewer(), &key).await.or_page(&pc)?;
    let log = contributions::moderation_log(&pc.app, pc.viewer(), &p.slug).await.or_page(&pc)?;
    let hidden = log.iter().filter(|m| m.action == "hidden").count();
    let restored = log.iter().filter(|m| m.action == "restored").count();
    let actions = log
        .iter()
        .map(|m| {
            let hidden = m.action == "hidden";
            Action {
                label: if hidden { tr.t("moderation-hidden") } else { tr.t("moderation-restored") },
                when: tr.datetime(m.at),
                at: m.at.to_rfc3339(),
                reason: m.reason.clone(),
                contribution: m.contribution_id.to_string(),
                contribution_ref: short_ref(&m.contribution_id),
            }
        })
        .collect();
    let process_title = tr.pick(&p.title, &p.default_language);
    let page = ModerationPage {
        c: pc.chrome(tr.a1("moderation-page-title", "process", process_title.text)),
        slug: &p.slug,
        listed: crate::domain::process::is_listed(p.status, p.visibility),
        summary: tr.a(
            "moderation-summary",
            &[("hidden", (hidden as i64).into()), ("restored", (restored as i64).into())],
        ),
        process_title,
        actions,
    };
    Ok(pc.render(&page))
}
