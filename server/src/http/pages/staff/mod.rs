//! The staff's pages: what organisers, facilitators and instance administrators do through
//! the API, in the same page layer as the citizens' pages. Every handler calls the same app
//! function as the API route for the action, so the app layer alone decides who may do what;
//! pages read the viewer's [`Powers`] only to leave out actions the viewer may not take.
//!
//! Addresses: `/manage…` for a process's workspace, `/admin…` for the instance.

pub mod activities;
pub mod admin;
pub mod admin_federation;
pub mod desk;
pub mod link;
pub mod moderation;
pub mod outcome;
pub mod panel;
pub mod report;
pub mod responses;
pub mod workspace;
pub mod workspace_form;

use actix_web::web;

use super::i18n::Tr;
use crate::app::Viewer;
use crate::app::processes::Visible;
use crate::domain::localized::LocalizedText;
use crate::domain::powers::Powers;

/// Each area adds its routes here.
pub fn routes(cfg: &mut web::ServiceConfig) {
    workspace::routes(cfg);
    activities::routes(cfg);
    desk::routes(cfg);
    moderation::routes(cfg);
    responses::routes(cfg);
    outcome::routes(cfg);
    report::routes(cfg);
    link::routes(cfg);
    admin::routes(cfg);
}

/// The tabs across the top of every page of one process's workspace; a page's template
/// includes `staff/tabs.html` and has a field `tabs` of this type.
pub struct Tabs {
    pub slug: String,
    /// The process's title in the reader's language (or its fallback).
    pub title: String,
    pub title_lang: String,
    pub title_dir: &'static str,
    /// Which tab this page is ([`Tab::key`]).
    pub current: &'static str,
    pub powers: Powers,
}

/// One tab: its key, the message id of its label, its address below `/manage/processes/{slug}`.
pub struct Tab {
    pub key: &'static str,
    pub label: &'static str,
    pub path: &'static str,
}

const ALL_TABS: &[(Tab, fn(&Powers) -> bool)] = &[
    (Tab { key: "overview", label: "staff-tab-overview", path: "" }, |p| p.any_staff()),
    (Tab { key: "activities", label: "staff-tab-activities", path: "/activities" }, |p| p.manage),
    (Tab { key: "desk", label: "staff-tab-desk", path: "/desk" }, |p| p.facilitate),
    (Tab { key: "moderation", label: "staff-tab-moderation", path: "/moderation" }, |p| p.moderate),
    (Tab { key: "responses", label: "staff-tab-responses", path: "/responses" }, |p| p.manage),
    (Tab { key: "outcome", label: "staff-tab-outcome", path: "/outcome" }, |p| p.manage),
    (Tab { key: "report", label: "staff-tab-report", path: "/report" }, |p| p.manage),
    (Tab { key: "link", label: "staff-tab-link", path: "/link" }, |p| p.manage),
    (Tab { key: "members", label: "workspace-tab-members", path: "/members" }, |p| p.manage),
];

impl Tabs {
    /// The tabs of a process the viewer may see (from `processes::powers` or `load_visible`).
    pub fn new(tr: Tr, visible: &Visible, viewer: Option<&Viewer>, current: &'static str) -> Tabs {
        let title = LocalizedText::from_stored(visible.process.title.clone());
        let picked = tr.pick(&title, &visible.process.default_language);
        Tabs {
            slug: visible.process.slug.clone(),
            title: picked.text.to_string(),
            title_lang: picked.lang.clone(),
            title_dir: picked.dir(),
            current,
            powers: visible.powers(viewer),
        }
    }

    /// The tabs this viewer may use: a tab whose actions they may not take is not shown.
    pub fn visible(&self) -> Vec<&'static Tab> {
        ALL_TABS.iter().filter(|(_, shown)| shown(&self.powers)).map(|(tab, _)| tab).collect()
    }
}
