//! The facilitator's desk (`/manage/processes/{key}/desk`): paper, phone and in-person input
//! entered fast. The facilitator picks the activity and the channel once (kept in the
//! address); then each entry is the activity's own contribution form, drawn by the one form
//! renderer (`forms`) as on the activity's page, with whose input it is: a member of the
//! process named by the email they give (only members are found, so the desk tells nobody
//! who else has an account), or nobody, with the paper's reference or one made for it.
//! "Save and enter the next" stores it through `contributions::submit` (the app function of
//! `POST /api/v1/activities/{id}/contributions`) and shows the same empty form again under
//! the saved entry's reference in large type, to write on the slip.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::Tabs;
use crate::app::contributions::{self, NewContribution, Refusal, Submitted};
use crate::app::desk::{self, PersonLookup};
use crate::app::{AppError, Viewer, activities};
use crate::domain::errors::FieldError;
use crate::domain::participation::Channel;
use crate::http::pages::forms::{self, Form, SummaryItem, Text, Values};
use crate::http::pages::i18n::Tr;
use crate::http::pages::page::{Chrome, OrPage, PageCtx, PageError, PagePost, PageResult};
use crate::http::pages::words;

/// The channels a facilitator enters input from.
const CHANNELS: [Channel; 3] = [Channel::Paper, Channel::Phone, Channel::InPerson];

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/processes/{key}/desk", web::get().to(show)).route("/manage/processes/{key}/desk", web::post().to(save));
}

#[derive(Deserialize, Default)]
pub struct DeskQuery {
    activity: Option<String>,
    channel: Option<String>,
    kind: Option<String>,
    /// The entry just saved, for the confirmation with its reference.
    saved: Option<String>,
    /// Back to choosing the activity and channel.
    change: Option<String>,
}

/// One entry, as posted.
#[derive(Deserialize)]
pub struct EntryPost {
    activity: String,
    channel: String,
    kind: String,
    #[serde(rename = "idempotency-key")]
    idempotency_key: Option<String>,
    #[serde(rename = "more-items")]
    more_items: Option<String>,
    #[serde(default)]
    email: String,
    #[serde(default)]
    reference: String,
}

/// What a post brings back: the entry as typed, and why it was not stored.
struct Posted {
    kind: String,
    values: Values,
    errors: Vec<FieldError>,
    key: String,
    email: String,
    reference: String,
    note: Option<String>,
}

pub struct ActivityChoice {
    pub id: String,
    pub title: Text,
    pub selected: bool,
}

pub struct ChannelChoice {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

pub struct KindLink {
    pub href: String,
    pub name: Text,
    pub current: bool,
}

/// The entry just saved.
pub struct Saved {
    pub reference: Option<String>,
    pub for_member: bool,
    pub when: String,
}

/// Step 2: the entry form of one activity, kind and channel.
pub struct Entry {
    pub activity_id: String,
    pub activity_title: Text,
    pub channel: &'static str,
    pub channel_label: String,
    pub kind: String,
    pub kind_name: Text,
    pub kinds: Vec<KindLink>,
    pub form_html: Option<String>,
    pub refusal: Option<String>,
    pub key: String,
    pub email: String,
    pub email_error: Option<String>,
    pub reference: String,
    pub reference_error: Option<String>,
    pub saved: Option<Saved>,
    pub count_you: String,
    pub count_all: String,
    pub change_href: String,
}

#[derive(Template)]
#[template(path = "staff/desk.html")]
struct DeskPage {
    c: Chrome,
    tabs: Tabs,
    slug: String,
    summary: Vec<SummaryItem>,
    note: Option<String>,
    /// Step 1: the open activities and the channels (empty when there is nothing open).
    activities: Vec<ActivityChoice>,
    channels: Vec<ChannelChoice>,
    entry: Option<Entry>,
}

/// The signed-in viewer, or the sign-in page that comes back here.
fn signed_in(pc: &PageCtx) -> Result<Viewer, PageError> {
    pc.viewer().cloned().ok_or_else(|| pc.fail(AppError::Unauthenticated("sign in to use the staff pages".into())))
}

fn channel_of(raw: Option<&str>) -> Option<Channel> {
    raw.and_then(Channel::from_stored).filter(|c| CHANNELS.contains(c))
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub async fn show(pc: PageCtx, key: web::Path<String>, q: web::Query<DeskQuery>) -> PageResult {
    render(&pc, &key, &q.into_inner(), None, StatusCode::OK).await
}

/// One entry posted from the desk: the same submission as the API's, as the facilitator.
pub async fn save(post: PagePost<EntryPost>, key: web::Path<String>) -> PageResult {
    let PagePost { pc, form, pairs } = post;
    let viewer = signed_in(&pc)?;
    // Who may enter input here is the app's to say (403 for everyone else), before anything
    // of the post is read.
    let (visible, _) = desk::open_activities(&pc.app, &viewer, &key).await.or_page(&pc)?;
    let id = Uuid::parse_str(&form.activity).map_err(|_| AppError::NotFound("activity")).or_page(&pc)?;
    let a = activities::get(&pc.app, Some(&viewer), id).await.or_page(&pc)?;
    if a.process_id != visible.process.id {
        return Err(pc.fail(AppError::NotFound("activity")));
    }
    desk::kinds(&pc.app, &viewer, id).await.or_page(&pc)?;
    let channel = channel_of(Some(&form.channel)).ok_or_else(|| AppError::bad_request("channel", "paper, phone or in_person")).or_page(&pc)?;
    let dl = visible.process.default_language.clone();
    let fields = forms::fields(&activities::form(&pc.app, Some(&viewer), id, &form.kind).await.or_page(&pc)?);
    let f = Form::new(pc.tr, "body", "entry", &dl, &fields);
    let values = f.values_from_pairs(&pairs);
    let idem = form.idempotency_key.clone().filter(|k| !k.is_empty()).unwrap_or_else(|| Uuid::new_v4().to_string());
    let mut posted = Posted { kind: form.kind.clone(), values, errors: Vec::new(), key: idem, email: form.email.trim().to_string(), reference: form.reference.clone(), note: None };
    let query = DeskQuery { activity: Some(id.to_string()), channel: Some(channel.as_str().to_string()), kind: Some(form.kind.clone()), ..DeskQuery::default() };
    if form.more_items.is_some() {
        // One more item slot: the same entry again, nothing saved.
        return render(&pc, &key, &query, Some(posted), StatusCode::OK).await;
    }
    let (body, mut errors) = f.parse(&posted.values);
    let mut on_behalf_of = None;
    if !posted.email.is_empty() {
        match desk::find_member(&pc.app, &viewer, &key, PersonLookup { email: posted.email.clone() }).await {
            Ok(person) => on_behalf_of = Some(person.account_id),
            Err(AppError::Invalid(e)) => errors.extend(e),
            Err(e) => return Err(pc.fail(e)),
        }
    }
    if !errors.is_empty() {
        posted.errors = errors;
        return render(&pc, &key, &query, Some(posted), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    // Input on paper is in the process's language, unless the instance does not offer it.
    let language = pc.app.settings.instance.languages.iter().any(|l| l.as_str() == dl).then(|| dl.clone());
    let reference = Some(posted.reference.trim().to_string()).filter(|r| !r.is_empty());
    let input = NewContribution { kind: form.kind.clone(), body, language, channel: Some(channel), on_behalf_of, reference };
    match contributions::submit(&pc.app, &viewer, id, input, Some(posted.key.clone())).await {
        Ok(Submitted::Created(c) | Submitted::Replayed(c)) => {
            let to = format!("/manage/processes/{}/desk?activity={id}&channel={}&kind={}&saved={}", visible.process.slug, channel.as_str(), enc(&form.kind), c.id);
            Ok(pc.redirect(&to))
        }
        Err(AppError::Invalid(errors)) => {
            posted.errors = errors;
            render(&pc, &key, &query, Some(posted), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::TooLarge(_)) => {
            posted.errors = vec![FieldError::new("body", pc.tr.t("activity-too-large"))];
            render(&pc, &key, &query, Some(posted), StatusCode::PAYLOAD_TOO_LARGE).await
        }
        Err(e @ (AppError::Conflict(_) | AppError::Forbidden(_))) => {
            // Closed meanwhile, or the person may not take part here: said above the entry,
            // which keeps what was typed.
            let status = actix_web::ResponseError::status_code(&e);
            let why = match &e {
                AppError::Forbidden(why) | AppError::Conflict(FieldError { problem: why, .. }) if pc.tr.lang == crate::http::pages::i18n::UiLang::En => format!(" ({why})"),
                _ => String::new(),
            };
            posted.note = Some(format!("{}{why}", pc.tr.t("desk-not-saved")));
            render(&pc, &key, &query, Some(posted), status).await
        }
        Err(e) => Err(pc.fail(e)),
    }
}

/// Puts the focus on the form's first control when the page opens (after each save), so
/// that the next entry is typed straight away.
fn autofocus_first(html: &str) -> String {
    let first = ["<input ", "<textarea ", "<select "].iter().filter_map(|tag| html.find(tag).map(|at| (at, tag.len()))).min();
    match first {
        Some((at, len)) => format!("{}autofocus {}", &html[..at + len], &html[at + len..]),
        None => html.to_string(),
    }
}

fn refusal_words(tr: &Tr, r: &Refusal) -> String {
    match r {
        Refusal::Roles(_) => tr.t("desk-kind-not-facilitated"),
        _ => tr.t("desk-activity-not-open"),
    }
}

async fn render(pc: &PageCtx, key: &str, q: &DeskQuery, posted: Option<Posted>, status: StatusCode) -> PageResult {
    let app = &pc.app;
    let tr = pc.tr;
    let viewer = signed_in(pc)?;
    let (visible, open) = desk::open_activities(app, &viewer, key).await.or_page(pc)?;
    let tabs = Tabs::new(tr, &visible, Some(&viewer), "desk");
    let slug = visible.process.slug.clone();
    let dl = visible.process.default_language.clone();

    let wanted = q.activity.as_deref().and_then(|a| Uuid::parse_str(a).ok());
    let chosen = wanted.and_then(|id| open.iter().find(|a| a.id == id));
    let channel = channel_of(q.channel.as_deref());
    let mut note = posted.as_ref().and_then(|p| p.note.clone());
    if wanted.is_some() && chosen.is_none() {
        note = Some(tr.t("desk-activity-not-open"));
    }
    let activities_list: Vec<ActivityChoice> = open
        .iter()
        .enumerate()
        .map(|(i, a)| ActivityChoice { id: a.id.to_string(), title: forms::pick(&tr, &a.title, &dl), selected: chosen.map_or(i == 0, |c| c.id == a.id) })
        .collect();
    let channels: Vec<ChannelChoice> = CHANNELS
        .iter()
        .map(|c| ChannelChoice { value: c.as_str(), label: words::channel(&tr, *c), checked: channel.map_or(*c == Channel::Paper, |x| x == *c) })
        .collect();

    let mut summary = Vec::new();
    let mut entry = None;
    if let (Some(a), Some(channel), None) = (chosen, channel, q.change.as_ref()) {
        let kinds = desk::kinds(app, &viewer, a.id).await.or_page(pc)?;
        let enterable: Vec<_> = kinds.iter().filter(|k| k.refusal.is_none()).collect();
        let wanted_kind = posted.as_ref().map(|p| p.kind.clone()).or_else(|| q.kind.clone());
        let kind = enterable.iter().find(|k| Some(&k.id) == wanted_kind.as_ref()).or(enterable.first()).copied();
        let kind_name = |k: &contributions::KindAccess| if k.name.is_empty() { Text { text: k.id.clone(), lang: tr.code().into(), dir: "ltr" } } else { forms::pick(&tr, &k.name, &dl) };
        let base = format!("/manage/processes/{slug}/desk?activity={}&channel={}", a.id, channel.as_str());
        let (mut form_html, mut refusal) = (None, None);
        let (mut email_error, mut reference_error) = (None, None);
        if let Some(k) = kind {
            match activities::form(app, Some(&viewer), a.id, &k.id).await {
                Ok(v) => {
                    let fields = forms::fields(&v);
                    let form = Form::new(tr, "body", "entry", &dl, &fields);
                    let (values, errors) = match &posted {
                        Some(p) => (p.values.clone(), p.errors.as_slice()),
                        None => (Values::default(), &[][..]),
                    };
                    // The desk's own fields take their errors; the form takes the rest.
                    let mut rest = Vec::new();
                    for e in errors {
                        match e.field.as_str() {
                            "email" | "on_behalf_of" => email_error = Some(email_problem(&tr, e)),
                            "reference" => reference_error = Some(tr.t("desk-error-reference")),
                            _ => rest.push(e.clone()),
                        }
                    }
                    let rendered = form.render(&values, &rest);
                    summary.extend(rendered.summary);
                    form_html = Some(if errors.is_empty() { autofocus_first(&rendered.html) } else { rendered.html });
                }
                Err(AppError::Invalid(_)) => refusal = Some(tr.t("activity-form-unavailable")),
                Err(e) => return Err(pc.fail(e)),
            }
        } else {
            refusal = Some(kinds.iter().find_map(|k| k.refusal.as_ref()).map(|r| refusal_words(&tr, r)).unwrap_or_else(|| tr.t("desk-kind-not-facilitated")));
        }
        if let Some(m) = &email_error {
            summary.push(SummaryItem { href: Some("#desk-email".into()), text: m.clone() });
        }
        if let Some(m) = &reference_error {
            summary.push(SummaryItem { href: Some("#desk-reference".into()), text: m.clone() });
        }
        let saved = match q.saved.as_deref().and_then(|s| Uuid::parse_str(s).ok()) {
            Some(cid) if posted.is_none() => contributions::get(app, Some(&viewer), cid).await.ok().filter(|c| c.mine && c.activity_id == a.id).map(|c| Saved {
                for_member: c.reference.is_none(),
                reference: c.reference.clone(),
                when: tr.datetime(c.created_at),
            }),
            _ => None,
        };
        let counts = desk::entered_today(app, &viewer, a.id).await.or_page(pc)?;
        entry = Some(Entry {
            activity_id: a.id.to_string(),
            activity_title: forms::pick(&tr, &a.title, &dl),
            channel: channel.as_str(),
            channel_label: words::channel(&tr, channel),
            kind: kind.map(|k| k.id.clone()).unwrap_or_default(),
            kind_name: kind.map(kind_name).unwrap_or_else(|| Text { text: String::new(), lang: tr.code().into(), dir: "ltr" }),
            kinds: if enterable.len() > 1 {
                enterable.iter().map(|k| KindLink { href: format!("{base}&kind={}", enc(&k.id)), name: kind_name(k), current: kind.is_some_and(|c| c.id == k.id) }).collect()
            } else {
                Vec::new()
            },
            form_html,
            refusal,
            key: posted.as_ref().map(|p| p.key.clone()).unwrap_or_else(|| Uuid::new_v4().to_string()),
            email: posted.as_ref().map(|p| p.email.clone()).unwrap_or_default(),
            email_error,
            reference: posted.as_ref().map(|p| p.reference.clone()).unwrap_or_default(),
            reference_error,
            saved,
            count_you: tr.n("desk-count-you", "count", counts.by_you),
            count_all: tr.n("desk-count-all", "count", counts.in_all),
            change_href: format!("{base}&change=1"),
        });
    }
    // Errors the form could not place still say what happened.
    if let Some(p) = &posted
        && entry.as_ref().is_none_or(|e| e.form_html.is_none())
    {
        summary.extend(p.errors.iter().map(|e| SummaryItem { href: None, text: e.problem.clone() }));
    }

    let title = match &entry {
        Some(e) => match &e.saved {
            Some(s) => match &s.reference {
                Some(r) => tr.a1("desk-title-saved", "reference", r),
                None => tr.t("desk-title-saved-member"),
            },
            None => tr.a1("desk-title-entering", "activity", &e.activity_title.text),
        },
        None => tr.t("desk-title"),
    };
    let title = if summary.is_empty() { title } else { format!("{} {title}", tr.t("form-error-title-prefix")) };
    let page = DeskPage { c: pc.chrome(title), tabs, slug, summary, note, activities: activities_list, channels, entry };
    Ok(pc.render_status(status, &page))
}

/// The words for a problem with the member's email.
fn email_problem(tr: &Tr, e: &FieldError) -> String {
    if e.problem.starts_with("no member") || e.field == "on_behalf_of" { tr.t("desk-error-not-member") } else { tr.t("desk-error-email") }
}
