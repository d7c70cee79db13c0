//! "My input and what happened to it": everything the signed-in person contributed (or that a
//! facilitator entered for them), newest first, with where each stands and the organisers'
//! response: what they did with it, why, and which parts of the outcome it shaped.

use std::collections::{BTreeSet, HashMap};

use actix_web::web;
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::i18n::{Localized, Tr};
use super::page::{Chrome, OrPage, PageCtx, PageResult};
use super::words;
use crate::app::pagination::PageParams;
use crate::app::responses::{self, MyInput};
use crate::app::federation::remote::{self, SentView};
use crate::app::{AppError, activities, outcomes};
use crate::domain::localized::LocalizedText;
use crate::domain::participation::ContributionStatus;

/// The longest excerpt of a contribution, in characters.
const EXCERPT_CHARS: usize = 280;
const PER_PAGE: u64 = 20;

/// Content in the language it is in.
pub struct Text {
    pub text: String,
    pub lang: String,
    pub dir: &'static str,
}

impl Text {
    fn of(l: Localized<'_>) -> Text {
        Text { text: l.text.to_string(), lang: l.lang.clone(), dir: l.dir() }
    }
}

pub struct ResponseItem {
    pub disposition: String,
    pub explanation: Text,
    pub date: String,
    /// The headings of the outcome's sections it shaped (or their ids, if the current
    /// outcome no longer has them).
    pub sections: Vec<Text>,
}

pub struct Item {
    pub id: String,
    pub process_href: String,
    pub process_title: Text,
    pub activity_href: String,
    pub activity_title: Option<Text>,
    pub date: String,
    pub edited: Option<String>,
    pub channel: String,
    pub status: String,
    pub hidden_reason: Option<String>,
    pub reference: Option<String>,
    pub excerpt: Option<String>,
    pub excerpt_lang: String,
    pub response: Option<ResponseItem>,
    pub outcome_href: String,
}

/// Something the person sent to an activity on another site, and what came of it there.
pub struct SentItem {
    pub id: String,
    pub activity: String,
    pub instance: String,
    pub date: String,
    pub status: String,
    /// Why it was refused or hidden there, in that site's words.
    pub problem: Option<String>,
    pub excerpt: Option<String>,
    pub excerpt_lang: String,
    pub response: Option<ResponseItem>,
    /// Whether it is the one just sent.
    pub just_sent: bool,
}

#[derive(Template)]
#[template(path = "my_input.html")]
struct MyInputPage {
    c: Chrome,
    items: Vec<Item>,
    next: Option<String>,
    first_page: bool,
    /// What was sent to other sites (on the first page only).
    sent: Vec<SentItem>,
    /// Whether this site lets people take part in activities on other sites.
    elsewhere: bool,
}

#[derive(Deserialize)]
pub struct CursorQuery {
    cursor: Option<String>,
    /// A contribution just sent to another site.
    sent: Option<String>,
}

/// GET /me/input.
pub async fn show(pc: PageCtx, q: web::Query<CursorQuery>) -> PageResult {
    let Some(viewer) = pc.viewer().cloned() else {
        return Err(pc.fail(AppError::Unauthenticated("sign in to see your input".into())));
    };
    let app = &pc.app;
    let params = PageParams { limit: Some(PER_PAGE), cursor: q.cursor.clone() };
    let page = responses::my_input(app, &viewer, &params).await.or_page(&pc)?;

    // The activities' titles, and the outcomes' section headings where responses cite
    // sections. Something the person may no longer see (a process made private since) is
    // shown without them.
    let mut activity_titles: HashMap<Uuid, LocalizedText> = HashMap::new();
    for id in page.items.iter().map(|i| i.contribution.activity_id).collect::<BTreeSet<_>>() {
        if let Ok(a) = activities::get(app, Some(&viewer), id).await {
            activity_titles.insert(id, a.title);
        }
    }
    let cited: BTreeSet<&str> = page
        .items
        .iter()
        .filter(|i| i.contribution.response.as_ref().is_some_and(|r| !r.outcome_refs.is_empty()))
        .map(|i| i.process_slug.as_str())
        .collect();
    let mut sections: HashMap<String, HashMap<String, LocalizedText>> = HashMap::new();
    for slug in cited {
        if let Ok(o) = outcomes::get(app, Some(&viewer), slug, None).await {
            sections.insert(slug.to_string(), o.sections.into_iter().map(|s| (s.id, s.heading)).collect());
        }
    }

    let tr = pc.tr;
    let default_lang = app.settings.instance.default_language.as_str().to_string();
    let items = page.items.iter().map(|i| item(&tr, i, &default_lang, activity_titles.get(&i.contribution.activity_id), sections.get(&i.process_slug))).collect();
    let next = page.next_cursor.as_ref().map(|c| format!("/me/input?cursor={}", url::form_urlencoded::byte_serialize(c.as_bytes()).collect::<String>()));
    let sent = if q.cursor.is_none() { remote::mine(app, &viewer).await.or_page(&pc)? } else { Vec::new() };
    let sent = sent.iter().map(|s| sent_item(&tr, s, q.sent.as_deref())).collect();
    let elsewhere = app.federation().is_some();
    let content = MyInputPage { c: pc.chrome(tr.t("my-input-title")), items, next, first_page: q.cursor.is_none(), sent, elsewhere };
    Ok(pc.render(&content))
}

fn item(tr: &Tr, i: &MyInput, default_lang: &str, activity: Option<&LocalizedText>, sections: Option<&HashMap<String, LocalizedText>>) -> Item {
    let c = &i.contribution;
    let status = match c.status {
        ContributionStatus::Visible => tr.t("my-input-status-visible"),
        ContributionStatus::Hidden => tr.t("my-input-status-hidden"),
        ContributionStatus::Withdrawn => tr.t("my-input-status-withdrawn"),
    };
    let response = c.response.as_ref().map(|r| ResponseItem {
        disposition: words::disposition(tr, r.disposition),
        explanation: Text::of(tr.pick(&r.explanation, &c.language)),
        date: tr.date(r.at.date_naive()),
        sections: r
            .outcome_refs
            .iter()
            .map(|id| match sections.and_then(|s| s.get(id)) {
                Some(heading) => Text::of(tr.pick(heading, default_lang)),
                None => Text { text: id.clone(), lang: c.language.clone(), dir: "auto" },
            })
            .collect(),
    });
    Item {
        id: c.id.to_string(),
        process_href: format!("/processes/{}", i.process_slug),
        process_title: Text::of(tr.pick(&i.process_title, default_lang)),
        activity_href: format!("/activities/{}", c.activity_id),
        activity_title: activity.map(|t| Text::of(tr.pick(t, default_lang))),
        date: tr.date(c.created_at.date_naive()),
        edited: c.edited_at.map(|e| tr.date(e.date_naive())),
        channel: words::channel(tr, c.channel),
        status,
        hidden_reason: c.hidden_reason.clone().filter(|r| c.status == ContributionStatus::Hidden && !r.trim().is_empty()),
        reference: c.reference.clone(),
        excerpt: excerpt(&c.body),
        excerpt_lang: c.language.clone(),
        response,
        outcome_href: format!("/processes/{}#outcome-heading", i.process_slug),
    }
}

fn sent_item(tr: &Tr, s: &SentView, just_sent: Option<&str>) -> SentItem {
    let lang = s.language.clone().unwrap_or_else(|| tr.code().to_string());
    let response = s.answer().map(|a| {
        ResponseItem {
            disposition: a.disposition.map(|d| words::disposition(tr, d)).unwrap_or_else(|| tr.t("my-input-sent-responded")),
            explanation: Text::of(tr.pick(&a.explanation, &lang)),
            date: s.responded_at.map(|t| tr.date(t.date_naive())).unwrap_or_default(),
            sections: Vec::new(),
        }
    });
    let instance = url::Url::parse(&s.activity).map(|u| crate::adapters::federation::instance_of(&u)).unwrap_or_default();
    SentItem {
        id: s.id.to_string(),
        activity: s.activity.clone(),
        instance,
        date: tr.date(s.sent_at.date_naive()),
        status: tr.t(&format!("my-input-sent-{}", s.status)),
        problem: s.problem.clone().filter(|p| !p.trim().is_empty()),
        excerpt: excerpt(&s.body),
        excerpt_lang: lang,
        response,
        just_sent: just_sent == Some(s.id.to_string().as_str()),
    }
}

/// The words of a contribution, in short: its text values in order, joined, cut at
/// [`EXCERPT_CHARS`]. Bodies are the plugins' own structures; only their strings are read.
pub fn excerpt(body: &serde_json::Value) -> Option<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => {
                let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
                if !s.is_empty() {
                    out.push(s);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(map) => map.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut parts = Vec::new();
    walk(body, &mut parts);
    let text = parts.join(" · ");
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= EXCERPT_CHARS {
        return Some(text);
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    // At a word boundary when there is one near the end.
    let cut = match cut.rfind(' ') {
        Some(at) if at > EXCERPT_CHARS / 2 => cut[..at].to_string(),
        _ => cut,
    };
    Some(format!("{}…", cut.trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_read_the_strings_of_a_body_in_short() {
        let body = serde_json::json!({ "answers": { "priority": "health", "why": "  Waiting\nlists are long " } });
        assert_eq!(excerpt(&body).as_deref(), Some("health · Waiting lists are long"));
        assert_eq!(excerpt(&serde_json::Value::Null), None);
        assert_eq!(excerpt(&serde_json::json!({ "n": 3 })), None);
        let long = serde_json::json!({ "text": "word ".repeat(200) });
        let e = excerpt(&long).unwrap();
        assert!(e.ends_with('…') && e.chars().count() <= EXCERPT_CHARS + 1, "{e}");
    }
}
