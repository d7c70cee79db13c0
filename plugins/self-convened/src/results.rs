//! The results: a summary, one row per meeting, then the reports' recommendations (merged),
//! key points and dissent, built with the same sections as roundtables.

use std::collections::BTreeMap;

use convene_meeting_report::Report;
use convene_meeting_report::sections::{dissent_table, key_points_table, recommendations_table};
use convene_meeting_report::when::Date;
use convene_sdk::results::{table, text};
use convene_sdk::{Localized, Results, host, tr};

use crate::Config;
use crate::filing::{meeting_of, today};
use crate::meeting::{Registered, label};

/// One visible meeting and what became of its report.
struct Row {
    meeting: Registered,
    /// The newest visible report by the registrant, and the day it was stored.
    report: Option<(Report, Option<Date>)>,
    /// The day the receipt was stored, if the report was marked received.
    received: Option<Option<Date>>,
}

/// Where the report stands against its due date (`report_due_days` after the meeting).
#[derive(Clone, Copy, PartialEq)]
enum Due {
    NotTracked,
    OnTime,
    /// Not filed and past its due date.
    Overdue,
    /// Filed after its due date.
    Late,
}

/// Every visible meeting with its report and receipt, reading each kind once (not once per
/// meeting: every read crosses into the host and parses every body).
fn rows() -> Vec<Row> {
    let mut receipts: BTreeMap<u32, Option<Date>> = BTreeMap::new();
    for c in host::contributions(Some("receipt")) {
        if let Some(n) = meeting_of(&c) {
            receipts.entry(n).or_insert_with(|| Date::of_timestamp(&c.created_at));
        }
    }
    // Keyed by meeting and filer: only the registrant's report counts. The newest wins.
    let mut reports: BTreeMap<(u32, String), (Report, Option<Date>)> = BTreeMap::new();
    for c in host::contributions(Some("report")) {
        if let (Some(n), Ok(report)) = (meeting_of(&c), Report::parse(&c.body)) {
            reports.insert((n, c.submitter), (report, Date::of_timestamp(&c.created_at)));
        }
    }
    crate::meeting::registered()
        .into_iter()
        .map(|meeting| {
            let report = reports.remove(&(meeting.number, meeting.submitter.clone()));
            let received = report.is_some().then(|| receipts.get(&meeting.number).copied()).flatten();
            Row { meeting, report, received }
        })
        .collect()
}

fn due(config: &Config, row: &Row, today: Option<Date>) -> (Option<Date>, Due) {
    let Some(days) = config.report_due_days else { return (None, Due::NotTracked) };
    let due = row.meeting.date.plus_days(days);
    let state = match &row.report {
        Some((_, Some(filed))) if *filed > due => Due::Late,
        Some(_) => Due::OnTime,
        None if today.is_some_and(|t| t > due) => Due::Overdue,
        None => Due::OnTime,
    };
    (Some(due), state)
}

/// `1 meeting` / `2 meetings`: English and Spanish plurals alike (only 1 is singular).
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(config: &Config, rows: &[Row], dues: &[Due]) -> Localized {
    let filed = rows.iter().filter(|r| r.report.is_some()).count();
    let received = rows.iter().filter(|r| r.received.is_some()).count();
    let attendance: u64 = rows.iter().filter_map(|r| r.report.as_ref()).map(|(r, _)| r.attendance as u64).sum();
    let attendance = usize::try_from(attendance).unwrap_or(usize::MAX);
    let overdue = dues.iter().filter(|d| **d == Due::Overdue).count();
    let late = dues.iter().filter(|d| **d == Due::Late).count();
    let mut en = vec![
        count(rows.len(), "meeting registered", "meetings registered"),
        count(filed, "report filed", "reports filed"),
        format!("{received} received"),
        count(attendance, "person attended", "people attended"),
    ];
    let mut es = vec![
        count(rows.len(), "encuentro registrado", "encuentros registrados"),
        count(filed, "informe presentado", "informes presentados"),
        count(received, "recibido", "recibidos"),
        count(attendance, "persona participó", "personas participaron"),
    ];
    if config.report_due_days.is_some() {
        en.extend([count(overdue, "report overdue", "reports overdue"), format!("{late} filed late")]);
        es.extend([count(overdue, "informe atrasado", "informes atrasados"), count(late, "presentado tarde", "presentados tarde")]);
    }
    tr(&[("en", &format!("{}.", en.join("; "))), ("es", &format!("{}.", es.join("; ")))])
}

fn place(m: &crate::Meeting) -> String {
    match (&m.place, m.online) {
        (Some(p), true) => format!("{p} + online"),
        (Some(p), false) => p.clone(),
        (None, _) => "online".into(),
    }
}

fn day(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn meetings_table(rows: &[Row], dues: &[(Option<Date>, Due)]) -> convene_sdk::Section {
    let tracked = dues.iter().any(|(d, _)| d.is_some());
    let mut columns = vec![
        tr(&[("en", "Meeting"), ("es", "Encuentro")]),
        tr(&[("en", "Title"), ("es", "Título")]),
        tr(&[("en", "Date"), ("es", "Fecha")]),
        tr(&[("en", "Place"), ("es", "Lugar")]),
        tr(&[("en", "Report filed"), ("es", "Informe presentado")]),
        tr(&[("en", "Received"), ("es", "Recibido")]),
        tr(&[("en", "Attendance"), ("es", "Asistencia")]),
    ];
    if tracked {
        columns.push(tr(&[("en", "Report due"), ("es", "Plazo del informe")]));
    }
    let body = rows
        .iter()
        .zip(dues)
        .map(|(r, (due, state))| {
            let m = &r.meeting;
            let mut row = vec![
                label(m.number),
                m.meeting.title.clone(),
                m.meeting.date.clone(),
                place(&m.meeting),
                r.report.as_ref().map(|(_, filed)| day(*filed)).unwrap_or_default(),
                r.received.map(day).unwrap_or_default(),
                r.report.as_ref().map(|(rep, _)| rep.attendance.to_string()).unwrap_or_default(),
            ];
            if tracked {
                let flag = match state {
                    Due::Overdue => " (overdue)",
                    Due::Late => " (late)",
                    Due::OnTime | Due::NotTracked => "",
                };
                row.push(format!("{}{flag}", day(*due)));
            }
            row
        })
        .collect();
    table(tr(&[("en", "Meetings"), ("es", "Encuentros")]), columns, body)
}

pub(crate) fn compute(config: &Config) -> Results {
    let rows = rows();
    let today = today();
    let dues: Vec<(Option<Date>, Due)> = rows.iter().map(|r| due(config, r, today)).collect();
    let states: Vec<Due> = dues.iter().map(|(_, s)| *s).collect();
    let labels: Vec<String> = rows.iter().map(|r| label(r.meeting.number)).collect();
    let reports: Vec<(&str, &Report)> = rows.iter().zip(&labels).filter_map(|(r, l)| Some((l.as_str(), &r.report.as_ref()?.0))).collect();
    Results {
        sections: vec![
            text(tr(&[("en", "Participation"), ("es", "Participación")]), summary(config, &rows, &states)),
            meetings_table(&rows, &dues),
            recommendations_table(reports.iter().map(|(_, r)| *r)),
            key_points_table(reports.iter().copied()),
            dissent_table(reports.iter().copied()),
        ],
    }
}
