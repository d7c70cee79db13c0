//! Self-convened meetings, after Chile's self-convened roundtables: any verified participant
//! (the host enforces "verified" through the activity's `requires_attribute`) registers a
//! group meeting of their own, holds it with the organisers' discussion guide, and files a
//! report in the same structure as a roundtable's (attendance, consented demographics, key
//! points, recommendations, dissent). Organisers mark each report as received. Results list
//! the meetings, flag late and missing reports, and merge the recommendations.
//!
//! Meetings are numbered `M-1`, `M-2`... by the plugin, because the contribution id of the one
//! being validated is not known to it; reports and receipts name their meeting by number.
//! Uniqueness ("one report per meeting") is checked against the activity's visible
//! contributions, never against flags in the key-value store: the host leaves an edited
//! contribution out of that list, so a correction is an edit and a second report is refused.

mod filing;
mod meeting;
mod results;

use std::collections::BTreeMap;

use convene_sdk::form::Field;
use convene_sdk::{
    Activity, ActivityInfo, ContributionKind, FieldError, FormField, Localized, ResultDescription, Results, Submitter, SubmitterRole, Validation, Value, tr,
};
use serde::{Deserialize, Serialize};

pub use convene_meeting_report::Report;
pub use meeting::Meeting;

pub struct SelfConvened;

convene_sdk::export_activity!(SelfConvened);

/// The most attendance a report may give (the shared report's own limit).
pub const MAX_ATTENDANCE: i64 = 100_000;
const MAX_GUIDE_CHARS: usize = 20_000;
const MAX_GUIDE_LANGUAGES: usize = 20;

/// What the organisers set. Numbers are signed so that a negative one is a field error naming
/// its path, not a deserialisation error about the whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The discussion guide the groups follow, per language.
    pub guide: BTreeMap<String, String>,
    /// The fewest people a meeting must have to count (expected, and in its report).
    #[serde(default = "default_min_participants")]
    pub min_participants: i64,
    /// The most people a meeting may have, if there is a limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_participants: Option<i64>,
    /// Reports are due this many days after the meeting; results flag late and missing ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_due_days: Option<i64>,
}

fn default_min_participants() -> i64 {
    3
}

impl Config {
    /// The most people a meeting may have: the configured limit, else the report's own.
    fn max_participants(&self) -> i64 {
        self.max_participants.unwrap_or(MAX_ATTENDANCE)
    }

    fn guide(&self) -> Localized {
        Localized(self.guide.iter().filter(|(_, t)| !t.trim().is_empty()).map(|(l, t)| (l.clone(), t.trim().to_string())).collect())
    }
}

/// A language tag such as `es` or `es-CL`: a letter, then letters, digits or hyphens.
pub(crate) fn valid_language(tag: &str) -> bool {
    (2..=16).contains(&tag.len()) && tag.starts_with(|c: char| c.is_ascii_alphabetic()) && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn unknown_kind(kind: &str) -> Vec<FieldError> {
    vec![FieldError::new("kind", format!("self-convened meetings take `meeting`, `report` and `receipt`, not `{kind}`"))]
}

fn check_guide(config: &Config, errors: &mut Vec<FieldError>) {
    if config.guide.values().all(|t| t.trim().is_empty()) {
        errors.push(FieldError::new("guide", "give the discussion guide in at least one language"));
    }
    if config.guide.len() > MAX_GUIDE_LANGUAGES {
        errors.push(FieldError::new("guide", format!("give the guide in at most {MAX_GUIDE_LANGUAGES} languages")));
    }
    for (lang, text) in &config.guide {
        if !valid_language(lang) {
            errors.push(FieldError::new(format!("guide.{lang}"), "is not a language tag such as `es` or `es-CL`"));
        } else if text.chars().count() > MAX_GUIDE_CHARS {
            errors.push(FieldError::new(format!("guide.{lang}"), format!("must be at most {MAX_GUIDE_CHARS} characters")));
        }
    }
}

impl Activity for SelfConvened {
    type Config = Config;

    fn describe() -> ActivityInfo {
        ActivityInfo {
            id: "org.convene.self-convened".into(),
            name: tr(&[("en", "Self-convened meetings"), ("es", "Encuentros autoconvocados"), ("fr", "Rencontres auto-organisées")]),
            version: env!("CARGO_PKG_VERSION").into(),
            description: tr(&[
                ("en", "Anyone taking part registers a group meeting of their own, holds it with the discussion guide and files its report"),
                ("es", "Cualquier participante registra un encuentro propio, lo realiza con la guía de conversación y presenta su informe"),
            ]),
            contribution_kinds: vec![
                ContributionKind {
                    id: "meeting".into(),
                    name: tr(&[("en", "Meeting"), ("es", "Encuentro")]),
                    description: tr(&[
                        ("en", "A group meeting you convene; it is given a number such as M-7"),
                        ("es", "Un encuentro que usted convoca; recibe un número como M-7"),
                    ]),
                    fields: vec![],
                    remote_allowed: false,
                    // Facilitators and organisers may register a meeting for a group too.
                    submitted_by: vec![SubmitterRole::Participant, SubmitterRole::Facilitator, SubmitterRole::Organiser],
                },
                ContributionKind {
                    id: "report".into(),
                    name: tr(&[("en", "Meeting report"), ("es", "Informe del encuentro")]),
                    description: tr(&[("en", "Filed by whoever registered the meeting"), ("es", "Lo presenta quien registró el encuentro")]),
                    fields: vec![],
                    remote_allowed: false,
                    // Whoever registered the meeting, in whichever role: the plugin checks it is them.
                    submitted_by: vec![SubmitterRole::Participant, SubmitterRole::Facilitator, SubmitterRole::Organiser],
                },
                ContributionKind {
                    id: "receipt".into(),
                    name: tr(&[("en", "Report received"), ("es", "Informe recibido")]),
                    description: tr(&[
                        ("en", "The organisers confirm they received a meeting's report"),
                        ("es", "La organización confirma que recibió el informe de un encuentro"),
                    ]),
                    fields: vec![],
                    remote_allowed: false,
                    submitted_by: vec![SubmitterRole::Organiser],
                },
            ],
            config_fields: vec![],
            results: vec![ResultDescription {
                id: "reports".into(),
                name: tr(&[("en", "Meetings, reports and recommendations"), ("es", "Encuentros, informes y recomendaciones")]),
                description: Localized::default(),
            }],
        }
    }

    fn validate_config(config: &Config) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_guide(config, &mut errors);
        if !(1..=1000).contains(&config.min_participants) {
            errors.push(FieldError::new("min_participants", "must be between 1 and 1000"));
        }
        if let Some(max) = config.max_participants
            && !(config.min_participants.max(1)..=MAX_ATTENDANCE).contains(&max)
        {
            errors.push(FieldError::new("max_participants", format!("must be between min_participants ({}) and {MAX_ATTENDANCE}", config.min_participants)));
        }
        if config.report_due_days.is_some_and(|d| !(1..=365).contains(&d)) {
            errors.push(FieldError::new("report_due_days", "must be between 1 and 365 days"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn contribution_form(config: &Config, kind: &str) -> Result<Vec<FormField>, Vec<FieldError>> {
        match kind {
            "meeting" => Ok(meeting::form(config)),
            "report" => {
                // The key points answer the guide's questions, so the guide is their help.
                let mut fields = convene_meeting_report::form();
                fields.iter_mut().filter(|f| f.name == "key_points").for_each(|f| f.help = config.guide());
                Ok(std::iter::once(meeting_number_field().build()).chain(fields).collect())
            }
            "receipt" => Ok(vec![
                meeting_number_field().build(),
                Field::long_text("note").label(tr(&[("en", "Note to the meeting's convener"), ("es", "Nota para quien convocó")])).length(0, 1000).build(),
            ]),
            other => Err(unknown_kind(other)),
        }
    }

    fn validate_contribution(config: &Config, kind: &str, body: &Value, by: &Submitter) -> Validation {
        match kind {
            "meeting" => meeting::register(config, body, by),
            "report" => filing::file_report(config, body, by),
            "receipt" => filing::mark_received(body, by),
            other => Validation::Rejected(unknown_kind(other)),
        }
    }

    fn compute_results(config: &Config) -> Result<Results, String> {
        Ok(results::compute(config))
    }
}

/// The `meeting` field of reports and receipts: the number the meeting was given.
fn meeting_number_field() -> Field {
    Field::text("meeting").label(tr(&[("en", "Meeting number (e.g. M-7)"), ("es", "Número del encuentro (p. ej. M-7)")])).length(3, 12).required()
}

#[cfg(test)]
mod tests;
