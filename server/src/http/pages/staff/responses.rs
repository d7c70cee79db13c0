//! Responding (organisers): the table of a process's contributions with filters and pages
//! both ways, the selection (or every contribution the filter matches), the response form
//! (disposition, explanation in the instance's languages, outcome sections), a confirmation
//! that says how many contributions a bulk response answers, and the count of contributions
//! still waiting against each commitment to respond in time.
//!
//! Every step calls the app: `responses::staff_list`, `matching_ids` and `backlog` to read,
//! `responses::check` before the confirmation, `responses::respond` (the API's
//! `POST /api/v1/processes/{key}/responses`) to send. Each refuses anyone who is not an
//! organiser of the process (or an instance administrator), so a forged post gets a 403.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use uuid::Uuid;

use super::Tabs;
use crate::app::outcomes;
use crate::app::processes;
use crate::app::responses::{self, MAX_BATCH, NewResponse, ResponseDraft, StaffFilter, StaffPageParams};
use crate::app::{AppError, Viewer, activities};
use crate::domain::commitments::CommitmentStatus;
use crate::domain::participation::{Channel, Disposition};
use crate::http::pages::i18n::{Tr, UiLang};
use crate::http::pages::my_input::excerpt;
use crate::http::pages::outcome::short_ref;
use crate::http::pages::page::{Chrome, OrPage, PageCtx, PageError, PagePost, PageResult};
use crate::http::pages::words;

/// Contributions per page of the table.
const PER_PAGE: u64 = 25;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/processes/{key}/responses", web::get().to(list))
        .route("/manage/processes/{key}/responses/respond", web::get().to(respond_form))
        .route("/manage/processes/{key}/responses/respond", web::post().to(respond_post));
}

use crate::http::pages::account_forms::Problems;

/// The filter as the form sends it (every value a string; empty means "any").
#[derive(Default, Clone)]
struct RawFilter {
    activity: String,
    channel: String,
    responded: String,
    disposition: String,
    q: String,
}

const FILTER_KEYS: [&str; 5] = ["activity", "channel", "responded", "disposition", "q"];

impl RawFilter {
    fn from_pairs(pairs: &[(String, String)]) -> RawFilter {
        let get = |k: &str| pairs.iter().rev().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
        RawFilter { activity: get("activity"), channel: get("channel"), responded: get("responded"), disposition: get("disposition"), q: get("q") }
    }

    fn values(&self) -> [(&'static str, &str); 5] {
        [("activity", &self.activity), ("channel", &self.channel), ("responded", &self.responded), ("disposition", &self.disposition), ("q", &self.q)]
    }

    /// The filter's part of an address (`activity=…&q=…`), only what is set.
    fn query(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.values() {
            if !v.trim().is_empty() {
                out.append_pair(k, v);
            }
        }
        out.finish()
    }

    fn is_empty(&self) -> bool {
        self.values().iter().all(|(_, v)| v.trim().is_empty())
    }

    /// The app's filter; a value no form offers is a 400 naming its field.
    fn parse(&self) -> Result<StaffFilter, AppError> {
        let set = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        let activity = match set(&self.activity) {
            None => None,
            Some(v) => Some(Uuid::parse_str(&v).map_err(|_| AppError::bad_request("activity", "is not an activity's id"))?),
        };
        let channel = match set(&self.channel) {
            None => None,
            Some(v) => Some(Channel::from_stored(&v).ok_or_else(|| AppError::bad_request("channel", format!("must be one of {}", Channel::choices())))?),
        };
        let responded = match set(&self.responded).as_deref() {
            None => None,
            Some("yes") => Some(true),
            Some("no") => Some(false),
            Some(_) => return Err(AppError::bad_request("responded", "must be yes or no")),
        };
        let disposition = match set(&self.disposition) {
            None => None,
            Some(v) => Some(Disposition::from_stored(&v).ok_or_else(|| AppError::bad_request("disposition", format!("must be one of {}", Disposition::choices())))?),
        };
        Ok(StaffFilter { activity, channel, responded, disposition, q: set(&self.q) })
    }
}

fn query_pairs(req: &HttpRequest) -> Vec<(String, String)> {
    url::form_urlencoded::parse(req.query_string().as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn first<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// An option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A row of the table.
pub struct Row {
    pub id: String,
    pub reference: String,
    pub facilitator_ref: Option<String>,
    pub excerpt: String,
    pub lang: String,
    pub hidden: bool,
    pub activity: String,
    pub channel: String,
    pub date: String,
    pub at: String,
    pub response: Option<String>,
    pub respond_href: String,
}

/// A commitment to respond in time, in words.
pub struct DeadlineLine {
    pub text: String,
    pub text_lang: String,
    pub status: String,
    pub status_class: &'static str,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "staff/responses.html")]
struct ListPage {
    c: Chrome,
    tabs: Tabs,
    errors: Problems,
    slug: String,
    activities: Vec<Choice>,
    channels: Vec<Choice>,
    responded: Vec<Choice>,
    dispositions: Vec<Choice>,
    q: String,
    max_search: usize,
    filtered: bool,
    filter_hidden: Vec<(&'static str, String)>,
    rows: Vec<Row>,
    total_text: String,
    all_text: String,
    capped_text: Option<String>,
    prev: Option<String>,
    next: Option<String>,
    answered: Option<String>,
    backlog: String,
    deadlines: Vec<DeadlineLine>,
    /// Whether the process has any contribution at all (the empty state).
    any: bool,
}

fn signed_in(pc: &PageCtx) -> Result<Viewer, PageError> {
    pc.viewer().cloned().ok_or_else(|| pc.fail(AppError::Unauthenticated("sign in to respond to contributions".into())))
}

/// Activity titles by id, in the reader's language.
async fn activity_titles(pc: &PageCtx, viewer: &Viewer, key: &str) -> Result<Vec<(Uuid, String)>, PageError> {
    let tr = pc.tr;
    let dl = pc.app.settings.instance.default_language.as_str().to_string();
    Ok(activities::list(&pc.app, Some(viewer), key).await.or_page(pc)?.into_iter().map(|a| (a.id, tr.pick(&a.title, &dl).text.to_string())).collect())
}

fn filter_problem(tr: &Tr, e: &AppError) -> Option<(String, String)> {
    let AppError::BadRequest(fe) = e else { return None };
    let id = match fe.field.as_str() {
        "q" => "f-q",
        "activity" => "f-activity",
        "channel" => "f-channel",
        "responded" => "f-responded",
        "disposition" => "f-disposition",
        _ => return None,
    };
    let message = if fe.field == "q" { tr.n("responses-error-search", "max", responses::MAX_SEARCH_CHARS) } else { tr.t("responses-error-filter") };
    Some((id.to_string(), message))
}

/// The table page, with the problems of a filter or a selection when there are some.
async fn list_page(pc: &PageCtx, key: &str, pairs: &[(String, String)], mut errors: Problems, status: StatusCode) -> PageResult {
    let tr = pc.tr;
    let viewer = signed_in(pc)?;
    // Authorised first: only organisers and administrators see any of this.
    let backlog = responses::backlog(&pc.app, &viewer, key).await.or_page(pc)?;
    let (visible, _) = processes::powers(&pc.app, Some(&viewer), key).await.or_page(pc)?;
    let slug = visible.process.slug.clone();
    let raw = RawFilter::from_pairs(pairs);
    let titles = activity_titles(pc, &viewer, key).await?;
    let page_params = StaffPageParams { limit: Some(PER_PAGE), cursor: first(pairs, "cursor").map(str::to_string), before: first(pairs, "before").map(str::to_string) };

    let mut status = status;
    let listed = match raw.parse() {
        Ok(filter) => match responses::staff_list(&pc.app, &viewer, key, &filter, &page_params).await {
            Ok(page) => Some((page, filter)),
            Err(e) => match filter_problem(&tr, &e) {
                Some((id, message)) => {
                    errors.push(id, message);
                    None
                }
                None => return Err(pc.fail(e)),
            },
        },
        Err(e) => match filter_problem(&tr, &e) {
            Some((id, message)) => {
                errors.push(id, message);
                None
            }
            None => return Err(pc.fail(e)),
        },
    };
    if listed.is_none() {
        status = StatusCode::BAD_REQUEST;
    }

    let base = format!("/manage/processes/{slug}/responses");
    let fq = raw.query();
    let with = |extra: String| if fq.is_empty() { format!("{base}?{extra}") } else { format!("{base}?{fq}&{extra}") };
    let dl = pc.app.settings.instance.default_language.as_str().to_string();
    let title_of = |id: Uuid| titles.iter().find(|(a, _)| *a == id).map(|(_, t)| t.clone()).unwrap_or_default();
    let (rows, total, prev, next) = match &listed {
        Some((page, _)) => {
            let rows = page
                .items
                .iter()
                .map(|c| Row {
                    id: c.id.to_string(),
                    reference: short_ref(&c.id),
                    facilitator_ref: c.reference.clone(),
                    excerpt: excerpt(&c.body).unwrap_or_default(),
                    lang: c.language.clone(),
                    hidden: c.status == crate::domain::participation::ContributionStatus::Hidden,
                    activity: title_of(c.activity_id),
                    channel: words::channel(&tr, c.channel),
                    date: tr.date(c.created_at.date_naive()),
                    at: c.created_at.to_rfc3339(),
                    response: c.response.as_ref().map(|r| words::disposition(&tr, r.disposition)),
                    respond_href: format!("{base}/respond?id={}{}", c.id, if fq.is_empty() { String::new() } else { format!("&{fq}") }),
                })
                .collect();
            let enc = |c: &str| url::form_urlencoded::byte_serialize(c.as_bytes()).collect::<String>();
            let prev = page.prev_cursor.as_ref().map(|c| with(format!("before={}", enc(c))));
            let next = page.next_cursor.as_ref().map(|c| with(format!("cursor={}", enc(c))));
            (rows, page.total, prev, next)
        }
        None => (Vec::new(), 0, None, None),
    };

    let activities = titles.iter().map(|(id, t)| Choice { value: id.to_string(), label: t.clone(), selected: raw.activity == id.to_string() }).collect();
    let channels = Channel::ALL.iter().map(|c| Choice { value: c.as_str().into(), label: words::channel(&tr, *c), selected: raw.channel == c.as_str() }).collect();
    let responded = [("no", "responses-filter-responded-no"), ("yes", "responses-filter-responded-yes")]
        .iter()
        .map(|(v, k)| Choice { value: (*v).into(), label: tr.t(k), selected: raw.responded == *v })
        .collect();
    let dispositions = words::DISPOSITIONS.iter().map(|d| Choice { value: d.as_str().into(), label: words::disposition(&tr, *d), selected: raw.disposition == d.as_str() }).collect();

    let deadlines = backlog
        .deadlines
        .iter()
        .map(|d| {
            let (status, class) = match d.status {
                CommitmentStatus::Met => (tr.t("responses-deadline-met"), "tag tag-open"),
                CommitmentStatus::Missed => (tr.t("responses-deadline-missed"), "tag"),
                CommitmentStatus::AtRisk => (tr.t("responses-deadline-at-risk"), "tag"),
                CommitmentStatus::Pending => (tr.t("responses-deadline-pending"), "tag tag-closed"),
            };
            let text = tr.pick(&d.text, &dl);
            let mut detail = tr.a(
                "responses-deadline-detail",
                &[("days", i64::from(d.days).into()), ("overdue", (d.tally.overdue as i64).into()), ("soon", (d.tally.due_soon as i64).into()), ("open", (d.tally.open as i64).into())],
            );
            if let Some(due) = d.earliest_due {
                detail.push(' ');
                detail.push_str(&tr.a1("responses-deadline-earliest", "date", tr.date(due.date_naive())));
            }
            DeadlineLine { text: text.text.to_string(), text_lang: text.lang.clone(), status, status_class: class, detail }
        })
        .collect();
    let backlog_text = tr.a("responses-backlog", &[("waiting", (backlog.without_response as i64).into()), ("total", (backlog.contributions as i64).into())]);
    let answered = first(pairs, "answered").and_then(|n| n.parse::<u64>().ok()).map(|n| tr.n("responses-answered", "count", n));
    let capped_text = (total > MAX_BATCH as u64).then(|| tr.n("responses-all-capped", "max", MAX_BATCH));
    let filter_hidden = raw.values().iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (*k, v.to_string())).collect();
    let page = ListPage {
        c: pc.chrome(errors.title(&tr, tr.a1("responses-page-title", "process", &visible_title(&tr, &visible)))),
        tabs: Tabs::new(tr, &visible, Some(&viewer), "responses"),
        errors,
        slug,
        activities,
        channels,
        responded,
        dispositions,
        q: raw.q.clone(),
        max_search: responses::MAX_SEARCH_CHARS,
        filtered: !raw.is_empty(),
        filter_hidden,
        rows,
        total_text: tr.n("responses-matching", "count", total),
        all_text: tr.n("responses-respond-all", "count", total.min(MAX_BATCH as u64)),
        capped_text,
        prev,
        next,
        answered,
        backlog: backlog_text,
        deadlines,
        any: backlog.contributions > 0,
    };
    Ok(pc.render_status(status, &page))
}

fn visible_title(tr: &Tr, visible: &processes::Visible) -> String {
    let title = crate::domain::localized::LocalizedText::from_stored(visible.process.title.clone());
    tr.pick(&title, &visible.process.default_language).text.to_string()
}

/// GET /manage/processes/{key}/responses.
pub async fn list(pc: PageCtx, key: web::Path<String>, req: HttpRequest) -> PageResult {
    let pairs = query_pairs(&req);
    list_page(&pc, &key, &pairs, Problems::default(), StatusCode::OK).await
}

/// A language the explanation may be written in.
pub struct LangField {
    pub id: String,
    pub tag: String,
    pub label: String,
    pub value: String,
    pub dir: &'static str,
}

/// An outcome section to tick.
pub struct SectionChoice {
    pub n: usize,
    pub id: String,
    pub heading: String,
    pub lang: String,
    pub checked: bool,
}

/// What the form holds: typed, or sent back for a change.
#[derive(Default, Clone)]
struct Typed {
    ids: Vec<Uuid>,
    disposition: String,
    explanation: BTreeMap<String, String>,
    sections: Vec<String>,
    other_refs: String,
    back: RawFilter,
}

impl Typed {
    fn from_pairs(pairs: &[(String, String)]) -> Result<Typed, AppError> {
        let mut t = Typed::default();
        for (k, v) in pairs {
            match k.as_str() {
                "ids" => {
                    for id in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        t.ids.push(Uuid::parse_str(id).map_err(|_| AppError::bad_request("ids", "is not a list of contribution ids"))?);
                    }
                }
                "disposition" => t.disposition = v.clone(),
                "section" => t.sections.push(v.clone()),
                "outcome_refs" => t.other_refs = v.clone(),
                k if k.starts_with("explanation-") => {
                    if !v.trim().is_empty() {
                        t.explanation.insert(k["explanation-".len()..].to_string(), v.clone());
                    }
                }
                _ => {}
            }
        }
        let back: Vec<(String, String)> = pairs.iter().filter_map(|(k, v)| k.strip_prefix("back-").filter(|k| FILTER_KEYS.contains(k)).map(|k| (k.to_string(), v.clone()))).collect();
        t.back = RawFilter::from_pairs(&back);
        Ok(t)
    }

    fn refs(&self) -> Vec<String> {
        let mut refs = self.sections.clone();
        refs.extend(self.other_refs.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string));
        refs
    }

    fn draft(&self) -> ResponseDraft {
        ResponseDraft {
            contribution_ids: self.ids.clone(),
            disposition: Disposition::from_stored(self.disposition.trim()),
            explanation: self.explanation.clone(),
            outcome_refs: self.refs(),
        }
    }

    fn ids_field(&self) -> String {
        self.ids.iter().map(Uuid::to_string).collect::<Vec<_>>().join(",")
    }
}

/// The one contribution answered, shown above the form.
pub struct Single {
    pub reference: String,
    pub excerpt: String,
    pub lang: String,
    pub current: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/responses_respond.html")]
struct RespondPage {
    c: Chrome,
    tabs: Tabs,
    errors: Problems,
    action: String,
    heading: String,
    count_text: String,
    single: Option<Single>,
    ids: String,
    back_fields: Vec<(String, String)>,
    back_href: String,
    dispositions: Vec<Choice>,
    languages: Vec<LangField>,
    sections: Vec<SectionChoice>,
    other_refs: String,
    bulk: bool,
}

#[derive(Template)]
#[template(path = "staff/responses_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    tabs: Tabs,
    action: String,
    heading: String,
    count_text: String,
    send_text: String,
    disposition: String,
    explanations: Vec<LangField>,
    sections: Vec<String>,
    hidden: Vec<(String, String)>,
}

/// The form's values as hidden fields (for the confirmation, and to go back to the list).
fn back_fields(back: &RawFilter) -> Vec<(String, String)> {
    back.values().iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (format!("back-{k}"), v.to_string())).collect()
}

fn lang_label(tr: &Tr, tag: &str) -> String {
    let name = UiLang::from_tag(tag).map(|l| l.endonym().to_string()).unwrap_or_else(|| tag.to_string());
    tr.a1("responses-explanation-in", "language", name)
}

/// The response form, for `typed.ids`, with problems if any.
async fn form_page(pc: &PageCtx, viewer: &Viewer, key: &str, typed: &Typed, errors: Problems, status: StatusCode) -> PageResult {
    let tr = pc.tr;
    let visible = processes::load_managed(&pc.app, viewer, key).await.or_page(pc)?;
    let slug = visible.process.slug.clone();
    let dl = pc.app.settings.instance.default_language.as_str().to_string();
    let n = typed.ids.len();
    let single = if n == 1 {
        let c = crate::app::contributions::get(&pc.app, Some(viewer), typed.ids[0]).await.or_page(pc)?;
        Some(Single {
            reference: short_ref(&c.id),
            excerpt: excerpt(&c.body).unwrap_or_default(),
            lang: c.language.clone(),
            current: c.response.as_ref().map(|r| words::disposition(&tr, r.disposition)),
        })
    } else {
        None
    };
    let mut langs: Vec<String> = pc.app.settings.instance.languages.iter().map(|l| l.as_str().to_string()).collect();
    // The process's own language first.
    if let Some(at) = langs.iter().position(|l| *l == visible.process.default_language) {
        let l = langs.remove(at);
        langs.insert(0, l);
    }
    let languages = langs
        .iter()
        .map(|tag| LangField {
            id: format!("explanation-{tag}"),
            label: lang_label(&tr, tag),
            value: typed.explanation.get(tag).cloned().unwrap_or_default(),
            dir: if crate::domain::language::Language::parse(tag).map(|l| l.is_rtl()).unwrap_or(false) { "rtl" } else { "ltr" },
            tag: tag.clone(),
        })
        .collect();
    let sections = match outcomes::get(&pc.app, Some(viewer), key, None).await {
        Ok(o) => o
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let h = tr.pick(&s.heading, &dl);
                SectionChoice { n: i, id: s.id.clone(), heading: h.text.to_string(), lang: h.lang.clone(), checked: typed.sections.contains(&s.id) }
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    let dispositions = words::DISPOSITIONS.iter().map(|d| Choice { value: d.as_str().into(), label: words::disposition(&tr, *d), selected: typed.disposition == d.as_str() }).collect();
    let heading = if n == 1 { tr.t("responses-respond-one-title") } else { tr.t("responses-respond-many-title") };
    let fq = typed.back.query();
    let page = RespondPage {
        c: pc.chrome(errors.title(&tr, heading.clone())),
        tabs: Tabs::new(tr, &visible, Some(viewer), "responses"),
        errors,
        action: format!("/manage/processes/{slug}/responses/respond"),
        back_href: if fq.is_empty() { format!("/manage/processes/{slug}/responses") } else { format!("/manage/processes/{slug}/responses?{fq}") },
        heading,
        count_text: tr.n("responses-respond-count", "count", n),
        single,
        ids: typed.ids_field(),
        back_fields: back_fields(&typed.back),
        dispositions,
        languages,
        sections,
        other_refs: typed.other_refs.clone(),
        bulk: n > 1,
    };
    Ok(pc.render_status(status, &page))
}

/// GET /manage/processes/{key}/responses/respond: the form, for the contributions ticked
/// (`id=…`, repeated), or for every one the filter matches (`scope=all` and the filter).
pub async fn respond_form(pc: PageCtx, key: web::Path<String>, req: HttpRequest) -> PageResult {
    let viewer = signed_in(&pc)?;
    let tr = pc.tr;
    let pairs = query_pairs(&req);
    if pairs.is_empty() {
        // Nothing asked for (e.g. the language switched on a form sent back with errors).
        let visible = processes::load_managed(&pc.app, &viewer, &key).await.or_page(&pc)?;
        return Ok(pc.redirect(&format!("/manage/processes/{}/responses", visible.process.slug)));
    }
    let raw = RawFilter::from_pairs(&pairs);
    let mut typed = Typed { back: raw.clone(), ..Typed::default() };
    if first(&pairs, "scope") == Some("all") {
        let filter = match raw.parse() {
            Ok(f) => f,
            Err(e) => return Err(pc.fail(e)),
        };
        let matching = responses::matching_ids(&pc.app, &viewer, &key, &filter).await.or_page(&pc)?;
        typed.ids = matching.ids;
    } else {
        for (k, v) in &pairs {
            if k == "id" {
                let id = Uuid::parse_str(v.trim()).map_err(|_| pc.fail(AppError::bad_request("id", "is not a contribution's id")))?;
                if !typed.ids.contains(&id) {
                    typed.ids.push(id);
                }
            }
        }
    }
    if typed.ids.is_empty() {
        let mut errors = Problems::default();
        errors.push("select-heading", tr.t("responses-error-none-selected"));
        return list_page(&pc, &key, &pairs, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if typed.ids.len() > MAX_BATCH {
        return Err(pc.fail(AppError::bad_request("id", format!("at most {MAX_BATCH} contributions at a time"))));
    }
    form_page(&pc, &viewer, &key, &typed, Problems::default(), StatusCode::OK).await
}

/// The problems the app found, at the form's fields, in the reader's words.
fn form_problems(tr: &Tr, typed: &Typed, found: &[crate::domain::errors::FieldError], first_lang: &str) -> Problems {
    let mut p = Problems::default();
    for e in found {
        let f = e.field.as_str();
        if f == "disposition" {
            p.push("disposition", tr.t("responses-error-disposition"));
        } else if f == "explanation" {
            p.push(format!("explanation-{first_lang}"), tr.t("responses-error-explanation"));
        } else if let Some(tag) = f.strip_prefix("explanation.") {
            let long = typed.explanation.get(tag).is_some_and(|t| t.chars().count() > 5_000);
            p.push(format!("explanation-{tag}"), if long { tr.t("responses-error-explanation-long") } else { tr.t("responses-error-explanation-characters") });
        } else if f.starts_with("outcome_refs") {
            p.push("outcome_refs", tr.t("responses-error-sections"));
        } else if f.starts_with("contribution_ids") {
            p.push("respond-count", tr.t("responses-error-contributions"));
        }
    }
    if p.is_empty() && !found.is_empty() {
        p.push("respond-count", tr.t("responses-error-contributions"));
    }
    p
}

/// POST /manage/processes/{key}/responses/respond: checks the response; a response to many
/// goes to the confirmation first (which posts here again with `confirm`); then sends it.
pub async fn respond_post(key: web::Path<String>, post: PagePost<BTreeMap<String, String>>) -> PageResult {
    let PagePost { pc, pairs, .. } = post;
    let viewer = signed_in(&pc)?;
    let tr = pc.tr;
    let key = key.into_inner();
    let typed = Typed::from_pairs(&pairs).map_err(|e| pc.fail(e))?;
    let draft = typed.draft();
    // Who may respond is the app's to decide, before anything sent is looked at.
    match responses::check(&pc.app, &viewer, &key, &draft).await {
        Ok(()) => {}
        Err(AppError::Invalid(found)) => {
            let visible = processes::load_managed(&pc.app, &viewer, &key).await.or_page(&pc)?;
            let first_lang = if pc.app.settings.instance.languages.iter().any(|l| l.as_str() == visible.process.default_language) {
                visible.process.default_language.clone()
            } else {
                pc.app.settings.instance.default_language.as_str().to_string()
            };
            let errors = form_problems(&tr, &typed, &found, &first_lang);
            return form_page(&pc, &viewer, &key, &typed, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(e) => return Err(pc.fail(e)),
    }
    let field = |k: &str| pairs.iter().any(|(name, _)| name == k);
    if field("change") {
        return form_page(&pc, &viewer, &key, &typed, Problems::default(), StatusCode::OK).await;
    }
    let n = typed.ids.len();
    if n > 1 && !field("confirm") {
        return confirm_page(&pc, &viewer, &key, &typed).await;
    }
    let input = NewResponse {
        contribution_ids: typed.ids.clone(),
        disposition: draft.disposition.unwrap_or(Disposition::Noted),
        explanation: typed.explanation.clone(),
        outcome_refs: typed.refs(),
    };
    let done = responses::respond(&pc.app, &viewer, &key, input).await.or_page(&pc)?;
    let visible = processes::load_managed(&pc.app, &viewer, &key).await.or_page(&pc)?;
    let fq = typed.back.query();
    let to = format!("/manage/processes/{}/responses?{}answered={}#answered", visible.process.slug, if fq.is_empty() { String::new() } else { format!("{fq}&") }, done.count);
    Ok(pc.redirect(&to))
}

async fn confirm_page(pc: &PageCtx, viewer: &Viewer, key: &str, typed: &Typed) -> PageResult {
    let tr = pc.tr;
    let visible = processes::load_managed(&pc.app, viewer, key).await.or_page(pc)?;
    let n = typed.ids.len();
    let disposition = Disposition::from_stored(typed.disposition.trim()).map(|d| words::disposition(&tr, d)).unwrap_or_default();
    let explanations = typed
        .explanation
        .iter()
        .map(|(tag, text)| LangField {
            id: format!("explanation-{tag}"),
            tag: tag.clone(),
            label: lang_label(&tr, tag),
            value: text.clone(),
            dir: if crate::domain::language::Language::parse(tag).map(|l| l.is_rtl()).unwrap_or(false) { "rtl" } else { "ltr" },
        })
        .collect();
    let mut hidden: Vec<(String, String)> = vec![("ids".into(), typed.ids_field()), ("disposition".into(), typed.disposition.clone())];
    hidden.extend(typed.explanation.iter().map(|(tag, text)| (format!("explanation-{tag}"), text.clone())));
    hidden.extend(typed.sections.iter().map(|s| ("section".to_string(), s.clone())));
    hidden.push(("outcome_refs".into(), typed.other_refs.clone()));
    hidden.extend(back_fields(&typed.back));
    let heading = tr.n("responses-confirm-title", "count", n);
    let page = ConfirmPage {
        c: pc.chrome(heading.clone()),
        tabs: Tabs::new(tr, &visible, Some(viewer), "responses"),
        action: format!("/manage/processes/{}/responses/respond", visible.process.slug),
        heading,
        count_text: tr.n("responses-confirm-count", "count", n),
        send_text: tr.n("responses-confirm-send", "count", n),
        disposition,
        explanations,
        sections: typed.refs(),
        hidden,
    };
    Ok(pc.render(&page))
}
