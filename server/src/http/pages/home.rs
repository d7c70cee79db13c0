//! The front page: the processes a visitor may see, newest first, with filters and a search.

use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::i18n::{Localized, Tr};
use super::page::{Chrome, OrPage, PageCtx, PageResult};
use super::words;
use crate::app::pagination::PageParams;
use crate::app::processes::{self, ProcessFilter, ProcessSummary};
use crate::app::topics;
use crate::domain::process::{Iap2Level, ProcessStatus, Scope};

#[derive(Deserialize, Default)]
pub struct HomeQuery {
    text: Option<String>,
    topic: Option<String>,
    scope: Option<String>,
    status: Option<String>,
    level: Option<String>,
    cursor: Option<String>,
}

/// One process in the list, ready to show.
pub struct Item<'a> {
    pub slug: &'a str,
    pub title: Localized<'a>,
    pub summary: Localized<'a>,
    pub open: bool,
    pub phase: Option<Localized<'a>>,
    pub scope: String,
    pub level: String,
    pub archived: bool,
}

/// An option of a filter's select.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    c: Chrome,
    items: Vec<Item<'a>>,
    topics: Vec<Opt>,
    scopes: Vec<Opt>,
    statuses: Vec<Opt>,
    levels: Vec<Opt>,
    text: String,
    filtered: bool,
    next: Option<String>,
    languages: String,
}

fn options<T: Copy>(tr: &Tr, all: &[T], chosen: Option<T>, value: impl Fn(T) -> &'static str, label: impl Fn(&Tr, T) -> String) -> Vec<Opt>
where
    T: PartialEq,
{
    all.iter()
        .map(|&v| Opt { value: value(v).to_string(), label: label(tr, v), selected: chosen == Some(v) })
        .collect()
}

pub async fn home(pc: PageCtx, q: web::Query<HomeQuery>) -> PageResult {
    let tr = pc.tr;
    let q = q.into_inner();
    let scope = q.scope.as_deref().and_then(Scope::from_stored);
    let status = q.status.as_deref().and_then(ProcessStatus::from_stored).filter(|s| *s != ProcessStatus::Draft);
    let level = q.level.as_deref().and_then(Iap2Level::from_stored);
    let text = q.text.clone().unwrap_or_default();
    let all_topics = topics::list(&pc.app, &PageParams { limit: Some(100), cursor: None }).await.or_page(&pc)?;
    let topic = q.topic.clone().filter(|t| all_topics.items.iter().any(|x| &x.slug == t));
    let filter = ProcessFilter { status, scope, topic: topic.clone(), iap2_level: level, text: Some(text.clone()), parent: None };
    let page = processes::list(&pc.app, pc.viewer(), &filter, &PageParams { limit: Some(20), cursor: q.cursor.clone() })
        .await
        .or_page(&pc)?;
    let filtered = scope.is_some() || status.is_some() || level.is_some() || topic.is_some() || !text.trim().is_empty();
    let next = page.next_cursor.as_ref().map(|cursor| {
        let mut url = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("text", q.text.as_deref()), ("topic", topic.as_deref()), ("scope", q.scope.as_deref()), ("status", q.status.as_deref()), ("level", q.level.as_deref())] {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                url.append_pair(k, v);
            }
        }
        url.append_pair("cursor", cursor);
        format!("/?{}", url.finish())
    });
    let topics_opts = all_topics
        .items
        .iter()
        .map(|t| Opt { value: t.slug.clone(), label: tr.pick(&t.labels, "en").text.to_string(), selected: topic.as_deref() == Some(&t.slug) })
        .collect();
    let languages = pc.app.settings.instance.languages.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", ");
    let content = HomePage {
        c: pc.chrome(tr.t("home-title")),
        items: page.items.iter().map(|p| item(&tr, p)).collect(),
        topics: topics_opts,
        scopes: options(&tr, &[Scope::National, Scope::Regional, Scope::Local, Scope::Sectoral], scope, Scope::as_str, words::scope),
        statuses: options(&tr, &[ProcessStatus::Published, ProcessStatus::Archived], status, ProcessStatus::as_str, words::status),
        levels: options(&tr, &words::LEVELS, level, Iap2Level::as_str, |tr, l| words::level_name(tr, l)),
        text,
        filtered,
        next,
        languages,
    };
    Ok(pc.render(&content))
}

fn item<'a>(tr: &Tr, p: &'a ProcessSummary) -> Item<'a> {
    // Summaries do not carry the process's own default language; any language is a fallback.
    Item {
        slug: &p.slug,
        title: tr.pick(&p.title, "en"),
        summary: tr.pick(&p.summary, "en"),
        open: p.current_phase.is_some() && p.status == ProcessStatus::Published,
        phase: p.current_phase.as_ref().map(|ph| tr.pick(&ph.name, "en")),
        scope: words::scope(tr, p.scope),
        level: words::level_name(tr, p.iap2_level),
        archived: p.status == ProcessStatus::Archived,
    }
}
