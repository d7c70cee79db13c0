//! Results: whether the agency answered, and on time. Today (from the host's clock) decides
//! what is overdue: a question with no answer after its due date. An answer given after the
//! due date counts as answered late, for good: a late answer does not become punctual.

use std::collections::BTreeMap;

use convene_sdk::results::{bar_chart, table, text};
use convene_sdk::{Localized, Results, Section, host, tr};

use crate::answer::{self, Answered};
use crate::dates::Date;
use crate::fields::number_label;
use crate::question::{self, Asked};
use crate::{Config, Report, pick};

/// Where a question stands today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    AnsweredOnTime,
    /// Answered this many days after the due date.
    AnsweredLate(i64),
    /// Not answered, not yet due.
    Open,
    /// Not answered, this many days past the due date.
    Overdue(i64),
}

impl Status {
    pub fn of(asked: &Asked, answer: Option<&Answered>, today: Date) -> Status {
        match answer {
            Some(a) if a.answered_on > asked.due_on => Status::AnsweredLate(a.answered_on.days_since(asked.due_on)),
            Some(_) => Status::AnsweredOnTime,
            None if today > asked.due_on => Status::Overdue(today.days_since(asked.due_on)),
            None => Status::Open,
        }
    }

    /// The words in the questions table. Overdue is in capitals, so it stands out to anyone
    /// scanning the table, on screen or printed.
    pub fn words(self) -> String {
        match self {
            Status::AnsweredOnTime => "answered".into(),
            Status::AnsweredLate(days) => format!("answered late by {}", days_words(days)),
            Status::Open => "open".into(),
            Status::Overdue(days) => format!("OVERDUE by {}", days_words(days)),
        }
    }
}

fn days_words(days: i64) -> String {
    if days == 1 { "1 day".into() } else { format!("{days} days") }
}

/// How many questions stand where.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub asked: usize,
    pub on_time: usize,
    pub late: usize,
    pub open: usize,
    pub overdue: usize,
}

impl Counts {
    fn add(&mut self, status: Status) {
        self.asked += 1;
        match status {
            Status::AnsweredOnTime => self.on_time += 1,
            Status::AnsweredLate(_) => self.late += 1,
            Status::Open => self.open += 1,
            Status::Overdue(_) => self.overdue += 1,
        }
    }
}

fn both(en: String, es: String) -> Localized {
    Localized(vec![("en".into(), en), ("es".into(), es)])
}

fn summary(config: &Config, counts: Counts) -> Section {
    let Counts { asked, on_time, late, open, overdue } = counts;
    let mut en = Vec::new();
    let mut es = Vec::new();
    if !config.description.is_empty() {
        en.push(pick(&config.description, "en"));
        es.push(pick(&config.description, "es"));
    }
    en.push(format!("Questions to {} about {}.", pick(&config.agency, "en"), pick(&config.subject, "en")));
    es.push(format!("Preguntas a {} sobre {}.", pick(&config.agency, "es"), pick(&config.subject, "es")));
    en.push(format!(
        "{asked} {} asked: {on_time} answered on time, {late} answered late, {open} open and not yet due, {overdue} overdue. Answers are due {} days after a question is asked.",
        if asked == 1 { "question" } else { "questions" },
        config.answer_days
    ));
    es.push(format!(
        "{asked} {}: {on_time} respondidas a tiempo, {late} respondidas con retraso, {open} abiertas y en plazo, {overdue} vencidas sin respuesta. Las respuestas vencen {} días después de formular la pregunta.",
        if asked == 1 { "pregunta" } else { "preguntas" },
        config.answer_days
    ));
    text(tr(&[("en", "Summary"), ("es", "Resumen")]), both(en.join("\n\n"), es.join("\n\n")))
}

fn chart(counts: Counts) -> Section {
    let label = |en: &str, es: &str| tr(&[("en", en), ("es", es)]);
    bar_chart(
        label("Questions by status", "Preguntas por estado"),
        vec![
            label("Answered on time", "Respondidas a tiempo"),
            label("Answered late", "Respondidas con retraso"),
            label("Open", "Abiertas"),
            label("Overdue", "Vencidas"),
        ],
        label("Questions", "Preguntas"),
        vec![counts.on_time as f64, counts.late as f64, counts.open as f64, counts.overdue as f64],
    )
}

fn questions_table(rows: &[(&Asked, Option<&Answered>, Status)]) -> Section {
    let col = |en: &str, es: &str| tr(&[("en", en), ("es", es)]);
    table(
        col("Questions", "Preguntas"),
        vec![
            col("Number", "Número"),
            col("Question", "Pregunta"),
            col("Asked on", "Formulada el"),
            col("Due on", "Vence el"),
            col("Status", "Estado"),
            col("Answered on", "Respondida el"),
        ],
        rows.iter()
            .map(|(q, a, status)| {
                vec![
                    number_label(q.number),
                    q.title.clone(),
                    q.asked_on.to_string(),
                    q.due_on.to_string(),
                    status.words(),
                    a.map(|a| a.answered_on.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
    )
}

/// One answer, as a paragraph: which question, its dates, the question, the answer, its
/// documents and what was held back. `es` picks the Spanish labels.
fn answer_paragraph(q: &Asked, a: &Answered, status: Status, es: bool) -> String {
    let label = number_label(q.number);
    let mut lines = Vec::new();
    let timing = match (status, es) {
        (Status::AnsweredLate(d), false) => format!(", {} late", days_words(d)),
        (Status::AnsweredLate(d), true) => format!(", con {} de retraso", if d == 1 { "1 día".into() } else { format!("{d} días") }),
        _ => String::new(),
    };
    let revised = match (a.revised_on, es) {
        (Some(r), false) => format!("; revised {r}"),
        (Some(r), true) => format!("; revisada el {r}"),
        (None, _) => String::new(),
    };
    if es {
        lines.push(format!("{label} «{}» (formulada el {}, vence el {}; respondida el {}{timing}{revised})", q.title, q.asked_on, q.due_on, a.answered_on));
        lines.push(format!("Pregunta: {}", q.text));
        lines.push(format!("Respuesta: {}", a.text));
    } else {
        lines.push(format!("{label} “{}” (asked {}, due {}; answered {}{timing}{revised})", q.title, q.asked_on, q.due_on, a.answered_on));
        lines.push(format!("Question: {}", q.text));
        lines.push(format!("Answer: {}", a.text));
    }
    if !a.documents.is_empty() {
        lines.push(format!("{}: {}", if es { "Documentos" } else { "Documents" }, a.documents.join(", ")));
    }
    if let Some(w) = &a.withheld {
        lines.push(format!("{}: {w}", if es { "No se comparte, y por qué" } else { "Not shared, and why" }));
    }
    lines.join("\n")
}

fn answers_section(rows: &[(&Asked, Option<&Answered>, Status)]) -> Section {
    let paragraphs = |es: bool| {
        let all: Vec<String> = rows.iter().filter_map(|(q, a, status)| a.map(|a| answer_paragraph(q, a, *status, es))).collect();
        if all.is_empty() {
            if es { "El organismo aún no ha respondido a ninguna pregunta.".to_string() } else { "The agency has not answered any question yet.".to_string() }
        } else {
            all.join("\n\n")
        }
    };
    text(tr(&[("en", "Answers"), ("es", "Respuestas")]), both(paragraphs(false), paragraphs(true)))
}

fn numbered(items: &[String]) -> String {
    items.iter().enumerate().map(|(i, t)| format!("{}. {t}", i + 1)).collect::<Vec<_>>().join("\n")
}

fn report_section(report: &Report, published: Option<Date>) -> Section {
    let body = |es: bool| {
        let mut parts = Vec::new();
        if let Some(d) = published {
            parts.push(if es { format!("Publicado el {d}.") } else { format!("Published {d}.") });
        }
        parts.push(report.summary.clone());
        parts.push(format!("{}:\n{}", if es { "Conclusiones" } else { "Findings" }, numbered(&report.findings)));
        if !report.recommendations.is_empty() {
            parts.push(format!("{}:\n{}", if es { "Recomendaciones" } else { "Recommendations" }, numbered(&report.recommendations)));
        }
        if !report.questions.is_empty() {
            parts.push(format!("{}: {}.", if es { "Se basa en las preguntas" } else { "Draws on questions" }, report.questions.join(", ")));
        }
        parts.join("\n\n")
    };
    text(both(format!("Report: {}", report.title), format!("Informe: {}", report.title)), both(body(false), body(true)))
}

/// The group's reports, oldest first, one section each; one section saying so when none.
fn reports_sections() -> Vec<Section> {
    let sections: Vec<Section> = host::contributions(Some("report"))
        .filter_map(|c| serde_json::from_value::<Report>(c.body.clone()).ok().map(|r| report_section(&r, Date::of_timestamp(&c.created_at))))
        .collect();
    if sections.is_empty() {
        vec![text(
            tr(&[("en", "Reports"), ("es", "Informes")]),
            tr(&[("en", "The group has not published a report yet."), ("es", "El grupo aún no ha publicado ningún informe.")]),
        )]
    } else {
        sections
    }
}

pub fn compute(config: &Config) -> Result<Results, String> {
    let now = host::now();
    let today = Date::of_timestamp(&now).ok_or_else(|| format!("the host's clock gave `{now}`, not an RFC 3339 time"))?;
    let mut questions = question::visible();
    questions.sort_by_key(|q| q.number);
    // One answer per question is enforced on the way in; should two ever be visible, the
    // first one given is the one of record.
    let mut answers: BTreeMap<u64, Answered> = BTreeMap::new();
    for a in answer::visible() {
        answers.entry(a.number).or_insert(a);
    }
    let mut counts = Counts::default();
    let rows: Vec<(&Asked, Option<&Answered>, Status)> = questions
        .iter()
        .map(|q| {
            let a = answers.get(&q.number);
            let status = Status::of(q, a, today);
            counts.add(status);
            (q, a, status)
        })
        .collect();
    let mut sections = vec![summary(config, counts), chart(counts), questions_table(&rows), answers_section(&rows)];
    sections.extend(reports_sections());
    Ok(Results { sections })
}
