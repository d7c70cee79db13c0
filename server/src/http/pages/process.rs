//! A process's page: what it is about, where it stands on its timeline, the promise its
//! participation level makes, its activities, the commitments and whether they are met, the
//! outcome with its history, and how the public's input was used, with charts.

use std::collections::BTreeMap;

use actix_web::web;
use askama::Template;
use chrono::NaiveDate;

use super::charts::{Chart, ChartKind, Series};
use super::i18n::{Localized, Tr};
use super::page::{Chrome, OrPage, PageCtx, PageResult};
use super::process_follow::FollowForm;
use super::words;
use crate::app::federation::discovery;
use crate::app::activities::{self, ActivityState, ActivityView};
use crate::app::outcomes::{self, OutcomeView, VersionSummary};
use crate::app::pagination::PageParams;
use crate::app::processes::{self, ProcessFilter, ProcessSummary, ProcessView};
use crate::app::report::{self, InputUseReport};
use crate::domain::powers::Powers;
use crate::app::{AppError, now};
use crate::domain::commitments::CommitmentStatus;
use crate::domain::participation::Channel;
use crate::domain::process::PhaseState;

/// One step of the timeline: a phase (a span) or a milestone (a day).
pub struct Step<'a> {
    pub name: Localized<'a>,
    pub when: String,
    pub state: &'static str,
    pub is_milestone: bool,
    sort: NaiveDate,
}

pub struct ActivityItem<'a> {
    pub id: String,
    pub title: Localized<'a>,
    pub state: String,
    pub open: bool,
    pub closes: Option<String>,
}

pub struct CommitmentItem<'a> {
    pub text: Localized<'a>,
    pub status: String,
    pub status_class: &'static str,
    pub detail: String,
}

pub struct OutcomeSection<'a> {
    pub heading: Localized<'a>,
    pub html: String,
    pub lang: String,
    pub cites: i64,
}

pub struct Version<'a> {
    pub number: i64,
    pub note: Localized<'a>,
    pub date: String,
}

pub struct Related<'a> {
    pub slug: &'a str,
    pub title: Localized<'a>,
}

#[derive(Template)]
#[template(path = "process.html")]
struct ProcessPage<'a> {
    c: Chrome,
    slug: &'a str,
    /// Whether the ledger records it (a private process has no public entries to link to).
    listed: bool,
    title: Localized<'a>,
    summary: Localized<'a>,
    description_html: String,
    description_lang: String,
    rtl: bool,
    scope: String,
    status: String,
    level_name: String,
    level_promise: String,
    timeline: Vec<Step<'a>>,
    now_label: Option<String>,
    activities: Vec<ActivityItem<'a>>,
    commitments: Vec<CommitmentItem<'a>>,
    outcome_title: Option<Localized<'a>>,
    outcome_sections: Vec<OutcomeSection<'a>>,
    outcome_version: Option<i64>,
    versions: Vec<Version<'a>>,
    report_sentences: Vec<String>,
    charts: Vec<String>,
    parent: Option<Related<'a>>,
    children: Vec<Related<'a>>,
    /// Whether the reader works on this process (the powers rule): a link to its workspace.
    manage: bool,
    /// The "follow from another site" form, when the process federates.
    follow: Option<FollowForm>,
}

pub async fn show(pc: PageCtx, key: web::Path<String>) -> PageResult {
    let follow = follow_form(&pc, &key).await?;
    if follow.is_some() {
        pc.allow_form_redirect_off_site();
    }
    let app = &pc.app;
    let viewer = pc.viewer();
    let p = processes::get(app, viewer, &key).await.or_page(&pc)?;
    let acts = activities::list(app, viewer, &p.slug).await.or_page(&pc)?;
    let outcome = match outcomes::get(app, viewer, &p.slug, None).await {
        Ok(o) => Some(o),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(pc.fail(e)),
    };
    let versions = if outcome.is_some() { outcomes::versions(app, viewer, &p.slug).await.or_page(&pc)? } else { Vec::new() };
    let report = report::get(app, viewer, &p.slug).await.or_page(&pc)?;
    let filter = ProcessFilter { parent: Some(p.id.to_string()), ..Default::default() };
    let children = processes::list(app, viewer, &filter, &PageParams { limit: Some(50), cursor: None }).await.or_page(&pc)?;
    let tr = pc.tr;
    let mut page = build_page(&pc, &tr, &p, &acts, outcome.as_ref(), &versions, &report, &children.items);
    page.follow = follow;
    Ok(pc.render(&page))
}

/// The follow form, when the process federates (`discovery::handle`, the app's rule).
async fn follow_form(pc: &PageCtx, key: &str) -> Result<Option<FollowForm>, super::page::PageError> {
    if pc.app.federation().is_none() {
        return Ok(None);
    }
    let visible = processes::load_visible(&pc.app, pc.viewer(), key).await.or_page(pc)?;
    Ok(discovery::handle(&pc.app, &visible.process).map(|handle| FollowForm::new(&visible.process.slug, handle)))
}

#[allow(clippy::too_many_arguments)]
fn build_page<'a>(
    pc: &PageCtx,
    tr: &Tr,
    p: &'a ProcessView,
    acts: &'a [ActivityView],
    outcome: Option<&'a OutcomeView>,
    versions: &'a [VersionSummary],
    report: &'a InputUseReport,
    children: &'a [ProcessSummary],
) -> ProcessPage<'a> {
    let dl = p.default_language.as_str();
    let title = tr.pick(&p.title, dl);
    // The description sits under the page's h2 "About": its own headings start at h3.
    let description = tr.pick(&p.description, dl);
    let (timeline, now_label) = timeline(tr, p);
    ProcessPage {
        follow: None,
        manage: Powers::of(pc.viewer().is_some_and(|v| v.is_admin), p.your_role).any_staff(),
        c: pc.chrome(title.text.to_string()),
        slug: &p.slug,
        listed: crate::domain::process::is_listed(p.status, p.visibility),
        rtl: title.rtl,
        summary: tr.pick(&p.summary, dl),
        description_html: crate::domain::markdown::render_under(description.text, 2),
        description_lang: description.lang.clone(),
        title,
        scope: words::scope(tr, p.scope),
        status: words::status(tr, p.status),
        level_name: words::level_name(tr, p.iap2_level),
        level_promise: words::level_promise(tr, p.iap2_level),
        timeline,
        now_label,
        activities: acts.iter().map(|a| activity_item(tr, a, dl)).collect(),
        commitments: report.commitments.iter().map(|c| commitment_item(tr, c, dl)).collect(),
        outcome_title: outcome.map(|o| tr.pick(&o.title, dl)),
        outcome_sections: outcome
            .map(|o| {
                o.sections
                    .iter()
                    .map(|s| {
                        // Under the section's h4: the body's own headings start at h5.
                        let body = tr.pick(&s.body, dl);
                        let html = crate::domain::markdown::render_under(body.text, 4);
                        OutcomeSection { heading: tr.pick(&s.heading, dl), html, lang: body.lang, cites: s.cites.len() as i64 }
                    })
                    .collect()
            })
            .unwrap_or_default(),
        outcome_version: outcome.map(|o| o.version.into()),
        versions: versions.iter().map(|v| Version { number: v.version.into(), note: tr.pick(&v.note, dl), date: tr.date(v.published_at.date_naive()) }).collect(),
        report_sentences: report_sentences(tr, report),
        charts: report_charts(tr, report),
        parent: p.parent.as_ref().map(|r| Related { slug: &r.slug, title: tr.pick(&r.title, dl) }),
        children: children.iter().map(|c| Related { slug: &c.slug, title: tr.pick(&c.title, dl) }).collect(),
    }
}

/// Phases and milestones in date order, and the name of the current phase.
fn timeline<'a>(tr: &Tr, p: &'a ProcessView) -> (Vec<Step<'a>>, Option<String>) {
    let dl = p.default_language.as_str();
    let today = now().date_naive();
    let mut steps: Vec<Step<'a>> = p
        .phases
        .iter()
        .map(|ph| Step {
            name: tr.pick(&ph.name, dl),
            when: tr.a("timeline-span", &[("from", tr.date(ph.starts_on).into()), ("to", tr.date(ph.ends_on).into())]),
            state: match ph.state {
                PhaseState::Past => "done",
                PhaseState::Current => "current",
                PhaseState::Upcoming => "upcoming",
            },
            is_milestone: false,
            sort: ph.starts_on,
        })
        .collect();
    steps.extend(p.milestones.iter().map(|m| Step {
        name: tr.pick(&m.title, dl),
        when: tr.date(m.due_on),
        state: if m.due_on < today { "done" } else { "upcoming" },
        is_milestone: true,
        sort: m.due_on,
    }));
    steps.sort_by_key(|s| (s.sort, s.is_milestone));
    let now_label = p.phases.iter().find(|ph| ph.state == PhaseState::Current).map(|ph| tr.pick(&ph.name, dl).text.to_string());
    (steps, now_label)
}

fn activity_item<'a>(tr: &Tr, a: &'a ActivityView, dl: &str) -> ActivityItem<'a> {
    let (state, open) = match a.state {
        ActivityState::Open => (tr.t("activity-state-open"), true),
        ActivityState::Upcoming => (tr.t("activity-state-upcoming"), false),
        ActivityState::Closed => (tr.t("activity-state-closed"), false),
    };
    ActivityItem {
        id: a.id.to_string(),
        title: tr.pick(&a.title, dl),
        state,
        open,
        closes: a.closes_at.filter(|_| open).map(|c| tr.a1("activity-closes-on", "date", tr.date(c.date_naive()))),
    }
}

pub(crate) fn commitment_item<'a>(tr: &Tr, c: &'a crate::app::report::CommitmentCheck, dl: &str) -> CommitmentItem<'a> {
    let (status, class) = match c.status {
        CommitmentStatus::Met => (tr.t("commitment-met"), "note-success"),
        CommitmentStatus::Missed => (tr.t("commitment-missed"), "note-warning"),
        CommitmentStatus::AtRisk => (tr.t("commitment-at-risk"), "note-warning"),
        CommitmentStatus::Pending => (tr.t("commitment-pending"), ""),
    };
    let t = &c.tally;
    let detail = tr.a(
        "commitment-tally",
        &[("on_time", (t.on_time as i64).into()), ("late", (t.late as i64).into()), ("overdue", (t.overdue as i64).into()), ("open", ((t.open + t.due_soon) as i64).into())],
    );
    CommitmentItem { text: tr.pick(&c.text, dl), status, status_class: class, detail }
}

/// The report in sentences: what a reader wants to know first.
pub(crate) fn report_sentences(tr: &Tr, r: &InputUseReport) -> Vec<String> {
    let mut out = vec![tr.n("report-contributions", "count", r.contributions as i64)];
    if r.contributions > 0 {
        out.push(tr.a(
            "report-responded",
            &[("count", (r.responded as i64).into()), ("share", tr.percent(r.responded as i64, r.contributions as i64).into())],
        ));
    }
    if let Some(p50) = r.response_delay.p50_days {
        // "Within 0 days" reads oddly: responses on the day they were asked for are "within a day".
        out.push(if p50 < 1.0 { tr.t("report-delay-within-a-day") } else { tr.a1("report-delay", "days", super::charts::format_value(p50)) });
    }
    out.push(tr.n("report-outcome-versions", "count", r.outcome_versions as i64));
    out
}

pub(crate) fn report_charts(tr: &Tr, r: &InputUseReport) -> Vec<String> {
    let mut charts = Vec::new();
    if r.contributions == 0 {
        return charts;
    }
    let channels: Vec<(String, f64)> = r
        .by_channel
        .iter()
        .map(|(k, v)| (Channel::from_stored(k).map(|c| words::channel(tr, c)).unwrap_or_else(|| k.clone()), *v as f64))
        .collect();
    charts.push(
        Chart {
            id: "chart-channels".into(),
            title: tr.t("report-chart-channels"),
            kind: ChartKind::Bars,
            categories: channels.iter().map(|c| c.0.clone()).collect(),
            series: vec![Series { name: tr.t("report-contributions-header"), values: channels.iter().map(|c| c.1).collect() }],
            category_header: tr.t("report-channel-header"),
            total_label: Some(tr.t("report-total")),
        }
        .html(),
    );
    if r.responded > 0 {
        // Dispositions as one stacked bar per activity would need per-activity counts; the
        // whole process's split is one bar of parts, with the table below.
        let dispositions: BTreeMap<usize, (String, f64)> = words::DISPOSITIONS
            .iter()
            .enumerate()
            .map(|(i, d)| (i, (words::disposition(tr, *d), r.by_disposition.get(d.as_str()).copied().unwrap_or(0) as f64)))
            .collect();
        charts.push(
            Chart {
                id: "chart-dispositions".into(),
                title: tr.t("report-chart-dispositions"),
                kind: ChartKind::Stacked,
                categories: vec![tr.t("report-responses-header")],
                series: dispositions.values().map(|(name, v)| Series { name: name.clone(), values: vec![*v] }).collect(),
                category_header: tr.t("report-responses-header"),
                total_label: None,
            }
            .html(),
        );
        let bands = ["0-7", "8-14", "15-30", "31-60", "61+"];
        charts.push(
            Chart {
                id: "chart-delays".into(),
                title: tr.t("report-chart-delays"),
                kind: ChartKind::Bars,
                categories: bands.iter().map(|b| tr.a1("report-days-band", "band", *b)).collect(),
                series: vec![Series {
                    name: tr.t("report-responses-header"),
                    values: bands.iter().map(|b| r.response_delay.bands.get(*b).copied().unwrap_or(0) as f64).collect(),
                }],
                category_header: tr.t("report-delay-header"),
                total_label: Some(tr.t("report-total")),
            }
            .html(),
        );
    }
    charts
}
