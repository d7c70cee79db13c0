//! The report dashboard of a process's workspace (organisers): the input-use report the
//! public sees, for the staff, with the commitments at risk first (a deadline near or past
//! with input still unanswered, or the outcome not yet published), each with what to do and
//! where to do it.

use actix_web::web;
use askama::Template;

use super::Tabs;
use super::outcome::managed;
use crate::app::report::{self, CommitmentCheck};
use crate::domain::commitments::CommitmentStatus;
use crate::domain::process::Measure;
use crate::http::pages::i18n::{Localized, Tr};
use crate::http::pages::page::{Chrome, OrPage, PageCtx, PageResult};
use crate::http::pages::process::{report_charts, report_sentences};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/processes/{key}/report", web::get().to(show));
}

pub struct CommitmentRow<'a> {
    pub text: Localized<'a>,
    pub status: String,
    pub detail: String,
    /// What to do about it, and where.
    pub todo: Option<Todo>,
}

pub struct Todo {
    pub what: String,
    pub href: String,
    pub label: String,
}

pub struct ActivityRow<'a> {
    pub id: String,
    pub title: Localized<'a>,
    pub contributions: String,
    pub responded: String,
    pub waiting: String,
}

#[derive(Template)]
#[template(path = "staff/report.html")]
struct ReportPage<'a> {
    c: Chrome,
    tabs: Tabs,
    slug: String,
    at_risk: Vec<CommitmentRow<'a>>,
    others: Vec<CommitmentRow<'a>>,
    sentences: Vec<String>,
    charts: Vec<String>,
    activities: Vec<ActivityRow<'a>>,
    generated: String,
}

/// At risk: not done with a deadline within the week, or a deadline already passed with work
/// still undone (overdue). Missed only because something was done late is not "at risk": it
/// cannot be helped any more.
pub fn at_risk(c: &CommitmentCheck) -> bool {
    c.status == CommitmentStatus::AtRisk || c.tally.overdue > 0
}

fn row<'a>(tr: &Tr, slug: &str, c: &'a CommitmentCheck, dl: &str) -> CommitmentRow<'a> {
    let status = match c.status {
        CommitmentStatus::Met => tr.t("commitment-met"),
        CommitmentStatus::Missed => tr.t("commitment-missed"),
        CommitmentStatus::AtRisk => tr.t("commitment-at-risk"),
        CommitmentStatus::Pending => tr.t("commitment-pending"),
    };
    let t = &c.tally;
    let detail = tr.a(
        "commitment-tally",
        &[("on_time", (t.on_time as i64).into()), ("late", (t.late as i64).into()), ("overdue", (t.overdue as i64).into()), ("open", ((t.open + t.due_soon) as i64).into())],
    );
    let todo = if !at_risk(c) {
        None
    } else {
        match c.measure {
            Some(Measure::RespondWithinDays { days }) => Some(Todo {
                what: tr.a("staff-report-todo-respond", &[("overdue", (t.overdue as i64).into()), ("soon", (t.due_soon as i64).into()), ("days", i64::from(days).into())]),
                href: format!("/manage/processes/{slug}/responses?responded=no"),
                label: tr.t("staff-report-todo-respond-link"),
            }),
            Some(Measure::PublishOutcomeWithinDays { days }) => Some(Todo {
                what: tr.a1("staff-report-todo-outcome", "days", i64::from(days)),
                href: format!("/manage/processes/{slug}/outcome"),
                label: tr.t("staff-report-todo-outcome-link"),
            }),
            None => None,
        }
    };
    CommitmentRow { text: tr.pick(&c.text, dl), status, detail, todo }
}

pub async fn show(pc: PageCtx, key: web::Path<String>) -> PageResult {
    let visible = managed(&pc, &key).await?;
    let slug = visible.process.slug.clone();
    let r = report::get(&pc.app, pc.viewer(), &slug).await.or_page(&pc)?;
    let tr = pc.tr;
    let dl = visible.process.default_language.clone();
    let (risky, rest): (Vec<&CommitmentCheck>, Vec<&CommitmentCheck>) = r.commitments.iter().partition(|c| at_risk(c));
    let page = ReportPage {
        c: pc.chrome(tr.t("staff-report-title")),
        tabs: Tabs::new(tr, &visible, pc.viewer(), "report"),
        at_risk: risky.into_iter().map(|c| row(&tr, &slug, c, &dl)).collect(),
        others: rest.into_iter().map(|c| row(&tr, &slug, c, &dl)).collect(),
        sentences: report_sentences(&tr, &r),
        charts: report_charts(&tr, &r),
        activities: r
            .by_activity
            .iter()
            .map(|a| ActivityRow {
                id: a.activity_id.to_string(),
                title: tr.pick(&a.title, &dl),
                contributions: tr.number(a.contributions as i64),
                responded: tr.number(a.responded as i64),
                waiting: tr.number(a.contributions.saturating_sub(a.responded) as i64),
            })
            .collect(),
        generated: tr.datetime(r.generated_at),
        slug,
    };
    Ok(pc.render(&page))
}
