//! The oversight group activity type: members of the public, civil society and experts put
//! questions to a named agency about a technology procurement (an algorithmic system a city
//! means to buy, say); each question has a deadline for its answer; the agency's liaison
//! answers in public; questions past their deadline are flagged as overdue; the group
//! publishes reports that cite the questions they draw on. Results say, in numbers and
//! question by question, whether the agency answered and whether it answered on time.

pub mod answer;
pub mod dates;
pub mod fields;
pub mod question;
pub mod report;
pub mod results;

use std::collections::BTreeMap;

use convene_sdk::form::{Field, choice};
use convene_sdk::{
    Activity, ActivityInfo, ContributionKind, FieldError, FormField, Localized, ResultDescription, Results, Submitter, SubmitterRole, Validation, Value, tr,
};
use serde::{Deserialize, Serialize};

pub use dates::Date;
pub use report::Report;

pub struct OversightGroup;

convene_sdk::export_activity!(OversightGroup);

pub const DEFAULT_ANSWER_DAYS: i64 = 20;
pub const MAX_ANSWER_DAYS: i64 = 365;

/// What the organiser sets. Text is given per language, e.g. `{"en": "...", "es": "..."}`.
/// Missing fields default to empty so that `validate_config` can name them, rather than
/// the deserialiser failing on the whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Who answers: the agency, department or body buying the system.
    #[serde(default)]
    pub agency: BTreeMap<String, String>,
    /// What is being overseen: the procurement or system, e.g. its tender number and name.
    #[serde(default)]
    pub subject: BTreeMap<String, String>,
    /// Calendar days from the day a question is asked to the day its answer is due.
    #[serde(default = "default_answer_days")]
    pub answer_days: i64,
    /// The group's remit, shown with the results.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub description: BTreeMap<String, String>,
}

fn default_answer_days() -> i64 {
    DEFAULT_ANSWER_DAYS
}

/// The text for one language: that language, else English, else whichever was given.
pub fn pick(map: &BTreeMap<String, String>, lang: &str) -> String {
    map.get(lang).or_else(|| map.get("en")).or_else(|| map.values().next()).map(|s| s.trim().to_string()).unwrap_or_default()
}

/// A language tag such as `en`, `es` or `pt-BR`.
fn is_language_tag(tag: &str) -> bool {
    (2..=35).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') && tag.as_bytes()[0].is_ascii_alphabetic()
}

/// Checks a per-language text: valid tags, each text 1 to `max` characters, and (when
/// required) at least one language.
fn check_localized(map: &BTreeMap<String, String>, field: &str, max: usize, required: bool, errors: &mut Vec<FieldError>) {
    if required && map.is_empty() {
        errors.push(FieldError::new(field, "give it in at least one language, e.g. {\"en\": \"...\"}"));
    }
    for (lang, text) in map {
        if !is_language_tag(lang) {
            errors.push(FieldError::new(field, format!("`{lang}` is not a language tag; use en, es, pt-BR...")));
        } else if text.trim().is_empty() || text.chars().count() > max {
            errors.push(FieldError::new(format!("{field}.{lang}"), format!("write 1 to {max} characters")));
        }
    }
}

/// The verdict when the host's clock cannot be read: dates are the heart of this type, so
/// nothing is stored with a guessed one.
pub(crate) fn clock_unreadable() -> Validation {
    Validation::Rejected(vec![FieldError::new("", "the server's clock could not be read; please try again")])
}

fn kind_error(kind: &str) -> FieldError {
    FieldError::new("kind", format!("an oversight group has no `{kind}` contributions"))
}

// Forms. The answer and report forms list the questions asked so far; `describe` gives their
// static shape, with a question number typed in.

fn question_form() -> Vec<FormField> {
    vec![
        Field::text("title").label(tr(&[("en", "Your question, in one line"), ("es", "Tu pregunta, en una línea")])).length(3, question::MAX_TITLE).required().build(),
        Field::long_text("text")
            .label(tr(&[("en", "The question in full"), ("es", "La pregunta completa")]))
            .help(tr(&[("en", "What you want the agency to answer, and any background it needs"), ("es", "Qué quieres que responda el organismo y el contexto necesario")]))
            .length(1, question::MAX_TEXT)
            .required()
            .build(),
        Field::date("asked_on")
            .label(tr(&[("en", "Asked on"), ("es", "Fecha de la pregunta")]))
            .help(tr(&[
                ("en", "Leave empty for today. Facilitators and organisers may record a question sent earlier by letter or asked at a meeting (up to a year back)."),
                ("es", "Déjalo vacío para hoy. Facilitación y organización pueden registrar una pregunta enviada antes por carta o hecha en una reunión (hasta un año atrás)."),
            ]))
            .build(),
    ]
}

fn question_field(choices: Option<Vec<convene_sdk::Choice>>) -> FormField {
    let label = tr(&[("en", "Question answered"), ("es", "Pregunta que se responde")]);
    match choices {
        Some(choices) => Field::single_choice("question", choices).label(label).required().build(),
        None => {
            Field::text("question").label(label).help(tr(&[("en", "Its number, e.g. Q-3"), ("es", "Su número, p. ej. Q-3")])).length(1, 20).required().build()
        }
    }
}

fn answer_form(question: FormField) -> Vec<FormField> {
    vec![
        question,
        Field::long_text("text").label(tr(&[("en", "Answer"), ("es", "Respuesta")])).length(1, answer::MAX_TEXT).required().build(),
        Field::long_text("documents")
            .label(tr(&[("en", "Links to published documents (https://, one per line)"), ("es", "Enlaces a documentos publicados (https://, uno por línea)")]))
            .build(),
        Field::long_text("withheld")
            .label(tr(&[("en", "Anything not shared, and why"), ("es", "Lo que no se comparte, y por qué")]))
            .help(tr(&[("en", "e.g. bid prices while bids are being evaluated"), ("es", "p. ej. precios de las ofertas mientras se valoran")]))
            .length(0, answer::MAX_WITHHELD)
            .build(),
    ]
}

fn report_form(questions: Option<FormField>) -> Vec<FormField> {
    let lines = |en: &str, es: &str| tr(&[("en", en), ("es", es)]);
    let mut form = vec![
        Field::text("title").label(tr(&[("en", "Title"), ("es", "Título")])).length(3, report::MAX_TITLE).required().build(),
        Field::long_text("summary").label(tr(&[("en", "Summary"), ("es", "Resumen")])).length(1, report::MAX_SUMMARY).required().build(),
        Field::long_text("findings").label(lines("Findings (one per line)", "Conclusiones (una por línea)")).required().build(),
        Field::long_text("recommendations").label(lines("Recommendations (one per line)", "Recomendaciones (una por línea)")).build(),
    ];
    form.extend(questions);
    form
}

fn questions_label() -> Localized {
    tr(&[("en", "Questions it draws on"), ("es", "Preguntas en las que se basa")])
}

impl Activity for OversightGroup {
    type Config = Config;

    fn describe() -> ActivityInfo {
        let kind = |id: &str, name: Localized, description: Localized, fields: Vec<FormField>, remote_allowed: bool, submitted_by: Vec<SubmitterRole>| {
            ContributionKind { id: id.into(), name, description, fields, remote_allowed, submitted_by }
        };
        let anyone = vec![SubmitterRole::Participant, SubmitterRole::Facilitator, SubmitterRole::Organiser];
        ActivityInfo {
            id: "org.convene.oversight-group".into(),
            name: tr(&[("en", "Oversight group"), ("es", "Grupo de supervisión"), ("fr", "Groupe de suivi")]),
            version: env!("CARGO_PKG_VERSION").into(),
            description: tr(&[
                (
                    "en",
                    "Questions to an agency about a technology procurement, each with an answer deadline; public answers, overdue questions flagged, and the group's reports",
                ),
                (
                    "es",
                    "Preguntas a un organismo sobre una contratación tecnológica, cada una con plazo de respuesta; respuestas públicas, preguntas vencidas señaladas e informes del grupo",
                ),
            ]),
            contribution_kinds: vec![
                kind(
                    "question",
                    tr(&[("en", "Question"), ("es", "Pregunta")]),
                    tr(&[
                        ("en", "A question to the agency; its answer is due a set number of days later"),
                        ("es", "Una pregunta al organismo; su respuesta vence unos días después"),
                    ]),
                    question_form(),
                    true,
                    anyone.clone(),
                ),
                kind(
                    "answer",
                    tr(&[("en", "Answer"), ("es", "Respuesta")]),
                    tr(&[
                        ("en", "The agency's public answer to one question, filed by its liaison"),
                        ("es", "La respuesta pública del organismo a una pregunta, presentada por su enlace"),
                    ]),
                    answer_form(question_field(None)),
                    false,
                    vec![SubmitterRole::Facilitator, SubmitterRole::Organiser],
                ),
                kind(
                    "report",
                    tr(&[("en", "Report"), ("es", "Informe")]),
                    tr(&[
                        ("en", "A report of the group's findings and recommendations"),
                        ("es", "Un informe con las conclusiones y recomendaciones del grupo"),
                    ]),
                    report_form(Some(Field::text("questions").label(questions_label()).help(tr(&[("en", "e.g. Q-1, Q-4")])).build())),
                    false,
                    anyone,
                ),
            ],
            config_fields: vec![],
            results: vec![
                ResultDescription { id: "summary".into(), name: tr(&[("en", "Summary"), ("es", "Resumen")]), description: Localized::default() },
                ResultDescription {
                    id: "questions".into(),
                    name: tr(&[("en", "Questions and deadlines"), ("es", "Preguntas y plazos")]),
                    description: Localized::default(),
                },
                ResultDescription { id: "answers".into(), name: tr(&[("en", "Answers"), ("es", "Respuestas")]), description: Localized::default() },
                ResultDescription { id: "reports".into(), name: tr(&[("en", "Reports"), ("es", "Informes")]), description: Localized::default() },
            ],
        }
    }

    fn validate_config(config: &Config) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_localized(&config.agency, "agency", 200, true, &mut errors);
        check_localized(&config.subject, "subject", 300, true, &mut errors);
        if !(1..=MAX_ANSWER_DAYS).contains(&config.answer_days) {
            errors.push(FieldError::new("answer_days", format!("must be 1 to {MAX_ANSWER_DAYS} days")));
        }
        check_localized(&config.description, "description", 5_000, false, &mut errors);
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn contribution_form(_config: &Config, kind: &str) -> Result<Vec<FormField>, Vec<FieldError>> {
        let choices = || {
            let questions = question::visible();
            (!questions.is_empty()).then(|| {
                questions
                    .iter()
                    .map(|q| choice(&fields::number_label(q.number), Localized::one("en", &format!("{}: {}", fields::number_label(q.number), q.title))))
                    .collect::<Vec<_>>()
            })
        };
        match kind {
            "question" => Ok(question_form()),
            "answer" => Ok(answer_form(question_field(choices()))),
            "report" => {
                let cited = choices().map(|c| {
                    let n = c.len() as u32;
                    Field::multiple_choice("questions", c, 0, n).label(questions_label()).build()
                });
                Ok(report_form(cited))
            }
            other => Err(vec![kind_error(other)]),
        }
    }

    fn validate_contribution(config: &Config, kind: &str, body: &Value, by: &Submitter) -> Validation {
        match kind {
            "question" => question::validate(config, body, by),
            "answer" => answer::validate(config, body, by),
            "report" => report::validate(body),
            other => Validation::Rejected(vec![kind_error(other)]),
        }
    }

    fn compute_results(config: &Config) -> Result<Results, String> {
        results::compute(config)
    }
}

#[cfg(test)]
mod tests;
